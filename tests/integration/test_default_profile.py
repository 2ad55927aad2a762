"""The default profile exactly as `make run` starts it (scripts/run.sh: action server, Rasa
server on a SQLite tracker store, web page), for real:

- identifiers typed by the user never reach the SQLite file; the bot asks kindly not to
  share them;
- the server log at the default level holds no message text;
- a 10,000-character message gets a clear French answer quickly, and the next one works;
- the HTTP API answers only with a JWT signed with RASA_JWT_SECRET, and is off without it;
- CORS only for WEB_ORIGIN; the action server and Rasa listen on 127.0.0.1;
- a conversation stopped in the middle of a form survives a restart and ends right.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

from ald import settings
from tests.integration.conftest import (
    EMAIL_MESSAGE,
    NIR_MESSAGE,
    TODAY,
    assert_no_identifier,
    assert_reply_is,
    sqlite_events,
    sqlite_raw_bytes,
    user_events,
)
from tools.stack import Proc, base_env, free_port, rest_send, spawn, texts, wait_http

CANARY = f"zorglub{secrets.token_hex(4)}"
LONG_MESSAGE = ("Bonjour, j'ai une question sur mon protocole de soins et mon ALD. " * 200)[:10_000]


@dataclass
class RunSh:
    proc: Proc
    env: Dict[str, str]

    @property
    def rasa_port(self) -> int:
        return int(self.env["RASA_PORT"])

    @property
    def actions_port(self) -> int:
        return int(self.env["ACTIONS_PORT"])


def start_run_sh(logdir: Path, name: str, extra: Dict[str, str]) -> RunSh:
    web_port = free_port()
    given = {
        "RASA_PROFILE": "sqlite",
        "RASA_HOST": "127.0.0.1",
        "ACTIONS_HOST": "127.0.0.1",
        "RASA_PORT": str(free_port()),
        "ACTIONS_PORT": str(free_port()),
        "WEB_PORT": str(web_port),
        "WEB_ORIGIN": f"http://127.0.0.1:{web_port}",
        "SQLITE_DB": str(logdir / "rasa.db"),
        # supervisord's socket and log of its own: a `make run` of this checkout may be up
        "RUN_DIR": str(logdir / f"{name}-run"),
        "ALD_TODAY": TODAY,
        **extra,
    }
    env = base_env(given)
    if "RASA_JWT_SECRET" not in extra:
        env.pop("RASA_JWT_SECRET", None)  # the API stays off unless the test turns it on
    for derived in settings.DERIVED:  # run.sh derives them (ACTION_ENDPOINT_URL from the port...)
        if derived not in given:
            env.pop(derived, None)
    proc = spawn(name, ["bash", "scripts/run.sh"], env, logdir)
    stack = RunSh(proc, env)
    wait_rest_ready(stack.rasa_port, proc)
    return stack


def wait_rest_ready(port: int, proc: Proc, timeout: float = 240) -> None:
    wait_http(f"http://127.0.0.1:{port}/", timeout=timeout, proc=proc.popen)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"run.sh exited:\n{proc.log_text()[-3000:]}")
        try:
            if rest_send(port, f"warmup-{uuid.uuid4().hex}", "bonjour", timeout=30):
                return
        except OSError:
            pass
        time.sleep(1)
    raise TimeoutError(f"Rasa on {port} never answered")


def http(
    method: str,
    url: str,
    headers: Optional[Dict[str, str]] = None,
    body: Optional[bytes] = None,
    timeout: float = 30,
) -> Tuple[int, Dict[str, str], bytes]:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def listening_addresses(port: int) -> List[str]:
    """Local addresses of the TCP sockets listening on `port` (from /proc/net/tcp*)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1 (little endian)

JWT_SECRET = secrets.token_urlsafe(32)


@pytest.fixture(scope="module")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("default-profile")


@pytest.fixture(scope="module")
def stack(logdir: Path) -> Iterator[RunSh]:
    s = start_run_sh(logdir, "run-sh-1", {"RASA_JWT_SECRET": JWT_SECRET})
    yield s
    s.proc.stop()


def test_identifiers_are_masked_before_storage_and_the_user_is_warned(stack: RunSh, logdir: Path) -> None:
    sender = f"mask-{uuid.uuid4().hex}"
    replies = [texts(rest_send(stack.rasa_port, sender, m)) for m in (NIR_MESSAGE, EMAIL_MESSAGE)]
    for reply in replies:
        assert_reply_is("utter_share_personal_data", reply)

    stored = user_events(sqlite_events(logdir / "rasa.db"), sender)
    assert [e["parse_data"]["intent"]["name"] for e in stored] == ["share_personal_data"] * 2
    assert stored[0]["text"] == "mon numéro de sécu est [numéro masqué]"
    assert stored[1]["text"] == "écrivez-moi à [e-mail masqué]"
    assert stored[0]["parse_data"]["guard"] == {"truncated": False, "masked": ["nir"]}
    assert_no_identifier(json.dumps(stored, ensure_ascii=False))
    raw = sqlite_raw_bytes(logdir / "rasa.db").decode("latin-1")
    assert_no_identifier(raw)


