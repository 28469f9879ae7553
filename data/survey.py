"""Uploaded survey files (CSV, Excel, SPSS) read from bytes into a raw frame plus metadata.

Nothing here scores or maps answers: the frame holds every column as the file has it, and
`RawSurvey` carries what the mapping step needs (SPSS labels, file row numbers for messages).
Respondent data is never logged, cached or written to disk.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import numbers as upload_numbers
from analysis.problems import Problem, UploadError
from data import sav_child
from data.uploads import excel, formats, reraised_as
from data.uploads import text as upload_text
from data.uploads.isolated import run_isolated

MAX_UPLOAD_MB = formats.MAX_UPLOAD_MB
MAX_UPLOAD_BYTES = formats.MAX_UPLOAD_BYTES

#: Accepted extensions and the reader behind each (Excel's "Tekst (tab)" saves as .txt;
#: ``.csv.gz``, ``.tsv.gz`` and ``.txt.gz`` are unpacked first).
FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sav": "sav",
    ".zsav": "sav",
}

#: Formats people often send that we cannot read, with what to do instead.
CONVERT_HINTS = formats.CONVERT_HINTS

#: The survey uploader's accepted extensions: what the reader reads plus the advice formats.
UPLOAD_TYPES = formats.uploader_types(("csv", "xlsx", "sav"))

DELIMITER_NAMES = upload_text.DELIMITER_NAMES
#: Rows at the top of a sheet searched for the header (title rows sit above it).
HEADER_SCAN_ROWS = 20
#: Issues spelled out in one error message; the rest are counted.
LISTED_ISSUES = 5
#: Row numbers spelled out in one warning.
LISTED_ROWS = 5

CSV_EXPECTED = upload_text.CSV_EXPECTED
NUMBER_EXPECTED = "een getal zoals 1,25 of 1.234,5"
AMBIGUOUS_EXPECTED = "een getal zonder punt of komma tussen de duizendtallen, bijv. 1200 of 1,2"

#: One problem in an uploaded file (the project's common problem type).
Issue = Problem


class SurveyError(UploadError):
    """An uploaded survey file cannot be read; the message is Dutch and meant for the user.

    Parameters
    ----------
    message : str
        What the page shows, as plain text.
    issues : sequence of Issue
        Every problem found, for a table when there are many.

    Examples
    --------
    >>> bad = [Issue("e.csv", "is geen getal", "een getal", row, "x", v) for row, v in
    ...        [(2, "a"), (3, "b")]]
    >>> print(SurveyError.from_issues(bad))
    e.csv: 2 problemen gevonden:
    - e.csv, rij 2, kolom 'x': 'a' is geen getal (verwacht: een getal)
    - e.csv, rij 3, kolom 'x': 'b' is geen getal (verwacht: een getal)
    """


@dataclass(frozen=True)
class Where:
    """The place problems are about: the file and, in a workbook, the sheet."""

    file_name: str
    sheet: str | None = None

    def issue(
        self,
        problem: str,
        expected: str,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> Issue:
        """Return a problem at this place."""
        return Issue(self.file_name, problem, expected, row, column, value, self.sheet)


class RowNumbers(Sequence[int]):
    """The file row number of each frame row, held as one array of integers (issue 14).

    A tuple of 500 000 Python integers cost the reading child 13 ms to make and the server
    30 ms to receive; this array crosses as one buffer. It reads as a sequence of ``int`` and
    compares equal to a tuple or list of the same numbers.

    Examples
    --------
    >>> rows = RowNumbers([3, 5, 6])
    >>> rows == (3, 5, 6), rows[1], list(rows[1:]), len(rows), bool(RowNumbers([]))
    (True, 5, [5, 6], 3, False)
    """

    __slots__ = ("_numbers",)

    def __init__(self, numbers: Sequence[int] | np.ndarray) -> None:
        self._numbers = np.array(numbers, dtype=np.int64)
        self._numbers.flags.writeable = False

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self._numbers)

    def __getitem__(self, index: Any) -> Any:
        """Return one row number as ``int``, or a slice as `RowNumbers`."""
        if isinstance(index, slice):
            return RowNumbers(self._numbers[index])
        return int(self._numbers[index])

    def __iter__(self) -> Any:
        """Iterate over the row numbers as ``int``."""
        return iter(self._numbers.tolist())

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """Return the numbers as a (read-only) numpy array."""
        if dtype is not None and np.dtype(dtype) != self._numbers.dtype:
            return self._numbers.astype(dtype)
        return self._numbers.copy() if copy else self._numbers

    def __eq__(self, other: object) -> bool:
        """Compare with another sequence of row numbers (a tuple, list or range)."""
        if isinstance(other, RowNumbers):
            return bool(np.array_equal(self._numbers, other._numbers))
        if isinstance(other, tuple | list | range):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # (equal to a tuple, so no hash of its own)

    def __repr__(self) -> str:
        """Show the numbers (the first few of a long file)."""
        shown = self._numbers[:LISTED_ROWS].tolist()
        more = f", ... ({len(self)} rows)" if len(self) > LISTED_ROWS else ""
        return f"RowNumbers({shown}{more})"

    def __reduce__(self) -> tuple[Any, tuple[np.ndarray]]:
        """Pickle as the array (out of band with pickle protocol 5)."""
        return RowNumbers, (self._numbers,)


@dataclass(frozen=True)
class RawSurvey:
    """A survey file as read: columns untouched, plus what the mapping step needs.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per respondent, every column as read under its original (stripped) name.
        CSV cells are text: a column is a ``Categorical`` of its distinct texts (pandas text
        where nearly every cell differs, such as ids; `data.uploads.text.CodedText`); Excel
        cells keep Excel's type; SPSS gives codes, not labels. Empty cells are missing
        (NaN), never ``""``.
    file_name, format : str
        The upload's name and ``"csv"``, ``"xlsx"`` or ``"sav"``.
    encoding, delimiter, sheet : str or None
        How the file was read, where that applies (CSV encoding and delimiter, Excel sheet,
        the encoding an SPSS file declares).
    column_labels : dict
        SPSS variable labels by column (empty for CSV and Excel).
    value_labels : dict
        SPSS value labels by column: ``{"djg11_1": {1.0: "ja", 2.0: "min of meer", ...}}``.
    row_numbers : RowNumbers
        For each frame row, its row number in the file as a spreadsheet user counts
        (header = 1; SPSS: the case number), for messages.
    warnings : list of str
        Dutch notes for the user (skipped title rows, hidden rows, ...); never respondent data.
    """

    frame: pd.DataFrame
    file_name: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    column_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    row_numbers: Sequence[int] = ()
    warnings: list[str] = field(default_factory=list)


#: What a CSV frame's columns are: a text column is a ``Categorical`` of its distinct texts.
CodedText = upload_text.CodedText


def read_survey(
    content: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    isolated: bool = True,
) -> RawSurvey:
    r"""Read an uploaded survey file from its bytes; nothing is written to disk.

    Every file is read in a child process with a memory and time limit
    (`data.uploads.isolated`; SPSS by `data.sav_child`): a hostile file costs that child,
    never the server.

    Parameters
    ----------
    content : bytes
        The upload (``UploadedFile.getvalue()``).
    file_name : str
        Its name; the extension picks the reader (see `FORMATS`; ``.csv.gz`` is unpacked).
    sheet : str, optional
        Excel only: the sheet to read; default the first visible one.
    max_bytes : int
        Largest accepted upload (tests pass a small one).
    isolated : bool
        Read in a child process (default). False reads in this process (benchmarks, doctests).

    Returns
    -------
    RawSurvey

    Raises
    ------
    SurveyError
        With a Dutch message naming the file, and where it applies the sheet, row, column
        and value.

    Examples
    --------
    >>> raw = read_survey(b"respondent_id;gebied;gewicht\n1;Noord;1,25\n", "enquete.csv",
    ...                   isolated=False)
    >>> raw.delimiter, raw.frame.to_dict("records"), tuple(raw.row_numbers)
    (';', [{'respondent_id': '1', 'gebied': 'Noord', 'gewicht': '1,25'}], (2,))
    """
    content = bytes(content)
    kind = _format(file_name)
    if len(content) > max_bytes:
        raise SurveyError.from_issues(
            [
                Issue(
                    file_name,
                    f"het bestand is {_megabytes(len(content))} MB, te groot om in te lezen",
                    f"hoogstens {_megabytes(max_bytes)} MB",
                )
            ]
        )
    if _blank_bytes(content):
        raise _whole_file(file_name, "het bestand is leeg", _content_expected(kind))
    if kind == "sav":
        return _read_sav(content, file_name) if isolated else _read_sav_here(content, file_name)
    if not isolated:
        return _read_here(content, file_name, sheet)
    return run_isolated(_read_here, content, file_name, sheet, where=file_name, error=SurveyError)


def _read_here(content: bytes, file_name: str, sheet: str | None) -> RawSurvey:
    """Read a CSV or Excel upload in this process (the child, normally)."""
    kind = _format(file_name)
    with reraised_as(SurveyError):
        content = formats.unpack(content, file_name)
    if kind == "csv":
        if _blank_bytes(content):
            raise _whole_file(file_name, "het bestand is leeg", _content_expected(kind))
        return _read_csv(content, file_name)
    return _read_xlsx(content, file_name, sheet)


def sheet_names(content: bytes, file_name: str, *, isolated: bool = True) -> list[str]:
    """List an Excel file's sheets: visible ones first, in workbook order, then hidden ones.

    Parameters
    ----------
    content : bytes
        The upload.
    file_name : str
        Its name; for CSV and SPSS files the answer is ``[]`` (no sheets to choose).
    isolated : bool
        Open the workbook in a child process (default).

    Returns
    -------
    list of str
        See `hidden_sheet_names` for which of them are hidden.

    Raises
    ------
    SurveyError
        For an unknown extension or a file that is no readable workbook.
    """
    states = _sheet_states(content, file_name, isolated)
    return [n for n, s in states if s == "visible"] + [n for n, s in states if s != "visible"]


def hidden_sheet_names(content: bytes, file_name: str, *, isolated: bool = True) -> list[str]:
    """List an Excel file's hidden sheets (including 'very hidden' ones); ``[]`` for CSV/SPSS."""
    return [n for n, state in _sheet_states(content, file_name, isolated) if state != "visible"]


