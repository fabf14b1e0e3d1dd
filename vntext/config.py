"""Configuration: which steps run and how, checked when it is built.

:class:`Config` is frozen and keyword-only. A step's name is its field (a
bool, or for steps with modes a string whose ``"off"`` disables it), the same
name the CLI takes in ``--enable``/``--disable``, the trace records and the
stats count. Every value is validated on construction, so a typo in a config
file fails at once with the allowed values, not halfway through a job.

>>> Config().unicode
True
>>> Config(unicode=False).steps
('whitespace',)
>>> Config(colour=True)
Traceback (most recent call last):
...
ValueError: unknown option 'colour'; allowed: unicode, whitespace
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


def _option(default: Any, choices: tuple[str, ...] = (), bounds: tuple[float, float] | None = None) -> Any:
    """A field that tunes a step; ``choices`` or ``bounds`` constrain its value."""
    return field(default=default, metadata={"choices": choices, "bounds": bounds})


@dataclass(frozen=True, kw_only=True)
class Config:
    """Which steps run, in pipeline order, and their options.

    Steps (each a field named like the step):

    - ``unicode``: NFC, combining-mark repair, look-alikes, invisible and
      control characters, space separators and line breaks.
    - ``whitespace``: spacing inside lines, blank lines, spaces around
      punctuation.

    Build one directly, from a preset (:meth:`preset`), from a TOML file
    (:meth:`from_toml`) or from another with :meth:`replace`.
    """

    unicode: bool = _step()
    whitespace: bool = _step()

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
            if choices:
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
            elif f.default is None or isinstance(f.default, str):
                if value is not None and not isinstance(value, str):
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

        >>> Config.from_dict({"whitespace": False}).steps
        ('unicode',)
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
        ('unicode',)
        >>> Config.preset("nope")
        Traceback (most recent call last):
        ...
        ValueError: unknown preset 'nope'; allowed: default, minimal
        """
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r}; allowed: {', '.join(PRESETS)}")
        return cls.from_dict(PRESETS[name])

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
        ValueError: unknown step 'tonez'; allowed: unicode, whitespace
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
#: constructor's defaults.
PRESETS: dict[str, dict[str, Any]] = {
    "default": {},
    "minimal": {"whitespace": False},
}
