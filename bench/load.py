"""Load test that measures the server, not a browser (issue #14).

Browserless sessions (bench/st_client.py speaks Streamlit's websocket protocol) open the map
page and the wijkprofiel with query parameters, then each changes a widget after a
randomised think time and times the rerun until ``script_finished``. Three parts:

* **sessions** — for N = 10, 50, 100 users on a fresh ``streamlit run app.py``: rerun
  p50/p95, page loads while the others arrive, errors, the server's CPU and what each
  session adds to its resident memory (the snapshot and caches are shared; measured from
  the RSS with all N sessions open against the RSS with one).
* **saturation** — k sessions with no think time (closed loop, k = 1, 2, 4, …): the reruns
  per second one process sustains while p95 stays ≤ 1 s.
* **replicas** — the same saturation run through nginx in front of one and of two
  processes (scripts/serve-replicas.sh), for the one-vs-two-process throughput.
* **cold start** — ``python -m ui.serve`` started afresh, one session asks for the page the
  moment the server answers: seconds from process start to that page's script finished
  (complete, server side; a browser also loads the frontend, which the warm-up overlaps),
  with the warm-up (ui/serve.py) and without it (``SBD_NO_WARMUP=1``) side by side.

Everything is on 127.0.0.1, with a fixed number of sessions and reruns, a timeout on every
wait and on every part, and each server stopped in ``finally``. ``python bench/load.py``
runs it alone (``--quick`` for a smoke run); ``bench/run.py`` calls ``run()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # type: ignore[import-untyped]

from bench.app_browser import free_port, server, wait_healthy
from bench.common import Report, load_text, percentile
from bench.st_client import Session, free_ports
from paths import ROOT
from ui import serve


@dataclass(frozen=True)
class Scenario:
    """A page opened with query parameters, and the widget its users change."""

    name: str
    page: str
    query: str
    widget: str
    #: A widget each user first sets to a random other value (a gemeente of their own), so
    #: the views the pages share are mostly not made yet: the load of first visits.
    spread: str = ""
    #: Session counts of this scenario (default `SESSION_COUNTS`).
    counts: tuple[int, ...] = ()


SCENARIOS = (
    Scenario("kaart", "", "gemeente=GM0080&niveau=wijk", "Indicator"),
    Scenario("wijkprofiel", "profiel", "gemeente=GM0080", "Wijk"),
    # Every user on a gemeente of their own: first visits, views not shared yet.
    Scenario(
        "kaart, elk een eigen gemeente",
        "",
        "gemeente=GM0080&niveau=wijk",
        "Indicator",
        spread="Gemeente",
        counts=(50,),
    ),
)
BASE_SCENARIOS = tuple(sc for sc in SCENARIOS if not sc.spread)
SESSION_COUNTS = (10, 50, 100)
#: A user looks at the page before the next choice: seconds, uniformly drawn.
THINK_S = (5.0, 15.0)
#: Widget changes per session after its page load.
CHANGES = 3
#: New users per second while the N sessions open (they do not all arrive in one instant).
ARRIVALS_PER_S = 5.0
#: Closed-loop concurrency steps of the saturation run, and seconds per step.
SATURATION_STEPS = (1, 2, 4, 8, 16)
SATURATION_STEP_S = 15.0
P95_TARGET_S = 1.0
#: What one more open session may add to the server's resident memory. The snapshot and the
#: caches are shared; a session holds its widget state (and an uploaded survey, only its own).
MEMORY_PER_SESSION_MB = 2.0
#: Seconds the warm-up (ui/serve.py) takes for its steps after the default map (~2 s of CPU);
#: they wait for `serve.QUIET_S` without a script run first. A measured part starts on a warm
#: server: `WARM_S` after the last script run, or after the start when nobody came yet.
WARM_UP_TAIL_S = 5.0
WARM_S = serve.QUIET_S + WARM_UP_TAIL_S
#: Hard limit on any one part, whatever happens.
PART_LIMIT_S = 600


@dataclass
class Tally:
    """What the sessions of one run measured."""

    opens: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    opened: int = 0
    first: int = 1
    first_open: asyncio.Event = field(default_factory=asyncio.Event)
    all_open: asyncio.Event = field(default_factory=asyncio.Event)

    def error(self, err: BaseException) -> None:
        """Count a failed session or rerun, keeping a short message (never page content)."""
        self.errors.append(f"{type(err).__name__}: {err}"[:160])


def _other_value(session: Session, label: str, rng: random.Random) -> str:
    widget = session.widget(label)
    return rng.choice([o for o in widget.options if o != widget.value])


async def _user(
    url: str, sc: Scenario, delay: float, changes: int, rng: random.Random, tally: Tally, n: int
) -> None:
    """One user: arrive after ``delay``, load the page, change the widget ``changes`` times."""
    await asyncio.sleep(delay)
    try:
        async with Session(url, page=sc.page, query=sc.query) as session:
            try:
                tally.opens.append((await session.run()).seconds)
            finally:
                tally.opened += 1
                if tally.opened == tally.first:
                    tally.first_open.set()
                if tally.opened == n:
                    tally.all_open.set()
            if sc.spread:
                await asyncio.sleep(rng.uniform(*THINK_S))
                value = _other_value(session, sc.spread, rng)
                tally.reruns.append((await session.run({sc.spread: value})).seconds)
                session.set_value(sc.spread, value)
            for _ in range(changes):
                await asyncio.sleep(rng.uniform(*THINK_S))
                value = _other_value(session, sc.widget, rng)
                tally.reruns.append((await session.run({sc.widget: value})).seconds)
                session.set_value(sc.widget, value)
            await tally.all_open.wait()  # stay connected until everyone is in (memory figure)
    except Exception as err:  # noqa: BLE001 - a load test counts failures, it does not stop
        tally.error(err)


def _rss_mb(proc: psutil.Process) -> float:
    return proc.memory_info().rss / 2**20


def _cpu_s(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


async def sessions_run(url: str, pid: int, sc: Scenario, n: int, changes: int, seed: int) -> dict:
    """N users on one warm server; return the figures of the run."""
    proc = psutil.Process(pid)
    rng = random.Random(seed)
    async with Session(url, page=sc.page, query=sc.query) as warm:  # one user stays, as base
        await warm.run()
        await asyncio.sleep(WARM_S)  # the warm-up's later steps, not in the measured part
        base_rss, cpu0, wall0 = _rss_mb(proc), _cpu_s(proc), time.perf_counter()
        client0 = time.process_time()
        # Memory per session is the slope between a tenth of the sessions and all of them, in
        # one process: the RSS right after start still moves (warm-up, allocator) by more
        # than what one session adds.
        tally = Tally(first=max(1, n // 10))
        users = [
            _user(url, sc, i / ARRIVALS_PER_S, changes, random.Random(rng.random()), tally, n)
            for i in range(n)
        ]
        gathered = asyncio.gather(*users)
        await asyncio.wait_for(tally.first_open.wait(), PART_LIMIT_S)
        first_rss = _rss_mb(proc)
        await asyncio.wait_for(tally.all_open.wait(), PART_LIMIT_S)
        open_rss = _rss_mb(proc)
        await asyncio.wait_for(gathered, PART_LIMIT_S)
        wall = time.perf_counter() - wall0
    return {
        "tally": tally,
        "base_rss": base_rss,
        "first_rss": first_rss,
        "first": tally.first,
        "open_rss": open_rss,
        "server_cpu": _cpu_s(proc) - cpu0,
        "client_cpu": time.process_time() - client0,
        "wall": wall,
    }


async def closed_loop(url: str, sc: Scenario, k: int, seconds: float, seed: int) -> dict:
    """Run ``k`` users changing the widget back to back for ``seconds``; return reruns/s."""
    rng = random.Random(seed)
    sessions = [Session(url, page=sc.page, query=sc.query) for _ in range(k)]
    tally = Tally()
    try:
        for session in sessions:
            await session.__aenter__()
        await asyncio.gather(*(s.run() for s in sessions))
        stop = time.perf_counter() + seconds

        async def loop(session: Session, rng: random.Random) -> None:
            while time.perf_counter() < stop:
                value = _other_value(session, sc.widget, rng)
                try:
                    tally.reruns.append((await session.run({sc.widget: value})).seconds)
                except Exception as err:  # noqa: BLE001
                    tally.error(err)
                    return
                session.set_value(sc.widget, value)

        start = time.perf_counter()
        await asyncio.wait_for(
            asyncio.gather(*(loop(s, random.Random(rng.random())) for s in sessions)),
            seconds + PART_LIMIT_S,
        )
        wall = time.perf_counter() - start
    finally:
        for session in sessions:
            with contextlib.suppress(Exception):
                await session.__aexit__()
    return {"k": k, "rate": len(tally.reruns) / wall, "tally": tally}


async def saturation(url: str, sc: Scenario, steps: tuple[int, ...], step_s: float) -> list[dict]:
    """Run the closed-loop steps until p95 passes the target twice; return every step."""
    results, over = [], 0
    for i, k in enumerate(steps):
        got = await closed_loop(url, sc, k, step_s, seed=100 + i)
        reruns = got["tally"].reruns
        got["p50"] = percentile(reruns, 50) if reruns else float("nan")
        got["p95"] = percentile(reruns, 95) if reruns else float("nan")
        results.append(got)
        over += not got["p95"] <= P95_TARGET_S
        if over >= 2:
            break
    return results


def best_rate(steps: list[dict]) -> dict | None:
    """Return the step with the most reruns/s among those with p95 in target and no errors."""
    ok = [s for s in steps if s["p95"] <= P95_TARGET_S and not s["tally"].errors]
    return max(ok, key=lambda s: s["rate"]) if ok else None


@contextlib.contextmanager
def replicas(count: int) -> Iterator[tuple[str, int]]:
    """Run ``scripts/serve-replicas.sh count`` on loopback; yield (nginx's URL, pid); stop it."""
    port = free_port()
    with tempfile.TemporaryDirectory() as run_dir:
        env = {
            **os.environ,
            "RUN_DIR": run_dir,
            "PORT": str(port),
            "APP_PORT": str(free_port()),
            "SBD_NO_SETUP": "1",
            "SBD_PYTHON": sys.executable,
        }
        if count > 1:  # consecutive app ports: find a free block
            env["APP_PORT"] = str(free_ports(count))
        with open(Path(run_dir) / "script.log", "w") as log:
            proc = subprocess.Popen(
                ["bash", str(ROOT / "scripts" / "serve-replicas.sh"), str(count)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                deadline = time.monotonic() + 240
                while not (Path(run_dir) / "ready").exists():
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError((Path(run_dir) / "script.log").read_text()[-1000:])
                    time.sleep(0.2)
                yield f"http://127.0.0.1:{port}", proc.pid
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)


def _nginx() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


async def _measure_sessions(sc: Scenario, counts: tuple[int, ...], changes: int) -> list[dict]:
    out = []
    for n in counts:
        with server(ROOT / "app.py") as (url, pid, _started):
            await asyncio.to_thread(wait_healthy, url, 120)
            got = await sessions_run(url, pid, sc, n, changes, seed=n)
            got["n"] = n
            out.append(got)
            print(f"  ({sc.name}, {n} sessions done; {load_text()})", flush=True)
    return out


async def _measure_saturation(sc: Scenario, steps: tuple[int, ...], step_s: float) -> dict:
    with server(ROOT / "app.py") as (url, pid, _started):
        await asyncio.to_thread(wait_healthy, url, 120)
        await asyncio.sleep(WARM_S)  # a warm server (the warm-up done)
        proc = psutil.Process(pid)
        cpu0, client0 = _cpu_s(proc), time.process_time()
        got = await saturation(url, sc, steps, step_s)
        return {
            "steps": got,
            "server_cpu": _cpu_s(proc) - cpu0,
            "client_cpu": time.process_time() - client0,
        }


def _tree_cpu(pid: int) -> tuple[float, float]:
    """Return CPU seconds of (app processes, nginx processes) under a replicas script."""
    app = nginx = 0.0
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "nginx" in child.name():
                nginx += _cpu_s(child)
            elif "python" in child.name():
                app += _cpu_s(child)
    return app, nginx


async def _measure_replicas(sc: Scenario, steps: tuple[int, ...], step_s: float) -> dict:
    out = {}
    for count in (1, 2):
        with replicas(count) as (url, pid):
            await asyncio.sleep(WARM_S)  # warm servers (each replica's warm-up done)
            app0, nginx0 = _tree_cpu(pid)
            client0, wall0 = time.process_time(), time.perf_counter()
            got = await saturation(url, sc, steps, step_s)
            app1, nginx1 = _tree_cpu(pid)
            out[count] = {
                "steps": got,
                "wall": time.perf_counter() - wall0,
                "client_cpu": time.process_time() - client0,
                "app_cpu": app1 - app0,
                "nginx_cpu": nginx1 - nginx0,
            }
    return out


#: Cold starts per variant (with and without the warm-up), alternating; the best counts.
COLD_STARTS = 3
COLD_TARGET_S = 3.0


async def cold_start(sc: Scenario, *, warm_up: bool) -> dict:
    """Start a fresh server; return seconds from process start to health and to a full page.

    The session opens the moment ``/_stcore/health`` answers, so this is the server's side of
    a cold start: a browser only asks for the page after it has loaded the frontend.
    """
    env = {} if warm_up else {"SBD_NO_WARMUP": "1"}
    with server(ROOT / "app.py", env) as (url, pid, started):
        await asyncio.to_thread(wait_healthy, url, 120)
        healthy = time.perf_counter() - started
        async with Session(url, page=sc.page, query=sc.query) as session:
            await session.run()
        done = time.perf_counter() - started
        proc = psutil.Process(pid)
        return {"healthy": healthy, "page": done, "cpu": _cpu_s(proc), "rss": _rss_mb(proc)}


def cold_starts(report: Report, count: int = COLD_STARTS) -> None:
    """Measure cold starts with and without the warm-up, alternating, and print them."""
    print(f"cold start, browserless (python -m ui.serve; {load_text()}):")
    for sc in BASE_SCENARIOS:
        got: dict[bool, list[dict]] = {True: [], False: []}
        try:
            for _ in range(count):
                for warm in (True, False):
                    got[warm].append(asyncio.run(cold_start(sc, warm_up=warm)))
        except Exception as err:  # noqa: BLE001 - a benchmark reports
            report.not_measured(f"cold start {sc.name}", f"{type(err).__name__}: {err}"[:300])
            continue
        best = min(got[True], key=lambda g: g["page"])
        report.figure(
            f"cold start to a complete {sc.name} page (server side, with warm-up, best of {count})",
            best["page"],
            "s",
            COLD_TARGET_S,
            why_missed="imports and the first reads on a shared 2-core machine (see below)",
        )
        plain = min(got[False], key=lambda g: g["page"])

        def each(runs: list[dict]) -> str:
            return ", ".join(f"{g['page']:.2f}" for g in runs)

        report.note(
            f"server answers {best['healthy']:.2f} s, page done {best['page']:.2f} s (all: "
            f"{each(got[True])} s); without warm-up answers {plain['healthy']:.2f} s, page "
            f"{plain['page']:.2f} s (all: {each(got[False])} s); process CPU at that moment "
            f"{best['cpu']:.2f} s, RSS {best['rss']:,.0f} MB; {load_text()}"
        )


def _steps_text(steps: list[dict]) -> str:
    return "; ".join(
        f"k={s['k']}: {s['rate']:.1f}/s p95 {s['p95']:.2f} s"
        + (f" ({len(s['tally'].errors)} errors)" if s["tally"].errors else "")
        for s in steps
    )


def run(
    report: Report,
    repeat: int,
    *,
    quick: bool = False,
    only: str | None = None,
    counts: tuple[int, ...] | None = None,
) -> None:
    """Measure the server under browserless sessions and print the figures.

    ``only`` runs one part (``cold``, ``sessions``, ``saturation`` or ``replicas``);
    ``counts`` replaces the session counts of the sessions part.
    """
    only_counts = counts is not None
    counts = counts or ((10, 50) if quick else SESSION_COUNTS)
    changes = 2 if quick else CHANGES
    step_s = 8.0 if quick else SATURATION_STEP_S
    steps = SATURATION_STEPS[:4] if quick else SATURATION_STEPS
    if only in (None, "cold"):
        cold_starts(report, 2 if quick else COLD_STARTS)
    if only in (None, "sessions"):
        print(
            f"server under load (browserless websocket sessions, bench/st_client.py; think time "
            f"{THINK_S[0]:g}–{THINK_S[1]:g} s, {changes} changes per session, "
            f"{ARRIVALS_PER_S:g} new sessions/s; {load_text()}):"
        )
        for sc in SCENARIOS:
            try:
                wanted = counts if only_counts or not sc.counts else sc.counts
                runs = asyncio.run(_measure_sessions(sc, wanted, changes))
            except Exception as err:  # noqa: BLE001 - a benchmark reports
                report.not_measured(f"load {sc.name}", f"{type(err).__name__}: {err}"[:300])
                continue
            for got in runs:
                _report_sessions(report, sc, got)
    if only in (None, "saturation"):
        for sc in BASE_SCENARIOS:
            _saturation_part(report, sc, steps, step_s)
    if only in (None, "replicas"):
        _replicas_part(report, steps, step_s)


def _saturation_part(report: Report, sc: Scenario, steps: tuple[int, ...], step_s: float) -> None:
    try:
        got = asyncio.run(_measure_saturation(sc, steps, step_s))
    except Exception as err:  # noqa: BLE001
        report.not_measured(f"saturation {sc.name}", f"{type(err).__name__}: {err}"[:300])
        return
    best = best_rate(got["steps"])
    total = sum(len(s["tally"].reruns) for s in got["steps"])
    report.figure(
        f"{sc.name}: reruns/s one process sustains with p95 ≤ {P95_TARGET_S:g} s",
        best["rate"] if best else 0.0,
        "reruns/s",
        5,
        lower_is_better=False,
        why_missed="the server's CPU per rerun (below) on a shared 2-core machine",
    )
    report.note(
        f"closed loop, no think time, {step_s:g} s per step: {_steps_text(got['steps'])}; "
        f"server CPU {got['server_cpu'] / max(total, 1) * 1000:,.0f} ms per rerun, load "
        f"client CPU {got['client_cpu'] / max(total, 1) * 1000:,.0f} ms per rerun; "
        f"{load_text()}"
    )


def _replicas_part(report: Report, steps: tuple[int, ...], step_s: float) -> None:
    if _nginx() is None:
        report.not_measured("one vs two processes", "nginx is not installed")
        return
    sc = SCENARIOS[0]
    try:
        got = asyncio.run(_measure_replicas(sc, steps, step_s))
    except Exception as err:  # noqa: BLE001
        report.not_measured("one vs two processes", f"{type(err).__name__}: {err}"[:300])
        return
    one, two = best_rate(got[1]["steps"]), best_rate(got[2]["steps"])
    one_rate = one["rate"] if one else 0.0
    two_rate = two["rate"] if two else 0.0
    cores = os.cpu_count() or 1
    # What the machine had for the servers: the cores minus what the load client (this
    # process) and nginx used meanwhile. Two processes can only gain from a free core.
    client = got[2]["client_cpu"] / got[2]["wall"]
    used = {k: got[k]["app_cpu"] / got[k]["wall"] for k in (1, 2)}
    report.figure(
        f"{sc.name} behind nginx: two processes / one process, reruns/s at p95 ≤ 1 s",
        two_rate / one_rate if one_rate else 0.0,
        "×",
        1.5,
        lower_is_better=False,
        why_missed=(
            f"the two app processes together got {used[2]:.2f} core against {used[1]:.2f} for "
            f"one ({used[2] / used[1] if used[1] else 0:.2f}×): a second process only adds "
            f"the CPU the machine has free. Of the {cores} cores the load client used "
            f"{client:.2f} core and nginx {got[2]['nginx_cpu'] / got[2]['wall']:.2f}; the rest "
            "went to other work on the machine"
        ),
    )
    report.note(f"one process {one_rate:.1f}/s ({_steps_text(got[1]['steps'])})")
    report.note(
        f"two processes {two_rate:.1f}/s ({_steps_text(got[2]['steps'])}); app processes "
        f"used {used[1]:.2f} core (one) and {used[2]:.2f} core (two); {load_text()}"
    )


def _report_sessions(report: Report, sc: Scenario, got: dict) -> None:
    tally, n = got["tally"], got["n"]
    reruns = tally.reruns
    if not reruns:
        report.not_measured(f"{sc.name}, {n} sessions", "; ".join(tally.errors[:3]) or "no reruns")
        return
    report.figure(
        f"{sc.name}, {n} sessions: rerun p95",
        percentile(reruns, 95),
        "s",
        P95_TARGET_S,
        why_missed=(
            f"{len(reruns)} reruns in {got['wall']:.0f} s on one process: the server used "
            f"{got['server_cpu']:.0f} CPU-s ({got['server_cpu'] / got['wall'] * 100:.0f} % of one "
            "core; Python runs one script at a time per process)"
        ),
    )
    extra = n - got["first"]
    per_session = (got["open_rss"] - got["first_rss"]) / extra if extra else float("nan")
    report.note(
        f"rerun p50 {percentile(reruns, 50):.2f} s; page load while the others arrive p50 "
        f"{percentile(tally.opens, 50):.2f} s, p95 {percentile(tally.opens, 95):.2f} s; "
        f"{len(tally.errors)} errors; server CPU {got['server_cpu']:.0f} s in {got['wall']:.0f} s "
        f"({got['server_cpu'] / (len(reruns) + len(tally.opens)) * 1000:,.0f} ms per script run), "
        f"client CPU {got['client_cpu']:.0f} s; RSS {got['base_rss']:,.0f} MB with one session, "
        f"{got['first_rss']:,.0f} MB with {got['first'] + 1}, {got['open_rss']:,.0f} MB with "
        f"{n + 1} → {per_session:,.2f} MB per session"
    )
    if n >= 50:  # with fewer sessions the slope drowns in the allocator's own movement
        report.figure(
            f"{sc.name}, {n} sessions: resident memory each session adds",
            per_session,
            "MB",
            MEMORY_PER_SESSION_MB,
            why_missed="see the RSS figures above",
        )
    report.figure(f"{sc.name}, {n} sessions: errors", len(tally.errors), "errors", 0)
    if tally.errors:
        report.note("; ".join(sorted(set(tally.errors))[:3]))


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sessions, shorter steps")
    parser.add_argument(
        "--only",
        choices=("cold", "sessions", "saturation", "replicas"),
        help="run one part only (default: every part)",
    )
    parser.add_argument("--counts", help="session counts of the sessions part, e.g. 10,50")
    args = parser.parse_args()
    # SIGTERM (timeout, kill) unwinds like Ctrl+C, so every server is stopped in its finally.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    rep = Report()
    print(f"machine: {load_text()}")
    counts = tuple(int(c) for c in args.counts.split(",")) if args.counts else None
    run(rep, 1, quick=args.quick, only=args.only, counts=counts)
    print(f"machine: {load_text()}")
    print(rep.summary())
