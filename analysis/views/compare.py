"""Compare areas: side-by-side table, scatter of two indicators, and a ranking of wijken."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from analysis.catalogue import MODEL_ESTIMATE, SURVEY_KINDS, Catalogue, Indicator
from analysis.charts import FONT
from analysis.format import fmt_value, plotly_separators
from analysis.regions import gemeente_code_of
from analysis.selection import (
    SUPPRESSED,
    area_name,
    area_names,
    check_survey_columns,
    choose_figures,
    country_codes,
    values_for,
)
from analysis.text import Chart, join_nl, source_caption

#: How many areas a comparison shows side by side.
MIN_AREAS, MAX_AREAS = 2, 6

#: Colours: chosen areas stand out in Okabe–Ito blue, the other areas stay grey.
HIGHLIGHT = "#0072b2"
OTHERS = "#b0b0b0"
REFERENCE = "#262730"

#: Dutch plural of each level, for titles.
LEVEL_PLURALS = {"wijk": "wijken", "buurt": "buurten"}

#: Columns of `compare_table` before the area columns.
DESCRIPTION_COLUMNS = (
    "indicator",
    "label",
    "kind",
    "source",
    "period",
    "age",
    "indeling",
    "unit",
    "decimals",
)

#: Columns of `survey_compare_table`.
SURVEY_COMPARE_COLUMNS = (
    "code",
    "name",
    "indicator",
    "label",
    "unit",
    "decimals",
    "value",
    "n",
    "ci_low",
    "ci_high",
    "status",
    "reason",
    "sig_vs_gemeente",
)


def compare_table(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    catalogue: Catalogue,
    codes: Sequence[str],
    indicator_ids: Iterable[str],
    *,
    periods: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Put 2 to 6 areas side by side, with their gemeente(n) and the country.

    Parameters
    ----------
    values, regions : pandas.DataFrame
        The snapshot's value and region tables.
    catalogue : Catalogue
    codes : sequence of str
        Two to six different region codes.
    indicator_ids : iterable of str
        Catalogue indicators of kind registratie or modelschatting; survey figures need their n
        and interval and go in `survey_compare_table`.
    periods : mapping of source id to year, optional
        Year per source; default per indicator the newest year with a value.

    Returns
    -------
    pandas.DataFrame
        `DESCRIPTION_COLUMNS`, then one column per area named after it, one per gemeente
        (``"<naam> (gemeente)"``) and ``"Nederland"`` where the snapshot has the country. Per
        indicator one choice of year, age group and source for every area, so a row never
        mixes years; values are rounded to the catalogue decimals.

    Raises
    ------
    ValueError
        In Dutch, for a wrong number of areas, an area named twice or a survey indicator.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 3, "code": ["WK1", "WK2", "GM0001"],
    ...     "period": [2020] * 3, "age": ["18+"] * 3, "source": ["50090NED"] * 3,
    ...     "value": [52.4, 40.0, 46.0]})
    >>> regs = pd.DataFrame({"code": ["WK1", "WK2", "GM0001"], "name": ["Noord", "Zuid", "Stad"],
    ...     "level": ["wijk", "wijk", "gemeente"], "indeling": [2020] * 3})
    >>> table = compare_table(vals, regs, load_catalogue(), ["WK1", "WK2"], ["eenzaam"])
    >>> table.iloc[0, len(DESCRIPTION_COLUMNS):].to_dict()
    {'Noord': 52.0, 'Zuid': 40.0}
    """
    codes = _check_codes(codes)
    wanted = list(indicator_ids)
    if not wanted:
        raise ValueError("Kies minstens één indicator om te vergelijken")
    for iid in wanted:
        ind = catalogue.indicator(iid)
        if ind.kind in SURVEY_KINDS:
            raise ValueError(
                f"Indicator {iid!r} is een enquêtecijfer: vergelijk die met "
                "survey_compare_table, zodat n en betrouwbaarheidsinterval erbij staan"
            )
    figures = choose_figures(values, catalogue, codes, periods=periods, indicator_ids=wanted)
    table = figures.copy()
    columns: dict[str, str] = {}
    for code in codes:
        columns[code] = _unique(area_name(regions, code), code, columns.values())
    gemeenten = [g for g in dict.fromkeys(gemeente_code_of(c) for c in codes) if g]
    for gemeente in gemeenten:
        if gemeente not in columns:
            columns[gemeente] = _unique(
                f"{area_name(regions, gemeente)} (gemeente)", gemeente, columns.values()
            )
    for code, name in columns.items():
        table[name] = values_for(values, figures, code)
    national = pd.Series(math.nan, index=figures.index)
    for country in country_codes(regions):
        national = national.fillna(values_for(values, figures, country))
    if national.notna().any():
        table["Nederland"] = national
    described = [catalogue.indicator(i) for i in table["indicator"]]
    table.insert(1, "label", [i.label for i in described])
    table.insert(2, "kind", [i.kind for i in described])
    # Which gebiedsindeling each figure belongs to (issue 10): a wijk code can name another
    # area in another year, so the table says it, like the profile does.
    table["indeling"] = pd.array(
        [catalogue.source(str(s)).indeling for s in table["source"]], dtype="Int64"
    )
    table["unit"] = [i.unit for i in described]
    table["decimals"] = [i.decimals for i in described]
    value_columns = [c for c in table.columns if c not in DESCRIPTION_COLUMNS]
    for col in value_columns:
        table[col] = [
            round(v, d) if not math.isnan(v) else v
            for v, d in zip(table[col].astype("float64"), table["decimals"], strict=True)
        ]
    return table[[*DESCRIPTION_COLUMNS, *value_columns]].reset_index(drop=True)


