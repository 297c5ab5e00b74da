"""``make reliability``: hostile input, fuzzing, crashes, concurrency and load, with figures.

Runs the suite's reliability tests (heavier fuzzing than the default run) and prints one
table and a JSON line:

* inputs tried by the fuzzers, and untyped exceptions found (must be 0);
* scripts executed and dialogs opened in the real browser by hostile text (must be 0);
* crashes survived (SIGKILL during ingest and during import), rows lost (must be 0);
* concurrent writers without "database is locked";
* browser sessions held under load, reruns, p50/p95 rerun time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "output"


def _pytest(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args]
    proc = subprocess.run(
        cmd, cwd=REPO, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    return proc.returncode, proc.stdout + proc.stderr


def _count(pattern: str, text: str) -> int:
    return sum(int(m) for m in re.findall(pattern, text))


def main() -> int:
    figures: dict[str, object] = {}
    code, out = _pytest(
        "tests/test_fuzz.py",
        "--hypothesis-show-statistics",
        env={"HYPOTHESIS_PROFILE": "reliability"},
    )
    figures["fuzz_inputs_tried"] = _count(r"(\d+) passing,", out) + _count(r"(\d+) failing,", out)
    figures["untyped_exceptions"] = _count(r"(\d+) failing,", out) + (1 if code else 0)

    code_sec, _ = _pytest(
        "tests/test_security_browser.py", "tests/test_security.py", "tests/test_security_app.py"
    )
    sec = json.loads((OUTPUT / "security.json").read_text()) if not code_sec else {}
    figures["hostile_payloads"] = sec.get("payloads")
    figures["scripts_executed_in_browser"] = sec.get("scripts_executed", "failed")
    figures["dialogs_opened"] = sec.get("dialogs", "failed")

    code_crash, out_crash = _pytest("tests/test_store_crash.py", "tests/test_reliability.py", "-rA")
    figures["crashes_survived"] = len(re.findall(r"PASSED \S+sigkill", out_crash))
    figures["concurrent_writer_runs_without_lock_errors"] = len(
        re.findall(r"PASSED \S+two_processes", out_crash)
    )
    figures["rows_lost"] = 0 if code_crash == 0 else "see test output"

    code_load, _ = _pytest("tests/test_load.py")
    load = json.loads((OUTPUT / "load.json").read_text()) if (OUTPUT / "load.json").exists() else {}
    figures["load"] = load
    failed = any((code, code_sec, code_crash, code_load))
    for key, value in figures.items():
        print(f"{key:45} {value}")
    print(json.dumps({"reliability": figures, "ok": not failed}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
