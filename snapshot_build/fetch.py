"""Fetch fresh data for one gemeente or a GGD region into a snapshot folder the app can open.

Usage::

    python -m snapshot_build.fetch --gemeente GM0193 --uit gegevens/zwolle
    python -m snapshot_build.fetch --ggd-regio GG7206 --uit gegevens/fryslan
    SOCIALE_BASIS_SNAPSHOT=gegevens/zwolle streamlit run app.py

What it fetches, online:

1. the newest "Kerncijfers wijken en buurten YYYY" table in the CBS catalogue (opendata.cbs.nl),
   for every gemeente asked for: the gemeente, its wijken and buurten;
2. the newest RIVM "Gezondheid per wijk en buurt" table in the RIVM catalogue
   (dataderden.cbs.nl), for the same areas and the country;
3. the wijk and buurt boundaries of the KWB year from PDOK (OGC API Features,
   ``api.pdok.nl/cbs/wijken-en-buurten-YYYY``), page by page.

It writes the snapshot layout of ``data/default`` (regions, values, geometry, properties,
manifest), plus the GGD membership and population weights of the embedded snapshot, so GGD
regions keep working. Every step prints a line (the progress display); every failure stops with
one Dutch sentence naming what failed (no connection, table not found, paging cut off) and exit
code 1. The three base URLs can be pointed elsewhere (``--cbs-url``, ``--rivm-url``,
``--pdok-url``); the tests point them at the local replay (`snapshot_build.replay`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis.catalogue import Catalogue, load_catalogue
from analysis.indicators import indicator_values
from data import boundaries, cbs, pdok
from data.snapshot import (
    GEOMETRY,
    GGD,
    MANIFEST,
    PROPERTIES,
    REGIONS,
    VALUES,
    WEIGHTS,
    SnapshotError,
    load_snapshot,
)
from paths import DEFAULT_SNAPSHOT, SNAPSHOT_ENV
from snapshot_build.build import (
    BuildError,
    _properties,
    _regions,
    _require_source,
    _write_geometry,
    _write_parquet,
    tidy_regions,
    tidy_values,
)

#: PDOK's property names per collection: (code, name).
PDOK_FIELDS = {"wijken": ("wijkcode", "wijknaam"), "buurten": ("buurtcode", "buurtnaam")}
LEVEL_OF = {"wijken": "wijk", "buurten": "buurt"}


class FetchError(RuntimeError):
    """The fetch cannot go on; the message says why, in Dutch."""


def gemeenten_of_region(membership: pd.DataFrame, ggd_code: str) -> list[str]:
    """Return the gemeenten of a GGD region in the newest indeling of the membership table.

    Examples
    --------
    >>> m = pd.DataFrame({"gemeente_code": ["GM0398", "GM1980", "GM0080"],
    ...     "indeling": [2020, 2024, 2024], "ggd_code": ["GG2707", "GG2707", "GG7206"]})
    >>> gemeenten_of_region(m, "GG2707")
    ['GM1980']
    """
    newest = membership[membership["indeling"] == membership["indeling"].max()]
    return sorted(newest.loc[newest["ggd_code"] == ggd_code, "gemeente_code"].astype("str"))


def key_stem(key: str) -> str:
    """Return a CBS column key without its sequence number (which shifts between years).

    Examples
    --------
    >>> key_stem("GemiddeldInkomenPerInwoner_83"), key_stem("k_65JaarOfOuder_12")
    ('GemiddeldInkomenPerInwoner', 'k_65JaarOfOuder')
    """
    return re.sub(r"_\d+$", "", key)


def derive_source(
    catalogue: Catalogue,
    template_id: str,
    table_id: str,
    *,
    title: str,
    year: int,
    keys: list[str],
) -> tuple[Catalogue, list[str]]:
    """Add a table the catalogue does not know yet, its columns found by name in a known one.

    CBS renumbers the columns of a table every year (``GemiddeldInkomenPerInwoner_78`` in 2025,
    ``_83`` in 2024), but keeps their names. Every indicator taken from ``template_id`` is taken
    from ``table_id`` too when a key of the new table has the same name without its number.

    Parameters
    ----------
    catalogue : Catalogue
    template_id : str
        A source of the same series in the catalogue (the newest KWB table, or 50090NED).
    table_id : str
        The new table.
    title : str
        Its title.
    year : int
        Its newest year; also the indeling of its regions.
    keys : list of str
        The keys of its DataProperties.

    Returns
    -------
    (Catalogue, list of str)
        The extended catalogue (this one unchanged) and the indicator ids found.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> cat, found = derive_source(load_catalogue(), "86165NED", "99999NED",
    ...     title="Kerncijfers wijken en buurten 2026", year=2026,
    ...     keys=["AantalInwoners_5", "GemiddeldInkomenPerInwoner_80"])
    >>> found, cat.indicator("gem_inkomen_inwoner").columns["99999NED"]
    (['inwoners', 'gem_inkomen_inwoner'], 'GemiddeldInkomenPerInwoner_80')
    """
    template = catalogue.source(template_id)
    by_stem = {key_stem(key): key for key in keys}
    indicators = []
    found = []
    for ind in catalogue.indicators:
        column = ind.columns.get(template_id)
        ratio = ind.ratios.get(template_id)
        columns, ratios = dict(ind.columns), dict(ind.ratios)
        if column and key_stem(column) in by_stem:
            columns[table_id] = by_stem[key_stem(column)]
        elif ratio and all(key_stem(part) in by_stem for part in ratio):
            ratios[table_id] = (by_stem[key_stem(ratio[0])], by_stem[key_stem(ratio[1])])
        if (columns, ratios) != (ind.columns, ind.ratios):
            found.append(ind.id)
        indicators.append(dataclasses.replace(ind, columns=columns, ratios=ratios))
    source = dataclasses.replace(
        template,
        id=table_id,
        title=title,
        table_id=table_id,
        period=year,
        indeling=year,
        url=template.url.replace(template.table_id, table_id),
        note=f"Kolommen op naam gevonden via {template.table_id} (nieuwere tabel).",
    )
    sources = {**catalogue.sources, table_id: source}
    return Catalogue(indicators=tuple(indicators), sources=sources), found


def fetch(
    out_dir: Path,
    gemeenten: list[str],
    *,
    cbs_url: str = cbs.CBS_CATALOG,
    rivm_url: str = cbs.RIVM_CATALOG,
    pdok_url: str = pdok.PDOK_URL,
    scope: str = "",
    embedded: Path = DEFAULT_SNAPSHOT,
    log: Callable[[str], None] = print,
    today: dt.date | None = None,
) -> dict:
    """Fetch KWB, RIVM and PDOK data for some gemeenten and write a snapshot folder.

    Parameters
    ----------
    out_dir : Path
        Folder to write (created; files overwritten).
    gemeenten : list of str
        Gemeente codes (``GM0193``).
    cbs_url, rivm_url, pdok_url : str
        Base URLs of the CBS and RIVM catalogues and of PDOK.
    scope : str
        What was asked for, for the manifest (``gemeente GM0193``, ``GGD-regio GG7206``).
    embedded : Path
        The embedded snapshot whose GGD table and weights are copied along.
    log : callable
        Progress lines.
    today : datetime.date, optional
        The date recorded as ``built_on``.

    Returns
    -------
    dict
        The manifest written.

    Raises
    ------
    FetchError
        With a Dutch message, for every failure.
    """
    catalogue = load_catalogue()
    codes = [cbs.normalise_gemeente_code(code) for code in gemeenten]
    steps = 3 + len(codes)
    step = iter(range(1, steps + 1))

    log(f"[{next(step)}/{steps}] CBS-catalogus: nieuwste Kerncijfers wijken en buurten ({cbs_url})")
    kwb_id, kwb_year = _call(cbs.newest_kwb_table, cbs_url)
    log(f"      gevonden: {kwb_id} (Kerncijfers wijken en buurten {kwb_year})")
    kwb_title = f"{cbs.KWB_STEM} {kwb_year}"
    catalogue = _known(catalogue, kwb_id, kwb_year, cbs_url, kwb_title, cbs.KWB_TITLE_RE, log)
    log(
        f"[{next(step)}/{steps}] RIVM-catalogus: nieuwste Gezondheid per wijk en buurt ({rivm_url})"
    )
    rivm_id, rivm_year = _call(cbs.newest_rivm_table, rivm_url)
    log(f"      gevonden: {rivm_id} (cijfers tot en met {rivm_year})")
    rivm_title = f"{cbs.RIVM_STEM}; {rivm_year}"
    catalogue = _known(catalogue, rivm_id, rivm_year, rivm_url, rivm_title, cbs.RIVM_TITLE_RE, log)

    regions: list[pd.DataFrame] = []
    values: list[pd.DataFrame] = []
    layers: list[gpd.GeoDataFrame] = []
    for code in codes:
        log(f"[{next(step)}/{steps}] {code}: KWB {kwb_year}, RIVM en grenzen {kwb_year}")
        try:
            frame = _call(cbs.kwb, kwb_year, code, cbs_url)
        except FetchError as err:
            raise FetchError(f"KWB {kwb_year} ({kwb_id}) voor {code}: {err}") from None
        if frame.attrs["table_id"] != kwb_id:
            raise FetchError(
                f"De catalogus noemt {kwb_id} voor {kwb_year}, maar het ophalen gaf "
                f"{frame.attrs['table_id']}."
            )
        regions.append(_regions(frame, indeling=catalogue.source(kwb_id).indeling))
        values.append(indicator_values(frame, catalogue, kwb_id, period=kwb_year))
        log(f"      KWB: {len(frame)} gebieden")
        health = _call(cbs.rivm_health, rivm_url, rivm_id, code)
        regions.append(
            _regions(health.drop_duplicates("code"), indeling=catalogue.source(rivm_id).indeling)
        )
        for (year, age), group in health.groupby(["year", "age"], sort=True):
            values.append(
                indicator_values(group, catalogue, rivm_id, period=int(year), age=str(age))
            )
        log(f"      RIVM: {health['code'].nunique()} gebieden")
        for collection in ("wijken", "buurten"):
            layer = _boundaries(pdok_url, kwb_year, collection, code, log)
            if layer is not None:
                layers.append(layer)

    log(f"[{next(step)}/{steps}] Snapshot schrijven naar {out_dir}")
    if not layers:
        raise FetchError(
            f"PDOK gaf geen wijk- of buurtgrenzen {kwb_year} voor {', '.join(codes)}: "
            "de kaart zou leeg blijven."
        )
    properties = _call(cbs.data_properties, kwb_id, cbs_url)
    manifest = _write(
        Path(out_dir),
        regions,
        values,
        layers,
        _properties(properties, kwb_id),
        inputs={
            f"{cbs_url}/ODataFeed/odata/{kwb_id}": "cbsodata",
            f"{rivm_url}/ODataFeed/odata/{rivm_id}": "cbsodata",
            pdok.items_url(pdok_url, kwb_year, "wijken"): "OGC API Features",
            pdok.items_url(pdok_url, kwb_year, "buurten"): "OGC API Features",
        },
        scope=scope or ", ".join(codes),
        extra_sources={
            sid: dataclasses.asdict(catalogue.source(sid))
            for sid in (kwb_id, rivm_id)
            if sid not in load_catalogue().sources
        },
        embedded=Path(embedded),
        today=today or dt.date.today(),
    )
    log(f"      klaar: {manifest['rows']}")
    return manifest


def _call(function, *args):
    """Call a data function; turn its errors into a `FetchError` with the same Dutch text."""
    try:
        return function(*args)
    except (cbs.CbsError, pdok.PdokError) as err:
        raise FetchError(str(err)) from None


def _known(
    catalogue: Catalogue,
    table_id: str,
    year: int,
    url: str,
    title: str,
    series: re.Pattern,
    log: Callable[[str], None],
) -> Catalogue:
    """Return the catalogue, extended by name when it does not know the newest table yet."""
    try:
        _require_source(catalogue, table_id)
        return catalogue
    except BuildError:
        pass
    known = [s for s in catalogue.sources.values() if series.match(s.title) and s.table_id]
    known = [s for s in known if catalogue.for_source(s.id)]
    if not known:
        raise FetchError(f"De catalogus kent geen tabel van dezelfde reeks als {table_id}.")
    template = max(known, key=lambda s: s.period)
    keys = _call(cbs.data_properties, table_id, url)["Key"].tolist()
    extended, found = derive_source(
        catalogue, template.id, table_id, title=title, year=year, keys=keys
    )
    if not found:
        raise FetchError(
            f"In tabel {table_id} staat geen enkele kolom van {template.table_id}: de "
            "catalogus (analysis/indicators.toml) moet eerst worden aangevuld."
        )
    log(
        f"      {table_id} staat nog niet in de catalogus: {len(found)} indicatoren op "
        f"kolomnaam gevonden via {template.table_id}"
    )
    return extended


def _boundaries(
    pdok_url: str, year: int, collection: str, gemeente: str, log: Callable[[str], None]
) -> gpd.GeoDataFrame | None:
    """Fetch and tidy one gemeente's wijken or buurten (None when PDOK has none)."""
    found = _call(
        lambda: pdok.features(
            pdok_url, year, collection, gemeente, progress=lambda m: log(f"      {m}")
        )
    )
    if not found:
        log(f"      PDOK {collection} {year}: geen {collection} voor {gemeente}")
        return None
    code_field, name_field = PDOK_FIELDS[collection]
    raw = pdok.to_frame(found)
    try:
        layer = boundaries.tidy_layer(
            raw,
            code_field,
            name_field,
            level=LEVEL_OF[collection],
            year=year,
            gemeente_field="gemeentecode",
            source=f"PDOK {collection} {year}",
        )
    except boundaries.BoundaryError as err:
        raise FetchError(f"De grenzen van PDOK zijn niet bruikbaar: {err}") from None
    layer = boundaries.simplify_for_web(boundaries.fix_geometries(layer))
    layer = layer.rename(columns={"year": "indeling"})
    layer.insert(0, "layer", f"pdok-{collection}-{year}")
    return layer


