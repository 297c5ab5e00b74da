"""Spelling folds for place names written in Latin script.

Two levels are used by the gazetteer:

* :func:`normalize` — a readable form: lower case, diacritics and apostrophes
  removed, hyphens turned into spaces, Persian connectors (``-e-``, ``-i-``,
  ``-ye-``) and generic words (district, village, …) dropped.
* :func:`phonetic_key` — a consonant skeleton of the normalised form that is the
  same for most transliterations of one name (Persian, Pashto, Uzbek and
  Russian-derived spellings): ``kh/x``, ``q/k/g/gh``, ``j/dzh/zh/dj``,
  ``ch/tsh``, doubled letters and vowels all fold together.

Both are pure functions of the string, so index and query agree by design.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["CONNECTORS", "GENERIC_WORDS", "normalize", "phonetic_key", "tokens"]

#: Persian/Pashto izafe connectors that spellings keep or drop at will.
CONNECTORS = frozenset({"e", "i", "ye", "yi", "y", "al", "el", "ul", "ol"})

#: Words that describe the kind of place rather than name it.
GENERIC_WORDS = frozenset(
    {
        "district",
        "districts",
        "village",
        "villages",
        "town",
        "city",
        "province",
        "provinces",
        "wuluswali",
        "woleswali",
        "uluswali",
        "area",
        "region",
        "oblast",
        "viloyati",
        "viloyat",
        "wilayat",
        "tuman",
        "tumani",
        "nohiyai",
        "nohiya",
        "karez",
        "qishlaq",
        "qishloq",
        "center",
        "centre",
        "port",
        "crossing",
        "border",
        "the",
        "of",
        "and",
        "suburb",
        "county",
        "mountains",
    }
)

# Characters that NFKD does not decompose into ASCII but that occur in
# transliterations of Persian, Uzbek, Turkish and Russian names.
_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ə": "a",
        "ʻ": "",
        "ʼ": "",
        "‘": "",
        "’": "",
        "'": "",
        "`": "",
        "´": "",
        "ʿ": "",
        "ʾ": "",
        "ˈ": "",
        "-": " ",
        "‐": " ",
        "–": " ",
        "—": " ",
        "_": " ",
        "/": " ",
        ".": " ",
        ",": " ",
        "(": " ",
        ")": " ",
    }
)
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")

# Ordered multi-letter folds; longest first so "dzh" is seen before "zh".
_FOLDS: tuple[tuple[str, str], ...] = (
    ("dzh", "j"),
    ("tsh", "c"),
    ("tch", "c"),
    ("sch", "s"),
    ("shch", "s"),
    ("kh", "x"),
    ("gh", "k"),
    ("zh", "j"),
    ("dj", "j"),
    ("ch", "c"),
    ("sh", "S"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("ts", "c"),
)
_SINGLE = str.maketrans({"q": "k", "g": "k", "c": "c", "v": "w", "z": "z", "x": "x"})
_VOWELS = frozenset("aeiouyw")
_WORD_FINAL_H = re.compile(r"(?<=[aeiou])h\b")
_IZAFE_END = re.compile(r"(?<=[a-z]{2}[^aeiouy])[ie]$")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics, apostrophes and punctuation.

    Parameters
    ----------
    text : str
        Any place name.

    Returns
    -------
    str
        ASCII lower case, words separated by single spaces.
    """
    low = text.lower().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", low)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = _NON_ALNUM.sub("", ascii_only)
    return _SPACES.sub(" ", cleaned).strip()


def tokens(text: str) -> list[str]:
    """Return the folded words of ``text`` without connectors or generic words."""
    words = fold(text).split(" ")
    kept = [w for w in words if w and w not in CONNECTORS and w not in GENERIC_WORDS]
    if not kept:  # a name made only of generic words ("Port") keeps them
        kept = [w for w in words if w]
    # An izafe written onto the word ("Mazari Sharif", "Sari Pul") is the connector too.
    return [_IZAFE_END.sub("", w) for w in kept[:-1]] + kept[-1:]


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Return the comparable form of a place name.

    Parameters
    ----------
    text : str
        A place name in any Latin-script spelling.

    Returns
    -------
    str
        Folded words joined by single spaces, e.g. ``"Mazar-e-Sharif"`` →
        ``"mazar sharif"``; empty when nothing usable is left.

    Examples
    --------
    >>> normalize("Khwaja-i-Ghar district")
    'khwaja ghar'
    """
    return " ".join(tokens(text))


def _skeleton(word: str) -> str:
    word = _WORD_FINAL_H.sub("", word)
    for src, dst in _FOLDS:
        word = word.replace(src, dst)
    word = word.translate(_SINGLE)
    head, rest = word[:1], word[1:]
    if head in _VOWELS:
        head = "a"  # keep that the word starts with a vowel, not which one
    body = "".join(ch for ch in rest if ch not in _VOWELS and ch != "h")
    out: list[str] = []
    for ch in head + body:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=400_000)
def phonetic_key(text: str) -> str:
    """Return the transliteration-insensitive key of a place name.

    Parameters
    ----------
    text : str
        A place name (raw or already normalised).

    Returns
    -------
    str
        The consonant skeleton of every word, concatenated without spaces so that
        "Lashkar Gah" and "Lashkargah" agree; empty when nothing is left.

    Examples
    --------
    >>> phonetic_key("Taloqan") == phonetic_key("Talokan") == phonetic_key("Taleqan")
    True
    """
    return "".join(_skeleton(w) for w in normalize(text).split(" ") if w)
