"""Keyboard mashing and other nonsense ("azertyuiop", "hhhhhhhh", "jjjjdkdkdkd", "?????"), told
apart from the short messages patients really write ("ok", "slt", "jsuis en ald", "100%",
"le 12/03", "👍"). Cheap and lexical (no model): the NLU gate (components/guard.py) sends a
gibberish message to the fallback ("je n'ai pas compris") whatever the classifier guessed, so
that it never gets an answer or starts a form.

The text is folded (ald.text.fold: lower case, no accents) and cut into tokens: runs of letters
or of digits ("c'est" -> "c", "est"; "12h30" -> "12", "h", "30"). Each token is

- KNOWN: a number ("15", "2025"), or a word of content/common_words.yml or of the phrases of
  content/vocabulary.yml, as written or with its repeated letters squeezed ("ouiii" -> "oui",
  "mdrrrr" -> "mdr"), or laughter ("hahaha");
- NONSENSE, on one of these signs:
    * one character held down: 3 letters or more ("zzzz", "aaaaaa"), 4 digits or more ("1111");
    * keys of a keyboard row (AZERTY or QWERTY) or of the alphabet in order: the whole token
      if 4 keys or more ("asdf", "abcd"), 5 keys or more inside a token ("azertyuiop",
      "qsdfghjkl": "azer" is in "gazer"), 5 or more backwards ("poiuy": "trez" is in
      "entrez"); 5 digits or more in a row ("123456789", "98765");
    * a chunk of 2 or 3 consonants typed three times or more in a row ("dkdkdk", "dfgdfgdfg"),
      any chunk four times ("lalalala"; "mêmement", "blablabla" have one three times);
    * a letter typed 4 times or more in a row ("jjjjdk"; a known word was found above);
    * no vowel in 6 letters or more ("sdkjfh"), fewer than one vowel in five letters in a word
      of 8 letters or more, or 6 consonants in a row ("nietzsch" has 5);
- UNKNOWN otherwise: a typo, an SMS form not listed, a foreign word, another script. Unknown is
  never evidence of nonsense: real messages full of typos are left to the classifier.

A message is gibberish when it holds no known token and its nonsense tokens hold at least half
of its characters; or when it is punctuation only ("?????", "...", "?"); or when it is only
placeholder words ("truc", "un machin": content/common_words.yml, `placeholders`), which say
nothing a form or the classifier could use. Emoji and pictographs
are NOT gibberish, alone or not ("👍", "🙏", ":)"): a thumbs-up is a yes and a smiley a thanks,
the classifier decides. An empty message is not gibberish (there is nothing to judge).

Every example of the training data and of the held-out set is checked not to be gibberish
(tests/ald/test_gibberish.py).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import FrozenSet, Iterable, List

from ald import vocabulary
from ald.content import load_content
from ald.text import fold, words

WORDS_FILE = "common_words.yml"

KNOWN = "known"
NONSENSE = "nonsense"
UNKNOWN = "unknown"

VOWELS = frozenset("aeiouy")
#: Keyboard rows (AZERTY, then QWERTY), the alphabet and the digits, in key order.
ROWS = (
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
)
DIGIT_ROW = "01234567890"
MIN_ROW = 4  # a whole token of 4 keys of a row in order ("asdf", "qsdf")
MIN_ROW_INSIDE = 5  # inside a longer token: "azer" is in "gazer", "erty" in "liberty"
MIN_ROW_BACKWARDS = 5  # "trez" (backwards "zert") is in "entrez", "rencontrez"
MIN_DIGIT_ROW = 5  # "1234" may be an amount or a year
MIN_SAME_LETTER = 3
MIN_SAME_DIGIT = 4  # "000" in "1000"
MIN_LETTER_RUN = 4  # "mercii", "ouiii", "alllo" are squeezed and looked up
MIN_NO_VOWEL = 6  # "qqch", "tjrs", "ptdr" (listed anyway) are shorter
MIN_FOR_VOWEL_RATIO = 8
MIN_VOWEL_RATIO = 0.2
MAX_CONSONANTS = 5  # "bstr" (abstrait), "ngstr" (angström), "tzsch" (nietzschéen)

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_ASCII_WORD = re.compile(r"[a-z]+")
# A chunk without a vowel 3 times ("dkdkdk"), any chunk 4 times ("lalalala"; "mêmement" and
# "blablabla" have one 3 times).
_REPEATED_CHUNK = re.compile(r"([b-df-hj-np-tv-xz]{2,3})\1{2,}|([a-z]{2,3})\2{3,}")
_LETTER_RUN = re.compile(rf"([a-z])\1{{{MIN_LETTER_RUN - 1},}}")
_CONSONANTS = re.compile(rf"[b-df-hj-np-tv-xz]{{{MAX_CONSONANTS + 1},}}")
_LAUGHTER = re.compile(r"(?:a?h[aeiou]|lol|mdr)+h?")
# ASCII smileys, read as emoji: ":)", ":-(", ";p", "xD", "<3", "^^", "^_^", "-_-".
_EMOTICON = re.compile(r"[:;=8x]-?[()\[\]pdo3*/\\|]+|<3|\^_?\^|-_-", re.IGNORECASE)


def _squeeze(token: str, keep: int) -> str:
    """Runs of 3 or more of a character cut down to `keep` ("ouiii" -> "oui" with 1)."""
    return re.sub(r"(.)\1{2,}", lambda m: m.group(1) * keep, token)


@cache
def known_words() -> FrozenSet[str]:
    """The words of content/common_words.yml and of content/vocabulary.yml's phrases, folded."""
    raw = load_content(WORDS_FILE)
    found: set[str] = set()
    for name, listed in raw.items():
        if not isinstance(listed, list) or not all(isinstance(w, str) for w in listed):
            raise ValueError(f"{WORDS_FILE}: {name!r} must be a list of words (quote 'on', 'yes', 'no')")
        found.update(_folded_words(listed))
    for section in (vocabulary.care_kinds(), vocabulary.ald_situations(), vocabulary.diseases()):
        found.update(_folded_words(phrase for phrase, _ in section.phrases()))
    return frozenset(found)


