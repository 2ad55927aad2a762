"""The glue of `make evaluate` and `make bench` (tools/eval_summary.py, tools/bench.py,
tools/evaluate.py, tools/machine_info.py) on small fixed inputs shaped like Rasa's outputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import yaml

from tools import bench, evaluate, machine_info
from tools import eval_summary as es

# --------------------------------------------------------------------- eval_summary

INTENT_REPORT = {
    "greet": {
        "precision": 1.0,
        "recall": 0.5,
        "f1-score": 0.6667,
        "support": 4,
        "confused_with": {"goodbye": 2},
    },
    "goodbye": {"precision": 0.6, "recall": 1.0, "f1-score": 0.75, "support": 3, "confused_with": {}},
    "faq": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 5, "confused_with": {}},
    "accuracy": 0.8333,
    "macro avg": {"precision": 0.8667, "recall": 0.8333, "f1-score": 0.8056, "support": 12},
    "weighted avg": {"precision": 0.9, "recall": 0.8333, "f1-score": 0.8264, "support": 12},
    "micro avg": {"precision": 0.8333, "recall": 0.8333, "f1-score": 0.8333, "support": 12},
}

INTENT_ERRORS = [
    {"text": "salut", "intent": "greet", "intent_prediction": {"name": "goodbye", "confidence": 0.6}},
    {"text": "coucou", "intent": "greet", "intent_prediction": {"name": "goodbye", "confidence": 0.5}},
    {"text": "merci", "intent": "thank", "intent_prediction": {"name": "goodbye", "confidence": 0.4}},
    {"text": "ok", "intent": "affirm", "intent_prediction": {"name": "thank", "confidence": 0.3}},
]


def test_scores_reads_rasa_report():
    s = es.scores(INTENT_REPORT)
    assert (s.accuracy, s.macro_f1, s.weighted_f1, s.support) == (0.8333, 0.8056, 0.8264, 12)


def test_scores_uses_micro_avg_when_there_is_no_accuracy():
    report = {k: v for k, v in INTENT_REPORT.items() if k != "accuracy"}
    report["micro avg"] = {"f1-score": 0.7, "support": 12}
    assert es.scores(report).accuracy == 0.7


def test_confused_pairs_counts_and_orders_pairs():
    assert es.confused_pairs(INTENT_ERRORS) == [
        ("greet", "goodbye", 2),
        ("affirm", "thank", 1),
        ("thank", "goodbye", 1),
    ]
    assert es.confused_pairs(INTENT_ERRORS, n=1) == [("greet", "goodbye", 2)]


def test_confused_pairs_of_response_selection_errors():
    errors = [
        {
            "text": "x",
            "intent_response_key_target": "faq/a",
            "intent_response_key_prediction": {"name": "faq/b", "confidence": 0.2},
        }
    ] * 3
    assert es.confused_pairs(errors, 5, "intent_response_key_target", "intent_response_key_prediction") == [
        ("faq/a", "faq/b", 3)
    ]


def test_weakest_labels_skips_averages():
    assert [k for k, _, _ in es.weakest_labels(INTENT_REPORT, 2)] == ["greet", "goodbye"]


def test_story_results_with_failures():
    failed = "version: \"3.1\"\nstories:\n- story: bad date (forms_dates.yml)\n  steps:\n  - intent: greet\n"
    r = es.story_results({"conversation_accuracy": {"correct": 7, "total": 8}}, failed)
    assert (r.correct, r.total, r.failed) == (7, 8, ["bad date (forms_dates.yml)"])


def test_story_results_when_none_failed():
    r = es.story_results(
        {"conversation_accuracy": {"correct": 5, "total": 5}}, "# None of the test stories failed - all good!"
    )
    assert (r.correct, r.total, r.failed) == (5, 5, [])


# (a backslash at the end of a line continues the same line)
VALIDATE_OUTPUT = """\
\x1b[93m/x/.venv/lib/python3.10/site-packages/rasa/shared/utils/io.py:100: UserWarning: \
The utterance 'utter_a' is not used in any story or rule.
\x1b[0m\x1b[93m/x/.venv/lib/python3.10/site-packages/rasa/shared/utils/io.py:100: UserWarning: \
The utterance 'utter_b' is not used in any story or rule.
\x1b[0m/x/.venv/lib/python3.10/site-packages/pkg_resources/__init__.py:3117: \
DeprecationWarning: Deprecated call
2026-11-23 16:03:58 INFO     rasa.validator  - Validating intents...
/x/.venv/lib/python3.10/site-packages/rasa/shared/utils/io.py:100: UserWarning: \
The intent 'bye' is listed in the domain file, but is not found in the NLU training data.
2026-11-23 16:03:58 ERROR    rasa.validator  - Found inconsistent stories
2026-11-23 16:03:58 INFO     rasa.validator  - Story structure validation...
2026-11-23 16:03:58 INFO     rasa.validator  - No story structure conflicts found.
"""


def test_validation_summary_groups_warnings():
    v = es.validation_summary(VALIDATE_OUTPUT)
    assert v.warnings == {
        "The utterance '…' is not used in any story or rule.": ["utter_a", "utter_b"],
        "The intent '…' is listed in the domain file, but is not found in the NLU training data.": ["bye"],
    }
    assert v.errors == ["Found inconsistent stories"]
    assert v.info == ["No story structure conflicts found."]


JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0"
failures="1" skipped="1" tests="4"><testcase classname="t" name="test_a"/><testcase classname="t"
name="test_b"><failure message="AssertionError: too few&#10;second line">tb</failure></testcase>
<testcase classname="t" name="test_c"><skipped message="s"/></testcase><testcase classname="t"
name="test_d"/></testsuite></testsuites>"""


def test_junit_summary():
    r = es.junit_summary(JUNIT)
    assert (r.tests, r.failures, r.errors, r.skipped) == (4, 1, 0, 1)
    assert r.failed == [("test_b", "AssertionError: too few")]


def test_render_writes_tables_from_results(tmp_path: Path):
    nlu = tmp_path / "nlu-test"
    nlu.mkdir()
    (nlu / "intent_report.json").write_text(json.dumps(INTENT_REPORT))
    (nlu / "intent_errors.json").write_text(json.dumps(INTENT_ERRORS))
    (nlu / "DIETClassifier_report.json").write_text(json.dumps(INTENT_REPORT))
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "story_report.json").write_text(
        json.dumps({"accuracy": 0.9, "conversation_accuracy": {"correct": 1, "total": 2}})
    )
    (stories / "failed_test_stories.yml").write_text("stories:\n- story: cancel form\n  steps: []\n")
    (tmp_path / "validate.log").write_text(VALIDATE_OUTPUT)
    (tmp_path / "content.xml").write_text(JUNIT)
    info = es.RunInfo(
        date="2026-11-23 10:00 UTC",
        commit="abc1234",
        command="make evaluate",
        machine="2 cores",
        cv_note="",
        durations={"nlu-test": 12.0},
        under_load="idle",
    )
    page = es.render(
        info,
        tmp_path,
        {"nlu-test": {"Confusion": "img/evaluation/x.png"}},
        {"greet": 20, "faq/a": 12, "faq/b": 15},
        {"greet": 4, "faq/a": 2},
    )
    assert "| intents | 80.6 % | 83.3 % | 82.6 % | 12 |" in page
    assert "| entities (DIETClassifier)¹ | 80.6 % | 83.3 % | 82.6 % | 12 |" in page
    assert "| 1 | `greet` | `goodbye` | 2 |" in page
    assert "![Confusion](img/evaluation/x.png)" in page
    assert "**1 / 2** stories passed. Action-level accuracy: 90.0 %." in page
    assert "- cancel form" in page
    assert "labels without held-out example: `faq/b`" in page
    assert "**2 / 4** passed, 1 skipped." in page
    assert "- **error**: Found inconsistent stories" in page
    # The cross-validation did not run: said so, not hidden.
    assert "5-fold cross-validation on `data/`\n\nNot run in this evaluation" in page
    (tmp_path / "nlu-cv").mkdir()  # ran, but left no report: a failure
    page = es.render(info, tmp_path, {}, {}, {})
    assert "No report in" in page and "nlu-cv" in page


def test_cv_config_lowers_epochs_and_drops_policies():
    config = {
        "language": "fr",
        "pipeline": [{"name": "DIETClassifier", "epochs": 80}, {"name": "SpacyNLP"}],
        "policies": [{"name": "TEDPolicy", "epochs": 40}],
    }
    out = evaluate.cv_config(config, 30)
    assert out == {
        "language": "fr",
        "pipeline": [{"name": "DIETClassifier", "epochs": 30}, {"name": "SpacyNLP"}],
    }
    assert config["pipeline"][0]["epochs"] == 80  # the original is not modified
    assert evaluate.cv_config(config, None)["pipeline"][0]["epochs"] == 80


# --------------------------------------------------------------------- bench


def test_latency_stats_uses_numpy_percentiles():
    lat = [0.010, 0.020, 0.030, 0.040, 1.0]
    s = bench.latency_stats(lat, wall_s=2.0, errors=1)
    ms = np.array(lat) * 1000
    assert s.p50_ms == pytest.approx(30.0)
    assert s.p95_ms == pytest.approx(np.percentile(ms, 95))
    assert s.p99_ms == pytest.approx(np.percentile(ms, 99))
    assert s.p95_ms == pytest.approx(808.0)  # linear interpolation between 40 and 1000
    assert (s.n, s.errors, s.throughput) == (5, 1, 2.5)


def test_latency_stats_refuses_empty():
    with pytest.raises(ValueError):
        bench.latency_stats([], wall_s=1.0)


def test_split_conversations_without_replacement():
    msgs = [f"m{i}" for i in range(50)]
    convs = bench.split_conversations(msgs, 4, 10)
    assert [len(c) for c in convs] == [10] * 4
    flat = [m for c in convs for m in c]
    assert len(set(flat)) == 40 and set(flat) <= set(msgs)
    assert convs == bench.split_conversations(msgs, 4, 10)  # reproducible


def test_split_conversations_cycles_when_short():
    convs = bench.split_conversations(["a", "b", "c"], 2, 4)
    flat = [m for c in convs for m in c]
    assert len(flat) == 8 and sorted(set(flat)) == ["a", "b", "c"]
    assert sorted(flat[:3]) == ["a", "b", "c"]  # each pass uses every message once


RESPONSES_YML = """\
version: "3.1"
responses:
  utter_faq/definition:
  - text: |-
      Le protocole de soins est un document.
      Source : ameli.fr
    buttons:
    - title: "Qui le remplit ?"
      payload: '/faq/qui'
  utter_greet:
  - text: "Bonjour, je peux vous aider."
  utter_bye:
  - text: Au revoir et prenez soin de vous.
"""


@pytest.mark.parametrize("name", ["utter_faq/definition", "utter_greet", "utter_bye"])
def test_prepend_to_response_changes_only_that_text(tmp_path: Path, name: str):
    p = tmp_path / "d.yml"
    p.write_text(RESPONSES_YML, encoding="utf-8")
    before = yaml.safe_load(RESPONSES_YML)
    bench.prepend_to_response(p, name, "Bien sûr. ")
    after = yaml.safe_load(p.read_text(encoding="utf-8"))
    before["responses"][name][0]["text"] = "Bien sûr. " + before["responses"][name][0]["text"]
    assert after == before


def test_prepend_to_response_refuses_unknown_name(tmp_path: Path):
    p = tmp_path / "d.yml"
    p.write_text(RESPONSES_YML, encoding="utf-8")
    with pytest.raises(KeyError):
        bench.prepend_to_response(p, "utter_nope", "x")
    assert p.read_text(encoding="utf-8") == RESPONSES_YML


ANSWERS_YML = """\
# FAQ answers.
answers:
  definition:
    text: "Le protocole de soins est un document. Source : ameli.fr"
    buttons:
    - title: "Qui le remplit ?"
      payload: "Qui remplit le protocole ?"

  duree:
    text: "Il dure {fig_x}. Source : ameli.fr"
    buttons: []
"""


def test_prepend_to_answer_changes_only_that_text(tmp_path: Path):
    p = tmp_path / "faq.yml"
    p.write_text(ANSWERS_YML, encoding="utf-8")
    bench.prepend_to_answer(p, "duree", "Bien sûr. ")
    expected = yaml.safe_load(ANSWERS_YML)
    expected["answers"]["duree"]["text"] = "Bien sûr. Il dure {fig_x}. Source : ameli.fr"
    assert yaml.safe_load(p.read_text(encoding="utf-8")) == expected
    assert p.read_text(encoding="utf-8").startswith("# FAQ answers.\n")
    with pytest.raises(KeyError):
        bench.prepend_to_answer(p, "nope", "x")


def test_the_action_call_asks_for_the_topic():
    body = bench.action_call("action_faq", "duree")
    assert body["next_action"] == "action_faq"
    picked = body["tracker"]["latest_message"]["response_selector"]["faq"]["response"]
    assert picked["intent_response_key"] == "faq/duree"


def test_first_response_can_skip_faq(tmp_path: Path):
    p = tmp_path / "d.yml"
    p.write_text(RESPONSES_YML, encoding="utf-8")
    assert bench.first_response(p) == "utter_faq/definition"
    assert bench.first_response(p, exclude_prefix="utter_faq") == "utter_greet"


def test_domain_file_with_responses_in_a_file_or_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DOMAIN", "domain.yml")
    (tmp_path / "domain.yml").write_text(RESPONSES_YML, encoding="utf-8")
    assert bench.domain_file_with_responses(tmp_path) == tmp_path / "domain.yml"
    monkeypatch.setenv("DOMAIN", "domain")
    folder = tmp_path / "domain"
    (folder / "responses").mkdir(parents=True)
    (folder / "core.yml").write_text("intents:\n- greet\n", encoding="utf-8")
    (folder / "responses" / "faq.yml").write_text(
        "responses:\n  utter_faq/x:\n  - text: Une réponse.\n", encoding="utf-8"
    )
    (folder / "responses" / "talk.yml").write_text(RESPONSES_YML, encoding="utf-8")
    assert bench.domain_file_with_responses(tmp_path) == folder / "responses" / "talk.yml"


def _stats(p95: float, throughput: float) -> bench.LatencyStats:
    return bench.LatencyStats(
        n=320,
        errors=0,
        p50_ms=p95 / 2,
        p95_ms=p95,
        p99_ms=p95 * 1.2,
        mean_ms=p95 / 2,
        wall_s=320 / throughput,
        throughput=throughput,
    )


def _result(p95_16: float, tput_16: float, rss: float) -> bench.BenchResult:
    return bench.BenchResult(
        date="2026-11-23 10:00 UTC",
        commit="abc1234",
        machine="2 cores",
        load="idle",
        n_conv=16,
        per_conv=20,
        stats={
            "rest-1": _stats(100, 10),
            "parse-1": _stats(20, 50),
            "rest-many": _stats(p95_16, tput_16),
            "parse-many": _stats(50, 60),
        },
        rasa_rss_mib=rss,
        actions_rss_mib=150,
        real_model_bytes=30 * 2**20,
        train=bench.TrainTimes(
            scratch_s=250,
            domain_edit_s=75,
            domain_response="utter_greet",
            model_bytes=2**20,
        ),
        image="img/benchmarks/x.png",
        faq_edit=bench.FaqEdit("a", served_s=0.012, requests=1),
    )


def test_render_section_marks_targets():
    page = bench.render_section(_result(p95_16=450, tput_16=31, rss=1500))
    assert (
        "| REST channel, end to end | 50 / 100 / 120 | 225 / 450 / 540 | " "p95 ≤ 300 ms at 16: **missed** |"
    ) in page
    assert "| REST ÷ parse (p50) | 5.0 × | 9.0 × | |" in page
    assert "≥ 30: met |" in page
    assert "| 4 min 10 s | ≤ 5 min: met |" in page
    assert "(`utter_greet`) | 1 min 15 s | ≤ 60 s: **missed** |" in page
    assert "(`a`), served by the running action server after (no training) | 12 ms | ≤ 60 s: met |" in page
    # 1500 MiB = 1.57 GB > 1.5 GB
    assert "| 1500 MiB | ≤ 1.5 GB: **missed** |" in page
    assert "![Latency distribution, 2026-11-23 10:00 UTC](img/benchmarks/x.png)" in page


def test_render_section_all_met():
    page = bench.render_section(_result(p95_16=250, tput_16=40, rss=1000))
    assert "p95 ≤ 300 ms at 16: met" in page and "| 1000 MiB | ≤ 1.5 GB: met |" in page


def test_append_section_starts_with_intro_then_appends(tmp_path: Path):
    doc = tmp_path / "benchmarks.md"
    bench.append_section(doc, "## run 1\n")
    bench.append_section(doc, "## run 2\n")
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    assert text.count("# Benchmarks") == 1
    assert text.index("## run 1") < text.index("## run 2")


def test_plot_writes_png(tmp_path: Path):
    runs = {
        k: bench.PhaseRun([0.01 * (i + 1) for i in range(30)], 0, 1.0)
        for k in ("rest-1", "parse-1", "rest-many", "parse-many")
    }
    out = tmp_path / "img" / "lat.png"
    bench.plot(runs, 16, out, "test")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------- machine_info


def test_proc_parsers():
    assert machine_info.vm_rss_kib("Name:\tx\nVmRSS:\t  204800 kB\n") == 204800
    assert machine_info.vm_rss_kib("Name:\tzombie\n") == 0
    assert machine_info.cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n") == "AMD EPYC 7B13"
    assert machine_info.mem_total_gib("MemTotal:       16777216 kB\n") == 16.0


def test_tree_rss_counts_children():
    import subprocess
    import sys

    alone = machine_info.tree_rss_mib(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(80 * 2**20); time.sleep(30)"])
    try:
        for _ in range(100):
            with_child = machine_info.tree_rss_mib(os.getpid())
            if with_child > alone + 60:
                break
            import time

            time.sleep(0.1)
        assert child.pid in machine_info.process_tree(os.getpid())
        assert with_child > alone + 60
    finally:
        child.kill()
        child.wait()


def test_load_note_says_when_the_machine_was_busy():
    assert "other work was running" in machine_info.load_note((1.2, 1, 1), (2.0, 1, 1), cores=2)
    assert "otherwise idle" in machine_info.load_note((0.1, 0, 0), (1.9, 1, 1), cores=2)


# --------------------------------------------------------------------- user view (evaluate)

USER_RECORDS = [
    # right FAQ answer
    {
        "text": "a",
        "intent": "faq",
        "topic": "faq/x",
        "predicted": "faq",
        "predicted_topic": "faq/x",
        "buttons": ["faq/x", "faq/y", "faq/z"],
    },
    # FAQ intent right but wrong topic: a wrong answer
    {
        "text": "b",
        "intent": "faq",
        "topic": "faq/x",
        "predicted": "faq",
        "predicted_topic": "faq/y",
        "buttons": ["faq/y", "faq/x", "faq/z"],
    },
    # fallback whose buttons hold the topic, and one whose buttons do not
    {
        "text": "c",
        "intent": "faq",
        "topic": "faq/x",
        "predicted": "nlu_fallback",
        "predicted_topic": "faq/y",
        "buttons": ["faq/y", "faq/x", "faq/z"],
    },
    {
        "text": "d",
        "intent": "faq",
        "topic": "faq/x",
        "predicted": "nlu_fallback",
        "predicted_topic": "faq/y",
        "buttons": ["faq/y", "faq/z", "faq/w"],
    },
    # other intents: right, wrong, fallback
    {
        "text": "e",
        "intent": "greet",
        "topic": None,
        "predicted": "greet",
        "predicted_topic": "faq/x",
        "buttons": [],
    },
    {
        "text": "f",
        "intent": "greet",
        "topic": None,
        "predicted": "faq",
        "predicted_topic": "faq/x",
        "buttons": [],
    },
    {
        "text": "g",
        "intent": "cancel",
        "topic": None,
        "predicted": "nlu_fallback",
        "predicted_topic": None,
        "buttons": [],
    },
]


def test_user_view_counts_right_fallback_and_wrong():
    assert es.user_view(USER_RECORDS) == es.UserView(total=7, right=2, fallback=3, fallback_button=1, wrong=2)
    assert es.user_view(USER_RECORDS, faq_only=True) == es.UserView(
        total=4, right=1, fallback=2, fallback_button=1, wrong=1
    )


def test_user_view_section_lists_the_wrong_answers(tmp_path: Path):
    assert "Not run" in "\n".join(es.user_view_section(tmp_path))
    (tmp_path / "records.json").write_text(json.dumps(USER_RECORDS), encoding="utf-8")
    page = "\n".join(es.user_view_section(tmp_path))
    assert "| all: 7 | 28.6 % | 42.9 % | 28.6 % |" in page
    assert "| FAQ questions: 4 | 25.0 % | 50.0 % (1) | 25.0 % |" in page
    assert "« b »: expected `faq/x`, got `faq/y`" in page
    assert "« f »: expected `greet`, got `faq/x`" in page  # the FAQ answer it gave
    assert "« c »" not in page


def test_multiturn_section_writes_the_scores_only(tmp_path: Path) -> None:
    folder = tmp_path / "multiturn"
    folder.mkdir()
    report = {
        "today": "2026-12-02",
        "scores": {
            "dev": {"conversations_right": 60, "conversations": 69, "turns_right": 140, "turns": 155},
            "heldout": {"conversations_right": 30, "conversations": 43, "turns_right": 80, "turns": 98},
        },
        "conversations": [{"id": "x", "turns": [{"text": "une phrase secrète du held-out"}]}],
    }
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")
    text = "\n".join(es.multiturn_section(folder))
    assert "| dev | 60 / 69 (87.0 %) | 140 / 155 |" in text
    assert "| heldout | 30 / 43 (69.8 %) | 80 / 98 |" in text
    assert "secrète" not in text
    assert "No report" in "\n".join(es.multiturn_section(tmp_path / "none"))
