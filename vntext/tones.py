"""Tone-mark placement: one style throughout, misplaced and doubled marks fixed.

Vietnamese writes a syllable's tone as one mark on one vowel, and where that
mark goes follows from the syllable's structure (:mod:`vntext.syllable`).
Scraped text breaks this in three ways, each a rule in the trace:

- ``style``: two placements are both correct for open ``oa``/``oe``/``uy``
  and a corpus should use one. ``tone_style`` picks it, named by example
  (published sources call either one "old" or "new"):

  - ``classic`` (default): ``hòa, thúy, khỏe, Ủy ban, Thanh Hóa``: mark on
    the glide; most Vietnamese newspapers, and underthesea's output.
  - ``modern``: ``hoà, thuý, khoẻ, Uỷ ban, Thanh Hoá``: mark on the vowel.
  - ``keep``: leave either as written (misplaced marks are still fixed).

- ``misplaced``: a mark on a letter that no style uses (``Qúa`` -> ``Quá``,
  ``hòan`` -> ``hoàn``, ``gìa`` -> ``già``, ``lựơng`` -> ``lượng``), or an
  ``ươ`` written with one horn (``ngưòi`` -> ``người``). These are typos
  (of input methods, mostly), fixed in every style.
- ``doubled``: the same mark twice (``tạị`` -> ``tại``, ``xúât`` -> ``xuất``).

Only tokens that are Vietnamese syllables once the mark is moved are
touched, so ``café``, ``José``, ``Pokémon``, URLs, e-mail addresses and
code stay as they are, and case stays on its letter (``QÚA`` -> ``QUÁ``).

>>> normalize_tones("Qúa trình hòan thành ở Thanh Hoá, Thuỷ và Uỷ ban")
'Quá trình hoàn thành ở Thanh Hóa, Thủy và Ủy ban'
>>> normalize_tones("Thanh Hóa, khỏe, hòan tất", style="modern")
'Thanh Hoá, khoẻ, hoàn tất'
>>> normalize_tones("Thanh Hoá và Hòa Bình, taị đây", style="keep")
'Thanh Hoá và Hòa Bình, tại đây'

How it stays fast: correct text needs nothing, so the step scans the text
once with a regular expression that matches only the places where a mark (or
a horn) can be wrong. That expression is generated from the syllable model:
every valid syllable is written with its mark on each wrong letter, twice, in
the other style and with a lone horn, and the local context of each wrong
letter (the letter before, the two after: vowel, consonant, ``q``, ``g`` or a
word boundary) becomes a window. Each hit is then checked by parsing the
whole word (cached per word), so the expression may over-match but never
under-match the windows it scans. Its layout follows the cost of ``re``
(see :func:`_scanner`); the tests check it against the windows position by
position. A one-horn ``ươ`` marked on the ``o`` before a coda (``trưòng``)
is not scanned, for speed (``ngưòi`` is).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator

import unicodedata2

from vntext.config import Config
from vntext.pipeline import Step
from vntext.syllable import (
    BASE_AND_TONE,
    STYLES,
    TONED,
    VOWELS,
    Syllable,
    all_syllables,
    compose,
    parse,
    style_of,
    tone_position,
)
from vntext.trace import Change, Edit, apply_edits
from vntext.whitespace import glued_needs_space

__all__ = ["TONE_STYLES", "TonesStep", "fix_token", "normalize_tones"]

#: Values of the ``tone_style`` option.
TONE_STYLES = ("classic", "modern", "keep")

_CONSONANTS = "bcdđhklmnprstvx"  # q and g are context classes of their own
_HORN_VARIANTS = (("ươ", "ưo"), ("ươ", "uơ"))
_PAIRS = ("gi", "qu")  # context classes of two letters: the i of gi, the u of qu


def _word_shapes() -> Iterator[tuple[str, tuple[int, ...], bool]]:
    """Every valid spelling (lowercase), with the letters that may carry a mark.

    Yields ``(letters, correct positions by style, is_horn_variant)``.
    """
    for s in all_syllables(tones=False):
        marked = Syllable(s.onset, s.medial, s.nucleus, s.coda, 2)
        letters = marked.letters
        yield letters, (tone_position(marked, "classic"), tone_position(marked, "modern")), False
        if s.nucleus == "ươ":
            for right, wrong in _HORN_VARIANTS:
                yield letters.replace(right, wrong), (-1, -1), True


def _context(letters: str, marks: tuple[int, ...], i: int) -> str:
    """The abstract class of the letter at ``i``: ``#`` outside the word."""
    if i < 0 or i >= len(letters):
        return "#"
    ch = letters[i]
    if ch in VOWELS:
        mark = "*" if i in marks else ""
        if i > 0 and letters[i - 1] + ch in ("gi", "qu"):
            return letters[i - 1] + ch + mark
        return ch + mark
    return ch if ch in "qg" else "C"


