"""Where the time goes: samples a running Rasa server or action server with py-spy and splits
the samples into the parts of the assistant (NLU components one by one, each policy, tracker
store, action server round trip, response check, date parsing...). Used by `make bench`.

What py-spy measures: it reads the Python stacks of the process from outside (ptrace) `rate`
times a second and, by default, keeps only the threads that are running (not waiting on a
lock, a socket or a sleep). So a share here is a share of the process's CPU time, not of a
message's wall-clock latency: while the Rasa server awaits the action server it is idle and
takes no samples; that time shows up in the action server's own profile (`--kind actions`).
The samples are not paused for (`--nonblocking`), so the server runs at full speed and a stack
may now and then be read half-changed; at 100 Hz over tens of seconds this does not matter.

How a sample is given to a row (`breakdown`): its stack is walked from the leaf (the function
running) towards the root, and the first frame that a rule matches gives the row; frames of
libraries that no rule names (spaCy, thinc, TensorFlow, scikit-learn, numpy, asyncio...) are
passed over, so their time goes to the component that called them. Each sample counts once:
the shares add up to 100 %. Samples that no frame matches are in "other (event loop, HTTP,
Python)". A rule is `(label, regex)`, searched in each frame string, which py-spy writes as
`function (path/to/file.py:line)`: the function's bare name on Python 3.10 (its class only on
3.11+), and a path shortened to its package part (`rasa/core/tracker_store.py`,
`components/guard.py`), absolute with `--full-filenames`; rules accept both. A label with `{}`
gets the rule's first regex group (one row per `actions/<module>.py`). Two classes that share a
file and method names (InputGuard and ConfidenceGate in components/guard.py, RemoteAction among
Rasa's actions) are told apart by the line numbers of their class, read from the source.

`py-spy` must be able to attach: root, or CAP_SYS_PTRACE, and a kernel.yama.ptrace_scope that
allows it. When it cannot (or is not installed, or the process is gone), `record` and `finish`
return a one-line reason and the bench goes on without the profile.

By hand: `python -m tools.profile --pid N --seconds 20 --kind rasa` prints the table.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Dict, Iterable, List, NamedTuple, Optional, Pattern, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]

OTHER = "other (event loop, HTTP, Python)"

#: (row label, regex searched in each frame string). A `{}` in the label takes group 1.
Rule = Tuple[str, str]


class Row(NamedTuple):
    category: str
    samples: int
    share: float  # % of all samples


# ----------------------------------------------------------------------------------- rules


def _frame(paths: Sequence[str], functions: Optional[Sequence[str]] = None, lines: str = r"\d+") -> str:
    """A regex for frames of these files (regexes, relative to site-packages or the project
    root), optionally only these functions (bare names; a `Class.` prefix is allowed) and
    these line numbers."""
    fn = r"[^ ]+" if functions is None else r"(?:[\w<>]+\.)*(?:" + "|".join(functions) + ")"
    where = "|".join(paths)
    return rf"^{fn} \((?:[^()]*/)?(?:{where}):(?:{lines})\)$"


def _lines_regex(first: int, last: int) -> str:
    return "|".join(str(n) for n in range(first, last + 1))


@cache
def _class_lines(path: str, class_name: str) -> Optional[Tuple[int, int]]:
    """First and last line of a class in a source file, or None (file or class not found)."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name and node.end_lineno:
            return node.lineno, node.end_lineno
    return None


def _site_file(relative: str) -> Optional[str]:
    """Where an installed package's file is, without importing the package."""
    top = relative.split("/", 1)[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(list(spec.submodule_search_locations)[0]).parent / relative)


def _method_rule(
    label: str, path_regex: str, source: Optional[str], class_name: str, functions: List[str]
) -> Rule:
    """Frames of `functions` in the file, or of any function inside `class_name`'s lines there
    (read from `source`), or qualified `class_name.<method>` (Python 3.11+)."""
    alternatives = [_frame([path_regex], functions), _frame([path_regex], [rf"{class_name}\.\w+"])]
    span = _class_lines(source, class_name) if source else None
    if span:
        alternatives.append(_frame([path_regex], lines=_lines_regex(*span)))
    return label, "|".join(f"(?:{a})" for a in alternatives)


