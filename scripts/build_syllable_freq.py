"""Rebuild ``vntext/data/syllable_freq.tsv`` from g2p-hamster's syllable frequencies.

Usage (from the project root)::

    python scripts/build_syllable_freq.py \\
        ../shared/data/lexicon/g2p_hamster_tan_suat_am_tiet.tsv [--min-count 3]

Keeps the forms that :func:`vntext.vietnamese.is_syllable` accepts and that
occur at least ``--min-count`` times (the source counts 16.5M tokens of news,
wiki and subtitles; it also holds misspellings and non-Vietnamese tokens, which
the spelling check and the threshold drop). Counts are kept as they are: they
are the prior the encodings step uses to choose between two readings.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vntext.vietnamese import is_syllable  # noqa: E402

OUT = ROOT / "vntext" / "data" / "syllable_freq.tsv"
HEADER = (
    "# Vietnamese syllable frequencies (lower case, NFC): syllable<TAB>count in 16.5M tokens.\n"
    "# Source: g2p-hamster 0.2.8 (PyPI wheel), g2p_hamster/02_data/fold/tan_suat_am_tiet.tsv,\n"
    "# licence Apache-2.0 (vntext/data/licenses/g2p_hamster_LICENSE). Filtered by\n"
    "# scripts/build_syllable_freq.py: spelled like a syllable, count >= {min_count}.\n"
)


def build(source: Path, min_count: int) -> str:
    counts: dict[str, int] = {}
    for line in source.read_text(encoding="utf-8").splitlines()[1:]:
        word, _, count = line.partition("\t")
        word = unicodedata.normalize("NFC", word.strip().lower())
        if count.strip().isdigit() and int(count) >= min_count and is_syllable(word):
            counts[word] = counts.get(word, 0) + int(count)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return HEADER.format(min_count=min_count) + "".join(f"{w}\t{n}\n" for w, n in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("source", type=Path, help="lexicon/g2p_hamster_tan_suat_am_tiet.tsv")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    text = build(args.source, args.min_count)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {text.count(chr(10)) - 4} syllables")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
