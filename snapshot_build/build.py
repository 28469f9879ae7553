"""Build the embedded default snapshot from the real sources: ``python -m snapshot_build``.

Two modes, one code path for the CBS and RIVM tables:

* offline (default): the source files in ``--source-dir`` (the layout of shared/data, see its
  SOURCES.md) are served as a local OData v3 feed on 127.0.0.1 (``snapshot_build.replay``) and
  fetched through the real ``cbsodata`` client, exactly as the live service would be;
* ``--online``: the same client fetches from opendata.cbs.nl and dataderden.cbs.nl.

Sources that CBS does not publish as OData (the KWB Excel downloads, a derived time series, the
RIVM 2016 per-wijk file, and the boundaries) are read from ``--source-dir`` in both modes.
The output folder holds parquet tables, GeoParquet boundaries and a manifest with checksums.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis import indeling as indeling_rules
from analysis.catalogue import RIVM_TABLE_ID, Catalogue, load_catalogue
from analysis.indicators import ALL_AGES, empty_values, indicator_values
from analysis.regions import gemeente_codes, level_of_code
from data import boundaries, cbs
from data.kwb_excel import read_kwb_excel
from data.kwb_series import read_series
from data.rivm_2016 import read_rivm_2016
from data.snapshot import GEOMETRY, GGD, MANIFEST, PROPERTIES, REGIONS, VALUES, WEIGHTS
from paths import DEFAULT_SNAPSHOT, SHARED_DATA
from snapshot_build.ggd import GgdError

REGION_COLUMNS = ["code", "name", "level", "gemeente_code", "gemeente_name", "indeling"]
LEVEL_ORDER = {"land": 0, "gemeente": 1, "wijk": 2, "buurt": 3}


class BuildError(RuntimeError):
    """The snapshot cannot be built from the given sources."""


#: Indeling 2024 of the whole country, with the KWB 2024 figures of each wijk (SOURCES.md §3).
WIJKEN_2024 = "geo/wijken_2024_nl_wgs84.geojson"
#: Features of that file that are no wijk of a gemeente.
NOT_WIJKEN_NAMES = ("Groot water",)
NOT_WIJKEN_GEMEENTEN = ("GM0998",)  # "Buitenland"
#: KWB 2024 (85984NED) per gemeente and wijk, a few columns (SOURCES.md §1).
KWB_2024 = "kwb/85984NED_kwb2024_gm_wk/stripped_filtered_data_2024.json"
KWB_2024_SOURCE = "85984NED"
#: Indeling 2016 of the whole country: read only to decide which areas stayed the same.
WIJKEN_2016 = "geo/wijken_2016_nl_rd.geojson"
#: The region list of KWB 2022 (85318NED): names and buurten of every wijk in indeling 2022.
REGIONS_2022 = "kwb/85318NED_kwb2022_metadata/WijkenEnBuurten.csv"
#: The national layers of indeling 2024: wijken (from the file) and gemeenten (dissolved).
NATIONAL_WIJKEN = "nl-wijken-2024-land"
NATIONAL_GEMEENTEN = "nl-gemeenten-2024-land"
#: The country's code in the snapshot (RIVM's; the KWB tables call it NL00).
COUNTRY = "NL01"


@dataclass(frozen=True)
class Layer:
    """One boundary file of the snapshot and how to read it."""

    id: str
    path: str
    code_field: str
    name_field: str
    level: str
    indeling: int
    gemeente_field: str | None = None
    #: The 2016 layer holds WK191104 (Wieringen) as two features: one wijk, two pieces.
    duplicates: str = "raise"
    #: (tolerance in metres, decimals); None = the defaults in boundaries.WEB_DEFAULTS.
    simplify: tuple[float, int] | None = None
    #: Features that are no area of a gemeente (the 2024 file's "Groot water", "Buitenland").
    exclude_names: tuple[str, ...] = ()
    exclude_gemeenten: tuple[str, ...] = ()
    #: Holes narrower than this (metres) go to a neighbour; None = one grid cell.
    gap_width_m: float | None = None


#: The 2024 national wijken were simplified per feature (0.0005°), which left 9 804 slivers
#: between neighbours (51.6 km²): at most 95 m wide (the diameter of the largest circle in
#: them), 99 % under 54 m. `boundaries.close_gaps` shares out every hole narrower than 100 m
#: among its neighbours; the 62 holes where "Groot water" was left out are wider, except 32
#: bits of it under 100 m wide (0.2 km² together), which go to the wijken next to them.
#: Measured on the source in ../shared/data/geo.
SLIVER_WIDTH_2024_M = 100.0


#: Boundary layers in the snapshot (paths relative to the source folder).
LAYERS = (
    Layer(
        "leeuwarden-wijken-2025",
        "geo/wijken_2025_GM0080_leeuwarden_wgs84.geojson",
        "statcode",
        "statnaam",
        "wijk",
        2025,
    ),
    Layer(
        "leeuwarden-buurten-2025",
        "geo/buurten_2025_GM0080_leeuwarden_wgs84.geojson",
        "statcode",
        "statnaam",
        "buurt",
        2025,
    ),
    # The Utrecht files match the KWB 2023 and 2024 region lists exactly (SOURCES.md).
    Layer(
        "utrecht-wijken-2024",
        "geo/wijken_GM0344_utrecht_wgs84.geojson",
        "statcode",
        "statnaam",
        "wijk",
        2024,
    ),
    Layer(
        "utrecht-buurten-2024",
        "geo/buurten_GM0344_utrecht_wgs84.geojson",
        "statcode",
        "statnaam",
        "buurt",
        2024,
    ),
    Layer(
        "baarn-buurten-2024",
        "geo/buurten_2024_GM0308_baarn_wgs84.geojson",
        "buurtcode",
        "buurtnaam",
        "buurt",
        2024,
    ),
    Layer(
        "haaglanden-wijken-2023",
        "geo/wijken_2023_haaglanden_wgs84.geojson",
        "WK_CODE",
        "WK_NAAM",
        "wijk",
        2023,
    ),
    # Indeling 2024 of the whole country (SOURCES.md §3): the default map of every gemeente
    # without a finer layer of its own. The source was simplified per feature (slivers,
    # invalid rings); fix_geometries and simplify_for_web clean it into a coverage.
    Layer(
        "nl-wijken-2024",
        WIJKEN_2024,
        "wijkcode",
        "wijknaam",
        "wijk",
        2024,
        gemeente_field="gemeentecode",
        # Drawn one gemeente at a time: finer than the national default (600 m).
        simplify=(50.0, 4),
        exclude_names=NOT_WIJKEN_NAMES,
        exclude_gemeenten=NOT_WIJKEN_GEMEENTEN,
        gap_width_m=SLIVER_WIDTH_2024_M,
    ),
    # The same wijken for a map of the whole country, at the national defaults of
    # boundaries.WEB_DEFAULTS (600 m, 4 decimals). The "-land" suffix keeps it out of
    # per-gemeente maps (analysis.views.maps.layer_index; issue #5).
    Layer(
        "nl-wijken-2024-land",
        WIJKEN_2024,
        "wijkcode",
        "wijknaam",
        "wijk",
        2024,
        gemeente_field="gemeentecode",
        exclude_names=NOT_WIJKEN_NAMES,
        exclude_gemeenten=NOT_WIJKEN_GEMEENTEN,
        gap_width_m=SLIVER_WIDTH_2024_M,
    ),
)

#: KWB tables fetched through OData: (year, gemeente).
KWB_ODATA = ((2025, "GM0080"),)

#: KWB tables fetched through OData for the gemeente rows of every gemeente of a GGD region,
#: so that region figures can be computed (analysis.aggregate): (year, GGD region code).
KWB_ODATA_GGD = ((2025, "GG7206"),)

#: KWB Excel downloads read from the source folder: (source id, file, year).
KWB_EXCEL = (
    ("kwb-2023-xlsx", "kwb/kwb_excel_utrecht/kwb-2023_GM0344_utrecht.xlsx", 2023),
    ("kwb-2024-xlsx", "kwb/kwb_excel_utrecht/kwb-2024_GM0344_utrecht.xlsx", 2024),
)
BAARN_SERIES = "kwb/derived_baarn/baarn_GM0308_tijdreeksen.json"
RIVM_2016 = "gezondheid/rivm_eenzaamheid_wijk_2016.csv"
#: The Gezondheidsmonitor 2016 asked people of 19 and older (the file's own column says so).
RIVM_2016_AGE = "19+"
RIVM_TABLE = RIVM_TABLE_ID


def build(
    out_dir: Path = DEFAULT_SNAPSHOT,
    *,
    source_dir: Path = SHARED_DATA,
    online: bool = False,
    built_on: dt.date | None = None,
    log=print,
) -> dict:
    """Build the snapshot into ``out_dir`` and return its manifest.

    Parameters
    ----------
    out_dir : Path
        Folder to write; created if needed, files overwritten.
    source_dir : Path
        Folder of source files (layout of shared/data).
    online : bool
        Fetch CBS and RIVM tables from the live services instead of the local feed.
    built_on : datetime.date, optional
        Date recorded in the manifest (default: today).
    log : callable
        Progress messages (one line each).
    """
    source_dir = Path(source_dir)
    out_dir = Path(out_dir)
    catalogue = load_catalogue()
    inputs: dict[str, str] = {}
    regions: list[pd.DataFrame] = []
    values: list[pd.DataFrame] = []
    properties: list[pd.DataFrame] = []

    with _feeds(source_dir, online) as (cbs_url, rivm_url):
        for year, gemeente in KWB_ODATA:
            log(f"KWB {year} {gemeente} via cbsodata ({cbs_url})")
            frame = cbs.kwb(year, gemeente, catalog_url=cbs_url)
            table_id = frame.attrs["table_id"]
            _require_source(catalogue, table_id)
            regions.append(_regions(frame, indeling=catalogue.source(table_id).indeling))
            values.append(indicator_values(frame, catalogue, table_id, period=year))
            props = cbs.data_properties(table_id, catalog_url=cbs_url)
            properties.append(_properties(props, table_id))
            inputs[f"{cbs_url}/ODataFeed/odata/{table_id}"] = "cbsodata"

        for year, ggd_code in KWB_ODATA_GGD:
            more_regions, more_values = _kwb_gemeenten_of(
                year, ggd_code, source_dir, cbs_url, catalogue, log
            )
            regions += more_regions
            values += more_values

        log(f"RIVM {RIVM_TABLE} via cbsodata ({rivm_url})")
        health = cbs.rivm_health(catalog_url=rivm_url, table_id=RIVM_TABLE)
        inputs[f"{rivm_url}/ODataFeed/odata/{RIVM_TABLE}"] = "cbsodata"
        regions.append(_regions(health.drop_duplicates("code"), indeling=2020))
        for (year, age), group in health.groupby(["year", "age"], sort=True):
            values.append(
                indicator_values(group, catalogue, RIVM_TABLE, period=int(year), age=str(age))
            )

    for source_id, rel, year in KWB_EXCEL:
        log(f"KWB {year} uit {rel}")
        frame = read_kwb_excel(source_dir / rel)
        inputs[rel] = _sha256(source_dir / rel)
        regions.append(_regions(frame, indeling=catalogue.source(source_id).indeling))
        values.append(indicator_values(frame, catalogue, source_id, period=year))

    log(f"Tijdreeks uit {BAARN_SERIES}")
    series_regions, series = read_series(source_dir / BAARN_SERIES)
    inputs[BAARN_SERIES] = _sha256(source_dir / BAARN_SERIES)
    series_regions = series_regions.assign(gemeente_name="Baarn")
    regions.append(_regions(series_regions, indeling=catalogue.source("baarn-tijdreeks").indeling))
    values.append(indicator_values(series, catalogue, "baarn-tijdreeks"))

    log(f"RIVM 2016 uit {RIVM_2016}")
    rivm16 = read_rivm_2016(source_dir / RIVM_2016)
    inputs[RIVM_2016] = _sha256(source_dir / RIVM_2016)
    regions.append(_regions(rivm16, indeling=2016))
    values.append(indicator_values(rivm16, catalogue, "rivm-eenzaamheid-2016", age=RIVM_2016_AGE))
    values.append(indicator_values(rivm16, catalogue, "cbs-in-rivm-2016", age=ALL_AGES))

    log(f"KWB 2024 ({KWB_2024_SOURCE}) uit {WIJKEN_2024} en {KWB_2024}")
    kwb24 = kwb_2024(source_dir)
    for rel in (WIJKEN_2024, KWB_2024):
        inputs[rel] = _sha256(source_dir / rel)
    regions.append(_regions(kwb24, indeling=catalogue.source(KWB_2024_SOURCE).indeling))
    values.append(indicator_values(kwb24, catalogue, KWB_2024_SOURCE))

    layers = []
    for layer in LAYERS:
        log(f"Grenzen {layer.id} uit {layer.path}")
        inputs[layer.path] = _sha256(source_dir / layer.path)
        layers.append(_layer(source_dir, layer))
    geometry = pd.concat(layers, ignore_index=True)
    geometry = gpd.GeoDataFrame(geometry, geometry="geometry", crs="EPSG:4326")
    log(f"Grenzen {NATIONAL_GEMEENTEN} uit de wijken van {NATIONAL_WIJKEN}")
    geometry = pd.concat([geometry, gemeente_layer(geometry, kwb24)], ignore_index=True)
    geometry = gpd.GeoDataFrame(geometry, geometry="geometry", crs="EPSG:4326")
    regions.append(_regions(geometry.drop(columns="geometry"), indeling=None))

    region_table = tidy_regions(pd.concat(regions, ignore_index=True))
    log("Zelfde gebied in andere indelingen: grenzen, buurten en namen vergelijken")
    for rel in (WIJKEN_2016, REGIONS_2022):
        inputs[rel] = _sha256(source_dir / rel)
    region_table["area"] = area_key_table(region_table, geometry, source_dir)
    value_table = tidy_values(pd.concat(values, ignore_index=True))
    property_table = (
        pd.concat(properties, ignore_index=True)
        .sort_values(["table_id", "key"], kind="stable")
        .reset_index(drop=True)
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    _write_parquet(region_table, out_dir / REGIONS)
    _write_parquet(value_table, out_dir / VALUES)
    _write_parquet(property_table, out_dir / PROPERTIES)
    _write_geometry(geometry, out_dir / GEOMETRY)
    ggd_rows = _write_ggd(out_dir, source_dir, rivm16, region_table, inputs, log)
    manifest = {
        "built_on": (built_on or dt.date.today()).isoformat(),
        "mode": "online" if online else "offline",
        "inputs": dict(sorted(inputs.items())) if not online else inputs,
        "rows": {
            REGIONS: len(region_table),
            VALUES: len(value_table),
            GEOMETRY: len(geometry),
            PROPERTIES: len(property_table),
            **ggd_rows,
        },
        "layers": {
            layer: int((geometry["layer"] == layer).sum())
            for layer in [*(layer.id for layer in LAYERS), NATIONAL_GEMEENTEN]
        },
        "indicators": sorted(value_table["indicator"].unique().tolist()),
    }
    if not online:
        # Local feed addresses change per run (random port); record the table, not the port.
        manifest["inputs"] = {_strip_port(k): v for k, v in sorted(inputs.items())}
    (out_dir / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log(f"Snapshot geschreven naar {out_dir}: {manifest['rows']}")
    return manifest


def _kwb_gemeenten_of(
    year: int, ggd_code: str, source_dir: Path, cbs_url: str, catalogue: Catalogue, log
) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Fetch the gemeente row of every gemeente of a GGD region (its members in 2022)."""
    from data.gebieden import read_gebieden
    from snapshot_build.ggd import GEBIEDEN_2022

    gebieden = read_gebieden(source_dir / GEBIEDEN_2022)
    codes = gebieden.loc[gebieden["ggd_code"] == ggd_code, "gemeente_code"].tolist()
    log(f"KWB {year}: de {len(codes)} gemeenten van {ggd_code} via cbsodata ({cbs_url})")
    regions, values = [], []
    for code in codes:
        if (year, code) in KWB_ODATA:
            continue  # fetched in full already
        frame = cbs.kwb(year, code, catalog_url=cbs_url)
        frame = frame[frame["level"] == "gemeente"]
        table_id = frame.attrs["table_id"]
        regions.append(_regions(frame, indeling=catalogue.source(table_id).indeling))
        values.append(indicator_values(frame, catalogue, table_id, period=year))
    return regions, values


