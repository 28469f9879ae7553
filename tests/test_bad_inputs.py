"""The bad-input corpus through the real import path and the page, and exports that stay safe.

Each file of `tests.bad_inputs.corpus` must end in a Dutch error of the project's own type that
names the file (and row and column where they apply), or in a result that lists the bad rows
and keeps the good ones. Never a bare Python exception, never a traceback on the page.
"""

import ast
import csv
import io
import logging
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.survey.columns import apply_mapping, propose_mapping
from analysis.survey.pipeline import analyse_survey, rivm_reference, survey_regions
from analysis.user_text import plain_markdown
from analysis.views import exports
from data.aggregates import AggregateError, read_aggregates
from data.snapshot import load_snapshot
from data.survey import MAX_UPLOAD_BYTES, SurveyError, read_survey
from paths import ROOT
from tests.apptest import app, dataframe_with, no_exception, shown_text
from tests.bad_inputs.corpus import (
    AGGREGATE_CASES,
    DUTCH_ERRORS,
    GOOD,
    HEADER,
    SURVEY_CASES,
    Case,
    Imported,
    Refused,
    Table,
    csv_file,
    csv_text,
    numeric,
    rows_with,
    workbook,
)

GEMEENTE = "GM0080"


@pytest.fixture(scope="module")
def leeuwarden():
    """Return the regions and RIVM reference of Leeuwarden, as the page uses them."""
    snap = load_snapshot()
    regions = survey_regions(snap.regions, GEMEENTE)
    return regions, rivm_reference(snap.values, regions["code"])


def import_survey(content: bytes, file_name: str, regions, rivm):
    """Run a file through the import path of the page: read, map, score, match, estimate."""
    raw = read_survey(content, file_name)
    mapping = propose_mapping(
        [str(c) for c in raw.frame.columns], raw.column_labels, raw.value_labels
    )
    frame = apply_mapping(raw.frame, mapping, file_name=raw.file_name)
    labels = {t: raw.value_labels[s] for t, s in mapping.sources.items() if s in raw.value_labels}
    result = analyse_survey(
        frame,
        regions,
        gemeente_code=GEMEENTE,
        file_name=raw.file_name,
        rivm=rivm,
        row_numbers=raw.row_numbers,
        value_labels=labels,
    )
    return raw, result


def outcome(run):
    """Return what ``run()`` gives, or the Dutch error it raises; a bare exception fails."""
    try:
        return run()
    except DUTCH_ERRORS as err:
        return err
    except Exception as err:  # the point of the corpus: name what escaped
        pytest.fail(f"bare {type(err).__name__} instead of a Dutch error: {err}")


def params(cases: tuple[Case, ...]) -> list:
    """Parametrise cases by id; a case with a known bug is a strict xfail naming it."""
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(strict=True, reason=f"bug: {case.bug}")] if case.bug else [],
        )
        for case in cases
    ]


def assert_refused(err: object, expected: Refused, file_name: str) -> None:
    assert isinstance(err, expected.error), f"expected {expected.error.__name__}, got {err!r}"
    message = str(err)
    assert message.startswith(file_name), message
    position = 0
    for part in expected.parts:
        found = message.find(part, position)
        assert found >= 0, f"{part!r} not in {message!r}"
        position = found + len(part)
    for text in expected.absent:
        assert text not in message, f"{text!r} in {message!r}"


# --- the corpus --------------------------------------------------------------------------------


def test_the_corpus_holds_at_least_40_distinct_files():
    cases = SURVEY_CASES + AGGREGATE_CASES
    assert len(cases) >= 40
    assert len({c.id for c in cases}) == len(cases)
    assert all(c.what and c.file_name for c in cases)
    refused = [c for c in cases if isinstance(c.expected, Refused)]
    kept = [c for c in cases if not isinstance(c.expected, Refused)]
    assert len(refused) >= 15 and len(kept) >= 15  # both outcomes are exercised


