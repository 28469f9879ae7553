"""The shared upload reader (issue 13, issue 15 item 2).

One problem type, bounded reading, odd files read correctly or reported with file, sheet, row
and column.
"""

import gzip
import io
import os
import re
import string
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from analysis.problems import Problem, UploadError
from analysis.survey.area_keys import AreaError
from analysis.survey.columns import MappingError
from analysis.user_text import formula_safe, plain_markdown, plotly_text
from data.aggregates import UPLOAD_TYPES as TABLE_TYPES
from data.aggregates import AggregateError, read_aggregates
from data.postcodes import PostcodeTableError, read_postcode_table
from data.survey import UPLOAD_TYPES as SURVEY_TYPES
from data.survey import SurveyError, read_survey
from data.uploads import excel, formats
from data.uploads.isolated import run_isolated
from data.uploads.text import decode
from paths import ROOT

# --- one problem type, one error base -------------------------------------------------------


@pytest.mark.parametrize(
    "error", [SurveyError, AggregateError, PostcodeTableError, MappingError, AreaError]
)
def test_every_upload_error_is_an_upload_error_with_problems(error):
    err = error.from_issues([Problem("a.xlsx", "is geen getal", "een getal", 3, "x", "y", "S")])
    assert isinstance(err, UploadError) and isinstance(err, ValueError)
    assert (
        str(err) == "a.xlsx, tabblad 'S', rij 3, kolom 'x': 'y' is geen getal (verwacht: een getal)"
    )
    assert err.issues[0].sheet == "S"


def test_an_error_keeps_its_problems_through_the_child_process():
    with pytest.raises(SurveyError) as info:
        read_survey(b"a;b\n1;2;3\n", "e.csv")
    assert info.value.issues[0].row == 2 and info.value.issues[0].file_name == "e.csv"


# --- bounded work per upload -------------------------------------------------------------------


def test_a_child_that_takes_too_long_is_stopped_with_a_dutch_message():
    started = time.monotonic()
    with pytest.raises(SurveyError) as info:
        run_isolated(time.sleep, 30, where="e.csv", error=SurveyError, seconds=1)
    assert str(info.value) == (
        "e.csv: het inlezen duurde langer dan 1 seconden en is gestopt (verwacht: een kleiner "
        "bestand, of de gegevens als CSV-bestand)"
    )
    assert time.monotonic() - started < 25  # the child was killed, not waited for


def test_a_child_that_needs_too_much_memory_is_stopped_with_a_dutch_message():
    with pytest.raises(AggregateError) as info:
        run_isolated(bytearray, 2 * 1024**3, where="t.csv", error=AggregateError, budget_mb=256)
    assert str(info.value).startswith(
        "t.csv: het inlezen had meer dan 256 MB geheugen nodig en is gestopt"
    )


def test_a_child_that_crashes_is_a_dutch_error_not_a_dead_server():
    with pytest.raises(UploadError) as info:
        run_isolated(os.abort, where="e.xlsx")
    assert str(info.value).startswith("e.xlsx: het inlezen is afgebroken")


def _child_facts() -> tuple[str, str]:
    """Return what a reading child runs with: its Arrow allocator and the environment's."""
    import pyarrow

    return pyarrow.default_memory_pool().backend_name, os.environ["ARROW_DEFAULT_MEMORY_POOL"]


def test_the_fork_server_can_be_started_ahead_and_then_serves_uploads():
    from data.uploads import isolated

    isolated.start()
    isolated.start()  # a second call does nothing
    raw = read_survey(b"a;b\n1;2\n", "e.csv")
    assert raw.frame.to_dict("records") == [{"a": "1", "b": "2"}]


