"""An FAQ answer edited in content/faq/ is live at once, with no training: the training inputs
Rasa fingerprints (config, domain, NLU data, stories and rules) do not change, and action_faq
serves the new text at the next message. Shown on a copy of the project, as an editor would
change it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Dict

import pytest
import yaml

from actions.faq import ActionFaq
from ald import figures, settings

ROOT = settings.ROOT
TOPIC = "qui_redige"
NEW_TEXT = "Votre médecin traitant le remplit, en {fig_delai_decision} au plus. Source : ameli.fr"


def training_fingerprints(project: Path) -> Dict[str, str]:
    """What `rasa train` fingerprints to decide whether to retrain, for `project`'s config,
    domain and data (paths as the Makefile passes them)."""
    from rasa.shared.importers.importer import TrainingDataImporter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        importer = TrainingDataImporter.load_from_config(
            str(project / settings.get("CONFIG")),
            str(project / settings.get("DOMAIN")),
            [str(project / settings.get("DATA"))],
        )
        return {
            "config": repr(sorted(importer.get_config().items(), key=str)),
            "domain": importer.get_domain().fingerprint(),
            "nlu": importer.get_nlu_data().fingerprint(),
            "stories": importer.get_stories().fingerprint(),
        }


def answer_file(project: Path) -> Path:
    """The file of content/faq/ that holds TOPIC's answer."""
    files = sorted((project / "content" / "faq").glob("*.yml"))
    return next(p for p in files if f"\n  {TOPIC}:\n" in p.read_text(encoding="utf-8"))


def edit_answer(path: Path, text: str) -> None:
    """Replaces the text of TOPIC's answer in its file, leaving the rest of the file as it is."""
    source = path.read_text(encoding="utf-8")
    line = rf"(?m)^(  {TOPIC}:\n    text: ).*$"
    edited = re.sub(line, lambda m: m.group(1) + json.dumps(text, ensure_ascii=False), source)
    assert edited != source
    path.write_text(edited, encoding="utf-8")


def with_answer_in_data(data_file: Path, original: str, text: str) -> None:
    """`data_file` as it was before the answers moved out: its examples, then the answer."""
    block = {"responses": {f"utter_faq/{TOPIC}": [{"text": text}]}}
    data_file.write_text(original + "\n" + yaml.safe_dump(block, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of what training and the answers are made of."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / settings.get("CONFIG"), copy)
    for folder in (settings.get("DOMAIN"), settings.get("DATA"), "content"):
        shutil.copytree(ROOT / folder, copy / folder)
    return copy


async def test_an_answer_edit_needs_no_training_and_is_served_at_once(project, run, tracker, monkeypatch):
    monkeypatch.setenv("ALD_FAQ_ANSWERS", str(project / "content" / "faq"))
    message = tracker(
        text="qui s'occupe du protocole ?",
        intent="faq",
        parse_extra={"response_selector": {"faq": {"response": {"intent_response_key": f"faq/{TOPIC}"}}}},
    )
    before = await run(ActionFaq(), message)
    assert before.message["text"].startswith("C'est votre médecin traitant")
    trained_on = training_fingerprints(project)

    edit_answer(answer_file(project), NEW_TEXT)

    # (a) Nothing Rasa trains from changed: `rasa train` (and `make run`) has nothing to do.
    assert training_fingerprints(project) == trained_on
    # (b) The same action server process serves the new text, figures filled in.
    after = await run(ActionFaq(), message)
    assert after.message["text"] == NEW_TEXT.replace(
        "{fig_delai_decision}", figures.figure("delai_decision").value
    )
    assert after.message["buttons"] == before.message["buttons"]

    # The comparison is not blind: with the answer in the training data as before (a
    # `responses:` block in data/faq/), the same edit changes what the NLU and the domain are
    # trained from, hence a retraining.
    data_file = project / settings.get("DATA") / "faq" / answer_file(project).name
    original = data_file.read_text(encoding="utf-8")
    with_answer_in_data(data_file, original, before.message["text"])
    old_layout = training_fingerprints(project)
    with_answer_in_data(data_file, original, NEW_TEXT)
    old_layout_edited = training_fingerprints(project)
    assert old_layout_edited["nlu"] != old_layout["nlu"]
    assert old_layout_edited["domain"] != old_layout["domain"]


def test_make_does_not_retrain_after_an_answer_edit() -> None:
    """The Makefile's model inputs (what `make run` compares with the model's date) leave
    content/ out."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    database = subprocess.run(
        ["make", "-pn", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    line = next(row for row in database.splitlines() if row.startswith("MODEL_INPUTS :="))
    inputs = line.split(":=", 1)[1].split()
    assert any(i.startswith(settings.get("DATA") + "/faq/") for i in inputs)
    assert not [i for i in inputs if i.startswith("content/")], inputs
