"""Fixtures of the browser tests: one real stack (action server, Rasa, web/serve.py) and one
headless Debian Chromium (never `playwright install`) for the whole tests/browser package.

Screenshots go to results/browser/ (git-ignored)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from ald import settings
from tools import stack

CHROMIUM = settings.get("CHROMIUM")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = settings.path("RESULTS_DIR") / "browser"
TODAY = "2026-11-23"  # the action server's "today": answers never depend on the real date


@dataclass
class Site:
    url: str  # the page, e.g. http://127.0.0.1:41234
    rasa_url: str  # the Rasa server the page talks to
    rasa_port: int
    logdir: Path

    @property
    def origins(self) -> List[str]:
        return [self.url, self.rasa_url, self.rasa_url.replace("http://", "ws://")]


@dataclass
class Watched:
    """What a page did: dialogs (alert/confirm/prompt), CSP violations, requests, errors."""

    page: Page
    dialogs: List[str] = field(default_factory=list)
    requests: List[str] = field(default_factory=list)
    console_errors: List[str] = field(default_factory=list)
    page_errors: List[str] = field(default_factory=list)

    def csp_violations(self) -> List[Dict[str, Any]]:
        return self.page.evaluate("window.__cspViolations || []")


# Records CSP violations from the very start of every page of a context (an init script is
# injected by the browser driver, not by the page: the page's CSP does not apply to it).
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI,
                               sample: e.sample});
});
"""


@pytest.fixture(scope="package")
def site() -> Iterator[Site]:
    model = settings.path("MODEL")
    if not model.exists():
        pytest.fail(f"{model} is missing: run `make train` first")
    if not (settings.ROOT / "web/node_modules/rasa-webchat/lib/index.js").exists():
        pytest.fail("web/node_modules is missing: run `make install`")
    logdir = settings.path("RESULTS_DIR") / "logs" / "browser"
    procs: List[stack.Proc] = []
    web_port = stack.free_port()
    origin = f"http://127.0.0.1:{web_port}"
    try:
        actions, action_port = stack.start_action_server(logdir, env={"ALD_TODAY": TODAY})
        procs.append(actions)
        rasa, rasa_port = stack.start_rasa_server(
            logdir, action_port, env={"WEB_ORIGIN": origin}, extra_args=["--cors", origin]
        )
        procs.append(rasa)
        web, _ = stack.start_web_server(logdir, rasa_port, port=web_port)
        procs.append(web)
        yield Site(url=origin, rasa_url=f"http://127.0.0.1:{rasa_port}", rasa_port=rasa_port, logdir=logdir)
    finally:
        for p in reversed(procs):
            p.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _watch(page: Page) -> Watched:
    w = Watched(page)

    def on_dialog(d: Any) -> None:
        w.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: w.requests.append(r.url))
    page.on("console", lambda m: w.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.page_errors.append(str(e)))
    return w


def new_context(browser: Browser, width: int, height: int, mobile: bool = False) -> BrowserContext:
    ctx = browser.new_context(
        viewport={"width": width, "height": height},
        locale="fr-FR",
        has_touch=mobile,
        is_mobile=mobile,
        device_scale_factor=2 if mobile else 1,
    )
    ctx.add_init_script(RECORD_CSP)
    ctx.set_default_timeout(30_000)
    return ctx


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Watched]:
    ctx = new_context(browser, 1280, 800)
    page = ctx.new_page()
    yield _watch(page)
    ctx.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Watched]:
    ctx = new_context(browser, 360, 740, mobile=True)
    page = ctx.new_page()
    yield _watch(page)
    ctx.close()
