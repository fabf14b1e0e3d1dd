"""A datatrove pipeline step that cleans ``doc.text`` with vntext.

datatrove's own text fixer wraps ftfy with normalisation switched off, so
decomposed Vietnamese (``Vie\\u0302\\u0323t``) stays decomposed and nothing
Vietnamese-specific is fixed. :class:`VntextFormatter` slots in where
``FTFYFormatter`` would, takes a :class:`vntext.Config` (or a
:class:`vntext.Cleaner`), and reports what it did in datatrove's stats::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from vntext import Config
    from vntext.integrations.datatrove import VntextFormatter

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader("raw/"),
            VntextFormatter(Config.preset("default"),
                            exclusion_writer=JsonlWriter("excluded/emptied"),
                            removed_lines_writer=JsonlWriter("excluded/lines")),
            JsonlWriter("clean/"),
        ],
        tasks=64, logging_dir="logs/",
    ).run()

Stats (merged over tasks in ``logs/stats.json``):

- ``total``, ``changed`` (documents whose text changed), ``forwarded``;
- ``<step>`` and ``<step>/<rule>`` (e.g. ``unicode/nfc``): one update per
  document where it fired, valued by the number of changes, so the stat's
  ``total`` is the number of changes and its ``n`` the number of documents
  touched;
- ``removed_lines`` (lines removed by a step such as captions);
- ``dropped`` and ``dropped_empty``: documents empty or blank after cleaning
  (only with ``drop_empty=True``; the exclusion writer gets them with their
  *original* text, so nothing is lost).

:func:`rule_counts` reads the ``{step: {rule: n}}`` totals back from the
executor's result or from ``stats.json``. Recording changes costs
throughput; ``stats=False`` keeps only the document counts (see
``docs/scaling.md`` for measured figures).
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import TYPE_CHECKING, Any

from vntext.config import Config
from vntext.integrations import as_cleaner, merge_counts, require
from vntext.pipeline import Cleaner

require("datatrove", "datatrove")

from datatrove.pipeline.formatters.base import BaseFormatter  # noqa: E402
from datatrove.utils.typeshelper import StatHints  # noqa: E402

if TYPE_CHECKING:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.writers.disk_base import DiskWriter

__all__ = ["VntextFormatter", "rule_counts"]


class VntextFormatter(BaseFormatter):  # type: ignore[misc]
    """Clean ``doc.text`` with a vntext pipeline and count every rule that fired.

    Args:
        config: a :class:`vntext.Config` or :class:`vntext.Cleaner` (default:
            the default pipeline). Only the config travels to the tasks; each
            task process builds its cleaner once.
        stats: record per-step and per-rule counts (needs the change trace,
            which costs some throughput).
        drop_empty: drop documents whose cleaned text is empty or blank
            instead of passing them on empty.
        exclusion_writer: receives dropped documents with their original
            text and ``metadata["vntext_dropped"] = "empty"``.
        removed_lines_writer: receives one document per removed line (id
            ``<doc id>/removed/<n>``), with ``metadata`` holding the source
            document id, the step, the rule and the line's class.
    """

    name = "🇻🇳 vntext"

    def __init__(
        self,
        config: Config | Cleaner | None = None,
        *,
        stats: bool = True,
        drop_empty: bool = True,
        exclusion_writer: DiskWriter | None = None,
        removed_lines_writer: DiskWriter | None = None,
    ) -> None:
        super().__init__()
        self.config = as_cleaner(config).config
        self.record = stats
        self.drop_empty = drop_empty
        self.exclusion_writer = exclusion_writer
        self.removed_lines_writer = removed_lines_writer

    def format(self, text: str) -> str:
        """Clean one text (what datatrove's formatter interface asks for)."""
        cleaned: str = as_cleaner(self.config)(text)
        return cleaned

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        cleaner = as_cleaner(self.config)
        trace = self.record or self.removed_lines_writer is not None
        with contextlib.ExitStack() as stack:
            excluded = _enter(stack, self.exclusion_writer)
            lines_out = _enter(stack, self.removed_lines_writer)
            for doc in data:
                self.stat_update(StatHints.total)
                original = doc.text
                with self.track_time():
                    if trace:
                        result = cleaner.explain(original)
                        doc.text = result.text
                    else:
                        doc.text = cleaner(original)
                if doc.text != original:
                    self.stat_update("changed")
                if trace:
                    if self.record:
                        self._count(result.counts())
                    removed = result.removed_lines
                    if removed:
                        self.stat_update("removed_lines", value=len(removed))
                        if lines_out is not None:
                            _write_removed_lines(lines_out, doc, removed, rank)
                if self.drop_empty and not doc.text.strip():
                    self.stat_update(StatHints.dropped, "dropped_empty")
                    if excluded is not None:
                        doc.text = original
                        doc.metadata["vntext_dropped"] = "empty"
                        excluded.write(doc, rank)
                    continue
                self.stat_update(StatHints.forwarded)
                yield doc

    def _count(self, counts: dict[str, dict[str, int]]) -> None:
        for step, rules in counts.items():
            self.stat_update(step, value=sum(rules.values()))
            for rule, n in rules.items():
                self.stat_update(f"{step}/{rule}", value=n)


def _enter(stack: contextlib.ExitStack, writer: DiskWriter | None) -> Any:
    return None if writer is None else stack.enter_context(writer)


def _write_removed_lines(writer: Any, doc: Document, removed: list[Any], rank: int) -> None:
    from datatrove.data import Document

    for i, change in enumerate(removed):
        writer.write(
            Document(
                text=change.before.strip("\r\n"),
                id=f"{doc.id}/removed/{i}",
                metadata={
                    "source_id": doc.id,
                    "step": change.step,
                    "rule": change.rule,
                    "label": change.label,
                },
            ),
            rank,
        )


def rule_counts(stats: Any) -> dict[str, dict[str, int]]:
    """``{step: {rule: n}}`` from a run's stats.

    ``stats`` is what ``executor.run()`` returns (datatrove's
    ``PipelineStats``) or the path of the ``stats.json`` it saves in its
    logging folder. Counts of every :class:`VntextFormatter` in the pipeline
    are added up.
    """
    if isinstance(stats, (str, os.PathLike)):
        with open(stats, encoding="utf-8") as fh:
            blocks = [(b["name"], b["stats"]) for b in json.load(fh)]
    else:
        blocks = [(b.name, b.stats.to_dict()) for b in stats.stats]
    total: dict[str, dict[str, int]] = {}
    for name, values in blocks:
        if not name.endswith(VntextFormatter.name):
            continue
        counts: dict[str, dict[str, int]] = {}
        for key, value in values.items():
            step, _, rule = key.partition("/")
            if rule:
                n = value["total"] if isinstance(value, dict) else value
                counts.setdefault(step, {})[rule] = int(n)
        merge_counts(total, counts)
    return total
