"""The date questions: the single-date forms built from dialogue/forms.yml (decision, renewal,
derogatory), the exoneration and the retroactive forms."""

from __future__ import annotations

import re
from datetime import date

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.dates import (
    DATE_FORM_ACTIONS,
    ActionAnswerExoneration,
    ActionAnswerRetroactive,
    ValidateExonerationForm,
    ValidateRetroactiveForm,
    answer_variables,
    date_form_actions,
)
from actions.table import date_form, date_forms, load_forms

ValidateDecisionForm, ActionAnswerDecision = DATE_FORM_ACTIONS["decision_form"]
ValidateRenewalForm, ActionAnswerRenewal = DATE_FORM_ACTIONS["renewal_form"]
ValidateDerogatoryForm, ActionAnswerDerogatory = DATE_FORM_ACTIONS["derogatory_form"]


def _plain_message_keys() -> set:
    d = CollectingDispatcher()
    d.utter_message(response="utter_x")
    return set(d.messages[0])


PLAIN_MESSAGE = _plain_message_keys()  # the keys of a message without variables


@pytest.mark.parametrize(
    "sent,today_iso,response,kwargs",
    [
        (
            "2026-01-10",
            "2026-01-15",
            "utter_decision_waiting_conseil",
            {"sent": "10 janvier 2026", "favourable_by": "24 janvier 2026", "decision_by": "10 février 2026"},
        ),
        ("2026-01-10", "2026-01-30", "utter_decision_waiting_decision", {"decision_by": "10 février 2026"}),
        ("2026-01-10", "2026-03-01", "utter_decision_overdue", {"decision_by": "10 février 2026"}),
        ("2025-12-20", "2025-12-22", "utter_decision_waiting_conseil", {"decision_by": "20 janvier 2026"}),
    ],
)
async def test_decision_answer(today, run, tracker, sent, today_iso, response, kwargs):
    today(today_iso)
    msg = (await run(ActionAnswerDecision(), tracker({"sent_date": sent}))).message
    assert msg["response"] == response
    for k, v in kwargs.items():
        assert msg[k] == v


@pytest.mark.parametrize(
    "until,today_iso,status,ask_by",
    [
        ("2027-05-31", "2026-11-23", "ok", "28 février 2027"),
        ("2028-05-31", "2026-11-23", "ok", "29 février 2028"),
        ("2027-05-31", "2027-02-10", "soon", "28 février 2027"),
        ("2027-05-31", "2027-03-10", "late", "28 février 2027"),
        ("2027-05-31", "2027-06-10", "expired", "28 février 2027"),
    ],
)
async def test_renewal_answer(today, run, tracker, until, today_iso, status, ask_by):
    today(today_iso)
    msg = (await run(ActionAnswerRenewal(), tracker({"valid_until": until}))).message
    assert msg["response"] == f"utter_renewal_{status}"
    assert msg["ask_by"] == ask_by


async def test_derogatory_answer(today, run, tracker):
    today("2026-11-23")
    msg = (await run(ActionAnswerDerogatory(), tracker({"derog_start": "2026-10-05"}))).message
    assert msg["response"] == "utter_derogatory_ok"
    assert msg["ends_on"] == "5 avril 2027" and msg["days_left"] == "133"


@pytest.mark.parametrize(
    "form,slots,today_iso,variables",
    [
        (
            "decision_form",
            {"sent_date": "2026-01-10"},
            "2026-03-01",
            {
                "sent": "10 janvier 2026",
                "favourable_by": "24 janvier 2026",
                "decision_by": "10 février 2026",
                "days_left": "0",
            },
        ),
        (
            "renewal_form",
            {"valid_until": "2027-05-31"},
            "2027-03-10",
            {"valid_until": "31 mai 2027", "ask_by": "28 février 2027", "days_left": "0"},
        ),
        (
            "derogatory_form",
            {"derog_start": "2026-10-05"},
            "2026-11-23",
            {"start": "5 octobre 2026", "ends_on": "5 avril 2027", "days_left": "133"},
        ),
    ],
)
async def test_single_date_answer_variables(today, run, tracker, form, slots, today_iso, variables):
    """The slot's date as date_name, the result's dates in French, days_left never negative."""
    today(today_iso)
    msg = (await run(DATE_FORM_ACTIONS[form][1](), tracker(slots))).message
    assert {k: v for k, v in msg.items() if k not in PLAIN_MESSAGE} == variables


