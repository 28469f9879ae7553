"""A replay of PDOK's "CBS Wijken en Buurten" OGC API Features, built from the real GeoJSON files.

URL layout as PDOK publishes it (``https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1``):

* ``/cbs/wijken-en-buurten-{year}/ogc/v1/collections?f=json`` lists the collections;
* ``/cbs/wijken-en-buurten-{year}/ogc/v1/collections/{wijken|buurten}/items?f=json`` answers a
  GeoJSON FeatureCollection of at most ``limit`` features (default 10, at most 1 000), with a
  ``links`` entry ``rel="next"`` to the following page (an opaque ``cursor``) while there is one.
  Property filters as PDOK offers them: ``gemeentecode=GM0080``, ``wijkcode=WK008010``.

Only what the files hold is served, with PDOK's property names (``wijkcode, wijknaam,
gemeentecode, gemeentenaam``; buurten add ``buurtcode, buurtnaam``):

* 2024 ``wijken``: every wijk of the Netherlands (``geo/wijken_2024_nl_wgs84.geojson``, already
  made from this PDOK layer, with its figures); 2024 ``buurten``: Baarn only
  (``geo/buurten_2024_GM0308_baarn_wgs84.geojson``, PDOK's full attribute set);
* 2025 ``wijken`` and ``buurten``: Leeuwarden only (``geo/*_2025_GM0080_leeuwarden_wgs84``,
  ``statcode``/``statnaam`` renamed to PDOK's names).

A gemeente the files do not hold simply has no features, as a filter without matches would.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

#: PDOK's page size limits for OGC API Features.
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
#: Path prefix of a year's API, as on api.pdok.nl.
PREFIX = "cbs"
API = "ogc/v1"
COLLECTIONS = ("wijken", "buurten")
#: Property filters PDOK offers on these collections (exact match).
FILTERS = ("gemeentecode", "wijkcode", "buurtcode")


class PdokReplayError(Exception):
    """A request the replay answers with an error status and a JSON problem body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def problem_body(status: int, message: str) -> dict[str, Any]:
    """Return an OGC API problem body (RFC 7807 fields, as PDOK answers)."""
    return {"status": status, "title": message}


@dataclass(frozen=True)
class SourceLayer:
    """One GeoJSON file served as (part of) a PDOK collection."""

    year: int
    collection: str
    path: str
    #: file property -> PDOK property, for files that do not use PDOK's names.
    rename: Mapping[str, str]
    #: PDOK properties derived from the code: "gemeentecode", "gemeentenaam", "wijkcode".
    gemeente_name: str = ""


SOURCES = (
    SourceLayer(2024, "wijken", "geo/wijken_2024_nl_wgs84.geojson", {}),
    SourceLayer(2024, "buurten", "geo/buurten_2024_GM0308_baarn_wgs84.geojson", {}),
    SourceLayer(
        2025,
        "wijken",
        "geo/wijken_2025_GM0080_leeuwarden_wgs84.geojson",
        {"statcode": "wijkcode", "statnaam": "wijknaam"},
        gemeente_name="Leeuwarden",
    ),
    SourceLayer(
        2025,
        "buurten",
        "geo/buurten_2025_GM0080_leeuwarden_wgs84.geojson",
        {"statcode": "buurtcode", "statnaam": "buurtnaam"},
        gemeente_name="Leeuwarden",
    ),
)


@functools.lru_cache(maxsize=8)
def _features(path: Path, rename: tuple[tuple[str, str], ...], gemeente_name: str) -> tuple:
    """Read one file's features with PDOK property names (cached: public data)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names = dict(rename)
    out = []
    for feature in data["features"]:
        props = {names.get(k, k): v for k, v in (feature.get("properties") or {}).items()}
        code = str(props.get("buurtcode") or props.get("wijkcode") or "")
        if "gemeentecode" not in props and code[:2] in ("WK", "BU"):
            props["gemeentecode"] = "GM" + code[2:6]
        if "wijkcode" not in props and code.startswith("BU"):
            props["wijkcode"] = "WK" + code[2:8]
        if gemeente_name and "gemeentenaam" not in props:
            props["gemeentenaam"] = gemeente_name
        out.append({"type": "Feature", "properties": props, "geometry": feature["geometry"]})
    return tuple(out)


def collections(source_dir: Path) -> dict[tuple[int, str], Callable[[], tuple]]:
    """Return lazily read feature lists per (year, collection) from the source folder."""
    found: dict[tuple[int, str], list[SourceLayer]] = {}
    for layer in SOURCES:
        if (Path(source_dir) / layer.path).is_file():
            found.setdefault((layer.year, layer.collection), []).append(layer)

    def loader(layers: list[SourceLayer]) -> Callable[[], tuple]:
        def load() -> tuple:
            return tuple(
                feature
                for layer in layers
                for feature in _features(
                    Path(source_dir) / layer.path,
                    tuple(sorted(layer.rename.items())),
                    layer.gemeente_name,
                )
            )

        return load

    return {key: loader(layers) for key, layers in found.items()}


def api_root(year: int) -> str:
    """Return the path of a year's API, e.g. ``/cbs/wijken-en-buurten-2024/ogc/v1``."""
    return f"/{PREFIX}/wijken-en-buurten-{year}/{API}"


