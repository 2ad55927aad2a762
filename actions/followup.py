"""What to say to a message that is not a question: a statement of the patient's situation, a
correction, a yes or a no outside a form (`action_context`).

The memory (actions/memory.py) has already kept what the message says. Then, in this order:
1. it changes what the last answer used ("pardon, le 2 octobre", "en fait je suis en ALD non
   exonérante", "et si ce n'était pas dans le protocole ?") → that answer again, recomputed;
2. it gives a date with its role ("mon 100 % s'arrête le 30 juin 2027") → the answer that date
   allows;
3. it names a care whose coverage is then known, or completes the situation that the care
   named just before needed → the coverage; a disease ("mon père a la
   maladie de Parkinson") → what the list says of it;
4. it states another part of the situation (an ALD situation, a sick leave) → what it means,
   and the natural next questions as buttons;
5. right after "the severe forms of this disease belong to n° X", it says the form is severe →
   what that entry means;
6. nothing of the above → the neutral answer of the intent (as before)."""

from __future__ import annotations

import re
from typing import List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answering import ANSWERS
from actions.base import LAST_TOPIC, set_last_turn, slots_set_now
from actions.disease import answer_disease, severe_form_answer
from actions.feedback import offer_was_last, rate, with_offer
from actions.table import FORMS
from ald.text import fold

#: A date slot → the form whose answer it allows on its own.
DATE_TOPICS = {
    "sent_date": "decision_form",
    "valid_until": "renewal_form",
    "derog_start": "derogatory_form",
    "agreement_date": "exoneration_form",
    "request_date": "retroactive_form",
}
#: What completes the coverage of a care named just before ("je suis en ALD non exonérante").
SITUATION_SLOTS = {"ald_status", "linked_to_ald", "in_protocol"}
#: The neutral answers of the intents routed here, when the message says nothing new.
NEUTRAL = {"affirm": "utter_affirm", "deny": "utter_deny", "inform": "utter_inform_without_context"}


