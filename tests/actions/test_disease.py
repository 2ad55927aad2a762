"""Is my disease an ALD? The disease of the message (kept by the memory), or the one said before."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest

from actions.disease import ActionDiseaseAld
from actions.memory import remembered
from tests.conftest import make_tracker


def after_memory(
    text: str,
    intent: str = "ask_disease_ald",
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
):
    """The tracker the action sees: the memory has kept what the message says (slot events
    after the user's message), as Rasa's action_extract_slots does."""
    before = make_tracker(slots, text=text, intent=intent, entities=entities)
    found = remembered(before)
    events = [{"event": "user", "text": text}] + [
        {"event": "slot", "name": k, "value": v} for k, v in found.items()
    ]
    return make_tracker(
        {**(slots or {}), **found}, text=text, intent=intent, entities=entities, events=events
    )


@pytest.mark.parametrize(
    "entity,response,number",
    [
        ("diabète", "utter_disease_on_list", "8"),
        ("sclerose en plaque", "utter_disease_on_list", "25"),
        ("parkinson", "utter_disease_on_list", "16"),
        ("fibromyalgie", "utter_disease_not_on_list", None),
        ("hypertension", "utter_disease_removed", None),
        ("glomerulite zorglub", "utter_disease_unknown_name", None),
    ],
)
async def test_disease_lookup(run, entity, response, number):
    t = after_memory(f"{entity} c'est une ald ?", entities=[{"entity": "disease", "value": entity}])
    msg = (await run(ActionDiseaseAld(), t)).message
    assert msg["response"] == response
    if number:
        assert msg["ald_number"] == number
        assert msg["intro"] == ""


async def test_the_whole_text_when_the_entity_span_is_odd(run):
    t = after_memory(
        "maladie de parkinson : ald ou pas ?",
        entities=[{"entity": "disease", "value": "maladie de parkinson : ald"}],
    )
    msg = (await run(ActionDiseaseAld(), t)).message
    assert (msg["response"], msg["ald_number"]) == ("utter_disease_on_list", "16")


async def test_a_question_without_a_disease_uses_the_one_said_before(run):
    t = after_memory("c'est pris en charge en ALD ?", slots={"ald_key": "21"})
    ran = await run(ActionDiseaseAld(), t)
    assert ran.message["ald_number"] == "21"
    assert "dont vous m'avez parlé" in ran.message["intro"]


async def test_without_any_disease_it_asks_which_one(run):
    ran = await run(ActionDiseaseAld(), after_memory("est-ce que ma maladie est une ALD"))
    assert ran.message["response"] == "utter_ask_ald_key"
    assert ran.events == []


@pytest.mark.parametrize(
    "text, number", [("ma fille a une neuropathie, c'est une ALD ?", "9"), ("l'asthme est une ald ?", "14")]
)
async def test_a_disease_whose_severe_forms_are_listed(run, text, number):
    msg = (await run(ActionDiseaseAld(), after_memory(text))).message
    assert msg["response"] == "utter_disease_severe_forms"
    assert msg["ald_number"] == number
    assert msg["ald_name"][0].isupper()  # it starts the sentence


@pytest.mark.parametrize(
    "text", ["c'est une forme severe, elle a du mal a marcher", "son medecin parle d'une forme grave"]
)
async def test_a_severe_form_told_after_the_severe_forms_answer(run, text):
    from actions.followup import ActionContext

    slots = {"disease_name": "neuropathie", "last_topic": "disease"}
    ran = await run(ActionContext(), after_memory(text, intent="inform", slots=slots))
    assert ran.message["response"] == "utter_disease_severe_form_told"
    assert ran.message["ald_number"] == "9"
    assert "ans" in ran.message["duration"]


async def test_grave_said_of_a_disease_without_severe_forms_is_not_taken_for_one(run):
    from actions.followup import ActionContext

    slots = {"disease_name": "fibromyalgie", "last_topic": "disease"}
    ran = await run(ActionContext(), after_memory("c'est grave ?", intent="inform", slots=slots))
    assert ran.message.get("response") != "utter_disease_severe_form_told"


@pytest.mark.parametrize(
    "text",
    ["est-ce que la glomérulite de Zorglub est une ALD ?", "j'ai une maladie de kikuchi, c'est une ald ?"],
)
async def test_a_name_the_list_does_not_know_is_said_unknown(run, text):
    ran = await run(ActionDiseaseAld(), after_memory(text))
    assert ran.message["response"] == "utter_disease_unknown_name"
