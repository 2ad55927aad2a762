"""Is this care covered at 100 %? The form asks only what the rule needs."""

from __future__ import annotations

import pytest

from actions.coverage import ActionAnswerCoverage, ValidateCoverageForm


async def test_coverage_asks_only_what_is_needed(tracker, dispatcher, domain):
    v = ValidateCoverageForm()
    assert await v.required_slots([], dispatcher, tracker(), domain) == ["care_kind"]
    slots = await v.required_slots([], dispatcher, tracker({"care_kind": "kine"}), domain)
    assert slots[:2] == ["care_kind", "ald_status"]
    not_covered = tracker({"care_kind": "medecine_douce"})
    assert await v.required_slots([], dispatcher, not_covered, domain) == ["care_kind"]


async def test_coverage_with_an_unknown_or_several_extracted_care_words(run, tracker, dispatcher, domain):
    # NLU may put a word the rules do not know ("soins") or several words in the slot.
    v = ValidateCoverageForm()
    assert await v.required_slots([], dispatcher, tracker({"care_kind": "soins"}), domain) == ["care_kind"]
    slots = await v.required_slots(
        [], dispatcher, tracker({"care_kind": ["soins", "transport"], "ald_status": "non_exonerante"}), domain
    )
    assert slots[:2] == ["care_kind", "linked_to_ald"]
    assert v.validate_care_kind(["soins", "taxi"], dispatcher, tracker(), domain) == {
        "care_kind": "transport"
    }
    assert v.validate_care_kind("soins", dispatcher, tracker(), domain) == {
        "care_kind": None,
        "form_misses": 1,
    }
    two = tracker(
        text="mon transport pour mes soins",
        intent="ask_coverage",
        entities=[{"entity": "care_kind", "value": "transport"}, {"entity": "care_kind", "value": "soins"}],
    )
    assert v.validate_care_kind("soins", dispatcher, two, domain) == {"care_kind": "transport"}
    assert [m["response"] for m in dispatcher.messages] == ["utter_care_kind_unknown"]
    ran = await run(ActionAnswerCoverage(), tracker({"care_kind": "soins"}))
    assert ran.message["response"] == "utter_care_kind_unknown"
    assert ran.events == [{"event": "slot", "timestamp": None, "name": "form_misses", "value": None}]


@pytest.mark.parametrize(
    "slots,response,fragment",
    [
        (
            {"care_kind": "kine", "ald_status": "exonerante", "linked_to_ald": False},
            "utter_coverage_usual",
            "pas lié à votre ALD",
        ),
        (
            {"care_kind": "kine", "ald_status": "exonerante", "linked_to_ald": True, "in_protocol": True},
            "utter_coverage_100",
            "prévu dans votre protocole",
        ),
        (
            {"care_kind": "transport", "ald_status": "non_exonerante", "linked_to_ald": True},
            "utter_coverage_transport",
            "4 € par transport",
        ),
        ({"care_kind": "medecine_douce"}, "utter_coverage_not_covered", "ne rembourse pas"),
    ],
)
async def test_coverage_answer(run, tracker, slots, response, fragment):
    msg = (await run(ActionAnswerCoverage(), tracker(slots))).message
    assert msg["response"] == response
    assert fragment in msg["reasons"] + msg["still_pays"]
    assert "{fig_" not in msg["reasons"] + msg["still_pays"]


@pytest.mark.parametrize(
    "value,intent,expected",
    [
        ("oui", "affirm", True),
        ("non", "deny", False),
        ("ouais", "inform", True),
        ("Non.", "inform", False),
        ("peut-être", "inform", None),
    ],
)
async def test_yes_no_answers(tracker, dispatcher, domain, value, intent, expected):
    t = tracker(text=value, intent=intent)
    result = ValidateCoverageForm().validate_linked_to_ald(value, dispatcher, t, domain)
    assert result["linked_to_ald"] == expected
    assert [m["response"] for m in dispatcher.messages] == (
        [] if expected is not None else ["utter_unsure_linked_to_ald"]
    )


