"""ald.text: the one accent folding of the project."""

from __future__ import annotations

import pytest

from ald.text import fold, fold_same_length, question_part, words


def test_fold_strips_accents_case_apostrophes_and_spaces() -> None:
    assert fold("  Je n’AI   plus ENVIE ") == "je n'ai plus envie"


@pytest.mark.parametrize("text", ["Été – «Kiné»", "l’ALD\u00a0n° 30", "œil", "ÉÇÀ—x"])
def test_fold_same_length_keeps_offsets(text: str) -> None:
    assert len(fold_same_length(text)) == len(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kiné-thérapie !", "kine therapie"),
        ("maladie du cœur", "maladie du coeur"),
        ("C’est   ÇA.", "c'est ca"),
        ("", ""),
    ],
)
def test_words(text: str, expected: str) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Ma femme a un lupus depuis mars. Le médecin veut faire le protocole. "
            "Il est valable combien de temps ?",
            "Il est valable combien de temps ?",
        ),
        # the asking sentence is not always the last one
        (
            "c est quand la reponse de la secu ? le medecin a tout envoye hier",
            "c est quand la reponse de la secu ?",
        ),
        # no question mark: the last sentence
        (
            "mon generaliste a rempli le papier. je voudrais savoir ou il part",
            "je voudrais savoir ou il part",
        ),
        (
            "Bonjour,\nmon ald se termine en mai\nje dois faire quoi pour la garder",
            "je dois faire quoi pour la garder",
        ),
    ],
)
def test_question_part_of_a_message_of_several_sentences(text: str, expected: str) -> None:
    assert question_part(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "combien de temps pour la reponse de la caisse ?",
        "Bonjour. Le taxi est-il remboursé ?",  # a greeting is not a sentence of its own
        "Merci ! Au revoir.",
        "",
    ],
)
def test_no_question_part_in_a_message_of_one_sentence(text: str) -> None:
    assert question_part(text) is None
