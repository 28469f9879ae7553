"""data.cbs: pure helpers as tables, and the fetchers through cbsodata against the local feed."""

from __future__ import annotations

import ast
import math
import socket
from pathlib import Path

import cbsodata
import pandas as pd
import pytest

from data import cbs
from data.cbs import CbsError
from snapshot_build.replay import LocalFeed

KWB_2025_CSV = Path("kwb") / "86165NED_kwb2025_friesland" / "TypedDataSet_friesland.csv"
RIVM_2020_18 = Path("gezondheid") / "50090NED_2020_18plus.xlsx"

# --------------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("GM0080", "GM0080"),
        ("gm0080", "GM0080"),
        (" GM0080 ", "GM0080"),
        ("0080", "GM0080"),
        ("80", "GM0080"),
        (80, "GM0080"),
        (344, "GM0344"),
        ("GM1680", "GM1680"),
    ],
)
def test_normalise_gemeente_code(value: str | int, expected: str) -> None:
    assert cbs.normalise_gemeente_code(value) == expected


@pytest.mark.parametrize(
    "value", ["WK008010", "BU00801001", "GM00800", "", "Leeuwarden", True, -80]
)
def test_normalise_gemeente_code_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="geen gemeentecode"):
        cbs.normalise_gemeente_code(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.5, None, 3], [1.5, math.nan, 3.0]),
        (["    78.4", "       .", ".", "", None], [78.4, math.nan, math.nan, math.nan, math.nan]),
        ([-99995, -99997, 0, 12], [math.nan, math.nan, 0.0, 12.0]),
        (["-99995", "-99997", "0"], [math.nan, math.nan, 0.0]),
        ([-99999999, -99999997, -5.0], [math.nan, math.nan, -5.0]),
        ([129973, 55], [129973.0, 55.0]),
    ],
)
def test_to_missing(values: list, expected: list) -> None:
    result = cbs.to_missing(pd.Series(values, dtype=object, name="x"))
    assert result.dtype == "float64"
    pd.testing.assert_series_equal(result, pd.Series(expected, dtype="float64", name="x"))


def test_to_missing_rejects_text_that_is_no_number() -> None:
    with pytest.raises(ValueError, match="'ja' is geen getal"):
        cbs.to_missing(pd.Series(["12", "ja"], name="eenzaam"))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["GM0059    ", "Gemeente  ", "  x  "], ["GM0059", "Gemeente", "x"]),
        (["Leeuwarden                              "], ["Leeuwarden"]),
        ([1, 2.5], [1, 2.5]),
    ],
)
def test_strip_padding(values: list, expected: list) -> None:
    assert cbs.strip_padding(pd.Series(values, dtype=object)).tolist() == expected


def test_strip_padding_keeps_missing() -> None:
    assert cbs.strip_padding(pd.Series(["a ", None])).isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("soort", "level"),
    [
        ("Land      ", "land"),
        ("Gemeente  ", "gemeente"),
        ("Wijk      ", "wijk"),
        ("Buurt     ", "buurt"),
        ("buurt", "buurt"),
    ],
)
def test_level_from_soort(soort: str, level: str) -> None:
    assert cbs.level_from_soort(soort) == level


@pytest.mark.parametrize("soort", ["Provincie", "", "."])
def test_level_from_soort_rejects(soort: str) -> None:
    with pytest.raises(ValueError, match="onbekende soort regio"):
        cbs.level_from_soort(soort)


@pytest.mark.parametrize(
    ("period", "year"),
    [("2020JJ00", 2020), ("2012JJ00", 2012), ("2016", 2016), (" 2020JJ00 ", 2020)],
)
def test_parse_period_year(period: str, year: int) -> None:
    assert cbs.parse_period_year(period) == year


@pytest.mark.parametrize("period", ["2020KW01", "2020MM12", "20", "jaar"])
def test_parse_period_year_rejects(period: str) -> None:
    with pytest.raises(ValueError, match="geen jaarperiode"):
        cbs.parse_period_year(period)


