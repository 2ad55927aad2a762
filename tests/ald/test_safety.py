"""Safety net patterns (content/safety_signals.yml, ald/safety.py): distress and
requests for medical advice are caught, and ordinary ALD questions that merely name an
emergency, a disease or a drug are not, nor past emergencies asked about for the ALD; checked
on every example of the training data and of the held-out set too."""

from __future__ import annotations

from pathlib import Path

import pytest

from ald import safety
from tests.nlu_examples import HELD_OUT, TRAINING, examples

SUICIDAL = [
    "je ne veux plus être là",
    "je voudrais que tout s'arrête pour toujours",
    "j'ai envie de mourir",
    "je pense au suicide",
    "JE VEUX EN FINIR",
    "je n’ai plus envie de vivre",
    "jai plus la force de vivre",
    "je vais me foutre en l'air",
    "je veux mettre fin à mes jours",
    "la vie n'a plus de sens depuis le diagnostic",
    "ma vie ne vaut plus rien, je veux partir",
    "parfois je me dis que ce serait plus simple de mourir",
    "des idees suicidaires depuis une semaine",
    "je veux mourir",
    "envie d'en finir",
    "jveu mourir",
    "je vx plus vivre",
    "marre de tout, envie de crever",
    "j'en ai marre de vivre",
    "je pense à la mort tous les jours",
    "tout le monde serait mieux sans moi",
    "je me dis souvent que mes enfants seraient plus tranquilles si je n etais plus la",
    "des fois j'aimerais ne plus être de ce monde",
    # Suicidal words are never set aside, even told as past and asked about for the ALD.
    "j'ai fait une tentative de suicide en 2019, c'est une ALD ?",
]
EMERGENCY = [
    "ma mère ne parle plus normalement et son bras ne bouge plus",
    "mon mari a pris beaucoup trop de comprimés",
    "il a avalé toute la boîte de cachets",
    "j'ai une douleur dans la poitrine qui serre",
    "mon père a perdu connaissance",
    "je n'arrive plus à respirer",
    "je crois qu'il fait un AVC",
    "ma fille convulse",
    "il saigne énormément",
    # Said in the present: always an emergency, whatever else the message asks.
    "je fais un infarctus",
    "mon mari fait un avc la",
    "mon mari fait un AVC là, c'est une ALD ?",
    "douleur dans la poitrine depuis 1h",
    "j'ai une douleur dans la poitrine, c'est pris en charge ?",
    "il respire plus",
    "mon bébé respire pas",
    "il ne respire plus depuis 2 minutes",
    "j'arrive pas a respirer",
    "ma femme vient de faire un AVC",
    "elle est en train de faire une crise cardiaque",
    "je perds connaissance",
    "ma femme a avalé tous ses médicaments",
    "je crache du sang",
    "au secours",
    # Told in the passé composé, but neither dated nor asked about: it may be happening now.
    "il a perdu connaissance",
    "mon père a fait un AVC",
    "mon mari a fait un AVC ce matin",
    "il y a 10 minutes il a perdu connaissance",
    "mon père en ALD a perdu connaissance",
    "il a avalé toute la boîte de cachets de son traitement ALD",
    "mon fils a avalé deux plaquettes de somnifères",
    "il a avalé une plaquette entière",
    "il a pris 30 comprimés",
    "elle a avalé tous mes somnifères",
    "bb a les levres bleues et tousse",
    "il a les lèvres toutes bleues",
    "il devient tout bleu",
    "sa crise d'épilepsie ne s'arrête pas",
    "sa crise d'epilepsie ca s arrete pas depuis 10 min",
    "ma grand mère est toute molle sur le canapé",
    "mon père ne réagit plus quand je lui parle",
    "il ne répond plus",
    # A past event, then one in the present.
    "ma mère a fait un infarctus en mars et là elle respire plus",
]
# Emergencies told as past, hypothetical or a risk, and dated or asked about for the ALD.
PAST_OR_ASKED = [
    "ma mere a fait un infarctus en mars, elle a droit au 100 % ?",
    "depuis mon AVC l'an dernier je suis en ald ?",
    "mon pere a eu un infarctus il y a 2 ans, c'est une ALD ?",
    "mon papa a fait un AVC l'an dernier",
    "ma grand-mère a fait un AVC et elle garde des séquelles, ALD ?",
    "mon mari a fait un AVC, il a droit à l'ALD ?",
    "j'ai fait un infarctus en 2019, mes soins sont pris en charge à 100 % ?",
    "mon père avait fait un infarctus en 2015, son protocole est à renouveler",
    "ma femme a fait une crise d'épilepsie en janvier, c'est remboursé ?",
    "elle avait du mal à respirer l'an dernier, l'insuffisance respiratoire c'est une ALD ?",
    "il a perdu connaissance il y a 3 mois, l'épilepsie est-elle une ALD ?",
    "j'ai eu une douleur dans la poitrine il y a 2 ans, c'est une ALD ?",
    "j'ai avalé trop de médicaments l'an dernier",
    "si je fais un AVC, je suis pris en charge à 100 % ?",
    "une personne qui fait un AVC a droit à l'ALD ?",
    "peut-on faire un infarctus et être en ALD ?",
    "après avoir fait un AVC, on a droit au 100 % ?",
    "je respire plus facilement depuis ma greffe",
    "il respire plus vite que d'habitude, la kiné respiratoire est remboursée ?",
]
MEDICAL_ADVICE = [
    "combien de comprimés de doliprane par jour au maximum ?",
    "quelle dose d'insuline je dois faire ce soir",
    "la dose maximale de paracétamol c'est combien",
    "j'ai oublié mon cachet hier, je peux doubler la dose ?",
    "je peux boire de l'alcool avec mon traitement ?",
    "puis-je prendre de l'ibuprofène avec mon anticoagulant",
    "quels effets secondaires a la chimio ?",
    "les effets indésirables de l'hormonothérapie",
    "quel médicament prendre pour faire baisser la fièvre",
]
ORDINARY = [
    "l'AVC est-il une ALD ?",
    "hospitalisé en urgence, qui fait le protocole de soins ?",
    "insuffisance respiratoire chronique grave, c'est sur la liste ?",
    "la crise cardiaque est elle prise en charge a 100%",
    "mes médicaments sont-ils remboursés à 100 % ?",
    "le protocole est fini, comment le renouveler",
    "je suis suivi pour une dépression, est-ce une ALD ?",
    "combien de temps dure l'exonération pour un cancer",
    "puis-je prendre rendez-vous avec un spécialiste sans passer par mon médecin traitant ?",
    "combien je paie par boîte de médicaments avec les franchises ?",
    "le protocole indique la posologie de mes médicaments ?",
    "quels médicaments sont remboursés à 100 % ?",
    "mon traitement est-il pris en charge en entier ?",
    "si j'arrête de travailler, je garde mon ALD ?",
    "les soins des effets secondaires de ma chimio sont-ils pris à 100 % ?",
    "effets secondaires du traitement, les soins en plus de la liste HAS sont remboursés ?",
    "ma carte vitale est bleue, c'est la bonne ?",
    "le volet bleu du protocole, je le garde ?",
    "mon dossier est tout bleu",
    "la crise sanitaire ne s'arrête pas, mon protocole est bloqué",
    "ma crise de goutte ne s'arrête pas, c'est une ALD ?",
    "la cpam ne répond pas à mes mails",
    "la cpam ne réagit pas à mon courrier",
    "elle ne réagit pas au traitement",
    "mon diabète ne réagit pas à l'insuline",
    "le site ameli ne réagit pas",
    "la caisse ne répond plus, que faire ?",
    "j'ai pris deux boites de mon traitement en pharmacie, remboursé à 100 % ?",
    "il est tout mou depuis sa chimio, ald ?",
    "mon père n'est plus de ce monde, son ALD est close ?",
    "si je n'étais plus la bénéficiaire ?",
    "si je n'étais plus en ALD, je paierais combien ?",
    "",
    "   ",
    "<img src=x onerror=alert(1)>",
    "😀😀😀",
]


