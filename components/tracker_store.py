"""SQL tracker store that never writes a personal identifier to the database.

Rasa keeps the text exactly as typed in `UserUttered.text` (the processor builds the event
from the channel's message, not from the NLU output), so masking inside the NLU pipeline
(components/guard.py) is not enough. This store masks every event just before it is
written, whatever the channel (REST, socket.io, `rasa shell`) and whatever the database
(SQLite by default, PostgreSQL in production):

- user messages: `text` (masked, then cut to the guard's limit), `parse_data` (its text,
  entities and everything else), `metadata`;
- entities events: entity values;
- slots: values of slots filled from what the user typed. Slots whose name starts with one
  of `unmasked_slot_prefixes` (default `fig_`: the reference figures the bot sets itself,
  such as helpline phone numbers) are kept as they are.

Configured in endpoints.yml / endpoints.postgres.yml:

    tracker_store:
      type: components.tracker_store.MaskingSQLTrackerStore
      dialect: sqlite          # or postgresql, with url/port/db/username/password
      db: ${SQLITE_DB}
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Optional, Tuple

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from ald import pii, settings
from components import resilience, speedups
from components.guard import install_log_redaction, max_chars

DEFAULT_UNMASKED_SLOT_PREFIXES: Tuple[str, ...] = ("fig_",)


def mask_event_dict(
    data: Dict[str, Any],
    limit: int,
    unmasked_slot_prefixes: Iterable[str] = DEFAULT_UNMASKED_SLOT_PREFIXES,
) -> Dict[str, Any]:
    """A copy of the serialised event `data` without personal identifiers."""
    event = dict(data)
    kind = event.get("event")
    if kind == "user":
        if isinstance(event.get("text"), str):
            event["text"] = pii.mask_text(event["text"])[:limit]
        if isinstance(event.get("parse_data"), dict):
            parse_data = pii.mask_value(event["parse_data"])
            if isinstance(parse_data.get("text"), str):
                parse_data["text"] = parse_data["text"][:limit]
            event["parse_data"] = parse_data
        if event.get("metadata"):
            event["metadata"] = pii.mask_value(event["metadata"])
    elif kind == "entities":
        event["entities"] = pii.mask_value(event.get("entities"))
    elif kind == "slot":
        name = str(event.get("name") or "")
        if not any(name.startswith(p) for p in unmasked_slot_prefixes):
            event["value"] = pii.mask_value(event.get("value"))
    return event


def _sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    """WAL journal, synced at checkpoints (`synchronous=NORMAL`): a power cut may lose the
    last messages, never corrupt the file (sqlite.org/wal.html)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class MaskingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose saved events are masked (see the module docstring)."""

    def __init__(
        self,
        *args: Any,
        unmasked_slot_prefixes: Optional[Iterable[str]] = None,
        **kwargs: Any,
    ) -> None:
        prefixes = (
            DEFAULT_UNMASKED_SLOT_PREFIXES if unmasked_slot_prefixes is None else (unmasked_slot_prefixes)
        )
        if isinstance(prefixes, str):
            prefixes = [p.strip() for p in prefixes.split(",") if p.strip()]
        self.unmasked_slot_prefixes: Tuple[str, ...] = tuple(prefixes)
        self.text_limit = max_chars()
        install_log_redaction()
        resilience.install()  # a message gets an apology when a store or the action server is down
        speedups.install()  # Rasa functions that redo start-up work per message (components/speedups.py)
        super().__init__(*args, **kwargs)
        self._reconnect_after_outages()

    def _reconnect_after_outages(self) -> None:
        """The same engine, but one that checks a pooled connection before using it
        (`pool_pre_ping`): after PostgreSQL restarts, the first message is answered instead of
        failing on a connection of the old server. A server that cannot be reached fails
        after DB_CONNECT_TIMEOUT seconds instead of the system's TCP timeout (minutes)."""
        import sqlalchemy as sa
        from rasa.core.tracker_store import create_engine_kwargs

        url = self.engine.url
        kwargs = create_engine_kwargs(url)
        if url.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": settings.get_int("DB_CONNECT_TIMEOUT")}
        sqlite_file = url.get_backend_name() == "sqlite" and bool(url.database)
        if sqlite_file:
            # One connection kept open (SQLAlchemy 1.4 opens a new one per query for a file;
            # 2.0 keeps a pool like this), in write-ahead-log mode: a commit no longer rewrites
            # the journal, and `make purge` or `make review` read while the server writes.
            # Rasa uses the store from its event loop only; a few more connections are allowed
            # for anything else.
            kwargs.update(
                poolclass=sa.pool.QueuePool,
                pool_size=1,
                max_overflow=4,
                connect_args={"check_same_thread": False},
            )
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **kwargs)
        if sqlite_file:
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """Same as `SQLTrackerStore._retrieve`, reading only the events' `data` column: Rasa
        loads whole ORM objects, about half of the time to load a conversation
        (docs/benchmarks.md)."""
        with self.session_scope() as session:
            rows = (
                self._event_query(
                    session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
                )
                .with_entities(self.SQLEvent.data)
                .all()
            )
            events = [json.loads(data) for (data,) in rows]
            if self.domain and events:
                return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
            return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Same as `SQLTrackerStore.save`, with each event masked before it is written."""
        await self.stream_events(tracker)

        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = mask_event_dict(event.as_dict(), self.text_limit, self.unmasked_slot_prefixes)
                intent = (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    async def _stream_new_events(self, event_broker: Any, new_events: Any, sender_id: str) -> None:
        """Events published to an event broker (if one is configured) are masked too."""
        for event in new_events:
            body = {"sender_id": sender_id}
            body.update(mask_event_dict(event.as_dict(), self.text_limit, self.unmasked_slot_prefixes))
            event_broker.publish(body)
