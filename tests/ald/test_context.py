"""ald.context: the facts a message states, whatever its intent."""

from __future__ import annotations

from datetime import date
from typing import Optional

import pytest

from ald.context import ald_status_in, read_context

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    "text, role, expected",
    [
        ("mon protocole est parti le 12 octobre, reponse quand ?", "sent_date", date(2026, 10, 12)),
        ("mon médecin l'a envoyé le 3 novembre", "sent_date", date(2026, 11, 3)),
        ("protocole posté le 20/11", "sent_date", date(2026, 11, 20)),
        ("le docteur a rempli le papier le 5 novembre", "sent_date", date(2026, 11, 5)),
        ("mon 100% s'arrete le 30 juin 2027", "valid_until", date(2027, 6, 30)),
        ("protocole valable jusqu'au 31 mai 2027", "valid_until", date(2027, 5, 31)),
        ("il expire le 15 mars", "valid_until", date(2027, 3, 15)),
        ("mon ald se termine fin janvier", "valid_until", date(2027, 1, 31)),
        ("j'ai eu l'accord le 4 septembre", "agreement_date", date(2026, 9, 4)),
        ("accepté le 10 mai 2025 pour mon diabète", "agreement_date", date(2025, 5, 10)),
        ("je suis en ald depuis le 1er mars 2020", "agreement_date", date(2020, 3, 1)),
        ("100 % dérogatoire depuis le 15 octobre", "derog_start", date(2026, 10, 15)),
        ("sorti de l'hopital le 2 novembre avec un protocole", "derog_start", date(2026, 11, 2)),
        ("j'ai fait la demande le 3 mars", "request_date", date(2026, 3, 3)),
    ],
)
def test_dates_get_their_role_from_the_words_around(text: str, role: str, expected: date) -> None:
    facts = read_context(text, TODAY)
    assert facts.dates == {role: expected}


def test_a_date_without_cue_is_loose() -> None:
    facts = read_context("le 2 octobre", TODAY)
    assert facts.dates == {}
    assert facts.loose_dates == ("2 octobre",)


def test_two_roles_in_one_message() -> None:
    facts = read_context("demande faite le 3 mars, accord reçu le 20 avril", TODAY)
    assert facts.dates == {"request_date": date(2026, 3, 3), "agreement_date": date(2026, 4, 20)}


def test_an_impossible_date_is_reported_not_lost() -> None:
    facts = read_context("envoyé le 31 février", TODAY)
    assert facts.dates == {}
    assert facts.bad_dates and facts.bad_dates[0][0] == "sent_date"


@pytest.mark.parametrize(
    "text, status",
    [
        ("je suis en ald exoneree", "exonerante"),
        ("je suis en ALD pour un diabète", "exonerante"),
        ("je suis à 100 %", "exonerante"),
        ("je suis a 100%", "exonerante"),
        ("pris en charge à 100 % pour mon cancer", "exonerante"),
        ("mon 100% s'arrete le 30 juin", "exonerante"),
        ("en fait je suis en ALD non exonérante", "non_exonerante"),
        ("ald non exo", "non_exonerante"),
        ("je ne suis pas en ALD", "aucune"),
        ("je suis pas en ald", "aucune"),
        ("je n'ai pas d'ald", "aucune"),
        ("c'est quoi une ald ?", None),
        ("ma kiné est-elle remboursée à 100 % ?", None),  # a question, not a situation
        ("c'est pris en charge à 100 % ?", None),
        ("oui", None),
        ("non", None),
        ("le protocole de soins", None),
    ],
)
def test_ald_status_in_a_sentence(text: str, status: Optional[str]) -> None:
    assert ald_status_in(text) == status


