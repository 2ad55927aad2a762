"""ald.vocabulary and tools/gen_vocabulary.py: one vocabulary for the NLU and the Python look-ups,
so the two sides cannot drift."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from ald import vocabulary
from ald.ald_list import lookup_disease
from ald.coverage import CARE_KINDS, ald_status_from_text, care_kind_from_text
from ald.text import words
from ald.vocabulary import Entry, Vocabulary
from tools import gen_vocabulary

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = {
    "care_kinds": vocabulary.care_kinds(),
    "ald_situations": vocabulary.ald_situations(),
    "diseases": vocabulary.diseases(),
}


def test_generated_nlu_file_is_up_to_date() -> None:
    assert (
        gen_vocabulary.OUTPUT.read_text(encoding="utf-8") == gen_vocabulary.render()
    ), "data/nlu/vocabulary.yml is stale: run `python -m tools.gen_vocabulary`"


def test_check_flag_fails_on_a_stale_file(tmp_path: Path) -> None:
    output = tmp_path / "vocabulary.yml"
    assert gen_vocabulary.main(["--check"], output=output) == 1  # missing
    assert gen_vocabulary.main([], output=output) == 0
    assert gen_vocabulary.main(["--check"], output=output) == 0
    output.write_text(output.read_text(encoding="utf-8").replace("- kiné\n", ""), encoding="utf-8")
    assert gen_vocabulary.main(["--check"], output=output) == 1


@pytest.mark.parametrize("phrase, code", list(SECTIONS["care_kinds"].phrases()))
def test_every_care_kind_phrase_is_read_back_as_its_code(phrase: str, code: str) -> None:
    assert care_kind_from_text(phrase) == code


@pytest.mark.parametrize("phrase, code", list(SECTIONS["ald_situations"].phrases()))
def test_every_situation_phrase_is_read_back_as_its_code(phrase: str, code: str) -> None:
    assert ald_status_from_text(phrase) == code


@pytest.mark.parametrize("phrase, code", list(SECTIONS["diseases"].phrases()))
def test_every_disease_phrase_is_read_back_as_its_code(phrase: str, code: Optional[str]) -> None:
    match = lookup_disease(phrase)
    assert (match.key if match is not None else None) == code


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_no_phrase_has_two_codes(name: str) -> None:
    codes: dict = {}
    for phrase, code in SECTIONS[name].phrases():
        assert codes.setdefault(words(phrase), code) == code, phrase


def test_a_phrase_with_two_codes_is_refused() -> None:
    with pytest.raises(ValueError, match="both"):
        Vocabulary("test", [Entry("kine", ("kiné",)), Entry("transport", ("Kine",))])


def test_nlu_lookup_entries_are_phrases() -> None:
    with pytest.raises(ValueError, match="nlu_lookup"):
        Vocabulary("test", [Entry("kine", ("kiné",))], nlu_lookup=("taxi",))


def test_codes_are_the_ones_the_rules_know() -> None:
    assert sorted(SECTIONS["care_kinds"].codes()) == sorted(CARE_KINDS)
    assert sorted(SECTIONS["ald_situations"].codes()) == ["aucune", "exonerante", "non_exonerante"]


def _annotated_pairs() -> List[Tuple[str, str]]:
    """(text, value) of the annotated entities with a value in the training data: the
    EntitySynonymMapper learns these pairs too."""
    pairs = []
    for path in sorted((ROOT / "data").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        for found, entity, value in re.findall(
            r'\[([^\]]+)\]\{"entity": "(\w+)", "value": "([^"]+)"\}', text
        ):
            if entity in ("care_kind", "ald_status"):
                pairs.append((found, value))
    return pairs


def test_the_synonym_mapper_gets_one_value_per_text() -> None:
    """The mapper looks texts up in lower case whatever the entity: the vocabulary's synonyms and
    the annotated examples must agree."""
    assert _annotated_pairs(), "no annotated care_kind / ald_status example found"
    assert gen_vocabulary.mapper_conflicts(gen_vocabulary.synonym_pairs() + _annotated_pairs()) == []


def test_words_in_a_sentence_still_use_the_patterns() -> None:
    # A phrase matches only the whole message; inside a sentence the patterns decide.
    assert care_kind_from_text("mes séances de kiné après l'opération") == "kine"
    assert ald_status_from_text("je suis en ALD non exonérante") == "non_exonerante"
    match = lookup_disease("j'ai une hypertension artérielle pulmonaire")
    assert match is None
