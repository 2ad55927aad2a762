"""The editors' review: what the assistant could not answer, and what did not help, over a
period of real conversations read from the tracker store of the current profile.

    python -m tools.review [--days N | --since YYYY-MM-DD [--until YYYY-MM-DD]] [--out DIR]
                           [--endpoints FILE] [--now ISO-DATETIME]
    make review                      # the last REVIEW_DAYS days (7 unless set)

Writes into --out (default RESULTS_DIR/review):
- review.html: counts (conversations, user messages, share answered at once / fallback /
  hand-off to the helpline / safety answers, per day, with per_day.png), the questions that went
  to the fallback or were rated "not helpful" grouped by their closest topic (the model's
  ranking stored with the message) then by similarity (TF-IDF + agglomerative clustering), most
  frequent first, each with one turn of context before and after, and the topics most asked and
  least helpful;
- to_annotate.yml: those questions (not buttons' payloads, keyboard mashing or forms' answers) as
  Rasa NLU data (intent `to_annotate`, one block per closest topic, the suggestion in a
  comment) for an editor to label and move into data/.

The database is the one the Rasa server uses (as tools/purge.py reads it): nothing is sent
anywhere, conversation ids are never printed, texts are masked again (ald.pii) although the
store masked them already, and a purged conversation is simply not there any more.

What a user message counts as (one category each, in this order):
- safety: the bot gave a safety answer (emergency, suicidal thoughts, medical advice);
- hand-off: the bot gave the helpline (action_helpline, or the fallback's helpline answer);
- fallback: the bot said it did not understand (utter_fallback_*, action_default_fallback);
  every message it did not understand is listed to look at, the helpline ones too;
- answered: the bot answered it (an FAQ answer, or a personal answer: the answering actions
  record the topic in `rated_topic` or `last_topic`);
- other: greetings, thanks, a form's answers, ratings...
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ald import gibberish, pii, settings
from ald.clock import PARIS
from ald.content import load_content
from ald.nlu import FALLBACK_INTENT

ROOT = settings.ROOT
TEMPLATE = Path(__file__).with_name("review.html.j2")

#: Responses that are safety answers (the guard forces them on distress and medical questions).
SAFETY_RESPONSES = {"utter_emergency", "utter_suicidal_thoughts", "utter_medical_advice"}
#: Actions and responses that hand the user over to a person.
HANDOFF_ACTIONS = {"action_helpline"}
HANDOFF_RESPONSES = {"utter_fallback_helpline"}
#: The bot said it did not understand.
FALLBACK_PREFIX = "utter_fallback"
FALLBACK_ACTIONS = {"action_default_fallback"}
#: Slots the answering actions set when they answer (actions/feedback.py, actions/base.py).
ANSWER_SLOTS = ("rated_topic", "last_topic")
FEEDBACK_SLOT = "feedback"
FAQ_PREFIX = "faq/"
#: Intents that ask a question (their closest topic counts as "asked").
QUESTION_INTENTS = {"faq", FALLBACK_INTENT}
QUESTION_PREFIXES = ("ask_", "check_")
CATEGORIES = ("answered", "fallback", "handoff", "safety", "other")
#: Two messages of one topic whose TF-IDF cosine distance is below this are grouped together.
SIMILARITY_DISTANCE = 0.75


# --------------------------------------------------------------------------- reading the store


@dataclass
class Turn:
    """A user message and what the bot did until the next one."""

    conversation: int  # a number given by the review (conversation ids are never shown)
    when: datetime
    text: str
    intent: str
    topic: Optional[str]  # the closest topic: "faq/<topic>", or an intent
    bot: List[str] = field(default_factory=list)  # the bot's texts
    responses: List[str] = field(default_factory=list)  # their utter_action names
    actions: List[str] = field(default_factory=list)
    answered_topic: Optional[str] = None
    rating: Optional[Dict[str, Any]] = None

    @property
    def category(self) -> str:
        if SAFETY_RESPONSES & set(self.responses):
            return "safety"
        if HANDOFF_ACTIONS & set(self.actions) or HANDOFF_RESPONSES & set(self.responses):
            return "handoff"
        if self.not_understood:
            return "fallback"
        if self.answered_topic or any(r.startswith("utter_faq/") for r in self.responses):
            return "answered"
        return "other"

    @property
    def not_understood(self) -> bool:
        """The bot said it did not understand (also when it then gave the helpline)."""
        return any(r.startswith(FALLBACK_PREFIX) for r in self.responses) or bool(
            FALLBACK_ACTIONS & set(self.actions)
        )

    @property
    def asks(self) -> bool:
        """True for a question (its closest topic counts among the topics asked)."""
        return self.intent in QUESTION_INTENTS or self.intent.startswith(QUESTION_PREFIXES)


def closest_topic(parse: Dict[str, Any]) -> Optional[str]:
    """The topic the model found closest: the FAQ answer it ranked first for an FAQ question
    (or for a fallback whose best intent was `faq`), else the best intent."""
    intent = str((parse.get("intent") or {}).get("name") or "")
    if intent == FALLBACK_INTENT:
        ranked = [
            str(i.get("name")) for i in parse.get("intent_ranking") or [] if i.get("name") != FALLBACK_INTENT
        ]
        intent = ranked[0] if ranked else ""
    if intent == "faq":
        ranking = ((parse.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
        keys = [str(r.get("intent_response_key") or "") for r in ranking]
        return next((k for k in keys if k.startswith(FAQ_PREFIX)), None)
    return intent or None


def turns_of(events: Iterable[Dict[str, Any]], conversation: int) -> List[Turn]:
    """The turns of one conversation, from its events (serialised as the store keeps them)."""
    turns: List[Turn] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            parse = event.get("parse_data") or {}
            turns.append(
                Turn(
                    conversation=conversation,
                    when=datetime.fromtimestamp(float(event.get("timestamp") or 0), PARIS),
                    text=pii.mask_text(" ".join(str(event.get("text") or "").split())),
                    intent=str((parse.get("intent") or {}).get("name") or ""),
                    topic=closest_topic(parse),
                )
            )
        elif not turns:
            continue  # session start, slots of the figures: before any message
        elif kind == "bot":
            # The bot's own words, made from masked input: not masked again, which would hide
            # the helpline's number.
            turns[-1].bot.append(str(event.get("text") or ""))
            turns[-1].responses.append(str((event.get("metadata") or {}).get("utter_action") or ""))
        elif kind == "action":
            turns[-1].actions.append(str(event.get("name") or ""))
        elif kind == "slot" and event.get("name") in ANSWER_SLOTS and event.get("value"):
            turns[-1].answered_topic = turns[-1].answered_topic or str(event["value"])
        elif kind == "slot" and event.get("name") == FEEDBACK_SLOT and isinstance(event.get("value"), dict):
            turns[-1].rating = pii.mask_value(event["value"])
    return turns


def load_events(engine: Any, since: float, until: float) -> List[List[Dict[str, Any]]]:
    """The events of every conversation with an event in [since, until), each conversation's
    in order (whole conversations, so that a message has its context)."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    table = SQLTrackerStore.SQLEvent.__table__
    if not sa.inspect(engine).has_table(table.name):
        return []
    active = (
        sa.select(table.c.sender_id).where(table.c.timestamp >= since, table.c.timestamp < until).distinct()
    )
    query = (
        sa.select(table.c.sender_id, table.c.data)
        .where(table.c.sender_id.in_(active))
        .order_by(table.c.sender_id, table.c.id)
    )
    conversations: Dict[str, List[Dict[str, Any]]] = {}
    with engine.connect() as conn:
        for sender, data in conn.execute(query):
            conversations.setdefault(sender, []).append(json.loads(data))
    return list(conversations.values())


