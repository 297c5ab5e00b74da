"""Crash safety and concurrency of the incident store (geo/store/), with real processes.

A writer killed with SIGKILL in the middle of a batch must leave a database that
opens, passes ``integrity_check`` and holds only whole articles; re-running the
batch completes without duplicates.  Two processes writing at once lose nothing.
Both run on SQLite and, with ``GEO_TEST_POSTGRES_URL`` set, on PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.store import open_store
from tests.test_store import BACKENDS, scratch_url

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

PER_ARTICLE = 3

# Ingests articles FIRST..LAST-1, each with PER_ARTICLE incidents; prints each article
# number after its transaction commits.
WRITER = """
import sys
from datetime import date, timedelta
from geo.incidents import Incident
from geo.store import open_store

url, first, last, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open_store(url) as store:
    for k in range(first, last):
        incidents = [
            Incident(
                incident_id=f"art{k}-inc{j}",
                event_date=date(2020, 1, 1) + timedelta(days=k),
                location_name=f"Place {k}-{j}",
                lat=30.0 + j,
                lon=60.0 + (k % 20),
                country_iso2="AF",
                event_type=("Battles", "Riots", "Protests")[j % 3],
                actors=[f"Group {j}", "Other side"],
                evidence=[],
            )
            for j in range(per)
        ]
        store.ingest_article(f"article number {k} " + "text " * 200, {"title": f"a{k}"}, incidents)
        print(k, flush=True)
"""


def _writer(url: str, first: int, last: int) -> subprocess.Popen[str]:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(first), str(last), str(PER_ARTICLE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        env=env,
    )


def _check_consistent(url: str) -> tuple[int, int]:
    """Assert the store is whole; return (incidents, articles)."""
    with open_store(url) as store:
        assert store.integrity_problems() == []
        conn = store._conn
        articles = conn.execute("SELECT count(*) FROM sources").fetchone()[0]
        incidents = store.count()
        creates = conn.execute("SELECT count(*) FROM history WHERE action = 'create'").fetchone()[0]
        links = conn.execute("SELECT count(*) FROM incident_sources").fetchone()[0]
        actors = conn.execute("SELECT count(*) FROM incident_actors").fetchone()[0]
    assert incidents == PER_ARTICLE * articles == creates == links
    assert actors == 2 * incidents
    return incidents, articles


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_url(request.param, tmp_path, "crash") as found:
        yield found


def test_sigkill_mid_batch_leaves_whole_articles(url: str) -> None:
    total = 400
    proc = _writer(url, 0, total)
    assert proc.stdout is not None
    committed = [int(proc.stdout.readline()) for _ in range(25)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    _, articles = _check_consistent(url)
    assert committed[-1] + 1 <= articles < total
    rerun = _writer(url, 0, total)
    _, err = rerun.communicate(timeout=240)
    assert rerun.returncode == 0, err
    assert _check_consistent(url) == (PER_ARTICLE * total, total)


def test_two_processes_writing_at_once_lose_nothing(url: str) -> None:
    with open_store(url):
        pass  # create the schema once so both writers start on equal terms
    procs = [_writer(url, 0, 150), _writer(url, 100, 250)]
    deadline = time.monotonic() + 240
    results = [p.communicate(timeout=max(1.0, deadline - time.monotonic())) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    assert _check_consistent(url) == (PER_ARTICLE * 250, 250)
