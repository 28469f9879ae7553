"""The own survey in this user's session: upload, mapping, analysis, the fictitious example.

Respondent rows never go into ``st.cache_*`` (shared by every user of the server); only this
session's state holds them, and only the suppressed estimates leave the survey page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis import charts
from analysis.catalogue import Catalogue, Source
from analysis.format import fmt_number
from analysis.survey import answers as answer_module
from analysis.survey import area_keys as area_module
from analysis.survey import columns as mapping_module
from analysis.survey import example as example_survey_module
from analysis.survey import pipeline as survey_pipeline
from analysis.survey.pipeline import SurveyResult
from analysis.survey.scales import INVALID, Item
from analysis.user_text import formula_safe_frame, plain_markdown, plotly_text
from data import aggregates
from data import survey as survey_io
from data.postcodes import read_postcode_table
from data.survey import RawSurvey
from ui import display, loaders

_SURVEY = "_survey"  # session_state key of the active SessionSurvey


_EXAMPLES = "_survey_examples"  # session_state key: gemeente -> SessionSurvey (fictitious)


@dataclass(frozen=True)
class SessionSurvey:
    """An analysed survey in this session: suppressed estimates and where they came from."""

    result: SurveyResult
    source: Source
    gemeente_code: str
    fictitious: bool
    file_name: str


def store_survey(survey: SessionSurvey) -> None:
    """Make an uploaded survey the active one for this session."""
    st.session_state[_SURVEY] = survey


def forget_survey() -> None:
    """Drop the uploaded survey from this session (back to the fictitious example)."""
    st.session_state.pop(_SURVEY, None)


@st.cache_data(show_spinner=False)
def survey_inputs(gemeente_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (regions of the newest indeling, RIVM 2020 18+ estimates) for a gemeente.

    Public data, cached: several places on a page need it on every rerun.
    """
    snap = loaders.snapshot()
    regions = survey_pipeline.survey_regions(snap.regions, gemeente_code)
    return regions, survey_pipeline.rivm_reference(
        loaders.gemeente_values(gemeente_code), regions["code"]
    )


def example_frame(gemeente_code: str) -> pd.DataFrame | None:
    """Return the fictitious respondent file for a gemeente (deterministic, fast: ~60 ms)."""
    regions, rivm = survey_inputs(gemeente_code)
    if (regions["level"] == "wijk").sum() < 2 or rivm.empty:
        return None
    return example_survey_module.generate_example(rivm, regions, gemeente_code=gemeente_code)


_THRESHOLDS = "_survey_thresholds"  # session_state: (min_n, indicative_n) chosen by the user


def thresholds() -> tuple[int, int]:
    """Return this session's small-number rule (default: hide below 30, indicative below 50)."""
    return st.session_state.get(_THRESHOLDS, (survey_pipeline.MIN_N, survey_pipeline.INDICATIVE_N))


def suppression_settings() -> tuple[int, int]:
    """Draw the small-number rule in the sidebar; it applies to every survey figure."""
    min_n, indicative_n = thresholds()
    with st.sidebar:
        st.subheader("Kleine aantallen")
        new_min = st.number_input(
            "Niet tonen onder (antwoorden)",
            min_value=10,
            max_value=500,
            value=min_n,
            step=5,
            key="drempel_min",
            help="GGD-praktijk: 30. Lager dan 10 kan niet.",
        )
        new_ind = st.number_input(
            "Indicatief onder (antwoorden)",
            min_value=int(new_min),
            max_value=1000,
            value=max(indicative_n, int(new_min)),
            step=5,
            key="drempel_indicatief",
        )
    chosen = (int(new_min), int(new_ind))
    if chosen != (min_n, indicative_n):
        st.session_state[_THRESHOLDS] = chosen
        uploaded = st.session_state.get(_SURVEY)
        if uploaded is not None:  # the rule changed: this survey must be counted again
            st.session_state.pop(_SURVEY, None)
            st.session_state["_survey_stale"] = True
    return chosen


def survey_needs_recount() -> bool:
    """Return (and clear) whether an uploaded survey was dropped because the rule changed."""
    return bool(st.session_state.pop("_survey_stale", False))


def example_survey(gemeente_code: str) -> SessionSurvey | None:
    """Return the fictitious example survey for a gemeente (made once per session and rule)."""
    examples = st.session_state.setdefault(_EXAMPLES, {})
    min_n, indicative_n = thresholds()
    key = (gemeente_code, min_n, indicative_n)
    if key not in examples:
        made = _example_result(gemeente_code, min_n, indicative_n)
        if made is None:
            return None
        result, indeling = made
        name = EXAMPLE_FILE
        source = survey_pipeline.survey_source(
            name, dt.date.today().year, indeling, fictitious=True
        )
        examples[key] = SessionSurvey(result, source, gemeente_code, True, name)
    return examples[key]


