"""`make evaluate`: runs Rasa's own evaluations and writes the summary page docs/evaluation.md.

Steps (each one's log in results/<step>.log, its reports in results/<step>/):
  nlu-test  rasa test nlu on the held-out set tests/nlu with the model (settings: MODEL)
  user-view tools/user_view.py: what a user would get, fallback included, on tests/nlu
  calibration tools/calibrate.py: the fallback gates replayed on tests/nlu-calibration (the
            chosen ones, and their curve, copied to docs/img/evaluation/gates.png)
  nlu-cv    rasa test nlu --cross-validation --folds 5 on data/ (config: results/config-cv.yml)
  stories   rasa test core on the conversation tests tests/stories
  multiturn tools/multiturn.py: the scripted conversations of tests/conversations (dev and
            held-out) over the REST channel of servers it starts, today pinned
  validate  rasa data validate
  content   pytest tests/content/test_content.py (the project's content checks)
Then copies the key pictures to docs/img/evaluation/ and rewrites docs/evaluation.md.

Usage: python -m tools.evaluate [--no-cv] [--cv-epochs N] [--only STEP ...]
(from the project's root, with the venv's python; `make evaluate` runs it)
Exits 1 when a step crashed (no report); failing stories or tests are reported, not fatal."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import warnings
from datetime import datetime
from typing import Dict, List

import yaml

from ald import settings
from tools import eval_summary as es
from tools import machine_info as machine

ROOT = settings.ROOT
RESULTS = settings.path("RESULTS_DIR")
IMG = ROOT / "docs" / "img" / "evaluation"
DOC = ROOT / "docs" / "evaluation.md"
FOLDS = 5
STEPS = ("nlu-test", "user-view", "calibration", "nlu-cv", "stories", "multiturn", "validate", "content")
NEED_MODEL = {"nlu-test", "user-view", "calibration", "stories", "multiturn"}  # evaluate the trained model
OWN_FOLDER = NEED_MODEL | {"nlu-cv"}  # write results/<step>/

# results/<folder>/<Rasa's file> -> (docs/img/evaluation/<name>, caption)
PICTURES: Dict[str, Dict[str, tuple]] = {
    "calibration": {
        "gates.png": ("gates.png", "Right / fallback / wrong against each gate (calibration set)")
    },
    "nlu-test": {
        "intent_confusion_matrix.png": (
            "heldout-intent-confusion.png",
            "Held-out set: intent confusion matrix",
        ),
        "intent_histogram.png": ("heldout-intent-histogram.png", "Held-out set: intent confidence histogram"),
        "response_selection_confusion_matrix.png": (
            "heldout-faq-confusion.png",
            "Held-out set: FAQ answer confusion matrix",
        ),
        "response_selection_histogram.png": (
            "heldout-faq-histogram.png",
            "Held-out set: FAQ answer confidence histogram",
        ),
        "CRFEntityExtractor_confusion_matrix.png": (
            "heldout-entities-confusion.png",
            "Held-out set: entity confusion matrix (CRFEntityExtractor)",
        ),
    },
    "nlu-cv": {
        "intent_confusion_matrix.png": (
            "cv-intent-confusion.png",
            "Cross-validation: intent confusion matrix",
        ),
        "intent_histogram.png": ("cv-intent-histogram.png", "Cross-validation: intent confidence histogram"),
        "response_selection_histogram.png": (
            "cv-faq-histogram.png",
            "Cross-validation: FAQ answer confidence histogram",
        ),
    },
    "stories": {
        "story_confusion_matrix.png": (
            "stories-action-confusion.png",
            "Conversation tests: action confusion matrix",
        ),
    },
}


def cv_config(config: Dict, epochs: int | None) -> Dict:
    """The NLU part of config.yml for cross-validation; `epochs` (if given) replaces the epochs
    of every component that has some, to keep 5 trainings within minutes on 2 cores."""
    out = {k: v for k, v in config.items() if k != "policies"}
    pipeline = []
    for comp in config["pipeline"]:
        comp = dict(comp)
        if epochs is not None and "epochs" in comp:
            comp["epochs"] = epochs
        pipeline.append(comp)
    out["pipeline"] = pipeline
    return out


def run(step: str, args: List[str], env: Dict[str, str]) -> tuple[int, float]:
    log = RESULTS / f"{step}.log"
    print(f"==> {step}: {' '.join(a.replace(str(ROOT) + '/', '') for a in args)}", flush=True)
    t0 = time.monotonic()
    with open(log, "wb") as fh:
        rc = subprocess.call(args, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    dt = time.monotonic() - t0
    print(f"    exit {rc} in {dt:.0f} s (log: results/{step}.log)", flush=True)
    return rc, dt


def label_counts(path: str) -> Dict[str, int]:
    """Examples per intent, FAQ examples counted per topic (`faq/<topic>`), read by Rasa."""
    from rasa.shared.importers.importer import TrainingDataImporter

    with warnings.catch_warnings():  # about the stories in data/, checked by `validate`
        warnings.simplefilter("ignore")
        td = TrainingDataImporter.load_from_dict(training_data_paths=[path]).get_nlu_data()
    counts = {k: v for k, v in td.number_of_examples_per_intent.items() if k not in td.retrieval_intents}
    counts.update(td.number_of_examples_per_response)
    return counts


def copy_pictures() -> Dict[str, Dict[str, str]]:
    """Copies the pictures present to docs/img/evaluation/ (stale ones are removed first);
    returns {folder: {caption: path relative to docs/}}."""
    if IMG.exists():
        shutil.rmtree(IMG)
    IMG.mkdir(parents=True)
    rel: Dict[str, Dict[str, str]] = {}
    for folder, pics in PICTURES.items():
        for src, (dst, caption) in pics.items():
            p = RESULTS / folder / src
            if p.exists():
                shutil.copyfile(p, IMG / dst)
                rel.setdefault(folder, {})[caption] = f"img/evaluation/{dst}"
    return rel


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    ap.add_argument(
        "--cv-epochs",
        type=int,
        default=int(settings.get("CV_EPOCHS") or 0) or None,
        help="epochs of DIET during cross-validation " "(default: those of config.yml; env CV_EPOCHS)",
    )
    ap.add_argument("--only", nargs="+", choices=STEPS)
    a = ap.parse_args()

    steps = a.only or list(STEPS)
    if a.no_cv and "nlu-cv" in steps:
        steps.remove("nlu-cv")
    env = dict(os.environ, **settings.PROCESS_ENV)
    RESULTS.mkdir(exist_ok=True)
    model, domain, data = settings.get("MODEL"), settings.get("DOMAIN"), settings.get("DATA")
    if not settings.path("MODEL").exists() and NEED_MODEL & set(steps):
        print(f"ERROR: {model} is missing: run `make train` first.", file=sys.stderr)
        return 1

    config = yaml.safe_load(settings.path("CONFIG").read_text(encoding="utf-8"))
    (RESULTS / "config-cv.yml").write_text(
        yaml.safe_dump(cv_config(config, a.cv_epochs), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )

    rasa, py, res = str(settings.path("RASA_BIN")), str(settings.path("PYTHON_BIN")), str(RESULTS)
    commands = {
        "nlu-test": [
            rasa,
            "test",
            "nlu",
            "--model",
            model,
            "--domain",
            domain,
            "--nlu",
            "tests/nlu",
            "--out",
            f"{res}/nlu-test",
        ],
        "user-view": [py, "-m", "tools.user_view", model, "tests/nlu", f"{res}/user-view/records.json"],
        "calibration": [py, "-m", "tools.calibrate", "--model", model],
        "nlu-cv": [
            rasa,
            "test",
            "nlu",
            "--nlu",
            data,
            "--domain",
            domain,
            "--cross-validation",
            "--folds",
            str(FOLDS),
            "--config",
            f"{res}/config-cv.yml",
            "--out",
            f"{res}/nlu-cv",
        ],
        "stories": [
            rasa,
            "test",
            "core",
            "--model",
            model,
            "--stories",
            "tests/stories",
            "--out",
            f"{res}/stories",
        ],
        "multiturn": [
            py,
            "-m",
            "tools.multiturn",
            "--set",
            "all",
            "--serve",
            f"{res}/multiturn/logs",
            "--json",
            f"{res}/multiturn/report.json",
        ],
        "validate": [
            rasa,
            "data",
            "validate",
            "--domain",
            domain,
            "--data",
            data,
            "--config",
            settings.get("CONFIG"),
            "--max-history",
            "5",
        ],
        "content": [
            py,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/content/test_content.py",
            "--junitxml",
            f"{res}/content.xml",
        ],
    }
    load_before = machine.load_average()
    started = datetime.now().astimezone()
    durations: Dict[str, float] = {}
    crashed: List[str] = []
    for step in steps:
        out = RESULTS / step
        if step in OWN_FOLDER and out.exists():
            shutil.rmtree(out)
        if step == "content":
            (RESULTS / "content.xml").unlink(missing_ok=True)
        rc, durations[step] = run(step, commands[step], env)
        # pytest: 1 = some tests failed (reported); validate: 1 = errors found (reported).
        if rc != 0 and not (step in ("content", "validate") and rc == 1):
            crashed.append(step)
    load_after = machine.load_average()

    cv_note = (
        f"Cross-validation used `config.yml` with the epochs of DIET (entities) "
        f"lowered to {a.cv_epochs} (to fit in about 10 minutes on 2 cores): "
        f"its figures are a little lower than the real model's would be."
        if a.cv_epochs
        else "Cross-validation used `config.yml` unchanged."
    )
    cv_note += f" Rasa leaves out of the cross-validation the intents with fewer than {FOLDS} " f"examples."
    info = es.RunInfo(
        date=started.strftime("%Y-%m-%d %H:%M %Z"),
        commit=machine.git_commit(ROOT),
        command="make evaluate"
        + ("" if steps == list(STEPS) else f"  (python -m tools.evaluate --only {' '.join(steps)})"),
        machine=machine.describe(),
        cv_note=cv_note,
        durations=durations,
        under_load=machine.load_note(load_before, load_after),
    )
    text = es.render(info, RESULTS, copy_pictures(), label_counts(data), label_counts("tests/nlu"))
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"==> wrote {DOC.relative_to(ROOT)} and {IMG.relative_to(ROOT)}/")
    if crashed:
        print(
            f"ERROR: these steps crashed (see their logs in results/): {', '.join(crashed)}", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