# --------------------------------------------------------------------------- the review


@dataclass
class Item:
    """A question the assistant could not answer, or whose answer did not help."""

    turn: Turn
    why: str  # "fallback" or "not helpful"
    before: Optional[Turn]
    after: Optional[Turn]


@dataclass
class Group:
    topic: Optional[str]
    label: str
    clusters: List[List[Item]]

    @property
    def size(self) -> int:
        return sum(len(c) for c in self.clusters)


@dataclass
class Review:
    since: datetime
    until: datetime
    conversations: int
    turns: List[Turn]
    per_day: Dict[date, Counter]
    groups: List[Group]
    asked: List[Tuple[str, str, int]]  # topic, label, messages
    least_helpful: List[Tuple[str, str, int, int]]  # topic, label, not helpful, ratings

    @property
    def messages(self) -> int:
        return len(self.turns)

    @property
    def shares(self) -> Dict[str, float]:
        counts = Counter(t.category for t in self.turns)
        return {c: counts[c] / self.messages if self.messages else 0.0 for c in CATEGORIES}

    @property
    def items(self) -> List[Item]:
        return [item for g in self.groups for c in g.clusters for item in c]


def topic_label(topic: Optional[str]) -> str:
    """A topic as an editor reads it: the FAQ topic's question (content/topics.yml)."""
    if not topic:
        return "(aucun sujet proche)"
    questions = load_content("topics.yml").get("topics") or {}
    if topic.startswith(FAQ_PREFIX) and topic[len(FAQ_PREFIX) :] in questions:
        return f"{questions[topic[len(FAQ_PREFIX):]]} ({topic})"
    return topic


