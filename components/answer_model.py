"""The classifier behind components/faq_selector.py, in plain scikit-learn (no Rasa).

One FLAT model over every label the assistant answers: the intents (greet, ask_renewal...)
and the FAQ topics ("faq/delai_reponse"...) side by side, so "faq" is not one huge, varied
class to tell apart from the rest (docs/nlu-research.md: flat beats intent-then-topic).

Two members, fused by a weighted geometric mean of their probabilities:
- lexical: logistic regression on TF-IDF of the folded text (ald.text.fold), whole words
  and character n-grams inside word boundaries, so typos and missing accents still match;
- dense (optional): logistic regression on sentence vectors (components/sentence_encoder.py),
  for paraphrases that share no word with the training examples.
In a message of several sentences (the situation told first, then the question), the lexical
member also reads the asking sentence alone (ald.text.question_part) and its probabilities
join the geometric mean with `question_weight`: the words of the story no longer drown those
of the question.
The regularisation (C) and the weights come from 5-fold cross-validation on the training
data (docs/nlu-research.md); they are the selector's config, not constants here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from ald.text import fold, question_part

# Probabilities are floored before the log of the geometric mean (a member that is sure a
# label is impossible must not veto the other member entirely).
_FLOOR = 1e-6


def tfidf() -> FeatureUnion:
    """Words (and pairs of words) plus character 2-4-grams inside word boundaries."""
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    analyzer="word", token_pattern=r"(?u)\b\w+\b", ngram_range=(1, 2), sublinear_tf=True
                ),
            ),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2)),
        ]
    )


def _logistic(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000)


@dataclass
class AnswerModel:
    """Fit on (texts, sentence vectors or None, labels); gives a probability per label."""

    lexical_c: float = 100.0
    dense_c: float = 30.0
    dense_weight: float = 0.6
    question_weight: float = 0.0
    vectorizer: FeatureUnion = field(default_factory=tfidf)
    lexical: Optional[LogisticRegression] = None
    dense: Optional[LogisticRegression] = None
    labels: List[str] = field(default_factory=list)

    def fit(self, texts: Sequence[str], vectors: Optional[np.ndarray], labels: Sequence[str]) -> AnswerModel:
        if len(set(labels)) < 2:
            raise ValueError("the answer model needs at least two labels to tell apart")
        x = self.vectorizer.fit_transform([fold(t) for t in texts])
        self.lexical = _logistic(self.lexical_c).fit(x, list(labels))
        self.labels = [str(c) for c in self.lexical.classes_]
        self.dense = None
        if vectors is not None and self.dense_weight > 0:
            self.dense = _logistic(self.dense_c).fit(vectors, list(labels))
        return self

    def probabilities(self, texts: Sequence[str], vectors: Optional[np.ndarray]) -> np.ndarray:
        """One row per text, one column per label (`labels`), rows summing to 1."""
        if self.lexical is None:
            raise RuntimeError("the answer model is not trained")
        lexical = self.lexical.predict_proba(self.vectorizer.transform([fold(t) for t in texts]))
        members = [(1.0, lexical)]
        if self.dense is not None and vectors is not None:
            w = self.dense_weight
            members = [(1 - w, lexical), (w, self.dense.predict_proba(vectors))]
        logp = sum(w * np.log(np.maximum(p, _FLOOR)) for w, p in members)
        questions = [question_part(t) for t in texts]
        asked = [i for i, q in enumerate(questions) if q]
        if self.question_weight > 0 and asked:
            q = self.lexical.predict_proba(
                self.vectorizer.transform([fold(questions[i] or "") for i in asked])
            )
            wq = self.question_weight
            logp[asked] = (1 - wq) * logp[asked] + wq * np.log(np.maximum(q, _FLOOR))
        logp -= logp.max(axis=1, keepdims=True)
        p = np.exp(logp)
        return p / p.sum(axis=1, keepdims=True)
