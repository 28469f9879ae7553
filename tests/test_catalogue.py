import copy

import pytest

from analysis.catalogue import KINDS, CatalogueError, Phrase, load_catalogue, parse_catalogue

SOURCE = {
    "title": "T",
    "publisher": "CBS",
    "kind": "registratie",
    "credit": "Bron: CBS",
    "licence": "CC BY 4.0",
    "table_id": "T1",
    "period": 2025,
    "indeling": 2025,
}
INDICATOR = {
    "id": "inwoners",
    "label": "Aantal inwoners",
    "definition": "Inwoners op 1 januari.",
    "unit": "aantal",
    "decimals": 0,
    "higher_is_better": "neutraal",
    "kind": "registratie",
    "theme": "Wie wonen er",
    "columns": {"T1": "AantalInwoners_5"},
}


def doc(**changes):
    ind = copy.deepcopy(INDICATOR)
    ind.update(changes)
    return {"sources": {"T1": dict(SOURCE)}, "indicators": [ind]}


def test_the_shipped_catalogue_is_valid():
    cat = load_catalogue()
    assert len(cat.indicators) >= 30
    assert {i.kind for i in cat.indicators} <= set(KINDS)


def test_every_indicator_has_label_definition_unit_and_a_source():
    cat = load_catalogue()
    for ind in cat.indicators:
        assert ind.label and ind.definition and ind.unit, ind.id
        assert ind.source_ids, f"{ind.id} has no source"


def test_columns_per_year_follow_cbs_renames():
    # CBS renumbers columns every year: AantalInwoners_5 in 2025, a_inw in the Excel downloads.
    ind = load_catalogue().indicator("huishoudens")
    assert ind.columns["86165NED"] == "HuishoudensTotaal_29"
    assert ind.columns["85318NED"] == "HuishoudensTotaal_28"
    assert ind.columns["kwb-2024-xlsx"] == "a_hh"


def test_model_estimates_are_marked_as_such():
    cat = load_catalogue()
    assert cat.indicator("eenzaam").kind == "modelschatting"
    assert "RIVM" in cat.indicator("eenzaam").label
    assert cat.source("50090NED").credit.startswith("Bron: RIVM/CBS, GGD'en")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "enquête"}, "soort 'enquête'"),
        ({"higher_is_better": "ja"}, "higher_is_better"),
        ({"decimals": 7}, "decimals"),
        ({"columns": {"T9": "x"}}, "onbekende bron 'T9'"),
        ({"id": "Inwoners"}, "kleine letters"),
        ({"kind": "modelschatting"}, "past niet bij bron"),
        ({"ratios": {"T1": ["a", "b"]}}, "columns én ratios"),
        ({"label": ""}, "verplicht"),
    ],
)
def test_catalogue_rules(changes, message):
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(doc(**changes))


def test_duplicate_ids_are_refused():
    d = doc()
    d["indicators"].append(copy.deepcopy(d["indicators"][0]))
    with pytest.raises(CatalogueError, match="twee keer"):
        parse_catalogue(d)


def test_unknown_indicator_names_the_known_ones():
    with pytest.raises(KeyError, match="bekend zijn: inwoners"):
        parse_catalogue(doc()).indicator("armoede")


# Phrases and page defaults live in the catalogue too (issue 15, item 5).


def test_every_comparable_indicator_declares_its_phrase_in_the_catalogue():
    cat = load_catalogue()
    missing = [i.id for i in cat.indicators if i.unit != "aantal" and i.phrase is None]
    assert missing == []
    assert cat.indicator("eenzaam").phrase == Phrase(
        "voelen", "meer mensen zich eenzaam", "minder mensen zich eenzaam"
    )


def test_page_defaults_come_from_the_catalogue():
    defaults = load_catalogue().defaults
    assert defaults.map == "eenzaam"
    assert defaults.compare == (
        "eenzaam",
        "moeite_rondkomen",
        "pct_65plus",
        "pct_eenpersoonshuishoudens",
        "vrijwilligerswerk",
        "afstand_huisarts",
    )


