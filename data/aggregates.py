"""Aggregated tables a gemeente exports from its own monitor: one row per area, percentages."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import pandas as pd

from analysis.survey.area_keys import normalise_code, normalise_name

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

EXCEL_SUFFIXES = (".xlsx", ".xlsm")

# First words of a row about the whole gemeente: "Totaal", "Gemeente Leeuwarden", "Heel
# Leeuwarden", "Stad Utrecht", "Utrecht totaal", "Alle wijken".
_TOTAL_FIRST = frozenset({"totaal", "gemeente", "gemeentetotaal", "gemiddelde"})
_TOTAL_FIRST_WITH_NAME = frozenset({"heel", "hele", "geheel", "stad", "gehele"})
_NOTE_START = re.compile(r"^(bron|toelichting|noot|opmerking|\*|\(|let op)", re.IGNORECASE)
_DUTCH_NUMBER = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?|[+-]?\d+(,\d+)?")
_POINT_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class AggregateError(ValueError):
    """An aggregated table cannot be read; the message names file, row and column."""


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
    """

    file_name: str
    frame: pd.DataFrame
    status: pd.DataFrame
    totals: pd.DataFrame
    notes: tuple[str, ...]

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
    content: bytes, file_name: str, *, gemeente_name: str | None = None
) -> AggregateTable:
    """Read an aggregated table (CSV with ``;``, ``,`` or tab, or an Excel sheet).

    Parameters
    ----------
    content : bytes
        The uploaded file.
    file_name : str
        Its name: used in messages, and ``.xlsx`` selects the Excel reader.
    gemeente_name : str, optional
        Name of the gemeente, so a row named just "Leeuwarden" is seen as its total.

    Returns
    -------
    AggregateTable

    Raises
    ------
    AggregateError
        Naming the file, row and column of a cell that is not a number, a repeated area or
        a missing header.

    Examples
    --------
    >>> lines = ["Wijk;Eenzaam (%)", "West;41,5", "Oost;.", "Totaal;38"]
    >>> table = read_aggregates(chr(10).join(lines).encode(), "monitor.csv")
    >>> table.frame["Eenzaam (%)"].tolist(), table.totals["area"].tolist()
    ([41.5, nan], ['Totaal'])
    """
    if PurePath(file_name).suffix.lower() in EXCEL_SUFFIXES:
        cells = _excel_cells(content, file_name)
        dutch = False  # Excel stores numbers, not text: "1.234" is not a Dutch thousand
    else:
        text = _decode(content)
        delimiter = _delimiter(text)
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            cells = [list(r) for r in reader]
        except csv.Error as err:  # e.g. a quote that is never closed
            raise AggregateError(
                f"{file_name}, rij {reader.line_num}: geen leesbare CSV-regel ({err})"
            ) from err
        dutch = delimiter != ","
    return tidy_aggregates(cells, file_name, dutch_numbers=dutch, gemeente_name=gemeente_name)


