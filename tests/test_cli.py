"""The ``vntext`` command, run in-process through ``main(argv)`` on small inputs."""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import io
import json
import lzma
import os
import re
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vntext
from vntext import cli, pipeline
from vntext import io as vio
from vntext.config import Config
from vntext.pipeline import Step
from vntext.trace import Change, Edit, apply_changes, apply_edits

#: The issue's example: decomposed marks in the wrong order and a look-alike Ð.
RAW = "Vie\u0302\u0323t Nam \u00d0H Qu\u1ed1c gia"
CLEAN = "Việt Nam ĐH Quốc gia"
#: I/O tests run the unicode step only, so they do not depend on other steps.
U = ["--only", "unicode", "--no-progress"]


def run(argv: list[str]) -> int:
    return cli.main(argv)


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def report(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    r = data["records"]
    assert r["in"] == r["out"] + r["skipped"], r
    return data


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".vntext-tmp")]


# -- the issue's examples ----------------------------------------------------------


def test_stdin_to_stdout_issue_example(monkeypatch: pytest.MonkeyPatch, capfd: Any) -> None:
    stdin(monkeypatch, RAW.encode())
    assert run(["clean", "--no-progress", "-q"]) == 0
    assert capfd.readouterr().out == CLEAN


def test_explain_shows_each_change_with_its_rule(capsys: Any) -> None:
    assert run(["explain", RAW, "--only", "unicode"]) == 0
    out = capsys.readouterr().out
    cleaned = vntext.Cleaner(Config().with_steps(only=["unicode"])).explain(RAW)
    assert cleaned.changes
    for c in cleaned.changes:
        assert c.rule in out
    assert f'output: "{CLEAN}"' in out
    assert "\\u0302" in out  # invisible marks are spelled out


def test_explain_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    stdin(monkeypatch, "Hà Nội".encode())
    assert run(["explain", "-", "--only", "unicode"]) == 0
    assert "no changes" in capsys.readouterr().out


def test_steps_lists_the_registry(capsys: Any) -> None:
    assert run(["steps"]) == 0
    out = capsys.readouterr().out
    for info in pipeline.step_infos():
        assert info.name in out and info.summary in out


def test_demo_shows_before_and_after(capsys: Any) -> None:
    assert run(["demo", "--only", "unicode"]) == 0
    out = capsys.readouterr().out
    sample = cli.sample_text()
    assert "\u00d0H" in sample and "Qúa" in sample and "Viá»‡t" in sample
    before, after = out.split("AFTER", 1)
    assert "\u00d0H Quốc gia" in before
    assert "ĐH Quốc gia" in after and "\u00d0" not in after
    assert "changes by step and rule" in after


# -- options -------------------------------------------------------------------------


def test_every_config_option_has_a_flag() -> None:
    parser = cli._build_parser()
    clean = parser._subparsers._group_actions[0].choices["clean"]  # type: ignore[union-attr]
    flags = {s for a in clean._actions for s in a.option_strings}
    for f in dataclasses.fields(Config):
        if f.metadata.get("step") and not f.metadata.get("choices"):
            continue
        assert "--" + f.name.replace("_", "-") in flags


def test_precedence_preset_then_file_then_flags(tmp_path: Path) -> None:
    toml = tmp_path / "vntext.toml"
    toml.write_text('preset = "minimal"\ntones = true\n')
    args = cli._build_parser().parse_args(["clean", "--config", str(toml)])
    assert cli.build_config(args).tones is True  # the file beats its preset
    args = cli._build_parser().parse_args(
        ["clean", "--preset", "minimal", "--config", str(toml), "--disable", "tones"])
    assert cli.build_config(args).tones is False  # flags beat the file
    toml.write_text("[tool.vntext]\nunicode = false\n")
    args = cli._build_parser().parse_args(["clean", "--config", str(toml), "--preset", "minimal"])
    config = cli.build_config(args)
    assert config.unicode is False and config.whitespace is True and config.tones is False


