"""Is this Vietnamese? A compact syllable check and a frequency prior.

Repairing mojibake means choosing between readings of the same characters:
``ViÖt`` (what a TCVN3 file looks like through Windows-1252) or ``Việt``.
The reading that is Vietnamese wins, so the encodings step and
:func:`vntext.decode` need two cheap questions answered for a word:

- :func:`is_syllable`: is it spelled like a Vietnamese syllable at all
  (an onset, a rhyme from the closed list of Vietnamese rhymes, and a tone
  the rhyme allows: stop endings ``-c -ch -p -t`` take only the acute or the
  dot below)? ``nh``, ``vie``, ``café`` and ``ViÖt`` are not.
- :func:`syllable_count`: how often the lower-cased syllable occurs in 16.5
  million tokens of Vietnamese (g2p-hamster's syllable frequencies, Apache-2.0,
  see ``vntext/data/README.md``). Some wrong readings are valid spellings
  too: TCVN3's ``có`` read as Windows-1252 is ``cã``, which is spelled like a
  syllable but occurs almost never, while ``có`` occurs 198,110 times.

>>> is_syllable("Việt"), is_syllable("ViÖt"), is_syllable("nh"), is_syllable("khuỷu")
(True, False, False, True)
>>> is_syllable("tiếc"), is_syllable("tiềc")
(True, False)
>>> syllable_count("có") > 1000 > syllable_count("cã")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

__all__ = ["VIETNAMESE_LETTERS", "is_syllable", "strip_tone", "syllable_count"]

#: Every precomposed lower-case Vietnamese letter with a diacritic.
_MARKED = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
)
#: Every letter of the Vietnamese alphabet with a diacritic, both cases.
VIETNAMESE_LETTERS = frozenset(_MARKED + _MARKED.upper())

# tone-marked letter -> (toneless letter, tone digit); 1 grave, 2 hook, 3 tilde,
# 4 acute, 5 dot below (0 is level).
_TONE_OF: dict[str, tuple[str, int]] = {}
for _base, _row in {
    "a": "àảãáạ", "ă": "ằẳẵắặ", "â": "ầẩẫấậ", "e": "èẻẽéẹ", "ê": "ềểễếệ",
    "i": "ìỉĩíị", "o": "òỏõóọ", "ô": "ồổỗốộ", "ơ": "ờởỡớợ", "u": "ùủũúụ",
    "ư": "ừửữứự", "y": "ỳỷỹýỵ",
}.items():
    for _tone, _ch in enumerate(_row, start=1):
        _TONE_OF[_ch] = (_base, _tone)

_RHYMES = """
a ai ao au ay ac ach am an ang anh ap at
ăc ăk ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e eo ec em en eng ep et
ê êu êch êm ên ênh êp êt
i ia iu ich im in inh ip it
iêc iêm iên iêng iêp iêt iêu
yêm yên yêng yêt yêu y ynh yt ych
o oa oao oai oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt
oe oeo oec oem oen oeng oet oi oc om on ong op ot ooc oong
ô ôi ôc ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uê uêch uênh uêt uy uya uych uyn uynh uyp uyt uyu uyên uyêt
ui uc um un ung up ut uơ uôc uôi uôm uôn uông uôp uôt
ư ưa ưi ưu ưc ưng ưt ưm ưn ươc ươi ươm ươn ương ươp ươt ươu
""".split()  # noqa: SIM905 - a table of rhymes reads better as text

_ONSETS = "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()  # noqa: SIM905

_SYLLABLE = re.compile(
    "(?:"
    + "|".join(sorted(_ONSETS, key=len, reverse=True))
    + ")?("
    + "|".join(sorted(_RHYMES, key=len, reverse=True))
    + ")"
)
_STOP = re.compile("(?:c|ch|k|p|t)$")


def strip_tone(word: str) -> tuple[str, int]:
    """``word`` (lower case) without its tone mark, and the tone (0-5; -1 if two).

    >>> strip_tone("việt")
    ('viêt', 5)
    """
    tone = 0
    out = []
    for ch in word:
        hit = _TONE_OF.get(ch)
        if hit is None:
            out.append(ch)
            continue
        if tone:
            return word, -1
        out.append(hit[0])
        tone = hit[1]
    return "".join(out), tone


@cache
def _is_syllable_lower(word: str) -> bool:
    bare, tone = strip_tone(word)
    if tone < 0:
        return False
    m = _SYLLABLE.fullmatch(bare)
    if m is None:
        return False
    return not (_STOP.search(m.group(1)) and tone not in (0, 4, 5))


def is_syllable(word: str) -> bool:
    """True when ``word`` is spelled like one Vietnamese syllable (any case, NFC)."""
    if not word or len(word) > 7:
        return False
    return _is_syllable_lower(word.lower())


@cache
def _counts() -> dict[str, int]:
    text = (resources.files("vntext") / "data" / "syllable_freq.tsv").read_text(encoding="utf-8")
    out: dict[str, int] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            out[word] = int(count)
    return out


def syllable_count(word: str) -> int:
    """How often ``word`` (lower-cased, NFC) occurs in the frequency list; 0 if absent."""
    return _counts().get(unicodedata.normalize("NFC", word.lower()), 0)