@pytest.mark.parametrize(
    ("leeftijd", "label"),
    [("20300", "18+"), ("18 jaar of ouder", "18+"), ("80200", "65+"), ("65 jaar of ouder", "65+")],
)
def test_age_group_maps_key_and_title(leeftijd: str, label: str) -> None:
    assert cbs.age_group(leeftijd) == label


def test_age_group_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="onbekende leeftijdsgroep"):
        cbs.age_group("52020")


CATALOG = [
    {"Identifier": "70904ned", "Title": "Kerncijfers wijken en buurten 2009-2012"},
    {"Identifier": "85318NED", "Title": "Kerncijfers wijken en buurten 2022"},
    {"Identifier": "86165NED", "Title": "Kerncijfers wijken en buurten 2025"},
    {"Identifier": "99999NED", "Title": "Kerncijfers wijken en buurten 2025; extra"},
]


@pytest.mark.parametrize(("year", "table_id"), [(2022, "85318NED"), (2025, "86165NED")])
def test_select_kwb_table_matches_the_exact_title(year: int, table_id: str) -> None:
    assert cbs.select_kwb_table(CATALOG, year) == table_id


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (CATALOG, "Geen CBS-tabel"),  # 2009 only occurs as a prefix of "2009-2012"
        ([], "Geen CBS-tabel"),
        (
            [
                {"Identifier": "1NED", "Title": "Kerncijfers wijken en buurten 2009"},
                {"Identifier": "2NED", "Title": "Kerncijfers wijken en buurten 2009"},
            ],
            "Meer dan één",
        ),
    ],
)
def test_select_kwb_table_never_guesses(records: list, message: str) -> None:
    with pytest.raises(CbsError, match=message):
        cbs.select_kwb_table(records, 2009)


def test_tidy_kwb_keeps_only_the_gemeente_and_marks_missing() -> None:
    rows = [
        {"WijkenEnBuurten": "Leeuwarden", "SoortRegio_2": "Gemeente  ", "Codering_3": "GM0080    ",
         "Aantal_1": 10, "Naam_2": "a  "},
        {"WijkenEnBuurten": "Binnenstad", "SoortRegio_2": "Wijk      ", "Codering_3": "WK008010  ",
         "Aantal_1": -99995, "Naam_2": None},
        {"WijkenEnBuurten": "De Waag", "SoortRegio_2": "Buurt     ", "Codering_3": "BU00801001",
         "Aantal_1": None, "Naam_2": "b"},
        # Contains "0080" but lies in De Fryske Marren (GM1940).
        {"WijkenEnBuurten": "Dijken", "SoortRegio_2": "Buurt     ", "Codering_3": "BU19400801",
         "Aantal_1": 55, "Naam_2": "c"},
    ]  # fmt: skip
    properties = cbs.topic_properties(
        [
            {"Type": "Topic", "Key": "Aantal_1", "Datatype": "Long", "Decimals": 0},
            {"Type": "Topic", "Key": "Naam_2", "Datatype": "String", "Decimals": 0},
            {"Type": "TopicGroup", "Key": "", "Title": "Groep"},
        ]
    )
    frame = cbs.tidy_kwb(rows, properties, 80)
    assert frame.columns.tolist() == [
        "code",
        "name",
        "level",
        "gemeente_code",
        "Aantal_1",
        "Naam_2",
    ]
    assert frame["code"].tolist() == ["GM0080", "WK008010", "BU00801001"]
    assert frame["level"].tolist() == ["gemeente", "wijk", "buurt"]
    assert frame["Aantal_1"].tolist()[0] == 10.0
    assert frame["Aantal_1"].isna().tolist() == [False, True, True]
    assert frame["Naam_2"].tolist()[0] == "a"


def test_tidy_kwb_without_rows_is_a_clear_error() -> None:
    with pytest.raises(CbsError, match="GM0080"):
        cbs.tidy_kwb([], cbs.topic_properties([]), "GM0080")


