"""The till's outbox sender: a thread that sends due messages when a notify command is set, and only then."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from pos_tui.db.models import OutboxMessage
from pos_tui.services.outbox_worker import OutboxWorker
from tests.services.conftest import TEA
from tests.services.order_helpers import make_shop, order


@pytest.fixture
def shop(store, admin_actor):
    return make_shop(store, admin_actor)


def _until(condition, what: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _states() -> list[str]:
    return [m.state for m in OutboxMessage.select().order_by(OutboxMessage.id)]


def test_without_a_command_no_thread_starts_and_messages_wait(shop):
    order(shop, (TEA, "1"))
    worker = OutboxWorker(shop.settings, every_s=0.05)
    worker.start()
    try:
        assert worker._thread is None
    finally:
        worker.stop()
    assert _states() == ["queued"]


def test_with_a_command_the_thread_sends_what_is_due_and_again_when_woken(shop, tmp_path: Path):
    out = tmp_path / "sent.jsonl"
    script = tmp_path / "send.py"
    script.write_text(f"import sys\nopen({str(out)!r}, 'a', encoding='utf-8').write(sys.stdin.read() + '\\n')\n",
                      encoding="utf-8")
    shop.settings.set("notify.command", f"{sys.executable} {script}")
    first = order(shop, (TEA, "1"))
    worker = OutboxWorker(shop.settings, every_s=3600)  # only the first pass and wake() send
    worker.start()
    try:
        _until(lambda: _states() == ["sent"], "the first message sent")
        second = order(shop, (TEA, "1"))
        worker.wake()
        _until(lambda: _states() == ["sent", "sent"], "the second message sent after wake()")
    finally:
        worker.stop()
    sent = [json.loads(line)["order"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sent == [first.number, second.number]
    assert worker.problem is None and worker.last.sent == 1


def test_a_failing_pass_is_kept_as_the_problem_and_the_loop_goes_on(shop, monkeypatch):
    shop.settings.set("notify.command", "true")
    calls = []

    def broken(settings):
        calls.append(1)
        raise RuntimeError("database is locked")

    monkeypatch.setattr("pos_tui.services.outbox_worker.send_due", broken)
    worker = OutboxWorker(shop.settings, every_s=0.01)
    worker.start()
    try:
        _until(lambda: len(calls) >= 2, "a second pass after the failure")
    finally:
        worker.stop()
    assert worker.problem == "outbox: RuntimeError: database is locked"
