"""The ``vntext`` command: ``clean``, ``explain``, ``steps`` and ``demo``.

``clean`` streams files of any size through the pipeline: inputs are cut
into batches of raw bytes (:mod:`vntext.io`), cleaned by ``-j N`` worker
processes that each build the :class:`~vntext.pipeline.Cleaner` once, and
written back in input order to temporary files that are renamed only when
complete. Every record is accounted for: the report always satisfies
``records in = records out + skipped``.

Every :class:`~vntext.config.Config` field becomes a flag (``tone_style`` ->
``--tone-style``) with its choices or bounds, so a new step or option is on
the command line as soon as it is in the config.

Exit codes: 0 success; 1 some records or files failed, or the run stopped;
2 usage error; 130 interrupted (SIGINT or SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import glob
import importlib
import itertools
import json
import os
import re
import signal
import sys
import tempfile
import time
import traceback
import unicodedata
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from typing import IO, Any

from vntext import __version__
from vntext import io as vio
from vntext.config import PRESETS, Config
from vntext.pipeline import Cleaner, step_infos
from vntext.trace import Change, Cleaned

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad arguments: reported in one line, exit code 2."""


class Stop(Exception):
    """``--on-error fail`` met a bad record or file: exit code 1."""


class Interrupted(Exception):
    """SIGINT or SIGTERM: exit code 130."""


# -- arguments -----------------------------------------------------------------


def _option_help() -> dict[str, str]:
    """Help text for each Config field, from the ``- ``name``: text`` lines of its docstring."""
    doc = Config.__doc__ or ""
    found = re.finditer(r"^\s*- ``(\w+)``: (.+?)(?=^\s*- ``|^\s*$)", doc, re.M | re.S)
    return {m.group(1): " ".join(m.group(2).split()) for m in found}


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _add_config_flags(parser: argparse.ArgumentParser) -> None:
    """``--preset``, ``--config``, step switches and one flag per Config option."""
    group = parser.add_argument_group("pipeline")
    group.add_argument("--preset", choices=list(PRESETS), help="start from a named option set")
    group.add_argument("--config", metavar="FILE", help="TOML file of options (over the preset)")
    steps = ", ".join(Config.step_names())
    group.add_argument("--only", action="append", default=[], metavar="STEP[,STEP]",
                       help=f"run only these steps ({steps})")
    group.add_argument("--enable", action="append", default=[], metavar="STEP",
                       help="switch a step on (repeatable)")
    group.add_argument("--disable", action="append", default=[], metavar="STEP",
                       help="switch a step off (repeatable)")
    helps = _option_help()
    for f in dataclasses.fields(Config):
        choices: tuple[str, ...] = f.metadata.get("choices", ())
        bounds = f.metadata.get("bounds")
        if f.metadata.get("step") and not choices:
            continue  # a plain on/off step: --enable/--disable
        flag = "--" + f.name.replace("_", "-")
        default = f.default
        if default is dataclasses.MISSING and f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        text = helps.get(f.name, "")
        shown = "" if "default" in text else f" (default: {default!r})"
        kw: dict[str, Any] = {"dest": "cfg_" + f.name, "default": None}
        if choices and f.metadata.get("multiple"):
            kw.update(metavar=",".join(choices), help=f"{text} (comma-separated){shown}")
        elif choices:
            kw.update(choices=list(choices), help=f"{text}{shown}")
        elif isinstance(default, bool):
            kw.update(action=argparse.BooleanOptionalAction, help=f"{text}{shown}")
        elif bounds is not None or isinstance(default, (int, float)):
            kind = int if isinstance(default, int) and not isinstance(default, bool) else float
            span = f"; {bounds[0]} to {bounds[1]}" if bounds else ""
            kw.update(type=kind, metavar="N", help=f"{text} (default: {default}{span})")
        elif isinstance(default, (tuple, list)):
            kw.update(type=_csv, metavar="A,B", help=f"{text} (comma-separated){shown}")
        else:
            kw.update(metavar="VALUE", help=f"{text}{shown}")
        group.add_argument(flag, **kw)


