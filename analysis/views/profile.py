"""The wijkprofiel: one area's figures next to its gemeente and the country, with signals."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.catalogue import (
    FICTITIOUS,
    MODEL_ESTIMATE,
    REGISTRATION,
    SURVEY_KIND,
    SURVEY_KINDS,
    Catalogue,
    Indicator,
)
from analysis.charts import FONT
from analysis.figure import is_fictitious, sentence_marked
from analysis.format import fmt_interval, fmt_value, plotly_separators
from analysis.indicators import ALL_AGES
from analysis.regions import gemeente_code_of
from analysis.selection import (
    AGE_PREFERENCE,
    INDICATIVE,
    SUPPRESSED,
    check_survey_columns,
    choose_figures,
    country_codes,
)
from analysis.text import Chart, difference_sentence, source_caption

#: Columns of `profile_table`, in order.
PROFILE_COLUMNS = (
    "indicator",
    "label",
    "theme",
    "kind",
    "source",
    "period",
    "age",
    "indeling",
    "unit",
    "decimals",
    "value",
    "gemeente",
    "nederland",
    "difference",
    "signal",
    "signal_basis",
    "n",
    "n_eff",
    "ci_low",
    "ci_high",
    "status",
    "reason",
    "nederland_period",
)

#: How many years older the country's CBS figure may be than the area's (KWB 2025 of
#: Leeuwarden against the country's KWB 2024): shown with its own year.
NATIONAL_LAG = 1


@dataclass(frozen=True)
class Margin:
    """The smallest difference with the gemeente that the profile calls a difference.

    Attributes
    ----------
    points : float
        For percentages: the minimum absolute difference in percentage points.
    relative : float
        For every unit: the minimum difference as a share of the gemeente value (0.10 = 10 %).
    steps : int
        For every unit: the minimum difference in steps of the last decimal shown, so that a
        difference made by rounding alone (0,9 against 0,8 km) never counts.
    """

    points: float
    relative: float
    steps: int = 2


#: Margins per kind of figure. Registrations (CBS) count everyone, so they carry no sampling
#: error: the margin only keeps small, unimportant differences out of view. The RIVM does publish
#: margins with its model estimates, but the snapshot holds only the point estimates of 50090NED,
#: and a model estimate for a wijk is pulled
#: towards what the make-up of its population predicts; we ask one more percentage point of it.
#: These are rules of thumb, not a statistical test; `MARGIN_RULE` says so on the page.
MARGINS = {
    REGISTRATION: Margin(points=2.0, relative=0.10),
    MODEL_ESTIMATE: Margin(points=3.0, relative=0.10),
}

#: The margin rule in words, for the page and the exports.
MARGIN_RULE = (
    "Een cijfer heet hoger of lager dan de gemeente als het verschil groot genoeg is. "
    "Registratie (CBS): bij percentages minstens 2 procentpunt én minstens 10 % van het "
    "gemeentecijfer; bij andere eenheden minstens 10 % én minstens twee stappen van de laatste "
    "getoonde decimaal (0,9 tegen 0,8 km telt dus niet: dat kan door afronden komen). "
    "Modelschatting (RIVM): minstens 3 procentpunt én minstens 10 %; het RIVM publiceert bij "
    "deze schattingen wel marges, maar deze gegevens bevatten alleen de schattingen zelf, dus "
    "dit is een vuistregel en geen toets. "
    "Eigen enquête: alleen als het verschil significant is (95 %-betrouwbaarheid). "
    "Aantallen (zoals inwoners) worden niet met de gemeente vergeleken. "
    "Vergeleken worden de afgeronde cijfers, zoals ze op het scherm staan."
)

#: Why a signal is set, per kind; shown next to the signal.
SIGNAL_BASIS = {
    REGISTRATION: "verschil groter dan de marge",
    MODEL_ESTIMATE: "verschil groter dan de marge (modelschatting, geen meting)",
    SURVEY_KIND: "significant verschil (enquête, 95 %)",
    FICTITIOUS: "significant verschil (fictief voorbeeld, 95 %)",
}

#: Colours and markers of the profile chart: Okabe–Ito colours (safe for colour blindness), and a
#: different marker per meaning so colour is never the only cue (WCAG 1.4.1).
VERDICT_STYLE = {
    "beter": ("Beter dan de gemeente", "#0072b2", "circle"),
    "slechter": ("Slechter dan de gemeente", "#d55e00", "diamond"),
    "anders": ("Anders dan de gemeente (geen oordeel)", "#6a3d9a", "square"),
    "klein": ("Verschil klein of onzeker", "#9e9e9e", "circle-open"),
}


#: Ticks of the profile chart's log index axis.
INDEX_TICKS = (10, 25, 50, 100, 200, 400, 1000)


def margin_signal(value: float, reference: float, unit: str, kind: str, decimals: int = 0) -> str:
    """Return "hoger" or "lager" when a value differs from the gemeente beyond `MARGINS`.

    Parameters
    ----------
    value, reference : float
        The area's and the gemeente's value, rounded as on screen.
    unit : str
        The catalogue unit; counts (``aantal``) are never compared.
    kind : str
        ``registratie`` or ``modelschatting`` (survey figures use their significance test).
    decimals : int
        The catalogue decimals: the size of one rounding step.

    Returns
    -------
    str
        ``"hoger"``, ``"lager"`` or ``""`` (no signal).

    Examples
    --------
    >>> margin_signal(52.0, 46.0, "%", "modelschatting")
    'hoger'
    >>> margin_signal(48.0, 46.0, "%", "registratie")  # 2 points, but only 4 % of 46
    ''
    >>> margin_signal(0.9, 0.8, "km", "registratie", 1)  # one rounding step
    ''
    >>> margin_signal(1.0, 0.8, "km", "registratie", 1)
    'hoger'
    """
    if kind not in MARGINS:
        raise ValueError(f"Soort {kind!r} heeft geen marge; verwacht een van {tuple(MARGINS)}")
    if unit == "aantal" or _missing(value) or _missing(reference):
        return ""
    difference = value - reference
    if difference == 0:
        return ""
    margin = MARGINS[kind]
    tolerance = 1e-9  # 47.3 - 45.3 is 1.9999999999999957 in floats
    relative = abs(difference) / abs(reference) if reference != 0 else math.inf
    beyond = relative >= margin.relative - tolerance
    beyond = beyond and abs(difference) >= margin.steps * 10.0**-decimals - tolerance
    if unit == "%":
        beyond = beyond and abs(difference) >= margin.points - tolerance
    if not beyond:
        return ""
    return "hoger" if difference > 0 else "lager"


def survey_signal(flag: object, difference: float) -> str:
    """Turn a survey significance flag into "hoger", "lager" or "".

    The flag may already be ``"hoger"``/``"lager"``, or a boolean (significant or not), in which
    case the sign of the difference gives the direction.

    Examples
    --------
    >>> survey_signal("Hoger", 5.0), survey_signal(True, -4.0), survey_signal(False, 9.0)
    ('hoger', 'lager', '')
    """
    if isinstance(flag, str):
        text = flag.strip().lower()
        return text if text in ("hoger", "lager") else ""
    if flag is None or _missing(flag) or not bool(flag) or _missing(difference):
        return ""
    if difference > 0:
        return "hoger"
    return "lager" if difference < 0 else ""


def verdict(signal: str, higher_is_better: str) -> str:
    """Return "beter", "slechter", "anders" or "klein" for a signal and a catalogue direction.

    Examples
    --------
    >>> [verdict(s, d) for s, d in [("hoger", "lager"), ("lager", "lager"), ("hoger", "neutraal"),
    ...                             ("", "hoger")]]
    ['slechter', 'beter', 'anders', 'klein']
    """
    if signal not in ("hoger", "lager"):
        return "klein"
    if higher_is_better == "neutraal":
        return "anders"
    return "beter" if signal == higher_is_better else "slechter"


def profile_table(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    catalogue: Catalogue,
    *,
    code: str,
    gemeente_code: str,
    periods: Mapping[str, int] | None = None,
    survey: pd.DataFrame | None = None,
    ages: tuple[str, ...] = AGE_PREFERENCE,
) -> pd.DataFrame:
    """Build the wijkprofiel: one row per indicator the area has a figure for.

    Parameters
    ----------
    values : pandas.DataFrame
        The snapshot's long value table.
    regions : pandas.DataFrame
        The snapshot's regions (for the country code).
    catalogue : Catalogue
    code : str
        The area (wijk or buurt code).
    gemeente_code : str
        The gemeente it is compared with.
    periods : mapping of source id to year, optional
        Year per source; default per indicator the newest year with a value for the area.
    survey : pandas.DataFrame, optional
        Survey results ``area, indicator, n, n_eff, value, ci_low, ci_high, status, reason,
        sig_vs_gemeente`` where ``area`` is a region code; the gemeente's own row has
        ``area == gemeente_code``. Indicators must be catalogue indicators of kind
        "eigen enquête", so a survey figure never stands in the row of a RIVM estimate.
    ages : tuple of str
        Age groups in order of preference.

    Returns
    -------
    pandas.DataFrame
        Columns `PROFILE_COLUMNS`, in catalogue order. Values are rounded to the catalogue
        decimals (what the screen shows) and the difference is taken from the rounded values.
        ``nederland`` is filled only where the snapshot has a country figure (RIVM ``NL01``).
        ``signal`` follows `margin_signal` for registrations and model estimates and the
        significance flag for survey figures. Suppressed survey figures keep ``n`` and their
        reason but no value, interval or difference.

    Raises
    ------
    ValueError
        When ``code`` lies in another gemeente, or the survey frame breaks its contract.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 3, "code": ["WK008061", "GM0080", "NL01"],
    ...     "period": [2020] * 3, "age": ["18+"] * 3, "source": ["50090NED"] * 3,
    ...     "value": [52.4, 46.1, 47.0]})
    >>> regs = pd.DataFrame({"code": ["NL01"], "level": ["land"]})
    >>> table = profile_table(vals, regs, load_catalogue(), code="WK008061",
    ...                       gemeente_code="GM0080")
    >>> table[["value", "gemeente", "nederland", "difference", "signal"]].to_dict("records")
    [{'value': 52.0, 'gemeente': 46.0, 'nederland': 47.0, 'difference': 6.0, 'signal': 'hoger'}]
    """
    table = snapshot_profile(
        values,
        regions,
        catalogue,
        code=code,
        gemeente_code=gemeente_code,
        periods=periods,
        ages=ages,
    )
    if survey is None:
        return table
    return with_survey(table, survey, catalogue, code=code, gemeente_code=gemeente_code)


def snapshot_profile(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    catalogue: Catalogue,
    *,
    code: str,
    gemeente_code: str,
    periods: Mapping[str, int] | None = None,
    ages: tuple[str, ...] = AGE_PREFERENCE,
) -> pd.DataFrame:
    """Build the snapshot's part of the wijkprofiel (`profile_table` without a survey).

    The snapshot is public and never changes, so a page may keep this per area and add a
    session's survey rows with `with_survey` (issue #14: time per rerun). Parameters and
    result as `profile_table`; only the rows of the area, its gemeente and the country are
    read, so ``values`` may be the whole snapshot or a gemeente's slice of it.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 3, "code": ["WK008061", "GM0080", "NL01"],
    ...     "period": [2020] * 3, "age": ["18+"] * 3, "source": ["50090NED"] * 3,
    ...     "value": [52.4, 46.1, 47.0]})
    >>> regs = pd.DataFrame({"code": ["NL01"], "level": ["land"]})
    >>> table = snapshot_profile(vals, regs, load_catalogue(), code="WK008061",
    ...                          gemeente_code="GM0080")
    >>> table[["indicator", "value", "gemeente", "nederland"]].to_dict("records")
    [{'indicator': 'eenzaam', 'value': 52.0, 'gemeente': 46.0, 'nederland': 47.0}]
    """
    owner = gemeente_code_of(code)
    if owner is not None and owner != gemeente_code:
        raise ValueError(f"Gebied {code} hoort bij {owner}, niet bij gemeente {gemeente_code}")
    countries = country_codes(regions)
    # Every step below reads only these codes' rows: filter the (long) table once.
    values = values[values["code"].isin([code, gemeente_code, *countries])]
    figures = choose_figures(values, catalogue, [code], periods=periods, ages=ages)
    # A few hundred rows and a few dozen figures: plain dicts, not a merge per column (the
    # same values as `values_for`; issue #14, a profile's first view).
    found = _value_index(values)
    country_rows = [  # every country row with a value, in table order (for the fallback)
        (key[1:4], value)
        for key, value in _rows(values[values["code"].isin(countries)])
        if not _missing(value)
    ]
    keys = list(
        zip(
            figures["indicator"].astype("str"),
            figures["period"].astype("int64"),
            figures["age"].astype("str"),
            figures["source"].astype("str"),
            strict=True,
        )
    )
    national, national_period = [], []
    for key in keys:
        value = next(
            (v for v in (found.get((c, *key), math.nan) for c in countries) if not _missing(v)),
            math.nan,
        )
        year = float(key[1]) if not _missing(value) else math.nan
        if _missing(value) and catalogue.indicator(key[0]).kind == REGISTRATION:
            value, year = _national_fallback(country_rows, key)
        national.append(value)
        national_period.append(year)
    figures = figures.assign(
        value=[found.get((code, *key), math.nan) for key in keys],
        gemeente=[found.get((gemeente_code, *key), math.nan) for key in keys],
        nederland=pd.Series(national, index=figures.index, dtype="float64"),
        nederland_period=pd.Series(national_period, index=figures.index, dtype="float64"),
    )
    table = _snapshot_rows(figures, catalogue)
    if table.empty:
        return _empty_profile()
    return _in_catalogue_order(table, catalogue)


def with_survey(
    table: pd.DataFrame,
    survey: pd.DataFrame,
    catalogue: Catalogue,
    *,
    code: str,
    gemeente_code: str,
) -> pd.DataFrame:
    """Add a survey's rows for one area to a profile from `snapshot_profile`.

    Parameters
    ----------
    table : pandas.DataFrame
        From `snapshot_profile`; columns beyond `PROFILE_COLUMNS` (such as a region's ``ggd``)
        are kept, empty for the survey rows.
    survey : pandas.DataFrame
        As in `profile_table`.
    catalogue : Catalogue
        The catalogue with the survey's indicators.
    code, gemeente_code : str
        The area and its gemeente.

    Returns
    -------
    pandas.DataFrame
        The rows of both, in catalogue order, with the columns of ``table``.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> empty = snapshot_profile(pd.DataFrame(columns=["indicator", "code", "period", "age",
    ...     "source", "value"]), pd.DataFrame({"code": [], "level": []}), load_catalogue(),
    ...     code="WK008061", gemeente_code="GM0080")
    >>> with_survey(empty, pd.DataFrame(columns=["area", "indicator", "n", "value", "ci_low",
    ...     "ci_high", "status"]), load_catalogue(), code="WK008061", gemeente_code="GM0080").empty
    True
    """
    rows = _survey_rows(survey, catalogue, code, gemeente_code)
    parts = [p for p in (table, rows) if not p.empty]
    if not parts:
        return table
    if len(parts) == 1 and parts[0] is table:
        return table
    combined = _in_catalogue_order(pd.concat(parts, ignore_index=True), catalogue)
    return combined.reindex(columns=list(table.columns))


def _in_catalogue_order(table: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Sort profile rows in catalogue order (stable), with a fresh index."""
    order = {iid: i for i, iid in enumerate(catalogue.ids())}
    table = table.assign(_order=table["indicator"].map(order)).sort_values("_order", kind="stable")
    extra = [c for c in table.columns if c not in PROFILE_COLUMNS and c != "_order"]
    columns = [*PROFILE_COLUMNS, *extra]
    return table.drop(columns="_order").reset_index(drop=True)[columns]


def profile_chart(table: pd.DataFrame, catalogue: Catalogue, *, area: str, gemeente: str) -> Chart:
    """Draw the profile as an index against the gemeente (gemeente = 100), grouped by theme.

    In the spirit of the GGD "profieltaart" and the Rotterdam "hoefijzer": one dot per
    indicator, coloured only where `profile_table` set a signal, and coloured as better or worse
    following the catalogue's ``higher_is_better``. Counts and figures without a gemeente value
    are left out (an index of a count says nothing). Survey figures carry their 95 % interval.

    Parameters
    ----------
    table : pandas.DataFrame
        From `profile_table`.
    catalogue : Catalogue
    area, gemeente : str
        Names shown in the title and the reference line.

    Returns
    -------
    Chart

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 2, "code": ["WK008061", "GM0080"],
    ...     "period": [2020] * 2, "age": ["18+"] * 2, "source": ["50090NED"] * 2,
    ...     "value": [52.0, 40.0]})
    >>> regs = pd.DataFrame({"code": ["NL01"], "level": ["land"]})
    >>> cat = load_catalogue()
    >>> table = profile_table(vals, regs, cat, code="WK008061", gemeente_code="GM0080")
    >>> chart = profile_chart(table, cat, area="Vrijheidswijk", gemeente="Leeuwarden")
    >>> [(t.name, list(t.x)) for t in chart.figure.data if t.showlegend is not False]
    [('Slechter dan de gemeente', [130.0])]
    """
    shown = table[
        (table["unit"] != "aantal")
        & table["value"].notna()
        & table["gemeente"].notna()
        & (table["gemeente"] != 0)
    ]
    themes = _theme_order(catalogue)
    shown = shown.assign(
        _theme=shown["theme"].map(themes).fillna(len(themes)),
        _order=shown["indicator"].map({iid: i for i, iid in enumerate(catalogue.ids())}),
    ).sort_values(["_theme", "_order"])
    fig = go.Figure()
    # Plotly orders categories by first appearance over all traces: an invisible first trace
    # with every row fixes the catalogue order of themes and indicators.
    fig.add_trace(
        go.Scatter(
            x=[None] * len(shown),
            y=[shown["theme"].tolist(), shown["label"].tolist()],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    for key, (name, colour, symbol) in VERDICT_STYLE.items():
        rows = shown[
            [
                verdict(s, catalogue.indicator(i).higher_is_better) == key
                for s, i in zip(shown["signal"], shown["indicator"], strict=True)
            ]
        ]
        if rows.empty:
            continue
        index = (100 * rows["value"] / rows["gemeente"]).round(0)
        error = None
        if rows["ci_low"].notna().any():
            high = 100 * rows["ci_high"] / rows["gemeente"] - index
            low = index - 100 * rows["ci_low"] / rows["gemeente"]
            error = dict(
                type="data", array=high.tolist(), arrayminus=low.tolist(), color=colour, width=0
            )
        fig.add_trace(
            go.Scatter(
                x=index.tolist(),
                y=[rows["theme"].tolist(), rows["label"].tolist()],
                mode="markers",
                name=name,
                marker=dict(color=colour, symbol=symbol, size=12, line=dict(width=2, color=colour)),
                error_x=error,
                text=[_hover(r, area, gemeente) for r in rows.itertuples(index=False)],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    # On a log axis plotly places a shape by its value (100) but an annotation by its log10 (2).
    fig.add_shape(
        type="line",
        xref="x",
        yref="paper",
        x0=100,
        x1=100,
        y0=0,
        y1=1,
        line=dict(color="#262730", width=1, dash="dash"),
    )
    fig.add_annotation(
        x=2,
        xref="x",
        y=1,
        yref="paper",
        yanchor="bottom",
        text=f"{gemeente} = 100",
        showarrow=False,
    )
    index_all = 100 * shown["value"] / shown["gemeente"]
    low = math.log10(max(min([*index_all.tolist(), 100.0]) * 0.8, 1.0))
    high = math.log10(max([*index_all.tolist(), 100.0]) * 1.25)
    fig.update_layout(
        title=dict(
            text=_chart_title(shown, area, gemeente), x=0, xanchor="left", font=dict(size=20)
        ),
        # A log axis: half (50) and double (200) the gemeente are equally far from 100.
        xaxis=dict(
            title=dict(text=f"Index ({gemeente} = 100), logaritmische schaal"),
            type="log",
            range=[low, high],
            tickvals=list(INDEX_TICKS),
            gridcolor="#e5e5e5",
            zeroline=False,
        ),
        yaxis=dict(autorange="reversed", automargin=True, gridcolor="#f0f0f0"),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
        height=160 + 28 * max(len(shown), 1),
        margin=dict(l=0, r=16, t=64, b=48),
        separators=plotly_separators(),
        font=FONT,
    )
    caption = " ".join(
        part
        for part in (
            source_caption(catalogue, _figures_shown(shown)),
            f"Index: {gemeente} = 100. Gekleurd alleen waar het verschil groter is dan de marge "
            "(registratie, modelschatting) of significant is (eigen enquête).",
            _left_out(table, shown),
        )
        if part
    )
    return Chart(fig, caption)


def profile_text(
    table: pd.DataFrame, *, area: str, gemeente: str, catalogue: Catalogue | None = None
) -> list[str]:
    """Return short B1 sentences about the differences that carry a signal.

    Figures without a signal (small difference, not significant, suppressed) get no sentence,
    so the text never claims more than the numbers carry. Model estimates say "naar schatting".

    Parameters
    ----------
    table : pandas.DataFrame
        From `profile_table`.
    area, gemeente : str
        Names as shown on screen.
    catalogue : Catalogue, optional
        The catalogue the table was built with; its ``phrase`` of each indicator words the
        sentence (default: the catalogue file's).

    Returns
    -------
    list of str

    Examples
    --------
    >>> table = pd.DataFrame({"indicator": ["eenzaam"], "label": ["Eenzaam (RIVM-schatting)"],
    ...     "kind": ["modelschatting"], "age": ["18+"], "unit": ["%"], "decimals": [0],
    ...     "value": [53.0], "gemeente": [46.0], "signal": ["hoger"], "n": [float("nan")],
    ...     "status": [""]})
    >>> for line in profile_text(table, area="Binnenstad", gemeente="Leeuwarden"):
    ...     print(line.replace("\u00a0", " "))  # doctest: +NORMALIZE_WHITESPACE
    In Binnenstad voelen naar schatting meer mensen zich eenzaam dan gemiddeld in Leeuwarden:
    53 % tegen 46 %.
    """
    sentences = []
    for row in table.itertuples(index=False):
        if row.signal not in ("hoger", "lager") or row.status == SUPPRESSED:
            continue
        value_text = fmt_value(row.value, row.unit, int(row.decimals))
        if row.kind in SURVEY_KINDS and not _missing(row.n):
            note = ", indicatief" if row.status == INDICATIVE else ""
            value_text = f"{value_text} (n = {int(row.n)}{note})"
        sentences.append(
            sentence_marked(
                difference_sentence(
                    row.indicator,
                    row.label,
                    kind=row.kind,
                    direction=row.signal,
                    area=area,
                    gemeente=gemeente,
                    value_text=value_text,
                    reference_text=fmt_value(row.gemeente, row.unit, int(row.decimals)),
                    age_note="(bij 65-plussers)" if row.age == "65+" else "",
                    catalogue=catalogue,
                ),
                row.kind,
            )
        )
    return sentences


def _snapshot_rows(figures: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Turn chosen snapshot figures with area, gemeente and country values into profile rows."""
    rows = []
    for fig in figures.itertuples(index=False):
        ind = catalogue.indicator(fig.indicator)
        value, gemeente, national = (
            _round(x, ind.decimals) for x in (fig.value, fig.gemeente, fig.nederland)
        )
        signal = margin_signal(value, gemeente, ind.unit, ind.kind, ind.decimals)
        rows.append(
            {
                **_describe(ind, catalogue, fig.source, fig.period, fig.age),
                "value": value,
                "gemeente": gemeente,
                "nederland": national,
                "difference": _difference(value, gemeente, ind),
                "signal": signal,
                "signal_basis": SIGNAL_BASIS[ind.kind] if signal else "",
                "nederland_period": fig.nederland_period,
            }
        )
    return _frame(rows)


def _rows(values: pd.DataFrame):
    """Yield ``((code, indicator, period, age, source), value)`` per row, as plain Python."""
    return zip(
        zip(
            values["code"].astype("str").tolist(),
            values["indicator"].astype("str").tolist(),
            values["period"].astype("int64").tolist(),
            values["age"].astype("str").tolist(),
            values["source"].astype("str").tolist(),
            strict=True,
        ),
        values["value"].astype("float64").tolist(),
        strict=True,
    )


def _value_index(values: pd.DataFrame) -> dict[tuple, float]:
    """Return ``(code, indicator, period, age, source) -> value``, the first row of each key."""
    found: dict[tuple, float] = {}
    for key, value in _rows(values):
        found.setdefault(key, value)
    return found


def _national_fallback(country_rows: list[tuple[tuple, float]], key: tuple) -> tuple[float, float]:
    """Return a CBS registration's country figure from a year or so earlier, and its year.

    Up to `NATIONAL_LAG` years earlier, same indicator and age group, any source; the newest
    such year wins (of equal years, the last row). ``(NaN, NaN)`` when there is none.
    ``country_rows`` holds ``((indicator, period, age), value)`` of the country's rows.

    The country has KWB 2024 (85984NED) only; a gemeente with KWB 2025 (Leeuwarden) would
    otherwise show "–" for Nederland. RIVM estimates are never mixed across years.
    """
    indicator, year, age = key[0], int(key[1]), key[2]
    best: tuple[float, float] = (math.nan, math.nan)
    best_year = None
    for (ind, period, a), value in country_rows:
        if ind != indicator or a != age or not year - NATIONAL_LAG <= period <= year:
            continue
        if best_year is None or period >= best_year:
            best, best_year = (float(value), float(period)), period
    return best


def _survey_rows(
    survey: pd.DataFrame, catalogue: Catalogue, code: str, gemeente_code: str
) -> pd.DataFrame:
    """Turn the survey results of one area into profile rows (with n, interval and status)."""
    check_survey_columns(survey)
    area = survey[survey["area"].astype("str") == code]
    reference = survey[survey["area"].astype("str") == gemeente_code].drop_duplicates("indicator")
    reference = reference.set_index(reference["indicator"].astype("str"))
    rows = []
    for rec in area.to_dict("records"):
        ind = catalogue.indicator(str(rec["indicator"]))
        if ind.kind not in SURVEY_KINDS:
            raise ValueError(
                f"Enquêtecijfers, indicator {ind.id!r}: de catalogus noemt dit een {ind.kind}, "
                "geen eigen enquête; enquêtecijfers krijgen een eigen indicator"
            )
        suppressed = str(rec.get("status") or "") == SUPPRESSED
        value = math.nan if suppressed else _round(rec["value"], ind.decimals)
        ref = reference.loc[ind.id] if ind.id in reference.index else None
        gemeente = math.nan
        if ref is not None and str(ref.get("status") or "") != SUPPRESSED:
            gemeente = _round(ref["value"], ind.decimals)
        difference = _difference(value, gemeente, ind)
        signal = "" if suppressed else survey_signal(rec.get("sig_vs_gemeente"), difference)
        source = ind.source_ids[0] if ind.source_ids else ""
        period = rec.get("period")
        if _missing(period):
            period = catalogue.source(source).period if source else None
        rows.append(
            {
                **_describe(ind, catalogue, source, period, str(rec.get("age") or ALL_AGES)),
                "value": value,
                "gemeente": gemeente,
                "nederland": math.nan,
                "difference": difference,
                "signal": signal,
                "signal_basis": SIGNAL_BASIS[ind.kind] if signal else "",
                "n": float(rec["n"]),
                "n_eff": float(rec.get("n_eff", math.nan)),
                "ci_low": math.nan if suppressed else _round(rec["ci_low"], ind.decimals),
                "ci_high": math.nan if suppressed else _round(rec["ci_high"], ind.decimals),
                "status": str(rec.get("status") or ""),
                "reason": str(rec.get("reason") or ""),
            }
        )
    return _frame(rows)


def _describe(ind: Indicator, catalogue: Catalogue, source: str, period, age: str) -> dict:
    """Return the descriptive columns of a profile row, all taken from the catalogue."""
    return {
        "indicator": ind.id,
        "label": ind.label,
        "theme": ind.theme,
        "kind": ind.kind,
        "source": source,
        "period": period,
        "age": age,
        "indeling": catalogue.source(source).indeling if source else None,
        "unit": ind.unit,
        "decimals": ind.decimals,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Return profile rows as a frame with every column and stable dtypes."""
    if not rows:
        return _empty_profile()
    frame = pd.DataFrame(rows)
    for col in PROFILE_COLUMNS:
        if col not in frame.columns:
            frame[col] = "" if col in ("status", "reason") else math.nan
    return frame.astype(
        {
            "period": "Int64",
            "indeling": "Int64",
            "nederland_period": "Int64",
            "decimals": "int64",
            **{c: "float64" for c in _FLOAT_COLUMNS},
        }
    )[list(PROFILE_COLUMNS)]


_FLOAT_COLUMNS = ("value", "gemeente", "nederland", "difference", "n", "n_eff", "ci_low", "ci_high")


def _empty_profile() -> pd.DataFrame:
    """Return an empty profile table with the right columns."""
    frame = pd.DataFrame({col: pd.Series(dtype="str") for col in PROFILE_COLUMNS})
    return frame.astype(
        {
            "period": "Int64",
            "indeling": "Int64",
            "nederland_period": "Int64",
            "decimals": "int64",
            **{c: "float64" for c in _FLOAT_COLUMNS},
        }
    )


def _difference(value: float, reference: float, ind: Indicator) -> float:
    """Return value minus reference, rounded as shown; none for counts (not comparable)."""
    if ind.unit == "aantal" or _missing(value) or _missing(reference):
        return math.nan
    return round(value - reference, ind.decimals)


def _round(value: float | None, decimals: int) -> float:
    """Round a value as the screen shows it; missing stays NaN."""
    if value is None or _missing(value):
        return math.nan
    return round(float(value), decimals)


def _missing(value: object) -> bool:
    """Return whether a scalar is None, NaN or pandas' NA."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _theme_order(catalogue: Catalogue) -> dict[str, int]:
    """Return each theme's position in the catalogue (order of first appearance)."""
    order: dict[str, int] = {}
    for ind in catalogue.indicators:
        order.setdefault(ind.theme, len(order))
    return order


def _hover(row, area: str, gemeente: str) -> str:
    """Return the hover text of one profile dot: both figures, the year and the kind."""
    decimals = int(row.decimals)
    lines = [
        f"<b>{row.label}</b>",
        f"{area}: {fmt_value(row.value, row.unit, decimals)}",
        f"{gemeente}: {fmt_value(row.gemeente, row.unit, decimals)}",
        f"{row.period}, {row.age}",
    ]
    if row.kind == MODEL_ESTIMATE:
        lines.append("Modelschatting (RIVM), geen meting")
    if row.kind in SURVEY_KINDS:
        interval = fmt_interval(row.ci_low, row.ci_high, row.unit, decimals)
        lines.append(f"Enquête: n = {int(row.n)}, 95%-BI {interval}")
    return "<br>".join(lines)


def _chart_title(shown: pd.DataFrame, area: str, gemeente: str) -> str:
    """Return the profile chart's title; it says so when some dots are a fictitious example."""
    title = f"{area} vergeleken met {gemeente}"
    if any(is_fictitious(str(k)) for k in shown["kind"]):
        title += " (met cijfers uit een fictief voorbeeld)"
    return title


def _figures_shown(table: pd.DataFrame) -> list[tuple[str, int | None]]:
    """Return the (source, year) pairs of a profile table, for the caption."""
    return [
        (str(s), None if pd.isna(p) else int(p))
        for s, p in zip(table["source"], table["period"], strict=True)
    ]


def _left_out(table: pd.DataFrame, shown: pd.DataFrame) -> str:
    """Say how many figures of the table the chart leaves out, and why."""
    missing = len(table) - len(shown)
    if missing <= 0:
        return ""
    return (
        f"{missing} cijfer(s) uit de tabel staan niet in de figuur: aantallen, of cijfers zonder "
        "gemeentecijfer."
    )
