"""Reading and writing corpora: formats, compression, decoding, atomic output.

The CLI streams inputs of any size with bounded memory. A file is read in
chunks of raw bytes and cut into *batches* at record boundaries (a line for
``lines`` and ``jsonl``, a paragraph break for ``txt``), so a batch can be
shipped to a worker process as one ``bytes`` object. Decoding, JSON parsing
and cleaning happen in :func:`process_batch`, which runs in the workers: the
main process only reads, orders and writes bytes.

Formats (by ``--format`` or by extension, after any compression suffix):

- ``txt``: one document per file, cleaned in blocks cut at blank lines;
- ``lines``: one record per line;
- ``jsonl``: one JSON object per line; only the field named by a dotted path
  is cleaned, and the rest of the line is kept byte for byte.

>>> format_for("corpus/part-0001.jsonl.zst")
'jsonl'
>>> compression_for("corpus/part-0001.jsonl.zst")
'zstd'
>>> format_for("notes.txt.gz"), format_for("data.tsv")
('txt', 'txt')

Decoding goes through :data:`DECODERS`, so a new ``--encoding`` is one
:func:`register_decoder` call (a function from bytes to an object with
``text`` and ``encoding``).
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import json
import json.decoder
import lzma
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from json.decoder import JSONDecodeError
from typing import IO, Any, NamedTuple, Protocol

from vntext.config import Config
from vntext.pipeline import Cleaner
from vntext.trace import Change, Cleaned, Edit, apply_edits

__all__ = [
    "COMPRESSIONS",
    "DECODERS",
    "FORMATS",
    "AtomicOutput",
    "Batch",
    "BatchResult",
    "DecodedText",
    "Options",
    "Reader",
    "RecordError",
    "Stats",
    "Writer",
    "compression_for",
    "decode",
    "dumps_line",
    "format_for",
    "init_worker",
    "locate_field",
    "open_input",
    "process_batch",
    "read_batches",
    "register_decoder",
]

FORMATS = ("txt", "lines", "jsonl")

#: File suffix -> compression name; detected on input and output alike.
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}

_FORMAT_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt"}


#: The C string scanner behind :func:`json.loads` (not in the type stubs).
scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class Reader(Protocol):
    """A binary input stream: a file, stdin or a decompressor."""

    def read(self, n: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class Writer(Protocol):
    """A binary output stream: a file, stdout or a compressor."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class RecordError(ValueError):
    """A record that cannot be cleaned (the message says why, without the location)."""


def compression_for(path: str) -> str | None:
    """The compression implied by ``path``'s last suffix, or ``None``."""
    return COMPRESSIONS.get(os.path.splitext(path)[1].lower())


def format_for(path: str, default: str = "txt") -> str:
    """The record format implied by ``path``'s suffix (after a compression suffix)."""
    root, ext = os.path.splitext(path)
    if ext.lower() in COMPRESSIONS:
        ext = os.path.splitext(root)[1]
    return _FORMAT_SUFFIXES.get(ext.lower(), default)


# -- decoding ------------------------------------------------------------------


class Decoded(Protocol):
    """What a decoder returns: the text and the name of the encoding it found."""

    @property
    def text(self) -> str: ...

    @property
    def encoding(self) -> str: ...


class DecodedText(NamedTuple):
    """The result of the built-in decoders."""

    text: str
    encoding: str


def _decode_utf8(data: bytes) -> DecodedText:
    return DecodedText(data.decode("utf-8"), "utf-8")


def _detector(encoding: str) -> Callable[[bytes], Decoded]:
    """A decoder backed by :func:`vntext.decode` (imported when first used)."""

    def decode_with(data: bytes) -> Decoded:
        from vntext.detect import decode as detect_decode

        return detect_decode(data, encoding)

    return decode_with


