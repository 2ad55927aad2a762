"""`make bench`: how fast the assistant answers, trains, and how much memory it holds.

1. Starts its own action server and Rasa server (tools/stack.py) on free ports, the
   Rasa HTTP API enabled with a random JWT secret.
2. Sends messages drawn from the held-out set (tests/nlu) over HTTP with an asyncio client
   (aiohttp): 16 conversations (one sender id each, its messages one after the other), run
   one at a time (1 conversation) and then all together (16 concurrent conversations), on
   the REST channel (end to end: NLU, dialogue, actions, tracker store) and on
   POST /model/parse (NLU alone, JWT in the Authorization header).
   Then the REST latency at 4 and 32 conversations at a time (the curve), py-spy profiles of
   both servers under the 16 conversations (tools/profile.py), and the overload check
   (tools/load.py: messages due at twice the sustainable rate for 60 s, then one conversation
   alone once the last is answered).
3. Reads the resident memory (VmRSS, children included) of both servers, then stops them.
4. Times an FAQ answer edit: an action server reads a copy of content/faq/ (ALD_FAQ_ANSWERS);
   one answer's text is changed in that copy, and the clock runs from the file written to
   the first answer of action_faq (over its HTTP webhook) with the new text. No training.
5. Times `rasa train` in a temporary copy of the project: from scratch (--force), then
   after changing one response text of the domain, reusing the cache of the first run
   (.rasa/cache of that copy). The real model is untouched.
6. Appends the figures to docs/benchmarks.md, plots the latency distribution to
   docs/img/benchmarks/, keeps the raw latencies in results/bench/.

Usage: python -m tools.bench [--conversations 16] [--per-conversation 20] [--no-train] [--no-doc]
                             [--no-overload] [--overload-seconds 60] [--profile-seconds 20]
       python -m tools.bench --faq-edit-only   (step 4 alone, printed; needs no model)
(from the project's root, with the venv's python; `make bench` runs it)."""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml

from ald import settings
from tools import machine_info as machine
from tools.load import (
    Overload,
    PhaseRun,
    Stage,
    open_loop,
    overload_verdict,
    run_phase,
    user_messages_kept,
    windows,
)

ROOT = settings.ROOT
RESULTS = settings.path("RESULTS_DIR") / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
IMG = ROOT / "docs" / "img" / "benchmarks"
SEED = 2004

# Targets of issue 7 (2-core machine).
TARGET_P95_MS_16 = 300.0
TARGET_THROUGHPUT = 30.0
TARGET_TRAIN_S = 300.0
TARGET_RETRAIN_S = 60.0
TARGET_RASA_RSS_BYTES = 1.5e9

DOC_INTRO = """# Benchmarks

How fast the assistant answers and trains, and how much memory it holds, measured by
`make bench` (`tools/bench.py`). **Each run appends a section** below (newest last); the raw
latencies of each run stay in `results/bench/` (not committed).

How it is measured:

- **Latency** is end to end over HTTP: the client (asyncio + aiohttp) posts a message to the
  REST channel (`/webhooks/rest/webhook`) and stops the clock when the bot's answers arrive, so
  it includes NLU, the dialogue policies, the custom actions (action server) and the SQLite
  tracker store. The messages are drawn from the held-out set `tests/nlu/` (never used for
  training), split into 16 conversations, each with its own sender id and sending its messages
  one after the other, each as soon as the previous answer arrived (no think time). "1
  conversation" runs these conversations one at a time; "16 concurrent" runs them all
  together. Percentiles are `numpy.percentile`; throughput is messages / wall time.
- **NLU alone**: the same messages on `POST /model/parse` (Rasa HTTP API, enabled with a
  random JWT secret, token in the `Authorization` header). The ratio REST ÷ parse shows what
  the dialogue, the actions and the tracker store add to NLU.
- **Training** runs `rasa train` in a temporary copy of the project (the real model is not
  touched): from scratch with `--force` and an empty cache, then after changing one response
  text in the domain (`domain/responses/`), reusing the cache of the first run (`.rasa/cache`
  of that copy). Times are wall-clock times of the whole command (including Python and
  TensorFlow start-up).
- **An FAQ answer edit** needs no training (the answers are content, `content/faq/`, read by
  the action server): an action server reads a copy of `content/faq/`, one answer's text is
  changed there, and the time runs from the file written to the first answer of `action_faq`
  (over the action server's webhook) that has the new text.
- **Latency against concurrency**: the same REST messages at 1, 4, 16 and 32 conversations
  at a time (32: the messages split into 32 conversations), each waiting for its answer before
  sending the next message; table and PNG (`docs/img/benchmarks/concurrency-*.png`).
- **Overload** (`tools/load.py`): messages due at twice the throughput just measured at 16
  conversations, for 60 s, over 64 conversations that each wait for their answer before
  sending their next message (as a person does): once the server falls behind, messages leave
  later than due, so the rate really sent is reported beside the rate due. Checked: no 5xx, no
  failed request, every message answered with at least one bot message, every message kept in
  its stored conversation (Rasa HTTP API), and, once the last one is answered, one conversation
  alone gets a p95 under twice its p95 before the overload (or 300 ms).
- **Where the time goes** (`tools/profile.py`): py-spy samples both servers at 100 Hz for
  20 s while the 16 conversations run again; each sample is given to one part (an NLU
  component, a policy, the tracker store, the response check, an action...), so the shares
  add up to 100 % of each process's CPU time (idle time is not sampled).
- **Memory** is VmRSS (from `/proc/<pid>/status`, the process and its children) of the Rasa
  server and of the action server after all the messages.

The machine has 2 cores shared with other work: each section says how loaded it was (load
average before and after the run); figures taken under load are pessimistic.

Targets: p95 ≤ 300 ms at 16 concurrent conversations; ≥ 30 messages/s; training from scratch
≤ 5 minutes; retraining after a response-text change ≤ 60 s (an FAQ answer: served in ≤ 60 s,
without training); Rasa server memory ≤ 1.5 GB.
"""


