"""Every figure says what it is (issue #12): fictitious figures carry "fictief", real ones never.

The made-up example survey of Leeuwarden is analysed like an upload and marked fictitious
(`analysis.survey.pipeline.survey_source`). Each generated sentence, title, table row and
export line is then checked: a line about a fictitious figure says "fictief", a line about a
real (CBS, RIVM) figure never does.
"""

import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest

from analysis.catalogue import FICTITIOUS, load_catalogue
from analysis.figure import figure_info, has_mark
from analysis.survey import example as example_survey
from analysis.survey import pipeline as survey_pipeline
from analysis.views import exports, maps, profile, trends
from analysis.workshop import notes as notes_module
from analysis.workshop.story import build_story
from data.snapshot import load_snapshot
from tests.test_exports import csv_rows, pdf_streams
from tests.test_notes_export import pdf_words

GEMEENTE = "GM0080"
VRIJHEIDSWIJK = "WK008061"
BASE = load_catalogue()


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def example(example_result):
    """Return (estimates, session catalogue) of Leeuwarden's fictitious example survey."""
    result, catalogue = example_result
    return result.estimates, catalogue


@pytest.fixture(scope="module")
def example_result(snap):
    """Return (survey result, session catalogue) of Leeuwarden's fictitious example survey."""
    regions = survey_pipeline.survey_regions(snap.regions, GEMEENTE)
    rivm = survey_pipeline.rivm_reference(snap.values, regions["code"])
    frame = example_survey.generate_example(rivm, regions, gemeente_code=GEMEENTE)
    result = survey_pipeline.analyse_survey(
        frame,
        regions,
        gemeente_code=GEMEENTE,
        file_name="voorbeeld_enquete_fictief.csv",
        rivm=rivm,
    )
    source = survey_pipeline.survey_source(
        "voorbeeld_enquete_fictief.csv", 2026, 2025, fictitious=True
    )
    return result, BASE.with_survey(result.indicators, source)


@pytest.fixture(scope="module")
def profile_rows(snap, example):
    estimates, catalogue = example
    total = estimates["area"] == survey_pipeline.stats.TOTAL_AREA
    survey = estimates.assign(area=estimates["area"].where(~total, GEMEENTE))
    return profile.profile_table(
        snap.values,
        snap.regions,
        catalogue,
        code=VRIJHEIDSWIJK,
        gemeente_code=GEMEENTE,
        survey=survey,
    )


def fictitious_rows(table: pd.DataFrame) -> pd.Series:
    return table["indicator"].astype("str").str.startswith("enq_")


def test_the_example_is_a_kind_of_its_own_and_its_labels_say_so(example):
    _, catalogue = example
    survey = [i for i in catalogue.indicators if i.id.startswith("enq_")]
    assert survey and all(i.kind == FICTITIOUS for i in survey)
    assert all(has_mark(i.label) for i in survey)
    assert not any(has_mark(i.label) for i in catalogue.indicators if i not in survey)
    assert catalogue.indicator("enq_eenzaam").label == "Eenzaam (enquête, fictief voorbeeld)"


def test_a_copy_of_the_example_uploaded_again_stays_fictitious(snap):
    regions = survey_pipeline.survey_regions(snap.regions, GEMEENTE)
    rivm = survey_pipeline.rivm_reference(snap.values, regions["code"])
    frame = example_survey.generate_example(rivm, regions, gemeente_code=GEMEENTE)
    as_read = pd.read_csv(io.StringIO(frame.to_csv(index=False)), dtype=str)
    assert example_survey.looks_fictitious(as_read)
    real = as_read.assign(respondent_id=[f"R{i}" for i in range(len(as_read))])
    assert not example_survey.looks_fictitious(real)


def test_every_profile_sentence_is_marked_exactly_when_its_figure_is_fictitious(profile_rows):
    fict = fictitious_rows(profile_rows)
    fake = profile.profile_text(profile_rows[fict], area="Vrijheidswijk", gemeente="Leeuwarden")
    real = profile.profile_text(profile_rows[~fict], area="Vrijheidswijk", gemeente="Leeuwarden")
    assert fake and real  # both kinds have sentences, so the check below means something
    assert all(s.startswith("Fictief voorbeeld: ") for s in fake)
    assert not any(has_mark(s) for s in real)


