"""Profile the script runs of one page: where a rerun spends its CPU (issue #14, a dev tool).

``python bench/profile_rerun.py profiel --reruns 5`` opens the page in Streamlit's AppTest
(the app's own script, frame and page, in this process), runs it once to warm the caches,
then changes the page's widget ``--reruns`` times and profiles only those reruns with
pyinstrument. It prints the process CPU per rerun and the profile tree. The pages, their
query and widget are in `QUERIES` and `WIDGETS`; the widget alternates between two values, so
after the first two reruns the views every session shares are made (the load test's
"kaart, elk een eigen gemeente" measures first visits). Public data only: the example survey
stays off.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from paths import PAGES, ROOT

#: The wrapper AppTest runs: app.py inside a pyinstrument profiler when asked.
_WRAPPER = """
import os, runpy, sys, time
sys.path.insert(0, {root!r})
import bench.profile_rerun as pr
pr.run_app({app!r})
"""

#: Set by `main` while the profiled reruns run; read by `run_app` inside the script thread.
_STATE: dict = {"profiler": None, "cpu": []}

PAGE_FILES = {
    "kaart": "kaart.py",
    "nederland": "kaart.py",
    "regio": "kaart.py",
    "wijkprofiel": "profiel.py",
    "profiel": "profiel.py",
    "vergelijken": "vergelijken.py",
    "ontwikkeling": "ontwikkeling.py",
}
QUERIES = {
    "kaart": {"gemeente": "GM0080", "niveau": "wijk"},
    "nederland": {"kaart": "nederland", "niveau": "wijk"},
    "regio": {"kaart": "ggd", "ggd": "GG7206", "niveau": "wijk"},
    "wijkprofiel": {"gemeente": "GM0080"},
    "profiel": {"gemeente": "GM0080"},
    "vergelijken": {"gemeente": "GM0080", "wijken": "WK008061,WK008010"},
    "ontwikkeling": {"gemeente": "GM0080"},
}
#: The selectbox whose value each rerun changes (alternating between its first two options).
WIDGETS = {
    "kaart": "Indicator",
    "nederland": "Indicator",
    "regio": "Indicator",
    "wijkprofiel": "Wijk",
    "profiel": "Wijk",
    "vergelijken": "Horizontaal",
    "ontwikkeling": "Wijk",
}


def run_app(app: str) -> None:
    """Run app.py once; profile it and note its CPU when `main` asks for it."""
    import runpy

    profiler = _STATE["profiler"]
    cpu0 = time.process_time()
    if profiler is not None:
        profiler.start()
    try:
        runpy.run_path(app, run_name="__main__")
    finally:
        if profiler is not None:
            profiler.stop()
        _STATE["cpu"].append(time.process_time() - cpu0)


def main(argv: list[str] | None = None) -> int:
    """Open a page, warm it, profile ``--reruns`` widget changes; print CPU and the tree."""
    from pyinstrument import Profiler
    from streamlit.testing.v1 import AppTest

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=sorted(PAGE_FILES))
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--html", help="also write pyinstrument's HTML here")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="profile the first run of a fresh process instead (imports, first reads, page)",
    )
    args = parser.parse_args(argv)
    # The wrapper imports this file as bench.profile_rerun, not as __main__: share its state.
    import bench.profile_rerun as shared

    state = shared._STATE
    # Beside app.py: st.page_link paths are relative to the entry point's folder.
    wrapper = ROOT / f"_profiled_app_{os.getpid()}.py"
    wrapper.write_text(_WRAPPER.format(root=str(ROOT), app=str(ROOT / "app.py")))
    tmp = str(ROOT)
    try:
        at = AppTest.from_file(str(wrapper), default_timeout=180)
        for key, value in QUERIES[args.page].items():
            at.query_params[key] = value
        start = time.perf_counter()
        if args.cold:  # the page straight away, as a permalink opens it
            state["profiler"] = Profiler(interval=0.001)
            if PAGE_FILES[args.page] != "kaart.py":  # before a first run: by file name
                at.switch_page(os.path.relpath(PAGES / PAGE_FILES[args.page], tmp))
        at.run()
        if args.cold:
            profiler, state["profiler"] = state["profiler"], None
            print(
                f"first run (cold): {time.perf_counter() - start:.2f} s wall, CPU "
                f"{state['cpu'][0]:.2f} s"
            )
            print(profiler.output_text(unicode=True, color=False, show_all=False))
            return 0
        at.switch_page(os.path.relpath(PAGES / PAGE_FILES[args.page], tmp)).run()
        print(f"first runs (cold): {time.perf_counter() - start:.2f} s wall")
        assert not at.exception, [e.value for e in at.exception]
        box = next(s for s in at.selectbox if s.label == WIDGETS[args.page])
        options = list(box.options)
        at.switch_page(os.path.relpath(PAGES / PAGE_FILES[args.page], tmp))
        box.set_value(options[1]).run()  # every cache of a second value warm too
        state["cpu"].clear()
        profiler = Profiler(interval=0.001)
        state["profiler"] = profiler
        for i in range(args.reruns):
            box = next(s for s in at.selectbox if s.label == WIDGETS[args.page])
            box.set_value(options[i % 2]).run()
            assert not at.exception, [e.value for e in at.exception]
        state["profiler"] = None
        cpu = state["cpu"]
        print(
            f"{args.page}: {len(cpu)} reruns, CPU per rerun "
            + ", ".join(f"{c * 1000:.0f}" for c in cpu)
            + f" ms (mean {sum(cpu) / len(cpu) * 1000:.0f} ms)"
        )
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.html:
            Path(args.html).write_text(profiler.output_html())
    finally:
        wrapper.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
