#!/usr/bin/env python
"""Retention: delete the conversations whose LAST event is older than N days from the SQL
tracker store (SQLite file or PostgreSQL), whole conversations at a time.

    scripts/purge.py [--days N] [--endpoints FILE] [--dry-run] [--now ISO-DATETIME]
    make purge                      # same, with the Makefile's environment

The database is the one the Rasa server uses: the tracker_store section of the endpoints
file of the current profile (RASA_PROFILE=sqlite -> endpoints.yml, postgres ->
endpoints.postgres.yml), with the same environment variables and defaults as
scripts/run.sh. N comes from --days, else $RETENTION_DAYS, else 90. Only counts are
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
from typing import List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DAYS = 90
SQL_TYPES = {"sql", "components.tracker_store.MaskingSQLTrackerStore".lower()}

# Same defaults as scripts/run.sh, so that ${VAR} in the endpoints files always resolves.
PROFILE_DEFAULTS = {
    "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
    "SQLITE_DB": "var/rasa.db",
    "DB_HOST": "127.0.0.1", "DB_PORT": "5432", "DB_NAME": "rasa", "DB_USER": "rasa",
    "DB_PASSWORD": "",
    "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "1", "REDIS_PASSWORD": "",
    "REDIS_KEY_PREFIX": "ald",
}


def default_days() -> int:
    raw = os.environ.get("RETENTION_DAYS", "").strip()
    return int(raw) if raw else DEFAULT_DAYS


def default_endpoints() -> str:
    profile = os.environ.get("RASA_PROFILE", "sqlite")
    return "endpoints.postgres.yml" if profile == "postgres" else "endpoints.yml"


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=None,
                   help=f"retention in days (default: $RETENTION_DAYS or {DEFAULT_DAYS})")
    p.add_argument("--endpoints", default=None,
                   help="endpoints file (default: from $RASA_PROFILE)")
    p.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    p.add_argument("--now", default=None,
                   help="reference date-time, ISO 8601 (default: now; for tests and replays)")
    args = p.parse_args(argv)
    if args.days is None:
        args.days = default_days()
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


def engine_for(endpoints_file: str):  # -> sqlalchemy Engine
    """The SQLAlchemy engine of the tracker store described in `endpoints_file`, built the
    way Rasa builds it."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, validate_port
    from rasa.utils.endpoints import read_endpoint_config

    for key, value in PROFILE_DEFAULTS.items():
        os.environ.setdefault(key, value)
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


def purge(engine, cutoff: float, dry_run: bool = False) -> Tuple[int, int]:
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
                sa.select(sa.func.count()).select_from(events)
                .where(events.c.sender_id.in_(stale))
            ).scalar()
        else:
            n_events = conn.execute(events.delete().where(events.c.sender_id.in_(stale))).rowcount
    return int(senders or 0), int(n_events or 0)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    endpoints = Path(args.endpoints)
    args.endpoints = str(endpoints.resolve() if endpoints.exists() else ROOT / endpoints)
    os.chdir(ROOT)  # relative paths (SQLITE_DB=var/rasa.db) are relative to the project
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
    print(f"purge: {conversations} conversation(s), {n_events} event(s) {verb} "
          f"(last event before {limit}, retention {args.days} days, {args.endpoints})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