@pytest.mark.parametrize(
    "text, in_protocol, linked",
    [
        ("ma seance chez l'endocrino prevue au protocole, remboursee a combien ?", True, True),
        ("c'est inscrit dans mon protocole", True, True),
        ("ce n'est pas prévu dans le protocole", False, None),
        ("le kiné pour une entorse", None, False),
        ("c'est pour ma maladie", None, True),
        ("c'est lié à mon ALD", None, True),
        ("ça n'a rien à voir avec mon ald", None, False),
        ("c'est pas lié à mon ALD", None, False),
        ("ce n'est pas lié à ma maladie", None, False),
        ("mon protocole est parti le 12 octobre", None, None),
        # The protocol as the place of a change asked for, or of a content asked about: no
        # statement of where the user's care is.
        ("on peut rajouter des trucs dans le protocole ?", None, None),
        ("comment faire ajouter la kiné au protocole ?", None, None),
        ("est-ce que je peux mettre mes séances de kiné dans mon protocole ?", None, None),
        ("qu'est-ce qui est prévu dans le protocole ?", None, None),
        # ... but a change done, or a statement before a question on changes, states it.
        ("la kiné a été ajoutée au protocole", True, True),
        ("mes médicaments sont dans le protocole, on peut en rajouter ?", True, True),
        ("oui c'est marqué dans le protocole", True, True),
        # a question word far before does not undo a statement...
        ("qu'est-ce que je paie pour ma kiné qui est dans le protocole", True, True),
        # ... but asking whether it is in the protocol states nothing
        ("la kiné est dans le protocole ?", None, None),
        ("je voudrais savoir si la kiné est dans le protocole", None, None),
        ("est-ce que la kiné est dans le protocole ou pas ?", None, None),
        # a supposition does, for the answer to come
        ("et si le médicament était dans le protocole ?", True, True),
    ],
)
def test_care_in_protocol_and_linked(text: str, in_protocol: Optional[bool], linked: Optional[bool]) -> None:
    facts = read_context(text, TODAY)
    assert facts.in_protocol is in_protocol
    assert facts.linked_to_ald is linked


@pytest.mark.parametrize(
    "text, relative",
    [
        ("ma maman de 82 ans a Alzheimer", "mere"),
        ("mon père a la maladie de Parkinson", "pere"),
        ("ma fille a une neuropathie", "enfant"),
        ("Ma femme vient d'apprendre qu'elle a un lupus.", "conjoint"),
        ("pardon, c'est mon mari qui a le diabète", "conjoint"),
        ("j'ai un diabète", None),
    ],
)
def test_relative(text: str, relative: Optional[str]) -> None:
    assert read_context(text, TODAY).relative == relative


@pytest.mark.parametrize(
    "text",
    [
        "pardon je me suis trompee, le 2 octobre",
        "non, c'était le 3 mars",
        "en fait le 5 mai",
        "non le 2",
        "je voulais dire le 4 juin",
        "oups, plutôt le 10",
    ],
)
def test_corrections(text: str) -> None:
    assert read_context(text, TODAY).correction


@pytest.mark.parametrize("text", ["le 2 octobre", "non", "oui", "envoyé le 3 mars", "non merci"])
def test_not_corrections(text: str) -> None:
    assert not read_context(text, TODAY).correction


def test_sick_leave() -> None:
    assert read_context("je suis en arrêt maladie depuis 3 mois", TODAY).sick_leave is True
    assert read_context("je travaille", TODAY).sick_leave is None


@pytest.mark.parametrize("text", ["", "   ", "azertyuiop", "🙂🙂", "<b>x</b>", "x" * 10000])
def test_nothing_in_noise(text: str) -> None:
    assert read_context(text, TODAY).is_empty()


@pytest.mark.parametrize(
    "text, status, in_protocol",
    [
        ("en ald 100%, mes prises de sang prevues ds le protocole c rembourse comment", "exonerante", True),
        ("la kine c pas ds mon protocole", None, False),
        ("jsui en ald pr mon diabete, ma kine c rembourse a 100 ?", "exonerante", None),
        ("chui en ald, le kine c combien", "exonerante", None),
    ],
)
def test_sms_spellings_of_the_situation_and_the_protocol(text, status, in_protocol) -> None:
    facts = read_context(text, date(2026, 12, 2))
    assert (facts.ald_status, facts.in_protocol) == (status, in_protocol)
