"""Custom actions: the glue between Rasa and the ALD package (ald/).

Logic lives in ald/ (pure Python, tested on its own); wording lives in domain.yml
(the utter_* responses named here). These actions only read slots, call a rule, and pick the
response that words its result."""
from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from ald import ald_list, answers, clock, coverage, dates, delays, eligibility, figures, helpline
from ald.content import load_content

# --------------------------------------------------------------------------- helpers


def fmt(d: date) -> str:
    return dates.format_date_fr(d)


def phrase(group: str, code: str) -> str:
    """A phrase piece of content/phrases.yml, figures filled in ('' for an unknown code)."""
    text = str((load_content("phrases.yml").get(group) or {}).get(code, ""))
    return fill_figures(text)


def fill_figures(text: str) -> str:
    """Fills the {fig_...} placeholders of a phrase from figures.yml."""
    for key, value in figures.figure_values().items():
        text = text.replace("{fig_" + key + "}", str(value))
    return text


def yes_no(tracker: Tracker, value: Any) -> Optional[bool]:
    """Reads a yes/no answer from the latest intent, or the text itself."""
    if isinstance(value, bool):
        return value
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return answers.yes_no_from_text(str(value or ""))


def resolve_date(value: Any, prefer: str, must_be: str) -> Tuple[Optional[date], Optional[str], Dict[str, str]]:
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
    t = clock.today()
    spans = dates.find_dates(text)
    candidates = [s.text for s in spans] or [text]
    parsed = dates.parse_date_fr(candidates[0], t, prefer)  # type: ignore[arg-type]
    if parsed.value is None:
        return None, f"utter_date_{parsed.error or 'unparsed'}", {}
    side = dates.check_side(parsed.value, t, must_be)  # type: ignore[arg-type]
    if side != "ok":
        return None, f"utter_date_{side}", {"date": fmt(parsed.value)}
    return parsed.value, None, {}


