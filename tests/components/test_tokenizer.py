"""components/tokenizer.py: French tokens without a statistical model, and every entity of
the training data and of the held-out set starts and ends on a token boundary (an entity
cut inside a token is lost at training and can never be found)."""

from __future__ import annotations

from typing import List

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from ald import settings
from components.tokenizer import FrenchTokenizer

ROOT = settings.ROOT


@pytest.fixture(scope="module")
def tokenizer() -> FrenchTokenizer:
    return FrenchTokenizer(FrenchTokenizer.get_default_config())


def words(tokenizer: FrenchTokenizer, text: str) -> List[str]:
    return [t.text for t in tokenizer.tokenize(Message(data={"text": text}), "text")]


def test_french_elisions_hyphens_and_numbers(tokenizer: FrenchTokenizer) -> None:
    assert words(tokenizer, "l'ALD de ma mère (maladie d'Alzheimer) est-elle à 100 % ?") == [
        "l'", "ALD", "de", "ma", "mère", "(", "maladie", "d'", "Alzheimer", ")", "est-elle",
        "à", "100", "%", "?",
    ]  # fmt: skip
    assert words(tokenizer, "  ") == []
    assert words(tokenizer, "") == []


def test_offsets_point_into_the_text(tokenizer: FrenchTokenizer) -> None:
    text = "mon kiné  pour une entorse, c'est pris à 100% ?"
    for token in tokenizer.tokenize(Message(data={"text": text}), "text"):
        assert text[token.start : token.end] == token.text


@pytest.mark.parametrize("folder", ["data/nlu", "data/faq", "tests/nlu"])
def test_every_entity_starts_and_ends_on_a_token_boundary(tokenizer: FrenchTokenizer, folder: str) -> None:
    data = load_data(str(ROOT / folder))
    checked, cut = 0, []
    for example in data.entity_examples:
        tokens = tokenizer.tokenize(example, "text")
        starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
        for entity in example.get("entities") or []:
            checked += 1
            if entity["start"] not in starts or entity["end"] not in ends:
                cut.append(f"{example.get('text')!r}: {entity['value']!r}")
    assert checked > 100
    assert not cut, "\n".join(cut)
