"""Exact-recovery rate of mojibake repair for vntext, ftfy and viparse, in one run.

Usage (from the project root)::

    python benchmarks/eval_encodings.py ../shared/data/news/baomoi/baomoi.txt \\
        [--peer-python /work/peers-venv/bin/python] [--articles 300]

Corruption kinds, each built from real baomoi articles (title + content):

- ``utf8-as-cp1252`` / ``utf8-as-latin1`` / ``utf8-twice``: UTF-8 bytes read
  back as Windows-1252 (browser-style, undefined bytes as C1 controls),
  ISO-8859-1, or twice;
- ``tcvn3-as-cp1252`` / ``vni-as-cp1252``: the article encoded with the
  ``vntext-tcvn3``/``vntext-vni`` codec and read back as Windows-1252. The
  reference is the article with the punctuation those encodings lack
  (curly quotes, dashes, ellipsis) written in ASCII first;
- ``viqr``: the article written in VIQR by the ``vntext-viqr`` codec;
- ``mixed``: every third line broken as ``utf8-as-cp1252``, the rest intact;
- ``fragment-*``: single words with diacritics, each broken alone; the
  ``not a word`` row scores only those whose broken form is not itself a
  Vietnamese syllable (the others are ambiguous alone).

Exact recovery counts an item only when the output equals the reference.
The negative set (the articles themselves, and a multilingual sample) must
come out unchanged. Peers run in ``--peer-python`` (never vntext dependencies).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import news_documents

from vntext.charsets import SLOPPY_CP1252, encode_legacy
from vntext.encodings import repair_encodings
from vntext.vietnamese import is_syllable

ASCII_PUNCT = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\xa0": " ", "•": "*"}
)
MULTILINGUAL = [
    "Le garçon a mangé une crème brûlée à l'hôtel, où ça coûte cher.",
    "Müller aus Köln grüßt: Größe, Übermaß, Straße, Ärger.",
    "El niño señaló: ¿Qué año? ¡Mañana! Ángel Di María.",
    "Þórður og Guðrún fóru til Reykjavíkur; Ærø, Malmö, Søren.",
    "Łódź, Kraków, Gdańsk: zażółć gęślą jaźń. Příliš žluťoučký kůň.",
    "İstanbul'da ağaç, şeker, Çanakkale. São Paulo, ação, coração.",
    "© 2020 ® ™ · 25°C ± 3 ½ « Hà Nội » § 12 🎉😀 C++ a^b x~y Q&A",
    "https://vnexpress.net/tin?a=1&amp;b=2 if (a^b) { x += y~z; }",
    "ÂM NHẠC À LA CARTE. ÔNG BÀ ẤY Ở HÀ NỘI. ÃI? Ông Ân, bà Ánh, chị Ý, anh Ô.",
    "Ông Bá và cô Hà ở Cà Mau. Tôi nói ô tô.",
    "Čeština: řeřicha, šťáva, Ústí nad Labem; Dvořák. Ísland: Þingvellir, Eyjafjallajökull.",
    "Ελληνικά, русский язык, 日本語, 한국어, العربية, עברית, हिन्दी 🙂👍🏽 ⚽",
    "def f(x): return x ** 2 ^ 3 if x else `cmd` # C:\\Users\\Ánh\\ \\d+\\.\\?",
    "mailto:an@vnu.edu.vn, 1.000.000 đ, TP.HCM, 25°C, 90% «Hà Nội» ©2024 ®™ ½ ¼ ±",
    "Où est la gare? Déjà vu, naïveté, Noël, œuvre, Ça va, Françoise, aéroport.",
    "Toi di hoc. Ban di dau? Ha Noi, Viet Nam. Cam on ban nhieu!",
]

PEER = r"""
import json, sys
name = sys.argv[1]
items = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
if name == "ftfy":
    import ftfy
    f = ftfy.fix_text
else:
    import viparse
    f = viparse.fix
out = []
for t in items:
    try:
        out.append(f(t))
    except Exception as exc:
        out.append(None)