# ------------------------------------------------------------------------- pure helpers


@dataclass(frozen=True)
class LatencyStats:
    n: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    wall_s: float
    throughput: float  # successful messages per second of wall time


def latency_stats(latencies_s: Sequence[float], wall_s: float, errors: int = 0) -> LatencyStats:
    """Percentiles (numpy.percentile, linear interpolation) of successful requests' latencies."""
    ms = np.asarray(latencies_s, dtype=float) * 1000.0
    if ms.size == 0:
        raise ValueError("no successful request to summarise")
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return LatencyStats(
        n=int(ms.size),
        errors=errors,
        p50_ms=float(p50),
        p95_ms=float(p95),
        p99_ms=float(p99),
        mean_ms=float(ms.mean()),
        wall_s=wall_s,
        throughput=ms.size / wall_s if wall_s > 0 else 0.0,
    )


def split_conversations(
    messages: Sequence[str], n_conv: int, per_conv: int, seed: int = SEED
) -> List[List[str]]:
    """`n_conv` conversations of `per_conv` messages drawn without replacement from
    `messages` (cycling through a new shuffle if there are fewer), reproducible with `seed`."""
    need = n_conv * per_conv
    if not messages:
        raise ValueError("no message to draw from")
    rng = random.Random(seed)
    drawn: List[str] = []
    while len(drawn) < need:
        pool = list(messages)
        rng.shuffle(pool)
        drawn += pool[: need - len(drawn)]
    return [drawn[i * per_conv : (i + 1) * per_conv] for i in range(n_conv)]


def prepend_text(path: Path, keys: Sequence[Any], prefix: str) -> None:
    """Prepends `prefix` to the text found at `keys` in the YAML file `path` (keys[1] is the
    name written on its own line before it), editing the file's text in place (layout kept);
    checks that only that text changed."""
    src = path.read_text(encoding="utf-8")
    before = yaml.safe_load(src)
    holder = before
    for key in keys[:-1]:
        holder = holder[key]
    old = holder[keys[-1]]
    name = str(keys[1])
    at = re.search(rf"^\s*{re.escape(name)}:\s*$", src, re.M)
    if not at:
        raise ValueError(f"{name} not found in {path}")
    pos = src.find(old.splitlines()[0][:15], at.end())
    if pos < 0 or old != old.lstrip():
        raise ValueError(f"the text of {name} was not found verbatim in {path}")
    edited = src[:pos] + prefix + src[pos:]
    expected = copy.deepcopy(before)
    target = expected
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = prefix + old
    if yaml.safe_load(edited) != expected:
        raise ValueError(f"editing {name} in {path} would change more than its text")
    path.write_text(edited, encoding="utf-8")


def prepend_to_response(path: Path, name: str, prefix: str) -> None:
    """Prepends `prefix` to the first text of response `name` (a domain file)."""
    prepend_text(path, ("responses", name, 0, "text"), prefix)


def prepend_to_answer(path: Path, topic: str, prefix: str) -> None:
    """Prepends `prefix` to the text of the FAQ answer of `topic` (a file of content/faq/)."""
    prepend_text(path, ("answers", topic, "text"), prefix)


def first_response(path: Path, exclude_prefix: str = "") -> str:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for name, variants in (doc.get("responses") or {}).items():
        if exclude_prefix and name.startswith(exclude_prefix):
            continue
        if variants and isinstance(variants[0], dict) and variants[0].get("text"):
            return name
    raise ValueError(f"no response with a text in {path}")


