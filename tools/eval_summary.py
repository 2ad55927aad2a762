"""Reads what `rasa test`, `rasa data validate` and pytest wrote under results/ and renders the
summary page docs/evaluation.md. Pure functions on files and strings (tested in
tests/tools/test_bench_tools.py); tools/evaluate.py runs the commands and calls `render`."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from ald import settings

ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\(B|\x1b\(0")


@dataclass(frozen=True)
class Scores:
    """The headline figures of one Rasa classification report (sklearn's, as JSON)."""

    accuracy: float
    macro_f1: float
    weighted_f1: float
    support: int


def scores(report: Dict[str, Any]) -> Scores:
    """Accuracy, macro-F1 and weighted F1 of a Rasa `*_report.json`.

    Rasa completes sklearn's report so that it always has "accuracy" and "micro avg"
    (rasa.model_testing.make_classification_report_complete)."""
    acc = report.get("accuracy")
    if acc is None:
        acc = report["micro avg"]["f1-score"]
    return Scores(
        accuracy=float(acc),
        macro_f1=float(report["macro avg"]["f1-score"]),
        weighted_f1=float(report["weighted avg"]["f1-score"]),
        support=int(report["macro avg"]["support"]),
    )


def weakest_labels(report: Dict[str, Any], n: int = 5) -> List[Tuple[str, float, int]]:
    """The `n` labels with the lowest F1 (label, f1, support), lowest first."""
    skip = {"accuracy", "macro avg", "weighted avg", "micro avg"}
    rows = [
        (k, float(v["f1-score"]), int(v["support"]))
        for k, v in report.items()
        if k not in skip and isinstance(v, dict) and v.get("support")
    ]
    return sorted(rows, key=lambda r: (r[1], -r[2], r[0]))[:n]


def confused_pairs(
    errors: Sequence[Dict[str, Any]],
    n: int = 10,
    target_key: str = "intent",
    prediction_key: str = "intent_prediction",
) -> List[Tuple[str, str, int]]:
    """The `n` most frequent (expected, predicted) pairs in a Rasa `*_errors.json`.

    Intent errors: {"intent": ..., "intent_prediction": {"name": ...}}; response selection
    errors: {"intent_response_key_target": ..., "intent_response_key_prediction": {...}}."""
    counts: Counter = Counter()
    for e in errors:
        predicted = (e.get(prediction_key) or {}).get("name")
        expected = e.get(target_key)
        if expected != predicted:
            counts[(str(expected), str(predicted))] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(a, b, c) for (a, b), c in ranked[:n]]


@dataclass
class StoryResults:
    correct: int
    total: int
    failed: List[str] = field(default_factory=list)


def story_results(report: Dict[str, Any], failed_stories_yml: str) -> StoryResults:
    """Pass count from `story_report.json` and the names of the stories in
    `failed_test_stories.yml` (Rasa writes a comment only when none failed)."""
    conv = report.get("conversation_accuracy") or {}
    doc = yaml.safe_load(failed_stories_yml) or {}
    failed = [s.get("story", "?") for s in (doc.get("stories") or [])]
    total = int(conv.get("total", len(failed)))
    correct = int(conv.get("correct", total - len(failed)))
    return StoryResults(correct=correct, total=total, failed=failed)


@dataclass
class Validation:
    warnings: Dict[str, List[str]]  # message ('…' for quoted names) -> those names, if any
    errors: List[str]
    info: List[str]  # rasa.validator's own conclusions (e.g. no conflicts)


def validation_summary(output: str) -> Validation:
    """Groups the warnings printed by `rasa data validate` by message, with the names (the
    quoted parts) they concern; keeps its ERROR lines and its conclusions."""
    text = ANSI.sub("", output)
    warnings: Dict[str, List[str]] = {}
    errors: List[str] = []
    info: List[str] = []
    for line in text.splitlines():
        m = re.search(r"UserWarning: (.*)", line)
        if m and "rasa" in line[: m.start()]:
            msg = m.group(1).strip()
            names = re.findall(r"'([^']+)'", msg)
            template = re.sub(r"'[^']+'", "'…'", msg)
            warnings.setdefault(template, []).extend(names)
            continue
        m = re.search(r"\b(ERROR|WARNING)\s+rasa\.\S+\s+-\s+(.*)", line)
        if m and m.group(1) == "ERROR":
            errors.append(m.group(2).strip())
            continue
        if m:
            msg = m.group(2).strip()
            warnings.setdefault(re.sub(r"'[^']+'", "'…'", msg), []).extend(re.findall(r"'([^']+)'", msg))
            continue
        m = re.search(r"INFO\s+rasa\.validator\s+-\s+(.*)", line)
        if m and not m.group(1).startswith("Validating") and "validation..." not in m.group(1):
            info.append(m.group(1).strip())
    return Validation(warnings=warnings, errors=errors, info=info)


