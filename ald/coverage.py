"""Is this care covered at 100 %? A verdict from the kind of care and the patient's situation.

Source: FACTS.md, 'What is covered' (000, 001, 003; ALD non exonérante: 004, L324-1) and
'The ordonnance bizone'. The verdict is structured (codes); the wording is in
content/phrases.yml (care_labels, reasons, still_pays) and domain/responses/coverage.yml (utter_coverage_*).

Rules, in order:
1. Never reimbursed by the Assurance Maladie (alternative medicine, osteopathy...):
   "not_covered" whatever the situation (reason "never_reimbursed").
2. Dépassements d'honoraires: "not_covered" (reason "depassements_not_covered").
3. Forfait journalier hospitalier: "not_covered" (reason "forfait_journalier_not_covered").
4. Psychologist sessions: FACTS.md says nothing about them: "need_more_info" (reason
   "psychologue_ask_caisse"), never a guess.
5. Otherwise it depends on the situation:
   - ALD status unknown → "need_more_info", missing ("ald_status");
   - no ALD → "usual_rates" ("no_ald");
   - ALD non exonérante → "usual_rates" ("ald_non_exonerante"), except transport linked to the
     ALD → "transport_rate" (figures: taux_transport_non_exo), and a thermal cure linked to it
     (transport and stay costs also reimbursed, reason "thermal_cure_linked"); whether it is
     linked is asked for transport and thermal cures only;
   - a thermal cure in an ALD exonérante: FACTS.md says nothing of it, "need_more_info"
     (reason "cure_thermale_ask_caisse");
   - ALD exonérante → 100 % of the base tariff ("100_base_tariff") only if linked to the ALD,
     written in the protocol and not ticked (excluded) by the médecin conseil; otherwise
     "usual_rates" with the reason ("not_linked_to_ald", "not_in_protocol",
     "ticked_by_conseil"). Unknown answers are asked (`missing`) only when they can change the
     verdict.
6. `still_pays` lists what the patient pays even at 100 % (participation forfaitaire,
   franchises, dépassements, forfait journalier, above the base tariff): ALD patients pay them
   too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Dict, Iterable, List, Literal, Optional, Tuple, cast, get_args

from ald import vocabulary
from ald.text import fold, words

CareKind = Literal[
    "consultation_generaliste",
    "consultation_specialiste",
    "medicament",
    "biologie",
    "imagerie",
    "soins_infirmiers",
    "kine",
    "transport",
    "dispositif_medical",
    "hospitalisation",
    "forfait_journalier",
    "depassement_honoraires",
    "medecine_douce",
    "dentaire",
    "optique",
    "cure_thermale",
    "psychologue",
]
CARE_KINDS: Tuple[str, ...] = get_args(CareKind)

AldStatus = Literal["exonerante", "non_exonerante", "aucune", "unknown"]
Rate = Literal["100_base_tariff", "usual_rates", "transport_rate", "not_covered", "need_more_info"]
#: Fields of Situation that `missing` may name, in the order to ask them.
SituationField = Literal["ald_status", "linked_to_ald", "in_protocol", "ticked_by_conseil"]


@dataclass(frozen=True)
class Situation:
    """The patient's situation.

    `ald_status`: "exonerante" (ALD 30, 31 or 32: 100 %), "non_exonerante" (L324-1), "aucune",
    "unknown". `linked_to_ald`: is the care linked to the ALD? `in_protocol`: is it written in
    the protocol? `ticked_by_conseil`: did the médecin conseil tick its box (excluded from the
    100 %)? None = not known."""

    ald_status: AldStatus = "unknown"
    linked_to_ald: Optional[bool] = None
    in_protocol: Optional[bool] = None
    ticked_by_conseil: Optional[bool] = None


@dataclass(frozen=True)
class CoverageVerdict:
    """The verdict for one kind of care.

    `rate`: "100_base_tariff" (100 % of the Sécurité sociale base tariff), "usual_rates"
    (droit commun), "transport_rate" (ALD non exonérante, transport linked to it: figure
    taux_transport_non_exo), "not_covered" (never reimbursed by the Assurance Maladie),
    "need_more_info" (see `missing`).

    `reasons` (codes, in order):
      "linked_and_in_protocol", "not_linked_to_ald", "not_in_protocol", "ticked_by_conseil",
      "never_reimbursed", "depassements_not_covered", "forfait_journalier_not_covered",
      "above_base_tariff" (devices, glasses, dental prosthetics: only the base tariff),
      "ald_non_exonerante", "no_ald", "dentaire_usual_unless_linked" (dental care and optics are
      at 100 % only when linked to the ALD and in the protocol), "transport_conditions"
      (prescription and transport conditions needed), "thermal_cure_linked" (prescribed and
      linked to the ALD), "check_not_ticked" (at 100 % unless the médecin conseil ticked its
      box), "outside_list_needs_agreement" (care not in the protocol can be added: 100 % after
      the médecin conseil's agreement), "psychologue_ask_caisse" (FACTS.md is silent: ask the
      caisse), "bizone_upper_zone" (prescribed in the upper zone of the ordonnance bizone).

    `still_pays` (codes): "participation_forfaitaire", "franchise_medicament" (per box or per
    paramedical act), "franchise_transport", "depassements", "forfait_journalier",
    "above_tariff".

    `missing`: Situation fields needed to decide, in the order to ask them (empty when the
    verdict is final)."""

    care: str
    rate: Rate
    reasons: Tuple[str, ...] = ()
    still_pays: Tuple[str, ...] = ()
    missing: Tuple[SituationField, ...] = ()


#: What the patient pays anyway, per kind of care. Source: FACTS.md, 'What is covered'
#: (participation forfaitaire: its amount is given per consultation only, so an analysis or an
#: imaging act gets "participation_forfaitaire_acte", without the consultation's amount;
#: franchises per box / paramedical act /
#: transport, dépassements, forfait journalier, above the base tariff).
STILL_PAYS: Dict[str, Tuple[str, ...]] = {
    "consultation_generaliste": ("participation_forfaitaire", "depassements"),
    "consultation_specialiste": ("participation_forfaitaire", "depassements"),
    "medicament": ("franchise_medicament",),
    "biologie": ("participation_forfaitaire_acte",),
    "imagerie": ("participation_forfaitaire_acte", "depassements"),
    "soins_infirmiers": ("franchise_medicament",),
    "kine": ("franchise_medicament",),
    "transport": ("franchise_transport",),
    "dispositif_medical": ("above_tariff",),
    "hospitalisation": ("forfait_journalier", "depassements"),
    "forfait_journalier": ("forfait_journalier",),
    "depassement_honoraires": ("depassements",),
    "medecine_douce": (),
    "dentaire": ("above_tariff", "depassements"),
    "optique": ("above_tariff",),
    "cure_thermale": (),
    "psychologue": (),
}
#: Kinds paid only up to a base tariff (devices, glasses, dental prosthetics).
ABOVE_TARIFF_KINDS = ("dispositif_medical", "optique", "dentaire")
#: Never reimbursed by the Assurance Maladie. Source: FACTS.md, 'What is covered'
#: (alternative medicine, osteopathy).
NEVER_REIMBURSED = ("medecine_douce",)


def coverage(care: str, situation: Situation) -> CoverageVerdict:
    """The verdict for `care` (a CareKind) in `situation`; see the module docstring.
    Source: FACTS.md, 'What is covered' (000, 001, 003; 004 and L324-1 for ALD non
    exonérante)."""
    if care not in CARE_KINDS:
        raise ValueError(f"unknown care kind {care!r}")
    pays = STILL_PAYS[care]

    if care in NEVER_REIMBURSED:
        return CoverageVerdict(care, "not_covered", ("never_reimbursed",), pays)
    if care == "depassement_honoraires":
        return CoverageVerdict(care, "not_covered", ("depassements_not_covered",), pays)
    if care == "forfait_journalier":
        return CoverageVerdict(care, "not_covered", ("forfait_journalier_not_covered",), pays)
    if care == "psychologue":
        return CoverageVerdict(care, "need_more_info", ("psychologue_ask_caisse",), pays)
    if care == "cure_thermale" and situation.ald_status == "exonerante":
        # FACTS.md says nothing of a thermal cure in an exonerating ALD (only the transport and
        # stay costs of a non-exonerating one, 004): the caisse says.
        return CoverageVerdict(care, "need_more_info", ("cure_thermale_ask_caisse",), pays)

    if situation.in_protocol and situation.linked_to_ald is None:
        # What the protocol lists is the care of the ALD: written in it means linked to it.
        situation = replace(situation, linked_to_ald=True)
    status = situation.ald_status
    if status == "unknown":
        return CoverageVerdict(care, "need_more_info", (), pays, ("ald_status",))
    extra: List[str] = []
    if care == "hospitalisation":
        extra.append("forfait_journalier_not_covered")
    if care in ABOVE_TARIFF_KINDS:
        extra.append("above_base_tariff")
    if status == "aucune":
        return CoverageVerdict(care, "usual_rates", ("no_ald", *extra), pays)
    if status == "non_exonerante":
        return _non_exonerante(care, situation, pays, extra)
    return _exonerante(care, situation, pays, extra)


def _non_exonerante(care: str, s: Situation, pays: Tuple[str, ...], extra: List[str]) -> CoverageVerdict:
    """ALD non exonérante: usual rates; linked transport at taux_transport_non_exo; linked
    thermal cure costs also reimbursed. Source: FACTS.md, 'What is covered' (004; L324-1)."""
    if care in ("transport", "cure_thermale"):
        if s.linked_to_ald is None:
            return CoverageVerdict(care, "need_more_info", ("ald_non_exonerante",), pays, ("linked_to_ald",))
        if s.linked_to_ald is False:
            return CoverageVerdict(care, "usual_rates", ("ald_non_exonerante", "not_linked_to_ald"), pays)
        if care == "transport":
            return CoverageVerdict(
                care, "transport_rate", ("ald_non_exonerante", "transport_conditions"), pays
            )
        return CoverageVerdict(care, "usual_rates", ("ald_non_exonerante", "thermal_cure_linked"), pays)
    return CoverageVerdict(care, "usual_rates", ("ald_non_exonerante", *extra), pays)


def _exonerante(care: str, s: Situation, pays: Tuple[str, ...], extra: List[str]) -> CoverageVerdict:
    """ALD exonérante: 100 % of the base tariff for care linked to the ALD, in the protocol and
    not ticked by the médecin conseil; usual rates otherwise. Source: FACTS.md, 'What is
    covered' (000, 001, 003) and 'The ordonnance bizone'."""
    dental = ("dentaire_usual_unless_linked",) if care in ("dentaire", "optique") else ()
    if s.linked_to_ald is False:
        return CoverageVerdict(care, "usual_rates", ("not_linked_to_ald", *dental, *extra), pays)
    if s.in_protocol is False:
        return CoverageVerdict(
            care, "usual_rates", ("not_in_protocol", "outside_list_needs_agreement", *dental, *extra), pays
        )
    if s.ticked_by_conseil is True:
        return CoverageVerdict(care, "usual_rates", ("ticked_by_conseil", *dental, *extra), pays)
    asked: Tuple[Tuple[SituationField, Optional[bool]], ...] = (
        ("linked_to_ald", s.linked_to_ald),
        ("in_protocol", s.in_protocol),
    )
    missing = tuple(f for f, v in asked if v is None)
    if missing:
        return CoverageVerdict(care, "need_more_info", dental, pays, missing)
    reasons: List[str] = ["linked_and_in_protocol", "bizone_upper_zone"]
    if care == "transport":
        reasons.append("transport_conditions")
    reasons.extend(extra)
    if s.ticked_by_conseil is None:
        reasons.append("check_not_ticked")
    return CoverageVerdict(care, "100_base_tariff", tuple(reasons), pays)


