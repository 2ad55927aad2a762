/* Starts the rasa-webchat widget (served by web/serve.py from node_modules, never a CDN).
 *
 * 1. POST /api/session: a short-lived token naming this tab's conversation (renewed for the
 *    same conversation when the previous token, kept in sessionStorage, is sent back).
 * 2. Mount the widget; the token goes in the socket URL's query (rasa-webchat 1.0.1 cannot
 *    set socket.io's `auth`), and Rasa's channel binds the socket to that conversation.
 * 3. Make the widget usable with a keyboard and a screen reader (French labels, reply
 *    buttons focusable), and open it by default on a wide screen.
 * No inline script anywhere: the page's Content-Security-Policy allows only this origin. */
(function () {
  "use strict";

  var TOKEN_KEY = "ald-chat-token";
  var DESKTOP = "(min-width: 801px)"; /* the widget goes full screen below 800 px */
  var statusEl = document.getElementById("chat-status");
  var openButton = document.getElementById("open-chat");
  var mountEl = document.getElementById("webchat");

  function setStatus(text) {
    if (statusEl) statusEl.textContent = text;
  }

  function storedToken() {
    try { return window.sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }

  function storeToken(token) {
    try { window.sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* private mode */ }
  }

  function isOpen() {
    return !!document.querySelector("#webchat .rw-conversation-container");
  }

  function launcher() {
    return document.querySelector("#webchat .rw-launcher");
  }

  function focusInput() {
    var input = document.querySelector("#webchat .rw-new-message");
    if (input) input.focus();
  }

  function openChat(focus) {
    var l = launcher();
    if (!isOpen() && l) l.click();
    if (focus) window.setTimeout(focusInput, 50);
  }

  /* Opened by the page itself, the widget's message field takes the focus as it mounts
   * (autoFocus; it does so only when the socket connected first, so not on every load): a
   * keyboard or screen-reader user would be pulled into the chat, past the skip link. That one
   * focus, during the opening alone, goes back where it was (the top of the page if nowhere,
   * and so does the next Tab); any later focus, by the user or their screen reader, is left
   * alone. */
  function openWithoutFocus() {
    var before = document.activeElement;
    function back(event) {
      if (!event.target.classList.contains("rw-new-message")) return;
      if (before && before !== document.body && document.contains(before)) {
        before.focus({ preventScroll: true });
        return;
      }
      var body = document.body;
      body.setAttribute("tabindex", "-1");
      body.focus({ preventScroll: true });
      body.removeAttribute("tabindex");
    }
    mountEl.addEventListener("focusin", back);
    openChat(false);
    window.setTimeout(function () { mountEl.removeEventListener("focusin", back); }, 0);
  }

  /* --- accessibility of the widget's markup ------------------------------------------- */
  function label(el, text) {
    if (el && el.getAttribute("aria-label") !== text) el.setAttribute("aria-label", text);
  }

  function enhance() {
    var root = mountEl;
    label(root.querySelector(".rw-launcher"), isOpen() ? "Fermer la discussion" : "Ouvrir la discussion avec l’assistant");
    var l = root.querySelector(".rw-launcher");
    if (l) l.setAttribute("aria-expanded", isOpen() ? "true" : "false");
    label(root.querySelector(".rw-close-button"), "Fermer la discussion");
    label(root.querySelector(".rw-new-message"), "Votre message");
    label(root.querySelector(".rw-send"), "Envoyer le message");
    var messages = root.querySelector(".rw-messages-container");
    if (messages && !messages.hasAttribute("role")) {
      messages.setAttribute("role", "log");
      messages.setAttribute("aria-live", "polite");
      messages.setAttribute("aria-label", "Messages de la discussion");
      messages.setAttribute("tabindex", "0");
    }
    /* Quick replies are <div>s with a click handler: make them real buttons for the keyboard
     * and for screen readers. */
    var replies = root.querySelectorAll("div.rw-reply");
    for (var i = 0; i < replies.length; i++) {
      var r = replies[i];
      if (r.getAttribute("role") !== "button") {
        r.setAttribute("role", "button");
        r.setAttribute("tabindex", "0");
      }
    }
  }

  function onKeydown(event) {
    var t = event.target;
    if (t && t.classList && t.classList.contains("rw-reply") && t.tagName === "DIV" &&
        (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      t.click();
    }
  }

  function mount(cfg) {
    var url = cfg.socketUrl + (cfg.socketUrl.indexOf("?") < 0 ? "?" : "&") +
      "token=" + encodeURIComponent(cfg.token);
    window.WebChat.default({
      socketUrl: url,
      socketPath: cfg.socketPath,
      initPayload: cfg.initPayload,
      customData: { language: "fr" },
      title: "Assistant ALD",
      subtitle: "Informations générales, pas d’avis médical",
      inputTextFieldHint: "Écrivez votre question…",
      connectingText: "Connexion à l’assistant…",
      hideWhenNotConnected: false,
      showCloseButton: true,
      showFullScreenButton: false,
      showMessageDate: false,
      params: { storage: "session" },
      withRules: false, /* no Botfront rules: show the launcher before the server answers */
      mainColor: "#1d4e89",
      userBackgroundColor: "#1d4e89",
      userTextColor: "#ffffff",
      customMessageDelay: function (message) {
        return Math.min(1200, Math.max(250, (message || "").length * 8));
      }
    }, mountEl);

    new MutationObserver(enhance).observe(mountEl, { childList: true, subtree: true });
    mountEl.addEventListener("keydown", onKeydown);

    /* Open by default on a wide screen, once the widget has drawn its launcher. */
    var tries = 0;
    var timer = window.setInterval(function () {
      tries += 1;
      if (launcher()) {
        window.clearInterval(timer);
        enhance();
        if (window.matchMedia(DESKTOP).matches) openWithoutFocus();
        mountEl.setAttribute("data-ready", "true");
      } else if (tries > 100) {
        window.clearInterval(timer);
      }
    }, 50);
  }

  function start() {
    if (openButton) {
      openButton.addEventListener("click", function () { openChat(true); });
    }
    if (!window.WebChat || typeof window.WebChat.default !== "function") {
      setStatus("La discussion n’a pas pu se charger. Vous pouvez appeler les numéros ci-dessous.");
      return;
    }
    fetch("/api/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: storedToken() }),
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (cfg) {
      storeToken(cfg.token);
      mount(cfg);
    }).catch(function () {
      setStatus("La discussion est indisponible pour le moment. Vous pouvez appeler les numéros ci-dessous.");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