@pytest.mark.parametrize("text", SUICIDAL)
def test_suicidal_thoughts_are_caught(text: str) -> None:
    assert safety.safety_signal(text) == safety.SUICIDAL


@pytest.mark.parametrize("text", EMERGENCY)
def test_emergencies_are_caught(text: str) -> None:
    assert safety.safety_signal(text) == safety.EMERGENCY


@pytest.mark.parametrize("text", MEDICAL_ADVICE)
def test_requests_for_medical_advice_are_caught(text: str) -> None:
    assert safety.safety_signal(text) == safety.MEDICAL_ADVICE


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_questions_are_left_to_the_classifier(text: str) -> None:
    assert safety.safety_signal(text) is None


@pytest.mark.parametrize("text", PAST_OR_ASKED)
def test_past_emergencies_asked_about_are_left_to_the_classifier(text: str) -> None:
    assert safety.safety_signal(text) is None


def test_suicidal_thoughts_come_before_the_emergency() -> None:
    assert safety.safety_signal("j'ai pris trop de cachets, je veux mourir") == safety.SUICIDAL


def test_an_emergency_comes_before_the_request_for_advice() -> None:
    assert (
        safety.safety_signal("il a pris trop de comprimés, quelle dose est dangereuse ?") == safety.EMERGENCY
    )