def test_cbsodata_catalog_sets_and_restores_use_https() -> None:
    before = cbsodata.options.use_https
    with cbs.cbsodata_catalog("http://127.0.0.1:8080") as host:
        assert host == "127.0.0.1:8080"
        assert cbsodata.options.use_https is False
    assert cbsodata.options.use_https == before
    with cbs.cbsodata_catalog(cbs.RIVM_CATALOG) as host:
        assert host == "dataderden.cbs.nl"
        assert cbsodata.options.use_https is True
    with pytest.raises(RuntimeError), cbs.cbsodata_catalog("http://127.0.0.1:1"):
        raise RuntimeError("boom")
    assert cbsodata.options.use_https == before


@pytest.mark.parametrize(
    "url", ["opendata.cbs.nl", "ftp://opendata.cbs.nl", "https://opendata.cbs.nl/ODataFeed"]
)
def test_cbsodata_catalog_needs_a_full_url(url: str) -> None:
    with pytest.raises(ValueError, match="geen catalogus-URL"), cbs.cbsodata_catalog(url):
        pass


def test_unreachable_catalog_is_a_cbs_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CbsError, match="mislukt"):
        cbs.find_kwb_table(2025, f"http://127.0.0.1:{port}")


REPLAY_MODULES = ("__init__", "odata_filter", "entities", "files", "sources", "server")


@pytest.mark.parametrize(
    "path",
    [
        "data/cbs.py",
        *(f"snapshot_build/replay/{name}.py" for name in REPLAY_MODULES),
    ],
)
def test_no_streamlit_import(project_root: Path, path: str) -> None:
    tree = ast.parse((project_root / path).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert "streamlit" not in imported


# --------------------------------------------------------------------------------------------
# KWB through cbsodata and the local feed
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "table_id"), [(2025, "86165NED"), (2022, "85318NED")])
def test_find_kwb_table(odata_catalog_url: str, year: int, table_id: str) -> None:
    assert cbs.find_kwb_table(year, odata_catalog_url) == table_id


def test_find_kwb_table_raises_for_a_missing_year(odata_catalog_url: str) -> None:
    with pytest.raises(CbsError, match="Kerncijfers wijken en buurten 2019"):
        cbs.find_kwb_table(2019, odata_catalog_url)


def test_data_properties(odata_catalog_url: str) -> None:
    properties = cbs.data_properties("86165NED", odata_catalog_url)
    assert properties.columns.tolist() == [
        "Key",
        "Title",
        "Description",
        "Unit",
        "Decimals",
        "Datatype",
        "Type",
    ]
    assert len(properties) == 121
    assert set(properties["Type"]) == {"Topic"}
    row = properties.set_index("Key").loc["AantalInwoners_5"]
    assert (row["Title"], row["Datatype"], row["Decimals"]) == ("Aantal inwoners", "Long", 0)


@pytest.fixture(scope="module")
def leeuwarden(odata_catalog_url: str) -> pd.DataFrame:
    """KWB 2025 of Leeuwarden, fetched once."""
    return cbs.kwb(2025, "GM0080", odata_catalog_url)


@pytest.fixture(scope="module")
def friesland_csv(shared_data: Path) -> pd.DataFrame:
    """Return the KWB 2025 source rows as text."""
    return pd.read_csv(shared_data / KWB_2025_CSV, dtype=str, keep_default_na=False)


def test_kwb_leeuwarden_regions(leeuwarden: pd.DataFrame) -> None:
    assert leeuwarden["level"].value_counts().to_dict() == {"gemeente": 1, "wijk": 22, "buurt": 136}
    assert leeuwarden.columns[:4].tolist() == ["code", "name", "level", "gemeente_code"]
    assert leeuwarden["code"].is_unique
    assert leeuwarden["code"].str.fullmatch(r"GM0080|WK0080\d{2}|BU0080\d{4}").all()
    assert "WK008010" in set(leeuwarden["code"])
    assert set(leeuwarden["gemeente_code"]) == {"GM0080"}
    names = leeuwarden.set_index("code")["name"]
    assert (names["GM0080"], names["WK008010"]) == ("Leeuwarden", "Binnenstad")
    assert leeuwarden.attrs == {"table_id": "86165NED", "year": 2025, "source": "Bron: CBS"}


