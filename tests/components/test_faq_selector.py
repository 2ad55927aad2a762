"""The flat intent + FAQ answer classifier: what it writes on a message (the shape Rasa's
DIET and ResponseSelector write, which the gate, the actions and `rasa test` read), its
training, and its storage (skops, trusted types only)."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.faq_selector import MODEL_FILE, FaqSelector, label_of
from components.sentence_encoder import SentenceEncoderFeaturizer

EXAMPLES = {
    "greet": ["bonjour", "salut", "bonsoir", "coucou", "bonjour a vous", "hello"],
    "faq/delai_reponse": [
        "combien de temps pour la reponse de la caisse",
        "delai de reponse du medecin conseil",
        "la caisse repond en combien de temps",
        "quel delai pour avoir l'accord du protocole",
        "au bout de combien de jours j'ai une reponse",
        "reponse de la secu pour mon ald c'est long ?",
    ],
    "faq/transport": [
        "le taxi est il rembourse",
        "transport en ambulance pris en charge ?",
        "vsl pour aller a l'hopital",
        "mes trajets pour la chimio sont rembourses ?",
        "bon de transport pour mes rendez-vous",
        "remboursement des frais de transport",
    ],
}


def message(text: str, label: str | None = None) -> Message:
    data = {TEXT: text}
    if label:
        intent, _, topic = label.partition("/")
        data["intent"] = intent
        if topic:
            data["intent_response_key"] = label
    return Message(data=data)


@pytest.fixture(scope="module")
def featurizer() -> SentenceEncoderFeaturizer:
    return SentenceEncoderFeaturizer(
        {**SentenceEncoderFeaturizer.get_default_config(), "alias": "use"}, "use"
    )


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def train(featurizer, storage, dense: str | None = "use") -> FaqSelector:
    examples = [message(t, label) for label, texts in EXAMPLES.items() for t in texts]
    examples.append(Message(data={TEXT: "diabete"}))  # a lookup entry: no label, skipped
    data = TrainingData(training_examples=examples)
    featurizer.process_training_data(data)
    selector = FaqSelector.create({"dense_featurizer": dense}, storage, Resource("faq_selector"), context())
    selector.train(data)
    return selector


def parse(selector: FaqSelector, featurizer, texts: List[str]) -> List[dict]:
    messages = [message(t) for t in texts]
    featurizer.process(messages)
    selector.process(messages)
    return [m.as_dict(only_output_properties=True) for m in messages]


def test_labels_are_the_intent_or_the_faq_topic() -> None:
    assert label_of(message("bonjour", "greet")) == "greet"
    assert label_of(message("taxi ?", "faq/transport")) == "faq/transport"
    assert label_of(Message(data={TEXT: "diabete"})) is None
    assert label_of(message("  ", "greet")) is None


def test_writes_intent_and_answer_as_rasa_does(featurizer, storage) -> None:
    selector = train(featurizer, storage)
    (taxi,) = parse(selector, featurizer, ["est-ce que l'ambulance pour l'hopital est remboursee"])
    assert taxi["intent"]["name"] == "faq"
    ranking = taxi["intent_ranking"]
    assert [r["name"] for r in ranking] == sorted([r["name"] for r in ranking], key=lambda n: n != "faq")
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
    faq = taxi["response_selector"]["faq"]
    assert taxi["response_selector"]["all_retrieval_intents"] == ["faq"]
    assert faq["response"]["intent_response_key"] == "faq/transport"
    assert faq["response"]["utter_action"] == "utter_faq/transport"
    assert faq["response"]["confidence"] == faq["ranking"][0]["confidence"]
    assert [r["intent_response_key"] for r in faq["ranking"]] == ["faq/transport", "faq/delai_reponse"]
    assert abs(sum(r["confidence"] for r in faq["ranking"]) - 1.0) < 1e-6
    # P(faq) is the sum of the topics: greet gets the rest.
    (hello,) = parse(selector, featurizer, ["salut !"])
    assert hello["intent"]["name"] == "greet"


def test_sentence_vectors_help_a_paraphrase_without_shared_words(featurizer, storage) -> None:
    text = "j'attends toujours l'accord, c'est normal que ce soit si long ?"

    def p_delay(selector: FaqSelector) -> float:
        ranking = parse(selector, featurizer, [text])[0]["response_selector"]["faq"]["ranking"]
        return next(r["confidence"] for r in ranking if r["intent_response_key"] == "faq/delai_reponse")

    lexical = p_delay(train(featurizer, storage, dense=None))
    dense = p_delay(train(featurizer, storage))
    assert dense > 0.5 and dense > lexical


def test_stored_and_loaded_with_trusted_types_only(featurizer, storage) -> None:
    trained = train(featurizer, storage)
    before = parse(trained, featurizer, ["le vsl est rembourse ?"])[0]
    loaded = FaqSelector.load({}, storage, Resource("faq_selector"), context())
    after = parse(loaded, featurizer, ["le vsl est rembourse ?"])[0]
    assert after["intent"] == before["intent"]
    assert after["response_selector"] == before["response_selector"]


def test_a_file_with_untrusted_types_is_refused(featurizer, storage, tmp_path) -> None:
    from components.faq_selector import UntrustedModel

    sio = pytest.importorskip("skops.io")
    train(featurizer, storage)
    with storage.write_to(Resource("faq_selector")) as folder:
        sio.dump({"model": Path("x")}, folder / MODEL_FILE)  # a type outside the trusted list
    with pytest.raises(UntrustedModel, match="PosixPath"):
        FaqSelector.load({}, storage, Resource("faq_selector"), context())


def test_without_a_trained_model_every_message_falls_back(featurizer, storage) -> None:
    """What Rasa's FallbackClassifier, next in the pipeline, makes of it: the fallback intent."""
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier

    selector = FaqSelector.load({}, storage, Resource("never_trained"), context())
    messages = [message("bonjour")]
    selector.process(messages)
    fallback = FallbackClassifier.create(
        {**FallbackClassifier.get_default_config(), "threshold": 0.6}, storage, Resource("f"), context()
    )
    fallback.process(messages)
    assert messages[0].get("intent")["name"] == "nlu_fallback"


