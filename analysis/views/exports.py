"""Downloads: CSV and Excel as the screen shows them, and a one-page PDF wijkprofiel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.catalogue import (
    FICTITIOUS,
    KIND_LABELS,
    MODEL_ESTIMATE,
    REGISTRATION,
    SURVEY_KINDS,
    Catalogue,
)
from analysis.figure import is_fictitious, marked
from analysis.format import fmt_date, fmt_value
from analysis.indicators import ALL_AGES
from analysis.text import COLUMN_LABELS, UNIT_COLUMNS, join_nl

#: A text cell starting with one of these is a formula to Excel or LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Columns whose numbers are counts of respondents: always whole numbers.
COUNT_COLUMNS = ("n", "n_eff")

#: Columns that are whole numbers by nature (years), never rounded as a value.
YEAR_COLUMNS = ("period", "indeling", "nederland_period")

#: Internal columns the exports leave out (``line`` is the trend chart's line id).
HIDDEN_COLUMNS = ("decimals", "line")

#: Status of a survey figure that must not be shown.
SUPPRESSED = "onderdrukt"

#: Said in every export, so a reader knows how to read the numbers.
ROUNDING_NOTE = (
    "Getallen zijn afgerond zoals op het scherm. Een onderdrukt enquêtecijfer is leeg; de "
    "reden staat ernaast. Een leeg cijfer zonder reden is niet gepubliceerd (geen nul)."
)

#: Said on the PDF: figures per wijk open a conversation, they do not close it.
PDF_FOOTER = "Cijfers per wijk zijn een begin van het gesprek, geen oordeel over de wijk."

#: Characters outside Windows-1252 (the PDF core fonts) and their plain stand-ins.
PDF_REPLACEMENTS = {"≥": ">=", "≤": "<=", "−": "-", "\u2009": " ", "\u202f": "\u00a0"}

#: Font sizes the PDF tries, largest first, until the profile fits on one page.
PDF_FONT_SIZES = (9.0, 8.0, 7.0, 6.5)


@dataclass(frozen=True)
class IndicatorNote:
    """What an export says about one indicator: definition, unit, kind and source."""

    indicator: str
    label: str
    definition: str
    unit: str
    decimals: int
    kind: str
    source: str
    credit: str
    table_id: str
    years: str
    licence: str


@dataclass(frozen=True)
class ExportMeta:
    """Everything an export states besides the numbers, built by `export_meta`."""

    title: str
    built_on: str
    notes: tuple[IndicatorNote, ...]
    suppression_rule: str = ""
    margin_rule: str = ""
    column_labels: Mapping[str, str] = field(default_factory=dict)
    source_names: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        """Return the one unit of every figure in the export, or "" when they differ."""
        units = {n.unit for n in self.notes}
        return units.pop() if len(units) == 1 else ""

    def decimals(self, indicator_id: str) -> int | None:
        """Return the catalogue decimals of an indicator in this export, or None."""
        for note in self.notes:
            if note.indicator == indicator_id:
                return note.decimals
        return None


def _is_missing(value: object) -> bool:
    """Return whether a cell is None, NaN or pandas' NA (a string never is)."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def export_meta(
    catalogue: Catalogue,
    table: pd.DataFrame,
    *,
    title: str,
    built_on: str | dt.date,
    suppression_rule: str = "",
    margin_rule: str = "",
    column_labels: Mapping[str, str] | None = None,
) -> ExportMeta:
    """Collect from the catalogue what an export must say about the indicators of a table.

    Parameters
    ----------
    catalogue : Catalogue
    table : pandas.DataFrame
        Any table with an ``indicator`` column, optionally ``source`` and ``period``.
    title : str
        Title of the export (shown in the "toelichting" sheet and the PDF).
    built_on : str or datetime.date
        Build date of the snapshot (``manifest["built_on"]``, ISO) or a date.
    suppression_rule : str
        The small-number rule of the survey figures, in words; required when the table holds
        survey figures.
    margin_rule : str
        The rule for "hoger"/"lager" (`analysis.views.profile.MARGIN_RULE` for a profile).
    column_labels : mapping, optional
        Headers that replace the defaults, e.g. ``{"value": "Vrijheidswijk"}``.

    Returns
    -------
    ExportMeta

    Raises
    ------
    ValueError
        When the table holds survey figures but no suppression rule is given.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> table = pd.DataFrame({"indicator": ["eenzaam"], "source": ["50090NED"], "period": [2020]})
    >>> meta = export_meta(load_catalogue(), table, title="Profiel", built_on="2026-11-24")
    >>> meta.built_on, meta.notes[0].table_id, meta.notes[0].years
    ('24 november 2026', '50090NED', '2020')
    """
    # One note per (indicator, source) in order of first appearance, with every year of the
    # group. Plain lists, not a groupby: this runs on every rerun of a page with a download.
    n_rows = len(table)
    indicator_col = table["indicator"].tolist()
    source_col = table["source"].tolist() if "source" in table.columns else [None] * n_rows
    period_col = table["period"].tolist() if "period" in table.columns else [None] * n_rows
    groups: dict[tuple[str, str | None], tuple[object, object, set[int]]] = {}
    for iid, sid, period in zip(indicator_col, source_col, period_col, strict=True):
        key = (str(iid), None if _is_missing(sid) else str(sid))
        if key not in groups:
            groups[key] = (iid, sid, set())
        if not _is_missing(period):
            groups[key][2].add(int(period))
    notes = []
    for iid, sid, periods in groups.values():
        ind = catalogue.indicator(str(iid))
        source_id = "" if _is_missing(sid) else str(sid)
        source = catalogue.sources.get(source_id)
        years = ""
        if "period" in table.columns:
            years = join_nl(str(p) for p in sorted(periods))
        notes.append(
            IndicatorNote(
                indicator=ind.id,
                label=ind.label,
                definition=ind.definition,
                unit=ind.unit,
                decimals=ind.decimals,
                kind=KIND_LABELS[ind.kind],
                source=source.title if source else "Eigen enquête van de gemeente",
                credit=source.credit if source else "",
                table_id=source.table_id if source else "",
                years=years,
                licence=source.licence if source else "",
            )
        )
    survey = [n for n in notes if n.kind in {KIND_LABELS[k] for k in SURVEY_KINDS}]
    if survey and not suppression_rule:
        raise ValueError(
            f"De export bevat enquêtecijfers ({survey[0].label}) maar geen regel voor kleine "
            "aantallen; geef suppression_rule mee"
        )
    sources = {}
    for sid in dict.fromkeys(str(s) for s in source_col if not _is_missing(s)):
        if sid in catalogue.sources:
            sources[sid] = source_name(catalogue, sid)
    indicators = [
        catalogue.indicator(i)
        for i in dict.fromkeys(str(i) for i in indicator_col if not _is_missing(i))
    ]
    return ExportMeta(
        title=marked(title, FICTITIOUS)
        if any(is_fictitious(i.kind) for i in indicators)
        else title,
        built_on=_date_text(built_on),
        notes=tuple(notes),
        suppression_rule=suppression_rule,
        margin_rule=margin_rule,
        column_labels=dict(column_labels or {}),
        source_names=sources,
        kinds={i.id: i.kind for i in indicators},
        labels={i.id: i.label for i in indicators},
    )