def test_profile_chart_marks_its_title_and_each_fictitious_dot(profile_rows, example):
    _, catalogue = example
    fict = fictitious_rows(profile_rows)
    chart = profile.profile_chart(profile_rows, catalogue, area="Vrijheidswijk", gemeente="L")
    assert has_mark(chart.figure.layout.title.text)
    labels = [lab for t in chart.figure.data[1:] for lab in t.y[1]]
    assert any(has_mark(lab) for lab in labels)
    for label in labels:
        assert has_mark(label) == label.endswith("fictief voorbeeld)")
    real = profile.profile_chart(profile_rows[~fict], catalogue, area="V", gemeente="L")
    assert not has_mark(real.figure.layout.title.text)


def test_profile_csv_excel_and_pdf_mark_every_fictitious_line_and_no_real_one(
    profile_rows, example, snap
):
    _, catalogue = example
    meta = exports.export_meta(
        catalogue,
        profile_rows,
        title="Wijkprofiel Vrijheidswijk",
        built_on="2026-11-24",
        suppression_rule="Minder dan 30 antwoorden: niet getoond.",
        column_labels={"value": "Vrijheidswijk"},
    )
    rows = csv_rows(exports.table_to_csv(profile_rows, meta))
    header, body = rows[0], rows[1:]
    assert "Gebied" not in header
    ids = [r[0] for r in body]
    assert any(i.startswith("enq_") for i in ids) and any(not i.startswith("enq_") for i in ids)
    for row in body:
        assert has_mark(";".join(row)) == row[0].startswith("enq_"), row

    book = openpyxl.load_workbook(io.BytesIO(exports.table_to_excel(profile_rows, meta)))
    for row in book["gegevens"].iter_rows(min_row=2, values_only=True):
        text = ";".join("" if v is None else str(v) for v in row)
        assert has_mark(text) == str(row[0]).startswith("enq_"), row

    sentences = profile.profile_text(profile_rows, area="Vrijheidswijk", gemeente="Leeuwarden")
    pdf = exports.profile_pdf(profile_rows, sentences, meta, "Vrijheidswijk", "Leeuwarden", "x")
    text = pdf_streams(pdf).decode("cp1252")
    lines = re.findall(r"\((.*?)(?<!\\)\) Tj", text)
    for label in profile_rows["label"]:
        if label.startswith("Eenzaam (enquête"):
            assert any("fictief voorbeeld" in line for line in lines)
    for line in lines:
        if "RIVM-schatting" in line:
            assert not has_mark(line), line


def test_map_title_and_export_of_a_fictitious_figure_are_marked_on_every_line(snap, example):
    estimates, catalogue = example
    areas = maps.area_options(snap.regions, GEMEENTE)
    frame = maps.survey_frame(areas, estimates, "enq_eenzaam")
    info = figure_info(catalogue, "enq_eenzaam", "enquete", period=2026, age="respondenten")
    assert has_mark(info.title("Eenzaam — Leeuwarden, wijken (2026)"))
    export = maps.map_export(frame, info, "enquete", survey=True)
    meta = exports.export_meta(
        catalogue, export, title="Kaart", built_on="2026-11-24", suppression_rule="regel"
    )
    assert has_mark(meta.title)
    rows = csv_rows(exports.table_to_csv(export, meta))
    assert rows[0][:3] == ["Gebiedscode", "Gebied", "Waarde (%)"]
    assert all(has_mark(";".join(r)) for r in rows[1:])
    book = openpyxl.load_workbook(io.BytesIO(exports.table_to_excel(export, meta)))
    for row in book["gegevens"].iter_rows(min_row=2, values_only=True):
        assert has_mark(";".join("" if v is None else str(v) for v in row))


