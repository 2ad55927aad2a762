"""ald.dates: reading, finding, checking and writing French dates (today injected)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from ald.clock import today_paris
from ald.dates import add_months_clamped, check_side, find_dates, format_date_fr, parse_date_fr
from ald.text import fold_same_length as fold

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10 janvier 2026", date(2026, 1, 10)),
        ("le 10 janvier 2026", date(2026, 1, 10)),
        ("31 mai 2027", date(2027, 5, 31)),
        ("15/12/2025", date(2025, 12, 15)),
        ("15/12/25", date(2025, 12, 15)),
        ("15-12-2025", date(2025, 12, 15)),
        ("15.12.2025", date(2025, 12, 15)),
        ("2026-04-20", date(2026, 4, 20)),
        ("2026/04/20", date(2026, 4, 20)),
        ("1/3/2026", date(2026, 3, 1)),
        ("29/02/2028", date(2028, 2, 29)),
        ("10 JANVIER 2026", date(2026, 1, 10)),
        ("Le 1ER AOÛT 2025", date(2025, 8, 1)),
        ("1 er mars 2026", date(2026, 3, 1)),
        ("10 janv. 2026", date(2026, 1, 10)),
        ("10 janv 26", date(2026, 1, 10)),
        ("lundi 2 mars 2026", date(2026, 3, 2)),
        ("le dix janvier 2026", date(2026, 1, 10)),
        ("vingt-deux octobre 2026", date(2026, 10, 22)),
        ("fin mai 2027", date(2027, 5, 31)),
        ("fin fevrier 2028", date(2028, 2, 29)),
        ("envoyé le 10 fevrier 2026 par mon médecin", date(2026, 2, 10)),
    ],
)
def test_explicit_dates(text: str, expected: date) -> None:
    for prefer in ("past", "future"):
        parsed = parse_date_fr(text, TODAY, prefer)  # type: ignore[arg-type]
        assert (parsed.value, parsed.error) == (expected, None), prefer


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hier", date(2026, 11, 22)),
        ("avant-hier", date(2026, 11, 21)),
        ("avant hier", date(2026, 11, 21)),
        ("aujourd'hui", TODAY),
        ("aujourd’hui", TODAY),
        ("aujourdhui", TODAY),
        ("demain", date(2026, 11, 24)),
        ("il y a 10 jours", date(2026, 11, 13)),
        ("il y a 2 semaines", date(2026, 11, 9)),
        ("il y a deux semaines", date(2026, 11, 9)),
        ("il y a quinze jours", date(2026, 11, 8)),
        ("il y a 3 mois", date(2026, 8, 23)),
        ("il y a un an", date(2025, 11, 23)),
        ("ya 10 jours", date(2026, 11, 13)),
        ("dans 3 mois", date(2027, 2, 23)),
        ("la semaine dernière", date(2026, 11, 16)),
        ("lundi dernier", date(2026, 11, 16)),  # today is a Monday: the previous one
        ("vendredi dernier", date(2026, 11, 20)),
        ("mercredi prochain", date(2026, 11, 25)),
    ],
)
def test_relative_dates(text: str, expected: date) -> None:
    parsed = parse_date_fr(text, TODAY, "past")
    assert (parsed.value, parsed.error) == (expected, None)


@pytest.mark.parametrize(
    "today, text, expected",
    [
        (date(2026, 5, 31), "il y a 3 mois", date(2026, 2, 28)),  # clamped
        (date(2028, 5, 31), "il y a 3 mois", date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), "il y a 1 mois", date(2026, 2, 28)),
        (date(2026, 1, 1), "hier", date(2025, 12, 31)),  # year boundary
        (date(2026, 1, 5), "il y a 10 jours", date(2025, 12, 26)),
    ],
)
def test_relative_dates_month_ends(today: date, text: str, expected: date) -> None:
    assert parse_date_fr(text, today, "past").value == expected


@pytest.mark.parametrize(
    "text, past, future",
    [
        ("10 janvier", date(2026, 1, 10), date(2027, 1, 10)),
        ("le 1er mars", date(2026, 3, 1), date(2027, 3, 1)),
        ("1 er mars", date(2026, 3, 1), date(2027, 3, 1)),
        ("premier mai", date(2026, 5, 1), date(2027, 5, 1)),
        ("10 fevrier", date(2026, 2, 10), date(2027, 2, 10)),
        ("1er aout", date(2026, 8, 1), date(2027, 8, 1)),
        ("23 novembre", TODAY, TODAY),  # today is on both sides
        ("24 novembre", date(2025, 11, 24), date(2026, 11, 24)),
        ("22 novembre", date(2026, 11, 22), date(2027, 11, 22)),
        ("25 decembre", date(2025, 12, 25), date(2026, 12, 25)),
        ("15/12", date(2025, 12, 15), date(2026, 12, 15)),
        ("03/04", date(2026, 4, 3), date(2027, 4, 3)),
        ("le 5/9", date(2026, 9, 5), date(2027, 9, 5)),
        ("29 février", date(2024, 2, 29), date(2028, 2, 29)),  # only in leap years
        ("fin mai", date(2026, 5, 31), date(2027, 5, 31)),
        ("fin novembre", date(2025, 11, 30), date(2026, 11, 30)),  # today is 23 November
        ("fin octobre", date(2026, 10, 31), date(2027, 10, 31)),
        ("fin fevrier", date(2026, 2, 28), date(2027, 2, 28)),
    ],
)
def test_dates_without_year(text: str, past: date, future: date) -> None:
    assert parse_date_fr(text, TODAY, "past").value == past
    assert parse_date_fr(text, TODAY, "future").value == future


@pytest.mark.parametrize(
    "text, prefer, expected",
    [
        ("le 3 mars dernier", "future", date(2026, 3, 3)),  # "dernier" wins over prefer
        ("le 3 mars dernier", "past", date(2026, 3, 3)),
        ("le 3 mars prochain", "past", date(2027, 3, 3)),
        ("le 30 novembre prochain", "past", date(2026, 11, 30)),
        ("fin mai dernier", "future", date(2026, 5, 31)),
        ("fin novembre prochain", "past", date(2026, 11, 30)),
    ],
)
def test_dernier_prochain(text: str, prefer: str, expected: date) -> None:
    assert parse_date_fr(text, TODAY, prefer).value == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "31 février",
        "31 fevrier 2026",
        "30 février",
        "30/02/2026",
        "29/02/2026",
        "32 janvier",
        "00/01/2026",
        "13/13/2026",
        "fin mai 0000",
        "10 mai 0000",
        "31/04/2026",
        "31 avril",
        "0 mars",
        "2026-02-30",
        "45 mai 2026",
    ],
)
def test_impossible_dates_are_refused_not_corrected(text: str) -> None:
    for prefer in ("past", "future"):
        parsed = parse_date_fr(text, TODAY, prefer)  # type: ignore[arg-type]
        assert parsed.value is None and parsed.error == "impossible", (text, parsed)


@pytest.mark.parametrize(
    "text, error",
    [
        ("mars dernier", "imprecise"),
        ("decembre", "imprecise"),
        ("en mai 2026", "imprecise"),
        ("le mois dernier", "imprecise"),
        ("je ne sais pas", "unparsed"),
        ("", "unparsed"),
        ("bonjour", "unparsed"),
        ("2 enfants", "unparsed"),
        ("ALD 30", "unparsed"),
    ],
)
def test_unparsed_and_imprecise(text: str, error: str) -> None:
    parsed = parse_date_fr(text, TODAY, "past")
    assert parsed.value is None and parsed.error == error


def test_parsed_text_is_the_original_span() -> None:
    parsed = parse_date_fr("Envoyé le 31 Février !", TODAY, "past")
    assert parsed.text == "31 Février" and parsed.error == "impossible"


@pytest.mark.parametrize(
    "sentence, spans",
    [
        ("J'ai envoyé mon protocole le 10 janvier, quand vais-je avoir la réponse ?", ["10 janvier"]),
        ("envoyé le 15/12/2025 par courrier", ["15/12/2025"]),
        ("c'etait le 2026-04-20 je crois", ["2026-04-20"]),
        ("mon medecin l'a envoyé il y a 10 jours", ["il y a 10 jours"]),
        ("Je l'ai posté hier soir", ["hier"]),
        ("demande le 3 mars, accord le 20 avril 2026", ["3 mars", "20 avril 2026"]),
        ("né le 31 février ?", ["31 février"]),
        ("valable jusqu'au 31 mai 2027 normalement", ["31 mai 2027"]),
        ("valable jusqu'à fin mai", ["fin mai"]),
        ("le 1er mars dernier", ["1er mars dernier"]),
        ("Le 1 er AOUT", ["1 er AOUT"]),
        ("depuis le 30/02/2026", ["30/02/2026"]),
        ("envoye avant-hier", ["avant-hier"]),
        ("lundi 2 mars 2026 à 10 h", ["lundi 2 mars 2026"]),
        ("le 10 mars 15 jours après", ["10 mars"]),
        ("le 3 mai 20 h", ["3 mai"]),
        ("<b>le 10 janvier</b> 😀", ["10 janvier"]),
        ("Envoyé le 28 septembre. Quand aurai-je la réponse ?", ["28 septembre"]),
        ("envoyé le 14 oct. et rien", ["14 oct"]),
        ("envoyé le 14 oct. 2026", ["14 oct. 2026"]),
        ("envoyé le 5/9", ["5/9"]),
        ("accord du 1/3 et demande au 2/2", ["1/3", "2/2"]),
    ],
)
def test_find_dates_in_sentences(sentence: str, spans: list) -> None:
    found = find_dates(sentence)
    assert [s.text for s in found] == spans
    for s in found:
        assert sentence[s.start : s.end] == s.text


@pytest.mark.parametrize(
    "sentence",
    [
        "j'ai 2 enfants",
        "je suis en ALD 30",
        "pris en charge à 100 %",
        "appelez le 36 46",
        "6 mois de soins",
        "depuis 2 ans",
        "mon numéro est le 06 12 34 56 78",
        "06.12.34.56.78",
        "01-53-62-40-30",
        "prendre 1/2 comprimé 24h/24 et 7j/7",
        "note finale 5/9",
        "le 5/15 des patients",
        "j'ai un fichier dans mon cahier",
        "la sclérose en plaques et le diabète",
        "je paie 2 € par consultation, 50 € par an",
        "cerfa n° 11626*03",
        "j'ai mangé un mars",
        "",
    ],
)
def test_find_dates_no_false_positives(sentence: str) -> None:
    assert find_dates(sentence) == []


def test_find_dates_in_a_long_text() -> None:
    text = ("bla " * 2500) + "le 10 janvier 2026"
    found = find_dates(text)
    assert [s.text for s in found] == ["10 janvier 2026"]


def test_fold_keeps_length() -> None:
    text = "Le 1ᵉʳ Août ’26 — Œuvre ﬁn"
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    "d, must_be, side",
    [
        (date(2026, 11, 24), "past", "future_not_allowed"),
        (TODAY, "past", "ok"),
        (date(2026, 1, 10), "past", "ok"),
        (date(2026, 11, 22), "future", "past_not_allowed"),
        (TODAY, "future", "ok"),
        (date(2027, 5, 31), "future", "ok"),
        (date(2003, 1, 1), "past", "too_old"),
        (date(2004, 8, 12), "any", "too_old"),
        (date(2004, 8, 13), "any", "ok"),
        (date(2041, 11, 23), "future", "ok"),
        (date(2041, 11, 24), "future", "too_far"),
        (date(2099, 1, 1), "any", "too_far"),
        (date(2099, 1, 1), "past", "future_not_allowed"),
    ],
)
def test_check_side(d: date, must_be: str, side: str) -> None:
    assert check_side(d, TODAY, must_be) == side  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "d, text",
    [
        (date(2026, 2, 9), "9 février 2026"),
        (date(2026, 4, 1), "1er avril 2026"),
        (date(2026, 8, 15), "15 août 2026"),
        (date(2027, 12, 31), "31 décembre 2027"),
    ],
)
def test_format_date_fr(d: date, text: str) -> None:
    assert format_date_fr(d) == text


@pytest.mark.parametrize(
    "d, months, expected",
    [
        (date(2028, 5, 31), -3, date(2028, 2, 29)),
        (date(2027, 5, 31), -3, date(2027, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2025, 12, 20), 1, date(2026, 1, 20)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 3, 15), -3, date(2025, 12, 15)),
    ],
)
def test_add_months_clamped(d: date, months: int, expected: date) -> None:
    assert add_months_clamped(d, months) == expected


@pytest.mark.parametrize(
    "now, expected",
    [
        (
            datetime(2026, 11, 23, 23, 30, tzinfo=timezone.utc),
            date(2026, 11, 24),
        ),  # already the 24th in Paris
        (datetime(2026, 6, 30, 22, 30, tzinfo=timezone.utc), date(2026, 7, 1)),  # summer time
        (datetime(2026, 11, 23, 22, 59, tzinfo=timezone.utc), date(2026, 11, 23)),
        (datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("America/New_York")), date(2026, 11, 23)),
        (datetime(2026, 11, 23, 23, 59), date(2026, 11, 23)),  # naive = Paris
    ],
)
def test_today_paris(now: datetime, expected: date) -> None:
    assert today_paris(now) == expected


def test_today_paris_reads_the_clock_without_argument() -> None:
    assert isinstance(today_paris(), date)


@pytest.mark.parametrize(
    "text, expected", [("5/9", date(2026, 9, 5)), (" 5/9 ?", date(2026, 9, 5)), ("12/3", date(2026, 3, 12))]
)
def test_a_message_that_is_only_day_and_month_is_a_date(text, expected) -> None:
    assert parse_date_fr(text, date(2026, 12, 2), "past").value == expected


@pytest.mark.parametrize("text", ["je prends 1/2 comprimé", "prendre 1/2", "5/9 et 6/9 ?"])
def test_a_bare_fraction_inside_a_sentence_is_not_a_date(text) -> None:
    assert find_dates(text) == []


# --------------------------------------------------------------------------- how patients say it
# (today 2 December 2026, a Wednesday: the date of tests/conversations/)

DEC_2 = date(2026, 12, 2)


@pytest.mark.parametrize(
    "text, expected, span",
    [
        ("le protocole est parti le 3 du mois dernier", date(2026, 11, 3), "3 du mois dernier"),
        ("le 20 du mois dernier", date(2026, 11, 20), "20 du mois dernier"),
        ("le 10 du mois passé", date(2026, 11, 10), "10 du mois passé"),
        ("le 1er du mois dernier", date(2026, 11, 1), "1er du mois dernier"),
        ("le 15 de ce mois", date(2026, 12, 15), "15 de ce mois"),
        ("le 15 de ce mois-ci", date(2026, 12, 15), "15 de ce mois-ci"),
        ("le 3 du mois en cours", date(2026, 12, 3), "3 du mois en cours"),
        ("le 3 du mois prochain", date(2027, 1, 3), "3 du mois prochain"),
        ("le premier du mois prochain", date(2027, 1, 1), "premier du mois prochain"),
        ("le vingt-deux de ce mois-ci", date(2026, 12, 22), "vingt-deux de ce mois-ci"),
    ],
)
def test_a_day_of_a_month_named_relatively(text: str, expected: date, span: str) -> None:
    assert [s.text for s in find_dates(text)] == [span]
    for prefer in ("past", "future"):  # the month is said: prefer does not apply
        parsed = parse_date_fr(text, DEC_2, prefer)  # type: ignore[arg-type]
        assert (parsed.value, parsed.error, parsed.text) == (expected, None, span), prefer


@pytest.mark.parametrize(
    "today, text",
    [
        (DEC_2, "le 31 du mois dernier"),  # 31 November
        (date(2027, 3, 10), "le 30 du mois dernier"),  # 30 February
        (date(2027, 1, 31), "le 29 du mois prochain"),  # 29 February 2027
    ],
)
def test_a_day_the_relative_month_does_not_have_is_refused(today: date, text: str) -> None:
    parsed = parse_date_fr(text, today, "past")
    assert parsed.value is None and parsed.error == "impossible"


@pytest.mark.parametrize(
    "today, text, past, future",
    [
        (DEC_2, "le 12", date(2026, 11, 12), date(2026, 12, 12)),
        (DEC_2, "non pardon c'etait le 12", date(2026, 11, 12), date(2026, 12, 12)),
        (DEC_2, "c'était le 12", date(2026, 11, 12), date(2026, 12, 12)),
        (DEC_2, "non c'est le 12", date(2026, 11, 12), date(2026, 12, 12)),
        (DEC_2, "Plutôt le 12 !", date(2026, 11, 12), date(2026, 12, 12)),
        (DEC_2, "non, le 12 je crois", date(2026, 11, 12), date(2026, 12, 12)),
        (DEC_2, "c'etait le 1er", date(2026, 12, 1), date(2027, 1, 1)),
        (DEC_2, "le 2", DEC_2, DEC_2),  # today is on both sides
        (DEC_2, "le 31", date(2026, 10, 31), date(2026, 12, 31)),  # no 31 November
        (date(2027, 1, 15), "le 20", date(2026, 12, 20), date(2027, 1, 20)),  # year boundary
        (date(2027, 1, 31), "le 30", date(2027, 1, 30), date(2027, 3, 30)),  # no 30 February
        (date(2028, 1, 31), "le 29", date(2028, 1, 29), date(2028, 2, 29)),  # leap year
    ],
)
def test_a_day_alone_is_completed_on_the_side_asked(today: date, text: str, past: date, future: date) -> None:
    assert [s.kind for s in find_dates(text)] == ["day"]
    assert parse_date_fr(text, today, "past").value == past
    assert parse_date_fr(text, today, "future").value == future


@pytest.mark.parametrize(
    "text, expected, span",
    [
        ("ça fait 15 jours que le doc a envoyé le protocole", date(2026, 11, 17), "ça fait 15 jours"),
        ("ca fait 15 jours", date(2026, 11, 17), "ca fait 15 jours"),
        ("il y a 6 mois de ça", date(2026, 6, 2), "il y a 6 mois"),
        ("ca fait 3 semaines que j'attends", date(2026, 11, 11), "ca fait 3 semaines"),
        ("ça fait deux mois", date(2026, 10, 2), "ça fait deux mois"),
        ("cela fait un mois", date(2026, 11, 2), "cela fait un mois"),
        ("sa fait quinze jours", date(2026, 11, 17), "sa fait quinze jours"),
        ("ça va faire 3 semaines", date(2026, 11, 11), "ça va faire 3 semaines"),
        ("voila 10 jours", date(2026, 11, 22), "voila 10 jours"),
        ("voilà deux semaines que c'est parti", date(2026, 11, 18), "voilà deux semaines"),
        ("j'attends depuis 15 jours", date(2026, 11, 17), "depuis 15 jours"),
        ("rien depuis 3 semaines", date(2026, 11, 11), "depuis 3 semaines"),
    ],
)
def test_ca_fait_voila_depuis_are_il_y_a(text: str, expected: date, span: str) -> None:
    assert [s.text for s in find_dates(text)] == [span]
    parsed = parse_date_fr(text, DEC_2, "past")
    assert (parsed.value, parsed.error) == (expected, None)
    amount = re.sub(r"^\S+\s+(?:va\s+faire|fait)?\s*", "", span)  # "15 jours"
    assert parse_date_fr(f"il y a {amount}", DEC_2, "past").value == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "j'ai 12 ans",
        "12 euros",
        "ça fait 6 mois de kiné",
        "il y a 10 jours d'attente",
        "le 12 euros",
        "ald 30",
        "je suis en ALD 30",
        "n° 12",
        "3 semaines",
        "2 jours",
        "6 mois",
        "100 %",
        "le 12 %",
        "le 12 ans",
        "le 12h",
        "appelez le 15",
        "faut-il appeler le 15 ?",
        "non le 15 c'est le samu",
        "plutôt le 15 ou le 112 ?",
        "mon numéro est le 06 12 34 56 78",
        "le 2ème étage",
        "le 3 pièces",
        "le 12 du mois",
        "le 0",
        "le 32",
        "depuis 2 ans",
        "malade depuis 6 mois",
        "ça fait 100 %",
        "ca fait 12 euros",
        "cette semaine",
        "1700000000",
    ],
)
def test_numbers_that_are_not_days_stay_non_dates(sentence: str) -> None:
    assert find_dates(sentence) == []
    for prefer in ("past", "future"):
        parsed = parse_date_fr(sentence, DEC_2, prefer)  # type: ignore[arg-type]
        assert parsed.value is None, (sentence, parsed)


def test_a_duration_alone_does_not_read_the_machine_clock() -> None:
    # dateparser's relative reading of "3 semaines" counted from the real clock, not `today`
    assert parse_date_fr("3 semaines", date(2020, 1, 1), "past").error == "unparsed"
    assert parse_date_fr("il y a 3 semaines", date(2020, 1, 1), "past").value == date(2019, 12, 11)
