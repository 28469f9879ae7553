"""AppTest of app.py and every page: what a person sees, not only "no exception"."""

import pytest

from tests.apptest import app, figures, map_locations, no_exception


@pytest.fixture(scope="module")
def opened():
    at = app().run()
    no_exception(at)
    return at


def test_opens_on_the_map_of_leeuwarden_wijken(opened):
    assert opened.title[0].value == "Kaart"
    assert opened.selectbox(key="gemeente").value == "GM0080"
    codes = map_locations(opened)
    assert len(codes) == 22
    assert all(c.startswith("WK0080") for c in codes)


def test_gemeente_list_holds_the_snapshot_gemeenten(opened):
    options = opened.selectbox(key="gemeente").options
    for name in ("Leeuwarden", "Utrecht", "Baarn", "'s-Gravenhage (Den Haag)", "Wassenaar"):
        assert name in options
    assert len(options) == 342  # the gemeenten of 2024 (issue 10), not the 390 of 2016


def test_opens_on_loneliness_with_title_source_and_year(opened):
    fig = figures(opened)[0]
    assert fig["layout"]["title"]["text"] == (
        "Eenzaam (RIVM-schatting) — Leeuwarden, wijken (2020, 18+)"
    )
    captions = " ".join(c.value for c in opened.caption)
    assert "Bron: RIVM/CBS, GGD'en" in captions
    assert "50090NED" in captions
    assert "indeling 2025" in captions


def test_cbs_figures_with_their_table(opened):
    at = app({"indicator": "inwoners", "klassen": "doorlopend"}).run()
    no_exception(at)
    captions = " ".join(c.value for c in at.caption)
    assert "Bron: CBS" in captions and "86165NED" in captions and "cijfers 2025" in captions
    fig = figures(at)[0]
    shown = {
        loc: z
        for t in fig["data"]
        if t.get("showscale", True)
        for loc, z in zip(t["locations"], t["z"], strict=True)
    }
    assert shown["WK008020"] == 12420  # Oud-Oost, AantalInwoners_5 in 86165NED


def test_table_alternative_lists_every_wijk(opened):
    table = opened.dataframe[0].value
    assert len(table) == 22
    assert {"Code", "Waarde"} <= set(table.columns)


def test_url_carries_the_view(opened):
    assert opened.query_params["gemeente"] == "GM0080"
    assert opened.query_params["niveau"] == "wijk"


def test_choose_utrecht():
    at = app().run()
    at.selectbox(key="gemeente").select("GM0344").run()
    no_exception(at)
    codes = map_locations(at)
    assert len(codes) == 10 and all(c.startswith("WK0344") for c in codes)


def test_map_in_quantile_classes_with_a_legend_per_class(opened):
    fig = figures(opened)[0]
    shown = [t for t in fig["data"] if t.get("showscale", True)][0]
    labels = shown["colorbar"]["ticktext"]
    assert 2 <= len(labels) <= 5
    assert all("%" in label and "–" in label for label in labels)
    assert set(shown["z"]) <= set(range(len(labels)))


def test_equal_intervals_and_fixed_breaks_are_offered():
    at = app({"klassen": "vast"}).run()
    no_exception(at)
    fig = figures(at)[0]
    labels = [t for t in fig["data"] if t.get("showscale", True)][0]["colorbar"]["ticktext"]
    assert labels[0].startswith(("30", "40"))  # steps of 10 percentage points
    assert at.query_params["klassen"] == "vast"


def test_buurten_of_leeuwarden():
    at = app().run()
    at.radio(key="niveau").set_value("buurt").run()
    no_exception(at)
    assert len(map_locations(at)) == 136


def test_rivm_estimate_is_labelled_as_a_model_estimate():
    at = app(
        {
            "gemeente": "GM0080",
            "niveau": "wijk",
            "indicator": "eenzaam",
            "jaar": "2020",
            "leeftijd": "18+",
        }
    ).run()
    no_exception(at)
    assert at.selectbox(key="indicator").value == "eenzaam"
    captions = " ".join(c.value for c in at.caption)
    assert "Bron: RIVM/CBS, GGD'en" in captions
    assert "modelschatting" in captions.lower()
    assert any("modelschatting" in i.value for i in at.info)
    fig = figures(at)[0]
    values = [z for t in fig["data"] if t.get("showscale", True) for z in t["z"]]
    assert all(0 <= v <= 100 for v in values) and len(values) >= 20


def test_permalink_opens_baarn_buurten():
    at = app({"gemeente": "GM0308", "niveau": "buurt"}).run()
    no_exception(at)
    assert at.selectbox(key="gemeente").value == "GM0308"
    codes = map_locations(at)
    assert len(codes) == 21 and all(c.startswith("BU0308") for c in codes)


def test_national_2024_layer_for_a_gemeente_without_a_layer_of_its_own():
    # Eemsdelta (2021: Appingedam, Delfzijl, Loppersum) is drawn from the 2024 wijken.
    at = app({"gemeente": "GM1979"}).run()
    no_exception(at)
    locations = map_locations(at)
    assert locations and all(c.startswith("WK1979") for c in locations)
    assert "indeling 2024" in " ".join(c.value for c in at.caption)


def test_a_gemeente_of_2016_in_an_old_link_opens_the_default_gemeente():
    at = app({"gemeente": "GM0003"}).run()  # Appingedam, merged into Eemsdelta in 2021
    no_exception(at)
    assert at.selectbox(key="gemeente").value == "GM0080"


def test_bronnen_page():
    at = app().run()
    at.switch_page("ui/pages/bronnen.py").run()
    no_exception(at)
    assert at.title[0].value == "Bronnen en begrippen"
    table = at.dataframe[0].value
    assert "Eenzaam (RIVM-schatting)" in set(table["Indicator"])
    assert "Bron: RIVM/CBS, GGD'en (Gezondheidsmonitor Volwassenen en Ouderen)" in set(
        table["Bron"]
    )
    text = " ".join(m.value for m in at.markdown)
    assert "Modelschatting (RIVM)" in text and "geen metingen in die wijk" in text
    assert any("minder dan 30" in m.value for m in at.markdown)  # the suppression rule
    years = table[table["Tabel"].str.contains("50090NED")]["Jaren"]
    assert "2012, 2016, 2020" in set(years)


@pytest.fixture
def no_network(monkeypatch):
    """Fail on any connection to a non-loopback address, and on any cbsodata call."""
    import ipaddress
    import socket

    import cbsodata

    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise AssertionError(f"network connection attempted to {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    for name in ("get_data", "get_meta", "get_table_list", "get_info"):
        monkeypatch.setattr(
            cbsodata, name, lambda *a, _n=name, **k: pytest.fail(f"cbsodata.{_n} at render time")
        )


@pytest.mark.parametrize("page", ["ui/pages/kaart.py", "ui/pages/bronnen.py"])
def test_every_page_renders_without_network_or_cbs_calls(no_network, page):
    at = app().run()
    if page != "ui/pages/kaart.py":
        at.switch_page(page).run()
    no_exception(at)