@dataclass
class PytestResult:
    tests: int
    failures: int
    errors: int
    skipped: int
    failed: List[Tuple[str, str]]  # (test name, first line of the message)


def junit_summary(xml_text: str) -> PytestResult:
    """Counts and failed test names from a pytest `--junitxml` file."""
    root = ET.fromstring(xml_text)
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = failures = errors = skipped = 0
    failed: List[Tuple[str, str]] = []
    for s in suites:
        tests += int(s.get("tests", 0))
        failures += int(s.get("failures", 0))
        errors += int(s.get("errors", 0))
        skipped += int(s.get("skipped", 0))
        for case in s.iter("testcase"):
            for tag in ("failure", "error"):
                bad = case.find(tag)
                if bad is not None:
                    msg = (bad.get("message") or "").strip().splitlines()
                    failed.append((case.get("name", "?"), msg[0][:200] if msg else tag))
    return PytestResult(tests, failures, errors, skipped, failed)


# ---------------------------------------------------------------------------- rendering


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def scores_row(name: str, s: Optional[Scores]) -> str:
    if s is None:
        return f"| {name} | – | – | – | – |"
    return f"| {name} | {_pct(s.macro_f1)} | {_pct(s.accuracy)} | {_pct(s.weighted_f1)} | {s.support} |"


def pairs_table(pairs: Sequence[Tuple[str, str, int]]) -> List[str]:
    if not pairs:
        return ["No confusion: every example was predicted right."]
    lines = ["| # | expected | predicted instead | times |", "|---|---|---|---|"]
    lines += [f"| {i} | `{a}` | `{b}` | {c} |" for i, (a, b, c) in enumerate(pairs, 1)]
    return lines


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _entity_reports(folder: Path) -> Dict[str, Dict[str, Any]]:
    """Entity reports are named after their extractor: CRFEntityExtractor_report.json, ..."""
    skip = {"intent_report.json", "response_selection_report.json"}
    return {
        p.name[: -len("_report.json")]: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*_report.json"))
        if p.name not in skip
    }


def nlu_section(title: str, folder: Path, img: Dict[str, str]) -> List[str]:
    """Tables and pictures for one `rasa test nlu` output folder."""
    out = [f"### {title}", ""]
    intent = _read_json(folder / "intent_report.json")
    rs = _read_json(folder / "response_selection_report.json")
    ents = _entity_reports(folder)
    if intent is None and not folder.exists():
        return out + ["Not run in this evaluation (`--no-cv` or `--only`).", ""]
    if intent is None:
        return out + [f"No report in `{folder}`: the run failed (see its log in results/).", ""]
    out += ["| what | macro-F1 | accuracy | weighted F1 | examples |", "|---|---|---|---|---|"]
    out.append(scores_row("intents", scores(intent)))
    out.append(scores_row("FAQ answer (`faq/*`)", scores(rs) if rs else None))
    for name, rep in ents.items():
        if rep:
            out.append(scores_row(f"entities ({name})¹", scores(rep)))
    out.append("")
    if ents:
        out += [
            "¹ Entities are scored per token by Rasa: accuracy counts the tokens outside any "
            "entity too, macro/weighted F1 only the entity labels.",
            "",
        ]
    out += ["**10 most confused intent pairs** (from `intent_errors.json`):", ""]
    out += pairs_table(confused_pairs(_read_json(folder / "intent_errors.json") or []))
    out.append("")
    if rs:
        rs_pairs = confused_pairs(
            _read_json(folder / "response_selection_errors.json") or [],
            5,
            "intent_response_key_target",
            "intent_response_key_prediction",
        )
        out += ["**Most confused FAQ answers** (from `response_selection_errors.json`):", ""]
        out += pairs_table(rs_pairs)
        out.append("")
    weak = weakest_labels(intent)
    if weak:
        out += [
            "Weakest intents (F1, examples): "
            + ", ".join(f"`{k}` {_pct(f)} ({n})" for k, f, n in weak)
            + ".",
            "",
        ]
    for alt, path in img.items():
        out += [f"![{alt}]({path})", ""]
    return out


