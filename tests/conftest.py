"""Shared pytest fixtures."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from paths import ROOT, SHARED_DATA

pytest_plugins = ["tests.odata_fixtures"]

# Property tests check correctness, not speed (speed lives in bench/): no per-example deadline,
# which on a loaded 2-core CI box fails tests for timing alone.
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")


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
