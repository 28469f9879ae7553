"""The fast paths of issue 5 give what the slow ones gave: same codes, estimates, rows, messages.

Each speed-up replaced a loop over cells or areas by work per column or per distinct value.
These tests hold the fast path to the definition it replaced: `answer_code` cell by cell,
`estimate` per area and per rest of the gemeente, the CSV reader's row numbers and messages,
and the map figure's geometry shared rather than copied.
"""

import base64
import codecs
import copy
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import charts
from analysis.catalogue import load_catalogue
from analysis.survey.scales import DJG11, MANTELZORG, ScaleValueError, _code_column, answer_code
from analysis.survey.stats import TOTAL_AREA, differs_from_total, estimate, estimates_by_area
from data.survey import SurveyError, read_survey

NAN = math.nan
ITEM = DJG11.item("djg11_2")
LABELS = {1.0: "Nee", 2.0: "Min of meer", 3.0: "Ja"}  # a file that codes the other way round


def _by_cell(values: pd.Series, item, labels=None) -> tuple[list[float], list[tuple]]:
    """Code every cell with `answer_code` (the definition); errors as (label, value)."""
    codes, errors = [], []
    for label, raw in values.items():
        try:
            code = answer_code(item, raw, value_labels=labels)
        except ScaleValueError:
            errors.append((label, raw))
            code = None
        codes.append(NAN if code is None else float(code))
    return codes, errors


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        # CSV: text, as read_survey gives it (pandas "str"), with variants, blanks and junk.
        (pd.Series(["1", " Ja ", "MIN OF MEER", "nee", None, "  ", "misschien", "4"] * 3,
                   dtype="str"), None),
        # Excel with only numbers; SPSS codes as floats, with NaN.
        (pd.Series([1, 2, 3, 7, 2, 1], dtype="int64"), None),
        (pd.Series([1.0, NAN, 3.0, 2.5, 3.0]), None),
        # SPSS value labels decide what a code means.
        (pd.Series([1.0, 3.0, NAN, 2.0, 9.0]), LABELS),
        # Mixed object column: 1, "1" and True are different cells (the loop, not the fast path).
        (pd.Series([1, "1", True, None, "ja", 1.0], dtype=object), None),
        (pd.Series([], dtype="str"), None),
    ],
)  # fmt: skip
def test_code_column_gives_what_answer_code_gives_cell_by_cell(values, labels):
    values.index = pd.RangeIndex(10, 10 + len(values))  # labels, not positions
    codes, errors = _code_column(values, ITEM, labels)
    expected_codes, expected_errors = _by_cell(values, ITEM, labels)
    np.testing.assert_array_equal(codes.to_numpy(), np.array(expected_codes, dtype="float64"))
    assert list(codes.index) == list(values.index)
    assert [(e.row, e.value) for e in errors] == expected_errors
    assert all(e.column == "djg11_2" and e.expected == ITEM.expected for e in errors)


def test_code_column_keeps_true_apart_from_one_in_a_mixed_column():
    values = pd.Series([1, True, "1"], dtype=object)
    codes, errors = _code_column(values, MANTELZORG.items[0], None)
    assert codes.tolist()[0] == 1.0 and math.isnan(codes.tolist()[1]) and codes.tolist()[2] == 1.0
    assert [(e.row, e.value) for e in errors] == [(1, True)]


def _scored(seed: int) -> pd.DataFrame:
    """Return a small random survey: three areas and none, answers missing, weights."""
    rng = np.random.default_rng(seed)
    n = 200
    y = rng.integers(0, 2, n).astype("float64")
    y[rng.random(n) < 0.1] = NAN
    area = rng.choice(
        np.array(["WK2", "WK1", "WK3", None], dtype=object), n, p=[0.4, 0.3, 0.2, 0.1]
    )
    return pd.DataFrame({"area": area, "x": y, "gewicht": rng.uniform(0.4, 2.5, n)})


