"""Issue 11 "done when": real export shapes give the hand-computed figures on every road in.

The same three respondent files (`tests.survey_corpus`) go through the pure functions, the
command line and the page (AppTest, only clicks), with only the automatic proposals: each road
must give the hand-computed n exactly and the percentage within 0.1 percentage point.
"""

import subprocess
import sys

import pandas as pd
import pytest

from analysis.survey import area_keys, columns, pipeline
from data.snapshot import load_snapshot
from data.survey import read_survey
from paths import ROOT
from tests import survey_corpus as corpus
from tests.apptest import app, no_exception

FILES = {
    "monitor_ggd.sav": (corpus.ggd_monitor_sav, corpus.SAV_EXPECTED),
    "export_gemeente.csv": (corpus.gemeente_csv, corpus.CSV_EXPECTED),
    "buurtenquete.xlsx": (corpus.buurt_xlsx, corpus.XLSX_EXPECTED),
}


@pytest.fixture(scope="module")
def leeuwarden():
    snap = load_snapshot()
    regions = pipeline.survey_regions(snap.regions, corpus.GEMEENTE)
    return regions, pipeline.rivm_reference(snap.values, regions["code"])


def analyse(content: bytes, name: str, regions, rivm) -> pipeline.SurveyResult:
    """Read, propose and analyse a file as page and CLI do it without any click (pure road)."""
    raw = read_survey(content, name)
    mapping = columns.propose_mapping(
        [str(c) for c in raw.frame.columns], raw.column_labels, raw.value_labels
    )
    assert columns.mapping_problems(mapping, list(raw.frame.columns)) == []
    values = pipeline.area_values(raw.frame, mapping, raw.value_labels)
    level = area_keys.propose_level(values, regions, corpus.GEMEENTE)
    return pipeline.analyse_mapped(
        raw, mapping, regions, gemeente_code=corpus.GEMEENTE, level=level, rivm=rivm
    )


def check(rows: pd.DataFrame, expected) -> None:
    """Compare output rows (`pipeline.EXPORT_COLUMNS`) with the hand-computed figures."""
    table = rows.assign(code=rows["code"].astype("str")).set_index(["code", "indicator"])
    for exp in expected:
        row = table.loc[(exp.code, exp.indicator)]
        assert int(row["n"]) == exp.n, exp
        if exp.pct is None:
            assert not bool(row["shown"]), exp
        else:
            assert bool(row["shown"]), exp
            assert abs(float(row["pct"]) - exp.pct) < 0.1, (exp, float(row["pct"]))


@pytest.mark.parametrize("name", list(FILES))
def test_pure_functions_give_the_hand_computed_figures(name, leeuwarden, tmp_path):
    build, expected = FILES[name]
    result = analyse(build(tmp_path), name, *leeuwarden)
    check(pipeline.export_rows(result, corpus.GEMEENTE), expected)


def test_the_spss_monitor_reports_per_column_in_its_own_words(leeuwarden, tmp_path):
    result = analyse(corpus.ggd_monitor_sav(tmp_path), "monitor_ggd.sav", *leeuwarden)
    assert result.problems == [
        "monitor_ggd.sav, rij 41 en 42 (2 rijen), kolom 'MMIKB201': '7' is geen geldig antwoord "
        "(verwacht: grote moeite, enige moeite, geen moeite)"
    ]
    assert result.unmatched[["value", "count"]].values.tolist() == [["Wijk onbekend", 3]]
    assert result.level == "wijk" and result.respondents == 115 and result.used == 112
    assert any(n.startswith("Moeite met rondkomen: 2 respondenten") for n in result.notes)


def test_the_buurt_survey_is_estimated_per_buurt(leeuwarden):
    result = analyse(corpus.buurt_xlsx(), "buurtenquete.xlsx", *leeuwarden)
    assert result.level == "buurt"
    assert result.match_counts["code"] == result.respondents == 108
    assert result.problems == []