def answer_for(topic: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> Optional[List[EventType]]:
    """The answer of `topic` (a form), if what it needs is known; None otherwise. It is
    recorded as the last answer only when it really answers (not "je ne connais pas ce soin")."""
    action = ANSWERS.get(topic)
    if action is None or not action.can_answer(tracker):
        return None
    events = action.answer(dispatcher, tracker)
    return [*events, SlotSet(LAST_TOPIC, topic)] if action.answered_topic(tracker) else events


def recompute_last_answer(tracker: Tracker, dispatcher: CollectingDispatcher) -> Optional[List[EventType]]:
    """Step 1: the message changed what the last personal answer used ("et si ce n'était pas
    dans le protocole ?") → that answer, recomputed; None otherwise."""
    changed = {k for k, v in slots_set_now(tracker).items() if v is not None}
    last = tracker.get_slot(LAST_TOPIC)
    if last in FORMS and changed & set(FORMS[last].slots):
        return answer_for(last, tracker, dispatcher)
    return None


def answer_from_context(tracker: Tracker, dispatcher: CollectingDispatcher) -> Optional[List[EventType]]:
    """Steps 1 to 4 of the module docstring; None when the message told nothing new. Also used
    for a message the NLU did not understand: what it tells still counts (actions/conversation.py)."""
    events = recompute_last_answer(tracker, dispatcher)
    if events is not None:
        return events
    changed = {k for k, v in slots_set_now(tracker).items() if v is not None}
    for slot, topic in DATE_TOPICS.items():
        if slot in changed:
            events = answer_for(topic, tracker, dispatcher)
            if events is not None:
                return events
    if "care_kind" in changed:
        events = answer_for("coverage_form", tracker, dispatcher)
        if events is not None:
            return events
        # A care asked about, and the situation its coverage depends on still unknown: the
        # coverage form asks only that (what is known is skipped). Not when the message also
        # tells a disease or a situation ("je suis à 100 % pour mon diabète, il m'envoie chez
        # un cardiologue"): that is what it answers, and the care may come up next.
        if not changed & {"ald_key", "disease_name", "ald_status"}:
            return [FollowupAction("coverage_form")]
    if changed & SITUATION_SLOTS and set_last_turn(tracker, "care_kind"):
        # The care of the previous question, now with the situation it needed; what its
        # coverage still depends on ("lié à l'ALD ?") is asked by the coverage form.
        events = answer_for("coverage_form", tracker, dispatcher)
        if events is not None:
            return events
        if not changed & {"ald_key", "disease_name"}:
            return [FollowupAction("coverage_form")]
    if changed & {"ald_key", "disease_name"}:
        return answer_disease(tracker, dispatcher, remembered=False)
    if "ald_status" in changed:
        dispatcher.utter_message(response=f"utter_status_noted_{tracker.get_slot('ald_status')}")
        return []
    if "sick_leave" in changed:
        dispatcher.utter_message(response="utter_sick_leave_noted")
        return []
    return severe_form_answer(tracker, dispatcher)


#: How sure the classifier must still be of a personal question, below the fallback threshold,
#: for it to be answered when the conversation already holds all that its answer needs.
LEANING_MIN = 0.45


def leaning_form_answer(tracker: Tracker, dispatcher: CollectingDispatcher) -> Optional[List[EventType]]:
    """Not understood surely, but the classifier leans to a personal question ("et il faudra
    le renouveler quand ?" after an agreement date) that needs nothing more → its answer,
    which says what it used; None otherwise."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    if len(ranking) < 2 or ranking[0].get("name") != "nlu_fallback":
        return None
    lean = ranking[1]
    if float(lean.get("confidence") or 0.0) < LEANING_MIN:
        return None
    topic = next((name for name, form in FORMS.items() if form.intent == lean.get("name")), None)
    action = ANSWERS.get(str(topic))
    if action is None or not action.answered_topic(tracker):
        return None  # e.g. a coverage question with no care known: nothing to answer yet
    return answer_for(str(topic), tracker, dispatcher)


# The cues of a follow-up question, from the narrowest: how long; when, or what to do; anything
# that only makes sense after the previous answer.
_HOW_LONG = r"(combien|cb) de (temps|tps)|ca dure|jusqu'?a quand"
_WHEN_OR_WHAT = (
    rf"{_HOW_LONG}|quand|kan|avant quand|quelle date|faire quoi|quoi faire|je dois faire|dois-je faire"
)

#: After a disease answer, only a question on how long it lasts is about that answer.
DURATION_FOLLOW_UP = re.compile(rf"\b({_HOW_LONG}|pour combien|pr cb|duree)\b")
#: The cues that override a confident FAQ topic (actions/faq.py): time and duration, what to do
#: ("comment" alone may start a new question).
WHEN_FOLLOW_UP = re.compile(rf"\b({_WHEN_OR_WHAT})\b")
#: A short question that only makes sense after the previous answer ("je dois faire quoi et
#: avant quand ?", "et donc c'est quand ?").
FOLLOW_UP = re.compile(
    rf"\b({_WHEN_OR_WHAT}|comment|combien|cb|cmb|et donc|et alors|c'est a dire|ca veut dire|"
    r"(que|qu'est-ce que|qu'est ce que|kesk|ke) (je|j'|il|elle|on) (dois|doit|fais|fait|faut))\b"
)
#: A short question about the disease just talked about ("elle y a droit ?", "c'est une ALD ?").
DISEASE_FOLLOW_UP = re.compile(r"\b(ald|100 ?%?|droit|pris en charge|prise en charge|liste|reconnue?)\b")


def follow_up_answer(
    tracker: Tracker, dispatcher: CollectingDispatcher, cue: re.Pattern[str] = FOLLOW_UP
) -> Optional[List[EventType]]:
    """A short follow-up right after a personal answer (`cue` says which words make one): that
    answer again, said as such; None for a question about something else."""
    topic = tracker.get_slot(LAST_TOPIC)
    text = fold(str((tracker.latest_message or {}).get("text") or ""))
    if len(text.split()) > 12:
        return None
    disease_known = tracker.get_slot("ald_key") or tracker.get_slot("disease_name")
    if cue is FOLLOW_UP:
        about_it = cue.search(text) or DISEASE_FOLLOW_UP.search(text)
    else:
        about_it = DURATION_FOLLOW_UP.search(text)
    if topic == "disease" and disease_known and about_it:
        return answer_disease(tracker, dispatcher, remembered=True)
    action = ANSWERS.get(str(topic))
    if action is None or not cue.search(text) or not action.can_answer(tracker):
        return None
    dispatcher.utter_message(response="utter_follow_up")
    return action.answer(dispatcher, tracker)


class ActionContext(Action):
    """See the module docstring."""

    def name(self) -> str:
        return "action_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = answer_from_context(tracker, dispatcher)
        if events is not None:
            return with_offer(dispatcher, tracker, events)
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "inform")
        # A plain "oui" / "non" right after "did this answer help?" answers that.
        if intent in ("affirm", "deny") and offer_was_last(tracker):
            return rate(dispatcher, tracker, helpful=intent == "affirm")
        dispatcher.utter_message(response=NEUTRAL.get(intent, "utter_inform_without_context"))
        return []
