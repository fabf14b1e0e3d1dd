"""The step registry and the cleaner that runs the enabled steps in order.

Each step is a small class (:class:`Step`) that receives the text and
returns the cleaned text, recording what it did when asked. The registry
(:data:`REGISTRY`) lists the steps in pipeline order; its names are the
:class:`~vntext.config.Config` fields, the CLI's ``--enable``/``--disable``
names, the trace's ``step`` and the report's keys.

Steps are imported when a :class:`Cleaner` needs them, and each loads its
data lazily and caches it per process, so building a cleaner is cheap once
the data is loaded and a pickled cleaner ships as its config alone.

>>> clean("Vie\\u0302\\u0323t  Nam")
'Việt Nam'
>>> [c.rule for c in clean_and_explain("Vie\\u0302\\u0323t  Nam").changes]
['nfc', 'collapse-spaces']
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from vntext.config import Config
from vntext.trace import Change, Cleaned

__all__ = ["REGISTRY", "Cleaner", "Step", "StepInfo", "clean", "clean_and_explain", "step_infos"]


class Step:
    """Base class of a pipeline step.

    A subclass sets :attr:`name` (its config field) and :attr:`summary`, reads
    its options from the config in ``__init__`` and implements :meth:`apply`.
    ``apply`` must edit spans in place through :func:`vntext.trace.apply_edits`
    (never tokenise and re-join) and must record into ``changes`` only when it
    is a list: ``None`` means nobody asked, and recording must then cost
    nothing.
    """

    name: ClassVar[str]
    summary: ClassVar[str]

    def __init__(self, config: Config) -> None:
        self.config = config

    def apply(self, text: str, changes: list[Change] | None) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class StepInfo:
    """What ``vntext steps`` shows for a registered step."""

    name: str
    summary: str
    default: Any


#: Registered steps in pipeline order: name -> "module:Class". Only steps
#: that really work are listed.
REGISTRY: dict[str, str] = {
    "encodings": "vntext.encodings:EncodingsStep",
    "unicode": "vntext.unicode:UnicodeStep",
    "whitespace": "vntext.whitespace:WhitespaceStep",
    "captions": "vntext.captions:CaptionsStep",
    "tones": "vntext.tones:TonesStep",
    "typos": "vntext.typos:TyposStep",
    "abbreviations": "vntext.abbreviations:AbbreviationsStep",
}


def _step_class(name: str) -> type[Step]:
    module, _, cls = REGISTRY[name].partition(":")
    step_cls: type[Step] = getattr(importlib.import_module(module), cls)
    return step_cls


def step_infos() -> list[StepInfo]:
    """The registry with summaries and default settings, in pipeline order."""
    defaults = Config()
    return [
        StepInfo(name, _step_class(name).summary, getattr(defaults, name)) for name in REGISTRY
    ]


class Cleaner:
    """A reusable cleaner for one configuration.

    Build it once and call it on many texts; it is cheap to copy to worker
    processes (it pickles as its config; each process loads the data once).

    >>> cleaner = Cleaner(Config(whitespace=False))
    >>> cleaner("Hà\\u00a0\\u00a0Nội")
    'Hà  Nội'
    >>> cleaner.clean_batch(["a\\u200bb", "c"])
    ['ab', 'c']
    >>> import pickle
    >>> pickle.loads(pickle.dumps(cleaner)).config == cleaner.config
    True
    """

    def __init__(self, config: Config | None = None, **overrides: Any) -> None:
        config = config if config is not None else Config()
        if not isinstance(config, Config):
            raise TypeError(f"config must be a vntext.Config, not {type(config).__name__}")
        if overrides:
            config = config.replace(**overrides)
        self.config = config
        self.steps: tuple[Step, ...] = tuple(
            _step_class(name)(config) for name in config.steps if name in REGISTRY
        )

    def __reduce__(self) -> tuple[type[Cleaner], tuple[Config]]:
        return (Cleaner, (self.config,))

    def __repr__(self) -> str:
        return f"Cleaner(steps={[s.name for s in self.steps]})"

    def __call__(self, text: str) -> str:
        if not isinstance(text, str):
            raise TypeError(f"vntext cleans str, not {type(text).__name__}")
        for step in self.steps:
            text = step.apply(text, None)
        return text

    def explain(self, text: str) -> Cleaned:
        """Clean ``text`` and record every change (see :class:`~vntext.trace.Cleaned`)."""
        if not isinstance(text, str):
            raise TypeError(f"vntext cleans str, not {type(text).__name__}")
        changes: list[Change] = []
        for step in self.steps:
            text = step.apply(text, changes)
        return Cleaned(text, changes)

    def clean_batch(self, texts: Iterable[str]) -> list[str]:
        """Clean many texts (the shape batch engines such as ``datasets.map`` want)."""
        return [self(t) for t in texts]


_CACHE: dict[Config, Cleaner] = {}


def _cleaner(config: Config | None, overrides: dict[str, Any]) -> Cleaner:
    config = config if config is not None else Config()
    if overrides:
        config = config.replace(**overrides)
    cleaner = _CACHE.get(config)
    if cleaner is None:
        if len(_CACHE) >= 32:
            _CACHE.clear()
        cleaner = _CACHE[config] = Cleaner(config)
    return cleaner


def clean(text: str, config: Config | None = None, **overrides: Any) -> str:
    """Clean ``text`` with the default pipeline, or ``config`` and ``overrides``.

    >>> clean("Hà\\u00a0Nội ,  Việt Nam")
    'Hà Nội, Việt Nam'
    >>> clean("Hà\\u00a0Nội ,  Việt Nam", whitespace=False)
    'Hà Nội ,  Việt Nam'
    """
    return _cleaner(config, overrides)(text)


def clean_and_explain(text: str, config: Config | None = None, **overrides: Any) -> Cleaned:
    """Like :func:`clean`, and return every change with the step and rule that made it."""
    return _cleaner(config, overrides).explain(text)
