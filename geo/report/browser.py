"""Headless Chromium (Playwright) photographing report pages, one browser kept between renders.

Nothing happens at import: the kept browser, its worker thread, the screenshot
cache and the exit hook that closes the browser are all made by the first
render that needs them (:func:`screenshot`).

Playwright's sync API is bound to the thread that started it, so the kept
Chromium lives in a worker thread (:class:`_BrowserWorker`) and renders hand it
jobs.  It closes after :data:`BROWSER_IDLE_S` idle seconds, at exit or on
:func:`close_browser`; any failure of it falls back to a browser launched for
that one page.  Without tiles the page alone decides the picture, so the last
few screenshots are kept by the page's SHA-256.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import queue
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from geo._errors import ReportError
from geo.report.view import DEVICE_SCALE, VIEWPORT

__all__ = [
    "BROWSER_IDLE_S",
    "CHROMIUM_ARGS",
    "CHROMIUM_PATHS",
    "REUSE_BROWSER",
    "close_browser",
    "find_chromium",
    "forget_screenshots",
    "running_worker",
    "screenshot",
]

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--font-render-hinting=none",
]  # fmt: skip
#: Keep one headless Chromium between PNG renders (in a worker thread; see close_browser).
REUSE_BROWSER = True
#: Seconds without a render after which the kept browser closes itself.
BROWSER_IDLE_S = 300.0
BROWSER_TIMEOUT_MS = 30_000
_SHOT_CACHE_SIZE = 4


def find_chromium() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    for path in CHROMIUM_PATHS:
        if Path(path).is_file():
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


# --------------------------------------------------------------------- one page, one picture


def _block_network(route: Any) -> None:
    route.abort()


def _context_options() -> dict[str, Any]:
    """Everything about the browser page that decides the picture (same for every render)."""
    return {
        "viewport": {"width": VIEWPORT[0], "height": VIEWPORT[1]},
        "device_scale_factor": DEVICE_SCALE,
        "locale": "en-US",
        "timezone_id": "UTC",
        "reduced_motion": "reduce",
    }


def open_page(browser: Any, tiles: bool) -> Any:
    """A new page in its own context; every request blocked unless tiles are wanted."""
    page = browser.new_context(**_context_options()).new_page()
    if not tiles:
        page.route("http*://**/*", _block_network)
    return page


def photograph(page: Any) -> tuple[bytes, int]:
    """Wait for the page's "every layer drawn" flag; the screenshot and the tile errors."""
    page.wait_for_function(
        "window.__geoReportReady === true", timeout=BROWSER_TIMEOUT_MS, polling="raf"
    )
    tile_errors = int(page.evaluate("window.__geoTileErrors || 0"))
    return page.screenshot(type="png", animations="disabled"), tile_errors


def fresh_screenshot(page_html: str, chromium: str, tiles: bool) -> tuple[bytes, int]:
    """Launch Chromium for this one page (the fallback when the kept browser fails)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = open_page(browser, tiles)
            page.set_content(page_html, wait_until="load", timeout=BROWSER_TIMEOUT_MS)
            return photograph(page)
        finally:
            browser.close()


# ------------------------------------------------------------------------- the worker


class _Shot:
    """One screenshot asked of the browser worker, and its answer."""

    def __init__(self, page_html: str, tiles: bool) -> None:
        self.page_html = page_html
        self.tiles = tiles
        self.done = threading.Event()
        self.png = b""
        self.tile_errors = 0
        self.error: BaseException | None = None


class _BrowserWorker:
    """A thread that owns one headless Chromium and photographs pages from a queue.

    Each render loads the page from a file in a private temporary folder into one
    of two long-lived pages (network blocked, or open for tiles); loading a new
    document resets all page state.  The worker stops after ``idle_s`` without
    work, on :meth:`close`, or after any browser error (the job gets the error
    and the next render starts a new worker).
    """

    def __init__(self, chromium: str, idle_s: float) -> None:
        self.chromium = chromium
        self.idle_s = idle_s
        self._jobs: queue.Queue[_Shot | None] = queue.Queue()
        self._lock = threading.Lock()
        self._open = True
        self.thread = threading.Thread(target=self._run, name="geo-report-browser", daemon=True)
        self.thread.start()

    def submit(self, shot: _Shot) -> bool:
        """Queue ``shot``; False when the worker is stopping (start another)."""
        with self._lock:
            if self._open:
                self._jobs.put(shot)
            return self._open

    def close(self, wait_s: float = 10.0) -> None:
        """Stop taking work, finish the queued jobs, close the browser (wait ``wait_s``)."""
        with self._lock:
            self._open = False
        self._jobs.put(None)
        if wait_s > 0 and threading.current_thread() is not self.thread:
            self.thread.join(wait_s)

    def _next(self) -> _Shot | None:
        while True:
            try:
                return self._jobs.get(timeout=self.idle_s)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._open = False
                        return None

    def _serve(self, shot: _Shot, browser: Any, pages: dict[bool, Any], folder: Path) -> None:
        page = pages.get(shot.tiles)
        if page is None:
            page = pages[shot.tiles] = open_page(browser, shot.tiles)
        path = folder / ("tiles.html" if shot.tiles else "page.html")
        path.write_text(shot.page_html, encoding="utf-8")
        page.goto(path.as_uri(), wait_until="load", timeout=BROWSER_TIMEOUT_MS)
        shot.png, shot.tile_errors = photograph(page)

    def _loop(self, browser: Any, folder: Path) -> None:
        pages: dict[bool, Any] = {}
        while (shot := self._next()) is not None:
            try:
                self._serve(shot, browser, pages, folder)
            except BaseException as exc:  # the browser's state is unknown now: stop
                shot.error = exc
                return
            finally:
                shot.done.set()

    def _run(self) -> None:
        failure: BaseException | None = None
        try:
            from playwright.sync_api import sync_playwright

            with tempfile.TemporaryDirectory(prefix="geo-report-") as tmp, sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=self.chromium, args=CHROMIUM_ARGS)
                try:
                    self._loop(browser, Path(tmp))
                finally:
                    with self._lock:
                        self._open = False
                    browser.close()
        except BaseException as exc:  # launch failed or the browser died: tell the waiters
            failure = exc
        finally:
            with self._lock:
                self._open = False
            self._fail_pending(failure)

    def _fail_pending(self, failure: BaseException | None) -> None:
        while True:
            try:
                shot = self._jobs.get_nowait()
            except queue.Empty:
                return
            if shot is not None:
                shot.error = failure or ReportError("the browser worker stopped")
                shot.done.set()


# ------------------------------------------------------- the kept browser (made on first use)


class _Kept:
    """This process's kept browser worker and its last few screenshots."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.worker: _BrowserWorker | None = None
        self.shots: OrderedDict[str, bytes] = OrderedDict()

    def submit(self, shot: _Shot, chromium: str) -> _BrowserWorker:
        """Hand ``shot`` to the worker, starting one when there is none (or it is stopping)."""
        with self.lock:
            worker = self.worker
            if worker is not None and worker.chromium == chromium and worker.submit(shot):
                return worker
            if worker is not None:
                worker.close(wait_s=0)
            worker = self.worker = _BrowserWorker(chromium, BROWSER_IDLE_S)
            if not worker.submit(shot):
                raise ReportError("the browser worker stopped before it started")
            return worker

    def discard(self, worker: _BrowserWorker) -> None:
        """Forget ``worker`` (it failed or hangs) and tell it to stop."""
        with self.lock:
            if self.worker is worker:
                self.worker = None
        worker.close(wait_s=0)

    def cached(self, key: str) -> bytes | None:
        with self.lock:
            png = self.shots.get(key)
            if png is not None:
                self.shots.move_to_end(key)
            return png

    def keep(self, key: str, png: bytes) -> None:
        with self.lock:
            self.shots[key] = png
            while len(self.shots) > _SHOT_CACHE_SIZE:
                self.shots.popitem(last=False)


