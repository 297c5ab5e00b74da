"""The one batch runner: read → extract → geocode → assign → merge → store.

Every entry point that turns article inputs into incidents goes through here: the
``geo extract`` and ``geo ingest`` commands, ``geo import`` for event-data exports,
and the Ingest page.  Each stage is a plain function of its own module
(:mod:`geo.articles`, :mod:`geo.extract`, :mod:`geo.geocode`, :mod:`geo.boundaries`,
:mod:`geo.merge`, :mod:`geo.store`); this module only orders them, reports progress
and keeps one input's failure from stopping the batch.

Inputs are files (``.txt``, ``.md``, ``.html``), folders (searched recursively) and
``http(s)://`` URLs, in any mix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from geo._errors import ArticleError, GeoError
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
    "BatchResult",
    "FileStatus",
    "Progress",
    "expand_inputs",
    "extract_paths",
    "import_incidents",
    "ingest_paths",
    "iter_chunks",
    "read_input",
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


def read_input(item: str, published: date | None, settings: Settings | None) -> Article:
    """One input as an :class:`~geo.articles.Article`: fetched when a URL, else read."""
    if _is_url(item):
        return fetch_article(item, published=published, settings=settings)
    return read_article(item, published=published, settings=settings)


# --------------------------------------------------------------------------- extract


def _geocoder(given: GeocoderLike | None, settings: Settings, items: Sequence[Any]) -> Any:
    """The geocoder passed in, else the default one, loaded only when there is work."""
    if given is not None or not items:
        return given
    return get_geocoder(settings)


def _extract_one(
    item: str, published: date | None, geocoder: GeocoderLike, settings: Settings
) -> tuple[FileStatus, ExtractionResult | None, list[Problem]]:
    """One input's status, result and problems; an unreadable article is a problem too."""
    try:
        article = read_input(item, published, settings)
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

    Returns
    -------
    BatchResult
    """
    settings = settings or get_settings()
    items = expand_inputs(paths, settings)
    files: list[FileStatus] = []
    problems: list[Problem] = []
    extracted: list[Incident] = []
    coder = _geocoder(geocoder, settings, items)
    for n, item in enumerate(items, 1):
        status, result, found = _extract_one(item, published, coder, settings)
        files.append(status)
        problems += found
        if result is not None:
            extracted += result.incidents
        if progress is not None:
            progress(n, len(items), item)
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
    store: Store, item: str, *, published: date | None, geocoder: GeocoderLike,
    settings: Settings, user: str,
) -> IngestSummary:  # fmt: skip
    article = read_input(item, published, settings)
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

    Returns
    -------
    IngestSummary
        Counts, problems and unresolved places (each line names its input).
    """
    settings = settings or get_settings()
    items = expand_inputs(paths, settings)
    coder = _geocoder(geocoder, settings, items)
    total = IngestSummary()
    for n, item in enumerate(items, 1):
        try:
            total.add(
                _ingest_one(
                    store, item, published=published, geocoder=coder, settings=settings,
                    user=user,
                )
            )  # fmt: skip
        except (GeoError, ValueError, OSError) as exc:
            total.problems.append(f"{item}: {type(exc).__name__}: {exc}")
        if progress is not None:
            progress(n, len(items), item)
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
