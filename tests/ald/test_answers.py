"""ald.answers: yes / no / unsure and durations, as patients write them."""

from __future__ import annotations

from typing import Optional

import pytest

from ald.answers import LIFELONG_MONTHS, duration_months, read_yes_no, yes_no_from_text

YES = [
    "oui",
    "Oui.",
    "OUI !",
    "ouais",
    "ouai",
    "wi",
    "o",
    "yes",
    "ok",
    "d'accord",
    "exact",
    "exactement",
    "oui bien sûr",
    "bien sur",
    "évidemment",
    "tout à fait",
    "oui oui",
    "oui c'est ça",
    "c'est ça",
    "effectivement",
    "en effet",
    "je crois",
    "je pense que oui",
    "il me semble",
    "normalement oui",
    "euh oui",
    "ben oui",
    "oui merci",
    "si",
    "oui, c'est pour mon diabète",
    "Oui bien sûr c'est lié",
    "absolument",
    # Replies to "Ce soin est-il prévu dans votre protocole ?" that go on in the user's words.
    "oui c'est marqué dans le protocole",
    "oui c'est marqué dedans",
    "ouais il y est",
    "bah oui c'est dans le protocole",
    "je pense que oui, il y est",
    "c'est marqué dedans oui",
]
NO = [
    "non",
    "Non.",
    "nan",
    "non non",
    "pas du tout",
    "absolument pas",
    "jamais",
    "pas vraiment",
    "je ne crois pas",
    "je crois pas",
    "je pense que non",
    "non merci",
    "aucun rapport",
    "rien à voir",
    "ça n'a rien à voir",
    "non c'est pour une entorse",
    "euh non",
    "pas encore",
    "ce n'est pas le cas",
    "non, pas dans le protocole",
    "non il y est pas",
    "non pas dedans",
    "ben non il y est pas",
    "je crois pas, il y est pas",
    "il y est pas non",
    "c'est pas dans le protocole non",
]
UNSURE = [
    "je sais pas",
    "je ne sais pas",
    "jsp",
    "chais pas",
    "aucune idée",
    "peut-être",
    "je ne suis pas sûre",
    "pas sûr",
    "je sais plus",
    "je ne me souviens pas",
    "comment savoir ?",
    "je comprends pas la question",
    "euh je sais pas trop",
]
NEITHER = [
    "",
    "   ",
    "le 3 mars",
    "kiné",
    "c'est quand le renouvellement ?",
    "diabète",
    "ma mère a parkinson",
    "🙂",
    "<b>x</b>",
    "c'est marqué dans le protocole ?",
    "c'est pour une entorse, non ?",
    "on peut rajouter des trucs dans le protocole ?",
    "bonjour",
    # A yes or no word that ends a question is no answer ("ou non", "savoir si", "est-ce").
    "je voudrais savoir si c'est dans le protocole ou non",
    "c'est lié ou non",
    "c'est dans le protocole oui ou non",
    "est-ce que c'est dedans oui",
    "je me demande si c'est lié, non",
    "je veux savoir si c'est remboursé oui",
]


@pytest.mark.parametrize("text", YES)
def test_yes(text: str) -> None:
    assert read_yes_no(text) == "yes"
    assert yes_no_from_text(text) is True


@pytest.mark.parametrize("text", NO)
def test_no(text: str) -> None:
    assert read_yes_no(text) == "no"
    assert yes_no_from_text(text) is False


@pytest.mark.parametrize("text", UNSURE)
def test_unsure_is_neither_yes_nor_no(text: str) -> None:
    assert read_yes_no(text) == "unsure"
    assert yes_no_from_text(text) is None


@pytest.mark.parametrize("text", NEITHER)
def test_not_an_answer(text: str) -> None:
    assert read_yes_no(text) is None


@pytest.mark.parametrize(
    "text, months",
    [
        ("2 mois", 2),
        ("au moins 8 mois", 8),
        ("8 mois minimum", 8),
        ("un an", 12),
        ("1 an et demi", 12),
        ("3 ans", 36),
        ("deux ans", 24),
        ("six mois", 6),
        ("quelques semaines", 0.75),
        ("3 semaines", 0.75),
        ("15 jours", 0.5),
        ("10 jours", 1 / 3),
        ("des années", 24),
        ("des annees", 24),
        ("plusieurs années", 24),
        ("plusieurs mois", 3),
        ("ca va durer des annees", 24),
        ("1,5 an", 18),
        ("pas longtemps", 0.25),
        ("quelques jours", 0.1),
        ("toute ma vie", LIFELONG_MONTHS),
        ("à vie", LIFELONG_MONTHS),
        ("pour toujours", LIFELONG_MONTHS),
        ("c'est chronique", LIFELONG_MONTHS),
        ("toute sa vie", LIFELONG_MONTHS),
        ("très longtemps", LIFELONG_MONTHS),
        ("toute ma vie je pense", LIFELONG_MONTHS),
        ("il a 2 ans de traitement", 24),
        ("elle a 2 ans de rééducation", 24),
        ("j'ai 3 ans de kiné", 36),
        ("ma maman de 82 ans a alzheimer depuis 2 ans", 24),
    ],
)
def test_duration_months(text: str, months: float) -> None:
    value = duration_months(text)
    assert value is not None
    assert value == pytest.approx(months, rel=0.01) or (months < 1 and value < 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "oui",
        "je sais pas",
        "kiné",
        "le 3 mars",
        # ages, not durations of care
        "notre fils de 7 ans est autiste",
        "ma mère âgée de 82 ans",
        "elle a 12 ans",
        "j'ai 45 ans",
    ],
)
def test_not_a_duration(text: str) -> None:
    value: Optional[float] = duration_months(text)
    assert value is None