@pytest.mark.parametrize(
    "value,expected",
    [
        ("je suis en ALD non exonérante", "non_exonerante"),
        ("pas en ald", "aucune"),
        ("à 100 %", "exonerante"),
        ("exonerante", "exonerante"),
        ("chépa", None),
    ],
)
async def test_ald_status_from_text(tracker, dispatcher, domain, value, expected):
    result = ValidateCoverageForm().validate_ald_status(value, dispatcher, tracker(), domain)
    assert result["ald_status"] == expected
    assert [m["response"] for m in dispatcher.messages] == ([] if expected else ["utter_ald_status_unknown"])


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "je suis en ald exoneree, ma seance chez l'endocrino prevue au protocole, remboursee a combien ?",
            "exonerante",
        ),
        ("je ne suis pas en ald, le kine c'est pris comment", "aucune"),
        ("le kine c'est rembourse comment", None),
    ],
)
async def test_a_piece_of_the_situation_is_read_in_the_whole_message(
    tracker, dispatcher, domain, text, expected
):
    """The entity extractor may keep only "en" of "en ald exonérée"."""
    result = ValidateCoverageForm().validate_ald_status("en", dispatcher, tracker(text=text), domain)
    assert result["ald_status"] == expected


async def test_a_doubt_is_never_taken_for_a_no(tracker, dispatcher, domain):
    t = tracker(text="je sais pas", intent="deny")
    result = ValidateCoverageForm().validate_in_protocol("je sais pas", dispatcher, t, domain)
    assert result["in_protocol"] is None
    assert dispatcher.messages[0]["response"] == "utter_unsure_in_protocol"


async def test_the_situation_told_after_a_care_question_completes_its_coverage(run, tracker):
    from actions.followup import ActionContext

    events = [
        {"event": "user", "text": "le transport pour mes seances de reeducation, rembourse combien ?"},
        {"event": "slot", "name": "care_kind", "value": "transport"},
        {"event": "bot", "text": "…"},
        {"event": "user", "text": "je suis en ALD non exonerante et c'est pour ma maladie"},
        {"event": "slot", "name": "ald_status", "value": "non_exonerante"},
        {"event": "slot", "name": "linked_to_ald", "value": True},
    ]
    slots = {"care_kind": "transport", "ald_status": "non_exonerante", "linked_to_ald": True}
    ran = await run(ActionContext(), tracker(slots, text=events[-3]["text"], events=events))
    assert ran.message["response"] == "utter_coverage_transport"


async def test_a_situation_told_long_after_a_care_question_is_only_noted(run, tracker):
    from actions.followup import ActionContext

    events = [
        {"event": "user", "text": "ma kine est remboursee ?"},
        {"event": "slot", "name": "care_kind", "value": "kine"},
        {"event": "user", "text": "merci"},
        {"event": "user", "text": "je suis en ALD non exonerante"},
        {"event": "slot", "name": "ald_status", "value": "non_exonerante"},
    ]
    slots = {"care_kind": "kine", "ald_status": "non_exonerante"}
    ran = await run(ActionContext(), tracker(slots, text=events[-2]["text"], events=events))
    assert ran.message["response"] == "utter_status_noted_non_exonerante"


async def test_a_raw_situation_answer_is_still_validated(tracker):
    from actions.coverage import ValidateCoverageForm

    # What the form holds before validation: the user's words, not a status code.
    t = tracker(
        {"care_kind": "biologie", "ald_status": "pas en ALD"}, text="pas en ALD", active_loop="coverage_form"
    )
    needed = await ValidateCoverageForm().needed_slots([], None, t, {})
    assert needed == ["care_kind", "ald_status"]  # validated, hence read as "aucune"
    t = tracker(
        {"care_kind": "biologie", "ald_status": "aucune"}, text="pas en ALD", active_loop="coverage_form"
    )
    assert await ValidateCoverageForm().needed_slots([], None, t, {}) == ["care_kind"]
    t = tracker({"care_kind": "biologie", "ald_status": "bof"}, text="bof", active_loop="coverage_form")
    assert await ValidateCoverageForm().needed_slots([], None, t, {}) == ["care_kind", "ald_status"]


