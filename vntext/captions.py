"""Strip photo captions, bylines, boilerplate and header stamps from scraped article text.

Text extracted from news pages keeps lines that are not the article: photo
captions (``Toàn cảnh hội nghị. Ảnh: TTXVN``), bylines (``Trần Hương``,
``Theo TTXVN``), related links and widgets (``Xem thêm: …``, ``>> …``,
``Bình luận``), repeated leads and date stamps. Tools such as trafilatura and
jusText work on HTML; once the text is extracted nothing removes these. This
step does, one document per call, from signals that are cheap to find:

- cues inside a line (``Ảnh:``, a trailing `` |``, ``Theo …`` alone, a date
  shape, a widget word): regular expressions in ``data/caption_cues.tsv``,
  matched as one multiline regex over the whole document;
- the document around a line: exact or contained duplicates of the title or a
  paragraph, runs of headline-shaped lines at the end (related-article lists),
  name-shaped lines at the end or the head (bylines).

Every line is classified ``body``, ``caption``, ``byline``, ``boilerplate`` or
``header`` with a rule id and a confidence (:func:`classify_lines`); non-body
lines are removed with their line break, each removal a
:class:`~vntext.trace.Change` with ``after == ""`` and the class in ``label``.

>>> doc = ("Mưa lớn ở Hà Nội\\nSáng nay trời mưa to.\\n"
...        "Phố Huế ngập sâu. Ảnh: Minh Anh\\nXem thêm: Bão số 3")
>>> strip_captions(doc)
'Mưa lớn ở Hà Nội\\nSáng nay trời mưa to.'
>>> [(x.label, x.rule) for x in classify_lines(doc) if x.label != "body"]
[('caption', 'photo-credit'), ('boilerplate', 'related-link')]

Precision comes first: a line is removed only on a specific signal. Sub-headings
without a final period, sports line-ups, interview lines starting with ``- ``
and short sentences stay:

>>> strip_captions("Đội hình\\nHamburger: Rost; Demal, Mathijsen, Reinhardt\\n- Anh có mệt không?")
'Đội hình\\nHamburger: Rost; Demal, Mathijsen, Reinhardt\\n- Anh có mệt không?'
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate, filterfalse
from operator import add
from typing import NamedTuple

from vntext.config import Config
from vntext.pipeline import Step
from vntext.trace import Change, Edit, apply_rounds

__all__ = [
    "LINE_LABELS",
    "CaptionsStep",
    "Cue",
    "CueSet",
    "LineLabel",
    "classify_lines",
    "load_cues",
    "strip_captions",
]

#: What a line can be. Every class but ``body`` is removed unless kept.
LINE_LABELS = ("body", "caption", "byline", "boilerplate", "header")
_SCOPES = ("any", "after-title")
_PACKAGED = "caption_cues.tsv"


def _letters(category: str) -> str:
    """Every Latin letter (Vietnamese included) of a Unicode category, as regex class text."""
    ranges = [(0x41, 0x5B), (0x61, 0x7B), (0xC0, 0x250), (0x1E00, 0x1F00)]
    chars = "".join(
        chr(c)
        for lo, hi in ranges
        for c in range(lo, hi)
        if unicodedata.category(chr(c)) == category
    )
    return "[" + re.escape(chars) + "]"


_LU = _letters("Lu")
_LL = _letters("Ll")


def _expand(pattern: str) -> str:
    """Expand the ``{Lu}``/``{Ll}`` shorthands of a cue pattern."""
    return pattern.replace("{Lu}", _LU).replace("{Ll}", _LL)


# -- cues ---------------------------------------------------------------------


class Cue(NamedTuple):
    """One row of a cue table: lines matching ``pattern`` are ``label`` by ``rule``.

    ``trigger`` (optional) says which lines the row is tried on; see
    :func:`parse_trigger`.
    """

    label: str
    rule: str
    scope: str
    pattern: str
    confidence: float = 0.95
    trigger: str = ""


#: Lines of at most this many characters (stripped) carry the ``short`` trigger.
_SHORT = 40
#: What a line-start trigger skips: blanks, then ``(``, ``*`` or ``|``, then blanks.
_LEAD = r"[^\S\n]*+[(*|]*+[^\S\n]*+"
_LEAD_RE = re.compile(_LEAD)


#: A trigger ``text$``: plain or backslash-escaped characters before the ``$``.
_END_LITERAL = re.compile(r"(?:[^\\.^$*+?{}\[\]()|]|\\[^\w\s])+\$")


def _unescape(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal)


#: One literal character of a pattern (plain, or punctuation escaped), and a quantifier.
_LITERAL_CHAR = re.compile(r"[^\\.^$*+?{}\[\]()|]|\\[^\w\s]")
_QUANTIFIER = re.compile(r"[*+?{]")


def _literal_prefix(pattern: str) -> str:
    """The literal text every match of ``pattern`` starts with ("" if none is known).

    >>> _literal_prefix(r"guồn(?:[^\\S\\n]*:| ảnh)"), _literal_prefix(r"\\(x")
    ('guồn', '(x')
    >>> _literal_prefix("ab?c")
    'a'
    >>> _literal_prefix("(?i)ảnh"), _literal_prefix("a|b"), _literal_prefix(r"a\\.*")
    ('', '', 'a')
    """
    if len(_split_alternatives(pattern)) > 1:
        return ""
    chars: list[str] = []
    pos = 0
    while m := _LITERAL_CHAR.match(pattern, pos):
        chars.append(m.group()[-1])
        pos = m.end()
    if chars and _QUANTIFIER.match(pattern, pos):
        chars.pop()  # the last character is optional or repeated
    return "".join(chars)


#: What may make a pattern see past a line break: an escape other than these, a negated
#: class, a lookbehind, the DOTALL flag, a control character. ``[^\S\n]`` is removed first.
_CROSSES_LINES = re.compile(r"\\[^dwSbB()\[\].|*+?{}^$\-]|\[\^|\(\?<|\(\?[a-zA-Z-]*s|[\x00-\x1f]")


def _line_local(pattern: str) -> bool:
    """True when no match of ``pattern`` can reach or look past a line break.

    Then scanning some lines of a document, joined, finds on them what scanning
    the whole document finds. Conservative: a pattern with any construct that
    could match a line break is not.

    >>> _line_local(r"guồn(?:[^\\S\\n]*:| ảnh)"), _line_local(r"\\((?i:[^\\S\\n]*ả)")
    (True, True)
    >>> _line_local(r"a\\s+b"), _line_local("(?<=x)a"), _line_local("[^x]"), _line_local("(?s:a.)")
    (False, False, False, False)
    """
    return _CROSSES_LINES.search(pattern.replace(r"[^\S\n]", "")) is None


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, the longest first, branching on one character.

    ``re`` tries the alternatives of a group one after the other; a trie keeps
    that to one test per distinct next character.

    >>> _trie(["Tin", "Tinh", "Theo", "Thẻ"])
    'T(?:h(?:eo|ẻ)|inh?)'
    """
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        if len(branches) > 1 or len(body) == 1:
            return f"{body}?"
        return f"(?:{body})?"

    return emit(tree)


def _split_alternatives(pattern: str) -> list[str]:
    """Split a regular expression at its top-level ``|`` (not in groups, classes, escapes).

    >>> _split_alternatives(r"short|^Theo|\\((?:a|b)|[|]x")
    ['short', '^Theo', '\\\\((?:a|b)', '[|]x']
    """
    parts: list[str] = []
    cur: list[str] = []
    depth, in_class, escaped = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


def parse_trigger(trigger: str) -> tuple[str, ...]:
    """The alternatives of a row's trigger column, checked.

    A row with a trigger is tried only on the lines where one alternative
    occurs, so a document is classified by a few fast scans instead of every
    row on every line:

    - ``short``: the line has at most 40 characters;
    - ``^text``: the line starts with ``text`` (as written, in lower case, in
      upper case or capitalised), after blanks and any ``(``, ``*`` or ``|``;
    - anything else: a regular expression found in the line, case-sensitive,
      ``$`` standing for the end of a line. Start it with a literal character
      (``Ảnh``, ``\\(…``, ``:[^\\S\\n]*$``): the document is scanned for it.

    A row without a trigger is tried on every line.

    >>> parse_trigger("short|^Theo|guồn")
    ('short', '^Theo', 'guồn')
    """
    parts = tuple(p for p in _split_alternatives(trigger.strip()) if p)
    for p in parts:
        if p == "short":
            continue
        if p.startswith("^"):
            if not p[1:] or any(ch.isspace() for ch in p[1:2]):
                raise ValueError(f"line-start trigger {p!r} needs text right after '^'")
            continue
        try:
            re.compile(p, re.M)
        except re.error as exc:
            raise ValueError(f"bad trigger {p!r}: {exc}") from None
    return parts


