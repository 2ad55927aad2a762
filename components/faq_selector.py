"""Intent classifier AND FAQ answer selector of the NLU pipeline (config.yml).

`FaqSelector` replaces DIET's intent head and Rasa's ResponseSelector with one flat
scikit-learn model over the intents and the FAQ topics (components/answer_model.py; why and
with which figures: docs/nlu-research.md and docs/evaluation.md). It writes what those two
components write, so everything downstream (FallbackClassifier, components/guard.py's
ConfidenceGate, actions/faq.py, the fallback's topic buttons, `rasa test nlu`) is unchanged:
- `intent` and `intent_ranking`: P(faq) is the sum of the FAQ topics' probabilities;
- `response_selector[faq]`: `response` {intent_response_key, utter_action, confidence,
  responses} and `ranking` [{id, confidence, intent_response_key}] of the topics, the
  probabilities renormalised among the topics. `responses` is left empty: action_faq looks
  the answer text up by its key at run time.

Features: the text itself (TF-IDF, computed here) and the sentence vector put on the message by
the dense featurizer whose alias is `dense_featurizer` (components/sentence_encoder.py); with
`dense_featurizer: null` the model is lexical only. Persisted with skops (no pickle), loaded
with an explicit list of trusted types.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import zlib
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components import answer_model
from components.answer_model import AnswerModel
from components.sentence_encoder import vector_of

logger = logging.getLogger(__name__)

FAQ = "faq"
MODEL_FILE = "answer_model.skops"
# What the stored model may contain: checked by skops before anything is built from the file.
TRUSTED_TYPES = [
    # What skops does not trust by default (scikit-learn's own classes and numpy arrays it
    # does): our model's class and the sparse matrices of the TF-IDF.
    "components.answer_model.AnswerModel",
    "scipy.sparse._csr.csr_matrix",
]


class UntrustedModel(RuntimeError):
    """The stored model holds types outside TRUSTED_TYPES (not a ValueError: never tolerated)."""


def _skops_io() -> Any:
    """skops.io, imported without its side effect: it imports numpy.distutils, whose log set-up
    lowers the ROOT logger to WARNING, which silenced every INFO line of the server after the
    model was loaded (e.g. "Rasa server is up and running")."""
    root = logging.getLogger()
    level = root.level
    import skops.io as sio

    root.setLevel(level)
    return sio


def _model_code_digest() -> str:
    return hashlib.sha256(inspect.getsource(answer_model).encode()).hexdigest()[:16]


def label_of(example: Message) -> Optional[str]:
    """The flat label of a training example: "faq/<topic>" for a FAQ question, else the
    intent; None for examples that teach no label (lookup tables, entity-only data)."""
    intent = example.get(INTENT)
    if not intent or not (example.get(TEXT) or "").strip():
        return None
    key = example.get(INTENT_RESPONSE_KEY)
    return str(key) if key else str(intent)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FaqSelector(GraphComponent, IntentClassifier):
    """One classifier for the intents and the FAQ topics (see the module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "retrieval_intent": FAQ,
            "dense_featurizer": "use",
            "lexical_c": 100.0,
            "dense_c": 30.0,
            "dense_weight": 0.6,
            "question_weight": 0.3,
            "ranking_length": 10,
            # Rasa's training cache is keyed on the config and on this class's source only: the
            # model code's digest makes a change to components/answer_model.py retrain.
            "model_code": _model_code_digest(),
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["sklearn", "skops"]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[AnswerModel] = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._faq = str(config.get("retrieval_intent") or FAQ)
        self._alias = config.get("dense_featurizer")

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqSelector:
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    # -- training ---------------------------------------------------------------------------

    def _vectors(self, messages: List[Message]) -> Optional[np.ndarray]:
        if not self._alias:
            return None
        vectors = [vector_of(m, str(self._alias)) for m in messages]
        if any(v is None for v in vectors):
            if any(v is not None for v in vectors):
                raise ValueError(f"some messages have no '{self._alias}' sentence vector")
            raise ValueError(
                f"FaqSelector: no sentence vectors from the featurizer aliased '{self._alias}' "
                "(put components.sentence_encoder.SentenceEncoderFeaturizer before it, or set "
                "dense_featurizer: null)"
            )
        return np.vstack(vectors)  # type: ignore[arg-type]

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if label_of(e)]
        labels = [label_of(e) or "" for e in examples]
        model = AnswerModel(
            lexical_c=float(self._config["lexical_c"]),
            dense_c=float(self._config["dense_c"]),
            dense_weight=float(self._config["dense_weight"]) if self._alias else 0.0,
            question_weight=float(self._config["question_weight"]),
        )
        model.fit([e.get(TEXT) for e in examples], self._vectors(examples), labels)
        self._model = model
        self.persist()
        return self._resource

    def persist(self) -> None:
        sio = _skops_io()

        with self._storage.write_to(self._resource) as folder:
            sio.dump(self._model, folder / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> FaqSelector:
        sio = _skops_io()
        config = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as folder:
                path = folder / MODEL_FILE
                untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
                if untrusted:  # a tampered or foreign file: refuse to start rather than run it
                    raise UntrustedModel(f"untrusted types in {path.name}: {sorted(untrusted)}")
                model = sio.load(path, trusted=TRUSTED_TYPES)
        except ValueError as error:
            # No files for this component (never trained): every message falls back (process).
            logger.warning("FaqSelector: no trained model loaded (%s)", error)
            model = None
        return cls(config, model_storage, resource, model)

    # -- inference --------------------------------------------------------------------------

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None:
            # Nothing to classify with: a confidence of 0, so that the fallback answers (the
            # components after this one expect an intent on every message).
            for message in messages:
                message.set(
                    INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True
                )
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
            return messages
        todo = [m for m in messages if isinstance(m.get(TEXT), str)]
        if not todo:
            return messages
        assert self._model is not None
        vectors = None
        if self._alias and self._model.dense is not None:
            found = [vector_of(m, str(self._alias)) for m in todo]
            if all(v is not None for v in found):
                vectors = np.vstack(found)  # type: ignore[arg-type]
        probabilities = self._model.probabilities([m.get(TEXT) for m in todo], vectors)
        for message, row in zip(todo, probabilities, strict=True):
            self._annotate(message, row)
        return messages

    def _annotate(self, message: Message, row: np.ndarray) -> None:
        labels = self._model.labels if self._model else []
        prefix = f"{self._faq}/"
        intents: Dict[str, float] = {}
        topics: Dict[str, float] = {}
        for label, p in zip(labels, row, strict=True):
            if label.startswith(prefix):
                topics[label] = float(p)
                intents[self._faq] = intents.get(self._faq, 0.0) + float(p)
            else:
                intents[label] = float(p)
        length = int(self._config.get("ranking_length") or 10)
        ranking = sorted(intents.items(), key=lambda kv: -kv[1])
        top_name, top_p = ranking[0]
        message.set(INTENT, {INTENT_NAME_KEY: top_name, PREDICTED_CONFIDENCE_KEY: top_p}, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY,
            [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: p} for n, p in ranking[:length]],
            add_to_output=True,
        )
        if topics:
            self._set_selection(message, topics, length)

    def _set_selection(self, message: Message, topics: Dict[str, float], length: int) -> None:
        total = sum(topics.values()) or 1.0
        ranked = sorted(((k, p / total) for k, p in topics.items()), key=lambda kv: -kv[1])
        best, confidence = ranked[0]
        selection = {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                RESPONSE_SELECTOR_RESPONSES_KEY: [],
                PREDICTED_CONFIDENCE_KEY: confidence,
                INTENT_RESPONSE_KEY: best,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{best}",
            },
            RESPONSE_SELECTOR_RANKING_KEY: [
                {"id": zlib.crc32(key.encode()), PREDICTED_CONFIDENCE_KEY: p, INTENT_RESPONSE_KEY: key}
                for key, p in ranked[:length]
            ],
        }
        properties = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
        properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = [self._faq]
        properties[self._faq] = selection
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