def test_the_reading_child_uses_the_system_allocator_and_the_server_keeps_its_own():
    """The default (mimalloc) reserved a gigabyte that counted against the child's limit."""
    assert run_isolated(_child_facts, where="e.csv") == ("system", "system")
    # The server's own modules leave its allocator alone: asked in a fresh interpreter (this
    # test process may have imported data.uploads.child_start itself).
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    script = (
        "import os, pyarrow; import data.survey, data.uploads.isolated, ui.loaders, "
        "ui.survey_session; print(os.environ.get('ARROW_DEFAULT_MEMORY_POOL'), "
        "pyarrow.default_memory_pool().backend_name)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown[0] == "None" and shown[1] != "system"


def test_a_text_frame_comes_back_from_the_child_as_read_with_its_row_numbers():
    text = "Titel\nrespondent_id;gebied;gewicht\n1;Noord;1,25\n\n2; ;\n3;Zuid\u200b;0,5\n"
    here = read_survey(text.encode(), "e.csv", isolated=False)
    there = read_survey(text.encode(), "e.csv")
    pd.testing.assert_frame_equal(there.frame, here.frame)
    # Text held as a Categorical of its distinct texts: they and one code per cell cross.
    assert there.frame["gebied"].dtype == "category"
    assert str(there.frame["gebied"].cat.categories.dtype) == "str"
    assert there.frame["gebied"].isna().tolist() == [False, True, False]  # " " is blank
    assert there.frame["gebied"].dropna().tolist() == ["Noord", "Zuid"]  # the mark removed
    assert there.row_numbers == here.row_numbers == (3, 5, 6)
    assert there.warnings == here.warnings
    assert there.warnings[-1].startswith("e.csv, rij 6, kolom 'gebied': onzichtbare tekens")


def _arrays() -> dict:
    """Return large buffers of two kinds, to send out of band."""
    import numpy as np
    import pyarrow

    return {
        "numbers": np.arange(1_000_000, dtype="float64"),
        "texts": pyarrow.chunked_array([["ja", None, "nee"] * 100_000], pyarrow.large_string()),
        "small": ("ok", 3),
    }


def test_large_buffers_cross_from_the_child_out_of_band_unchanged():
    got = run_isolated(_arrays, where="e.csv")
    sent = _arrays()
    assert got["numbers"].tolist() == sent["numbers"].tolist()
    assert got["texts"].equals(sent["texts"])
    assert got["small"] == ("ok", 3)


def stray_cell_workbook(rows, cell=(1048575, 16383)) -> bytes:
    """Return a small .xlsx with ``rows`` and one stray cell far away (XFD1048576)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("data")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    sheet.write(*cell, "x")
    book.close()
    return buffer.getvalue()


def test_a_stray_cell_in_the_far_corner_is_read_by_real_content_and_named():
    # Issue 13: a 6 KB file like this grew the server past 10 GB (every cell of A1:XFD1048576).
    content = stray_cell_workbook([["respondent_id", "gebied"], ["R1", "Noord"]])
    assert len(content) < 10_000
    sheet, _ = excel.read_sheet(content, "e.xlsx")
    assert [n for n, _ in sheet.rows] == [1, 2, 1048576]
    assert len(sheet.rows[-1][1]) == 16384  # one row as wide as its last cell, no more
    with pytest.raises(SurveyError) as info:
        read_survey(content, "e.xlsx")
    assert str(info.value) == (
        "e.xlsx, tabblad 'data', rij 1: kolom XFD heeft geen naam maar bevat wel gegevens "
        "(verwacht: een kolomnaam boven elke kolom met gegevens)"
    )


def bomb_workbook(rows: int, columns: int) -> bytes:
    """Return an .xlsx whose one sheet has ``rows`` × ``columns`` cells, compressed to little."""
    cells = "".join(f'<c t="n"><v>{c % 10}</v></c>' for c in range(columns))
    body = "".join(f'<row r="{r}">{cells}</row>' for r in range(1, rows + 1))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    )
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": (
            f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats'
            '-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets'
            '/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="data" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_sheet_over_the_cell_limit_is_refused_naming_the_limit():
    content = bomb_workbook(rows=30, columns=1000)
    assert len(content) < 100_000
    with pytest.raises(UploadError) as info:
        excel.read_sheet(content, "e.xlsx", max_cells=20_000)
    assert str(info.value) == (
        "e.xlsx, tabblad 'data': het tabblad is te groot om in te lezen: tot en met rij 21 al "
        "meer dan 20.000 cellen (rijen × kolommen tot de laatste gevulde cel) (verwacht: "
        "hoogstens 20.000 cellen; staat er iets in een cel ver buiten de tabel, maak die cel "
        "leeg)"
    )


# --- file types --------------------------------------------------------------------------------


def test_the_uploaders_accept_what_the_readers_read_and_the_formats_with_advice():
    for kind in ("csv", "tsv", "txt", "csv.gz", "xlsx", "xlsm", "sav", "zsav", "xls", "ods"):
        assert kind in SURVEY_TYPES
    for kind in ("csv", "tsv", "txt", "csv.gz", "xlsx", "xlsm", "xls", "ods"):
        assert kind in TABLE_TYPES
    assert "sav" not in TABLE_TYPES


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("enquete.xls", "sla het bestand in Excel op als .xlsx"),
        ("enquete.ods", "sla het bestand op als .xlsx"),
    ],
)
def test_xls_and_ods_get_dutch_advice(name, advice):
    with pytest.raises(SurveyError) as info:
        read_survey(b"\xd0\xcf\x11\xe0 anything", name)
    assert str(info.value).startswith(f"{name}: bestandstype '{name[-4:]}' wordt niet ")
    assert advice in str(info.value)
    with pytest.raises(AggregateError, match=advice):
        read_aggregates(b"\xd0\xcf\x11\xe0 anything", name.replace("enquete", "monitor"))


def test_a_compressed_csv_is_read_and_a_gzip_bomb_is_refused():
    text = "respondent_id;gebied\nR1;Noord\n"
    raw = read_survey(gzip.compress(text.encode()), "enquete.csv.gz")
    assert raw.frame.to_dict("records") == [{"respondent_id": "R1", "gebied": "Noord"}]
    table = read_aggregates(gzip.compress(b"Wijk;Eenzaam\nWest;41,5\n"), "monitor.tsv.gz")
    assert table.frame["Eenzaam"].tolist() == [41.5]
    bomb = gzip.compress(b"a;b\n" + b"0" * (formats.MAX_UNPACKED_BYTES + 10))
    assert len(bomb) < 1_000_000
    with pytest.raises(SurveyError, match="uitgepakt is het bestand groter dan 200 MB"):
        read_survey(bomb, "enquete.csv.gz")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le", "utf-32-be"])
def test_utf16_and_utf32_with_semicolons_are_read(encoding):
    text = "Wijk;Eenzaam (%)\r\nNijlân;41,5\r\nOost;38\r\n"
    assert decode(text.encode(encoding), "t.csv")[0] == text
    table = read_aggregates(text.encode(encoding), "monitor.csv")
    assert table.frame["area"].tolist() == ["Nijlân", "Oost"]
    assert table.frame["Eenzaam (%)"].tolist() == [41.5, 38.0]
    raw = read_survey(text.encode(encoding), "enquete.csv")
    assert list(raw.frame.columns) == ["Wijk", "Eenzaam (%)"]


def workbook_bytes(sheets: dict) -> bytes:
    """Build an .xlsx with openpyxl (which saves formulas without their result)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_cover_sheet_names_the_sheet_read_and_offers_the_others():
    content = workbook_bytes(
        {"Toelichting": [["Monitor 2024, gemaakt door de GGD"]], "Tabel": [["Wijk", "Eenzaam"]]}
    )
    with pytest.raises(AggregateError) as info:
        read_aggregates(content, "monitor.xlsx")
    assert str(info.value) == (
        "monitor.xlsx, tabblad 'Toelichting': geen tabel gevonden (verwacht een kopregel met "
        "het gebied en minstens één kolom met cijfers)\nKies een ander tabblad: 'Tabel'."
    )


# --- nothing silently wrong --------------------------------------------------------------------


def test_excel_formulas_without_a_saved_result_are_reported_not_read_as_empty():
    content = workbook_bytes(
        {"data": [["respondent_id", "gebied", "djg11_1"], ["R1", "Noord", "=1+0"], ["R2", "Z", 2]]}
    )
    raw = read_survey(content, "enquete.xlsx")
    assert raw.frame["djg11_1"].isna().tolist() == [True, False]
    assert raw.warnings == [
        "enquete.xlsx, tabblad 'data', rij 2, kolom 'djg11_1': een formule zonder opgeslagen "
        "uitkomst is als leeg ingelezen. Open het bestand in Excel of LibreOffice en sla het "
        "op, dan worden de uitkomsten bewaard."
    ]
    table = workbook_bytes({"t": [["Wijk", "Eenzaam"], ["West", "=B3*2"], ["Oost", 12]]})
    with pytest.raises(AggregateError) as info:
        read_aggregates(table, "monitor.xlsx")
    assert str(info.value).startswith(
        "monitor.xlsx, tabblad 't', rij 2, kolom 'Eenzaam': de formule '=B3*2' heeft geen "
        "opgeslagen uitkomst"
    )


def percent_workbook() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("t")
    percent = book.add_format({"num_format": "0%"})
    sheet.write_row(0, 0, ["Wijk", "Eenzaam", "Inwoners"])
    sheet.write_row(1, 0, ["West", None, 1200])
    sheet.write(1, 1, 0.3, percent)
    sheet.write_row(2, 0, ["Oost", None, 800])
    sheet.write(2, 1, 0.125, percent)
    sheet.write_row(3, 0, ["Noord"])
    sheet.write_formula(3, 1, "=1/0", None, "#DIV/0!")
    book.close()
    return buffer.getvalue()


def test_percent_formatted_cells_are_the_percentage_excel_shows_and_errors_are_named():
    content = percent_workbook()
    with pytest.raises(AggregateError) as info:
        read_aggregates(content, "monitor.xlsx")
    # #DIV/0! is an Excel error, not a figure the source left out.
    assert str(info.value).startswith(
        "monitor.xlsx, tabblad 't', rij 4, kolom 'Eenzaam': '#DIV/0!' is geen getal maar een "
        "Excel-foutwaarde, geen onderdrukt cijfer"
    )
    sheet, _ = excel.read_sheet(content, "monitor.xlsx")
    fixed = workbook_bytes({"t": [row[:2] for _, row in sheet.rows[:3]]})  # without row 4
    assert read_aggregates(fixed, "m.xlsx").frame["Eenzaam"].tolist() == [0.3, 0.125]
    first_three = percent_workbook_without_error()
    assert read_aggregates(first_three, "m.xlsx").frame["Eenzaam"].tolist() == [30.0, 12.5]


def percent_workbook_without_error() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("t")
    percent = book.add_format({"num_format": "0.0%"})
    sheet.write_row(0, 0, ["Wijk", "Eenzaam"])
    for r, (area, value) in enumerate([("West", 0.3), ("Oost", 0.125)], start=1):
        sheet.write(r, 0, area)
        sheet.write(r, 1, value, percent)
    book.close()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("-5", "'-5'"), ("140", "'140'"), ("1.000.000", "'1.000.000'"), ("120 %", "'120 %'")],
)
def test_percentages_outside_0_to_100_are_refused_naming_row_and_column(cell, shown):
    with pytest.raises(AggregateError) as info:
        read_aggregates(f"Wijk;Eenzaam (%)\nWest;{cell}\n".encode(), "monitor.csv")
    assert str(info.value) == (
        f"monitor.csv, rij 2, kolom 'Eenzaam (%)': {shown} ligt buiten 0 tot 100 % (verwacht: "
        "een percentage tussen 0 en 100)"
    )


