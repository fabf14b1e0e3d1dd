"""Lexical data for typo correction: syllable counts, compound words, bigrams, confusions.

The tables live in ``vntext/data/`` as UTF-8 TSV files with a ``#`` header
naming their source and licence (see ``vntext/data/README.md``). They are
read the first time something asks for them and cached for the process, so
importing vntext costs nothing and a :class:`~vntext.Cleaner` that never
corrects typos never reads them.

Every key is lower case, NFC and in the *classic* tone style (``hòa``,
``thủy``, ``khỏe``: the mark on the first vowel of an open ``oa/oe/uy``), the
style most Vietnamese newspapers use, so that ``hoà`` and ``hòa`` count as one
syllable. :func:`syllable_key` turns any token into that form.

>>> syllable_key("Hoà")
'hòa'
>>> builtin_lexicon().count("ngành") > 100 * builtin_lexicon().count("nghành")
True
>>> builtin_lexicon().is_word("lãi suất"), builtin_lexicon().is_word("lãi xuất")
(True, False)

Users with their own corpus build counts with :func:`build_lexicon` (the
``vntext lexicon build`` command) and pass the file as the ``lexicon`` option;
:func:`load_lexicon` merges them with the built-in counts.
"""

from __future__ import annotations

import bz2
import gzip
import heapq
import io
import json
import lzma
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import IO

__all__ = [
    "LETTERS",
    "Confusion",
    "Lexicon",
    "build_lexicon",
    "builtin_lexicon",
    "confusions",
    "count_ngrams",
    "load_lexicon",
    "read_counts",
    "read_table",
    "syllable_key",
    "write_counts",
]

#: Lower-case letters of Vietnamese words (the 22 Vietnamese consonant
#: letters and vowels with every mark, plus f, j, w, z for loan words).
LETTERS = (
    "abcdefghijklmnopqrstuvwxyzđ"
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)

# Tone marks as combining characters, in the order vntext names tones.
_TONE_MARKS = {
    "\u0300": "huyền",
    "\u0301": "sắc",
    "\u0309": "hỏi",
    "\u0303": "ngã",
    "\u0323": "nặng",
}
_BASE_VOWELS = "aăâeêioôơuưy"


def _tone_tables() -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str], str]]:
    split: dict[str, tuple[str, str]] = {}
    join: dict[tuple[str, str], str] = {}
    for v in _BASE_VOWELS:
        join[(v, "")] = v
        split[v] = (v, "")
        for mark in _TONE_MARKS:
            c = unicodedata.normalize("NFC", v + mark)
            split[c] = (v, mark)
            join[(v, mark)] = c
    return split, join


#: toned vowel -> (base vowel, combining tone mark) and back.
TONE_SPLIT, TONE_JOIN = _tone_tables()
_OPEN_PAIR = re.compile(r"(?<![q])(o[ae]|uy)$")


def syllable_key(token: str) -> str:
    """The lookup form of a token: NFC, lower case, classic tone placement.

    >>> [syllable_key(t) for t in ["THUỶ", "khoẻ", "hoàn", "quý", "Thuở"]]
    ['thủy', 'khỏe', 'hoàn', 'quý', 'thuở']
    """
    word = unicodedata.normalize("NFC", token).lower()
    n = len(word)
    if n < 2:
        return word
    base, mark = TONE_SPLIT.get(word[-1], ("", ""))
    # Modern style marks the last vowel of an open oa/oe/uy (hoà); classic
    # marks the first (hòa). Closed rhymes (hoàn) and qu- (quý) agree in both.
    if mark and _OPEN_PAIR.search(word[:-1] + base):
        first = word[-2]
        if first in "ou":
            return word[:-2] + TONE_JOIN[(first, mark)] + base
    return word


# -- tables ---------------------------------------------------------------


def read_table(name: str) -> Iterator[list[str]]:
    """Rows of the packaged table ``vntext/data/<name>`` (comment lines skipped)."""
    with resources.files("vntext.data").joinpath(name).open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