def _write_ggd(
    out_dir: Path,
    source_dir: Path,
    rivm16: pd.DataFrame,
    region_table: pd.DataFrame,
    inputs: dict[str, str],
    log,
) -> dict[str, int]:
    """Write the GGD membership and the population weights (snapshot_build.ggd)."""
    from snapshot_build.ggd import GEBIEDEN_2022, WIJKEN_2016, WIJKEN_2024, ggd_tables

    log(f"GGD-regio's uit {GEBIEDEN_2022}, gemeenten verbonden via {WIJKEN_2016}")
    is_gm = (region_table["indeling"] == 2020) & (region_table["level"] == "gemeente")
    gemeenten_2020 = region_table.loc[is_gm, ["code", "name"]].rename(
        columns={"code": "gemeente_code", "name": "gemeente_name"}
    )
    membership, weights = ggd_tables(source_dir, rivm16, gemeenten_2020)
    for rel in (f"{GEBIEDEN_2022}/data.csv", WIJKEN_2016, WIJKEN_2024):
        inputs[rel] = _sha256(source_dir / rel)
    _write_parquet(membership, out_dir / GGD)
    _write_parquet(weights, out_dir / WEIGHTS)
    return {GGD: len(membership), WEIGHTS: len(weights)}


@contextlib.contextmanager
def _feeds(source_dir: Path, online: bool) -> Iterator[tuple[str, str]]:
    """Yield the (CBS, RIVM) catalog URLs: live, or one local feed over the source folder."""
    if online:
        yield cbs.CBS_CATALOG, cbs.RIVM_CATALOG
        return
    from snapshot_build.replay import serve  # imported lazily: only offline builds need it

    with serve(source_dir, None) as feed:
        yield feed.base_url, feed.base_url


