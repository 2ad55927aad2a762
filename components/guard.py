"""Input guard and confidence gate of the NLU pipeline (see config.yml).

`InputGuard` (FIRST component): cuts over-long messages and masks personal identifiers
(NIR, e-mail address, phone number; ald/pii.py) in the message text, so that no
later component, nor `parse_data["text"]`, ever sees them. What it did is recorded on the
message as `guard` = {"truncated": bool, "masked": ["nir" | "email" | "phone", ...]}, which
ends up in parse_data. (The tracker store masks the stored events again, because Rasa keeps
the original text in `UserUttered.text`: components/tracker_store.py.)

`ConfidenceGate` (LAST component, after FallbackClassifier) decides the final intent, in
this order of precedence (the first that applies wins):
  0. the text matches a safety pattern (content/safety_signals.yml) -> `suicidal_thoughts`,
     `emergency` or `medical_advice` (confidence 1.0), whatever the classifier said: the
     safety net;
  1. the guard masked an identifier  -> `share_personal_data` (confidence 1.0);
  2. the guard cut the message        -> `message_too_long` (confidence 1.0);
  3. the text is gibberish (keyboard mashing, one key held down, punctuation only:
     ald/gibberish.py)                -> `nlu_fallback` (confidence 1.0), whatever the
     classifier guessed, so that it never gets an answer nor starts a form; here the rest of
     the ranking and the entities are dropped (the memory, actions/memory.py, would otherwise
     read the message as the intent the classifier leaned to);
  4. the intent is `faq` but the answer selector's confidence in the answer it picked is
     below `faq_threshold`, or less than `faq_margin` above the confidence of the next answer
     of its ranking               -> `nlu_fallback` (confidence = faq_threshold). `faq_margin`
     defaults to the setting FAQ_MARGIN (ald/settings.py: 0.0, off); the environment
     variable FAQ_MARGIN wins over config.yml (no retraining to change it).
The forced intent is put first in `intent_ranking`; the rest of the ranking is kept (but for
gibberish). Why is recorded in the parse data as `gate` = {"reason": "safety" | "identifier" |
"too_long" | "gibberish" | "faq_unsure", "intent": ...}. Privacy comes first: a long message
that also holds a NIR gets the "do not share" reply.

Logs: `install_log_redaction()` (called when either component or the tracker store is
created) plugs into Rasa's structlog anonymisation hook, so that message texts, entities,
slot values... are replaced by a marker at INFO and above (including the error logs of the
channels, which log the text of a message that failed) and only masked at DEBUG.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, NamedTuple, Optional

import pluggy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from ald import gibberish, pii, safety, settings
from ald.nlu import FAQ_UNSURE, GATE_KEY
from components.base import ConfigOnlyComponent

logger = logging.getLogger(__name__)

GUARD_KEY = "guard"
MAX_CHARS_ENV = "MAX_MESSAGE_CHARS"  # the setting (ald/settings.py) and environment variable
DEFAULT_MAX_CHARS = int(settings.default(MAX_CHARS_ENV))
INTENT_PERSONAL_DATA = "share_personal_data"
INTENT_TOO_LONG = "message_too_long"
FAQ_INTENT = "faq"
FAQ_MARGIN_ENV = "FAQ_MARGIN"  # the setting (ald/settings.py) and environment variable
DEFAULT_FAQ_MARGIN = float(settings.default(FAQ_MARGIN_ENV))


def max_chars(configured: Optional[int] = None) -> int:
    """The message length limit: $MAX_MESSAGE_CHARS if set, else `configured`, else the
    default of the setting (2000)."""
    raw = (settings.from_environment(MAX_CHARS_ENV) or "").strip()
    if raw:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"{MAX_CHARS_ENV} must be a whole number, not {raw!r}") from None
        if value < 1:
            raise ValueError(f"{MAX_CHARS_ENV} must be at least 1, not {value}")
        return value
    return int(configured) if configured else DEFAULT_MAX_CHARS


def faq_margin(configured: Optional[float] = None) -> float:
    """The FAQ margin: $FAQ_MARGIN if set, else `configured`, else the default of the setting
    (0.0: off)."""
    raw = (settings.from_environment(FAQ_MARGIN_ENV) or "").strip()
    source = FAQ_MARGIN_ENV
    if not raw:
        if configured is None:
            return DEFAULT_FAQ_MARGIN
        raw, source = str(configured), "faq_margin"
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{source} must be a number, not {raw!r}") from None
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{source} must be at least 0 and less than 1, not {value}")
    return value


REDACTED = "[texte non journalisé]"


class _RedactingPipeline:
    """What Rasa's `_anonymizer` log processor and the processor call (see rasa/plugin.py,
    `get_anonymization_pipeline`)."""

    @staticmethod
    def log_run(value: Any) -> Any:
        if value is None:
            return None
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            return pii.mask_value(value)
        return REDACTED

    @staticmethod
    def run(event_body: Dict[str, Any]) -> None:
        """Called by the processor on each new event for an event broker: nothing to do
        (the tracker store masks what it saves)."""
        return None


class _LogRedactionPlugin:
    _hookimpl = pluggy.HookimplMarker("rasa")

    @_hookimpl
    def get_anonymization_pipeline(self) -> _RedactingPipeline:
        return _RedactingPipeline()


_PLUGIN = _LogRedactionPlugin()


def install_log_redaction() -> None:
    """Register the log redaction with Rasa's plugin manager (idempotent)."""
    from rasa.plugin import plugin_manager

    manager = plugin_manager()
    if not manager.is_registered(_PLUGIN):
        manager.register(_PLUGIN, name="ald-log-redaction")


