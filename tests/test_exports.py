import csv
import datetime as dt
import io
import math
import re
import zlib

import openpyxl
import pandas as pd
import pytest

from analysis.catalogue import Catalogue, Indicator, load_catalogue
from analysis.views.exports import (
    ROUNDING_NOTE,
    ExportMeta,
    export_meta,
    neutralise,
    pdf_text,
    profile_pdf,
    screen_table,
    table_to_csv,
    table_to_excel,
)
from analysis.views.profile import MARGIN_RULE, profile_table, profile_text
from data.snapshot import load_snapshot

NAN = math.nan
BASE = load_catalogue()
CATALOGUE = Catalogue(
    indicators=(
        *BASE.indicators,
        Indicator(
            id="eenzaam_enquete",
            label="Eenzaam (eigen enquête)",
            definition="Score 3 of hoger op de De Jong Gierveld-schaal, eigen enquête.",
            unit="%",
            decimals=0,
            higher_is_better="lager",
            kind="eigen enquête",
            theme="Hoe gaat het met de mensen",
        ),
    ),
    sources=BASE.sources,
)
RULE = "Cijfers op minder dan 10 antwoorden worden niet getoond."

#: A small profile-like table: a registration, a model estimate, a survey figure shown and one
#: suppressed (its hidden value 80 must never reach a file).
TABLE = pd.DataFrame(
    {
        "indicator": ["pct_koopwoningen", "eenzaam", "eenzaam_enquete", "eenzaam_enquete"],
        "label": ["=SUM(A1)", "Eenzaam (RIVM-schatting)", "@Noord", "-Zuid"],
        "kind": ["registratie", "modelschatting", "eigen enquête", "eigen enquête"],
        "source": ["86165NED", "50090NED", None, None],
        "period": pd.array([2025, 2020, 2025, 2025], dtype="Int64"),
        "decimals": [0, 0, 0, 0],
        "value": [24.4, 53.3, 52.4, 80.0],
        "difference": [-26.6, 7.3, 11.4, 39.0],
        "n": [NAN, NAN, 120.0, 7.0],
        "ci_low": [NAN, NAN, 43.1, 40.0],
        "status": ["", "", "", "onderdrukt"],
        "reason": ["", "", "", "minder dan 10 antwoorden"],
    }
)


def meta(**kwargs):
    return export_meta(
        CATALOGUE,
        TABLE,
        title="Wijkprofiel Noord",
        built_on="2026-11-24",
        suppression_rule=RULE,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-Zuid", "'-Zuid"),
        ("@Noord", "'@Noord"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Oud-Oost", "Oud-Oost"),
        ("’s-Gravenhage", "’s-Gravenhage"),
        ("", ""),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_screen_table_rounds_as_shown_and_empties_suppressed_numbers():
    shown, decimals = screen_table(TABLE, meta())
    assert "decimals" not in shown.columns
    assert shown["value"].tolist()[:3] == [24.0, 53.0, 52.0]
    assert shown["difference"].tolist()[:3] == [-27.0, 7.0, 11.0]
    suppressed = shown.iloc[3]
    assert math.isnan(suppressed["value"]) and math.isnan(suppressed["ci_low"])
    assert math.isnan(suppressed["difference"])
    assert suppressed["n"] == 7.0 and suppressed["reason"] == "minder dan 10 antwoorden"
    assert decimals.loc[0, "period"] == 0 and decimals.loc[0, "label"] == -1


def test_screen_table_takes_decimals_from_the_catalogue_without_a_decimals_column():
    frame = pd.DataFrame({"indicator": ["afstand_huisarts", "eenzaam"], "value": [1.26, 53.3]})
    shown, _ = screen_table(frame, export_meta(BASE, frame, title="t", built_on="2026-11-24"))
    assert shown["value"].tolist() == [1.3, 53.0]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Dutch Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))


