import datetime as dt
import math

import pytest

from analysis.format import MISSING, fmt_date, fmt_number, fmt_percent, fmt_value

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (0.05, 1, "0,1"),
        (-1234.25, 2, "-1.234,25"),
        (-0.04, 1, "0,0"),
        (12, 0, "12"),
        (None, 1, MISSING),
        (math.nan, 0, MISSING),
    ],
)
def test_fmt_number(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (12.345, "%", 1, f"12,3{NBSP}%"),
        (52, "%", 0, f"52{NBSP}%"),
        (1.25, "km", 1, f"1,2{NBSP}km"),  # banker's rounding of the float 1.25 → 1,2
        (12150, "aantal", 0, "12.150"),
        (458, "x 1.000 euro", 0, f"458{NBSP}x 1.000 euro"),
        (math.nan, "%", 0, MISSING),
    ],
)
def test_fmt_value(value, unit, decimals, expected):
    assert fmt_value(value, unit, decimals) == expected


def test_fmt_percent_missing_has_no_sign():
    assert fmt_percent(None) == MISSING


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2026, 11, 24), "24 november 2026"), (dt.date(2025, 3, 1), "1 maart 2025")],
)
def test_fmt_date(day, expected):
    assert fmt_date(day) == expected
