"""What a message tells about the patient's situation, whatever its intent.

Patients tell their situation before they ask, or inside the question: "mon protocole est parti
le 12 octobre", "je suis en ALD exonérante", "ma séance chez l'endocrino prévue au protocole",
"ma maman a Alzheimer". `read_context` finds each fact the message states clearly, so that the
conversation remembers it and no question is asked twice. A date is given a role only from the
words around it ("envoyé le…", "valable jusqu'au…"); a date with no such words is left to the
question being asked (`Facts.loose_dates`).

Pure Python: the callers decide what to keep (see actions/memory.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Dict, List, Literal, Optional, Tuple

from ald import dates
from ald.text import fold

DateRole = Literal["sent_date", "valid_until", "agreement_date", "derog_start", "request_date"]
Relative = Literal["mere", "pere", "enfant", "conjoint", "proche"]

# For each role: words just before the date (within the same clause) that give it that role.
# Checked in this order: the more specific cues first.
_ROLE_CUES: Tuple[Tuple[DateRole, str], ...] = (
    ("derog_start", r"derogatoire|d[ée]rogation|(?:sorti|sortie) de l'hopital|a l'hopital|aux urgences"),
    (
        "valid_until",
        r"jusqu'(?:au|a|en)|valable|valid|expire|expiration|s'arrete|arrete|se termine|"
        r"termine|fini[rt]?|prend fin|fin (?:de|du|le)|echeance|echu|arrive a (?:terme|echeance)|"
        r"s'acheve|se finit|va jusqu",
    ),
    (
        "agreement_date",
        r"accord|accepte|acceptee|accepte|reconnu|reconnue|notifi|obtenu|obtenue|"
        r"valide par|donne(?:e)? le 100|ouvert|ouverte|(?:a|au) 100 ?% depuis|"
        r"en ald depuis|recu (?:la|une) reponse|repondu",
    ),
    ("request_date", r"demande|demandee|fait la demande|depose|deposee"),
    (
        "sent_date",
        r"envoy|parti|partie|post[ée]|expedi|transmis|transmise|fait (?:le|mon) protocole|"
        r"rempli|remplie|signe|signee|a fait le papier|fait le papier|redige|redigee",
    ),
)
_ROLE_RES = tuple((role, re.compile(rf"(?:{cue})[a-z' ]{{0,30}}$")) for role, cue in _ROLE_CUES)
_PREFER: Dict[DateRole, dates.Prefer] = {
    "sent_date": "past",
    "valid_until": "future",
    "agreement_date": "past",
    "derog_start": "past",
    "request_date": "past",
}

# Strict ALD situations stated in a sentence ("je suis en ALD", "à 100 %"): a bare "oui" or
# "non" only answers the bot's question (coverage.ald_status_from_text), never here.
_STATUS_RES: Tuple[Tuple[str, re.Pattern[str]], ...] = (
    (
        "non_exonerante",
        re.compile(
            r"\bald non[- ]?exo\w*|\bnon[- ]?exoner\w*|\bpas exoner\w*|"
            r"\bald (?:qui n'est )?pas (?:a|au) 100|\bsans (?:le )?100 ?%"
        ),
    ),
    (
        "aucune",
        re.compile(
            r"\b(?:pas|plus|jamais ete) en ald\b|\bpas d'ald\b|\bn'ai pas (?:l'|d')ald\b|"
            r"\bpas (?:reconnu|reconnue) en ald|\bne suis pas (?:a|au) 100|\bpas (?:a|au) 100 ?%"
        ),
    ),
    (
        "exonerante",
        re.compile(
            r"\bald exo\w*|\bexoner\w*|\b(?:suis|jsuis?|chuis?|est|etre|mis|mise|passe|passee) "
            r"(?:en|a|au) (?:ald|100)|\bprise? en charge (?:a|au) 100 ?% pour (?:mon|ma|mes|son|sa)\b|"
            r"\b(?:en|mon|son|ma|une) ald (?:pour|pr|depuis|a 100)|\bj'ai (?:l'|une )ald\b|"
            r"\ben ald (?:au )?100\b|"
            r"\bmon 100 ?%|\bson 100 ?%|\breconnue? en ald"
        ),
    ),
)
_IN_PROTOCOL_NO = re.compile(
    r"\b(?:pas|plus|jamais) (?:prevue?s?|inscrite?s?|notee?s?|marquee?s?|ecrite?s?|mise?s?) "
    r"(?:au|dans|ds|sur) (?:le |mon |son |ce )?protocole|\bhors (?:du )?protocole|"
    r"\bpas (?:dans|ds) (?:le |mon |son )?protocole|\bpas sur (?:le |mon |son )?protocole"
)
_IN_PROTOCOL_YES = re.compile(
    r"\b(?:prevue?s?|inscrite?s?|notee?s?|marquee?s?|ecrite?s?|mise?s?|figure|"
    r"indiquee?s?|listee?s?) (?:au|dans|ds|sur) (?:le |mon |son |ce |leur )?protocole|"
    r"\b(?:dans|ds) (?:le |mon |son )?protocole\b|\bsur (?:le |mon |son )?protocole\b|"
    r"\bau protocole\b"
)
# The protocol as the place of a change asked for ("on peut rajouter des trucs dans le
# protocole ?", "faire ajouter la kiné au protocole") or of a content asked about ("qu'est-ce
# qui est prévu dans le protocole ?"): no statement that the user's care is in it. Infinitives
# and nouns only: "la kiné a été ajoutée au protocole" states it.
_PROTOCOL_CHANGE_OR_QUESTION = re.compile(
    r"\b(?:r?ajouter|r?ajout|inscrire|mettre|met|modifier|changer|reviser|revision|completer|"
    r"inclure|integrer|figurer|mettre a jour|mise a jour|qu'est[- ]ce qu\w*|quoi|quel(?:le)?s?|"
    r"lesquel(?:le)?s?|ce qui|ce qu'(?:il|on|y))\b"
)
_LINKED_NO = re.compile(
    r"\b(?:pas|rien a voir avec|aucun rapport avec|sans rapport avec) (?:lie|liee|liees?|en lien)?"
    r"\s?(?:a|avec)? ?(?:mon|ma|mes|son|sa) (?:ald|maladie)\b|\bpas lie|\bpas liee|"
    r"\brien a voir|\baucun rapport|\bsans rapport|\bautre chose que (?:mon|ma) (?:ald|maladie)|"
    r"\b(?:entorse|rhume|grippe|carie|angine|gastro|fracture|foulure|bronchite|otite|"
    r"cystite|conjonctivite|verrue|accident de (?:ski|sport|voiture))\b"
)
_LINKED_YES = re.compile(
    r"\b(?:lie|liee|lies|liees|en lien) (?:a|avec) (?:mon|ma|mes|son|sa|cette|l') ?(?:ald|maladie)|"
    r"\bpour (?:mon|ma|son|sa) (?:ald|maladie)\b|\ba cause de (?:mon|ma|son|sa) (?:ald|maladie)|"
    r"\bdans le cadre de (?:mon|ma|son|sa|l') ?(?:ald|maladie)"
)
_SICK_LEAVE = re.compile(
    r"\barret (?:de travail|maladie|longue? duree)|\ben arret\b|\barrete depuis\b|"
    r"\bindemnites journalieres\b|\bij\b"
)
_RELATIVES: Tuple[Tuple[Relative, re.Pattern[str]], ...] = (
    ("mere", re.compile(r"\b(?:ma|sa|notre) (?:mere|maman|mamie|grand[- ]mere|belle[- ]mere)\b|\bmaman\b")),
    ("pere", re.compile(r"\b(?:mon|son|notre) (?:pere|papa|papy|grand[- ]pere|beau[- ]pere)\b|\bpapa\b")),
    (
        "enfant",
        re.compile(
            r"\b(?:mon|ma|notre|son|sa) (?:fils|fille|enfant|bebe|petite?[- ]fils|petite?[- ]fille|ado)\b|"
            r"\bmes enfants\b"
        ),
    ),
    (
        "conjoint",
        re.compile(
            r"\b(?:mon|ma) (?:mari|femme|epouse|epoux|conjoint|conjointe|compagne|compagnon|"
            r"copain|copine)\b"
        ),
    ),
    (
        "proche",
        re.compile(r"\b(?:mon|ma) (?:frere|soeur|oncle|tante|cousin|cousine|voisin|voisine|ami|amie)\b"),
    ),
)
_CORRECTION = re.compile(
    r"^(?:non+|nan)\b[ ,.!]*(?:c'(?:est|etait)|plutot|en fait|pardon|je|le|la|l'|il|elle)|"
    r"\b(?:pardon|je me suis trompee?|je me trompe|erreur|en fait|plutot|correction|je voulais dire|"
    r"je rectifie|rectification|oups|autant pour moi|au temps pour moi|pas le .{1,20} mais|"
    r"c'etait le|c'est le .{1,20} pas|excusez[- ]moi|desole)\b"
)


@dataclass(frozen=True)
class Facts:
    """What one message states. `dates`: role → date, only dates whose role the words make
    clear; `loose_dates`: dates found without such words (their role comes from the question
    being asked); `bad_dates`: date expressions that could not be read (role or None, text,
    error code of ald.dates). Other fields are None when the message says nothing of them."""

    dates: Dict[DateRole, date] = field(default_factory=dict)
    loose_dates: Tuple[str, ...] = ()
    bad_dates: Tuple[Tuple[Optional[DateRole], str, str], ...] = ()
    ald_status: Optional[str] = None
    in_protocol: Optional[bool] = None
    linked_to_ald: Optional[bool] = None
    sick_leave: Optional[bool] = None
    relative: Optional[Relative] = None
    correction: bool = False

    def is_empty(self) -> bool:
        return not (
            self.dates
            or self.loose_dates
            or self.bad_dates
            or self.ald_status
            or self.in_protocol is not None
            or self.linked_to_ald is not None
            or self.sick_leave
            or self.relative
        )


def date_role(folded_before: str) -> Optional[DateRole]:
    """The role the words just before a date give it, or None."""
    clause = re.split(r"[.;!?]|\bet\b|\bmais\b|,", folded_before)[-1]
    for role, pattern in _ROLE_RES:
        if pattern.search(clause):
            return role
    return None


def date_of_open_role(previous: str, loose: str, today: date) -> Optional[Tuple[DateRole, date]]:
    """A date told alone ("il y a 3 semaines") right after a message that named what happened
    without saying when ("mon médecin a envoyé le protocole"): that role and the date read
    for it, or None when the previous message gave no role or already held a date."""
    if dates.find_dates(previous):
        return None
    role = date_role(fold(previous))
    if role is None:
        return None
    parsed = dates.parse_date_fr(loose, today, _PREFER[role])
    return (role, parsed.value) if parsed.value is not None else None


def read_dates(
    text: str, today: date
) -> Tuple[Dict[DateRole, date], List[str], List[Tuple[Optional[DateRole], str, str]]]:
    """The dates of a message: (with a role, without one, unreadable)."""
    folded = fold(text)
    roles: Dict[DateRole, date] = {}
    loose: List[str] = []
    bad: List[Tuple[Optional[DateRole], str, str]] = []
    for span in dates.find_dates(text):
        role = date_role(folded[max(0, span.start - 60) : span.start])
        if role is None:
            loose.append(span.text)
            continue
        parsed = dates.parse_date_fr(span.text, today, _PREFER[role])
        if parsed.value is None:
            bad.append((role, span.text, parsed.error or "unparsed"))
        else:
            roles[role] = parsed.value  # the last date of a role wins: "le 12, non le 2"
    return roles, loose, bad


def ald_status_in(text: str) -> Optional[str]:
    """The ALD situation a sentence states ("je suis en ALD", "ALD non exonérante", "pas en
    ALD", "à 100 %"), or None."""
    folded = fold(text)
    for status, pattern in _STATUS_RES:
        if pattern.search(folded):
            return status
    return None


def _first(patterns: Tuple[Tuple[Relative, re.Pattern[str]], ...], folded: str) -> Optional[Relative]:
    best: Optional[Tuple[int, Relative]] = None
    for code, pattern in patterns:
        found = pattern.search(folded)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), code)
    return best[1] if best else None


