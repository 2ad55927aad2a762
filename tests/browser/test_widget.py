"""The patient page and its chat widget in a real headless Chromium, against a real stack.

Content-dependent assertions (they follow what the bot answers):
- the welcome (`utter_greet`, sent by the widget's initPayload "/greet") has topic buttons;
- the answer to "Où envoyer mon protocole de soins ?" mentions the médecin conseil or the
  service médical."""

from __future__ import annotations

import re
import time
from typing import Callable, List

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from ald import settings
from tests.browser.conftest import SHOTS, Site, Watched

WIDGET = "#webchat"
BOT = f"{WIDGET} .rw-response"
USER = f"{WIDGET} .rw-client"
REPLY_BUTTONS = f"{WIDGET} .rw-replies .rw-reply"
INPUT = f"{WIDGET} .rw-new-message"
CONVERSATION = f"{WIDGET} .rw-conversation-container"
LAUNCHER = f"{WIDGET} .rw-launcher"
QUESTION = "Où envoyer mon protocole de soins ?"
ANSWER_RE = re.compile(r"médecin conseil|service médical", re.I)


def wait_until(check: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def bot_texts(page: Page) -> List[str]:
    return page.locator(BOT).all_inner_texts()


def wait_bot_settled(page: Page, before: int, timeout: float = 60.0, settle: float = 2.0) -> List[str]:
    """Wait for bot messages beyond the first `before`, until none arrives for `settle` s."""
    wait_until(lambda: page.locator(BOT).count() > before, timeout, "a bot reply")
    count, since = page.locator(BOT).count(), time.monotonic()
    while time.monotonic() - since < settle:
        time.sleep(0.25)
        now = page.locator(BOT).count()
        if now != count:
            count, since = now, time.monotonic()
    return bot_texts(page)[before:]


def send(page: Page, text: str) -> None:
    page.locator(INPUT).fill(text)
    page.locator(INPUT).press("Enter")


def open_site(w: Watched, site: Site) -> None:
    resp = w.page.goto(site.url + "/")
    assert resp is not None and resp.status == 200
    expect(w.page.locator(LAUNCHER)).to_be_visible()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def assert_clean(w: Watched, site: Site) -> None:
    """No dialog, no script error, nothing fetched from elsewhere, no CSP violation."""
    assert w.dialogs == []
    assert w.page_errors == []
    foreign = [u for u in w.requests if not any(u.startswith(o) for o in site.origins)]
    assert foreign == []
    assert w.csp_violations() == []


# --- desktop ---------------------------------------------------------------------------------


def test_security_headers_of_the_page(desktop: Watched, site: Site) -> None:
    resp = desktop.page.goto(site.url + "/")
    assert resp is not None
    h = resp.headers
    csp = {d.split()[0]: d.split()[1:] for d in h["content-security-policy"].split("; ")}
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert site.rasa_url in csp["connect-src"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert desktop.page.evaluate("document.documentElement.lang") == "fr"


def test_welcome_with_buttons_and_a_topic_button_answers(desktop: Watched, site: Site) -> None:
    page = desktop.page
    open_site(desktop, site)
    # open by default on a desktop screen, and the welcome comes at once
    expect(page.locator(CONVERSATION)).to_be_visible()
    welcome = wait_bot_settled(page, 0)
    assert welcome and all(t.strip() for t in welcome)
    buttons = page.locator(REPLY_BUTTONS)
    wait_until(lambda: buttons.count() >= 2, 10, "topic buttons under the welcome")
    titles = [t.strip() for t in buttons.all_inner_texts()]
    assert all(titles), titles
    # buttons are buttons, for the keyboard and screen readers too
    for i in range(buttons.count()):
        assert buttons.nth(i).get_attribute("role") == "button"
        assert buttons.nth(i).get_attribute("tabindex") == "0"
    shot(page, "desktop-welcome")

    before = page.locator(BOT).count()
    buttons.first.click()
    expect(page.locator(USER).last).to_have_text(titles[0])
    answer = wait_bot_settled(page, before)
    assert "\n".join(answer).strip(), "a topic button gets an answer"
    shot(page, "desktop-topic")
    assert_clean(desktop, site)


def test_question_answer_and_reload_keeps_the_conversation(desktop: Watched, site: Site) -> None:
    page = desktop.page
    open_site(desktop, site)
    wait_bot_settled(page, 0)  # the welcome
    before = page.locator(BOT).count()
    send(page, QUESTION)
    expect(page.locator(USER).last).to_have_text(QUESTION)
    answer = "\n".join(wait_bot_settled(page, before))
    assert ANSWER_RE.search(answer), answer
    session_id = page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")
    assert re.match(settings.get("SOCKET_SESSION_ID_PATTERN"), session_id)
    shot(page, "desktop-answer")

    n_bot, n_user = page.locator(BOT).count(), page.locator(USER).count()
    page.reload()
    expect(page.locator(CONVERSATION)).to_be_visible()
    wait_until(lambda: page.locator(BOT).count() >= n_bot, 15, "the conversation after reload")
    assert page.locator(USER).count() == n_user
    assert QUESTION in page.locator(USER).all_inner_texts()
    assert ANSWER_RE.search("\n".join(bot_texts(page)))
    assert page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id") == session_id
    # and it goes on in the same conversation, without a second welcome
    time.sleep(2)
    before = page.locator(BOT).count()
    send(page, "merci")
    assert wait_bot_settled(page, before)
    assert page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id") == session_id
    shot(page, "desktop-after-reload")
    assert_clean(desktop, site)


@pytest.mark.parametrize("payload", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"])
def test_user_text_is_shown_as_text_and_nothing_runs(desktop: Watched, site: Site, payload: str) -> None:
    page = desktop.page
    open_site(desktop, site)
    wait_bot_settled(page, 0)
    before = page.locator(BOT).count()
    send(page, payload)
    expect(page.locator(USER).last).to_have_text(payload)
    wait_bot_settled(page, before)
    messages = page.locator(f"{WIDGET} .rw-messages-container")
    assert messages.locator("img[src='x'], script").count() == 0
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert desktop.dialogs == []
    assert_clean(desktop, site)


def test_a_javascript_link_in_a_bot_message_cannot_run(desktop: Watched, site: Site) -> None:
    """rasa-webchat renders markdown links with any scheme: the CSP must stop them.

    The bot never sends such a link; the test injects one into the real socket (Playwright
    sits between the page and Rasa) and clicks it."""
    page = desktop.page
    routes: List[WebSocketRoute] = []

    def through(ws: WebSocketRoute) -> None:
        ws.connect_to_server()
        routes.append(ws)

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), through)
    open_site(desktop, site)
    wait_bot_settled(page, 0)
    wait_until(lambda: bool(routes), 20, "the websocket upgrade")
    before = page.locator(BOT).count()
    routes[-1].send(
        '42["bot_uttered",{"text":"Voir [cette page](javascript:window.__pwned=1;'
        'alert(document.domain)) pour en savoir plus."}]'
    )
    wait_bot_settled(page, before, timeout=15, settle=1)
    link = page.locator(f"{BOT} a", has_text="cette page")
    expect(link).to_have_count(1)
    assert (link.get_attribute("href") or "").startswith("javascript:")  # the widget's weakness
    link.click()
    time.sleep(1)
    assert desktop.dialogs == []
    assert page.evaluate("window.__pwned") is None
    violations = desktop.csp_violations()
    assert any(v["directive"].startswith("script-src") for v in violations), violations
    assert page.url.startswith(site.url)


def test_keyboard_use_and_visible_focus(desktop: Watched, site: Site) -> None:
    page = desktop.page
    open_site(desktop, site)
    wait_bot_settled(page, 0)
    # The chat opened by itself: its message field must not hold the focus (the widget's
    # autofocus takes it whenever the socket connects before the chat opens).
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "open-chat"
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert outline[0] != "none" and outline[1] >= 2, outline
    page.keyboard.press("Enter")
    wait_until(
        lambda: page.evaluate("document.activeElement.classList.contains('rw-new-message')"),
        5,
        "focus in the message field",
    )
    assert page.locator(INPUT).get_attribute("aria-label") == "Votre message"
    assert page.locator(LAUNCHER).get_attribute("aria-label")
    # a topic button, reached with the keyboard and pressed with Enter
    reply = page.locator(REPLY_BUTTONS).first
    wait_until(lambda: reply.count() > 0, 10, "topic buttons")
    title = reply.inner_text().strip()
    reply.focus()
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert outline[0] != "none" and outline[1] >= 2, outline
    before = page.locator(BOT).count()
    page.keyboard.press("Enter")
    expect(page.locator(USER).last).to_have_text(title)
    wait_bot_settled(page, before)
    assert_clean(desktop, site)


CONTRAST_JS = """(selectors) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const sel of selectors) {
    for (const el of document.querySelectorAll(sel)) {
      if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
      const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = background(el);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      out.push({sel, text: (el.innerText || '').slice(0, 40), ratio: (a + 0.05) / (b + 0.05)});
    }
  }
  return out;
}"""


def test_text_contrast_is_at_least_4_5(desktop: Watched, site: Site) -> None:
    page = desktop.page
    open_site(desktop, site)
    wait_bot_settled(page, 0)
    send(page, QUESTION)
    wait_bot_settled(page, 1)
    selectors = [
        "h1",
        "h2",
        "h3",
        "p",
        "li",
        "a",
        ".button",
        ".brand",
        f"{WIDGET} .rw-title",
        f"{WIDGET} .rw-response .rw-message-text",
        f"{WIDGET} .rw-client .rw-message-text",
        f"{WIDGET} .rw-reply",
        f"{WIDGET} .rw-new-message",
        f"{WIDGET} .rw-subtitle",
        f"{WIDGET} .rw-loading",
    ]
    results = page.evaluate(CONTRAST_JS, selectors)
    checked = {r["sel"] for r in results}
    assert {
        ".button",
        f"{WIDGET} .rw-response .rw-message-text",
        f"{WIDGET} .rw-client .rw-message-text",
    } <= checked
    low = [r for r in results if r["ratio"] < 4.5]
    assert low == [], low


# --- phone -----------------------------------------------------------------------------------


def test_phone_360px_no_horizontal_scroll_launcher_opens(phone: Watched, site: Site) -> None:
    page = phone.page
    open_site(phone, site)
    no_hscroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate("window.innerWidth") == 360
    assert page.evaluate(no_hscroll)
    # closed by default on a phone, the launcher one tap away
    expect(page.locator(CONVERSATION)).to_have_count(0)
    box = page.locator(LAUNCHER).bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert box["width"] >= 44 and box["height"] >= 44
    shot(page, "phone-closed")
    page.locator(LAUNCHER).tap()
    expect(page.locator(CONVERSATION)).to_be_visible()
    wait_bot_settled(page, 0)
    conv = page.locator(CONVERSATION).bounding_box()
    assert conv and conv["x"] >= 0 and conv["x"] + conv["width"] <= 360.5
    wait_until(lambda: page.locator(REPLY_BUTTONS).count() >= 2, 10, "topic buttons")
    for i in range(page.locator(REPLY_BUTTONS).count()):
        b = page.locator(REPLY_BUTTONS).nth(i).bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= 360.5, b
    assert page.evaluate(no_hscroll)
    shot(page, "phone-open")
    before = page.locator(BOT).count()
    send(page, QUESTION)
    assert ANSWER_RE.search("\n".join(wait_bot_settled(page, before)))
    assert page.evaluate(no_hscroll)
    shot(page, "phone-answer")
    assert_clean(phone, site)
