"""The cached loaders of public data: one copy per process, whatever the call looks like."""

import subprocess
import sys

import pandas as pd

from paths import DEFAULT_SNAPSHOT, ROOT
from ui import loaders


def test_the_snapshot_is_read_once_with_or_without_the_folder_argument():
    # Streamlit keys a cache on the arguments as passed: before issue #14 ``snapshot()`` and
    # ``snapshot(folder)`` were two entries and every server process held the snapshot twice.
    first = loaders.snapshot()
    assert loaders.snapshot(str(DEFAULT_SNAPSHOT)) is first


def test_the_layer_index_is_the_same_with_or_without_the_folder_argument():
    for index in (loaders.layer_index(), loaders.layer_index(str(DEFAULT_SNAPSHOT))):
        leeuwarden = index[index["gemeente_code"] == "GM0080"].set_index("layer")["areas"]
        # The 2025 Leeuwarden layers (22 wijken, 136 buurten) and the national 2024 wijken.
        assert leeuwarden.to_dict() == {
            "leeuwarden-buurten-2025": 136,
            "leeuwarden-wijken-2025": 22,
            "nl-wijken-2024": 22,
        }


def test_a_layer_s_areas_and_values_are_made_once_however_they_are_asked_for():
    # The sidebar, the figure list and the layer's values each asked in another way (without
    # the folder, with "", with the folder): three cache entries, the areas made three times
    # on every first visit of a gemeente (issue #14).
    layer, folder = "leeuwarden-wijken-2025", str(DEFAULT_SNAPSHOT)
    areas = loaders.layer_areas(layer, "GM0080")
    assert loaders.layer_areas(layer, "GM0080", "") is areas
    assert loaders.layer_areas(layer, "GM0080", folder) is areas
    values = loaders.layer_values(layer, "GM0080")
    pd.testing.assert_frame_equal(loaders.layer_values(layer, "GM0080", folder), values)
    # The rows of the 22 wijken, as the old mask over the whole value table picked them.
    everything = loaders.snapshot().values
    old = everything[everything["code"].isin(areas[0]["code"].tolist())].reset_index(drop=True)
    pd.testing.assert_frame_equal(values, old)
    assert values["code"].nunique() == 22


def test_every_layer_s_areas_are_the_rows_the_two_masks_chose():
    # layer_areas takes the rows of (layer, gemeente) kept once per snapshot (issue #14)
    # instead of two masks over the boundary table: the same frame and GeoJSON for every
    # layer of every gemeente, and empty ones for a layer the gemeente does not have.
    from data import boundaries

    geo = loaders.snapshot().geometry
    index = loaders.layer_index()
    assert len(index) == 351
    for layer, gemeente in [
        *zip(index["layer"].tolist(), index["gemeente_code"].tolist(), strict=True),
        ("leeuwarden-wijken-2025", "GM0344"),
    ]:
        areas, geojson = loaders.layer_areas(layer, gemeente)
        part = geo[(geo["layer"] == layer) & (geo["gemeente_code"] == gemeente)]
        pd.testing.assert_frame_equal(
            areas, pd.DataFrame(part.drop(columns="geometry")).reset_index(drop=True)
        )
        assert geojson == boundaries.to_geojson(part)
    assert loaders.layer_areas("leeuwarden-wijken-2025", "GM0344")[0].empty


def test_gemeente_names_are_made_once_and_each_caller_gets_its_own_dict():
    names = loaders.gemeente_names()
    assert names["GM0080"] == "Leeuwarden"
    assert names["GM0344"] == "Utrecht"
    names["GM0080"] = "changed by a caller"
    assert loaders.gemeente_names()["GM0080"] == "Leeuwarden"


