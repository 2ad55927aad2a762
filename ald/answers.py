"""Reading the user's own answers to the bot's questions (yes / no), whatever the spelling."""
from __future__ import annotations

from typing import Optional

from ald.text import words

YES = frozenset({
    "oui", "ouais", "ouai", "o", "yes", "yep", "exact", "exactement", "oui oui", "bien sur",
    "tout a fait", "affirmatif", "c'est ca", "oui c'est ca", "vrai", "si", "d'accord", "ok"})
NO = frozenset({
    "non", "nan", "no", "nope", "pas du tout", "absolument pas", "non non", "faux", "jamais",
    "pas vraiment", "aucun", "aucune"})


def yes_no_from_text(text: str) -> Optional[bool]:
    """True for a yes, False for a no, None when the text is neither."""
    folded = words(text)
    if folded in YES:
        return True
    if folded in NO or folded.startswith("non "):
        return False
    return None
