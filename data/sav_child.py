"""Read one SPSS file with pyreadstat, from its bytes: the part that runs in a reading child.

pyreadstat is C code; a damaged file can crash it (a segmentation fault was seen on a .sav
with one flipped byte). `data.survey` therefore runs `read` in a child forked from the
upload fork server (`data.uploads.isolated`, which imports pyreadstat before it forks), with
the same memory and time limits as every other upload: such a crash ends the child, not the
dashboard's server and every session in it. pyreadstat reads the bytes from memory (a
file-like object), so nothing is written to disk.

Until issue 14 this module was a script started as a fresh Python process for each file;
the interpreter and its imports cost more than a second of a 500 000-respondent upload. A
large file is now read in two halves at once, by the reading child and a fork of it.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
from typing import Any

import pandas as pd

#: What `read` keeps of pyreadstat's metadata (names as pyreadstat has them).
META_FIELDS = (
    "missing_ranges",
    "file_encoding",
    "column_names_to_labels",
    "variable_value_labels",
)


#: Cases from which a reading child reads a file in two halves at once (`read`).
SPLIT_ROWS = 100_000
#: Linux's prctl option: a signal for this process when its parent ends.
PR_SET_PDEATHSIG = 1


class Unreadable(Exception):
    """pyreadstat could not read the bytes as an SPSS file (its reason is not kept)."""


def read(content: bytes, split_rows: int | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read .sav or .zsav bytes: codes in the frame, the metadata `META_FIELDS` beside it.

    Codes stay codes (``apply_value_formats=False``: the mapping step reads the value labels
    itself) and user-missing codes stay as they are (``user_missing=True``), with their
    ranges in the metadata for the caller to mark them missing and say so. A file of at least
    ``split_rows`` cases is read in two halves at once (`_read_halves`): only in a reading
    child (`SPLIT_ROWS`), which has no other threads to fork with.

    Raises
    ------
    Unreadable
        When pyreadstat cannot read the bytes, or runs out of memory doing so.

    Examples
    --------
    >>> read(b"$FL2 no more than a signature")
    Traceback (most recent call last):
    ...
    data.sav_child.Unreadable
    """
    import pyreadstat  # the fork server imported it already; elsewhere on first use

    try:
        _, head = pyreadstat.read_sav(io.BytesIO(content), metadataonly=True)
        rows = head.number_rows or 0
        if split_rows is not None and rows >= max(split_rows, 2) and hasattr(os, "fork"):
            return _read_halves(content, rows)
        return _read_rows(content, 0, 0)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, MemoryError):
        raise Unreadable from None  # pyreadstat's text may quote the file: not passed on


def _read_rows(content: bytes, offset: int, limit: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read ``limit`` cases from case ``offset`` (0: all of them) with pyreadstat."""
    import pyreadstat

    frame, meta = pyreadstat.read_sav(
        io.BytesIO(content),
        apply_value_formats=False,
        user_missing=True,
        row_offset=offset,
        row_limit=limit,
    )
    return frame, {name: getattr(meta, name) for name in META_FIELDS}


def _read_halves(content: bytes, rows: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read the first half of the cases here and the second in a fork of this process.

    pyreadstat turns every value into a Python object under the GIL, so a thread would not
    help; a forked copy of this reading child (its limits, the bytes already in memory)
    reads on the other core. Skipping the first half costs pyreadstat next to nothing. A
    crash of the copy makes the file unreadable, as a crash here would.
    """
    half = rows // 2
    incoming, outgoing = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the copy: read, send, and leave without running anything of the caller's
        os.close(incoming)
        _die_with_parent()
        if os.getppid() != parent:  # it ended before the line above took effect
            os._exit(1)
        try:
            payload = pickle.dumps(("ok", _read_rows(content, half, rows - half)[0]))
        except BaseException:  # noqa: BLE001 - whatever it was, the reader says: unreadable
            payload = pickle.dumps(("error", None))
        with os.fdopen(outgoing, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(outgoing)
    try:
        first, meta = _read_rows(content, 0, half)
    finally:
        with os.fdopen(incoming, "rb") as received:
            payload = received.read()
        os.waitpid(pid, 0)
    try:
        status, second = pickle.loads(payload)  # our own fork's
    except Exception:  # noqa: BLE001 - it died half-way: whatever is left is no answer
        raise Unreadable from None
    if status != "ok":
        raise Unreadable
    return pd.concat([first, second], ignore_index=True), meta


def _die_with_parent() -> None:
    """Have Linux kill this process when its parent ends (the server stopping a slow read).

    Elsewhere nothing happens: the copy still ends at its CPU limit, inherited from the
    reading child.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
