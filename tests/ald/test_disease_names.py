"""Disease names as patients write them → the ALD 30 entry (number, or number_variant key
prefix). Table-driven: every name must be found, on the list, with that number."""

from __future__ import annotations

import pytest

from ald.ald_list import lookup_disease

ON_LIST = [
    # 1 AVC invalidant
    ("avc", 1),
    ("AVC", 1),
    ("accident vasculaire cérébral", 1),
    ("accident vasculaire cerebral", 1),
    ("attaque cérébrale", 1),
    ("il a fait un avc", 1),
    ("hémiplégie après un AVC", 1),
    ("A.V.C.", 1),
    ("AVC ischémique", 1),
    ("avc hémorragique", 1),
    ("infarctus cérébral", 1),
    ("hémorragie cérébrale", 1),
    ("hémorragie méningée", 1),
    ("thrombose cérébrale", 1),
    ("mon grand pere a fait un avc cet ete, il est paralysé d'un coté maintenant", 1),
    ("il est resté paralysé d'un côté depuis son AVC", 1),
    # 2 insuffisances médullaires
    ("aplasie médullaire", 2),
    ("aplasie medullaire", 2),
    # 3 artériopathies
    ("artérite des jambes", 3),
    ("artériopathie oblitérante des membres inférieurs", 3),
    ("AOMI", 3),
    # 4 bilharziose
    ("bilharziose", 4),
    # 5 coeur
    ("insuffisance cardiaque", 5),
    ("insufisance cardiaque", 5),
    ("valvulopathie", 5),
    ("fibrillation auriculaire", 5),
    ("cardiopathie congénitale", 5),
    ("rétrécissement aortique", 5),
    # 6 foie
    ("cirrhose", 6),
    ("cirrhose du foie", 6),
    ("hépatite C", 6),
    ("hepatite b", 6),
    ("hépatite auto-immune", 6),
    # 7 VIH
    ("VIH", 7),
    ("vih", 7),
    ("sida", 7),
    ("séropositif", 7),
    ("seropositive", 7),
    ("déficit immunitaire primitif", 7),
    # 8 diabète
    ("diabète", 8),
    ("diabete", 8),
    ("diabète de type 1", 8),
    ("diabete type 2", 8),
    ("diabétique", 8),
    ("diabete insulinodependant", 8),
    ("DT2", 8),
    # 9 neuro
    ("épilepsie grave", 9),
    ("epilepsie", 9),
    ("myopathie", 9),
    ("myasthénie", 9),
    ("SLA", 9),
    ("maladie de Charcot", 9),
    ("charcot", 9),
    ("sclérose latérale amyotrophique", 9),
    ("maladie de Huntington", 9),
    ("dystrophie musculaire", 9),
    # 10 hémoglobinopathies
    ("drépanocytose", 10),
    ("drepanocytose", 10),
    ("thalassémie", 10),
    # 11 hémostase
    ("hémophilie", 11),
    ("hemophilie", 11),
    ("maladie de Willebrand", 11),
    # 13 coronaire
    ("infarctus", 13),
    ("infarctus du myocarde", 13),
    ("angine de poitrine", 13),
    ("angor", 13),
    ("crise cardiaque", 13),
    ("pontage coronarien", 13),
    ("maladie coronarienne", 13),
    # 14 respiratoire
    ("BPCO", 14),
    ("bpco", 14),
    ("insuffisance respiratoire", 14),
    ("emphysème", 14),
    ("fibrose pulmonaire", 14),
    # 15 Alzheimer
    ("Alzheimer", 15),
    ("alzeimer", 15),
    ("maladie d'Alzheimer", 15),
    ("démence", 15),
    ("demence a corps de lewy", 15),
    ("démence fronto-temporale", 15),
    # 16 Parkinson
    ("Parkinson", 16),
    ("parkinson", 16),
    ("parkinsonn", 16),
    ("maladie de parkinson", 16),
    # 17 métaboliques héréditaires
    ("phénylcétonurie", 17),
    ("maladie de Gaucher", 17),
    # 18 mucoviscidose
    ("mucoviscidose", 18),
    ("muco", 18),
    # 19 rein
    ("insuffisance rénale", 19),
    ("insuffisance renale chronique", 19),
    ("dialyse", 19),
    ("dialysé", 19),
    ("néphropathie", 19),
    ("syndrome néphrotique", 19),
    # 20 paraplégie
    ("paraplégie", 20),
    ("paraplegique", 20),
    # 21 lupus, vascularites, sclérodermie
    ("lupus", 21),
    ("lupus érythémateux", 21),
    ("sclérodermie", 21),
    ("vascularite", 21),
    ("maladie de Horton", 21),
    # 22 polyarthrite
    ("polyarthrite rhumatoïde", 22),
    ("polyarthrite", 22),
    ("polyartrite", 22),
    # 23 psychiatrie
    ("schizophrénie", 23),
    ("schizophrene", 23),
    ("trouble bipolaire", 23),
    ("bipolaire", 23),
    ("dépression sévère", 23),
    ("autisme", 23),
    ("autiste", 23),
    ("TSA", 23),
    ("troubles du spectre de l'autisme", 23),
    ("psychose", 23),
    ("trouble de la personnalité", 23),
    # 24 MICI
    ("maladie de Crohn", 24),
    ("crohn", 24),
    ("rectocolite hémorragique", 24),
    ("RCH", 24),
    ("rch", 24),
    ("MICI", 24),
    # 25 SEP
    ("sclérose en plaques", 25),
    ("sclerose en plaque", 25),
    ("SEP", 25),
    ("sep", 25),
    # 26 scoliose
    ("scoliose", 26),
    ("scoliose idiopathique", 26),
    # 27 spondylarthrite
    ("spondylarthrite ankylosante", 27),
    ("spondylarthrite", 27),
    # 28 greffe
    ("greffe de rein", 28),
    ("greffe", 28),
    ("greffé du foie", 28),
    ("transplantation cardiaque", 28),
    ("greffe de cornée", 28),
    ("transplanté", 28),
    # 29 tuberculose, lèpre
    ("tuberculose", 29),
    ("lèpre", 29),
    # 30 cancer
    ("cancer", 30),
    ("cancer du sein", 30),
    ("cancer de la prostate", 30),
    ("cancer du poumon", 30),
    ("cancer du colon", 30),
    ("cancer du pancréas", 30),
    ("cancer de la thyroïde", 30),
    ("leucémie", 30),
    ("leucemie", 30),
    ("lymphome", 30),
    ("myélome", 30),
    ("mélanome", 30),
    ("tumeur maligne", 30),
    ("sarcome", 30),
    ("glioblastome", 30),
    ("maladie de Hodgkin", 30),
    ("carcinome", 30),
    ("je suis en chimio", 30),
    ("cancer des ovaires", 30),
]