def _parse_cues(text: str, source: str) -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for no, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cols = raw.split("\t")
        where = f"{source}:{no}"
        if len(cols) not in (4, 5, 6):
            raise ValueError(
                f"{where}: expected 4 to 6 tab-separated columns "
                f"(class, rule, scope, pattern[, confidence[, trigger]]), got {len(cols)}"
            )
        label, rule, scope, pattern = (c.strip() if i < 3 else c for i, c in enumerate(cols[:4]))
        if label not in LINE_LABELS:
            raise ValueError(f"{where}: class must be one of {', '.join(LINE_LABELS)}; got {label!r}")  # noqa: E501
        if scope not in _SCOPES:
            raise ValueError(f"{where}: scope must be one of {', '.join(_SCOPES)}; got {scope!r}")
        if not rule or not re.fullmatch(r"[\w.-]+", rule):
            raise ValueError(f"{where}: rule must be a word such as 'photo-credit'; got {rule!r}")
        if "(?P<" in pattern:
            raise ValueError(f"{where}: named groups are not allowed in a cue pattern")
        try:
            re.compile(_expand(pattern), re.I)
        except re.error as exc:
            raise ValueError(f"{where}: bad regular expression: {exc}") from None
        confidence = 0.95
        if len(cols) >= 5 and cols[4].strip():
            try:
                confidence = float(cols[4])
            except ValueError:
                raise ValueError(f"{where}: confidence must be a number; got {cols[4]!r}") from None
            if not 0.0 <= confidence <= 1.0:
                raise ValueError(f"{where}: confidence must be between 0 and 1")
        trigger = ""
        if len(cols) == 6:
            try:
                trigger = "|".join(parse_trigger(cols[5]))
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
        conf = 1.0 if label == "body" else confidence
        cues.append(Cue(label, rule, scope, pattern, conf, trigger))
    return tuple(cues)


@cache
def default_cues() -> tuple[Cue, ...]:
    """The packaged cue table ``vntext/data/caption_cues.tsv``."""
    data = resources.files("vntext").joinpath("data")
    text = data.joinpath(_PACKAGED).read_text(encoding="utf-8")
    return _parse_cues(text, _PACKAGED)


@cache
def _load_cue_file(path: str, mtime: float) -> tuple[Cue, ...]:
    with open(path, encoding="utf-8") as fh:
        return _parse_cues(fh.read(), path)


def load_cues(path: str | os.PathLike[str]) -> tuple[Cue, ...]:
    """Read a site-specific cue file (same format as ``caption_cues.tsv``).

    Errors name the file and line, so a bad pattern fails before any text is
    cleaned.
    """
    p = os.fspath(path)
    try:
        mtime = os.stat(p).st_mtime
    except OSError as exc:
        raise ValueError(f"caption patterns file {p!r}: {exc.strerror}") from None
    return _load_cue_file(p, mtime)


#: A set of cue rows as a bit mask (bit ``i``: row ``i``): a union is one integer ``|``.
Rows = int


def _mask(rows: Iterable[int]) -> Rows:
    """The bit mask of a set of row numbers.

    >>> _mask({0, 3}), _mask(())
    (9, 0)
    """
    return sum(1 << i for i in set(rows))


class CueSet:
    """A cue table compiled for fast classification of whole documents.

    Each row's trigger (:func:`parse_trigger`) decides which lines it is tried
    on. Line-start triggers become one trie matched at the start of each line;
    every other trigger is one literal-led scan of the document (of its lines
    cues are tried on, when that finds the same); ``short`` lines are known
    from their length. A candidate line is then matched (``fullmatch``)
    against the union of the rows triggered on it, compiled once per union in
    table order, so the first matching row wins as in the table. Ordinary
    prose lines trigger nothing and cost no regular-expression work.
    """

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = tuple(cues)
        always: set[int] = set()
        short: set[int] = set()
        starts: dict[str, set[int]] = {}
        ends: dict[str, set[int]] = {}
        scans: dict[str, set[int]] = {}
        for i, c in enumerate(self.cues):
            if not c.trigger:
                always.add(i)
                continue
            for t in parse_trigger(c.trigger):
                if t == "short":
                    short.add(i)
                elif t.startswith("^"):
                    lit = _unescape(t[1:])
                    for v in (lit, lit.lower(), lit.upper(), lit[:1].upper() + lit[1:].lower()):
                        starts.setdefault(v, set()).add(i)
                elif _END_LITERAL.fullmatch(t):
                    ends.setdefault(_unescape(t[:-1]), set()).add(i)
                else:
                    scans.setdefault(t, set()).add(i)
        self.always: Rows = _mask(always)
        self.short: Rows = _mask(short | always)
        # A line starting with a literal also starts with each of its prefixes: the scan
        # reports the longest, which carries the rows of all.
        self.start_rows: dict[str, Rows] = {
            lit: _mask(set().union(*(r for p, r in starts.items() if lit.startswith(p))))
            for lit in starts
        }
        self.start_re = re.compile(rf"{_LEAD}({_trie(starts)})") if starts else None
        # Line-end literals by their last character: a line is tested against those only.
        self.end_rows: dict[str, tuple[tuple[str, Rows], ...]] = {}
        for lit, r in ends.items():
            self.end_rows[lit[-1]] = (*self.end_rows.get(lit[-1], ()), (lit, _mask(r)))
        self.scans = tuple(
            (re.compile(t, re.M), _mask(r), lit, max(lit, default=""))
            for t, r in scans.items()
            for lit in [_literal_prefix(t)]
        )
        # Scanning only the lines cues are tried on, joined, finds the same hits on them
        # when every match starts with a literal (so on a character of its line, not at
        # a break) and stays within its line.
        self.line_local = all(lit and _line_local(scan.pattern) for scan, _, lit, _ in self.scans)
        self._unions: dict[tuple[Rows, bool], re.Pattern[str] | None] = {}

    def candidates(
        self,
        text: str,
        lines: list[str],
        eff: list[str],
        cue_lines: list[int],
        short: list[int],
    ) -> dict[int, Rows]:
        """Line index -> rows to try, for the lines of ``text`` that trigger any row.

        Only lines ``cue_lines`` (of at most 320 characters) are ever matched: when
        every trigger starts with a literal and stays within its line, only they are
        scanned (most of an article's text is in longer paragraphs).
        """
        out: dict[int, Rows] = {}
        get = out.get
        if self.start_re is not None:  # one match of the trie at the start of each line
            start, start_rows = self.start_re.match, self.start_rows
            for i in cue_lines:
                m = start(lines[i])
                if m is not None:
                    out[i] = start_rows[m.group(1)]
        # The text to scan, led by a break: a hit's line is the count of breaks before it.
        if not self.scans:
            t = ""
        elif self.line_local:
            t = "\n" + "\n".join(map(lines.__getitem__, cue_lines))
        else:
            t = "\n" + text
        hits: list[tuple[int, Rows]] = []
        for scan, rows_, lit, rare in self.scans:
            # A match starts with the trigger's literal: ``str.find`` (and first a
            # one-character test, faster still) skips the document up to it, much
            # faster than the regex engine's own search.
            at = 0
            if lit:
                if rare not in t:
                    continue
                at = t.find(lit)
                if at < 0:
                    continue
            for m in scan.finditer(t, at):
                hits.append((m.start(), rows_))
        if hits:
            hits.sort(key=_first)
            line, prev = -1, 0
            where = cue_lines if self.line_local else range(len(lines))
            for pos, r in hits:
                line += t.count("\n", prev, pos + 1)
                prev = pos + 1
                i = where[line]
                out[i] = get(i, 0) | r
        end_rows = self.end_rows
        if end_rows:
            for i in cue_lines:
                s = eff[i]
                for lit, r in end_rows.get(s[-1:], ()):
                    if s.endswith(lit):
                        out[i] = get(i, 0) | r
        if self.short:
            for i in short:
                out[i] = get(i, 0) | self.short
        if self.always:
            for i in cue_lines:
                out[i] = get(i, 0) | self.always
        return out

    def rows_for(self, line: str) -> Rows:
        """The rows a single (stripped) line triggers: for lines changed by glued cuts."""
        rows = self.always
        if len(line) <= _SHORT:
            rows |= self.short
        lead = line[_LEAD_RE.match(line).end() :]  # type: ignore[union-attr]
        for lit, r in self.start_rows.items():
            if lead.startswith(lit):
                rows |= r
        for lit, r in self.end_rows.get(line[-1:], ()):
            if line.endswith(lit):
                rows |= r
        for scan, r, _, _ in self.scans:
            if scan.search(line):
                rows |= r
        return rows

    def match(self, line: str, rows: Rows, title: bool) -> Cue | None:
        """The first row of ``rows`` (in table order) matching the whole line."""
        key = (rows, title)
        try:
            rx = self._unions[key]
        except KeyError:
            parts = [
                f"(?P<c{i}>{_expand(self.cues[i].pattern)})"
                for i in range(rows.bit_length())
                if rows >> i & 1 and (not title or self.cues[i].scope == "any")
            ]
            rx = self._unions[key] = re.compile("|".join(parts), re.I) if parts else None
        if rx is None:
            return None
        m = rx.fullmatch(line)
        if m is None:
            return None
        name = m.lastgroup
        assert name is not None
        return self.cues[int(name[1:])]


def _first(hit: tuple[int, Rows]) -> int:
    return hit[0]


@cache
def _cuesets(extra: tuple[Cue, ...] = ()) -> tuple[CueSet, ...]:
    """The user's cues (tried first) and the packaged ones."""
    packaged = CueSet(default_cues())
    return (CueSet(extra), packaged) if extra else (packaged,)


