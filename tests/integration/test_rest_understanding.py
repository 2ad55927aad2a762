"""Single questions as a new user types them, over the REST channel against real servers: the
right kind of answer at once, the fallback for gibberish, out of scope for off-topic requests,
and no emergency answer for a past event (the understanding issue's examples, in the product's
own words)."""

from __future__ import annotations

import pytest

from tools.stack import conversation

NOT_UNDERSTOOD = "pas bien compris"


def ask(port: int, text: str) -> str:
    [reply] = conversation(port, text)
    return reply


@pytest.mark.parametrize("text", ["azertyuiop", "hhhhhhhhhhhhhhhhhh", "qsdfghjklm"])
def test_gibberish_is_not_understood_and_starts_nothing(rasa_port: int, text: str) -> None:
    reply = ask(rasa_port, text)
    assert reply.startswith("Je n'ai pas bien compris")
    assert "calculer" not in reply and "Source" not in reply


def test_a_past_heart_attack_is_an_eligibility_question_not_an_emergency(rasa_port: int) -> None:
    reply = ask(rasa_port, "ma mere a fait un infarctus en mars, elle a droit au 100 % ?")
    assert "15" not in reply and "SAMU" not in reply
    assert NOT_UNDERSTOOD not in reply


def test_a_present_emergency_still_goes_to_15(rasa_port: int) -> None:
    reply = ask(rasa_port, "mon mari fait un avc la maintenant")
    assert "15" in reply and "112" in reply


def test_silence_of_the_caisse(rasa_port: int) -> None:
    reply = ask(rasa_port, "le medecin conseil n'a rien dit depuis 3 semaines, c'est mauvais signe ?")
    assert NOT_UNDERSTOOD not in reply


def test_how_to_show_one_is_in_ald_at_the_pharmacy(rasa_port: int) -> None:
    reply = ask(
        rasa_port, "la pharmacie me demande de payer alors que je suis a 100%, comment prouver mon ald ?"
    )
    assert "carte Vitale" in reply


@pytest.mark.parametrize(
    "text",
    ["je cherche une assurance pour ma voiture", "il faut combien de temps pour refaire un passeport ?"],
)
def test_off_topic_requests_sharing_a_word_are_out_of_scope(rasa_port: int, text: str) -> None:
    reply = ask(rasa_port, text)
    assert "ne peux pas vous aider sur ce sujet" in reply
    assert "Source" not in reply  # no FAQ answer
