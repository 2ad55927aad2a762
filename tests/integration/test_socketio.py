"""The socket.io channel the web widget uses, against a real action server and Rasa server.

- python-socketio 5.9.0 + Rasa 3.6: a persistent session (session_request with a session_id,
  then user_uttered) gets the bot's replies (RasaHQ/rasa#13027 drops them with newer
  python-socketio releases);
- a client that knows another conversation's id gets none of its replies and cannot write
  into it (channels/socketio_secure.py binds each socket to its token's conversation);
- no token, a forged or expired token, or a foreign page origin: no connection."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Any, Dict, Iterator, List, Optional

import jwt
import pytest
import socketio

from ald import settings
from tools import stack

AUDIENCE = settings.get("SOCKET_TOKEN_AUDIENCE")
ORIGIN = "http://127.0.0.1:8999"  # the page origin this Rasa server accepts
REPLY_TIMEOUT = 90.0
QUIET_SECONDS = 4.0  # how long a client must stay silent after the others got their replies


@pytest.fixture(scope="module")
def rasa_port() -> Iterator[int]:
    model = settings.path("MODEL")
    if not model.exists():
        pytest.fail(f"{model} is missing: run `make train` first", pytrace=False)
    logdir = settings.path("RESULTS_DIR") / "logs" / "test_socketio"
    procs: List[stack.Proc] = []
    try:
        actions, action_port = stack.start_action_server(logdir)
        procs.append(actions)
        rasa, port = stack.start_rasa_server(
            logdir, action_port, env={"WEB_ORIGIN": ORIGIN}, extra_args=["--cors", ORIGIN]
        )
        procs.append(rasa)
        yield port
    finally:
        for p in reversed(procs):
            p.stop()


class Client:
    """A socket.io client that records what the server sends it."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: List[Dict[str, Any]] = []
        self.confirmed: List[str] = []
        self._event = asyncio.Event()
        self.sio.on("bot_uttered", self._on_bot)
        self.sio.on("session_confirm", self._on_confirm)

    async def _on_bot(self, data: Dict[str, Any]) -> None:
        self.replies.append(data)
        self._event.set()

    async def _on_confirm(self, data: Any) -> None:
        self.confirmed.append(data.get("session_id") if isinstance(data, dict) else data)
        self._event.set()

    async def connect(
        self,
        port: int,
        token: Optional[str],
        *,
        in_query: bool = False,
        origin: Optional[str] = ORIGIN,
        transport: str = "websocket",
    ) -> None:
        url = f"http://127.0.0.1:{port}"
        auth = None
        if token is not None and in_query:
            url += f"?token={token}"
        elif token is not None:
            auth = {"token": token}
        headers = {"Origin": origin} if origin else {}
        await self.sio.connect(
            url,
            headers=headers,
            auth=auth,
            transports=[transport],
            socketio_path="/socket.io",
            wait_timeout=10,
        )

    async def wait_for(self, what: str, n: int = 1, timeout: float = REPLY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while len(getattr(self, what)) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {what} within {timeout} s (got {getattr(self, what)})")
            self._event.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._event.wait(), timeout=left)

    async def wait_replies_settled(self, settle: float = 2.0) -> None:
        """Wait for a first reply, then until no more reply arrives for `settle` seconds."""
        await self.wait_for("replies")
        count = -1
        while count != len(self.replies):
            count = len(self.replies)
            await asyncio.sleep(settle)

    async def session(self, session_id: Optional[str]) -> str:
        await self.sio.emit("session_request", {"session_id": session_id})
        await self.wait_for("confirmed", timeout=15)
        return self.confirmed[-1]

    async def say(self, text: str, session_id: str) -> None:
        await self.sio.emit(
            "user_uttered", {"message": text, "session_id": session_id, "customData": {"language": "fr"}}
        )

    def text(self) -> str:
        return "\n".join(str(r.get("text", "")) for r in self.replies)

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


def new_session() -> str:
    return uuid.uuid4().hex


