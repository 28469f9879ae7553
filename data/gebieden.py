"""CBS 85067NED "Gebieden in Nederland" (cbsodataR CSV): the GGD region of every gemeente."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Columns of 85067NED used here: the gemeente and its GGD region (code and name).
COLUMNS = {
    "RegioS": "gemeente_code",
    "Naam_2": "gemeente_name",
    "Code_14": "ggd_code",
    "Naam_15": "ggd_name",
}


class GebiedenError(ValueError):
    """The 85067NED file is not in the expected layout."""


def read_gebieden(folder: Path) -> pd.DataFrame:
    """Read the gemeenten and their GGD region from a 85067NED folder (``data.csv``).

    Returns
    -------
    pandas.DataFrame
        ``gemeente_code, gemeente_name, ggd_code, ggd_name``, padding stripped, one row per
        gemeente.
    """
    path = Path(folder) / "data.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return tidy_gebieden(raw, source=path.name)


def tidy_gebieden(raw: pd.DataFrame, source: str = "data.csv") -> pd.DataFrame:
    """Tidy the text frame of 85067NED (pure; see `read_gebieden`).

    Examples
    --------
    >>> raw = pd.DataFrame({"RegioS": ["GM0080    "], "Naam_2": ["Leeuwarden   "],
    ...                     "Code_14": ["GG7206    "], "Naam_15": ["GGD Fryslân  "]})
    >>> tidy_gebieden(raw).to_dict("records")
    [{'gemeente_code': 'GM0080', 'gemeente_name': 'Leeuwarden', 'ggd_code': 'GG7206', \
'ggd_name': 'GGD Fryslân'}]
    """
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise GebiedenError(f"{source}: kolom {missing[0]!r} ontbreekt")
    out = raw[list(COLUMNS)].rename(columns=COLUMNS).apply(lambda col: col.str.strip())
    for column in ("gemeente_code", "ggd_code"):
        bad = ~out[column].str.fullmatch(r"(GM|GG)\d{4}")
        if bad.any():
            row = int(bad.idxmax()) + 2
            original = [k for k, v in COLUMNS.items() if v == column][0]
            raise GebiedenError(
                f"{source}, rij {row}, kolom {original!r}: {out.loc[bad.idxmax(), column]!r} "
                "is geen CBS-code"
            )
    dup = out["gemeente_code"].duplicated()
    if dup.any():
        raise GebiedenError(f"{source}: gemeente {out.loc[dup.idxmax(), 'gemeente_code']} dubbel")
    return out.reset_index(drop=True)