#: ``--encoding`` name -> decoder. A decoder raises :class:`ValueError` (such
#: as :class:`UnicodeDecodeError`) for bytes it cannot decode; the record is
#: then bad, and ``--on-error`` decides. ``auto`` detects (BOMs, UTF-8/16/32,
#: then the legacy Vietnamese encodings scored as Vietnamese); the others
#: force one encoding.
DECODERS: dict[str, Callable[[bytes], Decoded]] = {
    "utf-8": _decode_utf8,
    "auto": _detector("auto"),
    **{name: _detector(name) for name in ("tcvn3", "vni", "viscii", "vps", "viqr", "cp1258")},
}


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def file_encoding(sample: bytes) -> str:
    """The encoding ``--encoding auto`` reads a whole file with, judged on ``sample``.

    Detection is per file, not per record: a file is one encoding, so a
    single corrupt line in a UTF-8 file is reported as invalid UTF-8 (with
    its line) instead of being read as some legacy encoding on its own.
    ``sample`` is the file's first batch (whole lines). Bytes that are valid
    UTF-8, or that no legacy Vietnamese encoding reads as Vietnamese, mean
    ``utf-8``.

    >>> file_encoding("Hà Nội".encode())
    'utf-8'
    >>> file_encoding("Hà Nội".encode("vntext-vni"))
    'vni'
    >>> file_encoding("Hà Nội\\n".encode() + b"H\\xe0 N\\xf4i\\n")  # one corrupt line
    'utf-8'
    """
    from vntext.detect import DecodeError
    from vntext.detect import decode as detect_decode

    multibyte = len(_UTF8_MULTIBYTE.findall(sample))
    if multibyte and multibyte >= sample.decode("utf-8", "replace").count("\ufffd"):
        # Mostly well-formed UTF-8 with a few bad bytes: a UTF-8 file with a
        # corrupt record, which --on-error handles record by record.
        return "utf-8"
    try:
        found = detect_decode(sample, "auto").encoding
    except DecodeError:
        return "utf-8"
    return found if found in DECODERS else "utf-8"


def register_decoder(name: str, decoder: Callable[[bytes], Decoded]) -> None:
    """Make ``--encoding NAME`` available (e.g. ``register_decoder("auto", vntext.decode)``)."""
    DECODERS[name] = decoder


def decode(data: bytes, encoding: str = "utf-8") -> Decoded:
    """Decode one record with the decoder registered as ``encoding``.

    >>> decode("Hà Nội".encode()).text
    'Hà Nội'
    >>> decode(b"H\\xe0 N\\xf4i")
    Traceback (most recent call last):
    ...
    vntext.io.RecordError: invalid UTF-8 at byte 1 (0xe0)
    """
    try:
        return DECODERS[encoding](data)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise RecordError(f"invalid {exc.encoding.upper()} at byte {exc.start} (0x{bad})") from None
    except RecordError:
        raise
    except ValueError as exc:  # a detector that found no reading (its own error type)
        raise RecordError(f"invalid text: {exc}") from None


# -- opening files -------------------------------------------------------------


def open_input(path: str) -> Reader:
    """A binary stream of ``path``'s (decompressed) content; ``-`` is stdin."""
    if path == "-":
        buffer: Reader | None = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text stream without bytes underneath (tests, notebooks)
            return io.BytesIO(sys.stdin.read().encode("utf-8"))
        return buffer
    raw = open(path, "rb")  # noqa: SIM115 - returned to the caller
    try:
        return _wrap_reader(raw, compression_for(path))
    except BaseException:
        raw.close()
        raise


def _wrap_reader(raw: IO[bytes], compression: str | None) -> Reader:
    if compression is None:
        return raw
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "bz2":
        return bz2.BZ2File(raw, "rb")
    if compression == "xz":
        return lzma.LZMAFile(raw, "rb")
    zstd = _zstandard()
    reader: Reader = zstd.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    return reader


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise RecordError(
            ".zst files need the zstandard package: pip install 'vntext[zstd]'"
        ) from None
    return zstandard


def _wrap_writer(raw: IO[bytes], compression: str | None) -> list[Writer]:
    """Writer streams, outermost first, for ``compression`` over ``raw``."""
    if compression is None:
        return [raw]
    if compression == "gzip":
        outer: Writer = gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0
        )
    elif compression == "bz2":
        outer = bz2.BZ2File(raw, "wb")
    elif compression == "xz":
        outer = lzma.LZMAFile(raw, "wb")  # noqa: SIM115
    else:
        outer = _zstandard().ZstdCompressor(level=3).stream_writer(raw, closefd=False)
    return [outer, raw]


