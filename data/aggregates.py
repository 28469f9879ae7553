"""Aggregated tables a gemeente exports from its own monitor: one row per area, percentages."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import numbers as upload_numbers
from analysis.problems import Problem, UploadError
from analysis.survey import long_tables
from analysis.survey.area_keys import normalise_code, normalise_name
from data.uploads import excel, formats, reraised_as
from data.uploads import text as upload_text
from data.uploads.isolated import run_isolated

#: Status of a cell the source left out (``.``, empty, ``-``, ``x``): NaN, never 0.
SUPPRESSED = "onderdrukt in bron"
#: Status of a cell with a figure.
PUBLISHED = ""
#: What sources write for a suppressed or unknown figure (en/em dash: Excel's autocorrect).
SUPPRESSION_MARKS = frozenset({"", ".", "-", "x", "X", "–", "—"})

#: ``scope`` of a summary row split off from the areas.
SCOPE_GEMEENTE = "gemeente"
SCOPE_NEDERLAND = "Nederland"

#: Headers of a column with area codes next to the names ("wijkcode;wijk;…").
CODE_HEADERS = frozenset({"code", "wijkcode", "buurtcode", "gebiedscode", "gwbcode", "regiocode"})

EXCEL_SUFFIXES = formats.EXCEL_SUFFIXES
#: The aggregated-table uploader's accepted extensions (with the advice formats).
UPLOAD_TYPES = formats.uploader_types(("csv", "xlsx"))
#: Header words that make a column a percentage, whose figures must lie between 0 and 100.
_PERCENT_HEADER = re.compile(r"%|\bpercentage\b|\bprocent\b|\baandeel\b", re.IGNORECASE)

# First words of a row about the whole gemeente: "Totaal", "Gemeente Leeuwarden", "Heel
# Leeuwarden", "Stad Utrecht", "Utrecht totaal", "Alle wijken".
_TOTAL_FIRST = frozenset({"totaal", "gemeente", "gemeentetotaal", "gemiddelde"})
_TOTAL_FIRST_WITH_NAME = frozenset({"heel", "hele", "geheel", "stad", "gehele"})
_NOTE_START = re.compile(r"^(bron|toelichting|noot|opmerking|\*|\(|let op)", re.IGNORECASE)
NUMBER_EXPECTED = "verwacht bijv. 12,5 of 12 %, of '.' voor een onderdrukt cijfer"


class AggregateError(UploadError):
    """An aggregated table cannot be read; the message names file, sheet, row and column."""


@dataclass(frozen=True)
class AggregateTable:
    """An aggregated table as read: areas, the gemeente's own total, and notes.

    Attributes
    ----------
    file_name : str
        The file it came from.
    frame : pandas.DataFrame
        Index ``row`` (the row number as a spreadsheet shows it); ``area`` (the text as
        written), ``area_code`` when the file has a code column, then one float column per
        figure with suppressed cells NaN.
    status : pandas.DataFrame
        Same index and figure columns as ``frame``: ``"onderdrukt in bron"`` or ``""``.
    totals : pandas.DataFrame
        Rows about the whole gemeente or Nederland, split off the areas, with the columns of
        ``frame`` plus ``scope`` (``"gemeente"`` / ``"Nederland"``).
    notes : tuple of str
        Title lines above the table and source notes below it ("Bron: …").
    sheet : str or None
        The Excel sheet read.
    warnings : tuple of str
        Dutch notes for the user: the sheet read when there are others, characters removed.
    """

    file_name: str
    frame: pd.DataFrame
    status: pd.DataFrame
    totals: pd.DataFrame
    notes: tuple[str, ...]
    sheet: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def value_columns(self) -> tuple[str, ...]:
        """Return the names of the figure columns."""
        return tuple(self.status.columns)

    def to_long(self) -> pd.DataFrame:
        """Return one row per area and figure: ``row, area, column, value, status``."""
        long = self.frame.reset_index().melt(
            id_vars=["row", "area"],
            value_vars=list(self.value_columns),
            var_name="column",
            value_name="value",
        )
        status = self.status.reset_index().melt(
            id_vars=["row"], var_name="column", value_name="status"
        )
        return long.merge(status, on=["row", "column"], how="left", validate="one_to_one")


def read_aggregates(
    content: bytes,
    file_name: str,
    *,
    gemeente_name: str | None = None,
    sheet: str | None = None,
    isolated: bool = True,
) -> AggregateTable:
    """Read an aggregated table (CSV with ``;``, ``,`` or tab, or an Excel sheet).

    Parameters
    ----------
    content : bytes
        The uploaded file.
    file_name : str
        Its name: used in messages; ``.xlsx``/``.xlsm`` select the Excel reader, ``.csv.gz``
        is unpacked.
    gemeente_name : str, optional
        Name of the gemeente, so a row named just "Leeuwarden" is seen as its total.
    sheet : str, optional
        Excel only: the sheet to read; default the first visible one.
    isolated : bool
        Read in a child process with a memory and time limit (default).

    Returns
    -------
    AggregateTable

    Raises
    ------
    AggregateError
        Naming the file, sheet, row and column of a cell that is not a number, a repeated
        area or a missing header.

    Examples
    --------
    >>> lines = ["Wijk;Eenzaam (%)", "West;41,5", "Oost;.", "Totaal;38"]
    >>> table = read_aggregates(chr(10).join(lines).encode(), "monitor.csv", isolated=False)
    >>> table.frame["Eenzaam (%)"].tolist(), table.totals["area"].tolist()
    ([41.5, nan], ['Totaal'])
    """
    content = bytes(content)
    with reraised_as(AggregateError):
        formats.kind_of(file_name, ("csv", "xlsx"))
    if len(content) > formats.MAX_UPLOAD_BYTES:
        problem = f"het bestand is groter dan {formats.MAX_UPLOAD_MB} MB"
        expected = f"hoogstens {formats.MAX_UPLOAD_MB} MB"
        raise AggregateError.from_issues([Problem(file_name, problem, expected)])
    if not isolated:
        return _read_here(content, file_name, gemeente_name, sheet)
    return run_isolated(
        _read_here,
        content,
        file_name,
        gemeente_name,
        sheet,
        where=file_name,
        error=AggregateError,
    )


def aggregate_sheets(content: bytes, file_name: str) -> list[str]:
    """List the visible sheets of an Excel upload (``[]`` for text files or a broken file)."""
    if formats.kind_of(file_name, ("csv", "xlsx", "sav")) != "xlsx":
        return []
    try:
        states = run_isolated(
            excel.sheet_states, bytes(content), file_name, where=file_name, error=AggregateError
        )
    except UploadError:
        return []  # read_aggregates reports the problem itself
    return [name for name, state in states if state == "visible"]


def _read_here(
    content: bytes, file_name: str, gemeente_name: str | None, sheet: str | None
) -> AggregateTable:
    """Read the table in this process (the child, normally)."""
    with reraised_as(AggregateError):
        kind = formats.kind_of(file_name, ("csv", "xlsx"))
        content = formats.unpack(content, file_name)
        if kind == "xlsx":
            read, states = excel.read_sheet(content, file_name, sheet)
        else:
            records = upload_text.read_records(content, file_name)
    if kind == "xlsx":
        others = [t for t, state in states if state == "visible" and t != read.name]
        rows = [(number, [_excel_cell(c) for c in cells]) for number, cells in read.rows]
        warnings = [
            upload_text.note_text(
                f"{file_name}, tabblad {read.name!r}",
                upload_text.CellNote(kind, row, excel.column_letter(column), count),
            )
            for kind, row, column, count in read.notes
        ]
        if sheet is None and others:
            warnings.insert(
                0,
                f"Het bestand heeft {len(others) + 1} tabbladen; ingelezen is {read.name!r}. "
                "Kies een ander tabblad als de tabel daar staat.",
            )
        try:
            table = _tidy(rows, file_name, read.name, None, gemeente_name)
        except AggregateError as err:
            if sheet is not None or not others:
                raise
            # A cover sheet first: name the sheet read and offer the others.
            hint = ", ".join(repr(t) for t in others)
            raise AggregateError(f"{err}\nKies een ander tabblad: {hint}.", err.issues) from err
        return _with(table, sheet=read.name, warnings=tuple(warnings))
    cells = records.records
    if records.unclosed is not None:
        row, column = records.unclosed
        header = next((r for r in cells if sum(1 for c in r if c.strip()) >= 2), [])
        name = header[column].strip() if column < len(header) else ""
        problem = upload_text.unclosed_problem(file_name, row, name or excel.column_letter(column))
        raise AggregateError.from_issues([problem])
    notes: list[tuple[str, int, int]] = []
    cleaned = [
        [_clean(c, number, j, notes) for j, c in enumerate(row)]
        for number, row in enumerate(cells, start=1)
    ]
    warnings = [upload_text.note_text(file_name, note) for note in _first_notes(notes)]
    table = _tidy(
        list(enumerate(cleaned, start=1)),
        file_name,
        None,
        "," if records.delimiter != "," else None,
        gemeente_name,
    )
    return _with(table, warnings=tuple(warnings))


def tidy_aggregates(
    cells: list[list[object]],
    file_name: str,
    *,
    dutch_numbers: bool = True,
    gemeente_name: str | None = None,
    row_numbers: Sequence[int] | None = None,
) -> AggregateTable:
    """Turn the cells of an aggregated table into an `AggregateTable` (see `read_aggregates`).

    ``dutch_numbers`` reads ``1.234`` as one thousand two hundred thirty-four (``;`` files);
    otherwise a lone ``.`` or ``,`` before three digits is decided by the column, or reported
    (see `analysis.numbers`). ``12,5`` and ``12.5`` are twelve and a half either way.
    ``row_numbers`` gives each row's number in the file (default 1, 2, …).
    """
    numbers = row_numbers if row_numbers is not None else range(1, len(cells) + 1)
    rows = list(zip(numbers, cells, strict=True))
    return _tidy(rows, file_name, None, "," if dutch_numbers else None, gemeente_name)


def _tidy(
    cells: Sequence[tuple[int, Sequence[object]]],
    file_name: str,
    sheet: str | None,
    decimal: str | None,
    gemeente_name: str | None,
) -> AggregateTable:
    """Build the table from numbered rows of cells."""
    place = file_name if sheet is None else f"{file_name}, tabblad {sheet!r}"
    numbered = [(number, [_cell_text(c) for c in row]) for number, row in cells]
    start = next((i for i, (_, r) in enumerate(numbered) if sum(1 for c in r if c) >= 2), None)
    if start is None:
        raise _error(
            Problem(
                file_name,
                "geen tabel gevonden",
                "een kopregel met het gebied en minstens één kolom met cijfers",
                sheet=sheet,
            ),
            f"{place}: geen tabel gevonden (verwacht een kopregel met het gebied en minstens "
            "één kolom met cijfers)",
        )
    notes = [" ".join(c for c in r if c) for _, r in numbered[:start] if any(r)]
    header_number, header = numbered[start]
    if sheet is not None:  # Excel rows end at their last filled cell: the header spans them all
        width = max(len(r) for _, r in numbered[start:])
        header = header + [""] * (width - len(header))
    # A monitor table in long form (gebied; indicator; waarde) is pivoted to one row per area
    # first; the recognition and the pivot are pure (analysis.survey.long_tables, issue 11).
    # The wide rows are numbered after the header (a figure's error names the long row first).
    layout = long_tables.long_layout(header)
    if layout is not None:
        long_body = [(n, r) for n, r in numbered[start + 1 :] if any(r)]
        try:
            header, wide, long_notes = long_tables.pivot_long(header, long_body, layout, place)
        except long_tables.LongTableError as err:
            raise AggregateError(str(err)) from err
        numbered = [
            *numbered[:start],
            (header_number, header),
            *((header_number + i, row) for i, row in enumerate(wide, start=1)),
        ]
        notes += long_notes
    names = _header_names(header, [r for _, r in numbered[start + 1 :]], place, header_number)
    area_cols, value_cols = _split_columns(header, names)
    if not value_cols:
        raise AggregateError(
            f"{place}, rij {header_number}: geen kolom met cijfers naast het gebied "
            "(verwacht bijv. 'Wijk;Eenzaam (%)')"
        )
    body = [
        (number, row + [""] * (len(header) - len(row)))
        for number, row in numbered[start + 1 :]
        if any(row)
    ]
    # Source notes ("Bron: …") have text in the first column and no figures; so do the
    # lines after the last row with a figure.
    with_figures = [i for i, (_, row) in enumerate(body) if any(row[j] for j in value_cols)]
    last = with_figures[-1] if with_figures else -1
    kept: list[tuple[int, list[str]]] = []
    for i, (number, row) in enumerate(body):
        no_figures = not any(row[j] for j in value_cols)
        if no_figures and (i > last or _NOTE_START.match(next(c for c in row if c))):
            notes.append(" ".join(c for c in row if c))
            continue
        kept.append((number, row))
    conventions = {
        j: upload_numbers.column_decimal((row[j] for _, row in kept), decimal) for j in value_cols
    }
    records: list[dict[str, object]] = []
    for number, row in kept:
        extra = [c for c in row[len(header) :] if c]
        if extra:
            raise AggregateError(
                f"{place}, rij {number}: {extra[0]!r} staat buiten de kolommen van de kop"
            )
        record: dict[str, object] = {"row": number, "area": row[area_cols[-1]]}
        if len(area_cols) == 2:
            record["area_code"] = row[area_cols[0]]
            record["area"] = record["area"] or record["area_code"]
        if not record["area"]:
            raise AggregateError(
                f"{place}, rij {number}, kolom {names[area_cols[-1]]!r}: gebied ontbreekt"
            )
        for j in value_cols:
            record[names[j]] = _number(row[j], conventions[j], place, number, names[j])
        records.append(record)
    if not records:
        raise AggregateError(
            f"{place}, rij {header_number}: onder de kopregel staan geen gebieden met cijfers "
            "(verwacht: één rij per wijk of dorp)"
        )
    value_names = [names[i] for i in value_cols]
    return _table(records, value_names, file_name, notes, gemeente_name, place)


def summary_scope(area: str, gemeente_name: str | None = None) -> str | None:
    """Return ``"gemeente"`` or ``"Nederland"`` for a summary row, None for an area.

    Examples
    --------
    >>> [summary_scope(a) for a in ["Totaal", "Heel Leeuwarden", "Nederland", "Heel", "Oost"]]
    ['gemeente', 'gemeente', 'Nederland', None, None]
    >>> summary_scope("Utrecht", gemeente_name="Utrecht")
    'gemeente'
    """
    code = normalise_code(area)
    if code is not None:
        return SCOPE_GEMEENTE if code.startswith("GM") else None
    words = re.findall(r"[^\W_]+", area.casefold())
    if not words:
        return None
    if words in (["nederland"], ["nl"], ["nl00"]):
        return SCOPE_NEDERLAND
    if words[0] in _TOTAL_FIRST or words[-1] == "totaal" or words[:2] == ["alle", "wijken"]:
        return SCOPE_GEMEENTE
    # "Heel" alone is a village (Maasgouw); "Heel Leeuwarden" is the whole gemeente.
    if words[0] in _TOTAL_FIRST_WITH_NAME and len(words) >= 2:
        return SCOPE_GEMEENTE
    if gemeente_name and normalise_name(area) == normalise_name(gemeente_name):
        return SCOPE_GEMEENTE
    return None


def _table(
    records: list[dict[str, object]],
    value_names: list[str],
    file_name: str,
    notes: list[str],
    gemeente_name: str | None,
    place: str | None = None,
) -> AggregateTable:
    """Split summary rows off, check areas are unique, and build the frames."""
    areas: list[dict[str, Any]] = []
    totals: list[dict[str, object]] = []
    for record in records:
        scope = summary_scope(str(record["area"]), gemeente_name)
        if scope is None:
            areas.append(record)
        else:
            totals.append({**record, "scope": scope})
    seen: dict[str, object] = {}
    for record in areas:
        key = normalise_name(record["area"]) + "|" + str(record.get("area_code", ""))
        if key in seen:
            raise AggregateError(
                f"{place or file_name}, rij {record['row']}: gebied {record['area']!r} staat "
                f"ook in rij {seen[key]}; elk gebied mag maar één keer voorkomen"
            )
        seen[key] = record["row"]

    def frame_of(items: list[dict[str, object]], extra: list[str]) -> pd.DataFrame:
        text_cols = ["area", "area_code"] if any("area_code" in r for r in records) else ["area"]
        columns = ["row", *text_cols, *value_names, *extra]
        out = pd.DataFrame(items, columns=columns)
        values = {n: out[n].map(lambda v: v[0]).astype("float64") for n in value_names}
        return out.assign(**values).set_index("row")

    frame = frame_of(areas, [])
    status = pd.DataFrame(
        {n: [r[n][1] for r in areas] for n in value_names},
        index=pd.Index([r["row"] for r in areas], name="row"),
        columns=value_names,
        dtype=object,
    )
    return AggregateTable(
        file_name=file_name,
        frame=frame,
        status=status,
        totals=frame_of(totals, ["scope"]),
        notes=tuple(notes),
    )


def _header_names(
    header: list[str], body: list[list[str]], file_name: str, row_number: int
) -> list[str]:
    """Return the header names; an unnamed column is only allowed when it is empty."""
    names: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        if not name and i > 0 and any(len(r) > i and r[i] for r in body):
            raise AggregateError(
                f"{file_name}, rij {row_number}, kolom {i + 1}: kolomkop ontbreekt "
                "(verwacht de naam van het cijfer, bijv. 'Eenzaam (%)')"
            )
        if name and name in seen:
            raise AggregateError(
                f"{file_name}, rij {row_number}: kolom {name!r} staat twee keer in de kop"
            )
        seen.add(name)
        names.append(name or ("gebied" if i == 0 else ""))
    return names


def _split_columns(header: list[str], names: list[str]) -> tuple[list[int], list[int]]:
    """Return the area column(s) (code, then name when both) and the figure columns."""
    kinds = [re.sub(r"[^a-z]", "", h.casefold()) in CODE_HEADERS for h in header[:2]]
    if len(header) > 2 and kinds[0]:
        area_cols = [0, 1]
    elif len(header) > 2 and kinds[1]:
        area_cols = [1, 0]  # "Wijk;Wijkcode;…": the name first
    else:
        area_cols = [0]
    value_cols = [i for i in range(len(area_cols), len(header)) if names[i]]
    return area_cols, value_cols


def _number(text: str, decimal: str | None, place: str, row: int, column: str) -> tuple[float, str]:
    """Return ``(value, status)`` of one cell: a figure, or NaN with "onderdrukt in bron".

    A percentage column (``%`` in the header or the cell) takes 0 to 100 only; an Excel error
    value or a formula without a saved result is reported, never taken for a suppressed cell.
    """
    if isinstance(text, excel.FormulaWithoutValue):
        raise AggregateError(
            f"{place}, rij {row}, kolom {column!r}: de formule {str(text)!r} heeft geen "
            "opgeslagen uitkomst (verwacht: een getal; open het bestand in Excel of "
            "LibreOffice en sla het op)"
        )
    cleaned = text.replace("\u00a0", " ").strip()
    percent = bool(_PERCENT_HEADER.search(column))
    if cleaned.endswith("%"):
        cleaned, percent = cleaned[:-1].strip(), True  # "12%" and "12 %"
    if cleaned in SUPPRESSION_MARKS:
        return math.nan, SUPPRESSED
    if isinstance(text, excel.ExcelError) or _EXCEL_ERROR.fullmatch(cleaned):
        raise AggregateError(
            f"{place}, rij {row}, kolom {column!r}: {str(text)!r} is geen getal maar een "
            "Excel-foutwaarde, geen onderdrukt cijfer (verwacht: het cijfer, of '.' voor een "
            "onderdrukt cijfer)"
        )
    number = upload_numbers.parse_number(cleaned, decimal)
    if number == upload_numbers.AMBIGUOUS:
        plain = cleaned.replace(".", "").replace(",", "")
        raise AggregateError(
            f"{place}, rij {row}, kolom {column!r}: {text!r} kan {cleaned.replace('.', ',')} "
            f"of {plain} zijn (verwacht: een getal zonder punt of komma tussen de "
            "duizendtallen, bijv. 1200 of 1,2)"
        )
    if isinstance(number, str):
        raise AggregateError(
            f"{place}, rij {row}, kolom {column!r}: {text!r} is geen getal ({NUMBER_EXPECTED})"
        )
    if percent and not 0 <= number <= 100:
        raise AggregateError(
            f"{place}, rij {row}, kolom {column!r}: {text!r} ligt buiten 0 tot 100 % "
            "(verwacht: een percentage tussen 0 en 100)"
        )
    return number, PUBLISHED


_EXCEL_ERROR = re.compile(
    r"#(DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|GETTING_DATA|SPILL!|CALC!)", re.IGNORECASE
)


def _cell_text(cell: object) -> str:
    """Return a cell as stripped text; Excel numbers as ``repr`` (``12.5``), NaN as ``""``.

    Excel's error values and formulas without a result keep their marker type.
    """
    if isinstance(cell, excel.ExcelError | excel.FormulaWithoutValue):
        return cell
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, float):
        return repr(cell)
    return str(cell).strip()


def _excel_cell(cell: object) -> object:
    """Turn a percent-formatted Excel number into the percentage it shows (0.3 → 30)."""
    if isinstance(cell, excel.PercentCell):
        return float(round(float(cell) * 100, 10))
    return cell


def _clean(cell: str, row: int, column: int, notes: list) -> str:
    """Remove NUL and invisible characters from a text cell, noting where (see `_first_notes`)."""
    cleaned, kinds = upload_text.clean_cell(cell)
    notes.extend((kind, row, column) for kind in kinds)
    return cleaned


def _first_notes(notes: list[tuple[str, int, int]]) -> list[upload_text.CellNote]:
    """Return one note per kind: its first place (column by letter) and how many cells."""
    out: dict[str, upload_text.CellNote] = {}
    for kind, row, column in notes:
        first = out.get(kind)
        count = 1 if first is None else first.count + 1
        at = (row, excel.column_letter(column)) if first is None else (first.row, first.column)
        out[kind] = upload_text.CellNote(kind, at[0], at[1], count)
    return list(out.values())


def _with(table: AggregateTable, **changes: object) -> AggregateTable:
    from dataclasses import replace

    return replace(table, **changes)  # type: ignore[arg-type]


def _error(problem: Problem, message: str) -> AggregateError:
    return AggregateError(message, [problem])
