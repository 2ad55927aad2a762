"""Feedback on answers over the REST channel (the helpline's tool), against real servers: the
offer after an answer and never after the next one, "non" right after it (no buttons: the
tool may only have text) offering to rephrase, the closest topics and the helpline, the rating
kept in the store with its topic, masked; and `make review` then lists that question."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import List, Tuple

import pytest

from ald.content import load_content
from tests.integration.conftest import ROOT, assert_reply_is, sqlite_events
from tools.stack import rest_send

OFFER_PAYLOADS = ['/feedback{"helpful":"yes"}', '/feedback{"helpful":"no"}']
QUESTION = "qui doit remplir le protocole de soins pour moi ?"


@pytest.fixture
def stack(shared_rest: Tuple[int, Path]) -> Tuple[int, Path]:
    return shared_rest


def offers(messages: List[dict]) -> bool:
    return any([b.get("payload") for b in m.get("buttons") or []] == OFFER_PAYLOADS for m in messages)


def test_offered_after_an_answer_not_twice_in_a_row_and_not_after_a_greeting(stack: Tuple[int, Path]) -> None:
    port, _ = stack
    sender = f"test-{uuid.uuid4()}"
    assert not offers(rest_send(port, sender, "bonjour"))
    first = rest_send(port, sender, QUESTION)
    assert offers(first) and first[-1]["buttons"][0]["payload"] == OFFER_PAYLOADS[0]
    # Another question at once: answered, not asked again.
    second = rest_send(port, sender, "où faut-il envoyer le protocole ?")
    assert "Source" in " ".join(m.get("text") or "" for m in second) and not offers(second)
    assert offers(rest_send(port, sender, "combien de temps est valable le protocole ?"))


def test_a_plain_no_offers_to_rephrase_the_topics_and_the_helpline(stack: Tuple[int, Path]) -> None:
    port, db = stack
    sender = f"test-{uuid.uuid4()}"
    assert offers(rest_send(port, sender, QUESTION))
    reply = rest_send(port, sender, "non")
    assert_reply_is("utter_feedback_sorry", reply[0]["text"])
    assert "01 53 62 40 30" in reply[0]["text"]  # Santé Info Droits
    assert "reformuler" in reply[0]["text"]
    questions = set((load_content("topics.yml").get("topics") or {}).values())
    topics = [b["payload"] for b in reply[1]["buttons"]]
    assert topics and set(topics) <= questions
    assert load_content("topics.yml")["topics"]["qui_redige"] not in topics  # not the one that failed
    # Stored with the conversation: the rating of the topic answered.
    rows = [d for s, t, d in sqlite_events(db) if s == sender and t == "slot" and d["name"] == "feedback"]
    assert [r["value"] for r in rows] == [{"helpful": False, "topic": "faq/qui_redige"}]


def test_a_button_rating_is_stored_and_masked(stack: Tuple[int, Path]) -> None:
    port, db = stack
    sender = f"test-{uuid.uuid4()}"
    # An identifier typed gets its own answer (masked, "do not share it"), never the offer.
    assert not offers(rest_send(port, sender, "mon tel est 06 12 34 56 78, qui remplit le protocole ?"))
    assert offers(rest_send(port, sender, QUESTION))
    assert_reply_is("utter_feedback_thanks", rest_send(port, sender, OFFER_PAYLOADS[0])[0]["text"])
    rows = [(t, d) for s, t, d in sqlite_events(db) if s == sender]
    assert [d["value"]["helpful"] for t, d in rows if t == "slot" and d["name"] == "feedback"] == [True]
    assert "06 12 34 56 78" not in repr(rows)


def test_the_review_lists_the_question_that_did_not_help(stack: Tuple[int, Path], tmp_path: Path) -> None:
    port, db = stack
    sender = f"test-{uuid.uuid4()}"
    rest_send(port, sender, QUESTION)
    rest_send(port, sender, "pas utile")
    result = subprocess.run(
        [sys.executable, "-m", "tools.review", "--out", str(tmp_path), "--days", "1"],
        cwd=ROOT,
        env={**os.environ, "RASA_PROFILE": "sqlite", "SQLITE_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "pour moi ? »" in html and "(faq/qui_redige)" in html
    assert QUESTION in (tmp_path / "to_annotate.yml").read_text(encoding="utf-8")


def test_more_details_typed_after_a_rating_are_the_rated_answers(stack: Tuple[int, Path]) -> None:
    """Typed after the rating, "plus de détails" still means the last answer's topic."""
    port, _ = stack
    sender = f"test-{uuid.uuid4()}"
    assert offers(rest_send(port, sender, QUESTION))
    assert_reply_is("utter_feedback_thanks", rest_send(port, sender, OFFER_PAYLOADS[0])[0]["text"])
    details = load_content("faq/redaction.yml")["answers"]["qui_redige"]["details"]
    reply = " ".join(m.get("text") or "" for m in rest_send(port, sender, "je voudrais plus de détails svp"))
    assert details[:60] in reply