# -- line shapes ----------------------------------------------------------------

_U = _LU
_L = _LL
# A name token: Capitalised (Trần, Thị) or ALL CAPS (HOÀNG, H.VÂN, P.V).
_NAME_TOKEN = rf"(?:{_U}{_L}{{0,7}}|{_U}{{1,3}}(?:\.{_U}{{1,7}})*\.?|{_U}{{2,8}})"
_NAME_PREFIX = r"(?:ThS\.?|TS\.?|PGS\.?|GS\.?|PGS\.TS\.?|GS\.TS\.?|BS\.?|KTS\.?|Luật sư|Nhà báo|Đại tá|Thượng tá|Trung tá|Thiếu tá)"  # noqa: E501
_NAME_PREFIX_RE = re.compile(rf"^\(?{_NAME_PREFIX}\s+")
_NAME = rf"{_NAME_TOKEN}(?:\s{_NAME_TOKEN}){{1,4}}"
_NAME_LINE = re.compile(
    rf"\(?(?:{_NAME_PREFIX}\s+)?{_NAME}(?:\s*[-–,&/]\s*(?:{_NAME_PREFIX}\s+)?(?:{_NAME}|{_U}{{1,3}}\.{_U}{{1,8}}))*\)?\.?\s*\|?"
)
_CAPS_NAME_LINE = re.compile(
    rf"\(?(?:{_NAME_PREFIX}\s+)?{_U}[{_U[1:-1]}.]{{1,12}}(?:\s*[-–,&/ ]\s*{_U}[{_U[1:-1]}.]{{0,12}}){{0,8}}\)?\.?\s*\|?"  # noqa: E501
)
# A sentence boundary inside a line: "nhà. Sau" (but not "TP. Hồ").
_SENTENCE_BREAK = re.compile(rf"{_L}[.!?]\s+{_U}")
_BULLET = re.compile(r"[-+*•–—●■□▪·>]\s|\d{1,2}[.)]\s")
_LINEUP = re.compile(r"[^:]{1,40}:.*,\s.*,\s.*")
#: A field of a notice or form: a label of three words or more, a colon, a value
#: in lower case (``Mục đích thực hiện giao dịch: tăng tỷ lệ nắm giữ``). A headline
#: puts a place or a ticker before its colon (``Bình Định: 2 vụ …``, ``BCE: giao …``).
_FIELD = re.compile(rf"[^:\s]+\s+[^:\s]+\s+[^:]+:\s*{_L}")


def _is_name_line(s: str) -> bool:
    """``Trần Hương``, ``HOÀNG VÂN``, ``TRỌNG PHÚ - CHUNG THỦY - H.VÂN``, ``ThS HOÀNG VĂN HÙNG``."""
    if len(s) > 60 or any(ch.isdigit() for ch in s):
        return False
    if _NAME_LINE.fullmatch(s):
        return True
    letters = [ch for ch in s if ch.isalpha()]
    return len(letters) >= 4 and s.upper() == s and bool(_CAPS_NAME_LINE.fullmatch(s))


#: What may follow a copy at the end of a line.
_COPY_TAIL = " .…\"”"


def _copy_candidates(texts: list[str]) -> list[int]:
    """Positions in ``texts`` of the lines that can be copies, in order: a text seen
    twice, or a line of 50+ characters sharing its first 16 characters, or its
    last 16 before closing dots and quotes, with another (a repeat, or a copy at
    the start or end of a line). One loop keys every line by its first 16 characters
    and every long line by its last 16; only lines sharing a key are compared whole.

    >>> _copy_candidates(["Bão số 3 đổ bộ vào Quảng Ninh sáng nay, gió giật cấp 12 ở ven biển.",
    ...                   "Mưa lớn", "Bão số 3 đổ bộ vào Quảng Ninh sáng nay, gió giật cấp 12..."])
    [0, 2]
    >>> _copy_candidates(["Một câu khác hẳn.", "Hai câu khác hẳn.", "Mưa lớn", "Mưa lớn"])
    [2, 3]
    """
    heads: dict[str, int] = {}  # first 16 characters -> first line with them
    tails: dict[str, int] = {}
    same_head: list[tuple[int, int]] = []
    todo: set[int] = set()
    for k, t in enumerate(texts):
        j = heads.setdefault(t[:16], k)
        if j != k:
            same_head.append((j, k))
        if len(t) >= _MIN_CONTAINED:
            j = tails.setdefault(t.rstrip(_COPY_TAIL)[-16:], k)
            if j != k:
                todo.add(j)
                todo.add(k)
    if same_head:
        groups: dict[int, list[int]] = {}
        for j, k in same_head:
            groups.setdefault(j, [j]).append(k)
        for group in groups.values():
            longs = [k for k in group if len(texts[k]) >= _MIN_CONTAINED]
            if len(longs) > 1:
                todo.update(longs)
            same = _repeated([texts[k] for k in group])
            todo.update(k for k in group if texts[k] in same)
    return sorted(todo)


def _repeated(items: list[str]) -> set[str]:
    """The items that occur more than once.

    >>> sorted(_repeated(["a", "b", "a", "c", "b"]))
    ['a', 'b']
    """
    seen: set[str] = set()
    again: set[str] = set()
    for x in items:
        if x in seen:
            again.add(x)
        else:
            seen.add(x)
    return again


def _is_copy_in(needle: str, other: str) -> bool:
    """True when ``other`` starts or ends with ``needle`` (only closing dots, quotes after it).

    A copy in the middle of a longer line is not a repeat: a forum reply
    quoting the post above (``Trích: Nguyên văn bởi …``) keeps both.
    """
    if other.startswith(needle):
        return True
    p = other.rfind(needle)
    return p > 0 and not other[p + len(needle) :].strip(_COPY_TAIL)


def _is_headline_shaped(s: str) -> bool:
    """A related-article headline: one short clause, no final period, several words."""
    n = len(s)
    if n < 30 or n > 140:
        return False
    first = s[0]
    if not (first.isupper() or first.isdigit() or first in "\"'“‘«"):
        return False
    if s.endswith((".", ":", ";", ",")) and not s.endswith(("...", "…")):
        return False
    if ";" in s or _BULLET.match(s) or _SENTENCE_BREAK.search(s) or _LINEUP.fullmatch(s):
        return False
    if ":" in s and _FIELD.match(s):  # "Mục đích giao dịch: tăng tỷ lệ nắm giữ"
        return False
    return s.count(" ") >= 5


# -- glued cuts -------------------------------------------------------------------

_STAMP_PREFIX = re.compile(r"^[ \t]*date[ \t]+\d{4}-\d{2}(?:-\d{2})?[ \t]+(?=\S)", re.M)
_STAMP_SUFFIX = re.compile(r"(?<=\S)[ \t]+date[ \t]+\d{4}-\d{2}(?:-\d{2})?[ \t]*$", re.M)
_DATELINE = re.compile(
    rf"""[ \t]*(?:
        \(\s*{_U}[^()\n]{{1,28}}?\s*\)\s*(?:[.]?\s*[-–—]+\s*|:\s*)?
      | {_U}(?:{_U}|[\d.])+(?:\.[A-Za-z]{{2,4}})?\s*[-–—]+\s+            # TTO - , ANTD.VN -
    )(?={_U}|["“])""",
    re.X,
)
_CREDIT_WORDS = r"(?:Ảnh|ảnh|Nguồn ảnh|nguồn ảnh|Ảnh minh họa|ảnh minh họa|Ảnh minh hoạ|ảnh minh hoạ)"  # noqa: E501
_GLUED_PAREN = re.compile(
    rf"(?<=[.!?…\"”])[ \t]*\({_CREDIT_WORDS}(?:[ \t]*:[ \t]*[^()\n]{{1,50}}|[ \t]+[^()\s]{{1,30}})?\)\.?"  # noqa: E501
    r"(?P<end>[ \t]*$)?(?(end)|(?=[ \t]+\S))",
    re.M,
)
_GLUED_LEAD = re.compile(
    rf"""^[ \t]*(?:
        \({_CREDIT_WORDS}\)\.?[ \t]+                                # (Ảnh minh họa) Thời gian
      | Ảnh:[ \t]*(?:{_U}\w*(?:[ \t]{_U}\w*){{0,3}}[ \t]*/[ \t]*)?        # Ảnh: Thu Hằng/
        (?:{_U}(?:{_U}|[\d&+-]){{1,10}}|[\w-]+(?:\.[\w-]+)+)[ \t]+
    )(?={_U}{_L}*[ \t])""",
    re.M | re.X,
)
_GLUED_SOURCE = re.compile(
    r"(?<=[.!?…\"”])[ \t]*\((?:Nguồn|Theo)[ \t]*:?[ \t]*[^()\n]{2,40}\)\.?[ \t]*$", re.M
)
_GLUED_BYLINE = re.compile(
    rf"(?<=[.!?…\"”])[ \t]+(?:{_U}{{2,7}}|{_U}\.{_U}{{1,7}})(?:[ \t]*[-–][ \t]*|[ \t]+)"
    rf"(?:{_U}{{2,7}}|{_U}\.{_U}{{1,7}})(?:(?:[ \t]*[-–][ \t]*|[ \t]+)(?:{_U}{{2,7}}|{_U}\.{_U}{{1,7}})){{0,3}}[ \t]*$",  # noqa: E501
    re.M,
)
_GLUED_WIDGET = re.compile(r"[ \t]*\((?:Xem chi tiết|Xem thêm|Chi tiết)\)\.?[ \t]*$", re.M | re.I)


