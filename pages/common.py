"""Cached loaders and the shared sidebar filters for every page.

Loaders take simple arguments (paths as strings, modification times) so
Streamlit's cache keys are cheap and a changed file is picked up.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import (
    CLAIM_STATUSES,
    DATE_PRESETS,
    EVENT_TYPES,
    BasemapLayers,
    Filters,
    GeoError,
    ShapeFiles,
    Store,
    apply_filters,
    country_shapes,
    district_shapes,
    evidence_files,
    get_settings,
    incidents_to_frame,
    load_admin0,
    load_admin1,
    load_admin2,
    load_incidents,
    open_store,
    parse_query_params,
    points_payload,
    preset_dates,
    preset_label,
    province_key,
    province_lookup,
    province_shapes,
    report_basemap,
    search_text,
    step_window,
    to_query_params,
    unknown_filter_values,
)

TABLE_COLUMNS = [
    "event_date",
    "location_name",
    "admin1",
    "country_iso2",
    "event_type",
    "actors",
    "fatalities_best",
    "claim_status",
    "cross_border",
    "geo_precision",
    "publishers",
]


REPO = Path(__file__).resolve().parent.parent
STATIC_DIR = REPO / "static"
#: The seed articles, read (never copied) to quote the evidence of the embedded dataset.
SEEDS_DIR = REPO.parent / "shared" / "seeds"
#: Most actors offered in the sidebar (the most frequent ones).
MAX_ACTOR_OPTIONS = 300


def ensure_app_navigation() -> None:
    """Make a first visit straight to a page (``/ingest``) go through ``app.py``.

    Streamlit treats a ``pages/`` folder as old-style pages until ``st.navigation``
    has run once in the server process; until then a deep link would run the page
    alone, with every module of ``pages/`` listed in the sidebar.  This leaves that
    mode and reruns, so app.py's navigation (and page config) take over.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def asset_base() -> str | None:
    """URL of the locally served Leaflet (``make vendor``), or None to use the CDN."""
    return "/app/static/vendor" if (STATIC_DIR / "vendor/leaflet/leaflet.js").is_file() else None


#: Changes when the points file's layout changes, so no browser keeps an old copy.
_POINTS_FORMAT = 2
#: How many points files (data versions) are kept in static/data/.
_KEEP_POINTS_FILES = 3


def _publish(name: str, data: bytes) -> str:
    """Write ``data`` to ``static/<name>`` (atomically) and return its URL."""
    path = STATIC_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.stat().st_size != len(data):
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return f"/app/static/{name}"


@st.cache_resource(show_spinner=False, max_entries=2)
def published_points(key: str, _data: pd.DataFrame) -> str:
    """URL of the map's incident payload for data version ``key`` (a static file).

    The browser fetches it once per data version; each rerun sends only the
    mask of shown rows.  Older versions' files are removed.
    """
    tag = hashlib.sha1(f"{key}|{_POINTS_FORMAT}".encode()).hexdigest()[:16]
    body = json.dumps(points_payload(_data), ensure_ascii=False, separators=(",", ":"))
    url = _publish(f"data/points-{tag}.json", body.encode("utf-8"))
    old = sorted((STATIC_DIR / "data").glob("points-*.json"), key=lambda p: p.stat().st_mtime)
    for path in old[:-_KEEP_POINTS_FILES]:
        path.unlink(missing_ok=True)
    return url


def _publish_json(name: str, value: Any) -> str:
    """Publish ``value`` as JSON under ``static/<name>-<hash>.json``; its URL.

    The name carries the content's hash, so a browser never keeps a stale copy.
    """
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _publish(f"{name}-{hashlib.sha1(body).hexdigest()[:16]}.json", body)


@st.cache_resource(show_spinner=False)
def _shape_files(boundaries_key: str) -> ShapeFiles:
    countries, provinces, _ = boundaries()
    areas = districts()
    return ShapeFiles(
        None if provinces is None else _publish_json("data/admin1", province_shapes(provinces)),
        None if countries is None else _publish_json("data/admin0", country_shapes(countries)),
        None if areas is None else _publish_json("data/admin2", district_shapes(areas)),
    )


def shape_files() -> ShapeFiles:
    """URLs of the boundary shapes the map draws (static files, one per boundaries version).

    A rerun then sends the map only province codes, not the shapes.
    """
    return _shape_files(str(get_settings().boundaries_dir))


