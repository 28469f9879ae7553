"""The thin glue between Streamlit and the pure code: cached loaders, sidebars, session state.

Pages import from here; `analysis/` and `data/` never import streamlit. Submodules hold the
glue of one concern each (``ui.workshop``); this module holds the shared pieces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis import areas as area_module
from analysis import charts, exports, maps, survey_pipeline
from analysis import example_survey as example_survey_module
from analysis import mapping as mapping_module
from analysis.catalogue import KIND_LABELS, Catalogue, Source, load_catalogue
from analysis.classify import CLASS_METHODS
from analysis.format import fmt_date
from analysis.survey_pipeline import SurveyResult
from data import aggregates, boundaries
from data import survey as survey_io
from data.postcodes import read_postcode_table
from data.snapshot import Snapshot, load_snapshot
from data.survey import RawSurvey
from paths import DEFAULT_SNAPSHOT

#: Plotly modebar for every figure: no logo, PNG download at double size (works offline).
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

DEFAULT_GEMEENTE = "GM0080"  # Leeuwarden: the demo opens on a gemeente with wijken and buurten
DEFAULT_INDICATOR = "eenzaam"  # the question the dashboard exists for
LEVELS = ("wijk", "buurt")


@st.cache_resource(show_spinner="Gegevens laden…")
def snapshot(folder: str = str(DEFAULT_SNAPSHOT)) -> Snapshot:
    """Load the embedded snapshot once per process.

    ``cache_resource`` rather than ``cache_data``: the snapshot is public CBS/RIVM data,
    read-only (every function in analysis/ is pure and copies what it changes), and about a
    million rows, which ``cache_data`` would unpickle again on every rerun. Survey data never
    goes through here.
    """
    return load_snapshot(folder)


@st.cache_resource
def catalogue() -> Catalogue:
    """Return the indicator catalogue (static, public)."""
    return load_catalogue()


@st.cache_data(show_spinner=False)
def layer_index(folder: str = str(DEFAULT_SNAPSHOT)) -> pd.DataFrame:
    """Return the boundary layers per gemeente."""
    geo = snapshot(folder).geometry
    return maps.layer_index(geo.drop(columns="geometry"))


@st.cache_data(show_spinner=False)
def gemeenten(folder: str = str(DEFAULT_SNAPSHOT)) -> pd.DataFrame:
    """Return the gemeenten that have a map."""
    return maps.gemeente_options(snapshot(folder).regions, layer_index(folder))


@st.cache_data(show_spinner=False)
def layer_areas(layer: str, gemeente_code: str, folder: str = str(DEFAULT_SNAPSHOT)) -> tuple:
    """Return ``(areas frame, GeoJSON dict)`` of one gemeente in one layer."""
    geo = snapshot(folder).geometry
    part = geo[(geo["layer"] == layer) & (geo["gemeente_code"] == gemeente_code)]
    areas = pd.DataFrame(part.drop(columns="geometry")).reset_index(drop=True)
    return areas, boundaries.to_geojson(part)


@dataclass(frozen=True)
class MapSelection:
    """What the map page shows, as chosen in the sidebar."""

    gemeente_code: str
    gemeente_name: str
    level: str
    layer: str | None
    figures: maps.Figures | None
    classes: str = "kwantielen"


def gemeente_names() -> dict[str, str]:
    """Return gemeente code -> name for every gemeente with a map."""
    gm = gemeenten()
    return dict(zip(gm["gemeente_code"], gm["gemeente_name"], strict=True))


def gemeente_picker() -> str:
    """Draw the gemeente selectbox (same key and URL parameter on every page)."""
    names = gemeente_names()
    codes = list(names)
    return st.selectbox(
        "Gemeente",
        codes,
        index=_query_default("gemeente", codes, DEFAULT_GEMEENTE),
        format_func=lambda c: names.get(c, c),
        key="gemeente",
    )


def _query_default(key: str, options: list[str], fallback: str) -> int:
    """Index of the option named in the URL (``?key=value``), else of the fallback."""
    wanted = st.query_params.get(key, fallback)
    if wanted in options:
        return options.index(wanted)
    return options.index(fallback) if fallback in options else 0


def map_selection() -> MapSelection:
    """Draw the map sidebar and return the selection; the URL carries it (a permalink)."""
    names = gemeente_names()
    with st.sidebar:
        st.header("Kaart kiezen")
        gemeente_code = gemeente_picker()
        cat = session_catalogue(gemeente_code)
        idx = layer_index()
        levels = [lv for lv in LEVELS if maps.choose_layer(idx, gemeente_code, lv)]
        level = (
            st.radio(
                "Niveau",
                levels,
                index=_query_default("niveau", levels, "wijk") if levels else 0,
                format_func=lambda lv: maps.LEVEL_LABELS[lv],
                horizontal=True,
                key="niveau",
            )
            if levels
            else None
        )
        layer = maps.choose_layer(idx, gemeente_code, level) if level else None
        figures = None
        if layer:
            areas, _ = layer_areas(layer, gemeente_code)
            options = maps.available_figures(snapshot().values, areas["code"], cat)
            options += survey_figures(gemeente_code, level, areas["code"])
            indicator_ids = list(dict.fromkeys(f.indicator for f in options))
            if indicator_ids:
                indicator = st.selectbox(
                    "Indicator",
                    indicator_ids,
                    index=_query_default("indicator", indicator_ids, DEFAULT_INDICATOR),
                    format_func=lambda i: cat.indicator(i).label,
                    key="indicator",
                )
                choices = [f for f in options if f.indicator == indicator]
                labels = [figures_label(f, cat) for f in choices]
                wanted = f"{st.query_params.get('jaar', '')}|{st.query_params.get('leeftijd', '')}"
                keys = [f"{f.period}|{f.age}" for f in choices]
                choice = st.selectbox(
                    "Jaar en bron",
                    range(len(choices)),
                    index=keys.index(wanted) if wanted in keys else 0,
                    format_func=lambda i: labels[i],
                    key="jaar_bron",
                )
                figures = choices[choice]
        classes = st.selectbox(
            "Klassen",
            list(CLASS_METHODS),
            index=_query_default("klassen", list(CLASS_METHODS), "kwantielen"),
            format_func=CLASS_METHODS.get,
            key="klassen",
        )
        st.caption(snapshot_caption())
    keep_in_url(
        gemeente=gemeente_code,
        niveau=level,
        indicator=figures.indicator if figures else None,
        jaar=str(figures.period) if figures else None,
        leeftijd=figures.age if figures else None,
        klassen=classes,
    )
    return MapSelection(
        gemeente_code,
        names.get(gemeente_code, gemeente_code),
        level or "",
        layer,
        figures,
        classes,
    )


def survey_figures(gemeente_code: str, level: str, codes: pd.Series) -> list[maps.Figures]:
    """List the own-survey indicators with a value for at least one of these areas."""
    survey = active_survey(gemeente_code)
    if survey is None or survey.result.level != level:
        return []
    est = survey.result.estimates
    shown = est[est["area"].isin(list(codes)) & est["n"].gt(0)]
    return [
        maps.Figures(ind, survey.source.period, SURVEY_AGE, SURVEY_SOURCE_ID)
        for ind in dict.fromkeys(shown["indicator"])
    ]


def figures_label(figures: maps.Figures, cat: Catalogue) -> str:
    """Name one choice of figures: year, age group and the source's kind."""
    source = cat.source(figures.source)
    if source.kind == "eigen enquête":
        fictief = " (fictief voorbeeld)" if "fictief" in source.title.lower() else ""
        return f"{figures.period} — Eigen enquête{fictief}"
    age = "" if figures.age == "alle leeftijden" else f", {figures.age}"
    return f"{figures.period}{age} — {KIND_LABELS[source.kind]}"


