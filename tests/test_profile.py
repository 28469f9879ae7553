import json
import math

import pandas as pd
import pytest

from analysis import tables
from analysis.catalogue import Catalogue, Indicator, load_catalogue
from analysis.selection import area_name, choose_figures, latest_periods
from analysis.views.profile import (
    MARGIN_RULE,
    PROFILE_COLUMNS,
    VERDICT_STYLE,
    margin_signal,
    profile_chart,
    profile_table,
    profile_text,
    snapshot_profile,
    survey_signal,
    verdict,
    with_survey,
)
from data.snapshot import load_snapshot

NAN = math.nan
NBSP = "\u00a0"
BASE = load_catalogue()
SURVEY_INDICATOR = Indicator(
    id="eenzaam_enquete",
    label="Eenzaam (eigen enquête)",
    definition="Score 3 of hoger op de De Jong Gierveld-schaal, eigen enquête.",
    unit="%",
    decimals=0,
    higher_is_better="lager",
    kind="eigen enquête",
    theme="Hoe gaat het met de mensen",
)
CATALOGUE = Catalogue(indicators=(*BASE.indicators, SURVEY_INDICATOR), sources=BASE.sources)
REGIONS = pd.DataFrame(
    {
        "code": ["NL01", "GM0001", "WK000101", "WK000102"],
        "name": ["Nederland", "Stad", "Noord", "Zuid"],
        "level": ["land", "gemeente", "wijk", "wijk"],
        "gemeente_code": [None, "GM0001", "GM0001", "GM0001"],
        "gemeente_name": ["Nederland", "Stad", "Stad", "Stad"],
        "indeling": [2020, 2025, 2025, 2025],
    }
)


def values(*rows):
    """Build a long value table from (indicator, code, period, age, source, value) rows."""
    return pd.DataFrame(rows, columns=["indicator", "code", "period", "age", "source", "value"])


VALUES = values(
    ("inwoners", "WK000101", 2025, "alle leeftijden", "86165NED", 3640.0),
    ("inwoners", "GM0001", 2025, "alle leeftijden", "86165NED", 129973.0),
    ("pct_koopwoningen", "WK000101", 2025, "alle leeftijden", "86165NED", 24.4),
    ("pct_koopwoningen", "GM0001", 2025, "alle leeftijden", "86165NED", 51.0),
    ("afstand_school", "WK000101", 2025, "alle leeftijden", "86165NED", 0.94),
    ("afstand_school", "GM0001", 2025, "alle leeftijden", "86165NED", 0.81),
    ("eenzaam", "WK000101", 2020, "18+", "50090NED", 53.3),
    ("eenzaam", "WK000101", 2020, "65+", "50090NED", 49.2),
    ("eenzaam", "WK000101", 2016, "19+", "rivm-eenzaamheid-2016", 53.0),
    ("eenzaam", "GM0001", 2020, "18+", "50090NED", 45.7),
    ("eenzaam", "NL01", 2020, "18+", "50090NED", 47.0),
    ("mantelzorger", "WK000101", 2020, "18+", "50090NED", 11.0),
    ("mantelzorger", "GM0001", 2020, "18+", "50090NED", 12.0),
    ("vrijwilligerswerk", "WK000101", 2020, "18+", "50090NED", NAN),
)


@pytest.fixture(scope="module")
def snapshot():
    return load_snapshot()


@pytest.mark.parametrize(
    ("value", "reference", "unit", "kind", "decimals", "expected"),
    [
        (52.0, 46.0, "%", "modelschatting", 0, "hoger"),  # 6 points, 13 %
        (48.0, 46.0, "%", "registratie", 0, ""),  # 2 points but 4 %
        (22.0, 20.0, "%", "registratie", 0, "hoger"),  # exactly 2 points and 10 %
        (22.0, 20.0, "%", "modelschatting", 0, ""),  # a model estimate needs 3 points
        (23.0, 20.0, "%", "modelschatting", 0, "hoger"),
        (17.0, 20.0, "%", "modelschatting", 0, "lager"),
        (3.0, 1.5, "%", "registratie", 1, ""),  # 100 % more, but only 1,5 points
        (47.3, 43.0, "%", "registratie", 1, "hoger"),  # 4,3 / 43 is 10 % despite float noise
        (1.0, 0.8, "km", "registratie", 1, "hoger"),  # 25 % and two steps of 0,1
        (0.9, 0.8, "km", "registratie", 1, ""),  # one step of 0,1: could be rounding
        (213.0, 263.0, "x 1.000 euro", "registratie", 0, "lager"),
        (270.0, 263.0, "x 1.000 euro", "registratie", 0, ""),  # 2,7 %
        (3640.0, 129973.0, "aantal", "registratie", 0, ""),  # counts are never compared
        (5.0, 0.0, "%", "registratie", 0, "hoger"),
        (46.0, 46.0, "%", "registratie", 0, ""),
        (NAN, 46.0, "%", "registratie", 0, ""),
        (46.0, NAN, "%", "modelschatting", 0, ""),
    ],
)
def test_margin_signal(value, reference, unit, kind, decimals, expected):
    assert margin_signal(value, reference, unit, kind, decimals) == expected