def read_context(text: str, today: date) -> Facts:
    """Every fact `text` states clearly (see `Facts`)."""
    folded = fold(text)
    if not folded:
        return Facts()
    roles, loose, bad = read_dates(text, today)
    in_protocol: Optional[bool] = None
    if _IN_PROTOCOL_NO.search(folded):
        in_protocol = False
    elif _states_in_protocol(folded) and _care_context(folded):
        in_protocol = True
    linked: Optional[bool] = None
    if _LINKED_NO.search(folded):  # first: "pas lié à mon ALD" holds "lié à mon ALD"
        linked = False
    elif _LINKED_YES.search(folded):
        linked = True
    elif in_protocol:
        linked = True  # the protocol lists only the care of the ALD
    return Facts(
        dates=roles,
        loose_dates=tuple(loose),
        bad_dates=tuple(bad),
        ald_status=ald_status_in(folded),
        in_protocol=in_protocol,
        linked_to_ald=linked,
        sick_leave=True if _SICK_LEAVE.search(folded) else None,
        relative=_first(_RELATIVES, folded),
        correction=bool(_CORRECTION.search(folded)),
    )


def _states_in_protocol(folded: str) -> bool:
    """True when the words say that a care is written in the protocol ("c'est inscrit dans mon
    protocole", "ma séance prévue au protocole"), not when the protocol is only where a change
    is asked ("on peut rajouter des trucs dans le protocole ?") or what it holds is asked."""
    for found in _IN_PROTOCOL_YES.finditer(folded):
        clause = re.split(r"[.;!?,]", folded[: found.start()])[-1]
        # The few words just before: "qu'est-ce que je paie pour ma kiné qui est dans le
        # protocole" states it, though its clause starts with a question word.
        near = " ".join(clause.split()[-4:])
        if _PROTOCOL_CHANGE_OR_QUESTION.search(near + " " + found.group(0)):
            continue
        # A supposition states it for the answer to come ("et si le médicament était dans le
        # protocole ?").
        if re.search(r"\bsi\b.*\b(?:etai[st]|etaient|avait)\b", clause):
            return True
        # Whether it is in the protocol is what is asked ("la kiné est dans le protocole ?",
        # "je voudrais savoir si c'est au protocole"): the user does not know it.
        if re.match(r"\s*(?:ou (?:pas|non)\b.*)?\?", folded[found.end() :]) or re.search(r"\bsi\b", near):
            continue
        return True
    return False


def _care_context(folded: str) -> bool:
    """ "Prévu au protocole" speaks of a care only when the protocol is not itself the subject
    ("mon protocole est parti…")."""
    return not re.search(
        r"\b(?:mon|le|son|ce) protocole (?:est|a ete|etait) (?:parti|envoye|valable|fini)", folded
    )
