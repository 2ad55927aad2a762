"""Masking of personal identifiers (ald/pii.py)."""

from __future__ import annotations

import pytest

from ald import pii
from ald.pii import EMAIL_PLACEHOLDER, NIR_PLACEHOLDER, PHONE_PLACEHOLDER, mask

NIRS = [
    "1 85 05 78 006 084 36",
    "185057800608436",
    "1850578006084",  # without the key
    "1 85 05 78 006 084",
    "2 91 12 2A 123 456 78",  # Corsica
    "1 70 01 2b 004 120 55",
    "291122A12345678",
    "1-85-05-78-006-084-36",
    "1.85.05.78.006.084.36",
    "185 05 78006084 36",  # any grouping
    "7 85 99 78 006 084 36",  # temporary number, unknown month
]

EMAILS = [
    "jean.dupont@example.com",
    "Jean.Dupont+ald@exemple.fr",
    "jérôme.lévêque@laposte.net",
    "marie_curie-1867@sub.domaine.co.uk",
    "jean @ example.com",
]

PHONES = [
    "06 12 34 56 78",
    "0612345678",
    "06.12.34.56.78",
    "06-12-34-56-78",
    "01 53 62 40 30",
    "+33 6 12 34 56 78",
    "+33612345678",
    "+33 (0)6 12 34 56 78",
    "0033 6 12 34 56 78",
    "+33 1 53 62 40 30",
]

NOT_IDENTIFIERS = [
    "appelez le 36 46",
    "le 3646 est gratuit",
    "3114",
    "appelez le 15",
    "le 112 en urgence",
    "15/12/2025",
    "le 15/12/2025 à 10h30",
    "2025-12-15",
    "31 05 2027",
    "le 01.02.2025 10 jours après",
    "mon protocole est valable jusqu'au 31 mai 2027, quand dois-je demander le renouvellement ?",
    "ALD 30",
    "ALD n°30 et ALD 31",
    "1 500 €",
    "150 000 euros",
    "2 € par consultation, 50 € par an",
    "il y a 10 jours",
    "j'ai 75 ans",
    "75001 Paris",
    "pendant 6 mois, 3 ans au plus",
    "",
    "😀👍 merci",
    "<b>bonjour</b> <script>alert(1)</script>",
    "écrivez-moi sur le site ameli.fr",
    "prix: 12.50",
]


@pytest.mark.parametrize("nir", NIRS)
def test_nir_is_masked_in_a_sentence(nir: str) -> None:
    result = mask(f"mon numéro de sécu est {nir}, merci")
    assert result.text == f"mon numéro de sécu est {NIR_PLACEHOLDER}, merci"
    assert result.masked == ["nir"]


@pytest.mark.parametrize("email", EMAILS)
def test_email_is_masked(email: str) -> None:
    result = mask(f"écrivez-moi à {email} svp")
    assert result.text == f"écrivez-moi à {EMAIL_PLACEHOLDER} svp"
    assert result.masked == ["email"]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_is_masked(phone: str) -> None:
    result = mask(f"rappelez-moi au {phone}.")
    assert result.text == f"rappelez-moi au {PHONE_PLACEHOLDER}."
    assert result.masked == ["phone"]


@pytest.mark.parametrize("text", NOT_IDENTIFIERS)
def test_ordinary_numbers_dates_and_amounts_are_kept(text: str) -> None:
    result = mask(text)
    assert result.text == text
    assert result.masked == []


def test_digits_glued_to_the_nir_do_not_shrink_it_into_a_phone_number() -> None:
    # 16 digits: not a NIR, and no 10-digit phone number hidden inside either.
    assert mask("1850578006084361").masked == []


def test_several_kinds_in_one_message_in_order_found() -> None:
    text = "NIR 2 85 05 2A 006 084 36, tel 0612345678, mail a.b@c.fr, " "et encore 1 85 05 78 006 084 36"
    result = mask(text)
    assert result.masked == ["email", "nir", "phone"]
    assert result.text == (
        f"NIR {NIR_PLACEHOLDER}, tel {PHONE_PLACEHOLDER}, mail "
        f"{EMAIL_PLACEHOLDER}, et encore {NIR_PLACEHOLDER}"
    )
    for digit_run in ("006 084", "0612345678", "a.b@c.fr"):
        assert digit_run not in result.text


def test_masking_is_idempotent() -> None:
    once = mask("1 85 05 78 006 084 36 / jean@x.fr / 06 12 34 56 78").text
    assert mask(once).text == once
    assert mask(once).masked == []


def test_html_and_emoji_around_identifiers() -> None:
    result = mask("<p>📞 06 12 34 56 78</p><a href='mailto:x@y.fr'>x@y.fr</a> 😀")
    assert result.text == (
        f"<p>📞 {PHONE_PLACEHOLDER}</p><a href='mailto:{EMAIL_PLACEHOLDER}'>" f"{EMAIL_PLACEHOLDER}</a> 😀"
    )


def test_mask_value_walks_nested_structures() -> None:
    value = {"a": ["jean@x.fr", 3, None, {"b": "06 12 34 56 78"}], "c": ("185057800608436",), "d": 1.5}
    assert pii.mask_value(value) == {
        "a": [EMAIL_PLACEHOLDER, 3, None, {"b": PHONE_PLACEHOLDER}],
        "c": (NIR_PLACEHOLDER,),
        "d": 1.5,
    }


@pytest.mark.parametrize(
    "text",
    [
        "a" * 10_000,
        "1" * 10_000,
        "0" * 10_000,
        "1 " * 5_000,
        "06 " * 3_333,
        "a@" * 5_000,
        "a.b" * 3_333,
        "x@y." * 2_500,
        ("a" * 50 + "@") * 200,
        "😀" * 10_000,
        "<p>" * 3_000,
        ("mon nir est 1 85 05 78 006 084 36 " * 300),
    ],
)
def test_long_pathological_texts_are_masked_once_and_for_all(text: str) -> None:
    once = mask(text).text
    assert mask(once).text == once
    assert "006 084" not in once