def test_invisible_marks_in_codes_are_removed_with_a_warning_naming_row_and_column():
    text = "Wijkcode;Wijk;Eenzaam\nWK008010\u200b;Oud-Oost;41\n\u200fWK008020;West;38\n"
    table = read_aggregates(text.encode(), "monitor.csv")
    assert table.frame["area_code"].tolist() == ["WK008010", "WK008020"]
    assert table.warnings == (
        "monitor.csv, rij 2, kolom 'A' (en in nog 1 cellen): onzichtbare tekens (zoals een "
        "zero-width space of een richtingsteken) zijn weggelaten.",
    )
    raw = read_survey(text.encode(), "enquete.csv")
    assert raw.frame["Wijkcode"].tolist() == ["WK008010", "WK008020"]
    assert raw.warnings[0].startswith("enquete.csv, rij 2, kolom 'Wijkcode' (en in nog 1 cellen)")


def test_nul_bytes_in_one_cell_and_a_huge_comment_are_named_not_the_whole_file_refused():
    text = "respondent_id;gebied;opmerking\nR1;Noord;a\x00\x00b\nR2;Zuid;" + "x" * 1_048_576 + "\n"
    raw = read_survey(text.encode(), "enquete.csv")
    assert raw.frame["opmerking"].str.len().tolist() == [2, 10_000]
    assert raw.warnings == [
        "enquete.csv, rij 2, kolom 'opmerking': onleesbare tekens (NUL, code 0) zijn weggelaten.",
        "enquete.csv, rij 3, kolom 'opmerking': de cel is langer dan 10.000 tekens; alleen het "
        "begin is ingelezen.",
    ]


