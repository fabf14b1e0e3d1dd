"""Typo correction: fix the spelling mistakes that fill scraped news, and only when sure.

Six rules, each an id in the trace with a confidence:

- ``non-word``: a token that is not a Vietnamese syllable (``nghành``,
  ``tiêp``, ``phuơng``) or, at the ``thorough`` level, a valid but
  unattested one (``bảm``), replaced by a close candidate that is far more
  frequent and fits its neighbours (``tiêp tục`` -> ``tiếp tục``);
- ``rare-word`` (``thorough``): a syllable seen fewer than 200 times whose
  one frequent mark or confusion variant makes a compound with a neighbour
  (``lắp rắp`` -> ``lắp ráp``, ``tầu ngầm`` -> ``tàu ngầm``);
- ``compound``: a real word inside a known compound where a confusion-set
  variant makes the compound (``sẳn sàng`` -> ``sẵn sàng``, ``lãi xuất`` ->
  ``lãi suất`` at ``aggressive``);
- ``glued-words`` (``thorough``): two words typed without the space between
  them, split where the counts say (``córất`` -> ``có rất``); loan words
  written as one (``ôtô``) stay;
- ``stray-letter``: a lower-case letter typed twice in front of an acronym
  (``aANTT`` -> ``ANTT``);
- ``duplicate-word``: a word typed twice that Vietnamese never doubles
  (``của của`` -> ``của``), keeping reduplications (``từ từ``, ``nhà nhà``).

At the default ``safe`` level ``non-word``, ``rare-word`` and ``compound``
judge only the rare words a scan led by their rarest letter finds (``sẳn``,
``hửu``, ``rỏ``); ``thorough`` looks at every token.

>>> fix_typos("Ngành nghành, tiêp tục trả lãi xuất của của aANTT.")
'Ngành ngành, tiếp tục trả lãi xuất của ANTT.'
>>> fix_typos("trả lãi xuất", threshold="aggressive")
'trả lãi suất'

Names (capitalised words), acronyms, numbers, foreign or unaccented words,
URLs and e-mail addresses are left alone: a word is only ever replaced by
another lower-case Vietnamese syllable, and only when the evidence clears the
``typo_threshold`` level.

Speed: the default level finds work with compiled regular expressions led by
a literal (words with an impossible structure, doubled words, a letter glued
to capitals) and one led by a class of rare letters (the rare words the
token pass would judge, keyed by their rarest letter: ``sẳn``, ``hửu``), so
clean text costs a few scans in C. The ``thorough`` level instead looks up
every token in the syllable counts to find rare syllables and wrong bigrams
wherever they are, which is ten times slower.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import accumulate, compress, pairwise

import regex

from vntext.config import Config
from vntext.lexicon import (
    LETTERS,
    TONE_JOIN,
    TONE_SPLIT,
    Lexicon,
    confusions,
    load_lexicon,
    read_table,
    syllable_key,
)
from vntext.pipeline import Step
from vntext.syllable import is_valid
from vntext.trace import Change, Edit, apply_rounds

__all__ = ["LEVELS", "TyposStep", "confusion_variants", "fix_typos"]

#: ``typo_threshold`` levels: (minimum confidence, scan every token?).
LEVELS: dict[str, tuple[float, bool]] = {
    "safe": (0.9, False),
    "thorough": (0.9, True),
    "aggressive": (0.75, True),
}

_L = LETTERS
_VOWELS = "".join(c for c in _L if c in TONE_SPLIT)
_CONSONANTS = "bcdđfghjklmnpqrstvwxz"
_UNTONED = "aăâeêioôơuưy"
_BACK = "".join(c for c in _VOWELS if TONE_SPLIT[c][0] in "aăâoôơuư")
_FRONT = "".join(c for c in _VOWELS if TONE_SPLIT[c][0] in "ieêy")
_FRONT_E = "".join(c for c in _VOWELS if TONE_SPLIT[c][0] in "ieê")
_BAD_STOP_TONE = "".join(c for c in _VOWELS if TONE_SPLIT[c][1] in ("\u0300", "\u0309", "\u0303"))
_PLAIN_E = "".join(c for c in _VOWELS if TONE_SPLIT[c][0] == "e")
_PLAIN_O = "".join(c for c in _VOWELS if TONE_SPLIT[c][0] == "o")
_HORN_O = "".join(c for c in _VOWELS if TONE_SPLIT[c][0] == "ơ")
_MARKED = "ăâêôơưđ" + "".join(c for c in _VOWELS if TONE_SPLIT[c][1])

# Spellings no Vietnamese syllable has, each a rule of Vietnamese
# orthography. Each is its own regex that starts with a literal, so the C
# scanner skips clean text quickly: a scan led by a character class costs
# ~9 ns per character (the class is tested at every position) where a scan
# led by a literal costs ~1 ns, and one alternation of all of them is slower
# still (the scanner then tries every position). The word around a match is
# checked in Python (lower case, carries a Vietnamese mark, not part of a
# URL). What a literal-led scan costs is the number of places its first
# character matches.
_STRUCTURES = tuple(
    re.compile(p)
    for p in (
        # gh and ngh only before i, e, ê (nghành); ng never before i, e, ê
        f"g(?:h[{_BACK}]|(?<=ng)[{_FRONT_E}])",
        f"k[{_BACK}]",  # k only before i, e, ê, y
        "q(?!u)",  # q only in qu
        f"i[{_PLAIN_E}][cmnptu]",  # iê before a final (tiép)
        f"u[{_HORN_O}][cmnpt]",  # ươ before a final (phuơng)
        f"ư[{_PLAIN_O}]",  # ưo is no rhyme (ươ)
    )
)
# A stop final (p, t, c, ch) takes sắc or nặng: not huyền, hỏi, ngã, nor no
# tone (tiêp). Its natural scan starts on the vowel, a class that matches 10%
# of the text; in a correct syllable the letter right before the final always
# carries sắc or nặng (các, tiếp, hoạch, quýt), so the scans start on the
# final letter and keep only finals after a vowel without sắc or nặng, a
# handful per article, where _STOP_TONE then checks the whole rhyme.
_STOP_TONE = re.compile(f"[{_BAD_STOP_TONE}ăâêôơư][{_UNTONED}]*(?:ch|c|p|t)(?![{_L}])")
_NOT_SAC = _BAD_STOP_TONE + "ăâêôơư" + _UNTONED
_STOP_FINALS = tuple(
    re.compile(p)
    for p in (
        f"t(?![{_L}])(?<=[{_NOT_SAC}]t)",
        # one scan for c: never before i, e, ê, y (kiểm, not ciểm) either
        f"c(?:[{_FRONT}]|(?![{_L}])(?<=[{_NOT_SAC}]c)|h(?![{_L}])(?<=[{_NOT_SAC}]ch))",
        f"p(?![{_L}])(?<=[{_NOT_SAC}]p)",
    )
)
_LETTER_RUN_LEFT = re.compile(f"[{_L}]*$")
_LETTER_RUN_RIGHT = re.compile(f"[{_L}]*")
# Capitals are rarer than lower case, so the scan starts on them. It is led
# by a class, so it runs only on texts where _may_have_stray_letter finds a
# lower-case letter before two capitals.
_STRAY = re.compile("[A-ZĐ](?=[A-ZĐ])(?<=[a-zđ].)")
_MAY_STRAY = regex.compile("[A-Z](?<=[a-z].)(?=[A-Z])")
_CAPS = re.compile("[A-ZĐ0-9.]*")
# A word typed twice. Below the aggressive level only grammatical words are
# removed, and a scan for just those is far cheaper than for any doubled word
# (see _function_duplicates); the generic forms (any word, a doubled compound)
# try a backreference at every space.
_DUPLICATE = re.compile(" (\\w+) \\1(?!\\w)")
_DUPLICATE_AT_LINE_START = re.compile("(?m)^(\\w+) \\1(?!\\w)")
_DUPLICATE_PAIR = re.compile(" (\\w+ \\w+) \\1(?!\\w)")


@cache
def _function_duplicates() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Scans for a doubled grammatical word: after a space, after a newline, at the start.

    The doubled forms are spelled out (``của của``) and grouped by first
    letter, so that at each space the scanner compares a few literals and
    needs neither a capture group nor a backreference: twice as fast.

    >>> inner, _, _ = _function_duplicates()
    >>> [m.group() for m in inner.finditer("trụ sở của của công ty, thiết bị bị hỏng")]
    [' của của', ' bị bị']
    """
    by_letter: dict[str, list[str]] = {}
    for word in sorted(_function_words(), key=len, reverse=True):
        by_letter.setdefault(word[0], []).append(re.escape(word[1:] + " " + word))
    body = "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in sorted(by_letter.items()))
    return (
        re.compile(f" (?:{body})(?!\\w)"),
        re.compile(f"\n(?:{body})(?!\\w)"),
        re.compile(f"(?:{body})(?!\\w)"),
    )


