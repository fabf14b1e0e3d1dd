"""vntext inside datatrove, Hugging Face datasets, Spark and Dask.

Each engine test runs the real engine with real worker processes (2 tasks,
``num_proc=2``, ``local[2]``, a 2-worker ``LocalCluster``) and checks that
the engine's output and its per-rule counts agree with the library run in
this process: the adapters must add nothing and lose nothing.

``pytest.importorskip`` only guards local runs without the extras; CI
installs every extra (``pip install -e .[test,datatrove,hf,spark,dask]``), so
these tests really run there. Deselect them locally with ``-m "not
integration"``.
"""

from __future__ import annotations

import importlib
import json
import os
import pickle
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import vntext
from vntext import Cleaner, Config
from vntext.integrations import as_cleaner, merge_counts, require, sum_counts

ROOT = Path(__file__).resolve().parent.parent

# Real defects the default pipeline fixes, correct text it must leave alone,
# a blank document, and (where the engine has nulls) a null.
SAMPLES = [
    "Vie\u0302\u0323t Nam",  # decomposed: combining marks
    "Hà\u00a0Nội ,  ngày 2/9",  # NBSP, spacing
    "Quá trình hoàn thành khoảng 1.000 km ở TP.HCM.",
    "Email: lien.he@example.vn, https://vi.wikipedia.org/wiki/Việt_Nam",
    "\u200b \u00a0 ",  # blank once cleaned
    "Thuở   ấy,\tkhuỷu tay.",
]


def expected(texts: list[str], config: Config) -> tuple[list[str], dict[str, dict[str, int]]]:
    """What the library itself gives in this process: the oracle for every engine."""
    cleaner = Cleaner(config)
    totals: dict[str, dict[str, int]] = {}
    out = []
    for t in texts:
        result = cleaner.explain(t)
        out.append(result.text)
        merge_counts(totals, result.counts())
    return out, totals


def sorted_counts(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {step: dict(sorted(rules.items())) for step, rules in sorted(counts.items())}


@pytest.fixture(scope="module")
def worker_path() -> Any:
    """Let worker processes started by an engine import this checkout of vntext.

    Installed vntext (CI) needs no path; a plain checkout is on pytest's
    ``sys.path`` only, which a JVM-launched Python worker does not inherit.
    Spark starts ``python3`` from ``PATH`` for its workers unless told.
    """
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", "PYSPARK_PYTHON")}
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), saved["PYTHONPATH"]) if p)
    os.environ["PYSPARK_PYTHON"] = sys.executable  # Spark's workers: this Python
    yield
    for name, value in saved.items():
        if value is None:
            del os.environ[name]
        else:
            os.environ[name] = value


def write_jsonl(folder: Path, texts: list[str], files: int = 2) -> list[dict[str, Any]]:
    folder.mkdir(parents=True, exist_ok=True)
    records = [{"id": f"doc{i}", "text": t, "source": "sample"} for i, t in enumerate(texts)]
    for f in range(files):
        with open(folder / f"part{f}.jsonl", "w", encoding="utf-8") as fh:
            for r in records[f::files]:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return records


# -- engine-independent parts ---------------------------------------------------


def test_the_sample_really_needs_cleaning() -> None:
    # Guards the oracle: if the pipeline did nothing, every engine test below
    # would pass vacuously.
    out, totals = expected(SAMPLES, Config())
    assert out[0] == "Việt Nam"
    assert out[2] == SAMPLES[2]  # correct text survives
    assert out[4].strip() == ""
    assert sum(n for rules in totals.values() for n in rules.values()) >= 4


