"""Step ``unicode``: one canonical Unicode form for Vietnamese text.

The same Vietnamese word can reach a corpus as many different code point
sequences: precomposed (NFC) or decomposed, with the tone mark typed before
the vowel mark (``e`` + U+0301 + U+0302, which NFC cannot compose into
``ế``), with deprecated tone marks (U+0340/U+0341), with the Icelandic ``Ð``
(U+00D0) standing in for ``Đ`` (U+0110), or with invisible characters inside
(zero-width spaces, soft hyphens, BOMs, bidi controls). Search, deduplication
and tokenisation all treat those as different words. This step gives every
one of them a single form.

NFC comes from ``unicodedata2``, so the output depends on the package
version, not on the interpreter's Unicode version.

Rules (the ``rule`` of each recorded change):

- ``nfc``: canonical composition (``e`` + U+0302 + U+0323 → ``ệ``).
- ``mark-order``: Vietnamese marks in an order NFC leaves uncomposed
  (``e`` + U+0301 + U+0302 → ``ế``).
- ``duplicate-mark``: the same combining mark twice (``a`` + U+0301 + U+0301).
- ``deprecated-mark``: U+0340/U+0341 used as grave/acute.
- ``lookalike``: ``Ð``/``ð`` (U+00D0/U+00F0) → ``Đ``/``đ`` in Vietnamese
  words only (``ÐH``, ``Ðảm``), never in ``Guðrún`` or ``Þórður``.
- ``invisible``: zero-width spaces, soft hyphens, BOMs, U+034F, bidi and
  other format controls; ZWJ/ZWNJ only next to Latin text (emoji sequences
  such as 👨‍👩‍👧 keep theirs).
- ``control``: C0/C1 control characters other than tab and newline.
- ``space-separator``: NBSP and every other space separator → one space each.
- ``line-break``: CRLF, CR, VT, FF, NEL, U+2028, U+2029 → ``\\n`` (one each).
- ``obfuscation``: one decoration mark on every character of a run
  (``H̼à̼ ̼N̼ộ̼i̼``) is removed.

>>> normalize_unicode("Vie\\u0302\\u0323t Nam \\u00d0H Qu\\u1ed1c gia")
'Việt Nam ĐH Quốc gia'
>>> normalize_unicode("Gu\\u00f0r\\u00fan")
'Guðrún'

Speed: clean text costs one regular-expression search for a class of every
character that could need work (built from ``unicodedata2`` and stored in
``vntext/data/unicode_classes.tsv``); only the matched spans are handled in
Python, with a cache for repeated combining sequences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

import regex
import unicodedata2

from vntext.config import Config
from vntext.pipeline import Step
from vntext.trace import Change, Edit, apply_edits

__all__ = [
    "LINE_BREAKS",
    "UnicodeStep",
    "character_classes",
    "count_line_breaks",
    "format_table",
    "normalize_unicode",
]

_TABLE = "unicode_classes.tsv"

# -- character sets that are policy, not Unicode data -----------------------

#: Every sequence this step turns into ``\n`` (``\r\n`` counts as one).
LINE_BREAKS = ("\r\n", "\r", "\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")
_LINE_BREAK_CHARS = "\r\x0b\x0c\x85\u2028\u2029"
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f"
_INVISIBLES = (
    "\u00ad\u034f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u206a-\u206f\u2066-\u2069\u3164\ufeff\uffa0"
)
_JOINERS = "\u200c\u200d"
#: Every character this step may delete (joiners only next to Latin text).
REMOVABLE = _CONTROLS + _INVISIBLES + _JOINERS
#: Characters next to which ZWJ/ZWNJ are junk: Latin script, ASCII, spaces.
_LATIN = "\x00-\u024f\u1e00-\u1eff"


def _is_latin(c: str) -> bool:
    return c <= "\u024f" or "\u1e00" <= c <= "\u1eff"

_LOOKALIKES = {"\u00d0": "\u0110", "\u00f0": "\u0111"}

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SHAPE_MARKS = frozenset("\u0302\u0306\u031b")
_VN_MARKS = _TONE_MARKS | _SHAPE_MARKS
_DEPRECATED = frozenset("\u0340\u0341")
_VN_BASES = frozenset("aeiouyAEIOUY")
#: Marks that no Latin letter needs (overlays, underlines, IPA-style marks):
#: the same one on every character of a run is obfuscation, not spelling.
_DECORATIONS = (
    "\u0305\u030d-\u0312\u0315-\u031a\u031c-\u0322\u0324-\u0326"
    "\u0329-\u033f\u0345-\u034e\u0350-\u036f"
)
_DECORATION_BASES = "\x20-\x7e\u00a0-\u024f\u1e00-\u1eff"


def _vietnamese_letters() -> frozenset[str]:
    letters = set("đĐ")
    for base in "aeiouy":
        shapes = {"a": "\u0306\u0302", "e": "\u0302", "o": "\u0302\u031b", "u": "\u031b"}
        for shape in ["", *shapes.get(base, "")]:
            for tone in ["", *sorted(_TONE_MARKS)]:
                for b in (base, base.upper()):
                    letters.add(unicodedata2.normalize("NFC", b + shape + tone))
    return frozenset(letters)


_VN_LETTERS = _vietnamese_letters()
#: Letters only Vietnamese uses (not Latin-1, and not đ, which the
#: look-alike rule itself produces): one of them marks a word as Vietnamese,
#: while ``ó`` or ``á`` could be Icelandic too.
_VN_SPECIFIC = frozenset(c for c in _VN_LETTERS if ord(c) > 0xFF and c not in "đĐ")
_VN_EVIDENCE = re.compile("[" + "".join(sorted(_VN_SPECIFIC)) + "]")
_NORDIC = frozenset("ÞþÆæÖöØøÅå")
_VN_SYLLABLE_SHAPE = re.compile(r"đ[aeiouy]{1,3}(?:c|ch|m|n|ng|nh|p|t)?")


# -- Unicode data tables ----------------------------------------------------


def _ranges(codepoints: Iterable[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for cp in sorted(codepoints):
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def character_classes(rebuild: bool = False) -> dict[str, list[tuple[int, int]]]:
    """The Unicode-derived character classes the fast path searches for.

    - ``combining``: characters that attach to the one before them (combining
      class other than 0, category M*, or the second half of a canonical
      composition such as Hangul vowel jamo);
    - ``decomposes``: other characters NFC changes (singletons such as
      U+2126 OHM SIGN);
    - ``space``: space separators other than U+0020.

    They are read from ``vntext/data/unicode_classes.tsv``, which
    ``scripts/build_unicode_classes.py`` writes; when the table was built
    from another ``unicodedata2`` version than the one installed (or with
    ``rebuild=True``), they are computed from ``unicodedata2`` instead, so
    the fast path can never miss a character.

    >>> classes = character_classes()
    >>> (0x0300, 0x036F) in classes["combining"]
    True
    """
    if not rebuild:
        version, classes = _read_table()
        if version == unicodedata2.unidata_version:
            return classes
    return _compute_classes()


def _compute_classes() -> dict[str, list[tuple[int, int]]]:
    combining: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    decomposes: set[int] = set()
    space: set[int] = set()
    for cp in range(0x110000):
        c = chr(cp)
        cat = unicodedata2.category(c)
        if cat == "Cn":
            continue
        if cat[0] == "M" or unicodedata2.combining(c):
            combining.add(cp)
        if cat == "Zs" and c != " ":
            space.add(cp)
        dec = unicodedata2.decomposition(c)
        if dec and not dec.startswith("<"):
            if unicodedata2.normalize("NFC", c) != c:
                decomposes.add(cp)
            else:
                parts = dec.split()
                if len(parts) == 2:
                    combining.add(int(parts[1], 16))
    return {
        "combining": _ranges(combining),
        "decomposes": _ranges(decomposes - combining - space),
        "space": _ranges(space),
    }


def _read_table() -> tuple[str, dict[str, list[tuple[int, int]]]]:
    text = resources.files("vntext").joinpath("data").joinpath(_TABLE).read_text(encoding="utf-8")
    version = ""
    classes: dict[str, list[tuple[int, int]]] = {}
    for line in text.splitlines():
        if line.startswith("# unidata_version"):
            version = line.split()[-1]
        if not line or line.startswith("#"):
            continue
        name, first, last = line.split("\t")
        classes.setdefault(name, []).append((int(first, 16), int(last, 16)))
    return version, classes


def format_table(classes: dict[str, list[tuple[int, int]]]) -> str:
    """The TSV text of ``unicode_classes.tsv`` for ``classes``."""
    lines = [
        "# Character classes for the fast path of vntext.unicode.",
        "# Generated from unicodedata2 by scripts/build_unicode_classes.py; do not edit.",
        "# Source: the Unicode Character Database (Unicode License v3), via unicodedata2.",
        f"# unidata_version {unicodedata2.unidata_version}",
        "# class\tfirst\tlast (hex code points, inclusive)",
    ]
    for name in ("combining", "decomposes", "space"):
        lines += [f"{name}\t{a:04X}\t{b:04X}" for a, b in classes[name]]
    return "\n".join(lines) + "\n"


def _class(ranges: Iterable[tuple[int, int]]) -> str:
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


class _Patterns:
    """Compiled expressions, built once per process on first use.

    ``re`` compiles a class of BMP characters into a bitmap, but a class with
    characters beyond U+FFFF into a list of ranges scanned one by one (about
    a hundred times slower). So the scanning expressions come in two
    variants: BMP-only, used for almost all text, and full, used only for
    text that holds a suspect character beyond U+FFFF (see
    :func:`_has_astral_suspect`).
    """

    def __init__(self, bmp_only: bool) -> None:
        classes = character_classes()

        def cls(name: str) -> str:
            ranges = classes[name]
            if bmp_only:
                ranges = [(a, min(b, 0xFFFF)) for a, b in ranges if a <= 0xFFFF]
            return _class(ranges)

        comb = cls("combining")
        other = cls("decomposes") + "".join(_LOOKALIKES)
        space = cls("space")
        removable = _CONTROLS + _INVISIBLES + _JOINERS
        #: Anything that may need work; clean text has none of it.
        self.suspect = re.compile(f"[{comb}{other}{space}{removable}{_LINE_BREAK_CHARS}]")
        self.slow = re.compile(
            f"(?P<lb>(?:\\r\\n?|[{_LINE_BREAK_CHARS}])+)"
            f"|(?P<sp>[{space}]+)"
            f"|(?P<seq>[{other}]?[{removable}]*[{comb}][{comb}{removable}]*|[{other}])"
            f"|(?P<rm>[{removable}]+)"
        )
        self.combining = re.compile(f"[{comb}]")
        self.mark_sequence = re.compile(f".[{comb}]+", re.DOTALL)
        self.control = re.compile(f"[{_CONTROLS}]")
        self.removable = re.compile(f"[{removable}]")
        # Next to Latin text, a space, a line break or a control character,
        # a joiner joins nothing (see _removals).
        self.joins_nothing = re.compile(
            f"[{_LATIN + space + _LINE_BREAK_CHARS + _CONTROLS + _INVISIBLES}]"
        )
        self.decoration = re.compile(f"[{_DECORATIONS}]")
        # Invisible and control characters between the units do not break a
        # run (they go too, so cleaning again must see the same run).
        mark = f"[{comb}{removable}]"
        self.obfuscated = re.compile(
            f"[{_DECORATION_BASES}]{mark}*?([{_DECORATIONS}]){mark}*"
            f"(?:[{removable}]*[{_DECORATION_BASES}](?:(?!\\1){mark})*\\1{mark}*){{2,}}"
        )
        self.trailing_combining = re.compile(f"[{comb}]*")


@cache
def _patterns(bmp_only: bool) -> _Patterns:
    return _Patterns(bmp_only)


_ASTRAL = regex.compile("[\U00010000-\U0010FFFF]")


@cache
def _astral_suspects() -> frozenset[str]:
    classes = character_classes()
    return frozenset(
        chr(cp)
        for name in ("combining", "decomposes", "space")
        for a, b in classes[name]
        for cp in range(max(a, 0x10000), b + 1)
    )


def _has_astral_suspect(text: str) -> bool:
    """Whether ``text`` holds a combining or NFC-changed character beyond U+FFFF."""
    m = _ASTRAL.search(text)
    if m is None:
        return False
    suspects = _astral_suspects()
    return any(c in suspects for c in _ASTRAL.findall(text, m.start()))


# -- fixing one combining sequence ------------------------------------------

_SEQUENCE_CACHE: dict[tuple[str, bool], tuple[str, str]] = {}
_CACHE_LIMIT = 65536


def _fix_sequence(seq: str, pats: _Patterns, latin: bool) -> tuple[str, str]:
    """Normalise a base character with its marks: ``(replacement, rule)``.

    ``latin`` says whether the character the marks sit on is Latin (or a
    space, or the start of a line): there, ZWJ/ZWNJ are junk and a doubled
    mark is a typo; on an emoji or an Indic letter they are left alone.
    """
    key = (seq, latin)
    hit = _SEQUENCE_CACHE.get(key)
    if hit is not None:
        return hit
    rule = "nfc"
    text = seq
    if pats.removable.search(text):
        kept = "".join(
            c for c in text if not pats.removable.fullmatch(c) or (not latin and c in _JOINERS)
        )
        if kept != text:
            rule = "control" if pats.control.search(text) else "invisible"
            text = kept
    if any(c in _DEPRECATED for c in text) and rule == "nfc":
        rule = "deprecated-mark"
    decomposed = unicodedata2.normalize("NFD", text)
    if decomposed and not pats.combining.match(decomposed):
        base, marks = decomposed[0], decomposed[1:]
    else:
        base, marks = "", decomposed
    if latin and marks:
        deduped = "".join(
            m for i, m in enumerate(marks) if i == 0 or m != marks[i - 1] or m > "\u036f"
        )
        if deduped != marks:
            rule = "duplicate-mark"
            marks = deduped
    result = unicodedata2.normalize("NFC", base + marks)
    if base in _VN_BASES and marks and all(m in _VN_MARKS for m in marks):
        shapes = "".join(dict.fromkeys(m for m in marks if m in _SHAPE_MARKS))
        tones = "".join(dict.fromkeys(m for m in marks if m in _TONE_MARKS))
        if len(shapes) <= 1 and len(tones) <= 1:
            ordered = unicodedata2.normalize("NFC", base + shapes + tones)
            if len(ordered) == 1 and ordered != result:
                if len(shapes) + len(tones) < len(marks):
                    rule = "duplicate-mark"
                elif rule != "duplicate-mark":
                    rule = "mark-order"
                result = ordered
    out = (result, rule)
    if len(_SEQUENCE_CACHE) >= _CACHE_LIMIT:
        _SEQUENCE_CACHE.clear()
    _SEQUENCE_CACHE[key] = out
    return out


# -- look-alikes -------------------------------------------------------------


def _word_around(text: str, i: int) -> tuple[int, int]:
    """The letters (with their marks) around ``text[i]``, at most 40 each way."""
    start = i
    while start > 0 and i - start < 40 and _is_word_char(text[start - 1]):
        start -= 1
    end = i + 1
    while end < len(text) and end - i < 40 and _is_word_char(text[end]):
        end += 1
    return start, end


def _is_word_char(c: str) -> bool:
    """Letters, digits, marks, and the characters this step removes (transparent)."""
    return (
        c.isalnum()
        or unicodedata2.category(c) in _WORD_CATEGORIES
        or _patterns(bmp_only=False).removable.match(c) is not None
    )


_WORD_CATEGORIES = frozenset({"Mn", "Mc", "Me", "Cf"})
_CONSONANTS = frozenset("BCDFGHJKLMNPQRSTVWXZĐ")


def _is_vietnamese_d(text: str, i: int) -> bool:
    """Whether ``text[i]`` (``Ð`` or ``ð``) stands for ``Đ``/``đ``.

    Icelandic and Faroese never start a word with ð, and Vietnamese never has
    đ inside a word except in all-consonant acronyms (``HĐND``). So: a
    word-initial Ð/ð in a word that is Vietnamese (a letter only Vietnamese
    uses, an all-consonant acronym such as ``ÐH``, or a Vietnamese syllable
    shape with Vietnamese text nearby), or Ð in an all-consonant acronym.

    The word and its surroundings are judged as this step will leave them
    (NFC, invisible characters gone, every Ð read as Đ), so that cleaning
    the output again decides the same way.
    """
    start, end = _word_around(text, i)
    word = _as_output(text[start:end]).translate(_READ_ETH_AS_D)
    if any(c in _NORDIC for c in word):
        return False
    letters = [c for c in word if c.isalpha()]
    if _as_output(text[start:i]):  # not the first letter of its word
        return text[i] == "\u00d0" and len(letters) <= 8 and all(c in _CONSONANTS for c in letters)
    rest = word[1:]
    if any(c in _VN_SPECIFIC for c in rest):
        return True
    if rest and all(c.isdigit() or c in _CONSONANTS for c in rest):
        return True
    decomposed = unicodedata2.normalize("NFD", "đ" + rest.lower())
    bare = "".join(c for c in decomposed if not unicodedata2.combining(c))
    if not _VN_SYLLABLE_SHAPE.fullmatch(unicodedata2.normalize("NFC", bare)):
        return False
    window = _as_output(text[max(0, start - 80) : min(len(text), end + 80)])
    return bool(_VN_EVIDENCE.search(window))


_READ_ETH_AS_D = str.maketrans(_LOOKALIKES)


def _as_output(text: str) -> str:
    """``text`` roughly as the step leaves it: NFC, without the characters it
    removes, marks NFC could not compose put in Vietnamese order (``À̆`` is
    ``Ằ``)."""
    pats = _patterns(bmp_only=False)
    plain: str = unicodedata2.normalize(
        "NFC",
        "".join(
            c for c in text if unicodedata2.category(c) != "Cf" and not pats.removable.match(c)
        ),
    )
    if pats.combining.search(plain):
        plain = pats.mark_sequence.sub(lambda m: _fix_sequence(m.group(), pats, True)[0], plain)
    return plain


# -- the step ----------------------------------------------------------------


def _edits(text: str, pats: _Patterns) -> list[Edit]:
    edits: list[Edit] = []
    prev_end = 0
    pos = 0
    while True:
        found = pats.suspect.search(text, pos)
        if found is None:
            break
        m = pats.slow.match(text, found.start())
        if m is None:  # pragma: no cover - every suspect starts some alternative
            raise AssertionError(f"unicode: no rule for {text[found.start()]!r}")
        start, end = m.span()
        pos = end
        kind = m.lastgroup
        if kind == "lb":
            run = m.group()
            edits.append(Edit(start, end, "\n" * (len(run) - run.count("\r\n")), "line-break"))
        elif kind == "sp":
            edits.append(Edit(start, end, " " * (end - start), "space-separator"))
        elif kind == "rm":
            edits.extend(_removals(text, start, end, pats))
        elif text[start] in _LOOKALIKES and end == start + 1:
            if _is_vietnamese_d(text, start):
                edits.append(Edit(start, end, _LOOKALIKES[text[start]], "lookalike"))
        else:
            first = text[start]
            if pats.combining.match(first) or pats.removable.match(first):
                # The marks sit on the character before, even when an earlier
                # edit (an NBSP made a space) took it.
                base = text[start - 1] if start > 0 else "\n"
                if start > prev_end and base != "\n":
                    start -= 1
            else:
                base = first
            latin = (
                _is_latin(base)
                or base in _JOINERS
                or base in _LINE_BREAK_CHARS
                or unicodedata2.category(base) == "Zs"
            )
            after, rule = _fix_sequence(text[start:end], pats, latin)
            b = text[start]
            if b in _LOOKALIKES and after.startswith(b) and _is_vietnamese_d(text, start):
                # an Ð carrying marks or invisible characters is judged too,
                # as it will be once they are gone
                after = _LOOKALIKES[b] + after[1:]
            edits.append(Edit(start, end, after, rule))
        prev_end = end
    if pats.decoration.search(text):
        edits = _with_obfuscation(text, edits, pats)
    return edits


def _with_obfuscation(text: str, edits: list[Edit], pats: _Patterns) -> list[Edit]:
    """Replace runs decorated with one mark on every character by their plain form.

    Each line holding such a run becomes one edit: its runs lose their
    decoration and the line is normalised again, until nothing changes (a
    run next to another with a different mark can only be seen once the
    first is gone). Other edits on the line are folded into it.
    """
    lines: list[tuple[int, int]] = []
    for m in pats.obfuscated.finditer(text):
        start, end = _line_around(text, m.start())
        if lines and lines[-1][0] == start:
            continue
        lines.append((start, end))
    if not lines:
        return edits
    kept = [e for e in edits if not any(s < e.end and e.start < t for s, t in lines)]
    for start, end in lines:
        line = text[start:end]
        for _ in range(len(line)):  # each round removes at least one mark
            plain = _normalize(_strip_decorations(line, pats), None)
            if plain == line:
                break
            line = plain
        kept.append(Edit(start, end, line, "obfuscation"))
    kept.sort(key=lambda e: e.start)
    return kept


def _strip_decorations(line: str, pats: _Patterns) -> str:
    """``line`` without the decoration mark of each obfuscated run in it."""
    parts = []
    pos = 0
    for m in pats.obfuscated.finditer(line):
        trailing = pats.trailing_combining.match(line, m.end())
        end = trailing.end() if trailing else m.end()
        parts.append(line[pos : m.start()])
        parts.append(line[m.start() : end].replace(m.group(1), ""))
        pos = end
    parts.append(line[pos:])
    return "".join(parts)


_LINE_BREAK = re.compile(f"[\n{_LINE_BREAK_CHARS}]")


def _line_around(text: str, i: int) -> tuple[int, int]:
    """The line holding ``text[i]``, by this step's definition of a line break."""
    start = i
    while start > 0 and not _LINE_BREAK.match(text, start - 1):
        start -= 1
    found = _LINE_BREAK.search(text, i)
    return start, found.start() if found else len(text)


