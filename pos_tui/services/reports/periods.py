"""Report periods: half-open [start, end) in the shop's days, and time buckets in its zone.

Times are stored in UTC. Reports group sales in SQL by the UTC hour (or,
in a zone whose offset is not a whole number of hours, the UTC minute), then
map each bucket to the shop's local day, week, month, hour or weekday here,
so DST changes and midnight land on the right side without per-row work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from pos_tui.errors import ValidationError
from pos_tui.i18n import _

TIME_GRAINS = ("day", "week", "month", "hour", "weekday")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Period:
    """Local days from `start` up to, not including, `end`."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> "Period":
        """The period of equal length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start)

    def utc_bounds(self, zone: ZoneInfo) -> tuple[str, str]:
        """The period as stored UTC text, for `created_at >= a AND created_at < b`."""
        return utc_text(local_midnight(self.start, zone)), utc_text(local_midnight(self.end, zone))

    def label(self) -> str:
        return _("{start} to {end} (end excluded)").format(start=self.start.isoformat(), end=self.end.isoformat())


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def utc_text(moment: datetime) -> str:
    """The stored form of a moment (UtcDateTimeField's)."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValidationError(_("{what} {text!r} is not a date; use YYYY-MM-DD").format(what=what, text=text)) from None


def make_period(start: date | str, end: date | str) -> Period:
    """A period from two days (or their ISO text); refuses an empty or backwards one."""
    first = parse_date(start, "--from") if isinstance(start, str) else start
    last = parse_date(end, "--to") if isinstance(end, str) else end
    if last <= first:
        raise ValidationError(
            _("--to {last} must be after --from {first} (the end day is not included)").format(last=last.isoformat(), first=first.isoformat()))
    return Period(first, last)


def whole_hour_zone(zone: ZoneInfo, period: Period) -> bool:
    """Whether every offset the zone uses in the period is whole hours (most zones)."""
    day = period.start - timedelta(days=1)
    while day <= period.end:
        offset = local_midnight(day, zone).utcoffset() or timedelta()
        if offset.total_seconds() % 3600:
            return False
        day += timedelta(days=7)
    return True


def bucket_sql(column: str, hourly: bool) -> str:
    """SQL for the UTC bucket of a stored time: its hour ("2026-11-26T19") or its minute."""
    return f"substr({column}, 1, {13 if hourly else 16})"


def bucket_local(bucket: str, zone: ZoneInfo) -> datetime:
    """The local time where a UTC bucket (from bucket_sql) starts."""
    text = bucket + (":00" if len(bucket) == 13 else "")
    return datetime.fromisoformat(text + ":00+00:00").astimezone(zone)


def grain_key(moment: datetime, grain: str) -> str:
    """A local moment's group under `grain`: sortable text."""
    if grain == "day":
        return moment.date().isoformat()
    if grain == "week":  # weeks start on Monday (ISO)
        return (moment.date() - timedelta(days=moment.weekday())).isoformat()
    if grain == "month":
        return moment.strftime("%Y-%m")
    if grain == "hour":
        return f"{moment.hour:02d}"
    if grain == "weekday":
        return str(moment.weekday())
    raise ValueError(grain)


def grain_label(key: str, grain: str) -> str:
    if grain == "hour":
        return f"{key}:00"
    if grain == "weekday":
        return WEEKDAYS[int(key)]
    if grain == "week":
        return f"week of {key}"
    return key


def all_keys(period: Period, grain: str) -> list[str]:
    """Every group of a time grain in the period, so empty days and hours show as zero."""
    if grain == "hour":
        return [f"{h:02d}" for h in range(24)]
    if grain == "weekday":
        return [str(d) for d in range(7)]
    keys: list[str] = []
    day = period.start
    while day < period.end:
        key = grain_key(datetime.combine(day, time(12)), grain)
        if not keys or keys[-1] != key:
            keys.append(key)
        day += timedelta(days=1)
    return keys
