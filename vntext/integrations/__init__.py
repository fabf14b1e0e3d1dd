"""Run vntext inside the engines corpus builders already use.

One module per engine, each behind an optional extra so that ``pip install
vntext`` stays small:

=========================================  ===========================  ======================
module                                     what it gives                install
=========================================  ===========================  ======================
:mod:`vntext.integrations.datatrove`       a datatrove pipeline step    ``vntext[datatrove]``
:mod:`vntext.integrations.hf`              a ``Dataset.map`` function   ``vntext[hf]``
:mod:`vntext.integrations.spark`           a pandas UDF on a column     ``vntext[spark]``
:mod:`vntext.integrations.dask`            bag and dataframe helpers    ``vntext[dask]``
=========================================  ===========================  ======================

Every adapter takes a :class:`~vntext.Config` or a :class:`~vntext.Cleaner`
(see :func:`as_cleaner`), and a missing engine is reported when the step or
helper is *built*, naming the extra to install (:func:`require`), never
halfway through a job.

Per-rule statistics travel in one shape everywhere: a list of
``{"step", "rule", "count"}`` records per document (:func:`count_records`).
It has a fixed Arrow type (``list<struct<step: string, rule: string, count:
int64>>``), so it fits a Parquet column, a ``datasets`` feature and a Spark
``ArrayType`` alike, whatever rules fired; :func:`sum_counts` folds any
number of them back into ``{step: {rule: n}}``.

>>> records = count_records({"unicode": {"nfc": 2}, "whitespace": {"collapse-spaces": 1}})
>>> records[0]
{'step': 'unicode', 'rule': 'nfc', 'count': 2}
>>> sum_counts([records, [{"step": "unicode", "rule": "nfc", "count": 3}], []])
{'unicode': {'nfc': 5}, 'whitespace': {'collapse-spaces': 1}}
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import TypedDict

from vntext.config import Config
from vntext.pipeline import Cleaner
from vntext.pipeline import _cleaner as cached_cleaner

__all__ = [
    "CountRecord",
    "as_cleaner",
    "count_records",
    "is_null",
    "merge_counts",
    "require",
    "sum_counts",
]


class CountRecord(TypedDict):
    """How often one rule of one step fired in one document."""

    step: str
    rule: str
    count: int


def is_null(value: object) -> bool:
    """A null cell of a pandas column: Arrow hands pandas ``None``, ``NaN`` or ``pd.NA``,
    by version. Text is never null; pandas is imported only for the rest.

    >>> is_null("") or is_null("nan")
    False
    """
    if isinstance(value, str):
        return False
    import pandas as pd  # the engines that hand over pandas cells need it anyway

    return bool(pd.isna(value))


def require(module: str, extra: str) -> ModuleType:
    """Import ``module`` or fail with the ``pip install`` line that brings it.

    The message names the Python that failed: on a cluster, the worker's
    Python is often not the driver's.

    >>> require("json", "none").__name__
    'json'

    >>> require("no_such_engine", "dask")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    ImportError: this vntext integration needs no_such_engine
    (No module named 'no_such_engine' in .../python...);
    install it with: pip install 'vntext[dask]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"this vntext integration needs {module} ({exc} in {sys.executable}); "
            f"install it with: pip install 'vntext[{extra}]'"
        ) from exc


def as_cleaner(config: Config | Cleaner | None = None) -> Cleaner:
    """The cleaner for ``config`` (a :class:`Config`, a :class:`Cleaner` or ``None``).

    Cleaners are cached per process and per config: an engine that ships the
    config to a worker gets one cleaner per worker process, however many
    tasks or batches it runs there, and each step's data is loaded once per
    process.

    >>> as_cleaner(Config(whitespace=False)) is as_cleaner(Config(whitespace=False))
    True
    >>> as_cleaner("default")
    Traceback (most recent call last):
    ...
    TypeError: expected a vntext.Config or a vntext.Cleaner, not str
    """
    if isinstance(config, Cleaner):
        return config
    if config is not None and not isinstance(config, Config):
        raise TypeError(
            f"expected a vntext.Config or a vntext.Cleaner, not {type(config).__name__}"
        )
    return cached_cleaner(config, {})  # the cache behind vntext.clean()


def count_records(counts: Mapping[str, Mapping[str, int]]) -> list[CountRecord]:
    """Flatten ``Cleaned.counts()`` into records with a fixed columnar type."""
    return [
        {"step": step, "rule": rule, "count": n}
        for step, rules in counts.items()
        for rule, n in rules.items()
    ]


def merge_counts(
    total: dict[str, dict[str, int]], counts: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, int]]:
    """Add ``counts`` (``{step: {rule: n}}``) into ``total`` in place and return it.

    >>> merge_counts({"unicode": {"nfc": 1}}, {"unicode": {"nfc": 2, "nbsp": 1}})
    {'unicode': {'nfc': 3, 'nbsp': 1}}
    """
    for step, rules in counts.items():
        into = total.setdefault(step, {})
        for rule, n in rules.items():
            into[rule] = into.get(rule, 0) + n
    return total


def sum_counts(
    columns: Iterable[Iterable[Mapping[str, object]] | object],
) -> dict[str, dict[str, int]]:
    """Total a column of :func:`count_records` lists into ``{step: {rule: n}}``.

    Nulls (``None``, ``pd.NA``: what a columnar store gives back for a null
    list) count as no change. Steps and rules keep the order they first
    appear in.
    """
    total: dict[str, dict[str, int]] = {}
    for records in columns:
        if not hasattr(records, "__iter__"):
            continue
        for r in records:
            into = total.setdefault(str(r["step"]), {})
            rule = str(r["rule"])
            into[rule] = into.get(rule, 0) + int(r["count"])
    return total