_TOKEN_SPLIT = re.compile(f"([{_L}]+)")
#: Glued words: a token this long at least, seen at most this often as one
#: spelling, whose two parts are each seen this often.
_MIN_GLUED = 4
_MAX_GLUED_COUNT = 2
_MIN_GLUED_PART = 1000
#: ``_glued`` cache: a word not looked at yet.
_UNSPLIT = (-1, 0.0)
#: Vowels, plain or marked: a second word starting with one may be a misplaced
#: mark (``khóai``), not a glued word.
_UNTONED_AND_MARKED = frozenset(_VOWELS)
# Invisible characters that join the letters around them (soft hyphen, zero
# width space and joiners): "r\u00adượu" is one word, not "r" and "ượu".
_JOINERS = "\u00ad\u200b\u200c\u200d\u2060"
_NOT_AFTER = "@./&-_" + _JOINERS
_NOT_BEFORE = "@&-_/" + _JOINERS
_ONSET = re.compile("^(ngh|ng|gh|gi|ch|tr|kh|nh|ph|th|qu|[bcdđghklmnpqrstvx])?")
_CODA = re.compile("(ch|nh|ng|[cmnpt])$")


@cache
def _function_words() -> frozenset[str]:
    return frozenset(row[0] for row in read_table("function_words.tsv"))


# -- confusion sets ---------------------------------------------------------


def _split_tone(syllable: str) -> tuple[str, int, str]:
    """(syllable without tone, index of the toned vowel or -1, tone mark)."""
    for i, c in enumerate(syllable):
        base, mark = TONE_SPLIT.get(c, ("", ""))
        if mark:
            return syllable[:i] + base + syllable[i + 1 :], i, mark
    return syllable, -1, ""


#: A confusion set's tone names as the combining marks of :data:`TONE_SPLIT`.
_CONFUSED_TONES = {"hỏi": "\u0309", "ngã": "\u0303"}


@cache
def _confusion_maps() -> tuple[
    dict[str, tuple[str, ...]],
    dict[str, tuple[str, ...]],
    dict[str, tuple[str, ...]],
    dict[str, tuple[str, ...]],
    tuple[tuple[str, str], ...],
]:
    """``confusions.tsv`` both ways, by part: onset, coda, tone mark and vowel
    letter each map to what they are confused with; glides are (from, to) pairs.

    A lookup per part costs less than walking every confusion for every
    syllable (the ``context`` words look at all 18,000 syllables once).
    """
    onset: dict[str, list[str]] = {}
    coda: dict[str, list[str]] = {}
    tone: dict[str, list[str]] = {}
    vowel: dict[str, list[str]] = {}
    glide: list[tuple[str, str]] = []
    for conf in confusions():
        for a, b in ((conf.a, conf.b), (conf.b, conf.a)):
            if conf.part == "onset":
                onset.setdefault(a, []).append(b)
            elif conf.part == "coda":
                coda.setdefault(a, []).append(b)
            elif conf.part == "tone" and a in _CONFUSED_TONES:
                tone.setdefault(_CONFUSED_TONES[a], []).append(_CONFUSED_TONES[b])
            elif conf.part == "vowel":
                vowel.setdefault(a, []).append(b)
            elif conf.part == "glide":
                glide.append((a, b))

    def frozen(d: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in d.items()}

    return frozen(onset), frozen(coda), frozen(tone), frozen(vowel), tuple(glide)


def confusion_variants(syllable: str) -> set[str]:
    """Spellings one confusion away from ``syllable`` (valid or not).

    >>> sorted(v for v in confusion_variants("xuất") if len(v) == 4)
    ['suất', 'xuát', 'xuấc', 'xuắt', 'xưất']
    >>> "chẩn" in confusion_variants("chuẩn") and "lãi" in confusion_variants("lải")
    True
    """
    plain, at, mark = _split_tone(syllable)
    m = _ONSET.match(plain)
    onset = m.group(1) or "" if m else ""
    rest = plain[len(onset) :]
    c = _CODA.search(rest)
    coda = c.group(1) if c else ""
    nucleus = rest[: len(rest) - len(coda)]
    out: set[str] = set()

    def add(on: str, nuc: str, co: str, tone: str = mark, shift: int = 0) -> None:
        word = on + nuc + co
        if tone:
            # Put the tone back on the vowel it sat on, counted in the nucleus
            # (it stays over the same vowel when the onset or coda changes).
            pos = at - len(onset) + shift if at >= 0 else -1
            i = len(on) + (pos if 0 <= pos < len(nuc) else max(len(nuc) - 1, 0))
            base = word[i] if i < len(word) else ""
            if (base, tone) not in TONE_JOIN:
                return
            word = word[:i] + TONE_JOIN[(base, tone)] + word[i + 1 :]
        out.add(word)

    onsets, codas, tones, vowels, glides = _confusion_maps()
    for b in onsets.get(onset, ()):
        add(b, nucleus, coda)
    for b in codas.get(coda, ()):
        add(onset, nucleus, b)
    for t in tones.get(mark, ()):
        add(onset, nucleus, coda, t)
    for i, ch in enumerate(nucleus):
        for b in vowels.get(ch, ()):
            add(onset, nucleus[:i] + b + nucleus[i + 1 :], coda)
    for a, b in glides:
        if nucleus.startswith(a):
            add(onset, b + nucleus[len(a) :], coda, shift=len(b) - len(a))
    out.discard(syllable)
    return out


# -- candidates for non-words -----------------------------------------------

