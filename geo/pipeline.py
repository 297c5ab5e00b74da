"""The one batch runner: read → extract → geocode → assign → merge → store.

Every entry point that turns article inputs into incidents goes through here: the
``geo extract`` and ``geo ingest`` commands, ``geo import`` for event-data exports,
and the Ingest page.  Each stage is a plain function of its own module
(:mod:`geo.articles`, :mod:`geo.extract`, :mod:`geo.geocode`, :mod:`geo.boundaries`,
:mod:`geo.merge`, :mod:`geo.store`); this module only orders them, reports progress
and keeps one input's failure from stopping the batch.

Inputs are files (``.txt``, ``.md``, ``.html``), folders (searched recursively) and
``http(s)://`` URLs, in any mix, or a manifest (:func:`read_manifest`): a CSV with columns
``path`` or ``url``, ``published``, ``publisher`` and ``title`` (any may be empty), one
article a row, whose metadata the articles keep.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from geo._errors import ArticleError, GeoError, InputRowError
from geo.articles import Article, fetch_article, read_article
from geo.extract import ExtractionResult, GeocoderLike, Problem, assign_provinces, extract_article
from geo.geocode import get_geocoder
from geo.incidents import Incident
from geo.merge import merge_incidents
from geo.review import ReviewBatch, prepare_review
from geo.settings import Settings, get_settings
from geo.store import IngestSummary, Store

__all__ = [
    "ARTICLE_SUFFIXES",
    "ArticleInput",
    "BatchResult",
    "FileStatus",
    "Progress",
    "expand_inputs",
    "extract_paths",
    "import_incidents",
    "ingest_paths",
    "iter_chunks",
    "read_input",
    "read_manifest",
    "review_articles",
]

#: File endings read as articles when a folder is given.
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
#: Problem kinds that are about places (listed apart from other problems in summaries).
_PLACE_PROBLEMS = frozenset({"unresolved_place", "outside_region", "no_place"})
#: Called as ``progress(done, total, label)`` after each input or chunk.
Progress = Callable[[int, int, str], None]


@dataclass
class FileStatus:
    """Outcome for one input: ``ok``, ``no_incident`` or ``error`` with a reason."""

    path: str
    status: str
    incidents: int = 0
    reason: str = ""


@dataclass
class BatchResult:
    """Merged incidents of a batch, per-input status and all problems."""

    incidents: list[Incident]
    files: list[FileStatus]
    problems: list[Problem]
    extracted: list[Incident] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (incidents as records)."""
        return {
            "incidents": [inc.to_dict() for inc in self.incidents],
            "files": [vars(f) for f in self.files],
            "problems": [vars(p) for p in self.problems],
        }


# --------------------------------------------------------------------------- read


@dataclass(frozen=True)
class ArticleInput:
    """One input of a batch: a file or URL and the metadata known for it."""

    item: str
    published: date | None = None
    publisher: str = ""
    title: str = ""

    def metadata(self) -> dict[str, str]:
        """The non-empty ``publisher``/``title``, as keyword arguments for the readers."""
        return {k: v for k, v in (("publisher", self.publisher), ("title", self.title)) if v}


def _manifest_date(value: str, where: str, line: int) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputRowError(where, line, "published", value, "expected YYYY-MM-DD") from None