@pytest.mark.parametrize("case", params(tuple(c for c in SURVEY_CASES if not c.isolate)))
def test_survey_file(case, leeuwarden, tmp_path):
    content = case.build(tmp_path)
    got = outcome(lambda: import_survey(content, case.file_name, *leeuwarden))
    expected = case.expected
    if isinstance(expected, Refused):
        assert_refused(got, expected, case.file_name)
        return
    assert isinstance(expected, Imported)
    assert not isinstance(got, Exception), f"refused: {got}"
    raw, result = got
    assert (result.respondents, result.used) == (expected.respondents, expected.used)
    assert result.problems == list(expected.problems)
    unmatched = dict(zip(result.unmatched["value"], result.unmatched["count"], strict=True))
    assert unmatched == expected.unmatched
    for part in expected.warnings:
        assert any(part in w for w in raw.warnings), (part, raw.warnings)
    # A handful of respondents: every figure, the gemeente's included, is suppressed.
    assert result.estimates["value"].isna().all()


def copies_in_temporary_folders(content: bytes, before: set[Path]) -> list[Path]:
    """Return files that appeared in the temporary folders since ``before`` holding ``content``."""
    found = []
    for folder in TEMPORARY_FOLDERS:
        for path in folder.iterdir() if folder.is_dir() else ():
            try:
                if path not in before and path.is_file() and path.read_bytes() == content:
                    found.append(path)
            except OSError:  # another process's file, gone or not ours to read
                continue
    return found


TEMPORARY_FOLDERS = (Path("/dev/shm"), Path(tempfile.gettempdir()))


