"""Text uploads: decoding, the delimiter, records with their row numbers, odd characters."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from analysis.problems import Problem, UploadError

#: Candidate delimiters; on a tie the earlier one wins (Dutch Excel writes ';').
DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab"}
#: How much of a file the delimiter sniffer and the text check look at.
SNIFF_CHARS = 64 * 1024
#: Longest cell kept whole; a longer one (a pasted log, a 1 MB comment) is cut, with a warning.
MAX_CELL_CHARS = 10_000
CSV_EXPECTED = "tekst met kolommen gescheiden door komma, puntkomma of tab"
#: The dtype of text in pandas: held by pyarrow, missing as NaN (the categories of a
#: `CodedText` column).
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)

#: Characters that cannot be seen but make "WK008010" differ from "WK008010": zero-width
#: spaces and joiners, direction marks (RTL/LTR), the word joiner, a BOM inside the text, the
#: soft hyphen. They are removed from every cell, with a warning naming the first place.
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

_EXCEL_SEP_LINE = re.compile(r"sep=(.)(\r\n|\n|\r|$)")

# The csv module refuses fields over 128 KB; a long cell is reported by row and column instead.
csv.field_size_limit(256 * 1024 * 1024)


@dataclass
class Records:
    """A text file split into records: ``records[i]`` is row ``i + 1`` as a spreadsheet counts."""

    records: list[list[str]]
    encoding: str
    delimiter: str
    #: (row, 0-based column) of a quoted cell that runs to the end of the file: see
    #: `unclosed_problem`.
    unclosed: tuple[int, int] | None = None
    warnings: list[str] = field(default_factory=list)


def decode(content: bytes, where: str) -> tuple[str, str]:
    r"""Decode an upload: a BOM decides, else UTF-16/32 by its zero bytes, UTF-8, Windows-1252.

    Raises
    ------
    UploadError
        For a workbook, SPSS or binary file named as text, and for a UTF-8 file (BOM) with a
        row in another encoding, naming that row.

    Examples
    --------
    >>> decode("a;b\r\n1;2".encode("utf-32"), "t.csv")
    ('a;b\r\n1;2', 'utf-32')
    >>> decode("wijk;n\r\nWest;12".encode("utf-16-le"), "t.csv")
    ('wijk;n\r\nWest;12', 'utf-16-le')
    """
    if content.startswith(b"PK\x03\x04"):
        problem = "de inhoud is een Excel- of zip-bestand, geen tekst; heet het eigenlijk .xlsx?"
        raise _whole(where, problem)
    if content.startswith((b"$FL2", b"$FL3")):
        problem = "de inhoud is een SPSS-bestand, geen tekst; heet het eigenlijk .sav?"
        raise _whole(where, problem)
    if content.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        candidates = ["utf-32"]
    elif content.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]  # Excel's "Unicode-tekst"
    else:
        candidates = [_wide_encoding(content[:4096]) or "utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError as err:
            if encoding == "utf-8-sig":
                at = err.start + len(content) - len(err.object)  # the decoder dropped the BOM
                row = content.count(b"\n", 0, at) + 1
                problem = (
                    f"byte 0x{content[at]:02X} is geen UTF-8, terwijl het bestand als "
                    "UTF-8 is opgeslagen (deze rij komt uit een ander bestand of programma)"
                )
                expected = "het hele bestand in één tekenset, bijv. opnieuw opslaan als CSV UTF-8"
                raise UploadError.from_issues([Problem(where, problem, expected, row=row)]) from err
            continue
        if not looks_binary(text):
            return text, encoding
        break
    raise _whole(where, "de inhoud is geen tekst")


def _wide_encoding(head: bytes) -> str | None:
    """Tell UTF-16/UTF-32 without a BOM from the zero bytes of mostly-ASCII text."""
    if len(head) < 8:
        return None
    size = len(head) - len(head) % 4
    zeros = [sum(1 for b in head[i:size:4] if b == 0) / (size // 4) for i in range(4)]
    if min(zeros[1:]) > 0.9 and zeros[0] < 0.1:
        return "utf-32-le"
    if min(zeros[:3]) > 0.9 and zeros[3] < 0.1:
        return "utf-32-be"
    if zeros[1] > 0.9 and zeros[3] > 0.9 and max(zeros[0], zeros[2]) < 0.1:
        return "utf-16-le"
    if zeros[0] > 0.9 and zeros[2] > 0.9 and max(zeros[1], zeros[3]) < 0.1:
        return "utf-16-be"
    return None


def looks_binary(text: str) -> bool:
    """Tell junk from text: more than 1 % control characters (NUL included) at the start.

    A few NUL bytes in one cell are not junk: they are reported by row and column.
    """
    sample = text[:SNIFF_CHARS]
    controls = len(_CONTROL.findall(sample))
    return controls > max(len(sample) / 100, 2)


#: Control characters other than tab and the line ends.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sniff_delimiter(text: str) -> str:
    r"""Pick the delimiter that splits most rows into the same number (≥ 2) of fields.

    Consistency beats width: in a ';' file with decimal commas a ',' split gives a field
    count that varies with the numbers (and 1 for the header), so ';' wins; a ',' table with
    one ';' in a source note below it stays ','. Quotes are honoured (`csv.reader`).

    Examples
    --------
    >>> sniff_delimiter("Wijk,Eenzaam\nWest,41.5\nOost,38\nBron: GGD; 2024\n")
    ','
    """
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # drop the row the cut went through
    best, best_score = DELIMITERS[1], (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        counts = [len(r) for r in records if r]  # [] is an empty line; ';;' still counts
        if not counts:
            continue
        width, rows = max(Counter(counts).items(), key=lambda item: (item[1], item[0]))
        if width < 2:
            continue
        score = (rows / len(counts), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_records(content: bytes, where: str) -> Records:
    r"""Decode and split a text upload into records (row ``i + 1`` is ``records[i]``).

    Excel's ``sep=;`` first line sets the delimiter and is not a row. A quote that is never
    closed swallows the rest of the file into one cell: `Records.unclosed` says where, for
    the caller to refuse the file naming the column as its header does.

    Examples
    --------
    >>> read_records(b"a;b\r\n1;2\r\n", "t.csv").records
    [['a', 'b'], ['1', '2']]
    """
    return split_records(*decode_text(content, where), where)


def split_records(text: str, encoding: str, delimiter: str, where: str) -> Records:
    """Split decoded text into records: `read_records` after `decode_text`."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:  # only a delimiter csv cannot use ("sep=\"")
        raise _whole(where, "de inhoud is geen leesbare tekst") from err
    return Records(records, encoding, delimiter, unclosed=unclosed_quote(text, records))


