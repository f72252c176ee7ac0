"""The outbox: a message per order change, sent by the shop's command, failures kept and retried."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from pos_tui.db.fields import utc_now
from pos_tui.db.models import AuditLog, OutboxMessage
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import orders, outbox
from tests.services.conftest import TEA
from tests.services.order_helpers import make_shop, order


@pytest.fixture
def shop(store, admin_actor):
    return make_shop(store, admin_actor)


def _script(tmp_path: Path, name: str, body: str) -> str:
    """A notify command: a small Python script run by the shell."""
    path = tmp_path / f"{name}.py"
    path.write_text(body, encoding="utf-8")
    return f"{sys.executable} {path}"


def test_with_no_command_messages_stay_queued_and_show_what_would_be_sent(shop):
    made = order(shop, (TEA, "1"))
    report = outbox.send_due(shop.settings)
    assert (report.sent, report.failed, report.waiting) == (0, 0, 1)
    [message] = outbox.list_messages()
    assert (message.order, message.event, message.state, message.channel) == (made.number, "approved", "queued", "email")
    assert message.text == "Order ORD-000001 is confirmed. Thank you, Ann Archer!"


def test_each_status_change_writes_its_message_from_the_editable_template(shop):
    shop.settings.set("notify.template.shipped", "{name}: {number} is {status} via {carrier} ({tracking}), due {expected}")
    made = order(shop, (TEA, "1"), customer_id=shop.bob, delivery=orders.Delivery(address="9 Mill Lane"))
    orders.pack(shop.cathy, shop.settings, made.number)
    orders.ship(shop.sam, shop.settings, made.number, carrier="UPS", tracking="1Z5", expected=date(2026, 12, 3))
    texts = {m.event: (m.channel, m.recipient, m.text) for m in outbox.list_messages()}
    assert set(texts) == {"approved", "packed", "shipped"}
    assert texts["shipped"] == ("sms", "+44 7700 900002", "Bob Baker: ORD-000001 is shipped via UPS (1Z5), due 2026-12-03")


def test_a_working_command_gets_the_message_as_json_on_stdin(shop, tmp_path):
    out = tmp_path / "sent.jsonl"
    shop.settings.set("notify.command", _script(tmp_path, "send", (
        "import sys\n"
        f"open({str(out)!r}, 'a', encoding='utf-8').write(sys.stdin.read() + '\\n')\n")))
    made = order(shop, (TEA, "1"))
    report = outbox.send_due(shop.settings)
    assert (report.sent, report.failed) == (1, 0)
    [received] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert received["order"] == made.number and received["recipient"] == "ann@example.com"
    assert received["channel"] == "email" and received["text"].startswith("Order ORD-000001 is confirmed")
    [message] = outbox.list_messages()
    assert message.state == "sent" and message.sent_at is not None and message.attempts == 1
    assert outbox.send_due(shop.settings).sent == 0  # sent once only


def test_a_failing_command_keeps_the_message_with_its_reason_and_backs_off(shop, tmp_path):
    shop.settings.set("notify.command", _script(tmp_path, "fail", (
        "import sys\nsys.stdin.read()\nprint('mailbox full', file=sys.stderr)\nsys.exit(3)\n")))
    order(shop, (TEA, "1"))
    now = utc_now()
    report = outbox.send_due(shop.settings, now)
    assert (report.sent, report.failed) == (0, 1)
    assert report.errors == ("message 1: notify.command exited 3: mailbox full",)
    [message] = outbox.list_messages()
    assert (message.state, message.attempts, message.last_error) == ("failed", 1, "notify.command exited 3: mailbox full")
    assert message.next_try_at == now + timedelta(seconds=2)
    assert outbox.send_due(shop.settings, now + timedelta(seconds=1)).failed == 0  # still pausing
    assert outbox.send_due(shop.settings, now + timedelta(seconds=3)).failed == 1
    assert outbox.list_messages()[0].attempts == 2
    assert outbox.list_messages()[0].next_try_at == now + timedelta(seconds=3 + 4)


def test_a_hanging_command_is_stopped_at_the_timeout(shop, tmp_path):
    shop.settings.set("notify.timeout_s", "0.5")
    shop.settings.set("notify.command", _script(tmp_path, "hang", "import time\ntime.sleep(60)\n") + " && true")
    order(shop, (TEA, "1"))
    report = outbox.send_due(shop.settings)
    assert report.failed == 1
    [message] = outbox.list_messages()
    assert (message.state, message.last_error) == ("failed", "notify.command took longer than 0.5 s and was stopped")


def test_retry_makes_failed_messages_due_now_and_is_audited(shop, tmp_path):
    flag = tmp_path / "fixed"
    shop.settings.set("notify.command", _script(tmp_path, "flaky", (
        "import sys, pathlib\nsys.stdin.read()\n"
        f"sys.exit(0 if pathlib.Path({str(flag)!r}).exists() else 1)\n")))
    order(shop, (TEA, "1"))
    assert outbox.send_due(shop.settings).failed == 1
    assert outbox.send_due(shop.settings).sent == 0  # waiting out its pause
    flag.touch()
    assert outbox.retry(shop.owner) == 1
    assert AuditLog.select().where(AuditLog.action == "outbox.retry").count() == 1
    assert outbox.send_due(shop.settings).sent == 1
    with pytest.raises(ValidationError, match="message 1 is sent, not failed"):
        outbox.retry(shop.owner, 1)
    with pytest.raises(NotFound, match="no message 99"):
        outbox.retry(shop.owner, 99)


def test_a_late_order_gets_one_late_message(shop):
    made = order(shop, (TEA, "1"), expected_date=date(2020, 1, 6))
    order(shop, (TEA, "1"), expected_date=date(2099, 1, 1))
    assert outbox.send_due(shop.settings).late_queued == 1
    assert outbox.send_due(shop.settings).late_queued == 0
    late = OutboxMessage.get(OutboxMessage.event == "late")
    assert late.text == f"Sorry Ann Archer, order {made.number} is running late (expected 2020-01-06); tracking -."
