"""The patient web page of the ALD assistant, with the rasa-webchat widget, served offline.

    python -m web.serve [--host HOST] [--port PORT]     (from the project's root, venv python)

Serves web/index.html (figures such as phone numbers and hours filled in from figures.yml), the
page's CSS and JS (web/static/), and the widget bundle from web/node_modules (installed by
`make install`; never a CDN). Every response carries a strict Content-Security-Policy.

POST /api/session gives the page its widget configuration and a short-lived signed token
(HS256, secret RASA_SOCKET_JWT_SECRET shared with Rasa) whose subject is the conversation id,
a random UUID. Rasa's socket.io channel (channels/socketio_secure.py) lets a socket use only
the conversation its token names. Sending back a previous token (kept by the page in
sessionStorage) renews it for the same conversation, up to WEB_SESSION_MAX_AGE after the
conversation started.

Settings (ald/settings.py, each overridable by the environment): RASA_SOCKET_JWT_SECRET
(required), RASA_PUBLIC_URL (the Rasa server as the browser reaches it), WEB_HOST, WEB_PORT,
WEB_TOKEN_TTL, WEB_SESSION_MAX_AGE, WEB_INIT_PAYLOAD (the message the widget sends when it
opens), SOCKET_TOKEN_AUDIENCE and SOCKET_SESSION_ID_PATTERN (shared with the socket.io channel).
"""

from __future__ import annotations

import argparse
import html
import logging
import re
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional
from urllib.parse import urlsplit

import jwt
import yaml
from aiohttp import web

from ald import settings as project_settings

WEB = Path(__file__).resolve().parent
ROOT = WEB.parent
STATIC = WEB / "static"
WIDGET_BUNDLE = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
FIGURES = ROOT / "content" / "figures.yml"
#: The widget's CSS imports a font from Google's servers: the page must load nothing from
#: elsewhere (no internet at run time, and no third party learns who reads the page), so the
#: bundle is served without that import (the CSP would block it anyway).
REMOTE_FONT_IMPORT = b"@import url(https://fonts.googleapis.com/css?family=Inter:400,500,700&display=swap);"

#: Audience of the socket.io tokens and form of their conversation ids (the same settings
#: as channels/socketio_secure.py, which checks them).
TOKEN_AUDIENCE = project_settings.get("SOCKET_TOKEN_AUDIENCE")
SESSION_ID_RE = re.compile(project_settings.get("SOCKET_SESSION_ID_PATTERN"))

logger = logging.getLogger("web")


@dataclass(frozen=True)
class Settings:
    secret: str
    rasa_public_url: str
    token_ttl: int = project_settings.get_int("WEB_TOKEN_TTL", {})
    session_max_age: int = project_settings.get_int("WEB_SESSION_MAX_AGE", {})
    init_payload: str = project_settings.get("WEB_INIT_PAYLOAD", {})
    socket_path: str = "/socket.io/"

    @property
    def rasa_origin(self) -> str:
        parts = urlsplit(self.rasa_public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def rasa_ws_origin(self) -> str:
        parts = urlsplit(self.rasa_public_url)
        return f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> Settings:
        """The settings of the environment `env` (default: this process')."""
        secret = project_settings.secret("RASA_SOCKET_JWT_SECRET", env)
        if len(secret) < 32:
            raise SystemExit(
                "web/serve.py: RASA_SOCKET_JWT_SECRET must be set (32 characters "
                "or more), to the same value as for the Rasa server "
                "(scripts/run.sh generates one when it is unset)."
            )
        url = project_settings.get("RASA_PUBLIC_URL", env)
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise SystemExit(f"web/serve.py: RASA_PUBLIC_URL is not an http(s) URL: {url!r}")
        return cls(
            secret=secret,
            rasa_public_url=url.rstrip("/"),
            token_ttl=project_settings.get_int("WEB_TOKEN_TTL", env),
            session_max_age=project_settings.get_int("WEB_SESSION_MAX_AGE", env),
            init_payload=project_settings.get("WEB_INIT_PAYLOAD", env),
        )


# --- the page --------------------------------------------------------------------------------


def load_figures(path: Path = FIGURES) -> Dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: str(v["value"]) for k, v in data["figures"].items()}


