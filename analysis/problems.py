"""One problem type for everything a user's file can get wrong, and the error base pages catch.

A `Problem` says where (file, sheet, row, column as the file names them), what was found (the
value) and what was expected, in Dutch. Every error raised about an uploaded file — survey,
aggregated table, postcode table, koppelbestand, area matching — is an `UploadError`, so a page
catches that one class and shows ``str(err)`` as plain text (issue 15, item 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

__all__ = ["LISTED_PROBLEMS", "Problem", "UploadError", "shown_value"]

#: Problems spelled out in one error message; the rest are counted.
LISTED_PROBLEMS = 5
#: Longest cell text quoted in a message; longer text is cut with "…" and its length.
SHOWN_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One problem in an uploaded file, placed where a spreadsheet user would look for it.

    ``row`` is 1-based with the header as row 1 in a CSV file (Excel: the sheet's own row
    number; SPSS: the case number); ``value`` is the cell as read, or None when the problem is
    not about one cell; ``sheet`` is the Excel sheet, when there is one.
    """

    file_name: str
    problem: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: Any = None
    sheet: str | None = None

    @property
    def place(self) -> str:
        """Return where the problem is: ``"e.xlsx, tabblad 'data', rij 4, kolom 'x'"``."""
        place = [self.file_name]
        if self.sheet is not None:
            place.append(f"tabblad {self.sheet!r}")
        if self.row is not None:
            place.append(f"rij {self.row}")
        if self.column is not None:
            place.append(f"kolom {self.column!r}")
        return ", ".join(place)

    @property
    def message(self) -> str:
        """Return the Dutch one-line message.

        Examples
        --------
        >>> Problem("enquete.csv", "is geen geldig antwoord", "ja, min of meer, nee",
        ...         row=14, column="eenz_3", value="misschien").message
        "enquete.csv, rij 14, kolom 'eenz_3': 'misschien' is geen geldig antwoord (verwacht: ja, min of meer, nee)"
        >>> Problem("e.xlsx", "is een Excel-foutwaarde", "een getal", 3, "x", "#N/A", "data").message
        "e.xlsx, tabblad 'data', rij 3, kolom 'x': '#N/A' is een Excel-foutwaarde (verwacht: een getal)"
        """  # noqa: E501 - a doctest's expected output cannot be wrapped
        what = self.problem if self.value is None else f"{shown_value(self.value)} {self.problem}"
        return f"{self.place}: {what} (verwacht: {self.expected})"


def shown_value(value: Any) -> str:
    """Quote a cell for a message: text in quotes, cut when long; numbers as they are.

    Examples
    --------
    >>> shown_value("ja"), shown_value(3.0), shown_value("x" * 100)[-16:]
    ("'ja'", '3.0', "x…' (100 tekens)")
    """
    if not isinstance(value, str):
        return str(value)
    if len(value) > SHOWN_CHARS:
        return repr(value[:SHOWN_CHARS] + "…") + f" ({len(value)} tekens)"
    return repr(value)


class UploadError(ValueError):
    """A file a user gave cannot be used; the message is Dutch and meant for the user.

    The common base of every upload error (survey, aggregated table, postcode table,
    koppelbestand, areas). Pages catch this class and show ``str(err)`` as plain text.

    Parameters
    ----------
    message : str
        What the page shows.
    issues : sequence of Problem
        Every problem found, for a table when there are many.
    """

    def __init__(self, message: str, issues: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.issues: list[Problem] = list(issues)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with the problems (errors come back from the reading child process)."""
        return (type(self), (str(self), self.issues))

    @classmethod
    def from_issues(cls, issues: Sequence[Problem], limit: int = LISTED_PROBLEMS) -> Self:
        """Build the error for one or more problems; past ``limit`` the rest are counted.

        Examples
        --------
        >>> bad = [Problem("e.csv", "is geen getal", "een getal", row, "x", v) for row, v in
        ...        [(2, "a"), (3, "b")]]
        >>> print(UploadError.from_issues(bad))
        e.csv: 2 problemen gevonden:
        - e.csv, rij 2, kolom 'x': 'a' is geen getal (verwacht: een getal)
        - e.csv, rij 3, kolom 'x': 'b' is geen getal (verwacht: een getal)
        """
        if len(issues) == 1:
            return cls(issues[0].message, issues)
        first = issues[0]
        where = first.file_name if first.sheet is None else f"{first.file_name}, tabblad "
        where += "" if first.sheet is None else repr(first.sheet)
        head = f"{where}: {len(issues)} problemen gevonden"
        lines = [f"- {issue.message}" for issue in issues[:limit]]
        if len(issues) > limit:
            head += f", de eerste {limit}"
            lines.append(f"- en nog {len(issues) - limit}")
        return cls("\n".join([f"{head}:", *lines]), issues)
