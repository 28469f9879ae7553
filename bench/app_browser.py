"""The app in Chromium: what only a browser shows (cold start to the drawn map, slide change).

Also the server's time per rerun, and, when asked (``crowd``), 20 Chromium sessions at once
(issue #5). That last part measures the browsers more than the server: on this 2-core box
the 20 Chromiums draw their maps on the server's own cores (issue #14: "the browsers, not the
server, are measured"). The server's figures under many sessions come from the browserless
load test (``bench/load.py``), so `bench/run.py` runs the crowd only with ``--browser-crowd``.

Everything runs on this machine: ``streamlit run`` on 127.0.0.1 and Debian's Chromium driven
by Playwright with the flags of tests/test_browser.py. Every wait has a timeout, the number of
sessions is fixed, and each server is stopped in ``finally``; server output goes to a temporary
file, never to an unread pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.common import Report, percentile
from paths import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Same flags as tests/test_browser.py: no sandbox (root in CI), SwiftShader WebGL for MapLibre,
# and nothing that calls out.
ARGS = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_URL = "/?gemeente=GM0080&niveau=wijk"
#: The two indicators the benchmark switches between (both have figures for Leeuwarden).
INDICATORS = ("eenzaam", "inwoners")
#: The Werkplaats presented on a beamer (issue 12: a slide change within 0,5 s of the key).
PRESENTATION_URL = "/werkplaats?gemeente=GM0080&wijk=WK008061&modus=presentatie"
PROJECTOR = {"width": 1920, "height": 1080}
SLIDE_PRESSES = 8
SESSIONS = 20
WAIT_MS = 120_000
#: Hard limit on the concurrent-users part, whatever happens.
CONCURRENT_LIMIT_S = 300


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(
    script: Path, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[tuple[str, int, float]]:
    """Start the app server on 127.0.0.1; yield (url, pid, start time); stop it.

    Started as scripts/start.sh and the image start it: ``python -m ui.serve script`` is
    ``streamlit run script`` with the warm-up of ui/serve.py (issue #14). ``port``: a
    given one (a browser's cache is per address and port), else a free one.
    """
    port = port or free_port()
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "ui.serve", str(script),
                "--server.headless", "true",
                "--server.port", str(port),
                "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
        try:
            yield f"http://127.0.0.1:{port}", proc.pid, started
        except Exception:
            log.seek(0)
            print(f"  (server log:\n{log.read()[-2000:]})")
            raise
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def wait_healthy(url: str, deadline_s: float = 60) -> None:
    """Poll ``/_stcore/health`` until it answers "ok"."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"streamlit on {url} not healthy after {deadline_s} s")


async def wait_app(page) -> None:
    """Wait on the app's own signals: connected, script not running, no skeleton."""
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=WAIT_MS
    )
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS
    )
    await page.locator("[data-testid='stSkeleton']").first.wait_for(
        state="detached", timeout=WAIT_MS
    )


async def load_map(page, url: str) -> dict[str, float]:
    """Open the map page; return the moments (perf_counter) each stage was reached.

    ``start``, ``loaded`` (the page's own files), ``last_message`` (the last websocket message
    from the server before the first run was over: what the server had to say),
    ``script_done`` (the app's first run is over, nothing left as skeleton) and ``drawn``
    (the map's WebGL canvas is visible).
    """
    marks = {"start": time.perf_counter()}
    frames: list[float] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda _frame: frames.append(time.perf_counter())),
    )
    await page.goto(url + MAP_URL, timeout=WAIT_MS)
    marks["loaded"] = time.perf_counter()
    await wait_app(page)
    marks["last_message"] = max(frames, default=float("nan"))
    marks["script_done"] = time.perf_counter()
    canvas = page.locator("[data-testid='stPlotlyChart'] canvas").first
    await canvas.wait_for(state="visible", timeout=WAIT_MS)
    marks["drawn"] = time.perf_counter()
    return marks


async def switch_indicator(page, indicator_id: str, label: str) -> float:
    """Choose another indicator in the sidebar; return seconds until that rerun is done."""
    start = time.perf_counter()
    box = page.locator("[data-testid='stSelectbox']").filter(has_text="Indicator").first
    await box.click(timeout=WAIT_MS)
    await page.keyboard.type(label)
    await page.keyboard.press("Enter")
    # The app writes the indicator into the URL during the rerun; then wait for its end.
    await page.wait_for_url(re.compile(rf"indicator={indicator_id}\b"), timeout=WAIT_MS)
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS
    )
    return time.perf_counter() - start


