"""Helpers for real-browser tests: a Streamlit server on a free port and headless Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    """Skip with a clear message when the Debian chromium package is missing."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it when run as root)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp,
        ):
            if resp.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"streamlit did not answer at {url} within {timeout} s")


@contextlib.contextmanager
def streamlit_server(env: dict[str, str] | None = None, repo: Path = REPO) -> Iterator[str]:
    """Run ``streamlit run app.py`` of ``repo`` on a free port; yields its base URL.

    ``repo`` may be another checkout (the benchmarks run an earlier version beside
    this one); its own ``geo`` package is imported first.
    """
    port = _free_port()
    log = REPO / "tests" / "output"
    log.mkdir(parents=True, exist_ok=True)
    with open(log / f"streamlit-{port}.log", "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=repo,
            env={**os.environ, "PYTHONPATH": str(repo), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextlib.contextmanager
def chromium_page(width: int = 1400, height: int = 1000) -> Iterator[object]:
    """A Playwright page in the system Chromium (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(60_000)  # CI machines are small and shared
            yield page
        finally:
            browser.close()


def many_incidents(n: int, seed: int = 7, shared: int = 40) -> list:
    """``n`` generated incidents over the first half of 2019 (a historical dataset).

    ``shared`` of them sit on exactly one spot (Taloqan), as geocoded reports of one
    town do; the rest are spread over a dozen provinces of the region, a few located
    only to their province.  Used by the browser tests at scale and the screenshots.
    """
    import random
    from datetime import date, timedelta

    from geo.incidents import Evidence, Incident, Source

    spots = [
        ("AF", "Kabul", "AF-KAB", 34.53, 69.17), ("AF", "Kandahar", "AF-KAN", 31.61, 65.71),
        ("AF", "Nangarhar", "AF-NAN", 34.43, 70.45), ("AF", "Helmand", "AF-HEL", 31.58, 64.36),
        ("AF", "Herat", "AF-HER", 34.35, 62.2), ("AF", "Balkh", "AF-BAL", 36.71, 67.11),
        ("AF", "Kunduz", "AF-KDZ", 36.73, 68.86), ("AF", "Ghazni", "AF-GHA", 33.55, 68.42),
        ("PK", "Khyber Pakhtunkhwa", "PK-KP", 34.01, 71.58),
        ("PK", "Balochistan", "PK-BA", 30.18, 66.99),
    ]  # fmt: skip
    types = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        at_spot = i < shared
        iso2, admin1, code, lat, lon = (
            ("AF", "Takhar", "AF-TAK", 36.736, 69.535) if at_spot else rng.choice(spots)
        )
        vague = not at_spot and rng.random() < 0.04
        out.append(
            Incident(
                f"g{i:05d}",
                date(2019, 1, 1)
                + timedelta(days=(i * 181) // n if at_spot else rng.randrange(181)),
                "Taloqan" if at_spot else f"{admin1} place {rng.randrange(300)}",
                lat if at_spot or vague else lat + rng.gauss(0, 0.35),
                lon if at_spot or vague else lon + rng.gauss(0, 0.35),
                event_type=types[i % 4] if at_spot else rng.choice(types),
                geo_precision="province" if vague else "exact",
                country_iso2=iso2,
                admin1=admin1,
                admin1_iso=code,
                fatalities_best=rng.choice([None, 0, 1, 2, 4, 9]),
                sources=[Source(f"gen{i}", publisher="Generated outlet")],
                evidence=[
                    Evidence("event_date", "A sentence written for the test.", f"gen{i}", 0, 9)
                ],
            )
        )
    return out
