"""The FAQ answers: content/faq/<theme>.yml, one file per theme of data/faq/ (same names).

    answers:
      <topic>:                  # the topic of the NLU's faq/<topic> examples
        text: "… Source : …"    # plain text, {fig_<key>} for a figure of content/figures.yml:
                                # the short answer (its first sentence answers; at most ~60 words
                                # before the source line, tests/content/test_faq_content.py)
        details: "…"            # optional: what more there is to say, sent when the user taps
                                # the "En savoir plus" button action_faq adds (action_faq_details)
        buttons:                # the next questions (optional)
        - title: "…"
          payload: "…"

They are not training data: the action server looks an answer up when it sends it
(actions/faq.py), through ald.content's reader, which reads a file again when it changed. An
edited answer is therefore served at once, with no training and no restart.
ALD_FAQ_ANSWERS=/path/to/folder points to another folder (tests, benchmarks)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from ald import settings
from ald.content import content_file, load_yaml

logger = logging.getLogger(__name__)

DEFAULT_DIR = content_file("faq")


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class FaqAnswer:
    """One topic's answer, as written (figures not filled in)."""

    topic: str
    text: str
    buttons: Tuple[Button, ...]
    file: Path
    details: Optional[str] = None


def folder() -> Path:
    """The folder of the answer files (content/faq/, or ALD_FAQ_ANSWERS)."""
    return Path(settings.from_environment("ALD_FAQ_ANSWERS") or DEFAULT_DIR)


def files() -> List[Path]:
    """The answer files, in name order."""
    # (not the hidden files editors leave beside the one being edited: ".#ald.yml", ".ald.yml.swp")
    return sorted(p for p in folder().glob("*.yml") if not p.name.startswith("."))


def _answer(topic: str, raw: Any, path: Path) -> FaqAnswer:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        raise ValueError(f"{path}: {topic} has no text")
    unknown = set(raw) - {"text", "buttons", "details"}
    if unknown:
        raise ValueError(f"{path}: {topic} has unknown keys {sorted(unknown)}")
    buttons = []
    for button in raw.get("buttons") or []:
        if not isinstance(button, dict) or set(button) != {"title", "payload"}:
            raise ValueError(f"{path}: {topic}: a button needs a title and a payload, nothing else")
        buttons.append(Button(str(button["title"]), str(button["payload"])))
    details = raw.get("details")
    if details is not None and (not isinstance(details, str) or not details.strip()):
        raise ValueError(f"{path}: {topic}: details must be a text")
    return FaqAnswer(topic, raw["text"], tuple(buttons), path, details)


def read_answers() -> Tuple[Dict[str, FaqAnswer], List[str]]:
    """Every answer by topic, and the problems found (a malformed answer is left out, a topic
    answered twice keeps its first answer, in file name order)."""
    found: Dict[str, FaqAnswer] = {}
    problems: List[str] = []
    for path in files():
        try:
            entries = load_yaml(path).get("answers")
        except (OSError, yaml.YAMLError, ValueError, UnicodeDecodeError) as error:
            # A file being written, or new and not valid yet: the other files still answer.
            problems.append(f"{path}: cannot be read ({error})")
            continue
        if not isinstance(entries, dict):
            problems.append(f"{path}: no 'answers' mapping")
            continue
        for topic, raw in entries.items():
            try:
                answer = _answer(str(topic), raw, path)
            except ValueError as error:
                problems.append(str(error))
                continue
            if answer.topic in found:
                problems.append(f"{path}: {topic} is already answered in {found[answer.topic].file}")
                continue
            found[answer.topic] = answer
    return found, problems


def answers() -> Dict[str, FaqAnswer]:
    """Every answer by topic (problems are logged; tests/content checks there are none)."""
    found, problems = read_answers()
    for problem in problems:
        logger.error("FAQ answers: %s", problem)
    return found


def answer(topic: str) -> Optional[FaqAnswer]:
    """The answer of `topic` ("renouvellement"), read from the files as they are now; None if
    there is none."""
    return answers().get(topic)
