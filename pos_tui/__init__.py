"""pos-tui: a point-of-sale for small shops that runs in a terminal."""

__version__ = "0.1.0"
