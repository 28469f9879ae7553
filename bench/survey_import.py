"""A survey at national scale: 500 000 FICTITIOUS respondents through the upload path (#5, #14).

The parent makes the CSV with the example generator (`analysis.survey.example`, every row
made up) and hands it to a child process over a pipe, so nothing is written to disk and the
child's peak memory is the survey's alone. The child times the whole upload path as the
survey page runs it — ``read_survey`` (which reads in its own isolated grandchild, as on the
server) → ``propose_mapping`` / ``apply_mapping`` → ``analyse_survey`` — against a bare
``pyarrow.csv.read_csv`` of the same bytes, measured side by side in the same child, round
by round. It also times the reader in its own process (``isolated=False``: what isolation
costs is the difference), measures the peak memory of the reading grandchild, and profiles
one read and one analysis by CPU time to say where the time goes (function names and
seconds only, never a cell). The same respondents as an SPSS file (as SPSS writes it, with
value labels) go through the same path once or twice: pyreadstat writes only files, so that
file is made through a temporary file (fictitious data only); it is read from memory.

The child ends with ``os._exit`` after writing its figures: a C++ thread of a library
(pyarrow's pools, pyreadstat) still alive while the interpreter tears down its globals makes
libstdc++ call ``std::terminate`` — "terminate called without an active exception", the
crash seen once at 100 000 respondents (the pattern of apache/arrow#34314: an Arrow pool
thread torn down at exit). Nothing is left to flush or clean up by then.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import os
import pickle
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # the child: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Report

RESPONDENTS = 500_000
GEMEENTE = "GM0080"
#: Seconds the child may take before the benchmark gives up on it.
CHILD_TIMEOUT_S = 600
#: Targets of issue #14: whole pipeline, its ratio to a bare pyarrow read, peak memory.
TARGET_S = 3.0
TARGET_RATIO = 5.0
TARGET_PEAK_MB = 1000


def make_input(respondents: int = RESPONDENTS) -> dict:
    """Return the child's input: regions, RIVM reference and the CSV bytes of the survey."""
    from analysis.survey import example as example_survey
    from analysis.survey import pipeline as survey_pipeline
    from data import survey_files
    from data.snapshot import load_snapshot

    snap = load_snapshot()
    regions = survey_pipeline.survey_regions(snap.regions, GEMEENTE)
    rivm = survey_pipeline.rivm_reference(snap.values, regions["code"])
    codes = list(example_survey.wijk_anchors(rivm, regions, GEMEENTE)["code"])
    per_wijk, rest = divmod(respondents, len(codes))
    sizes = {code: per_wijk + (i < rest) for i, code in enumerate(codes)}
    frame = example_survey.generate_example(
        rivm, regions, gemeente_code=GEMEENTE, respondents_per_area=sizes
    )
    content = survey_files.example_bytes(frame, "csv")
    # The same respondents as SPSS writes them (row-compressed .sav, value labels): the form
    # in which a GGD has its Gezondheidsmonitor data.
    sav = survey_files.example_bytes(frame, "sav")
    return {
        "regions": regions,
        "rivm": rivm,
        "content": content,
        "sav": sav,
        "wijken": len(codes),
    }