def test_ids_that_excel_shortened_are_named_before_they_become_duplicates():
    text = "respondent_id;gebied\n1,23457E+11;Noord\n1,23457E+11;Zuid\n"
    raw = read_survey(text.encode(), "enquete.csv")
    assert raw.warnings == [
        "enquete.csv, rij 2, kolom 'respondent_id': 2 waarden zoals '1,23457E+11' zijn getallen "
        "die Excel heeft ingekort bij het opslaan; de cijfers erachter zijn weg. Maak de kolom "
        "in Excel eerst tekst (Celeigenschappen, Tekst) en sla het bestand opnieuw op."
    ]


def test_a_utf8_file_with_one_row_in_another_encoding_names_the_row():
    content = "\ufeffwijk;n\nWest;1\n".encode() + "Nijlân;2\n".encode("cp1252")
    with pytest.raises(AggregateError) as info:
        read_aggregates(content, "monitor.csv")
    assert str(info.value).startswith("monitor.csv, rij 3: byte 0xE2 is geen UTF-8")


def test_postcode_table_is_read_by_the_shared_reader():
    content = "PC6\tHuisnummer\tBuurt2024\r\n8921AB\t12\t00801001\r\n".encode("utf-16")
    table = read_postcode_table(content, "pc.txt")
    assert table.to_dict("records") == [
        {"PC6": "8921AB", "Huisnummer": "12", "Buurt2024": "00801001"}
    ]
    with pytest.raises(PostcodeTableError, match=r"^pc\.csv, rij 2"):
        read_postcode_table(b'PC6;Huisnummer\n"8921AB;12\n8921AC;13\n', "pc.csv")


