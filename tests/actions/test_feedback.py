"""Feedback on answers (actions/feedback.py): offered after FAQ and personal answers only,
never twice in a row nor inside a form; the rating stored as an event with its topic; "not
helpful" offers the helpline and the closest topics; a plain "oui"/"non" counts only right
after the offer."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest

from actions.coverage import ActionAnswerCoverage
from actions.faq import ActionFaq
from actions.feedback import FEEDBACK, OFFER, OFFERED, RATED_TOPIC, ActionFeedback, offer_was_last
from actions.followup import ActionContext
from ald import feedback
from ald.content import load_content

TOPICS: Dict[str, str] = load_content("topics.yml")["topics"]


def picked(topic: str, *others: str) -> Dict[str, Any]:
    """The parse data of a message the NLU read as the FAQ topic `topic` (then `others`)."""
    ranking = [{"intent_response_key": f"faq/{t}", "confidence": 0.1} for t in (topic, *others)]
    return {
        "response_selector": {
            "faq": {"response": {"intent_response_key": f"faq/{topic}"}, "ranking": ranking}
        }
    }


def slots_of(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def offered(messages: List[Dict[str, Any]]) -> bool:
    return any(m.get("response") == OFFER for m in messages)


def user(text: str, intent: str = "faq", parse: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, **(parse or {})}}


def bot(utter_action: str) -> Dict[str, Any]:
    return {"event": "bot", "text": "...", "metadata": {"utter_action": utter_action}}


# --------------------------------------------------------------------------- the offer


async def test_an_faq_answer_ends_with_the_offer_and_records_its_topic(run, tracker):
    ran = await run(
        ActionFaq(),
        tracker(text="qui remplit le protocole ?", intent="faq", parse_extra=picked("qui_redige")),
    )
    assert [m.get("utter_action") or m.get("response") for m in ran.messages] == [
        "utter_faq/qui_redige",
        OFFER,
    ]
    assert slots_of(ran.events) == {RATED_TOPIC: "faq/qui_redige", OFFERED: True}


async def test_the_offer_is_a_one_tap_choice_without_a_question_mark(domain):
    (offer,) = domain["responses"][OFFER]
    payloads = [b["payload"] for b in offer["buttons"]]
    assert payloads == ['/feedback{"helpful":"yes"}', '/feedback{"helpful":"no"}']
    assert "helpful" in domain["entities"] and "feedback" in domain["intents"]
    # tools/multiturn.py reads a "?" in the last message as the bot asking a question.
    assert "?" not in offer["text"] and "oui" in offer["text"] and "non" in offer["text"]


async def test_never_twice_in_a_row(run, tracker):
    """The answer after an answer whose offer got no rating asks nothing; the one after asks."""
    t = tracker(
        {OFFERED: True}, text="qui remplit le protocole ?", intent="faq", parse_extra=picked("qui_redige")
    )
    ran = await run(ActionFaq(), t)
    assert not offered(ran.messages)
    assert slots_of(ran.events) == {RATED_TOPIC: "faq/qui_redige", OFFERED: None}
    again = await run(
        ActionFaq(), tracker(text="et où l'envoyer ?", intent="faq", parse_extra=picked("ou_envoyer"))
    )
    assert offered(again.messages)


async def test_no_offer_inside_a_form(run, tracker):
    """An FAQ asked in the middle of a form: the form's question comes next, not the offer."""
    t = tracker(
        text="c'est quoi un protocole",
        intent="faq",
        parse_extra=picked("definition_protocole"),
        active_loop="decision_form",
    )
    ran = await run(ActionFaq(), t)
    assert not offered(ran.messages) and slots_of(ran.events) == {RATED_TOPIC: "faq/definition_protocole"}


async def test_a_personal_answer_is_offered_too_with_its_form_as_topic(run, tracker):
    slots = {"care_kind": "kine", "ald_status": "exonerante", "linked_to_ald": False}
    ran = await run(ActionAnswerCoverage(), tracker(slots))
    assert offered(ran.messages)
    assert slots_of(ran.events)[RATED_TOPIC] == "coverage_form"


async def test_no_offer_after_a_neutral_reply(run, tracker):
    """A yes outside a form with nothing to rate gets the neutral reply alone."""
    ran = await run(ActionContext(), tracker(text="ok", intent="affirm"))
    assert [m["response"] for m in ran.messages] == ["utter_affirm"]
    assert ran.events == []


# --------------------------------------------------------------------------- the rating


async def test_helpful_button_is_stored_with_its_topic(run, tracker):
    t = tracker(
        {RATED_TOPIC: "faq/qui_redige", OFFERED: True},
        text='/feedback{"helpful":"yes"}',
        intent="feedback",
        entities=[{"entity": "helpful", "value": "yes"}],
    )
    ran = await run(ActionFeedback(), t)
    assert [m["response"] for m in ran.messages] == ["utter_feedback_thanks"]
    assert slots_of(ran.events) == {
        FEEDBACK: {"helpful": True, "topic": "faq/qui_redige"},
        OFFERED: None,
        RATED_TOPIC: None,
    }


