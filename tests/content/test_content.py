"""Checks of the content (domain, FAQ answers, training data, figures, phrases) that Rasa's own
validator does not make: every answer reachable and well formed, figures from one place, enough
examples."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Dict, List, Set, get_args, get_type_hints

import pytest
import yaml

from tools.gen_dialogue import load_domain

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = load_domain(ROOT)
FIGURES = yaml.safe_load((ROOT / "content" / "figures.yml").read_text(encoding="utf-8"))["figures"]
ACTIONS_SRC = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "actions").glob("*.py")))
# The single-date forms' answers are <response>_<status>, the prefix written in the form table.
FORM_PREFIXES = {
    f["response"]
    for f in yaml.safe_load((ROOT / "dialogue" / "forms.yml").read_text(encoding="utf-8"))["forms"].values()
    if f.get("response")
}
PHRASES = yaml.safe_load((ROOT / "content" / "phrases.yml").read_text(encoding="utf-8"))
TOPICS = yaml.safe_load((ROOT / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
FORMS = yaml.safe_load((ROOT / "dialogue" / "forms.yml").read_text(encoding="utf-8"))["forms"]


def _data_files(folder: str) -> List[Path]:
    return sorted((ROOT / folder).rglob("*.yml"))


def _nlu_examples(folder: str) -> Dict[str, List[str]]:
    examples: Dict[str, List[str]] = {}
    for path in _data_files(folder):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in doc.get("nlu", []) or []:
            if "intent" in block:
                lines = [
                    line[2:].strip()
                    for line in block["examples"].splitlines()
                    if line.strip().startswith("- ")
                ]
                examples.setdefault(block["intent"], []).extend(lines)
    return examples


def _data_responses() -> Dict[str, list]:
    responses: Dict[str, list] = {}
    for path in _data_files("data"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        responses.update(doc.get("responses", {}) or {})
    return responses


def _faq_answers() -> Dict[str, list]:
    """The FAQ answers of content/faq/, named as action_faq names them (utter_faq/<topic>) and
    shaped like responses (a list of one variant), so that they get the checks of every answer."""
    answers: Dict[str, list] = {}
    for path in sorted((ROOT / "content" / "faq").glob("*.yml")):
        for topic, answer in (yaml.safe_load(path.read_text(encoding="utf-8")).get("answers") or {}).items():
            answers[f"utter_faq/{topic}"] = [answer]
    return answers


FAQ_ANSWERS = _faq_answers()
ALL_RESPONSES = {**DOMAIN["responses"], **_data_responses(), **FAQ_ANSWERS}
TRAIN = _nlu_examples("data")


def _texts():
    for name, variants in ALL_RESPONSES.items():
        for v in variants:
            yield name, v.get("text", ""), v


def _used_in_dialogue() -> set:
    used = set()
    for path in _data_files("data"):
        for m in re.finditer(r"action:\s*(\S+)", path.read_text(encoding="utf-8")):
            used.add(m.group(1))
    return used


def test_every_response_the_actions_send_exists():
    names = set(re.findall(r'response="(utter_[a-z0-9_]+)"', ACTIONS_SRC))
    prefixes = set(re.findall(r'response=f"(utter_[a-z0-9_]+)_\{', ACTIONS_SRC)) | FORM_PREFIXES
    assert names, "no response found in actions.py"
    missing = sorted(n for n in names if n not in ALL_RESPONSES)
    assert not missing, f"responses sent by actions but missing from the domain: {missing}"
    for prefix in prefixes:
        assert any(r.startswith(prefix + "_") for r in ALL_RESPONSES), prefix


def test_every_response_is_reachable():
    """Each response is used by a rule/story, asked by a form, or sent by an action."""
    used = _used_in_dialogue()
    slots = set(DOMAIN["slots"])
    sent = set(re.findall(r'"(utter_[a-z0-9_]+)"', ACTIONS_SRC))
    prefixes = set(re.findall(r'f"(utter_[a-z0-9_]+)_\{', ACTIONS_SRC)) | FORM_PREFIXES
    unreachable = []
    for name in DOMAIN["responses"]:
        if name in used or name in sent:
            continue
        if name == "utter_default":  # Rasa's action_default_fallback (RulePolicy's core fallback)
            continue
        if name.startswith("utter_ask_") and name[len("utter_ask_") :] in slots:
            continue
        if any(name.startswith(p + "_") for p in prefixes):
            continue
        unreachable.append(name)
    assert not unreachable, f"responses nothing can send: {unreachable}"


def _result_codes(rule: str) -> Set[str]:
    """The `status` codes an ald rule ("delays.renewal") can return, from its result's type."""
    module, function = rule.split(".")
    result = get_type_hints(getattr(importlib.import_module(f"ald.{module}"), function))["return"]
    return set(get_args(get_type_hints(result)["status"]))


