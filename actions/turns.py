"""The events of one turn of the conversation (Rasa's tracker events as the action server
receives them: plain dicts). The memory, the forms and the feedback ask what happened in the
turn being handled, or in the one before; they all read it here."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker


def turn_events(tracker: Tracker, back: int = 0) -> List[Dict[str, Any]]:
    """The events after a user message, in order: `back`=0 those since the latest user
    message; 1 those between the previous user message and the latest one."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    if len(users) <= back:
        return []
    start = users[-1 - back] + 1
    end = users[-back] if back else len(tracker.events)
    return list(tracker.events[start:end])


def slot_events(events: List[Dict[str, Any]], *names: str) -> List[Dict[str, Any]]:
    """The slot events of `events` (of these slots only, when names are given)."""
    return [e for e in events if e.get("event") == "slot" and (not names or e.get("name") in names)]


def bot_actions(events: List[Dict[str, Any]]) -> List[str]:
    """The responses the bot sent in `events` (their utter_action; "" when unknown)."""
    return [
        str((e.get("metadata") or {}).get("utter_action") or "") for e in events if e.get("event") == "bot"
    ]


#: Bot messages that come after an answer without being one (the rating offer and its replies).
_AROUND_AN_ANSWER = ("utter_feedback",)


def last_answer(tracker: Tracker) -> str:
    """The utter_action of the bot's last answer, looking past the rating offer and the
    rating's reply ("" when the last answer was not a response the bot named)."""
    for event in reversed(tracker.events):
        if event.get("event") != "bot":
            continue
        said = str((event.get("metadata") or {}).get("utter_action") or "")
        if not said.startswith(_AROUND_AN_ANSWER):
            return said
    return ""


def previous_user_text(tracker: Tracker) -> str:
    """The user's message before the latest one ("" if none)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return str(users[-2].get("text") or "") if len(users) > 1 else ""
