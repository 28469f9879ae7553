"""Benchmarks: ``python bench/run.py`` prints one line per figure against its target.

Figures are measured in one process on this machine; run it on an otherwise idle machine.
Format: ``name: value unit (target …, met|missed)``, then a summary line.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import charts, maps  # noqa: E402
from analysis.catalogue import load_catalogue  # noqa: E402
from data import boundaries  # noqa: E402
from data.build import build  # noqa: E402
from data.snapshot import load_snapshot  # noqa: E402
from paths import DEFAULT_SNAPSHOT, SHARED_DATA  # noqa: E402

RESULTS: list[tuple[str, bool]] = []


def report(name: str, value: float, unit: str, target: float, *, lower_is_better=True) -> None:
    """Print one figure against its target and remember whether it was met."""
    met = value <= target if lower_is_better else value >= target
    sign = "≤" if lower_is_better else "≥"
    verdict = "met" if met else "missed"
    print(f"{name}: {value:,.3g} {unit} (target {sign} {target:g} {unit}, {verdict})")
    RESULTS.append((name, met))


def best_of(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Return the best wall-clock time in seconds over `repeat` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def map_figure(snap, layer: str, gemeente: str | None, figures: maps.Figures) -> str:
    """Build and serialise one map figure, as a rerun of the map page does."""
    geo = snap.geometry[snap.geometry["layer"] == layer]
    if gemeente:
        geo = geo[geo["gemeente_code"] == gemeente]
    areas = geo.drop(columns="geometry")
    geojson = boundaries.to_geojson(geo)
    frame = maps.map_frame(areas, snap.values, figures)
    indicator = load_catalogue().indicator(figures.indicator)
    fig = charts.choropleth(frame, geojson, indicator, title="bench")
    return fig.to_json()


def main() -> int:
    """Run every benchmark and print the figures."""
    start = time.perf_counter()
    snap = load_snapshot()
    report("snapshot load (cold, in process)", time.perf_counter() - start, "s", 2.0)
    size = sum(p.stat().st_size for p in DEFAULT_SNAPSHOT.iterdir()) / 1e6
    report("snapshot size on disk", size, "MB", 20)

    rivm = maps.Figures("eenzaam", 2020, "18+", "50090NED")
    t, js = best_of(lambda: map_figure(snap, "leeuwarden-wijken-2025", "GM0080", rivm))
    report("Leeuwarden wijken map: build+serialise", t * 1000, "ms", 150)
    report("Leeuwarden wijken map: figure JSON", len(js) / 1e3, "KB", 150)
    t, js = best_of(lambda: map_figure(snap, "leeuwarden-buurten-2025", "GM0080", rivm))
    report("Leeuwarden buurten map: build+serialise", t * 1000, "ms", 150)
    report("Leeuwarden buurten map: figure JSON", len(js) / 1e3, "KB", 150)
    rivm16 = maps.Figures("eenzaam", 2016, "19+", "rivm-eenzaamheid-2016")
    t, js = best_of(lambda: map_figure(snap, "nl-wijken-2016", None, rivm16), repeat=3)
    report("national wijk map 2016 (2 981 wijken): build+serialise", t * 1000, "ms", 150)
    # 8.38 MB = naive px.choropleth_map of the unsimplified layer (shared/RECIPES.md).
    report("national wijk map 2016: figure JSON", len(js) / 1e6, "MB", 8.38 / 8)
    naive = json.dumps(
        boundaries.to_geojson(snap.geometry[snap.geometry["layer"] == "nl-wijken-2016"])
    )
    print(
        f"  (national layer as stored, GeoJSON alone: {len(naive) / 1e6:.2f} MB; "
        "stored at 100 m / 4 decimals for per-gemeente maps)"
    )

    if SHARED_DATA.is_dir():
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            build(Path(tmp), source_dir=SHARED_DATA, log=lambda _m: None)
            report(
                "snapshot build from ../shared/data (offline feed)",
                time.perf_counter() - start,
                "s",
                60,
            )

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report("peak RSS of this benchmark process", peak_mb, "MB", 1500)
    met = sum(ok for _, ok in RESULTS)
    print(f"summary: {met} of {len(RESULTS)} targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
