"""The conversation around the questions: session start (the fig_* slots), hand-off to a
person, fallback with the closest topics, and the end of a form left unanswered."""

from __future__ import annotations

from typing import Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import LAST_TOPIC, MISSES
from actions.faq import answer_faq
from actions.feedback import FAQ_PREFIX, offer_feedback, ranked_topics, topic_buttons, with_offer
from actions.followup import answer_from_context, follow_up_answer, leaning_form_answer
from ald import clock, figures, gibberish, helpline
from ald.content import load_content
from ald.nlu import FAQ_UNSURE, GATE_KEY


class ActionSessionStart(Action):
    """Starts a session and fills the fig_* slots from figures.yml (the one place for figures)."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        events += [SlotSet(f"fig_{key}", value) for key, value in figures.figure_values().items()]
        events.append(ActionExecuted("action_listen"))
        return events


class ActionHelpline(Action):
    """Hand-off to a person: Santé Info Droits (open now or next opening; on a public holiday,
    maybe closed and the next opening on a working day) and 36 46."""

    def name(self) -> str:
        return "action_helpline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        now = clock.now()
        status = helpline.helpline_status(now)
        if status.holiday is not None:
            dispatcher.utter_message(
                response="utter_helpline_holiday",
                holiday=status.holiday,
                next_opening=helpline.format_opening_fr(status.next_opening, now.date()),
            )
        elif status.open_now:
            dispatcher.utter_message(response="utter_helpline_open")
        else:
            dispatcher.utter_message(
                response="utter_helpline_closed",
                next_opening=helpline.format_opening_fr(status.next_opening, now.date()),
            )
        return []


def closest_topics(tracker: Tracker, limit: int = 3) -> List[Dict[str, str]]:
    """Buttons for the FAQ answers the NLU found closest to the message.

    Each button sends the topic's own question, from content/topics.yml. None for gibberish
    (ald/gibberish.py): no topic is close to keyboard mashing."""
    parse = tracker.latest_message or {}
    if gibberish.is_gibberish(str(parse.get("text") or "")):
        return []
    return topic_buttons(ranked_topics(parse), limit)


#: How sure the NLU must still be of a topic that follows the last answer (its share among the
#: FAQ topics) for the fallback to answer it.
FOLLOW_UP_TOPIC_MIN = 0.25


def likely_follow_up_topic(tracker: Tracker) -> Optional[str]:
    """The FAQ topic an unsure message most likely asks, when it is one that naturally follows
    the last personal answer (content/topics.yml `follow_ups`); None otherwise."""
    parse = tracker.latest_message or {}
    if (parse.get(GATE_KEY) or {}).get("reason") != FAQ_UNSURE:
        return None  # unsure of the intent itself, or forced (gibberish...): nothing to guess
    ranking = (((parse.get("response_selector") or {}).get("faq") or {}).get("ranking")) or []
    if not ranking:
        return None
    best = ranking[0]
    topic = str(best.get("intent_response_key") or "").split("/", 1)[-1]
    content = load_content("topics.yml")
    expected = (content.get("follow_ups") or {}).get(str(tracker.get_slot(LAST_TOPIC)), [])
    if topic in expected and float(best.get("confidence") or 0.0) >= FOLLOW_UP_TOPIC_MIN:
        return topic
    return None


class ActionFallback(Action):
    """Low confidence: say so, propose the closest topics; after two misses in a row, a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # Messages not understood in a row; one that still got a real answer ends the run.
        misses = 0
        for event in reversed(tracker.events):
            if event.get("event") == "bot":
                said = str((event.get("metadata") or {}).get("utter_action") or "")
                if said and not said.startswith("utter_fallback"):
                    break
            if event.get("event") == "user":
                if (event.get("parse_data", {}).get("intent") or {}).get("name") == "nlu_fallback":
                    misses += 1
                else:
                    break
        # Not understood, yet what the message tells (a disease, a dated event, a care in a known
        # situation) may be enough to answer; the classifier leans to a personal question whose
        # answer needs nothing more; or it follows up the previous answer.
        # Each of these answers gets the feedback offer, like the same answer given elsewhere.
        told = answer_from_context(tracker, dispatcher)
        if told is not None:
            return with_offer(dispatcher, tracker, told)
        leaning = leaning_form_answer(tracker, dispatcher)
        if leaning is not None:
            return with_offer(dispatcher, tracker, leaning)
        followup = follow_up_answer(tracker, dispatcher)
        if followup is not None:
            return with_offer(dispatcher, tracker, followup, repeats_last=True)
        likely = likely_follow_up_topic(tracker)
        if likely is not None:
            question = (load_content("topics.yml").get("topics") or {}).get(likely) or likely
            dispatcher.utter_message(response="utter_understood_as", question=question)
            if answer_faq(dispatcher, tracker, likely):
                return offer_feedback(dispatcher, tracker, FAQ_PREFIX + likely)
            return []
        if misses >= 2:
            dispatcher.utter_message(response="utter_fallback_helpline")
            return []
        buttons = closest_topics(tracker)
        if buttons:
            dispatcher.utter_message(response="utter_fallback_first", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_fallback_generic")
        return []


class ActionFormEnded(Action):
    """A form left without its answer (cancel, goodbye): its count of unusable answers starts
    again. What the user said stays in the memory for the rest of the conversation."""

    def name(self) -> str:
        return "action_form_ended"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return [SlotSet(MISSES, None)] if tracker.get_slot(MISSES) is not None else []