class _Cut(NamedTuple):
    start: int
    end: int
    label: str
    rule: str
    confidence: float


# -- classification -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineLabel:
    """The verdict on one non-blank line.

    ``n`` indexes ``text.split("\\n")``; ``start``/``end`` bound the line's
    text (without its line break). ``kept`` says why a non-body line stays
    (``"photo-story"``: the captions carry the document; ``"keep-lines"``:
    its class was asked to be kept); it is empty for removed lines and body.
    """

    n: int
    start: int
    end: int
    text: str
    label: str
    rule: str
    confidence: float
    kept: str = ""


#: Lines longer than this are paragraphs: only cues and duplicates apply to them.
_LONG = 150
#: Cues are tried on lines up to this length (stripped); longer ones are paragraphs.
_MAX_CUE_LINE = 320
#: More name-shaped lines than this at the end are a list (of winners, of a team).
_MAX_TAIL_NAMES = 2
#: Fewer headline-shaped lines at the end may be the article's own last lines.
_MIN_HEADLINES = 3
#: A line ending with a photo credit is a caption up to this length; beyond it,
#: it is a paragraph and only the credit is cut.
_LONG_CAPTION = 300
#: Lines after a gallery intro up to this length are its captions.
_LONG_CAPTION_RUN = 200
#: A repeated line shorter than this may be a legitimate refrain.
_MIN_DUPLICATE = 30
_MIN_CONTAINED = 50
#: A document with at least this many captions, carrying more text than the
#: prose, is a photo story: its captions are kept.
_MIN_STORY_CAPTIONS = 3


class _Lines:
    """What the rules know of a document while they label its lines.

    ``eff`` holds each line's text after glued cuts, stripped; ``nonblank``
    the indexes of the lines with text; ``title`` the headline's index;
    ``label``, ``rule`` and ``conf`` the class, rule and confidence of each
    line labelled so far; ``protected`` the lines a cue marked as body.
    """

    __slots__ = ("conf", "eff", "label", "nonblank", "protected", "rule", "title")

    def __init__(self, eff: list[str], nonblank: list[int]) -> None:
        self.eff = eff
        self.nonblank = nonblank
        self.title = nonblank[0]
        self.label: dict[int, str] = {}
        self.rule: dict[int, str] = {}
        self.conf: dict[int, float] = {}
        self.protected: set[int] = set()

    def mark(self, i: int, label: str, rule: str, confidence: float) -> None:
        """Label line ``i`` (a later mark replaces an earlier one)."""
        self.label[i], self.rule[i], self.conf[i] = label, rule, confidence


class _Analysis(NamedTuple):
    lines: list[str]
    nonblank: list[int]
    label: dict[int, str]
    rule: dict[int, str]
    conf: dict[int, float]
    protected: set[int]
    cuts: list[_Cut]
    story: bool


#: Any of these in a document sends it through the glued-cut checks. The start gate
#: is tried only when a one-character test finds its first letter (``str`` search
#: is much faster than the regex engine's); the stamp gate only when a line starts
#: with ``date`` or ends with a digit (a stamp is glued at one end of a line).
_GLUED_PAREN_GATE = re.compile(r"\((?:[Ảả]|[Nn]guồn|Theo|[Xx]em|Chi tiết)")
_GLUED_START_GATE = re.compile(r"\n[^\S\n]*Ảnh:")
#: A ``date 2021-05`` stamp anywhere.
_STAMP_GATE = re.compile(r"date[ \t]+\d{4}-\d\d")


def _line_starts(lines: list[str]) -> list[int]:
    """Offset of each line (and one past the end), without a Python loop."""
    return list(map(add, accumulate(map(len, lines), initial=0), range(len(lines) + 1)))


def _analyse(text: str, cuesets: tuple[CueSet, ...], strip_datelines: bool) -> _Analysis | None:
    lines = text.split("\n")
    eff = list(map(str.strip, lines))  # each line's text after glued cuts, stripped
    # The lines by length, in one pass: on an article of a dozen lines, one loop costs
    # less than a C-level map and list per class (measured).
    nonblank: list[int] = []
    cue_lines: list[int] = []  # up to 320 characters: cues are tried on these
    shaped_lines: list[int] = []  # up to 150: the shape rules look at these
    headline_sized: list[int] = []  # 30 to 140: the length of a headline
    short: list[int] = []  # up to 40: the "short" trigger
    upper_end: list[int] = []  # 45 or more, ending with a capital: a glued byline?
    stamp_shaped = False  # a line starting with "date" or ending with a digit
    for i, s in enumerate(eff):
        n = len(s)
        if not n:
            continue
        nonblank.append(i)
        if n <= _MAX_CUE_LINE:
            cue_lines.append(i)
            if n <= _LONG:
                shaped_lines.append(i)
                if n in _PAIR_LENGTHS:
                    headline_sized.append(i)
                if n <= _SHORT:
                    short.append(i)
        last = s[-1]
        if n >= 45 and last.isupper():
            upper_end.append(i)
        if last.isdigit() or s.startswith("date"):
            stamp_shaped = True
    if not nonblank:
        return None
    doc = _Lines(eff, nonblank)
    title, label, rule, conf, protected = doc.title, doc.label, doc.rule, doc.conf, doc.protected

    # 1. Glued pieces cut out of lines (stamps, credits, datelines, bylines). A few
    #    scans of the document decide whether any line needs looking at.
    cuts: list[_Cut] = []
    recheck: set[int] = set()
    starts: list[int] = []
    if (
        upper_end
        or strip_datelines
        or ("Ả" in text and _GLUED_START_GATE.search("\n" + text))
        or _GLUED_PAREN_GATE.search(text)
        or (stamp_shaped and _STAMP_GATE.search(text))
    ):
        starts = _line_starts(lines)
        cuts = _glued_cuts(text, lines, eff, starts, nonblank, upper_end, title, strip_datelines)
        for c in cuts:
            recheck.add(bisect_right(starts, c.start) - 1)
        for i in recheck:
            line_start, line_end = starts[i], starts[i] + len(lines[i])
            kept_parts, pos = [], line_start
            for c in cuts:
                if line_start <= c.start < line_end:
                    kept_parts.append(text[pos : c.start])
                    pos = c.end
            kept_parts.append(text[pos:line_end])
            eff[i] = "".join(kept_parts).strip()

    # 2. Cues, on the lines that trigger any (lines changed by a cut are rechecked).
    candidates = [cs.candidates(text, lines, eff, cue_lines, short) for cs in cuesets]
    todo = set(recheck)
    for cand in candidates:
        todo.update(cand)
    for i in sorted(todo):
        s = eff[i]
        if not s or len(s) > _MAX_CUE_LINE:
            continue
        for cs, cand in zip(cuesets, candidates, strict=True):
            rows = cs.rows_for(s) if i in recheck else cand.get(i)
            if not rows:
                continue
            cue = cs.match(s, rows, i == title)
            if cue is not None:
                _set_cue(doc, i, cue)
                break
        if i == title and i in label:
            # A stamp or junk line above the headline: the next line is the title.
            title = doc.title = next((j for j in nonblank if j > i), i)

    # 3. Duplicates: of the title or an earlier line (a set of the lines tells), or at the
    #    edge of a neighbour (then two long lines share their first or last characters).
    copies = _copy_candidates(list(map(eff.__getitem__, nonblank)))
    if copies:
        _duplicates(doc, copies)

    # 3b. Lines after an image stub (alt text, markup) are its caption.
    if _IMAGE_RULES.intersection(rule.values()):
        _after_image(doc)

    # 3c. A headline right after the lead: related articles the site put there; two
    #     headlines side by side between paragraphs: captions or related headlines.
    #     Every rule from here to step 6 but the gallery looks only at lines of at most
    #     150 characters: a document of paragraphs skips them all.
    if recheck:  # a cut line may be shorter now
        shaped_lines = [i for i, s in enumerate(eff) if 0 < len(s) <= _LONG]
        headline_sized = [i for i in shaped_lines if len(eff[i]) in _PAIR_LENGTHS]
    shaped = len(shaped_lines) > (len(eff[title]) <= _LONG)
    # 3b'. A one-sentence line restating the lead right above it, or copied from a
    #      paragraph before it: a photo's caption written from the text.
    if shaped:
        _restated(doc, shaped_lines)
    # Both rules label only headline-sized lines after the first line.
    headlines = len(headline_sized) - (headline_sized[:1] == nonblank[:1])
    if shaped and headlines:
        rest = list(filterfalse(label.__contains__, nonblank)) if label else nonblank
        _after_lead(doc, rest)
        if headlines >= 2:
            rest = list(filterfalse(label.__contains__, rest)) if label else rest
            _headline_pairs(doc, rest, headline_sized)

    # 4. A gallery: the short lines after a gallery intro ("Một số hình ảnh …:") are
    #    its captions, up to the next paragraph. (Before the tail, which looks past them.)
    for k, i in enumerate(nonblank) if "gallery-intro" in rule.values() else ():
        if rule.get(i) != "gallery-intro":
            continue
        for j in nonblank[k + 1 :]:
            if j in label:
                continue
            if j in protected or len(eff[j]) > _LONG_CAPTION_RUN:
                break
            doc.mark(j, "caption", "gallery", 0.85)

    # 5. The tail: site navigation after the closing widgets ("Chia sẻ:", "Đọc thêm"),
    #    then bylines and lists of related headlines after the last paragraph.
    if label:
        _navigation_after_widgets(doc)
    while shaped and _tail(doc):
        pass  # a run removed at the end exposes what was before it (a byline)

    # 5b. Near copies of the headline (a related article's title, a caption restating it),
    #     and an intro left dangling before the byline (the video it introduced is gone).
    if shaped:
        before = len(label)
        _near_title(doc, shaped_lines)
        if len(label) > before:
            # a near copy removed at the end exposes what was before it (a byline)
            while _tail(doc):
                pass
    if shaped and _teaser_after_byline(doc):
        while _tail(doc):  # the byline the teaser hid
            pass
    if shaped and "byline" in label.values():
        _dangling_intro(doc)

    # 6. The head: an ALL-CAPS name between the title and the first paragraph.
    for i in nonblank if shaped else ():
        if i == title or i in label:
            continue
        s = eff[i]
        if len(s) > 60 or i in protected:
            break
        if _NAME_PREFIX_RE.sub("", s).isupper() and _is_name_line(s):
            doc.mark(i, "byline", "name-at-start", 0.85)
            j = next((j for j in nonblank if j > i), -1)
            if j >= 0 and j not in label and j not in protected and _AFFILIATION.fullmatch(eff[j]):
                doc.mark(j, "byline", "affiliation", 0.85)

    if not label:
        return _Analysis(lines, nonblank, label, rule, conf, protected, cuts, False)
    if "repeated-caption" in rule.values() and all(i in label or i == title for i in nonblank):
        # The repeated line was the only prose left: it is the text, not a caption.
        _judge_repeated_alone(doc)

    # 7. Photo stories: when captions outweigh the prose, they are the content.
    #    A caption known only by being shown twice is no evidence either way: it counts
    #    as prose, so the verdict is the same once its copy is gone.
    captions = [i for i, lab in label.items() if lab == "caption" and rule[i] != "repeated-caption"]
    story = False
    if len(captions) >= _MIN_STORY_CAPTIONS:
        caption_chars = sum(len(eff[i]) for i in captions)
        body_chars = sum(
            len(eff[i])
            for i in nonblank
            if (i not in label or rule[i] == "repeated-caption") and i != title
        )
        story = caption_chars > body_chars
    if story and "repeated-caption" in rule.values():
        # The story keeps its captions, so a line known as a caption only by
        # being shown twice stays, and once its copy is gone it is judged
        # alone: judge it alone now (a headline after the captions is one).
        _judge_repeated_alone(doc)
    return _Analysis(lines, nonblank, label, rule, conf, protected, cuts, story)