def fmt_duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "–"
    m, s = divmod(round(seconds), 60)
    return f"{m} min {s:02d} s" if m else f"{s} s"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


@dataclass
class TrainTimes:
    scratch_s: Optional[float] = None
    domain_edit_s: Optional[float] = None
    domain_response: str = ""
    model_bytes: Optional[int] = None
    notes: List[str] = field(default_factory=list)


@dataclass
class FaqEdit:
    """An FAQ answer changed in content/faq/: how long until the action server served it."""

    topic: str
    served_s: Optional[float] = None  # from the file written to the first answer with the new text
    requests: int = 0  # answers asked for until then (1: the very next one)
    note: str = ""


def fmt_short(seconds: Optional[float]) -> str:
    """A duration that may be well under a second ("12 ms", "3 s", "1 min 05 s")."""
    if seconds is not None and seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return fmt_duration(seconds)


@dataclass
class BenchResult:
    date: str
    commit: str
    machine: str
    load: str
    n_conv: int
    per_conv: int
    stats: Dict[str, LatencyStats]  # rest-1, rest-many, parse-1, parse-many (n_conv at a time)
    rasa_rss_mib: float
    actions_rss_mib: float
    real_model_bytes: int
    train: Optional[TrainTimes]
    image: Optional[str]  # relative to docs/
    faq_edit: Optional[FaqEdit] = None
    curve: Dict[int, LatencyStats] = field(default_factory=dict)  # REST, by conversations at a time
    curve_image: Optional[str] = None
    overload: Optional[Dict[str, Any]] = None  # overload_summary()
    profiles: Dict[str, str] = field(default_factory=dict)


def render_section(r: BenchResult) -> str:
    s = r.stats
    total = r.n_conv * r.per_conv

    def trio(x: LatencyStats) -> str:
        return f"{x.p50_ms:.0f} / {x.p95_ms:.0f} / {x.p99_ms:.0f}"

    rest_n, rest1, parse_n, parse1 = s["rest-many"], s["rest-1"], s["parse-many"], s["parse-1"]
    at_16 = r.n_conv == 16  # the latency target is set at 16 concurrent conversations
    L = [
        f"## {r.date} — commit `{r.commit}`",
        "",
        f"- Machine: {r.machine}",
        f"- Load: {r.load}",
        f"- Command: `make bench` — {total} messages from `tests/nlu/` ({r.n_conv} conversations "
        f"× {r.per_conv} messages, seed {SEED})",
        "",
        f"| latency, ms (p50 / p95 / p99) | 1 conversation | {r.n_conv} concurrent conversations "
        "| target |",
        "|---|---|---|---|",
        f"| REST channel, end to end | {trio(rest1)} | {trio(rest_n)} "
        f"| p95 ≤ {TARGET_P95_MS_16:.0f} ms at 16: "
        + (f"{verdict(rest_n.p95_ms <= TARGET_P95_MS_16)} |" if at_16 else "not measured |"),
        f"| NLU alone (`/model/parse`) | {trio(parse1)} | {trio(parse_n)} | |",
        f"| REST ÷ parse (p50) | {rest1.p50_ms / parse1.p50_ms:.1f} × "
        f"| {rest_n.p50_ms / parse_n.p50_ms:.1f} × | |",
        f"| REST throughput, messages/s | {rest1.throughput:.1f} | {rest_n.throughput:.1f} "
        f"| ≥ {TARGET_THROUGHPUT:.0f}: {verdict(rest_n.throughput >= TARGET_THROUGHPUT)} |",
        f"| parse throughput, messages/s | {parse1.throughput:.1f} | {parse_n.throughput:.1f} | |",
        f"| failed requests | {rest1.errors + parse1.errors} | {rest_n.errors + parse_n.errors} | 0 |",
        "",
    ]
    rss_ok = r.rasa_rss_mib * 2**20 <= TARGET_RASA_RSS_BYTES
    L += ["| other measures | value | target |", "|---|---|---|"]
    t = r.train
    if t is not None:
        L += [
            f"| training from scratch (`rasa train --force`) | {fmt_duration(t.scratch_s)} | ≤ 5 min: "
            f"{verdict(t.scratch_s is not None and t.scratch_s <= TARGET_TRAIN_S)} |",
            f"| retraining after one response text changed in the domain (`{t.domain_response}`) | "
            f"{fmt_duration(t.domain_edit_s)} | ≤ 60 s: "
            f"{verdict(t.domain_edit_s is not None and t.domain_edit_s <= TARGET_RETRAIN_S)} |",
        ]
        if t.model_bytes:
            L.append(f"| size of the model trained by the benchmark | {t.model_bytes / 2 ** 20:.1f} MiB | |")
    if r.faq_edit is not None:
        L.append(faq_edit_row(r.faq_edit))
    L += [
        f"| size of `{settings.get('MODEL')}` (served) | {r.real_model_bytes / 2 ** 20:.1f} MiB | |",
        f"| Rasa server memory (VmRSS, with children) after the run | {r.rasa_rss_mib:.0f} MiB | "
        f"≤ 1.5 GB: {verdict(rss_ok)} |",
        f"| action server memory (VmRSS, with children) after the run | {r.actions_rss_mib:.0f} MiB | |",
        "",
    ]
    notes = (t.notes if t is not None else []) + ([r.faq_edit.note] if r.faq_edit and r.faq_edit.note else [])
    if notes:
        L += [f"Note: {n}" for n in notes] + [""]
    if r.image:
        L += [f"![Latency distribution, {r.date}]({r.image})", ""]
    L += render_curve(r)
    if r.overload:
        L += render_overload(r.overload)
    for kind in ("rasa", "actions"):
        if kind in r.profiles:
            L += [r.profiles[kind], ""]
    return "\n".join(L)


