"""Rebuild the legacy Vietnamese charset tables in ``vntext/data/charsets/``.

Usage (from the project root)::

    python scripts/build_charsets.py [--charmaps /usr/share/i18n/charmaps] [--recode recode]
        [--out vntext/data/charsets]

Sources (see ``vntext/data/README.md``):

- ``tcvn3.tsv``: TCVN 5712:1993 (the VN1 code table, of which the "ABC"/VN3
  font encoding is the lower-case and base-letter subset), from glibc's
  ``TCVN5712-1`` charmap. Only its 256 single-byte entries are kept: glibc's
  extra two-byte entries (base letter + combining byte) are compositions that
  NFC already performs.
- ``viscii.tsv``: VISCII 1.1 (RFC 1456), from glibc's ``VISCII`` charmap.
- ``vps.tsv``: VPS, from GNU recode's ``VPS`` charset (``recode -lf VPS``).
  recode leaves nine bytes unassigned; VPS keeps ISO-8859-1 there (NBSP,
  ``ß ç î ö ü``, 0x91, 0x92), except 0x99, which is U+1ED6 (Ỗ), the one
  Vietnamese letter recode's table lacks (position from the Vietnamese Unicode
  project's VPS chart, vietunicode.sourceforge.net/charset/).
- ``vni.tsv``: VNI-Windows, from GNU recode's ``VNI`` charset: the byte
  sequence recode writes for every Vietnamese letter (VNI stores most
  letters as a base letter followed by a mark byte; every other byte is
  Windows-1252).
- ``viqr.tsv``: VIQR (RFC 1456), from GNU recode's ``VIQR`` charset: the
  mnemonic sequence for every Vietnamese letter.

Each table is UTF-8 TSV ``bytes<TAB>char<TAB>codepoints`` (``bytes`` in hex,
``char`` the NFC string), sorted by bytes, with a ``#`` header naming its source.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "vntext" / "data" / "charsets"

#: Every precomposed Vietnamese letter (both cases): the repertoire the
#: multi-byte tables (VNI, VIQR) are generated for.
VIETNAMESE_LETTERS = sorted(
    {
        c
        for cp in [*range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA)]
        if (c := chr(cp)).isalpha()
        and (
            cp >= 0x1EA0
            or c in "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝăĂđĐĩĨũŨơƠưƯ"
        )
    }
)

HEADER = {
    "tcvn3": "TCVN 5712:1993 (VN1; the ABC/VN3 fonts use its lower-case subset). "
    "Source: glibc localedata charmap TCVN5712-1 (single-byte entries). Facts of a "
    "national standard; see vntext/data/README.md.",
    "viscii": "VISCII 1.1 (RFC 1456, Viet-Std 1992). Source: glibc localedata charmap VISCII. "
    "See vntext/data/README.md.",
    "vps": "VPS (Vietnamese Professional System). Source: GNU recode charset VPS "
    "(recode -lf VPS). See vntext/data/README.md.",
    "vni": "VNI-Windows (VNI Software Co.; base letter + mark byte, other bytes Windows-1252). "
    "Source: GNU recode charset VNI (sequence written for each Vietnamese letter). "
    "See vntext/data/README.md.",
    "viqr": "VIQR (RFC 1456 Vietnamese Quoted-Readable). Source: GNU recode charset VIQR "
    "(mnemonic written for each Vietnamese letter). See vntext/data/README.md.",
}


def glibc_single_bytes(charmaps: Path, name: str) -> dict[bytes, str]:
    """The single-byte entries of a glibc charmap (``<UXXXX> /xNN``)."""
    table: dict[bytes, str] = {}
    with gzip.open(charmaps / f"{name}.gz", "rt", encoding="ascii") as fh:
        for line in fh:
            m = re.match(r"<U([0-9A-F]{4,6})>\s+/x([0-9a-f]{2})\s", line)
            if m:
                table[bytes([int(m.group(2), 16)])] = chr(int(m.group(1), 16))
    return table


def recode_listing(recode: str, charset: str) -> dict[bytes, str]:
    """Byte -> character of a single-byte recode charset, from ``recode -lf``."""
    out = subprocess.run([recode, "-lf", charset], capture_output=True, check=True).stdout
    table: dict[bytes, str] = {}
    for line in out.decode("latin-1").splitlines():
        m = re.match(r"\s*(\d+)\s+\d+\s+[0-9a-f]{2}\s+([0-9A-F]{4})\b", line)
        if m:
            table[bytes([int(m.group(1))])] = chr(int(m.group(2), 16))
    return table


def vps(recode: str) -> dict[bytes, str]:
    """recode's VPS table, completed as described in the module docstring."""
    table = recode_listing(recode, "VPS")
    for byte in range(256):
        key = bytes([byte])
        if key not in table:
            table[key] = "\u1ed6" if byte == 0x99 else chr(byte)
    return table


def recode_letters(recode: str, charset: str) -> dict[bytes, str]:
    """Byte sequence -> letter, for every Vietnamese letter written by recode."""
    data = "\n".join(VIETNAMESE_LETTERS).encode("utf-8")
    out = subprocess.run(
        [recode, "-f", f"UTF-8..{charset}"], input=data, capture_output=True, check=True
    ).stdout
    seqs = out.split(b"\n")
    if len(seqs) != len(VIETNAMESE_LETTERS):
        raise SystemExit(f"recode {charset}: expected {len(VIETNAMESE_LETTERS)} lines")
    return dict(zip(seqs, VIETNAMESE_LETTERS, strict=False))


def write(out: Path, name: str, table: dict[bytes, str]) -> None:
    lines = [f"# {name}: {HEADER[name]}", "# bytes\tchar\tcodepoints"]
    for seq in sorted(table):
        char = unicodedata.normalize("NFC", table[seq]) if name != "tcvn3" else table[seq]
        cps = " ".join(f"U+{ord(c):04X}" for c in char)
        shown = char if char.isprintable() else ""
        lines.append(f"{seq.hex()}\t{shown}\t{cps}")
    (out / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(charmaps: Path, recode: str) -> dict[str, dict[bytes, str]]:
    tables = {
        "tcvn3": glibc_single_bytes(charmaps, "TCVN5712-1"),
        "viscii": glibc_single_bytes(charmaps, "VISCII"),
        "vps": vps(recode),
        "vni": recode_letters(recode, "VNI"),
        "viqr": recode_letters(recode, "VIQR"),
    }
    for name in ("tcvn3", "viscii", "vps"):
        if len(tables[name]) != 256:
            raise SystemExit(f"{name}: expected 256 single-byte entries, got {len(tables[name])}")
    return tables


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--charmaps", type=Path, default=Path("/usr/share/i18n/charmaps"))
    ap.add_argument("--recode", default="recode")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, table in build(args.charmaps, args.recode).items():
        write(args.out, name, table)
        print(f"{name}: {len(table)} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
