"""French date entity extractor of the NLU pipeline (config.yml, after the CRF entity extractor).

Adds one `date` entity per date expression that `ald.dates.find_dates` finds in the
message ("10 janvier", "15/12/2025", "2026-04-20", "il y a 10 jours", "hier", "fin mai",
"31 février"...). The entity's value is the expression's TEXT, not a resolved date: the
actions resolve it with `parse_date_fr` and the right `prefer` ("past" for a sending date,
"future" for an end date) and refuse impossible dates ("31 février") with their own answer.

Entity: {"entity": "date", "start", "end", "value": <span text>,
         "extractor": "FrenchDateExtractor", "confidence_entity": 1.0}.
A `date` entity with the same start and end already given by another extractor (e.g. the CRF) is
not duplicated. Not trainable; nothing is persisted.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from ald.dates import find_dates
from components.base import ConfigOnlyComponent

DATE_ENTITY = "date"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FrenchDateExtractor(ConfigOnlyComponent, EntityExtractorMixin):
    """Finds French date expressions and adds them as `date` entities (value = the text)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """`entity`: the entity name given to the dates found."""
        return {"entity": DATE_ENTITY}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._entity = str(config.get("entity") or DATE_ENTITY)

    def _entities(self, text: str) -> List[Dict[str, Any]]:
        return [
            {
                ENTITY_ATTRIBUTE_TYPE: self._entity,
                ENTITY_ATTRIBUTE_START: span.start,
                ENTITY_ATTRIBUTE_END: span.end,
                ENTITY_ATTRIBUTE_VALUE: span.text,
                ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
            }
            for span in find_dates(text)
        ]

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the date entities of each message to its `entities`."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            existing: List[Dict[str, Any]] = list(message.get(ENTITIES) or [])
            taken = {
                (e.get(ENTITY_ATTRIBUTE_TYPE), e.get(ENTITY_ATTRIBUTE_START), e.get(ENTITY_ATTRIBUTE_END))
                for e in existing
            }
            new = [
                e
                for e in self._entities(text)
                if (e[ENTITY_ATTRIBUTE_TYPE], e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END]) not in taken
            ]
            if not new:
                continue
            new = self.add_extractor_name(new)
            message.set(ENTITIES, existing + new, add_to_output=True)
        return messages