def to_number(
    series: pd.Series,
    column: str,
    file_name: str,
    row_numbers: Sequence[int],
    *,
    decimal: str | None = None,
) -> tuple[pd.Series, list[Issue]]:
    """Convert one column to float, accepting decimal commas and thousands separators.

    ``1,25`` = ``1.25`` = 1.25; ``1.234,5``, ``1.234.567`` and ``1,234.5`` carry thousands
    separators. A lone separator before exactly three digits (``1.200``) is decided by the
    column (another cell ``0,8`` makes it 1200, ``0.873`` makes it 1,2) or by ``decimal``, the
    file's own convention; otherwise it is reported as ambiguous, never guessed (issue 13).
    Empty cells are missing, not zero. Numbers from Excel or SPSS pass as they are, except
    infinite ones.

    Parameters
    ----------
    series : pandas.Series
        The column as read.
    column : str
        Its name, for messages.
    file_name : str
        The upload's name, for messages.
    row_numbers : sequence of int
        The file row of each value (`RawSurvey.row_numbers`).
    decimal : str, optional
        The file's decimal separator when known (``","`` for a ``;`` file).

    Returns
    -------
    numbers : pandas.Series
        float64 on the same index; a bad cell is NaN.
    issues : list of Issue
        One per bad cell, naming its row, column and value.

    Examples
    --------
    >>> numbers, issues = to_number(pd.Series(["1,25", "1.234,5", "", "veel"]), "gewicht",
    ...                             "enquete.csv", [2, 3, 4, 5])
    >>> numbers.tolist()
    [1.25, 1234.5, nan, nan]
    >>> issues[0].message
    "enquete.csv, rij 5, kolom 'gewicht': 'veel' is geen getal (verwacht: een getal zoals 1,25 of 1.234,5)"
    """  # noqa: E501 - a doctest's expected output cannot be wrapped
    cells = series.tolist()
    convention = upload_numbers.column_decimal(cells, decimal)
    values: list[float] = []
    issues: list[Issue] = []
    for value, row in zip(cells, row_numbers, strict=True):
        number = upload_numbers.parse_number(None if value is pd.NA else value, convention)
        if number == upload_numbers.AMBIGUOUS:
            issues.append(
                Issue(file_name, _ambiguity(value), AMBIGUOUS_EXPECTED, row, column, value)
            )
            number = math.nan
        elif isinstance(number, str):
            issues.append(Issue(file_name, "is geen getal", NUMBER_EXPECTED, row, column, value))
            number = math.nan
        values.append(number)
    return pd.Series(values, index=series.index, name=series.name, dtype="float64"), issues