def _judge_repeated_alone(doc: _Lines) -> None:
    """Drop the ``repeated-caption`` labels and judge the tail again, as a
    second run will once the copies are gone."""
    for i in [i for i, r in doc.rule.items() if r == "repeated-caption"]:
        del doc.label[i], doc.rule[i], doc.conf[i]
    while _tail(doc):
        pass


def _glued_cuts(
    text: str,
    lines: list[str],
    eff: list[str],
    starts: list[int],
    nonblank: list[int],
    upper_end: list[int],
    title: int,
    strip_datelines: bool,
) -> list[_Cut]:
    """Stamps, credits, sources, links and bylines glued to a line, and datelines."""
    cuts: list[_Cut] = []

    def add_cut(m: re.Match[str], lab: str, r: str, c: float) -> None:
        cuts.append(_Cut(m.start(), m.end(), lab, r, c))

    # Each regex runs only on a line holding a literal it needs. One scan finds the
    # lines holding "(Ả", "(Nguồn", "(Theo", "(Xem", "(Chi tiết" (what the checks
    # after a parenthesis look for).
    paren_lines = {bisect_right(starts, m.start()) - 1 for m in _GLUED_PAREN_GATE.finditer(text)}
    for i in nonblank:
        line = lines[i]
        st, en = starts[i], starts[i] + len(line)
        if "date" in line:
            m = _STAMP_PREFIX.match(text, st, en)
            if m is not None:
                add_cut(m, "header", "date-stamp", 0.99)
            m = _STAMP_SUFFIX.search(text, m.end() if m else st, en)
            if m is not None:
                add_cut(m, "header", "date-stamp", 0.99)
        if i not in paren_lines and not eff[i].startswith("Ảnh:"):
            continue
        paren = "(Ả" in line or "(ả" in line or "(Nguồn ảnh" in line or "(nguồn ảnh" in line
        if paren or eff[i].startswith("Ảnh:"):
            m = _GLUED_LEAD.match(text, st, en)
            if m is not None:
                add_cut(m, "caption", "glued-credit", 0.95)
        if paren:
            for m in _GLUED_PAREN.finditer(text, st, en):
                if m.group("end") is None or len(eff[i]) > _LONG_CAPTION:
                    add_cut(m, "caption", "glued-credit", 0.95)
        if ("(Nguồn" in line or "(Theo" in line) and len(eff[i]) > _LONG:
            m = _GLUED_SOURCE.search(text, st, en)
            if m is not None:
                add_cut(m, "byline", "glued-source", 0.95)
        if "(Xem" in line or "(xem" in line or "(Chi tiết" in line:
            m = _GLUED_WIDGET.search(text, st, en)
            if m is not None:
                add_cut(m, "boilerplate", "glued-link", 0.95)
    for i in upper_end:
        st = starts[i]
        en = st + len(lines[i])
        # A glued byline is a few short ALL-CAPS tokens: look only at the line's end.
        m = _GLUED_BYLINE.search(text, max(st, en - 80), en)
        if m is not None and m.start() - st >= 40:
            add_cut(m, "byline", "glued-byline", 0.85)
    if strip_datelines:
        seen_body = 0
        for i in nonblank:
            if i <= title:
                continue
            pos = starts[i]
            for c in cuts:  # after a stamp cut, the dateline follows it
                if c.start == pos and c.rule == "date-stamp":
                    pos = c.end
            m = _DATELINE.match(text, pos, starts[i] + len(lines[i]))
            if m and m.end() > m.start():
                add_cut(m, "byline", "dateline", 0.9)
            seen_body += 1
            if seen_body >= 2:
                break
    if not cuts:
        return cuts
    cuts.sort()
    return [c for k, c in enumerate(cuts) if k == 0 or c.start >= cuts[k - 1].end]


def _duplicates(doc: _Lines, copies: list[int]) -> None:
    """Label copies of the title, of an earlier line, or at the edge of a neighbour.

    ``copies`` are the positions in ``nonblank`` of the lines that can be copies
    (:func:`_copy_candidates`); the others cannot be and are not looked at.
    Exact copies are labelled first, so that a line is compared with the
    neighbours it will have once they are gone (as a second run would).
    """
    eff, nonblank = doc.eff, doc.nonblank
    title_text = eff[doc.title]
    seen: dict[str, int] = {}
    rest: list[int] = []
    for k in copies:
        i = nonblank[k]
        s = eff[i]
        if i in doc.protected:
            continue
        j = seen.get(s)
        if j is None:
            seen[s] = i
        if i == doc.title or i in doc.label:
            continue
        if s == title_text and s.count(" ") >= 3:
            doc.mark(i, "boilerplate", "duplicate-title", 0.95)
        elif j is not None and len(s) >= _MIN_DUPLICATE:
            doc.label[i] = doc.label.get(j) or "boilerplate"
            doc.rule[i], doc.conf[i] = "duplicate", 0.95
            if len(s) <= _LONG and _is_caption_copy(doc, j, i):
                doc.mark(j, "caption", "repeated-caption", 0.8)
        elif len(s) >= _MIN_CONTAINED:
            rest.append(k)
    for k in rest:
        i = nonblank[k]
        if i in doc.label:
            continue  # a repeated caption, labelled after this line was set aside
        s = eff[i]
        needle = s.rstrip(" .…") if s.endswith(("...", "…")) else s
        if len(needle) < _MIN_CONTAINED:
            continue
        # The nearest two lines kept so far on each side: copies already
        # labelled go, so a second run would see these next to it.
        for kk in (*_kept_near(doc, k, -1), *_kept_near(doc, k, 1)):
            o = eff[nonblank[kk]]
            if len(o) > len(s) and _is_copy_in(needle, o):
                doc.label[i] = "boilerplate"
                doc.rule[i] = "truncated-copy" if needle is not s else "contained-copy"
                doc.conf[i] = 0.9
                break


def _kept_near(doc: _Lines, k: int, step: int) -> list[int]:
    """Positions in ``nonblank`` of the two lines nearest to position ``k``, before
    (``step`` -1) or after (1), that no rule has labelled so far."""
    out: list[int] = []
    kk = k + step
    while 0 <= kk < len(doc.nonblank) and len(out) < 2:
        if doc.nonblank[kk] not in doc.label:
            out.append(kk)
        kk += step
    return out


