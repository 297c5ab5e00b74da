"""Reports: static PNG, PDF and stand-alone HTML of a view, their manifests and bad input.

Boundaries and incidents are tiny and built in code; the browser path is in
``test_report_browser.py``.  Everything here renders with the static engine.
"""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer
from shapely.geometry import box

from geo._errors import DataFileError, ReportError
from geo.cli import load_view_incidents, main
from geo.filters import Filters
from geo.incidents import Incident, Place, Source, incidents_to_frame, save_incidents
from geo.maps import EVENT_COLORS
from geo.report import (
    EMPTY_MESSAGE,
    VIEWPORT,
    ReportView,
    browser,
    build_manifest,
    data_hash,
    filter_summary,
    read_manifest,
    render_html,
    render_pdf,
    render_png,
    view_extent,
    write_report,
)
from geo.report.basemap import ReportBasemap
from geo.report.html import report_page
from geo.report.static import map_zoom
from geo.report.tables import (
    change_text,
    count_table,
    cross_border_table,
    publisher_table,
    summary_lines,
)
from geo.report.view import credit_line, previous_filters, previous_period, report_period
from geo.settings import get_settings
from geo.store import open_store

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


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_lists_every_incident_only_when_asked() -> None:
    incidents = [_incident(n, 61.0 + (n % 8), 35.0) for n in range(45)]
    full = render_pdf(replace(_view(incidents), full_list=True), engine="static")
    reader = pypdf.PdfReader(io.BytesIO(full))
    # map, timeline, summary, cross-border, publishers, 2 list pages (40 rows), articles
    assert len(reader.pages) == 8
    _, text = _pdf_text(full)
    for needle in ("Timeline", "Summary (45 incidents)", "Incidents shown (45)", "Village 44",
                   "Outlet 2", "Sources by publisher"):  # fmt: skip
        assert needle in text
    assert reader.metadata is not None and reader.metadata["/Title"] == "Test view"
    pages, text = _pdf_text(render_pdf(_view(incidents), engine="static"))
    assert pages == 5
    assert "Incidents shown" not in text and "Village 44" not in text
    assert "--full-list" in text and "Outlet 2" in text
    assert read_manifest(full)["full_list"] is True


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
    monkeypatch.setattr("geo.report.html.VENDOR_DIR", tmp_path)
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
    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    view = _view([_incident(1, 64.0, 35.0)])
    with pytest.raises(ReportError, match="no Chromium"):
        render_png(view, engine="browser")
    manifest = read_manifest(render_png(view, engine="auto"))
    assert manifest["renderer"] == "static"
    assert "no Chromium" in manifest["fallback_reason"]


_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def _pixel(lon: float, lat: float, extent: tuple[float, float, float, float]) -> tuple[int, int]:
    """Row and column of (lon, lat) in a static PNG of ``extent``, computed here from scratch:
    Web Mercator, the extent centred and widened to the picture's aspect ratio."""
    (x0, x1), (y0, y1) = _MERCATOR.transform([extent[0], extent[2]], [extent[1], extent[3]])
    x, y = _MERCATOR.transform(lon, lat)
    width, height = VIEWPORT
    metres_per_px = max((x1 - x0) / width, (y1 - y0) / height)
    col = width / 2 + (x - (x0 + x1) / 2) / metres_per_px
    row = height / 2 - (y - (y0 + y1) / 2) / metres_per_px
    return round(row), round(col)


def _near(pixels: np.ndarray, row: int, col: int, hex_colour: str, radius: int = 6) -> bool:
    return _has_colour(pixels[row - radius : row + radius + 1, col - radius : col + radius + 1],
                       hex_colour)  # fmt: skip