UNKNOWN = ["glomérulite xyz", "maladie de Zorglub", "azertyuiop", "syndrome de Truc", "bonjour"]


@pytest.mark.parametrize("name, number", ON_LIST)
def test_common_names_are_found_on_the_list(name: str, number: int) -> None:
    match = lookup_disease(name)
    assert match is not None, name
    assert match.status == "on_list", (name, match.status)
    assert match.key.split("_")[0] == str(number), (name, match.key)


def test_at_least_120_names() -> None:
    assert len(ON_LIST) >= 120


LOOK_ALIKES = [
    ("neuropathie", "19"),
    ("polyneuropathie", "19"),
    ("diabète insipide", "8"),
    ("hypertension intracrânienne", "12"),
    ("tumeur cérébrale bénigne", "30"),
    ("tumeur bénigne", "30"),
    ("lupus discoïde", "21"),
    ("hépatite A", "6"),
    ("hépatite auto-immune", "6_hepatite"),
    ("hypertension pulmonaire", "12"),
    ("diabète gestationnel", "8"),
    # A listed word inside the name of another disease (what the rules must not take for it).
    ("diabète insipide central", "8"),
    ("diabète insipide néphrogénique", "8"),
    ("prédiabète", "8"),
    ("neuropathie périphérique", "19_nephropathie"),
    ("neuropathie diabétique", "8"),
    ("mononeuropathie", "19_nephropathie"),
    ("néphrite aiguë", "19_nephropathie"),
    ("colique néphrétique", "19_nephropathie"),
    ("néphropathie aiguë", "19_nephropathie"),
    ("hypertension oculaire", "12"),
    ("hypertension portale", "12"),
    ("hypotension", "12"),
    ("tumeur bénigne du sein", "30"),
    ("fibrome utérin", "30"),
    ("kyste ovarien", "30"),
    ("adénome hypophysaire bénin", "30"),
    ("polype du côlon", "30"),
    ("nodule thyroïdien bénin", "30"),
    ("lupus cutané", "21"),
    ("hépatite A aiguë", "6_hepatite"),
    ("hépatite E", "6_hepatite"),
    ("hépatite médicamenteuse", "6_hepatite"),
    ("stéatose hépatique", "6_cirrhose"),
    ("arthrose", "22"),
    ("arthrite du genou", "3"),
    ("polyarthrite aiguë", "22"),
    ("lombalgie", "27"),
    ("spondylolisthésis", "27"),
    ("scoliose posturale", "26"),
    ("attitude scoliotique", "26"),
    ("anémie ferriprive", "10"),
    ("asthme léger", "14"),
    ("bronchite aiguë", "14"),
    ("insuffisance veineuse", "3"),
    ("artériosclérose", "3"),
    ("sclérose latérale amyotrophique", "25"),
    ("sclérose tubéreuse", "25"),
    ("otosclérose", "25"),
    ("burn-out", "23_humeur"),
    ("tuberculose latente", "29_tuberculose"),
    ("colite infectieuse", "24"),
    ("syndrome du côlon irritable", "24"),
    ("migraine", "9"),
    ("souffle au cœur", "5_valvulaire"),
    ("greffe de cheveux", "28_organe"),
    ("transplantation capillaire", "28_organe"),
    ("hémorroïdes", "11"),
    ("parkinsonisme médicamenteux", "16"),
    ("tremblement essentiel", "16"),
    ("paralysie faciale", "20"),
    ("déficit en vitamine D", "7"),
    ("déficit immunitaire transitoire", "7"),
    ("bilharziose simple", "4"),
    # A stroke is not a heart attack, a transient attack no stroke, a paralysis no paraplegia.
    ("infarctus cérébral", "13"),
    ("accident ischémique transitoire", "1"),
    ("embolie pulmonaire", "1"),
    ("paralysé d'un côté", "20"),
    ("paralysée", "20"),
    ("il est paralysé d'un côté maintenant", "20"),
]


def test_at_least_60_look_alikes() -> None:
    assert len(LOOK_ALIKES) >= 60


@pytest.mark.parametrize("name, wrong", LOOK_ALIKES)
def test_look_alikes_are_never_taken_for_a_listed_name(name: str, wrong: str) -> None:
    match = lookup_disease(name)
    assert match is None or match.key != wrong, (name, match)
    assert match is None or match.status != "removed" or wrong != "12", name


def test_a_neuropathy_points_to_the_severe_neurological_forms() -> None:
    match = lookup_disease("ma fille a une neuropathie, c'est une ALD ?")
    assert match is not None and match.status == "not_on_list" and match.hint == "severe_forms_n9"


@pytest.mark.parametrize("name", UNKNOWN)
def test_unknown_names_are_not_found(name: str) -> None:
    assert lookup_disease(name) is None


@pytest.mark.parametrize(
    "symptom", ["paralysé d'un côté", "il est paralysé d'un coté maintenant", "paralysée", "hémiplégique"]
)
def test_a_symptom_alone_is_no_disease_of_the_list(symptom: str) -> None:
    """A paralysis has many causes (a stroke, multiple sclerosis, an injury...): only the
    disease named with it says the entry."""
    assert lookup_disease(symptom) is None