def similarity_clusters(texts: Sequence[str], distance: float = SIMILARITY_DISTANCE) -> List[List[int]]:
    """Indexes of `texts` grouped by similarity (TF-IDF of character n-grams, cosine, average
    linkage), biggest group first."""
    if len(texts) < 2:
        return [list(range(len(texts)))] if texts else []
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ald.text import fold

    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit_transform([fold(t) for t in texts])
    labels = AgglomerativeClustering(
        n_clusters=None, affinity="cosine", linkage="average", distance_threshold=distance
    ).fit_predict(vectors.toarray())
    clusters: Dict[int, List[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        clusters[int(label)].append(index)
    return sorted(clusters.values(), key=lambda c: (-len(c), c[0]))


def group_items(items: List[Item]) -> List[Group]:
    """By closest topic (the biggest first), then by similarity inside each topic."""
    by_topic: Dict[Optional[str], List[Item]] = defaultdict(list)
    for item in items:
        by_topic[item.turn.topic].append(item)
    groups = []
    for topic, members in by_topic.items():
        clusters = similarity_clusters([m.turn.text for m in members])
        groups.append(Group(topic, topic_label(topic), [[members[i] for i in c] for c in clusters]))
    return sorted(groups, key=lambda g: (-g.size, g.label))


def rated_question(turns: List[Turn], index: int) -> Optional[int]:
    """The index of the question whose answer the rating at `index` rates: the latest answered
    message before it, or for a form's answer the question that started the form (not its last
    "oui")."""
    answered = next((i for i in range(index - 1, -1, -1) if turns[i].category == "answered"), None)
    if answered is None:
        return None
    for i in range(answered, -1, -1):
        if turns[i].asks:
            return i
        if i < answered and turns[i].category == "answered":
            break  # the answer before: no question of this form's own
    return answered


def item_at(turns: List[Turn], i: int, why: str) -> Item:
    """The message `i` of a conversation, with the turns around it."""
    return Item(turns[i], why, turns[i - 1] if i > 0 else None, turns[i + 1] if i + 1 < len(turns) else None)


def review(conversations: Iterable[List[Dict[str, Any]]], since: datetime, until: datetime) -> Review:
    """The review of the user messages sent in [since, until) (aware datetimes)."""
    kept: List[Turn] = []
    items: List[Item] = []
    n_conversations = 0
    ratings: Dict[str, Counter] = defaultdict(Counter)
    for number, events in enumerate(conversations, start=1):
        turns = turns_of(events, number)
        inside = [i for i, t in enumerate(turns) if since <= t.when < until]
        if not inside:
            continue
        n_conversations += 1

        for i in inside:
            turn = turns[i]
            kept.append(turn)
            if turn.not_understood:
                items.append(item_at(turns, i, "fallback"))
            if turn.rating is not None:
                helpful = bool(turn.rating.get("helpful"))
                rated = rated_question(turns, i)
                topic = str(
                    turn.rating.get("topic") or (turns[rated].answered_topic if rated is not None else "")
                )
                ratings[topic or "?"]["yes" if helpful else "no"] += 1
                if not helpful and rated is not None:
                    found = item_at(turns, rated, "pas utile")
                    found.turn.topic = topic or found.turn.topic  # the topic the answer was about
                    items.append(found)
    per_day: Dict[date, Counter] = defaultdict(Counter)
    for turn in kept:
        per_day[turn.when.astimezone(PARIS).date()][turn.category] += 1  # the day in France
    asked: Counter[str] = Counter(
        str(t.answered_topic or t.topic) for t in kept if t.asks and (t.answered_topic or t.topic)
    )
    least = sorted(
        ((topic, topic_label(topic), c["no"], c["yes"] + c["no"]) for topic, c in ratings.items() if c["no"]),
        key=lambda r: (-r[2] / r[3], -r[2], r[0]),
    )
    return Review(
        since=since,
        until=until,
        conversations=n_conversations,
        turns=kept,
        per_day=dict(sorted(per_day.items())),
        groups=group_items(items),
        asked=[(t, topic_label(t), n) for t, n in asked.most_common()],
        least_helpful=least,
    )


# --------------------------------------------------------------------------- writing it out


def annotation_yaml(result: Review) -> str:
    """The unanswered messages as Rasa NLU data: intent `to_annotate`, one block per closest
    topic, the suggestion in a comment. Each text once; written by hand so that the comments
    stay (a YAML dumper drops them)."""
    lines = [
        "# Messages the assistant could not answer, or whose answer did not help",
        f"# ({result.since:%Y-%m-%d} to {result.until:%Y-%m-%d}; python -m tools.review).",
        "# To annotate: give each example its intent (or faq/<topic>) and move it into data/,",
        "# then train and evaluate (README, \"Improving the assistant\"). Identifiers are masked.",
        'version: "3.1"',
        "nlu:",
    ]
    seen = set()
    for group in result.groups:
        texts = []
        for cluster in group.clusters:
            for item in cluster:
                if not exportable(item):
                    continue
                text = nlu_safe(item.turn.text)
                if text and text.lower() not in seen:
                    seen.add(text.lower())
                    texts.append(text)
        if not texts:
            continue
        question = group.label.rsplit(" (", 1)[0] if group.topic and group.label != group.topic else ""
        lines.append(f"# closest topic: {group.topic or 'none'}" + (f" ({question})" if question else ""))
        lines += ["- intent: to_annotate", "  examples: |"]
        lines += [f"    - {t}" for t in texts]
    return "\n".join(lines) + "\n"


def exportable(item: Item) -> bool:
    """Whether a message is worth labelling: not a button's payload ("/ask_human"), not
    keyboard mashing, and for an answer rated "not helpful" a question, not a form's answer
    ("10 janvier", which says nothing of the question). The report shows them all."""
    if item.turn.text.startswith("/") or gibberish.is_gibberish(item.turn.text):
        return False
    return item.why == "fallback" or item.turn.asks


def nlu_safe(text: str) -> str:
    """One line that Rasa reads as plain text: no "[x](y)" / "[x]{...}" entity syntax (the masks
    are in brackets)."""
    text = " ".join(text.split())
    return re.sub(r"\](?=[({\[])", "] ", text).lstrip("-# ").strip()


def plot_per_day(result: Review, path: Path) -> None:
    """Stacked bars: the user messages of each day by what they got."""
    # matplotlib logs its own style files' deprecation notices at import: not for the editor.
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Rasa's import turned the filters back on
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

    days = list(result.per_day)
    fig, ax = plt.subplots(figsize=(9, 3.6), dpi=100)
    bottom = [0] * len(days)
    colours = {
        "answered": "#2e7d32",
        "fallback": "#ef6c00",
        "handoff": "#1565c0",
        "safety": "#c62828",
        "other": "#9e9e9e",
    }
    labels = [d.strftime("%d/%m") for d in days]
    for category in CATEGORIES:
        values = [result.per_day[d][category] for d in days]
        ax.bar(labels, values, bottom=bottom, label=CATEGORY_LABELS[category], color=colours[category])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("messages")
    ax.legend(loc="upper left", fontsize=8, ncol=5, frameon=False)
    ax.set_ylim(0, max(bottom + [1]) * 1.25)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


CATEGORY_LABELS = {
    "answered": "répondu",
    "fallback": "pas compris",
    "handoff": "passé à une personne",
    "safety": "réponse de sécurité",
    "other": "autre",
}


def render_html(result: Review, plot_name: str) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        r=result,
        shares=result.shares,
        categories=CATEGORIES,
        labels=CATEGORY_LABELS,
        plot=plot_name,
        generated=datetime.now(timezone.utc).astimezone(PARIS).strftime("%d/%m/%Y %H:%M"),
    )


def summary(result: Review, out: Path) -> str:
    shares = result.shares
    parts = ", ".join(f"{CATEGORY_LABELS[c]} {shares[c]:.0%}" for c in CATEGORIES)
    lines = [
        f"review: {result.since:%Y-%m-%d %H:%M} to {result.until:%Y-%m-%d %H:%M} (Europe/Paris): "
        f"{result.conversations} conversation(s), {result.messages} user message(s)",
        f"  {parts}",
        f"  to look at: {len(result.items)} message(s) in {len(result.groups)} topic(s)"
        + (f", first: {result.groups[0].label} ({result.groups[0].size})" if result.groups else ""),
    ]
    if result.least_helpful:
        topic, label, no, total = result.least_helpful[0]
        lines.append(f"  least helpful: {label}: {no}/{total} 'pas utile'")
    lines.append(f"  report: {out / 'review.html'}; to annotate: {out / 'to_annotate.yml'}")
    return "\n".join(lines)


def write(result: Review, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    plot_per_day(result, out / "per_day.png")
    (out / "review.html").write_text(render_html(result, "per_day.png"), encoding="utf-8")
    (out / "to_annotate.yml").write_text(annotation_yaml(result), encoding="utf-8")


# --------------------------------------------------------------------------- command line


def period(args: argparse.Namespace) -> Tuple[datetime, datetime]:
    """[since, until) as aware datetimes: whole days in Europe/Paris for --since/--until."""
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    until = (
        datetime.combine(date.fromisoformat(args.until) + timedelta(days=1), time(), PARIS)
        if args.until
        else now
    )
    if args.since:
        since = datetime.combine(date.fromisoformat(args.since), time(), PARIS)
    else:
        since = until - timedelta(days=args.days)
    if since >= until:
        raise SystemExit("review: --since must be before --until")
    return since, until


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tools.review", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--days",
        type=int,
        default=None,
        help=f"the last N days (default: the setting REVIEW_DAYS, "
        f"{settings.default('REVIEW_DAYS')} unless set)",
    )
    p.add_argument("--since", default=None, help="first day, YYYY-MM-DD (Europe/Paris)")
    p.add_argument("--until", default=None, help="last day included, YYYY-MM-DD (default: now)")
    p.add_argument("--out", default=None, help="output folder (default: RESULTS_DIR/review)")
    p.add_argument("--endpoints", default=None, help="endpoints file (default: from $RASA_PROFILE)")
    p.add_argument("--now", default=None, help="reference date-time, ISO 8601 (default: now; for tests)")
    args = p.parse_args(argv)
    if args.days is None:
        args.days = settings.get_int("REVIEW_DAYS")
    if args.days < 1:
        p.error("--days must be at least 1")
    return args


def main(argv: Optional[List[str]] = None) -> int:
    from tools.purge import default_endpoints, engine_for

    args = parse_args(argv)
    endpoints = Path(args.endpoints or default_endpoints())
    endpoints = endpoints.resolve() if endpoints.exists() else ROOT / endpoints
    out = Path(args.out).resolve() if args.out else settings.path("RESULTS_DIR") / "review"
    since, until = period(args)
    os.chdir(ROOT)  # relative paths (SQLITE_DB) are relative to the project
    # Rasa's and SQLAlchemy's deprecation notices would bury the summary; importing Rasa
    # resets the warning filters, hence twice (and SQLAlchemy's own switch for its 2.0 notice).
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import rasa.core.tracker_store  # noqa: F401

        warnings.simplefilter("ignore")
        engine = engine_for(str(endpoints))
    try:
        sqlite_file = engine.url.database if engine.dialect.name == "sqlite" else None
        if sqlite_file and not Path(sqlite_file).exists():
            conversations: List[List[Dict[str, Any]]] = []  # no database yet: do not create one
        else:
            conversations = load_events(engine, since.timestamp(), until.timestamp())
    finally:
        engine.dispose()
    result = review(conversations, since.astimezone(PARIS), until.astimezone(PARIS))
    write(result, out)
    print(summary(result, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
