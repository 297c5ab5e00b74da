"""Articles: read plain text, Markdown, HTML or a URL into clean text, and split sentences.

Reading is defensive: a file that is empty, binary, not UTF-8, larger than
``GEO_MAX_UPLOAD_MB`` or without usable text raises :class:`~geo._errors.ArticleError`
naming the file and the problem; text longer than ``GEO_MAX_ARTICLE_CHARS`` is cut and the cut
is recorded in :attr:`Article.problems`.  HTML goes through trafilatura (main text only;
scripts, styles, navigation and comments dropped), with a tag-stripping fallback.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from geo._errors import ArticleError
from geo.settings import Settings, get_settings

__all__ = [
    "Article",
    "PageMeta",
    "Sentence",
    "article_from_bytes",
    "article_from_html",
    "article_from_text",
    "fetch_article",
    "html_metadata",
    "html_to_text",
    "looks_like_html",
    "read_article",
    "split_sentences",
]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ""}
_HTML_HINT = re.compile(
    r"<\s*(?:html|body|head|p|div|script|style|article|span|a\s|br|!doctype)\b", re.IGNORECASE
)


@dataclass
class Article:
    """One article's clean text and metadata.

    ``source_id`` is stable: the first 12 hex digits of the SHA-1 of the text, so the same
    article read twice gets the same id.
    """

    text: str
    source_id: str
    title: str = ""
    publisher: str = ""
    url: str = ""
    published: date | None = None
    file: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    """A sentence (or headline, or bullet item) with its span in the article text."""

    start: int
    end: int
    text: str


def _source_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12]


def looks_like_html(text: str) -> bool:
    """True when ``text`` carries HTML markup (tags such as ``<p>`` or ``<script>``)."""
    return bool(_HTML_HINT.search(text[:20_000]))


def _strip_tags(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|noscript|template|iframe)\b.*?(</\1\s*>|$)", " ", markup)
    markup = re.sub(r"(?is)<!--.*?-->", " ", markup)
    markup = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d|/tr)\b[^>]*>", "\n", markup)
    markup = re.sub(r"(?s)<[^>]*>", " ", markup)
    return html_lib.unescape(markup)


@dataclass(frozen=True)
class PageMeta:
    """What an HTML page says about itself: title, site name and publication date."""

    title: str = ""
    publisher: str = ""
    published: date | None = None


def _page_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def html_metadata(markup: str) -> PageMeta:
    """Title, site name and publication date an HTML page carries (trafilatura's reading of
    its meta tags); empty fields when the page has none or cannot be parsed."""
    import trafilatura  # heavy import, only when HTML is actually seen

    try:
        meta = trafilatura.extract_metadata(markup)
    except Exception:  # trafilatura/lxml can fail on hostile markup
        return PageMeta()
    if meta is None:
        return PageMeta()
    return PageMeta(
        str(meta.title or "").strip(),
        str(meta.sitename or "").strip(),
        _page_date(meta.date),
    )


def html_to_text(markup: str) -> tuple[str, str]:
    """Main text and title of an HTML page (offline; nothing is fetched).

    Parameters
    ----------
    markup : str
        The HTML document.

    Returns
    -------
    tuple of str
        ``(text, title)``; both may be empty when the page has no main text.
    """
    import trafilatura  # heavy import, only when HTML is actually seen

    text, title = "", ""
    try:
        text = (
            trafilatura.extract(
                markup, include_comments=False, include_tables=False, favor_precision=True
            )
            or ""
        )
        meta = trafilatura.extract_metadata(markup)
        title = (meta.title or "") if meta is not None else ""
    except Exception:  # trafilatura/lxml can fail on hostile markup: fall back below
        text = ""
    if not text.strip():
        text = _strip_tags(markup)
    return _tidy(text), title.strip()


def _strip_markdown(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", text)
    text = re.sub(r"(?m)^\s*[-*+]\s+", "• ", text)
    return re.sub(r"(\*\*|__|\*|`)", "", text)


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r"\n[ \t]+", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _limit(text: str, settings: Settings, where: str, problems: list[str]) -> str:
    limit = settings.max_article_chars
    if len(text) > limit:
        problems.append(
            f"{where}: text cut to GEO_MAX_ARTICLE_CHARS={limit} characters (had {len(text)})"
        )
        return text[:limit]
    return text


def article_from_text(
    text: str,
    *,
    title: str = "",
    publisher: str = "",
    url: str = "",
    published: date | None = None,
    file: str = "",
    settings: Settings | None = None,
) -> Article:
    """Build an :class:`Article` from text (plain, Markdown or HTML, detected).

    Parameters
    ----------
    text : str
        The article.  HTML markup is detected and reduced to its main text; the page's
        own title, site name and publication date fill what the caller left empty.
    title, publisher, url, file : str
        Optional metadata, kept on the article (the caller's values win over the page's).
    published : date, optional
        Publication date; without it (and without one in the page) dates are inferred
        from the text.
    settings : Settings, optional
        For ``max_article_chars``; default :func:`geo.settings.get_settings`.

    Returns
    -------
    Article

    Raises
    ------
    ArticleError
        When no usable text is left (empty, only markup, only symbols).
    """
    settings = settings or get_settings()
    where = file or url or "text"
    problems: list[str] = []
    if not isinstance(text, str):
        raise ArticleError(f"{where}: expected text (str), got {type(text).__name__}")
    text = _limit(text, settings, where, problems)
    if looks_like_html(text):
        page = html_metadata(text)
        text, found_title = html_to_text(text)
        title = title or found_title
        publisher = publisher or page.publisher
        published = published or page.published
    elif file.lower().endswith((".md", ".markdown")):
        text = _strip_markdown(text)
    text = _tidy(text)
    if len(re.findall(r"[A-Za-z]{2,}", text)) < 3:
        raise ArticleError(
            f"{where}: no usable text (got {text[:60]!r}); expected an article "
            "in English with at least a few words"
        )
    return Article(text, _source_id(text), title, publisher, url, published, file, problems)


def article_from_html(markup: str, **metadata: object) -> Article:
    """Build an :class:`Article` from an HTML page; see :func:`article_from_text`."""
    text, title = html_to_text(markup)
    meta = dict(metadata)
    meta.setdefault("title", title)
    return article_from_text(text, **meta)  # type: ignore[arg-type]


def _decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise ArticleError(f"{path}: file is empty; expected article text")
    sample = data[:8192]
    controls = sum(b < 9 or 13 < b < 32 for b in sample)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise ArticleError(
            f"{path}: looks binary ({controls} control bytes in the first "
            f"{len(sample)}); expected a UTF-8 text, Markdown or HTML file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{path}: not UTF-8 (byte {data[exc.start : exc.start + 1]!r} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None


def read_article(
    path: str | Path,
    published: date | None = None,
    settings: Settings | None = None,
    **metadata: str,
) -> Article:
    """Read one article file (``.txt``, ``.md``, ``.html``).

    Parameters
    ----------
    path : str or Path
        The file.
    published : date, optional
        Publication date (the files themselves carry none).
    settings : Settings, optional
        For ``max_upload_mb`` and ``max_article_chars``.
    **metadata : str
        ``title``, ``publisher``, ``url``.

    Returns
    -------
    Article

    Raises
    ------
    ArticleError
        Missing, too large, empty, binary, non-UTF-8 or text-less file.
    """
    settings = settings or get_settings()
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None
    _check_size(size, path, settings)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return article_from_bytes(data, path.name, published, settings, **metadata)


def _check_size(size: int, where: object, settings: Settings) -> None:
    limit = int(settings.max_upload_mb * 1024 * 1024)
    if size > limit:
        raise ArticleError(
            f"{where}: {size} bytes is larger than GEO_MAX_UPLOAD_MB="
            f"{settings.max_upload_mb:g}; split the file or raise the setting"
        )


def article_from_bytes(
    data: bytes,
    name: str,
    published: date | None = None,
    settings: Settings | None = None,
    **metadata: str,
) -> Article:
    """An article from the bytes of an uploaded file named ``name`` (.txt, .md, .html).

    Raises
    ------
    ArticleError
        Too large, empty, binary, non-UTF-8 or text-less content, naming ``name``.
    """
    settings = settings or get_settings()
    _check_size(len(data), name, settings)
    text = _decode(data, Path(name))
    if Path(name).suffix.lower() in {".html", ".htm"} and not looks_like_html(text):
        text = f"<html><body>{text}</body></html>"
    return article_from_text(text, published=published, file=name, settings=settings, **metadata)


def fetch_article(
    url: str, published: date | None = None, settings: Settings | None = None, **metadata: str
) -> Article:  # pragma: no cover - network
    """Download a web page and read its main text (needs internet).

    Raises
    ------
    ArticleError
        When the page cannot be downloaded or has no main text.
    """
    import trafilatura

    if not re.match(r"https?://", url):
        raise ArticleError(f"{url!r}: not an http(s) URL")
    markup = trafilatura.fetch_url(url)
    if not markup:
        raise ArticleError(f"{url}: could not be downloaded (offline, or the site refused)")
    return article_from_text(markup, url=url, published=published, settings=settings, **metadata)


_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "col",
    "lt",
    "capt",
    "sgt",
    "st",
    "no",
    "vs",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.n",
    "u.k",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "gov",
    "sen",
    "rep",
    "maj",
    "brig",
}
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9•])|\n+")
_BULLET = re.compile(r"^[\s•*·\-–—]+")


def _is_abbrev(text: str, end: int) -> bool:
    word = re.search(r"([A-Za-z.]+)\.$", text[max(0, end - 12) : end])
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREV or bool(re.fullmatch(r"[a-z]", token))


def split_sentences(text: str) -> list[Sentence]:
    """Split article text into sentences, headlines and bullet items, keeping spans.

    A line break always ends a sentence (news paragraphs, bullets and headlines are lines);
    inside a line, ``. ! ?`` followed by a capital or digit does, unless the word before
    is a known abbreviation ("U.S.", "Gen.") or an initial.

    Parameters
    ----------
    text : str
        The article text.

    Returns
    -------
    list of Sentence
        Non-empty sentences in order; ``start``/``end`` index into ``text``.
    """
    out: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group(0)[0] in ".!?" and _is_abbrev(text, match.start() + 1):
            continue
        cut = match.start() + 1 if match.group(0)[0] in ".!?" else match.start()
        _append(out, text, start, cut)
        start = match.end()
    _append(out, text, start, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    lead = _BULLET.match(chunk)
    if lead:
        start += lead.end()
    chunk = text[start:end].rstrip()
    if len(chunk) > 1:
        out.append(Sentence(start, start + len(chunk), chunk))
