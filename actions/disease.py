"""Is my disease an ALD? A look-up in the ALD 30 table (ald.ald_list)."""
from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from ald import ald_list


class ActionDiseaseAld(Action):
    """Is my disease an ALD? Looks the disease up in the ALD 30 table."""

    def name(self) -> str:
        return "action_disease_ald"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        names = [e.get("value") for e in tracker.latest_message.get("entities", [])
                 if e.get("entity") == "disease"]
        text = str(names[0]) if names else str(tracker.latest_message.get("text") or "")
        match = ald_list.lookup_disease(text)
        if match is None:
            if names:
                dispatcher.utter_message(response="utter_disease_not_on_list")
            else:
                dispatcher.utter_message(response="utter_ask_ald_key")
        elif match.status == "removed":
            dispatcher.utter_message(response="utter_disease_removed")
        elif match.status == "not_on_list" or match.entry is None:
            dispatcher.utter_message(response="utter_disease_not_on_list")
        else:
            dispatcher.utter_message(response="utter_disease_on_list", ald_name=match.label,
                                     ald_number=str(match.entry.number),
                                     duration=ald_list.duration_text_fr(match))
        # The message also filled ald_key (its slot mapping): empty it, so that a later
        # exoneration form asks for the disease itself.
        return [SlotSet("ald_key", None)]
