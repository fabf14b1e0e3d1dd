"""The trace: Change, Edit, apply_edits, apply_changes, Cleaned."""

from __future__ import annotations

import json

import pytest

from vntext import Change, Cleaned, apply_changes
from vntext.trace import LINE_CLASSES, Edit, apply_edits


def test_apply_edits_records_exactly_what_it_does() -> None:
    changes: list[Change] = []
    out = apply_edits("a  b ,c", [Edit(1, 3, " ", "x"), Edit(4, 5, "", "y")], "s", changes)
    assert out == "a b,c"
    assert changes == [
        Change("s", "x", 1, 3, "  ", " "),
        Change("s", "y", 4, 5, " ", ""),
    ]
    assert apply_changes("a  b ,c", changes) == out


def test_apply_edits_without_recorder() -> None:
    assert apply_edits("abc", [Edit(0, 1, "A", "up")], "s", None) == "Abc"


def test_noop_edits_are_dropped() -> None:
    changes: list[Change] = []
    text = "abc"
    assert apply_edits(text, [Edit(0, 1, "a", "same")], "s", changes) is text
    assert changes == []


def test_insertion() -> None:
    changes: list[Change] = []
    assert apply_edits("a.B", [Edit(2, 2, " ", "ins")], "s", changes) == "a. B"
    assert apply_changes("a.B", changes) == "a. B"


@pytest.mark.parametrize(
    "edits",
    [
        [Edit(2, 3, "x", "r"), Edit(0, 1, "y", "r")],  # unsorted
        [Edit(0, 2, "x", "r"), Edit(1, 3, "y", "r")],  # overlapping
        [Edit(2, 1, "x", "r")],  # end before start
        [Edit(0, 9, "x", "r")],  # beyond the text
    ],
)
def test_bad_edits_raise(edits: list[Edit]) -> None:
    with pytest.raises(ValueError, match="overlaps a previous edit or leaves the text"):
        apply_edits("abc", edits, "s", None)


def test_apply_changes_replays_step_by_step() -> None:
    text = "Hà\xa0 Nội"
    changes = [
        Change("unicode", "space-separator", 2, 3, "\xa0", " "),
        Change("whitespace", "collapse-spaces", 2, 4, "  ", " "),
    ]
    assert apply_changes(text, changes) == "Hà Nội"
    assert apply_changes(text, []) == text


@pytest.mark.parametrize(
    "change",
    [
        Change("s", "r", 0, 1, "x", "y"),  # wrong before
        Change("s", "r", 5, 9, "abc", "y"),  # out of range
    ],
)
def test_apply_changes_raises_on_a_trace_that_does_not_fit(change: Change) -> None:
    with pytest.raises(ValueError, match="trace does not fit the text"):
        apply_changes("abc", [change])


def test_change_dict_round_trip() -> None:
    plain = Change("s", "r", 1, 2, "a", "b")
    rich = Change("s", "r", 1, 2, "a", "", label="caption", confidence=0.5, round=1)
    for c in (plain, rich):
        assert Change.from_dict(json.loads(json.dumps(c.to_dict()))) == c
    assert set(plain.to_dict()) == {"step", "rule", "start", "end", "before", "after"}
    assert "label='caption'" in repr(rich) and "confidence=0.5" in repr(rich)
    assert "round=1" in repr(rich)
    assert "label" not in repr(plain) and "round" not in repr(plain)


def test_rounds_of_one_step_replay_one_after_the_other() -> None:
    # A step that looks again at its own output records a second round whose
    # offsets index the first round's output: "xaaby" -> "xaby" -> "xby".
    changes = [
        Change("s", "r", 1, 2, "a", ""),
        Change("s", "r", 1, 2, "a", "", round=1),
    ]
    assert apply_changes("xaaby", changes) == "xby"
    # the same changes in one round overlap
    with pytest.raises(ValueError, match="overlaps"):
        apply_changes("xaaby", [Change("s", "r", 1, 2, "a", ""), Change("s", "r", 1, 2, "a", "")])


def test_cleaned_counts_and_removed_lines() -> None:
    changes = [
        Change("unicode", "nfc", 0, 1, "a", "b"),
        Change("unicode", "nfc", 2, 3, "a", "b"),
        Change("whitespace", "trailing-space", 4, 5, " ", ""),
        Change("captions", "caption", 6, 9, "Ảnh", "", label=sorted(LINE_CLASSES)[0]),
    ]
    r = Cleaned("x", changes)
    assert r.counts() == {
        "unicode": {"nfc": 2},
        "whitespace": {"trailing-space": 1},
        "captions": {"caption": 1},
    }
    assert r.removed_lines == [changes[3]]
    assert Cleaned("x").changes == []