def decode_text(content: bytes, where: str) -> tuple[str, str, str]:
    r"""Decode a text upload and find its delimiter: (text, encoding, delimiter).

    Excel's ``sep=;`` first line sets the delimiter and is left out of the text.

    Examples
    --------
    >>> decode_text(b"sep=,\r\na,b\r\n", "t.csv")
    ('a,b\r\n', 'utf-8', ',')
    """
    text, encoding = decode(content, where)
    sep_line = _EXCEL_SEP_LINE.match(text)
    if sep_line:
        return text[sep_line.end() :], encoding, sep_line.group(1)
    return text, encoding, sniff_delimiter(text)


#: Bytes of a UTF-8 upload decoded to find its delimiter and header (`decode_head`).
HEAD_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Head:
    """The start of a UTF-8 upload, decoded, and what decoding all of it would have found.

    Attributes
    ----------
    text : str
        The decoded start (the whole text when ``whole``).
    whole : bool
        Whether ``text`` is all of the upload.
    encoding, delimiter : str
        As `decode_text` gives them: ``"utf-8"`` or ``"utf-8-sig"``, and the delimiter.
    ascii, nul : bool
        Whether all of the text is ASCII, and whether it holds a NUL character anywhere.
    """

    text: str
    whole: bool
    encoding: str
    delimiter: str
    ascii: bool
    nul: bool


