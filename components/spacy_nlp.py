"""Rasa's `SpacyNLP`, without the spaCy parts no component of this pipeline reads.

Rasa 3.6 loads the spaCy pipeline with only its dependency parser disabled, so every message
also goes through the French named-entity recogniser, whose result nothing here uses: the
entities come from DIET, the date extractor and the lookup tables, and the tokenizer and
featurizers read only tokens, lemmas, part-of-speech tags and word vectors (tok2vec,
morphologizer, attribute_ruler, lemmatizer). Turning the recogniser off leaves those
unchanged (tests/components/test_spacy_nlp.py) and saves most of spaCy's time per message
(docs/benchmarks.md).

The class keeps Rasa's name: the spaCy tokenizer and featurizers find the component that
loads the model by that name (`model_from="SpacyNLP"`)."""

from __future__ import annotations

from typing import Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel

#: spaCy components nothing in config.yml reads (the parser is already off in Rasa's loader).
UNUSED: Tuple[str, ...] = ("ner",)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """Loads the spaCy model once for the pipeline, with `UNUSED` turned off."""

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        loaded = spacy_utils.SpacyNLP.load_model(spacy_model_name)
        for name in UNUSED:
            if name in loaded.model.pipe_names:
                loaded.model.disable_pipe(name)
        return loaded
