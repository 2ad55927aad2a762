"""The multi-turn evaluation: scripted conversations sent to a running assistant over Rasa's
REST channel, each bot reply checked for its meaning, scored per conversation and per turn.

    python -m tools.multiturn --url http://127.0.0.1:5005 [--set dev|heldout|all] [--json out.json]

The conversations are in tests/conversations/ (dev.yml may be read while working on the
assistant; heldout.yml must never be tuned on). Each file:

    today: 2026-12-02            # the date every check was computed with (ALD_TODAY of the servers)
    conversations:
    - id: parkinson-direct       # unique over both files
      about: why it is there     # optional
      turns:                     # 2 to 5 user turns, sent in order in one conversation
      - text: "maladie de parkinson : ald ou pas ?"
        all: ['parkinson', 'n° ?16\\b']    # every regex must match the reply
        any: [...]                          # at least one must match
        none: ['ne fait pas partie']        # none may match
        dates: [2026-11-02]                 # each date must be named ("2 novembre", "02/11/2026"...)
        kind: answer                        # fallback | understood | question | answer

Regexes are searched in the reply with case and accents folded on both sides (ald.text), so
'réponse' and 'reponse' are the same pattern. The reply is the texts of the bot's messages for
that turn, joined. Reply kinds, read from the text only:
- fallback: "je n'ai pas (bien) compris", "je ne comprends pas";
- understood: anything but a fallback;
- question: not a fallback, and the last message asks something (holds a "?");
- answer: not a fallback, and the last message asks nothing.
A turn without checks only moves the conversation on.

Score: a conversation is right when every turn passes; turns are scored over the turns that
have checks. The exit code is 0 (it is a measure) unless --strict and something failed.
`run(url, conversations)` is the entry point for other tools (`make evaluate`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import aiohttp
import yaml

from ald.content import load_yaml
from ald.dates import FULL_MONTHS
from ald.text import fold, fold_same_length

ROOT = Path(__file__).resolve().parents[1]
CONVERSATIONS_DIR = ROOT / "tests" / "conversations"
SET_FILES: Dict[str, Path] = {
    "dev": CONVERSATIONS_DIR / "dev.yml",
    "heldout": CONVERSATIONS_DIR / "heldout.yml",
}

MIN_TURNS, MAX_TURNS = 2, 5
KINDS = ("fallback", "understood", "question", "answer")
FILE_KEYS = ("today", "conversations")
CONVERSATION_KEYS = ("id", "about", "turns")
TURN_KEYS = ("text", "any", "all", "none", "dates", "kind")
_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")

#: What the assistant says when it did not understand (folded): utter_fallback_* and the
#: wordings a new implementation is likely to keep.
FALLBACK_RE = re.compile(
    r"je n'ai pas (bien |tres bien |tout a fait )?compris|je ne (te |vous )?comprends "
    r"(pas|toujours pas)|je ne suis pas sur d'avoir compris"
)


class SchemaError(ValueError):
    """A conversation file that does not follow the schema (the message says where and why)."""


# --------------------------------------------------------------------------- checks


def fold_pattern(pattern: str) -> str:
    """Fold a regex like the replies (lower case, no accents) but leave its escapes alone:
    folding '\\D' or '\\S' to lower case would change what they mean."""
    out: List[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
        else:
            out.append(fold_same_length(pattern[i]))
            i += 1
    return "".join(out)


def date_pattern(d: date) -> str:
    """A regex (over folded text) for `d` as French answers write it: "2 novembre 2026",
    "lundi 2 novembre", "1er mars", "02/11/2026", "2/11", "2026-11-02". A year, when written,
    must be the right one."""
    day = r"(?:1er|0?1)" if d.day == 1 else (f"0?{d.day}" if d.day < 10 else str(d.day))
    month = FULL_MONTHS[d.month - 1]
    mm = f"0?{d.month}" if d.month < 10 else str(d.month)
    year, yy = str(d.year), str(d.year)[2:]
    words = rf"(?<!\d){day} {month}(?: {year}\b|(?! ?\d))"
    numeric = rf"(?<![\d/]){day}/{mm}(?:/(?:{year}|{yy}))?(?![\d/])"
    iso = rf"\b{year}-{d.month:02d}-{d.day:02d}\b"
    return f"{words}|{numeric}|{iso}"


def reply_kind(messages: Sequence[str]) -> str:
    """ "fallback", "question" or "answer" (see the module docstring)."""
    folded = fold(" ".join(messages))
    if FALLBACK_RE.search(folded):
        return "fallback"
    last = next((m for m in reversed(messages) if m.strip()), "")
    return "question" if "?" in last else "answer"


def kind_matches(expected: str, actual: str) -> bool:
    if expected == "understood":
        return actual != "fallback"
    return expected == actual


@dataclass(frozen=True)
class Pattern:
    source: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Turn:
    """One user message and the checks its bot reply must pass."""

    text: str
    any: Tuple[Pattern, ...] = ()
    all: Tuple[Pattern, ...] = ()
    none: Tuple[Pattern, ...] = ()
    dates: Tuple[date, ...] = ()
    kind: Optional[str] = None

    @property
    def checked(self) -> bool:
        return bool(self.any or self.all or self.none or self.dates or self.kind)

    def failures(self, messages: Sequence[str]) -> List[str]:
        """The checks that `messages` (the bot's texts for this turn) fail, each as a sentence;
        empty when the reply passes."""
        text = fold(" ".join(messages))
        failed: List[str] = []
        if self.any and not any(p.regex.search(text) for p in self.any):
            failed.append("any: none of " + ", ".join(f"'{p.source}'" for p in self.any) + " matched")
        for p in self.all:
            if not p.regex.search(text):
                failed.append(f"all: '{p.source}' did not match")
        for p in self.none:
            found = p.regex.search(text)
            if found:
                failed.append(f"none: '{p.source}' matched '{found.group(0)}'")
        for d in self.dates:
            if not re.search(date_pattern(d), text):
                failed.append(f"dates: {d.isoformat()} is not named")
        if self.kind:
            actual = reply_kind(messages)
            if not kind_matches(self.kind, actual):
                failed.append(f"kind: expected {self.kind}, got {actual}")
        return failed


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: Tuple[Turn, ...]
    set: str = ""
    about: str = ""


@dataclass(frozen=True)
class ConversationSet:
    name: str
    today: date
    conversations: Tuple[Conversation, ...]


# --------------------------------------------------------------------------- loading


def _compile(where: str, key: str, value: Any) -> Tuple[Pattern, ...]:
    if not isinstance(value, list) or not value:
        raise SchemaError(f"{where}: '{key}' must be a non-empty list of regexes")
    patterns = []
    for source in value:
        if not isinstance(source, str) or not source.strip():
            raise SchemaError(f"{where}: '{key}' holds {source!r}, not a regex")
        try:
            regex = re.compile(fold_pattern(source), re.IGNORECASE)
        except re.error as err:
            raise SchemaError(f"{where}: bad regex in '{key}': {source!r} ({err})") from None
        patterns.append(Pattern(source, regex))
    return tuple(patterns)


def _dates(where: str, value: Any) -> Tuple[date, ...]:
    if not isinstance(value, list) or not value:
        raise SchemaError(f"{where}: 'dates' must be a non-empty list of dates (YYYY-MM-DD)")
    out = []
    for item in value:
        if isinstance(item, date):
            out.append(item)
            continue
        try:
            out.append(date.fromisoformat(str(item)))
        except ValueError:
            raise SchemaError(f"{where}: 'dates' holds {item!r}, not a date (YYYY-MM-DD)") from None
    return tuple(out)


def _unknown(where: str, data: Dict[str, Any], allowed: Tuple[str, ...]) -> None:
    extra = [k for k in data if k not in allowed]
    if extra:
        raise SchemaError(f"{where}: unknown key {extra[0]!r} (allowed: {', '.join(allowed)})")


def parse_turn(where: str, data: Any) -> Turn:
    if not isinstance(data, dict):
        raise SchemaError(f"{where}: a turn is a mapping with a 'text'")
    _unknown(where, data, TURN_KEYS)
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SchemaError(f"{where}: turn without text")
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        raise SchemaError(f"{where}: unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
    return Turn(
        text=text.strip(),
        any=_compile(where, "any", data["any"]) if "any" in data else (),
        all=_compile(where, "all", data["all"]) if "all" in data else (),
        none=_compile(where, "none", data["none"]) if "none" in data else (),
        dates=_dates(where, data["dates"]) if "dates" in data else (),
        kind=kind,
    )


def parse_conversations(data: Any, name: str, source: str = "") -> ConversationSet:
    """A set from the YAML mapping of one file; `source` names the file in errors."""
    where0 = source or name
    if not isinstance(data, dict):
        raise SchemaError(f"{where0}: a mapping with 'today' and 'conversations' is expected")
    _unknown(where0, data, FILE_KEYS)
    today = data.get("today")
    if not isinstance(today, date):
        try:
            today = date.fromisoformat(str(today))
        except ValueError:
            raise SchemaError(f"{where0}: 'today' must be a date (YYYY-MM-DD), not {today!r}") from None
    items = data.get("conversations")
    if not isinstance(items, list) or not items:
        raise SchemaError(f"{where0}: 'conversations' must be a non-empty list")
    seen: Dict[str, int] = {}
    conversations = []
    for n, item in enumerate(items, 1):
        where = f"{where0}: conversation {n}"
        if not isinstance(item, dict):
            raise SchemaError(f"{where}: a mapping with 'id' and 'turns' is expected")
        cid = item.get("id")
        if not isinstance(cid, str) or not _ID_RE.fullmatch(cid):
            raise SchemaError(f"{where}: 'id' must be lower-case letters, digits, '-' or '_', not {cid!r}")
        where = f"{where0}: conversation {cid!r}"
        if cid in seen:
            raise SchemaError(f"{where}: duplicate id (also conversation {seen[cid]})")
        seen[cid] = n
        _unknown(where, item, CONVERSATION_KEYS)
        turns = item.get("turns")
        if not isinstance(turns, list) or not MIN_TURNS <= len(turns) <= MAX_TURNS:
            count = len(turns) if isinstance(turns, list) else 0
            raise SchemaError(f"{where}: {MIN_TURNS} to {MAX_TURNS} turns expected, found {count}")
        about = item.get("about", "")
        if not isinstance(about, str):
            raise SchemaError(f"{where}: 'about' must be text")
        conversations.append(
            Conversation(
                id=cid,
                set=name,
                about=about.strip(),
                turns=tuple(parse_turn(f"{where} turn {i}", t) for i, t in enumerate(turns, 1)),
            )
        )
    return ConversationSet(name=name, today=today, conversations=tuple(conversations))


def load(path: Path, name: Optional[str] = None) -> ConversationSet:
    """The conversations of one file (SchemaError with the place of the first problem)."""
    path = Path(path)
    try:
        data = load_yaml(path)
    except (yaml.YAMLError, ValueError) as err:
        raise SchemaError(f"{path.name}: not a YAML mapping ({err})") from None
    return parse_conversations(data, name or path.stem, source=path.name)


def load_sets(names: Iterable[str]) -> List[ConversationSet]:
    """The named sets of tests/conversations ("dev", "heldout")."""
    return [load(SET_FILES[n], n) for n in names]


# --------------------------------------------------------------------------- results


@dataclass
class TurnResult:
    index: int
    text: str
    reply: str
    checked: bool
    failures: List[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class ConversationResult:
    id: str
    set: str
    turns: List[TurnResult]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.turns)


@dataclass(frozen=True)
class Score:
    conversations_right: int
    conversations: int
    turns_right: int
    turns: int

    @staticmethod
    def _pct(a: int, b: int) -> str:
        return f"{100 * a / b:.0f} %" if b else "-"

    def line(self, name: str) -> str:
        return (
            f"{name:8} conversations {self.conversations_right}/{self.conversations} "
            f"({self._pct(self.conversations_right, self.conversations)}), "
            f"turns {self.turns_right}/{self.turns} ({self._pct(self.turns_right, self.turns)})"
        )


@dataclass
class Report:
    url: str
    results: List[ConversationResult]

    def sets(self) -> List[str]:
        return list(dict.fromkeys(r.set for r in self.results))

    def score(self, set_name: Optional[str] = None) -> Score:
        """Conversations right / total and checked turns right / checked turns, for one set
        or for all."""
        rs = [r for r in self.results if set_name is None or r.set == set_name]
        turns = [t for r in rs for t in r.turns if t.checked]
        return Score(sum(r.passed for r in rs), len(rs), sum(t.passed for t in turns), len(turns))

    def failed_turns(self) -> Iterator[Tuple[ConversationResult, TurnResult]]:
        for r in self.results:
            for t in r.turns:
                if not t.passed:
                    yield r, t

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def to_dict(self) -> Dict[str, Any]:
        scores = {name: self.score(name).__dict__ for name in self.sets()}
        return {
            "url": self.url,
            "scores": scores,
            "total": self.score().__dict__,
            "conversations": [
                {
                    "id": r.id,
                    "set": r.set,
                    "passed": r.passed,
                    "turns": [
                        {
                            "turn": t.index,
                            "text": t.text,
                            "reply": t.reply,
                            "checked": t.checked,
                            "passed": t.passed,
                            "failures": t.failures,
                        }
                        for t in r.turns
                    ],
                }
                for r in self.results
            ],
        }

    def format(self) -> str:
        """Every failed turn, then the scores."""
        lines = []
        for r, t in self.failed_turns():
            lines.append(f"✗ {r.set}/{r.id} turn {t.index}")
            lines.append(f"    user: {t.text}")
            lines.append(f"    bot:  {t.reply or '(no reply)'}")
            lines.extend(f"    {failure}" for failure in t.failures)
        if lines:
            lines.append("")
        lines.extend(self.score(name).line(name) for name in self.sets())
        if len(self.sets()) > 1:
            lines.append(self.score().line("all"))
        return "\n".join(lines)


# --------------------------------------------------------------------------- running


def webhook_url(url: str) -> str:
    """The REST webhook of a Rasa server at `url` (its base URL, or the webhook itself)."""
    url = url.rstrip("/")
    return url if url.endswith("/webhooks/rest/webhook") else url + "/webhooks/rest/webhook"


async def _send(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> List[str]:
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        if response.status != 200:
            body = (await response.text())[:200]
            raise RuntimeError(f"HTTP {response.status}: {body}")
        data = await response.json(content_type=None)
    if not isinstance(data, list):
        raise RuntimeError(f"unexpected reply (not a list): {str(data)[:200]}")
    return [m["text"] for m in data if isinstance(m, dict) and isinstance(m.get("text"), str)]


async def _converse(
    session: aiohttp.ClientSession, url: str, conversation: Conversation, gate: asyncio.Semaphore
) -> ConversationResult:
    # A fresh sender per conversation (and per run): no state left from an earlier one.
    sender = f"multiturn-{conversation.id}-{uuid.uuid4().hex[:12]}"
    results: List[TurnResult] = []
    broken: Optional[str] = None
    async with gate:
        for index, turn in enumerate(conversation.turns, 1):
            if broken is not None:
                results.append(TurnResult(index, turn.text, "", turn.checked, [f"not sent: turn {broken}"]))
                continue
            try:
                messages = await _send(session, url, sender, turn.text)
            except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError, ValueError) as err:
                reason = f"{type(err).__name__}: {err}".strip(": ")
                results.append(TurnResult(index, turn.text, "", turn.checked, [f"no reply: {reason}"]))
                broken = f"{index} got no reply"
                continue
            results.append(
                TurnResult(index, turn.text, "\n".join(messages), turn.checked, turn.failures(messages))
            )
    return ConversationResult(conversation.id, conversation.set, results)


async def run_async(
    url: str, conversations: Sequence[Conversation], concurrency: int = 4, timeout: float = 60.0
) -> Report:
    """See `run`."""
    endpoint = webhook_url(url)
    gate = asyncio.Semaphore(max(1, concurrency))
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(timeout=client_timeout) as session:
        results = await asyncio.gather(*(_converse(session, endpoint, c, gate) for c in conversations))
    return Report(url=url, results=list(results))


def run(
    url: str, conversations: Sequence[Conversation], concurrency: int = 4, timeout: float = 60.0
) -> Report:
    """Send each conversation to the Rasa server at `url` (base URL, e.g.
    http://127.0.0.1:5005), `concurrency` conversations at a time, each one's turns in order,
    and check every reply. `timeout`: seconds allowed for one reply. Must not be called from a
    running event loop (use `run_async` there)."""
    return asyncio.run(run_async(url, conversations, concurrency, timeout))


def _conversations(sets: Iterable[ConversationSet]) -> List[Conversation]:
    return [c for s in sets for c in s.conversations]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.multiturn", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005", help="the Rasa server (REST channel)")
    parser.add_argument(
        "--set",
        choices=("dev", "heldout", "all"),
        default="dev",
        dest="which",
        help="which conversations (default: dev); a held-out failure prints its "
        "sentences: leave that set to whoever reports the score",
    )
    parser.add_argument("--json", type=Path, help="write the full report (every turn and reply) here")
    parser.add_argument("--concurrency", type=int, default=4, help="conversations at a time")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for one reply")
    parser.add_argument("--strict", action="store_true", help="exit with 1 if any turn fails")
    parser.add_argument(
        "--serve",
        type=Path,
        metavar="LOGDIR",
        help="start an action server (today pinned to the sets' date) and a Rasa server with the "
        "trained model, logs in LOGDIR, and talk to them instead of --url",
    )
    args = parser.parse_args(argv)
    try:
        sets = load_sets(("dev", "heldout") if args.which == "all" else (args.which,))
    except SchemaError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    todays = sorted({s.today.isoformat() for s in sets})
    if args.serve:
        from tools.stack import rest_stack

        args.serve.mkdir(parents=True, exist_ok=True)
        with rest_stack(args.serve, {"ALD_TODAY": todays[0]}) as port:
            report = run(f"http://127.0.0.1:{port}", _conversations(sets), args.concurrency, args.timeout)
    else:
        # The servers' clock is not visible over REST: say which date the checks assume.
        assumed = ", ".join(todays)
        print(f"The checks assume today = {assumed}: run the action server with ALD_TODAY={todays[0]}.")
        report = run(args.url, _conversations(sets), args.concurrency, args.timeout)
    print(report.format())
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = report.to_dict()
        data["today"] = todays[0] if len(todays) == 1 else todays
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if args.strict and not report.passed else 0


if __name__ == "__main__":
    sys.exit(main())