def _require_source(catalogue: Catalogue, table_id: str) -> None:
    """Fail clearly when the catalogue does not say which columns of a table to use."""
    if table_id not in catalogue.sources:
        raise BuildError(
            f"De catalogus (analysis/indicators.toml) kent tabel {table_id!r} nog niet: "
            "voeg de bron en per indicator de kolom toe, en bouw opnieuw."
        )


def _regions(frame: pd.DataFrame, indeling: int | None) -> pd.DataFrame:
    """Select region columns from a source frame (indeling from the frame when None).

    Missing pieces are derived from the code: the gemeente a wijk or buurt lies in, and the
    name of a gemeente row from its gemeente name (RIVM tables carry no region titles).
    """
    out = pd.DataFrame(index=frame.index)
    for col in REGION_COLUMNS:
        if col == "indeling" and indeling is not None:
            out[col] = indeling
        elif col in frame.columns:
            out[col] = frame[col]
        else:
            out[col] = None
    out["gemeente_code"] = out["gemeente_code"].fillna(gemeente_codes(out["code"]))
    out["level"] = out["level"].fillna(out["code"].map(level_of_code))
    is_gm = out["level"] == "gemeente"
    out.loc[is_gm, "name"] = out.loc[is_gm, "name"].fillna(out.loc[is_gm, "gemeente_name"])
    out.loc[out["level"] == "land", "name"] = out.loc[out["level"] == "land", "name"].fillna(
        "Nederland"
    )
    return out.reset_index(drop=True)


