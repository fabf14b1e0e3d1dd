"""Configuration: which steps run and how, checked when it is built.

:class:`Config` is frozen and keyword-only. A step's name is its field (a
bool, or for steps with modes a string whose ``"off"`` disables it), the same
name the CLI takes in ``--enable``/``--disable``, the trace records and the
stats count. Every value is validated on construction, so a typo in a config
file fails at once with the allowed values, not halfway through a job.

>>> Config().unicode
True
>>> Config().steps
('encodings', 'unicode', 'whitespace', 'captions', 'tones', 'typos')
>>> Config(tones=False, abbreviations="all").steps
('encodings', 'unicode', 'whitespace', 'captions', 'typos', 'abbreviations')
>>> Config(colour=True)
Traceback (most recent call last):
...
ValueError: unknown option 'colour'; allowed: encodings, unicode, whitespace, ...
>>> Config(unicode="yes")
Traceback (most recent call last):
...
ValueError: option 'unicode' must be true or false, not 'yes'
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["PRESETS", "Config"]


def _step(default: bool | str = True, choices: tuple[str, ...] = ()) -> Any:
    """A field that switches a pipeline step on or off (``choices`` for modes)."""
    return field(default=default, metadata={"step": True, "choices": choices})


def _option(
    default: Any,
    choices: tuple[str, ...] = (),
    bounds: tuple[float, float] | None = None,
    multiple: bool = False,
) -> Any:
    """A field that tunes a step; ``choices`` or ``bounds`` constrain its value.

    With ``multiple``, the value is a comma-separated list of ``choices``
    (``""`` for none).
    """
    return field(
        default=default, metadata={"choices": choices, "bounds": bounds, "multiple": multiple}
    )


@dataclass(frozen=True, kw_only=True)
class Config:
    """Which steps run, in pipeline order, and their options.

    Steps (each a field named like the step), in pipeline order:

    - ``encodings``: repair mojibake (UTF-8 read as Windows-1252/Latin-1, once
      or twice), TCVN3/VNI text read as Windows-1252, VIQR, and HTML
      character references.
    - ``unicode``: NFC, combining-mark repair, look-alikes, invisible and
      control characters, space separators and line breaks.
    - ``whitespace``: spacing inside lines, blank lines, spaces around
      punctuation; first, so the steps after it see the words and cues it
      separates (``của  của``, ``Xem  thêm:``).
    - ``captions``: removes photo captions, bylines, related links and
      widgets, repeated leads and date stamps from article text (one
      document per call).
    - ``tones``: tone-mark placement: misplaced and doubled marks fixed, and
      one style throughout (option ``tone_style``).
    - ``typos``: typo correction (non-words, confusions inside compounds,
      stray letters before acronyms, doubled words), precision first.
    - ``abbreviations`` (``off`` by default, ``all`` or ``first``): expand
      Vietnamese acronyms in written form (``UBND`` → ``Ủy ban nhân dân``);
      ``first`` writes ``Ủy ban nhân dân (UBND)`` once per document. Off by
      default because it changes the text a lot: users opt in.

    Options:

    - ``keep_lines`` (``captions``): line classes to keep, comma-separated,
      from ``caption``, ``byline``, ``boilerplate``, ``header`` (default none).
    - ``strip_datelines`` (``captions``): also cut an outlet dateline
      (``TTO - ``, ``(VOV) -``) at the start of the lead (default false).
    - ``caption_patterns`` (``captions``): path to a TSV of site-specific
      cues, tried before the packaged ones (default none).
    - ``tone_style`` (``tones``): ``classic`` (default) writes ``hòa, thúy,
      khỏe, Ủy ban, Thanh Hóa``; ``modern`` writes ``hoà, thuý, khoẻ, Uỷ ban,
      Thanh Hoá``; ``keep`` leaves either as written and only fixes
      misplaced and doubled marks.
    - ``typo_threshold`` (``typos``): how sure ``typos`` must be: ``safe``
      (default: confidence 0.9, fast structural detection), ``thorough``
      (also checks every token against the syllable counts, several times
      slower) or ``aggressive`` (``thorough`` with confidence 0.75: more
      fixes, more mistakes).
    - ``lexicon`` (``typos``): path to a counts file made by
      ``vntext lexicon build``, added to the built-in counts.
    - ``abbreviations_file`` (``abbreviations``): a user TSV
      (``ABBR<TAB>expansion``) that adds or overrides acronyms (an empty
      expansion removes one).
    - ``abbreviation_threshold`` (``abbreviations``, 0..1, default 0.9): the
      confidence an expansion needs; lower it to expand ambiguous acronyms
      by their most likely sense when no cue word decides.

    Build one directly, from a preset (:meth:`preset`), from a TOML file
    (:meth:`from_toml`) or from another with :meth:`replace`.
    """

    encodings: bool = _step()
    unicode: bool = _step()
    whitespace: bool = _step()
    captions: bool = _step()
    tones: bool = _step()
    typos: bool = _step()
    abbreviations: str = _step("off", choices=("off", "all", "first"))

    keep_lines: str = _option(
        "", choices=("caption", "byline", "boilerplate", "header"), multiple=True
    )
    strip_datelines: bool = _option(False)
    caption_patterns: str | None = _option(None)
    tone_style: str = _option("classic", choices=("classic", "modern", "keep"))
    typo_threshold: str = _option("safe", choices=("safe", "thorough", "aggressive"))
    lexicon: str | None = _option(None)
    abbreviations_file: str | None = _option(None)
    abbreviation_threshold: float = _option(0.9, bounds=(0.0, 1.0))

    def __new__(cls, *args: Any, **kwargs: Any) -> Config:
        # Reject unknown names with ValueError and the allowed ones (the
        # generated __init__ would raise a bare TypeError).
        for key in kwargs:
            if key not in cls.option_names():
                allowed = ", ".join(cls.option_names())
                raise ValueError(f"unknown option {key!r}; allowed: {allowed}")
        return super().__new__(cls)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            choices: tuple[str, ...] = f.metadata.get("choices", ())
            bounds = f.metadata.get("bounds")
            if choices and f.metadata.get("multiple"):
                items = value.split(",") if isinstance(value, str) else [value]
                bad = [v for v in items if not isinstance(v, str) or v.strip() not in choices]
                if value != "" and bad:
                    raise ValueError(
                        f"option {f.name!r} takes a comma-separated list of "
                        f"{', '.join(choices)}; got {value!r}"
                    )
            elif choices:
                if value not in choices:
                    raise ValueError(
                        f"option {f.name!r} must be one of {', '.join(choices)}; got {value!r}"
                    )
            elif isinstance(f.default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"option {f.name!r} must be true or false, not {value!r}")
            elif bounds is not None:
                lo, hi = bounds
                if (
                    isinstance(value, bool)
                    or not isinstance(value, (int, float))
                    or not lo <= value <= hi
                ):
                    raise ValueError(
                        f"option {f.name!r} must be a number from {lo} to {hi}; got {value!r}"
                    )
            elif (f.default is None or isinstance(f.default, str)) and not (
                value is None or isinstance(value, str)
            ):
                raise ValueError(f"option {f.name!r} must be a string; got {value!r}")

    # -- construction -------------------------------------------------------

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        """Every field name, steps included, in declaration order."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def step_names(cls) -> tuple[str, ...]:
        """The step fields, in pipeline order."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("step"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base: Config | None = None) -> Config:
        """Build from a mapping, rejecting unknown keys with the allowed ones.

        >>> Config.from_dict({"tone_style": "modern"}).tone_style
        'modern'
        """
        allowed = cls.option_names()
        for key in data:
            if key not in allowed:
                raise ValueError(f"unknown option {key!r}; allowed: {', '.join(allowed)}")
        return dataclasses.replace(base or cls(), **dict(data))

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> Config:
        """Load a TOML file: an optional ``preset = "name"`` and option keys.

        Keys may sit at the top level or under a ``[vntext]`` table, so the
        settings can live in a project's ``pyproject.toml`` as
        ``[tool.vntext]`` too.
        """
        with open(path, "rb") as fh:
            try:
                data: dict[str, Any] = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{os.fspath(path)}: not valid TOML: {exc}") from None
        if "tool" in data and isinstance(data["tool"], dict) and "vntext" in data["tool"]:
            data = data["tool"]["vntext"]
        elif "vntext" in data and isinstance(data["vntext"], dict):
            data = data["vntext"]
        data = dict(data)
        preset = data.pop("preset", "default")
        try:
            return cls.from_dict(data, base=cls.preset(preset))
        except ValueError as exc:
            raise ValueError(f"{os.fspath(path)}: {exc}") from None

    @classmethod
    def preset(cls, name: str) -> Config:
        """A named set of options; see :data:`PRESETS`.

        >>> Config.preset("minimal").steps
        ('unicode', 'whitespace')
        >>> Config.preset("nope")
        Traceback (most recent call last):
        ...
        ValueError: unknown preset 'nope'; allowed: default, minimal, tts
        """
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r}; allowed: {', '.join(PRESETS)}")
        options = dict(PRESETS[name])
        only = options.pop("only", None)
        config = cls.from_dict(options)
        return config if only is None else config.with_steps(only=only)

    def replace(self, **changes: Any) -> Config:
        """A copy with some options changed, validated like a new config."""
        return Config.from_dict(changes, base=self)

    # -- steps --------------------------------------------------------------

    def is_enabled(self, step: str) -> bool:
        """True when ``step`` runs (a mode other than ``"off"`` counts as on)."""
        if step not in self.step_names():
            raise ValueError(f"unknown step {step!r}; allowed: {', '.join(self.step_names())}")
        value = getattr(self, step)
        return value is True or (isinstance(value, str) and value != "off")

    @property
    def steps(self) -> tuple[str, ...]:
        """The enabled steps, in the order the pipeline runs them."""
        return tuple(name for name in self.step_names() if self.is_enabled(name))

    def with_steps(
        self,
        *,
        enable: Iterable[str] = (),
        disable: Iterable[str] = (),
        only: Iterable[str] | None = None,
    ) -> Config:
        """Switch steps on or off by name (what ``--enable``/``--disable``/``--only`` do).

        A step with modes is enabled in its default mode (its field's default,
        or its first mode other than ``"off"`` when the default is off).

        >>> Config().with_steps(only=["whitespace"]).steps
        ('whitespace',)
        >>> Config().with_steps(disable=["tonez"])
        Traceback (most recent call last):
        ...
        ValueError: unknown step 'tonez'; allowed: encodings, unicode, whitespace, ...
        """
        names = self.step_names()
        fields = {f.name: f for f in dataclasses.fields(self) if f.name in names}
        enable, disable = list(enable), list(disable)
        for name in [*enable, *disable, *(only or ())]:
            if name not in names:
                raise ValueError(f"unknown step {name!r}; allowed: {', '.join(names)}")
        updates: dict[str, Any] = {}

        def on(name: str) -> Any:
            f = fields[name]
            if isinstance(f.default, bool):
                return True
            current = getattr(self, name)
            if current != "off":
                return current
            if f.default != "off":
                return f.default
            return next(c for c in f.metadata["choices"] if c != "off")

        def off(name: str) -> Any:
            return False if isinstance(fields[name].default, bool) else "off"

        if only is not None:
            keep = set(only)
            for name in names:
                updates[name] = on(name) if name in keep else off(name)
        for name in enable:
            updates[name] = on(name)
        for name in disable:
            updates[name] = off(name)
        return dataclasses.replace(self, **updates)

    def to_dict(self) -> dict[str, Any]:
        """Every option with its value (what ``vntext steps`` and reports show)."""
        return {name: getattr(self, name) for name in self.option_names()}


#: Named option sets for :meth:`Config.preset`. ``default`` is the
#: constructor's defaults; ``only`` lists the steps a preset runs.
#:
#: - ``default``: every step but ``abbreviations``: what a corpus needs.
#: - ``minimal``: ``unicode`` and ``whitespace`` only: changes code points
#:   and spacing, never a letter of a word.
#: - ``tts``: everything, acronyms expanded (``UBND`` → ``Ủy ban nhân dân``)
#:   for speech front ends.
PRESETS: dict[str, dict[str, Any]] = {
    "default": {},
    "minimal": {"only": ["unicode", "whitespace"]},
    "tts": {"abbreviations": "all"},
}
