"""CBS region codes: levels and the gemeente a wijk or buurt belongs to."""

from __future__ import annotations

import pandas as pd

PREFIX_LEVELS = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
#: Digits after the prefix, per prefix: NL00, GM0080, WK008010, BU00801001.
CODE_DIGITS = {"NL": 2, "GM": 4, "WK": 6, "BU": 8}


def level_of_code(code: str) -> str | None:
    """Return the level a CBS region code names, or None when it is not a CBS code.

    Examples
    --------
    >>> [level_of_code(c) for c in ["NL00", "GM0080", "WK008010", "BU00800100", "Dorp 3"]]
    ['land', 'gemeente', 'wijk', 'buurt', None]
    """
    return PREFIX_LEVELS.get(str(code)[:2]) if _looks_like_code(code) else None


def gemeente_code_of(code: str) -> str | None:
    """Return the gemeente code ``GMxxxx`` of a gemeente, wijk or buurt code.

    Examples
    --------
    >>> [gemeente_code_of(c) for c in ["GM0080", "WK008010", "BU00800100", "NL00"]]
    ['GM0080', 'GM0080', 'GM0080', None]
    """
    level = level_of_code(code)
    if level in (None, "land"):
        return None
    return f"GM{str(code)[2:6]}"


def wijk_code_of(code: str) -> str:
    """Return the code ``WKxxxxxx`` of the wijk a buurt lies in (a wijk code stays itself).

    A buurt code holds its wijk's code: BU + gemeente (4) + wijk (2) + buurt (2) digits.

    Examples
    --------
    >>> [wijk_code_of(c) for c in ["BU00801001", "WK008010"]]
    ['WK008010', 'WK008010']
    """
    return f"WK{str(code)[2:8]}"


def gemeente_codes(codes: pd.Series) -> pd.Series:
    """Vectorised `gemeente_code_of` (None for the country and for non-CBS codes)."""
    return codes.map(gemeente_code_of)


def _looks_like_code(code: str) -> bool:
    """Check prefix and length: NL00, GM + 4 digits, WK + 6 and BU + 8 characters.

    The gemeente part is always four digits; since 2024 Amsterdam numbers its wijken and
    buurten with capitals (WK0363AA, BU0363AA01), so after it digits or capitals are allowed.

    Examples
    --------
    >>> [_looks_like_code(c) for c in ["WK0363AA", "BU0363AA01", "WK03aa01", "GM03A3"]]
    [True, True, False, False]
    """
    text = str(code)
    digits = CODE_DIGITS.get(text[:2])
    if digits is None or len(text) != 2 + digits or not text[2 : 6 if digits > 2 else 4].isdigit():
        return False
    rest = text[6:]
    return all(ch.isdigit() or ("A" <= ch <= "Z") for ch in rest)
