"""Shared fixtures of the integration tests: a throw-away PostgreSQL database per module,
a Redis key prefix per module, readers of the tracker store tables, and the expected bot
replies read from the domain. Servers are started with tools/stack.py.

PostgreSQL and Redis are reached with the settings of ald/settings.py (DB_*, REDIS_*);
`make test` starts them first (scripts/services.sh). When one cannot be reached, each test
that needs it fails with one line saying what to do."""

from __future__ import annotations

import json
import secrets
import sqlite3
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import yaml

from ald import settings
from tools.stack import rest_stack

ROOT = settings.ROOT

#: The clock of the action server in these tests (answers never depend on the real date).
TODAY = "2026-11-23"

#: What the tests type, and every form an identifier could be stored in.
NIR_MESSAGE = "mon numéro de sécu est 1 85 05 78 006 084 36"
EMAIL_MESSAGE = "écrivez-moi à jean.dupont@example.com"
IDENTIFIER_TRACES = [
    "1 85 05 78 006 084 36",
    "185057800608436",
    "1850578006084",
    "006 084",
    "jean.dupont@example.com",
    "jean.dupont",
    "example.com",
]


def pg_settings() -> Dict[str, str]:
    """How the tests reach PostgreSQL (the same settings as the postgres profile)."""
    return {name: settings.get(name) for name in ("DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD")}


def pg_store_kwargs(db: str) -> Dict[str, Any]:
    """The keyword arguments of Rasa's SQL tracker store for the test database `db`."""
    s = pg_settings()
    return {
        "dialect": "postgresql",
        "host": s["DB_HOST"],
        "port": s["DB_PORT"],
        "db": db,
        "username": s["DB_USER"],
        "password": s["DB_PASSWORD"],
    }


def pg_connect(dbname: str = "postgres") -> Any:
    import psycopg2

    s = pg_settings()
    return psycopg2.connect(
        host=s["DB_HOST"],
        port=int(s["DB_PORT"]),
        user=s["DB_USER"],
        password=s["DB_PASSWORD"] or None,
        dbname=dbname,
        connect_timeout=10,
    )


def redis_client(db_settings: Dict[str, str]) -> Any:
    import redis

    return redis.Redis(
        host=db_settings["REDIS_HOST"],
        port=int(db_settings["REDIS_PORT"]),
        db=int(db_settings["REDIS_DB"]),
        password=db_settings["REDIS_PASSWORD"] or None,
        socket_connect_timeout=10,
    )