def test_a_piece_of_the_care_words_is_read_with_the_whole_message(tracker):
    from actions.coverage import care_from

    events = [{"event": "user", "text": "x"}, {"event": "slot", "name": "care_kind", "value": "de sang"}]
    t = tracker(
        {"care_kind": "de sang"},
        text="la prise de sang, c'est pris en charge comment ?",
        intent="ask_coverage",
        entities=[{"entity": "care_kind", "value": "de sang"}],
        events=events,
    )
    assert care_from("de sang", t) == "biologie"


def test_a_care_validated_earlier_wins_over_a_care_named_now(tracker):
    from actions.coverage import care_from

    t = tracker(
        {"care_kind": "consultation_specialiste"},
        text="oui, et pour mes médicaments aussi",
        entities=[{"entity": "care_kind", "value": "medicament"}],
    )
    assert care_from("consultation_specialiste", t) == "consultation_specialiste"


async def test_a_situation_after_a_care_question_asks_what_the_coverage_still_needs(run, tracker):
    from actions.followup import ActionContext

    events = [
        {"event": "user", "text": "c rembourse les transports pr sa radiotherapie ?"},
        {"event": "slot", "name": "care_kind", "value": "transport"},
        {"event": "user", "text": "il est en ald"},
        {"event": "slot", "name": "ald_status", "value": "exonerante"},
    ]
    slots = {"care_kind": "transport", "ald_status": "exonerante"}
    ran = await run(ActionContext(), tracker(slots, text="il est en ald", events=events))
    assert ran.messages == []
    assert ran.events == [{"event": "followup", "timestamp": None, "name": "coverage_form"}]


# --------------------------------------------------------------------------- conversations
# Found by talking to the assistant (2026-12-02). Each turn as Rasa runs it: the memory
# (action_remember, inside action_extract_slots) reads the message, its slots are set, then the
# next action runs on the tracker that holds them.


def _faq(topic: str) -> dict:
    picked = {"response": {"intent_response_key": f"faq/{topic}"}, "ranking": []}
    return {"response_selector": {"faq": picked}}


def after_memory(make, slots: dict, text: str, intent: str, **kwargs):
    """The tracker after the memory read `text`: its slots set, as events of this turn."""
    from actions.memory import remembered

    found = remembered(make(slots, text=text, intent=intent, **kwargs))
    events = [{"event": "user", "text": text}] + [
        {"event": "slot", "name": k, "value": v, "timestamp": None} for k, v in found.items()
    ]
    return make({**slots, **found}, text=text, intent=intent, events=events, **kwargs), found


#: The coverage form asking "Ce soin est-il prévu dans votre protocole ?".
ASKING_PROTOCOL = {
    "care_kind": "medicament",
    "ald_status": "exonerante",
    "linked_to_ald": True,
    "requested_slot": "in_protocol",
}


