"""What the actions share: reading the user's answers (dates, yes/no, optional booleans), the
form validator base, and the phrase pieces of content/phrases.yml.

Reading stays thin: the parsing itself is ald's (ald.dates, ald.answers, ald.clock)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.feedback import offer_feedback
from actions.table import FORMS, SlotSpec, again_response, slot_spec
from actions.turns import bot_actions, slot_events, turn_events
from ald import ald_list, answers, clock, context, dates, figures
from ald.content import load_content
from ald.dates import MustBe, Prefer, format_date_fr
from ald.text import fold

# --------------------------------------------------------------------------- wording


def phrase(group: str, code: str) -> str:
    """A phrase piece of content/phrases.yml, figures filled in ('' for an unknown code)."""
    text = str((load_content("phrases.yml").get(group) or {}).get(code, ""))
    return fill_figures(text)


def fill_figures(text: str) -> str:
    """Fills the {fig_...} placeholders of a phrase from figures.yml."""
    return figures.fill_figures(text)


#: The slot that remembers which question was answered last: a correction or a new detail
#: then recomputes that answer (actions/followup.py).
LAST_TOPIC = "last_topic"


def answered(topic: str) -> SlotSet:
    """The event that records `topic` ("disease", or a form's name) as the last answer."""
    return SlotSet(LAST_TOPIC, topic)


# --------------------------------------------------------------------------- reading answers


def yes_no(tracker: Tracker, value: Any) -> Optional[bool]:
    """Reads a yes/no answer from the latest intent, or the text itself."""
    if isinstance(value, bool):
        return value
    if answers.read_yes_no(str(value or "")) == "unsure":
        return None  # "je sais pas" is no "no", whatever intent the classifier gave it
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return answers.yes_no_from_text(str(value or ""))


def optional_bool(tracker: Tracker, slot: str) -> Optional[bool]:
    """A yes/no slot for a rule: True or False once answered, None while unknown."""
    value = tracker.get_slot(slot)
    return value if isinstance(value, bool) else None


def role_date(slot: str, value: Any, tracker: Tracker) -> Optional[str]:
    """The date the latest message gives this slot by its role words, when `value` is one of
    several dates of that message: Rasa's entity mapping takes one of them blindly ("demande
    le 1er septembre, accord le 10 octobre" gave the request 10 octobre), the memory's reading
    (ald.context) knows which date is which. None otherwise."""
    text = str((tracker.latest_message or {}).get("text") or "")
    if not isinstance(value, str) or len(dates.find_dates(text)) < 2 or fold(value) not in fold(text):
        return None
    roles = context.read_context(text, clock.today()).dates
    when = next((d for role, d in roles.items() if role == slot), None)
    return when.isoformat() if when else None


def resolve_date(
    value: Any, prefer: Prefer, must_be: MustBe
) -> Tuple[Optional[date], Optional[str], Dict[str, str]]:
    """A slot value (a date entity's text, or a whole answer) → (date, error response, kwargs).

    `prefer`: how to complete a date without a year ("past" or "future").
    `must_be`: which side of today the date must be on ("past", "future" or "any")."""
    text = str(value or "").strip()
    if not text:
        return None, "utter_date_unparsed", {}
    if isinstance(value, str) and len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:  # already validated (ISO)
            return date.fromisoformat(text), None, {}
        except ValueError:
            pass
    today = clock.today()
    spans = dates.find_dates(text)
    candidates = [s.text for s in spans] or [text]
    parsed = dates.parse_date_fr(candidates[0], today, prefer)
    if parsed.value is None:
        return None, f"utter_date_{parsed.error or 'unparsed'}", {}
    side = dates.check_side(parsed.value, today, must_be)
    if side != "ok":
        return None, f"utter_date_{side}", {"date": format_date_fr(parsed.value)}
    return parsed.value, None, {}


def slot_date(tracker: Tracker, slot: str) -> date:
    """The date a validator stored (ISO) in `slot`."""
    return date.fromisoformat(tracker.get_slot(slot))


# --------------------------------------------------------------------------- validator base

#: Unusable answers in a row after which a form stops asking (it offers the topics and the
#: helpline instead of asking a third time).
MAX_MISSES = 2
MISSES = "form_misses"


def slots_set_now(tracker: Tracker) -> Dict[str, Any]:
    """The slots set since the latest user message (the memory and the slot mappings): the
    last value of each."""
    return {str(e.get("name")): e.get("value") for e in slot_events(turn_events(tracker))}


def said_this_turn(tracker: Tracker, response: str) -> bool:
    """True when the bot already sent `response` since the latest user message."""
    return response in bot_actions(turn_events(tracker))


def set_last_turn(tracker: Tracker, slot: str) -> bool:
    """True when `slot` got a value while the previous user message was handled (not the
    latest one): what the latest message adds may complete it."""
    events = slot_events(turn_events(tracker, back=1), slot)
    return bool(events) and events[-1].get("value") is not None


def gave_up(tracker: Tracker) -> bool:
    """True when the form just ended because the answers could not be used."""
    return int(tracker.get_slot(MISSES) or 0) >= MAX_MISSES


class FormValidator(FormValidationAction, ABC):
    """Base of the form validators. Each `validate_<slot>` reads the answer with one of these
    readers; when it cannot, `reject` says why (or helps when the user does not know) and
    leaves the slot empty, so the form asks again — twice at most."""

    @abstractmethod
    def name(self) -> str:
        """validate_<form>. Abstract: rasa_sdk's executor registers every subclass of Action
        that is not abstract, and this base has no action name of its own."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if again_response() in bot_actions(turn_events(tracker)):
            # The form's own question was asked again inside it (dialogue/forms.yml `again`):
            # Rasa runs the form after that response without passing on what the message
            # filled ("envoyé le 10 janvier, quand aurai-je la réponse ?"), so it would be kept
            # unread. Put back at the end, it is read as an answer is.
            form_slots = set(self.domain_slots(domain))
            for name, value in slots_set_now(tracker).items():
                if name in form_slots and value is not None:
                    tracker.events.append({"event": "slot", "name": name, "value": value, "timestamp": None})
        return await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        """None once the form gave up (the form then ends), else `needed_slots`."""
        if gave_up(tracker):
            return []
        return await self.needed_slots(domain_slots, dispatcher, tracker, domain)

    async def needed_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        """The slots still to ask (default: the form's, from the domain)."""
        return domain_slots

    def date_slot(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        """A date slot, read as dialogue/forms.yml says for this form (its prefer / must_be)."""
        return self.read_date(slot_spec(self.form_name(), slot), value, dispatcher, tracker)

    def read_date(
        self, slot: SlotSpec, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        """A date slot read as `slot` says: {name: ISO date}, or {name: None} and the error."""
        when, error, kwargs = resolve_date(
            role_date(slot.name, value, tracker) or value, slot.prefer, slot.must_be
        )
        if when is None:
            # A date read but impossible or on the wrong side of today was understood: its own
            # answer, not a miss. Only text that holds no date counts towards giving up.
            counted = error in (None, "utter_date_unparsed")
            return self.reject(
                dispatcher, tracker, slot.name, error or "utter_date_unparsed", counted, **kwargs
            )
        return self.accept(slot.name, when.isoformat())

    def yes_no_slot(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        """A yes/no slot: True, False, or None (and why) when the answer is neither."""
        answer = yes_no(tracker, value)
        if answer is None:
            return self.reject(dispatcher, tracker, slot, "utter_yes_no_unknown")
        return self.accept(slot, answer)

    @staticmethod
    def accept(slot: str, value: Any) -> Dict[str, Any]:
        """The slot's value (the count of unusable answers goes on until the form ends)."""
        return {slot: value}

    def reject(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        slot: str,
        response: str,
        counted: bool = True,
        **kwargs: Any,
    ) -> Dict[str, Any]:
        """The answer cannot fill `slot`. Said kindly, in this order:
        - the message told something else the memory kept (a disease, a situation): noted,
          and the form asks its question again — not counted as a miss;
        - the user does not know ("je sais pas"): where to find the answer (utter_unsure_<slot>);
        - otherwise `response` (why the answer was not taken).
        The second unusable answer ends the form: the topics and the helpline. `counted`: False
        for an answer that was understood but cannot be used (an impossible date): said, never
        counted."""
        told = {
            k
            for k, v in slots_set_now(tracker).items()
            if v is not None and k not in (slot, MISSES, "requested_slot")
        }
        text = str((tracker.latest_message or {}).get("text") or "")
        if told and answers.read_yes_no(text) != "unsure":
            key = tracker.get_slot("ald_key")
            match = ald_list.match_from_key(str(key)) if "ald_key" in told and key else None
            if match is not None and match.entry is not None:
                dispatcher.utter_message(
                    response="utter_noted_disease", ald_name=match.label, ald_number=str(match.entry.number)
                )
            else:
                dispatcher.utter_message(response="utter_noted")
            return {slot: None}
        if not counted:
            dispatcher.utter_message(response=response, **kwargs)
            return {slot: None}
        misses = int(tracker.get_slot(MISSES) or 0) + 1
        if misses >= MAX_MISSES:
            dispatcher.utter_message(response="utter_form_give_up")
            return {slot: None, MISSES: misses, "requested_slot": None}
        if answers.read_yes_no(text) == "unsure":
            dispatcher.utter_message(response=f"utter_unsure_{slot}")
        else:
            dispatcher.utter_message(response=response, **kwargs)
        return {slot: None, MISSES: misses}


class FormAnswer(Action, ABC):
    """Base of the actions that answer a form (the `answer` of dialogue/forms.yml). The same
    answer is given again by actions/followup.py when the user corrects what it used."""

    #: The form it answers (a key of dialogue/forms.yml), recorded as the last answer.
    topic: str = ""

    @abstractmethod
    def name(self) -> str:
        """The form's `answer` action name."""

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """Words the answer from the slots (all known: see `can_answer`)."""

    def can_answer(self, tracker: Tracker) -> bool:
        """True when every slot the answer needs is known."""
        return all(tracker.get_slot(slot) is not None for slot in FORMS[self.topic].slots)

    def answered_topic(self, tracker: Tracker) -> Optional[str]:
        """What a correction may later recompute: this form, once really answered."""
        return self.topic

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if gave_up(tracker) or not self.can_answer(tracker):
            return [SlotSet(MISSES, None)]  # the form ended without what it needs: said already
        events = self.answer(dispatcher, tracker)
        topic = self.answered_topic(tracker)
        if topic:
            events = [*events, SlotSet(LAST_TOPIC, topic), *offer_feedback(dispatcher, tracker, topic)]
        return [*events, SlotSet(MISSES, None)]
