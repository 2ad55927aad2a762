"""Input guard, confidence gate and log redaction (components/guard.py)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from ald.pii import EMAIL_PLACEHOLDER, NIR_PLACEHOLDER, PHONE_PLACEHOLDER
from components import guard
from components.guard import ConfidenceGate, InputGuard

ROOT = Path(__file__).resolve().parents[2]
NIR = "1 85 05 78 006 084 36"


@pytest.fixture(autouse=True)
def _no_env_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(guard.MAX_CHARS_ENV, raising=False)
    monkeypatch.delenv(guard.FAQ_MARGIN_ENV, raising=False)


def run_guard(text: Optional[str], **config: Any) -> Message:
    message = Message(data={TEXT: text} if text is not None else {})
    InputGuard({**InputGuard.get_default_config(), **config}).process([message])
    return message


# --- InputGuard ----------------------------------------------------------------------------


def test_identifiers_never_reach_the_next_components_nor_parse_data() -> None:
    message = run_guard(
        f"mon numéro de sécu est {NIR}, écrivez à jean.dupont@example.com " "ou au 06 12 34 56 78"
    )
    assert message.get(TEXT) == (
        f"mon numéro de sécu est {NIR_PLACEHOLDER}, écrivez à "
        f"{EMAIL_PLACEHOLDER} ou au {PHONE_PLACEHOLDER}"
    )
    parse_data = message.as_dict(only_output_properties=True)
    assert parse_data[TEXT] == message.get(TEXT)
    assert parse_data["guard"] == {"truncated": False, "masked": ["email", "nir", "phone"]}
    for secret in ("006 084", "jean.dupont", "06 12 34"):
        assert secret not in str(parse_data)


def test_ordinary_message_is_left_alone() -> None:
    text = "quand dois-je demander le renouvellement ? appelez le 36 46 le 15/12/2025"
    message = run_guard(text)
    assert message.get(TEXT) == text
    assert message.get("guard") == {"truncated": False, "masked": []}


def test_long_message_is_cut_to_the_limit() -> None:
    message = run_guard("a" * 10_000)
    assert message.get(TEXT) == "a" * guard.DEFAULT_MAX_CHARS
    assert message.get("guard") == {"truncated": True, "masked": []}


def test_limit_from_config_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_guard("x" * 50, max_chars=20).get(TEXT) == "x" * 20
    monkeypatch.setenv(guard.MAX_CHARS_ENV, "10")
    message = run_guard("x" * 50, max_chars=20)  # the environment wins (no retraining)
    assert message.get(TEXT) == "x" * 10 and message.get("guard")["truncated"]
    assert run_guard("x" * 10).get("guard")["truncated"] is False  # exactly at the limit


@pytest.mark.parametrize("bad", ["abc", "0", "-5"])
def test_bad_environment_limit_is_refused(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv(guard.MAX_CHARS_ENV, bad)
    with pytest.raises(ValueError, match=guard.MAX_CHARS_ENV):
        InputGuard({})


def test_identifier_straddling_the_cut_is_masked_not_half_kept() -> None:
    text = "x" * 1990 + " " + NIR
    message = run_guard(text)
    assert "006" not in message.get(TEXT) and "85 05" not in message.get(TEXT)
    assert message.get("guard") == {"truncated": True, "masked": ["nir"]}


@pytest.mark.parametrize(
    "text", ["", "😀" * 3000, "<script>alert('x')</script><b>06 12 34 56 78</b>", "\n\t  ", "é" * 10_000]
)
def test_odd_inputs(text: str) -> None:
    message = run_guard(text)
    assert len(message.get(TEXT)) <= guard.DEFAULT_MAX_CHARS
    assert isinstance(message.get("guard")["masked"], list)


def test_message_without_text_is_untouched() -> None:
    message = run_guard(None)
    assert message.get(TEXT) is None and message.get("guard") is None


def test_guard_cuts_ten_thousand_characters_of_anything() -> None:
    texts = ["a" * 10_000, ("mon nir " + NIR + " ") * 400, "1 " * 5_000, "😀<p>" * 2_500]
    for text in texts:
        message = run_guard(text)
        assert len(message.get(TEXT)) == 2000
        assert message.get("guard")["truncated"] is True


def test_training_examples_are_masked_like_messages() -> None:
    plain = Message(data={TEXT: f"voici mon numero {NIR}", INTENT: "share_personal_data"})
    placeholder = Message(data={TEXT: f"voici mon numero {NIR_PLACEHOLDER}", INTENT: "share_personal_data"})
    with_entities = Message(
        data={
            TEXT: "le 0612345678 depuis le 10 janvier",
            INTENT: "inform",
            "entities": [{"entity": "date", "start": 26, "end": 36, "value": "10 janvier"}],
        }
    )
    long_one = Message(data={TEXT: "b" * 3000, INTENT: "inform"})
    data = TrainingData([plain, placeholder, with_entities, long_one])
    InputGuard({}).process_training_data(data)
    assert plain.get(TEXT) == f"voici mon numero {NIR_PLACEHOLDER}"
    assert placeholder.get(TEXT) == f"voici mon numero {NIR_PLACEHOLDER}"
    # Entity offsets would no longer match: left as written.
    assert with_entities.get(TEXT) == "le 0612345678 depuis le 10 janvier"
    assert long_one.get(TEXT) == "b" * 3000  # training data is never cut


# --- ConfidenceGate ------------------------------------------------------------------------


def classified(
    intent: str,
    confidence: float,
    ranking: Optional[List[Dict]] = None,
    answer_confidence: Optional[float] = None,
    selector_key: str = "faq",
    report: Optional[Dict] = None,
    text: str = "x",
    answer_ranking: Optional[List[float]] = None,
) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        ranking
        if ranking is not None
        else [{"name": intent, "confidence": confidence}, {"name": "greet", "confidence": 1 - confidence}],
        add_to_output=True,
    )
    if answer_confidence is not None:
        message.set(
            "response_selector",
            {
                "all_retrieval_intents": ["faq"],
                selector_key: {
                    "response": {
                        "responses": [{"text": "r"}],
                        "confidence": answer_confidence,
                        "intent_response_key": "faq/duree",
                        "utter_action": "utter_faq/duree",
                    },
                    # The picked answer first, then the others (confidences given).
                    "ranking": [
                        {"id": 1, "confidence": answer_confidence, "intent_response_key": "faq/duree"},
                        *(
                            {"id": i + 2, "confidence": c, "intent_response_key": f"faq/other{i}"}
                            for i, c in enumerate(answer_ranking or [])
                        ),
                    ],
                },
            },
            add_to_output=True,
        )
    if report is not None:
        message.set("guard", report, add_to_output=True)
    return message


def gate(message: Message, threshold: float = 0.45, **config: Any) -> Message:
    ConfidenceGate({"faq_threshold": threshold, **config}).process([message])
    return message


def test_faq_with_unsure_answer_falls_back_and_keeps_the_ranking() -> None:
    message = gate(classified("faq", 0.9, answer_confidence=0.30))
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.45}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["nlu_fallback", "faq", "greet"]


def test_faq_with_sure_answer_is_kept() -> None:
    message = gate(classified("faq", 0.9, answer_confidence=0.80))
    assert message.get(INTENT)["name"] == "faq"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["faq", "greet"]


def test_answer_confidence_under_the_default_key() -> None:
    assert (
        gate(classified("faq", 0.9, answer_confidence=0.2, selector_key="default")).get(INTENT)["name"]
        == "nlu_fallback"
    )
    assert (
        gate(classified("faq", 0.9, answer_confidence=0.6, selector_key="default")).get(INTENT)["name"]
        == "faq"
    )


def test_faq_without_any_selected_answer_falls_back() -> None:
    assert gate(classified("faq", 0.9)).get(INTENT)["name"] == "nlu_fallback"


def test_threshold_comes_from_the_config() -> None:
    assert (
        gate(classified("faq", 0.9, answer_confidence=0.5), threshold=0.6).get(INTENT)["name"]
        == "nlu_fallback"
    )


def test_other_intents_are_not_touched_by_the_faq_rule() -> None:
    message = gate(classified("ask_renewal_date", 0.95, answer_confidence=0.01))
    assert message.get(INTENT) == {"name": "ask_renewal_date", "confidence": 0.95}
    fallback = classified("nlu_fallback", 0.55)
    assert gate(fallback).get(INTENT) == {"name": "nlu_fallback", "confidence": 0.55}


def test_masked_identifier_wins_over_everything() -> None:
    message = gate(
        classified("faq", 0.9, answer_confidence=0.1, report={"truncated": True, "masked": ["nir"]})
    )
    assert message.get(INTENT) == {"name": "share_personal_data", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0] == {"name": "share_personal_data", "confidence": 1.0}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)][1:] == ["faq", "greet"]


def test_distress_message_missed_by_the_classifier_gets_the_safety_intent() -> None:
    message = gate(
        classified("faq", 1.0, answer_confidence=0.99, text="je voudrais que tout s'arrête pour toujours")
    )
    assert message.get(INTENT) == {"name": "suicidal_thoughts", "confidence": 1.0}
    message = gate(classified("medical_advice", 0.66, text="mon mari a pris beaucoup trop de comprimés"))
    assert message.get(INTENT) == {"name": "emergency", "confidence": 1.0}
    message = gate(
        classified("out_of_scope", 0.95, text="combien de gélules d'ibuprofène au maximum par jour")
    )
    assert message.get(INTENT) == {"name": "medical_advice", "confidence": 1.0}


def test_safety_net_wins_over_the_personal_data_reply() -> None:
    message = gate(
        classified(
            "share_personal_data",
            1.0,
            report={"truncated": False, "masked": ["phone"]},
            text="je veux mourir, appelez moi au [téléphone masqué]",
        )
    )
    assert message.get(INTENT)["name"] == "suicidal_thoughts"


def test_question_about_the_ald_that_names_an_emergency_is_not_forced() -> None:
    message = gate(
        classified(
            "faq",
            0.9,
            answer_confidence=0.9,
            text="hospitalisé en urgence après un AVC, qui fait le protocole ?",
        )
    )
    assert message.get(INTENT)["name"] == "faq"


@pytest.mark.parametrize(
    "text",
    [
        "ma mere a fait un infarctus en mars, elle a droit au 100 % ?",
        "depuis mon AVC l'an dernier je suis en ald ?",
        "mon pere a eu un infarctus il y a 2 ans, c'est une ALD ?",
    ],
)
def test_a_past_emergency_asked_about_for_the_ald_gets_its_answer(text: str) -> None:
    message = gate(classified("faq", 0.9, answer_confidence=0.9, text=text))
    assert message.get(INTENT) == {"name": "faq", "confidence": 0.9}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("je fais un infarctus", "emergency"),
        ("mon mari fait un avc la", "emergency"),
        ("mon mari fait un AVC là, c'est une ALD ?", "emergency"),
        ("douleur dans la poitrine depuis 1h", "emergency"),
        ("il respire plus", "emergency"),
        ("je veux mourir", "suicidal_thoughts"),
        ("envie d'en finir", "suicidal_thoughts"),
    ],
)
def test_a_present_emergency_always_gets_the_safety_intent(text: str, intent: str) -> None:
    message = gate(classified("faq", 0.95, answer_confidence=0.95, text=text))
    assert message.get(INTENT) == {"name": intent, "confidence": 1.0}


def test_truncated_message_wins_over_the_faq_rule() -> None:
    message = gate(classified("faq", 0.9, answer_confidence=0.9, report={"truncated": True, "masked": []}))
    assert message.get(INTENT) == {"name": "message_too_long", "confidence": 1.0}


def test_no_duplicate_in_the_ranking_when_the_intent_was_already_there() -> None:
    message = gate(classified("share_personal_data", 0.7, report={"truncated": False, "masked": ["phone"]}))
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names == ["share_personal_data", "greet"]


def test_full_guard_then_gate_chain() -> None:
    message = run_guard(f"mon numero {NIR}")
    message.set(INTENT, {"name": "faq", "confidence": 0.8}, add_to_output=True)
    gate(message)
    parse_data = message.as_dict(only_output_properties=True)
    assert parse_data[INTENT]["name"] == "share_personal_data"
    assert parse_data[TEXT] == f"mon numero {NIR_PLACEHOLDER}"


# --- Gibberish ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["azertyuiop", "qsdfghjkl", "hhhhhhhhhhhh", "jjjjdkdkdkd", "123456789", "?????"]
)
@pytest.mark.parametrize(
    ("intent", "answer"),
    [("faq", 0.99), ("greet", None), ("ask_renewal_date", None), ("affirm", None), ("nlu_fallback", None)],
)
def test_gibberish_falls_back_whatever_the_classifier_said(
    text: str, intent: str, answer: Optional[float]
) -> None:
    message = classified(intent, 0.99, answer_confidence=answer, text=text)
    message.set(ENTITIES, [{"entity": "disease", "value": text, "start": 0, "end": len(text)}])
    gate(message)
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    # Nothing of it is read: neither the intent the classifier leaned to nor an entity.
    assert message.get(INTENT_RANKING_KEY) == [{"name": "nlu_fallback", "confidence": 1.0}]
    assert message.get(ENTITIES) == []
    parse_data = message.as_dict(only_output_properties=True)
    assert parse_data[INTENT]["name"] == "nlu_fallback" and parse_data[ENTITIES] == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ok", "affirm"),
        ("👍", "affirm"),
        ("slt", "greet"),
        ("mdr", "thank"),
        ("15", "inform"),
        ("non", "deny"),
    ],
)
def test_short_real_messages_keep_the_classifiers_intent(text: str, intent: str) -> None:
    message = gate(classified(intent, 0.9, text=text))
    assert message.get(INTENT) == {"name": intent, "confidence": 0.9}
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == {"name": intent, "confidence": 0.9} and len(ranking) == 2  # untouched


def test_safety_patterns_win_over_gibberish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard.gibberish, "is_gibberish", lambda text: True)
    message = gate(classified("nlu_fallback", 0.3, text="je veux mourir"))
    assert message.get(INTENT) == {"name": "suicidal_thoughts", "confidence": 1.0}
    message = gate(classified("greet", 0.3, text="il respire plus"))
    assert message.get(INTENT)["name"] == "emergency"


def test_guard_findings_win_over_gibberish() -> None:
    message = run_guard("h" * 5000)
    message.set(INTENT, {"name": "greet", "confidence": 0.6}, add_to_output=True)
    assert gate(message).get(INTENT) == {"name": "message_too_long", "confidence": 1.0}


def test_full_chain_on_keyboard_mashing() -> None:
    message = run_guard("azertyuiop qsdfgh")
    message.set(INTENT, {"name": "faq", "confidence": 0.7}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": "faq", "confidence": 0.7}], add_to_output=True)
    parse_data = gate(message).as_dict(only_output_properties=True)
    assert parse_data[INTENT] == {"name": "nlu_fallback", "confidence": 1.0}


# --- FAQ margin ----------------------------------------------------------------------------


def test_faq_margin_is_off_by_default() -> None:
    assert ConfidenceGate.get_default_config()["faq_margin"] == 0.0 == guard.DEFAULT_FAQ_MARGIN
    assert ConfidenceGate({}).faq_margin == 0.0
    message = gate(classified("faq", 0.9, answer_confidence=0.50, answer_ranking=[0.49, 0.01]))
    assert message.get(INTENT)["name"] == "faq"


def test_faq_answer_too_close_to_the_next_falls_back() -> None:
    message = gate(classified("faq", 0.9, answer_confidence=0.55, answer_ranking=[0.40]), faq_margin=0.2)
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.45}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["nlu_fallback", "faq", "greet"]


def test_faq_answer_far_enough_above_the_next_is_kept() -> None:
    message = gate(
        classified("faq", 0.9, answer_confidence=0.80, answer_ranking=[0.15, 0.05]), faq_margin=0.2
    )
    assert message.get(INTENT)["name"] == "faq"
    # Exactly at the margin is not below it.
    message = gate(classified("faq", 0.9, answer_confidence=0.75, answer_ranking=[0.5]), faq_margin=0.25)
    assert message.get(INTENT)["name"] == "faq"


def test_faq_margin_without_a_second_answer_is_the_whole_confidence() -> None:
    assert gate(classified("faq", 0.9, answer_confidence=0.6), faq_margin=0.5).get(INTENT)["name"] == "faq"
    message = gate(classified("faq", 0.9, answer_confidence=0.6, selector_key="default"), faq_margin=0.7)
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_faq_margin_and_threshold_both_apply() -> None:
    message = gate(classified("faq", 0.9, answer_confidence=0.40, answer_ranking=[0.01]), faq_margin=0.1)
    assert message.get(INTENT)["name"] == "nlu_fallback"  # below the threshold, however far ahead


def test_faq_margin_does_not_touch_other_intents() -> None:
    message = gate(
        classified("ask_coverage", 0.9, answer_confidence=0.3, answer_ranking=[0.3]), faq_margin=0.5
    )
    assert message.get(INTENT) == {"name": "ask_coverage", "confidence": 0.9}


def test_faq_margin_from_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(guard.FAQ_MARGIN_ENV, "0.3")
    assert ConfidenceGate({"faq_margin": 0.05}).faq_margin == 0.3
    message = gate(classified("faq", 0.9, answer_confidence=0.6, answer_ranking=[0.4]), faq_margin=0.05)
    assert message.get(INTENT)["name"] == "nlu_fallback"


@pytest.mark.parametrize("bad", ["abc", "-0.1", "1", "1.5"])
def test_bad_faq_margin_is_refused(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    with pytest.raises(ValueError, match="faq_margin"):
        ConfidenceGate({"faq_margin": bad})
    monkeypatch.setenv(guard.FAQ_MARGIN_ENV, bad)
    with pytest.raises(ValueError, match=guard.FAQ_MARGIN_ENV):
        ConfidenceGate({})


# --- Wiring in the pipeline ----------------------------------------------------------------


def test_config_puts_the_guard_first_and_the_gate_last() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    assert names[0] == "components.guard.InputGuard"
    assert names[-1] == "components.guard.ConfidenceGate"
    assert names.index("FallbackClassifier") < names.index("components.guard.ConfidenceGate")


def test_rasa_builds_the_prediction_graph_with_guard_first_and_gate_last() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.shared.data import TrainingType

    config = {
        "recipe": "default.v1",
        "language": "fr",
        "pipeline": [
            {"name": "components.guard.InputGuard"},
            {"name": "WhitespaceTokenizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "DIETClassifier", "epochs": 1},
            {"name": "ResponseSelector", "retrieval_intent": "faq", "epochs": 1},
            {"name": "FallbackClassifier", "threshold": 0.5},
            {"name": "components.guard.ConfidenceGate", "faq_threshold": 0.45},
        ],
        "policies": [{"name": "RulePolicy"}],
    }
    graph = DefaultV1Recipe().graph_config_for_recipe(config, {}, TrainingType.BOTH)
    nodes = graph.predict_schema.nodes
    chain = []
    name: Optional[str] = graph.nlu_target
    while name in nodes:
        chain.append(name)
        name = nodes[name].needs.get("messages")
    chain.reverse()  # nlu_message_converter ... run_RegexMessageHandler
    runs = [n for n in chain if n.startswith("run_")]
    assert runs[0] == "run_components.guard.InputGuard0"
    assert runs[-2:] == ["run_components.guard.ConfidenceGate6", "run_RegexMessageHandler"]
    assert nodes[runs[-2]].config["faq_threshold"] == 0.45
    # The guard also runs over the training data, before the tokenizer.
    train = graph.train_schema.nodes["run_components.guard.InputGuard0"]
    assert train.fn == "process_training_data"
    assert (
        graph.train_schema.nodes["run_WhitespaceTokenizer1"].needs["training_data"]
        == "run_components.guard.InputGuard0"
    )


# --- Log redaction -------------------------------------------------------------------------


@pytest.fixture
def rasa_logging():
    """Rasa's own structlog configuration, with the redaction plugged in, then removed."""
    import structlog
    from rasa.plugin import plugin_manager
    from rasa.utils.log_utils import configure_structlog

    root = logging.getLogger()
    old_level = root.level
    configure_structlog(logging.INFO)
    guard.install_log_redaction()
    yield structlog.get_logger()
    root.setLevel(old_level)
    plugin_manager().unregister(guard._PLUGIN)
    structlog.reset_defaults()


