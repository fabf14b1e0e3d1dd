"""Is this Vietnamese? The two questions mojibake repair asks of a word.

Repairing mojibake means choosing between readings of the same characters:
``ViÖt`` (what a TCVN3 file looks like through Windows-1252) or ``Việt``.
The reading that is Vietnamese wins, so the encodings step and
:func:`vntext.decode` ask of a word:

- :func:`is_syllable`: is it one correctly written Vietnamese syllable
  (:func:`vntext.syllable.is_valid`: onset, rhyme and a tone the rhyme
  allows, mark in its place) in a plausible case (``việt``, ``Việt``,
  ``VIỆT``, not ``viỆt``)? ``nh``, ``vie``, ``café`` and ``ViÖt`` are not.
- :func:`syllable_count`: how often the syllable occurs in 16.5 million
  tokens of Vietnamese (the counts of :func:`vntext.lexicon.builtin_lexicon`).
  Some wrong readings are valid spellings too: TCVN3's ``có`` read as
  Windows-1252 is ``cã``, which is spelled like a syllable but occurs almost
  never, while ``có`` occurs 198,110 times.

>>> is_syllable("Việt"), is_syllable("ViÖt"), is_syllable("nh"), is_syllable("khuỷu")
(True, False, False, True)
>>> is_syllable("tiếc"), is_syllable("tiềc"), is_syllable("viỆt")
(True, False, False)
>>> syllable_count("có") > 1000 > syllable_count("cã")
True
"""

from __future__ import annotations

from functools import lru_cache

from vntext.lexicon import builtin_lexicon, syllable_key
from vntext.syllable import VIETNAMESE_LETTERS as _ALPHABET
from vntext.syllable import is_valid

__all__ = ["VIETNAMESE_LETTERS", "is_syllable", "syllable_count"]

#: Every letter of the Vietnamese alphabet with a diacritic, both cases.
VIETNAMESE_LETTERS = frozenset(c for c in _ALPHABET if not c.isascii())


def _case_ok(word: str) -> bool:
    return word.islower() or word.isupper() or word.istitle()


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """True when ``word`` (NFC) is one correctly written syllable in a plausible case."""
    return _case_ok(word) and is_valid(word)


@lru_cache(maxsize=1 << 16)
def syllable_count(word: str) -> int:
    """How often ``word`` occurs in the built-in syllable counts (any case); 0 if absent."""
    return builtin_lexicon().count(syllable_key(word))
