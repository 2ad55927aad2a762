"""The answer given when a part the assistant needs is down (the action server, PostgreSQL,
Redis): a short apology with the helpline number, chosen by the message's intent so that an
emergency or distress message still gets its numbers. The texts are content/phrases.yml's
`outage` group, read again when the file changes; components/resilience.py sends them."""

from __future__ import annotations

from typing import Optional

from ald.content import load_content
from ald.figures import fill_figures

GROUP = "outage"


def apology(intent: Optional[str] = None) -> str:
    """The apology for a message of `intent` (None: not understood, or not known)."""
    texts = load_content("phrases.yml").get(GROUP) or {}
    text = texts.get(intent or "") or texts.get("default")
    if not text:
        raise KeyError(f"content/phrases.yml has no '{GROUP}: default' text")
    return fill_figures(str(text))
