"""Readers, writers and record processing of :mod:`vntext.io`."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vntext import io as vio
from vntext.config import Config
from vntext.pipeline import Cleaner
from vntext.trace import Change, Cleaned


def batches(data: bytes, fmt: str, size: int, limit: int = 1 << 20) -> list[vio.Batch]:
    return list(vio.read_batches(io.BytesIO(data), "f", fmt, limit, size))


# -- read_batches ----------------------------------------------------------------------

lines_st = st.lists(st.sampled_from(["", "a", "Hà Nội", "x" * 30, "\r", " ", "\n"]), max_size=40)


@given(parts=lines_st, size=st.integers(1, 64), fmt=st.sampled_from(["lines", "txt"]))
@settings(max_examples=300, deadline=None)
def test_batches_cover_the_input_exactly(parts: list[str], size: int, fmt: str) -> None:
    data = "\n".join(parts).encode()
    got = batches(data, fmt, size)
    assert b"".join(b.data for b in got) == data
    line = 1
    for b in got:
        assert b.first_line == line and not b.too_long
        line += b.data.count(b"\n")
        if b is not got[-1]:
            assert b.data.endswith(b"\n")  # never cut inside a line
            cut_at_paragraph = len(b.data) < size * vio.TXT_PARAGRAPH_FACTOR
            if fmt == "txt" and b"\n\n" in b.data and cut_at_paragraph:
                # a blank-line run is never split between two blocks
                assert not got[got.index(b) + 1].data.startswith((b"\n", b"\r"))


def test_txt_cuts_at_blank_lines_not_inside_a_run() -> None:
    data = b"a\n\n\n\nb\r\n\r\nc\nd\n\ne"
    assert [b.data for b in batches(data, "txt", 1)] == [b"a\n\n\n\n", b"b\r\n\r\n", b"c\nd\n\n",
                                                          b"e"]


def test_txt_without_blank_lines_cuts_at_a_line_end_past_the_cap() -> None:
    data = b"".join(b"line %d\n" % i for i in range(100))
    got = batches(data, "txt", 16)
    assert len(got) > 1 and all(b.data.endswith(b"\n") for b in got)
    assert all(len(b.data) <= 16 * vio.TXT_PARAGRAPH_FACTOR + 16 for b in got)


def test_over_long_line_is_flagged_and_dropped_from_memory() -> None:
    data = b"short\n" + b"x" * 5000 + b"\nafter\n"
    got = batches(data, "lines", 64, limit=100)
    assert [(b.first_line, b.too_long) for b in got] == [(1, False), (2, True), (3, False)]
    assert len(got[1].data) == 100 and got[2].data == b"after\n"


# -- locate_field ------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                 max_size=3),
    max_leaves=8,
)


@given(record=st.dictionaries(st.text(max_size=5), json_values, max_size=5),
       text=st.text(max_size=20), indent=st.sampled_from([None, 1]),
       ascii_only=st.booleans())
@settings(max_examples=300, deadline=None)
def test_locate_field_agrees_with_json_loads(record: dict[str, object], text: str,
                                             indent: int | None, ascii_only: bool) -> None:
    record["text"] = text
    line = json.dumps(record, ensure_ascii=ascii_only, indent=indent)
    start, end, value = vio.locate_field(line, ("text",))
    assert value == text and json.loads(line[start:end]) == text
    # splicing a new value keeps every other byte
    spliced = line[:start] + json.dumps("NEW") + line[end:]
    assert json.loads(spliced) == {**record, "text": "NEW"}


def test_locate_field_duplicate_keys_last_wins_like_json_loads() -> None:
    line = '{"text": "first", "text": "last"}'
    start, end, value = vio.locate_field(line, ("text",))
    assert value == json.loads(line)["text"] == "last" and line[start:end] == '"last"'


@pytest.mark.parametrize("line, message", [
    ('{"text": "a"', "malformed JSON"),
    ('{"text": "a"} x', "malformed JSON: Extra data"),
    ('{"text" "a"}', "malformed JSON: Expecting ':' delimiter"),
    ("{'text': 'a'}", "malformed JSON: Expecting property name"),
    ('{"text": "a",}', "malformed JSON"),
    ('"just a string"', "record is not a JSON object (found a string)"),
    ("42", "record is not a JSON object (found a number)"),
    ("{}", "missing field 'text'"),
    ('{"text": ["a"]}', "field 'text' is a list, not a string"),
    ('{"text": {"a": 1}}', "field 'text' is an object, not a string"),
    ('{"text": true}', "field 'text' is a boolean, not a string"),
    ('{"text": "bad \\x escape"}', "malformed JSON: Invalid \\escape"),
])
def test_locate_field_errors(line: str, message: str) -> None:
    with pytest.raises(vio.RecordError, match="^" + re.escape(message)):
        vio.locate_field(line, ("text",))


def test_locate_field_nested_path_errors() -> None:
    with pytest.raises(vio.RecordError, match="field 'doc' is a string, not an object"):
        vio.locate_field('{"doc": "x"}', ("doc", "text"))
    with pytest.raises(vio.RecordError, match=r"missing field 'doc\.text'"):
        vio.locate_field('{"doc": {"body": "x"}}', ("doc", "text"))


# -- decoding ----------------------------------------------------------------------------


def test_register_decoder_is_the_extension_point() -> None:
    def latin(data: bytes) -> vio.DecodedText:
        return vio.DecodedText(data.decode("latin-1"), "latin-1")

    def picky(data: bytes) -> vio.DecodedText:
        raise ValueError("no candidate encoding reads these bytes")

    vio.register_decoder("test-latin", latin)
    vio.register_decoder("test-picky", picky)
    try:
        assert vio.decode(b"\xe0", "test-latin") == ("à", "latin-1")
        with pytest.raises(vio.RecordError, match=r"^invalid text: no candidate encoding"):
            vio.decode(b"x", "test-picky")
    finally:
        del vio.DECODERS["test-latin"], vio.DECODERS["test-picky"]


# -- AtomicOutput ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["o.txt", "o.txt.gz", "o.txt.bz2", "o.txt.xz", "o.txt.zst"])
def test_atomic_output_appears_only_on_commit(tmp_path: Path, name: str) -> None:
    path = tmp_path / "sub" / name
    out = vio.AtomicOutput(str(path))
    out.stream.write("Hà Nội\n".encode() * 1000)
    assert not path.exists()
    out.commit()
    fh = vio.open_input(str(path))
    try:
        assert fh.read(-1) == "Hà Nội\n".encode() * 1000
    finally:
        fh.close()
    assert sorted(os.listdir(path.parent)) == [name]


def test_atomic_output_abort_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "o.txt"
    path.write_text("old")
    out = vio.AtomicOutput(str(path))
    out.stream.write(b"new, half written")
    out.abort()
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["o.txt"]


# -- processing ----------------------------------------------------------------------------


def _process(data: bytes, fmt: str, **kw: object) -> vio.BatchResult:
    vio.init_worker(vio.Options(config=Config().with_steps(only=["unicode"]), **kw))  # type: ignore[arg-type]
    return vio.process_batch(vio.Batch("f", fmt, 1, data))


def test_unchanged_records_are_the_same_bytes() -> None:
    data = b'{"text":"H\\u00e0 N\\u1ed9i",  "x" : 1}\r\n\n{"text": "ok"}'
    res = _process(data, "jsonl")
    assert res.out == data
    assert res.stats.records_in == res.stats.records_out == 2 and res.stats.changed == 0


def test_fast_path_without_explain_gives_the_same_output() -> None:
    data = json.dumps({"text": "Vie\u0302\u0323t"}).encode() + b"\n"
    assert _process(data, "jsonl", explain=False).out == _process(data, "jsonl").out


def test_input_line_maps_back_through_earlier_steps() -> None:
    text = "a\u2028b\nẢnh: x\nc"
    # an earlier step turned U+2028 into "\n" (adding a line); a later one removed line 3
    first = Change("unicode", "line-separator", 1, 2, "\u2028", "\n")
    after_first = "a\nb\nẢnh: x\nc"
    start = after_first.index("Ảnh")
    removed = Change("captions", "photo-credit", start, start + 7, "Ảnh: x\n", "", "caption")
    cleaned = Cleaned("a\nb\nc", [first, removed])
    assert vio._input_line(text, cleaned, removed) == 2


def test_cleaner_and_options_pickle_for_workers() -> None:
    import pickle

    options = vio.Options(config=Config(unicode=False), field=("a", "b"))
    assert pickle.loads(pickle.dumps(options)) == options
    cleaner = Cleaner(Config().with_steps(only=["unicode"]))
    assert pickle.loads(pickle.dumps(cleaner)).config == cleaner.config


_PIECES = st.sampled_from(["a", "Hà", " ", "\n", "\r", "\r\n", "\u2028", "\u00a0", ".", ",",
                           "\t", "\u200b", "(", ")", "\x0b", "\x85", "\u2029", "\x0c", "Ð"])


@given(parts=st.lists(_PIECES, max_size=60), size=st.integers(1, 16))
@settings(max_examples=300, deadline=None)
def test_txt_blocks_clean_like_the_whole_document(parts: list[str], size: int) -> None:
    """Cutting a document into blocks changes nothing for line-local steps.

    (Steps that look at the document's start or end, such as ``captions``'
    byline-at-the-end rule, see each block's edges as document edges: blocks
    are about 1 MB, so this only matters inside files far larger than an
    article.)
    """
    config = Config().with_steps(only=["unicode", "whitespace"])
    vio.init_worker(vio.Options(config=config, explain=False))
    text = "".join(parts)
    out = b"".join(vio.process_batch(b).out for b in batches(text.encode(), "txt", size))
    assert out.decode() == Cleaner(config)(text)