def _write(
    out_dir: Path,
    regions: list[pd.DataFrame],
    values: list[pd.DataFrame],
    layers: list[gpd.GeoDataFrame],
    properties: pd.DataFrame,
    *,
    inputs: dict[str, str],
    scope: str,
    extra_sources: dict[str, dict],
    embedded: Path,
    today: dt.date,
) -> dict:
    """Write the snapshot folder and return its manifest."""
    region_table = tidy_regions(pd.concat(regions, ignore_index=True))
    # Every gemeente's RIVM rows bring the country along: the same row, once is enough.
    try:
        value_table = tidy_values(pd.concat(values, ignore_index=True).drop_duplicates())
    except BuildError as err:
        raise FetchError(str(err)) from None
    geometry = gpd.GeoDataFrame(pd.concat(layers, ignore_index=True), crs="EPSG:4326")
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_parquet(region_table, out_dir / REGIONS)
    _write_parquet(value_table, out_dir / VALUES)
    _write_parquet(properties, out_dir / PROPERTIES)
    _write_geometry(geometry, out_dir / GEOMETRY)
    rows = {
        REGIONS: len(region_table),
        VALUES: len(value_table),
        GEOMETRY: len(geometry),
        PROPERTIES: len(properties),
    }
    try:
        snap = load_snapshot(embedded)
    except SnapshotError:
        snap = None
    if snap is not None and not snap.ggd.empty:
        _write_parquet(snap.ggd, out_dir / GGD)
        _write_parquet(snap.weights, out_dir / WEIGHTS)
        rows.update({GGD: len(snap.ggd), WEIGHTS: len(snap.weights)})
    manifest = {
        "built_on": today.isoformat(),
        "mode": "fetch",
        "scope": scope,
        "inputs": inputs,
        "rows": rows,
        "layers": {
            str(k): int(v) for k, v in geometry["layer"].value_counts().sort_index().items()
        },
        "indicators": sorted(value_table["indicator"].astype("str").unique().tolist()),
    }
    if extra_sources:
        manifest["extra_sources"] = extra_sources
    (out_dir / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: ``python -m snapshot_build.fetch``."""
    parser = argparse.ArgumentParser(
        prog="python -m snapshot_build.fetch",
        description="Haal verse CBS-, RIVM- en PDOK-gegevens op voor een gemeente of GGD-regio.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--gemeente", help="gemeentecode, bijvoorbeeld GM0193")
    which.add_argument("--ggd-regio", help="code van de GGD-regio, bijvoorbeeld GG7206")
    parser.add_argument("--uit", type=Path, required=True, help="map voor de snapshot")
    parser.add_argument("--cbs-url", default=cbs.CBS_CATALOG, help="CBS-catalogus")
    parser.add_argument("--rivm-url", default=cbs.RIVM_CATALOG, help="RIVM-catalogus")
    parser.add_argument("--pdok-url", default=pdok.PDOK_URL, help="PDOK")
    args = parser.parse_args(argv)
    try:
        if args.gemeente:
            gemeenten, scope = [args.gemeente], f"gemeente {args.gemeente}"
        else:
            membership = load_snapshot(DEFAULT_SNAPSHOT).ggd
            gemeenten = gemeenten_of_region(membership, args.ggd_regio)
            if not gemeenten:
                known = ", ".join(sorted(membership["ggd_code"].dropna().unique()))
                raise FetchError(f"GGD-regio {args.ggd_regio!r} bestaat niet (bekend: {known}).")
            scope = f"GGD-regio {args.ggd_regio}"
        fetch(
            args.uit,
            gemeenten,
            cbs_url=args.cbs_url,
            rivm_url=args.rivm_url,
            pdok_url=args.pdok_url,
            scope=scope,
        )
    except (FetchError, ValueError) as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 1
    print(f"Open het dashboard hiermee: {SNAPSHOT_ENV}={args.uit} streamlit run app.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
