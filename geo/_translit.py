"""Spelling folds for place names written in Latin script.

Two levels are used by the gazetteer:

* :func:`normalize` — a readable form: lower case, diacritics and apostrophes
  removed, hyphens turned into spaces, Persian connectors (``-e-``, ``-i-``,
  ``-ye-``) and generic words (district, village, …) dropped, spelled numbers
  written in digits ("Chak Two Hundred Five" → ``"chak 205"``).
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

__all__ = [
    "CONNECTORS",
    "GENERIC_WORDS",
    "NUMBER_WORDS",
    "clear_fold_caches",
    "fold",
    "norm_and_key",
    "normalize",
    "numbers_as_digits",
    "phonetic_key",
    "tokens",
]

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
        # "village"/"district" in local and foreign-language labels of the gazetteer
        "qaryah",
        "qarya",
        "qaryeh",
        "goth",
        "tehsil",
        "tahsil",
        "distretto",
        "distrito",
        "rayon",
        "raion",
        "nohiyasi",
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
        # caron and circumflex letters of Czech-style (ISO 9, scientific) romanisation
        "š": "sh",
        "ŝ": "sh",
        "č": "ch",
        "ĉ": "ch",
        "ž": "zh",
        "ẑ": "zh",
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


def _ascii_tables() -> tuple[bytes, bytes]:
    """``bytes.translate`` table and deletions equal to :data:`_SPECIAL` + ``_NON_ALNUM``
    for ASCII text: the fast path of :func:`fold` (no Unicode decomposition needed)."""
    table = bytearray(range(256))
    delete = bytearray()
    for b in range(128):
        ch = chr(b).lower().translate(_SPECIAL)
        if ch and len(ch) == 1 and (ch.isdigit() or "a" <= ch <= "z" or ch == " "):
            table[b] = ord(ch)
        else:
            delete.append(b)
    return bytes(table), bytes(delete)


_ASCII_TABLE, _ASCII_DELETE = _ascii_tables()

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
_DROP_VOWELS = str.maketrans("", "", "aeiouywh")
_REPEATS = re.compile(r"(.)\1+")
_DROPPED = CONNECTORS | GENERIC_WORDS


@lru_cache(maxsize=65_536)
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
    return _fold_ascii(text) if text.isascii() else _fold_unicode(text)


def _fold_ascii(text: str) -> str:
    """:func:`_fold_unicode` for ASCII text, with one byte-table translation."""
    return " ".join(text.encode().translate(_ASCII_TABLE, _ASCII_DELETE).decode().split())


def _fold_unicode(text: str) -> str:
    low = text.lower().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", low)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = _NON_ALNUM.sub("", ascii_only)
    return _SPACES.sub(" ", cleaned).strip()


# English number words, as GeoNames transcribes Punjab's numbered villages ("Chak Two
# Hundred Five" is "Chak 205" in reports), with the misspellings it carries ("eigth").
_UNIT_WORDS = "one two three four five six seven eight nine"
_TEEN_WORDS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_UNITS = {w: n for n, w in enumerate(_UNIT_WORDS.split(" "), 1)} | {"eigth": 8}
_TEENS = {w: n for n, w in enumerate(_TEEN_WORDS.split(" "), 10)}
_TENS = {w: 10 * n for n, w in enumerate(_TEN_WORDS.split(" "), 2)} | {"fourty": 40, "ninty": 90}
#: The words that start or continue a spelled number (not "hundred", which needs one).
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TEENS) | frozenset(_TENS)
#: Words that only announce a number: "Chak No. 205", "Chak number 205".
_NUMBER_MARKS = frozenset({"no", "number", "nr", "num"})


def _number_at(words: list[str], i: int) -> tuple[int, int] | None:
    """The number spelled from ``words[i]`` ("two hundred fifty three" → 253) and the
    index after it, or None.  One number is at most "<unit> hundred <tens> <unit>"."""
    n, j = 0, i
    if j + 1 < len(words) and words[j] in _UNITS and words[j + 1] == "hundred":
        n, j = 100 * _UNITS[words[j]], j + 2
    if j < len(words) and words[j] in _TENS:
        n, j = n + _TENS[words[j]], j + 1
        if j < len(words) and words[j] in _UNITS:
            n, j = n + _UNITS[words[j]], j + 1
    elif j < len(words) and (words[j] in _TEENS or words[j] in _UNITS):
        n, j = n + (_TEENS.get(words[j]) or _UNITS[words[j]]), j + 1
    return (n, j) if j > i else None


def numbers_as_digits(words: list[str]) -> list[str]:
    """``words`` with spelled numbers as digits and "no"/"number" before a number
    dropped: ``chak two hundred five`` and ``chak no 205`` both give ``chak 205``.

    Examples
    --------
    >>> numbers_as_digits("chak one hundred fifty seven gugera branch".split())
    ['chak', '157', 'gugera', 'branch']
    """
    if NUMBER_WORDS.isdisjoint(words) and _NUMBER_MARKS.isdisjoint(words):
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        got = _number_at(words, i) if words[i] in NUMBER_WORDS else None
        if got is not None:
            out.append(str(got[0]))
            i = got[1]
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if not (words[i] in _NUMBER_MARKS and (nxt[:1].isdigit() or nxt in NUMBER_WORDS)):
            out.append(words[i])
        i += 1
    return out


def tokens(text: str) -> list[str]:
    """Return the folded words of ``text`` without connectors or generic words, spelled
    numbers as digits (:func:`numbers_as_digits`)."""
    words = numbers_as_digits(fold(text).split())
    kept = [w for w in words if w not in _DROPPED]
    if not kept:  # a name made only of generic words ("Port") keeps them
        kept = words
    # An izafe written onto the word ("Mazari Sharif", "Sari Pul") is the connector too.
    if len(kept) == 1:
        return kept
    return [_strip_izafe(w) for w in kept[:-1]] + kept[-1:]


def _strip_izafe(word: str) -> str:
    """``word`` without a final -i/-e connector after two letters and a consonant
    (``mazari`` → ``mazar``; ``kabuli`` too, ``dehi`` not)."""
    if (
        len(word) >= 4
        and word[-1] in "ie"
        and word[-2] not in "aeiouy"
        and "a" <= word[-3] <= "z"
        and "a" <= word[-4] <= "z"
    ):
        return word[:-1]
    return word


@lru_cache(maxsize=65_536)
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


@lru_cache(maxsize=131_072)
def _skeleton(word: str) -> str:
    """The phonetic skeleton of one folded word (cached: words recur across names).

    A number keeps every digit and its own start ("#3_0_0_"): folding would make "300"
    "30" and joining would make "2 33" "233"."""
    if word.isdigit():
        return "#" + "_".join(word) + "_"
    if len(word) > 1 and word[-1] == "h" and word[-2] in "aeiou":
        word = word[:-1]  # a silent final h: Khwajah = Khwaja
    for src, dst in _FOLDS:
        if src in word:
            word = word.replace(src, dst)
    word = word.translate(_SINGLE)
    head, rest = word[:1], word[1:]
    if head in _VOWELS:
        head = "a"  # keep that the word starts with a vowel, not which one
    return _REPEATS.sub(_first_char, head + rest.translate(_DROP_VOWELS))


def _first_char(match: re.Match[str]) -> str:
    # a function, not the template r"\1": the re module expands templates slowly
    return match.group(1)


def norm_and_key(text: str) -> tuple[str, str]:
    """``(normalize(text), phonetic_key(text))`` in one pass, without the caches.

    Parameters
    ----------
    text : str
        A place name.

    Returns
    -------
    tuple of str
        The normalised name and its phonetic key (both empty when nothing is left).
    """
    words = tokens(text)
    return " ".join(words), _joined_key(words)


@lru_cache(maxsize=65_536)
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
    >>> phonetic_key("Sara Rogha") == phonetic_key("Sararogha")
    True
    """
    return _joined_key(normalize(text).split())


def _joined_key(words: list[str]) -> str:
    """The words' skeletons joined so that the key ignores where a name is split ("Sara
    Rogha" = "Sararogha", "Mir Ali" = "Mirali"): a later word's initial vowel mark is
    dropped, as inside a word, and a letter doubled across the join is written once."""
    if len(words) <= 1:
        return _skeleton(words[0]) if words else ""
    first, *rest = [_skeleton(w) for w in words]
    key = first + "".join([s[1:] if s[:1] == "a" else s for s in rest])
    return _REPEATS.sub(_first_char, key)


def clear_fold_caches() -> None:
    """Empty the caches of :func:`fold`, :func:`normalize`, :func:`phonetic_key` and the
    per-word skeletons (benchmarks time cold lookups with this)."""
    for fn in (fold, normalize, phonetic_key, _skeleton):
        fn.cache_clear()
