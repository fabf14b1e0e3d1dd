"""Step ``whitespace``: spacing inside lines, blank lines, spaces around punctuation.

Scraped text carries the spacing of its HTML: runs of spaces, trailing
spaces, stacks of blank lines, spaces inside brackets and before commas
(``Hà Nội , ( theo VnExpress )``), and sentences glued together when a tag
between them was dropped (``kỳ vọng.Đại tá``). This step fixes exactly those
and nothing else: it never joins or splits lines (only blank lines are
dropped), never re-tokenises, and keeps leading indentation, which may be
structure (code, poems, lists).

Rules:

- ``collapse-spaces``: a run of spaces between two characters of a line
  becomes one space.
- ``trailing-space``: spaces and tabs at the end of a line go.
- ``blank-lines``: at most one blank line in a row.
- ``space-before-punctuation``: no space before ``, . ; : ! ? …`` at the end
  of a word (``Hà Nội ,`` → ``Hà Nội,``) or before a closing bracket; a
  smiley (``vui :)``), ``.NET``, a score (``2 : 1``) or a spaced ellipsis
  (``. . .``) is left alone.
- ``space-after-bracket``: no space after an opening bracket (``( theo`` →
  ``(theo``).
- ``missing-space``: a space after ``. ! ? , ; :`` glued to the next word,
  only between two Vietnamese words (``kỳ vọng.Đại tá``); numbers
  (``1.000``, ``2,5``, ``10:30``), abbreviations (``TP.HCM``, ``U.23``,
  ``v.v.``), URLs, e-mails, file names and ellipses never qualify.

Lines that look like code (braces, ``=``, tags, a ``;`` at the end) get
only the ``trailing-space`` and ``blank-lines`` rules.

>>> normalize_whitespace("Hà Nội ,  ( theo VnExpress ) .  \\n\\n\\n\\nkỳ vọng.Đại tá")
'Hà Nội, (theo VnExpress).\\n\\nkỳ vọng. Đại tá'
>>> normalize_whitespace("TP.HCM, 1.000 đồng, 2,5%, lúc 10:30, v.v. report.pdf :)")
'TP.HCM, 1.000 đồng, 2,5%, lúc 10:30, v.v. report.pdf :)'
"""

from __future__ import annotations

import re

import unicodedata2

from vntext.config import Config
from vntext.pipeline import Step
from vntext.trace import Change, Edit, apply_edits

__all__ = ["WhitespaceStep", "is_vietnamese_syllable", "normalize_whitespace"]

_CLOSERS = ")]}"
_OPENERS = "([{"
_PUNCT = ",.;:!?…"

#: Anything that may need work. Clean prose has none of it: every
#: alternative is a rare pair of characters, so a search costs little.
_SUSPECT = re.compile(
    r"  |[ \t](?:\n|\Z)|\n[ \t]*\n[ \t]*\n|[ ][,.;:!?…)\]}]|[(\[{][ ]|(?<=\w)[.!?,;:][^\W\d_]"
)

_PATTERN = re.compile(
    r"(?P<blank>\n(?:[ \t]*\n){2,})"
    r"|(?P<trailing>[ \t]+(?=\n|\Z))"
    r"|(?<=[\w”’\"'»%)\]])(?P<before>[ ]+)"
    r"(?=[,.;:!?…](?:[\s”’\"'».,;:!?…]|\Z)|[)\]}])"
    r"|(?<=[(\[{])(?P<after>[ ]+)(?=[\w“‘\"'])"
    r"|(?<=[^ \t\n])(?P<collapse>[ ]{2,})(?=[^ \t\n])"
    r"|(?<=\w)(?P<glued>[.!?,;:])(?=[^\W\d_])"
)