# --- CSV ---------------------------------------------------------------------------------------


def _read_csv(content: bytes, file_name: str) -> RawSurvey:
    """Read a delimited text file; every cell stays text.

    pyarrow splits the rows below the header when it reads them exactly as Python's csv
    module does (`data.uploads.text.split_body`); the other files (rows of another width,
    an unclosed quote) are read record by record, to name the rows that are wrong.
    """
    where = Where(file_name)
    # A UTF-8 upload: only its start is decoded, the parser checks the rest.
    head = upload_text.decode_head(content)
    if head is not None:
        facts = TextFacts(ascii=head.ascii, nul=head.nul)
        fast = _read_csv_columns(
            where, head.text, head.encoding, head.delimiter, content, facts, whole=head.whole
        )
        if fast is not None:
            return fast
    with reraised_as(SurveyError):
        text, encoding, delimiter = upload_text.decode_text(content, file_name)
    fast = _read_csv_columns(where, text, encoding, delimiter, content)
    if fast is not None:
        return fast
    return _read_csv_records(where, text, encoding, delimiter)


def _read_csv_records(where: Where, text: str, encoding: str, delimiter: str) -> RawSurvey:
    """Read decoded text record by record with Python's csv module (see `_read_csv`)."""
    file_name = where.file_name
    facts = TextFacts.of(text)
    with reraised_as(SurveyError):
        read = upload_text.split_records(text, encoding, delimiter, file_name)
    del text
    records = read.records
    header_at = _header_position(records)
    if header_at is None:
        raise _whole_file(file_name, "het bestand is leeg", _content_expected("csv"))
    header_row, header = header_at + 1, records[header_at]
    if read.unclosed is not None:
        row, column = read.unclosed
        name = _cell_text(header[column]) if row > header_row and column < len(header) else ""
        name = name or _column_letter(column)
        raise SurveyError.from_issues([upload_text.unclosed_problem(file_name, row, name)])
    width = len(header)
    body = records[header_at + 1 :]
    del records[header_at + 1 :]  # the rows live on in `body` only
    too_long, too_short = [], []
    # Most rows are as wide as the header; only the others are looked at one by one.
    for j in np.flatnonzero(np.fromiter(map(len, body), dtype=np.int64, count=len(body)) != width):
        number, cells = header_row + 1 + int(j), body[j]
        extra = cells[width:]
        if any(not _blank(v) for v in extra):
            too_long.append(
                where.issue(
                    f"deze rij heeft {len(cells)} waarden en de kopregel {width} kolommen; "
                    f"staat er een {DELIMITER_NAMES[delimiter]} in een antwoord of getal "
                    "zonder aanhalingstekens?",
                    f"hoogstens {width} waarden per rij",
                    row=number,
                )
            )
        if len(cells) < width and not all(_blank(v) for v in cells):
            too_short.append(number)
        body[j] = (cells + [""] * width)[:width]
    if too_long:
        raise SurveyError.from_issues(too_long)
    skipped = _skipped_rows(list(enumerate(records[:header_at], start=1)))
    grid = np.array(body, dtype=object).reshape(len(body), width)
    del body
    columns = [pa.array(grid[:, i], type=pa.large_string()) for i in range(width)]
    del grid
    numbers = np.arange(header_row + 1, header_row + 1 + len(columns[0]))
    frame, row_numbers, warnings = _text_frame(
        where, header, header_row, columns, numbers, skipped, facts
    )
    if too_short:
        warnings.append(
            f"{_rows_text(too_short)} {'heeft' if len(too_short) == 1 else 'hebben'} minder "
            "waarden dan er kolommen zijn; de ontbrekende waarden zijn als leeg ingelezen."
        )
    return RawSurvey(
        frame=frame,
        file_name=file_name,
        format="csv",
        encoding=read.encoding,
        delimiter=delimiter,
        row_numbers=row_numbers,
        warnings=warnings,
    )


