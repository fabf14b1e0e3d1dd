"""Evaluate the ``abbreviations`` step on the shared data (never shipped, never read by tests).

Usage::

    python benchmarks/eval_abbreviations.py \\
        --modern ../shared/data/news/modern-dev \\
        --mined ../shared/data/abbreviations/mined_in_context_baomoi.tsv \\
        --baomoi ../shared/data/news/baomoi/baomoi.txt [--sample 200]

Reports:

1. modern-dev ``acronyms.jsonl``: accuracy on ``expand: true`` occurrences
   (overall, and outside photo credits and bylines, which the step leaves
   alone by design) and the wrong-expansion rate on ``expand: false`` ones and
   on ``allcaps_negatives.jsonl``;
2. the mined in-text definitions: how later mentions in the same article
   are expanded;
3. coverage on baomoi: share of all-caps tokens expanded, kept by the
   do-not-expand list (or as Roman numerals), left (ambiguous, credits) or
   unknown, with the most frequent unknown ones;
4. a deterministic sample of expansions on baomoi with context, to check by hand.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import read_baomoi, read_jsonl

from vntext.abbreviations import (
    _CANDIDATE,
    _is_roman,
    _key,
    expand_abbreviations,
    keep_list,
    load_dictionary,
)
from vntext.trace import Change


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).lower()
    s = re.split(r" \(| —", s)[0]
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def _covering(changes: list[Change], start: int, end: int) -> Change | None:
    for c in changes:
        if c.start < end and start < c.end:
            return c
    return None


def eval_modern(folder: Path) -> None:
    docs = {d["id"]: str(d["text"]) for d in read_jsonl(folder / "docs.jsonl")}
    traces: dict[str, list[Change]] = {}
    for doc_id, text in docs.items():
        changes: list[Change] = []
        expand_abbreviations(text, changes=changes)
        traces[doc_id] = changes
    pos = {"ok": 0, "n": 0, "ok_body": 0, "n_body": 0}
    neg = {"wrong": 0, "n": 0}
    misses = []
    for item in read_jsonl(folder / "acronyms.jsonl"):
        doc, token, off = str(item["doc"]), str(item["token"]), int(item["offset"])  # type: ignore[call-overload]
        text = docs[doc]
        if text[off : off + len(token)] != token:
            found = text.find(token, max(0, off - 20))
            off = found if found >= 0 else off
        change = _covering(traces[doc], off, off + len(token))
        credit = item["line_label"] in ("caption", "byline")
        if item["expand"]:
            pos["n"] += 1
            pos["n_body"] += not credit
            ok = change is not None and _norm(str(item["expansion"])) in _norm(change.after)
            pos["ok"] += ok
            pos["ok_body"] += ok and not credit
            if not ok:
                misses.append((token, item["expansion"], change.after if change else "-",
                               item["line_label"], str(item["context"]).replace("\n", " ")))
        else:
            neg["n"] += 1
            if change is not None:
                neg["wrong"] += 1
                misses.append((token, "(keep)", change.after, item["line_label"], item["context"]))
    allcaps = {"wrong": 0, "n": 0}
    for item in read_jsonl(folder / "allcaps_negatives.jsonl"):
        doc, token, off = str(item["doc"]), str(item["token"]), int(item["offset"])  # type: ignore[call-overload]
        allcaps["n"] += 1
        change = _covering(traces[doc], off, off + len(token))
        if change is not None:
            allcaps["wrong"] += 1
            misses.append((token, "(not an acronym)", change.after, "", item["context"]))
    print("== modern-dev acronyms.jsonl")
    print(f"expand:true accuracy {pos['ok']}/{pos['n']} = {pos['ok'] / pos['n']:.1%}; "
          f"outside captions/bylines {pos['ok_body']}/{pos['n_body']} = "
          f"{pos['ok_body'] / pos['n_body']:.1%}")
    rate = neg["wrong"] / neg["n"]
    print(f"expand:false wrongly expanded {neg['wrong']}/{neg['n']} = {rate:.1%}")
    print(f"allcaps_negatives wrongly expanded {allcaps['wrong']}/{allcaps['n']} = "
          f"{allcaps['wrong'] / allcaps['n']:.1%}")
    for m in misses:
        print("  miss:", " | ".join(str(x) for x in m))


def eval_mined(path: Path, articles: list[str]) -> None:
    later = expanded = right = 0
    defs_found = 0
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        src = row["first_source"]
        if not src.startswith("baomoi.txt#"):
            continue
        text = articles[int(src.split("#")[1])]
        abbr, expansion = row["abbr"], row["expansion_in_text"]
        definition = f"{expansion} ({abbr})"
        at = text.find(definition)
        if at < 0:
            continue
        defs_found += 1
        changes: list[Change] = []
        expand_abbreviations(text, changes=changes)
        for m in re.finditer(rf"(?<![\w.]){re.escape(abbr)}(?![\w])", text):
            if m.start() <= at + len(definition):
                continue
            if text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")":
                continue
            later += 1
            c = _covering(changes, m.start(), m.end())
            if c is not None:
                expanded += 1
                right += c.rule == "document-definition" and _norm(c.after) == _norm(expansion)
    print("== mined in-text definitions (baomoi rows)")
    print(f"definitions found in their article: {defs_found}; later mentions {later}; "
          f"expanded {expanded}; with the document's own expansion {right}")


def eval_coverage(articles: list[str], sample: int) -> None:
    dictionary = load_dictionary()
    keep = keep_list()
    counts: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    left: Counter[str] = Counter()
    expansions: list[tuple[str, Change]] = []
    for text in articles:
        changes: list[Change] = []
        expand_abbreviations(text, changes=changes)
        expansions.extend((text, c) for c in changes)
        for m in _CANDIDATE.finditer(text):
            token = m.group()
            key = _key(token)
            c = _covering(changes, m.start(), m.end())
            if c is not None:
                counts["expanded"] += 1
            elif key in keep or _is_roman(key) or any(p in keep for p in key.split("-")):
                counts["kept"] += 1
            elif key in dictionary or all(p in dictionary for p in key.split("-")):
                counts["left"] += 1
                left[token] += 1
            else:
                counts["unknown"] += 1
                unknown[token] += 1
    total = sum(counts.values())
    print("== baomoi coverage (all-caps candidate tokens)")
    for k in ("expanded", "kept", "left", "unknown"):
        print(f"{k:9} {counts[k]:6} {counts[k] / total:.1%}")
    print("left (in the dictionary, not expanded):", left.most_common(25))
    print("50 most frequent unknown:", unknown.most_common(50))
    print(f"== sample of {sample} expansions out of {len(expansions)} (every k-th)")
    step = max(1, len(expansions) // sample)
    for text, c in expansions[::step][:sample]:
        ctx = (text[max(0, c.start - 40) : c.start] + "[" + c.before + "→" + c.after + "]"
               + text[c.end : c.end + 30]).replace("\n", " ")
        print(f"  {c.rule:28} {ctx}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modern", type=Path, required=True)
    parser.add_argument("--mined", type=Path, required=True)
    parser.add_argument("--baomoi", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    articles = [f"{a['title']}\n{a['content']}" for a in read_baomoi(args.baomoi)]
    eval_modern(args.modern)
    eval_mined(args.mined, articles)
    eval_coverage(articles, args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
