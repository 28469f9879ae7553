"""Numbers as people type them: ``1,25``, ``1.234,5``, ``1,234.5`` — decided per column.

A lone ``.`` or ``,`` followed by exactly three digits (``1.200``) is either a decimal
separator or a thousands separator. The column decides: another cell with a decimal comma
(``0,8``) makes ``.`` the thousands separator; a cell such as ``0.873`` or ``12.5`` makes it the
decimal point. When nothing in the column decides, the file's convention does (``;`` and tab
files are Dutch); in a ``,`` file it stays ambiguous and the cell is reported, never guessed.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable
from typing import Any

#: What a column's decimal separator is: ``","``, ``"."`` or unknown (None).
Decimal = str | None

_PLAIN = re.compile(r"[+-]?\d+")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
_DECIMAL_POINT = re.compile(r"[+-]?\d*\.\d+")
_DUTCH_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?")
_ENGLISH_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")
# One separator and exactly three digits after it: 1.200 or 1,200 (0.873 is not a thousand).
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")

NOT_A_NUMBER = "not a number"
AMBIGUOUS = "ambiguous"


def column_decimal(values: Iterable[Any], file_default: Decimal = None) -> Decimal:
    """Return the decimal separator the text cells of one column use, or the file's default.

    Examples
    --------
    >>> column_decimal(["1.200", "0,8"]), column_decimal(["1.200", "0.873"])
    (',', '.')
    >>> column_decimal(["1.200"]), column_decimal(["1.200"], file_default=",")
    (None, ',')
    """
    for value in values:
        if not isinstance(value, str):
            continue
        text = value.strip()
        if _AMBIGUOUS.fullmatch(text) or _PLAIN.fullmatch(text):
            continue
        if _DECIMAL_COMMA.fullmatch(text) or (_DUTCH_GROUPED.fullmatch(text) and "," in text):
            return ","
        if _DECIMAL_POINT.fullmatch(text) or (_ENGLISH_GROUPED.fullmatch(text) and "." in text):
            return "."
        if _DUTCH_GROUPED.fullmatch(text):  # 1.234.567: several groups of three
            return ","
        if _ENGLISH_GROUPED.fullmatch(text):
            return "."
    return file_default


def parse_number(value: Any, decimal: Decimal = None) -> float | str:
    """Parse one cell: a float (NaN when empty), or `NOT_A_NUMBER` / `AMBIGUOUS`.

    Numbers from Excel or SPSS pass as they are; ``inf`` and NaN values from a file are not
    numbers (a weight "inf" must be reported, not used).

    Examples
    --------
    >>> [parse_number(v) for v in ["1,25", "1.234,5", "1,234.5", "", "1.200", "veel"]]
    [1.25, 1234.5, 1234.5, nan, 'ambiguous', 'not a number']
    >>> parse_number("1.200", ","), parse_number("1.200", "."), parse_number(float("inf"))
    (1200.0, 1.2, 'not a number')
    """
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return NOT_A_NUMBER
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return math.nan
        return number if math.isfinite(number) else NOT_A_NUMBER
    if not isinstance(value, str):
        return NOT_A_NUMBER
    text = value.strip()
    if not text:
        return math.nan
    if _PLAIN.fullmatch(text):
        return float(text)
    if _AMBIGUOUS.fullmatch(text):
        sep = "." if "." in text else ","
        if decimal is None:
            return AMBIGUOUS
        if sep == decimal:
            return float(text.replace(",", "."))
        return float(text.replace(sep, ""))
    if _DECIMAL_COMMA.fullmatch(text) or _DECIMAL_POINT.fullmatch(text):
        return float(text.replace(",", "."))
    if _DUTCH_GROUPED.fullmatch(text) and decimal != ".":
        return float(text.replace(".", "").replace(",", "."))
    if _ENGLISH_GROUPED.fullmatch(text) and decimal != ",":
        return float(text.replace(",", ""))
    return NOT_A_NUMBER