def source_name(catalogue: Catalogue, source_id: str) -> str:
    """Return a source as a stranger reads it: publisher, title and table.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> source_name(load_catalogue(), "86165NED")
    'Kerncijfers wijken en buurten 2025 — CBS, 86165NED'
    """
    source = catalogue.source(source_id)
    return f"{source.title} — {source.publisher}, {source.table_id}"


def neutralise(text: str) -> str:
    """Make a text cell safe from formula injection: prefix ``'`` when it starts like a formula.

    Examples
    --------
    >>> neutralise("=SUM(A1)"), neutralise("-1"), neutralise("Oud-Oost")
    ("'=SUM(A1)", "'-1", 'Oud-Oost')
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def screen_table(frame: pd.DataFrame, meta: ExportMeta) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the table as the screen shows it, with the decimals of every number cell.

    Numbers are rounded to their indicator's catalogue decimals (the ``decimals`` column, or
    the indicator's note in ``meta``); counts of respondents to whole numbers. In a row whose
    ``status`` is "onderdrukt" every number except the counts is emptied, so the hidden figure
    can never leak through an export. Internal columns (`HIDDEN_COLUMNS`) are dropped.

    Returns
    -------
    tuple of pandas.DataFrame
        The rounded table (original column names) and, with the same shape, the decimals per
        number cell (``-1`` for text cells).

    Examples
    --------
    >>> frame = pd.DataFrame({"indicator": ["x", "x"], "decimals": [1, 1],
    ...     "value": [52.46, 48.0], "n": [120.0, 7.0], "status": ["", "onderdrukt"]})
    >>> meta = ExportMeta(title="t", built_on="vandaag", notes=())
    >>> shown, decimals = screen_table(frame, meta)
    >>> shown["value"].tolist(), shown["n"].tolist(), decimals["value"].tolist()
    ([52.5, nan], [120.0, 7.0], [1, 1])
    """
    if "decimals" in frame.columns:
        row_decimals = frame["decimals"].astype("int64")
    elif "indicator" in frame.columns:
        row_decimals = frame["indicator"].map(lambda i: meta.decimals(str(i)))
        row_decimals = row_decimals.fillna(2).astype("int64")
    else:
        row_decimals = pd.Series(2, index=frame.index)
    suppressed = (
        frame["status"].astype("str") == SUPPRESSED
        if "status" in frame.columns
        else pd.Series(False, index=frame.index)
    )
    shown = _described(frame.drop(columns=[c for c in HIDDEN_COLUMNS if c in frame.columns]), meta)
    decimals = pd.DataFrame(-1, index=shown.index, columns=shown.columns)
    for col in shown.columns:
        if not _is_number_column(shown[col]):
            continue
        if col in YEAR_COLUMNS:
            decimals[col] = 0
            continue
        numbers = shown[col].astype("float64")
        places = 0 if _is_count(col) else row_decimals
        decimals[col] = places
        rounded = [
            round(v, int(d)) if not math.isnan(v) else v
            for v, d in zip(numbers, pd.Series(places, index=shown.index), strict=True)
        ]
        if not _is_count(col):
            rounded = [math.nan if s else v for v, s in zip(rounded, suppressed, strict=True)]
        shown[col] = rounded
    return shown, decimals


