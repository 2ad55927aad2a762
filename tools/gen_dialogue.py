"""Writes the dialogue files that follow from the form table (dialogue/forms.yml) and the
figures (content/figures.yml), so that a form, a slot or an interrupting intent is described
once:

- domain/generated.yml: the fig_* slots, the personal slots with their mappings, the forms
  (their actions stay listed in domain/core.yml, with the others: see there why);
- data/rules/forms.yml: for every form, the rules start, submit, each exit, each interruption.

    python -m tools.gen_dialogue           # (re)write both files
    python -m tools.gen_dialogue --check   # exit 1 if a file on disk differs (stale)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
TABLE = "dialogue/forms.yml"
FIGURES = "content/figures.yml"
DOMAIN_DIR = "domain"
GENERATED_DOMAIN = "domain/generated.yml"
GENERATED_RULES = "data/rules/forms.yml"
COMMAND = "python -m tools.gen_dialogue"
RASA_FORMAT = "3.1"
LINE_WIDTH = 100

SLOT_FIELDS = {"entity", "kind", "prefer", "must_be", "up_front", "also_from"}
FORM_FIELDS = {"intent", "answer", "rule", "response", "date_name", "slots"}
KINDS = {"date", "disease", "care_kind", "ald_status", "yes_no"}
# The name under which the generated domain writes the list of "not an answer" intents once.
NOT_AN_ANSWER = "not_an_answer"

Table = Dict[str, Any]
Mapping = Dict[str, Any]


class Shared:
    """A list written once with a YAML anchor, then referred to by an alias."""

    def __init__(self, name: str, items: Sequence[str]) -> None:
        self.name = name
        self.items = list(items)


# --------------------------------------------------------------------------- the table


def check_table(table: Table) -> None:
    """Fails early, with the place, on a field the generator or the actions would not read."""
    missing = {"reset", "again", "memory", "interruptions", "exits", "forms"} - set(table)
    if missing:
        raise ValueError(f"{TABLE}: missing {sorted(missing)}")
    for form, spec in table["forms"].items():
        unknown = set(spec) - FORM_FIELDS
        if unknown or "intent" not in spec or "answer" not in spec or not spec.get("slots"):
            raise ValueError(f"{TABLE}: form {form}: needs intent, answer, slots; unknown {sorted(unknown)}")
        for slot, fields in spec["slots"].items():
            unknown = set(fields) - SLOT_FIELDS
            if unknown or fields.get("kind") not in KINDS:
                fields_hint = f"kind in {sorted(KINDS)}; unknown fields {sorted(unknown)}"
                raise ValueError(f"{TABLE}: {form}.{slot}: {fields_hint}")
    memory = table["memory"]
    if not memory.get("action") or not isinstance(memory.get("slots"), dict):
        raise ValueError(f"{TABLE}: memory needs action and slots")
    clash = set(memory["slots"]) & {s for f in table["forms"].values() for s in f["slots"]}
    if clash:
        raise ValueError(f"{TABLE}: memory slots also asked by a form: {sorted(clash)}")
    clash = set(table["interruptions"]) & set(table["exits"])
    if clash:
        raise ValueError(f"{TABLE}: intents both interruption and exit: {sorted(clash)}")


def not_an_answer(table: Table) -> List[str]:
    """Intents whose message never fills a slot from its text: they have rules of their own
    (interruptions, exits) or start a form."""
    intents = [*table["interruptions"], *table["exits"], *(f["intent"] for f in table["forms"].values())]
    return list(dict.fromkeys(intents))


def personal_slots(table: Table) -> Dict[str, List[Tuple[str, Mapping]]]:
    """Each slot of the table, in the order first asked, with (form, fields) of every form
    that asks it."""
    slots: Dict[str, List[Tuple[str, Mapping]]] = {}
    for form, spec in table["forms"].items():
        for slot, fields in spec["slots"].items():
            slots.setdefault(slot, []).append((form, fields))
    return slots


def slot_definition(slot: str, uses: List[Tuple[str, Mapping]], table: Table, shared: Shared) -> Mapping:
    """The domain slot: one type, entity and kind whichever form asks it."""
    for key in ("entity", "kind"):
        values = {fields.get(key) for _, fields in uses}
        if len(values) > 1:
            found = sorted(map(str, values))
            raise ValueError(f"{TABLE}: slot {slot} has a different {key} in each form: {found}")
    entity = uses[0][1].get("entity")
    kind = uses[0][1]["kind"]
    up_front: List[str] = []
    for form, fields in uses:
        if fields.get("up_front"):
            up_front.append(table["forms"][form]["intent"])
        up_front.extend(fields.get("also_from") or [])
    conditions = [{"active_loop": form, "requested_slot": slot} for form, _ in uses]
    mappings: List[Mapping] = []
    if entity and up_front:
        mappings.append({"type": "from_entity", "entity": entity, "intent": list(dict.fromkeys(up_front))})
    if entity:
        mappings.append({"type": "from_entity", "entity": entity, "conditions": conditions})
    mappings.append({"type": "from_text", "not_intent": shared, "conditions": conditions})
    # A yes/no slot holds a boolean once validated; the others hold a text (a date, a code).
    return {
        "type": "any" if kind == "yes_no" else "text",
        "influence_conversation": False,
        "mappings": mappings,
    }


def memory_slot(slot_type: str, action: str) -> Mapping:
    # Filled by the memory action after every user message (a custom mapping runs it).
    return {
        "type": slot_type,
        "influence_conversation": False,
        "mappings": [{"type": "custom", "action": action}],
    }


def figure_slot() -> Mapping:
    # Filled by action_session_start from content/figures.yml; never read by the policies.
    return {"type": "any", "influence_conversation": False, "mappings": [{"type": "custom"}]}


# --------------------------------------------------------------------------- rules


def form_rules(form: str, spec: Mapping, table: Table) -> List[Mapping]:
    """start, submit, each exit, its own question again, each interruption (then the form asks
    again)."""
    reset = table["reset"]
    inside = [{"active_loop": form}]
    rules: List[Mapping] = [
        {
            "rule": f"start {form}",
            "steps": [{"intent": spec["intent"]}, {"action": form}, {"active_loop": form}],
        },
        {
            "rule": f"submit {form}",
            "condition": inside,
            "steps": [
                {"action": form},
                {"active_loop": None},
                {"slot_was_set": [{"requested_slot": None}]},
                {"action": spec["answer"]},
            ],
        },
    ]
    for intent, response in table["exits"].items():
        rules.append(
            {
                "rule": f"{intent} inside {form}",
                "condition": inside,
                "steps": [
                    {"intent": intent},
                    {"action": "action_deactivate_loop"},
                    {"active_loop": None},
                    {"action": reset},
                    {"action": response},
                ],
            }
        )
    # The question that started the form, asked again inside it: the form goes on (what the
    # message told is kept by the memory), instead of a policy left without a rule.
    rules.append(
        {
            "rule": f"{spec['intent']} again inside {form}",
            "condition": inside,
            "steps": [
                {"intent": spec["intent"]},
                {"action": table["again"]},
                {"action": form},
                {"active_loop": form},
            ],
        }
    )
    for intent, response in table["interruptions"].items():
        rules.append(
            {
                "rule": f"{intent} inside {form}, then resume",
                "condition": inside,
                "steps": [{"intent": intent}, {"action": response}, {"action": form}, {"active_loop": form}],
            }
        )
    return rules


# --------------------------------------------------------------------------- YAML text

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_ ,.>/-]*")
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


class _Writer:
    """Block-style YAML in the layout of the hand-written files (lists of mappings not
    indented under their key, lists of names in flow style), with anchors for Shared lists."""

    def __init__(self) -> None:
        self.lines: List[str] = []
        self._anchored: Set[str] = set()

    def comment(self, text: str, indent: int = 0) -> None:
        self.lines.extend((" " * indent + "# " + line).rstrip() for line in text.splitlines())

    def blank(self) -> None:
        self.lines.append("")

    def mapping(self, data: Mapping, indent: int, first_prefix: Optional[str] = None) -> None:
        for i, (key, value) in enumerate(data.items()):
            prefix = first_prefix if (i == 0 and first_prefix is not None) else " " * indent
            head = f"{prefix}{key}:"
            if isinstance(value, Shared):
                if value.name in self._anchored:
                    self.lines.append(f"{head} *{value.name}")
                else:
                    self._anchored.add(value.name)
                    self._flow(f"{head} &{value.name} ", value.items)
            elif isinstance(value, dict):
                self.lines.append(head)
                self.mapping(value, indent + 2)
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                self.lines.append(head)
                self.sequence(value, indent)
            elif isinstance(value, list):
                self._flow(f"{head} ", value)
            else:
                self.lines.append(f"{head} {_scalar(value)}")

    def sequence(self, items: Iterable[Mapping], indent: int) -> None:
        for item in items:
            self.mapping(item, indent + 2, first_prefix=" " * indent + "- ")

    def _flow(self, head: str, items: Sequence[Any]) -> None:
        """`head[a, b, c]`, continued on the next lines (under the first item) when long."""
        line, indent = head + "[", " " * (len(head) + 1)
        words = [_scalar(v) for v in items]
        for i, word in enumerate(words):
            word += "]" if i == len(words) - 1 else ","
            if len(line) + 1 + len(word) > LINE_WIDTH and not line.endswith("["):
                self.lines.append(line)
                line = indent + word
            else:
                line += ("" if line.endswith("[") else " ") + word
        self.lines.append(line if words else line + "]")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _header(writer: _Writer, sources: str) -> None:
    writer.comment(
        f"GENERATED by tools/gen_dialogue.py from {sources}: do not edit.\n"
        f"Edit the source, then run: {COMMAND}"
    )


def render_domain(table: Table, figures: Mapping) -> str:
    check_table(table)
    shared = Shared(NOT_AN_ANSWER, not_an_answer(table))
    w = _Writer()
    _header(w, f"{TABLE} and {FIGURES}")
    w.mapping({"version": RASA_FORMAT}, 0)
    w.blank()
    w.lines.append("slots:")
    w.comment("Figures of content/figures.yml, as {fig_<key>} in the responses (set at session start).", 2)
    w.mapping({f"fig_{key}": figure_slot() for key in figures}, 2)
    w.comment(
        "Personal answers, asked by the forms and checked by their validate_<form> actions.\n"
        "A form takes the text of a message as an answer unless its intent is one of\n"
        f"&{NOT_AN_ANSWER}: the interruptions, the exits and the intents that start a form.",
        2,
    )
    w.mapping(
        {slot: slot_definition(slot, uses, table, shared) for slot, uses in personal_slots(table).items()}, 2
    )
    memory = table["memory"]
    w.comment(f"What the memory keeps besides the forms' slots ({memory['action']}, after every message).", 2)
    w.mapping({slot: memory_slot(kind, memory["action"]) for slot, kind in memory["slots"].items()}, 2)
    w.blank()
    w.mapping(
        {"forms": {form: {"required_slots": list(spec["slots"])} for form, spec in table["forms"].items()}}, 0
    )
    return w.text()


def render_rules(table: Table) -> str:
    check_table(table)
    w = _Writer()
    _header(w, TABLE)
    w.comment("The other rules (outside forms) are in data/rules/conversation.yml.")
    w.mapping({"version": RASA_FORMAT}, 0)
    w.blank()
    w.lines.append("rules:")
    for form, spec in table["forms"].items():
        w.comment(f"{'-' * 64} {form}")
        w.sequence(form_rules(form, spec, table), 0)
    return w.text()


def _read(path: Path) -> Dict[str, Any]:
    # Read afresh each time (not ald.content's cache): --check must see the files as they are now.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a YAML mapping is expected")
    return data


def render(root: Path = ROOT, table: Optional[Table] = None) -> Dict[str, str]:
    """The generated files (path relative to root → text)."""
    table = table if table is not None else _read(root / TABLE)
    figures = _read(root / FIGURES)["figures"]
    return {GENERATED_DOMAIN: render_domain(table, figures), GENERATED_RULES: render_rules(table)}


def stale_files(root: Path = ROOT) -> List[str]:
    """The generated files whose text on disk differs from what would be written."""
    stale = []
    for rel, text in render(root).items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(rel)
    return stale


# --------------------------------------------------------------------------- reading back


def load_domain(root: Path = ROOT) -> Dict[str, Any]:
    """The domain folder as one mapping, as Rasa merges it (for checks and tests): mappings
    (slots, forms, responses) and lists (intents, entities, actions) joined. Each name is
    defined in one file only (tests/dialogue checks it; Rasa warns otherwise)."""
    merged: Dict[str, Any] = {}
    for path in sorted((root / DOMAIN_DIR).rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged.setdefault(key, value)
    return merged


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for rel in stale:
            print(f"{rel} is stale: run {COMMAND}")
        return 1 if stale else 0
    for rel, text in render().items():
        path = ROOT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
