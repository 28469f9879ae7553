"""Shared pytest fixtures."""

from pathlib import Path

import pytest

from paths import ROOT, SHARED_DATA

pytest_plugins = ["tests.odata_fixtures"]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Return the folder of real source files (../shared/data); skip loudly when absent."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"Real source data not found at {SHARED_DATA}; CI provides ../shared.")
    return SHARED_DATA


@pytest.fixture(scope="session")
def project_root() -> Path:
    """Return the project root."""
    return ROOT