# --------------------------------------------------------------------------- what people write

# content/vocabulary.yml, shared with the NLU (the synonyms of care_kind and ald_status).
_CARE_KINDS = vocabulary.care_kinds()
_SITUATIONS = vocabulary.ald_situations()
STATUS_CODES: Tuple[AldStatus, ...] = ("exonerante", "non_exonerante", "aucune")
if set(_CARE_KINDS.codes()) != set(CARE_KINDS):
    raise ValueError(f"content/vocabulary.yml: the care kinds must be {CARE_KINDS}")
if set(_SITUATIONS.codes()) != set(STATUS_CODES):
    raise ValueError(f"content/vocabulary.yml: the ALD situations must be {STATUS_CODES}")


def care_kind_from_text(text: str) -> Optional[str]:
    """The CareKind named in `text` (kiné, ostéo, taxi, lunettes, prise de sang, IRM,
    infirmière, béquilles, pharmacie, dépassements...), or None. A CareKind code itself is
    accepted as is; then a phrase of the vocabulary; then its patterns, the first found wins
    ("dépassement" before "consultation", "forfait journalier" before "hospitalisation")."""
    folded = words(text)
    if not folded:
        return None
    if folded.replace(" ", "_") in CARE_KINDS:
        return folded.replace(" ", "_")
    entry = _CARE_KINDS.find(folded)
    return entry.code if entry is not None else None


