"""Personal delays: when the caisse answers, when to ask for renewal, how long the derogatory
100 % lasts, when the exoneration ends, which care is covered retroactively.

Every delay comes from figures.yml (delai_medecin_conseil.days, delai_decision.months,
delai_renouvellement.months, duree_derogatoire.months); durations of the exoneration come from
the ALD table (ald_list). Results are structured, with stable string codes; the answers'
wording lives in domain/responses/dates.yml (utter_decision_<status>, utter_renewal_<status>,
utter_derogatory_<status>, utter_exoneration_end, utter_retroactive).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Optional, Tuple, Union

from ald.ald_list import AldEntry, AldMatch, match_from_key
from ald.dates import add_months_clamped, add_years_clamped
from ald.figures import figure_days, figure_months

DecisionStatus = Literal["waiting_conseil", "waiting_decision", "overdue"]
RenewalStatus = Literal["ok", "soon", "late", "expired"]
DerogatoryStatus = Literal["ok", "soon", "ended"]
RetroactiveStatus = Literal[
    "covered_window", "agreement_before_request", "waiting_agreement", "request_in_future"
]

#: "soon": within this many days (renewal: of the date to ask by; derogatory: of the end).
SOON_DAYS = 30


@dataclass(frozen=True)
class DecisionDelays:
    """When should the caisse answer a protocol sent on `sent`?

    - `favourable_by`: sent + delai_medecin_conseil.days (14): without observations of the
      médecin conseil by then, the avis is deemed favourable;
    - `decision_by`: sent + delai_decision.months (1) calendar month, clamped (the documents
      say 30 days);
    - `status`: "waiting_conseil" (today ≤ favourable_by), "waiting_decision"
      (favourable_by < today ≤ decision_by), "overdue" (today > decision_by);
    - `days_since`: days from sent to today; `days_left`: days from today to decision_by
      (negative when overdue);
    - `notes`: codes the answer should add: "runs_from_receipt" (both delays run from the
      receipt by the service médical: a few days more for a paper protocol sent by post),
      "observations_suspend" (observations of the médecin conseil suspend the delay),
      "online_faster" (an online protocol, PSE, is usually recorded much faster).

    Source: FACTS.md, 'Where it goes, and the delays' (R324-2, R324-1-1)."""

    sent: date
    favourable_by: date
    decision_by: date
    status: DecisionStatus
    days_since: int
    days_left: int
    notes: Tuple[str, ...] = ("runs_from_receipt", "observations_suspend", "online_faster")


def decision_delays(sent: date, today: date) -> DecisionDelays:
    """See DecisionDelays. Source: FACTS.md, 'Where it goes, and the delays' (R324-2)."""
    favourable_by = sent + timedelta(days=figure_days("delai_medecin_conseil"))
    decision_by = add_months_clamped(sent, figure_months("delai_decision"))
    status: DecisionStatus
    if today <= favourable_by:
        status = "waiting_conseil"
    elif today <= decision_by:
        status = "waiting_decision"
    else:
        status = "overdue"
    return DecisionDelays(
        sent=sent,
        favourable_by=favourable_by,
        decision_by=decision_by,
        status=status,
        days_since=(today - sent).days,
        days_left=(decision_by - today).days,
    )


@dataclass(frozen=True)
class Renewal:
    """When to ask for the renewal of a protocol valid until `valid_until`.

    - `ask_by`: valid_until − delai_renouvellement.months (3) calendar months, clamped
      (31 May 2028 → 29 February 2028);
    - `status`: "expired" (valid_until < today), "late" (ask_by < today ≤ valid_until: ask
      now), "soon" (today ≤ ask_by ≤ today + 30 days), "ok" (more than 30 days left);
    - `days_left`: days from today to ask_by (negative when late or expired);
    - `notes`: "not_automatic" (renewal is asked by the médecin traitant, not automatic),
      "ameli_notifies" (ameli notifies about three months before).

    Source: FACTS.md, 'Duration and renewal' (001: at the latest three months before)."""

    valid_until: date
    ask_by: date
    status: RenewalStatus
    days_left: int
    notes: Tuple[str, ...] = ("not_automatic", "ameli_notifies")


def renewal(valid_until: date, today: date) -> Renewal:
    """See Renewal. Source: FACTS.md, 'Duration and renewal' (001)."""
    ask_by = add_months_clamped(valid_until, -figure_months("delai_renouvellement"))
    days_left = (ask_by - today).days
    status: RenewalStatus
    if valid_until < today:
        status = "expired"
    elif ask_by < today:
        status = "late"
    elif days_left <= SOON_DAYS:
        status = "soon"
    else:
        status = "ok"
    return Renewal(
        valid_until=valid_until,
        ask_by=ask_by,
        status=status,
        days_left=days_left,
    )


@dataclass(frozen=True)
class Derogatory:
    """The derogatory procedure (protocol established at hospital or in an emergency by a
    doctor who is not the médecin traitant): 100 % opened for duree_derogatoire.months (6).

    - `ends_on`: start + 6 calendar months, clamped (the last day covered);
    - `status`: "ok" (more than 30 days left), "soon" (0 to 30 days left), "ended"
      (today > ends_on);
    - `days_left`: days from today to ends_on (negative when ended);
    - `notes`: "see_medecin_traitant" (the médecin traitant must establish the protocol within
      the six months), "declare_medecin_traitant" (a patient without one declares one),
      "renewable_practice" (000 and 004 say the period is renewable: an Assurance Maladie
      practice, not a right to count on).

    Source: FACTS.md, 'How it is established' (derogatory procedure; 000, 002, 004)."""

    start: date
    ends_on: date
    status: DerogatoryStatus
    days_left: int
    notes: Tuple[str, ...] = ("see_medecin_traitant", "declare_medecin_traitant", "renewable_practice")


def derogatory(start: date, today: date) -> Derogatory:
    """See Derogatory. Source: FACTS.md, 'How it is established' (procédure dérogatoire)."""
    ends_on = add_months_clamped(start, figure_months("duree_derogatoire"))
    days_left = (ends_on - today).days
    status: DerogatoryStatus
    if days_left < 0:
        status = "ended"
    elif days_left <= SOON_DAYS:
        status = "soon"
    else:
        status = "ok"
    return Derogatory(start=start, ends_on=ends_on, status=status, days_left=days_left)


@dataclass(frozen=True)
class ExonerationEnd:
    """Estimated end of the initial exoneration for an affection agreed on `agreement`.

    - `years`: initial duration from the ALD table (with variants but none known: the shortest,
      and `years_options` lists them all; `ambiguous` is then True);
    - `ends_on`: agreement + years, clamped (29 February → 28 February);
    - `renewal_note`: "renewable" | "renewable_while_treated" (n° 26) |
      "renewable_while_treated_or_sequelae" (n° 30) | "renewable_10y" (n° 1: 3 years, then by
      periods of 10 years);
    - `check_volet`: always True: the answer must say that the real date is the one written on
      the patient's volet and the caisse's notification ("protocole valable jusqu'au").

    Source: FACTS.md, 'The ALD 30 list' (annexe D160-4; R160-11)."""

    key: str
    number: int
    agreement: date
    years: int
    years_options: Tuple[int, ...]
    ambiguous: bool
    ends_on: date
    renewal_note: str
    check_volet: bool = True


def exoneration_end(ald: Union[AldMatch, AldEntry, str, int], agreement: date) -> ExonerationEnd:
    """See ExonerationEnd. `ald`: a match of ald_list, an entry, or a key ("8", "23_humeur").
    Source: FACTS.md, 'The ALD 30 list' (annexe D160-4)."""
    if isinstance(ald, AldMatch):
        match = ald
    elif isinstance(ald, AldEntry):
        match = match_from_key(ald.key)
    else:
        match = match_from_key(str(ald))
    if match.status != "on_list" or match.entry is None or match.years is None:
        raise ValueError(f"{match.key!r} is not an affection of the list")
    options = match.years_options
    years = match.years
    return ExonerationEnd(
        key=match.key,
        number=match.entry.number,
        agreement=agreement,
        years=years,
        years_options=options,
        ambiguous=len(options) > 1,
        ends_on=add_years_clamped(agreement, years),
        renewal_note=match.entry.renewal_note,
    )


@dataclass(frozen=True)
class Retroactive:
    """Care between the request and the agreement is covered at 100 % retroactively, at the
    patient's request.

    - `status`:
      - "covered_window": request ≤ agreement ≤ today: care from `start` (request) to `end`
        (agreement) can be reimbursed at 100 % after the fact, on request to the caisse;
      - "waiting_agreement": no agreement yet: care from `start` to today (`end` = today) will
        be covered once the agreement comes (keep the feuilles de soins);
      - "agreement_before_request": agreement < request: the dates are inconsistent, ask again;
      - "request_in_future": request > today: ask again;
    - `days`: days in the window (0 when not "covered_window"/"waiting_agreement");
    - `notes`: "on_patient_request" (it is not automatic: the patient asks), "linked_care_only"
      (only the care linked to the ALD and in the protocol), "keep_receipts".

    Source: FACTS.md, 'Where it goes, and the delays' (000: retroactive 100 %)."""

    status: RetroactiveStatus
    start: date
    end: Optional[date]
    days: int
    notes: Tuple[str, ...] = ("on_patient_request", "linked_care_only", "keep_receipts")


def retroactive(request: date, agreement: Optional[date], today: date) -> Retroactive:
    """See Retroactive. Source: FACTS.md, 'Where it goes, and the delays' (000)."""
    if request > today:
        return Retroactive("request_in_future", request, agreement, 0)
    if agreement is None:
        return Retroactive("waiting_agreement", request, today, (today - request).days)
    if agreement < request:
        return Retroactive("agreement_before_request", request, agreement, 0)
    return Retroactive("covered_window", request, agreement, (agreement - request).days)
