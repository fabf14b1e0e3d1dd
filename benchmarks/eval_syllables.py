"""Compare the generated syllable inventory with published syllable lists.

Usage (from the project root)::

    python benchmarks/eval_syllables.py ../shared/data/lexicon

For each list in the folder (soe-vinorm, underthesea's lists, the g2p-hamster
frequency table) it prints how many of its forms the model generates, and
sorts the others by why: not a syllable at all in the model (with its parts
when :func:`vntext.syllable.split` can cut it), a misplaced mark, or letters
the model treats as invalid. For the frequency table it also weighs the
forms by their counts. ``docs/syllable.md`` explains the differences.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vntext.syllable import all_syllables, compose, is_valid, parse, split

LISTS = {
    "soe-vinorm": "soe_vinorm_vietnamese-syllables.txt",
    "underthesea hieuthi (generated)": "underthesea_hieuthi_all_vietnamese_syllables_v1_2022.txt",
    "underthesea uts (attested)": "underthesea_uts_syllables_v1_2022.txt",
    "underthesea viwik (wiktionary)": "underthesea_viwik_syllables_v1_2022.txt",
}
HAMSTER = "g2p_hamster_tan_suat_am_tiet.tsv"


def why(form: str) -> str:
    """Why the model does not generate ``form``."""
    if parse(form) is not None:
        return "misplaced mark (parses, written wrongly)" if not is_valid(form) else "generated"
    s = split(form)
    if s is None:
        return "not a syllable shape (foreign letters, several vowel groups, bad coda)"
    if s.onset in ("k", "gh", "ngh", "c", "g", "ng"):
        return "spelling rule: c/k, g/gh, ng/ngh before the vowel"
    if s.coda in ("c", "ch", "p", "t") and s.tone not in (2, 5):
        return "stop coda with a tone other than sắc/nặng"
    return "rhyme or onset+rhyme the model rejects"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("lexicon", help="../shared/data/lexicon")
    ap.add_argument("--show", type=int, default=15, help="examples per reason")
    args = ap.parse_args()
    folder = Path(args.lexicon)
    syllables = list(all_syllables())
    classic = {compose(s) for s in syllables}
    both = classic | {compose(s, "modern") for s in syllables}
    print(f"model: {len(syllables)} syllables; {len(both)} spellings counting both styles")
    print()
    for name, filename in LISTS.items():
        forms = {
            line.strip().lower()
            for line in (folder / filename).read_text(encoding="utf-8").splitlines()
            if line.strip()
        }
        missing = forms - both
        reasons: dict[str, list[str]] = {}
        for form in sorted(missing):
            reasons.setdefault(why(form), []).append(form)
        print(
            f"## {name}: {len(forms)} forms, {len(forms & both)} generated, "
            f"{len(missing)} not generated, model has {len(classic - forms)} classic forms "
            f"not in the list"
        )
        for reason, examples in sorted(reasons.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(examples):5}  {reason}: {' '.join(examples[: args.show])}")
        print()
    counts: Counter[str] = Counter()
    for line in (folder / HAMSTER).read_text(encoding="utf-8").splitlines()[1:]:
        form, _, n = line.partition("\t")
        if n.isdigit():
            counts[form] += int(n)
    total = sum(counts.values())
    covered = sum(n for f, n in counts.items() if f in both)
    print(
        f"## g2p-hamster frequencies: {len(counts)} forms, {total} tokens; "
        f"generated forms cover {covered / total:.2%} of tokens"
    )
    by_reason: Counter[str] = Counter()
    top: dict[str, list[tuple[int, str]]] = {}
    for form, n in counts.items():
        if form in both:
            continue
        reason = why(form)
        by_reason[reason] += n
        top.setdefault(reason, []).append((n, form))
    for reason, n in by_reason.most_common():
        examples = " ".join(f"{f}({c})" for c, f in sorted(top[reason], reverse=True)[: args.show])
        print(f"  {n:8} tokens  {reason}: {examples}")
    never = sorted(classic - set(counts))
    print(f"  generated classic forms never seen in the table: {len(never)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
