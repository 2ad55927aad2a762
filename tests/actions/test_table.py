"""The form table (dialogue/forms.yml) as the actions read it."""

from __future__ import annotations

import pytest

from actions.table import FORMS, date_form, date_forms, load_forms, resolve_rule
from ald import delays


def test_the_table_and_the_domain_have_the_same_forms_and_slots(domain):
    assert {name: list(form.slots) for name, form in FORMS.items()} == {
        name: form["required_slots"] for name, form in domain["forms"].items()
    }


def test_single_date_forms():
    forms = {f.name: f for f in date_forms()}
    assert set(forms) == {"decision_form", "renewal_form", "derogatory_form"}
    renewal = forms["renewal_form"]
    assert renewal.rule is delays.renewal and renewal.answer == "action_answer_renewal"
    assert (renewal.slot.name, renewal.slot.prefer, renewal.slot.must_be) == ("valid_until", "future", "any")
    assert (renewal.response, renewal.date_name) == ("utter_renewal", "valid_until")


def test_rules_are_functions_of_ald():
    assert resolve_rule("delays.decision_delays") is delays.decision_delays
    for bad in ("delays.no_such_rule", "no_such_module_here", "delays.SOON_DAYS"):
        with pytest.raises((ValueError, ModuleNotFoundError)):
            resolve_rule(bad)


ROW = """forms:
  example_form:
    intent: ask_example
    answer: action_answer_example
{extra}    slots:
{slots}"""
DATE = "      example_date: {entity: date, kind: date, prefer: past, must_be: past}\n"


@pytest.mark.parametrize(
    "extra,slots,message",
    [
        ("", DATE.replace("prefer: past", "prefer: sometime"), "prefer must be"),
        ("", "      example_date: {entity: date}\n", "has no kind"),
        ("    rule: delays.derogatory\n", DATE + "      other: {kind: yes_no}\n", "exactly one slot"),
        ("    rule: delays.derogatory\n", DATE, "needs `response` and `date_name`"),
    ],
)
def test_a_malformed_row_is_refused(tmp_path, extra, slots, message):
    path = tmp_path / "forms.yml"
    path.write_text(ROW.format(extra=extra, slots=slots), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        for form in load_forms(path).values():
            date_form(form)