def table_to_csv(frame: pd.DataFrame, meta: ExportMeta) -> bytes:
    r"""Write a table as a CSV file that Dutch Excel opens right.

    ``;`` between fields, a decimal comma, no thousands separator, UTF-8 with a byte order mark,
    Windows line ends. Numbers are written as shown on screen (see `screen_table`); text cells
    that start like a formula get a ``'`` in front (see `neutralise`).

    Parameters
    ----------
    frame : pandas.DataFrame
        A table from `analysis.views.profile` or `analysis.views.compare` (or any tidy table).
    meta : ExportMeta
        Gives decimals and headers.

    Returns
    -------
    bytes

    Examples
    --------
    >>> frame = pd.DataFrame({"label": ["=SUM(A1)"], "value": [1234.56], "decimals": [1]})
    >>> meta = ExportMeta(title="t", built_on="vandaag", notes=())
    >>> table_to_csv(frame, meta)
    b"\xef\xbb\xbfIndicator;Waarde\r\n'=SUM(A1);1234,6\r\n"
    """
    shown, decimals = screen_table(frame, meta)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in _headers(shown, meta)])
    for i in range(len(shown)):
        row = []
        for col in shown.columns:
            value, places = shown[col].iloc[i], int(decimals[col].iloc[i])
            if places >= 0:
                row.append("" if pd.isna(value) else f"{float(value):.{places}f}".replace(".", ","))
            else:
                row.append("" if _blank(value) else neutralise(str(value)))
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_to_excel(frame: pd.DataFrame, meta: ExportMeta) -> bytes:
    """Write a table to an Excel workbook: sheet "gegevens" and sheet "toelichting".

    Numbers stay numbers (with the catalogue decimals as number format), text is written with
    ``write_string`` and neutralised like the CSV, so nothing is ever read as a formula.
    "toelichting" states title, build date of the snapshot, the rules (rounding, margin, small
    numbers) and per indicator its definition, unit, kind, source, table, years and licence.

    Parameters
    ----------
    frame : pandas.DataFrame
    meta : ExportMeta

    Returns
    -------
    bytes
        An .xlsx file.

    Examples
    --------
    >>> frame = pd.DataFrame({"label": ["Eenzaam"], "value": [52.0], "decimals": [0]})
    >>> meta = ExportMeta(title="t", built_on="vandaag", notes=())
    >>> table_to_excel(frame, meta)[:2]
    b'PK'
    """
    import xlsxwriter  # imported here: only an export needs it

    shown, decimals = screen_table(frame, meta)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    formats: dict[int, object] = {}

    def number_format(places: int):
        if places not in formats:
            pattern = "0" if places == 0 else "0." + "0" * places
            formats[places] = book.add_format({"num_format": "#,##" + pattern})
        return formats[places]

    data = book.add_worksheet("gegevens")
    for j, header in enumerate(_headers(shown, meta)):
        data.write_string(0, j, neutralise(header), bold)
        data.set_column(j, j, min(max(len(header), 10), 45))
    for i in range(len(shown)):
        for j, col in enumerate(shown.columns):
            value, places = shown[col].iloc[i], int(decimals[col].iloc[i])
            if places >= 0:
                if pd.isna(value):
                    data.write_blank(i + 1, j, None)
                else:
                    data.write_number(i + 1, j, float(value), number_format(places))
            elif _blank(value):
                data.write_blank(i + 1, j, None)
            else:
                data.write_string(i + 1, j, neutralise(str(value)))
    data.freeze_panes(1, 0)
    if len(shown.columns):
        data.autofilter(0, 0, max(len(shown), 1), len(shown.columns) - 1)

    notes = book.add_worksheet("toelichting")
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 80)
    notes.set_column(2, 8, 22)
    general = [
        ("Titel", meta.title),
        ("Snapshot gemaakt op", meta.built_on),
        ("Afronding", ROUNDING_NOTE),
        ("Hoger of lager", meta.margin_rule),
        (
            "Kleine aantallen (enquête)",
            meta.suppression_rule or "Geen enquêtecijfers in deze tabel.",
        ),
    ]
    row = 0
    for label, text in general:
        if not text:
            continue
        notes.write_string(row, 0, label, bold)
        notes.write_string(row, 1, neutralise(text), wrap)
        row += 1
    row += 1
    headings = (
        "Indicator",
        "Definitie",
        "Eenheid",
        "Soort cijfer",
        "Bron",
        "Tabel",
        "Jaren",
        "Licentie",
        "Vermelding",
    )
    for j, heading in enumerate(headings):
        notes.write_string(row, j, heading, bold)
    for note in meta.notes:
        row += 1
        cells = (
            note.label,
            note.definition,
            note.unit,
            note.kind,
            note.source,
            note.table_id,
            note.years,
            note.licence,
            note.credit,
        )
        for j, text in enumerate(cells):
            notes.write_string(row, j, neutralise(text), wrap)
    book.close()
    return buffer.getvalue()