def _memory_mb(field: str) -> float:
    """Return a VmRSS/VmHWM line of /proc/self/status in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(repeat: int) -> dict:
    """Run the pipeline ``repeat`` times on the input from stdin; return the best times."""
    import pyarrow.csv

    from analysis.survey import columns as mapping
    from analysis.survey import pipeline as survey_pipeline
    from bench import survey_import  # by its package name: the reading child imports it so
    from data import survey
    from data.uploads.isolated import run_isolated

    given = pickle.loads(sys.stdin.buffer.read())
    content, regions, rivm = given["content"], given["regions"], given["rivm"]
    # Count the peak from here: the interpreter, the libraries and the upload itself stay in.
    # (Linux: writing 5 resets VmHWM; elsewhere the peak also covers making the input.)
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    base = _memory_mb("VmRSS")
    best: dict[str, float] = {}

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, float("inf")), seconds)

    def analyse(frame, raw, **more):
        """analyse_survey as the Eigen enquête page calls it, on a file as read."""
        return survey_pipeline.analyse_survey(
            frame,
            regions,
            gemeente_code=GEMEENTE,
            file_name=raw.file_name,
            rivm=rivm,
            row_numbers=raw.row_numbers,
            **more,
        )

    for _ in range(repeat):
        start = time.perf_counter()
        raw = survey.read_survey(content, "enquete.csv")
        read = time.perf_counter()
        proposed = mapping.propose_mapping(
            [str(c) for c in raw.frame.columns], raw.column_labels, raw.value_labels
        )
        frame = mapping.apply_mapping(raw.frame, proposed, file_name=raw.file_name)
        mapped = time.perf_counter()
        result = analyse(frame, raw)
        done = time.perf_counter()
        keep("read", read - start)
        keep("mapping", mapped - read)
        keep("analyse", done - mapped)
        keep("pipeline", done - start)
        del raw, frame
    peak = _memory_mb("VmHWM")  # the upload path's peak, before the profiling pass
    for _ in range(min(repeat, 2)):  # SPSS: ~6 s a round, so two rounds at most
        start = time.perf_counter()
        raw = survey.read_survey(given["sav"], "enquete.sav")
        read = time.perf_counter()
        proposed = mapping.propose_mapping(
            [str(c) for c in raw.frame.columns], raw.column_labels, raw.value_labels
        )
        frame = mapping.apply_mapping(raw.frame, proposed, file_name=raw.file_name)
        sav_result = analyse(frame, raw, value_labels=raw.value_labels)
        done = time.perf_counter()
        keep("sav_read", read - start)
        keep("sav_pipeline", done - start)
        del raw, frame
    for _ in range(repeat):  # the reader in this process: isolation costs the difference
        start = time.perf_counter()
        survey.read_survey(content, "enquete.csv", isolated=False)
        keep("read_here", time.perf_counter() - start)
    # The server runs a page's script in a thread of its own (Streamlit's script runner): the
    # analysis once more that way, a new thread each round (for a note, not the figure).
    raw = survey.read_survey(content, "enquete.csv")
    frame = mapping.apply_mapping(raw.frame, proposed, file_name=raw.file_name)
    for _ in range(repeat):
        keep("analyse_thread", _in_a_thread(lambda: analyse(frame, raw)))
    del raw, frame
    # The bare read last and back to back, at its best: the ratio is then a strict one.
    for _ in range(repeat):
        start = time.perf_counter()
        pyarrow.csv.read_csv(
            io.BytesIO(content), parse_options=pyarrow.csv.ParseOptions(delimiter=";")
        )
        keep("pyarrow", time.perf_counter() - start)
    for _ in range(repeat):  # a reading child that only receives the upload and answers
        start = time.perf_counter()
        run_isolated(survey_import._received, content, where="enquete.csv")
        keep("child_start", time.perf_counter() - start)
    reading_peak, reading_faults = run_isolated(
        survey_import._reading_peak, content, where="enquete.csv"
    )
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    raw = survey.read_survey(content, "enquete.csv", isolated=False)
    profiler.disable()
    reader_hot = _hot_spots(profiler, 6)
    frame = mapping.apply_mapping(raw.frame, proposed, file_name=raw.file_name)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    analyse(frame, raw)
    profiler.disable()
    analysis_hot = _hot_spots(profiler, 6)
    reader_wall = _wall_spots(
        lambda: survey.read_survey(content, "enquete.csv", isolated=False), "_read_csv"
    )
    analysis_wall = _wall_spots(lambda: analyse(frame, raw), "analyse_survey")
    return {
        **best,
        "repeat": repeat,
        "rows": result.respondents,
        "used": result.used,
        "problems": len(result.problems),
        "estimates": len(result.estimates),
        "base_mb": base,
        "peak_mb": peak,
        "reading_peak_mb": reading_peak,
        "reading_faults": reading_faults,
        "sav_used": sav_result.used,
        "sav_mb": len(given["sav"]) / 1e6,
        "reader_hot": reader_hot,
        "analysis_hot": analysis_hot,
        "reader_wall": reader_wall,
        "analysis_wall": analysis_wall,
    }


def _reading_peak(content: bytes, file_name: str = "enquete.csv") -> tuple[float, int]:
    """Read an upload as the reading child does; return its peak RSS in MB and page faults.

    Run through `data.uploads.isolated.run_isolated`, so it is measured in a child forked
    from the same fork server, under the same limits, as `data.survey.read_survey` uses.
    The page faults are those of the read (a page touched for the first time is one).
    """
    import resource

    from data import survey

    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    survey._read_here(content, file_name, None)
    return _memory_mb("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _in_a_thread(run: Callable[[], object]) -> float:
    """Return the seconds ``run`` takes in a new thread (as a script run on the server)."""
    import threading

    took: list[float] = []

    def timed() -> None:
        start = time.perf_counter()
        run()
        took.append(time.perf_counter() - start)

    thread = threading.Thread(target=timed)
    thread.start()
    thread.join()
    return took[0]


def _received(content: bytes) -> int:
    """Return the size of an upload: a reading child that does nothing but receive it."""
    return len(content)


def _wall_spots(run: Callable[[], object], within: str, share: float = 0.02) -> list[str]:
    """Return where the wall time of ``run`` goes: the steps of function ``within``, in ms.

    pyinstrument samples the calling thread by the clock, so time spent waiting on pyarrow's
    or numpy's threads counts where it is waited for (cProfile's CPU time of the process
    counts every thread's work at once). The steps two levels down that take at least
    ``share`` of the time are listed, largest first, as ``function ms`` (no data).
    """
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    run()
    session = profiler.stop()
    found = _frame_named(session.root_frame(), within)
    if found is None:
        return []
    steps = []
    for child in found.children:
        deeper = [c for c in child.children if c.time >= share * found.time and c.children]
        if child.function.startswith("_") and deeper and not child.is_synthetic:
            steps += deeper
        else:
            steps.append(child)
    steps = [f for f in steps if f.time >= share * found.time]
    return [f"{within} {found.time * 1000:,.0f} ms"] + [
        f"{f.function} {f.time * 1000:,.0f} ms" for f in sorted(steps, key=lambda f: -f.time)
    ]


def _frame_named(frame: Any, name: str) -> Any:
    """Return the first frame of a pyinstrument call tree for function ``name``, if any."""
    if frame.function == name:
        return frame
    for child in frame.children:
        found = _frame_named(child, name)
        if found is not None:
            return found
    return None


def _hot_spots(profiler: cProfile.Profile, count: int) -> list[str]:
    """Return the functions with the most own CPU time: ``file:function seconds`` (no data)."""
    profile = pstats.Stats(profiler).get_stats_profile().func_profiles
    rows = sorted(profile.items(), key=lambda item: item[1].tottime, reverse=True)[:count]
    root = str(Path(__file__).resolve().parents[1]) + "/"
    return [
        f"{f.file_name.replace(root, '').rsplit('site-packages/', 1)[-1]}:{f.line_number} "
        f"{name} {f.tottime:.2f} s"
        for name, f in rows
    ]


def run(report: Report, repeat: int) -> None:
    """Measure the 500 000-respondent survey in a child process and print the figures."""
    given = make_input()
    size_mb = len(given["content"]) / 1e6
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(repeat)],
        input=pickle.dumps(given),
        capture_output=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        report.not_measured("survey of 500 000 respondents", proc.stderr.decode()[-500:])
        return
    got = json.loads(proc.stdout)
    print(
        f"survey of {got['rows']:,} fictitious respondents in {given['wijken']} wijken "
        f"(CSV {size_mb:.1f} MB; best of {repeat}, in a child process):"
    )
    isolation = got["read"] - got["read_here"]
    report.figure(
        "survey 500 000: import + mapping + scoring + estimates with CI",
        got["pipeline"],
        "s",
        TARGET_S,
        why_missed=(
            f"read_survey takes {got['read']:.2f} s ({got['read_here']:.2f} s of reading, "
            f"{isolation:.2f} s for the child process: its start with the upload, its fresh "
            f"memory, the answer back), analyse_survey {got['analyse']:.2f} s; where the "
            "time goes is listed below"
        ),
    )
    report.note(
        f"read_survey {got['read'] * 1000:,.0f} ms (in its own process "
        f"{got['read_here'] * 1000:,.0f} ms), mapping {got['mapping'] * 1000:,.0f} ms, "
        f"analyse_survey {got['analyse'] * 1000:,.0f} ms; {got['used']:,} rows used, "
        f"{got['estimates']} estimates, {got['problems']} problems"
    )
    report.note(
        f"analyse_survey in a thread of its own, as the server runs a page: "
        f"{got['analyse_thread'] * 1000:,.0f} ms (glibc keeps a thread's freed memory for "
        "the next run; in the main thread it goes back to the system and every run touches "
        "fresh pages again)"
    )
    report.note(
        f"the reading child: {got['child_start'] * 1000:,.0f} ms to start one that only "
        "receives the upload and answers (a fork of the fork server; the upload written "
        "into a memory file and read from it); the other "
        f"{max(isolation - got['child_start'], 0.0) * 1000:,.0f} ms of isolation are the read "
        "being slower in a fresh process (every page it uses touched for the first time: "
        f"{got['reading_faults']:,} page faults, {got['reading_faults'] * 4 / 1024:,.0f} MB) "
        "and the answer back (pickled into a memory file the server maps: codes, distinct "
        "texts, row numbers)"
    )
    ratio = got["pipeline"] / got["pyarrow"]
    report.figure(
        "survey 500 000: whole pipeline / bare pyarrow.csv.read_csv",
        ratio,
        "×",
        TARGET_RATIO,
        why_missed=(
            f"pyarrow parses the bytes in {got['pyarrow'] * 1000:,.0f} ms on both cores and "
            "checks nothing. read_survey uses the same parser with every cell as text and is "
            f"{got['read_here'] / got['pyarrow']:.1f}× that in this process: it also decodes "
            "the start, finds the header, numbers every row as the file does, codes every "
            "column to its distinct texts on both cores (a Categorical, not 12,5 million "
            "strings; hashing 24 × 500 000 cells is most of the difference) and checks each "
            f"distinct text; the child process adds {isolation * 1000:,.0f} ms (see above: "
            "mostly a fresh process touching every page of the read for the first time). "
            f"The analysis adds {got['analyse'] * 1000:,.0f} ms on one core (the ids are "
            "hashed beside it on the other): answers scored per distinct answer, areas "
            f"matched, {got['estimates']} estimates with CI and suppression, per group of "
            "respondents and per indicator a few numpy passes over the answered rows, summed "
            "in row order so that no digit changes; in the main thread each run also touches "
            "its arrays as fresh pages (in a thread of its own, as on the server, see above)"
        ),
    )
    report.note("reader wall time (one read in this process): " + "; ".join(got["reader_wall"]))
    report.note("analysis wall time: " + "; ".join(got["analysis_wall"]))
    report.note("reader hot spots (own CPU time, one read): " + "; ".join(got["reader_hot"]))
    report.note("analysis hot spots (own CPU time): " + "; ".join(got["analysis_hot"]))
    report.figure(
        "survey 500 000 from SPSS (.sav as SPSS writes it): import + mapping + analysis",
        got["sav_pipeline"],
        "s",
        TARGET_S,
        why_missed=(
            f"read_survey takes {got['sav_read']:.2f} s of it: pyreadstat reads the "
            f"{got['sav_mb']:.1f} MB file in a reading child forked from the upload fork "
            "server (data/sav_child.py), which keeps a crash of its C code away from the server"
        ),
    )
    report.note(f"{got['sav_used']:,} rows used; best of {min(2, got['repeat'])}")
    report.figure(
        "survey 500 000: peak RSS of the importing processes",
        max(got["peak_mb"], got["reading_peak_mb"]),
        "MB",
        TARGET_PEAK_MB,
    )
    report.note(
        f"the reading child {got['reading_peak_mb']:,.0f} MB; the process that analyses "
        f"{got['peak_mb']:,.0f} MB, {got['base_mb']:,.0f} MB of it before the import "
        "(interpreter, libraries, upload)"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.stdout.write(json.dumps(child(int(sys.argv[2]))) + "\n")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # see the module docstring: no C++ thread may outlive the interpreter
    else:
        raise SystemExit("run bench/run.py; this file is its survey part")