EXAMPLE_FILE = "voorbeeld_enquete_fictief.csv"


@st.cache_data(show_spinner=False, max_entries=50)
def _example_result(
    gemeente_code: str, min_n: int, indicative_n: int
) -> tuple[SurveyResult, int] | None:
    """Analyse the fictitious example once per gemeente and rule, for every session.

    Process-wide caching is allowed here and only here: the respondents are fictitious
    (generated from public RIVM figures) and only the suppressed estimates are kept; an
    uploaded survey never comes through this function.
    """
    regions, rivm = survey_inputs(gemeente_code)
    frame = example_frame(gemeente_code)
    if frame is None:
        return None
    result = survey_pipeline.analyse_survey(
        frame,
        regions,
        gemeente_code=gemeente_code,
        file_name=EXAMPLE_FILE,
        rivm=rivm,
        min_n=min_n,
        indicative_n=indicative_n,
    )
    snap = loaders.snapshot()
    indeling = int(snap.regions.loc[snap.regions["code"].isin(regions["code"]), "indeling"].max())
    return result, indeling


_SHOW_EXAMPLE = "_show_example"  # session_state: the user asked to see the fictitious example
_EXAMPLE_TOGGLE = "voorbeeld_tonen"  # widget key of the toggle


def example_wanted() -> bool:
    """Return whether the user asked for the fictitious example outside the survey page."""
    return bool(st.session_state.get(_SHOW_EXAMPLE, False))


def _sync_example_toggle() -> None:
    """Keep the toggle's choice across pages (a widget's own state is cleared off its page)."""
    st.session_state[_SHOW_EXAMPLE] = bool(st.session_state.get(_EXAMPLE_TOGGLE, False))


def example_toggle() -> bool:
    """Draw the sidebar toggle that adds the fictitious example survey to the indicators.

    Off by default: fictitious figures stay off the main indicator list until asked for
    (issue #12). An uploaded survey is shown without it.
    """
    st.session_state[_EXAMPLE_TOGGLE] = example_wanted()
    with st.sidebar:
        st.toggle(
            "Fictief voorbeeld van een eigen enquête tonen",
            key=_EXAMPLE_TOGGLE,
            on_change=_sync_example_toggle,
            help="Verzonnen antwoorden om het dashboard te leren kennen; overal gemarkeerd "
            "als 'fictief voorbeeld'. Een ingelezen eigen enquête staat er altijd bij.",
        )
    return example_wanted()


def active_survey(gemeente_code: str, *, with_example: bool | None = None) -> SessionSurvey | None:
    """Return the uploaded survey of this gemeente, else the fictitious example when wanted.

    ``with_example`` defaults to the user's toggle (`example_toggle`); the survey page passes
    True, since practising with the example is what it offers.
    """
    uploaded = st.session_state.get(_SURVEY)
    if uploaded is not None and uploaded.gemeente_code == gemeente_code:
        return uploaded
    if with_example is None:
        with_example = example_wanted()
    return example_survey(gemeente_code) if with_example else None


def survey_catalogue(survey: SessionSurvey) -> Catalogue:
    """Return the loaders.catalogue extended with one survey's indicators."""
    return loaders.catalogue().with_survey(survey.result.indicators, survey.source)


def session_catalogue(gemeente_code: str, *, with_example: bool | None = None) -> Catalogue:
    """Return the loaders.catalogue with this session's survey indicators (kind eigen enquête)."""
    survey = active_survey(gemeente_code, with_example=with_example)
    if survey is None:
        return loaders.catalogue()
    return loaders.catalogue().with_survey(survey.result.indicators, survey.source)


_RAW = "_survey_raw"  # session_state: the last uploaded file as read (this session only)


def read_upload(content: bytes, file_name: str, sheet: str | None) -> RawSurvey:
    """Read an uploaded survey once per file and sheet, kept in this session only."""
    key = (file_name, len(content), hash(content), sheet)
    held = st.session_state.get(_RAW)
    if held is None or held[0] != key:
        held = (key, survey_io.read_survey(content, file_name, sheet=sheet))
        st.session_state[_RAW] = held
    return held[1]


NOT_IN_FILE = "— niet in het bestand —"