@dataclass(frozen=True)
class Confusion:
    """A pair of spellings Vietnamese writers confuse, and where in a syllable.

    ``part`` is ``onset``, ``rhyme``, ``coda`` or ``tone``; ``a`` and ``b``
    replace each other at that position (``s``/``x`` at the onset, ``n``/``ng``
    as the final consonant, the hỏi/ngã marks as the tone).
    """

    part: str
    a: str
    b: str
    note: str


@cache
def confusions() -> tuple[Confusion, ...]:
    """The confusion sets of ``confusions.tsv``.

    >>> any(c.part == "onset" and {c.a, c.b} == {"s", "x"} for c in confusions())
    True
    """
    return tuple(Confusion(*row) for row in read_table("confusions.tsv"))


class Lexicon:
    """Syllable and bigram counts plus the compound-word dictionary.

    ``count`` looks up syllables, ``bigram`` pairs of syllables separated by a
    space; both take keys in :func:`syllable_key` form. ``is_word`` tells
    whether a space-separated sequence is a dictionary compound.
    """

    def __init__(
        self,
        unigrams: dict[str, int],
        bigrams: dict[str, int],
        words: frozenset[str],
        syllables: frozenset[str],
    ) -> None:
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.words = words
        self.syllables = syllables

    def count(self, syllable: str) -> int:
        return self.unigrams.get(syllable, 0)

    def bigram(self, first: str, second: str) -> int:
        return self.bigrams.get(first + " " + second, 0)

    def is_word(self, words: str) -> bool:
        return words in self.words

    def pair_known(self, first: str, second: str) -> bool:
        """True when ``first second`` is a compound or an attested bigram."""
        pair = first + " " + second
        return pair in self.words or self.bigrams.get(pair, 0) >= 2

    def merged(self, unigrams: dict[str, int], bigrams: dict[str, int]) -> Lexicon:
        """A new lexicon whose counts add ``unigrams`` and ``bigrams`` to these."""
        uni = dict(self.unigrams)
        for k, v in unigrams.items():
            uni[k] = uni.get(k, 0) + v
        bi = dict(self.bigrams)
        for k, v in bigrams.items():
            bi[k] = bi.get(k, 0) + v
        return Lexicon(uni, bi, self.words, self.syllables)


@cache
def builtin_lexicon() -> Lexicon:
    """The packaged tables, loaded once per process."""
    unigrams = {row[0]: int(row[1]) for row in read_table("syllable_counts.tsv")}
    bigrams = {row[0]: int(row[1]) for row in read_table("bigram_counts.tsv")}
    words = frozenset(row[0] for row in read_table("compounds.tsv"))
    syllables = frozenset(row[0] for row in read_table("syllables.tsv"))
    return Lexicon(unigrams, bigrams, words, syllables)


@cache
def load_lexicon(path: str | None) -> Lexicon:
    """The built-in lexicon, plus the counts of a file made by :func:`build_lexicon`."""
    lexicon = builtin_lexicon()
    if path is None:
        return lexicon
    unigrams, bigrams = read_counts(path)
    return lexicon.merged(unigrams, bigrams)


# -- counting a user's corpus ----------------------------------------------

_WORD_RUN = re.compile(f"[{LETTERS}]+(?: [{LETTERS}]+)*", re.IGNORECASE)
FORMAT_HEADER = "# vntext lexicon v1: syllable or bigram<TAB>count"


def _open_text(path: str | os.PathLike[str]) -> IO[str]:
    """Open a corpus file as text, decompressing by extension."""
    name = os.fspath(path)
    if name == "-":
        import sys

        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    if name.endswith(".gz"):
        return gzip.open(name, "rt", encoding="utf-8", errors="replace")
    if name.endswith(".bz2"):
        return bz2.open(name, "rt", encoding="utf-8", errors="replace")
    if name.endswith(".xz"):
        return lzma.open(name, "rt", encoding="utf-8", errors="replace")
    if name.endswith(".zst"):
        try:
            import zstandard
        except ImportError:  # pragma: no cover - depends on the environment
            raise ValueError(f"{name}: reading .zst needs the 'zstandard' package") from None
        raw = zstandard.ZstdDecompressor().stream_reader(open(name, "rb"))  # noqa: SIM115
        return io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
    return open(name, encoding="utf-8", errors="replace")