def test_cross_border_arc_and_province_only_shape_are_drawn() -> None:
    extent = (62.0, 32.0, 73.0, 39.0)
    origin, target = Place("Here", 35.0, 64.0, "AA"), Place("There", 35.5, 71.0, "BB")
    incidents = [
        _incident(1, 64.0, 35.0, origin=origin, target=target, claim_status="confirmed"),
        _incident(2, 67.5, 35.0, geo_precision="province", event_type="Protests"),
    ]
    pixels = _pixels(render_png(_view(incidents, extent=extent), engine="static"))
    battles, protests = EVENT_COLORS["Battles"], EVENT_COLORS["Protests"]
    # The arc ends at the target, 7 degrees east of the only Battles marker.
    assert _near(pixels, *_pixel(71.0, 35.5, extent), battles)
    assert not _near(pixels, *_pixel(71.0, 37.5, extent), battles)
    # The province-only incident shades all of AA-E (lon 65..70) in its colour, not AA-W.
    east = pixels[_pixel(68.5, 37.5, extent)]
    west = pixels[_pixel(62.5, 37.5, extent)]
    tint = np.array([int(protests[i : i + 2], 16) for i in (1, 3, 5)])
    assert np.abs(east - tint).sum() < np.abs(west - tint).sum() - 60, (east, west)
    # Its dashed outline runs along the province's eastern edge, lon 70.
    assert _near(pixels, *_pixel(70.0, 33.0, extent), protests, radius=8) or _near(
        pixels, *_pixel(70.0, 36.5, extent), protests, radius=8
    )


def test_load_view_incidents_falls_back_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "incidents.json"
    save_incidents([_incident(n, 61.0 + n, 35.0) for n in range(3)], path)
    settings = get_settings(
        {"GEO_INCIDENTS_FILE": str(path), "GEO_DATABASE_URL": f"sqlite:///{tmp_path}/none.db"}
    )
    frame, origin = load_view_incidents(Filters(text="Village 1"), settings=settings)
    assert origin.startswith("file ") and list(frame["location_name"]) == ["Village 1"]
    assert not (tmp_path / "none.db").exists()


def test_load_view_incidents_uses_a_non_empty_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/inc.db"
    with open_store(url) as store:
        store.upsert_incidents([_incident(n, 61.0 + n, 35.0) for n in range(2)], user="test")
    settings = get_settings({"GEO_DATABASE_URL": url})
    frame, origin = load_view_incidents(Filters(), settings=settings)
    assert origin == f"store {url}" and len(frame) == 2


def test_cli_report_writes_a_png_and_reports_bad_paths(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tiny_boundaries: Path,
) -> None:
    path = tmp_path / "incidents.json"
    save_incidents([_incident(n, 61.0 + n, 35.0) for n in range(3)], path)
    monkeypatch.setenv("GEO_INCIDENTS_FILE", str(path))
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{tmp_path}/none.db")
    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(tiny_boundaries))
    out = tmp_path / "view.png"
    argv = ["report", "--out", str(out), "--engine", "static", "--title", "CLI <view>",
            "--bbox", "60,30,65,40", "--made-at", "2026-01-31T12:00",
            "--plain-basemap"]  # fmt: skip
    assert main(argv) == 0
    manifest = read_manifest(out)
    assert manifest["title"] == "CLI <view>" and manifest["incident_count"] == 3
    assert manifest["extent"] == [60.0, 30.0, 65.0, 40.0]
    assert main(["report", "--out", str(tmp_path / "nope" / "x.pdf"), "--engine", "static"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cli_report_without_boundaries_is_an_error_not_a_bare_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "incidents.json"
    save_incidents([_incident(1, 61.0, 35.0)], path)
    monkeypatch.setenv("GEO_INCIDENTS_FILE", str(path))
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{tmp_path}/none.db")
    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(tmp_path / "no-boundaries"))
    out = tmp_path / "view.png"
    assert main(["report", "--out", str(out), "--engine", "static"]) == 2
    assert not out.exists()
    assert "no-boundaries" in capsys.readouterr().err


# ----------------------------------------------------------- page and screenshot plumbing


_LAZY_SCRIPT = """
import atexit, json, threading
hooks = []
register = atexit.register
atexit.register = lambda fn, *a, **k: (hooks.append(fn.__module__), register(fn, *a, **k))[1]
import geo
from geo.report import browser
def state():
    return {"hooks": [h for h in hooks if h.startswith("geo")], "kept": browser._KEPT is not None,
            "threads": sorted(t.name for t in threading.enumerate() if t.name.startswith("geo"))}
seen = {"import": state()}
browser.close_browser(); browser.forget_screenshots(); browser.running_worker()
seen["helpers"] = state()
browser.shared_screenshot = lambda page, chromium, tiles: (b"png", 0)
for _ in range(2):
    browser.screenshot("<p>page</p>", "chromium", tiles=False)
seen["render"] = state()
print(json.dumps(seen))
"""


def test_the_browser_is_set_up_on_first_render_not_at_import() -> None:
    out = subprocess.run([sys.executable, "-c", _LAZY_SCRIPT], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])  # fmt: skip
    seen = json.loads(out.stdout.splitlines()[-1])
    nothing = {"hooks": [], "kept": False, "threads": []}
    assert seen["import"] == nothing and seen["helpers"] == nothing
    assert seen["render"] == {"hooks": ["geo.report.browser"], "kept": True, "threads": []}