def snapshot_caption() -> str:
    """Say which snapshot the app shows and when it was built."""
    built = dt.date.fromisoformat(snapshot().manifest["built_on"])
    return f"Ingebouwde gegevens, gemaakt op {fmt_date(built)}. Werkt zonder internet."


# --- Own survey: lives in this user's session only ------------------------------------------
# Respondent rows never go into st.cache_* (shared by every user of the server); only this
# session's state holds them, and only the suppressed estimates leave the survey page.

_SURVEY = "_survey"  # session_state key of the active SessionSurvey
_EXAMPLES = "_survey_examples"  # session_state key: gemeente -> SessionSurvey (fictitious)
SURVEY_SOURCE_ID = "enquete"
SURVEY_AGE = "respondenten"  # survey figures describe the people who answered


@dataclass(frozen=True)
class SessionSurvey:
    """An analysed survey in this session: suppressed estimates and where they came from."""

    result: SurveyResult
    source: Source
    gemeente_code: str
    fictitious: bool
    file_name: str


def survey_source(file_name: str, year: int, indeling: int, *, fictitious: bool) -> Source:
    """Describe an own survey as a catalogue source (credit says when it is fictitious)."""
    if fictitious:
        title = "Fictief voorbeeld van een eigen enquête (geen echte antwoorden)"
        credit = "Bron: fictief voorbeeld, gemaakt door het dashboard"
    else:
        title = f"Eigen enquête ({file_name})"
        credit = "Bron: eigen enquête van de gemeente"
    return Source(
        id=SURVEY_SOURCE_ID,
        title=title,
        publisher="gemeente",
        kind="eigen enquête",
        credit=credit,
        licence="",
        table_id=file_name,
        period=year,
        indeling=indeling,
    )


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
    snap = snapshot()
    regions = survey_pipeline.survey_regions(snap.regions, gemeente_code)
    return regions, survey_pipeline.rivm_reference(snap.values, regions["code"])


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
        source = survey_source(name, dt.date.today().year, indeling, fictitious=True)
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
    snap = snapshot()
    indeling = int(snap.regions.loc[snap.regions["code"].isin(regions["code"]), "indeling"].max())
    return result, indeling