def test_map_and_trend_exports_of_real_figures_never_carry_the_mark(snap, example):
    _, catalogue = example  # the session catalogue holds the example: still no mark
    areas = maps.area_options(snap.regions, GEMEENTE)
    figures = maps.Figures("eenzaam", 2020, "18+", "50090NED")
    frame = maps.map_frame(areas, snap.values, figures, regions=snap.regions)
    info = figure_info(catalogue, "eenzaam", "50090NED", period=2020, age="18+")
    export = maps.map_export(frame, info, "50090NED", survey=False)
    meta = exports.export_meta(catalogue, export, title=info.title("Eenzaam"), built_on="x")
    data = exports.table_to_csv(export, meta) + exports.table_to_excel(export, meta)
    assert b"fictie" not in data.lower() and not has_mark(meta.title)
    series = trends.series(snap.values, catalogue, VRIJHEIDSWIJK, "eenzaam")
    meta = exports.export_meta(catalogue, series, title="Ontwikkeling", built_on="x")
    assert b"fictie" not in exports.table_to_csv(series, meta).lower()


def test_workshop_lines_are_marked_exactly_when_their_figure_is_fictitious(snap, example):
    estimates, catalogue = example
    story = build_story(
        snap.values,
        snap.regions,
        catalogue,
        code=VRIJHEIDSWIJK,
        gemeente_code=GEMEENTE,
        survey=estimates,
        fictitious=True,
    )
    checked = 0
    for slide in story.slides:
        for bar in slide.bars:
            assert has_mark(bar.label) == bar.indicator.startswith("enq_"), bar.label
            checked += 1
        if slide.bars:
            lead = next((b for b in slide.bars if b.signal in ("hoger", "lager")), slide.bars[0])
            assert has_mark(slide.message) == lead.indicator.startswith("enq_"), slide.message
    assert checked > 10
    names = {"wijk_name": "Vrijheidswijk", "gemeente_name": "Leeuwarden"}
    for section in notes_module.sections(story, {}, **names):
        for line in section.figures:
            assert has_mark(line) == ("(n = " in line), line  # survey lines carry their n
    # The compact PDF never labels a real RIVM sentence "fictief" (it did before issue #12).
    pdf = notes_module.notes_pdf(story, {}, **names, day=dt.date(2026, 11, 24))
    words = pdf_words(pdf)
    assert "(fictief voorbeeld) In Vrijheidswijk voelen naar schatting" not in words
    markdown = notes_module.notes_markdown(story, {}, **names, day=dt.date(2026, 11, 24))
    for line in markdown.splitlines():
        if "naar schatting" in line:
            assert not has_mark(line), line


def test_survey_is_tested_against_rivm_only_where_the_definitions_match(snap, example_result):
    from analysis.survey import scales

    assert scales.rivm_comparable() == {
        "eenzaam": "eenzaam",
        "ernstig_eenzaam": "ernstig_eenzaam",
        "vrijwilligerswerk": "vrijwilligerswerk",
    }
    result, _ = example_result
    estimates = result.estimates
    # mantelzorg is not RIVM's "mantelzorger", rondkomen has other answers: never flagged.
    for iid in ("enq_mantelzorg", "enq_moeite_rondkomen"):
        assert (estimates.loc[estimates["indicator"] == iid, "sig_vs_rivm"] == "").all()
    regions = survey_pipeline.survey_regions(snap.regions, GEMEENTE)
    rivm = survey_pipeline.rivm_reference(snap.values, regions["code"])
    table = survey_pipeline.display_table(result, "enq_mantelzorg", regions, rivm)
    assert set(table["Anders dan RIVM"]) == {
        "niet getoetst: andere vraag: de RIVM-schatting 'mantelzorger' gaat over mantelzorg van "
        "minstens 3 maanden en/of 8 uur per week"
    }


def test_the_reader_is_told_how_many_differences_chance_alone_gives(example):
    estimates, _ = example
    note = survey_pipeline.significance_note(estimates, "enq_eenzaam")
    shown = estimates[
        (estimates["indicator"] == "enq_eenzaam")
        & (estimates["area"] != survey_pipeline.stats.TOTAL_AREA)
        & estimates["value"].notna()
    ]
    found = int((shown["sig_vs_gemeente"] != "").sum())
    assert note.startswith(f"{found} van de {len(shown)} getoetste gebieden verschillen")
    assert "zonder correctie voor meervoudig toetsen" in note
    assert survey_pipeline.stats.chance_findings(22) == 1.1  # 22 wijken at 5 %
