"""Cached loaders and the shared sidebar filters for every page.

Loaders take simple arguments (paths as strings, modification times) so
Streamlit's cache keys are cheap and a changed file is picked up.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import (
    Filters,
    GeoError,
    Store,
    apply_filters,
    get_settings,
    incidents_to_frame,
    load_admin0,
    load_admin1,
    load_incidents,
    open_store,
    parse_query_params,
    province_lookup,
    to_query_params,
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


STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def asset_base() -> str | None:
    """URL of the locally served Leaflet (``make vendor``), or None to use the CDN."""
    return "/app/static/vendor" if (STATIC_DIR / "vendor/leaflet/leaflet.js").is_file() else None


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


@st.cache_data(show_spinner="Loading incidents…", max_entries=8)
def _stored(url: str, revision: int) -> gpd.GeoDataFrame:
    return store(url).query()


@st.cache_data(show_spinner="Loading incidents…")
def _from_file(path: str, mtime: float) -> gpd.GeoDataFrame:
    return incidents_to_frame(load_incidents(path))


def incidents() -> gpd.GeoDataFrame:
    """Every stored incident (cached until the store changes).

    When the store cannot be opened, says why and shows the embedded dataset
    (``GEO_INCIDENTS_FILE``) instead, so the map is never empty for that reason.
    """
    settings = get_settings()
    try:
        url = settings.database_url
        return _stored(url, store(url).revision())
    except GeoError as exc:
        st.warning(f"The incident store is unavailable ({exc}); showing the embedded dataset.")
        path = str(settings.incidents_file)
        return _from_file(path, _mtime(path))


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


def _province_options(df: pd.DataFrame, countries: list[str]) -> list[str]:
    rows = df[df["country_iso2"].isin(countries)] if countries else df
    return sorted(p for p in rows["admin1"].dropna().unique() if p)


def _initial(key: str, value: object) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def sidebar_filters(df: pd.DataFrame) -> Filters:
    """Draw the shared sidebar and return the chosen filters.

    The first run of a session reads the URL (``?province=Takhar``); every run
    writes the state back, so the address bar always reproduces the view.
    """
    url = parse_query_params({k: st.query_params.get_all(k) for k in st.query_params})
    lo, hi = _date_bounds(df)
    _initial("f_dates", (max(lo, url.date_from or lo), min(hi, url.date_to or hi)))
    _initial("f_countries", [c for c in url.countries if c in set(df["country_iso2"])])
    st.sidebar.header("Filters")
    start, end = st.sidebar.slider(
        "Date range",
        min_value=lo,
        max_value=max(hi, lo + timedelta(days=1)),
        key="f_dates",
        format="YYYY-MM-DD",
    )
    countries = st.sidebar.multiselect(
        "Countries",
        sorted(c for c in df["country_iso2"].dropna().unique() if c),
        key="f_countries",
    )
    options = _province_options(df, countries)
    _, _, aliases = boundaries()
    _initial("f_provinces", _url_provinces(url.provinces, options, aliases))
    st.session_state["f_provinces"] = [p for p in st.session_state["f_provinces"] if p in options]
    provinces = st.sidebar.multiselect("Provinces", options, key="f_provinces")
    for warning in url.warnings:
        st.sidebar.caption(f"⚠ {warning}")
    chosen = url.with_(
        date_from=start if start > lo else None,
        date_to=end if end < hi else None,
        countries=tuple(countries),
        provinces=tuple(provinces),
    )
    st.query_params.from_dict(to_query_params(chosen))
    return chosen


def _url_provinces(
    wanted: tuple[str, ...], options: list[str], aliases: dict[str, str]
) -> list[str]:
    """Province names from the URL (names or ISO codes, any case) that are options."""
    by_fold = {o.casefold(): o for o in options}
    iso_to_name = {
        iso.casefold(): name for name, iso in ((o, aliases.get(o.casefold(), "")) for o in options)
    }
    out = []
    for w in wanted:
        key = w.casefold()
        name = (
            by_fold.get(key)
            or iso_to_name.get(key)
            or iso_to_name.get(aliases.get(key, "").casefold())
        )
        if name and name not in out:
            out.append(name)
    return out


def filtered(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows matching ``filters``, with the boundaries' province spellings known."""
    _, _, aliases = boundaries()
    return apply_filters(df, filters, aliases)


def count_label(n: int) -> str:
    """ "1 incident" / "N incidents" """
    return f"{n} incident" if n == 1 else f"{n} incidents"
