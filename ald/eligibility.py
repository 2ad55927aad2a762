"""Eligibility triage: which kind of ALD might apply? A triage, never a decision (the caisse,
on the médecin conseil's avis, decides).

Source: FACTS.md, 'Who qualifies' (CSS L160-14 3° and 4°, L324-1, R160-12) and 'How it is
established' (médecin traitant).

Questions, in the order they are asked (`missing` names the next one):
1. `long_term`: care or sick leave foreseeable for six months or more (figure
   duree_minimale_ald)? No → "not_eligible".
2. `on_list`: is the disease on the ALD list (or `disease`, a name looked up in ald_list)?
   Yes → "ald30".
3. `costly_treatment`: a serious disease with a prolonged, particularly costly treatment?
   Yes → "ald31" (hors liste).
4. `several_diseases`: several diseases that together cause an invalidating state needing
   continuous care? Yes → "ald32" (polypathologie invalidante).
   No → "non_exonerante" (L324-1: usual rates, but daily allowances and linked transport).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional, Tuple

from ald.ald_list import lookup_disease

Kind = Literal["ald30", "ald31", "ald32", "non_exonerante", "not_eligible", "need_more_info"]
Question = Literal["long_term", "on_list", "costly_treatment", "several_diseases"]
NextStep = Literal["see_medecin_traitant", "declare_medecin_traitant", "answer_questions", "usual_rates"]


@dataclass(frozen=True)
class EligibilityAnswers:
    """The answers so far (None = not asked or not known).

    `disease`: optional disease name; when `on_list` is None it is looked up in the ALD list
    (on the list → on_list True; not on it or removed → False; unknown → still asked).
    `sick_leave`: is there a long sick leave? (adds the note "ij_rights").
    `has_medecin_traitant`: False → next step "declare_medecin_traitant"."""

    long_term: Optional[bool] = None
    on_list: Optional[bool] = None
    costly_treatment: Optional[bool] = None
    several_diseases: Optional[bool] = None
    sick_leave: Optional[bool] = None
    disease: Optional[str] = None
    has_medecin_traitant: Optional[bool] = None


@dataclass(frozen=True)
class EligibilityResult:
    """`kind`: "ald30" | "ald31" | "ald32" | "non_exonerante" | "not_eligible" |
    "need_more_info" (then `missing` names the next question).

    `next_step`: "see_medecin_traitant" (the médecin traitant establishes the protocol),
    "declare_medecin_traitant" (no médecin traitant yet: declare one to the caisse first),
    "answer_questions" (need_more_info), "usual_rates" (not eligible: usual reimbursement;
    see the doctor if things change).

    `notes` (codes): "caisse_decides" (always: a triage, not a decision),
    "medical_criteria" (ald30: the disease must meet the list's medical criteria),
    "conseil_avis" (ald31/ald32: the médecin conseil gives his avis), "ij_rights" (non
    exonérante, or any long sick leave: daily allowances up to figure ij_duree_max),
    "transport_rate" (non exonérante: linked transport at figure taux_transport_non_exo),
    "on_list_from_disease" (on_list was deduced from `disease`).

    `missing`: the next question to ask (at most one, in the order of the module docstring)."""

    kind: Kind
    next_step: NextStep
    missing: Tuple[Question, ...] = ()
    notes: Tuple[str, ...] = ()


def triage(a: EligibilityAnswers) -> EligibilityResult:
    """See the module docstring. Source: FACTS.md, 'Who qualifies' (L160-14 3° and 4°,
    L324-1) and 'How it is established'."""
    notes = ["caisse_decides"]
    if a.long_term is None:
        return EligibilityResult("need_more_info", "answer_questions", ("long_term",), tuple(notes))
    if a.long_term is False:
        return EligibilityResult("not_eligible", "usual_rates", (), tuple(notes))

    if a.sick_leave:
        notes.append("ij_rights")
    step: NextStep = "declare_medecin_traitant" if a.has_medecin_traitant is False else "see_medecin_traitant"

    on_list = a.on_list
    if on_list is None and a.disease:
        match = lookup_disease(a.disease)
        if match is not None:
            on_list = match.status == "on_list"
            notes.append("on_list_from_disease")
    if on_list is None:
        return EligibilityResult("need_more_info", "answer_questions", ("on_list",), tuple(notes))
    if on_list:
        return EligibilityResult("ald30", step, (), tuple(notes + ["medical_criteria"]))
    if a.costly_treatment is None:
        return EligibilityResult("need_more_info", "answer_questions", ("costly_treatment",), tuple(notes))
    if a.costly_treatment:
        return EligibilityResult("ald31", step, (), tuple(notes + ["conseil_avis"]))
    if a.several_diseases is None:
        return EligibilityResult("need_more_info", "answer_questions", ("several_diseases",), tuple(notes))
    if a.several_diseases:
        return EligibilityResult("ald32", step, (), tuple(notes + ["conseil_avis"]))
    extra = ["transport_rate"] + ([] if "ij_rights" in notes else ["ij_rights"])
    return EligibilityResult("non_exonerante", step, (), tuple(notes + extra))
