"""Tables as a person reads them: Dutch number format, units, reasons instead of hidden values."""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import KIND_LABELS
from analysis.figure import line_label
from analysis.format import MISSING, fmt_interval, fmt_number, fmt_value
from analysis.indicators import age_suffix


def _value(value: float, unit: str, decimals: int) -> str:
    """Format one value with its unit, or the missing-value dash."""
    return fmt_value(value, unit, int(decimals)) if pd.notna(value) else MISSING


def _difference(value: float, unit: str, decimals: int) -> str:
    """Format a difference with an explicit sign (percentage points for percentages)."""
    if pd.isna(value):
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    text = fmt_number(abs(value), int(decimals))
    return f"{sign}{text}\u00a0{'%-punt' if unit == '%' else unit}".replace("\u00a0aantal", "")


def profile_display(
    table: pd.DataFrame, *, area: str, gemeente: str, region: str | None = None
) -> pd.DataFrame:
    r"""Return the wijkprofiel as text cells, in the order and wording of the screen.

    Parameters
    ----------
    table : pandas.DataFrame
        From `analysis.views.profile.profile_table`.
    area, gemeente : str
        Column headers for the area and the gemeente.
    region : str, optional
        Header of the GGD region column (from the table's ``ggd`` column), placed between the
        gemeente and Nederland; left out when None.

    Returns
    -------
    pandas.DataFrame
        ``Indicator, Soort, Jaar, <area>, <gemeente>, [<region>,] Nederland, Verschil, Oordeel,
        n, 95%-BI``.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["Eenzaam (RIVM-schatting)"], "kind": ["modelschatting"],
    ...     "period": [2020], "age": ["18+"], "unit": ["%"], "decimals": [0], "value": [55.0],
    ...     "gemeente": [46.0], "nederland": [47.0], "difference": [9.0], "signal": ["hoger"],
    ...     "n": [None], "ci_low": [None], "ci_high": [None], "status": [""], "reason": [""],
    ...     "indeling": [2020]})
    >>> row = profile_display(t, area="Vrijheidswijk", gemeente="Leeuwarden").iloc[0]
    >>> row["Vrijheidswijk"].replace("\u00a0", " "), row["Verschil"].replace("\u00a0", " ")
    ('55 %', '+9 %-punt')
    """
    rows = []
    for r in table.itertuples(index=False):
        if r.status == "onderdrukt":
            shown = r.reason or "onderdrukt"
        else:
            shown = _value(r.value, r.unit, r.decimals)
            if r.status == "indicatief":
                shown += " (indicatief)"
        interval = ""
        if pd.notna(r.ci_low):
            interval = fmt_interval(r.ci_low, r.ci_high, r.unit, int(r.decimals))
        age = age_suffix(r.age)
        rows.append(
            {
                "Indicator": r.label,
                "Soort": KIND_LABELS.get(r.kind, r.kind),
                "Jaar": f"{int(r.period)}{age}" if pd.notna(r.period) else "",
                "Indeling": str(int(r.indeling)) if pd.notna(r.indeling) else "",
                area: shown,
                gemeente: _value(r.gemeente, r.unit, r.decimals),
                **({region: _value(r.ggd, r.unit, r.decimals)} if region else {}),
                "Nederland": _national(r),
                "Verschil": _difference(r.difference, r.unit, r.decimals),
                "Oordeel": r.signal or "",
                "n": fmt_number(r.n) if pd.notna(r.n) else "",
                "95%-BI": interval,
            }
        )
    return pd.DataFrame(rows)


def _national(r) -> str:
    """Show the country's figure, with its year when it is older than the area's."""
    shown = _value(r.nederland, r.unit, r.decimals)
    year = getattr(r, "nederland_period", None)
    if shown and year is not None and pd.notna(year) and pd.notna(r.period):
        if int(year) != int(r.period):
            shown += f" ({int(year)})"
    return shown


