"""Reports: static PNG, PDF and stand-alone HTML of a view, their manifests and bad input.

Boundaries and incidents are tiny and built in code; the browser path is in
``test_report_browser.py``.  Everything here renders with the static engine.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import box

from geo import report
from geo._errors import DataFileError, ReportError
from geo.filters import Filters
from geo.incidents import Incident, Place, Source, incidents_to_frame
from geo.maps import EVENT_COLORS
from geo.report import (
    EMPTY_MESSAGE,
    VIEWPORT,
    ReportView,
    build_manifest,
    data_hash,
    filter_summary,
    load_view_incidents,
    read_manifest,
    render_html,
    render_pdf,
    render_png,
    view_extent,
    write_report,
)

pypdf = pytest.importorskip("pypdf")

MADE = datetime(2026, 1, 31, 12, 0)
BOUNDARY = {"source": "test squares", "files_sha256": {}}


def _countries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Aland", "Bland"], "iso2": ["AA", "BB"]},
        geometry=[box(60, 30, 70, 40), box(70, 30, 80, 40)],
        crs="EPSG:4326",
    )


def _provinces() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["West", "East"],
            "iso_3166_2": ["AA-W", "AA-E"],
            "country_iso2": ["AA", "AA"],
        },
        geometry=[box(60, 30, 65, 40), box(65, 30, 70, 40)],
        crs="EPSG:4326",
    )


def _incident(n: int, lon: float, lat: float, **kw: object) -> Incident:
    fields: dict[str, object] = {
        "incident_id": f"t-{n:04d}",
        "event_date": date(2022, 1, 1 + n % 28),
        "location_name": f"Village {n}",
        "lat": lat,
        "lon": lon,
        "country_iso2": "AA",
        "admin1": "West" if lon < 65 else "East",
        "admin1_iso": "AA-W" if lon < 65 else "AA-E",
        "fatalities_best": 4,
        "actors": ["Group A"],
        "sources": [
            Source(source_id=f"s{n % 3}", publisher=f"Outlet {n % 3}", url="https://x.test/a")
        ],
    }
    fields.update(kw)
    return Incident(**fields)  # type: ignore[arg-type]


def _view(incidents: list[Incident], **kw: object) -> ReportView:
    defaults: dict[str, object] = {
        "provinces": _provinces(),
        "countries": _countries(),
        "made_at": MADE,
        "boundary_source": BOUNDARY,
        "title": "Test view",
    }
    defaults.update(kw)
    return ReportView(incidents_to_frame(incidents), **defaults)  # type: ignore[arg-type]


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as img:
        return np.asarray(img.convert("RGB"), dtype=np.int16)


def _has_colour(pixels: np.ndarray, hex_colour: str, tol: int = 3) -> bool:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    return bool((np.abs(pixels - rgb).max(axis=-1) <= tol).any())


@pytest.fixture(scope="module")
def one_battle_png() -> bytes:
    """One Battles incident at the centre of an explicit extent, static renderer."""
    view = _view(
        [_incident(1, 64.0, 35.0, event_type="Battles", fatalities_best=30)],
        extent=(63.0, 34.0, 65.0, 36.0),
    )
    return render_png(view, engine="static")


def test_png_has_the_viewport_size_and_is_not_blank(one_battle_png: bytes) -> None:
    pixels = _pixels(one_battle_png)
    assert pixels.shape == (VIEWPORT[1], VIEWPORT[0], 3)
    assert pixels.reshape(-1, 3).var(axis=0).sum() > 100


def test_marker_colour_where_the_incident_projects(one_battle_png: bytes) -> None:
    pixels = _pixels(one_battle_png)
    r, g, b = pixels[VIEWPORT[1] // 2, VIEWPORT[0] // 2]
    assert r > 180 and g < 130 and b < 130, (r, g, b)
    r, g, b = pixels[VIEWPORT[1] // 2, VIEWPORT[0] // 2 + 200]  # the basemap, no marker
    assert not (r > 180 and g < 130 and b < 130)


@pytest.mark.parametrize("event_type", list(EVENT_COLORS))
def test_legend_shows_every_event_colour(one_battle_png: bytes, event_type: str) -> None:
    assert _has_colour(_pixels(one_battle_png), EVENT_COLORS[event_type])


def test_same_inputs_give_the_same_png() -> None:
    view = _view([_incident(1, 64.0, 35.0)])
    assert render_png(view, engine="static") == render_png(view, engine="static")


@pytest.mark.parametrize("suffix", ["png", "pdf", "html"])
def test_manifest_round_trips(tmp_path: Path, suffix: str) -> None:
    filters = Filters(countries=("AA",), event_types=("Battles",), date_from=date(2022, 1, 1))
    view = _view([_incident(n, 61.0 + n, 35.0) for n in range(3)], filters=filters)
    path = write_report(view, tmp_path / f"view.{suffix}", engine="static")
    manifest = read_manifest(path)
    expected = build_manifest(view, suffix, manifest["renderer"])
    expected.update({k: manifest[k] for k in ("assets", "fallback_reason") if k in manifest})
    assert manifest == json.loads(json.dumps(expected))
    assert manifest["filters"] == {"from": "2022-01-01", "country": "AA", "event_type": "Battles"}
    assert manifest["data_sha256"] == data_hash(view.incidents)
    assert manifest["made_at"] == "2026-01-31T12:00:00Z"
    assert manifest["incident_count"] == 3
    assert read_manifest(path.read_bytes()) == manifest


def test_data_hash_ignores_row_order_but_not_content() -> None:
    frame = incidents_to_frame([_incident(n, 61.0 + n, 35.0) for n in range(3)])
    assert data_hash(frame) == data_hash(frame.iloc[::-1])
    changed = frame.copy()
    changed.loc[0, "fatalities_best"] = 99
    assert data_hash(changed) != data_hash(frame)


def test_pdf_has_map_timeline_table_and_sources() -> None:
    incidents = [_incident(n, 61.0 + (n % 8), 35.0) for n in range(45)]
    pdf = render_pdf(_view(incidents), engine="static")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # map + timeline + 2 table pages (40 rows each) + 1 sources page
    assert len(reader.pages) == 5
    text = "\n".join(page.extract_text() for page in reader.pages)
    for needle in ("Timeline", "Incidents shown (45)", "Village 44", "Outlet 2", "Sources"):
        assert needle in text
    assert reader.metadata is not None and reader.metadata["/Title"] == "Test view"


def test_empty_selection_says_no_incidents_match() -> None:
    view = _view([])
    assert view_extent(view) == (60.0, 29.0, 75.5, 38.8)
    pixels = _pixels(render_png(view, engine="static"))
    assert pixels.reshape(-1, 3).var(axis=0).sum() > 100
    assert EMPTY_MESSAGE in render_html(view)
    pdf_text = pypdf.PdfReader(io.BytesIO(render_pdf(view, engine="static"))).pages[2]
    assert EMPTY_MESSAGE in pdf_text.extract_text()


def test_html_is_self_contained_and_escaped() -> None:
    title = "</script><b>Raid</b> & $x$"
    page = render_html(_view([_incident(1, 64.0, 35.0)], title=title))
    assert "<script src=" not in page
    assert 'rel="stylesheet" href=' not in page
    assert "L.Map" in page or "L.map" in page  # Leaflet inlined
    assert "<b>Raid</b>" not in page
    assert "&lt;/script&gt;&lt;b&gt;Raid&lt;/b&gt; &amp; $x$" in page
    assert read_manifest(page.encode())["title"] == title


def test_html_links_the_cdn_when_vendor_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("geo.report.VENDOR_DIR", tmp_path)
    page = render_html(_view([_incident(1, 64.0, 35.0)]))
    assert read_manifest(page.encode())["assets"].startswith("cdn")
    assert '<script src="https://' in page


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["Time window: all dates"]),
        (Filters(date_from=date(2022, 1, 1)), ["Time window: 2022-01-01 to latest"]),
        (
            Filters(provinces=("Takhar", "Kunduz"), cross_border=True),
            ["Time window: all dates", "Provinces: Takhar, Kunduz", "Cross-border events only"],
        ),
        (Filters(min_fatalities=5), ["Time window: all dates", "At least 5 killed"]),
    ],
)
def test_filter_summary(filters: Filters, expected: list[str]) -> None:
    assert filter_summary(filters) == expected


def test_extent_comes_from_bbox_then_incidents() -> None:
    view = _view([_incident(1, 64.0, 35.0)], filters=Filters(bbox=(1.0, 2.0, 3.0, 4.0)))
    assert view_extent(view) == (1.0, 2.0, 3.0, 4.0)
    assert view_extent(_view([_incident(1, 64.0, 35.0)])) == (63.5, 34.5, 64.5, 35.5)


def test_unwritable_output_path_is_a_clear_error(tmp_path: Path) -> None:
    view = _view([_incident(1, 64.0, 35.0)])
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    for bad in (tmp_path / "missing" / "map.png", blocker / "map.png", tmp_path):
        target = bad if bad != tmp_path else tmp_path / "sub.png"
        if bad == tmp_path:
            target.mkdir()
        with pytest.raises(DataFileError, match=str(target)):
            write_report(view, target, engine="static")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"path": "map.txt"}, "report format"),
        ({"path": "map.png", "engine": "gpu"}, "engine 'gpu'"),
    ],
)
def test_bad_arguments_raise_report_error(
    tmp_path: Path, kwargs: dict[str, str], message: str
) -> None:
    view = _view([_incident(1, 64.0, 35.0)])
    with pytest.raises(ReportError, match=message):
        write_report(view, tmp_path / kwargs["path"], engine=kwargs.get("engine", "static"))


def test_bad_extent_is_refused() -> None:
    with pytest.raises(ReportError, match="extent"):
        render_html(_view([_incident(1, 64.0, 35.0)], extent=(70.0, 30.0, 60.0, 40.0)))


def test_browser_engine_without_chromium_raises_and_auto_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("geo.report._find_chromium", lambda: None)
    view = _view([_incident(1, 64.0, 35.0)])
    with pytest.raises(ReportError, match="no Chromium"):
        render_png(view, engine="browser")
    manifest = read_manifest(render_png(view, engine="auto"))
    assert manifest["renderer"] == "static"
    assert "no Chromium" in manifest["fallback_reason"]


def test_cross_border_and_province_only_incidents_render() -> None:
    origin = Place("Here", 35.0, 64.0, "AA")
    target = Place("There", 35.5, 71.0, "BB")
    incidents = [
        _incident(1, 64.0, 35.0, origin=origin, target=target, claim_status="claimed"),
        _incident(2, 67.5, 35.0, geo_precision="province", event_type="Protests"),
    ]
    pixels = _pixels(render_png(_view(incidents), engine="static"))
    assert math.isfinite(float(pixels.mean()))
    assert _has_colour(pixels, EVENT_COLORS["Battles"])


def test_load_view_incidents_falls_back_to_the_file(tmp_path: Path) -> None:
    from geo.incidents import save_incidents
    from geo.settings import get_settings

    path = tmp_path / "incidents.json"
    save_incidents([_incident(n, 61.0 + n, 35.0) for n in range(3)], path)
    settings = get_settings(
        {"GEO_INCIDENTS_FILE": str(path), "GEO_DATABASE_URL": f"sqlite:///{tmp_path}/none.db"}
    )
    frame, origin = load_view_incidents(Filters(text="Village 1"), settings=settings)
    assert origin.startswith("file ") and list(frame["location_name"]) == ["Village 1"]
    assert not (tmp_path / "none.db").exists()


def test_load_view_incidents_uses_a_non_empty_store(tmp_path: Path) -> None:
    store_mod = pytest.importorskip("geo.store")
    from geo.settings import get_settings

    url = f"sqlite:///{tmp_path}/inc.db"
    with store_mod.open_store(url) as store:
        store.upsert_incidents([_incident(n, 61.0 + n, 35.0) for n in range(2)], user="test")
    settings = get_settings({"GEO_DATABASE_URL": url})
    frame, origin = load_view_incidents(Filters(), settings=settings)
    assert origin == f"store {url}" and len(frame) == 2


def test_cli_report_writes_a_png_and_reports_bad_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from geo.cli import main
    from geo.incidents import save_incidents

    path = tmp_path / "incidents.json"
    save_incidents([_incident(n, 61.0 + n, 35.0) for n in range(3)], path)
    monkeypatch.setenv("GEO_INCIDENTS_FILE", str(path))
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{tmp_path}/none.db")
    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(tmp_path / "no-boundaries"))
    out = tmp_path / "view.png"
    argv = ["report", "--out", str(out), "--engine", "static", "--title", "CLI <view>",
            "--bbox", "60,30,65,40", "--made-at", "2026-01-31T12:00"]  # fmt: skip
    assert main(argv) == 0
    manifest = read_manifest(out)
    assert manifest["title"] == "CLI <view>" and manifest["incident_count"] == 3
    assert manifest["extent"] == [60.0, 30.0, 65.0, 40.0]
    assert main(["report", "--out", str(tmp_path / "nope" / "x.pdf"), "--engine", "static"]) == 2
    assert "does not exist" in capsys.readouterr().err


# ----------------------------------------------------------- page and screenshot plumbing


def test_same_view_gives_the_same_page_byte_for_byte() -> None:
    view = _view([_incident(1, 64.0, 35.0), _incident(2, 66.0, 36.0)])
    assert render_html(view) == render_html(view)


def test_only_the_screenshot_page_turns_leaflet_animations_off() -> None:
    view = _view([_incident(1, 64.0, 35.0)])
    manifest = build_manifest(view, "png", "browser")
    shot_page = report._page(view, manifest, inline=False, screenshot=True)
    assert '"zoomAnimation": false' in shot_page
    assert '"zoomAnimation": false' not in render_html(view)


class _FakeBrowser:
    """Stands in for the shared and fresh browsers: counts calls, answers or fails."""

    def __init__(self, answer: tuple[bytes, int] | Exception) -> None:
        self.answer = answer
        self.calls: list[tuple[str, bool]] = []

    def __call__(self, page_html: str, chromium: str, tiles: bool) -> tuple[bytes, int]:
        self.calls.append((page_html, tiles))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def fake_browsers(monkeypatch: pytest.MonkeyPatch) -> tuple[_FakeBrowser, _FakeBrowser]:
    shared, fresh = _FakeBrowser((b"shared", 0)), _FakeBrowser((b"fresh", 0))
    monkeypatch.setattr(report, "_shared_screenshot", shared)
    monkeypatch.setattr(report, "_fresh_screenshot", fresh)
    monkeypatch.setattr(report, "_SHOTS", type(report._SHOTS)())
    return shared, fresh


def test_a_page_already_photographed_is_not_rendered_again(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser],
) -> None:
    shared, fresh = fake_browsers
    assert report._screenshot("<p>a</p>", "chromium", tiles=False) == b"shared"
    assert report._screenshot("<p>a</p>", "chromium", tiles=False) == b"shared"
    assert report._screenshot("<p>b</p>", "chromium", tiles=False) == b"shared"
    assert [c[0] for c in shared.calls] == ["<p>a</p>", "<p>b</p>"]
    assert fresh.calls == []


def test_pages_with_tiles_are_always_rendered_again(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser],
) -> None:
    shared, _ = fake_browsers
    for _ in range(2):
        report._screenshot("<p>a</p>", "chromium", tiles=True)
    assert len(shared.calls) == 2


def test_a_failing_shared_browser_falls_back_to_a_fresh_launch(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser],
) -> None:
    shared, fresh = fake_browsers
    shared.answer = RuntimeError("Target page, context or browser has been closed")
    assert report._screenshot("<p>a</p>", "chromium", tiles=False) == b"fresh"
    assert len(fresh.calls) == 1


def test_reuse_off_launches_a_browser_for_each_page(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared, fresh = fake_browsers
    monkeypatch.setattr(report, "REUSE_BROWSER", False)
    assert report._screenshot("<p>a</p>", "chromium", tiles=False) == b"fresh"
    assert shared.calls == [] and len(fresh.calls) == 1


def test_tile_errors_are_a_report_error_not_a_picture(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser],
) -> None:
    shared, _ = fake_browsers
    shared.answer = (b"half the tiles", 3)
    with pytest.raises(ReportError, match="tiles could not be loaded"):
        report._screenshot("<p>a</p>", "chromium", tiles=True)


def test_a_browser_that_cannot_start_fails_the_job_and_falls_back_to_static(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("playwright.sync_api")
    monkeypatch.setattr(report, "_find_chromium", lambda: str(tmp_path / "no-such-chromium"))
    monkeypatch.setattr(report, "_SHOTS", type(report._SHOTS)())
    view = _view([_incident(1, 64.0, 35.0)])
    manifest = read_manifest(render_png(view, engine="auto"))
    assert manifest["renderer"] == "static"
    assert manifest["fallback_reason"].startswith("browser failed")
    with pytest.raises(ReportError, match="headless Chromium failed"):
        render_png(view, engine="browser")
    assert report._WORKER is None