def date_slot(slot: str, value: Any, prefer: str, must_be: str,
              dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    d, error, kwargs = resolve_date(value, prefer, must_be)
    if error:
        dispatcher.utter_message(response=error, **kwargs)
        return {slot: None}
    return {slot: d.isoformat()}  # type: ignore[union-attr]


def slot_date(tracker: Tracker, slot: str) -> date:
    return date.fromisoformat(tracker.get_slot(slot))


# --------------------------------------------------------------------------- session, contacts


class ActionSessionStart(Action):
    """Starts a session and fills the fig_* slots from figures.yml (the one place for figures)."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        events += [SlotSet(f"fig_{key}", value) for key, value in figures.figure_values().items()]
        events.append(ActionExecuted("action_listen"))
        return events


class ActionHelpline(Action):
    """Hand-off to a person: Santé Info Droits (open now or next opening) and 36 46."""

    def name(self) -> Text:
        return "action_helpline"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        now = clock.now()
        status = helpline.helpline_status(now)
        if status.open_now:
            dispatcher.utter_message(response="utter_helpline_open")
        else:
            dispatcher.utter_message(response="utter_helpline_closed",
                                     next_opening=helpline.format_opening_fr(status.next_opening, now.date()))
        return []


class ActionFallback(Action):
    """Low confidence: say so, propose the closest topics; after two misses in a row, a person."""

    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        misses = 0
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                if (event.get("parse_data", {}).get("intent") or {}).get("name") == "nlu_fallback":
                    misses += 1
                else:
                    break
        if misses >= 2:
            dispatcher.utter_message(response="utter_fallback_helpline")
            return []
        buttons = closest_topics(tracker, domain)
        if buttons:
            dispatcher.utter_message(response="utter_fallback_first", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_fallback_generic")
        return []


def closest_topics(tracker: Tracker, domain: DomainDict, limit: int = 3) -> List[Dict[str, str]]:
    """Buttons for the FAQ answers the ResponseSelector found closest to the message.

    Each button sends the topic's own question, from content/topics.yml."""
    parse = tracker.latest_message or {}
    ranking = (((parse.get("response_selector") or {}).get("faq") or {}).get("ranking")) or []
    questions: Dict[str, str] = load_content("topics.yml").get("topics") or {}
    buttons: List[Dict[str, str]] = []
    for item in ranking:
        key = str(item.get("intent_response_key", ""))  # e.g. "faq/delai_reponse"
        topic = key.split("/", 1)[-1]
        if topic not in questions:
            continue
        buttons.append({"title": questions[topic], "payload": questions[topic]})
        if len(buttons) == limit:
            break
    return buttons


class ActionDiseaseAld(Action):
    """Is my disease an ALD? Looks the disease up in the ALD 30 table."""

    def name(self) -> Text:
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
            return [SlotSet("ald_key", None)]
        if match.status == "removed":
            dispatcher.utter_message(response="utter_disease_removed")
        elif match.status == "not_on_list":
            dispatcher.utter_message(response="utter_disease_not_on_list")
        else:
            entry = match.entry
            dispatcher.utter_message(response="utter_disease_on_list", ald_name=match.label,
                                     ald_number=str(entry.number),
                                     duration=ald_list.duration_text_fr(match))
        return [SlotSet("ald_key", None)]


# --------------------------------------------------------------------------- dates forms


class ValidateDecisionForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_decision_form"

    def validate_sent_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> Dict[Text, Any]:
        return date_slot("sent_date", value, "past", "past", dispatcher)


class ActionAnswerDecision(Action):
    """When will the caisse answer? (rules: delays.decision_delays)."""

    def name(self) -> Text:
        return "action_answer_decision"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        sent = slot_date(tracker, "sent_date")
        r = delays.decision_delays(sent, clock.today())
        dispatcher.utter_message(response=f"utter_decision_{r.status}", sent=fmt(sent),
                                 favourable_by=fmt(r.favourable_by), decision_by=fmt(r.decision_by))
        return []


class ValidateRenewalForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_renewal_form"

    def validate_valid_until(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return date_slot("valid_until", value, "future", "any", dispatcher)


class ActionAnswerRenewal(Action):
    """When must I ask for renewal? (rules: delays.renewal)."""

    def name(self) -> Text:
        return "action_answer_renewal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        end = slot_date(tracker, "valid_until")
        r = delays.renewal(end, clock.today())
        dispatcher.utter_message(response=f"utter_renewal_{r.status}", valid_until=fmt(end),
                                 ask_by=fmt(r.ask_by), days_left=str(max(r.days_left, 0)))
        return []


class ValidateDerogatoryForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_derogatory_form"

    def validate_derog_start(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return date_slot("derog_start", value, "past", "past", dispatcher)


class ActionAnswerDerogatory(Action):
    """Derogatory procedure: until when? (rules: delays.derogatory)."""

    def name(self) -> Text:
        return "action_answer_derogatory"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        start = slot_date(tracker, "derog_start")
        r = delays.derogatory(start, clock.today())
        dispatcher.utter_message(response=f"utter_derogatory_{r.status}", start=fmt(start),
                                 ends_on=fmt(r.ends_on), days_left=str(max(r.days_left, 0)))
        return []


class ValidateExonerationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_exoneration_form"

    def validate_ald_key(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        match = ald_list.lookup_disease(str(value or ""))
        if match is None:
            dispatcher.utter_message(response="utter_disease_unknown")
            return {"ald_key": None}
        if match.status != "on_list":
            dispatcher.utter_message(response="utter_disease_removed" if match.status == "removed"
                                     else "utter_disease_not_on_list")
            return {"ald_key": None, "requested_slot": None}
        return {"ald_key": match.key}

    def validate_agreement_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        return date_slot("agreement_date", value, "past", "past", dispatcher)


class ActionAnswerExoneration(Action):
    """Expected end of the exoneration from the ALD and the agreement date (durations table)."""

    def name(self) -> Text:
        return "action_answer_exoneration"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        key = tracker.get_slot("ald_key")
        if not key or not tracker.get_slot("agreement_date"):
            return []
        match = ald_list.match_from_key(key)
        agreement = slot_date(tracker, "agreement_date")
        r = delays.exoneration_end(match, agreement)
        note = phrase("renewal_notes", r.renewal_note) if r.renewal_note else ""
        dispatcher.utter_message(response="utter_exoneration_end_ambiguous" if r.ambiguous else "utter_exoneration_end",
                                 ald_name=match.label, ald_number=str(r.number),
                                 duration=ald_list.duration_text_fr(match), agreement=fmt(agreement),
                                 ends_on=fmt(r.ends_on), renewal_note=note)
        return []


class ValidateRetroactiveForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_retroactive_form"

    def validate_request_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        found = dates.find_dates(str(value or ""))
        result = date_slot("request_date", value, "past", "past", dispatcher)
        if result.get("request_date") and len(found) >= 2 and not tracker.get_slot("agreement_date"):
            # "demande le 3 mars, accord le 20 avril": the second date is the agreement.
            second = date_slot("agreement_date", found[1].text, "past", "past", dispatcher)
            if second.get("agreement_date"):
                result.update(self._ordered(result["request_date"], second["agreement_date"], dispatcher))
        return result

    def validate_agreement_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        result = date_slot("agreement_date", value, "past", "past", dispatcher)
        request = tracker.get_slot("request_date")
        if result.get("agreement_date") and request:
            return self._ordered(request, result["agreement_date"], dispatcher)
        return result

    @staticmethod
    def _ordered(request: str, agreement: str, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        if agreement < request:
            dispatcher.utter_message(response="utter_agreement_before_request",
                                     agreement=fmt(date.fromisoformat(agreement)),
                                     request=fmt(date.fromisoformat(request)))
            return {"agreement_date": None}
        return {"agreement_date": agreement}


class ActionAnswerRetroactive(Action):
    """Retroactive 100 % for the care between the request and the agreement."""

    def name(self) -> Text:
        return "action_answer_retroactive"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        request = slot_date(tracker, "request_date")
        agreement = slot_date(tracker, "agreement_date")
        r = delays.retroactive(request, agreement, clock.today())
        dispatcher.utter_message(response="utter_retroactive", request=fmt(r.start), agreement=fmt(r.end))
        return []


# --------------------------------------------------------------------------- coverage


COVERAGE_SLOTS = {"ald_status": "ald_status", "linked_to_ald": "linked_to_ald",
                  "in_protocol": "in_protocol"}
def care_from(value: Any, tracker: Optional[Tracker] = None) -> Optional[str]:
    """The CareKind of a care_kind slot value: the slot holds what NLU extracted, which may be
    a word the rules do not know ("soins") or one of several care words of the message; then
    the other care_kind entities of the latest message are tried. None if none is known."""
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if tracker is not None:
        values += list(tracker.get_latest_entity_values("care_kind"))
    for v in values:
        kind = coverage.care_kind_from_text(str(v or ""))
        if kind is not None:
            return kind
    return None


def situation_from(tracker: Tracker) -> coverage.Situation:
    def b(name: str) -> Optional[bool]:
        v = tracker.get_slot(name)
        return v if isinstance(v, bool) else None
    return coverage.Situation(ald_status=tracker.get_slot("ald_status") or "unknown",
                              linked_to_ald=b("linked_to_ald"), in_protocol=b("in_protocol"))


class ValidateCoverageForm(FormValidationAction):
    """Asks only what the coverage rule still needs (coverage.coverage(...).missing)."""

    def name(self) -> Text:
        return "validate_coverage_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        # Called before the slots are validated: the raw value may not be a known care kind.
        care = care_from(tracker.get_slot("care_kind"), tracker)
        if not care:
            return ["care_kind"]
        verdict = coverage.coverage(care, situation_from(tracker))
        return ["care_kind"] + [COVERAGE_SLOTS[m] for m in verdict.missing if m in COVERAGE_SLOTS]

    def validate_care_kind(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> Dict[Text, Any]:
        kind = care_from(value, tracker)
        if kind is None:
            dispatcher.utter_message(response="utter_care_kind_unknown")
            return {"care_kind": None}
        return {"care_kind": kind}

    def validate_ald_status(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        status = coverage.ald_status_from_text(str(value or ""))
        if status is not None:
            return {"ald_status": status}
        dispatcher.utter_message(response="utter_ald_status_unknown")
        return {"ald_status": None}

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                tracker: Tracker) -> Dict[Text, Any]:
        answer = yes_no(tracker, value)
        if answer is None:
            dispatcher.utter_message(response="utter_yes_no_unknown")
        return {slot: answer}

    def validate_linked_to_ald(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        return self._yes_no("linked_to_ald", value, dispatcher, tracker)

    def validate_in_protocol(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return self._yes_no("in_protocol", value, dispatcher, tracker)


class ActionAnswerCoverage(Action):
    """Is this care covered at 100 %? (rules: coverage.coverage)."""

    def name(self) -> Text:
        return "action_answer_coverage"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        care = care_from(tracker.get_slot("care_kind"))
        if not care:
            dispatcher.utter_message(response="utter_care_kind_unknown")  # never stay silent
            return []
        verdict = coverage.coverage(care, situation_from(tracker))
        reasons = " ".join(filter(None, (phrase("reasons", c) for c in verdict.reasons)))
        pays = [p for p in (phrase("still_pays", c) for c in verdict.still_pays) if p]
        still = f"{phrase('still_pays', 'intro')} {', '.join(pays)}." if pays else ""
        names = {"100_base_tariff": "utter_coverage_100", "usual_rates": "utter_coverage_usual",
                 "transport_rate": "utter_coverage_transport", "not_covered": "utter_coverage_not_covered",
                 "need_more_info": "utter_coverage_more_info"}
        label = phrase("care_labels", care) or care
        dispatcher.utter_message(response=names[verdict.rate], care_label=label,
                                 reasons=reasons, still_pays=still)
        return []


# --------------------------------------------------------------------------- eligibility


ELIG_SLOTS = {"long_term": "elig_long_term", "on_list": "elig_on_list",
              "costly_treatment": "elig_costly", "several_diseases": "elig_several"}


def answers_from(tracker: Tracker) -> eligibility.EligibilityAnswers:
    def b(name: str) -> Optional[bool]:
        v = tracker.get_slot(name)
        return v if isinstance(v, bool) else None
    return eligibility.EligibilityAnswers(long_term=b("elig_long_term"), on_list=b("elig_on_list"),
                                          costly_treatment=b("elig_costly"),
                                          several_diseases=b("elig_several"))


class ValidateEligibilityForm(FormValidationAction):
    """Asks only the questions the triage still needs (eligibility.triage(...).missing)."""

    def name(self) -> Text:
        return "validate_eligibility_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        result = eligibility.triage(answers_from(tracker))
        return [ELIG_SLOTS[m] for m in result.missing if m in ELIG_SLOTS]

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                tracker: Tracker) -> Dict[Text, Any]:
        answer = yes_no(tracker, value)
        if answer is None:
            dispatcher.utter_message(response="utter_yes_no_unknown")
        return {slot: answer}

    def validate_elig_long_term(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        return self._yes_no("elig_long_term", value, dispatcher, tracker)

    def validate_elig_on_list(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        answer = yes_no(tracker, value)
        if answer is None:  # a disease name instead of yes/no
            match = ald_list.lookup_disease(str(value or ""))
            if match is not None:
                answer = match.status == "on_list"
        if answer is None:
            dispatcher.utter_message(response="utter_yes_no_unknown")
        return {"elig_on_list": answer}

    def validate_elig_costly(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return self._yes_no("elig_costly", value, dispatcher, tracker)

    def validate_elig_several(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._yes_no("elig_several", value, dispatcher, tracker)


class ActionAnswerEligibility(Action):
    """Eligibility triage (never a decision: the caisse decides)."""

    def name(self) -> Text:
        return "action_answer_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        result = eligibility.triage(answers_from(tracker))
        if result.kind == "need_more_info":
            dispatcher.utter_message(response="utter_coverage_more_info")
        else:
            dispatcher.utter_message(response=f"utter_elig_{result.kind}")
        return []


PERSONAL_SLOTS = ("sent_date", "valid_until", "derog_start", "ald_key", "agreement_date",
                  "request_date", "care_kind", "ald_status", "linked_to_ald", "in_protocol",
                  "elig_long_term", "elig_on_list", "elig_costly", "elig_several")


class ActionResetPersonalSlots(Action):
    """Forgets the answers of a finished or cancelled form, so the next question starts afresh."""

    def name(self) -> Text:
        return "action_reset_personal_slots"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        return [SlotSet(s, None) for s in PERSONAL_SLOTS if tracker.get_slot(s) is not None]
