"""The one check a sale, a refund and a no-sale make: the lane has an open shift.

Kept apart from services/shifts.py (which opens the drawer and prints) so
sales.py, returns.py and drawer.py can import it without a cycle. One read
on the partial unique index `shift_one_open_per_lane`: cheap on the hot path.
"""

from __future__ import annotations

from pos_tui.db import statements
from pos_tui.db.bulk import dialect_sql
from pos_tui.db.models import Shift
from pos_tui.errors import ValidationError
from pos_tui.i18n import _


def open_shift_id(lane: str) -> int | None:
    """The id of the lane's open shift, or None (a fixed statement: every sale asks)."""
    row = Shift._meta.database.execute_sql(dialect_sql(statements.OPEN_SHIFT), (lane,)).fetchone()
    return row[0] if row else None


def require_open_shift(lane: str, what: str | None = None) -> int:
    """The lane's open shift id, or a ValidationError saying to open one; call inside the write transaction."""
    shift_id = open_shift_id(lane)
    if shift_id is None:
        raise ValidationError(_("lane {lane} has no open shift; open a shift (count the float) before {what}").format(lane=lane, what=what or _("selling")))
    return shift_id
