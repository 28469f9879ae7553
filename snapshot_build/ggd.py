"""GGD regions of the gemeenten of every indeling, and the population weights of RIVM figures.

85067NED "Gebieden in Nederland 2022" names the GGD region of the 345 gemeenten of 2022. The
snapshot holds gemeenten of other indelingen too: the 342 of 2024 (the map), the 355 of 2020 (the
RIVM estimates) and the 2016 wijken. Gemeenten that merged or split since are linked to 2022
**by geometry, not by name or code**: every wijk of 2016 (national file, all 2 982 wijken, with
the gemeente it lay in) is placed in the 2024 gemeente that holds its representative point (the
nearest one for the two lake wijken that lie in none). That gives, per 2016 gemeente, the share of
its area in each 2024 gemeente (`gemeente_lineage`), from which:

* a 2024 gemeente that is not in the 2022 table (Voorne aan Zee) gets the region of its former
  parts: the 2016 gemeenten with at least half their area in it that are in the 2022 table
  (Brielle, Hellevoetsluis, Westvoorne);
* a gemeente of 2016 or 2020 that no longer exists in 2022 (Langedijk, Haaren) gets the region
  of the 2024 gemeenten its area went to, when they all share one;
* every other gemeente has its own row in 2022.

The weights of the RIVM estimates (see `analysis.aggregate`) are populations summed to the
gemeenten of 2020: for 18+ figures the population of 19 and older per 2016 wijk (RIVM 2016
file), for 65+ figures the inhabitants times the share of 65-plussers per 2024 wijk (KWB 2024 in
the national wijk file). A wijk counts for the 2016 gemeente it lies in when that still existed
in 2020, otherwise for its 2024 gemeente (`to_gemeente_2020`); a 2024 wijk finds its 2016
gemeente through its representative point, as above.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

#: Share of a former gemeente's area that makes it a "former part" of a newer gemeente.
PART_SHARE = 0.5
#: Share below which an area moved by a boundary correction is ignored as a successor.
SUCCESSOR_SHARE = 0.05
#: Metric CRS for areas (RD New).
METRIC = "EPSG:28992"

MEMBERSHIP_COLUMNS = (
    "gemeente_code",
    "gemeente_name",
    "indeling",
    "ggd_code",
    "ggd_name",
    "basis",
)
WEIGHT_COLUMNS = ("code", "indeling", "age", "weight", "basis")

#: Adults per wijk in the RIVM 2016 file (it sums to 13.4 million for the country, as CBS counts).
RIVM_2016_ADULTS = "Bevolking 19 jaar en ouder"
# Its "Bevolking 65 jaar en ouder" is not used: it sums to 1.35 million for the country, less
# than half the number of 65-plussers CBS counted in 2016 (about 3.1 million).
ADULTS_BASIS = "RIVM 2016: bevolking 19 jaar en ouder, opgeteld naar gemeente-indeling 2020"
SENIORS_BASIS = "KWB 2024: inwoners x % 65 jaar en ouder, opgeteld naar gemeente-indeling 2020"


class GgdError(ValueError):
    """The GGD membership cannot be derived from the sources."""


def read_wijken(
    path: Path, code: str, gemeente: str, gemeente_name: str, extra: tuple[str, ...] = ()
) -> gpd.GeoDataFrame:
    """Read a national wijk file as ``code, gemeente_code, gemeente_name, geometry`` in RD.

    Columns named in ``extra`` are kept as numbers. "Buitenland" (GM0998) is left out;
    geometries are made valid.
    """
    raw = pyogrio.read_dataframe(path, columns=[code, gemeente, gemeente_name, *extra])
    frame = gpd.GeoDataFrame(
        {
            "code": raw[code].astype("str").str.strip(),
            "gemeente_code": raw[gemeente].astype("str").str.strip(),
            "gemeente_name": raw[gemeente_name].astype("str").str.strip(),
            **{name: pd.to_numeric(raw[name], errors="coerce") for name in extra},
        },
        geometry=raw.geometry.to_crs(METRIC).make_valid().to_numpy(),
        crs=METRIC,
    )
    return frame[frame["gemeente_code"] != "GM0998"].reset_index(drop=True)


def wijk_successors(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> pd.DataFrame:
    """Place every old wijk in the new gemeente that holds its representative point.

    Parameters
    ----------
    old, new : geopandas.GeoDataFrame
        ``code, gemeente_code, gemeente_name, geometry`` in one metric CRS.

    Returns
    -------
    pandas.DataFrame
        ``code, gemeente_code, gemeente_name, area`` of the old wijken (area in m²) with
        ``new_code, new_name``: the new gemeente. A point in no new wijk (a lake) takes the
        nearest one.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> old = gpd.GeoDataFrame({"code": ["WK1", "WK2"], "gemeente_code": ["GM1", "GM2"],
    ...     "gemeente_name": ["A", "B"]}, geometry=[box(0, 0, 1, 1), box(5, 0, 6, 1)])
    >>> new = gpd.GeoDataFrame({"code": ["WK9"], "gemeente_code": ["GM9"],
    ...     "gemeente_name": ["AB"]}, geometry=[box(0, 0, 4, 1)])
    >>> wijk_successors(old, new)[["code", "new_code"]].values.tolist()
    [['WK1', 'GM9'], ['WK2', 'GM9']]
    """
    points = gpd.GeoDataFrame(
        old[["code", "gemeente_code", "gemeente_name"]].assign(area=old.geometry.area.to_numpy()),
        geometry=old.geometry.representative_point().to_numpy(),
        crs=old.crs,
    )
    target = gpd.GeoDataFrame(
        {"new_code": new["gemeente_code"], "new_name": new["gemeente_name"]},
        geometry=new.geometry.to_numpy(),
        crs=new.crs,
    )
    joined = gpd.sjoin(points, target, predicate="within", how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    lost = joined["new_code"].isna()
    if lost.any():
        nearest = gpd.sjoin_nearest(points[lost.to_numpy()], target, how="left")
        nearest = nearest[~nearest.index.duplicated(keep="first")]
        joined.loc[nearest.index, ["new_code", "new_name"]] = nearest[["new_code", "new_name"]]
    columns = ["code", "gemeente_code", "gemeente_name", "area", "new_code", "new_name"]
    return pd.DataFrame(joined[columns]).reset_index(drop=True)


def gemeente_lineage(successors: pd.DataFrame) -> pd.DataFrame:
    """Return, per old gemeente, the share of its area in each new gemeente.

    Examples
    --------
    >>> s = pd.DataFrame({"code": ["WK1", "WK2", "WK3"], "gemeente_code": ["GM1", "GM1", "GM2"],
    ...     "gemeente_name": ["A", "A", "B"], "area": [3.0, 1.0, 2.0],
    ...     "new_code": ["GM8", "GM9", "GM9"], "new_name": ["X", "Y", "Y"]})
    >>> gemeente_lineage(s).values.tolist()
    [['GM1', 'A', 'GM8', 'X', 0.75], ['GM1', 'A', 'GM9', 'Y', 0.25], ['GM2', 'B', 'GM9', 'Y', 1.0]]
    """
    grouped = (
        successors.groupby(["gemeente_code", "gemeente_name", "new_code", "new_name"])["area"]
        .sum()
        .reset_index()
    )
    total = grouped.groupby("gemeente_code")["area"].transform("sum")
    out = grouped.assign(share=grouped["area"] / total).drop(columns="area")
    return out.rename(
        columns={
            "gemeente_code": "old_code",
            "gemeente_name": "old_name",
            "new_code": "new_code",
            "new_name": "new_name",
        }
    ).sort_values(["old_code", "new_code"], ignore_index=True)


def former_parts(lineage: pd.DataFrame, code: str, min_share: float = PART_SHARE) -> list[str]:
    """Return the old gemeenten with at least ``min_share`` of their area in a new gemeente.

    Examples
    --------
    >>> lin = pd.DataFrame({"old_code": ["GM1", "GM2", "GM3"], "new_code": ["GM9", "GM9", "GM9"],
    ...                     "share": [1.0, 0.8, 0.1]})
    >>> former_parts(lin, "GM9")
    ['GM1', 'GM2']
    """
    rows = lineage[(lineage["new_code"] == code) & (lineage["share"] >= min_share)]
    return sorted(rows["old_code"])


def _label(code: str, names: dict[str, str]) -> str:
    return f"{names.get(code, code)} ({code})"


def ggd_membership(
    gebieden: pd.DataFrame, lineage: pd.DataFrame, gemeenten: pd.DataFrame
) -> pd.DataFrame:
    """Give every gemeente of every indeling its GGD region, with how it was found.

    Parameters
    ----------
    gebieden : pandas.DataFrame
        ``gemeente_code, gemeente_name, ggd_code, ggd_name`` of 2022 (85067NED).
    lineage : pandas.DataFrame
        From `gemeente_lineage`: old gemeenten and the share of their area per new gemeente.
    gemeenten : pandas.DataFrame
        ``gemeente_code, gemeente_name, indeling``: the gemeenten to place.

    Returns
    -------
    pandas.DataFrame
        `MEMBERSHIP_COLUMNS`; ``ggd_code`` is None where no single region follows, and
        ``basis`` then says why.

    Examples
    --------
    >>> geb = pd.DataFrame({"gemeente_code": ["GM1", "GM2"], "gemeente_name": ["A", "B"],
    ...                     "ggd_code": ["GG1", "GG1"], "ggd_name": ["GGD Een", "GGD Een"]})
    >>> lin = pd.DataFrame({"old_code": ["GM1", "GM2"], "old_name": ["A", "B"],
    ...     "new_code": ["GM9", "GM9"], "new_name": ["AB", "AB"], "share": [1.0, 1.0]})
    >>> gm = pd.DataFrame({"gemeente_code": ["GM9"], "gemeente_name": ["AB"], "indeling": [2024]})
    >>> ggd_membership(geb, lin, gm)[["ggd_code", "basis"]].values.tolist()
    [['GG1', 'via de voormalige gemeenten A (GM1), B (GM2)']]
    """
    direct = gebieden.set_index("gemeente_code")
    names = {
        **dict(zip(lineage["old_code"], lineage["old_name"], strict=True)),
        **dict(zip(lineage["new_code"], lineage["new_name"], strict=True)),
        **dict(zip(gebieden["gemeente_code"], gebieden["gemeente_name"], strict=True)),
    }

    def via_parts(code: str) -> tuple[set[str], list[str]]:
        parts = [p for p in former_parts(lineage, code) if p in direct.index]
        return {direct.loc[p, "ggd_code"] for p in parts}, parts

    rows = []
    for gm in gemeenten.itertuples(index=False):
        code = gm.gemeente_code
        regions: set[str] = set()
        if code in direct.index:
            regions, basis = {direct.loc[code, "ggd_code"]}, "85067NED (indeling 2022)"
        elif code in set(lineage["old_code"]) and code not in set(lineage["new_code"]):
            moved = lineage[(lineage["old_code"] == code) & (lineage["share"] >= SUCCESSOR_SHARE)]
            successors = sorted(moved["new_code"])
            for new in successors:
                regions |= (
                    {direct.loc[new, "ggd_code"]} if new in direct.index else via_parts(new)[0]
                )
            basis = "opgegaan in " + ", ".join(_label(c, names) for c in successors)
        else:
            regions, parts = via_parts(code)
            basis = "via de voormalige gemeenten " + ", ".join(_label(p, names) for p in parts)
        if len(regions) == 1:
            ggd = regions.pop()
            ggd_name = gebieden.loc[gebieden["ggd_code"] == ggd, "ggd_name"].iloc[0]
        else:
            what = "meer dan één GGD-regio" if regions else "geen GGD-regio"
            ggd, ggd_name, basis = None, None, f"{what} te herleiden ({basis})"
        rows.append((code, gm.gemeente_name, int(gm.indeling), ggd, ggd_name, basis))
    return pd.DataFrame(rows, columns=list(MEMBERSHIP_COLUMNS))


def to_gemeente_2020(
    own: pd.Series, fallback: pd.Series, gemeenten_2020: Iterable[str]
) -> pd.Series:
    """Return the gemeente of 2020 of each wijk: its 2016 gemeente, else its 2024 gemeente.

    A wijk counts for the gemeente of 2016 it lay in when that gemeente still existed in 2020
    (Langedijk, Weesp); otherwise for its gemeente of 2024 when that existed in 2020 (Altena,
    formed in 2019); otherwise for none (NaN).

    Examples
    --------
    >>> to_gemeente_2020(pd.Series(["GM0416", "GM0738", "GM0001"]),
    ...                  pd.Series(["GM1980", "GM1959", "GM0002"]),
    ...                  ["GM0416", "GM1959"]).tolist()
    ['GM0416', 'GM1959', nan]
    """
    target = set(gemeenten_2020)
    first = own.where(own.isin(target))
    return first.fillna(fallback.where(fallback.isin(target)))


def population_weights(
    adults: pd.DataFrame, seniors: pd.DataFrame, gemeenten_2020: Iterable[str]
) -> pd.DataFrame:
    """Sum wijk populations to the gemeenten of 2020, the indeling of the RIVM estimates.

    Parameters
    ----------
    adults, seniors : pandas.DataFrame
        Per wijk: ``code``, ``gemeente_2016``, ``gemeente_2024`` and ``population``: the adults
        (the 2016 wijken of the RIVM 2016 file, 19 and older) and the 65-plussers (the 2024
        wijken of KWB 2024, inhabitants x share 65+).
    gemeenten_2020 : iterable of str
        The gemeente codes of indeling 2020.

    Returns
    -------
    pandas.DataFrame
        `WEIGHT_COLUMNS`: per 2020 gemeente the weight of its ``18+`` and ``65+`` figures, and
        per 2016 wijk its ``19+`` population (the weight of the RIVM 2016 figures).

    Examples
    --------
    >>> adults = pd.DataFrame({"code": ["WK1", "WK2"], "gemeente_2016": ["GM1", "GM2"],
    ...     "gemeente_2024": ["GM1", "GM7"], "population": [800.0, 200.0]})
    >>> seniors = pd.DataFrame({"code": ["WK5"], "gemeente_2016": ["GM2"],
    ...     "gemeente_2024": ["GM7"], "population": [50.0]})
    >>> w = population_weights(adults, seniors, ["GM1", "GM7"])
    >>> w[w["indeling"] == 2020][["code", "age", "weight"]].values.tolist()
    [['GM1', '18+', 800.0], ['GM7', '18+', 200.0], ['GM7', '65+', 50.0]]
    >>> w[w["indeling"] == 2016][["code", "age", "weight"]].values.tolist()
    [['WK1', '19+', 800.0], ['WK2', '19+', 200.0]]
    """
    codes = list(gemeenten_2020)
    rows = []
    for frame, age, basis in (
        (adults, "18+", ADULTS_BASIS),
        (seniors, "65+", SENIORS_BASIS),
    ):
        gemeente = to_gemeente_2020(frame["gemeente_2016"], frame["gemeente_2024"], codes)
        summed = frame["population"].groupby(gemeente).sum(min_count=1)
        rows.append(
            pd.DataFrame(
                {
                    "code": summed.index.astype("str"),
                    "indeling": 2020,
                    "age": age,
                    "weight": summed.to_numpy(dtype="float64"),
                    "basis": basis,
                }
            )
        )
    rows.append(
        pd.DataFrame(
            {
                "code": adults["code"],
                "indeling": 2016,
                "age": "19+",
                "weight": adults["population"].astype("float64"),
                "basis": "RIVM 2016: bevolking 19 jaar en ouder",
            }
        )
    )
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["indeling", "code", "age"], ignore_index=True)[list(WEIGHT_COLUMNS)]


#: Source files (relative to the source folder).
WIJKEN_2016 = "geo/wijken_2016_nl_rd.geojson"
WIJKEN_2024 = "geo/wijken_2024_nl_wgs84.geojson"
GEBIEDEN_2022 = "kwb/85067NED_gebieden_in_nederland_2022"


def ggd_tables(
    source_dir: Path, rivm_2016: pd.DataFrame, gemeenten_2020: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the snapshot's GGD membership and population weights from the source files.

    Parameters
    ----------
    source_dir : Path
        Folder in the shared/data layout.
    rivm_2016 : pandas.DataFrame
        The RIVM 2016 file as `data.rivm_2016.read_rivm_2016` returns it.
    gemeenten_2020 : pandas.DataFrame
        ``gemeente_code, gemeente_name`` of indeling 2020 (the RIVM table's gemeenten).

    Returns
    -------
    (membership, weights) : tuple of pandas.DataFrame
        `MEMBERSHIP_COLUMNS` for the gemeenten of 2016, 2020 and 2024; `WEIGHT_COLUMNS`.

    Raises
    ------
    GgdError
        When a gemeente of 2024 or 2020 gets no single GGD region (naming it and why).
    """
    from data.gebieden import read_gebieden  # build-time only

    source_dir = Path(source_dir)
    old = read_wijken(source_dir / WIJKEN_2016, "WKC", "GMC", "GMN")
    new = read_wijken(
        source_dir / WIJKEN_2024,
        "wijkcode",
        "gemeentecode",
        "gemeentenaam",
        extra=("aantal_inwoners", "65plus"),
    )
    successors = wijk_successors(old, new)
    predecessors = wijk_successors(new, old)  # 2024 wijk -> the 2016 gemeente it lies in
    lineage = gemeente_lineage(successors)
    gebieden = read_gebieden(source_dir / GEBIEDEN_2022)
    gemeenten = pd.concat(
        [
            new[["gemeente_code", "gemeente_name"]].drop_duplicates().assign(indeling=2024),
            gemeenten_2020[["gemeente_code", "gemeente_name"]].assign(indeling=2020),
            old[["gemeente_code", "gemeente_name"]].drop_duplicates().assign(indeling=2016),
        ],
        ignore_index=True,
    ).drop_duplicates(["gemeente_code", "indeling"])
    membership = ggd_membership(gebieden, lineage, gemeenten)
    lost = membership[membership["ggd_code"].isna() & (membership["indeling"] >= 2020)]
    if not lost.empty:
        first = lost.iloc[0]
        raise GgdError(
            f"Gemeente {first['gemeente_name']} ({first['gemeente_code']}, indeling "
            f"{first['indeling']}): {first['basis']}"
        )
    membership = membership.sort_values(["indeling", "gemeente_code"], ignore_index=True)
    new_of = dict(zip(successors["code"], successors["new_code"], strict=True))
    adults = pd.DataFrame(
        {
            "code": rivm_2016["code"],
            "gemeente_2016": rivm_2016["gemeente_code"],
            "gemeente_2024": rivm_2016["code"].map(new_of),
            "population": rivm_2016[RIVM_2016_ADULTS],
        }
    )
    old_of = dict(zip(predecessors["code"], predecessors["new_code"], strict=True))
    seniors = pd.DataFrame(
        {
            "code": new["code"],
            "gemeente_2016": new["code"].map(old_of),
            "gemeente_2024": new["gemeente_code"],
            "population": new["aantal_inwoners"] * new["65plus"] / 100,
        }
    )
    weights = population_weights(adults, seniors, gemeenten_2020["gemeente_code"])
    return membership, weights
