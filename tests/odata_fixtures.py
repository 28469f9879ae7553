"""Pytest plugin: a local CBS OData v3 feed on 127.0.0.1 for the whole test session.

Registered in ``tests/conftest.py`` with ``pytest_plugins = ["tests.odata_fixtures"]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from snapshot_build.replay import LocalFeed, serve


@pytest.fixture(scope="session")
def odata_feed(shared_data: Path) -> Iterator[LocalFeed]:
    """Serve shared/data (KWB, RIVM) and its recorded CBS responses; no network is used."""
    with serve(shared_data, shared_data / "odata_v3_recorded") as feed:
        yield feed


@pytest.fixture(scope="session")
def odata_catalog_url(odata_feed: LocalFeed) -> str:
    """Return the feed's catalogue URL ("http://127.0.0.1:PORT") for ``data.cbs`` functions."""
    return odata_feed.base_url
