"""MaskingSQLTrackerStore in-process, on a real SQLite file and a real PostgreSQL database:
what it writes holds no identifier, what it reads back is a usable tracker."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, EntitiesAdded, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from ald.pii import EMAIL_PLACEHOLDER, NIR_PLACEHOLDER, PHONE_PLACEHOLDER
from components.tracker_store import MaskingSQLTrackerStore, mask_event_dict
from tests.integration.conftest import (
    assert_no_identifier,
    pg_dump_text,
    pg_events,
    pg_store_kwargs,
    sqlite_events,
    sqlite_raw_bytes,
)

NIR = "1 85 05 78 006 084 36"


def conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(
        UserUttered(
            f"mon nir {NIR} et jean.dupont@example.com",
            {"name": "share_personal_data", "confidence": 1.0},
            [{"entity": "date", "value": "185057800608436", "start": 8, "end": 29}],
            {
                "text": f"mon nir {NIR}",
                "intent": {"name": "faq", "confidence": 0.9},
                "entities": [{"entity": "date", "value": NIR}],
            },
            input_channel="rest",
            metadata={"customData": {"note": "joindre au 06 12 34 56 78"}},
        )
    )
    tracker.update(EntitiesAdded([{"entity": "email", "value": "jean.dupont@example.com"}]))
    tracker.update(SlotSet("valid_until", f"{NIR}"))
    tracker.update(SlotSet("fig_sid_telephone", "01 53 62 40 30"))
    tracker.update(BotUttered("Appelez Santé Info Droits au 01 53 62 40 30."))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(
        UserUttered(
            "x" * 5000, {"name": "message_too_long", "confidence": 1.0}, parse_data={"text": "x" * 2000}
        )
    )
    return tracker


def check_store(store: MaskingSQLTrackerStore, rows_reader, raw_text) -> None:
    sender = "conv-1"
    asyncio.run(store.save(conversation(sender)))
    rows = [d for s, _, d in rows_reader() if s == sender]
    users = [d for d in rows if d["event"] == "user"]
    assert users[0]["text"] == f"mon nir {NIR_PLACEHOLDER} et {EMAIL_PLACEHOLDER}"
    assert users[0]["parse_data"]["text"] == f"mon nir {NIR_PLACEHOLDER}"
    assert users[0]["parse_data"]["entities"][0]["value"] == NIR_PLACEHOLDER
    assert users[0]["metadata"] == {"customData": {"note": f"joindre au {PHONE_PLACEHOLDER}"}}
    assert len(users[1]["text"]) == 2000  # the stored text is cut like the NLU input
    slots = {d["name"]: d["value"] for d in rows if d["event"] == "slot"}
    assert slots == {
        "valid_until": NIR_PLACEHOLDER,
        "fig_sid_telephone": "01 53 62 40 30",
    }  # set by the bot: kept
    bot = [d["text"] for d in rows if d["event"] == "bot"]
    assert bot == ["Appelez Santé Info Droits au 01 53 62 40 30."]  # bot's words are kept
    entities = [d for d in rows if d["event"] == "entities"]
    assert entities[0]["entities"][0]["value"] == EMAIL_PLACEHOLDER
    assert_no_identifier(json.dumps(rows))
    assert_no_identifier(raw_text())

    # Read back: a normal tracker, and saving it again adds nothing.
    tracker = asyncio.run(store.retrieve(sender))
    assert tracker is not None
    assert len(tracker.events) == len(rows)
    # The same as Rasa's own reading (which loads whole ORM objects), for this session and all.
    for every_session in (False, True):
        rasas = asyncio.run(SQLTrackerStore._retrieve(store, sender, every_session))
        mine = asyncio.run(store._retrieve(sender, every_session))
        assert rasas is not None and mine is not None
        assert list(mine.events) == list(rasas.events)
        assert mine.current_slot_values() == rasas.current_slot_values()
    assert asyncio.run(store._retrieve("nobody", False)) is None
    asyncio.run(store.save(tracker))
    assert len([1 for s, _, _ in rows_reader() if s == sender]) == len(rows)

    # A later turn only appends its own, masked, events.
    tracker.update(UserUttered("rappelez le 0612345678", {"name": "x", "confidence": 1.0}))
    asyncio.run(store.save(tracker))
    rows = [d for s, _, d in rows_reader() if s == sender]
    assert rows[-1]["text"] == f"rappelez le {PHONE_PLACEHOLDER}"


def test_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "rasa.db"
    store = MaskingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))
    try:
        check_store(store, lambda: sqlite_events(db), lambda: sqlite_raw_bytes(db).decode("latin-1"))
    finally:
        store.engine.dispose()


def test_sqlite_keeps_its_connection_and_writes_ahead(tmp_path: Path) -> None:
    """One connection kept open (not one per query), the file in WAL mode, and a
    second process can read what the server wrote while the server keeps it open."""
    import sqlite3

    db = tmp_path / "rasa.db"
    store = MaskingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))
    try:
        tracker = DialogueStateTracker.from_events("wal", [UserUttered("bonjour")])
        asyncio.run(store.save(tracker))
        with store.engine.connect() as first:
            kept = first.connection.dbapi_connection
        with store.engine.connect() as second:
            assert second.connection.dbapi_connection is kept
        with sqlite3.connect(db) as reader:
            assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert reader.execute("SELECT count(*) FROM events WHERE sender_id = 'wal'").fetchone() == (1,)
    finally:
        store.engine.dispose()


def test_postgresql(pg_database: str) -> None:
    store = MaskingSQLTrackerStore(domain=Domain.empty(), **pg_store_kwargs(pg_database))
    try:
        check_store(store, lambda: pg_events(pg_database), lambda: pg_dump_text(pg_database))
    finally:
        store.engine.dispose()


def test_slot_prefixes_kept_as_typed_are_configurable(tmp_path: Path) -> None:
    store = MaskingSQLTrackerStore(
        domain=Domain.empty(),
        dialect="sqlite",
        db=str(tmp_path / "r.db"),
        unmasked_slot_prefixes="fig_, ref_",
    )
    try:
        assert store.unmasked_slot_prefixes == ("fig_", "ref_")
    finally:
        store.engine.dispose()
    event = {"event": "slot", "name": "ref_tel", "value": "06 12 34 56 78"}
    assert mask_event_dict(event, 2000, ("ref_",)) == event
    assert mask_event_dict(event, 2000, ())["value"] == PHONE_PLACEHOLDER


class _Broker:
    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)


def test_events_sent_to_an_event_broker_are_masked_too(tmp_path: Path) -> None:
    broker = _Broker()
    store = MaskingSQLTrackerStore(
        domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "b.db"), event_broker=broker
    )
    try:
        asyncio.run(store.save(conversation("conv-b")))
    finally:
        store.engine.dispose()
    assert broker.published and all(e["sender_id"] == "conv-b" for e in broker.published)
    assert_no_identifier(json.dumps(broker.published))


@pytest.mark.parametrize("limit", [10, 2000])
def test_user_text_is_cut_to_the_limit(limit: int) -> None:
    masked = mask_event_dict({"event": "user", "text": "y" * 3000, "parse_data": {"text": "y" * 3000}}, limit)
    assert len(masked["text"]) == limit and len(masked["parse_data"]["text"]) == limit
