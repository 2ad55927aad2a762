"""Reading the user's own answers to the bot's questions, whatever the spelling: yes / no /
unsure, and durations of care ("toute ma vie", "au moins 8 mois", "quelques semaines").

Patients answer in their own words, often with a hedge ("oui je crois", "pas vraiment") or a
doubt ("je sais pas"): a doubt is a reading of its own (the bot then helps), never a no."""

from __future__ import annotations

import re
from typing import Literal, Optional

from ald.dates import NUMBER_WORDS
from ald.text import fold, words

Reading = Literal["yes", "no", "unsure"]

# Whole answers (after `words`). Hedged forms count as the answer they lean to.
_YES = (
    r"o|oui+|ouai+s?|oue|wi|yes|yep|ok|okay|d'accord|dac|exact|exactement|absolument|"
    r"bien sur|evidemment|evidement|tout a fait|affirmatif|vrai|si|c'est ca|c'est bien ca|"
    r"c'est le cas|en effet|effectivement|certainement|carrement|"
    r"je crois|je pense|je pense que oui|je crois que oui|il me semble|il me semble que oui|"
    r"normalement oui|normalement|a priori oui|apparemment|sans doute|surement|bien entendu"
)
_NO = (
    r"non+|nan|no|nope|pas du tout|absolument pas|surtout pas|jamais|faux|pas vraiment|"
    r"aucun|aucune|pas encore|pas que je sache|je ne crois pas|je crois pas|je pense pas|"
    r"je ne pense pas|je crois que non|je pense que non|pas le cas|ce n'est pas le cas|"
    r"c'est pas le cas|a priori non|normalement non|negatif|pas specialement|"
    r"rien a voir|aucun rapport|ca n'a rien a voir|ca a rien a voir"
)
_UNSURE = (
    r"je (ne )?sais pas|j'sais pas|chais pas|sais pas|ne sais pas|jsp|je ne sais|aucune idee|"
    r"pas d'idee|peut etre|peutetre|je (ne )?suis pas (sur|sure|certain|certaine)|"
    r"pas sur|pas sure|je sais plus|je ne sais plus|je (ne )?me souviens (pas|plus)|"
    r"comment savoir|comment le savoir|comment je peux savoir|c'est quoi|ca veut dire quoi|"
    r"je comprends pas|je ne comprends pas|bonne question|difficile a dire|on verra"
)
_LEADING_FILLERS = r"(?:(?:euh+|ben|bah|alors|hmm+|bon|eh bien|heu+|hum+|oh|ah)\s+)*"
_YES_RE = re.compile(rf"^{_LEADING_FILLERS}(?:{_YES})(?:\s+(?:{_YES}|merci|madame|monsieur))*$")
_NO_RE = re.compile(rf"^{_LEADING_FILLERS}(?:{_NO})(?:\s+(?:{_NO}|merci|madame|monsieur))*$")
_UNSURE_RE = re.compile(rf"(?:^|\s)(?:{_UNSURE})(?:\s|$)")
# An answer that starts with yes or no and goes on ("oui bien sûr, c'est pour mon diabète",
# "non c'est pour une entorse", "bah oui c'est dans le protocole", "je pense que oui, il y est")
# keeps that first word's meaning.
_STARTS_YES = re.compile(
    rf"^{_LEADING_FILLERS}(?:oui+|ouai+s?|yes|bien sur|tout a fait|exactement|absolument|"
    r"evidemment|effectivement|en effet|(?:je (?:crois|pense)|il me semble) que oui|"
    r"normalement oui|a priori oui)\b"
)
_STARTS_NO = re.compile(
    rf"^{_LEADING_FILLERS}(?:non+|nan|pas du tout|absolument pas|surtout pas|jamais|"
    r"pas vraiment|rien a voir|aucun rapport|(?:je (?:crois|pense)|il me semble) que non|"
    r"je (?:ne )?(?:crois|pense) pas|normalement non|a priori non)\b"
)
# A statement that ends with its yes or no ("c'est marqué dedans oui", "il y est pas non"),
# when it asks nothing (`asks`): not "c'est pour une entorse, non ?", "c'est lié ou non", nor
# "je voudrais savoir si c'est dans le protocole oui".
_ENDS_YES = re.compile(r"(?<!\bou )\b(?:oui+|ouai+s?)$")
_ENDS_NO = re.compile(r"(?<!\bou )\b(?:non+|nan)$")
_ASKS = re.compile(r"\b(?:si|savoir|est ce)\b|\bou (?:oui+|non+|nan|pas)$")


def asks(text: str) -> bool:
    """Whether `text` is worded as a question: a "?", "savoir si", "est-ce", or an "ou non" at
    its end ("je voudrais savoir si c'est dans le protocole ou non")."""
    return "?" in text or bool(_ASKS.search(words(text)))