#: Kinds that are only the setting of a more precise care: "le dépassement d'honoraires du
#: chirurgien" asks about the dépassement, "les médicaments à l'hôpital" about the medicines.
SETTING_KINDS = ("consultation_generaliste", "consultation_specialiste", "hospitalisation")


def main_care(kinds: Iterable[Optional[str]]) -> Optional[str]:
    """The care a message asks about when it names several (CareKind codes, in the order of
    the message): the first that is not only a setting (SETTING_KINDS), else the first."""
    known = [k for k in kinds if k]
    precise = [k for k in known if k not in SETTING_KINDS]
    return next(iter(precise or known), None)


#: Each care kind's patterns (content/vocabulary.yml `match`), in the order of the file.
_CARE_PATTERNS: Tuple[Tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile("|".join(f"(?:{p})" for p in entry.patterns)), entry.code)
    for entry in _CARE_KINDS.entries
    if entry.patterns and entry.code
)


def care_kinds_in(text: str) -> List[str]:
    """Every CareKind the words of `text` name, in the order of the text, each once. A span
    found by a kind earlier in the vocabulary is not found again by a later, more general one
    ("dépassement d'honoraires" is no consultation)."""
    folded = words(text)
    taken: List[Tuple[int, int]] = []
    found: Dict[str, int] = {}
    for pattern, code in _CARE_PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if start == end or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.setdefault(code, start)
    return sorted(found, key=found.__getitem__)


