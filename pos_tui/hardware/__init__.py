"""Printers, drawers and scanners behind small protocols, and the receipt layout they print."""
