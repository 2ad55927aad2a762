"""Is my disease an ALD? The look-up in the ALD 30 table."""
from __future__ import annotations

import pytest

from actions.disease import ActionDiseaseAld


@pytest.mark.parametrize("entity,response,number", [
    ("diabète", "utter_disease_on_list", "8"), ("sclerose en plaque", "utter_disease_on_list", "25"),
    ("fibromyalgie", "utter_disease_not_on_list", None), ("hypertension", "utter_disease_removed", None),
])
async def test_disease_lookup(run, tracker, entity, response, number):
    t = tracker(intent="ask_disease_ald", entities=[{"entity": "disease", "value": entity}])
    msg = (await run(ActionDiseaseAld(), t)).message
    assert msg["response"] == response
    if number:
        assert msg["ald_number"] == number


async def test_without_a_disease_it_asks_which_one_and_forgets_the_slot(run, tracker):
    ran = await run(ActionDiseaseAld(), tracker({"ald_key": "8"}, text="est-ce que ma maladie est une ALD",
                                                intent="ask_disease_ald"))
    assert ran.message["response"] == "utter_ask_ald_key"
    assert ran.events == [{"event": "slot", "timestamp": None, "name": "ald_key", "value": None}]
