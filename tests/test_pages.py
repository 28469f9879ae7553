"""AppTest of the wijkprofiel, vergelijken and ontwikkeling pages: content, permalinks, exports."""

import pytest

from tests.apptest import app, dataframe_with, figures, no_exception


def open_page(page, query, *, example=False):
    at = app(query)
    if example:  # the fictitious example survey is off until asked for (issue #12)
        at.session_state["_show_example"] = True
    at.switch_page(page)
    at.run()
    no_exception(at)
    return at


@pytest.fixture(scope="module")
def vrijheidswijk():
    return open_page(
        "ui/pages/profiel.py", {"gemeente": "GM0080", "wijk": "WK008061"}, example=True
    )


def test_permalink_opens_the_profile_of_the_wijk(vrijheidswijk):
    assert vrijheidswijk.title[0].value == "Wijkprofiel Vrijheidswijk"
    assert vrijheidswijk.selectbox(key="wijk").value == "WK008061"
    assert vrijheidswijk.query_params["wijk"] == "WK008061"


def test_profile_text_is_made_from_the_numbers(vrijheidswijk):
    text = " ".join(m.value for m in vrijheidswijk.markdown).replace("\u00a0", " ")
    assert "In Vrijheidswijk" in text
    assert "55 % tegen 46 %" in text  # RIVM eenzaam 2020 18+: wijk 55, Leeuwarden 46
    assert "naar schatting" in text  # a model estimate says so


def test_profile_table_against_gemeente_and_nederland(vrijheidswijk):
    table = dataframe_with(vrijheidswijk, "Nederland").set_index("Indicator")
    row = table.loc["Eenzaam (RIVM-schatting)"]
    assert row["Vrijheidswijk"].replace("\u00a0", " ") == "55 %"
    assert row["Leeuwarden"].replace("\u00a0", " ") == "46 %"
    assert row["Nederland"].replace("\u00a0", " ") == "47 %"
    assert row["Soort"] == "Modelschatting (RIVM)"
    survey = table.loc["Eenzaam (enquête, fictief voorbeeld)"]
    assert survey["Soort"] == "Fictief voorbeeld (verzonnen antwoorden)"
    assert survey["n"] != ""  # n always shown for survey figures


def test_profile_chart_and_exports(vrijheidswijk):
    assert len(figures(vrijheidswijk)) == 1
    labels = " ".join(str(b.proto.label) for b in vrijheidswijk.get("download_button"))
    assert "CSV" in labels and "Excel" in labels and "PDF" in labels


def test_compare_in_a_gemeente_with_one_wijk_points_to_the_profile():
    # Doesburg is one of 24 gemeenten with a single wijk: nothing to choose, say so.
    at = open_page("ui/pages/vergelijken.py", {"gemeente": "GM0221"})
    assert at.multiselect(key="wijken").value == ["WK022101"]
    (info,) = at.info
    assert info.value.startswith("Doesburg heeft één wijk in de gegevens")
    assert "ten minste twee" not in info.value
    assert not figures(at)
    link = at.get("page_link")[0].proto
    assert link.label == "Naar het wijkprofiel" and "profiel" in link.page
    # Leeuwarden (22 wijken) with one chosen asks for a second one.
    at = open_page("ui/pages/vergelijken.py", {"gemeente": "GM0080"})
    at.multiselect(key="wijken").set_value(["WK008061"]).run()
    assert [i.value for i in at.info] == ["Kies in de zijbalk ten minste twee wijken."]


def test_compare_three_wijken_with_gemeente_and_nederland():
    at = open_page(
        "ui/pages/vergelijken.py",
        {"gemeente": "GM0080", "wijken": "WK008061,WK008010,WK008020", "indicatoren": "eenzaam"},
    )
    table = dataframe_with(at, "Nederland")
    assert {"Vrijheidswijk", "Binnenstad", "Oud-Oost", "Leeuwarden (gemeente)"} <= set(
        table.columns
    )
    assert table.iloc[0]["Indicator"] == "Eenzaam (RIVM-schatting)"
    scatter, ranking = figures(at)
    highlighted = [
        t for t in scatter["data"] if t.get("text") and "Vrijheidswijk" in str(t["text"])
    ]
    assert highlighted
    assert "Leeuwarden" in str(ranking)


def test_trend_of_a_baarn_buurt_2016_to_2025():
    at = open_page(
        "ui/pages/ontwikkeling.py",
        {"gemeente": "GM0308", "niveau": "buurt", "buurt": "BU03080000", "indicator": "inwoners"},
    )
    fig = figures(at)[0]
    years = sorted({int(x) for t in fig["data"] for x in t.get("x", [])})
    assert years == list(range(2016, 2026))


def test_trend_warns_when_a_code_meant_another_area():
    at = open_page(
        "ui/pages/ontwikkeling.py",
        {"gemeente": "GM0080", "wijk": "WK008061", "indicator": "eenzaam"},
    )
    warnings = " ".join(w.value for w in at.warning)
    assert "Vossepark" in warnings and "Vrijheidswijk" in warnings


def test_clicking_a_wijk_on_the_map_opens_its_profile():
    """The click itself is a browser event (see test_browser); here the URL it leads to."""
    at = open_page("ui/pages/profiel.py", {"gemeente": "GM0080", "wijk": "WK008010"})
    assert at.title[0].value == "Wijkprofiel Binnenstad"
