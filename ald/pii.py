"""Masking of personal identifiers typed by users: French social security numbers (NIR),
e-mail addresses and French phone numbers. Pure Python (no Rasa import): used by the NLU
input guard (components/guard.py), by the tracker store before anything is saved
(components/tracker_store.py) and by the log redaction.

Deliberately NOT masked: short service numbers ("36 46", "3114", "15", "112"), dates
("15/12/2025", "31 05 2027"), "ALD 30", amounts ("1 500 €"). A NIR needs 13 or 15
characters, a phone number 10 digits (or +33 / 0033 and 9 digits), so none of those match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, List, Tuple

NIR_PLACEHOLDER = "[numéro masqué]"
EMAIL_PLACEHOLDER = "[e-mail masqué]"
PHONE_PLACEHOLDER = "[téléphone masqué]"

PLACEHOLDERS = {"nir": NIR_PLACEHOLDER, "email": EMAIL_PLACEHOLDER, "phone": PHONE_PLACEHOLDER}

# One optional separator between any two characters of a NIR: users group the digits as
# they like ("1 85 05 78 006 084 36", "185 05 78006084 36", "1.85.05.78.006.084.36").
_S = r"[ .\-]?"
_NIR = re.compile(
    r"(?<![0-9])"
    r"[1-478]"  # sex (3, 4, 7, 8: temporary numbers)
    rf"{_S}[0-9]{_S}[0-9]"  # year of birth
    rf"{_S}(?:0{_S}[1-9]|1{_S}[0-2]|[2-9]{_S}[0-9])"  # month (20-99: unknown month)
    rf"{_S}(?:[0-9]{_S}[0-9]|2{_S}[ABab])"  # department, Corsica 2A / 2B
    rf"(?:{_S}[0-9]){{6}}"  # commune (3) + order number (3)
    rf"(?:{_S}[0-9]{_S}[0-9])?"  # control key (optional)
    r"(?![0-9])"
)

# local@domain.tld, accented letters allowed; tolerates one space around "@". The local part
# must start after a non-e-mail character, which keeps the search linear on long texts.
_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]+ ?@ ?[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,24}\b",
    re.UNICODE,
)

# French numbers: 0X XX XX XX XX, or +33 / 0033 (optionally "(0)") then 9 digits. The
# separator between pairs must be the same all along ("06 12 34 56 78", "06.12.34.56.78",
# "0612345678"), so that a date followed by a number ("01.02.2025 10") is not taken.
_PHONE = re.compile(
    r"(?<![0-9+])"
    r"(?:"
    r"(?:\+|00) ?33 ?(?:\(0\) ?)?[1-9](?P<s1>[ .\-]?)[0-9]{2}(?:(?P=s1)[0-9]{2}){3}"
    r"|"
    r"0[1-9](?P<s2>[ .\-]?)[0-9]{2}(?:(?P=s2)[0-9]{2}){3}"
    r")"
    r"(?![0-9])"
)

# Order matters: an e-mail can hold digits, a NIR is longer than a phone number.
_PATTERNS: Tuple[Tuple[str, re.Pattern[str]], ...] = (
    ("email", _EMAIL),
    ("nir", _NIR),
    ("phone", _PHONE),
)


@dataclass
class MaskResult:
    text: str
    masked: List[str] = field(default_factory=list)  # kinds found, in order, no repeats


def mask(text: str) -> MaskResult:
    """Replace every NIR, e-mail address and phone number in `text` by a placeholder."""
    found: List[str] = []
    if not text:
        return MaskResult(text or "", found)
    for kind, pattern in _PATTERNS:
        text, n = pattern.subn(PLACEHOLDERS[kind], text)
        if n and kind not in found:
            found.append(kind)
    return MaskResult(text, found)


def mask_text(text: str) -> str:
    """`mask(text).text`."""
    return mask(text).text


def mask_value(value: Any) -> Any:
    """Mask every string inside `value` (str, list, tuple, dict values), recursively."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_value(v) for v in value)
    return value
