"""components/speedups.py: the same results as the Rasa functions it replaces."""

from __future__ import annotations

import inspect
from typing import Any, Dict, List

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from components import speedups

speedups.install()
ORIGINAL = speedups._ORIGINAL["validate"]
ACTION = RemoteAction("action_faq", EndpointConfig("http://127.0.0.1:1/webhook"))

EVENTS = [
    SlotSet("disease", "diabète").as_dict(),
    SlotSet("dates", {"sent": "2026-01-10"}).as_dict(),
    BotUttered("Bonjour", {"buttons": [{"title": "Oui", "payload": "/affirm"}]}).as_dict(),
    FollowupAction("coverage_form").as_dict(),
    ActiveLoop("coverage_form").as_dict(),
    ActiveLoop(None).as_dict(),
    ActionExecuted("action_listen").as_dict(),
    AllSlotsReset().as_dict(),
    Restarted().as_dict(),
    SessionStarted().as_dict(),
    UserUttered("bonjour", {"name": "greet", "confidence": 0.9}).as_dict(),
]

VALID: List[Dict[str, Any]] = [
    {"events": [], "responses": []},
    {},
    {"events": EVENTS, "responses": [{"text": "x", "buttons": [{"title": "a", "payload": "/b"}]}]},
    {"events": [{"event": "slot", "name": "feedback", "value": None, "timestamp": None}]},
    # Looser than one might think, but what Rasa accepts.
    {"events": [{"event": "followup"}]},
    {"events": [{"event": "bot", "text": 7}]},
    {"events": EVENTS + [{"event": "active_loop", "name": 5}]},
]

INVALID: List[Any] = [
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "disease", "value": "x"}]},  # no kind
    {"events": [{"event": "slot", "value": "x"}]},  # a slot event needs its name
    {"events": [{"event": "slot", "name": 3, "value": "x"}]},
    {"events": ["slot"]},
    {"events": {"event": "slot", "name": "x"}},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "hier"}]},
    {"events": EVENTS + [{"event": "user", "text": 5}]},
    {"responses": "Bonjour"},
]


def rasa_accepts(result: Any) -> bool:
    try:
        return ORIGINAL(ACTION, result)
    except ValidationError:
        return False


def test_rasa_still_checks_responses_with_this_method() -> None:
    assert list(inspect.signature(ORIGINAL).parameters) == ["self", "result"]
    assert RemoteAction._validate_action_result is speedups._validate_action_result
    speedups.install()  # twice: replaced once
    assert speedups._ORIGINAL["validate"] is ORIGINAL


@pytest.mark.parametrize("result", VALID)
def test_what_rasa_accepts_is_accepted(result: Dict[str, Any]) -> None:
    assert rasa_accepts(result)
    assert speedups.checker().is_valid(result)
    assert ACTION._validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID)
def test_what_rasa_refuses_is_refused_with_rasas_error(result: Any) -> None:
    assert not rasa_accepts(result)
    assert not speedups.checker().is_valid(result)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        ACTION._validate_action_result(result)


def test_every_event_kind_of_the_schema_is_known_once() -> None:
    schema = RemoteAction.action_response_format_spec()
    kinds = [k["properties"]["event"]["const"] for k in schema["properties"]["events"]["items"]["oneOf"]]
    assert sorted(kinds) == sorted(speedups.checker()._by_kind)


# ------------------------------------------------------------------ event classes by name


def test_every_event_name_resolves_to_rasas_class() -> None:
    original = speedups._ORIGINAL["resolve_by_type"]
    assert Event.resolve_by_type is speedups._resolve_by_type
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "slot", "action", "active_loop", "followup", "session_started"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is original(name), name


def test_unknown_names_get_rasas_answer() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_a_class_imported_later_is_found() -> None:
    class LateEvent(Event):
        type_name = "ald_late_event_for_test"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, LateEvent)

        def as_story_string(self) -> str:
            return "late"

    assert Event.resolve_by_type("ald_late_event_for_test") is LateEvent


def test_events_still_deserialise_as_before() -> None:
    for data in EVENTS:
        event = Event.from_parameters(data)
        assert type(event).type_name == data["event"]
        assert event.as_dict() == data
