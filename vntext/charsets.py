"""Legacy Vietnamese character sets as Python codecs.

Before Unicode, Vietnamese text was written in a dozen 8-bit encodings. Five
still turn up in scraped and archived text, and Python knows none of them
(it has only ``cp1258``, whose tone marks are combining characters that
need NFC after decoding). This module implements them from the tables in
``vntext/data/charsets/`` (built by ``scripts/build_charsets.py`` from the
standards' machine-readable forms; sources in ``vntext/data/README.md``):

========================  ============================================================
codec name                what
========================  ============================================================
``vntext-tcvn3``          TCVN 5712:1993 (VN1; the "ABC" fonts ``.VnTime`` use its
                          lower-case subset VN3), single byte
``vntext-vni``            VNI-Windows (fonts ``VNI-Times``): a base letter followed by
                          a mark byte; every other byte is Windows-1252
``vntext-viscii``         VISCII 1.1 (RFC 1456), single byte
``vntext-vps``            VPS, single byte
``vntext-viqr``           VIQR (RFC 1456): ASCII mnemonics, ``Vie^.t Nam``; a
                          backslash keeps a mark character literal (``Nam\\.``)
``vntext-cp1258``         Windows-1258 with NFC after decoding, and decomposition of
                          tone marks when encoding (``ệ`` is ``ê`` + combining dot)
========================  ============================================================

They are registered with :mod:`codecs` when :mod:`vntext` is imported, so
``bytes.decode("vntext-tcvn3")`` and ``open(path, encoding="vntext-vni")``
work. Decoding always returns NFC text.

>>> import vntext
>>> b"Vi\\xd6t Nam".decode("vntext-tcvn3")
'Việt Nam'
>>> "Việt Nam".encode("vntext-vni")
b'Vie\\xe4t Nam'
>>> "Hà Nội.".encode("vntext-viqr")
b'Ha` No^.i\\\\.'
>>> b'Ha` No^.i\\\\.'.decode("vntext-viqr")
'Hà Nội.'
>>> "Việt".encode("vntext-cp1258").decode("vntext-cp1258")
'Việt'
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import unicodedata2

if TYPE_CHECKING:
    from typing_extensions import Buffer

__all__ = ["CODECS", "LEGACY_ENCODINGS", "decode_legacy", "encode_legacy", "register"]

#: Short names of the legacy encodings, as ``vntext.decode`` and the CLI call them.
LEGACY_ENCODINGS = ("tcvn3", "vni", "viscii", "vps", "viqr", "cp1258")
#: Short name -> registered codec name.
CODECS = {name: f"vntext-{name}" for name in LEGACY_ENCODINGS}

_SINGLE_BYTE = ("tcvn3", "viscii", "vps")
#: Windows-1252 with its five undefined bytes read as the C1 controls they
#: become in browsers (WHATWG), so every byte has a character.
SLOPPY_CP1252 = "".join(
    bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
    for b in range(256)
)
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VIQR_MARKS = "(^+'`?~.dD"


def _nfc(text: str) -> str:
    normalized: str = unicodedata2.normalize("NFC", text)
    return normalized


@cache
def table(name: str) -> dict[bytes, str]:
    """The shipped table of ``name``: byte sequence -> NFC character.

    >>> table("tcvn3")[b"\\xd6"], table("vni")[b"e\\xe4"], table("viqr")[b"e^."]
    ('ệ', 'ệ', 'ệ')
    """
    path = resources.files("vntext") / "data" / "charsets" / f"{name}.tsv"
    out: dict[bytes, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        seq, _, rest = line.split("\t")
        out[bytes.fromhex(seq)] = "".join(chr(int(cp[2:], 16)) for cp in rest.split())
    return out


@cache
def _decoding_table(name: str) -> str:
    t = table(name)
    return "".join(t[bytes([b])] for b in range(256))


@cache
def _encoding_map(name: str) -> dict[str, bytes]:
    """Character -> bytes for encoding (the first byte sequence wins on duplicates)."""
    out: dict[str, bytes] = {}
    for seq, char in sorted(table(name).items()):
        out.setdefault(char, seq)
    return out


@cache
def _sequence_decoder(name: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """For VNI and VIQR: a regex over the text form of the bytes and its replacements."""
    seqs = {seq.decode("cp1252"): char for seq, char in table(name).items()}
    keys = sorted(seqs, key=len, reverse=True)
    pattern = "|".join(re.escape(k) for k in keys)
    if name == "viqr":
        pattern = r"\\[\\" + re.escape(_VIQR_MARKS) + "]|" + pattern
    return re.compile(pattern), seqs


def _decode_sequences(name: str, text: str) -> str:
    regex, seqs = _sequence_decoder(name)

    def sub(m: re.Match[str]) -> str:
        s = m.group()
        return s[1] if s[0] == "\\" and len(s) == 2 and s not in seqs else seqs[s]

    return regex.sub(sub, text)


def decode_legacy(data: bytes, encoding: str, errors: str = "strict") -> str:
    """Decode ``data`` from a legacy encoding (short name) to NFC text.

    >>> decode_legacy(b"U\\xfb ban nh\\xa9n d\\xa9n", "tcvn3")
    'Uỷ ban nhân dân'
    """
    if encoding in _SINGLE_BYTE:
        return _nfc(codecs.charmap_decode(data, errors, _decoding_table(encoding))[0])
    if encoding == "vni":
        return _nfc(_decode_sequences("vni", data.decode("latin-1").translate(_SLOPPY_MAP)))
    if encoding == "viqr":
        return _nfc(_decode_sequences("viqr", data.decode("ascii", errors)))
    if encoding == "cp1258":
        return _nfc(data.decode("cp1258", errors))
    raise LookupError(f"unknown legacy encoding {encoding!r}; known: {', '.join(LEGACY_ENCODINGS)}")


_SLOPPY_MAP = {b: SLOPPY_CP1252[b] for b in range(0x80, 0x100)}


def _encode_chars(text: str, encoding: str, errors: str) -> bytes:
    """Encode NFC ``text`` char by char with ``encoding``'s map, decomposing when needed."""
    emap = _encoding_map(encoding)
    out = bytearray()
    for i, ch in enumerate(text):
        seq = emap.get(ch)
        if seq is None:
            parts = [emap.get(c) for c in unicodedata2.normalize("NFD", ch)]
            if all(p is not None for p in parts) and len(parts) > 1:
                seq = b"".join(p for p in parts if p is not None)
        if seq is None:
            if errors == "strict":
                raise UnicodeEncodeError(
                    CODECS[encoding], text, i, i + 1, "character not in the table"
                )
            if errors == "ignore":
                continue
            seq = b"?"
        out += seq
    return bytes(out)


