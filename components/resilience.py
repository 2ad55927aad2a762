"""A message always gets a reply, even when a part the Rasa server needs is down.

What Rasa 3.6 does on its own (and why it is not enough):

- action server down (or an action failing): `RemoteAction.run` raises, and
  `MessageProcessor._run_action` logs the error and goes on as if the action had returned no
  event: the user gets no answer at all, and the half-done turn is saved (a form without its
  validation, the memory without what the message said);
- PostgreSQL down: Rasa's `FailSafeTrackerStore` answers a failed read with no tracker, so the
  message is handled as the first of a new conversation, and a failed write goes to an
  in-memory store that is never read: the conversation silently loses its past;
- Redis down: the lock store raises, the channel logs it and the user gets nothing.

Here, for each message handled by the agent (REST, socket.io, `rasa shell`: every channel goes
through `Agent.handle_message`), a failure of any of them makes the turn fail as a whole:

- nothing more is run for the message once an action has failed (`_run_action`);
- the turn is not saved (`save_tracker`), so the conversation stays exactly where it was
  before the message, and goes on from there when the service is back (the user is told the
  message was not taken into account, and can send it again);
- tracker store errors are raised instead of being papered over (`FailSafeTrackerStore`);
- the user gets the apology of content/phrases.yml (`ald.outage`, with the helpline number;
  an emergency or distress message gets its own numbers), and on the REST channel nothing
  else, since the turn is not kept.

Rasa offers no hook for this, so these methods of Rasa 3.6 are wrapped (rasa==3.6.21 is pinned;
tests/components/test_resilience.py checks that they are still there). `install()` is called
by the tracker store and the lock store of endpoints*.yml (components/tracker_store.py,
components/lock_store.py), which every Rasa server loads; outside a message (the HTTP API,
tools) Rasa behaves as usual."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.exceptions import RasaException

from ald import outage

logger = logging.getLogger(__name__)


class ServiceUnavailable(RasaException):
    """A part the message needs (tracker store) failed; raised instead of Rasa's fallback."""


@dataclass
class Turn:
    """What went wrong while one message was handled."""

    failures: List[str] = field(default_factory=list)
    #: The message's intent, once it is known (the apology depends on it).
    intent: Optional[str] = None

    @property
    def failed(self) -> bool:
        return bool(self.failures)


#: The message being handled by this task (None outside `Agent.handle_message`).
_TURN: ContextVar[Optional[Turn]] = ContextVar("ald_turn", default=None)

_ORIGINALS: dict = {}


def current_turn() -> Optional[Turn]:
    return _TURN.get()


def describe(error: BaseException) -> str:
    """The error's kind and its causes' kinds, never its text: a database error's text can
    hold the values of the query (what the user wrote)."""
    names = []
    seen: Optional[BaseException] = error
    while seen is not None and len(names) < 4:
        names.append(type(seen).__name__)
        seen = seen.__cause__ or seen.__context__
    return " <- ".join(names)


async def _agent_handle_message(self: Agent, message: UserMessage) -> Any:
    turn = Turn()
    token = _TURN.set(turn)
    # The REST channel collects the replies in a list and sends them at the end: what the failed
    # turn put there can still be taken back. (`rasa shell`'s streaming channel uses a queue,
    # socket.io sends at once: there the apology follows whatever was sent.)
    collected = getattr(message.output_channel, "messages", None)
    if not isinstance(collected, list):
        collected = None
    already = len(collected) if collected is not None else 0
    try:
        try:
            result = await _ORIGINALS["agent_handle_message"](self, message)
        except Exception as e:  # the lock store, the tracker store, or Rasa itself
            turn.failures.append(describe(e))
            result = None
        if turn.failed:
            if collected is not None:
                # The turn is not kept: the REST user gets the apology alone.
                del collected[already:]
            await _apologise(self, message, turn)
        return result
    finally:
        _TURN.reset(token)


async def _apologise(agent: Agent, message: UserMessage, turn: Turn) -> None:
    intent = turn.intent
    if intent is None and agent.processor is not None:
        # The store failed before the message was read: read it now (the NLU needs no
        # service), so that an emergency still gets its numbers.
        try:
            parsed = await agent.processor.parse_message(message)
            intent = (parsed.get("intent") or {}).get("name")
        except Exception as e:
            logger.warning("Could not read the message for the apology (%s)", describe(e))
    logger.error(
        "Conversation %s: message not handled (%s); the user got the apology, nothing was saved.",
        message.sender_id,
        "; ".join(turn.failures),
    )
    try:
        await message.output_channel.send_text_message(message.sender_id, outage.apology(intent))
    except Exception as e:  # the user left (socket closed): nothing more to do
        logger.warning("Could not send the apology (%s)", describe(e))


async def _run_action(self: MessageProcessor, action: Any, tracker: Any, *args: Any, **kwargs: Any) -> bool:
    turn = _TURN.get()
    if turn is None:
        return await _ORIGINALS["run_action"](self, action, tracker, *args, **kwargs)
    if not turn.failed:
        again = await _ORIGINALS["run_action"](self, action, tracker, *args, **kwargs)
        if not turn.failed:
            return again
    if action.name() != ACTION_SESSION_START_NAME and tracker.latest_message is not None:
        turn.intent = (tracker.latest_message.intent or {}).get("name")
    return False  # predict nothing more for this message


async def _save_tracker(self: MessageProcessor, tracker: Any) -> None:
    turn = _TURN.get()
    if turn is not None and turn.failed:
        return  # the failed turn is dropped: the stored conversation is as before the message
    await _ORIGINALS["save_tracker"](self, tracker)


async def _remote_run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    try:
        return await _ORIGINALS["remote_run"](self, *args, **kwargs)
    except ActionExecutionRejection:
        raise  # a form's "this slot is not for me": part of the dialogue, not a failure
    except Exception as e:
        turn = _TURN.get()
        if turn is not None:
            turn.failures.append(f"action server, {self.name()}: {describe(e)}")
        raise


def _store_error(original: Callable[[FailSafeTrackerStore, Exception], None]) -> Callable[..., None]:
    def on_error(self: FailSafeTrackerStore, error: Exception) -> None:
        if _TURN.get() is None:
            return original(self, error)
        raise ServiceUnavailable(f"tracker store: {describe(error)}") from error

    return on_error


def install() -> None:
    """Wrap Rasa's methods (once per process)."""
    if _ORIGINALS:
        return
    _ORIGINALS.update(
        agent_handle_message=Agent.handle_message,
        run_action=MessageProcessor._run_action,
        save_tracker=MessageProcessor.save_tracker,
        remote_run=RemoteAction.run,
        store_error=FailSafeTrackerStore.on_tracker_store_error,
        store_retrieve_error=FailSafeTrackerStore.on_tracker_store_retrieve_error,
    )
    Agent.handle_message = _agent_handle_message  # type: ignore[method-assign]
    MessageProcessor._run_action = _run_action  # type: ignore[method-assign]
    MessageProcessor.save_tracker = _save_tracker  # type: ignore[method-assign]
    RemoteAction.run = _remote_run  # type: ignore[method-assign]
    FailSafeTrackerStore.on_tracker_store_error = _store_error(  # type: ignore[method-assign]
        _ORIGINALS["store_error"]
    )
    FailSafeTrackerStore.on_tracker_store_retrieve_error = _store_error(  # type: ignore[method-assign]
        _ORIGINALS["store_retrieve_error"]
    )
