"""CBS "Buurt, wijk en gemeente voor postcode huisnummer" tables, as a user uploads them."""

from __future__ import annotations

import io

import pandas as pd


class PostcodeTableError(ValueError):
    """A postcode table cannot be read."""


def read_postcode_table(content: bytes, file_name: str) -> pd.DataFrame:
    r"""Read a postcode → buurt table (CSV with ``;`` or ``,``, or Excel) as text columns.

    The columns are checked and tidied by `analysis.survey.area_keys.postcode_lookup`.

    Examples
    --------
    >>> content = "PC6;Huisnummer;Buurt2024\n8921AB;12;00801001\n".encode()
    >>> read_postcode_table(content, "pc.csv").to_dict("records")
    [{'PC6': '8921AB', 'Huisnummer': '12', 'Buurt2024': '00801001'}]
    """
    try:
        if file_name.lower().endswith((".xlsx", ".xlsm")):
            return pd.read_excel(io.BytesIO(content), dtype=str)
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    except Exception as err:  # openpyxl raises many kinds on a broken workbook
        raise PostcodeTableError(f"{file_name}: geen leesbaar Excel-bestand ({err})") from None
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") >= first.count(",") else ","
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as err:
        raise PostcodeTableError(f"{file_name}: geen leesbare tabel ({err})") from None
