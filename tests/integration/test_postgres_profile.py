"""The production profile for real (endpoints.postgres.yml): two Rasa servers on one
PostgreSQL database (a fresh one per run) and one Redis lock store, one action server.

- one conversation whose turns alternate between the two servers, with a form started on
  one and finished on the other: the right answer;
- the Redis lock is shared: a conversation locked elsewhere waits;
- identifiers never reach the PostgreSQL tables;
- a server stopped in the middle of a form and started again finishes it right.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

from ald import settings
from tests.integration.conftest import (
    EMAIL_MESSAGE,
    NIR_MESSAGE,
    TODAY,
    assert_no_identifier,
    assert_reply_is,
    pg_dump_text,
    pg_events,
    postgres_env,
    user_events,
)
from tools.stack import Proc, rest_send, start_action_server, start_rasa_server, texts

ENDPOINTS = settings.PROFILES["postgres"]


class Cluster:
    def __init__(self, logdir: Path, env: Dict[str, str], action_port: int) -> None:
        self.logdir = logdir
        self.env = env
        self.action_port = action_port
        self.servers: Dict[str, Tuple[Proc, int]] = {}

    def start(self, *names: str) -> None:
        """Start Rasa servers (in parallel) under the given names."""
        errors: List[BaseException] = []

        def one(name: str) -> None:
            try:
                self.servers[name] = start_rasa_server(
                    self.logdir, self.action_port, endpoints=ENDPOINTS, env=self.env
                )
            except BaseException as e:  # re-raised below
                errors.append(e)

        threads = [threading.Thread(target=one, args=(n,)) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]

    def stop(self, name: str) -> None:
        self.servers.pop(name)[0].stop()

    def port(self, name: str) -> int:
        return self.servers[name][1]

    def say(self, name: str, sender: str, text: str) -> str:
        return texts(rest_send(self.port(name), sender, text))

    def stop_all(self) -> None:
        for name in list(self.servers):
            self.stop(name)


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory, pg_database: str, redis_settings: Dict[str, str]
) -> Iterator[Cluster]:
    logdir = tmp_path_factory.mktemp("postgres-profile")
    actions, action_port = start_action_server(logdir, env={"ALD_TODAY": TODAY})
    c = Cluster(logdir, postgres_env(pg_database, redis_settings), action_port)
    try:
        c.start("A", "B")
        yield c
    finally:
        c.stop_all()
        actions.stop()


def test_turns_alternate_between_two_servers_and_a_form_crosses_them(
    cluster: Cluster, pg_database: str
) -> None:
    sender = f"two-{uuid.uuid4().hex}"
    assert cluster.say("A", sender, "bonjour").strip()
    asked = cluster.say("B", sender, "calculer ma date de renouvellement")
    assert_reply_is("utter_ask_valid_until", asked)
    answer = cluster.say("A", sender, "31 mai 2027")
    assert "28 février 2027" in answer, answer
    # Both servers wrote into the one conversation, in order.
    stored = [e["text"] for e in user_events(pg_events(pg_database), sender)]
    assert stored == ["bonjour", "calculer ma date de renouvellement", "31 mai 2027"]


def test_form_given_in_one_message_then_next_turn_on_the_other_server(cluster: Cluster) -> None:
    sender = f"upfront-{uuid.uuid4().hex}"
    answer = cluster.say(
        "B",
        sender,
        "mon protocole est valable jusqu'au 31 mai 2027, " "quand dois-je demander le renouvellement ?",
    )
    assert "28 février 2027" in answer, answer
    assert cluster.say("A", sender, "merci").strip()


def test_the_redis_lock_is_shared_by_the_servers(cluster: Cluster) -> None:
    """A conversation locked by someone else (here: a ticket held in Redis for 4 s, as
    another server would hold it) is not processed before the lock is released."""
    from rasa.core.lock_store import RedisLockStore

    env = cluster.env
    store = RedisLockStore(
        host=env["REDIS_HOST"],
        port=int(env["REDIS_PORT"]),
        db=int(env["REDIS_DB"]),
        password=env["REDIS_PASSWORD"] or None,
        key_prefix=env["REDIS_KEY_PREFIX"],
    )
    sender = f"lock-{uuid.uuid4().hex}"
    start = time.monotonic()
    assert cluster.say("A", sender, "bonjour").strip()
    unlocked = time.monotonic() - start

    store.issue_ticket(sender, lock_lifetime=4)
    start = time.monotonic()
    assert cluster.say("B", sender, "merci").strip()
    waited = time.monotonic() - start
    assert waited >= 3.0, f"answered after {waited:.1f} s although the conversation was locked"
    assert unlocked < waited


def test_two_messages_of_one_conversation_at_once_on_two_servers(cluster: Cluster, pg_database: str) -> None:
    sender = f"race-{uuid.uuid4().hex}"
    cluster.say("A", sender, "bonjour")
    replies: Dict[str, str] = {}

    def send(name: str, text: str) -> None:
        replies[name] = cluster.say(name, sender, text)

    threads = [
        threading.Thread(target=send, args=("A", "c'est quoi une ALD ?")),
        threading.Thread(target=send, args=("B", "merci beaucoup")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert replies["A"].strip() and replies["B"].strip()
    rows = [(t, d) for s, t, d in pg_events(pg_database) if s == sender]
    user_turns = [d["text"] for t, d in rows if t == "user"]
    assert sorted(user_turns) == sorted(["bonjour", "c'est quoi une ALD ?", "merci beaucoup"])
    # Processed one after the other: every user message is followed by the bot's turn
    # (ending with action_listen) before the next user message.
    kinds = [
        ("user" if t == "user" else "listen" if d.get("name") == "action_listen" else "x") for t, d in rows
    ]
    kinds = [k for k in kinds if k != "x"]
    assert kinds[-6:] == ["user", "listen"] * 3


def test_identifiers_never_reach_postgresql(cluster: Cluster, pg_database: str) -> None:
    sender = f"mask-{uuid.uuid4().hex}"
    for name, message in (("A", NIR_MESSAGE), ("B", EMAIL_MESSAGE)):
        assert_reply_is("utter_share_personal_data", cluster.say(name, sender, message))
    stored = user_events(pg_events(pg_database), sender)
    assert [e["text"] for e in stored] == [
        "mon numéro de sécu est [numéro masqué]",
        "écrivez-moi à [e-mail masqué]",
    ]
    assert [e["parse_data"]["intent"]["name"] for e in stored] == ["share_personal_data"] * 2
    assert_no_identifier(json.dumps(stored, ensure_ascii=False))
    assert_no_identifier(pg_dump_text(pg_database))


def test_server_restarted_in_the_middle_of_a_form(cluster: Cluster) -> None:
    sender = f"restart-{uuid.uuid4().hex}"
    asked = cluster.say("B", sender, "calculer ma date de renouvellement")
    assert_reply_is("utter_ask_valid_until", asked)
    cluster.stop("B")
    cluster.start("B")
    answer = cluster.say("B", sender, "31 mai 2027")
    assert "28 février 2027" in answer, answer