def profile_pdf(
    profile_table: pd.DataFrame,
    text: Sequence[str],
    meta: ExportMeta,
    wijk_name: str,
    gemeente_name: str,
    built_on: str | dt.date,
    region_name: str | None = None,
) -> bytes:
    """Write the wijkprofiel as a one-page A4 PDF: title, date, table, sentences and sources.

    Uses the PDF core font Helvetica with Windows-1252 encoding (the font's own WinAnsi
    encoding), which holds é, ë, ï, ’, – and €; characters outside it are replaced
    (`PDF_REPLACEMENTS`, else "?"). No font file is needed, so it works on any machine.
    The font shrinks until the page is full; a table that still does not fit is cut off with
    a line that says how many indicators are left out.

    Parameters
    ----------
    profile_table : pandas.DataFrame
        From `analysis.views.profile.profile_table`.
    text : sequence of str
        From `analysis.views.profile.profile_text`.
    meta : ExportMeta
        For the sources, the margin rule and the small-number rule.
    wijk_name, gemeente_name : str
    built_on : str or datetime.date
        The snapshot's build date.
    region_name : str, optional
        The GGD region: adds its column (the table's ``ggd``) between gemeente and Nederland.

    Returns
    -------
    bytes

    Examples
    --------
    >>> table = pd.DataFrame({"label": ["Eenzaam (RIVM-schatting)"], "kind": ["modelschatting"],
    ...     "period": [2020], "age": ["18+"], "unit": ["%"], "decimals": [0], "value": [53.0],
    ...     "gemeente": [46.0], "nederland": [47.0], "signal": ["hoger"], "n": [float("nan")],
    ...     "ci_low": [float("nan")], "ci_high": [float("nan")], "status": [""]})
    >>> meta = ExportMeta(title="Wijkprofiel", built_on="24 november 2026", notes=())
    >>> profile_pdf(table, [], meta, "Vrijheidswijk", "Leeuwarden", "2026-11-24")[:5]
    b'%PDF-'
    """
    names = (wijk_name, gemeente_name, region_name if "ggd" in profile_table else None)
    return bytes(_fit_profile_pdf(profile_table, text, meta, names, built_on))


