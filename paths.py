"""Project paths, built from this file's location (never from the working directory)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
#: The page scripts (layout only). Not in ROOT: Streamlit would take a pages/ folder beside
#: app.py for its legacy file-name navigation and bypass app.py's frame (issue 15, item 3).
PAGES = ROOT / "ui" / "pages"
DATA_DIR = ROOT / "data"
DEFAULT_SNAPSHOT = DATA_DIR / "default"
# Real source files for offline builds and tests live beside the project
# (see shared/data/SOURCES.md).
SHARED_DATA = ROOT.parent / "shared" / "data"

#: Environment variable that points the app at another snapshot folder, such as one written by
#: ``python -m snapshot_build.fetch``; unset, the app shows the embedded snapshot.
SNAPSHOT_ENV = "SOCIALE_BASIS_SNAPSHOT"


def active_snapshot() -> Path:
    """Return the snapshot folder the app shows: ``$SOCIALE_BASIS_SNAPSHOT`` or the embedded one."""
    chosen = os.environ.get(SNAPSHOT_ENV, "").strip()
    return Path(chosen).expanduser().resolve() if chosen else DEFAULT_SNAPSHOT