def active_survey(gemeente_code: str) -> SessionSurvey | None:
    """Return the uploaded survey of this gemeente, else the fictitious example for it."""
    uploaded = st.session_state.get(_SURVEY)
    if uploaded is not None and uploaded.gemeente_code == gemeente_code:
        return uploaded
    return example_survey(gemeente_code)


def session_catalogue(gemeente_code: str) -> Catalogue:
    """Return the catalogue with this session's survey indicators (kind eigen enquête)."""
    survey = active_survey(gemeente_code)
    if survey is None:
        return catalogue()
    return catalogue().with_survey(survey.result.indicators, survey.source)


_RAW = "_survey_raw"  # session_state: the last uploaded file as read (this session only)


def read_upload(content: bytes, file_name: str, sheet: str | None) -> RawSurvey:
    """Read an uploaded survey once per file and sheet, kept in this session only."""
    key = (file_name, len(content), hash(content), sheet)
    held = st.session_state.get(_RAW)
    if held is None or held[0] != key:
        held = (key, survey_io.read_survey(content, file_name, sheet=sheet))
        st.session_state[_RAW] = held
    return held[1]


def mapping_editor(raw: RawSurvey, proposed: mapping_module.Mapping) -> mapping_module.Mapping:
    """Let the user confirm or correct the proposed column mapping; return the result."""
    columns = [str(c) for c in raw.frame.columns]
    none = "— niet in het bestand —"
    current = proposed
    rows = [
        c for c in proposed.choices if c.source is not None or c.target in ("gebied", "postcode")
    ]
    cols = st.columns(2)
    for i, choice in enumerate(rows):
        options = [none, *columns]
        index = options.index(choice.source) if choice.source in options else 0
        picked = cols[i % 2].selectbox(
            f"{choice.target}",
            options,
            index=index,
            key=f"koppel_{choice.target}",
            help=f"Voorstel: {choice.reason} (zekerheid {choice.confidence:.0%})",
        )
        chosen = None if picked == none else picked
        if chosen != choice.source:
            current = current.with_source(choice.target, chosen)
    return current


