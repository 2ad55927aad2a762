"""`make bench`: how fast the assistant answers, trains, and how much memory it holds.

1. Starts its own action server and Rasa server (tools/stack.py) on free ports, the
   Rasa HTTP API enabled with a random JWT secret.
2. Sends messages drawn from the held-out set (tests/nlu) over HTTP with an asyncio client
   (aiohttp): 16 conversations (one sender id each, its messages one after the other), run
   one at a time (1 conversation) and then all together (16 concurrent conversations), on
   the REST channel (end to end: NLU, dialogue, actions, tracker store) and on
   POST /model/parse (NLU alone, JWT in the Authorization header).
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
    return "\n".join(L)


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
class PhaseRun:
    latencies_s: List[float]
    errors: int
    wall_s: float


async def run_phase(
    base: str, kind: str, conversations: List[List[str]], concurrency: int, tag: str, token: str
) -> PhaseRun:
    """Each conversation sends its messages one after the other; at most `concurrency`
    conversations run at the same time."""
    import aiohttp

    latencies: List[float] = []
    errors = 0
    sem = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=120)

    async def one(session: aiohttp.ClientSession, i: int, msgs: List[str]) -> None:
        nonlocal errors
        async with sem:
            for text in msgs:
                if kind == "rest":
                    url, body = f"{base}/webhooks/rest/webhook", {"sender": f"{tag}-{i}", "message": text}
                else:
                    url, body = f"{base}/model/parse", {"text": text}
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


def measure_servers(conversations: List[List[str]], logdir: Path) -> Tuple[Dict[str, PhaseRun], float, float]:
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
        runs: Dict[str, PhaseRun] = {}
        asyncio.run(run_phase(base, "rest", warm, 4, "warmup", token))
        asyncio.run(run_phase(base, "parse", warm, 4, "warmup", token))
        n = len(conversations)
        for name, kind, conc in (
            ("rest-1", "rest", 1),
            ("parse-1", "parse", 1),
            ("rest-many", "rest", n),
            ("parse-many", "parse", n),
        ):
            print(f"==> {name}: {sum(map(len, conversations))} messages, {conc} at a time", flush=True)
            runs[name] = asyncio.run(run_phase(base, kind, conversations, conc, f"bench-{name}", token))
            print(
                f"    {len(runs[name].latencies_s)} ok, {runs[name].errors} failed, "
                f"{runs[name].wall_s:.1f} s",
                flush=True,
            )
        rasa_rss = machine.tree_rss_mib(rasa.popen.pid)
        actions_rss = machine.tree_rss_mib(actions.popen.pid)
        return runs, rasa_rss, actions_rss
    finally:
        for p in reversed(procs):
            p.stop()


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conversations", type=int, default=16)
    ap.add_argument("--per-conversation", type=int, default=20)
    ap.add_argument("--no-train", action="store_true", help="skip the training times")
    ap.add_argument("--no-doc", action="store_true", help="do not append to docs/benchmarks.md")
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
    runs, rasa_rss, actions_rss = measure_servers(conversations, logdir)
    n = a.conversations
    stats = {k: latency_stats(v.latencies_s, v.wall_s, v.errors) for k, v in runs.items()}
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
    image = None
    if not a.no_doc:
        name = f"latency-{stamp}-{commit.split()[0]}.png"
        plot(runs, n, IMG / name, f"Latency of {n * a.per_conversation} messages, {date}, commit {commit}")
        image = f"img/benchmarks/{name}"
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
    )
    (RESULTS / f"bench-{stamp}.json").write_text(
        json.dumps(
            {"result": asdict(result), "latencies_s": {k: v.latencies_s for k, v in runs.items()}},
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
