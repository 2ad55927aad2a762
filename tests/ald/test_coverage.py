"""ald.coverage: every branch of FACTS.md 'What is covered' and the synonyms."""

from __future__ import annotations

from typing import Optional, Tuple

import pytest

from ald.coverage import (
    CARE_KINDS,
    STILL_PAYS,
    Situation,
    care_asked,
    care_kind_from_text,
    care_kinds_in,
    coverage,
    main_care,
    prescribed_care,
)

EXO = "exonerante"
NON = "non_exonerante"
NONE = "aucune"
UNK = "unknown"


def sit(
    status: str, linked: Optional[bool] = None, protocol: Optional[bool] = None, ticked: Optional[bool] = None
) -> Situation:
    return Situation(
        ald_status=status,
        linked_to_ald=linked,
        in_protocol=protocol,  # type: ignore[arg-type]
        ticked_by_conseil=ticked,
    )


@pytest.mark.parametrize(
    "care, situation, rate, reasons, missing",
    [
        # never reimbursed, whatever the situation
        ("medecine_douce", sit(EXO, True, True), "not_covered", ("never_reimbursed",), ()),
        ("medecine_douce", sit(UNK), "not_covered", ("never_reimbursed",), ()),
        ("depassement_honoraires", sit(EXO, True, True), "not_covered", ("depassements_not_covered",), ()),
        ("forfait_journalier", sit(EXO, True, True), "not_covered", ("forfait_journalier_not_covered",), ()),
        ("psychologue", sit(EXO, True, True), "need_more_info", ("psychologue_ask_caisse",), ()),
        # situation unknown
        ("kine", sit(UNK), "need_more_info", (), ("ald_status",)),
        # no ALD
        ("kine", sit(NONE), "usual_rates", ("no_ald",), ()),
        ("optique", sit(NONE), "usual_rates", ("no_ald", "above_base_tariff"), ()),
        ("hospitalisation", sit(NONE), "usual_rates", ("no_ald", "forfait_journalier_not_covered"), ()),
        # ALD non exonérante
        ("medicament", sit(NON), "usual_rates", ("ald_non_exonerante",), ()),
        ("kine", sit(NON, True, True), "usual_rates", ("ald_non_exonerante",), ()),
        ("transport", sit(NON), "need_more_info", ("ald_non_exonerante",), ("linked_to_ald",)),
        ("transport", sit(NON, True), "transport_rate", ("ald_non_exonerante", "transport_conditions"), ()),
        ("transport", sit(NON, False), "usual_rates", ("ald_non_exonerante", "not_linked_to_ald"), ()),
        ("cure_thermale", sit(NON, True), "usual_rates", ("ald_non_exonerante", "thermal_cure_linked"), ()),
        ("cure_thermale", sit(NON, False), "usual_rates", ("ald_non_exonerante", "not_linked_to_ald"), ()),
        ("cure_thermale", sit(NON), "need_more_info", ("ald_non_exonerante",), ("linked_to_ald",)),
        # ALD exonérante: 100 %
        (
            "kine",
            sit(EXO, True, True, False),
            "100_base_tariff",
            ("linked_and_in_protocol", "bizone_upper_zone"),
            (),
        ),
        (
            "medicament",
            sit(EXO, True, True),
            "100_base_tariff",
            ("linked_and_in_protocol", "bizone_upper_zone", "check_not_ticked"),
            (),
        ),
        (
            "transport",
            sit(EXO, True, True, False),
            "100_base_tariff",
            ("linked_and_in_protocol", "bizone_upper_zone", "transport_conditions"),
            (),
        ),
        (
            "dispositif_medical",
            sit(EXO, True, True, False),
            "100_base_tariff",
            ("linked_and_in_protocol", "bizone_upper_zone", "above_base_tariff"),
            (),
        ),
        (
            "hospitalisation",
            sit(EXO, True, True, False),
            "100_base_tariff",
            ("linked_and_in_protocol", "bizone_upper_zone", "forfait_journalier_not_covered"),
            (),
        ),
        # FACTS.md supports nothing on a thermal cure in an exonerating ALD: ask the caisse.
        ("cure_thermale", sit(EXO, True, True, False), "need_more_info", ("cure_thermale_ask_caisse",), ()),
        ("cure_thermale", sit(EXO), "need_more_info", ("cure_thermale_ask_caisse",), ()),
        (
            "dentaire",
            sit(EXO, True, True, False),
            "100_base_tariff",
            ("linked_and_in_protocol", "bizone_upper_zone", "above_base_tariff"),
            (),
        ),
        # ALD exonérante: usual rates
        ("kine", sit(EXO, False), "usual_rates", ("not_linked_to_ald",), ()),  # a sprain
        (
            "dentaire",
            sit(EXO, False),
            "usual_rates",
            ("not_linked_to_ald", "dentaire_usual_unless_linked", "above_base_tariff"),
            (),
        ),  # a cavity
        (
            "consultation_specialiste",
            sit(EXO, True, False),
            "usual_rates",
            ("not_in_protocol", "outside_list_needs_agreement"),
            (),
        ),
        ("imagerie", sit(EXO, True, True, True), "usual_rates", ("ticked_by_conseil",), ()),
        (
            "biologie",
            sit(EXO, None, False),
            "usual_rates",
            ("not_in_protocol", "outside_list_needs_agreement"),
            (),
        ),
        ("biologie", sit(EXO, None, None, True), "usual_rates", ("ticked_by_conseil",), ()),
        # ALD exonérante: questions still needed
        ("kine", sit(EXO), "need_more_info", (), ("linked_to_ald", "in_protocol")),
        ("kine", sit(EXO, True), "need_more_info", (), ("in_protocol",)),
        # written in the protocol: linked to the ALD, nothing to ask
        (
            "kine",
            sit(EXO, None, True),
            "100_base_tariff",
            ("linked_and_in_protocol", "bizone_upper_zone", "check_not_ticked"),
            (),
        ),
        (
            "transport",
            sit(NON, None, True),
            "transport_rate",
            ("ald_non_exonerante", "transport_conditions"),
            (),
        ),
        (
            "optique",
            sit(EXO),
            "need_more_info",
            ("dentaire_usual_unless_linked",),
            ("linked_to_ald", "in_protocol"),
        ),
    ],
)
def test_coverage_branches(
    care: str, situation: Situation, rate: str, reasons: Tuple[str, ...], missing: Tuple[str, ...]
) -> None:
    v = coverage(care, situation)
    assert (v.rate, v.reasons, v.missing) == (rate, reasons, missing)
    assert v.still_pays == STILL_PAYS[care]


