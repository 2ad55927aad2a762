"""Every example of the NLU data, as a user would type it: the training data (data/) and the
held-out set (tests/nlu/), read from the `examples` blocks of their YAML files, entity
annotations stripped ("mon [diabète](disease)" -> "mon diabète"). For the tests that must hold on
every real message (tests/ald/test_gibberish.py, tests/ald/test_safety.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "data"
HELD_OUT = ROOT / "tests" / "nlu"
#: "[text](entity)" and "[text]{json}", kept as "text".
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
#: The kinds of blocks that hold examples.
KINDS = ("intent", "synonym", "lookup", "regex")


class Example(NamedTuple):
    path: str  # relative to the project's root
    kind: str  # "intent", "synonym", "lookup" or "regex"
    name: str  # the intent ("faq/duree_validite", "inform"...), synonym, lookup or regex name
    text: str

    @property
    def id(self) -> str:
        return f"{self.path}:{self.name}:{self.text}"


def strip_annotations(text: str) -> str:
    return _ANNOTATION.sub(r"\1", text)


def examples(*folders: Path) -> List[Example]:
    """The examples of every YAML file under `folders` (default: the training data and the
    held-out set)."""
    found: List[Example] = []
    for folder in folders or (TRAINING, HELD_OUT):
        for path in sorted(folder.rglob("*.yml")):
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for block in doc.get("nlu") or []:
                kind = next((k for k in KINDS if k in block), None)
                if kind is None or not isinstance(block.get("examples"), str):
                    continue
                for line in block["examples"].splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        text = strip_annotations(line[2:].strip())
                        found.append(Example(str(path.relative_to(ROOT)), kind, str(block[kind]), text))
    return found
