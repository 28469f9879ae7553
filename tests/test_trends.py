import json
import math

import pandas as pd
import pytest

from analysis import indeling
from analysis.catalogue import load_catalogue
from analysis.views.trends import (
    COUNTRY_COLOUR,
    LINE_COLOURS,
    other_area_indelingen,
    redivision_warnings,
    series,
    series_indelingen,
    series_notes,
    trend_chart,
)
from data.snapshot import load_snapshot

NAN = math.nan
CATALOGUE = load_catalogue()


def values(*rows):
    """Build a long value table from (indicator, code, period, age, source, value) rows."""
    return pd.DataFrame(rows, columns=["indicator", "code", "period", "age", "source", "value"])


VALUES = values(
    ("eenzaam", "WK000101", 2020, "18+", "50090NED", 53.3),
    ("eenzaam", "WK000101", 2012, "18+", "50090NED", 41.5),
    ("eenzaam", "WK000101", 2016, "18+", "50090NED", 47.5),
    ("eenzaam", "WK000101", 2020, "65+", "50090NED", 49.2),
    ("eenzaam", "WK000101", 2016, "19+", "rivm-eenzaamheid-2016", 53.0),
    ("eenzaam", "GM0001", 2012, "18+", "50090NED", 40.0),
    ("eenzaam", "GM0001", 2020, "18+", "50090NED", 45.7),
    ("eenzaam", "NL01", 2020, "18+", "50090NED", 47.0),
    ("inwoners", "WK000101", 2016, "alle leeftijden", "baarn-tijdreeks", 2100.0),
    ("inwoners", "WK000101", 2017, "alle leeftijden", "baarn-tijdreeks", NAN),
    ("inwoners", "GM0001", 2016, "alle leeftijden", "baarn-tijdreeks", 24500.0),
)
REGIONS = pd.DataFrame(
    {
        "code": ["NL01", "GM0001", "WK000101", "WK000101", "WK000101", "WK000102", "WK000103"],
        "name": ["Nederland", "Stad", "Wijk 01 Noord", None, "Noord", "Zuid", "Oost"],
        "level": ["land", "gemeente", "wijk", "wijk", "wijk", "wijk", "wijk"],
        "gemeente_code": [None, "GM0001", "GM0001", "GM0001", "GM0001", "GM0001", "GM0001"],
        "gemeente_name": ["Nederland", "Stad", "Stad", "Stad", "Stad", "Stad", "Stad"],
        "indeling": [2020, 2025, 2016, 2020, 2025, 2016, 2025],
    }
)


@pytest.fixture(scope="module")
def snapshot():
    return load_snapshot()


def test_series_keeps_sources_and_age_groups_apart():
    out = series(VALUES, CATALOGUE, "WK000101", "eenzaam")
    assert [tuple(r) for r in out[["period", "line", "value"]].itertuples(index=False)] == [
        (2012, "50090NED|18+", 42.0),
        (2016, "50090NED|18+", 48.0),
        (2020, "50090NED|18+", 53.0),
        (2020, "50090NED|65+", 49.0),
        (2016, "rivm-eenzaamheid-2016|19+", 53.0),
    ]
    assert set(out["kind"]) == {"modelschatting"}


def test_series_keeps_unpublished_years_as_missing():
    out = series(VALUES, CATALOGUE, "WK000101", "inwoners")
    assert out["period"].tolist() == [2016, 2017]
    assert out["value"].tolist()[0] == 2100.0 and math.isnan(out["value"].tolist()[1])


def test_series_indelingen_and_notes_on_two_estimates_of_one_year():
    out = series(VALUES, CATALOGUE, "WK000101", "eenzaam")
    assert series_indelingen(out, CATALOGUE) == [2016, 2020]
    assert series_notes(out, CATALOGUE) == [
        "In 2016 zijn er cijfers uit 2 bronnen: Gezondheid per wijk en buurt; 2012/2016/2020 "
        "(indeling 2020) (50090NED) en Eenzaamheid per wijk 2016 (indeling 2016) (RIVM "
        "eenzaamheid per wijk 2016). Ze zijn anders berekend of anders ingedeeld en staan "
        "daarom als aparte lijnen, niet verbonden."
    ]


@pytest.mark.parametrize(
    ("code", "years", "expected"),
    [
        # "Wijk 01 Noord" (2016) is "Noord" (2025): CBS's prefix is not a new name
        (
            "WK000101",
            [2016, 2020, 2025],
            [
                "In de gebiedsindeling 2020 staat WK000101 zonder naam: niet na te gaan of het "
                "toen hetzelfde gebied was als 'Noord'."
            ],
        ),
        (
            "WK000103",
            [2016, 2025],
            [
                "WK000103 ('Oost', indeling 2025) bestond niet in de gebiedsindeling 2016. "
                "Cijfers volgens die indeling horen bij een ander gebied en zijn niet aan dit "
                "gebied gekoppeld."
            ],
        ),
        (
            "WK000101",
            [2023],
            [
                "De gebiedsindeling 2023 van dit gebied zit niet in de snapshot: niet na te gaan "
                "of WK000101 toen hetzelfde gebied was als nu."
            ],
        ),
        ("WK000101", [2025], []),
    ],
)
def test_redivision_warnings(code, years, expected):
    assert redivision_warnings(REGIONS, code, years) == expected