def _needs_fix_windows(style: str) -> set[tuple[str, str, str, str]]:
    """(before, anchor, after1, after2) contexts of every fixable wrong spelling.

    The anchor is a wrongly marked vowel (``a*``), so it is followed by
    another vowel or ends the word (a marked vowel before a final consonant is
    always in its place). An ``ươ`` with one horn counts as wrong wherever its
    mark is, except on the ``ơ`` of ``uơ`` (``truờng``: the mark is right,
    only a horn is missing, which is a spelling error, not a mark's place).
    """
    windows: set[tuple[str, str, str, str]] = set()
    for letters, (classic, modern), horn in _word_shapes():
        vowel_at = [i for i, ch in enumerate(letters) if ch in VOWELS]
        if horn:
            for m in (i for i in vowel_at if letters[i] != "ơ"):
                windows.add(
                    (
                        _context(letters, (m,), m - 1),
                        letters[m] + "*",
                        _context(letters, (m,), m + 1),
                        _context(letters, (m,), m + 2),
                    )
                )
            continue
        right = {"classic": {classic}, "modern": {modern}, "keep": {classic, modern}}[style]
        marksets: list[tuple[int, ...]] = [(i,) for i in vowel_at if i not in right]
        marksets += [(a, b) for a, b in itertools.combinations(vowel_at, 2)]
        for marks in marksets:
            # Anchor on the wrong marks only: a correct mark next to a wrong
            # one shows up as the wrong one's context.
            for m in (m for m in marks if m not in right):
                windows.add(
                    (
                        _context(letters, marks, m - 1),
                        letters[m] + "*",
                        _context(letters, marks, m + 1),
                        _context(letters, marks, m + 2),
                    )
                )
    return windows


def _char_class(cls: str) -> str:
    """Regex character class for one abstract letter class."""
    if cls == "C":
        chars = _CONSONANTS + _CONSONANTS.upper()
    elif cls in ("q", "g"):
        chars = cls + cls.upper()
    elif cls[:2] in ("gi", "qu"):
        return f"[{cls[0]}{cls[0].upper()}]" + _char_class(cls[1:])
    elif cls.endswith("*"):
        base = cls[0]
        chars = "".join(TONED[b, t] for b in (base, base.upper()) for t in range(1, 6))
    elif cls.endswith("?"):
        base = cls[0]
        chars = "".join(TONED[b, t] for b in (base, base.upper()) for t in range(6))
    else:
        chars = cls + cls.upper()
    return "[" + "".join(sorted(set(chars))) + "]"