def pdf_text(text: str) -> str:
    """Return text the PDF core fonts can show (Windows-1252), replacing what they cannot.

    Examples
    --------
    >>> pdf_text("’s-Gravenhage ≥ 10 — één"), pdf_text("日本")
    ('’s-Gravenhage >= 10 — één', '??')
    """
    for old, new in PDF_REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("cp1252", errors="replace").decode("cp1252")


def _fit_profile_pdf(
    table: pd.DataFrame,
    text: Sequence[str],
    meta: ExportMeta,
    names: tuple[str, str, str | None],
    built_on: str | dt.date,
):
    """Return the FPDF document of the profile on one page (smaller font, then fewer rows)."""
    for size in PDF_FONT_SIZES:
        pdf = _render_profile_pdf(table, text, meta, names, built_on, size)
        if pdf.pages_count == 1:
            return pdf.output()

    # Still too long at the smallest size: find the most rows that fit (binary search, since
    # every try lays out the whole page).
    def fits(rows: int):
        pdf = _render_profile_pdf(
            table.iloc[:rows],
            text,
            meta,
            names,
            built_on,
            PDF_FONT_SIZES[-1],
            left_out=len(table) - rows,
        )
        return pdf if pdf.pages_count == 1 else None

    low, high, best = 0, len(table) - 1, None
    while low <= high:
        middle = (low + high) // 2
        pdf = fits(middle)
        if pdf is not None:
            best, low = pdf, middle + 1
        else:
            high = middle - 1
    if best is not None:
        return best.output()
    raise ValueError("Het wijkprofiel past niet op één pagina, ook niet zonder tabel")


