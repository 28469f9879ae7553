#!/usr/bin/env bash
# Install everything (first run only) and start the dashboard on the embedded data.
# After the packages are installed no internet is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh requirements.txt
PORT="${PORT:-8501}"
echo "Het dashboard start op http://localhost:${PORT} (stoppen: Ctrl+C)"
# ui/serve.py = streamlit run app.py, warmed up while the browser loads (see its docstring).
exec .venv/bin/python -m ui.serve --server.port "$PORT" --server.address "${ADDRESS:-localhost}"
