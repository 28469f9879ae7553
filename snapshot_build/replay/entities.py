"""Entity collections of the replayed tables: records or tuples, loaded lazily, once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["Collection", "RecordCollection", "Table", "TupleCollection", "once"]


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


def once(load: Callable[[], _T]) -> Callable[[], _T]:
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