def _is_caption_copy(doc: _Lines, j: int, i: int) -> bool:
    """True when line ``j``, repeated at line ``i``, is a caption shown twice.

    A short line printed twice (under the photo and again as its alt text, or
    in a gallery at the end) when its first copy stands alone: right before
    its copy, or after a paragraph. Never the title or the lead.
    """
    eff, nonblank = doc.eff, doc.nonblank
    s = eff[j]
    if j == doc.title or j in doc.label or j in doc.protected:
        return False
    if _BULLET.match(s) or s.endswith(("?", ":")):
        return False
    k = bisect_left(nonblank, j)
    if k == 0 or nonblank[k - 1] == doc.title:
        return False
    ki = bisect_left(nonblank, i)
    before, after = eff[nonblank[k - 1]], eff[nonblank[ki + 1]] if ki + 1 < len(nonblank) else ""
    if eff.count(s) > 2:  # three copies or more: a refrain, not a caption
        return False
    if nonblank[k + 1] == i:  # side by side: a line doubled, not a block
        return before != after
    # Apart: the copy of a block (the article pasted twice) has copied neighbours too.
    return (
        len(before) > _LONG
        and before != eff[nonblank[ki - 1]]
        and eff[nonblank[k + 1]] != after
    )


#: Closing widgets: what follows them to the end of a page is the site's navigation.
_WIDGET_RULES = frozenset({"widget", "related-link", "tags", "copyright"})
#: A navigation line: short, no sentence punctuation at its end.
_MAX_NAVIGATION = 80
_SENTENCE_END = tuple('.!?…"”')
#: An author's institution on the line after an ALL-CAPS name at the head.
_AFFILIATION = re.compile(
    r"(?:Học viện|Trường|Đại học|Viện|Khoa|Bộ|Sở|Ban|Trung tâm|Hội|Công ty|Tập đoàn|Ngân hàng|"
    r"Bệnh viện|Tạp chí|Báo|Cục|Vụ|Tổng cục|Ủy ban|Uỷ ban|Văn phòng|Phòng|Liên hiệp|Quỹ)"
    r"\s[^.!?:;]{3,75}"
)


def _navigation_after_widgets(doc: _Lines) -> None:
    """Label the short, unpunctuated lines after the last closing widget of a page.

    Only when every line after that widget is one (or already not body): a
    sentence after it means the widget was inside the article.
    """
    eff, nonblank = doc.eff, doc.nonblank
    last = next((i for i in reversed(nonblank) if doc.rule.get(i) in _WIDGET_RULES), -1)
    if last < 0:
        return
    after = [i for i in nonblank if i > last and i not in doc.label]
    if not after or any(
        i in doc.protected
        or i == doc.title
        or len(eff[i]) > _MAX_NAVIGATION
        or eff[i].endswith(_SENTENCE_END)
        for i in after
    ):
        return
    for i in after:
        if not _is_name_line(eff[i]):  # a name there is a byline, left to the tail
            doc.mark(i, "boilerplate", "navigation", 0.8)


#: Rules that label an image stub: the line after one is its caption.
_IMAGE_RULES = frozenset({"image-alt", "markup"})
#: The lengths of a headline-shaped line (:func:`_is_headline_shaped`).
_PAIR_LENGTHS = range(30, 141)
#: A lead shorter than this is not a paragraph (a line broken mid-sentence, a teaser).
_MIN_LEAD = 100


def _after_image(doc: _Lines) -> None:
    """Label the line right after an image stub as its caption.

    The stub is what extraction left of the picture (``… ảnh 2`` alt text,
    ``![]() |``, ``leftcenterrightdel``); the line under it is the caption when
    it is short enough for one. A ``| …`` cell after a ``… |`` stub is the next
    cell of the same layout-table row.
    """
    eff, nonblank = doc.eff, doc.nonblank
    for k, i in enumerate(nonblank[:-1]):
        if doc.rule.get(i) not in _IMAGE_RULES:
            continue
        j = nonblank[k + 1]
        if j in doc.label or j in doc.protected:
            continue
        s = eff[j]
        cell = s.startswith("|") and eff[i].endswith("|")
        if len(s) <= (_LONG_CAPTION if cell else _LONG) and not (
            _BULLET.match(s) or s.endswith(":")
        ):
            doc.mark(j, "caption", "after-image", 0.8)


#: A restating caption: its words (at least this many) ...
_MIN_RESTATED_WORDS = 6
#: ... right after the lead, this share of them found in the lead; ...
_RESTATED_SHARE = 0.9
#: ... anywhere, a run of this share of them (in %) copied word for word from one
#: of the two paragraphs before it (and this share of its words in that paragraph).
_RESTATED_RUN_PERCENT = 60
_RESTATED_RUN_SHARE = 0.85


#: Marks a caption does not hold: a label's colon, a semicolon, a question, an exclamation.
_NOT_RESTATABLE = re.compile(r"[:;?!]")


def _is_restatable(s: str) -> bool:
    """True when ``s`` is shaped like a one-sentence photo caption: 30 to 150
    characters, capitalised, one sentence ending with a full stop; not a bullet,
    a question or an exclamation (anywhere: ``(?!)`` is the writer's comment), a
    ``label: value`` line or a sentence continuing the text before.

    >>> _is_restatable("Bà Lan, Giám đốc Công ty May Hòa Bình, tại buổi lễ.")
    True
    >>> [_is_restatable(s) for s in ("Những thách thức phía trước của ngành dệt may",
    ...     "- Bà Lan, Giám đốc Công ty May Hòa Bình, tại buổi lễ.",
    ...     "Tác dụng: làm sáng da, giữ ẩm và chống nắng cho làn da.",
    ...     "Vì vậy, doanh nghiệp cần chuẩn bị kỹ cho năm tới.")]
    [False, False, False, False]
    """
    n = len(s)
    if n < 30 or n > _LONG or not s.endswith(".") or s.endswith(".."):
        return False
    if not s[0].isupper() or _NOT_RESTATABLE.search(s):
        return False
    return not (_BULLET.match(s) or _SENTENCE_BREAK.search(s) or _continues(s))


def _longest_run(words: list[str], text: str) -> int:
    """The length of the longest run of ``words`` found word for word in ``text``
    (words joined by single spaces, with a space at each end).

    >>> _longest_run(["bà", "lan", "giám", "đốc", "mới"], " hôm nay bà lan giám đốc công ty ")
    4
    """
    best = 0
    for i in range(len(words) - best):
        j = i + best + 1
        while j <= len(words) and f" {' '.join(words[i:j])} " in text:
            best = j - i
            j += 1
    return best


