"""The ``unicode`` step: NFC, Vietnamese marks, look-alikes, invisibles, spaces, line breaks."""

from __future__ import annotations

import itertools
from importlib import resources

import pytest
import unicodedata2

from vntext import Config, apply_changes, clean_and_explain
from vntext.unicode import (
    _VN_LETTERS,
    character_classes,
    count_line_breaks,
    format_table,
    normalize_unicode,
)

UNICODE_ONLY = Config().with_steps(only=["unicode"])

TONES = "\u0300\u0301\u0303\u0309\u0323"
SHAPES = {"a": "\u0306\u0302", "e": "\u0302", "o": "\u0302\u031b", "u": "\u031b"}


def explain(text: str) -> tuple[str, list[str]]:
    result = clean_and_explain(text, UNICODE_ONLY)
    assert apply_changes(text, result.changes) == result.text
    return result.text, [c.rule for c in result.changes]


def vietnamese_letter_spellings() -> list[tuple[str, str]]:
    """Every Vietnamese vowel letter, and every way of typing it with combining marks."""
    out = []
    for base in "aeiouy":
        for shape in ["", *SHAPES.get(base, "")]:
            for tone in ["", *TONES]:
                for b in (base, base.upper()):
                    letter = unicodedata2.normalize("NFC", b + shape + tone)
                    assert len(letter) == 1
                    marks = [m for m in (shape, tone) if m]
                    for order in itertools.permutations(marks):
                        out.append((b + "".join(order), letter))
                    # half-composed: shaped letter + tone, toned letter + shape
                    if shape and tone:
                        out.append((unicodedata2.normalize("NFC", b + shape) + tone, letter))
                        out.append((unicodedata2.normalize("NFC", b + tone) + shape, letter))
    return out


SPELLINGS = vietnamese_letter_spellings()


def test_every_vietnamese_letter_is_covered() -> None:
    assert len({letter for _, letter in SPELLINGS}) == 144  # 12 vowels x 6 tones x 2 cases
    assert {letter for _, letter in SPELLINGS} | set("đĐ") == _VN_LETTERS


@pytest.mark.parametrize(("typed", "letter"), SPELLINGS, ids=ascii)
def test_every_spelling_of_every_letter_comes_back(typed: str, letter: str) -> None:
    for context in ("{}", "x{}x", "Vi{}t Nam", "\n{}\n"):
        text = context.format(typed)
        assert normalize_unicode(text) == context.format(letter)
        out, _ = explain(text)
        assert out == context.format(letter)


@pytest.mark.parametrize(("typed", "letter"), SPELLINGS, ids=ascii)
def test_duplicated_marks_are_dropped(typed: str, letter: str) -> None:
    if len(typed) < 2:
        return
    doubled = typed + typed[-1]
    out, rules = explain(doubled)
    assert out == letter
    assert rules == ["duplicate-mark"]


def test_rules() -> None:
    assert explain("Vie\u0302\u0323t") == ("Việt", ["nfc"])
    assert explain("e\u0301\u0302") == ("ế", ["mark-order"])
    assert explain("\u00e9\u0302") == ("ế", ["mark-order"])
    assert explain("a\u0301\u0301") == ("á", ["duplicate-mark"])
    assert explain("e\u0341 a\u0340") == ("é à", ["deprecated-mark", "deprecated-mark"])
    assert explain("a\u200bb\u00adc\ufeffd\u034fe") == ("abcde", ["invisible"] * 4)
    assert explain("a\u202eb\u2066c\u2069") == ("abc", ["invisible"] * 3)
    assert explain("a\x00b\x1fc\x7fd\x9fe") == ("abcde", ["control"] * 4)
    assert explain("a\u00a0b\u202fc\u3000d\u2009e") == ("a b c d e", ["space-separator"] * 4)
    assert explain("a\r\nb\rc\u2028d\u2029e\x85f\x0bg\x0ch") == (
        "a\nb\nc\nd\ne\nf\ng\nh",
        ["line-break"] * 7,
    )
    assert explain("\u00d0H") == ("ĐH", ["lookalike"])