def test_lexical_only_when_no_dense_featurizer(storage) -> None:
    examples = [message(t, label) for label, texts in EXAMPLES.items() for t in texts]
    selector = FaqSelector.create({"dense_featurizer": None}, storage, Resource("lex"), context())
    selector.train(TrainingData(training_examples=examples))
    messages = [message("le taxi pour la chimio")]
    selector.process(messages)
    assert messages[0].get("intent")["name"] == "faq"


def test_missing_sentence_vectors_are_a_clear_error(storage) -> None:
    examples = [message(t, label) for label, texts in EXAMPLES.items() for t in texts]
    selector = FaqSelector.create({"dense_featurizer": "use"}, storage, Resource("x"), context())
    with pytest.raises(ValueError, match="SentenceEncoderFeaturizer"):
        selector.train(TrainingData(training_examples=examples))


def test_loading_skops_leaves_the_root_logger_level_alone() -> None:
    """In a fresh process (the side effect happens on the first import only)."""
    import subprocess
    import sys

    code = (
        "import logging; logging.basicConfig(level=logging.INFO)\n"
        "from components.faq_selector import _skops_io; _skops_io()\n"
        "import skops.io\n"
        "print(logging.getLogger().level)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "20"


def test_the_asking_sentence_of_a_long_message_weighs_on_its_own(featurizer, storage) -> None:
    """The story told first shares its words with another topic; the question decides."""
    from components.answer_model import AnswerModel

    texts = [t for texts in EXAMPLES.values() for t in texts]
    labels = [label for label, texts in EXAMPLES.items() for _ in texts]
    story = (
        "mes trajets pour la chimio en ambulance et en taxi, c'est mon quotidien depuis un an. "
        "la caisse repond en combien de temps ?"
    )
    plain = AnswerModel(question_weight=0.0).fit(texts, None, labels)
    weighted = AnswerModel(question_weight=0.5).fit(texts, None, labels)
    col = weighted.labels.index("faq/delai_reponse")
    assert plain.labels == weighted.labels
    assert weighted.probabilities([story], None)[0, col] > plain.probabilities([story], None)[0, col]
    # a message of one sentence is untouched by the weight
    one = ["la caisse repond en combien de temps ?"]
    assert weighted.probabilities(one, None) == pytest.approx(plain.probabilities(one, None))
