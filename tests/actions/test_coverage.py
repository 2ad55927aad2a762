"""Is this care covered at 100 %? The form asks only what the rule needs."""

from __future__ import annotations

import pytest

from actions.coverage import ActionAnswerCoverage, ValidateCoverageForm


async def test_coverage_asks_only_what_is_needed(tracker, dispatcher, domain):
    v = ValidateCoverageForm()
    assert await v.required_slots([], dispatcher, tracker(), domain) == ["care_kind"]
    slots = await v.required_slots([], dispatcher, tracker({"care_kind": "kine"}), domain)
    assert slots[:2] == ["care_kind", "ald_status"]
    not_covered = tracker({"care_kind": "medecine_douce"})
    assert await v.required_slots([], dispatcher, not_covered, domain) == ["care_kind"]


async def test_coverage_with_an_unknown_or_several_extracted_care_words(run, tracker, dispatcher, domain):
    # NLU may put a word the rules do not know ("soins") or several words in the slot.
    v = ValidateCoverageForm()
    assert await v.required_slots([], dispatcher, tracker({"care_kind": "soins"}), domain) == ["care_kind"]
    slots = await v.required_slots(
        [], dispatcher, tracker({"care_kind": ["soins", "transport"], "ald_status": "non_exonerante"}), domain
    )
    assert slots[:2] == ["care_kind", "linked_to_ald"]
    assert v.validate_care_kind(["soins", "taxi"], dispatcher, tracker(), domain) == {
        "care_kind": "transport"
    }
    assert v.validate_care_kind("soins", dispatcher, tracker(), domain) == {
        "care_kind": None,
        "form_misses": 1,
    }
    two = tracker(
        text="mon transport pour mes soins",
        intent="ask_coverage",
        entities=[{"entity": "care_kind", "value": "transport"}, {"entity": "care_kind", "value": "soins"}],
    )
    assert v.validate_care_kind("soins", dispatcher, two, domain) == {"care_kind": "transport"}
    assert [m["response"] for m in dispatcher.messages] == ["utter_care_kind_unknown"]
    ran = await run(ActionAnswerCoverage(), tracker({"care_kind": "soins"}))
    assert ran.message["response"] == "utter_care_kind_unknown"
    assert ran.events == [{"event": "slot", "timestamp": None, "name": "form_misses", "value": None}]


@pytest.mark.parametrize(
    "slots,response,fragment",
    [
        (
            {"care_kind": "kine", "ald_status": "exonerante", "linked_to_ald": False},
            "utter_coverage_usual",
            "pas lié à votre ALD",
        ),
        (
            {"care_kind": "kine", "ald_status": "exonerante", "linked_to_ald": True, "in_protocol": True},
            "utter_coverage_100",
            "prévu dans votre protocole",
        ),
        (
            {"care_kind": "transport", "ald_status": "non_exonerante", "linked_to_ald": True},
            "utter_coverage_transport",
            "4 € par transport",
        ),
        ({"care_kind": "medecine_douce"}, "utter_coverage_not_covered", "ne rembourse pas"),
    ],
)
async def test_coverage_answer(run, tracker, slots, response, fragment):
    msg = (await run(ActionAnswerCoverage(), tracker(slots))).message
    assert msg["response"] == response
    assert fragment in msg["reasons"] + msg["still_pays"]
    assert "{fig_" not in msg["reasons"] + msg["still_pays"]


@pytest.mark.parametrize(
    "value,intent,expected",
    [
        ("oui", "affirm", True),
        ("non", "deny", False),
        ("ouais", "inform", True),
        ("Non.", "inform", False),
        ("peut-être", "inform", None),
    ],
)
async def test_yes_no_answers(tracker, dispatcher, domain, value, intent, expected):
    t = tracker(text=value, intent=intent)
    result = ValidateCoverageForm().validate_linked_to_ald(value, dispatcher, t, domain)
    assert result["linked_to_ald"] == expected
    assert [m["response"] for m in dispatcher.messages] == (
        [] if expected is not None else ["utter_unsure_linked_to_ald"]
    )


@pytest.mark.parametrize(
    "value,expected",
    [
        ("je suis en ALD non exonérante", "non_exonerante"),
        ("pas en ald", "aucune"),
        ("à 100 %", "exonerante"),
        ("exonerante", "exonerante"),
        ("chépa", None),
    ],
)
async def test_ald_status_from_text(tracker, dispatcher, domain, value, expected):
    result = ValidateCoverageForm().validate_ald_status(value, dispatcher, tracker(), domain)
    assert result["ald_status"] == expected
    assert [m["response"] for m in dispatcher.messages] == ([] if expected else ["utter_ald_status_unknown"])


