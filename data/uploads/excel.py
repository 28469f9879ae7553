"""One sheet of an .xlsx/.xlsm streamed, sized by its real content, with Excel's odd cells marked.

openpyxl's normal mode builds every cell of the sheet's *declared* range: one stray cell in
XFD1048576 makes 17 billion cells (issue 13). Here the sheet's XML is streamed row by row with
openpyxl's own row parser; only filled cells are kept, each row up to its last filled cell, and
reading stops with a Dutch message once rows × columns pass `MAX_CELLS`. Cells that would
otherwise be silently wrong are marked by type:

* `ExcelError` — ``#DIV/0!``, ``#N/A``, … (text, so a number check reports it);
* `PercentCell` — a number Excel shows as a percentage (0.3 shown as 30 %);
* `FormulaWithoutValue` — a formula whose result was never saved (files written by scripts):
  reading it as empty would turn 800 answers into n = 0.
"""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from analysis.problems import Problem, UploadError
from data.uploads.text import clean_cell

#: Most cells (rows × columns up to the last filled cell of each row) read from one sheet:
#: 100 000 respondents of 50 columns. openpyxl parses about 100 000 cells a second, so this
#: is also what fits in the child's time limit. A sheet past it is refused with this figure.
MAX_CELLS = 5_000_000
EXCEL_EXPECTED = "een .xlsx-bestand uit Excel"


class ExcelError(str):
    """An Excel error value such as ``#DIV/0!`` or ``#N/A`` (not a suppressed figure)."""


class PercentCell(float):
    """A number Excel shows as a percentage: the value 0.3 is shown as 30 %."""


class FormulaWithoutValue(str):
    """The formula text of a cell whose result was never saved in the file."""