@st.cache_resource(show_spinner=False)
def _basemap(boundaries_key: str) -> tuple[BasemapLayers | None, str]:
    """The report's basemap (one preparation for both), served from ``static/basemap``
    under content-hashed names, so no browser keeps an old copy."""
    b = _report_basemap(boundaries_key)
    labels = _publish_json("basemap/labels", {"type": "FeatureCollection", "features": b.labels})
    if b.relief_mercator is None or b.water is None:
        return BasemapLayers(labels=labels, credits=b.credits), b.problem
    relief = _publish(f"basemap/{b.relief_mercator.name}", b.relief_mercator.read_bytes())
    water = _publish_json("basemap/water", b.water)
    return BasemapLayers(relief, b.bounds, water, labels, b.credits), ""


def map_basemap() -> BasemapLayers | None:
    """The offline basemap (relief, water, labels); says once why relief is missing."""
    layers, why = _basemap(str(get_settings().boundaries_dir))
    if why:
        st.caption(f"Shaded relief unavailable ({why}); drawing the plain basemap.")
    return layers


@st.cache_resource(show_spinner="Preparing the offline basemap…")
def _report_basemap(boundaries_key: str) -> Any:
    countries, provinces, _ = boundaries()
    return report_basemap(get_settings(), countries, provinces)


def report_basemap_for_view() -> Any:
    """The report's basemap (relief, water, labels), prepared once per boundaries version."""
    return _report_basemap(str(get_settings().boundaries_dir))


@st.cache_resource(show_spinner=False)
def _districts(key: str) -> gpd.GeoDataFrame | None:
    try:
        frame = load_admin2("AFG", get_settings())
    except GeoError:
        return None
    if frame is None:
        return None
    return frame[["name", "adm1_iso", "geometry"]] if "adm1_iso" in frame else None


def districts() -> gpd.GeoDataFrame | None:
    """Afghanistan's district shapes (for incidents located only to a district), or None."""
    return _districts(str(get_settings().boundaries_dir))


def evidence_texts(row: pd.Series) -> dict[str, str]:
    """Source id → text of the seed article it names (for quoting evidence spans)."""
    out = {}
    for sid, file in evidence_files(row).items():
        path = SEEDS_DIR / Path(file).name
        try:
            out[sid] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return out


def _mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


@st.cache_resource(show_spinner="Opening the incident store…")
def store(url: str) -> Store:
    """The incident store at ``url``, seeded from ``GEO_INCIDENTS_FILE`` when empty."""
    opened = open_store(url)
    if opened.is_empty():
        opened.seed_from_file(get_settings().incidents_file)
    return opened


# cache_resource, not cache_data: the frame is shared, never copied (a pickled copy of
# 100k rows costs a second per rerun).  Pages only read it; filters return new frames.
@st.cache_resource(show_spinner="Loading incidents…", max_entries=2)
def _stored(url: str, revision: int) -> gpd.GeoDataFrame:
    return store(url).query()


@st.cache_resource(show_spinner="Loading incidents…", max_entries=2)
def _from_file(path: str, mtime: float) -> gpd.GeoDataFrame:
    return incidents_to_frame(load_incidents(path))


def loaded() -> tuple[str, gpd.GeoDataFrame]:
    """(data version key, every stored incident), cached until the store changes.

    When the store cannot be opened, says why and shows the embedded dataset
    (``GEO_INCIDENTS_FILE``) instead, so the map is never empty for that reason.
    """
    settings = get_settings()
    try:
        url = settings.database_url
        revision = store(url).revision()
        key = f"{url}@{revision}"
        frame = _stored(url, revision)
    except GeoError as exc:
        st.warning(f"The incident store is unavailable ({exc}); showing the embedded dataset.")
        path = str(settings.incidents_file)
        key = f"file:{path}@{_mtime(path)}"
        frame = _from_file(path, _mtime(path))
    st.session_state["_data_key"] = key
    return key, frame


def incidents() -> gpd.GeoDataFrame:
    """Every stored incident (see :func:`loaded`)."""
    return loaded()[1]


def data_key() -> str:
    """The version key of the data last loaded in this session."""
    return str(st.session_state.get("_data_key") or loaded()[0])


def assertions(incident_id: str) -> dict[str, dict[str, Any]]:
    """What each source said about an incident ({} when the store is unavailable)."""
    try:
        return store(get_settings().database_url).assertions(incident_id)
    except GeoError:
        return {}


@st.cache_resource(show_spinner="Loading boundaries…")
def _boundaries(key: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, str]]:
    settings = get_settings()
    aliases = {k: v[1] for k, v in province_lookup(settings).items()}
    return load_admin0(settings), load_admin1(settings), aliases