def _read_csv_columns(
    where: Where,
    text: str,
    encoding: str,
    delimiter: str,
    content: bytes | None = None,
    facts: TextFacts | None = None,
    *,
    whole: bool = True,
) -> RawSurvey | None:
    """Read a text file whose body pyarrow can split; None when only `_read_csv` can.

    ``content`` is the upload that ``text`` was decoded from: a UTF-8 body is then handed to
    pyarrow as it is (`data.uploads.text.body_bytes`). ``text`` may be only the start of the
    decoded upload (``whole`` False, `data.uploads.text.decode_head`; ``facts`` then says
    what all of it holds): None when the header rows reach beyond it.
    """
    facts = facts or TextFacts.of(text)
    head: list[list[str]] = []
    ends: list[int] = []
    first: int | None = None
    try:
        for record, end in upload_text.iter_records(text, delimiter):
            if not whole and end >= len(text):  # (this record may go on after the start)
                return None
            head.append(record)
            ends.append(end)
            if first is None and any(not _blank(v) for v in record):
                first = len(head) - 1
            if first is not None and len(head) >= first + HEADER_SCAN_ROWS:
                break
    except csv.Error:
        return None
    if not whole and (first is None or len(head) < first + HEADER_SCAN_ROWS):
        return None
    header_at = _header_position(head)
    if header_at is None:
        return None
    header_row, header = header_at + 1, head[header_at]
    # A quote left open above the body ran to the end of the file: `_read_csv` names where.
    # (`split_body` declines a body with one.)
    if text.count('"', 0, ends[header_at]) % 2:
        return None
    data, start = (
        upload_text.body_bytes(content, encoding, text, ends[header_at])
        if content is not None
        else (text[ends[header_at] :].encode(), 0)
    )
    body = upload_text.split_body(data, delimiter, len(header), start)
    if body is None:
        return None
    skipped = _skipped_rows(list(enumerate(head[:header_at], start=1)))
    frame, row_numbers, warnings = _text_frame(
        where, header, header_row, body.columns, body.rows + header_row, skipped, facts
    )
    return RawSurvey(
        frame=frame,
        file_name=where.file_name,
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        row_numbers=row_numbers,
        warnings=warnings,
    )


# --- Excel -------------------------------------------------------------------------------------


def _sheet_states(content: bytes, file_name: str, isolated: bool) -> list[tuple[str, str]]:
    """Return (name, state) for every sheet; state is visible, hidden or veryHidden."""
    if _format(file_name) != "xlsx":
        return []
    if isolated:
        return run_isolated(
            _sheet_states_here, bytes(content), file_name, where=file_name, error=SurveyError
        )
    return _sheet_states_here(bytes(content), file_name)


def _sheet_states_here(content: bytes, file_name: str) -> list[tuple[str, str]]:
    with reraised_as(SurveyError):
        return excel.sheet_states(content, file_name)


def _read_xlsx(content: bytes, file_name: str, sheet: str | None) -> RawSurvey:
    """Read one sheet; title rows above the header are skipped, merged cells handled."""
    with reraised_as(SurveyError):
        read, states = excel.read_sheet(content, file_name, sheet)
    chosen = read.name
    visible = [t for t, s in states if s == "visible"]
    warnings: list[str] = []
    others = [t for t in visible if t != chosen]
    if sheet is None and others:
        warnings.append(
            f"Het bestand heeft {len(visible)} tabbladen; ingelezen is '{chosen}'. "
            "Kies een ander tabblad als de antwoorden daar staan."
        )
    if read.state != "visible":
        warnings.append(f"Tabblad '{chosen}' is verborgen in Excel.")
    where = Where(file_name, chosen)
    try:
        frame, row_numbers, sheet_warnings = _sheet_table(read, where)
    except SurveyError as err:
        if sheet is not None or not others:
            raise
        # The first sheet is often an explanation; point at the others.
        hint = ", ".join(repr(t) for t in others)
        raise SurveyError(f"{err}\nKies een ander tabblad: {hint}.", err.issues) from err
    return RawSurvey(
        frame=frame,
        file_name=file_name,
        format="xlsx",
        sheet=chosen,
        row_numbers=row_numbers,
        warnings=warnings + sheet_warnings,
    )


def _sheet_table(read: excel.Sheet, where: Where) -> tuple[pd.DataFrame, RowNumbers, list[str]]:
    """Turn a sheet's filled rows into a frame; ``read.merged`` holds (top, bottom, left, right)."""
    by_number = dict(read.rows)
    # A cell merged down one column reads, as in Excel, as that value in every row it spans
    # (a column name spanning two header rows, or one area for several respondents).
    for top, bottom, left, right in read.merged:
        if left != right or top not in by_number or left > len(by_number[top]):
            continue
        value = by_number[top][left - 1]
        for number in range(top + 1, bottom + 1):
            cells = by_number.get(number)
            if cells is None:
                continue  # a row with nothing but the merged cell stays out
            if len(cells) < left:
                cells.extend([None] * (left - len(cells)))
            cells[left - 1] = value
    rows = read.rows
    header_at = _header_position([cells for _, cells in rows])
    if header_at is None:
        raise SurveyError.from_issues(
            [where.issue("het tabblad is leeg", _content_expected("xlsx"))]
        )
    header_row, header = rows[header_at]
    # Merged across columns at or below the header: we cannot tell which column the value
    # belongs to, so the user unmerges (group labels in rows above the header are skipped).
    across = [m for m in read.merged if m[2] != m[3] and m[1] >= header_row]
    if across:
        raise SurveyError.from_issues(
            [
                where.issue(
                    f"cellen {_range_text(*m)} zijn samengevoegd",
                    "één waarde per cel; maak het samenvoegen ongedaan",
                    row=max(m[0], header_row),
                    column=(_cell_text(header[m[2] - 1]) if m[2] <= len(header) else "") or None,
                )
                for m in sorted(across)
            ]
        )
    formulas = _unsaved_formulas(rows[header_at + 1 :])
    frame, row_numbers, warnings = _frame(
        where, header, header_row, rows[header_at + 1 :], _skipped_rows(rows[:header_at])
    )
    names = [_cell_text(v) for v in header]
    if formulas:
        (row, column), count = formulas[0], len(formulas)
        name = names[column] if column < len(names) and names[column] else _column_letter(column)
        more = f" (en nog {count - 1})" if count > 1 else ""
        warnings.append(
            f"{where.file_name}, tabblad '{where.sheet}', rij {row}, kolom '{name}'{more}: een "
            "formule zonder opgeslagen uitkomst is als leeg ingelezen. Open het bestand in Excel "
            "of LibreOffice en sla het op, dan worden de uitkomsten bewaard."
        )
    for kind, row, column, count in read.notes:
        name = names[column] if column < len(names) and names[column] else _column_letter(column)
        place = upload_text.CellNote(kind, row, name, count)
        warnings.append(upload_text.note_text(f"{where.file_name}, tabblad '{where.sheet}'", place))
    down = sorted(m for m in read.merged if m[2] == m[3] and m[1] > header_row)
    if down:
        ranges = ", ".join(_range_text(*m) for m in down[:LISTED_ROWS])
        more = f" en nog {len(down) - LISTED_ROWS}" if len(down) > LISTED_ROWS else ""
        warnings.append(
            f"Samengevoegde cellen ({ranges}{more}) zijn ingelezen alsof elke rij de waarde "
            "van de bovenste cel heeft."
        )
    hidden = sorted(read.hidden_rows & set(row_numbers))
    if hidden:
        warnings.append(
            f"{_rows_text(hidden)} {'is' if len(hidden) == 1 else 'zijn'} verborgen in Excel "
            "(bijvoorbeeld door een filter) maar wel ingelezen."
        )
    return frame.infer_objects(), row_numbers, warnings