@pytest.mark.parametrize(
    ("module", "engine", "extra"),
    [
        ("datatrove", "datatrove", "datatrove"),
        ("hf", "datasets", "hf"),
        ("spark", "pyspark", "spark"),
        ("dask", "dask", "dask"),
    ],
)
def test_missing_engine_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, module: str, engine: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, engine, None)  # makes `import engine` fail
    monkeypatch.delitem(sys.modules, f"vntext.integrations.{module}", raising=False)
    if module == "hf":
        # The batched function itself needs no engine; the helper that calls
        # Dataset.map checks when it is called, before any work starts.
        hf = importlib.import_module("vntext.integrations.hf")
        with pytest.raises(ImportError, match=re.escape("pip install 'vntext[hf]'")):
            hf.clean_dataset(object(), "text")
        return
    with pytest.raises(ImportError, match=re.escape(f"pip install 'vntext[{extra}]'")):
        importlib.import_module(f"vntext.integrations.{module}")


def test_require_chains_the_original_error() -> None:
    with pytest.raises(ImportError) as info:
        require("vntext_no_such_engine", "dask")
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_as_cleaner_is_cached_per_config_and_accepts_a_cleaner() -> None:
    cleaner = Cleaner(Config(whitespace=False))
    assert as_cleaner(cleaner) is cleaner
    assert as_cleaner(Config(whitespace=False)) is as_cleaner(Config(whitespace=False))
    assert as_cleaner(None).config == Config()
    # A cleaner pickles as its config: cheap to ship to every task.
    assert len(pickle.dumps(cleaner)) < 600


def test_sum_counts_skips_nulls_and_adds_up() -> None:
    column = [
        [{"step": "unicode", "rule": "nfc", "count": 2}],
        None,
        [],
        [
            {"step": "unicode", "rule": "nfc", "count": 1},
            {"step": "whitespace", "rule": "collapse-spaces", "count": 4},
        ],
    ]
    assert sum_counts(column) == {"unicode": {"nfc": 3}, "whitespace": {"collapse-spaces": 4}}


# -- datatrove --------------------------------------------------------------------


@pytest.mark.integration
def test_datatrove_local_executor_two_tasks(tmp_path: Path, worker_path: None) -> None:
    pytest.importorskip("datatrove")
    pytest.importorskip("orjson")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from vntext.integrations.datatrove import VntextFormatter, rule_counts

    config = Config()
    records = write_jsonl(tmp_path / "raw", SAMPLES)
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "raw")),
            VntextFormatter(config, exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))),
            JsonlWriter(str(tmp_path / "clean"), compression=None),
        ],
        tasks=2,
        logging_dir=str(tmp_path / "logs"),
    )
    merged = executor.run()

    want_texts, want_counts = expected(SAMPLES, config)
    want = {r["id"]: t for r, t in zip(records, want_texts, strict=True) if t.strip()}
    got = {}
    for path in sorted((tmp_path / "clean").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            got[doc["id"]] = doc["text"]
            assert doc["metadata"]["source"] == "sample"  # other fields survive
    assert got == want
    assert got["doc0"] == "Việt Nam"

    # The blank document went to the exclusion writer with its original text.
    dropped = [
        json.loads(line)
        for path in (tmp_path / "dropped").glob("*.jsonl.gz")
        for line in _gunzip(path).splitlines()
    ]
    assert [(d["id"], d["text"], d["metadata"]["vntext_dropped"]) for d in dropped] == [
        ("doc4", SAMPLES[4], "empty")
    ]

    # Merged stats of both tasks, as datatrove saved them.
    saved = json.loads((tmp_path / "logs" / "stats.json").read_text(encoding="utf-8"))
    step_stats = next(s["stats"] for s in saved if "vntext" in s["name"])
    assert _total(step_stats["total"]) == len(SAMPLES)
    assert _total(step_stats["dropped_empty"]) == 1
    assert _total(step_stats["forwarded"]) == len(SAMPLES) - 1
    changed = sum(a != b for a, b in zip(SAMPLES, want_texts, strict=True))
    assert _total(step_stats["changed"]) == changed
    got_counts: dict[str, dict[str, int]] = {}
    for key, value in step_stats.items():
        step, _, rule = key.partition("/")
        if rule:
            got_counts.setdefault(step, {})[rule] = _total(value)
    assert sorted_counts(got_counts) == sorted_counts(want_counts)
    assert rule_counts(tmp_path / "logs" / "stats.json") == got_counts
    assert sorted_counts(rule_counts(merged)) == sorted_counts(want_counts)
    for step, rules in want_counts.items():
        assert _total(step_stats[step]) == sum(rules.values())
    # Per-task logs exist: both tasks really ran.
    assert len(list((tmp_path / "logs" / "stats").glob("*.json"))) == 2


@pytest.mark.integration
def test_datatrove_without_stats_counts_documents_only() -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from vntext.integrations.datatrove import VntextFormatter

    step = VntextFormatter(Cleaner(Config()), stats=False, drop_empty=False)
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(SAMPLES)]
    out = list(step.run(iter(docs)))
    assert [d.text for d in out] == expected(SAMPLES, Config())[0]
    keys = set(step.stats.stats)
    assert "changed" in keys
    assert not any("/" in k for k in keys)
    assert step.format(SAMPLES[0]) == "Việt Nam"


