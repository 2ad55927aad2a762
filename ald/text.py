"""Text normalisation shared by every matcher: one accent folding for the whole project.

Patients write without accents, with curly apostrophes, in capitals or SMS spelling; every
look-up (dates, care kinds, diseases, safety patterns, yes/no answers) compares folded text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PUNCT_MAP = {
    "’": "'",
    "‘": "'",
    "`": "'",
    "ʼ": "'",
    "´": "'",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\t": " ",
    "\n": " ",
    "\r": " ",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
}
_LIGATURES = {"œ": "oe", "æ": "ae"}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _PUNCT_MAP:
        return _PUNCT_MAP[c]
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    low = base.lower()
    if len(low) == 1:
        return low
    low = c.lower()
    return low if len(low) == 1 else c


def fold_same_length(text: str) -> str:
    """Lower case, no accents, plain apostrophes, dashes and spaces, and the SAME LENGTH as
    `text`: a span found in the folded text is the same span in the original."""
    return "".join(_fold_char(c) for c in text or "")


def fold(text: str) -> str:
    """`fold_same_length`, then single spaces and no spaces at either end."""
    return re.sub(r"\s+", " ", fold_same_length(text)).strip()


def words(text: str) -> str:
    """Folded words only: letters, digits and apostrophes, single spaces ("Kiné-thérapie !" →
    "kine therapie"); ligatures spelt out ("cœur" → "coeur")."""
    text = fold_same_length(text)
    for ligature, spelt in _LIGATURES.items():
        text = text.replace(ligature, spelt)
    return re.sub(r"[^a-z0-9']+", " ", text).strip()


def capitalised(text: str) -> str:
    """The first letter in capitals, the rest as it is ("la maladie coronaire" → "La maladie
    coronaire"), for a label that starts a sentence; "" stays ""."""
    return text[:1].upper() + text[1:]


# A sentence ends at . ! ? ; : followed by a space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


def question_part(text: str, min_words: int = 3) -> str | None:
    """In a message of several sentences, the one that asks: the last holding a "?", else the
    last one ("Ma femme a un lupus depuis mars. Le médecin veut faire le protocole. Il est
    valable combien de temps ?" → "Il est valable combien de temps ?"). None for a message of one
    sentence. Sentences shorter than `min_words` words ("Bonjour.", "Merci !") do not count.
    Patients tell their situation first: the classifier weighs this part on top of the whole."""
    parts = [p.strip() for p in _SENTENCE_END.split(text or "") if len(p.split()) >= min_words]
    if len(parts) < 2:
        return None
    asking = [p for p in parts if "?" in p]
    return asking[-1] if asking else parts[-1]
