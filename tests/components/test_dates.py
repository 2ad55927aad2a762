"""components.dates.FrenchDateExtractor: a real Rasa graph component on real Messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from components.dates import FrenchDateExtractor


@pytest.fixture()
def extractor(tmp_path: Path) -> FrenchDateExtractor:
    return FrenchDateExtractor.create(
        {}, LocalModelStorage(tmp_path), Resource("dates"), ExecutionContext(GraphSchema({}), "1")
    )


def dates_of(message: Message) -> List[Dict[str, Any]]:
    return [e for e in message.get("entities") or [] if e["entity"] == "date"]


def test_registered_as_entity_extractor() -> None:
    registered = DefaultV1Recipe._from_registry("FrenchDateExtractor")
    assert registered.clazz is FrenchDateExtractor
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types
    assert registered.is_trainable is False


@pytest.mark.parametrize(
    "text, values",
    [
        ("J'ai envoyé mon protocole le 10 janvier, quand vais-je avoir la réponse ?", ["10 janvier"]),
        ("envoyé le 15/12/2025", ["15/12/2025"]),
        ("il y a 10 jours", ["il y a 10 jours"]),
        ("demande le 3 mars, accord le 20 avril 2026", ["3 mars", "20 avril 2026"]),
        ("le 31 février", ["31 février"]),
        ("valable jusqu'au 31 MAI 2027", ["31 MAI 2027"]),
        ("j'ai 2 enfants et je suis en ALD 30 à 100 %", []),
        ("appelez le 36 46", []),
        # relative months, a day alone, 'ça fait'
        ("bjr mon medecin a fait partir mon protocole le 3 du mois dernier", ["3 du mois dernier"]),
        ("le 15 de ce mois", ["15 de ce mois"]),
        ("le 3 du mois prochain", ["3 du mois prochain"]),
        ("non pardon c'etait le 12", ["le 12"]),
        ("le 12", ["le 12"]),
        ("Plutôt le 1er !", ["le 1er"]),
        ("ça fait 15 jours que le doc a envoyé le protocole", ["ça fait 15 jours"]),
        ("ca fait 3 semaines que j'attends", ["ca fait 3 semaines"]),
        ("ça fait deux mois", ["ça fait deux mois"]),
        ("j'attends depuis 15 jours", ["depuis 15 jours"]),
        ("voilà 10 jours", ["voilà 10 jours"]),
        # not dates
        ("j'ai 12 ans", []),
        ("12 euros", []),
        ("je suis en ald 30", []),
        ("dossier n° 12", []),
        ("3 semaines", []),
        ("pris à 100 %", []),
        ("appelez le 15", []),
        ("malade depuis 6 mois", []),
        ("depuis 2 ans", []),
    ],
)
def test_process_adds_one_entity_per_date(
    extractor: FrenchDateExtractor, text: str, values: List[str]
) -> None:
    message = Message({"text": text})
    extractor.process([message])
    found = dates_of(message)
    assert [e["value"] for e in found] == values
    for e in found:
        assert text[e["start"] : e["end"]] == e["value"]
        assert e["extractor"] == "FrenchDateExtractor"
        assert e["confidence_entity"] == 1.0


def test_entity_format(extractor: FrenchDateExtractor) -> None:
    message = Message({"text": "le 10 janvier"})
    extractor.process([message])
    assert message.get("entities") == [
        {
            "entity": "date",
            "start": 3,
            "end": 13,
            "value": "10 janvier",
            "confidence_entity": 1.0,
            "extractor": "FrenchDateExtractor",
        }
    ]
    assert "entities" in message.output_properties


def test_keeps_other_entities_and_does_not_duplicate(extractor: FrenchDateExtractor) -> None:
    diet = [
        {"entity": "disease", "start": 0, "end": 7, "value": "diabète", "extractor": "DIETClassifier"},
        {"entity": "date", "start": 11, "end": 21, "value": "10 janvier", "extractor": "DIETClassifier"},
    ]
    message = Message({"text": "diabète le 10 janvier", "entities": list(diet)})
    extractor.process([message])
    assert message.get("entities") == diet


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀😀",
        "<script>alert('10 janvier')</script>",
        "a" * 10_000,
        ("le 10 janvier 2026 " * 600)[:10_000],
        "\u0000\u200b\ufeff",
        "10/10/10/10/10/10",
    ],
)
def test_robust_inputs(extractor: FrenchDateExtractor, text: str) -> None:
    message = Message({"text": text})
    extractor.process([message])
    for e in dates_of(message):
        assert text[e["start"] : e["end"]] == e["value"]


def test_html_and_emoji_offsets(extractor: FrenchDateExtractor) -> None:
    text = "😀 <b>le 1er mars</b> 👍"
    message = Message({"text": text})
    extractor.process([message])
    assert [(text[e["start"] : e["end"]]) for e in dates_of(message)] == ["1er mars"]


def test_message_without_text(extractor: FrenchDateExtractor) -> None:
    message = Message({"intent": "greet"})
    assert extractor.process([message]) == [message]
    assert message.get("entities") is None


def test_several_messages(extractor: FrenchDateExtractor) -> None:
    messages = [Message({"text": "hier"}), Message({"text": "bonjour"}), Message({"text": "15/12/2025"})]
    extractor.process(messages)
    assert [[e["value"] for e in dates_of(m)] for m in messages] == [["hier"], [], ["15/12/2025"]]


def test_config_entity_name(tmp_path: Path) -> None:
    other = FrenchDateExtractor.create(
        {"entity": "when"}, LocalModelStorage(tmp_path), Resource("d"), ExecutionContext(GraphSchema({}), "1")
    )
    message = Message({"text": "hier"})
    other.process([message])
    assert [e["entity"] for e in message.get("entities")] == ["when"]


def test_long_message_gets_all_its_dates(extractor: FrenchDateExtractor) -> None:
    # (speed is measured by `make bench`, not here)
    message = Message({"text": ("il y a 10 jours, le 3 mars, 15/12/2025 " * 300)[:10_000]})
    extractor.process([message])
    assert len(dates_of(message)) > 500