def mapping_editor(raw: RawSurvey, proposed: mapping_module.Mapping) -> mapping_module.Mapping:
    """Let the user confirm or correct the column mapping; every target can be chosen by hand.

    Proposed targets (and the area) come first; every other question of the questionnaire is
    in an expander below them, so a question the dashboard did not recognise (issue 11, item
    4) can still be mapped.
    """
    columns = [str(c) for c in raw.frame.columns]
    options = [NOT_IN_FILE, *columns]
    current = proposed
    shown = [
        c for c in proposed.choices if c.source is not None or c.target in ("gebied", "postcode")
    ]
    others = [c for c in proposed.choices if c not in shown]

    def pick(container, choice: mapping_module.ColumnChoice) -> None:
        nonlocal current
        index = options.index(choice.source) if choice.source in options else 0
        help_text = (
            f"Voorstel: {plain_markdown(choice.reason)} (zekerheid {choice.confidence:.0%})"
            if choice.source is not None
            else "Geen voorstel: kies zelf de kolom met deze vraag, of laat leeg."
        )
        picked = container.selectbox(
            _target_text(choice.target),
            options,
            index=index,
            key=f"koppel_{choice.target}",
            help=help_text,
        )
        chosen = None if picked == NOT_IN_FILE else picked
        if chosen != choice.source:
            current = current.with_source(choice.target, chosen)

    cols = st.columns(2)
    for i, choice in enumerate(shown):
        pick(cols[i % 2], choice)
    with st.expander(f"Andere vragen zelf koppelen ({len(others)} zonder voorstel)"):
        inner = st.columns(2)
        for i, choice in enumerate(others):
            pick(inner[i % 2], choice)
    return current


def _target_text(target: str) -> str:
    """Return a target as the editor shows it: column name and the question."""
    item = answer_module.item_for(target)
    if item is None:
        return target
    text = item.printed or item.wording
    return f"{target} — {text[:70]}{'…' if len(text) > 70 else ''}"


#: More distinct answers than this in a question: probably not the right column, and the
#: answer step would show free text; it lists none and says so.
MAX_DISTINCT_ANSWERS = 30


def answer_editor(raw: RawSurvey, mapping: mapping_module.Mapping) -> mapping_module.Mapping:
    """Show the distinct answers per mapped question with a proposed category; return choices.

    Only choices that differ from the automatic proposal are stored in the mapping (and so in
    the koppelbestand): the proposal is deterministic, and answers that are not categories
    (free text in a wrongly mapped column) never end up in a file.
    """
    current = mapping
    for target, source in mapping.sources.items():
        item = answer_module.item_for(target)
        if item is None or source not in raw.frame.columns:
            continue
        rows = answer_module.distinct_answers(raw.frame[source], item, raw.value_labels.get(source))
        saved = mapping.answers.get(target, {})
        unknown = sum(r.count for r in rows if saved.get(r.key, r.proposed) == INVALID)
        title = f"{plain_markdown(source)} → {target}: {len(rows)} verschillende antwoorden"
        if unknown:
            title += f", {unknown} rijen niet herkend"
        with st.expander(title, expanded=bool(unknown)):
            if len(rows) > MAX_DISTINCT_ANSWERS:
                display.warning(
                    f"Kolom {source!r} heeft {len(rows)} verschillende antwoorden; is dit de "
                    "goede kolom voor deze vraag? De antwoorden worden niet getoond."
                )
                continue
            options: list[answer_module.AnswerChoice] = answer_module.choice_options(item)
            chosen: dict[str, answer_module.AnswerChoice] = {}

            def label(choice: answer_module.AnswerChoice, item: Item = item) -> str:
                return answer_module.choice_text(item, choice)

            for row in rows:
                default = saved.get(row.key, row.proposed)
                shown = row.key if not row.label else f"{row.key} ({row.label})"
                picked = st.selectbox(
                    f"{plain_markdown(shown)} — {fmt_number(row.count)} rijen",
                    options,
                    index=options.index(default) if default in options else len(options) - 1,
                    format_func=label,
                    key=f"antwoord|{target}|{row.key}",
                )
                if picked != row.proposed:
                    chosen[row.key] = picked
            current = current.with_answers(target, chosen)
    return current


def proposed_level(raw: RawSurvey, mapping: mapping_module.Mapping, gemeente_code: str) -> str:
    """Return the level the area column of an upload points to (wijk or buurt)."""
    values = survey_pipeline.area_values(raw.frame, mapping, raw.value_labels)
    if values is None:
        return "wijk"
    regions, _ = survey_inputs(gemeente_code)
    return area_module.propose_level(values, regions, gemeente_code)


