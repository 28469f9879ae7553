"""Dutch presentation of numbers, percentages and dates: the one place that formats for screen."""

from __future__ import annotations

import datetime as dt
import math

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

#: Shown wherever a figure is missing, so an empty cell is never read as zero.
MISSING = "–"


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """Format a number the Dutch way: ``.`` between thousands, ``,`` before decimals.

    Parameters
    ----------
    value : float, int or None
        The number; None and NaN give the missing-value dash.
    decimals : int
        Number of decimals shown.

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_number(1234.5, 1)
    '1.234,5'
    >>> fmt_number(-0.04, 1)
    '0,0'
    >>> fmt_number(float("nan"))
    '–'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # "-0,0" reads as a real negative; rounding made it zero.
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_percent(value: float | None, decimals: int = 1) -> str:
    """Format a percentage as ``12,3 %`` (Dutch style: a space before the sign).

    Examples
    --------
    >>> fmt_percent(12.345) == "12,3\u00a0%"  # non-breaking space: never wraps
    True
    """
    text = fmt_number(value, decimals)
    return text if text == MISSING else f"{text}\u00a0%"


def fmt_value(value: float | None, unit: str, decimals: int) -> str:
    """Format a value with its catalogue unit.

    Examples
    --------
    >>> fmt_value(52.0, "%", 0).replace("\u00a0", " ")
    '52 %'
    >>> fmt_value(1.24, "km", 1).replace("\u00a0", " ")
    '1,2 km'
    >>> fmt_value(12150, "aantal", 0)
    '12.150'
    """
    if unit == "%":
        return fmt_percent(value, decimals)
    text = fmt_number(value, decimals)
    if text == MISSING or unit in ("aantal", ""):
        return text
    return f"{text}\u00a0{unit}"


def fmt_interval(low: float | None, high: float | None, unit: str, decimals: int) -> str:
    """Format an interval as ``45–63 %``: the one wording of every "low–high" on screen.

    The unit stands once, after the upper bound; an interval with a missing bound is ``""``
    (a suppressed figure has no interval, and a dash would read as one).

    Parameters
    ----------
    low, high : float or None
        The bounds, e.g. of a 95% confidence interval.
    unit : str
        The catalogue unit (``"%"``, ``"km"``, ``"aantal"`` or ``""``).
    decimals : int
        Number of decimals shown.

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_interval(45.2, 63.0, "%", 0).replace("\u00a0", " ")
    '45–63 %'
    >>> fmt_interval(float("nan"), 63.0, "%", 0)
    ''
    """
    if fmt_number(low) == MISSING or fmt_number(high) == MISSING:
        return ""
    return f"{fmt_number(low, decimals)}–{fmt_value(high, unit, decimals)}"


def fmt_date(day: dt.date) -> str:
    """Format a date as ``24 november 2026``.

    Examples
    --------
    >>> fmt_date(dt.date(2026, 11, 24))
    '24 november 2026'
    """
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def plotly_separators() -> str:
    """Return plotly's ``layout.separators`` for Dutch numbers (decimal ``,``, thousands ``.``)."""
    return ",."