def read_manifest(path: str | Path) -> tuple[list[ArticleInput], list[Problem]]:
    """The articles a manifest lists, and its rows that cannot be used.

    Parameters
    ----------
    path : str or Path
        A CSV file with a header; columns ``path`` or ``url`` (one of them per row),
        ``published`` (YYYY-MM-DD), ``publisher``, ``title``; any may be empty.  A
        relative ``path`` is read from the manifest's folder.

    Returns
    -------
    tuple
        ``(inputs, problems)``: a row without a path or URL is listed as a problem
        (``kind="manifest"``, with its line); a row with an unreadable date keeps its
        article, without the date, and is listed too.

    Raises
    ------
    ArticleError
        When the file cannot be read or has neither a ``path`` nor a ``url`` column.
    """
    where = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleError(f"{where}: cannot read manifest ({exc})") from None
    reader = csv.DictReader(lines)
    columns = {c.strip().lower() for c in reader.fieldnames or ()}
    if not columns & {"path", "url"}:
        raise ArticleError(
            f"{where}: a manifest needs a 'path' or 'url' column (got {sorted(columns)})"
        )
    inputs: list[ArticleInput] = []
    problems: list[Problem] = []
    for line, raw in enumerate(reader, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        item = row.get("path") or row.get("url") or ""
        if not item:
            problems.append(Problem(where, "manifest", f"line {line}: no path or url; row skipped"))
            continue
        if row.get("path") and not Path(item).is_absolute():
            item = str(Path(path).parent / item)
        published = None
        if row.get("published"):
            try:
                published = _manifest_date(row["published"], where, line)
            except InputRowError as exc:
                problems.append(Problem(where, "manifest", f"{exc}; read without a date"))
        inputs.append(ArticleInput(item, published, row.get("publisher", ""), row.get("title", "")))
    return inputs, problems


def _inputs(
    paths: Iterable[str | Path],
    published: date | None,
    manifest: str | Path | None,
    settings: Settings,
) -> tuple[list[ArticleInput], list[Problem]]:
    """The batch as :class:`ArticleInput`: the paths (``published`` for all), then the
    manifest's rows (each with its own date, else ``published``)."""
    inputs = [ArticleInput(item, published) for item in expand_inputs(paths, settings)]
    problems: list[Problem] = []
    if manifest is not None:
        listed, problems = read_manifest(manifest)
        inputs += [
            ArticleInput(i.item, i.published or published, i.publisher, i.title) for i in listed
        ]
    limit = settings.max_batch_files
    if len(inputs) > limit:
        raise ArticleError(
            f"{len(inputs)} article files is more than GEO_MAX_BATCH_FILES={limit}; "
            "split the batch or raise the setting"
        )
    return inputs, problems


def _is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def expand_inputs(paths: Iterable[str | Path], settings: Settings | None = None) -> list[str]:
    """Files, URLs, and the article files of folders (recursively, sorted), in input order.

    Raises
    ------
    ArticleError
        When the batch holds more inputs than ``GEO_MAX_BATCH_FILES``.
    """
    out: list[str] = []
    for raw in paths:
        item = str(raw)
        if not _is_url(item) and Path(item).is_dir():
            found = (q for q in Path(item).rglob("*") if q.is_file())
            out += sorted(str(q) for q in found if q.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            out.append(item)
    limit = (settings or get_settings()).max_batch_files
    if len(out) > limit:
        raise ArticleError(
            f"{len(out)} article files is more than GEO_MAX_BATCH_FILES={limit}; "
            "split the batch or raise the setting"
        )
    return out


def read_input(
    item: str, published: date | None, settings: Settings | None, **metadata: str
) -> Article:
    """One input as an :class:`~geo.articles.Article`: fetched when a URL, else read.

    ``metadata`` (``publisher``, ``title``) is kept on the article.
    """
    if _is_url(item):
        return fetch_article(item, published=published, settings=settings, **metadata)
    return read_article(item, published=published, settings=settings, **metadata)


# --------------------------------------------------------------------------- extract


def _geocoder(given: GeocoderLike | None, settings: Settings, items: Sequence[Any]) -> Any:
    """The geocoder passed in, else the default one, loaded only when there is work."""
    if given is not None or not items:
        return given
    return get_geocoder(settings)


def _extract_one(
    given: ArticleInput, geocoder: GeocoderLike, settings: Settings
) -> tuple[FileStatus, ExtractionResult | None, list[Problem]]:
    """One input's status, result and problems; an unreadable article is a problem too."""
    item = given.item
    try:
        article = read_input(item, given.published, settings, **given.metadata())
        result = extract_article(article, geocoder, settings, assign=False)
    except ArticleError as exc:
        return FileStatus(item, "error", 0, str(exc)), None, [Problem(item, "article", str(exc))]
    except (GeoError, ValueError, RecursionError) as exc:
        return FileStatus(item, "error", 0, f"{type(exc).__name__}: {exc}"), None, []
    if result.incidents:
        return FileStatus(item, "ok", len(result.incidents)), result, result.problems
    reason = "no event with a place in the covered region"
    return FileStatus(item, "no_incident", 0, reason), result, result.problems


def extract_paths(
    paths: Iterable[str | Path],
    published: date | None = None,
    geocoder: GeocoderLike | None = None,
    settings: Settings | None = None,
    merge: bool = True,
    progress: Progress | None = None,
    manifest: str | Path | None = None,
) -> BatchResult:
    """Read, extract, assign provinces and merge a batch, without storing it.

    One bad input never stops the batch: it gets ``status="error"`` and a reason.

    Parameters
    ----------
    paths : iterable of str or Path
        Files, folders (searched recursively) or URLs.
    published : date, optional
        Publication date for articles that do not state one.
    geocoder : GeocoderLike, optional
        Default :func:`geo.geocode.get_geocoder`.
    settings : Settings, optional
    merge : bool
        Merge the same event across articles (:func:`geo.merge.merge_incidents`).
    progress : callable, optional
        Called as ``progress(done, total, item)`` after each input.
    manifest : str or Path, optional
        A CSV of further inputs with their metadata (:func:`read_manifest`).

    Returns
    -------
    BatchResult
    """
    settings = settings or get_settings()
    inputs, problems = _inputs(paths, published, manifest, settings)
    files: list[FileStatus] = []
    extracted: list[Incident] = []
    coder = _geocoder(geocoder, settings, inputs)
    for n, given in enumerate(inputs, 1):
        status, result, found = _extract_one(given, coder, settings)
        files.append(status)
        problems += found
        if result is not None:
            extracted += result.incidents
        if progress is not None:
            progress(n, len(inputs), given.item)
    assign_provinces(extracted, settings)
    merged = merge_incidents(extracted) if merge else list(extracted)
    return BatchResult(merged, files, problems, extracted)


# --------------------------------------------------------------------------- store


def _article_meta(article: Article, label: str) -> dict[str, str]:
    return {
        "source_id": str(article.source_id),
        "publisher": str(article.publisher or ""),
        "url": str(article.url or ""),
        "published": article.published.isoformat() if article.published else "",
        "title": str(article.title or ""),
        "file": str(article.file or label),
    }


def _problem_lines(item: str, problems: Sequence[Problem], summary: IngestSummary) -> None:
    for problem in problems:
        line = f"{item}: {problem.message}" + (f" ({problem.text[:80]})" if problem.text else "")
        (summary.unresolved if problem.kind in _PLACE_PROBLEMS else summary.problems).append(line)


def _ingest_one(
    store: Store, given: ArticleInput, *, geocoder: GeocoderLike, settings: Settings, user: str,
) -> IngestSummary:  # fmt: skip
    item = given.item
    article = read_input(item, given.published, settings, **given.metadata())
    if store.has_article(article.text):
        return IngestSummary(articles_seen=1)
    result = extract_article(article, geocoder, settings)
    summary = store.ingest_article(
        article.text, _article_meta(article, item), result.incidents, user=user
    )
    _problem_lines(item, result.problems, summary)
    return summary


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    published: date | None = None,
    geocoder: GeocoderLike | None = None,
    settings: Settings | None = None,
    user: str = "system",
    progress: Progress | None = None,
    manifest: str | Path | None = None,
) -> IngestSummary:
    """Extract incidents from article files, folders or URLs and store them, article by article.

    Each article is one transaction (:meth:`geo.store.Store.ingest_article`); an article
    already stored is recognised by its text and not extracted again; an input that
    cannot be read is reported and the batch goes on.

    Parameters
    ----------
    store : Store
    paths : iterable of str or Path
        Files (``.txt``, ``.md``, ``.html``), folders (searched recursively) or URLs.
    published : date, optional
        Publication date for articles that do not state one.
    geocoder : GeocoderLike, optional
        Default :func:`geo.geocode.get_geocoder`.
    settings : Settings, optional
    user : str
        Recorded in history.
    progress : callable, optional
        Called as ``progress(done, total, item)`` after each article.
    manifest : str or Path, optional
        A CSV of further inputs with their metadata (:func:`read_manifest`).

    Returns
    -------
    IngestSummary
        Counts, problems and unresolved places (each line names its input).
    """
    settings = settings or get_settings()
    inputs, listed = _inputs(paths, published, manifest, settings)
    coder = _geocoder(geocoder, settings, inputs)
    total = IngestSummary()
    total.problems += [p.message for p in listed]
    for n, given in enumerate(inputs, 1):
        try:
            total.add(_ingest_one(store, given, geocoder=coder, settings=settings, user=user))
        except (GeoError, ValueError, OSError) as exc:
            total.problems.append(f"{given.item}: {type(exc).__name__}: {exc}")
        if progress is not None:
            progress(n, len(inputs), given.item)
    return total


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Successive lists of at most ``size`` items."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_incidents(
    store: Store,
    incidents: Sequence[Incident],
    *,
    user: str = "import",
    chunk_size: int = 10_000,
    progress: Progress | None = None,
) -> IngestSummary:
    """Store already-structured incidents (an ACLED or UCDP export) in chunks.

    Imports replace a stored incident with the same id (a re-import of a corrected
    export wins); each chunk is one transaction.  ``progress(rows_done, rows_total,
    "rows")`` counts rows, never more than there are.
    """
    total = IngestSummary()
    done = 0
    for chunk in iter_chunks(incidents, chunk_size):
        total.add(store.upsert_incidents(chunk, user=user, mode="replace"))
        done += len(chunk)
        if progress is not None:
            progress(done, len(incidents), "rows")
    if len(incidents) >= chunk_size:
        store.optimize()
    return total


# --------------------------------------------------------------------------- review


def review_articles(
    articles: Sequence[Article],
    *,
    geocoder: GeocoderLike | None = None,
    store: Store | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> list[ReviewBatch]:
    """Extract each article for review (nothing stored): drafts, candidates, merge targets.

    The Ingest page shows these batches; :func:`geo.review.save_review` stores them.
    """
    settings = settings or get_settings()
    geocoder = _geocoder(geocoder, settings, articles)
    batches = []
    for n, article in enumerate(articles, 1):
        batches.append(prepare_review(article, geocoder=geocoder, store=store, settings=settings))
        if progress is not None:
            progress(n, len(articles), article.file or article.source_id)
    return batches
