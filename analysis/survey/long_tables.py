"""Aggregated monitor tables in long form: recognise them and pivot them to one row per area.

Monitors export figures as one row per area and indicator (``gebied; thema; indicator;
waarde; n``). `data.aggregates` reads tables with one row per area and a column per figure;
`long_layout` recognises the long form from its header and `pivot_long` turns it into that
wide form, keeping the source's own indicator labels. Cells stay text: the reader parses the
numbers as it does for any table, and a cell that is no number is reported here, in the long
form, on its own row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LongLayout", "LongTableError", "long_layout", "pivot_long"]

#: Header words per role (compared after lower-casing and dropping accents and punctuation).
AREA_HEADERS = frozenset(
    {"gebied", "gebiedsnaam", "wijk", "wijknaam", "buurt", "buurtnaam", "dorp", "kern",
     "regio", "regionaam", "area", "naam"}
)  # fmt: skip
INDICATOR_HEADERS = frozenset(
    {"indicator", "indicatornaam", "onderwerp", "variabele", "kenmerk", "vraag", "item",
     "omschrijving"}
)  # fmt: skip
VALUE_HEADERS = frozenset(
    {"waarde", "percentage", "value", "score", "cijfer", "uitkomst", "resultaat", "pct"}
)
THEME_HEADERS = frozenset({"thema", "domein", "categorie", "hoofdstuk"})
COUNT_HEADERS = frozenset({"n", "aantal", "aantalrespondenten", "respondenten", "basis"})
SIGNIFICANCE_HEADERS = frozenset({"significantie", "sig", "significant", "verschil"})

#: Text that stands for a figure the source left out (as `data.aggregates` reads it).
_MARKS = frozenset({"", ".", "-", "x", "–", "—"})
_NUMBER = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+([.,]\d+)?|[.,]\d+)\s*%?")


class LongTableError(ValueError):
    """A long-form table cannot be pivoted; the message names file, row and column."""


@dataclass(frozen=True)
class LongLayout:
    """Which column of a long-form table holds what (0-based positions in the header)."""

    area: int
    indicator: int
    value: int
    theme: int | None = None
    count: int | None = None
    significance: int | None = None


def _key(text: str) -> str:
    """Return a header as a comparison key: lower case, ASCII letters and digits only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.casefold())


def long_layout(header: Sequence[str]) -> LongLayout | None:
    """Return the layout of a long-form header, or None when the table is not in long form.

    A header is long-form when it names an area, an indicator and a value column.

    Examples
    --------
    >>> long_layout(["Gebied", "Thema", "Indicator", "Waarde", "n"])
    LongLayout(area=0, indicator=2, value=3, theme=1, count=4, significance=None)
    >>> long_layout(["Wijk", "Eenzaam (%)", "Rondkomen (%)"]) is None
    True
    """
    roles: dict[str, int] = {}
    for position, name in enumerate(header):
        key = _key(name)
        for role, words in (
            ("area", AREA_HEADERS),
            ("indicator", INDICATOR_HEADERS),
            ("value", VALUE_HEADERS),
            ("theme", THEME_HEADERS),
            ("count", COUNT_HEADERS),
            ("significance", SIGNIFICANCE_HEADERS),
        ):
            if key in words and role not in roles:
                roles[role] = position
                break
    if not {"area", "indicator", "value"} <= set(roles):
        return None
    return LongLayout(**roles)


def pivot_long(
    header: Sequence[str],
    body: Sequence[tuple[int, Sequence[str]]],
    layout: LongLayout,
    file_name: str,
) -> tuple[list[str], list[list[str]], list[str]]:
    """Pivot a long-form table to one row per area and one column per indicator.

    Parameters
    ----------
    header : sequence of str
        The long table's header.
    body : sequence of (int, sequence of str)
        Its rows as text cells, each with its row number in the file.
    layout : LongLayout
        From `long_layout`.
    file_name : str
        Named in messages.

    Returns
    -------
    (list of str, list of list of str, list of str)
        The wide header (area, then each indicator label as the source writes it, prefixed
        with its theme when the same label occurs under two themes), the wide rows (areas in
        order of first appearance; a figure the source left out stays empty) and notes
        (which themes hold which indicators).

    Raises
    ------
    LongTableError
        When an area has two values for one indicator, or a value is no number, naming the
        file's row and column.

    Examples
    --------
    >>> header = ["gebied", "indicator", "waarde"]
    >>> body = [(2, ["Oost", "Eenzaam (%)", "41,2"]), (3, ["West", "Eenzaam (%)", "-"]),
    ...         (4, ["Oost", "Rondkomen (%)", "12"])]
    >>> wide, rows, _ = pivot_long(header, body, long_layout(header), "m.csv")
    >>> wide, rows
    (['gebied', 'Eenzaam (%)', 'Rondkomen (%)'], [['Oost', '41,2', '12'], ['West', '-', '']])
    """

    def cell(row: Sequence[str], position: int | None) -> str:
        if position is None or position >= len(row):
            return ""
        return row[position].strip()

    themes_of: dict[str, list[str]] = {}
    for _, row in body:
        label, theme = cell(row, layout.indicator), cell(row, layout.theme)
        if label and theme not in themes_of.setdefault(label, []):
            themes_of[label].append(theme)
    value_name = header[layout.value]
    columns: list[str] = []
    areas: dict[str, dict[str, tuple[str, int]]] = {}
    source_notes: list[str] = []
    for number, row in body:
        area, label = cell(row, layout.area), cell(row, layout.indicator)
        if not area and not label:
            continue
        if not label and not cell(row, layout.value):  # "Bron: …" under the table
            source_notes.append(" ".join(c.strip() for c in row if c.strip()))
            continue
        if not area or not label:
            missing = header[layout.area] if not area else header[layout.indicator]
            raise LongTableError(f"{file_name}, rij {number}, kolom {missing!r}: leeg")
        theme = cell(row, layout.theme)
        column = f"{theme}: {label}" if len(themes_of[label]) > 1 and theme else label
        value = cell(row, layout.value)
        if value not in _MARKS and value.casefold() != "x" and not _NUMBER.fullmatch(value):
            raise LongTableError(
                f"{file_name}, rij {number}, kolom {value_name!r}: {value!r} is geen getal "
                "(verwacht bijv. 41,2; of leeg, '.', '-' of 'x' als de bron het cijfer weglaat)"
            )
        if column not in columns:
            columns.append(column)
        figures = areas.setdefault(area, {})
        if column in figures:
            raise LongTableError(
                f"{file_name}, rij {number}: {area!r} heeft al een waarde voor {column!r} in "
                f"rij {figures[column][1]}; één waarde per gebied en indicator"
            )
        figures[column] = (value.rstrip("%").strip(), number)
    wide_rows = [
        [area, *(figures.get(c, ("", 0))[0] for c in columns)] for area, figures in areas.items()
    ]
    notes = []
    if layout.theme is not None:
        by_theme: dict[str, list[str]] = {}
        for label, themes in themes_of.items():
            for theme in themes:
                if theme:
                    by_theme.setdefault(theme, []).append(label)
        notes = [f"Thema {theme}: {', '.join(labels)}" for theme, labels in by_theme.items()]
    return [header[layout.area], *columns], wide_rows, notes + source_notes
