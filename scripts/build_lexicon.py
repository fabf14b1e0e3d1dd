"""Rebuild the typo-correction tables in ``vntext/data/`` from their sources.

Usage (from the project root)::

    python scripts/build_lexicon.py ../shared/data            # rewrite the tables
    python scripts/build_lexicon.py ../shared/data --check    # exit 1 if any is stale

Sources (``<data>`` is the shared data folder):

- ``lexicon/g2p_hamster_tan_suat_am_tiet.tsv`` (g2p-hamster, Apache-2.0):
  syllable counts from 16.5M tokens -> ``syllable_counts.tsv``;
- ``lexicon/pyvi_words.txt`` (pyvi, MIT): multi-syllable words ->
  ``compounds.tsv``;
- ``lexicon/soe_vinorm_vietnamese-syllables.txt`` (soe-vinorm, MIT): the
  syllable list -> ``syllables.tsv``;
- ``news/baomoi/baomoi.txt``: syllable bigram counts of the first 500
  articles (counts only; no text ships) -> ``bigram_counts.tsv``. The other
  500 articles stay unseen for measuring false alarms.

Every key is lower case, NFC and in the classic tone style
(:func:`vntext.lexicon.syllable_key`); rows are sorted by code point.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vntext.lexicon import LETTERS, count_ngrams, syllable_key

DATA = Path(__file__).resolve().parent.parent / "vntext" / "data"
_SYLLABLE = re.compile(f"[{LETTERS}]+")
_ARTICLE = re.compile(r"<article>\s*<title>(.*?)</title>\s*<content>(.*?)</content>", re.S)
BIGRAM_ARTICLES = 500
MIN_BIGRAM = 2
MIN_SYLLABLE = 2

HEADERS = {
    "syllable_counts.tsv": (
        "# Syllable counts from g2p-hamster 0.2.8\n"
        "# (g2p_hamster/02_data/fold/tan_suat_am_tiet.tsv), 16.5M tokens of news, wiki and\n"
        "# subtitles; licence Apache-2.0 (licenses/g2p_hamster_LICENSE).\n"
        "# Keys: lower case, NFC, classic tone style (hòa); forms merged by style are summed;\n"
        "# forms seen once are left out.\n"
        "# syllable\tcount\n"
    ),
    "compounds.tsv": (
        "# Multi-syllable words from pyvi (github.com/trungtv/pyvi, pyvi/models/words.txt,\n"
        "# commit e2ac2ecf); licence MIT (licenses/pyvi_LICENSE).\n"
        "# Lower case, NFC, classic tone style (hòa).\n"
        "# word\n"
    ),
    "syllables.tsv": (
        "# Vietnamese syllables from soe-vinorm (github.com/vinhdq842/soe-vinorm,\n"
        "# soe_vinorm/data/dictionaries/vietnamese-syllables.txt, commit c2b0c1eb);\n"
        "# licence MIT (licenses/soe_vinorm_LICENSE). Lower case, NFC, classic tone style.\n"
        "# syllable\n"
    ),
    "bigram_counts.tsv": (
        "# Syllable bigram counts (two syllables separated by one space) in the first\n"
        f"# {BIGRAM_ARTICLES} articles of the baomoi news sample (counts only, no text),\n"
        f"# kept when seen at least {MIN_BIGRAM} times. Keys: lower case, NFC, classic style.\n"
        "# The articles belong to their outlets; these derived counts: licence MIT (vntext).\n"
        "# bigram\tcount\n"
    ),
}


def _lines(path: Path) -> Iterable[str]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


def syllable_counts(lines: Iterable[str]) -> list[tuple[str, int]]:
    """``syllable<TAB>count`` rows -> merged, sorted (key, count) of Vietnamese-letter keys.

    Forms seen once are dropped: one sighting says no more than none.

    >>> syllable_counts(["syllable\\tfreq", "hòa\\t5", "hoà\\t2", "x1\\t9", "Hòa\\t1", "bảm\\t1"])
    [('hòa', 8)]
    """
    counts: dict[str, int] = {}
    for line in lines:
        key, _, value = line.partition("\t")
        if not value.isdigit():
            continue  # the header row
        key = syllable_key(key)
        if _SYLLABLE.fullmatch(key):
            counts[key] = counts.get(key, 0) + int(value)
    return sorted((k, v) for k, v in counts.items() if v >= MIN_SYLLABLE)


def word_list(lines: Iterable[str], multi: bool) -> list[str]:
    """Normalised, deduplicated, sorted words made of Vietnamese letters.

    ``multi`` keeps only multi-syllable words (the compounds), otherwise only
    single syllables are kept.

    >>> word_list(["a", "Hoà bình", "hòa  bình", "tiếp tục", "wifi 5"], multi=True)
    ['hòa bình', 'tiếp tục']
    """
    out = set()
    for line in lines:
        parts = [syllable_key(p) for p in line.split()]
        if not parts or (len(parts) > 1) != multi:
            continue
        if all(_SYLLABLE.fullmatch(p) for p in parts):
            out.add(" ".join(parts))
    return sorted(out)


def bigram_counts(texts: Iterable[str], min_count: int = MIN_BIGRAM) -> list[tuple[str, int]]:
    """Sorted bigram counts (at least ``min_count``) of ``texts``.

    >>> bigram_counts(["xảy ra. Xảy ra", "xảy ra"])
    [('xảy ra', 3)]
    """
    counts = count_ngrams(texts)
    return sorted((k, v) for k, v in counts.items() if " " in k and v >= min_count)


def baomoi_articles(path: Path, limit: int) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [f"{m.group(1)}\n{m.group(2)}" for m in _ARTICLE.finditer(text)][:limit]


def render(name: str, rows: Iterable[str | tuple[str, int]]) -> str:
    body = "".join(
        (f"{r[0]}\t{r[1]}\n" if isinstance(r, tuple) else f"{r}\n") for r in rows
    )
    return HEADERS[name] + body


def build_all(shared: Path) -> dict[str, str]:
    """The content of every table, built from the shared data folder."""
    lex = shared / "lexicon"
    return {
        "syllable_counts.tsv": render(
            "syllable_counts.tsv",
            syllable_counts(_lines(lex / "g2p_hamster_tan_suat_am_tiet.tsv")),
        ),
        "compounds.tsv": render(
            "compounds.tsv", word_list(_lines(lex / "pyvi_words.txt"), multi=True)
        ),
        "syllables.tsv": render(
            "syllables.tsv",
            word_list(_lines(lex / "soe_vinorm_vietnamese-syllables.txt"), multi=False),
        ),
        "bigram_counts.tsv": render(
            "bigram_counts.tsv",
            bigram_counts(baomoi_articles(shared / "news/baomoi/baomoi.txt", BIGRAM_ARTICLES)),
        ),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("shared", type=Path, help="the shared data folder (../shared/data)")
    ap.add_argument("--check", action="store_true", help="only report stale tables")
    args = ap.parse_args(argv)
    stale = 0
    for name, content in build_all(args.shared).items():
        path = DATA / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if args.check:
            if current != content:
                print(f"stale: {path}")
                stale += 1
        elif current != content:
            path.write_text(content, encoding="utf-8", newline="\n")
            print(f"wrote {path} ({content.count(chr(10))} lines, {len(content.encode())} bytes)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
