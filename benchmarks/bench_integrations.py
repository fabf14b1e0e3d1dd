"""What per-rule statistics cost, and what a worker process holds in memory.

Usage (from the project root)::

    python benchmarks/bench_integrations.py \\
        --baomoi ../shared/data/news/baomoi/baomoi.txt [--engines]

Every adapter runs ``Cleaner.__call__`` when no statistics are asked for and
``Cleaner.explain(text).counts()`` (plus :func:`count_records`) when they
are, so the in-process figures below are the per-core cost difference
whatever engine runs them (CPU time, so that other jobs on the machine do
not skew it). ``--engines`` also times ``datasets.map`` with ``num_proc=1``
with and without a counts column (wall time: the engine's own overhead on
top). Memory is the peak RSS of a fresh process that imports vntext,
builds the default cleaner and cleans one document of every kind (so every
step's data is loaded), against a process that only starts Python.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import news_documents

from vntext import Cleaner, Config
from vntext.integrations import count_records

# VmHWM, not ru_maxrss: the latter survives exec and would report the
# parent's peak.
RSS = """
{body}
print(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
"""


def best_of(
    repeat: int, *fns: Callable[[], object], clock: Callable[[], float] = time.process_time
) -> list[float]:
    """Best time of each function, runs interleaved.

    CPU time (the default clock) and interleaving keep the comparison fair
    on a machine shared with other jobs, where load drifts during the run.
    """
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = clock()
            fn()
            best[i] = min(best[i], clock() - t0)
    return best


def peak_rss_mb(body: str) -> float:
    root = str(Path(__file__).resolve().parent.parent)
    out = subprocess.run(
        [sys.executable, "-c", RSS.format(body=body)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baomoi", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--engines", action="store_true")
    args = ap.parse_args()

    docs = news_documents(args.baomoi)
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    cleaner = Cleaner(Config())
    for d in docs:  # load data, warm caches
        cleaner.explain(d)
    print(f"corpus: {len(docs)} documents, {mb:.1f} MB; steps: {[s.name for s in cleaner.steps]}")

    plain, counted = best_of(
        args.repeat,
        lambda: [cleaner(d) for d in docs],
        lambda: [count_records(cleaner.explain(d).counts()) for d in docs],
    )
    print(f"clean only           {mb / plain:8.1f} MB/s")
    print(f"clean + rule counts  {mb / counted:8.1f} MB/s  ({counted / plain - 1:+.0%} CPU time)")

    base = peak_rss_mb("")
    with_cleaner = peak_rss_mb(
        "import vntext\n"
        "c = vntext.Cleaner()\n"
        "c.explain('Vie\\u0302\\u0323t  Nam, H\\u00e0\\u00a0N\\u1ed9i.\\n\\u1ea2nh: TTXVN')"
    )
    engines = peak_rss_mb("import pandas, pyarrow")
    print(
        f"peak RSS: python {base:.0f} MB; with vntext's default cleaner {with_cleaner:.0f} MB; "
        f"(for scale: python + pandas + pyarrow {engines:.0f} MB)"
    )

    if args.engines:
        import datasets

        from vntext.integrations.hf import clean_dataset

        datasets.disable_caching()
        ds = datasets.Dataset.from_dict({"text": docs})
        without, with_counts = best_of(
            args.repeat,
            lambda: clean_dataset(ds, num_proc=1),
            lambda: clean_dataset(ds, counts_column="n", num_proc=1),
            clock=time.perf_counter,  # map may run in a worker process
        )
        print(f"datasets.map, no counts  {mb / without:8.1f} MB/s (wall)")
        print(f"datasets.map, counts     {mb / with_counts:8.1f} MB/s (wall)")


if __name__ == "__main__":
    main()