def test_csv_is_semicolon_separated_with_decimal_comma_and_neutralised_text():
    rows = csv_rows(table_to_csv(TABLE, meta(column_labels={"value": "Noord"})))
    assert rows[0] == [
        "Indicator-id",
        "Indicator",
        "Soort cijfer",
        "Bron",
        "Jaar",
        "Noord",
        "Verschil met gemeente",
        "n",
        "95%-betrouwbaarheidsinterval, ondergrens",
        "Status",
        "Reden",
    ]
    assert rows[1] == [
        "pct_koopwoningen",
        "'=SUM(A1)",
        "registratie",
        "86165NED",
        "2025",
        "24",
        "-27",  # a negative number stays a number
        "",
        "",
        "",
        "",
    ]
    assert rows[3][1] == "'@Noord" and rows[3][5:9] == ["52", "11", "120", "43"]
    # the suppressed figure: empty with its reason, never the hidden 80
    assert rows[4][1] == "'-Zuid"
    assert rows[4][5:] == ["", "", "7", "", "onderdrukt", "minder dan 10 antwoorden"]
    assert b"80" not in table_to_csv(TABLE, meta())


def test_csv_writes_decimals_with_a_comma_and_no_thousands_separator():
    frame = pd.DataFrame({"label": ["Afstand"], "value": [1234.56], "decimals": [1]})
    data = table_to_csv(frame, ExportMeta(title="t", built_on="vandaag", notes=()))
    assert data == b"\xef\xbb\xbfIndicator;Gebied\r\n" + b"Afstand;1234,6\r\n"


def open_workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_excel_has_data_and_explanation_sheets_with_numbers_as_numbers():
    book = open_workbook(table_to_excel(TABLE, meta(margin_rule=MARGIN_RULE)))
    assert book.sheetnames == ["gegevens", "toelichting"]
    data = book["gegevens"]
    assert data["B1"].value == "Indicator"
    formula = data["B2"]
    assert (formula.value, formula.data_type) == ("'=SUM(A1)", "s")  # text, never a formula
    assert data["F2"].value == 24 and data["F2"].data_type == "n"
    assert data["F2"].number_format == "#,##0"
    assert data["G2"].value == -27
    assert data["F5"].value is None and data["K5"].value == "minder dan 10 antwoorden"
    assert data["H5"].value == 7
    assert all(cell.value != 80 for row in data.iter_rows() for cell in row)


def test_excel_explanation_names_sources_definitions_rules_and_build_date():
    book = open_workbook(table_to_excel(TABLE, meta(margin_rule=MARGIN_RULE)))
    sheet = book["toelichting"]
    cells = {c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    for expected in (
        "Wijkprofiel Noord",
        "24 november 2026",
        ROUNDING_NOTE,
        MARGIN_RULE,
        RULE,
        BASE.indicator("eenzaam").definition,
        "Modelschatting (RIVM)",
        "Gezondheid per wijk en buurt; 2012/2016/2020 (indeling 2020)",
        "50090NED",
        "CC BY 4.0",
        "Eigen enquête van de gemeente",
    ):
        assert expected in cells, expected


def test_export_meta_collects_catalogue_notes_per_indicator_and_source():
    notes = {n.indicator: n for n in meta().notes}
    assert set(notes) == {"pct_koopwoningen", "eenzaam", "eenzaam_enquete"}
    koop = notes["pct_koopwoningen"]
    assert (koop.label, koop.unit, koop.kind, koop.table_id, koop.years, koop.licence) == (
        "Koopwoningen",
        "%",
        "Registratie (CBS)",
        "86165NED",
        "2025",
        "CC BY 4.0",
    )


def test_export_meta_requires_the_suppression_rule_for_survey_figures():
    with pytest.raises(ValueError) as err:
        export_meta(CATALOGUE, TABLE, title="t", built_on="2026-11-24")
    assert str(err.value) == (
        "De export bevat enquêtecijfers (Eenzaam (eigen enquête)) maar geen regel voor kleine "
        "aantallen; geef suppression_rule mee"
    )


@pytest.mark.parametrize(
    ("built_on", "expected"),
    [("2026-11-24", "24 november 2026"), (dt.date(2025, 3, 1), "1 maart 2025"), ("?", "?")],
)
def test_export_meta_writes_the_build_date_in_dutch(built_on, expected):
    frame = pd.DataFrame({"indicator": ["eenzaam"]})
    assert export_meta(BASE, frame, title="t", built_on=built_on).built_on == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("’s-Gravenhage, één, Nijlân – 5 €", "’s-Gravenhage, één, Nijlân – 5 €"),
        ("≥ 10 en ≤ 20", ">= 10 en <= 20"),
        ("Ærø ✓", "Ærø ?"),
    ],
)
def test_pdf_text(text, expected):
    assert pdf_text(text) == expected