@functools.cache
def _scanner(style: str) -> re.Pattern[str]:
    """The compiled expression that finds every place ``style`` may change.

    It matches at the wrong mark of each window of :func:`_needs_fix_windows`
    whose next letter is a vowel or ends the word, and nowhere else, in the
    text padded with a space at each end (so that every mark has a letter
    before and after it: see :func:`_edits`).

    ``re`` scans for its first character class (the marks that can be wrong,
    about one letter in twelve of Vietnamese text) at C speed and runs the
    rest at each one found; each step of that costs about as much as the scan
    of several letters, so the expression is laid out to reject the usual mark
    in one or two cheap steps (a character class, a look-behind over plain
    classes) before any alternation: a mark followed by a consonant is never
    wrong; one that ends its word is wrong only after a vowel; one followed by
    a vowel is wrong only on ``i o u y ư``. The few left (``của``, ``quá``,
    ``hóa``) meet one look-behind on the letter before, the mark and the
    next letter, then the exact windows.

    Windows whose next letter is a consonant (a one-horn ``ươ`` marked on the
    ``o`` before a coda, ``trưòng``) are not scanned: letting consonants
    through the first step costs a fifth of the speed, for a typo that input
    methods make before ``i``/``u`` (``ngưòi``, which is scanned).
    """
    inside: dict[tuple[str, str, str], set[str]] = {}  # (mark, next, after) -> befores
    ending: dict[tuple[str, str], set[str]] = {}  # (mark, "") -> befores, mark ends the word
    for before, anchor, a1, a2 in _needs_fix_windows(style):
        if a1 == "#":
            ending.setdefault((anchor, ""), set()).add(before)
        elif a1[0] in VOWELS:
            inside.setdefault((anchor, a1, a2), set()).add(before)
    marks = {a for a, _, _ in inside} | {a for a, _ in ending}
    nexts = _letters(a1 for _, a1, _ in inside)
    head = (
        f"{_letters(marks)}[{nexts[1:-1]}\\W]"
        f"(?<![^{_before_letters(b for bs in ending.values() for b in bs)}].[^{nexts[1:-1]}])"
    )
    ending_only = marks - {a for a, _, _ in inside}
    if ending_only:
        head += f"(?<!{_letters(ending_only)}{nexts})"
    return re.compile(
        f"{head}(?:{_pair_guard(inside)}{_after_pair(inside)}|(?<=\\W){_by_befores(ending, 2)})"
    )


def _before_letters(befores: Iterable[str]) -> str:
    """The letters (inside a class) that the letter before a mark may be, for ``befores``."""
    parts = [
        "\\W" if b == "#" else _char_class(b[1:] if b[:2] in _PAIRS else b)[1:-1] for b in befores
    ]
    return "".join(sorted(set("".join(p for p in parts if p != "\\W")))) + (
        "\\W" if "\\W" in parts else ""
    )


def _pair_guard(windows: dict[tuple[str, str, str], set[str]]) -> str:
    """One look-behind on (letter before, mark, next letter) for ``windows``.

    Its alternatives open on the letter before (so ``re`` skips those that
    cannot match without entering them), grouped by what they allow after.
    """
    allowed: dict[str, dict[str, set[str]]] = {}  # before letters -> mark -> nexts
    for (anchor, a1, _), befores in windows.items():
        for b in befores:
            allowed.setdefault(_before_letters([b]), {}).setdefault(anchor, set()).add(a1)
    shared: dict[str, list[str]] = {}
    for letters, by_mark in sorted(allowed.items()):
        key = repr(sorted((m, sorted(n)) for m, n in by_mark.items()))
        shared.setdefault(key, []).append(letters)
    alts = []
    for group in shared.values():
        by_mark = allowed[group[0]]
        pairs = "|".join(_char_class(m) + _letters(sorted(by_mark[m])) for m in sorted(by_mark))
        alts.append(f"[{''.join(group)}](?:{pairs})")
    return "(?<=" + "|".join(alts) + ")"


def _after_pair(windows: dict[tuple[str, str, str], set[str]]) -> str:
    """The tree after a mark and its next letter: branch on the letter after."""
    by_after: dict[str, dict[tuple[str, str], set[str]]] = {}
    for (anchor, a1, a2), befores in windows.items():
        by_after.setdefault(a2, {})[anchor, a1] = befores
    # Letters after with the same windows share one branch.
    shared: dict[str, list[str]] = {}
    for a2 in sorted(by_after, key=lambda c: c == "#"):
        key = repr((a2 == "#", sorted(by_after[a2].items())))
        shared.setdefault(key, []).append(a2)
    branches = []
    for classes in shared.values():
        rest = by_after[classes[0]]
        if classes == ["#"]:
            branches.append("\\b" + _by_befores(rest, 2))
        else:
            branches.append(_letters(classes) + _by_befores(rest, 3))
    return "(?:" + "|".join(branches) + ")"


def _by_befores(marks: dict[tuple[str, str], set[str]], width: int) -> str:
    """Look-behinds for ``(anchor, next) -> befores``, ``width`` letters consumed.

    Pairs with the same letters before share one look-behind.
    """
    by_befores: dict[str, list[tuple[str, str]]] = {}
    for pair, befores in sorted(marks.items()):
        by_befores.setdefault(repr(sorted(befores)), []).append(pair)
    parts = []
    for pairs in by_befores.values():
        alts = "|".join(_char_class(a) + (_char_class(a1) if a1 else "") for a, a1 in pairs)
        gap = width - (2 if pairs[0][1] else 1)
        parts.append(f"(?<=(?:{alts})[\\s\\S]{{{gap}}})" + _behind(marks[pairs[0]], width))
    return "(?:" + "|".join(parts) + ")"


