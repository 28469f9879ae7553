#!/usr/bin/env bash
# Create .venv (if needed) and install the pinned packages of the given requirements file.
# Used by start.sh and test.sh; reinstalls only when the requirements file changed.
set -euo pipefail
cd "$(dirname "$0")/.."
REQ="${1:-requirements.txt}"
PY="${PYTHON:-python3}"

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 of nieuwer is nodig (gevonden: $("$PY" --version 2>&1))." >&2
    echo "Installeer het met: sudo apt-get install python3" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    if ! "$PY" -m venv .venv; then
        echo "Kan geen virtuele omgeving maken. Installeer: sudo apt-get install python3-venv" >&2
        exit 1
    fi
fi
STAMP=".venv/.installed-$(basename "$REQ")"
if [ ! -f "$STAMP" ] || [ "$REQ" -nt "$STAMP" ] || [ requirements.txt -nt "$STAMP" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$REQ"
    touch "$STAMP"
fi