def decode_head(content: bytes, head_bytes: int | None = None) -> Head | None:
    r"""Decode the start of an upload that `decode_text` would read as UTF-8.

    None when `decode_text` may decide anything else (a BOM of UTF-16/32, zero bytes of a
    wide encoding, a start that is no UTF-8, a ``sep=`` line, junk): then only decoding all
    of it says what it is. Whether the rest is UTF-8 is left to the caller's parser (pyarrow
    checks every text cell); where it is not, the caller decodes all of it after all, and
    Windows-1252 or the row with the wrong byte follows as before. A 38 MB upload is then
    not decoded into a 38 MB string only to find its header (issue 14).

    Examples
    --------
    >>> content = ("\ufeffwijk;n\r\n" + "Aldlân;3\r\n" * 10_000).encode()
    >>> head = decode_head(content, head_bytes=100_000)
    >>> head.text[:15], head.whole, head.encoding, head.delimiter, head.ascii
    ('wijk;n\r\nAldlân;', False, 'utf-8-sig', ';', False)
    >>> decode_head("wijk;n\r\n".encode("utf-16")) is None
    True
    """
    if content.startswith((b"PK\x03\x04", b"$FL2", b"$FL3")):
        return None
    if content.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    bom = len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8) else 0
    if not bom and _wide_encoding(content[:4096]):
        return None
    head_bytes = head_bytes or HEAD_BYTES
    whole = len(content) <= head_bytes
    try:
        decoder = codecs.getincrementaldecoder("utf-8")()
        text = decoder.decode(content[bom:head_bytes], final=whole)
    except UnicodeDecodeError:
        return None
    if looks_binary(text) or _EXCEL_SEP_LINE.match(text):
        return None
    if not whole and len(text) <= SNIFF_CHARS:  # (the sniffer would see another sample)
        return None
    return Head(
        text=text,
        whole=whole,
        encoding="utf-8-sig" if bom else "utf-8",
        delimiter=sniff_delimiter(text),
        # (numpy reads the bytes where they are: content[bom:] would copy 38 MB)
        ascii=bool(np.frombuffer(content, dtype=np.uint8, offset=bom).max(initial=0) < 0x80),
        nul=b"\x00" in content,
    )


#: A text of nothing but line breaks (or nothing at all).
_ONLY_BREAKS = re.compile(b"[\r\n]*")
#: A line break as `csv.reader` sees one in text read with ``newline=""``.
_LINE_BREAK = re.compile("\r\n|\n|\r")


def _lines(text: str) -> Iterator[tuple[str, int]]:
    """Yield each line of ``text`` with its line break, and the offset after it."""
    at = 0
    while at < len(text):
        found = _LINE_BREAK.search(text, at)
        end = found.end() if found else len(text)
        yield text[at:end], end
        at = end


def iter_records(text: str, delimiter: str) -> Iterator[tuple[list[str], int]]:
    r"""Yield each record of a text with the offset in ``text`` where the next record starts.

    The records are `read_records`'s (``csv.reader``, which reads no further than the record
    it returns), so a caller can read the first rows in Python and hand the rest on at a
    record boundary.

    Raises
    ------
    csv.Error
        For a delimiter ``csv`` cannot use (``sep="``).

    Examples
    --------
    >>> list(iter_records('a;b\r\n"x\ny";2\n', ";"))
    [(['a', 'b'], 5), (['x\ny', '2'], 13)]
    """
    offset = 0

    def lines() -> Iterator[str]:
        nonlocal offset
        for line, offset in _lines(text):  # noqa: B007 - the reader's position
            yield line

    for record in csv.reader(lines(), delimiter=delimiter):
        yield record, offset


@dataclass(frozen=True)
class Body:
    """The records below a header, split into columns by `split_body`.

    Attributes
    ----------
    columns : list of pyarrow.ChunkedArray
        One string array per header column, every cell as the file has it (``""`` when empty).
    rows : numpy.ndarray
        For each row of the columns, its record number counted from the first record of the
        body (1): empty lines are records too, as in `read_records`.
    """

    columns: list[pa.ChunkedArray]
    rows: np.ndarray


