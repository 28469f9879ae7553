"""Turn source tables into tidy indicator values using the catalogue."""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import Catalogue

#: Columns of the tidy long table the snapshot stores and pages read.
VALUE_COLUMNS = ("indicator", "code", "period", "age", "source", "value")

#: Age group of figures about all inhabitants (registrations); RIVM uses "18+" and "65+".
ALL_AGES = "alle leeftijden"

#: Age group of own-survey figures: they describe the people who answered.
SURVEY_AGE = "respondenten"


def age_suffix(age: str) -> str:
    """Return the age group as it follows a year (``", 18+"``), or "" when it says nothing.

    Figures about all inhabitants and survey figures (about the respondents) name no age group.

    Examples
    --------
    >>> [age_suffix(a) for a in ["18+", ALL_AGES, SURVEY_AGE]]
    [', 18+', '', '']
    """
    return "" if age in (ALL_AGES, SURVEY_AGE) else f", {age}"


def indicator_values(
    frame: pd.DataFrame,
    catalogue: Catalogue,
    source_id: str,
    *,
    period: int | None = None,
    age: str = ALL_AGES,
    only: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Compute every catalogue indicator one source provides, as a long table.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per region with a ``code`` column and the source's own columns.
        A ``period`` column, when present, overrides the ``period`` argument per row.
    catalogue : Catalogue
        Declares which column (or ratio of columns) of ``source_id`` gives each indicator.
    source_id : str
        The catalogue source the frame comes from.
    period : int, optional
        Year of the figures; defaults to the source's period.
    age : str
        Age group the figures describe.
    only : tuple of str, optional
        Restrict to these indicator ids (default: every indicator of the source).

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, code, period, age, source, value``; missing values stay NaN
        (never 0). Rows whose value is missing are kept, so "not published" stays visible.

    Raises
    ------
    KeyError
        Naming the source, indicator and column when a declared column is absent.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> frame = pd.DataFrame({"code": ["WK008010"], "a_inw": [12150], "a_65_oo": [2430]})
    >>> out = indicator_values(frame, load_catalogue(), "kwb-2024-xlsx",
    ...                        only=("inwoners", "pct_65plus"))
    >>> out.set_index("indicator").loc[["inwoners", "pct_65plus"], "value"].tolist()
    [12150.0, 20.0]
    """
    source = catalogue.source(source_id)
    if period is None:
        period = source.period
    parts = []
    for ind in catalogue.for_source(source_id):
        if only is not None and ind.id not in only:
            continue
        if source_id in ind.columns:
            value = _column(frame, source_id, ind.id, ind.columns[source_id])
        else:
            num_col, den_col = ind.ratios[source_id]
            value = percentage(
                _column(frame, source_id, ind.id, num_col),
                _column(frame, source_id, ind.id, den_col),
            )
        periods = frame["period"] if "period" in frame.columns else period
        parts.append(
            pd.DataFrame(
                {
                    "indicator": ind.id,
                    "code": frame["code"].to_numpy(),
                    "period": periods,
                    "age": age,
                    "source": source_id,
                    "value": value.to_numpy(dtype="float64"),
                }
            )
        )
    if not parts:
        return empty_values()
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"period": "int64"})


def percentage(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Return ``100 * numerator / denominator``; missing where the denominator is 0 or missing.

    Examples
    --------
    >>> percentage(pd.Series([1.0, 5.0, 1.0]), pd.Series([4.0, 0.0, None])).tolist()
    [25.0, nan, nan]
    """
    num = pd.to_numeric(numerator, errors="coerce").astype("float64")
    den = pd.to_numeric(denominator, errors="coerce").astype("float64")
    return (100 * num / den.where(den > 0)).astype("float64")


def empty_values() -> pd.DataFrame:
    """Return an empty long table with the right columns and dtypes."""
    return pd.DataFrame(
        {
            "indicator": pd.Series(dtype="str"),
            "code": pd.Series(dtype="str"),
            "period": pd.Series(dtype="int64"),
            "age": pd.Series(dtype="str"),
            "source": pd.Series(dtype="str"),
            "value": pd.Series(dtype="float64"),
        }
    )


def _column(frame: pd.DataFrame, source_id: str, indicator_id: str, column: str) -> pd.Series:
    """Return one numeric column, or fail naming source, indicator and column."""
    if column not in frame.columns:
        raise KeyError(f"Bron {source_id!r} mist kolom {column!r} voor indicator {indicator_id!r}")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")
