"""Shared selection of figures: which year, age group and source an area's figures come from.

Core of the page views (profile, comparison, trend, story): pure functions over the snapshot's
long value table and region table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from analysis.catalogue import MODEL_ESTIMATE, Catalogue
from analysis.indicators import ALL_AGES

#: Age groups in order of preference when an indicator has several for the same year.
AGE_PREFERENCE = (ALL_AGES, "18+", "19+", "65+")

#: Statuses of survey figures (from the survey statistics): shown with care, or hidden.
INDICATIVE = "indicatief"
SUPPRESSED = "onderdrukt"


#: Columns a survey result frame must have (from the survey statistics).
SURVEY_COLUMNS = ("area", "indicator", "n", "value", "ci_low", "ci_high", "status")


def latest_periods(values: pd.DataFrame) -> dict[str, int]:
    """Return the newest year each source has in a value table.

    Examples
    --------
    >>> vals = pd.DataFrame({"source": ["A", "A", "B"], "period": [2016, 2020, 2025]})
    >>> latest_periods(vals)
    {'A': 2020, 'B': 2025}
    """
    if values.empty:
        return {}
    newest = values.groupby(values["source"].astype("str"))["period"].max()
    return {str(k): int(v) for k, v in newest.items()}


def area_name(regions: pd.DataFrame, code: str) -> str:
    """Return an area's name in the newest indeling that names it; the code when none does.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1", "WK1"], "name": ["Wijk 61 Oud", None, "Nieuw"],
    ...                      "indeling": [2016, 2020, 2025]})
    >>> area_name(regs, "WK1"), area_name(regs, "WK9")
    ('Nieuw', 'WK9')
    """
    rows = regions[(regions["code"] == code) & regions["name"].notna()]
    if rows.empty:
        return code
    return str(rows.sort_values("indeling")["name"].iloc[-1])


def area_names(regions: pd.DataFrame, codes: Iterable[str]) -> list[str]:
    """Return `area_name` of each code, reading the region table once for all of them.

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK1", "WK2"], "name": ["Oud", "Nieuw", None],
    ...                      "indeling": [2016, 2025, 2025]})
    >>> area_names(regs, ["WK2", "WK1", "WK9", "WK1"])
    ['WK2', 'Nieuw', 'WK9', 'Nieuw']
    """
    wanted = [str(c) for c in codes]
    rows = regions[regions["code"].isin(wanted) & regions["name"].notna()]
    # As area_name: per code, the name of the newest indeling (of equal years, the last row).
    rows = rows.sort_values("indeling", kind="stable")
    newest = dict(zip(rows["code"].astype("str"), rows["name"].astype("str"), strict=True))
    return [newest.get(code, code) for code in wanted]


def country_codes(regions: pd.DataFrame) -> list[str]:
    """Return the codes of the country in the region table (RIVM uses ``NL01``).

    Examples
    --------
    >>> country_codes(pd.DataFrame({"code": ["NL01", "GM1"], "level": ["land", "gemeente"]}))
    ['NL01']
    """
    return sorted(set(regions.loc[regions["level"] == "land", "code"].astype("str")))


def choose_figures(
    values: pd.DataFrame,
    catalogue: Catalogue,
    codes: Iterable[str],
    *,
    periods: Mapping[str, int] | None = None,
    ages: tuple[str, ...] = AGE_PREFERENCE,
    indicator_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Choose, per indicator, the newest figures that have a value for at least one area.

    Parameters
    ----------
    values : pandas.DataFrame
        The snapshot's long value table.
    catalogue : Catalogue
    codes : iterable of str
        The areas that should have a value.
    periods : mapping of source id to year, optional
        The year to use per source. Sources not named give their newest year that has a value
        for these areas, per indicator (a new KWB table publishes incomes a year later).
    ages : tuple of str
        Age groups in order of preference (for RIVM: all adults before 65-plussers).
    indicator_ids : iterable of str, optional
        Restrict to these indicators (default: all).

    Returns
    -------
    pandas.DataFrame
        ``indicator, period, age, source`` in catalogue order: the newest year first, then the
        preferred age group, then the source listed first in the catalogue.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 3, "code": ["WK1"] * 3,
    ...     "period": [2016, 2020, 2020], "age": ["19+", "65+", "18+"],
    ...     "source": ["rivm-eenzaamheid-2016", "50090NED", "50090NED"], "value": [50.0, 40, 45]})
    >>> choose_figures(vals, load_catalogue(), ["WK1"]).to_dict("records")
    [{'indicator': 'eenzaam', 'period': 2020, 'age': '18+', 'source': '50090NED'}]
    """
    subset = values.loc[
        values["code"].isin(list(codes)) & values["value"].notna(),
        ["indicator", "period", "age", "source"],
    ].astype({"indicator": "str", "age": "str", "source": "str", "period": "int64"})
    if periods:
        fixed = subset["source"].map(dict(periods))
        subset = subset[fixed.isna() | (subset["period"] == fixed)]
    order = {iid: i for i, iid in enumerate(catalogue.ids())}
    if indicator_ids is not None:
        wanted = list(indicator_ids)
        for iid in wanted:
            catalogue.indicator(iid)  # raises with the known ids
        order = {iid: order[iid] for iid in wanted}
    subset = subset[subset["indicator"].isin(order)].drop_duplicates()
    source_rank = {sid: i for i, sid in enumerate(catalogue.sources)}
    age_rank = {age: i for i, age in enumerate(ages)}
    ranked = subset.assign(
        _order=subset["indicator"].map(order),
        _age=subset["age"].map(age_rank).fillna(len(ages)),
        _source=subset["source"].map(source_rank).fillna(len(source_rank)),
    ).sort_values(["_order", "period", "_age", "_source"], ascending=[True, False, True, True])
    out = ranked.drop_duplicates("indicator")[["indicator", "period", "age", "source"]]
    return out.reset_index(drop=True)


