"""What the actions share: reading the user's answers (dates, yes/no, optional booleans), the
form validator base, and the phrase pieces of content/phrases.yml.

Reading stays thin: the parsing itself is ald's (ald.dates, ald.answers, ald.clock)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date
from typing import Any, Dict, Optional, Tuple

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.table import SlotSpec, slot_spec
from ald import answers, clock, dates, figures
from ald.content import load_content
from ald.dates import MustBe, Prefer, format_date_fr

# --------------------------------------------------------------------------- wording


def phrase(group: str, code: str) -> str:
    """A phrase piece of content/phrases.yml, figures filled in ('' for an unknown code)."""
    text = str((load_content("phrases.yml").get(group) or {}).get(code, ""))
    return fill_figures(text)


def fill_figures(text: str) -> str:
    """Fills the {fig_...} placeholders of a phrase from figures.yml."""
    for key, value in figures.figure_values().items():
        text = text.replace("{fig_" + key + "}", str(value))
    return text


# --------------------------------------------------------------------------- reading answers


def yes_no(tracker: Tracker, value: Any) -> Optional[bool]:
    """Reads a yes/no answer from the latest intent, or the text itself."""
    if isinstance(value, bool):
        return value
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return answers.yes_no_from_text(str(value or ""))


def optional_bool(tracker: Tracker, slot: str) -> Optional[bool]:
    """A yes/no slot for a rule: True or False once answered, None while unknown."""
    value = tracker.get_slot(slot)
    return value if isinstance(value, bool) else None


def resolve_date(value: Any, prefer: Prefer,
                 must_be: MustBe) -> Tuple[Optional[date], Optional[str], Dict[str, str]]:
    """A slot value (a date entity's text, or a whole answer) → (date, error response, kwargs).

    `prefer`: how to complete a date without a year ("past" or "future").
    `must_be`: which side of today the date must be on ("past", "future" or "any")."""
    text = str(value or "").strip()
    if not text:
        return None, "utter_date_unparsed", {}
    if isinstance(value, str) and len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:  # already validated (ISO)
            return date.fromisoformat(text), None, {}
        except ValueError:
            pass
    today = clock.today()
    spans = dates.find_dates(text)
    candidates = [s.text for s in spans] or [text]
    parsed = dates.parse_date_fr(candidates[0], today, prefer)
    if parsed.value is None:
        return None, f"utter_date_{parsed.error or 'unparsed'}", {}
    side = dates.check_side(parsed.value, today, must_be)
    if side != "ok":
        return None, f"utter_date_{side}", {"date": format_date_fr(parsed.value)}
    return parsed.value, None, {}


def slot_date(tracker: Tracker, slot: str) -> date:
    """The date a validator stored (ISO) in `slot`."""
    return date.fromisoformat(tracker.get_slot(slot))


# --------------------------------------------------------------------------- validator base


class FormValidator(FormValidationAction, ABC):
    """Base of the form validators. Each `validate_<slot>` reads the answer with one of these
    readers; when it cannot, the reader sends the error response and leaves the slot empty, so
    the form asks again."""

    @abstractmethod
    def name(self) -> str:
        """validate_<form>. Abstract: rasa_sdk's executor registers every subclass of Action
        that is not abstract, and this base has no action name of its own."""

    def date_slot(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
        """A date slot, read as dialogue/forms.yml says for this form (its prefer / must_be)."""
        return self.read_date(slot_spec(self.form_name(), slot), value, dispatcher)

    def read_date(self, slot: SlotSpec, value: Any, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
        """A date slot read as `slot` says: {name: ISO date}, or {name: None} and the error."""
        when, error, kwargs = resolve_date(value, slot.prefer, slot.must_be)
        if when is None:
            return self.reject(dispatcher, slot.name, response=error or "utter_date_unparsed", **kwargs)
        return {slot.name: when.isoformat()}

    def yes_no_slot(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                    tracker: Tracker) -> Dict[str, Any]:
        """A yes/no slot: True, False, or None (and the error response) when neither."""
        answer = yes_no(tracker, value)
        if answer is None:
            return self.reject(dispatcher, slot, response="utter_yes_no_unknown")
        return {slot: answer}

    @staticmethod
    def reject(dispatcher: CollectingDispatcher, slot: str, response: str, **kwargs: Any) -> Dict[str, Any]:
        """Says why the answer was not taken (an utter_* response) and empties the slot."""
        dispatcher.utter_message(response=response, **kwargs)
        return {slot: None}
