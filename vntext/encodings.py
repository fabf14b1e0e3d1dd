"""Repair mojibake, legacy encodings and HTML character references inside text.

Scraped Vietnamese arrives broken in a few well-known ways, often only in
some spans of an otherwise good document:

==================  ==============================  =====================================
rule                what happened                   example → repair
==================  ==============================  =====================================
``utf8-as-cp1252``  UTF-8 bytes read as             ``Viá»‡t Nam`` → ``Việt Nam``
                    Windows-1252
``utf8-as-latin1``  UTF-8 bytes read as ISO-8859-1  ``Viá»\\x87t`` → ``Việt``
``utf8-twice``      that, twice                     ``ViÃ¡Â»â€¡t`` → ``Việt``
``tcvn3-as-cp1252`` a TCVN3 ("ABC", ``.VnTime``)    ``ViÖt Nam``, ``Uû ban nh©n d©n``
                    file read as Windows-1252       → ``Việt Nam``, ``Uỷ ban nhân dân``
``vni-as-cp1252``   a VNI-Windows file read as      ``Vieät Nam`` → ``Việt Nam``
                    Windows-1252
``viqr``            VIQR mnemonics (RFC 1456)       ``Vie^.t Nam`` → ``Việt Nam``
``html-entity``     HTML character references       ``Vi&#7879;t``, ``&amp;`` → ``Việt``,
                    left in the text                ``&``
==================  ==============================  =====================================

A run of tokens is repaired when its repaired reading is clearly more
Vietnamese than the original (:mod:`vntext.vietnamese` judges syllables
with :mod:`vntext.syllable` and :mod:`vntext.lexicon`'s counts): French,
German, Icelandic, code and URLs share many of these characters and stay
untouched. Runs, not words, so that names and rare syllables inside a
broken run come along; document evidence re-reads the lines a path left
(see ``docs/encodings.md``).

Speed: on clean text a scan for a few sentinel characters (:data:`_SENTINELS`)
finds nothing and the step returns at once. They are what correct text
(Vietnamese or not) practically never contains but nearly every line of
mojibake does: the second character of UTF-8 mojibake of Vietnamese (``º``
``»`` in ``á»‡``; ``Ã`` ``Ä`` ``Æ``), letters of the TCVN3/VNI images that
Vietnamese lacks (``Ö``, ``ø``, ``©``), the VIQR marks ``^`` `````, and
``&``. Only the lines holding one are read, unless the document has shown
which path broke it.

>>> repair_encodings("ViÖt Nam")
'Việt Nam'
>>> repair_encodings("Viá»‡t Nam vÃ\\xa0 Vieät Nam")
'Việt Nam và Việt Nam'
>>> repair_encodings("Þórður, Müller, café, naïve")
'Þórður, Müller, café, naïve'
"""

from __future__ import annotations

import html
import math
import re
from bisect import bisect_right
from functools import cache
from typing import NamedTuple

import unicodedata2

from vntext.charsets import SLOPPY_CP1252, _decode_sequences, table
from vntext.config import Config
from vntext.pipeline import Step
from vntext.trace import Change, Edit, apply_rounds
from vntext.unicode import REMOVABLE
from vntext.vietnamese import VIETNAMESE_LETTERS, is_syllable, syllable_count

__all__ = [
    "EncodingsStep",
    "MojibakeSpan",
    "find_mojibake",
    "repair_encodings",
]

# -- character classes ----------------------------------------------------------

#: cp1252 (sloppy) character -> byte, for the high half.
_TO_BYTE = {SLOPPY_CP1252[b]: b for b in range(0x80, 0x100)}
_LATIN1_ONLY = {chr(b): b for b in range(0x80, 0xA0)}  # C1 controls: the latin-1 path