def _unsaved_formulas(rows: Sequence[tuple[int, list[Any]]]) -> list[tuple[int, int]]:
    """Empty the cells whose formula has no saved result (in place); return where they were.

    Excel error values become plain text (``'#N/A'``), so they are reported as answers that
    are not valid, never taken for empty cells.
    """
    found = []
    for number, cells in rows:
        for i, value in enumerate(cells):
            if isinstance(value, excel.FormulaWithoutValue):
                cells[i] = None
                found.append((number, i))
            elif isinstance(value, excel.ExcelError):
                cells[i] = str(value)
            elif isinstance(value, excel.PercentCell):
                cells[i] = float(value)
    return found


# --- SPSS --------------------------------------------------------------------------------------


#: What a .sav that the C reader cannot read (or crashes on) is told.
SAV_UNREADABLE = (
    "het bestand is geen leesbaar SPSS-bestand",
    "een .sav-bestand uit SPSS, PSPP of R",
)


def _read_sav(content: bytes, file_name: str) -> RawSurvey:
    """Read an SPSS file in a reading child (`data.sav_child`, under the upload limits).

    A crash of the C reader on a damaged file ends that child only, and becomes the Dutch
    `SAV_UNREADABLE`.
    """
    return run_isolated(
        _read_sav_here,
        content,
        file_name,
        sav_child.SPLIT_ROWS,
        where=file_name,
        error=SurveyError,
        crashed=SAV_UNREADABLE,
    )


def _read_sav_here(content: bytes, file_name: str, split_rows: int | None = None) -> RawSurvey:
    """Read an SPSS file in this process: codes in the frame, variable and value labels beside it.

    ``split_rows``: in a reading child, a file of that many cases is read on two cores
    (`data.sav_child.read`).

    Examples
    --------
    >>> _read_sav_here(b"$FL2 broken", "e.sav")
    Traceback (most recent call last):
    ...
    data.survey.SurveyError: e.sav: het bestand is geen leesbaar SPSS-bestand (verwacht: een .sav-bestand uit SPSS, PSPP of R)
    """  # noqa: E501 - a doctest's expected output cannot be wrapped
    try:
        frame, meta = sav_child.read(content, split_rows)
    except sav_child.Unreadable:
        raise _whole_file(file_name, *SAV_UNREADABLE) from None
    if frame.empty:
        raise _whole_file(
            file_name, "het bestand bevat geen respondenten", _content_expected("sav")
        )
    text = frame.select_dtypes(include=["object", "string"]).columns
    frame = frame.assign(**{c: frame[c].where(~_blank_texts(frame[c])) for c in text})
    # Codes declared missing in SPSS (e.g. 9 'weet niet', 99 'geen antwoord') are missing
    # here too, as SPSS itself treats them; their value labels stay in `value_labels`.
    frame = frame.assign(
        **{
            c: frame[c].mask(_in_ranges(frame[c], spans))
            for c, spans in meta["missing_ranges"].items()
        }
    )
    warnings = []
    if meta["missing_ranges"]:
        columns = ", ".join(sorted(meta["missing_ranges"]))
        warnings.append(
            f"Codes die in SPSS als ontbrekend zijn gemarkeerd, zijn als leeg ingelezen "
            f"(kolommen: {columns})."
        )
    return RawSurvey(
        frame=frame,
        file_name=file_name,
        format="sav",
        encoding=meta["file_encoding"],
        column_labels={k: v for k, v in meta["column_names_to_labels"].items() if v},
        value_labels={k: dict(v) for k, v in meta["variable_value_labels"].items()},
        row_numbers=RowNumbers(np.arange(1, len(frame) + 1)),
        warnings=warnings,
    )


def _blank_texts(values: pd.Series) -> pd.Series:
    r"""Return `_blank` of every cell of a text column, on the whole column at once.

    ``.str.strip()`` strips what ``str.strip()`` strips; a cell that is no text (a number in
    an object column) is not blank unless it is missing. 500 000 SPSS respondents: 1 s per
    column by `_blank` cell by cell, a few milliseconds here.

    Examples
    --------
    >>> cells = pd.Series(["a", " ", " ", "", None, math.nan, 3, " b "], dtype=object)
    >>> _blank_texts(cells).tolist() == [_blank(v) for v in cells]
    True
    >>> _blank_texts(pd.Series(["x", " ", None], dtype="str")).tolist()
    [False, True, True]
    >>> import datetime as dt  # SPSS dates: no text at all, so cell by cell
    >>> _blank_texts(pd.Series([dt.date(2024, 1, 31), None], dtype=object)).tolist()
    [False, True]
    """
    try:
        stripped = values.str.strip()
    except AttributeError:  # a column without any text (dates, for instance)
        return values.map(_blank).astype(bool)
    return values.isna() | stripped.eq("").fillna(False).astype(bool)


