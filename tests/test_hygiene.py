"""House rules: the library never imports streamlit; pages use only geo's public API."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import geo

REPO = Path(__file__).resolve().parents[1]


def _geo_modules() -> list[str]:
    return sorted(
        f"geo.{m.name}" for m in pkgutil.iter_modules(geo.__path__) if m.name != "__main__"
    )


def test_importing_every_geo_module_never_imports_streamlit():
    code = (
        "import importlib, json, sys\n"
        f"for name in {_geo_modules()!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_public_api_names_exist():
    for name in geo.__all__:
        assert hasattr(geo, name), name


def _imported_geo_names(path: Path) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "geo":
            found |= {(node.module, alias.name) for alias in node.names}
        if isinstance(node, ast.Import):
            found |= {(a.name, "*") for a in node.names if a.name.startswith("geo.")}
    return found


def test_pages_import_only_public_names():
    files = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py"))]
    for path in files:
        for module, name in _imported_geo_names(path):
            assert module == "geo", f"{path.name} imports from {module}; use `from geo import …`"
            assert name in geo.__all__, f"{path.name} imports {name}, not in geo.__all__"