def _removals(text: str, start: int, end: int, pats: _Patterns) -> list[Edit]:
    """Edits removing a run of control/invisible characters (joiners by context)."""
    run = text[start:end]
    if not any(c in _JOINERS for c in run):
        return [Edit(start, end, "", "control" if pats.control.match(run) else "invisible")]
    # The run goes but its joiners, which join what is around the whole run:
    # judged on the run's neighbours, not each joiner's own, so that what
    # stays (the joiners alone) is judged the same when cleaned again.
    junk = (
        start == 0
        or end == len(text)
        or pats.joins_nothing.match(text, start - 1) is not None
        or pats.joins_nothing.match(text, end) is not None
    )
    out = []
    for i in range(start, end):
        c = text[i]
        if c in _JOINERS and not junk:
            continue
        out.append(Edit(i, i + 1, "", "control" if pats.control.match(c) else "invisible"))
    return out


def _normalize(text: str, changes: list[Change] | None) -> str:
    if _has_astral_suspect(text):
        scan = _patterns(bmp_only=False)
    else:
        scan = _patterns(bmp_only=True)
        if scan.suspect.search(text) is None:
            return text
    return apply_edits(text, _edits(text, scan), "unicode", changes)


def normalize_unicode(text: str) -> str:
    """Apply every rule of the ``unicode`` step to ``text``.

    >>> normalize_unicode("e\\u0301\\u0302 \\u00d0\\u1ea3m b\\u1ea3o")
    'ế Đảm bảo'
    >>> normalize_unicode("Hà\\u00a0Nội\\u200b\\r\\n")
    'Hà Nội\\n'
    """
    return _normalize(text, None)


def count_line_breaks(text: str) -> int:
    """How many line breaks ``text`` has by this step's definition.

    The ``unicode`` step turns each of :data:`LINE_BREAKS` into one ``\\n``,
    so ``normalize_unicode(text).count("\\n") == count_line_breaks(text)``.

    >>> count_line_breaks("a\\r\\nb\\rc\\u2028d\\n")
    4
    """
    return len(re.findall(r"\r\n?|[\n\x0b\x0c\x85\u2028\u2029]", text))


class UnicodeStep(Step):
    """NFC, Vietnamese mark repair, look-alikes, invisible characters, spaces, line breaks."""

    name = "unicode"
    summary = (
        "NFC (unicodedata2), Vietnamese combining-mark order, Ð→Đ look-alikes, "
        "invisible and control characters, space separators, line breaks"
    )

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        _patterns(bmp_only=True)

    def apply(self, text: str, changes: list[Change] | None) -> str:
        return _normalize(text, changes)
