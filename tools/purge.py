"""Retention: delete the conversations whose LAST event is older than N days from the SQL
tracker store (SQLite file or PostgreSQL), whole conversations at a time.

    python -m tools.purge [--days N] [--endpoints FILE] [--dry-run] [--now ISO-DATETIME]
    make purge                      # the same

The database is the one the Rasa server uses: the tracker_store section of the endpoints
file of the current profile (RASA_PROFILE=sqlite -> endpoints.yml, postgres ->
endpoints.postgres.yml), with the settings of ald/settings.py (as scripts/run.sh). N comes
from --days, else the setting RETENTION_DAYS (90 by default). Only counts are
printed, never conversation ids. On SQLite, deleted rows are overwritten on disk
(secure_delete); PostgreSQL reclaims the space with its (auto)vacuum.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

from ald import settings

if TYPE_CHECKING:  # imported when needed (Rasa and SQLAlchemy take seconds to import)
    from sqlalchemy.engine import Engine

ROOT = settings.ROOT
SQL_TYPES = {"sql", "components.tracker_store.MaskingSQLTrackerStore".lower()}


def default_endpoints() -> str:
    """The endpoints file of the current profile (RASA_PROFILE). Read from the profile itself,
    not from an ENDPOINTS the caller's shell may have exported for another profile."""
    return settings.PROFILES.get(settings.get("RASA_PROFILE")) or settings.PROFILES["sqlite"]


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--days",
        type=int,
        default=None,
        help=f"retention in days (default: the setting RETENTION_DAYS, "
        f"{settings.default('RETENTION_DAYS')} unless set)",
    )
    p.add_argument("--endpoints", default=None, help="endpoints file (default: from $RASA_PROFILE)")
    p.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    p.add_argument(
        "--now", default=None, help="reference date-time, ISO 8601 (default: now; for tests and replays)"
    )
    args = p.parse_args(argv)
    if args.days is None:
        args.days = settings.get_int("RETENTION_DAYS")
    if args.days < 1:
        p.error("--days must be at least 1")
    if args.endpoints is None:
        args.endpoints = default_endpoints()
    return args


def reference_time(now: Optional[str]) -> float:
    if not now:
        return time.time()
    moment = datetime.fromisoformat(now)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def engine_for(endpoints_file: str) -> Engine:
    """The SQLAlchemy engine of the tracker store described in `endpoints_file`, built the
    way Rasa builds it."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, validate_port
    from rasa.utils.endpoints import read_endpoint_config

    # Rasa resolves the ${VAR}s of the endpoints file from the environment: give it every setting.
    os.environ.update(settings.resolved())
    config = read_endpoint_config(endpoints_file, "tracker_store")
    if config is None or (config.type or "").lower() not in SQL_TYPES:
        raise SystemExit(f"purge: {endpoints_file} has no SQL tracker store")
    kw = config.kwargs
    url = SQLTrackerStore.get_db_url(
        dialect=kw.get("dialect", "sqlite"),
        host=config.url,
        port=validate_port(kw.get("port")),
        db=kw.get("db", "rasa.db"),
        username=kw.get("username"),
        password=kw.get("password"),
        query=kw.get("query"),
    )
    return sa.create_engine(url, **create_engine_kwargs(url))


def purge(engine: Engine, cutoff: float, dry_run: bool = False) -> Tuple[int, int]:
    """Delete every conversation whose last event is older than `cutoff` (epoch seconds).
    Returns (conversations, events) deleted (or that would be, with `dry_run`)."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    events = SQLTrackerStore.SQLEvent.__table__
    if not sa.inspect(engine).has_table(events.name):
        return 0, 0
    stale = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
        senders = conn.execute(sa.select(sa.func.count()).select_from(stale.subquery())).scalar()
        if dry_run:
            n_events = conn.execute(
                sa.select(sa.func.count()).select_from(events).where(events.c.sender_id.in_(stale))
            ).scalar()
        else:
            n_events = conn.execute(events.delete().where(events.c.sender_id.in_(stale))).rowcount
    if engine.dialect.name == "sqlite" and not dry_run and n_events:
        _empty_write_ahead_log(engine)
    return int(senders or 0), int(n_events or 0)


def _empty_write_ahead_log(engine: Engine, attempts: int = 25) -> None:
    """The server keeps its SQLite file in WAL mode (components/tracker_store.py): the purged
    messages are still in the -wal file until it is checkpointed. TRUNCATE copies it into the
    database (where secure_delete overwrote them) and empties it; it waits for readers, so it
    is retried while the running server reads."""
    for _ in range(attempts):
        with engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if not busy:
            return
        time.sleep(0.2)
    raise RuntimeError("the SQLite write-ahead log stayed busy: run the purge again")


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    endpoints = Path(args.endpoints)
    args.endpoints = str(endpoints.resolve() if endpoints.exists() else ROOT / endpoints)
    os.chdir(ROOT)  # relative paths (SQLITE_DB) are relative to the project
    cutoff = reference_time(args.now) - args.days * 86400
    engine = engine_for(args.endpoints)
    try:
        sqlite_file = engine.url.database if engine.dialect.name == "sqlite" else None
        if sqlite_file and not Path(sqlite_file).exists():
            conversations, n_events = 0, 0  # no database yet: do not create an empty one
        else:
            conversations, n_events = purge(engine, cutoff, args.dry_run)
    finally:
        engine.dispose()
    limit = datetime.fromtimestamp(cutoff, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    verb = "would be deleted" if args.dry_run else "deleted"
    print(
        f"purge: {conversations} conversation(s), {n_events} event(s) {verb} "
        f"(last event before {limit}, retention {args.days} days, {args.endpoints})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
