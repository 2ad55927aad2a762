"""Fixtures shared by the tests: a Rasa tracker built from a few fields, the domain as the
action server receives it, a dispatcher, running an action, and the pinned clock.

Rasa is imported inside the fixtures only, so that the tests of ald/ do not wait for it."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from ald import settings

Message = Dict[str, Any]


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: str = "inform",
    entities: Optional[List[Dict[str, Any]]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    parse_extra: Optional[Dict[str, Any]] = None,
    active_loop: Optional[str] = None,
) -> Tracker:
    """A tracker as the action server builds it (Tracker.from_dict): the slots, the latest
    message (text, intent, entities, and any other parse data such as response_selector) and
    the past events; `active_loop`: the form being filled."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": list(entities or []),
        **(parse_extra or {}),
    }
    return Tracker.from_dict(
        {
            "sender_id": "test-user",
            "slots": dict(slots or {}),
            "latest_message": latest,
            "events": list(events or []),
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )


@pytest.fixture
def tracker() -> Callable[..., Tracker]:
    """make_tracker: `tracker({"sent_date": "2026-01-10"}, text="...", intent="affirm")`."""
    return make_tracker


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The domain loaded by Rasa, as the dict it sends to the action server."""
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():
        # Rasa 3.x says this on every load, whatever the domain.
        warnings.filterwarnings("ignore", message="Slot auto-fill has been removed")
        loaded = Domain.load(str(settings.path("DOMAIN")))
    return loaded.as_dict()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@dataclass
class Ran:
    """What an action did: the messages it sent and the events it returned."""

    messages: List[Message]
    events: List[Dict[str, Any]]

    @property
    def answer(self) -> List[Message]:
        """The messages sent, without the feedback offer that follows an answer (its own tests:
        tests/actions/test_feedback.py)."""
        return [m for m in self.messages if m.get("response") != "utter_feedback_offer"]

    @property
    def message(self) -> Message:
        """The one message sent besides the feedback offer (fails if there is not exactly one)."""
        assert len(self.answer) == 1, self.messages
        return self.answer[0]


@pytest.fixture
def run(domain: Dict[str, Any]) -> Callable[[Action, Tracker], Awaitable[Ran]]:
    """`await run(action, tracker)`: runs the action with a fresh dispatcher and the domain."""

    async def run_action(action: Action, tracker: Tracker) -> Ran:
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, tracker, domain)
        return Ran(dispatcher.messages, events)

    return run_action


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """`today("2026-11-23")` pins ald.clock.today() (ALD_TODAY)."""

    def set_today(iso: str) -> None:
        monkeypatch.setenv("ALD_TODAY", iso)

    return set_today


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """`now("2026-11-23T15:00:00+01:00")` pins ald.clock.now() (ALD_NOW)."""

    def set_now(iso: str) -> None:
        monkeypatch.setenv("ALD_NOW", iso)

    return set_now
