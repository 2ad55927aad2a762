"""Safety net of the NLU: recognises suicidal thoughts, medical emergencies and requests for
medical advice in a message with the patterns of content/safety_signals.yml, so that the NLU
gate (components/guard.py) can force the safety answer (3114, 15 / 112, or "no advice: see
your médecin or pharmacien") when the classifier missed it. Pure Python, no Rasa import.

An emergency told as a past event or asked about ("ma mère a fait un infarctus en mars, elle a
droit au 100 % ?") is not one now: the file's `emergency_not_now` says when a match of an
emergency pattern is set aside (the message is then left to the classifier). So is a lasting
sequel of a past event told in the present ("il a fait un AVC cet été, il est paralysé d'un côté
maintenant", "elle a la bouche de travers depuis son AVC de l'an dernier"), but only the sequel
itself: an acute sign told next to it ("il est paralysé et a du mal à respirer aujourd'hui"), or
a sign since an undated event ("la bouche de travers depuis son opération") is not. An emergency
said in the present, and suicidal words, are never set aside.

Source: FACTS.md, "Contacts" (3114 for suicidal thoughts, 15 / 112 for an emergency) and the
design brief's "Safety first" rule (never advise on a treatment). The phone numbers
themselves live in figures.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Dict, List, Match, Optional, Pattern, Tuple

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
NOT_NOW = "emergency_not_now"
NOT_NOW_LISTS = ("told", "past_time", "event", "ald_question", "right_now", "lasting")
# The group of a `lasting` pattern that names the sequel itself ("paralysé", "la bouche").
LASTING_SIGN = "sign"


@dataclass(frozen=True)
class NotNow:
    """`emergency_not_now` of the signals file (see there): the lists of patterns."""

    told: Tuple[Pattern[str], ...] = ()
    past_time: Tuple[Pattern[str], ...] = ()
    event: Tuple[Pattern[str], ...] = ()
    ald_question: Tuple[Pattern[str], ...] = ()
    right_now: Tuple[Pattern[str], ...] = ()
    lasting: Tuple[Pattern[str], ...] = ()

    def sets_aside(self, plain: str, match: Match[str]) -> bool:
        """Whether this match of an emergency pattern in `plain` (folded) is told as past,
        hypothetical or a risk, or is the sign of a lasting sequel, and then dated in the past
        or asked about for the ALD, with no word putting it now."""
        start, end = match.span()
        # Each lasting sequel: its whole span and the span of its `sign` group.
        lasting = [
            (found.span(), found.span(LASTING_SIGN))
            for pattern in self.lasting
            for found in pattern.finditer(plain)
        ]
        # Only the sequel itself is set aside: an acute sign caught inside a lasting span
        # ("paralysé et il s'étouffe maintenant") is not a sequel.
        told = any(
            found.start() < start <= found.end() + 1
            for pattern in self.told
            for found in pattern.finditer(plain)
        ) or any(_overlap((start, end), sign) for _, sign in lasting)
        if not told:
            return False
        # "Maintenant" in "il est paralysé d'un côté maintenant" tells a state, not the moment:
        # ignored for the sequel and for an event told elsewhere in the message, but never for
        # another match inside that sequel's span.
        if any(
            not any(
                left <= found.start()
                and found.end() <= right
                and (_overlap((start, end), sign) or not _overlap((start, end), (left, right)))
                for (left, right), sign in lasting
            )
            for pattern in self.right_now
            for found in pattern.finditer(plain)
        ):
            return False
        # A dated past ("il y a 2 ans", "en mars", "depuis son AVC de 2019"): not now. "Depuis une heure"
        # or "après une dispute" date nothing (past_time asks for a disease event after "depuis").
        if any(p.search(plain) for p in self.past_time):
            return True
        named_event = any(p.search(match.group(0)) for p in self.event)
        return named_event and any(p.search(plain) for p in self.ald_question)


def _overlap(one: Tuple[int, int], other: Tuple[int, int]) -> bool:
    """Whether two spans (start, end) share at least one character."""
    return one[0] < other[1] and other[0] < one[1]


@dataclass(frozen=True)
class Signals:
    patterns: Dict[str, List[Pattern[str]]]
    not_now: NotNow


def _compiled(raw: Any, where: str) -> Tuple[Pattern[str], ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise ValueError(f"{where}: a list of patterns is expected")
    return tuple(re.compile(p) for p in raw)


@cache
def _signals(path: str = str(SIGNALS_FILE)) -> Signals:
    raw = load_yaml(path)
    missing = [name for name in ORDER if not raw.get(name)]
    if missing:
        raise ValueError(f"{path}: no patterns for {', '.join(missing)}")
    patterns = {name: list(_compiled(raw[name], f"{path}, {name}")) for name in ORDER}
    not_now_raw = raw.get(NOT_NOW) or {}
    if not isinstance(not_now_raw, dict) or set(not_now_raw) - set(NOT_NOW_LISTS):
        raise ValueError(f"{path}, {NOT_NOW}: a mapping of {', '.join(NOT_NOW_LISTS)} is expected")
    not_now = NotNow(
        **{name: _compiled(not_now_raw[name], f"{path}, {NOT_NOW}.{name}") for name in not_now_raw}
    )
    unsigned = [p.pattern for p in not_now.lasting if LASTING_SIGN not in p.groupindex]
    if unsigned:
        raise ValueError(f"{path}, {NOT_NOW}.lasting: no (?P<{LASTING_SIGN}>...) group in {unsigned[0]!r}")
    return Signals(patterns, not_now)


def _matches(plain: str, name: str, signals: Signals) -> bool:
    for pattern in signals.patterns[name]:
        for match in pattern.finditer(plain):
            if name != EMERGENCY or not signals.not_now.sets_aside(plain, match):
                return True
    return False


def safety_signal(text: str, path: Optional[str] = None) -> Optional[str]:
    """`"suicidal_thoughts"`, `"emergency"`, `"medical_advice"` or None for a user message."""
    plain = fold(text)
    if not plain:
        return None
    signals = _signals(path) if path else _signals()
    for name in ORDER:
        if _matches(plain, name, signals):
            return name
    return None
