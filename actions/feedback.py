"""Did the answer help? The patient says so in one tap (or a word), and the rating is kept with
the conversation for the editors' review (`make review`, tools/review.py).

- `offer_feedback`: called by the answering actions themselves (action_faq, the form answers,
  action_context and action_disease_ald when they answer), so that no rule or story gains a
  step. It records the topic the answer was about (`rated_topic`) and, unless the previous
  answer already asked (`feedback_offered`) or a form is running, sends the offer with its two
  buttons. Greetings, forms' questions, fallbacks and safety answers never call it.
- `action_feedback` (intent `feedback`: the buttons, or "pas utile" typed) and action_context
  (a plain "oui" / "non" right after the offer): store the rating as the `feedback` slot
  ({"helpful", "topic"}: a slot event, so the tracker store masks and keeps it like every
  event); "not helpful" offers to rephrase, the helpline and the closest topics."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.turns import bot_actions, turn_events
from ald import feedback
from ald.content import load_content

#: What the last answer was about: "faq/<topic>", a form's name, or "disease".
RATED_TOPIC = "rated_topic"
#: True when the last answer asked whether it helped and got no rating yet.
OFFERED = "feedback_offered"
#: The rating, {"helpful": bool, "topic": ...}: the event tools/review.py reads.
FEEDBACK = "feedback"
OFFER = "utter_feedback_offer"
#: Closest topics offered after "not helpful".
TOPIC_LIMIT = 3
FAQ_PREFIX = "faq/"


def offer_feedback(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str) -> List[EventType]:
    """After an answer about `topic`: the events that record it, and the offer when due."""
    events: List[EventType] = [SlotSet(RATED_TOPIC, topic)]
    if (tracker.active_loop or {}).get("name"):
        return events  # an answer inside a form: the form's question comes next, it wins
    if tracker.get_slot(OFFERED):
        # The previous answer asked and got no rating: not twice in a row; the next may ask.
        return [*events, SlotSet(OFFERED, None)]
    dispatcher.utter_message(response=OFFER)
    return [*events, SlotSet(OFFERED, True)]


def answered_topic(events: Iterable[Dict[str, Any]]) -> Optional[str]:
    """The personal answer among an action's `events` (the `last_topic` it records), or None
    when the action answered nothing (a neutral reply, a noted detail)."""
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "last_topic" and event.get("value"):
            return str(event["value"])
    return None


def with_offer(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: List[EventType], repeats_last: bool = False
) -> List[EventType]:
    """An action's `events` with the offer after them when they answer: the topic rated is the
    one the answer records, or, for an answer that says the last one again (`repeats_last`),
    the last answer's; no offer when nothing was answered (a neutral reply, a noted detail)."""
    topic = answered_topic(events) or (tracker.get_slot("last_topic") if repeats_last else None)
    return [*events, *offer_feedback(dispatcher, tracker, str(topic))] if topic else events


def offer_was_last(tracker: Tracker) -> bool:
    """True when the bot's last message before the latest user message was the offer: a plain
    "oui" / "non" then rates the answer."""
    said = bot_actions(turn_events(tracker, back=1))
    return bool(said) and said[-1] == OFFER


def topic_buttons(topics: Iterable[str], limit: int = TOPIC_LIMIT) -> List[Dict[str, str]]:
    """Buttons for FAQ topics: each sends the topic's own question (content/topics.yml)."""
    questions: Dict[str, str] = load_content("topics.yml").get("topics") or {}
    buttons: List[Dict[str, str]] = []
    for topic in topics:
        if topic in questions and all(b["payload"] != questions[topic] for b in buttons):
            buttons.append({"title": questions[topic], "payload": questions[topic]})
        if len(buttons) == limit:
            break
    return buttons


def ranked_topics(parse_data: Dict[str, Any]) -> List[str]:
    """The FAQ topics of a message, closest first (the response selector's ranking)."""
    ranking = (((parse_data.get("response_selector") or {}).get("faq") or {}).get("ranking")) or []
    keys = (str(item.get("intent_response_key") or "") for item in ranking)
    return [key[len(FAQ_PREFIX) :] for key in keys if key.startswith(FAQ_PREFIX)]


def closest_to_rated(tracker: Tracker, rated: Optional[str]) -> List[str]:
    """Topics close to the answer that did not help, itself excluded: for an FAQ answer, the
    next ones of the NLU's ranking of the question; for a personal answer, the topics that
    naturally follow it (content/topics.yml `follow_ups`)."""
    if rated and not rated.startswith(FAQ_PREFIX):
        return list((load_content("topics.yml").get("follow_ups") or {}).get(rated) or [])
    user_events = [e for e in tracker.events if e.get("event") == "user"]
    for event in reversed(user_events[:-1]):  # the latest one is the rating itself
        topics = ranked_topics(event.get("parse_data") or {})
        if topics:
            own = rated[len(FAQ_PREFIX) :] if rated else None
            return [t for t in topics if t != own]
    return []


def rate(dispatcher: CollectingDispatcher, tracker: Tracker, helpful: bool) -> List[EventType]:
    """Stores the rating of the last answer and answers it."""
    rated = tracker.get_slot(RATED_TOPIC)
    if helpful:
        dispatcher.utter_message(response="utter_feedback_thanks")
    else:
        dispatcher.utter_message(response="utter_feedback_sorry")
        buttons = topic_buttons(closest_to_rated(tracker, rated))
        if buttons:
            dispatcher.utter_message(response="utter_feedback_topics", buttons=buttons)
    # The topic is rated once: a second "pas utile" rates nothing more precise.
    return [
        SlotSet(FEEDBACK, feedback.rating(helpful, rated)),
        SlotSet(OFFERED, None),
        SlotSet(RATED_TOPIC, None),
    ]


class ActionFeedback(Action):
    """The intent `feedback`: a button of the offer, or "pas utile" / "ça m'a aidé" typed."""

    def name(self) -> str:
        return "action_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        entity = next(tracker.get_latest_entity_values("helpful"), None)
        text = str((tracker.latest_message or {}).get("text") or "")
        return rate(dispatcher, tracker, feedback.read_helpful(entity, text))
