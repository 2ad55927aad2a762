"""Shared fixtures of the integration tests: a throw-away PostgreSQL database per module,
a Redis key prefix per module, readers of the tracker store tables, and the expected bot
replies read from domain.yml. Servers are started with tests/support/stack.py."""
from __future__ import annotations

import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

#: The clock of the action server in these tests (answers never depend on the real date).
TODAY = "2026-11-23"

#: What the tests type, and every form an identifier could be stored in.
NIR_MESSAGE = "mon numéro de sécu est 1 85 05 78 006 084 36"
EMAIL_MESSAGE = "écrivez-moi à jean.dupont@example.com"
IDENTIFIER_TRACES = [
    "1 85 05 78 006 084 36", "185057800608436", "1850578006084", "006 084",
    "jean.dupont@example.com", "jean.dupont", "example.com",
]


def pg_settings() -> Dict[str, str]:
    """How the tests reach PostgreSQL (the same variables as the postgres profile)."""
    return {
        "DB_HOST": os.environ.get("DB_HOST", "127.0.0.1"),
        "DB_PORT": os.environ.get("DB_PORT", "5432"),
        "DB_USER": os.environ.get("DB_USER", "rasa"),
        "DB_PASSWORD": os.environ.get("DB_PASSWORD", ""),
    }


def pg_connect(dbname: str = "postgres"):
    import psycopg2

    s = pg_settings()
    return psycopg2.connect(host=s["DB_HOST"], port=int(s["DB_PORT"]), user=s["DB_USER"],
                            password=s["DB_PASSWORD"] or None, dbname=dbname, connect_timeout=10)


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
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
def redis_settings() -> Iterator[Dict[str, str]]:
    """Redis lock store settings with a key prefix of their own; keys removed afterwards."""
    import redis

    prefix = f"aldtest{secrets.token_hex(4)}"
    settings = {
        "REDIS_HOST": os.environ.get("REDIS_HOST", "127.0.0.1"),
        "REDIS_PORT": os.environ.get("REDIS_PORT", "6379"),
        "REDIS_DB": os.environ.get("REDIS_DB", "1"),
        "REDIS_PASSWORD": os.environ.get("REDIS_PASSWORD", ""),
        "REDIS_KEY_PREFIX": prefix,
    }
    client = redis.Redis(host=settings["REDIS_HOST"], port=int(settings["REDIS_PORT"]),
                         db=int(settings["REDIS_DB"]), password=settings["REDIS_PASSWORD"] or None)
    client.ping()
    try:
        yield settings
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()


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
            cur.execute("SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = 'public'")
            tables = [t for (t,) in cur.fetchall()]
            parts = []
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
    """The texts of a response of domain.yml (before slot filling)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    variants = (domain.get("responses") or {}).get(response) or []
    return [v["text"] for v in variants if isinstance(v, dict) and v.get("text")]


def first_words(template: str, n: int = 6) -> str:
    """The start of a response text, before its first slot placeholder."""
    head = template.split("{", 1)[0]
    return " ".join(head.split()[:n])


def assert_reply_is(response: str, reply: str) -> None:
    """`reply` is one of the variants of `response` (compared on their opening words)."""
    variants = domain_texts(response)
    assert variants, f"domain.yml has no response {response} yet"
    assert any(first_words(v) and first_words(v) in reply for v in variants), (
        f"expected {response}, got: {reply!r}")
