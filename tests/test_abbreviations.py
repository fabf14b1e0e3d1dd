"""Tests for the ``abbreviations`` step (acronym expansion in written form).

Behaviour on whole sentences lives in ``tests/cases/*/abbreviations.json``;
this file checks the shipped tables, the API, the config wiring and
properties that must hold on any text.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vntext import Config, apply_changes, clean, clean_and_explain
from vntext.abbreviations import (
    UPPER,
    expand_abbreviations,
    keep_list,
    load_dictionary,
)

ALL = Config().with_steps(only=["abbreviations"])


def _rows(name: str) -> list[list[str]]:
    text = resources.files("vntext.data").joinpath(name).read_text("utf-8")
    assert text.startswith("#"), f"{name} needs a header comment naming source and licence"
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


# -- shipped tables ---------------------------------------------------------


@pytest.mark.parametrize("name", ["abbreviations.tsv", "abbreviations_keep.tsv"])
def test_table_is_nfc_sorted_and_unique(name: str) -> None:
    text = resources.files("vntext.data").joinpath(name).read_text("utf-8")
    assert unicodedata.normalize("NFC", text) == text
    assert "\u00d0" not in text, "Ð (U+00D0) instead of Đ"
    rows = _rows(name)
    keys = [tuple(r[:2]) for r in rows]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    for row in rows:
        assert all(cell == cell.strip() for cell in row), row


def test_dictionary_columns_and_size() -> None:
    rows = _rows("abbreviations.tsv")
    acronym = re.compile(rf"[{UPPER}]+(?:[-&.][{UPPER}]+)*\.?")
    for row in rows:
        assert len(row) == 5, row
        abbr, expansion, cues, prior, source = row
        assert acronym.fullmatch(abbr), row
        assert expansion and expansion == " ".join(expansion.split()), row
        assert source in {"curated", "soe-vinorm"}, row
        if prior:
            assert 0.0 <= float(prior) <= 1.0, row
        for cue in filter(None, cues.split(",")):
            assert cue in (">NUM", ">NAME") or cue == cue.lower(), row
    assert len({r[0] for r in rows}) >= 1000


def test_keep_list_and_dictionary_are_disjoint() -> None:
    assert not keep_list() & set(load_dictionary())
    for token in ["USD", "GDP", "IMF", "ASEAN", "COVID", "AI", "FIFA", "FDI", "CPI", "FPT",
                  "ACB", "VTV", "TTO", "NLĐO", "VOV", "HSBC"]:
        assert token in keep_list(), token


# modern tone placement in an open syllable: hoà, khoẻ, thuý, Uỷ (never after q: quý)
_MODERN = re.compile(r"(?<![qQ])(?:[oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])(?!\w)")


def test_tone_style_is_classic() -> None:
    for abbr, expansion, *_ in _rows("abbreviations.tsv"):
        assert not _MODERN.search(expansion), (abbr, expansion)


def test_expansions_are_written_form() -> None:
    d = load_dictionary()
    assert d["UBND"][0].expansion == "Ủy ban nhân dân"
    assert d["HĐND"][0].expansion == "Hội đồng nhân dân"
    assert d["CSCĐ"][0].expansion == "Cảnh sát cơ động"
    assert d["ANTT"][0].expansion == "an ninh trật tự"
    assert d["ATGT"][0].expansion == "an toàn giao thông"
    assert len(d["TT"]) >= 6
    for key, senses in [("ĐH", {"Đại học", "Đại hội"}), ("BCH", {"Ban Chấp hành", "Bộ Chỉ huy"}),
                        ("HN", {"Hà Nội", "hội nghị"}),
                        ("ĐT", {"điện thoại", "đào tạo", "đội tuyển"}),
                        ("CP", {"Chính phủ", "cổ phần", "cổ phiếu"})]:
        assert {s.expansion for s in d[key]} == senses
        assert all(s.cues for s in d[key]), key


# -- API and config ---------------------------------------------------------


def test_off_by_default_and_enabled_as_all() -> None:
    assert Config().abbreviations == "off"
    assert "abbreviations" not in Config().steps
    assert Config().with_steps(enable=["abbreviations"]).abbreviations == "all"
    bare = Config(unicode=False, whitespace=False)
    assert clean("UBND tỉnh", bare) == "UBND tỉnh"
    assert clean("UBND tỉnh", bare, abbreviations="all") == "Ủy ban nhân dân tỉnh"


def test_config_validates_options() -> None:
    with pytest.raises(ValueError, match="abbreviations"):
        Config(abbreviations="some")
    with pytest.raises(ValueError, match="abbreviation_threshold"):
        Config(abbreviation_threshold=1.5)


def test_trace_records_rule_label_and_confidence() -> None:
    result = clean_and_explain("Thủ tướng CP và UBND tỉnh.", ALL)
    got = [(c.step, c.rule, c.before, c.label) for c in result.changes]
    assert got == [
        ("abbreviations", "context:thủ tướng", "CP", "Chính phủ"),
        ("abbreviations", "dictionary", "UBND", "Ủy ban nhân dân"),
    ]
    assert result.changes[0].confidence == 0.95


def test_threshold_controls_fallback_senses() -> None:
    text = "Đội HN thắng lớn."
    assert expand_abbreviations(text) == text
    assert expand_abbreviations(text, threshold=0.5) == "Đội Hà Nội thắng lớn."


def test_user_file_adds_overrides_and_removes(tmp_path: Path) -> None:
    user = tmp_path / "mine.tsv"
    user.write_text("# mine\nXYZQ\tXe yêu zà quý\nUBND\tỦy ban\nANTT\t\n", encoding="utf-8")
    config = ALL.replace(abbreviations_file=str(user))
    assert clean("XYZQ và UBND, ANTT", config) == "Xe yêu zà quý và Ủy ban, ANTT"


def test_user_file_errors_name_the_line(tmp_path: Path) -> None:
    user = tmp_path / "bad.tsv"
    user.write_text("ABC\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:1"):
        clean("ABC", ALL.replace(abbreviations_file=str(user)))


def test_first_mode_once_per_document() -> None:
    text = "HĐND họp. HĐND bầu. ANTT tốt."
    assert expand_abbreviations(text, mode="first") == (
        "Hội đồng nhân dân (HĐND) họp. HĐND bầu. An ninh trật tự (ANTT) tốt."
    )
    # each call is its own document
    assert expand_abbreviations("HĐND bầu.", mode="first") == "Hội đồng nhân dân (HĐND) bầu."


def test_definition_is_per_document() -> None:
    expand_abbreviations("Công nhân (CN) nghỉ. CN về.")
    assert expand_abbreviations("CN về.") == "CN về."


# -- properties -------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [
        *"UBNDHĐÐTPCSGỦyabn ()-.&/@:\n",
        *["UBND", "TP.HCM", "ĐH", "CP", "Ảnh:", "(NHNN)", "Ngân hàng Nhà nước", "SN 1990"],
        "http://",
    ]
)
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["all", "first"]))
def test_never_raises_and_trace_replays(text: str, mode: str) -> None:
    config = ALL.replace(abbreviations=mode)
    result = clean_and_explain(text, config)
    assert apply_changes(text, result.changes) == result.text
    assert clean(text, config) == result.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text(text: str) -> None:
    result = clean_and_explain(text, ALL)
    assert apply_changes(text, result.changes) == result.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Lu", "Lt")), max_size=80))
def test_text_without_capitals_is_unchanged(text: str) -> None:
    assert expand_abbreviations(text) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["UBND", "HĐND", "ANTT", "tỉnh", "họp", ".", " ", "TP.HCM"]),
                max_size=20).map(" ".join))
def test_idempotent_on_dictionary_text(text: str) -> None:
    once = expand_abbreviations(text)
    assert expand_abbreviations(once) == once