def test_tab_and_newline_survive() -> None:
    assert explain("a\tb\nc") == ("a\tb\nc", [])


def test_runs_make_one_change_each() -> None:
    assert explain("Hà\u00a0\u00a0Nội") == ("Hà  Nội", ["space-separator"])
    assert explain("a\r\n\r\nb") == ("a\n\nb", ["line-break"])
    assert explain("a\u200b\u200b\u200bb") == ("ab", ["invisible"])


def test_invisible_between_base_and_mark() -> None:
    assert explain("e\u200b\u0301") == ("é", ["invisible"])
    assert explain("Vie\u0302\u00ad\u0323t") == ("Việt", ["invisible"])


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag (ZWJ after a variation selector)
        "\U0001f469\U0001f3fd\u200d\U0001f4bb",  # skin tone + ZWJ
        "1\ufe0f\u20e3 2\ufe0f\u20e3 3\ufe0f\u20e3",  # keycaps
        "\u2764\ufe0f",
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # tag sequence
        "क्\u200dष",  # Devanagari half form
        "می\u200cخواهم",  # Persian ZWNJ
    ],
)
def test_joiners_in_emoji_and_scripts_survive(text: str) -> None:
    assert explain(text) == (text, [])


def test_joiners_next_to_latin_go() -> None:
    assert explain("Hà\u200dNội") == ("HàNội", ["invisible"])
    assert explain("\u200cabc\u200d") == ("abc", ["invisible", "invisible"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u00d0H", "ĐH"),
        ("\u00d0T", "ĐT"),
        ("\u00d0HQG", "ĐHQG"),
        ("\u00d0BSCL", "ĐBSCL"),
        ("H\u00d0ND", "HĐND"),
        ("BC\u00d0", "BCĐ"),
        ("\u00d0\u1ea3m bảo", "Đảm bảo"),
        ("\u00d0ại tướng", "Đại tướng"),
        ("Ngô \u00d0ình Thục", "Ngô Đình Thục"),
        ("\u00d0ón Tết", "Đón Tết"),
        ("\u00d0inh Bộ Lĩnh", "Đinh Bộ Lĩnh"),
        ("Lữ \u00d0oàn 1 Dù", "Lữ Đoàn 1 Dù"),
        ("\u00f0ường phố", "đường phố"),
        ("ĐẠI HỘI \u00d0ẢNG", "ĐẠI HỘI ĐẢNG"),
    ],
)
def test_lookalike_d_in_vietnamese(text: str, expected: str) -> None:
    out, rules = explain(text)
    assert out == expected
    assert set(rules) == {"lookalike"}


@pytest.mark.parametrize(
    "text",
    [
        "Guðrún",
        "Þórður",
        "GUÐRÚN",
        "Sigurður Guðmundsson",
        "GUÐ",
        "MEÐ",
        "Eiður Smári",
        "Tórshavn, Føroyar: Góðan dag",
        "ðə",  # IPA
        "/ðɪs/",
        "ðe",  # no Vietnamese nearby
        "Ðón",  # Latin-1 letters only and nothing Vietnamese around: cannot tell
        "Ðakovo",
    ],
)
def test_lookalike_d_left_alone_outside_vietnamese(text: str) -> None:
    assert explain(text) == (text, [])


def test_obfuscation() -> None:
    text = "H\u033cà\u033c \u033cN\u033cộ\u033ci\u033c"
    assert explain(text) == ("Hà Nội", ["obfuscation"])
    struck = "".join(c + "\u0336" for c in "gia rẻ")
    assert explain(struck) == ("gia rẻ", ["obfuscation"])
    under = "".join(c + "\u0332" for c in "Việt")
    assert explain(under) == ("Việt", ["obfuscation"])


@pytest.mark.parametrize(
    "text",
    [
        "t\u032a d\u032a",  # IPA dental marks on two segments
        "[t\u032ah]",
        "n\u0329",
        "a\u0332b",  # one underlined letter is not a pattern
        "Ω",
    ],
)
def test_combining_marks_that_are_not_obfuscation(text: str) -> None:
    out = normalize_unicode(text)
    assert out == unicodedata2.normalize("NFC", text)


