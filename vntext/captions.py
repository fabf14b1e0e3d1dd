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
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate
from typing import NamedTuple

from vntext.config import Config
from vntext.pipeline import Step
from vntext.trace import Change, Edit, apply_edits

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
_REMOVABLE = frozenset(LINE_LABELS[1:])
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
    """One row of a cue table: lines matching ``pattern`` are ``label`` by ``rule``."""

    label: str
    rule: str
    scope: str
    pattern: str
    confidence: float = 0.95


def _parse_cues(text: str, source: str) -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for no, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cols = raw.split("\t")
        where = f"{source}:{no}"
        if len(cols) not in (4, 5):
            raise ValueError(
                f"{where}: expected 4 or 5 tab-separated columns "
                f"(class, rule, scope, pattern[, confidence]), got {len(cols)}"
            )
        label, rule, scope, pattern = (c.strip() if i < 3 else c for i, c in enumerate(cols[:4]))
        if label not in LINE_LABELS and not (label == "gate" and source == _PACKAGED):
            raise ValueError(f"{where}: class must be one of {', '.join(LINE_LABELS)}; got {label!r}")  # noqa: E501
        if scope not in _SCOPES:
            raise ValueError(f"{where}: scope must be one of {', '.join(_SCOPES)}; got {scope!r}")
        if not rule or not re.fullmatch(r"[\w.-]+", rule):
            raise ValueError(f"{where}: rule must be a word such as 'photo-credit'; got {rule!r}")
        if "(?P<" in pattern:
            raise ValueError(f"{where}: named groups are not allowed in a cue pattern")
        try:
            if label != "gate":
                re.compile(_expand(pattern), re.I)
        except re.error as exc:
            raise ValueError(f"{where}: bad regular expression: {exc}") from None
        confidence = 0.95
        if len(cols) == 5:
            try:
                confidence = float(cols[4])
            except ValueError:
                raise ValueError(f"{where}: confidence must be a number; got {cols[4]!r}") from None
            if not 0.0 <= confidence <= 1.0:
                raise ValueError(f"{where}: confidence must be between 0 and 1")
        cues.append(Cue(label, rule, scope, pattern, 1.0 if label == "body" else confidence))
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


#: Gate literals for a line ending with a period (a sentence): the cues that can
#: match one end with a credit, a source or a notice.
_SENTENCE_GATE = (
    "ảnh", "Ảnh", "ẢNH", "Nguồn", "nguồn", "Theo", "thắc mắc", "©", "Copyright", "Bản quyền",
    "Mời", "|",
)  # fmt: skip


class CueSet:
    """Cues compiled into one alternation, tried with ``fullmatch`` on a line.

    Alternatives are tried in table order, so the first matching row wins, as
    in the table. ``gate`` (the table's ``gate`` rows, searched anywhere in a
    line) lets a line longer than a few words skip the alternation when it
    holds none of the literals the cues need: most lines are prose.
    """

    def __init__(self, cues: Sequence[Cue], gate: Sequence[str] = ()) -> None:
        self.cues = tuple(cues)
        parts = [f"(?P<c{i}>{_expand(c.pattern)})" for i, c in enumerate(self.cues)]
        body = "|".join(parts) or "(?!)"
        self.line = re.compile(rf"(?:{body})", re.I)
        title_parts = [p for p, c in zip(parts, self.cues, strict=True) if c.scope == "any"]
        self.title = re.compile(rf"(?:{'|'.join(title_parts) or '(?!)'})", re.I)
        self.gate = tuple(gate)

    def gated_out(self, line: str) -> bool:
        """True when the line holds none of the gate literals (so no cue can match).

        Most lines are sentences ending with a period; of the cues, only credits,
        sources and notices match such a line, so only their literals are tried.
        """
        if not self.gate:
            return False
        literals = _SENTENCE_GATE if line.endswith(".") else self.gate
        return all(literal not in line for literal in literals)

    def cue(self, match: re.Match[str]) -> Cue:
        name = match.lastgroup
        assert name is not None
        return self.cues[int(name[1:])]