#: Words that may stand before a placeholder ("un truc", "des machins").
_DETERMINERS = frozenset({"un", "une", "des", "le", "la", "les", "l", "ce", "cette", "ces", "du", "de"})


@cache
def placeholders() -> FrozenSet[str]:
    """The placeholder words of content/common_words.yml, folded."""
    return frozenset(_folded_words(load_content(WORDS_FILE).get("placeholders") or []))


def _folded_words(texts: Iterable[str]) -> Iterable[str]:
    for text in texts:
        yield from _TOKEN.findall(words(text))


def _in_row(token: str, row: str, length: int) -> bool:
    return any(token[i : i + length] in row for i in range(len(token) - length + 1))


def _keyboard_run(token: str) -> bool:
    if token.isdigit():
        return _in_row(token, DIGIT_ROW, MIN_DIGIT_ROW) or _in_row(token, DIGIT_ROW[::-1], MIN_DIGIT_ROW)
    if len(token) >= MIN_ROW and any(token in row for row in ROWS):
        return True
    return any(
        _in_row(token, row, MIN_ROW_INSIDE) or _in_row(token, row[::-1], MIN_ROW_BACKWARDS) for row in ROWS
    )


def token_kind(token: str) -> str:
    """`KNOWN`, `NONSENSE` or `UNKNOWN` for one folded token (letters only, or digits only)."""
    if token.isdigit():
        if len(set(token)) == 1 and len(token) >= MIN_SAME_DIGIT:
            return NONSENSE
        return NONSENSE if _keyboard_run(token) else KNOWN
    if not _ASCII_WORD.fullmatch(token):
        return UNKNOWN  # another script, or a letter that folding keeps ("ß")
    lexicon = known_words()
    if token in lexicon:
        return KNOWN
    if len(set(token)) == 1 and len(token) >= MIN_SAME_LETTER:
        return NONSENSE  # before the squeezed look-up: "aaaaaa" is not the word "a"
    if _squeeze(token, 1) in lexicon or _squeeze(token, 2) in lexicon:
        return KNOWN
    if _LAUGHTER.fullmatch(_squeeze(token, 1)):
        return KNOWN
    if _keyboard_run(token) or _REPEATED_CHUNK.search(token) or _LETTER_RUN.search(token):
        return NONSENSE
    squeezed = _squeeze(token, 2)
    vowels = sum(1 for c in squeezed if c in VOWELS)
    if vowels == 0 and len(squeezed) >= MIN_NO_VOWEL:
        return NONSENSE
    if len(squeezed) >= MIN_FOR_VOWEL_RATIO and vowels < MIN_VOWEL_RATIO * len(squeezed):
        return NONSENSE
    if _CONSONANTS.search(squeezed):
        return NONSENSE
    return UNKNOWN


def tokens(text: str) -> List[str]:
    """The folded tokens of `text`: runs of letters, runs of digits."""
    return _TOKEN.findall(fold(text))


def _has_pictograph(text: str) -> bool:
    """An emoji or another pictograph, or an ASCII smiley standing alone (":)", "xD")."""
    if any(unicodedata.category(c) == "So" for c in text):
        return True
    return any(_EMOTICON.fullmatch(chunk) for chunk in text.split())


def is_gibberish(text: str) -> bool:
    """True for keyboard mashing, one key held down, punctuation only; False for anything that
    may be a real message (see the module's docstring)."""
    if not text or not text.strip():
        return False
    if _has_pictograph(text):
        return False
    found = tokens(text)
    if not found:
        return True  # punctuation only: "?????", "...", "!!"
    vague = placeholders()
    if vague.intersection(found) and vague.union(_DETERMINERS).issuperset(found):
        return True
    nonsense = 0
    for token in found:
        kind = token_kind(token)
        if kind == KNOWN:
            return False
        if kind == NONSENSE:
            nonsense += len(token)
    return 2 * nonsense >= sum(len(t) for t in found)
