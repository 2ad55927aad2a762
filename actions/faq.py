"""The FAQ answer the NLU picked, said with what the conversation already knows.

A general question often follows a statement: "ma mère a Alzheimer… il faut refaire le papier
pour le 100 %, comment ça se passe ?", "maladie de Parkinson : ALD ?" then "et le 100 % dure
combien de temps ?". The general answer comes first; then one line that applies it to what
the user told (the disease's duration, the renewal date), saying what it used.

The answers themselves are content, not training data: content/faq/<theme>.yml, looked up when
they are sent (ald/faq_answers.py), so an edited answer is served at once, with no training.
Each is sent as its text and buttons, its {fig_...} filled from content/figures.yml, and named
`utter_faq/<topic>` in the bot event's metadata (`utter_action`), as a domain response is."""

from __future__ import annotations

import logging
from typing import List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import LAST_TOPIC, fill_figures, slot_date
from actions.disease import remembered_match
from actions.feedback import FAQ_PREFIX, offer_feedback, with_offer
from actions.followup import WHEN_FOLLOW_UP, follow_up_answer, recompute_last_answer
from actions.turns import last_answer
from ald import ald_list, clock, delays, faq_answers, figures
from ald.dates import format_date_fr

logger = logging.getLogger(__name__)

#: FAQ topics whose answer depends on the disease's duration on the list.
DURATION_TOPICS = {
    "duree_exoneration",
    "duree_validite",
    "renouvellement",
    "liste_ald30",
    "exonerante_ou_non",
    "definition_ald",
    "revision",
}
#: FAQ topics whose answer depends on the end of validity of the user's protocol.
RENEWAL_TOPICS = {"renouvellement", "duree_validite"}
#: FAQ topics whose answer depends on when the user's protocol was sent.
DECISION_TOPICS = {"delai_reponse", "pas_de_nouvelles"}


def topic_of(tracker: Tracker) -> Optional[str]:
    """The FAQ topic the NLU picked for the latest message ("renouvellement")."""
    selector = ((tracker.latest_message or {}).get("response_selector") or {}).get("faq") or {}
    key = str(((selector.get("response") or {}).get("intent_response_key")) or "")
    return key.split("/", 1)[1] if key.startswith("faq/") else None


#: The button that asks for an answer's details (intent faq_details, the topic as an entity).
DETAILS_TITLE = "En savoir plus"
DETAILS_INTENT = "faq_details"
DETAILS_ENTITY = "faq_topic"


def details_button(topic: str) -> dict:
    """The "En savoir plus" button of `topic`'s answer."""
    return {"title": DETAILS_TITLE, "payload": f'/{DETAILS_INTENT}{{"{DETAILS_ENTITY}":"{topic}"}}'}


def send_faq_answer(dispatcher: CollectingDispatcher, topic: str) -> bool:
    """Sends the answer of `topic` (content/faq/), figures filled in. A topic without an answer
    (a file being edited, a topic removed) gets the generic fallback, never silence: False."""
    found = faq_answers.answer(topic)
    if found is None:
        logger.error("no FAQ answer for the topic %r in %s", topic, faq_answers.folder())
        dispatcher.utter_message(response="utter_fallback_generic")
        return False
    buttons = [{"title": fill_figures(b.title), "payload": b.payload} for b in found.buttons]
    if found.details:
        buttons.insert(0, details_button(topic))
    dispatcher.utter_message(
        text=fill_figures(found.text), buttons=buttons, utter_action=f"utter_faq/{topic}"
    )
    return True


class ActionFaqDetails(Action):
    """The details of an FAQ answer ("En savoir plus"): the topic of the button, or, typed,
    the last answer's topic. Read from content/faq/ like the answers: no training."""

    def name(self) -> str:
        return "action_faq_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        topic = next(tracker.get_latest_entity_values(DETAILS_ENTITY), None)
        if not topic:
            # Typed: the last answer's topic, when it was an FAQ answer (or its details).
            said = last_answer(tracker)
            topic = said.partition("/")[2] if said.startswith(("utter_faq/", "utter_faq_details/")) else None
        found = faq_answers.answer(str(topic)) if topic else None
        if found is None or not found.details:
            dispatcher.utter_message(response="utter_no_details")
            return []
        source = found.text.rpartition("Source :")[2].strip()
        text = fill_figures(found.details)
        if "Source :" not in text and source:
            text = f"{text} Source : {source}"
        buttons = [{"title": fill_figures(b.title), "payload": b.payload} for b in found.buttons]
        dispatcher.utter_message(text=text, buttons=buttons, utter_action=f"utter_faq_details/{topic}")
        return []