@dataclass
class UserView:
    total: int
    right: int  # answered, with the right intent (and the right FAQ topic)
    fallback: int  # "I did not understand" + the closest topics as buttons
    fallback_button: int  # ... of which a button holds the right FAQ topic
    wrong: int  # answered, but not what was asked


FALLBACK = "nlu_fallback"


def answered_right(record: Dict[str, Any]) -> bool:
    """The user got an answer, with the right intent (and the right FAQ topic)."""
    return record["predicted"] == record["intent"] and (
        not record.get("topic") or record.get("predicted_topic") == record["topic"]
    )


def user_view(records: Sequence[Dict[str, Any]], faq_only: bool = False) -> UserView:
    """Counts what the user got, from tools/user_view.py's records."""
    rows = [r for r in records if not faq_only or r.get("topic")]
    fallbacks = [r for r in rows if r["predicted"] == FALLBACK]
    right = sum(1 for r in rows if answered_right(r))
    with_button = sum(1 for r in fallbacks if r.get("topic") in (r.get("buttons") or []))
    return UserView(len(rows), right, len(fallbacks), with_button, len(rows) - right - len(fallbacks))


def calibration_section(folder: Path) -> List[str]:
    """The gates chosen on the calibration set, from results/calibration/gates.json."""
    out = ["### Fallback gates (calibration set `tests/nlu-calibration/`)", ""]
    report = _read_json(folder / "gates.json")
    if report is None:
        return out + ["Not run (step `calibration`).", ""]
    g, o, n = report["gates"], report["outcome"], report["no_gate"]
    out += [
        "The gates are chosen on messages written apart from the training data and from the",
        "held-out set, never trained on: the most right answers at once with at most 2 % wrong",
        "(`python -m tools.calibrate --apply` writes them into config.yml).",
        "",
        f"- FallbackClassifier: threshold {g['threshold']:.2f}, ambiguity_threshold "
        f"{g['ambiguity_threshold']:.2f}; ConfidenceGate: faq_threshold {g['faq_threshold']:.2f}, "
        f"faq_margin {g['faq_margin']:.2f}.",
        f"- On the {o['total']} calibration messages: right at once {_pct(o['right'] / o['total'])}, "
        f"fallback {_pct(o['fallback'] / o['total'])}, wrong {_pct(o['wrong'] / o['total'])} "
        f"(without any gate: right {_pct(n['right'] / n['total'])}, wrong {_pct(n['wrong'] / n['total'])}).",
        "",
        "![Right / fallback / wrong against each gate](img/evaluation/gates.png)",
        "",
    ]
    return out


def user_view_section(folder: Path) -> List[str]:
    """The table "what a new user gets" from results/user-view/records.json."""
    out = ["### What a new user gets (held-out set, whole pipeline)", ""]
    records = _read_json(folder / "records.json")
    if records is None:
        return out + ["Not run (step `user-view`).", ""]
    out += [
        "The same held-out messages, through the whole NLU pipeline with the fallback and the",
        "FAQ confidence gate: the answer the user would see.",
        "",
        "| messages | right answer | fallback (of which the buttons hold the right topic) "
        "| wrong answer |",
        "|---|---|---|---|",
    ]
    for label, v in (("all", user_view(records)), ("FAQ questions", user_view(records, True))):
        if v.total:
            button = f" ({v.fallback_button})" if label != "all" else ""
            out.append(
                f"| {label}: {v.total} | {_pct(v.right / v.total)} | "
                f"{_pct(v.fallback / v.total)}{button} | {_pct(v.wrong / v.total)} |"
            )
    wrong = [r for r in records if r["predicted"] != FALLBACK and not answered_right(r)]
    if wrong:
        out += ["", "Wrong answers:", ""]
        out += [
            f"- « {r['text']} »: expected `{r.get('topic') or r['intent']}`, got "
            f"`{r.get('predicted_topic') if r['predicted'] == 'faq' else r['predicted']}`"
            for r in wrong
        ]
    return out + [""]


