"""Gibberish detector (ald/gibberish.py, content/common_words.yml): keyboard mashing is caught,
and no real message is, from "ok" to SMS spelling, numbers and emoji, nor any example of the
training data or of the held-out set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ald import gibberish
from ald.content import content_file
from tests.nlu_examples import HELD_OUT, TRAINING, examples

ROOT = Path(__file__).resolve().parents[2]

GIBBERISH = [
    # The examples.
    "azertyuiop",
    "qsdfghjkl",
    "hhhhhhhhhhhhhhhhhh",
    "aaaaaa",
    "jjjjdkdkdkd",
    "123456789",
    "?????",
    "zzzz",
    # One key held down, in capitals, with spaces.
    "AAAAAAAA",
    "mmmmmmmmmm",
    "0000000",
    "hhhh hhhh",
    # Keyboard rows, forwards and backwards, AZERTY and QWERTY, the alphabet.
    "qwerty",
    "asdf",
    "wxcvbn",
    "poiuytreza",
    "azertyuiop qsdfgh",
    "abcdefg",
    "987654321",
    # A chunk typed again and again, no vowel, consonants piled up.
    "dfgdfgdfg",
    "dkdkdkdk",
    "lalalalala",
    "sdkjfhsdkjfh",
    "fjdksl",
    "qmsldkfjqmsldkfj",
    "ghjgjhgkjhg",
    # Punctuation only.
    "...",
    "?",
    "!!!!!!",
    "?!?!",
    "??",
]

NOT_GIBBERISH = [
    # The examples.
    "ok",
    "oui",
    "non",
    "merci",
    "slt",
    "bjr",
    "jsuis en ald",
    "c koi le protocol",
    "ald",
    "100%",
    "cc",
    "mdr",
    "svp",
    "15",
    "le 12/03",
    # Emoji and smileys: a thumbs-up may be a yes, a smiley a thanks (the classifier decides).
    "👍",
    "🙏🙏",
    "😀😀😀",
    "❤️",
    ":)",
    ":-(",
    "xD",
    "<3",
    "^^",
    "-_-",
    "azertyuiop 👍",
    # Letters held down on a real word, laughter, interjections.
    "ouiiiii",
    "nonnnnnn",
    "merciiii",
    "okkkk",
    "mdrrrrr",
    "ptdrrr",
    "hahaha",
    "hihihi",
    "pfffff",
    "hmmmm",
    "mmm",
    "allooo",
    "euh",
    # SMS spelling, typos, abbreviations, acronyms.
    "jpp",
    "tkt",
    "dsl",
    "qqch",
    "tjrs",
    "bcp",
    "pcq",
    "rdv",
    "cpam",
    "bpco",
    "renouvelement",
    "protocl",
    "kiné",
    "ald 30",
    "slt jveu savoir pr mon ald",
    # Numbers, dates and times.
    "2025",
    "12h30",
    "1er mars",
    "10/01/2026",
    "0,3",
    "3646",
    "1234",
    # Not French: another language or script is the classifier's business.
    "hello",
    "Привет",
    "مرحبا",
    "你好",
    # A real word inside the mashing: left to the classifier.
    "bonjour azertyuiop",
    # Words that hold a keyboard run, a repeated chunk, or many consonants.
    "entrez",
    "gazer",
    "liberty",
    "blablabla",
    "mêmement",
    "abstrait",
    "instruction",
    "strict",
    # Nothing to judge; a button's payload.
    "",
    "   ",
    "/affirm",
]


@pytest.mark.parametrize("text", GIBBERISH)
def test_keyboard_mashing_is_gibberish(text: str) -> None:
    assert gibberish.is_gibberish(text)


@pytest.mark.parametrize("text", NOT_GIBBERISH)
def test_real_messages_are_not_gibberish(text: str) -> None:
    assert not gibberish.is_gibberish(text)


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("oui", gibberish.KNOWN),
        ("ouiiii", gibberish.KNOWN),
        ("42", gibberish.KNOWN),
        ("hahaha", gibberish.KNOWN),
        ("protocole", gibberish.UNKNOWN),
        ("привет", gibberish.UNKNOWN),
        ("aaaa", gibberish.NONSENSE),
        ("1111", gibberish.NONSENSE),
        ("12345", gibberish.NONSENSE),
        ("azertyuiop", gibberish.NONSENSE),
        ("jjjjdk", gibberish.NONSENSE),
    ],
)
def test_token_kinds(token: str, kind: str) -> None:
    assert gibberish.token_kind(token) == kind


def test_half_of_the_message_must_be_nonsense() -> None:
    assert gibberish.is_gibberish("azertyuiop ghj")  # 10 nonsense letters out of 13
    assert not gibberish.is_gibberish("qwer protocl renouvelement")  # 4 out of 23


def test_words_of_the_vocabulary_are_known() -> None:
    assert {"kine", "bpco", "vih", "parkinson"} <= gibberish.known_words()


def test_the_word_list_is_lists_of_quoted_strings() -> None:
    """YAML reads a bare `on`, `yes` or `no` as a boolean: the loader refuses it."""
    raw = yaml.safe_load(content_file(gibberish.WORDS_FILE).read_text(encoding="utf-8"))
    assert raw and all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in raw.values())
    assert {"on", "yes", "no"} <= gibberish.known_words()


TRAINING_EXAMPLES = examples(TRAINING)
HELD_OUT_EXAMPLES = examples(HELD_OUT)


def test_the_examples_are_read() -> None:
    assert len(TRAINING_EXAMPLES) > 2500 and len(HELD_OUT_EXAMPLES) > 150
    assert not any("](" in e.text or "]{" in e.text for e in TRAINING_EXAMPLES + HELD_OUT_EXAMPLES)


@pytest.mark.parametrize("name,found", [("training", TRAINING_EXAMPLES), ("held-out", HELD_OUT_EXAMPLES)])
def test_no_example_of_the_nlu_data_is_gibberish(name: str, found: list) -> None:
    flagged = [e.id for e in found if gibberish.is_gibberish(e.text)]
    assert not flagged, f"{len(flagged)} {name} examples taken for gibberish: {flagged[:10]}"


def test_test_stories_send_gibberish_to_the_fallback_only() -> None:
    """A user message of the conversation tests that is gibberish is labelled nlu_fallback."""
    wrong = []
    for path in sorted((ROOT / "tests" / "stories").glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8")).get("stories") or []:
            for step in story.get("steps") or []:
                text = step.get("user")
                if text and gibberish.is_gibberish(text) and step.get("intent") != "nlu_fallback":
                    wrong.append((path.name, story["story"], text.strip()))
    assert not wrong, wrong


@pytest.mark.parametrize("text", ["truc", "un truc", "Machin ?", "des bidules", "trucmuche"])
def test_a_placeholder_alone_says_nothing(text: str) -> None:
    assert gibberish.is_gibberish(text)


@pytest.mark.parametrize(
    "text", ["ça sert à quoi ce truc", "un truc pour le kiné", "chose promise", "le truc de la caisse"]
)
def test_a_placeholder_in_a_real_message_is_left_to_the_classifier(text: str) -> None:
    assert not gibberish.is_gibberish(text)