@cache
def _cuesets(extra: tuple[Cue, ...] = ()) -> tuple[CueSet, ...]:
    """The user's cues (always tried) before the packaged ones (gated)."""
    default = default_cues()
    gate = [
        literal.replace("\\|", "|")
        for c in default
        if c.label == "gate"
        for literal in re.split(r"(?<!\\)\|", c.pattern)
    ]
    packaged = CueSet([c for c in default if c.label != "gate"], gate)
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


def _is_name_line(s: str) -> bool:
    """``Trần Hương``, ``HOÀNG VÂN``, ``TRỌNG PHÚ - CHUNG THỦY - H.VÂN``, ``ThS HOÀNG VĂN HÙNG``."""
    if len(s) > 60 or any(ch.isdigit() for ch in s):
        return False
    if _NAME_LINE.fullmatch(s):
        return True
    letters = [ch for ch in s if ch.isalpha()]
    return len(letters) >= 4 and s.upper() == s and bool(_CAPS_NAME_LINE.fullmatch(s))


_SHORT_PREFIX = re.compile(r"\(?[\w. ]{1,25}\)?\s*[-–—:]*\s*")


def _is_copy_in(needle: str, other: str) -> bool:
    """True when ``other`` starts or ends with ``needle`` (after at most a dateline).

    A copy in the middle of a longer line is not a repeat: a forum reply
    quoting the post above (``Trích: Nguyên văn bởi …``) keeps both.
    """
    p = other.find(needle)
    if p < 0:
        return False
    if p == 0 or not other[p + len(needle) :].strip(" .…\"”"):
        return True
    return bool(_SHORT_PREFIX.fullmatch(other[:p]))


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
    return s.count(" ") >= 5


# -- glued cuts -------------------------------------------------------------------

_STAMP_PREFIX = re.compile(r"^[ \t]*date[ \t]+\d{4}-\d{2}(?:-\d{2})?[ \t]+(?=\S)", re.M)
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


def _line_length(m: re.Match[str], starts: list[int], lines: list[str]) -> int:
    return len(lines[bisect_right(starts, m.start()) - 1].strip())


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
#: Lines up to this length are tried against every cue; longer ones need a gate hit.
_GATE_FREE = 40
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


class _Analysis(NamedTuple):
    labels: list[LineLabel]
    cuts: list[_Cut]