@dataclass
class RunInfo:
    date: str
    commit: str
    command: str
    machine: str
    cv_note: str
    durations: Dict[str, float]
    under_load: str


def multiturn_section(folder: Path) -> List[str]:
    """The scripted conversations of tests/conversations, scored over the REST channel: the
    share of conversations whose every checked turn got a right reply, per set. Only the
    scores are written here: the held-out set's sentences stay out of sight of whoever tunes
    the assistant."""
    L = ["## Multi-turn conversations (`tests/conversations/`)", ""]
    report = _read_json(folder / "report.json")
    if report is None:
        return L + ["No report: the step did not run or failed (see `results/multiturn.log`).", ""]
    L += [
        "Scripted conversations of 2 to 5 turns (the situation told first, corrections, answers in",
        "the user's own words, cancel, digressions, bad dates, disease names as people write them),",
        f"sent over the REST channel with today pinned to {report.get('today')}. A conversation is",
        "right when every checked reply is. `heldout` is never tuned on.",
        "",
        "| set | conversations right | turns right |",
        "|---|---|---|",
    ]
    for name, sc in (report.get("scores") or {}).items():
        right, total = sc["conversations_right"], sc["conversations"]
        convs, turns = f"{right} / {total}", f"{sc['turns_right']} / {sc['turns']}"
        share = f" ({_pct(right / total)})" if total else ""
        L.append(f"| {name} | {convs}{share} | {turns} |")
    L.append("")
    return L


