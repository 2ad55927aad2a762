"""Session start, helpline, fallback and the end of a form left unanswered."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from actions.conversation import (
    ActionFallback,
    ActionFormEnded,
    ActionHelpline,
    ActionSessionStart,
)
from ald import figures


async def test_session_start_fills_every_figure_slot(run, tracker):
    events = (await run(ActionSessionStart(), tracker())).events
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots == {f"fig_{k}": v for k, v in figures.figure_values().items()}
    assert slots["fig_sid_telephone"] == "01 53 62 40 30"
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"


@pytest.mark.parametrize(
    "now_iso,response",
    [
        ("2026-11-23T15:00:00+01:00", "utter_helpline_open"),  # Monday afternoon
        ("2026-11-24T19:30:00+01:00", "utter_helpline_open"),  # Tuesday evening
        ("2026-11-23T18:00:00+01:00", "utter_helpline_closed"),  # Monday, closing time
        ("2026-11-28T10:00:00+01:00", "utter_helpline_closed"),  # Saturday
        ("2026-12-24T15:00:00+01:00", "utter_helpline_open"),  # Thursday before Christmas
        ("2027-03-26T15:00:00+01:00", "utter_helpline_open"),  # Good Friday: not a holiday here
    ],
)
async def test_helpline(now, run, tracker, now_iso, response):
    now(now_iso)
    msg = (await run(ActionHelpline(), tracker())).message
    assert msg["response"] == response
    if response == "utter_helpline_closed":
        assert "14 h" in msg["next_opening"]


@pytest.mark.parametrize(
    "now_iso,holiday,next_opening",
    [
        ("2027-01-01T15:00:00+01:00", "Jour de l'an", "lundi 4 janvier à 14 h"),
        ("2027-03-29T15:00:00+02:00", "Lundi de Pâques", "demain à 14 h"),
        ("2026-05-01T15:00:00+02:00", "Fête du Travail", "lundi 4 mai à 14 h"),
        ("2026-05-08T10:00:00+02:00", "Fête de la Victoire", "lundi 11 mai à 14 h"),
        ("2026-05-14T15:00:00+02:00", "Ascension", "demain à 14 h"),
        ("2027-05-17T19:00:00+02:00", "Lundi de Pentecôte", "demain à 14 h"),
        ("2026-07-14T15:00:00+02:00", "Fête nationale", "demain à 14 h"),
        ("2027-08-15T15:00:00+02:00", "Assomption", "demain à 14 h"),  # Sunday
        ("2027-11-01T15:00:00+01:00", "Toussaint", "demain à 14 h"),
        ("2026-11-11T15:00:00+01:00", "Armistice", "demain à 14 h"),
        ("2026-12-25T15:00:00+01:00", "Noël", "lundi 28 décembre à 14 h"),
    ],
)
async def test_helpline_on_a_holiday_never_says_open(now, run, tracker, now_iso, holiday, next_opening):
    now(now_iso)
    msg = (await run(ActionHelpline(), tracker())).message
    assert msg["response"] == "utter_helpline_holiday"
    assert (msg["holiday"], msg["next_opening"]) == (holiday, next_opening)


def test_the_holiday_answer_says_so_first_then_when_it_reopens():
    path = Path(__file__).resolve().parents[2] / "domain" / "responses" / "conversation.yml"
    text = yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]["utter_helpline_holiday"][0]["text"]
    assert text.startswith("C'est un jour férié ({holiday}) : la ligne")
    assert "peut-être fermée" in text and "{next_opening}" in text and "{fig_sid_telephone}" in text
    assert "ouverte en ce moment" not in text


def _user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def test_fallback_offers_topics_then_a_person(run, tracker):
    ranking = {
        "response_selector": {
            "faq": {
                "ranking": [
                    {"intent_response_key": "faq/delai_reponse"},
                    {"intent_response_key": "faq/renouvellement"},
                ]
            }
        }
    }
    msg = (
        await run(
            ActionFallback(),
            tracker(
                intent="nlu_fallback", parse_extra=ranking, events=[_user("greet"), _user("nlu_fallback")]
            ),
        )
    ).message
    assert msg["response"] == "utter_fallback_first"
    assert [b["title"] for b in msg["buttons"]] == [
        "Quel est le délai de réponse ?",
        "Comment renouveler le protocole ?",
    ]
    ran = await run(
        ActionFallback(),
        tracker(intent="nlu_fallback", events=[_user("nlu_fallback"), _user("nlu_fallback")]),
    )
    assert ran.message["response"] == "utter_fallback_helpline"


async def test_gibberish_gets_the_plain_fallback_without_topics(run, tracker):
    ranking = {"response_selector": {"faq": {"ranking": [{"intent_response_key": "faq/delai_reponse"}]}}}
    t = tracker(text="qsdfghjkl", intent="nlu_fallback", parse_extra=ranking, events=[_user("greet")])
    ran = await run(ActionFallback(), t)
    assert [m["response"] for m in ran.messages] == ["utter_fallback_generic"]


async def test_fallback_without_close_topics(run, tracker):
    ran = await run(ActionFallback(), tracker(intent="nlu_fallback", events=[_user("nlu_fallback")]))
    assert ran.message["response"] == "utter_fallback_generic"


async def test_a_form_left_unanswered_keeps_the_memory_and_resets_its_misses(run, tracker):
    t = tracker({"sent_date": "2026-01-10", "form_misses": 1})
    events = (await run(ActionFormEnded(), t)).events
    assert events == [{"event": "slot", "timestamp": None, "name": "form_misses", "value": None}]
    assert (await run(ActionFormEnded(), tracker({"sent_date": "2026-01-10"}))).events == []


async def test_a_short_follow_up_after_an_answer_gets_that_answer_again(run, tracker, today):
    today("2026-12-02")
    t = tracker(
        {"last_topic": "renewal_form", "valid_until": "2027-06-30"},
        text="je dois faire quoi et avant quand ?",
        intent="nlu_fallback",
    )
    ran = await run(ActionFallback(), t)
    assert [m.get("response") for m in ran.messages] == [
        "utter_follow_up",
        "utter_renewal_ok",
        "utter_feedback_offer",
    ]
    assert ran.messages[1]["ask_by"] == "30 mars 2027"


async def test_another_question_after_an_answer_gets_the_usual_fallback(run, tracker):
    t = tracker(
        {"last_topic": "renewal_form", "valid_until": "2027-06-30"},
        text="je cherche une assurance pour ma voiture",
        intent="nlu_fallback",
    )
    ran = await run(ActionFallback(), t)
    assert ran.message["response"] == "utter_fallback_generic"


async def test_a_message_not_understood_still_counts_for_what_it_tells(run, tracker):
    events = [{"event": "user", "text": "x"}, {"event": "slot", "name": "ald_key", "value": "21"}]
    t = tracker(
        {"ald_key": "21"},
        text="Ma femme vient d'apprendre qu'elle a un lupus.",
        intent="nlu_fallback",
        events=events,
    )
    ran = await run(ActionFallback(), t)
    assert ran.message["response"] == "utter_disease_on_list" and ran.message["ald_number"] == "21"


async def test_a_short_question_about_the_disease_just_said(run, tracker):
    t = tracker({"ald_key": "16", "last_topic": "disease"}, text="elle y a droit ?", intent="nlu_fallback")
    ran = await run(ActionFallback(), t)
    assert ran.message["ald_number"] == "16" and "dont vous m'avez parlé" in ran.message["intro"]


async def test_how_long_after_a_disease_answer_gets_that_answer_again(run, tracker):
    t = tracker(
        {"ald_key": "16", "last_topic": "disease"}, text="et ca dure combien de temps", intent="nlu_fallback"
    )
    ran = await run(ActionFallback(), t)
    assert ran.message["ald_number"] == "16" and ran.message["duration"] == "10 ans"


async def test_a_fallback_answered_from_context_does_not_count_as_a_miss(run, tracker):
    events = [
        _user("nlu_fallback"),
        {"event": "bot", "text": "Oui…", "metadata": {"utter_action": "utter_disease_on_list"}},
        _user("nlu_fallback"),
    ]
    ran = await run(ActionFallback(), tracker(intent="nlu_fallback", text="bof", events=events))
    assert ran.message["response"] != "utter_fallback_helpline"


@pytest.mark.parametrize("text", ["c pr cb de tps", "et ca dure combien ?", "pour combien de temps"])
async def test_sms_follow_ups_after_a_disease_answer(run, tracker, text):
    t = tracker({"ald_key": "16", "last_topic": "disease"}, text=text, intent="nlu_fallback")
    ran = await run(ActionFallback(), t)
    assert ran.message["ald_number"] == "16" and ran.message["duration"] == "10 ans"


async def test_what_to_do_after_a_renewal_answer(run, tracker, today):
    today("2026-12-02")
    t = tracker(
        {"last_topic": "renewal_form", "valid_until": "2027-04-22"},
        text="qu'est-ce que je dois faire ?",
        intent="nlu_fallback",
    )
    ran = await run(ActionFallback(), t)
    assert [m.get("response") for m in ran.messages] == [
        "utter_follow_up",
        "utter_renewal_ok",
        "utter_feedback_offer",
    ]


def unsure_faq(topic: str, confidence: float) -> Dict[str, Any]:
    """Parse data of a message the gate sent to the fallback because unsure of the FAQ topic."""
    return {
        "gate": {"reason": "faq_unsure", "intent": "nlu_fallback"},
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": f"faq/{topic}", "confidence": confidence}]}
        },
    }


async def test_an_unsure_topic_that_follows_the_last_answer_is_answered_and_said_so(run, tracker):
    t = tracker(
        {"ald_key": "13", "last_topic": "disease"},
        text="merci, et qui s'occupe de la demande ?",
        intent="nlu_fallback",
        parse_extra=unsure_faq("qui_redige", 0.33),
    )
    ran = await run(ActionFallback(), t)
    understood, answer, offer = ran.messages
    assert offer["response"] == "utter_feedback_offer"
    assert understood["response"] == "utter_understood_as" and "protocole" in understood["question"]
    assert answer["utter_action"] == "utter_faq/qui_redige" and answer["text"].startswith(
        "C'est votre médecin"
    )


@pytest.mark.parametrize(
    "slots, parse",
    [
        ({"last_topic": "disease", "ald_key": "13"}, unsure_faq("transport", 0.6)),  # does not follow
        ({"last_topic": "disease", "ald_key": "13"}, unsure_faq("qui_redige", 0.1)),  # too unsure
        ({}, unsure_faq("qui_redige", 0.6)),  # no answer before
        ({"last_topic": "disease", "ald_key": "13"}, {"gate": {"reason": "gibberish"}}),
    ],
)
async def test_otherwise_the_usual_fallback(run, tracker, slots, parse):
    t = tracker(slots, text="euh la demande truc", intent="nlu_fallback", parse_extra=parse)
    ran = await run(ActionFallback(), t)
    assert ran.messages[0]["response"].startswith("utter_fallback")


def _leaning(intent: str, confidence: float) -> Dict[str, Any]:
    """Parse data of a message under the fallback threshold that leans to `intent`."""
    return {
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.65},
            {"name": intent, "confidence": confidence},
        ]
    }


async def test_a_personal_question_the_classifier_leans_to_is_answered_from_what_is_known(
    run, tracker, today
):
    today("2026-12-02")
    t = tracker(
        {"last_topic": "exoneration_form", "valid_until": "2035-04-03", "agreement_date": "2025-04-03"},
        text="et il faudra le renouveler quand ?",
        intent="nlu_fallback",
        parse_extra=_leaning("ask_renewal_date", 0.58),
    )
    ran = await run(ActionFallback(), t)
    assert [m["response"] for m in ran.messages] == ["utter_renewal_ok", "utter_feedback_offer"]
    assert ran.messages[0]["ask_by"] == "3 janvier 2035"
    assert {"event": "slot", "timestamp": None, "name": "last_topic", "value": "renewal_form"} in ran.events


@pytest.mark.parametrize(
    "slots, parse",
    [
        ({"valid_until": "2035-04-03"}, _leaning("ask_renewal_date", 0.30)),  # too unsure
        ({}, _leaning("ask_renewal_date", 0.58)),  # the date it needs is unknown
        ({"valid_until": "2035-04-03"}, _leaning("faq", 0.90)),  # not a personal question
    ],
)
async def test_no_leaning_answer_without_confidence_or_what_it_needs(run, tracker, today, slots, parse):
    today("2026-12-02")
    t = tracker(slots, text="et il faudra le renouveler quand ?", intent="nlu_fallback", parse_extra=parse)
    ran = await run(ActionFallback(), t)
    assert all(m.get("response") != "utter_renewal_ok" for m in ran.messages)


async def test_a_care_not_understood_with_the_situation_unknown_starts_the_coverage_form(run, tracker):
    events = [{"event": "user", "text": "x"}, {"event": "slot", "name": "care_kind", "value": "kine"}]
    t = tracker(
        {"care_kind": "kine", "ald_key": "8"}, text="et la kine ?", intent="nlu_fallback", events=events
    )
    ran = await run(ActionFallback(), t)
    assert ran.messages == [] and ran.events == [
        {"event": "followup", "timestamp": None, "name": "coverage_form"}
    ]


async def test_a_care_not_understood_with_the_situation_known_gets_its_coverage(run, tracker):
    events = [{"event": "user", "text": "x"}, {"event": "slot", "name": "care_kind", "value": "kine"}]
    slots = {"care_kind": "kine", "ald_status": "aucune"}
    ran = await run(
        ActionFallback(), tracker(slots, text="et la kine ?", intent="nlu_fallback", events=events)
    )
    assert ran.message["response"] == "utter_coverage_usual"


async def test_a_statement_with_a_disease_and_a_care_gets_the_disease_answer(run, tracker):
    events = [
        {"event": "user", "text": "x"},
        {"event": "slot", "name": "care_kind", "value": "kine"},
        {"event": "slot", "name": "ald_key", "value": "25"},
    ]
    t = tracker(
        {"care_kind": "kine", "ald_key": "25"},
        text="ma mère a une sclérose en plaques, elle fait de la kiné",
        intent="nlu_fallback",
        events=events,
    )
    ran = await run(ActionFallback(), t)
    assert ran.messages[0]["response"] == "utter_disease_on_list"
    assert all(e.get("event") != "followup" for e in ran.events)


async def test_a_lean_to_a_coverage_question_with_no_care_known_answers_nothing(run, tracker):
    t = tracker(text="c'est rembourse ?", intent="nlu_fallback", parse_extra=_leaning("ask_coverage", 0.5))
    ran = await run(ActionFallback(), t)
    assert all(m.get("response") != "utter_care_kind_unknown" for m in ran.messages)
    assert all(e.get("name") != "last_topic" for e in ran.events)