_GUARD = str(ROOT / "components" / "guard.py")
_SPEEDUPS = str(ROOT / "components" / "speedups.py")  # the response check built once
_ACTION = _site_file("rasa/core/actions/action.py")

RASA_RULES: List[Rule] = [
    # NLU pipeline (config.yml), in pipeline order.
    _method_rule(
        "NLU: InputGuard", r"components/guard\.py", _GUARD, "InputGuard", ["guard_text", "max_chars", "limit"]
    ),
    (
        "NLU: FrenchTokenizer (spaCy's rules)",
        _frame([r"components/tokenizer\.py", r"rasa/nlu/tokenizers/tokenizer\.py"]),
    ),
    ("NLU: RegexFeaturizer", _frame([r"rasa/nlu/featurizers/sparse_featurizer/regex_featurizer\.py"])),
    ("NLU: SentenceEncoderFeaturizer (USE)", _frame([r"components/sentence_encoder\.py"])),
    ("NLU: CRFEntityExtractor (entities)", _frame([r"rasa/nlu/extractors/crf_entity_extractor\.py"])),
    ("NLU: FaqSelector", _frame([r"components/faq_selector\.py", r"components/answer_model\.py"])),
    ("NLU: FrenchDateExtractor (dateparser)", _frame([r"components/dates\.py"])),
    ("NLU: EntitySynonymMapper", _frame([r"rasa/nlu/extractors/entity_synonyms\.py"])),
    ("NLU: FallbackClassifier", _frame([r"rasa/nlu/classifiers/fallback_classifier\.py"])),
    _method_rule(
        "NLU: ConfidenceGate",
        r"components/guard\.py",
        _GUARD,
        "ConfidenceGate",
        ["_decide", "_answer", "_force_intent", "faq_margin"],
    ),
    # Policies. RulePolicy inherits MemoizationPolicy's helpers (memoization.py): only
    # MemoizationPolicy's own entry point names it, the helpers go to whichever policy called.
    (
        "policy: MemoizationPolicy",
        _frame([r"rasa/core/policies/memoization\.py"], ["predict_action_probabilities"]),
    ),
    ("policy: RulePolicy", _frame([r"rasa/core/policies/rule_policy\.py"])),
    ("policy: TEDPolicy", _frame([r"rasa/core/policies/ted_policy\.py"])),
    ("policy ensemble (choosing the prediction)", _frame([r"rasa/core/policies/ensemble\.py"])),
    # Custom actions, seen from the Rasa server (the action server's own work is in its profile).
    (
        "action response check (jsonschema)",
        "|".join(
            [
                _frame([r"components/action_response\.py"]),
                _method_rule(
                    "",
                    r"components/speedups\.py",
                    _SPEEDUPS,
                    "ResponseChecker",
                    ["checker", "_validate_action_result"],
                )[1],
                _frame(
                    [r"rasa/core/actions/action\.py"],
                    ["_validate_action_result", "action_response_format_spec"],
                ),
                _frame([r"jsonschema/[\w/]+\.py", r"referencing/[\w/]+\.py", r"pyrsistent/[\w/]+\.py"]),
            ]
        ),
    ),
    (
        "JSON of trackers and events (action server requests, tracker store rows)",
        "|".join(
            [
                _frame(
                    [r"rasa/shared/core/events\.py"],
                    [
                        "as_dict",
                        "from_parameters",
                        "_from_parameters",
                        "deserialise_events",
                        "deserialise_entities",
                        "resolve_by_type",
                        "_from_parse_data",
                        "remove_parse_data",
                    ],
                ),
                _frame(
                    [r"rasa/shared/core/trackers\.py"],
                    ["current_state", "_events_for_verbosity", "_latest_message_data"],
                ),
                _frame([r"json/\w+\.py"]),
                _frame([r"rasa/shared/utils/io\.py"], ["json_to_string", "read_json_file"]),
            ]
        ),
    ),
    (
        "tracker copies and event replay",
        "|".join(
            [
                _frame(
                    [r"rasa/shared/core/trackers\.py"],
                    [
                        "from_dict",
                        "from_events",
                        "update",
                        "update_with_events",
                        "replay_events",
                        "recreate_from_dialogue",
                        "copy",
                        "travel_back_in_time",
                        "init_copy",
                        "_reset",
                        "_reset_slots",
                    ],
                ),
                _frame([r"rasa/shared/core/events\.py"], ["apply_to"]),
                _frame([r"copy\.py"]),
            ]
        ),
    ),
    _method_rule(
        "action server call (request, aiohttp)",
        r"rasa/core/actions/action\.py",
        _ACTION,
        "RemoteAction",
        ["_action_call_format", "_is_selective_domain_enabled"],
    ),
    (
        "action server call (request, aiohttp)",
        "|".join(
            [
                _frame([r"rasa/utils/endpoints\.py"]),
                _frame(
                    [
                        r"aiohttp/[\w/]+\.py",
                        r"aiohttp_retry/[\w/]+\.py",
                        r"yarl/[\w/]+\.py",
                        r"multidict/[\w/]+\.py",
                    ]
                ),
                _frame([r"components/resilience\.py"], ["_remote_run"]),
            ]
        ),
    ),
    ("bot responses (NLG templates)", _frame([r"rasa/core/nlg/[\w/]+\.py"])),
    ("Rasa built-in actions and forms", _frame([r"rasa/core/actions/[\w/]+\.py"])),
    # Storage.
    (
        "tracker store (SQLAlchemy, SQLite / PostgreSQL)",
        "|".join(
            [
                _frame([r"rasa/core/tracker_store\.py", r"components/tracker_store\.py"]),
                _frame([r"sqlalchemy/[\w/]+\.py", r"sqlite3/\w+\.py", r"psycopg2/\w+\.py"]),
                _frame([r"components/resilience\.py"], ["_save_tracker"]),
            ]
        ),
    ),
    (
        "lock store",
        _frame([r"rasa/core/lock_store\.py", r"components/lock_store\.py", r"redis/[\w/]+\.py"]),
    ),
    # Glue.
    ("logging", _frame([r"logging/\w+\.py", r"structlog/[\w/]+\.py"])),
    ("graph runner (rasa/engine/)", _frame([r"rasa/engine/[\w/]+\.py"])),
    (
        "message processing (rasa/core/processor.py, agent.py)",
        _frame([r"rasa/core/processor\.py", r"rasa/core/agent\.py"]),
    ),
    (
        "HTTP server (Sanic, channels)",
        _frame(
            [
                r"sanic/[\w/]+\.py",
                r"sanic_\w+/[\w/]+\.py",
                r"rasa/core/channels/[\w/]+\.py",
                r"rasa/server\.py",
            ]
        ),
    ),
]

