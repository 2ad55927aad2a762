"""What people write for a care kind, an ALD situation or a disease: content/vocabulary.yml, the one
vocabulary of the NLU (tools/gen_vocabulary.py writes data/nlu/vocabulary.yml from it) and of the
Python look-ups (ald.coverage, ald.ald_list).

A section is a list of entries, each a code with its `phrases` (shared with the NLU) and its
`patterns` (the file's `match`: Python only). A text names an entry when, folded
(ald.text.words), it IS one of the entry's phrases (`exact`), or else when one of the entry's
patterns is found in it, the entries being tried in the order of the file (`search`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from ald.content import load_content
from ald.text import words

FILE = "vocabulary.yml"


@dataclass(frozen=True)
class Entry:
    """`code`: what the text means (None: recognised, but nothing to answer); `phrases`: what
    people write (shared with the NLU); `patterns`: Python-only regular expressions over the
    folded text."""

    code: Optional[str]
    phrases: Tuple[str, ...] = ()
    patterns: Tuple[str, ...] = ()


class Vocabulary:
    """One section of content/vocabulary.yml: `entries` in the order of the file, `nlu_lookup`
    (the phrases also given to the NLU as a lookup table; empty: see the generator),
    `typo_words` (words the disease look-up may correct a typo to)."""

    def __init__(
        self,
        name: str,
        entries: Sequence[Entry],
        nlu_lookup: Sequence[str] = (),
        typo_words: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.entries = tuple(entries)
        self.nlu_lookup = tuple(nlu_lookup)
        self.typo_words = tuple(typo_words)
        self._exact: Dict[str, Entry] = {}
        for entry in self.entries:
            for phrase in entry.phrases:
                folded = words(phrase)
                other = self._exact.setdefault(folded, entry)
                if other.code != entry.code:
                    raise ValueError(
                        f"{FILE}, {name}: {phrase!r} is a phrase of both "
                        f"{other.code!r} and {entry.code!r}"
                    )
        # One regular expression per entry: its patterns as alternatives.
        self._patterns: Tuple[Tuple[re.Pattern[str], Entry], ...] = tuple(
            (re.compile("|".join(f"(?:{p})" for p in entry.patterns)), entry)
            for entry in self.entries
            if entry.patterns
        )
        phrases = {words(p) for e in self.entries for p in e.phrases}
        unknown = [p for p in self.nlu_lookup if words(p) not in phrases]
        if unknown:
            raise ValueError(f"{FILE}, {name}: nlu_lookup {unknown} are no entry's phrases")

    def codes(self) -> Tuple[str, ...]:
        """The codes of the entries, in order (no None)."""
        return tuple(e.code for e in self.entries if e.code is not None)

    def phrases(self) -> Iterator[Tuple[str, Optional[str]]]:
        """(phrase, code) for every phrase, in the order of the file."""
        for entry in self.entries:
            for phrase in entry.phrases:
                yield phrase, entry.code

    def exact(self, folded: str) -> Optional[Entry]:
        """The entry of which `folded` (ald.text.words) is a phrase, or None."""
        return self._exact.get(folded)

    def search(self, folded: str) -> Optional[Entry]:
        """The first entry, in the order of the file, with a pattern found in `folded`, or None."""
        for pattern, entry in self._patterns:
            if pattern.search(folded):
                return entry
        return None

    def find(self, folded: str) -> Optional[Entry]:
        """`exact`, else `search`."""
        entry = self.exact(folded)
        return entry if entry is not None else self.search(folded)


def _strings(value: Any, where: str) -> Tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{FILE}, {where}: a list of strings is expected")
    return tuple(value)


def _section(name: str) -> Vocabulary:
    raw = load_content(FILE).get(name)
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        raise ValueError(f"{FILE}: section {name!r} with its entries is expected")
    entries: List[Entry] = []
    for item in raw["entries"]:
        code = item.get("code")
        where = f"{name}, {code!r}"
        if code is not None and not isinstance(code, str):
            raise ValueError(f"{FILE}, {where}: the code must be a string (quote numbers) or null")
        entries.append(Entry(code, _strings(item.get("phrases"), where), _strings(item.get("match"), where)))
    return Vocabulary(
        name, entries, _strings(raw.get("nlu_lookup"), name), _strings(raw.get("typo_words"), name)
    )


@cache
def care_kinds() -> Vocabulary:
    """Care kinds (codes: ald.coverage.CareKind; NLU entity care_kind)."""
    return _section("care_kinds")


@cache
def ald_situations() -> Vocabulary:
    """ALD situations (codes: ald.coverage.AldStatus but "unknown"; NLU entity ald_status)."""
    return _section("ald_situations")


@cache
def diseases() -> Vocabulary:
    """Diseases (codes: keys of ald.ald_list.AldMatch, or None; NLU entity disease)."""
    return _section("diseases")