def test_responses_named_by_a_result_code_are_the_codes():
    """utter_<x>_<code> responses: one per code the rules module returns, none other (a
    response for a code that cannot happen would never be sent)."""
    from ald.eligibility import Kind

    expected = {"utter_elig": {k for k in get_args(Kind) if k != "need_more_info"}}  # → coverage_more_info
    for spec in FORMS.values():
        if "rule" in spec:
            expected[spec["response"]] = _result_codes(spec["rule"])
    for prefix, codes in expected.items():
        found = {r[len(prefix) + 1 :] for r in DOMAIN["responses"] if r.startswith(prefix + "_")}
        assert found == codes, prefix


def test_figures_come_from_figures_yml_only():
    slot_figs = {s[len("fig_") :] for s in DOMAIN["slots"] if s.startswith("fig_")}
    assert slot_figs == set(FIGURES), "each figure needs its fig_ slot and vice versa"
    for key, fig in FIGURES.items():
        assert fig.get("value") and fig.get("source"), key
        assert fig.get("since") or fig.get("checked"), f"{key} has no date"
    texts = [t for _, t, _ in _texts()] + [str(v) for g in PHRASES.values() for v in g.values()]
    for text in texts:
        for placeholder in re.findall(r"\{fig_([a-z0-9_]+)\}", text):
            # {fig_<key>_since}: the date the figure applies from (ald.figures.since_text)
            base = placeholder[: -len("_since")] if placeholder.endswith("_since") else placeholder
            assert placeholder in FIGURES or FIGURES.get(base, {}).get("since"), placeholder
    # The phone numbers, amounts and rates of figures.yml are never typed into an answer.
    typed = [f["value"] for f in FIGURES.values() if re.search(r"\d.*(€|%)|\d\d \d\d", f["value"])]
    assert "2 €" in typed and "01 53 62 40 30" in typed and "55 %" in typed
    for name, text, _ in _texts():
        for value in typed:
            retyped = re.search(rf"(?<![\d,.]){re.escape(value)}", text)
            assert not retyped, f"{name} retypes the figure {value!r}"


@pytest.mark.parametrize("name,text", [(n, t) for n, t, _ in _texts()])
def test_answer_form(name, text):
    assert text.strip(), name
    filled = re.sub(r"\{fig_[a-z0-9_]+\}", "XXXXXXXXXX", text)
    assert len(filled) <= 650, f"{name} is {len(filled)} characters long"
    assert "**" not in text and "|" not in text and "<" not in text, f"{name}: markdown/HTML"
    assert "](" not in text, f"{name}: a markdown link (write the address out, for the helpline)"
    assert not re.search(r"\bvolet\s*(n°\s*)?[1-4]\b", text), f"{name} names a volet by number"
    assert not re.search(r"\btu\b|\bton\b|\btes\b", text.lower()), f"{name} should say vous"
    if name.startswith("utter_faq/"):
        assert "Source :" in text, f"{name} has no source"


def test_faq_answers_have_next_question_buttons():
    faq = FAQ_ANSWERS
    assert faq
    without = [n for n, v in faq.items() if not v[0].get("buttons")]
    assert len(without) <= len(faq) // 4, f"FAQ answers without buttons: {without}"


def test_enough_examples_per_intent():
    assert TRAIN
    too_few = {
        i: len(e)
        for i, e in TRAIN.items()
        if len(e) < (12 if i.startswith("faq/") else 20) and i != "message_too_long"
    }
    assert not too_few, f"intents with too few examples: {too_few}"


def test_no_duplicate_examples_across_intents():
    owner: Dict[str, str] = {}
    clashes = []
    for intent, examples in TRAIN.items():
        for e in examples:
            key = re.sub(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}", r"\1\2", e).lower().strip()
            if key in owner and owner[key] != intent:
                clashes.append((key, owner[key], intent))
            owner[key] = intent
    assert not clashes, clashes[:10]


