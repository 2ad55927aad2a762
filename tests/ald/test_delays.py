"""ald.delays: decision, renewal, derogatory period, exoneration end, retroactivity."""

from __future__ import annotations

from datetime import date

import pytest

from ald import ald_list
from ald.delays import decision_delays, derogatory, exoneration_end, renewal, retroactive
from ald.figures import figure

TODAY = date(2026, 11, 23)


def test_delays_come_from_figures() -> None:
    assert figure("delai_medecin_conseil").days == 14
    assert figure("delai_decision").months == 1
    assert figure("delai_renouvellement").months == 3
    assert figure("duree_derogatoire").months == 6


@pytest.mark.parametrize(
    "sent, today, favourable_by, decision_by, status",
    [
        (date(2026, 11, 13), TODAY, date(2026, 11, 27), date(2026, 12, 13), "waiting_conseil"),
        (date(2026, 11, 9), TODAY, date(2026, 11, 23), date(2026, 12, 9), "waiting_conseil"),  # day 14
        (date(2026, 11, 8), TODAY, date(2026, 11, 22), date(2026, 12, 8), "waiting_decision"),  # day 15
        (date(2026, 10, 23), TODAY, date(2026, 11, 6), date(2026, 11, 23), "waiting_decision"),  # last day
        (date(2026, 10, 22), TODAY, date(2026, 11, 5), date(2026, 11, 22), "overdue"),
        (
            date(2025, 12, 20),
            date(2026, 1, 2),
            date(2026, 1, 3),
            date(2026, 1, 20),
            "waiting_conseil",
        ),  # year boundary
        (
            date(2026, 1, 31),
            date(2026, 2, 20),
            date(2026, 2, 14),
            date(2026, 2, 28),
            "waiting_decision",
        ),  # clamped
        (date(2028, 1, 31), date(2028, 3, 1), date(2028, 2, 14), date(2028, 2, 29), "overdue"),  # leap year
        (TODAY, TODAY, date(2026, 12, 7), date(2026, 12, 23), "waiting_conseil"),
    ],
)
def test_decision_delays(
    sent: date, today: date, favourable_by: date, decision_by: date, status: str
) -> None:
    r = decision_delays(sent, today)
    assert (r.favourable_by, r.decision_by, r.status) == (favourable_by, decision_by, status)
    assert r.days_since == (today - sent).days
    assert r.days_left == (decision_by - today).days
    assert "runs_from_receipt" in r.notes


@pytest.mark.parametrize(
    "valid_until, ask_by, status, days_left",
    [
        (date(2028, 5, 31), date(2028, 2, 29), "ok", 463),
        (date(2027, 5, 31), date(2027, 2, 28), "ok", 97),
        (date(2027, 3, 23), date(2026, 12, 23), "soon", 30),
        (date(2027, 3, 24), date(2026, 12, 24), "ok", 31),
        (date(2027, 2, 23), TODAY, "soon", 0),
        (date(2027, 2, 22), date(2026, 11, 22), "late", -1),
        (TODAY, date(2026, 8, 23), "late", -92),
        (date(2026, 11, 22), date(2026, 8, 22), "expired", -93),
    ],
)
def test_renewal(valid_until: date, ask_by: date, status: str, days_left: int) -> None:
    r = renewal(valid_until, TODAY)
    assert (r.ask_by, r.status, r.days_left) == (ask_by, status, days_left)


@pytest.mark.parametrize(
    "start, ends_on, status",
    [
        (date(2026, 10, 5), date(2027, 4, 5), "ok"),
        (date(2026, 6, 23), date(2026, 12, 23), "soon"),  # 30 days left
        (date(2026, 6, 24), date(2026, 12, 24), "ok"),  # 31 days left
        (date(2026, 5, 23), TODAY, "soon"),  # last day
        (date(2026, 5, 22), date(2026, 11, 22), "ended"),
        (date(2026, 8, 31), date(2027, 2, 28), "ok"),  # clamped
        (date(2027, 8, 31), date(2028, 2, 29), "ok"),  # leap year (start in the future: still computed)
    ],
)
def test_derogatory(start: date, ends_on: date, status: str) -> None:
    r = derogatory(start, TODAY)
    assert (r.ends_on, r.status, r.days_left) == (ends_on, status, (ends_on - TODAY).days)