@pytest.mark.parametrize("name", list(FILES))
def test_the_command_line_gives_the_same_figures_from_file_and_gemeente_alone(name, tmp_path):
    build, expected = FILES[name]
    source = tmp_path / name
    source.write_bytes(build(tmp_path))
    out = tmp_path / "uit.csv"
    run = subprocess.run(
        [sys.executable, "-m", "cli", "enquete", str(source), "--gemeente", "GM0080",
         "--uit", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    rows = pd.read_csv(out, dtype={"code": "str"})
    assert list(rows.columns) == list(pipeline.EXPORT_COLUMNS)
    check(rows, expected)
    # Suppressed cells carry no percentage; nothing is rounded.
    assert rows.loc[~rows["shown"], "pct"].isna().all()
    if name.endswith(".sav"):
        assert "kolom 'MMIKB201': '7' is geen geldig antwoord" in run.stderr


@pytest.mark.parametrize("name", list(FILES))
def test_the_page_gives_the_same_figures_with_only_clicks(name, tmp_path):
    build, expected = FILES[name]
    at = app({"gemeente": corpus.GEMEENTE}).run()
    at.switch_page("ui/pages/enquete.py").run()
    no_exception(at)
    at.file_uploader(key="enquete_bestand").upload(
        name, build(tmp_path), "application/octet-stream"
    )
    at.run()
    no_exception(at)
    button = at.button(key="enquete_bereken")
    assert not button.disabled, [e.value for e in at.error]
    button.click().run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    survey = at.session_state["_survey"]
    check(pipeline.export_rows(survey.result, corpus.GEMEENTE), expected)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Respondenten"] == str(survey.result.respondents)


# --- long-form monitor tables (issue 11, item 6) ------------------------------------------------


def test_a_long_form_monitor_table_is_pivoted_with_the_gemeente_row_as_reference():
    from data.aggregates import read_aggregates

    table = read_aggregates(corpus.long_monitor_csv(), "monitor_lang.csv", gemeente_name=None)
    # "Leeuwarden" is not a wijk: without the gemeente's name it would be an area; the page
    # passes the name of the gemeente (below) and the row becomes the reference.
    assert list(table.frame.columns) == ["area", "Eenzaam (%)", "Moeite met rondkomen (%)"]
    named = read_aggregates(
        corpus.long_monitor_csv(), "monitor_lang.csv", gemeente_name="Leeuwarden"
    )
    assert named.frame["area"].tolist() == ["Binnenstad", "Oud-Oost", "Grou"]
    assert named.frame["Eenzaam (%)"].tolist() == [45.0, 38.4, 30.1]
    # "-" is a figure the source left out: missing, never 0.
    assert named.frame["Moeite met rondkomen (%)"].isna().tolist() == [False, True, False]
    assert named.totals[["area", "Eenzaam (%)", "scope"]].values.tolist() == [
        ["Leeuwarden", 41.2, "gemeente"]
    ]
    assert "Thema Welzijn: Eenzaam (%), Moeite met rondkomen (%)" in named.notes


def test_a_long_form_value_that_is_no_number_names_its_own_row():
    from data.aggregates import AggregateError, read_aggregates

    content = "gebied;indicator;waarde\r\nOost;Eenzaam (%);41,2\r\nWest;Eenzaam (%);veel\r\n"
    with pytest.raises(AggregateError, match=r"^m\.csv, rij 3, kolom 'waarde': 'veel' is geen"):
        read_aggregates(content.encode(), "m.csv")


def test_the_page_shows_every_area_of_a_long_form_table():
    at = app({"gemeente": corpus.GEMEENTE}).run()
    at.switch_page("ui/pages/enquete.py").run()
    uploader = at.file_uploader(key="tabel_bestand")
    uploader.upload("monitor_lang.csv", corpus.long_monitor_csv(), "text/csv").run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    assert any("3 gebieden" in s.value for s in at.success)
    shown = next(d.value for d in at.dataframe if "Kaart" in d.value.columns)
    assert shown["Gebied"].tolist() == ["Binnenstad", "Oud-Oost", "Grou"]
    assert not any("andere gemeente" in w.value for w in at.warning)


def test_on_the_page_an_unproposed_question_and_an_unknown_answer_are_set_by_clicks():
    # "Vraag 7" holds mantelzorg: no proposal, mapped by hand in the expander (issue 11, item
    # 4). Rondkomen says "Soms moeilijk" for 10 people: not recognised until the analyst makes
    # it "enige moeite" in the answer step (item 1). 40 respondents in Binnenstad:
    # rondkomen 10 "Soms moeilijk" + 10 "Ja, grote moeite" + 20 "Nee" → moeite 20/40 = 50 %;
    # mantelzorg 30 "ja" of 40 → 75 %.
    lines = ["Wijk;Moeite met rondkomen;Vraag 7"]
    answers = ["Soms moeilijk"] * 10 + ["Ja, grote moeite"] * 10 + ["Nee"] * 20
    lines += [f"Binnenstad;{a};{'ja' if i < 30 else 'nee'}" for i, a in enumerate(answers)]
    at = app({"gemeente": corpus.GEMEENTE}).run()
    at.switch_page("ui/pages/enquete.py").run()
    content = ("\r\n".join(lines) + "\r\n").encode()
    at.file_uploader(key="enquete_bestand").upload("peiling.csv", content, "text/csv").run()
    no_exception(at)
    unknown = at.selectbox(key="antwoord|rondkomen|Soms moeilijk")
    assert unknown.value == "ongeldig"  # proposed: not recognised
    at.selectbox(key="koppel_mantelzorg").select("Vraag 7").run()
    at.selectbox(key="antwoord|rondkomen|Soms moeilijk").select(2).run()
    no_exception(at)
    at.button(key="enquete_bereken").click().run()
    no_exception(at)
    rows = pipeline.export_rows(at.session_state["_survey"].result, corpus.GEMEENTE)
    check(
        rows,
        (
            corpus.Expected("WK008010", "moeite_rondkomen", 40, 50.0),
            corpus.Expected("WK008010", "mantelzorg", 40, 75.0),
        ),
    )
    assert at.session_state["_survey"].result.problems == []


def test_the_command_line_uses_a_saved_koppelbestand_and_refuses_in_dutch(tmp_path):
    # The file of the click test above, with the choices saved as the page saves them.
    lines = ["Wijk;Moeite met rondkomen;Vraag 7"]
    answers = ["Soms moeilijk"] * 10 + ["Ja, grote moeite"] * 10 + ["Nee"] * 20
    lines += [f"Binnenstad;{a};{'ja' if i < 30 else 'nee'}" for i, a in enumerate(answers)]
    source = tmp_path / "peiling.csv"
    source.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    mapping = (
        columns.propose_mapping(["Wijk", "Moeite met rondkomen", "Vraag 7"])
        .with_source("mantelzorg", "Vraag 7")
        .with_answers("rondkomen", {"Soms moeilijk": 2})
    )
    saved = tmp_path / "koppeling_enquete.json"
    saved.write_text(mapping.to_json(), encoding="utf-8")
    out = tmp_path / "uit.csv"

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "cli", "enquete", *map(str, args)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    run = cli(source, "--gemeente", "GM0080", "--koppeling", saved, "--uit", out)
    assert run.returncode == 0, run.stderr
    check(
        pd.read_csv(out, dtype={"code": "str"}),
        (
            corpus.Expected("WK008010", "moeite_rondkomen", 40, 50.0),
            corpus.Expected("WK008010", "mantelzorg", 40, 75.0),
        ),
    )
    missing = cli(tmp_path / "weg.csv", "--gemeente", "GM0080", "--uit", out)
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith("weg.csv: bestand niet gevonden of niet te openen")


def test_the_page_says_when_the_file_holds_areas_of_several_gemeenten():
    lines = ["Wijk;Rondkomen", *(["WK008010;Nee"] * 3), *(["WK034401;Nee"] * 2)]
    at = app({"gemeente": corpus.GEMEENTE}).run()
    at.switch_page("ui/pages/enquete.py").run()
    content = ("\r\n".join(lines) + "\r\n").encode()
    at.file_uploader(key="enquete_bestand").upload("twee.csv", content, "text/csv").run()
    no_exception(at)
    warning = next(w.value for w in at.warning if "meer dan één gemeente" in w.value)
    assert "Leeuwarden (3 rijen), Utrecht (2 rijen)" in warning