def render(
    info: RunInfo,
    results: Path,
    img_rel: Dict[str, Dict[str, str]],
    example_counts: Dict[str, int],
    held_out_counts: Dict[str, int],
) -> str:
    """The whole of docs/evaluation.md."""
    model = settings.get("MODEL")
    L: List[str] = [
        "# Evaluation",
        "",
        "How well the assistant understands and follows conversations, measured by `make evaluate`",
        "(`tools/evaluate.py`). This page is **rewritten by each run**; the full reports stay in",
        "`results/` (not committed). Compare a change by running `make evaluate` before and after it.",
        "",
        f"- **Date**: {info.date}",
        f"- **Commit**: `{info.commit}`",
        f"- **Command**: `{info.command}`",
        f"- **Machine**: {info.machine}",
        f"- **Load**: {info.under_load}",
        "- **Durations**: " + ", ".join(f"{k} {v:.0f} s" for k, v in info.durations.items()),
        "",
        "## What is measured",
        "",
        "| step | command | output |",
        "|---|---|---|",
        f"| held-out NLU test | `rasa test nlu --model {model} --nlu tests/nlu` | `results/nlu-test/` |",
        "| 5-fold cross-validation | `rasa test nlu --nlu data --cross-validation --folds 5 "
        "--config results/config-cv.yml` | `results/nlu-cv/` |",
        "| what a new user gets | `python -m tools.user_view` (whole NLU pipeline on `tests/nlu`) "
        "| `results/user-view/` |",
        "| fallback gates | `python -m tools.calibrate` (on `tests/nlu-calibration`, never trained on) "
        "| `results/calibration/`, `docs/img/evaluation/gates.png` |",
        f"| conversation tests | `rasa test core --model {model} --stories tests/stories` "
        "| `results/stories/` |",
        "| multi-turn conversations | `python -m tools.multiturn --set all --serve results/multiturn/logs` "
        "(REST, today pinned) | `results/multiturn/report.json` |",
        "| data checks | `rasa data validate --max-history 5` and `pytest tests/content/test_content.py` "
        "| `results/validate.log`, `results/content.xml` |",
        "",
        "The held-out set (`tests/nlu/`) holds messages never used for training (the content test",
        "checks it): it is the honest figure. Cross-validation trains 5 models on 4/5 of `data/` and",
        "tests each on the remaining fifth: it shows which intents are fragile.",
        f"{info.cv_note}",
        "",
        "Reading the tables: **macro-F1** averages the F1 of every label equally (a rare intent",
        "counts as much as a frequent one), **weighted F1** weights them by their number of",
        "examples, **accuracy** is the share of messages given the right label. The FAQ line scores",
        "the answer selector: which answer (`faq/<topic>`) was picked among the FAQ answers.",
        "During the test, Rasa undoes the fallback (`nlu_fallback`) to score the intent the model",
        "would have chosen.",
        "",
        "## NLU",
        "",
    ]
    L += nlu_section("Held-out test set (`tests/nlu/`)", results / "nlu-test", img_rel.get("nlu-test", {}))
    L += user_view_section(results / "user-view")
    L += calibration_section(results / "calibration")
    L += nlu_section("5-fold cross-validation on `data/`", results / "nlu-cv", img_rel.get("nlu-cv", {}))

    L += ["## Conversation tests (`tests/stories/`)", ""]
    sr = _read_json(results / "stories" / "story_report.json")
    failed_path = results / "stories" / "failed_test_stories.yml"
    if sr is None:
        L += ["No story report: the run failed (see `results/stories.log`).", ""]
    else:
        st = story_results(sr, failed_path.read_text(encoding="utf-8") if failed_path.exists() else "")
        L += [f"**{st.correct} / {st.total}** stories passed."]
        if sr.get("accuracy") is not None:
            L[-1] += f" Action-level accuracy: {_pct(float(sr['accuracy']))}."
        L.append("")
        if st.failed:
            L += [
                "Failed stories (details, with the wrong predictions marked `# predicted:`, in",
                "`results/stories/failed_test_stories.yml`):",
                "",
            ]
            L += [f"- {name}" for name in st.failed]
            L.append("")
        for alt, path in img_rel.get("stories", {}).items():
            L += [f"![{alt}]({path})", ""]

    L += multiturn_section(results / "multiturn")

    L += ["## Data checks", "", "### Examples per intent", ""]
    if example_counts:
        plain = {k: v for k, v in example_counts.items() if not k.startswith("faq/")}
        faq = {k: v for k, v in example_counts.items() if k.startswith("faq/")}
        for label, group in (("intents", plain), ("FAQ topics (`faq/*`)", faq)):
            if group:
                lo = sorted(group.items(), key=lambda kv: (kv[1], kv[0]))
                L.append(
                    f"- {label}: {len(group)}, training examples from {lo[0][1]} to "
                    f"{lo[-1][1]}; fewest: " + ", ".join(f"`{k}` {v}" for k, v in lo[:5])
                )
        missing = sorted(k for k in example_counts if k not in held_out_counts and k != "faq")
        n_held = sum(held_out_counts.values())
        L.append(
            f"- held-out set: {n_held} messages over {len(held_out_counts)} labels"
            + (
                f"; labels without held-out example: {', '.join(f'`{m}`' for m in missing)}"
                if missing
                else ""
            )
        )
        L.append("")
    val_log = results / "validate.log"
    L += ["### `rasa data validate`", ""]
    if val_log.exists():
        v = validation_summary(val_log.read_text(encoding="utf-8", errors="replace"))
        if not v.warnings and not v.errors:
            L.append("No warning, no error.")
        for msg, names in v.warnings.items():
            if not names:
                L.append(f"- warning: {msg}")
                continue
            shown = ", ".join(f"`{n}`" for n in names[:8]) + (" …" if len(names) > 8 else "")
            L.append(f"- warning ×{len(names)}: {msg} — {shown}")
        for e in v.errors:
            L.append(f"- **error**: {e}")
        for i in v.info:
            L.append(f"- {i}")
        L += [
            "",
            "Rasa's validator cannot see the responses that custom actions send (it reports",
            "them as unused): the project's content test below checks that every response is",
            "reachable from a rule, a story, a form or an action.",
            "",
        ]
    else:
        L += ["Not run.", ""]
    L += ["### Content test (`tests/content/test_content.py`)", ""]
    xml = results / "content.xml"
    if xml.exists():
        p = junit_summary(xml.read_text(encoding="utf-8"))
        ok = p.tests - p.failures - p.errors - p.skipped
        L.append(f"**{ok} / {p.tests}** passed" + (f", {p.skipped} skipped" if p.skipped else "") + ".")
        L.append("")
        L += [f"- `{name}`: {msg}" for name, msg in p.failed]
        if p.failed:
            L.append("")
    else:
        L += ["Not run.", ""]
    return "\n".join(L).rstrip() + "\n"
