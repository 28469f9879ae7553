import copy

import pytest

from analysis.catalogue import KINDS, CatalogueError, load_catalogue, parse_catalogue

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
