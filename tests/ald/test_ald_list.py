"""ald.ald_list: the ALD 30 table and the disease look-up."""

from __future__ import annotations

from typing import Optional

import pytest

from ald import ald_list
from ald.ald_list import ALD30, duration_text_fr, lookup_disease, match_from_key


def test_table_has_29_affections_without_12() -> None:
    numbers = [e.number for e in ALD30]
    assert len(ALD30) == 29
    assert 12 not in numbers
    assert numbers == sorted(numbers) and numbers[0] == 1 and numbers[-1] == 30
    with pytest.raises(KeyError):
        ald_list.entry(12)


@pytest.mark.parametrize(
    "number, years",
    [
        (1, 3),
        (2, 10),
        (3, 10),
        (4, 3),
        (7, 10),
        (8, 10),
        (9, 10),
        (10, 10),
        (11, 10),
        (13, 10),
        (14, 10),
        (15, 10),
        (16, 10),
        (17, 5),
        (18, 10),
        (20, 10),
        (21, 10),
        (22, 10),
        (24, 5),
        (25, 10),
        (26, 5),
        (27, 10),
        (30, 5),
    ],
)
def test_initial_durations(number: int, years: int) -> None:
    e = ald_list.entry(number)
    assert e.years == years and not e.variants


@pytest.mark.parametrize(
    "key, years",
    [
        ("5_rythme", 5),
        ("5_cardiaque", 10),
        ("6_cirrhose", 10),
        ("6_hepatite", 5),
        ("19_nephropathie", 10),
        ("19_nephrotique", 5),
        ("23_psychoses", 10),
        ("23_humeur", 5),
        ("23_developpement", 10),
        ("23_personnalite", 5),
        ("28_organe", 10),
        ("28_cornee", 3),
        ("29_tuberculose", 3),
        ("29_lepre", 5),
    ],
)
def test_variant_durations(key: str, years: int) -> None:
    assert match_from_key(key).years == years


@pytest.mark.parametrize(
    "text, key",
    [
        ("cancer", "30"),
        ("j'ai un cancer du sein", "30"),
        ("tumeur", "30"),
        ("leucémie", "30"),
        ("lymphome", "30"),
        ("CANCER", "30"),
        ("myélome", "30"),
        ("diabète", "8"),
        ("diabete type 1", "8"),
        ("diabete de type 2", "8"),
        ("je suis diabétique", "8"),
        ("parkinson", "16"),
        ("maladie de Parkinson", "16"),
        ("alzheimer", "15"),
        ("démence", "15"),
        ("sclérose en plaques", "25"),
        ("sclerose en plaque", "25"),
        ("SEP", "25"),
        ("dépression", "23_humeur"),
        ("trouble bipolaire", "23_humeur"),
        ("troubles de l'humeur", "23_humeur"),
        ("schizophrénie", "23_psychoses"),
        ("autisme", "23_developpement"),
        ("trouble de la personnalité", "23_personnalite"),
        ("psychiatrie", "23"),
        ("VIH", "7"),
        ("sida", "7"),
        ("séropositif", "7"),
        ("insuffisance cardiaque", "5_cardiaque"),
        ("troubles du rythme", "5_rythme"),
        ("fibrillation auriculaire", "5_rythme"),
        ("maladie de Crohn", "24"),
        ("RCH", "24"),
        ("rectocolite hémorragique", "24"),
        ("mucoviscidose", "18"),
        ("épilepsie", "9"),
        ("AVC", "1"),
        ("accident vasculaire cérébral", "1"),
        ("cirrhose", "6_cirrhose"),
        ("hépatite C", "6_hepatite"),
        ("hepatite b", "6_hepatite"),
        ("insuffisance rénale", "19_nephropathie"),
        ("dialyse", "19_nephropathie"),
        ("syndrome néphrotique", "19_nephrotique"),
        ("greffe de rein", "28_organe"),
        ("transplantation cardiaque", "28_organe"),
        ("greffe de cornée", "28_cornee"),
        ("tuberculose", "29_tuberculose"),
        ("lèpre", "29_lepre"),
        ("polyarthrite rhumatoïde", "22"),
        ("lupus", "21"),
        ("sclérodermie", "21"),
        ("vascularite", "21"),
        ("spondylarthrite ankylosante", "27"),
        ("scoliose", "26"),
        ("BPCO", "14"),
        ("insuffisance respiratoire", "14"),
        ("infarctus", "13"),
        ("maladie coronaire", "13"),
        ("artérite", "3"),
        ("drépanocytose", "10"),
        ("thalassémie", "10"),
        ("hémophilie", "11"),
        ("paraplégie", "20"),
        ("bilharziose", "4"),
        ("myopathie", "9"),
        ("maladie de Charcot", "9"),
        # typos and SMS spelling
        ("parkinsone", "16"),
        ("alzeimer", "15"),
        ("diabette", "8"),
        ("mucovicidose", "18"),
        ("scleroze en plaque", "25"),
        ("schizofrenie", "23_psychoses"),
        # numbers
        ("ALD 8", "8"),
        ("30", "30"),
        ("n° 23", "23"),
    ],
)
def test_lookup_on_list(text: str, key: str) -> None:
    match = lookup_disease(text)
    assert match is not None and match.status == "on_list", text
    assert match.key == key
    assert match.entry is not None and match.label


