"""Safety net of the NLU: recognises suicidal thoughts, medical emergencies and requests for
medical advice in a message with the patterns of content/safety_signals.yml, so that the NLU
gate (components/guard.py) can force the safety answer (3114, 15 / 112, or "no advice: see
your médecin or pharmacien") when the classifier missed it. Pure Python, no Rasa import.

Source: FACTS.md, "Contacts" (3114 for suicidal thoughts, 15 / 112 for an emergency) and the
design brief's "Safety first" rule (never advise on a treatment). The phone numbers
themselves live in figures.yml.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Dict, List, Optional, Pattern

from ald.content import content_file, load_yaml
from ald.text import fold

SIGNALS_FILE = content_file("safety_signals.yml")
SUICIDAL = "suicidal_thoughts"
EMERGENCY = "emergency"
MEDICAL_ADVICE = "medical_advice"
# Suicidal thoughts first: "j'ai pris trop de cachets, je veux mourir" gets 3114 and 15; the
# emergency before the advice: "il a pris trop de comprimés, quelle dose est dangereuse ?"
# gets 15 / 112.
ORDER = (SUICIDAL, EMERGENCY, MEDICAL_ADVICE)


@cache
def _patterns(path: str = str(SIGNALS_FILE)) -> Dict[str, List[Pattern[str]]]:
    raw = load_yaml(path)
    missing = [name for name in ORDER if not raw.get(name)]
    if missing:
        raise ValueError(f"{path}: no patterns for {', '.join(missing)}")
    return {name: [re.compile(p) for p in raw[name]] for name in ORDER}


def safety_signal(text: str, path: Optional[str] = None) -> Optional[str]:
    """`"suicidal_thoughts"`, `"emergency"`, `"medical_advice"` or None for a user message."""
    plain = fold(text)
    if not plain:
        return None
    patterns = _patterns(path) if path else _patterns()
    for name in ORDER:
        if any(p.search(plain) for p in patterns[name]):
            return name
    return None
