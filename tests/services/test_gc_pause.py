"""The collector is paused for bulk work and left as it was found, even when the work fails."""

from __future__ import annotations

import gc

import pytest

from pos_tui.services.gc_pause import gc_paused


def test_a_pause_ends_with_the_collector_on_even_after_a_failure():
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with gc_paused():
            assert not gc.isenabled()
            raise ValueError("a bad row")
    assert gc.isenabled()


def test_a_pause_inside_another_leaves_the_collector_off_until_the_outer_one_ends():
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
