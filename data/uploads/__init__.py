"""One reader for uploaded tables, shared by the survey, aggregated-table and postcode uploads.

* `formats` — which file names are read, which get Dutch advice, compressed files unpacked
  within a size limit;
* `text` — decoding (BOMs, UTF-16/32 with or without BOM, Windows-1252), the delimiter,
  splitting into records with file row numbers, unclosed quotes, invisible and NUL characters;
* `excel` — one sheet streamed from an .xlsx/.xlsm, sized by its real content and capped,
  with Excel's error values, percent formats and formulas without a saved result marked;
* `isolated` — reading in a child process with a memory and time limit.

Numbers are read by `analysis.numbers` (pure, shared with the survey pipeline's weights).
Every problem is an `analysis.problems.Problem` inside an `analysis.problems.UploadError`.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from analysis.problems import Problem, UploadError

__all__ = [
    "Problem",
    "UploadError",
    "reraised_as",
    "excel",
    "formats",
    "isolated",
    "text",
]


@contextmanager
def reraised_as(error: type[UploadError]) -> Iterator[None]:
    """Turn an `UploadError` of the shared reader into the caller's own subclass."""
    try:
        yield
    except UploadError as err:
        if isinstance(err, error):
            raise
        raise error(str(err), err.issues) from None