def guard_text(text: str, limit: int) -> tuple[str, Dict[str, Any]]:
    """Mask identifiers in `text`, then cut it to `limit` characters.

    Masking runs on the whole text first, so an identifier that straddles the cut is not
    half left in clear."""
    result = pii.mask(text or "")
    cleaned = result.text
    truncated = len(cleaned) > limit
    if truncated:
        cleaned = cleaned[:limit]
    return cleaned, {"truncated": truncated, "masked": list(result.masked)}


@DefaultV1Recipe.register(
    # A featurizer-type node runs on the training data too (process_training_data), so
    # training sees the same masked text as inference. It adds no features.
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
)
class InputGuard(ConfigOnlyComponent):
    """Cuts over-long messages and masks NIR / e-mail / phone before any other component."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"max_chars": DEFAULT_MAX_CHARS}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._limit = max_chars(config.get("max_chars"))
        install_log_redaction()

    @property
    def limit(self) -> int:
        return self._limit

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is None:
                continue
            cleaned, report = guard_text(text, self._limit)
            message.set(TEXT, cleaned)
            message.set(GUARD_KEY, report, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Mask identifiers in training examples (never cut them)."""
        for example in training_data.training_examples:
            text = example.get(TEXT)
            if not text:
                continue
            masked = pii.mask_text(text)
            if masked == text:
                continue
            if example.get(ENTITIES):
                # Masking would shift the annotated entity offsets: keep the example as it
                # is and say so (write the placeholder in the training data instead).
                logger.warning(
                    "Training example with entities contains an identifier; not masked. "
                    "Write the placeholder (e.g. %s) in the data instead.",
                    pii.NIR_PLACEHOLDER,
                )
                continue
            example.set(TEXT, masked)
        return training_data


class Decision(NamedTuple):
    """The intent the gate forces. `keep_ranking`: the classifier's ranking stays after it
    (False: it and the entities are dropped, nothing of the message is to be read)."""

    intent: str
    confidence: float
    keep_ranking: bool = True
    reason: str = FAQ_UNSURE


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ConfidenceGate(ConfigOnlyComponent):
    """Final say on the intent: safety patterns, guard findings, gibberish, then the FAQ answer
    confidence and margin."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"faq_threshold": 0.45, "faq_margin": DEFAULT_FAQ_MARGIN, "retrieval_intent": FAQ_INTENT}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._faq_threshold = float(config.get("faq_threshold", 0.45))
        self._faq_margin = faq_margin(config.get("faq_margin"))
        self._retrieval_intent = str(config.get("retrieval_intent") or FAQ_INTENT)
        install_log_redaction()

    @property
    def faq_margin(self) -> float:
        return self._faq_margin

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            decision = self._decide(message)
            if decision is None:
                continue
            _force_intent(message, decision.intent, decision.confidence, decision.keep_ranking)
            # Why, in the parse data: tools/calibrate.py replays the thresholds and must know
            # which decisions do not depend on them.
            message.set(GATE_KEY, {"reason": decision.reason, "intent": decision.intent}, add_to_output=True)
            if not decision.keep_ranking:
                message.set(ENTITIES, [], add_to_output=True)
        return messages

    def _decide(self, message: Message) -> Optional[Decision]:
        """The rules of the module's docstring, in order; None: the classifier's intent stands."""
        text = message.get(TEXT) or ""
        signal = safety.safety_signal(text)
        if signal is not None:
            return Decision(signal, 1.0, reason="safety")
        report = message.get(GUARD_KEY) or {}
        if report.get("masked"):
            return Decision(INTENT_PERSONAL_DATA, 1.0, reason="identifier")
        if report.get("truncated"):
            return Decision(INTENT_TOO_LONG, 1.0, reason="too_long")
        if gibberish.is_gibberish(text):
            return Decision(DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0, keep_ranking=False, reason="gibberish")
        intent_name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent_name != self._retrieval_intent:
            return None
        fallback = Decision(DEFAULT_NLU_FALLBACK_INTENT_NAME, self._faq_threshold)
        answer = self._answer(message)
        if answer is None:
            return fallback
        confidence, margin = answer
        if confidence < self._faq_threshold:
            return fallback
        if self._faq_margin > 0 and margin < self._faq_margin:
            return fallback
        return None

    def _answer(self, message: Message) -> Optional[tuple[float, float]]:
        """The answer selector's confidence in the answer it picked, and how far it is above
        the next answer of its ranking (the whole confidence when there is none); None when
        it picked no answer."""
        selector = message.get("response_selector") or {}
        for key in (self._retrieval_intent, "default"):
            output = selector.get(key) or {}
            response = output.get("response") or {}
            if PREDICTED_CONFIDENCE_KEY not in response:
                continue
            confidence = float(response[PREDICTED_CONFIDENCE_KEY])
            picked = response.get("intent_response_key")
            others = [
                float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
                for r in output.get("ranking") or []
                if r.get("intent_response_key") != picked
            ]
            return confidence, confidence - max(others, default=0.0)
        return None


def _force_intent(message: Message, name: str, confidence: float, keep_ranking: bool = True) -> None:
    forced = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    message.set(INTENT, forced, add_to_output=True)
    ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT_RANKING_KEY, [dict(forced), *(ranking if keep_ranking else [])], add_to_output=True)