def compare_display(table: pd.DataFrame, area_columns: list[str]) -> pd.DataFrame:
    """Return a comparison table as text cells: one row per indicator, one column per area.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["Aantal inwoners"], "period": [2025],
    ...                   "age": ["alle leeftijden"], "unit": ["aantal"], "decimals": [0],
    ...                   "A": [3640.0], "B": [None]})
    >>> compare_display(t, ["A", "B"]).iloc[0].tolist()
    ['Aantal inwoners', '2025', '3.640', '–']
    """
    out = pd.DataFrame(
        {
            "Indicator": table["label"],
            "Jaar": [
                f"{int(p)}{age_suffix(a)}"
                for p, a in zip(table["period"], table["age"], strict=True)
            ],
        }
    )
    if "indeling" in table.columns:  # the gebiedsindeling a figure belongs to (issue 10)
        out["Indeling"] = [MISSING if pd.isna(i) else str(int(i)) for i in table["indeling"]]
    for col in area_columns:
        out[col] = [
            _value(v, u, d)
            for v, u, d in zip(table[col], table["unit"], table["decimals"], strict=True)
        ]
    return out.reset_index(drop=True)


def survey_compare_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Return survey figures side by side: one row per indicator, one column per area.

    Each cell holds the value with its 95% interval and n, or the reason it is not shown.

    Examples
    --------
    >>> f = pd.DataFrame({"code": ["WK1", "WK2"], "name": ["Noord", "Zuid"],
    ...     "indicator": ["enq_x"] * 2, "label": ["Eenzaam (eigen enquête)"] * 2,
    ...     "unit": ["%"] * 2, "decimals": [0, 0], "value": [54.0, None], "n": [112, 19],
    ...     "ci_low": [45.0, None], "ci_high": [63.0, None], "status": ["", "onderdrukt"],
    ...     "reason": ["", "minder dan 30 antwoorden"]})
    >>> [c.replace("\u00a0", " ") for c in survey_compare_display(f).iloc[0].tolist()]
    ['Eenzaam (eigen enquête)', '54 % (45–63 %, n = 112)', 'minder dan 30 antwoorden (n = 19)']
    """
    cells: dict[str, dict[str, str]] = {}
    for r in frame.itertuples(index=False):
        if pd.isna(r.value):
            text = f"{r.reason or MISSING} (n = {fmt_number(r.n)})"
        else:
            interval = fmt_interval(r.ci_low, r.ci_high, r.unit, int(r.decimals))
            text = f"{_value(r.value, r.unit, r.decimals)} ({interval}, n = {fmt_number(r.n)})"
            if r.status == "indicatief":
                text += ", indicatief"
        cells.setdefault(r.label, {})[r.name] = text
    rows = [{"Indicator": label, **by_area} for label, by_area in cells.items()]
    return pd.DataFrame(rows).fillna("")


#: Order of themes when the profile says what stands out: how people are doing comes first.
THEME_PRIORITY = (
    "Hoe gaat het met de mensen",
    "Persoonlijk netwerk",
    "Gemeenschappelijk",
    "Inkomen en armoede",
    "Voorzieningen dichtbij",
    "Wie wonen er",
    "Zorg en ondersteuning",
    "Wonen",
)


def prioritised(table: pd.DataFrame) -> pd.DataFrame:
    """Return profile rows with the themes of the sociale basis first (stable within a theme).

    Examples
    --------
    >>> t = pd.DataFrame({"theme": ["Wonen", "Hoe gaat het met de mensen"], "label": ["a", "b"]})
    >>> prioritised(t)["label"].tolist()
    ['b', 'a']
    """
    order = {theme: i for i, theme in enumerate(THEME_PRIORITY)}
    rank = table["theme"].map(order).fillna(len(order))
    return table.iloc[rank.argsort(kind="stable")].reset_index(drop=True)


def series_display(frame: pd.DataFrame, catalogue) -> pd.DataFrame:
    """Return a time series as text cells: year, value, line (source and age group).

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> f = pd.DataFrame({"indicator": ["inwoners"] * 2, "period": [2016, 2017],
    ...                   "source": ["baarn-tijdreeks"] * 2, "age": ["alle leeftijden"] * 2,
    ...                   "value": [1685.0, None]})
    >>> series_display(f, load_catalogue())[["Waarde", "Reeks"]].values.tolist()
    [['1.685', 'CBS-tijdreeks'], ['–', 'CBS-tijdreeks']]
    """
    if frame.empty:
        return pd.DataFrame(columns=["Jaar", "Waarde", "Reeks"])
    ind = catalogue.indicator(str(frame["indicator"].iloc[0]))
    return pd.DataFrame(
        {
            "Jaar": frame["period"].astype("int64").astype("str").to_numpy(),
            "Waarde": [_value(v, ind.unit, ind.decimals) for v in frame["value"]],
            "Reeks": [
                line_label(catalogue, str(s), str(a))
                for s, a in zip(frame["source"], frame["age"], strict=True)
            ]
            if {"source", "age"} <= set(frame.columns)
            else "",
        }
    )


def catalogue_display(catalogue, values: pd.DataFrame) -> pd.DataFrame:
    """Return one row per indicator and source: definition, table, column, years, licence, kind.

    The years are those the snapshot holds for that indicator from that source.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["inwoners"], "source": ["86165NED"], "period": [2025],
    ...                      "value": [1.0]})
    >>> table = catalogue_display(load_catalogue(), vals)
    >>> row = table[table["Tabel"].str.contains("86165NED")].iloc[0]
    >>> row["Indicator"], row["Jaren"], row["Licentie"]
    ('Aantal inwoners', '2025', 'CC BY 4.0')
    """
    present = values[values["value"].notna()]
    years = (
        present.groupby([present["indicator"].astype("str"), present["source"].astype("str")])[
            "period"
        ]
        .agg(lambda p: ", ".join(str(int(y)) for y in sorted(set(p))))
        .to_dict()
    )
    rows = []
    for ind in catalogue.indicators:
        for sid in ind.source_ids:
            src = catalogue.source(sid)
            column = ind.columns.get(sid) or " / ".join(ind.ratios[sid])
            rows.append(
                {
                    "Indicator": ind.label,
                    "Thema": ind.theme,
                    "Soort": KIND_LABELS[ind.kind],
                    "Eenheid": ind.unit,
                    "Jaren": years.get((ind.id, sid), "geen cijfers in de gegevens"),
                    "Bron": src.credit,
                    "Tabel": f"{src.title} ({src.table_id})",
                    "Kolom": column,
                    "Licentie": src.licence or "—",
                    "Definitie": ind.definition,
                }
            )
    return pd.DataFrame(rows)


def unmatched_display(unmatched: pd.DataFrame) -> pd.DataFrame:
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


def phone_lines(table: pd.DataFrame, *, area: str, gemeente: str) -> list[str]:
    r"""Return the profile chart as short lines for a phone: what differs, and how.

    Only figures with a signal, one line each, so the text wraps within a 390 px screen
    (a table of three columns scrolled sideways there); the full table is below it.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["Eenzaam (RIVM-schatting)", "Inwoners"],
    ...     "unit": ["%", "aantal"], "decimals": [0, 0], "value": [55.0, 3640.0],
    ...     "gemeente": [46.0, 129973.0], "signal": ["hoger", ""]})
    >>> phone_lines(t, area="Vrijheidswijk", gemeente="Leeuwarden")
    ['Eenzaam (RIVM-schatting): 55\xa0% in Vrijheidswijk, hoger dan in Leeuwarden (46\xa0%)']
    >>> phone_lines(t.iloc[1:], area="Vrijheidswijk", gemeente="Leeuwarden")
    ['Geen cijfer van Vrijheidswijk wijkt duidelijk af van Leeuwarden.']
    """
    rows = table[table["signal"].isin(["hoger", "lager"])]
    if rows.empty:
        return [f"Geen cijfer van {area} wijkt duidelijk af van {gemeente}."]
    return [
        f"{label}: {_value(v, u, d)} in {area}, {signal} dan in {gemeente} ({_value(g, u, d)})"
        for label, v, g, u, d, signal in zip(
            rows["label"],
            rows["value"],
            rows["gemeente"],
            rows["unit"],
            rows["decimals"],
            rows["signal"],
            strict=True,
        )
    ]