def survey_compare_table(
    survey: pd.DataFrame,
    regions: pd.DataFrame,
    catalogue: Catalogue,
    codes: Sequence[str],
    indicator_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Return the survey figures of a few areas, always with n, interval and status.

    Parameters
    ----------
    survey : pandas.DataFrame
        Survey results ``area, indicator, n, value, ci_low, ci_high, status`` (and optionally
        ``reason, sig_vs_gemeente``) with region codes in ``area``.
    regions : pandas.DataFrame
    catalogue : Catalogue
    codes : sequence of str
        The areas, in the order shown (their gemeente may be among them).
    indicator_ids : iterable of str, optional
        Default: every survey indicator in the frame.

    Returns
    -------
    pandas.DataFrame
        `SURVEY_COMPARE_COLUMNS`, one row per area and indicator; a suppressed figure has no
        value and no interval, only its n and its reason.

    Examples
    --------
    >>> from analysis.catalogue import parse_catalogue
    >>> cat = parse_catalogue({"indicators": [{"id": "eenzaam_enq", "label": "Eenzaam (enquête)",
    ...     "definition": "...", "unit": "%", "decimals": 0, "higher_is_better": "lager",
    ...     "kind": "eigen enquête", "theme": "Eenzaamheid"}]})
    >>> survey = pd.DataFrame({"area": ["WK1"], "indicator": ["eenzaam_enq"], "n": [8],
    ...     "value": [50.0], "ci_low": [20.0], "ci_high": [80.0], "status": ["onderdrukt"],
    ...     "reason": ["minder dan 10 antwoorden"]})
    >>> regs = pd.DataFrame({"code": ["WK1"], "name": ["Noord"], "indeling": [2025]})
    >>> table = survey_compare_table(survey, regs, cat, ["WK1"])
    >>> table[["name", "value", "n", "reason"]].to_dict("records")
    [{'name': 'Noord', 'value': nan, 'n': 8.0, 'reason': 'minder dan 10 antwoorden'}]
    """
    check_survey_columns(survey)
    frame = survey.assign(
        area=survey["area"].astype("str"), indicator=survey["indicator"].astype("str")
    )
    frame = frame[frame["area"].isin(list(codes))]
    wanted = (
        list(dict.fromkeys(frame["indicator"])) if indicator_ids is None else list(indicator_ids)
    )
    rows = []
    for iid in wanted:
        ind = catalogue.indicator(iid)
        if ind.kind not in SURVEY_KINDS:
            raise ValueError(
                f"Indicator {iid!r} is een {ind.kind}, geen enquêtecijfer; gebruik compare_table"
            )
        for code in codes:
            for rec in frame[(frame["area"] == code) & (frame["indicator"] == iid)].to_dict(
                "records"
            ):
                rows.append(_survey_row(rec, ind, area_name(regions, code)))
    out = pd.DataFrame(rows, columns=list(SURVEY_COMPARE_COLUMNS))
    return out.astype({c: "float64" for c in ("value", "n", "ci_low", "ci_high")})


def scatter_chart(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    catalogue: Catalogue,
    x_indicator: str,
    y_indicator: str,
    gemeente_code: str,
    highlight_codes: Sequence[str] = (),
    *,
    level: str = "wijk",
    periods: Mapping[str, int] | None = None,
) -> Chart:
    """Plot two indicators against each other for every wijk of a gemeente.

    The chosen areas are highlighted and labelled; dashed lines mark the gemeente's values.

    Parameters
    ----------
    values, regions : pandas.DataFrame
        The snapshot's value and region tables.
    catalogue : Catalogue
    x_indicator, y_indicator : str
        Catalogue ids (not survey indicators).
    gemeente_code : str
    highlight_codes : sequence of str
        Areas to highlight.
    level : str
        ``wijk`` or ``buurt``.
    periods : mapping of source id to year, optional

    Returns
    -------
    Chart
        The caption names sources and years, warns when the two indicators use different area
        divisions, and names highlighted areas without both figures.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 2 + ["moeite_rondkomen"] * 2,
    ...     "code": ["WK000101", "WK000102"] * 2, "period": [2020] * 4, "age": ["18+"] * 4,
    ...     "source": ["50090NED"] * 4, "value": [40.0, 50.0, 10.0, 20.0]})
    >>> regs = pd.DataFrame({"code": ["WK000101", "WK000102"], "name": ["Noord", "Zuid"],
    ...     "level": ["wijk"] * 2, "gemeente_code": ["GM0001"] * 2, "indeling": [2020] * 2})
    >>> chart = scatter_chart(vals, regs, load_catalogue(), "moeite_rondkomen", "eenzaam",
    ...                       "GM0001", ["WK000102"])
    >>> [(t.name, list(t.x), list(t.y)) for t in chart.figure.data]
    [('Andere wijken', [10.0], [40.0]), ('Gekozen', [20.0], [50.0])]
    """
    x_ind, y_ind = (_comparable(catalogue, i) for i in (x_indicator, y_indicator))
    areas = _areas(regions, gemeente_code, level)
    picked = []
    for ind in (x_ind, y_ind):
        figures = choose_figures(values, catalogue, areas, periods=periods, indicator_ids=[ind.id])
        picked.append(figures)
    if any(f.empty for f in picked):
        empty = x_ind if picked[0].empty else y_ind
        raise ValueError(
            f"Geen cijfers over '{empty.label}' voor de {LEVEL_PLURALS.get(level, level)} van "
            f"{area_name(regions, gemeente_code)}"
        )
    frame = pd.DataFrame({"code": areas})
    for axis, ind, figures in (("x", x_ind, picked[0]), ("y", y_ind, picked[1])):
        frame[axis] = _figure_values(values, figures, areas, ind.decimals).to_numpy()
    frame = frame.dropna(subset=["x", "y"])
    frame["name"] = area_names(regions, frame["code"])
    chosen = frame["code"].isin(list(highlight_codes))
    fig = go.Figure()
    plural = LEVEL_PLURALS.get(level, level)
    for mask, name, colour, size, mode in (
        (~chosen, f"Andere {plural}", OTHERS, 9, "markers"),
        (chosen, "Gekozen", HIGHLIGHT, 13, "markers+text"),
    ):
        part = frame[mask]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["x"].tolist(),
                y=part["y"].tolist(),
                mode=mode,
                name=name,
                text=part["name"].tolist(),
                textposition="top center",
                marker=dict(color=colour, size=size, line=dict(width=1, color="white")),
                customdata=[
                    [
                        fmt_value(a, x_ind.unit, x_ind.decimals),
                        fmt_value(b, y_ind.unit, y_ind.decimals),
                    ]
                    for a, b in zip(part["x"], part["y"], strict=True)
                ],
                hovertemplate=(
                    f"<b>%{{text}}</b><br>{x_ind.label}: %{{customdata[0]}}"
                    f"<br>{y_ind.label}: %{{customdata[1]}}<extra></extra>"
                ),
            )
        )
    gemeente = area_name(regions, gemeente_code)
    for axis, ind, figures in (("x", x_ind, picked[0]), ("y", y_ind, picked[1])):
        ref = float(_figure_values(values, figures, [gemeente_code], ind.decimals).iloc[0])
        if math.isnan(ref) or ind.unit == "aantal":
            continue
        line = dict(color=REFERENCE, width=1, dash="dash")
        label = f"{gemeente}: {fmt_value(ref, ind.unit, ind.decimals)}"
        if axis == "x":
            fig.add_vline(x=ref, line=line, annotation_text=label, annotation_position="top")
        else:
            fig.add_hline(y=ref, line=line, annotation_text=label, annotation_position="top left")
    fig.update_layout(
        title=dict(
            text=f"{y_ind.label} en {x_ind.label}: {plural} in {gemeente}",
            x=0,
            xanchor="left",
            font=dict(size=20),
        ),
        xaxis=dict(title=dict(text=_axis_title(x_ind)), gridcolor="#e5e5e5", zeroline=False),
        yaxis=dict(title=dict(text=_axis_title(y_ind)), gridcolor="#e5e5e5", zeroline=False),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
        margin=dict(l=0, r=16, t=64, b=48),
        height=560,
        separators=plotly_separators(),
        font=FONT,
    )
    pairs = [(str(f["source"].iloc[0]), int(f["period"].iloc[0])) for f in picked]
    notes = [source_caption(catalogue, pairs), f"{len(frame)} {plural} met beide cijfers."]
    divisions = {catalogue.source(s).indeling for s, _ in pairs}
    if len(divisions) > 1:
        years = join_nl(str(y) for y in sorted(divisions))
        notes.append(
            f"Let op: de twee cijfers volgen verschillende gebiedsindelingen ({years}); een "
            "wijkcode kan in die jaren een ander gebied zijn."
        )
    absent = [c for c in highlight_codes if c not in set(frame["code"])]
    if absent:
        names = join_nl(area_name(regions, c) for c in absent)
        notes.append(f"Zonder beide cijfers, dus niet in de figuur: {names}.")
    if MODEL_ESTIMATE in (x_ind.kind, y_ind.kind):
        notes.append("Modelschattingen (RIVM) zijn geen metingen per wijk.")
    return Chart(fig, " ".join(notes))


def ranking_chart(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    catalogue: Catalogue,
    indicator: str,
    gemeente_code: str,
    highlight_codes: Sequence[str] = (),
    *,
    level: str = "wijk",
    periods: Mapping[str, int] | None = None,
) -> Chart:
    """Rank the wijken of a gemeente on one indicator, chosen ones highlighted.

    Horizontal bars, highest at the top; a dashed line marks the gemeente's value (not for
    counts, where the gemeente is the sum of its wijken).

    Parameters
    ----------
    values, regions : pandas.DataFrame
    catalogue : Catalogue
    indicator : str
        Catalogue id (not a survey indicator).
    gemeente_code : str
    highlight_codes : sequence of str
    level : str
        ``wijk`` or ``buurt``.
    periods : mapping of source id to year, optional

    Returns
    -------
    Chart

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 3,
    ...     "code": ["WK000101", "WK000102", "GM0001"], "period": [2020] * 3,
    ...     "age": ["18+"] * 3, "source": ["50090NED"] * 3, "value": [40.0, 50.0, 46.0]})
    >>> regs = pd.DataFrame({"code": ["WK000101", "WK000102", "GM0001"],
    ...     "name": ["Noord", "Zuid", "Stad"], "level": ["wijk", "wijk", "gemeente"],
    ...     "gemeente_code": ["GM0001"] * 3, "indeling": [2020] * 3})
    >>> chart = ranking_chart(vals, regs, load_catalogue(), "eenzaam", "GM0001", ["WK000101"])
    >>> bars = chart.figure.data[0]
    >>> list(bars.y), list(bars.x), list(bars.marker.color)
    (['Zuid', 'Noord'], [50.0, 40.0], ['#b0b0b0', '#0072b2'])
    """
    ind = _comparable(catalogue, indicator)
    areas = _areas(regions, gemeente_code, level)
    figures = choose_figures(values, catalogue, areas, periods=periods, indicator_ids=[ind.id])
    plural = LEVEL_PLURALS.get(level, level)
    gemeente = area_name(regions, gemeente_code)
    if figures.empty:
        raise ValueError(f"Geen cijfers over '{ind.label}' voor de {plural} van {gemeente}")
    # Rank the areas of the source's own indeling: codes of other indelingen would show up as
    # "zonder cijfer" while they simply did not exist then.
    indeling = catalogue.source(str(figures["source"].iloc[0])).indeling
    areas = _areas(regions, gemeente_code, level, indeling)
    frame = pd.DataFrame(
        {"code": areas, "value": _figure_values(values, figures, areas, ind.decimals).to_numpy()}
    )
    frame["name"] = area_names(regions, frame["code"])
    without = frame[frame["value"].isna()]
    frame = frame.dropna(subset=["value"]).sort_values(
        ["value", "name"], ascending=[False, True], kind="stable"
    )
    chosen = frame["code"].isin(list(highlight_codes))
    fig = go.Figure(
        go.Bar(
            x=frame["value"].tolist(),
            y=frame["name"].tolist(),
            orientation="h",
            marker=dict(color=[HIGHLIGHT if c else OTHERS for c in chosen]),
            text=[fmt_value(v, ind.unit, ind.decimals) for v in frame["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="<b>%{y}</b><br>%{text}<extra></extra>",
            name=ind.label,
            showlegend=False,
        )
    )
    if ind.unit != "aantal":
        ref = float(_figure_values(values, figures, [gemeente_code], ind.decimals).iloc[0])
        if not math.isnan(ref):
            fig.add_vline(
                x=ref,
                line=dict(color=REFERENCE, width=1, dash="dash"),
                annotation_text=f"{gemeente}: {fmt_value(ref, ind.unit, ind.decimals)}",
                annotation_position="top",
            )
    period = int(figures["period"].iloc[0])
    fig.update_layout(
        title=dict(
            text=f"{ind.label}: {plural} in {gemeente} ({period})",
            x=0,
            xanchor="left",
            font=dict(size=20),
        ),
        xaxis=dict(title=dict(text=_axis_title(ind)), gridcolor="#e5e5e5", rangemode="tozero"),
        yaxis=dict(autorange="reversed", automargin=True),
        plot_bgcolor="white",
        bargap=0.25,
        height=140 + 24 * max(len(frame), 1),
        margin=dict(l=0, r=48, t=72, b=48),
        separators=plotly_separators(),
        font=FONT,
    )
    notes = [source_caption(catalogue, [(str(figures["source"].iloc[0]), period)])]
    if not without.empty:
        names = join_nl(without["name"].tolist())
        notes.append(f"Zonder cijfer: {names}.")
    absent = [c for c in highlight_codes if c not in set(frame["code"])]
    if absent:
        notes.append(
            f"Gekozen maar zonder cijfer: {join_nl(area_name(regions, c) for c in absent)}."
        )
    if ind.kind == MODEL_ESTIMATE:
        notes.append(
            "Modelschattingen (RIVM) zijn geen metingen per wijk: kleine verschillen tussen "
            "wijken zeggen weinig."
        )
    return Chart(fig, " ".join(notes))


def _check_codes(codes: Sequence[str]) -> list[str]:
    """Return the codes as a list, or raise when there are too few, too many or doubles."""
    codes = [str(c) for c in codes]
    if not MIN_AREAS <= len(codes) <= MAX_AREAS:
        raise ValueError(
            f"Kies {MIN_AREAS} tot {MAX_AREAS} gebieden om te vergelijken; gekozen: {len(codes)}"
        )
    doubles = sorted({c for c in codes if codes.count(c) > 1})
    if doubles:
        raise ValueError(f"Gebied {doubles[0]} is twee keer gekozen; kies verschillende gebieden")
    return codes


def _comparable(catalogue: Catalogue, indicator_id: str) -> Indicator:
    """Return a catalogue indicator that charts over all wijken can show (no survey figure)."""
    ind = catalogue.indicator(indicator_id)
    if ind.kind in SURVEY_KINDS:
        raise ValueError(
            f"Indicator {indicator_id!r} is een enquêtecijfer: die staan met n en "
            "betrouwbaarheidsinterval in survey_compare_table, niet in deze figuur"
        )
    return ind


def _areas(
    regions: pd.DataFrame, gemeente_code: str, level: str, indeling: int | None = None
) -> list[str]:
    """Return the codes of the areas of a level in a gemeente.

    With ``indeling``: the areas of that indeling when the snapshot has it for the gemeente,
    otherwise of its newest indeling. Without: the areas of every indeling.
    """
    rows = regions[(regions["gemeente_code"] == gemeente_code) & (regions["level"] == level)]
    if indeling is not None and not rows.empty:
        own = rows[rows["indeling"] == indeling]
        rows = own if not own.empty else rows[rows["indeling"] == rows["indeling"].max()]
    areas = sorted(set(rows["code"].astype("str")))
    if not areas:
        raise ValueError(
            f"Geen {LEVEL_PLURALS.get(level, level)} van gemeente {gemeente_code} in de snapshot"
        )
    return areas


def _survey_row(rec: dict, ind: Indicator, name: str) -> dict:
    """Return one row of `survey_compare_table`; a suppressed figure keeps only n and reason."""
    suppressed = str(rec.get("status") or "") == SUPPRESSED
    return {
        "code": rec["area"],
        "name": name,
        "indicator": ind.id,
        "label": ind.label,
        "unit": ind.unit,
        "decimals": ind.decimals,
        "value": math.nan if suppressed else _round(rec["value"], ind.decimals),
        "n": float(rec["n"]),
        "ci_low": math.nan if suppressed else _round(rec["ci_low"], ind.decimals),
        "ci_high": math.nan if suppressed else _round(rec["ci_high"], ind.decimals),
        "status": str(rec.get("status") or ""),
        "reason": str(rec.get("reason") or ""),
        "sig_vs_gemeente": "" if suppressed else rec.get("sig_vs_gemeente", ""),
    }


def _axis_title(ind: Indicator) -> str:
    """Return an axis title: the label with its unit (no unit for counts)."""
    return ind.label if ind.unit == "aantal" else f"{ind.label} ({ind.unit})"


def _round(value: float | None, decimals: int) -> float:
    """Round as the screen shows; missing stays NaN."""
    if value is None or pd.isna(value):
        return math.nan
    return round(float(value), decimals)


def _unique(name: str, code: str, taken: Iterable[str]) -> str:
    """Return a column name not yet taken: two areas can share a name ("Centrum")."""
    return name if name not in set(taken) else f"{name} ({code})"


def _figure_values(
    values: pd.DataFrame, figures: pd.DataFrame, codes: Sequence[str], decimals: int
) -> pd.Series:
    """Return the value of one chosen figure for many areas at once, rounded, by code."""
    fig = figures.iloc[0]
    mask = (
        (values["indicator"] == fig["indicator"])
        & (values["period"] == fig["period"])
        & (values["age"] == fig["age"])
        & (values["source"] == fig["source"])
        & values["code"].isin(list(codes))
    )
    found = values.loc[mask, ["code", "value"]].astype({"code": "str"}).drop_duplicates("code")
    series = found.set_index("code")["value"].astype("float64").reindex(list(codes))
    return series.round(decimals)