def excel_sheets(content: bytes, file_name: str) -> list[str]:
    """Return the sheets of an Excel upload (none for CSV and SPSS; unreadable: none)."""
    if not file_name.lower().endswith((".xlsx", ".xlsm")):
        return []
    try:
        return survey_io.sheet_names(content, file_name)
    except survey_io.SurveyError:
        return []  # read_survey reports the problem itself


def analyse_upload(
    raw: RawSurvey,
    mapping: mapping_module.Mapping,
    gemeente_code: str,
    year: int,
    *,
    postcodes=None,
) -> SessionSurvey:
    """Map, score, match and estimate an uploaded survey for a gemeente.

    ``postcodes`` is an optional uploaded CBS postcode table (respondents with a postcode and
    no area are matched through it).
    """
    frame = mapping_module.apply_mapping(raw.frame, mapping, file_name=raw.file_name)
    postcode_table = None
    if postcodes is not None:
        table = read_postcode_table(postcodes.getvalue(), postcodes.name)
        postcode_table = area_module.postcode_lookup(table, postcodes.name)
    regions, rivm = survey_inputs(gemeente_code)
    result = survey_pipeline.analyse_survey(
        frame,
        regions,
        gemeente_code=gemeente_code,
        file_name=raw.file_name,
        rivm=rivm,
        row_numbers=raw.row_numbers,
        value_labels=_labels_by_target(raw, mapping),
        postcode_table=postcode_table,
        min_n=thresholds()[0],
        indicative_n=thresholds()[1],
    )
    snap = snapshot()
    indeling = int(snap.regions.loc[snap.regions["code"].isin(regions["code"]), "indeling"].max())
    source = survey_source(raw.file_name, year, indeling, fictitious=False)
    return SessionSurvey(result, source, gemeente_code, False, raw.file_name)


def _labels_by_target(raw: RawSurvey, mapping: mapping_module.Mapping) -> dict:
    """Return SPSS value labels keyed by target (the canonical column they now sit in)."""
    return {t: raw.value_labels[s] for t, s in mapping.sources.items() if s in raw.value_labels}


def unmatched_table(unmatched: pd.DataFrame) -> pd.DataFrame:
    """Return the unmatched areas in Dutch column names for display."""
    columns = {
        "value": "Ingevuld",
        "reason": "Reden",
        "detail": "Toelichting",
        "count": "Aantal rijen",
        "first_rows": "Eerste rijen",
    }
    out = unmatched.rename(columns=columns)
    if "Eerste rijen" in out.columns:
        out["Eerste rijen"] = [", ".join(map(str, r)) for r in out["Eerste rijen"]]
    return out[[c for c in columns.values() if c in out.columns]]


def survey_table(result: SurveyResult, indicator_id: str, gemeente_code: str) -> pd.DataFrame:
    """Return the per-area display table of one survey indicator."""
    regions, rivm = survey_inputs(gemeente_code)
    return survey_pipeline.display_table(result, indicator_id, regions, rivm)


# --- Area choice shared by the profile, compare and trend pages ----------------------------


@st.cache_data(show_spinner=False)
def areas_of(gemeente_code: str, level: str = "wijk", folder: str = str(DEFAULT_SNAPSHOT)):
    """Return the wijken (or buurten) of a gemeente to choose from (public data)."""
    return maps.area_options(snapshot(folder).regions, gemeente_code, level)


