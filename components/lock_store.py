"""Redis lock store whose read-modify-write steps are atomic (production profile,
endpoints.postgres.yml).

Rasa's `RedisLockStore` keeps each conversation's ticket lock as one JSON value and changes it
with a plain GET then SET. With several Rasa servers, two messages of one conversation that
arrive at the same moment on two servers can both read the lock before either writes it: one
ticket overwrites the other, both servers believe they are first, process the conversation at
the same time, and one server's events are lost when the tracker is saved (the SQL tracker
store appends only the events it has not seen). Deleting the lock after a message has the
same window (a ticket issued meanwhile by another server is deleted with it).

Here every change of a lock (issue a ticket, drop expired tickets, finish serving, clean up)
runs as a Redis optimistic transaction (WATCH / MULTI / EXEC) and is retried if another server
changed the lock in between. Reading, waiting and the ticket logic are Rasa's own.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Optional, Tuple, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from components import resilience, speedups

logger = logging.getLogger(__name__)

T = TypeVar("T")
# A change that keeps the lock returns it; one that removes it returns None.
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]

MAX_ATTEMPTS = 100


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` with atomic lock updates, for several Rasa servers."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            # As Rasa builds its own `type: redis` lock store from endpoints.yml.
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        resilience.install()  # Redis down: the message gets an apology (components/resilience.py)
        speedups.install()  # Rasa functions that redo start-up work per message (components/speedups.py)
        super().__init__(**kwargs)

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def _atomically(self, conversation_id: str, change: Change[T]) -> T:
        key = self._key(conversation_id)
        for _ in range(MAX_ATTEMPTS):
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed the lock meanwhile: read it again
        raise LockError(f"Lock of conversation '{conversation_id}' kept changing; gave up.")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, change)
        except LockError:
            raise
        except Exception as e:  # as Rasa's own issue_ticket reports it
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e

    def update_lock(self, conversation_id: str) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, change)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, change)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish serving the ticket and delete the lock if no one else waits, in one step."""

        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, change)
