"""Fuzzing with hypothesis: arbitrary input raises nothing but the project's typed errors.

Covers extraction, geocoding, province assignment, ACLED/UCDP import and the URL/filter
parser, with the properties that must hold whatever the input: assignment keeps row count
and order, URL state round-trips.
"""

from __future__ import annotations

import string
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo._errors import GeoError
from geo.articles import article_from_text
from geo.boundaries import ASSIGN_COLUMNS, assign
from geo.extract import extract_article
from geo.filters import Filters, parse_query_params, to_query_params
from geo.importers import read_table

# Example counts come from the hypothesis profile (tests/conftest.py): 60 by default,
# many more under HYPOTHESIS_PROFILE=reliability (make reliability).
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HOSTILE_BITS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "\u202e",
    "\u200b",
    "Taloqan",
    "Takhar",
    "killed at least 8",
    "June 11",
    "ISIS-K",
    "rockets into Tajikistan",
    "Khwaja Ghar",
    "\x00",
    "x" * 5000,
]
texts = st.one_of(
    st.text(max_size=2000),
    st.lists(st.sampled_from(HOSTILE_BITS) | st.text(max_size=40), max_size=30).map(" ".join),
)


@pytest.fixture(scope="module")
def geocoder(shared_settings):
    if shared_settings.gazetteer_dir is None:
        pytest.skip("GEO_GAZETTEER_DIR is not set (CI sets it)")
    from geo.geocode import get_geocoder

    return get_geocoder(shared_settings)


@FUZZ
@given(text=texts)
def test_extract_raises_only_typed_errors(geocoder, shared_settings, text):
    try:
        article = article_from_text(text, settings=shared_settings, published=date(2022, 6, 12))
    except GeoError:
        return
    result = extract_article(article, geocoder=geocoder, settings=shared_settings)
    for inc in result.incidents:
        assert inc.country_iso2 in {"", "AF", "PK", "TJ", "UZ", "TM", "IR"}


@FUZZ
@given(name=st.text(max_size=80), country=st.sampled_from([None, "AF", "TJ", "zz", ""]))
def test_geocode_raises_only_typed_errors(geocoder, name, country):
    try:
        result = geocoder.resolve(name, country=country)
    except GeoError:
        return
    assert result.status in {"resolved", "ambiguous", "unresolved"}
    assert (result.best is None) == (result.status == "unresolved")


coords = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=23, max_value=43),
    st.text(alphabet=string.printable, max_size=6),
)


@FUZZ
@given(points=st.lists(st.tuples(coords, coords), max_size=40))
def test_assign_keeps_row_count_and_order(tiny_settings, points):
    lon = np.array([p[0] for p in points], dtype=object)
    lat = np.array([p[1] for p in points], dtype=object)
    out = assign(lon, lat, settings=tiny_settings)
    assert list(out.columns) == list(ASSIGN_COLUMNS) and len(out) == len(points)
    for i, (x, y) in enumerate(points):
        single = assign(
            np.array([x], dtype=object), np.array([y], dtype=object), settings=tiny_settings
        )
        assert single.iloc[0].assign_status == out.iloc[i].assign_status


params = st.dictionaries(
    st.sampled_from(
        [
            "from",
            "to",
            "country",
            "province",
            "event_type",
            "actor",
            "claim",
            "cross_border",
            "min_fatalities",
            "q",
            "junk",
        ]
    ),
    st.one_of(st.text(max_size=30), st.lists(st.text(max_size=15), max_size=3)),
    max_size=8,
)


@FUZZ
@given(query=params)
def test_url_parser_never_raises_and_round_trips(query):
    filters = parse_query_params(query)
    assert isinstance(filters, Filters)
    url = to_query_params(filters)
    again = parse_query_params(url)
    assert to_query_params(again) == url


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=600), st.text(max_size=600).map(lambda t: t.encode())),
    kind=st.sampled_from(["acled", "ucdp"]),
)
def test_import_raises_only_typed_errors(tmp_path_factory, tiny_settings, body, kind):
    path = tmp_path_factory.mktemp("fuzz") / "export.csv"
    path.write_bytes(body)
    try:
        report = read_table(kind, path, tiny_settings, provinces=False)
    except GeoError:
        return
    assert len(report.incidents) + report.skipped == report.rows  # every row accounted for
