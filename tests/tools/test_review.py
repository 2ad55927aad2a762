"""The editors' review (tools/review.py) on a small SQLite tracker store built here through
the project's masking store, run as `make review` runs it (the CLI, a fixed reference date):
the counts, the groups, the masking, and the export as Rasa NLU data. The same store on
PostgreSQL: tests/integration/test_review.py."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

from ald import settings
from tools import review

ROOT = settings.ROOT
NOW = "2026-11-23T12:00:00+00:00"
PHONE = "06 12 34 56 78"
NIR = "1 85 05 78 006 084 36"


def ts(day: str, minute: int) -> float:
    return datetime.fromisoformat(f"{day}T10:{minute:02d}:00+00:00").timestamp()


def faq_parse(intent: str, *topics: str, fallback_of: Optional[str] = None) -> Dict[str, Any]:
    """Parse data as the NLU stores it: the intent, its ranking, the FAQ ranking."""
    ranking = [{"intent_response_key": f"faq/{t}", "confidence": 0.5 - i / 10} for i, t in enumerate(topics)]
    intents = [{"name": intent, "confidence": 0.4}]
    if fallback_of:
        intents.append({"name": fallback_of, "confidence": 0.3})
    return {
        "intent": {"name": intent, "confidence": 0.4},
        "intent_ranking": intents,
        "entities": [],
        "response_selector": {
            "faq": {
                "response": {"intent_response_key": ranking[0]["intent_response_key"] if ranking else None},
                "ranking": ranking,
            }
        },
    }


# A conversation: (day, [(user text, parse data, [what the bot did])]). What the bot did:
# ("bot", utter_action) / ("action", name) / ("slot", name, value).
Step = Any
CONVERSATIONS: Dict[str, tuple] = {
    "conv-a": (
        "2026-11-20",
        [
            ("bonjour", faq_parse("greet"), [("action", "utter_greet"), ("bot", "utter_greet")]),
            (
                "qui remplit le protocole ?",
                faq_parse("faq", "qui_redige", "ou_envoyer"),
                [
                    ("action", "action_faq"),
                    ("bot", "utter_faq/qui_redige"),
                    ("bot", "utter_feedback_offer"),
                    ("slot", "rated_topic", "faq/qui_redige"),
                    ("slot", "feedback_offered", True),
                ],
            ),
            (
                '/feedback{"helpful":"no"}',
                faq_parse("feedback"),
                [
                    ("action", "action_feedback"),
                    ("bot", "utter_feedback_sorry"),
                    ("slot", "feedback", {"helpful": False, "topic": "faq/qui_redige"}),
                ],
            ),
        ],
    ),
    "conv-b": (
        "2026-11-21",
        [
            (
                f"zzz tel {PHONE} rappelez moi",
                faq_parse("nlu_fallback", "ou_envoyer", fallback_of="faq"),
                [("action", "action_fallback"), ("bot", "utter_fallback_first")],
            ),
            (
                "envoyer le protocole où ?",
                faq_parse("faq", "ou_envoyer"),
                [
                    ("action", "action_faq"),
                    ("bot", "utter_faq/ou_envoyer"),
                    ("slot", "rated_topic", "faq/ou_envoyer"),
                ],
            ),
        ],
    ),
    "conv-c": (
        "2026-11-21",
        [
            (
                "où j'envoie le papier du protocole",
                faq_parse("nlu_fallback", "ou_envoyer", fallback_of="faq"),
                [("action", "action_fallback"), ("bot", "utter_fallback_first")],
            ),
            (
                f"où l'envoyer ce papier du protocole, mon numéro {NIR}",
                faq_parse("nlu_fallback", "ou_envoyer", fallback_of="faq"),
                [("action", "action_fallback"), ("bot", "utter_fallback_helpline")],
            ),
            ("je veux en finir", faq_parse("suicidal_thoughts"), [("bot", "utter_suicidal_thoughts")]),
            (
                "parler à quelqu'un",
                faq_parse("ask_human"),
                [("action", "action_helpline"), ("bot", "utter_helpline_open")],
            ),
        ],
    ),
    # A personal answer (a form) rated "not helpful": the question is the one that started it.
    "conv-d": (
        "2026-11-22",
        [
            (
                "kiné à 100 % ?",
                faq_parse("ask_coverage"),
                [("action", "coverage_form"), ("bot", "utter_ask_linked_to_ald")],
            ),
            (
                "oui",
                faq_parse("affirm"),
                [
                    ("action", "action_answer_coverage"),
                    ("bot", "utter_coverage_full"),
                    ("slot", "last_topic", "coverage_form"),
                    ("slot", "rated_topic", "coverage_form"),
                ],
            ),
            (
                "pas utile",
                faq_parse("feedback"),
                [
                    ("action", "action_feedback"),
                    ("slot", "feedback", {"helpful": False, "topic": "coverage_form"}),
                ],
            ),
        ],
    ),
    # Before the period (7 days before NOW): not in the review.
    "conv-old": (
        "2026-11-10",
        [
            (
                "je comprends rien",
                faq_parse("nlu_fallback", "volets", fallback_of="faq"),
                [("bot", "utter_fallback_first")],
            )
        ],
    ),
}


def save_conversations(**store_kwargs: Any) -> None:
    """Writes CONVERSATIONS through MaskingSQLTrackerStore, as the Rasa server would."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from components.tracker_store import MaskingSQLTrackerStore

    store = MaskingSQLTrackerStore(domain=Domain.empty(), **store_kwargs)
    for sender, (day, turns) in CONVERSATIONS.items():
        tracker = DialogueStateTracker(sender, [])
        for minute, (text, parse, steps) in enumerate(turns, start=1):
            tracker.update(
                UserUttered(
                    text, parse["intent"], parse_data={**parse, "text": text}, timestamp=ts(day, minute)
                )
            )
            for step in steps:
                when = ts(day, minute) + 1
                if step[0] == "bot":
                    event = BotUttered(
                        f"texte de {step[1]}", metadata={"utter_action": step[1]}, timestamp=when
                    )
                elif step[0] == "action":
                    event = ActionExecuted(step[1], timestamp=when)
                else:
                    event = SlotSet(step[1], step[2], timestamp=when)
                tracker.update(event)
            tracker.update(ActionExecuted("action_listen", timestamp=ts(day, minute) + 2))
        asyncio.run(store.save(tracker))
    store.engine.dispose()


