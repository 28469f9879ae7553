"""The HTTP side of the replay: routing, query options, paging and the threaded server.

One server answers both the CBS OData v3 paths (``/ODataFeed``, ``/ODataCatalog``) and PDOK's
OGC API Features paths (``/cbs/wijken-en-buurten-{year}/ogc/v1/…``, see `pdok`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, unquote_plus, urlencode, urlsplit

import orjson

from snapshot_build.replay import pdok
from snapshot_build.replay.entities import Collection, RecordCollection, Table, once
from snapshot_build.replay.files import read_json
from snapshot_build.replay.odata_filter import (
    FilterError,
    compile_filter,
    filter_fields,
    parse_filter,
)
from snapshot_build.replay.sources import build_tables

__all__ = [
    "HOST",
    "PAGE_SIZE",
    "LocalFeed",
    "ODataError",
    "error_body",
    "rewrite_urls",
    "serve",
]

#: Rows per response page; CBS pages its feed at 10 000 rows.
PAGE_SIZE = 10_000
#: The only interface the feed listens on.
HOST = "127.0.0.1"
#: Origins of the recorded responses whose absolute links are rewritten to the local feed.
CBS_ORIGINS = ("https://opendata.cbs.nl", "http://opendata.cbs.nl")

_DATA_SETS = ("TypedDataSet", "UntypedDataSet")
_SERVICE_ORDER = (
    "TableInfos",
    "UntypedDataSet",
    "TypedDataSet",
    "DataProperties",
    "CategoryGroups",
)


def rewrite_urls(value: Any, base_url: str) -> Any:
    """Return a JSON value with absolute CBS links pointed at ``base_url`` (recursively)."""
    if isinstance(value, str):
        for origin in CBS_ORIGINS:
            if value.startswith(origin + "/"):
                return base_url + value[len(origin) :]
        return value
    if isinstance(value, list):
        return [rewrite_urls(item, base_url) for item in value]
    if isinstance(value, dict):
        return {key: rewrite_urls(item, base_url) for key, item in value.items()}
    return value


# --------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------


class ODataError(Exception):
    """A request the feed answers with an error status and a JSON error body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(message: str) -> dict[str, Any]:
    """Return an OData v3 JSON error body."""
    return {"odata.error": {"code": "", "message": {"lang": "en-US", "value": message}}}


@dataclass
class LocalFeed:
    """A running local feed: where it listens and which requests it has seen."""

    base_url: str
    host: str
    #: Path and query of every request, percent-decoded, in arrival order.
    requests: list[str] = field(default_factory=list)
    #: Tests only: PDOK pages after this many answer 503 (paging that breaks off half-way).
    pdok_page_limit: int | None = None
    #: Tests only: OData pages after this many (``$skip`` beyond them) answer 503.
    odata_page_limit: int | None = None


_ENTITY_OPTIONS = {"$format", "$select", "$filter", "$skip", "$top"}


def _query(raw_query: str, allowed: set[str]) -> dict[str, str]:
    """Parse and check the query options of a request."""
    params: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        if name in params:
            raise ODataError(400, f"query option {name} given twice")
        if name not in allowed:
            raise ODataError(400, f"unsupported query option {name!r}")
        params[name] = value
    if params.get("$format") != "json":
        raise ODataError(400, "only $format=json is supported")
    return params


def _non_negative(params: Mapping[str, str], name: str) -> int | None:
    """Return ``$skip`` / ``$top`` as an int, or fail with 400."""
    if name not in params:
        return None
    text = params[name]
    if not text.isdigit():
        raise ODataError(400, f"{name} must be a non-negative integer, not {text!r}")
    return int(text)