@pytest.mark.parametrize("folder, at_least", [("tests/nlu", 400), ("tests/nlu-calibration", 300)])
def test_held_out_and_calibration_sets_are_separate_and_large_enough(folder: str, at_least: int):
    test = _nlu_examples(folder)
    n = sum(len(v) for v in test.values())
    assert n >= at_least, n
    train = {e.lower() for v in TRAIN.values() for e in v}
    leaked = [e for v in test.values() for e in v if e.lower() in train]
    assert not leaked, f"{folder} messages also in training data: {leaked[:5]}"
    assert set(test) <= set(TRAIN), set(test) - set(TRAIN)


def test_calibration_set_is_not_the_held_out_set():
    held_out = {e.lower() for v in _nlu_examples("tests/nlu").values() for e in v}
    shared = [e for v in _nlu_examples("tests/nlu-calibration").values() for e in v if e.lower() in held_out]
    assert not shared, shared[:5]


def test_topics_cover_the_faq():
    faq = {i.split("/", 1)[1] for i in TRAIN if i.startswith("faq/")}
    assert faq == set(TOPICS), faq ^ set(TOPICS)
    answered = {n.split("/", 1)[1] for n in FAQ_ANSWERS}
    assert answered == set(TOPICS), answered ^ set(TOPICS)


def test_no_answer_is_training_data():
    """Answers live in the domain (utter_*) or in content/faq/ (FAQ), never in data/: an FAQ
    answer there would be training data, and editing it would retrain the model."""
    assert not _data_responses()
    assert not [n for n in DOMAIN["responses"] if n.startswith("utter_faq")]


def test_each_faq_topic_has_conversation_test():
    stories = "\n".join(p.read_text(encoding="utf-8") for p in _data_files("tests/stories"))
    faq = {i for i in TRAIN if i.startswith("faq/")}
    missing = [i for i in faq if f"intent: {i}\n" not in stories + "\n"]
    assert not missing, missing
    assert "utter_faq/" not in stories.replace("intent: faq/", ""), "use action: action_faq (rasa#8459)"


@pytest.mark.parametrize(
    "response, figure",
    [
        ("utter_ask_sent_date", "delai_decision"),
        ("utter_ask_valid_until", "delai_renouvellement"),
        ("utter_ask_derog_start", "duree_derogatoire"),
        ("utter_ask_request_date", None),
    ],
)
def test_first_question_of_a_date_form_gives_the_general_rule(response, figure):
    # A general question ("how long does the caisse take?") that the classifier takes for a
    # personal one starts a form: its first question must answer the general question too.
    text = ALL_RESPONSES[response][0]["text"]
    rule, _, question = text.rpartition(". ")
    assert rule and "?" in question and "?" not in rule, text
    if figure:
        assert "{fig_" + figure + "}" in rule


def test_follow_up_topics_follow_a_real_answer_and_exist() -> None:
    content = yaml.safe_load((ROOT / "content" / "topics.yml").read_text(encoding="utf-8"))
    answers = {"disease", *FORMS}
    for after, topics in content["follow_ups"].items():
        assert after in answers, after
        assert set(topics) <= set(TOPICS), (after, set(topics) - set(TOPICS))


# --------------------------------------------------------------- right, short and complete (issue 15)

MAX_WORDS = 60  # before the source line, figures filled in


def _fill(text: str) -> str:
    from ald.figures import fill_figures

    return fill_figures(text)


def _words(text: str) -> List[str]:
    """The words of `text` (punctuation alone, "-" of a list, "«", ":", is not a word)."""
    return [w for w in text.split() if re.search(r"\w", w)]


FAQ_RAW = {
    topic: answer
    for path in sorted((ROOT / "content" / "faq").glob("*.yml"))
    for topic, answer in (yaml.safe_load(path.read_text(encoding="utf-8")).get("answers") or {}).items()
}