def _analyse(
    text: str,
    cuesets: tuple[CueSet, ...],
    keep: frozenset[str],
    strip_datelines: bool,
) -> _Analysis:
    lines = text.split("\n")
    nlines = len(lines)
    starts = list(accumulate((len(x) + 1 for x in lines), initial=0))
    eff = list(map(str.strip, lines))  # each line's text after glued cuts, stripped

    label: list[str | None] = [None] * nlines
    rule: list[str] = [""] * nlines
    conf: list[float] = [1.0] * nlines
    protected = [False] * nlines

    title = next((i for i in range(nlines) if eff[i]), -1)
    if title < 0:
        return _Analysis([], [])

    # 1. Glued pieces cut out of lines (stamps, credits, datelines, bylines).
    cuts: list[_Cut] = []
    recheck: set[int] = set()

    def add_cut(m: re.Match[str], lab: str, r: str, c: float) -> None:
        i = bisect_right(starts, m.start()) - 1
        cuts.append(_Cut(m.start(), m.end(), lab, r, c))
        recheck.add(i)

    # Each regex runs only on a line holding a literal it needs (``in`` is fast; a
    # regex scanning every position of every document is not).
    for i in range(nlines):
        line = lines[i]
        if not eff[i]:
            continue
        st, en = starts[i], starts[i] + len(line)
        if "date" in line:
            m = _STAMP_PREFIX.match(text, st, en)
            if m is not None:
                add_cut(m, "header", "date-stamp", 0.99)
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
        if len(eff[i]) >= 45 and eff[i][-1].isupper():
            m = _GLUED_BYLINE.search(text, st, en)
            if m is not None and m.start() - st >= 40:
                add_cut(m, "byline", "glued-byline", 0.85)
    if strip_datelines:
        seen_body = 0
        for i in range(title + 1, nlines):
            if not eff[i]:
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
    if cuts:
        cuts.sort()
        cuts = [c for k, c in enumerate(cuts) if k == 0 or c.start >= cuts[k - 1].end]
        for i in recheck:
            line_start, line_end = starts[i], starts[i] + len(lines[i])
            kept_parts, pos = [], line_start
            for c in cuts:
                if line_start <= c.start < line_end:
                    kept_parts.append(text[pos : c.start])
                    pos = c.end
            kept_parts.append(text[pos:line_end])
            eff[i] = "".join(kept_parts).strip()

    # 2. Cues, on lines short enough to be anything but a paragraph. Lines beyond a
    #    few words must also contain one of the packaged table's gate literals.
    for i in range(nlines):
        s = eff[i]
        n = len(s)
        if n == 0 or n > _MAX_CUE_LINE:
            continue
        for cueset in cuesets:
            if n > _GATE_FREE and cueset.gated_out(s):
                continue
            m = (cueset.title if i == title else cueset.line).fullmatch(s)
            if m is not None:
                _set_cue(i, cueset.cue(m), label, rule, conf, protected, eff)
                break
        if i == title and label[i] is not None:
            # A stamp or junk line above the headline: the next line is the title.
            title = next((j for j in range(i + 1, nlines) if eff[j]), i)

    # 3. Duplicates: of the title, of an earlier line, or contained in a neighbour.
    title_text = eff[title]
    seen: dict[str, int] = {}
    nonblank = [i for i in range(nlines) if eff[i]]
    for k, i in enumerate(nonblank):
        s = eff[i]
        if protected[i]:
            continue
        j = seen.get(s)
        if j is None:
            seen[s] = i
        if i == title or label[i] is not None:
            continue
        if s == title_text and s.count(" ") >= 3:
            label[i], rule[i], conf[i] = "boilerplate", "duplicate-title", 0.95
        elif j is not None and len(s) >= _MIN_DUPLICATE:
            label[i] = label[j] or "boilerplate"
            rule[i], conf[i] = "duplicate", 0.95
        elif len(s) >= _MIN_CONTAINED:
            needle = s.rstrip(" .…") if s.endswith(("...", "…")) else s
            if len(needle) < _MIN_CONTAINED:
                continue
            for kk in (k - 2, k - 1, k + 1, k + 2):
                if 0 <= kk < len(nonblank):
                    o = eff[nonblank[kk]]
                    if len(o) > len(s) and label[nonblank[kk]] is None and _is_copy_in(needle, o):
                        label[i] = "boilerplate"
                        rule[i] = "truncated-copy" if needle is not s else "contained-copy"
                        conf[i] = 0.9
                        break

    # 4. The tail: bylines and lists of related headlines after the last paragraph.
    heads: list[int] = []
    names: list[int] = []
    for i in reversed(nonblank):
        if i == title:
            break
        if label[i] is not None:
            continue
        if protected[i]:
            break
        s = eff[i]
        if not heads and _is_name_line(s):
            names.append(i)
        elif _is_headline_shaped(s):
            heads.append(i)
        else:
            break
    if len(names) <= _MAX_TAIL_NAMES:  # more is a list of names, not a byline
        for i in names:
            label[i], rule[i], conf[i] = "byline", "name-at-end", 0.85
        if len(heads) >= _MIN_HEADLINES:
            for i in heads:
                label[i], rule[i], conf[i] = "boilerplate", "related-headlines", 0.85

    # 5. The head: an ALL-CAPS name between the title and the first paragraph.
    for i in nonblank:
        if i == title or label[i] is not None:
            continue
        s = eff[i]
        if len(s) > 60 or protected[i]:
            break
        if _NAME_PREFIX_RE.sub("", s).isupper() and _is_name_line(s):
            label[i], rule[i], conf[i] = "byline", "name-at-start", 0.85

    # 6. A gallery: the short lines after a gallery intro ("Một số hình ảnh …:") are
    #    its captions, up to the next paragraph.
    for k, i in enumerate(nonblank):
        if rule[i] != "gallery-intro":
            continue
        for j in nonblank[k + 1 :]:
            if label[j] is not None:
                continue
            if protected[j] or len(eff[j]) > _LONG_CAPTION_RUN:
                break
            label[j], rule[j], conf[j] = "caption", "gallery", 0.85

    # 7. Photo stories: when captions outweigh the prose, they are the content.
    captions = [i for i in nonblank if label[i] == "caption"]
    caption_chars = sum(len(eff[i]) for i in captions)
    story = False
    if len(captions) >= _MIN_STORY_CAPTIONS:
        body_chars = sum(len(eff[i]) for i in nonblank if label[i] is None and i != title)
        story = caption_chars > body_chars

    labels: list[LineLabel] = []
    for i in nonblank:
        lab = label[i] or "body"
        kept = ""
        if lab == "caption" and story:
            kept = "photo-story"
        elif lab != "body" and lab in keep:
            kept = "keep-lines"
        at = starts[i]
        labels.append(
            LineLabel(i, at, at + len(lines[i]), lines[i], lab, rule[i] or "", conf[i], kept)
        )
    return _Analysis(labels, cuts)


