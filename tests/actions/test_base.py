"""The pieces every action shares: the validator base, answer readers, phrases."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from actions.base import FormValidator, fill_figures, optional_bool, phrase, resolve_date
from actions.dates import ValidateExonerationForm
from ald import figures


def test_the_validator_base_is_abstract():
    # rasa_sdk's executor skips abstract classes; a concrete one would be asked its name().
    assert inspect.isabstract(FormValidator)
    with pytest.raises(TypeError):
        FormValidator()  # type: ignore[abstract]


def test_optional_bool_is_none_until_answered(tracker):
    t = tracker({"a": True, "b": False, "c": "oui", "d": None})
    assert [optional_bool(t, s) for s in ("a", "b", "c", "d", "absent")] == [True, False, None, None, None]


def test_phrases_have_their_figures_filled():
    text = phrase("still_pays", "participation_forfaitaire")
    assert figures.figure_values()["participation_forfaitaire"] in text and "{fig_" not in text
    assert phrase("still_pays", "no_such_code") == "" and phrase("no_such_group", "x") == ""
    assert fill_figures("{fig_sid_telephone}") == "01 53 62 40 30"


def test_resolve_date(today):
    today("2026-11-23")
    assert resolve_date("2026-01-10", "past", "past") == (date(2026, 1, 10), None, {})  # already read
    assert resolve_date("2026-02-31", "past", "past") == (None, "utter_date_impossible", {})
    assert resolve_date("12 mars", "future", "any") == (date(2027, 3, 12), None, {})
    assert resolve_date("12 mars 2027", "past", "past") == (
        None,
        "utter_date_future_not_allowed",
        {"date": "12 mars 2027"},
    )
    assert resolve_date(None, "past", "past") == (None, "utter_date_unparsed", {})


def test_date_slots_are_read_as_the_table_says(today, dispatcher, tracker):
    today("2026-11-23")
    v = ValidateExonerationForm()
    assert v.date_slot("agreement_date", "12 mars", dispatcher, tracker()) == {"agreement_date": "2026-03-12"}
    with pytest.raises(KeyError, match="no slot 'sent_date' in form 'exoneration_form'"):
        v.date_slot("sent_date", "12 mars", dispatcher, tracker())