def _render_profile_pdf(
    table: pd.DataFrame,
    text: Sequence[str],
    meta: ExportMeta,
    names: tuple[str, str, str | None],
    built_on: str | dt.date,
    size: float,
    left_out: int = 0,
):
    """Lay the profile out at one font size; the caller checks the page count."""
    wijk_name, gemeente_name, region_name = names
    from fpdf import FPDF  # imported here: only the PDF download needs it
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title(pdf_text(f"Wijkprofiel {wijk_name}"))
    pdf.set_creator("Sociale Basis Dashboard")
    pdf.add_page()
    line = size * 0.5

    pdf.set_font("Helvetica", "B", size + 7)
    _para(pdf, (size + 7) * 0.5, pdf_text(f"Wijkprofiel {wijk_name}"))
    pdf.set_font("Helvetica", "", size)
    _para(
        pdf,
        line,
        pdf_text(
            f"Vergeleken met {gemeente_name}{f', {region_name}' if region_name else ''} en "
            f"Nederland. Snapshot van {_date_text(built_on)}."
        ),
    )
    pdf.ln(line / 2)

    region = (region_name,) if region_name else ()
    headings = ("Indicator", "Jaar", "Soort", wijk_name, gemeente_name, *region, "Nederland")
    widths = (52, 13, 20, 23, 20, 20, 17, 21) if region else (60, 15, 22, 25, 21, 18, 25)
    with pdf.table(
        col_widths=widths,
        line_height=line,
        text_align=("LEFT", "LEFT", "LEFT", *("RIGHT",) * (3 + len(region)), "CENTER"),
        headings_style=FontFace(emphasis="BOLD"),
        borders_layout="HORIZONTAL_LINES",
        padding=0.6,
        repeat_headings=0,
    ) as grid:
        head = grid.row()
        for heading in (*headings, "Signaal"):
            head.cell(pdf_text(heading))
        for record in table.to_dict("records"):
            cells = grid.row()
            for cell in _pdf_row(record, with_region=bool(region)):
                cells.cell(pdf_text(cell))
    if left_out:
        pdf.set_font("Helvetica", "I", size)
        _para(pdf, line, pdf_text(f"… en nog {left_out} indicator(en): zie de Excel-download."))
    pdf.ln(line / 2)

    pdf.set_font("Helvetica", "B", size + 1)
    _para(pdf, line, "Wat valt op")
    pdf.set_font("Helvetica", "", size)
    for sentence in text or ["Geen verschillen met de gemeente die groter zijn dan de marge."]:
        _para(pdf, line, pdf_text(f"• {sentence}"))
    pdf.ln(line / 2)

    pdf.set_font("Helvetica", "B", size + 1)
    _para(pdf, line, "Zo lees je dit")
    pdf.set_font("Helvetica", "", size - 0.5)
    survey = table["kind"].isin(SURVEY_KINDS).any() if "kind" in table else False
    rules = [meta.margin_rule, ROUNDING_NOTE, meta.suppression_rule if survey else ""]
    for rule in rules:
        if rule:
            _para(pdf, line * 0.9, pdf_text(rule))
    credits = list(
        dict.fromkeys(
            f"{n.credit}, {n.source} ({n.table_id}), {n.licence}".strip(", ")
            for n in meta.notes
            if n.credit
        )
    )
    if credits:
        pdf.ln(line / 3)
        pdf.set_font("Helvetica", "B", size - 0.5)
        _para(pdf, line * 0.9, "Bronnen")
        pdf.set_font("Helvetica", "", size - 0.5)
        for credit in credits:
            _para(pdf, line * 0.9, pdf_text(credit))
    pdf.ln(line / 3)
    pdf.set_font("Helvetica", "I", size - 0.5)
    _para(pdf, line * 0.9, pdf_text(PDF_FOOTER))
    return pdf


