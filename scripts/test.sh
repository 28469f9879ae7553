#!/usr/bin/env bash
# Install what the tests need and run the whole suite: lint, types, unit, AppTest and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh requirements-dev.txt

# The browser smoke test drives Debian's Chromium (Playwright cannot download its own here).
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
            >/tmp/sociale-basis-chromium.log 2>&1 \
            || echo "Chromium kon niet worden geïnstalleerd (zie /tmp/sociale-basis-chromium.log)."
    elif sudo -n true 2>/dev/null; then
        (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
            >/tmp/sociale-basis-chromium.log 2>&1 \
            || echo "Chromium kon niet worden geïnstalleerd (zie /tmp/sociale-basis-chromium.log)."
    else
        echo "Geen Chromium en geen root: de browsertests worden overgeslagen (met reden)."
    fi
fi

echo "== lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== types"
.venv/bin/mypy  # files and settings: [tool.mypy] in pyproject.toml
echo "== tests"
.venv/bin/python -m pytest "$@"
