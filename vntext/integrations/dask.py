"""Clean text with Dask: bags of strings and dataframe columns.

Bags (``dask.bag``) of strings::

    import dask.bag as db
    from vntext import Config
    from vntext.integrations.dask import clean_bag, explain_bag

    texts = db.read_text("raw/*.txt.gz", linedelimiter="\\n\\n")   # or db.from_sequence(...)
    clean_bag(texts, config=Config()).to_textfiles("clean/*.txt.gz")
    cleaned, counts = explain_bag(texts, config=Config())          # with per-rule counts
    _, totals = dask.compute(cleaned.to_textfiles("clean/*.txt.gz", compute=False), counts)

Dataframes (``dask.dataframe``), one ``map_partitions`` call::

    import dask.dataframe as dd
    from vntext.integrations.dask import clean_dataframe, rule_counts

    df = dd.read_parquet("raw/")                  # or dd.read_json("raw/*.jsonl", lines=True)
    df = clean_dataframe(df, "text", config=Config(), counts_column="vntext_changes")
    write = df.to_parquet("clean/", compute=False)
    _, totals = dask.compute(write, rule_counts(df, "vntext_changes"))

Computing the write and the counts in one ``dask.compute`` cleans every
partition once. The tasks carry only the :class:`vntext.Config`; each
worker process builds its cleaner once. :func:`clean_partition` is the plain
pandas function behind :func:`clean_dataframe`, for your own
``map_partitions`` calls. Null texts stay null.
"""

from __future__ import annotations

from typing import Any

from vntext.config import Config
from vntext.integrations import (
    CountRecord,
    as_cleaner,
    count_records,
    is_null,
    merge_counts,
    require,
    sum_counts,
)
from vntext.pipeline import Cleaner

require("dask", "dask")
pd = require("pandas", "dask")
dask_bag = require("dask.bag", "dask")
dask_dataframe = require("dask.dataframe", "dask")
pa = require("pyarrow", "dask")

#: Arrow type of a counts column (``pd.ArrowDtype``), so that it writes to
#: Parquet as ``list<struct<step, rule, count>>`` with no schema to declare.
COUNTS_TYPE = pa.list_(
    pa.struct([("step", pa.string()), ("rule", pa.string()), ("count", pa.int64())])
)

__all__ = [
    "COUNTS_TYPE",
    "clean_bag",
    "clean_dataframe",
    "clean_partition",
    "explain_bag",
    "rule_counts",
]


def _config(config: Config | Cleaner | None) -> Config:
    # Tasks carry the config, not the cleaner: a cleaner built on the client
    # would be rebuilt on unpickling anyway, and the cached one is reused.
    return as_cleaner(config).config


def _clean_texts(texts: list[Any], config: Config) -> list[Any]:
    cleaner = as_cleaner(config)
    return [None if t is None else cleaner(t) for t in texts]


def _explain_texts(texts: list[Any], config: Config) -> list[tuple[Any, list[CountRecord]]]:
    cleaner = as_cleaner(config)
    out: list[tuple[Any, list[CountRecord]]] = []
    for t in texts:
        if t is None:
            out.append((None, []))
        else:
            result = cleaner.explain(t)
            out.append((result.text, count_records(result.counts())))
    return out


def clean_bag(bag: Any, config: Config | Cleaner | None = None) -> Any:
    """A bag of the cleaned strings of ``bag``, partition for partition."""
    return bag.map_partitions(_clean_texts, _config(config))


def _partition_totals(pairs: list[tuple[Any, list[CountRecord]]]) -> dict[str, dict[str, int]]:
    return sum_counts(records for _, records in pairs)


def _add_totals(parts: list[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    total: dict[str, dict[str, int]] = {}
    for part in parts:
        merge_counts(total, part)
    return total


def explain_bag(bag: Any, config: Config | Cleaner | None = None) -> tuple[Any, Any]:
    """The cleaned bag and a lazy ``{step: {rule: n}}`` total over all of it.

    Both come from one set of tasks: compute them together
    (``dask.compute(cleaned, counts)``, or a write with ``compute=False``)
    and each partition is cleaned once.
    """
    pairs = bag.map_partitions(_explain_texts, _config(config))
    cleaned = pairs.pluck(0)
    counts = pairs.reduction(_partition_totals, _add_totals, split_every=8)
    return cleaned, counts


def clean_partition(
    df: Any,
    column: str = "text",
    config: Config | Cleaner | None = None,
    output_column: str | None = None,
    counts_column: str | None = None,
) -> Any:
    """Clean one pandas DataFrame's ``column`` (the function behind :func:`clean_dataframe`).

    Returns a copy with ``output_column`` (default ``column``) cleaned, in
    the input column's dtype, and with ``counts_column`` (lists of
    ``{step, rule, count}``, typed :data:`COUNTS_TYPE`) when asked.
    """
    config = _config(config)
    texts = [None if is_null(t) else t for t in df[column]]
    out = df.copy()
    dtype = df[column].dtype
    if counts_column is None:
        cleaned = _clean_texts(texts, config)
    else:
        pairs = _explain_texts(texts, config)
        cleaned = [text for text, _ in pairs]
        out[counts_column] = pd.Series(
            pa.array([records for _, records in pairs], type=COUNTS_TYPE),
            index=df.index,
            dtype=pd.ArrowDtype(COUNTS_TYPE),
        )
    out[output_column or column] = pd.Series(cleaned, index=df.index, dtype=dtype)
    return out


def clean_dataframe(
    df: Any,
    column: str = "text",
    *,
    config: Config | Cleaner | None = None,
    output_column: str | None = None,
    counts_column: str | None = None,
) -> Any:
    """``df.map_partitions(clean_partition, ...)`` with the right ``meta``."""
    config = _config(config)
    meta = clean_partition(df._meta, column, config, output_column, counts_column)
    return df.map_partitions(
        clean_partition,
        column,
        config,
        output_column,
        counts_column,
        meta=meta,
    )


def _series_totals(series: Any) -> dict[str, dict[str, int]]:
    return sum_counts(series)


def rule_counts(df: Any, counts_column: str) -> Any:
    """A lazy ``{step: {rule: n}}`` total of a counts column (a dask scalar).

    A dataframe reduction, so ``dask.compute(df.to_parquet(..., compute=False),
    rule_counts(df, col))`` cleans each partition once for both.
    """
    return df[counts_column].reduction(
        _series_totals, aggregate=_add_totals, meta=(counts_column, object)
    )
