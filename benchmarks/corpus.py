"""Readers for the evaluation data in ``../shared/data`` (never shipped, never read by tests).

Benchmark and evaluation scripts take paths to these files as arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

_ARTICLE = re.compile(
    r"<article>\s*<title>\s*(.*?)\s*</title>\s*<content>\s*(.*?)\s*</content>\s*</article>",
    re.S,
)


def read_baomoi(path: str | Path) -> list[dict[str, str]]:
    """Articles of ``news/baomoi/baomoi.txt`` as ``{"title", "content"}`` in file order."""
    text = Path(path).read_text(encoding="utf-8")
    return [{"title": m.group(1), "content": m.group(2)} for m in _ARTICLE.finditer(text)]


def read_viwiki(path: str | Path) -> list[dict[str, object]]:
    """Documents of ``typos/viwiki-spelling/spelling_test.jsonl`` in file order."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_jsonl(path: str | Path) -> Iterator[dict[str, object]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def news_documents(baomoi: str | Path, viwiki: str | Path | None = None) -> list[str]:
    """The benchmark corpus: each baomoi article (title and content) and each Viwiki text."""
    docs = [f"{a['title']}\n{a['content']}" for a in read_baomoi(baomoi)]
    if viwiki:
        docs += [str(d["text"]) for d in read_viwiki(viwiki)]
    return docs
