"""May I have an ALD? A triage (never a decision: the caisse decides); the form asks only the
questions ald.eligibility still needs."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import FormAnswer, FormValidator, optional_bool, said_this_turn, yes_no
from actions.disease import remembered_match
from ald import ald_list, answers, eligibility
from ald.figures import figure_months

#: Care or sick leave for this long or longer is long-term (FACTS.md, "What it is").
LONG_TERM_MONTHS = figure_months("duree_minimale_ald")

#: The triage's questions (EligibilityResult.missing) → the slot that asks each.
ELIG_SLOTS = {
    "long_term": "elig_long_term",
    "on_list": "elig_on_list",
    "costly_treatment": "elig_costly",
    "several_diseases": "elig_several",
}


def answers_from(tracker: Tracker) -> eligibility.EligibilityAnswers:
    """The answers given so far (None for a question not answered yet). A disease said in the
    conversation answers "is it on the list?" (its key is read as the list's number)."""
    disease = tracker.get_slot("ald_key") or tracker.get_slot("disease_name")
    on_list = optional_bool(tracker, "elig_on_list")
    match = remembered_match(tracker)  # a key of the list, variants included ("23_developpement")
    if on_list is None and match is not None:
        on_list = match.status == "on_list"
    return eligibility.EligibilityAnswers(
        long_term=optional_bool(tracker, "elig_long_term"),
        on_list=on_list,
        costly_treatment=optional_bool(tracker, "elig_costly"),
        several_diseases=optional_bool(tracker, "elig_several"),
        disease=str(disease) if disease else None,
    )


class ValidateEligibilityForm(FormValidator):
    """Asks only the questions the triage still needs (eligibility.triage(...).missing)."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def needed_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        result = eligibility.triage(answers_from(tracker))
        return [ELIG_SLOTS[m] for m in result.missing if m in ELIG_SLOTS]

    def validate_elig_long_term(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        months = None if isinstance(value, bool) else answers.duration_months(str(value or ""))
        if months is not None:  # "des années", "au moins 8 mois", "quelques semaines"
            return self.accept("elig_long_term", months >= LONG_TERM_MONTHS)
        return self.yes_no_slot("elig_long_term", value, dispatcher, tracker)

    def validate_elig_on_list(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        answer = yes_no(tracker, value)
        if answer is None:  # a disease name instead of yes/no
            match = ald_list.lookup_disease(str(value or ""))
            if match is not None:
                answer = match.status == "on_list"
        if answer is None:
            return self.reject(dispatcher, tracker, "elig_on_list", "utter_yes_no_unknown")
        return self.accept("elig_on_list", answer)

    def validate_elig_costly(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self.yes_no_slot("elig_costly", value, dispatcher, tracker)

    def validate_elig_several(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self.yes_no_slot("elig_several", value, dispatcher, tracker)


class ActionAnswerEligibility(FormAnswer):
    """Eligibility triage (never a decision: the caisse decides)."""

    topic = "eligibility_form"

    def name(self) -> str:
        return "action_answer_eligibility"

    def can_answer(self, tracker: Tracker) -> bool:
        return eligibility.triage(answers_from(tracker)).kind != "need_more_info"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        result = eligibility.triage(answers_from(tracker))
        match = remembered_match(tracker)
        disease = (
            f"Sur la liste des ALD : {match.label} (n° {match.entry.number}). "
            if result.kind == "ald30" and match is not None and match.entry is not None
            else ""
        )
        dispatcher.utter_message(response=f"utter_elig_{result.kind}", disease=disease)
        return []


class ActionAskEligLongTerm(Action):
    """The form's first question. When the message that started it named a disease of the list
    ("infarctus l'an dernier, j'ai droit à l'ALD ?"), what the list says of it comes first: that
    is half the answer, and the patient sees the disease was understood."""

    def name(self) -> str:
        return "action_ask_elig_long_term"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        match = remembered_match(tracker)
        # Said once: not again when the question is asked again after an unusable answer.
        first_question = (
            not tracker.get_slot("form_misses")
            and not any(tracker.get_slot(slot) is not None for slot in ELIG_SLOTS.values())
            # "j'ai une polyarthrite" as the answer: the validator has just noted it
            and not said_this_turn(tracker, "utter_noted_disease")
        )
        if first_question and match is not None and match.status == "on_list" and match.entry is not None:
            dispatcher.utter_message(
                response="utter_listed_disease_noted",
                ald_name=match.label,
                ald_number=str(match.entry.number),
            )
        dispatcher.utter_message(response="utter_ask_elig_long_term")
        return []
