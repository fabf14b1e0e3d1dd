"""The trace: every edit a step makes, as data that can be replayed.

A step never rewrites its input wholesale. It finds the few spans that need a
fix and replaces exactly those, so everything it does not fix (spacing,
punctuation, line breaks, case) survives. :func:`apply_edits` is the one place
where spans are spliced in, and it is also where the trace is recorded, so the
trace cannot drift from what was really done.

Offsets in a :class:`Change` refer to the text *that step received*, not to
the original input: replaying the changes step by step, in order, rebuilds the
output exactly. A step that looks again at its own output in the same run
(``encodings`` undoing a second layer of misreading, ``captions`` judging a
photo story again) records each look as a ``round`` of its own.

>>> edits = [Edit(0, 3, "Quá", "misplaced")]
>>> changes: list[Change] = []
>>> apply_edits("Qúa trình", edits, "tones", changes)
'Quá trình'
>>> changes[0]
Change(step='tones', rule='misplaced', start=0, end=3, before='Qúa', after='Quá')
>>> apply_changes("Qúa trình", changes)
'Quá trình'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "LINE_CLASSES",
    "Change",
    "Cleaned",
    "Edit",
    "apply_changes",
    "apply_edits",
    "apply_rounds",
]

#: Classes of non-body lines. A change removing a whole line carries one of
#: these in its ``label``; :attr:`Cleaned.removed_lines` selects them.
LINE_CLASSES = frozenset({"caption", "byline", "boilerplate", "header"})


@dataclass(frozen=True, slots=True)
class Change:
    """One edit made by one step.

    ``start`` and ``end`` index the text the step received; ``before`` is
    ``text[start:end]`` there and ``after`` is what replaced it. A removed
    line has ``after == ""``. ``label`` carries what a rule decided beyond
    the replacement itself (the class of a removed line, the sense chosen for
    an acronym) and ``confidence`` how sure the rule was (1.0 for
    deterministic rules). ``round`` counts the step's looks at its own
    output within one run (0 for the first): a round's offsets index the text
    the round received. All three are left out of the ``repr`` and the JSON
    form when they hold their defaults, to keep explanations short.
    """

    step: str
    rule: str
    start: int
    end: int
    before: str
    after: str
    label: str = ""
    confidence: float = 1.0
    round: int = 0

    def __repr__(self) -> str:
        extra = ""
        if self.label:
            extra += f", label={self.label!r}"
        if self.confidence != 1.0:
            extra += f", confidence={self.confidence!r}"
        if self.round:
            extra += f", round={self.round}"
        return (
            f"Change(step={self.step!r}, rule={self.rule!r}, start={self.start}, "
            f"end={self.end}, before={self.before!r}, after={self.after!r}{extra})"
        )

    def to_dict(self) -> dict[str, object]:
        """The JSON form used by ``--trace`` files."""
        out: dict[str, object] = {
            "step": self.step,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
        }
        if self.label:
            out["label"] = self.label
        if self.confidence != 1.0:
            out["confidence"] = self.confidence
        if self.round:
            out["round"] = self.round
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Change:
        """Inverse of :meth:`to_dict`."""
        return cls(
            step=str(data["step"]),
            rule=str(data["rule"]),
            start=int(data["start"]),  # type: ignore[call-overload]
            end=int(data["end"]),  # type: ignore[call-overload]
            before=str(data["before"]),
            after=str(data["after"]),
            label=str(data.get("label", "")),
            confidence=float(data.get("confidence", 1.0)),  # type: ignore[arg-type]
            round=int(data.get("round", 0)),  # type: ignore[call-overload]
        )


class Edit(NamedTuple):
    """A replacement a step wants to make: ``text[start:end]`` becomes ``after``."""

    start: int
    end: int
    after: str
    rule: str
    label: str = ""
    confidence: float = 1.0


def apply_edits(
    text: str,
    edits: Iterable[Edit],
    step: str,
    changes: list[Change] | None,
    round: int = 0,
) -> str:
    """Splice ``edits`` into ``text`` and, when ``changes`` is a list, record them.

    Edits must be sorted by position and must not overlap; an edit whose
    replacement equals the original span is dropped (it changes nothing and
    would only clutter the trace). Passing ``changes=None`` records nothing,
    which is how :func:`vntext.clean` runs at full speed. ``round`` is the
    step's look at its own output that made the edits (see :class:`Change`).

    >>> apply_edits("a  b", [Edit(1, 3, " ", "spaces")], "whitespace", None)
    'a b'
    >>> apply_edits("ab", [Edit(0, 1, "a", "noop")], "x", None)
    'ab'
    """
    parts: list[str] = []
    pos = 0
    for e in edits:
        if e.start < pos or e.end < e.start or e.end > len(text):
            raise ValueError(
                f"step {step!r}: edit {e!r} overlaps a previous edit or leaves the text "
                f"(length {len(text)})"
            )
        before = text[e.start : e.end]
        if before == e.after:
            continue
        parts.append(text[pos : e.start])
        parts.append(e.after)
        pos = e.end
        if changes is not None:
            changes.append(
                Change(step, e.rule, e.start, e.end, before, e.after, e.label, e.confidence, round)
            )
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


#: A step looks at its own output at most this many times in one run.
ROUNDS = 3


def apply_rounds(
    text: str,
    find: Callable[[str], Sequence[Edit]],
    step: str,
    changes: list[Change] | None,
    again: Callable[[Sequence[Edit]], bool] | None = None,
) -> str:
    """Apply ``find(text)``'s edits, then look again at the result, as a second run would.

    A step whose edits can uncover more work for itself (a layer of
    misreading under another, lines given new neighbours by a removal, words
    split apart) applies them in rounds, each recorded with its ``round``,
    until a round finds nothing or changes nothing, or ``again(edits)`` says
    the last round cannot have uncovered more: one run is then enough
    (idempotence), and the trace still replays round by round.

    Removing ``()`` from ``a(())b`` leaves another ``()``, removed in a second round:

    >>> changes: list[Change] = []
    >>> pair = lambda t: [Edit(t.find("()"), t.find("()") + 2, "", "pair")] if "()" in t else []
    >>> apply_rounds("a(())b", pair, "s", changes)
    'ab'
    >>> [(c.round, c.start) for c in changes], apply_changes("a(())b", changes)
    ([(0, 2), (1, 1)], 'ab')
    """
    for rnd in range(ROUNDS):
        edits = find(text)
        if not edits:
            break
        new = apply_edits(text, edits, step, changes, rnd)
        if new is text or (again is not None and not again(edits)):
            return new
        text = new
    return text


def apply_changes(text: str, changes: Sequence[Change]) -> str:
    """Replay a trace on the original input and return the output it describes.

    Changes are replayed step by step: consecutive changes of one step and
    round are applied together on the text that round received. Each change is checked
    (``text[start:end]`` must equal ``before``), so a trace that does not fit
    its text raises :class:`ValueError` instead of producing garbage.

    >>> c = [Change("unicode", "space-separator", 2, 3, "\\xa0", " "),
    ...      Change("whitespace", "collapse-spaces", 2, 4, "  ", " ")]
    >>> apply_changes("Hà\\xa0 Nội", c)
    'Hà Nội'
    """
    i = 0
    n = len(changes)
    while i < n:
        step, rnd = changes[i].step, changes[i].round
        j = i
        while j < n and changes[j].step == step and changes[j].round == rnd:
            j += 1
        group = changes[i:j]
        for c in group:
            if text[c.start : c.end] != c.before:
                raise ValueError(
                    f"trace does not fit the text: {c!r} expects {c.before!r} at "
                    f"{c.start}:{c.end}, found {text[c.start : c.end]!r}"
                )
        text = apply_edits(
            text, (Edit(c.start, c.end, c.after, c.rule) for c in group), step, None
        )
        i = j
    return text


@dataclass
class Cleaned:
    """The result of :func:`vntext.clean_and_explain`: output text and its trace.

    >>> from vntext import clean_and_explain
    >>> r = clean_and_explain("Hà\\u00a0Nội")
    >>> r.text
    'Hà Nội'
    >>> r.counts()
    {'unicode': {'space-separator': 1}}
    """

    text: str
    changes: list[Change] = field(default_factory=list)

    @property
    def removed_lines(self) -> list[Change]:
        """Changes that removed whole lines of a document.

        A step that removes a line records a change with ``after == ""`` and
        the line's class (one of :data:`LINE_CLASSES`) in ``label``, so
        removed text is never lost: each line is here, with the rule that
        removed it.
        """
        return [c for c in self.changes if c.after == "" and c.label in LINE_CLASSES]

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of changes per step and rule, steps in pipeline order."""
        counter = Counter((c.step, c.rule) for c in self.changes)
        out: dict[str, dict[str, int]] = {}
        for (step, rule), n in counter.items():
            out.setdefault(step, {})[rule] = n
        return out
