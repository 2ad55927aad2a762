"""Retention (tools/purge.py) on a real SQLite file and a real PostgreSQL database: the
events are written by the project's tracker store, the purge runs as the CLI `make purge`
runs it, with a fixed reference date (never the real clock)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Set

import pytest

from tests.integration.conftest import (
    ROOT,
    pg_events,
    pg_settings,
    pg_store_kwargs,
    sqlite_events,
    sqlite_raw_bytes,
)

NOW = "2026-11-23T12:00:00+00:00"


def ts(day: str) -> float:
    return datetime.fromisoformat(f"{day}T10:00:00+00:00").timestamp()


# sender -> days of its events. With 90 days before NOW the limit is 2026-08-25 12:00 UTC.
CONVERSATIONS: Dict[str, List[str]] = {
    "old-1": ["2026-01-10", "2026-01-10", "2026-01-11"],
    "old-2": ["2026-08-24"],  # last event just before the limit
    "came-back": ["2026-02-01", "2026-02-01", "2026-11-20"],  # old start, recent last event
    "recent": ["2026-11-22", "2026-11-23"],
    "at-the-limit": ["2026-08-25"],  # 10:00 < 12:00: older than 90 days
    "after-the-limit": ["2026-08-26"],
}
PURGED_90 = {"old-1", "old-2", "at-the-limit"}


def save_conversations(**store_kwargs: object) -> None:
    """Write the conversations above through MaskingSQLTrackerStore (as Rasa would)."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from components.tracker_store import MaskingSQLTrackerStore

    store = MaskingSQLTrackerStore(domain=Domain.empty(), **store_kwargs)
    for sender, days in CONVERSATIONS.items():
        tracker = DialogueStateTracker(sender, [])
        for i, day in enumerate(days):
            event = (
                UserUttered(f"message {i}", {"name": "greet", "confidence": 1.0}, timestamp=ts(day))
                if i % 2
                else ActionExecuted("action_listen", timestamp=ts(day))
            )
            tracker.update(event)
        asyncio.run(store.save(tracker))
    store.engine.dispose()


def run_purge(env: Dict[str, str], *args: str) -> str:
    full_env = {**os.environ, **env}
    result = subprocess.run(
        [sys.executable, "-m", "tools.purge", "--now", NOW, *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def senders(rows) -> Set[str]:
    return {s for s, _, _ in rows}


def check_purge(env: Dict[str, str], read_rows) -> None:
    before = read_rows()
    assert senders(before) == set(CONVERSATIONS)

    out = run_purge(env, "--dry-run")
    assert "3 conversation(s), 5 event(s) would be deleted" in out
    assert read_rows() == before

    out = run_purge(env)  # RETENTION_DAYS unset: 90 days
    assert "3 conversation(s), 5 event(s) deleted" in out
    for sender in PURGED_90:
        assert sender not in out  # only counts are printed
    after = read_rows()
    assert senders(after) == set(CONVERSATIONS) - PURGED_90
    # Kept conversations are kept whole, old events included.
    assert [r for r in before if r[0] not in PURGED_90] == after

    assert "0 conversation(s), 0 event(s) deleted" in run_purge(env)

    out = run_purge({**env, "RETENTION_DAYS": "2"})
    assert "2 conversation(s), 4 event(s) deleted" in out  # came-back, after-the-limit
    assert senders(read_rows()) == {"recent"}
    out = run_purge(env, "--days", "1")
    assert "0 conversation(s)" in out  # 2026-11-23 10:00 is less than a day before NOW


@pytest.fixture(autouse=True)
def _no_retention_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETENTION_DAYS", raising=False)


def test_purge_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "rasa.db"
    save_conversations(dialect="sqlite", db=str(db))
    env = {"RASA_PROFILE": "sqlite", "SQLITE_DB": str(db)}
    check_purge(env, lambda: sqlite_events(db))


def test_purge_sqlite_overwrites_deleted_rows(tmp_path: Path) -> None:
    """secure_delete: the purged messages are not left in the file's free pages."""
    db = tmp_path / "rasa.db"
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from components.tracker_store import MaskingSQLTrackerStore

    store = MaskingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker("gone", [])
    tracker.update(UserUttered("souvenir-tres-personnel", timestamp=ts("2026-01-01")))
    asyncio.run(store.save(tracker))
    store.engine.dispose()
    assert b"souvenir-tres-personnel" in db.read_bytes()
    run_purge({"RASA_PROFILE": "sqlite", "SQLITE_DB": str(db)})
    assert b"souvenir-tres-personnel" not in db.read_bytes()


def test_purge_while_the_server_keeps_the_database_open_leaves_nothing_on_disk(tmp_path: Path) -> None:
    """The running server keeps a connection in WAL mode: the purged messages must leave the
    -wal file too, not only the database file."""
    db = tmp_path / "rasa.db"
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from components.tracker_store import MaskingSQLTrackerStore

    store = MaskingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))
    try:
        tracker = DialogueStateTracker("gone", [])
        tracker.update(UserUttered("souvenir-tres-personnel", timestamp=ts("2026-01-01")))
        asyncio.run(store.save(tracker))
        assert b"souvenir-tres-personnel" in sqlite_raw_bytes(db)
        run_purge({"RASA_PROFILE": "sqlite", "SQLITE_DB": str(db)})
        assert b"souvenir-tres-personnel" not in sqlite_raw_bytes(db)
        later = DialogueStateTracker("kept", [])
        later.update(UserUttered("bonjour", timestamp=ts("2026-11-20")))
        asyncio.run(store.save(later))  # the server goes on writing after the purge
        assert b"souvenir-tres-personnel" not in sqlite_raw_bytes(db)
    finally:
        store.engine.dispose()


def test_purge_postgresql(pg_database: str) -> None:
    s = pg_settings()
    save_conversations(**pg_store_kwargs(pg_database))
    env = {"RASA_PROFILE": "postgres", "DB_NAME": pg_database, **s}
    check_purge(env, lambda: pg_events(pg_database))


def test_purge_without_database_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    out = run_purge({"RASA_PROFILE": "sqlite", "SQLITE_DB": str(db)})
    assert "0 conversation(s), 0 event(s) deleted" in out
    assert not db.exists()


def test_purge_refuses_a_bad_retention(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tools.purge", "--days", "0"],
        cwd=ROOT,
        env={**os.environ, "SQLITE_DB": str(tmp_path / "x.db")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "--days" in result.stderr


def test_makefile_has_a_purge_target() -> None:
    result = subprocess.run(["make", "-n", "purge"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "-m tools.purge" in result.stdout
