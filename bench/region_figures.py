"""Benchmark: the figures of a GGD region, weighted from its gemeenten (issue 10, item 4).

The Wijkprofiel and the region map compute them once per region and process (cached); the
largest region by gemeenten is GGD Regio Utrecht (26), the country is all 355 gemeenten of 2020.
"""

from __future__ import annotations

from analysis import aggregate
from analysis.catalogue import load_catalogue
from bench.common import Report, best_of
from data.snapshot import Snapshot


def run(report: Report, snap: Snapshot, repeat: int) -> None:
    """Time the figures of the largest GGD region and of the country from its gemeenten."""
    cat = load_catalogue()
    kinds = {i: cat.indicator(i).kind for i in cat.ids()}
    indelingen = {sid: source.indeling for sid, source in cat.sources.items()}
    seconds, _ = best_of(
        lambda: aggregate.region_figures(
            snap.values,
            snap.ggd,
            "GG2514",
            kinds=kinds,
            indelingen=indelingen,
            weights=snap.weights,
        ),
        repeat,
    )
    report.figure("GGD-regio: alle cijfers van GGD Regio Utrecht (26 gemeenten)", seconds, "s", 1.0)
    gemeenten = snap.ggd.loc[snap.ggd["indeling"] == 2020, "gemeente_code"].tolist()
    rivm = snap.values[snap.values["source"] == "50090NED"]
    seconds, _ = best_of(
        lambda: aggregate.aggregate(rivm, gemeenten, kinds, weights=snap.weights), repeat
    )
    report.figure("Nederland uit 355 gemeenten (RIVM 50090NED)", seconds, "s", 2.0)
