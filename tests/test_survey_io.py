"""Reading uploaded survey files (CSV, Excel, SPSS) from bytes, on hand-made files."""

import io
import math
import os
import sys
import tomllib

import pandas as pd
import pyarrow as pa
import pyreadstat
import pytest
import xlsxwriter

from data import survey
from data.survey import (
    MAX_UPLOAD_MB,
    Issue,
    SurveyError,
    hidden_sheet_names,
    read_survey,
    sheet_names,
    to_number,
)

AREAS = ["'s-Hertogenbosch Centrum", "Zeeënbuurt", "Café-Oost", "Ruïnekwartier"]


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    """Encode CSV text as an upload would arrive."""
    return text.encode(encoding)


def _xlsx(sheets, *, hidden=(), merges=None, hidden_rows=None) -> bytes:
    """Build an .xlsx in memory: {sheet: rows}, merges {sheet: [(r0, c0, r1, c1, value)]}."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        for first_row, first_col, last_row, last_col, value in (merges or {}).get(name, []):
            sheet.merge_range(first_row, first_col, last_row, last_col, value)
        for row in (hidden_rows or {}).get(name, []):
            sheet.set_row(row, None, None, {"hidden": True})
        if name in hidden:
            sheet.hide()
    # Excel opens on a visible sheet; xlsxwriter refuses to hide the active one.
    next(s for s in book.worksheets() if s.name not in hidden).activate()
    book.close()
    return buffer.getvalue()


def _sav(tmp_path, frame, **kwargs) -> bytes:
    """Write a .sav with pyreadstat into tmp_path and return its bytes."""
    path = tmp_path / "enquete.sav"
    pyreadstat.write_sav(frame, str(path), **kwargs)
    return path.read_bytes()


def _is_coded_text(dtype) -> bool:
    """Tell whether a column is a CSV text column: a Categorical of pandas text."""
    return isinstance(dtype, pd.CategoricalDtype) and str(dtype.categories.dtype) == "str"


def _error(content: bytes, file_name: str, **kwargs) -> SurveyError:
    with pytest.raises(SurveyError) as info:
        read_survey(content, file_name, **kwargs)
    return info.value


# --- CSV: delimiter, encoding, cells ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter", "records"),
    [
        (
            "respondent_id,gebied,gewicht\n1,Noord,1.25\n2,Zuid,0.75\n",
            ",",
            [["1", "Noord", "1.25"], ["2", "Zuid", "0.75"]],
        ),
        # ';' with decimal commas: a ',' split would give 2 fields per row and 1 in the header.
        (
            "respondent_id;gebied;gewicht\n1;Noord;1,25\n2;Zuid;0,75\n",
            ";",
            [["1", "Noord", "1,25"], ["2", "Zuid", "0,75"]],
        ),
        # Two decimal commas per row, as many commas as semicolons: ';' still splits evenly.
        (
            "id;gewicht;leeftijd\n1;1,25;40,5\n2;0,75;61,0\n",
            ";",
            [["1", "1,25", "40,5"], ["2", "0,75", "61,0"]],
        ),
        ('id,gebied,gewicht\n1,Noord,"1,25"\n', ",", [["1", "Noord", "1,25"]]),
        ("id\tgebied\n1\tNoord, Oost\n", "\t", [["1", "Noord, Oost"]]),
        ("id;gebied\r\n1;Noord\r\n", ";", [["1", "Noord"]]),
        # Excel's hint line is obeyed and, as in Excel, not counted as a row.
        ("sep=,\nid,gebied;wijk\n1,Noord;Oost\n", ",", [["1", "Noord;Oost"]]),
        ("id;gebied\n1;Noord\n2;\n", ";", [["1", "Noord"], ["2", math.nan]]),
    ],
    ids=["comma", "semicolon-decimal-comma", "two-decimals", "quoted", "tab", "crlf", "sep", "nan"],
)
def test_csv_delimiter_is_sniffed(text, delimiter, records):
    raw = read_survey(_csv(text), "enquete.csv")
    assert raw.delimiter == delimiter
    assert raw.format == "csv"
    expected = pd.DataFrame(records, columns=raw.frame.columns, dtype="str")
    # Every column is text, held as a Categorical of its distinct texts (issue 14).
    assert all(_is_coded_text(dtype) for dtype in raw.frame.dtypes)
    pd.testing.assert_frame_equal(raw.frame.astype("str"), expected)
    assert raw.row_numbers == tuple(range(2, 2 + len(records)))


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (_csv("id;gebied\n" + "".join(f"{i};{a}\n" for i, a in enumerate(AREAS))), "utf-8"),
        (
            b"\xef\xbb\xbf"
            + _csv("id;gebied\n" + "".join(f"{i};{a}\n" for i, a in enumerate(AREAS))),
            "utf-8-sig",
        ),
        (
            _csv("id;gebied\n" + "".join(f"{i};{a}\n" for i, a in enumerate(AREAS)), "cp1252"),
            "cp1252",
        ),
        (
            _csv(
                "id\tgebied\r\n" + "".join(f"{i}\t{a}\r\n" for i, a in enumerate(AREAS)), "utf-16"
            ),
            "utf-16",
        ),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "utf-16-excel-unicode-text"],
)
def test_csv_encodings_keep_diacritics(content, encoding):
    raw = read_survey(content, "enquete.csv")
    assert raw.encoding == encoding
    assert list(raw.frame.columns) == ["id", "gebied"]  # no BOM glued to the first name
    assert raw.frame["gebied"].tolist() == AREAS


def test_csv_strips_header_names_but_keeps_cells_as_written():
    raw = read_survey(_csv(" respondent_id ;\tgebied \n1; Noord \n"), "enquete.csv")
    assert list(raw.frame.columns) == ["respondent_id", "gebied"]
    assert raw.frame.loc[0, "gebied"] == " Noord "  # the mapping step trims answers


def test_csv_blank_rows_are_dropped_but_rows_keep_their_file_number():
    raw = read_survey(_csv("id;gebied\n1;Noord\n;\n\n2;Zuid\n"), "enquete.csv")
    assert raw.frame["id"].tolist() == ["1", "2"]
    assert raw.row_numbers == (2, 5)
    assert raw.warnings == []


def test_csv_short_rows_are_padded_with_a_warning():
    raw = read_survey(_csv("id;gebied;gewicht\n1;Noord\n2;Zuid;1\n3\n"), "enquete.csv")
    assert raw.frame["gewicht"].isna().tolist() == [True, False, True]
    assert raw.warnings == [
        "Rij 2 en 4 hebben minder waarden dan er kolommen zijn; "
        "de ontbrekende waarden zijn als leeg ingelezen."
    ]


def test_csv_trailing_delimiters_make_no_columns():
    raw = read_survey(_csv("id;gebied;;\n1;Noord;;\n"), "enquete.csv")
    assert list(raw.frame.columns) == ["id", "gebied"]


@pytest.mark.parametrize(
    ("text", "header_row", "warnings"),
    [
        ("id;gebied\n1;Noord\n", 1, []),
        (
            "Enquête sociale basis 2025\nid;gebied\n1;Noord\n",
            2,
            ["Rij 1 boven de kopregel is overgeslagen; de kopregel is rij 2."],
        ),
        # Excel pads title rows with delimiters; an empty row between title and header.
        (
            "Enquête sociale basis 2025;;\nGemeente Baarn;;\n;;\nid;gebied;djg11_1\n1;Noord;2\n",
            4,
            ["Rij 1 en 2 boven de kopregel zijn overgeslagen; de kopregel is rij 4."],
        ),
        # Group labels above the names: the lower, wider row is the header.
        (
            "Achtergrond;;Eenzaamheid\nid;gebied;djg11_1\n1;Noord;2\n",
            2,
            ["Rij 1 boven de kopregel is overgeslagen; de kopregel is rij 2."],
        ),
        # Answers given as text are not mistaken for a header below the real one.
        ("id;gebied\nR1;Noord\n", 1, []),
        ("\n\nid;gebied\n1;Noord\n", 3, []),
        # The search starts at the first non-empty row, however far down.
        (
            ";\n" * 30 + "Enquête 2025;\nid;gebied\n1;Noord\n",
            32,
            ["Rij 31 boven de kopregel is overgeslagen; de kopregel is rij 32."],
        ),
        ("sep=;\nid;gebied\n1;Noord\n", 1, []),
    ],
    ids=[
        "plain",
        "title",
        "title-padded",
        "group-labels",
        "text-answers",
        "blank-lines",
        "far-down",
        "excel-sep-line",
    ],
)
def test_csv_header_row_is_found_below_title_rows(text, header_row, warnings):
    raw = read_survey(_csv(text), "enquete.csv")
    assert raw.frame.columns[:2].tolist() == ["id", "gebied"]
    assert raw.row_numbers == (header_row + 1,)
    assert raw.warnings == warnings


# --- CSV: refused files -----------------------------------------------------------------------

EXPECTED_ROWS = "verwacht: een kopregel met kolomnamen en daaronder per respondent een rij"
EXPECTED_TEXT = "verwacht: tekst met kolommen gescheiden door komma, puntkomma of tab"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", f"enquete.csv: het bestand is leeg ({EXPECTED_ROWS})"),
        (b" \r\n\n", f"enquete.csv: het bestand is leeg ({EXPECTED_ROWS})"),
        (b"\xef\xbb\xbf", f"enquete.csv: het bestand is leeg ({EXPECTED_ROWS})"),
        (b";;\n;;\n", f"enquete.csv: het bestand is leeg ({EXPECTED_ROWS})"),
        (
            b"respondent_id;gebied;gewicht\n",
            "enquete.csv, rij 1: onder de kopregel staan geen antwoorden "
            "(verwacht: per respondent een rij onder de kopregel)",
        ),
        (
            b"respondent_id;gebied\n;\n\n",
            "enquete.csv, rij 1: onder de kopregel staan geen antwoorden "
            "(verwacht: per respondent een rij onder de kopregel)",
        ),
        (bytes(range(256)) * 4, f"enquete.csv: de inhoud is geen tekst ({EXPECTED_TEXT})"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            f"enquete.csv: de inhoud is geen tekst ({EXPECTED_TEXT})",
        ),
        (
            _xlsx({"Data": [["id"], [1]]}),
            "enquete.csv: de inhoud is een Excel- of zip-bestand, geen tekst; heet het "
            f"eigenlijk .xlsx? ({EXPECTED_TEXT})",
        ),
        (
            b"respondent_id;gebied;Gebied;gewicht;gewicht\n1;Noord;N;1;1\n",
            "enquete.csv: 2 problemen gevonden:\n"
            "- enquete.csv, rij 1, kolom 'gebied': deze naam staat in kolom B en in kolom C "
            "(verwacht: elke kolomnaam één keer)\n"
            "- enquete.csv, rij 1, kolom 'gewicht': deze naam staat in kolom D en in kolom E "
            "(verwacht: elke kolomnaam één keer)",
        ),
        (
            b"respondent_id;;gewicht\n1;Noord;1\n",
            "enquete.csv, rij 1: kolom B heeft geen naam maar bevat wel gegevens "
            "(verwacht: een kolomnaam boven elke kolom met gegevens)",
        ),
        (
            b"respondent_id,gebied,gewicht\n1,Noord,1,25\n2,Zuid,1\n",
            "enquete.csv, rij 2: deze rij heeft 4 waarden en de kopregel 3 kolommen; staat er "
            "een komma in een antwoord of getal zonder aanhalingstekens? "
            "(verwacht: hoogstens 3 waarden per rij)",
        ),
    ],
    ids=[
        "empty",
        "blank-lines",
        "bom-only",
        "delimiters-only",
        "header-only",
        "header-and-blank-rows",
        "binary",
        "png",
        "xlsx-named-csv",
        "duplicate-headers",
        "unnamed-column",
        "unquoted-decimal-comma",
    ],
)
def test_csv_refused_with_a_dutch_message(content, message):
    err = _error(content, "enquete.csv")
    assert str(err) == message
    assert err.issues and all(issue.file_name == "enquete.csv" for issue in err.issues)


def test_many_bad_rows_are_counted_and_kept_as_structured_issues():
    text = "id,gewicht\n" + "".join(f"{i},1,{i}\n" for i in range(7))
    err = _error(_csv(text), "enquete.csv")
    lines = str(err).split("\n")
    assert lines[0] == "enquete.csv: 7 problemen gevonden, de eerste 5:"
    assert len(lines) == 7 and lines[-1] == "- en nog 2"
    assert [issue.row for issue in err.issues] == [2, 3, 4, 5, 6, 7, 8]
    assert err.issues[0] == Issue(
        "enquete.csv",
        "deze rij heeft 3 waarden en de kopregel 2 kolommen; staat er een komma in een "
        "antwoord of getal zonder aanhalingstekens?",
        "hoogstens 2 waarden per rij",
        row=2,
    )


def test_survey_error_takes_a_plain_message_too():
    err = SurveyError("enquete.csv: kolom 'gebied' ontbreekt")
    assert (str(err), err.issues) == ("enquete.csv: kolom 'gebied' ontbreekt", [])
    assert isinstance(err, ValueError)


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,25", 1.25),
        ("1.25", 1.25),
        (" 2 ", 2.0),
        ("-0,5", -0.5),
        (",5", 0.5),
        ("0.873", 0.873),  # a thousands group never starts with 0
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        (3, 3.0),
        (2.5, 2.5),
        ("", math.nan),
        ("  ", math.nan),
        (None, math.nan),
        (math.nan, math.nan),
    ],
)
def test_to_number_accepts_dutch_and_english_notation(value, expected):
    numbers, issues = to_number(pd.Series([value], dtype=object), "gewicht", "e.csv", [2])
    assert issues == []
    assert numbers.dtype == "float64"
    if math.isnan(expected):
        assert math.isnan(numbers.iloc[0])
    else:
        assert numbers.iloc[0] == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("veel", "'veel'"),
        ("1,2,3", "'1,2,3'"),
        ("1.2.3", "'1.2.3'"),
        ("12.34,5", "'12.34,5'"),
        ("1,25 kg", "'1,25 kg'"),
        ("1.234,5.6", "'1.234,5.6'"),
        (True, "True"),
    ],
)
def test_to_number_reports_bad_cells(value, shown):
    series = pd.Series(["1", value], index=[10, 11], dtype=object)
    numbers, issues = to_number(series, "gewicht", "enquete.csv", [2, 9])
    assert numbers.index.tolist() == [10, 11]
    assert numbers.iloc[0] == 1.0 and math.isnan(numbers.iloc[1])
    assert [issue.message for issue in issues] == [
        f"enquete.csv, rij 9, kolom 'gewicht': {shown} is geen getal "
        "(verwacht: een getal zoals 1,25 of 1.234,5)"
    ]


@pytest.mark.parametrize(
    ("cells", "decimal", "expected"),
    [
        (["1.200", "0,8"], None, [1200.0, 0.8]),  # a decimal comma elsewhere: '.' groups
        (["1.200", "0.873"], None, [1.2, 0.873]),  # a decimal point elsewhere
        (["1.200", "3"], ",", [1200.0, 3.0]),  # a ';' file: Dutch
        (["1,200", "3"], ".", [1200.0, 3.0]),
    ],
)
def test_to_number_decides_a_lone_separator_by_the_column_or_the_file(cells, decimal, expected):
    numbers, issues = to_number(pd.Series(cells), "n", "e.csv", [2, 3], decimal=decimal)
    assert (numbers.tolist(), issues) == (expected, [])


def test_to_number_reports_an_ambiguous_number_and_an_infinite_one():
    # Issue 13: "1.200" in a comma-separated file was read as 1,2; "inf" passed as a weight.
    numbers, issues = to_number(pd.Series(["1.200", float("inf")]), "gewicht", "e.csv", [2, 3])
    assert numbers.isna().all()
    assert [issue.message for issue in issues] == [
        "e.csv, rij 2, kolom 'gewicht': '1.200' kan 1,200 of 1200 zijn (verwacht: een getal "
        "zonder punt of komma tussen de duizendtallen, bijv. 1200 of 1,2)",
        "e.csv, rij 3, kolom 'gewicht': inf is geen getal (verwacht: een getal zoals 1,25 of "
        "1.234,5)",
    ]


def test_to_number_on_a_read_csv_column_uses_the_file_rows():
    raw = read_survey(_csv("id;gewicht\n1;1,25\n\n2;x\n"), "enquete.csv")
    numbers, issues = to_number(raw.frame["gewicht"], "gewicht", raw.file_name, raw.row_numbers)
    assert numbers.iloc[0] == 1.25
    assert [(issue.row, issue.value) for issue in issues] == [(4, "x")]


# --- Excel ------------------------------------------------------------------------------------

HEADER = ["respondent_id", "gebied", "gewicht", "djg11_1"]
ROWS = [[1, "Zeeënbuurt", 1.25, 1], [2, "Café-Oost", 0.8, "min of meer"]]


def _workbook() -> bytes:
    """Hidden code sheet first, an explanation sheet, then data under two title rows."""
    return _xlsx(
        {
            "Codes": [["code", "label"], [1, "ja"]],
            "Toelichting": [["Vul per respondent één rij in."]],
            "Data": [["Enquête sociale basis 2025"], ["Export 12-03-2025"], HEADER, *ROWS],
        },
        hidden=("Codes",),
    )


def test_sheet_names_list_visible_sheets_first_and_say_which_are_hidden():
    content = _workbook()
    assert sheet_names(content, "enquete.xlsx") == ["Toelichting", "Data", "Codes"]
    assert hidden_sheet_names(content, "enquete.xlsx") == ["Codes"]


@pytest.mark.parametrize("name", ["enquete.csv", "enquete.sav"])
def test_sheet_names_are_empty_for_files_without_sheets(name):
    assert sheet_names(b"id\n1\n", name) == []
    assert hidden_sheet_names(b"id\n1\n", name) == []


def test_excel_default_is_the_first_visible_sheet_with_a_warning():
    content = _xlsx(
        {"Codes": [["code"], [1]], "Antwoorden": [HEADER, *ROWS], "Toelichting": [["Zie blad 1"]]},
        hidden=("Codes",),
    )
    raw = read_survey(content, "enquete.xlsx")
    assert (raw.sheet, raw.row_numbers) == ("Antwoorden", (2, 3))
    assert raw.warnings == [
        "Het bestand heeft 2 tabbladen; ingelezen is 'Antwoorden'. "
        "Kies een ander tabblad als de antwoorden daar staan."
    ]


def test_excel_default_sheet_without_answers_points_at_the_other_sheets():
    err = _error(_workbook(), "enquete.xlsx")
    assert str(err) == (
        "enquete.xlsx, tabblad 'Toelichting', rij 1: onder de kopregel staan geen antwoorden "
        "(verwacht: per respondent een rij onder de kopregel)\n"
        "Kies een ander tabblad: 'Data'."
    )
    assert [issue.row for issue in err.issues] == [1]


def test_excel_sheet_with_title_rows_above_the_header():
    raw = read_survey(_workbook(), "enquete.xlsx", sheet="Data")
    assert (raw.format, raw.sheet, raw.encoding, raw.delimiter) == ("xlsx", "Data", None, None)
    expected = pd.DataFrame(
        {
            "respondent_id": [1, 2],
            "gebied": ["Zeeënbuurt", "Café-Oost"],
            "gewicht": [1.25, 0.8],
            "djg11_1": pd.Series([1, "min of meer"], dtype=object),
        }
    )
    pd.testing.assert_frame_equal(raw.frame, expected)
    assert raw.row_numbers == (4, 5)
    assert raw.warnings == ["Rij 1 en 2 boven de kopregel zijn overgeslagen; de kopregel is rij 3."]
    assert (raw.column_labels, raw.value_labels) == ({}, {})


def test_excel_hidden_sheet_is_read_when_chosen_with_a_warning():
    raw = read_survey(_workbook(), "enquete.xlsx", sheet="Codes")
    assert raw.frame.to_dict("records") == [{"code": 1, "label": "ja"}]
    assert raw.warnings == ["Tabblad 'Codes' is verborgen in Excel."]


def test_excel_single_sheet_gives_no_sheet_warning():
    raw = read_survey(_xlsx({"Blad1": [HEADER, *ROWS]}), "enquete.xlsx")
    assert (raw.sheet, raw.warnings, raw.row_numbers) == ("Blad1", [], (2, 3))


def test_excel_two_row_header_with_names_merged_down():
    # Row 1: group labels (merged across) and names merged down over rows 1-2.
    content = _xlsx(
        {
            "Data": [
                [None, None, None, None],
                [None, None, "djg11_1", "djg11_2"],
                [1, "Noord", 1, 3],
            ]
        },
        merges={
            "Data": [
                (0, 0, 1, 0, "respondent_id"),
                (0, 1, 1, 1, "gebied"),
                (0, 2, 0, 3, "Eenzaamheid"),
            ]
        },
    )
    raw = read_survey(content, "enquete.xlsx")
    assert raw.frame.to_dict("records") == [
        {"respondent_id": 1, "gebied": "Noord", "djg11_1": 1, "djg11_2": 3}
    ]
    assert raw.row_numbers == (3,)
    assert raw.warnings == ["Rij 1 boven de kopregel is overgeslagen; de kopregel is rij 2."]


def test_excel_area_merged_down_over_respondents_is_filled_with_a_warning():
    content = _xlsx(
        {"Data": [["respondent_id", "gebied"], [1, None], [2, None], [3, "Zuid"]]},
        merges={"Data": [(1, 1, 2, 1, "Noord")]},
    )
    raw = read_survey(content, "enquete.xlsx")
    assert raw.frame["gebied"].tolist() == ["Noord", "Noord", "Zuid"]
    assert raw.warnings == [
        "Samengevoegde cellen (B2:B3) zijn ingelezen alsof elke rij de waarde van de bovenste "
        "cel heeft."
    ]


def test_excel_hidden_rows_are_read_with_a_warning():
    content = _xlsx({"Data": [HEADER, *ROWS, [3, "Noord", 1, 2]]}, hidden_rows={"Data": [1, 3]})
    raw = read_survey(content, "enquete.xlsx")
    assert raw.frame["respondent_id"].tolist() == [1, 2, 3]
    assert raw.warnings == [
        "Rij 2 en 4 zijn verborgen in Excel (bijvoorbeeld door een filter) maar wel ingelezen."
    ]


@pytest.mark.parametrize(
    ("content", "kwargs", "message"),
    [
        (
            _workbook(),
            {"sheet": "Resultaten"},
            "enquete.xlsx: tabblad 'Resultaten' bestaat niet "
            "(verwacht: een van 'Codes', 'Toelichting', 'Data')",
        ),
        (
            _xlsx({"Data": [["respondent_id", "Eenzaamheid", None], [1, 1, 2]]}),
            {},
            "enquete.xlsx, tabblad 'Data', rij 1: kolom C heeft geen naam maar bevat wel "
            "gegevens (verwacht: een kolomnaam boven elke kolom met gegevens)",
        ),
        (
            _xlsx(
                {"Data": [["respondent_id", None, None], [1, 1, 2]]},
                merges={"Data": [(0, 1, 0, 2, "Eenzaamheid")]},
            ),
            {},
            "enquete.xlsx, tabblad 'Data', rij 1, kolom 'Eenzaamheid': cellen B1:C1 zijn "
            "samengevoegd (verwacht: één waarde per cel; maak het samenvoegen ongedaan)",
        ),
        (
            _xlsx(
                {"Data": [["respondent_id", "opmerking", "gebied"], [1, None, None], [2, "", "Z"]]},
                merges={"Data": [(1, 1, 1, 2, "gaat goed")]},
            ),
            {},
            "enquete.xlsx, tabblad 'Data', rij 2, kolom 'opmerking': cellen B2:C2 zijn "
            "samengevoegd (verwacht: één waarde per cel; maak het samenvoegen ongedaan)",
        ),
        (
            _xlsx({"Data": [["Enquête 2025"], [], HEADER]}),
            {},
            "enquete.xlsx, tabblad 'Data', rij 3: onder de kopregel staan geen antwoorden "
            "(verwacht: per respondent een rij onder de kopregel)",
        ),
        (
            _xlsx({"Leeg": []}),
            {},
            "enquete.xlsx, tabblad 'Leeg': het tabblad is leeg "
            "(verwacht: een kopregel met kolomnamen en daaronder per respondent een rij)",
        ),
        (
            b"PK\x03\x04 this is no workbook",
            {},
            "enquete.xlsx: het bestand is geen leesbaar Excel-bestand "
            "(verwacht: een .xlsx-bestand uit Excel)",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64),
            {},
            "enquete.xlsx: het bestand is met een wachtwoord beveiligd of is een oud .xls-bestand "
            "(verwacht: een .xlsx-bestand zonder wachtwoord)",
        ),
    ],
    ids=[
        "unknown-sheet",
        "unnamed-column",
        "merged-header",
        "merged-data",
        "header-only",
        "empty-sheet",
        "broken",
        "encrypted",
    ],
)
def test_excel_refused_with_a_dutch_message(content, kwargs, message):
    assert str(_error(content, "enquete.xlsx", **kwargs)) == message


def test_sheet_names_of_a_broken_workbook_is_a_survey_error():
    with pytest.raises(SurveyError) as info:
        sheet_names(b"PK\x03\x04 no workbook", "enquete.xlsx")
    assert str(info.value) == (
        "enquete.xlsx: het bestand is geen leesbaar Excel-bestand "
        "(verwacht: een .xlsx-bestand uit Excel)"
    )


# --- SPSS -------------------------------------------------------------------------------------

SAV_FRAME = pd.DataFrame(
    {
        "respondent_id": [1.0, 2.0, 3.0],
        "gebied": ["Zeeënbuurt", "", "'s-Hertogenbosch Centrum"],
        "djg11_1": [1.0, 3.0, math.nan],
        "eenzaam_zelf": [2.0, 9.0, 5.0],
    }
)


def test_spss_with_labels_reads_codes_and_keeps_labels(tmp_path):
    content = _sav(
        tmp_path,
        SAV_FRAME,
        column_labels={"djg11_1": "Er is altijd wel iemand ...", "eenzaam_zelf": "Eenzaam?"},
        variable_value_labels={
            "djg11_1": {1: "ja", 2: "min of meer", 3: "nee"},
            "eenzaam_zelf": {1: "heel vaak", 2: "vaak", 9: "weet niet"},
        },
    )
    raw = read_survey(content, "enquete.sav")
    assert (raw.format, raw.encoding, raw.sheet, raw.delimiter) == ("sav", "UTF-8", None, None)
    assert raw.frame["djg11_1"].tolist()[:2] == [1.0, 3.0]  # codes, not "ja"/"nee"
    assert raw.frame["gebied"].tolist()[0] == "Zeeënbuurt"
    assert pd.isna(raw.frame["gebied"].iloc[1])  # SPSS's empty string is missing
    assert raw.column_labels == {
        "djg11_1": "Er is altijd wel iemand ...",
        "eenzaam_zelf": "Eenzaam?",
    }
    assert raw.value_labels == {
        "djg11_1": {1.0: "ja", 2.0: "min of meer", 3.0: "nee"},
        "eenzaam_zelf": {1.0: "heel vaak", 2.0: "vaak", 9.0: "weet niet"},
    }
    assert raw.row_numbers == (1, 2, 3)  # SPSS counts cases; there is no header row
    assert raw.warnings == []


def test_spss_without_labels(tmp_path):
    raw = read_survey(_sav(tmp_path, SAV_FRAME), "enquete.sav")
    assert list(raw.frame.columns) == list(SAV_FRAME.columns)
    assert raw.frame["eenzaam_zelf"].tolist() == [2.0, 9.0, 5.0]
    assert (raw.column_labels, raw.value_labels) == ({}, {})


def _allocator_after_reading(content: bytes) -> tuple[str, int]:
    """Read a .sav as the reading child does; return its Arrow allocator and the rows read."""
    import pyarrow

    raw = survey._read_sav_here(content, "enquete.sav")
    return pyarrow.default_memory_pool().backend_name, len(raw.frame)


def test_spss_is_read_in_the_reading_child_with_the_system_allocator(tmp_path, monkeypatch):
    """The default Arrow allocator reserves a gigabyte that the child's memory limit counted.

    A 500 000-respondent .sav (the example file at national scale, 33 MB) ran out of that
    limit while pickling its result and was refused as unreadable (issue 14). SPSS files are
    read in the same isolated children as CSV and Excel files (no interpreter of their own).
    """
    content = _sav(tmp_path, SAV_FRAME)
    assert survey.run_isolated(_allocator_after_reading, content, where="e.sav") == ("system", 3)
    used = []
    real = survey.run_isolated
    monkeypatch.setattr(
        survey,
        "run_isolated",
        lambda func, *a, **k: used.append(func.__name__) or real(func, *a, **k),
    )
    read_survey(content, "enquete.sav")
    assert used == ["_read_sav_here"]


def test_a_large_spss_file_read_in_two_halves_is_the_file_read_whole(tmp_path):
    """A reading child reads a large .sav on two cores (issue 14): the halves join exactly."""
    frame = pd.DataFrame(
        {
            "gebied": ["Noord", " ", "Zuid", "", "Oost", "West", "Noord"],
            "djg11_1": [1.0, 3.0, math.nan, 2.0, 9.0, 1.0, 2.0],
            "gewicht": [0.5, 1.25, 1.0, 2.0, 0.75, 1.5, 1.0],
        }
    )
    content = _sav(
        tmp_path,
        frame,
        variable_value_labels={"djg11_1": {1: "ja", 2: "min of meer", 3: "nee", 9: "?"}},
        missing_ranges={"djg11_1": [9]},
    )
    whole = survey.run_isolated(survey._read_sav_here, content, "e.sav", None, where="e.sav")
    halves = survey.run_isolated(survey._read_sav_here, content, "e.sav", 2, where="e.sav")
    pd.testing.assert_frame_equal(halves.frame, whole.frame)
    codes = halves.frame["djg11_1"]  # 9 is declared missing in SPSS
    assert codes.isna().tolist() == [False, False, True, False, True, False, False]
    assert codes.dropna().tolist() == [1.0, 3.0, 2.0, 1.0, 2.0]
    assert (halves.value_labels, halves.warnings, halves.row_numbers) == (
        whole.value_labels,
        whole.warnings,
        whole.row_numbers,
    )
    assert halves.row_numbers == tuple(range(1, 8))
    assert halves.frame["gebied"].isna().tolist() == [False, True, False, True, False, False, False]


def test_spss_text_columns_blank_cells_are_missing(tmp_path):
    frame = pd.DataFrame({"gebied": ["Noord", " ", "", "\u00a0Zuid"], "n": [1.0, 2.0, 3.0, 4.0]})
    raw = read_survey(_sav(tmp_path, frame), "enquete.sav")
    assert raw.frame["gebied"].isna().tolist() == [False, True, True, False]
    assert raw.frame["gebied"].dropna().tolist() == ["Noord", "\u00a0Zuid"]


def test_spss_a_date_column_is_read_beside_the_text(tmp_path):
    import datetime as dt

    frame = pd.DataFrame(
        {"gebied": ["Noord", " "], "afgenomen": [dt.date(2024, 3, 1), dt.date(2024, 3, 2)]}
    )
    raw = read_survey(_sav(tmp_path, frame), "enquete.sav")
    assert raw.frame["afgenomen"].tolist() == [dt.date(2024, 3, 1), dt.date(2024, 3, 2)]
    assert raw.frame["gebied"].isna().tolist() == [False, True]


def test_spss_user_missing_codes_read_as_missing_with_a_warning(tmp_path):
    content = _sav(tmp_path, SAV_FRAME, missing_ranges={"eenzaam_zelf": [9]})
    raw = read_survey(content, "enquete.sav")
    assert raw.frame["eenzaam_zelf"].tolist()[0] == 2.0
    assert math.isnan(raw.frame["eenzaam_zelf"].iloc[1])
    assert raw.warnings == [
        "Codes die in SPSS als ontbrekend zijn gemarkeerd, zijn als leeg ingelezen "
        "(kolommen: eenzaam_zelf)."
    ]


def _sav_leftovers() -> set[str]:
    import os
    import tempfile

    folders = ["/dev/shm", tempfile.gettempdir()]
    return {
        os.path.join(f, n)
        for f in folders
        if os.path.isdir(f)
        for n in os.listdir(f)
        if n.endswith(".sav")
    }


@pytest.mark.parametrize("readable", [True, False], ids=["read", "failed"])
def test_spss_upload_leaves_nothing_on_disk(tmp_path, readable):
    content = _sav(tmp_path, SAV_FRAME) if readable else b"$FL2 broken"
    before = _sav_leftovers()
    if readable:
        read_survey(content, "enquete.sav")
    else:
        assert str(_error(content, "enquete.sav")) == (
            "enquete.sav: het bestand is geen leesbaar SPSS-bestand "
            "(verwacht: een .sav-bestand uit SPSS, PSPP of R)"
        )
    assert _sav_leftovers() <= before


def _segfault(content: bytes, file_name: str, split_rows: int | None = None) -> None:
    """Crash as the C reader did on a damaged .sav (in the reading child)."""
    import signal

    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_crash_of_the_spss_reader_is_a_dutch_error_not_a_dead_server(monkeypatch):
    monkeypatch.setattr(survey, "_read_sav_here", _segfault)
    assert str(_error(b"$FL2 anything", "enquete.sav")) == (
        "enquete.sav: het bestand is geen leesbaar SPSS-bestand "
        "(verwacht: een .sav-bestand uit SPSS, PSPP of R)"
    )


def test_spss_without_cases_is_refused(tmp_path):
    content = _sav(tmp_path, SAV_FRAME.iloc[:0])
    assert str(_error(content, "enquete.sav")) == (
        "enquete.sav: het bestand bevat geen respondenten (verwacht: per respondent een rij)"
    )


# --- any file ---------------------------------------------------------------------------------

ACCEPTED = "verwacht: .csv, .tsv, .txt, .xlsx, .xlsm, .sav of .zsav"


@pytest.mark.parametrize(
    ("file_name", "message"),
    [
        ("enquete.pdf", f"enquete.pdf: bestandstype '.pdf' wordt niet ondersteund ({ACCEPTED})"),
        (
            "enquete.XLS",
            "enquete.XLS: bestandstype '.xls' wordt niet ondersteund; sla het bestand in Excel "
            f"op als .xlsx ({ACCEPTED})",
        ),
        ("enquete", f"enquete: het bestand heeft geen extensie ({ACCEPTED})"),
    ],
)
def test_unknown_extension_lists_the_accepted_ones(file_name, message):
    assert str(_error(b"id\n1\n", file_name)) == message


@pytest.mark.parametrize("file_name", ["ENQUETE.CSV", "enquete.txt", "enquete.tsv"])
def test_extension_case_and_text_variants(file_name):
    assert read_survey(b"id\tgebied\n1\tNoord\n", file_name).format == "csv"


def test_too_large_upload_is_refused_before_reading():
    content = b"id;gebied\n" + b"1;Noord\n" * (3 * 2**20 // 16)  # 1,5 MB
    err = _error(content, "enquete.csv", max_bytes=2**20)
    assert str(err) == (
        "enquete.csv: het bestand is 1,5 MB, te groot om in te lezen (verwacht: hoogstens 1 MB)"
    )


def test_upload_limit_matches_the_streamlit_config(project_root):
    config = tomllib.loads((project_root / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    assert survey.MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1024 * 1024


def test_blank_cells_are_what_str_strip_empties_for_every_code_point():
    """The vectorised blank test (pyarrow's utf8_is_space) is Python's str.isspace."""
    from data.survey import _blank_cells

    points = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    cells = [chr(c) * 2 for c in points]
    found = _blank_cells(pa.array(cells, type=pa.large_string()))
    assert [chr(c) for c, blank in zip(points, found, strict=True) if blank] == [
        chr(c) for c in points if not chr(c).strip()
    ]