def tidy_regions(regions: pd.DataFrame) -> pd.DataFrame:
    """Merge region rows from all sources: one row per (code, indeling), names filled in.

    The first non-empty name and gemeente name for a (code, indeling) wins, in source order;
    the gemeente name of a wijk or buurt falls back to its gemeente's own row.
    """
    frame = regions.copy()
    frame["indeling"] = frame["indeling"].astype("int64")
    frame["gemeente_code"] = frame["gemeente_code"].where(
        frame["gemeente_code"].notna() & (frame["level"] != "land"), None
    )
    merged = (
        frame.groupby(["code", "indeling"], sort=False)
        .agg(
            {"name": "first", "level": "first", "gemeente_code": "first", "gemeente_name": "first"}
        )
        .reset_index()
    )
    gm_names = (
        merged[merged["level"] == "gemeente"].drop_duplicates("code").set_index("code")["name"]
    )
    merged["gemeente_name"] = merged["gemeente_name"].fillna(merged["gemeente_code"].map(gm_names))
    merged["level_order"] = merged["level"].map(LEVEL_ORDER)
    merged = merged.sort_values(["indeling", "level_order", "code"], kind="stable")
    return (
        merged[REGION_COLUMNS]
        .reset_index(drop=True)
        .astype({"code": "str", "name": "str", "level": "str", "indeling": "int64"})
    )