def _letters(classes: Iterable[str]) -> str:
    """One character class for the union of several letter classes."""
    return _char_class_of("".join(_char_class(c)[1:-1] for c in classes))


def _behind(befores: set[str], width: int) -> str:
    """Look-behind: the letter ``width + 1`` places back has one of the ``befores`` contexts.

    A lone ``i`` or ``u`` is not the one of ``gi`` or ``qu``, which are
    contexts of their own; ``#`` is no letter (the word starts after it).
    """
    parts = []
    gliding = {"i": "g", "u": "q"}
    singles = [b for b in befores if b != "#" and b[:2] not in _PAIRS]
    classes = [_char_class(b)[1:-1] for b in singles if b[0] not in gliding]
    for b in sorted(b for b in singles if b[0] in gliding):
        g = gliding[b[0]]
        parts.append(
            f"(?<={_char_class(b)}[\\s\\S]{{{width}}})(?<![{g}{g.upper()}][\\s\\S]{{{width + 1}}})"
        )
    if classes:
        parts.append(f"(?<={_char_class_of(''.join(classes))}[\\s\\S]{{{width}}})")
    for b in sorted(b for b in befores if b[:2] in _PAIRS):
        parts.append(f"(?<={_char_class(b)}[\\s\\S]{{{width}}})")
    if "#" in befores:
        parts.append(f"(?<!\\w[\\s\\S]{{{width}}})")
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _char_class_of(chars: str) -> str:
    return "[" + "".join(sorted(set(chars) - set("[]"))) + "]"


_WORD_START = re.compile(r"\w*\Z")
_WORD_END = re.compile(r"\w*")
# A chunk (between spaces) that is a URL, an e-mail address, a path or code.
_CODE_LIKE = re.compile(r"[@/\\_=<>{}|~^`$#%&*+\[\]]|://|\w\.\w|\w:\w")