def tidy_aggregates(
    cells: list[list[object]],
    file_name: str,
    *,
    dutch_numbers: bool = True,
    gemeente_name: str | None = None,
) -> AggregateTable:
    """Turn the cells of an aggregated table into an `AggregateTable` (see `read_aggregates`).

    ``dutch_numbers`` reads ``1.234`` as one thousand two hundred thirty-four (``;`` files);
    ``12,5`` and ``12.5`` are read as twelve and a half either way.
    """
    rows = [[_cell_text(c) for c in row] for row in cells]
    start = next((i for i, r in enumerate(rows) if sum(1 for c in r if c) >= 2), None)
    if start is None:
        raise AggregateError(
            f"{file_name}: geen tabel gevonden (verwacht een kopregel met het gebied en "
            "minstens één kolom met cijfers)"
        )
    notes = [" ".join(c for c in r if c) for r in rows[:start] if any(r)]
    header = rows[start]
    names = _header_names(header, rows[start + 1 :], file_name, start + 1)
    area_cols, value_cols = _split_columns(header, names)
    if not value_cols:
        raise AggregateError(
            f"{file_name}, rij {start + 1}: geen kolom met cijfers naast het gebied "
            "(verwacht bijv. 'Wijk;Eenzaam (%)')"
        )
    body = [
        (number, row + [""] * (len(header) - len(row)))
        for number, row in enumerate(rows[start + 1 :], start=start + 2)
        if any(row)
    ]
    # Source notes ("Bron: …") have text in the first column and no figures; so do the
    # lines after the last row with a figure.
    with_figures = [i for i, (_, row) in enumerate(body) if any(row[j] for j in value_cols)]
    last = with_figures[-1] if with_figures else -1
    records: list[dict[str, object]] = []
    for i, (number, row) in enumerate(body):
        no_figures = not any(row[j] for j in value_cols)
        if no_figures and (i > last or _NOTE_START.match(next(c for c in row if c))):
            notes.append(" ".join(c for c in row if c))
            continue
        extra = [c for c in row[len(header) :] if c]
        if extra:
            raise AggregateError(
                f"{file_name}, rij {number}: {extra[0]!r} staat buiten de kolommen van de kop"
            )
        record: dict[str, object] = {"row": number, "area": row[area_cols[-1]]}
        if len(area_cols) == 2:
            record["area_code"] = row[area_cols[0]]
            record["area"] = record["area"] or record["area_code"]
        if not record["area"]:
            raise AggregateError(
                f"{file_name}, rij {number}, kolom {names[area_cols[-1]]!r}: gebied ontbreekt"
            )
        for j in value_cols:
            record[names[j]] = _number(row[j], dutch_numbers, file_name, number, names[j])
        records.append(record)
    if not records:
        raise AggregateError(
            f"{file_name}, rij {start + 1}: onder de kopregel staan geen gebieden met cijfers "
            "(verwacht: één rij per wijk of dorp)"
        )
    return _table(records, [names[i] for i in value_cols], file_name, notes, gemeente_name)


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
                f"{file_name}, rij {record['row']}: gebied {record['area']!r} staat ook in "
                f"rij {seen[key]}; elk gebied mag maar één keer voorkomen"
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


def _number(text: str, dutch: bool, file_name: str, row: int, column: str) -> tuple[float, str]:
    """Return ``(value, status)`` of one cell: a figure, or NaN with "onderdrukt in bron"."""
    cleaned = text.replace("\u00a0", " ").strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()  # "12%" and "12 %": the header says it is a percentage
    if cleaned in SUPPRESSION_MARKS:
        return math.nan, SUPPRESSED
    if "," in cleaned or (dutch and _DUTCH_NUMBER.fullmatch(cleaned)):
        if _DUTCH_NUMBER.fullmatch(cleaned):
            return float(cleaned.replace(".", "").replace(",", ".")), PUBLISHED
    elif _POINT_NUMBER.fullmatch(cleaned):
        return float(cleaned), PUBLISHED
    raise AggregateError(
        f"{file_name}, rij {row}, kolom {column!r}: {text!r} is geen getal "
        "(verwacht bijv. 12,5 of 12 %, of '.' voor een onderdrukt cijfer)"
    )


def _cell_text(cell: object) -> str:
    """Return a cell as stripped text; Excel numbers as ``repr`` (``12.5``), NaN as ``""``."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, float):
        return repr(cell)
    return str(cell).strip()


def _decode(content: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else Windows-1252 (Excel's Dutch CSV)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """Return the separator: ``;`` when any line has one (decimal commas make ``,`` unsafe)."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if any(";" in line for line in lines):
        return ";"
    if any("\t" in line for line in lines):
        return "\t"
    return ","


def _excel_cells(content: bytes, file_name: str) -> list[list[object]]:
    """Return the cells of the first sheet of an Excel file."""
    try:
        raw = pd.read_excel(io.BytesIO(content), header=None, dtype=object)
    except Exception as err:  # openpyxl raises many types for a damaged file
        raise AggregateError(
            f"{file_name}: geen leesbaar Excel-bestand (verwacht: een .xlsx uit Excel of "
            "LibreOffice; een CSV-bestand moet op .csv eindigen)"
        ) from err
    return raw.to_numpy().tolist()
