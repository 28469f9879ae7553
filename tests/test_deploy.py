"""The server image files agree with the repository (issue #14).

There is no Docker engine on the development machine, so the image is not built here:
these tests check what can be checked without one — every path the Dockerfile copies or
runs exists, the health check and the user are right, compose.yaml uses roles, variables
and ports the start script knows, and the nginx template's placeholders are exactly the ones
the script fills in. The balancer role itself runs with Debian's nginx when installed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bench.st_client import free_ports
from paths import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = (ROOT / "compose.yaml").read_text(encoding="utf-8")
SCRIPT = (ROOT / "scripts" / "serve-replicas.sh").read_text(encoding="utf-8")
TEMPLATE = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
DOCKERIGNORE = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()


def instructions(name: str) -> list[str]:
    """Return the arguments of every Dockerfile instruction ``name`` (continuations joined)."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [
        line.split(None, 1)[1]
        for line in joined.splitlines()
        if line.split(None, 1)[:1] == [name] and not line.startswith("#")
    ]


def test_every_path_the_dockerfile_copies_exists_and_is_not_ignored():
    copied = []
    for args in instructions("COPY"):
        *sources, _dest = args.split()
        copied += [s for s in sources if not s.startswith("--")]
    assert copied, "no COPY in the Dockerfile"
    for source in copied:
        assert (ROOT / source).exists(), source
        assert source.rstrip("/") not in DOCKERIGNORE, f"{source} is in .dockerignore"
    # What the app needs at run time is all copied: the frame, glue (with ui/pages), core, data I/O,
    # the snapshot, the Streamlit settings and the start script with its nginx template.
    for needed in ("app.py", "paths.py", "analysis", "data", "ui", ".streamlit",
                   "scripts", "deploy", "requirements.txt"):  # fmt: skip
        assert needed in copied, needed
    assert (ROOT / "data" / "default" / "values.parquet").is_file()


def test_the_image_runs_the_start_script_as_a_user_with_a_health_check():
    assert instructions("CMD") == ['["bash", "scripts/serve-replicas.sh"]']
    users = instructions("USER")
    assert users and users[-1] not in ("root", "0")
    (check,) = instructions("HEALTHCHECK")
    assert "/_stcore/health" in check and "PORT" in check
    assert instructions("EXPOSE") == ["8501"]
    # The packages are installed while building, never when the container starts.
    assert "SBD_NO_SETUP=1" in DOCKERFILE and "SBD_NO_SETUP" in SCRIPT
    assert "pip install --no-cache-dir --disable-pip-version-check -r requirements.txt" in (
        " ".join(instructions("RUN"))
    )
    # The national map's geometry files are written while building, as root (issue 10).
    runs = instructions("RUN")
    assert ".venv/bin/python -m ui.national_map" in runs
    assert runs.index(".venv/bin/python -m ui.national_map") == len(runs) - 1
    assert DOCKERFILE.index("-m ui.national_map") < DOCKERFILE.index("USER sbd")


def test_compose_uses_roles_and_variables_the_start_script_knows():
    roles = set(re.findall(r"SBD_ROLE: (\w+)", COMPOSE))
    assert roles == {"app", "balancer"}
    for role in roles:
        assert re.search(rf"^{role}\)$", SCRIPT, re.MULTILINE), role
    for variable in set(re.findall(r"^\s+([A-Z_]+): ", COMPOSE, re.MULTILINE)):
        assert f"{variable}" in SCRIPT, variable
    assert "UPSTREAMS: app:8501" in COMPOSE
    assert '"${PUBLISH_PORT:-8501}:8501"' in COMPOSE
    assert "internal: true" in COMPOSE  # app containers have no route out


def test_the_template_placeholders_are_exactly_the_ones_the_script_fills_in():
    in_template = set(re.findall(r"@@([A-Z_]+)@@", TEMPLATE))
    filled = set(re.findall(r"conf//@@([A-Z_]+)@@/", SCRIPT))
    assert in_template == filled == {"RUN_DIR", "LISTEN", "UPSTREAM_SERVERS", "EXTRA_HEADERS"}


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/test.sh installs it)")
def test_the_balancer_role_of_compose_starts_nginx_alone(tmp_path):
    port = free_ports(1)
    env = {
        **os.environ,
        "SBD_ROLE": "balancer",
        "UPSTREAMS": "127.0.0.1:9 127.0.0.1:10",  # nothing listens there: nginx still starts
        "ADDRESS": "127.0.0.1",
        "PORT": str(port),
        "RUN_DIR": str(tmp_path),
        "NGINX": NGINX,
    }
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "serve-replicas.sh")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline, body = time.monotonic() + 30, b""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_sbd/nginx-health", timeout=2
                ) as resp:
                    body = resp.read()
                    break
            except OSError:
                time.sleep(0.1)
        assert body == b"ok"
        conf = (tmp_path / "nginx.conf").read_text()
        assert "server 127.0.0.1:9 max_fails=1" in conf
        assert "server 127.0.0.1:10 max_fails=1" in conf
        assert "X-Sbd-Upstream" not in conf  # the debug header only when asked for
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
