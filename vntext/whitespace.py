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
- ``dash-spacing``: no space after a dash between two numbers when there is
  none before it (``2020- 2025`` → ``2020-2025``).
- ``missing-space``: a space after ``. ! ? , ; :`` glued to the next word,
  only between two Vietnamese words (``kỳ vọng.Đại tá``); numbers
  (``1.000``, ``2,5``, ``10:30``), abbreviations (``TP.HCM``, ``U.23``,
  ``v.v.``), URLs, e-mails, file names and ellipses never qualify.

Lines that look like code (braces, ``=``, tags, backticks, a call ``f(``,
``//``, a ``;`` at the end, a leading ``#``) get only the ``trailing-space``
and ``blank-lines`` rules.

>>> normalize_whitespace("Hà Nội ,  ( theo VnExpress ) .  \\n\\n\\n\\nkỳ vọng.Đại tá")
'Hà Nội, (theo VnExpress).\\n\\nkỳ vọng. Đại tá'
>>> normalize_whitespace("TP.HCM, 1.000 đồng, 2,5%, lúc 10:30, v.v. report.pdf :)")
'TP.HCM, 1.000 đồng, 2,5%, lúc 10:30, v.v. report.pdf :)'
"""

from __future__ import annotations

import re
from collections.abc import Container

import regex
import unicodedata2

from vntext.config import Config
from vntext.pipeline import Step
from vntext.trace import Change, Edit, apply_edits

__all__ = ["WhitespaceStep", "is_vietnamese_syllable", "normalize_whitespace"]

_CLOSERS = ")]}"
_PUNCT = ",.;:!?…"

# Speed: ``re`` scans for a literal at gigabytes per second but tests a
# character class at a tenth of that, so each search here starts with a
# literal (a space, a newline, a bracket, a full stop) or is a one-range class
# the ``regex`` module scans fast (a digit after a letter); ``in`` checks skip
# the searches that cannot hit.

#: A space followed by a space, a line end or punctuation: every spacing
#: defect but the ones after an opening bracket starts with one of these.
_SPACE_BEFORE = re.compile(r" [ \n,.;:!?…)\]}]")
_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){2,}")
_AFTER_OPENER = {c: re.compile(re.escape(c) + " +") for c in "([{"}  # opening brackets
#: A dash followed by spaces (``2020- 2025``); digits around it are checked in Python.
_DASH_SPACE = {c: re.compile(c + " +") for c in "-–"}
#: Sentence punctuation glued to a letter: one scan per mark, each led by its
#: literal (together faster than one scan of a class, and only these reach Python).
_GLUED = tuple((c, re.compile(re.escape(c) + r"(?=[^\W\d_])")) for c in ".,:;!?")
#: A digit right after a letter (``năm1995``): the word is checked in Python.
_LETTER_DIGIT = regex.compile(r"[0-9](?<=\p{L}.)")
#: The letters of the word before a digit.
_WORD_BEFORE = regex.compile(r"[^\W\d_]+\Z")
#: A number with its inner separators (``11,5``, ``18/12``, ``1.000``).
_NUMBER = re.compile(r"[0-9]+(?:[.,/:][0-9]+)*")
_FOLLOWS_PUNCTUATION = re.compile(r"[\s”’\"'».,;:!?…]")

_OPENS_WORD = re.compile(r"[\w“‘\"']")
_WORD_END = re.compile(r"[\w”’\"'»%)\]]")
#: Signals of a line of code: braces, operators, tags, backticks, a call
#: ``f(``, ``//``, a ``;`` at the end (a leading ``#`` is checked apart).
_CODE_LINE = re.compile(r"[{}=<>`|\\]|;[ \t]*$|//|\((?<=\w\()", re.MULTILINE)
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


def glued_needs_space(text: str, i: int, spaced: Container[int] = ()) -> bool:
    """Whether the punctuation at ``text[i]`` glues two Vietnamese words together.

    ``spaced`` holds the positions of marks before ``i`` that get a space: a
    word after one of them stands alone (``A.À,A`` is ``A. À, A`` in one run).
    """
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
    if left > 0 and left - 1 not in spaced and (
        text[left - 1].isalnum() or text[left - 1] in ".,:;_-'’@/"
    ):
        return False  # digits or another abbreviation part before: 3.Hà, TP.HCM.Đà
    if right < len(text) and (text[right].isalnum() or text[right] in ".@/_-:"):
        return False  # the next part continues: TP.HCM.vn, a.b@c
    if mark in ".!?" and not after[0].isupper():
        return False
    if not (is_vietnamese_syllable(before) and is_vietnamese_syllable(after)):
        return False
    if not (_has_vietnamese_mark(before) or _has_vietnamese_mark(after)):
        return False
    chunk_start, chunk_end = _chunk(text, i, i)
    return _URLISH.search(text, chunk_start, chunk_end) is None


def _chunk(text: str, start: int, end: int) -> tuple[int, int]:
    """The run of non-space characters around ``text[start:end]`` (a URL, a file name...)."""
    chunk_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    found = (text.find(" ", end), text.find("\n", end))
    return chunk_start, min([x for x in found if x >= 0], default=len(text))


def number_needs_space(text: str, i: int) -> bool:
    """Whether the digit at ``text[i]`` is glued to a lower-case Vietnamese word before it.

    The word must stand alone (a space, a line start, an opening bracket or
    quote before it) and be one lower-case syllable carrying a Vietnamese
    mark, so ``mp3``, ``covid19``, ``U23`` and the name ``Kênh14`` stay.
    Letters, ``_`` or ``@`` glued after the number (``hương89abc``, a user
    name) and URL, e-mail or file-name chunks leave it alone.

    >>> [number_needs_space(t, t.index("1")) for t in ["năm1995", "Kênh14", "mp31", "hương1a"]]
    [True, False, False, False]
    """
    word = _WORD_BEFORE.search(text, max(0, i - 12), i)
    if word is None:
        return False
    start = word.start()
    if start > 0 and text[start - 1] not in " \t\n([{“‘\"'":
        return False  # a longer word, a number, a URL or code before it
    before = word.group()
    if len(before) < 2 or not before.islower() or not _has_vietnamese_mark(before):
        return False
    if not is_vietnamese_syllable(before):
        return False
    number = _NUMBER.match(text, i)
    if number is None:  # not at a digit
        return False
    end = number.end()
    if end < len(text) and (text[end].isalpha() or text[end] in "_@"):
        return False
    if text[end : end + 1] in ".-" and text[end + 1 : end + 2].isalpha():
        return False  # a file or domain name: ảnh1.jpg, bài2.html
    # the chunk around, without the number itself (a date's slash is no URL)
    chunk_start, chunk_end = _chunk(text, i, end)
    return (
        _URLISH.search(text, chunk_start, i) is None
        and _URLISH.search(text, end, chunk_end) is None
    )


def _find_all(text: str, needle: str) -> list[int]:
    out = []
    i = text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _space_before_punctuation(
    text: str, s: int, e: int
) -> tuple[int, int, int, str, str] | None:
    """The edit removing the spaces ``text[s:e]`` before punctuation, if they should go."""
    if not _WORD_END.match(text[s - 1]):
        return None
    c = text[e]
    n = len(text)
    if c in _PUNCT:
        if e + 1 < n and not _FOLLOWS_PUNCTUATION.match(text[e + 1]):
            return None  # .NET, :), :D, ...
        if c == ":" and text[s - 1].isdigit() and text[e + 1 : e + 3].strip()[:1].isdigit():
            return None  # a score or ratio: 2 : 1
        if c == "." and text.startswith(" .", e + 1):
            return None  # a spaced ellipsis: ". . ."
        if c == "…" or text.startswith("...", e):
            end = e + 1
            while end < n and text[end] in ".…":
                end += 1
            while end < n and text[end] in " \t":
                end += 1  # trailing spaces go in this same run
            if end < n and text[end] not in "\n”’\"')]}":
                return None  # a spaced ellipsis inside a sentence: "nói … rồi"
    return (s, 2, e, "", "space-before-punctuation")


def _edits(text: str) -> list[Edit]:
    """Candidate edits of every rule, then the first of any overlapping ones."""
    found: list[tuple[int, int, int, str, str]] = []  # start, priority, end, after, rule
    code_lines: dict[int, bool] = {}

    def in_code(i: int) -> bool:
        start, end = _line_bounds(text, i)
        hit = code_lines.get(start)
        if hit is None:
            hit = code_lines[start] = (
                _CODE_LINE.search(text, start, end) is not None
                or text[start:end].lstrip().startswith("#")
            )
        return hit

    n = len(text)
    blank_candidates = False
    done = 0
    for m in _SPACE_BEFORE.finditer(text):
        s = m.start()
        if s < done:
            continue
        e = s
        while e < n and text[e] == " ":
            e += 1
        done = e
        if e < n and unicodedata2.category(text[e])[0] == "M":
            e -= 1  # the last space carries the combining mark after it: keep it
            if e - s < 2:
                continue
            nxt = " "
        else:
            nxt = text[e] if e < n else "\n"
        indent = s == 0 or text[s - 1] in "\n\t"
        if nxt == "\n":
            t = s
            while t > 0 and text[t - 1] in " \t":
                t -= 1
            found.append((t, 1, e, "", "trailing-space"))
            blank_candidates = True
        elif indent or nxt == "\t":
            continue
        elif nxt in _PUNCT or nxt in _CLOSERS:
            before = _space_before_punctuation(text, s, e)
            if before is not None and not in_code(s):
                found.append(before)
            elif e - s > 1 and not in_code(s):
                found.append((s, 3, e, " ", "collapse-spaces"))
        elif e - s > 1 and not in_code(s):
            found.append((s, 3, e, " ", "collapse-spaces"))
    if text.endswith((" ", "\t")):
        s = n - 1
        while s > 0 and text[s - 1] in " \t":
            s -= 1
        found.append((s, 1, n, "", "trailing-space"))
    if "\t" in text:
        for i in _find_all(text, "\t\n"):
            s = i
            while s > 0 and text[s - 1] in " \t":
                s -= 1
            found.append((s, 1, i + 1, "", "trailing-space"))
            blank_candidates = True
    # A blank line of spaces or tabs was seen above as a trailing-space hit.
    if blank_candidates or "\n\n\n" in text:
        for m in _BLANK_RUN.finditer(text):
            found.append((m.start(), 0, m.end(), "\n\n", "blank-lines"))
    for opener, pattern in _AFTER_OPENER.items():
        if opener in text and opener + " " in text:
            for m in pattern.finditer(text):
                s, e = m.start() + 1, m.end()
                if e < n and _OPENS_WORD.match(text[e]) and not in_code(s):
                    found.append((s, 2, e, "", "space-after-bracket"))
    for dash in "-–":
        if dash in text and dash + " " in text:
            for m in _DASH_SPACE[dash].finditer(text):
                i = m.start()
                if (
                    i > 0
                    and text[i - 1].isdigit()
                    and m.end() < n
                    and text[m.end()].isdigit()
                    and not in_code(i)
                ):
                    found.append((i + 1, 2, m.end(), "", "dash-spacing"))
    spaced: set[int] = set()
    glued = sorted(m.start() for c, scan in _GLUED if c in text for m in scan.finditer(text))
    for i in glued:
        if i > 0 and glued_needs_space(text, i, spaced) and not in_code(i):
            found.append((i, 2, i + 1, text[i] + " ", "missing-space"))
            spaced.add(i)
    for m in _LETTER_DIGIT.finditer(text):
        i = m.start()
        if number_needs_space(text, i) and not in_code(i):
            found.append((i, 2, i, " ", "missing-space-before-number"))
    if not found:
        return []
    found.sort()
    edits: list[Edit] = []
    end = 0
    for s, _, e, after, rule in found:
        if s >= end:
            edits.append(Edit(s, e, after, rule))
            end = e
    return edits


def _normalize(text: str, changes: list[Change] | None) -> str:
    edits = _edits(text)
    return apply_edits(text, edits, "whitespace", changes) if edits else text


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