def render_curve(r: BenchResult) -> List[str]:
    if not r.curve:
        return []
    L = [
        "| conversations at a time (REST) | p50 / p95 / p99, ms | messages/s | failed |",
        "|---|---|---|---|",
    ]
    for conc, x in r.curve.items():
        L.append(
            f"| {conc} | {x.p50_ms:.0f} / {x.p95_ms:.0f} / {x.p99_ms:.0f} | {x.throughput:.1f} | {x.errors} |"
        )
    L.append("")
    if r.curve_image:
        L += [f"![Latency against concurrency, {r.date}]({r.curve_image})", ""]
    return L


def overload_summary(o: Overload) -> Dict[str, Any]:
    """What the section says of the overload check (tools/load.py)."""
    return {
        "sustainable": o.sustainable_rate,
        "stages": [(st.rate, st.seconds) for st in o.stages],
        "conversations": o.n_conversations,
        "checks": o.checks,
        "notes": o.notes,
        "windows": [asdict(w) for w in windows(o.sent)],
        "drained_s": o.drained_s,
        "recovery_p95_ms": o.recovery_p95_ms,
        "baseline_p95_ms": o.baseline_p95_ms,
    }


def render_overload(o: Dict[str, Any]) -> List[str]:
    ((over, over_s),) = o["stages"]
    L = [
        f"Overload: messages due at {over:.1f}/s (twice the {o['sustainable']:.1f}/s measured at 16 "
        f"conversations) for {over_s:.0f} s, over {o['conversations']} conversations that each wait for "
        "their answer before sending their next message; then one conversation alone. "
        + "; ".join(o["notes"])
        + ".",
        "",
        "| check | result |",
        "|---|---|",
    ]
    L += [f"| {name} | {'yes' if ok else '**no**'} |" for name, ok in o["checks"].items()]
    L += ["", "| sent at (s) | messages | p50 / p95 / max, ms |", "|---|---|---|"]
    L += [
        f"| {w['start_s']:.0f} | {w['sent']} | {w['p50_ms']:.0f} / {w['p95_ms']:.0f} / {w['max_ms']:.0f} |"
        for w in o["windows"]
    ]
    return L + [""]


def faq_edit_row(e: FaqEdit) -> str:
    """The table row of an FAQ answer edit."""
    ok = e.served_s is not None and e.served_s <= TARGET_RETRAIN_S
    return (
        f"| one FAQ answer changed in `content/faq/` (`{e.topic}`), served by the running action "
        f"server after (no training) | {fmt_short(e.served_s)} | ≤ 60 s: {verdict(ok)} |"
    )


def append_section(doc: Path, section: str) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else DOC_INTRO
    doc.write_text(text.rstrip() + "\n\n" + section.rstrip() + "\n", encoding="utf-8")


# ------------------------------------------------------------------------- measuring


def held_out_messages() -> List[str]:
    """The texts of the held-out set (entity annotations removed), as Rasa reads them."""
    from rasa.shared.importers.importer import TrainingDataImporter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        td = TrainingDataImporter.load_from_dict(
            training_data_paths=[str(ROOT / "tests" / "nlu")]
        ).get_nlu_data()
    return [m.get("text") for m in td.nlu_examples if m.get("text")]


@dataclass
class ServerRun:
    runs: Dict[str, PhaseRun]  # rest-1, parse-1, rest-many, parse-many
    curve: Dict[int, PhaseRun]  # REST latency at 1, 4, 16, 32 conversations at a time
    overload: Optional[Overload]
    rasa_rss_mib: float
    actions_rss_mib: float
    profiles: Dict[str, str] = field(default_factory=dict)  # "rasa"/"actions": Markdown, or why not