@pytest.mark.parametrize("weight_col", ["gewicht", None])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_estimates_by_area_equal_estimate_per_area_and_per_rest(seed, weight_col):
    scored = _scored(seed)
    w = scored["gewicht"] if weight_col else None
    out = estimates_by_area(scored, ["x"], weight_col=weight_col).set_index("area")
    for area in ("WK1", "WK2", "WK3"):
        inside = (scored["area"] == area).to_numpy()
        own = estimate(scored["x"][inside], None if w is None else w[inside])
        rest = estimate(scored["x"][~inside], None if w is None else w[~inside])
        row = out.loc[area]
        assert row["n"] == own.n
        for field in ("n_eff", "value", "ci_low", "ci_high"):
            assert row[field] == pytest.approx(getattr(own, field), rel=1e-12), field
        assert row["sig_vs_gemeente"] == differs_from_total(own, rest)
    total = estimate(scored["x"], w)
    assert out.loc[TOTAL_AREA, "value"] == total.value  # the total is `estimate` itself


def test_estimates_by_area_reports_the_problem_an_area_by_area_loop_met_first():
    # Area A (first in order) has a bad weight at respondent 1; area B a bad answer at 5.
    # Per area the loop checked A's answers, then A's weights: the weight is named.
    scored = pd.DataFrame(
        {
            "area": ["A", "A", "A", "B", "B", "B"],
            "x": [1.0, 0.0, 1.0, 0.0, 1.0, 2.0],
            "gewicht": [1.0, 0.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    with pytest.raises(ValueError) as info:
        estimates_by_area(scored, ["x"])
    assert str(info.value) == "gewicht van respondent 1: 0.0 is geen getal groter dan 0"
    scored.loc[1, "gewicht"] = 1.0
    with pytest.raises(ValueError) as info:
        estimates_by_area(scored, ["x"])
    assert str(info.value) == "indicator van respondent 5: 2.0 is geen 0 of 1 (of leeg)"


@pytest.mark.parametrize(
    ("text", "records", "rows"),
    [
        # Unicode whitespace is blank, as str.strip() sees it (no-break space, ideographic).
        ("a;b\n1;\u00a0\n\u3000;\u2003\n2;x\n", [{"a": "1", "b": None}, {"a": "2", "b": "x"}],
         (2, 4)),
        # A control character that str.strip() removes (file separator) is blank too; it
        # is under 1 % of the text, so the file is still text.
        ("a;b\n\x1c;\x1c\n" + "3; 4 \n" * 60, [{"a": "3", "b": " 4 "}] * 60,
         tuple(range(3, 63))),
        # Cells keep their spaces; a short row is padded; blank rows keep the numbering.
        ("a;b;c\n\n 1 ;2;3\n;;\n4\n", [{"a": " 1 ", "b": "2", "c": "3"},
                                         {"a": "4", "b": None, "c": None}], (3, 5)),
    ],
)  # fmt: skip
def test_csv_blank_cells_rows_and_numbers(text, records, rows):
    raw = read_survey(text.encode("utf-8"), "e.csv")
    got = raw.frame.astype(object).where(raw.frame.notna(), None).to_dict("records")
    assert got == records
    assert raw.row_numbers == rows
    assert all(str(dtype.categories.dtype) == "str" for dtype in raw.frame.dtypes)


def test_csv_a_long_row_deep_in_a_large_file_is_named_by_its_row():
    lines = ["respondent_id;gebied;rondkomen"] + [f"{i};WK008010;{i % 3 + 1}" for i in range(5000)]
    lines[3210] = "3209;WK008010;2;1,5"
    with pytest.raises(SurveyError) as info:
        read_survey("\n".join(lines).encode("utf-8"), "groot.csv")
    assert str(info.value) == (
        "groot.csv, rij 3211: deze rij heeft 4 waarden en de kopregel 3 kolommen; staat er een "
        "puntkomma in een antwoord of getal zonder aanhalingstekens? (verwacht: hoogstens 3 "
        "waarden per rij)"
    )


def test_csv_an_unnamed_column_with_data_is_still_refused():
    with pytest.raises(SurveyError) as info:
        read_survey(b"a;;c\n1;;3\n4;x;6\n", "e.csv")
    assert str(info.value) == (
        "e.csv, rij 1: kolom B heeft geen naam maar bevat wel gegevens "
        "(verwacht: een kolomnaam boven elke kolom met gegevens)"
    )


SQUARE = [[[5.0, 53.0], [5.1, 53.0], [5.1, 53.1], [5.0, 53.0]]]
GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": name},
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
        }
        for code, name in (("WK1", "Wijk 00"), ("WK2", "Wijk 00"), ("WK3", "Noord"))
    ],
}
FRAME = pd.DataFrame(
    {
        "code": ["WK1", "WK2", "WK3"],
        "name": ["Wijk 00", "Wijk 00", "Noord"],
        "gemeente_name": ["Appingedam", "Bedum", "Bedum"],
        "value": [46.4, 38.0, None],
        "status": ["", "", "geen cijfer"],
    }
)