def test_margin_signal_refuses_survey_figures():
    with pytest.raises(ValueError) as err:
        margin_signal(50.0, 40.0, "%", "eigen enquête")
    assert str(err.value) == (
        "Soort 'eigen enquête' heeft geen marge; verwacht een van ('registratie', 'modelschatting')"
    )


def test_margin_rule_states_the_numbers_of_the_margins():
    for words in ("2 procentpunt", "3 procentpunt", "10 %", "significant", "geen toets"):
        assert words in MARGIN_RULE


@pytest.mark.parametrize(
    ("flag", "difference", "expected"),
    [
        ("hoger", 5.0, "hoger"),
        (" Lager ", 5.0, "lager"),  # the flag says it; the difference is not re-judged
        ("", 9.0, ""),
        (True, 4.0, "hoger"),
        (True, -4.0, "lager"),
        (True, 0.0, ""),
        (True, NAN, ""),
        (False, 9.0, ""),
        (None, 9.0, ""),
        (NAN, 9.0, ""),
    ],
)
def test_survey_signal(flag, difference, expected):
    assert survey_signal(flag, difference) == expected


@pytest.mark.parametrize(
    ("signal", "direction", "expected"),
    [
        ("hoger", "hoger", "beter"),
        ("lager", "hoger", "slechter"),
        ("hoger", "lager", "slechter"),
        ("lager", "lager", "beter"),
        ("hoger", "neutraal", "anders"),
        ("", "lager", "klein"),
    ],
)
def test_verdict(signal, direction, expected):
    assert verdict(signal, direction) == expected


def test_latest_periods():
    assert latest_periods(VALUES) == {
        "86165NED": 2025,
        "50090NED": 2020,
        "rivm-eenzaamheid-2016": 2016,
    }


@pytest.mark.parametrize(
    ("periods", "ages", "expected"),
    [
        (None, ("alle leeftijden", "18+", "19+", "65+"), (2020, "18+", "50090NED")),
        (None, ("65+", "18+"), (2020, "65+", "50090NED")),
        ({"50090NED": 2016}, ("18+", "19+"), (2016, "19+", "rivm-eenzaamheid-2016")),
    ],
)
def test_choose_figures_prefers_newest_year_then_age_then_source(periods, ages, expected):
    out = choose_figures(
        VALUES, CATALOGUE, ["WK000101"], periods=periods, ages=ages, indicator_ids=["eenzaam"]
    )
    assert [tuple(r) for r in out[["period", "age", "source"]].itertuples(index=False)] == [
        expected
    ]


def test_choose_figures_skips_missing_values_and_keeps_catalogue_order():
    out = choose_figures(VALUES, CATALOGUE, ["WK000101"])
    assert out["indicator"].tolist() == [
        "inwoners",
        "pct_koopwoningen",
        "afstand_school",
        "eenzaam",
        "mantelzorger",
    ]  # vrijwilligerswerk has no value


def test_choose_figures_names_an_unknown_indicator():
    with pytest.raises(KeyError, match="Onbekende indicator 'eenzaamheid'"):
        choose_figures(VALUES, CATALOGUE, ["WK000101"], indicator_ids=["eenzaamheid"])


