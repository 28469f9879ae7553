"""Read one SPSS file with pyreadstat, from its bytes: the part that runs in a reading child.

pyreadstat is C code; a damaged file can crash it (a segmentation fault was seen on a .sav
with one flipped byte). `data.survey` therefore runs `read` in a child forked from the
upload fork server (`data.uploads.isolated`, which imports pyreadstat before it forks), with
the same memory and time limits as every other upload: such a crash ends the child, not the
dashboard's server and every session in it. pyreadstat reads the bytes from memory (a
file-like object), so nothing is written to disk.

Until issue 14 this module was a script started as a fresh Python process for each file;
the interpreter and its imports cost more than a second of a 500 000-respondent upload.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

#: What `read` keeps of pyreadstat's metadata (names as pyreadstat has them).
META_FIELDS = (
    "missing_ranges",
    "file_encoding",
    "column_names_to_labels",
    "variable_value_labels",
)


class Unreadable(Exception):
    """pyreadstat could not read the bytes as an SPSS file (its reason is not kept)."""


def read(content: bytes) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read .sav or .zsav bytes: codes in the frame, the metadata `META_FIELDS` beside it.

    Codes stay codes (``apply_value_formats=False``: the mapping step reads the value labels
    itself) and user-missing codes stay as they are (``user_missing=True``), with their
    ranges in the metadata for the caller to mark them missing and say so.

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
        frame, meta = pyreadstat.read_sav(
            io.BytesIO(content), apply_value_formats=False, user_missing=True
        )
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, MemoryError):
        raise Unreadable from None  # pyreadstat's text may quote the file: not passed on
    return frame, {name: getattr(meta, name) for name in META_FIELDS}
