"""Config: validation, presets, TOML files, step switches."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from vntext import Config
from vntext.config import PRESETS


def test_defaults_enable_every_step_but_abbreviations() -> None:
    # Expanding acronyms rewrites a lot of text: users opt in to it.
    assert Config().steps == tuple(s for s in Config.step_names() if s != "abbreviations")
    assert Config.step_names()[:2] == ("encodings", "unicode")


def test_whitespace_runs_before_the_steps_that_read_words() -> None:
    # Spacing separates words and cues (``của  của``, ``nghành.Đại``, ``bàp1``,
    # ``Xem  thêm:``): the steps that read them must see them separated, or a
    # second run would fix what the first could not see.
    names = Config.step_names()
    assert names.index("unicode") < names.index("whitespace")
    for step in ("captions", "tones", "typos", "abbreviations"):
        assert names.index("whitespace") < names.index(step)


def test_frozen_and_keyword_only() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().unicode = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        Config(True)  # type: ignore[misc]


@pytest.mark.parametrize("bad", ["colour", "Unicode", "white_space"])
def test_unknown_option_names_the_allowed_ones(bad: str) -> None:
    with pytest.raises(ValueError, match=f"unknown option '{bad}'; allowed: .*unicode"):
        Config(**{bad: True})
    with pytest.raises(ValueError, match=f"unknown option '{bad}'"):
        Config.from_dict({bad: True})
    with pytest.raises(ValueError, match=f"unknown option '{bad}'"):
        Config().replace(**{bad: True})


@pytest.mark.parametrize("value", ["yes", 1, 0, None, "true"])
def test_step_values_must_be_bool(value: object) -> None:
    with pytest.raises(ValueError, match="must be true or false"):
        Config(unicode=value)  # type: ignore[arg-type]


def test_equality_and_hash() -> None:
    assert Config() == Config()
    assert hash(Config(unicode=False)) == hash(Config(unicode=False))
    assert Config() != Config(unicode=False)


def test_pickle_round_trip() -> None:
    c = Config(whitespace=False)
    assert pickle.loads(pickle.dumps(c)) == c


def test_presets() -> None:
    assert set(PRESETS) >= {"default", "minimal"}
    assert Config.preset("default") == Config()
    for name in PRESETS:
        assert isinstance(Config.preset(name), Config)
    with pytest.raises(ValueError, match="unknown preset 'nope'; allowed: default"):
        Config.preset("nope")


def test_with_steps() -> None:
    assert Config().with_steps(only=["unicode"]).steps == ("unicode",)
    assert Config().with_steps(only=[]).steps == ()
    assert "whitespace" not in Config().with_steps(disable=["whitespace"]).steps
    off = Config().with_steps(only=[])
    assert off.with_steps(enable=["whitespace"]).steps == ("whitespace",)
    assert Config().with_steps(only=["whitespace"], enable=["unicode"]).steps == (
        "unicode",
        "whitespace",
    )
    # A step with modes is switched on in its first mode other than "off".
    assert Config().with_steps(enable=["abbreviations"]).abbreviations == "all"
    assert Config(abbreviations="first").with_steps(enable=["abbreviations"]).abbreviations == (
        "first"
    )
    assert Config(abbreviations="first").with_steps(disable=["abbreviations"]).abbreviations == (
        "off"
    )
    with pytest.raises(ValueError, match="unknown step 'tonez'; allowed: encodings"):
        Config().with_steps(enable=["tonez"])
    with pytest.raises(ValueError, match="unknown step"):
        Config().with_steps(only=["nope"])


def test_is_enabled() -> None:
    assert Config().is_enabled("unicode")
    assert not Config(unicode=False).is_enabled("unicode")
    with pytest.raises(ValueError, match="unknown step"):
        Config().is_enabled("nope")


def test_to_dict_round_trips() -> None:
    c = Config(whitespace=False)
    assert Config.from_dict(c.to_dict()) == c
    assert list(c.to_dict()) == list(Config.option_names())


def test_toml_top_level(tmp_path: Path) -> None:
    path = tmp_path / "vntext.toml"
    path.write_text('preset = "minimal"\nunicode = true\n', encoding="utf-8")
    assert Config.from_toml(path) == Config.preset("minimal")


def test_toml_tables(tmp_path: Path) -> None:
    path = tmp_path / "vntext.toml"
    path.write_text("[vntext]\nwhitespace = false\n", encoding="utf-8")
    assert Config.from_toml(path) == Config(whitespace=False)
    py = tmp_path / "pyproject.toml"
    py.write_text('[project]\nname = "x"\n[tool.vntext]\nunicode = false\n', encoding="utf-8")
    assert Config.from_toml(py) == Config(unicode=False)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("unicode = [", "not valid TOML"),
        ("colour = true", "unknown option 'colour'"),
        ('unicode = "yes"', "must be true or false"),
        ('preset = "nope"', "unknown preset 'nope'"),
    ],
)
def test_toml_errors_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        Config.from_toml(path)
    assert str(path) in str(info.value)


def test_toml_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Config.from_toml(tmp_path / "missing.toml")
