"""Throughput of vntext's steps and full pipeline beside its peers, in one run.

Usage (from the project root)::

    python benchmarks/bench_throughput.py \\
        --baomoi ../shared/data/news/baomoi/baomoi.txt \\
        --viwiki ../shared/data/typos/viwiki-spelling/spelling_test.jsonl \\
        --peer-python /path/to/peers-venv/bin/python

Each registered step is timed alone (``Config().with_steps(only=[step])``),
then the full default pipeline, on the same list of documents. Peers
(``unicodedata.normalize``, ``ftfy.fix_text``, underthesea's
``text_normalize``) run in ``--peer-python`` (a separate virtual environment,
since they are never vntext dependencies) on the same documents, written to a
temporary JSONL file. Figures are MB/s of UTF-8 input, best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import json
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

PEERS = ("unicodedata.normalize NFC", "ftfy.fix_text", "underthesea.text_normalize")


def timed(fn: Callable[[str], object], docs: list[str], repeat: int) -> float:
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for d in docs:
            fn(d)
        best = min(best, time.perf_counter() - t0)
    return size / best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--baomoi", required=True, help="news/baomoi/baomoi.txt")
    ap.add_argument("--viwiki", help="typos/viwiki-spelling/spelling_test.jsonl")
    ap.add_argument("--mb", type=float, default=12.0, help="corpus size in MB (repeats the docs)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer-python", help="python of a venv with ftfy and underthesea")
    ap.add_argument("--steps", help="comma-separated steps to time alone (default: all)")
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

    if args.peer_python:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
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
        ratio = f"{full / mbps:8.2f}x" if not name.startswith("vntext") else ""
        print(f"{name:{width}} {mbps:9.1f} {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
