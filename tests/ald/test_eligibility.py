"""ald.eligibility: every branch of the triage."""

from __future__ import annotations

from typing import Optional, Tuple

import pytest

from ald.eligibility import EligibilityAnswers, triage


def ans(
    long_term: Optional[bool] = None,
    on_list: Optional[bool] = None,
    costly: Optional[bool] = None,
    several: Optional[bool] = None,
    **kw: object,
) -> EligibilityAnswers:
    return EligibilityAnswers(
        long_term=long_term, on_list=on_list, costly_treatment=costly, several_diseases=several, **kw
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "answers, kind, next_step, missing",
    [
        (ans(), "need_more_info", "answer_questions", ("long_term",)),
        (ans(on_list=True), "need_more_info", "answer_questions", ("long_term",)),  # duration first
        (ans(False), "not_eligible", "usual_rates", ()),
        (ans(False, True, True, True), "not_eligible", "usual_rates", ()),
        (ans(True), "need_more_info", "answer_questions", ("on_list",)),
        (ans(True, True), "ald30", "see_medecin_traitant", ()),
        (ans(True, False), "need_more_info", "answer_questions", ("costly_treatment",)),
        (ans(True, False, True), "ald31", "see_medecin_traitant", ()),
        (ans(True, False, False), "need_more_info", "answer_questions", ("several_diseases",)),
        (ans(True, False, False, True), "ald32", "see_medecin_traitant", ()),
        (ans(True, False, False, False), "non_exonerante", "see_medecin_traitant", ()),
        (ans(True, True, has_medecin_traitant=False), "ald30", "declare_medecin_traitant", ()),
        (ans(True, False, True, has_medecin_traitant=False), "ald31", "declare_medecin_traitant", ()),
        (ans(True, disease="diabète"), "ald30", "see_medecin_traitant", ()),
        (ans(True, disease="fibromyalgie"), "need_more_info", "answer_questions", ("costly_treatment",)),
        (ans(True, disease="hypertension"), "need_more_info", "answer_questions", ("costly_treatment",)),
        (ans(True, disease="truc inconnu"), "need_more_info", "answer_questions", ("on_list",)),
        (ans(True, False, disease="cancer"), "need_more_info", "answer_questions", ("costly_treatment",)),
    ],
)
def test_triage(answers: EligibilityAnswers, kind: str, next_step: str, missing: Tuple[str, ...]) -> None:
    r = triage(answers)
    assert (r.kind, r.next_step, r.missing) == (kind, next_step, missing)
    assert "caisse_decides" in r.notes


@pytest.mark.parametrize(
    "answers, note",
    [
        (ans(True, True), "medical_criteria"),
        (ans(True, False, True), "conseil_avis"),
        (ans(True, False, False, True), "conseil_avis"),
        (ans(True, False, False, False), "ij_rights"),
        (ans(True, False, False, False), "transport_rate"),
        (ans(True, True, sick_leave=True), "ij_rights"),
        (ans(True, disease="parkinson"), "on_list_from_disease"),
    ],
)
def test_triage_notes(answers: EligibilityAnswers, note: str) -> None:
    assert note in triage(answers).notes
