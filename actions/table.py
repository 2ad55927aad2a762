"""The form table (dialogue/forms.yml), read once and typed for the actions.

The table says, for each form, which slots it asks and how each is read (a date's `prefer` /
`must_be`), and for the single-date forms which ald rule answers and with which response.
A malformed row fails at import, so the action server does not start with a broken table."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, cast

from ald.content import load_yaml
from ald.dates import MustBe, Prefer

FORMS_FILE = Path(__file__).resolve().parent.parent / "dialogue" / "forms.yml"

PREFER: Tuple[Prefer, ...] = ("past", "future")
MUST_BE: Tuple[MustBe, ...] = ("past", "future", "any")

#: A single-date rule of ald: (the date, today) → a dataclass with a `status`.
Rule = Callable[..., Any]


@dataclass(frozen=True)
class SlotSpec:
    """How a form's slot is read. `prefer` / `must_be` are the table's for kind "date" (the
    defaults are never used for the other kinds)."""

    name: str
    kind: str
    entity: Optional[str] = None
    prefer: Prefer = "past"
    must_be: MustBe = "any"


@dataclass(frozen=True)
class FormSpec:
    """One form of the table. `rule`, `response`, `date_name`: single-date forms only."""

    name: str
    intent: str
    answer: str
    slots: Dict[str, SlotSpec]
    rule: Optional[str] = None
    response: Optional[str] = None
    date_name: Optional[str] = None


@dataclass(frozen=True)
class DateForm:
    """A single-date form: its one date slot, the ald rule that answers, and its wording."""

    form: FormSpec
    slot: SlotSpec
    rule: Rule
    response: str
    date_name: str

    @property
    def name(self) -> str:
        return self.form.name

    @property
    def answer(self) -> str:
        return self.form.answer


def _slot(form: str, name: str, row: Dict[str, Any]) -> SlotSpec:
    kind = str(row.get("kind", ""))
    if not kind:
        raise ValueError(f"{FORMS_FILE.name}: {form}.{name} has no kind")
    if kind != "date":
        return SlotSpec(name=name, kind=kind, entity=row.get("entity"))
    prefer, must_be = row.get("prefer"), row.get("must_be")
    if prefer not in PREFER or must_be not in MUST_BE:
        raise ValueError(
            f"{FORMS_FILE.name}: {form}.{name}: prefer must be one of {PREFER}, "
            f"must_be one of {MUST_BE} (got {prefer!r}, {must_be!r})"
        )
    return SlotSpec(
        name=name,
        kind=kind,
        entity=row.get("entity"),
        prefer=cast(Prefer, prefer),
        must_be=cast(MustBe, must_be),
    )


def _form(name: str, row: Dict[str, Any]) -> FormSpec:
    slots = {slot: _slot(name, slot, spec or {}) for slot, spec in (row.get("slots") or {}).items()}
    if not slots or not row.get("answer"):
        raise ValueError(f"{FORMS_FILE.name}: {name} needs slots and an answer action")
    return FormSpec(
        name=name,
        intent=str(row.get("intent", "")),
        answer=str(row["answer"]),
        slots=slots,
        rule=row.get("rule"),
        response=row.get("response"),
        date_name=row.get("date_name"),
    )


def again_response(path: Path = FORMS_FILE) -> str:
    """The response said when a form's own question is asked again inside it (`again`)."""
    return str(load_yaml(path).get("again") or "")


def load_forms(path: Path = FORMS_FILE) -> Dict[str, FormSpec]:
    """Every form of the table, in the table's order."""
    rows = load_yaml(path).get("forms") or {}
    return {name: _form(name, row or {}) for name, row in rows.items()}


def resolve_rule(dotted: str) -> Rule:
    """ "delays.decision_delays" → the function ald.delays.decision_delays."""
    module, _, function = dotted.rpartition(".")
    rule = getattr(importlib.import_module(f"ald.{module}"), function, None) if module else None
    if not callable(rule):
        raise ValueError(f"{FORMS_FILE.name}: rule {dotted!r} is not a function of the ald package")
    return cast(Rule, rule)


def date_form(form: FormSpec) -> DateForm:
    """The single-date view of a form that has a `rule`."""
    dates = [s for s in form.slots.values() if s.kind == "date"]
    if form.rule is None or len(form.slots) != 1 or len(dates) != 1:
        raise ValueError(f"{FORMS_FILE.name}: {form.name}: a `rule` needs exactly one slot, a date")
    if not form.response or not form.date_name:
        raise ValueError(f"{FORMS_FILE.name}: {form.name}: a `rule` needs `response` and `date_name`")
    return DateForm(
        form=form,
        slot=dates[0],
        rule=resolve_rule(form.rule),
        response=form.response,
        date_name=form.date_name,
    )


FORMS: Dict[str, FormSpec] = load_forms()


def date_forms() -> List[DateForm]:
    """The single-date forms (those with a `rule`), in the table's order."""
    return [date_form(f) for f in FORMS.values() if f.rule is not None]


def slot_spec(form: str, slot: str) -> SlotSpec:
    """How `slot` of `form` is read; a KeyError names what the table lacks."""
    try:
        return FORMS[form].slots[slot]
    except KeyError:
        raise KeyError(f"{FORMS_FILE.name} has no slot {slot!r} in form {form!r}") from None