_KEPT: _Kept | None = None
_KEPT_LOCK = threading.Lock()
_EXIT_HOOK = False


def _kept() -> _Kept:
    """The process's kept-browser state, made (and the exit hook registered) on first use."""
    global _KEPT, _EXIT_HOOK
    with _KEPT_LOCK:
        if _KEPT is None or _KEPT.pid != os.getpid():  # a forked child starts its own
            _KEPT = _Kept()
        if not _EXIT_HOOK:
            atexit.register(close_browser)
            _EXIT_HOOK = True
        return _KEPT


def _existing() -> _Kept | None:
    with _KEPT_LOCK:
        return _KEPT if _KEPT is not None and _KEPT.pid == os.getpid() else None


def running_worker() -> _BrowserWorker | None:
    """The kept browser's worker when one has been started in this process and not closed."""
    kept = _existing()
    return kept.worker if kept is not None else None


def forget_screenshots() -> None:
    """Drop the kept screenshots (the next render of any page photographs it again)."""
    kept = _existing()
    if kept is not None:
        with kept.lock:
            kept.shots.clear()


def close_browser(wait_s: float = 10.0) -> None:
    """Close the headless Chromium kept between PNG renders, if one is running.

    It also closes by itself after :data:`BROWSER_IDLE_S` seconds without work and
    when the interpreter exits; the next render starts a new one.
    """
    kept = _existing()
    if kept is None:
        return
    with kept.lock:
        worker, kept.worker = kept.worker, None
    if worker is not None:
        worker.close(wait_s)


def shared_screenshot(page_html: str, chromium: str, tiles: bool) -> tuple[bytes, int]:
    """Photograph ``page_html`` with the kept Chromium (started when needed)."""
    kept = _kept()
    shot = _Shot(page_html, tiles)
    worker = kept.submit(shot, chromium)
    if not shot.done.wait(BROWSER_TIMEOUT_MS / 1000 * 3):
        kept.discard(worker)
        raise ReportError(f"the shared browser did not answer in {BROWSER_TIMEOUT_MS * 3} ms")
    if shot.error is not None:
        kept.discard(worker)
        raise shot.error
    return shot.png, shot.tile_errors


def screenshot(page_html: str, chromium: str, tiles: bool) -> bytes:
    """Photograph ``page_html`` in headless Chromium once the map has finished drawing.

    The kept browser (:func:`shared_screenshot`) when :data:`REUSE_BROWSER`,
    else, or when it fails, a browser launched for this page.  Without tiles the
    page alone decides the picture, so the last few screenshots are kept by the
    page's SHA-256 (a PDF after a PNG of the same view costs no second render).

    Raises
    ------
    ReportError
        With ``tiles``, when any tile failed to load.
    """
    kept = _kept()
    key = hashlib.sha256(page_html.encode("utf-8")).hexdigest()
    cached = None if tiles else kept.cached(key)
    if cached is not None:
        return cached
    png, tile_errors = b"", 0
    if REUSE_BROWSER:
        try:
            png, tile_errors = shared_screenshot(page_html, chromium, tiles)
        except Exception:  # any failure of the kept browser: one fresh launch instead
            png = b""
    if not png:
        png, tile_errors = fresh_screenshot(page_html, chromium, tiles)
    if tiles and tile_errors > 0:
        raise ReportError("some map tiles could not be loaded (offline?)")
    if not tiles:
        kept.keep(key, png)
    return png
