"""Expand Vietnamese acronyms in written form: ``UBND tỉnh`` → ``Ủy ban nhân dân tỉnh``.

Every other Vietnamese abbreviation expander is a text-to-speech verbaliser:
it lowercases the sentence, spells unknown capitals out and rewrites
punctuation. This step writes the expansion the way a Vietnamese newspaper
would print it and leaves everything around it exactly as it was.

How an all-caps token is handled, in order:

1. Only whole tokens of two or more capitals are looked at (``TP.HCM``,
   ``HĐND-UBND`` and ``GD&ĐT`` count as one token), never a piece of a word,
   a URL, an e-mail address or a document code (``34/2011/TT-NHNN``).
2. A definition in the document, ``Ngân hàng Nhà nước (NHNN)``, teaches the
   acronym for the rest of that document (rule ``document-definition``,
   winning over the dictionary); the defining parenthesis is left alone.
3. Otherwise the packaged dictionary (``vntext/data/abbreviations.tsv``) and
   a user file give the senses. One sense: rule ``dictionary``. Several
   senses (``ĐH`` Đại học / Đại hội): cue words near the token pick one (rule
   ``context:<cue>``); with no deciding cue the token is left alone unless a
   fallback sense is at least as likely as ``threshold``.
4. Photo credits, bylines and outlet datelines (``Ảnh: TTXVN``, ``TTO -``)
   are never touched, nor is a token alone in parentheses.
5. The expansion takes the case of its place: a capital at the start of a
   sentence or after an institution (``Bộ GTVT`` → ``Bộ Giao thông vận
   tải``), all capitals inside an all-caps heading.

>>> expand_abbreviations("Chủ tịch UBND tỉnh chỉ đạo bảo đảm ANTT.")
'Chủ tịch Ủy ban nhân dân tỉnh chỉ đạo bảo đảm an ninh trật tự.'
>>> expand_abbreviations("ANTT được giữ vững ở TP.HCM.")
'An ninh trật tự được giữ vững ở Thành phố Hồ Chí Minh.'
>>> expand_abbreviations("UBND tỉnh họp. Chủ tịch UBND phát biểu.", mode="first")
'Ủy ban nhân dân (UBND) tỉnh họp. Chủ tịch UBND phát biểu.'
>>> expand_abbreviations("Ngày 3/1, Ngân hàng Nhà nước (NHNN) cho biết NHNN sẽ hạ lãi suất.")
'Ngày 3/1, Ngân hàng Nhà nước (NHNN) cho biết Ngân hàng Nhà nước sẽ hạ lãi suất.'
>>> expand_abbreviations("Giá USD tăng. (Ảnh: TTXVN)")
'Giá USD tăng. (Ảnh: TTXVN)'
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from vntext.config import Config
from vntext.pipeline import Step
from vntext.trace import Change, Edit, apply_edits

__all__ = [
    "AbbreviationsStep",
    "Sense",
    "expand_abbreviations",
    "keep_list",
    "load_dictionary",
]

#: Vietnamese capital letters (and U+00D0 ``Ð``, the Icelandic look-alike of
#: ``Đ`` that scraped text often carries).
UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"

# A candidate: capitals joined by ``-``, ``.`` or ``&`` (group 1), or a capital
# prefix written with a dot straight before a name, ``TP.Biên Hòa`` (group 2).
# The pattern opens with a plain character class and a look-ahead for a second
# capital so that ``re`` scans fast and gives up at once on ordinary
# capitalised words; the look-behind then rejects a token glued to a word, a
# URL, an e-mail or a code (``/``, ``.``, ``@``, ``#``, ``-``). Acronyms start
# with a plain Latin capital or ``Đ``.
_CANDIDATE = re.compile(
    rf"[A-ZĐÐ](?=[{UPPER}.&\-])(?<![\w.@/\\#&+\-'’][A-ZĐÐ])"
    rf"(?:"
    rf"([{UPPER}]+(?:[-&.][{UPPER}]+)*|(?:[-&.][{UPPER}]+)+)(?![\w@]|[-&./][\w])"
    rf"|([{UPPER}]+\.)(?=[{UPPER}][{LOWER}])"
    rf")"
)
_SECOND_PART = re.compile(rf"\.? ?([{UPPER}]{{2,}})(?![\w@]|[-&./]\w)")
_ROMAN = re.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
_WORD = re.compile(r"[\w&]+(?:[-.][\w&]+)*")
_CREDIT = re.compile(
    r"(?:^|[\s(\[|/-])(?:Ảnh|ảnh|ẢNH|Nguồn|nguồn|NGUỒN|Nguồn ảnh|Nguồn tin|Đồ họa|Đồ hoạ|"
    r"Video|Clip|Photo|Thực hiện|Tin|Bài|Tin, ảnh|Tin và ảnh|Bài, ảnh|Bài và ảnh|Tác giả|"
    r"Biên dịch|Lược dịch|Dịch|Theo)\s*:[^.!?;)]*$"
    r"|\((?:[Ảả]nh|[Tt]heo|[Nn]guồn)\b[^)]*$"
)
_BYLINE_LINE = re.compile(r"\(?\s*(?:[Tt]heo|[Nn]guồn)\b[^.!?]{0,40}\)?\.?")
_DATELINE_AFTER = re.compile(r"\)?\s*[-–—]\s")
_SENTENCE_END = frozenset(".!?…")
_OPENERS = " \t\"“‘'([{*•-–—>"
#: Institution words after which an expansion is part of a name and takes a
#: capital: ``Bộ GTVT`` → ``Bộ Giao thông vận tải``.
_INSTITUTIONS = frozenset(
    {
        "Bộ", "Sở", "Cục", "Vụ", "Viện", "Ban", "Phòng", "Trường", "Trung tâm", "Học viện",
        "Đài", "Hội", "Liên đoàn", "Tổng cục", "Chi cục", "Văn phòng", "Ủy ban", "Uỷ ban",
    }
)
_CONNECTORS = frozenset({"và", "&", "-", "–", ",", "với"})


@dataclass(frozen=True, slots=True)
class Sense:
    """One meaning of an acronym.

    ``cues`` are lower-case words or phrases that select this sense when they
    occur near the token; a cue starting with ``<`` must end right before the
    token, one starting with ``>`` must start right after it. ``prior`` is
    how likely the sense is when no cue decides (default 1.0 for a sense
    without cues, 0.0 for one with cues): the likeliest sense is used when
    its prior reaches the step's ``threshold``.
    """

    expansion: str
    cues: tuple[str, ...] = ()
    prior: float = 1.0
    source: str = ""


Dictionary = dict[str, tuple[Sense, ...]]


def _key(token: str) -> str:
    """The lookup form of a token: ``Ð`` read as ``Đ``, dots and spaces dropped.

    >>> _key("TP. HCM"), _key("ÐBSCL"), _key("TP.")
    ('TPHCM', 'ĐBSCL', 'TP.')
    """
    token = token.replace("Ð", "Đ")
    if token.endswith(".") and "." not in token[:-1] and " " not in token:
        return token
    return token.replace(".", "").replace(" ", "")


def _parse_tsv(lines: Iterable[str], origin: str) -> Iterator[tuple[str, Sense]]:
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0]:
            raise ValueError(f"{origin}:{n}: expected 'ABBR<TAB>expansion', got {line!r}")
        cues = tuple(c.strip() for c in cols[2].split(",") if c.strip()) if len(cols) > 2 else ()
        try:
            default = 0.0 if cues else 1.0
            prior = float(cols[3]) if len(cols) > 3 and cols[3] else default
        except ValueError:
            raise ValueError(f"{origin}:{n}: prior must be a number, got {cols[3]!r}") from None
        if not 0.0 <= prior <= 1.0:
            raise ValueError(f"{origin}:{n}: prior must be from 0 to 1, got {prior}")
        source = cols[4] if len(cols) > 4 else ""
        yield cols[0], Sense(cols[1], cues, prior, source)


def _collect(rows: Iterable[tuple[str, Sense]]) -> Dictionary:
    out: dict[str, list[Sense]] = {}
    for abbr, sense in rows:
        senses = out.setdefault(_key(abbr), [])
        if all(s.expansion != sense.expansion for s in senses):
            senses.append(sense)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def load_dictionary(path: str | None = None) -> Dictionary:
    """The packaged acronym dictionary, merged with the user TSV at ``path``.

    A user file has the packaged columns (``ABBR``, ``expansion``, optional
    comma-separated ``cues`` and ``prior``); its entries replace the packaged
    senses of the same acronym, and an empty expansion removes an acronym.

    >>> d = load_dictionary()
    >>> d["UBND"][0].expansion
    'Ủy ban nhân dân'
    >>> sorted(s.expansion for s in d["ĐH"])
    ['Đại học', 'Đại hội']
    """
    text = resources.files("vntext.data").joinpath("abbreviations.tsv").read_text("utf-8")
    merged = _collect(_parse_tsv(text.splitlines(), "abbreviations.tsv"))
    if path is not None:
        with open(path, encoding="utf-8") as fh:
            user = _collect(_parse_tsv(fh, os.fspath(path)))
        for key, senses in user.items():
            kept = tuple(s for s in senses if s.expansion)
            if kept:
                merged[key] = kept
            else:
                merged.pop(key, None)
    return merged


@functools.cache
def keep_list() -> frozenset[str]:
    """All-caps tokens that must stay as written (foreign terms, brands, outlets, codes).

    >>> {"USD", "VTV", "FPT"} <= keep_list()
    True
    """
    text = resources.files("vntext.data").joinpath("abbreviations_keep.tsv").read_text("utf-8")
    return frozenset(
        _key(line.split("\t", 1)[0])
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _is_roman(token: str) -> bool:
    return bool(token) and _ROMAN.fullmatch(token) is not None


def _initial(word: str) -> str:
    """The letter a word gives an acronym: ``Ủy`` gives ``U``, ``Đảng`` gives ``Đ``."""
    return unicodedata.normalize("NFD", word[:1].upper().replace("Ð", "Đ"))[:1]


def _letters(token: str) -> list[str]:
    return [_initial(c) for c in token if c.isalpha()]


def _match_definition_before(text: str, line_start: int, paren: int, token: str) -> str | None:
    """The expansion ending right before ``(TOKEN)`` whose initials spell TOKEN, if any.

    >>> t = "theo Ngân hàng Nhà nước (NHNN)"
    >>> _match_definition_before(t, 0, t.index("("), "NHNN")
    'Ngân hàng Nhà nước'
    >>> t = "là phương án (NHNN)"
    >>> _match_definition_before(t, 0, t.index("("), "NHNN") is None
    True
    """
    letters = _letters(token)
    if len(letters) < 2:
        return None
    words = list(_WORD.finditer(text, max(line_start, paren - 40 * len(letters)), paren))
    i, j = len(letters) - 1, len(words) - 1
    start = -1
    while i >= 0 and j >= 0:
        w = words[j].group()
        if _initial(w) == letters[i]:
            start = words[j].start()
            i -= 1
        elif w.lower() not in _CONNECTORS or i == len(letters) - 1:
            return None
        j -= 1
    if i >= 0 or start < 0:
        return None
    between = text[start:paren]
    if any(c in between for c in "().;:!?\n") or not between.strip():
        return None
    return between.rstrip()


def _match_definition_after(text: str, open_paren: int, token: str) -> str | None:
    """The expansion inside ``TOKEN (…)`` when its initials spell TOKEN.

    >>> t = "NHNN (Ngân hàng Nhà nước) cho biết"
    >>> _match_definition_after(t, t.index("("), "NHNN")
    'Ngân hàng Nhà nước'
    """
    close = text.find(")", open_paren, open_paren + 200)
    if close < 0:
        return None
    inner = text[open_paren + 1 : close]
    words = [w for w in _WORD.findall(inner) if w.lower() not in _CONNECTORS]
    if [_initial(w) for w in words] != _letters(token):
        return None
    return inner.strip()


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:]


class _Document:
    """Per-document state: what it defines and which acronyms it has shown."""

    __slots__ = ("folded", "seen", "taught")

    def __init__(self) -> None:
        self.taught: dict[str, str] = {}
        self.seen: set[str] = set()
        self.folded: str | None = None


class _Expander:
    def __init__(self, dictionary: Dictionary, mode: str, threshold: float) -> None:
        if mode not in ("all", "first"):
            raise ValueError(f"mode must be 'all' or 'first', not {mode!r}")
        self.dictionary = dictionary
        self.mode = mode
        self.threshold = threshold
        self.keep = keep_list()
        # first parts of multi-part keys written with a space or ". " (``TP HCM``)
        self.joinable = frozenset(
            k[:n] for k in dictionary for n in range(2, len(k) - 1) if k[:n] in dictionary
        )
        self._cue_cache: dict[str, list[tuple[Sense, re.Pattern[str] | None]]] = {}
        # unambiguous acronyms resolve without looking at their context
        self.static: dict[str, tuple[str, str, str, float]] = {
            k: (v[0].expansion, "dictionary", v[0].expansion, v[0].prior)
            for k, v in dictionary.items()
            if len(v) == 1 and not v[0].cues
        }

    # -- senses -------------------------------------------------------------

    def _cue_patterns(self, key: str) -> list[tuple[Sense, re.Pattern[str] | None]]:
        """One pattern per sense; group ``i`` matches the sense's ``i``-th cue.

        The window the patterns search holds the token as ``\x00``; ``<cue``
        must end right before it and ``>cue`` start right after it.
        ``>NUM`` and ``>NAME`` stand for a number and a capitalised word.
        """
        cached = self._cue_cache.get(key)
        if cached is None:
            cached = []
            for sense in self.dictionary[key]:
                parts = []
                for cue in sense.cues:
                    if cue == ">NUM":
                        parts.append(r"(?<=\x00)(\s*[0-9])")
                    elif cue == ">NAME":
                        parts.append(rf"(?<=\x00)(\s*(?-i:[{UPPER}])(?-i:[{LOWER}]))")
                    elif cue[0] == "<":
                        parts.append(rf"(?<!\w)({re.escape(cue[1:])})\s*(?=\x00)")
                    elif cue[0] == ">":
                        parts.append(rf"(?<=\x00)(\s*{re.escape(cue[1:])})(?!\w)")
                    else:
                        parts.append(rf"(?<!\w)({re.escape(cue)})(?!\w)")
                pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None
                cached.append((sense, pattern))
            self._cue_cache[key] = cached
        return cached

    def _choose(
        self, key: str, text: str, start: int, end: int, doc: _Document
    ) -> tuple[Sense, str, float] | None:
        """Pick a sense for the token at ``start:end``: (sense, rule, confidence)."""
        senses = self.dictionary[key]
        if len(senses) == 1 and not senses[0].cues:
            return senses[0], "dictionary", senses[0].prior
        ls = text.rfind("\n", 0, start) + 1
        le = text.find("\n", end)
        le = len(text) if le < 0 else le
        window = text[max(ls, start - 60) : start] + "\x00" + text[end : min(le, end + 60)]
        centre = window.index("\x00")
        best: list[tuple[int, Sense, str]] = []
        for sense, pattern in self._cue_patterns(key):
            if pattern is None:
                continue
            for m in pattern.finditer(window):
                cue = sense.cues[(m.lastindex or 1) - 1].lstrip("<>")
                dist = centre - m.end() if m.end() <= centre else m.start() - centre - 1
                best.append((max(dist, 0), sense, cue))
        if best:
            best.sort(key=lambda b: b[0])
            nearest = [b for b in best if b[0] == best[0][0]]
            if len({id(b[1]) for b in nearest}) == 1:
                return nearest[0][1], f"context:{nearest[0][2]}", 0.95
            return None
        if len(senses) > 1 and any(s.cues for s in senses):
            if doc.folded is None:
                doc.folded = text.lower()
            present = [s for s in senses if s.expansion.lower() in doc.folded]
            if len(present) == 1:
                return present[0], f"context:{present[0].expansion.lower()}", 0.9
        top = max(s.prior for s in senses)
        fallback = [s for s in senses if s.prior == top]
        if top > 0.0 and len(fallback) == 1:
            return fallback[0], "dictionary", top
        return None

    # -- context ------------------------------------------------------------

    @staticmethod
    def _is_credit(text: str, line_start: int, line_end: int, start: int, end: int) -> bool:
        before = text[max(line_start, start - 80) : start]
        if _CREDIT.search(before):
            return True
        if line_end - line_start <= 80:
            line = text[line_start:line_end].strip()
            if line == text[start:end] or _BYLINE_LINE.fullmatch(line):
                return True
        # outlet dateline: ``TTO - ...`` or ``(NLĐO) - ...`` at the start of a line
        return start - line_start <= 1 and _DATELINE_AFTER.match(text, end) is not None

    def _case(self, text: str, line_start: int, start: int, end: int, line_end: int) -> str:
        """'upper' inside an all-caps run, 'capital' at a sentence start or after an institution."""
        prev = text[max(line_start, start - 40) : start].split()
        nxt = text[end : min(line_end, end + 40)].split()
        for w in prev[-1:] + nxt[:1]:
            w = w.strip(".,;:!?\"“”'()[]-–")
            # a heading word: all capitals, Vietnamese (a diacritic) or long, not an acronym
            if (
                len(w) >= 2
                and w.isupper()
                and w.isalpha()
                and (not w.isascii() or len(w) >= 4)
                and _key(w) not in self.dictionary
                and _key(w) not in self.keep
            ):
                return "upper"
        stripped = text[max(line_start, start - 40) : start].rstrip(_OPENERS)
        if start - line_start <= 40 and not stripped:
            return "capital"
        # a full stop ends a sentence, unless it closes an initial (``Trúc L. (SN 1991``)
        if stripped and stripped[-1] in _SENTENCE_END and not re.search(
            rf"(?:^|\s)[{UPPER}]\.$", stripped
        ):
            return "capital"
        if prev:
            last = prev[-1]
            two = " ".join(prev[-2:])
            if last in _INSTITUTIONS or two in _INSTITUTIONS:
                return "capital"
        return ""

    # -- main loop ----------------------------------------------------------

    def edits(self, text: str) -> list[Edit]:
        out: list[Edit] = []
        doc = _Document()
        dictionary = self.dictionary
        pos = 0
        for m in _CANDIDATE.finditer(text):
            start = m.start()
            if start < pos:
                continue
            prefix = m.group(2)
            token = text[start : m.end()]
            end = m.end()
            key = _key(token)
            if prefix is None:
                second = _SECOND_PART.match(text, end) if key in self.joinable else None
                if second is not None and key + second.group(1) in dictionary:
                    end = second.end()
                    token = text[start:end]
                    key = key + second.group(1)
                elif key + "." in dictionary and text.startswith(". ", end):
                    # ``TP. Hồ Chí Minh``: the dot belongs to the abbreviation
                    nxt = text[end + 2 : end + 3]
                    if nxt.isupper():
                        key += "."
                        end += 1
                        token = text[start:end]
            edit = self._edit(text, token, key, start, end, doc, prefix is not None)
            if edit is not None:
                out.append(edit)
                pos = edit.end
        return out

    def _resolve(
        self, text: str, key: str, start: int, end: int, doc: _Document
    ) -> tuple[str, str, str, float] | None:
        """(expansion, rule, label, confidence) for one key, or None to leave it."""
        taught = doc.taught.get(key)
        if taught is not None:
            return taught, "document-definition", taught, 1.0
        static = self.static.get(key)
        if static is not None:
            return static if static[3] >= self.threshold else None
        if key not in self.dictionary:
            return None
        chosen = self._choose(key, text, start, end, doc)
        if chosen is None or chosen[2] < self.threshold:
            return None
        sense, rule, confidence = chosen
        return sense.expansion, rule, sense.expansion, confidence

    def _edit(
        self, text: str, token: str, key: str, start: int, end: int, doc: _Document, prefix: bool
    ) -> Edit | None:
        if key in self.keep or (not key.strip("IVX") and _is_roman(key)):
            return None
        before_char = text[start - 1 : start]
        after_char = text[end : end + 1]
        if before_char == "," and text[start - 2 : start - 1].isupper():
            return None  # one piece of ``VH,TT&DL``
        if "." in token and not prefix and all(len(p) == 1 for p in token.rstrip(".").split(".")):
            return None  # person initials: ``H.T``
        # a token alone in parentheses: a definition slot, an outlet or a credit
        if before_char == "(" and after_char == ")":
            ls = text.rfind("\n", 0, start) + 1
            definition = _match_definition_before(text, ls, start - 1, token)
            if definition is not None:
                doc.taught[key] = definition
                doc.seen.add(key)
            return None
        if after_char == "(" or text.startswith(" (", end):
            definition = _match_definition_after(text, text.index("(", end), token)
            if definition is not None:
                doc.taught[key] = definition
                doc.seen.add(key)
                return None
        if key not in self.dictionary and key not in doc.taught and "-" not in key:
            return None  # the common case: an unknown token
        resolved = self._resolve(text, key, start, end, doc)
        if resolved is None and "-" in key and not prefix:
            resolved = self._resolve_parts(text, key, start, end, doc)
        if resolved is None:
            return None
        expansion, rule, label, confidence = resolved
        if self.mode == "first" and key in doc.seen:
            return None
        ls = text.rfind("\n", 0, start) + 1
        le = text.find("\n", end)
        le = len(text) if le < 0 else le
        if self._is_credit(text, ls, le, start, end):
            return None
        case = self._case(text, ls, start, end, le)
        if case == "upper":
            expansion = expansion.upper()
        elif case == "capital":
            expansion = _capitalise(expansion)
        if prefix:
            expansion += " "
        if self.mode == "first":
            doc.seen.add(key)
            shown = token.rstrip(".") if prefix else token
            expansion = f"{expansion.rstrip()} ({shown})" + (" " if prefix else "")
        return Edit(start, end, expansion, rule, label, confidence)

    def _resolve_parts(
        self, text: str, key: str, start: int, end: int, doc: _Document
    ) -> tuple[str, str, str, float] | None:
        """``HĐND-UBND``: every part must resolve; they are joined with `` - ``."""
        if any(p in self.keep for p in key.split("-")):
            return None
        expansions, rules, confidence = [], [], 1.0
        for part in key.split("-"):
            r = self._resolve(text, part, start, end, doc)
            if r is None:
                return None
            expansions.append(r[0])
            rules.append(r[1])
            confidence = min(confidence, r[3])
        rule = next((r for r in rules if r != "dictionary"), "dictionary")
        joined = " - ".join(expansions)
        return joined, rule, joined, confidence


@functools.cache
def _expander(path: str | None, mode: str, threshold: float) -> _Expander:
    return _Expander(load_dictionary(path), mode, threshold)


def expand_abbreviations(
    text: str,
    mode: str = "all",
    threshold: float = 0.9,
    dictionary_file: str | None = None,
    changes: list[Change] | None = None,
) -> str:
    """Expand the acronyms of one document (``mode`` ``"all"`` or ``"first"``).

    ``threshold`` is the confidence an expansion needs: a sense picked by a
    cue word has 0.95, one picked because the document spells it out 0.9, a
    fallback sense its prior. ``dictionary_file`` adds or overrides entries
    (see :func:`load_dictionary`). When ``changes`` is a list, each expansion
    is recorded there.

    >>> expand_abbreviations("Đội tuyển thắng, HLV nói: ĐT Việt Nam chơi tốt.")
    'Đội tuyển thắng, huấn luyện viên nói: đội tuyển Việt Nam chơi tốt.'
    >>> expand_abbreviations("Liên hệ ĐT 0912 345 678")
    'Liên hệ điện thoại 0912 345 678'
    >>> expand_abbreviations("Xem ĐT.")  # no cue decides: left alone
    'Xem ĐT.'
    """
    path = os.fspath(dictionary_file) if dictionary_file is not None else None
    expander = _expander(path, mode, float(threshold))
    if not _CANDIDATE.search(text):
        return text
    return apply_edits(text, expander.edits(text), "abbreviations", changes)


class AbbreviationsStep(Step):
    """Pipeline step ``abbreviations`` (modes ``off``, ``all``, ``first``)."""

    name = "abbreviations"
    summary = "expand Vietnamese acronyms in written form (UBND -> Ủy ban nhân dân); off by default"

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        path = config.abbreviations_file
        self._expander = _expander(
            os.fspath(path) if path is not None else None,
            config.abbreviations,
            float(config.abbreviation_threshold),
        )

    def apply(self, text: str, changes: list[Change] | None) -> str:
        if not _CANDIDATE.search(text):
            return text
        return apply_edits(text, self._expander.edits(text), self.name, changes)
