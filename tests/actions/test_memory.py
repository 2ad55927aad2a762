"""actions.memory: what each message adds to the conversation's memory."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

import pytest
from rasa_sdk import Tracker

from actions.memory import remembered

Make = Callable[..., Tracker]


@pytest.fixture(autouse=True)
def _today(today: Callable[[str], None]) -> None:
    today("2026-12-02")


def ent(entity: str, value: str) -> Dict[str, Any]:
    return {"entity": entity, "value": value}


def test_a_sending_date_is_kept_whatever_the_intent(tracker: Make) -> None:
    t = tracker(text="mon protocole est parti le 12 octobre, reponse quand ?", intent="ask_decision_date")
    assert remembered(t)["sent_date"] == "2026-10-12"


def test_an_end_of_validity_is_kept_with_the_situation(tracker: Make) -> None:
    found = remembered(tracker(text="mon 100% s'arrete le 30 juin 2027", intent="inform"))
    assert found["valid_until"] == "2027-06-30"
    assert found["ald_status"] == "exonerante"


def test_a_future_sending_date_is_not_kept(tracker: Make) -> None:
    assert "sent_date" not in remembered(tracker(text="envoyé le 20 décembre 2026", intent="inform"))


def test_a_loose_date_after_a_date_answer_corrects_it(tracker: Make) -> None:
    t = tracker(
        {"last_topic": "decision_form", "sent_date": "2026-10-12"},
        text="pardon je me suis trompee, le 2 octobre",
        intent="inform",
    )
    assert remembered(t) == {"sent_date": "2026-10-02"}


def said(*texts: str) -> list:
    return [{"event": "user", "text": t} for t in texts]


def test_a_date_alone_takes_the_role_the_message_before_named(tracker: Make) -> None:
    before = "mon medecin a envoyé le protocole"
    t = tracker(text="il y a 3 semaines", intent="inform", events=said(before, "il y a 3 semaines"))
    assert remembered(t)["sent_date"] == "2026-11-11"
    # Not when the message before held its own date, or named nothing that happened.
    for first in ("envoyé le 2 octobre", "bonjour"):
        t = tracker(text="il y a 3 semaines", intent="inform", events=said(first, "il y a 3 semaines"))
        assert "sent_date" not in remembered(t)


def test_a_loose_date_inside_a_form_is_left_to_the_form(tracker: Make) -> None:
    t = tracker(
        {"last_topic": "decision_form", "requested_slot": "valid_until"},
        text="le 2 octobre 2027",
        intent="inform",
        active_loop="renewal_form",
    )
    assert remembered(t) == {}


def test_the_disease_of_a_statement_with_a_relative(tracker: Make) -> None:
    found = remembered(tracker(text="Ma femme vient d'apprendre qu'elle a un lupus.", intent="inform"))
    assert found["ald_key"] == "21"
    assert found["relative"] == "conjoint"


def test_a_disease_entity_the_list_does_not_know_is_kept_by_name(tracker: Make) -> None:
    found = remembered(
        tracker(
            text="la glomerulite xyz est une ald ?",
            intent="ask_disease_ald",
            entities=[ent("disease", "glomerulite xyz")],
        )
    )
    assert found["disease_name"] == "glomerulite xyz"
    assert "ald_key" not in found or found["ald_key"] is None


def test_a_state_taken_for_a_disease_is_not_kept_as_its_name(tracker: Make) -> None:
    found = remembered(
        tracker(
            text="il est paralysé d'un côté, ça peut passer en ald ?",
            intent="ask_disease_ald",
            entities=[ent("disease", "paralysé d'un côté")],
        )
    )
    assert found.get("disease_name") is None


def test_the_disease_of_a_past_stroke_read_as_an_emergency_is_kept(tracker: Make) -> None:
    found = remembered(
        tracker(
            text="mon grand pere a fait un avc cet ete, il est paralysé d'un coté maintenant",
            intent="emergency",
        )
    )
    assert found["ald_key"] == "1"


def test_everything_for_a_coverage_question_in_one_message(tracker: Make) -> None:
    text = "je suis en ald exoneree, ma seance chez l'endocrino prevue au protocole, remboursee a combien ?"
    found = remembered(tracker(text=text, intent="ask_coverage", entities=[ent("care_kind", "endocrino")]))
    assert found["ald_status"] == "exonerante"
    assert found["care_kind"] == "consultation_specialiste"
    assert found["in_protocol"] is True
    assert found["linked_to_ald"] is True


def test_another_care_forgets_the_answers_about_the_previous_one(tracker: Make) -> None:
    t = tracker(
        {"care_kind": "kine", "linked_to_ald": True, "in_protocol": True, "last_topic": "coverage_form"},
        text="et le dentiste ?",
        intent="ask_coverage",
        entities=[ent("care_kind", "dentiste")],
    )
    assert remembered(t) == {"care_kind": "dentaire", "linked_to_ald": None, "in_protocol": None}


def test_a_duration_answers_the_long_term_question(tracker: Make) -> None:
    t = tracker(
        {"requested_slot": "elig_costly"},
        text="ca va durer des annees",
        intent="inform",
        active_loop="eligibility_form",
    )
    assert remembered(t)["elig_long_term"] is True


def test_a_correction_of_the_situation(tracker: Make) -> None:
    t = tracker({"ald_status": "exonerante"}, text="en fait je suis en ALD non exonérante", intent="inform")
    assert remembered(t)["ald_status"] == "non_exonerante"


def test_nothing_new_nothing_set(tracker: Make) -> None:
    t = tracker({"ald_status": "exonerante"}, text="je suis à 100 %", intent="inform")
    assert remembered(t) == {}


@pytest.mark.parametrize("text", ["", "azertyuiop", "<b>x</b>", "🙂", "/ask_coverage", "x" * 5000])
def test_noise_sets_nothing(tracker: Make, text: str) -> None:
    assert remembered(tracker(text=text, intent="nlu_fallback")) == {}


def test_a_message_not_understood_is_read_as_the_intent_it_leaned_to(tracker: Make) -> None:
    text = "je suis en ald exoneree, ma seance chez l'endocrino prevue au protocole, remboursee a combien ?"
    t = tracker(
        text=text,
        intent="nlu_fallback",
        entities=[ent("care_kind", "endocrino")],
        parse_extra={"intent_ranking": [{"name": "nlu_fallback"}, {"name": "faq"}]},
    )
    found = remembered(t)
    assert found["care_kind"] == "consultation_specialiste" and found["in_protocol"] is True


def test_a_general_question_on_the_protocol_says_nothing_of_the_users_care(tracker: Make) -> None:
    found = remembered(tracker(text="Qu'est-ce qui est prévu dans le protocole ?", intent="faq"))
    assert "in_protocol" not in found and "linked_to_ald" not in found


def test_a_date_in_another_question_is_not_a_correction(tracker: Make) -> None:
    t = tracker(
        {"last_topic": "renewal_form", "valid_until": "2027-06-30"},
        text="mon rendez-vous est le 15 janvier, c'est remboursé ?",
        intent="ask_coverage",
    )
    assert "valid_until" not in remembered(t)


def test_not_in_ald_wins_over_an_extracted_ald_entity(tracker: Make) -> None:
    t = tracker(text="pas en ALD", intent="inform", entities=[ent("ald_status", "exonerante")])
    assert remembered(t)["ald_status"] == "aucune"


def test_the_entity_is_used_when_the_text_says_nothing_the_vocabulary_knows(tracker: Make) -> None:
    t = tracker(text="je suis en longue maladie truc", intent="inform", entities=[ent("ald_status", "exo")])
    assert remembered(t)["ald_status"] == "exonerante"


def test_a_hundred_percent_in_a_question_is_no_situation(tracker: Make) -> None:
    t = tracker(
        text="ma kiné est-elle remboursée à 100 % ?",
        intent="ask_coverage",
        entities=[ent("ald_status", "à 100 %")],
    )
    assert "ald_status" not in remembered(t)


def test_a_care_named_in_a_message_not_understood_is_kept(tracker: Make) -> None:
    # The classifier leans to another question, and no entity was extracted: the words say
    # which care is talked about.
    ranking = {"intent_ranking": [{"name": "nlu_fallback"}, {"name": "ask_disease_ald"}]}
    t = tracker({"ald_key": "8"}, text="et la kine ?", intent="nlu_fallback", parse_extra=ranking)
    assert remembered(t) == {"care_kind": "kine"}


def test_a_care_named_in_a_clear_question_of_another_kind_is_not_kept(tracker: Make) -> None:
    t = tracker(text="la kine c'est quoi le rapport avec la maladie de parkinson ?", intent="ask_disease_ald")
    assert "care_kind" not in remembered(t)


@pytest.mark.parametrize(
    "text", ["son medecin parle d'une forme grave", "et le delai du medecin conseil est deja passe ?"]
)
def test_a_doctor_named_in_a_message_not_understood_is_no_care_asked_about(tracker: Make, text: str) -> None:
    ranking = {"intent_ranking": [{"name": "nlu_fallback"}, {"name": "inform"}]}
    t = tracker({"ald_key": "8"}, text=text, intent="nlu_fallback", parse_extra=ranking)
    assert "care_kind" not in remembered(t)


def test_small_talk_naming_a_doctor_is_no_care(tracker: Make) -> None:
    ranking = {"intent_ranking": [{"name": "nlu_fallback"}, {"name": "thank"}]}
    t = tracker(text="merci docteur", intent="nlu_fallback", parse_extra=ranking)
    assert "care_kind" not in remembered(t)


def test_a_yes_read_as_a_question_answers_any_yes_no_question_a_form_asks(tracker: Make) -> None:
    t = tracker(
        {"requested_slot": "elig_on_list"},
        text="oui elle est sur la liste",
        intent="faq",
        active_loop="eligibility_form",
    )
    assert remembered(t)["elig_on_list"] is True
    # Not a slot asked for a date, nor a yes/no question no form asks.
    t = tracker({"requested_slot": "sent_date"}, text="oui", intent="faq", active_loop="decision_form")
    assert "sent_date" not in remembered(t)
    assert remembered(tracker(text="oui c'est dans le protocole", intent="faq")) == {}


@pytest.mark.parametrize(
    "text, intent, status",
    [
        ("elle est en ald", "ask_disease_ald", "exonerante"),
        ("elle est en ald", "nlu_fallback", "exonerante"),
        ("il est pas en ald", "inform", "aucune"),
        ("ald non exonérante", "faq", "non_exonerante"),
        ("c'est quoi une ald exonérante ?", "faq", None),  # a question, no answer
    ],
)
def test_the_situation_stated_answers_the_forms_question_whatever_the_reading(
    tracker: Make, text: str, intent: str, status: Optional[str]
) -> None:
    t = tracker({"requested_slot": "ald_status"}, text=text, intent=intent, active_loop="coverage_form")
    assert remembered(t).get("ald_status") == status


def care(value: str) -> Dict[str, Any]:
    return ent("care_kind", value)


@pytest.mark.parametrize(
    "text, entities, kind",
    [
        # How a care is reimbursed or paid is a question on its coverage: it starts them.
        ("la kiné c'est à 100 % pour moi", [care("kiné")], "kine"),
        ("je dois payer la kiné", [care("kiné")], "kine"),
        ("la kiné est à ma charge", [care("kiné")], "kine"),
        ("le reste à charge de la kiné", [care("kiné")], "kine"),
        # A statement that only mentions a care does not.
        ("ses medicaments coutent une fortune et c'est pour toute la vie", [care("medicaments")], None),
        ("je fais de la kiné deux fois par semaine", [care("kiné")], None),
    ],
)
def test_a_care_is_asked_about_when_its_coverage_is(
    tracker: Make, text: str, entities: list, kind: Any
) -> None:
    found = remembered(tracker({"ald_key": "8"}, text=text, intent="inform", entities=entities))
    assert found.get("care_kind") == kind


#: The coverage form asks whether the kiné is in the protocol.
ASKS_PROTOCOL = {
    "care_kind": "kine",
    "ald_status": "exonerante",
    "linked_to_ald": True,
    "requested_slot": "in_protocol",
}


@pytest.mark.parametrize(
    "text, answer",
    [
        ("c'est marqué dedans oui", True),
        ("il y est pas non", False),
        ("c'est inscrit dans mon protocole", True),
        # A question that ends with "ou non" or asks "savoir si" answers nothing.
        ("je voudrais savoir si c'est dans le protocole ou non", None),
        ("c'est lié ou non", None),
        ("est-ce que c'est dans le protocole ou non", None),
        ("je voudrais savoir si c'est dans le protocole", None),
    ],
)
def test_a_question_ending_with_a_yes_or_no_word_is_no_answer(tracker: Make, text: str, answer: Any) -> None:
    t = tracker(ASKS_PROTOCOL, text=text, intent="faq", active_loop="coverage_form")
    assert remembered(t).get("in_protocol") == answer


@pytest.mark.parametrize(
    "text, intent, entities, expected",
    [
        # The answer to the question pending stays, and so does the care it is about.
        ("non c'est pas dedans, et les medicaments ?", "faq", [care("medicaments")], {"in_protocol": False}),
        (
            "oui c'est dans le protocole comme les médicaments",
            "faq",
            [care("médicaments")],
            {"in_protocol": True},
        ),
        # No answer to it: another care is asked about, what was said of the kiné is forgotten.
        (
            "et les medicaments ?",
            "ask_coverage",
            [care("medicaments")],
            {"care_kind": "medicament", "linked_to_ald": None, "in_protocol": None},
        ),
    ],
)
def test_an_answer_naming_another_care_still_answers(
    tracker: Make, text: str, intent: str, entities: list, expected: Dict[str, Any]
) -> None:
    slots = {**ASKS_PROTOCOL, "in_protocol": "x"}  # so that a None set shows
    t = tracker(slots, text=text, intent=intent, entities=entities, active_loop="coverage_form")
    found = remembered(t)
    assert {k: found.get(k, "absent") for k in expected} == expected


@pytest.mark.parametrize(
    "text, entities, kind",
    [
        (
            "les séances de kiné prescrites pour mon dos par le rhumato, c'est à 100 % ?",
            [care("kiné"), care("rhumato")],
            "kine",
        ),
        (
            "des médicaments prescrits hier par mon cardiologue",
            [care("médicaments"), care("cardiologue")],
            "medicament",
        ),
        (
            "il m'a prescrit une IRM, et la consultation chez le cardiologue est-elle remboursée ?",
            [care("IRM"), care("cardiologue")],
            "consultation_specialiste",
        ),
        # Nothing prescribed said: the care words named, the precise one first.
        ("le rhumato et la kiné c'est remboursé ?", [care("rhumato"), care("kiné")], "kine"),
    ],
)
def test_the_care_prescribed_not_the_prescriber(tracker: Make, text: str, entities: list, kind: str) -> None:
    assert remembered(tracker(text=text, intent="ask_coverage", entities=entities))["care_kind"] == kind
