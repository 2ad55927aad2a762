"""The action server really stopped while the Rasa server runs (components/resilience.py):

- every message, on REST and on socket.io, gets the apology with the helpline number (an
  emergency its own numbers), never silence;
- the failed turns are not kept: a form stopped in the middle goes on where it was once the
  action server is back, and a conversation begun during the outage starts properly."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Dict, Iterator

import pytest

from ald import outage
from ald.figures import figure
from tests.integration.conftest import TODAY, assert_reply_is, sqlite_events, user_events
from tests.integration.test_socketio import ORIGIN, Client
from tools import stack
from tools.stack import rest_send, texts


class Servers:
    def __init__(self, logdir: Path) -> None:
        self.logdir = logdir
        self.env: Dict[str, str] = {"ALD_TODAY": TODAY}
        self.actions, self.action_port = stack.start_action_server(logdir, env=self.env)
        self.rasa, self.port = stack.start_rasa_server(
            logdir, self.action_port, env={"WEB_ORIGIN": ORIGIN}, extra_args=["--cors", ORIGIN]
        )

    def say(self, sender: str, text: str) -> str:
        return texts(rest_send(self.port, sender, text))

    def stop_actions(self) -> None:
        self.actions.stop()

    def start_actions(self) -> None:
        self.actions, _ = stack.start_action_server(self.logdir, port=self.action_port, env=self.env)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    s = Servers(tmp_path_factory.mktemp("action-server-outage"))
    try:
        yield s
    finally:
        s.actions.stop()
        s.rasa.stop()


async def socketio_reply(port: int, text: str) -> str:
    sid = uuid.uuid4().hex
    client = Client()
    try:
        await client.connect(port, stack.socket_token(sid))
        await client.session(sid)
        await client.say(text, sid)
        await client.wait_replies_settled()
        return client.text()
    finally:
        await client.close()


async def test_while_the_action_server_is_down_every_message_gets_the_apology(servers: Servers) -> None:
    in_form = f"outage-form-{uuid.uuid4().hex}"
    asked = servers.say(in_form, "calculer ma date de renouvellement")
    assert_reply_is("utter_ask_valid_until", asked)

    servers.stop_actions()
    apology = outage.apology(None)
    assert figure("sid_telephone").value in apology
    # in the middle of a form, a new conversation (its session start needs the action
    # server), an FAQ question, and the web widget's channel
    assert servers.say(in_form, "31 mai 2027") == apology
    newcomer = f"outage-new-{uuid.uuid4().hex}"
    assert servers.say(newcomer, "bonjour") == apology
    assert servers.say(f"outage-faq-{uuid.uuid4().hex}", "Où envoyer mon protocole de soins ?") == apology
    assert await socketio_reply(servers.port, "Où envoyer mon protocole de soins ?") == apology
    emergency = servers.say(f"outage-urgent-{uuid.uuid4().hex}", "mon mari fait un avc la maintenant")
    assert emergency == outage.apology("emergency") and figure("tel_urgence").value in emergency

    servers.start_actions()
    # The form goes on where it was: the same answer gives the renewal date.
    answer = servers.say(in_form, "31 mai 2027")
    assert "28 février 2027" in answer, answer
    stored = user_events(sqlite_events(servers.logdir / "rasa.db"), in_form)
    assert [e["text"] for e in stored] == ["calculer ma date de renouvellement", "31 mai 2027"]
    # The conversation begun during the outage starts properly (its session start fills the
    # helpline figures this answer shows).
    human = servers.say(newcomer, "je voudrais parler à quelqu'un")
    assert human != apology and figure("sid_telephone").value in human and "{" not in human, human
    assert await socketio_reply(servers.port, "Où envoyer mon protocole de soins ?") != apology
