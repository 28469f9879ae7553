"""A local CBS OData v3 feed on 127.0.0.1, built from recorded responses and real source files.

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

Standard library only for HTTP; pandas and openpyxl read the source files. The module does no
I/O at import; parsed source files are cached per process (public data only).
"""

from __future__ import annotations

import functools
import io
import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, unquote, unquote_plus, urlencode, urlsplit

import openpyxl
import pandas as pd

from analysis.catalogue import RIVM_TABLE_ID

#: Rows per response page; CBS pages its feed at 10 000 rows.
PAGE_SIZE = 10_000
#: The only interface the feed listens on.
HOST = "127.0.0.1"
#: Origins of the recorded responses whose absolute links are rewritten to the local feed.
CBS_ORIGINS = ("https://opendata.cbs.nl", "http://opendata.cbs.nl")

#: Titles of the 50090NED Leeftijd keys (StatLine RIVM, see shared/data/SOURCES.md §4).
RIVM_AGE_TITLES = {"20300": "18 jaar of ouder", "80200": "65 jaar of ouder"}
#: Titles of the 50090NED Marges keys present in the files (point estimates only).
RIVM_MARGIN_TITLES = {"MW00000": "Waarde"}
RIVM_TITLE = "Gezondheid per wijk en buurt; 2012/2016/2020 (indeling 2020)"
#: Columns of 50090NED that are dimensions or string topics; every other column is a percentage.
RIVM_DIMENSIONS = ("Leeftijd", "Marges", "WijkenEnBuurten", "Perioden")
RIVM_STRING_TOPICS = {
    "Gemeentenaam_1": "Gemeentenaam",
    "SoortRegio_2": "Soort regio",
    "Codering_3": "Codering",
}

_DATA_SETS = ("TypedDataSet", "UntypedDataSet")
_SERVICE_ORDER = (
    "TableInfos",
    "UntypedDataSet",
    "TypedDataSet",
    "DataProperties",
    "CategoryGroups",
)
_INT_PROPERTY_FIELDS = {"ID", "Position", "ParentID", "Decimals", "MapYear"}


# --------------------------------------------------------------------------------------------
# $filter: the subset of OData v3 that CBS clients use
# --------------------------------------------------------------------------------------------


class FilterError(ValueError):
    """A ``$filter`` expression uses syntax this feed does not implement."""


@dataclass(frozen=True)
class Eq:
    """``Field eq 'value'``: exact string comparison (CBS keys are padded)."""

    field: str
    value: str


@dataclass(frozen=True)
class SubstringOf:
    """``substringof('needle',Field)``: the needle occurs in the field's value."""

    needle: str
    field: str


@dataclass(frozen=True)
class StartsWith:
    """``startswith(Field,'prefix')``: the field's value starts with the prefix."""

    field: str
    prefix: str


@dataclass(frozen=True)
class And:
    """Both sides match."""

    left: FilterNode
    right: FilterNode


@dataclass(frozen=True)
class Or:
    """At least one side matches."""

    left: FilterNode
    right: FilterNode


FilterNode = Eq | SubstringOf | StartsWith | And | Or