@st.cache_data(show_spinner=False)
def _gemeente_index() -> dict[str, frozenset[str]]:
    """Return area and gemeente names -> gemeenten, over the whole snapshot (public data)."""
    return area_module.gemeente_name_index(loaders.snapshot().regions, loaders.gemeente_names())


def proposed_gemeenten(raw: RawSurvey, mapping: mapping_module.Mapping) -> list[tuple[str, int]]:
    """Return the gemeenten the area column of an upload points to, most rows first."""
    values = survey_pipeline.area_values(raw.frame, mapping, raw.value_labels)
    if values is None:
        return []
    return area_module.propose_gemeenten(values, _gemeente_index())


def excel_sheets(content: bytes, file_name: str) -> list[str]:
    """Return the sheets of an Excel upload (none for CSV and SPSS; unreadable: none).

    Kept in this session per file, so a rerun does not open the workbook again.
    """
    if not file_name.lower().endswith((".xlsx", ".xlsm")):
        return []
    key = ("sheets", file_name, len(content), hash(content))
    held = st.session_state.get(_SHEETS)
    if held is None or held[0] != key:
        try:
            names = survey_io.sheet_names(content, file_name)
        except survey_io.SurveyError:
            names = []  # read_survey reports the problem itself
        held = (key, names)
        st.session_state[_SHEETS] = held
    return held[1]


_SHEETS = "_survey_sheets"  # session_state: the sheets of the last uploaded workbook
_TABLE = "_aggregate_table"  # session_state: the last aggregated table as read and placed


def analyse_upload(
    raw: RawSurvey,
    mapping: mapping_module.Mapping,
    gemeente_code: str,
    year: int,
    *,
    level: str = "wijk",
    sheet: str | None = None,
    postcodes=None,
) -> SessionSurvey:
    """Map, score, match and estimate an uploaded survey for a gemeente.

    Runs `survey_pipeline.analyse_mapped`, exactly what ``python -m cli enquete`` runs.
    ``sheet`` is named in messages (only when the workbook has several); ``postcodes`` is an
    optional uploaded CBS postcode table (respondents with a postcode and no area are matched
    through it).
    """
    postcode_table = None
    if postcodes is not None:
        table = read_postcode_table(postcodes.getvalue(), postcodes.name)
        postcode_table = area_module.postcode_lookup(table, postcodes.name)
    regions, rivm = survey_inputs(gemeente_code)
    result = survey_pipeline.analyse_mapped(
        raw,
        mapping,
        regions,
        gemeente_code=gemeente_code,
        level=level,
        rivm=rivm,
        sheet=sheet,
        postcode_table=postcode_table,
        min_n=thresholds()[0],
        indicative_n=thresholds()[1],
    )
    snap = loaders.snapshot()
    indeling = int(snap.regions.loc[snap.regions["code"].isin(regions["code"]), "indeling"].max())
    # A copy of the downloaded example stays fictitious, whatever its file name.
    fictitious = example_survey_module.looks_fictitious(raw.frame)
    source = survey_pipeline.survey_source(raw.file_name, year, indeling, fictitious=fictitious)
    return SessionSurvey(result, source, gemeente_code, fictitious, raw.file_name)


def survey_table(result: SurveyResult, indicator_id: str, gemeente_code: str) -> pd.DataFrame:
    """Return the per-area display table of one survey indicator."""
    regions, rivm = survey_inputs(gemeente_code)
    # One decimal, like the downloads: the screen and the CSV show the same numbers.
    return survey_pipeline.display_table(result, indicator_id, regions, rivm, decimals=1)


def survey_for_profile(
    gemeente_code: str, *, with_example: bool | None = None
) -> pd.DataFrame | None:
    """Return this session's survey estimates in the profile's shape (gemeente row = its code)."""
    survey = active_survey(gemeente_code, with_example=with_example)
    if survey is None:
        return None
    est = survey.result.estimates
    total = est["area"] == survey_pipeline.stats.TOTAL_AREA
    return est.assign(area=est["area"].where(~total, gemeente_code))


@dataclass(frozen=True)
class PlacedTable:
    """An aggregated table with each row placed on a CBS area (or marked off the map)."""

    table: aggregates.AggregateTable
    rows: pd.DataFrame  # frame + code, match, reason, map_status
    gemeenten: tuple[tuple[str, int], ...] = ()  # gemeenten the area names point to


