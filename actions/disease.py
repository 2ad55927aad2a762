"""Is my disease an ALD? A look-up in the ALD 30 table (ald.ald_list), never a false "no".

The memory (actions/memory.py) keeps the disease a message names: its key on the list in
`ald_key`, or, when the list does not hold it, `disease_name` (a known disease off the list,
e.g. "fibromyalgie", or a name the assistant does not know). A question that names no disease
uses the one said before, and says so."""

from __future__ import annotations

import re
from typing import List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import LAST_TOPIC, answered
from actions.feedback import with_offer
from actions.turns import slot_events, turn_events
from ald import ald_list
from ald.text import capitalised, fold


def intro(label: str, remembered: bool) -> str:
    """ "Pour la maladie de Parkinson dont vous m'avez parlé : " when the disease comes from an
    earlier message, so that a mistake is visible; "" otherwise."""
    if not remembered:
        return ""
    return f"Pour {label} dont vous m'avez parlé : "


def disease_said_now(tracker: Tracker) -> bool:
    """True when the latest message itself named the disease (the memory set a slot now)."""
    return bool(slot_events(turn_events(tracker), "ald_key", "disease_name"))


def remembered_match(tracker: Tracker) -> Optional[ald_list.AldMatch]:
    key = tracker.get_slot("ald_key")
    if key:
        try:
            return ald_list.match_from_key(str(key))
        except (KeyError, ValueError):
            return None
    return None


def severe_forms_entry(match: ald_list.AldMatch) -> Optional[ald_list.AldMatch]:
    """For a disease off the list whose severe forms belong to an entry (hint
    "severe_forms_n9": a neuropathy, n° 9), that entry; None otherwise."""
    prefix = "severe_forms_n"
    if match.status != "not_on_list" or not match.hint.startswith(prefix):
        return None
    return ald_list.match_from_key(match.hint[len(prefix) :])


#: The patient says the disease just talked about is a severe form ("c'est une forme sévère",
#: "son médecin parle d'une forme grave").
SEVERE_FORM = re.compile(r"\b(grave|graves|severe|severes|serieuse|avancee|invalidante|lourde)\b")


def severe_form_answer(tracker: Tracker, dispatcher: CollectingDispatcher) -> Optional[List[EventType]]:
    """After the "severe forms belong to n° X" answer, a message saying the form is severe gets
    what that entry means (None otherwise)."""
    name = tracker.get_slot("disease_name")
    if tracker.get_slot(LAST_TOPIC) != "disease" or not name:
        return None
    text = fold(str((tracker.latest_message or {}).get("text") or ""))
    match = ald_list.lookup_disease(str(name))
    severe = severe_forms_entry(match) if match is not None else None
    if severe is None or severe.entry is None or not SEVERE_FORM.search(text) or match is None:
        return None
    dispatcher.utter_message(
        response="utter_disease_severe_form_told",
        ald_name=match.label,
        ald_number=str(severe.entry.number),
        list_name=severe.label,
        duration=ald_list.duration_text_fr(severe),
    )
    return [answered("disease")]


def answer_disease(tracker: Tracker, dispatcher: CollectingDispatcher, remembered: bool) -> List[EventType]:
    """What the list says of the disease in memory; asks for it when none is known."""
    match = remembered_match(tracker)
    name = tracker.get_slot("disease_name")
    if match is None and name:
        match = ald_list.lookup_disease(str(name))
        if match is None:
            dispatcher.utter_message(response="utter_disease_unknown_name")
            return [answered("disease")]
    if match is None:
        text = str((tracker.latest_message or {}).get("text") or "")
        unknown = ald_list.unknown_name_in(text)
        if unknown:  # a name the assistant does not know: never "not on the list"
            dispatcher.utter_message(response="utter_disease_unknown_name")
            return [answered("disease")]
        dispatcher.utter_message(response="utter_ask_ald_key")
        return []
    severe = severe_forms_entry(match)
    if match.status == "removed":
        removed = ald_list.removed_entry(match.key)
        dispatcher.utter_message(
            response="utter_disease_removed",
            ald_name=removed.label,
            ald_number=str(removed.number),
            removed_in=str(removed.removed_in),
            legal_ref=removed.legal_ref,
        )
    elif severe is not None and severe.entry is not None:
        dispatcher.utter_message(
            response="utter_disease_severe_forms",
            ald_name=capitalised(match.label),
            ald_number=str(severe.entry.number),
            list_name=severe.label,
        )
    elif match.status == "not_on_list" or match.entry is None:
        dispatcher.utter_message(response="utter_disease_not_on_list")
    else:
        dispatcher.utter_message(
            response="utter_disease_on_list",
            ald_name=match.label,
            ald_number=str(match.entry.number),
            duration=ald_list.duration_text_fr(match),
            intro=intro(match.label, remembered),
        )
    return [answered("disease")]


class ActionDiseaseAld(Action):
    """Is my disease an ALD? The disease of this message, or the one said before."""

    def name(self) -> str:
        return "action_disease_ald"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = answer_disease(tracker, dispatcher, remembered=not disease_said_now(tracker))
        return with_offer(dispatcher, tracker, events)