def test_a_reused_code_is_a_rename_warning_and_its_indeling_is_left_out():
    regions = REGIONS.assign(name=REGIONS["name"].replace("Wijk 01 Noord", "Wijk 01 Havenkwartier"))
    assert redivision_warnings(regions, "WK000101", [2016]) == [
        "In de gebiedsindeling 2016 heette WK000101 'Wijk 01 Havenkwartier', in 2025 'Noord': "
        "waarschijnlijk een ander gebied met dezelfde code. Cijfers volgens indeling 2016 zijn "
        "daarom weggelaten."
    ]
    assert other_area_indelingen(regions, "WK000101", [2016, 2020, 2025]) == [2016]


def figure(chart):
    return json.loads(chart.figure.to_json())


def test_trend_chart_draws_one_line_per_source_with_gemeente_and_country():
    chart = trend_chart(VALUES, REGIONS, CATALOGUE, "WK000101", "eenzaam")
    fig = figure(chart)
    lines = [(t["name"], t["x"], t["line"]["dash"], t["line"]["color"]) for t in fig["data"]]
    # Legends name the source in words, never by table id (issue #12).
    assert lines == [
        ("Noord · RIVM-schatting, 18+", [2012, 2016, 2020], "solid", LINE_COLOURS[0]),
        ("Stad (gemeente) · RIVM-schatting, 18+", [2012, 2020], "dash", LINE_COLOURS[0]),
        ("Nederland · RIVM-schatting, 18+", [2020], "dot", COUNTRY_COLOUR),
        ("Noord · RIVM-schatting, 65+", [2020], "solid", LINE_COLOURS[1]),
        ("Noord · RIVM, losse uitgave 2016, 19+", [2016], "solid", LINE_COLOURS[2]),
    ]
    assert {t["marker"]["symbol"] for t in fig["data"]} == {"circle-open"}  # model estimates
    assert fig["layout"]["xaxis"]["tickformat"] == "d"  # never "2.016"
    assert fig["layout"]["xaxis"]["tickvals"] == [2012, 2016, 2020]
    assert fig["layout"]["title"]["text"] == "Eenzaam (RIVM-schatting): Noord, 2012–2020"
    assert fig["layout"]["separators"] == ",."
    assert chart.caption.startswith("Bronnen: RIVM/CBS, GGD'en (Gezondheidsmonitor Volwassenen")
    assert "In 2016 zijn er cijfers uit 2 bronnen" in chart.caption
    assert chart.caption.endswith("Open rondjes: modelschatting (RIVM), geen meting in het gebied.")


def test_trend_chart_leaves_out_an_indeling_where_the_code_was_another_area():
    regions = REGIONS.assign(name=REGIONS["name"].replace("Wijk 01 Noord", "Wijk 01 Havenkwartier"))
    chart = trend_chart(VALUES, regions, CATALOGUE, "WK000101", "eenzaam")
    names = [t["name"] for t in figure(chart)["data"]]
    assert "Noord · RIVM, losse uitgave 2016, 19+" not in names
    assert "Cijfers volgens indeling 2016 zijn daarom weggelaten." in chart.caption


def test_trend_chart_of_a_count_has_no_gemeente_line():
    fig = figure(trend_chart(VALUES, REGIONS, CATALOGUE, "WK000101", "inwoners"))
    assert [t["name"] for t in fig["data"]] == ["Noord"]
    assert fig["data"][0]["marker"]["symbol"] == "circle"


def test_baarn_centrum_has_an_inwoners_series_2016_to_2025(snapshot):
    out = series(snapshot.values, CATALOGUE, "BU03080000", "inwoners")
    line = out[out["source"] == "baarn-tijdreeks"]
    assert line["period"].tolist() == list(range(2016, 2026))
    assert line["value"].notna().all()
    chart = trend_chart(snapshot.values, snapshot.regions, CATALOGUE, "BU03080000", "inwoners")
    assert figure(chart)["layout"]["title"]["text"] == "Aantal inwoners: Centrum, 2016–2025"


def test_vrijheidswijk_code_named_another_wijk_in_2016(snapshot):
    warnings = redivision_warnings(snapshot.regions, "WK008061", [2016, 2020])
    # Issue 10: the 2016 area differs (boundaries); the 2020 one is the same (its buurten),
    # so no "zonder naam" note any more.
    assert warnings == [
        "In de gebiedsindeling 2016 was WK008061 'Wijk 61 Vossepark & Helicon' niet als "
        "hetzelfde gebied te herkennen als 'Vrijheidswijk' (indeling 2025): cijfers volgens "
        "indeling 2016 zijn daarom weggelaten."
    ]
    # The page's table and CSV come from the honest figures: the 2016 value is not in them.
    sources = {s.id: s.indeling for s in CATALOGUE.sources.values()}
    honest = indeling.gemeente_values(snapshot.values, snapshot.regions, sources, "GM0080")
    table = series(honest, CATALOGUE, "WK008061", "eenzaam")
    assert set(table["source"]) == {"50090NED"}  # indeling 2020, re-estimated for 2012–2020
    raw = series(snapshot.values, CATALOGUE, "WK008061", "eenzaam")
    assert "rivm-eenzaamheid-2016" in set(raw["source"])  # what the old page listed
    chart = trend_chart(snapshot.values, snapshot.regions, CATALOGUE, "WK008061", "eenzaam")
    sources = {t["name"].split(" · ")[1] for t in figure(chart)["data"]}
    # not the 2016 table of another wijk
    assert sources == {"RIVM-schatting, 18+", "RIVM-schatting, 65+"}
