"""ald.text: the one accent folding of the project."""

from __future__ import annotations

import pytest

from ald.text import fold, fold_same_length, words


def test_fold_strips_accents_case_apostrophes_and_spaces() -> None:
    assert fold("  Je n’AI   plus ENVIE ") == "je n'ai plus envie"


@pytest.mark.parametrize("text", ["Été – «Kiné»", "l’ALD\u00a0n° 30", "œil", "ÉÇÀ—x"])
def test_fold_same_length_keeps_offsets(text: str) -> None:
    assert len(fold_same_length(text)) == len(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kiné-thérapie !", "kine therapie"),
        ("maladie du cœur", "maladie du coeur"),
        ("C’est   ÇA.", "c'est ca"),
        ("", ""),
    ],
)
def test_words(text: str, expected: str) -> None:
    assert words(text) == expected
