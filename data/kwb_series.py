"""KWB time series per buurt assembled from the yearly CBS tables (the Baarn series file)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


class SeriesError(ValueError):
    """A time-series file does not have the expected structure."""


def read_series(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a time-series JSON (keys ``metadata``, ``gemeente``, ``buurten``).

    Parameters
    ----------
    path : Path
        The JSON file.

    Returns
    -------
    regions : pandas.DataFrame
        ``code, name, level, gemeente_code, wijk_code`` for the gemeente and its buurten.
    values : pandas.DataFrame
        One row per (code, period) with one column per series key; null stays NaN.
    """
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return tidy_series(doc, source=Path(path).name)


def tidy_series(doc: dict, source: str = "tijdreeks.json") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tidy a parsed time-series document (pure; see `read_series`).

    Examples
    --------
    >>> doc = {"metadata": {"gemeente_code": "GM0308"},
    ...        "gemeente": {"naam": "Baarn", "code": "GM0308",
    ...                     "tijdreeksen": {"aantal_inwoners": {"2024": 25065.0}}},
    ...        "buurten": {"BU03080000": {"naam": "Centrum", "wijkcode": "WK030800",
    ...                    "tijdreeksen": {"aantal_inwoners": {"2024": 1825.0, "2025": None}}}}}
    >>> regions, values = tidy_series(doc)
    >>> values[["code", "period", "aantal_inwoners"]].values.tolist()
    [['GM0308', 2024, 25065.0], ['BU03080000', 2024, 1825.0], ['BU03080000', 2025, nan]]
    """
    for key in ("metadata", "gemeente", "buurten"):
        if key not in doc:
            raise SeriesError(f"{source}: sleutel {key!r} ontbreekt")
    gm = doc["gemeente"]
    gm_code = gm["code"].strip()
    region_rows = [
        {
            "code": gm_code,
            "name": gm["naam"],
            "level": "gemeente",
            "gemeente_code": gm_code,
            "wijk_code": None,
        }
    ]
    records = _series_records(gm_code, gm.get("tijdreeksen", {}))
    for code, body in doc["buurten"].items():
        code = code.strip()
        region_rows.append(
            {
                "code": code,
                "name": body["naam"],
                "level": "buurt",
                "gemeente_code": gm_code,
                "wijk_code": body.get("wijkcode"),
            }
        )
        records += _series_records(code, body.get("tijdreeksen", {}))
    regions = pd.DataFrame(region_rows)
    long = pd.DataFrame(records, columns=["code", "period", "key", "value"])
    # pivot, not pivot_table: only the (code, year) pairs the file holds become rows.
    wide = long.pivot(index=["code", "period"], columns="key", values="value").reset_index()
    wide.columns.name = None
    order = {c: i for i, c in enumerate(regions["code"])}
    wide = wide.sort_values(
        ["period", "code"], key=lambda s: s.map(order) if s.name == "code" else s
    )
    return regions, wide.reset_index(drop=True).astype({"period": "int64"})


def _series_records(code: str, series: dict) -> list[tuple[str, int, str, float]]:
    """Flatten ``{key: {year: value}}`` into records; null becomes NaN, never 0."""
    return [
        (code, int(year), key, float("nan") if value is None else float(value))
        for key, by_year in series.items()
        for year, value in by_year.items()
    ]
