"""Evaluate the ``tones`` step on real data (never shipped, never read by tests).

Usage (from the project root)::

    python benchmarks/eval_tones.py \\
        --tn-rules ../shared/data/typos/underthesea-tn-rules/tn_rules_2023_07_14.json \\
        --viwiki-flat ../shared/data/typos/viwiki-spelling/viwiki_mistakes_flat.tsv \\
        --viwiki ../shared/data/typos/viwiki-spelling/spelling_test.jsonl \\
        --baomoi ../shared/data/news/baomoi/baomoi.txt \\
        --peer-python /path/to/peers-venv/bin/python

Reports:

1. agreement with underthesea's ``text_normalize`` token table in the
   classic style, with every disagreement and its reason;
2. recall and wrong changes on the ``tone-placement`` rows of the Viwiki
   spelling data, changes on its other rows, and changes the step makes
   in the Viwiki documents away from any annotated mistake;
3. changes on baomoi by rule, with a sample to read;
4. speed of ``normalize_tones`` beside underthesea's ``text_normalize`` on the
   same documents in the same run;
5. with ``--compare-with REV`` (a git revision), whether ``normalize_tones``
   gives byte-identical text and identical changes to the ``vntext/tones.py``
   of that revision on every document given, in every style, and the speed of
   both in the same run (a rewrite for speed must change no output).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import news_documents, read_viwiki

from vntext.syllable import parse, split, strip_tone, style_of
from vntext.tones import fix_token, normalize_tones
from vntext.trace import Change

PEER = r"""
import json, sys, time
from underthesea import text_normalize
docs = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
best = 1e9
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    for d in docs:
        text_normalize(d)
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"mbps": size / best}))
"""


def _bare(word: str) -> str:
    """Letters without tone marks and lowercase: what a tone fix may not change."""
    return strip_tone(word.lower())


def tn_rules(path: str) -> None:
    table: dict[str, str] = json.loads(Path(path).read_text(encoding="utf-8"))["token"]
    agree = 0
    reasons: Counter[str] = Counter()
    rows: list[tuple[str, str, str, str]] = []
    for wrong, right in table.items():
        fix = fix_token(wrong, "classic")
        ours = fix[0] if fix else wrong
        if ours == right:
            agree += 1
            continue
        if any(unicodedata.combining(ch) for ch in right):
            reason = "underthesea's target keeps a stray combining mark (not NFC text)"
        elif style_of(right) == "modern":
            reason = "underthesea's target is in the modern style (its table is not consistent)"
        elif _bare(wrong) != _bare(right):
            reason = "not a tone fix: letters change"
            if parse(right) is None:
                reason = "not a tone fix: letters change, and the target is not a syllable"
        elif parse(right) is None:
            reason = "target is not a valid syllable in our model"
        elif parse(wrong) is None and split(wrong) is None:
            reason = "input is not a syllable"
        elif fix is None and ours == wrong:
            reason = "left unchanged"
        else:
            reason = "different placement"
        reasons[reason] += 1
        rows.append((reason, wrong, right, ours))
    total = len(table)
    print(f"## underthesea tn_rules ({total} tokens), style classic")
    print(f"agree: {agree} ({agree / total:.1%})")
    for reason, n in reasons.most_common():
        print(f"  {n:5}  {reason}")
    print("disagreements (reason | input | underthesea | vntext):")
    for reason, wrong, right, ours in sorted(rows):
        print(f"  {reason} | {wrong} | {right} | {ours}")
    print()


def viwiki_rows(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    by_cat: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    tone_ok = tone_wrong = tone_missed = 0
    print("## Viwiki spelling rows")
    for row in rows:
        error, gold, cat = row["error"], row["gold"], row["category"]
        golds = {g.lower() for g in gold.split("|")}
        fix = fix_token(error, "classic")
        by_cat[cat] += 1
        if cat == "tone-placement":
            if fix and fix[0].lower() in golds:
                tone_ok += 1
            elif fix:
                tone_wrong += 1
                print(f"  WRONG tone-placement: {error} -> {fix[0]} (gold {gold})")
            else:
                tone_missed += 1
                print(f"  missed tone-placement: {error} (gold {gold})")
        elif fix:
            changed[cat] += 1
            verdict = "= gold" if fix[0].lower() in golds else "!= gold"
            print(
                f"  change on a {cat} row: {error} -> {fix[0]} ({fix[1]}; gold {gold}, {verdict})"
            )
    n = tone_ok + tone_wrong + tone_missed
    print(
        f"tone-placement rows: {n}; fixed to gold {tone_ok} (recall {tone_ok / n:.1%}), "
        f"wrong change {tone_wrong}, missed {tone_missed}"
    )
    print(f"changes on other rows: {dict(changed)} of {dict(by_cat)}")
    print()


def viwiki_documents(path: str, flat: str | None) -> None:
    docs = read_viwiki(path)
    marked: set[tuple[int, int]] = set()
    if flat:
        with open(flat, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["doc_id"]:
                    marked.add((int(row["doc_id"]), int(row["start_offset"])))
    counts: Counter[str] = Counter()
    away: list[str] = []
    for doc in docs:
        changes: list[Change] = []
        normalize_tones(str(doc["text"]), "classic", changes)
        for c in changes:
            counts[c.rule] += 1
            if c.rule != "style" and (int(str(doc.get("_id", -1))), c.start) not in marked:
                away.append(f"  {c.rule}: {c.before} -> {c.after}")
    print(f"## Viwiki documents ({len(docs)}): changes by rule {dict(counts)}")
    print(f"non-style changes away from an annotated mistake: {len(away)}")
    print("\n".join(sorted(away)))
    print()


def baomoi(path: str, sample: int) -> list[str]:
    docs = news_documents(path)
    counts: Counter[str] = Counter()
    seen: Counter[tuple[str, str, str]] = Counter()
    for doc in docs:
        changes: list[Change] = []
        normalize_tones(doc, "classic", changes)
        for c in changes:
            counts[c.rule] += 1
            seen[c.rule, c.before, c.after] += 1
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"## baomoi ({len(docs)} documents, {size:.1f} MB): changes by rule {dict(counts)}")
    for (rule, before, after), n in seen.most_common(sample):
        print(f"  {n:4}  {rule:9} {before} -> {after}")
    print()
    return docs


def speed(docs: list[str], peer_python: str | None, repeat: int) -> None:
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for d in docs:
            normalize_tones(d)
        best = min(best, time.perf_counter() - t0)
    print(f"## speed on {size:.1f} MB, best of {repeat}")
    print(f"vntext normalize_tones (classic): {size / best:8.1f} MB/s")
    if peer_python:
        with tempfile.NamedTemporaryFile(
            "w", suffix=".jsonl", delete=False, encoding="utf-8"
        ) as fh:
            for d in docs:
                fh.write(json.dumps({"text": d}, ensure_ascii=False) + "\n")
        proc = subprocess.run(
            [peer_python, "-c", PEER, fh.name, str(repeat)], capture_output=True, text=True
        )
        Path(fh.name).unlink()
        if proc.returncode:
            print(f"underthesea text_normalize: failed: {proc.stderr.strip()[-300:]}")
        else:
            mbps = json.loads(proc.stdout.strip().splitlines()[-1])["mbps"]
            print(f"underthesea text_normalize:       {mbps:8.1f} MB/s")


def compare_with(rev: str, docs: list[str], repeat: int) -> None:
    """Outputs and speed of ``normalize_tones`` here and in ``vntext/tones.py`` at ``rev``."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(
        ["git", "-C", str(root), "show", f"{rev}:vntext/tones.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tones_at_rev.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("tones_at_rev", path)
        assert spec and spec.loader
        old = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(old)
    print(f"## against vntext/tones.py at {rev} ({len(docs)} documents)")
    for style in ("classic", "modern", "keep"):
        differ = 0
        changes = 0
        for d in docs:
            new_changes: list[Change] = []
            old_changes: list[Change] = []
            new_text = normalize_tones(d, style, new_changes)
            old_text = old.normalize_tones(d, style, old_changes)
            changes += len(new_changes)
            if new_text != old_text or new_changes != old_changes:
                differ += 1
                if differ <= 5:
                    print(
                        f"  {style}: differs: {[c.before for c in new_changes]} "
                        f"vs {[c.before for c in old_changes]}"
                    )
        print(f"{style}: {differ} documents differ ({changes} changes in all)")
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    fns: dict[str, Callable[[str], str]] = {"this tree": normalize_tones, rev: old.normalize_tones}
    best = {name: float("inf") for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for d in docs:
                fn(d)
            best[name] = min(best[name], time.perf_counter() - t0)
    for name in fns:
        print(f"normalize_tones (classic), {name}: {size / best[name]:8.1f} MB/s")
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--tn-rules")
    ap.add_argument("--viwiki-flat")
    ap.add_argument("--viwiki")
    ap.add_argument("--baomoi")
    ap.add_argument("--peer-python")
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--compare-with", metavar="REV", help="git revision to compare outputs with")
    args = ap.parse_args()
    if args.tn_rules:
        tn_rules(args.tn_rules)
    if args.viwiki_flat:
        viwiki_rows(args.viwiki_flat)
    if args.viwiki:
        viwiki_documents(args.viwiki, args.viwiki_flat)
    if args.baomoi:
        docs = baomoi(args.baomoi, args.sample)
        speed(docs, args.peer_python, args.repeat)
        if args.compare_with:
            extra = [str(d["text"]) for d in read_viwiki(args.viwiki)] if args.viwiki else []
            compare_with(args.compare_with, docs + extra, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
