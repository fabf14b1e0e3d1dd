"""Data-driven cases from ``tests/cases/<kind>/<step>.json``.

Kinds follow ftfy's split:

- ``synthetic``: made-up text with one defect each;
- ``in-the-wild``: short fragments that reproduce a defect seen in real scrapes;
- ``negative``: correct text that looks suspicious and must come out unchanged;
- ``known-failures``: cases we do not handle yet, run as strict xfail so that
  fixing one forces it to move to its proper file.

Each file is a JSON list of objects::

    {"name": "...", "input": "...", "expected": "...",     # expected omitted: unchanged
     "steps": ["tones"],                                   # default: the file's step only
     "options": {"tone_style": "modern"},                  # Config overrides
     "rules": ["misplaced"]}                               # optional: rules that must fire

Every case also checks that replaying the trace reproduces the output and
that cleaning the output again changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vntext import Config, apply_changes, clean_and_explain

CASES = Path(__file__).parent / "cases"
KINDS = ("synthetic", "in-the-wild", "negative", "known-failures")
FIELDS = {"name", "input", "expected", "steps", "options", "rules", "why"}


def _load() -> list[Any]:
    params = []
    for kind in KINDS:
        for path in sorted((CASES / kind).glob("*.json")):
            for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
                marks = []
                if kind == "known-failures":
                    marks.append(pytest.mark.xfail(strict=True, reason=case.get("why", "")))
                ident = f"{kind}/{path.stem}/{case.get('name', i)}"
                params.append(pytest.param(kind, path.stem, case, id=ident, marks=marks))
    return params


@pytest.mark.parametrize(("kind", "step", "case"), _load())
def test_case(kind: str, step: str, case: dict[str, Any]) -> None:
    steps = case.get("steps", [step])
    config = Config.from_dict(case.get("options", {})).with_steps(only=steps)
    text = case["input"]
    expected = case.get("expected", text)
    if kind == "negative":
        assert "expected" not in case or case["expected"] == text, "negative cases stay unchanged"
    result = clean_and_explain(text, config)
    assert result.text == expected
    assert apply_changes(text, result.changes) == result.text
    for rule in case.get("rules", []):
        assert rule in {c.rule for c in result.changes}, f"rule {rule!r} did not fire"
    assert clean_and_explain(result.text, config).text == result.text, "not idempotent"


def test_case_files_are_well_formed() -> None:
    known = set(Config.step_names())
    seen = 0
    for kind in KINDS:
        for path in (CASES / kind).glob("*.json"):
            assert path.stem in known, f"{path}: no step named {path.stem!r}"
            cases = json.loads(path.read_text(encoding="utf-8"))
            assert isinstance(cases, list) and cases, f"{path}: expected a non-empty list"
            names = [c.get("name") for c in cases]
            assert len(names) == len(set(names)), f"{path}: duplicate case names"
            for c in cases:
                assert set(c) <= FIELDS, c
                assert isinstance(c["input"], str)
            seen += len(cases)
    assert seen > 0