@pytest.mark.parametrize("case", params(tuple(c for c in SURVEY_CASES if c.isolate)))
def test_file_that_crashes_its_reader_is_refused_in_a_child_process(case, tmp_path):
    """Run the reader in a child: a crash there must not take the test run down with it."""
    assert isinstance(case.expected, Refused)
    content = case.build(tmp_path)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from data.survey import SurveyError, read_survey
        try:
            read_survey(sys.stdin.buffer.read(), {case.file_name!r})
        except SurveyError as err:
            print(err)
        """
    )
    before = {p for folder in TEMPORARY_FOLDERS if folder.is_dir() for p in folder.iterdir()}
    try:
        child = subprocess.run(
            [sys.executable, "-c", script], input=content, capture_output=True, timeout=60
        )
    finally:
        # A crashed reader never runs its `finally`: remove the upload it left behind.
        left = copies_in_temporary_folders(content, before)
        for path in left:
            path.unlink()
    assert child.returncode == 0, f"reader died with exit code {child.returncode}"
    assert left == [], f"the upload was left on disk: {left}"
    assert_refused(SurveyError(child.stdout.decode().strip()), case.expected, case.file_name)


@pytest.mark.parametrize("case", params(AGGREGATE_CASES))
def test_aggregate_file(case, tmp_path):
    content = case.build(tmp_path)
    got = outcome(lambda: read_aggregates(content, case.file_name))
    expected = case.expected
    if isinstance(expected, Refused):
        assert_refused(got, expected, case.file_name)
        return
    assert isinstance(expected, Table)
    assert not isinstance(got, Exception), f"refused: {got}"
    assert tuple(got.frame["area"]) == expected.areas
    assert tuple(got.totals["area"]) == expected.totals
    figures = {
        column: [None if pd.isna(v) else v for v in got.frame[column]]
        for column in got.value_columns
    }
    assert figures == expected.figures


# --- size guard --------------------------------------------------------------------------------


def test_size_guard_with_an_injected_limit():
    content = csv_text(GOOD).encode()
    assert read_survey(content, "enquete.csv", max_bytes=len(content)).frame.shape == (6, 11)
    with pytest.raises(SurveyError) as info:
        read_survey(b"a;b\n" * (1536 * 256), "enquete.csv", max_bytes=1024 * 1024)  # 1,5 MB
    assert str(info.value) == (
        "enquete.csv: het bestand is 1,5 MB, te groot om in te lezen (verwacht: hoogstens 1 MB)"
    )


def test_a_real_upload_over_the_limit_is_refused_before_reading_and_fast():
    # Built in memory only: 51 MB of well-formed rows, just over the 50 MB of the config.
    line = csv_text([GOOD[0]], header=[]).encode()[2:]
    content = csv_text([]).encode() + line * (MAX_UPLOAD_BYTES // len(line) + 1)
    started = time.perf_counter()
    with pytest.raises(SurveyError, match=r"^enquete\.csv: het bestand is 50,0 MB, te groot"):
        read_survey(content, "enquete.csv")
    assert time.perf_counter() - started < 3


# --- messages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["enquete.csv", "enquete.xlsx"])
def test_an_empty_weight_is_named_as_empty_not_as_python_nan(name, leeuwarden, tmp_path):
    rows = rows_with({(2, "gewicht"): ""})
    if name.endswith(".csv"):
        content = csv_file(rows)(tmp_path)
    else:
        content = workbook({"enquete": [HEADER, *numeric(rows)]})
    _, result = import_survey(content, name, *leeuwarden)
    assert result.problems == [
        f"{name}, rij 4, kolom 'gewicht': leeg is geen geldig gewicht (verwacht: een getal "
        "groter dan 0)"
    ]


def test_import_logs_and_prints_no_respondent_data(leeuwarden, tmp_path, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    for case in SURVEY_CASES[:20]:
        if not case.isolate:
            outcome(
                lambda case=case: import_survey(case.build(tmp_path), case.file_name, *leeuwarden)
            )
    captured = capsys.readouterr()
    logged = "\n".join(r.getMessage() for r in caplog.records) + captured.out + captured.err
    for respondent in ("R01", "R04", "Nijlân & De Zwette"):
        assert respondent not in logged


# --- through the page --------------------------------------------------------------------------

PAGE_SAMPLE = (
    "binary_junk_named_csv",
    "empty_file",
    "xlsx_named_csv",
    "merged_header_cells",
    "hidden_sheet_with_the_data",
    "utf16_with_bom_tabs",
    "no_area_column",
    "answers_outside_the_codebook",
    "duplicate_respondent_ids",
    "spss_question_numbers",
    "single_column",
    "postcode_only_without_table",
)
BY_ID = {c.id: c for c in SURVEY_CASES}


def enquete_page():
    at = app().run()
    at.switch_page("ui/pages/enquete.py").run()
    no_exception(at)
    return at


def elements(node):
    """Yield every element under a block of the page (widgets, text, tables, alerts)."""
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for child in children.values():
        yield from elements(child)


def html_rendered(at) -> list[str]:
    """Return the bodies the browser would render as HTML (st.html, unsafe markdown)."""
    bodies = []
    for el in [*elements(at.main), *elements(at.sidebar)]:
        proto = getattr(el, "proto", None)
        if el.type == "html" or getattr(proto, "allow_html", False):
            bodies.append(getattr(proto, "body", ""))
    return bodies


@pytest.mark.parametrize("case_id", PAGE_SAMPLE)
def test_corpus_file_on_the_page(case_id, tmp_path):
    case = BY_ID[case_id]
    at = enquete_page()
    at.file_uploader(key="enquete_bestand").upload(case.file_name, case.build(tmp_path), case.mime)
    at.run()
    no_exception(at)
    expected = case.expected
    if isinstance(expected, Refused) and expected.error is SurveyError:
        assert len(at.error) == 1
        assert_refused(SurveyError(shown_text(at.error[0])), expected, case.file_name)
        assert not at.get("metric") or at.metric[0].label != "Respondenten"
        return
    button = at.button(key="enquete_bereken")
    if isinstance(expected, Refused):  # no area column: the mapping step says so, no button
        assert button.disabled
        assert any("kies een kolom voor 'gebied' of 'postcode'" in shown_text(e) for e in at.error)
        return
    button.click().run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Respondenten"] == str(expected.respondents)
    assert metrics["Meegeteld"] == str(expected.used)
    if expected.problems:
        text = "\n".join(t.value for t in at.text)
        assert all(part in text for part in expected.problems)


AGGREGATE_PAGE_SAMPLE = (
    "agg_text_in_a_figure",
    "agg_empty",
    "agg_total_row",
    "agg_suppression_marks",
)
AGGREGATES_BY_ID = {c.id: c for c in AGGREGATE_CASES}


@pytest.mark.parametrize("case_id", AGGREGATE_PAGE_SAMPLE)
def test_aggregate_file_on_the_page(case_id, tmp_path):
    case = AGGREGATES_BY_ID[case_id]
    at = enquete_page()
    at.file_uploader(key="tabel_bestand").upload(case.file_name, case.build(tmp_path), case.mime)
    at.run()
    no_exception(at)
    expected = case.expected
    if isinstance(expected, Refused):
        assert len(at.error) == 1
        assert_refused(AggregateError(shown_text(at.error[0])), expected, case.file_name)
        return
    assert isinstance(expected, Table)
    assert not at.error, [e.value for e in at.error]
    assert any(
        shown_text(s).startswith(f"{case.file_name}: {len(expected.areas)} gebieden")
        for s in at.success
    ), [s.value for s in at.success]


# --- labels with HTML are text, never markup ---------------------------------------------------

SCRIPT_AREA = "<img src=x onerror=alert(1)>"


def test_html_in_a_survey_is_shown_as_text_not_rendered(tmp_path):
    rows = rows_with({(0, "gebied"): SCRIPT_AREA, (1, "gebied"): "<b>Oud-Oost</b>"})
    at = enquete_page()
    at.file_uploader(key="enquete_bestand").upload(
        "<script>alert(1)</script>.csv", csv_file(rows)(tmp_path), "text/csv"
    )
    at.run()
    at.button(key="enquete_bereken").click().run()
    no_exception(at)
    # The values reach the user only as table cells, which the grid shows as text.
    unmatched = dataframe_with(at, "Ingevuld")
    assert set(unmatched["Ingevuld"]) == {SCRIPT_AREA, "<b>Oud-Oost</b>"}
    rendered = html_rendered(at)
    for bad in ("<img", "<script", "<b>Oud"):
        assert not any(bad in body for body in rendered), rendered


HOSTILE_IMAGE = "![x](http://198.51.100.7/beeld.png)"
HOSTILE_LINK = "[klik](http://198.51.100.7/)"
HOSTILE_FORMULA = '=HYPERLINK("http://198.51.100.7","Noord")'


def test_markdown_from_a_file_is_escaped_wherever_it_is_shown(tmp_path):
    # Issue 13: a Markdown image in a header or cell made the browser fetch its address.
    rows = rows_with({(0, "gebied"): HOSTILE_IMAGE, (1, "gebied"): HOSTILE_FORMULA})
    header = [*HEADER, HOSTILE_LINK]
    content = csv_file([[*r, "x"] for r in rows], header)(tmp_path)
    at = enquete_page()
    at.file_uploader(key="enquete_bestand").upload(f"{HOSTILE_IMAGE}.csv", content, "text/csv")
    at.run()
    at.button(key="enquete_bereken").click().run()
    no_exception(at)
    bodies = [
        el.value
        for el in [*elements(at.main), *elements(at.sidebar)]
        if el.type in ("markdown", "alert", "caption", "error", "warning", "success", "info")
        and isinstance(getattr(el, "value", None), str)
    ]
    assert any(plain_markdown(f"{HOSTILE_IMAGE}.csv") in b for b in bodies), bodies
    for body in bodies:  # the raw Markdown never reaches a Markdown element
        assert HOSTILE_IMAGE not in body and HOSTILE_LINK not in body, body
    # Streamlit's own "Download as CSV" of the table saves what it shows: formula-safe.
    unmatched = dataframe_with(at, "Ingevuld")
    assert set(unmatched["Ingevuld"]) == {HOSTILE_IMAGE, "'" + HOSTILE_FORMULA}


def test_the_html_check_would_see_unsafe_markup():
    from streamlit.testing.v1 import AppTest

    probe = AppTest.from_string(
        "import streamlit as st\nst.markdown('<img src=x>', unsafe_allow_html=True)"
    ).run()
    assert html_rendered(probe) == ["<img src=x>"]


def python_sources() -> list:
    folders = ("ui", "analysis")  # ui/ holds ui/pages/
    return sorted([ROOT / "app.py", *(p for f in folders for p in (ROOT / f).rglob("*.py"))])


#: Calls whose result is safe inside HTML: escaped text, or a count.
SAFE_CALLS = frozenset({"escape", "len", "int", "round"})


def safe_html(node: ast.AST, assigned: dict[str, list[ast.AST]], depth: int = 0) -> bool:
    """Tell whether an expression can only hold literal markup, escaped text or numbers.

    Names are followed to their assignments in the same function (a local built from
    literals and escaped text is safe); an UPPER_CASE name is a module constant.
    """
    if depth > 8:
        return False
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(safe_html(v, assigned, depth + 1) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return safe_html(node.value, assigned, depth + 1)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in SAFE_CALLS
    if isinstance(node, ast.BinOp):
        numbers = [
            o
            for o in (node.left, node.right)
            if isinstance(o, ast.Constant) and isinstance(o.value, int | float)
        ]
        return bool(numbers) or all(
            safe_html(o, assigned, depth + 1) for o in (node.left, node.right)
        )
    if isinstance(node, ast.IfExp):
        return safe_html(node.body, assigned, depth + 1) and safe_html(
            node.orelse, assigned, depth + 1
        )
    if isinstance(node, ast.Name):
        if node.id.isupper():
            return True
        values = assigned.get(node.id, [])
        return bool(values) and all(safe_html(v, assigned, depth + 1) for v in values)
    return False


def html_offences(source: str) -> list[int]:
    """Return the lines that render HTML (st.html, unsafe_allow_html) from unsafe text."""
    tree = ast.parse(source)
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    lines = set()
    for scope in scopes:
        assigned: dict[str, list[ast.AST]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            unsafe = any(
                k.arg == "unsafe_allow_html"
                and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                for k in node.keywords
            )
            if (unsafe or name == "html") and not all(
                safe_html(a, assigned) for a in node.args[:1]
            ):
                lines.add(node.lineno)
    return sorted(lines)


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("st.html(CSS)", []),
        ("st.markdown('<b>x</b>', unsafe_allow_html=True)", []),
        ("st.markdown(name, unsafe_allow_html=False)", []),
        ("st.markdown(name, unsafe_allow_html=True)", [1]),
        ("st.html(f'<b>{html.escape(name)}</b> {i + 1}/{len(rows)}')", []),
        ("st.html(f'<b>{name}</b>')", [1]),
        ("st.html('<b>' + name + '</b>')", [1]),
        ("def f(x):\n    tag = '<i>' if x else ''\n    st.html(f'{tag}{escape(x)}')", []),
        ("def f(x):\n    tag = f'<i>{x}</i>' if x else ''\n    st.html(tag)", [3]),
        ("def f(x):\n    tag = '<i>' if x else ''\n    st.html(tag)", []),
    ],
)
def test_html_offences_follow_user_text(source, lines):
    assert html_offences(source) == lines


def test_no_html_is_rendered_from_user_text():
    offences = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_sources()
        for line in html_offences(path.read_text(encoding="utf-8"))
    ]
    assert offences == [], f"HTML built from text that is not escaped: {offences}"


# --- exports: a cell can never run as a formula ------------------------------------------------

FORMULAS = (
    '=HYPERLINK("http://x.nl","klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
)


def export_of(labels: list[str]):
    frame = pd.DataFrame(
        {"indicator": ["x"] * len(labels), "label": labels, "value": [1.5] * len(labels)}
    )
    meta = exports.ExportMeta(title="=TITLE()", built_on="vandaag", notes=())
    return frame, meta


def test_excel_export_has_no_formula_and_keeps_the_text():
    frame, meta = export_of(list(FORMULAS))
    book = openpyxl.load_workbook(io.BytesIO(exports.table_to_excel(frame, meta)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells and all(c.data_type != "f" for c in cells)
    # Excel stores a CR in a string as "_x000D_"; openpyxl hands it back escaped.
    labels = [
        row[1].value.replace("_x000D_", "\r") for row in book["gegevens"].iter_rows(min_row=2)
    ]
    assert labels == [f"'{text}" for text in FORMULAS]
    assert all(row[1].data_type == "s" for row in book["gegevens"].iter_rows(min_row=2))
    assert book["toelichting"]["B1"].value == "'=TITLE()"


def test_csv_export_starts_no_text_cell_like_a_formula():
    frame, meta = export_of([*FORMULAS, "Oud-Oost", "-"])
    content = exports.table_to_csv(frame, meta).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    labels = [row[1] for row in rows[1:]]
    assert labels == [f"'{text}" for text in FORMULAS] + ["Oud-Oost", "'-"]
    assert [row[2] for row in rows[1:]] == ["1,50"] * len(labels)  # numbers stay numbers


# --- the shipped config ------------------------------------------------------------------------


def test_the_app_shows_no_traceback_to_users():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