@dataclass
class Sheet:
    """The filled cells of one sheet.

    ``rows`` holds ``(row number, cells)`` for every row with a filled cell, the cells from
    column A up to the row's last filled one (None between). ``merged`` holds (top, bottom,
    left, right), 1-based. ``notes`` holds (kind, row, 0-based column, count) of cells whose
    NUL or invisible characters were removed or that were cut (see `data.uploads.text`).
    """

    name: str
    state: str
    rows: list[tuple[int, list[Any]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    notes: list[tuple[str, int, int, int]] = field(default_factory=list)


def open_workbook(content: bytes, where: str) -> Any:
    """Open an .xlsx from bytes in openpyxl's streaming mode; any failure is a Dutch error."""
    # Imported on first use: ~0,2–0,35 s that no page needs before an upload (issue #14).
    import openpyxl

    if content.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container, not a zip
        problem = "het bestand is met een wachtwoord beveiligd of is een oud .xls-bestand"
        raise UploadError.from_issues(
            [Problem(where, problem, "een .xlsx-bestand zonder wachtwoord")]
        )
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    # openpyxl fails on a damaged file with many types (BadZipFile, KeyError, XML errors...).
    except Exception as err:
        problem = "het bestand is geen leesbaar Excel-bestand"
        raise UploadError.from_issues([Problem(where, problem, EXCEL_EXPECTED)]) from err


def sheet_states(content: bytes, where: str) -> list[tuple[str, str]]:
    """Return (name, state) of every sheet; state is visible, hidden or veryHidden."""
    workbook = open_workbook(content, where)
    try:
        return [(ws.title, ws.sheet_state) for ws in workbook.worksheets]
    finally:
        workbook.close()


def read_sheet(
    content: bytes, where: str, sheet: str | None = None, *, max_cells: int = MAX_CELLS
) -> tuple[Sheet, list[tuple[str, str]]]:
    """Read one sheet (default: the first visible one); return it and every sheet's state.

    Raises
    ------
    UploadError
        For a file that is no workbook, a sheet that does not exist, or a sheet over
        ``max_cells`` (naming the limit and the row where it was passed).
    """
    workbook = open_workbook(content, where)
    try:
        states = [(ws.title, ws.sheet_state) for ws in workbook.worksheets]
        titles = [t for t, _ in states]
        visible = [t for t, s in states if s == "visible"]
        if not titles:
            raise UploadError.from_issues(
                [Problem(where, "het bestand heeft geen tabbladen", EXCEL_EXPECTED)]
            )
        chosen = sheet or (visible or titles)[0]
        if chosen not in titles:
            names = ", ".join(repr(t) for t in titles)
            raise UploadError.from_issues(
                [Problem(where, f"tabblad {chosen!r} bestaat niet", f"een van {names}")]
            )
        worksheet = workbook[chosen]
        try:
            result = _stream(workbook, worksheet, where, chosen, max_cells)
        except UploadError:
            raise
        except (zipfile.BadZipFile, KeyError, ValueError, IndexError, SyntaxError) as err:
            problem = "het tabblad is niet te lezen (het bestand is beschadigd)"
            raise UploadError.from_issues(
                [Problem(where, problem, EXCEL_EXPECTED, sheet=chosen)]
            ) from err
        result.state = dict(states)[chosen]
        return result, states
    finally:
        workbook.close()


def _percent_styles(workbook: Any) -> set[int]:
    """Return the style ids whose number format shows a percentage."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    custom = list(getattr(workbook, "_number_formats", []))
    out = set()
    for index, style in enumerate(getattr(workbook, "_cell_styles", [])):
        fmt_id = style.numFmtId
        if fmt_id >= BUILTIN_FORMATS_MAX_SIZE and fmt_id - BUILTIN_FORMATS_MAX_SIZE < len(custom):
            code = custom[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
        else:
            code = BUILTIN_FORMATS.get(fmt_id, "")
        if "%" in code.replace('"%"', "").replace("\\%", ""):
            out.add(index)
    return out


@functools.cache
def _parser_class() -> type:
    """Return openpyxl's row parser, marking error values, percentages and formulas without result.

    Made on first use, so importing this module does not import openpyxl.
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):
        """openpyxl's row parser, marking error values, percentages and formulas without result."""

        percent_styles: set[int] = set()

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            value = cell["value"]
            if value is None:
                formula = element.find(FORMULA_TAG)
                saved = element.find(VALUE_TAG)
                # Excel saves an empty text result as t="str" with an empty <v>; an empty <v>
                # otherwise (openpyxl, scripts) or none at all means no result was saved.
                no_result = saved is None or (not saved.text and element.get("t") != "str")
                if formula is not None and no_result:
                    cell["value"] = FormulaWithoutValue("=" + (formula.text or ""))
            elif cell["data_type"] == "e":
                cell["value"] = ExcelError(value)
            elif (
                cell["data_type"] == "n"
                and cell["style_id"] in self.percent_styles
                and isinstance(value, int | float)
            ):
                cell["value"] = PercentCell(value)
            return cell

    return _Parser


def _stream(workbook: Any, worksheet: Any, where: str, name: str, max_cells: int) -> Sheet:
    """Stream the sheet's XML; keep filled cells only; stop past ``max_cells``."""
    rows: list[tuple[int, list[Any]]] = []
    notes: dict[str, list[Any]] = {}
    used = 0
    with worksheet._get_source() as source:
        parser = _parser_class()(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        parser.percent_styles = _percent_styles(workbook)
        for number, cells in parser.parse():
            filled = {}
            for cell in cells:
                value = cell["value"]
                if value is None or value == "":
                    continue
                if isinstance(value, str) and not isinstance(value, ExcelError):
                    cleaned, kinds = clean_cell(value)
                    for kind in kinds:
                        if kind in notes:
                            notes[kind][3] += 1
                        else:
                            notes[kind] = [kind, number, cell["column"] - 1, 1]
                    if cleaned != value:
                        value = type(value)(cleaned) if type(value) is not str else cleaned
                filled[cell["column"]] = value
            if not filled:
                continue
            width = max(filled)
            used += width
            if used > max_cells:
                limit = f"{max_cells:,}".replace(",", ".")
                problem = (
                    f"het tabblad is te groot om in te lezen: tot en met rij {number} al meer "
                    f"dan {limit} cellen (rijen × kolommen tot de laatste gevulde cel)"
                )
                expected = (
                    f"hoogstens {limit} cellen; staat er iets in een cel ver buiten de tabel, "
                    "maak die cel leeg"
                )
                raise UploadError.from_issues([Problem(where, problem, expected, sheet=name)])
            row = [None] * width
            for column, value in filled.items():
                row[column - 1] = value
            rows.append((number, row))
        merged = [
            (r.min_row, r.max_row, r.min_col, r.max_col)
            for r in (parser.merged_cells.mergeCell if parser.merged_cells is not None else [])
            for r in [_bounds(r.ref)]
        ]
        hidden = {
            int(index)
            for index, attrs in parser.row_dimensions.items()
            if attrs.get("hidden") in ("1", "true")
        }
    return Sheet(
        name=name,
        state="visible",
        rows=rows,
        merged=merged,
        hidden_rows=hidden,
        notes=[(n[0], n[1], n[2], n[3]) for n in notes.values()],
    )


@dataclass(frozen=True)
class _Range:
    min_row: int
    max_row: int
    min_col: int
    max_col: int


def _bounds(ref: str) -> _Range:
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return _Range(min_row, max_row, min_col, max_col)


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column: 0 → A, 26 → AA.

    Examples
    --------
    >>> column_letter(0), column_letter(26), column_letter(16383)
    ('A', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
