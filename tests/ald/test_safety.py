"""Safety net patterns (content/safety_signals.yml, ald/safety.py): distress and
requests for medical advice are caught, and ordinary ALD questions that merely name an
emergency, a disease or a drug are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from ald import safety

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


def test_ten_thousand_characters_are_scanned() -> None:
    assert safety.safety_signal("protocole " * 1000) is None
    assert safety.safety_signal("protocole " * 999 + "je veux mourir") == safety.SUICIDAL
