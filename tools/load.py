"""The load of `make bench` (tools/bench.py): conversations sent over HTTP by an asyncio client.

Two shapes of load:

- **closed loop** (`run_phase`): each conversation sends its next message as soon as the answer
  to the previous one arrived, at most `concurrency` conversations at a time: how fast the
  server answers at a given number of people typing at once (the latency-against-concurrency
  curve);
- **open loop** (`open_loop`): messages are due at a fixed rate whatever the server does, as
  when callers keep arriving: the overload check makes messages due at twice the sustainable
  rate for 60 s and looks at what the server did with each one; once the last is answered, one
  conversation alone checks that the latency is back to normal. A conversation still never
  sends before its previous answer arrived (a person waits for the reply), so a message can
  leave later than it was due; both times are kept.

Pure helpers (`windows`, `overload_verdict`) are unit-tested in tests/tools/test_load.py."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np

#: HTTP timeout of one message (a message waiting longer counts as failed).
TIMEOUT_S = 120.0


@dataclass
class PhaseRun:
    latencies_s: List[float]
    errors: int
    wall_s: float


def _request(base: str, kind: str, sender: str, text: str) -> tuple:
    if kind == "rest":
        return f"{base}/webhooks/rest/webhook", {"sender": sender, "message": text}
    return f"{base}/model/parse", {"text": text}


async def run_phase(
    base: str, kind: str, conversations: List[List[str]], concurrency: int, tag: str, token: str
) -> PhaseRun:
    """Closed loop: each conversation sends its messages one after the other; at most
    `concurrency` conversations run at the same time. `kind` is "rest" (end to end) or "parse"
    (NLU alone, /model/parse)."""
    import aiohttp

    latencies: List[float] = []
    errors = 0
    sem = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)

    async def one(session: aiohttp.ClientSession, i: int, msgs: List[str]) -> None:
        nonlocal errors
        async with sem:
            for text in msgs:
                url, body = _request(base, kind, f"{tag}-{i}", text)
                t0 = time.perf_counter()
                try:
                    async with session.post(url, json=body, headers=headers) as resp:
                        await resp.read()
                        ok = resp.status == 200
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    ok = False
                dt = time.perf_counter() - t0
                if ok:
                    latencies.append(dt)
                else:
                    errors += 1

    connector = aiohttp.TCPConnector(limit=concurrency + 4)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        t0 = time.perf_counter()
        await asyncio.gather(*(one(session, i, c) for i, c in enumerate(conversations)))
        wall = time.perf_counter() - t0
    return PhaseRun(latencies, errors, wall)


# ------------------------------------------------------------------------- open loop


@dataclass
class Sent:
    """One message of the open-loop load."""

    conversation: str
    due_s: float  # when it was due, from the start of the load
    sent_s: float  # when it left (later than due if the previous answer came late)
    latency_s: Optional[float]  # None: no HTTP answer (timeout, connection error)
    status: int  # HTTP status (0: none)
    replies: int  # messages of the bot in the answer


@dataclass
class Stage:
    rate: float  # messages per second due
    seconds: float


def schedule(stages: Sequence[Stage], n_conversations: int) -> List[tuple]:
    """(due time, conversation index) of every message: evenly spaced within each stage,
    conversations taken in turn."""
    out: List[tuple] = []
    start = 0.0
    k = 0
    for stage in stages:
        count = int(round(stage.rate * stage.seconds))
        for j in range(count):
            out.append((start + j / stage.rate, k % n_conversations))
            k += 1
        start += stage.seconds
    return out


async def open_loop(
    base: str,
    messages: Sequence[str],
    stages: Sequence[Stage],
    n_conversations: int,
    tag: str,
    token: str,
) -> List[Sent]:
    """Sends the messages of `schedule(stages, n_conversations)` to the REST channel, each
    conversation in order (see the module's docstring); returns what happened to each."""
    import aiohttp

    plan = schedule(stages, n_conversations)
    per_conv: Dict[int, List[tuple]] = {}
    for i, (due, conv) in enumerate(plan):
        per_conv.setdefault(conv, []).append((due, messages[i % len(messages)]))
    results: List[Sent] = []
    headers = {"Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)

    async def one(session: aiohttp.ClientSession, conv: int, items: List[tuple], t0: float) -> None:
        sender = f"{tag}-{conv}"
        for due, text in items:
            wait = t0 + due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            sent = time.perf_counter()
            status, replies, latency = 0, 0, None
            try:
                url, body = _request(base, "rest", sender, text)
                async with session.post(url, json=body, headers=headers) as resp:
                    status = resp.status
                    data = await resp.json(content_type=None) if resp.status == 200 else None
                    replies = len(data) if isinstance(data, list) else 0
                latency = time.perf_counter() - sent
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                pass
            results.append(Sent(sender, due, sent - t0, latency, status, replies))

    connector = aiohttp.TCPConnector(limit=n_conversations + 4)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        t0 = time.perf_counter()
        await asyncio.gather(*(one(session, c, items, t0) for c, items in per_conv.items()))
    results.sort(key=lambda s: s.sent_s)
    return results


async def user_messages_kept(base: str, senders: Sequence[str], token: str) -> Dict[str, int]:
    """How many user messages each conversation's stored tracker holds (Rasa HTTP API)."""
    import aiohttp

    headers = {"Authorization": f"Bearer {token}"}
    kept: Dict[str, int] = {}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as session:
        for sender in senders:
            async with session.get(f"{base}/conversations/{sender}/tracker", headers=headers) as resp:
                tracker = await resp.json(content_type=None)
            kept[sender] = sum(1 for e in tracker.get("events", []) if e.get("event") == "user")
    return kept


@dataclass
class Window:
    start_s: float
    sent: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def windows(sent: Sequence[Sent], width_s: float = 10.0) -> List[Window]:
    """Latency of the answered messages, by window of sending time."""
    if not sent:
        return []
    end = max(s.sent_s for s in sent)
    out: List[Window] = []
    start = 0.0
    while start <= end:
        inside = [s for s in sent if start <= s.sent_s < start + width_s]
        ms = [s.latency_s * 1000 for s in inside if s.latency_s is not None]
        if inside:
            out.append(
                Window(
                    start,
                    len(inside),
                    float(np.percentile(ms, 50)) if ms else float("nan"),
                    float(np.percentile(ms, 95)) if ms else float("nan"),
                    max(ms) if ms else float("nan"),
                )
            )
        start += width_s
    return out


@dataclass
class Overload:
    sustainable_rate: float  # messages/s measured at 16 concurrent conversations
    stages: List[Stage]
    n_conversations: int
    sent: List[Sent]
    kept: Dict[str, int]  # user messages in each stored conversation
    baseline_p95_ms: float  # one conversation at a time, before the overload
    recovery_p95_ms: float = float("nan")  # one conversation at a time, right after it
    checks: Dict[str, bool] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)

    @property
    def sent_rate(self) -> float:
        """Messages per second really sent (later than due when the server fell behind)."""
        if len(self.sent) < 2:
            return float("nan")
        span = max(s.sent_s for s in self.sent) - min(s.sent_s for s in self.sent)
        return len(self.sent) / span if span > 0 else float("nan")

    @property
    def most_late_s(self) -> float:
        """The longest a message left after it was due."""
        return max((s.sent_s - s.due_s for s in self.sent), default=0.0)

    @property
    def drained_s(self) -> float:
        """From the end of the last stage to the last answer."""
        ends = [s.sent_s + s.latency_s for s in self.sent if s.latency_s is not None]
        return max(0.0, max(ends, default=0.0) - sum(st.seconds for st in self.stages))


def overload_verdict(o: Overload) -> Overload:
    """Fills `checks`: no 5xx, every message answered with at least one bot message, every
    message kept in its conversation, latency back near the baseline once it is over (the p95
    of one conversation right after it under twice the one before it, or 300 ms)."""
    sent_by_conv: Dict[str, int] = {}
    for s in o.sent:
        sent_by_conv[s.conversation] = sent_by_conv.get(s.conversation, 0) + 1
    five = sum(1 for s in o.sent if s.status >= 500)
    failed = sum(1 for s in o.sent if s.status != 200)
    silent = sum(1 for s in o.sent if s.status == 200 and s.replies == 0)
    lost = sum(max(0, n - o.kept.get(c, 0)) for c, n in sent_by_conv.items())
    recovered = o.recovery_p95_ms <= max(2 * o.baseline_p95_ms, 300.0)  # False if NaN
    o.checks = {
        "no 5xx": five == 0,
        "no failed request": failed == 0,
        "every message answered": silent == 0,
        "no message lost": lost == 0,
        "latency recovers": recovered,
    }
    o.notes = [
        f"{len(o.sent)} messages sent at {o.sent_rate:.1f}/s on average (the latest {o.most_late_s:.0f} s "
        "after it was due)",
        f"{five} with a 5xx, {failed} failed, {silent} answered with nothing, "
        f"{lost} missing from their stored conversation; the last answer came {o.drained_s:.0f} s "
        f"after the last message was due; then p95 {o.recovery_p95_ms:.0f} ms for one conversation "
        f"(before: {o.baseline_p95_ms:.0f} ms)",
    ]
    return o
