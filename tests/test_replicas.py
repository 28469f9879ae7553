"""Two app processes behind nginx with session affinity (issue #14): scripts/serve-replicas.sh.

Starts the real script on loopback (two Streamlit processes and Debian's nginx), then talks
to it as two browser tabs with the browserless client of bench/st_client.py: each tab gets
its own affinity cookie, loads the survey page and uploads a small CSV (the upload is an HTTP
PUT next to the websocket, so it only works when both reach the same process). Then one
process is stopped: the tab on the other process carries on with its upload intact, and a
new tab reaches the surviving process. Skipped, with the reason, when nginx is not installed
(scripts/test.sh installs it).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from bench.st_client import Session, free_ports
from paths import ROOT

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(
    NGINX is None,
    reason="nginx is not installed (scripts/test.sh installs it: apt-get install nginx)",
)

UPLOADER = "Enquêtebestand (CSV, Excel of SPSS)"
CSV = b"wijk;leeftijd\nWK008010;34\nWK008011;71\nWK008020;52\n"
#: What the survey page says after reading CSV (three respondents, two columns).
READ_OK = "enquete.csv: 3 rijen en 2 kolommen ingelezen."


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    """Run ``scripts/serve-replicas.sh 2``; yield (url, run dir, first app port); stop it."""
    run_dir = tmp_path_factory.mktemp("replicas")
    first = free_ports(3)
    env = {
        **os.environ,
        "RUN_DIR": str(run_dir),
        "PORT": str(first),
        "APP_PORT": str(first + 1),
        "SBD_NO_SETUP": "1",
        "SBD_DEBUG_UPSTREAM": "1",
        "SBD_PYTHON": sys.executable,
        "NGINX": NGINX,
    }
    log = (run_dir / "script.log").open("w")
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "serve-replicas.sh"), "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while not (run_dir / "ready").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                output = (run_dir / "script.log").read_text()
                pytest.fail(f"serve-replicas.sh did not start:\n{output}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{first}", run_dir, first + 1
    finally:
        proc.terminate()  # the script's trap stops nginx and both processes
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


async def open_on_each_process(url: str) -> dict[str, Session]:
    """Open tabs until one is on each of the two processes; close the others."""
    tabs: dict[str, Session] = {}
    for _ in range(20):
        tab = await Session(url, page="enquete", query="gemeente=GM0080").__aenter__()
        if tab.upstream and tab.upstream not in tabs:
            tabs[tab.upstream] = tab
            if len(tabs) == 2:
                return tabs
        else:
            await tab.__aexit__()
    raise AssertionError(f"nginx sent 20 new tabs to {sorted(tabs)} only")


def put_status(url: str, session_id: str, tab: Session) -> tuple[int, str]:
    """PUT the CSV straight to one process for ``session_id``; return (status, body)."""
    boundary = "sbdtest"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="enquete.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + CSV
        + f"\r\n--{boundary}--\r\n".encode()
    )
    req = urllib.request.Request(
        f"{url}/_stcore/upload_file/{session_id}/test-file", data=body, method="PUT"
    )
    req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    req.add_header("X-Xsrftoken", tab._xsrf)
    req.add_header("Cookie", tab._cookies)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, ""
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_two_sessions_upload_through_nginx_and_one_survives_a_stopped_process(replicas):
    url, run_dir, app_port = replicas

    async def scenario() -> None:
        tabs = await open_on_each_process(url)
        try:
            for upstream, tab in tabs.items():
                first = await tab.run()
                assert "Eigen enquête" in first.texts, upstream
                done = await tab.upload(UPLOADER, "enquete.csv", CSV)
                assert READ_OK in done.texts, (upstream, done.texts)

            (up_a, tab_a), (up_b, tab_b) = sorted(tabs.items())
            # Without affinity the upload breaks: the other process does not know the session.
            status, text = await asyncio.to_thread(
                put_status, f"http://{up_b}", tab_a.session_id, tab_a
            )
            assert status == 400 and "Invalid session_id" in text

            # Stop the process of tab A; tab B (the other process) carries on, upload intact.
            index = int(up_a.rsplit(":", 1)[1]) - app_port
            pid = int((run_dir / f"app-{index}.pid").read_text())
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"process {pid} did not stop")
            again = await tab_b.run()
            assert READ_OK in again.texts
            with pytest.raises(ConnectionClosed):
                await tab_a.run(timeout=10)  # its process is gone, and its websocket with it

            # A new tab (new cookie) lands on the surviving process and gets the map.
            async with Session(url, query="gemeente=GM0080&niveau=wijk") as fresh:
                run = await fresh.run()
                assert fresh.upstream == up_b
                assert "Kaart" in run.texts
                assert fresh.widget("Indicator").value == "Eenzaam (RIVM-schatting)"
        finally:
            for tab in tabs.values():
                try:
                    await tab.__aexit__()
                except Exception:  # noqa: BLE001 - tab A's connection is already gone
                    pass

    asyncio.run(asyncio.wait_for(scenario(), 300))


def test_both_processes_started_through_ui_serve_and_warmed_up(replicas):
    _url, run_dir, _app_port = replicas
    for i in (0, 1):
        log = (run_dir / f"app-{i}.log").read_text()
        assert "Local URL" in log or "URL:" in log, log[-500:]
        # ui/serve.py logs a failed warm-up (it then only costs the first page its time).
        assert "warm-up failed" not in log, log[-2000:]


def test_the_config_nginx_runs_is_the_template_filled_in(replicas):
    _url, run_dir, app_port = replicas
    conf = (run_dir / "nginx.conf").read_text()
    assert "@@" not in conf
    assert f"server 127.0.0.1:{app_port} max_fails=1" in conf
    assert f"server 127.0.0.1:{app_port + 1} max_fails=1" in conf
    assert "hash $sbd_affinity_key consistent;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf


def test_nginx_compresses_the_frontend_and_lets_browsers_keep_the_geometry(replicas):
    import gzip
    import re

    url, _run_dir, _app_port = replicas

    def get(path: str) -> tuple[dict[str, str], bytes]:
        req = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return {k.lower(): v for k, v in resp.headers.items()}, resp.read()

    headers, body = get("/")
    page = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    script = re.search(rb'src="\.?(/static/js/index\.[^"]+\.js)"', page)
    assert script, page[:500]
    headers, body = get(script.group(1).decode())
    assert headers.get("content-encoding") == "gzip"
    assert len(gzip.decompress(body)) > 3 * len(body)  # JavaScript packs well
    # Streamlit's own header for its hashed files passes unchanged (nginx adds none there).
    assert headers["cache-control"] == "public, immutable, max-age=31536000"

    async def national_map() -> None:
        async with Session(url, query="kaart=nederland&niveau=wijk") as tab:
            run = await tab.run()
            assert "Kaart van Nederland" in run.texts and not run.exceptions

    asyncio.run(asyncio.wait_for(national_map(), 120))
    files = sorted((ROOT / "static" / "geo").glob("nl-wijken-2024-land-*.json"))
    assert files, "the national map wrote no geometry file"
    headers, body = get(f"/app/static/geo/{files[-1].name}")
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers.get("content-encoding") == "gzip"
    assert b'"FeatureCollection"' in gzip.decompress(body)
