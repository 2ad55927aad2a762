"""Checking the action server's responses without re-reading their schema every time.

Rasa 3.6 checks each response of the action server against its JSON schema with
`jsonschema.validate` (`RemoteAction._validate_action_result`), which first checks the schema
itself against the JSON Schema meta-schema and builds a new validator, then tries every event
against the 23 event kinds of a `oneOf`. Under 16 conversations at once, py-spy found the Rasa
server spending 40 % of its time there (docs/benchmarks.md): about 50 ms per response.

Here the same schema is read once per process, and each event is checked against the one kind
its `event` field names (each kind of the `oneOf` requires its own constant `event`, so that kind
is the only one that can match: the result is the same as the `oneOf`'s). A response found
invalid is checked again by Rasa's own code, so the error and its message are Rasa's.

`install()` is called where components/resilience.py's is (the tracker store, which every
Rasa server loads); tests/components/test_action_response.py checks it accepts and refuses what
Rasa's check does."""

from __future__ import annotations

import copy
from typing import Any, Callable, Dict, Optional

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_ORIGINAL: Dict[str, Callable[..., bool]] = {}


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


def install() -> None:
    """Replace Rasa's check (once per process)."""
    if _ORIGINAL:
        return
    _ORIGINAL["validate"] = RemoteAction._validate_action_result
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
