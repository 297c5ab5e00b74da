"""Tests for geo._gc: the collector pause is nestable, thread-safe and restores state."""

from __future__ import annotations

import gc
import threading

import pytest

from geo._gc import collector_paused


@pytest.fixture(autouse=True)
def _collector_on() -> None:
    gc.enable()


def test_paused_inside_restored_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_restore_only_at_the_outermost() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_beforehand_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_restored_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_overlapping_threads_restore_when_the_last_leaves() -> None:
    inside, release = threading.Barrier(3), threading.Event()

    def work() -> None:
        with collector_paused():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()
    assert not gc.isenabled()
    release.set()
    for t in threads:
        t.join()
    assert gc.isenabled()