def labels() -> dict[str, str]:
    """Return the sidebar label of each benchmark indicator."""
    from analysis.catalogue import load_catalogue

    cat = load_catalogue()
    return {i: cat.indicator(i).label for i in INDICATORS}


def cpu_seconds(pid: int | None = None) -> float:
    """Return CPU seconds used so far: by one process, or by the whole machine (busy time)."""
    tick = os.sysconf("SC_CLK_TCK")
    if pid is not None:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / tick


def memory_mb(pid: int) -> tuple[float, float]:
    """Return (current, peak) resident memory of a process in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", float("nan")), fields.get("VmHWM", float("nan"))


async def cold_starts(browser, repeat: int) -> tuple[list[dict[str, float]], float]:
    """Start the real app ``repeat`` times; per start, seconds from process start to each stage.

    The browser and an empty tab are open before the server starts; the tab opens the map
    as soon as the server answers. Stages: ``healthy`` (the server answers), ``loaded`` (the
    browser has the page's files),
    ``script_done`` (first script run over) and ``drawn`` (map canvas visible). One more
    start through bench/timed_app.py gives the server's own time for that first run.
    """
    starts = []
    first_run = float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        timings = Path(tmp) / "runs.txt"
        timings.touch()
        for i in range(repeat + 1):
            timed = i == repeat
            script = ROOT / "bench" / "timed_app.py" if timed else ROOT / "app.py"
            env = {"SBD_BENCH_TIMINGS": str(timings)} if timed else None
            # The tab is open before the server starts, as a facilitator's browser is: the
            # figure is the app's start, not Chromium making a tab (0,1–0,6 s here).
            page = await browser.new_page(viewport={"width": 1440, "height": 1000})
            try:
                with server(script, env) as (url, _pid, started):
                    await asyncio.to_thread(wait_healthy, url)
                    healthy = time.perf_counter()
                    marks = await load_map(page, url)
            finally:
                await page.close()
            if timed:
                first_run = sum(float(v) for v in timings.read_text().split())
                break
            stages = {"healthy": healthy, **{k: v for k, v in marks.items() if k != "start"}}
            starts.append({k: v - started for k, v in stages.items()})
    return starts, first_run


def script_times(profile: dict) -> dict[str, float]:
    """Return milliseconds of a V8 CPU profile per script file (self time), largest first.

    ``(idle)`` is the main thread waiting (for the network, the server), ``(program)`` the
    browser's own work outside JavaScript (parsing, style, layout), ``(garbage collector)``
    V8's. A script is named by its file without the content hash (``PlotlyChart``).

    Examples
    --------
    >>> script_times({
    ...     "nodes": [
    ...         {"id": 1, "callFrame": {"url": "http://h/static/js/PlotlyChart.D9Z0.js",
    ...                                 "functionName": "e8"}},
    ...         {"id": 2, "callFrame": {"url": "", "functionName": "(idle)"}},
    ...     ],
    ...     "samples": [1, 2, 1],
    ...     "timeDeltas": [1000, 500, 1500],
    ... })
    {'PlotlyChart': 2.5, '(idle)': 0.5}
    """
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    spent: dict[str, float] = {}
    for node, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node]
        name = frame["url"].rsplit("/", 1)[-1].split(".", 1)[0] or frame["functionName"]
        spent[name] = spent.get(name, 0.0) + delta / 1000
    return dict(sorted(spent.items(), key=lambda item: item[1], reverse=True))


async def profiled_start(browser) -> tuple[dict[str, float], dict[str, float], float]:
    """One more cold start with V8's sampling profiler on the tab, then a new visitor.

    Returns the stages of the cold start, the tab's milliseconds per script, and seconds
    from a new visitor's request (a browser context of its own: nothing cached) to the
    drawn map once the server is warm: what the browser alone costs.
    """
    page = await browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        cdp = await page.context.new_cdp_session(page)
        await cdp.send("Profiler.enable")
        await cdp.send("Profiler.setSamplingInterval", {"interval": 1000})  # µs
        with server(ROOT / "app.py") as (url, _pid, started):
            await asyncio.to_thread(wait_healthy, url)
            await cdp.send("Profiler.start")
            marks = await load_map(page, url)
            profile = (await cdp.send("Profiler.stop"))["profile"]
            await asyncio.sleep(8)  # the warm-up's later steps (ui/serve.py) are done by then
            visitor = await browser.new_context(viewport={"width": 1440, "height": 1000})
            try:
                warm = await load_map(await visitor.new_page(), url)
            finally:
                await visitor.close()
    finally:
        await page.close()
    stages = {k: v - started for k, v in marks.items()}
    return stages, script_times(profile), warm["drawn"] - warm["start"]


async def returning_start(browser) -> dict[str, float]:
    """Cold server, returning browser: seconds from process start to each stage.

    A facilitator's laptop has opened the dashboard before: its browser keeps the frontend's
    files (and V8's compiled code) in its cache, for this address and port. One context
    loads the page from a first server; that server stops, a new one starts on the same
    port, and the same context opens the page again: the figure is that second, cold start.
    """
    port = free_port()
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        with server(ROOT / "app.py", port=port) as (url, _pid, _started):
            await asyncio.to_thread(wait_healthy, url)
            page = await context.new_page()
            await load_map(page, url)
            await page.close()
        page = await context.new_page()  # open before the server starts (see cold_starts)
        with server(ROOT / "app.py", port=port) as (url, _pid, started):
            await asyncio.to_thread(wait_healthy, url)
            healthy = time.perf_counter()
            marks = await load_map(page, url)
        await page.close()
    finally:
        await context.close()
    stages = {"healthy": healthy, **{k: v for k, v in marks.items() if k != "start"}}
    return {k: v - started for k, v in stages.items()}


async def rerun_times(browser, repeat: int) -> tuple[list[float], list[float]]:
    """Switch the indicator ``repeat`` times; return (server script times, browser times)."""
    names = labels()
    with tempfile.TemporaryDirectory() as tmp:
        timings = Path(tmp) / "runs.txt"
        timings.touch()
        env = {"SBD_BENCH_TIMINGS": str(timings)}
        with server(ROOT / "bench" / "timed_app.py", env) as (url, _pid, _started):
            await asyncio.to_thread(wait_healthy, url)
            page = await browser.new_page(viewport={"width": 1440, "height": 1000})
            try:
                await load_map(page, url)
                server_s, browser_s = [], []
                for i in range(repeat * 2):
                    indicator = INDICATORS[(i + 1) % 2]
                    before = len(timings.read_text().split())
                    browser_s.append(await switch_indicator(page, indicator, names[indicator]))
                    runs = [float(v) for v in timings.read_text().split()[before:]]
                    server_s.append(sum(runs))  # one rerun; a rerun the app asks for adds up
            finally:
                await page.close()
    return server_s, browser_s


async def slide_changes(browser) -> list[float]:
    """Present a story and press → `SLIDE_PRESSES` times; seconds from key to the new slide.

    "The new slide" is its counter (``.sb-teller``) reading the next number: the slide is a
    fragment rerun with its figures built ahead (ui/workshop.py). Each press waits until the
    previous rerun is over, as a facilitator who talks between slides does.
    """
    idle = "[data-testid='stApp'][data-test-script-state='notRunning']"
    with server(ROOT / "app.py") as (url, _pid, _started):
        await asyncio.to_thread(wait_healthy, url)
        page = await browser.new_page(viewport=PROJECTOR)
        try:
            await page.goto(url + PRESENTATION_URL, timeout=WAIT_MS)
            await page.wait_for_selector(idle, timeout=WAIT_MS)
            counter = page.locator(".sb-teller")
            await counter.wait_for(timeout=WAIT_MS)
            times = []
            for number in range(2, SLIDE_PRESSES + 2):
                start = time.perf_counter()
                await page.keyboard.press("ArrowRight")
                await page.wait_for_function(
                    "n => (document.querySelector('.sb-teller')?.textContent || '')"
                    ".trim().startsWith(n + ' / ')",
                    arg=number,
                    timeout=WAIT_MS,
                )
                times.append(time.perf_counter() - start)
                await page.wait_for_selector(idle, timeout=WAIT_MS)
        finally:
            await page.close()
    return times


async def one_user(browser, url: str, names: dict[str, str]) -> tuple[float, float, float]:
    """One session in its own context: load the map, switch the indicator.

    Returns seconds to the end of the first script run, to the drawn map, and for the switch.
    """
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        marks = await load_map(page, url)
        switch = await switch_indicator(page, INDICATORS[1], names[INDICATORS[1]])
        return marks["script_done"] - marks["start"], marks["drawn"] - marks["start"], switch
    finally:
        await context.close()


async def concurrent(browser) -> dict:
    """Run SESSIONS users at once against a warm server (the timed entry point)."""
    names = labels()
    with tempfile.TemporaryDirectory() as tmp:
        timings = Path(tmp) / "runs.txt"
        timings.touch()
        env = {"SBD_BENCH_TIMINGS": str(timings)}
        with server(ROOT / "bench" / "timed_app.py", env) as (url, pid, _started):
            await asyncio.to_thread(wait_healthy, url)
            await one_user(browser, url, names)  # the server has been opened once already
            before = len(timings.read_text().split())
            start, server_cpu, machine_cpu = time.perf_counter(), cpu_seconds(pid), cpu_seconds()
            tasks = [one_user(browser, url, names) for _ in range(SESSIONS)]
            done = await asyncio.wait_for(
                asyncio.gather(*tasks, return_exceptions=True), timeout=CONCURRENT_LIMIT_S
            )
            wall = time.perf_counter() - start
            server_cpu = cpu_seconds(pid) - server_cpu
            machine_cpu = cpu_seconds() - machine_cpu
            memory = memory_mb(pid)
            runs = [float(v) for v in timings.read_text().split()[before:]]
    ok = [d for d in done if not isinstance(d, BaseException)]
    errors = sorted(
        {f"{type(d).__name__}: {d}"[:120] for d in done if isinstance(d, BaseException)}
    )
    return {
        "users": ok,
        "memory": memory,
        "failed": len(done) - len(ok),
        "errors": errors,
        "runs": runs,
        "wall": wall,
        "server_cpu": server_cpu,
        "machine_cpu": machine_cpu,
    }


async def measure(repeat: int, *, crowd: bool = False) -> dict:
    """Run the browser benchmarks with one Chromium (the 20 sessions only with ``crowd``)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            cold, first_run = await cold_starts(browser, max(2, repeat // 2 + 1))
            returning = [await returning_start(browser) for _ in range(2)]
            profiled, scripts, warm_visit = await profiled_start(browser)
            server_s, browser_s = await rerun_times(browser, repeat)
            slides = await slide_changes(browser)
            together = await concurrent(browser) if crowd else {}
        finally:
            await browser.close()
    return {
        "cold": cold,
        "returning": returning,
        "profiled": profiled,
        "scripts": scripts,
        "warm_visit": warm_visit,
        "first_run": first_run,
        "server": server_s,
        "browser": browser_s,
        "slides": slides,
        **together,
    }


def run(report: Report, repeat: int, *, crowd: bool = False) -> None:
    """Measure the app in Chromium and print the figures (``crowd``: also 20 at once)."""
    if (
        not Path(CHROMIUM).exists()
        or shutil.which("streamlit", path=str(Path(sys.executable).parent)) is None
    ):
        report.not_measured("app in Chromium", f"needs Chromium at {CHROMIUM} and streamlit")
        return
    try:
        got = asyncio.run(measure(repeat, crowd=crowd))
    except Exception as err:  # a benchmark reports; it does not hide a failure either
        report.not_measured("app in Chromium", f"{type(err).__name__}: {err}"[:300])
        return
    cold = sorted(got["cold"], key=lambda c: c["drawn"])
    best = cold[0]
    print(f"app in Chromium (Debian chromium, SwiftShader WebGL; {len(cold)} cold starts):")
    report.figure(
        "cold start: python -m ui.serve (streamlit run app.py, warm-up) → map drawn (best)",
        best["drawn"],
        "s",
        3,
        why_missed=(
            f"server answering {best['healthy']:.1f} s, browser has the page's files "
            f"{best['loaded']:.1f} s, last message of the server's first run "
            f"{best['last_message']:.1f} s, first script run over in the browser "
            f"{best['script_done']:.1f} s, map drawn {best['drawn']:.1f} s. The first run "
            f"takes {got['first_run']:.1f} s in the server (one more start through "
            "bench/timed_app.py). The browser's main thread has the frontend (about 1 s) "
            "and then the plotly bundle to compile and run (4,7 MB of JavaScript, fetched "
            "when the map arrives) and MapLibre's WebGL set-up in "
            "SwiftShader, software GL, all on the server's own 2 cores: what it spent is in "
            "the note below; a browser that has opened the dashboard before keeps the "
            "compiled code (next figure)"
        ),
    )
    drawn_each = ", ".join(f"{c['drawn']:.2f} s" for c in got["cold"])
    report.note(f"all cold starts: {drawn_each}")
    scripts, profiled = got["scripts"], got["profiled"]
    busy = sum(ms for name, ms in scripts.items() if name != "(idle)")
    report.note(
        f"one more cold start with V8's profiler on the tab (map drawn {profiled['drawn']:.1f} "
        f"s after the server started, {profiled['drawn'] - profiled['start']:.1f} s after the "
        f"tab asked for the page): its main thread waited {scripts.get('(idle)', 0):,.0f} ms "
        f"and was busy {busy:,.0f} ms: "
        + ", ".join(
            f"{name} {ms:,.0f} ms" for name, ms in list(scripts.items())[:7] if name != "(idle)"
        )
    )
    report.note(
        f"a new visitor (nothing cached) on that server once warm: map drawn "
        f"{got['warm_visit']:.1f} s after the tab asked for the page (the browser's part)"
    )
    back = sorted(got["returning"], key=lambda c: c["drawn"])
    report.figure(
        "cold start, returning browser (its cache holds the frontend) → map drawn (best)",
        back[0]["drawn"],
        "s",
        3,
        why_missed=(
            f"server answering {back[0]['healthy']:.1f} s, page's files "
            f"{back[0]['loaded']:.1f} s, last message of the first run "
            f"{back[0]['last_message']:.1f} s, script over in the browser "
            f"{back[0]['script_done']:.1f} s"
        ),
    )
    report.note(
        "the server is started afresh; the browser opened the dashboard on the same address "
        "before (a facilitator's laptop); all: " + ", ".join(f"{c['drawn']:.2f} s" for c in back)
    )
    server_ms = sorted(t * 1000 for t in got["server"])
    report.figure(
        "indicator change on the map: server script time per rerun (median)",
        percentile(server_ms, 50),
        "ms",
        300,
    )
    browser_ms = percentile([t * 1000 for t in got["browser"]], 50)
    report.note(
        f"{len(server_ms)} reruns, timed in the server by bench/timed_app.py: best "
        f"{server_ms[0]:,.0f} ms, worst {server_ms[-1]:,.0f} ms; in the browser (choose the "
        f"indicator → script done) median {browser_ms:,.0f} ms"
    )
    slides = got["slides"]
    report.figure(
        "Werkplaats: slide change, key press → next slide shown (median)",
        percentile(slides, 50),
        "s",
        0.5,
        why_missed=(
            "the slide is a fragment rerun (one server round trip and the new slide's "
            "figure drawn in Chromium); on this box Chromium draws on the server's own cores"
        ),
    )
    report.note(
        f"{len(slides)} presses at 1920×1080: " + ", ".join(f"{t:.2f}" for t in slides) + " s"
    )
    if not crowd:
        print(
            f"({SESSIONS} concurrent Chromium sessions: not run; they measure the browsers on "
            "the server's own cores. The server under 10/50/100 sessions is measured "
            "browserless above; bench/run.py --browser-crowd runs them)"
        )
        return
    users = got["users"]
    print(f"{SESSIONS} concurrent sessions (one Chromium, one context each, loopback):")
    if not users:
        report.not_measured("concurrent sessions", f"all failed: {'; '.join(got['errors'])}")
        return
    scripts = [u[0] for u in users]
    drawn = [u[1] for u in users]
    switches = [u[2] for u in users]
    runs = sorted(got["runs"])
    cores = os.cpu_count() or 1
    report.figure(
        "concurrent: map page load p95 (map drawn)",
        percentile(drawn, 95),
        "s",
        2,
        why_missed=(
            f"the {SESSIONS} browsers run on the server's own {cores} cores: in "
            f"{got['wall']:.0f} s the machine was busy {got['machine_cpu']:.0f} CPU-s "
            f"(of {got['wall'] * cores:.0f}), of which the server {got['server_cpu']:.0f} "
            "CPU-s and the rest Chromium (page scripts, WebGL in software) and other work. "
            f"Server script runs: {len(runs)}, median {percentile(runs, 50):.2f} s, p95 "
            f"{percentile(runs, 95):.2f} s of wall time while sharing the CPU"
        ),
    )
    report.note(
        f"page load p50 {percentile(drawn, 50):.2f} s; first script run done p50 "
        f"{percentile(scripts, 50):.2f} s, p95 {percentile(scripts, 95):.2f} s; all "
        f"{SESSIONS} sessions done in {got['wall']:.0f} s"
    )
    report.figure(
        "concurrent: indicator change p95",
        percentile(switches, 95),
        "s",
        2,
        why_missed="the same shared CPU, while other sessions are still drawing",
    )
    report.note(f"indicator change p50 {percentile(switches, 50):.2f} s")
    report.figure("concurrent: sessions that failed", got["failed"], "sessions", 0)
    if got["errors"]:
        report.note("; ".join(got["errors"]))
    rss, peak = got["memory"]
    report.note(
        f"server memory (no target set): peak RSS {peak:,.0f} MB, {rss:,.0f} MB after the "
        f"{SESSIONS} sessions"
    )