def test_every_single_date_response_gets_its_variables(domain):
    """Each <response>_<status> of a single-date form only uses variables the answer gives."""
    forms = date_forms()
    assert [f.name for f in forms] == ["decision_form", "renewal_form", "derogatory_form"]
    for form in forms:
        result = form.rule(date(2026, 1, 10), date(2026, 2, 1))
        given = set(answer_variables(form, date(2026, 1, 10), result))
        responses = [name for name in domain["responses"] if name.startswith(form.response + "_")]
        assert responses, form.response
        for name in responses:
            for variant in domain["responses"][name]:
                used = set(re.findall(r"\{(\w+)\}", variant.get("text", "")))
                assert {u for u in used if not u.startswith("fig_")} <= given, name


@pytest.mark.parametrize(
    "value,expected,response",
    [
        ("10 janvier", "2026-01-10", None),
        ("je l'ai envoyé le 1er mars dernier", "2026-03-01", None),
        ("15/12/2025", "2025-12-15", None),
        ("il y a 10 jours", "2026-11-13", None),
        ("31 février", None, "utter_date_impossible"),
        ("le 10 décembre 2026", None, "utter_date_future_not_allowed"),
        ("bof je sais pas", None, "utter_date_unparsed"),
        ("<script>alert(1)</script>", None, "utter_date_unparsed"),
        ("", None, "utter_date_unparsed"),
    ],
)
async def test_sending_date_validation(today, tracker, dispatcher, domain, value, expected, response):
    today("2026-11-23")
    result = ValidateDecisionForm().validate_sent_date(value, dispatcher, tracker(), domain)
    assert result["sent_date"] == expected
    assert [m["response"] for m in dispatcher.messages] == ([response] if response else [])


async def test_end_date_without_year_is_the_next_one(today, tracker, dispatcher, domain):
    today("2026-11-23")
    result = ValidateRenewalForm().validate_valid_until("31 mai", dispatcher, tracker(), domain)
    assert result == {"valid_until": "2027-05-31"}
    assert not dispatcher.messages


async def test_future_date_error_shows_our_formatting_not_user_text(today, tracker, dispatcher, domain):
    today("2026-11-23")
    ValidateDecisionForm().validate_sent_date("le 10/12/2026", dispatcher, tracker(), domain)
    assert dispatcher.messages[0]["date"] == "10 décembre 2026"


async def test_a_validator_runs_as_rasa_calls_it(today, tracker, dispatcher, domain):
    """Through FormValidationAction.run: the slot the form just filled is validated, the
    required slots come from the domain's form."""
    today("2026-11-23")
    t = tracker(
        {"sent_date": "10 janvier", "requested_slot": "sent_date"},
        events=[{"event": "slot", "name": "sent_date", "value": "10 janvier"}],
    )
    t.active_loop = {"name": "decision_form"}
    events = await ValidateDecisionForm().run(dispatcher, t, domain)
    assert {"event": "slot", "timestamp": None, "name": "sent_date", "value": "2026-01-10"} in events
    assert not dispatcher.messages


async def test_a_date_told_with_the_form_question_asked_again_is_read(today, tracker, dispatcher, domain):
    """Inside decision_form, "envoyé le 10 janvier, quand aurai-je la réponse ?": the slot
    mapping filled sent_date with the raw text, then utter_form_again was said; Rasa passes
    no slot to validate after a response, so the validator reads what the message set."""
    today("2026-11-23")
    t = tracker(
        {"sent_date": "10 janvier", "requested_slot": "sent_date"},
        text="envoyé le 10 janvier, quand aurai-je la réponse ?",
        intent="ask_decision_date",
        events=[
            {"event": "user", "text": "envoyé le 10 janvier, quand aurai-je la réponse ?"},
            {"event": "slot", "name": "sent_date", "value": "10 janvier"},
            {"event": "action", "name": "utter_form_again"},
            {
                "event": "bot",
                "text": "C'est justement ce que nous regardons",
                "metadata": {"utter_action": "utter_form_again"},
            },
        ],
    )
    t.active_loop = {"name": "decision_form"}
    events = await ValidateDecisionForm().run(dispatcher, t, domain)
    assert {"event": "slot", "timestamp": None, "name": "sent_date", "value": "2026-01-10"} in events


async def test_without_the_question_asked_again_nothing_earlier_is_read_again(
    today, tracker, dispatcher, domain
):
    today("2026-11-23")
    t = tracker(
        {"sent_date": "10 janvier", "requested_slot": "sent_date"},
        events=[
            {"event": "user", "text": "le 10 janvier"},
            {"event": "slot", "name": "sent_date", "value": "10 janvier"},
            {"event": "action", "name": "utter_faq"},
            {"event": "bot", "text": "autre chose", "metadata": {"utter_action": "utter_faq"}},
        ],
    )
    t.active_loop = {"name": "decision_form"}
    events = await ValidateDecisionForm().run(dispatcher, t, domain)
    assert not [e for e in events if e.get("name") == "sent_date"]


