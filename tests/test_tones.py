"""The tones step: every syllable, every style, the fast path, the trace."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vntext import Config, apply_changes, clean_and_explain
from vntext.syllable import TONED, VOWELS, Syllable, all_syllables, compose, tone_position
from vntext.tones import _scanner, fix_token, normalize_tones
from vntext.trace import Change

ALL = list(all_syllables())
CASES = ("lower", "title", "upper")


def _cased(s: Syllable, case: str) -> Syllable:
    return Syllable(s.onset, s.medial, s.nucleus, s.coda, s.tone, case)


def _text(style: str) -> str:
    return " ".join(compose(_cased(s, c), style) for s in ALL for c in CASES)


CLASSIC = _text("classic")
MODERN = _text("modern")


def test_correct_text_is_unchanged_in_its_own_style() -> None:
    assert normalize_tones(CLASSIC) == CLASSIC
    assert normalize_tones(MODERN, "modern") == MODERN
    assert normalize_tones(CLASSIC, "keep") == CLASSIC
    assert normalize_tones(MODERN, "keep") == MODERN


def test_styles_convert_both_ways() -> None:
    assert normalize_tones(CLASSIC, "modern") == MODERN
    assert normalize_tones(MODERN, "classic") == CLASSIC
    assert normalize_tones(normalize_tones(CLASSIC, "modern"), "classic") == CLASSIC


def _misplaced(style: str) -> list[tuple[str, str]]:
    """Every syllable with its mark on each wrong letter, and the right form."""
    pairs = []
    for s in ALL:
        if not s.tone:
            continue
        bare = compose(Syllable(s.onset, s.medial, s.nucleus, s.coda, 0))
        right = {tone_position(s, "classic"), tone_position(s, "modern")}
        for i, ch in enumerate(bare):
            if ch in VOWELS and i not in right:
                wrong = bare[:i] + TONED[ch, s.tone] + bare[i + 1 :]
                pairs.append((wrong, compose(s, style)))
    return pairs


@pytest.mark.parametrize("style", ["classic", "modern"])
def test_every_misplaced_mark_is_fixed(style: str) -> None:
    pairs = _misplaced(style)
    assert len(pairs) > 5000
    for case in CASES:
        fix = str.upper if case == "upper" else str.title if case == "title" else str
        text = " ".join(fix(w) for w, _ in pairs)
        expected = " ".join(fix(r) for _, r in pairs)
        assert normalize_tones(text, style) == expected


def test_keep_changes_only_misplaced_marks() -> None:
    pairs = _misplaced("classic")
    changes: list[Change] = []
    mixed = " ".join(itertools.chain.from_iterable((w, r) for w, r in pairs))
    out = normalize_tones(mixed + " " + MODERN + " " + CLASSIC, "keep", changes)
    assert out == " ".join(r + " " + r for _, r in pairs) + " " + MODERN + " " + CLASSIC
    assert {c.rule for c in changes} == {"misplaced"}
    assert len(changes) == len(pairs)


def test_doubled_marks_on_every_pair_of_vowels() -> None:
    n = 0
    for s in ALL:
        if not s.tone:
            continue
        text = compose(s)
        at = [i for i, ch in enumerate(s.letters) if ch in VOWELS]
        for a, b in itertools.combinations(at, 2):
            letters = s.letters
            doubled = "".join(
                TONED[ch, s.tone] if i in (a, b) else ch for i, ch in enumerate(letters)
            )
            assert fix_token(doubled) == (text, "doubled"), doubled
            n += 1
    assert n > 3000


def test_rules_in_the_trace_and_replay() -> None:
    text = "Qúa trình hoà tạị, ngưòi THANH HOÁ và café."
    changes: list[Change] = []
    out = normalize_tones(text, "classic", changes)
    assert out == "Quá trình hòa tại, người THANH HÓA và café."
    assert [(c.before, c.after, c.rule) for c in changes] == [
        ("Qúa", "Quá", "misplaced"),
        ("hoà", "hòa", "style"),
        ("tạị", "tại", "doubled"),
        ("ngưòi", "người", "misplaced"),
        ("HOÁ", "HÓA", "style"),
    ]
    assert apply_changes(text, changes) == out
    assert all(c.step == "tones" for c in changes)


@pytest.mark.parametrize(
    "text",
    [
        "http://hoà.vn/thuý",
        "www.hòan.vn",
        "thuý@hoà.vn",
        "hoà_an",
        "hoà.py",
        "x=hoà",
        "hoà1",
        "2hòan",
        "café Pokémon José Noël",
        "hoàn khoảng toán khuỷu quý Quý thuở quí Quí",
        "từ từ, ngày ngày",
        "",
    ],
)
def test_negatives(text: str) -> None:
    assert normalize_tones(text) == text


def test_step_in_pipeline_and_options() -> None:
    config = Config(tone_style="modern").with_steps(only=["tones"])
    result = clean_and_explain("Hòa Bình, Qúa", config)
    assert result.text == "Hoà Bình, Quá"
    assert result.counts() == {"tones": {"style": 1, "misplaced": 1}}
    with pytest.raises(ValueError):
        Config(tone_style="old")
    with pytest.raises(ValueError):
        normalize_tones("x", "old")


def test_scanner_is_built_per_style() -> None:
    assert _scanner("classic").search("hoà") is not None
    assert _scanner("modern").search("hoà") is None
    assert _scanner("keep").search("hoà") is None
    assert _scanner("keep").search("hòan") is not None


_WORDS = [compose(s) for s in ALL[::97]] + ["Qúa", "hòan", "tạị", "Hoá", "ngưòi", "café"]
_SEPARATORS = [" ", "  ", ", ", ".", "\n", "-", "/", "@", "_", "1"]


@given(
    st.lists(st.sampled_from(_WORDS + _SEPARATORS), max_size=30),
    st.sampled_from(["classic", "modern", "keep"]),
)
def test_properties(parts: list[str], style: str) -> None:
    text = "".join(parts)
    changes: list[Change] = []
    out = normalize_tones(text, style, changes)
    assert normalize_tones(out, style) == out
    assert apply_changes(text, changes) == out
    assert len(out) == len(text)


@given(st.text(max_size=40))
def test_never_raises(text: str) -> None:
    out = normalize_tones(text)
    assert normalize_tones(out) == out