@pytest.mark.parametrize("argv, message", [
    (["clean", "--only", "tonez"], "unknown step 'tonez'"),
    (["clean", "--disable", "nope"], "unknown step 'nope'"),
    (["clean", "--preset", "nope"], "invalid choice"),
    (["clean", "-j", "0"], "-j must be at least 1"),
    (["clean", "--backup", ".bak", "x"], "--backup needs --in-place"),
    (["clean", "--in-place", "-"], "--in-place needs files"),
    (["clean", "--frobnicate"], "unrecognized arguments"),
    (["explain"], "required"),
    ([], "required"),
])
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: Any) -> None:
    assert run(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_config_file_is_a_usage_error(tmp_path: Path, capsys: Any) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text("colour = true\n")
    assert run(["clean", "--config", str(toml)]) == 2
    assert "unknown option 'colour'" in capsys.readouterr().err
    toml.write_text("= broken")
    assert run(["clean", "--config", str(toml)]) == 2
    assert "not valid TOML" in capsys.readouterr().err
    assert run(["clean", "--config", str(tmp_path / "missing.toml")]) == 2


def test_directory_without_r_is_a_usage_error(tmp_path: Path, capsys: Any) -> None:
    assert run(["clean", str(tmp_path)]) == 2
    assert "use -r" in capsys.readouterr().err


# -- formats ---------------------------------------------------------------------------


def test_jsonl_keeps_other_fields_byte_for_byte(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        '{"id":1,  "text" : "' + RAW + '", "meta": {"url": "http://x/\\u00e9", "n": 1.50}}',
        '{"text": "Hà Nội", "z": [1, 2 ,3]}',
        '{"b": "\\u00d0", "text": "Ha\\u0300 N\\u00f4\\u0323i"}',
    ]
    src.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    assert run(["clean", str(src), "-o", str(out), *U, "-q"]) == 0
    got = out.read_text("utf-8").splitlines()
    assert got[0] == lines[0].replace(RAW, CLEAN)
    assert got[1] == lines[1]  # unchanged: the very same bytes
    # an escaped (ASCII-only) field stays escaped; everything else is untouched
    assert got[2] == '{"b": "\\u00d0", "text": "H\\u00e0 N\\u1ed9i"}'
    assert [list(json.loads(g)) for g in got] == [list(json.loads(x)) for x in lines]


def test_jsonl_nested_field_and_trace_replays(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "in.jsonl", [
        {"id": i, "doc": {"body": RAW if i % 2 else "Hà Nội"}} for i in range(6)])
    out, trace = tmp_path / "out.jsonl", tmp_path / "trace.jsonl"
    assert run(["clean", str(src), "-o", str(out), "--field", "doc.body",
                "--trace", str(trace), *U, "-q"]) == 0
    entries = [json.loads(x) for x in trace.read_text("utf-8").splitlines()]
    assert [e["index"] for e in entries] == list(range(6))
    outputs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    for i, (e, o) in enumerate(zip(entries, outputs, strict=True)):
        raw = RAW if i % 2 else "Hà Nội"
        changes = [Change.from_dict(c) for c in e["changes"]]
        assert bool(changes) == bool(i % 2)
        assert apply_changes(raw, changes) == o["doc"]["body"] == (CLEAN if i % 2 else raw)
        assert o["id"] == i


def test_lines_format_keeps_crlf_and_blank_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.tsv"
    src.write_bytes(f"{RAW}\r\n\r\nHà\u00a0Nội\n".encode())
    out = tmp_path / "out.tsv"
    rep = tmp_path / "r.json"
    assert run(["clean", str(src), "-o", str(out), "--format", "lines", *U,
                "--report", str(rep)]) == 0
    assert out.read_bytes() == f"{CLEAN}\r\n\r\nHà Nội\n".encode()
    assert report(rep)["records"] == {"in": 3, "out": 3, "changed": 2, "skipped": 0,
                                      "kept": 0, "failed": 0}


def test_txt_in_blocks_equals_whole_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    paragraphs = [f"  Đoạn {i}: {RAW}  \u00a0 xong .\nDòng hai\u200b.  \n" for i in range(40)]
    text = "\n\n\n".join(paragraphs) + "\r\n\r\n \nCuối.\n\n\n"
    src = tmp_path / "doc.txt"
    src.write_bytes(text.encode())
    out, trace, rep = tmp_path / "out.txt", tmp_path / "t.jsonl", tmp_path / "r.json"
    monkeypatch.setattr(vio, "BATCH_BYTES", 200)
    assert run(["clean", str(src), "-o", str(out), "--trace", str(trace),
                "--report", str(rep), "-j", "2", "-q"]) == 0
    config = Config()
    assert out.read_text("utf-8") == vntext.clean(text, config)
    blocks = [json.loads(x) for x in trace.read_text("utf-8").splitlines()]
    assert len(blocks) > 5 and {b["index"] for b in blocks} == {0}
    assert [b["block"] for b in blocks] == list(range(len(blocks)))
    # each block's trace replays on its slice of the document
    offsets = [b["offset"] for b in blocks] + [len(text)]
    for b, start, end in zip(blocks, offsets, offsets[1:], strict=False):
        changes = [Change.from_dict(c) for c in b["changes"]]
        assert apply_changes(text[start:end], changes) == vntext.clean(text[start:end], config)
    assert report(rep)["records"]["in"] == 1


def test_txt_single_block_trace_is_one_plain_object(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(RAW, "utf-8")
    trace = tmp_path / "t.jsonl"
    assert run(["clean", str(src), "-o", str(tmp_path / "b.txt"), "--trace", str(trace),
                *U, "-q"]) == 0
    (entry,) = [json.loads(x) for x in trace.read_text("utf-8").splitlines()]
    assert set(entry) == {"index", "changes"}
    assert apply_changes(RAW, [Change.from_dict(c) for c in entry["changes"]]) == CLEAN


@pytest.mark.parametrize("ext, opener", [
    (".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open), (".zst", None)])
def test_compression_round_trip(tmp_path: Path, ext: str, opener: Any) -> None:
    if opener is None:
        import zstandard  # in the "test" extra

        opener = zstandard.open
    records = [{"text": RAW, "i": i} for i in range(50)]
    src = tmp_path / f"in.jsonl{ext}"
    with opener(src, "wb") as fh:
        fh.write("".join(json.dumps(r) + "\n" for r in records).encode())
    out = tmp_path / f"out.jsonl{ext}"
    assert run(["clean", str(src), "-o", str(out), *U, "-q"]) == 0
    with opener(out, "rb") as fh:
        got = [json.loads(x) for x in fh.read().decode().splitlines()]
    assert got == [{"text": CLEAN, "i": i} for i in range(50)]


def test_output_compression_follows_output_name(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "in.jsonl", [{"text": RAW}])
    out = tmp_path / "out.jsonl.gz"
    assert run(["clean", str(src), "-o", str(out), *U, "-q"]) == 0
    assert json.loads(gzip.decompress(out.read_bytes())) == {"text": CLEAN}


def test_stdin_jsonl_to_stdout(monkeypatch: pytest.MonkeyPatch, capfd: Any) -> None:
    stdin(monkeypatch, (json.dumps({"text": RAW}) + "\n").encode())
    assert run(["clean", "-", "--format", "jsonl", *U, "-q"]) == 0
    assert json.loads(capfd.readouterr().out) == {"text": CLEAN}


# -- many inputs, directories, in place ---------------------------------------------------


def test_recursive_directory_mirrors_the_tree(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "a" / "b").mkdir(parents=True)
    jsonl(root / "x.jsonl", [{"text": RAW}])
    jsonl(root / "a" / "b" / "y.jsonl.gz.tmp", [{"text": RAW}])
    (root / "a" / "z.txt").write_text(RAW, "utf-8")
    out = tmp_path / "out"
    assert run(["clean", "-r", str(root), "-o", str(out), *U, "-q"]) == 0
    assert json.loads((out / "x.jsonl").read_text("utf-8")) == {"text": CLEAN}
    assert (out / "a" / "z.txt").read_text("utf-8") == CLEAN
    # an unknown extension is txt: the whole file is cleaned as text
    assert json.loads((out / "a" / "b" / "y.jsonl.gz.tmp").read_text("utf-8")) == {"text": CLEAN}
    assert not leftovers(out)


def test_glob_inputs_to_one_output(tmp_path: Path) -> None:
    for i in range(3):
        jsonl(tmp_path / f"part-{i}.jsonl", [{"text": RAW, "part": i}])
    out = tmp_path / "all.jsonl"
    assert run(["clean", str(tmp_path / "part-*.jsonl"), "-o", str(out), *U, "-q"]) == 0
    assert [json.loads(x)["part"] for x in out.read_text().splitlines()] == [0, 1, 2]


def test_in_place_with_backup(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "data.jsonl", [{"text": RAW}])
    original = src.read_bytes()
    os.chmod(src, 0o640)
    assert run(["clean", "--in-place", "--backup", ".orig", str(src), *U, "-q"]) == 0
    assert json.loads(src.read_text("utf-8")) == {"text": CLEAN}
    assert (tmp_path / "data.jsonl.orig").read_bytes() == original
    assert os.stat(src).st_mode & 0o777 == 0o640


def test_refuses_to_overwrite_an_input(tmp_path: Path, capsys: Any) -> None:
    src = jsonl(tmp_path / "data.jsonl", [{"text": RAW}])
    before = src.read_bytes()
    assert run(["clean", str(src), "-o", str(src), *U]) == 2
    assert "refusing to overwrite the input" in capsys.readouterr().err
    assert run(["clean", str(src), "-o", str(tmp_path), *U]) == 2  # mirrored onto itself
    assert run(["clean", str(src), "--report", str(src), *U]) == 2
    assert src.read_bytes() == before


# -- bad input ---------------------------------------------------------------------------

BAD_RECORDS = [
    # Detection is per file: the other records are UTF-8, so line 2 is corrupt.
    ('{"text": "Hà Nội"}\n'.encode() + b'{"text": "H\xe0 N\xf4i"}\n{"text": "ok"}\n', "jsonl",
     "in:2: invalid UTF-8 at byte 11 (0xe0)"),
    (b'{"text": "ok"}\n{"text": "unterminated}\n{"text": "ok"}\n', "jsonl",
     "in:2: malformed JSON"),
    (b'{"text": "ok"}\n["text"]\n{"text": "ok"}\n', "jsonl",
     "in:2: record is not a JSON object"),
    (b'{"text": "ok"}\n{"body": "x"}\n{"text": "ok"}\n', "jsonl", "in:2: missing field 'text'"),
    (b'{"text": "ok"}\n{"text": null}\n{"text": "ok"}\n', "jsonl",
     "in:2: field 'text' is null, not a string"),
    (b'{"text": "ok"}\n{"text": "' + b"x" * 200 + b'"}\n{"text": "ok"}\n', "jsonl",
     "in:2: line over --max-record-bytes (100)"),
    ("Hà Nội\n".encode() + b"\xff\xfe bad\nok\n", "lines", "in:2: invalid UTF-8 at byte 0"),
]


@pytest.mark.parametrize("data, fmt, message", BAD_RECORDS)
def test_on_error_fail_names_file_and_line_and_writes_nothing(
        tmp_path: Path, capsys: Any, data: bytes, fmt: str, message: str) -> None:
    src = tmp_path / "in"
    src.write_bytes(data)
    out, rep = tmp_path / "out", tmp_path / "r.json"
    assert run(["clean", str(src), "-o", str(out), "--format", fmt, "--report", str(rep),
                "--max-record-bytes", "100", *U]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / message) in err
    assert not out.exists() and not leftovers(tmp_path)
    assert report(rep)["status"] == "stopped"


@pytest.mark.parametrize("data, fmt, message", BAD_RECORDS)
def test_on_error_skip_drops_and_counts(
        tmp_path: Path, capsys: Any, data: bytes, fmt: str, message: str) -> None:
    src = tmp_path / "in"
    src.write_bytes(data)
    out, rep = tmp_path / "out", tmp_path / "r.json"
    assert run(["clean", str(src), "-o", str(out), "--format", fmt, "--report", str(rep),
                "--max-record-bytes", "100", "--on-error", "skip", *U]) == 1
    assert message in capsys.readouterr().err
    assert out.read_bytes() == b"".join(x + b"\n" for x in data.split(b"\n")[:3:2])
    r = report(rep)
    assert r["records"]["in"] == 3 and r["records"]["skipped"] == 1
    assert r["records"]["failed"] == 1 and sum(r["errors"].values()) == 1


@pytest.mark.parametrize("data, fmt, message", BAD_RECORDS)
def test_on_error_keep_passes_through_and_counts(
        tmp_path: Path, data: bytes, fmt: str, message: str) -> None:
    src = tmp_path / "in"
    src.write_bytes(data)
    out, rep, trace = tmp_path / "out", tmp_path / "r.json", tmp_path / "t.jsonl"
    assert run(["clean", str(src), "-o", str(out), "--format", fmt, "--report", str(rep),
                "--trace", str(trace), "--max-record-bytes", "100", "--on-error", "keep",
                *U, "-q"]) == 1
    assert out.read_bytes() == data
    r = report(rep)
    assert r["records"]["out"] == 3 and r["records"]["kept"] == 1
    entries = [json.loads(x) for x in trace.read_text().splitlines()]
    assert [e["index"] for e in entries] == [0, 1, 2]
    assert entries[1]["action"] == "kept" and message in entries[1]["error"]


def test_invalid_utf8_in_txt_names_the_line(tmp_path: Path, capsys: Any) -> None:
    src = tmp_path / "doc.txt"
    src.write_bytes("dòng một\ndòng hai \xe0\n".encode().replace(b"\xc3\xa0\n", b"\xe0\n"))
    assert run(["clean", str(src), "-o", str(tmp_path / "o.txt"), *U]) == 1
    assert f"{src}:2: invalid UTF-8" in capsys.readouterr().err
    assert not (tmp_path / "o.txt").exists()


def test_txt_skip_drops_the_whole_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    monkeypatch.setattr(vio, "BATCH_BYTES", 16)
    good = tmp_path / "a.txt"
    good.write_text(f"{RAW}\n\n" * 5, "utf-8")
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"fine\n\n" * 5 + b"\xff\n\nmore\n")
    out, rep = tmp_path / "out.txt", tmp_path / "r.json"
    assert run(["clean", str(good), str(bad), "-o", str(out), "--on-error", "skip",
                "--report", str(rep), *U, "-q"]) == 1
    assert out.read_text("utf-8") == f"{CLEAN}\n\n" * 5
    assert report(rep)["records"] == {"in": 2, "out": 1, "changed": 1, "skipped": 1,
                                      "kept": 0, "failed": 1}


def test_empty_file_is_reported_not_failed(tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    out, rep = tmp_path / "out.jsonl", tmp_path / "r.json"
    assert run(["clean", str(src), "-o", str(out), "--report", str(rep), *U, "-q"]) == 0
    r = report(rep)
    assert r["records"]["in"] == 0 and r["files"]["empty"] == [str(src)]
    assert out.read_bytes() == b""


@pytest.mark.parametrize("policy, code, expected", [
    ("fail", 1, None), ("skip", 1, b""), ("keep", 1, b"\x00\x01binary\x00")])
def test_binary_file(tmp_path: Path, capsys: Any, policy: str, code: int,
                     expected: bytes | None) -> None:
    src = tmp_path / "blob.txt"
    src.write_bytes(b"\x00\x01binary\x00")
    out, rep = tmp_path / "out.txt", tmp_path / "r.json"
    assert run(["clean", str(src), "-o", str(out), "--on-error", policy,
                "--report", str(rep), *U]) == code
    assert "binary file (NUL byte at offset 0)" in capsys.readouterr().err
    if expected is None:
        assert not out.exists()
    else:
        assert out.read_bytes() == expected
    report(rep)


def test_missing_path(tmp_path: Path, capsys: Any) -> None:
    good = jsonl(tmp_path / "good.jsonl", [{"text": RAW}])
    missing = tmp_path / "missing.jsonl"
    out = tmp_path / "out.jsonl"
    assert run(["clean", str(good), str(missing), "-o", str(out), *U]) == 1
    assert f"{missing}: cannot read: no such file" in capsys.readouterr().err
    assert not out.exists()
    assert run(["clean", str(good), str(missing), "-o", str(out), "--on-error", "skip",
                *U, "-q"]) == 1
    assert json.loads(out.read_text()) == {"text": CLEAN}
    assert run(["clean", str(tmp_path / "*.nothing"), *U]) == 1
    assert "no file matches" in capsys.readouterr().err


def test_unreadable_path(tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    src = jsonl(tmp_path / "locked.jsonl", [{"text": RAW}])

    def denied(path: str) -> Any:
        raise PermissionError(13, "Permission denied", path)
    monkeypatch.setattr(vio, "open_input", denied)
    assert run(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), *U]) == 1
    assert "cannot read: [Errno 13] Permission denied" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


# -- parallel, atomic, interrupted -----------------------------------------------------------


def test_parallel_output_trace_and_report_in_input_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vio, "BATCH_BYTES", 64)
    records = [{"text": (RAW if i % 3 else "Hà Nội") + f" {i}", "i": i} for i in range(400)]
    src = jsonl(tmp_path / "in.jsonl", records)
    results = {}
    for jobs in ("1", "2"):
        out, trace, rep = (tmp_path / f"out{jobs}", tmp_path / f"t{jobs}",
                           tmp_path / f"r{jobs}")
        assert run(["clean", str(src), "-o", str(out), "--trace", str(trace),
                    "--report", str(rep), "-j", jobs, *U, "-q"]) == 0
        results[jobs] = (out.read_bytes(), trace.read_bytes(), report(rep))
    out, trace, rep = results["2"]
    assert [json.loads(x)["i"] for x in out.splitlines()] == list(range(400))
    assert out == results["1"][0] and trace == results["1"][1]
    assert rep["records"] == results["1"][2]["records"]
    assert rep["records"]["changed"] == sum(1 for i in range(400) if i % 3)
    assert rep["changes"] == results["1"][2]["changes"]


def test_crash_mid_run_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: Any) -> None:
    monkeypatch.setattr(vio, "BATCH_BYTES", 64)
    src = jsonl(tmp_path / "in.jsonl", [{"text": RAW} for _ in range(100)])
    out, trace = tmp_path / "out.jsonl", tmp_path / "trace.jsonl"
    real = vio.process_batch
    calls = []

    def crash(batch: vio.Batch) -> vio.BatchResult:
        calls.append(1)
        if len(calls) == 5:
            raise MemoryError("simulated crash")
        return real(batch)
    monkeypatch.setattr(vio, "process_batch", crash)
    assert run(["clean", str(src), "-o", str(out), "--trace", str(trace), "-j", "1", *U]) == 1
    assert "simulated crash" in capsys.readouterr().err
    assert len(calls) == 5
    assert not out.exists() and not trace.exists() and not leftovers(tmp_path)


@pytest.mark.parametrize("exc", [KeyboardInterrupt, cli.Interrupted])
def test_interrupt_exits_130_and_leaves_no_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: type[BaseException]) -> None:
    monkeypatch.setattr(vio, "BATCH_BYTES", 64)
    jsonl(tmp_path / "in.jsonl", [{"text": RAW} for _ in range(100)])
    real = vio.process_batch
    calls = []

    def interrupted(batch: vio.Batch) -> vio.BatchResult:
        calls.append(1)
        if len(calls) == 3:
            raise exc()
        return real(batch)
    monkeypatch.setattr(vio, "process_batch", interrupted)
    out = tmp_path / "out"
    assert run(["clean", "-r", str(tmp_path), "-o", str(out), "-j", "1", *U, "-q"]) == 130
    assert not out.exists() or not any(out.rglob("*"))
    assert not leftovers(tmp_path)


def test_sigterm_handler_raises_interrupted() -> None:
    with pytest.raises(cli.Interrupted):
        cli._on_sigterm(15, None)


def test_earlier_files_complete_when_a_later_one_fails(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    jsonl(root / "1.jsonl", [{"text": RAW}])
    (root / "2.jsonl").write_bytes(b'{"text": 1}\n')
    out = tmp_path / "out"
    assert run(["clean", "-r", str(root), "-o", str(out), *U, "-q"]) == 1
    assert json.loads((out / "1.jsonl").read_text()) == {"text": CLEAN}
    assert not (out / "2.jsonl").exists() and not leftovers(out)


# -- reports, removed lines, progress ----------------------------------------------------------


class _DropMarked(Step):
    """A test step that removes lines starting with ``Ảnh:`` as captions.

    Like the real ``captions`` step, it takes a blank line before the caption
    along with it, so the removed span starts with a line break.
    """

    name: ClassVar[str] = "whitespace"
    summary: ClassVar[str] = "test: drop caption lines"

    def apply(self, text: str, changes: list[Change] | None) -> str:
        edits = [Edit(m.start(), m.end(), "", "test-caption", label="caption")
                 for m in re.finditer(r"\n?^Ảnh:.*\n", text, re.M)]
        return apply_edits(text, edits, self.name, changes)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_removed_lines_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: Any, jobs: str) -> None:
    real = pipeline._step_class
    monkeypatch.setattr(pipeline, "_step_class",
                        lambda name: _DropMarked if name == "whitespace" else real(name))
    doc = f"Tiêu đề\r\n{RAW}\n\nẢnh: Minh Anh\nThân bài.\nẢnh: X\n"
    src = jsonl(tmp_path / "in.jsonl", [{"text": "Hà Nội"}, {"text": doc}])
    out, removed, rep = tmp_path / "o.jsonl", tmp_path / "rm.jsonl", tmp_path / "r.json"
    assert run(["clean", str(src), "-o", str(out), "--removed", str(removed),
                "--report", str(rep), "-j", jobs, "--no-progress",
                "--only", "unicode,whitespace"]) == 0
    assert json.loads(out.read_text().splitlines()[1])["text"] == f"Tiêu đề\n{CLEAN}\nThân bài."
    entries = [json.loads(x) for x in removed.read_text("utf-8").splitlines()]
    assert entries == [
        {"index": 1, "file": str(src), "line": 4, "class": "caption", "rule": "test-caption",
         "text": "Ảnh: Minh Anh"},
        {"index": 1, "file": str(src), "line": 6, "class": "caption", "rule": "test-caption",
         "text": "Ảnh: X"},
    ]
    r = report(rep)
    assert r["removed_lines"] == 2
    assert r["changes"]["steps"]["whitespace"] == {"test-caption": 2}
    assert r["records"]["changed"] == 1
    assert r["encodings"] == {"utf-8": 2}
    assert r["bytes"]["in"] == src.stat().st_size and r["bytes"]["out"] == out.stat().st_size
    assert r["status"] == "ok" and r["seconds"] >= 0
    # CPU time is counted in clock ticks: a run this small may take less than one
    assert set(r["cpu_seconds"]) == {"main", "workers"}
    assert all(isinstance(v, float) and v >= 0 for v in r["cpu_seconds"].values())
    assert r["peak_rss_mb"] is None or 5 < r["peak_rss_mb"] < 1000
    err = capsys.readouterr().err
    assert "2 records in, 2 out (1 changed)" in err and "2 lines removed" in err
    assert "test-caption 2" in err


def test_removed_lines_in_txt_count_file_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    real = pipeline._step_class
    monkeypatch.setattr(pipeline, "_step_class",
                        lambda name: _DropMarked if name == "whitespace" else real(name))
    monkeypatch.setattr(vio, "BATCH_BYTES", 32)
    src = tmp_path / "a.txt"
    src.write_text("Một.\n\nẢnh: A\n\nHai.\n\nBa.\nẢnh: B\n\nBốn.\n", "utf-8")
    removed = tmp_path / "rm.jsonl"
    assert run(["clean", str(src), "-o", str(tmp_path / "o.txt"), "--removed", str(removed),
                "-q", "--no-progress", "--only", "unicode,whitespace"]) == 0
    assert [json.loads(x)["line"] for x in removed.read_text().splitlines()] == [3, 8]


def test_removed_lines_of_a_second_look_count_input_lines(tmp_path: Path) -> None:
    # A photo story's captions go only once the copies that made it a story
    # are gone: a second round of the captions step, mapped back to the input.
    t = "Mưa lớn gây ngập nhiều tuyến phố ở Hà Nội"
    p = ("Sáng nay mưa lớn kéo dài khiến nhiều tuyến phố ngập sâu, nhiều xe chết máy "
         "giữa đường và người dân phải dắt bộ rất vất vả trong nhiều giờ liền.")
    src = tmp_path / "a.txt"
    src.write_text(f"{p}\n" + f"{t}\n" * 4 + f"{t} |\n" * 2 + f"{t} :\nTheo TTXVN\n", "utf-8")
    removed, trace = tmp_path / "rm.jsonl", tmp_path / "t.jsonl"
    assert run(["clean", str(src), "-o", str(tmp_path / "o.txt"), "--removed", str(removed),
                "--trace", str(trace), "-q", "--no-progress", "--only", "captions"]) == 0
    rows = [json.loads(x) for x in removed.read_text("utf-8").splitlines()]
    assert [(r["line"], r["rule"]) for r in rows] == [
        (3, "duplicate"), (4, "duplicate"), (5, "duplicate"), (9, "source"),
        (6, "trailing-pipe"), (7, "trailing-pipe"),
    ]
    changes = [Change.from_dict(c) for c in json.loads(trace.read_text("utf-8"))["changes"]]
    assert {c.round for c in changes} == {0, 1}
    assert apply_changes(src.read_text("utf-8"), changes) == (tmp_path / "o.txt").read_text("utf-8")


def test_progress_bar_and_its_absence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: Any) -> None:
    src = jsonl(tmp_path / "in.jsonl", [{"text": RAW}] * 10)
    import tqdm  # noqa: F401  (in the "test" extra)
    assert run(["clean", str(src), "-o", str(tmp_path / "o"), "--only", "unicode",
                "--progress", "-q"]) == 0
    assert "vntext" in capsys.readouterr().err
    real = cli.importlib.import_module

    def no_tqdm(name: str) -> Any:
        if name == "tqdm":
            raise ImportError(name)
        return real(name)
    monkeypatch.setattr(cli.importlib, "import_module", no_tqdm)
    assert run(["clean", str(src), "-o", str(tmp_path / "o"), "--only", "unicode",
                "--progress", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_corrupt_compressed_file_fails_cleanly(tmp_path: Path, capsys: Any) -> None:
    src = tmp_path / "in.jsonl.gz"
    src.write_bytes(gzip.compress(b'{"text": "a"}\n' * 1000)[:-40])  # truncated
    out = tmp_path / "out.jsonl"
    assert run(["clean", str(src), "-o", str(out), *U]) == 1
    assert f"{src}: cannot read:" in capsys.readouterr().err
    assert not out.exists() and not leftovers(tmp_path)


def test_binary_stdin_kept_as_it_is(monkeypatch: pytest.MonkeyPatch, capfdbinary: Any) -> None:
    data = b"\x00\x01" + bytes(range(256)) * 100
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert run(["clean", "--on-error", "keep", *U, "-q"]) == 1
    assert capfdbinary.readouterr().out == data


class _Fragile(Step):
    """A test step with a bug: it raises on texts containing "boom"."""

    name: ClassVar[str] = "whitespace"
    summary: ClassVar[str] = "test: raises"

    def apply(self, text: str, changes: list[Change] | None) -> str:
        if "boom" in text:
            raise IndexError("string index out of range")
        return text


@pytest.mark.parametrize("policy, code", [("fail", 1), ("skip", 1), ("keep", 1)])
def test_a_step_raising_is_a_bad_record_not_a_lost_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, policy: str, code: int
) -> None:
    real = pipeline._step_class
    monkeypatch.setattr(pipeline, "_step_class",
                        lambda name: _Fragile if name == "whitespace" else real(name))
    src = jsonl(tmp_path / "in.jsonl", [{"text": RAW}, {"text": "boom"}, {"text": RAW}])
    out, rep = tmp_path / "out.jsonl", tmp_path / "r.json"
    assert run(["clean", str(src), "-o", str(out), "--on-error", policy, "--report", str(rep),
                "--no-progress", "--only", "unicode,whitespace"]) == code
    assert (f"{src}:2: vntext failed on this record: IndexError: string index out of range"
            in capsys.readouterr().err)
    texts = [json.loads(x)["text"] for x in out.read_text().splitlines()] if out.exists() else []
    assert texts == {"fail": [], "skip": [CLEAN, CLEAN], "keep": [CLEAN, "boom", CLEAN]}[policy]
    assert report(rep)["errors"] == {"vntext failed": 1}


def test_lines_format_never_splits_a_record(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes("một\u2028hai\rba\nbốn\n".encode())
    out, trace, rep = tmp_path / "out.txt", tmp_path / "t.jsonl", tmp_path / "r.json"
    assert run(["clean", str(src), "-o", str(out), "--format", "lines", "--trace", str(trace),
                "--report", str(rep), *U, "-q"]) == 0
    assert out.read_text("utf-8") == "một hai ba\nbốn\n"
    first = json.loads(trace.read_text().splitlines()[0])
    changes = [Change.from_dict(c) for c in first["changes"]]
    assert apply_changes("một\u2028hai\rba", changes) == "một hai ba"
    assert report(rep)["changes"]["steps"]["lines"] == {"line-break-in-record": 2}


@given(texts=st.lists(st.text(st.characters(codec="utf-8"), max_size=30), min_size=1,
                      max_size=8),
       extra=st.dictionaries(st.text(max_size=3).filter(lambda k: k != "text"),
                             st.integers() | st.text(max_size=4), max_size=3))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_jsonl_records_come_out_cleaned_in_order_with_other_fields_intact(
        tmp_path: Path, texts: list[str], extra: dict[str, object]) -> None:
    src, out, rep = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "r.json"
    records = [{**extra, "text": t, "n": i} for i, t in enumerate(texts)]
    jsonl(src, records)
    assert run(["clean", str(src), "-o", str(out), "-j", "1", "--report", str(rep),
                "--no-progress", "-q"]) == 0
    got = [json.loads(x) for x in out.read_bytes().split(b"\n") if x]
    assert got == [{**r, "text": vntext.clean(r["text"])} for r in records]
    r = report(rep)["records"]
    assert r["in"] == r["out"] == len(records)
    assert r["changed"] == sum(vntext.clean(t) != t for t in texts)


def test_closed_output_pipe_stops_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: Any) -> None:
    class ClosedPipe(io.BytesIO):
        def write(self, data: Any) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    src = jsonl(tmp_path / "in.jsonl", [{"text": RAW}] * 3)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(ClosedPipe()))
    assert run(["clean", str(src), *U]) == 1
    assert "the output pipe was closed" in capsys.readouterr().err