def test_kwb_leeuwarden_values_match_the_source(
    leeuwarden: pd.DataFrame, friesland_csv: pd.DataFrame
) -> None:
    source = friesland_csv.assign(code=friesland_csv["Codering_3"].str.strip()).set_index("code")
    frame = leeuwarden.set_index("code")
    assert frame.loc["GM0080", "AantalInwoners_5"] == float(
        source.loc["GM0080", "AantalInwoners_5"]
    )
    expected = pd.to_numeric(source.loc[frame.index, "AantalInwoners_5"]).astype("float64")
    pd.testing.assert_series_equal(frame["AantalInwoners_5"], expected, check_names=False)
    assert frame.loc["GM0080", "Gemeentenaam_1"] == "Leeuwarden"  # stripped


def test_kwb_missing_is_nan_never_zero(leeuwarden: pd.DataFrame) -> None:
    assert leeuwarden["GemiddeldInkomenPerInwoner_78"].isna().all()
    assert leeuwarden["WmoClienten_93"].isna().all()
    assert not (leeuwarden["GemiddeldInkomenPerInwoner_78"] == 0).any()


def test_kwb_topic_dtypes(leeuwarden: pd.DataFrame, odata_catalog_url: str) -> None:
    properties = cbs.data_properties("86165NED", odata_catalog_url)
    numeric = properties.loc[properties["Datatype"].isin(["Long", "Double"]), "Key"]
    assert len(numeric) == 116
    assert all(leeuwarden[key].dtype == "float64" for key in numeric)
    assert leeuwarden.columns[4:].tolist() == properties["Key"].tolist()


def test_kwb_excludes_buurten_that_only_contain_the_digits(
    leeuwarden: pd.DataFrame, friesland_csv: pd.DataFrame
) -> None:
    codes = friesland_csv["Codering_3"].str.strip()
    lookalikes = set(codes[codes.str.contains("0080") & (codes.str[2:6] != "0080")])
    assert "BU19400801" in lookalikes  # real buurt of De Fryske Marren
    assert not lookalikes & set(leeuwarden["code"])


@pytest.mark.parametrize("gemeente", ["0080", 80])
def test_kwb_accepts_gemeente_forms(odata_catalog_url: str, gemeente: str | int) -> None:
    assert len(cbs.kwb(2025, gemeente, odata_catalog_url)) == 159


def test_kwb_of_a_metadata_only_table_is_a_clear_error(odata_catalog_url: str) -> None:
    with pytest.raises(CbsError, match="85318NED .*geen gegevens"):
        cbs.kwb(2022, "GM0080", odata_catalog_url)


# --------------------------------------------------------------------------------------------
# RIVM through cbsodata and the local feed
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rivm(odata_catalog_url: str) -> pd.DataFrame:
    """All of 50090NED, fetched once (69 364 rows, seven pages)."""
    return cbs.rivm_health(odata_catalog_url)


def test_rivm_regions_years_and_ages(rivm: pd.DataFrame) -> None:
    assert rivm.columns[:7].tolist() == [
        "code",
        "name",
        "level",
        "gemeente_name",
        "year",
        "age",
        "margin",
    ]
    assert len(rivm.columns) == 7 + 35
    # The region titles are kept as names (issue 10); the offline files name no wijk, so a
    # title that is only the code is no name.
    names = rivm.drop_duplicates("code").set_index("code")["name"]
    assert names["GM0080"] == "Leeuwarden" and names["NL01"] == "Nederland"
    assert pd.isna(names["WK008061"])
    counts = rivm.groupby(["year", "age"])["level"].value_counts().unstack()
    expected = {"land": 1, "gemeente": 355, "wijk": 3177, "buurt": 13808}
    assert sorted(counts.index) == [(2012, "18+"), (2016, "18+"), (2020, "18+"), (2020, "65+")]
    for level, n in expected.items():
        assert (counts[level] == n).all()
    assert set(rivm["margin"]) == {"MW00000"}
    assert rivm["year"].dtype == "int64"
    assert rivm.attrs == {"table_id": "50090NED", "source": "Bron: RIVM/CBS, GGD'en"}