PCT = {**INDICATOR, "id": "pct_x", "label": "X", "unit": "%"}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {**PCT, "phrase": "meer"},
            "Indicator 'pct_x', phrase: verwacht een tabel met precies verb, higher en lower",
        ),
        (
            {**PCT, "phrase": {"verb": "zijn", "higher": "meer"}},
            "Indicator 'pct_x', phrase: verwacht een tabel met precies verb, higher en lower",
        ),
        (
            {**PCT, "phrase": {"verb": "zijn", "higher": "meer", "lower": ""}},
            "Indicator 'pct_x', phrase: lower moet een niet-lege tekst zijn",
        ),
        (
            {**INDICATOR, "phrase": {"verb": "wonen", "higher": "meer", "lower": "minder"}},
            "Indicator 'inwoners': een aantal krijgt geen zin (phrase weglaten)",
        ),
    ],
)
def test_phrase_rules(document, message):
    raw = {"sources": {"T1": dict(SOURCE)}, "indicators": [document]}
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(raw)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("defaults", "message"),
    [
        ({"map": "onbekend"}, "defaults: onbekende indicator 'onbekend'"),
        (
            {"compare": ["inwoners"]},
            "defaults.compare: 'inwoners' is een aantal en niet te vergelijken",
        ),
        ({"kaart": "inwoners"}, "defaults: onbekende sleutel 'kaart'"),
    ],
)
def test_default_rules(defaults, message):
    with pytest.raises(CatalogueError) as err:
        parse_catalogue({**doc(), "defaults": defaults})
    assert str(err.value) == message


#: A new indicator, added the way the developer guide says: one [[indicators]] entry.
NEW_ENTRY = """
[[indicators]]
id = "thuis_in_buurt"
label = "Thuis in de buurt (RIVM-schatting)"
definition = "Percentage volwassenen dat zich thuis voelt in de buurt (verzonnen, voor de test)."
unit = "%"
decimals = 0
higher_is_better = "hoger"
kind = "modelschatting"
theme = "Samen in de wijk"
columns = { 50090NED = "ThuisInBuurt_99" }
phrase = { verb = "voelen", higher = "meer mensen zich thuis", lower = "minder mensen zich thuis" }
"""


def test_a_new_indicator_is_one_catalogue_entry_through_profile_text_and_compare():
    import tomllib

    import pandas as pd

    from analysis.catalogue import CATALOGUE_FILE
    from analysis.views import compare, profile

    text = CATALOGUE_FILE.read_text(encoding="utf-8") + NEW_ENTRY
    cat = parse_catalogue(tomllib.loads(text))
    values = pd.DataFrame(
        {
            "indicator": "thuis_in_buurt",
            "code": ["WK008061", "WK008010", "GM0080"],
            "period": 2020,
            "age": "18+",
            "source": "50090NED",
            "value": [31.4, 22.0, 24.6],
        }
    )
    regions = pd.DataFrame(
        {
            "code": ["WK008061", "WK008010", "GM0080"],
            "name": ["Vrijheidswijk", "Binnenstad", "Leeuwarden"],
            "level": ["wijk", "wijk", "gemeente"],
            "indeling": 2020,
        }
    )
    table = profile.profile_table(values, regions, cat, code="WK008061", gemeente_code="GM0080")
    assert table[["indicator", "value", "gemeente", "signal"]].to_dict("records") == [
        {"indicator": "thuis_in_buurt", "value": 31.0, "gemeente": 25.0, "signal": "hoger"}
    ]
    sentences = profile.profile_text(
        table, area="Vrijheidswijk", gemeente="Leeuwarden", catalogue=cat
    )
    assert [s.replace("\u00a0", " ") for s in sentences] == [
        "In Vrijheidswijk voelen naar schatting meer mensen zich thuis dan gemiddeld in "
        "Leeuwarden: 31 % tegen 25 %."
    ]
    side_by_side = compare.compare_table(
        values, regions, cat, ["WK008061", "WK008010"], ["thuis_in_buurt"]
    )
    assert side_by_side.iloc[0][["Vrijheidswijk", "Binnenstad"]].to_dict() == {
        "Vrijheidswijk": 31.0,
        "Binnenstad": 22.0,
    }