def aggregate_sheets(content: bytes, file_name: str) -> list[str]:
    """Return the visible sheets of an Excel table upload (none for CSV; unreadable: none)."""
    key = ("table sheets", file_name, len(content), hash(content))
    held = st.session_state.get(_SHEETS)
    if held is None or held[0] != key:
        held = (key, aggregates.aggregate_sheets(content, file_name))
        st.session_state[_SHEETS] = held
    return held[1]


def read_aggregate_table(
    content: bytes, file_name: str, gemeente_code: str, sheet: str | None = None
) -> PlacedTable:
    """Read an aggregated table and place its rows on the wijken of a gemeente.

    Read once per file, sheet and gemeente and kept in this session only (the reading child
    process is not started again on every rerun).
    """
    key = (file_name, len(content), hash(content), sheet, gemeente_code)
    held = st.session_state.get(_TABLE)
    if held is None or held[0] != key:
        held = (key, _place_table(content, file_name, gemeente_code, sheet))
        st.session_state[_TABLE] = held
    return held[1]


def _place_table(
    content: bytes, file_name: str, gemeente_code: str, sheet: str | None
) -> PlacedTable:
    name = loaders.gemeente_names().get(gemeente_code)
    table = aggregates.read_aggregates(content, file_name, gemeente_name=name, sheet=sheet)
    regions = survey_pipeline.survey_regions(loaders.snapshot().regions, gemeente_code)
    level = "buurt" if area_module.mostly_buurten(table.frame, regions) else "wijk"
    rows = area_module.place_areas(
        table.frame,
        regions,
        gemeente_code=gemeente_code,
        level=level,
        code_column="area_code" if "area_code" in table.frame.columns else None,
    )
    names = pd.concat([table.frame["area"], table.totals["area"]], ignore_index=True)
    found = area_module.propose_gemeenten(names.astype("str"), _gemeente_index())
    return PlacedTable(table, rows, tuple(found))


def show_aggregate_table(placed: PlacedTable, gemeente_code: str, gemeente_name: str) -> None:
    """Lay out an aggregated table: its figures, a bar chart, and a map of the CBS areas.

    Everything from the file (its name, notes, area and column names, cells) is shown as
    plain text; the table's own "Download as CSV" is formula-safe (issue 13).
    """
    table, rows = placed.table, placed.rows
    found = [code for code, _ in placed.gemeenten]
    if found and found[0] != gemeente_code:
        others = ", ".join(f"{loaders.gemeente_names().get(c, c)} ({c})" for c in found[:4])
        display.warning(
            f"De gebieden in {table.file_name} wijzen op een andere gemeente dan "
            f"{gemeente_name}: {others}. Kies de gemeente van de tabel in de zijbalk."
        )
    for warning in table.warnings:
        display.warning(warning)
    for note in table.notes:
        display.caption(note)
    off = rows[rows["map_status"] != "op de kaart"]
    display.success(
        f"{table.file_name}: {len(rows)} gebieden, waarvan {len(rows) - len(off)} op de kaart "
        f"en {len(off)} niet op de kaart (eigen indeling van de gemeente)."
    )
    columns = list(table.value_columns)
    if not columns:
        st.warning("De tabel heeft geen kolommen met cijfers.")
        return
    column = st.selectbox("Cijfer", columns, key="tabel_kolom")
    total = None
    if not table.totals.empty and column in table.totals.columns:
        gm = table.totals[table.totals["scope"] == "gemeente"]
        total = float(gm[column].iloc[0]) if not gm.empty else None
    # Plotly reads a little HTML in names and titles: give it the file's text as written.
    chart_rows = rows.assign(area=rows["area"].map(plotly_text)).rename(
        columns={column: plotly_text(column)}
    )
    st.plotly_chart(
        charts.aggregate_bar_chart(
            chart_rows,
            plotly_text(column),
            total=total,
            gemeente=gemeente_name,
            title=f"{plotly_text(column)} — {gemeente_name} (eigen monitor)",
        ),
        width="stretch",
        key="tabel_grafiek",
    )
    shown = rows.assign(
        Waarde=[
            charts.fmt_value(v, "%", 1) if pd.notna(v) else "onderdrukt in bron"
            for v in rows[column]
        ]
    )
    st.dataframe(
        formula_safe_frame(
            shown[["area", "Waarde", "map_status", "code"]].rename(
                columns={"area": "Gebied", "map_status": "Kaart", "code": "CBS-code"}
            )
        ),
        hide_index=True,
        width="stretch",
        key="tabel_gegevens",
    )
    display.caption(
        f"Bron: {table.file_name} (eigen monitor van de gemeente, zelf aangeleverd). "
        "'onderdrukt in bron' = de gemeente publiceerde dit cijfer niet."
    )