_MARKS = str.maketrans({c: TONE_SPLIT[c][0] for c in TONE_SPLIT} | {"đ": "d"})
_BASE_LETTER = str.maketrans({"ă": "a", "â": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"})


def _spelling_variants(word: str) -> set[str]:
    """``word`` with the onset spelled by the other half of a spelling rule (ng/ngh, g/gh, c/k).

    >>> sorted(_spelling_variants("ngĩ")), sorted(_spelling_variants("kảm"))
    (['nghĩ'], ['cảm'])
    """
    for a, b in (("ngh", "ng"), ("ng", "ngh"), ("gh", "g"), ("g", "gh"), ("k", "c"), ("c", "k")):
        if word.startswith(a):
            return {b + word[len(a) :]}
    return set()


def _letters(word: str) -> str:
    """``word`` without tone and vowel marks: ``tập`` -> ``tap``."""
    return word.translate(_MARKS).translate(_BASE_LETTER)


_EDIT_LETTERS = _L


def _tone_moves(word: str) -> set[str]:
    """``word`` with its tone on any vowel, or changed, or removed.

    >>> sorted(_tone_moves("hòa"))[:3]
    ['hoa', 'hoà', 'hoá']
    """
    plain = _split_tone(word)[0]
    return {
        plain[:i] + TONE_JOIN[(ch, t)] + plain[i + 1 :]
        for i, ch in enumerate(plain)
        if ch in _UNTONED
        for t in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    }


def _edits1(word: str) -> set[str]:
    """Every string one letter edit (or one confusion) away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _EDIT_LETTERS}
    out |= {a + c + b for a, b in splits for c in _EDIT_LETTERS}
    out |= _tone_moves(word)  # moving the tone to another vowel is one edit too
    out |= confusion_variants(word)
    out.discard(word)
    return out


def _mark_families() -> dict[str, str]:
    """Letter -> every letter with the same base (``a`` -> ``aàá…ăằ…âầ…``, ``d`` -> ``dđ``)."""
    by_base: dict[str, str] = {}
    for c in _L:
        by_base[_letters(c)] = by_base.get(_letters(c), "") + c
    return {c: by_base[_letters(c)] for c in _L}


_FAMILY = _mark_families()


def _mark_variants(word: str) -> set[str]:
    """``word`` with one letter's marks changed, or its tone moved or changed.

    >>> sorted(v for v in _mark_variants("rỏ") if v.startswith("r"))[:4]
    ['ro', 'rò', 'ró', 'rô']
    >>> "rõ" in _mark_variants("rỏ"), "đỏ" in _mark_variants("dỏ"), "rất" in _mark_variants("rỏ")
    (True, True, False)
    """
    out = {
        word[:i] + c + word[i + 1 :]
        for i, ch in enumerate(word)
        for c in _FAMILY.get(ch, "")
    }
    out |= _tone_moves(word)
    out.discard(word)
    return out


# -- the step ---------------------------------------------------------------


class _Corrector:
    """The decisions, with caches that live as long as the step."""

    def __init__(self, lexicon: Lexicon, min_confidence: float) -> None:
        self.lex = lexicon
        self.min_confidence = min_confidence
        self._nonword: dict[tuple[str, str, str, bool], tuple[str, float] | None] = {}
        self._rare: dict[str, tuple[str, ...]] = {}
        self._variants: dict[str, frozenset[str]] = {}
        self._cands: dict[tuple[str, bool], tuple[tuple[str, int], ...]] = {}
        self._pairs: dict[tuple[str, str], bool] = {}
        # (suspect, word before, word after) the safe scan found nothing to do with
        self.quiet: set[tuple[str, str, str]] = set()
        self.keys: dict[str, str] = {}  # token -> syllable_key(token): most tokens repeat

    # non-words ---------------------------------------------------------------

    def nonword(self, key: str, prev: str, nxt: str, invalid: bool) -> tuple[str, float] | None:
        """Best replacement for ``key`` between ``prev`` and ``nxt``, with confidence."""
        cache_key = (key, prev, nxt, invalid)
        if cache_key in self._nonword:
            return self._nonword[cache_key]
        result = self._decide_nonword(key, prev, nxt, invalid)
        if len(self._nonword) > 100_000:
            self._nonword.clear()
        self._nonword[cache_key] = result
        return result

    def _decide_nonword(
        self, key: str, prev: str, nxt: str, invalid: bool
    ) -> tuple[str, float] | None:
        lex = self.lex
        own = lex.count(key)
        if (prev and lex.pair_known(prev, key)) or (nxt and lex.pair_known(key, nxt)):
            return None  # the token makes a known pair: it is a word here
        scored = []
        for cand, n in self._candidates(key, invalid):
            if cand in (prev, nxt):
                continue
            fits = (bool(prev) and lex.pair_known(prev, cand)) or (
                bool(nxt) and lex.pair_known(cand, nxt)
            )
            scored.append((fits, n, cand))
        if not scored:
            return None
        # A fix that only changes marks (tâp -> tập) is the likeliest: when one
        # fits, a letter-changing fix is never taken (cưc điểm is cực điểm, not
        # các điểm, however frequent các is). A fix that changes letters must
        # make a dictionary compound with a neighbour (bảm đảm -> bảo đảm), not
        # just a seen pair.
        base = _letters(key)
        same = sorted((s for s in scored if _letters(s[2]) == base), key=lambda s: -s[1])
        fitting = sorted((s for s in scored if s[0] and _letters(s[2]) == base), reverse=True)
        if not fitting:
            # The spelling-rule fix of a structural error (ngĩ -> nghĩ, kảm ->
            # cảm) changes a letter; any other letter change must be the only
            # candidate that fits, and make a compound (kà nguyên: kỷ nguyên,
            # but the neighbours also take là, so nothing is done).
            letter_fit = [s for s in scored if s[0]]
            spelling = _spelling_variants(key)
            fitting = sorted((s for s in letter_fit if s[2] in spelling), reverse=True)
            if (
                not fitting
                and len(letter_fit) == 1
                and self._makes_compound(letter_fit[0][2], prev, nxt)
                # "chia xẽ" is "chia sẻ" misspelt, not "chia rẽ": a writer who
                # confuses s/x more likely meant the more frequent sẽ/sẻ.
                and not any(lex.count(v) > letter_fit[0][1] for v in confusion_variants(key))
            ):
                fitting = letter_fit
        if fitting:
            best = fitting[0]
            if len(fitting) > 1 and fitting[1][1] * 5 > best[1]:
                return None  # two candidates fit: not sure
            if invalid:
                return best[2], 0.97
            # A valid syllable is replaced at the thorough level only when it
            # is all but unattested (bảm: 4 in 16.5M tokens) and the fix makes
            # a dictionary word with a neighbour: a seen pair is not enough
            # ("giúp đở" is "giúp đỡ", not "giúp đó").
            sure = own < 10 and self._makes_compound(best[2], prev, nxt)
            return best[2], 0.92 if sure else 0.8
        if not invalid:
            return None  # a real syllable, and nothing in the context says otherwise
        pool = same or sorted(scored, key=lambda s: -s[1])
        best_n = pool[0][1]
        second = pool[1][1] if len(pool) > 1 else 0
        if second * 20 > best_n:
            return None
        # No neighbour confirms the candidate: sure only when it dominates.
        conf = 0.92 if second * 100 <= best_n and not (prev and nxt) else 0.8
        return pool[0][2], conf

    def _candidates(self, key: str, invalid: bool) -> tuple[tuple[str, int], ...]:
        """Valid syllables one edit from ``key`` that are frequent enough, with their counts.

        They depend on the word alone, so they are computed once per word
        (a few hundred microseconds: every edit of it is looked up) and
        only the neighbours are judged per occurrence.
        """
        found = self._cands.get((key, invalid))
        if found is None:
            lex = self.lex
            # A valid syllable must be far rarer than its replacement (x100);
            # an impossible one only needs a clearly better candidate (x50).
            floor = max(100, (50 if invalid else 100) * lex.count(key))
            found = tuple(
                sorted(
                    (cand, lex.count(cand))
                    for cand in _edits1(key)
                    if cand in lex.syllables
                    and lex.count(cand) >= floor
                    and is_valid(cand, "classic")
                )
            )
            if len(self._cands) > 100_000:
                self._cands.clear()  # bounded memory
            self._cands[(key, invalid)] = found
        return found

    # rare words ----------------------------------------------------------------

    def rare_variants(self, key: str) -> tuple[str, ...]:
        """Spellings one confusion or one mark away that are 20 times more frequent.

        Only for syllables seen fewer than 200 times in 16.5M tokens (``rỏ``
        8, ``sẳn`` 16, ``tầu`` 158): a frequent word is too often right.

        >>> _corrector(None, 0.9).rare_variants("rỏ")
        ('giỏ', 'ro', 'rò', 'rõ', 'rồ', 'rổ', 'rộ', 'rỡ')
        >>> _corrector(None, 0.9).rare_variants("rõ")
        ()
        """
        found = self._rare.get(key)
        if found is None:
            if len(self._rare) > 200_000:
                self._rare.clear()  # bounded memory
            found = self._rare[key] = self._find_rare_variants(key)
        return found

    def _find_rare_variants(self, key: str) -> tuple[str, ...]:
        lex = self.lex
        own = lex.count(key)
        if own >= 200 or syllable_key(key) != key:
            return ()
        return tuple(
            sorted(
                v
                for v in confusion_variants(key) | _mark_variants(key)
                if v in lex.syllables
                and lex.count(v) >= 20 * max(1, own)
                and is_valid(v, "classic")
            )
        )

    def rare_word(self, key: str, prev: str, nxt: str) -> str | None:
        """The word a rare syllable stands for between ``prev`` and ``nxt``, if sure.

        The rare syllable makes no known pair with its neighbours, and exactly
        one of its frequent variants makes a dictionary compound with one of
        them that news also uses (``sản phảm`` -> ``sản phẩm``).
        """
        lex = self.lex
        if (prev and lex.pair_known(prev, key)) or (nxt and lex.pair_known(key, nxt)):
            return None
        fits = [
            v
            for v in self.rare_variants(key)
            if (
                (bool(prev) and lex.is_word(prev + " " + v))
                or (bool(nxt) and lex.is_word(v + " " + nxt))
            )
            and max(lex.bigram(prev, v) if prev else 0, lex.bigram(v, nxt) if nxt else 0) >= 1
        ]
        return fits[0] if len(fits) == 1 else None

    def _binds(self, pair_count: int, partner: str) -> bool:
        """True when a compound seen ``pair_count`` times in news holds much of ``partner``'s use.

        The 500 articles of bigrams use a compound (``đầu tiên``) and the
        16.5M tokens count its partner (``tiên``); when the compound is a
        small share of the partner's uses (``vậy mà`` of ``mà``, ``đầu ra``
        of ``ra``), the partner goes with many words, and a word beside it
        that makes no seen pair is more often right than not (``đứng dậy
        mà``, ``tràn dầu ra``).
        """
        return pair_count >= 2 and pair_count * 10_000 >= CONTEXT_SHARE * max(
            1, self.lex.count(partner)
        )

    def _makes_compound(self, cand: str, prev: str, nxt: str) -> bool:
        lex = self.lex
        return (bool(prev) and lex.is_word(prev + " " + cand)) or (
            bool(nxt) and lex.is_word(cand + " " + nxt)
        )

    def context_word(
        self, key: str, variants: tuple[str, ...], prev: str, nxt: str, before: str, after: str
    ) -> str | None:
        """The word a real syllable stands for when only a frequent variant fits its neighbours.

        ``key`` (a word of ``_context_suspects``, ``variants`` its entry there)
        makes no known pair with
        ``prev`` or ``nxt`` (neither a compound nor a bigram seen in news),
        and exactly one of its variants one confusion away, or with the tone
        it lacks, is 10 times more frequent and makes with one of them a
        dictionary compound that news uses (``quyết đinh`` -> ``quyết định``,
        ``xã hôi`` -> ``xã hội``, ``sản xuất hằng loạt`` -> ``hàng loạt``).
        The kept neighbour must not be better read with its own other
        neighbour, and the written word must make no compound with its other
        one (``before``/``after`` are the words beyond ``prev``/``nxt``).
        Tuned on the Viwiki tuning split (see docs/typos.md): 84 fixes there,
        among them 25 no rule made before, and 3 other changes (2 real typos).
        """
        lex = self.lex
        if (prev and (lex.pair_known(prev, key) or lex.bigram(prev, key))) or (
            nxt and (lex.pair_known(key, nxt) or lex.bigram(key, nxt))
        ):
            return None
        fits: list[tuple[str, int]] = []
        for v in variants:
            if prev and lex.is_word(prev + " " + v) and self._binds(lex.bigram(prev, v), prev):
                fits.append((v, 0))
            if nxt and lex.is_word(v + " " + nxt) and self._binds(lex.bigram(v, nxt), nxt):
                fits.append((v, 1))
        if len({v for v, _ in fits}) != 1:
            return None
        v, side = fits[0]
        if v in (prev, nxt):
            return None
        if side == 0 and (
            (before and lex.is_word(before + " " + prev)) or (nxt and lex.is_word(key + " " + nxt))
        ):
            return None
        if side == 1 and (
            (after and lex.is_word(nxt + " " + after)) or (prev and lex.is_word(prev + " " + key))
        ):
            return None
        return v

    # real-word errors in compounds ----------------------------------------------

    def confusable_pair(self, w1: str, w2: str) -> bool:
        """True when ``w1 w2`` is one of ``_wrong_bigrams``, decided for this pair alone.

        The ``safe`` level asks this only of the pairs around the suspects
        its scan finds, so it need not build the whole table (a second of
        start-up) that the token pass reads.
        """
        found = self._pairs.get((w1, w2))
        if found is None:
            lex = self.lex
            found = not lex.pair_known(w1, w2) and (
                (w1 in lex.syllables and any(self.is_target(v, w2) for v in self.variants(w1)))
                or (w2 in lex.syllables and any(self.is_target(w1, v) for v in self.variants(w2)))
            )
            if len(self._pairs) > 100_000:
                self._pairs.clear()  # bounded memory
            self._pairs[(w1, w2)] = found
        return found

    def variants(self, word: str) -> frozenset[str]:
        """``confusion_variants(word)``, cached: the neighbours of suspects repeat."""
        found = self._variants.get(word)
        if found is None:
            if len(self._variants) > 100_000:
                self._variants.clear()  # bounded memory
            found = self._variants[word] = frozenset(confusion_variants(word))
        return found

    def is_target(self, first: str, second: str) -> bool:
        """True when ``first second`` is a compound or a frequent bigram."""
        return self.lex.is_word(first + " " + second) or self.lex.bigram(first, second) >= 5

    def compound(self, w1: str, w2: str, before: str, after: str) -> tuple[int, str, float] | None:
        """(position 0/1, replacement, confidence) for the bigram ``w1 w2``."""
        lex = self.lex
        if lex.pair_known(w1, w2):
            return None
        found = []
        for pos, word in ((0, w1), (1, w2)):
            for v in sorted(self.variants(word)):
                if self.is_target(*((v, w2) if pos == 0 else (w1, v))):
                    found.append((pos, v))
        if len(found) != 1:
            return None
        pos, v = found[0]
        # The unchanged neighbour of the replaced word must not be better read
        # as part of another word: "lãi xuất hiện" is "lãi" + "xuất hiện".
        if pos == 1 and after and lex.is_word(w2 + " " + after):
            return None
        if pos == 0 and before and lex.is_word(before + " " + w1):
            return None
        if lex.count(v) < 20:
            return None
        target = (v, w2) if pos == 0 else (w1, v)
        # Measured on Viwiki and news: a real word is too often right where
        # the dictionary and 500 articles of bigrams lack its pair, so most
        # of this rule stays at the aggressive level (see docs/typos.md). It
        # is sure (0.95, measured 0.98 on the tuning split) when the target
        # is a dictionary compound seen in news, the replaced word is 100
        # times rarer than its variant (tầu ngầm -> tàu ngầm, xử dụng -> sử
        # dụng), and neither word is better read with its other neighbour
        # ("vi tích phân" is "vi" + "tích phân", not "di tích").
        orig = w1 if pos == 0 else w2
        # (the unchanged word with its other neighbour), (the replaced word
        # with its other neighbour), as pairs in text order.
        kept_pair = (w2, after) if pos == 0 else (before, w1)
        outer_pair = (before, w1) if pos == 0 else (w2, after)
        if (
            lex.is_word(" ".join(target))
            and lex.bigram(*target) >= 2
            and lex.count(v) >= 100 * max(1, lex.count(orig))
            and not (all(kept_pair) and lex.is_word(" ".join(kept_pair)))
            and not (all(outer_pair) and lex.pair_known(*outer_pair))
        ):
            return pos, v, 0.95
        conf = 0.85 if lex.bigram(*target) >= 2 and lex.is_word(" ".join(target)) else 0.8
        return pos, v, conf


@cache
def _corrector(lexicon_path: str | None, min_confidence: float) -> _Corrector:
    return _Corrector(load_lexicon(lexicon_path), min_confidence)


@cache
def _wrong_bigrams(lexicon_path: str | None) -> frozenset[tuple[str, str]]:
    """Bigrams one confusion away from a dictionary compound, and not words themselves,
    as pairs of keys (the token pass intersects them with a text's pairs of neighbours).

    >>> ("lãi", "xuất") in _wrong_bigrams(None), ("lãi", "suất") in _wrong_bigrams(None)
    (True, False)
    """
    lex = load_lexicon(lexicon_path)
    wrong: set[tuple[str, str]] = set()
    frequent = (pair for pair, n in lex.bigrams.items() if n >= 5)
    for word in (*lex.words, *frequent):
        w1, sep, w2 = word.partition(" ")
        if not sep or " " in w2:
            continue
        for v in confusion_variants(w1):
            if v in lex.syllables and not lex.pair_known(v, w2):
                wrong.add((v, w2))
        for v in confusion_variants(w2):
            if v in lex.syllables and not lex.pair_known(w1, v):
                wrong.add((w1, v))
    return frozenset(wrong)


@cache
def _plain_tokens(lexicon_path: str | None) -> frozenset[str]:
    """Tokens the token pass never judges alone: their own lookup key, seen 200
    times or more, no ``context`` word. A set difference drops them in C."""
    lex = load_lexicon(lexicon_path)
    context_words = _context_suspects(lexicon_path)
    return frozenset(
        s
        for s in lex.syllables
        if lex.count(s) >= 200 and s not in context_words and syllable_key(s) == s
    )


@cache
def _compound_seconds(lexicon_path: str | None) -> dict[str, frozenset[str]]:
    """First syllable -> second syllables of the two-syllable compounds it starts."""
    seconds: dict[str, set[str]] = {}
    for word in load_lexicon(lexicon_path).words:
        first, sep, second = word.partition(" ")
        if sep and " " not in second:
            seconds.setdefault(first, set()).add(second)
    return {k: frozenset(v) for k, v in seconds.items()}


#: ``context`` words: a variant must be this many times more frequent.
CONTEXT_RATIO = 10
#: ``context`` words: the compound's count in the 500 articles per 10,000
#: occurrences of its partner in the 16.5M tokens (see ``_Corrector._binds``).
CONTEXT_SHARE = 25


def _context_variants(lex: Lexicon, key: str, partners: frozenset[str]) -> tuple[str, ...]:
    """Variants of ``key`` the ``context_word`` decision may put in its place.

    One confusion away (``confusions.tsv``) or, for a word without a tone,
    the same word with one (``đinh`` -> ``định``): the slips Viwiki's
    annotators found most. Other tone changes (``lá``/``là``, ``mát``/``mặt``)
    made as many wrong changes as right ones on the tuning split. Each
    variant is 10 times more frequent than ``key`` and starts or ends a
    dictionary compound seen at least twice in news.
    """
    if key in _function_words() or not any(c in _MARKED for c in key):
        return ()
    out = set(confusion_variants(key))
    if not _split_tone(key)[2]:
        out |= {v for v in _tone_moves(key) if _split_tone(v)[0] == key}
    floor = CONTEXT_RATIO * max(1, lex.count(key))
    return tuple(
        sorted(
            v
            for v in out
            if v in partners
            and lex.count(v) >= floor
            and v in lex.syllables
            and is_valid(v, "classic")
        )
    )


def _news_compound_syllables(lex: Lexicon) -> frozenset[str]:
    """Syllables of two-syllable dictionary compounds seen at least twice in news."""
    out: set[str] = set()
    for word in lex.words:
        first, sep, second = word.partition(" ")
        if sep and " " not in second and lex.bigram(first, second) >= 2:
            out.add(first)
            out.add(second)
    return frozenset(out)


@cache
def _context_suspects(lexicon_path: str | None) -> dict[str, tuple[str, ...]]:
    """Word -> its ``_context_variants``, for every syllable that has some.

    >>> _context_suspects(None)["đinh"], "định" in _context_suspects(None)
    (('đình', 'định'), False)
    """
    lex = load_lexicon(lexicon_path)
    partners = _news_compound_syllables(lex)
    found = {}
    for syllable in lex.syllables:
        variants = _context_variants(lex, syllable, partners)
        if variants:
            found[syllable] = variants
    return found


#: A scanned suspect's rarest letter must be at most this frequent (per
#: 10,000 letters of the syllable counts) for the ``safe`` level to look for
#: it. The scan is led by a class of these letters, so its cost grows with
#: how often they occur: see _suspect_scanner and docs/typos.md.
SUSPECT_ANCHOR_LIMIT = 15.0


@cache
def _suspects(lexicon_path: str | None) -> frozenset[str]:
    """Attested syllables the token pass could replace: the ones worth a scan at ``safe``.

    Rare syllables (fewer than 200 in 16.5M tokens) with a Vietnamese mark
    (``rare-word``, and ``non-word`` for the all but unattested), and words
    100 times rarer than one of their confusion variants (the sure tier of
    ``compound``: ``dộng`` in ``hành dộng``). A superset: the decisions
    are the token pass's, on the few words the scan finds.

    >>> {"rắp", "sẳn", "tầu"} <= _suspects(None), "ráp" in _suspects(None)
    (True, False)
    """
    lex = load_lexicon(lexicon_path)
    found: set[str] = set(_context_suspects(lexicon_path))
    for syllable in lex.syllables:
        if not any(c in _MARKED for c in syllable):
            continue
        own = lex.count(syllable)
        if own < 200 or any(
            lex.count(v) >= 100 * max(1, own) for v in confusion_variants(syllable)
        ):
            found.add(syllable)
    return frozenset(found)


def _letter_frequencies(lexicon_path: str | None) -> dict[str, float]:
    """Letter -> occurrences per 10,000 letters, from the syllable counts."""
    counts: dict[str, int] = {}
    for syllable, n in load_lexicon(lexicon_path).unigrams.items():
        for c in syllable:
            counts[c] = counts.get(c, 0) + n
    total = sum(counts.values()) or 1
    return {c: n * 1e4 / total for c, n in counts.items()}


def _alternation(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@cache
def _suspect_scanner(lexicon_path: str | None) -> re.Pattern[str] | None:
    """One regex that matches the suspects as whole lower-case words, led by a rare letter.

    Looking up every token costs Python work per distinct word and per rare
    token (the ``thorough`` level: 6 MB/s). Instead each suspect is keyed by its
    rarest letter (``ẳ`` in ``sẳn``; ``ắ`` in ``rắp``), and the scan starts on
    the class of those letters: the C scanner tests one class per character
    and, where a letter of it stands, walks a trie of what may follow, then
    checks with a look-behind what comes before it. Python only sees
    suspects. Suspects whose rarest letter is common (``tầu``: ``ầ`` is in
    ``đầu``) are left to the ``thorough`` level: keying them would make the
    scan stop at too many places (``SUSPECT_ANCHOR_LIMIT``).

    >>> [m.group() for m in _suspect_scanner(None).finditer("Sẳn sàng, sẳn sàng, hẳn")]
    ['ẳn']
    """
    freq = _letter_frequencies(lexicon_path)
    # anchor letter -> text after it -> prefix length -> prefixes
    groups: dict[str, dict[str, dict[int, set[str]]]] = {}
    for word in _suspects(lexicon_path):
        i = min(range(len(word)), key=lambda j: (freq.get(word[j], 0.0), j))
        anchor = word[i]
        if freq.get(anchor, 0.0) > SUSPECT_ANCHOR_LIMIT:
            continue
        by_rest = groups.setdefault(anchor, {})
        by_rest.setdefault(word[i + 1 :], {}).setdefault(i, set()).add(word[:i])
    if not groups:
        return None

    def trie(rests: dict[str, dict[int, set[str]]], anchor: str, done: str) -> str:
        """Pattern for what follows ``anchor + done``, ending at the end of a suspect."""
        parts = []
        ends = rests.get(done)
        if ends is not None:
            # The whole word is prefix + anchor + done: check the prefix behind.
            looks = []
            for n, prefixes in sorted(ends.items()):
                body = _alternation(sorted(re.escape(p) for p in prefixes)) if n else ""
                looks.append(f"(?<=(?<!\\w){body}{re.escape(anchor + done)})")
            parts.append("(?!\\w)" + _alternation(looks))
        nexts = sorted({r[len(done)] for r in rests if len(r) > len(done) and r.startswith(done)})
        for c in nexts:
            parts.append(re.escape(c) + trie(rests, anchor, done + c))
        return _alternation(parts)

    body = "|".join(re.escape(a) + trie(rests, a, "") for a, rests in sorted(groups.items()))
    return re.compile(f"(?:{body})")


def _is_word_at(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is a whole word, not part of a URL, e-mail or code."""
    if start > 0:
        c = text[start - 1]
        if c.isalnum() or c in _NOT_AFTER:
            return False
    if end < len(text):
        c = text[end]
        if c.isalnum() or c in _NOT_BEFORE or (c == "." and text[end + 1 : end + 2].isalnum()):
            return False
    return True


_RULE_ORDER = {"rare-word": 1, "context": 2}


class TyposStep(Step):
    """Fix non-words, confusions inside compounds, stray letters and doubled words."""

    name = "typos"
    summary = "fix typos: non-words, confusions in compounds, stray letters, doubled words"

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.min_confidence, self.thorough = LEVELS[config.typo_threshold]
        self.corrector = _corrector(config.lexicon, self.min_confidence)
        # word -> where ``_glued_split`` puts its space (None: nowhere)
        self._glued: dict[str, tuple[int, float] | None] = {}
        self.lexicon_path = config.lexicon
        # Build the scans now, not on the first text: worker processes forked
        # from a process holding this step inherit them instead of each
        # building its own (about 0.1 s of CPU apiece).
        _function_duplicates()
        if not self.thorough:
            _suspect_scanner(self.lexicon_path)

    def apply(self, text: str, changes: list[Change] | None) -> str:
        # Words split apart by ``glued-words`` are new neighbours for the other
        # rules (``vàcủa của`` holds a doubled word once split), so the text
        # is looked at again after a split, as a second run would.
        return apply_rounds(
            text,
            self._sure_edits,
            self.name,
            changes,
            again=lambda edits: any(e.rule == "glued-words" for e in edits),
        )

    def _sure_edits(self, text: str) -> list[Edit]:
        """The edits sure enough for the level, sorted, without overlaps."""
        edits = [e for e in self._edits(text) if e.confidence >= self.min_confidence]
        # At one span, a rare word goes after the other rules of the token pass,
        # and a context fix after all of them (it is their fallback).
        edits.sort(key=lambda e: (e.start, e.end, _RULE_ORDER.get(e.rule, 0)))
        kept: list[Edit] = []
        end = -1
        for e in edits:
            if e.start >= end:
                kept.append(e)
                end = e.end
        return kept

    def _edits(self, text: str) -> Iterator[Edit]:
        yield from self._stray_letters(text)
        yield from self._duplicates(text)
        yield from self._structural_nonwords(text)
        if self.thorough:
            yield from self._token_pass(text)
        else:
            yield from self._scanned_pass(text)

    # rules ---------------------------------------------------------------------

    def _stray_letters(self, text: str) -> Iterator[Edit]:
        if not _may_have_stray_letter(text):
            return
        for m in _STRAY.finditer(text):
            start = m.start() - 1
            letter = text[start]
            if letter != text[start + 1].lower():
                continue
            caps = _CAPS.match(text, start + 1)
            end = caps.end() if caps else start + 3
            while text[end - 1] == ".":
                end -= 1
            if not _is_word_at(text, start, end):
                continue
            yield Edit(start, start + 1, "", "stray-letter", confidence=0.95)

    def _duplicates(self, text: str) -> Iterator[Edit]:
        if self.min_confidence > 0.8:
            # (start of the first copy, its end) for each doubled grammatical word.
            inner, after_newline, at_start = _function_duplicates()
            found = [(m.start() + 1, text.index(" ", m.start() + 1)) for m in inner.finditer(text)]
            found += [
                (m.start() + 1, text.index(" ", m.start() + 1))
                for m in after_newline.finditer(text)
            ]
            first = at_start.match(text)
            if first is not None:
                found.append((0, text.index(" ")))
        else:
            matches = [
                *_DUPLICATE.finditer(text),
                *_DUPLICATE_AT_LINE_START.finditer(text),
                *_DUPLICATE_PAIR.finditer(text),
            ]
            found = [(m.start(1), m.end(1)) for m in matches]
        lex = self.corrector.lex
        for start, unit_end in found:
            unit = text[start:unit_end]
            end = unit_end + 1 + len(unit)
            if not unit.islower() or not _is_word_at(text, start, end):
                continue
            # "của của của": swallow every further copy, so the output is stable.
            step = len(unit) + 1
            while text.startswith(" " + unit, end) and _is_word_at(text, end + 1, end + step):
                end += step
            key = " ".join(syllable_key(s) for s in unit.split(" "))
            if not all(part in lex.syllables for part in key.split(" ")):
                continue  # numbers, English, code
            before = _word_before(text, start)
            if before and self._ends_compound(before, key):
                continue  # "thiết bị bị hỏng": the first copy ends a compound
            if before and text.endswith(f"{before} {before} ", 0, start):
                if _reduplicated_pair(before, key):
                    continue  # "đi đi về về": the second half of a pair
            elif _reduplicated_pair(key, _doubled_after(text, end)):
                continue  # "đi đi về về": the first half
            if " " in key:
                # A doubled compound ("bảo đảm bảo đảm").
                if key not in lex.words or lex.is_word(key + " " + key):
                    continue
                # "các nhà đầu tư đầu tư vào": the first copy may end another
                # word, so doubled compounds wait for the aggressive level.
                conf = 0.8
            elif lex.is_word(key + " " + key):
                continue  # a reduplication: "từ từ", "nhà nhà"
            elif key in _function_words():
                conf = 0.97
            elif lex.bigram(key, key) >= 2:
                continue  # attested doubled: probably a reduplication
            else:
                conf = 0.8
            yield Edit(unit_end, end, "", "duplicate-word", confidence=conf)

    def _ends_compound(self, before: str, word: str) -> bool:
        """True when ``before word`` is a compound, or nearly one.

        "cuối cũng cũng" is "cuối cùng cũng" and "kể các các" is "kể cả các":
        the first copy is a misspelt end of a compound, and removing the
        second copy would not fix the sentence. A seen pair (``nhà của``)
        is taken as written, unless the compound outnumbers it tenfold: in
        the counts of a large corpus (the ``lexicon`` option) ``kể các`` is
        seen too, a hundred times less than ``kể cả``.
        """
        lex = self.corrector.lex
        if lex.is_word(before + " " + word):
            return True
        letters = _letters(word)
        near = [
            second
            for second in _compound_seconds(self.lexicon_path).get(before, ())
            if letters.startswith(_letters(second))
        ]
        if not near:
            return False
        if lex.pair_known(before, word):
            # "nhà của của": "nhà của" is common, whatever "nhà cửa" is
            written = max(1, lex.bigram(before, word))
            return max(lex.bigram(before, second) for second in near) >= 10 * written
        return True

    def _structural_nonwords(self, text: str) -> Iterator[Edit]:
        seen: set[int] = set()
        for pattern in _STRUCTURES:
            for m in pattern.finditer(text):
                edit = self._structural_edit(text, m.start(), m.end(), seen)
                if edit is not None:
                    yield edit
        for pattern in _STOP_FINALS:
            for m in pattern.finditer(text):
                if m.end() - m.start() == 2 and text[m.start() + 1] != "h":
                    edit = self._structural_edit(text, m.start(), m.end(), seen)  # ci, ce
                    if edit is not None:
                        yield edit
                    continue
                # The rhyme in this word only: the letters from the word start to the final.
                run = _LETTER_RUN_LEFT.search(text, max(0, m.start() - 40), m.start())
                found = _STOP_TONE.search(text, run.start() if run else m.start(), m.end())
                if found is not None:
                    edit = self._structural_edit(text, found.start(), found.end(), seen)
                    if edit is not None:
                        yield edit

    def _structural_edit(self, text: str, start: int, end: int, seen: set[int]) -> Edit | None:
        """The fix of the word around a structural match ``text[start:end]``, once per word."""
        left = _LETTER_RUN_LEFT.search(text, max(0, start - 8), start)
        if left:
            start = left.start()
        right = _LETTER_RUN_RIGHT.match(text, end)
        if right:
            end = right.end()
        if start in seen:
            return None
        seen.add(start)
        return self._nonword_edit(text, start, end, True)

    def _token_pass(self, text: str) -> Iterator[Edit]:
        """Rare syllables and compound confusions: a look at every token (thorough levels).

        Every token is looked at, but in bulk: one split lists the tokens and
        the text between them (their offsets are running sums of lengths),
        their distinct spellings are mapped to lookup keys once, and set
        operations keep the few that need work: a syllable seen fewer than 200
        times, a ``context`` word, two neighbours one space apart that make
        one of ``_wrong_bigrams``. Those are judged in text order by the same
        rules a walk over every token applies (which ran at 4.9 MB/s). Most
        rare tokens are the tail of a capitalised word (``ội`` of ``Nội``):
        only the glued-words rule can apply to those, and its verdict on the
        word is cached.
        """
        parts = _TOKEN_SPLIT.split(text)  # text, token, text, token, ..., text
        tokens = parts[1::2]
        if not tokens:
            return
        bounds = list(accumulate(map(len, parts)))  # token i spans bounds[2i]:bounds[2i+1]
        counts = self.corrector.lex.unigrams
        context_words = _context_suspects(self.lexicon_path)
        keys = self.corrector.keys
        if len(keys) > 200_000:
            # Bounded memory: a new table, not a cleared one, so a thread still
            # reading the old table finds every key it filled in.
            keys = self.corrector.keys = {}
        distinct = set(tokens)  # runs of lower-case letters: a capital ends a token
        for token in distinct.difference(keys):
            keys[token] = syllable_key(token)
        suspects = {
            t
            for t in distinct.difference(_plain_tokens(self.lexicon_path))
            if counts.get(keys[t], 0) < 200 or keys[t] in context_words
        }
        found: list[tuple[int, int, Edit]] = []  # (token start, rule order, edit)
        for i in compress(range(len(tokens)), map(suspects.__contains__, tokens)):
            token = tokens[i]
            start, end = bounds[2 * i], bounds[2 * i + 1]
            key = keys[token]
            edit: Edit | None
            if counts.get(key, 0) < 200:
                if start and text[start - 1].isalnum():
                    # Glued to what is before it: only a capital can start the word.
                    if text[start - 1].isupper() and end - start >= _MIN_GLUED - 1:
                        edit = self._glued_edit(text, start - 1, end)
                        if edit is not None:
                            found.append((start, 0, edit))
                    continue  # no rule judges a word glued to a letter or digit
                edit = self._rare_token_edit(text, start, end)
                if edit is not None:
                    found.append((start, 0, edit))
            if key in context_words:
                edit = self._context_edit(text, start, end, key)
                if edit is not None:
                    found.append((start, 1, edit))
        key_list = list(map(keys.__getitem__, tokens))
        neighbours = list(pairwise(key_list))
        pairs = _wrong_bigrams(self.lexicon_path).intersection(neighbours)
        if pairs:
            for i in compress(range(len(neighbours)), map(pairs.__contains__, neighbours)):
                if parts[2 * i + 2] != " ":
                    continue  # not one space apart
                s1, e1 = bounds[2 * i], bounds[2 * i + 1]
                s2, e2 = bounds[2 * i + 2], bounds[2 * i + 3]
                edit = self._compound_edit(text, s1, e1, s2, e2)
                if edit is not None:
                    found.append((s2, 2, edit))
        found.sort(key=lambda f: (f[0], f[1]))
        for _, _, edit in found:
            yield edit

    def _rare_token_edit(self, text: str, start: int, end: int) -> Edit | None:
        """A rare token's fix: a non-word, a rare word, or two words glued."""
        edit = self._nonword_edit(text, start, end, False)
        if edit is None:
            edit = self._rare_word_edit(text, start, end)
        if edit is None and end - start >= _MIN_GLUED - 1:
            edit = self._glued_edit(text, start, end)
        return edit

    def _glued_edit(self, text: str, start: int, end: int) -> Edit | None:
        """Two words typed without the space between them (``córất``, ``Cácvận``).

        The token must be no syllable and no spelling the counts know (loan
        words written as one: ``ôtô``, ``đôla``, ``axít`` are left alone),
        split in exactly one place into two frequent syllables of two letters
        or more. Sure (0.93) when the pair is a seen bigram or a compound
        (``lượngmua``, ``đượcmột``); otherwise (0.8, ``aggressive`` only)
        when the first word carries a Vietnamese mark and the second starts
        with a consonant: a foreign name glued from plain syllables
        (``catốt``, ``Antôn``) or a misplaced mark (``khóai``) does not.
        """
        token = text[start:end]
        if token.isascii():
            return None
        glued = self._glued
        split = glued.get(token, _UNSPLIT)
        if split is _UNSPLIT:
            if len(glued) > 100_000:
                glued.clear()  # bounded memory
            split = glued[token] = self._glued_split(token)
        if split is None or not _is_word_at(text, start, end):
            return None
        i, conf = split
        return Edit(start + i, start + i, " ", "glued-words", confidence=conf)

    def _glued_split(self, token: str) -> tuple[int, float] | None:
        """Where a space goes in ``token`` (two words glued), and how sure: see ``_glued_edit``."""
        lex = self.corrector.lex
        key = syllable_key(token.lower())
        if lex.count(key) > _MAX_GLUED_COUNT or is_valid(token.lower()):
            return None
        found: tuple[int, str, str] | None = None
        for i in range(2, len(token) - 1):
            a, b = token[:i], token[i:]
            if not b.islower() or not is_valid(a.lower()) or not is_valid(b):
                continue
            ka, kb = syllable_key(a.lower()), syllable_key(b)
            if lex.count(ka) < _MIN_GLUED_PART or lex.count(kb) < _MIN_GLUED_PART:
                continue
            if found is not None:
                return None  # two ways to split: not sure where the space goes
            found = (i, ka, kb)
        if found is None:
            return None
        i, ka, kb = found
        if lex.bigram(ka, kb) >= 3 or lex.is_word(f"{ka} {kb}"):
            return i, 0.93
        if not token[:i].isascii() and token[i] not in _UNTONED_AND_MARKED:
            return i, 0.8
        return None

    def _scanned_pass(self, text: str) -> Iterator[Edit]:
        """The token pass's rules on the suspects a scan finds (``safe`` level).

        ``_suspect_scanner`` finds, in C, the few words the token pass could
        replace whose rarest letter is rare enough to lead a scan; each is
        then judged exactly as the token pass judges it, with the word
        before and the word after as its possible compound partners.
        """
        scanner = _suspect_scanner(self.lexicon_path)
        if scanner is None:
            return
        context_words = _context_suspects(self.lexicon_path)
        corrector = self.corrector
        lex = corrector.lex
        quiet = corrector.quiet
        if len(quiet) > 100_000:
            quiet.clear()  # bounded memory
        for m in scanner.finditer(text):
            end = m.end()
            left = _LETTER_RUN_LEFT.search(text, max(0, m.start() - 8), m.start())
            start = left.start() if left else m.start()
            if not _is_word_at(text, start, end):
                continue
            # The scan matches suspects only, and they are lookup keys already.
            key = text[start:end]
            prev = _word_before(text, start)
            nxt = _word_after(text, end)
            context = (key, prev, nxt)
            if context in quiet:
                continue  # judged before, with nothing to do in these words
            # Most suspects are rare but right, and make a known pair with a
            # neighbour: then neither non-word nor rare-word applies, and the
            # compound rule only looks at the other pair.
            known_prev = bool(prev) and lex.pair_known(prev, key)
            known_next = bool(nxt) and lex.pair_known(key, nxt)
            edit: Edit | None = None
            if not (known_prev or known_next) and lex.count(key) < 200:
                found = corrector.nonword(key, prev, nxt, False)
                # Only a fix of the marks (hửu -> hữu) replaces a real syllable
                # at the default level: a letter change of one (nẻng phẩm ->
                # nông phẩm) is left to the thorough level.
                if (
                    found is not None
                    and key not in (prev, nxt)
                    and found[0] not in (prev, nxt)
                    and _letters(found[0]) == _letters(key)
                ):
                    edit = Edit(start, end, found[0], "non-word", confidence=found[1])
                if edit is None and corrector.rare_variants(key):
                    word = corrector.rare_word(key, prev, nxt)
                    if word is not None and word not in (prev, nxt) and key not in (prev, nxt):
                        edit = Edit(start, end, word, "rare-word", confidence=0.93)
                if edit is not None:
                    yield edit
            if edit is None and not (known_prev or known_next) and key in context_words:
                edit = self._context_edit(text, start, end, key)
                if edit is not None:
                    yield edit
            pair_before = bool(prev) and not known_prev and corrector.confusable_pair(prev, key)
            pair_after = bool(nxt) and not known_next and corrector.confusable_pair(key, nxt)
            if edit is None and not pair_before and not pair_after:
                # Decided by these three words alone: the same words elsewhere
                # need no second look.
                quiet.add(context)
                continue
            if pair_before:
                before = _BEFORE.search(text, max(0, start - 12), start)
                if before is not None:
                    edit = self._compound_edit(text, before.start(1), before.end(1), start, end)
                    if edit is not None:
                        yield edit
            if pair_after:
                after = _AFTER.match(text, end)
                if after is not None:
                    edit = self._compound_edit(text, start, end, after.start(1), after.end())
                    if edit is not None:
                        yield edit

    def _compound_edit(self, text: str, s1: int, e1: int, s2: int, e2: int) -> Edit | None:
        """The ``compound`` fix of the pair of words ``text[s1:e1] text[s2:e2]``, if any."""
        w1, w2 = text[s1:e1], text[s2:e2]
        if not (w1.islower() and w2.islower()) or not _is_word_at(text, s1, e2):
            return None
        k1, k2 = syllable_key(w1), syllable_key(w2)
        before = _word_before(text, s1)
        after = _word_after(text, e2)
        found = self.corrector.compound(k1, k2, before, after)
        if (
            found is None
            or found[1] in (k1, k2, before, after)
            # a grammatical word is too frequent to be a confusion
            # (``công sức của và`` is not ``cửa và``)
            or (k1 if found[0] == 0 else k2) in _function_words()
        ):
            return None
        pos, v, conf = found
        return Edit(*((s1, e1) if pos == 0 else (s2, e2)), v, "compound", confidence=conf)

    def _context_edit(self, text: str, start: int, end: int, key: str) -> Edit | None:
        """The ``context`` fix of the word ``text[start:end]`` (a ``_context_suspects`` key)."""
        token = text[start:end]
        if token != key or not _is_word_at(text, start, end):
            return None  # names, capitals (the key is lower case), URLs, code
        prev = _word_before(text, start)
        nxt = _word_after(text, end)
        before = _word_before(text, start - 1 - len(prev)) if prev else ""
        after = _word_after(text, end + 1 + len(nxt)) if nxt else ""
        variants = _context_suspects(self.lexicon_path)[key]
        found = self.corrector.context_word(key, variants, prev, nxt, before, after)
        if found is None:
            return None
        return Edit(start, end, found, "context", confidence=0.93)

    def _rare_word_edit(self, text: str, start: int, end: int) -> Edit | None:
        token = text[start:end]
        if not token.islower() or not any(c in _MARKED for c in token):
            return None  # names, capitals, unaccented or English words
        key = syllable_key(token)
        if key != token or not self.corrector.rare_variants(key):
            return None
        if not _is_word_at(text, start, end):
            return None
        prev = _word_before(text, start)
        nxt = _word_after(text, end)
        found = self.corrector.rare_word(key, prev, nxt)
        if found is None or found in (prev, nxt) or key in (prev, nxt):
            return None
        return Edit(start, end, found, "rare-word", confidence=0.93)

    def _nonword_edit(self, text: str, start: int, end: int, invalid: bool) -> Edit | None:
        token = text[start:end]
        if not token.islower() or not any(c in _MARKED for c in token):
            return None  # names, capitals, unaccented or English words
        if not _is_word_at(text, start, end):
            return None
        key = syllable_key(token)
        if key != token:
            return None
        # The structural patterns are quick filters; the syllable model decides.
        invalid = invalid and not is_valid(token)
        prev = _word_before(text, start)
        nxt = _word_after(text, end)
        found = self.corrector.nonword(key, prev, nxt, invalid)
        if found is None or found[0] in (prev, nxt) or key in (prev, nxt):
            return None  # a fix that doubles a neighbour would itself look like a typo
        return Edit(start, end, found[0], "non-word", confidence=found[1])


def _reduplicated_pair(first: str, second: str) -> bool:
    """Whether doubled ``first`` then doubled ``second`` make a reduplicated pair.

    ``đi đi về về`` and ``nhà nhà người người`` are one figure of speech; two
    doubled grammatical words in a row (``của của và và``) are two typos,
    both removed in the same run (so a second run has nothing left to do).

    >>> [_reduplicated_pair(a, b) for a, b in [("đi", "về"), ("của", "và"), ("đi", "")]]
    [True, False, False]
    """
    return bool(second) and not (first in _function_words() and second in _function_words())


def _doubled_after(text: str, end: int) -> str:
    """The word doubled right after ``end`` (`` về về`` → ``về``), or ''."""
    m = _AFTER.match(text, end)
    if m is None:
        return ""
    word = m.group(1)
    at = m.end() + 1
    if not text.startswith(" " + word, m.end()) or not _is_word_at(text, at, at + len(word)):
        return ""
    return syllable_key(word.lower()) if word.islower() else ""


def _may_have_stray_letter(text: str) -> bool:
    """True when ``text`` has a lower-case letter right before a capital that
    another capital follows (``aANTT``; ``mRNA`` too, which the rule then leaves).

    A quick test in bulk, so that the _STRAY scan, slowed by ``Đ`` in its
    classes, runs only where it can match: ``regex`` scans a one-range class
    (``[A-Z]``) fast, and ``đĐ`` is looked for apart.

    >>> _may_have_stray_letter("Bộ Công an aANTT"), _may_have_stray_letter("iPhone, Hà Nội")
    (True, False)
    """
    return "đĐ" in text or _MAY_STRAY.search(text) is not None


_BEFORE = re.compile(f"([{_L}]+) $")
_AFTER = re.compile(f" ([{_L}]+)")


def _word_before(text: str, start: int) -> str:
    """The lower-case word right before ``start`` (one space between), or ''."""
    m = _BEFORE.search(text, max(0, start - 12), start)
    if m is None or not m.group(1).islower() or not _is_word_at(text, m.start(), m.end(1)):
        return ""
    return syllable_key(m.group(1))


def _word_after(text: str, end: int) -> str:
    """The lower-case word right after ``end`` (one space between), or ''."""
    m = _AFTER.match(text, end)
    if m is None or not m.group(1).islower() or not _is_word_at(text, m.start(1), m.end()):
        return ""
    return syllable_key(m.group(1))


def fix_typos(text: str, threshold: str = "safe", lexicon: str | None = None) -> str:
    """Correct typos in ``text`` (what the ``typos`` step does).

    >>> fix_typos("các chỉ số bảm đảm chất lượng", threshold="thorough")
    'các chỉ số bảo đảm chất lượng'
    """
    step = TyposStep(Config(typo_threshold=threshold, lexicon=lexicon))
    return step.apply(text, None)