@pytest.mark.parametrize(
    "care, pays",
    [
        ("consultation_generaliste", ("participation_forfaitaire", "depassements")),
        ("medicament", ("franchise_medicament",)),
        ("kine", ("franchise_medicament",)),
        ("soins_infirmiers", ("franchise_medicament",)),
        ("transport", ("franchise_transport",)),
        ("hospitalisation", ("forfait_journalier", "depassements")),
        ("dispositif_medical", ("above_tariff",)),
        # An analysis is no consultation: never "2 € par consultation" in a blood-test answer.
        ("biologie", ("participation_forfaitaire_acte",)),
        ("imagerie", ("participation_forfaitaire_acte", "depassements")),
    ],
)
def test_still_pays_even_at_100(care: str, pays: Tuple[str, ...]) -> None:
    v = coverage(care, sit(EXO, True, True, False))
    assert v.rate == "100_base_tariff" and v.still_pays == pays


def test_every_kind_has_a_verdict() -> None:
    for care in CARE_KINDS:
        for status in (EXO, NON, NONE, UNK):
            assert coverage(care, sit(status)).rate in (
                "100_base_tariff",
                "usual_rates",
                "transport_rate",
                "not_covered",
                "need_more_info",
            )


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError):
        coverage("massage", sit(EXO))


