"""CBS "Buurt, wijk en gemeente voor postcode huisnummer" tables, as a user uploads them."""

from __future__ import annotations

import pandas as pd

from analysis.problems import Problem, UploadError
from data.uploads import excel, formats, reraised_as
from data.uploads import text as upload_text
from data.uploads.isolated import run_isolated

#: The postcode uploader's accepted extensions (with the advice formats).
UPLOAD_TYPES = formats.uploader_types(("csv", "xlsx"))


class PostcodeTableError(UploadError):
    """A postcode table cannot be read."""


def read_postcode_table(content: bytes, file_name: str, *, isolated: bool = True) -> pd.DataFrame:
    r"""Read a postcode → buurt table (CSV with ``;``, ``,`` or tab, or Excel) as text columns.

    Read by the shared upload reader (`data.uploads`), in a child process with a memory and
    time limit unless ``isolated`` is False. The columns are checked and tidied by
    `analysis.survey.area_keys.postcode_lookup`.

    Examples
    --------
    >>> content = "PC6;Huisnummer;Buurt2024\n8921AB;12;00801001\n".encode()
    >>> read_postcode_table(content, "pc.csv", isolated=False).to_dict("records")
    [{'PC6': '8921AB', 'Huisnummer': '12', 'Buurt2024': '00801001'}]
    """
    if isolated:
        return run_isolated(
            _read_here, bytes(content), file_name, where=file_name, error=PostcodeTableError
        )
    return _read_here(bytes(content), file_name)


def _read_here(content: bytes, file_name: str) -> pd.DataFrame:
    with reraised_as(PostcodeTableError):
        kind = formats.kind_of(file_name, ("csv", "xlsx"))
        content = formats.unpack(content, file_name)
        if kind == "xlsx":
            sheet, _ = excel.read_sheet(content, file_name)
            rows = [[_text(c) for c in cells] for _, cells in sheet.rows]
        else:
            read = upload_text.read_records(content, file_name)
            if read.unclosed is not None:
                row, column = read.unclosed
                problem = upload_text.unclosed_problem(file_name, row, excel.column_letter(column))
                raise UploadError.from_issues([problem])
            rows = [[upload_text.clean_cell(c)[0] for c in r] for r in read.records if any(r)]
    if not rows:
        raise PostcodeTableError.from_issues(
            [Problem(file_name, "het bestand is leeg", "een kopregel met PC6 en Huisnummer")]
        )
    header = [c.strip() for c in rows[0]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=object).astype("str")


def _text(cell: object) -> str:
    """Return an Excel cell as text: whole numbers without '.0', empty cells as ''."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