async def test_a_doubt_is_never_taken_for_a_no(tracker, dispatcher, domain):
    t = tracker(text="je sais pas", intent="deny")
    result = ValidateCoverageForm().validate_in_protocol("je sais pas", dispatcher, t, domain)
    assert result["in_protocol"] is None
    assert dispatcher.messages[0]["response"] == "utter_unsure_in_protocol"


async def test_the_situation_told_after_a_care_question_completes_its_coverage(run, tracker):
    from actions.followup import ActionContext

    events = [
        {"event": "user", "text": "le transport pour mes seances de reeducation, rembourse combien ?"},
        {"event": "slot", "name": "care_kind", "value": "transport"},
        {"event": "bot", "text": "…"},
        {"event": "user", "text": "je suis en ALD non exonerante et c'est pour ma maladie"},
        {"event": "slot", "name": "ald_status", "value": "non_exonerante"},
        {"event": "slot", "name": "linked_to_ald", "value": True},
    ]
    slots = {"care_kind": "transport", "ald_status": "non_exonerante", "linked_to_ald": True}
    ran = await run(ActionContext(), tracker(slots, text=events[-3]["text"], events=events))
    assert ran.message["response"] == "utter_coverage_transport"


async def test_a_situation_told_long_after_a_care_question_is_only_noted(run, tracker):
    from actions.followup import ActionContext

    events = [
        {"event": "user", "text": "ma kine est remboursee ?"},
        {"event": "slot", "name": "care_kind", "value": "kine"},
        {"event": "user", "text": "merci"},
        {"event": "user", "text": "je suis en ALD non exonerante"},
        {"event": "slot", "name": "ald_status", "value": "non_exonerante"},
    ]
    slots = {"care_kind": "kine", "ald_status": "non_exonerante"}
    ran = await run(ActionContext(), tracker(slots, text=events[-2]["text"], events=events))
    assert ran.message["response"] == "utter_status_noted_non_exonerante"


async def test_a_raw_situation_answer_is_still_validated(tracker):
    from actions.coverage import ValidateCoverageForm

    # What the form holds before validation: the user's words, not a status code.
    t = tracker(
        {"care_kind": "biologie", "ald_status": "pas en ALD"}, text="pas en ALD", active_loop="coverage_form"
    )
    needed = await ValidateCoverageForm().needed_slots([], None, t, {})
    assert needed == ["care_kind", "ald_status"]  # validated, hence read as "aucune"
    t = tracker(
        {"care_kind": "biologie", "ald_status": "aucune"}, text="pas en ALD", active_loop="coverage_form"
    )
    assert await ValidateCoverageForm().needed_slots([], None, t, {}) == ["care_kind"]
    t = tracker({"care_kind": "biologie", "ald_status": "bof"}, text="bof", active_loop="coverage_form")
    assert await ValidateCoverageForm().needed_slots([], None, t, {}) == ["care_kind", "ald_status"]


def test_a_piece_of_the_care_words_is_read_with_the_whole_message(tracker):
    from actions.coverage import care_from

    events = [{"event": "user", "text": "x"}, {"event": "slot", "name": "care_kind", "value": "de sang"}]
    t = tracker(
        {"care_kind": "de sang"},
        text="la prise de sang, c'est pris en charge comment ?",
        intent="ask_coverage",
        entities=[{"entity": "care_kind", "value": "de sang"}],
        events=events,
    )
    assert care_from("de sang", t) == "biologie"


def test_a_care_validated_earlier_wins_over_a_care_named_now(tracker):
    from actions.coverage import care_from

    t = tracker(
        {"care_kind": "consultation_specialiste"},
        text="oui, et pour mes médicaments aussi",
        entities=[{"entity": "care_kind", "value": "medicament"}],
    )
    assert care_from("consultation_specialiste", t) == "consultation_specialiste"


async def test_a_situation_after_a_care_question_asks_what_the_coverage_still_needs(run, tracker):
    from actions.followup import ActionContext

    events = [
        {"event": "user", "text": "c rembourse les transports pr sa radiotherapie ?"},
        {"event": "slot", "name": "care_kind", "value": "transport"},
        {"event": "user", "text": "il est en ald"},
        {"event": "slot", "name": "ald_status", "value": "exonerante"},
    ]
    slots = {"care_kind": "transport", "ald_status": "exonerante"}
    ran = await run(ActionContext(), tracker(slots, text="il est en ald", events=events))
    assert ran.messages == []
    assert ran.events == [{"event": "followup", "timestamp": None, "name": "coverage_form"}]