def _in_ranges(values: pd.Series, spans: Sequence[dict[str, Any]]) -> pd.Series:
    """Mark the values inside any of SPSS's missing-value ranges (``{"lo": 9, "hi": 9}``)."""
    inside = pd.Series(False, index=values.index)
    for span in spans:
        inside |= values.ge(span["lo"]).fillna(False) & values.le(span["hi"]).fillna(False)
    return inside


# --- shared ------------------------------------------------------------------------------------


def _frame(
    where: Where,
    header: Sequence[Any],
    header_row: int,
    rows: Sequence[tuple[int, Sequence[Any]]],
    skipped: Sequence[int],
) -> tuple[pd.DataFrame, RowNumbers, list[str]]:
    """Build the frame under a header: check names, drop blank rows and unnamed empty columns."""
    names = [_cell_text(v) for v in header]
    keep = [i for i, name in enumerate(names) if name]
    # One pass finds the unnamed columns with data, however far right (a stray cell in XFD).
    named, unnamed_with_data = set(keep), set()
    for _, cells in rows:
        for i, value in enumerate(cells):
            if i not in named and i not in unnamed_with_data and not _blank(value):
                unnamed_with_data.add(i)
    width = max([len(names), *(i + 1 for i in unnamed_with_data)])
    names += [""] * (width - len(names))
    _check_names(where, names, header_row, unnamed_with_data.__contains__)
    data = [
        (number, [cells[i] if i < len(cells) and not _blank(cells[i]) else None for i in keep])
        for number, cells in rows
    ]
    data = [(number, values) for number, values in data if any(v is not None for v in values)]
    if not data:
        problem = "onder de kopregel staan geen antwoorden"
        raise _nowhere(where, problem, "per respondent een rij onder de kopregel", header_row)
    columns = [names[i] for i in keep]
    frame = pd.DataFrame([values for _, values in data], columns=columns, dtype=object)
    return frame, RowNumbers([number for number, _ in data]), _skipped_warnings(skipped, header_row)


@dataclass(frozen=True)
class TextFacts:
    """What the whole text of a file lacks, so no column needs searching for it.

    Examples
    --------
    >>> TextFacts.of("gebied;n, Aldlân;12")
    TextFacts(ascii=False, nul=False)
    """

    ascii: bool = False
    nul: bool = True

    @classmethod
    def of(cls, text: str) -> TextFacts:
        """Look at a text once (``str.isascii`` is free; ``in`` is a fast scan)."""
        return cls(ascii=text.isascii(), nul="\x00" in text)


def _text_frame(
    where: Where,
    header: Sequence[str],
    header_row: int,
    columns: Sequence[pa.Array | pa.ChunkedArray],
    numbers: np.ndarray,
    skipped: Sequence[int],
    facts: TextFacts | None = None,
) -> tuple[pd.DataFrame, RowNumbers, list[str]]:
    """`_frame` for CSV: text columns as wide as the header, ``numbers`` their file rows.

    Same checks, messages and cells as `_frame`, found with pyarrow per distinct text of a
    column (`CodedText`) instead of per cell in Python (issues #5, #14). Every column comes
    back as a pandas ``Categorical`` of its texts. The columns come from pyarrow's parser
    (`_read_csv_columns`) or from Python's csv module (`_read_csv_records`).
    """
    names = [_cell_text(v) for v in header]
    # pyarrow's kernels let go of the GIL: the columns are read on every core, as pyarrow
    # parses on every core; their notes are kept in column order.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        labels = [name or _column_letter(i) for i, name in enumerate(names)]
        done = list(
            pool.map(
                lambda column, label: _text_column(where, column, label, numbers, facts),
                columns,
                labels,
            )
        )
    cells = [coded for coded, _ in done]
    notes = [note for _, column_notes in done for note in column_notes]
    present = [column.present() for column in cells]
    _check_names(where, names, header_row, lambda i: bool(present[i].any()))
    keep = [i for i, name in enumerate(names) if name]
    filled = np.zeros(len(numbers), dtype=bool)
    for i in keep:
        filled |= present[i]
    at = np.flatnonzero(filled)
    if not len(at):
        problem = "onder de kopregel staan geen antwoorden"
        raise _nowhere(where, problem, "per respondent een rij onder de kopregel", header_row)
    frame = pd.DataFrame({names[i]: cells[i].take(at).to_series() for i in keep}, copy=False)
    return frame, RowNumbers(numbers[at]), _skipped_warnings(skipped, header_row) + notes


def _text_column(
    where: Where,
    column: pa.Array | pa.ChunkedArray,
    name: str,
    numbers: np.ndarray,
    facts: TextFacts | None,
) -> tuple[CodedText, list[str]]:
    """Code one text column, clean its texts and make blank cells missing; with its notes."""
    notes: list[str] = []
    coded = _clean_column(where, CodedText.of(column), name, numbers, notes, facts)
    return coded.without(_blank_cells(coded.texts)), notes


