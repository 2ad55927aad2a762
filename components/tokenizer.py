"""French tokens from spaCy's rules alone, without a statistical model.

The entities (disease, care kind, ALD situation) come from a CRF over the words and the
lookup tables (config.yml); nothing in the pipeline reads word vectors, lemmas or
part-of-speech tags any more. spaCy's French tokenizer is rules only (elisions such as
"l'ALD" or "d'Alzheimer", hyphens, "n°30"), identical to the one inside fr_core_news_md, so
the tokens and the entity boundaries of the training data are the same, at a fraction of the
memory and time per message of loading and running the full model (docs/benchmarks.md).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from components.base import ConfigOnlyComponent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FrenchTokenizer(ConfigOnlyComponent, Tokenizer):
    """Tokens of spaCy's blank French pipeline (its tokenizer only)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # The options every Rasa tokenizer takes, with Rasa's own defaults.
        return SpacyTokenizer.get_default_config()

    @staticmethod
    def required_packages() -> List[str]:
        return ["spacy"]

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        import spacy

        self._tokenizer = spacy.blank("fr").tokenizer

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute)
        if not isinstance(text, str) or not text:
            return []
        tokens = [Token(t.text, t.idx) for t in self._tokenizer(text) if t.text.strip()]
        return self._apply_token_pattern(tokens)