print(json.dumps(out, ensure_ascii=False))
"""


def sloppy(data: bytes) -> str:
    return "".join(SLOPPY_CP1252[b] if b >= 0x80 else chr(b) for b in data)


def build(docs: list[str], rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    kinds: dict[str, list[tuple[str, str]]] = {}
    kinds["utf8-as-cp1252"] = [(sloppy(d.encode()), d) for d in docs]
    kinds["utf8-as-latin1"] = [(d.encode().decode("latin-1"), d) for d in docs]
    kinds["utf8-twice"] = [(sloppy(sloppy(d.encode()).encode()), d) for d in docs]
    plain = [d.translate(ASCII_PUNCT) for d in docs]
    for name in ("tcvn3", "vni"):
        items = []
        for d in plain:
            try:
                items.append((sloppy(encode_legacy(d, name)), d))
            except UnicodeEncodeError:
                continue
        kinds[f"{name}-as-cp1252"] = items
    viqr = []
    for d in plain:
        try:  # letters VIQR cannot write (Cyrillic, German) would be lost: skip those
            viqr.append((encode_legacy(d, "viqr").decode("ascii"), d))
        except UnicodeEncodeError:
            continue
    kinds["viqr"] = viqr
    mixed = []
    for d in docs:
        lines = d.split("\n")
        broken = [sloppy(x.encode()) if i % 3 == 1 else x for i, x in enumerate(lines)]
        mixed.append(("\n".join(broken), d))
    kinds["mixed"] = mixed
    words = sorted(
        {
            w.strip(".,:;!?()\"'“”")
            for d in docs
            for w in d.split()
            if not w.isascii() and w.strip(".,:;!?()\"'“”").isalpha()
        }
    )
    sample = rng.sample(words, min(1000, len(words)))
    kinds["fragment-utf8"] = [(sloppy(w.encode()), w) for w in sample]
    for name in ("tcvn3", "vni"):
        frags = []
        for w in sample:
            try:  # a foreign letter (``ü``) the encoding cannot write: skip the word
                frags.append((sloppy(encode_legacy(w, name)), w))
            except UnicodeEncodeError:
                continue
        kinds[f"fragment-{name}"] = frags
    return kinds


def peer(python: str, name: str, texts: list[str]) -> list[str | None]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for t in texts:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    proc = subprocess.run([python, "-c", PEER, name, fh.name], capture_output=True, text=True)
    Path(fh.name).unlink()
    if proc.returncode != 0:
        return [None] * len(texts)
    result: list[str | None] = json.loads(proc.stdout)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("baomoi")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--peer-python")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    docs = news_documents(args.baomoi)[: args.articles]
    kinds = build(docs, rng)
    kinds["negative"] = [(d, d) for d in docs] + [(t, t) for t in MULTILINGUAL]
    tools = ["vntext"] + (["ftfy", "viparse"] if args.peer_python else [])
    print(f"{'kind':18} {'items':>6} " + " ".join(f"{t:>9}" for t in tools))
    for kind, items in kinds.items():
        inputs = [i for i, _ in items]
        outputs = {"vntext": [repair_encodings(t) for t in inputs]}
        for t in tools[1:]:
            outputs[t] = peer(args.peer_python, t, inputs)
        row = []
        for t in tools:
            ok = sum(o == ref for o, (_, ref) in zip(outputs[t], items, strict=True))
            row.append(f"{100 * ok / max(1, len(items)):8.1f}%")
        label = kind if kind != "negative" else "negative(unchanged)"
        print(f"{label:18} {len(items):6} " + " ".join(row))
        if kind.startswith("fragment-"):
            # A broken word that is itself a Vietnamese word (TCVN3 ``Phú`` reads
            # ``Phó``) cannot be repaired alone without breaking correct text.
            alone = [n for n, (i, ref) in enumerate(items) if i == ref or not is_syllable(i)]
            row = []
            for t in tools:
                ok = sum(outputs[t][n] == items[n][1] for n in alone)
                row.append(f"{100 * ok / max(1, len(alone)):8.1f}%")
            print(f"{'  not a word':18} {len(alone):6} " + " ".join(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
