import math

import pytest

from analysis.catalogue import load_catalogue
from analysis.text import (
    COLUMN_LABELS,
    PHRASES,
    difference_sentence,
    join_nl,
    phrase_for,
    short_label,
    source_caption,
)
from analysis.views.exports import HIDDEN_COLUMNS
from analysis.views.profile import PROFILE_COLUMNS

CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    ("kind", "direction", "expected"),
    [
        (
            "registratie",
            "hoger",
            "In Vrijheidswijk voelen meer mensen zich eenzaam dan gemiddeld in Leeuwarden: "
            "52 % tegen 46 %.",
        ),
        (
            "modelschatting",
            "lager",
            "In Vrijheidswijk voelen naar schatting minder mensen zich eenzaam dan gemiddeld in "
            "Leeuwarden: 52 % tegen 46 %.",
        ),
        (
            "eigen enquête",
            "hoger",
            "In Vrijheidswijk voelen volgens de enquête meer mensen zich eenzaam dan gemiddeld in "
            "Leeuwarden: 52 % tegen 46 %.",
        ),
    ],
)
def test_difference_sentence_per_kind(kind, direction, expected):
    sentence = difference_sentence(
        "eenzaam",
        "Eenzaam (RIVM-schatting)",
        kind=kind,
        direction=direction,
        area="Vrijheidswijk",
        gemeente="Leeuwarden",
        value_text="52 %",
        reference_text="46 %",
    )
    assert sentence == expected


@pytest.mark.parametrize(
    ("indicator", "label", "direction", "expected"),
    [
        (
            "afstand_huisarts",
            "Afstand tot huisartsenpraktijk",
            "lager",
            "is de huisarts dichterbij",
        ),
        ("pct_koopwoningen", "Koopwoningen", "hoger", "zijn er meer koopwoningen"),
        (
            "leden_vereniging",
            "Lid van een vereniging (eigen enquête)",
            "hoger",
            "is het cijfer voor 'lid van een vereniging' hoger",
        ),
    ],
)
def test_difference_sentence_wording(indicator, label, direction, expected):
    sentence = difference_sentence(
        indicator,
        label,
        kind="registratie",
        direction=direction,
        area="Noord",
        gemeente="Stad",
        value_text="1",
        reference_text="2",
        age_note="(bij 65-plussers)",
    )
    assert sentence == f"In Noord {expected} dan gemiddeld in Stad (bij 65-plussers): 1 tegen 2."


def test_difference_sentence_refuses_a_missing_direction():
    with pytest.raises(ValueError) as err:
        difference_sentence(
            "eenzaam",
            "Eenzaam",
            kind="registratie",
            direction="",
            area="A",
            gemeente="B",
            value_text="1",
            reference_text="2",
        )
    assert str(err.value) == "Richting '': verwacht 'hoger' of 'lager'"


def test_every_phrase_belongs_to_a_catalogue_indicator_that_can_get_a_signal():
    for indicator_id in PHRASES:
        assert CATALOGUE.indicator(indicator_id).unit != "aantal", indicator_id


def test_every_comparable_catalogue_indicator_has_its_own_phrase():
    missing = [i.id for i in CATALOGUE.indicators if i.unit != "aantal" and i.id not in PHRASES]
    assert missing == []


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Eenzaam (RIVM-schatting)", "Eenzaam"),
        ("Kinderen (0 tot 15 jaar)", "Kinderen"),
        ("Koopwoningen", "Koopwoningen"),
        ("(alleen haakjes)", "(alleen haakjes)"),
    ],
)
def test_short_label(label, expected):
    assert short_label(label) == expected


def test_phrase_for_falls_back_to_the_label():
    phrase = phrase_for("nieuw", "Bezoekt het buurthuis")
    assert (phrase.verb, phrase.higher, phrase.lower) == (
        "is",
        "het cijfer voor 'bezoekt het buurthuis' hoger",
        "het cijfer voor 'bezoekt het buurthuis' lager",
    )


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["a"], "a"), (["a", "b"], "a en b"), (["a", "b", "c"], "a, b en c")],
)
def test_join_nl(items, expected):
    assert join_nl(items) == expected


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ([], ""),
        (
            [("86165NED", 2025), ("86165NED", 2025)],
            "Bron: CBS, Kerncijfers wijken en buurten 2025; cijfers over 2025.",
        ),
        (
            [("rivm-eenzaamheid-2016", 2016), ("86165NED", 2025), ("", None)],
            "Bronnen: CBS, Kerncijfers wijken en buurten 2025; cijfers over 2025. "
            "RIVM/CBS, GGD'en (Gezondheidsmonitor 2016), Eenzaamheid per wijk 2016 "
            "(indeling 2016); cijfers over 2016. Eigen enquête van de gemeente.",
        ),
        (
            [("baarn-tijdreeks", 2017), ("baarn-tijdreeks", 2016), ("baarn-tijdreeks", math.nan)],
            "Bron: CBS (tijdreeks samengesteld uit de jaarlijkse tabellen), Kerncijfers wijken "
            "en buurten 2016–2025, tijdreeks Baarn (samengesteld); cijfers over 2016 en 2017.",
        ),
    ],
)
def test_source_caption_credits_each_source_once_in_catalogue_order(figures, expected):
    assert source_caption(CATALOGUE, figures) == expected


def test_source_caption_names_an_unknown_source():
    with pytest.raises(KeyError, match="Onbekende bron 'CBS-2030'"):
        source_caption(CATALOGUE, [("CBS-2030", 2030)])


def test_every_profile_column_has_a_dutch_header():
    missing = [c for c in PROFILE_COLUMNS if c not in COLUMN_LABELS and c not in HIDDEN_COLUMNS]
    assert missing == []
