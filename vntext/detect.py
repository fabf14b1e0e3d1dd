"""Decode bytes of unknown encoding, and report what a file holds.

:func:`decode` tries the candidates a Vietnamese file can be in (a BOM
settles it; else UTF-8, UTF-16/32 without BOM, then CP1258, TCVN3, VNI,
VISCII, VPS and VIQR) and keeps the reading with the most Vietnamese in it:
the share of its words that are frequent Vietnamese syllables
(:mod:`vntext.vietnamese`).

>>> decode("Việt Nam".encode("utf-8"))
Decoded(text='Việt Nam', encoding='utf-8', confidence=1.0)
>>> import vntext
>>> for enc in ("tcvn3", "vni", "viscii", "vps", "cp1258", "viqr"):
...     data = "Ngày mai tôi đi Hà Nội học tiếng Việt".encode("vntext-" + enc)
...     print(enc, decode(data))
tcvn3 Decoded(text='Ngày mai tôi đi Hà Nội học tiếng Việt', encoding='tcvn3', confidence=...)
vni Decoded(text='Ngày mai tôi đi Hà Nội học tiếng Việt', encoding='vni', confidence=...)
viscii Decoded(text='Ngày mai tôi đi Hà Nội học tiếng Việt', encoding='viscii', confidence=...)
vps Decoded(text='Ngày mai tôi đi Hà Nội học tiếng Việt', encoding='vps', confidence=...)
cp1258 Decoded(text='Ngày mai tôi đi Hà Nội học tiếng Việt', encoding='cp1258', confidence=...)
viqr Decoded(text='Ngày mai tôi đi Hà Nội học tiếng Việt', encoding='viqr', confidence=...)
>>> decode(b"\\xff\\xfeV\\x00").text
'V'
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from vntext.charsets import LEGACY_ENCODINGS, decode_legacy
from vntext.encodings import find_mojibake
from vntext.vietnamese import VIETNAMESE_LETTERS, is_syllable, syllable_count

__all__ = ["ENCODINGS", "DecodeError", "Decoded", "decode", "detect_report"]

#: Names :func:`decode` accepts for ``encoding`` (besides ``"auto"``).
ENCODINGS = ("utf-8", *LEGACY_ENCODINGS)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WORD = re.compile(r"[^\W\d_]+")


class DecodeError(ValueError):
    """No candidate encoding reads the bytes as text (with ``errors="strict"``)."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read with, and how sure the choice is (0-1)."""

    text: str
    encoding: str
    confidence: float


def vietnamese_score(text: str) -> float:
    """Share of the words of ``text`` (first 20,000 characters) that are known syllables.

    Words with Vietnamese diacritics count double: they are what legacy
    encodings get wrong.

    >>> vietnamese_score("Việt Nam"), vietnamese_score("ViÖt Nam")
    (1.0, 0.333...)
    """
    total = good = 0.0
    for w in _WORD.findall(text[:20000]):
        weight = 2.0 if set(w) & VIETNAMESE_LETTERS or not w.isascii() else 1.0
        total += weight
        if is_syllable(w) and syllable_count(w) > 0:
            good += weight
    return good / total if total else 0.0


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16/32 without a BOM: zero bytes at every other (fourth) position."""
    sample = data[:4000]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if sample[2::4].count(0) > len(sample) // 5 and sample[3::4].count(0) > len(sample) // 5:
        return "utf-32-le"
    if sample[0::4].count(0) > len(sample) // 5 and sample[1::4].count(0) > len(sample) // 5:
        return "utf-32-be"
    return "utf-16-le" if odd > even else "utf-16-be"


def _read(data: bytes, encoding: str, errors: str) -> str:
    if encoding in LEGACY_ENCODINGS:
        return decode_legacy(data, encoding, errors)
    return data.decode(encoding, errors)


def decode(data: bytes, encoding: str = "auto", errors: str = "strict") -> Decoded:
    """Decode ``data``, detecting its encoding when ``encoding="auto"``.

    ``encoding`` may also name one of :data:`ENCODINGS` (or any Python codec)
    to force it. ``errors="strict"`` raises :class:`DecodeError` when nothing
    reads the bytes (auto) or the named encoding fails; ``errors="replace"``
    falls back to UTF-8 with U+FFFD for the bad bytes.

    >>> decode(b"Vie\\xe4t Nam").encoding
    'vni'
    >>> decode(b"\\x81\\x8d\\x8f", encoding="utf-8")
    Traceback (most recent call last):
    ...
    vntext.detect.DecodeError: not utf-8: 'utf-8' codec can't decode byte 0x81 in position 0: ...
    >>> decode(b"\\x81ab", encoding="utf-8", errors="replace").text
    '\\ufffdab'
    """
    if encoding != "auto":
        try:
            return Decoded(_read(data, encoding, errors), encoding, 1.0)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"not {encoding}: {exc}") from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(name, errors), name.replace("-sig", ""), 1.0)
    guess = _utf16_guess(data)
    if guess is not None:
        try:
            return Decoded(data.decode(guess), guess, 0.9)
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if text.isascii():
            viqr = decode_legacy(data, "viqr")
            if viqr != text and vietnamese_score(viqr) > vietnamese_score(text) + 0.2:
                return Decoded(viqr, "viqr", round(vietnamese_score(viqr), 3))
        return Decoded(text, "utf-8", 1.0)
    scored = []
    for name in LEGACY_ENCODINGS:
        if name == "viqr":
            continue
        try:
            candidate = decode_legacy(data, name)
        except UnicodeError:
            continue
        scored.append((vietnamese_score(candidate), name, candidate))
    scored.sort(key=lambda s: -s[0])
    if scored and scored[0][0] > 0:
        best, runner = scored[0][0], (scored[1][0] if len(scored) > 1 else 0.0)
        confidence = round(best * min(1.0, 0.5 + (best - runner) * 2), 3)
        return Decoded(scored[0][2], scored[0][1], confidence)
    if errors == "strict":
        raise DecodeError("not UTF-8, and no legacy Vietnamese encoding reads it as Vietnamese")
    return Decoded(data.decode("utf-8", errors), "utf-8", 0.0)


def detect_report(path: str | Path, encoding: str = "auto") -> dict[str, object]:
    """What ``vntext detect FILE`` prints for one file.

    Returns ``{"path", "encoding", "confidence", "mojibake": {rule: count}}``:
    the detected encoding and, in the decoded text, the number of spans the
    ``encodings`` step would repair, per rule.
    """
    data = Path(path).read_bytes()
    decoded = decode(data, encoding, errors="replace")
    counts: dict[str, int] = {}
    for span in find_mojibake(decoded.text):
        counts[span.rule] = counts.get(span.rule, 0) + 1
    return {
        "path": str(path),
        "encoding": decoded.encoding,
        "confidence": decoded.confidence,
        "mojibake": dict(sorted(counts.items())),
    }
