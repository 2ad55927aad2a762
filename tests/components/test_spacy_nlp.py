"""components/spacy_nlp.py: what the pipeline reads from spaCy is unchanged without the
recogniser, and the tokenizer still finds the model by its name."""

from __future__ import annotations

import numpy as np
from rasa.nlu.utils import spacy_utils

from components import spacy_nlp

TEXTS = [
    "bjr ma mere a un diabete de type 2, elle a envoyé son protocole le 10 janvier à la CPAM de Lyon",
    "Mon médecin traitant Jean Dupont déménage à Marseille, qui fera le renouvellement ?",
    "le kiné pour une entorse c'est pris a 100% ?",
]


def read(model: spacy_utils.SpacyModel) -> list:
    out = []
    for doc in model.model.pipe(TEXTS):
        out.append([(t.text, t.lemma_, t.pos_, t.tag_, round(float(np.abs(t.vector).sum()), 4)) for t in doc])
    return out


def test_the_recogniser_is_off_and_what_rasa_reads_is_the_same() -> None:
    lean = spacy_nlp.SpacyNLP.load_model("fr_core_news_md")
    full = spacy_utils.SpacyNLP.load_model("fr_core_news_md")
    assert "ner" in full.model.pipe_names
    assert "ner" not in lean.model.pipe_names
    assert {"tok2vec", "morphologizer", "lemmatizer"} <= set(lean.model.pipe_names)
    assert read(lean) == read(full)
    assert all(not doc.ents for doc in lean.model.pipe(TEXTS))


def test_it_keeps_rasas_name_so_the_tokenizer_finds_the_model() -> None:
    assert spacy_nlp.SpacyNLP.__name__ == "SpacyNLP"
    assert issubclass(spacy_nlp.SpacyNLP, spacy_utils.SpacyNLP)
