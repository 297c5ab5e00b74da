"""The ``geo`` command line (``python -m geo …``); every subcommand lives here.

Each subcommand has an ``_add_<name>(subparsers)`` that declares its arguments
and a ``_cmd_<name>(args) -> int`` that runs it; :data:`_PARSERS` lists them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from geo._errors import GeoError, SettingError

__all__ = ["main"]

_PARSERS: list[Callable[[argparse._SubParsersAction], None]] = []


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Incident mapping: geocode places, assign provinces, extract incidents.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in _PARSERS:
        add(sub)
    return parser


def _require_data(args: argparse.Namespace) -> None:
    """Stop with one error naming the setting when the command's data is missing."""
    from geo.datacheck import DATA_NEEDS, require_data
    from geo.settings import get_settings

    needs = DATA_NEEDS.get(args.command, ())
    if getattr(args, "no_provinces", False):
        needs = tuple(n for n in needs if n != "boundaries")
    if needs:
        require_data(get_settings(), needs)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _build_parser().parse_args(argv)
    try:
        _require_data(args)
        return int(args.func(args))
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


# --------------------------------------------------------------------------- assign (boundaries)


def _add_assign(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assign", help="add country and province to points: --batch IN.csv --out OUT.csv"
    )
    p.add_argument("--batch", metavar="IN.csv", required=True, help="CSV with lat and lon columns")
    p.add_argument("--out", metavar="OUT.csv", required=True, help="where to write the result")
    p.add_argument(
        "--tolerance-km",
        type=float,
        default=None,
        help="snap points outside every province to the nearest within this distance "
        "(default: GEO_ASSIGN_TOLERANCE_KM, 10)",
    )
    p.set_defaults(func=_cmd_assign)


def _cmd_assign(args: argparse.Namespace) -> int:
    from geo.boundaries import assign_csv

    report = assign_csv(args.batch, args.out, tolerance_km=args.tolerance_km)
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    counts = ", ".join(f"{n} {status}" for status, n in sorted(report.statuses.items()))
    print(f"{report.rows} row(s) written to {args.out}: {counts}", file=sys.stderr)
    return 0


_PARSERS.append(_add_assign)


# --------------------------------------------------------------------------- store: ingest,
# import, export, migrate (geo/store.py, geo/importers.py, geo/export.py)

_IMPORT_CHUNK = 5_000


def _csv_values(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for raw in values or () for v in raw.split(",") if v.strip())


def _add_db_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="store URL (default: GEO_DATABASE_URL)")
    p.add_argument("--user", default="cli", help="name recorded in the history (default: cli)")


def _add_filter_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (the same everywhere)")
    g.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day")
    g.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day")
    for flag, dest, what in (
        ("--country", "countries", "ISO2 country code"),
        ("--province", "provinces", "province name or ISO 3166-2 code"),
        ("--event-type", "event_types", "event type, e.g. Battles"),
        ("--actor", "actors", "actor name"),
        ("--claim-status", "claim_statuses", "claim status, e.g. claimed"),
    ):
        g.add_argument(
            flag, dest=dest, action="append", metavar="X", help=f"{what} (repeat or a,b)"
        )
    g.add_argument("--cross-border", action="store_true", help="only origin -> target events")
    g.add_argument("--min-fatalities", type=int, metavar="N", help="at least N killed (best)")
    g.add_argument("--bbox", metavar="W,S,E,N", help="bounding box in degrees")
    g.add_argument("--text", default="", help="words that must all appear")


def _bbox_arg(raw: str | None) -> tuple[float, float, float, float] | None:
    if not raw:
        return None
    try:
        west, south, east, north = (float(v) for v in raw.split(","))
    except ValueError:
        raise SettingError("--bbox", raw, "four numbers W,S,E,N") from None
    return west, south, east, north