def _encode_vni(text: str, errors: str) -> bytes:
    letters: dict[str | int, str | int | None] = {
        c: seq.decode("cp1252") for seq, c in table("vni").items()
    }
    mapped = text.translate(str.maketrans(letters))
    return mapped.encode("cp1252", errors)


@cache
def _viqr_encoder() -> tuple[dict[str, str], frozenset[str]]:
    """Letter -> mnemonic, and every mnemonic and proper prefix of one."""
    letters = {c: seq.decode("ascii") for seq, c in table("viqr").items()}
    prefixes = {k[:i] for k in letters.values() for i in range(1, len(k) + 1)}
    return letters, frozenset(prefixes)


def _encode_viqr(text: str, errors: str) -> bytes:
    """VIQR with RFC 1456 escapes wherever a reader would join what is apart.

    A mark that would modify the letter before it (``a.`` at a sentence end)
    is escaped, and so is a literal ``d``/``D`` before ``đ``/``Đ``: ``NDĐT``
    is ``N\\DDDT``, since ``NDDDT`` reads ``NĐDT``.

    >>> _encode_viqr("NDĐT, ADD, a.", "strict")
    b'N\\\\DDDT, A\\\\DD, a\\\\.'
    """
    letters, prefixes = _viqr_encoder()
    pieces = [letters.get(ch, ch) for ch in text]
    out: list[str] = []
    tail = ""  # the text written for the previous character
    for i, ch in enumerate(text):
        piece = pieces[i]
        if ch == "\\" or (
            ch in _VIQR_MARKS
            and (
                (tail + ch)[-3:] in prefixes
                or (ch in "dD" and i + 1 < len(text) and pieces[i + 1][:1] == ch)
            )
        ):
            piece = "\\" + ch
        out.append(piece)
        tail = piece
    return "".join(out).encode("ascii", errors)


