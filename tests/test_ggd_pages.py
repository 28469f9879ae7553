"""AppTest: the GGD region as a scope on the Kaart page, and as a column of the Wijkprofiel."""

import pytest

from tests.apptest import app, dataframe_with, map_locations, no_exception


def open_page(page, query):
    at = app(query)
    at.switch_page(page)
    at.run()
    no_exception(at)
    return at


def plain(text):
    return str(text).replace("\u00a0", " ")


@pytest.fixture(scope="module")
def vrijheidswijk():
    return open_page("ui/pages/profiel.py", {"gemeente": "GM0080", "wijk": "WK008061"})


@pytest.fixture(scope="module")
def fryslan_map():
    return open_page("ui/pages/kaart.py", {"kaart": "ggd", "ggd": "GG7206"})


def test_profile_compares_with_gemeente_ggd_region_and_nederland(vrijheidswijk):
    caption = vrijheidswijk.caption[0].value
    assert caption == (
        "Vrijheidswijk (WK008061) in Leeuwarden, vergeleken met heel Leeuwarden, "
        "GGD Fryslân en Nederland."
    )
    table = dataframe_with(vrijheidswijk, "GGD Fryslân").set_index("Indicator")
    columns = table.columns.tolist()
    assert columns.index("Leeuwarden") + 1 == columns.index("GGD Fryslân")
    assert columns.index("GGD Fryslân") + 1 == columns.index("Nederland")
    region = table["GGD Fryslân"].map(plain)
    # KWB 2025: the 18 gemeenten of Friesland together have 664 222 inhabitants, of whom
    # 155 928 aged 65 or older (the sum of k_65JaarOfOuder_12): 23,5 %.
    assert region["Aantal inwoners"] == "664.222"
    assert region["Inwoners van 65 jaar of ouder"] == "23,5 %"
    # RIVM 2020, 18+: 18 gemeenten weighted by their adults, 42,04 % (a plain mean: 41,6 %).
    assert region["Eenzaam (RIVM-schatting)"] == "42 %"
    # No base population for the share of owner-occupied dwellings: no region figure.
    assert region["Koopwoningen"] == "–"
    assert region["Eenzaam (eigen enquête)"] == "–"


def test_profile_says_how_the_region_figures_are_made(vrijheidswijk):
    captions = [c.value for c in vrijheidswijk.caption if c.value.startswith("GGD Fryslân:")]
    assert len(captions) == 1
    assert "gewogen" in captions[0] and "18 jaar en ouder" in captions[0]


def test_region_map_draws_the_wijken_of_all_its_gemeenten(fryslan_map):
    assert fryslan_map.radio(key="kaart_van").value == "ggd"
    assert fryslan_map.selectbox(key="ggd").value == "GG7206"
    locations = map_locations(fryslan_map)
    gemeenten = {f"GM{code[2:6]}" for code in locations}
    assert {"GM0080", "GM1900", "GM0059"} <= gemeenten  # Leeuwarden, Súdwest-Fryslân, Achtkarspelen
    assert all(code.startswith("WK") for code in locations)
    table = dataframe_with(fryslan_map, "Gemeente")
    assert len(table) == len(locations)
    assert {"Leeuwarden", "Súdwest-Fryslân", "Achtkarspelen"} <= set(table["Gemeente"])


def test_region_map_shows_the_weighted_region_figure(fryslan_map):
    assert [plain(m.value) for m in fryslan_map.metric] == ["42 %"]
    assert fryslan_map.metric[0].label == "GGD Fryslân als geheel"


def test_region_scope_is_kept_in_the_url(fryslan_map):
    assert fryslan_map.query_params["kaart"] == "ggd"
    assert fryslan_map.query_params["ggd"] == "GG7206"
    assert "gemeente" not in fryslan_map.query_params


def test_switching_the_scope_to_a_region_opens_the_region_of_the_gemeente():
    at = open_page("ui/pages/kaart.py", {"gemeente": "GM0080"})
    assert at.radio(key="kaart_van").value == "gemeente"
    at.radio(key="kaart_van").set_value("ggd").run()
    no_exception(at)
    assert at.selectbox(key="ggd").value == "GG7206"  # Leeuwarden lies in GGD Fryslân
    assert len(map_locations(at)) > 100


def test_a_region_link_from_another_gemeente_opens_its_region():
    at = open_page("ui/pages/kaart.py", {"kaart": "ggd", "gemeente": "GM0344"})  # Utrecht
    assert at.selectbox(key="ggd").value == "GG2514"  # GGD Regio Utrecht
    table = dataframe_with(at, "Gemeente")
    assert {"Utrecht", "Amersfoort"} <= set(table["Gemeente"])
