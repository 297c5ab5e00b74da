"""Crash safety of imports, and the limits that protect the tool from huge input.

(SIGKILL during article ingest and two concurrent writers: tests/test_store_crash.py.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from geo._errors import ArticleError, DataFileError
from geo.importers import ACLED_COLUMNS, read_table
from geo.pipeline import extract_paths
from geo.settings import get_settings
from geo.store import open_store
from tests.test_importers import acled_rows, write_csv

REPO = Path(__file__).resolve().parents[1]
ROWS = 20_000


def _import(url: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "geo", "import", "acled", str(path), "--db", url, "--no-provinces"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "GEO_BOUNDARIES_DIR": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_sigkill_during_import_then_rerun_has_no_duplicates(tmp_path):
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, acled_rows(ROWS))
    url = f"sqlite:///{tmp_path / 'import.db'}"
    proc = _import(url, path)
    assert proc.stderr is not None
    for line in proc.stderr:  # the first committed chunk is announced on stderr
        if line.startswith("[5000/") and line.rstrip().endswith(" rows"):
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with open_store(url) as store:
        assert store.integrity_problems() == []
        partial = store.count()
    assert 0 < partial < ROWS and partial % 5_000 == 0  # whole chunks only
    _, err = _import(url, path).communicate(timeout=600)
    with open_store(url) as store:
        assert store.count() == ROWS, err
        assert store.integrity_problems() == []


def test_import_row_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_MAX_IMPORT_ROWS", "10")
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, acled_rows(11))
    with pytest.raises(DataFileError, match="GEO_MAX_IMPORT_ROWS=10"):
        read_table("acled", path, get_settings(), provinces=False)


def test_batch_file_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_MAX_BATCH_FILES", "2")
    for n in range(3):
        (tmp_path / f"a{n}.txt").write_text("Nothing happened anywhere.\n")
    with pytest.raises(ArticleError, match="GEO_MAX_BATCH_FILES=2"):
        extract_paths([tmp_path], settings=get_settings())
