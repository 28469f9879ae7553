"""The embedded default snapshot: the only data the app reads at render time (no CBS calls)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa

from paths import DEFAULT_SNAPSHOT

REGIONS = "regions.parquet"
VALUES = "values.parquet"
GEOMETRY = "geometry.parquet"
PROPERTIES = "properties.parquet"
MANIFEST = "manifest.json"
FILES = (REGIONS, VALUES, GEOMETRY, PROPERTIES, MANIFEST)
#: Optional tables (a snapshot fetched for one gemeente may lack them): GGD membership of every
#: gemeente per indeling, and the population weights of region figures (analysis.aggregate).
GGD = "ggd.parquet"
WEIGHTS = "weights.parquet"
GGD_COLUMNS = ("gemeente_code", "gemeente_name", "indeling", "ggd_code", "ggd_name", "basis")
WEIGHT_COLUMNS = ("code", "indeling", "age", "weight", "basis")


class SnapshotError(RuntimeError):
    """The snapshot folder is missing or incomplete."""


@dataclass(frozen=True)
class Snapshot:
    """Everything the dashboard shows, read from ``data/default`` (or another folder).

    Attributes
    ----------
    regions : pandas.DataFrame
        ``code, name, level, gemeente_code, gemeente_name, indeling, area`` — one row per
        region and indeling year; rows with the same ``area`` key are the same area
        (`analysis.indeling.area_keys`), so a figure of one indeling may be shown on the other.
    values : pandas.DataFrame
        Long table ``indicator, code, period, age, source, value``.
    geometry : geopandas.GeoDataFrame
        Simplified boundaries, ``layer, code, name, level, gemeente_code, indeling, geometry``
        in EPSG:4326.
    properties : pandas.DataFrame
        CBS DataProperties of the source tables (``table_id, key, title, description, unit,
        decimals``).
    manifest : dict
        Build date, mode, inputs with checksums, and row counts.
    ggd : pandas.DataFrame
        ``gemeente_code, gemeente_name, indeling, ggd_code, ggd_name, basis``: the GGD region
        of every gemeente of each indeling (empty when the folder has no ``ggd.parquet``).
    weights : pandas.DataFrame
        ``code, indeling, age, weight, basis``: populations that weigh region figures.
    """

    regions: pd.DataFrame
    values: pd.DataFrame
    geometry: gpd.GeoDataFrame
    properties: pd.DataFrame
    manifest: dict
    ggd: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(GGD_COLUMNS)))
    weights: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(WEIGHT_COLUMNS))
    )


def load_snapshot(folder: Path = DEFAULT_SNAPSHOT) -> Snapshot:
    """Read a snapshot folder written by ``python -m snapshot_build``.

    Raises
    ------
    SnapshotError
        Naming the folder and the missing file, with the command that makes it.
    """
    folder = Path(folder)
    for name in FILES:
        if not (folder / name).is_file():
            raise SnapshotError(
                f"Snapshotbestand {name!r} ontbreekt in {folder}. "
                "Maak de snapshot opnieuw met: python -m snapshot_build"
            )
    return Snapshot(
        regions=one_chunk(pd.read_parquet(folder / REGIONS)),
        values=one_chunk(pd.read_parquet(folder / VALUES)),
        geometry=one_chunk(gpd.read_parquet(folder / GEOMETRY)),
        properties=pd.read_parquet(folder / PROPERTIES),
        manifest=json.loads((folder / MANIFEST).read_text(encoding="utf-8")),
        **{
            name: one_chunk(pd.read_parquet(folder / file))
            for name, file in (("ggd", GGD), ("weights", WEIGHTS))
            if (folder / file).is_file()
        },
    )


def one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """Join each arrow-backed text column read in several chunks into one (same dtype, values).

    Parquet hands a large column over in chunks (the values' ``code``: 8). Taking a few
    thousand rows from a chunked column cost 2,4 ms against 0,5 ms from one chunk, and every
    first visit of a gemeente takes its rows (issue #14). Changes ``frame`` in place.

    Examples
    --------
    >>> col = pd.array(pa.chunked_array([["WK1"], ["WK2"]]), dtype="str")
    >>> frame = one_chunk(pd.DataFrame({"code": col}))
    >>> isinstance(pa.array(col), pa.ChunkedArray), frame["code"].tolist()
    (True, ['WK1', 'WK2'])
    >>> isinstance(pa.array(frame["code"].array), pa.ChunkedArray)
    False
    """
    for name in frame.columns:
        column = frame[name]
        if not (isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"):
            continue
        arrow = pa.array(column.array)  # a ChunkedArray when read in more than one chunk
        if isinstance(arrow, pa.ChunkedArray) and arrow.num_chunks > 1:
            joined = pa.chunked_array([arrow.combine_chunks()])
            frame[name] = pd.Series(
                type(column.array)(joined, dtype=column.dtype), index=frame.index, name=name
            )
    return frame
