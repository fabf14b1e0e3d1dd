"""Registry, Cleaner, clean and clean_and_explain."""

from __future__ import annotations

import pickle

import pytest

import vntext
from vntext import Cleaner, Config, apply_changes, clean, clean_and_explain
from vntext.pipeline import REGISTRY, Step, step_infos


def test_registry_matches_the_config_steps_in_order() -> None:
    assert [n for n in Config.step_names() if n in REGISTRY] == list(REGISTRY)
    for info in step_infos():
        assert info.summary
        assert info.default == getattr(Config(), info.name)


def test_every_registered_step_is_a_step_named_like_its_key() -> None:
    cleaner = Cleaner(Config().with_steps(only=list(REGISTRY)))
    assert [s.name for s in cleaner.steps] == list(REGISTRY)
    for step in cleaner.steps:
        assert isinstance(step, Step)


def test_clean_runs_the_default_pipeline() -> None:
    assert clean("Vie\u0302\u0323t  Nam") == "Việt Nam"
    assert clean("Hà\u00a0Nội ,  Việt Nam") == "Hà Nội, Việt Nam"


def test_overrides_and_config() -> None:
    text = "Hà\u00a0Nội ,  Việt Nam"
    assert clean(text, whitespace=False) == "Hà Nội ,  Việt Nam"
    assert clean(text, Config(unicode=False)) == "Hà\u00a0Nội, Việt Nam"
    assert clean(text, Config().with_steps(only=[])) == text
    with pytest.raises(ValueError, match="unknown option"):
        clean(text, colour=True)


def test_clean_and_explain_trace_replays() -> None:
    text = "Vie\u0302\u0323t  Nam\u00a0\u00d0H ,Quốc gia\r\n"
    result = clean_and_explain(text)
    assert result.text == clean(text)
    assert apply_changes(text, result.changes) == result.text
    assert [c.step for c in result.changes] == sorted(
        (c.step for c in result.changes), key=list(REGISTRY).index
    )
    assert result.counts()["unicode"]["nfc"] == 1


def test_rejects_non_str() -> None:
    with pytest.raises(TypeError, match="vntext cleans str, not bytes"):
        clean(b"abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        clean_and_explain(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"config must be a vntext\.Config"):
        Cleaner({"unicode": True})  # type: ignore[arg-type]


def test_cleaner_is_reusable_and_picklable() -> None:
    cleaner = Cleaner(Config().with_steps(only=["unicode"]))
    assert cleaner("a\u200bb") == "ab"
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.config == cleaner.config
    assert [s.name for s in copy.steps] == ["unicode"]
    texts = ["Hà\u00a0Nội", "e\u0301\u0302", ""]
    assert copy.clean_batch(texts) == [cleaner(t) for t in texts] == ["Hà Nội", "ế", ""]
    assert "unicode" in repr(cleaner)


def test_cleaner_overrides() -> None:
    assert Cleaner(whitespace=False).config == Config(whitespace=False)


def test_empty_text() -> None:
    assert clean("") == ""
    assert clean_and_explain("").changes == []


def test_public_names() -> None:
    for name in vntext.__all__:
        assert hasattr(vntext, name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trụ sở của  của công ty", "trụ sở của công ty"),  # doubled word behind two spaces
        ("các nghành.Đại học", "các ngành. Đại học"),  # a typo glued to the next sentence
        ("các hòan1 việc", "các hoàn 1 việc"),  # a misplaced mark glued to a number
        ("của của.Đại", "của. Đại"),
        # a cue behind a double space: "Xem thêm" is a related link
        ("Tiêu đề bài viết ở đây\nMột đoạn văn đủ dài để làm phần thân của bài viết này, "
         "với nhiều chi tiết hơn nữa.\nXem  thêm: Bão số 3",
         "Tiêu đề bài viết ở đây\nMột đoạn văn đủ dài để làm phần thân của bài viết này, "
         "với nhiều chi tiết hơn nữa."),
    ],
)
def test_words_that_spacing_separates_are_fixed_in_one_run(text: str, expected: str) -> None:
    assert clean(text) == expected
    assert clean(expected) == expected
