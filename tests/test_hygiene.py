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


# --------------------------------------------------------------------------- layout (issue 14)

#: Most lines one module under geo/ may have ("about 800": a module past it holds two jobs).
MAX_MODULE_LINES = 850
#: Modules allowed to import project modules inside a function, and why.
LATE_IMPORTS_ALLOWED = {
    "geo.cli": "each subcommand imports only what it runs, so `geo --help` starts fast",
}
#: Stages the store must never import (DESIGN.md: imports point one way).
ABOVE_THE_STORE = ("geo.pipeline", "geo.extract", "geo.geocode", "geo.gazetteer", "geo.articles",
                   "geo.boundaries", "geo.review", "geo.maps", "geo.report")  # fmt: skip


def _module_files() -> dict[str, Path]:
    out = {}
    for path in sorted((REPO / "geo").rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(node: ast.ImportFrom) -> list[str]:
    """Project modules an ``from X import a, b`` names (X itself, or X.a when a is a module)."""
    assert node.level == 0, "the project uses absolute imports only"
    name = node.module or ""
    if name.split(".")[0] != "geo":
        return []
    files = _module_files()
    subs = [f"{name}.{a.name}" for a in node.names if f"{name}.{a.name}" in files]
    return subs or [name]


def _imports(module: str, path: Path) -> tuple[set[str], set[str]]:
    """(module-level imports, imports inside functions) of project modules."""
    top: set[str] = set()
    late: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
    }
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            names = _resolve(node)
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.split(".")[0] == "geo"]
        (late if id(node) in inner else top).update(names)
    return top, late


def test_no_module_is_too_long():
    long = {
        name: n
        for name, path in _module_files().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these modules (lines): {long}"


def test_no_project_import_inside_a_function():
    late = {
        name: sorted(found)
        for name, path in _module_files().items()
        if name not in LATE_IMPORTS_ALLOWED and (found := _imports(name, path)[1])
    }
    assert late == {}, f"move these imports to the top of the module: {late}"


def _graph() -> dict[str, set[str]]:
    files = _module_files()
    return {name: {m for m in _imports(name, path)[0] if m in files and m != name}
            for name, path in files.items()}  # fmt: skip


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle among modules other than the ``geo`` package itself, or []."""
    colour: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt == "geo":
                continue
            if colour.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in colour and (found := visit(nxt)):
                return found
        stack.pop()
        colour[node] = 2
        return []

    for start in sorted(graph):
        if start not in colour and (found := visit(start)):
            return found
    return []


def test_no_import_cycle_among_geo_modules():
    graph = _graph()
    assert _cycle(graph) == []
    importers_of_geo = sorted(n for n, deps in graph.items() if "geo" in deps and n != "geo")
    assert importers_of_geo == [], "import from the module, not from the `geo` package"


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_the_store_never_imports_the_stages_above_it():
    graph = _graph()
    store = {n: deps for n, deps in graph.items() if n == "geo.store" or n.startswith("geo.store.")}
    bad = {n: sorted(d for d in deps if d.startswith(ABOVE_THE_STORE)) for n, deps in store.items()}
    assert {n: d for n, d in bad.items() if d} == {}
