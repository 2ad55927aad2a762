"""The editors' review (tools/review.py) on PostgreSQL: the store of tests/tools/test_review.py
written to a throw-away database by the project's tracker store, and the CLI run with the
postgres profile, as `RASA_PROFILE=postgres make review` runs it."""

from __future__ import annotations

from pathlib import Path

from tests.integration.conftest import pg_settings, pg_store_kwargs
from tests.tools.test_review import check_review, save_conversations


def test_review_postgres(pg_database: str, tmp_path: Path) -> None:
    save_conversations(**pg_store_kwargs(pg_database))
    env = {"RASA_PROFILE": "postgres", **pg_settings(), "DB_NAME": pg_database}
    check_review(env, tmp_path / "review")