def _clean_column(
    where: Where,
    column: CodedText,
    name: str,
    numbers: np.ndarray,
    notes: list[str],
    facts: TextFacts | None = None,
) -> CodedText:
    """Remove NUL and invisible characters from a text column and cut too long cells.

    Each kind of change is noted once (its first row, and how many cells). The texts are
    looked at once each, not per cell; none when ``facts`` rules them out for the whole file.
    """
    facts = facts or TextFacts()
    texts = column.texts
    kinds = [("nul", "\x00")] if facts.nul else []
    # The invisible characters are all outside ASCII: a column of plain ASCII has none.
    if not facts.ascii and not _ascii_only(texts):
        kinds.append(("invisible", upload_text.INVISIBLE.pattern))
    for kind, pattern in kinds:
        # (a plain search is four times as fast as a regular expression of one character)
        match = pc.match_substring if kind == "nul" else pc.match_substring_regex
        hits = column.cells(_true_at(match(texts, pattern)))
        if len(hits):
            note = upload_text.CellNote(kind, int(numbers[hits[0]]), name, len(hits))
            notes.append(upload_text.note_text(where.file_name, note))
            texts = pc.replace_substring_regex(texts, pattern, "")
    # Long numbers that Excel shortened on saving ("1,23457E+11"): every respondent gets the
    # same number, so say where, instead of dropping them all later as duplicates (issue 13).
    if _may_hold(texts, b"E+") and pc.any(pc.match_substring(texts, "E+")).as_py():
        shortened = pc.match_substring_regex(texts, r"^\s*\d[.,]\d+E\+\d+\s*$")
        hits = column.cells(_true_at(shortened))
        if len(hits):
            first = hits[0] if column.codes is None else column.codes[hits[0]]
            example = texts[int(first)].as_py().strip()
            notes.append(
                f"{where.file_name}, rij {int(numbers[hits[0]])}, kolom {name!r}: "
                f"{len(hits)} {'waarde' if len(hits) == 1 else 'waarden'} zoals {example!r} "
                "zijn getallen die Excel heeft ingekort bij het opslaan; de cijfers erachter zijn "
                "weg. Maak de kolom in Excel eerst tekst (Celeigenschappen, Tekst) en sla het "
                "bestand opnieuw op."
            )
    # A cell has no more characters than bytes: only a column with long cells in bytes is
    # counted in characters.
    longest = pc.max(pc.binary_length(texts)).as_py()
    if longest is not None and longest > upload_text.MAX_CELL_CHARS:
        hits = column.cells(_true_at(pc.greater(pc.utf8_length(texts), upload_text.MAX_CELL_CHARS)))
        if len(hits):
            note = upload_text.CellNote("long", int(numbers[hits[0]]), name, len(hits))
            notes.append(upload_text.note_text(where.file_name, note))
            texts = pc.utf8_slice_codeunits(texts, 0, upload_text.MAX_CELL_CHARS)
    return column if texts is column.texts else column.with_texts(texts)


def _true_at(found: pa.Array) -> np.ndarray:
    """Return the positions where a boolean array is True (null is not True).

    Examples
    --------
    >>> _true_at(pa.array([True, None, False, True])).tolist()
    [0, 3]
    """
    return np.flatnonzero(pc.fill_null(found, False).to_numpy(zero_copy_only=False))