def body_bytes(content: bytes, encoding: str, text: str, start: int) -> tuple[bytes, int]:
    r"""Return bytes and the offset in them where the UTF-8 of ``text[start:]`` begins.

    When the upload is UTF-8 and ``text`` its decoding, that is the upload itself (no copy of
    40 MB, no encoding back); otherwise the text from ``start`` is encoded.

    Examples
    --------
    >>> content = "\ufeffwijk;n\r\nAldlân;3\r\n".encode("utf-8")
    >>> data, at = body_bytes(content, "utf-8-sig", content.decode("utf-8-sig"), 8)
    >>> data is content, data[at:].decode()
    (True, 'Aldlân;3\r\n')
    >>> body_bytes("wijk;n\nAldlân;3\n".encode("cp1252"), "cp1252", "wijk;n\nAldlân;3\n", 7)
    (b'Aldl\xc3\xa2n;3\n', 0)
    """
    bom = {"utf-8": 0, "utf-8-sig": len(codecs.BOM_UTF8)}.get(encoding)
    if bom is None or content.startswith(b"sep=", bom):  # (the text starts after that line)
        return text[start:].encode(), 0
    return content, bom + len(text[:start].encode())


def split_body(data: bytes, delimiter: str, width: int, start: int = 0) -> Body | None:
    r"""Split the UTF-8 records of ``data[start:]`` into ``width`` text columns with pyarrow.

    The cells and record numbers are those of `read_records` (the same quoting rules:
    ``"a""b"`` is ``a"b``, a quote inside an unquoted cell is text), at pyarrow's speed: an
    empty line is a record of its own for both (pyarrow's ``ignore_empty_lines=False`` gives
    it a row of empty cells), so the n-th row is the n-th record. None when a file needs
    Python's csv module to be read exactly: a record of another width (its row number must be
    named) or an unclosed quote. Quotes and line breaks are ASCII: in UTF-8 they are found
    byte by byte.

    Examples
    --------
    >>> body = split_body(b'1;"a\nb"\r\n\r\n3;c\r\n', ";", 2)
    >>> [column.to_pylist() for column in body.columns], body.rows.tolist()
    ([['1', '', '3'], ['a\nb', '', 'c']], [1, 2, 3])
    >>> split_body(b"1;a\n2;b;c\n", ";", 2) is None
    True
    >>> split_body(b"a;b\n", ";", 2, start=4).rows.tolist()  # a header without rows below it
    []
    """
    quoted = data.find(b'"', start) >= 0  # (a scan that stops at the first quote)
    if width < 1 or len(delimiter.encode()) != 1 or delimiter in '"\r\n':
        return None
    if quoted and data.count(b'"', start) % 2:
        return None
    if _ONLY_BREAKS.fullmatch(data, start):  # no rows at all (pyarrow calls that an error)
        empty = pa.chunked_array([], type=pa.string())
        return Body([empty] * width, np.arange(1, 1, dtype=np.int64))
    names = [f"c{i}" for i in range(width)]
    odd: list[int] = []

    def refuse(_row: pacsv.InvalidRow) -> str:
        odd.append(1)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),
            read_options=pacsv.ReadOptions(column_names=names),
            # Only a quoted cell can hold a line break; without quotes pyarrow splits faster.
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=quoted,
                ignore_empty_lines=False,
                invalid_row_handler=refuse,
            ),
            convert_options=pacsv.ConvertOptions(
                # (32-bit offsets: half the memory; the distinct texts become large_string)
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeError):  # pragma: no cover - the Python reader says why
        return None
    if odd:
        return None
    return Body(table.columns, np.arange(1, table.num_rows + 1))


def unclosed_problem(where: str, row: int, column: str) -> Problem:
    """Return the problem of a quoted cell that is never closed, at its row and column."""
    problem = (
        'hier begint een tekst tussen aanhalingstekens (") die niet gesloten wordt; de rest '
        "van het bestand valt erin"
    )
    expected = "elk aanhalingsteken aan het begin van een cel ook aan het eind"
    return Problem(where, problem, expected, row=row, column=column)


def unclosed_quote(text: str, records: list[list[str]]) -> tuple[int, int] | None:
    """Return (row, 0-based column) of a quoted cell that runs to the end of the file, if any.

    Python's csv reader ends such a cell at the end of the file without complaint; an odd
    number of quote characters and a last record holding a line break give it away.
    """
    if text.count('"') % 2 == 0 or not records:
        return None
    last = records[-1]
    for column, cell in enumerate(last):
        if "\n" in cell or "\r" in cell:
            return len(records), column
    return None


