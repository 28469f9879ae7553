"""Which uploads are read, what people are told about the others, and compressed files."""

from __future__ import annotations

import zlib
from pathlib import PurePath

from analysis.problems import Problem, UploadError

#: Largest upload in MB; the same figure as ``maxUploadSize`` in ``.streamlit/config.toml``.
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
#: Largest text a compressed upload may unpack to (a small .gz can unpack to gigabytes).
MAX_UNPACKED_MB = 200
MAX_UNPACKED_BYTES = MAX_UNPACKED_MB * 1024 * 1024

#: Readers by extension; ``.gz`` after a text extension is unpacked first.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SPSS_SUFFIXES = (".sav", ".zsav")
#: Formats people often send that we cannot read, with what to do instead.
CONVERT_HINTS = {
    ".xls": "sla het bestand in Excel op als .xlsx",
    ".ods": "sla het bestand op als .xlsx (in LibreOffice: Opslaan als, Excel 2007-365)",
    ".numbers": "exporteer het bestand als .xlsx",
    ".por": "sla het bestand in SPSS op als .sav",
    ".zip": "pak het zip-bestand eerst uit en lees het bestand daarin in",
}


def uploader_types(kinds: tuple[str, ...]) -> list[str]:
    """Return the extensions an uploader accepts for reader kinds, advice formats included.

    The uploader lets through exactly what the reader reads, plus the formats it answers with
    Dutch advice (so people get that advice, not Streamlit's English refusal).

    Examples
    --------
    >>> uploader_types(("csv", "xlsx"))
    ['csv', 'tsv', 'txt', 'csv.gz', 'tsv.gz', 'txt.gz', 'gz', 'xlsx', 'xlsm', 'xls', 'ods', 'numbers', 'zip']
    """  # noqa: E501 - a doctest's expected output cannot be wrapped
    out: list[str] = []
    if "csv" in kinds:
        out += [s[1:] for s in TEXT_SUFFIXES] + [s[1:] + ".gz" for s in TEXT_SUFFIXES] + ["gz"]
    if "xlsx" in kinds:
        out += [s[1:] for s in EXCEL_SUFFIXES]
    if "sav" in kinds:
        out += [s[1:] for s in SPSS_SUFFIXES]
    hints = [s[1:] for s in CONVERT_HINTS if s != ".por" or "sav" in kinds]
    return out + hints


def kind_of(file_name: str, kinds: tuple[str, ...] = ("csv", "xlsx", "sav")) -> str:
    """Pick the reader for a file name: ``"csv"``, ``"xlsx"`` or ``"sav"``.

    Raises
    ------
    UploadError
        For a format in `CONVERT_HINTS` (with the advice) or any other extension (listing the
        accepted ones).

    Examples
    --------
    >>> kind_of("Enquete.CSV.gz"), kind_of("data.zsav"), kind_of("t.xlsm")
    ('csv', 'sav', 'xlsx')
    """
    path = PurePath(file_name)
    suffixes = [s.lower() for s in path.suffixes]
    suffix = path.suffix.lower()
    if suffix == ".gz" and len(suffixes) >= 2 and suffixes[-2] in TEXT_SUFFIXES:
        suffix = suffixes[-2]
    elif suffix == ".gz":
        suffix = ".csv"  # a bare .gz: the text reader tells what is inside
    table = {s: "csv" for s in TEXT_SUFFIXES}
    table.update({s: "xlsx" for s in EXCEL_SUFFIXES})
    table.update({s: "sav" for s in SPSS_SUFFIXES})
    if table.get(suffix) in kinds:
        return table[suffix]
    accepted = [s for s, k in table.items() if k in kinds]
    expected = ", ".join(accepted[:-1]) + f" of {accepted[-1]}"
    if not suffix:
        problem = "het bestand heeft geen extensie"
    else:
        problem = f"bestandstype {suffix!r} wordt niet ondersteund"
        if suffix in CONVERT_HINTS:
            problem += f"; {CONVERT_HINTS[suffix]}"
    raise UploadError.from_issues([Problem(file_name, problem, expected)])


def unpack(content: bytes, file_name: str, max_bytes: int = MAX_UNPACKED_BYTES) -> bytes:
    """Return the bytes of a gzip upload unpacked (others as they are), within ``max_bytes``.

    Examples
    --------
    >>> import gzip
    >>> unpack(gzip.compress(b"a;b"), "t.csv.gz"), unpack(b"a;b", "t.csv")
    (b'a;b', b'a;b')
    """
    if not content.startswith(b"\x1f\x8b"):
        if file_name.lower().endswith(".gz"):
            raise UploadError.from_issues(
                [Problem(file_name, "het bestand is geen gzip-bestand", "een .csv.gz uit gzip")]
            )
        return content
    inflater = zlib.decompressobj(wbits=31)  # gzip header
    try:
        out = inflater.decompress(content, max_bytes + 1)
    except zlib.error as err:
        raise UploadError.from_issues(
            [Problem(file_name, "het gzip-bestand is beschadigd", "een volledig .csv.gz-bestand")]
        ) from err
    if len(out) > max_bytes:
        problem = f"uitgepakt is het bestand groter dan {max_bytes // (1024 * 1024)} MB"
        expected = f"hoogstens {max_bytes // (1024 * 1024)} MB uitgepakt"
        raise UploadError.from_issues([Problem(file_name, problem, expected)])
    return out