_REPORT_DIR = Path(__file__).resolve().parents[1] / "geo" / "report"


@pytest.mark.parametrize("path", sorted(_REPORT_DIR.glob("*.py")), ids=lambda p: p.name)
def test_report_modules_never_import_the_geo_package(path: Path) -> None:
    """``geo/__init__.py`` imports the report package, so it must not import ``geo`` back."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    back = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "geo"]
    back += [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Import)
             and any(a.name == "geo" for a in n.names)]  # fmt: skip
    assert back == [], f"{path.name} imports `geo` on lines {back}"


def test_same_view_gives_the_same_page_byte_for_byte() -> None:
    view = _view([_incident(1, 64.0, 35.0), _incident(2, 66.0, 36.0)])
    assert render_html(view) == render_html(view)


def test_only_the_screenshot_page_turns_leaflet_animations_off() -> None:
    view = _view([_incident(1, 64.0, 35.0)])
    manifest = build_manifest(view, "png", "browser")
    shot_page = report_page(view, manifest, inline=False, screenshot=True)
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
def fake_browsers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[_FakeBrowser, _FakeBrowser]]:
    shared, fresh = _FakeBrowser((b"shared", 0)), _FakeBrowser((b"fresh", 0))
    monkeypatch.setattr(browser, "shared_screenshot", shared)
    monkeypatch.setattr(browser, "fresh_screenshot", fresh)
    browser.forget_screenshots()
    yield shared, fresh
    browser.forget_screenshots()


def test_a_page_already_photographed_is_not_rendered_again(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser],
) -> None:
    shared, fresh = fake_browsers
    assert browser.screenshot("<p>a</p>", "chromium", tiles=False) == b"shared"
    assert browser.screenshot("<p>a</p>", "chromium", tiles=False) == b"shared"
    assert browser.screenshot("<p>b</p>", "chromium", tiles=False) == b"shared"
    assert [c[0] for c in shared.calls] == ["<p>a</p>", "<p>b</p>"]
    assert fresh.calls == []


def test_pages_with_tiles_are_always_rendered_again(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser],
) -> None:
    shared, _ = fake_browsers
    for _ in range(2):
        browser.screenshot("<p>a</p>", "chromium", tiles=True)
    assert len(shared.calls) == 2


def test_a_failing_shared_browser_falls_back_to_a_fresh_launch(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser],
) -> None:
    shared, fresh = fake_browsers
    shared.answer = RuntimeError("Target page, context or browser has been closed")
    assert browser.screenshot("<p>a</p>", "chromium", tiles=False) == b"fresh"
    assert len(fresh.calls) == 1


def test_reuse_off_launches_a_browser_for_each_page(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared, fresh = fake_browsers
    monkeypatch.setattr(browser, "REUSE_BROWSER", False)
    assert browser.screenshot("<p>a</p>", "chromium", tiles=False) == b"fresh"
    assert shared.calls == [] and len(fresh.calls) == 1


def test_tile_errors_are_a_report_error_not_a_picture(
    fake_browsers: tuple[_FakeBrowser, _FakeBrowser],
) -> None:
    shared, _ = fake_browsers
    shared.answer = (b"half the tiles", 3)
    with pytest.raises(ReportError, match="tiles could not be loaded"):
        browser.screenshot("<p>a</p>", "chromium", tiles=True)


def test_a_browser_that_cannot_start_fails_the_job_and_falls_back_to_static(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("playwright.sync_api")
    monkeypatch.setattr(browser, "find_chromium", lambda: str(tmp_path / "no-such-chromium"))
    browser.forget_screenshots()
    view = _view([_incident(1, 64.0, 35.0)])
    manifest = read_manifest(render_png(view, engine="auto"))
    assert manifest["renderer"] == "static"
    assert manifest["fallback_reason"].startswith("browser failed")
    with pytest.raises(ReportError, match="headless Chromium failed"):
        render_png(view, engine="browser")
    assert browser.running_worker() is None


# ------------------------------------------------------------------ large views: summary tables


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [(12, 8, "+4 (+50%)"), (3, 6, "-3 (-50%)"), (4, 0, "+4 (new)"), (0, 0, "0"), (5, 5, "0"),
     (0, 5, "-5 (-100%)"), (7, None, "")],
)  # fmt: skip
def test_change_text(now: int, before: int | None, expected: str) -> None:
    assert change_text(now, before) == expected


@pytest.mark.parametrize(
    ("filters", "dates", "expected"),
    [
        # The filter's window, whatever the data: 10 days, then the 10 days before.
        (Filters(date_from=date(2022, 1, 11), date_to=date(2022, 1, 20)), [date(2022, 1, 12)],
         ((date(2022, 1, 11), date(2022, 1, 20)), (date(2022, 1, 1), date(2022, 1, 10)))),
        # No dates chosen: the incidents' first and last day (3 days).
        (Filters(), [date(2022, 3, 1), date(2022, 3, 3)],
         ((date(2022, 3, 1), date(2022, 3, 3)), (date(2022, 2, 26), date(2022, 2, 28)))),
        # An open end is closed by the data; a leap month.
        (Filters(date_from=date(2024, 3, 1)), [date(2024, 3, 5), date(2024, 3, 29)],
         ((date(2024, 3, 1), date(2024, 3, 29)), (date(2024, 2, 1), date(2024, 2, 29)))),
    ],
)  # fmt: skip
def test_report_period_and_the_previous_one(
    filters: Filters, dates: list[date], expected: tuple[tuple[date, date], tuple[date, date]]
) -> None:
    incidents = [_incident(n, 61.0, 35.0, event_date=d) for n, d in enumerate(dates)]
    view = _view(incidents, filters=filters)
    period = report_period(view)
    assert period is not None
    assert (period, previous_period(*period)) == expected
    moved = previous_filters(filters, view.incidents)
    assert moved is not None and (moved.date_from, moved.date_to) == expected[1]
    assert moved.with_(date_from=None, date_to=None) == filters.with_(date_from=None, date_to=None)


def test_no_period_without_dates_or_incidents() -> None:
    assert report_period(_view([])) is None
    assert previous_filters(Filters(), incidents_to_frame([])) is None


def _typed(n: int, lon: float, kind: str, killed: int, day: int = 5) -> Incident:
    return _incident(n, lon, 35.0, event_type=kind, fatalities_best=killed,
                     event_date=date(2022, 2, day))  # fmt: skip


def test_counts_by_type_and_province_against_the_previous_period() -> None:
    now = [_typed(1, 61, "Battles", 3), _typed(2, 62, "Battles", 0), _typed(3, 66, "Protests", 1),
           _typed(4, 66, "Battles", 10)]  # fmt: skip
    before = [_typed(5, 61, "Battles", 1), _typed(6, 61, "Riots", 2), _typed(7, 61, "Riots", 0)]
    cur, prev = incidents_to_frame(now), incidents_to_frame(before)
    # Expected, counted here from the lists above (not by the code under test).
    by_type = {
        "Battles": (3, 13, 1),  # incidents now, killed now, incidents before
        "Protests": (1, 1, 0),
        "Riots": (0, 0, 2),  # only in the previous period: kept, with 0 now
    }
    table = count_table(cur, prev, "event_type")
    assert list(table.index) == ["Battles", "Protests", "Riots"]  # most now, then most before
    got = {k: (r["incidents"], r["killed"], r["previous"]) for k, r in table.iterrows()}
    assert got == by_type
    provinces = count_table(cur, prev, "province")
    assert provinces.loc["West, AA"].tolist() == [2, 3, 3]
    assert provinces.loc["East, AA"].tolist() == [2, 11, 0]
    lines = summary_lines(cur, prev, (date(2022, 2, 1), date(2022, 2, 28)),
                          (date(2022, 1, 4), date(2022, 1, 31)))  # fmt: skip
    text = "\n".join(lines)
    assert "compared with 2022-01-04 to 2022-01-31" in text
    total = next(line for line in lines if line.startswith("All incidents"))
    assert total.split()[2:5] == ["4", "14", "3"] and total.endswith("+1 (+33%)")
    riots = next(line for line in lines if line.startswith("Riots"))
    assert riots.split()[1:4] == ["0", "0", "2"] and riots.endswith("-2 (-100%)")


def test_without_the_previous_period_no_change_is_claimed() -> None:
    cur = incidents_to_frame([_typed(1, 61, "Battles", 3)])
    table = count_table(cur, None, "event_type")
    assert table.loc["Battles", "previous"] is None
    lines = summary_lines(cur, None, (date(2022, 2, 5), date(2022, 2, 5)), None)
    assert "previous period not loaded" in lines[0]
    assert "+" not in "\n".join(lines[2:])


def test_cross_border_events_grouped_by_origin_and_target() -> None:
    def crossing(n: int, origin: Place, killed: int, day: int, where: str) -> Incident:
        target = Place(where, 35.0, 66.0, "AA", "East", "AA-E")
        return _incident(n, 66.0, 35.0, origin=origin, target=target, fatalities_best=killed,
                         event_date=date(2022, 4, day))  # fmt: skip

    post = Place("Post", 35.0, 71.0, "BB", "Far", "BB-F")
    hill = Place("Hill", 36.0, 72.0, "CC", "", "")
    incidents = [crossing(1, post, 2, 3, "Qala"), crossing(2, post, 5, 9, "Qala"),
                 crossing(3, post, 0, 6, "Deh"), crossing(4, hill, 1, 1, "Deh"),
                 _incident(5, 66.0, 35.0)]  # fmt: skip
    table = cross_border_table(incidents_to_frame(incidents))
    assert table[["origin", "target", "events", "killed"]].values.tolist() == [
        ["Far, BB", "East, AA", 3, 7],
        ["Hill, CC", "East, AA", 1, 1],  # no province: the place's name
    ]
    first = table.iloc[0]
    assert (first["first"].date(), first["last"].date()) == (date(2022, 4, 3), date(2022, 4, 9))
    assert first["places"] == "Qala (2), Deh"
    assert cross_border_table(incidents_to_frame([_incident(6, 61.0, 35.0)])).empty


def test_sources_by_publisher_count_incidents_and_articles() -> None:
    def cited(n: int, *sources: Source) -> Incident:
        return _incident(n, 61.0, 35.0, sources=list(sources))

    a1, a2 = Source("a1", publisher="Alpha"), Source("a2", publisher="Alpha")
    b1 = Source("b1", publisher="Beta")
    frame = incidents_to_frame([cited(1, a1, b1), cited(2, a1), cited(3, a2), cited(4)])
    table = publisher_table(frame)
    assert table.to_dict("index") == {
        "Alpha": {"incidents": 3, "articles": 2},
        "Beta": {"incidents": 1, "articles": 1},
    }


def test_a_large_view_fits_on_a_few_pages_and_lists_only_on_request() -> None:
    incidents = [_incident(n, 60.5 + (n % 90) / 10, 35.0) for n in range(600)]
    pages, text = _pdf_text(render_pdf(_view(incidents), engine="static"))
    assert pages == 5 and "Summary (600 incidents)" in text and "Village 599" not in text
    pages, text = _pdf_text(render_pdf(_view(incidents, full_list=True), engine="static"))
    assert pages == 5 + 15 + 1 and "Village 599" in text  # 15 list pages of 40 rows, articles


def test_cli_full_list_flag_and_previous_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_boundaries: Path
) -> None:
    days = [date(2022, 1, 5), date(2022, 1, 6), date(2022, 1, 20)]  # 2 in the earlier window
    path = tmp_path / "incidents.json"
    save_incidents([_incident(n, 61.0, 35.0, event_date=d) for n, d in enumerate(days)], path)
    monkeypatch.setenv("GEO_INCIDENTS_FILE", str(path))
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{tmp_path}/none.db")
    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(tiny_boundaries))
    base = ["report", "--engine", "static", "--plain-basemap", "--from", "2022-01-11",
            "--to", "2022-01-20"]  # fmt: skip
    for flag, listed in (([], False), (["--full-list"], True)):
        out = tmp_path / f"view{len(flag)}.pdf"
        assert main([*base, *flag, "--out", str(out)]) == 0
        manifest = read_manifest(out)
        assert manifest["full_list"] is listed and manifest["incident_count"] == 1
        assert manifest["previous_period_count"] == 2  # Jan 1-10
        _, text = _pdf_text(out.read_bytes())
        assert ("Incidents shown (1)" in text) is listed
        assert "compared with 2022-01-01 to 2022-01-10" in text


# ------------------------------------------------------------------ the basemap in reports

_RELIEF = "#c8a0d2"  # a colour no other layer uses
_BASEMAP_BOX = (55.0, 25.0, 85.0, 45.0)


@pytest.fixture(scope="module")
def relief_basemap(tmp_path_factory: pytest.TempPathFactory) -> ReportBasemap:
    """A flat relief of one colour, one river along lat 36.5, one lake, and labels."""
    folder = tmp_path_factory.mktemp("basemap")
    rgb = tuple(int(_RELIEF[i : i + 2], 16) for i in (1, 3, 5))
    Image.new("RGB", (300, 200), rgb).save(folder / "relief.png")
    water = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kind": "river"},
         "geometry": {"type": "LineString", "coordinates": [[60.5, 36.5], [69.5, 36.5]]}},
        {"type": "Feature", "properties": {"kind": "lake"},
         "geometry": {"type": "Polygon", "coordinates": [[[62, 37.5], [63, 37.5], [63, 38.5],
                                                          [62, 38.5], [62, 37.5]]]}},
    ]}  # fmt: skip

    def label(name: str, kind: str, lon: float, lat: float, minzoom: int) -> dict[str, object]:
        return {"type": "Feature", "properties": {"name": name, "kind": kind, "minzoom": minzoom},
                "geometry": {"type": "Point", "coordinates": [lon, lat]}}  # fmt: skip

    labels = [label("Aland", "country", 67.5, 33.0, 0), label("Townville", "town", 61.5, 31.5, 1),
              label("Hiddenburg", "town", 68.5, 31.5, 30)]  # fmt: skip
    return ReportBasemap(folder / "relief.png", _BASEMAP_BOX, water, labels, "Test relief credit")


@pytest.mark.parametrize(
    ("width_m", "width_px", "zoom"),
    [(40075016.686, 256, 0.0), (40075016.686, 512, 1.0), (40075016.686 / 64, 1024, 8.0)],
)
def test_map_zoom_is_leaflets(width_m: float, width_px: int, zoom: float) -> None:
    assert map_zoom((0.0, 0.0, width_m, 1.0), width_px) == pytest.approx(zoom)


def _blue_near(pixels: np.ndarray, row: int, col: int, radius: int = 3) -> bool:
    """A river's blue (drawn half-clear over the relief) within ``radius`` pixels."""
    box = pixels[row - radius : row + radius + 1, col - radius : col + radius + 1]
    return bool(((box[..., 2] - box[..., 0]) > 60).any())