def _cls(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


_CONT = "".join(SLOPPY_CP1252[b] for b in range(0x80, 0xC0)) + "".join(
    chr(b) for b in range(0x80, 0xA0)
)
_LEAD2 = "".join(SLOPPY_CP1252[b] for b in range(0xC2, 0xE0))
_LEAD3 = "".join(SLOPPY_CP1252[b] for b in range(0xE0, 0xF0))
_LEAD4 = "".join(SLOPPY_CP1252[b] for b in range(0xF0, 0xF5))
_UTF8_SEQ = re.compile(
    f"{_cls(_LEAD2)}{_cls(_CONT)}|{_cls(_LEAD3)}{_cls(_CONT)}{{2}}|{_cls(_LEAD4)}{_cls(_CONT)}{{3}}"
)

# Characters of the cp1252 images of TCVN3/VNI that never occur in correct
# Vietnamese words (Vietnamese letters, common punctuation and symbols removed).
_STRONG = (
    "\x01\x02\x04\x05\x06\x11\x12\x13\x14\x15\x16\x17"
    "\x80\x81\x82\x83\x84\x86\x87\x88\x89\x8a\x8c\x8d\x8e\x8f\x90\x98\x99\x9a\x9c\x9d\x9e\x9f"
    "ƒ†‡ˆ‰ŠŒŽ˜™šœžŸ¡¢£¤¥¦§¨ª¬\xad¯µ¶¸¹º¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿ"
)
_GLUED = "·©«»®°"  # symbols that are TCVN3 letters when glued to a letter
_LETTER = r"[^\W\d_]"
_VNI_PAIR = "[aeAE][âáàãêéèúùõÂÁÀÃÊÉÈÚÙÕ]|[oO][âùõÂÙÕ]|[uyUY][ùõÙÕ]"
_VIQR = (
    r"[aeoAEO]\^|[aA]\(|[ouOU]\+|[aeiouyAEIOUY][\^(+]?[`~]"
    r"|(?<![A-Za-z])(?:dd|DD|Dd)(?=[aeiouyAEIOUY])"
)
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"

#: What makes a token worth a closer look (run on the lines the prefilter found).
_TRIGGER = re.compile(
    "|".join(
        [
            _cls(_STRONG),
            f"(?<={_LETTER}){_cls(_GLUED)}|{_cls(_GLUED)}(?={_LETTER})",
            _UTF8_SEQ.pattern,
            _VNI_PAIR,
            _VIQR,
            "&#|" + _ENTITY,
        ]
    )
)
#: The fast path: characters that clean text of any language practically
#: never holds but nearly every line of mojibake does. ``c in text`` is a C
#: memchr-style scan, several times faster than a regex character class.
_SENTINELS = (
    "»ºÃÄÆ€"  # UTF-8 misread: á»‡ áº¡ Ã  Ä‘ Æ° â€œ
    "©¸\xadªµÖ"  # TCVN3: â á ư ê à ệ
    "øïäöñ"  # VNI: grave, dot below, ệ/ậ/ộ, ư, đ
    "^`"  # VIQR
    "&"  # HTML references
)


_SENTINEL_RE = re.compile(_cls(_SENTINELS))


#: Short texts (a title, a word) are few bytes: they can afford a wider net,
#: every character of :data:`_STRONG` and the VNI letter pairs (``uù``).
_SHORT = 256
_SHORT_RE = re.compile(
    _cls(
        _SENTINELS + _GLUED + _STRONG.translate(str.maketrans("", "", "".join(map(chr, range(32)))))
    )
    + "|"
    + _VNI_PAIR
    + "|"
    + "[a-z][À-ÖØ-Þ]"
)
#: A lower-case letter before a Latin-1 capital: TCVN3's small toned vowels
#: read as Windows-1252 capitals (``ThÕ`` is ``Thế``, ``HiÓu`` ``Hiểu``);
#: correct words in any Latin alphabet practically never have it.
_MIXED_CASE = re.compile("[a-z][À-ÖØ-Þ]")


def _suspect(text: str) -> bool:
    if len(text) < _SHORT:
        return _SHORT_RE.search(text) is not None
    return any(c in text for c in _SENTINELS)


_SPACES = " \t\r\f\v"
_TOKEN = re.compile(r"[^ \t\n\r\f\v]+")
_WORD = re.compile(r"[^\W\d_]+")
_ENTITY_RE = re.compile("&(?:amp;)*" + _ENTITY[1:])
_CODE_LIKE = re.compile(r"://|^www\.|[=`{}\\<>|]|\w\(|^[/$#@]")
#: C0 controls the ``unicode`` step deletes but TCVN3 reads as capitals (so
#: this step keeps them): between the bytes of a UTF-8 sequence they are
#: skipped, or the sequence would only be found once ``unicode`` took them out.
_C0_KEPT = "\x01\x02\x04\x05\x06\x11\x12\x13\x14\x15\x16\x17"
_C = f"[{_C0_KEPT}]*{_cls(_CONT)}"
_UTF8_RE = re.compile(f"{_cls(_LEAD2)}{_C}|{_cls(_LEAD3)}{_C}{{2}}|{_cls(_LEAD4)}{_C}{{3}}")
_VIQR_TONE_ONLY = re.compile(r"[aeiouyAEIOUY][\^(+]?['?.][A-Za-z]|[aeiouyAEIOUY][\^(+]?'")
_VIQR_TAIL = re.compile(r"(?:\\?[.?!,;:)\]}\"»])+$")


@cache
def _tcvn3_map() -> dict[int, str]:
    """str.translate map: cp1252 image of a TCVN3 byte -> the TCVN3 letter."""
    t = table("tcvn3")
    out: dict[int, str] = {}
    for b in [*range(0x01, 0x20), *range(0x80, 0x100)]:
        char = t[bytes([b])]
        image = SLOPPY_CP1252[b] if b >= 0x80 else chr(b)
        if char != image and (char.isalpha() or "\u0300" <= char <= "\u036f"):
            out[ord(image)] = char
    return out


@cache
def _tcvn3_chars() -> frozenset[str]:
    return frozenset(chr(k) for k in _tcvn3_map())


@cache
def _vni_chars() -> frozenset[str]:
    return frozenset(c for seq in table("vni") for c in seq.decode("cp1252") if ord(c) > 127)


# -- decoders for one token -----------------------------------------------------


def _utf8_once(token: str, permissive: bool = False, latin_only: bool = True) -> tuple[str, bool]:
    """Decode every UTF-8 byte sequence hidden in ``token``; (result, used latin-1).

    ``permissive`` also accepts C1 controls: the middle stage of doubly
    encoded text holds them (``Â\x9d`` is the first pass of ``\x9d``).
    """
    latin1 = False

    def sub(m: re.Match[str]) -> str:
        nonlocal latin1
        s = m.group()
        data = bytes(_TO_BYTE.get(c, _LATIN1_ONLY.get(c, 0)) for c in s if c not in _C0_KEPT)
        try:
            out = data.decode("utf-8")
        except UnicodeDecodeError:
            return s
        if not (_plausible(out) or (permissive and "\x80" <= out <= "\x9f")):
            return s
        if latin_only and len(data) == 2 and out > "\u024f" and not "\u0300" <= out <= "\u036f":
            return s  # two bytes: only Latin letters and accents, not Armenian or Arabic
        if any(c in _LATIN1_ONLY and c not in _TO_BYTE for c in s):
            latin1 = True
        return out

    return _UTF8_RE.sub(sub, token), latin1


def _plausible(char: str) -> bool:
    """A character UTF-8 mojibake can plausibly stand for (no controls, no unassigned)."""
    cp = ord(char)
    if cp < 0xA0 or 0xD800 <= cp < 0xE000 or 0xFDD0 <= cp < 0xFDF0 or cp > 0x10FFFF:
        return False
    return char.isprintable() or char in "\xa0\xad"


def _latin(char: str) -> bool:
    """Latin letters, combining accents and general punctuation (not Hangul, CJK...)."""
    return (
        char <= "\u024f"
        or "\u0300" <= char <= "\u036f"
        or "\u1e00" <= char <= "\u1eff"
        or "\u2000" <= char <= "\u20cf"
    )


def _decode_utf8(token: str, latin_only: bool = True) -> tuple[str, str] | None:
    middle, _ = _utf8_once(token, permissive=True, latin_only=latin_only)
    if middle != token:
        twice, _ = _utf8_once(middle, latin_only=latin_only)
        if (
            twice != middle
            and not any("\x80" <= c <= "\x9f" for c in twice if c not in token)
            # Once is enough when it already reads as Vietnamese and twice
            # leaves the Latin script: ``quá…”`` (from ``quÃ¡â€¦â€\x9d``) is
            # also the image of Hangul ``ᅔ``; ``Ã´xy`` is not ``ôxy``'s end.
            and not (
                _quality(middle)[1] and any(not _latin(c) for c in twice if c not in middle)
            )
        ):
            return twice, "utf8-twice"
    text, latin1 = _utf8_once(token, latin_only=latin_only)
    if text == token:
        return None
    return text, "utf8-as-latin1" if latin1 else "utf8-as-cp1252"


def _decode_tcvn3(token: str) -> str:
    out: str = unicodedata2.normalize("NFC", token.translate(_tcvn3_map()))
    return out


def _decode_vni(token: str) -> str:
    return _decode_sequences("vni", token)


def _decode_viqr(token: str) -> str:
    tail = _VIQR_TAIL.search(token)
    if tail is None:
        return _decode_sequences("viqr", token)
    core, rest = token[: tail.start()], tail.group()
    return _decode_sequences("viqr", core) + rest.replace("\\", "")


# -- judging a reading ----------------------------------------------------------


def _case_ok(word: str) -> bool:
    return word.islower() or word.isupper() or word.istitle()


#: A repaired word must be a syllable seen at least this often in 16.5M tokens.
_MIN_COUNT = 5


def _is_vietnamese(word: str) -> bool:
    return is_syllable(word) and _case_ok(word) and syllable_count(word) >= _MIN_COUNT


def _score(words: list[str]) -> float:
    return sum(math.log1p(syllable_count(w)) for w in words)


def _judge(orig: str, new: str, foreign_ok: bool) -> tuple[bool, float, float]:
    """(new reading acceptable and orig not, log-count of new words, of old words)."""
    old_words = _WORD.findall(orig)
    new_words = _WORD.findall(new)
    old_set, new_set = set(old_words), set(new_words)
    gone = [w for w in old_words if w not in new_set]
    came = [w for w in new_words if w not in old_set]
    for w in new_words:
        if w in old_set and w.isascii() and (len(w) >= 3 or _is_vietnamese(w)):
            continue  # an untouched ASCII word (English, an acronym) beside the repair
        if _is_vietnamese(w):
            continue
        if foreign_ok and (w.isupper() or not (set(w) & _VIETNAMESE_ONLY)) and _case_ok(w):
            continue  # UTF-8 evidence suffices for acronyms (HĐND) and foreign words (café)
        return False, 0.0, 0.0
    if not gone and not foreign_ok and any(len(w) < 2 for w in came):
        return False, 0.0, 0.0  # a lone symbol (``¶``) is not a one-letter word (``ả``)
    # The original is broken when a word it loses is not Vietnamese.
    # A strong character (one correct text never holds) that the repair
    # consumes also marks the original as broken (``há»\x8fi`` holds ``há``).
    orig_bad = any(not _is_vietnamese(w) for w in gone) or any(
        m.group() not in new for m in _STRONG_RE.finditer(orig)
    )
    return orig_bad, _score(came), _score(gone)


#: Letters only Vietnamese uses (outside Latin-1): a word with one must be Vietnamese.
_VIETNAMESE_ONLY_STR = "".join(c for c in VIETNAMESE_LETTERS if ord(c) > 0xFF)
_VIETNAMESE_ONLY = frozenset(_VIETNAMESE_ONLY_STR)
_STRONG_RE = re.compile(_cls(_STRONG + _GLUED) + "|" + _UTF8_SEQ.pattern)
#: Two letters side by side, one of them outside ASCII: the legacy character is part of a word.
_LEGACY_PAIR = re.compile(r"[^\W\d_\x00-\x7f][^\W\d_]|[^\W\d_][^\W\d_\x00-\x7f]")


def _code_token(token: str) -> bool:
    """Lone letters (``A0Î``, ``B2Ö``, ``Î:A``, ``Ö)AA``): a code, never a legacy word.

    A word has two letters side by side, and in a legacy word one of them is
    a legacy character (``Ö)AA`` holds the pair ``AA``, but its ``Ö`` stands
    alone, as it would after a space); a TCVN3 symbol still proves the
    token (``g×.32``), and a one-letter word (``ë``, TCVN3 ``ở``) is judged
    by the span rules.

    ``lµ123`` (TCVN3 ``là123``) or ``500.000ñoàng`` hold a word and stay
    candidates.
    """
    return (
        len(_WORD_CHARS.findall(token)) > 1
        and _LEGACY_PAIR.search(token) is None
    ) and not any(
        c in _PROOF_SYMBOLS for c in token  # ``g×.32`` is TCVN3 ``gì.32``, ``c¸`` ``cá``
    )
#: Letters of other Latin alphabets among the strong signs (``Ö``, ``î``, ``ñ``).
_FOREIGN_LETTERS = frozenset(c for c in _STRONG if c.lower() != c.upper() and c != "µ")
#: The other strong signs: symbols, controls, ``µ`` (TCVN3 ``à``), ``ª``.
_PROOF_SYMBOLS = frozenset(_STRONG + _GLUED) - _FOREIGN_LETTERS


def _candidates(token: str) -> list[tuple[str, str]]:
    """Every reading of ``token`` that differs from it, with its rule."""
    out: list[tuple[str, str]] = []
    utf8 = _decode_utf8(token)
    if utf8 is not None:
        out.append((utf8[0], utf8[1]))
    tcvn3 = _tcvn3_chars()
    if any(c in tcvn3 for c in token):
        out.append((_decode_tcvn3(token), "tcvn3-as-cp1252"))
    vni = _vni_chars()
    if any(c in vni for c in token):
        out.append((_decode_vni(token), "vni-as-cp1252"))
    if any(c in "^(+`~'?.dD" for c in token) and token.isascii():
        out.append((_decode_viqr(token), "viqr"))
    return [(t, r) for t, r in out if t != token]


def _legacy_proof(token: str) -> bool:
    """Whether ``token`` alone proves TCVN3 text read as Windows-1252.

    A symbol or control character (``nh©n``, ``b¸o``, ``vµ``) does, and so
    does a foreign letter after another letter (``ViÖt``, ``cña``: TCVN3
    ``của``). A foreign letter that starts a short word does not: Romanian
    ``îi`` is a word, and read as TCVN3 it happens to spell the syllable
    ``ợi``. Such tokens are repaired only on a line that something else
    proves broken.

    >>> [_legacy_proof(t) for t in ("nh©n", "ViÖt", "cña", "îi", "Öl")]
    [True, True, True, False, False]
    """
    letters = 0
    for c in token:
        if c in _PROOF_SYMBOLS:
            return True
        if c in _FOREIGN_LETTERS and letters:
            return True
        if c.isalpha():
            letters += 1
    return letters > 3


def _readings(
    token: str, strong: bool, unicode_line: bool = False
) -> list[tuple[float, str, str, bool]]:
    """Acceptable repairs of ``token`` as (score, text, rule, certain), best first.

    ``certain`` repairs stand alone; the others (the original also reads as
    Vietnamese but the repair is far more frequent) are applied only on a
    line that has a certain repair by the same rule.
    """
    out: list[tuple[float, str, str, bool]] = []
    for new, rule in _candidates(token):
        if rule in ("tcvn3-as-cp1252", "vni-as-cp1252") and (
            len(_WORD_CHARS.findall(token)) < 2 or _code_token(token)
        ):
            continue  # a lone letter (Swedish ``Ö``) is no word to repair alone
        foreign_ok = rule.startswith("utf8")
        strong_here = strong and (rule != "viqr" or re.search(_VIQR, token) is not None)
        orig_bad, new_score, old_score = _judge(token, new, foreign_ok)
        if not new_score and not foreign_ok:
            continue
        if orig_bad and strong_here and (
            rule not in ("tcvn3-as-cp1252", "vni-as-cp1252")
            or _letters_prove(token, new, rule, unicode_line)
        ):
            out.append((new_score + 100.0 + foreign_ok, new, rule, True))
        elif new_score > old_score + math.log(20) and rule != "utf8-as-cp1252":
            out.append((new_score, new, rule, False))
    out.sort(key=lambda r: -r[0])
    return out


def _entities(token: str) -> str:
    """Decode complete HTML character references in ``token`` (not in URLs or code)."""
    if _CODE_LIKE.search(token):
        return token

    def sub(m: re.Match[str]) -> str:
        s = m.group()
        out = s
        while True:
            nxt = html.unescape(out)
            if nxt == out:
                break
            out = nxt
        if any(not (c.isprintable() or c in "\xa0\xad") for c in out) or "&" in out[1:]:
            return s
        return out

    return _ENTITY_RE.sub(sub, token)


# -- the step -------------------------------------------------------------------


class MojibakeSpan(NamedTuple):
    """A repairable span found by :func:`find_mojibake`: ``text[start:end]`` is ``before``."""

    start: int
    end: int
    before: str
    after: str
    rule: str


def _token_readings(
    token: str, strong: bool, unicode_line: bool = False
) -> list[tuple[str, str, bool]]:
    """Readings of one token, HTML references decoded first: (text, rule, certain)."""
    base = _entities(token) if "&" in token else token
    worth = strong or not base.isascii() or _VIQR_TONE_ONLY.search(base)
    readings = _readings(base, strong, unicode_line) if worth else []
    if not readings:
        return [(base, "html-entity", True)] if base != token else []
    prefix = "html-entity+" if base != token else ""
    return [(new, prefix + rule, certain) for _, new, rule, certain in readings]


def _line_edits(text: str, start: int, end: int) -> list[Edit]:
    """Repairs in ``text[start:end]`` (one line).

    First the tokens holding a sentinel character. A token can read as
    Vietnamese in two legacy encodings (``tö`` is ``tư`` in VNI and ``tử`` in
    TCVN3), so the line votes: the rule that can repair the most tokens wins
    where a token allows it. Only when something was repaired are the other
    tokens of the line read too, and repaired when certain, or when the
    repair is far more frequent Vietnamese than the original and its rule
    won the line (``cã`` is TCVN3's ``có``).
    """
    readings: dict[int, tuple[int, list[tuple[str, str, bool]]]] = {}
    uni = _VIETNAMESE_ONLY_RE.search(text, start, end) is not None
    seen: set[int] = set()
    for m in _SENTINEL_RE.finditer(text, start, end):
        if m.start() in seen:
            continue
        t0 = max(start - 1, *(text.rfind(c, start, m.start()) for c in _SPACES)) + 1
        t1 = min(i for i in (*(text.find(c, m.end(), end) for c in _SPACES), end) if i >= 0)
        seen.update(range(t0, t1))
        token = text[t0:t1]
        strong = _TRIGGER.search(token) is not None
        found = [r for r in _token_readings(token, strong, uni) if r[2]]
        if found:
            readings[t0] = (t1, found)
    if not readings:
        return []
    votes: dict[str, int] = {}
    for _, found in readings.values():
        for rule in {r[1] for r in found}:
            votes[rule] = votes.get(rule, 0) + 1
    winner = max(votes, key=lambda r: votes[r])
    for m in _TOKEN.finditer(text, start, end):
        if m.start() not in readings:
            found = _token_readings(m.group(), _TRIGGER.search(m.group()) is not None, uni)
            found = [r for r in found if r[2] or r[1] == winner]
            if found:
                readings[m.start()] = (m.end(), found)
    edits = []
    for t0 in sorted(readings):
        t1, found = readings[t0]
        new, rule, _ = next((r for r in found if r[1] == winner), found[0])
        edits.append(Edit(t0, t1, new, rule))
    return edits


# -- spans ----------------------------------------------------------------------
#
# Word by word, a name or a rare syllable inside a broken line stays broken:
# its repaired reading proves nothing alone. So every path (a way text gets
# broken) reads whole runs of tokens instead: each token gets a gain, how
# much more Vietnamese its repaired reading is than the original, and the
# runs with the largest total gain (maximum-sum segments) are repaired whole
# when that total is clearly positive. Tokens the path cannot have produced
# (a character outside its alphabet: ``ộ`` cannot come out of Windows-1252)
# cut the runs, so a broken phrase inside good text is found alone.

_PATHS = ("utf8", "tcvn3-as-cp1252", "vni-as-cp1252", "viqr")
#: Characters of the Windows-1252/latin-1 images: the alphabet of every path but VIQR.
_CP_TOKEN = re.compile("[\x00-\xff" + re.escape("".join(sorted(set(SLOPPY_CP1252[0x80:])))) + "]+")
_JUNK = re.compile(
    _cls(_STRONG) + "|[\x80-\x9f]|" + f"(?<={_LETTER}){_cls(_GLUED)}|{_cls(_GLUED)}(?={_LETTER})"
)
_HAS_LETTER = re.compile(_LETTER)
_WORD_CHARS = re.compile(_LETTER)
_VIQR_MARKED = re.compile(
    r"[aeoAEO]\^|[aA]\(|[ouOU]\+|[aeiouyAEIOUY][\^(+]?[`~'?.](?=[A-Za-z])|[aeiouyAEIOUY][\^(+]?[`~']"
    r"|(?<![A-Za-z])(?:dd|DD|Dd)(?=[aeiouyAEIOUY])"
)
_VIQR_FINAL = re.compile(
    r"([aeiouyAEIOUY][\^(+]?[`~'?.]?[A-Za-z]*)([.?])((?:\\?[.?!,;:)\]}\"»'])*)$"
)
#: What marks a token as VIQR before reading it: mnemonics, escapes, ``dd``.
_VIQR_OLD = re.compile(_VIQR_MARKED.pattern + r"|\\[.?'`~^(+\\d]|(?<![A-Za-z])(?:dd|DD|Dd)")
#: In a document shown to be VIQR, a final ``.`` or ``?`` after a vowel is a tone too.
_VIQR_OLD_FINAL = re.compile(_VIQR_OLD.pattern + r"|[aeiouyAEIOUY][\^(+]?[`~'?.]?[.?]|DD")
_NBSP_LOST = re.compile(f"(?:{_cls(_LEAD2)}|{_cls(_LEAD3)}{_cls(_CONT)}) ")
#: A segment must gain this much (about one broken word becoming a good one).
_MIN_GAIN = 2.0


@cache
def _word_quality(word: str) -> float:
    """+1 and more for a Vietnamese syllable (more if frequent), 0 ASCII, -1 other."""
    if is_syllable(word):
        return 1.0 + 0.25 * math.log10(1 + syllable_count(word))
    return 0.0 if word.isascii() else -1.0


def _quality(token: str, marks: re.Pattern[str] = _JUNK) -> tuple[float, bool]:
    """How Vietnamese ``token`` reads, and whether it holds a Vietnamese word and no bad one.

    A token with a character of ``marks`` (mojibake symbols, or VIQR marks
    when judging VIQR) is broken whatever its pieces read as: ``b¸o`` holds
    the syllable ``o``, ``Du+o+'i`` three.
    """
    score = 0.0
    good = bad = False
    for w in _WORD.findall(token):
        q = _word_quality(w)
        score += q
        good |= q > 0
        bad |= q < 0
    if marks.search(token):
        return min(score, 0.0) - 1.0, False
    return score, good and not bad


@cache
def _path_reading(
    token: str, path: str, viqr_final: bool, codes: bool = False
) -> tuple[str, str] | None:
    """``token`` read through ``path``: (text, rule), or None when it cannot be or is unchanged.

    Code-like tokens (``A0Î``) are not read through a legacy path unless
    ``codes``: in a document written wholly in that encoding, ``T.Ö`` is
    VNI ``T.Ư`` and ``M—T`` TCVN3 ``MỘT``.
    """
    if path == "viqr":
        if not token.isascii():
            return None
        new = _decode_viqr(token)
        m = _VIQR_FINAL.search(token)
        if m is not None and (viqr_final or m.group(1)[-1] in "^(+`~'?."):
            full = _decode_sequences("viqr", token[: m.end(2)]) + m.group(3).replace("\\", "")
            words = _WORD.findall(full)
            if words and is_syllable(words[-1]):
                new = full
        return (new, "viqr") if new != token else None
    if _CP_TOKEN.fullmatch(token) is None:
        return None
    if path == "utf8":
        return _decode_utf8(token, latin_only=False)
    if not codes and _code_token(token):
        return None
    if path == "tcvn3-as-cp1252":
        new = _decode_tcvn3(token) if any(c in _tcvn3_chars() for c in token) else token
    else:
        new = _decode_vni(token) if any(c in _vni_chars() for c in token) else token
    return (new, path) if new != token else None


def _max_segments(gains: list[float | None], lo: int, hi: int) -> list[tuple[int, int, float]]:
    """Disjoint maximum-sum runs of ``gains[lo:hi]`` (None cuts a run), largest first."""
    best, best_lo, best_hi = 0.0, -1, -1
    run, run_lo = 0.0, lo
    for i in range(lo, hi):
        g = gains[i]
        if g is None:
            run, run_lo = 0.0, i + 1
            continue
        if run <= 0:
            run, run_lo = 0.0, i
        run += g
        if run > best:
            best, best_lo, best_hi = run, run_lo, i + 1
    if best_lo < 0:
        return []
    return [
        (best_lo, best_hi, best),
        *_max_segments(gains, lo, best_lo),
        *_max_segments(gains, best_hi, hi),
    ]


#: What UTF-8 mojibake decodes to that proves it: Vietnamese letters and typography.
_VIETNAMESE_ONLY_RE = re.compile("[" + _VIETNAMESE_ONLY_STR + "]")
_UTF8_PROOF = re.compile("[" + "".join(sorted(_VIETNAMESE_ONLY_STR)) + "“”‘’–—…•€™]")


def _path_edits(
    text: str, start: int, end: int, path: str, viqr_final: bool, lenient: bool, force: bool
) -> list[tuple[float, list[Edit]]]:
    """Segments of ``text[start:end]`` that ``path`` repairs: (gain, edits) each.

    ``lenient`` (the document has shown this path) lowers the bar: a run
    that gains at all is repaired, and a broken token whose repair reads no
    better (``§T`` → ``ĐT``) comes along at its edges. ``force`` (nothing in
    the document is written in Unicode Vietnamese either) takes every token
    the path changes, even one that was a word: TCVN3's ``Phú`` reads ``Phó``.
    """
    line = text[start:end]
    uni = _VIETNAMESE_ONLY_RE.search(line) is not None
    if path == "utf8" and " " in line:
        line = _NBSP_LOST.sub(_restore_nbsp, line)  # same length: offsets hold
    tokens = [(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(line)]
    gains: list[float | None] = []
    goods: list[bool] = []
    readings: list[tuple[str, str] | None] = []
    marks = (_VIQR_OLD_FINAL if lenient else _VIQR_OLD) if path == "viqr" else _JUNK
    for i, (_, _, token) in enumerate(tokens):
        final = viqr_final or lenient or (i + 1 < len(tokens) and tokens[i + 1][2][:1].islower())
        reading = _path_reading(token, path, final, force)
        readings.append(reading)
        if reading is None:
            ok = token.isascii() if path == "viqr" else _CP_TOKEN.fullmatch(token) is not None
            gains.append(0.0 if ok else None)
            goods.append(False)
            continue
        old, _ = _quality(token, marks)
        new, good = _quality(reading[0])
        gain = new - old
        proof = path == "utf8" and old < 0 and not _JUNK.search(reading[0])
        if proof and _UTF8_PROOF.search(reading[0]):
            gain, good = max(gain, _MIN_GAIN), True
        goods.append(good)
        legacy = path in ("tcvn3-as-cp1252", "vni-as-cp1252")
        # A lone symbol (``©``) or letter (Swedish ``Ö``) comes along, never proves.
        symbol = not _HAS_LETTER.search(token.translate(_SYMBOL_LETTERS))
        if not good or symbol or (legacy and len(_WORD_CHARS.findall(token)) < 2):
            gain = min(gain, 0.0)
        elif legacy and not _letters_prove(token, reading[0], path, uni):
            # French ``où`` is VNI ``ó``, Romanian ``îi`` TCVN3 ``ợi``, Otomi
            # ``Hña`` TCVN3 ``Hủa``: letters alone prove little.
            gain = min(gain, 1.0)
        if (lenient and gain == 0.0 and old < 0 and new >= old) or force:
            gain = max(gain, 0.25)
        gains.append(gain)
    out = []
    for lo, hi, gain in _max_segments(gains, 0, len(tokens)):
        if gain < (0.25 if lenient else _MIN_GAIN):
            continue
        lo, hi = _extend(gains, goods, lo, hi)
        marked = sum(1 for t in tokens[lo:hi] if _VIQR_MARKED.search(t[2]))
        if path == "viqr" and not lenient and marked < 2:
            continue
        edits = []
        for i in range(lo, hi):
            reading = readings[i]
            if reading is not None:
                t0, t1, _ = tokens[i]
                edits.append(Edit(t0, t1, reading[0], reading[1]))
        out.append((gain, edits))
    return out


#: Letters of the Windows-1252 images that are symbols in TCVN3 pages (``º`` ``ª``):
#: a token of them alone is no evidence.
_SYMBOL_LETTERS = str.maketrans("", "", "ºªµ")


def _extend(gains: list[float | None], goods: list[bool], lo: int, hi: int) -> tuple[int, int]:
    """Widen a repaired run over neighbours that lose nothing and read as Vietnamese.

    A maximum-sum run stops before a token of gain zero: TCVN3's lone ``¸``
    (``á``) after ``bµ`` (``bà``) proves nothing alone but belongs to the run.
    """
    i = lo
    while i > 0 and (g := gains[i - 1]) is not None and g >= 0:
        i -= 1
        if goods[i]:
            lo = i
    i = hi
    while i < len(gains) and (g := gains[i]) is not None and g >= 0:
        i += 1
        if goods[i - 1]:
            hi = i
    return lo, hi


def _letters_prove(token: str, new: str, path: str, unicode_line: bool = False) -> bool:
    """Whether ``token`` alone proves its legacy ``path`` (reading ``new``).

    A mojibake symbol does (``nh©n``, ``b¸o``). A foreign letter after
    another letter (``ViÖt``, ``cña``, VNI ``Vieät``) or a capital after a
    small letter (``tÕ``) does when the reading is a common syllable
    (``Việt``, ``của``, ``tế``) — for TCVN3, whose foreign letters are
    common in European names: Otomi ``Hña`` reads TCVN3 ``Hủa``, a rare
    one. VNI's foreign letters sit after a vowel, where European words
    rarely have them, except French ``ï`` and ``ë``: in a name (``Loïc``,
    VNI ``Lọc``) on a line that holds Unicode Vietnamese (``unicode_line``:
    ``cầu thủ Loïc Rémy``) they prove nothing. A VNI letter pair (``uù``) reading a
    common syllable proves VNI.

    >>> [_letters_prove(t, n, "tcvn3-as-cp1252") for t, n in
    ...  [("nh©n", "nhân"), ("cña", "của"), ("tÕ", "tế"), ("Hña", "Hủa"), ("îi", "ợi")]]
    [True, True, True, False, False]
    >>> vni = "vni-as-cp1252"
    >>> _letters_prove("Loïc", "Lọc", vni, True), _letters_prove("Loïc", "Lọc", vni)
    (False, True)
    """
    bare = token[1:] if token[:1] == "µ" else token  # µm, µg: units
    if path == "vni-as-cp1252":
        if _frequent_vni(token, new):
            return True
        signs = _JUNK.findall(bare)
        if any(c not in _FOREIGN_LETTERS for c in signs):
            return True
        # French writes ``ï`` and ``ë`` after a vowel, as VNI writes its dot
        # below and breve-dot: in a name (``Loïc``, ``Raphaël``) they prove nothing.
        name = bare[:1].isupper() and bare[1:].islower()
        return bool(signs) and not (unicode_line and name and set(signs) <= set("ïë"))
    if any(c in _PROOF_SYMBOLS for c in bare):
        return True
    return (_legacy_proof(bare) or _MIXED_CASE.search(bare) is not None) and _frequent(new)


def _frequent(new: str) -> bool:
    words = _WORD.findall(new)
    return bool(words) and all(syllable_count(w) >= 100 for w in words)


def _frequent_vni(token: str, new: str) -> bool:
    """A VNI letter pair (``uù``) whose reading is a common syllable (``phút``) proves VNI."""
    return _VNI_PAIR_RE.search(token) is not None and _frequent(new)


_VNI_PAIR_RE = re.compile(_VNI_PAIR)


def _restore_nbsp(m: re.Match[str]) -> str:
    """``vÃ `` is ``và`` whose NBSP byte became a space: give it back when that decodes."""
    s = m.group()
    candidate = s[:-1] + "\xa0"
    try:
        out = bytes(_TO_BYTE.get(c, _LATIN1_ONLY.get(c, 0)) for c in candidate).decode("utf-8")
    except UnicodeDecodeError:
        return s
    return candidate if out in _VIETNAMESE_ONLY or out in "àÀ" else s


#: What each path leaves on every line it breaks, as character classes (a
#: class is scanned at C speed; a line without it is not read for that path
#: unless the document has shown the path). Short lines also try the VNI
#: letter pairs (``uù``), a slower pattern.
_PATH_SIGNS = {
    "utf8": re.compile("[»ºÃÄÆÂ€\x80-\x9f]"),
    "tcvn3-as-cp1252": re.compile(_cls(_STRONG + _GLUED)),
    "vni-as-cp1252": re.compile(_cls(_STRONG)),
    "viqr": re.compile("[\\^`~]"),
}
_VNI_PAIR_SIGN = re.compile(_VNI_PAIR)


def _signed(text: str, start: int, end: int, path: str) -> bool:
    if _PATH_SIGNS[path].search(text, start, end) is not None:
        return path != "viqr" or _VIQR_MARKED.search(text, start, end) is not None
    if path == "tcvn3-as-cp1252" and _MIXED_CASE.search(text, start, end) is not None:
        return True
    legacy = path in ("tcvn3-as-cp1252", "vni-as-cp1252")
    return legacy and end - start < _SHORT and _VNI_PAIR_SIGN.search(text, start, end) is not None


def _span_edits(
    text: str,
    start: int,
    end: int,
    viqr_final: bool,
    evident: tuple[str, ...],
    pure: bool,
    ascii_only: bool = False,
) -> list[Edit]:
    """The best non-overlapping segments any path repairs in one line."""
    found: list[tuple[float, list[Edit]]] = []
    for path in _PATHS:
        lenient = path in evident
        if not lenient and not _signed(text, start, end, path):
            continue  # nothing on the line this path could have written
        force = lenient and (pure if path != "viqr" else ascii_only) and path != "utf8"
        found += _path_edits(text, start, end, path, viqr_final, lenient, force)
    found.sort(key=lambda f: -f[0])
    taken: list[Edit] = []
    for _, edits in found:
        if all(e.end <= t.start or e.start >= t.end for e in edits for t in taken):
            taken += edits
    return taken


def _lines(text: str, pos: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each line holding a sentinel character."""
    out = []
    sentinel = _SHORT_RE if len(text) < _SHORT else _SENTINEL_RE
    while (m := sentinel.search(text, pos)) is not None:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        out.append((start, end))
        pos = end
    return out


#: The characters the ``unicode`` step deletes that no legacy path reads: not C1
#: (UTF-8 mojibake), not TCVN3's control-range capitals, not the soft hyphen
#: (TCVN3 ``ư``).
def _class_chars(spec: str) -> set[str]:
    """The characters of a character-class body of literals and ``a-b`` ranges."""
    out: set[str] = set()
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.update(map(chr, range(ord(spec[i]), ord(spec[i + 2]) + 1)))
            i += 3
        else:
            out.add(spec[i])
            i += 1
    return out


# One plain class (a look-ahead in front would stop ``re`` skipping ahead on it).
_TRANSPARENT = "".join(
    sorted(_class_chars(REMOVABLE) - _class_chars(f"\x80-\x9f\xad{_C0_KEPT}"))
)
#: What ``unicode`` deletes that a repair may read as a letter: TCVN3's
#: C0-range capitals, C1 controls (UTF-8 read as Latin-1) and the soft hyphen
#: (TCVN3 ``ư``). ``unicode`` deletes those that no repair used.
_READABLE = "".join(sorted(_class_chars(REMOVABLE) & _class_chars(f"\x80-\x9f\xad{_C0_KEPT}")))
_DELETABLE = re.compile(_cls(_TRANSPARENT + _READABLE))


def _edits(text: str) -> list[Edit]:
    """Repairs judged as if the characters the ``unicode`` step deletes were gone.

    Otherwise a word split by one (``K\\x1fû``) would be judged apart now
    and whole on a second run, after ``unicode`` deleted it: TCVN3 ``Kỷ``.
    An edit over such a word takes the character along.

    >>> [(e.start, e.end, e.after) for e in _edits("Uû ban nh\\x1f©n d©n")]
    [(0, 2, 'Uỷ'), (7, 12, 'nhân'), (13, 16, 'dân')]
    """
    if len(text) >= _SHORT and not _suspect(text):
        return []  # clean text (deleting characters cannot add a sentinel to a long one)
    found = [m.start() for m in _DELETABLE.finditer(text)]  # one scan for both kinds
    if not found:
        return _visible_edits(text)
    drops = [i for i in found if text[i] not in _READABLE]
    kept = [i for i in found if text[i] in _READABLE]
    edits = _edits_without(text, drops)
    if not kept:
        return edits
    # Those no repair used are deleted by ``unicode`` too (``L\x17µ`` becomes
    # ``Lµ``, TCVN3 ``Là``; ``0\x80£`` becomes ``0£``): judge again as if they
    # were gone. TCVN3's C0-range capitals are used only by TCVN3 repairs.
    spans = sorted((e.start, e.end, e.rule == "tcvn3-as-cp1252") for e in edits)
    starts = [a for a, _, _ in spans]

    def used(i: int) -> bool:
        k = bisect_right(starts, i) - 1  # repairs never overlap
        return k >= 0 and i < spans[k][1] and (spans[k][2] or text[i] not in _C0_KEPT)

    stray = [i for i in kept if not used(i)]
    return _edits_without(text, sorted(drops + stray)) if stray else edits


def _edits_without(text: str, drops: list[int]) -> list[Edit]:
    """:func:`_visible_edits` of ``text`` without the characters at ``drops``
    (sorted), with offsets mapped back to ``text``."""
    if not drops:
        return _visible_edits(text)
    # View index v is original index v + (drops at or before it); q[j] is the
    # view index of the character after the j-th drop.
    q = [d - j for j, d in enumerate(drops)]
    view = "".join(text[a + 1 : b] for a, b in zip([-1, *drops], [*drops, len(text)], strict=True))

    def where(v: int) -> int:
        return v + bisect_right(q, v)

    return [
        Edit(where(e.start), where(e.end - 1) + 1, e.after, e.rule, e.label, e.confidence)
        for e in _visible_edits(view)
    ]


def _visible_edits(text: str) -> list[Edit]:
    """Span repairs on the lines with a sentinel, word repairs around them.

    When those repairs show that one path broke the document (three tokens
    or more), every line that path could have touched is read again,
    leniently: lines of VNI without a sentinel (``bieân giôùi``), and words
    no better alone (``§T``).
    """
    if not _suspect(text):
        return []
    viqr_final = "\\" in text and _VIQR_ESCAPE.search(text) is not None
    lines = _lines(text)
    spans = {start: _span_edits(text, start, end, viqr_final, (), False) for start, end in lines}
    paths: dict[str, int] = {}
    for found in spans.values():
        for e in found:
            key = "utf8" if e.rule.startswith("utf8") else e.rule
            paths[key] = paths.get(key, 0) + 1
    evident = tuple(p for p in _PATHS if paths.get(p, 0) >= 3)
    if evident:
        pure = _VIETNAMESE_ONLY_RE.search(text) is None
        ascii_only = text.isascii()
        lines, pos = [], 0
        for line in text.split("\n"):
            if not line.isascii() or "viqr" in evident:
                lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        spans = {
            start: _span_edits(text, start, end, viqr_final, evident, pure, ascii_only)
            for start, end in lines
        }
    edits: list[Edit] = []
    for start, end in lines:
        found = spans[start]
        words = [
            e
            for e in _line_edits(text, start, end)
            if all(e.end <= s.start or e.start >= s.end for s in found)
        ]
        edits += sorted(found + words, key=lambda e: e.start)
    return edits


#: A backslash before ``.`` or ``?``: the writer escapes literal punctuation
#: (RFC 1456), so an unescaped one after a vowel is a tone mark.
_VIQR_ESCAPE = re.compile(r"[aeiouyAEIOUY^(+]\\[.?]")


def find_mojibake(text: str) -> list[MojibakeSpan]:
    """The spans :func:`repair_encodings` would repair, with their rules.

    >>> for span in find_mojibake("Uû ban nh©n d©n"):
    ...     print(span.start, span.end, span.before, span.after, span.rule)
    0 2 Uû Uỷ tcvn3-as-cp1252
    7 11 nh©n nhân tcvn3-as-cp1252
    12 15 d©n dân tcvn3-as-cp1252
    """
    return [
        MojibakeSpan(e.start, e.end, text[e.start : e.end], e.after, e.rule) for e in _edits(text)
    ]


def repair_encodings(text: str, changes: list[Change] | None = None) -> str:
    """Repair mojibake, legacy-encoded spans and HTML references in ``text``.

    >>> repair_encodings("Vi&#7879;t Nam &amp; Vie^.t Nam, https://x.vn/?a=1&amp;b=2")
    'Việt Nam & Việt Nam, https://x.vn/?a=1&amp;b=2'
    """
    # A repair can uncover another layer (UTF-8 misread over VNI: ``aïÌ\x80``
    # is ``aï̀``, VNI ``ạ̀``): the result is judged again, in rounds. Clean
    # repaired text costs one quick check.
    return apply_rounds(text, _edits, "encodings", changes)


class EncodingsStep(Step):
    """Pipeline step ``encodings``: see the module docstring."""

    name = "encodings"
    summary = "repair mojibake (UTF-8 misread, TCVN3, VNI, VIQR) and HTML character references"

    def __init__(self, config: Config) -> None:
        super().__init__(config)

    def apply(self, text: str, changes: list[Change] | None) -> str:
        if not _suspect(text):
            return text
        return repair_encodings(text, changes)