async def test_a_new_single_date_form_is_one_row_of_the_table(
    tmp_path, today, run, tracker, dispatcher, domain
):
    """A row with a rule, a response and a date_name gives its validator and its answer."""
    (tmp_path / "forms.yml").write_text(
        "forms:\n"
        "  example_form:\n"
        "    intent: ask_example\n"
        "    answer: action_answer_example\n"
        "    rule: delays.derogatory\n"
        "    response: utter_example\n"
        "    date_name: opened\n"
        "    slots:\n"
        "      example_date: {entity: date, kind: date, prefer: past, must_be: past}\n",
        encoding="utf-8",
    )
    form = date_form(load_forms(tmp_path / "forms.yml")["example_form"])
    validator, answer = date_form_actions(form)
    assert (validator().name(), answer().name()) == ("validate_example_form", "action_answer_example")
    assert validator.__name__ == "ValidateExampleForm" and answer.__name__ == "ActionAnswerExample"
    today("2026-11-23")
    msg = (await run(answer(), tracker({"example_date": "2026-10-05"}))).message
    assert msg["response"] == "utter_example_ok"
    assert (msg["opened"], msg["ends_on"], msg["days_left"]) == ("5 octobre 2026", "5 avril 2027", "133")
    assert validator().validate_example_date("le 5 octobre", dispatcher, tracker(), domain) == {
        "example_date": "2026-10-05"
    }
    assert validator().validate_example_date("le 5 décembre 2026", dispatcher, tracker(), domain) == {
        "example_date": None  # understood, only on the wrong side of today: not a miss
    }
    assert [m["response"] for m in dispatcher.messages] == ["utter_date_future_not_allowed"]


async def test_exoneration_end(run, tracker):
    ran = await run(ActionAnswerExoneration(), tracker({"ald_key": "8", "agreement_date": "2024-03-12"}))
    msg = ran.message
    assert msg["response"] == "utter_exoneration_end"
    assert msg["ends_on"] == "12 mars 2034" and msg["duration"].startswith("10 ans")
    # The estimate is kept for the renewal question that usually follows...
    assert {"event": "slot", "name": "valid_until", "value": "2034-03-12", "timestamp": None} in [
        dict(e, timestamp=None) for e in ran.events
    ]


async def test_exoneration_end_never_replaces_the_date_of_the_volet(run, tracker):
    slots = {"ald_key": "8", "agreement_date": "2024-03-12", "valid_until": "2033-01-31"}
    ran = await run(ActionAnswerExoneration(), tracker(slots))
    assert not [e for e in ran.events if e.get("name") == "valid_until"]


@pytest.mark.parametrize(
    "value,expected,responses",
    [
        ("diabète", {"ald_key": "8"}, []),
        ("fibromyalgie", {"ald_key": None, "requested_slot": None}, ["utter_disease_not_on_list"]),
        ("hypertension", {"ald_key": None, "requested_slot": None}, ["utter_disease_removed"]),
        ("bof", {"ald_key": None, "form_misses": 1}, ["utter_disease_unknown"]),
    ],
)
def test_exoneration_disease(tracker, dispatcher, domain, value, expected, responses):
    assert ValidateExonerationForm().validate_ald_key(value, dispatcher, tracker(), domain) == expected
    assert [m["response"] for m in dispatcher.messages] == responses


async def test_retroactive_two_dates_in_one_message(today, run, tracker, dispatcher, domain):
    today("2026-11-23")
    text = "demande faite le 3 mars, accord le 20 avril"
    result = ValidateRetroactiveForm().validate_request_date(text, dispatcher, tracker(text=text), domain)
    assert result == {"request_date": "2026-03-03", "agreement_date": "2026-04-20"}
    msg = (await run(ActionAnswerRetroactive(), tracker(result))).message
    assert (msg["request"], msg["agreement"]) == ("3 mars 2026", "20 avril 2026")


async def test_agreement_before_request_is_refused(today, tracker, dispatcher, domain):
    today("2026-11-23")
    t = tracker({"request_date": "2026-05-01"})
    result = ValidateRetroactiveForm().validate_agreement_date("20 avril", dispatcher, t, domain)
    assert result == {"agreement_date": None}
    assert dispatcher.messages[0]["response"] == "utter_agreement_before_request"


async def test_two_dates_of_one_message_go_to_their_roles(tracker, dispatcher, domain, today):
    """Rasa's entity mapping gives the request the last date of the message; the words say which
    is which."""
    from actions.dates import ValidateRetroactiveForm

    today("2026-12-02")
    text = "ma demande est partie le 1er septembre et l'accord est arrive le 10 octobre, rembourse ?"
    t = tracker(text=text, intent="ask_retroactive")
    got = ValidateRetroactiveForm().validate_request_date("10 octobre", dispatcher, t, domain)
    assert got == {"request_date": "2026-09-01"}  # the agreement is the memory's (its own slot)
