#!/usr/bin/env bash
# Install what the tests need and run the whole suite: lint, types, unit, AppTest and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh requirements-dev.txt

# apt_install PACKAGE PROGRAM REASON: install a Debian package the tests need when missing.
apt_install() {
    if [ -x "$2" ]; then
        return
    fi
    local log="/tmp/sociale-basis-$1.log"
    if [ "$(id -u)" = "0" ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1") \
            >"$log" 2>&1 || echo "$1 kon niet worden geïnstalleerd (zie $log)."
    elif sudo -n true 2>/dev/null; then
        (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1") \
            >"$log" 2>&1 || echo "$1 kon niet worden geïnstalleerd (zie $log)."
    else
        echo "Geen $1 en geen root: $3 worden overgeslagen (met reden)."
    fi
}
# The browser smoke test drives Debian's Chromium (Playwright cannot download its own here).
apt_install chromium /usr/bin/chromium "de browsertests"
# Two app processes behind Debian's nginx (tests/test_replicas.py, scripts/serve-replicas.sh).
apt_install nginx /usr/sbin/nginx "de tests met meerdere processen"

echo "== lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== types"
.venv/bin/mypy  # files and settings: [tool.mypy] in pyproject.toml
echo "== tests"
.venv/bin/python -m pytest "$@"