def tidy_values(values: pd.DataFrame) -> pd.DataFrame:
    """Sort and type the long value table; fail on two values for one key."""
    if values.empty:
        return empty_values()
    key = ["indicator", "code", "period", "age", "source"]
    dup = values.duplicated(key, keep=False)
    if dup.any():
        first = values.loc[dup, key].iloc[0].to_dict()
        raise BuildError(f"Twee waarden voor dezelfde sleutel: {first}")
    out = values.sort_values(key, kind="stable").reset_index(drop=True)
    return out.astype(
        {
            "indicator": "category",
            "code": "str",
            "period": "int16",
            "age": "category",
            "source": "category",
            "value": "float64",
        }
    )


def _layer(source_dir: Path, layer: Layer) -> gpd.GeoDataFrame:
    """Read, repair and simplify one boundary layer for the web."""
    gdf = _cleaned_source(source_dir, layer)
    # The defaults per kind of layer (gemeente scale, or national) are measured in boundaries.
    settings = layer.simplify or (None, None)
    gdf = boundaries.simplify_for_web(gdf, *settings, gap_width_m=layer.gap_width_m)
    gdf = gdf.rename(columns={"year": "indeling"})
    gdf.insert(0, "layer", layer.id)
    return gdf


def _cleaned_source(source_dir: Path, layer: Layer) -> gpd.GeoDataFrame:
    """Read a layer's file, leave out what is no area of a gemeente, repair, close slivers.

    Two layers of the same file with the same settings (the national wijken, once per zoom)
    share the work: the last result is kept for one call.
    """
    key = (
        str(source_dir / layer.path),
        layer.code_field,
        layer.name_field,
        layer.level,
        layer.indeling,
        layer.gemeente_field,
        layer.duplicates,
        layer.exclude_names,
        layer.exclude_gemeenten,
        layer.gap_width_m,
    )
    if _LAST_SOURCE and _LAST_SOURCE[0] == key:
        return _LAST_SOURCE[1].copy()
    gdf = boundaries.read_layer(
        source_dir / layer.path,
        layer.code_field,
        layer.name_field,
        level=layer.level,
        year=layer.indeling,
        gemeente_field=layer.gemeente_field,
        duplicates=layer.duplicates,
    )
    keep = ~gdf["name"].isin(layer.exclude_names) & ~gdf["gemeente_code"].isin(
        layer.exclude_gemeenten
    )
    gdf = boundaries.fix_geometries(gdf[keep].reset_index(drop=True))
    if layer.gap_width_m:
        gdf = boundaries.close_gaps(gdf, layer.gap_width_m)
    _LAST_SOURCE[:] = [key, gdf]
    return gdf.copy()


