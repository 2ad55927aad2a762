"""Chooses the fallback gates of config.yml on the calibration set (never on the held-out set).

The trained model's NLU pipeline parses every message of tests/nlu-calibration (written apart
from the training data and from tests/nlu, never trained on); tools/user_view.py keeps the
classifier's own scores. Every combination of the four gates is then replayed:
  - FallbackClassifier `threshold` (top intent confidence) and `ambiguity_threshold` (its
    margin over the second intent);
  - ConfidenceGate `faq_threshold` (the FAQ answer's confidence) and `faq_margin` (its margin
    over the second answer).
The chosen gates give the most right answers at once with at most MAX_WRONG of wrong answers,
over all messages and over the FAQ questions alone; among equals, the most cautious.

Usage: python -m tools.calibrate [--model M] [--apply]
Writes results/calibration/{records.json,gates.json,gates.png} (the picture: right / fallback /
wrong against each gate, the others at their chosen value; `make evaluate` copies it to
docs/img/evaluation/); --apply writes the chosen values into config.yml.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Sequence

from ald import settings
from ald.nlu import FALLBACK_INTENT

MAX_WRONG = 0.02
CALIBRATION_SET = settings.ROOT / "tests" / "nlu-calibration"
PICTURE_NAME = "gates.png"  # in results/calibration/; `make evaluate` copies it to docs/img/evaluation/
GRID = [round(0.05 * i, 2) for i in range(20)]
MARGINS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3]
FALLBACK = FALLBACK_INTENT


@dataclass(frozen=True)
class Gates:
    threshold: float = 0.0
    ambiguity_threshold: float = 0.0
    faq_threshold: float = 0.0
    faq_margin: float = 0.0


@dataclass(frozen=True)
class Outcome:
    total: int
    right: int
    fallback: int
    wrong: int
    faq_total: int
    faq_right: int
    faq_wrong: int

    def share(self, n: int, faq: bool = False) -> float:
        d = self.faq_total if faq else self.total
        return n / d if d else 0.0


def decide(record: Dict[str, Any], gates: Gates) -> str:
    """What the user gets under `gates`: a label ("faq/<topic>" for an FAQ answer) or
    FALLBACK."""
    if record.get("forced"):
        return str(record["forced"])
    intent = record.get("raw_intent")
    if (
        not intent
        or record["raw_confidence"] < gates.threshold
        or record["raw_margin"] < gates.ambiguity_threshold
    ):
        return FALLBACK
    if intent == "faq":
        if record["faq_confidence"] < gates.faq_threshold or record["faq_margin"] < gates.faq_margin:
            return FALLBACK
        return str(record.get("predicted_topic") or FALLBACK)
    return str(intent)


def expected(record: Dict[str, Any]) -> str:
    return str(record.get("topic") or record["intent"])


def outcome(records: Sequence[Dict[str, Any]], gates: Gates) -> Outcome:
    right = fallback = wrong = faq_total = faq_right = faq_wrong = 0
    for r in records:
        got, want = decide(r, gates), expected(r)
        is_faq = bool(r.get("topic"))
        faq_total += is_faq
        if got == want:
            right += 1
            faq_right += is_faq
        elif got == FALLBACK:
            fallback += 1
        else:
            wrong += 1
            faq_wrong += is_faq
    return Outcome(len(records), right, fallback, wrong, faq_total, faq_right, faq_wrong)


def acceptable(o: Outcome, max_wrong: float = MAX_WRONG) -> bool:
    return o.share(o.wrong) <= max_wrong and o.share(o.faq_wrong, faq=True) <= max_wrong


def choose(records: Sequence[Dict[str, Any]], max_wrong: float = MAX_WRONG) -> tuple[Gates, Outcome]:
    """The gates with the most right answers among those within `max_wrong`; among equals,
    the fewest wrong, then the highest thresholds (the most cautious)."""
    best: tuple | None = None
    for t, a, f, m in itertools.product(GRID, MARGINS, GRID, MARGINS):
        gates = Gates(t, a, f, m)
        o = outcome(records, gates)
        if not acceptable(o, max_wrong):
            continue
        key = (o.right, -o.wrong, t + f, a + m)
        if best is None or key > best[0]:
            best = (key, gates, o)
    if best is None:  # every gate let too much through: fall back on everything
        gates = Gates(1.01, 0.0, 1.01, 0.0)
        return gates, outcome(records, gates)
    return best[1], best[2]


def draw(records: Sequence[Dict[str, Any]], chosen: Gates, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for ax, field_name, label in (
        (axes[0], "threshold", "intent confidence threshold"),
        (axes[1], "faq_threshold", "FAQ answer confidence threshold"),
    ):
        xs = [round(0.02 * i, 2) for i in range(51)]
        rows = [outcome(records, Gates(**{**asdict(chosen), field_name: x})) for x in xs]
        ax.plot(xs, [100 * o.share(o.right) for o in rows], label="right at once")
        ax.plot(xs, [100 * o.share(o.fallback) for o in rows], label="fallback")
        ax.plot(xs, [100 * o.share(o.wrong) for o in rows], label="wrong")
        ax.axvline(getattr(chosen, field_name), color="grey", linestyle=":")
        ax.axhline(100 * MAX_WRONG, color="red", linewidth=0.5)
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("% of the calibration messages")
    axes[0].legend()
    fig.suptitle("Fallback gates on tests/nlu-calibration (the others at their chosen value)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)


CONFIG_KEYS = {
    "FallbackClassifier": ("threshold", "ambiguity_threshold"),
    "components.guard.ConfidenceGate": ("faq_threshold", "faq_margin"),
}


def apply(config_text: str, gates: Gates) -> str:
    """config.yml's text with the gates' values written in (comments kept)."""
    values = asdict(gates)
    for component, keys in CONFIG_KEYS.items():
        start = config_text.index(f"- name: {component}")
        # The component's block ends at the next component or top-level key.
        found = re.compile(r"\n(  - name:|\S)").search(config_text, start)
        end = found.start() if found else len(config_text)
        block = config_text[start:end]
        body = block.rstrip("\n")
        for key in keys:
            line = f"{key}: {values[key]:.2f}"
            if re.search(rf"^\s+{key}:", body, flags=re.M):
                body = re.sub(rf"(?m)^(\s+){key}: [0-9.]+", rf"\g<1>{line}", body)
            else:
                body += f"\n    {line}"
        config_text = config_text[:start] + body + block[len(block.rstrip("\n")) :] + config_text[end:]
    return config_text


def main(argv: List[str] | None = None) -> int:
    from tools.user_view import records as parse_records

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=str(settings.path("MODEL")))
    parser.add_argument("--apply", action="store_true", help="write the chosen gates into config.yml")
    args = parser.parse_args(argv)
    out = settings.path("RESULTS_DIR") / "calibration"
    out.mkdir(parents=True, exist_ok=True)
    recs = asyncio.run(parse_records(args.model, str(CALIBRATION_SET)))
    (out / "records.json").write_text(json.dumps(recs, ensure_ascii=False, indent=1), encoding="utf-8")
    gates, o = choose(recs)
    ungated = outcome(recs, Gates())
    report = {"gates": asdict(gates), "outcome": asdict(o), "no_gate": asdict(ungated)}
    (out / "gates.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    draw(recs, gates, out / PICTURE_NAME)
    print(f"==> {o.total} calibration messages; chosen gates: {asdict(gates)}")
    print(
        f"    right {o.share(o.right):.1%}, fallback {o.share(o.fallback):.1%}, wrong "
        f"{o.share(o.wrong):.1%} (FAQ: right {o.share(o.faq_right, True):.1%}, wrong "
        f"{o.share(o.faq_wrong, True):.1%}); without gates: right {ungated.share(ungated.right):.1%}"
    )
    if args.apply:
        config = settings.path("CONFIG")
        config.write_text(apply(config.read_text(encoding="utf-8"), gates), encoding="utf-8")
        print(f"    written into {config}: retrain for them to take effect")
    return 0


if __name__ == "__main__":
    sys.exit(main())