def boundaries() -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None, dict[str, str]]:
    """Countries, region provinces and a province-spelling → ISO code map.

    When the boundary files cannot be had, says why once and returns Nones so
    the page still shows the incidents.
    """
    try:
        return _boundaries(str(get_settings().boundaries_dir))
    except GeoError as exc:
        st.warning(f"Province boundaries are unavailable: {exc}")
        return None, None, {}


def _date_bounds(df: pd.DataFrame) -> tuple[date, date]:
    if df.empty:
        today = date.today()
        return today - timedelta(days=365), today
    dates = pd.to_datetime(df["event_date"])
    return dates.min().date(), dates.max().date()


@st.cache_data(show_spinner=False, max_entries=4)
def _facets(key: str, _df: pd.DataFrame) -> dict[str, Any]:
    """Choices offered by the sidebar, computed once per data version ``key``."""
    actors = _df["actors"].fillna("").str.split("; ").explode()
    counts = actors[actors != ""].value_counts()
    return {
        "bounds": _date_bounds(_df),
        "countries": sorted(c for c in _df["country_iso2"].dropna().unique() if c),
        "provinces": sorted(
            {(str(c), str(p)) for c, p in zip(_df["country_iso2"], _df["admin1"], strict=True) if p}
        ),
        # each stored province name with its code, as the data has it (an import keeps the
        # file's own spelling: UCDP's "Khyber Pakhtunkwa" is PK-KP)
        "province_codes": {
            str(p): str(i)
            for p, i in zip(_df["admin1"], _df["admin1_iso"], strict=True)
            if isinstance(p, str) and p and isinstance(i, str) and i
        },
        "event_types": sorted(set(EVENT_TYPES) | set(_df["event_type"].dropna())),
        "actors": sorted(counts.index[:MAX_ACTOR_OPTIONS]),
    }


def _province_options(facets: dict[str, Any], countries: list[str]) -> list[str]:
    pairs = facets["provinces"]
    return sorted({p for c, p in pairs if not countries or c in countries})


def _initial(key: str, value: object) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _matching(wanted: tuple[str, ...], options: list[str]) -> list[str]:
    """URL values that are options, compared case-insensitively, in the options' spelling."""
    by_fold = {o.casefold(): o for o in options}
    return list(dict.fromkeys(by_fold[w.casefold()] for w in wanted if w.casefold() in by_fold))


def _set_period(preset: str) -> None:
    """Button callback: a date preset sets the slider (callbacks run before widgets).

    On a dataset that ends before today the presets count back from its latest incident.
    """
    lo, hi = st.session_state["_slider_bounds"]
    st.session_state["f_dates"] = preset_dates(preset, date.today(), (lo, hi), latest=hi)


def step_period(direction: int) -> None:
    """Button callback: move the date window one playback step."""
    lo, hi = st.session_state["_data_bounds"]
    window = step_window(
        st.session_state["f_dates"], (lo, hi), st.session_state.get("play_step", "week"), direction
    )
    if window is not None:
        st.session_state["f_dates"] = window


def _apply_pending() -> None:
    """Changes asked for after a widget was drawn (map clicks, the player), applied first."""
    if "_pending_dates" in st.session_state:
        st.session_state["f_dates"] = st.session_state.pop("_pending_dates")
    if st.session_state.pop("_pending_stop", False):
        st.session_state["playing"] = False


def _period_widgets(facets: dict[str, Any], url: Filters) -> tuple[date, date, date, date]:
    """Presets and the date slider, both spanning the data (not up to today)."""
    lo, hi = facets["bounds"]
    top = max(hi, lo + timedelta(days=1))
    st.session_state["_slider_bounds"] = (lo, top)
    st.session_state["_data_bounds"] = (lo, hi)
    _initial("f_dates", (max(lo, url.date_from or lo), min(top, url.date_to or top)))
    cols = st.sidebar.columns(3)
    today = date.today()
    short = {"Last 30 days": "30 d", "Last 12 months": "12 mo", "All": "All"}
    for col, preset in zip(cols, DATE_PRESETS, strict=True):
        col.button(short[preset], key=f"preset_{preset}", on_click=_set_period, args=(preset,),
                   help=preset_label(preset, today, hi), width="stretch")  # fmt: skip
    if hi < today:
        st.sidebar.caption(f"Presets count back from the latest incident, {hi.isoformat()}.")
    start, end = st.sidebar.slider(
        "Date range", min_value=lo, max_value=top, key="f_dates", format="YYYY-MM-DD"
    )
    return start, end, lo, top


