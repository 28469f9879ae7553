"""The local CBS OData v3 feed, checked through the real cbsodata client and plain HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import cbsodata
import pandas as pd
import pytest
import requests

from snapshot_build.replay import (
    PAGE_SIZE,
    FilterError,
    LocalFeed,
    parse_filter,
    serve,
    title_from_key,
)
from snapshot_build.replay import matches as filter_matches

KWB_2025 = Path("kwb") / "86165NED_kwb2025_friesland"


@pytest.fixture
def host(odata_feed: LocalFeed, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point cbsodata at the local feed over plain http for one test."""
    monkeypatch.setattr(cbsodata.options, "use_https", False)
    return odata_feed.host


def get(feed: LocalFeed, path: str, **params: str) -> requests.Response:
    """GET a feed path with $format=json plus the given query options."""
    query = {"$format": "json", **params}
    return requests.get(feed.base_url + path, params=query, timeout=30)


def error_text(response: requests.Response) -> str:
    """Return the message of an OData JSON error body."""
    return response.json()["odata.error"]["message"]["value"]


# --------------------------------------------------------------------------------------------
# $filter parser
# --------------------------------------------------------------------------------------------

FILTER_CASES = [
    # CBS keys are padded: eq needs the padded key, as CBS does.
    ("WijkenEnBuurten eq 'GM0080    '", {"WijkenEnBuurten": "GM0080    "}, True),
    ("WijkenEnBuurten eq 'GM0080'", {"WijkenEnBuurten": "GM0080    "}, False),
    # substringof / startswith accept the unpadded value.
    ("substringof('0080',WijkenEnBuurten)", {"WijkenEnBuurten": "GM0080    "}, True),
    ("substringof('0080',WijkenEnBuurten)", {"WijkenEnBuurten": "BU19400801"}, True),
    ("substringof('0080',WijkenEnBuurten)", {"WijkenEnBuurten": "GM0059    "}, False),
    ("substringof( '0080' , WijkenEnBuurten )", {"WijkenEnBuurten": "WK008010  "}, True),
    ("startswith(WijkenEnBuurten,'WK0080')", {"WijkenEnBuurten": "WK008010  "}, True),
    ("startswith(WijkenEnBuurten,'WK0080')", {"WijkenEnBuurten": "BU00801001"}, False),
    ("startswith(SoortRegio_2,'Buurt')", {"SoortRegio_2": "Buurt     "}, True),
    ("startswith(SoortRegio_2,'buurt')", {"SoortRegio_2": "Buurt     "}, False),
    ("A eq 'x' and B eq 'y'", {"A": "x", "B": "y"}, True),
    ("A eq 'x' and B eq 'y'", {"A": "x", "B": "z"}, False),
    ("A eq 'x' or B eq 'y'", {"A": "q", "B": "y"}, True),
    ("A eq 'x' or B eq 'y'", {"A": "q", "B": "q"}, False),
    # and binds tighter than or; parentheses regroup.
    ("A eq 'x' or A eq 'y' and B eq 'z'", {"A": "x", "B": "q"}, True),
    ("(A eq 'x' or A eq 'y') and B eq 'z'", {"A": "x", "B": "q"}, False),
    ("((A eq 'x'))", {"A": "x"}, True),
    (
        "(A eq 'x') or (substringof('b',B) and startswith(C,'c'))",
        {"A": "", "B": "abc", "C": "cd"},
        True,
    ),
    ("Title eq 'Rock''n''roll'", {"Title": "Rock'n'roll"}, True),
    (
        "substringof('Kerncijfers wijken en buurten 2025',Title)",
        {"Title": "Kerncijfers wijken en buurten 2025"},
        True,
    ),
    ("A eq 'x'", {"A": None}, False),
    ("A eq 'x'", {}, False),
    ("ID eq '5'", {"ID": 5}, True),
    ("  A  eq  'x'  ", {"A": "x"}, True),
]


@pytest.mark.parametrize(("expression", "row", "expected"), FILTER_CASES)
def test_filter_expression_matches_row(expression: str, row: dict, expected: bool) -> None:
    assert filter_matches(parse_filter(expression), row) is expected


