"""The bad-input corpus: one `Case` per malformed file, with the outcome it must have.

A survey case goes through the real import path (`data.survey.read_survey` → the column
mapping → `analysis.survey.pipeline.analyse_survey`), an aggregate case through
`data.aggregates.read_aggregates`. The outcome is either `Refused` (a Dutch error of the
project's own type whose message names the file and, where it applies, row and column) or
`Imported` / `Table` (what was kept, and what was listed as a problem or left unmatched).

Builders take the test's ``tmp_path`` (only SPSS needs a folder: pyreadstat writes to a path)
and return the file's bytes. All respondents are fictitious.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import xlsxwriter

from analysis.survey.area_keys import AreaError
from analysis.survey.columns import MappingError
from data.aggregates import AggregateError
from data.survey import SurveyError

#: The project's own error types: the only exceptions a bad file may raise.
DUTCH_ERRORS = (SurveyError, MappingError, AggregateError, AreaError)

DJG6 = [f"djg6_{i}" for i in range(1, 7)]
HEADER = ["respondent_id", "gebied", "gewicht", *DJG6, "eenzaam_zelf", "rondkomen"]

#: Six good respondents of Leeuwarden, areas typed the ways people type them.
GOOD = [
    ["R01", "WK008010", "1", "1", "3", "3", "1", "3", "1", "5", "3"],
    ["R02", "Oud-Oost", "1", "3", "1", "1", "3", "1", "3", "2", "1"],
    ["R03", "Huizum-West", "1", "2", "2", "2", "2", "2", "2", "3", "2"],
    ["R04", "Nijlân & De Zwette", "1", "1", "1", "1", "1", "1", "1", "4", "3"],
    ["R05", "0080-30", "1", "3", "3", "3", "3", "3", "3", "1", "1"],
    ["R06", "wk008061", "1", "1", "2", "3", "1", "2", "3", "5", "2"],
]


# --- expected outcomes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """The file is refused: an error of this type whose message holds every part, in order.

    ``absent`` lists what the message must not hold (library text in English, raw bytes).
    """

    error: type[Exception]
    parts: tuple[str, ...]
    absent: tuple[str, ...] = ()


@dataclass(frozen=True)
class Imported:
    """The survey is read and analysed; bad rows are listed, the good ones kept.

    ``problems`` holds the exact messages, in order; ``unmatched`` maps each unmatched area
    value to its row count; ``warnings`` are parts of the reader's warnings.
    """

    respondents: int
    used: int
    problems: tuple[str, ...] = ()
    unmatched: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """The aggregated table is read: areas with their figures, and the summary rows split off."""

    areas: tuple[str, ...]
    figures: dict[str, list[float | None]]
    totals: tuple[str, ...] = ()


Expected = Refused | Imported | Table


@dataclass(frozen=True)
class Case:
    """One malformed file: how to build it, what it is, and what must happen."""

    id: str
    file_name: str
    what: str
    build: Callable[[Path], bytes]
    expected: Expected
    #: A known bug: what goes wrong today (the test is a strict xfail until it is fixed).
    bug: str = ""
    #: Read in a child process: the file crashes the interpreter that reads it.
    isolate: bool = False

    @property
    def mime(self) -> str:
        """Return the MIME type a browser would send with the file."""
        suffix = Path(self.file_name).suffix.lower()
        return {
            ".csv": "text/csv",
            ".txt": "text/plain",
            ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".sav": "application/x-spss-sav",
        }.get(suffix, "application/octet-stream")


# --- builders -----------------------------------------------------------------------------------


def rows_with(
    changes: dict[tuple[int, str], str], rows: Sequence[Sequence[str]] = GOOD
) -> list[list[str]]:
    """Return copies of ``rows`` with ``{(row index, column): value}`` changed."""
    out = [list(r) for r in rows]
    for (i, column), value in changes.items():
        out[i][HEADER.index(column)] = value
    return out


def csv_text(
    rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER, *, sep: str = ";"
) -> str:
    """Return CSV text as Excel writes it (quotes only where needed, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def joined(
    rows: Sequence[Sequence[str]], header: Sequence[str] | None = HEADER, *, sep: str = ";"
) -> str:
    """Return rows joined by ``sep`` with no quoting at all, as a careless export writes them."""
    lines = ([header] if header is not None else []) + list(rows)
    return "".join(sep.join(line) + "\r\n" for line in lines)


def csv_file(
    rows: Sequence[Sequence[object]] = GOOD,
    header: Sequence[str] = HEADER,
    *,
    sep: str = ";",
    encoding: str = "utf-8",
) -> Callable[[Path], bytes]:
    """Return a builder of a CSV file."""
    return lambda _folder: csv_text(rows, header, sep=sep).encode(encoding)


def raw_bytes(content: bytes) -> Callable[[Path], bytes]:
    """Return a builder of fixed bytes."""
    return lambda _folder: content


def text_bytes(text: str, encoding: str = "utf-8") -> Callable[[Path], bytes]:
    """Return a builder of fixed text."""
    return lambda _folder: text.encode(encoding)


def workbook(
    sheets: dict[str, Sequence[Sequence[object]]],
    *,
    hidden: Sequence[str] = (),
    merges: Sequence[tuple[str, int, int, int, int, object]] = (),
    formulas: Sequence[tuple[str, int, int, str, object]] = (),
    hidden_rows: Sequence[tuple[str, int]] = (),
) -> bytes:
    """Build an .xlsx in memory.

    ``merges`` are ``(sheet, first_row, first_col, last_row, last_col, value)`` and
    ``formulas`` ``(sheet, row, col, formula, cached value)``, 0-based as in xlsxwriter.
    Datetimes are written as Excel dates; strings are never turned into formulas.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    date_format = book.add_format({"num_format": "d-mmm"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, date_format)
                elif value is not None:
                    sheet.write(r, c, value)
    for name, first_row, first_col, last_row, last_col, value in merges:
        book.get_worksheet_by_name(name).merge_range(
            first_row, first_col, last_row, last_col, value
        )
    for name, row, col, formula, cached in formulas:
        book.get_worksheet_by_name(name).write_formula(row, col, formula, None, cached)
    for name, row in hidden_rows:
        book.get_worksheet_by_name(name).set_row(row, None, None, {"hidden": True})
    for name in hidden:
        book.get_worksheet_by_name(name).hide()
    # Excel opens on a visible sheet; xlsxwriter refuses to hide the active one.
    next(s for s in book.worksheets() if s.name not in hidden).activate()
    book.close()
    return buffer.getvalue()


def xlsx_file(
    sheets: dict[str, Sequence[Sequence[object]]] | None = None, **kwargs: object
) -> Callable[[Path], bytes]:
    """Return a builder of an .xlsx file (default: the good rows on one sheet)."""
    chosen = sheets if sheets is not None else {"enquete": [HEADER, *GOOD]}
    return lambda _folder: workbook(chosen, **kwargs)  # type: ignore[arg-type]


def numeric(rows: Sequence[Sequence[str]]) -> list[list[object]]:
    """Return rows as Excel or SPSS hold them: answer and weight cells as numbers."""
    out: list[list[object]] = []
    for row in rows:
        cells: list[object] = list(row[:2])
        for cell in row[2:]:
            try:
                cells.append(float(cell.replace(",", ".")))
            except ValueError:
                cells.append(cell)
        out.append(cells)
    return out


def sav_file(
    frame: Callable[[], pd.DataFrame], name: str = "enquete.sav", **kwargs: object
) -> Callable[[Path], bytes]:
    """Return a builder of an SPSS file, written into the test's tmp_path and read back."""

    def build(folder: Path) -> bytes:
        path = folder / name
        pyreadstat.write_sav(frame(), str(path), **kwargs)  # type: ignore[arg-type]
        content = path.read_bytes()
        path.unlink()
        return content

    return build


def good_frame() -> pd.DataFrame:
    """Return the good rows as an SPSS file holds them (codes as numbers)."""
    return pd.DataFrame(numeric(GOOD), columns=HEADER)


JA_MIN_NEE = {1.0: "ja", 2.0: "min of meer", 3.0: "nee"}


def sav_with_question_labels() -> pd.DataFrame:
    """Return the good rows under SPSS names q1..q11, to be recognised by their labels."""
    return good_frame().set_axis([f"q{i}" for i in range(1, 12)], axis=1)


QUESTION_LABELS = [
    "Respondentnummer",
    "Wijk van de respondent",
    "Weegfactor",
    "Ik ervaar een leegte om me heen",
    "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen",
    "Ik heb veel mensen op wie ik volledig kan vertrouwen",
    "Ik mis mensen om me heen",
    "Er zijn voldoende mensen met wie ik me nauw verbonden voel",
    "Vaak voel ik me in de steek gelaten",
    "Voelt u zich wel eens eenzaam?",
    "Hoeveel moeite heeft u om rond te komen?",
]


def damaged_sav(folder: Path) -> bytes:
    """Return an SPSS file whose value-label record points at variable 4 278 190 086.

    One flipped byte, as a bad disk or a broken transfer makes: the high byte of the variable
    index in the first 'value labels belong to' record (type 4) after the labels.
    """
    content = bytearray(
        sav_file(good_frame, variable_value_labels={c: JA_MIN_NEE for c in DJG6})(folder)
    )
    record = content.index(b"\x04\x00\x00\x00\x01\x00\x00\x00", content.index(b"min of meer"))
    content[record + 11] = 0xFF
    return bytes(content)


def zip_bytes() -> bytes:
    """Return a zip archive holding one CSV (what a mail client makes of an attachment)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("enquete.csv", csv_text(GOOD))
    return buffer.getvalue()


def big_csv(size_mb: int) -> Callable[[Path], bytes]:
    """Return a builder of a well-formed CSV of at least ``size_mb`` MB, built in memory."""

    def build(_folder: Path) -> bytes:
        head = csv_text([]).encode()
        line = csv_text([GOOD[0]], header=[]).encode()[2:]  # one row, no header line
        repeat = size_mb * 1024 * 1024 // len(line) + 1
        return head + line * repeat

    return build


# --- the survey corpus --------------------------------------------------------------------------

OK = Imported(respondents=6, used=6)
GEEN_GEWICHT = "is geen geldig gewicht (verwacht: een getal groter dan 0)"
DUBBEL = (
    "komt meer dan eens voor (verwacht: uniek nummer per respondent); deze rijen tellen niet mee"
)
#: The answers each question expects, as the messages list them.
EXPECTED_ANSWERS = {
    "djg6": "ja, min of meer, nee",
    "eenzaam_zelf": "heel vaak, vaak, soms, zelden, nooit, weet niet",
    "rondkomen": "grote moeite, enige moeite, geen moeite",
}


def bad_answer(where: str, column: str) -> str:
    """Return the message for an answer outside the codebook; ``where`` names file to value."""
    expected = EXPECTED_ANSWERS[column.split("_")[0] if column.startswith("djg") else column]
    return f"{where} is geen geldig antwoord (verwacht: {expected})"


SURVEY_CASES: tuple[Case, ...] = (
    # Encodings
    Case(
        "utf16_without_bom",
        "enquete.csv",
        "UTF-16-LE text without a byte order mark (rare: Excel always writes the BOM)",
        csv_file(encoding="utf-16-le"),
        OK,  # issue 13: told from its zero bytes and read (was refused as "geen tekst")
    ),
    Case(
        "utf16_with_bom_tabs",
        "enquete.txt",
        "Excel's 'Unicode-tekst': UTF-16 with BOM, tab-separated",
        csv_file(sep="\t", encoding="utf-16"),
        OK,
    ),
    Case(
        "latin1_diacritics",
        "enquete.csv",
        "Windows-1252 (Latin-1) with 'Nijlân', as older Dutch Excel saves",
        csv_file(encoding="cp1252"),
        OK,
    ),
    Case(
        "utf8_bom_with_latin1_row",
        "enquete.csv",
        "UTF-8 BOM declared, but one row appended in Latin-1 ('Nijlân' as byte E2)",
        lambda _f: (
            b"\xef\xbb\xbf"
            + csv_text(GOOD[:3]).encode("utf-8")
            + csv_text([GOOD[3]], header=[]).encode("cp1252")[2:]
        ),
        Refused(SurveyError, ("enquete.csv, rij 5",)),
    ),
    Case(
        "utf8_and_latin1_mixed_without_bom",
        "enquete.csv",
        "UTF-8 rows plus one row added in Latin-1, no BOM: all read as Windows-1252",
        lambda _f: (
            csv_text(GOOD[:4]).encode("utf-8")
            + joined([["R07", "Aldlân & De Hemrik", *GOOD[0][2:]]], header=None).encode("cp1252")
        ),
        # The UTF-8 'â' of row 5 reads as 'Ã¢'; the name matcher drops the stray mark.
        Imported(5, 5),
    ),
    Case(
        "bom_semicolons_crlf",
        "enquete.csv",
        "UTF-8 with BOM, ';' and CRLF (Dutch Excel's 'CSV UTF-8')",
        lambda _f: b"\xef\xbb\xbf" + csv_text(GOOD).encode("utf-8"),
        OK,
    ),
    Case(
        "excel_sep_line",
        "enquete.csv",
        "Excel's 'sep=,' first line above a comma-separated file",
        lambda _f: b"sep=,\r\n" + csv_text(GOOD, sep=",").encode(),
        OK,
    ),
    Case(
        "classic_mac_line_ends",
        "enquete.csv",
        "old Mac line ends (CR only)",
        lambda _f: csv_text(GOOD).replace("\r\n", "\r").encode(),
        OK,
    ),
    # Delimiters and numbers
    Case(
        "mixed_delimiters",
        "enquete.csv",
        "';' header and rows, two rows saved with ',' by another tool",
        lambda _f: (
            csv_text(GOOD[:4]) + csv_text(GOOD[4:], header=[], sep=",").lstrip("\r\n")
        ).encode(),
        # Each ','-row lands in respondent_id; its empty weight drops it (with its row).
        Imported(
            6,
            4,
            # One line per column and value (issue 11).
            problems=("enquete.csv, rij 6 en 7 (2 rijen), kolom 'gewicht': leeg " + GEEN_GEWICHT,),
            warnings=("Rij 6 en 7 hebben minder waarden dan er kolommen zijn",),
        ),
    ),
    Case(
        "decimal_comma_weights",
        "enquete.csv",
        "weights with a decimal comma (0,8 and 1,25) in a ';' file",
        csv_file(rows_with({(0, "gewicht"): "0,8", (1, "gewicht"): "1,25"})),
        OK,
    ),
    Case(
        "comma_file_with_quoted_decimal_commas",
        "enquete.csv",
        "',' file whose weights are quoted decimal commas (\"0,8\")",
        csv_file(rows_with({(0, "gewicht"): "0,8", (1, "gewicht"): "1,25"}), sep=","),
        OK,
    ),
    Case(
        "thousands_separator_weight",
        "enquete.csv",
        "a weight written with a thousands separator (1.250,5) is the Dutch number 1250,5, "
        "never 1.25 (issue 13: read correctly or reported, never guessed)",
        csv_file(rows_with({(2, "gewicht"): "1.250,5"})),
        Imported(6, 6),
    ),
    Case(
        "ambiguous_weight",
        "enquete.csv",
        "a weight 1.200 in a column of whole numbers: 1,2 or 1200? reported, never guessed",
        csv_file(rows_with({(2, "gewicht"): "1.200"})),
        Imported(
            6,
            5,
            problems=(
                "enquete.csv, rij 4, kolom 'gewicht': '1.200' is geen geldig gewicht (verwacht: "
                "een eenduidig getal: 1.200 kan 1,2 of 1200 zijn; schrijf 1,2 of 1200)",
            ),
        ),
    ),
    # Empty and near-empty
    Case(
        "empty_file",
        "enquete.csv",
        "zero bytes",
        raw_bytes(b""),
        Refused(SurveyError, ("enquete.csv: het bestand is leeg",)),
    ),
    Case(
        "whitespace_only",
        "enquete.csv",
        "only spaces and line ends",
        raw_bytes(b"  \r\n \t \r\n\r\n"),
        Refused(SurveyError, ("enquete.csv: het bestand is leeg",)),
    ),
    Case(
        "bom_only",
        "enquete.csv",
        "just a UTF-8 byte order mark",
        raw_bytes(b"\xef\xbb\xbf"),
        Refused(SurveyError, ("enquete.csv: het bestand is leeg",)),
    ),
    Case(
        "header_only",
        "enquete.csv",
        "the header and no respondents (the empty template, not filled in)",
        csv_file([]),
        Refused(SurveyError, ("enquete.csv, rij 1: onder de kopregel staan geen antwoorden",)),
    ),
    Case(
        "header_only_xlsx",
        "enquete.xlsx",
        "an Excel sheet with only the header",
        xlsx_file({"enquete": [HEADER]}),
        Refused(
            SurveyError,
            ("enquete.xlsx, tabblad 'enquete', rij 1: onder de kopregel staan geen antwoorden",),
        ),
    ),
    Case(
        "trailing_empty_rows_and_columns",
        "enquete.csv",
        "every row ends in ';;;' and the file in empty ';;;;' rows",
        lambda _f: "".join(
            line + ";;;\r\n" for line in csv_text(GOOD).splitlines() + [""] * 3
        ).encode(),
        OK,
    ),
    Case(
        "whitespace_only_cells",
        "enquete.csv",
        "cells holding only spaces or a tab: missing answers, not errors",
        csv_file(rows_with({(0, "djg6_1"): "   ", (1, "eenzaam_zelf"): "\t", (2, "gewicht"): " "})),
        Imported(6, 5, problems=("enquete.csv, rij 4, kolom 'gewicht': leeg " + GEEN_GEWICHT,)),
    ),
    # Excel layout
    Case(
        "merged_header_cells",
        "enquete.xlsx",
        "header cells merged across two columns (a group label over djg6_1 and djg6_2)",
        xlsx_file(merges=[("enquete", 0, 3, 0, 4, "djg6_1")]),
        Refused(SurveyError, ("enquete.xlsx, tabblad 'enquete', rij 1, kolom 'djg6_1'", "D1:E1")),
    ),
    Case(
        "hidden_sheet_with_the_data",
        "enquete.xlsx",
        "answers on a hidden sheet, an explanation on the visible one",
        xlsx_file(
            {"uitleg": [["Deze enquête is gehouden in 2024."]], "data": [HEADER, *GOOD]},
            hidden=["data"],
        ),
        Refused(SurveyError, ("enquete.xlsx, tabblad 'uitleg'",)),
    ),
    Case(
        "hidden_sheet_beside_the_data",
        "enquete.xlsx",
        "answers on the first sheet, a hidden sheet of lookup codes beside it",
        xlsx_file(
            {"enquete": [HEADER, *GOOD], "codes": [["code", "label"], [1, "ja"]]}, hidden=["codes"]
        ),
        OK,
    ),
    Case(
        "title_rows_and_note_below",
        "enquete.xlsx",
        "two title rows above the header and a 'Bron:' note below the answers",
        xlsx_file(
            {
                "enquete": [
                    ["Enquête sociale basis 2024"],
                    ["Leeuwarden, fictief"],
                    HEADER,
                    *numeric(GOOD),
                    [],
                    ["Bron: eigen enquête"],
                ]
            }
        ),
        # The note is read as a respondent without a weight: listed, left out.
        Imported(
            7,
            6,
            problems=("enquete.xlsx, rij 11, kolom 'gewicht': leeg " + GEEN_GEWICHT,),
            warnings=("Rij 1 en 2 boven de kopregel zijn overgeslagen; de kopregel is rij 3.",),
        ),
    ),
    Case(
        "excel_hidden_rows",
        "enquete.xlsx",
        "rows hidden by a filter in Excel: read, with a warning",
        xlsx_file(hidden_rows=[("enquete", 2), ("enquete", 3)]),
        Imported(6, 6, warnings=("Rij 3 en 4 zijn verborgen in Excel",)),
    ),
    Case(
        "area_merged_down",
        "enquete.xlsx",
        "one area cell merged down over three respondents",
        xlsx_file(merges=[("enquete", 1, 1, 3, 1, "WK008010")]),
        Imported(6, 6, warnings=("Samengevoegde cellen (B2:B4)",)),
    ),
    Case(
        "formula_in_cells",
        "enquete.xlsx",
        "formulas in answer cells (=1+2 with its value 3; one without a value saved)",
        xlsx_file(formulas=[("enquete", 1, 3, "=1+2", 3), ("enquete", 2, 3, "=A1", "")]),
        OK,
    ),
    Case(
        "formula_text_in_csv",
        "enquete.csv",
        "a CSV cell holding formula text (=HYPERLINK(...)) as its area",
        csv_file(rows_with({(0, "gebied"): '=HYPERLINK("http://x.nl","Noord")'})),
        Imported(6, 5, unmatched={'=HYPERLINK("http://x.nl","Noord")': 1}),
    ),
    Case(
        "excel_date_instead_of_code",
        "enquete.xlsx",
        "Excel turned the answer '1-2' into a date",
        xlsx_file(
            {
                "enquete": [
                    HEADER,
                    [*numeric(GOOD)[0][:4], dt.datetime(2024, 2, 1), *numeric(GOOD)[0][5:]],
                    *numeric(GOOD[1:]),
                ]
            }
        ),
        # An invalid answer is missing for that item only: the row still counts (issue 11).
        Imported(
            6,
            6,
            problems=(
                bad_answer("enquete.xlsx, rij 2, kolom 'djg6_2': '2024-02-01 00:00:00'", "djg6_2"),
            ),
        ),
    ),
    Case(
        "date_text_in_csv",
        "enquete.csv",
        "the same in a CSV: '1-feb' where a code should be",
        csv_file(rows_with({(0, "djg6_2"): "1-feb"})),
        # An invalid answer is missing for that item only: the row still counts (issue 11).
        Imported(
            6, 6, problems=(bad_answer("enquete.csv, rij 2, kolom 'djg6_2': '1-feb'", "djg6_2"),)
        ),
    ),
    Case(
        "excel_error_values",
        "enquete.xlsx",
        "Excel error values (#DIV/0!, #N/A) in answer cells",
        xlsx_file(
            {
                "enquete": [
                    HEADER,
                    *numeric(rows_with({(0, "djg6_1"): "#DIV/0!", (1, "rondkomen"): "#N/A"})),
                ]
            }
        ),
        # An invalid answer is missing for that item only: the row still counts (issue 11).
        Imported(
            6,
            6,
            problems=(
                bad_answer("enquete.xlsx, rij 2, kolom 'djg6_1': '#DIV/0!'", "djg6_1"),
                bad_answer("enquete.xlsx, rij 3, kolom 'rondkomen': '#N/A'", "rondkomen"),
            ),
        ),
    ),
    Case(
        "boolean_cells",
        "enquete.xlsx",
        "TRUE/FALSE cells where ja/nee codes belong",
        xlsx_file(
            {
                "enquete": [
                    HEADER,
                    [*numeric(GOOD)[0][:3], True, *numeric(GOOD)[0][4:]],
                    *numeric(GOOD[1:]),
                ]
            }
        ),
        # An invalid answer is missing for that item only: the row still counts (issue 11).
        Imported(
            6, 6, problems=(bad_answer("enquete.xlsx, rij 2, kolom 'djg6_1': 'True'", "djg6_1"),)
        ),
    ),
    Case(
        "huge_number_of_columns",
        "enquete.csv",
        "3 000 extra columns (a full panel export) beside the survey",
        csv_file(
            [row + [str(i)] * 3000 for i, row in enumerate(GOOD)],
            HEADER + [f"extra_{j}" for j in range(3000)],
        ),
        OK,
    ),
    # SPSS
    Case(
        "spss_with_labels",
        "enquete.sav",
        "SPSS with variable and value labels, canonical names",
        sav_file(
            good_frame,
            column_labels=dict(
                zip(HEADER, ["id", "wijk", "gewicht", *QUESTION_LABELS[3:]], strict=True)
            ),
            variable_value_labels={c: JA_MIN_NEE for c in DJG6},
        ),
        OK,
    ),
    Case(
        "spss_question_numbers",
        "enquete.sav",
        "SPSS names q1..q11: the columns are recognised by their question labels",
        sav_file(
            sav_with_question_labels,
            column_labels=QUESTION_LABELS,
            variable_value_labels={f"q{i}": JA_MIN_NEE for i in range(4, 10)},
        ),
        OK,
    ),
    Case(
        "spss_without_labels",
        "enquete.sav",
        "SPSS with codes only, no labels at all",
        sav_file(good_frame),
        OK,
    ),
    Case(
        "spss_reversed_codes",
        "enquete.sav",
        "SPSS coding 1 = nee, 3 = ja: read by the labels, not by our codes",
        sav_file(
            good_frame,
            variable_value_labels={c: {1.0: "nee", 2.0: "min of meer", 3.0: "ja"} for c in DJG6},
        ),
        OK,
    ),
    Case(
        "spss_unknown_value_label",
        "enquete.sav",
        "SPSS value label outside our codebook ('misschien')",
        sav_file(
            lambda: good_frame().assign(djg6_1=[1.0, 4.0, 2.0, 1.0, 3.0, 1.0]),
            variable_value_labels={"djg6_1": {**JA_MIN_NEE, 4.0: "misschien"}},
        ),
        # An invalid answer is missing for that item only: the row still counts (issue 11).
        Imported(
            6,
            6,
            problems=(
                bad_answer("enquete.sav, rij 2, kolom 'djg6_1': 'misschien' (code '4')", "djg6_1"),
            ),
        ),
    ),
    Case(
        "spss_user_missing",
        "enquete.sav",
        "SPSS with 9 = 'weet niet' declared user-missing on eenzaam_zelf",
        sav_file(
            lambda: good_frame().assign(eenzaam_zelf=[5.0, 9.0, 3.0, 4.0, 9.0, 5.0]),
            variable_value_labels={"eenzaam_zelf": {9.0: "weet niet"}},
            missing_ranges={"eenzaam_zelf": [9]},
        ),
        Imported(6, 6, warnings=("als ontbrekend zijn gemarkeerd",)),
    ),
    Case(
        "spss_damaged_label_record",
        "enquete.sav",
        "SPSS file with one damaged byte in a value-label record",
        damaged_sav,
        Refused(SurveyError, ("enquete.sav: het bestand is geen leesbaar SPSS-bestand",)),
        isolate=True,
    ),
    Case(
        "spss_empty",
        "enquete.sav",
        "SPSS file with the variables but no cases",
        sav_file(lambda: good_frame().iloc[:0]),
        Refused(SurveyError, ("enquete.sav: het bestand bevat geen respondenten",)),
    ),
    # Answers and rows
    Case(
        "answers_outside_the_codebook",
        "enquete.csv",
        "answer 4 on a 1–3 item, 'misschien', and 7 on 'eenzaam_zelf'",
        csv_file(
            rows_with({(0, "djg6_3"): "4", (1, "djg6_5"): "misschien", (2, "eenzaam_zelf"): "7"})
        ),
        # An invalid answer is missing for that item only: the row still counts (issue 11).
        Imported(
            6,
            6,
            problems=(
                bad_answer("enquete.csv, rij 2, kolom 'djg6_3': '4'", "djg6_3"),
                bad_answer("enquete.csv, rij 3, kolom 'djg6_5': 'misschien'", "djg6_5"),
                bad_answer("enquete.csv, rij 4, kolom 'eenzaam_zelf': '7'", "eenzaam_zelf"),
            ),
        ),
    ),
    Case(
        "answer_texts_in_any_case",
        "enquete.csv",
        "answers as text: 'Ja', ' MIN OF MEER ', 'nee', 'Heel vaak', 'Geen moeite'",
        csv_file(
            rows_with(
                {
                    (0, "djg6_1"): "Ja",
                    (0, "djg6_2"): " MIN OF MEER ",
                    (0, "djg6_3"): "nee",
                    (1, "eenzaam_zelf"): "Heel vaak",
                    (1, "rondkomen"): "Geen moeite",
                }
            )
        ),
        OK,
    ),
    Case(
        "nan_like_strings",
        "enquete.csv",
        "'n.v.t.', 'NA', '#N/A', 'NULL' and '-' where an answer or weight belongs",
        csv_file(
            rows_with(
                {
                    (0, "djg6_1"): "n.v.t.",
                    (1, "djg6_2"): "NA",
                    (2, "djg6_3"): "#N/A",
                    (3, "gewicht"): "NULL",
                    (4, "rondkomen"): "-",
                }
            )
        ),
        # An invalid answer is missing for that item only: the row still counts (issue 11).
        Imported(
            6,
            5,
            problems=(
                bad_answer("enquete.csv, rij 3, kolom 'djg6_2': 'NA'", "djg6_2"),
                bad_answer("enquete.csv, rij 4, kolom 'djg6_3': '#N/A'", "djg6_3"),
                bad_answer("enquete.csv, rij 6, kolom 'rondkomen': '-'", "rondkomen"),
                "enquete.csv, rij 5, kolom 'gewicht': 'NULL' " + GEEN_GEWICHT,
            ),
        ),
    ),
    Case(
        "duplicate_respondent_ids",
        "enquete.csv",
        "the same respondent_id twice (a row pasted twice)",
        csv_file([*GOOD, GOOD[2]]),
        Imported(
            7,
            5,
            problems=("enquete.csv, rij 4 en 8 (2 rijen), kolom 'respondent_id': 'R03' " + DUBBEL,),
        ),
    ),
    Case(
        "unknown_area_codes",
        "enquete.csv",
        "a wijk code of another gemeente, a code not in the indeling, a made-up name, empty",
        csv_file(
            rows_with(
                {
                    (0, "gebied"): "WK034401",
                    (1, "gebied"): "WK008099",
                    (2, "gebied"): "Atlantis",
                    (3, "gebied"): "",
                }
            )
        ),
        Imported(6, 2, unmatched={"WK034401": 1, "WK008099": 1, "Atlantis": 1, "": 1}),
    ),
    Case(
        "total_row",
        "enquete.xlsx",
        "a 'Totaal' row under the respondents with sums in the answer columns",
        xlsx_file(
            {
                "enquete": [
                    HEADER,
                    *numeric(GOOD),
                    ["Totaal", None, 6, 11, 12, 13, 11, 12, 13, 20, 12],
                ]
            }
        ),
        # An invalid answer is missing for that item only: the row still counts (issue 11).
        Imported(
            7,
            6,
            unmatched={"": 1},  # the sums row is kept (no answer of it is valid), no area
            problems=tuple(
                bad_answer(f"enquete.xlsx, rij 8, kolom '{column}': '{value}'", column)
                for column, value in zip(HEADER[3:], [11, 12, 13, 11, 12, 13, 20, 12], strict=True)
            ),
        ),
    ),
    Case(
        "negative_and_zero_weights",
        "enquete.csv",
        "weights -1, 0 and 'hoog'",
        csv_file(rows_with({(0, "gewicht"): "-1", (1, "gewicht"): "0", (2, "gewicht"): "hoog"})),
        Imported(
            6,
            3,
            problems=(
                "enquete.csv, rij 2, kolom 'gewicht': '-1' " + GEEN_GEWICHT,
                "enquete.csv, rij 3, kolom 'gewicht': '0' " + GEEN_GEWICHT,
                "enquete.csv, rij 4, kolom 'gewicht': 'hoog' " + GEEN_GEWICHT,
            ),
        ),
    ),
    Case(
        "html_in_area",
        "enquete.csv",
        "an area that is HTML (<img onerror>): listed as text, never rendered",
        csv_file(rows_with({(0, "gebied"): "<img src=x onerror=alert(1)>"})),
        Imported(6, 5, unmatched={"<img src=x onerror=alert(1)>": 1}),
    ),
    Case(
        "postcode_only_without_table",
        "enquete.csv",
        "a postcode column and no area: nothing to match without the CBS postcode table",
        csv_file(
            [[r[0], "8911 AB", *r[2:]] for r in GOOD], ["respondent_id", "postcode", *HEADER[2:]]
        ),
        Imported(6, 0, unmatched={"": 6}),
    ),
    # Columns
    Case(
        "no_area_column",
        "enquete.csv",
        "answers without any area or postcode column",
        csv_file([r[:1] + r[2:] for r in GOOD], HEADER[:1] + HEADER[2:]),
        Refused(MappingError, ("enquete.csv: ", "kies een kolom voor 'gebied' of 'postcode'")),
    ),
    Case(
        "duplicate_column_names",
        "enquete.csv",
        "the column 'gebied' twice",
        csv_file(GOOD, ["respondent_id", "gebied", "gebied", *HEADER[3:]]),
        Refused(SurveyError, ("enquete.csv, rij 1, kolom 'gebied'", "kolom B en in kolom C")),
    ),
    Case(
        "unnamed_column_with_data",
        "enquete.csv",
        "a column without a name that holds data",
        csv_file([[*r, "x"] for r in GOOD], [*HEADER, ""]),
        Refused(SurveyError, ("enquete.csv, rij 1", "kolom L heeft geen naam")),
    ),
    Case(
        "rows_longer_than_the_header",
        "enquete.csv",
        "two rows with more values than the header has columns (an unquoted ';' in a cell)",
        text_bytes(
            joined(rows_with({(1, "gebied"): "Oud;Oost", (3, "gebied"): "Nijlân;De Zwette"}))
        ),
        Refused(SurveyError, ("enquete.csv: 2 problemen gevonden", "rij 3", "rij 5")),
    ),
    Case(
        "unclosed_quote",
        "enquete.csv",
        "a quote that is never closed swallows the rest of the file",
        text_bytes(joined(rows_with({(3, "gebied"): '"Nijlân'}))),
        Refused(SurveyError, ("enquete.csv, rij 5", "kolom 'gebied'")),
    ),
    Case(
        "cell_over_the_csv_field_limit",
        "enquete.csv",
        "one 200 000-character cell (a pasted log), over csv's field limit",
        csv_file(rows_with({(0, "gebied"): "x" * 200_000})),
        # Issue 13: read, the cell cut to 10 000 characters and named (was "geen leesbare
        # tekst" for the whole file, without row or column).
        Imported(
            6,
            5,
            unmatched={"x" * 10_000: 1},
            warnings=(
                "enquete.csv, rij 2, kolom 'gebied': de cel is langer dan 10.000 tekens; alleen "
                "het begin is ingelezen.",
            ),
        ),
    ),
    Case(
        "single_column",
        "enquete.csv",
        "only an area column, no answers: nothing to score",
        csv_file([[r[1]] for r in GOOD], ["gebied"]),
        OK,
    ),
    # Not what the name says
    Case(
        "binary_junk_named_csv",
        "enquete.csv",
        "random-looking binary bytes with a .csv name",
        raw_bytes(bytes(range(256)) * 40),
        Refused(SurveyError, ("enquete.csv: de inhoud is geen tekst",)),
    ),
    Case(
        "csv_named_xlsx",
        "enquete.xlsx",
        "a CSV file renamed .xlsx",
        csv_file(),
        Refused(SurveyError, ("enquete.xlsx: het bestand is geen leesbaar Excel-bestand",)),
    ),
    Case(
        "xlsx_named_csv",
        "enquete.csv",
        "an Excel workbook renamed .csv",
        xlsx_file(),
        Refused(SurveyError, ("enquete.csv", "heet het eigenlijk .xlsx?")),
    ),
    Case(
        "zip_named_sav",
        "enquete.sav",
        "a zip archive renamed .sav",
        lambda _f: zip_bytes(),
        Refused(SurveyError, ("enquete.sav: het bestand is geen leesbaar SPSS-bestand",)),
    ),
    Case(
        "sav_named_csv",
        "enquete.csv",
        "an SPSS file renamed .csv",
        sav_file(good_frame),
        Refused(SurveyError, ("enquete.csv", "heet het eigenlijk .sav?")),
    ),
    Case(
        "old_xls_named_xlsx",
        "enquete.xlsx",
        "an old .xls (or password-protected) OLE file with an .xlsx name",
        raw_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
        Refused(SurveyError, ("enquete.xlsx", "met een wachtwoord beveiligd of is een oud .xls")),
    ),
    Case(
        "truncated_xlsx",
        "enquete.xlsx",
        "an .xlsx cut off halfway (an interrupted download)",
        lambda f: workbook({"enquete": [HEADER, *GOOD]})[:1500],
        Refused(SurveyError, ("enquete.xlsx: het bestand is geen leesbaar Excel-bestand",)),
    ),
    Case(
        "xls_extension",
        "enquete.xls",
        "an old Excel .xls",
        raw_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
        Refused(SurveyError, ("enquete.xls", "sla het bestand in Excel op als .xlsx")),
    ),
    Case(
        "no_extension",
        "enquete",
        "a file without extension",
        csv_file(),
        Refused(SurveyError, ("enquete: het bestand heeft geen extensie",)),
    ),
    # Size
    Case(
        "over_the_upload_limit",
        "enquete.csv",
        "a well-formed CSV of 100 MB (over the 50 MB limit), built in memory",
        big_csv(100),
        Refused(
            SurveyError,
            (
                "enquete.csv: het bestand is 100,0 MB, te groot om in te lezen "
                "(verwacht: hoogstens 50 MB)",
            ),
        ),
    ),
)


# --- the aggregate corpus -----------------------------------------------------------------------

AGG_HEADER = "Wijk;Eenzaam (%);Inwoners"

AGGREGATE_CASES: tuple[Case, ...] = (
    Case(
        "agg_decimal_comma_thousands",
        "monitor.csv",
        "decimal commas and thousands separators in a ';' table",
        text_bytes(f"{AGG_HEADER}\nWest;41,5;12.345\nOost;38;1.204\n"),
        Table(("West", "Oost"), {"Eenzaam (%)": [41.5, 38.0], "Inwoners": [12345.0, 1204.0]}),
    ),
    Case(
        "agg_total_row",
        "monitor.csv",
        "a total row ('Totaal') under the areas",
        text_bytes(f"{AGG_HEADER}\nWest;41,5;12.345\nOost;38;1.204\nTotaal;40;13.549\n"),
        Table(
            ("West", "Oost"),
            {"Eenzaam (%)": [41.5, 38.0], "Inwoners": [12345.0, 1204.0]},
            totals=("Totaal",),
        ),
    ),
    Case(
        "agg_text_in_a_figure",
        "monitor.csv",
        "'veel' where a percentage belongs",
        text_bytes(f"{AGG_HEADER}\nWest;41,5;12.345\nOost;veel;1.204\n"),
        Refused(AggregateError, ("monitor.csv, rij 3, kolom 'Eenzaam (%)': 'veel' is geen getal",)),
    ),
    Case(
        "agg_nan_like_strings",
        "monitor.csv",
        "'#N/A' from an Excel formula in a figure",
        text_bytes(f"{AGG_HEADER}\nWest;#N/A;12.345\n"),
        Refused(AggregateError, ("monitor.csv, rij 2, kolom 'Eenzaam (%)': '#N/A' is geen getal",)),
    ),
    Case(
        "agg_duplicate_area",
        "monitor.csv",
        "the same wijk twice",
        text_bytes(f"{AGG_HEADER}\nWest;41,5;12.345\nwest;38;1.204\n"),
        Refused(AggregateError, ("monitor.csv, rij 3: gebied 'west' staat ook in rij 2",)),
    ),
    Case(
        "agg_empty",
        "monitor.csv",
        "an empty table file",
        raw_bytes(b""),
        Refused(AggregateError, ("monitor.csv: geen tabel gevonden",)),
    ),
    Case(
        "agg_header_only",
        "monitor.csv",
        "only the header",
        text_bytes(f"{AGG_HEADER}\n"),
        Refused(AggregateError, ("monitor.csv, rij 1",)),
    ),
    Case(
        "agg_binary_junk",
        "monitor.csv",
        "binary junk with a .csv name",
        raw_bytes(bytes(range(256)) * 40),
        # Issue 15: the survey's text check now guards this path too (was read as
        # Windows-1252 and refused at the first "figure").
        Refused(AggregateError, ("monitor.csv: de inhoud is geen tekst",)),
    ),
    Case(
        "agg_csv_named_xlsx",
        "monitor.xlsx",
        "a CSV table renamed .xlsx",
        text_bytes(f"{AGG_HEADER}\nWest;41,5;12.345\n"),
        Refused(
            AggregateError,
            ("monitor.xlsx: het bestand is geen leesbaar Excel-bestand",),
            absent=("Excel file format cannot be determined",),
        ),
    ),
    Case(
        "agg_utf16_tabs",
        "monitor.txt",
        "Excel's 'Unicode-tekst': UTF-16 with BOM, tab-separated",
        text_bytes(AGG_HEADER.replace(";", "\t") + "\nWest\t41,5\t12.345\n", "utf-16"),
        Table(("West",), {"Eenzaam (%)": [41.5], "Inwoners": [12345.0]}),
    ),
    Case(
        "agg_latin1",
        "monitor.csv",
        "Windows-1252 area names with diacritics",
        text_bytes(f"{AGG_HEADER}\nNijlân;41,5;12.345\n", "cp1252"),
        Table(("Nijlân",), {"Eenzaam (%)": [41.5], "Inwoners": [12345.0]}),
    ),
    Case(
        "agg_merged_header_xlsx",
        "monitor.xlsx",
        "an Excel table with a merged group label over the figure columns",
        lambda _f: workbook(
            {
                "tabel": [
                    ["Monitor 2024", None, None],
                    ["Wijk", "Eenzaam (%)", "Inwoners"],
                    ["West", 41.5, 12345],
                ]
            },
            merges=[("tabel", 0, 1, 0, 2, "Cijfers")],
        ),
        # The group label row is taken for the header: refused, naming where.
        Refused(
            AggregateError, ("monitor.xlsx, tabblad 'tabel', rij 1, kolom 3: kolomkop ontbreekt",)
        ),
    ),
    Case(
        "agg_title_rows_and_source_note",
        "monitor.csv",
        "a title above the table, an empty line and a 'Bron:' note below it",
        text_bytes("Monitor 2024\n\nWijk;Eenzaam (%)\nWest;41,5\nOost;38\n\nBron: GGD\n"),
        Table(("West", "Oost"), {"Eenzaam (%)": [41.5, 38.0]}),
    ),
    Case(
        "agg_mixed_delimiters",
        "monitor.csv",
        "a ',' table whose source note below it holds a ';'",
        text_bytes("Wijk,Eenzaam (%)\nWest,41.5\nOost,38\nBron: GGD; 2024\n"),
        Table(("West", "Oost"), {"Eenzaam (%)": [41.5, 38.0]}),
    ),
    Case(
        "agg_suppression_marks",
        "monitor.csv",
        "'.', '-', 'x' and an empty cell for suppressed figures, '12 %' with a sign",
        text_bytes(f"{AGG_HEADER}\nWest;.;-\nOost;x;\nNoord;12 %;7\n"),
        Table(
            ("West", "Oost", "Noord"),
            {"Eenzaam (%)": [None, None, 12.0], "Inwoners": [None, None, 7.0]},
        ),
    ),
    Case(
        "agg_formula_text",
        "monitor.csv",
        "a figure cell holding formula text",
        text_bytes(f"{AGG_HEADER}\nWest;=SUM(B2:B9);1\n"),
        Refused(AggregateError, ("monitor.csv, rij 2, kolom 'Eenzaam (%)': '=SUM(B2:B9)'",)),
    ),
    Case(
        "agg_unclosed_quote",
        "monitor.csv",
        "a quote never closed",
        text_bytes(f'{AGG_HEADER}\n"West;41,5;12.345\nOost;38;1.204\n'),
        Refused(AggregateError, ("monitor.csv, rij 2",)),
    ),
)


# --- issue 13: hostile and odd files ------------------------------------------------------------


def openpyxl_file(sheets: dict[str, Sequence[Sequence[object]]]) -> Callable[[Path], bytes]:
    """Return a builder of an .xlsx saved by openpyxl: formulas keep no saved result."""

    def build(_folder: Path) -> bytes:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, rows in sheets.items():
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return build


def stray_cell_file(rows: Sequence[Sequence[object]]) -> Callable[[Path], bytes]:
    """Return a builder of a few-kilobyte .xlsx with one stray cell in XFD1048576."""

    def build(_folder: Path) -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet("enquete")
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
        sheet.write(1048575, 16383, "x")
        book.close()
        return buffer.getvalue()

    return build


def percent_file(values: Sequence[object]) -> Callable[[Path], bytes]:
    """Return a builder of a monitor table whose figures are percent-formatted Excel numbers."""

    def build(_folder: Path) -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet("tabel")
        percent = book.add_format({"num_format": "0.0%"})
        sheet.write_row(0, 0, ["Wijk", "Eenzaam"])
        for r, (area, value) in enumerate(zip(["West", "Oost"], values, strict=True), start=1):
            sheet.write(r, 0, area)
            if isinstance(value, str) and value.startswith("="):
                sheet.write_formula(r, 1, value, percent, "#DIV/0!")
            else:
                sheet.write(r, 1, value, percent)
        book.close()
        return buffer.getvalue()

    return build


WAS_CELL = "de cel is langer dan 10.000 tekens; alleen het begin is ingelezen."

ISSUE_13_SURVEY_CASES: tuple[Case, ...] = (
    Case(
        "stray_cell_far_corner",
        "enquete.xlsx",
        "answers plus one stray cell in XFD1048576 (took the server past 10 GB)",
        stray_cell_file([HEADER, *numeric(GOOD)]),
        Refused(SurveyError, ("enquete.xlsx, tabblad 'enquete', rij 1", "kolom XFD heeft geen")),
    ),
    Case(
        "formula_without_saved_result",
        "enquete.xlsx",
        "a formula whose result was never saved (a script wrote the file)",
        openpyxl_file(
            {"enquete": [HEADER, [*numeric(GOOD)[0][:9], "=1+4", 3.0], *numeric(GOOD[1:])]}
        ),
        Imported(
            6,
            6,
            warnings=(
                "enquete.xlsx, tabblad 'enquete', rij 2, kolom 'eenzaam_zelf': een formule "
                "zonder opgeslagen uitkomst is als leeg ingelezen.",
            ),
        ),
    ),
    Case(
        "invisible_marks_in_area_codes",
        "enquete.csv",
        "area codes wrapped in a zero-width space and a right-to-left mark",
        csv_file(
            rows_with({(0, "gebied"): "\u200bWK008010\u200f", (5, "gebied"): "wk008061\u200b"})
        ),
        Imported(
            6,
            6,
            warnings=("enquete.csv, rij 2, kolom 'gebied' (en in nog 1 cellen): onzichtbare",),
        ),
    ),
    Case(
        "nul_bytes_in_one_cell",
        "enquete.csv",
        "two NUL bytes inside one area name",
        csv_file(rows_with({(1, "gebied"): "Oud-\x00\x00Oost"})),
        Imported(6, 6, warnings=("enquete.csv, rij 3, kolom 'gebied': onleesbare tekens (NUL",)),
    ),
    Case(
        "megabyte_comment_in_an_unused_column",
        "enquete.csv",
        "a 1 MB comment in a column the analysis does not use",
        csv_file(
            [[*r, "x" * 1_048_576 if i == 2 else ""] for i, r in enumerate(GOOD)],
            [*HEADER, "opmerking"],
        ),
        Imported(6, 6, warnings=("enquete.csv, rij 4, kolom 'opmerking': " + WAS_CELL,)),
    ),
    Case(
        "utf32_semicolons",
        "enquete.csv",
        "UTF-32 with BOM and ';' (showed column names full of NULs)",
        csv_file(encoding="utf-32"),
        OK,
    ),
    Case(
        "utf16_semicolons",
        "enquete.csv",
        "UTF-16 with BOM and ';'",
        csv_file(encoding="utf-16"),
        OK,
    ),
    Case(
        "gzip_csv",
        "enquete.csv.gz",
        "a compressed CSV (.csv.gz)",
        lambda _f: gzip.compress(csv_text(GOOD).encode()),
        OK,
    ),
    Case(
        "tab_separated_tsv",
        "enquete.tsv",
        "a .tsv file",
        csv_file(sep="\t"),
        OK,
    ),
    Case(
        "infinite_weight",
        "enquete.csv",
        "a weight 'inf' (stopped the whole analysis with 'gewicht van respondent 1')",
        csv_file(rows_with({(0, "gewicht"): "inf"})),
        Imported(6, 5, problems=("enquete.csv, rij 2, kolom 'gewicht': 'inf' " + GEEN_GEWICHT,)),
    ),
    Case(
        "ods_extension",
        "enquete.ods",
        "a LibreOffice .ods",
        raw_bytes(b"PK\x03\x04" + b"\x00" * 100),
        Refused(SurveyError, ("enquete.ods", "sla het bestand op als .xlsx")),
    ),
    Case(
        "cover_sheet_then_answers",
        "enquete.xlsx",
        "an explanation on the first sheet, the answers on the second",
        xlsx_file({"uitleg": [["Enquête 2024, zie tabblad data"]], "data": [HEADER, *GOOD]}),
        Refused(SurveyError, ("enquete.xlsx, tabblad 'uitleg'", "Kies een ander tabblad: 'data'")),
    ),
)

ISSUE_13_AGGREGATE_CASES: tuple[Case, ...] = (
    Case(
        "agg_percent_formatted_cells",
        "monitor.xlsx",
        "Excel cells formatted as percentages: 0,3 shown as 30 % (was read as 0,3 %)",
        percent_file([0.3, 0.125]),
        Table(("West", "Oost"), {"Eenzaam": [30.0, 12.5]}),
    ),
    Case(
        "agg_excel_error_value",
        "monitor.xlsx",
        "#DIV/0! in a figure cell (was shown as 'onderdrukt in bron')",
        percent_file([0.3, "=1/0"]),
        Refused(
            AggregateError,
            ("monitor.xlsx, tabblad 'tabel', rij 3, kolom 'Eenzaam'", "Excel-foutwaarde"),
        ),
    ),
    Case(
        "agg_formula_without_saved_result",
        "monitor.xlsx",
        "a figure that is a formula without a saved result",
        openpyxl_file({"tabel": [["Wijk", "Eenzaam"], ["West", "=20+21"], ["Oost", 38]]}),
        Refused(
            AggregateError,
            ("monitor.xlsx, tabblad 'tabel', rij 2, kolom 'Eenzaam'", "geen opgeslagen uitkomst"),
        ),
    ),
    Case(
        "agg_percentage_over_100",
        "monitor.csv",
        "140 as a percentage",
        text_bytes(f"{AGG_HEADER}\nWest;140;12.345\n"),
        Refused(AggregateError, ("monitor.csv, rij 2, kolom 'Eenzaam (%)': '140' ligt buiten",)),
    ),
    Case(
        "agg_negative_percentage",
        "monitor.csv",
        "-5 % as a percentage",
        text_bytes(f"{AGG_HEADER}\nWest;-5 %;12.345\n"),
        Refused(AggregateError, ("monitor.csv, rij 2, kolom 'Eenzaam (%)': '-5 %' ligt buiten",)),
    ),
    Case(
        "agg_ambiguous_thousands_in_comma_file",
        "monitor.csv",
        "'1.200' in a comma-separated file (was read as 1,2)",
        text_bytes("Wijk,Inwoners\nWest,1.200\nOost,800\n"),
        Refused(AggregateError, ("monitor.csv, rij 2, kolom 'Inwoners': '1.200' kan 1,200 of",)),
    ),
    Case(
        "agg_invisible_marks_in_codes",
        "monitor.csv",
        "wijk codes with a zero-width space and a right-to-left mark",
        text_bytes(
            "Wijkcode;Wijk;Eenzaam (%)\nWK008010\u200b;Oud-Oost;41\n\u200fWK008020;West;38\n"
        ),
        Table(("Oud-Oost", "West"), {"Eenzaam (%)": [41.0, 38.0]}),
    ),
    Case(
        "agg_utf16_semicolons",
        "monitor.csv",
        "UTF-16 with ';' (column names were full of NULs)",
        text_bytes(f"{AGG_HEADER}\nWest;41,5;12.345\n", "utf-16"),
        Table(("West",), {"Eenzaam (%)": [41.5], "Inwoners": [12345.0]}),
    ),
    Case(
        "agg_utf32_semicolons",
        "monitor.csv",
        "UTF-32 with ';'",
        text_bytes(f"{AGG_HEADER}\nWest;41,5;12.345\n", "utf-32"),
        Table(("West",), {"Eenzaam (%)": [41.5], "Inwoners": [12345.0]}),
    ),
    Case(
        "agg_cover_sheet",
        "monitor.xlsx",
        "a cover sheet before the table (was 'geen tabel gevonden' without the sheet)",
        xlsx_file({"Voorblad": [["Monitor 2024"]], "Tabel": [["Wijk", "Eenzaam"], ["West", 41.5]]}),
        Refused(
            AggregateError,
            (
                "monitor.xlsx, tabblad 'Voorblad': geen tabel gevonden",
                "Kies een ander tabblad: 'Tabel'",
            ),
        ),
    ),
    Case(
        "agg_stray_cell",
        "monitor.xlsx",
        "a table plus one stray cell in XFD1048576",
        stray_cell_file([["Wijk", "Eenzaam"], ["West", 41.5]]),
        Refused(
            AggregateError,
            ("monitor.xlsx, tabblad 'enquete', rij 1, kolom 16384: kolomkop ontbreekt",),
        ),
    ),
    Case(
        "agg_gzip_csv",
        "monitor.csv.gz",
        "a compressed table",
        lambda _f: gzip.compress(f"{AGG_HEADER}\nWest;41,5;12.345\n".encode()),
        Table(("West",), {"Eenzaam (%)": [41.5], "Inwoners": [12345.0]}),
    ),
)

SURVEY_CASES += ISSUE_13_SURVEY_CASES
AGGREGATE_CASES += ISSUE_13_AGGREGATE_CASES
