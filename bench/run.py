"""Benchmarks: ``python bench/run.py`` prints one line per figure against its target.

Format: ``name: value unit (target …, met|missed)``, a reason under every miss, then a summary
line. Times are best of N (N printed) because other work on the machine only adds time; the
load average is printed at the start and the end. Sections (issue #5): the snapshot, map
payloads against naive plotly and folium (``bench/map_figures.py``), the CPU of a gemeente's
first visit on the Kaart page (``bench/first_visit.py``), a survey of 500 000
respondents in a child process (``bench/survey_import.py``), the server under load from
browserless websocket sessions: the cold start to a complete page, 10/50/100 sessions per
page with the memory each adds, the saturation point of one process, one vs two processes
behind nginx (``bench/load.py``, issue #14), and the app in
Chromium for what only a browser shows: cold start to the drawn map, server time per rerun
and the Werkplaats slide change (``bench/app_browser.py``).
Options: ``--quick`` (fewer repeats, fewer sessions), ``--skip-browser``, ``--skip-load``,
``--skip-build``, ``--browser-crowd`` (also 20 Chromium sessions at once: on this machine they
measure the browsers on the server's own cores, not the server).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Report, load_text  # noqa: E402
from data.snapshot import load_snapshot  # noqa: E402
from paths import DEFAULT_SNAPSHOT, SHARED_DATA  # noqa: E402
from snapshot_build.build import build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--skip-browser", action="store_true", help="no Chromium figures")
    parser.add_argument("--skip-load", action="store_true", help="no server load test")
    parser.add_argument("--skip-build", action="store_true", help="no snapshot rebuild")
    parser.add_argument(
        "--browser-crowd", action="store_true", help="also 20 Chromium sessions at once"
    )
    args = parser.parse_args(argv)
    repeat = 2 if args.quick else 5
    started = time.perf_counter()
    report = Report()
    print(f"machine: {load_text()}")

    start = time.perf_counter()
    snap = load_snapshot()
    report.figure("snapshot load (cold, in process)", time.perf_counter() - start, "s", 2.0)
    size = sum(p.stat().st_size for p in DEFAULT_SNAPSHOT.iterdir()) / 1e6
    report.figure("snapshot size on disk", size, "MB", 20)

    from bench import map_figures, survey_import

    map_figures.run(report, snap, repeat)
    from bench import region_figures

    region_figures.run(report, snap, repeat)
    from bench import first_visit

    first_visit.run(report, max(2, repeat // 2))
    survey_import.run(report, repeat)
    if not args.skip_load:
        from bench import load

        load.run(report, repeat, quick=args.quick)
    if not args.skip_browser:
        from bench import app_browser

        app_browser.run(report, repeat, crowd=args.browser_crowd)

    if SHARED_DATA.is_dir() and not args.skip_build:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            build(Path(tmp), source_dir=SHARED_DATA, log=lambda _m: None)
            report.figure(
                "snapshot build from ../shared/data (offline feed)",
                time.perf_counter() - start,
                "s",
                60,
            )

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report.figure("peak RSS of this benchmark process", peak_mb, "MB", 1500)
    print(f"machine: {load_text()}; whole run {time.perf_counter() - started:,.0f} s")
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