def test_the_shared_profile_part_is_the_page_s_old_table_with_its_region_column():
    # Before issue #14 the page built this on every rerun; now once per area, shared.
    from analysis import aggregate
    from analysis.views import profile

    snap = loaders.snapshot()
    table = loaders.profile_snapshot("GM0080", "WK008061")
    built = profile.profile_table(
        loaders.gemeente_values("GM0080"),
        snap.regions,
        loaders.catalogue(),
        code="WK008061",
        gemeente_code="GM0080",
    )
    region = loaders.ggd_of("GM0080")
    assert region is not None and region[1] == "GGD Fryslân"
    built = built.assign(ggd=aggregate.lookup(loaders.region_figures(region[0]), built)["value"])
    pd.testing.assert_frame_equal(table, built)
    first = table.set_index("indicator").loc["inwoners"]
    assert (first["value"], first["gemeente"]) == (3640.0, 129973.0)
    # Each caller gets its own copy: a page cannot change what the next session sees.
    table.loc[0, "value"] = -1.0
    assert loaders.profile_snapshot("GM0080", "WK008061").loc[0, "value"] == 3640.0


def test_the_first_page_s_modules_do_not_import_openpyxl_or_pyogrio():
    # ~0,2–0,35 s (openpyxl) and ~0,05 s (pyogrio) of every cold start that no page needs
    # before an Excel upload or a snapshot build (issue #14).
    code = (
        "import sys\n"
        "from ui import downloads, loaders, sidebar, survey_session, region_map, national_map\n"
        "from analysis.views import exports, maps, profile\n"
        "print(sorted(m for m in ('openpyxl', 'pyogrio') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_map_figures_made_once_per_layer_are_the_sidebar_s_old_list():
    from analysis.views import maps

    areas, _ = loaders.layer_areas("leeuwarden-wijken-2025", "GM0080")
    built = maps.available_figures(
        loaders.gemeente_values("GM0080"), areas["code"], loaders.catalogue()
    )
    shared = loaders.layer_figures("leeuwarden-wijken-2025", "GM0080")
    assert shared == built
    assert maps.Figures("eenzaam", 2020, "18+", "50090NED") in shared
    # A fresh list per caller: the sidebar appends a session's survey figures to it.
    shared.append(maps.Figures("enq_eenzaam", 2026, "18+", "enquete"))
    assert loaders.layer_figures("leeuwarden-wijken-2025", "GM0080") == built


def test_the_shared_trend_chart_is_the_one_the_page_drew():
    from analysis.views import trends

    shared = loaders.trend_chart("GM0308", "BU03080000", "pct_hh_laag_inkomen")
    drawn = trends.trend_chart(
        loaders.gemeente_values("GM0308"),
        loaders.snapshot().regions,
        loaders.catalogue(),
        "BU03080000",
        "pct_hh_laag_inkomen",
        gemeente_code="GM0308",
    )
    assert shared.caption == drawn.caption
    assert shared.figure.to_json() == drawn.figure.to_json()
    # Baarn's buurt Centrum 2016–2025 against Baarn (the time series has no country line).
    assert [t.name for t in shared.figure.data] == ["Centrum", "Baarn (gemeente)"]
    assert list(shared.figure.data[0].x) == list(range(2016, 2026))
    assert loaders.trend_chart("GM0308", "BU03080000", "pct_hh_laag_inkomen") is shared


def test_the_shared_comparison_charts_are_the_ones_the_page_drew():
    from analysis.views import compare

    values, regions = loaders.gemeente_values("GM0080"), loaders.snapshot().regions
    codes = ("WK008061", "WK008010")
    shared = loaders.scatter_chart("GM0080", "moeite_rondkomen", "eenzaam", codes)
    drawn = compare.scatter_chart(
        values, regions, loaders.catalogue(), "moeite_rondkomen", "eenzaam", "GM0080", codes
    )
    assert (shared.caption, shared.figure.to_json()) == (drawn.caption, drawn.figure.to_json())
    ranked = loaders.ranking_chart("GM0080", "eenzaam", codes)
    again = compare.ranking_chart(values, regions, loaders.catalogue(), "eenzaam", "GM0080", codes)
    assert (ranked.caption, ranked.figure.to_json()) == (again.caption, again.figure.to_json())
    # The names come from the region table read once (selection.area_names).
    names = {n for trace in shared.figure.data for n in (trace.text or ())}
    assert {"Vrijheidswijk", "Binnenstad"} <= names


def test_the_warm_up_makes_the_first_pages_without_error(monkeypatch):
    # ui.serve warms the map of the default gemeente, then the profile of its first wijk; a
    # failure there would only be a warning in the server log, so it is run here.
    import gc

    from data.uploads import isolated
    from ui import serve

    started: list[bool] = []
    monkeypatch.setattr(serve, "_answers", lambda url: True)
    monkeypatch.setattr(isolated, "start", lambda: started.append(True))
    try:
        serve.warm_up("http://127.0.0.1:1/_stcore/health", quiet_s=0)
        assert gc.get_freeze_count() > 0
        # The upload reader's fork server is started, so the first upload does not wait for it.
        assert started == [True]
    finally:
        gc.unfreeze()
    wijk = loaders.default_area("GM0080", "wijk")
    assert wijk == "WK008010"  # Binnenstad: the first wijk with RIVM figures
    table = loaders.profile_snapshot("GM0080", wijk)
    assert "ggd" in table.columns and not table.empty


def test_the_warm_up_makes_exactly_the_views_the_first_pages_ask_for(monkeypatch):
    # The first visitor's map and wijkprofiel come from the shared views the warm-up made:
    # with those emptied, warmed up again, and building forbidden, both pages still render.
    import gc

    from data.uploads import isolated
    from tests.apptest import app, figures, no_exception
    from ui import gemeente_map, profile_view, serve

    gemeente_map._public_view.clear()
    profile_view._public_parts.clear()
    monkeypatch.setattr(serve, "_answers", lambda url: True)
    monkeypatch.setattr(isolated, "start", lambda: None)
    try:
        serve.warm_up("http://127.0.0.1:1/_stcore/health", quiet_s=0)
    finally:
        gc.unfreeze()

    def forbidden(*args, **kwargs):
        raise AssertionError("built on the first page: the warm-up missed this view")

    monkeypatch.setattr(gemeente_map, "build_view", forbidden)
    monkeypatch.setattr(profile_view, "build_parts", forbidden)
    at = app()
    at.run()
    no_exception(at)
    assert at.selectbox(key="indicator").value == "eenzaam"  # the catalogue's map default
    assert figures(at)[0]["layout"]["title"]["text"].startswith("Eenzaam (RIVM-schatting)")
    at.switch_page("ui/pages/profiel.py").run()
    no_exception(at)
    assert at.title[0].value == "Wijkprofiel Binnenstad"


def test_the_shared_map_areas_are_one_object_the_map_pages_leave_unchanged():
    # layer_areas, region_areas and national_areas are shared by every session (no copy per
    # call, issue #14): the three map scopes must only read them.
    import copy

    from tests.apptest import app, no_exception

    areas = {
        "gemeente": loaders.layer_areas("leeuwarden-wijken-2025", "GM0080"),
        "land": loaders.national_areas("nl-wijken-2024-land"),
    }
    assert loaders.layer_areas("leeuwarden-wijken-2025", "GM0080") is areas["gemeente"]
    before = {k: (frame.copy(), copy.deepcopy(geo)) for k, (frame, geo) in areas.items()}
    for query in (
        {"gemeente": "GM0080", "niveau": "wijk"},
        {"kaart": "nederland", "niveau": "wijk"},
        {"kaart": "ggd", "ggd": "GG7206", "niveau": "wijk"},
    ):
        at = app(query)
        at.run()
        no_exception(at)
    for key, (frame, geo) in areas.items():
        pd.testing.assert_frame_equal(frame, before[key][0])
        assert geo == before[key][1]
    assert len(areas["gemeente"][0]) == 22  # Leeuwarden's 22 wijken of 2025
