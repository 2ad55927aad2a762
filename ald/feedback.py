"""The patient's rating of an answer ("did it help?"): read from a button's payload or from
words, and recorded with the topic it rates. Pure Python (no Rasa import): used by
actions/feedback.py and read back by tools/review.py.

The words that make a rating "not helpful" are content (content/feedback.yml)."""

from __future__ import annotations

import re
from typing import Any, Dict, Optional

from ald.content import load_content
from ald.text import fold

#: The value of the `helpful` entity of the buttons' payloads (/feedback{"helpful":"yes"}).
YES, NO = "yes", "no"


def helpful_from_words(text: str) -> bool:
    """A message of the `feedback` intent typed in words: False when it says the answer did not
    help ("pas utile", "ça ne m'aide pas", "inutile", "bof"), True otherwise ("ça m'a aidé",
    "pas mal, merci"). The phrases: content/feedback.yml."""
    folded = fold(text)
    patterns = load_content("feedback.yml").get("not_helpful") or []
    return not any(re.search(str(p), folded) for p in patterns)


def read_helpful(entity: Optional[str], text: str) -> bool:
    """The rating of a feedback message: the button's `helpful` value when there is one, else
    the words."""
    if entity in (YES, NO):
        return entity == YES
    return helpful_from_words(text)


def rating(helpful: bool, topic: Optional[str]) -> Dict[str, Any]:
    """The value stored with the conversation (the `feedback` slot): what tools/review.py reads."""
    return {"helpful": helpful, "topic": topic}