# --- user text ---------------------------------------------------------------------------------

HOSTILE = [
    "![x](http://198.51.100.7/p.png)",
    "[klik](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    ":red[rood] $x^2$ **vet** http://198.51.100.7/",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_markdown_escapes_every_markdown_character(text):
    escaped = plain_markdown(text)
    # CommonMark: a backslash before ASCII punctuation makes it a literal character, so no
    # link, image, HTML, emphasis, directive or maths can start anywhere.
    unescaped = re.findall(r"(?<!\\)[" + re.escape(string.punctuation) + "]", escaped)
    assert [c for c in unescaped if c != "\\"] == []
    assert re.sub(r"\\(.)", r"\1", escaped).replace("\u2060", "") == text
    # No bare URL or e-mail address is left for GitHub-flavoured Markdown to link.
    assert not re.search(r"(^|[\s\\])(https?|www)", escaped)


def test_formula_and_plotly_text_are_safe():
    assert formula_safe('=HYPERLINK("http://x","Noord")') == '\'=HYPERLINK("http://x","Noord")'
    assert formula_safe("Noord") == "Noord"
    assert plotly_text("<a href='x'>") == "&lt;a href='x'&gt;"


def test_two_columns_that_fit_the_weight_equally_are_left_to_the_user():
    # Issue 13: "gewicht_" (all 1s) was taken as the weight, "GEWICHT." ignored, no step shown.
    from analysis.survey.columns import needs_confirmation, propose_mapping

    mapping = propose_mapping(["respondent_id", "gebied", "gewicht_", "GEWICHT.", "djg11_1"])
    choice = next(c for c in mapping.choices if c.target == "gewicht")
    assert (choice.source, choice.confidence) == ("gewicht_", 0.5)
    assert choice.reason.endswith("ook 'GEWICHT.' past: kies zelf")
    assert needs_confirmation(mapping)
    assert not needs_confirmation(propose_mapping(["respondent_id", "gebied", "gewicht"]))


def test_the_reading_child_does_not_run_the_main_script_again(tmp_path):
    # Under `streamlit run` the app script is __main__; a forkserver child would import it
    # again (and call the reader from there). A script without a __main__ guard shows it.
    script = tmp_path / "app_like.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from data.survey import read_survey\n"
        "print(read_survey(b'a;b\\n1;2\\n', 'e.csv').frame.shape)\n"
    )
    child = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert (child.returncode, child.stdout.strip()) == (0, "(1, 2)"), child.stderr[-2000:]