_TOKEN_RE = re.compile(
    r"(?P<string>'(?:[^']|'')*')"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<punct>[(),])"
)
_KEYWORDS = {"and", "or", "eq"}
_UNSUPPORTED_OPERATORS = {"ne", "gt", "ge", "lt", "le", "not", "add", "sub", "mul", "div", "mod"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenise(expression: str) -> list[_Token]:
    """Split a ``$filter`` expression into tokens, or fail naming the bit that is not a token."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(expression):
        if expression[pos].isspace():
            pos += 1
            continue
        match = _TOKEN_RE.match(expression, pos)
        if match is None:
            bit = expression[pos : pos + 20]
            if bit.startswith("'"):
                raise FilterError(f"unterminated string literal at position {pos}: {bit!r}")
            raise FilterError(f"cannot parse $filter at position {pos}: {bit!r}")
        kind = match.lastgroup or ""
        tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive-descent parser: ``or`` binds weaker than ``and``; parentheses group."""

    def __init__(self, expression: str) -> None:
        self.tokens = _tokenise(expression)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, what: str) -> _Token:
        token = self.peek()
        if token is None:
            raise FilterError(f"$filter ends where {what} was expected")
        self.index += 1
        return token

    def expect_punct(self, char: str) -> None:
        token = self.take(repr(char))
        if token.text != char:
            raise FilterError(f"expected {char!r} at position {token.pos}, found {token.text!r}")

    def expect_string(self) -> str:
        token = self.take("a string literal")
        if token.kind == "number":
            raise FilterError(f"number literals are not supported: {token.text!r}")
        if token.kind != "string":
            raise FilterError(
                f"expected a string literal at position {token.pos}, found {token.text!r}"
            )
        return token.text[1:-1].replace("''", "'")

    def expect_property(self) -> str:
        token = self.take("a property name")
        if token.kind != "name" or token.text in _KEYWORDS:
            raise FilterError(
                f"expected a property name at position {token.pos}, found {token.text!r}"
            )
        return token.text

    def parse(self) -> FilterNode:
        node = self.parse_or()
        token = self.peek()
        if token is not None:
            raise FilterError(f"unexpected {token.text!r} at position {token.pos}")
        return node

    def parse_or(self) -> FilterNode:
        node = self.parse_and()
        while (token := self.peek()) is not None and token.text == "or":
            self.index += 1
            node = Or(node, self.parse_and())
        return node

    def parse_and(self) -> FilterNode:
        node = self.parse_primary()
        while (token := self.peek()) is not None and token.text == "and":
            self.index += 1
            node = And(node, self.parse_primary())
        return node

    def parse_primary(self) -> FilterNode:
        token = self.take("a condition")
        if token.text == "(":
            node = self.parse_or()
            self.expect_punct(")")
            return node
        if token.kind != "name" or token.text in _KEYWORDS:
            raise FilterError(
                f"a condition cannot start with {token.text!r} (position {token.pos})"
            )
        following = self.peek()
        if token.text == "substringof":
            self.expect_punct("(")
            needle = self.expect_string()
            self.expect_punct(",")
            prop = self.expect_property()
            self.expect_punct(")")
            return SubstringOf(needle, prop)
        if token.text == "startswith":
            self.expect_punct("(")
            prop = self.expect_property()
            self.expect_punct(",")
            prefix = self.expect_string()
            self.expect_punct(")")
            return StartsWith(prop, prefix)
        if token.text in _UNSUPPORTED_OPERATORS:
            raise FilterError(f"unsupported operator {token.text!r} at position {token.pos}")
        if following is not None and following.text == "(":
            raise FilterError(f"unsupported function {token.text!r} at position {token.pos}")
        operator = self.take("an operator")
        if operator.text in _UNSUPPORTED_OPERATORS:
            raise FilterError(f"unsupported operator {operator.text!r} at position {operator.pos}")
        if operator.text != "eq":
            raise FilterError(
                f"expected 'eq' after {token.text!r} at position {operator.pos}, "
                f"found {operator.text!r}"
            )
        return Eq(token.text, self.expect_string())


def parse_filter(expression: str) -> FilterNode:
    """Parse the ``$filter`` subset CBS clients use.

    Parameters
    ----------
    expression : str
        For example ``"(WijkenEnBuurten eq 'GM0080    ') or substringof('0080',Codering_3)"``.
        Supported: ``Field eq 'value'``, ``substringof('x',Field)``, ``startswith(Field,'x')``,
        combined with ``and`` / ``or`` (``and`` binds tighter) and parentheses.

    Returns
    -------
    FilterNode
        The expression tree.

    Raises
    ------
    FilterError
        For anything else (other operators and functions, number literals, bad syntax); the
        message names the bit that could not be parsed.
    """
    if not expression.strip():
        raise FilterError("empty $filter")
    return _Parser(expression).parse()


def filter_fields(node: FilterNode) -> frozenset[str]:
    """Return the property names an expression refers to."""
    if isinstance(node, And | Or):
        return filter_fields(node.left) | filter_fields(node.right)
    return frozenset({node.field})


