"""The multi-server profile (endpoints.postgres.yml) when PostgreSQL or Redis goes away, for
real: private instances on free ports (never the system's), stopped and started again by the
test while a Rasa server runs.

- while one is down, every message gets the apology with the helpline number, and the Rasa
  server keeps running;
- when it is back, the conversation goes on where it was (a form stopped in the middle is
  finished with the same answer), and nothing of the failed turns was stored."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import psycopg2
import pytest
import redis

from ald import outage, settings
from ald.figures import figure
from tests.integration.conftest import TODAY, assert_reply_is, user_events
from tools.stack import Proc, free_port, rest_send, spawn, start_action_server, start_rasa_server, texts


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail("PostgreSQL's server binaries are missing (Debian package 'postgresql')", pytrace=False)
    return found[-1]


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a free port; role `rasa`, trust authentication."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ald-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.dir.chmod(0o755)
        # initdb refuses to run as root: then the cluster belongs to the system's postgres user.
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            uid = pwd.getpwnam(self.user)
            os.chown(self.dir, uid.pw_uid, uid.pw_gid)
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "rasa", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run(_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "rasa", "rasa")

    def _run(self, *args: str) -> None:
        command: List[str] = ["runuser", "-u", self.user, "--", *args] if self.user else list(args)
        subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=self.dir)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.dir / "postgres.log")
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def user_texts(self, sender: str) -> List[str]:
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="rasa", dbname="rasa")
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT sender_id, type_name, data FROM events ORDER BY id")
                rows = [(s, t, json.loads(d)) for s, t, d in cur.fetchall()]
        finally:
            conn.close()
        return [e["text"] for e in user_events(rows, sender)]


class PrivateRedis:
    def __init__(self, logdir: Path) -> None:
        self.logdir = logdir
        self.port = free_port()
        self.proc: Proc
        self.start()

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is missing (Debian package 'redis-server')", pytrace=False)
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = spawn(f"redis-{self.port}", args, dict(os.environ), self.logdir)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise TimeoutError("private redis-server did not start")

    def stop(self) -> None:
        self.proc.stop()


class Stack:
    def __init__(self, logdir: Path) -> None:
        self.pg = PrivatePostgres()
        self.redis = PrivateRedis(logdir)
        env: Dict[str, str] = {
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(self.pg.port),
            "DB_NAME": "rasa",
            "DB_USER": "rasa",
            "DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(self.redis.port),
            "REDIS_DB": "0",
            "REDIS_PASSWORD": "",
            "REDIS_KEY_PREFIX": "aldoutage",
        }
        self.actions, action_port = start_action_server(logdir, env={"ALD_TODAY": TODAY})
        self.rasa, self.port = start_rasa_server(
            logdir, action_port, endpoints=settings.PROFILES["postgres"], env=env
        )

    def say(self, sender: str, text: str) -> str:
        return texts(rest_send(self.port, sender, text))

    def close(self) -> None:
        for step in (self.rasa.stop, self.actions.stop, self.redis.stop, self.pg.remove):
            step()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    s = Stack(tmp_path_factory.mktemp("store-outages"))
    try:
        yield s
    finally:
        s.close()


@pytest.mark.parametrize("service", ["postgres", "redis"])
def test_while_a_store_is_down_messages_get_the_apology_and_the_conversation_goes_on(
    stack: Stack, service: str
) -> None:
    sender = f"{service}-{uuid.uuid4().hex}"
    assert_reply_is("utter_ask_valid_until", stack.say(sender, "calculer ma date de renouvellement"))
    down = stack.pg if service == "postgres" else stack.redis

    down.stop()
    apology = outage.apology(None)
    assert figure("sid_telephone").value in apology
    assert stack.say(sender, "31 mai 2027") == apology
    assert stack.say(f"{service}-new-{uuid.uuid4().hex}", "Où envoyer mon protocole de soins ?") == apology
    assert stack.rasa.popen.poll() is None, "the Rasa server stopped"

    down.start()
    answer = stack.say(sender, "31 mai 2027")
    assert "28 février 2027" in answer, answer
    assert stack.pg.user_texts(sender) == ["calculer ma date de renouvellement", "31 mai 2027"]
