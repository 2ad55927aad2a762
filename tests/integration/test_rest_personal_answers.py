"""The personal questions of the design brief, asked over the REST channel (as a helpline
tool would) against real servers, with "today" pinned to 2026-11-23 (Europe/Paris) on the
action server: in one message, over several turns, and with bad input in between. Each
conversation has its own sender id; the expected dates are worked out by hand from the
rules (FACTS.md): two weeks / one month after sending, three calendar months before the end
(clamped to the month's end), six months after the start of the derogatory 100 %.

Forms are started with unambiguous requests ("calculer ma date de réponse"): a bare "quand
la caisse va répondre ?" may rightly get the general answer (with its "Calculer ma date"
button) instead, and trainings on different machines need not agree on such borderline
messages; how well the NLU classifies is measured by `make evaluate`, not here."""

from __future__ import annotations

import uuid

from tools.stack import conversation, rest_send, texts


def test_decision_delay_in_one_message(rasa_port: int) -> None:
    [reply] = conversation(
        rasa_port, "j'ai envoyé mon protocole le 10 novembre, quand " "aurai-je la réponse de la caisse ?"
    )
    assert "10 novembre 2026" in reply
    assert "24 novembre 2026" in reply  # two weeks: the médecin conseil's silence
    assert "10 décembre 2026" in reply  # one month: the caisse's decision


def test_decision_delay_over_several_turns_with_a_future_then_impossible_date(rasa_port: int) -> None:
    ask, future, impossible, good = conversation(
        rasa_port, "calculer ma date de réponse", "le 15 décembre 2026", "le 31 février", "il y a 10 jours"
    )
    assert "quelle date" in ask.lower()
    assert "futur" in future and "24 novembre" not in future
    assert "n'existe pas" in impossible
    assert "13 novembre 2026" in good  # 23 November minus 10 days
    assert "27 novembre 2026" in good and "13 décembre 2026" in good


def test_renewal_date_clamped_to_the_end_of_february(rasa_port: int) -> None:
    [reply] = conversation(
        rasa_port,
        "mon protocole est valable jusqu'au 31 mai 2027, " "quand dois-je demander le renouvellement ?",
    )
    assert "31 mai 2027" in reply
    assert "28 février 2027" in reply


def test_derogatory_procedure_end(rasa_port: int) -> None:
    [reply] = conversation(
        rasa_port,
        "on m'a mis à 100 % à l'hôpital le 5 octobre, mais pas " "mon médecin traitant, jusqu'à quand ?",
    )
    assert "5 octobre 2026" in reply
    assert "5 avril 2027" in reply


def test_transport_in_ald_non_exonerante_is_covered_at_the_transport_rate(rasa_port: int) -> None:
    ask, reply = conversation(
        rasa_port, "je suis en ALD non exonérante, mon transport pour " "mes soins est-il remboursé ?", "oui"
    )
    assert "lié à votre maladie" in ask
    assert "55 %" in reply  # figures.yml: fig_taux_transport_non_exo
    assert "ALD non exonérante" in reply


def test_physiotherapy_for_a_sprain_is_not_at_100_percent(rasa_port: int) -> None:
    first, *rest = conversation(
        rasa_port, "ma kiné pour une entorse est-elle prise à 100 % ?", "je suis en ALD exonérante", "non"
    )
    whole = "\n".join([first, *rest])
    # Care not linked to the ALD: usual rates, not 100 % (FACTS.md, "What is covered").
    assert "taux habituel" in whole.lower() or "taux habituels" in whole.lower()


def test_cancel_leaves_the_form_and_the_next_question_is_answered(rasa_port: int) -> None:
    ask, cancel, faq = conversation(
        rasa_port,
        "calculer ma date de renouvellement",
        "laisse tomber",
        "où envoyer mon protocole de soins ?",
    )
    assert "valable" in ask.lower() or "date" in ask.lower()
    assert "médecin conseil" in faq or "service médical" in faq
    assert "valable jusqu" not in faq.lower()


def test_conversations_are_kept_apart(rasa_port: int) -> None:
    a, b = f"a-{uuid.uuid4()}", f"b-{uuid.uuid4()}"
    assert "quelle date" in texts(rest_send(rasa_port, a, "calculer ma date de réponse")).lower()
    # b never started a form: a bare date is not taken as a's sending date.
    reply_b = texts(rest_send(rasa_port, b, "le 10 novembre"))
    assert "10 décembre 2026" not in reply_b
    reply_a = texts(rest_send(rasa_port, a, "le 10 novembre"))
    assert "10 décembre 2026" in reply_a
