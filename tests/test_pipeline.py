"""geo.pipeline: the one batch runner (inputs, per-input status, progress, chunked import)."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from geo._errors import ArticleError
from geo.incidents import Incident
from geo.pipeline import (
    ArticleInput,
    expand_inputs,
    extract_paths,
    import_incidents,
    ingest_paths,
    iter_chunks,
    read_manifest,
)
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


# ------------------------------------------------------------------ manifest (issue 16)
class _Khost:
    """One place, Khost province, for manifest tests without the gazetteer."""

    def find_places(self, text):
        from types import SimpleNamespace

        at = text.find("Khost")
        return [] if at < 0 else [SimpleNamespace(start=at, end=at + 5, surface="Khost")]

    def resolve(self, name, country=None, admin1=None, context=None, context_places=()):
        from types import SimpleNamespace

        if name != "Khost":
            return SimpleNamespace(status="unresolved", best=None, candidates=[])
        best = SimpleNamespace(
            name="Khost", lat=33.36, lon=69.82, country_iso2="AF", admin1="Khost",
            admin1_iso="AF-KHO", geo_precision="province", score=0.95, matched_name="Khost",
            feature="admin1", population=0,
        )  # fmt: skip
        return SimpleNamespace(status="resolved", best=best, candidates=[best])


@pytest.fixture
def manifest(tmp_path):
    (tmp_path / "pr1.txt").write_text(
        "(March 4) Coalition forces killed two insurgents in Khost province.", encoding="utf-8"
    )
    (tmp_path / "pr2.txt").write_text(
        "(June 9) Afghan forces detained a facilitator in Khost province.", encoding="utf-8"
    )
    path = tmp_path / "batch.csv"
    path.write_text(
        "path,url,published,publisher,title\n"
        "pr1.txt,,2011-03-05,ISAF,Two insurgents killed\n"
        ",,2011-01-01,nobody,a row without an article\n"
        "pr2.txt,,09/06/2012,,\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("header_and_row", "expected"),
    [
        ("path,published,publisher,title\na.txt,2011-03-05,ISAF,T",
         ArticleInput("a.txt", date(2011, 3, 5), "ISAF", "T")),
        ("url,published\nhttps://example.org/x,", ArticleInput("https://example.org/x")),
        ("PATH,Title\nb.txt,Only a title", ArticleInput("b.txt", title="Only a title")),
        ("path\nc.html", ArticleInput("c.html")),
    ],
)  # fmt: skip
def test_manifest_columns_any_may_be_empty(tmp_path, header_and_row, expected):
    path = tmp_path / "m.csv"
    path.write_text(header_and_row + "\n", encoding="utf-8")
    (got,), problems = read_manifest(path)
    if not expected.item.startswith("http"):
        expected = ArticleInput(str(tmp_path / expected.item), *list(vars(expected).values())[1:])
    assert got == expected and problems == []


def test_manifest_bad_rows_are_listed_with_their_line(manifest):
    inputs, problems = read_manifest(manifest)
    assert [i.item.rsplit("/", 1)[-1] for i in inputs] == ["pr1.txt", "pr2.txt"]
    assert inputs[1].published is None  # unreadable date: article kept, date dropped, listed
    assert [p.message.split(":")[0] for p in problems] == [
        "line 3",
        f"{manifest}, line 4, column 'published'",
    ]


def test_manifest_without_a_path_or_url_column_is_refused(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("file,published\na.txt,2011-01-01\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="'path' or 'url' column"):
        read_manifest(path)


def test_extract_with_a_manifest_keeps_each_articles_metadata(manifest):
    batch = extract_paths([], manifest=manifest, geocoder=_Khost())
    first = next(i for i in batch.incidents if i.event_date.month == 3)
    # "(March 4)" takes its year from the publication date the manifest gives
    assert first.event_date == date(2011, 3, 4)
    (source,) = first.sources
    assert (source.publisher, source.title, source.published) == (
        "ISAF", "Two insurgents killed", "2011-03-05",
    )  # fmt: skip
    assert any(p.kind == "manifest" and "line 3" in p.message for p in batch.problems)


def test_ingest_with_a_manifest_stores_the_metadata(manifest, tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'm.db'}") as store:
        summary = ingest_paths(store, [], manifest=manifest, geocoder=_Khost())
        stored = [store.get(i) for i in summary.incident_ids]
    assert summary.articles_new == 2 and any("line 3" in line for line in summary.problems)
    march = [i for i in stored if i is not None and i.event_date == date(2011, 3, 4)]
    assert march and march[0].sources[0].publisher == "ISAF"


@pytest.mark.skipif(
    not (os.environ.get("GEO_GAZETTEER_DIR") and os.environ.get("GEO_BOUNDARIES_DIR")),
    reason="the CLI runs the real gazetteer and boundaries",
)
def test_cli_extract_reads_a_manifest(manifest, tmp_path, capsys):
    from geo.cli import main

    out = tmp_path / "out.json"
    assert main(["extract", "--manifest", str(manifest), "--json", str(out)]) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert any(
        r["event_date"] == "2011-03-04" and r["sources"][0]["publisher"] == "ISAF" for r in records
    )
    assert "line 3: no path or url" in capsys.readouterr().err