def sidebar_filters(df: pd.DataFrame) -> Filters:
    """Draw the shared sidebar and return the chosen filters.

    The first run of a session reads the URL (``?province=Takhar``); every run
    writes the state back, so the address bar always reproduces the view.
    """
    _apply_pending()
    url = parse_query_params({k: st.query_params.get_all(k) for k in st.query_params})
    facets = _facets(data_key(), df)
    st.sidebar.header("Filters")
    start, end, lo, top = _period_widgets(facets, url)
    _initial("f_countries", [c for c in url.countries if c in facets["countries"]])
    countries = st.sidebar.multiselect("Countries", facets["countries"], key="f_countries")
    options = _province_options(facets, countries)
    _, _, aliases = boundaries()
    _initial(
        "f_provinces", _url_provinces(url.provinces, options, aliases, facets["province_codes"])
    )
    if "_pending_provinces" in st.session_state:
        st.session_state["f_provinces"] = _url_provinces(
            tuple(st.session_state.pop("_pending_provinces")), options, aliases,
            facets["province_codes"],
        )  # fmt: skip
    st.session_state["f_provinces"] = [p for p in st.session_state["f_provinces"] if p in options]
    provinces = st.sidebar.multiselect("Provinces", options, key="f_provinces")
    st.session_state["_province_options"] = options
    _initial("f_types", _matching(url.event_types, facets["event_types"]))
    types = st.sidebar.multiselect("Event types", facets["event_types"], key="f_types")
    _initial("f_actors", _matching(url.actors, facets["actors"]))
    actors = st.sidebar.multiselect("Actors", facets["actors"], key="f_actors")
    _initial("f_claims", _matching(url.claim_statuses, list(CLAIM_STATUSES)))
    claims = st.sidebar.multiselect("Claim status", list(CLAIM_STATUSES), key="f_claims")
    _initial("f_cross", url.cross_border)
    cross = st.sidebar.checkbox("Cross-border only", key="f_cross")
    _initial("f_min_fat", url.min_fatalities or 0)
    min_fat = st.sidebar.number_input("Minimum fatalities", min_value=0, step=1, key="f_min_fat")
    _initial("f_q", url.text)
    text = st.sidebar.text_input("Search notes and sources", key="f_q", max_chars=200)
    known = {"event_types": list(EVENT_TYPES), "claim_statuses": list(CLAIM_STATUSES),
             "provinces": list(aliases)}  # fmt: skip
    for warning in [*url.warnings, *unknown_filter_values(url, known, df)]:
        st.sidebar.text(f"⚠ {warning}")  # plain text: the value came from the URL
    chosen = Filters(
        date_from=start if start > lo else None,
        date_to=end if end < top else None,
        countries=tuple(countries),
        provinces=tuple(provinces),
        event_types=tuple(types),
        actors=tuple(actors),
        claim_statuses=tuple(claims),
        cross_border=bool(cross),
        min_fatalities=int(min_fat) or None,
        text=text.strip(),
        warnings=url.warnings,
    )
    st.query_params.from_dict(to_query_params(chosen))
    return chosen


def _url_provinces(
    wanted: tuple[str, ...],
    options: list[str],
    aliases: dict[str, str],
    option_codes: dict[str, str] | None = None,
) -> list[str]:
    """Province names from the URL (names or ISO codes, any case) that are options."""
    by_fold = {o.casefold(): o for o in options}
    known = option_codes or {}
    codes = {o: known.get(o) or aliases.get(province_key(o), "") for o in options}
    iso_to_name = {code.casefold(): o for o, code in codes.items() if code}
    out = []
    for w in wanted:
        key = w.casefold()
        name = (
            by_fold.get(key)
            or iso_to_name.get(key)
            or iso_to_name.get(aliases.get(province_key(w), "").casefold())
        )
        if name and name not in out:
            out.append(name)
    return out


@st.cache_resource(show_spinner=False, max_entries=2)
def _search_index(key: str, _df: pd.DataFrame) -> pd.Series:
    """Case-folded searchable text per incident, built once per data version ``key``."""
    return search_text(_df)


def filtered(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows matching ``filters``, with the boundaries' province spellings known.

    ``df`` is the loaded frame or a part of it (the text index is reused).
    """
    _, _, aliases = boundaries()
    search = _search_index(data_key(), loaded()[1]) if filters.text else None
    return apply_filters(df, filters, aliases, search)


def count_label(n: int) -> str:
    """ "1 incident" / "N incidents" """
    return f"{n} incident" if n == 1 else f"{n} incidents"
