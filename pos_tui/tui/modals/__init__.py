"""Dialogs that ask one thing and return it."""