#: The last `_cleaned_source` result: ``[key, layer]`` (empty before the first call).
_LAST_SOURCE: list = []


def _properties(props: pd.DataFrame, table_id: str) -> pd.DataFrame:
    """Keep the DataProperties fields the app shows (Title, Description, Unit, Decimals)."""
    out = pd.DataFrame(
        {
            "table_id": table_id,
            "key": props["Key"].astype("str"),
            "title": props["Title"].astype("str"),
            "description": props["Description"].fillna("").astype("str"),
            "unit": props["Unit"].fillna("").astype("str"),
            "decimals": pd.to_numeric(props["Decimals"], errors="coerce").astype("Int64"),
        }
    )
    return out


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write parquet deterministically (no index, zstd) so a rebuild gives the same content."""
    frame.to_parquet(path, index=False, compression="zstd")


def _write_geometry(geometry: gpd.GeoDataFrame, path: Path) -> None:
    """Write all layers as one GeoParquet file, sorted by layer and code (deterministic)."""
    ordered = geometry.sort_values(["layer", "code"], kind="stable").reset_index(drop=True)
    ordered = ordered[["layer", "code", "name", "level", "gemeente_code", "indeling", "geometry"]]
    ordered.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)


def _sha256(path: Path) -> str:
    """Return the sha256 of a source file, recorded in the manifest."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _strip_port(url: str) -> str:
    """Replace a local feed address by a stable name."""
    if url.startswith("http://127.0.0.1:"):
        rest = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        return f"local-feed/{rest}"
    return url


# --------------------------------------------------------------------------------------------
# Indeling 2024 of the whole country and the honest join of indelingen (issue 10)
# --------------------------------------------------------------------------------------------


def kwb_2024(source_dir: Path) -> pd.DataFrame:
    """Return the KWB 2024 (85984NED) figures of every wijk, gemeente and the country.

    Wijken: the PDOK attributes of `WIJKEN_2024` (inhabitants, households, household size,
    density, age groups in whole percents). Gemeenten: inhabitants and density from 85984NED
    itself (`KWB_2024`); the other figures summed from their wijken — counts summed, the
    age-group percentages weighted by inhabitants and the household size by households (over
    the wijken that have the figure; a percentage is never averaged). The country (`COUNTRY`):
    the same sums over every gemeente, density = inhabitants / land area.

    Returns
    -------
    pandas.DataFrame
        ``code, name, level, gemeente_code, gemeente_name`` and the source columns named in
        the catalogue for 85984NED.
    """
    import pyogrio

    raw = pyogrio.read_dataframe(source_dir / WIJKEN_2024, read_geometry=False)
    raw = raw[
        ~raw["wijknaam"].isin(NOT_WIJKEN_NAMES) & ~raw["gemeentecode"].isin(NOT_WIJKEN_GEMEENTEN)
    ]
    wijken = pd.DataFrame(
        {
            "code": raw["wijkcode"].astype("str").str.strip(),
            "name": raw["wijknaam"].astype("str").str.strip(),
            "level": "wijk",
            "gemeente_code": raw["gemeentecode"].astype("str").str.strip(),
            "gemeente_name": raw["gemeentenaam"].astype("str").str.strip(),
            **{col: pd.to_numeric(raw[col], errors="coerce") for col in KWB_2024_COLUMNS},
        }
    ).reset_index(drop=True)
    totals = json.loads((source_dir / KWB_2024).read_text(encoding="utf-8"))
    gemeenten = _sum_areas(wijken, "gemeente_code")
    gemeenten["name"] = gemeenten["code"].map(
        wijken.drop_duplicates("gemeente_code").set_index("gemeente_code")["gemeente_name"]
    )
    gemeenten["aantal_inwoners"] = gemeenten["code"].map(
        lambda c: totals.get(c, {}).get("AantalInwoners_5")
    )
    gemeenten["bevolkingsdichtheid"] = gemeenten["code"].map(
        lambda c: totals.get(c, {}).get("Bevolkingsdichtheid_34")
    )
    gemeenten = gemeenten.assign(
        level="gemeente", gemeente_code=gemeenten["code"], gemeente_name=gemeenten["name"]
    )
    country = _sum_areas(gemeenten.assign(_all=COUNTRY), "_all", weights_from=wijken)
    land_ha = sum(totals[c].get("OppervlakteLand_123") or 0 for c in gemeenten["code"])
    country = country.assign(
        name="Nederland",
        level="land",
        gemeente_code=None,
        gemeente_name=None,
        aantal_inwoners=gemeenten["aantal_inwoners"].sum(),
        bevolkingsdichtheid=round(gemeenten["aantal_inwoners"].sum() / (land_ha / 100)),
    )
    out = pd.concat([country, gemeenten, wijken], ignore_index=True)
    return out[["code", "name", "level", "gemeente_code", "gemeente_name", *KWB_2024_COLUMNS]]


