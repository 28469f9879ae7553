"""RIVM 'Eenzaamheid per wijk' 2016 (Gezondheidsmonitor 2016, indeling 2016) as published in CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REQUIRED = ("wijkcode", "wijknaam", "gemnr", "gemnaam")


class Rivm2016Error(ValueError):
    """The RIVM 2016 file is not in the expected layout."""


def read_rivm_2016(path: Path) -> pd.DataFrame:
    """Read the RIVM 2016 per-wijk estimates.

    Returns
    -------
    pandas.DataFrame
        ``code, name, level, gemeente_code, gemeente_name`` and every figure column as
        float; an empty cell (not published) stays NaN.
    """
    raw = pd.read_csv(path, dtype=str, encoding="utf-8", keep_default_na=False)
    return tidy_rivm_2016(raw, source=Path(path).name)


def tidy_rivm_2016(raw: pd.DataFrame, source: str = "rivm.csv") -> pd.DataFrame:
    """Tidy the string frame of the RIVM 2016 file (pure; see `read_rivm_2016`).

    Examples
    --------
    >>> raw = pd.DataFrame({"wijkcode": ["WK000300"], "wijknaam": ["Wijk 00"], "gemnr": ["3"],
    ...                     "gemnaam": ["Appingedam"], "% eenzaam*": ["46"]})
    >>> tidy_rivm_2016(raw)[["code", "gemeente_code", "% eenzaam*"]].to_dict("records")
    [{'code': 'WK000300', 'gemeente_code': 'GM0003', '% eenzaam*': 46.0}]
    """
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise Rivm2016Error(f"{source}: kolom {missing[0]!r} ontbreekt")
    gemnr = pd.to_numeric(raw["gemnr"], errors="coerce")
    if gemnr.isna().any():
        row = int(gemnr[gemnr.isna()].index[0]) + 2
        raise Rivm2016Error(f"{source}, rij {row}, kolom 'gemnr': geen gemeentenummer")
    out = pd.DataFrame(
        {
            "code": raw["wijkcode"].str.strip(),
            "name": raw["wijknaam"].str.strip(),
            "level": "wijk",
            "gemeente_code": "GM" + gemnr.astype(int).map("{:04d}".format),
            "gemeente_name": raw["gemnaam"].str.strip(),
        }
    )
    figures = [c for c in raw.columns if c not in REQUIRED]
    values = raw[figures].apply(lambda col: pd.to_numeric(col.str.strip(), errors="coerce"))
    tidy = pd.concat([out, values.astype("float64")], axis=1)
    # The published file repeats some rows verbatim (WK191104 three times); identical
    # repeats carry no information, but two different rows for one code would be a conflict.
    tidy = tidy.drop_duplicates(ignore_index=True)
    clash = tidy["code"].duplicated(keep=False)
    if clash.any():
        code = tidy.loc[clash, "code"].iloc[0]
        raise Rivm2016Error(f"{source}: wijkcode {code!r} staat meer dan eens met andere cijfers")
    return tidy