def _restated(doc: _Lines, shaped: list[int]) -> None:
    """Label one-sentence lines that restate the paragraph before them as captions.

    A photo's caption is often written from the text above the photo: the
    lead retold under the lead photo, the portrait of ``bà Anne …, Trưởng bộ
    phận … (NSN)`` named in a paragraph above. A body sentence adds something;
    a caption repeats. So a line shaped like a caption (:func:`_is_restatable`)
    goes when it follows the lead directly and nine in ten of its words are in
    the lead, or, anywhere, when six in ten of its words are copied in order
    from one of the two paragraphs before it (85% of its words in it).

    Only the text before counts: a line restated by the paragraph after it is a
    headline or a sub-heading and its text (text split one sentence per line,
    articles one after another), and the lead, which the text retells, has no
    paragraph before it. Paragraphs are lines over 150 characters not removed so
    far; the rules after this one remove only shorter lines, so a second run sees
    the same ones.
    """
    eff, nonblank = doc.eff, doc.nonblank
    lead = under_lead = -1
    paragraphs: list[int] | None = None
    lowered: dict[int, str] = {}
    exact: dict[int, tuple[set[str], str]] = {}
    for i in shaped:
        s = eff[i]
        if s[-1] != "." or i == doc.title or i in doc.label or i in doc.protected:
            continue
        if paragraphs is None:
            paragraphs = [j for j in nonblank if len(eff[j]) > _LONG and j not in doc.label]
            if len(eff[doc.title]) <= _LONG:  # a headline: the first line after it is the lead
                lead = next((j for j in nonblank if j > doc.title and j not in doc.label), -1)
                under_lead = _next_kept(doc, lead) if lead >= 0 else -1
        k = bisect_left(paragraphs, i)
        if not k or not _is_restatable(s):  # no paragraph before it, or not a caption's shape
            continue
        words = _WORD.findall(s)
        n = len(words)
        if n < _MIN_RESTATED_WORDS:
            continue
        # Every run of ceil(60%) of the words holds the words in the middle: a
        # paragraph that lacks one of them, as written, copies no run.
        m = -(-n * _RESTATED_RUN_PERCENT // 100)
        middle = words[n - m : m]
        lower: list[str] | None = None
        for j in reversed(paragraphs[max(0, k - 2) : k]):
            retell = i == under_lead and j == lead
            if not retell and not all(w in eff[j] for w in middle):
                continue
            if lower is None:
                lower = [w.lower() for w in words]
            low = lowered.get(j)
            if low is None:
                low = lowered[j] = eff[j].lower()
            # Found as a substring is needed to be found as a word: most lines stop
            # here, before the paragraph is split into words.
            if sum(w in low for w in lower) < _RESTATED_RUN_SHARE * n:
                continue
            got = exact.get(j)
            if got is None:
                pw = _WORD.findall(low)
                got = exact[j] = (set(pw), f" {' '.join(pw)} ")
            share = sum(w in got[0] for w in lower) / n
            if (retell and share >= _RESTATED_SHARE) or (
                share >= _RESTATED_RUN_SHARE and _longest_run(lower, got[1]) >= m
            ):
                doc.mark(i, "caption", "restated", 0.75)
                break


def _next_kept(doc: _Lines, j: int) -> int:
    """The first line after line ``j`` not removed so far (-1: none)."""
    nonblank = doc.nonblank
    return next((i for i in nonblank[bisect_right(nonblank, j) :] if i not in doc.label), -1)


#: A question or an exclamation is an interview line; a trailing ellipsis, a teaser
#: running into the text.
_NOT_HEADLINE_END = ("?", "!", "...", "…")
#: Words that point back to the text before: a line starting with one continues it.
_CONTINUATION = re.compile(
    r"(?:Đó|Đây|Điều (?:đó|này)|Vì vậy|Vì thế|Do đó|Do vậy|Tuy nhiên|Nhưng|Và|Còn|Thế nhưng|"
    r"Trong khi đó|Ngoài ra|Bên cạnh đó|Theo đó|Như vậy)\b"
)


def _continues(s: str) -> bool:
    """True when ``s`` starts with a word that refers to the text before it.

    >>> _continues("Đó là những sự kiện nổi bật trong năm"), _continues("Đồng bằng ngập sâu")
    (True, False)
    """
    return _CONTINUATION.match(s) is not None


#: A bulleted list of related headlines glued into one line by the extraction.
_GLUED_LIST_START = frozenset({"- ", "– "})
#: The break between two glued items: a word or number, a dash stuck to it, a
#: capital (``… 19.000 đồng- Áp giá …``). Spaced dashes (``Việt - Nhật``) are text.
_GLUED_ITEM = re.compile(rf"(?<=[{_L[1:-1]}\d%])[-–] (?={_U})")


def _is_glued_headlines(s: str) -> bool:
    """True when ``s`` is two or more bulleted headlines glued into one line:
    ``- Giá USD khó nhọc vươn lên 19.000 đồng- Áp giá USD cao, …``. Every item
    has a headline's shape and six words or more (so ``- Tuyến Hà Nội- Hải Phòng
    thông xe`` stays), and the line ends without punctuation, as a headline does.

    >>> _is_glued_headlines("- Giá vàng tăng mạnh trong phiên sáng nay"
    ...                     "- Ngân hàng đồng loạt hạ lãi suất huy động")
    True
    >>> _is_glued_headlines("- Tuyến cao tốc Hà Nội- Hải Phòng sẽ thông xe vào cuối năm nay")
    False
    """
    if s.endswith((".", "?", "!", ":", ";", "…")):
        return False
    items = _GLUED_ITEM.split(s[2:].lstrip())
    return len(items) >= 2 and all(
        len(x) >= 30 and x.count(" ") >= 5 and _is_headline_shaped(x) for x in items
    )


def _after_lead(doc: _Lines, rest: list[int]) -> None:
    """Label the headline-shaped lines right after the lead paragraph.

    Sites put related headlines there (``(VOV) - …`` then ``Hy Lạp đối mặt với
    sức ép nợ công IMF xem xét …``, two headlines glued), or the caption of
    the lead photo. A bulleted line of headlines glued together (``- … đồng- Áp
    giá …``) belongs to the run too (rule ``glued-headlines``). ``rest`` are the
    lines not removed so far (a copy of the lead in between is no paragraph).
    Not when the lead is short (not a paragraph), a line is part of the lead,
    asks a question (interviews), or the line after the run starts in lower
    case (a sentence broken over lines).
    """
    k = bisect_right(rest, doc.title)
    if k >= len(rest):
        return
    lead = doc.eff[rest[k]]
    if len(lead) < _MIN_LEAD:
        return
    run: list[int] = []
    glued: set[int] = set()
    for i in rest[k + 1 :]:
        s = doc.eff[i]
        if s[:2] in _GLUED_LIST_START and i not in doc.protected and _is_glued_headlines(s):
            run.append(i)
            glued.add(i)
            continue
        if len(s) not in _PAIR_LENGTHS:  # not headline-shaped: the cheapest test first
            break
        if i in doc.protected or s in lead or s.endswith(_NOT_HEADLINE_END) or _continues(s):
            break
        if not _is_headline_shaped(s):
            break
        run.append(i)
    after = len(run) + k + 1
    if not run or after >= len(rest) or doc.eff[rest[after]][:1].islower():
        return
    for i in run:
        r = "glued-headlines" if i in glued else "after-lead"
        doc.mark(i, "boilerplate", r, 0.75)



def _headline_pairs(doc: _Lines, rest: list[int], sized: list[int]) -> None:
    """Label two headline-shaped lines side by side between two paragraphs.

    A sub-heading stands alone before its section; two unpunctuated lines in a
    row between paragraphs are the captions of two photos, or a related
    headline and a caption. ``rest`` are the lines not removed so far;
    ``sized`` the lines of a headline's length (in order), the only ones a
    pair can start with. Not lines with a colon (``Name: question``) or ending
    with ``?``/``!`` (interviews).
    """
    n = len(rest)
    if n < 5:
        return
    for a in sized:
        k = bisect_left(rest, a)
        if not 2 <= k < n - 2 or rest[k] != a:
            continue
        b = rest[k + 1]
        if len(doc.eff[b]) not in _PAIR_LENGTHS:
            continue
        if a == doc.title:
            continue
        if len(doc.eff[rest[k - 1]]) <= _LONG or len(doc.eff[rest[k + 2]]) <= _LONG:
            continue
        if a in doc.protected or b in doc.protected or rest[k - 1] == doc.title:
            continue
        sa, sb = doc.eff[a], doc.eff[b]
        if any(":" in x or x.endswith(_NOT_HEADLINE_END) or _continues(x) for x in (sa, sb)):
            continue
        if _is_headline_shaped(sa) and _is_headline_shaped(sb):
            for i in (a, b):
                doc.mark(i, "caption", "headline-pair", 0.7)


def _tail(doc: _Lines) -> bool:
    """Label bylines and related headlines after the last paragraph; True if any."""
    eff, nonblank = doc.eff, doc.nonblank
    heads: list[int] = []
    names: list[int] = []
    for i in reversed(nonblank):
        if i == doc.title:
            break
        if i in doc.label:
            continue
        if i in doc.protected:
            break
        s = eff[i]
        if len(s) > 140:  # a paragraph: neither a name nor a headline (the usual case)
            break
        if not heads and _is_name_line(s):
            names.append(i)
        elif _is_headline_shaped(s):
            heads.append(i)
        else:
            break
    if len(names) > _MAX_TAIL_NAMES:  # more is a list of names, not a byline
        return False
    for i in names:
        doc.mark(i, "byline", "name-at-end", 0.85)
    if len(heads) >= _MIN_HEADLINES or (heads and _after_removed(doc, heads[-1])):
        # Three or more; or fewer right after a caption or byline ending the article.
        for i in heads:
            doc.mark(i, "boilerplate", "related-headlines", 0.85)
        return True
    return bool(names)


def _after_removed(doc: _Lines, i: int) -> bool:
    """True when the line before line ``i`` is a caption or a byline (other
    removed lines in between do not count: they go either way)."""
    k = bisect_left(doc.nonblank, i) - 1
    while k >= 0 and doc.label.get(doc.nonblank[k], "body") not in ("body", "caption", "byline"):
        k -= 1
    return k >= 0 and doc.label.get(doc.nonblank[k]) in ("caption", "byline")


_WORD = re.compile(r"\w+")


def _words(s: str) -> set[str]:
    return set(_WORD.findall(s.lower()))


def _near_title(doc: _Lines, shaped: list[int]) -> None:
    """Label short unpunctuated lines that restate the headline with a few words changed.

    A related article's title (the headline without ``(năm 2001)``) or a
    caption repeating it (``Những ngày tới, `` + the headline). ``shaped`` are
    the lines of at most 150 characters; only those sharing the headline's
    first or last 16 characters are compared: their words must be a subset or a
    superset of the headline's, differing by under 30%.
    """
    t = doc.eff[doc.title]
    if len(t) < _MIN_DUPLICATE:
        return
    head, tail = t[:16], t[-16:]
    title_words: set[str] | None = None
    for i in shaped:
        s = doc.eff[i]
        if not (s.startswith(head) or s.endswith(tail)) or i == doc.title or i in doc.label:
            continue
        if i in doc.protected or not _MIN_DUPLICATE <= len(s) <= _LONG or s.endswith("."):
            continue
        if title_words is None:
            title_words = _words(t)
        w = _words(s)
        small, big = (w, title_words) if len(w) <= len(title_words) else (title_words, w)
        if len(small) >= 5 and small <= big and len(small) >= 0.7 * len(big):
            doc.mark(i, "boilerplate", "near-title", 0.8)


#: Rules that removed another story's headline (or a copy of one): one such line
#: must stand between the byline and the paragraph taken for that story's lead.
_TEASER_HEAD_RULES = frozenset(
    {"related-headlines", "duplicate", "duplicate-title", "repeated-caption", "near-title"}
)


def _teaser_after_byline(doc: _Lines) -> bool:
    """Label the paragraph after the byline that ends the article: another story's lead.

    Pages list other stories after the article: a headline and its lead, or a
    lead cut short. The last paragraph kept is such a teaser when it comes after
    the article's byline, either cut off mid-sentence right after an ALL-CAPS
    name (``HOÀI PHƯƠNG`` then ``Tuy nhiên, ở ngày thi đấu hôm nay, … vươn l``),
    or after a byline and a headline already removed (``TTXVN/ Báo Tin Tức``,
    a related headline, its lead). A cut paragraph without the name, or a
    paragraph after a byline with no headline between them, stays: the first is
    the article's own last paragraph cut by the scraper, the second may be the
    article going on after a photo credit.
    """
    eff, nonblank, label = doc.eff, doc.nonblank, doc.label
    k = len(nonblank) - 1
    while k > 0 and nonblank[k] in label:
        k -= 1
    t = nonblank[k]
    s = eff[t]
    if k < 2 or t == doc.title or t in doc.protected or len(s) < _MIN_LEAD:
        return False
    prev = nonblank[k - 1]
    if prev not in label:
        cut = s[-1].isalpha()  # stopped mid-word
        if not (cut and prev != doc.title and prev not in doc.protected):
            return False
        name = eff[prev]
        if not (_NAME_PREFIX_RE.sub("", name).isupper() and _is_name_line(name)):
            return False
    else:
        headline = False
        while k > 1 and nonblank[k - 1] in label:
            k -= 1
            j = nonblank[k]
            if label[j] == "byline":
                break
            headline = headline or doc.rule[j] in _TEASER_HEAD_RULES
        else:
            return False
        if not headline:
            return False
    doc.mark(t, "boilerplate", "teaser", 0.75)
    return True


def _dangling_intro(doc: _Lines) -> None:
    """Label a line ending with ``:`` right before a byline: what it introduced
    (a video, a gallery) was dropped by the extraction, so it introduces nothing."""
    eff, nonblank = doc.eff, doc.nonblank
    for k, j in enumerate(nonblank):
        if k == 0 or doc.label.get(j) != "byline":
            continue
        i = nonblank[k - 1]
        s = eff[i]
        if i == doc.title or i in doc.label or i in doc.protected:
            continue
        if s.endswith(":") and len(s) <= _LONG:
            doc.mark(i, "caption", "dangling-intro", 0.8)


def _set_cue(doc: _Lines, i: int, cue: Cue) -> None:
    if cue.label == "body":
        doc.protected.add(i)
        doc.rule[i] = cue.rule
        return
    lab, r = cue.label, cue.rule
    if r == "trailing-pipe" and _is_name_line(doc.eff[i].rstrip(" |")):
        lab, r = "byline", "name-pipe"
    doc.mark(i, lab, r, cue.confidence)


def _labels(text: str, a: _Analysis | None, keep: frozenset[str]) -> list[LineLabel]:
    if a is None:
        return []
    starts = _line_starts(a.lines)
    out: list[LineLabel] = []
    for i in a.nonblank:
        lab = a.label.get(i, "body")
        kept = ""
        if lab == "caption" and a.story:
            kept = "photo-story"
        elif lab != "body" and lab in keep:
            kept = "keep-lines"
        at = starts[i]
        line = a.lines[i]
        out.append(LineLabel(i, at, at + len(line), line, lab, a.rule.get(i, ""), a.conf.get(i, 1.0), kept))  # noqa: E501
    return out


def classify_lines(
    text: str,
    *,
    patterns: str | os.PathLike[str] | None = None,
    keep: Iterable[str] = (),
    strip_datelines: bool = False,
) -> list[LineLabel]:
    """Classify every non-blank line of one document.

    ``patterns`` is an optional site-specific cue file (tried before the
    packaged cues); ``keep`` lists classes that stay (their lines are reported
    with ``kept="keep-lines"``).

    >>> doc = "Tiêu đề bài\\nĐoạn văn đầu tiên.\\nTrần Hương"
    >>> [(x.n, x.label, x.rule) for x in classify_lines(doc)]
    [(0, 'body', ''), (1, 'body', ''), (2, 'byline', 'name-at-end')]
    """
    extra = load_cues(patterns) if patterns is not None else ()
    return _labels(text, _analyse(text, _cuesets(extra), strip_datelines), frozenset(keep))




def _removal_edits(text: str, a: _Analysis | None, keep: frozenset[str]) -> list[Edit]:
    """Edits that remove non-body lines with their line breaks, and the glued cuts."""
    if a is None or not (a.label or a.cuts):  # most documents: nothing to remove
        return []
    remove = {
        i for i, lab in a.label.items() if lab not in keep and not (a.story and lab == "caption")
    }
    cuts = [c for c in a.cuts if c.label not in keep]
    if not remove and not cuts:
        return []
    lines = a.lines
    starts = _line_starts(lines)
    last_kept = next((i for i in reversed(a.nonblank) if i not in remove), -1)
    last_line = a.nonblank[-1]
    cut_lines: dict[int, list[_Cut]] = {}
    for c in cuts:
        cut_lines.setdefault(bisect_right(starts, c.start) - 1, []).append(c)

    edits: list[Edit] = []
    prev_end = starts[last_kept] + len(lines[last_kept]) if last_kept >= 0 else 0
    for i in sorted(remove | cut_lines.keys()):
        if i not in remove:
            edits.extend(Edit(c.start, c.end, "", c.rule, c.label, c.confidence) for c in cut_lines[i])  # noqa: E501
            continue
        line_end = starts[i] + len(lines[i])
        if i > last_kept:
            # The tail: take the break (and blank lines) before the line, keep what follows
            # the last line, so the document ends as it did.
            start, end, prev_end = prev_end, line_end, line_end
            if last_kept < 0 and i == last_line and not text[line_end:].strip():
                end = len(text)
        else:
            # A kept line follows: take the line and its break; when a blank line (or the
            # document start) precedes it, past lines removed too, take the blank lines
            # after it as well, so that one paragraph break stays.
            start, end = starts[i], line_end + 1
            before = i - 1
            while before in remove:
                before -= 1
            if before < 0 or not lines[before].strip():
                j = i + 1
                while not lines[j].strip():
                    j += 1
                end = starts[j]
        edits.append(Edit(start, end, "", a.rule[i], a.label[i], a.conf[i]))
    return edits


def strip_captions(
    text: str,
    *,
    patterns: str | os.PathLike[str] | None = None,
    keep: Iterable[str] = (),
    strip_datelines: bool = False,
    changes: list[Change] | None = None,
) -> str:
    """Remove non-body lines and glued captions from one document.

    Arguments are those of :func:`classify_lines`; ``changes`` collects the
    trace when it is a list.

    >>> strip_captions("Tin chính\\nNội dung bài.\\n\\nTheo TTXVN\\n")
    'Tin chính\\nNội dung bài.\\n'
    >>> strip_captions("Tin chính\\nNội dung bài.\\n\\nTheo TTXVN\\n", keep=["byline"])
    'Tin chính\\nNội dung bài.\\n\\nTheo TTXVN\\n'
    """
    extra = load_cues(patterns) if patterns is not None else ()
    return _strip(text, _cuesets(extra), strip_datelines, frozenset(keep), changes)


def _strip(
    text: str,
    cuesets: tuple[CueSet, ...],
    strip_datelines: bool,
    keep: frozenset[str],
    changes: list[Change] | None,
) -> str:
    """Remove the non-body lines of ``text``, looking again at what is left.

    A line is judged by its neighbours, and removing lines gives it new ones
    (a byline uncovered at the end, a photo story's verdict once its copies
    are gone), so what is left is judged again, as a second run would judge
    it; each look is a ``round`` of the trace. On the 1,159 benchmark
    documents a second look never found more; on pages of little but junk it
    does. :func:`classify_lines` reports the first look.
    """
    return apply_rounds(
        text,
        lambda t: _removal_edits(t, _analyse(t, cuesets, strip_datelines), keep),
        "captions",
        changes,
    )


def _parse_keep(value: str) -> frozenset[str]:
    return frozenset(p.strip() for p in value.split(",") if p.strip())


class CaptionsStep(Step):
    """Pipeline step ``captions``: remove captions, bylines, boilerplate and stamps."""

    name = "captions"
    summary = "remove photo captions, bylines, related links, widgets and date stamps"

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.keep = _parse_keep(config.keep_lines)
        self.strip_datelines = config.strip_datelines
        extra = load_cues(config.caption_patterns) if config.caption_patterns else ()
        self.cues = _cuesets(extra)

    def __reduce__(self) -> tuple[type[CaptionsStep], tuple[Config]]:
        return (CaptionsStep, (self.config,))

    def apply(self, text: str, changes: list[Change] | None) -> str:
        return _strip(text, self.cues, self.strip_datelines, self.keep, changes)