ACTIONS_RULES: List[Rule] = [
    (
        "date parsing (dateparser, ald/dates.py)",
        _frame([r"dateparser\w*/[\w/]+\.py", r"dateutil/[\w/]+\.py", r"ald/dates\.py"]),
    ),
    ("date formatting (babel)", _frame([r"babel/[\w/]+\.py"])),
    (
        "content loading (ald/content.py, YAML)",
        _frame([r"ald/content\.py", r"yaml/\w+\.py", r"ruamel/[\w/]+\.py"]),
    ),
    (
        "tracker and events (de)serialisation (rasa_sdk, JSON)",
        _frame([r"rasa_sdk/interfaces\.py", r"rasa_sdk/events\.py", r"json/\w+\.py", r"copy\.py"]),
    ),
    # One row per module of actions/ (the functions of ald/ they call are counted with them).
    ("actions/{}.py", r"^[^ ]+ \((?:[^()]*/)?(?<!rasa/core/)actions/(\w+)\.py:\d+\)$"),
    (
        "rasa_sdk executor and forms",
        _frame([r"rasa_sdk/executor\.py", r"rasa_sdk/forms\.py", r"rasa_sdk/utils\.py"]),
    ),
    ("logging", _frame([r"logging/\w+\.py", r"structlog/[\w/]+\.py"])),
    (
        "HTTP server (Sanic, rasa_sdk endpoint)",
        _frame([r"sanic/[\w/]+\.py", r"sanic_\w+/[\w/]+\.py", r"rasa_sdk/endpoint\.py"]),
    ),
]

RULES: Dict[str, List[Rule]] = {"rasa": RASA_RULES, "actions": ACTIONS_RULES}

