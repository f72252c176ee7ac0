"""Money as the till shows it to a person: grouped the way the current language writes it.

No currency symbol: the till's columns and the cashier's habits never had
one. Fields a cashier edits keep `format_money`'s plain digits, which
`parse_money` reads back.
"""

from __future__ import annotations

from pos_tui.domain.locale_format import format_money_text
from pos_tui.i18n import current_language


def money(minor: int) -> str:
    """1250 -> "12.50", 123450 -> "1,234.50" (both languages group with "," and use "." today)."""
    return format_money_text(minor, language=current_language(), symbol=False)
