"""Writes data/nlu/vocabulary.yml, the NLU side of content/vocabulary.yml: the synonyms of the
care kinds and ALD situations (entities care_kind, ald_status) and the lookup tables of
care_kind, ald_status and disease.

    python -m tools.gen_vocabulary            # (re)write the file
    python -m tools.gen_vocabulary --check    # exit 1 when the file on disk is not what it would write

Rasa's EntitySynonymMapper looks the extracted text up in lower case, whatever the entity: a
text that would map to two values is refused (`mapper_conflicts`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ald import vocabulary

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "nlu" / "vocabulary.yml"
COMMAND = "python -m tools.gen_vocabulary"

HEADER = f"""\
# GENERATED from content/vocabulary.yml by `{COMMAND}`: do not edit.
# Edit content/vocabulary.yml, run the command and commit both files.
#
# - care_kind, ald_status: every phrase is a synonym of its code (the values ald/ knows); the
#   lookup tables hold the phrases of the section's nlu_lookup.
# - disease: no synonyms on purpose (the actions resolve names with ald.ald_list.lookup_disease);
#   the lookup table holds every phrase and only helps the CRF find disease names it has not seen
#   in an example.
# Lookup tables are used only because the pipeline has a RegexFeaturizer (config.yml).
"""

#: (section of content/vocabulary.yml, NLU entity, with synonyms)
SECTIONS: Tuple[Tuple[str, str, bool], ...] = (
    ("care_kinds", "care_kind", True),
    ("ald_situations", "ald_status", True),
    ("diseases", "disease", False),
)


def _section(name: str) -> vocabulary.Vocabulary:
    return {
        "care_kinds": vocabulary.care_kinds,
        "ald_situations": vocabulary.ald_situations,
        "diseases": vocabulary.diseases,
    }[name]()


def synonym_pairs() -> List[Tuple[str, str]]:
    """(text, value) of every synonym the generated file holds."""
    return [
        (phrase, code)
        for name, _, synonyms in SECTIONS
        if synonyms
        for phrase, code in _section(name).phrases()
        if code is not None
    ]


def mapper_conflicts(pairs: Iterable[Tuple[str, str]]) -> List[str]:
    """Texts that the EntitySynonymMapper (lower case, whatever the entity) would map to two
    values, described for a message."""
    values: Dict[str, str] = {}
    conflicts: List[str] = []
    for text, value in pairs:
        key = text.lower()
        if values.setdefault(key, value) != value:
            conflicts.append(f"{text!r} maps to {values[key]!r} and {value!r}")
    return conflicts


def _block(kind: str, name: str, examples: Sequence[str]) -> List[str]:
    return [f"- {kind}: {name}", "  examples: |", *(f"    - {e}" for e in examples)]


def _unique(texts: Iterable[str]) -> List[str]:
    """In order, without the texts that differ only in case (the lookup is case-insensitive)."""
    seen: Dict[str, str] = {}
    for text in texts:
        seen.setdefault(text.lower(), text)
    return list(seen.values())


def render() -> str:
    """The text of data/nlu/vocabulary.yml. ValueError on a synonym conflict."""
    conflicts = mapper_conflicts(synonym_pairs())
    if conflicts:
        raise ValueError("content/vocabulary.yml: " + "; ".join(conflicts))
    lines = [HEADER, 'version: "3.1"', "", "nlu:"]
    for name, entity, synonyms in SECTIONS:
        section = _section(name)
        lines.append(f"# {'-' * 66} {entity}")
        if synonyms:
            for entry in section.entries:
                if entry.code is not None and entry.phrases:
                    lines += _block("synonym", entry.code, entry.phrases)
        lookup = section.nlu_lookup if synonyms else [p for p, _ in section.phrases()]
        lines += _block("lookup", entity, _unique(lookup))
        lines.append("")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None, output: Path = OUTPUT) -> int:
    parser = argparse.ArgumentParser(
        prog=COMMAND, description="Writes data/nlu/vocabulary.yml " "from content/vocabulary.yml."
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the file on disk differs from what would be written"
    )
    args = parser.parse_args(argv)
    try:
        text = render()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    current = output.read_text(encoding="utf-8") if output.exists() else None
    if args.check:
        if current != text:
            print(f"{output} is stale: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
