"""A bounded load test: many real browser sessions changing filters at once.

Each session is its own Chromium browser context (so its own Streamlit session).
It opens the map, then until the deadline toggles "Cross-border only" and waits for
the incident count to change, timing each rerun as the user sees it (click to new
count).  Everything stops by itself at the deadline.  Used by tests/test_load.py and
``make reliability``.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from dataclasses import dataclass, field

from tests.browser import CHROMIUM, CHROMIUM_ARGS

COUNT = re.compile(r"^(\d+) incidents?$")


@dataclass
class LoadResult:
    sessions: int
    seconds: float
    reruns: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    sessions_held: int = 0

    def figures(self) -> dict[str, float | int]:
        lat = sorted(self.latencies)
        pct = (
            (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))], 3))
            if lat
            else (lambda q: float("nan"))
        )
        return {
            "sessions": self.sessions,
            "sessions_held": self.sessions_held,
            "seconds": self.seconds,
            "reruns": self.reruns,
            "errors": len(self.errors),
            "rerun_p50_s": round(statistics.median(lat), 3) if lat else float("nan"),
            "rerun_p95_s": pct(0.95),
            "rerun_max_s": round(lat[-1], 3) if lat else float("nan"),
            "first_errors": self.errors[:3],
        }


async def _count(page) -> int:
    text = await page.get_by_text(COUNT).first.inner_text()
    match = COUNT.match(text.strip())
    return int(match.group(1)) if match else -1


async def _open(browser, url: str, result: LoadResult, n: int):
    """A new session on the map page, or None (the failure is counted)."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    # The load is on the server: the map's own drawing (Leaflet in the component's
    # iframe) is skipped so that 20 renderers do not starve a small machine's server.
    await context.route("**/component/streamlit_folium*/**", lambda route: route.abort())
    page = await context.new_page()
    try:
        await page.goto(url, timeout=180_000)
        await page.get_by_text(COUNT).first.wait_for(timeout=180_000)
        return context, page
    except Exception as exc:
        result.errors.append(f"session {n} did not open: {type(exc).__name__}: {str(exc)[:200]}")
        await context.close()
        return None


async def _loop(page, deadline: float, result: LoadResult, n: int) -> None:
    toggle = page.get_by_text("Cross-border only")
    try:
        while time.monotonic() < deadline:
            before = await _count(page)
            start = time.monotonic()
            await toggle.click(timeout=120_000)
            await page.wait_for_function(
                """(before) => [...document.querySelectorAll('strong')]
                    .some(e => /^\\d+ incidents?$/.test(e.innerText || '')
                         && !e.innerText.startsWith(before + ' '))""",
                arg=before,
                timeout=120_000,
            )
            result.latencies.append(time.monotonic() - start)
            result.reruns += 1
            if await page.locator("[data-testid='stException']").count():
                result.errors.append(f"session {n}: exception shown on the page")
                return
        result.sessions_held += 1
    except Exception as exc:  # a timeout or a crash is a failed session, counted
        result.errors.append(f"session {n}: {type(exc).__name__}: {str(exc)[:200]}")


async def _run(url: str, sessions: int, seconds: float) -> LoadResult:
    from playwright.async_api import async_playwright

    result = LoadResult(sessions, seconds)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # One visit first, as a server already in use would have had: a fresh
            # server's very first runs settle its page navigation (see
            # pages/common.ensure_app_navigation).
            warm = await _open(browser, url, result, -1)
            if warm is not None:
                await warm[0].close()
            opened = await asyncio.gather(
                *(_open(browser, url, result, n) for n in range(sessions))
            )
            live = [o for o in opened if o is not None]
            deadline = time.monotonic() + seconds  # the timed window starts once all are open
            await asyncio.gather(
                *(_loop(page, deadline, result, n) for n, (_, page) in enumerate(live))
            )
            for context, _ in live:
                await context.close()
        finally:
            await browser.close()
    return result


def run_load(url: str, sessions: int = 20, seconds: float = 60.0) -> LoadResult:
    """Drive ``sessions`` concurrent browser sessions against ``url`` for ``seconds``."""
    return asyncio.run(_run(url, sessions, seconds))
