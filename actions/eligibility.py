"""May I have an ALD? A triage (never a decision: the caisse decides); the form asks only the
questions ald.eligibility still needs."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import FormValidator, optional_bool, yes_no
from ald import ald_list, eligibility

#: The triage's questions (EligibilityResult.missing) → the slot that asks each.
ELIG_SLOTS = {"long_term": "elig_long_term", "on_list": "elig_on_list",
              "costly_treatment": "elig_costly", "several_diseases": "elig_several"}


def answers_from(tracker: Tracker) -> eligibility.EligibilityAnswers:
    """The answers given so far (None for a question not answered yet)."""
    return eligibility.EligibilityAnswers(long_term=optional_bool(tracker, "elig_long_term"),
                                          on_list=optional_bool(tracker, "elig_on_list"),
                                          costly_treatment=optional_bool(tracker, "elig_costly"),
                                          several_diseases=optional_bool(tracker, "elig_several"))


class ValidateEligibilityForm(FormValidator):
    """Asks only the questions the triage still needs (eligibility.triage(...).missing)."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def required_slots(self, domain_slots: List[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[str]:
        result = eligibility.triage(answers_from(tracker))
        return [ELIG_SLOTS[m] for m in result.missing if m in ELIG_SLOTS]

    def validate_elig_long_term(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[str, Any]:
        return self.yes_no_slot("elig_long_term", value, dispatcher, tracker)

    def validate_elig_on_list(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[str, Any]:
        answer = yes_no(tracker, value)
        if answer is None:  # a disease name instead of yes/no
            match = ald_list.lookup_disease(str(value or ""))
            if match is not None:
                answer = match.status == "on_list"
        if answer is None:
            return self.reject(dispatcher, "elig_on_list", response="utter_yes_no_unknown")
        return {"elig_on_list": answer}

    def validate_elig_costly(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[str, Any]:
        return self.yes_no_slot("elig_costly", value, dispatcher, tracker)

    def validate_elig_several(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[str, Any]:
        return self.yes_no_slot("elig_several", value, dispatcher, tracker)


class ActionAnswerEligibility(Action):
    """Eligibility triage (never a decision: the caisse decides)."""

    def name(self) -> str:
        return "action_answer_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        result = eligibility.triage(answers_from(tracker))
        if result.kind == "need_more_info":
            dispatcher.utter_message(response="utter_coverage_more_info")
        else:
            dispatcher.utter_message(response=f"utter_elig_{result.kind}")
        return []