def test_api_needs_a_jwt_signed_with_the_secret(stack: RunSh) -> None:
    import jwt

    base = f"http://127.0.0.1:{stack.rasa_port}"
    sender = f"api-{uuid.uuid4().hex}"
    rest_send(stack.rasa_port, sender, NIR_MESSAGE)

    assert http("GET", f"{base}/status")[0] == 401
    forged = jwt.encode({"user": {"username": "x", "role": "admin"}}, "not-the-secret", algorithm="HS256")
    assert http("GET", f"{base}/status", {"Authorization": f"Bearer {forged}"})[0] == 401
    assert http("GET", f"{base}/conversations/{sender}/tracker")[0] == 401

    good = jwt.encode({"user": {"username": "ops", "role": "admin"}}, JWT_SECRET, algorithm="HS256")
    status, _, body = http("GET", f"{base}/status", {"Authorization": f"Bearer {good}"})
    assert status == 200 and "model_file" in json.loads(body)
    # What the API returns comes from the store: masked too.
    status, _, body = http(
        "GET", f"{base}/conversations/{sender}/tracker", {"Authorization": f"Bearer {good}"}
    )
    assert status == 200
    tracker = json.loads(body)
    assert tracker["latest_message"]["text"] == "mon numéro de sécu est [numéro masqué]"
    assert_no_identifier(body.decode())


def test_cors_only_for_the_web_origin(stack: RunSh) -> None:
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
    good = stack.env["WEB_ORIGIN"]
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}

    _, headers, _ = http("OPTIONS", url, {"Origin": "http://evil.example", **preflight})
    assert headers.get("access-control-allow-origin") in (None, "")
    _, headers, _ = http("OPTIONS", url, {"Origin": good, **preflight})
    assert headers.get("access-control-allow-origin") == good

    body = json.dumps({"sender": f"cors-{uuid.uuid4().hex}", "message": "bonjour"}).encode()
    _, headers, _ = http(
        "POST", url, {"Origin": "http://evil.example", "Content-Type": "application/json"}, body
    )
    assert headers.get("access-control-allow-origin") in (None, "")
    _, headers, _ = http("POST", url, {"Origin": good, "Content-Type": "application/json"}, body)
    assert headers.get("access-control-allow-origin") == good


def test_servers_listen_on_loopback_only(stack: RunSh) -> None:
    for port in (stack.actions_port, stack.rasa_port):
        addresses = listening_addresses(port)
        assert addresses, f"nothing listens on {port}"
        assert set(addresses) <= LOOPBACK, f"port {port} listens on {addresses}"


def test_very_long_message_gets_a_quick_clear_answer(stack: RunSh, logdir: Path) -> None:
    sender = f"long-{uuid.uuid4().hex}"
    assert len(LONG_MESSAGE) == 10_000
    start = time.monotonic()
    reply = texts(rest_send(stack.rasa_port, sender, LONG_MESSAGE, timeout=30))
    elapsed = time.monotonic() - start
    assert elapsed < 10, f"{elapsed:.1f} s for a 10,000-character message"
    assert_reply_is("utter_message_too_long", reply)

    assert texts(rest_send(stack.rasa_port, sender, "bonjour")).strip()
    stored = user_events(sqlite_events(logdir / "rasa.db"), sender)
    assert stored[0]["parse_data"]["intent"]["name"] == "message_too_long"
    assert stored[0]["parse_data"]["guard"] == {"truncated": True, "masked": []}
    assert len(stored[0]["text"]) == 2000


def test_server_log_at_default_level_has_no_message_text(stack: RunSh) -> None:
    sender = f"log-{uuid.uuid4().hex}"
    rest_send(stack.rasa_port, sender, f"{CANARY} mon medecin traitant a rempli le protocole")
    rest_send(stack.rasa_port, sender, "quand dois-je demander le renouvellement ?")
    log = stack.proc.log_text()
    assert "Rasa server is up and running" in log  # the log is the one of the server
    for text in (
        CANARY,
        "medecin traitant a rempli",
        "demander le renouvellement",
        LONG_MESSAGE[:60],
        "numéro de sécu",
        "num\\u00e9ro de s\\u00e9cu",
    ):
        assert text not in log, f"message text in the log: {text!r}"
    assert_no_identifier(log)


def test_conversation_survives_a_restart_in_the_middle_of_a_form(stack: RunSh, logdir: Path) -> None:
    sender = f"restart-{uuid.uuid4().hex}"
    asked = texts(rest_send(stack.rasa_port, sender, "calculer ma date de renouvellement"))
    assert_reply_is("utter_ask_valid_until", asked)

    stack.proc.stop()
    # Started again as `make run` does by default: no RASA_JWT_SECRET, no HTTP API.
    again = start_run_sh(logdir, "run-sh-2", {"SQLITE_DB": stack.env["SQLITE_DB"]})
    try:
        answer = texts(rest_send(again.rasa_port, sender, "31 mai 2027"))
        assert "28 février 2027" in answer, answer
        assert http("GET", f"http://127.0.0.1:{again.rasa_port}/status")[0] == 404
        stored = user_events(sqlite_events(logdir / "rasa.db"), sender)
        assert [e["text"] for e in stored] == ["calculer ma date de renouvellement", "31 mai 2027"]
        assert set(listening_addresses(again.actions_port)) <= LOOPBACK
    finally:
        again.proc.stop()
