"""Is this care covered at 100 %? The form asks only what ald.coverage still needs."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import FormAnswer, FormValidator, optional_bool, phrase, slots_set_now
from ald import context, coverage

#: What the rule may still need (CoverageVerdict.missing) → the slot that asks it.
COVERAGE_SLOTS = {"ald_status": "ald_status", "linked_to_ald": "linked_to_ald", "in_protocol": "in_protocol"}

#: The rule's rate → the response that words it.
RATE_RESPONSES = {
    "100_base_tariff": "utter_coverage_100",
    "usual_rates": "utter_coverage_usual",
    "transport_rate": "utter_coverage_transport",
    "not_covered": "utter_coverage_not_covered",
    "need_more_info": "utter_coverage_more_info",
}


def care_from(value: Any, tracker: Optional[Tracker] = None) -> Optional[str]:
    """The CareKind of a care_kind slot value: the slot holds what NLU extracted, which may be
    a word the rules do not know ("soins") or one of several care words of the message. The
    care the message says was prescribed wins ("mon rhumato m'a prescrit un médoc": the
    medicine, not the rheumatologist); then the other care_kind entities of the latest message
    are tried; of several, the one asked about (both: coverage.care_asked, as the memory reads
    the care); then the whole message. A care validated earlier stays. None if none
    is known."""
    values = list(value) if isinstance(value, list | tuple) else [value]
    validated = tracker is None or "care_kind" not in slots_set_now(tracker)
    if validated and len(values) == 1 and values[0] in coverage.CARE_KINDS:
        return str(values[0])  # the care the form answers, whatever else is said now
    text = ""
    if tracker is not None:
        text = str((tracker.latest_message or {}).get("text") or "")
        values += list(tracker.get_latest_entity_values("care_kind"))
    found = coverage.care_asked(text, values)
    if found is None and tracker is not None:
        # The entity may be a piece of the words ("de sang" of "prise de sang"): the message.
        found = coverage.care_kind_from_text(text)
    return found


def situation_from(tracker: Tracker) -> coverage.Situation:
    """The patient's situation as far as the form knows it. The slot may still hold the raw
    answer ("pas en ALD") when the form decides what to ask, before validating it: that is no
    status yet, so the question stays required and its answer gets validated (Rasa validates
    only the required slots)."""
    raw = tracker.get_slot("ald_status")
    return coverage.Situation(
        ald_status=raw if raw in coverage.STATUS_CODES else "unknown",
        linked_to_ald=optional_bool(tracker, "linked_to_ald"),
        in_protocol=optional_bool(tracker, "in_protocol"),
    )


class ValidateCoverageForm(FormValidator):
    """Asks only what the coverage rule still needs (coverage.coverage(...).missing)."""

    def name(self) -> str:
        return "validate_coverage_form"

    async def needed_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        # Called before the slots are validated: the raw value may not be a known care kind.
        care = care_from(tracker.get_slot("care_kind"), tracker)
        if not care:
            return ["care_kind"]
        verdict = coverage.coverage(care, situation_from(tracker))
        return ["care_kind"] + [COVERAGE_SLOTS[m] for m in verdict.missing if m in COVERAGE_SLOTS]

    def validate_care_kind(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        kind = care_from(value, tracker)
        if kind is None:
            return self.reject(dispatcher, tracker, "care_kind", "utter_care_kind_unknown")
        return self.accept("care_kind", kind)

    def validate_ald_status(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        status: Optional[str] = coverage.ald_status_from_text(str(value or ""))
        if status is None:
            # The entity may be a piece of the words ("en" of "en ald exonérée"): the situation
            # the whole message states (negations included), as the memory reads it.
            status = context.ald_status_in(str((tracker.latest_message or {}).get("text") or ""))
        if status is None:
            return self.reject(dispatcher, tracker, "ald_status", "utter_ald_status_unknown")
        return self.accept("ald_status", status)

    def validate_linked_to_ald(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self.yes_no_slot("linked_to_ald", value, dispatcher, tracker)

    def validate_in_protocol(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self.yes_no_slot("in_protocol", value, dispatcher, tracker)


class ActionAnswerCoverage(FormAnswer):
    """Is this care covered at 100 %? (rules: coverage.coverage)."""

    topic = "coverage_form"

    def name(self) -> str:
        return "action_answer_coverage"

    def can_answer(self, tracker: Tracker) -> bool:
        verdict = verdict_from(tracker)
        return verdict is None or not verdict.missing  # an unknown care is said, never silence

    def answered_topic(self, tracker: Tracker) -> Optional[str]:
        return self.topic if verdict_from(tracker) is not None else None

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        return answer_coverage(dispatcher, tracker)


def verdict_from(tracker: Tracker) -> Optional[coverage.CoverageVerdict]:
    """The rule's verdict on what is known, or None while the care is not known."""
    care = care_from(tracker.get_slot("care_kind"))
    return coverage.coverage(care, situation_from(tracker)) if care else None


def answer_coverage(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Words the rule's verdict for the care and situation known."""
    verdict = verdict_from(tracker)
    if verdict is None:
        dispatcher.utter_message(response="utter_care_kind_unknown")  # never stay silent
        return []
    reasons = " ".join(filter(None, (phrase("reasons", c) for c in verdict.reasons)))
    pays = [p for p in (phrase("still_pays", c) for c in verdict.still_pays) if p]
    still = f"{phrase('still_pays', 'intro')} {', '.join(pays)}." if pays else ""
    label = phrase("care_labels", verdict.care) or verdict.care
    dispatcher.utter_message(
        response=RATE_RESPONSES[verdict.rate], care_label=label, reasons=reasons, still_pays=still
    )
    return []
