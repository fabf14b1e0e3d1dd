"""Evaluate the ``typos`` step beside underthesea's ``text_normalize``, in one run.

Usage (from the project root)::

    python benchmarks/eval_typos.py \\
        --viwiki ../shared/data/typos/viwiki-spelling/spelling_test.jsonl \\
        --categories ../shared/data/typos/viwiki-spelling/viwiki_mistakes_flat.tsv \\
        --modern-dev ../shared/data/news/modern-dev \\
        --baomoi ../shared/data/news/baomoi/baomoi.txt \\
        --peer-python /work/peers-venv/bin/python [--split tune|report] [--level safe]

Both systems are scored the same way: the words (``\\w+`` runs) of the input
and of the output are aligned with :mod:`difflib`; every changed region is a
change. A change inside an annotated mistake that turns it into one of its
suggestions is correct; any other change is a false alarm (an unannotated
real typo counts against the system too, so precision is a lower bound).
Viwiki documents 0-69 (file order) are the tuning split, 70-106 the report
split. Baomoi articles 500-999 were not used to build the bigram table; every
change there is listed (``--review FILE``) for reading.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import read_baomoi, read_jsonl, read_viwiki

from vntext import Cleaner, Config
from vntext.pipeline import REGISTRY

WORD = re.compile(r"\w+")
SYLLABLE = re.compile(r"[^\W\d_]+")

PEER = r"""
import json, sys
from underthesea import text_normalize
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.dumps(text_normalize(json.loads(line))), flush=True)
"""


def words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def diff_changes(before: str, after: str) -> list[tuple[int, int, list[str]]]:
    """Changed regions as (first input word, end input word, output words)."""
    a = [w for _, _, w in words(before)]
    b = [w for _, _, w in words(after)]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i1, i2, b[j1:j2]) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]


def score(
    text: str, output: str, mistakes: list[tuple[int, int, list[str], str]]
) -> tuple[Counter[str], Counter[str], list[tuple[str, str]]]:
    """(fixed per category, total per category, false alarms) for one document."""
    toks = words(text)
    spans = []
    for start, end, suggest, cat in mistakes:
        idx = [i for i, (s, e, _) in enumerate(toks) if s < end and e > start]
        if idx:
            spans.append((idx[0], idx[-1] + 1, suggest, cat))
    total = Counter(cat for *_, cat in spans)
    fixed: Counter[str] = Counter()
    false: list[tuple[str, str]] = []
    changes = diff_changes(text, output)
    used = set()
    for a, b, suggest, cat in spans:
        inside = [c for c in changes if c[0] >= a and c[1] <= b and (c[0] < b or c[0] == a)]
        if not inside:
            continue
        region = [w for _, _, w in toks[a:b]]
        out: list[str] = []
        pos = a
        for i1, i2, new in inside:
            out += region[pos - a : i1 - a] + new
            pos = i2
        out += region[pos - a :]
        ok = any(out == [w for w in WORD.findall(s)] for s in suggest)
        for c in inside:
            used.add(c[:2])
        if ok:
            fixed[cat] += 1
        else:
            false.append((" ".join(region), " ".join(out)))
    for i1, i2, new in changes:
        if (i1, i2) not in used:
            false.append((" ".join(w for _, _, w in toks[i1:i2]), " ".join(new)))
    return fixed, total, false


def underthesea(texts: list[str], peer_python: str) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(t) + "\n" for t in texts), encoding="utf-8")
        script = Path(tmp) / "peer.py"
        script.write_text(PEER, encoding="utf-8")
        out = subprocess.run(
            [peer_python, str(script), str(src)], capture_output=True, text=True, check=True
        ).stdout
    return [json.loads(line) for line in out.splitlines()]


def categories(path: str | None) -> dict[tuple[str, int], str]:
    if not path:
        return {}
    with open(path, encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {
            (r["doc_id"], int(r["start_offset"])): r["category"] or "?"
            for r in rows
            if (r.get("start_offset") or "").isdigit()
        }


def report(name: str, fixed: Counter[str], total: Counter[str], false: int, syllables: int) -> None:
    tp = sum(fixed.values())
    changes = tp + false
    p = tp / changes if changes else 1.0
    r = tp / max(1, sum(total.values()))
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"\n{name}: changes {changes}, correct {tp}, other {false}")
    print(f"  precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    rate = false / syllables * 1e4
    print(f"  changes outside annotated mistakes per 10,000 syllables: {rate:.2f}")
    for cat in sorted(total):
        rc = fixed[cat] / total[cat]
        print(f"  {cat:45s} fixed {fixed[cat]:4d}/{total[cat]:4d}  recall {rc:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--viwiki", required=True)
    ap.add_argument("--categories", help="viwiki_mistakes_flat.tsv")
    ap.add_argument("--modern-dev", help="news/modern-dev folder")
    ap.add_argument("--baomoi", help="news/baomoi/baomoi.txt (articles 500-999 are used)")
    ap.add_argument("--review", help="write every baomoi change here for reading")
    ap.add_argument("--peer-python", help="python with underthesea installed")
    ap.add_argument("--split", choices=("tune", "report"), default="report")
    ap.add_argument("--level", choices=("safe", "thorough", "aggressive"), default="safe")
    args = ap.parse_args()

    cats = categories(args.categories)
    docs = read_viwiki(args.viwiki)
    docs = docs[:70] if args.split == "tune" else docs[70:]
    config = Config().with_steps(only=["typos"]).replace(typo_threshold=args.level)
    cleaner = Cleaner(config)
    texts = [str(d["text"]) for d in docs]
    systems = {f"vntext typos ({args.level})": [cleaner(t) for t in texts]}
    if args.peer_python:
        systems["underthesea text_normalize"] = underthesea(texts, args.peer_python)
    syllables = sum(len(SYLLABLE.findall(t)) for t in texts)
    print(f"Viwiki {args.split} split: {len(docs)} documents, {syllables} syllables")
    for name, outputs in systems.items():
        fixed: Counter[str] = Counter()
        total: Counter[str] = Counter()
        false_n = 0
        examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for d, text, out in zip(docs, texts, outputs, strict=True):
            mistakes = []
            for m in d["mistakes"]:  # type: ignore[attr-defined]
                start = int(m["start_offset"])
                cat = cats.get((str(d["_id"]), start), "all")
                mistakes.append((start, start + len(m["text"]), m["suggest"], cat))
            f, t, false = score(text, out, mistakes)
            fixed += f
            total += t
            false_n += len(false)
            examples[name] += false
        report(name, fixed, total, false_n, syllables)
        if name.startswith("vntext"):
            print("  other changes:", "; ".join(f"{a}->{b}" for a, b in examples[name][:40]))

    if args.modern_dev:
        md = Path(args.modern_dev)
        texts_by_id = {str(d["id"]): str(d["text"]) for d in read_jsonl(md / "docs.jsonl")}
        steps = [s for s in REGISTRY if _importable(s)]
        full = Cleaner(Config().with_steps(only=steps).replace(typo_threshold=args.level))
        outs = {k: full(v) for k, v in texts_by_id.items()}
        print(f"\nmodern-dev typos.jsonl with steps {steps}:")
        kinds: Counter[str] = Counter()
        done: Counter[str] = Counter()
        for t in read_jsonl(md / "typos.jsonl"):
            text = texts_by_id[str(t["doc"])]
            off = int(t["offset"])  # type: ignore[call-overload]
            wrong = str(t["wrong"])
            f, _, _ = score(text, outs[str(t["doc"])], [(off, off + len(wrong), [t["right"]], "x")])
            kinds[str(t["kind"])] += 1
            done[str(t["kind"])] += f["x"]
            mark = "fixed" if f["x"] else "-"
            print(f"  {mark:5s} {t['kind']:22s} {wrong} -> {t['right']}")
        print("  per kind:", {k: f"{done[k]}/{n}" for k, n in kinds.items()})

    if args.baomoi:
        arts = read_baomoi(args.baomoi)[500:]
        texts = [f"{a['title']}\n{a['content']}" for a in arts]
        syl = sum(len(SYLLABLE.findall(t)) for t in texts)
        lines = []
        n = 0
        for i, t in enumerate(texts, 500):
            for c in cleaner.explain(t).changes:
                n += 1
                ctx = t[max(0, c.start - 30) : c.end + 30].replace("\n", " ")
                lines.append(
                    f"{i}\t{c.rule}\t{c.before!r}->{c.after!r}\t{c.confidence}\t{ctx}"
                )
        print(f"\nbaomoi articles 500-999: {n} changes in {syl} syllables "
              f"= {n / syl * 1e4:.2f} per 10,000 syllables")
        if args.review:
            Path(args.review).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _importable(step: str) -> bool:
    module = REGISTRY[step].partition(":")[0]
    try:
        __import__(module)
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
