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
    Layer(
        "nl-wijken-2016",
        "geo/wijken_2016_nl_rd.geojson",
        "WKC",
        "WKN",
        "wijk",
        2016,
        gemeente_field="GMC",
        duplicates="merge",
        # Drawn one gemeente at a time, so finer than the national default (600 m):
        # 100 m and 4 decimals gives Utrecht's 10 wijken 330 vertices (7 kB) instead of 105.
        simplify=(100.0, 4),
    ),
    # The same wijken for a map of the whole country, at the national defaults of
    # boundaries.WEB_DEFAULTS (600 m, 4 decimals: ~1 MB instead of 2.3 MB). The "-land"
    # suffix keeps it out of per-gemeente maps (analysis.views.maps.layer_index; issue #5).
    Layer(
        "nl-wijken-2016-land",
        "geo/wijken_2016_nl_rd.geojson",
        "WKC",
        "WKN",
        "wijk",
        2016,
        gemeente_field="GMC",
        duplicates="merge",
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

    layers = []
    for layer in LAYERS:
        log(f"Grenzen {layer.id} uit {layer.path}")
        inputs[layer.path] = _sha256(source_dir / layer.path)
        layers.append(_layer(source_dir, layer))
    geometry = pd.concat(layers, ignore_index=True)
    geometry = gpd.GeoDataFrame(geometry, geometry="geometry", crs="EPSG:4326")
    regions.append(_regions(geometry.drop(columns="geometry"), indeling=None))

    region_table = tidy_regions(pd.concat(regions, ignore_index=True))
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
        "layers": {layer.id: int((geometry["layer"] == layer.id).sum()) for layer in LAYERS},
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
    gdf = boundaries.read_layer(
        source_dir / layer.path,
        layer.code_field,
        layer.name_field,
        level=layer.level,
        year=layer.indeling,
        gemeente_field=layer.gemeente_field,
        duplicates=layer.duplicates,
    )
    # The defaults per kind of layer (gemeente scale, or national) are measured in boundaries.
    settings = layer.simplify or (None, None)
    gdf = boundaries.simplify_for_web(boundaries.fix_geometries(gdf), *settings)
    gdf = gdf.rename(columns={"year": "indeling"})
    gdf.insert(0, "layer", layer.id)
    return gdf


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
