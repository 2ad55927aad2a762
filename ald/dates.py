"""French dates: finding them in a message, reading them, checking them, writing them.

Users type on a phone, often without accents or capitals: "10 fevrier", "le 1er aout",
"15/12/25", "il y a 10 jours", "ca fait 15 jours", "le 3 mars dernier", "le 3 du mois
dernier", or correct a date with a day alone ("non pardon c'etait le 12"). This module:

- finds date expressions in a whole sentence (`find_dates`, regex spans over a folded copy of
  the text, so that offsets are those of the original text);
- reads one (`parse_date_fr`): explicit dates are checked here (day and month must exist: no
  silent correction of "31 février" or "32 janvier"), relative ones ("hier", "il y a 3 mois",
  "la semaine dernière") are computed by dateparser from the injected `today`, a day of a
  relative month ("le 3 du mois dernier") or a day alone ("le 12", completed with `prefer`)
  from `today` with `add_months_clamped`;
- checks which side of today a date is on and rejects absurd ones (`check_side`);
- writes a date in French (`format_date_fr`, Babel, "1er" for the first of the month);
- adds calendar months (`add_months_clamped`, dateutil: 31 May − 3 months = 28/29 February).

The clock is ald.clock; every function here takes `today`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Dict, Iterator, List, Literal, Optional, Tuple

from babel.dates import format_date
from dateutil.relativedelta import relativedelta

from ald.text import fold_same_length

if TYPE_CHECKING:  # dateparser is imported on first use (slow import; find_dates does not need it)
    from dateparser.date import DateDataParser


Prefer = Literal["past", "future"]
MustBe = Literal["past", "future", "any"]
ParseError = Literal["unparsed", "impossible", "imprecise"]
Side = Literal["ok", "future_not_allowed", "past_not_allowed", "too_old", "too_far"]

#: No protocole de soins can be older than the law that created it (13 August 2004).
#: Source: FACTS.md, 'What it is' (loi du 13 août 2004).
EARLIEST_DATE = date(2004, 8, 13)
#: The longest exoneration lasts 10 years (FACTS.md, 'The ALD 30 list'): an end date more than
#: 15 years ahead is a typo.
MAX_YEARS_AHEAD = 15


# --------------------------------------------------------------------------- clock, arithmetic


def add_months_clamped(d: date, months: int) -> date:
    """`d` plus `months` calendar months (negative: minus), the day clamped to the month's
    length: 31 May 2028 − 3 months = 29 February 2028; 31 January + 1 month = 28/29 February."""
    return d + relativedelta(months=months)


def add_years_clamped(d: date, years: int) -> date:
    """`d` plus `years` years; 29 February becomes 28 February in a common year."""
    return d + relativedelta(years=years)


def format_date_fr(d: date) -> str:
    """ "9 février 2026", "1er avril 2026" (Babel fr_FR, plus the French "1er" rule)."""
    text = format_date(d, "d MMMM y", locale="fr_FR")
    return "1er" + text[1:] if d.day == 1 else text


def format_day_month_fr(d: date, with_weekday: bool = False) -> str:
    """ "30 novembre", "lundi 30 novembre", "mardi 1er décembre" (no year)."""
    pattern = "EEEE d MMMM" if with_weekday else "d MMMM"
    text = format_date(d, pattern, locale="fr_FR")
    if d.day == 1:
        text = re.sub(r"(^|\s)1(\s)", r"\g<1>1er\2", text, count=1)
    return text


# --------------------------------------------------------------------------- patterns

MONTHS: Dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "janver": 1,
    "jan": 1,
    "fevrier": 2,
    "fevier": 2,
    "fervier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
#: Full names only (used where a month appears without a day, to avoid false positives).
FULL_MONTHS = (
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
)
WEEKDAYS: Dict[str, int] = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
NUMBER_WORDS: Dict[str, int] = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
}


def _day_words() -> Dict[str, int]:
    """Days of the month in words, keys with single spaces: "premier", "deux", "dix sept",
    "vingt et un", "trente et un" (hyphens or spaces in the text); not "un" (1 is "premier")."""
    small = [
        "un",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "onze",
        "douze",
        "treize",
        "quatorze",
        "quinze",
        "seize",
        "dix sept",
        "dix huit",
        "dix neuf",
    ]
    words = {w: i for i, w in enumerate(small, start=1) if w != "un"}  # "un mars": a chocolate bar
    words.update({"premier": 1, "vingt": 20, "trente": 30, "vingt et un": 21, "trente et un": 31})
    for i, unit in enumerate(small[1:9], start=2):
        words[f"vingt {unit}"] = 20 + i
    return words


DAY_WORDS: Dict[str, int] = _day_words()
_DAY_WORD_RE = "|".join(r"[\s-]+".join(w.split()) for w in sorted(DAY_WORDS, key=len, reverse=True))
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_MONTH_RE = "|".join(FULL_MONTHS)
_WEEKDAY_RE = "|".join(WEEKDAYS)
_NUM_RE = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNIT_RE = r"jours?|semaines?|mois|ans?|annees?"
# A two-digit year must not be a quantity ("le 10 mars 15 jours", "le 3 mai 20 h").
_NOT_QUANTITY = r"(?!\s*(?:ans?\b|annees?\b|h\b|h\d|heures?\b|%|€|euros?\b|jours?\b|mois\b|:|\d))"
# What comes before a number of units ago: "il y a", "y a", "ya", "voila", "ca fait", "cela fait",
# "ca va faire" (the spelling "sa fait" too).
_AGO_RE = r"il\s*y\s*a|y\s*a|ya|voila|(?:ca|cela|sa)\s+(?:fait|va\s+faire)"
#: "le 3 du mois dernier", "le 15 de ce mois": months from the current one.
MONTH_OFFSETS: Dict[str, int] = {
    "dernier": -1,
    "passe": -1,
    "precedent": -1,
    "prochain": 1,
    "suivant": 1,
    "ce": 0,
    "en cours": 0,
}
# A day of the month alone ("le 12"): 1 to 31, with "er" for the first.
_BARE_DAY_RE = r"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)(?:\s?er\b)?"
# ... and only where it answers or corrects a date question: the message starts there, or just
# after "c'etait", "plutot", "non", "pardon", "en fait", "ah", "euh", "oups" (not after "appelez":
# "le 15" is the SAMU; checked in _raw_matches)...
_BARE_DAY_BEFORE = re.compile(
    r"(?:^|[.!?;]|(?<![\w-])(?:c\s?'?\s?etai[ts]?|etait|c\s?'?\s?est|plutot|non|pardon|en\s+fait|ah|euh|oups))"
    r"[\s,]*$"
)
# ... and nothing but punctuation or a hedge after it ("le 12 je crois"): no month ("le 12
# novembre" is textual), no unit, no other number ("le 06 12 34 56 78").
_BARE_DAY_AFTER = (
    r"(?![.,]\d)(?=\s*(?:[.!?,;)]|$|(?:je\s+(?:crois|pense)|normalement|il\s+me\s+semble|plutot|pardon"
    r"|en\s+fait|du\s+coup|svp|merci)\b))"
)

_PATTERNS: Tuple[Tuple[str, re.Pattern[str]], ...] = (
    # 2026-04-20, 2026/04/20
    (
        "iso",
        re.compile(
            r"(?<![\d/.-])(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" r"(?![\d/-]|\.\d)"
        ),
    ),
    # 15/12/2025, 15-12-25, 15.12.2025 (the same separator twice)
    (
        "numeric",
        re.compile(
            r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)"
            r"(?P<y>\d{4}|\d{2})(?![\d/-]|\.\d)"
        ),
    ),
    # 15/12 (no year): the month must have two digits, so that "1/2 comprimé" is not a date...
    ("numeric_noyear", re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})/(?P<m>\d{2})(?![\d/]|\.\d)")),
    # ... or any month after "le", "du", "au": "le 5/9"
    (
        "numeric_noyear",
        re.compile(
            r"(?<=(?:le|du|au) )(?<![\w'](?:le|du|au) )(?P<d>\d{1,2})/(?P<m>\d{1,2})" r"(?![\d/]|\.\d)"
        ),
    ),
    # ... or a message that is nothing but "5/9" (the answer to a date question)
    # (only white space before it: checked in _raw_matches)
    ("numeric_noyear", re.compile(r"(?<!\S)(?P<alone>)(?P<d>\d{1,2})/(?P<m>\d{1,2})(?=\s*[.!?]*\s*$)")),
    # [lundi] 10 janvier [2026] [dernier], le 1er mars, 1 er mars, premier mai
    (
        "textual",
        re.compile(
            rf"(?<![\w/.-])(?:(?P<wd>{_WEEKDAY_RE})\s+)?(?P<d>\d{{1,2}}|{_DAY_WORD_RE})(?:\s?er)?\s*"
            rf"(?P<m>{_MONTH_RE})(?![a-z])(?:\.(?=\s*\d))?"  # "janv. 2026"; not a full stop
            rf"(?:\s*,?\s*(?P<y>\d{{4}}(?!\d)|\d{{2}}(?!\d){_NOT_QUANTITY}))?"
            rf"(?:\s+(?P<rel>dernier|prochain)\b)?"
        ),
    ),
    # fin mai [2027], mars 2026, mars dernier, en juin prochain (month only)
    (
        "month",
        re.compile(
            rf"(?<![\w-])(?:(?P<pos>fin|debut|mi)[\s-]+)?(?P<m>{_FULL_MONTH_RE})\b"
            rf"(?:\s+(?P<y>\d{{4}})(?!\d)|\s+(?P<rel>dernier|prochain)\b)"
        ),
    ),
    ("month_end", re.compile(rf"(?<![\w-])(?P<pos>fin)[\s-]+(?P<m>{_FULL_MONTH_RE})\b")),
    # le 3 du mois dernier, le 15 de ce mois(-ci), le 1er du mois prochain
    (
        "day_of_month",
        re.compile(
            rf"(?<![\w/.-])(?P<d>\d{{1,2}}|{_DAY_WORD_RE})(?:\s?er)?\s+"
            rf"(?:du\s+mois\s+(?P<rel>dernier|passe|precedent|prochain|suivant|en\s+cours)"
            rf"|de\s+(?P<ce>ce)\s+mois(?:[\s-]*ci)?)(?![\w-])"
        ),
    ),
    # le 12, c'etait le 12, plutot le 1er (only where _BARE_DAY_BEFORE allows it)
    ("day", re.compile(rf"(?<![\w'-])(?P<before>)le\s+{_BARE_DAY_RE}{_BARE_DAY_AFTER}")),
    # il y a 10 jours, y a deux semaines, ca fait 15 jours, voila 10 jours, dans 3 mois
    # ("ça fait 6 mois de kiné" is a duration; "il y a 6 mois de ça" a date)
    (
        "ago",
        re.compile(
            rf"(?<![\w-])(?:{_AGO_RE})\s+(?P<n>{_NUM_RE})\s+(?P<unit>{_UNIT_RE})\b"
            r"(?!\s+d(?:e\s+|'\s*)(?!ca\b|cela\b))"
        ),
    ),
    # depuis 15 jours, depuis 3 semaines (not "depuis 2 ans", "depuis 6 mois": how long one has
    # been ill, not a date)
    ("ago", re.compile(rf"(?<![\w-])depuis\s+(?P<n>{_NUM_RE})\s+(?P<unit>jours?|semaines?)\b")),
    ("in", re.compile(rf"(?<![\w-])dans\s+(?P<n>{_NUM_RE})\s+(?P<unit>{_UNIT_RE})\b")),
    # hier, avant-hier, aujourd'hui, demain, après-demain
    (
        "word",
        re.compile(
            r"(?<![\w-])(?P<w>avant[\s-]?hier|apres[\s-]?demain|aujourd\s?'?\s?hui|auj|ajd"
            r"|hier|demain)(?![\w-])"
        ),
    ),
    # la semaine dernière, le mois dernier, l'année dernière (and prochain/passé)
    (
        "period",
        re.compile(r"(?<![\w-])(?P<unit>semaine|mois|annee)\s+(?P<rel>derniere?|passee?|prochaine?)\b"),
    ),
    # lundi dernier, mardi prochain
    ("weekday", re.compile(rf"(?<![\w-])(?P<wd>{_WEEKDAY_RE})\s+(?P<rel>dernier|prochain)\b")),
)


@dataclass(frozen=True)
class DateSpan:
    """A date expression found in a message: `text[start:end]` of the ORIGINAL text.
    `kind` says which pattern found it (iso, numeric, numeric_noyear, textual, month,
    month_end, day_of_month, day, ago, in, word, period, weekday)."""

    start: int
    end: int
    text: str
    kind: str = ""


@dataclass(frozen=True)
class ParsedDate:
    """The reading of a date expression.

    `value`: the date, or None with `error`:
      - "unparsed": no date recognised;
      - "impossible": the day or month does not exist ("31 février", "30/02/2026", "32 janvier",
        "13/13/2026", "00/01/2026");
      - "imprecise": a month without a day ("mars dernier", "en mai 2026"), a month or year
        ago ("le mois dernier"): ask for the exact date.
    `text`: the expression read (the span, or the whole text when nothing was found)."""

    value: Optional[date]
    error: Optional[ParseError]
    text: str


def _raw_matches(folded: str) -> Iterator[Tuple[str, re.Match[str]]]:
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if kind == "numeric_noyear" and not (1 <= int(m["d"]) <= 31 and 1 <= int(m["m"]) <= 12):
                continue
            if "alone" in m.groupdict() and folded[: m.start()].strip():
                continue
            # (the 40 characters before are enough: a cue word and its spaces)
            if "before" in m.groupdict() and not _BARE_DAY_BEFORE.search(
                folded, max(0, m.start() - 40), m.start()
            ):
                continue
            yield kind, m


def _matches(text: str) -> List[Tuple[str, re.Match[str]]]:
    """All date matches in `text`, leftmost first, the longest kept where two overlap."""
    folded = fold_same_length(text)
    found = sorted(_raw_matches(folded), key=lambda km: (km[1].start(), -(km[1].end() - km[1].start())))
    kept: List[Tuple[str, re.Match[str]]] = []
    end = -1
    for kind, m in found:
        if m.start() >= end:
            kept.append((kind, m))
            end = m.end()
    return kept


def find_dates(text: str) -> List[DateSpan]:
    """Every date expression in `text`, in order, as spans of the original text.

    Finds explicit dates (also impossible ones such as "31 février", so that they can be
    refused), numeric and ISO dates, relative ones ("hier", "il y a 10 jours", "ça fait 15
    jours", "voilà 10 jours", "depuis 15 jours", "dans 3 mois", "la semaine dernière", "lundi
    dernier"), a day of a month named relatively ("le 3 du mois dernier", "le 15 de ce mois"),
    a day alone where it answers or corrects ("le 12", "non pardon c'était le 12"; not
    "appelez le 15") and month expressions with a year or "dernier/prochain" ("mars 2026",
    "fin mai"). Not: bare numbers ("2 enfants", "ALD 30", "100 %", "36 46", "n° 12", phone
    numbers), durations ("6 mois de soins", "3 semaines", "depuis 2 ans", "depuis 6 mois"),
    fractions ("1/2")."""
    if not text:
        return []
    return [DateSpan(m.start(), m.end(), text[m.start() : m.end()], kind) for kind, m in _matches(text)]


# --------------------------------------------------------------------------- reading


def _valid(y: int, m: int, d: int) -> Optional[date]:
    if not (1 <= m <= 12) or y < 1 or y > 9999:
        return None
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return date(y, m, d)


def _full_year(y: str, today: date) -> int:
    """ "25" → 2025; a two-digit year more than 20 years ahead is the previous century."""
    if len(y) == 4:
        return int(y)
    year = 2000 + int(y)
    return year - 100 if year > today.year + 20 else year


def _yearless(d: int, m: int, today: date, prefer: Prefer) -> Optional[date]:
    """The latest (past) or next (future) existing date with this day and month; None if the
    day never exists in that month (31 February; 29 February exists in leap years)."""
    if not (1 <= m <= 12) or not 1 <= d <= (29 if m == 2 else calendar.monthrange(2001, m)[1]):
        return None
    step = -1 if prefer == "past" else 1
    for offset in range(0, 9):
        candidate = _valid(today.year + step * offset, m, d)
        if candidate is None:
            continue
        if (prefer == "past" and candidate <= today) or (prefer == "future" and candidate >= today):
            return candidate
    return None  # pragma: no cover (a leap year always comes within 8 years)


def _month_end(
    m: int,
    year: Optional[str],
    rel: Optional[str],
    today: date,
    prefer: Prefer,
) -> Optional[date]:
    """The last day of a month named without a day: "fin mai 2027" → 31 May 2027; "fin mai"
    → the latest one on or before today ("past", or "dernier") or the next one on or after
    today ("future", or "prochain")."""
    if year:
        y = _full_year(year, today)
        return _valid(y, m, calendar.monthrange(y, m)[1]) if 1 <= y <= 9999 else None
    side: Prefer = "past" if rel == "dernier" else "future" if rel == "prochain" else prefer
    step = -1 if side == "past" else 1
    for offset in range(0, 3):
        y = today.year + step * offset
        candidate = date(y, m, calendar.monthrange(y, m)[1])
        if (side == "past" and candidate <= today) or (side == "future" and candidate >= today):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


@lru_cache(maxsize=16)
def _relative_parser(today: date, prefer: Prefer) -> DateDataParser:
    """dateparser for relative expressions, one per (today, prefer): built once, reused."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["fr"],
        settings={
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            "PREFER_DATES_FROM": prefer,
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


@lru_cache(maxsize=1)
def _strict_parser() -> DateDataParser:
    """dateparser for explicit dates in forms the patterns do not know ("janvier 10 2026",
    "11 2 2026"): day, month and year all required."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["fr"],
        settings={
            "STRICT_PARSING": True,
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
            # Explicit dates only: its relative reading ("3 semaines", "ca fait 10 jours") would
            # count from the machine's clock, not from `today`, and a bare duration is no date;
            # the patterns read the relative forms. No timestamps either ("1700000000").
            "PARSERS": ["custom-formats", "absolute-time"],
        },
    )


def _day_alone(d: int, today: date, prefer: Prefer) -> Optional[date]:
    """ "le 12" alone: the 12th of the latest month ("past") or of the next one ("future") where
    it is on that side of today; a month without that day is skipped ("le 31" on 2 December,
    past: 31 October)."""
    step = -1 if prefer == "past" else 1
    month_start = today.replace(day=1)
    for offset in range(0, 4):
        start = add_months_clamped(month_start, step * offset)
        candidate = _valid(start.year, start.month, d)
        if candidate is None:
            continue
        if (prefer == "past" and candidate <= today) or (prefer == "future" and candidate >= today):
            return candidate
    return None  # a day the pattern lets through (1 to 31) always comes within 3 months


def _day(d: str) -> int:
    """A day of the month written in digits or words ("12", "vingt-deux", "premier")."""
    return int(d) if d.isdigit() else DAY_WORDS[" ".join(re.split(r"[\s-]+", d))]


def _number(n: str) -> int:
    return int(n) if n.isdigit() else NUMBER_WORDS[n]


def _relative(expr: str, today: date, prefer: Prefer) -> Optional[date]:
    data = _relative_parser(today, prefer).get_date_data(expr)
    return data.date_obj.date() if data and data.date_obj else None


def _interpret(
    kind: str,
    m: re.Match[str],
    original: str,
    today: date,
    prefer: Prefer,
) -> ParsedDate:
    text = original[m.start() : m.end()]
    g = m.groupdict()

    def ok(value: Optional[date]) -> ParsedDate:
        return ParsedDate(value, None if value else "impossible", text)

    if kind == "iso":
        return ok(_valid(int(g["y"]), int(g["m"]), int(g["d"])))
    if kind == "numeric":
        return ok(_valid(_full_year(g["y"], today), int(g["m"]), int(g["d"])))
    if kind == "numeric_noyear":
        return ok(_yearless(int(g["d"]), int(g["m"]), today, prefer))
    if kind == "textual":
        day = _day(g["d"])
        month = MONTHS[g["m"]]
        if g["y"]:
            return ok(_valid(_full_year(g["y"], today), month, day))
        side: Prefer = "past" if g["rel"] == "dernier" else "future" if g["rel"] == "prochain" else prefer
        return ok(_yearless(day, month, today, side))
    if kind == "day_of_month":
        offset = MONTH_OFFSETS["ce" if g["ce"] else re.sub(r"\s+", " ", g["rel"])]
        month_start = add_months_clamped(today.replace(day=1), offset)
        return ok(_valid(month_start.year, month_start.month, _day(g["d"])))
    if kind == "day":
        return ok(_day_alone(int(g["d"]), today, prefer))
    if kind in ("month", "month_end"):
        if g.get("pos") != "fin":
            return ParsedDate(None, "imprecise", text)
        return ok(_month_end(MONTHS[g["m"]], g.get("y"), g.get("rel"), today, prefer))
    if kind in ("ago", "in"):
        n = _number(g["n"])
        unit = g["unit"]
        expr = f"{'il y a' if kind == 'ago' else 'dans'} {n} {unit}"
        return ParsedDate(_relative(expr, today, prefer), None, text)
    if kind == "word":
        word = re.sub(r"[\s'-]", "", g["w"])
        offsets = {
            "avanthier": -2,
            "hier": -1,
            "aujourdhui": 0,
            "auj": 0,
            "ajd": 0,
            "demain": 1,
            "apresdemain": 2,
        }
        names = {-2: "avant-hier", -1: "hier", 0: "aujourd'hui", 1: "demain", 2: "après-demain"}
        value = _relative(names[offsets[word]], today, prefer)
        return ParsedDate(value, None if value else "unparsed", text)
    if kind == "period":
        if g["unit"] != "semaine":
            return ParsedDate(None, "imprecise", text)
        expr = "la semaine " + ("dernière" if g["rel"].startswith(("dern", "pass")) else "prochaine")
        value = _relative(expr, today, prefer)
        return ParsedDate(value, None if value else "unparsed", text)
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"]]
        if g["rel"] == "dernier":
            back = (today.weekday() - wd) % 7 or 7
            return ParsedDate(today - timedelta(days=back), None, text)
        ahead = (wd - today.weekday()) % 7 or 7
        return ParsedDate(today + timedelta(days=ahead), None, text)
    raise ValueError(kind)  # pragma: no cover


def parse_date_fr(text: str, today: date, prefer: Prefer) -> ParsedDate:
    """Reads the first date expression of `text` (see `find_dates` for the forms).

    A date without a year is completed with `prefer`: "past" → the latest such date on or
    before `today` (a sending date), "future" → the next one on or after `today` (an end
    date); "dernier"/"prochain" in the text win over `prefer`. A day alone ("le 12") is that
    day of the nearest month on the `prefer` side (today 2 December: past → 12 November,
    future → 12 December). Relative dates count from `today`. Day and month are checked
    here, never corrected (see ParsedDate for the errors).
    Forms the patterns miss ("le dix janvier 2026") go to dateparser in strict mode
    (day, month and year required)."""
    text = text or ""
    found = _matches(text)
    if found and found[0][0] not in ("month", "month_end"):
        kind, m = found[0]
        return _interpret(kind, m, text, today, prefer)
    folded = fold_same_length(text).strip(" .,;:!?")
    if not folded:
        return ParsedDate(None, "unparsed", text)
    if len(folded) <= 60:  # a whole sentence is not worth dateparser's time
        data = _strict_parser().get_date_data(folded)
        if data and data.date_obj:
            return ParsedDate(data.date_obj.date(), None, text)
    if found:  # "fin mai", "mars 2026", "mars dernier"
        kind, m = found[0]
        return _interpret(kind, m, text, today, prefer)
    if re.search(rf"(?<![a-z])(?:{_FULL_MONTH_RE})(?![a-z])", folded):
        return ParsedDate(None, "imprecise", text)
    return ParsedDate(None, "unparsed", text)


# --------------------------------------------------------------------------- checking


def check_side(d: date, today: date, must_be: MustBe) -> Side:
    """Is `d` acceptable for its use? Codes (each has a response utter_date_<code>):

    - "ok";
    - "future_not_allowed": `must_be="past"` (a sending or agreement date) but `d` > today;
    - "past_not_allowed": `must_be="future"` (an end date) but `d` < today;
    - "too_old": before EARLIEST_DATE (13 August 2004: no protocol before the law);
    - "too_far": more than MAX_YEARS_AHEAD years after today (the longest exoneration is
      10 years).
    Today itself is on both sides."""
    if must_be == "past" and d > today:
        return "future_not_allowed"
    if must_be == "future" and d < today:
        return "past_not_allowed"
    if d < EARLIEST_DATE:
        return "too_old"
    if d > add_years_clamped(today, MAX_YEARS_AHEAD):
        return "too_far"
    return "ok"
