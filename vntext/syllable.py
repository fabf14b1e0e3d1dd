"""The Vietnamese syllable: parse, validate, compose, place the tone mark.

Every Vietnamese word is written as syllables separated by spaces, and each
syllable has a rigid structure::

    onset    medial   nucleus   coda       tone
    ngh      -        iê        m          nặng    -> nghiệm
    th       u        y         -          hỏi     -> thủy / thuỷ
    qu       -        a         -          sắc     -> quá
    gi       -        ưa        -          ngã     -> giữa

A :class:`Syllable` holds those parts (lowercase, without the tone mark), the
tone as an index into :data:`TONES`, and the case pattern of the written
letters. Because the parts determine where the mark goes, placement is
computed for every syllable rather than listed: :func:`compose` writes a
syllable in either tone style, and :func:`parse` reads a token whatever
letter its mark sits on (so ``Qúa``, ``hòan`` and ``tạị`` parse; writing them
back gives ``Quá``, ``hoàn``, ``tại``).

Public API (stable; the encodings and typos steps build on it):

- :func:`parse` ``(token) -> Syllable | None``: a token that is one valid
  Vietnamese syllable, read leniently as to *where* its mark sits (several
  marks of the same tone count as one; different tones give ``None``).
- :func:`split` ``(token) -> Syllable | None``: like :func:`parse` without the
  phonotactic checks (``nghành`` splits as ``ngh+a+nh`` though ``ngh``
  cannot precede ``a``); for spelling correction.
- :func:`compose` ``(syllable, style="classic") -> str``.
- :func:`is_valid` ``(token, style=None) -> bool``: the token is a correctly
  written syllable (in ``style``, or in either style when ``None``).
- :func:`tone_of`, :func:`strip_tone`, :func:`with_tone`, :func:`place_tone`,
  :func:`style_of`, :func:`tone_position`.
- :func:`all_syllables` ``(style="classic", tones=True)``: every valid
  lowercase syllable, in a fixed order.
- Constants: :data:`TONES`, :data:`TONE_MARKS`, :data:`VOWELS`,
  :data:`ONSETS`, :data:`CODAS`, :data:`NUCLEI`, :data:`STYLES`,
  :data:`TONED_VOWELS`, :data:`VIETNAMESE_LETTERS`, and the tables
  :data:`BASE_AND_TONE` / :data:`TONED` that map letters to and from
  ``(base, tone)``.

Tone styles, named by example (sources use "old"/"new" in both directions):

- ``classic``: ``hòa, thúy, khỏe, Ủy ban, Thanh Hóa``: in an open syllable
  spelt with ``oa``, ``oe`` or ``uy`` (glide + vowel, nothing after), the
  mark sits on the glide. Most Vietnamese newspapers.
- ``modern``: ``hoà, thuý, khoẻ, Uỷ ban, Thanh Hoá``: the mark sits on the
  main vowel.

Everything else is the same in both styles: ``hoàn``, ``khoảng``, ``quý``,
``thuở``, ``khuỷu``, ``người``, ``già``.

>>> s = parse("Thuỷ")
>>> s
Syllable(onset='th', medial='u', nucleus='y', coda='', tone=3, case='title')
>>> compose(s), compose(s, "modern")
('Thủy', 'Thuỷ')
>>> compose(parse("QÚA"))
'QUÁ'
>>> parse("café") is None, parse("José") is None, parse("Pokémon") is None
(True, True, True)
>>> is_valid("hoàn"), is_valid("hòan"), is_valid("hoà"), is_valid("hoà", "classic")
(True, False, True, False)
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "BASE_AND_TONE",
    "CODAS",
    "NUCLEI",
    "ONSETS",
    "STOP_CODAS",
    "STYLES",
    "TONED",
    "TONED_VOWELS",
    "TONES",
    "TONE_MARKS",
    "VIETNAMESE_LETTERS",
    "VOWELS",
    "Syllable",
    "all_syllables",
    "compose",
    "is_valid",
    "parse",
    "place_tone",
    "split",
    "strip_tone",
    "style_of",
    "tone_of",
    "tone_position",
    "with_tone",
]

#: Tone names, indexed by the ``tone`` of a :class:`Syllable` (0 = no mark).
TONES = ("ngang", "huyền", "sắc", "hỏi", "ngã", "nặng")
#: The combining mark of each tone (same index as :data:`TONES`).
TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
#: Tone styles accepted by :func:`compose` and friends.
STYLES = ("classic", "modern")

#: The twelve vowel letters without tone marks.
VOWELS = "aăâeêioôơuưy"
_CONSONANTS = "bcdđghklmnpqrstvx"

#: Onsets as spelt (``qu`` and ``gi`` are written units; ``""`` is no onset).
ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
    "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
#: Codas: final consonants and the semivowels ``i y o u`` (``""`` is none).
CODAS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o", "u")
#: Codas that close a syllable with a stop: only sắc and nặng may go with them.
STOP_CODAS = frozenset({"c", "ch", "p", "t"})
_SEMIVOWELS = frozenset({"i", "y", "o", "u"})

_C = ("c", "m", "n", "ng", "p", "t")
_CH = ("ch", "m", "n", "nh", "p", "t")

# (medial, nucleus) -> (may be open, semivowel codas, consonant codas)
_RHYMES: dict[tuple[str, str], tuple[bool, str, tuple[str, ...]]] = {
    ("", "a"): (True, "iyou", ("c", "ch", "m", "n", "ng", "nh", "p", "t")),
    ("", "ă"): (False, "", _C),
    ("", "â"): (False, "yu", _C),
    ("", "e"): (True, "o", _C),
    ("", "ê"): (True, "u", _CH),
    ("", "i"): (True, "u", _CH),
    ("", "y"): (True, "", ()),
    ("", "o"): (True, "i", _C),
    ("", "ô"): (True, "i", _C),
    ("", "ơ"): (True, "i", ("m", "n", "p", "t")),
    ("", "u"): (True, "i", _C),
    ("", "ư"): (True, "iu", ("c", "m", "ng", "t")),
    ("", "iê"): (False, "u", _C),
    ("", "yê"): (False, "u", _C),
    ("", "ia"): (True, "", ()),
    ("", "uô"): (False, "i", ("c", "m", "n", "ng", "t")),
    ("", "ua"): (True, "", ()),
    ("", "ươ"): (False, "iu", _C),
    ("", "ưa"): (True, "", ()),
    ("", "oo"): (False, "", ("c", "ng")),
    ("o", "a"): (True, "iyo", ("c", "ch", "m", "n", "ng", "nh", "p", "t")),
    ("o", "ă"): (False, "", ("c", "m", "n", "ng", "t")),
    ("o", "e"): (True, "o", ("n", "t")),
    ("u", "â"): (False, "y", ("n", "ng", "t")),
    ("u", "ê"): (True, "", ("ch", "nh")),
    ("u", "y"): (True, "u", ("ch", "nh", "p", "t")),
    ("u", "ơ"): (True, "", ()),
    ("u", "yê"): (False, "", ("n", "t")),
    ("u", "ya"): (True, "", ()),
}
# After ``qu`` (whose u is the glide): nucleus -> (open, semivowels, consonants).
_QU_RHYMES: dict[str, tuple[bool, str, tuple[str, ...]]] = {
    "a": (True, "iyo", ("c", "ch", "n", "ng", "nh", "t")),
    "ă": (False, "", ("c", "m", "n", "ng", "t")),
    "â": (False, "y", ("n", "ng", "t")),
    "e": (True, "o", ("n", "t")),
    "ê": (True, "", ("ch", "n", "nh")),
    "i": (True, "", ("ch", "nh", "t")),
    "y": (True, "", ("ch", "nh", "t")),
    "ơ": (True, "", ()),
    "ô": (False, "", ("c",)),
    "yê": (False, "", ("n", "t")),
}
#: Nuclei as spelt (the y/i and iê/yê/ia/ya spellings are distinct entries).
NUCLEI = tuple(dict.fromkeys(n for _, n in _RHYMES))

_FRONT = frozenset({"e", "ê", "i", "y", "iê", "ia", "yê"})
_Y_ONSETS = frozenset({"", "h", "k", "l", "m", "n", "qu", "s", "t", "th", "v"})
_NO_MEDIAL = frozenset({"c", "k", "g", "gh", "ngh", "gi", "qu"})
_GI_NUCLEI = frozenset(
    {"a", "ă", "â", "e", "ê", "i", "iê", "o", "ô", "ơ", "u", "ư", "uô", "ươ", "ưa"}
)
# Diphthongs whose mark goes on the second letter (the others take it on the first).
_SECOND = frozenset({"iê", "yê", "uô", "ươ", "oo"})


def _tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str]]:
    base_and_tone: dict[str, tuple[str, int]] = {}
    toned: dict[tuple[str, int], str] = {}
    for base in VOWELS + VOWELS.upper():
        for tone, mark in enumerate(TONE_MARKS):
            ch = unicodedata.normalize("NFC", base + mark)
            base_and_tone[ch] = (base, tone)
            toned[base, tone] = ch
    return base_and_tone, toned


#: Every vowel letter (both cases, all tones, NFC) -> (base letter, tone).
BASE_AND_TONE: dict[str, tuple[str, int]]
#: (base vowel letter, tone) -> the NFC letter; inverse of :data:`BASE_AND_TONE`.
TONED: dict[tuple[str, int], str]
BASE_AND_TONE, TONED = _tables()
#: The vowel letters that carry a tone mark (both cases).
TONED_VOWELS = "".join(ch for ch, (_, t) in BASE_AND_TONE.items() if t)
#: Every letter a Vietnamese syllable can be written with (both cases, NFC).
VIETNAMESE_LETTERS = frozenset(BASE_AND_TONE) | frozenset(_CONSONANTS + _CONSONANTS.upper())


@dataclass(frozen=True, slots=True)
class Syllable:
    """A syllable's parts, lowercase and without the tone mark.

    ``coda`` holds a final consonant or a final semivowel (``i y o u``, as in
    ``ai``, ``ay``, ``ao``, ``au``). ``tone`` indexes :data:`TONES`. ``case``
    is ``"lower"``, ``"title"``, ``"upper"`` or, for anything else, one
    ``u``/``l`` per written letter (``HoÁ`` -> ``"ulu"``); case belongs to
    the letter, so moving a mark never moves case.

    >>> Syllable("gi", "", "i", "n", 1).text
    'gìn'
    """

    onset: str
    medial: str
    nucleus: str
    coda: str
    tone: int = 0
    case: str = "lower"

    @property
    def text(self) -> str:
        """The syllable written in the classic style (see :func:`compose`)."""
        return compose(self)

    @property
    def letters(self) -> str:
        """The written letters without tone mark, lowercase (``gi+i+n`` -> ``gin``)."""
        return _spell(self.onset, self.medial, self.nucleus, self.coda)

    @property
    def rhyme(self) -> str:
        """Medial, nucleus and coda as spelt (``hoàn`` -> ``oan``)."""
        return self.medial + self.nucleus + self.coda


def _spell(onset: str, medial: str, nucleus: str, coda: str) -> str:
    if onset == "gi" and nucleus[0] == "i":
        onset = "g"
    return onset + medial + nucleus + coda


def tone_position(syllable: Syllable, style: str = "classic") -> int:
    """Index, in the written letters, of the letter that carries the mark.

    >>> tone_position(parse("hòa")), tone_position(parse("hòa"), "modern")
    (1, 2)
    >>> tone_position(parse("người")), tone_position(parse("gìn"))
    (3, 1)
    """
    s = syllable
    onset = "g" if s.onset == "gi" and s.nucleus[0] == "i" else s.onset
    if s.medial and not s.coda and s.nucleus in ("a", "e", "y"):
        if style == "classic":
            return len(onset)
        if style != "modern":
            raise ValueError(f"style must be one of {', '.join(STYLES)}; got {style!r}")
    offset = 1 if s.nucleus in _SECOND else 0
    return len(onset) + len(s.medial) + offset


def _case_of(letters: str) -> str:
    if letters.islower():
        return "lower"
    if letters.isupper():
        return "upper"
    if letters[0].isupper() and (len(letters) == 1 or letters[1:].islower()):
        return "title"
    return "".join("u" if c.isupper() else "l" for c in letters)


def _apply_case(text: str, case: str) -> str:
    if case == "lower":
        return text
    if case == "upper":
        return text.upper()
    if case == "title":
        return text[:1].upper() + text[1:]
    if len(case) != len(text):
        raise ValueError(f"case mask {case!r} does not fit {text!r}")
    return "".join(c.upper() if m == "u" else c for c, m in zip(text, case, strict=True))


def compose(syllable: Syllable, style: str = "classic") -> str:
    """Write ``syllable`` with its mark placed by ``style`` and its case applied.

    >>> compose(Syllable("h", "o", "a", "", 1, "title"))
    'Hòa'
    >>> compose(Syllable("h", "o", "a", "", 1, "title"), "modern")
    'Hoà'
    >>> compose(Syllable("ngh", "", "iê", "m", 5))
    'nghiệm'
    """
    letters = syllable.letters
    if syllable.tone:
        i = tone_position(syllable, style)
        letters = letters[:i] + TONED[letters[i], syllable.tone] + letters[i + 1 :]
    return _apply_case(letters, syllable.case)


def _rhyme_ok(onset: str, medial: str, nucleus: str, coda: str) -> bool:
    if onset == "qu":
        if medial:
            return False
        rule = _QU_RHYMES.get(nucleus)
    else:
        rule = _RHYMES.get((medial, nucleus))
    if rule is None:
        return False
    may_open, semis, consonants = rule
    if not coda:
        return may_open
    return coda in semis if coda in _SEMIVOWELS else coda in consonants


def _onset_ok(onset: str, medial: str, nucleus: str) -> bool:
    if medial and onset in _NO_MEDIAL:
        return False
    if onset == "gi":
        return nucleus in _GI_NUCLEI
    if onset == "qu":
        return True
    front = not medial and nucleus in _FRONT
    if onset in ("c", "g", "ng"):
        return not front
    if onset in ("k", "gh", "ngh"):
        return front
    if nucleus == "y" and not medial:
        return onset in _Y_ONSETS
    if nucleus == "iê":
        return onset != ""
    if nucleus == "yê":
        return onset == "" or medial == "u"
    return True


def _valid(s: Syllable) -> bool:
    if s.coda in STOP_CODAS and s.tone not in (2, 5):
        return False
    return _onset_ok(s.onset, s.medial, s.nucleus) and _rhyme_ok(
        s.onset, s.medial, s.nucleus, s.coda
    )


def _vowel_analyses() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Every spelt vowel run -> its (medial, nucleus, semivowel coda) readings."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for (medial, nucleus), (_, semis, _) in _RHYMES.items():
        for semi in ("", *semis):
            out.setdefault(medial + nucleus + semi, []).append((medial, nucleus, semi))
    for nucleus, (_, semis, _) in _QU_RHYMES.items():
        for semi in ("", *semis):
            reading = ("", nucleus, semi)
            if reading not in out.setdefault(nucleus + semi, []):
                out[nucleus + semi].append(reading)
    return {k: tuple(v) for k, v in out.items()}


_ANALYSES = _vowel_analyses()
_ONSETS_LONGEST = sorted((o for o in ONSETS if o), key=len, reverse=True)
_CONSONANT_CODAS = frozenset(c for c in CODAS if c and c not in _SEMIVOWELS)


def _read(token: str) -> tuple[str, int, str] | None:
    """Lowercase letters without marks, the tone, and the case pattern."""
    if not token:
        return None
    base: list[str] = []
    tone = 0
    for ch in token:
        bt = BASE_AND_TONE.get(ch)
        if bt is None:
            if ch not in VIETNAMESE_LETTERS:
                return None
            base.append(ch)
            continue
        b, t = bt
        if t:
            if tone and t != tone:
                return None
            tone = t
        base.append(b)
    written = "".join(base)
    return written.lower(), tone, _case_of(written)


def _analyse(letters: str, tone: int, case: str, strict: bool) -> Syllable | None:
    onset = ""
    for o in _ONSETS_LONGEST:
        if letters.startswith(o):
            onset = o
            break
    rest = letters[len(onset) :]
    if onset == "gi":
        runs = ["i" + rest, rest] if not rest or rest[0] not in VOWELS or rest[0] == "ê" else [rest]
    elif onset == "qu" and (not rest or rest[0] not in VOWELS):
        return None
    else:
        runs = [rest]
    fallback: Syllable | None = None
    for run in runs:
        n = 0
        while n < len(run) and run[n] in VOWELS:
            n += 1
        vowels, consonant = run[:n], run[n:]
        if consonant and consonant not in _CONSONANT_CODAS:
            continue
        for medial, nucleus, semi in _ANALYSES.get(vowels, ()):
            if semi and consonant:
                continue
            s = Syllable(onset, medial, nucleus, semi or consonant, tone, case)
            if _valid(s):
                return s
            if fallback is None:
                fallback = s
    return None if strict else fallback


@functools.lru_cache(maxsize=1 << 16)
def parse(token: str) -> Syllable | None:
    """The syllable written by ``token``, or ``None`` if it is not one.

    Reading is lenient about *where* the mark sits (that is what the tones
    step fixes) but strict about everything else: the letters must spell a
    valid syllable (:func:`split` relaxes that), and marks of two different
    tones are refused. Input must be NFC (decomposed marks are refused).

    >>> parse("gìa")
    Syllable(onset='gi', medial='', nucleus='a', coda='', tone=1, case='lower')
    >>> parse("HoÁ").case, compose(parse("HoÁ"))
    ('ulu', 'HóA')
    >>> [parse(w) is None for w in ("nghành", "gíà", "ok", "hoàn1", "")]
    [True, True, True, True, True]
    """
    read = _read(token)
    return None if read is None else _analyse(*read, strict=True)


@functools.lru_cache(maxsize=1 << 14)
def split(token: str) -> Syllable | None:
    """Split ``token`` into syllable parts without the phonotactic checks.

    For spelling correction: ``nghành`` is not a valid syllable, but its parts
    show what is wrong with it (``ngh`` before ``a``). Tokens whose letters
    cannot be cut into an onset, a known vowel run and a coda still give
    ``None``.

    >>> split("nghành")
    Syllable(onset='ngh', medial='', nucleus='a', coda='nh', tone=1, case='lower')
    >>> split("xyz") is None
    True
    """
    read = _read(token)
    return None if read is None else _analyse(*read, strict=False)


def is_valid(token: str, style: str | None = None) -> bool:
    """True when ``token`` is a correctly written syllable (mark in its place).

    With ``style=None`` either placement of ``oa/oe/uy`` is accepted.

    >>> is_valid("Quý"), is_valid("Qúy"), is_valid("thuỷ"), is_valid("thuỷ", "classic")
    (True, False, True, False)
    """
    s = parse(token)
    if s is None:
        return False
    if style is None:
        return token == compose(s, "classic") or token == compose(s, "modern")
    return token == compose(s, style)


def style_of(token: str) -> str | None:
    """``"classic"`` or ``"modern"`` when the styles differ on ``token``, else ``None``.

    >>> style_of("Hóa"), style_of("Hoá"), style_of("hoàn"), style_of("hoa")
    ('classic', 'modern', None, None)
    """
    s = parse(token)
    if s is None:
        return None
    classic, modern = compose(s, "classic"), compose(s, "modern")
    if classic == modern:
        return None
    if token == classic:
        return "classic"
    return "modern" if token == modern else None


def tone_of(token: str) -> int:
    """The tone (index into :data:`TONES`) of the first marked letter, 0 if none.

    Works on any string, syllable or not.

    >>> TONES[tone_of("Việt")], tone_of("Nam")
    ('nặng', 0)
    """
    for ch in token:
        bt = BASE_AND_TONE.get(ch)
        if bt is not None and bt[1]:
            return bt[1]
    return 0


_STRIP = str.maketrans({ch: b for ch, (b, t) in BASE_AND_TONE.items() if t})


def strip_tone(text: str) -> str:
    """Remove tone marks, keeping vowel diacritics and case (any string, NFC).

    >>> strip_tone("Người Việt, café")
    'Ngươi Viêt, cafe'
    """
    return text.translate(_STRIP)


def with_tone(token: str, tone: int, style: str = "keep") -> str | None:
    """``token`` with its tone replaced, or ``None`` if it is not a syllable.

    ``style="keep"`` keeps the token's own style for ``oa/oe/uy`` (classic if
    it had none); the result must be a valid syllable (``tóan`` is fine,
    ``tàc`` is not: stop codas take only sắc or nặng).

    >>> with_tone("hoà", 2), with_tone("hòa", 2), with_tone("hoa", 2, "modern")
    ('hoá', 'hóa', 'hoá')
    >>> with_tone("các", 1) is None
    True
    """
    s = parse(token)
    if s is None:
        return None
    new = Syllable(s.onset, s.medial, s.nucleus, s.coda, tone, s.case)
    if not _valid(new):
        return None
    if style == "keep":
        style = style_of(token) or "classic"
    return compose(new, style)


def place_tone(token: str, style: str = "classic") -> str:
    """``token`` with its mark moved where ``style`` puts it; other tokens unchanged.

    ``style="keep"`` fixes misplaced marks only, leaving a correct ``hoà`` or
    ``hòa`` as written.

    >>> [place_tone(w) for w in ("Qúa", "hòan", "tạị", "Thuỷ", "café")]
    ['Quá', 'hoàn', 'tại', 'Thủy', 'café']
    >>> place_tone("hòa", "modern"), place_tone("hoà", "keep"), place_tone("hòan", "keep")
    ('hoà', 'hoà', 'hoàn')
    """
    s = parse(token)
    if s is None:
        return token
    if style == "keep":
        classic = compose(s, "classic")
        if token == classic:
            return token
        modern = compose(s, "modern")
        return token if token == modern else classic
    return compose(s, style)


def all_syllables(style: str = "classic", tones: bool = True) -> Iterator[Syllable]:
    """Every valid syllable, lowercase, in a fixed order (onset, rhyme, tone).

    With ``tones=False`` only the unmarked (ngang) form of each toneless
    spelling is given, and stop-coda rhymes (which cannot be ngang) with sắc.
    ``style`` is accepted for symmetry with :func:`compose` and checked.

    >>> syllables = list(all_syllables())
    >>> len(syllables) == len({compose(s) for s in syllables})
    True
    >>> "nghiệm" in {compose(s) for s in syllables}
    True
    """
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}; got {style!r}")
    rhymes: list[tuple[str, str, str]] = []
    for (medial, nucleus), (may_open, semis, consonants) in _RHYMES.items():
        codas = ([""] if may_open else []) + list(semis) + list(consonants)
        rhymes += [(medial, nucleus, c) for c in codas]
    for nucleus, (may_open, semis, consonants) in _QU_RHYMES.items():
        codas = ([""] if may_open else []) + list(semis) + list(consonants)
        rhymes += [("", nucleus, c) for c in codas if ("", nucleus, c) not in rhymes]
    seen: set[str] = set()
    for onset in ONSETS:
        for medial, nucleus, coda in rhymes:
            for tone in range(6) if tones else (2 if coda in STOP_CODAS else 0,):
                s = Syllable(onset, medial, nucleus, coda, tone)
                if not _valid(s):
                    continue
                text = compose(s, style)
                # ``gi`` + ê/iê and qu + rhyme may spell the same letters twice.
                if text in seen or parse(text) != s:
                    continue
                seen.add(text)
                yield s