def test_map_figures_share_the_geometry_instead_of_copying_it():
    fig = charts.choropleth(FRAME, GEOJSON, load_catalogue().indicator("eenzaam"), title="t")
    sent = fig.to_dict()  # what st.plotly_chart serialises
    geometries = [f["geometry"] for t in sent["data"] for f in t["geojson"]["features"]]
    originals = {id(f["geometry"]) for f in GEOJSON["features"]}
    assert len(geometries) == 3 and all(id(g) in originals for g in geometries)
    assert copy.deepcopy(sent)["data"][0]["geojson"] is sent["data"][0]["geojson"]


def test_map_features_carry_only_id_and_geometry_and_names_go_to_the_hover():
    fig = json.loads(
        charts.choropleth(
            FRAME, GEOJSON, load_catalogue().indicator("eenzaam"), title="t"
        ).to_json()
    )
    missing, shown = fig["data"]
    assert shown["geojson"]["features"][0] == {
        "id": "WK1",
        "geometry": {"type": "Polygon", "coordinates": SQUARE},
    }
    assert shown["locations"] == ["WK1", "WK2"] and "featureidkey" not in shown
    assert shown["customdata"] == ["Wijk 00", "Wijk 00"]
    assert [t.replace("\u00a0", " ") for t in shown["text"]] == ["46 %", "38 %"]
    assert shown["hovertemplate"] == "<b>%{customdata}</b><br>%{text}<extra></extra>"
    assert shown["z"] == [46, 38]
    assert missing["customdata"] == ["Noord"] and missing["text"] == ["geen cijfer"]


def plain(value):
    """Return a data array from a figure's JSON as a list.

    plotly 6+ sends numpy arrays as typed arrays (``{"dtype": "i2", "bdata": base64}``),
    which plotly.js decodes.
    """
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return value


def test_national_map_names_the_gemeente_and_reads_the_value_from_z():
    fig = json.loads(
        charts.national_map(
            FRAME, GEOJSON, load_catalogue().indicator("eenzaam"), title="t"
        ).to_json()
    )
    missing, shown = fig["data"]
    assert plain(shown["locations"]) == [0, 1] and plain(missing["locations"]) == [2]
    assert [f["id"] for f in shown["geojson"]["features"]] == [0, 1]
    assert shown["customdata"] == ["Wijk 00 (Appingedam)", "Wijk 00 (Bedum)"]
    assert plain(shown["z"]) == [46, 38] and "text" not in shown
    assert shown["hovertemplate"] == "<b>%{customdata}</b><br>%{z:,.0f}\u00a0%<extra></extra>"
    # The grey reason is in the trace's template once, not in a text per area (payload).
    assert missing["hovertemplate"] == "<b>%{customdata}</b><br>geen cijfer<extra></extra>"
    assert "text" not in missing and missing["showscale"] is False
    assert fig["layout"]["map"]["style"] == "white-bg"


def test_national_map_has_one_grey_trace_per_reason_and_one_grey_swatch():
    frame = pd.DataFrame(
        {
            "code": ["WK1", "WK2", "WK3"],
            "name": ["Wijk 00", "Zuid", "Noord"],
            "gemeente_name": ["Appingedam", "Bedum", "Bedum"],
            "value": [None, None, None],
            "status": ["andere indeling", "geen cijfer", "andere indeling"],
        }
    )
    fig = json.loads(
        charts.national_map(
            frame, GEOJSON, load_catalogue().indicator("eenzaam"), title="t"
        ).to_json()
    )
    first, second = fig["data"]
    assert plain(first["locations"]) == [0, 2] and plain(second["locations"]) == [1]
    assert first["customdata"] == ["Wijk 00 (Appingedam)", "Noord (Bedum)"]
    assert first["hovertemplate"] == "<b>%{customdata}</b><br>andere indeling<extra></extra>"
    assert second["hovertemplate"] == "<b>%{customdata}</b><br>geen cijfer<extra></extra>"
    assert [f["id"] for f in first["geojson"]["features"]] == [0, 2]
    # One swatch for grey, counting every grey area; both traces toggle together.
    assert (first["showlegend"], second["showlegend"]) == (True, False)
    assert first["name"].endswith("— 3") and first["legendgroup"] == second["legendgroup"]


