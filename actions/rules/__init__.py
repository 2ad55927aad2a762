"""Pure-Python rules of the ALD assistant (no Rasa import): dates, delays, the ALD list,
coverage, eligibility triage and the helpline hours. Results carry stable string codes; the
wording lives in domain.yml and actions/phrases.yml. Figures come from figures.yml through
`figures`. Each rule's docstring names its source in FACTS.md."""
from actions.rules import ald_list, coverage, dates, delays, eligibility, figures, helpline
from actions.rules.ald_list import ALD30, AldEntry, AldMatch, AldVariant, lookup_disease, match_from_key
from actions.rules.coverage import CareKind, CoverageVerdict, Situation, care_kind_from_text
from actions.rules.coverage import coverage as coverage_verdict
from actions.rules.dates import (DateSpan, ParsedDate, add_months_clamped, check_side, find_dates,
                                 format_date_fr, parse_date_fr, today_paris)
from actions.rules.delays import (DecisionDelays, Derogatory, ExonerationEnd, Renewal, Retroactive,
                                  decision_delays, derogatory, exoneration_end, renewal, retroactive)
from actions.rules.eligibility import EligibilityAnswers, EligibilityResult, triage
from actions.rules.figures import figure, figure_values, helpline_hours
from actions.rules.helpline import HelplineStatus, format_opening_fr, helpline_status

__all__ = [
    "ald_list", "coverage", "dates", "delays", "eligibility", "figures", "helpline",
    "ALD30", "AldEntry", "AldMatch", "AldVariant", "lookup_disease", "match_from_key",
    "CareKind", "CoverageVerdict", "Situation", "care_kind_from_text", "coverage_verdict",
    "DateSpan", "ParsedDate", "add_months_clamped", "check_side", "find_dates", "format_date_fr",
    "parse_date_fr", "today_paris",
    "DecisionDelays", "Derogatory", "ExonerationEnd", "Renewal", "Retroactive", "decision_delays",
    "derogatory", "exoneration_end", "renewal", "retroactive",
    "EligibilityAnswers", "EligibilityResult", "triage",
    "figure", "figure_values", "helpline_hours",
    "HelplineStatus", "format_opening_fr", "helpline_status",
]
