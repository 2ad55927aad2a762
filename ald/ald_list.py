"""The ALD 30 list (29 affections since n° 12 was removed in 2011) and a disease look-up.

Source: FACTS.md, 'The ALD 30 list' (annexe to CSS D160-4, in force since 10 July 2024;
R160-11 for renewal; décret 2011-726 for the removal of n° 12). The data: the list, the
removed n° 12 and the common diseases not on the list in content/ald_list.yml; what people
write for each of them in content/vocabulary.yml (section diseases, ald.vocabulary).

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

from ald import vocabulary
from ald.content import load_content
from ald.text import words

RenewalNote = Literal[
    "renewable", "renewable_while_treated", "renewable_while_treated_or_sequelae", "renewable_10y"
]
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
      - "renewable_while_treated": n° 26, renewable only while treated;
      - "renewable_while_treated_or_sequelae": n° 30, while treated or while sequelae are cared
        for (sequelae: n° 30 only, FACTS.md 'The ALD 30 list');
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
    variants = tuple(
        AldVariant(
            _field(v, "key", str, where), _field(v, "label", str, where), _field(v, "years", int, where)
        )
        for v in item.get("variants") or ()
    )
    return AldEntry(
        _field(item, "number", int, where),
        _field(item, "name", str, where),
        _field(item, "label", str, where),
        _field(item, "years", int, where),
        variants,
        cast(RenewalNote, note),
    )


#: The list, in order (n° 12 removed). Source: FACTS.md, 'The ALD 30 list' (annexe D160-4).
ALD30: Tuple[AldEntry, ...] = tuple(_entry(item) for item in _DATA["list"])

#: n° 12, removed in 2011. Source: FACTS.md, 'The ALD 30 list' (décret 2011-726).
REMOVED: Tuple[RemovedEntry, ...] = tuple(
    RemovedEntry(
        _field(r, "number", int, "removed"),
        _field(r, "name", str, "removed"),
        _field(r, "removed_in", int, "removed"),
        _field(r, "legal_ref", str, "removed"),
        _field(r, "label", str, "removed"),
    )
    for r in _DATA["removed"]
)

_BY_NUMBER: Dict[int, AldEntry] = {e.number: e for e in ALD30}
_VARIANTS: Dict[str, Tuple[AldEntry, AldVariant]] = {v.key: (e, v) for e in ALD30 for v in e.variants}
_REMOVED: Dict[str, RemovedEntry] = {str(r.number): r for r in REMOVED}


def removed_entry(key: str) -> RemovedEntry:
    """The affection removed from the list under `key` ("12"); KeyError otherwise."""
    return _REMOVED[str(key)]


#: Common diseases NOT on the list: code → (French label, hint code or "").
NOT_ON_LIST: Dict[str, Tuple[str, str]] = {
    _field(d, "code", str, "not_on_list"): (_field(d, "label", str, "not_on_list"), str(d.get("hint") or ""))
    for d in _DATA["not_on_list"]
}


# --------------------------------------------------------------------------- the look-up

#: What people write, by AldMatch key; first match wins (content/vocabulary.yml, diseases).
_NAMES = vocabulary.diseases()


def _match_code(code: Optional[str]) -> Optional[AldMatch]:
    """The answer for a code of the vocabulary: a key of the list ("8", "23_humeur"), of a
    removed affection ("12"), of a disease not on the list ("fibromyalgie"); None: no answer."""
    if code is None:
        return None
    if code in _REMOVED:
        removed = _REMOVED[code]
        return AldMatch("removed", code, removed.label)
    if code in NOT_ON_LIST:
        label, hint = NOT_ON_LIST[code]
        return AldMatch("not_on_list", code, label, hint=hint)
    return match_from_key(code)


def _fix_typos(folded: str) -> str:
    """Words of 6 letters or more replaced by the closest typo word, if close enough."""
    fixed: List[str] = []
    for word in folded.split(" "):
        if len(word) >= 6 and word not in _NAMES.typo_words:
            close = difflib.get_close_matches(word, _NAMES.typo_words, n=1, cutoff=0.85)
            fixed.append(close[0] if close else word)
        else:
            fixed.append(word)
    return " ".join(fixed)


def lookup_disease(text: str) -> Optional[AldMatch]:
    """The list's answer for a disease named in `text` (common names, no accents, light
    typos); None when nothing is recognised. See the module docstring for the statuses.
    A number alone ("30", "ALD 8", "n° 23") is read as the list's number. Otherwise: a phrase
    of the vocabulary, then its patterns, then its patterns again after fixing typos."""
    folded = words(text)
    if not folded:
        return None
    number = re.fullmatch(r"(?:ald\s*)?(?:n\s*|numero\s*|no\s*)?(\d{1,2})", folded)
    if number:
        n = int(number.group(1))
        if n in _BY_NUMBER or str(n) in _REMOVED:
            return _match_code(str(n))
        return None
    found = _NAMES.find(folded)
    if found is None:
        found = _NAMES.search(_fix_typos(folded))
    return _match_code(found.code) if found is not None else None


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


def _check_vocabulary() -> None:
    """Every disease code of content/vocabulary.yml has an answer here: fail at import rather
    than on a user's message."""
    for code in _NAMES.codes():
        try:
            _match_code(code)
        except KeyError:
            raise ValueError(
                f"content/vocabulary.yml, diseases: {code!r} is not a key of " "content/ald_list.yml"
            ) from None


