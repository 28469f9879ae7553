"""PDOK "CBS Wijken en Buurten" boundaries through OGC API Features, page by page.

``https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1/collections/{wijken|buurten}/items``
answers GeoJSON pages of at most 1 000 features; the next page is the link with ``rel="next"``.
The base URL is injectable so tests point it at the local replay (`snapshot_build.replay`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import requests

PDOK_URL = "https://api.pdok.nl"
#: Largest page PDOK serves.
PAGE_SIZE = 1000
#: Seconds to wait for one page.
TIMEOUT = 60
#: Give up after this many pages (a loop of next links would never end).
MAX_PAGES = 500


class PdokError(RuntimeError):
    """Boundaries could not be fetched; the message says why, in Dutch."""


def items_url(base_url: str, year: int, collection: str) -> str:
    """Return the items URL of a collection of a year.

    Examples
    --------
    >>> items_url("https://api.pdok.nl", 2024, "wijken")
    'https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1/collections/wijken/items'
    """
    return (
        f"{base_url.rstrip('/')}/cbs/wijken-en-buurten-{year}/ogc/v1/collections/{collection}/items"
    )


def next_link(page: dict[str, Any]) -> str | None:
    """Return the ``rel="next"`` link of a page, or None on the last page.

    Examples
    --------
    >>> next_link({"links": [{"rel": "self", "href": "a"}, {"rel": "next", "href": "b"}]})
    'b'
    >>> next_link({"links": [{"rel": "self", "href": "a"}]}) is None
    True
    """
    for link in page.get("links") or []:
        if link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def features(
    base_url: str,
    year: int,
    collection: str,
    gemeente_code: str,
    *,
    page_size: int = PAGE_SIZE,
    progress: Callable[[str], None] = lambda _msg: None,
    session: requests.Session | None = None,
) -> list[dict[str, Any]]:
    """Fetch every feature of a gemeente in one collection, following ``next`` links.

    Parameters
    ----------
    base_url : str
        ``PDOK_URL`` or a local replay (``http://127.0.0.1:PORT``).
    year : int
        Year of the indeling.
    collection : {"wijken", "buurten"}
    gemeente_code : str
        ``GM0193``; PDOK filters on the ``gemeentecode`` property.
    page_size : int
        Features per page (PDOK serves at most 1 000).
    progress : callable
        Called with a Dutch line after every page.

    Returns
    -------
    list of dict
        GeoJSON features (WGS84).

    Raises
    ------
    PdokError
        No connection, a year or collection PDOK does not have, an answer that is not a page of
        features, or paging cut off after some pages (the message says after how many).
    """
    http = session or requests.Session()
    url: str | None = items_url(base_url, year, collection)
    params: dict[str, Any] | None = {"f": "json", "limit": page_size, "gemeentecode": gemeente_code}
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    pages = 0
    while url is not None:
        if url in seen or pages >= MAX_PAGES:
            raise PdokError(
                f"PDOK {collection} {year}: het bladeren houdt niet op (pagina {pages + 1} "
                "verwijst terug); de grenzen zijn niet volledig opgehaald."
            )
        seen.add(url)
        page = _get(http, url, params, collection, year, pages, len(found))
        batch = page.get("features")
        if page.get("type") != "FeatureCollection" or not isinstance(batch, list):
            raise PdokError(
                f"PDOK {collection} {year}: het antwoord op pagina {pages + 1} is geen "
                f"GeoJSON FeatureCollection ({url})."
            )
        found.extend(batch)
        pages += 1
        progress(f"PDOK {collection} {year}: pagina {pages}, {len(found)} opgehaald")
        url, params = next_link(page), None  # a next link carries every parameter itself
    return found


def _get(
    http: requests.Session,
    url: str,
    params: dict[str, Any] | None,
    collection: str,
    year: int,
    pages: int,
    count: int,
) -> dict[str, Any]:
    """GET one page; turn every failure into a Dutch `PdokError`."""
    where = f"PDOK {collection} {year}"
    cut = (
        f" Het bladeren stopte na {pages} pagina('s) met {count} {collection}: de grenzen zijn "
        "niet volledig opgehaald; probeer het later opnieuw."
        if pages
        else ""
    )
    try:
        response = http.get(url, params=params, timeout=TIMEOUT)
    except requests.ConnectionError:
        raise PdokError(
            f"{where}: geen verbinding met {url.split('/cbs/')[0]}. Controleer de "
            f"internetverbinding.{cut}"
        ) from None
    except requests.Timeout:
        raise PdokError(f"{where}: geen antwoord binnen {TIMEOUT} seconden.{cut}") from None
    if response.status_code == 404 and not pages:
        raise PdokError(
            f"{where}: PDOK heeft geen collectie {collection!r} voor {year} ({response.url})."
        )
    if response.status_code != 200:
        raise PdokError(f"{where}: PDOK antwoordde met status {response.status_code}.{cut}")
    try:
        return response.json()
    except ValueError:
        raise PdokError(f"{where}: het antwoord is geen JSON.{cut}") from None


def to_frame(found: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Return features as a GeoDataFrame in EPSG:4326 (PDOK's OGC API default CRS84).

    Examples
    --------
    >>> f = {"type": "Feature", "properties": {"wijkcode": "WK1"},
    ...      "geometry": {"type": "Point", "coordinates": [5.0, 52.0]}}
    >>> to_frame([f])["wijkcode"].tolist()
    ['WK1']
    """
    if not found:
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
    return gpd.GeoDataFrame.from_features(found, crs="EPSG:4326")
