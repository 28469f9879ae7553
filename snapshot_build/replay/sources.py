"""The tables the replay serves, parsed from the raw KWB and RIVM source files.

* **KWB tables from source files**: ``86165NED`` (Kerncijfers wijken en buurten 2025, the
  Friesland rows), ``85984NED`` (2024) and ``85318NED`` (2022), the last two metadata only.
* **RIVM 50090NED** (Gezondheid per wijk en buurt; 2012/2016/2020) from the four Excel exports.
* **Recorded replay** of ``shared/data/odata_v3_recorded`` (table ``80137ned`` complete, the two
  pages of ``83599NED/UntypedDataSet``).

Only what the sources hold is served; see :mod:`snapshot_build.replay` for what that means for a
real client.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.catalogue import RIVM_TABLE_ID
from snapshot_build.replay.entities import (
    Collection,
    RecordCollection,
    Table,
    TupleCollection,
    once,
)
from snapshot_build.replay.files import (
    int_or_none,
    property_records,
    read_csv_text,
    read_json,
    read_xlsx,
    text_records,
    typed_value,
    untyped_value,
)

__all__ = [
    "RIVM_AGE_TITLES",
    "RIVM_MARGIN_TITLES",
    "RIVM_TABLE_ID",
    "build_tables",
    "catalog_fields",
    "title_from_key",
]

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
    info = read_json(info_file)
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
        return RecordCollection(property_records(read_csv_text(properties_file)))

    def data_columns() -> tuple[list[str], dict[str, str]]:
        frame = read_csv_text(data_file)
        props = property_records(read_csv_text(properties_file))
        datatypes = {p["Key"]: p.get("Datatype") or "" for p in props if p["Type"] == "Topic"}
        columns = [name for name in frame.columns if name != "Naam_gebied"]
        unknown = [c for c in columns if c not in datatypes and c not in ("ID", "WijkenEnBuurten")]
        if unknown:
            raise ValueError(f"{data_file}: columns without a DataProperties topic: {unknown}")
        datatypes = {"ID": "Long", "WijkenEnBuurten": "String", **datatypes}
        return columns, datatypes

    def data_set(convert: Callable[[str, str, str], Any]) -> TupleCollection:
        frame = read_csv_text(data_file)
        columns, datatypes = data_columns()
        rows = []
        for number, row in enumerate(text_records(frame), start=2):
            where = f"{data_file.name} line {number}"
            rows.append(
                tuple(
                    # The ID is a number in CBS's UntypedDataSet too.
                    int_or_none(row[c], where)
                    if c == "ID"
                    else convert(row[c], datatypes[c], f"{where} column {c}")
                    for c in columns
                )
            )
        return TupleCollection(tuple(columns), rows)

    def typed() -> TupleCollection:
        return data_set(typed_value)

    def untyped() -> TupleCollection:
        return data_set(untyped_value)

    def regions() -> RecordCollection:
        records = []
        for row in text_records(read_csv_text(data_file)):
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
        "UntypedDataSet": once(untyped),
        "TypedDataSet": once(typed),
        "DataProperties": once(properties),
        "WijkenEnBuurten": once(regions),
    }
    return Table(table_id, entities, catalog_record=catalog_fields(table_info))


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
    infos = text_records(read_csv_text(files["TableInfos"]))
    table_info: dict[str, Any] = {
        name: (int_or_none(text, "TableInfos ID") if name == "ID" else text)
        for name, text in infos[0].items()
    }

    def dimension() -> RecordCollection:
        records = [
            {name: (text if name == "Key" or text != "" else None) for name, text in row.items()}
            for row in text_records(read_csv_text(files["WijkenEnBuurten"]))
        ]
        return RecordCollection(records)

    entities: dict[str, Callable[[], Collection]] = {
        "TableInfos": lambda: RecordCollection([table_info]),
        "DataProperties": once(
            lambda: RecordCollection(property_records(read_csv_text(files["DataProperties"])))
        ),
        "CategoryGroups": once(
            lambda: RecordCollection(text_records(read_csv_text(files["CategoryGroups"])))
        ),
        "WijkenEnBuurten": once(dimension),
    }
    return Table(table_info["Identifier"], entities, catalog_record=catalog_fields(table_info))


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
        file_header, rows = read_xlsx(path)
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

    load = once(lambda: _rivm_data(files))

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
    return Table(RIVM_TABLE_ID, entities, catalog_record=catalog_fields(table_info))


# --------------------------------------------------------------------------------------------
# Recorded tables and catalogue
# --------------------------------------------------------------------------------------------


def catalog_fields(table_info: Mapping[str, Any]) -> dict[str, Any]:
    """Return the catalogue fields of a table, taken from its TableInfos."""
    names = ("Identifier", "Title", "ShortTitle", "Summary", "Catalog", "Period", "Modified")
    return {name: table_info.get(name) for name in names}


def _recorded_tables(recorded_dir: Path) -> list[Table]:
    """Build the tables of ``odata_v3_recorded``: 80137ned complete, 83599NED data pages."""
    tables = []
    folder = recorded_dir / "80137ned"
    if folder.is_dir():
        service = folder / "service_document.json"
        names = [entry["name"] for entry in read_json(service)["value"]]
        entities: dict[str, Callable[[], Collection]] = {}
        recorded: dict[tuple[str, int], Path] = {}
        for name in names:
            path = folder / f"{name}.json"
            if not path.is_file():
                # The recorded service document lists UntypedDataSet, which was not recorded:
                # it answers 404 (cbsodata.get_data with typed=False never asks for it).
                continue
            entities[name] = functools.partial(
                lambda p: RecordCollection(read_json(p)["value"]), path
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
            return RecordCollection([r for p in pages.values() for r in read_json(p)["value"]])

        recorded = {("UntypedDataSet", skip): path for skip, path in pages.items()}
        tables.append(Table("83599NED", {"UntypedDataSet": once(untyped)}, None, recorded))
    return tables


def _kwb_2024_table(folder: Path) -> Table:
    """Build 85984NED "Kerncijfers wijken en buurten 2024" (metadata only, as CBS names it).

    The source folder holds the table's TableInfos, DataProperties and CategoryGroups as
    ``cbsodata`` wrote them, and a reduction of the data by its origin project that is not a
    CBS response; so, as for 85318NED, only the metadata is served (the catalogue lists the
    table; its data sets answer 404).
    """
    files = {name: folder / f"{name}.json" for name in ("TableInfos", "DataProperties")}
    for path in files.values():
        if not path.is_file():
            raise FileNotFoundError(f"KWB 2024 source file missing: {path}")
    table_info = dict(read_json(files["TableInfos"])[0])
    entities: dict[str, Callable[[], Collection]] = {
        "TableInfos": lambda: RecordCollection([table_info]),
        "DataProperties": once(lambda: RecordCollection(read_json(files["DataProperties"]))),
        "CategoryGroups": lambda: RecordCollection([]),
    }
    return Table(table_info["Identifier"], entities, catalog_record=catalog_fields(table_info))


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
        _kwb_2024_table(source_dir / "kwb" / "85984NED_kwb2024_gm_wk"),
        _rivm_table(source_dir / "gezondheid"),
    ]
    if recorded_dir is not None:
        tables = _recorded_tables(recorded_dir) + tables
    return {table.table_id.upper(): table for table in tables}
