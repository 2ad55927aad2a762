"""`rasa data validate --fail-on-warnings`, made strict: any warning fails, except two false
positives of Rasa 3.6's validator that this project cannot avoid:

- "The utterance 'utter_x' is not used in any story or rule." for responses that a form asks
  (utter_ask_<slot>), that a custom action sends (actions/, the `response` prefixes of
  dialogue/forms.yml), or that Rasa's own default fallback sends (utter_default): the validator
  does not look inside forms, custom actions or Rasa's default actions.
  tests/content/test_content.py checks instead that every response is reachable and every
  response an action sends exists.
- "duplicated intents ... across multiple domain files: faq": the retrieval intent is listed in
  the domain (as Rasa's docs ask) and Rasa adds it again from the FAQ data files.
- "Action 'utter_faq' is listed as a response action in the domain file, but there is no
  matching response defined.": Rasa expects the answers of the retrieval intent `faq` among
  the responses, but they are content (content/faq/, looked up by action_faq at run time, so
  that editing one needs no training). tests/content/test_faq_content.py checks instead that
  every FAQ topic has an answer and every answer a topic.

Usage: python -m tools.validate (from the project's root; `make validate` runs it).
"""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any, Dict, List, Set

import yaml

from ald import settings

ROOT = settings.ROOT
DUPLICATED_FAQ = "The following duplicated intents have been found across multiple domain files: faq"
#: The retrieval intent whose answers are content/faq/ (action_faq), not domain responses.
FAQ_WITHOUT_RESPONSES = (
    "Action 'utter_faq' is listed as a response action in the domain file, but there is no matching "
    "response defined."
)


def sent_by_actions_or_forms() -> Set[str]:
    parts: List[Dict[str, Any]] = [
        yaml.safe_load(f.read_text(encoding="utf-8")) or {} for f in settings.domain_files()
    ]
    slots = {name for part in parts for name in part.get("slots") or {}}
    responses = {name for part in parts for name in part.get("responses") or {}}
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "actions").rglob("*.py")))
    names = set(re.findall(r'"(utter_[a-z0-9_]+)"', source))
    prefixes = set(re.findall(r'f"(utter_[a-z0-9_]+)_\{', source))
    forms = yaml.safe_load((ROOT / "dialogue" / "forms.yml").read_text(encoding="utf-8")) or {}
    prefixes |= {f["response"] for f in (forms.get("forms") or {}).values() if f.get("response")}
    # utter_default: said by Rasa's action_default_fallback (the RulePolicy's core fallback).
    allowed = {f"utter_ask_{slot}" for slot in slots} | names | {"utter_default"}
    allowed |= {r for r in responses if any(r.startswith(p + "_") for p in prefixes)}
    return allowed


def main() -> int:
    cmd = [
        str(settings.path("RASA_BIN")),
        "data",
        "validate",
        "--fail-on-warnings",
        "--domain",
        settings.get("DOMAIN"),
        "--data",
        settings.get("DATA"),
        "--config",
        settings.get("CONFIG"),
        "--max-history",
        "5",
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    allowed = sent_by_actions_or_forms()
    problems, known = [], 0
    for block in re.split(r"(?=\S*UserWarning: )", output):
        if "UserWarning: " not in block:
            continue
        message = block.split("UserWarning: ", 1)[1].split("\x1b[0m")[0].strip()
        unused = re.match(r"The utterance '([^']+)' is not used in any story or rule\.", message)
        if (
            (unused and unused.group(1) in allowed)
            or message.startswith(DUPLICATED_FAQ)
            or message.startswith(FAQ_WITHOUT_RESPONSES)
        ):
            known += 1
        else:
            problems.append(message)
    if proc.returncode != 0 or problems:
        print(output[-5000:] if proc.returncode != 0 else "")
        for p in problems:
            print(f"VALIDATION WARNING: {p}")
        print(f"rasa data validate: FAILED ({len(problems)} warnings, exit {proc.returncode})")
        return 1
    print(
        f"rasa data validate: clean ({known} known false positives of Rasa's validator skipped: "
        "responses sent by forms/custom actions, the faq retrieval intent and its answers in content/faq/)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