def read_yes_no(text: str) -> Optional[Reading]:
    """ "yes", "no", "unsure" (the user does not know), or None when the text is not an answer
    to a yes/no question."""
    folded = words(text)
    if not folded:
        return None
    if _UNSURE_RE.search(folded):
        # "non je sais pas" is a doubt, not a no; "oui bien sûr, je ne sais pas quand" is a yes
        # followed by something else (the doubt must come right after the first word).
        head = re.sub(r"^(?:oui+|ouai+s?|non+|nan)\b ?", "", folded)
        if head == folded or _UNSURE_RE.match(head):
            return "unsure"
    if _YES_RE.match(folded):
        return "yes"
    if _NO_RE.match(folded):
        return "no"
    if _STARTS_NO.match(folded):
        return "no"
    if _STARTS_YES.match(folded):
        return "yes"
    if asks(text):
        return None
    if _ENDS_NO.search(folded):
        return "no"
    if _ENDS_YES.search(folded):
        return "yes"
    return None


def yes_no_from_text(text: str) -> Optional[bool]:
    """True for a yes, False for a no, None when the text is neither (or a doubt)."""
    reading = read_yes_no(text)
    return {"yes": True, "no": False}.get(reading or "")


# --------------------------------------------------------------------------- durations

#: "Toute la vie": more than any duration the rules compare with.
LIFELONG_MONTHS = 1200

_UNIT_MONTHS = {
    "jour": 1 / 30,
    "jours": 1 / 30,
    "j": 1 / 30,
    "semaine": 0.25,
    "semaines": 0.25,
    "sem": 0.25,
    "mois": 1.0,
    "an": 12.0,
    "ans": 12.0,
    "annee": 12.0,
    "annees": 12.0,
}
_AMOUNT = r"(\d+(?:[.,]\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_DURATION_RE = re.compile(rf"\b{_AMOUNT}\s*(jours?|j|semaines?|sem|mois|ans?|annees?)\b")
#: An age is no duration of care: "notre fils de 7 ans", "âgée de 82 ans", "elle a 12 ans"
#: (but "il a 2 ans de traitement", "elle a 2 ans de rééducation" are durations).
_AGE_RE = re.compile(
    r"\b(?:(?:fils|fille|enfant|garcon|bebe|mere|pere|maman|papa|mari|femme|frere|soeur|"
    r"petite?-?fille|petit-?fils|ado|adolescente?|homme|dame|monsieur)\s+(?:de|d')\s*"
    r"|agee?s?\s+de\s+|(?:j'ai|il a|elle a|qui a|on a)\s+)"
    rf"{_AMOUNT}\s*ans\b(?!\s+(?:de\s|d'))"
)
_BARE_UNIT_RE = re.compile(r"\b(?:des|plusieurs|de nombreuses|quelques) (annees|ans|mois|semaines|jours)\b")
_LIFELONG_RE = re.compile(
    r"\b(?:toute (?:ma|sa|la|leur|votre) vie|a vie|pour la vie|pour toujours|toujours|"
    r"definitivement|a jamais|jusqu'a la fin|chronique|incurable|ne se guerit pas|"
    r"on ne guerit pas|longtemps|tres longtemps|indefiniment|sans fin|a long terme|"
    r"de longue duree|permanent|permanente|a perpetuite)\b"
)
_SHORT_RE = re.compile(
    r"\b(?:pas longtemps|peu de temps|quelques jours|court|courte|"
    r"temporaire|passager|passagere|juste un moment)\b"
)


def duration_months(text: str) -> Optional[float]:
    """How many months of care an answer states ("au moins 8 mois" → 8, "2 ans" → 24, "des
    années" → 24, "toute ma vie" → LIFELONG_MONTHS, "quelques semaines" → 0.75), or None."""
    folded = _AGE_RE.sub(" ", fold(text))
    if not words(folded):
        return None
    if _SHORT_RE.search(folded):
        found = _DURATION_RE.search(folded)
        return _amount(found) if found else 0.25
    found = _DURATION_RE.search(folded)
    if found:
        return _amount(found)
    bare = _BARE_UNIT_RE.search(folded)
    if bare:
        unit = bare.group(1)
        return 2 * _UNIT_MONTHS[unit] if unit in ("annees", "ans") else 3 * _UNIT_MONTHS[unit]
    if _LIFELONG_RE.search(folded):
        return float(LIFELONG_MONTHS)
    return None


def _amount(match: re.Match[str]) -> float:
    raw, unit = match.group(1), match.group(2)
    number = NUMBER_WORDS.get(raw)
    value = float(number) if number is not None else float(raw.replace(",", "."))
    return value * _UNIT_MONTHS[unit]
