"""The ``whitespace`` step: spacing inside lines, blank lines, spaces around punctuation."""

from __future__ import annotations

import pytest

from vntext import Config, apply_changes, clean_and_explain
from vntext.whitespace import is_vietnamese_syllable, normalize_whitespace

WHITESPACE_ONLY = Config().with_steps(only=["whitespace"])


def explain(text: str) -> tuple[str, list[str]]:
    result = clean_and_explain(text, WHITESPACE_ONLY)
    assert apply_changes(text, result.changes) == result.text
    assert normalize_whitespace(text) == result.text
    return result.text, [c.rule for c in result.changes]


@pytest.mark.parametrize(
    ("text", "expected", "rules"),
    [
        ("Hà  Nội", "Hà Nội", ["collapse-spaces"]),
        ("a     b  c", "a b c", ["collapse-spaces", "collapse-spaces"]),
        ("Hà Nội   \nViệt Nam\t\n", "Hà Nội\nViệt Nam\n", ["trailing-space", "trailing-space"]),
        ("cuối  ", "cuối", ["trailing-space"]),
        ("a\n\n\n\nb", "a\n\nb", ["blank-lines"]),
        ("a\n  \n\t\n \nb", "a\n\nb", ["blank-lines"]),
        ("a \n \n \nb", "a\n\nb", ["trailing-space", "blank-lines"]),
        ("Hà Nội , Việt Nam", "Hà Nội, Việt Nam", ["space-before-punctuation"]),
        ("Tại sao ?", "Tại sao?", ["space-before-punctuation"]),
        ("Ghi chú :", "Ghi chú:", ["space-before-punctuation"]),
        ("hết .", "hết.", ["space-before-punctuation"]),
        ("chờ …", "chờ…", ["space-before-punctuation"]),
        ("chờ ...\n", "chờ...\n", ["space-before-punctuation"]),
        ("đẹp quá !!", "đẹp quá!!", ["space-before-punctuation"]),
        ("“trích dẫn” ,", "“trích dẫn”,", ["space-before-punctuation"]),
        ("“Tôi đi” , anh nói", "“Tôi đi”, anh nói", ["space-before-punctuation"]),
        ("2020- 2025", "2020-2025", ["dash-spacing"]),
        ("15– 11– 2010", "15–11–2010", ["dash-spacing", "dash-spacing"]),
        ("(theo VnExpress )", "(theo VnExpress)", ["space-before-punctuation"]),
        ("( theo VnExpress)", "(theo VnExpress)", ["space-after-bracket"]),
        ("[  1]", "[1]", ["space-after-bracket"]),
        ("x  ,", "x,", ["space-before-punctuation"]),
        ("kỳ vọng.Đại tá", "kỳ vọng. Đại tá", ["missing-space"]),
        ("Hà Nội,Việt Nam", "Hà Nội, Việt Nam", ["missing-space"]),
        ("thế nào?Tôi", "thế nào? Tôi", ["missing-space"]),
        ("ghi chú:người", "ghi chú: người", ["missing-space"]),
    ],
)
def test_rules(text: str, expected: str, rules: list[str]) -> None:
    assert explain(text) == (expected, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Hà Nội, (theo VnExpress).",
        "giá 1.000 đồng, tăng 2,5%",
        "lúc 10:30 sáng",
        "thắng 2 : 1",
        "TP.HCM",
        "Q.1, TP.HCM",
        "U.23 Việt Nam",
        "v.v. và",
        "v.v...",
        "ThS.BS Nguyễn Văn A",
        "TS.Nguyễn Văn A",
        "report.pdf",
        "xem tại vnexpress.net",
        "https://vnexpress.net/thoi-su.html",
        "email an.nguyễn@gmail.com",
        "www.Báo.vn",
        "đi... Về",
        "đi…Về",
        ". . .",
        "anh nói … rồi đi",
        "anh nói ... rồi đi",
        "vui quá :)",
        "buồn :(",
        "hihi :D",
        "nháy mắt ;)",
        ".NET và C#",
        "Node.js",
        "x = {a  b};",
        "if (a  ,  b) {",
        "def f( x ):",
        "- [ ] việc cần làm",
        "    thụt lề",
        "\tthụt lề bằng tab",
        "Tên\tTuổi",
        "nam.Theo",  # ASCII both sides: cannot tell a sentence from a name
        "2020 - 2025",
        "từ 5 -10 độ",
        "Covid-19- biến chủng",
        "1- 0,5 = 0,5",
        "Hà Nội.",
        "khuỷu tay, hoàn toàn, khoảng cách, Quý, thuở, từ từ",
    ],
)
def test_left_alone(text: str) -> None:
    assert explain(text) == (text, [])


def test_never_joins_or_splits_lines() -> None:
    text = "dòng một  \ndòng hai ,\n\n\n\ndòng ba.Tiếp\n  dòng bốn"
    out = normalize_whitespace(text)
    assert [line for line in out.split("\n") if line] == [
        line for line in (x.rstrip() for x in out.split("\n")) if line
    ]
    assert out.count("\n") == text.count("\n") - 2
    assert out == "dòng một\ndòng hai,\n\ndòng ba. Tiếp\n  dòng bốn"


@pytest.mark.parametrize("text", ["\t \n", "0\u0329  \u03290\u0329", "a   \u0301"])
def test_idempotent_on_edge_cases_found_by_hypothesis(text: str) -> None:
    once = normalize_whitespace(text)
    assert normalize_whitespace(once) == once


def test_indentation_is_kept() -> None:
    assert normalize_whitespace("  a  b\n    c") == "  a b\n    c"


def test_clean_text_is_returned_as_is() -> None:
    text = "Việt Nam, “trích dẫn” – 10% … ĐH Quốc gia.\n\nĐoạn hai."
    assert normalize_whitespace(text) is text


@pytest.mark.parametrize(
    ("word", "ok"),
    [
        ("vọng", True),
        ("Đại", True),
        ("khuỷu", True),
        ("nghiêng", True),
        ("thuở", True),
        ("Quý", True),
        ("hoàn", True),
        ("người", True),
        ("TP", False),
        ("HCM", False),
        ("v", False),
        ("pdf", False),
        ("report", False),
        ("nguyễnvăn", False),
        ("hoàǹ", False),
    ],
)
def test_syllable_shape(word: str, ok: bool) -> None:
    assert is_vietnamese_syllable(word) is ok
