"""Import ACLED and UCDP GED exports, and plain CSV files, as incidents, keeping every row.

A row is skipped only when it cannot be dated or placed at all (no date, no
coordinates and no country or province), or is damaged (broken quoting, bytes that
are not UTF-8, wrong number of fields); each skipped row becomes an
:class:`~geo._errors.InputRowError` naming the file, the line (header = line 1) and
the column.  Every other problem keeps the row and flags it: the value is stored as
given (UCDP ``best`` outside ``low``..``high``) or left empty (text in a number
column), and a ``Flagged: …`` line (:func:`add_flag`) is added to the incident's
``notes``, which the table, the map's detail panel and every export show.  A row
without usable coordinates is placed at its province (representative point,
``geo_precision`` "province") or, failing that, its country.

Formats: ACLED exports before 2019 (``ally_actor_1``, "Remote violence"), 2019–2022
and 2023+ (``assoc_actor_1``, ``iso``, ``disorder_type``…); UCDP GED as its own CSV
download, the HDX CSV (its second line of ``#`` HXL tags is skipped) or the API's
JSON answer; a plain CSV with a column mapping (:func:`plain_mapper`).  ACLED's
actor roles (actor 1, associated actors 1, actor 2, associated actors 2) are kept as
evidence records (:func:`role_evidence`) so an ACLED export can write them back.

Precision codes are kept, mapped onto the incident schema:

=================  =====================================================
ACLED              ``geo_precision`` 1 → exact, 2 → district, 3 → province;
                   ``time_precision`` 1 → day, 2 → week, 3 → month
UCDP GED           ``where_prec`` 1 → exact, 2 → district (within 25 km),
                   3 → district, 4 → province, 5 → province (a line or area
                   between places), 6 → country, 7 → country (waters/air);
                   ``date_prec`` 1 → day, 2 → week (2–6 days), 3 → week,
                   4 → month, 5 → year
=================  =====================================================

Incident ids are ``acled:<event_id_cnty>`` and ``ucdp:<id>``, so importing the
same file again updates rather than duplicates.  UCDP's ``type_of_violence``
(when present) maps 1 and 2 to Battles / Armed clash and 3 to Violence against
civilians / Attack; without it, Battles.  Provinces: the file's own admin-1 name
is kept; its ISO 3166-2 code, and any missing country or province, come from
:func:`geo.boundaries.assign` (point in polygon) or the province name table.
"""

from __future__ import annotations

from geo.importers.csvread import read_csv_rows
from geo.importers.files import read_acled, read_table, read_ucdp
from geo.importers.places import fill_provinces, place_by_name, place_unlocated
from geo.importers.records import (
    ACTOR_ROLES,
    FLAG_PREFIX,
    ImportReport,
    actor_roles,
    actors_with_roles,
    add_flag,
    flags_of,
    role_evidence,
    split_actors,
)
from geo.importers.rows import (
    ACLED_COLUMNS,
    IMPORTERS,
    PLAIN_FIELDS,
    UCDP_COLUMNS,
    acled_row_to_incident,
    plain_mapper,
    ucdp_row_to_incident,
)

__all__ = [
    "ACLED_COLUMNS",
    "ACTOR_ROLES",
    "FLAG_PREFIX",
    "IMPORTERS",
    "PLAIN_FIELDS",
    "UCDP_COLUMNS",
    "ImportReport",
    "acled_row_to_incident",
    "actor_roles",
    "actors_with_roles",
    "add_flag",
    "fill_provinces",
    "flags_of",
    "place_by_name",
    "place_unlocated",
    "plain_mapper",
    "read_acled",
    "read_csv_rows",
    "read_table",
    "read_ucdp",
    "role_evidence",
    "split_actors",
    "ucdp_row_to_incident",
]