def tel_href(number: str) -> str:
    """tel: URI of a French number as written in figures.yml ("01 53 62 40 30", "36 46")."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 10 and digits.startswith("0"):
        return f"tel:+33{digits[1:]}"
    return f"tel:{digits}"


def phone_links(text: str) -> str:
    """HTML of `text` with each phone number in it made a tel: link."""
    out, last = [], 0
    for m in re.finditer(r"\d[\d ]*\d|\d", text):
        out.append(html.escape(text[last : m.start()]))
        number = m.group(0)
        out.append(f'<a href="{html.escape(tel_href(number))}">{html.escape(number)}</a>')
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


_PLACEHOLDER = re.compile(r"\{\{\s*(?:(tel)\s+)?([a-z0-9_]+)\s*\}\}")


def render_page(template: str, figures: Dict[str, str]) -> str:
    """Fill `{{ key }}` (escaped text) and `{{ tel key }}` (phone links) from figures.yml."""

    def fill(m: re.Match[str]) -> str:
        kind, key = m.group(1), m.group(2)
        if key not in figures:
            raise KeyError(f"web/index.html uses {{{{ {key} }}}} but figures.yml has no {key!r}")
        return phone_links(figures[key]) if kind == "tel" else html.escape(figures[key])

    return _PLACEHOLDER.sub(fill, template)


def content_security_policy(settings: Settings) -> str:
    # style-src needs 'unsafe-inline': the widget bundle injects its CSS as <style> elements
    # at run time (webpack style-loader). Scripts are 'self' only: no inline script, no eval,
    # and so no javascript: URL can run.
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {settings.rasa_origin} {settings.rasa_ws_origin}",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def widget_bundle(path: Path = WIDGET_BUNDLE) -> bytes:
    """The rasa-webchat bundle as served: without its remote font import."""
    bundle = path.read_bytes().replace(REMOTE_FONT_IMPORT, b"")
    if b"fonts.googleapis.com" in bundle:
        raise SystemExit(
            f"web/serve.py: {path} still refers to fonts.googleapis.com "
            "(new widget version?): update REMOTE_FONT_IMPORT."
        )
    return bundle


# --- tokens ----------------------------------------------------------------------------------


def issue_token(settings: Settings, session_id: str, started: int, now: int) -> str:
    claims = {
        "sub": session_id,
        "aud": TOKEN_AUDIENCE,
        "iat": now,
        "exp": now + settings.token_ttl,
        "sst": started,
    }
    return jwt.encode(claims, settings.secret, algorithm="HS256")


def renewable_session(settings: Settings, token: Any, now: int) -> Optional[tuple[str, int]]:
    """(conversation id, start time) of a previous token, if it may be renewed."""
    if not isinstance(token, str) or not token or len(token) > 2048:
        return None
    try:
        claims = jwt.decode(
            token,
            settings.secret,
            algorithms=["HS256"],
            audience=TOKEN_AUDIENCE,
            options={"verify_exp": False, "verify_iat": False, "require": ["sub", "sst", "exp"]},
        )
    except jwt.PyJWTError:
        return None
    sub, started = claims.get("sub"), claims.get("sst")
    if not isinstance(sub, str) or not SESSION_ID_RE.match(sub) or not isinstance(started, int):
        return None
    if not (now - settings.session_max_age <= started <= now + 60):
        return None
    return sub, started


# --- the server ------------------------------------------------------------------------------

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def make_app(
    settings: Settings, figures_path: Path = FIGURES, clock: Callable[[], float] = time.time
) -> web.Application:
    if not WIDGET_BUNDLE.is_file():
        raise SystemExit(f"web/serve.py: {WIDGET_BUNDLE} is missing: run `make install`.")
    page = render_page((WEB / "index.html").read_text(encoding="utf-8"), load_figures(figures_path))
    csp = content_security_policy(settings)
    bundle = widget_bundle()

    @web.middleware
    async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            resp = await handler(request)
        except web.HTTPException as e:
            resp = e
        resp.headers["Content-Security-Policy"] = csp
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        resp.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        resp.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        resp.headers.setdefault("Cache-Control", "no-cache")
        return resp

    async def index(_: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    async def widget(_: web.Request) -> web.Response:
        return web.Response(body=bundle, content_type="text/javascript", charset="utf-8")

    async def session(request: web.Request) -> web.Response:
        # JSON only: a cross-site page cannot send this without a CORS preflight, which fails.
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="application/json expected")
        try:
            body = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="invalid JSON") from None
        now = int(clock())
        previous = renewable_session(settings, body.get("token") if isinstance(body, dict) else None, now)
        session_id, started = previous or (uuid.uuid4().hex, now)
        return web.json_response(
            {
                "token": issue_token(settings, session_id, started, now),
                "expiresIn": settings.token_ttl,
                "socketUrl": settings.rasa_public_url,
                "socketPath": settings.socket_path,
                "initPayload": settings.init_payload,
            },
            headers={"Cache-Control": "no-store"},
        )

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(middlewares=[security_headers], client_max_size=16 * 1024)
    app.router.add_get("/", index)
    app.router.add_get("/vendor/rasa-webchat.js", widget)
    app.router.add_post("/api/session", session)
    app.router.add_get("/healthz", health)
    app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)
    return app


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=project_settings.get("WEB_HOST"))
    parser.add_argument("--port", type=int, default=project_settings.get_int("WEB_PORT"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s web %(levelname)s %(message)s")
    settings = Settings.from_env()
    app = make_app(settings)
    print(
        f"web/serve.py: http://{args.host}:{args.port} (Rasa: {settings.rasa_public_url})",
        file=sys.stderr,
        flush=True,
    )
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
