"""Clean a Spark DataFrame column with a vectorised (Arrow) pandas UDF.

:func:`clean_column` returns the DataFrame with a column cleaned (and,
optionally, a column of per-row change counts); :func:`rule_counts` totals
that column on the cluster. Reading and writing stay Spark's own::

    from pyspark.sql import SparkSession
    from vntext import Config
    from vntext.integrations.spark import clean_column, rule_counts

    spark = SparkSession.builder.getOrCreate()
    df = spark.read.json("raw/*.jsonl")                  # or spark.read.parquet(...)
    df = clean_column(df, "text", config=Config(), counts_column="vntext_changes")
    df.write.mode("overwrite").parquet("clean/")       # or .json("clean/", compression="gzip")
    rule_counts(spark.read.parquet("clean/"), "vntext_changes")

Every column other than the cleaned one is left as it was. The UDF carries
only the :class:`vntext.Config`; each Python worker builds its cleaner once
and reuses it for every Arrow batch and task it runs. Null texts stay null.
"""

from __future__ import annotations

from typing import Any

from vntext.config import Config
from vntext.integrations import as_cleaner, count_records, is_null, require
from vntext.pipeline import Cleaner

require("pyspark", "spark")
require("pandas", "spark")
require("pyarrow", "spark")

import pandas as pd  # noqa: E402
from pyspark.sql import Column, DataFrame  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql import types as T  # noqa: E402
from pyspark.sql.pandas.functions import pandas_udf as _typed_pandas_udf  # noqa: E402

# pyspark's stubs overload pandas_udf by UDF kind and Spark picks the kind
# from the pandas type hints at run time; the stubs cannot follow that.
pandas_udf: Any = _typed_pandas_udf

__all__ = ["COUNTS_TYPE", "clean_column", "clean_udf", "rule_counts"]

#: Spark type of a counts column: one ``{step, rule, count}`` per rule that fired.
COUNTS_TYPE = T.ArrayType(
    T.StructType(
        [
            T.StructField("step", T.StringType()),
            T.StructField("rule", T.StringType()),
            T.StructField("count", T.LongType()),
        ]
    )
)

_CLEANED_TYPE = T.StructType(
    [T.StructField("text", T.StringType()), T.StructField("counts", COUNTS_TYPE)]
)


def clean_udf(config: Config | Cleaner | None = None, *, counts: bool = False) -> Any:
    """The pandas UDF itself, for use in ``select``/``withColumn`` expressions.

    Without ``counts`` it maps a string column to the cleaned strings; with
    ``counts`` it returns a struct ``{text, counts}`` (``counts`` has
    :data:`COUNTS_TYPE`). It is marked non-deterministic only so that Spark's
    optimiser never duplicates it when both struct fields are selected: the
    cleaning itself is deterministic.
    """
    config = as_cleaner(config).config

    # Spark reads the pandas type hints to pick the UDF kind (Series to Series).
    def vntext_clean(texts: pd.Series) -> pd.Series:
        cleaner = as_cleaner(config)
        return pd.Series(
            [None if is_null(t) else cleaner(t) for t in texts],
            index=texts.index,
            dtype=object,
        )

    def vntext_explain(texts: pd.Series) -> pd.DataFrame:
        cleaner = as_cleaner(config)
        out_text: list[str | None] = []
        out_counts: list[list[Any]] = []
        for t in texts:
            if is_null(t):
                out_text.append(None)
                out_counts.append([])
            else:
                result = cleaner.explain(t)
                out_text.append(result.text)
                out_counts.append(count_records(result.counts()))
        return pd.DataFrame({"text": out_text, "counts": out_counts}, index=texts.index)

    if not counts:
        return pandas_udf(vntext_clean, T.StringType())
    return pandas_udf(vntext_explain, _CLEANED_TYPE).asNondeterministic()


def clean_column(
    df: DataFrame,
    column: str = "text",
    *,
    config: Config | Cleaner | None = None,
    output_column: str | None = None,
    counts_column: str | None = None,
) -> DataFrame:
    """``df`` with ``column`` cleaned into ``output_column`` (default: in place).

    With ``counts_column``, also adds the changes made to each row as an
    array of ``{step, rule, count}`` structs (:data:`COUNTS_TYPE`); total
    them with :func:`rule_counts`. Recording changes costs some throughput,
    so it is off by default.
    """
    output_column = output_column or column
    source: Column = F.col(column)
    if counts_column is None:
        return df.withColumn(output_column, clean_udf(config)(source))
    tmp = "__vntext_cleaned"
    return (
        df.withColumn(tmp, clean_udf(config, counts=True)(source))
        .withColumn(output_column, F.col(f"{tmp}.text"))
        .withColumn(counts_column, F.col(f"{tmp}.counts"))
        .drop(tmp)
    )


def rule_counts(df: DataFrame, counts_column: str) -> dict[str, dict[str, int]]:
    """Total a counts column on the cluster into ``{step: {rule: n}}``.

    Steps come in pipeline order and rules in alphabetical order.
    """
    rows = (
        df.select(F.explode(counts_column).alias("c"))
        .groupBy("c.step", "c.rule")
        .agg(F.sum("c.count").alias("n"))
        .collect()
    )
    order = {name: i for i, name in enumerate(Config.step_names())}
    total: dict[str, dict[str, int]] = {}
    rows.sort(key=lambda r: (order.get(r["step"], len(order)), r["step"], r["rule"]))
    for row in rows:
        total.setdefault(row["step"], {})[row["rule"]] = int(row["n"])
    return total