async def test_not_helpful_offers_rephrasing_the_helpline_and_the_closest_topics(run, tracker, domain):
    events = [
        user(
            "qui doit remplir le papier ?", parse=picked("qui_redige", "ou_envoyer", "volets", "qui_redige")
        ),
        bot("utter_faq/qui_redige"),
        bot(OFFER),
        user("pas utile", intent="feedback"),
    ]
    t = tracker(
        {RATED_TOPIC: "faq/qui_redige", OFFERED: True}, text="pas utile", intent="feedback", events=events
    )
    ran = await run(ActionFeedback(), t)
    sorry, topics = ran.messages
    assert sorry["response"] == "utter_feedback_sorry"
    text = domain["responses"]["utter_feedback_sorry"][0]["text"]
    assert "reformuler" in text and "{fig_sid_telephone}" in text
    assert domain["responses"]["utter_feedback_sorry"][0]["buttons"] == [
        {"title": "Parler à quelqu'un", "payload": "/ask_human"}
    ]
    assert topics["response"] == "utter_feedback_topics"
    # The closest topics of the question, the one that did not help left out.
    assert [b["payload"] for b in topics["buttons"]] == [TOPICS["ou_envoyer"], TOPICS["volets"]]
    assert slots_of(ran.events)[FEEDBACK] == {"helpful": False, "topic": "faq/qui_redige"}


async def test_not_helpful_after_a_personal_answer_offers_its_follow_up_topics(run, tracker):
    t = tracker({RATED_TOPIC: "renewal_form"}, text="ça ne m'aide pas", intent="feedback")
    ran = await run(ActionFeedback(), t)
    follow_ups = load_content("topics.yml")["follow_ups"]["renewal_form"]
    assert [b["payload"] for b in ran.messages[1]["buttons"]] == [TOPICS[t] for t in follow_ups[:3]]


@pytest.mark.parametrize(
    "text, helpful",
    [
        ("pas utile", False),
        ("ça ne m'aide pas", False),
        ("Ça m'a pas aidée du tout", False),
        ("réponse inutile", False),
        ("merci c'était utile", True),
        ("ça m'a aidé", True),
        ("pas mal, merci", True),
        ("rien à redire, c'était utile", True),
        ("utile, je n'avais jamais compris ça", True),
        ("bof", False),
        ("mouais", False),
        ("sans intérêt", False),
        ("ça ne m'aide guère", False),
        ("non pas du tout", False),
        ("pas clair du tout", False),
    ],
)
def test_typed_ratings(text, helpful):
    assert feedback.read_helpful(None, text) is helpful


def test_the_button_wins_over_the_words():
    assert feedback.read_helpful("no", "/feedback") is False
    assert feedback.read_helpful("yes", "pas de souci") is True


async def test_a_plain_no_right_after_the_offer_rates_the_answer(run, tracker):
    events = [
        user("qui remplit ?", parse=picked("qui_redige")),
        bot("utter_faq/qui_redige"),
        bot(OFFER),
        user("non", "deny"),
    ]
    t = tracker({RATED_TOPIC: "faq/qui_redige", OFFERED: True}, text="non", intent="deny", events=events)
    assert offer_was_last(t)
    ran = await run(ActionContext(), t)
    assert ran.messages[0]["response"] == "utter_feedback_sorry"
    assert slots_of(ran.events)[FEEDBACK] == {"helpful": False, "topic": "faq/qui_redige"}


async def test_a_plain_no_later_is_no_rating(run, tracker):
    """Once the user moved on (another message came between), "non" is a plain no."""
    events = [
        bot("utter_faq/qui_redige"),
        bot(OFFER),
        user("merci", "thank"),
        bot("utter_thank"),
        user("non", "deny"),
    ]
    t = tracker({RATED_TOPIC: "faq/qui_redige", OFFERED: True}, text="non", intent="deny", events=events)
    assert not offer_was_last(t)
    ran = await run(ActionContext(), t)
    assert [m["response"] for m in ran.messages] == ["utter_deny"]
    assert FEEDBACK not in slots_of(ran.events)


def test_the_rating_is_masked_when_stored():
    """The rating is a slot event: the tracker store masks it as every slot it writes."""
    from components.tracker_store import mask_event_dict

    value = feedback.rating(False, "faq/qui_redige")
    stored = mask_event_dict(
        {"event": "slot", "name": FEEDBACK, "value": {**value, "note": "06 12 34 56 78"}}, 2000
    )
    assert stored["value"] == {"helpful": False, "topic": "faq/qui_redige", "note": "[téléphone masqué]"}


def test_the_feedback_rule_leaves_forms_alone():
    """Outside a form only: inside one, "non" or "pas utile" is the form's answer."""
    import yaml

    from ald import settings

    rules = yaml.safe_load((settings.ROOT / "data/rules/conversation.yml").read_text(encoding="utf-8"))[
        "rules"
    ]
    (rule,) = [r for r in rules if any(s.get("intent") == "feedback" for s in r["steps"])]
    assert rule["condition"] == [{"active_loop": None}]
    assert rule["steps"] == [{"intent": "feedback"}, {"action": "action_feedback"}]
