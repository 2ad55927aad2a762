"""Names the NLU pipeline writes into the parse data and the actions and tools read back (one
place, so that components/guard.py, actions/conversation.py and tools/calibrate.py agree)."""

from __future__ import annotations

#: Rasa's intent for a message the NLU is unsure of.
FALLBACK_INTENT = "nlu_fallback"
#: Parse-data key where the ConfidenceGate says why it decided: {"reason", "intent"}.
GATE_KEY = "gate"
#: The gate's only reason that depends on thresholds: unsure of the FAQ answer.
FAQ_UNSURE = "faq_unsure"
