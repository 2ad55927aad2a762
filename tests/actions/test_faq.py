"""action_faq: the FAQ answer picked, then what it means for what the user told."""

from __future__ import annotations

from typing import Any, Dict

from actions.faq import ActionFaq


def picked(topic: str) -> Dict[str, Any]:
    return {
        "response_selector": {"faq": {"response": {"intent_response_key": f"faq/{topic}"}, "ranking": []}}
    }


async def test_the_answer_alone_when_nothing_is_known(run, tracker):
    ran = await run(
        ActionFaq(),
        tracker(text="qui remplit le protocole ?", intent="faq", parse_extra=picked("qui_redige")),
    )
    assert [m["response"] for m in ran.messages] == ["utter_faq/qui_redige"]


async def test_a_duration_question_after_a_disease(run, tracker):
    t = tracker(
        {"ald_key": "16"},
        text="et le 100 % dure combien de temps ?",
        intent="faq",
        parse_extra=picked("duree_exoneration"),
    )
    first, line = (await run(ActionFaq(), t)).messages
    assert first["response"] == "utter_faq/duree_exoneration"
    assert "Parkinson" in line["text"] and "n° 16" in line["text"] and "10 ans" in line["text"]


async def test_a_renewal_question_with_the_end_of_validity_known(run, tracker, today):
    today("2026-12-02")
    t = tracker(
        {"valid_until": "2027-06-30"},
        text="comment se passe le renouvellement ?",
        intent="faq",
        parse_extra=picked("renouvellement"),
    )
    _, line = (await run(ActionFaq(), t)).messages
    assert "30 juin 2027" in line["text"] and "30 mars 2027" in line["text"]


async def test_no_topic_picked_is_never_silent(run, tracker):
    ran = await run(ActionFaq(), tracker(text="??", intent="faq"))
    assert ran.message["response"] == "utter_fallback_generic"


async def test_a_very_short_time_question_after_a_disease_answer_is_about_it(run, tracker):
    t = tracker(
        {"ald_key": "8", "last_topic": "disease"},
        text="pr cb de temps",
        intent="faq",
        parse_extra=picked("delai_reponse"),
    )
    ran = await run(ActionFaq(), t)
    assert ran.message["response"] == "utter_disease_on_list" and ran.message["duration"].startswith("10 ans")


async def test_a_short_new_question_after_a_disease_answer_gets_its_faq_answer(run, tracker):
    t = tracker(
        {"ald_key": "8", "last_topic": "disease"},
        text="comment faire la demande ?",
        intent="faq",
        parse_extra=picked("qui_redige"),
    )
    ran = await run(ActionFaq(), t)
    assert ran.message["response"] == "utter_faq/qui_redige"


async def test_what_if_after_a_coverage_answer_recomputes_it(run, tracker):
    slots = {
        "last_topic": "coverage_form",
        "care_kind": "consultation_specialiste",
        "ald_status": "exonerante",
        "linked_to_ald": True,
        "in_protocol": False,
    }
    events = [{"event": "user", "text": "x"}, {"event": "slot", "name": "in_protocol", "value": False}]
    t = tracker(
        slots,
        text="et si la consultation n'etait pas dans le protocole ?",
        intent="faq",
        parse_extra=picked("contenu_protocole"),
        events=events,
    )
    ran = await run(ActionFaq(), t)
    assert ran.message["response"].startswith("utter_coverage_")
    assert ran.message["response"] != "utter_coverage_100"


async def test_a_delay_question_after_a_sending_date_says_the_dates_for_the_user(run, tracker, today):
    today("2026-12-02")
    t = tracker(
        {"sent_date": "2026-11-05"},
        text="et le delai du medecin conseil est deja passe ?",
        intent="faq",
        parse_extra=picked("delai_reponse"),
    )
    ran = await run(ActionFaq(), t)
    assert ran.messages[0]["response"] == "utter_faq/delai_reponse"
    assert "19 novembre 2026" in ran.messages[1]["text"] and "5 décembre 2026" in ran.messages[1]["text"]
