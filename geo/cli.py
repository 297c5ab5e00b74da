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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _build_parser().parse_args(argv)
    try:
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

        return Filters(**values)
    except (ImportError, TypeError):
        return SimpleNamespace(**values)


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


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="extract incidents from articles and store them")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders or URLs")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date when unknown")
    _add_db_flags(p)
    p.set_defaults(func=_cmd_ingest)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from geo.pipeline import ingest_paths
    from geo.store import open_store

    def progress(done: int, total: int, item: str) -> None:
        if total > 3:
            print(f"[{done}/{total}] {item}", file=sys.stderr)

    with open_store(args.db) as store:
        summary = ingest_paths(
            store, args.paths, published=_date_arg(args.published, "--published"),
            user=args.user, progress=progress,
        )  # fmt: skip
    print(summary.as_text())
    return 0


def _add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import an ACLED or UCDP GED CSV export")
    p.add_argument("kind", choices=("acled", "ucdp"), help="the export's format")
    p.add_argument("file", metavar="FILE.csv", help="the CSV export")
    _add_db_flags(p)
    p.set_defaults(func=_cmd_import)


def _cmd_import(args: argparse.Namespace) -> int:
    from geo.importers import read_table
    from geo.pipeline import import_incidents
    from geo.store import open_store

    def progress(done: int, total: int, unit: str) -> None:
        if total > _IMPORT_CHUNK:
            print(f"[{done}/{total}] {unit}", file=sys.stderr)

    report = read_table(args.kind, args.file)
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
        "--format", dest="fmt", choices=("csv", "geojson", "gpkg"), help="default: from --out"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="output file")
    _add_db_flags(p)
    _add_filter_flags(p)
    p.set_defaults(func=_cmd_export)


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.export import export_frame
    from geo.store import open_store

    with open_store(args.db) as store:
        frame = store.query(_filters_from_args(args))
    path = export_frame(frame, args.out, args.fmt)
    print(f"{len(frame)} incident(s) written to {path}")
    return 0


_PARSERS += [_add_ingest, _add_import, _add_export, _add_migrate]
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
    p.set_defaults(func=_cmd_geocode)


def _cmd_geocode(args: argparse.Namespace) -> int:
    import json

    from geo.geocode import geocode_csv, get_geocoder

    if bool(args.name) == bool(args.batch):
        print("error: give either NAME or --batch IN.csv", file=sys.stderr)
        return 2
    geocoder = get_geocoder()
    if args.batch:
        report = geocode_csv(args.batch, args.out or sys.stdout, geocoder)
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
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders or URLs")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date when unknown")
    p.add_argument("--json", required=True, metavar="OUT.json", help="where to write incidents")
    p.set_defaults(func=_cmd_extract)


def _cmd_extract(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict
    from pathlib import Path

    from geo.pipeline import extract_paths

    batch = extract_paths(args.paths, published=_date_arg(args.published, "--published"))
    records = [inc.to_dict() for inc in batch.incidents]
    Path(args.json).write_text(
        json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for f in batch.files:
        print(f"{f.status:12} {f.incidents:3d}  {f.path}  {f.reason}", file=sys.stderr)
    for prob in batch.problems:
        if prob.kind == "no_date":
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


def _cmd_report(args: argparse.Namespace) -> int:
    from geo.boundaries import load_admin0, load_admin1
    from geo.report import ReportView, load_view_incidents, read_manifest, write_report

    filters = _filters_from_args(args)
    frame, origin = load_view_incidents(filters, args.db)  # type: ignore[arg-type]
    try:
        countries, provinces = load_admin0(), load_admin1()
    except GeoError as exc:
        print(f"warning: drawing without boundaries: {exc}", file=sys.stderr)
        countries = provinces = None
    view = ReportView(
        frame, filters, provinces, countries, title=args.title,  # type: ignore[arg-type]
        tiles=args.tiles, made_at=_made_at_arg(args.made_at),  # type: ignore[arg-type]
    )  # fmt: skip
    path = write_report(view, args.out, engine=args.engine)
    manifest = read_manifest(path) if path.suffix.lower() != ".pdf" else {}
    renderer = manifest.get("renderer", "see the PDF properties")
    print(f"{len(frame)} incident(s) from {origin} → {path} (renderer: {renderer})")
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