def pdf_pages(data: bytes) -> int:
    """Count page objects ("/Type /Page", not "/Type /Pages") in a PDF."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def pdf_streams(data: bytes) -> bytes:
    """Return every content stream of a PDF, decompressed where it was compressed."""
    out = b""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            out += match.group(1)
    return out


@pytest.fixture(scope="module")
def snapshot():
    return load_snapshot()


def test_profile_pdf_of_a_real_wijk_is_one_a4_page_with_dutch_characters(snapshot):
    table = profile_table(
        snapshot.values, snapshot.regions, CATALOGUE, code="WK008061", gemeente_code="GM0080"
    )
    sentences = profile_text(table, area="Vrijheidswijk", gemeente="Leeuwarden")
    info = export_meta(
        CATALOGUE,
        table,
        title="Wijkprofiel Vrijheidswijk",
        built_on=snapshot.manifest["built_on"],
        margin_rule=MARGIN_RULE,
    )
    data = profile_pdf(table, sentences, info, "Vrijheidswijk", "Leeuwarden ’s-één", "2026-11-24")
    assert data.startswith(b"%PDF-")
    assert pdf_pages(data) == 1
    assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4 in points
    assert b"/WinAnsiEncoding" in data
    text = pdf_streams(data)
    assert "Leeuwarden ’s-één".encode("cp1252") in text  # ’ and é in the font's own encoding
    assert "Wijkprofiel Vrijheidswijk".encode("cp1252") in text


def test_profile_pdf_that_cannot_fit_cuts_the_table_and_says_so():
    row = {
        "label": "Eenzaam (RIVM-schatting)",
        "kind": "modelschatting",
        "period": 2020,
        "age": "18+",
        "unit": "%",
        "decimals": 0,
        "value": 53.0,
        "gemeente": 46.0,
        "nederland": 47.0,
        "signal": "hoger",
        "n": NAN,
        "ci_low": NAN,
        "ci_high": NAN,
        "status": "",
    }
    table = pd.DataFrame([row] * 70)  # about 50 rows fit at the smallest font
    info = ExportMeta(title="t", built_on="24 november 2026", notes=())
    data = profile_pdf(table, ["Zin."] * 5, info, "Noord", "Stad", "2026-11-24")
    assert pdf_pages(data) == 1
    # PDF strings escape brackets: "indicator\\(en\\)"
    found = re.search(
        rb"en nog (\d+) indicator\\\(en\\\): zie de Excel-download", pdf_streams(data)
    )
    assert found and 0 < int(found.group(1)) < 70


def test_profile_pdf_has_the_ggd_region_column_when_given():
    row = {
        "label": "Eenzaam (RIVM-schatting)",
        "kind": "modelschatting",
        "period": 2020,
        "age": "18+",
        "unit": "%",
        "decimals": 0,
        "value": 55.0,
        "gemeente": 45.7,
        "ggd": 42.04,
        "nederland": 47.0,
        "signal": "hoger",
        "n": NAN,
        "ci_low": NAN,
        "ci_high": NAN,
        "status": "",
    }
    info = ExportMeta(title="t", built_on="24 november 2026", notes=())
    table = pd.DataFrame([row])
    data = profile_pdf(table, [], info, "Vrijheidswijk", "Leeuwarden", "2026-11-24", "GGD Fryslân")
    assert pdf_pages(data) == 1
    text = pdf_streams(data)
    assert "GGD Fryslân".encode("cp1252") in text
    assert "Vergeleken met Leeuwarden, GGD Fryslân en Nederland.".encode("cp1252") in text
    for shown in ("55 %", "46 %", "42 %", "47 %"):  # wijk, gemeente, GGD-regio, Nederland
        assert shown.encode("cp1252") in text
    without = pdf_streams(profile_pdf(table, [], info, "Vrijheidswijk", "Leeuwarden", "2026-11-24"))
    assert "GGD".encode("cp1252") not in without
