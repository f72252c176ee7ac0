"""The till's tests start with the demo lane's shift open, as a shop's day does."""

from __future__ import annotations

import pytest

from pos_tui.config import Settings


@pytest.fixture
def demo_store(demo_store: Settings) -> Settings:
    """The demo store with a shift open on its lane (opened here when the demo did not open one)."""
    from pos_tui.services.context import Actor
    from pos_tui.services.shifts import break_down, current_shift, open_shift

    if current_shift(demo_store.get("lane")) is None:
        open_shift(Actor.cli(), demo_store, counts=break_down(demo_store, 10000))
    return demo_store


@pytest.fixture
def no_shift(demo_store: Settings) -> Settings:
    """The demo store with its lane's shift closed (whoever opened it): the till asks for a float."""
    from pos_tui.services.context import Actor
    from pos_tui.services.shifts import break_down, close_shift, current_shift, expected_cash

    lane = demo_store.get("lane")
    if current_shift(lane) is not None:
        close_shift(Actor.cli(), demo_store, counts=break_down(demo_store, expected_cash(lane)))
    return demo_store
