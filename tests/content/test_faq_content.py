"""Checks of the FAQ on the protocole and the ALD themselves (examples in data/faq/, answers in
content/faq/: see PROTOCOL_FILES; their held-out messages in tests/nlu/faq.yml, their stories
in tests/stories/faq.yml) against
the format contract: enough varied examples, held-out test messages that are not copies, short
sourced answers, figures only as {fig_...} placeholders, volets never named by a bare number,
buttons whose payloads are understood."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Iterable, List

import pytest
import yaml

from ald import faq_answers
from ald.dates import FULL_MONTHS
from ald.text import words

ROOT = Path(__file__).resolve().parents[2]
FAQ_DIR = ROOT / "data" / "faq"
ANSWERS_DIR = ROOT / "content" / "faq"
# The files on the protocole and the ALD themselves (what they are, who qualifies, how the
# protocole is written, sent, answered, what it holds, how long it lasts). The files on what is
# covered and around the protocole are not held to this contract: some of their button payloads
# are annotated or not training examples, and a few answers do not address the user.
PROTOCOL_NAMES = ("ald", "contenu", "definition", "delais", "duree", "eligibilite", "envoi", "redaction")
PROTOCOL_FILES = [FAQ_DIR / f"{name}.yml" for name in PROTOCOL_NAMES]
TEST_NLU = ROOT / "tests" / "nlu" / "faq.yml"
TEST_STORIES = ROOT / "tests" / "stories" / "faq.yml"

# Their sub-intents; the broad ones need more training examples.
BROAD = {
    "definition_protocole",
    "definition_ald",
    "conditions",
    "ou_envoyer",
    "delai_reponse",
    "renouvellement",
}
PROTOCOL_TOPICS = [
    "definition_protocole",
    "definition_ald",
    "exonerante_ou_non",
    "liste_ald30",
    "ald_hors_liste",
    "polypathologie",
    "duree_exoneration",
    "conditions",
    "ald_non_exonerante",
    "infertilite",
    "autres_cas",
    "qui_redige",
    "procedure_derogatoire",
    "pas_de_medecin_traitant",
    "proche_representant",
    "ou_envoyer",
    "en_ligne_ou_papier",
    "volets",
    "medecin_conseil",
    "observations_medecin_conseil",
    "formulaire_cerfa",
    "delai_reponse",
    "notification",
    "pas_de_nouvelles",
    "contenu_protocole",
    "volet_patient",
    "acces_direct_specialistes",
    "duree_validite",
    "revision",
    "renouvellement",
]
INTENT_PAYLOADS = {
    "/ask_decision_date",
    "/ask_renewal_date",
    "/ask_derogatory_end",
    "/ask_exoneration_end",
    "/ask_retroactive",
    "/ask_coverage",
    "/check_eligibility",
    "/ask_human",
}
MAX_TEXT = 650  # "at most ~600 characters", measured with the figures filled in


def _norm(text: str) -> str:
    return words(text).replace("'", " ")


def _examples(block: str) -> List[str]:
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]


def _load_nlu(paths: List[Path]) -> Dict[str, List[str]]:
    out: Dict[str, List[str]] = {}
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" in item:
                out.setdefault(item["intent"], []).extend(_examples(item["examples"]))
    return out


def _answers(names: Iterable[str]) -> Dict[str, dict]:
    """topic → its answer ({text, buttons}) in content/faq/<name>.yml, for each name."""
    out: Dict[str, dict] = {}
    for name in names:
        path = ANSWERS_DIR / f"{name}.yml"
        out.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("answers") or {})
    return out


FIGURES = yaml.safe_load((ROOT / "content" / "figures.yml").read_text(encoding="utf-8"))["figures"]
TRAIN = _load_nlu(PROTOCOL_FILES)
ALL_FAQ_TRAIN = _load_nlu(sorted(FAQ_DIR.glob("*.yml")))
RESPONSES = _answers(PROTOCOL_NAMES)


def _filled(text: str) -> str:
    return re.sub(r"\{fig_(\w+)\}", lambda m: str(FIGURES[m.group(1)]["value"]), text)


def test_protocol_files_define_exactly_the_protocol_topics() -> None:
    assert sorted(TRAIN) == sorted(f"faq/{name}" for name in PROTOCOL_TOPICS)
    assert sorted(RESPONSES) == sorted(PROTOCOL_TOPICS)


def test_each_answer_file_answers_the_topics_of_its_data_file() -> None:
    """content/faq/<theme>.yml answers exactly the topics whose examples are in data/faq/<theme>.yml."""
    data = sorted(p.name for p in FAQ_DIR.glob("*.yml"))
    assert sorted(p.name for p in ANSWERS_DIR.glob("*.yml")) == data
    for name in data:
        topics = {i[len("faq/") :] for i in _load_nlu([FAQ_DIR / name])}
        assert set(_answers([Path(name).stem])) == topics, name


def test_every_topic_has_one_well_formed_answer_and_every_answer_a_topic() -> None:
    assert faq_answers.folder() == ANSWERS_DIR
    found, problems = faq_answers.read_answers()  # what the action server reads
    assert not problems
    topics = yaml.safe_load((ROOT / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    trained = {i[len("faq/") :] for i in ALL_FAQ_TRAIN}
    assert set(found) == set(topics) == trained


def test_the_answers_are_not_training_data() -> None:
    """FAQ answers in data/ would be training data again: editing one would retrain."""
    for path in sorted(FAQ_DIR.glob("*.yml")):
        assert "responses" not in yaml.safe_load(path.read_text(encoding="utf-8")), path.name


@pytest.mark.parametrize("name", PROTOCOL_TOPICS)
def test_enough_distinct_training_examples(name: str) -> None:
    examples = TRAIN[f"faq/{name}"]
    assert len(examples) >= (20 if name in BROAD else 14)
    assert len({_norm(e) for e in examples}) == len(examples), "near-duplicate examples"


def test_no_example_shared_between_faq_sub_intents() -> None:
    owner: Dict[str, str] = {}
    clashes = []
    for intent, examples in ALL_FAQ_TRAIN.items():
        for example in examples:
            key = _norm(example)
            if key in owner and owner[key] != intent:
                clashes.append((example, owner[key], intent))
            owner.setdefault(key, intent)
    assert not clashes


def test_no_dated_examples() -> None:
    day = re.compile(r"\b\d{1,2}(er)? (" + "|".join(FULL_MONTHS) + r")\b|\b\d{1,2}/\d{1,2}\b")
    dated = [e for examples in TRAIN.values() for e in examples if day.search(_norm(e))]
    assert not dated


@pytest.mark.parametrize("name", PROTOCOL_TOPICS)
def test_answer_is_short_sourced_and_uses_known_figures(name: str) -> None:
    response = RESPONSES[name]
    text = response["text"]
    for key in re.findall(r"\{fig_(\w+)\}", text):
        assert key in FIGURES, key
    assert "{" not in re.sub(r"\{fig_\w+\}", "", text)
    assert len(_filled(text)) <= MAX_TEXT
    assert re.search(r"Source : [^\n]+$", text)
    assert re.search(r"\b(vous|votre|vos)\b", text, re.IGNORECASE), "not addressed to the user"
    assert not re.search(r"\bvolets? (n° ?)?\d", text, re.IGNORECASE), "volet named by number"
    assert "**" not in text and "#" not in text and "|" not in text


# Figure values that must never be typed in an answer (placeholders only). "3 ans" is left
# out: it is also an ALD duration from the D160-4 annex (duree_exoneration).
TYPED = {key: str(fig["value"]) for key, fig in FIGURES.items() if key != "ij_duree_max"}


@pytest.mark.parametrize("name", PROTOCOL_TOPICS)
def test_no_figure_typed_in_answer(name: str) -> None:
    text = re.sub(r"\{fig_\w+\}", "", RESPONSES[name]["text"])
    typed = [key for key, value in TYPED.items() if value.lower() in text.lower()]
    assert not typed
    assert "30 jours" not in text and "ameli.fr/" not in text


@pytest.mark.parametrize("name", PROTOCOL_TOPICS)
def test_buttons_are_short_and_understood(name: str) -> None:
    buttons = RESPONSES[name].get("buttons") or []
    assert 1 <= len(buttons) <= 3
    known = {e: intent for intent, examples in TRAIN.items() for e in examples}
    for button in buttons:
        assert len(button["title"]) <= 30
        payload = button["payload"]
        if payload.startswith("/"):
            assert payload in INTENT_PAYLOADS
        else:
            assert payload in known, f"payload {payload!r} is not a training example"
            assert known[payload] != f"faq/{name}", "button leads back to the same answer"


def test_fallback_topic_questions_are_training_examples() -> None:
    topics = yaml.safe_load((ROOT / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    for name in PROTOCOL_TOPICS:
        assert topics[name] in TRAIN[f"faq/{name}"], name


def test_held_out_messages_are_new_and_cover_every_sub_intent() -> None:
    held_out = _load_nlu([TEST_NLU])
    seen = {_norm(e) for examples in ALL_FAQ_TRAIN.values() for e in examples}
    for name in PROTOCOL_TOPICS:
        messages = held_out.get(f"faq/{name}", [])
        assert len(messages) >= 3, name
        copies = [m for m in messages if _norm(m) in seen]
        assert not copies, copies


def test_every_sub_intent_has_a_conversation_test() -> None:
    stories = yaml.safe_load(TEST_STORIES.read_text(encoding="utf-8"))["stories"]
    tested = set()
    for story in stories:
        steps = story["steps"]
        for i, step in enumerate(steps):
            if "intent" in step and str(step["intent"]).startswith("faq/"):
                tested.add(step["intent"][4:])
                assert steps[i + 1] == {"action": "action_faq"}
    assert set(PROTOCOL_TOPICS) <= tested

    def protocol_questions(story: dict) -> int:
        intents = [str(step["intent"]) for step in story["steps"] if "intent" in step]
        return len(intents) if all(i[4:] in PROTOCOL_TOPICS for i in intents) else 0

    assert sum(1 for s in stories if protocol_questions(s) >= 2) >= 2