@dataclass(frozen=True)
class CellNote:
    """Where odd characters were found and removed from the cells of one upload."""

    kind: str  # "invisible", "nul" or "long"
    row: int
    column: str
    count: int


def note_text(where: str, note: CellNote) -> str:
    """Return the Dutch warning for odd characters removed or a cell cut."""
    place = f"{where}, rij {note.row}, kolom {note.column!r}"
    more = f" (en in nog {note.count - 1} cellen)" if note.count > 1 else ""
    if note.kind == "invisible":
        return (
            f"{place}{more}: onzichtbare tekens (zoals een zero-width space of een "
            "richtingsteken) zijn weggelaten."
        )
    if note.kind == "nul":
        return f"{place}{more}: onleesbare tekens (NUL, code 0) zijn weggelaten."
    limit = f"{MAX_CELL_CHARS:,}".replace(",", ".")
    return f"{place}{more}: de cel is langer dan {limit} tekens; alleen het begin is ingelezen."


def clean_cell(value: str) -> tuple[str, set[str]]:
    r"""Remove invisible and NUL characters from one cell and cut a too long one.

    Returns the cleaned text and the kinds of change made (see `CellNote`).

    Examples
    --------
    >>> text, kinds = clean_cell("WK\u200b008010\x00")
    >>> text, sorted(kinds)
    ('WK008010', ['invisible', 'nul'])
    """
    kinds: set[str] = set()
    if "\x00" in value:
        value, kinds = value.replace("\x00", ""), kinds | {"nul"}
    if INVISIBLE.search(value):
        value, kinds = INVISIBLE.sub("", value), kinds | {"invisible"}
    if len(value) > MAX_CELL_CHARS:
        value, kinds = value[:MAX_CELL_CHARS], kinds | {"long"}
    return value, kinds


def _whole(where: str, problem: str) -> UploadError:
    return UploadError.from_issues([Problem(where, problem, CSV_EXPECTED)])


#: Cells looked at to tell a column of answers (few distinct texts) from one of ids.
CODING_SAMPLE = 4096


