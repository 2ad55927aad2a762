"""What a new user would get for each held-out message (step `user-view` of `make evaluate`).

`rasa test nlu` scores the classifiers with the fallback undone. This step runs the whole NLU
pipeline of the trained model (settings: MODEL), fallback and ConfidenceGate included, on every
message of tests/nlu and records what the assistant would do: answer (right or wrong) or fall
back (and whether the fallback's topic buttons hold the right FAQ topic).
Writes results/user-view/records.json; tools/eval_summary.py turns it into a table.

Usage: python -m tools.user_view [MODEL] [NLU_FOLDER] [OUT_FILE]
(from the project's root, so that the model's custom components (components/) import)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from ald import settings
from ald.nlu import FALLBACK_INTENT, FAQ_UNSURE, GATE_KEY

FALLBACK = FALLBACK_INTENT


def forced_by_gate(parse: Dict[str, Any]) -> Optional[str]:
    """The intent the ConfidenceGate forced whatever the thresholds (components/guard.py)."""
    gate = parse.get(GATE_KEY) or {}
    return None if not gate or gate.get("reason") == FAQ_UNSURE else gate.get("intent")


def raw_scores(parse: Dict[str, Any]) -> Dict[str, Any]:
    """The classifier's own scores under the gates, so that tools/calibrate.py can replay any
    thresholds: the top intent and its margin over the second (the fallback's entry left out of
    the ranking), the FAQ answer's confidence and margin, and what the ConfidenceGate forced
    whatever the thresholds (safety, identifier, gibberish...), if anything."""
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    confidences = [float(r.get("confidence") or 0.0) for r in ranking] + [0.0, 0.0]
    topics = ((parse.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
    topic_conf = [float(r.get("confidence") or 0.0) for r in topics] + [0.0, 0.0]
    return {
        "raw_intent": ranking[0].get("name") if ranking else None,
        "raw_confidence": confidences[0],
        "raw_margin": confidences[0] - confidences[1],
        "faq_confidence": topic_conf[0],
        "faq_margin": topic_conf[0] - topic_conf[1],
        "forced": forced_by_gate(parse),
    }


async def records(model: str, nlu: str) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(model)
    out: List[Dict[str, Any]] = []
    for example in load_data(nlu).intent_examples:
        parse = await agent.parse_message(example.get("text"))
        selector = (parse.get("response_selector") or {}).get("faq") or {}
        out.append(
            {
                **raw_scores(parse),
                "text": example.get("text"),
                "intent": example.get("intent"),
                "topic": example.get("intent_response_key"),
                "predicted": (parse.get("intent") or {}).get("name"),
                "predicted_topic": (selector.get("response") or {}).get("intent_response_key"),
                "buttons": [r.get("intent_response_key") for r in (selector.get("ranking") or [])[:3]],
            }
        )
    return out


def main() -> int:
    model = sys.argv[1] if len(sys.argv) > 1 else str(settings.path("MODEL"))
    nlu = sys.argv[2] if len(sys.argv) > 2 else str(settings.ROOT / "tests" / "nlu")
    out = Path(
        sys.argv[3] if len(sys.argv) > 3 else settings.path("RESULTS_DIR") / "user-view" / "records.json"
    )
    recs = asyncio.run(records(model, nlu))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(recs, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"==> {len(recs)} messages, wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
