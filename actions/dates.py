"""The date questions: when will the caisse answer, when to renew, until when the derogatory
100 % lasts (single-date forms, built from dialogue/forms.yml), when the exoneration ends and
which care is covered retroactively (forms with their own logic).

A single-date form is one row of the table: its date slot (`prefer` / `must_be`), the ald
`rule` called with (date, today), and the `response` prefix: the answer is
`<response>_<result.status>`, with the slot's date as `date_name` and the result's dates
(in French) and `days_left` as variables. Its actions, validate_<form> and the `answer`
action, are made here for each row; adding a single-date question is one row of the table,
its responses in the domain, and its tests."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any, Dict, List, Tuple, Type

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import FormAnswer, FormValidator, phrase, slot_date
from actions.table import DateForm, date_forms
from ald import ald_list, clock, delays
from ald.dates import find_dates, format_date_fr

# --------------------------------------------------------------------------- single-date forms


def answer_variables(form: DateForm, when: date, result: Any) -> Dict[str, str]:
    """The response variables of a single-date answer: the slot's date as `date_name`, the
    result's dates in French, `days_left` never negative (the responses say "il reste N jours")."""
    variables: Dict[str, str] = {}
    for field in fields(result):
        value = getattr(result, field.name)
        if isinstance(value, date):
            variables[field.name] = format_date_fr(value)
        elif field.name == "days_left":
            variables[field.name] = str(max(value, 0))
    variables[form.date_name] = format_date_fr(when)
    return variables


def answer_date_form(form: DateForm, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Calls the form's rule with (the slot's date, today) and sends `<response>_<status>`."""
    when = slot_date(tracker, form.slot.name)
    result = form.rule(when, clock.today())
    dispatcher.utter_message(
        response=f"{form.response}_{result.status}", **answer_variables(form, when, result)
    )
    return []


def _camel(action_name: str) -> str:
    """validate_decision_form → ValidateDecisionForm (the class name in logs and reprs)."""
    return "".join(part.capitalize() for part in action_name.split("_"))


def _named(cls: type, action_name: str) -> None:
    cls.__name__ = cls.__qualname__ = _camel(action_name)


def date_form_actions(form: DateForm) -> Tuple[Type[FormValidator], Type[FormAnswer]]:
    """validate_<form> and the answer action of one single-date form."""

    class Validator(FormValidator):
        __doc__ = f"Reads {form.slot.name} ({form.slot.prefer}, {form.slot.must_be}) for {form.name}."

        def name(self) -> str:
            return f"validate_{form.name}"

    def validate_date(
        self: FormValidator,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        return self.read_date(form.slot, value, dispatcher, tracker)

    # rasa_sdk's FormValidationAction looks the validator up by this name.
    setattr(Validator, f"validate_{form.slot.name}", validate_date)
    _named(Validator, f"validate_{form.name}")

    class Answer(FormAnswer):
        __doc__ = f"Answers {form.name} with ald.{form.form.rule} (responses {form.response}_*)."
        topic = form.name

        def name(self) -> str:
            return form.answer

        def can_answer(self, tracker: Tracker) -> bool:
            return tracker.get_slot(form.slot.name) is not None

        def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
            return answer_date_form(form, dispatcher, tracker)

    _named(Answer, form.answer)
    return Validator, Answer


# Held here: rasa_sdk finds actions through Action.__subclasses__(), which keeps only weak
# references, so these classes made at run time must stay referenced.
DATE_FORM_ACTIONS: Dict[str, Tuple[Type[FormValidator], Type[FormAnswer]]] = {
    form.name: date_form_actions(form) for form in date_forms()
}


# --------------------------------------------------------------------------- exoneration


class ValidateExonerationForm(FormValidator):
    def name(self) -> str:
        return "validate_exoneration_form"

    def validate_ald_key(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        match = ald_list.lookup_disease(str(value or ""))
        if match is None:
            return self.reject(dispatcher, tracker, "ald_key", "utter_disease_unknown")
        if match.status != "on_list":
            dispatcher.utter_message(
                response="utter_disease_removed" if match.status == "removed" else "utter_disease_not_on_list"
            )
            return {"ald_key": None, "requested_slot": None}  # no exoneration to date: leave the form
        return self.accept("ald_key", match.key)

    def validate_agreement_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self.date_slot("agreement_date", value, dispatcher, tracker)


class ActionAnswerExoneration(FormAnswer):
    """Expected end of the exoneration from the ALD and the agreement date (durations table)."""

    topic = "exoneration_form"

    def name(self) -> str:
        return "action_answer_exoneration"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        match = ald_list.match_from_key(str(tracker.get_slot("ald_key")))
        agreement = slot_date(tracker, "agreement_date")
        r = delays.exoneration_end(match, agreement)
        note = phrase("renewal_notes", r.renewal_note) if r.renewal_note else ""
        response = "utter_exoneration_end_ambiguous" if r.ambiguous else "utter_exoneration_end"
        dispatcher.utter_message(
            response=response,
            ald_name=match.label,
            ald_number=str(r.number),
            duration=ald_list.duration_text_fr(match),
            agreement=format_date_fr(agreement),
            ends_on=format_date_fr(r.ends_on),
            renewal_note=note,
        )
        # The estimated end is what "et il faudra le renouveler quand ?" needs next; a date the
        # patient gave (from the volet) is never replaced by the estimate.
        if r.ambiguous or tracker.get_slot("valid_until"):
            return []
        return [SlotSet("valid_until", r.ends_on.isoformat())]


# --------------------------------------------------------------------------- retroactive


class ValidateRetroactiveForm(FormValidator):
    def name(self) -> str:
        return "validate_retroactive_form"

    def validate_request_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        found = find_dates(str(value or ""))
        result = self.date_slot("request_date", value, dispatcher, tracker)
        if result.get("request_date") and len(found) >= 2 and not tracker.get_slot("agreement_date"):
            # "demande le 3 mars, accord le 20 avril": the second date is the agreement.
            second = self.date_slot("agreement_date", found[1].text, dispatcher, tracker)
            if second.get("agreement_date"):
                result.update(
                    self._ordered(result["request_date"], second["agreement_date"], dispatcher, tracker)
                )
        return result

    def validate_agreement_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        result = self.date_slot("agreement_date", value, dispatcher, tracker)
        request = tracker.get_slot("request_date")
        if result.get("agreement_date") and request:
            return self._ordered(request, result["agreement_date"], dispatcher, tracker)
        return result

    def _ordered(
        self, request: str, agreement: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        """The agreement date, unless it comes before the request (ISO dates compare as text)."""
        if agreement < request:
            return self.reject(
                dispatcher,
                tracker,
                "agreement_date",
                "utter_agreement_before_request",
                counted=False,
                agreement=format_date_fr(date.fromisoformat(agreement)),
                request=format_date_fr(date.fromisoformat(request)),
            )
        return self.accept("agreement_date", agreement)


class ActionAnswerRetroactive(FormAnswer):
    """Retroactive 100 % for the care between the request and the agreement."""

    topic = "retroactive_form"

    def name(self) -> str:
        return "action_answer_retroactive"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        request = slot_date(tracker, "request_date")
        agreement = slot_date(tracker, "agreement_date")
        r = delays.retroactive(request, agreement, clock.today())
        # r.end is the agreement whenever one is given (None only while waiting for it).
        dispatcher.utter_message(
            response="utter_retroactive",
            request=format_date_fr(r.start),
            agreement=format_date_fr(r.end or agreement),
        )
        return []