@dataclass(frozen=True)
class CodedText:
    """A text column as its distinct texts and, per cell, the position of its text (issue 14).

    A survey column of 500 000 cells holds a handful of distinct answers: every check and
    change of the texts (odd characters, blanks) is made once per distinct text, and what
    crosses from the reading child to the server is the texts and one small integer per cell;
    the column becomes a pandas ``Categorical`` of those texts (`to_series`). A column whose
    cells are mostly all different (respondent ids) is kept as it is: ``codes`` is None and
    ``texts`` holds every cell, a missing one as null; it becomes pandas text.

    Attributes
    ----------
    texts : pyarrow.Array
        The distinct texts (``large_string``), or every cell when ``codes`` is None.
    codes : numpy.ndarray or None
        Per cell the position of its text in ``texts``; -1 for a missing cell.

    Examples
    --------
    >>> coded = CodedText.of(pa.chunked_array([["ja", "nee"], ["ja", None]]))
    >>> coded.texts.to_pylist(), coded.codes.tolist()
    (['ja', 'nee'], [0, 1, 0, -1])
    >>> coded.to_series().tolist()
    ['ja', 'nee', 'ja', nan]
    >>> CodedText.of(pa.array([f"id{i}" for i in range(5000)])).codes is None
    True
    """

    texts: pa.Array
    codes: np.ndarray | None

    @classmethod
    def of(cls, column: pa.Array | pa.ChunkedArray) -> CodedText:
        """Code a text column, unless the first `CODING_SAMPLE` cells are mostly different."""
        if isinstance(column, pa.Array):
            column = pa.chunked_array([column])
        sample = column.slice(0, CODING_SAMPLE)
        if len(sample) == CODING_SAMPLE and pc.count_distinct(sample).as_py() > len(sample) // 2:
            return cls(column.combine_chunks().cast(pa.large_string()), None)
        # The chunks of a chunked column share one dictionary: pyarrow's, when it is done.
        chunks = pc.dictionary_encode(column).chunks
        if not chunks:
            return cls(pa.array([], type=pa.large_string()), np.arange(0))
        codes = [
            pc.fill_null(chunk.indices, -1) if chunk.null_count else chunk.indices
            for chunk in chunks
        ]
        texts = chunks[-1].dictionary.cast(pa.large_string())
        small = _code_type(len(texts))
        return cls(texts, np.concatenate([c.to_numpy() for c in codes], dtype=small))

    def __len__(self) -> int:
        """Return the number of cells."""
        return len(self.texts) if self.codes is None else len(self.codes)

    def present(self) -> np.ndarray:
        """Return per cell whether it holds a text (is not missing)."""
        if self.codes is None:
            return self.texts.is_valid().to_numpy(zero_copy_only=False)
        return self.codes >= 0

    def cells(self, positions: np.ndarray) -> np.ndarray:
        """Return the cells (in file order) whose text is at one of ``positions`` of `texts`.

        Examples
        --------
        >>> CodedText(pa.array(["a", "b"]), np.array([1, 0, -1, 1])).cells(np.array([1])).tolist()
        [0, 3]
        """
        if self.codes is None or not len(positions):
            return positions
        if len(positions) == 1:
            return np.flatnonzero(self.codes == positions[0])
        return np.flatnonzero(np.isin(self.codes, positions))

    def with_texts(self, texts: pa.Array) -> CodedText:
        """Return the column with each text replaced (same order); equal texts merge.

        Examples
        --------
        >>> coded = CodedText(pa.array(["a?", "a", "b"]), np.array([0, 1, 2, -1]))
        >>> merged = coded.with_texts(pa.array(["a", "a", "b"]))
        >>> merged.texts.to_pylist(), merged.codes.tolist()
        (['a', 'b'], [0, 0, 1, -1])
        """
        if self.codes is None:
            return CodedText(texts, None)
        encoded = pc.dictionary_encode(texts)
        if len(encoded.dictionary) == len(texts):
            return CodedText(texts, self.codes)
        return self._moved(encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary)

    def without(self, dropped: np.ndarray) -> CodedText:
        """Return the column with the texts where ``dropped`` is True made missing.

        Examples
        --------
        >>> coded = CodedText(pa.array(["a", " ", "b"]), np.array([0, 1, 2, 1]))
        >>> gone = coded.without(np.array([False, True, False]))
        >>> gone.texts.to_pylist(), gone.codes.tolist()
        (['a', 'b'], [0, -1, 1, -1])
        """
        if not dropped.any():
            return self
        if self.codes is None:
            nothing = pa.scalar(None, type=self.texts.type)
            return CodedText(pc.if_else(pa.array(dropped), nothing, self.texts), None)
        moved = np.cumsum(~dropped) - 1
        moved[dropped] = -1
        return self._moved(moved, self.texts.filter(pa.array(~dropped)))

    def take(self, at: np.ndarray) -> CodedText:
        """Return the cells at positions ``at`` (distinct texts stay as they are)."""
        if len(at) == len(self):
            return self
        if self.codes is None:
            return CodedText(self.texts.take(pa.array(at)), None)
        return CodedText(self.texts, self.codes[at])

    def to_series(self) -> pd.Series:
        """Return the column as a pandas ``Categorical`` of the texts, or as pandas text."""
        if self.codes is None:
            return pd.Series(pd.array(self.texts, dtype=TEXT_DTYPE), copy=False)
        categories = pd.Index(pd.array(self.texts, dtype=TEXT_DTYPE), copy=False)
        return pd.Series(
            pd.Categorical.from_codes(
                self.codes.astype(_code_type(len(self.texts)), copy=False),
                dtype=pd.CategoricalDtype(categories),
                validate=False,
            ),
            copy=False,
        )

    def _moved(self, to: np.ndarray, texts: pa.Array) -> CodedText:
        """Return the column with code ``i`` now ``to[i]`` in ``texts`` (-1 stays missing)."""
        # position -1: a missing cell stays missing
        lookup = np.append(to, -1).astype(_code_type(len(texts)))
        return CodedText(texts, lookup[self.codes])


def _code_type(size: int) -> type[np.signedinteger]:
    """Return the smallest signed integer type for codes into ``size`` texts (and -1).

    Examples
    --------
    >>> _code_type(3).__name__, _code_type(200).__name__, _code_type(70_000).__name__
    ('int8', 'int16', 'int32')
    """
    return np.int8 if size < 2**7 else np.int16 if size < 2**15 else np.int32
