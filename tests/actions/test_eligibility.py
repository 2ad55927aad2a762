"""May I have an ALD? The triage asks only the questions it still needs."""
from __future__ import annotations

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
    assert v.validate_elig_costly("peut-être", dispatcher, maybe, domain) == {"elig_costly": None}
    assert v.validate_elig_on_list("bof", dispatcher, tracker(text="bof"), domain) == {"elig_on_list": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_yes_no_unknown"] * 2