def _dark_share(pixels: np.ndarray, row: int, col: int, half_w: int, half_h: int) -> float:
    box = pixels[row - half_h : row + half_h + 1, col - half_w : col + half_w + 1]
    return float((box.max(axis=-1) < 90).mean())


def _run_width(pixels: np.ndarray, row: int, col: int, radius: int = 10) -> int:
    """Dark pixels across a vertical line at (row, col), counted along the row."""
    strip = pixels[row, col - radius : col + radius + 1]
    return int((strip.max(axis=-1) < 120).sum())


def test_static_report_draws_relief_water_labels_and_heavier_borders(
    relief_basemap: ReportBasemap,
) -> None:
    extent = (60.0, 30.0, 70.0, 40.0)
    plain = _pixels(render_png(_view([], extent=extent), engine="static"))
    view = _view([], extent=extent, basemap=relief_basemap)
    pixels = _pixels(render_png(view, engine="static"))
    # Relief where nothing else is drawn (north-east of Aland, off the lake and river).
    assert _near(pixels, *_pixel(66.0, 38.5, extent), _RELIEF, radius=2)
    assert not _near(plain, *_pixel(66.0, 38.5, extent), _RELIEF, radius=2)
    # The river along lat 36.5 and the lake's fill.
    assert _blue_near(pixels, *_pixel(66.5, 36.5, extent))
    assert not _blue_near(plain, *_pixel(66.5, 36.5, extent))
    assert not _blue_near(pixels, *_pixel(66.5, 35.5, extent))
    assert _near(pixels, *_pixel(62.5, 38.0, extent), "#a8c8e8", radius=2)
    # Labels: the country's name and a town within its zoom; not a town beyond it.
    row, col = _pixel(67.5, 33.0, extent)
    assert _dark_share(pixels, row, col, 45, 7) > 0.05 > _dark_share(plain, row, col, 45, 7)
    row, col = _pixel(61.5, 31.5, extent)
    assert _dark_share(pixels, row, col + 40, 40, 6) > 0.05
    row, col = _pixel(68.5, 31.5, extent)
    assert _dark_share(pixels, row, col + 40, 40, 6) < 0.01
    # The international border (lon 70) is drawn heavier than the province line (lon 65).
    row = _pixel(65.0, 34.0, extent)[0]
    assert _run_width(pixels, row, _pixel(70.0, 34.0, extent)[1]) > _run_width(
        pixels, row, _pixel(65.0, 34.0, extent)[1]
    )
    assert (
        "Test relief credit" in credit_line(view)
        and "Test relief credit" in read_manifest(render_png(view, engine="static"))["credits"]
    )


def test_report_page_carries_the_relief_and_escaped_labels(
    relief_basemap: ReportBasemap,
) -> None:
    labels = [*relief_basemap.labels, {"type": "Feature",
              "properties": {"name": "<b>Fort</b>", "kind": "town", "minzoom": 1},
              "geometry": {"type": "Point", "coordinates": [61.0, 31.0]}}]  # fmt: skip
    basemap = replace(relief_basemap, labels=labels)
    page = render_html(_view([_incident(1, 64.0, 35.0)], basemap=basemap))
    assert "data:image/png;base64," in page and "Townville" in page
    # The name travels as data (its "</" escaped inside the script) and the map's script
    # sets it as text, never as markup.
    assert "<b>Fort</b>" not in page and "<b>Fort<\\/b>" in page
    assert "span.textContent = p.name" in page and "'<span>' + p.name" not in page