_check_vocabulary()


#: Words of a question about a disease that are not the disease's name ("est-ce que la
#: maladie de mon père est une ALD ?").
_QUESTION_WORDS = frozenset(
    """est ce que qu c cest c'est une un la le les l d de du des ma mon mes sa son ses ta ton
    votre vos notre leur il elle ils elles on j je jai j'ai a ai as avez ont eu fait partie
    liste ald alds affection affections longue duree maladie maladies pathologie reconnue
    reconnu ou pas non oui bien aussi est-ce elle-meme et en au aux pour qui quoi quel quelle
    sur dans avec ca cela ceci considere consideree comme 100 pourcent prise prise charge
    pris droit avoir peut peux puis on y mere pere fils fille femme mari frere soeur enfant
    bebe grand grand-mere grand-pere papa maman copine copain oncle tante ami amie diagnostique
    diagnostiquee atteint atteinte souffre souffrir vient apprendre savoir voudrais veux
    svp stp merci bonjour comment savoir si quelles quels lesquelles sont etre etait malade
    malades donne donnent rare rares vrai dit dire medecin docteur grave graves chronique
    chroniques longue longues toutes tous tout quand combien pourquoi faut faire demande
    demander concerne concernee passe prend prendre rembourse remboursee remboursement
    compte comptent fait font partie type genre sorte liste officielle encore deja reconnues
    acceptee acceptees accepte acceptes inscrite inscrites inscrit inscrits
    cette cet ces passer rentre rentrer entre entrer ouvre ouvrent ouvrir mettre mis mise
    obtenir beneficier releve relever classee classe cadre possible serait pourrait
    maintenant depuis apres suite""".split()
)
#: Words of a state told with the question, not a disease's name: "il est paralysé d'un côté,
#: ça peut passer en ALD ?" asks which disease rather than reading "paralyse cote" as a name.
_STATE_WORDS = frozenset(
    """paralyse paralysee paralyses paralysees cote reste restee handicape handicapee
    sequelle sequelles gauche""".split()
)


def unknown_name_in(text: str) -> Optional[str]:
    """What is left of a question about a disease once its question words are removed
    ("glomerulite zorglub" in "est-ce que la glomérulite de Zorglub est une ALD ?"), when it
    could be a disease's name (a word of 4 letters or more); None otherwise."""
    left = [
        w for w in words(text).replace("'", " ").split() if w not in _QUESTION_WORDS and w not in _STATE_WORDS
    ]
    if not any(len(w) >= 4 and not w.isdigit() for w in left):
        return None
    return " ".join(left)
