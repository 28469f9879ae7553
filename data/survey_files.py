"""Write the FICTITIOUS example survey as the files people send: CSV, Excel and SPSS.

Only frames marked ``attrs["fictief"] = True`` (made by `analysis.survey.example`) are written:
real survey rows are about vulnerable people and never go to disk from here.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import textwrap
from pathlib import Path
from typing import Literal

import pandas as pd
import pyreadstat

from analysis.survey.questionnaire import codebook, codebook_frame

Format = Literal["csv", "xlsx", "sav"]

FORMATS: tuple[Format, ...] = ("csv", "xlsx", "sav")

#: File name (without extension) of the example files.
STEM = "voorbeeld_enquete_fictief"

#: Written into every example file, so a copy that travels on its own still says what it is.
NOTICE = (
    "Fictief voorbeeld. Deze gegevens zijn verzonnen door het Sociale Basis Dashboard: geen "
    "enkele rij is een echte persoon en geen enkel cijfer zegt iets over een echte wijk."
)

#: SPSS file labels hold at most 64 bytes.
SAV_FILE_LABEL = "Fictief voorbeeld - geen echte respondenten"

_TEXT_COLUMNS = ("respondent_id", "gebied", "postcode")


class ExampleFileError(ValueError):
    """A frame that is not the fictitious example was offered for writing."""


def write_example_files(frame: pd.DataFrame, folder: Path) -> dict[str, Path]:
    """Write the fictitious example survey as CSV, Excel and SPSS files into ``folder``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame from `analysis.survey.example.generate_example` (or the messy variant).
    folder : Path
        Existing folder to write ``voorbeeld_enquete_fictief.{csv,xlsx,sav}`` into.

    Returns
    -------
    dict of str to Path
        The path of each file by format: ``csv``, ``xlsx``, ``sav``.

    Raises
    ------
    ExampleFileError
        When the frame is not marked fictitious.
    """
    paths: dict[str, Path] = {}
    for fmt in FORMATS:
        path = Path(folder) / f"{STEM}.{fmt}"
        path.write_bytes(example_bytes(frame, fmt))
        paths[fmt] = path
    return paths


def example_bytes(frame: pd.DataFrame, fmt: Format) -> bytes:
    """Return the fictitious example survey as the bytes of one file, for a download.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame marked ``attrs["fictief"] = True``.
    fmt : {"csv", "xlsx", "sav"}
        ``csv``: ``;``-separated, UTF-8 with BOM, decimal comma, CRLF (as Dutch Excel saves).
        ``xlsx``: sheet ``enquete`` with the data and sheet ``toelichting`` that says it is a
        fictitious example and lists the codes. ``sav``: SPSS with the Dutch question wording
        as variable labels and the answer texts as value labels.

    Returns
    -------
    bytes

    Raises
    ------
    ExampleFileError
        When the frame is not marked fictitious, or the format is unknown.
    """
    _check_fictitious(frame)
    if fmt == "csv":
        text = frame.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
        return text.encode("utf-8-sig")
    if fmt == "xlsx":
        return _xlsx_bytes(frame)
    if fmt == "sav":
        return _sav_bytes(frame)
    raise ExampleFileError(f"Onbekend formaat {fmt!r}; verwacht een van {', '.join(FORMATS)}")


def _check_fictitious(frame: pd.DataFrame) -> None:
    """Refuse any frame not marked as the fictitious example."""
    if frame.attrs.get("fictief") is not True:
        raise ExampleFileError(
            "Alleen het fictieve voorbeeld wordt hier naar een bestand geschreven "
            "(frame.attrs['fictief'] is niet True); echte enquêtegegevens niet."
        )


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """Return the workbook: sheet 'enquete' (data) and sheet 'toelichting' (notice, codes)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        # A fixed creation date keeps the bytes the same for the same frame.
        writer.book.set_properties({"created": dt.datetime(2026, 1, 1), "title": NOTICE[:60]})
        frame.to_excel(writer, sheet_name="enquete", index=False)
        writer.sheets["enquete"].freeze_panes(1, 0)
        lines = ["Fictief voorbeeld", NOTICE]
        if "gemeente_code" in frame.attrs and "seed" in frame.attrs:
            lines.append(
                f"Gemaakt voor gemeente {frame.attrs['gemeente_code']} met seed "
                f"{frame.attrs['seed']}, naar de RIVM-schattingen per wijk."
            )
        notice = pd.DataFrame({"toelichting": lines})
        notice.to_excel(writer, sheet_name="toelichting", index=False, header=False)
        codes = codebook_frame()
        codes = codes[codes["kolom"].isin(frame.columns)]
        codes.to_excel(writer, sheet_name="toelichting", index=False, startrow=len(lines) + 1)
        sheet = writer.sheets["toelichting"]
        for i, width in enumerate((24, 70, 45, 60, 60)):
            sheet.set_column(i, i, width)
    return buffer.getvalue()


def _sav_bytes(frame: pd.DataFrame) -> bytes:
    """Return an SPSS .sav with variable and value labels (pyreadstat writes only to a path)."""
    questions = {q.column: q for q in codebook()}
    present = [questions[c] for c in frame.columns if c in questions]
    labels: dict[str, str | None] = {q.column: q.variable_label for q in present}
    value_labels: dict[str, dict[int | float, str]] = {
        q.column: dict(q.codes) for q in present if q.codes
    }
    measure = {
        column: "nominal" if column in _TEXT_COLUMNS else "scale"
        for column in frame.columns
        if column in _TEXT_COLUMNS or column in ("gewicht", "leeftijd")
    }
    measure |= dict.fromkeys(value_labels, "ordinal")
    formats = {column: "F1.0" for column in value_labels} | {
        "gewicht": "F8.3",
        "leeftijd": "F3.0",
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{STEM}.sav"
        pyreadstat.write_sav(
            frame,
            path,
            file_label=SAV_FILE_LABEL,
            row_compress=True,  # the bytecode compression SPSS itself writes by default
            note=textwrap.wrap(NOTICE, 80),  # SPSS document lines hold 80 characters
            column_labels=labels,
            variable_value_labels=value_labels,
            variable_measure=measure,
            variable_format={c: f for c, f in formats.items() if c in frame.columns},
        )
        return path.read_bytes()
