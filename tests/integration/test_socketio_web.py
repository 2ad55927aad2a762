"""web/serve.py: the page, its security headers and the socket.io tokens it issues.

Runs the real aiohttp application in-process (no Rasa needed); the tokens are checked with the
same function Rasa's socket.io channel uses (channels/socketio_secure.py)."""

from __future__ import annotations

import html
import re
import uuid
from typing import AsyncIterator, Callable

import jwt
import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from ald import settings
from channels import socketio_secure
from channels.socketio_secure import session_id_from_token
from web import serve

ROOT = settings.ROOT
SECRET = "s" * 48
AUDIENCE = settings.get("SOCKET_TOKEN_AUDIENCE")


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(clock: Clock) -> AsyncIterator[TestClient]:
    settings = serve.Settings(
        secret=SECRET, rasa_public_url="http://localhost:5005", token_ttl=600, session_max_age=3600
    )
    app = serve.make_app(settings, clock=clock)
    async with TestClient(TestServer(app)) as c:
        yield c


def figures() -> dict:
    data = yaml.safe_load((ROOT / "content" / "figures.yml").read_text(encoding="utf-8"))
    return {k: str(v["value"]) for k, v in data["figures"].items()}


async def new_session(client: TestClient, token: object = None) -> dict:
    r = await client.post("/api/session", json={"token": token})
    assert r.status == 200
    assert r.headers["Cache-Control"] == "no-store"
    return await r.json()


def claims(token: str) -> dict:
    return jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience=AUDIENCE,
        options={"verify_exp": False, "verify_iat": False},
    )


async def test_page_is_french_with_figures_from_figures_yml(client: TestClient) -> None:
    r = await client.get("/")
    assert r.status == 200
    page = await r.text()
    assert '<html lang="fr">' in page
    assert "{{" not in page and "}}" not in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    f = figures()
    for key in ("sid_telephone", "sid_horaires", "tel_assurance_maladie", "tel_suicide", "tel_urgence"):
        assert f[key] in text, key
    assert f'href="{serve.tel_href(f["sid_telephone"])}"' in page
    assert 'href="tel:15"' in page and 'href="tel:112"' in page
    assert "avis médicaux" in text and "aucune décision" in text
    assert not re.search(r"\son[a-z]+\s*=", page), "no inline event handler"
    assert "javascript:" not in page
    # no inline script: every <script> has a src on this origin
    for tag in re.findall(r"<script[^>]*>", page):
        assert re.search(r'src="/(static|vendor)/', tag), tag