def _blank_cells(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    r"""Return, per cell of a text column, whether it is blank (empty, only whitespace, or null).

    Blank means what `_blank` means: nothing left after ``str.strip()``. pyarrow's
    ``utf8_is_space`` holds exactly the characters whose ``str.isspace()`` is true
    (`tests/test_survey_io.py` checks every code point).

    Examples
    --------
    >>> _blank_cells(pa.array(["", "  ", "", " ja ", None])).tolist()
    [True, True, True, False, True]
    """
    if isinstance(column, pa.Array) and column.null_count == 0 and not _may_be_blank(column):
        return np.zeros(len(column), dtype=bool)
    blank = pc.or_kleene(pc.equal(pc.binary_length(column), 0), pc.utf8_is_space(column))
    return pc.fill_null(blank, True).to_numpy(zero_copy_only=False)


# A column of 500 000 respondent ids is looked at as one run of bytes first: only a byte
# that could matter makes its cells be looked at one by one (issue 14: the search for "E+"
# took 21 ms cell by cell, under 1 ms over the bytes).


def _text_bytes(texts: pa.Array) -> np.ndarray | None:
    """Return the UTF-8 bytes of a text array's cells, one after another (no copy).

    None for an array that is not (large) string. A missing cell adds no bytes.

    Examples
    --------
    >>> _text_bytes(pa.array(["ab", None, "c"]).slice(1)).tobytes()
    b'c'
    """
    if texts.type not in (pa.string(), pa.large_string()) or len(texts) == 0:
        return None
    offsets_type = np.int32 if texts.type == pa.string() else np.int64
    _, offsets, data = texts.buffers()
    at = np.frombuffer(offsets, dtype=offsets_type)[texts.offset : texts.offset + len(texts) + 1]
    if data is None:
        return np.zeros(0, dtype=np.uint8)
    return np.frombuffer(data, dtype=np.uint8)[at[0] : at[-1]]


def _ascii_only(texts: pa.Array) -> bool:
    """Tell whether every text is ASCII.

    Examples
    --------
    >>> _ascii_only(pa.array(["ab", None])), _ascii_only(pa.array(["ab", "é"]))
    (True, False)
    """
    data = _text_bytes(texts)
    if data is None:
        return pc.all(pc.string_is_ascii(texts)).as_py() is not False
    return not len(data) or int(data.max()) < 0x80


def _may_hold(texts: pa.Array, pair: bytes) -> bool:
    """Tell whether any text may hold the two bytes ``pair`` in a row (False: none does).

    Across the end of one text and the start of the next counts too (then the caller looks
    at each text).

    Examples
    --------
    >>> _may_hold(pa.array(["1,2E+11", "x"]), b"E+"), _may_hold(pa.array(["E", "+"]), b"E+")
    (True, True)
    >>> _may_hold(pa.array(["12", "E", "+3"]).slice(0, 2), b"E+")
    False
    """
    data = _text_bytes(texts)
    if data is None:
        return True
    second = np.flatnonzero(data[1:] == pair[1])  # (a rare byte: few places to look at)
    return bool((data[second] == pair[0]).any())


def _may_be_blank(texts: pa.Array) -> bool:
    """Tell whether any text may be blank: empty, or of whitespace only (False: none is).

    Every whitespace character (``str.isspace``) is a byte of at most 0x20 or starts with a
    byte of 0x80 or more in UTF-8.

    Examples
    --------
    >>> _may_be_blank(pa.array(["a", "b1"])), _may_be_blank(pa.array(["a", ""]))
    (False, True)
    """
    data = _text_bytes(texts)
    if data is None or not len(data):
        return True
    if pc.min(pc.binary_length(texts)).as_py() == 0:
        return True
    return bool((data <= 0x20).any() or (data >= 0x80).any())


def _check_names(
    where: Where, names: Sequence[str], header_row: int, has_data: Callable[[int], bool]
) -> None:
    """Raise for columns with data but no name, and for names used twice (any case)."""
    issues = [
        where.issue(
            f"kolom {_column_letter(i)} heeft geen naam maar bevat wel gegevens",
            "een kolomnaam boven elke kolom met gegevens",
            row=header_row,
        )
        for i, name in enumerate(names)
        if not name and has_data(i)
    ]
    by_name: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name:
            by_name.setdefault(name.casefold(), []).append(i)
    issues += [
        where.issue(
            "deze naam staat in kolom " + " en in kolom ".join(_column_letter(i) for i in found),
            "elke kolomnaam één keer",
            row=header_row,
            column=names[found[0]],
        )
        for found in by_name.values()
        if len(found) > 1
    ]
    if issues:
        raise SurveyError.from_issues(issues)


def _skipped_warnings(skipped: Sequence[int], header_row: int) -> list[str]:
    """Return the warning about rows above the header, if any were skipped."""
    if not skipped:
        return []
    return [
        f"{_rows_text(skipped)} boven de kopregel {'is' if len(skipped) == 1 else 'zijn'} "
        f"overgeslagen; de kopregel is rij {header_row}."
    ]


def _header_position(rows: Sequence[Sequence[Any]]) -> int | None:
    """Find the header among the first non-empty rows; None when all rows are empty.

    The header is the first row of labels (text that is not a number) at least half as wide
    as the widest row: title rows above it hold one or two cells. When the next row holds
    more labels still, the first was a row of group labels above a two-row header and the
    header is the lower row. Without any such row, the first non-empty row is the header.
    """
    first = next((i for i, row in enumerate(rows) if any(not _blank(v) for v in row)), None)
    if first is None:
        return None
    scan = rows[first : first + HEADER_SCAN_ROWS]
    counts = [sum(not _blank(v) for v in row) for row in scan]
    wide_enough = max(2, (max(counts) + 1) // 2)
    labels = [
        count >= 2 and all(_is_label(v) for v in row if not _blank(v))
        for row, count in zip(scan, counts, strict=True)
    ]
    for i, count in enumerate(counts):
        if labels[i] and count >= wide_enough:
            while i + 1 < len(scan) and labels[i + 1] and counts[i + 1] > counts[i]:
                i += 1
            return first + i
    return first


def _skipped_rows(rows: Sequence[tuple[int, Sequence[Any]]]) -> list[int]:
    """Row numbers of non-blank rows above the header (titles, notes, group labels)."""
    return [number for number, cells in rows if any(not _blank(v) for v in cells)]


def _is_label(value: Any) -> bool:
    return isinstance(value, str) and _number(value) is None


def _blank_bytes(content: bytes) -> bool:
    r"""Tell whether an upload holds nothing but ASCII whitespace (``content.strip()`` is empty).

    Examples
    --------
    >>> _blank_bytes(b" \r\n"), _blank_bytes(b""), _blank_bytes(b"a;b")
    (True, True, False)
    """
    return not content or content.isspace()


def _blank(value: Any) -> bool:
    """Tell whether a cell is missing or only whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def _number(value: Any) -> float | None:
    """Parse one cell; NaN for an empty one, None when it is not a number (or ambiguous)."""
    if value is pd.NA:
        return math.nan
    number = upload_numbers.parse_number(value, ",")
    return None if isinstance(number, str) else number


def _cell_text(value: Any) -> str:
    """Turn a header cell into a name: stripped text; a whole number without '.0'."""
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return upload_text.INVISIBLE.sub("", str(value).replace("\x00", "")).strip()


def _ambiguity(value: str) -> str:
    """Say what an ambiguous number can be: ``'1.200'`` → ``kan 1,2 of 1200 zijn``.

    Examples
    --------
    >>> _ambiguity(" 1.234 ")
    'kan 1,234 of 1234 zijn'
    """
    text = value.strip()
    return f"kan {text.replace('.', ',')} of {text.replace('.', '').replace(',', '')} zijn"


def _format(file_name: str) -> str:
    """Pick the reader for a file name; raise a SurveyError listing the accepted extensions."""
    with reraised_as(SurveyError):
        return formats.kind_of(file_name)


def _content_expected(kind: str) -> str:
    if kind == "sav":
        return "per respondent een rij"
    return "een kopregel met kolomnamen en daaronder per respondent een rij"


def _whole_file(where: str, problem: str, expected: str, row: int | None = None) -> SurveyError:
    return SurveyError.from_issues([Issue(where, problem, expected, row=row)])


def _nowhere(where: Where, problem: str, expected: str, row: int | None = None) -> SurveyError:
    return SurveyError.from_issues([where.issue(problem, expected, row=row)])


def _megabytes(size: int) -> str:
    """Size in MB the Dutch way: ``62,5``; whole numbers without decimals."""
    mb = size / (1024 * 1024)
    return f"{mb:.0f}" if mb.is_integer() else f"{mb:.1f}".replace(".", ",")


_column_letter = excel.column_letter


def _range_text(top: int, bottom: int, left: int, right: int) -> str:
    return f"{_column_letter(left - 1)}{top}:{_column_letter(right - 1)}{bottom}"


def _rows_text(rows: Sequence[int]) -> str:
    """``Rij 4``, ``Rij 4, 9 en 12``, or the first few and a count."""
    shown = [str(r) for r in rows[:LISTED_ROWS]]
    if len(rows) > LISTED_ROWS:
        return f"Rij {', '.join(shown)} en nog {len(rows) - LISTED_ROWS}"
    if len(shown) == 1:
        return f"Rij {shown[0]}"
    return f"Rij {', '.join(shown[:-1])} en {shown[-1]}"
