"""CBS 'Kerncijfers wijken en buurten' Excel downloads (kwb-YYYY.xlsx, short column names)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Columns every kwb-YYYY.xlsx carries; without them a file is not a KWB download.
REQUIRED = ("gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs")

#: Text columns; every other column is numeric ('.' = secret or not yet published).
TEXT_COLUMNS = (
    "gwb_code_10",
    "gwb_code_8",
    "regio",
    "gm_naam",
    "recs",
    "gwb_code",
    "ind_wbi",
    "pst_mvp",
)

LEVELS = {"Land": "land", "Gemeente": "gemeente", "Wijk": "wijk", "Buurt": "buurt"}


class KwbExcelError(ValueError):
    """A kwb-YYYY.xlsx file is not what CBS publishes."""


def read_kwb_excel(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """Read a CBS KWB Excel download into one row per region.

    Parameters
    ----------
    path : Path
        A ``kwb-YYYY.xlsx`` file as CBS publishes it (or a filtered copy of one).
    sheet : str or int
        Sheet to read; CBS ships one sheet.

    Returns
    -------
    pandas.DataFrame
        ``code`` (e.g. ``WK034401``), ``name``, ``level`` (gemeente/wijk/buurt),
        ``gemeente_code``, ``gemeente_name``, then every numeric column as float with
        CBS's ``.`` (secret, unknown or not yet published) as NaN — never 0.

    Raises
    ------
    KwbExcelError
        Naming the file and the missing column or unknown region type.
    """
    raw = pd.read_excel(path, sheet_name=sheet, dtype=str)
    return tidy_kwb_excel(raw, source=Path(path).name)


def tidy_kwb_excel(raw: pd.DataFrame, source: str = "kwb.xlsx") -> pd.DataFrame:
    """Tidy the string frame of a KWB Excel sheet (pure; see `read_kwb_excel`).

    Examples
    --------
    >>> raw = pd.DataFrame({"gwb_code_10": ["WK034401"], "gwb_code_8": ["034401"],
    ...                     "regio": ["Wijk 01 West"], "gm_naam": ["Utrecht"],
    ...                     "recs": ["Wijk"], "a_inw": ["29040"], "p_hh_li": ["."]})
    >>> tidy_kwb_excel(raw)[["code", "gemeente_code", "a_inw", "p_hh_li"]].to_dict("records")
    [{'code': 'WK034401', 'gemeente_code': 'GM0344', 'a_inw': 29040.0, 'p_hh_li': nan}]
    """
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise KwbExcelError(f"{source}: kolom {missing[0]!r} ontbreekt; dit is geen KWB-bestand")
    recs = raw["recs"].fillna("").str.strip()
    unknown = sorted(set(recs) - set(LEVELS))
    if unknown:
        row = int(recs[~recs.isin(list(LEVELS))].index[0]) + 2  # +1 header, +1 one-based
        raise KwbExcelError(
            f"{source}, rij {row}, kolom 'recs': {unknown[0]!r} is geen regiosoort "
            f"(verwacht: {', '.join(LEVELS)})"
        )
    code8 = raw["gwb_code_8"].fillna("").str.strip()
    out = pd.DataFrame(
        {
            "code": raw["gwb_code_10"].str.strip(),
            "name": raw["regio"].str.strip(),
            "level": recs.map(LEVELS),
            "gemeente_code": "GM" + code8.str[:4],
            "gemeente_name": raw["gm_naam"].str.strip(),
        }
    )
    numeric = [c for c in raw.columns if c not in TEXT_COLUMNS]
    values = raw[numeric].apply(lambda col: pd.to_numeric(col.str.strip(), errors="coerce"))
    return pd.concat([out, values.astype("float64")], axis=1)