# The CSV reader's pyarrow path (issue 14) against the record-by-record path it stands in for:
# on any text, either it declines (None) or it gives the same frame, row numbers and warnings,
# or the same error. Quotes, both line ends, empty lines, blanks, NUL and a zero-width space
# are in the alphabet, and the first rows may be a title above the header.
_CSV_PIECES = st.sampled_from(
    ["a", "1", "x y", " ", ";", ",", "\t", '"', '""', "\n", "\r\n", "\r", "é", "\u200b", "\x00"]
)


def _read_both(text: str, delimiter: str):
    from data.survey import Where, _read_csv_columns, _read_csv_records

    where = Where("e.csv")
    outcomes = []
    # The pyarrow path also as the upload arrives: the UTF-8 bytes the text was decoded from
    # (with a BOM) are handed to pyarrow as they are (issue 14).
    upload = codecs.BOM_UTF8 + text.encode()

    def from_upload(where, text, encoding, delimiter):
        return _read_csv_columns(where, text, "utf-8-sig", delimiter, upload)

    for read in (_read_csv_columns, _read_csv_records, from_upload):
        try:
            raw = read(where, text, "utf-8", delimiter)
        except SurveyError as err:
            outcomes.append(("error", str(err)))
            continue
        if raw is None:
            outcomes.append(None)
            continue
        frame = raw.frame.astype(object).where(raw.frame.notna(), None)
        outcomes.append((frame.to_dict("split"), raw.row_numbers, raw.warnings))
    return outcomes


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.sampled_from(["a;b;c", "Titel\n\na;b;c", "a,b", "a\tb\tc", '"a;x";b']),
    pieces=st.lists(_CSV_PIECES, max_size=60),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
# Found by this test (issue 14): a literal quote, then one left open to the end of the file,
# which holds the last line break; with an empty line above, the counts added up wrongly.
@example(header="a;b;c", pieces=["\n", "a", '"', "\n", '"', "\n"], delimiter=",")
def test_csv_pyarrow_path_reads_what_the_record_path_reads(header, pieces, delimiter):
    fast, slow, upload = _read_both(header + "\n" + "".join(pieces), delimiter)
    if fast is not None:
        assert fast == slow
    assert upload == fast


@pytest.mark.parametrize(
    "text",
    [
        'a;b\n"x\ny";2\n3;4\n',  # a line break in a quoted cell
        "a;b\r\n1;2\r\n\r\n3;4\r\n",  # an empty line: a record of its own
        "a;b\r1;2\r\r3;4",  # old Mac line ends
        'a;b\n"1";"2 ""x"""\n',  # quotes doubled inside a quoted cell
        "Titel\n\na;b\n1;2\n",  # a title row above the header
        "a;b\n1;\x00\n2;\u200bx\n",  # NUL and a zero-width space, noted
        "a;b\r\n\r\n",  # a header and nothing below it: the same Dutch error
    ],
)
def test_csv_pyarrow_path_takes_these_files_and_agrees(text):
    fast, slow, upload = _read_both(text, ";")
    assert fast is not None
    assert fast == slow == upload


def _answers_by_cell(values: pd.Series, item, labels=None) -> list[tuple]:
    """Return the answer step's table cell by cell (the definition): key, count, proposal."""
    from analysis.survey.scales import answer_key

    counts, first = {}, {}
    for raw in values.tolist():
        key = answer_key(raw)
        if key:
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, raw)
    rows = []
    for key, count in counts.items():
        try:
            proposed = answer_code(item, first[key], value_labels=labels)
        except ScaleValueError:
            proposed = "ongeldig"
        rows.append((key, count, proposed))
    return sorted(rows, key=lambda r: -r[1])


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        (pd.Series(["1", " Ja ", "ja", None, "  ", "misschien", "1", "Ja"] * 3, dtype="str"), None),
        (pd.Series([1.0, NAN, 3.0, 2.5, 3.0, 1.0]), LABELS),
        (pd.Series([1, "1", True, None, "ja", 1.0, " 1 "], dtype=object), None),
    ],
)  # fmt: skip
def test_distinct_answers_count_what_a_cell_by_cell_count_gives(values, labels):
    from analysis.survey.answers import distinct_answers

    rows = distinct_answers(values, ITEM, labels)
    assert [(r.key, r.count, r.proposed) for r in rows] == _answers_by_cell(values, ITEM, labels)


