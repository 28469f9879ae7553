"""Time series of one area: one line per source and age group, with redivision warnings."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from analysis.catalogue import MODEL_ESTIMATE, Catalogue
from analysis.charts import FONT
from analysis.figure import line_label
from analysis.format import fmt_value, plotly_separators
from analysis.regions import gemeente_code_of, level_of_code
from analysis.selection import area_name, country_codes
from analysis.text import Chart, join_nl, source_caption

#: Columns of `series`.
SERIES_COLUMNS = ("indicator", "code", "period", "age", "source", "kind", "line", "value")

#: Line colours per source line of the area (Okabe–Ito, safe for colour blindness); the
#: gemeente gets the same colour dashed, the country a grey dotted line.
LINE_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
COUNTRY_COLOUR = "#6e6e6e"


def series(values: pd.DataFrame, catalogue: Catalogue, code: str, indicator: str) -> pd.DataFrame:
    """Return every figure the snapshot holds for one area and indicator, as separate lines.

    Figures from different sources, or for different age groups, are different series even when
    they share a year: RIVM's 50090NED re-estimated 2016 in indeling 2020, while "Eenzaamheid per
    wijk 2016" holds the earlier estimate in indeling 2016. Joining them in one line would draw a
    change that is only a change of method. So ``line`` is ``source|age`` and charts draw one
    line per value of it.

    Parameters
    ----------
    values : pandas.DataFrame
        The snapshot's long value table.
    catalogue : Catalogue
    code : str
        Any region code (wijk, buurt, gemeente or the country).
    indicator : str
        Catalogue indicator id.

    Returns
    -------
    pandas.DataFrame
        `SERIES_COLUMNS`, by catalogue source order, age group and year; values rounded to the
        catalogue decimals; years without a published value are kept as NaN.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 3, "code": ["WK1"] * 3,
    ...     "period": [2016, 2012, 2016], "age": ["18+", "18+", "19+"],
    ...     "source": ["50090NED", "50090NED", "rivm-eenzaamheid-2016"],
    ...     "value": [47.46, 41.5, 53.0]})
    >>> out = series(vals, load_catalogue(), "WK1", "eenzaam")
    >>> out[["period", "line", "value"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'period': 2012, 'line': '50090NED|18+', 'value': 42.0},
     {'period': 2016, 'line': '50090NED|18+', 'value': 47.0},
     {'period': 2016, 'line': 'rivm-eenzaamheid-2016|19+', 'value': 53.0}]
    """
    ind = catalogue.indicator(indicator)
    # The indicator first (a categorical in the snapshot: cheap), then the code on what is left;
    # comparing a million codes took most of the time of the Ontwikkeling page (issue #14).
    rows = values.loc[values["indicator"] == indicator]
    rows = rows.loc[
        rows["code"] == code, ["indicator", "code", "period", "age", "source", "value"]
    ].astype({"indicator": "str", "code": "str", "age": "str", "source": "str", "period": "int64"})
    source_rank = {sid: i for i, sid in enumerate(catalogue.sources)}
    rows = rows.assign(
        kind=ind.kind,
        line=rows["source"] + "|" + rows["age"],
        value=rows["value"].astype("float64").round(ind.decimals),
        _source=rows["source"].map(source_rank).fillna(len(source_rank)),
    )
    rows = rows.sort_values(["_source", "age", "period"], kind="stable")
    return rows.drop_duplicates(["line", "period"])[list(SERIES_COLUMNS)].reset_index(drop=True)


def series_indelingen(frame: pd.DataFrame, catalogue: Catalogue) -> list[int]:
    """Return the area divisions (indeling years) the sources of a series use.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> frame = pd.DataFrame({"source": ["50090NED", "rivm-eenzaamheid-2016", "50090NED"]})
    >>> series_indelingen(frame, load_catalogue())
    [2016, 2020]
    """
    return sorted({catalogue.source(s).indeling for s in frame["source"].unique()})


def series_notes(frame: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    """Return Dutch notes where two sources give a figure for the same year.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> frame = pd.DataFrame({"period": [2016, 2016], "source": ["50090NED",
    ...     "rivm-eenzaamheid-2016"], "value": [47.0, 53.0]})
    >>> series_notes(frame, load_catalogue())[0][:62]
    'In 2016 zijn er cijfers uit 2 bronnen: Gezondheid per wijk en '
    """
    shown = frame[frame["value"].notna()]
    notes = []
    for period, group in shown.groupby("period", sort=True):
        sources = [s for s in catalogue.sources if s in set(group["source"])]
        if len(sources) < 2:
            continue
        titles = join_nl(
            f"{catalogue.source(s).title} ({catalogue.source(s).table_id})" for s in sources
        )
        notes.append(
            f"In {period} zijn er cijfers uit {len(sources)} bronnen: {titles}. Ze zijn anders "
            "berekend of anders ingedeeld en staan daarom als aparte lijnen, niet verbonden."
        )
    return notes


def redivision_warnings(regions: pd.DataFrame, code: str, years: Iterable[int]) -> list[str]:
    """Warn where an area's code did not exist, or named another area, in an indeling used.

    Figures are joined on region code. CBS reuses codes after a redivision, so the same code can
    mean another area in another year (Leeuwarden's WK008061 was "Vossepark & Helicon" in 2016
    and is "Vrijheidswijk" in 2025). The snapshot's region tables per indeling are compared
    with the newest indeling that names the area.

    Parameters
    ----------
    regions : pandas.DataFrame
        The snapshot's regions: ``code, name, level, gemeente_code, gemeente_name, indeling``.
    code : str
        The area.
    years : iterable of int
        The indelingen the figures use (see `series_indelingen`).

    Returns
    -------
    list of str
        One Dutch warning per indeling that differs or cannot be checked, oldest first.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1", "WK2"], "name": ["Wijk 01 Oud", "Nieuw", "X"],
    ...     "level": ["wijk"] * 3, "gemeente_code": ["GM0001"] * 3,
    ...     "gemeente_name": ["Stad"] * 3, "indeling": [2016, 2025, 2016]})
    >>> redivision_warnings(regs, "WK1", [2016, 2025])[0][:52]
    "In de gebiedsindeling 2016 heette WK1 'Wijk 01 Oud',"
    """
    return [message for _, _, message in _indeling_checks(regions, code, years)]


def other_area_indelingen(regions: pd.DataFrame, code: str, years: Iterable[int]) -> list[int]:
    """Return the indelingen in which the code named another area (absent or renamed).

    Figures in those indelingen are about another area and are left out of `trend_chart`.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1"], "name": ["Oud", "Nieuw"],
    ...     "level": ["wijk"] * 2, "gemeente_code": ["GM0001"] * 2, "indeling": [2016, 2025]})
    >>> other_area_indelingen(regs, "WK1", [2016, 2020, 2025])
    [2016]
    """
    return [
        year
        for year, kind, _ in _indeling_checks(regions, code, years)
        if kind in ("ontbreekt", "andere naam")
    ]


def _indeling_checks(
    regions: pd.DataFrame, code: str, years: Iterable[int]
) -> list[tuple[int, str, str]]:
    """Compare a code in each indeling with the newest one that names it.

    Returns ``(year, kind, message)`` with kind "ontbreekt", "andere naam", "geen naam" or
    "niet in snapshot"; indelingen where the code names the same area give nothing.
    """
    rows = regions[regions["code"] == code]
    named = rows[rows["name"].notna()].sort_values("indeling")
    if named.empty:
        reference_year, reference_name = None, code
    else:
        reference_year = int(named["indeling"].iloc[-1])
        reference_name = str(named["name"].iloc[-1])
    gemeente = gemeente_code_of(code) or next(iter(rows["gemeente_code"].dropna()), None)
    level = level_of_code(code) or next(iter(rows["level"].dropna()), None)
    where = f"{code} ('{reference_name}', indeling {reference_year})" if reference_year else code
    checks = []
    for year in sorted({int(y) for y in years}):
        if year == reference_year:
            continue
        here = rows[rows["indeling"] == year]
        if here.empty:
            known = (
                (regions["indeling"] == year)
                & (regions["gemeente_code"] == gemeente)
                & (regions["level"] == level)
            ).any()
            if known:
                checks.append(
                    (
                        year,
                        "ontbreekt",
                        f"{where} bestond niet in de gebiedsindeling {year}. Cijfers volgens "
                        "die indeling horen bij een ander gebied en zijn niet aan dit gebied "
                        "gekoppeld.",
                    )
                )
            else:
                checks.append(
                    (
                        year,
                        "niet in snapshot",
                        f"De gebiedsindeling {year} van dit gebied zit niet in de snapshot: niet "
                        f"na te gaan of {code} toen hetzelfde gebied was als nu.",
                    )
                )
            continue
        names = here["name"].dropna()
        if "area" in rows.columns and reference_year is not None:
            # The build decided from boundaries, buurten and names (analysis.indeling).
            reference_key = rows.loc[rows["indeling"] == reference_year, "area"].iloc[0]
            if here["area"].iloc[0] != reference_key:
                then = f" '{names.iloc[0]}'" if not names.empty else ""
                checks.append(
                    (
                        year,
                        "andere naam",
                        f"In de gebiedsindeling {year} was {code}{then} niet als hetzelfde "
                        f"gebied te herkennen als '{reference_name}' (indeling {reference_year}): "
                        f"cijfers volgens indeling {year} zijn daarom weggelaten.",
                    )
                )
            continue
        if names.empty:
            checks.append(
                (
                    year,
                    "geen naam",
                    f"In de gebiedsindeling {year} staat {code} zonder naam: niet na te gaan of "
                    f"het toen hetzelfde gebied was als '{reference_name}'.",
                )
            )
        elif not _same_name(str(names.iloc[0]), reference_name):
            checks.append(
                (
                    year,
                    "andere naam",
                    f"In de gebiedsindeling {year} heette {code} '{names.iloc[0]}', in "
                    f"{reference_year} '{reference_name}': waarschijnlijk een ander gebied met "
                    f"dezelfde code. Cijfers volgens indeling {year} zijn daarom weggelaten.",
                )
            )
    return checks


def trend_chart(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    catalogue: Catalogue,
    code: str,
    indicator: str,
    *,
    gemeente_code: str | None = None,
    include_country: bool = True,
) -> Chart:
    """Draw an area's series with the gemeente (dashed) and the country (dotted) for reference.

    Every source and age group is its own line (see `series`); a marker shows each year with a
    figure, open markers mark model estimates. Figures from an indeling in which the code named
    another area (`other_area_indelingen`) are left out, and the caption says so. Counts get no
    gemeente or country line (a gemeente always has more inwoners than its wijk). The caption
    names the sources, the years and any year with figures from two sources.

    Parameters
    ----------
    values, regions : pandas.DataFrame
        The snapshot's value and region tables.
    catalogue : Catalogue
    code : str
        The area.
    indicator : str
        Catalogue indicator id.
    gemeente_code : str, optional
        Reference gemeente; default the gemeente the code belongs to.
    include_country : bool
        Draw the country's series where the snapshot has it.

    Returns
    -------
    Chart

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["pct_hh_laag_inkomen"] * 4,
    ...     "code": ["BU03080000", "BU03080000", "GM0308", "GM0308"],
    ...     "period": [2016, 2025, 2016, 2025], "age": ["alle leeftijden"] * 4,
    ...     "source": ["baarn-tijdreeks"] * 4, "value": [9.0, 8.0, 7.5, 7.0]})
    >>> regs = pd.DataFrame({"code": ["BU03080000", "GM0308"], "name": ["Centrum", "Baarn"],
    ...     "level": ["buurt", "gemeente"], "gemeente_code": ["GM0308"] * 2,
    ...     "indeling": [2024, 2024]})
    >>> chart = trend_chart(vals, regs, load_catalogue(), "BU03080000", "pct_hh_laag_inkomen")
    >>> [(t.name, list(t.x)) for t in chart.figure.data]
    [('Centrum', [2016, 2025]), ('Baarn (gemeente)', [2016, 2025])]
    """
    ind = catalogue.indicator(indicator)
    area = area_name(regions, code)
    own = series(values, catalogue, code, indicator)
    other = other_area_indelingen(regions, code, series_indelingen(own, catalogue))
    dropped = own["source"].map(lambda s: catalogue.source(s).indeling in other)
    left_out = [
        message
        for year, kind, message in _indeling_checks(regions, code, other)
        if kind in ("ontbreekt", "andere naam") and year in other
    ]
    own = own[~dropped.astype(bool)]
    gemeente = gemeente_code or gemeente_code_of(code)
    with_references = ind.unit != "aantal"
    lines = own["line"].unique().tolist()
    multiple = len(lines) > 1
    fig = go.Figure()
    for i, line in enumerate(lines):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        part = own[own["line"] == line]
        suffix = _line_suffix(part, catalogue) if multiple else ""
        _add_line(fig, part, ind, f"{area}{suffix}", colour, "solid", 3)
        if with_references and gemeente and gemeente != code:
            ref = series(values, catalogue, gemeente, indicator)
            ref = ref[ref["line"] == line]
            if ref["value"].notna().any():
                name = f"{area_name(regions, gemeente)} (gemeente){suffix}"
                _add_line(fig, ref, ind, name, colour, "dash", 2)
        if with_references and include_country:
            for country in country_codes(regions):
                ref = series(values, catalogue, country, indicator)
                ref = ref[ref["line"] == line]
                if ref["value"].notna().any():
                    name = f"{area_name(regions, country)}{suffix}"
                    _add_line(fig, ref, ind, name, COUNTRY_COLOUR, "dot", 2)
    years = sorted(own.loc[own["value"].notna(), "period"].unique().tolist())
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    unit = "" if ind.unit == "aantal" else f" ({ind.unit})"
    fig.update_layout(
        title=dict(
            text=f"{ind.label}: {area}{', ' + span if span else ''}",
            x=0,
            xanchor="left",
            font=dict(size=20),
        ),
        # Years must not get a thousands separator ("2.016") from the Dutch separators.
        xaxis=dict(tickmode="array", tickvals=years, tickformat="d", gridcolor="#e5e5e5"),
        yaxis=dict(
            title=dict(text=f"{ind.label}{unit}"),
            tickformat=f",.{ind.decimals}f",
            gridcolor="#e5e5e5",
            rangemode="tozero",
        ),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
        margin=dict(l=0, r=16, t=64, b=48),
        separators=plotly_separators(),
        font=FONT,
    )
    shown = own[own["value"].notna()]
    figures = list(zip(shown["source"], shown["period"], strict=True))
    parts = [source_caption(catalogue, figures), *series_notes(own, catalogue), *left_out]
    if ind.kind == MODEL_ESTIMATE:
        parts.append("Open rondjes: modelschatting (RIVM), geen meting in het gebied.")
    if not len(shown):
        parts.append(f"Geen cijfers over '{ind.label}' voor {area} in de snapshot.")
    return Chart(fig, " ".join(p for p in parts if p))


def _add_line(
    fig: go.Figure, part: pd.DataFrame, ind, name: str, colour: str, dash: str, width: int
) -> None:
    """Add one series as a line with a marker per year (open markers for model estimates)."""
    symbol = "circle-open" if ind.kind == MODEL_ESTIMATE else "circle"
    text = [
        f"<b>{name}</b><br>{period}: {fmt_value(v, ind.unit, ind.decimals)}"
        for period, v in zip(part["period"], part["value"], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=part["period"].tolist(),
            y=part["value"].tolist(),
            mode="lines+markers",
            name=name,
            line=dict(color=colour, dash=dash, width=width),
            marker=dict(symbol=symbol, size=9, color=colour, line=dict(width=2, color=colour)),
            text=text,
            hovertemplate="%{text}<extra></extra>",
            connectgaps=False,
        )
    )


def _line_suffix(part: pd.DataFrame, catalogue: Catalogue) -> str:
    """Return the legend suffix that tells lines apart: source and age group, in words."""
    return f" · {line_label(catalogue, str(part['source'].iloc[0]), str(part['age'].iloc[0]))}"


def _same_name(old: str, new: str) -> bool:
    """Compare area names across indelingen, ignoring CBS's "Wijk 10 " prefixes and case.

    Examples
    --------
    >>> _same_name("Wijk 10 Binnenstad", "Binnenstad"), _same_name("Oud", "Nieuw")
    (True, False)
    """

    def norm(name: str) -> str:
        text = re.sub(r"^(wijk|buurt)\s+\d+\s+", "", name.strip().lower())
        return re.sub(r"\s+", " ", text)

    return norm(old) == norm(new)


def indicators_with_series(values: pd.DataFrame, catalogue: Catalogue, code: str) -> list[str]:
    """Return the indicators with figures for two or more years for an area, catalogue order.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["inwoners", "inwoners", "eenzaam"],
    ...                      "code": ["BU1"] * 3, "period": [2016, 2017, 2020],
    ...                      "value": [10.0, 11.0, 40.0]})
    >>> indicators_with_series(vals, load_catalogue(), "BU1")
    ['inwoners']
    """
    own = values[(values["code"] == code) & values["value"].notna()]
    years = own.groupby(own["indicator"].astype("str"), observed=True)["period"].nunique()
    many = set(years[years >= 2].index)
    return [i for i in catalogue.ids() if i in many]