def test_a_signals_file_without_one_of_the_lists_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "signals.yml"
    bad.write_text("suicidal_thoughts: ['suicid']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="emergency"):
        safety.safety_signal("bonjour", path=str(bad))


def test_the_emergency_exceptions_are_checked(tmp_path: Path) -> None:
    base = "suicidal_thoughts: ['suicid']\nemergency: ['fait un avc']\nmedical_advice: ['quelle dose']\n"
    bad = tmp_path / "signals.yml"
    bad.write_text(base + "emergency_not_now: {told: ['a '], past: ['en mars']}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="emergency_not_now"):
        safety.safety_signal("bonjour", path=str(bad))
    plain = tmp_path / "plain.yml"  # no exceptions: every match counts
    plain.write_text(base, encoding="utf-8")
    assert safety.safety_signal("elle a fait un avc en mars, ald ?", path=str(plain)) == safety.EMERGENCY
    dated = tmp_path / "dated.yml"
    dated.write_text(base + "emergency_not_now: {told: ['a '], past_time: ['en mars']}\n", encoding="utf-8")
    assert safety.safety_signal("elle a fait un avc en mars", path=str(dated)) is None
    assert safety.safety_signal("elle a fait un avc, ald ?", path=str(dated)) == safety.EMERGENCY


def test_ten_thousand_characters_are_scanned() -> None:
    assert safety.safety_signal("protocole " * 1000) is None
    assert safety.safety_signal("protocole " * 999 + "je veux mourir") == safety.SUICIDAL


# --- Every example of the NLU data ---------------------------------------------------------

#: The safety intents, in the order of precedence of the patterns (ald.safety.ORDER).
RANK = {name: rank for rank, name in enumerate(safety.ORDER)}
INTENT_EXAMPLES = {
    "training": [e for e in examples(TRAINING) if e.kind == "intent"],
    "held-out": [e for e in examples(HELD_OUT) if e.kind == "intent"],
}


@pytest.mark.parametrize("name", INTENT_EXAMPLES)
def test_no_example_of_another_intent_is_caught(name: str) -> None:
    """No FAQ, personal or conversation example (a past AVC asked about for the ALD, a
    hospitalisation, a drug's coverage...) gets a safety answer."""
    found = INTENT_EXAMPLES[name]
    others = [e for e in found if e.name not in RANK]
    assert len(others) > 100
    caught = [(e.name, e.text, safety.safety_signal(e.text)) for e in others if safety.safety_signal(e.text)]
    assert not caught, f"{name} examples caught by a safety pattern: {caught[:10]}"


@pytest.mark.parametrize("name", INTENT_EXAMPLES)
def test_a_pattern_never_contradicts_the_label_of_a_safety_example(name: str) -> None:
    """A safety example is caught as labelled, or as a safety intent that comes first (a
    suicidal message that also tells an overdose gets 3114), or left to the classifier; an
    emergency is never taken for a mere request for advice, suicidal words never for less."""
    wrong = []
    for e in INTENT_EXAMPLES[name]:
        signal = safety.safety_signal(e.text)
        if e.name in RANK and signal is not None and RANK[signal] > RANK[e.name]:
            wrong.append((e.name, e.text, signal))
    assert not wrong, wrong


def test_most_training_examples_of_distress_are_caught_by_the_patterns_too() -> None:
    """The net is a second line behind the classifier: it must still catch most of the
    distress examples it is meant for (today 33 of 37 suicidal, 28 of 42 emergencies)."""
    for intent, floor in ((safety.SUICIDAL, 0.8), (safety.EMERGENCY, 0.6)):
        labelled = [e for e in INTENT_EXAMPLES["training"] if e.name == intent]
        caught = [e for e in labelled if safety.safety_signal(e.text) in safety.ORDER[: RANK[intent] + 1]]
        assert len(caught) >= floor * len(labelled), (intent, len(caught), len(labelled))


@pytest.mark.parametrize(
    "text",
    [
        "jai fait un infarctus l'an dernier, je suis a 100 % pour combien de temps ?",
        "javais fait un avc en mars, c'est une ald ?",
    ],
)
def test_past_events_in_sms_spelling_are_not_emergencies(text: str) -> None:
    assert safety.safety_signal(text) is None


def test_a_present_emergency_in_sms_spelling_still_fires() -> None:
    assert safety.safety_signal("je fais un infarctus la, jai mal au bras") == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "mon père a perdu connaissance depuis une heure",
        "elle a pris trop de comprimés après une dispute",
        "ma mère a avalé toute la boîte de ses comprimés depuis une heure",
        "il a perdu connaissance, c'est une ALD ?",
        "mon mari a fait un malaise et ne se reveille pas",
    ],
)
def test_what_is_happening_now_is_never_set_aside(text: str) -> None:
    assert safety.safety_signal(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "il a fait un infarctus ce matin, la caisse va rembourser ?",
        "ma mere a fait un avc il y a une heure, c'est une ald ?",
    ],
)
def test_an_event_of_just_now_is_an_emergency_even_asked_about(text: str) -> None:
    assert safety.safety_signal(text) == "emergency"


