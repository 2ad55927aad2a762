"""socket.io input channel whose conversation id is bound to a signed token.

Rasa 3.6's ``SocketIOInput`` with ``jwt_key`` only checks that *some* valid token is given
when the socket connects; afterwards the client chooses its conversation freely:
``session_request`` puts the socket in the room named by the ``session_id`` the client sends
(so it receives every reply sent to that conversation) and ``user_uttered`` uses the
``session_id`` of the message as the sender id. A client that knows another's session id can
therefore read and write that conversation.

This channel closes that gap:

- a socket may connect only with a valid, unexpired token (HS256, audience ``AUDIENCE``)
  whose subject is a conversation id (``SESSION_ID_RE``); web/serve.py issues these tokens
  (both values are settings of ald/settings.py, shared with it). The token comes in
  the socket.io ``auth`` payload (``{"token": ...}``) or, for clients that cannot set it
  (rasa-webchat 1.0.1), in the ``token`` query parameter of the connection URL;
- when the socket's ``Origin`` header is present it must be one of ``allowed_origins``
  (browsers always send it; the engine.io server of Rasa 3.6 does not check it);
- ``session_request`` always confirms and joins the token's conversation, whatever id is
  asked for, and ``user_uttered`` always uses it as the sender id.

credentials.yml::

    channels.socketio_secure.SecureSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      metadata_key: customData
      jwt_key: ${RASA_SOCKET_JWT_SECRET}
      allowed_origins: ${WEB_ORIGIN}     # comma-separated
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional
from urllib.parse import parse_qs

import jwt
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from ald import settings

logger = logging.getLogger(__name__)

#: The audience of the tokens this channel accepts (web/serve.py uses the same setting).
AUDIENCE = settings.get("SOCKET_TOKEN_AUDIENCE")
#: Conversation ids are random UUIDs (32 lower-case hex digits, as ``uuid4().hex``).
SESSION_ID_RE = re.compile(settings.get("SOCKET_SESSION_ID_PATTERN"))
#: Tolerance for clock differences between the token issuer and this server, in seconds.
LEEWAY_SECONDS = 30


def session_id_from_token(
    token: Any, key: str, algorithm: str = "HS256", now: Optional[float] = None
) -> Optional[str]:
    """The conversation id a token grants at time `now` (default: now), or None."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=AUDIENCE,
            options={
                "require": ["exp", "sub", "aud"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.PyJWTError as e:
        logger.debug(f"socket.io token refused: {e}")
        return None
    exp = claims.get("exp")
    if not isinstance(exp, int | float):
        return None
    if exp + LEEWAY_SECONDS < (time.time() if now is None else now):
        return None
    sub = claims.get("sub")
    return sub if isinstance(sub, str) and SESSION_ID_RE.match(sub) else None


def _token_from(environ: Dict[str, Any], auth: Optional[Dict[str, Any]]) -> Optional[str]:
    if isinstance(auth, dict) and auth.get("token"):
        return str(auth["token"])
    values = parse_qs(environ.get("QUERY_STRING", "")).get("token")
    return values[0] if values else None


class SecureSocketIOInput(SocketIOInput):
    """A socket.io input channel whose conversation id comes only from a signed token."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        if not credentials.get("jwt_key"):
            raise ValueError(
                "channels.socketio_secure.SecureSocketIOInput needs `jwt_key` "
                "(credentials.yml: jwt_key: ${RASA_SOCKET_JWT_SECRET})"
            )
        if not credentials.get("session_persistence", False):
            raise ValueError(
                "channels.socketio_secure.SecureSocketIOInput needs " "`session_persistence: true`"
            )
        origins = credentials.get("allowed_origins") or []
        if isinstance(origins, str):
            origins = [o.strip() for o in origins.split(",") if o.strip()]
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,
            credentials.get("socketio_path", "/socket.io"),
            str(credentials["jwt_key"]),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
            allowed_origins=[o.rstrip("/") for o in origins],
        )

    def __init__(self, *args: Any, allowed_origins: Optional[List[str]] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins: List[str] = list(allowed_origins or [])
        # socket.io sid -> the conversation id its token grants
        self._sessions: Dict[str, str] = {}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # CORS headers of the polling transport are Sanic's (`rasa run --cors`); engine.io's
        # own CORS handling stays off (as in Rasa) so that the headers are not doubled, and
        # the Origin is checked in `connect` below instead.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        assert self.jwt_key is not None
        key: str = self.jwt_key
        algorithm: str = self.jwt_algorithm or "HS256"

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if origin and self.allowed_origins and origin.rstrip("/") not in self.allowed_origins:
                logger.warning(f"socket.io connection refused: origin {origin!r} not allowed")
                return False
            session_id = session_id_from_token(_token_from(environ, auth), key, algorithm)
            if session_id is None:
                logger.info("socket.io connection refused: missing or invalid token")
                return False
            self._sessions[sid] = session_id
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            self._sessions.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Optional[Dict] = None) -> None:
            session_id = self._sessions.get(sid)
            if session_id is None:  # not connected through `connect` above
                await sio.disconnect(sid, namespace=self.namespace)
                return
            asked = data.get("session_id") if isinstance(data, dict) else None
            if asked and asked != session_id:
                logger.info(
                    "socket.io session_request for another conversation: "
                    "confirmed the token's conversation instead"
                )
            sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Optional[Dict] = None) -> None:
            session_id = self._sessions.get(sid)
            if session_id is None or not isinstance(data, dict):
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            message = UserMessage(
                str(data.get("message", "")),
                SocketIOOutput(sio, self.bot_message_evt),
                session_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return socketio_webhook