def test_other_scripts_are_only_nfc() -> None:
    texts = ["Привет, мир", "Ελληνικά", "日本語のテキスト", "한국어", "ภาษาไทย", "हिन्दी", "مرحبا"]
    for text in texts:
        assert normalize_unicode(text) == text
        decomposed = unicodedata2.normalize("NFD", text)
        assert normalize_unicode(decomposed) == text


def test_hangul_jamo_compose() -> None:
    assert normalize_unicode("\u1100\u1161\u11a8") == "\uac01"


def test_singletons() -> None:
    assert explain("\u2126") == ("\u03a9", ["nfc"])
    assert explain("\u212b") == ("\u00c5", ["nfc"])


def test_combining_mark_at_start_and_after_newline() -> None:
    assert normalize_unicode("\u0301a") == "\u0301a"
    assert normalize_unicode("a\n\u0301") == "a\n\u0301"
    assert normalize_unicode("\u00a0\u0301") == " \u0301"


def test_line_breaks_are_counted() -> None:
    for text in ["a\r\nb", "a\r\rb", "\u2028\u2029\x85", "a\n\r\nb", "x\x0b\x0cy", "\r"]:
        assert normalize_unicode(text).count("\n") == count_line_breaks(text)


def test_clean_text_is_returned_as_is() -> None:
    text = "Việt Nam, “trích dẫn” – 10% … ĐH Quốc gia\n\tthứ hai"
    assert normalize_unicode(text) is text


def test_shipped_table_is_current() -> None:
    """The table matches the installed unicodedata2 (scripts/build_unicode_classes.py)."""
    table = resources.files("vntext").joinpath("data").joinpath("unicode_classes.tsv")
    shipped = table.read_text(encoding="utf-8")
    assert shipped == format_table(character_classes(rebuild=True))


def test_table_is_well_formed() -> None:
    classes = character_classes()
    assert set(classes) == {"combining", "decomposes", "space"}
    for ranges in classes.values():
        assert ranges == sorted(ranges)
        for a, b in ranges:
            assert 0 <= a <= b < 0x110000
    assert (0x00A0, 0x00A0) in classes["space"]


@pytest.mark.parametrize(
    "text",
    ["ÐÐ", "ÐĐ", "ÐH Ðinh", "Ðinh Vie\u0302\u0323t", "Ð\u200binh Bộ", "ðe ðe", "H\u00d0\u00d0"],
)
def test_lookalike_decisions_are_idempotent(text: str) -> None:
    once = normalize_unicode(text)
    assert normalize_unicode(once) == once


def test_obfuscation_is_removed_to_a_fixed_point() -> None:
    # Two decorations: the second run is only three long once the first is gone.
    text = "a\u0336b\u0336c\u0336\u0336\u033cy\u033cz\u033c\nnext"
    out, rules = explain(text)
    assert out == "abcyz\nnext"
    assert rules == ["obfuscation"]
    assert normalize_unicode(out) == out


@pytest.mark.parametrize(
    "text",
    [
        "\u00a0\u0300\u200c",  # marks whose base an earlier edit replaced
        "\u00a0\u0300\u0300",
        "\r\u0301\u200d",
        "\u200b\u00d0\u1ea0",  # Ð after an invisible character is word-initial
        "Vi\u1ec7\u200dt",  # a joiner after a Vietnamese letter is Latin context
        "\u2028\u0300\u0300",
        "0\x1f\u00d0",  # a removed control does not split a word
        "0\u0329\x1f\u03290\u0329",  # nor an obfuscated run
        "0\u03290\u0329\u03290\u0329",  # a doubled decoration is still one unit
        "\u0370\u200c\u2000",  # a joiner before a space separator
        "\u0370\u200c\u200b",  # a joiner before an invisible character
    ],
)
def test_idempotent_on_edge_cases_found_by_hypothesis(text: str) -> None:
    once = normalize_unicode(text)
    assert normalize_unicode(once) == once
    assert clean_and_explain(once, UNICODE_ONLY).changes == []