def _texts(path: str | os.PathLike[str], field: str) -> Iterator[str]:
    """Lines of a text file, or the ``field`` of each record of a JSONL file."""
    name = os.fspath(path)
    jsonl = ".jsonl" in name or ".ndjson" in name
    with _open_text(path) as fh:
        for n, line in enumerate(fh, 1):
            if not jsonl:
                yield line
                continue
            if not line.strip():
                continue
            try:
                value = json.loads(line).get(field)
            except (ValueError, AttributeError):
                raise ValueError(f"{name}:{n}: not a JSON object") from None
            if isinstance(value, str):
                yield value


def count_ngrams(texts: Iterable[str], max_entries: int = 2_000_000) -> dict[str, int]:
    """Count syllable unigrams and bigrams (keys joined by a space) in ``texts``.

    Syllables are runs of Vietnamese letters; a bigram is two syllables
    separated by exactly one space (punctuation, digits and line breaks cut
    bigrams). Memory stays bounded: whenever the table grows past
    ``max_entries`` the rarest half of it is dropped, so only rare n-grams can
    be under-counted, which is what typo correction can afford.

    >>> sorted(count_ngrams(["Hoà bình, hòa bình!"]).items())
    [('bình', 2), ('hòa', 2), ('hòa bình', 2)]
    """
    counts: dict[str, int] = {}
    get = counts.get
    for text in texts:
        for run in _WORD_RUN.findall(text):
            syllables = [syllable_key(s) for s in run.split(" ")]
            prev = ""
            for s in syllables:
                counts[s] = get(s, 0) + 1
                if prev:
                    pair = prev + " " + s
                    counts[pair] = get(pair, 0) + 1
                prev = s
        if len(counts) > max_entries:
            _prune(counts, max_entries // 2)
    return counts


def _prune(counts: dict[str, int], keep: int) -> None:
    """Keep the ``keep`` most frequent entries of ``counts`` (in place)."""
    cutoff = heapq.nlargest(keep, counts.values())[-1]
    for key in [k for k, v in counts.items() if v <= cutoff]:
        del counts[key]


def write_counts(counts: dict[str, int], output: str | os.PathLike[str], min_count: int) -> int:
    """Write ``counts`` (those at least ``min_count``) as a sorted lexicon file."""
    rows = sorted((k, v) for k, v in counts.items() if v >= min_count)
    tmp = os.fspath(output) + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(FORMAT_HEADER + "\n")
        for key, value in rows:
            fh.write(f"{key}\t{value}\n")
    os.replace(tmp, output)
    return len(rows)


def build_lexicon(
    paths: Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    field: str = "text",
    min_count: int = 2,
    max_entries: int = 2_000_000,
) -> int:
    """Count syllables and bigrams in corpus files and write a lexicon file.

    ``paths`` are plain text or JSONL files (``field`` holds the text),
    optionally compressed (``.gz``, ``.bz2``, ``.xz``, ``.zst``); ``-`` is
    standard input. The output is a TSV file of ``syllable<TAB>count`` and
    ``syllable syllable<TAB>count`` rows (counts below ``min_count`` are left
    out) that the ``lexicon`` option of the ``typos`` step reads. Returns the
    number of rows written.
    """
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1; got {min_count!r}")
    if max_entries < 1000:
        raise ValueError(f"max_entries must be at least 1000; got {max_entries!r}")

    def texts() -> Iterator[str]:
        for path in paths:
            yield from _texts(path, field)

    return write_counts(count_ngrams(texts(), max_entries), output, min_count)


def read_counts(path: str | os.PathLike[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Read a lexicon file: (syllable counts, bigram counts)."""
    unigrams: dict[str, int] = {}
    bigrams: dict[str, int] = {}
    name = os.fspath(path)
    with open(name, encoding="utf-8") as fh:
        first = fh.readline().rstrip("\n")
        if first != FORMAT_HEADER:
            raise ValueError(f"{name}: not a vntext lexicon file (made by 'vntext lexicon build')")
        for n, line in enumerate(fh, 2):
            key, sep, value = line.rstrip("\n").partition("\t")
            if not sep or not value.isdigit():
                raise ValueError(f"{name}:{n}: expected 'syllable<TAB>count'")
            (bigrams if " " in key else unigrams)[key] = int(value)
    return unigrams, bigrams