def _date_arg(raw: str | None, flag: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise SettingError(flag, raw, "a date YYYY-MM-DD") from None


def _filters_from_args(args: argparse.Namespace) -> object:
    values = {
        "date_from": _date_arg(args.date_from, "--from"),
        "date_to": _date_arg(args.date_to, "--to"),
        "countries": tuple(c.upper() for c in _csv_values(args.countries)),
        "provinces": _csv_values(args.provinces),
        "event_types": _csv_values(args.event_types),
        "actors": _csv_values(args.actors),
        "claim_statuses": _csv_values(args.claim_statuses),
        "cross_border": bool(args.cross_border),
        "min_fatalities": args.min_fatalities,
        "bbox": _bbox_arg(args.bbox),
        "text": args.text or "",
    }
    try:
        from geo.filters import Filters

        filters = Filters(**values)
    except (ImportError, TypeError):
        return SimpleNamespace(**values)
    _check_filter_values(filters)
    return filters


def _province_spellings() -> Any:
    """The boundaries' province spellings for the store's filter, or None without them."""
    from geo.boundaries import provinces

    try:
        return provinces()
    except GeoError:
        return None


def _known_provinces(wanted: Sequence[str]) -> tuple[list[str], list[str]]:
    """(known names, codes and spellings; the wanted values none of them spells)."""
    from geo.regions import province_key

    spellings = _province_spellings()
    if spellings is None:
        return [], []  # no boundaries: nothing to compare against
    keys = set(spellings)
    names = [p.name for p in spellings.provinces.values()] + list(spellings.provinces)
    unknown = [
        w for w in wanted if w.strip().upper() not in spellings.provinces
        and province_key(w) not in keys
    ]  # fmt: skip
    return names + sorted(keys), unknown


def _check_filter_values(filters: Any) -> None:
    """A filter value that names nothing known is an error listing the closest names."""
    import pycountry

    from geo.filters import unknown_filter_values
    from geo.incidents import CLAIM_STATUSES, EVENT_TYPES

    province_names, unknown_provinces = _known_provinces(filters.provinces)
    known = {
        "countries": [c.alpha_2 for c in pycountry.countries],
        "event_types": list(EVENT_TYPES),
        "claim_statuses": list(CLAIM_STATUSES),
        "provinces": province_names,
    }
    problems = unknown_filter_values(filters.with_(provinces=tuple(unknown_provinces)), known)
    if problems:
        flags = {"country": "--country", "province": "--province", "event": "--event-type"}
        flag = flags.get(problems[0].split()[0], "--claim-status")
        raise SettingError(flag, problems[0].split("'")[1], "a known name", "; ".join(problems))


def _add_migrate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="create or upgrade the incident store's schema")
    _add_db_flags(p)
    p.set_defaults(func=_cmd_migrate)


def _cmd_migrate(args: argparse.Namespace) -> int:
    from geo.store import open_store

    with open_store(args.db) as store:
        print(f"{store.path} ({store.backend}): schema version {store.schema_version}")
    return 0


def _add_copy(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "copy",
        help="copy a whole store to an empty one (e.g. SQLite -> PostgreSQL), verified",
        description="Copies incidents, sources, links, assertions and history, then checks "
        "row counts and a content hash on both ends.",
    )
    p.add_argument("--from", dest="source", required=True, metavar="URL", help="source store")
    p.add_argument("--to", dest="target", required=True, metavar="URL", help="empty target")
    p.set_defaults(func=_cmd_copy)


def _cmd_copy(args: argparse.Namespace) -> int:
    from geo.store import copy_store

    report = copy_store(args.source, args.target)
    counts = ", ".join(f"{table} {n}" for table, n in report.counts.items())
    print(f"copied: {counts}")
    print(f"content hash {report.target_digest} (source and copy verified equal)")
    return 0


_MANIFEST_HELP = (
    "CSV of articles with columns path or url, published (YYYY-MM-DD), publisher, title "
    "(any may be empty)"
)


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="extract incidents from articles and store them")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files, folders or URLs")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date when unknown")
    p.add_argument("--manifest", metavar="FILE.csv", help=_MANIFEST_HELP)
    _add_db_flags(p)
    p.set_defaults(func=_cmd_ingest)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from geo.pipeline import ingest_paths
    from geo.store import open_store

    def progress(done: int, total: int, item: str) -> None:
        if total > 3:
            print(f"[{done}/{total}] {item}", file=sys.stderr)

    if not args.paths and not args.manifest:
        raise SystemExit("geo ingest: give article PATHs or --manifest FILE.csv")
    with open_store(args.db) as store:
        summary = ingest_paths(
            store, args.paths, published=_date_arg(args.published, "--published"),
            user=args.user, progress=progress, manifest=args.manifest,
        )  # fmt: skip
    print(summary.as_text())
    return 0


