"""Every rule of the shop. The till and the CLI call these same functions."""
