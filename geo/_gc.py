"""Pausing Python's cycle collector during bulk work (store writes, batch geocoding).

Building tens of thousands of row tuples and dicts triggers collections that walk
every live object (a caller's list of a million incidents included) again and again;
that alone can halve bulk throughput.  The objects built there form no reference
cycles, so reference counting frees them all the same while the collector rests.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["collector_paused"]

_LOCK = threading.Lock()
_pausers = 0
_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block.

    Nestable and thread-safe: the first to enter pauses it, and the last to leave
    restores it, only if it was on to begin with.
    """
    global _pausers, _was_enabled
    with _LOCK:
        if _pausers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _LOCK:
            _pausers -= 1
            if _pausers == 0 and _was_enabled:
                gc.enable()