def _para(pdf, height: float, text: str) -> None:
    """Write a paragraph over the full width and move to the start of the next line."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _pdf_row(record: Mapping, with_region: bool = False) -> list[str]:
    """Return the PDF table cells of one profile row (7, or 8 with the region), as on screen."""
    unit, decimals = str(record["unit"]), int(record["decimals"])
    suppressed = str(record.get("status") or "") == SUPPRESSED
    value = "onderdrukt" if suppressed else fmt_value(record["value"], unit, decimals)
    if record.get("kind") in SURVEY_KINDS and not _blank(record.get("n")):
        note = ", indicatief" if record.get("status") == "indicatief" else ""
        value = f"{value} (n = {int(record['n'])}{note})"
    period = record.get("period")
    year = "" if period is None or _blank(period) else str(int(period))
    age = str(record.get("age") or "")
    if age and age != ALL_AGES:
        year = f"{year} {age}"
    kind = {
        REGISTRATION: "Registratie",
        MODEL_ESTIMATE: "Schatting RIVM",
        "fictief voorbeeld": "Fictief voorbeeld",
    }.get(str(record.get("kind")), "Enquête")
    signal = str(record.get("signal") or "")
    if signal and record.get("kind") == MODEL_ESTIMATE:
        signal = f"{signal} (schatting)"
    return [
        str(record["label"]),
        year,
        kind,
        value,
        fmt_value(record.get("gemeente"), unit, decimals),
        *([fmt_value(record.get("ggd"), unit, decimals)] if with_region else []),
        fmt_value(record.get("nederland"), unit, decimals),
        signal,
    ]


def _described(frame: pd.DataFrame, meta: ExportMeta) -> pd.DataFrame:
    """Return a copy that says on every row what the figure is (label and kind, readable).

    A table with an ``indicator`` column gets the indicator's label and kind when it lacks
    them, so a fictitious figure carries "fictief voorbeeld" on its own row, in every export;
    kinds and sources are written out ("Modelschatting (RIVM)", "CBS, Kerncijfers ... (86165NED)").
    """
    out = frame.copy()
    if "indicator" in out.columns:
        # Added at the end: the table's own columns keep their places.
        ids = out["indicator"].astype("str")
        if "label" not in out.columns and meta.labels:
            out["label"] = ids.map(meta.labels).fillna("")
        if "kind" not in out.columns and meta.kinds:
            out["kind"] = ids.map(meta.kinds).fillna("")
    if "kind" in out.columns:
        out["kind"] = [KIND_LABELS.get(str(k), k) for k in out["kind"]]
    if "source" in out.columns and meta.source_names:
        out["source"] = [meta.source_names.get(str(s), s) for s in out["source"]]
    return out


def _headers(shown: pd.DataFrame, meta: ExportMeta) -> list[str]:
    """Return the Dutch headers: the meta's own labels, then `COLUMN_LABELS`, else the name.

    Value columns get the unit when every figure in the export has the same one
    ("Waarde (%)"); a table with several units has a unit column instead.
    """
    labels = {**COLUMN_LABELS, **meta.column_labels}
    unit = meta.unit
    headers = []
    for col in shown.columns:
        header = labels.get(str(col), str(col))
        if (
            col in UNIT_COLUMNS
            and unit
            and unit != "aantal"
            and "unit" not in shown.columns
            and not header.endswith(f"({unit})")  # a label that names its unit already
        ):
            header = f"{header} ({unit})"
        headers.append(header)
    return headers


def _is_number_column(column: pd.Series) -> bool:
    """Return whether a column holds numbers (not booleans)."""
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _is_count(column: str) -> bool:
    """Return whether a column holds counts of respondents (whole numbers)."""
    return column in COUNT_COLUMNS or column.startswith("n (")


def _blank(value: object) -> bool:
    """Return whether a cell is empty: None, NaN, NA or an empty string."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _date_text(day: str | dt.date) -> str:
    """Return a date as Dutch text; an ISO string is parsed, any other text kept as it is."""
    if isinstance(day, dt.date):
        return fmt_date(day)
    try:
        return fmt_date(dt.date.fromisoformat(str(day)))
    except ValueError:
        return str(day)
