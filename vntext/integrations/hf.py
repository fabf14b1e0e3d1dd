"""Clean a Hugging Face ``datasets`` column with ``Dataset.map``.

:class:`CleanBatch` is the batched function ``Dataset.map(batched=True,
num_proc=N)`` wants; :func:`clean_dataset` calls ``map`` with it and, when a
counts column is asked for, declares that column's type up front so every
worker writes the same Arrow schema::

    from datasets import load_dataset
    from vntext import Config
    from vntext.integrations.hf import clean_dataset
    from vntext.integrations import sum_counts

    ds = load_dataset("json", data_files="raw.jsonl", split="train")
    ds = clean_dataset(ds, "text", config=Config(), counts_column="vntext_changes",
                       num_proc=8)
    sum_counts(ds["vntext_changes"])   # {"unicode": {"nfc": 1234, ...}, ...}

The function pickles as its config alone, so ``datasets`` can fingerprint it
for its cache (the same config hits the cache again) and ships it cheaply to
the ``num_proc`` workers, where each process builds its cleaner once.
Null texts stay null, with no changes recorded.
"""

from __future__ import annotations

from typing import Any

from vntext.config import Config
from vntext.integrations import CountRecord, as_cleaner, count_records, require
from vntext.pipeline import Cleaner

__all__ = ["CleanBatch", "clean_dataset", "counts_feature"]


class CleanBatch:
    """Clean ``batch[column]`` for ``Dataset.map(batched=True)``.

    Args:
        config: a :class:`vntext.Config` or :class:`vntext.Cleaner`.
        column: the text column to clean.
        output_column: where to write the cleaned text (default: replace
            ``column``).
        counts_column: when given, also write a ``list<struct<step, rule,
            count>>`` column with the changes made to each row (see
            :func:`vntext.integrations.sum_counts`). Recording changes
            costs some throughput, so it is off by default.

    >>> fn = CleanBatch(Config(), counts_column="changes")
    >>> out = fn({"text": ["Hà\\u00a0Nội", None], "id": [1, 2]})
    >>> out["text"]
    ['Hà Nội', None]
    >>> out["changes"]
    [[{'step': 'unicode', 'rule': 'space-separator', 'count': 1}], []]
    """

    def __init__(
        self,
        config: Config | Cleaner | None = None,
        *,
        column: str = "text",
        output_column: str | None = None,
        counts_column: str | None = None,
    ) -> None:
        self.config = as_cleaner(config).config
        self.column = column
        self.output_column = output_column or column
        self.counts_column = counts_column

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (self.config, self.column, self.output_column, self.counts_column),
        )

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        cleaner = as_cleaner(self.config)
        texts = batch[self.column]
        if self.counts_column is None:
            return {self.output_column: [None if t is None else cleaner(t) for t in texts]}
        cleaned: list[str | None] = []
        counts: list[list[CountRecord]] = []
        for t in texts:
            if t is None:
                cleaned.append(None)
                counts.append([])
            else:
                result = cleaner.explain(t)
                cleaned.append(result.text)
                counts.append(count_records(result.counts()))
        return {self.output_column: cleaned, self.counts_column: counts}


def _rebuild(
    config: Config, column: str, output_column: str, counts_column: str | None
) -> CleanBatch:
    return CleanBatch(
        config, column=column, output_column=output_column, counts_column=counts_column
    )


def counts_feature() -> Any:
    """The ``datasets`` feature of a counts column: a list of ``{step, rule, count}``."""
    datasets = require("datasets", "hf")
    record = {
        "step": datasets.Value("string"),
        "rule": datasets.Value("string"),
        "count": datasets.Value("int64"),
    }
    # A list literal is the spelling every ``datasets`` release accepts;
    # Features turns it into the release's own list type.
    return datasets.Features({"counts": [record]})["counts"]


def clean_dataset(
    dataset: Any,
    column: str = "text",
    *,
    config: Config | Cleaner | None = None,
    output_column: str | None = None,
    counts_column: str | None = None,
    num_proc: int | None = None,
    batch_size: int = 1000,
    **map_kwargs: Any,
) -> Any:
    """``dataset.map`` with :class:`CleanBatch`: a new dataset with ``column`` cleaned.

    Works on a ``Dataset`` or an ``IterableDataset``; other keyword
    arguments go to ``map`` unchanged (``desc``, ``load_from_cache_file``...).
    """
    datasets = require("datasets", "hf")
    fn = CleanBatch(config, column=column, output_column=output_column, counts_column=counts_column)
    kwargs: dict[str, Any] = {"batched": True, "batch_size": batch_size, **map_kwargs}
    if not isinstance(dataset, datasets.IterableDataset):
        kwargs["num_proc"] = num_proc
    elif num_proc not in (None, 1):
        raise ValueError(
            "an IterableDataset is mapped lazily in the reading process; "
            "use num_proc with a Dataset, or shard the IterableDataset"
        )
    if dataset.features is not None and "features" not in kwargs:
        features = dataset.features.copy()
        if fn.output_column not in features:
            features[fn.output_column] = datasets.Value("string")
        if counts_column is not None:
            features[counts_column] = counts_feature()
        kwargs["features"] = features
    return dataset.map(fn, **kwargs)
