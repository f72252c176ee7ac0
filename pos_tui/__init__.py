"""pos-tui: a point-of-sale for small shops that runs in a terminal."""

from pos_tui import pg_driver

__version__ = "0.1.0"

pg_driver.defer()  # a SQLite lane never loads libpq (see pos_tui/pg_driver.py)