def _add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import an ACLED or UCDP GED export, a plain CSV (--map) or this tool's export",
        description="Every row is kept (problems flagged in its notes) unless it cannot be "
        "dated or placed; those are listed with line and reason.",
    )
    p.add_argument(
        "kind", choices=("acled", "ucdp", "csv", "export"),
        help="acled, ucdp (CSV, HDX CSV or API JSON), csv (a plain CSV: give --map) or "
        "export (a CSV/GeoJSON/GeoPackage written by `geo export`)",
    )  # fmt: skip
    p.add_argument("file", metavar="FILE", help="the file to import")
    p.add_argument(
        "--map", dest="mapping", action="append", metavar="FIELD=COLUMN",
        help="for csv: which column holds a field, e.g. --map date=When --map place=Town "
        "(fields: date, place, latitude, longitude, country, province, district, event_type, "
        "sub_event_type, actor1, actor2, killed, wounded, source, url, notes, id)",
    )  # fmt: skip
    p.add_argument(
        "--no-provinces", action="store_true",
        help="do not fill province codes from the boundaries (no boundary data needed)",
    )  # fmt: skip
    _add_db_flags(p)
    p.set_defaults(func=_cmd_import)


def _mapping_arg(values: Sequence[str] | None) -> dict[str, str]:
    out = {}
    for raw in values or ():
        field, sep, column = raw.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise SettingError("--map", raw, "FIELD=COLUMN, e.g. date=When")
        out[field.strip()] = column.strip()
    return out


def _name_geocoder(mapping: dict[str, str]) -> Any:
    """The offline geocoder when a plain CSV has place names but no coordinates."""
    if "place" not in mapping or "latitude" in mapping:
        return None
    from geo.datacheck import require_data
    from geo.geocode import get_geocoder
    from geo.settings import get_settings

    require_data(get_settings(), ("gazetteer",))
    return get_geocoder()


def _read_import(args: argparse.Namespace) -> object:
    from geo.export import read_export
    from geo.importers import read_table

    if args.kind == "export":
        return read_export(args.file)
    if args.kind == "csv":
        mapping = _mapping_arg(args.mapping)
        try:
            return read_table(
                "csv",
                args.file,
                mapping=mapping,
                provinces=not args.no_provinces,
                geocoder=_name_geocoder(mapping),
            )
        except ValueError as exc:
            if isinstance(exc, GeoError):
                raise
            raise SettingError("--map", args.mapping, "a date column at least", str(exc)) from None
    return read_table(args.kind, args.file, provinces=not args.no_provinces)


def _cmd_import(args: argparse.Namespace) -> int:
    from geo.pipeline import import_incidents
    from geo.store import open_store

    def progress(done: int, total: int, unit: str) -> None:
        if total > _IMPORT_CHUNK:
            print(f"[{done}/{total}] {unit}", file=sys.stderr)

    if args.no_provinces:
        print("note: province codes not filled (--no-provinces)", file=sys.stderr)
    report: Any = _read_import(args)
    print(report.as_text(), file=sys.stderr)
    with open_store(args.db) as store:
        total = import_incidents(
            store, report.incidents, user=args.user, chunk_size=_IMPORT_CHUNK, progress=progress
        )
    total.skipped += report.skipped
    total.incident_ids = []
    print(total.as_text())
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write stored incidents to CSV, GeoJSON or GeoPackage")
    p.add_argument(
        "--format", dest="fmt", choices=("csv", "geojson", "gpkg", "acled"),
        help="default: from --out; acled = a CSV with ACLED's column names",
    )  # fmt: skip
    p.add_argument("--out", required=True, metavar="FILE", help="output file")
    _add_db_flags(p)
    _add_filter_flags(p)
    p.set_defaults(func=_cmd_export)


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.export import export_frame
    from geo.store import open_store

    filters = _filters_from_args(args)
    with open_store(args.db, provinces=_province_spellings()) as store:
        frame = store.query(filters)
    path = export_frame(frame, args.out, args.fmt)
    print(f"{len(frame)} incident(s) written to {path}")
    return 0


def _add_settings(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "settings",
        help="show the settings in use and where the data comes from; --write saves them",
        description="Every entry point (app, command line) reads the settings file, so data "
        "folders saved once (`make run` does it) are found outside make too.",
    )
    p.add_argument(
        "--write", action="store_true",
        help="save the data folders and store URL set in the environment to the settings file",
    )  # fmt: skip
    p.add_argument("--check", action="store_true", help="also check the boundaries and gazetteer")
    p.set_defaults(func=_cmd_settings)


def _cmd_settings(args: argparse.Namespace) -> int:
    import os

    from geo.settings import SETTINGS, get_settings, settings_file, write_settings_file

    path = settings_file()
    if args.write:
        saved = write_settings_file(path, os.environ)
        print(f"saved to {path}: {', '.join(saved) or 'nothing set'}")
    settings = get_settings()
    print(f"settings file: {path}{'' if path.exists() else ' (none)'}")
    for setting in SETTINGS:
        print(f"{setting.env}={getattr(settings, setting.attr)}")
    if args.check:
        from geo.datacheck import data_status

        for status in data_status(settings, ("boundaries", "gazetteer")):
            where = status.source or f"NOT AVAILABLE: {status.problem}"
            print(f"{status.name}: {where}")
        return int(any(s.problem for s in data_status(settings, ("boundaries",))))
    return 0