def _cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vntext",
        description="Clean Vietnamese text scraped from the web, and explain every edit.",
        epilog="Exit codes: 0 success, 1 records failed or run stopped, 2 usage error, "
        "130 interrupted.",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"vntext {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    clean = sub.add_parser("clean", help="clean files or stdin", allow_abbrev=False,
                           description="Clean txt, lines or jsonl inputs (optionally compressed).")
    clean.add_argument("inputs", nargs="*", metavar="INPUT",
                       help="files, directories (with -r) or globs; '-' or nothing: stdin")
    clean.add_argument("-o", "--output", metavar="OUT",
                       help="output file, or directory mirroring the inputs; '-': stdout "
                       "(default)")
    clean.add_argument("--format", choices=vio.FORMATS,
                       help="record format (default: from the extension; txt otherwise)")
    clean.add_argument("--field", default="text", metavar="PATH",
                       help="jsonl: dotted path of the field to clean (default: text)")
    clean.add_argument("-r", "--recursive", action="store_true",
                       help="read the files under directory inputs")
    clean.add_argument("--in-place", action="store_true", help="replace each input by its output")
    clean.add_argument("--backup", metavar="SUFFIX",
                       help="with --in-place: keep the original as INPUT+SUFFIX")
    clean.add_argument("-j", "--jobs", type=int, default=_cores(), metavar="N",
                       help="worker processes (default: all cores)")
    clean.add_argument("--encoding", default="auto", choices=sorted(vio.DECODERS),
                       help="how input bytes are decoded: auto detects UTF-8 or a legacy "
                       "Vietnamese encoding once per file, from its first batch (default: auto)")
    clean.add_argument("--on-error", choices=("fail", "skip", "keep"), default="fail",
                       help="bad record: stop (default), drop it, or pass it through unchanged")
    clean.add_argument("--max-record-bytes", type=int, default=64 << 20, metavar="N",
                       help="longest line accepted (default: 64 MB)")
    clean.add_argument("--trace", metavar="FILE", help="JSONL of every change, per record")
    clean.add_argument("--removed", metavar="FILE", help="JSONL of every removed line")
    clean.add_argument("--report", metavar="FILE", help="JSON report of the run")
    clean.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="progress bar on stderr (default: when stderr is a terminal)")
    clean.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    _add_config_flags(clean)

    explain = sub.add_parser("explain", help="show every change made to a text",
                             allow_abbrev=False)
    explain.add_argument("text", metavar="TEXT", help="the text, or '-' to read stdin")
    _add_config_flags(explain)

    sub.add_parser("steps", help="list the steps, their defaults and the options")

    demo = sub.add_parser("demo", help="clean a built-in sample scrape, before and after",
                          allow_abbrev=False)
    _add_config_flags(demo)

    detect = sub.add_parser("detect", help="detect each file's encoding and count mojibake",
                            allow_abbrev=False)
    detect.add_argument("files", nargs="+", metavar="FILE")
    detect.add_argument("--encoding", default="auto", choices=sorted(vio.DECODERS),
                        help="force an encoding instead of detecting it (default: auto)")
    detect.add_argument("--json", action="store_true", help="one JSON object per file")

    lexicon = sub.add_parser("lexicon", help="build syllable statistics from your corpus",
                             allow_abbrev=False)
    lexicon_sub = lexicon.add_subparsers(dest="lexicon_command", metavar="ACTION")
    lexicon_sub.required = True
    build = lexicon_sub.add_parser(
        "build", allow_abbrev=False,
        help="count syllables and bigrams in CORPUS files (txt/jsonl, compressed) for --lexicon",
    )
    build.add_argument("corpus", nargs="+", metavar="CORPUS", help="files, or '-' for stdin")
    build.add_argument("-o", "--output", required=True, metavar="FILE")
    build.add_argument("--field", default="text", help="JSONL field holding the text")
    build.add_argument("--min-count", type=int, default=2, metavar="N",
                       help="drop entries seen fewer than N times (default: 2)")
    return parser


def _detect(args: argparse.Namespace, out: IO[str]) -> int:
    """``vntext detect``: encoding, confidence and mojibake spans per file."""
    from vntext.detect import detect_report

    status = EXIT_OK
    for path in args.files:
        try:
            report = detect_report(path, "auto" if args.encoding == "auto" else args.encoding)
        except OSError as exc:
            sys.stderr.write(f"vntext detect: {path}: {exc.strerror or exc}\n")
            status = EXIT_FAILED
            continue
        if args.json:
            out.write(json.dumps(report, ensure_ascii=False) + "\n")
            continue
        spans = report["mojibake"]
        assert isinstance(spans, dict)
        found = ", ".join(f"{rule} {n}" for rule, n in spans.items()) or "none"
        out.write(
            f"{path}: {report['encoding']} (confidence {report['confidence']}); "
            f"mojibake spans: {found}\n"
        )
    return status


def _lexicon(args: argparse.Namespace, out: IO[str]) -> int:
    """``vntext lexicon build``: counts for ``--lexicon``."""
    from vntext.lexicon import build_lexicon

    if args.min_count < 1:
        raise UsageError("--min-count must be at least 1")
    for path in args.corpus:
        if path != "-" and not os.path.isfile(path):
            raise UsageError(f"{path}: no such file")
    rows = build_lexicon(args.corpus, args.output, field=args.field, min_count=args.min_count)
    out.write(f"wrote {rows} entries to {args.output}\n")
    return EXIT_OK


def _read_toml(path: str) -> dict[str, Any]:
    """The options in a TOML file (top level, ``[vntext]`` or ``[tool.vntext]``)."""
    try:
        with open(path, "rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"--config {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"--config {path}: not valid TOML: {exc}") from None
    tool = data.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("vntext"), dict):
        return dict(tool["vntext"])
    if isinstance(data.get("vntext"), dict):
        return dict(data["vntext"])
    return data


