"""Start the dashboard server: ``streamlit run app.py`` that is warm before the first user.

``python -m ui.serve [script.py] [streamlit options]`` is ``streamlit run app.py [options]``
(or another main script, e.g. bench/timed_app.py, which runs app.py) plus one
background thread, started with the process, that imports pandas, geopandas and plotly and
loads the public data every first page needs, in the order the map page asks for it — the
snapshot and catalogue (shared ``st.cache_resource``), the gemeente list, the GGD regions and,
for the gemeente the app opens on, its figures and map layers; then the wijkprofiel of its
first wijk, and last the fictitious example survey (``st.cache_data`` of public or made-up
data), which stays off until a user asks for it. It
runs from the moment the server answers, while the browser downloads the frontend, so the
first page does not pay for all of it afterwards (issue #14: cold start). Streamlit locks
each cache entry while it is computed, so a user who arrives before the thread is done
waits for the same work instead of doing it twice. Survey data of users never comes near this.

Only public routes into Streamlit (issue 15, item 3): the server is started as
``python -m streamlit run`` would start it, and "the server answers" is its health endpoint
``/_stcore/health`` (the one Streamlit's deployment docs use), not its internal ``Runtime``.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import runpy
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Seconds without a script run before the warm-up goes on after the default map: the first
#: visitor's browser fetches and runs the plotly bundle in the seconds after its first run.
QUIET_S = 3.0
#: A server that is never quiet still finishes its warm-up, one step per this many seconds.
QUIET_MAX_WAIT_S = 30.0


def health_url(argv: list[str]) -> str:
    """Return the health endpoint of the server these ``streamlit run`` options start.

    Examples
    --------
    >>> health_url(["--server.port", "8600", "--server.address", "0.0.0.0"])
    'http://127.0.0.1:8600/_stcore/health'
    >>> health_url(["--server.port=8601"]), health_url([])
    ('http://127.0.0.1:8601/_stcore/health', 'http://127.0.0.1:8501/_stcore/health')
    """
    options = {"--server.port": "8501", "--server.address": "127.0.0.1"}
    for i, arg in enumerate(argv):
        name, _, value = arg.partition("=")
        if name in options:
            options[name] = value or (argv[i + 1] if i + 1 < len(argv) else options[name])
    address = options["--server.address"]
    if address in ("", "0.0.0.0", "::", "localhost"):  # listening everywhere: ask locally
        address = "127.0.0.1"
    return f"http://{address}:{options['--server.port']}/_stcore/health"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own server
            return bool(response.read().decode() == "ok")
    except OSError:
        return False


def warm_up(url: str, wait_for_server_s: float = 120, quiet_s: float = QUIET_S) -> None:
    """Import the heavy modules and fill the caches of a first page (public data only).

    Starts once the server answers (``url``, its ``/_stcore/health``, says "ok"): Python
    imports hold the GIL, so warming up earlier would only delay the moment the browser can
    start loading the frontend; from then on the two overlap. After the default map, each
    step waits until no script has run for ``quiet_s`` (at most `QUIET_MAX_WAIT_S`).
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    # Outside a script run Streamlit warns that there is no ScriptRunContext: expected here
    # (a filter, not a level: Streamlit resets logger levels when it reads its config).
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: threading.current_thread().name != "sbd-warm-up"
    )
    deadline = time.monotonic() + wait_for_server_s
    while not _answers(url):
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    # First what the first page (the map of the default gemeente at wijk level) needs, in the
    # order it asks for it; then the wijkprofiel's (a permalink's usual first page); then the
    # other layers; the fictitious example (off until asked for) last. A page that arrives
    # meanwhile shares the GIL with this thread, so work it does not need only delays it.
    # The map page's modules (plotly with analysis.charts) are imported as its first run would.
    from analysis import charts, classify, figure, selection  # noqa: F401
    from analysis.survey import pipeline as survey_pipeline
    from analysis.views import exports, maps, profile, trends  # noqa: F401
    from ui import (  # noqa: F401
        activity,
        display,
        downloads,
        gemeente_map,
        loaders,
        national_map,
        profile_view,
        region_map,
        sidebar,
        survey_session,
    )

    snap = loaders.snapshot()  # cache_resource: process-wide
    loaders.catalogue()
    code = sidebar.DEFAULT_GEMEENTE
    names = loaders.gemeente_names()  # cache_data: in the runtime's storage, which exists now
    loaders.ggd_regions()
    index = loaders.layer_index()
    loaders.gemeente_values(code)
    first = maps.choose_layer(index, code, "wijk")
    layers = index.loc[index["gemeente_code"] == code, "layer"].tolist()
    layers = [first, *(layer for layer in layers if layer != first)] if first else layers
    for layer in layers[:1]:
        _warm_layer(loaders, layer, code)
        # The first map itself: the figure, table and export every first visitor gets.
        figures = sidebar.default_figures(loaders.layer_figures(layer, code), loaders.catalogue())
        if figures is not None and layer == first:
            gemeente_map.public_view(
                sidebar.MapSelection(code, names.get(code, code), "wijk", layer, figures)
            )
    # The rest only helps later visitors. A first visitor's browser is meanwhile fetching and
    # running the frontend's plotly bundle from this process: wait for a quiet moment, so the
    # GIL is free to send it (ui/activity.py), before each step.
    quiet = functools.partial(activity.SERVER.wait_quiet, quiet_s, QUIET_MAX_WAIT_S)
    # What lives as long as the process (modules, the snapshot, the first map) is frozen now:
    # see the end. A busy server may only get there minutes later.
    gc.freeze()
    quiet()
    # The wijkprofiel of the wijk a picker starts on, with its GGD region's figures.
    loaders.areas_of(code, "wijk")
    wijk = loaders.default_area(code, "wijk")
    region = loaders.ggd_of(code)
    if region is not None:
        loaders.region_figures(region[0])
    if wijk is not None:
        loaders.profile_snapshot(code, wijk)
        area = selection.area_name(snap.regions, wijk)
        loaders.profile_chart(code, wijk, area, names.get(code, code))
        profile_view.public_parts(code, wijk, names.get(code, code))
    for layer in layers[1:]:
        quiet()
        _warm_layer(loaders, layer, code)
    quiet()
    survey_session.survey_inputs(code)
    # The fictitious example (made-up respondents, only suppressed estimates are kept).
    survey_session._example_result(code, survey_pipeline.MIN_N, survey_pipeline.INDICATIVE_N)
    # The fork server that reads uploads in isolated children (~0,6 s to start): ready before
    # the first upload rather than during it.
    from data.uploads import isolated

    quiet()
    isolated.start()
    # Everything made so far lives as long as the process (modules, the snapshot, caches).
    # Streamlit runs a full gc.collect(2) after every script run (runner.postScriptGC); it
    # took ~35 % of the server's CPU per map rerun walking these objects. Frozen, the
    # collector skips them and only looks at what sessions made since (a second freeze adds
    # what was made after the first).
    gc.freeze()


def _warm_layer(loaders, layer: str, code: str) -> None:
    """Make the cached areas, values and figure list of one map layer of a gemeente."""
    loaders.layer_areas(layer, code)
    loaders.layer_values(layer, code)
    loaders.layer_figures(layer, code)


def _warm_up_quietly(url: str) -> None:
    try:
        warm_up(url)
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first page does it
        logging.getLogger(__name__).warning("warm-up failed", exc_info=True)


def main(argv: list[str]) -> None:
    """Run ``streamlit run app.py *argv`` (or ``argv[0]`` if it is a .py) with the warm-up."""
    script = str(ROOT / "app.py")
    if argv and argv[0].endswith(".py"):
        script, argv = argv[0], argv[1:]
    if not os.environ.get("SBD_NO_WARMUP"):  # for comparisons: plain `streamlit run`
        threading.Thread(
            target=_warm_up_quietly, args=(health_url(argv),), name="sbd-warm-up", daemon=True
        ).start()
    sys.argv = ["streamlit", "run", script, *argv]
    runpy.run_module("streamlit", run_name="__main__", alter_sys=True)  # python -m streamlit


if __name__ == "__main__":
    main(sys.argv[1:])
