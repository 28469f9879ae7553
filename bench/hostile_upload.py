"""A hostile upload on a real server: does another session stay responsive? (issue 13).

``python bench/hostile_upload.py`` starts ``streamlit run app.py`` on 127.0.0.1, opens the map
in one browser session (B) and, in another (A), uploads a hostile Excel file on the survey
page: a sheet of 2 000 000 filled cells in a 0.1 MB zip (openpyxl needs some 20 s of CPU for
it). While A's file is read, B reloads the map again and again and the health check is polled;
the figures are compared with the same measured without the upload. The server's and its
children's peak memory come from /proc. Loopback only; bounded in count and time; all
processes are stopped in ``finally``.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.app_browser import ARGS, CHROMIUM, MAP_URL, server, wait_healthy  # noqa: E402
from bench.common import Report, load_text, percentile  # noqa: E402
from paths import ROOT  # noqa: E402

#: The hostile sheet: rows × columns of filled cells (under the reader's 5 000 000 cap).
ROWS, COLUMNS = 2_000, 1_000
RELOADS = 5
WAIT_MS = 400_000


def hostile_workbook() -> bytes:
    """Return the hostile .xlsx (the corpus builder of tests/test_uploads.py)."""
    from tests.test_uploads import bomb_workbook

    return bomb_workbook(rows=ROWS, columns=COLUMNS)


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                kids = [int(k) for k in task.read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


class Watcher(threading.Thread):
    """Poll the health check and the memory of the server and its children until stopped."""

    def __init__(self, url: str, pid: int) -> None:
        super().__init__(daemon=True)
        self.url, self.pid = url, pid
        self.stop = threading.Event()
        self.health: list[float] = []
        self.child_peak_kb = 0

    def run(self) -> None:
        """Poll every 0.2 s until `stop` is set."""
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=30) as r:
                    r.read()
            except OSError:
                pass
            self.health.append(time.perf_counter() - start)
            for child in _descendants(self.pid):
                self.child_peak_kb = max(self.child_peak_kb, _status_kb(child, "VmRSS"))
            time.sleep(0.2)


def wait_app(page) -> None:
    """Wait on the app's own signals: connected, script not running, no skeleton."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=WAIT_MS
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS
    )
    page.locator("[data-testid='stSkeleton']").first.wait_for(state="detached", timeout=WAIT_MS)


def reload_times(page, url: str, count: int) -> list[float]:
    """Return the seconds each of ``count`` map loads took in session B."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        page.goto(url + MAP_URL)
        wait_app(page)
        times.append(time.perf_counter() - start)
    return times


def run(report: Report) -> None:
    """Measure session B and the health check with and without a hostile upload in A."""
    from playwright.sync_api import FilePayload, sync_playwright

    content = hostile_workbook()
    with server(ROOT / "app.py") as (url, pid, _), sync_playwright() as p:
        wait_healthy(url)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page_b = browser.new_page()
            reload_times(page_b, url, 1)  # warm: caches and the first import
            watcher = Watcher(url, pid)
            watcher.start()
            quiet = reload_times(page_b, url, RELOADS)
            quiet_health = list(watcher.health)
            page_a = browser.new_page()
            page_a.goto(url + "/enquete?gemeente=GM0080")
            wait_app(page_a)
            upload = page_a.locator("[data-testid='stFileUploaderDropzoneInput']").first
            started = time.perf_counter()
            payload = FilePayload(
                name="enquete.xlsx",
                mimeType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                buffer=content,
            )
            upload.set_input_files(files=[payload])
            before = len(watcher.health)
            busy = reload_times(page_b, url, RELOADS)
            busy_health = watcher.health[before:]
            wait_app(page_a)
            read_s = time.perf_counter() - started
            shown = page_a.locator("[data-testid='stAlert']").all_inner_texts()
            watcher.stop.set()
            watcher.join(timeout=40)
        finally:
            browser.close()
        server_peak_mb = _status_kb(pid, "VmHWM") / 1024
    print(f"hostile sheet: {ROWS:,} × {COLUMNS:,} cells in {len(content) / 1e6:.2f} MB")
    print(f"  session A saw: {[s[:140] for s in shown][:2]}")
    report.figure("hostile upload: session A waited for its answer", read_s, "s", 130)
    report.figure("map reload in session B, no upload (median)", statistics.median(quiet), "s", 5)
    report.figure(
        "map reload in session B while A's hostile file is read (median)",
        statistics.median(busy),
        "s",
        max(5.0, 2 * statistics.median(quiet)),
    )
    report.figure(
        "health check p95, no upload", percentile(quiet_health, 95) if quiet_health else 0, "s", 1
    )
    report.figure(
        "health check p95 while A's file is read",
        percentile(busy_health, 95) if busy_health else 0,
        "s",
        1,
    )
    report.figure("server peak RSS (VmHWM)", server_peak_mb, "MB", 2048)
    report.figure("reading child's peak RSS seen", watcher.child_peak_kb / 1024, "MB", 2048)


def main() -> int:
    """Run the benchmark and print its figures."""
    report = Report()
    print(f"machine: {load_text()}")
    run(report)
    print(f"machine: {load_text()}")
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
