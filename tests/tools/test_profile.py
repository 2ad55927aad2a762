"""tools/profile.py: py-spy's collapsed stacks split per part of the assistant, on small
hand-written stacks shaped like py-spy 0.4's raw output; py-spy failures give a reason."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools import profile
from tools.profile import ACTIONS_RULES, OTHER, RASA_RULES, breakdown, render

SITE = "/srv/ald/.venv/lib/python3.10/site-packages"
ROOTS = 'process 101:"/srv/ald/venv/bin/python -m rasa run";_run_once (asyncio/base_events.py:1909)'
GRAPH = "__call__ (rasa/engine/graph.py:503)"


def stack(*frames: str, count: int = 1, root: str = ROOTS) -> str:
    return ";".join([root, *frames]) + f" {count}"


def by_category(rows: list[profile.Row]) -> dict[str, int]:
    return {r.category: r.samples for r in rows}


def test_a_spacy_leaf_under_the_tokenizer_goes_to_the_tokenizer() -> None:
    text = stack(
        GRAPH,
        "process (rasa/nlu/tokenizers/tokenizer.py:160)",
        "tokenize (components/tokenizer.py:50)",
        "__call__ (spacy/tokenizer.pyx:1)",
        count=7,
    )
    assert by_category(breakdown(text, RASA_RULES)) == {"NLU: FrenchTokenizer (spaCy's rules)": 7}


def test_each_sample_goes_to_the_component_nearest_the_leaf() -> None:
    text = "\n".join(
        [
            # spaCy under the tokenizer's base class: the tokenizer.
            stack(
                GRAPH,
                "process (rasa/nlu/tokenizers/tokenizer.py:160)",
                "tokenize (components/tokenizer.py:50)",
            ),
            # crfsuite under the CRF, under the graph runner: the CRF.
            stack(
                GRAPH,
                "process (rasa/nlu/extractors/crf_entity_extractor.py:300)",
                "predict_single (sklearn_crfsuite/estimator.py:1)",
            ),
            stack(
                GRAPH,
                "process (components/faq_selector.py:123)",
                "predict_proba (sklearn/linear_model/_base.py:1)",
            ),
            stack(GRAPH, "process (components/dates.py:40)", "parse (dateparser/date.py:1)"),
            stack(GRAPH, "_execute (rasa/engine/graph.py:520)"),
        ]
    )
    assert by_category(breakdown(text, RASA_RULES)) == {
        "NLU: FrenchTokenizer (spaCy's rules)": 1,
        "NLU: CRFEntityExtractor (entities)": 1,
        "NLU: FaqSelector": 1,
        "NLU: FrenchDateExtractor (dateparser)": 1,
        "graph runner (rasa/engine/)": 1,
    }


def test_jsonschema_under_remote_action_goes_to_the_response_check() -> None:
    run = "run (rasa/core/actions/action.py:790)"
    text = "\n".join(
        [
            stack(
                run,
                "_validate_action_result (rasa/core/actions/action.py:704)",
                "validate (jsonschema/validators.py:1100)",
                count=40,
            ),
            stack(
                run,
                "is_valid (components/action_response.py:50)",
                "iter_errors (jsonschema/validators.py:200)",
                count=2,
            ),
            stack(run, "_validate_action_result (components/speedups.py:70)", count=1),
            stack(run, "ResponseChecker.is_valid (components/speedups.py:50)", count=1),
            stack(run, "request (rasa/utils/endpoints.py:170)", "_request (aiohttp/client.py:500)", count=5),
            stack(
                run,
                "current_state (rasa/shared/core/trackers.py:240)",
                "as_dict (rasa/shared/core/events.py:500)",
                count=3,
            ),
            stack(run, count=1),
        ]
    )
    assert by_category(breakdown(text, RASA_RULES)) == {
        "action response check (jsonschema)": 44,
        "action server call (request, aiohttp)": 6,  # the request and RemoteAction.run's own line
        "JSON of trackers and events (action server requests, tracker store rows)": 3,
    }


def test_memoization_helpers_go_to_the_policy_that_called_them() -> None:
    text = "\n".join(
        [
            stack(
                "predict_action_probabilities (rasa/core/policies/rule_policy.py:1110)",
                "_create_feature_key (rasa/core/policies/memoization.py:150)",
            ),
            stack(
                "predict_action_probabilities (rasa/core/policies/memoization.py:250)",
                "recall (rasa/core/policies/memoization.py:200)",
            ),
            stack(
                "predict_action_probabilities (rasa/core/policies/ted_policy.py:900)",
                "_prediction_states (rasa/core/policies/policy.py:300)",
            ),
        ]
    )
    assert by_category(breakdown(text, RASA_RULES)) == {
        "policy: RulePolicy": 1,
        "policy: MemoizationPolicy": 1,
        "policy: TEDPolicy": 1,
    }


def test_input_guard_and_confidence_gate_are_told_apart_in_one_file() -> None:
    input_guard = profile._class_lines(profile._GUARD, "InputGuard")
    gate = profile._class_lines(profile._GUARD, "ConfidenceGate")
    assert input_guard and gate
    text = "\n".join(
        [
            stack(GRAPH, f"process (components/guard.py:{input_guard[0] + 1})", count=2),
            stack(GRAPH, f"process (components/guard.py:{gate[0] + 1})", count=3),
            stack(
                GRAPH,
                f"process (components/guard.py:{gate[0] + 1})",
                "_decide (components/guard.py:9999)",
                count=4,
            ),
            # Python 3.11+ names the class.
            stack(GRAPH, "InputGuard.process (components/guard.py:1)", count=5),
        ]
    )
    assert by_category(breakdown(text, RASA_RULES)) == {"NLU: InputGuard": 7, "NLU: ConfidenceGate": 7}


def test_unknown_frames_go_to_other_and_shares_add_up() -> None:
    text = "\n".join(
        [
            stack("_handle_events (uvicorn/x.py:1)", count=6),
            stack("save (rasa/core/tracker_store.py:1300)", "execute (sqlalchemy/engine/base.py:1)", count=3),
            stack("acquire (components/lock_store.py:60)", count=1),
            "not a line of py-spy",
            "",
        ]
    )
    rows = breakdown(text, RASA_RULES)
    assert [r.category for r in rows] == [
        OTHER,
        "tracker store (SQLAlchemy, SQLite / PostgreSQL)",
        "lock store",
    ]
    assert sum(r.samples for r in rows) == 10
    assert sum(r.share for r in rows) == pytest.approx(100.0)
    assert rows[0].share == pytest.approx(60.0)
    assert breakdown("", RASA_RULES) == []


def test_absolute_site_packages_paths_work() -> None:
    text = "\n".join(
        [
            stack(
                f"process ({SITE}/rasa/nlu/extractors/crf_entity_extractor.py:280)",
                f"tag ({SITE}/sklearn_crfsuite/estimator.py:1)",
                count=2,
            ),
            stack(f"save ({SITE}/sqlalchemy/orm/session.py:1)", count=3),
            stack("process (/srv/ald/components/sentence_encoder.py:80)", count=4),
        ]
    )
    assert by_category(breakdown(text, RASA_RULES)) == {
        "NLU: CRFEntityExtractor (entities)": 2,
        "tracker store (SQLAlchemy, SQLite / PostgreSQL)": 3,
        "NLU: SentenceEncoderFeaturizer (USE)": 4,
    }


def test_action_server_rules_give_a_row_per_action_module() -> None:
    root = 'process 202:"python -m rasa_sdk";handle_request (sanic/app.py:900)'
    root += ";webhook (rasa_sdk/endpoint.py:110)"
    run = "run (rasa_sdk/executor.py:400)"
    text = "\n".join(
        [
            stack(run, "run (actions/faq.py:50)", "answer (ald/faq_answers.py:20)", count=5, root=root),
            stack(run, "run (/srv/ald/actions/memory.py:30)", count=2, root=root),
            stack(
                run,
                "run (actions/dates.py:10)",
                "parse (ald/dates.py:99)",
                "get_date_data (dateparser/date.py:1)",
                count=4,
                root=root,
            ),
            stack(
                run,
                "run (actions/faq.py:50)",
                "load (ald/content.py:12)",
                "load (yaml/__init__.py:81)",
                count=1,
                root=root,
            ),
            stack(run, "from_dict (rasa_sdk/interfaces.py:60)", count=3, root=root),
            stack(count=6, root=root),
        ]
    )
    assert by_category(breakdown(text, ACTIONS_RULES)) == {
        "actions/faq.py": 5,
        "actions/memory.py": 2,
        "date parsing (dateparser, ald/dates.py)": 4,
        "content loading (ald/content.py, YAML)": 1,
        "tracker and events (de)serialisation (rasa_sdk, JSON)": 3,
        "HTTP server (Sanic, rasa_sdk endpoint)": 6,
    }


def test_render_is_a_markdown_table_with_the_total() -> None:
    rows = breakdown(
        stack("_handle_events (uvicorn/x.py:1)", count=150) + "\n" + stack("load (yaml/a.py:1)", count=50),
        ACTIONS_RULES,
    )
    text = render(rows, "Action server", rate=50)
    assert text.splitlines()[:5] == [
        "#### Action server",
        "",
        "| category | share of CPU samples | samples |",
        "|---|---:|---:|",
        f"| {OTHER} | 75.0 % | 150 |",
    ]
    assert "200 samples of running threads at 50 Hz (about 4.0 s of CPU)" in text


def test_record_without_py_spy_gives_a_reason(tmp_path: Path) -> None:
    reason = profile.record(os.getpid(), 1, tmp_path / "p.txt", binary=str(tmp_path / "no-py-spy"))
    assert reason and "py-spy is not installed" in reason


def test_record_of_a_dead_process_gives_a_reason(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    reason = profile.record(child.pid, 1, tmp_path / "p.txt", binary=sys.executable)
    assert reason == f"process {child.pid} is not running"


def test_a_failing_py_spy_gives_its_error_line(tmp_path: Path) -> None:
    fake = tmp_path / "py-spy"
    fake.write_text(
        "#!/bin/sh\necho 'Error: Failed to find python version from target process' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    rec = profile.start(os.getpid(), 1, tmp_path / "p.txt", binary=str(fake))
    assert profile.finish(rec) == "py-spy failed: Failed to find python version from target process"
    fake.write_text("#!/bin/sh\necho 'Permission denied (os error 13)' >&2\nexit 1\n")
    assert "ptrace not permitted" in (
        profile.record(os.getpid(), 1, tmp_path / "p.txt", binary=str(fake)) or ""
    )


def test_a_command_line_over_several_lines_is_one_stack() -> None:
    text = 'process 7:"python -c import json\nwhile True:\n    json.dumps(1)\n";<module> (<string>:3) 19\n'
    text += stack("_handle_events (uvicorn/x.py:1)", count=1)
    assert sum(r.samples for r in breakdown(text, RASA_RULES)) == 20


def test_real_py_spy_on_a_busy_python(tmp_path: Path) -> None:
    """py-spy itself on a busy actions/<module>.py, when it is installed and may attach here
    (else skipped, with the reason)."""
    if profile.py_spy_binary() is None:
        pytest.skip("py-spy is not installed")
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "__init__.py").write_text("")
    (tmp_path / "actions" / "busy.py").write_text(
        "import time\n\n\ndef work():\n    return sum(i * i for i in range(2000))\n\n\n"
        "end = time.time() + 20\nwhile time.time() < end:\n    work()\n"
    )
    busy = subprocess.Popen([sys.executable, "-m", "actions.busy"], cwd=tmp_path)
    try:
        time.sleep(0.5)
        reason = profile.record(busy.pid, 2, tmp_path / "p.txt", rate=50)
        if reason:
            pytest.skip(f"py-spy could not profile here: {reason}")
        rows = breakdown((tmp_path / "p.txt").read_text(), ACTIONS_RULES)
    finally:
        busy.kill()
        busy.wait()
    assert sum(r.samples for r in rows) >= 50  # 2 s at 50 Hz, ~100 expected
    assert rows[0].category == "actions/busy.py"


def test_a_server_waiting_in_its_event_loop_is_left_out() -> None:
    text = (
        "main (rasa/__main__.py:133);run (sanic/app.py:1204);serve (sanic/server/runners.py:155) 90\n"
        "main (rasa/__main__.py:133);run (sanic/app.py:1204);serve (sanic/server/runners.py:155);"
        "webhook (rasa_sdk/endpoint.py:102);run (actions/faq.py:153) 10\n"
    )
    rows = profile.breakdown(text, profile.ACTIONS_RULES)
    assert [(r.category, r.samples) for r in rows] == [("actions/faq.py", 10)]
    assert profile.idle_samples(text) == 90
    assert "90 samples waiting in the event loop left out" in profile.render(rows, "t", idle=90)