def run_review(env: Dict[str, str], out: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tools.review", "--now", NOW, "--out", str(out), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def check_review(env: Dict[str, str], out: Path) -> None:
    """The report of the store built from CONVERSATIONS (shared with the PostgreSQL test)."""
    summary = run_review(env, out)
    # 4 conversations in the period; 12 user messages: answered 3, fallback 2, hand-off 2
    # (the fallback's helpline answer and "parler à quelqu'un"), safety 1, other 4 (a greeting,
    # a form's question, two ratings).
    assert "4 conversation(s), 12 user message(s)" in summary
    assert (
        "répondu 25%, pas compris 17%, passé à une personne 17%, réponse de sécurité 8%, autre 33%" in summary
    )
    assert "to look at: 5 message(s) in 3 topic(s)" in summary
    for sender in CONVERSATIONS:
        assert sender not in summary  # never a conversation id

    html = (out / "review.html").read_text(encoding="utf-8")
    annotate = (out / "to_annotate.yml").read_text(encoding="utf-8")
    assert (out / "per_day.png").read_bytes().startswith(b"\x89PNG")
    for text in (html, annotate):
        assert PHONE not in text and "006 084" not in text
        assert "[téléphone masqué]" in text and "[numéro masqué]" in text
        assert "je comprends rien" not in text  # before the period
    # Groups: the topic with most messages first; in it, the two alike messages together.
    ou_envoyer = html.index("Où envoyer le protocole de soins ? (faq/ou_envoyer) — 3 messages")
    qui_redige = html.index("Qui remplit le protocole de soins ? (faq/qui_redige) — 1 message")
    assert ou_envoyer < qui_redige
    clusters = html[ou_envoyer:qui_redige].split('<div class="cluster">')[1:]
    assert ["où j&#39;envoie" in c and "où l&#39;envoyer" in c for c in clusters] == [True, False]
    assert "zzz tel" in clusters[1]
    # The "not helpful" one, with its context: the turn before and the turn after.
    rated = html[qui_redige:]
    assert "« qui remplit le protocole ? »" in rated
    assert "avant — utilisateur : « bonjour »" in rated
    assert "après — utilisateur : « /feedback{&#34;helpful&#34;:&#34;no&#34;} »" in rated
    # Topics most asked and least helpful.
    asked = html[html.index("Sujets les plus demandés") : html.index("Sujets les moins utiles")]
    assert asked.index("faq/ou_envoyer)</td><td>4<") < asked.index("faq/qui_redige)</td><td>1<")
    least = html[html.index("Sujets les moins utiles") :]
    assert "(faq/qui_redige)</td><td>1</td><td>1</td>" in least
    assert "coverage_form</td><td>1</td><td>1</td>" in least
    # The form's answer rated "not helpful" is shown as the question that started the form.
    form = html[html.index("coverage_form — 1 message") :]
    assert "« kiné à 100 % ? »" in form and "après — utilisateur : « oui »" in form
    check_export(out / "to_annotate.yml")


def check_export(path: Path) -> None:
    """Rasa reads the export as NLU data: one intent, each message once."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    assert data.intents == {"to_annotate"}
    texts = sorted(m.get("text") for m in data.intent_examples)
    assert len(texts) == 5 and "kiné à 100 % ?" in texts
    assert "qui remplit le protocole ?" in texts
    assert "où l'envoyer ce papier du protocole, mon numéro [numéro masqué]" in texts
    assert all(not m.get("entities") for m in data.intent_examples)  # the masks are no entities
    assert "# closest topic: faq/ou_envoyer" in path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("review") / "rasa.db"
    save_conversations(dialect="sqlite", db=str(db))
    return db


def sqlite_env(db: Path) -> Dict[str, str]:
    return {"RASA_PROFILE": "sqlite", "SQLITE_DB": str(db)}


def test_review_sqlite(sqlite_store: Path, tmp_path: Path) -> None:
    check_review(sqlite_env(sqlite_store), tmp_path / "review")


def test_the_export_passes_rasa_data_validate(sqlite_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "review"
    run_review(sqlite_env(sqlite_store), out)
    result = subprocess.run(
        [
            str(settings.path("RASA_BIN")),
            "data",
            "validate",
            "--data",
            str(out / "to_annotate.yml"),
            "--domain",
            "domain",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "to_annotate" in result.stdout + result.stderr  # read: its intent is not in the domain yet


def test_feedback_is_stored_masked_with_its_topic(sqlite_store: Path) -> None:
    with sqlite3.connect(sqlite_store) as conn:
        rows = conn.execute("SELECT sender_id, type_name, data FROM events ORDER BY id").fetchall()
    ratings = [
        json.loads(d)["value"] for s, t, d in rows if t == "slot" and json.loads(d)["name"] == "feedback"
    ]
    assert ratings == [
        {"helpful": False, "topic": "faq/qui_redige"},
        {"helpful": False, "topic": "coverage_form"},
    ]
    stored = "\n".join(d for _, _, d in rows)
    assert (
        PHONE not in stored and "006 084" not in stored and "[t\\u00e9l\\u00e9phone masqu\\u00e9]" in stored
    )


def test_a_shorter_or_empty_period(sqlite_store: Path, tmp_path: Path) -> None:
    env = sqlite_env(sqlite_store)
    assert "1 conversation(s), 3 user message(s)" in run_review(
        env, tmp_path / "a", "--since", "2026-11-20", "--until", "2026-11-20"
    )
    assert "3 conversation(s), 9 user message(s)" in run_review(env, tmp_path / "b", "--days", "3")
    out = run_review({**env, "SQLITE_DB": str(tmp_path / "none.db")}, tmp_path / "c")
    assert "0 conversation(s), 0 user message(s)" in out and not (tmp_path / "none.db").exists()
    assert "Rien à signaler" in (tmp_path / "c" / "review.html").read_text(encoding="utf-8")


def test_closest_topic_reads_the_ranking() -> None:
    assert review.closest_topic(faq_parse("faq", "volets", "qui_redige")) == "faq/volets"
    assert review.closest_topic(faq_parse("nlu_fallback", "volets", fallback_of="faq")) == "faq/volets"
    assert (
        review.closest_topic(faq_parse("nlu_fallback", "volets", fallback_of="ask_coverage"))
        == "ask_coverage"
    )
    assert review.closest_topic(faq_parse("ask_human")) == "ask_human"


def test_similar_messages_are_grouped() -> None:
    texts = [
        "où envoyer le protocole",
        "où j'envoie le protocole",
        "combien coûte une consultation",
        "où envoyer mon protocole ?",
    ]
    assert review.similarity_clusters(texts) == [[0, 1, 3], [2]]
    assert review.similarity_clusters([]) == [] and review.similarity_clusters(["un"]) == [[0]]


def test_payloads_and_form_answers_are_not_exported() -> None:
    """A rated personal answer's last message ("10 janvier") or a button's payload says nothing
    of the question: in the report, not in the file to annotate."""
    when = datetime(2026, 11, 20, 10, tzinfo=timezone.utc)

    def item(text: str, why: str, intent: str) -> review.Item:
        return review.Item(review.Turn(1, when, text, intent, None), why, None, None)

    assert not review.exportable(item("/ask_human", "fallback", "ask_human"))
    assert not review.exportable(item("10 janvier", "pas utile", "inform"))
    assert not review.exportable(item("azertyuiop", "fallback", "nlu_fallback"))  # keyboard mashing
    assert review.exportable(item("où l'envoyer", "pas utile", "faq"))
    assert review.exportable(item("quand renouveler ?", "pas utile", "ask_renewal_date"))
    assert review.exportable(item("zut alors mon dossier", "fallback", "nlu_fallback"))


def test_entity_syntax_is_never_written() -> None:
    assert review.nlu_safe("[numéro masqué](x) et [a]{b}\n- fin") == "[numéro masqué] (x) et [a] {b} - fin"


def test_the_period_in_utc() -> None:
    args = review.parse_args(["--now", NOW, "--days", "3"])
    since, until = review.period(args)
    assert until == datetime(2026, 11, 23, 12, tzinfo=timezone.utc) and (until - since).days == 3
    args = review.parse_args(["--since", "2026-11-20", "--until", "2026-11-21"])
    since, until = review.period(args)
    assert (
        since.isoformat() == "2026-11-20T00:00:00+01:00" and until.isoformat() == "2026-11-22T00:00:00+01:00"
    )