def _as_text(value: Any) -> str | None:
    """Return a field value as the text a filter compares with (None never matches)."""
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def compile_filter(
    node: FilterNode, getter: Callable[[str], Callable[[Any], Any]]
) -> Callable[[Any], bool]:
    """Turn an expression tree into a predicate over rows.

    Comparisons are on the raw (padded) value and case-sensitive: ``eq`` needs the padded key
    (``'GM0080    '``); ``substringof`` and ``startswith`` work with an unpadded needle because
    padding is trailing. A null value never matches.

    Parameters
    ----------
    node : FilterNode
        A tree from :func:`parse_filter`.
    getter : callable
        ``getter(field)`` returns a function that reads that field from a row.

    Returns
    -------
    callable
        ``predicate(row) -> bool``.
    """
    if isinstance(node, And):
        left, right = compile_filter(node.left, getter), compile_filter(node.right, getter)
        return lambda row: left(row) and right(row)
    if isinstance(node, Or):
        left, right = compile_filter(node.left, getter), compile_filter(node.right, getter)
        return lambda row: left(row) or right(row)
    read = getter(node.field)
    if isinstance(node, Eq):
        value = node.value
        return lambda row: _as_text(read(row)) == value
    if isinstance(node, SubstringOf):
        needle = node.needle
        return lambda row: (text := _as_text(read(row))) is not None and needle in text
    prefix = node.prefix
    return lambda row: (text := _as_text(read(row))) is not None and text.startswith(prefix)


def matches(node: FilterNode, row: Mapping[str, Any]) -> bool:
    """Return whether one record (a mapping) satisfies an expression; a missing field is null."""
    return compile_filter(node, lambda name: lambda r: r.get(name))(row)


# --------------------------------------------------------------------------------------------
# Entity collections
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordCollection:
    """A collection of JSON records (dicts), served as they are."""

    records: Sequence[Mapping[str, Any]]

    @property
    def fields(self) -> tuple[str, ...]:
        """Return every property name that occurs, in first-seen order."""
        seen: dict[str, None] = {}
        for record in self.records:
            seen.update(dict.fromkeys(record))
        return tuple(seen)

    @property
    def rows(self) -> Sequence[Any]:
        """Return the rows (the records themselves)."""
        return self.records

    def getter(self, name: str) -> Callable[[Any], Any]:
        """Return a reader of one property."""
        return lambda record: record.get(name)

    def to_json(self, row: Any, select: frozenset[str] | None) -> dict[str, Any]:
        """Return one row as a JSON object, limited to ``select`` when given."""
        if select is None:
            return dict(row)
        return {key: value for key, value in row.items() if key in select}


@dataclass(frozen=True)
class TupleCollection:
    """A large collection stored as tuples in a fixed column order (memory-friendly)."""

    columns: tuple[str, ...]
    tuples: Sequence[tuple[Any, ...]]

    @property
    def fields(self) -> tuple[str, ...]:
        """Return the column names."""
        return self.columns

    @property
    def rows(self) -> Sequence[Any]:
        """Return the rows (tuples)."""
        return self.tuples

    def getter(self, name: str) -> Callable[[Any], Any]:
        """Return a reader of one column."""
        index = self.columns.index(name)
        return lambda row: row[index]

    def to_json(self, row: Any, select: frozenset[str] | None) -> dict[str, Any]:
        """Return one row as a JSON object in column order, limited to ``select`` when given."""
        if select is None:
            return dict(zip(self.columns, row, strict=True))
        return {
            name: value for name, value in zip(self.columns, row, strict=True) if name in select
        }


Collection = RecordCollection | TupleCollection


_T = TypeVar("_T")


def _once(load: Callable[[], _T]) -> Callable[[], _T]:
    """Wrap a loader so it runs once, also when requests arrive on several threads."""
    lock = threading.Lock()
    done: list[_T] = []

    def wrapper() -> _T:
        with lock:
            if not done:
                done.append(load())
            return done[0]

    return wrapper


@dataclass
class Table:
    """One served table: lazily loaded entity collections plus optional recorded responses."""

    table_id: str
    entities: dict[str, Callable[[], Collection]]
    catalog_record: dict[str, Any] | None = None
    #: (entity, $skip) -> recorded response file, replayed when no other option is given.
    recorded: dict[tuple[str, int], Path] = field(default_factory=dict)
    service_document: Path | None = None