_PARSERS += [_add_ingest, _add_import, _add_export, _add_migrate, _add_settings]
_PARSERS.append(_add_copy)


# ------------------------------------------------------------------ geocode (issue 3)


def _add_geocode(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "geocode", help="resolve place names offline (one NAME, or --batch IN.csv --out OUT.csv)"
    )
    p.add_argument("name", nargs="?", help="a place name in any spelling")
    p.add_argument("--country", help="ISO2 code the place must be in, e.g. AF")
    p.add_argument("--admin1", help="province hint, e.g. Takhar or AF-TAK")
    p.add_argument("--context", help="free text mentioning nearby places or countries")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--batch", metavar="IN.csv", help="CSV with name[,country,admin1,context]")
    p.add_argument("--out", metavar="OUT.csv", help="output CSV for --batch (default: stdout)")
    p.add_argument(
        "--no-file-context",
        action="store_true",
        help="with --batch: do not let the file's sure places choose among namesakes that "
        "score alike (each row then gets what its name gets alone)",
    )
    p.set_defaults(func=_cmd_geocode)


def _cmd_geocode(args: argparse.Namespace) -> int:
    import json

    from geo.geocode import get_geocoder
    from geo.geocode_batch import geocode_csv

    if bool(args.name) == bool(args.batch):
        print("error: give either NAME or --batch IN.csv", file=sys.stderr)
        return 2
    geocoder = get_geocoder()
    if args.batch:
        report = geocode_csv(
            args.batch, args.out or sys.stdout, geocoder, file_context=not args.no_file_context
        )
        for err in report.errors:
            print(f"warning: {err}", file=sys.stderr)
        print(
            f"{report.rows} row(s): {report.resolved} resolved, {report.ambiguous} ambiguous, "
            f"{report.unresolved} unresolved, {len(report.errors)} bad row(s)",
            file=sys.stderr,
        )
        return 0
    result = geocoder.resolve(args.name, args.country, args.admin1, args.context)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        reason = f" — {result.reason}" if result.reason else ""
        print(f"{result.query!r}: {result.status}{reason}")
        for rank, c in enumerate(result.candidates, start=1):
            where = ", ".join(x for x in (c.admin2, c.admin1, c.country_iso2) if x)
            print(
                f"{rank:2}. {c.score:.3f}  {c.name} [{c.feature}, {c.geo_precision}] {where}"
                f"  {c.lat:.5f},{c.lon:.5f}  matched {c.matched_name!r}  {c.source_id}"
            )
    return 0 if result.status != "unresolved" else 1


_PARSERS.append(_add_geocode)


def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract and merge incidents from articles into JSON")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files, folders or URLs")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date when unknown")
    p.add_argument("--manifest", metavar="FILE.csv", help=_MANIFEST_HELP)
    p.add_argument("--json", required=True, metavar="OUT.json", help="where to write incidents")
    p.set_defaults(func=_cmd_extract)