def parse_path(parts: list[str]) -> tuple[int, str | None] | None:
    """Recognise ``cbs/wijken-en-buurten-YYYY/ogc/v1/collections[/NAME/items]``.

    Returns ``(year, collection)`` (collection None for the list), or None when the path is
    not a PDOK path.

    Examples
    --------
    >>> parse_path("cbs/wijken-en-buurten-2024/ogc/v1/collections/wijken/items".split("/"))
    (2024, 'wijken')
    >>> parse_path("cbs/wijken-en-buurten-2024/ogc/v1/collections".split("/"))
    (2024, None)
    >>> parse_path(["ODataFeed", "odata"]) is None
    True
    """
    if len(parts) < 5 or parts[0] != PREFIX or parts[2:4] != API.split("/"):
        return None
    stem, _, year = parts[1].rpartition("-")
    if stem != "wijken-en-buurten" or not year.isdigit():
        return None
    if parts[4:] == ["collections"]:
        return int(year), None
    if len(parts) == 7 and parts[4] == "collections" and parts[6] == "items":
        return int(year), parts[5]
    raise PdokReplayError(404, f"Geen resource op /{'/'.join(parts)}")


def respond(
    served: Mapping[tuple[int, str], Callable[[], tuple]],
    base_url: str,
    year: int,
    collection: str | None,
    params: Mapping[str, str],
    *,
    page_limit: int | None = None,
) -> dict[str, Any]:
    """Answer one PDOK request, or raise `PdokReplayError`.

    ``page_limit`` (tests only) makes every page after that many fail with 503, as a connection
    that breaks off half-way would.
    """
    if params.get("f", "json") != "json":
        raise PdokReplayError(400, "alleen f=json wordt ondersteund")
    root = base_url + api_root(year)
    if collection is None:
        names = sorted({c for (y, c) in served if y == year})
        if not names:
            raise PdokReplayError(404, f"Geen wijken-en-buurten-API voor {year}")
        return {
            "collections": [
                {
                    "id": name,
                    "links": [{"rel": "items", "href": f"{root}/collections/{name}/items"}],
                }
                for name in names
            ]
        }
    if (year, collection) not in served:
        raise PdokReplayError(404, f"Collectie {collection!r} bestaat niet voor {year}")
    unknown = sorted(set(params) - {"f", "limit", "cursor", *FILTERS})
    if unknown:
        raise PdokReplayError(400, f"onbekende parameter {unknown[0]!r}")
    limit_text = params.get("limit", str(DEFAULT_LIMIT))
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
        raise PdokReplayError(400, f"limit moet 1 tot en met {MAX_LIMIT} zijn, niet {limit_text!r}")
    limit = int(limit_text)
    cursor = params.get("cursor", "0")
    if not cursor.isdigit():
        raise PdokReplayError(400, f"ongeldige cursor {cursor!r}")
    start = int(cursor)
    if page_limit is not None and start >= page_limit * limit:
        raise PdokReplayError(503, "Service tijdelijk niet beschikbaar")
    features = [
        f
        for f in served[(year, collection)]()
        if all(str(f["properties"].get(k)) == v for k, v in params.items() if k in FILTERS)
    ]
    page = features[start : start + limit]
    query = {k: v for k, v in params.items() if k != "cursor"}
    self_href = f"{root}/collections/{collection}/items?{urlencode(params, quote_via=quote)}"
    links = [{"rel": "self", "type": "application/geo+json", "href": self_href}]
    if start + limit < len(features):
        following = urlencode({**query, "cursor": str(start + limit)}, quote_via=quote)
        links.append(
            {
                "rel": "next",
                "type": "application/geo+json",
                "href": f"{root}/collections/{collection}/items?{following}",
            }
        )
    return {
        "type": "FeatureCollection",
        "timeStamp": "2026-01-01T00:00:00Z",
        "links": links,
        "numberReturned": len(page),
        "features": page,
    }