@pytest.mark.parametrize(
    "text, kind",
    [
        ("kiné", "kine"),
        ("kine", "kine"),
        ("kinésithérapie", "kine"),
        ("séances de rééducation", "kine"),
        ("ostéo", "medecine_douce"),
        ("ostéopathe", "medecine_douce"),
        ("acupuncture", "medecine_douce"),
        ("homéopathie", "medecine_douce"),
        ("taxi", "transport"),
        ("ambulance", "transport"),
        ("VSL", "transport"),
        ("taxi conventionné", "transport"),
        ("lunettes", "optique"),
        ("lentilles", "optique"),
        ("dentiste", "dentaire"),
        ("une carie", "dentaire"),
        ("couronne dentaire", "dentaire"),
        ("prise de sang", "biologie"),
        ("analyses", "biologie"),
        ("labo", "biologie"),
        ("radio", "imagerie"),
        ("IRM", "imagerie"),
        ("scanner", "imagerie"),
        ("échographie", "imagerie"),
        ("infirmière", "soins_infirmiers"),
        ("pansements", "soins_infirmiers"),
        ("piqûres", "soins_infirmiers"),
        ("béquilles", "dispositif_medical"),
        ("attelle", "dispositif_medical"),
        ("fauteuil roulant", "dispositif_medical"),
        ("lecteur de glycémie avec capteur", "dispositif_medical"),
        ("médicaments", "medicament"),
        ("pharmacie", "medicament"),
        ("dépassements d'honoraires", "depassement_honoraires"),
        ("dépassement", "depassement_honoraires"),
        ("forfait hospitalier", "forfait_journalier"),
        ("forfait journalier", "forfait_journalier"),
        ("hospitalisation", "hospitalisation"),
        ("hôpital", "hospitalisation"),
        ("cardiologue", "consultation_specialiste"),
        ("spécialiste", "consultation_specialiste"),
        ("médecin généraliste", "consultation_generaliste"),
        ("consultation", "consultation_generaliste"),
        ("cure thermale", "cure_thermale"),
        ("psychologue", "psychologue"),
        ("kine", "kine"),
        ("soins_infirmiers", "soins_infirmiers"),
    ],
)
def test_care_kind_from_text(text: str, kind: str) -> None:
    assert care_kind_from_text(text) == kind


@pytest.mark.parametrize("text", ["", "bonjour", "je ne sais pas", "massage bien-être"])
def test_care_kind_unknown(text: str) -> None:
    assert care_kind_from_text(text) is None


@pytest.mark.parametrize(
    "kinds, main",
    [
        (["depassement_honoraires", "consultation_specialiste"], "depassement_honoraires"),
        (["consultation_specialiste", "depassement_honoraires"], "depassement_honoraires"),
        (["hospitalisation", "medicament"], "medicament"),
        (["transport", "kine"], "transport"),
        (["consultation_generaliste", "consultation_specialiste"], "consultation_generaliste"),
        ([None, "kine"], "kine"),
        ([], None),
        ([None], None),
    ],
)
def test_main_care_is_the_precise_one(kinds: list, main: Optional[str]) -> None:
    assert main_care(kinds) == main


@pytest.mark.parametrize(
    "text, kinds",
    [
        (
            "mon rhumato m'a prescrit un medoc qui est pas dans mon protocole",
            ["consultation_specialiste", "medicament"],
        ),
        ("un médoc", ["medicament"]),
        ("des séances de kiné prescrites par mon médecin", ["kine", "consultation_generaliste"]),
        # A span of a specific kind is not found again by a general one.
        (
            "le dépassement d'honoraires de la consultation",
            ["depassement_honoraires", "consultation_generaliste"],
        ),
        ("la cure thermale", ["cure_thermale"]),
        ("bonjour", []),
    ],
)
def test_every_care_a_message_names_in_its_order(text: str, kinds: list) -> None:
    assert care_kinds_in(text) == kinds