@pytest.mark.parametrize("transport", ["websocket", "polling"])
async def test_persistent_session_gets_the_bot_replies(rasa_port: int, transport: str) -> None:
    """RasaHQ/rasa#13027: with python-socketio > 5.9 this reply never arrives."""
    sid = new_session()
    c = Client()
    try:
        await c.connect(rasa_port, stack.socket_token(sid), transport=transport)
        assert await c.session(sid) == sid
        await c.say("Où envoyer mon protocole de soins ?", sid)
        await c.wait_replies_settled()
        assert c.replies and all("text" in r or "attachment" in r for r in c.replies)
        low = c.text().lower()
        assert "médecin conseil" in low or "service médical" in low, c.text()
    finally:
        await c.close()


async def test_knowing_another_session_id_gives_nothing_of_that_conversation(rasa_port: int) -> None:
    victim_id, intruder_id = new_session(), new_session()
    victim, intruder = Client(), Client()
    try:
        await victim.connect(rasa_port, stack.socket_token(victim_id))
        assert await victim.session(victim_id) == victim_id
        # the intruder has a valid token of its own and knows the victim's conversation id
        await intruder.connect(rasa_port, stack.socket_token(intruder_id))
        assert await intruder.session(victim_id) == intruder_id, "must not join the victim's room"

        await victim.say("Où envoyer mon protocole de soins ?", victim_id)
        await victim.wait_replies_settled()
        await asyncio.sleep(QUIET_SECONDS)
        assert intruder.replies == [], "the intruder received the victim's replies"

        # writing "as" the victim: the message goes to the intruder's own conversation
        before = len(victim.replies)
        await intruder.say("Bonjour", victim_id)
        await intruder.wait_replies_settled()
        await asyncio.sleep(QUIET_SECONDS)
        assert len(victim.replies) == before, "the victim received replies to the intruder"
    finally:
        await victim.close()
        await intruder.close()


async def test_a_reconnecting_client_with_its_token_continues_its_conversation(rasa_port: int) -> None:
    sid = new_session()
    token = stack.socket_token(sid)
    first, again = Client(), Client()
    try:
        await first.connect(rasa_port, token)
        assert await first.session(sid) == sid
        await first.close()
        # the widget's way: the token in the URL's query (rasa-webchat cannot set `auth`)
        await again.connect(rasa_port, token, in_query=True, transport="polling")
        assert await again.session(sid) == sid
        await again.say("Bonjour", sid)
        await again.wait_for("replies")
    finally:
        await first.close()
        await again.close()


def _token(**claims: Any) -> str:
    now = int(time.time())
    base = {"sub": new_session(), "aud": AUDIENCE, "iat": now, "exp": now + 300, "sst": now}
    base.update(claims)
    secret = base.pop("secret", stack.SOCKET_JWT_SECRET)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, secret, algorithm="HS256")


BAD_TOKENS = {
    "none": lambda: None,
    "empty": lambda: "",
    "garbage": lambda: "garbage",
    "wrong-secret": lambda: _token(secret="a different secret, long enough to be real, not ours"),
    "expired": lambda: _token(exp=int(time.time()) - 3600),
    "wrong-audience": lambda: _token(aud="another-audience"),
    "not-a-uuid": lambda: _token(sub="victim"),
    "no-subject": lambda: _token(sub=None),
    "alg-none": lambda: jwt.encode(
        {"sub": new_session(), "aud": AUDIENCE, "exp": int(time.time()) + 300}, None, algorithm="none"
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
async def test_connection_refused_without_a_valid_token(rasa_port: int, kind: str) -> None:
    c = Client()
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await c.connect(rasa_port, BAD_TOKENS[kind]())
    finally:
        await c.close()
    # the same client setup with a valid token connects (the refusal was the token's)
    ok = Client()
    try:
        await ok.connect(rasa_port, _token())
    finally:
        await ok.close()


async def test_connection_refused_from_another_page_origin(rasa_port: int) -> None:
    sid = new_session()
    c = Client()
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await c.connect(rasa_port, stack.socket_token(sid), origin="http://evil.example")
    finally:
        await c.close()
    ok = Client()
    try:
        await ok.connect(rasa_port, stack.socket_token(sid), origin=ORIGIN)
        assert await ok.session(None) == sid
    finally:
        await ok.close()