# --- A past event, and its lasting sequels told in the present --------------------------------

PAST_EVENTS_AND_SEQUELS = [
    "mon grand pere a fait un avc cet ete, il est paralysé d'un coté maintenant",
    "mon grand-père a fait un AVC cet été",
    "il a fait un AVC l'an dernier",
    "elle a fait un avc en mars",
    "il a fait un avc il y a 2 ans",
    "il a eu un AVC en 2024",
    "après son infarctus de l'année dernière, il a droit à quoi ?",
    "depuis son avc il est paralysé d'un côté",
    "suite à son AVC il ne parle plus bien",
    "il est paralysé d'un côté maintenant",
    "elle ne parle plus bien depuis son avc",
    "il a fait un infarctus cet hiver, c'est une ald ?",
    "ma mère a fait une crise cardiaque l'été dernier",
    "elle a fait une embolie pulmonaire le mois dernier",
    "il a fait une embolie il y a 6 semaines",
    "il a fait un malaise la semaine dernière",
    "mon mari a fait un infarctus il y a 3 mois, il a droit au 100 % ?",
    "elle a fait une attaque cérébrale l'an passé",
    "il a fait un avc ce printemps, c'est une ald ?",
    "il a fait un AVC l'an dernier et aujourd'hui il est hémiplégique, c'est une ALD ?",
    "mon père a fait un AVC l'été dernier, il est en fauteuil maintenant, ald possible ?",
    "il a fait un avc cet été et maintenant il a du mal à parler",
    "il a fait un avc l'an dernier, maintenant il a le bras paralysé",
    "suite à son AVC il est paralysé d'un côté maintenant, ça peut passer en ald ?",
    "il a le bras paralysé depuis son avc de l'an dernier",
    "elle a la bouche de travers depuis son AVC il y a 2 ans",
    "elle a la bouche de travers depuis son AVC d'il y a 3 mois",
    "il a la bouche de travers depuis son avc en 2019",
    "elle ne parle plus normalement depuis 2 ans",
    "il a le visage paralysé depuis l'an dernier",
    "elle ne parle plus bien depuis son avc de l'an dernier",
    "il avait du mal à respirer après son opération il y a 2 ans",
]
PRESENT_EMERGENCIES = [
    "mon père fait un AVC",
    "je crois que ma femme fait un avc",
    "il a la bouche de travers depuis 10 minutes",
    "il vient de faire un malaise",
    "AVC en cours",
    "infarctus en cours, que faire",
    "il est paralysé d'un coup",
    "tout à coup elle est paralysée",
    "il a le visage paralysé d'un coup",
    "hier soir il a fait un malaise et là il respire mal",
    "il a fait un malaise la semaine dernière et là il respire mal",
    "elle fait une embolie pulmonaire",
    "il a fait une crise cardiaque ce matin",
    "mon mari a fait un avc il y a 10 minutes",
    "il a la bouche de travers",
    "maintenant il a le bras paralysé",
    "il a le bras paralysé depuis 10 minutes",
    "elle a la bouche de travers depuis son AVC il y a 2 heures",
    "il a fait un avc l'an dernier et il est paralysé d'un coup maintenant",
    "il a fait un malaise l'an dernier et tout à coup il ne peut plus bouger",
    "il a fait un avc cet été, il est paralysé d'un côté maintenant et là il respire mal",
    "ma mère a fait un AVC l'an dernier et maintenant elle ne parle plus du tout",
    "mon père a fait un AVC l'an dernier, il en refait un maintenant",
    "il fait un malaise cet été ?",
    # Missed once a `lasting` span set aside every match inside it, ignored its now-word for
    # every match, and took an undated "depuis son AVC / opération" for a past.
    "il ne parle plus du tout depuis son attaque tout à l'heure",
    "ma mère a la bouche de travers depuis son opération",
    "il a la bouche de travers depuis son operation hier",
    "mon fils ne parle plus normalement depuis son accident",
    "il ne parle plus normalement depuis son hospitalisation",
    "son bras ne bouge plus depuis son AVC d'hier",
    "mon père a fait un AVC en mars, il est paralysé et a du mal à respirer aujourd'hui",
    "il a fait un avc il y a 2 ans, maintenant il s'étouffe et il est paralysé",
    "aujourd'hui il a perdu connaissance et il reste handicapé depuis son avc",
    "elle garde des sequelles et ne se reveille plus maintenant depuis son avc",
    # A sign since an undated event: the event may be of today.
    "il a le bras paralysé depuis son avc",
    "elle a la bouche de travers depuis son AVC",
    "mon père a perdu connaissance depuis son opération",
    "elle a perdu connaissance après son accident",
    "il a avalé toute la boîte de cachets depuis son hospitalisation",
    # An event of just now, and an acute sign inside a sequel's span.
    "il a fait un avc hier, c'est une ald ?",
    "il a fait un avc avant-hier",
    "je viens de faire un malaise",
    "il a fait un malaise cette semaine",
    "il a fait un avc en mars, il est paralysé et a refait un avc maintenant",
    "il a fait un avc l'an dernier, il est paralysé et il fait un malaise maintenant",
]


