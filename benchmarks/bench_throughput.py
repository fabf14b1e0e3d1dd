"""Throughput of vntext's steps and full pipeline beside its peers, in one run.

Usage (from the project root)::

    python benchmarks/bench_throughput.py \\
        --baomoi ../shared/data/news/baomoi/baomoi.txt \\
        --viwiki ../shared/data/typos/viwiki-spelling/spelling_test.jsonl \\
        --peer-python /path/to/peers-venv/bin/python

With ``--cli-mb N`` (default 100; 0 skips it) the ``vntext clean`` command is
timed too, as a subprocess on a JSONL file of the same documents repeated to
N MB, with ``-j 1`` and ``-j 2`` (``--cli-jobs``); the ``-j 1`` run's peak RSS
is the main process's ``VmHWM``, from its ``--report``. ``--rss-mb M`` adds
one more ``-j 1`` run on an M MB file, for peak RSS on a large input.

Each registered step is timed alone (``Config().with_steps(only=[step])``),
then the full default pipeline, on the same list of documents. Peers
(``unicodedata.normalize``, ``ftfy.fix_text``, underthesea's
``text_normalize`` with its default tokenizer and with ``tokenizer="space"``)
run in ``--peer-python`` (a separate virtual environment, since they are never
vntext dependencies) on the same documents, written to a temporary JSONL file.
Figures are MB/s of UTF-8 input, best of ``--repeat``.

``--floor`` also times one bare scan per default step (see :func:`floor_rows`):
what the pipeline could reach if each step did nothing but the one pass over
the text it cannot avoid, the ceiling of a design in Python over ``re``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import news_documents

import vntext
from vntext.pipeline import REGISTRY

PEER_SCRIPT = r"""
import json, sys, time
docs = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
repeat = int(sys.argv[3])
name = sys.argv[2]
if name == "unicodedata.normalize NFC":
    import unicodedata
    f = lambda t: unicodedata.normalize("NFC", t)
elif name == "ftfy.fix_text":
    import ftfy
    f = ftfy.fix_text
elif name == "underthesea.text_normalize":
    from underthesea import text_normalize
    f = text_normalize
elif name == "underthesea.text_normalize(space)":
    from underthesea import text_normalize
    f = lambda t: text_normalize(t, tokenizer="space")
else:
    raise SystemExit("unknown peer " + name)