def _cmd_extract(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict
    from pathlib import Path

    from geo.pipeline import extract_paths

    if not args.paths and not args.manifest:
        raise SystemExit("geo extract: give article PATHs or --manifest FILE.csv")
    batch = extract_paths(
        args.paths, published=_date_arg(args.published, "--published"), manifest=args.manifest
    )
    records = [inc.to_dict() for inc in batch.incidents]
    Path(args.json).write_text(
        json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for f in batch.files:
        print(f"{f.status:12} {f.incidents:3d}  {f.path}  {f.reason}", file=sys.stderr)
    for prob in batch.problems:
        if prob.kind in ("no_place", "year_unknown", "manifest"):
            print(f"note: {asdict(prob)['source']}: {prob.message}", file=sys.stderr)
    print(f"{len(records)} incident(s) from {len(batch.files)} file(s) → {args.json}")
    return 0 if any(f.status != "error" for f in batch.files) else 1


_PARSERS.append(_add_extract)


# ------------------------------------------------------------------ report (issue 7)


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="render the filtered view as a PNG, PDF report or stand-alone HTML map"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.png, FILE.pdf or FILE.html")
    p.add_argument("--title", default="Incident map", help="title printed on the map")
    p.add_argument("--tiles", action="store_true", help="OpenStreetMap tiles (needs internet)")
    p.add_argument(
        "--engine", choices=("auto", "browser", "static"), default="auto",
        help="auto: headless Chromium when available, else the static renderer",
    )  # fmt: skip
    p.add_argument("--made-at", metavar="ISO-TIME", help="date made (UTC) for identical output")
    p.add_argument("--db", metavar="URL", help="store URL (default: GEO_DATABASE_URL)")
    p.add_argument(
        "--full-list", action="store_true",
        help="PDF: add the list of every incident and article (default: summary tables only)",
    )  # fmt: skip
    p.add_argument(
        "--plain-basemap", action="store_true",
        help="country fill only: no shaded relief, water or place labels (nothing to prepare)",
    )  # fmt: skip
    _add_filter_flags(p)
    p.set_defaults(func=_cmd_report)


def _made_at_arg(raw: str | None) -> object:
    from datetime import datetime

    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise SettingError("--made-at", raw, "a date-time such as 2026-01-31T12:00") from None


def load_view_incidents(
    filters: object, db_url: str | None = None, settings: object = None
) -> tuple[object, str]:
    """The incidents matching ``filters`` (a :class:`geo.filters.Filters`) and where they came from.

    From the incident store (``db_url`` or ``GEO_DATABASE_URL``) when it holds any
    incidents (a missing SQLite file is not created); otherwise from the embedded
    dataset ``GEO_INCIDENTS_FILE``, province names matched through the boundary
    files' spellings when they load.  Returns ``(frame, "store <url>" | "file <path>")``.
    """
    from pathlib import Path

    from geo.boundaries import province_lookup
    from geo.filters import Filters, apply_filters
    from geo.incidents import incidents_to_frame, load_incidents
    from geo.settings import Settings, get_settings
    from geo.store import open_store

    assert isinstance(filters, Filters) and isinstance(settings, Settings | None)
    settings = settings or get_settings()
    url = db_url or settings.database_url
    if not url.startswith("sqlite:///") or Path(url[len("sqlite:///") :]).expanduser().is_file():
        with open_store(url, settings) as store:
            if store.count():
                return store.query(filters), f"store {url}"
    try:
        aliases = {k: v[1] for k, v in province_lookup(settings).items()}
    except GeoError:
        aliases = {}
    frame = incidents_to_frame(load_incidents(settings.incidents_file))
    return apply_filters(frame, filters, aliases), f"file {settings.incidents_file}"


def _cmd_report(args: argparse.Namespace) -> int:
    from geo.boundaries import load_admin0, load_admin1
    from geo.report import ReportView, previous_filters, read_manifest, write_report
    from geo.report.basemap import report_basemap
    from geo.settings import get_settings

    filters = _filters_from_args(args)
    frame, origin = load_view_incidents(filters, args.db)
    before = previous_filters(filters, frame)  # type: ignore[arg-type]
    previous = load_view_incidents(before, args.db)[0] if before is not None else None
    countries, provinces = load_admin0(), load_admin1()  # missing: an error, never a bare map
    basemap = None if args.plain_basemap else report_basemap(get_settings(), countries, provinces)
    if basemap is not None and basemap.problem:
        print(f"note: no shaded relief or water: {basemap.problem}", file=sys.stderr)
    view = ReportView(
        frame, filters, provinces, countries, title=args.title,  # type: ignore[arg-type]
        tiles=args.tiles, made_at=_made_at_arg(args.made_at),  # type: ignore[arg-type]
        previous=previous, full_list=args.full_list, basemap=basemap,  # type: ignore[arg-type]
    )  # fmt: skip
    path = write_report(view, args.out, engine=args.engine)
    manifest = read_manifest(path) if path.suffix.lower() != ".pdf" else {}
    renderer = manifest.get("renderer", "see the PDF properties")
    shown = len(view.incidents)
    print(f"{shown} incident(s) from {origin} → {path} (renderer: {renderer})")
    if manifest.get("fallback_reason"):
        print(f"note: static renderer used: {manifest['fallback_reason']}", file=sys.stderr)
    return 0


_PARSERS.append(_add_report)


# ------------------------------------------------------------------ hash-password (geo.auth)


def _add_hash_password(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "hash-password",
        help="hash a password for [geo_auth] password_hash in .streamlit/secrets.toml",
    )
    p.set_defaults(func=_cmd_hash_password)


def _cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from geo.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("error: the two passwords differ", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")
    if not password:
        print("error: the password must not be empty", file=sys.stderr)
        return 2
    print("[geo_auth]")
    print(f'password_hash = "{hash_password(password)}"')
    return 0


_PARSERS.append(_add_hash_password)