# --------------------------------------------------------------------------------------------
# Source readers (cached per process: public data)
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _read_json(path: Path) -> Any:
    """Read a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=32)
def _read_csv_text(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as text ('' for an empty cell), columns in file order."""
    text = path.read_text(encoding="utf-8")
    if not text.strip().strip('"'):  # CategoryGroups.csv of 85318NED holds only '""'
        return pd.DataFrame()
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


_XLSX_LOCK = threading.Lock()


@functools.lru_cache(maxsize=8)
def _read_xlsx(path: Path) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
    """Read the first sheet of an Excel file as (header, rows of raw cell values).

    openpyxl in read-only mode is used directly: it is about 1.5x faster than
    ``pd.read_excel`` on these files (1.3-2.0 s each), and the raw values keep the text of
    each cell. An empty cell is None.
    """
    with _XLSX_LOCK:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            header = tuple(str(name) for name in next(rows))
            body = tuple(tuple(row) for row in rows if any(v is not None for v in row))
        finally:
            workbook.close()
    return header, body


def _text_records(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Return a text frame as a list of records in column order."""
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True)) for row in frame.itertuples(index=False)]


def _int_or_none(text: str, where: str) -> int | None:
    """Parse an integer written as '3' or '3.0' (pandas writes ints with NaN as floats)."""
    if text == "":
        return None
    number = float(text)
    if not number.is_integer():
        raise ValueError(f"{where}: {text!r} is not a whole number")
    return int(number)


def _property_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Type DataProperties text as CBS sends it: ints for ID/Position/…, null for empty."""
    records = []
    for row in _text_records(frame):
        record: dict[str, Any] = {}
        for name, text in row.items():
            if name in _INT_PROPERTY_FIELDS:
                record[name] = _int_or_none(text, f"DataProperties {row.get('Key')!r} {name}")
            elif name == "Key":
                record[name] = text  # TopicGroups have Key "" in CBS responses
            else:
                record[name] = text if text != "" else None
        records.append(record)
    return records


def _typed_value(text: str, datatype: str, where: str) -> Any:
    """Return one TypedDataSet cell with the JSON type CBS uses for its Datatype."""
    if text == "":
        return None
    if datatype == "Long":
        return _int_or_none(text, where)
    if datatype in ("Double", "Float"):
        return float(text)
    return text


def _untyped_value(text: str, datatype: str, where: str) -> str | None:
    """Return one UntypedDataSet cell: the file's text (Long without '.0'), null when empty."""
    if text == "":
        return None
    if datatype == "Long":
        return str(_int_or_none(text, where))
    return text


# --------------------------------------------------------------------------------------------
# KWB tables
# --------------------------------------------------------------------------------------------


def _kwb_2025_table(folder: Path) -> Table:
    """Build 86165NED "Kerncijfers wijken en buurten 2025" from the Friesland source files.

    TableInfos comes from ``metadata_reformatted.json`` (re-formatted by its origin project;
    ``Period`` is not in it and is served as null). The WijkenEnBuurten dimension is built from
    the data's ``WijkenEnBuurten`` keys (padded, as CBS sends them) with Title = the added
    ``Naam_gebied`` column; ``Municipality`` and ``DetailRegionCode`` are derived from the code
    (CBS convention GMxxxx / WKxxxxyy / BUxxxxyyzz). ``Naam_gebied`` itself is not served as a
    TypedDataSet column, because CBS does not send it. The UntypedDataSet holds the file's text
    (CBS right-aligns untyped numbers to a fixed width that the file does not record).
    """
    properties_file = folder / "DataProperties.csv"
    data_file = folder / "TypedDataSet_friesland.csv"
    info_file = folder / "metadata_reformatted.json"
    for path in (properties_file, data_file, info_file):
        if not path.is_file():
            raise FileNotFoundError(f"KWB 2025 source file missing: {path}")
    info = _read_json(info_file)
    dataset = info["dataset"]
    extra = info.get("additional_info", {})
    table_id = dataset["id"]
    table_info = {
        "ID": 0,
        "Title": dataset.get("title"),
        "ShortTitle": dataset.get("short_title"),
        "Identifier": table_id,
        "Summary": dataset.get("summary"),
        "Modified": extra.get("modified"),
        "Catalog": "CBS",
        "Period": None,
        "Description": dataset.get("description"),
        "DefaultPresentation": extra.get("default_presentation"),
        "GraphTypes": extra.get("graph_types"),
    }

    def properties() -> RecordCollection:
        return RecordCollection(_property_records(_read_csv_text(properties_file)))

    def data_columns() -> tuple[list[str], dict[str, str]]:
        frame = _read_csv_text(data_file)
        props = _property_records(_read_csv_text(properties_file))
        datatypes = {p["Key"]: p.get("Datatype") or "" for p in props if p["Type"] == "Topic"}
        columns = [name for name in frame.columns if name != "Naam_gebied"]
        unknown = [c for c in columns if c not in datatypes and c not in ("ID", "WijkenEnBuurten")]
        if unknown:
            raise ValueError(f"{data_file}: columns without a DataProperties topic: {unknown}")
        datatypes = {"ID": "Long", "WijkenEnBuurten": "String", **datatypes}
        return columns, datatypes

    def data_set(convert: Callable[[str, str, str], Any]) -> TupleCollection:
        frame = _read_csv_text(data_file)
        columns, datatypes = data_columns()
        rows = []
        for number, row in enumerate(_text_records(frame), start=2):
            where = f"{data_file.name} line {number}"
            rows.append(
                tuple(
                    # The ID is a number in CBS's UntypedDataSet too.
                    _int_or_none(row[c], where)
                    if c == "ID"
                    else convert(row[c], datatypes[c], f"{where} column {c}")
                    for c in columns
                )
            )
        return TupleCollection(tuple(columns), rows)

    def typed() -> TupleCollection:
        return data_set(_typed_value)

    def untyped() -> TupleCollection:
        return data_set(_untyped_value)

    def regions() -> RecordCollection:
        records = []
        for row in _text_records(_read_csv_text(data_file)):
            code = row["WijkenEnBuurten"].strip()
            records.append(
                {
                    "Key": row["WijkenEnBuurten"],
                    "Title": row["Naam_gebied"],
                    "Description": None,
                    "Municipality": "GM" + code[2:6],
                    "DetailRegionCode": code,
                }
            )
        return RecordCollection(records)

    entities: dict[str, Callable[[], Collection]] = {
        "TableInfos": lambda: RecordCollection([table_info]),
        "UntypedDataSet": _once(untyped),
        "TypedDataSet": _once(typed),
        "DataProperties": _once(properties),
        "WijkenEnBuurten": _once(regions),
    }
    return Table(table_id, entities, catalog_record=_catalog_fields(table_info))


def _kwb_2022_table(folder: Path) -> Table:
    """Build 85318NED "Kerncijfers wijken en buurten 2022" (metadata only).

    The data file was not kept (too large), so neither TypedDataSet nor UntypedDataSet is
    listed in the service document; requesting them gives 404. ``cbsodata.get_data`` on this
    table therefore raises ``ValueError`` (it removes a data-set name from the service
    document's list before downloading); ``data.cbs`` checks the service document first.
    """
    files = {
        name: folder / f"{name}.csv"
        for name in ("TableInfos", "DataProperties", "CategoryGroups", "WijkenEnBuurten")
    }
    for path in files.values():
        if not path.is_file():
            raise FileNotFoundError(f"KWB 2022 source file missing: {path}")
    infos = _text_records(_read_csv_text(files["TableInfos"]))
    table_info: dict[str, Any] = {
        name: (_int_or_none(text, "TableInfos ID") if name == "ID" else text)
        for name, text in infos[0].items()
    }

    def dimension() -> RecordCollection:
        records = [
            {name: (text if name == "Key" or text != "" else None) for name, text in row.items()}
            for row in _text_records(_read_csv_text(files["WijkenEnBuurten"]))
        ]
        return RecordCollection(records)

    entities: dict[str, Callable[[], Collection]] = {
        "TableInfos": lambda: RecordCollection([table_info]),
        "DataProperties": _once(
            lambda: RecordCollection(_property_records(_read_csv_text(files["DataProperties"])))
        ),
        "CategoryGroups": _once(
            lambda: RecordCollection(_text_records(_read_csv_text(files["CategoryGroups"])))
        ),
        "WijkenEnBuurten": _once(dimension),
    }
    return Table(table_info["Identifier"], entities, catalog_record=_catalog_fields(table_info))


# --------------------------------------------------------------------------------------------
# RIVM 50090NED
# --------------------------------------------------------------------------------------------


def title_from_key(key: str) -> str:
    """Derive a readable title from a CBS topic key.

    Examples
    --------
    >>> title_from_key("HeelVeelStressInAfgelopen4Weken_26")
    'Heel veel stress in afgelopen 4 weken'
    """
    base = re.sub(r"_\d+$", "", key)
    words = re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", base)
    if not words:
        return key
    return " ".join([words[0], *(w.lower() for w in words[1:])])


@dataclass(frozen=True)
class _RivmData:
    """The four 50090NED files as one table."""

    columns: tuple[str, ...]
    typed: tuple[tuple[Any, ...], ...]
    untyped: tuple[tuple[Any, ...], ...]
    periods: tuple[str, ...]
    ages: tuple[str, ...]
    margins: tuple[str, ...]
    regions: tuple[dict[str, Any], ...]


def _cell_text(value: Any) -> str | None:
    """Return an Excel cell as text: ints (Leeftijd, ID) as digits, an empty cell as None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@functools.lru_cache(maxsize=4)
def _rivm_data(files: tuple[Path, ...]) -> _RivmData:
    """Read and merge the 50090NED Excel exports (cached: the openpyxl parse takes ~7 s)."""
    header: tuple[str, ...] | None = None
    raw_rows: list[tuple[Any, ...]] = []
    for path in files:
        file_header, rows = _read_xlsx(path)
        if header is None:
            header = file_header
        elif file_header != header:
            raise ValueError(f"{path.name}: columns differ from {files[0].name}")
        raw_rows.extend(rows)
    if header is None:
        raise FileNotFoundError("no 50090NED_*.xlsx files")
    columns = header  # "ID" first, as in the files
    id_index = columns.index("ID")
    key_columns = {columns.index(name) for name in (*RIVM_DIMENSIONS, *RIVM_STRING_TOPICS)}
    floats: dict[str, float | None] = {}

    def typed_number(text: str | None) -> float | None:
        if text is None:
            return None
        if text not in floats:
            floats[text] = None if text.strip() == "." else float(text)
        return floats[text]

    typed_rows = []
    untyped_rows = []
    for new_id, raw in enumerate(raw_rows):
        texts = [_cell_text(value) for value in raw]
        typed_row: list[Any] = []
        untyped_row: list[Any] = []
        for index, text in enumerate(texts):
            if index == id_index:
                typed_row.append(new_id)
                untyped_row.append(new_id)
            elif index in key_columns:
                typed_row.append(text)
                untyped_row.append(text)
            else:
                typed_row.append(typed_number(text))
                untyped_row.append(text)
        typed_rows.append(tuple(typed_row))
        untyped_rows.append(tuple(untyped_row))

    def distinct(name: str) -> tuple[str, ...]:
        index = columns.index(name)
        return tuple(dict.fromkeys(row[index] for row in typed_rows))

    ages = distinct("Leeftijd")
    margins = distinct("Marges")
    unknown = [a for a in ages if a not in RIVM_AGE_TITLES] + [
        m for m in margins if m not in RIVM_MARGIN_TITLES
    ]
    if unknown:
        raise ValueError(f"50090NED: keys without a known title: {unknown}")
    region_index = columns.index("WijkenEnBuurten")
    kind_index = columns.index("SoortRegio_2")
    name_index = columns.index("Gemeentenaam_1")
    regions: dict[str, dict[str, Any]] = {}
    for row in typed_rows:
        key = row[region_index]
        if key in regions:
            continue
        # The files name gemeenten (and Nederland) only; wijken and buurten get their code.
        named = row[kind_index].strip() in ("Land", "Gemeente")
        title = row[name_index].strip() if named else key.strip()
        regions[key] = {"Key": key, "Title": title, "Description": None}
    return _RivmData(
        columns=columns,
        typed=tuple(typed_rows),
        untyped=tuple(untyped_rows),
        periods=distinct("Perioden"),
        ages=ages,
        margins=margins,
        regions=tuple(regions.values()),
    )


def _rivm_properties(columns: Sequence[str]) -> list[dict[str, Any]]:
    """Synthesise 50090NED DataProperties (the source has none) from the column names.

    Dimensions get their CBS types; Gemeentenaam_1/SoortRegio_2/Codering_3 are String topics;
    every other column is a Double percentage topic with Unit "%" and Decimals 1 (every
    published value in the four files has exactly one decimal). Titles are derived from the
    keys by :func:`title_from_key`, not CBS's own wording.
    """
    dimension_types = {
        "Leeftijd": ("Dimension", "Leeftijd"),
        "Marges": ("Dimension", "Marges"),
        "WijkenEnBuurten": ("GeoDimension", "Wijken en buurten"),
        "Perioden": ("TimeDimension", "Perioden"),
    }
    records: list[dict[str, Any]] = []
    for name in columns:
        if name == "ID":
            continue
        position = len(records)
        base = {"ID": position, "Position": position, "ParentID": None}
        if name in dimension_types:
            kind, title = dimension_types[name]
            records.append(
                {
                    "odata.type": f"Cbs.OData.{kind}",
                    **base,
                    "Type": kind,
                    "Key": name,
                    "Title": title,
                    "Description": None,
                }
            )
            continue
        string_title = RIVM_STRING_TOPICS.get(name)
        records.append(
            {
                "odata.type": "Cbs.OData.Topic",
                **base,
                "Type": "Topic",
                "Key": name,
                "Title": string_title or title_from_key(name),
                "Description": None,
                "Datatype": "String" if string_title else "Double",
                "Unit": None if string_title else "%",
                "Decimals": 0 if string_title else 1,
            }
        )
    return records


def _rivm_table(folder: Path) -> Table:
    """Build RIVM 50090NED from ``gezondheid/50090NED_*.xlsx`` as one table.

    TypedDataSet and UntypedDataSet hold the rows of all four files with fresh sequential IDs
    (typed: floats, '.' → null; untyped: the cell text, '.' kept; an empty cell is null in
    both). Dimensions: Leeftijd, Marges, Perioden and WijkenEnBuurten. The files hold no region
    names except ``Gemeentenaam_1``, so the WijkenEnBuurten Title is the gemeente name for the
    land and gemeente rows and the (stripped) code for wijken and buurten. DataProperties and
    TableInfos are synthesised (see :func:`_rivm_properties`); ``Period`` and ``Modified`` are
    not in the sources and are null.
    """
    files = tuple(sorted(folder.glob(f"{RIVM_TABLE_ID}_*.xlsx")))
    if not files:
        raise FileNotFoundError(f"no {RIVM_TABLE_ID}_*.xlsx files in {folder}")
    table_info = {
        "ID": 0,
        "Title": RIVM_TITLE,
        "ShortTitle": None,
        "Identifier": RIVM_TABLE_ID,
        "Catalog": "RIVM",
        "Period": None,
        "Modified": None,
    }

    load = _once(lambda: _rivm_data(files))

    def periods() -> RecordCollection:
        return RecordCollection(
            [
                {"Key": key, "Title": key[:4] if key.endswith("JJ00") else key, "Description": None}
                for key in load().periods
            ]
        )

    def coded(keys: Sequence[str], titles: Mapping[str, str]) -> RecordCollection:
        return RecordCollection(
            [{"Key": key, "Title": titles[key], "Description": None} for key in keys]
        )

    entities: dict[str, Callable[[], Collection]] = {
        "TableInfos": lambda: RecordCollection([table_info]),
        "UntypedDataSet": lambda: TupleCollection(load().columns, load().untyped),
        "TypedDataSet": lambda: TupleCollection(load().columns, load().typed),
        "DataProperties": lambda: RecordCollection(_rivm_properties(load().columns)),
        "CategoryGroups": lambda: RecordCollection([]),
        "Leeftijd": lambda: coded(load().ages, RIVM_AGE_TITLES),
        "Marges": lambda: coded(load().margins, RIVM_MARGIN_TITLES),
        "WijkenEnBuurten": lambda: RecordCollection(load().regions),
        "Perioden": periods,
    }
    return Table(RIVM_TABLE_ID, entities, catalog_record=_catalog_fields(table_info))


# --------------------------------------------------------------------------------------------
# Recorded tables and catalogue
# --------------------------------------------------------------------------------------------


def _catalog_fields(table_info: Mapping[str, Any]) -> dict[str, Any]:
    """Return the catalogue fields of a table, taken from its TableInfos."""
    names = ("Identifier", "Title", "ShortTitle", "Summary", "Catalog", "Period", "Modified")
    return {name: table_info.get(name) for name in names}


def _recorded_tables(recorded_dir: Path) -> list[Table]:
    """Build the tables of ``odata_v3_recorded``: 80137ned complete, 83599NED data pages."""
    tables = []
    folder = recorded_dir / "80137ned"
    if folder.is_dir():
        service = folder / "service_document.json"
        names = [entry["name"] for entry in _read_json(service)["value"]]
        entities: dict[str, Callable[[], Collection]] = {}
        recorded: dict[tuple[str, int], Path] = {}
        for name in names:
            path = folder / f"{name}.json"
            if not path.is_file():
                # The recorded service document lists UntypedDataSet, which was not recorded:
                # it answers 404 (cbsodata.get_data with typed=False never asks for it).
                continue
            entities[name] = functools.partial(
                lambda p: RecordCollection(_read_json(p)["value"]), path
            )
            recorded[(name, 0)] = path
        tables.append(Table("80137ned", entities, None, recorded, service))
    folder = recorded_dir / "83599NED"
    if folder.is_dir():
        pages = {
            0: folder / "UntypedDataSet_page1.json",
            10_000: folder / "UntypedDataSet_page2_skip10000.json",
        }

        def untyped() -> RecordCollection:
            return RecordCollection([r for p in pages.values() for r in _read_json(p)["value"]])

        recorded = {("UntypedDataSet", skip): path for skip, path in pages.items()}
        tables.append(Table("83599NED", {"UntypedDataSet": _once(untyped)}, None, recorded))
    return tables


def build_tables(source_dir: Path, recorded_dir: Path | None = None) -> dict[str, Table]:
    """Return the served tables keyed by upper-case table id (ids match case-insensitively).

    Parameters
    ----------
    source_dir : Path
        A folder in the ``shared/data`` layout (``kwb/…``, ``gezondheid/…``).
    recorded_dir : Path, optional
        The ``odata_v3_recorded`` folder; without it only source tables are served.

    Returns
    -------
    dict of str to Table
        Nothing is read beyond small metadata files until an entity is requested.
    """
    tables = [
        _kwb_2025_table(source_dir / "kwb" / "86165NED_kwb2025_friesland"),
        _kwb_2022_table(source_dir / "kwb" / "85318NED_kwb2022_metadata"),
        _rivm_table(source_dir / "gezondheid"),
    ]
    if recorded_dir is not None:
        tables = _recorded_tables(recorded_dir) + tables
    return {table.table_id.upper(): table for table in tables}


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

    def __init__(self, tables: dict[str, Table], recorded_dir: Path | None, feed: LocalFeed):
        self.tables = tables
        self.recorded_dir = recorded_dir
        self.feed = feed
        self.lock = threading.Lock()
        self._catalog = _once(self._load_catalog)

    def _load_catalog(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        if self.recorded_dir is not None:
            path = self.recorded_dir / "catalog" / "Tables.json"
            if path.is_file():
                records = rewrite_urls(_read_json(path)["value"], self.feed.base_url)
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
            return rewrite_urls(_read_json(table.service_document), base)
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
        recorded = table.recorded.get((entity, skip))
        if recorded is not None and set(params) <= {"$format", "$skip"}:
            return rewrite_urls(_read_json(recorded), self.feed.base_url)
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
        except Exception as err:  # noqa: BLE001 - a bug must reach the client as a 500
            status, payload = 500, error_body(f"{type(err).__name__}: {err}")
        body = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
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
    server.state = _FeedState(tables, None if recorded_dir is None else Path(recorded_dir), feed)
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