# -- encodings, detect, lexicon build --------------------------------------------

LEGACY_SENTENCE = "Ủy ban nhân dân tỉnh Thanh Hóa họp về việc bảo đảm an ninh trật tự."


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii"])
def test_clean_detects_a_legacy_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(LEGACY_SENTENCE.encode(f"vntext-{encoding}"))
    report = tmp_path / "report.json"
    assert cli.main(["clean", str(path), "-q", "-j", "1", "--report", str(report)]) == 0
    assert capsys.readouterr().out.rstrip("\n") == LEGACY_SENTENCE
    assert encoding in json.dumps(json.loads(report.read_text(encoding="utf-8")))


def test_clean_with_forced_utf8_rejects_legacy_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(LEGACY_SENTENCE.encode("vntext-vni"))
    assert cli.main(["clean", str(path), "-q", "-j", "1", "--encoding", "utf-8"]) == 1
    assert "legacy.txt" in capsys.readouterr().err


def test_detect_reports_encoding_and_mojibake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = tmp_path / "a.txt"
    legacy.write_bytes(LEGACY_SENTENCE.encode("vntext-tcvn3"))
    broken = tmp_path / "b.txt"
    broken.write_text("Viá»‡t Nam và thế giới", encoding="utf-8")
    assert cli.main(["detect", str(legacy), str(broken), "--json"]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["encoding"] == "tcvn3" and first["mojibake"] == {}
    assert second["encoding"] == "utf-8"
    assert sum(second["mojibake"].values()) == 1
    assert cli.main(["detect", str(tmp_path / "missing.txt")]) == 1
    assert "missing.txt" in capsys.readouterr().err


def test_lexicon_build_feeds_the_typos_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        for _ in range(3):
            fh.write(json.dumps({"body": "Việt Nam và thế giới hôm nay."}, ensure_ascii=False))
            fh.write("\n")
    out = tmp_path / "lex.tsv"
    assert cli.main(["lexicon", "build", str(corpus), "-o", str(out), "--field", "body"]) == 0
    rows = dict(
        line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    )
    assert rows["việt nam"] == "3"
    assert rows["hôm"] == "3"
    capsys.readouterr()
    assert cli.main(["explain", "của của", "--lexicon", str(out)]) == 0
    assert cli.main(["lexicon", "build", str(tmp_path / "nope.txt"), "-o", str(out)]) == 2
    assert "nope.txt" in capsys.readouterr().err