def _encode_cp1258(text: str, errors: str) -> bytes:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata2.normalize("NFD", ch)
        base = _nfc("".join(c for c in nfd if c not in _TONE_MARKS))
        tones = "".join(c for c in nfd if c in _TONE_MARKS)
        out += (base + tones).encode("cp1258", errors)
    return bytes(out)


def encode_legacy(text: str, encoding: str, errors: str = "strict") -> bytes:
    """Encode ``text`` (normalised to NFC first) into a legacy encoding (short name).

    >>> encode_legacy("Uỷ ban nhân dân", "tcvn3")
    b'U\\xfb ban nh\\xa9n d\\xa9n'
    """
    text = _nfc(text)
    if encoding in _SINGLE_BYTE:
        return _encode_chars(text, encoding, errors)
    if encoding == "vni":
        return _encode_vni(text, errors)
    if encoding == "viqr":
        return _encode_viqr(text, errors)
    if encoding == "cp1258":
        return _encode_cp1258(text, errors)
    raise LookupError(f"unknown legacy encoding {encoding!r}; known: {', '.join(LEGACY_ENCODINGS)}")


def _codec_info(name: str) -> codecs.CodecInfo:
    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return encode_legacy(text, name, errors), len(text)

    def decode(data: Buffer, errors: str = "strict") -> tuple[str, int]:
        raw = bytes(data)
        return decode_legacy(raw, name, errors), len(raw)

    class IncrementalEncoder(codecs.IncrementalEncoder):
        def encode(self, input: str, final: bool = False) -> bytes:
            return encode_legacy(input, name, self.errors)

    class IncrementalDecoder(codecs.BufferedIncrementalDecoder):
        """Holds back the bytes after the last whitespace until more arrive.

        A multi-byte sequence (VNI, VIQR) or a base letter and its combining
        tone (TCVN3, CP1258) never spans whitespace, so decoding up to the last
        whitespace byte gives the same text as decoding everything at once.
        """

        def _buffer_decode(self, input: Buffer, errors: str, final: bool) -> tuple[str, int]:
            data = bytes(input)
            cut = len(data) if final else max(data.rfind(b" "), data.rfind(b"\n")) + 1
            return decode_legacy(data[:cut], name, errors), cut

    class StreamWriter(codecs.StreamWriter):
        def encode(self, input: str, errors: str = "strict") -> tuple[bytes, int]:
            return encode_legacy(input, name, errors), len(input)

    class StreamReader(codecs.StreamReader):
        def decode(self, input: bytes, errors: str = "strict") -> tuple[str, int]:
            data = bytes(input)
            cut = max(data.rfind(b" "), data.rfind(b"\n")) + 1 or len(data)
            return decode_legacy(data[:cut], name, errors), cut

    return codecs.CodecInfo(
        encode,
        decode,
        name=CODECS[name],
        incrementalencoder=IncrementalEncoder,
        incrementaldecoder=IncrementalDecoder,
        streamwriter=StreamWriter,
        streamreader=StreamReader,
    )


def _search(name: str) -> codecs.CodecInfo | None:
    key = name.lower().replace("_", "-")
    if key.startswith("vntext-") and key[7:] in CODECS:
        return _codec_info(key[7:])
    return None


_registered = False


def register() -> None:
    """Register the ``vntext-*`` codecs with :mod:`codecs` (done on ``import vntext``)."""
    global _registered
    if not _registered:
        codecs.register(_search)
        _registered = True


register()
