"""Custom actions, run with rasa_sdk's real Tracker and CollectingDispatcher (no server)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as A
from ald import figures

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: Dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def tracker(slots: Optional[Dict[str, Any]] = None, text: str = "", intent: str = "inform",
            entities: Optional[List[dict]] = None, events: Optional[List[dict]] = None,
            parse_extra: Optional[dict] = None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "entities": entities or [], **(parse_extra or {})}
    return Tracker("test-user", slots or {}, latest, events or [], False, None, {}, "action_listen")


async def run(action, t: Tracker):
    d = CollectingDispatcher()
    events = await action.run(d, t, DOMAIN)
    return d.messages, events


def only(messages: List[dict]) -> dict:
    assert len(messages) == 1, messages
    return messages[0]


@pytest.fixture
def today(monkeypatch):
    def set_today(iso: str) -> None:
        monkeypatch.setenv("ALD_TODAY", iso)
    return set_today


async def test_session_start_fills_every_figure_slot():
    _, events = await run(A.ActionSessionStart(), tracker())
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots == {f"fig_{k}": v for k, v in figures.figure_values().items()}
    assert slots["fig_sid_telephone"] == "01 53 62 40 30"
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"


@pytest.mark.parametrize("sent,today_iso,response,kwargs", [
    ("2026-01-10", "2026-01-15", "utter_decision_waiting_conseil",
     {"sent": "10 janvier 2026", "favourable_by": "24 janvier 2026", "decision_by": "10 février 2026"}),
    ("2026-01-10", "2026-01-30", "utter_decision_waiting_decision", {"decision_by": "10 février 2026"}),
    ("2026-01-10", "2026-03-01", "utter_decision_overdue", {"decision_by": "10 février 2026"}),
    ("2025-12-20", "2025-12-22", "utter_decision_waiting_conseil", {"decision_by": "20 janvier 2026"}),
])
async def test_decision_answer(today, sent, today_iso, response, kwargs):
    today(today_iso)
    msg = only((await run(A.ActionAnswerDecision(), tracker({"sent_date": sent})))[0])
    assert msg["response"] == response
    for k, v in kwargs.items():
        assert msg[k] == v


@pytest.mark.parametrize("until,today_iso,status,ask_by", [
    ("2027-05-31", "2026-11-23", "ok", "28 février 2027"),
    ("2028-05-31", "2026-11-23", "ok", "29 février 2028"),
    ("2027-05-31", "2027-02-10", "soon", "28 février 2027"),
    ("2027-05-31", "2027-03-10", "late", "28 février 2027"),
    ("2027-05-31", "2027-06-10", "expired", "28 février 2027"),
])
async def test_renewal_answer(today, until, today_iso, status, ask_by):
    today(today_iso)
    msg = only((await run(A.ActionAnswerRenewal(), tracker({"valid_until": until})))[0])
    assert msg["response"] == f"utter_renewal_{status}"
    assert msg["ask_by"] == ask_by


async def test_derogatory_answer(today):
    today("2026-11-23")
    msg = only((await run(A.ActionAnswerDerogatory(), tracker({"derog_start": "2026-10-05"})))[0])
    assert msg["response"] == "utter_derogatory_ok"
    assert msg["ends_on"] == "5 avril 2027" and msg["days_left"] == "133"


@pytest.mark.parametrize("value,expected,response", [
    ("10 janvier", "2026-01-10", None),
    ("je l'ai envoyé le 1er mars dernier", "2026-03-01", None),
    ("15/12/2025", "2025-12-15", None),
    ("il y a 10 jours", "2026-11-13", None),
    ("31 février", None, "utter_date_impossible"),
    ("le 10 décembre 2026", None, "utter_date_future_not_allowed"),
    ("bof je sais pas", None, "utter_date_unparsed"),
    ("<script>alert(1)</script>", None, "utter_date_unparsed"),
    ("", None, "utter_date_unparsed"),
])
async def test_sending_date_validation(today, value, expected, response):
    today("2026-11-23")
    d = CollectingDispatcher()
    result = A.ValidateDecisionForm().validate_sent_date(value, d, tracker(), DOMAIN)
    assert result == {"sent_date": expected}
    assert [m["response"] for m in d.messages] == ([response] if response else [])


async def test_end_date_without_year_is_the_next_one(today):
    today("2026-11-23")
    d = CollectingDispatcher()
    assert A.ValidateRenewalForm().validate_valid_until("31 mai", d, tracker(), DOMAIN) == {"valid_until": "2027-05-31"}
    assert not d.messages


async def test_future_date_error_shows_our_formatting_not_user_text(today):
    today("2026-11-23")
    d = CollectingDispatcher()
    A.ValidateDecisionForm().validate_sent_date("le 10/12/2026", d, tracker(), DOMAIN)
    assert d.messages[0]["date"] == "10 décembre 2026"


async def test_coverage_asks_only_what_is_needed():
    v = A.ValidateCoverageForm()
    d = CollectingDispatcher()
    assert await v.required_slots([], d, tracker(), DOMAIN) == ["care_kind"]
    slots = await v.required_slots([], d, tracker({"care_kind": "kine"}), DOMAIN)
    assert slots[:2] == ["care_kind", "ald_status"]
    assert await v.required_slots([], d, tracker({"care_kind": "medecine_douce"}), DOMAIN) == ["care_kind"]


async def test_coverage_with_an_unknown_or_several_extracted_care_words():
    # NLU may put a word the rules do not know ("soins") or several words in the slot.
    v = A.ValidateCoverageForm()
    d = CollectingDispatcher()
    assert await v.required_slots([], d, tracker({"care_kind": "soins"}), DOMAIN) == ["care_kind"]
    slots = await v.required_slots([], d, tracker({"care_kind": ["soins", "transport"],
                                                   "ald_status": "non_exonerante"}), DOMAIN)
    assert slots[:2] == ["care_kind", "linked_to_ald"]
    assert v.validate_care_kind(["soins", "taxi"], d, tracker(), DOMAIN) == {"care_kind": "transport"}
    assert v.validate_care_kind("soins", d, tracker(), DOMAIN) == {"care_kind": None}
    two = tracker(text="mon transport pour mes soins", intent="ask_coverage",
                  entities=[{"entity": "care_kind", "value": "transport"},
                            {"entity": "care_kind", "value": "soins"}])
    assert v.validate_care_kind("soins", d, two, DOMAIN) == {"care_kind": "transport"}
    assert [m["response"] for m in d.messages] == ["utter_care_kind_unknown"]
    messages, events = await run(A.ActionAnswerCoverage(), tracker({"care_kind": "soins"}))
    assert only(messages)["response"] == "utter_care_kind_unknown" and events == []


@pytest.mark.parametrize("slots,response,fragment", [
    ({"care_kind": "kine", "ald_status": "exonerante", "linked_to_ald": False},
     "utter_coverage_usual", "pas lié à votre ALD"),
    ({"care_kind": "kine", "ald_status": "exonerante", "linked_to_ald": True, "in_protocol": True},
     "utter_coverage_100", "prévu dans votre protocole"),
    ({"care_kind": "transport", "ald_status": "non_exonerante", "linked_to_ald": True},
     "utter_coverage_transport", "4 € par transport"),
    ({"care_kind": "medecine_douce"}, "utter_coverage_not_covered", "ne rembourse pas"),
])
async def test_coverage_answer(slots, response, fragment):
    msg = only((await run(A.ActionAnswerCoverage(), tracker(slots)))[0])
    assert msg["response"] == response
    assert fragment in msg["reasons"] + msg["still_pays"]
    assert "{fig_" not in msg["reasons"] + msg["still_pays"]


@pytest.mark.parametrize("value,intent,expected", [
    ("oui", "affirm", True), ("non", "deny", False), ("ouais", "inform", True),
    ("Non.", "inform", False), ("peut-être", "inform", None),
])
async def test_yes_no_answers(value, intent, expected):
    d = CollectingDispatcher()
    result = A.ValidateCoverageForm().validate_linked_to_ald(value, d, tracker(text=value, intent=intent), DOMAIN)
    assert result == {"linked_to_ald": expected}
    assert bool(d.messages) == (expected is None)


@pytest.mark.parametrize("value,expected", [
    ("je suis en ALD non exonérante", "non_exonerante"), ("pas en ald", "aucune"),
    ("à 100 %", "exonerante"), ("exonerante", "exonerante"), ("chépa", None),
])
async def test_ald_status_from_text(value, expected):
    d = CollectingDispatcher()
    assert A.ValidateCoverageForm().validate_ald_status(value, d, tracker(), DOMAIN) == {"ald_status": expected}


async def test_eligibility_asks_in_order_and_answers():
    v = A.ValidateEligibilityForm()
    d = CollectingDispatcher()
    assert await v.required_slots([], d, tracker(), DOMAIN) == ["elig_long_term"]
    assert await v.required_slots([], d, tracker({"elig_long_term": True}), DOMAIN) == ["elig_on_list"]
    answers = {"elig_long_term": True, "elig_on_list": False, "elig_costly": True}
    assert await v.required_slots([], d, tracker(answers), DOMAIN) == []
    msg = only((await run(A.ActionAnswerEligibility(), tracker(answers)))[0])
    assert msg["response"] == "utter_elig_ald31"
    msg = only((await run(A.ActionAnswerEligibility(), tracker({"elig_long_term": False})))[0])
    assert msg["response"] == "utter_elig_not_eligible"


async def test_eligibility_accepts_a_disease_name_for_the_list_question():
    d = CollectingDispatcher()
    assert A.ValidateEligibilityForm().validate_elig_on_list("la maladie de parkinson", d, tracker(), DOMAIN) == {"elig_on_list": True}


@pytest.mark.parametrize("now,response", [
    ("2026-11-23T15:00:00+01:00", "utter_helpline_open"),      # Monday afternoon
    ("2026-11-24T19:30:00+01:00", "utter_helpline_open"),      # Tuesday evening
    ("2026-11-23T18:00:00+01:00", "utter_helpline_closed"),    # Monday, closing time
    ("2026-11-28T10:00:00+01:00", "utter_helpline_closed"),    # Saturday
])
async def test_helpline(monkeypatch, now, response):
    monkeypatch.setenv("ALD_NOW", now)
    msg = only((await run(A.ActionHelpline(), tracker()))[0])
    assert msg["response"] == response
    if response == "utter_helpline_closed":
        assert "14 h" in msg["next_opening"]


def _user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def test_fallback_offers_topics_then_a_person():
    ranking = {"response_selector": {"faq": {"ranking": [
        {"intent_response_key": "faq/delai_reponse"}, {"intent_response_key": "faq/renouvellement"}]}}}
    msgs, _ = await run(A.ActionFallback(), tracker(intent="nlu_fallback", parse_extra=ranking,
                                                    events=[_user("greet"), _user("nlu_fallback")]))
    msg = only(msgs)
    assert msg["response"] == "utter_fallback_first"
    assert [b["title"] for b in msg["buttons"]] == ["Quel est le délai de réponse ?", "Comment renouveler le protocole ?"]
    msgs, _ = await run(A.ActionFallback(), tracker(intent="nlu_fallback",
                                                    events=[_user("nlu_fallback"), _user("nlu_fallback")]))
    assert only(msgs)["response"] == "utter_fallback_helpline"


@pytest.mark.parametrize("entity,response,number", [
    ("diabète", "utter_disease_on_list", "8"), ("sclerose en plaque", "utter_disease_on_list", "25"),
    ("fibromyalgie", "utter_disease_not_on_list", None), ("hypertension", "utter_disease_removed", None),
])
async def test_disease_lookup(entity, response, number):
    t = tracker(intent="ask_disease_ald", entities=[{"entity": "disease", "value": entity}])
    msg = only((await run(A.ActionDiseaseAld(), t))[0])
    assert msg["response"] == response
    if number:
        assert msg["ald_number"] == number


async def test_exoneration_end():
    msg = only((await run(A.ActionAnswerExoneration(), tracker({"ald_key": "8", "agreement_date": "2024-03-12"})))[0])
    assert msg["response"] == "utter_exoneration_end"
    assert msg["ends_on"] == "12 mars 2034" and msg["duration"].startswith("10 ans")


async def test_retroactive_two_dates_in_one_message(today):
    today("2026-11-23")
    d = CollectingDispatcher()
    text = "demande faite le 3 mars, accord le 20 avril"
    result = A.ValidateRetroactiveForm().validate_request_date(text, d, tracker(text=text), DOMAIN)
    assert result == {"request_date": "2026-03-03", "agreement_date": "2026-04-20"}
    msg = only((await run(A.ActionAnswerRetroactive(), tracker(result)))[0])
    assert (msg["request"], msg["agreement"]) == ("3 mars 2026", "20 avril 2026")


async def test_agreement_before_request_is_refused(today):
    today("2026-11-23")
    d = CollectingDispatcher()
    t = tracker({"request_date": "2026-05-01"})
    assert A.ValidateRetroactiveForm().validate_agreement_date("20 avril", d, t, DOMAIN) == {"agreement_date": None}
    assert d.messages[0]["response"] == "utter_agreement_before_request"


async def test_reset_forgets_only_filled_personal_slots():
    _, events = await run(A.ActionResetPersonalSlots(), tracker({"sent_date": "2026-01-10", "fig_x": "y"}))
    assert events == [{"event": "slot", "timestamp": None, "name": "sent_date", "value": None}]
