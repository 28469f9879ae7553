"""Fuzzing every parser and code normaliser: whatever comes in, only our own Dutch errors go out.

Each property also states what a good answer looks like (a CBS code, a postcode, a code of the
codebook, a number that reads back), so "no exception" is never the only thing checked.
"""

import datetime as dt
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analysis.format import MISSING, fmt_number
from analysis.survey import area_keys as areas
from analysis.survey import columns as mapping
from analysis.survey import scales
from analysis.survey.columns import MappingError, apply_mapping, from_json, propose_mapping
from analysis.survey.pipeline import analyse_survey
from data.aggregates import AggregateError, read_aggregates
from data.kwb_excel import REQUIRED, KwbExcelError, tidy_kwb_excel
from data.survey import SurveyError, read_survey, to_number
from tests.bad_inputs.corpus import DUTCH_ERRORS, workbook

# The readers run in this process (isolated=False): in the child process a bug would come back
# as a Dutch "interne fout" message, and these tests exist to find such bugs.
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CODE = re.compile(r"GM\d{4}|WK\d{6}|BU\d{8}")
PC6 = re.compile(r"[1-9]\d{3}[A-Z]{2}")

# What cells hold after CSV, Excel or SPSS reading, plus the odd things people type.
code_like = st.from_regex(r"\s*(wk|WK|bu|BU|gm|GM|Wk)?[0-9 \-._/]{0,12}\s*", fullmatch=True)
postcode_like = st.from_regex(
    r"\s*[0-9]{4}\s?[a-zA-Z]{2}(\s?-?[0-9]{0,5}[a-z]?)?\s*", fullmatch=True
)
cells = st.one_of(
    st.none(),
    st.text(max_size=20),
    code_like,
    postcode_like,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from([pd.NA, np.nan, np.int64(80010), np.float64(36301.0), "#N/A", "NA", ""]),
)
gemeente_codes = st.one_of(st.none(), st.sampled_from(["GM0080", "0080", "gm0363"]), st.text())


@FAST
@given(cells, gemeente_codes)
def test_normalise_code_gives_a_cbs_code_or_none(raw, gemeente_code):
    code = areas.normalise_code(raw, gemeente_code=gemeente_code)
    assert code is None or CODE.fullmatch(code), code
    if code is not None:
        assert areas.normalise_code(code) == code


@FAST
@given(cells)
def test_normalise_name_gives_a_key_of_word_characters(raw):
    key = areas.normalise_name(raw)
    assert isinstance(key, str)
    assert re.fullmatch(r"[^\W_]*", key), key


@FAST
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_normalise_name_ignores_case_and_spacing_of_plain_text(text):
    key = areas.normalise_name(text)
    assert areas.normalise_name(text.upper()) == key
    assert areas.normalise_name(f"  {text.lower()}  ") == key


@FAST
@given(st.one_of(cells, postcode_like))
def test_parse_postcode_gives_a_pc6_and_house_number_or_nothing(raw):
    pc6, number = areas.parse_postcode(raw)
    if pc6 is None:
        assert number is None
    else:
        assert PC6.fullmatch(pc6), pc6
        assert number is None or re.fullmatch(r"0|[1-9]\d{0,4}", number), number


ITEMS = [item for scale in scales.all_scales() for item in scale.items]
answer_texts = st.sampled_from(
    sorted({v for item in ITEMS for a in item.answers for v in (a.label, *a.variants)})
).map(lambda t: st.sampled_from([t, t.upper(), f"  {t} ", t.title()]))
raw_answers = st.one_of(
    cells, answer_texts.flatmap(lambda s: s), st.lists(st.integers(), max_size=2)
)
value_labels = st.one_of(
    st.none(),
    st.dictionaries(
        st.one_of(st.integers(-2, 12).map(float), st.text(max_size=3)),
        st.one_of(st.text(max_size=12), answer_texts.flatmap(lambda s: s)),
        max_size=6,
    ),
)


