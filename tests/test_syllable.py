"""The syllable model: exhaustive round trips, phonotactics, placement, case."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vntext.syllable import (
    STOP_CODAS,
    STYLES,
    TONES,
    Syllable,
    all_syllables,
    compose,
    is_valid,
    parse,
    place_tone,
    split,
    strip_tone,
    style_of,
    tone_of,
    tone_position,
    with_tone,
)

ALL = list(all_syllables())
CASES = ("lower", "title", "upper")


def _parts(s: Syllable) -> tuple[str, str, str, str, int]:
    return (s.onset, s.medial, s.nucleus, s.coda, s.tone)


def test_generator_is_deterministic_and_duplicate_free() -> None:
    again = list(all_syllables())
    assert again == ALL
    texts = [compose(s) for s in ALL]
    assert len(texts) == len(set(texts))
    modern = {compose(s, "modern") for s in ALL}
    assert len(modern) == len(ALL)
    # Size of the inventory: a regression guard on the phonotactic tables
    # (docs/syllable.md explains the number against published lists).
    assert 15000 < len(ALL) < 18000


def test_every_syllable_every_case_round_trips_in_both_styles() -> None:
    for s in ALL:
        for case in CASES:
            cased = Syllable(s.onset, s.medial, s.nucleus, s.coda, s.tone, case)
            for style in STYLES:
                text = compose(cased, style)
                back = parse(text)
                assert back is not None, text
                assert _parts(back) == _parts(s), text
                assert compose(back, style) == text
                assert is_valid(text) and is_valid(text, style)


def test_every_tone_of_every_spelling_is_generated_unless_forbidden() -> None:
    texts = {compose(s) for s in ALL}
    for s in all_syllables(tones=False):
        for tone in range(len(TONES)):
            t = Syllable(s.onset, s.medial, s.nucleus, s.coda, tone)
            allowed = s.coda not in STOP_CODAS or tone in (2, 5)
            assert (compose(t) in texts) == allowed, compose(t)


def test_misplaced_marks_parse_leniently_and_compose_correctly() -> None:
    for s in ALL:
        if not s.tone:
            continue
        letters = s.letters
        right = tone_position(s)
        for i, ch in enumerate(letters):
            if ch not in "aăâeêioôơuưy" or i == right:
                continue
            wrong = compose(Syllable(s.onset, s.medial, s.nucleus, s.coda, 0))
            wrong = place_mark(wrong, i, s.tone)
            back = parse(wrong)
            assert back is not None and _parts(back) == _parts(s), (wrong, compose(s))
            assert not is_valid(wrong) or style_of(wrong) == "modern"


def place_mark(text: str, i: int, tone: int) -> str:
    from vntext.syllable import TONED

    return text[:i] + TONED[text[i], tone] + text[i + 1 :]


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("già", ("gi", "", "a", "", 1)),
        ("giữa", ("gi", "", "ưa", "", 4)),
        ("gìn", ("gi", "", "i", "n", 1)),
        ("gì", ("gi", "", "i", "", 1)),
        ("giếng", ("gi", "", "iê", "ng", 2)),
        ("ghì", ("gh", "", "i", "", 1)),
        ("quá", ("qu", "", "a", "", 2)),
        ("quốc", ("qu", "", "ô", "c", 2)),
        ("quyết", ("qu", "", "yê", "t", 2)),
        ("quý", ("qu", "", "y", "", 2)),
        ("quí", ("qu", "", "i", "", 2)),
        ("nghiệm", ("ngh", "", "iê", "m", 5)),
        ("kìa", ("k", "", "ia", "", 1)),
        ("khuya", ("kh", "u", "ya", "", 0)),
        ("khuỷu", ("kh", "u", "y", "u", 3)),
        ("yêu", ("", "", "yê", "u", 0)),
        ("uyển", ("", "u", "yê", "n", 3)),
        ("người", ("ng", "", "ươ", "i", 1)),
        ("mưa", ("m", "", "ưa", "", 0)),
        ("của", ("c", "", "ua", "", 3)),
        ("thuở", ("th", "u", "ơ", "", 3)),
        ("hoặc", ("h", "o", "ă", "c", 5)),
        ("khuấy", ("kh", "u", "â", "y", 2)),
        ("ngoài", ("ng", "o", "a", "i", 1)),
        ("lý", ("l", "", "y", "", 2)),
        ("ý", ("", "", "y", "", 2)),
        ("Đường", ("đ", "", "ươ", "ng", 1)),
        ("boong", ("b", "", "oo", "ng", 0)),
    ],
)
def test_parse_parts(token: str, parts: tuple[str, str, str, str, int]) -> None:
    s = parse(token)
    assert s is not None and _parts(s) == parts
    assert compose(s) == token


@pytest.mark.parametrize(
    "token",
    [
        "nghành", "ngà1", "kà", "cì", "ghà", "gía1", "qa", "q", "cát1", "càc", "tạp1",
        "bảt", "hoàt", "ưo", "café", "José", "Pokémon", "ok", "and", "xyz", "", " ",
        "gíà", "hoàn ", "ĐÀ-NẴNG", "a\u0301", "iên", "yên1", "tyên", "chy",
    ],
)  # fmt: skip
def test_not_a_syllable(token: str) -> None:
    assert parse(token) is None
    assert not is_valid(token)


def test_stop_codas_take_only_sac_and_nang() -> None:
    assert [t for t in range(6) if parse(with_tone("các", 2) or "") and with_tone("các", t)] == [
        2,
        5,
    ]
    assert parse("bát") and parse("bạt") and not parse("bàt") and not parse("bãt")
    assert parse("bách") and not parse("bảch")


@pytest.mark.parametrize(
    ("token", "classic", "modern"),
    [
        ("hòa", "hòa", "hoà"),
        ("hoà", "hòa", "hoà"),
        ("thúy", "thúy", "thuý"),
        ("khỏe", "khỏe", "khoẻ"),
        ("Ủy", "Ủy", "Uỷ"),
        ("Hóa", "Hóa", "Hoá"),
        ("THANH", "THANH", "THANH"),
        ("HOÁ", "HÓA", "HOÁ"),
        ("Qúa", "Quá", "Quá"),
        ("qủa", "quả", "quả"),
        ("gìa", "già", "già"),
        ("baỏ", "bảo", "bảo"),
        ("taị", "tại", "tại"),
        ("hòan", "hoàn", "hoàn"),
        ("lựơng", "lượng", "lượng"),
        ("nghịêm", "nghiệm", "nghiệm"),
        ("tìên", "tiền", "tiền"),
        ("tạị", "tại", "tại"),
        ("gíáo", "giáo", "giáo"),
        ("xúât", "xuất", "xuất"),
        ("khuỷu", "khuỷu", "khuỷu"),
        ("quý", "quý", "quý"),
        ("Quý", "Quý", "Quý"),
        ("quí", "quí", "quí"),
        ("thuở", "thuở", "thuở"),
        ("khoảng", "khoảng", "khoảng"),
        ("Thuỷ", "Thủy", "Thuỷ"),
        ("café", "café", "café"),
    ],
)
def test_place_tone(token: str, classic: str, modern: str) -> None:
    assert place_tone(token) == classic
    assert place_tone(token, "modern") == modern
    kept = place_tone(token, "keep")
    assert kept in (classic, modern)
    if is_valid(token):
        assert kept == token


def test_mixed_case_belongs_to_letters() -> None:
    s = parse("HoÁ")
    assert s is not None and s.case == "ulu"
    assert compose(s) == "HóA" and compose(s, "modern") == "HoÁ"
    assert place_tone("QÚA") == "QUÁ" and place_tone("qÚa") == "qUá"


def test_helpers() -> None:
    assert strip_tone("Nguyễn Thị Hoà, ĐƯỜNG") == "Nguyên Thi Hoa, ĐƯƠNG"
    assert tone_of("hoà") == 1 and tone_of("abc") == 0 and TONES[tone_of("Việt")] == "nặng"
    assert with_tone("Hoà", 3) == "Hoả" and with_tone("Hòa", 3) == "Hỏa"
    assert with_tone("Hoa", 3, "modern") == "Hoả"
    assert with_tone("xyz", 1) is None
    assert style_of("Uỷ") == "modern" and style_of("Ủy") == "classic" and style_of("uy") is None
    assert split("nghành") is not None and parse("nghành") is None
    with pytest.raises(ValueError):
        compose(parse("hòa"), "new")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        next(all_syllables("old"))


@given(st.text(max_size=12))
def test_parse_never_raises(text: str) -> None:
    s = parse(text)
    if s is not None:
        assert parse(compose(s)) is not None
    assert place_tone(place_tone(text)) == place_tone(text)


@given(st.sampled_from(ALL), st.lists(st.booleans(), min_size=8, max_size=8))
def test_any_case_mask_round_trips(s: Syllable, mask: list[bool]) -> None:
    text = compose(s)
    cased = "".join(
        c.upper() if m else c for c, m in zip(text, mask + [False] * len(text), strict=False)
    )
    back = parse(cased)
    assert back is not None and _parts(back) == _parts(s)
    assert compose(back) == cased
