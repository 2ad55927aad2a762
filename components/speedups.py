"""Two Rasa 3.6 functions that redo start-up work on every message, done once instead.

Found by profiling the Rasa server under 16 conversations at once (docs/benchmarks.md); each
replacement gives the same results as Rasa's function (tests/components/test_speedups.py):

1. **Checking the action server's responses** (`RemoteAction._validate_action_result`). Rasa
   calls `jsonschema.validate`, which first checks the schema itself against the JSON Schema
   meta-schema and builds a new validator, then tries every event against the 23 event kinds
   of a `oneOf`: about 50 ms per response, 40 % of the server's time under load. Here the
   schema is read once per process, and each event is checked against the one kind its
   `event` field names (each kind of the `oneOf` requires its own constant `event`, so it is
   the only one that can match: the verdict is the `oneOf`'s). A response found invalid is
   checked again by Rasa's code, so the error and its message are Rasa's.
2. **Finding an event's class from its name** (`Event.resolve_by_type`), once per event each
   time a conversation is loaded from the tracker store or events come back from the action
   server. Rasa walks the whole tree of `Event` subclasses (with `inspect.isabstract` on each)
   for every event: three quarters of the time to load a conversation. Here the names are
   mapped to their classes once, and again only if a name is not found (a class imported
   later).

`install()` is called where components/resilience.py's is (the tracker store and the lock
store of endpoints*.yml, which every Rasa server loads)."""

from __future__ import annotations

import copy
from typing import Any, Callable, Dict, Optional, Type

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_ORIGINAL: Dict[str, Callable[..., Any]] = {}


# ------------------------------------------------------------------ action server responses


class ResponseChecker:
    """Rasa's action response schema, split by event kind, each part built once."""

    def __init__(self, schema: Dict[str, Any]) -> None:
        schema = copy.deepcopy(schema)
        cls = validator_for(schema)
        cls.check_schema(schema)
        items = schema["properties"]["events"]["items"]
        kinds = items.pop("oneOf")
        self._by_kind: Dict[str, Any] = {}
        for kind in kinds:
            name = kind["properties"]["event"]["const"]
            if name in self._by_kind:
                raise ValueError(f"two event kinds named {name!r}: the split would not be the oneOf")
            self._by_kind[name] = cls(kind)
        # Without the oneOf: the response's shape and what every event has in common.
        self._common = cls(schema)

    def is_valid(self, result: Any) -> bool:
        if not self._common.is_valid(result):
            return False
        events = result.get("events") if isinstance(result, dict) else None
        for event in events or ():
            kind = self._by_kind.get(event.get("event"))
            if kind is None or not kind.is_valid(event):
                return False
        return True


_CHECKER: Optional[ResponseChecker] = None


def checker() -> ResponseChecker:
    global _CHECKER
    if _CHECKER is None:
        _CHECKER = ResponseChecker(RemoteAction.action_response_format_spec())
    return _CHECKER


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    if checker().is_valid(result):
        return True
    return _ORIGINAL["validate"](self, result)  # raises Rasa's ValidationError, with its message


# ------------------------------------------------------------------ event classes by name

_EVENT_CLASSES: Dict[str, Type[Event]] = {}


def _map_event_classes() -> None:
    found: Dict[str, Type[Event]] = {}
    for cls in all_subclasses(Event):
        found.setdefault(cls.type_name, cls)  # the first one, as Rasa's loop returns
    _EVENT_CLASSES.clear()
    _EVENT_CLASSES.update(found)


def _resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    cls = _EVENT_CLASSES.get(type_name)
    if cls is None:
        _map_event_classes()
        cls = _EVENT_CLASSES.get(type_name)
    if cls is not None:
        return cls
    return _ORIGINAL["resolve_by_type"](type_name, default)  # Rasa's answer for unknown names


def install() -> None:
    """Replace Rasa's functions (once per process)."""
    if _ORIGINAL:
        return
    _ORIGINAL["validate"] = RemoteAction._validate_action_result
    _ORIGINAL["resolve_by_type"] = Event.resolve_by_type
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