def values_for(values: pd.DataFrame, figures: pd.DataFrame, code: str) -> pd.Series:
    """Return one area's value for each row of ``figures`` (NaN where it has none).

    Examples
    --------
    >>> vals = pd.DataFrame({"indicator": ["x"], "code": ["GM1"], "period": [2020],
    ...                      "age": ["18+"], "source": ["S"], "value": [46.0]})
    >>> figs = pd.DataFrame({"indicator": ["x", "y"], "period": [2020, 2020],
    ...                      "age": ["18+", "18+"], "source": ["S", "S"]})
    >>> values_for(vals, figs, "GM1").tolist()
    [46.0, nan]
    """
    keys = ["indicator", "period", "age", "source"]
    rows = values.loc[values["code"] == code, [*keys, "value"]].astype(
        {"indicator": "str", "age": "str", "source": "str", "period": "int64"}
    )
    rows = rows.drop_duplicates(keys)
    merged = figures[keys].astype({"period": "int64"}).merge(rows, on=keys, how="left")
    return pd.Series(merged["value"].to_numpy(dtype="float64"), index=figures.index)


def check_survey_columns(survey: pd.DataFrame) -> None:
    """Raise a Dutch `ValueError` naming the first column of `SURVEY_COLUMNS` that is missing.

    Examples
    --------
    >>> check_survey_columns(pd.DataFrame(columns=["area", "indicator"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    ValueError: Enquêtecijfers: kolom 'n' ontbreekt
    (verwacht: area, indicator, n, value, ci_low, ci_high, status)
    """
    missing = [c for c in SURVEY_COLUMNS if c not in survey.columns]
    if missing:
        expected = ", ".join(SURVEY_COLUMNS)
        raise ValueError(f"Enquêtecijfers: kolom {missing[0]!r} ontbreekt (verwacht: {expected})")


def default_area(values: pd.DataFrame, catalogue: Catalogue, codes: Iterable[str]) -> str | None:
    """Return the area a page opens on: the first with a model estimate, else the first.

    An area without RIVM figures (Oostduinen in Den Haag: dunes, few inhabitants) makes a poor
    first view and a workshop story of mostly empty slides (issue #12).

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam", "inwoners"], "code": ["WK2", "WK1"],
    ...     "period": [2020, 2025], "age": ["18+", "alle leeftijden"],
    ...     "source": ["50090NED", "86165NED"], "value": [40.0, 30.0]})
    >>> cat = load_catalogue()
    >>> default_area(vals, cat, ["WK1", "WK2"]), default_area(vals, cat, [])
    ('WK2', None)
    """
    order = list(codes)
    if not order:
        return None
    estimates = {i.id for i in catalogue.indicators if i.kind == MODEL_ESTIMATE}
    with_figures = set(
        values.loc[
            values["indicator"].isin(estimates)
            & values["code"].isin(order)
            & values["value"].notna(),
            "code",
        ].astype("str")
    )
    return next((c for c in order if c in with_figures), order[0])