def _reason(error: Exception) -> str:
    """The gist of a connection error, on one line."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text.split(" failed: ")[-1]


@pytest.fixture(scope="session")
def postgres_reachable() -> None:
    """Checked once per run: PostgreSQL answers with the settings' role and password."""
    import psycopg2

    s = pg_settings()
    try:
        pg_connect().close()
        return
    except psycopg2.Error as e:
        reason = _reason(e)
    pytest.fail(
        f"PostgreSQL not reachable at {s['DB_HOST']}:{s['DB_PORT']} as role {s['DB_USER']}: "
        f"run scripts/services.sh (as root) or set DB_HOST/DB_USER/DB_PASSWORD ({reason})",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def redis_reachable() -> None:
    """Checked once per run: Redis answers with the settings' host, port and password."""
    import redis

    s = {name: settings.get(name) for name in ("REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD")}
    client = redis_client(s)
    try:
        client.ping()
        return
    except redis.RedisError as e:
        reason = _reason(e)
    finally:
        client.close()
    pytest.fail(
        f"Redis not reachable at {s['REDIS_HOST']}:{s['REDIS_PORT']}: run scripts/services.sh "
        f"(as root) or set REDIS_HOST/REDIS_PORT/REDIS_PASSWORD ({reason})",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def pg_database(postgres_reachable: None) -> Iterator[str]:
    """A fresh PostgreSQL database (rasa_test_<random>), dropped afterwards."""
    name = f"rasa_test_{secrets.token_hex(6)}"
    conn = pg_connect()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@pytest.fixture(scope="module")
def redis_settings(redis_reachable: None) -> Iterator[Dict[str, str]]:
    """Redis lock store settings with a key prefix of their own; keys removed afterwards."""
    values = {name: settings.get(name) for name in ("REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD")}
    prefix = f"aldtest{secrets.token_hex(4)}"
    values["REDIS_KEY_PREFIX"] = prefix
    client = redis_client(values)
    client.ping()
    try:
        yield values
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()


@pytest.fixture(scope="session")
def shared_rest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[int, Path]]:
    """One action server (clock at TODAY) and one Rasa server on the default SQLite profile,
    shared by the REST conversation tests (each conversation has its own sender id, so they
    stay apart): starting a Rasa server costs tens of seconds. Yields the port and the
    SQLite database."""
    logdir = tmp_path_factory.mktemp("rest-shared")
    with rest_stack(logdir, {"ALD_TODAY": TODAY}) as port:
        yield port, logdir / "rasa.db"


@pytest.fixture(scope="session")
def rasa_port(shared_rest: Tuple[int, Path]) -> int:
    """The port of the shared REST stack (see shared_rest)."""
    return shared_rest[0]


def postgres_env(database: str, redis_env: Dict[str, str]) -> Dict[str, str]:
    return {**pg_settings(), "DB_NAME": database, **redis_env}


Rows = List[Tuple[str, str, dict]]  # (sender_id, type_name, event data)


def sqlite_events(path: Path) -> Rows:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT sender_id, type_name, data FROM events ORDER BY id").fetchall()
    return [(s, t, json.loads(d)) for s, t, d in rows]


def sqlite_raw_bytes(path: Path) -> bytes:
    """The whole database file (and its journal, if any), as stored on disk."""
    data = path.read_bytes()
    for extra in (Path(f"{path}-journal"), Path(f"{path}-wal")):
        if extra.exists():
            data += extra.read_bytes()
    return data


def pg_events(database: str) -> Rows:
    conn = pg_connect(database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT sender_id, type_name, data FROM events ORDER BY id")
            rows = cur.fetchall()
    finally:
        conn.close()
    return [(s, t, json.loads(d)) for s, t, d in rows]


def pg_dump_text(database: str) -> str:
    """Every column of every row of every table of the database, as text."""
    conn = pg_connect(database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT table_name FROM information_schema.tables " "WHERE table_schema = 'public'")
            tables = [t for (t,) in cur.fetchall()]
            parts: List[str] = []
            for table in tables:
                cur.execute(f'SELECT * FROM "{table}"')
                parts.extend(repr(row) for row in cur.fetchall())
    finally:
        conn.close()
    return "\n".join(parts)


def user_events(rows: Rows, sender: str) -> List[dict]:
    return [d for s, t, d in rows if s == sender and t == "user"]


def assert_no_identifier(text: str) -> None:
    decoded = text.encode().decode("unicode_escape", errors="ignore") if "\\u" in text else text
    for trace in IDENTIFIER_TRACES:
        assert trace not in text and trace not in decoded, f"identifier trace {trace!r} stored"


def domain_texts(response: str) -> List[str]:
    """The texts of a response of the domain (before slot filling)."""
    variants: List[Any] = []
    for f in settings.domain_files():
        part = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        variants += (part.get("responses") or {}).get(response) or []
    return [v["text"] for v in variants if isinstance(v, dict) and v.get("text")]


def first_words(template: str, n: int = 6) -> str:
    """The start of a response text, before its first slot placeholder."""
    head = template.split("{", 1)[0]
    return " ".join(head.split()[:n])


def assert_reply_is(response: str, reply: str) -> None:
    """`reply` is one of the variants of `response` (compared on their opening words)."""
    variants = domain_texts(response)
    assert variants, f"the domain has no response {response} yet"
    assert any(
        first_words(v) and first_words(v) in reply for v in variants
    ), f"expected {response}, got: {reply!r}"
