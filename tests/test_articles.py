"""Tests for geo.articles: reading, cleaning, sentence splitting, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo._errors import ArticleError
from geo.articles import (
    article_from_text,
    html_metadata,
    looks_like_html,
    read_article,
    split_sentences,
)
from geo.settings import Settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Gunmen attacked a post. Two guards died.",
            ["Gunmen attacked a post.", "Two guards died."],
        ),
        ("The U.S. envoy spoke. Then he left.", ["The U.S. envoy spoke.", "Then he left."]),
        ("Headline here\nBody sentence one.", ["Headline here", "Body sentence one."]),
        ("  • First bullet item\n  • Second bullet", ["First bullet item", "Second bullet"]),
        ("Gen. Khan said 3 died. Police came.", ["Gen. Khan said 3 died.", "Police came."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize(
    ("markup", "present", "absent"),
    [
        (
            "<html><body><script>alert('x')</script><p>Gunmen killed five people in a town "
            "market on Monday, police said.</p></body></html>",
            "Gunmen killed five",
            "alert",
        ),
        (
            "<div><style>p{color:red}</style><p>A roadside bomb hit a patrol near the border "
            "crossing and wounded two soldiers.</p></div>",
            "roadside bomb",
            "color",
        ),
    ],
)
def test_html_is_reduced_to_main_text(markup: str, present: str, absent: str) -> None:
    article = article_from_text(markup, settings=Settings())
    assert present in article.text
    assert absent not in article.text


def test_looks_like_html() -> None:
    assert looks_like_html("<p>x</p>")
    assert not looks_like_html("plain words, 3 < 4 and 5 > 2")


def test_source_id_is_stable() -> None:
    a = article_from_text("Militants attacked a checkpoint in the night.", settings=Settings())
    b = article_from_text("Militants attacked a checkpoint in the night.", settings=Settings())
    assert a.source_id == b.source_id and len(a.source_id) == 12


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"caf\xe9 in Kabul was bombed", "not UTF-8"),
        (b"<script>alert(1)</script>", "no usable text"),
        (b"!!! ??? ...", "no usable text"),
    ],
)
def test_bad_files_raise_article_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message):
        read_article(path, settings=Settings())


def test_too_large_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300_000)
    with pytest.raises(ArticleError, match="GEO_MAX_UPLOAD_MB"):
        read_article(path, settings=Settings(max_upload_mb=1.0))


def test_long_text_is_cut_and_said_so() -> None:
    article = article_from_text("Word salad here. " * 100, settings=Settings(max_article_chars=200))
    assert len(article.text) <= 200
    assert "GEO_MAX_ARTICLE_CHARS" in article.problems[0]


def test_markdown_markup_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Title\n\nA **bold** [link](http://x.org) about a raid in a village.\n")
    article = read_article(path, settings=Settings())
    assert "**" not in article.text and "http" not in article.text and "link" in article.text


# ------------------------------------------------------------------ page metadata (issue 16)
PAGE = """<html><head><title>Clash near the border</title>
<meta property="og:site_name" content="Frontier Wire">
<meta property="article:published_time" content="2019-03-05T08:30:00+04:30">
</head><body><article><p>Border police said gunmen attacked a checkpoint overnight and
two officers were wounded in the exchange of fire that followed.</p></article></body></html>"""


@pytest.mark.parametrize(
    ("given", "title", "publisher", "published"),
    [
        ({}, "Clash near the border", "Frontier Wire", "2019-03-05"),
        # what the caller (a manifest) says wins over the page's own tags
        ({"publisher": "Manifest Pub", "title": "Given title"}, "Given title", "Manifest Pub",
         "2019-03-05"),
    ],
)  # fmt: skip
def test_html_metadata_is_kept(given: dict, title: str, publisher: str, published: str) -> None:
    article = article_from_text(PAGE, **given)
    assert (article.title, article.publisher, str(article.published)) == (
        title,
        publisher,
        published,
    )
    assert "checkpoint" in article.text and "og:site_name" not in article.text


def test_html_metadata_of_a_page_without_tags_is_empty() -> None:
    assert html_metadata("<html><body><p>just text here</p></body></html>").published is None
