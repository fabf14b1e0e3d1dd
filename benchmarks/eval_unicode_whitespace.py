"""What the ``unicode`` and ``whitespace`` steps change on real scraped text.

Usage (from the project root)::

    python benchmarks/eval_unicode_whitespace.py \\
        --baomoi ../shared/data/news/baomoi/baomoi.txt --articles 200 \\
        --modern-dev ../shared/data/news/modern-dev [--list]

Prints the number of changes per step and rule on the first ``--articles``
baomoi articles and on the modern-dev documents (``--list`` prints every
change with its context, to check by eye for false positives), and how many
of the modern-dev annotated ``spacing`` and ``U+00D0`` defects the two steps
fix (the annotated span comes out as the annotated correction).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import read_baomoi, read_jsonl

from vntext import Config, clean, clean_and_explain

STEPS = Config().with_steps(only=["unicode", "whitespace"])


def report(name: str, docs: list[str], show: bool) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    for i, doc in enumerate(docs):
        result = clean_and_explain(doc, STEPS)
        text = doc
        for step in ("unicode", "whitespace"):
            changes = [c for c in result.changes if c.step == step]
            for c in changes:
                counts[(c.step, c.rule)] += 1
                if show:
                    ctx = text[max(0, c.start - 30) : c.end + 30]
                    print(f"{name}[{i}] {c.step}/{c.rule}: {c.before!r} -> {c.after!r} | {ctx!r}")
            text = clean(text, Config().with_steps(only=[step]))
    print(f"== {name}: {len(docs)} documents")
    for (step, rule), n in sorted(counts.items()):
        print(f"  {step:10} {rule:26} {n:6}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--baomoi", required=True)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--modern-dev", required=True, help="folder news/modern-dev")
    ap.add_argument("--list", action="store_true", help="print every change with context")
    args = ap.parse_args()

    articles = read_baomoi(args.baomoi)[: args.articles]
    report("baomoi", [f"{a['title']}\n{a['content']}" for a in articles], args.list)
    folder = Path(args.modern_dev)
    docs = {str(d["id"]): str(d["text"]) for d in read_jsonl(folder / "docs.jsonl")}
    report("modern-dev", list(docs.values()), args.list)

    kinds: Counter[str] = Counter()
    fixed: Counter[str] = Counter()
    for t in read_jsonl(folder / "typos.jsonl"):
        kind = str(t["kind"])
        if kind not in ("spacing", "U+00D0"):
            continue
        kinds[kind] += 1
        context, wrong, right = str(t["context"]), str(t["wrong"]), str(t["right"])
        out = clean(context, STEPS)
        ok = right in out and (wrong not in out or wrong in right)
        fixed[kind] += ok
        print(f"  {kind}: {wrong!r} -> {right!r}: {'fixed' if ok else 'not fixed'}")
    for kind in sorted(kinds):
        print(f"modern-dev typos {kind}: {fixed[kind]}/{kinds[kind]} fixed")
    if not kinds:
        print("modern-dev typos: no spacing/U+00D0 annotations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