UNSUPPORTED_FILTERS = [
    ("A ne 'x'", "'ne'"),
    ("A gt 'x'", "'gt'"),
    ("not A eq 'x'", "'not'"),
    ("tolower(A) eq 'x'", "'tolower'"),
    ("ID eq 5", "'5'"),
    ("A eq 'x", "unterminated"),
    ("A eq 'x' and", "ends"),
    ("(A eq 'x'", "')'"),
    ("A eq 'x')", "')'"),
    ("A eq 'x' xor B eq 'y'", "'xor'"),
    ("A = 'x'", "position 2: \"= 'x'\""),
    ("substringof(A,'x')", "found 'A'"),
    ("substringof('x',Title) eq true", "'eq'"),
    ("'x' eq A", "\"'x'\""),
    ("", "empty"),
]


@pytest.mark.parametrize(("expression", "bit"), UNSUPPORTED_FILTERS)
def test_unsupported_filter_names_the_bit(expression: str, bit: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter(expression)
    assert bit in str(caught.value)


@pytest.mark.parametrize(
    ("key", "title"),
    [
        ("HeelVeelStressInAfgelopen4Weken_26", "Heel veel stress in afgelopen 4 weken"),
        ("Eenzaam_28", "Eenzaam"),
        ("ErvarenGezondheidGoedZeerGoed_4", "Ervaren gezondheid goed zeer goed"),
        ("MoeiteMetRondkomen_38", "Moeite met rondkomen"),
    ],
)
def test_title_from_key(key: str, title: str) -> None:
    assert title_from_key(key) == title


# --------------------------------------------------------------------------------------------
# Recorded replay through cbsodata
# --------------------------------------------------------------------------------------------


def test_80137ned_get_data_replaces_keys_by_titles(host: str, shared_data: Path) -> None:
    rows = cbsodata.get_data("80137ned", catalog_url=host)
    recorded = json.loads(
        (shared_data / "odata_v3_recorded" / "80137ned" / "TypedDataSet.json").read_text()
    )["value"]
    assert len(rows) == 675
    assert {row["Perioden"] for row in rows} == {"2001", "2002", "2003", "2004", "2005"}
    assert rows[0]["Persoonskenmerken"] == "Totaal"
    assert rows[0]["BedrijfstakkenSBI93"] == "Totaal economische activiteiten"
    assert [row["Totaal_1"] for row in rows] == [row["Totaal_1"] for row in recorded]


def test_80137ned_service_document_points_at_the_local_feed(odata_feed: LocalFeed) -> None:
    document = get(odata_feed, "/ODataFeed/odata/80137ned").json()
    urls = [entry["url"] for entry in document["value"]]
    assert len(urls) == 8
    assert all(url.startswith(odata_feed.base_url + "/ODataFeed/") for url in urls)
    assert document["odata.metadata"].startswith(odata_feed.base_url)
    # Listed by CBS but never recorded: not served.
    response = get(odata_feed, "/ODataFeed/odata/80137ned/UntypedDataSet")
    assert response.status_code == 404


def test_83599ned_untyped_data_set_follows_the_next_link(
    host: str, odata_feed: LocalFeed, shared_data: Path
) -> None:
    rows = cbsodata.get_meta("83599NED", "UntypedDataSet", catalog_url=host)
    assert len(rows) == 15504
    assert [row["ID"] for row in rows] == list(range(15504))
    assert rows[0]["OpenstaandeVacatures_1"] == "   135.5"  # untyped: text, padded
    assert "/ODataFeed/OData/83599NED/UntypedDataSet/?$format=json&$skip=10000" in (
        odata_feed.requests
    )


def test_recorded_next_link_is_rewritten(odata_feed: LocalFeed) -> None:
    page = get(odata_feed, "/ODataFeed/odata/83599NED/UntypedDataSet").json()
    assert len(page["value"]) == 10000
    assert page["odata.nextLink"] == (
        f"{odata_feed.base_url}/ODataFeed/OData/83599NED/UntypedDataSet/?$format=json&$skip=10000"
    )


def test_83599ned_get_data_fails_in_cbsodata_without_typed_data_set(host: str) -> None:
    # Only the UntypedDataSet pages were recorded; cbsodata.get_data(typed=True) removes
    # "TypedDataSet" from the service document's list and fails on its absence.
    with pytest.raises(ValueError, match="not in list"):
        cbsodata.get_data("83599NED", typed=True, catalog_url=host)


def test_catalog_lists_recorded_and_source_tables(host: str, odata_feed: LocalFeed) -> None:
    records = cbsodata.get_table_list(catalog_url=host)
    identifiers = [record["Identifier"] for record in records]
    assert len(records) == 24  # 20 recorded + 86165NED, 85318NED, 85984NED and 50090NED
    assert {"80137ned", "83599NED", "86165NED", "85318NED", "85984NED", "50090NED"} <= set(
        identifiers
    )
    by_id = {record["Identifier"]: record for record in records}
    assert by_id["86165NED"]["Title"] == "Kerncijfers wijken en buurten 2025"
    assert by_id["86165NED"]["Modified"] == "2026-01-15T02:00:00"
    assert by_id["85318NED"]["Period"] == "2022"
    assert by_id["50090NED"]["Catalog"] == "RIVM"
    for record in records:
        assert {"Identifier", "Title", "ShortTitle", "Catalog", "Period", "Modified"} <= set(record)
    # Link fields point at the local feed (links inside HTML text stay as CBS wrote them).
    links = [record[name] for record in records for name in ("FeedUrl", "ApiUrl") if name in record]
    assert all(link.startswith(odata_feed.base_url + "/") for link in links)
    assert by_id["80137ned"]["FeedUrl"] == f"{odata_feed.base_url}/ODataFeed/OData/80137ned"


def test_catalog_filter(host: str) -> None:
    records = cbsodata.get_table_list(
        filters="substringof('Kerncijfers wijken en buurten',Title)", catalog_url=host
    )
    assert sorted(record["Identifier"] for record in records) == [
        "85318NED",
        "85984NED",
        "86165NED",
    ]


# --------------------------------------------------------------------------------------------
# KWB tables from source files
# --------------------------------------------------------------------------------------------


def test_kwb_2025_typed_row_has_cbs_json_types(odata_feed: LocalFeed, shared_data: Path) -> None:
    csv = pd.read_csv(shared_data / KWB_2025 / "TypedDataSet_friesland.csv", dtype=str)
    page = get(
        odata_feed,
        "/ODataFeed/odata/86165NED/TypedDataSet",
        **{"$filter": "WijkenEnBuurten eq 'GM0080    '"},
    ).json()
    assert page["odata.metadata"].endswith("/86165NED/$metadata#Cbs.OData.WebAPI.TypedDataSet")
    [row] = page["value"]
    assert list(row) == [column for column in csv.columns if column != "Naam_gebied"]
    assert row["WijkenEnBuurten"] == "GM0080    "
    assert row["Gemeentenaam_1"] == "Leeuwarden                              "
    assert row["AantalInwoners_5"] == 129973 and isinstance(row["AantalInwoners_5"], int)
    assert isinstance(row["Bevolkingsdichtheid_34"], int)  # Long, written "1234.0" in the CSV
    assert isinstance(row["GemiddeldeHuishoudensgrootte_33"], float)  # Double
    assert row["GemiddeldInkomenPerInwoner_78"] is None  # empty cell


def test_kwb_2025_eq_needs_the_padded_key(odata_feed: LocalFeed) -> None:
    page = get(
        odata_feed,
        "/ODataFeed/odata/86165NED/TypedDataSet",
        **{"$filter": "WijkenEnBuurten eq 'GM0080'"},
    ).json()
    assert page["value"] == []


def test_kwb_2025_untyped_values_are_text(odata_feed: LocalFeed) -> None:
    page = get(
        odata_feed,
        "/ODataFeed/odata/86165NED/UntypedDataSet",
        **{"$filter": "WijkenEnBuurten eq 'GM0080    '", "$select": "ID,AantalInwoners_5"},
    ).json()
    assert page["value"] == [{"ID": 9312, "AantalInwoners_5": "129973"}]


def test_kwb_2025_get_data_uses_naam_gebied_as_region_title(host: str) -> None:
    rows = cbsodata.get_data(
        "86165NED", filters="startswith(WijkenEnBuurten,'WK0080')", catalog_url=host
    )
    assert len(rows) == 22
    names = {row["Codering_3"].strip(): row["WijkenEnBuurten"] for row in rows}
    assert names["WK008010"] == "Binnenstad"
    assert all("Naam_gebied" not in row for row in rows)


def test_kwb_2022_is_metadata_only(host: str, odata_feed: LocalFeed) -> None:
    names = [entry["name"] for entry in cbsodata.get_meta("85318NED", "", catalog_url=host)]
    assert names == ["TableInfos", "DataProperties", "CategoryGroups", "WijkenEnBuurten"]
    response = get(odata_feed, "/ODataFeed/odata/85318NED/TypedDataSet")
    assert response.status_code == 404
    assert "not in the offline sources" in error_text(response)
    # What a real client then does: cbsodata.get_data cannot drop a data set it was not offered.
    with pytest.raises(ValueError, match="not in list"):
        cbsodata.get_data("85318NED", catalog_url=host)


def test_kwb_2022_dimension_is_paged(host: str, odata_feed: LocalFeed) -> None:
    regions = cbsodata.get_meta("85318NED", "WijkenEnBuurten", catalog_url=host)
    assert len(regions) == 18003
    assert regions[0] == {
        "Key": "NL00      ",
        "Title": "Nederland",
        "Description": None,
        "Municipality": None,
        "DetailRegionCode": None,
    }
    assert "/ODataFeed/odata/85318NED/WijkenEnBuurten?$format=json&$skip=10000" in (
        odata_feed.requests
    )
    properties = cbsodata.get_meta("85318NED", "DataProperties", catalog_url=host)
    assert len(properties) == 158
    assert properties[2]["Key"] == "Gemeentenaam_1" and properties[2]["Decimals"] == 0


# --------------------------------------------------------------------------------------------
# RIVM 50090NED from the Excel exports
# --------------------------------------------------------------------------------------------


def test_rivm_typed_and_untyped_cells(odata_feed: LocalFeed) -> None:
    where = {
        "$filter": "WijkenEnBuurten eq 'BU00804103' and Perioden eq '2020JJ00' "
        "and Leeftijd eq '20300'",
        "$select": "ID,Leeftijd,Marges,Perioden,Eenzaam_28,LopenNaarSchoolOfWerk_35",
    }
    [typed] = get(odata_feed, "/ODataFeed/odata/50090NED/TypedDataSet", **where).json()["value"]
    [untyped] = get(odata_feed, "/ODataFeed/odata/50090NED/UntypedDataSet", **where).json()["value"]
    assert typed["Eenzaam_28"] is None and untyped["Eenzaam_28"] == "       ."
    assert typed["LopenNaarSchoolOfWerk_35"] is None and untyped["LopenNaarSchoolOfWerk_35"] is None
    assert typed["ID"] == untyped["ID"]
    assert (typed["Leeftijd"], typed["Marges"], typed["Perioden"]) == (
        "20300",
        "MW00000",
        "2020JJ00",
    )
    [nl] = get(
        odata_feed,
        "/ODataFeed/odata/50090NED/TypedDataSet",
        **{
            "$filter": "startswith(WijkenEnBuurten,'NL01') and Perioden eq '2020JJ00' "
            "and Leeftijd eq '20300'",
            "$select": "Eenzaam_28",
        },
    ).json()["value"]
    assert nl == {"Eenzaam_28": 47.0}


def test_rivm_metadata_is_synthesised_from_the_files(host: str) -> None:
    properties = cbsodata.get_meta("50090NED", "DataProperties", catalog_url=host)
    topics = [p for p in properties if p["Type"] == "Topic"]
    percentages = [p for p in topics if p["Datatype"] == "Double"]
    assert len(topics) == 38 and len(percentages) == 35
    assert all(p["Unit"] == "%" for p in percentages)
    assert {p["Key"]: p["Type"] for p in properties if p["Type"] != "Topic"} == {
        "Leeftijd": "Dimension",
        "Marges": "Dimension",
        "WijkenEnBuurten": "GeoDimension",
        "Perioden": "TimeDimension",
    }
    ages = cbsodata.get_meta("50090NED", "Leeftijd", catalog_url=host)
    assert [(a["Key"], a["Title"]) for a in ages] == [
        ("20300", "18 jaar of ouder"),
        ("80200", "65 jaar of ouder"),
    ]
    periods = cbsodata.get_meta("50090NED", "Perioden", catalog_url=host)
    assert [(p["Key"], p["Title"]) for p in periods] == [
        ("2012JJ00", "2012"),
        ("2016JJ00", "2016"),
        ("2020JJ00", "2020"),
    ]
    regions = cbsodata.get_meta("50090NED", "WijkenEnBuurten", catalog_url=host)
    titles = {r["Key"].strip(): r["Title"] for r in regions}
    assert len(regions) == 17341
    assert (titles["NL01"], titles["GM0080"], titles["WK008010"]) == (
        "Nederland",
        "Leeuwarden",
        "WK008010",
    )


def test_paging_keeps_filter_and_select(odata_feed: LocalFeed) -> None:
    params = {"$filter": "startswith(SoortRegio_2,'Buurt')", "$select": "ID,SoortRegio_2"}
    page = get(odata_feed, "/ODataFeed/odata/50090NED/TypedDataSet", **params).json()
    rows = list(page["value"])
    pages = 1
    while "odata.nextLink" in page:
        link = page["odata.nextLink"]
        assert link.startswith(odata_feed.base_url + "/ODataFeed/odata/50090NED/TypedDataSet?")
        page = requests.get(link, timeout=30).json()
        rows += page["value"]
        pages += 1
    assert len(rows) == 13808 * 4 and pages == 6
    assert len(rows) > PAGE_SIZE
    assert {row["SoortRegio_2"] for row in rows} == {"Buurt     "}
    assert set(rows[0]) == {"ID", "SoortRegio_2"}
    assert len({row["ID"] for row in rows}) == len(rows)


@pytest.mark.parametrize(
    ("skip", "top", "expected"),
    [(None, "3", [0, 1, 2]), ("5", "2", [5, 6]), ("674", None, [674]), ("675", None, [])],
)
def test_skip_and_top(odata_feed: LocalFeed, skip: str | None, top: str | None, expected: list):
    params = {"$select": "ID"}
    if skip is not None:
        params["$skip"] = skip
    if top is not None:
        params["$top"] = top
    page = get(odata_feed, "/ODataFeed/odata/80137ned/TypedDataSet", **params).json()
    assert [row["ID"] for row in page["value"]] == expected


def test_top_across_pages(odata_feed: LocalFeed) -> None:
    params = {"$select": "ID", "$skip": "5", "$top": "10002"}
    page = get(odata_feed, "/ODataFeed/odata/50090NED/TypedDataSet", **params).json()
    assert len(page["value"]) == PAGE_SIZE
    assert "$skip=10005" in page["odata.nextLink"] and "$top=2" in page["odata.nextLink"]
    rest = requests.get(page["odata.nextLink"], timeout=30).json()
    assert [row["ID"] for row in rest["value"]] == [10005, 10006]
    assert "odata.nextLink" not in rest


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_unsupported_filter_is_400_naming_the_bit(odata_feed: LocalFeed) -> None:
    response = get(
        odata_feed, "/ODataFeed/odata/86165NED/TypedDataSet", **{"$filter": "AantalInwoners_5 gt 5"}
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json;charset=utf-8"
    assert "'gt'" in error_text(response)


@pytest.mark.parametrize(
    ("params", "bit"),
    [
        ({"$filter": "Onbekend eq 'x'"}, "'Onbekend'"),
        ({"$select": "ID,Onbekend"}, "'Onbekend'"),
        ({"$orderby": "ID"}, "$orderby"),
        ({"$skip": "-1"}, "$skip"),
        ({"$top": "many"}, "$top"),
        ({"$format": "xml"}, "$format=json"),
    ],
)
def test_bad_query_options_are_400(odata_feed: LocalFeed, params: dict, bit: str) -> None:
    response = get(odata_feed, "/ODataFeed/odata/80137ned/TypedDataSet", **params)
    assert response.status_code == 400
    assert bit in error_text(response)


def test_missing_format_is_400(odata_feed: LocalFeed) -> None:
    response = requests.get(odata_feed.base_url + "/ODataFeed/odata/80137ned", timeout=30)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/ODataFeed/odata/99999NED",
        "/ODataFeed/odata/99999NED/TypedDataSet",
        "/ODataFeed/odata/86165NED/Onbekend",
        "/ODataFeed/odata/86165NED/$metadata",
        "/ODataApi/odata/86165NED",
        "/",
    ],
)
def test_unknown_resources_are_404(odata_feed: LocalFeed, path: str) -> None:
    response = get(odata_feed, path)
    assert response.status_code == 404
    assert error_text(response)


def test_table_ids_match_case_insensitively(odata_feed: LocalFeed) -> None:
    response = get(odata_feed, "/ODataFeed/odata/86165ned/TableInfos")
    assert response.json()["value"][0]["Identifier"] == "86165NED"


# --------------------------------------------------------------------------------------------
# Server lifecycle
# --------------------------------------------------------------------------------------------


def test_serve_binds_localhost_logs_nothing_and_shuts_down(
    shared_data: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(shared_data) as feed:
        assert urlsplit(feed.base_url).hostname == "127.0.0.1"
        assert feed.host == feed.base_url.removeprefix("http://")
        response = get(feed, "/ODataFeed/odata/86165NED/TableInfos")
        assert response.status_code == 200
        # Without recorded_dir only the source tables are served.
        assert get(feed, "/ODataFeed/odata/80137ned").status_code == 404
    assert feed.requests[0] == "/ODataFeed/odata/86165NED/TableInfos?$format=json"
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
    with pytest.raises(requests.ConnectionError):
        requests.get(feed.base_url + "/ODataCatalog/Tables?$format=json", timeout=5)
