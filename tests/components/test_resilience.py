"""components/resilience.py without servers: the Rasa 3.6 methods it wraps, and what happens to
one message when a part fails. (tests/integration/test_action_server_outage.py and
test_store_outages.py stop real servers.)"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from ald import outage
from components import resilience
from tools.stack import free_port

resilience.install()


def originals() -> Dict[str, Any]:
    return resilience._ORIGINALS


def test_the_wrapped_rasa_methods_are_still_there_with_the_same_parameters() -> None:
    """If an upgrade of Rasa renames or changes them, this fails before users see nothing."""
    expected = {
        "agent_handle_message": ["self", "message"],
        "run_action": ["self", "action", "tracker", "output_channel", "nlg", "prediction"],
        "save_tracker": ["self", "tracker"],
        "remote_run": ["self", "output_channel", "nlg", "tracker", "domain"],
        "store_error": ["self", "error"],
        "store_retrieve_error": ["self", "error"],
    }
    for name, params in expected.items():
        assert list(inspect.signature(originals()[name]).parameters) == params, name
    assert Agent.handle_message is resilience._agent_handle_message
    resilience.install()  # twice: still wrapped once
    assert originals()["agent_handle_message"] is not resilience._agent_handle_message


def run_remote(port: int) -> None:
    action = RemoteAction("action_faq", EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
    domain = Domain.empty()
    tracker = DialogueStateTracker("s", domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, domain))


def test_an_unreachable_action_server_fails_the_message_being_handled() -> None:
    port = free_port()  # nothing listens there
    turn = resilience.Turn()
    token = resilience._TURN.set(turn)
    try:
        with pytest.raises(Exception, match="Couldn't connect"):
            run_remote(port)
    finally:
        resilience._TURN.reset(token)
    assert turn.failed and "action_faq" in turn.failures[0]
    with pytest.raises(Exception, match="Couldn't connect"):
        run_remote(port)  # outside a message: Rasa's own error, nothing recorded


class BrokenStore(InMemoryTrackerStore):
    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        raise ConnectionError("the database is down")

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise ConnectionError("the database is down")


def test_store_errors_are_raised_during_a_message_not_papered_over() -> None:
    store = FailSafeTrackerStore(BrokenStore(Domain.empty()))
    assert asyncio.run(store.retrieve("s")) is None  # outside a message: Rasa's fallback

    async def in_a_message() -> None:
        token = resilience._TURN.set(resilience.Turn())
        try:
            await store.retrieve("s")
        finally:
            resilience._TURN.reset(token)

    with pytest.raises(resilience.ServiceUnavailable):
        asyncio.run(in_a_message())


class FailingProcessor:
    """Sends a first answer, then fails (as a store failing at the end of a turn)."""

    def __init__(self, intent: str) -> None:
        self.intent = intent

    async def handle_message(self, message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "une réponse")
        raise ConnectionError("the database is down")

    async def parse_message(self, message: UserMessage) -> Dict[str, Any]:
        return {"intent": {"name": self.intent}}


@pytest.mark.parametrize("intent", ["faq", "emergency"])
def test_a_failed_message_gets_the_apology_alone(intent: str) -> None:
    agent = Agent(tracker_store=InMemoryTrackerStore(Domain.empty()), lock_store=InMemoryLockStore())
    agent.processor = FailingProcessor(intent)  # type: ignore[assignment]
    channel = CollectingOutputChannel()
    asyncio.run(agent.handle_message(UserMessage("bonjour", channel, "s")))
    sent: List[Dict[str, Any]] = channel.messages
    assert [m["text"] for m in sent] == [outage.apology(intent)]


def test_a_failed_save_keeps_the_stored_conversation_as_it_was() -> None:
    class Saving:
        saved = 0

        async def save(self, tracker: DialogueStateTracker) -> None:
            self.saved += 1

    processor = MessageProcessor.__new__(MessageProcessor)
    processor.tracker_store = Saving()  # type: ignore[assignment]
    tracker = DialogueStateTracker("s", [])

    async def turn(failed: bool) -> None:
        t = resilience.Turn(failures=["x"] if failed else [])
        token = resilience._TURN.set(t)
        try:
            await processor.save_tracker(tracker)
        finally:
            resilience._TURN.reset(token)

    asyncio.run(turn(failed=True))
    assert processor.tracker_store.saved == 0
    asyncio.run(turn(failed=False))
    assert processor.tracker_store.saved == 1


def test_a_streaming_channel_gets_the_apology_after_what_was_sent() -> None:
    """`rasa shell` streams the replies through a queue: they cannot be taken back."""
    agent = Agent(tracker_store=InMemoryTrackerStore(Domain.empty()), lock_store=InMemoryLockStore())
    agent.processor = FailingProcessor("faq")  # type: ignore[assignment]

    async def send() -> List[str]:
        channel = QueueOutputChannel()
        await agent.handle_message(UserMessage("bonjour", channel, "s"))
        return [channel.messages.get_nowait()["text"] for _ in range(channel.messages.qsize())]

    assert asyncio.run(send()) == ["une réponse", outage.apology("faq")]