def test_error_logs_of_a_failed_message_carry_no_text(rasa_logging, caplog) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger().setLevel(logging.INFO)
    rasa_logging.error("rest.message.received.failure", text=f"mon numéro de sécu est {NIR} j'ai une ALD")
    rasa_logging.info(
        "processor.message.parse",
        parse_data_text="j'ai une ALD cardiaque",
        parse_data_entities=[{"value": "jean@example.com"}],
    )
    assert "rest.message.received.failure" in caplog.text
    assert "processor.message.parse" in caplog.text
    for secret in ("006 084", "ALD", "cardiaque", "jean@example.com"):
        assert secret not in caplog.text
    assert json.dumps(guard.REDACTED)[1:-1] in caplog.text  # Rasa logs JSON outside a tty


def test_debug_logs_are_masked_but_readable(rasa_logging, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    rasa_logging.error("rest.message.received.failure", text=f"mon numero {NIR}")
    assert "mon numero" in caplog.text
    assert "006 084" not in caplog.text
    assert json.dumps(NIR_PLACEHOLDER)[1:-1] in caplog.text


def test_redaction_is_registered_once() -> None:
    from rasa.plugin import plugin_manager

    try:
        guard.install_log_redaction()
        guard.install_log_redaction()
        pipelines = plugin_manager().hook.get_anonymization_pipeline()
        assert pipelines is not None
        assert plugin_manager().is_registered(guard._PLUGIN)
    finally:
        plugin_manager().unregister(guard._PLUGIN)


@pytest.mark.parametrize(
    "text, kwargs, reason",
    [
        ("je veux mourir", {}, "safety"),
        ("azertyuiop", {}, "gibberish"),
        ("x", {"report": {"masked": ["nir"], "truncated": False}}, "identifier"),
        ("x", {"report": {"masked": [], "truncated": True}}, "too_long"),
        ("combien de temps dure mon ald", {"answer_confidence": 0.2}, "faq_unsure"),
    ],
)
def test_the_gate_records_why_it_decided(text, kwargs, reason) -> None:
    message = gate(classified("faq", 0.9, text=text, **kwargs))
    parsed = message.as_dict(only_output_properties=True)
    assert parsed["gate"] == {"reason": reason, "intent": parsed["intent"]["name"]}


def test_the_gate_records_nothing_when_the_classifier_stands() -> None:
    message = gate(classified("faq", 0.9, text="combien de temps dure mon ald", answer_confidence=0.9))
    assert "gate" not in message.as_dict(only_output_properties=True)