async def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for method, path in (
        ("GET", "/"),
        ("GET", "/static/app.js"),
        ("GET", "/vendor/rasa-webchat.js"),
        ("GET", "/nope"),
        ("POST", "/api/session"),
    ):
        r = await client.request(method, path, json={} if method == "POST" else None)
        csp = r.headers.get("Content-Security-Policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
        assert directives["script-src"] == ["'self'"], path
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["default-src"] == ["'none'"]
        assert set(directives["connect-src"]) == {"'self'", "http://localhost:5005", "ws://localhost:5005"}
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"


async def test_widget_bundle_is_served_from_node_modules(client: TestClient) -> None:
    r = await client.get("/vendor/rasa-webchat.js")
    assert r.status == 200
    assert r.headers["Content-Type"].startswith("text/javascript")
    body = await r.read()
    original = (ROOT / "web/node_modules/rasa-webchat/lib/index.js").read_bytes()
    # the same bundle, less its import of a Google font (nothing is loaded from elsewhere)
    assert b"fonts.googleapis.com" in original and b"fonts.googleapis.com" not in body
    assert body == original.replace(serve.REMOTE_FONT_IMPORT, b"")
    assert len(original) - len(body) == len(serve.REMOTE_FONT_IMPORT) * original.count(
        serve.REMOTE_FONT_IMPORT
    )


async def test_static_files_cannot_escape_the_static_folder(client: TestClient) -> None:
    for path in (
        "/static/../serve.py",
        "/static/%2e%2e/serve.py",
        "/static/..%2fserve.py",
        "/static/",
        "/node_modules/rasa-webchat/package.json",
        "/index.html",
    ):
        r = await client.get(path)
        assert r.status in (403, 404), path
        assert "app.js" not in await r.text()


async def test_session_gives_a_fresh_random_conversation_and_a_short_token(
    client: TestClient, clock: Clock
) -> None:
    a, b = await new_session(client), await new_session(client)
    sa, sb = claims(a["token"])["sub"], claims(b["token"])["sub"]
    assert sa != sb
    assert uuid.UUID(hex=sa).version == 4 and uuid.UUID(hex=sb).version == 4
    c = claims(a["token"])
    assert c["exp"] - c["iat"] == 600
    assert a["socketUrl"] == "http://localhost:5005" and a["socketPath"] == "/socket.io/"
    assert a["initPayload"] == "/greet"
    # the channel accepts it (same secret), for that conversation only
    assert session_id_from_token(a["token"], SECRET, now=clock()) == sa


async def test_previous_token_renews_the_same_conversation(client: TestClient, clock: Clock) -> None:
    first = await new_session(client)
    sid = claims(first["token"])["sub"]
    clock.now += 1800  # the first token has expired, the conversation is 30 min old
    assert session_id_from_token(first["token"], SECRET, now=clock()) is None
    again = await new_session(client, first["token"])
    assert claims(again["token"])["sub"] == sid
    assert session_id_from_token(again["token"], SECRET, now=clock()) == sid
    clock.now += 1900  # now older than session_max_age (3600 s): a new conversation
    third = await new_session(client, again["token"])
    assert claims(third["token"])["sub"] != sid


@pytest.mark.parametrize(
    "make_token",
    [
        lambda sid, now: jwt.encode(
            {"sub": sid, "aud": AUDIENCE, "exp": now + 60, "sst": now},
            "another secret of the same length, more or less!!",
            algorithm="HS256",
        ),
        lambda sid, now: jwt.encode(
            {"sub": sid, "aud": "something-else", "exp": now + 60, "sst": now}, SECRET, algorithm="HS256"
        ),
        lambda sid, now: jwt.encode(
            {"sub": sid, "aud": AUDIENCE, "exp": now + 60, "sst": now}, "", algorithm="none"
        ),
        lambda sid, now: "not a token",
        lambda sid, now: {"sub": sid},
    ],
)
async def test_forged_tokens_do_not_renew_a_conversation(
    client: TestClient, clock: Clock, make_token: Callable
) -> None:
    victim = uuid.uuid4().hex
    got = await new_session(client, make_token(victim, int(clock())))
    assert claims(got["token"])["sub"] != victim


async def test_session_endpoint_wants_json(client: TestClient) -> None:
    # a cross-site form or a "simple" fetch cannot get a token (CORS preflight needed for JSON)
    r = await client.post(
        "/api/session", data="token=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert r.status == 415
    r = await client.post("/api/session", data="{}", headers={"Content-Type": "text/plain"})
    assert r.status == 415
    r = await client.get("/api/session")
    assert r.status == 405
    r = await client.post("/api/session", json={}, headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_tel_links() -> None:
    assert serve.tel_href("01 53 62 40 30") == "tel:+33153624030"
    assert serve.tel_href("36 46") == "tel:3646"
    assert (
        serve.phone_links("15 (SAMU) ou 112") == '<a href="tel:15">15</a> (SAMU) ou <a href="tel:112">112</a>'
    )


def test_unknown_placeholder_fails_loudly() -> None:
    with pytest.raises(KeyError):
        serve.render_page("<p>{{ no_such_figure }}</p>", {"a": "1"})
    assert serve.render_page("<p>{{ a }}</p>", {"a": "<b>"}) == "<p>&lt;b&gt;</p>"


def test_page_and_channel_share_the_token_settings() -> None:
    assert serve.TOKEN_AUDIENCE == socketio_secure.AUDIENCE == AUDIENCE
    pattern = settings.get("SOCKET_SESSION_ID_PATTERN")
    assert serve.SESSION_ID_RE.pattern == socketio_secure.SESSION_ID_RE.pattern == pattern
    assert serve.SESSION_ID_RE.match(uuid.uuid4().hex)  # the ids the page makes


def test_secret_is_required() -> None:
    with pytest.raises(SystemExit):
        serve.Settings.from_env({"RASA_SOCKET_JWT_SECRET": ""})
    s = serve.Settings.from_env({"RASA_SOCKET_JWT_SECRET": SECRET, "RASA_PORT": "5999"})
    assert s.rasa_public_url == "http://localhost:5999"
    s = serve.Settings.from_env(
        {"RASA_SOCKET_JWT_SECRET": SECRET, "RASA_PUBLIC_URL": "https://chat.example.org/"}
    )
    assert s.rasa_origin == "https://chat.example.org" and s.rasa_ws_origin == "wss://chat.example.org"