def _set_cue(
    i: int,
    cue: Cue,
    label: list[str | None],
    rule: list[str],
    conf: list[float],
    protected: list[bool],
    eff: list[str],
) -> None:
    if cue.label == "body":
        protected[i] = True
        rule[i] = cue.rule
        return
    lab, r = cue.label, cue.rule
    if r == "trailing-pipe" and _is_name_line(eff[i].rstrip(" |")):
        lab, r = "byline", "name-pipe"
    label[i], rule[i], conf[i] = lab, r, cue.confidence


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
    return _analyse(text, _cuesets(extra), frozenset(keep), strip_datelines).labels


def _removal_edits(
    text: str, labels: list[LineLabel], cuts: list[_Cut], keep: frozenset[str]
) -> list[Edit]:
    """Edits that remove non-body lines with their line breaks, and the glued cuts."""
    remove = {x.n for x in labels if x.label != "body" and not x.kept}
    lines = text.split("\n")
    starts = list(accumulate((len(x) + 1 for x in lines), initial=0))
    kept_nonblank = [x.n for x in labels if x.n not in remove]
    last_kept = kept_nonblank[-1] if kept_nonblank else -1

    edits: list[Edit] = []
    prev_end = starts[last_kept] + len(lines[last_kept]) if last_kept >= 0 else 0
    for x in labels:
        i = x.n
        if i not in remove:
            edits.extend(
                Edit(c.start, c.end, "", c.rule, c.label, c.confidence)
                for c in cuts
                if x.start <= c.start < x.end and c.label not in keep
            )
            continue
        line_end = starts[i] + len(lines[i])
        if i > last_kept:
            # The tail: take the break (and blank lines) before the line, keep what follows
            # the last line, so the document ends as it did.
            start, end, prev_end = prev_end, line_end, line_end
            if last_kept < 0 and i == labels[-1].n and not text[line_end:].strip():
                end = len(text)
        else:
            # A kept line follows: take the line and its break; when a blank line (or the
            # document start) precedes it, take the blank lines after it too.
            start, end = starts[i], line_end + 1
            if i == 0 or not lines[i - 1].strip():
                j = i + 1
                while not lines[j].strip():
                    j += 1
                end = starts[j]
        edits.append(Edit(start, end, "", x.rule, x.label, x.confidence))
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
    keep_set = frozenset(keep)
    extra = load_cues(patterns) if patterns is not None else ()
    analysis = _analyse(text, _cuesets(extra), keep_set, strip_datelines)
    edits = _removal_edits(text, analysis.labels, analysis.cuts, keep_set)
    if not edits:
        return text
    return apply_edits(text, edits, "captions", changes)


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
        analysis = _analyse(text, self.cues, self.keep, self.strip_datelines)
        edits = _removal_edits(text, analysis.labels, analysis.cuts, self.keep)
        if not edits:
            return text
        return apply_edits(text, edits, self.name, changes)
