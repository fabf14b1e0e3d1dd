"""Rebuild ``vntext/data/unicode_classes.tsv`` from the installed ``unicodedata2``.

Usage (from the project root)::

    python scripts/build_unicode_classes.py

The table lists the characters the ``unicode`` step's fast path searches for
(combining characters, characters NFC changes, space separators). Run this
after upgrading ``unicodedata2``; ``tests/test_unicode.py`` checks that the
shipped table matches the installed version.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vntext.unicode import character_classes, format_table


def main() -> int:
    out = Path(__file__).resolve().parent.parent / "vntext" / "data" / "unicode_classes.tsv"
    out.write_text(format_table(character_classes(rebuild=True)), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