class AtomicOutput:
    """An output file that appears complete or not at all.

    Bytes go to a hidden temporary file in the target directory (so the
    final rename stays on one file system); :meth:`commit` renames it over
    ``path`` and :meth:`abort` deletes it. An interrupted or crashed run
    therefore never leaves a truncated output behind. With ``backup`` the
    file being replaced is first hard-linked (or copied) to ``path +
    backup``.
    """

    def __init__(self, path: str, mode_from: str | None = None, backup: str | None = None):
        self.path = path
        self.backup = backup
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(
            dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".vntext-tmp"
        )
        self._mode = _file_mode(mode_from)
        self._streams = _wrap_writer(os.fdopen(fd, "wb"), compression_for(path))
        self.stream = self._streams[0]
        self.closed = False

    def _close(self) -> None:
        if not self.closed:
            self.closed = True
            for s in self._streams:
                s.close()

    def commit(self) -> None:
        """Finish the file and move it into place."""
        self._close()
        os.chmod(self.tmp, self._mode)
        if self.backup and os.path.exists(self.path):
            target = self.path + self.backup
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
            try:
                os.link(self.path, target)
            except OSError:
                import shutil

                shutil.copy2(self.path, target)
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Drop the temporary file; ``path`` is left as it was."""
        with contextlib.suppress(Exception):
            self._close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)


def _file_mode(mode_from: str | None) -> int:
    if mode_from is not None:
        with contextlib.suppress(OSError):
            return os.stat(mode_from).st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# -- cutting a stream into batches ---------------------------------------------


@dataclass(slots=True)
class Batch:
    """Consecutive records of one file, as raw bytes.

    For ``lines``/``jsonl`` ``data`` holds whole lines and ``first_line`` is
    the number of the first one. For ``txt`` it is one block of a document,
    cut after a blank line; ``block`` numbers the blocks of the document.
    """

    file: str
    fmt: str
    first_line: int
    data: bytes
    block: int = 0
    too_long: bool = False
    #: The file's encoding when ``--encoding auto`` settled it from the
    #: file's first batch (see :func:`file_encoding`); empty otherwise.
    encoding: str = ""


#: Target size of a batch; ``txt`` looks for a blank line up to
#: ``TXT_PARAGRAPH_FACTOR`` times as far before it cuts at a line end instead.
BATCH_BYTES = 1 << 20
TXT_PARAGRAPH_FACTOR = 8
_CHUNK = 1 << 20


def read_batches(
    stream: Reader,
    file: str,
    fmt: str,
    max_record_bytes: int,
    batch_bytes: int | None = None,
) -> Iterator[Batch]:
    """Cut ``stream`` into :class:`Batch` es of about ``batch_bytes``.

    Memory stays bounded by ``max_record_bytes`` plus a batch: a line (or,
    in ``txt``, a run without any line break) longer than the limit is
    yielded as one batch with ``too_long=True`` holding only its first
    ``max_record_bytes`` bytes; the rest is read and dropped.

    >>> import io
    >>> batches = read_batches(io.BytesIO(b"a\\nb\\nc"), "-", "lines", 99, 4)
    >>> [(b.first_line, b.data) for b in batches]
    [(1, b'a\\nb\\n'), (3, b'c')]
    >>> [b.data for b in read_batches(io.BytesIO(b"p1\\n\\np2\\nl2\\n\\n\\np3"), "-", "txt", 99, 3)]
    [b'p1\\n\\n', b'p2\\nl2\\n\\n\\n', b'p3']
    """
    buf = b""
    line = 1
    block = 0
    eof = False
    batch_bytes = batch_bytes or BATCH_BYTES
    step = min(_CHUNK, batch_bytes)
    cap = TXT_PARAGRAPH_FACTOR * batch_bytes
    while not eof or buf:
        while not eof and len(buf) < batch_bytes:
            chunk = stream.read(step)
            if not chunk:
                eof = True
            buf += chunk
        if eof:
            cut = len(buf)
        elif fmt == "txt":
            cut = _paragraph_cut(buf)
            if cut <= 0 and len(buf) >= cap:
                cut = _line_cut(buf)
            if cut <= 0 and len(buf) > max_record_bytes:
                cut = buf.rfind(b"\n") + 1  # no safe place in the whole limit: any line end
        else:
            cut = buf.rfind(b"\n") + 1
        if cut <= 0:
            if len(buf) > max_record_bytes:
                yield Batch(file, fmt, line, buf[:max_record_bytes], block, too_long=True)
                buf, eof = _drop_line(stream, buf)
                line += 1
                block += 1
                continue
            chunk = stream.read(step)
            if not chunk:
                eof = True
            buf += chunk
            continue
        data, buf = buf[:cut], buf[cut:]
        yield Batch(file, fmt, line, data, block)
        line += data.count(b"\n")
        block += 1


_PARAGRAPH_END = re.compile(rb"\n[ \t\r]*\n[\r\n \t]*")


def _paragraph_cut(buf: bytes) -> int:
    """Index just after the last complete blank-line run in ``buf``, or 0.

    The run must be followed, in ``buf``, by a visible character: a run that
    reaches the end might continue in the next read, and an invisible or
    space-like character next to it (U+2028, a no-break space, a zero-width
    space...) may become part of it once a step has run, so cutting there
    would let two blocks each see half a run. Indentation after the run goes
    with the next paragraph.
    """
    end = len(buf)
    while True:
        p = max(buf.rfind(b"\n\n", 0, end), buf.rfind(b"\n\r\n", 0, end))
        if p < 0:
            return 0
        m = _PARAGRAPH_END.match(buf, p)
        if m is None:  # pragma: no cover - rfind guarantees a match
            return 0
        run_end = m.end()
        cut = buf.rfind(b"\n", p, run_end) + 1
        if run_end < len(buf) and b"\r" not in buf[cut:run_end] and _visible_at(buf, run_end):
            return cut
        end = p


def _visible_at(buf: bytes, i: int) -> bool:
    """True when the character starting at ``buf[i]`` is visible (not a space or control).

    >>> _visible_at("x\u2028".encode(), 1), _visible_at("xĐ".encode(), 1)
    (False, True)
    """
    ch = buf[i : i + 4].decode("utf-8", "ignore")[:1]
    return bool(ch) and unicodedata.category(ch)[0] in "LNPS"


def _line_cut(buf: bytes) -> int:
    """Index after the last line end in ``buf`` that a visible character follows.

    The fallback when no paragraph break was found within the cap: cutting
    there never splits a run of blank or space-like lines. 0 when there is no
    such place (the reader then reads on, up to ``max_record_bytes``).
    """
    end = len(buf)
    while (nl := buf.rfind(b"\n", 0, end)) >= 0:
        if nl + 1 < len(buf) and _visible_at(buf, nl + 1):
            return nl + 1
        end = nl
    return 0


def _drop_line(stream: Reader, buf: bytes) -> tuple[bytes, bool]:
    """Skip the rest of an over-long line; return what follows it."""
    while True:
        nl = buf.find(b"\n")
        if nl >= 0:
            return buf[nl + 1 :], False
        buf = stream.read(_CHUNK)
        if not buf:
            return b"", True


# -- locating a JSON field without re-serialising the line ---------------------

_WS = re.compile(r"[ \t\n\r]*")
_JSON = json.JSONDecoder()


def locate_field(line: str, path: tuple[str, ...]) -> tuple[int, int, object]:
    """Find the value at dotted ``path`` in the JSON object ``line``.

    Returns ``(start, end, value)`` with ``line[start:end]`` the value's
    JSON text, so a new value can be spliced in while every other byte of
    the line stays as it was. The whole line is validated as strictly as
    :func:`json.loads` does; with duplicate keys the last one wins, as there.

    >>> s = '{"id": 7, "doc": {"text": "H\\\\u00e0 N\u1ed9i", "lang": "vi"}}'
    >>> start, end, value = locate_field(s, ("doc", "text"))
    >>> value, s[start:end]
    ('Hà Nội', '"H\\\\u00e0 Nội"')
    >>> locate_field('[1, 2]', ("text",))
    Traceback (most recent call last):
    ...
    vntext.io.RecordError: record is not a JSON object (found a list)
    >>> locate_field('{"text": 1}', ("text",))
    Traceback (most recent call last):
    ...
    vntext.io.RecordError: field 'text' is a number, not a string
    """
    try:
        i = _WS.match(line).end()  # type: ignore[union-attr]
        if line[i : i + 1] != "{":
            value, _ = _JSON.raw_decode(line, i)
            raise RecordError(f"record is not a JSON object (found {_kind(value)})")
        found, i = _walk(line, i, path, 0)
        i = _WS.match(line, i).end()  # type: ignore[union-attr]
        if i != len(line):
            raise JSONDecodeError("Extra data", line, i)
    except JSONDecodeError as exc:
        raise RecordError(f"malformed JSON: {exc.msg} at column {exc.colno}") from None
    except IndexError:
        raise RecordError("malformed JSON: unexpected end of line") from None
    name = ".".join(path)
    if found is None:
        raise RecordError(f"missing field {name!r}")
    start, end, value = found
    if start < 0:
        raise RecordError(f"field {'.'.join(path[: end + 1])!r} is {_kind(value)}, not an object")
    if not isinstance(value, str):
        raise RecordError(f"field {name!r} is {_kind(value)}, not a string")
    return start, end, value


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string"


def _walk(
    s: str, i: int, path: tuple[str, ...], depth: int
) -> tuple[tuple[int, int, object] | None, int]:
    """Parse the object at ``s[i] == "{"``; return the target's span and the end.

    A non-object met on the way down is reported as ``(-1, depth, value)``.
    """
    found: tuple[int, int, object] | None = None
    i = _WS.match(s, i + 1).end()  # type: ignore[union-attr]
    if s[i] == "}":
        return found, i + 1
    while True:
        if s[i] != '"':
            raise JSONDecodeError("Expecting property name enclosed in double quotes", s, i)
        key, i = scanstring(s, i + 1, True)
        i = _WS.match(s, i).end()  # type: ignore[union-attr]
        if s[i] != ":":
            raise JSONDecodeError("Expecting ':' delimiter", s, i)
        i = _WS.match(s, i + 1).end()  # type: ignore[union-attr]
        if key == path[depth]:
            start = i
            if depth == len(path) - 1:
                if s[i] == '"':
                    value, i = scanstring(s, i + 1, True)
                else:
                    value, i = _JSON.raw_decode(s, i)
                found = (start, i, value)
            elif s[i] == "{":
                found, i = _walk(s, i, path, depth + 1)
            else:
                value, i = _JSON.raw_decode(s, i)
                found = (-1, depth, value)
        else:
            _, i = _JSON.raw_decode(s, i)
        i = _WS.match(s, i).end()  # type: ignore[union-attr]
        if s[i] == ",":
            i = _WS.match(s, i + 1).end()  # type: ignore[union-attr]
            continue
        if s[i] == "}":
            return found, i + 1
        raise JSONDecodeError("Expecting ',' delimiter", s, i)


def _json_string(value: str, like: str) -> str:
    """``value`` as a JSON string literal, escaping non-ASCII only if ``like`` did."""
    ascii_only = like.isascii() and "\\u" in like
    return json.dumps(value, ensure_ascii=ascii_only) if ascii_only else dumps_line(value)


_LINE_BREAKING = re.compile("[\x85\u2028\u2029]")


def dumps_line(value: object) -> str:
    """JSON for one JSONL line: UTF-8 as is, but no character that splits lines.

    JSON allows U+2028, U+2029 and U+0085 unescaped, yet Python's
    ``str.splitlines`` and many JSONL readers break lines there.

    >>> print(dumps_line({"text": "a\u2028b"}))
    {"text": "a\\u2028b"}
    """
    out = json.dumps(value, ensure_ascii=False)
    if _LINE_BREAKING.search(out):
        out = _LINE_BREAKING.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return out


# -- processing a batch (runs in the workers) ----------------------------------


@dataclass(frozen=True)
class Options:
    """Per-run settings every worker needs, sent once when it starts."""

    config: Config
    field: tuple[str, ...] = ("text",)
    encoding: str = "utf-8"
    on_error: str = "fail"
    max_record_bytes: int = 64 << 20
    explain: bool = True
    trace: bool = False
    removed: bool = False


@dataclass
class Stats:
    """Counts for the report; summed over batches."""

    records_in: int = 0
    records_out: int = 0
    changed: int = 0
    skipped: int = 0
    kept: int = 0
    failed: int = 0
    removed_lines: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    rules: Counter[tuple[str, str]] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, other: Stats) -> None:
        for name in (
            "records_in", "records_out", "changed", "skipped", "kept", "failed",
            "removed_lines", "bytes_in", "bytes_out",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rules.update(other.rules)
        self.encodings.update(other.encodings)
        self.errors.update(other.errors)


@dataclass
class BatchResult:
    """What a worker sends back for a :class:`Batch`.

    ``trace`` holds ``(record, changes-as-JSON)`` and ``removed`` holds
    ``(record, line, change)`` with ``record`` counted from the batch's first
    record; the main process turns them into global indices. ``error`` is
    set when ``--on-error fail`` stops the batch; ``bad`` lists the other
    bad records as messages. ``chars`` is the decoded length of a ``txt``
    block (its offset in the document is the sum over previous blocks).
    A record counts as changed when its output bytes differ from its input
    (a legacy encoding decoded to UTF-8 is a change).
    """

    out: bytes = b""
    stats: Stats = field(default_factory=Stats)
    trace: list[tuple[int, str]] = field(default_factory=list)
    removed: list[tuple[int, int, Change]] = field(default_factory=list)
    error: str | None = None
    bad: list[tuple[int, str, str]] = field(default_factory=list)
    chars: int = 0
    changed: bool = False


_WORKER: tuple[Options, Cleaner] | None = None


def init_worker(options: Options) -> None:
    """Build the cleaner once for this process (the pool's initializer)."""
    global _WORKER
    _WORKER = (options, Cleaner(options.config))


def process_batch(batch: Batch) -> BatchResult:
    """Decode, parse, clean and re-encode the records of ``batch``."""
    if _WORKER is None:
        raise RuntimeError("init_worker() was not called in this process")
    options, cleaner = _WORKER
    result = BatchResult()
    if batch.fmt == "txt":
        _process_block(batch, options, cleaner, result)
    else:
        _process_lines(batch, options, cleaner, result)
    return result


def _clean(
    text: str,
    options: Options,
    cleaner: Cleaner,
    result: BatchResult,
    record: int,
    one_line: bool = False,
) -> str:
    """Clean one text, recording counts, trace and removed lines as asked.

    With ``one_line`` (the ``lines`` format) a line break a step produced
    (from U+2028, a lone CR...) would split the record in two on output, so
    it becomes a space, recorded as step ``lines``, rule
    ``line-break-in-record``.
    """
    try:
        if not options.explain:
            new = cleaner(text)
            return _one_line(new, None) if one_line and "\n" in new else new
        cleaned = cleaner.explain(text)
    except Exception as exc:  # a bug in a step must not take the whole run down
        raise RecordError(f"vntext failed on this record: {type(exc).__name__}: {exc}") from exc
    if one_line and "\n" in cleaned.text:
        cleaned.text = _one_line(cleaned.text, cleaned.changes)
    stats = result.stats
    for c in cleaned.changes:
        stats.rules[(c.step, c.rule)] += 1
    if options.trace:
        result.trace.append(
            (record, dumps_line([c.to_dict() for c in cleaned.changes]))
        )
    removed = cleaned.removed_lines
    if removed:
        stats.removed_lines += len(removed)
        if options.removed:
            for c in removed:
                skip = len(c.before) - len(c.before.lstrip("\r\n"))  # blank lines taken along
                result.removed.append((record, _input_line(text, cleaned, c, skip), c))
    return cleaned.text


def _one_line(text: str, changes: list[Change] | None) -> str:
    """``text`` with each line break turned into a space (one record stays one line).

    >>> changes: list[Change] = []
    >>> _one_line("a\\nb", changes), changes[0].rule
    ('a b', 'line-break-in-record')
    """
    edits = [Edit(m.start(), m.end(), " ", "line-break-in-record") for m in _NEWLINE.finditer(text)]
    return apply_edits(text, edits, "lines", changes)


_NEWLINE = re.compile("\n")


def _input_line(text: str, cleaned: Cleaned, change: Change, offset: int = 0) -> int:
    """The 1-based line of ``text`` (the input) at ``offset`` into ``change``.

    The change's offset refers to the text its step (and round) received;
    earlier steps' changes are undone one step and round at a time to map it
    back.
    """
    groups: list[list[Change]] = []
    for c in cleaned.changes:
        if c is change:
            break
        if groups and (groups[-1][0].step, groups[-1][0].round) == (c.step, c.round):
            groups[-1].append(c)
        else:
            groups.append([c])
    if groups and (groups[-1][0].step, groups[-1][0].round) == (change.step, change.round):
        groups.pop()
    pos = change.start + offset
    for group in reversed(groups):
        delta = 0
        inside: int | None = None
        for c in group:
            out_start = c.start + delta
            if pos < out_start:
                break
            if pos < out_start + len(c.after):
                inside = c.start
                break
            delta += len(c.after) - (c.end - c.start)
        pos = inside if inside is not None else pos - delta
    return text.count("\n", 0, pos) + 1


def _process_lines(batch: Batch, options: Options, cleaner: Cleaner, result: BatchResult) -> None:
    stats = result.stats
    out: list[bytes] = []
    jsonl = batch.fmt == "jsonl"
    lines = batch.data.split(b"\n")
    last = lines.pop()
    terms = [b"\n"] * len(lines)
    if last:
        lines.append(last)
        terms.append(b"")
    record = -1
    for k, raw in enumerate(lines):
        term = terms[k]
        line_no = batch.first_line + k
        if raw.endswith(b"\r"):
            raw, term = raw[:-1], b"\r" + term
        if jsonl:
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                out.append(raw + term)  # a blank line is not a record: keep it
                continue
        record += 1
        stats.records_in += 1
        stats.bytes_in += len(raw) + len(term)
        try:
            if batch.too_long or len(raw) > options.max_record_bytes:
                raise RecordError(f"line over --max-record-bytes ({options.max_record_bytes})")
            decoded = decode(raw, batch.encoding or options.encoding)
            stats.encodings[decoded.encoding] += 1
            text = decoded.text
            if jsonl:
                start, end, value = locate_field(text, options.field)
                new = _clean(str(value), options, cleaner, result, record)
                if new != value:
                    text = text[:start] + _json_string(new, text[start:end]) + text[end:]
                    data = text.encode("utf-8")
                elif decoded.encoding == "utf-8":
                    data = raw
                else:
                    data = text.encode("utf-8")
            else:
                new = _clean(text, options, cleaner, result, record, one_line=True)
                data = raw if new == text and decoded.encoding == "utf-8" else new.encode("utf-8")
            stats.changed += data is not raw and data != raw
        except RecordError as exc:
            message = f"{batch.file}:{line_no}: {exc}"
            stats.errors[_reason(str(exc))] += 1
            stats.failed += 1
            if options.on_error == "fail":
                stats.skipped += 1
                result.error = message
                break
            if options.on_error == "skip":
                stats.skipped += 1
                result.bad.append((record, "skipped", message))
                continue
            stats.kept += 1
            result.bad.append((record, "kept", message))
            data = raw
        stats.records_out += 1
        out.append(data + term)
    result.out = b"".join(out)
    stats.bytes_out += len(result.out)


def _process_block(batch: Batch, options: Options, cleaner: Cleaner, result: BatchResult) -> None:
    stats = result.stats
    stats.bytes_in += len(batch.data)
    try:
        if batch.too_long:
            raise RecordError(
                f"no line break in {options.max_record_bytes} bytes (--max-record-bytes)"
            )
        decoded = decode(batch.data, batch.encoding or options.encoding)
        stats.encodings[decoded.encoding] += 1
        result.chars = len(decoded.text)
        new = _clean(decoded.text, options, cleaner, result, 0)
        result.out = batch.data if new == decoded.text and decoded.encoding == "utf-8" \
            else new.encode("utf-8")
        result.changed = result.out != batch.data
    except RecordError as exc:
        message = f"{batch.file}:{_block_line(batch, exc)}: {exc}"
        stats.errors[_reason(str(exc))] += 1
        if options.on_error == "fail":
            result.error = message
        elif options.on_error == "skip":
            result.bad.append((0, "skipped", message))
        else:
            result.bad.append((0, "kept", message))
            result.out = batch.data
    stats.bytes_out += len(result.out)


def _block_line(batch: Batch, exc: RecordError) -> int:
    """The file line of a decoding error inside a ``txt`` block."""
    m = re.search(r"at byte (\d+)", str(exc))
    if m is None:
        return batch.first_line
    return batch.first_line + batch.data.count(b"\n", 0, int(m.group(1)))


def _reason(message: str) -> str:
    """A short error class for the report's counts ("invalid UTF-8", "missing field"...)."""
    for prefix in (
        "invalid", "malformed JSON", "record is not a JSON object", "missing field",
        "line over", "no line break", "binary file", "vntext failed", "invalid text",
    ):
        if message.startswith(prefix):
            return message.split(" at ")[0] if prefix == "invalid" else prefix
    if message.startswith("field ") and "not a string" in message:
        return "field not a string"
    if message.startswith("field "):
        return "field not an object"
    return message