@pytest.mark.parametrize("topic", sorted(FAQ_RAW))
def test_faq_answer_is_short_and_ends_on_its_source(topic: str) -> None:
    """The first sentence answers, at most ~60 words before the source line (figures filled
    in); what more there is to say goes to `details` (the "En savoir plus" button)."""
    answer = FAQ_RAW[topic]
    text = _fill(answer["text"])
    before, source, where = text.rpartition("Source : ")
    assert source and where.strip() and "\n" not in where, f"{topic}: no source line at the end"
    assert len(_words(before)) <= MAX_WORDS, f"{topic}: {len(_words(before))} words"
    for part in (answer["text"], answer.get("details") or ""):
        assert not re.search(r"\bvolets?\s*(n°\s*)?[1-4]\b", part), f"{topic} names a volet by number"
        assert "{" not in _fill(part), f"{topic}: a placeholder that is no figure"


def _all_texts() -> List[tuple]:
    texts = [(name, text) for name, text, _ in _texts()]
    texts += [(f"details/{t}", a["details"]) for t, a in FAQ_RAW.items() if a.get("details")]
    texts += [(f"phrases/{g}.{k}", str(v)) for g, d in PHRASES.items() for k, v in d.items()]
    return texts


#: The durations of figures.yml (those with days or months): never typed in a text.
DURATION_WORDS = sorted(
    {str(f["value"]) for f in FIGURES.values() if f.get("days") or f.get("months")}
    | {"deux semaines", "un mois", "deux mois", "trois mois", "six mois"}
)


def test_duration_words_come_from_figures_yml() -> None:
    assert {"deux semaines", "un mois", "trois mois", "six mois"} <= set(DURATION_WORDS)
    typed = [
        (name, word)
        for name, text in _all_texts()
        for word in DURATION_WORDS
        if re.search(rf"\b{word}\b", re.sub(r"\{fig_\w+\}", "", text), re.IGNORECASE)
    ]
    assert not typed, typed


def test_at_100_percent_is_of_the_base_tariff() -> None:
    """A sentence that says a care is "à 100 %" says of what: the base tariff (FACTS.md, 'What
    is covered'). Not a negation, a question, the name of the scheme ("la prise en charge à
    100 %") nor a list of subjects ("pris en charge à 100 % ou non")."""
    unlimited = []
    for name, text in _all_texts():
        for sentence in re.split(r"(?<=[.?!])\s+|\n", text):
            s = re.sub(r"\b(la|une|première) prise en charge à 100 %", "", sentence)
            claims = re.search(r"(?<!pas )\bà 100 %", s) and "?" not in s and "ou non" not in s
            if claims and "tarif" not in s:
                unlimited.append((name, sentence))
    assert not unlimited, unlimited


def test_conditions_any_one_of_the_three_and_ald_32_over_six_months() -> None:
    text = FAQ_RAW["conditions"]["text"]
    assert "Une seule" in text and "il faut :" not in text
    assert "plus de {fig_duree_minimale_ald} de soins continus (ALD 32)" in text


def test_derogatory_period_can_be_renewed() -> None:
    assert "renouvel" in FAQ_RAW["procedure_derogatoire"]["text"]
    for name in ("utter_derogatory_ended", "utter_derogatory_ok"):
        assert "renouvel" in ALL_RESPONSES[name][0]["text"], name


def test_decision_delays_run_from_receipt_and_observations_suspend_them() -> None:
    for name in ("utter_decision_waiting_conseil", "utter_decision_waiting_decision"):
        text = ALL_RESPONSES[name][0]["text"]
        assert "réception" in text and "observations" in text and "suspend" in text, name
        assert "quelques jours" in text, name
    assert "est passé depuis" not in ALL_RESPONSES["utter_decision_waiting_decision"][0]["text"]
    assert "observations" in ALL_RESPONSES["utter_decision_overdue"][0]["text"]
    assert "{fig_suspension_observations}" in FAQ_RAW["observations_medecin_conseil"]["text"]


def test_cure_thermale_claims_only_what_facts_support() -> None:
    text = FAQ_RAW["cure_thermale"]["text"]
    assert "100 %" not in text and "transport et de séjour" in text and "caisse" in text


def test_helpline_closed_says_so_first_and_emergency_ends_on_the_number() -> None:
    closed = ALL_RESPONSES["utter_helpline_closed"][0]["text"]
    assert closed.startswith("La ligne Santé Info Droits est fermée, elle rouvre {next_opening}.")
    assert ALL_RESPONSES["utter_emergency"][0]["text"].rstrip(". ").endswith("{fig_tel_urgence}")
    lonely = [name for name, text in _all_texts() if "pas seul " in text or "pas seul :" in text]
    assert not lonely, lonely
