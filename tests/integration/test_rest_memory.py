"""Conversations, not single questions, over the REST channel against real servers (today
pinned to 2026-11-23): the situation told first, a question fully stated in one message, answers
in the user's own words, corrections, and disease names as people write them. Each row of the
issue's table is here, in its own words."""

from __future__ import annotations

import re

from tools.stack import conversation


def number(n: int) -> re.Pattern[str]:
    return re.compile(rf"n° ?{n}\b")


def test_a_listed_disease_is_never_said_off_the_list(rasa_port: int) -> None:
    [reply] = conversation(rasa_port, "maladie de parkinson : ald ou pas ?")
    assert number(16).search(reply) and "ne fait pas partie" not in reply


def test_a_neuropathy_is_not_a_nephropathy(rasa_port: int) -> None:
    [reply] = conversation(rasa_port, "ma fille a une neuropathie, c'est une ALD ?")
    assert "néphropathie" not in reply.lower() and not number(19).search(reply)
    assert number(9).search(reply) and "médecin" in reply


def test_an_unknown_name_is_not_said_off_the_list(rasa_port: int) -> None:
    [reply] = conversation(rasa_port, "est-ce que la glomérulite de Zorglub est une ALD ?")
    assert "ne fait pas partie" not in reply  # never a false "no"
    assert "ne connais pas" in reply or "pas bien compris" in reply


def test_the_disease_said_before_answers_the_next_question(rasa_port: int) -> None:
    first, second = conversation(
        rasa_port, "Ma femme vient d'apprendre qu'elle a un lupus.", "c'est pris en charge en ALD ?"
    )
    assert "je n'ai pas" not in first.lower()
    assert "lupus" in second and number(21).search(second)
    assert "dont vous m'avez parlé" in second


def test_a_coverage_question_fully_stated_is_answered_at_once(rasa_port: int) -> None:
    [reply] = conversation(
        rasa_port,
        "je suis en ald exoneree, ma seance chez l'endocrino prevue " "au protocole, remboursee a combien ?",
    )
    assert "100 %" in reply and "tarif" in reply
    assert "?" not in reply.split("Source")[0]  # nothing asked


def test_eligibility_answered_with_a_disease_and_a_duration(rasa_port: int) -> None:
    ask, noted, result = conversation(
        rasa_port,
        "je voudrais savoir si je peux avoir l'ALD",
        "j'ai une polyarthrite",
        "ca va durer des annees",
    )
    assert "?" in ask
    assert "oui ou par non" not in noted and number(22).search(noted)
    assert "polyarthrite" in result.lower() and number(22).search(result)


def test_a_corrected_date_gives_the_new_answer_at_once(rasa_port: int) -> None:
    first, corrected = conversation(
        rasa_port,
        "mon protocole est parti le 12 octobre, reponse quand ?",
        "pardon je me suis trompee, le 2 octobre",
    )
    assert "12 octobre 2026" in first
    assert "2 octobre 2026" in corrected and "2 novembre 2026" in corrected


def test_an_end_of_validity_told_first(rasa_port: int) -> None:
    replies = conversation(
        rasa_port, "mon 100% s'arrete le 30 juin 2027", "je dois faire quoi et avant quand ?"
    )
    assert "30 mars 2027" in replies[0]
    assert "30 mars 2027" in replies[1] and "médecin traitant" in replies[1]


def test_a_long_message_with_context_gets_the_renewal_answer_for_the_disease(rasa_port: int) -> None:
    [reply] = conversation(
        rasa_port,
        "Bonjour, je m'occupe de ma maman de 82 ans qui a Alzheimer "
        "depuis 2 ans, son medecin dit qu'il faut refaire le papier pour "
        "le 100 %, comment ca se passe ?",
    )
    assert "renouvel" in reply.lower()
    assert "Alzheimer" in reply and number(15).search(reply)


def test_natural_answers_a_doubt_and_a_correction_inside_the_coverage_questions(rasa_port: int) -> None:
    replies = conversation(
        rasa_port,
        "ma kiné est-elle remboursée à 100 % ?",
        "je suis à 100 %",
        "oui bien sûr",
        "je sais pas",
        "oui c'est ça",
    )
    assert "volet" in replies[3]  # where to find the answer, not a loop
    assert "100 %" in replies[4] and "tarif" in replies[4]


def test_a_situation_corrected_after_the_answer(rasa_port: int) -> None:
    first, corrected = conversation(
        rasa_port,
        "je suis en ALD exonérante, mon taxi pour aller à ma chimio est-il remboursé ? il "
        "est prévu dans mon protocole",
        "en fait je suis en ALD non exonérante",
    )
    assert "100 %" in first and "55 %" not in first
    assert "55 %" in corrected


def test_two_unusable_answers_end_the_form_kindly(rasa_port: int) -> None:
    replies = conversation(
        rasa_port, "calculer ma date de réponse", "bof", "truc", "qui remplit le " "protocole de soins ?"
    )
    assert "Santé Info Droits" in replies[2] or "36 46" in replies[2]
    assert "médecin traitant" in replies[3]  # a new question is answered normally


def test_cancel_then_a_new_question(rasa_port: int) -> None:
    replies = conversation(
        rasa_port,
        "calculer ma date de renouvellement",
        "laisse tomber",
        "qui remplit le protocole de soins ?",
    )
    assert "arrête" in replies[1]
    assert "médecin traitant" in replies[2]


def test_a_lifelong_duration_with_a_doubt_is_an_answer_not_distress(rasa_port: int) -> None:
    _, answer = conversation(
        rasa_port, "je voudrais savoir si ma situation ouvre droit au 100 %", "toute ma vie je pense"
    )
    assert "3114" not in answer and "liste des ALD" in answer and "?" in answer


def test_a_care_question_not_understood_asks_the_missing_situation_then_answers(rasa_port: int) -> None:
    _, asked, answer = conversation(
        rasa_port,
        "ma fille a le diabète de type 1",
        "elle est ds le protocole pour l endocrino, c rembourse combien",
        "elle est en ald",
    )
    assert "situation" in asked and "n° 8" not in asked
    assert "100 %" in answer and "spécialiste" in answer


def test_an_age_is_no_duration_and_the_remembered_disease_answers_the_list_question(rasa_port: int) -> None:
    _, answer = conversation(
        rasa_port, "notre fils de 7 ans est autiste", "on peut demander le 100 % pour lui ?"
    )
    assert number(23).search(answer) and "six mois ou plus" in answer