# A UTF-8 upload is decoded only at its start (issue 14): the delimiter and the header come
# from there and pyarrow checks the rest is UTF-8. Read with a start of a few bytes and with
# all of it decoded, any upload gives the same frame, rows, warnings and encoding, or the
# same error: a Windows-1252 byte after the start, or a row with a byte that is no UTF-8 in
# a file saved as UTF-8 (BOM), still come out as when the whole file was decoded.
_BYTE_CELLS = st.sampled_from(
    [b"", b"1", b"a b", b" ", "é".encode(), b'"x;y"', b'"p\nq"', b"\x00", "zero\u200bw".encode()]
)
#: One cell that may go wrong: no UTF-8, a quote left open, a delimiter too many.
_BAD_CELL = st.none() | st.tuples(st.integers(0, 200), st.sampled_from([b"\xe9", b'"', b"1;2"]))


def _read_upload(content: bytes):
    try:
        raw = read_survey(content, "e.csv", isolated=False)
    except SurveyError as err:
        return ("error", str(err))
    frame = raw.frame.astype(object).where(raw.frame.notna(), None)
    return frame.to_dict("split"), tuple(raw.row_numbers), raw.warnings, raw.encoding


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.sampled_from([b"", codecs.BOM_UTF8]),
    header=st.sampled_from([b"a;b;c", b"Titel\n\na;b;c"]),
    rows=st.lists(st.lists(_BYTE_CELLS, min_size=3, max_size=3), min_size=20, max_size=60),
    end=st.sampled_from([b"\n", b"\r\n"]),
    bad=_BAD_CELL,
    head=st.integers(min_value=100, max_value=300),
)
@example(start=b"", header=b"a;b;c", rows=[[b"1"] * 3] * 30, end=b"\n", bad=(90, b"\xe9"),
         head=150)  # fmt: skip
@example(start=codecs.BOM_UTF8, header=b"a;b;c", rows=[[b"1"] * 3] * 30, end=b"\r\n",
         bad=(90, b"\xe9"), head=150)  # fmt: skip
def test_csv_decoded_at_its_start_reads_as_decoded_whole(start, header, rows, end, bad, head):
    from unittest import mock

    from data.uploads import text as upload_text

    cells = [cell for row in rows for cell in row]
    if bad is not None and cells:
        cells[bad[0] % len(cells)] = bad[1]
    lines = [b";".join(cells[i : i + 3]) + end for i in range(0, len(cells), 3)]
    content = start + header + end + b"".join(lines)
    with mock.patch.object(upload_text, "SNIFF_CHARS", 8):
        with mock.patch.object(upload_text, "HEAD_BYTES", head):
            from_start = _read_upload(content)
        with mock.patch.object(upload_text, "HEAD_BYTES", 10**9):
            whole = _read_upload(content)
    assert from_start == whole


def test_csv_with_a_windows_1252_byte_after_the_decoded_start_is_windows_1252(monkeypatch):
    from data.uploads import text as upload_text

    monkeypatch.setattr(upload_text, "HEAD_BYTES", 70_000)
    body = "".join(f"R{i};Noord;1,5\n" for i in range(6000))
    content = ("respondent_id;gebied;gewicht\n" + body + "R6000;Café;2\n").encode("cp1252")
    assert upload_text.decode_head(content) is not None  # the start alone is UTF-8
    raw = read_survey(content, "e.csv", isolated=False)
    assert raw.encoding == "cp1252"
    assert raw.frame["gebied"].tolist()[-1] == "Café" and raw.row_numbers[-1] == 6002


def test_csv_saved_as_utf8_with_a_foreign_row_after_the_start_names_that_row(monkeypatch):
    from data.uploads import text as upload_text

    monkeypatch.setattr(upload_text, "HEAD_BYTES", 70_000)
    body = "".join(f"R{i};Noord\n" for i in range(8000)).encode()
    content = codecs.BOM_UTF8 + b"respondent_id;gebied\n" + body + "R8000;Café\n".encode("cp1252")
    with pytest.raises(SurveyError) as info:
        read_survey(content, "e.csv", isolated=False)
    assert info.value.issues[0].row == 8002
    assert str(info.value).startswith("e.csv, rij 8002: byte 0xE9 is geen UTF-8")