@pytest.mark.parametrize(
    "key, agreement, years, ends_on, note, ambiguous",
    [
        ("8", date(2026, 3, 10), 10, date(2036, 3, 10), "renewable", False),
        ("30", date(2026, 3, 10), 5, date(2031, 3, 10), "renewable_while_treated_or_sequelae", False),
        ("26", date(2026, 3, 10), 5, date(2031, 3, 10), "renewable_while_treated", False),
        ("1", date(2026, 3, 10), 3, date(2029, 3, 10), "renewable_10y", False),
        ("23_humeur", date(2024, 2, 29), 5, date(2029, 2, 28), "renewable", False),
        ("23_psychoses", date(2024, 2, 29), 10, date(2034, 2, 28), "renewable", False),
        ("23", date(2026, 1, 1), 5, date(2031, 1, 1), "renewable", True),
        ("5_rythme", date(2026, 1, 1), 5, date(2031, 1, 1), "renewable", False),
        ("5_cardiaque", date(2026, 1, 1), 10, date(2036, 1, 1), "renewable", False),
        ("6_cirrhose", date(2026, 1, 1), 10, date(2036, 1, 1), "renewable", False),
        ("6_hepatite", date(2026, 1, 1), 5, date(2031, 1, 1), "renewable", False),
        ("28_cornee", date(2026, 1, 1), 3, date(2029, 1, 1), "renewable", False),
        ("29_lepre", date(2026, 1, 1), 5, date(2031, 1, 1), "renewable", False),
        ("4", date(2026, 1, 1), 3, date(2029, 1, 1), "renewable", False),
        ("17", date(2026, 1, 1), 5, date(2031, 1, 1), "renewable", False),
    ],
)
def test_exoneration_end(
    key: str, agreement: date, years: int, ends_on: date, note: str, ambiguous: bool
) -> None:
    r = exoneration_end(key, agreement)
    assert (r.years, r.ends_on, r.renewal_note, r.ambiguous) == (years, ends_on, note, ambiguous)
    assert r.check_volet is True


def test_exoneration_end_accepts_matches_and_entries() -> None:
    match = ald_list.lookup_disease("diabete de type 2")
    assert match is not None
    assert exoneration_end(match, date(2026, 1, 1)).ends_on == date(2036, 1, 1)
    assert exoneration_end(ald_list.entry(16), date(2026, 1, 1)).years == 10


def test_exoneration_end_refuses_what_is_not_on_the_list() -> None:
    match = ald_list.lookup_disease("fibromyalgie")
    assert match is not None
    with pytest.raises(ValueError):
        exoneration_end(match, date(2026, 1, 1))
    with pytest.raises(KeyError):
        exoneration_end("12", date(2026, 1, 1))


@pytest.mark.parametrize(
    "request_, agreement, status, start, end, days",
    [
        (date(2026, 9, 1), date(2026, 10, 15), "covered_window", date(2026, 9, 1), date(2026, 10, 15), 44),
        (date(2026, 9, 1), date(2026, 9, 1), "covered_window", date(2026, 9, 1), date(2026, 9, 1), 0),
        (
            date(2026, 10, 15),
            date(2026, 9, 1),
            "agreement_before_request",
            date(2026, 10, 15),
            date(2026, 9, 1),
            0,
        ),
        (date(2026, 11, 3), None, "waiting_agreement", date(2026, 11, 3), TODAY, 20),
        (date(2026, 12, 1), None, "request_in_future", date(2026, 12, 1), None, 0),
    ],
)
def test_retroactive(request_: date, agreement, status: str, start: date, end, days: int) -> None:
    r = retroactive(request_, agreement, TODAY)
    assert (r.status, r.start, r.end, r.days) == (status, start, end, days)
    assert "on_patient_request" in r.notes


def test_sequelae_are_said_for_cancer_only() -> None:
    """Sequelae keep the exoneration of n° 30 only (FACTS.md, 'The ALD 30 list'): the renewal
    note of every other affection never speaks of them."""
    from ald import ald_list
    from ald.content import load_content

    notes = load_content("phrases.yml")["renewal_notes"]
    for entry in ald_list.ALD30:
        text = notes[entry.renewal_note]
        assert ("séquelle" in text) == (entry.number == 30), (entry.number, text)