def test_rivm_values_match_the_file(rivm: pd.DataFrame, shared_data: Path) -> None:
    # The server's own parse is cached per process, so reading the raw cells again is cheap.
    from snapshot_build.replay.files import read_xlsx

    header, rows = read_xlsx(shared_data / RIVM_2020_18)
    cells = {row[header.index("Codering_3")].strip(): row for row in rows}
    eenzaam = header.index("Eenzaam_28")
    assert cells["BU00804103"][eenzaam] == "       ."
    assert cells["NL01"][eenzaam] == "    47.0"
    frame = rivm[(rivm["year"] == 2020) & (rivm["age"] == "18+")].set_index("code")
    assert math.isnan(frame.loc["BU00804103", "Eenzaam_28"])
    assert frame.loc["NL01", "Eenzaam_28"] == 47.0
    assert frame.loc["GM0080", "gemeente_name"] == "Leeuwarden"
    assert frame.loc["NL01", "level"] == "land"
    published = sum(1 for row in rows if row[eenzaam] is not None and row[eenzaam].strip() != ".")
    assert frame["Eenzaam_28"].notna().sum() == published == 17341 - 769


def test_rivm_fetch_used_paging(rivm: pd.DataFrame, odata_feed: LocalFeed) -> None:
    assert len(rivm) == 17341 * 4 > 10000
    assert "/ODataFeed/odata/50090NED/TypedDataSet?$format=json&$skip=60000" in odata_feed.requests


def test_rivm_for_one_gemeente(odata_catalog_url: str, rivm: pd.DataFrame) -> None:
    frame = cbs.rivm_health(odata_catalog_url, regions="GM0080")
    assert frame["level"].value_counts().to_dict() == {
        "buurt": 131 * 4,
        "wijk": 22 * 4,
        "gemeente": 4,
        "land": 4,
    }
    assert "BU16800809" not in set(frame["code"])  # contains "0080", lies in Aa en Hunze
    expected = rivm[(rivm["code"].str[2:6] == "0080") | (rivm["level"] == "land")]
    pd.testing.assert_frame_equal(frame, expected.reset_index(drop=True))


def test_tidy_rivm_maps_keys_and_titles_alike() -> None:
    properties = cbs.topic_properties(
        [
            {"Type": "Topic", "Key": "Codering_3", "Datatype": "String"},
            {"Type": "Topic", "Key": "Eenzaam_28", "Datatype": "Double", "Unit": "%"},
        ]
    )
    base = {
        "Gemeentenaam_1": "Leeuwarden   ",
        "SoortRegio_2": "Wijk      ",
        "Codering_3": "WK008010  ",
    }
    keys = {"Leeftijd": "20300", "Marges": "MW00000", "Perioden": "2020JJ00"}
    titles = {"Leeftijd": "65 jaar of ouder", "Marges": "Waarde", "Perioden": "2020"}
    rows = [{**base, **keys, "Eenzaam_28": 50.0}, {**base, **titles, "Eenzaam_28": None}]
    frame = cbs.tidy_rivm(rows, properties, {"MW00000": "MW00000", "Waarde": "MW00000"})
    assert frame[["code", "level", "year", "age", "margin"]].values.tolist() == [
        ["WK008010", "wijk", 2020, "18+", "MW00000"],
        ["WK008010", "wijk", 2020, "65+", "MW00000"],
    ]
    assert frame["Eenzaam_28"].isna().tolist() == [False, True]
    assert "Codering_3" not in frame.columns