@pytest.mark.parametrize(
    "text, in_protocol, response",
    [
        ("oui c'est marqué dans le protocole", True, "utter_coverage_100"),
        ("oui c'est marqué dedans", True, "utter_coverage_100"),
        ("ouais il y est", True, "utter_coverage_100"),
        ("bah oui c'est dans le protocole", True, "utter_coverage_100"),
        ("c'est inscrit dans mon protocole", True, "utter_coverage_100"),
        ("non il y est pas", False, "utter_coverage_usual"),
        ("non pas dedans", False, "utter_coverage_usual"),
    ],
)
async def test_a_reply_to_the_protocol_question_read_as_a_faq_question_answers_it(
    run, tracker, dispatcher, domain, text, in_protocol, response
):
    # The classifier took "oui c'est marqué dans le protocole" for the FAQ question "what a
    # protocol contains": the form's own mapping skips a faq message, so the form was rejected,
    # the FAQ answer given and the question asked again.
    t, found = after_memory(
        tracker,
        ASKING_PROTOCOL,
        text,
        "faq",
        parse_extra=_faq("contenu_protocole"),
        active_loop="coverage_form",
    )
    assert found["in_protocol"] is in_protocol  # a slot of the form filled: Rasa runs the form
    # Rasa keeps a slot candidate the validator returns nothing for; a boolean is already read.
    events = await ValidateCoverageForm().run(dispatcher, t, domain)
    validated = {**found, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
    assert validated["in_protocol"] is in_protocol
    assert "requested_slot" in validated and validated["requested_slot"] is None  # nothing left to ask
    assert dispatcher.messages == []  # no "je n'ai pas compris", no question asked again
    done = tracker({**ASKING_PROTOCOL, **validated})
    assert (await run(ActionAnswerCoverage(), done)).message["response"] == response


@pytest.mark.parametrize(
    "text, intent",
    [
        ("c'est quoi exactement un protocole ?", "faq"),  # a new question
        ("qu'est-ce qui est prévu dans le protocole ?", "faq"),
        ("c'est marqué dans le protocole ?", "faq"),  # "?" and no yes or no
        ("je sais pas si c'est dans le protocole", "faq"),  # a doubt: the form helps
        ("non laisse tomber", "cancel"),  # leaves the form
        ("non mais j'ai mal à la poitrine", "emergency"),  # the safety net first
        ("non je veux parler à quelqu'un", "ask_human"),
    ],
)
def test_a_question_or_another_request_asked_in_the_form_is_no_answer(tracker, text, intent):
    from actions.memory import remembered

    t = tracker(ASKING_PROTOCOL, text=text, intent=intent, active_loop="coverage_form")
    assert "in_protocol" not in remembered(t)


def test_a_plain_answer_is_left_to_the_forms_own_mapping(tracker):
    from actions.memory import remembered

    t = tracker(ASKING_PROTOCOL, text="oui", intent="affirm", active_loop="coverage_form")
    assert "in_protocol" not in remembered(t)


#: After "Les médicaments : remboursement au taux habituel… pas prévu dans votre protocole".
AFTER_USUAL_RATES = {
    "care_kind": "medicament",
    "ald_status": "exonerante",
    "linked_to_ald": True,
    "in_protocol": False,
    "last_topic": "coverage_form",
}


async def test_asking_to_add_care_to_the_protocol_gets_the_revision_answer(run, tracker):
    from actions.faq import ActionFaq

    text = "on peut rajouter des trucs dans le protocole ?"
    t, found = after_memory(tracker, AFTER_USUAL_RATES, text, "faq", parse_extra=_faq("revision"))
    assert "in_protocol" not in found  # no "yes, it is in the protocol"
    ran = await run(ActionFaq(), t)
    assert ran.answer[0]["utter_action"] == "utter_faq/revision"
    assert all(not str(m.get("response") or "").startswith("utter_coverage") for m in ran.messages)


async def test_a_what_if_on_the_protocol_still_recomputes_the_coverage(run, tracker):
    from actions.faq import ActionFaq

    t, found = after_memory(
        tracker,
        AFTER_USUAL_RATES,
        "et si le médicament était dans le protocole ?",
        "faq",
        parse_extra=_faq("contenu_protocole"),
    )
    assert found["in_protocol"] is True
    assert (await run(ActionFaq(), t)).message["response"] == "utter_coverage_100"


FIRST_TURN = "mon rhumato m'a prescrit un medoc qui est pas dans mon protocole, c'est rembourse a 100 ?"


@pytest.mark.parametrize(
    "entities", [[], [{"entity": "care_kind", "value": "consultation_specialiste"}]], ids=["none", "rhumato"]
)
async def test_the_care_prescribed_is_the_care_asked_about(run, tracker, dispatcher, domain, entities):
    t, found = after_memory(tracker, {}, FIRST_TURN, "ask_coverage", entities=entities)
    assert found["care_kind"] == "medicament" and found["in_protocol"] is False
    # The form's validator agrees, whatever the entity mapping put in the slot.
    assert ValidateCoverageForm().validate_care_kind("consultation_specialiste", dispatcher, t, domain) == {
        "care_kind": "medicament"
    }
    msg = (await run(ActionAnswerCoverage(), tracker({**found, "ald_status": "exonerante"}))).message
    assert msg["response"] == "utter_coverage_usual" and "médicament" in msg["care_label"].lower()


@pytest.mark.parametrize(
    "text, care",
    [
        ("mon rhumato, c'est remboursé à 100 % ?", "consultation_specialiste"),
        ("mon rhumato m'a prescrit des séances de kiné, c'est remboursé ?", "kine"),
        ("les séances de kiné prescrites par mon rhumato sont remboursées ?", "kine"),
    ],
)
def test_the_prescriber_alone_is_the_consultation(tracker, text, care):
    from actions.memory import remembered

    assert remembered(tracker(text=text, intent="ask_coverage"))["care_kind"] == care


@pytest.mark.parametrize(
    "text, slot, care",
    [
        # The form's validator reads the care as the memory does (coverage.care_asked).
        ("les séances de kiné prescrites pour mon dos par le rhumato, c'est à 100 % ?", "rhumato", "kine"),
        ("des médicaments prescrits hier par mon cardiologue", "cardiologue", "medicament"),
        (
            "il m'a prescrit une IRM, et la consultation chez le cardiologue est-elle remboursée ?",
            "IRM",
            "consultation_specialiste",
        ),
        ("prescrit par mon cardiologue, c'est remboursé ?", "cardiologue", "consultation_specialiste"),
        ("mon rhumato m'a prescrit un médoc", "rhumato", "medicament"),
    ],
)
def test_the_form_validates_the_care_prescribed(tracker, dispatcher, domain, text, slot, care):
    events = [{"event": "user", "text": text}, {"event": "slot", "name": "care_kind", "value": slot}]
    entities = [{"entity": "care_kind", "value": slot}]
    t = tracker({"care_kind": slot}, text=text, intent="ask_coverage", entities=entities, events=events)
    assert ValidateCoverageForm().validate_care_kind(slot, dispatcher, t, domain) == {"care_kind": care}


#: Not understood surely; the classifier leaned to a FAQ question.
UNSURE_FAQ = {"intent_ranking": [{"name": "nlu_fallback"}, {"name": "faq"}, {"name": "inform"}]}
#: After "l'hypertension artérielle n'est plus sur la liste".
AFTER_DISEASE = {"ald_key": "12", "last_topic": "disease"}


async def test_a_statement_naming_a_care_does_not_start_the_coverage_questions(run, tracker):
    from actions.conversation import ActionFallback

    text = "ses medicaments coutent une fortune et c'est pour toute la vie"
    t, found = after_memory(tracker, AFTER_DISEASE, text, "nlu_fallback", parse_extra=UNSURE_FAQ)
    assert "care_kind" not in found
    ran = await run(ActionFallback(), t)
    assert all(e.get("event") != "followup" for e in ran.events)
    assert all(m.get("response") != "utter_ask_ald_status" for m in ran.messages)


@pytest.mark.parametrize(
    "text", ["et ses médicaments ?", "ses médicaments sont remboursés", "combien coutent ses medicaments"]
)
async def test_a_question_on_a_care_still_starts_them(run, tracker, text):
    from actions.conversation import ActionFallback

    t, found = after_memory(tracker, AFTER_DISEASE, text, "nlu_fallback", parse_extra=UNSURE_FAQ)
    assert found["care_kind"] == "medicament"
    ran = await run(ActionFallback(), t)
    assert {"event": "followup", "timestamp": None, "name": "coverage_form"} in ran.events
