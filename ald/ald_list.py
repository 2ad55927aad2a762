"""The ALD 30 list (29 affections since n° 12 was removed in 2011) and a disease look-up.

Source: FACTS.md, 'The ALD 30 list' (annexe to CSS D160-4, in force since 10 July 2024;
R160-11 for renewal; décret 2011-726 for the removal of n° 12). The data: the list, the
removed n° 12 and the common diseases not on the list in content/ald_list.yml.

`lookup_disease("diabete")` answers with a status:
- "on_list": the disease belongs to an affection of the list (`entry`, and `variant` when the
  affection has sub-forms with their own initial duration, e.g. n° 23 mood disorders: 5 years);
- "removed": severe arterial hypertension, n° 12, removed from the list in 2011;
- "not_on_list": a known disease that is not on the list (fibromyalgie, endométriose,
  migraine, asthme, arthrose...): the answer explains ALD 31 / ALD 32 / ALD non exonérante.
`None`: nothing recognised.

Whether a given patient meets the medical criteria is for the médecin conseil: a match is
never a decision.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Optional, Tuple, cast, get_args

from ald.content import load_content
from ald.text import words

RenewalNote = Literal["renewable", "renewable_while_treated", "renewable_10y"]
MatchStatus = Literal["on_list", "removed", "not_on_list"]


@dataclass(frozen=True)
class AldVariant:
    """A sub-form of an affection with its own initial duration.

    `key`: stable code ("23_humeur"); `label`: French name with its article, for answers
    ("les troubles de l'humeur"); `years`: initial duration of the exoneration."""

    key: str
    label: str
    years: int


@dataclass(frozen=True)
class AldEntry:
    """One affection of the list: `number` (n°), official `name`, `label` (French, with its
    article, for answers), `years` (initial duration when there are no variants; with variants,
    the shortest one), `variants` (sub-forms with their own duration), `renewal_note` code:
      - "renewable": renewable in the same conditions (R160-11), the default;
      - "renewable_while_treated": n° 26 and n° 30, renewable only while treated (n° 30: or
        while sequelae are cared for);
      - "renewable_10y": n° 1, 3 years then renewable by periods of 10 years."""

    number: int
    name: str
    label: str
    years: int
    variants: Tuple[AldVariant, ...] = ()
    renewal_note: RenewalNote = "renewable"

    @property
    def key(self) -> str:
        return str(self.number)


@dataclass(frozen=True)
class RemovedEntry:
    """An affection removed from the list: n° 12, removed in 2011 (décret 2011-726). `label`:
    French name with its article, for answers."""

    number: int
    name: str
    removed_in: int
    legal_ref: str
    label: str


@dataclass(frozen=True)
class AldMatch:
    """The result of `lookup_disease` / `match_from_key`.

    `status`: "on_list" | "removed" | "not_on_list" (see the module docstring).
    `key`: for "on_list", the entry's number ("8") or the variant's key ("23_humeur"), the value
    of the ald_key slot; for "not_on_list", the disease code ("fibromyalgie"); for "removed",
    "12". `entry`/`variant`: the affection (on_list only). `label`: the French name for answers.
    `hint`: an extra code for the answer: "severe_forms_n14" (asthma is not on the list; only a
    severe chronic respiratory insufficiency is, as n° 14), "" otherwise."""

    status: MatchStatus
    key: str
    label: str
    entry: Optional[AldEntry] = None
    variant: Optional[AldVariant] = None
    hint: str = ""

    @property
    def years(self) -> Optional[int]:
        """Initial duration in years (on_list only; with variants but none chosen: the
        shortest, see `years_options`)."""
        if self.variant is not None:
            return self.variant.years
        return self.entry.years if self.entry is not None else None

    @property
    def years_options(self) -> Tuple[int, ...]:
        """Every possible initial duration, shortest first (several when no variant is known)."""
        if self.variant is not None:
            return (self.variant.years,)
        if self.entry is None:
            return ()
        if self.entry.variants:
            return tuple(sorted({v.years for v in self.entry.variants}))
        return (self.entry.years,)


# --------------------------------------------------------------------------- the data

_DATA = load_content("ald_list.yml")


def _field(item: Dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = item.get(name)
    if not isinstance(value, kind):
        raise ValueError(f"content/ald_list.yml, {where}: {name} must be a {kind.__name__}")
    return value


def _entry(item: Dict[str, Any]) -> AldEntry:
    where = f"n° {item.get('number')}"
    note = item.get("renewal_note", "renewable")
    if note not in get_args(RenewalNote):
        raise ValueError(f"content/ald_list.yml, {where}: unknown renewal_note {note!r}")
    variants = tuple(AldVariant(_field(v, "key", str, where), _field(v, "label", str, where),
                                _field(v, "years", int, where)) for v in item.get("variants") or ())
    return AldEntry(_field(item, "number", int, where), _field(item, "name", str, where),
                    _field(item, "label", str, where), _field(item, "years", int, where),
                    variants, cast(RenewalNote, note))


#: The list, in order (n° 12 removed). Source: FACTS.md, 'The ALD 30 list' (annexe D160-4).
ALD30: Tuple[AldEntry, ...] = tuple(_entry(item) for item in _DATA["list"])

#: n° 12, removed in 2011. Source: FACTS.md, 'The ALD 30 list' (décret 2011-726).
REMOVED: Tuple[RemovedEntry, ...] = tuple(
    RemovedEntry(_field(r, "number", int, "removed"), _field(r, "name", str, "removed"),
                 _field(r, "removed_in", int, "removed"), _field(r, "legal_ref", str, "removed"),
                 _field(r, "label", str, "removed"))
    for r in _DATA["removed"])

_BY_NUMBER: Dict[int, AldEntry] = {e.number: e for e in ALD30}
_VARIANTS: Dict[str, Tuple[AldEntry, AldVariant]] = {v.key: (e, v) for e in ALD30 for v in e.variants}
_REMOVED: Dict[str, RemovedEntry] = {str(r.number): r for r in REMOVED}

#: Common diseases NOT on the list: code → (French label, hint code or "").
NOT_ON_LIST: Dict[str, Tuple[str, str]] = {
    _field(d, "code", str, "not_on_list"): (_field(d, "label", str, "not_on_list"), str(d.get("hint") or ""))
    for d in _DATA["not_on_list"]}


# (regex over the folded text, target): target is an entry number ("8"), a variant key
# ("23_humeur"), "removed:12", "not:<code>", or "skip" (a known phrase that must NOT match a
# broader rule, e.g. "hypertension pulmonaire", "tumeur bénigne"). First match wins: the
# specific rules come before the general ones.
_RULES: Tuple[Tuple[str, str], ...] = (
    (r"hypertension (arterielle )?pulmonaire|htap", "skip"),
    (r"tumeur(s)? benigne", "skip"),
    (r"diabete gestationnel", "skip"),
    # n° 28 before "rein"/"coeur"/"foie": a kidney graft is n° 28
    (r"greffe de (la )?cornee|greffe (de )?cornee|keratoplastie", "28_cornee"),
    (r"greff|transplant", "28_organe"),
    # n° 30
    (r"cancer|tumeur|leucemie|lymphome|myelome|carcinome|sarcome|melanome|hodgkin|glioblastome"
     r"|metastase|chimiotherapie|chimio", "30"),
    # n° 6
    (r"cirrhose", "6_cirrhose"),
    (r"hepatite", "6_hepatite"),
    (r"maladie (chronique )?du foie", "6"),
    # n° 19
    (r"syndrome nephrotique", "19_nephrotique"),
    (r"insuffisance renale|insuffisant renal|dialyse|nephropathie|maladie (chronique )?des reins"
     r"|maladie renale|polykystose renale", "19_nephropathie"),
    # n° 14 before "asthme"
    (r"insuffisance respiratoire|insuffisant respiratoire|bpco|broncho ?pneumopathie chronique"
     r"|emphyseme|bronchite chronique obstructive|oxygenotherapie", "14"),
    # n° 5
    (r"troubles? du rythme|arythmie|fibrillation (auriculaire|atriale)|tachycardie ventriculaire",
     "5_rythme"),
    (r"insuffisance cardiaque|insuffisant cardiaque", "5_cardiaque"),
    (r"valvulopathie|cardiopathie valvulaire|retrecissement aortique|valve (cardiaque|aortique|mitrale)",
     "5_valvulaire"),
    (r"cardiopathie congenitale|malformation cardiaque", "5_congenitale"),
    # n° 13
    (r"infarctus|maladie coronaire|coronaropathie|angine de poitrine|angor|pontage coronarien"
     r"|stent", "13"),
    # n° 1
    (r"\bavc\b|accident vasculaire|attaque cerebrale", "1"),
    # n° 3
    (r"arterite|arteriopathie", "3"),
    # n° 7
    (r"\bvih\b|\bhiv\b|\bsida\b|seropositi|deficit immunitaire", "7"),
    # n° 8
    (r"diabet", "8"),
    # n° 15 before n° 9
    (r"alzheimer|demence|corps de lewy", "15"),
    # n° 16
    (r"parkinson", "16"),
    # n° 25 before n° 9
    (r"sclerose en plaques?|\bsep\b", "25"),
    # n° 9
    (r"epilepsie|epileptique|myopathie|\bsla\b|sclerose laterale|maladie de charcot|myasthenie"
     r"|huntington|dystrophie musculaire", "9"),
    # n° 10
    (r"drepanocytose|thalassemie|hemoglobinopathie|anemie hemolytique", "10"),
    # n° 11
    (r"hemophil|willebrand", "11"),
    # n° 2
    (r"aplasie medullaire|insuffisance medullaire|cytopenie", "2"),
    # n° 4
    (r"bilharziose", "4"),
    # n° 17
    (r"maladie metabolique|phenylcetonurie|maladie de gaucher|maladie de wilson", "17"),
    # n° 18
    (r"mucoviscidose", "18"),
    # n° 20
    (r"paraplegi", "20"),
    # n° 21
    (r"lupus|sclerodermie|vascularite|maladie de horton|periarterite noueuse|granulomatose", "21"),
    # n° 22
    (r"polyarthrite", "22"),
    # n° 23
    (r"schizophren|psychose|psychotique|trouble delirant|paranoia", "23_psychoses"),
    (r"depression|depressif|depressive|bipolaire|troubles? de l.?humeur|maniaco", "23_humeur"),
    (r"autisme|autiste|\btsa\b|deficience intellectuelle|retard mental"
     r"|troubles? du developpement intellectuel|troubles? envahissants? du developpement", "23_developpement"),
    (r"\btoc\b|troubles? obsessionnels?|troubles? de la personnalite|personnalite borderline"
     r"|etat limite|troubles? anxieux graves?|nevrose", "23_personnalite"),
    (r"psychiatri|maladie mentale|troubles? mentaux|trouble mental", "23"),
    # n° 24
    (r"crohn|rectocolite|\brch\b|maladie inflammatoire (chronique )?de l.?intestin|\bmici\b", "24"),
    # n° 26
    (r"scoliose", "26"),
    # n° 27
    (r"spondylarthrite|pelvispondylite|spondylite ankylosante", "27"),
    # n° 29
    (r"tuberculose", "29_tuberculose"),
    (r"lepre", "29_lepre"),
    # n° 12, removed
    (r"hypertension|\bhta\b|tension arterielle|trop de tension|hypertendu|de la tension\b", "removed:12"),
    # not on the list
    (r"fibromyalgi", "not:fibromyalgie"),
    (r"endometriose", "not:endometriose"),
    (r"migraine", "not:migraine"),
    (r"asthm", "not:asthme"),
    (r"arthrose", "not:arthrose"),
    (r"lombalgie|mal de dos|lumbago|sciatique", "not:lombalgie"),
    (r"hernie discale", "not:hernie_discale"),
    (r"obesite|surpoids", "not:obesite"),
    (r"apnee du sommeil|apnees du sommeil|\bsas\b", "not:apnee_sommeil"),
    (r"thyroid|hashimoto|basedow", "not:thyroide"),
    (r"cholesterol", "not:cholesterol"),
    (r"psoriasis", "not:psoriasis"),
    (r"eczema", "not:eczema"),
    (r"glaucome", "not:glaucome"),
    (r"cataracte", "not:cataracte"),
    (r"covid long", "not:covid_long"),
    (r"allergi", "not:allergie"),
    (r"osteoporose", "not:osteoporose"),
)
_COMPILED: Tuple[Tuple["re.Pattern[str]", str], ...] = tuple((re.compile(p), t) for p, t in _RULES)

#: Words of the rules, for the typo-tolerant second pass (e.g. "parkinsone", "alzeimer",
#: "diabette", "mucovicidose").
_VOCABULARY: Tuple[str, ...] = (
    "cancer", "tumeur", "leucemie", "lymphome", "myelome", "melanome", "cirrhose", "hepatite",
    "dialyse", "nephropathie", "emphyseme", "arythmie", "infarctus", "coronaire", "arterite",
    "diabete", "alzheimer", "demence", "parkinson", "sclerose", "plaques", "epilepsie", "myopathie",
    "myasthenie", "drepanocytose", "thalassemie", "hemophilie", "bilharziose", "mucoviscidose",
    "paraplegie", "lupus", "sclerodermie", "vascularite", "polyarthrite", "schizophrenie",
    "psychose", "depression", "bipolaire", "autisme", "psychiatrique", "crohn", "rectocolite",
    "scoliose", "spondylarthrite", "tuberculose", "lepre", "transplantation", "greffe", "cornee",
    "hypertension", "fibromyalgie", "endometriose", "migraine", "asthme", "arthrose", "lombalgie",
    "obesite", "psoriasis", "glaucome", "cataracte", "osteoporose", "insuffisance", "cardiaque",
    "respiratoire", "renale", "personnalite", "humeur",
)



def _fix_typos(folded: str) -> str:
    words: List[str] = []
    for word in folded.split(" "):
        if len(word) >= 6 and word not in _VOCABULARY:
            close = difflib.get_close_matches(word, _VOCABULARY, n=1, cutoff=0.85)
            words.append(close[0] if close else word)
        else:
            words.append(word)
    return " ".join(words)


def _match_target(target: str) -> Optional[AldMatch]:
    if target == "skip":
        return None
    if target.startswith("removed:"):
        removed = _REMOVED[target.split(":")[1]]
        return AldMatch("removed", str(removed.number), removed.label)
    if target.startswith("not:"):
        code = target[4:]
        label, hint = NOT_ON_LIST[code]
        return AldMatch("not_on_list", code, label, hint=hint)
    return match_from_key(target)


def _lookup(folded: str) -> Tuple[bool, Optional[AldMatch]]:
    for pattern, target in _COMPILED:
        if pattern.search(folded):
            return True, _match_target(target)
    return False, None


def lookup_disease(text: str) -> Optional[AldMatch]:
    """The list's answer for a disease named in `text` (common names, no accents, light
    typos); None when nothing is recognised. See the module docstring for the statuses.
    A number alone ("30", "ALD 8", "n° 23") is read as the list's number."""
    folded = words(text)
    if not folded:
        return None
    number = re.fullmatch(r"(?:ald\s*)?(?:n\s*|numero\s*|no\s*)?(\d{1,2})", folded)
    if number:
        n = int(number.group(1))
        if n in _BY_NUMBER:
            return match_from_key(str(n))
        if any(r.number == n for r in REMOVED):
            return _match_target(f"removed:{n}")
        return None
    found, match = _lookup(folded)
    if found:
        return match
    found, match = _lookup(_fix_typos(folded))
    return match if found else None