#: Columns of the 2024 wijk file used as 85984NED figures (see the catalogue).
KWB_2024_COLUMNS = (
    "aantal_inwoners",
    "huishoudens",
    "gem_huishouden_grootte",
    "bevolkingsdichtheid",
    "0_15",
    "65plus",
)


def _sum_areas(
    frame: pd.DataFrame, by: str, weights_from: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Sum the 2024 figures of areas into their parent (see `kwb_2024` for the weights).

    ``weights_from``: the wijken, when the parent figures are summed from them directly (the
    country), so the percentages weigh every wijk, not every gemeente.
    """
    base = frame if weights_from is None else weights_from.assign(**{by: frame[by].iloc[0]})
    inw = base["aantal_inwoners"]
    hh = base["huishoudens"]
    parts = {"code": base[by]}
    for col in ("0_15", "65plus"):
        known = base[col].notna() & inw.notna()
        parts[f"{col}_n"] = (base[col] * inw).where(known)
        parts[f"{col}_w"] = inw.where(known)
    known = base["gem_huishouden_grootte"].notna() & hh.notna()
    parts["hh_n"] = (base["gem_huishouden_grootte"] * hh).where(known)
    parts["hh_w"] = hh.where(known)
    parts["huishoudens"] = hh
    sums = pd.DataFrame(parts).groupby("code", sort=True).sum(min_count=1).reset_index()
    out = pd.DataFrame({"code": sums["code"], "huishoudens": sums["huishoudens"]})
    for col in ("0_15", "65plus"):
        out[col] = (sums[f"{col}_n"] / sums[f"{col}_w"]).round(1)
    out["gem_huishouden_grootte"] = (sums["hh_n"] / sums["hh_w"]).round(2)
    return out


def gemeente_layer(geometry: gpd.GeoDataFrame, kwb24: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return the gemeenten of 2024 for the national map: the union of their wijken.

    Dissolved from `NATIONAL_WIJKEN`, which is a clean coverage, so the gemeenten share their
    edges exactly; named after 85984NED.
    """
    wijken = geometry[geometry["layer"] == NATIONAL_WIJKEN]
    gemeenten = wijken.dissolve(by="gemeente_code", as_index=False)[["gemeente_code", "geometry"]]
    names = kwb24[kwb24["level"] == "gemeente"].set_index("code")["name"]
    out = gemeenten.assign(
        layer=NATIONAL_GEMEENTEN,
        code=gemeenten["gemeente_code"],
        name=gemeenten["gemeente_code"].map(names),
        level="gemeente",
        indeling=2024,
    )
    out = out[["layer", "code", "name", "level", "gemeente_code", "indeling", "geometry"]]
    out["geometry"] = boundaries.fix_geometries(out)["geometry"]
    return out


def area_key_table(
    regions: pd.DataFrame, geometry: gpd.GeoDataFrame, source_dir: Path
) -> pd.Series:
    """Give every region row its area key (`analysis.indeling.area_keys`), aligned with it.

    Evidence: boundaries of every indeling the build reads (the 2016 and 2024 national wijken,
    the finer gemeente layers, each gemeente as the union of its wijken), the child codes per
    indeling (buurten of a wijk, wijken of a gemeente; the 2022 region list of 85318NED
    included), and names (2022 included). The 2022 rows only carry evidence; they are not
    part of the snapshot.
    """
    extra = _regions_2022(source_dir)
    rows = pd.concat(
        [regions[["code", "name", "level", "indeling"]], extra], ignore_index=True
    ).drop_duplicates(["code", "indeling"])
    shapes = _evidence_shapes(geometry, source_dir)
    evidence = [
        indeling_rules.name_evidence(rows),
        indeling_rules.children_evidence(_children(rows)),
    ]
    years = sorted(shapes)
    for i, a in enumerate(years):
        for b in years[i + 1 :]:
            evidence.append(indeling_rules.geometry_evidence(shapes[a], shapes[b]))
    keys = indeling_rules.area_keys(rows, pd.concat(evidence, ignore_index=True))
    lookup = dict(zip(zip(rows["code"], rows["indeling"], strict=True), keys, strict=True))
    return pd.Series(
        [lookup[(c, int(y))] for c, y in zip(regions["code"], regions["indeling"], strict=True)],
        index=regions.index,
        dtype="str",
    )


def _regions_2022(source_dir: Path) -> pd.DataFrame:
    """Return ``code, name, level, indeling`` of the KWB 2022 region list (85318NED)."""
    raw = pd.read_csv(source_dir / REGIONS_2022, dtype="str")
    codes = raw["Key"].str.strip()
    frame = pd.DataFrame(
        {"code": codes, "name": raw["Title"].str.strip(), "level": codes.map(level_of_code)}
    )
    frame = frame[frame["level"].isin(["gemeente", "wijk", "buurt"])]
    return frame.assign(indeling=2022).reset_index(drop=True)


def _children(rows: pd.DataFrame) -> pd.DataFrame:
    """Return ``parent, indeling, child``: the wijk of each buurt, the gemeente of each wijk."""
    level = rows["level"].astype("str")
    code = rows["code"].astype("str")
    parent = code.where(level != "buurt", "WK" + code.str[2:8])
    parent = parent.where(level != "wijk", "GM" + code.str[2:6])
    keep = level.isin(["wijk", "buurt"])
    return pd.DataFrame(
        {"parent": parent[keep], "indeling": rows.loc[keep, "indeling"], "child": code[keep]}
    )


def _evidence_shapes(geometry: gpd.GeoDataFrame, source_dir: Path) -> dict[int, gpd.GeoDataFrame]:
    """Return per indeling ``code, indeling, geometry`` of its wijken, buurten and gemeenten.

    From the snapshot's gemeente-scale layers, plus the 2016 national wijken (read from the
    source: the snapshot no longer draws them). A gemeente is the union of its wijken, only
    where a layer holds all of them (the national layers, and a gemeente layer's own).
    """
    local = geometry[~geometry["layer"].astype("str").str.endswith("-land")]
    old = boundaries.fix_geometries(
        boundaries.read_layer(
            source_dir / WIJKEN_2016,
            "WKC",
            "WKN",
            level="wijk",
            year=2016,
            gemeente_field="GMC",
            duplicates="merge",
        )
    ).rename(columns={"year": "indeling"})
    parts = [local[["code", "level", "gemeente_code", "indeling", "geometry", "layer"]]]
    parts.append(old.assign(layer="nl-wijken-2016")[parts[0].columns])
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=geometry.crs)
    frame = frame.to_crs(indeling_rules.METRIC_CRS)
    out: dict[int, gpd.GeoDataFrame] = {}
    for year, part in frame.groupby("indeling"):
        areas = part.drop_duplicates("code")
        wijken = part[part["level"] == "wijk"]
        gemeenten = wijken.dissolve(by=["layer", "gemeente_code"], as_index=False)
        gemeenten = gemeenten.drop_duplicates("gemeente_code").assign(
            code=lambda f: f["gemeente_code"]
        )
        both = pd.concat([areas, gemeenten], ignore_index=True).drop_duplicates("code")
        out[int(year)] = gpd.GeoDataFrame(
            both[["code", "geometry"]].assign(indeling=int(year)),
            geometry="geometry",
            crs=indeling_rules.METRIC_CRS,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m snapshot_build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_SNAPSHOT, help="output folder")
    parser.add_argument(
        "--source-dir", type=Path, default=SHARED_DATA, help="folder of source files"
    )
    parser.add_argument(
        "--online", action="store_true", help="fetch CBS/RIVM tables from the live services"
    )
    args = parser.parse_args(argv)
    try:
        build(args.out, source_dir=args.source_dir, online=args.online)
    except (BuildError, cbs.CbsError, FileNotFoundError, GgdError) as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
