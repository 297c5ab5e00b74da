"""geo.pipeline: the one batch runner (inputs, per-input status, progress, chunked import)."""

from __future__ import annotations

from datetime import date

import pytest

from geo._errors import ArticleError
from geo.incidents import Incident
from geo.pipeline import expand_inputs, extract_paths, import_incidents, iter_chunks
from geo.settings import get_settings
from geo.store import open_store


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>a</p>", encoding="utf-8")
    (tmp_path / "skip.csv").write_text("x", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.md").write_text("c", encoding="utf-8")
    return tmp_path


def test_expand_inputs_keeps_order_and_reads_folders(folder):
    got = expand_inputs(["https://example.org/x", folder, folder / "skip.csv"])
    assert got[0] == "https://example.org/x"
    assert [p.rsplit("/", 1)[-1] for p in got[1:]] == ["a.html", "b.txt", "c.md", "skip.csv"]


def test_expand_inputs_refuses_a_batch_over_the_limit(folder):
    settings = get_settings({"GEO_MAX_BATCH_FILES": "2"})
    assert len(expand_inputs([folder / "a.html", folder / "b.txt"], settings)) == 2
    with pytest.raises(ArticleError, match="GEO_MAX_BATCH_FILES=2"):
        expand_inputs([folder], settings)


class _NoPlaces:
    def find_places(self, text):
        return []

    def resolve(self, name, country=None, admin1=None, context=None, context_places=()):
        raise LookupError(name)


def test_extract_paths_gives_every_input_a_status_and_reports_progress(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Nothing happened anywhere on 3 May 2021.\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    seen: list[tuple[int, int]] = []
    batch = extract_paths(
        [good, missing], published=date(2021, 5, 4), geocoder=_NoPlaces(),
        progress=lambda done, total, item: seen.append((done, total)),
    )  # fmt: skip
    status = {f.path.rsplit("/", 1)[-1]: f.status for f in batch.files}
    assert status == {"good.txt": "no_incident", "missing.txt": "error"}
    assert any(p.kind == "article" and "missing.txt" in p.source for p in batch.problems)
    assert seen == [(1, 2), (2, 2)]


@pytest.mark.parametrize(
    ("n", "size", "sizes"),
    [(0, 3, []), (3, 3, [3]), (7, 3, [3, 3, 1]), (2, 5, [2])],
)
def test_iter_chunks(n, size, sizes):
    assert [len(c) for c in iter_chunks(range(n), size)] == sizes


def _incident(n: int) -> Incident:
    return Incident(
        incident_id=f"imp-{n}",
        event_date=date(2021, 1, 1 + n % 28),
        location_name="Somewhere",
        lat=34.5,
        lon=69.2 + n / 100,
        country_iso2="AF",
    )


def test_import_counts_rows_never_beyond_the_total(tmp_path):
    rows = [_incident(n) for n in range(7)]
    seen: list[tuple[int, int]] = []
    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        summary = import_incidents(
            store, rows, chunk_size=3, progress=lambda d, t, _: seen.append((d, t))
        )
        assert store.count() == 7
    assert summary.new == 7
    assert seen == [(3, 7), (6, 7), (7, 7)]