def area_picker(gemeente_code: str, level: str = "wijk", *, key: str = "wijk") -> str | None:
    """Draw a selectbox of the areas of a gemeente; the URL parameter ``key`` preselects one."""
    options = areas_of(gemeente_code, level)
    if options.empty:
        return None
    codes = options["code"].tolist()
    names = dict(zip(options["code"], options["name"], strict=True))
    return st.selectbox(
        "Wijk" if level == "wijk" else "Buurt",
        codes,
        index=_query_default(key, codes, codes[0]),
        format_func=lambda c: names.get(c, c),
        key=key,
    )


def area_multipicker(gemeente_code: str, *, key: str = "wijken") -> list[str]:
    """Draw a multiselect of 2–6 wijken; the URL parameter (comma-separated) preselects."""
    options = areas_of(gemeente_code, "wijk")
    codes = options["code"].tolist()
    names = dict(zip(options["code"], options["name"], strict=True))
    wanted = [c for c in st.query_params.get(key, "").split(",") if c in codes]
    return st.multiselect(
        "Wijken (2 tot 6)",
        codes,
        default=wanted or codes[:3],
        format_func=lambda c: names.get(c, c),
        max_selections=6,
        key=key,
    )


def keep_in_url(**params: str | list[str] | None) -> None:
    """Write the view's choices to the URL so it can be shared and reopened (a permalink)."""
    clean = {
        k: ",".join(v) if isinstance(v, list) else str(v)
        for k, v in params.items()
        if v not in (None, "", [])
    }
    if dict(st.query_params) != clean:
        st.query_params.from_dict(clean)


def survey_for_profile(gemeente_code: str) -> pd.DataFrame | None:
    """Return this session's survey estimates in the profile's shape (gemeente row = its code)."""
    survey = active_survey(gemeente_code)
    if survey is None:
        return None
    est = survey.result.estimates
    total = est["area"] == survey_pipeline.stats.TOTAL_AREA
    return est.assign(area=est["area"].where(~total, gemeente_code))