def _is_code(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a URL, an address, a path or code.

    Punctuation gluing two Vietnamese words (``góp.Qúa trình``, ``IÀ:A``) is
    not code: the ``whitespace`` step will put a space there (the same test,
    :func:`vntext.whitespace.glued_needs_space`, decides both), and judging
    it as code here would leave the mark for a second run to fix.

    >>> _is_code("góp.Qúa", 0, 7), _is_code("vnexpress.net", 0, 13), _is_code("a.Qúa.vn", 0, 8)
    (False, True, True)
    """
    for m in _CODE_LIKE.finditer(text, start, end):
        mark = m.start() + 1
        if not (m.end() - m.start() == 3 and glued_needs_space(text, mark)):
            return True
    return False
_WORD_CHAR = re.compile(r"\w")
_PINYIN = re.compile("[āēīōūǖǎěǐǒǔǚǘǜĀĒĪŌŪǍĚǏǑǓ]")
_CHUNK_START = re.compile(r"\S*\Z")
_CHUNK_END = re.compile(r"\S*")
_TONED_VOWELS = frozenset(ch for ch, (_, t) in BASE_AND_TONE.items() if t)


def _unhorned(token: str) -> Syllable | None:
    """Parse a word whose ``ươ`` has one horn only (``ngưòi``), else ``None``."""
    lower = token.lower()
    for right, wrong in _HORN_VARIANTS:
        # Compare on the marks-stripped letters, repair keeping marks and case.
        stripped = "".join(BASE_AND_TONE.get(c, (c, 0))[0] for c in lower)
        k = stripped.find(wrong)
        if k < 0:
            continue
        fixed = list(token)
        for j, (r, w) in enumerate(zip(right, wrong, strict=True)):
            if r != w:
                base, tone = BASE_AND_TONE[token[k + j]]
                fixed[k + j] = TONED[r.upper() if base.isupper() else r, tone]
        s = parse("".join(fixed))
        if s is not None:
            return s
    return None


@functools.lru_cache(maxsize=1 << 15)
def fix_token(token: str, style: str = "classic") -> tuple[str, str] | None:
    """``(fixed, rule)`` for one word, or ``None`` when it needs nothing.

    ``rule`` is ``doubled``, ``misplaced`` or ``style`` (see the module
    docstring). Words that are not Vietnamese syllables give ``None``.

    >>> fix_token("tạị"), fix_token("Qúa"), fix_token("Hoá"), fix_token("Hoá", "keep")
    (('tại', 'doubled'), ('Quá', 'misplaced'), ('Hóa', 'style'), None)
    >>> fix_token("ngưòi"), fix_token("café"), fix_token("hoàn")
    (('người', 'misplaced'), None, None)
    """
    if style not in TONE_STYLES:
        raise ValueError(f"tone_style must be one of {', '.join(TONE_STYLES)}; got {style!r}")
    s = parse(token)
    horn = False
    if s is None:
        s = _unhorned(token)
        if s is None:
            return None
        horn = True
    if style == "keep":
        current = None if horn else style_of(token)
        fixed = compose(s, current or "classic")
    else:
        fixed = compose(s, style)
    if fixed == token:
        return None
    if sum(ch in _TONED_VOWELS for ch in token) > 1:
        return fixed, "doubled"
    if not horn and style_of(token) in STYLES:
        return fixed, "style"
    return fixed, "misplaced"


def _edits(text: str, style: str) -> Iterator[Edit]:
    done = 0
    # The scanner wants a letter on both sides of every mark: a space
    # (outside any word) stands for the start and the end of the text.
    for m in _scanner(style).finditer(f" {text} "):
        pos = m.start() - 1
        if pos < done:
            continue
        # The word around the hit; no syllable is longer than 7 letters.
        head = _WORD_START.search(text, max(0, pos - 8), pos)
        start = head.start() if head else pos
        tail = _WORD_END.match(text, pos)
        end = tail.end() if tail else pos
        done = end
        if start > 0 and _WORD_CHAR.match(text, start - 1):
            continue
        if end < len(text) and unicodedata2.category(text[end])[0] == "M":
            continue  # a combining mark the unicode step left (``AÌ`` + U+0301): not a word

        fix = fix_token(text[start:end], style)
        if fix is None:
            continue
        # The chunk between spaces: a URL, an address or code is left alone.
        lo = _CHUNK_START.search(text, max(0, start - 256), start)
        hi = _CHUNK_END.match(text, end)
        if lo is None or hi is None or lo.start() == start - 256:
            continue
        if _is_code(text, lo.start(), hi.end()):
            continue
        # Pinyin shares à á è é ì í ò ó ù ú with Vietnamese (Zhōu Huì Mǐn).
        if _PINYIN.search(text, max(0, start - 40), end + 40):
            continue
        yield Edit(start, end, fix[0], fix[1])


def normalize_tones(text: str, style: str = "classic", changes: list[Change] | None = None) -> str:
    """Fix misplaced and doubled tone marks and put every mark in ``style``.

    ``style`` is ``classic`` (``hòa, thúy, khỏe, Ủy ban, Thanh Hóa``),
    ``modern`` (``hoà, thuý, khoẻ, Uỷ ban, Thanh Hoá``) or ``keep``. When
    ``changes`` is a list, each edit is appended to it as a
    :class:`~vntext.trace.Change` of step ``tones``.

    >>> normalize_tones("QÚA TRÌNH, THANH HOÁ, tạị, gíáo, www.hòa.vn, a@hoà.com")
    'QUÁ TRÌNH, THANH HÓA, tại, giáo, www.hòa.vn, a@hoà.com'
    >>> normalize_tones("Hòa, Thủy, Ủy ban", style="modern")
    'Hoà, Thuỷ, Uỷ ban'
    """
    if style not in TONE_STYLES:
        raise ValueError(f"tone_style must be one of {', '.join(TONE_STYLES)}; got {style!r}")
    return apply_edits(text, _edits(text, style), "tones", changes)


class TonesStep(Step):
    """Pipeline step ``tones``: see the module docstring; option ``tone_style``."""

    name = "tones"
    summary = (
        "tone-mark placement: misplaced and doubled marks, one style "
        "(classic hòa/thúy/Ủy, modern hoà/thuý/Uỷ, or keep)"
    )

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.style: str = config.tone_style
        _scanner(self.style)  # build the expression once, outside the hot path

    def apply(self, text: str, changes: list[Change] | None) -> str:
        return apply_edits(text, _edits(text, self.style), self.name, changes)