class _FeedState:
    """What the request handler needs: the tables, the catalogue and the request log."""

    def __init__(
        self,
        tables: dict[str, Table],
        recorded_dir: Path | None,
        feed: LocalFeed,
        features: Mapping[tuple[int, str], Callable[[], tuple]] | None = None,
    ):
        self.tables = tables
        self.recorded_dir = recorded_dir
        self.feed = feed
        self.features = dict(features or {})
        self.lock = threading.Lock()
        self._catalog = once(self._load_catalog)

    def _load_catalog(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        if self.recorded_dir is not None:
            path = self.recorded_dir / "catalog" / "Tables.json"
            if path.is_file():
                records = rewrite_urls(read_json(path)["value"], self.feed.base_url)
        for table in self.tables.values():
            if table.catalog_record is not None:
                feed_url = f"{self.feed.base_url}/ODataFeed/OData/{table.table_id}"
                records.append({"ID": len(records), **table.catalog_record, "FeedUrl": feed_url})
        return records

    def respond(self, raw_path: str) -> dict[str, Any]:
        """Answer one GET request, or raise ODataError."""
        split = urlsplit(raw_path)
        parts = [unquote(part) for part in split.path.split("/") if part]
        lowered = [part.lower() for part in parts]
        pdok_path = pdok.parse_path(parts)
        if pdok_path is not None:
            params = dict(parse_qsl(split.query, keep_blank_values=True))
            return pdok.respond(
                self.features,
                self.feed.base_url,
                *pdok_path,
                params,
                page_limit=self.feed.pdok_page_limit,
            )
        if lowered == ["odatacatalog", "tables"]:
            return self._catalog_response(split.query)
        if len(parts) in (3, 4) and lowered[:2] == ["odatafeed", "odata"]:
            table = self.tables.get(parts[2].upper())
            if table is None:
                raise ODataError(404, f"table {parts[2]!r} is not served by this feed")
            if len(parts) == 3:
                _query(split.query, {"$format"})
                return self._service_document(table)
            return self._entity_response(table, parts[3], split.query)
        raise ODataError(404, f"no resource at {split.path!r}")

    def _catalog_response(self, raw_query: str) -> dict[str, Any]:
        params = _query(raw_query, _ENTITY_OPTIONS)
        collection = RecordCollection(self._catalog())
        rows, select = _apply_options(collection, params)
        skip = _non_negative(params, "$skip") or 0
        top = _non_negative(params, "$top")
        # cbsodata.get_table_list reads one response and ignores nextLink: no paging here.
        page = rows[skip:] if top is None else rows[skip : skip + top]
        return {
            "odata.metadata": f"{self.feed.base_url}/ODataCatalog/$metadata#Tables",
            "value": [collection.to_json(row, select) for row in page],
        }

    def _service_document(self, table: Table) -> dict[str, Any]:
        base = self.feed.base_url
        if table.service_document is not None:
            return rewrite_urls(read_json(table.service_document), base)
        order = {name: i for i, name in enumerate(_SERVICE_ORDER)}
        names = sorted(table.entities, key=lambda n: order.get(n, len(order)))
        prefix = f"{base}/ODataFeed/odata/{table.table_id}"
        return {
            "odata.metadata": f"{prefix}/$metadata",
            "value": [{"name": name, "url": f"{prefix}/{name}"} for name in names],
        }

    def _entity_response(self, table: Table, entity: str, raw_query: str) -> dict[str, Any]:
        if entity not in table.entities:
            if entity in _DATA_SETS:
                raise ODataError(
                    404, f"{entity} of table {table.table_id} is not in the offline sources"
                )
            raise ODataError(404, f"table {table.table_id} has no entity {entity!r}")
        params = _query(raw_query, _ENTITY_OPTIONS)
        skip = _non_negative(params, "$skip") or 0
        top = _non_negative(params, "$top")
        limit = self.feed.odata_page_limit
        if limit is not None and skip >= limit * PAGE_SIZE:
            raise ODataError(503, "Service Unavailable")
        recorded = table.recorded.get((entity, skip))
        if recorded is not None and set(params) <= {"$format", "$skip"}:
            return rewrite_urls(read_json(recorded), self.feed.base_url)
        collection = table.entities[entity]()
        rows, select = _apply_options(collection, params)
        end = len(rows) if top is None else min(len(rows), skip + top)
        page_end = min(end, skip + PAGE_SIZE)
        prefix = f"{self.feed.base_url}/ODataFeed/odata/{table.table_id}"
        payload: dict[str, Any] = {
            "odata.metadata": f"{prefix}/$metadata#Cbs.OData.WebAPI.{entity}",
            "value": [collection.to_json(row, select) for row in rows[skip:page_end]],
        }
        if page_end < end:
            following = {k: v for k, v in params.items() if k not in ("$skip", "$top")}
            following["$skip"] = str(page_end)
            if top is not None:
                following["$top"] = str(end - page_end)
            query = urlencode(following, quote_via=quote, safe="$,'()")
            payload["odata.nextLink"] = f"{prefix}/{entity}?{query}"
        return payload


def _apply_options(
    collection: Collection, params: Mapping[str, str]
) -> tuple[Sequence[Any], frozenset[str] | None]:
    """Apply ``$filter`` and check ``$select``; return the matching rows and the selection."""
    known = set(collection.fields)
    rows = collection.rows
    if "$filter" in params:
        try:
            node = parse_filter(params["$filter"])
        except FilterError as err:
            raise ODataError(400, f"$filter: {err}") from err
        unknown = sorted(filter_fields(node) - known)
        if unknown and rows:
            raise ODataError(400, f"$filter: unknown property {unknown[0]!r}")
        predicate = compile_filter(node, collection.getter)
        rows = [row for row in rows if predicate(row)]
    select = None
    if "$select" in params:
        names = [name.strip() for name in params["$select"].split(",") if name.strip()]
        missing = [name for name in names if name not in known]
        if not names or (missing and collection.rows):
            raise ODataError(400, f"$select: unknown property {(missing or [''])[0]!r}")
        select = frozenset(names)
    return rows, select


def _dumps(payload: Any) -> bytes:
    """Serialise a response as UTF-8 JSON (orjson; a NaN would be written as null).

    A page of 10 000 rows took the feed about 0,1 s with ``json.dumps``, and the snapshot
    build asks for about 140 pages. The cells come from text, where an empty cell is None.

    Examples
    --------
    >>> _dumps({"a": "é", "b": [1, None, 2.5]}).decode("utf-8")
    '{"a":"é","b":[1,null,2.5]}'
    """
    return orjson.dumps(payload)


class _Handler(BaseHTTPRequestHandler):
    """GET-only handler; the routing lives in :class:`_FeedState`."""

    server: _FeedServer

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        state = self.server.state
        path, _, query = self.path.partition("?")
        with state.lock:
            state.feed.requests.append(unquote(path) + ("?" + unquote_plus(query) if query else ""))
        try:
            status, payload = 200, state.respond(self.path)
        except ODataError as err:
            status, payload = err.status, error_body(err.message)
        except pdok.PdokReplayError as err:
            status, payload = err.status, pdok.problem_body(err.status, err.message)
        except Exception as err:  # noqa: BLE001 - a bug must reach the client as a 500
            status, payload = 500, error_body(f"{type(err).__name__}: {err}")
        body = _dumps(payload)
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        """Log nothing: tests and the snapshot build read stdout/stderr."""


class _FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    state: _FeedState


@contextmanager
def serve(
    source_dir: Path, recorded_dir: Path | None = None, *, port: int = 0
) -> Iterator[LocalFeed]:
    """Run the local feed on 127.0.0.1 in a daemon thread for the duration of a ``with`` block.

    Parameters
    ----------
    source_dir : Path
        Folder in the ``shared/data`` layout with the KWB and RIVM source files.
    recorded_dir : Path, optional
        The ``odata_v3_recorded`` folder to replay; omitted, only source tables are served.
    port : int, default 0
        Port to bind; 0 picks a free one.

    Yields
    ------
    LocalFeed
        ``base_url`` ("http://127.0.0.1:PORT"), ``host`` ("127.0.0.1:PORT", the value for
        cbsodata's ``catalog_url``) and ``requests`` (every request seen).

    Examples
    --------
    >>> with serve(SHARED_DATA, SHARED_DATA / "odata_v3_recorded") as feed:  # doctest: +SKIP
    ...     cbsodata.options.use_https = False
    ...     rows = cbsodata.get_data("80137ned", catalog_url=feed.host)
    """
    tables = build_tables(Path(source_dir), None if recorded_dir is None else Path(recorded_dir))
    server = _FeedServer((HOST, port), _Handler)
    bound_port = server.server_address[1]
    feed = LocalFeed(base_url=f"http://{HOST}:{bound_port}", host=f"{HOST}:{bound_port}")
    server.state = _FeedState(
        tables,
        None if recorded_dir is None else Path(recorded_dir),
        feed,
        pdok.collections(Path(source_dir)),
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.name = f"odata-feed-{bound_port}"
    thread.start()
    try:
        yield feed
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