@pytest.mark.parametrize("text", PAST_EVENTS_AND_SEQUELS)
def test_a_past_event_or_its_lasting_sequel_is_not_an_emergency(text: str) -> None:
    assert safety.safety_signal(text) is None


@pytest.mark.parametrize("text", PRESENT_EMERGENCIES)
def test_an_emergency_happening_now_still_fires(text: str) -> None:
    assert safety.safety_signal(text) == safety.EMERGENCY


def test_breathing_badly_in_general_is_not_an_emergency() -> None:
    assert safety.safety_signal("je respire mal la nuit, c'est une ALD ?") is None


def test_a_now_word_inside_a_lasting_sequel_does_not_put_the_event_now(tmp_path: Path) -> None:
    base = (
        "suicidal_thoughts: ['suicid']\nemergency: ['fait un avc', 'bouche de travers']\n"
        "medical_advice: ['quelle dose']\n"
        "emergency_not_now: {told: ['a fait '], past_time: ['en mars', 'depuis son avc'],"
        " right_now: ['maintenant']"
    )
    without = tmp_path / "without.yml"
    without.write_text(base + "}\n", encoding="utf-8")
    told = "il a fait un avc en mars, il est paralyse maintenant"
    sign = "il a la bouche de travers depuis son avc"
    assert safety.safety_signal(told, path=str(without)) == safety.EMERGENCY
    assert safety.safety_signal(sign, path=str(without)) == safety.EMERGENCY
    lasting = tmp_path / "lasting.yml"
    lasting.write_text(
        base + ", lasting: ['(?P<sign>paralyse).*maintenant',"
        " '(?P<sign>bouche) de travers depuis son avc']}\n",
        encoding="utf-8",
    )
    assert safety.safety_signal(told, path=str(lasting)) is None
    assert safety.safety_signal(sign, path=str(lasting)) is None
    assert safety.safety_signal("il a fait un avc en mars, maintenant", path=str(lasting)) == safety.EMERGENCY
    # Only a match of the sign is set aside, and the now-word counts for another match inside
    # the span: "la bouche de travers" is no sequel of "paralyse ... maintenant".
    inside = "il a fait un avc en mars, il est paralyse et a la bouche de travers maintenant"
    assert safety.safety_signal(inside, path=str(lasting)) == safety.EMERGENCY
    again = "il a fait un avc en mars, il est paralyse et a fait un avc maintenant"
    assert safety.safety_signal(again, path=str(lasting)) == safety.EMERGENCY


def test_a_lasting_pattern_without_a_sign_group_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "signals.yml"
    bad.write_text(
        "suicidal_thoughts: ['suicid']\nemergency: ['fait un avc']\nmedical_advice: ['quelle dose']\n"
        "emergency_not_now: {lasting: ['paralyse maintenant']}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="sign"):
        safety.safety_signal("bonjour", path=str(bad))