def download_buttons(frame: pd.DataFrame, meta, stem: str, *, key: str) -> None:
    """Offer a table as CSV and Excel (with a sheet of sources and definitions)."""
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(
        "Download CSV",
        exports.table_to_csv(frame, meta),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    c2.download_button(
        "Download Excel",
        exports.table_to_excel(frame, meta),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
    )


def show_redivision(warnings: list[str]) -> None:
    """Show re-division warnings: a changed area as a warning, an unknowable one as a note."""
    unknown = [w for w in warnings if "niet na te gaan" in w]
    for warning in warnings:
        if warning not in unknown:
            st.warning(warning, icon=":material/warning:")
    if unknown:
        st.caption(" ".join(unknown))


def open_profile_on_click(event, gemeente_code: str, level: str) -> None:
    """Open the wijkprofiel of the area clicked on the map."""
    points = (event.selection or {}).get("points", []) if event else []
    codes = [p.get("location") for p in points if p.get("location")]
    if not codes:
        return
    code = codes[0]
    if level == "buurt":
        code = f"WK{code[2:8]}"  # a buurt opens the profile of its wijk
    st.switch_page("pages/profiel.py", query_params={"gemeente": gemeente_code, "wijk": code})


# --- Aggregated tables from a gemeente's own monitor (session only, nothing cached) ---------


@dataclass(frozen=True)
class PlacedTable:
    """An aggregated table with each row placed on a CBS area (or marked off the map)."""

    table: aggregates.AggregateTable
    rows: pd.DataFrame  # frame + code, match, reason, map_status


def read_aggregate_table(content: bytes, file_name: str, gemeente_code: str) -> PlacedTable:
    """Read an aggregated table and place its rows on the wijken of a gemeente."""
    name = gemeente_names().get(gemeente_code)
    table = aggregates.read_aggregates(content, file_name, gemeente_name=name)
    regions = survey_pipeline.survey_regions(snapshot().regions, gemeente_code)
    level = "buurt" if _mostly_buurten(table.frame, regions) else "wijk"
    rows = area_module.place_areas(
        table.frame,
        regions,
        gemeente_code=gemeente_code,
        level=level,
        code_column="area_code" if "area_code" in table.frame.columns else None,
    )
    return PlacedTable(table, rows)


def _mostly_buurten(frame: pd.DataFrame, regions: pd.DataFrame) -> bool:
    """Guess the level of an aggregated table: more buurt names than wijk names matched."""
    names = set(frame["area"].astype("str").map(area_module.normalise_name))
    levels = regions.assign(key=regions["name"].astype("str").map(area_module.normalise_name))
    hits = levels[levels["key"].isin(names)]["level"].value_counts()
    return hits.get("buurt", 0) > hits.get("wijk", 0)


def show_aggregate_table(placed: PlacedTable, gemeente_code: str, gemeente_name: str) -> None:
    """Lay out an aggregated table: its figures, a bar chart, and a map of the CBS areas."""
    table, rows = placed.table, placed.rows
    for note in table.notes:
        st.caption(note)
    off = rows[rows["map_status"] != "op de kaart"]
    st.success(
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
    st.plotly_chart(
        charts.aggregate_bar_chart(
            rows,
            column,
            total=total,
            gemeente=gemeente_name,
            title=f"{column} — {gemeente_name} (eigen monitor)",
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
        shown[["area", "Waarde", "map_status", "code"]].rename(
            columns={"area": "Gebied", "map_status": "Kaart", "code": "CBS-code"}
        ),
        hide_index=True,
        width="stretch",
        key="tabel_gegevens",
    )
    st.caption(
        f"Bron: {table.file_name} (eigen monitor van de gemeente, zelf aangeleverd). "
        "'onderdrukt in bron' = de gemeente publiceerde dit cijfer niet."
    )


def survey_downloads(survey: SessionSurvey, indicator_id: str, gemeente_code: str) -> None:
    """Offer the (suppressed) survey estimates of one indicator as CSV and Excel."""
    est = survey.result.estimates
    part = est[est["indicator"] == indicator_id]
    regions, _ = survey_inputs(gemeente_code)
    names = regions.drop_duplicates("code").set_index("code")["name"]
    frame = part.assign(
        naam=[names.get(a, gemeente_names().get(gemeente_code, a)) for a in part["area"]],
        source=survey.source.id,
        period=survey.source.period,
    )
    cat = session_catalogue(gemeente_code)
    rule = (
        f"Minder dan {survey.result.min_n} antwoorden: niet getoond (ook een gebied dat uit het "
        f"totaal terug te rekenen is); minder dan {survey.result.indicative_n}: indicatief."
    )
    meta = exports.export_meta(
        cat,
        frame,
        title=f"{cat.indicator(indicator_id).label} per wijk ({survey.source.title})",
        built_on=snapshot().manifest["built_on"],
        suppression_rule=rule,
    )
    download_buttons(frame, meta, f"enquete_{indicator_id}", key="enquete")


def ensure_frame() -> None:
    """Run the page inside app.py's frame, also when a fresh server is first opened on a deep link.

    Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until
    ``st.navigation`` (in app.py) has run once in the process. A first visit to a bookmark
    such as ``/werkplaats?…`` would then run the page on its own: file names as navigation,
    no wide layout. Switching the flag and rerunning makes app.py run, and it opens the
    page that was asked for.
    """
    from streamlit.runtime.pages_manager import PagesManager

    # Once per process is enough: after the first rerun app.py has set the flag for good. The
    # guard also keeps AppTest (which resets the flag before every run) from rerunning on each
    # widget interaction and losing button clicks.
    if PagesManager.uses_pages_directory and not _FRAME_FIXED:
        _FRAME_FIXED.append(True)
        PagesManager.uses_pages_directory = False
        st.rerun()


_FRAME_FIXED: list[bool] = []  # process-wide "done once" marker for ensure_frame
