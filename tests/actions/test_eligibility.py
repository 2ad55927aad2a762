"""May I have an ALD? The triage asks only the questions it still needs."""

from __future__ import annotations

import pytest

from actions.eligibility import ActionAnswerEligibility, ValidateEligibilityForm


async def test_eligibility_asks_in_order_and_answers(run, tracker, dispatcher, domain):
    v = ValidateEligibilityForm()
    assert await v.required_slots([], dispatcher, tracker(), domain) == ["elig_long_term"]
    long_term = tracker({"elig_long_term": True})
    assert await v.required_slots([], dispatcher, long_term, domain) == ["elig_on_list"]
    answers = {"elig_long_term": True, "elig_on_list": False, "elig_costly": True}
    assert await v.required_slots([], dispatcher, tracker(answers), domain) == []
    msg = (await run(ActionAnswerEligibility(), tracker(answers))).message
    assert msg["response"] == "utter_elig_ald31"
    msg = (await run(ActionAnswerEligibility(), tracker({"elig_long_term": False}))).message
    assert msg["response"] == "utter_elig_not_eligible"


async def test_eligibility_accepts_a_disease_name_for_the_list_question(tracker, dispatcher, domain):
    v = ValidateEligibilityForm()
    result = v.validate_elig_on_list("la maladie de parkinson", dispatcher, tracker(), domain)
    assert result == {"elig_on_list": True}


async def test_an_answer_that_is_not_yes_or_no_is_asked_again(tracker, dispatcher, domain):
    v = ValidateEligibilityForm()
    maybe = tracker(text="peut-être")
    assert v.validate_elig_costly("peut-être", dispatcher, maybe, domain) == {
        "elig_costly": None,
        "form_misses": 1,
    }
    assert v.validate_elig_on_list("bof", dispatcher, tracker(text="bof"), domain) == {
        "elig_on_list": None,
        "form_misses": 1,
    }
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_unsure_elig_costly",
        "utter_yes_no_unknown",
    ]


async def test_the_second_unusable_answer_ends_the_form(tracker, dispatcher, domain):
    t = tracker({"form_misses": 1}, text="bof")
    result = ValidateEligibilityForm().validate_elig_costly("bof", dispatcher, t, domain)
    assert result == {"elig_costly": None, "form_misses": 2, "requested_slot": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_form_give_up"]
    ran = await ActionAnswerEligibility().run(dispatcher, tracker({"form_misses": 2}), domain)
    assert ran == [{"event": "slot", "timestamp": None, "name": "form_misses", "value": None}]
    assert len(dispatcher.messages) == 1  # nothing more said


async def test_a_disease_instead_of_a_duration_is_noted_not_a_miss(tracker, dispatcher, domain):
    events = [
        {"event": "user", "text": "j'ai une polyarthrite"},
        {"event": "slot", "name": "ald_key", "value": "22"},
    ]
    t = tracker({"ald_key": "22"}, text="j'ai une polyarthrite", events=events)
    result = ValidateEligibilityForm().validate_elig_long_term("j'ai une polyarthrite", dispatcher, t, domain)
    assert result == {"elig_long_term": None}
    assert dispatcher.messages[0]["response"] == "utter_noted_disease"
    assert dispatcher.messages[0]["ald_number"] == "22"


@pytest.mark.parametrize(
    "text, long_term",
    [
        ("ca va durer des annees", True),
        ("toute ma vie", True),
        ("au moins 8 mois", True),
        ("quelques semaines", False),
        ("2 mois", False),
        ("oui", True),
        ("non", False),
    ],
)
async def test_durations_answer_the_long_term_question(tracker, dispatcher, domain, text, long_term):
    result = ValidateEligibilityForm().validate_elig_long_term(text, dispatcher, tracker(text=text), domain)
    assert result == {"elig_long_term": long_term}


async def test_the_first_question_says_first_what_the_list_says_of_the_disease(run, tracker):
    from actions.eligibility import ActionAskEligLongTerm

    ran = await run(ActionAskEligLongTerm(), tracker({"ald_key": "13"}))
    first, question = ran.messages
    assert first["response"] == "utter_listed_disease_noted" and first["ald_number"] == "13"
    assert first["ald_name"] == "la maladie coronaire"  # after "Sur la liste des ALD :"
    assert question["response"] == "utter_ask_elig_long_term"


@pytest.mark.parametrize(
    "slots",
    [
        {},
        {"disease_name": "fibromyalgie"},
        {"ald_key": "13", "elig_on_list": True},
        {"ald_key": "13", "form_misses": 1},  # asked again: said once is enough
    ],
)
async def test_otherwise_only_the_question(run, tracker, slots):
    from actions.eligibility import ActionAskEligLongTerm

    ran = await run(ActionAskEligLongTerm(), tracker(slots))
    assert [m["response"] for m in ran.messages] == ["utter_ask_elig_long_term"]


async def test_a_remembered_variant_of_the_list_answers_the_list_question(tracker):
    from actions.eligibility import ValidateEligibilityForm

    # "notre fils est autiste": the key of a variant of n° 23, not a bare number.
    t = tracker({"ald_key": "23_developpement"}, text="on peut demander le 100 % pour lui ?")
    assert await ValidateEligibilityForm().needed_slots([], None, t, {}) == ["elig_long_term"]


async def test_a_disease_just_noted_by_the_validator_is_not_said_again(run, tracker):
    from actions.eligibility import ActionAskEligLongTerm

    events = [
        {"event": "user", "text": "j'ai une polyarthrite"},
        {"event": "bot", "text": "C'est noté…", "metadata": {"utter_action": "utter_noted_disease"}},
    ]
    ran = await run(ActionAskEligLongTerm(), tracker({"ald_key": "22"}, events=events))
    assert ran.message["response"] == "utter_ask_elig_long_term"
