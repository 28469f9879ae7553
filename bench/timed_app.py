"""Bench-only entry point: runs ``app.py`` unchanged and logs each script run's server time.

``streamlit run bench/timed_app.py`` with ``SBD_BENCH_TIMINGS=<file>`` appends one line per
script run to that file: the seconds the run took in the server process, measured around
the whole of ``app.py`` (frame, navigation and page). Only durations are written, never
anything a user entered. Used by ``bench/app_browser.py``; the app itself has no hook.
"""

import os
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # streamlit puts this file's folder first, not the project's
    sys.path.insert(0, str(ROOT))

_start = time.perf_counter()
try:
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
finally:
    _log = os.environ.get("SBD_BENCH_TIMINGS")
    if _log:
        with open(_log, "a", encoding="utf-8") as handle:
            handle.write(f"{time.perf_counter() - _start:.6f}\n")
