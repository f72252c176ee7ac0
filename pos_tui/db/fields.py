"""Column types that keep the store's invariants: UTC times, exact quantities."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from peewee import CharField, IntegerField

from pos_tui.domain.quantity import milli_to_qty, qty_to_milli


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTimeField(CharField):
    """An aware datetime stored as ISO 8601 in UTC ("2026-11-26T19:30:00.123456+00:00").

    Fixed-width UTC text sorts in time order, on SQLite and PostgreSQL alike.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a time zone")
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")

    def python_value(self, value):
        if value is None:
            return None
        return datetime.fromisoformat(value)


class QtyField(IntegerField):
    """A Decimal quantity stored as integer thousandths, so sums stay exact."""

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, int):
            return value * 1000
        return qty_to_milli(Decimal(value))

    def python_value(self, value):
        return None if value is None else milli_to_qty(int(value))