_CODE_LINE = re.compile(r"[{}=<>`|\\]|;[ \t]*$|\(\)|//|^\s*#")
_URLISH = re.compile(r"@|://|www\.|/|\\|\.\w{1,4}\.")

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aăâeêioôơuưy"
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    f"[{_VOWELS}]{{1,3}}"
    "(?:ch|nh|ng|[cmnpt])?"
)


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` has the shape of one Vietnamese syllable (any case, any tone).

    A shape check (onset, one to three vowels, a final consonant), not a
    dictionary: enough to tell ``vọng`` and ``Đại`` from ``TP``, ``HCM``,
    ``v``, ``pdf`` or ``report``.

    >>> [is_vietnamese_syllable(w) for w in ["vọng", "Đại", "khuỷu", "TP", "pdf", "report"]]
    [True, True, True, False, False, False]
    """
    decomposed = unicodedata2.normalize("NFD", word.lower())
    if sum(decomposed.count(m) for m in _TONE_MARKS) > 1:
        return False
    bare = unicodedata2.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(bare) is not None


def _has_vietnamese_mark(word: str) -> bool:
    return any(ord(c) > 0x7F for c in word)


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    return start, len(text) if end < 0 else end


def _glued_needs_space(text: str, i: int) -> bool:
    """Whether the punctuation at ``text[i]`` glues two Vietnamese words together."""
    mark = text[i]
    left = i
    while left > 0 and text[left - 1].isalpha():
        left -= 1
    right = i + 1
    while right < len(text) and text[right].isalpha():
        right += 1
    before, after = text[left:i], text[i + 1 : right]
    if not before or not after:
        return False
    if left > 0 and (text[left - 1].isalnum() or text[left - 1] in ".,:;_-'’@/"):
        return False  # digits or another abbreviation part before: 3.Hà, TP.HCM.Đà
    if right < len(text) and (text[right].isalnum() or text[right] in ".@/_-:"):
        return False  # the next part continues: TP.HCM.vn, a.b@c
    if mark in ".!?" and not after[0].isupper():
        return False
    if not (is_vietnamese_syllable(before) and is_vietnamese_syllable(after)):
        return False
    if not (_has_vietnamese_mark(before) or _has_vietnamese_mark(after)):
        return False
    chunk_start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
    chunk_end = min(x for x in (text.find(" ", i), text.find("\n", i), len(text)) if x >= 0)
    return _URLISH.search(text, chunk_start, chunk_end) is None


def _edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    code_lines: dict[int, bool] = {}

    def in_code(i: int) -> bool:
        start, end = _line_bounds(text, i)
        hit = code_lines.get(start)
        if hit is None:
            hit = code_lines[start] = _CODE_LINE.search(text[start:end]) is not None
        return hit

    for m in _PATTERN.finditer(text):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "blank":
            edits.append(Edit(start, end, "\n\n", "blank-lines"))
        elif kind == "trailing":
            edits.append(Edit(start, end, "", "trailing-space"))
        elif in_code(start):
            continue
        elif kind == "before":
            nxt = text[end]
            if nxt == ":" and text[start - 1].isdigit():
                rest = text[end + 1 : end + 3].lstrip(" ")
                if rest[:1].isdigit():
                    continue  # a score or ratio: 2 : 1
            edits.append(Edit(start, end, "", "space-before-punctuation"))
        elif kind == "after":
            edits.append(Edit(start, end, "", "space-after-bracket"))
        elif kind == "collapse":
            edits.append(Edit(start, end, " ", "collapse-spaces"))
        elif _glued_needs_space(text, start):
            edits.append(Edit(start, end, text[start] + " ", "missing-space"))
    return edits


def _normalize(text: str, changes: list[Change] | None) -> str:
    if _SUSPECT.search(text) is None:
        return text
    return apply_edits(text, _edits(text), "whitespace", changes)


def normalize_whitespace(text: str) -> str:
    """Apply every rule of the ``whitespace`` step to ``text``.

    >>> normalize_whitespace("  indented  line   \\n")
    '  indented line\\n'
    """
    return _normalize(text, None)


class WhitespaceStep(Step):
    """Spacing inside lines, trailing spaces, blank lines, spaces around punctuation."""

    name = "whitespace"
    summary = (
        "collapse spaces, strip trailing spaces, at most one blank line, no space before "
        "punctuation or inside brackets, missing space between glued Vietnamese sentences"
    )

    def __init__(self, config: Config) -> None:
        super().__init__(config)

    def apply(self, text: str, changes: list[Change] | None) -> str:
        return _normalize(text, changes)
