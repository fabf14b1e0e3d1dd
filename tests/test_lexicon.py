"""The packaged lexical tables, their build script and user lexicon files."""

from __future__ import annotations

import gzip
import importlib.util
import json
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

from vntext.lexicon import (
    FORMAT_HEADER,
    build_lexicon,
    builtin_lexicon,
    confusions,
    count_ngrams,
    load_lexicon,
    read_counts,
    syllable_key,
)

DATA = Path(__file__).resolve().parent.parent / "vntext" / "data"
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_lexicon.py"
TABLES = ("syllable_counts.tsv", "bigram_counts.tsv", "compounds.tsv", "syllables.tsv")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_lexicon", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", [*TABLES, "function_words.tsv"])
def test_table_is_well_formed(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[-1] == "" and lines[0].startswith("#"), "header comment, final newline"
    header = [line for line in lines if line.startswith("#")]
    assert any("licence" in line for line in header), "the header names a licence"
    rows = [line for line in lines[len(header) :] if line]
    assert all(not line.startswith("#") for line in rows), "comments only at the top"
    keys = [row.split("\t")[0] for row in rows]
    assert keys == sorted(keys), "sorted by code point"
    assert len(keys) == len(set(keys)), "no duplicates"
    for key in keys:
        assert unicodedata.normalize("NFC", key) == key
        assert syllable_key(key.split(" ")[0]) == key.split(" ")[0], key
        assert " ".join(syllable_key(p) for p in key.split(" ")) == key
    for row in rows:
        assert "\t" not in row or row.split("\t")[1].isdigit(), row


@pytest.mark.parametrize("name", TABLES)
def test_table_is_in_the_canonical_form_the_script_writes(name: str) -> None:
    """The currency check proper is ``build_lexicon.py SHARED --check`` (needs the sources)."""
    script = _script()
    text = (DATA / name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    parsed = [(r[0], int(r[1])) if len(r) == 2 else r[0] for r in rows]
    assert script.render(name, parsed) == text


def test_build_functions_on_a_fixture() -> None:
    script = _script()
    assert script.syllable_counts(["syllable\tfreq", "Thuỷ\t3", "thủy\t4", "a1\t5"]) == [
        ("thủy", 7)
    ]
    assert script.word_list(["khoẻ mạnh", "khỏe mạnh", "x", "e-mail"], multi=True) == [
        "khỏe mạnh"
    ]
    assert script.word_list(["hoà", "hòa", "ngành", "a b"], multi=False) == ["hòa", "ngành"]
    assert script.bigram_counts(["tiếp tục, tiếp tục", "tiếp tục"]) == [("tiếp tục", 3)]


def test_shipped_data_is_compact() -> None:
    assert sum(p.stat().st_size for p in DATA.glob("*.tsv")) < 3_000_000


def test_syllable_key() -> None:
    assert syllable_key("HOÀ") == "hòa"
    assert syllable_key("Uỷ") == "ủy"
    assert syllable_key("quý") == "quý"
    assert syllable_key("hoàng") == "hoàng"
    assert syllable_key("khuỷu") == "khuỷu"
    assert syllable_key("a") == "a"


def test_builtin_lexicon() -> None:
    lex = builtin_lexicon()
    assert lex.count("ngành") > 100 * lex.count("nghành")
    assert lex.is_word("chẩn đoán") and not lex.is_word("chuẩn đoán")
    assert "quý" in lex.syllables and "hòa" in lex.syllables
    assert lex.bigram("xảy", "ra") > 10
    assert {c.part for c in confusions()} >= {"onset", "coda", "tone", "vowel"}


def test_count_ngrams_cuts_bigrams_at_punctuation_and_digits() -> None:
    counts = count_ngrams(["Hà Nội, 2 giờ rưỡi.\nngày mai"])
    assert counts["hà nội"] == 1 and counts["giờ rưỡi"] == 1
    assert "nội giờ" not in counts and "rưỡi ngày" not in counts


def test_count_ngrams_keeps_memory_bounded() -> None:
    texts = [f"từ {'a' * (i % 7 + 1)}b{i}" for i in range(5000)]
    counts = count_ngrams(["từ từ"] * 10 + texts, max_entries=1000)
    assert len(counts) <= 1000
    assert counts["từ"] >= 5000


def test_build_lexicon_round_trip(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("Lãi suất tăng. Lãi suất giảm\n", encoding="utf-8")
    gz = tmp_path / "b.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "lãi suất", "id": 1}) + "\n")
        fh.write(json.dumps({"other": "x"}) + "\n")
    out = tmp_path / "lex.tsv"
    rows = build_lexicon([txt, gz], out, min_count=2)
    assert out.read_text(encoding="utf-8").splitlines()[0] == FORMAT_HEADER
    unigrams, bigrams = read_counts(out)
    assert unigrams == {"lãi": 3, "suất": 3}
    assert bigrams == {"lãi suất": 3}
    assert rows == 3
    merged = load_lexicon(str(out))
    assert merged.bigram("lãi", "suất") == builtin_lexicon().bigram("lãi", "suất") + 3


def test_build_lexicon_rejects_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1"):
        build_lexicon([bad], tmp_path / "out.tsv")
    with pytest.raises(ValueError, match="min_count"):
        build_lexicon([bad], tmp_path / "out.tsv", min_count=0)
    other = tmp_path / "other.tsv"
    other.write_text("word\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a vntext lexicon"):
        read_counts(other)