@FAST
@given(st.sampled_from(ITEMS), raw_answers, value_labels)
def test_answer_code_gives_a_code_of_the_codebook_or_a_dutch_error(item, raw, labels):
    try:
        code = scales.answer_code(item, raw, value_labels=labels)
    except scales.ScaleValueError as err:
        assert str(err).startswith(f"kolom {item.column!r}: "), str(err)
        assert "is geen geldig antwoord (verwacht: " in str(err)
        return
    assert code is None or code in {a.code for a in item.answers if not a.missing}


# --- file readers ------------------------------------------------------------------------------

extensions = st.sampled_from([".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".sav", ".zsav", ".xls"])
# Starts of real formats, so the bytes get past the first check now and then. No "$FL2": a
# damaged SPSS file can crash pyreadstat itself (see the corpus case run in a child process).
magic = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"\xd0\xcf\x11\xe0"])


def assert_raw_survey(raw) -> None:
    """Check what every RawSurvey promises: one file row per frame row, unique names."""
    assert len(raw.frame) == len(raw.row_numbers)
    assert list(raw.row_numbers) == sorted(set(raw.row_numbers))
    names = [str(c) for c in raw.frame.columns]
    assert all(names) and len({n.casefold() for n in names}) == len(names)
    assert not raw.frame.isna().all(axis=1).any()


@SLOW
@given(magic, st.binary(max_size=3000), extensions)
def test_read_survey_of_any_bytes_reads_or_says_why_in_dutch(start, body, ext):
    name = f"upload{ext}"
    try:
        raw = read_survey(start + body, name, isolated=False)
    except SurveyError as err:
        assert str(err).startswith(name), str(err)
        return
    assert_raw_survey(raw)


csv_cells = st.one_of(
    st.text(max_size=8),
    st.sampled_from(['"', '""', ";", ",", "\t", "\r\n", "1,5", "1.234,5", "=1+1", " ", "sep=;"]),
)


@SLOW
@given(
    st.lists(st.lists(csv_cells, min_size=0, max_size=6), min_size=0, max_size=12),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_read_survey_of_any_csv_text_reads_or_says_why_in_dutch(rows, sep, encoding):
    text = "\r\n".join(sep.join(row) for row in rows)
    content = text.encode(encoding, errors="replace")
    try:
        raw = read_survey(content, "enquete.csv", isolated=False)
    except SurveyError as err:
        assert str(err).startswith("enquete.csv"), str(err)
        return
    assert_raw_survey(raw)


excel_cells = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["gebied", "respondent_id", "djg6_1", "Wijk", "=1+1", " ", "#N/A"]),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2050, 1, 1)),
)


@SLOW
@given(
    st.lists(st.lists(excel_cells, max_size=6), max_size=8),
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 5), st.integers(0, 2), st.integers(0, 2)),
        max_size=2,
    ),
    st.booleans(),
)
def test_read_survey_of_any_workbook_reads_or_says_why_in_dutch(grid, merges, hide_first):
    sheets = {"blad1": grid, "blad2": [["gebied", "djg6_1"], ["WK008010", 1]]}
    ranges = [
        ("blad1", top, left, top + down, left + right, None)
        for top, left, down, right in merges
        if down or right
    ]
    try:
        content = workbook(sheets, merges=ranges[:1], hidden=["blad1"] if hide_first else [])
    except Exception:  # xlsxwriter refuses some cell texts and ranges; not what is tested
        event("not written")
        return
    try:
        raw = read_survey(content, "enquete.xlsx", isolated=False)
    except SurveyError as err:
        event("refused")
        assert str(err).startswith("enquete.xlsx"), str(err)
        return
    event("read")
    assert_raw_survey(raw)


@FAST
@given(st.lists(cells, max_size=12))
def test_to_number_gives_a_float_or_an_issue_per_cell(values):
    series = pd.Series(values, dtype=object)
    rows = list(range(2, len(values) + 2))
    numbers, issues = to_number(series, "gewicht", "e.csv", rows)
    assert numbers.dtype == "float64" and len(numbers) == len(values)
    flagged = {issue.row for issue in issues}
    for number, row in zip(numbers, rows, strict=True):
        if row in flagged:
            assert math.isnan(number)
    for issue in issues:
        assert issue.message.startswith(f"e.csv, rij {issue.row}, kolom 'gewicht': ")