def context_line(topic: str, tracker: Tracker) -> Optional[str]:
    """The line that applies the answer of `topic` to what the user told, or None."""
    if topic in RENEWAL_TOPICS and tracker.get_slot("valid_until"):
        end = slot_date(tracker, "valid_until")
        renewal = delays.renewal(end, clock.today())
        if renewal.status in ("ok", "soon"):
            return (
                f"Pour vous : votre protocole est valable jusqu'au {format_date_fr(end)}, "
                f"demandez le renouvellement à votre médecin traitant avant le "
                f"{format_date_fr(renewal.ask_by)}."
            )
    if topic in DECISION_TOPICS and tracker.get_slot("sent_date"):
        try:
            d = delays.decision_delays(slot_date(tracker, "sent_date"), clock.today())
        except (TypeError, ValueError):  # not a date the memory wrote: say nothing personal
            return None
        sent = f"Pour vous : protocole envoyé le {format_date_fr(d.sent)}. "
        if d.status == "waiting_conseil":
            return sent + (
                f"Sans observation du médecin conseil, son avis est réputé favorable vers le "
                f"{format_date_fr(d.favourable_by)} ; la caisse doit décider vers le "
                f"{format_date_fr(d.decision_by)} (à compter de la réception)."
            )
        if d.status == "waiting_decision":
            return sent + (
                f"Le délai du médecin conseil est passé depuis le {format_date_fr(d.favourable_by)} ; "
                f"la caisse doit décider vers le {format_date_fr(d.decision_by)} (à compter de la réception)."
            )
        return sent + (
            f"La décision était attendue vers le {format_date_fr(d.decision_by)} : contactez votre "
            f"caisse (compte ameli ou {figures.figure('tel_assurance_maladie').value}) pour savoir où "
            f"en est votre dossier."
        )
    match = remembered_match(tracker)
    if topic in DURATION_TOPICS and match is not None and match.entry is not None:
        return (
            f"Pour {match.label} dont vous m'avez parlé (ALD n° {match.entry.number}), "
            f"la première prise en charge à 100 % dure en général "
            f"{ald_list.duration_text_fr(match)}."
        )
    return None


def answer_faq(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str) -> bool:
    """The answer of `topic`, then the line that applies it to what the user told; False
    when the topic has no answer (send_faq_answer)."""
    if not send_faq_answer(dispatcher, topic):
        return False
    line = context_line(topic, tracker)
    if line:
        dispatcher.utter_message(text=line)
    return True


SHORT_FOLLOW_UP_WORDS = 5


class ActionFaq(Action):
    """Sends the FAQ answer picked for the message, then the line that applies it to the user."""

    def name(self) -> str:
        return "action_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # "Et si la consultation n'était pas dans le protocole ?" reads like a question on the
        # protocol, but changes what the last personal answer used: that answer, recomputed.
        events = recompute_last_answer(tracker, dispatcher)
        if events is not None:
            return with_offer(dispatcher, tracker, events, repeats_last=True)
        # A very short question right after a personal answer ("pr cb de temps ?" after the
        # disease) is about that answer, whatever FAQ topic its words alone suggest.
        text = str((tracker.latest_message or {}).get("text") or "")
        if len(text.split()) <= SHORT_FOLLOW_UP_WORDS:
            events = follow_up_answer(tracker, dispatcher, WHEN_FOLLOW_UP)
            if events is not None:
                return with_offer(dispatcher, tracker, events, repeats_last=True)
        topic = topic_of(tracker)
        if topic is None:  # no topic picked: the fallback says so and offers the topics
            dispatcher.utter_message(response="utter_fallback_generic")
            return []
        if not answer_faq(dispatcher, tracker, topic):
            return []
        # The last answer is now this one: a short follow-up is no longer about the personal
        # answer before it.
        events = [SlotSet(LAST_TOPIC, None)] if tracker.get_slot(LAST_TOPIC) else []
        return [*events, *offer_feedback(dispatcher, tracker, FAQ_PREFIX + topic)]
