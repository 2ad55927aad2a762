"""tools/load.py: the schedule of the open-loop load and the overload checks."""

from __future__ import annotations

import math
from typing import Optional

import pytest

from tools.load import Overload, Sent, Stage, overload_verdict, schedule, windows


def test_schedule_spaces_messages_evenly_and_takes_conversations_in_turn() -> None:
    plan = schedule([Stage(4.0, 2.0), Stage(1.0, 3.0)], n_conversations=3)
    assert len(plan) == 8 + 3
    assert [round(t, 3) for t, _ in plan[:8]] == [0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75]
    assert [t for t, _ in plan[8:]] == [2.0, 3.0, 4.0]  # the second stage starts after the first
    assert [c for _, c in plan[:5]] == [0, 1, 2, 0, 1]


def sent(conv: str, at: float, ms: Optional[float], status: int = 200, replies: int = 1) -> Sent:
    return Sent(conv, at, at, None if ms is None else ms / 1000, status, replies)


def test_windows_group_latencies_by_sending_time() -> None:
    w = windows([sent("a", 0.5, 100), sent("b", 3, 300), sent("a", 12, 50), sent("b", 13, None, 0, 0)])
    assert [x.start_s for x in w] == [0.0, 10.0]
    assert [x.sent for x in w] == [2, 2]
    assert w[0].p50_ms == pytest.approx(200)
    assert w[0].max_ms == pytest.approx(300)
    assert w[1].p95_ms == pytest.approx(50)  # the unanswered one has no latency
    assert windows([]) == []


def overload(messages: list, kept: dict, after_ms: float = 250.0) -> Overload:
    return overload_verdict(Overload(10.0, [Stage(20, 60)], 2, messages, kept, 200.0, after_ms))


def test_a_server_that_answers_everything_and_recovers_passes() -> None:
    o = overload([sent("a", 1, 2000), sent("b", 30, 4000), sent("a", 80, 5000)], {"a": 2, "b": 1})
    assert all(o.checks.values()), o.checks
    assert o.drained_s == pytest.approx(25)
    assert o.notes[0] == "3 messages sent at 0.0/s on average (the latest 0 s after it was due)"
    assert o.notes[1].startswith("0 with a 5xx, 0 failed, 0 answered with nothing, 0 missing")
    assert o.notes[1].endswith(
        "came 25 s after the last message was due; then p95 250 ms for one conversation (before: 200 ms)"
    )


@pytest.mark.parametrize(
    "msgs, kept, failing",
    [
        ([sent("a", 1, 100, status=503, replies=0)], {"a": 1}, {"no 5xx", "no failed request"}),
        ([sent("a", 1, None, status=0, replies=0)], {"a": 1}, {"no failed request"}),
        ([sent("a", 1, 100, replies=0)], {"a": 1}, {"every message answered"}),
        ([sent("a", 1, 100), sent("a", 2, 100)], {"a": 1}, {"no message lost"}),
    ],
)
def test_each_check_fails_on_its_own_fault(msgs: list, kept: dict, failing: set) -> None:
    o = overload(msgs, kept)
    assert {name for name, ok in o.checks.items() if not ok} == failing


@pytest.mark.parametrize("after_ms, ok", [(250.0, True), (399.0, True), (401.0, False), (math.nan, False)])
def test_latency_recovers_when_one_conversation_after_is_under_twice_the_baseline(
    after_ms: float, ok: bool
) -> None:
    o = overload([sent("a", 1, 5000)], {"a": 1}, after_ms)
    assert o.checks["latency recovers"] is ok


def test_the_rate_really_sent_and_the_lateness_are_reported() -> None:
    msgs = [
        Sent("a", 0.0, 0.0, 0.1, 200, 1),
        Sent("a", 1.0, 4.0, 0.1, 200, 1),
        Sent("b", 2.0, 5.0, 0.1, 200, 1),
    ]
    o = overload(msgs, {"a": 2, "b": 1})
    assert o.sent_rate == pytest.approx(3 / 5)
    assert o.most_late_s == pytest.approx(3.0)