@FAST
@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.integers(min_value=1, max_value=4),
)
def test_to_number_reads_back_what_fmt_number_writes(value, decimals):
    # Read with the Dutch convention of the text: alone, "1,000" could also be an English
    # thousand, which to_number reports instead of guessing (issue 13; see to_number).
    text = fmt_number(value, decimals)
    numbers, issues = to_number(pd.Series([text]), "x", "e.csv", [2], decimal=",")
    assert issues == []
    assert numbers.iloc[0] == pytest.approx(float(f"{value:.{decimals}f}"), abs=10**-decimals)


@FAST
@given(
    st.one_of(
        st.none(),
        st.floats(),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.sampled_from([np.float64(1234.5), np.int64(7)]),
    ),
    st.integers(min_value=0, max_value=6),
)
def test_fmt_number_is_dutch_and_reads_back(value, decimals):
    text = fmt_number(value, decimals)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        assert text == MISSING
        return
    if not math.isfinite(float(value)):
        return  # no figure is infinite; the text only has to exist
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d+)?", text), text
    back = float(text.replace(".", "").replace(",", "."))
    assert back == pytest.approx(float(f"{float(value):.{decimals}f}"), abs=10**-decimals)


table_cells = st.one_of(
    st.text(max_size=8),
    st.sampled_from([".", "-", "x", "", "12,5", "1.234", "12 %", "Totaal", "Bron: GGD", '"']),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"{f:.2f}".replace(".", ",")),
)


@SLOW
@given(
    st.lists(st.lists(table_cells, max_size=5), max_size=10),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["monitor.csv", "monitor.txt"]),
)
def test_read_aggregates_of_any_table_text_reads_or_says_why_in_dutch(rows, sep, name):
    content = "\n".join(sep.join(row) for row in rows).encode("utf-8")
    try:
        table = read_aggregates(content, name, isolated=False)
    except AggregateError as err:
        assert str(err).startswith(name), str(err)
        return
    assert set(table.status.columns) == set(table.value_columns)
    assert all(table.frame[c].dtype == "float64" for c in table.value_columns)


@SLOW
@given(magic, st.binary(max_size=2000), st.sampled_from(["monitor.csv", "monitor.xlsx"]))
def test_read_aggregates_of_any_bytes_reads_or_says_why_in_dutch(start, body, name):
    try:
        read_aggregates(start + body, name, isolated=False)
    except AggregateError as err:
        assert str(err).startswith(name), str(err)


# --- the column mapping ------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
column_names = st.lists(
    st.one_of(st.text(max_size=12), st.sampled_from(list(mapping.TARGETS) + ["Wijk", "eenz_3"])),
    max_size=12,
    unique=True,
)


@FAST
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200), json_values.map(json.dumps)))
def test_from_json_of_anything_gives_a_mapping_or_a_dutch_error(text):
    try:
        result = from_json(text, "koppeling.json")
    except MappingError as err:
        assert str(err).startswith("koppeling.json"), str(err)
        return
    assert set(mapping.TARGETS) <= set(result.targets)


@FAST
@given(column_names, st.data())
def test_a_damaged_koppelbestand_gives_a_mapping_or_a_dutch_error(columns, data):
    payload = json.loads(propose_mapping(columns).to_json())
    entry = data.draw(st.integers(0, len(payload["choices"]) - 1))
    key = data.draw(st.sampled_from(["target", "source", "confidence", "reason", "extra"]))
    payload["choices"][entry][key] = data.draw(json_values)
    try:
        from_json(json.dumps(payload), "koppeling.json")
    except MappingError as err:
        assert str(err).startswith("koppeling.json, koppeling "), str(err)


