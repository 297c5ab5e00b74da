"""Bounded load test in CI: concurrent browser sessions change filters; no errors.

20 sessions for 60 s by default (``GEO_LOAD_SESSIONS``, ``GEO_LOAD_SECONDS``); the
figures (reruns, p50/p95 rerun time as the user sees it) go to tests/output/load.json.
No timing is asserted: speed is reported, not tested.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.browser import require_chromium, streamlit_server
from tests.load import run_load

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_concurrent_sessions_change_filters_without_errors(shared_settings, tmp_path, output_dir):
    require_chromium()
    sessions = int(os.environ.get("GEO_LOAD_SESSIONS", "20"))
    seconds = float(os.environ.get("GEO_LOAD_SECONDS", "60"))
    with streamlit_server({"GEO_DATABASE_URL": f"sqlite:///{tmp_path / 'load.db'}"}) as url:
        result = run_load(url, sessions, seconds)
    figures = result.figures()
    (output_dir / "load.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps({"load": figures}))
    assert result.errors == []
    assert result.sessions_held == sessions
    assert result.reruns >= sessions  # every session completed at least one rerun
