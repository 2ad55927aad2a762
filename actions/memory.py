"""The conversation's memory: after every user message, what it says of the patient's situation
is kept in slots (`action_remember`, the custom slot mapping run by Rasa's action_extract_slots),
so that no question is asked twice and a later question uses what was said before.

What is read (ald.context, ald.answers, ald.ald_list, ald.coverage):
- dates with their role ("envoyé le…" → sent_date, "valable jusqu'au…" → valid_until…); a
  date without such words, outside a form, right after a date answer, is a correction of that
  answer's date ("pardon, le 2 octobre");
- the disease (its key on the list in `ald_key`, or the name the user wrote in
  `disease_name` when the list does not know it), and for whom (`relative`);
- the ALD situation, the care asked about, whether it is linked to the ALD and in the protocol;
- the duration of care (→ `elig_long_term`) and a sick leave.
Inside a form, the slot being asked is left to the form's own mappings and validator, but for a
yes or a no to its yes/no question that the classifier read as a FAQ question or a polite word
("oui c'est marqué dans le protocole"): the form's mapping skips such a message, the memory
gives the form its answer (`answer_to_question`)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.eligibility import LONG_TERM_MONTHS
from actions.table import FORMS
from actions.turns import previous_user_text
from ald import answers, clock, context, coverage, dates
from ald.ald_list import AldMatch, lookup_disease, unknown_name_in
from ald.text import fold

#: Intents after which a disease named in the whole text (not only as an entity) is kept.
DISEASE_INTENTS = {
    "ask_disease_ald",
    "check_eligibility",
    "ask_exoneration_end",
    "inform",
    "ask_renewal_date",
    "faq",
    "affirm",
    "deny",
    # "il a fait un AVC cet été, il est paralysé" may still read as an emergency: the disease
    # is kept for the question about the ALD that follows.
    "emergency",
}
#: Intents after which a care named in the text is kept (the coverage questions).
CARE_INTENTS = {"ask_coverage", "inform", "deny", "faq"}
#: Words of a question about how a care is reimbursed or what it costs (on folded text).
_COST_WORDS = (
    r"rembours\w*|pris\w* en charge|(?:reste )?a (?:ma |sa |ta |votre |leur |notre )?charge|a 100\b|"
    r"combien|cb|cmb|pay(?:er|ant\w*)|gratuit\w*"
)
#: With these words, a doctor named in a message not understood is the consultation asked
#: about ("combien coûte le rhumato", "je paye le médecin").
COST_CUE = re.compile(rf"\b(?:{_COST_WORDS}|coute?\w*|pay\w*)")
#: Intents of small talk: "merci docteur" names no care asked about.
SMALL_TALK = {"greet", "thank", "goodbye", "affirm", "deny", "bot_challenge", "what_can_you_do", "feedback"}
#: Slots a correction or a new value may change after an answer, per answered form.
LAST_TOPIC_SLOT = "last_topic"
#: The words of a message that asks something: a question mark, an elliptic "et la kiné", a
#: question word, or how a care is reimbursed ("la kiné c'est à 100 % pour moi", "à ma charge",
#: "à payer"). Outside the coverage questions, a care named in a message that asks nothing
#: ("ses médicaments coûtent une fortune et c'est pour toute la vie") is no care asked about: it
#: does not start them.
ASKS = re.compile(rf"\?|^(?:et|mais)\b|\b(?:est[- ]ce|quel(?:le)?s?|comment|pourquoi|savoir|{_COST_WORDS})\b")
#: Intents whose reading loses to a yes or a no that answers the question a form just asked
#: ("oui c'est marqué dans le protocole", classified as a question on the protocol): a question
#: of information or a polite word. Never the safety, hand-off or exit intents, nor another
#: form's question, whose rules must run.
ANSWER_WINS_OVER = {"faq", "faq_details", "ask_disease_ald", "thank", "greet"}
#: ... and for the question of the ALD situation, also the readings that carry no entity.
STATUS_ANSWER_INTENTS = ANSWER_WINS_OVER | {"inform", "affirm", "deny", "nlu_fallback"}


def _lean(ranking: List[Dict[str, Any]]) -> str:
    """The intent a message not understood leaned to (the first after the fallback)."""
    return str(ranking[1].get("name") or "") if len(ranking) > 1 else ""


def entity_values(tracker: Tracker, entity: str) -> List[str]:
    return [str(v) for v in tracker.get_latest_entity_values(entity) if v]


def disease_in(tracker: Tracker, text: str, intent: str, asked: Optional[str]) -> Optional[AldMatch]:
    """The disease the message names: an extracted `disease` entity first, else the whole
    text when the intent or the question is about a disease."""
    for name in entity_values(tracker, "disease"):
        match = lookup_disease(name)
        if match is not None:
            return match
    if intent in DISEASE_INTENTS or asked in ("ald_key", "elig_on_list", "elig_long_term"):
        return lookup_disease(text)
    return None


def answer_to_question(
    text: str, intent: str, active: Optional[str], asked: Optional[str], facts: context.Facts
) -> Any:
    """The yes or no a message gives to the yes/no question the form `active` just asked
    (`asked`), when the classifier read it as something else (ANSWER_WINS_OVER), so that the
    form's own mapping, which reads answers only, left it: "oui c'est marqué dans le protocole",
    "bah oui c'est dans le protocole", "non pas dedans", or a plain statement of the fact asked
    ("c'est inscrit dans mon protocole"). None for a doubt, a question with no yes or no word
    first ("?", "je voudrais savoir si c'est dans le protocole ou non": answers.asks), or any
    other message. For the question of the ALD situation, the situation the message states
    ("elle est en ald", read as a question about a disease or not understood, with no entity
    for the form's mapping)."""
    form = FORMS.get(str(active))
    spec = form.slots.get(str(asked)) if form is not None else None
    if spec is not None and spec.kind == "ald_status" and intent in STATUS_ANSWER_INTENTS:
        return None if answers.asks(text) else facts.ald_status
    if spec is None or spec.kind != "yes_no" or intent not in ANSWER_WINS_OVER:
        return None
    reading = answers.read_yes_no(text)
    if reading in ("yes", "no"):
        return reading == "yes"
    if reading is None and not answers.asks(text):
        stated = {"in_protocol": facts.in_protocol, "linked_to_ald": facts.linked_to_ald}
        return stated.get(spec.name)
    return None


def _date_ok(slot: str, when: Any) -> bool:
    spec = next((s for f in FORMS.values() for s in f.slots.values() if s.name == slot), None)
    if spec is None:
        return True
    return dates.check_side(when, clock.today(), spec.must_be) == "ok"


def remembered(tracker: Tracker) -> Dict[str, Any]:
    """Slot → value of what the latest user message says (only what changes)."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    if not text.strip() or text.startswith("/"):
        return {}
    intent = classified = str((message.get("intent") or {}).get("name") or "")
    ranking = message.get("intent_ranking") or []
    # Not understood surely (but no small talk): a care it names is still the care talked
    # about ("et la kiné ?", "et les consultations chez l'oncologue ?").
    unsure = intent == "nlu_fallback" and _lean(ranking) not in SMALL_TALK
    if intent == "nlu_fallback" and len(ranking) > 1:
        # Not understood well enough to answer, but what it says is read as the intent the
        # classifier leaned to.
        intent = str(ranking[1].get("name") or "")
    active = (tracker.active_loop or {}).get("name")
    asked = tracker.get_slot("requested_slot") if active else None
    today = clock.today()
    facts = context.read_context(text, today)
    found: Dict[str, Any] = {}

    reply = answer_to_question(text, classified, active, asked, facts)
    if asked and reply is not None:
        # The form reads it as its answer (Rasa runs the form before the intent's rule when
        # the message filled one of its slots): no FAQ answer, no question asked twice.
        found[asked] = reply

    for role, when in facts.dates.items():
        if role != asked and _date_ok(role, when):
            found[role] = when.isoformat()
    last = tracker.get_slot(LAST_TOPIC_SLOT)
    corrects = facts.correction or intent in ("inform", "deny")
    if not active and corrects and facts.loose_dates and not facts.dates and last in FORMS:
        date_slots = [s for s in FORMS[last].slots.values() if s.kind == "date"]
        if len(date_slots) == 1:
            spec = date_slots[0]
            parsed = dates.parse_date_fr(facts.loose_dates[-1], today, spec.prefer)
            if parsed.value is not None and dates.check_side(parsed.value, today, spec.must_be) == "ok":
                found[spec.name] = parsed.value.isoformat()

    if not active and facts.loose_dates and not facts.dates and not found:
        told = context.date_of_open_role(previous_user_text(tracker), facts.loose_dates[-1], today)
        if told is not None and _date_ok(*told):
            found[told[0]] = told[1].isoformat()

    match = disease_in(tracker, text, intent, asked)
    if match is not None and asked not in ("ald_key",):
        if match.status == "on_list":
            found["ald_key"] = match.key
            found["disease_name"] = None
        else:
            found["ald_key"] = None
            found["disease_name"] = match.key
    elif intent in ("ask_disease_ald", "inform") and entity_values(tracker, "disease"):
        # A name the list does not know, if it could be one: not a symptom or a state
        # ("paralysé d'un côté") taken for a disease by the entity extractor.
        name = entity_values(tracker, "disease")[0]
        if unknown_name_in(name) is not None:
            found["disease_name"] = name
            found["ald_key"] = None
    if facts.relative:
        found["relative"] = facts.relative

    if asked != "ald_status":
        # The whole message read with the vocabulary first: it sees the negation in "pas en
        # ALD", which an extracted "ALD" entity alone does not.
        status = facts.ald_status
        entity = next(iter(entity_values(tracker, "ald_status")), None)
        # An extracted "à 100 %" in a question ("remboursée à 100 % ?") is no situation: the
        # entity counts alone only in a statement, or when it names the ALD itself.
        if status is None and entity and (intent == "inform" or re.search(r"ald|exo", fold(entity))):
            status = coverage.ald_status_from_text(entity)
        if status:
            found["ald_status"] = status

    care = None
    in_coverage = "coverage_form" in (active, last)
    if asked != "care_kind" and (unsure or intent in CARE_INTENTS or in_coverage):
        # "mon rhumato m'a prescrit un médoc": the care prescribed, not the prescriber.
        care = coverage.care_asked(text, entity_values(tracker, "care_kind"))
        if care is None and (unsure or intent == "ask_coverage"):
            care = coverage.care_kind_from_text(text)
        if unsure and care == "consultation_generaliste" and not COST_CUE.search(fold(text)):
            care = None  # "son médecin parle d'une forme grave": a doctor named, no care asked about
        if intent != "ask_coverage" and not in_coverage and not ASKS.search(fold(text)):
            care = None  # a statement that only mentions a care asks nothing of its coverage
        if asked and reply is not None:
            # The yes or no answers the question on the care being asked about ("non c'est pas
            # dedans, et les médicaments ?"): it stays, and so does that care.
            care = None
        if care and care != tracker.get_slot("care_kind"):
            found["care_kind"] = care
            # Another care: whether it is linked and in the protocol is asked again.
            found["linked_to_ald"] = None
            found["in_protocol"] = None
    # Whether a care is linked and in the protocol only when a care is talked about: "qu'est-ce
    # qui est prévu dans le protocole ?" says nothing of the user's care.
    talking_care = intent in ("ask_coverage", "inform", "deny") or "coverage_form" in (active, last)
    about_care = bool(care) or talking_care
    if about_care and facts.in_protocol is not None and asked != "in_protocol":
        found["in_protocol"] = facts.in_protocol
    if about_care and facts.linked_to_ald is not None and asked != "linked_to_ald":
        found["linked_to_ald"] = facts.linked_to_ald

    if asked != "elig_long_term" and (
        intent in ("check_eligibility", "inform") or active == "eligibility_form"
    ):
        months = answers.duration_months(text)
        if months is not None:
            found["elig_long_term"] = months >= LONG_TERM_MONTHS
    if facts.sick_leave:
        found["sick_leave"] = True

    return {slot: value for slot, value in found.items() if tracker.get_slot(slot) != value}


class ActionRemember(Action):
    """Keeps what the latest message says of the patient's situation (see the module)."""

    def name(self) -> str:
        return "action_remember"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        known = set((domain.get("slots") or {}).keys())
        return [
            SlotSet(slot, value) for slot, value in remembered(tracker).items() if not known or slot in known
        ]