# ------------------------------------------------------------------------------- breakdown

_NOT_CODE = re.compile(r"^(?:process \d+:|thread \()")  # py-spy's --subprocesses / --threads frames


#: A leaf frame where a server only waits for work: the event loop's poll (uvloop's loop runs in C,
#: so its last Python frame is the code that started it). py-spy's own test of whether a thread
#: is idle misses these with --nonblocking, so they are left out here.
IDLE = re.compile(
    r"^(?:serve \(\S*sanic/server/runners\.py|run_forever \(|_run_once \(|select \(\S*selectors\.py"
    r"|poll \(\S*selectors\.py|wait \(\S*threading\.py)"
)


def is_idle(frames: Sequence[str]) -> bool:
    return bool(frames) and bool(IDLE.match(frames[-1]))


def idle_samples(collapsed_text: str) -> int:
    """Samples of a server waiting for work (left out of `breakdown`)."""
    return sum(count for frames, count in parse_collapsed(collapsed_text) if is_idle(frames))


def _compiled(rules: Sequence[Rule]) -> List[Tuple[str, Pattern[str]]]:
    return [(label, re.compile(regex)) for label, regex in rules]


def _category(
    frames: List[str], rules: List[Tuple[str, Pattern[str]]], cache: Dict[str, Optional[str]]
) -> str:
    for frame in reversed(frames):
        if frame not in cache:
            cache[frame] = None
            if not _NOT_CODE.match(frame):
                for label, rx in rules:
                    m = rx.search(frame)
                    if m:
                        group = next((g for g in m.groups() if g), "")
                        cache[frame] = label.replace("{}", group) if "{}" in label else label
                        break
        found = cache[frame]
        if found:
            return found
    return OTHER


def parse_collapsed(collapsed_text: str) -> Iterable[Tuple[List[str], int]]:
    """(frames root first, count) of each line `frame;frame;...;frame COUNT`. A command line
    with newlines in it (`python -c "..."`, in py-spy's `process N:"..."` frame) spans several
    lines: they are joined until one ends with a count."""
    pending: List[str] = []
    for line in collapsed_text.splitlines():
        pending.append(line)
        stack, _, count = "\n".join(pending).strip().rpartition(" ")
        if count.isdigit():
            pending = []
            if stack:
                yield stack.split(";"), int(count)


def breakdown(collapsed_text: str, rules: Sequence[Rule]) -> List[Row]:
    """The samples of py-spy's raw (collapsed) output per category of `rules`, largest share
    first."""
    compiled = _compiled(rules)
    cache: Dict[str, Optional[str]] = {}
    counts: Counter[str] = Counter()
    for frames, count in parse_collapsed(collapsed_text):
        if not is_idle(frames):
            counts[_category(frames, compiled, cache)] += count
    total = sum(counts.values())
    rows = [Row(label, n, 100.0 * n / total) for label, n in counts.items() if n]
    return sorted(rows, key=lambda r: (-r.samples, r.category))


def render(rows: Sequence[Row], title: str, rate: int = 100, idle: int = 0) -> str:
    """A Markdown table of the rows and a line with the total of samples (and of the idle ones
    left out)."""
    total = sum(r.samples for r in rows)
    lines = [f"#### {title}", "", "| category | share of CPU samples | samples |", "|---|---:|---:|"]
    for r in rows:
        lines.append(f"| {r.category.replace('|', '/')} | {r.share:.1f} % | {r.samples:,} |")
    lines += [
        "",
        f"{total:,} samples of running threads at {rate} Hz (about {total / rate:,.1f} s of CPU); "
        "idle time is not counted"
        + (f" ({idle:,} samples waiting in the event loop left out)." if idle else "."),
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- record


def py_spy_binary() -> Optional[str]:
    """py-spy on the PATH or beside this Python (the venv's bin/, which may not be on the PATH)."""
    beside = Path(sys.executable).parent / "py-spy"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("py-spy")


@dataclass
class Recording:
    """A py-spy run under way (`start`), or the reason why none could start."""

    out: Path
    seconds: float
    popen: Optional[subprocess.Popen[bytes]] = None
    log: Optional[IO[bytes]] = None
    reason: Optional[str] = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start(pid: int, seconds: float, out: Path, rate: int = 100, binary: Optional[str] = None) -> Recording:
    """Starts py-spy on `pid` and its children for `seconds` in the background, writing the
    raw (collapsed stacks) profile to `out`; `finish` waits for it. Never raises for a profile
    that cannot be taken: the reason is kept for `finish`."""
    out = Path(out)
    rec = Recording(out=out, seconds=seconds)
    exe = binary or py_spy_binary()
    if not exe or not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        rec.reason = "py-spy is not installed (pip install py-spy)"
        return rec
    if not _alive(pid):
        rec.reason = f"process {pid} is not running"
        return rec
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    duration = max(1, int(round(seconds)))
    cmd = [exe, "record", "--pid", str(pid), "--duration", str(duration), "--rate", str(rate)]
    cmd += ["--format", "raw", "--output", str(out), "--subprocesses", "--nonblocking"]
    rec.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish)
    try:
        rec.popen = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=rec.log, stderr=subprocess.STDOUT)
    except OSError as e:
        rec.reason = f"py-spy could not start: {e}"
        rec.log.close()
        rec.log = None
    return rec


