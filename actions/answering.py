"""Every personal answer by its topic (a form of dialogue/forms.yml), so that an answer can be
given again when the user corrects what it used, or at once when a statement already holds all
it needs (actions/followup.py)."""

from __future__ import annotations

from typing import Dict

from actions.base import FormAnswer
from actions.coverage import ActionAnswerCoverage
from actions.dates import DATE_FORM_ACTIONS, ActionAnswerExoneration, ActionAnswerRetroactive
from actions.eligibility import ActionAnswerEligibility

#: topic (form name) → the action that answers it.
ANSWERS: Dict[str, FormAnswer] = {
    answer.topic: answer
    for answer in (
        *(cls() for _, cls in DATE_FORM_ACTIONS.values()),
        ActionAnswerExoneration(),
        ActionAnswerRetroactive(),
        ActionAnswerCoverage(),
        ActionAnswerEligibility(),
    )
}