best = 1e9
for _ in range(repeat):
    t0 = time.perf_counter()
    for d in docs:
        f(d)
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"mbps": size / best}))
"""

#: underthesea twice: its default tokenizer (a regex word tokenizer, about 1 MB/s
#: here) and ``tokenizer="space"`` (splits on spaces only, about ten times faster;
#: it cannot separate punctuation from words, so it normalises fewer tokens).
PEERS = (
    "unicodedata.normalize NFC",
    "ftfy.fix_text",
    "underthesea.text_normalize",
    "underthesea.text_normalize(space)",
)


def floor_rows(docs: list[str], repeat: int) -> list[tuple[str, float]]:
    """What pure Python can reach: one C-level scan per default step, with no logic.

    Each default step needs at least one pass over the whole text to find the
    places it must look at; here each such pass runs alone, with nothing done
    at what it finds. The passes are the steps' own (the expression ``tones``
    compiles, the scans ``whitespace`` and ``typos`` start with) or the
    cheapest C primitive that does that step's minimum (``unicodedata2``'s NFC
    check, ``str.splitlines`` for ``captions``, which must look at each line,
    one character-class scan for ``encodings``). The sum of their costs is a
    ceiling for a pipeline written in Python over ``re``: the figure any
    design of these six steps stays below without compiled code of its own.
    """
    import re

    import unicodedata2

    from vntext import tones, typos, whitespace

    plain = re.compile(r"[^\n -~\u00c0-\u00c3\u00c8-\u00ca\u00cc\u00cd\u00d2-\u00d5"
                       r"\u00d9\u00da\u00dd\u00e0-\u00e3\u00e8-\u00ea\u00ec\u00ed"
                       r"\u00f2-\u00f5\u00f9\u00fa\u00fd\u0102\u0103\u0110\u0111"
                       r"\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9"
                       r"\u2013\u2014\u2018\u2019\u201c\u201d\u2026]")
    style = tones._scanner(vntext.Config().tone_style)
    doubled = typos._function_duplicates()[0]
    scans: list[tuple[str, Callable[[str], object]]] = [
        ("encodings: one scan for a character outside Vietnamese text", plain.search),
        ("unicode: NFC check (unicodedata2)", lambda t: unicodedata2.normalize("NFC", t)),
        ("captions: str.splitlines", str.splitlines),
        ("tones: its compiled scan", lambda t: style.search(" " + t + " ")),
        ("typos: its scan for a doubled grammatical word", doubled.search),
        ("whitespace: its scan for a space before a defect", whitespace._SPACE_BEFORE.search),
    ]
    rows = [(f"floor {name}", timed(fn, docs, repeat)) for name, fn in scans]
    rows.append(("floor: the six scans together (1 / sum of 1 / MB/s)",
                 1 / sum(1 / mbps for _, mbps in rows)))
    return rows


def timed(fn: Callable[[str], object], docs: list[str], repeat: int) -> float:
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for d in docs:
            fn(d)
        best = min(best, time.perf_counter() - t0)
    return size / best


def write_jsonl(docs: list[str], path: Path, mb: float) -> float:
    """Write ``docs`` as JSONL records, repeated until the file holds ``mb`` MB."""
    blob = "".join(
        json.dumps({"id": i, "text": d, "source": "bench"}, ensure_ascii=False) + "\n"
        for i, d in enumerate(docs)
    ).encode("utf-8")
    written = 0
    with open(path, "wb") as fh:
        while written < mb * 1e6:
            fh.write(blob)
            written += len(blob)
    return written / 1e6


def run_cli(corpus: Path, out: Path, jobs: int) -> tuple[float, float, float, dict[str, float]]:
    """Wall seconds, peak RSS (MB) of the main process, MB/s and CPU seconds (of the
    main process and of the workers, from ``--report``) of one ``vntext clean``."""
    report = out.with_suffix(".report.json")
    cmd = [sys.executable, "-m", "vntext", "clean", str(corpus), "-o", str(out),
           "-j", str(jobs), "--no-progress", "-q", "--report", str(report)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=Path(__file__).resolve().parent.parent)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    data = json.loads(report.read_text())
    # the report's VmHWM: wait4's ru_maxrss would include this benchmark's memory,
    # inherited by the child between fork and exec
    rss = data["peak_rss_mb"] or usage.ru_maxrss / 1024
    return seconds, rss, corpus.stat().st_size / 1e6 / seconds, data["cpu_seconds"]


def cli_rows(docs: list[str], mb: float, jobs: list[int], rss_mb: float
             ) -> tuple[list[tuple[str, float]], list[str]]:
    """Throughput of ``vntext clean`` at each ``-j``, and notes on speed-up and memory."""
    rows: list[tuple[str, float]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="vntext-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        size = write_jsonl(docs, corpus, mb)
        notes.append(f"CLI corpus: {size:.1f} MB of JSONL ({len(docs)} documents repeated)")
        by_jobs: dict[int, float] = {}
        cpu_total: dict[int, float] = {}
        for j in jobs:
            load = os.getloadavg()[0]
            seconds, rss, mbps, cpu = run_cli(corpus, Path(tmp) / "out.jsonl", j)
            by_jobs[j] = mbps
            cpu_total[j] = cpu["main"] + cpu["workers"]
            rows.append((f"vntext clean -j {j} (CLI, jsonl)", mbps))
            notes.append(f"vntext clean -j {j}: {seconds:.1f} s wall; CPU {cpu['main']:.1f} s "
                         f"main + {cpu['workers']:.1f} s workers; peak RSS of the main process "
                         f"{rss:.0f} MB; load average before {load:.1f}")
            if j > 1:
                # on j idle cores the wall time is bounded by the busiest process
                ideal = max(cpu["main"], cpu_total[j] / j)
                notes.append(f"  -j {j} on {j} idle cores (from CPU time): about "
                             f"{size / ideal:.1f} MB/s")
        if 1 in by_jobs:
            for j, mbps in by_jobs.items():
                if j != 1:
                    notes.append(f"speed-up -j {j} / -j 1, wall clock: {mbps / by_jobs[1]:.2f}x; "
                                 f"CPU time -j {j} / -j 1: {cpu_total[j] / cpu_total[1]:.2f}x")
        if rss_mb:
            corpus.unlink()
            size = write_jsonl(docs, corpus, rss_mb)
            seconds, rss, mbps, _ = run_cli(corpus, Path(tmp) / "out.jsonl", 1)
            notes.append(f"vntext clean -j 1 on {size:.0f} MB: {seconds:.0f} s, {mbps:.1f} MB/s, "
                         f"peak RSS {rss:.0f} MB")
    return rows, notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--baomoi", required=True, help="news/baomoi/baomoi.txt")
    ap.add_argument("--viwiki", help="typos/viwiki-spelling/spelling_test.jsonl")
    ap.add_argument("--mb", type=float, default=12.0, help="corpus size in MB (repeats the docs)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer-python", help="python of a venv with ftfy and underthesea")
    ap.add_argument("--steps", help="comma-separated steps to time alone (default: all)")
    ap.add_argument("--cli-mb", type=float, default=100.0,
                    help="size of the JSONL file for the CLI runs (0: skip them)")
    ap.add_argument("--cli-jobs", default="1,2", help="-j values for the CLI runs")
    ap.add_argument("--rss-mb", type=float, default=0.0,
                    help="also run -j 1 on a file this large, for peak RSS")
    ap.add_argument("--typo-levels", default="",
                    help="comma-separated typo_threshold levels to time the typos step at too "
                         "(e.g. thorough,aggressive)")
    ap.add_argument("--floor", action="store_true",
                    help="also time one bare scan per default step: the pure-Python ceiling")
    args = ap.parse_args()

    base = news_documents(args.baomoi, args.viwiki)
    base_mb = sum(len(d.encode("utf-8")) for d in base) / 1e6
    docs = base * max(1, round(args.mb / base_mb))
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"corpus: {len(docs)} documents, {size:.1f} MB (python {sys.version.split()[0]})")
    rows: list[tuple[str, float]] = []

    steps = args.steps.split(",") if args.steps else list(REGISTRY)
    for step in steps:
        cleaner = vntext.Cleaner(vntext.Config().with_steps(only=[step]))
        cleaner(docs[0])  # load data outside the timing
        rows.append((f"vntext step {step}", timed(cleaner, docs, args.repeat)))
    default = vntext.Cleaner()
    default(docs[0])
    rows.append((f"vntext default pipeline ({','.join(default.config.steps)})",
                 timed(default, docs, args.repeat)))
    for level in filter(None, args.typo_levels.split(",")):
        cleaner = vntext.Cleaner(vntext.Config(typo_threshold=level).with_steps(only=["typos"]))
        cleaner(docs[0])
        rows.append((f"vntext step typos at {level}", timed(cleaner, docs, args.repeat)))

    if args.floor:
        rows += floor_rows(docs, args.repeat)

    notes: list[str] = []
    if args.cli_mb > 0:
        more, notes = cli_rows(base, args.cli_mb, [int(j) for j in args.cli_jobs.split(",")],
                               args.rss_mb)
        rows += more

    if args.peer_python:
        with tempfile.NamedTemporaryFile(
            "w", suffix=".jsonl", delete=False, encoding="utf-8"
        ) as fh:
            for d in docs:
                fh.write(json.dumps({"text": d}, ensure_ascii=False) + "\n")
        for peer in PEERS:
            proc = subprocess.run(
                [args.peer_python, "-c", PEER_SCRIPT, fh.name, peer, str(args.repeat)],
                capture_output=True, text=True,
            )
            if proc.returncode != 0:
                print(f"{peer}: failed: {proc.stderr.strip().splitlines()[-1:]}")
                continue
            rows.append((peer, json.loads(proc.stdout.strip().splitlines()[-1])["mbps"]))
        Path(fh.name).unlink()

    width = max(len(r[0]) for r in rows)
    full = rows[len(steps)][1]
    print(f"{'':{width}}      MB/s   default/peer")
    for name, mbps in rows:
        ratio = f"{full / mbps:8.2f}x" if not name.startswith(("vntext", "floor")) else ""
        print(f"{name:{width}} {mbps:9.1f} {ratio}")
    peers = [(n, m) for n, m in rows if n.startswith(("ftfy.", "underthesea."))]
    mine = [(n, m) for n, m in rows if n.startswith(("vntext default", "vntext clean"))]
    if peers and mine:
        print("\nratios (vntext / peer):")
        for name, mbps in mine:
            short = [(pn.replace(".text_normalize", "").replace(".fix_text", ""), p)
                     for pn, p in peers]
            print(f"  {name:{width}} " + "  ".join(f"{mbps / p:6.2f}x {pn}" for pn, p in short))
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