@pytest.mark.integration
def test_datatrove_removed_lines_go_to_their_writer(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    pytest.importorskip("orjson")
    from datatrove.data import Document
    from datatrove.pipeline.writers import JsonlWriter

    from vntext.integrations.datatrove import VntextFormatter

    text = "\n".join(
        [
            "Lũ quét ở miền núi",
            "Sáng nay nước lên nhanh ở nhiều xã vùng cao.",
            "Cầu treo bị cuốn trôi. Ảnh: Minh Anh",
            "Người dân đã được đưa đến nơi an toàn.",
            "Xem thêm: Mưa lớn kéo dài ở miền Bắc",
        ]
    )
    want = vntext.clean_and_explain(text)
    assert want.removed_lines  # guards the test: the step does remove lines here
    step = VntextFormatter(
        Config(), removed_lines_writer=JsonlWriter(str(tmp_path / "lines"), compression=None)
    )
    out = list(step.run(iter([Document(text=text, id="a")])))
    assert [d.text for d in out] == [want.text]
    written = [
        json.loads(line)
        for path in sorted((tmp_path / "lines").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert [(w["id"], w["text"]) for w in written] == [
        (f"a/removed/{i}", c.before.strip("\r\n")) for i, c in enumerate(want.removed_lines)
    ]
    assert {w["metadata"]["source_id"] for w in written} == {"a"}
    assert [w["metadata"]["label"] for w in written] == [c.label for c in want.removed_lines]
    assert step.stats["removed_lines"].total == len(want.removed_lines)


def _gunzip(path: Path) -> str:
    import gzip

    return gzip.decompress(path.read_bytes()).decode("utf-8")


def _total(stat: Any) -> int:
    return int(stat["total"] if isinstance(stat, dict) else stat)


# -- Hugging Face datasets ----------------------------------------------------------


@pytest.mark.integration
def test_hf_map_num_proc_2_with_counts_column() -> None:
    datasets = pytest.importorskip("datasets")
    from vntext.integrations.hf import clean_dataset

    config = Config()
    texts = SAMPLES * 4
    ds = datasets.Dataset.from_dict({"text": [*texts, None], "id": list(range(len(texts) + 1))})
    out = clean_dataset(
        ds,
        "text",
        config=config,
        counts_column="changes",
        num_proc=2,
        batch_size=5,
        load_from_cache_file=False,
    )
    want_texts, want_counts = expected(texts, config)
    assert out["text"] == [*want_texts, None]
    assert out["id"] == list(range(len(texts) + 1))
    assert sorted_counts(sum_counts(out["changes"])) == sorted_counts(want_counts)
    assert out["changes"][-1] == []
    # Per-row counts, not only the total.
    cleaner = Cleaner(config)
    assert sum_counts([out["changes"][1]]) == cleaner.explain(texts[1]).counts()
    assert set(out.features["changes"].feature) == {"step", "rule", "count"}


@pytest.mark.integration
def test_hf_output_column_keeps_the_original_and_fingerprints_by_config() -> None:
    datasets = pytest.importorskip("datasets")
    from datasets.fingerprint import Hasher

    from vntext.integrations.hf import CleanBatch, clean_dataset

    ds = datasets.Dataset.from_dict({"text": SAMPLES})
    out = clean_dataset(ds, config=Config(), output_column="clean", num_proc=2)
    assert out["text"] == SAMPLES
    assert out["clean"] == expected(SAMPLES, Config())[0]
    # datasets caches map results by the function's hash: equal configs must
    # hash alike (the cache is reused) and different ones differ.
    assert Hasher.hash(CleanBatch(Config())) == Hasher.hash(CleanBatch(Cleaner()))
    assert Hasher.hash(CleanBatch(Config())) != Hasher.hash(CleanBatch(Config(whitespace=False)))


# -- Spark --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The JVM's working directory, which relative paths in Spark resolve against."""
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="module")
def spark(worker_path: None, spark_dir: Path) -> Any:
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    from pyspark.sql import SparkSession

    cwd = os.getcwd()
    os.chdir(spark_dir)  # the JVM keeps the directory it starts in
    try:
        session = (
            SparkSession.builder.master("local[2]")
            .appName("vntext-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
    finally:
        os.chdir(cwd)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.integration
def test_spark_clean_column_with_counts(spark: Any) -> None:
    from vntext.integrations.spark import clean_column, rule_counts

    config = Config()
    rows = [(i, t) for i, t in enumerate([*SAMPLES, None])]
    df = spark.createDataFrame(rows, "id long, text string")
    assert df.rdd.getNumPartitions() == 2
    out = clean_column(df, "text", config=config, counts_column="changes").cache()
    got = {r["id"]: (r["text"], r["changes"]) for r in out.collect()}
    want_texts, want_counts = expected(SAMPLES, config)
    assert [got[i][0] for i in range(len(SAMPLES))] == want_texts
    assert got[len(SAMPLES)] == (None, [])
    assert rule_counts(out, "changes") == {
        step: dict(sorted(rules.items())) for step, rules in want_counts.items()
    }
    # The UDF runs once per row even though two fields of its result are used.
    plan = out._jdf.queryExecution().executedPlan().toString()
    final_plan = plan.split("== Initial Plan ==")[0]
    assert final_plan.count("ArrowEvalPython") == 1


@pytest.mark.integration
def test_spark_jsonl_to_parquet_and_jsonl(spark: Any, tmp_path: Path) -> None:
    from vntext.integrations.spark import clean_column, rule_counts

    config = Config()
    write_jsonl(tmp_path / "raw", SAMPLES)
    schema = "id string, text string, source string"
    df = spark.read.json(str(tmp_path / "raw"), schema=schema)
    out = clean_column(df, "text", config=config, output_column="clean", counts_column="n")
    out.write.parquet(str(tmp_path / "parquet"))
    back = spark.read.parquet(str(tmp_path / "parquet"))
    rows = {r["id"]: r for r in back.collect()}
    want_texts, want_counts = expected(SAMPLES, config)
    assert [rows[f"doc{i}"]["clean"] for i in range(len(SAMPLES))] == want_texts
    assert [rows[f"doc{i}"]["text"] for i in range(len(SAMPLES))] == SAMPLES
    assert {r["source"] for r in rows.values()} == {"sample"}
    assert sorted_counts(rule_counts(back, "n")) == sorted_counts(want_counts)
    # JSONL out, compressed, read back with the same schema.
    clean_column(df, "text", config=config).write.json(str(tmp_path / "jsonl"), compression="gzip")
    assert list((tmp_path / "jsonl").glob("part-*.json.gz"))
    texts = {
        r["id"]: r["text"]
        for r in spark.read.json(str(tmp_path / "jsonl"), schema=schema).collect()
    }
    assert [texts[f"doc{i}"] for i in range(len(SAMPLES))] == want_texts


# -- Dask ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client(worker_path: None) -> Any:
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.integration
def test_dask_bag_on_two_worker_processes(dask_client: Any) -> None:
    import dask
    import dask.bag as db

    from vntext.integrations.dask import clean_bag, explain_bag

    config = Config()
    texts = SAMPLES * 3
    bag = db.from_sequence([*texts, None], npartitions=4)
    want_texts, want_counts = expected(texts, config)
    assert clean_bag(bag, config).compute() == [*want_texts, None]
    cleaned, counts = explain_bag(bag, Cleaner(config))
    got_texts, got_counts = dask.compute(cleaned, counts)
    assert got_texts == [*want_texts, None]
    assert sorted_counts(got_counts) == sorted_counts(want_counts)
    # Two worker processes, each holding the one cleaner it built for this
    # config, however many tasks it ran.
    cached = dask_client.run(
        lambda: [
            c.config for c in importlib.import_module("vntext.pipeline")._CACHE.values()
        ]
    )
    assert len(cached) == 2
    assert all(configs == [config] for configs in cached.values()), cached


@pytest.mark.integration
def test_dask_dataframe_map_partitions_to_parquet(dask_client: Any, tmp_path: Path) -> None:
    import dask
    import dask.dataframe as dd
    import pandas as pd

    from vntext.integrations.dask import clean_dataframe, clean_partition, rule_counts

    config = Config()
    texts = SAMPLES * 3
    pdf = pd.DataFrame({"id": range(len(texts) + 1), "text": [*texts, None]})
    df = dd.from_pandas(pdf, npartitions=3)
    out = clean_dataframe(df, "text", config=config, counts_column="changes")
    write = out.to_parquet(str(tmp_path / "clean"), compute=False)
    _, totals = dask.compute(write, rule_counts(out, "changes"))
    want_texts, want_counts = expected(texts, config)
    assert sorted_counts(totals) == sorted_counts(want_counts)
    back = dd.read_parquet(str(tmp_path / "clean"), dtype_backend="pyarrow").compute()
    back = back.sort_values("id")
    assert list(back["text"])[:-1] == want_texts
    assert pd.isna(back["text"].iloc[-1])
    assert sorted_counts(sum_counts(back["changes"])) == sorted_counts(want_counts)
    # The plain pandas function gives the same as the distributed run.
    local = clean_partition(pdf, "text", config, output_column="clean")
    assert list(local["clean"])[:-1] == want_texts
    assert list(local["text"])[:-1] == texts


# -- docs/scaling.md ------------------------------------------------------------------

DOC = ROOT / "docs" / "scaling.md"
DOC_ENGINES = {
    "datatrove": "datatrove",
    "Hugging Face datasets": "datasets",
    "Spark": "pyspark",
    "Dask": "distributed",
}


def doc_examples() -> dict[str, str]:
    """The one ``python`` block under each engine's ``## `` heading."""
    examples: dict[str, str] = {}
    for section in re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title = section.splitlines()[0].strip()
        blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
        if title in DOC_ENGINES:
            assert len(blocks) == 1, f"section {title!r} must hold exactly one example"
            examples[title] = blocks[0]
    return examples


def test_every_engine_has_an_example() -> None:
    assert set(doc_examples()) == set(DOC_ENGINES)


@pytest.mark.integration
@pytest.mark.parametrize("engine", list(DOC_ENGINES))
def test_doc_example_runs(
    engine: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    worker_path: None,
    request: pytest.FixtureRequest,
) -> None:
    pytest.importorskip(DOC_ENGINES[engine])
    if engine == "Spark":
        request.getfixturevalue("spark")  # the example's getOrCreate() reuses it
        tmp_path = request.getfixturevalue("spark_dir")
    if engine == "Hugging Face datasets":
        import datasets

        monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    write_jsonl(tmp_path / "raw", SAMPLES)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(textwrap.dedent(doc_examples()[engine]), f"{DOC}:{engine}", "exec"), namespace)
    # Every example ends with its per-rule totals in `totals`.
    _, want_counts = expected(SAMPLES, Config())
    assert sorted_counts(namespace["totals"]) == sorted_counts(want_counts)
    assert vntext.clean(SAMPLES[0]) == "Việt Nam"