@pytest.mark.parametrize(
    "text, care",
    [
        # The prescriber is who asks for the care, not the care asked about.
        ("mon rhumato m'a prescrit un medoc pas dans mon protocole, c'est rembourse a 100 ?", "medicament"),
        ("mon rhumato m'a prescrit des séances de kiné, c'est remboursé ?", "kine"),
        ("le généraliste m'a prescrit une IRM", "imagerie"),
        ("des séances de kiné prescrites par mon médecin", "kine"),
        ("mon cardiologue m'a prescrit une consultation chez le dermato", "consultation_specialiste"),
        ("une prescription de transport en ambulance", "transport"),
        # No prescription, or no care prescribed: nothing to say.
        ("mon rhumato est-il remboursé à 100 % ?", None),
        ("le médecin m'a prescrit quelque chose", None),
        # "par" later in the clause: the care before the verb, never the prescriber after "par".
        ("les séances de kiné prescrites pour mon dos par le rhumato, c'est à 100 % ?", "kine"),
        ("des médicaments prescrits hier par mon cardiologue", "medicament"),
        ("kiné prescrite 2 fois par semaine par le rhumato", "kine"),
        ("une prescription de kiné par mon médecin", "kine"),
        ("mon médecin m'a prescrit par ordonnance des séances de kiné", "kine"),
        ("prescrit par mon cardiologue, c'est remboursé ?", None),
        ("des séances prescrites hier par mon rhumato", None),
        # Only the clause of the prescription; a clause that asks about another care wins,
        # several cares named with no question leave it to the entities.
        (
            "il m'a prescrit une IRM, et la consultation chez le cardiologue est-elle remboursée ?",
            "consultation_specialiste",
        ),
        (
            "la consultation chez le cardiologue est-elle remboursée ? il m'a prescrit une IRM",
            "consultation_specialiste",
        ),
        ("il m'a prescrit des médicaments et de la kiné, c'est remboursé ?", None),
        ("il m'a prescrit une IRM et une prise de sang", None),
        ("il m'a prescrit de la kiné, est-ce que la kiné est remboursée ?", "kine"),
        ("il m'a prescrit une IRM. C'est remboursé ?", "imagerie"),
    ],
)
def test_the_care_prescribed(text: str, care: Optional[str]) -> None:
    assert prescribed_care(text) == care


@pytest.mark.parametrize(
    "text, named, care",
    [
        # The care prescribed wins over the care words named; else the one asked about.
        ("mon rhumato m'a prescrit un médoc", ["rhumato", "médoc"], "medicament"),
        ("des médicaments prescrits hier par mon cardiologue", ["médicaments", "cardiologue"], "medicament"),
        ("le rhumato et la kiné c'est remboursé ?", ["rhumato", "kiné"], "kine"),
        ("prescrit par mon cardiologue", ["cardiologue"], "consultation_specialiste"),
        ("des soins", ["soins"], None),
    ],
)
def test_the_care_asked(text: str, named: list, care: Optional[str]) -> None:
    assert care_asked(text, named) == care


def test_a_medicine_written_medoc_is_a_medicine() -> None:
    assert care_kind_from_text("mon rhumato m'a prescrit un medoc") == "medicament"
    assert care_kind_from_text("et le rhumato ?") == "consultation_specialiste"


def test_no_consultation_amount_for_an_analysis_and_figures_with_their_date() -> None:
    """The participation forfaitaire of a blood test or an imaging act is not "2 € par
    consultation" (FACTS.md gives that amount per consultation only); the forfait journalier,
    a 2018 figure, is said with its date (FACTS.md, 'What is covered')."""
    from ald.content import load_content
    from ald.figures import fill_figures

    phrases = load_content("phrases.yml")
    for care in ("biologie", "imagerie"):
        for code in STILL_PAYS[care]:
            assert "consultation" not in phrases["still_pays"][code], (care, code)
    for group, code in (("still_pays", "forfait_journalier"), ("reasons", "forfait_journalier_not_covered")):
        text = fill_figures(phrases[group][code])
        assert "{fig_forfait_journalier_since}" in phrases[group][code] and "2018" in text, text
