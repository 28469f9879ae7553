"""Fresh data online: the fetch command against local replays of CBS, RIVM and PDOK."""

import socket

import pytest

from data import cbs, pdok
from data.snapshot import load_snapshot
from snapshot_build.fetch import FetchError, fetch, gemeenten_of_region, main


def closed_port_url():
    """Return a local URL where nobody listens (a port that was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture(scope="module")
def leeuwarden(odata_feed, tmp_path_factory):
    out = tmp_path_factory.mktemp("fetched") / "leeuwarden"
    lines = []
    url = odata_feed.base_url
    manifest = fetch(out, ["GM0080"], cbs_url=url, rivm_url=url, pdok_url=url, log=lines.append)
    return out, manifest, lines


def test_fetch_writes_a_snapshot_the_app_can_read(leeuwarden):
    out, manifest, _lines = leeuwarden
    snap = load_snapshot(out)
    assert manifest["mode"] == "fetch" and manifest["scope"] == "GM0080"
    assert manifest["layers"] == {"pdok-buurten-2025": 136, "pdok-wijken-2025": 22}
    regions = snap.regions[snap.regions["indeling"] == 2025]
    assert regions.groupby("level").size().to_dict() == {"buurt": 136, "gemeente": 1, "wijk": 22}
    assert set(snap.geometry["indeling"]) == {2025}
    vrijheidswijk = snap.geometry.set_index("code").loc["WK008061"]
    assert vrijheidswijk["name"] == "Vrijheidswijk" and vrijheidswijk["level"] == "wijk"
    # GGD membership and population weights come along from the embedded snapshot.
    assert len(snap.ggd) == len(load_snapshot().ggd) and not snap.weights.empty


def test_fetched_figures_equal_the_sources(leeuwarden):
    snap = load_snapshot(leeuwarden[0])
    values = snap.values.set_index(["indicator", "code", "period", "age", "source"])["value"]
    # RIVM 50090NED 2020, 18+: Vrijheidswijk 55.0 %, Leeuwarden 45.7 %, the Netherlands 47.0 %.
    assert values[("eenzaam", "WK008061", 2020, "18+", "50090NED")] == 55.0
    assert values[("eenzaam", "GM0080", 2020, "18+", "50090NED")] == 45.7
    assert values[("eenzaam", "NL01", 2020, "18+", "50090NED")] == 47.0
    # KWB 2025 (86165NED): Leeuwarden's AantalInwoners_5.
    assert values[("inwoners", "GM0080", 2025, "alle leeftijden", "86165NED")] == 129_973


def test_fetch_shows_its_progress_step_by_step(leeuwarden):
    lines = leeuwarden[2]
    assert lines[0].startswith("[1/4] CBS-catalogus: nieuwste Kerncijfers wijken en buurten")
    assert "      gevonden: 86165NED (Kerncijfers wijken en buurten 2025)" in lines
    assert "      gevonden: 50090NED (cijfers tot en met 2020)" in lines
    assert "[3/4] GM0080: KWB 2025, RIVM en grenzen 2025" in lines
    assert "      PDOK buurten 2025: pagina 1, 136 opgehaald" in lines
    assert lines[-2].startswith("[4/4] Snapshot schrijven naar")


def test_newest_tables_are_chosen_from_the_catalogues(odata_feed):
    # The catalogue lists KWB 2022 (85318NED), 2024 (85984NED) and 2025 (86165NED).
    assert cbs.newest_kwb_table(odata_feed.base_url) == ("86165NED", 2025)
    assert cbs.newest_rivm_table(odata_feed.base_url) == ("50090NED", 2020)


def test_pdok_pages_are_followed_by_their_next_links(odata_feed):
    lines = []
    found = pdok.features(
        odata_feed.base_url, 2025, "buurten", "GM0080", page_size=50, progress=lines.append
    )
    assert len(found) == 136
    assert len({f["properties"]["buurtcode"] for f in found}) == 136
    assert lines == [
        "PDOK buurten 2025: pagina 1, 50 opgehaald",
        "PDOK buurten 2025: pagina 2, 100 opgehaald",
        "PDOK buurten 2025: pagina 3, 136 opgehaald",
    ]


def test_paging_cut_off_is_a_clear_dutch_error(odata_feed):
    odata_feed.pdok_page_limit = 1
    try:
        with pytest.raises(pdok.PdokError) as err:
            pdok.features(odata_feed.base_url, 2025, "buurten", "GM0080", page_size=50)
    finally:
        odata_feed.pdok_page_limit = None
    assert str(err.value) == (
        "PDOK buurten 2025: PDOK antwoordde met status 503. Het bladeren stopte na 1 "
        "pagina('s) met 50 buurten: de grenzen zijn niet volledig opgehaald; probeer het later "
        "opnieuw."
    )


def test_no_connection_is_a_clear_dutch_error(tmp_path):
    url = closed_port_url()
    with pytest.raises(FetchError, match=r"mislukt: geen verbinding. Controleer de internet"):
        fetch(tmp_path, ["GM0080"], cbs_url=url, rivm_url=url, pdok_url=url, log=lambda _m: None)
    with pytest.raises(pdok.PdokError, match=r"^PDOK wijken 2024: geen verbinding met http"):
        pdok.features(url, 2024, "wijken", "GM0193")
    assert not (tmp_path / "manifest.json").exists()


def test_a_year_pdok_does_not_have_is_named(odata_feed):
    with pytest.raises(pdok.PdokError, match="PDOK heeft geen collectie 'wijken' voor 2019"):
        pdok.features(odata_feed.base_url, 2019, "wijken", "GM0080")


def test_a_gemeente_the_newest_table_lacks_is_named(odata_feed, tmp_path):
    # The replayed 86165NED holds Friesland only; Zwolle is not in it.
    url = odata_feed.base_url
    with pytest.raises(FetchError, match=r"^KWB 2025 \(86165NED\) voor GM0193: "):
        fetch(tmp_path, ["GM0193"], cbs_url=url, rivm_url=url, pdok_url=url, log=lambda _m: None)


def test_no_matching_table_in_a_catalogue_is_named():
    records = [{"Identifier": "70904ned", "Title": "Kerncijfers wijken en buurten 2009-2012"}]
    with pytest.raises(cbs.CbsError, match="Geen passende tabel gevonden in de catalogus"):
        cbs.newest_table(records, cbs.KWB_TITLE_RE)


def test_ggd_region_is_resolved_to_its_gemeenten_of_today():
    membership = load_snapshot().ggd
    fryslan = gemeenten_of_region(membership, "GG7206")
    assert len(fryslan) == 18 and "GM0080" in fryslan
    hollands_noorden = gemeenten_of_region(membership, "GG2707")
    assert "GM1980" in hollands_noorden and "GM0416" not in hollands_noorden  # Dijk en Waard


def test_command_line(odata_feed, tmp_path, capsys):
    url = odata_feed.base_url
    out = tmp_path / "lw"
    urls = ["--cbs-url", url, "--rivm-url", url, "--pdok-url", url]
    assert main(["--gemeente", "GM0080", "--uit", str(out), *urls]) == 0
    printed = capsys.readouterr().out
    assert f"SOCIALE_BASIS_SNAPSHOT={out} streamlit run app.py" in printed
    assert load_snapshot(out).manifest["scope"] == "gemeente GM0080"
    assert main(["--ggd-regio", "GG9999", "--uit", str(tmp_path / "x"), *urls]) == 1
    assert "Fout: GGD-regio 'GG9999' bestaat niet" in capsys.readouterr().err


def test_the_app_opens_a_fetched_snapshot(leeuwarden, monkeypatch):
    import streamlit as st

    from paths import SNAPSHOT_ENV
    from tests.apptest import app, map_locations, no_exception

    monkeypatch.setenv(SNAPSHOT_ENV, str(leeuwarden[0]))
    st.cache_data.clear()
    try:
        at = app({"gemeente": "GM0080"})
        at.switch_page("ui/pages/kaart.py")
        at.run()
        no_exception(at)
        captions = " ".join(c.value for c in at.sidebar.caption)
        assert "Opgehaalde gegevens (GM0080)" in captions
        locations = map_locations(at)
        assert len(locations) == 22 and "WK008061" in locations
    finally:
        st.cache_data.clear()


def test_columns_of_a_table_the_catalogue_lacks_are_found_by_name(shared_data):
    import dataclasses
    import json

    from analysis.catalogue import Catalogue, load_catalogue
    from snapshot_build.fetch import derive_source

    # The catalogue knows 85984NED now (the 2024 layer); take it out to play a table it lacks.
    full = load_catalogue()

    def without(mapping):
        return {k: v for k, v in mapping.items() if k != "85984NED"}

    lacking = Catalogue(
        indicators=tuple(
            dataclasses.replace(i, columns=without(i.columns), ratios=without(i.ratios))
            for i in full.indicators
        ),
        sources=without(full.sources),
        defaults=full.defaults,
    )
    path = shared_data / "kwb" / "85984NED_kwb2024_gm_wk" / "DataProperties.json"
    keys = [record["Key"] for record in json.loads(path.read_text(encoding="utf-8"))]
    cat, found = derive_source(
        lacking,
        "86165NED",
        "85984NED",
        title="Kerncijfers wijken en buurten 2024",
        year=2024,
        keys=keys,
    )
    columns = {i: cat.indicator(i).columns.get("85984NED") for i in found}
    # Same name, another number in 2024 than in 2025:
    assert columns["gem_inkomen_inwoner"] == "GemiddeldInkomenPerInwoner_83"  # 2025: _78
    assert columns["afstand_huisarts"] == "AfstandTotHuisartsenpraktijk_117"  # 2025: _110
    assert cat.indicator("pct_65plus").ratios["85984NED"] == (
        "k_65JaarOfOuder_12",
        "AantalInwoners_5",
    )
    # 2025 columns that 2024 does not have by that name are left out, not guessed.
    assert "pct_personen_armoede" not in found and "gem_inkomen_huishouden" not in found
    assert cat.source("85984NED").indeling == 2024
    assert "85984NED" not in lacking.sources  # the catalogue passed in is unchanged


def test_fetch_takes_a_newer_table_by_column_names(odata_feed, tmp_path, monkeypatch):
    import dataclasses

    from analysis.catalogue import Catalogue, load_catalogue
    from snapshot_build import fetch as fetch_module

    full = load_catalogue()

    def without(mapping):
        return {k: v for k, v in mapping.items() if k != "86165NED"}

    older = Catalogue(
        indicators=tuple(
            dataclasses.replace(i, columns=without(i.columns), ratios=without(i.ratios))
            for i in full.indicators
        ),
        sources=without(full.sources),
    )
    monkeypatch.setattr(fetch_module, "load_catalogue", lambda: older)
    lines = []
    url = odata_feed.base_url
    out = tmp_path / "lw"
    manifest = fetch(out, ["GM0080"], cbs_url=url, rivm_url=url, pdok_url=url, log=lines.append)
    assert any("86165NED staat nog niet in de catalogus" in line for line in lines)
    assert any("via 85318NED" in line for line in lines)  # the newest KWB table it knew
    assert manifest["extra_sources"]["86165NED"]["title"] == "Kerncijfers wijken en buurten 2025"
    values = load_snapshot(out).values.set_index(["indicator", "code", "source"])["value"]
    assert values[("inwoners", "GM0080", "86165NED")] == 129_973


def test_odata_paging_cut_off_is_a_clear_dutch_error(odata_feed):
    import cbsodata

    # 83599NED's UntypedDataSet comes in two pages (10 000 + 5 504 rows); the second fails.
    odata_feed.odata_page_limit = 1
    try:
        with pytest.raises(cbs.CbsError) as err:
            with cbs.cbsodata_catalog(odata_feed.base_url) as host:
                cbsodata.get_meta("83599NED", "UntypedDataSet", catalog_url=host)
    finally:
        odata_feed.odata_page_limit = None
    assert str(err.value) == (
        f"Ophalen bij {odata_feed.base_url} mislukt: het bladeren brak af bij rij 10000 "
        "(status 503); de tabel is niet volledig opgehaald. Probeer het later opnieuw."
    )


@pytest.mark.slow
def test_command_line_for_a_ggd_region(odata_feed, tmp_path, capsys):
    # GGD Fryslân: the 18 gemeenten of today. The replayed PDOK 2025 layers hold Leeuwarden
    # only, so the other 17 are fetched (KWB, RIVM) and said to have no boundaries.
    url = odata_feed.base_url
    out = tmp_path / "fryslan"
    urls = ["--cbs-url", url, "--rivm-url", url, "--pdok-url", url]
    assert main(["--ggd-regio", "GG7206", "--uit", str(out), *urls]) == 0
    printed = capsys.readouterr().out
    assert "[1/21] CBS-catalogus" in printed and "[21/21] Snapshot schrijven" in printed
    assert "PDOK wijken 2025: geen wijken voor GM1900" in printed
    snap = load_snapshot(out)
    assert snap.manifest["scope"] == "GGD-regio GG7206"
    gemeenten = snap.regions[
        (snap.regions["level"] == "gemeente") & (snap.regions["indeling"] == 2025)
    ]
    assert len(gemeenten) == 18
