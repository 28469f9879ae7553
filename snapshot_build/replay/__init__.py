"""A local replay of the CBS OData v3 feed on 127.0.0.1, from recorded responses and real files.

The feed answers in the URL layout the ``cbsodata`` client uses
(``/ODataFeed/odata/<TABLE>?$format=json`` for the service document,
``/ODataFeed/odata/<TABLE>/<Entity>`` for an entity collection and
``/ODataCatalog/Tables`` for the catalogue), so the real client can be pointed at it with
``cbsodata.options.use_https = False`` and ``catalog_url="127.0.0.1:<port>"``. It serves:

* **Recorded replay** of ``shared/data/odata_v3_recorded`` (table ``80137ned`` complete, the two
  pages of ``83599NED/UntypedDataSet`` and the catalogue). Absolute ``https://opendata.cbs.nl``
  links in those responses are rewritten to this server.
* **KWB tables from source files**: ``86165NED`` (Kerncijfers wijken en buurten 2025, the
  Friesland rows) and ``85318NED`` (Kerncijfers wijken en buurten 2022, metadata only).
* **RIVM 50090NED** (Gezondheid per wijk en buurt; 2012/2016/2020) from the four Excel exports.

Only what the sources hold is served. An entity that cannot be served from them is not listed
in the service document and answers 404. That has consequences for a real client:
``cbsodata.get_data`` removes ``"TypedDataSet"`` or ``"UntypedDataSet"`` from the list of names
in the service document before it downloads, so on ``85318NED`` (no data file) and on
``83599NED`` (only the UntypedDataSet pages were recorded, no metadata) it raises
``ValueError: list.remove(x): x not in list``. Callers should check the service document first
(``data.cbs`` does, and turns this into a ``CbsError``); ``cbsodata.get_meta(table,
"UntypedDataSet")`` still downloads the recorded 83599NED pages, following ``odata.nextLink``.

Query options on entity collections: ``$format=json`` (required), ``$select``, ``$skip``,
``$top`` and ``$filter`` with the subset CBS clients use (see :func:`parse_filter`). Every
collection is paged at :data:`PAGE_SIZE` rows with an absolute ``odata.nextLink``, as CBS does.

Standard library only for HTTP; pandas and openpyxl read the source files. No I/O at import;
parsed source files are cached per process (public data only).

Parts: `odata_filter` (the ``$filter`` parser), `entities` (record and tuple collections, tables),
`files` (readers of the raw JSON/CSV/Excel files), `sources` (the KWB, RIVM and recorded tables
built from them) and `server` (routing, paging and the HTTP server, :func:`serve`).
"""

from snapshot_build.replay.odata_filter import FilterError, matches, parse_filter
from snapshot_build.replay.server import PAGE_SIZE, LocalFeed, serve
from snapshot_build.replay.sources import build_tables, title_from_key

__all__ = [
    "PAGE_SIZE",
    "FilterError",
    "LocalFeed",
    "build_tables",
    "matches",
    "parse_filter",
    "serve",
    "title_from_key",
]