@FAST
@given(column_names)
def test_propose_mapping_uses_each_column_once_and_round_trips(columns):
    proposed = propose_mapping(columns)
    sources = list(proposed.sources.values())
    assert len(sources) == len(set(sources)) and set(sources) <= set(columns)
    assert from_json(proposed.to_json()) == proposed


# --- the whole survey pipeline -----------------------------------------------------------------

ANSWERS = ["1", "2", "3", "4", "5", "9", "ja", "Nee", "min of meer", "heel vaak", "", " ", "NA"]
survey_cells = st.one_of(st.sampled_from(ANSWERS), st.text(max_size=4))
areas_typed = st.sampled_from(
    ["WK008010", "0080-20", "Oud-Oost", "wk008061", "Binnenstad", "Atlantis", "", "WK034401"]
)


@pytest.fixture(scope="module")
def leeuwarden():
    from analysis.survey.pipeline import rivm_reference, survey_regions
    from data.snapshot import load_snapshot

    snap = load_snapshot()
    regions = survey_regions(snap.regions, "GM0080")
    return regions, rivm_reference(snap.values, regions["code"])


@SLOW
@given(
    st.lists(st.sampled_from(list(mapping.TARGETS[2:])), max_size=8, unique=True),
    st.integers(min_value=1, max_value=15),
    st.data(),
)
def test_any_survey_in_canonical_columns_is_analysed_or_refused_in_dutch(
    leeuwarden, columns, n_rows, data
):
    regions, rivm = leeuwarden
    columns = ["gebied", *columns]  # without an area the mapping step refuses, tested elsewhere
    rows = []
    for _ in range(n_rows):
        rows.append([data.draw(areas_typed if c == "gebied" else survey_cells) for c in columns])
    text = ";".join(columns) + "\r\n" + "\r\n".join(";".join(r) for r in rows)
    try:
        raw = read_survey(text.encode(), "e.csv")
        chosen = propose_mapping([str(c) for c in raw.frame.columns])
        frame = apply_mapping(raw.frame, chosen, file_name="e.csv")
        result = analyse_survey(
            frame,
            regions,
            gemeente_code="GM0080",
            file_name="e.csv",
            rivm=rivm,
            row_numbers=raw.row_numbers,
        )
    except DUTCH_ERRORS as err:
        event(f"refused: {type(err).__name__}")
        assert str(err).startswith("e.csv"), str(err)
        return
    event(f"analysed, {len(result.scales)} scales")
    assert result.respondents == len(raw.frame)
    assert 0 <= result.used <= result.respondents
    assert all(p.startswith("e.csv, rij ") for p in result.problems), result.problems
    shown = result.estimates[result.estimates["value"].notna()]
    assert (shown["n"] >= result.min_n).all()


# --- KWB Excel ---------------------------------------------------------------------------------


@SLOW
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), code_like),
            st.one_of(st.none(), st.text(max_size=10)),
            st.one_of(
                st.none(), st.sampled_from(["Land", "Gemeente", "Wijk", "Buurt", "wijk", ""])
            ),
            st.one_of(
                st.none(),
                st.sampled_from(["12", ".", "1.234", "-", "", " 7 "]),
                st.text(max_size=4),
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_tidy_kwb_excel_of_any_text_cells_gives_a_frame_or_a_dutch_error(records):
    # read_kwb_excel reads every cell as text (dtype=str): these are the frames it can hand on.
    raw = pd.DataFrame(
        {
            "gwb_code_10": [r[0] for r in records],
            "gwb_code_8": [r[0] for r in records],
            "regio": [r[1] for r in records],
            "gm_naam": [r[1] for r in records],
            "recs": [r[2] for r in records],
            "a_inw": [r[3] for r in records],
        },
        dtype="str",
    )
    assert set(REQUIRED) <= set(raw.columns)
    try:
        out = tidy_kwb_excel(raw, source="kwb-2024.xlsx")
    except KwbExcelError as err:
        assert str(err).startswith("kwb-2024.xlsx"), str(err)
        return
    assert len(out) == len(records) and out["a_inw"].dtype == "float64"
