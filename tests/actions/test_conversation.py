"""Session start, helpline, fallback and the reset of the personal slots."""
from __future__ import annotations

import pytest

from actions.conversation import (
    PERSONAL_SLOTS,
    ActionFallback,
    ActionHelpline,
    ActionResetPersonalSlots,
    ActionSessionStart,
)
from ald import figures


async def test_session_start_fills_every_figure_slot(run, tracker):
    events = (await run(ActionSessionStart(), tracker())).events
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots == {f"fig_{k}": v for k, v in figures.figure_values().items()}
    assert slots["fig_sid_telephone"] == "01 53 62 40 30"
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"


@pytest.mark.parametrize("now_iso,response", [
    ("2026-11-23T15:00:00+01:00", "utter_helpline_open"),      # Monday afternoon
    ("2026-11-24T19:30:00+01:00", "utter_helpline_open"),      # Tuesday evening
    ("2026-11-23T18:00:00+01:00", "utter_helpline_closed"),    # Monday, closing time
    ("2026-11-28T10:00:00+01:00", "utter_helpline_closed"),    # Saturday
])
async def test_helpline(now, run, tracker, now_iso, response):
    now(now_iso)
    msg = (await run(ActionHelpline(), tracker())).message
    assert msg["response"] == response
    if response == "utter_helpline_closed":
        assert "14 h" in msg["next_opening"]


def _user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def test_fallback_offers_topics_then_a_person(run, tracker):
    ranking = {"response_selector": {"faq": {"ranking": [
        {"intent_response_key": "faq/delai_reponse"}, {"intent_response_key": "faq/renouvellement"}]}}}
    msg = (await run(ActionFallback(), tracker(intent="nlu_fallback", parse_extra=ranking,
                                               events=[_user("greet"), _user("nlu_fallback")]))).message
    assert msg["response"] == "utter_fallback_first"
    assert [b["title"] for b in msg["buttons"]] == ["Quel est le délai de réponse ?",
                                                    "Comment renouveler le protocole ?"]
    ran = await run(ActionFallback(), tracker(intent="nlu_fallback",
                                              events=[_user("nlu_fallback"), _user("nlu_fallback")]))
    assert ran.message["response"] == "utter_fallback_helpline"


async def test_fallback_without_close_topics(run, tracker):
    ran = await run(ActionFallback(), tracker(intent="nlu_fallback", events=[_user("nlu_fallback")]))
    assert ran.message["response"] == "utter_fallback_generic"


async def test_reset_forgets_only_filled_personal_slots(run, tracker):
    t = tracker({"sent_date": "2026-01-10", "fig_x": "y"})
    events = (await run(ActionResetPersonalSlots(), t)).events
    assert events == [{"event": "slot", "timestamp": None, "name": "sent_date", "value": None}]


def test_personal_slots_are_every_slot_of_the_forms(domain):
    assert PERSONAL_SLOTS == ("sent_date", "valid_until", "derog_start", "ald_key", "agreement_date",
                              "request_date", "care_kind", "ald_status", "linked_to_ald", "in_protocol",
                              "elig_long_term", "elig_on_list", "elig_costly", "elig_several")
    in_forms = {s for form in domain["forms"].values() for s in form["required_slots"]}
    assert set(PERSONAL_SLOTS) == in_forms