def _reason_from(log: str, returncode: int) -> str:
    text = log.lower()
    if "permission denied" in text or "operation not permitted" in text or "ptrace" in text:
        return (
            "py-spy may not attach to the process (ptrace not permitted: needs root or CAP_SYS_PTRACE "
            "and kernel.yama.ptrace_scope <= 1)"
        )
    for line in log.splitlines():
        line = line.strip()
        if line.startswith("Error:"):
            return f"py-spy failed: {line[len('Error:') :].strip()}"
    last = next((line.strip() for line in reversed(log.splitlines()) if line.strip()), "")
    return f"py-spy failed (exit code {returncode}){': ' + last if last else ''}"


def finish(rec: Recording, grace: float = 30.0) -> Optional[str]:
    """Waits for the py-spy run of `start`. None when the profile is in `rec.out`, else a
    one-line reason."""
    if rec.reason or rec.popen is None:
        return rec.reason or "py-spy was not started"
    try:
        rec.popen.wait(timeout=rec.seconds + grace)
    except subprocess.TimeoutExpired:
        rec.popen.kill()
        rec.popen.wait()
        rec.reason = f"py-spy did not finish within {rec.seconds + grace:.0f} s"
    log = ""
    if rec.log is not None:
        rec.log.seek(0)
        log = rec.log.read().decode("utf-8", "replace")
        rec.log.close()
        rec.log = None
    if rec.reason:
        return rec.reason
    if rec.popen.returncode != 0:
        rec.reason = _reason_from(log, rec.popen.returncode)
    elif not rec.out.exists():
        rec.reason = "py-spy wrote no profile (the process may have exited)"
    return rec.reason


def record(
    pid: int, seconds: float, out: Path, rate: int = 100, binary: Optional[str] = None
) -> Optional[str]:
    """Samples `pid` and its children for `seconds` into `out` (py-spy raw format). None on
    success, else a one-line reason (py-spy missing, not permitted, process gone...)."""
    return finish(start(pid, seconds, out, rate=rate, binary=binary))


# ------------------------------------------------------------------------------------- CLI


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pid", type=int, help="process to sample (its children too)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=int, default=100, help="samples per second (default 100)")
    parser.add_argument("--kind", choices=sorted(RULES), default="rasa", help="which rules: rasa or actions")
    parser.add_argument("--input", type=Path, help="read a py-spy raw file instead of sampling")
    parser.add_argument("--output", type=Path, help="keep the raw profile here")
    args = parser.parse_args(argv)
    if args.input is None and args.pid is None:
        parser.error("--pid or --input is needed")
    path = args.input
    if path is None:
        path = (
            args.output or Path(tempfile.mkdtemp(prefix="profile-")) / f"{args.kind}-{int(time.time())}.txt"
        )
        reason = record(args.pid, args.seconds, path, rate=args.rate)
        if reason:
            print(f"no profile: {reason}", file=sys.stderr)
            return 1
    rows = breakdown(path.read_text(encoding="utf-8"), RULES[args.kind])
    title = f"{'Rasa server' if args.kind == 'rasa' else 'action server'} ({path.name})"
    print(render(rows, title, rate=args.rate), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