def test_profile_table_rows_are_rounded_compared_and_signalled():
    table = profile_table(VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001")
    assert tuple(table.columns) == PROFILE_COLUMNS
    got = table.set_index("indicator")[
        ["period", "age", "value", "gemeente", "nederland", "difference", "signal", "signal_basis"]
    ]
    expected = pd.DataFrame(
        {
            "indicator": [
                "inwoners",
                "pct_koopwoningen",
                "afstand_school",
                "eenzaam",
                "mantelzorger",
            ],
            "period": pd.array([2025, 2025, 2025, 2020, 2020], dtype="Int64"),
            "age": ["alle leeftijden"] * 3 + ["18+"] * 2,
            "value": [3640.0, 24.0, 0.9, 53.0, 11.0],
            "gemeente": [129973.0, 51.0, 0.8, 46.0, 12.0],
            "nederland": [NAN, NAN, NAN, 47.0, NAN],
            "difference": [NAN, -27.0, 0.1, 7.0, -1.0],
            "signal": ["", "lager", "", "hoger", ""],
            "signal_basis": [
                "",
                "verschil groter dan de marge",
                "",
                "verschil groter dan de marge (modelschatting, geen meting)",
                "",
            ],
        }
    ).set_index("indicator")
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_profile_table_rejects_an_area_of_another_gemeente():
    with pytest.raises(ValueError) as err:
        profile_table(VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0080")
    assert str(err.value) == "Gebied WK000101 hoort bij GM0001, niet bij gemeente GM0080"


def test_profile_table_of_an_area_without_figures_is_empty_with_all_columns():
    table = profile_table(VALUES, REGIONS, CATALOGUE, code="WK000102", gemeente_code="GM0001")
    assert table.empty and tuple(table.columns) == PROFILE_COLUMNS


SURVEY = pd.DataFrame(
    {
        "area": ["WK000101", "GM0001", "WK000102"],
        "indicator": ["eenzaam_enquete"] * 3,
        "n": [120, 1450, 7],
        "n_eff": [101.5, 1300.0, 6.0],
        "value": [52.4, 41.0, 80.0],
        "ci_low": [43.1, 38.5, 40.0],
        "ci_high": [61.6, 43.6, 97.0],
        "status": ["", "", "onderdrukt"],
        "reason": ["", "", "minder dan 10 antwoorden"],
        "sig_vs_gemeente": ["hoger", "", ""],
        "sig_vs_rivm": ["", "", ""],
    }
)


def test_survey_rows_sit_next_to_the_model_estimate_with_n_and_interval():
    table = profile_table(
        VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001", survey=SURVEY
    ).set_index("indicator")
    assert table.loc["eenzaam", "value"] == 53.0  # the RIVM row is untouched
    row = table.loc["eenzaam_enquete"]
    assert row["kind"] == "eigen enquête"
    assert (row["value"], row["gemeente"], row["difference"]) == (52.0, 41.0, 11.0)
    assert (row["n"], row["n_eff"], row["ci_low"], row["ci_high"]) == (120.0, 101.5, 43.0, 62.0)
    assert row["signal"] == "hoger"
    assert row["signal_basis"] == "significant verschil (enquête, 95 %)"
    assert math.isnan(row["nederland"])


def test_a_suppressed_survey_figure_keeps_n_and_reason_but_never_the_number():
    table = profile_table(
        values(), REGIONS, CATALOGUE, code="WK000102", gemeente_code="GM0001", survey=SURVEY
    )
    row = table.iloc[0]
    assert row["status"] == "onderdrukt" and row["reason"] == "minder dan 10 antwoorden"
    assert row["n"] == 7.0
    assert all(math.isnan(row[c]) for c in ("value", "ci_low", "ci_high", "difference"))
    assert row["signal"] == ""


def test_survey_figures_cannot_take_the_id_of_a_rivm_estimate():
    survey = SURVEY.assign(indicator="eenzaam")
    with pytest.raises(ValueError) as err:
        profile_table(
            VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001", survey=survey
        )
    assert str(err.value) == (
        "Enquêtecijfers, indicator 'eenzaam': de catalogus noemt dit een modelschatting, geen "
        "eigen enquête; enquêtecijfers krijgen een eigen indicator"
    )


def test_survey_frame_without_a_column_is_named():
    with pytest.raises(ValueError) as err:
        profile_table(
            VALUES,
            REGIONS,
            CATALOGUE,
            code="WK000101",
            gemeente_code="GM0001",
            survey=SURVEY.drop(columns="ci_low"),
        )
    assert str(err.value) == (
        "Enquêtecijfers: kolom 'ci_low' ontbreekt "
        "(verwacht: area, indicator, n, value, ci_low, ci_high, status)"
    )


def test_profile_text_only_for_signals_with_the_right_qualifier():
    table = profile_table(
        VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001", survey=SURVEY
    )
    sentences = [s.replace(NBSP, " ") for s in profile_text(table, area="Noord", gemeente="Stad")]
    assert sentences == [
        "In Noord zijn er minder koopwoningen dan gemiddeld in Stad: 24 % tegen 51 %.",
        "In Noord voelen naar schatting meer mensen zich eenzaam dan gemiddeld in Stad: "
        "53 % tegen 46 %.",
        "In Noord is volgens de enquête het cijfer voor 'eenzaam' hoger dan gemiddeld in Stad: "
        "52 % (n = 120) tegen 41 %.",
    ]


def test_profile_text_marks_an_indicative_survey_figure():
    survey = SURVEY.assign(status=["indicatief", "", "onderdrukt"])
    table = profile_table(
        values(), REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001", survey=survey
    )
    assert [s.replace(NBSP, " ") for s in profile_text(table, area="Noord", gemeente="Stad")] == [
        "In Noord is volgens de enquête het cijfer voor 'eenzaam' hoger dan gemiddeld in Stad: "
        "52 % (n = 120, indicatief) tegen 41 %."
    ]


def test_profile_text_names_the_age_group_of_65_plus_figures():
    table = profile_table(
        VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001", ages=("65+",)
    )
    table = table[table["indicator"] == "eenzaam"].assign(gemeente=40.0, signal="hoger")
    assert [s.replace(NBSP, " ") for s in profile_text(table, area="Noord", gemeente="Stad")] == [
        "In Noord voelen naar schatting meer mensen zich eenzaam dan gemiddeld in Stad "
        "(bij 65-plussers): 49 % tegen 40 %."
    ]


def chart_dict(table):
    chart = profile_chart(table, CATALOGUE, area="Noord", gemeente="Stad")
    return chart, json.loads(chart.figure.to_json())


def test_profile_chart_colours_only_signals_following_higher_is_better():
    table = profile_table(
        VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001", survey=SURVEY
    )
    chart, fig = chart_dict(table)
    traces = {t["name"]: t for t in fig["data"] if t.get("showlegend") is not False}
    slechter = traces[VERDICT_STYLE["slechter"][0]]
    assert slechter["y"][1] == ["Eenzaam (RIVM-schatting)", "Eenzaam (eigen enquête)"]
    assert slechter["x"] == [115.0, 127.0]  # 53/46 and 52/41
    assert slechter["marker"]["color"] == VERDICT_STYLE["slechter"][1]
    # the survey dot carries its interval: 43/41 = 104,9 and 62/41 = 151,2 around 127
    assert slechter["error_x"]["arrayminus"][1] == pytest.approx(127.0 - 100 * 43 / 41)
    assert slechter["error_x"]["array"][1] == pytest.approx(100 * 62 / 41 - 127.0)
    anders = traces[VERDICT_STYLE["anders"][0]]  # koopwoningen: neutral direction
    assert anders["x"] == [47.0]  # 24/51
    klein = traces[VERDICT_STYLE["klein"][0]]
    assert sorted(klein["y"][1]) == ["Afstand tot basisschool", "Mantelzorgers (RIVM-schatting)"]
    assert "Beter dan de gemeente" not in traces


def test_profile_chart_title_axis_caption_and_separators():
    table = profile_table(VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001")
    chart, fig = chart_dict(table)
    assert fig["layout"]["title"]["text"] == "Noord vergeleken met Stad"
    assert fig["layout"]["xaxis"]["type"] == "log"
    assert fig["layout"]["separators"] == ",."
    assert chart.caption.startswith(
        "Bronnen: CBS, Kerncijfers wijken en buurten 2025; cijfers over 2025. RIVM/CBS, GGD'en "
    )
    assert "cijfers over 2020" in chart.caption
    # inwoners is a count: in the table, not in the figure, and the caption says so
    assert "1 cijfer(s) uit de tabel staan niet in de figuur" in chart.caption
    labels = [label for t in fig["data"] for label in t["y"][1]]
    assert "Aantal inwoners" not in labels


def test_area_name_prefers_the_newest_indeling_with_a_name(snapshot):
    assert area_name(snapshot.regions, "WK008061") == "Vrijheidswijk"
    assert area_name(snapshot.regions, "WK008010") == "Binnenstad"


def test_leeuwarden_binnenstad_profile_has_eenzaam_2020_with_gemeente_and_country(snapshot):
    table = profile_table(
        snapshot.values, snapshot.regions, CATALOGUE, code="WK008010", gemeente_code="GM0080"
    )
    row = table.set_index("indicator").loc["eenzaam"]
    # 50090NED, 18+: wijk 53,3, Leeuwarden 45,7, NL01 47,0 → rounded to 0 decimals
    assert (row["source"], row["period"], row["age"]) == ("50090NED", 2020, "18+")
    assert (row["value"], row["gemeente"], row["nederland"]) == (53.0, 46.0, 47.0)
    assert (row["difference"], row["signal"]) == (7.0, "hoger")
    # CBS registrations of 2025: the country has KWB 2024 only (issue 10), shown with its
    # year: the sum of the 342 gemeenten of 85984NED.
    inwoners = table.set_index("indicator").loc["inwoners"]
    assert (inwoners["period"], inwoners["value"]) == (2025, 6980.0)
    assert (inwoners["nederland"], inwoners["nederland_period"]) == (17942942.0, 2024)
    shown = tables.profile_display(table, area="Binnenstad", gemeente="Leeuwarden")
    row = shown.set_index("Indicator").loc["Aantal inwoners"]
    assert row["Nederland"].replace("\u00a0", " ") == "17.942.942 (2024)"
    assert row["Indeling"] == "2025"


def test_the_snapshot_part_plus_the_survey_is_the_whole_profile_and_keeps_extra_columns():
    # The page keeps the snapshot's part per area (issue #14) and adds a session's survey.
    whole = profile_table(
        VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001", survey=SURVEY
    )
    part = snapshot_profile(VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001")
    assert "eenzaam_enquete" not in set(part["indicator"])
    assert set(part["indicator"]) == set(whole["indicator"]) - {"eenzaam_enquete"}
    pd.testing.assert_frame_equal(
        with_survey(part, SURVEY, CATALOGUE, code="WK000101", gemeente_code="GM0001"), whole
    )
    # A region column made for the snapshot's rows stays, empty for the survey's row.
    region = part.assign(ggd=part["indicator"].map({"inwoners": 660000.0, "eenzaam": 44.0}))
    added = with_survey(region, SURVEY, CATALOGUE, code="WK000101", gemeente_code="GM0001")
    assert list(added.columns) == [*PROFILE_COLUMNS, "ggd"]
    assert added["indicator"].tolist() == whole["indicator"].tolist()
    by_id = added.set_index("indicator")["ggd"]
    assert (by_id["inwoners"], by_id["eenzaam"]) == (660000.0, 44.0)
    assert math.isnan(by_id["eenzaam_enquete"]) and math.isnan(by_id["mantelzorger"])
    # Only survey rows (no snapshot figures for Zuid): the column is there, empty.
    zuid = snapshot_profile(VALUES, REGIONS, CATALOGUE, code="WK000102", gemeente_code="GM0001")
    only = with_survey(
        zuid.assign(ggd=pd.Series(dtype="float64")),
        SURVEY,
        CATALOGUE,
        code="WK000102",
        gemeente_code="GM0001",
    )
    assert only["indicator"].tolist() == ["eenzaam_enquete"]
    assert only["ggd"].isna().all() and only["n"].tolist() == [7.0]


def test_the_snapshot_part_reads_the_whole_snapshot_or_a_gemeente_slice_alike():
    # Rows of other areas (another wijk, another gemeente) never change an area's profile.
    noise = values(
        ("pct_koopwoningen", "WK000102", 2025, "alle leeftijden", "86165NED", 99.0),
        ("pct_koopwoningen", "GM0002", 2025, "alle leeftijden", "86165NED", 1.0),
        ("pct_koopwoningen", "WK000201", 2026, "alle leeftijden", "86165NED", 1.0),
    )
    both = pd.concat([noise, VALUES], ignore_index=True)
    alone = snapshot_profile(VALUES, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001")
    mixed = snapshot_profile(both, REGIONS, CATALOGUE, code="WK000101", gemeente_code="GM0001")
    pd.testing.assert_frame_equal(alone, mixed)
    assert mixed.set_index("indicator").loc["pct_koopwoningen", "value"] == 24.0  # 24,4 shown
