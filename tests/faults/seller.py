"""A till that only sells: run as a child process by the fault tests.

    python seller.py HOME LANE COUNT BARCODE[,BARCODE…]

Prints `ready` once the store is open, then `sold RECEIPT` after each sale
has committed, so the parent knows exactly which sales must survive a kill.
"""

import sys

from pos_tui.config import load_settings
from pos_tui.db.models import User
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import ValidationError
from pos_tui.services import sales, shifts
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor
from pos_tui.services.store import open_store


def say(line: str) -> None:
    """One line in one write, so a kill leaves it whole or absent: print() writes its words and the
    newline one by one, each its own system call when Python runs unbuffered (PYTHONUNBUFFERED)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    home, lane, count, codes = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
    settings = load_settings(home)
    open_store(settings)
    user = User.get(User.username == "casey")
    actor = Actor(username=user.username, role=user.role, user_id=user.id)
    rates = settings.tax_rates()
    if shifts.current_shift(lane) is None:  # a till restarted after a kill finds its shift still open
        try:
            shifts.open_shift(actor, settings, lane=lane, counts=shifts.break_down(settings, 10000))
        except ValidationError:  # another seller on this lane opened it first
            pass
    say("ready")
    for _ in range(count):
        cart = Cart(merge_repeats=False)
        for code in codes:
            cart.add(scan(code, rates))
        sale = sales.commit_sale(actor, cart, [Tender("cash", cart.totals().total)], lane=lane, settings=settings)
        say(f"sold {sale.receipt_no}")


if __name__ == "__main__":
    main()