def phase(base: str, kind: str, conversations: List[List[str]], conc: int, name: str, token: str) -> PhaseRun:
    print(f"==> {name}: {sum(map(len, conversations))} messages, {conc} at a time", flush=True)
    run = asyncio.run(run_phase(base, kind, conversations, conc, f"bench-{name}", token))
    print(f"    {len(run.latencies_s)} ok, {run.errors} failed, {run.wall_s:.1f} s", flush=True)
    return run


def measure_overload(
    base: str,
    messages: List[str],
    sustainable: float,
    baseline_p95_ms: float,
    seconds: float,
    token: str,
    probe: List[str],
) -> Overload:
    """Messages due at twice the sustainable rate for `seconds`; then `probe`, one conversation
    alone, for the latency after it (tools/load.py)."""
    stages = [Stage(2 * sustainable, seconds)]
    n_conv = 64
    print(
        f"==> overload: {2 * sustainable:.1f} msg/s due for {seconds:.0f} s, {n_conv} conversations, "
        "then one conversation alone",
        flush=True,
    )
    sent = asyncio.run(open_loop(base, messages, stages, n_conv, "bench-overload", token))
    after = asyncio.run(run_phase(base, "rest", [probe], 1, "bench-after-overload", token))
    senders = sorted({s.conversation for s in sent})
    kept = asyncio.run(user_messages_kept(base, senders, token))
    recovery = (
        latency_stats(after.latencies_s, after.wall_s, after.errors).p95_ms
        if after.latencies_s
        else float("nan")
    )
    o = overload_verdict(Overload(sustainable, stages, n_conv, sent, kept, baseline_p95_ms, recovery))
    print("    " + "; ".join(o.notes), flush=True)
    return o


def measure_servers(
    conversations: List[List[str]],
    logdir: Path,
    curve: Sequence[int] = (1, 4, 16, 32),
    overload_s: float = 60.0,
    profile_s: float = 0.0,
) -> ServerRun:
    import jwt

    from tools import stack

    secret = secrets.token_hex(32)
    token = jwt.encode({"user": {"username": "bench", "role": "admin"}}, secret, algorithm="HS256")
    procs: List[stack.Proc] = []
    try:
        actions, aport = stack.start_action_server(logdir)
        procs.append(actions)
        rasa, rport = stack.start_rasa_server(
            logdir, aport, extra_args=["--enable-api", "--jwt-secret", secret, "--jwt-method", "HS256"]
        )
        procs.append(rasa)
        base = f"http://127.0.0.1:{rport}"
        warm = [[m] for c in conversations[:2] for m in c[:5]]
        asyncio.run(run_phase(base, "rest", warm, 4, "warmup", token))
        asyncio.run(run_phase(base, "parse", warm, 4, "warmup", token))
        n = len(conversations)
        runs: Dict[str, PhaseRun] = {}
        for name, kind, conc in (
            ("rest-1", "rest", 1),
            ("parse-1", "parse", 1),
            ("rest-many", "rest", n),
            ("parse-many", "parse", n),
        ):
            runs[name] = phase(base, kind, conversations, conc, name, token)
        # The curve: the same messages, at more and fewer conversations at a time (more
        # conversations than there are: the messages split into that many).
        messages = [m for c in conversations for m in c]
        by_conc: Dict[int, PhaseRun] = {1: runs["rest-1"], n: runs["rest-many"]}
        for conc in curve:
            if conc not in by_conc:
                convs = (
                    conversations if conc <= n else split_conversations(messages, conc, len(messages) // conc)
                )
                by_conc[conc] = phase(base, "rest", convs, conc, f"rest-{conc}", token)
        profiles: Dict[str, str] = {}
        if profile_s > 0:
            pids = {"rasa": rasa.popen.pid, "actions": actions.popen.pid}
            profiles = measure_profiles(base, conversations, token, pids, profile_s, logdir)
        overload = None
        if overload_s > 0:
            sustainable = latency_stats(runs["rest-many"].latencies_s, runs["rest-many"].wall_s).throughput
            baseline = latency_stats(runs["rest-1"].latencies_s, runs["rest-1"].wall_s).p95_ms
            overload = measure_overload(
                base, messages, sustainable, baseline, overload_s, token, conversations[0]
            )
        rasa_rss = machine.tree_rss_mib(rasa.popen.pid)
        actions_rss = machine.tree_rss_mib(actions.popen.pid)
        return ServerRun(runs, dict(sorted(by_conc.items())), overload, rasa_rss, actions_rss, profiles)
    finally:
        for p in reversed(procs):
            p.stop()


def measure_profiles(
    base: str,
    conversations: List[List[str]],
    token: str,
    pids: Dict[str, int],
    seconds: float,
    logdir: Path,
) -> Dict[str, str]:
    """py-spy on both servers (tools/profile.py) while the conversations run together again,
    as long as `seconds` (the load is sent again if it ends sooner)."""
    from tools import profile

    recordings = {
        kind: profile.start(pid, seconds, logdir / f"profile-{kind}.txt") for kind, pid in pids.items()
    }
    n = len(conversations)
    deadline = time.monotonic() + seconds
    print(f"==> profile: py-spy on both servers for {seconds:.0f} s, {n} conversations at a time", flush=True)
    while time.monotonic() < deadline:
        asyncio.run(run_phase(base, "rest", conversations, n, "bench-profile", token))
    out: Dict[str, str] = {}
    for kind, rec in recordings.items():
        reason = profile.finish(rec)
        if reason:
            out[kind] = f"No profile of the {kind} server: {reason}."
            continue
        text = (logdir / f"profile-{kind}.txt").read_text(encoding="utf-8")
        rows = profile.breakdown(text, profile.RULES[kind])
        title = {"rasa": "the Rasa server", "actions": "the action server"}[kind]
        heading = f"Where {title}'s CPU time goes ({n} conversations at a time, py-spy)"
        out[kind] = profile.render(rows, heading, idle=profile.idle_samples(text))
    return out


def copy_project(dest: Path) -> None:
    ignore = shutil.ignore_patterns(
        Path(settings.get("VENV")).name,
        ".git",
        Path(settings.get("MODEL")).parent.name,
        Path(settings.get("RESULTS_DIR")).name,
        "var",
        ".rasa",
        "node_modules",
        "__pycache__",
        ".pytest_cache",
        "*.db",
        "*.log",
    )
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)