def test_a_column_of_all_different_ids_is_still_searched_cell_by_cell_where_it_matters():
    # 5 000 distinct ids: the column stays text (not coded), and its bytes are looked at first
    # (issue 14); a shortened number, an invisible mark and a blank id are still found.
    ids = [f"R{i:05d}" for i in range(5000)]
    ids[3000], ids[4000], ids[4500] = "1,23457E+11", "R\u200b04000", " "
    text = "respondent_id;gebied\n" + "".join(f"{i};Noord\n" for i in ids)
    raw = read_survey(text.encode(), "enquete.csv")
    assert raw.frame["respondent_id"].dtype == "str"
    assert raw.warnings == [
        "enquete.csv, rij 4002, kolom 'respondent_id': onzichtbare tekens (zoals een "
        "zero-width space of een richtingsteken) zijn weggelaten.",
        "enquete.csv, rij 3002, kolom 'respondent_id': 1 waarde zoals '1,23457E+11' zijn "
        "getallen die Excel heeft ingekort bij het opslaan; de cijfers erachter zijn weg. Maak "
        "de kolom in Excel eerst tekst (Celeigenschappen, Tekst) en sla het bestand opnieuw op.",
    ]
    assert raw.frame["respondent_id"][4000] == "R04000"
    assert raw.frame["respondent_id"].isna().tolist().index(True) == 4500


def _digest(content: bytes) -> tuple[int, str]:
    """Return the size and SHA-256 of what a reading child received."""
    import hashlib

    return len(content), hashlib.sha256(content).hexdigest()


def test_a_large_upload_reaches_the_child_whole_through_a_memory_file():
    # Above isolated.SHARED_BYTES the upload goes to the child as a memfd (issue 14).
    from hashlib import sha256

    from data.uploads import isolated

    content = bytes(range(256)) * (20_000 + 7)
    assert len(content) > isolated.SHARED_BYTES
    assert run_isolated(_digest, content, where="e.csv") == (
        len(content),
        sha256(content).hexdigest(),
    )


def test_arrays_from_the_child_can_be_changed_here_without_changing_anything_there():
    # The answer is mapped privately from the child's memory file: writable, copy on write.
    got = run_isolated(_arrays, where="e.csv")
    got["numbers"][:3] = -1.0
    assert got["numbers"][:4].tolist() == [-1.0, -1.0, -1.0, 3.0]
    assert got["numbers"].flags.aligned