def build_config(args: argparse.Namespace) -> Config:
    """Preset, then config file, then flags: each overrides the one before."""
    file_options = _read_toml(args.config) if args.config else {}
    preset = args.preset or file_options.pop("preset", None) or "default"
    file_options.pop("preset", None)
    try:
        config = Config.preset(preset)
    except ValueError as exc:
        raise UsageError(f"--config {args.config}: {exc}") from None
    if file_options:
        try:
            config = Config.from_dict(file_options, base=config)
        except ValueError as exc:
            raise UsageError(f"--config {args.config}: {exc}") from None
    flags = {
        name[4:]: value
        for name, value in vars(args).items()
        if name.startswith("cfg_") and value is not None
    }
    only = [s for v in args.only for s in _csv(v)]
    try:
        config = config.replace(**flags)
        return config.with_steps(
            only=only or None,
            enable=[s for v in args.enable for s in _csv(v)],
            disable=[s for v in args.disable for s in _csv(v)],
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None


# -- explain, steps, demo --------------------------------------------------------


def show(text: str) -> str:
    """``text`` quoted, with invisible and combining characters spelled as escapes.

    >>> print(show("Vie\\u0302\\u0323t\\u00a0Nam\\n"))
    "Vie\\u0302\\u0323t\\u00a0Nam\\n"
    >>> print(show("Việt"))
    "Việt"
    """
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch != " " and unicodedata.category(ch) in {"Mn", "Me", "Cf", "Cc", "Zs", "Zl",
                                                         "Zp", "Co", "Cn"}:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def change_table(changes: Sequence[Change]) -> str:
    """A readable table of ``changes`` (positions index the text each step received).

    >>> print(change_table([Change("tones", "misplaced", 0, 3, "Qúa", "Quá")]))
    step   rule       position  before → after
    tones  misplaced  0-3       "Qúa" → "Quá"
    """
    rows = [("step", "rule", "position", "before → after")]
    for c in changes:
        label = f"  [{c.label}]" if c.label else ""
        conf = f"  ({c.confidence:.2f})" if c.confidence != 1.0 else ""
        rows.append((c.step, c.rule, f"{c.start}-{c.end}",
                     f"{show(c.before)} → {show(c.after)}{label}{conf}"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(
        f"{r[0]:{widths[0]}}  {r[1]:{widths[1]}}  {r[2]:{widths[2]}}  {r[3]}".rstrip()
        for r in rows
    )


def _counts_line(cleaned: Cleaned) -> list[str]:
    return [
        f"  {step}: " + ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items()))
        for step, rules in cleaned.counts().items()
    ]


def _explain(args: argparse.Namespace, out: IO[str]) -> int:
    config = build_config(args)
    text = sys.stdin.read() if args.text == "-" else args.text
    cleaned = Cleaner(config).explain(text)
    if cleaned.changes:
        out.write(change_table(cleaned.changes) + "\n")
        out.write("positions index the text each step received\n\n")
    else:
        out.write("no changes\n\n")
    out.write(f"output: {show(cleaned.text)}\n")
    return EXIT_OK


def _steps(out: IO[str]) -> int:
    infos = step_infos()
    width = max(len(i.name) for i in infos)
    defaults = [str(i.default).lower() if isinstance(i.default, bool) else str(i.default)
                for i in infos]
    dwidth = max(len(d) for d in defaults)
    out.write("Steps, in pipeline order (default setting, what it does):\n")
    for info, default in zip(infos, defaults, strict=True):
        out.write(f"  {info.name:{width}}  {default:{dwidth}}  {info.summary}\n")
    options = [f for f in dataclasses.fields(Config)
               if f.name not in {i.name for i in infos} and not f.metadata.get("step")]
    if options:
        rows = [(f"--{f.name.replace('_', '-')}", _default_text(f), _allowed_text(f))
                for f in options]
        w0, w1 = (max(len(r[i]) for r in rows) for i in (0, 1))
        out.write("\nOptions (flag, default, allowed values):\n")
        for flag, default, allowed in rows:
            out.write(f"  {flag:{w0}}  {default:{w1}}  {allowed}".rstrip() + "\n")
    out.write("\nPresets: " + ", ".join(PRESETS) + "\n")
    return EXIT_OK


def _default_text(f: dataclasses.Field[Any]) -> str:
    if f.default is dataclasses.MISSING:
        return "(computed)"
    if isinstance(f.default, bool):
        return str(f.default).lower()
    return "none" if f.default in (None, "") else str(f.default)


def _allowed_text(f: dataclasses.Field[Any]) -> str:
    choices = f.metadata.get("choices") or ()
    bounds = f.metadata.get("bounds")
    if choices and f.metadata.get("multiple"):
        return "comma-separated, from " + ", ".join(choices)
    if choices:
        return "|".join(choices)
    if bounds:
        return f"{bounds[0]} to {bounds[1]}"
    if isinstance(f.default, bool):
        return "true|false"
    return "a string"


def sample_text() -> str:
    """The built-in raw scrape that ``vntext demo`` cleans."""
    return (resources.files("vntext") / "data" / "sample_scrape.txt").read_text("utf-8")


def _demo(args: argparse.Namespace, out: IO[str]) -> int:
    config = build_config(args)
    raw = sample_text()
    cleaned = Cleaner(config).explain(raw)
    rule = "─" * 72
    out.write(f"{rule}\nBEFORE (vntext/data/sample_scrape.txt, a raw scrape)\n{rule}\n")
    out.write(raw if raw.endswith("\n") else raw + "\n")
    out.write(f"{rule}\nAFTER (steps: {', '.join(config.steps)})\n{rule}\n")
    out.write(cleaned.text if cleaned.text.endswith("\n") else cleaned.text + "\n")
    out.write(f"{rule}\n{len(cleaned.changes)} changes by step and rule:\n")
    out.write("\n".join(_counts_line(cleaned)) + "\n")
    removed = cleaned.removed_lines
    if removed:
        out.write(f"{len(removed)} lines removed:\n")
        for c in removed:
            out.write(f"  [{c.label}] {c.rule}: {show(c.before.strip(chr(10)))}\n")
    out.write("Run `vntext explain TEXT` to see each change with its position.\n")
    return EXIT_OK


# -- clean: inputs and outputs ---------------------------------------------------


@dataclass
class Source:
    """One input: a file or stdin, with where its output goes."""

    path: str
    rel: str
    fmt: str
    error: str | None = None
    size: int | None = None
    out: str | None = None  # per-file output path; None: the shared sink


def _resolve_inputs(args: argparse.Namespace) -> list[Source]:
    names = args.inputs or ["-"]
    if names.count("-") > 1:
        raise UsageError("stdin ('-') can be read only once")
    found: list[tuple[str, str | None, str | None]] = []  # path, root dir, error
    for name in names:
        if name == "-":
            found.append(("-", None, None))
        elif os.path.isdir(name):
            if not args.recursive:
                raise UsageError(f"{name} is a directory (use -r to read the files under it)")
            files = []
            for root, dirs, fnames in os.walk(name):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files += [os.path.join(root, f) for f in fnames if not f.startswith(".")]
            found += [(f, name, None) for f in sorted(files)]
        elif os.path.exists(name) or not glob.has_magic(name):
            found.append((name, None, None if os.path.exists(name) else "no such file"))
        else:
            matches = sorted(m for m in glob.glob(name, recursive=True) if os.path.isfile(m))
            if not matches:
                found.append((name, None, "no file matches this pattern"))
            found += [(m, None, None) for m in matches]
    loose = [os.path.dirname(os.path.abspath(p)) for p, root, _ in found if p != "-" and not root]
    common = os.path.commonpath(loose) if loose else ""
    sources = []
    for path, root, error in found:
        if path == "-":
            rel = "stdin"
        elif root is not None:
            rel = os.path.relpath(path, root)
        else:
            rel = os.path.relpath(os.path.abspath(path), common)
        fmt = args.format or vio.format_for(path)
        src = Source(path, rel, fmt, error)
        if error is None and path != "-":
            try:
                src.size = os.path.getsize(path)
                if not os.access(path, os.R_OK):
                    src.error = "permission denied"
            except OSError as exc:
                src.error = exc.strerror or str(exc)
        sources.append(src)
    return sources


def _plan_outputs(args: argparse.Namespace, sources: list[Source]) -> str | None:
    """Set each source's output; return the shared output path (None: stdout)."""
    inputs = {os.path.realpath(s.path) for s in sources if s.path != "-"}
    if args.backup and not args.in_place:
        raise UsageError("--backup needs --in-place")
    if args.in_place:
        if args.output:
            raise UsageError("--in-place and -o cannot be used together")
        if any(s.path == "-" for s in sources):
            raise UsageError("--in-place needs files, not stdin")
        for s in sources:
            s.out = s.path
        return None
    out = args.output
    if out in (None, "-"):
        shared = None
    elif (os.path.isdir(out) or out.endswith(os.sep) or
          (args.recursive and any(os.path.isdir(n) for n in args.inputs))):
        if any(s.path == "-" for s in sources):
            raise UsageError("an output directory needs file inputs, not stdin")
        for s in sources:
            s.out = os.path.join(out, s.rel)
            if os.path.realpath(s.out) in inputs:
                raise UsageError(f"refusing to overwrite the input {s.path} (use --in-place)")
        return None
    else:
        shared = out
        if os.path.realpath(out) in inputs:
            raise UsageError(f"refusing to overwrite the input {out} (use --in-place)")
    for extra in (args.trace, args.removed, args.report):
        if extra and os.path.realpath(extra) in inputs:
            raise UsageError(f"refusing to overwrite the input {extra}")
    return shared


class _TextWriter:
    """Bytes written to a text stream without a binary buffer (doctest, notebooks)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


def _stdout() -> vio.Writer:
    sys.stdout.flush()
    buffer: vio.Writer | None = getattr(sys.stdout, "buffer", None)
    return buffer if buffer is not None else _TextWriter(sys.stdout)


class _Sink:
    """Where one file's (or all files') output goes: a temporary file or stdout."""

    def __init__(self, path: str | None, mode_from: str | None = None,
                 backup: str | None = None) -> None:
        self.atomic = vio.AtomicOutput(path, mode_from, backup) if path else None
        self.stream: vio.Writer = self.atomic.stream if self.atomic else _stdout()

    def write(self, data: bytes) -> None:
        if data:
            self.stream.write(data)

    def commit(self) -> None:
        if self.atomic:
            self.atomic.commit()
        else:
            self.stream.flush()

    def abort(self) -> None:
        if self.atomic:
            self.atomic.abort()
        else:
            with contextlib.suppress(Exception):
                self.stream.flush()


# -- clean: the run ----------------------------------------------------------------


@dataclass
class _Doc:
    """State of the ``txt`` document (or the file) being written."""

    src: Source
    sink: _Sink | None = None
    spool: IO[bytes] | None = None
    index: int = -1
    chars: int = 0
    blocks: int = 0
    changed: bool = False
    skipped: bool = False
    kept: bool = False
    pending_trace: str | None = None


@dataclass
class _Run:
    args: argparse.Namespace
    options: vio.Options
    stats: vio.Stats = field(default_factory=vio.Stats)
    records: int = 0
    files_in: int = 0
    files_failed: int = 0
    empty_files: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    trace: vio.AtomicOutput | None = None
    removed: vio.AtomicOutput | None = None
    shared: _Sink | None = None
    progress: Any = None
    cpu_start: tuple[float, float] = (0.0, 0.0)

    def note(self, message: str) -> None:
        self.messages.append(message)
        if len(self.messages) <= 20:
            sys.stderr.write(f"vntext: {message}\n")
        elif len(self.messages) == 21:
            sys.stderr.write("vntext: more errors follow; see the report for counts\n")


class _PrefixedStream:
    """A stream with some bytes already read put back in front."""

    def __init__(self, head: bytes, stream: vio.Reader) -> None:
        self.head = head
        self.stream = stream

    def read(self, n: int = -1) -> bytes:
        if self.head:
            if n < 0:
                n = len(self.head)
            data, self.head = self.head[:n], self.head[n:]
            return data
        return self.stream.read(n)

    def close(self) -> None:
        self.stream.close()


_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, ValueError)


def _events(run: _Run, sources: list[Source]) -> Iterator[tuple[str, Source, Any]]:
    """Events in output order, each ``(kind, source, payload)``.

    Kinds: "open", "batch" (a :class:`vio.Batch`), "raw" (bytes of a bad file
    kept as they are), "binary" and "error" (a message), "close".
    """
    opts = run.options
    for src in sources:
        if src.error:
            yield "error", src, f"{src.path}: cannot read: {src.error}"
            continue
        yield "open", src, None
        try:
            stream = vio.open_input(src.path)
            try:
                head = stream.read(8192)
                nul = head.find(b"\0")
                if nul >= 0:
                    yield "binary", src, f"{src.path}:1: binary file (NUL byte at offset {nul})"
                    if opts.on_error == "keep":
                        chunk = head
                        while chunk:
                            yield "raw", src, chunk
                            chunk = stream.read(1 << 20)
                    yield "close", src, None
                    continue
                if not head:
                    run.empty_files.append(src.path)
                reader = _PrefixedStream(head, stream)
                encoding = ""
                for batch in vio.read_batches(reader, src.path, src.fmt, opts.max_record_bytes):
                    if opts.encoding == "auto":
                        # One encoding per file, judged on its first batch.
                        encoding = encoding or vio.file_encoding(batch.data)
                        batch = dataclasses.replace(batch, encoding=encoding)
                    yield "batch", src, batch
            finally:
                if src.path != "-":
                    stream.close()
        except _READ_ERRORS as exc:
            yield "error", src, f"{src.path}: cannot read: {exc}"
        yield "close", src, None


def _results(run: _Run, sources: list[Source], jobs: int
             ) -> Generator[tuple[str, Source, Any, vio.BatchResult | None], None, None]:
    """Run the batches (in workers when ``jobs > 1``) and yield results in order."""
    events: Iterator[tuple[str, Source, Any]] = _events(run, sources)
    head: list[tuple[str, Source, Any]] = []
    if jobs > 1:  # workers only pay off from the second batch on
        for event in events:
            head.append(event)
            if sum(e[0] == "batch" for e in head) >= 2:
                break
        else:
            jobs = 1
    events = itertools.chain(head, events)
    if jobs <= 1:
        vio.init_worker(run.options)
        for kind, src, payload in events:
            yield kind, src, payload, vio.process_batch(payload) if kind == "batch" else None
        return
    window = 3 * jobs
    vio.init_worker(run.options)  # load the step data once: forked workers inherit it
    pool = ProcessPoolExecutor(jobs, initializer=_init_pool_worker, initargs=(run.options,))
    pending: deque[tuple[str, Source, Any, Future[vio.BatchResult] | None]] = deque()
    in_flight = 0
    try:
        for kind, src, payload in events:
            fut = pool.submit(vio.process_batch, payload) if kind == "batch" else None
            in_flight += fut is not None
            pending.append((kind, src, payload, fut))
            while pending and (in_flight > window or pending[0][3] is None
                               or pending[0][3].done()):
                k, s, p, f = pending.popleft()
                if f is not None:
                    in_flight -= 1
                yield k, s, p, f.result() if f is not None else None
        while pending:
            k, s, p, f = pending.popleft()
            yield k, s, p, f.result() if f is not None else None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _init_pool_worker(options: vio.Options) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what to do
    vio.init_worker(options)


def _open(run: _Run, src: Source) -> _Doc:
    doc = _Doc(src)
    run.files_in += 1
    if src.out is not None:
        doc.sink = _Sink(src.out, mode_from=src.path if run.args.in_place else None,
                         backup=run.args.backup)
    else:
        doc.sink = run.shared
    if src.fmt == "txt" and run.options.on_error == "skip":
        doc.spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)  # noqa: SIM115
    return doc


def _unreadable(run: _Run, message: str, doc: _Doc | None) -> None:
    """A path that cannot be read (or fails mid-way): stop, or note it and go on."""
    run.stats.errors["unreadable file"] += 1
    if run.options.on_error == "fail":
        raise Stop(message)
    run.files_failed += 1
    if doc is not None and doc.blocks:
        run.note(f"{message} (what was read before it was cleaned and written)")
    else:
        run.note(f"{message} (skipped: nothing could be read)")


def _binary(run: _Run, message: str, doc: _Doc) -> None:
    """A binary file is one bad record: stop, skip it, or copy it as it is."""
    run.stats.errors["binary file"] += 1
    if run.options.on_error == "fail":
        raise Stop(message)
    run.files_failed += 1
    run.stats.records_in += 1
    run.stats.failed += 1
    run.records += 1
    if run.options.on_error == "keep":
        run.stats.kept += 1
        run.stats.records_out += 1
        run.note(f"{message} (kept unchanged)")
    else:
        run.stats.skipped += 1
        doc.skipped = True
        run.note(f"{message} (skipped)")


def _write(doc: _Doc, data: bytes) -> None:
    if doc.spool is not None:
        doc.spool.write(data)
    elif doc.sink is not None:
        doc.sink.write(data)


def _close(run: _Run, doc: _Doc) -> None:
    stats = run.stats
    if doc.src.fmt == "txt" and doc.blocks:
        if doc.pending_trace is not None:
            _trace_line(run, f'{{"index": {doc.index}, "changes": {doc.pending_trace}}}')
        if doc.skipped:
            stats.skipped += 1
            stats.failed += 1
        else:
            stats.records_out += 1
            stats.kept += doc.kept
            stats.failed += doc.kept
            stats.changed += doc.changed and not doc.kept
    if doc.spool is not None:
        if not doc.skipped and doc.sink is not None:
            doc.spool.seek(0)
            while chunk := doc.spool.read(1 << 20):
                doc.sink.write(chunk)
        doc.spool.close()
    if doc.sink is not None and doc.sink is not run.shared:
        if doc.skipped:
            doc.sink.abort()
        else:
            doc.sink.commit()


def _trace_line(run: _Run, line: str) -> None:
    if run.trace is not None:
        run.trace.stream.write((line + "\n").encode("utf-8"))


def _consume(run: _Run, doc: _Doc, batch: vio.Batch, res: vio.BatchResult) -> None:
    run.stats.add(res.stats)
    src = doc.src
    if src.fmt == "txt":
        _consume_block(run, doc, batch, res)
        return
    base = run.records
    run.records += res.stats.records_in
    entries: dict[int, str] = {i: f'"changes": {js}' for i, js in res.trace}
    for i, action, message in res.bad:
        run.note(f"{message} ({action})")
        entries[i] = f'"changes": [], "error": {vio.dumps_line(message)}, ' \
                     f'"action": "{action}"'
    if run.trace is not None:
        for i in sorted(entries):
            _trace_line(run, f'{{"index": {base + i}, {entries[i]}}}')
    for i, line, change in res.removed:
        _removed_line(run, base + i, src.path, line, change)
    _write(doc, res.out)
    if res.error:
        raise Stop(res.error)


def _consume_block(run: _Run, doc: _Doc, batch: vio.Batch, res: vio.BatchResult) -> None:
    if doc.blocks == 0:
        doc.index = run.records
        run.records += 1
        run.stats.records_in += 1
    doc.blocks += 1
    if res.error:
        raise Stop(res.error)
    for _, action, message in res.bad:
        run.note(f"{message} ({action}: the whole document)" if action == "skipped"
                 else f"{message} (kept unchanged: this block)")
        doc.skipped |= action == "skipped"
        doc.kept |= action == "kept"
    doc.changed |= res.changed
    if run.trace is not None:
        for _, js in res.trace or [(0, "[]")]:
            if doc.pending_trace is not None:
                _trace_line(run, f'{{"index": {doc.index}, "block": 0, "offset": 0, '
                                 f'"changes": {doc.pending_trace}}}')
                doc.pending_trace = None
            if batch.block == 0:
                doc.pending_trace = js
            else:
                _trace_line(run, f'{{"index": {doc.index}, "block": {batch.block}, '
                                 f'"offset": {doc.chars}, "changes": {js}}}')
    for _, line, change in res.removed:
        _removed_line(run, doc.index, doc.src.path, batch.first_line + line - 1, change)
    doc.chars += res.chars
    if not doc.skipped:
        _write(doc, res.out)


def _removed_line(run: _Run, index: int, path: str, line: int, change: Change) -> None:
    if run.removed is None:
        return
    entry = {"index": index, "file": path, "line": line, "class": change.label,
             "rule": change.rule, "text": change.before.strip("\r\n")}
    run.removed.stream.write((vio.dumps_line(entry) + "\n").encode("utf-8"))


def _progress(run: _Run, sources: list[Source]) -> Any:
    enabled = run.args.progress
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    try:
        tqdm = importlib.import_module("tqdm").tqdm
    except ImportError:
        return None
    sizes = [s.size for s in sources if not s.error]
    known = all(s is not None for s in sizes) and not any(
        vio.compression_for(s.path) for s in sources)
    return tqdm(total=sum(s or 0 for s in sizes) if known else None, unit="B",
                unit_scale=True, unit_divisor=1000, file=sys.stderr, desc="vntext",
                dynamic_ncols=True)


def _clean(args: argparse.Namespace) -> int:
    config = build_config(args)
    if args.jobs < 1:
        raise UsageError("-j must be at least 1")
    if args.max_record_bytes < 1:
        raise UsageError("--max-record-bytes must be at least 1")
    if args.format != "jsonl" and args.field != "text" and not any(
            vio.format_for(n) == "jsonl" for n in args.inputs):
        raise UsageError("--field applies to jsonl input only")
    sources = _resolve_inputs(args)
    shared_path = _plan_outputs(args, sources)
    paths = [s.path for s in sources] + [s.out or "" for s in sources] + [shared_path or ""]
    if any(vio.compression_for(p) == "zstd" for p in paths):
        try:
            import zstandard  # noqa: F401
        except ImportError:
            raise UsageError(".zst files need the zstandard package: "
                             "pip install 'vntext[zstd]'") from None
    options = vio.Options(
        config=config, field=tuple(args.field.split(".")), encoding=args.encoding,
        on_error=args.on_error, max_record_bytes=args.max_record_bytes,
        explain=bool(args.report or args.trace or args.removed or not args.quiet),
        trace=bool(args.trace), removed=bool(args.removed),
    )
    run = _Run(args, options)
    bad_paths = [s for s in sources if s.error]
    if bad_paths and args.on_error == "fail":
        s = bad_paths[0]
        sys.stderr.write(f"vntext: {s.path}: cannot read: {s.error}\n")
        _finish(run, "stopped", 0.0)
        return EXIT_FAILED
    t0 = time.perf_counter()
    run.cpu_start = _cpu()
    status, code = "ok", EXIT_OK
    doc: _Doc | None = None
    results: Generator[tuple[str, Source, Any, vio.BatchResult | None], None, None] | None = None
    previous = signal.getsignal(signal.SIGTERM)
    in_main_thread = _main_thread()
    if in_main_thread:
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        run.shared = _Sink(shared_path)
        run.trace = vio.AtomicOutput(args.trace) if args.trace else None
        run.removed = vio.AtomicOutput(args.removed) if args.removed else None
        run.progress = _progress(run, sources)
        results = _results(run, sources, max(1, min(args.jobs, 64)))
        for kind, src, payload, res in results:
            if kind == "open":
                doc = _open(run, src)
            elif kind == "batch":
                assert doc is not None and res is not None
                _consume(run, doc, payload, res)
                if run.progress is not None:
                    run.progress.update(res.stats.bytes_in)
                    run.progress.set_postfix(records=run.stats.records_in, refresh=False)
            elif kind == "error":
                _unreadable(run, payload, doc)
            elif kind == "binary":
                assert doc is not None
                _binary(run, payload, doc)
            elif kind == "raw":  # a bad file kept as it is
                assert doc is not None
                run.stats.bytes_in += len(payload)
                run.stats.bytes_out += len(payload)
                _write(doc, payload)
            else:
                assert doc is not None
                _close(run, doc)
                doc = None
        run.shared.commit()
        for extra in (run.trace, run.removed):
            if extra is not None:
                extra.commit()
        if run.stats.failed or run.files_failed:
            code = EXIT_FAILED
    except Stop as exc:
        sys.stderr.write(f"vntext: {exc}\n")
        on_stdout = doc is not None and doc.sink is not None and doc.sink.atomic is None
        sys.stderr.write("vntext: stopped (--on-error fail); " + (
            "what was already written to stdout is incomplete\n" if on_stdout
            else "no output was written for this file\n"))
        status, code = "stopped", EXIT_FAILED
    except BrokenPipeError:  # e.g. `vntext clean big.jsonl | head`
        _silence_stdout()
        sys.stderr.write("vntext: the output pipe was closed; stopped\n")
        status, code = "stopped", EXIT_FAILED
    except (KeyboardInterrupt, Interrupted):
        sys.stderr.write("\nvntext: interrupted; unfinished outputs were removed\n")
        status, code = "interrupted", EXIT_INTERRUPTED
    except Exception:
        sys.stderr.write(traceback.format_exc())
        sys.stderr.write("vntext: internal error; unfinished outputs were removed\n")
        status, code = "crashed", EXIT_FAILED
    finally:
        if results is not None:
            results.close()  # stop the workers before reporting
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
        if run.progress is not None:
            run.progress.close()
        if code not in (EXIT_OK, EXIT_FAILED) or status != "ok":
            _abort(run, doc)
    _finish(run, status, time.perf_counter() - t0)
    return code


def _abort(run: _Run, doc: _Doc | None) -> None:
    if doc is not None:
        if doc.spool is not None:
            doc.spool.close()
        if doc.sink is not None and doc.sink is not run.shared:
            doc.sink.abort()
    for out in (run.shared, run.trace, run.removed):
        if out is not None:
            out.abort()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit does not raise again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _on_sigterm(signum: int, frame: object) -> None:
    raise Interrupted()


def _cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process and by its finished children (the workers)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows has no getrusage
        return time.process_time(), 0.0
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def _peak_rss_mb() -> float | None:
    """Peak resident memory of this process (Linux ``VmHWM``), or None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _finish(run: _Run, status: str, seconds: float) -> None:
    """Write ``--report`` and the summary on stderr."""
    s = run.stats
    mb = s.bytes_in / 1e6
    steps: dict[str, dict[str, int]] = {}
    for (step, rule), n in sorted(s.rules.items()):
        steps.setdefault(step, {})[rule] = n
    report = {
        "status": status,
        "vntext": __version__,
        "config": run.options.config.to_dict(),
        "jobs": run.args.jobs,
        "files": {"in": run.files_in, "failed": run.files_failed, "empty": run.empty_files},
        "records": {"in": s.records_in, "out": s.records_out, "changed": s.changed,
                    "skipped": s.skipped, "kept": s.kept, "failed": s.failed},
        "removed_lines": s.removed_lines,
        "changes": {"total": sum(s.rules.values()), "steps": steps},
        "bytes": {"in": s.bytes_in, "out": s.bytes_out},
        "encodings": dict(s.encodings),
        "errors": dict(s.errors),
        "error_messages": run.messages[:100],
        "seconds": round(seconds, 3),
        "cpu_seconds": {k: round(v - s0, 3) for k, v, s0 in
                        zip(("main", "workers"), _cpu(), run.cpu_start, strict=True)},
        "mb_per_s": round(mb / seconds, 2) if seconds > 0 else None,
        "peak_rss_mb": _peak_rss_mb(),
    }
    if run.args.report:
        try:
            out = vio.AtomicOutput(run.args.report)
            out.stream.write((json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode())
            out.commit()
        except OSError as exc:
            sys.stderr.write(f"vntext: cannot write the report: {exc}\n")
    if run.args.quiet:
        return
    lines = [
        f"{s.records_in:,} records in, {s.records_out:,} out ({s.changed:,} changed), "
        f"{s.skipped:,} skipped, {s.kept:,} kept as they were, {s.failed:,} failed; "
        f"{s.removed_lines:,} lines removed",
        f"{mb:,.1f} MB in, {s.bytes_out / 1e6:,.1f} MB out in {seconds:.2f} s"
        + (f" ({mb / seconds:,.1f} MB/s)" if seconds > 0 else "")
        + (f"; encodings: {', '.join(f'{k} {v:,}' for k, v in s.encodings.items())}"
           if s.encodings else ""),
    ]
    for step, rules in steps.items():
        top = sorted(rules.items(), key=lambda kv: -kv[1])
        shown = ", ".join(f"{rule} {n:,}" for rule, n in top[:6])
        more = f", +{len(top) - 6} more rules" if len(top) > 6 else ""
        lines.append(f"  {step} {sum(rules.values()):,}: {shown}{more}")
    if run.files_failed:
        lines.append(f"{run.files_failed} files could not be read")
    sys.stderr.write("".join(f"vntext: {line}\n" for line in lines))


# -- entry point -------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``vntext`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    out = sys.stdout
    try:
        if args.command == "clean":
            return _clean(args)
        if args.command == "explain":
            return _explain(args, out)
        if args.command == "steps":
            return _steps(out)
        if args.command == "detect":
            return _detect(args, out)
        if args.command == "lexicon":
            return _lexicon(args, out)
        return _demo(args, out)
    except UsageError as exc:
        sys.stderr.write(f"vntext {args.command}: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stderr.close()
        return EXIT_FAILED