def domain_file_with_responses(project: Path) -> Path:
    """The first file of the domain of `project` (a copy of this one) with a response text."""
    for f in settings.domain_files(project):
        try:
            first_response(f, exclude_prefix="utter_faq")
            return f
        except ValueError:
            continue
    raise ValueError(f"no response with a text in the domain of {project}")


def timed(args: List[str], cwd: Path, log: Path) -> Tuple[int, float]:
    env = dict(os.environ, **settings.PROCESS_ENV)
    env.pop("RASA_CACHE_DIRECTORY", None)  # the cache is .rasa/cache of `cwd`
    t0 = time.monotonic()
    with open(log, "ab") as fh:
        fh.write(f"\n$ {' '.join(args)}\n".encode())
        fh.flush()
        rc = subprocess.call(args, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT)
    return rc, time.monotonic() - t0


def measure_training(log: Path) -> TrainTimes:
    t = TrainTimes()
    with tempfile.TemporaryDirectory(prefix="ald-bench-train-") as tmp:
        proj = Path(tmp) / "project"
        copy_project(proj)
        train = [
            str(settings.path("RASA_BIN")),
            "train",
            "--domain",
            settings.get("DOMAIN"),
            "--config",
            settings.get("CONFIG"),
            "--data",
            settings.get("DATA"),
            "--out",
            "models",
            "--fixed-model-name",
            "bench",
            "--quiet",
        ]
        print("==> training from scratch (rasa train --force)", flush=True)
        rc, dt = timed(train + ["--force"], proj, log)
        if rc != 0:
            t.notes.append(f"training from scratch failed (exit {rc}, log {log.relative_to(ROOT)})")
            return t
        t.scratch_s = dt
        t.model_bytes = (proj / "models" / "bench.tar.gz").stat().st_size

        domain_file = domain_file_with_responses(proj)
        t.domain_response = first_response(domain_file, exclude_prefix="utter_faq")
        prepend_to_response(domain_file, t.domain_response, "Bien sûr. ")
        print(f"==> retraining after changing {t.domain_response} in {domain_file.name}", flush=True)
        rc, dt = timed(train, proj, log)
        t.domain_edit_s = dt if rc == 0 else None

    return t