#: The words of a prescription: "m'a prescrit un médicament", "prescription de kiné", "des
#: séances prescrites par mon médecin".
_PRESCRIBED = re.compile(r"\bprescri(?:te?s?|re|ptions?|vent)\b")
#: Where a clause ends (on the folded text, punctuation kept): a mark or "et".
_CLAUSE_END = re.compile(r"[,;:?.!]|\bet\b")
#: Who prescribed: "par mon rhumato", "par lui"; not "par ordonnance", "deux fois par semaine".
_BY_WHOM = re.compile(
    r"\bpar\b(?! (?:ordonnance|ecrit|courrier|mail|telephone|fois|jour|semaine|mois|an|annee)s?\b)"
)


def _care_of(part: str) -> Optional[str]:
    """The care a piece of a message names: the precise one (main_care); of settings only
    ("une consultation chez le dermato"), the vocabulary's order, where the specialist comes
    before the generic "consultation"."""
    care = main_care(care_kinds_in(part))
    return care_kind_from_text(part) if care in SETTING_KINDS else care


def prescribed_care(text: str) -> Optional[str]:
    """The care a message says was prescribed, when it names the prescriber too: "mon rhumato
    m'a prescrit un médoc" → "medicament", "des séances de kiné prescrites hier par mon
    médecin" → "kine" (the prescriber is only who asks for it). Only the clause of the
    prescription is read (up to a , ; ? . or "et"); with "par", the words before the verb. As
    its answer wins over the entities, None when unsure: no prescription, no care prescribed,
    only a prescriber ("prescrit par mon cardiologue"), or another care named after it ("il m'a
    prescrit une IRM et des séances de kiné"). When the message asks about another care than
    the one prescribed ("il m'a prescrit une IRM, et la consultation chez le cardiologue est-elle
    remboursée ?"), the care of the clause that asks."""
    folded = fold(text)
    cue = _PRESCRIBED.search(folded)
    if cue is None:
        return None
    after = folded[cue.end() :]
    end = _CLAUSE_END.search(after)
    clause, rest = (after[: end.start()], after[end.start() :]) if end else (after, "")
    by = _BY_WHOM.search(clause)
    if by is not None:
        # "des séances de kiné prescrites pour mon dos par le rhumato": the care comes before
        # the verb, the words after "par" are who prescribed it.
        before = _CLAUSE_END.split(folded[: cue.start()])[-1]
        care = _care_of(f"{before} {clause[: by.start()]}")
    else:
        care = _care_of(clause)
    if care is None:
        return None
    mark = folded.find("?")
    if mark >= 0:
        # The clause that asks, when it is not the prescription's own.
        start = max((m.end() for m in _CLAUSE_END.finditer(folded, 0, mark)), default=0)
        asking = folded[start:mark]
        asked = None if start <= cue.start() < mark else _care_of(asking)
        if asked is not None and asked != care:
            return asked
    if set(care_kinds_in(rest)) - {care}:
        return None  # several cares: the one asked about is not the prescription's to say
    return care


def care_asked(text: str, named: Iterable[Any]) -> Optional[str]:
    """The care a message asks about: the one it says was prescribed (prescribed_care), else of
    the care words named (`named`: slot values or entities, in the order of the message) the
    one asked about (main_care)."""
    return prescribed_care(text) or main_care(care_kind_from_text(str(v or "")) for v in named)


def ald_status_from_text(text: str) -> Optional[AldStatus]:
    """The ALD situation named in `text` ("je suis à 100 %", "ALD non exonérante", "pas en
    ALD"...), or None. A status code itself is accepted as is; then a phrase of the vocabulary;
    then its words, the first found wins ("non exonérante" before "exonérante", "pas en ALD"
    before "ALD")."""
    folded = words(text)
    code = folded.replace(" ", "_")
    if code in STATUS_CODES:
        return cast(AldStatus, code)
    entry = _SITUATIONS.find(folded)
    # Checked at import: the codes of the vocabulary are STATUS_CODES.
    return cast(AldStatus, entry.code) if entry is not None else None
