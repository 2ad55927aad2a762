"""Start and stop real servers: the action server, Rasa servers (REST + socket.io) and the web
page, on free local ports, each with its own environment. Paths and defaults come from
ald/settings.py.

Used by the integration and browser tests and by `make bench`; nothing here is mocked."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from ald import settings

ROOT = settings.ROOT

#: Signs the socket.io tokens of this run (credentials.yml: jwt_key); web/serve.py issues
#: tokens with it and tests can mint their own with `socket_token`.
SOCKET_JWT_SECRET = secrets.token_urlsafe(48)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 180.0, proc: Optional[subprocess.Popen] = None) -> None:
    """Wait until `url` answers (any HTTP status), or fail with the process' log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def base_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """This process' environment, with the project's process settings, this run's socket.io
    secret, the page origin Rasa's socket.io channel accepts (WEB_ORIGIN) and `extra`."""
    env = dict(os.environ)
    env.update(settings.PROCESS_ENV)
    env["RASA_SOCKET_JWT_SECRET"] = SOCKET_JWT_SECRET
    env["WEB_ORIGIN"] = settings.get("WEB_ORIGIN", env)
    env.update(extra or {})
    return env


def spawn(name: str, args: List[str], env: Dict[str, str], logdir: Path) -> Proc:
    logdir.mkdir(parents=True, exist_ok=True)
    log = logdir / f"{name}.log"
    with open(log, "ab") as fh:  # the child keeps its own copy of the file descriptor
        popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Proc(name, popen, log)


def start_action_server(
    logdir: Path, port: Optional[int] = None, env: Optional[Dict[str, str]] = None
) -> tuple[Proc, int]:
    port = port or free_port()
    e = base_env({"SANIC_HOST": "127.0.0.1", **(env or {})})
    p = spawn(
        f"actions-{port}",
        [str(settings.path("RASA_BIN")), "run", "actions", "--actions", "actions", "--port", str(port)],
        e,
        logdir,
    )
    wait_http(f"http://127.0.0.1:{port}/health", proc=p.popen)
    return p, port


def start_rasa_server(
    logdir: Path,
    action_port: int,
    port: Optional[int] = None,
    endpoints: str = settings.PROFILES["sqlite"],
    env: Optional[Dict[str, str]] = None,
    extra_args: Optional[List[str]] = None,
) -> tuple[Proc, int]:
    """Start `rasa run` with the REST and socket.io channels; returns once it answers."""
    port = port or free_port()
    e = base_env(
        {
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            "SQLITE_DB": str(logdir / "rasa.db"),
            **(env or {}),
        }
    )
    args = [
        str(settings.path("RASA_BIN")),
        "run",
        "--model",
        str(settings.path("MODEL")),
        "--endpoints",
        endpoints,
        "--credentials",
        settings.get("CREDENTIALS"),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        *(extra_args or []),
    ]
    p = spawn(f"rasa-{port}", args, e, logdir)
    wait_http(f"http://127.0.0.1:{port}/", proc=p.popen)
    # "/" answers before the model is loaded: wait for the REST channel to really reply.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if p.popen.poll() is not None:
            raise RuntimeError(f"rasa exited:\n{p.log_text()[-3000:]}")
        try:
            rest_send(port, f"warmup-{port}", "bonjour", timeout=30)
            break
        except OSError:
            time.sleep(1)
    return p, port


def start_web_server(
    logdir: Path, rasa_port: int, port: Optional[int] = None, env: Optional[Dict[str, str]] = None
) -> tuple[Proc, int]:
    """Start the patient page (web/serve.py) talking to the Rasa server on `rasa_port`.

    Start Rasa with WEB_ORIGIN=http://127.0.0.1:<this port> (and `--cors` the same) so that
    its socket.io channel accepts the page: pick the port first with `free_port()`."""
    port = port or free_port()
    e = base_env({"RASA_PUBLIC_URL": f"http://127.0.0.1:{rasa_port}", **(env or {})})
    p = spawn(
        f"web-{port}",
        [str(settings.path("PYTHON_BIN")), "-m", "web.serve", "--host", "127.0.0.1", "--port", str(port)],
        e,
        logdir,
    )
    wait_http(f"http://127.0.0.1:{port}/healthz", timeout=30, proc=p.popen)
    return p, port


def socket_token(
    session_id: str, ttl: int = 600, secret: Optional[str] = None, now: Optional[float] = None
) -> str:
    """A socket.io token for conversation `session_id`, as web/serve.py issues them."""
    import jwt

    t = int(time.time() if now is None else now)
    return jwt.encode(
        {"sub": session_id, "aud": settings.get("SOCKET_TOKEN_AUDIENCE"), "iat": t, "exp": t + ttl, "sst": t},
        secret or SOCKET_JWT_SECRET,
        algorithm="HS256",
    )


def rest_send(port: int, sender: str, text: str, timeout: float = 60) -> List[dict]:
    """Send one message on the REST channel and return the bot's messages."""
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read().decode())


def texts(messages: List[dict]) -> str:
    """All the text of a list of bot messages (with button titles), as one string."""
    parts: List[str] = []
    for m in messages:
        if m.get("text"):
            parts.append(m["text"])
        for b in m.get("buttons", []) or []:
            parts.append(b.get("title", ""))
    return "\n".join(parts)


@dataclass
class Stack:
    """An action server and one or more Rasa servers started together."""

    logdir: Path
    procs: List[Proc] = field(default_factory=list)

    def stop(self) -> None:
        for p in reversed(self.procs):
            p.stop()


@contextmanager
def rest_stack(logdir: Path, action_env: Optional[Dict[str, str]] = None) -> Iterator[int]:
    """An action server (with `action_env`) and one Rasa server; yields the Rasa port."""
    stack = Stack(logdir)
    try:
        actions, action_port = start_action_server(logdir, env=action_env)
        stack.procs.append(actions)
        rasa, port = start_rasa_server(logdir, action_port)
        stack.procs.append(rasa)
        yield port
    finally:
        stack.stop()


def conversation(port: int, *messages: str) -> List[str]:
    """Send the messages one after the other in a new conversation; the replies' texts."""
    sender = f"test-{uuid.uuid4()}"
    return [texts(rest_send(port, sender, m)) for m in messages]