def action_call(action: str, topic: str) -> Dict[str, Any]:
    """What Rasa posts to the action server's webhook to run `action` after a message whose
    FAQ topic is `topic`."""
    import rasa_sdk

    picked = {"faq": {"response": {"intent_response_key": f"faq/{topic}"}, "ranking": []}}
    return {
        "next_action": action,
        "sender_id": "bench-faq-edit",
        "version": rasa_sdk.__version__,
        "domain": {},
        "tracker": {
            "sender_id": "bench-faq-edit",
            "slots": {},
            "latest_message": {
                "text": "?",
                "intent": {"name": "faq"},
                "entities": [],
                "response_selector": picked,
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def answer_text(url: str, body: Dict[str, Any]) -> str:
    """The text of the first message the action server returns for `body`."""
    import urllib.request

    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.load(response)["responses"][0].get("text") or "")


def measure_faq_edit(logdir: Path, topic: str = "exonerante_ou_non", prefix: str = "Bien sûr. ") -> FaqEdit:
    """Step 4: an FAQ answer edited in a copy of content/faq/ read by a running action server."""
    from ald import faq_answers
    from tools import stack

    result = FaqEdit(topic)
    with tempfile.TemporaryDirectory(prefix="ald-bench-faq-") as tmp:
        folder = Path(tmp) / "faq"
        shutil.copytree(faq_answers.DEFAULT_DIR, folder)
        path = next(
            p
            for p in sorted(folder.glob("*.yml"))
            if topic in (yaml.safe_load(p.read_text("utf-8"))["answers"])
        )
        proc, port = stack.start_action_server(logdir, env={"ALD_FAQ_ANSWERS": str(folder)})
        try:
            url, body = f"http://127.0.0.1:{port}/webhook", action_call("action_faq", topic)
            before = answer_text(url, body)
            if before.startswith(prefix) or not before:
                result.note = f"FAQ answer edit: unexpected answer before the edit ({before[:40]!r})"
                return result
            print(
                f"==> changing the FAQ answer {topic} in {path.name} (a copy read by the action server)",
                flush=True,
            )
            prepend_to_answer(path, topic, prefix)
            t0 = time.monotonic()
            while time.monotonic() - t0 <= TARGET_RETRAIN_S:
                result.requests += 1
                if answer_text(url, body).startswith(prefix):
                    result.served_s = time.monotonic() - t0
                    break
                time.sleep(0.05)
            else:
                result.note = f"FAQ answer edit: still the old text after {TARGET_RETRAIN_S:.0f} s"
        finally:
            proc.stop()
    print(f"    served after {fmt_short(result.served_s)} ({result.requests} request(s))", flush=True)
    return result


def plot(runs: Dict[str, PhaseRun], n: int, path: Path, title: str) -> None:
    """Empirical distribution (ECDF) of the latencies, 1 vs n concurrent conversations."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, conc, key in zip(axes, (1, n), ("1", "many"), strict=False):
        for kind, label, colour in (
            ("rest", "REST channel (end to end)", "tab:blue"),
            ("parse", "NLU alone (/model/parse)", "tab:orange"),
        ):
            ms = np.sort(np.asarray(runs[f"{kind}-{key}"].latencies_s) * 1000)
            if ms.size:
                ax.step(ms, np.arange(1, ms.size + 1) / ms.size, where="post", label=label, color=colour)
                p95 = np.percentile(ms, 95)
                ax.axvline(p95, color=colour, ls=":", lw=1)
                ax.annotate(
                    f"p95 {p95:.0f} ms",
                    (p95, 0.05 if kind == "rest" else 0.15),
                    color=colour,
                    fontsize=8,
                    xytext=(3, 0),
                    textcoords="offset points",
                )
        ax.axvline(TARGET_P95_MS_16, color="red", ls="--", lw=1, label="target p95 300 ms")
        ax.set_xscale("log")
        ax.set_xlabel("latency (ms, log scale)")
        ax.set_title(f"{conc} conversation{'s' if conc > 1 else ''} at a time")
        ax.grid(alpha=0.3, which="both")
    axes[0].set_ylabel("share of messages answered within")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_curve(curve: Dict[int, LatencyStats], overload: Optional[Overload], path: Path, title: str) -> None:
    """p50/p95 against conversations at a time; and the overload's latency over time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2 if overload else 1, figsize=(11 if overload else 6, 4.2), squeeze=False)
    ax = axes[0][0]
    conc = list(curve)
    for attr, label, style in (("p50_ms", "p50", "o-"), ("p95_ms", "p95", "s-"), ("p99_ms", "p99", "^:")):
        ax.plot(conc, [getattr(curve[c], attr) for c in conc], style, label=label)
    ax.axhline(TARGET_P95_MS_16, color="red", ls="--", lw=1, label="target p95 300 ms")
    ax.set_xscale("log", base=2)
    ax.set_xticks(conc, [str(c) for c in conc])
    ax.set_yscale("log")
    ax.set_xlabel("conversations at a time")
    ax.set_ylabel("latency (ms, log scale)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    ax.set_title("closed loop (each waits for its answer)")
    if overload:
        ax2 = axes[0][1]
        xs = [s.sent_s for s in overload.sent if s.latency_s is not None]
        ys = [s.latency_s * 1000 for s in overload.sent if s.latency_s is not None]
        ax2.plot(xs, ys, ".", ms=2, alpha=0.5)
        ax2.axvline(overload.stages[0].seconds, color="grey", ls=":", lw=1)
        ax2.set_yscale("log")
        ax2.set_xlabel("sent at (s from the start)")
        ax2.set_title(
            f"overload: {overload.stages[0].rate:.0f} msg/s due for {overload.stages[0].seconds:.0f} s"
        )
        ax2.grid(alpha=0.3, which="both")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conversations", type=int, default=16)
    ap.add_argument("--per-conversation", type=int, default=20)
    ap.add_argument("--no-train", action="store_true", help="skip the training times")
    ap.add_argument("--no-doc", action="store_true", help="do not append to docs/benchmarks.md")
    ap.add_argument("--no-overload", action="store_true", help="skip the overload check")
    ap.add_argument("--overload-seconds", type=float, default=60.0)
    ap.add_argument(
        "--profile-seconds",
        type=float,
        default=20.0,
        help="py-spy on both servers under load (0: no profile)",
    )
    ap.add_argument(
        "--faq-edit-only", action="store_true", help="only time an FAQ answer edit (printed, not appended)"
    )
    a = ap.parse_args()
    if a.faq_edit_only:
        stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
        edit = measure_faq_edit(RESULTS / f"logs-{stamp}")
        print(faq_edit_row(edit))
        if edit.note:
            print(f"Note: {edit.note}")
        return 0 if edit.served_s is not None else 1
    model = settings.path("MODEL")
    if not model.exists():
        print(f"ERROR: {model} is missing: run `make train` first.", file=sys.stderr)
        return 1

    started = datetime.now().astimezone()
    stamp = started.strftime("%Y%m%d-%H%M%S")
    commit = machine.git_commit(ROOT)
    RESULTS.mkdir(parents=True, exist_ok=True)
    logdir = RESULTS / f"logs-{stamp}"
    load_before = machine.load_average()

    conversations = split_conversations(held_out_messages(), a.conversations, a.per_conversation)
    served = measure_servers(
        conversations,
        logdir,
        overload_s=0 if a.no_overload else a.overload_seconds,
        profile_s=a.profile_seconds,
    )
    runs, rasa_rss, actions_rss = served.runs, served.rasa_rss_mib, served.actions_rss_mib
    n = a.conversations
    stats = {k: latency_stats(v.latencies_s, v.wall_s, v.errors) for k, v in runs.items()}
    curve = {c: latency_stats(v.latencies_s, v.wall_s, v.errors) for c, v in served.curve.items()}
    for k, v in stats.items():
        print(
            f"    {k}: p50 {v.p50_ms:.0f} ms, p95 {v.p95_ms:.0f} ms, p99 {v.p99_ms:.0f} ms, "
            f"{v.throughput:.1f} msg/s, {v.errors} failed"
        )
    print(f"    memory: rasa {rasa_rss:.0f} MiB, actions {actions_rss:.0f} MiB")
    faq_edit = measure_faq_edit(logdir)
    train = None if a.no_train else measure_training(logdir / "train.log")
    load_after = machine.load_average()

    date = started.strftime("%Y-%m-%d %H:%M %Z")
    image = curve_image = None
    if not a.no_doc:
        name = f"latency-{stamp}-{commit.split()[0]}.png"
        plot(runs, n, IMG / name, f"Latency of {n * a.per_conversation} messages, {date}, commit {commit}")
        image = f"img/benchmarks/{name}"
        cname = f"concurrency-{stamp}-{commit.split()[0]}.png"
        plot_curve(curve, served.overload, IMG / cname, f"REST latency, {date}, commit {commit}")
        curve_image = f"img/benchmarks/{cname}"
    result = BenchResult(
        date=date,
        commit=commit,
        machine=machine.describe(),
        load=machine.load_note(load_before, load_after),
        n_conv=n,
        per_conv=a.per_conversation,
        stats=stats,
        rasa_rss_mib=rasa_rss,
        actions_rss_mib=actions_rss,
        real_model_bytes=model.stat().st_size,
        train=train,
        image=image,
        faq_edit=faq_edit,
        curve=curve,
        curve_image=curve_image,
        overload=overload_summary(served.overload) if served.overload else None,
        profiles=served.profiles,
    )
    (RESULTS / f"bench-{stamp}.json").write_text(
        json.dumps(
            {
                "result": asdict(result),
                "latencies_s": {k: v.latencies_s for k, v in runs.items()},
                "curve_latencies_s": {c: v.latencies_s for c, v in served.curve.items()},
                "overload": [asdict(x) for x in served.overload.sent] if served.overload else None,
            },
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    section = render_section(result)
    print(section)
    if not a.no_doc:
        append_section(DOC, section)
        print(f"==> appended to {DOC.relative_to(ROOT)}; plot {IMG.relative_to(ROOT)}/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