@pytest.mark.parametrize(
    "text",
    [
        "hypertension",
        "HTA",
        "hypertension artérielle sévère",
        "j'ai de la tension artérielle",
        "j'ai de la tension",
        "ALD 12",
        "12",
    ],
)
def test_hypertension_was_removed(text: str) -> None:
    match = lookup_disease(text)
    assert match is not None and match.status == "removed" and match.key == "12"
    assert match.entry is None


@pytest.mark.parametrize(
    "text, code, hint",
    [
        ("fibromyalgie", "fibromyalgie", ""),
        ("endométriose", "endometriose", ""),
        ("migraine", "migraine", ""),
        ("asthme", "asthme", "severe_forms_n14"),
        ("arthrose", "arthrose", ""),
        ("mal de dos", "lombalgie", ""),
        ("obésité", "obesite", ""),
        ("hypothyroïdie", "thyroide", ""),
        ("fibromialgie", "fibromyalgie", ""),
    ],
)
def test_lookup_not_on_list(text: str, code: str, hint: str) -> None:
    match = lookup_disease(text)
    assert match is not None and match.status == "not_on_list"
    assert (match.key, match.hint) == (code, hint)
    assert match.entry is None and match.years is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "bonjour",
        "j'ai mal à la lèvre",
        "hypertension pulmonaire",
        "tumeur bénigne",
        "ALD 99",
        "je ne sais pas",
    ],
)
def test_lookup_unknown(text: str) -> None:
    assert lookup_disease(text) is None


def test_severe_respiratory_insufficiency_wins_over_asthma() -> None:
    match = lookup_disease("asthme avec insuffisance respiratoire chronique grave")
    assert match is not None and match.key == "14"


@pytest.mark.parametrize(
    "key, text",
    [
        ("8", "10 ans"),
        ("1", "3 ans, puis par périodes de 10 ans"),
        ("23", "5 ans ou 10 ans selon la forme de la maladie"),
        ("23_humeur", "5 ans"),
        ("28_cornee", "3 ans"),
    ],
)
def test_duration_text(key: str, text: str) -> None:
    assert duration_text_fr(match_from_key(key)) == text


def test_duration_text_empty_when_not_on_list() -> None:
    match: Optional[ald_list.AldMatch] = lookup_disease("migraine")
    assert match is not None and duration_text_fr(match) == ""


def test_match_from_key_unknown() -> None:
    with pytest.raises(KeyError):
        match_from_key("99")


@pytest.mark.parametrize(
    "text, left",
    [
        ("est-ce que la glomérulite de Zorglub est une ALD ?", "glomerulite zorglub"),
        ("j'ai une maladie de kikuchi, c'est une ald ?", "kikuchi"),
        ("est-ce que ma maladie est une ALD", None),
        ("est-ce que mon fils peut avoir une ALD ?", None),
        ("elle y a droit ?", None),
        ("comment savoir si ma maladie est une ALD ?", None),
        ("Quelles maladies sont reconnues ALD ?", None),
        ("une maladie rare c'est une ald ?", None),
        ("mon medecin dit que c'est une ald, c'est vrai ?", None),
        # Verbs of the question and a state told with it are no disease's name: "ça peut passer
        # en ALD ?" after an AVC told earlier asked "passer" as an unknown disease.
        ("ca peut passer en ald ?", None),
        ("ça rentre dans les affections de longue durée ?", None),
        ("est ce que cette maladie est prise a 100% ?", None),
        ("il est paralysé d'un côté, ça peut passer en ald ?", None),
        ("elle est restée handicapée, ça ouvre droit au 100 % ?", None),
        ("la sarcoïdose ouvre droit à une prise en charge à 100 % ?", "sarcoidose"),
        ("ma fille a une paralysie cérébrale, est-ce que cette maladie est une ALD ?", "paralysie cerebrale"),
    ],
)
def test_what_is_left_of_a_question_may_be_an_unknown_name(text, left) -> None:
    from ald.ald_list import unknown_name_in

    assert unknown_name_in(text) == left
