"""`pos outbox list|send|retry`: what would be sent, sending it, and failures made visible."""

from __future__ import annotations

import json
import sys

import pytest

from pos_tui.config import save_settings
from tests.services.conftest import TEA
from tests.services.order_helpers import make_shop


@pytest.fixture
def shop(store, admin_actor, pos):
    shop = make_shop(store, admin_actor)
    save_settings(store)
    return shop


def test_with_no_command_the_outbox_shows_what_would_be_sent(shop, pos, ok):
    ok(pos("order", "create", "--customer", "ANN1", "--line", f"{TEA}:1"))
    result = pos("outbox", "list")
    assert "notify.command is not set" in result.stderr
    assert "ORD-000001" in ok(result) and "Order ORD-000001 is confirmed. Thank you, Ann Archer!" in result.stdout
    assert "1 messages wait in the outbox" in ok(pos("outbox", "send"))
    [message] = json.loads(ok(pos("outbox", "list", "--json")))
    assert (message["state"], message["recipient"], message["event"]) == ("queued", "ann@example.com", "approved")


def test_send_through_the_command_then_a_failure_is_visible_and_retried(shop, pos, ok, refused, tmp_path):
    sent = tmp_path / "sent.txt"
    script = tmp_path / "notify.py"
    script.write_text("import sys, json, pathlib\nmsg = json.load(sys.stdin)\n"
                      "if 'fail' in pathlib.Path(sys.argv[1]).name: print('gateway down', file=sys.stderr); sys.exit(2)\n"
                      "open(sys.argv[1], 'a').write(msg['text'] + '\\n')\n", encoding="utf-8")
    ok(pos("config", "set", "notify.command", f"{sys.executable} {script} {sent}"))
    ok(pos("order", "create", "--customer", "ANN1", "--line", f"{TEA}:1"))
    assert ok(pos("outbox", "send")).startswith("sent 1, failed 0")
    assert sent.read_text().strip() == "Order ORD-000001 is confirmed. Thank you, Ann Archer!"
    ok(pos("config", "set", "notify.command", f"{sys.executable} {script} {tmp_path / 'fail.txt'}"))
    ok(pos("order", "pack", "1"))
    result = pos("outbox", "send")
    refused(result, "1 messages could not be sent")
    assert "message 2: notify.command exited 2: gateway down" in result.stderr
    failed = json.loads(ok(pos("outbox", "list", "--state", "failed", "--json")))
    assert [(m["id"], m["attempts"], m["last_error"]) for m in failed] == [
        (2, 1, "notify.command exited 2: gateway down")]
    assert "gateway down" in ok(pos("outbox", "list"))
    ok(pos("config", "set", "notify.command", f"{sys.executable} {script} {sent}"))
    assert ok(pos("outbox", "retry")).strip() == "1 messages due again"
    assert ok(pos("outbox", "send")).startswith("sent 1, failed 0")
    assert sent.read_text().splitlines()[-1] == "Order ORD-000001 is packed."
    refused(pos("outbox", "retry", "99"), "no message 99")
    refused(pos("outbox", "list", "--state", "lost"), "unknown message state 'lost'")


def test_a_bad_template_is_refused_when_set(shop, pos, refused):
    refused(pos("config", "set", "notify.template.shipped", "Order {num} shipped"),
            "notify.template.shipped: unknown placeholder {num}; use {number}, {name}")
