"""The shop's tenders and the letter that picks each at the till."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pos_tui.config import Settings
from pos_tui.domain.money import parse_money
from pos_tui.domain.tender import CARD, CASH
from pos_tui.errors import ConfigError, ValidationError
from pos_tui.i18n import _

_OTHER_RE = re.compile(r"^([a-z][a-z0-9_]{0,15}):([A-Z])$")


@dataclass(frozen=True)
class TenderChoice:
    kind: str
    letter: str

    @property
    def label(self) -> str:
        return self.kind.capitalize()


def tender_choices(settings: Settings) -> list[TenderChoice]:
    """Cash (C) and card (K) always; then `tenders.other` ("voucher:V,mobile:M")."""
    choices = [TenderChoice(CASH, "C"), TenderChoice(CARD, "K")]
    text = str(settings.get("tenders.other")).strip()
    for item in filter(None, (part.strip() for part in text.split(","))):
        match = _OTHER_RE.match(item)
        if match is None:
            raise ConfigError(_("tenders.other: {item!r} must look like voucher:V (a name, a capital letter)").format(item=item))
        kind, letter = match.groups()
        if any(c.kind == kind or c.letter == letter for c in choices):
            raise ConfigError(_("tenders.other: {item!r} repeats a tender name or letter").format(item=item))
        choices.append(TenderChoice(kind, letter))
    return choices


def cash_step(settings: Settings) -> int:
    """The smallest cash step in minor units (cash.rounding "0.05" -> 5)."""
    try:
        step = parse_money(str(settings.get("cash.rounding")), what="cash.rounding")
    except ValidationError as exc:
        raise ConfigError(str(exc)) from None
    if step <= 0:
        raise ConfigError(_("cash.rounding must be more than zero, like 0.01 or 0.05"))
    return step
