"""The one clock of the assistant: "today" and "now" in Europe/Paris, pinned by ALD_TODAY /
ALD_NOW (ISO) for demos and tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional
from zoneinfo import ZoneInfo

from ald import settings

PARIS = ZoneInfo("Europe/Paris")


def today_paris(now: Optional[datetime] = None) -> date:
    """The date in Europe/Paris at `now` (default: the clock). A naive `now` is Paris time."""
    if now is None:
        now = datetime.now(PARIS)
    if now.tzinfo is None:
        return now.date()
    return now.astimezone(PARIS).date()


def today() -> date:
    """Today in Europe/Paris; ALD_TODAY=YYYY-MM-DD pins it."""
    pinned = settings.from_environment("ALD_TODAY")
    return date.fromisoformat(pinned) if pinned else today_paris()


def now() -> datetime:
    """Now in Europe/Paris; ALD_NOW=ISO datetime pins it."""
    pinned = settings.from_environment("ALD_NOW")
    return datetime.fromisoformat(pinned) if pinned else datetime.now(PARIS)
