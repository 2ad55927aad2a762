"""The gate calibration: replaying thresholds on recorded scores, choosing, writing config.yml."""

from __future__ import annotations

import yaml

from ald import settings
from tools.calibrate import FALLBACK, Gates, apply, choose, decide, outcome


def rec(
    intent,
    conf,
    margin=1.0,
    topic=None,
    predicted_topic=None,
    faq_conf=0.0,
    faq_margin=0.0,
    forced=None,
    want=None,
):
    return {
        "intent": want or ("faq" if topic else intent),
        "topic": topic,
        "raw_intent": intent,
        "raw_confidence": conf,
        "raw_margin": margin,
        "predicted_topic": predicted_topic,
        "faq_confidence": faq_conf,
        "faq_margin": faq_margin,
        "forced": forced,
    }


def test_decide_applies_each_gate() -> None:
    r = rec("faq", 0.9, topic="faq/a", predicted_topic="faq/a", faq_conf=0.6, faq_margin=0.3)
    assert decide(r, Gates()) == "faq/a"
    assert decide(r, Gates(threshold=0.95)) == FALLBACK
    assert decide(r, Gates(faq_threshold=0.7)) == FALLBACK
    assert decide(r, Gates(faq_margin=0.4)) == FALLBACK
    assert decide(rec("greet", 0.6, margin=0.1), Gates(ambiguity_threshold=0.2)) == FALLBACK
    # What the gate forced (safety, identifier, gibberish) does not depend on thresholds.
    assert decide(rec("faq", 0.99, forced="emergency"), Gates()) == "emergency"


def test_choose_keeps_wrong_answers_within_the_limit() -> None:
    right = [rec("greet", 0.9) for _ in range(50)]
    sure_wrong = [rec("thank", 0.95, want="greet")]  # wrong whatever the gate: 1 in 100
    unsure_wrong = [rec("thank", 0.4, want="greet") for _ in range(10)]
    unsure_right = [rec("greet", 0.5) for _ in range(39)]
    records = right + sure_wrong + unsure_wrong + unsure_right
    gates, o = choose(records, max_wrong=0.02)
    assert o.wrong <= 2 and o.total == 100
    assert 0.4 < gates.threshold <= 0.5  # lets the unsure right ones through, not the wrong ones
    assert o.right == 89
    assert outcome(records, Gates()).wrong == 11


def test_apply_rewrites_the_gates_in_config_and_keeps_comments() -> None:
    text = (settings.ROOT / "config.yml").read_text(encoding="utf-8")
    new = apply(text, Gates(0.33, 0.05, 0.44, 0.1))
    pipeline = {c["name"]: c for c in yaml.safe_load(new)["pipeline"]}
    assert pipeline["FallbackClassifier"]["threshold"] == 0.33
    assert pipeline["FallbackClassifier"]["ambiguity_threshold"] == 0.05
    assert pipeline["components.guard.ConfidenceGate"]["faq_threshold"] == 0.44
    assert pipeline["components.guard.ConfidenceGate"]["faq_margin"] == 0.1
    assert new.count("#") == text.count("#")
    assert apply(new, Gates(0.33, 0.05, 0.44, 0.1)) == new