def match_from_key(key: str) -> AldMatch:
    """The on-list match for a key of `AldMatch.key` ("8", "23_humeur"); KeyError otherwise."""
    key = str(key)
    if key in _VARIANTS:
        entry, variant = _VARIANTS[key]
        return AldMatch("on_list", key, variant.label, entry=entry, variant=variant)
    if key.isdigit() and int(key) in _BY_NUMBER:
        entry = _BY_NUMBER[int(key)]
        return AldMatch("on_list", key, entry.label, entry=entry)
    raise KeyError(key)


def entry(number: int) -> AldEntry:
    """The affection n° `number` (KeyError for 12, removed, or an unknown number)."""
    return _BY_NUMBER[number]


def duration_text_fr(match: AldMatch) -> str:
    """The initial duration in French, for answers: "10 ans", "3 ans, puis par périodes de
    10 ans", "5 ans ou 10 ans selon la forme de la maladie". "" when not on the list."""
    if match.status != "on_list" or match.entry is None:
        return ""
    options = match.years_options
    if len(options) > 1:
        return " ou ".join(f"{y} ans" for y in options) + " selon la forme de la maladie"
    text = f"{options[0]} ans"
    if match.entry.renewal_note == "renewable_10y":
        text += ", puis par périodes de 10 ans"
    return text
