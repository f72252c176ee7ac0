"""Pure values: money, barcodes, tax and the cart. No I/O, no Textual."""
