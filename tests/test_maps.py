from dataclasses import astuple

import pandas as pd
import pytest

from analysis.catalogue import load_catalogue
from analysis.views.maps import (
    Figures,
    available_figures,
    choose_layer,
    gemeente_options,
    layer_index,
    map_frame,
)

GEO = pd.DataFrame(
    {
        "layer": ["lw-2025", "lw-2025", "nl-2016", "nl-2016", "lwb-2025"],
        "code": ["WK008010", "WK008011", "WK008010", "WK036301", "BU00801000"],
        "gemeente_code": ["GM0080", "GM0080", "GM0080", "GM0363", "GM0080"],
        "level": ["wijk", "wijk", "wijk", "wijk", "buurt"],
        "indeling": [2025, 2025, 2016, 2016, 2025],
    }
)
REGIONS = pd.DataFrame(
    {
        "code": ["GM0080", "GM0363", "GM0518"],
        "name": ["Leeuwarden", "Amsterdam", "'s-Gravenhage"],
        "level": ["gemeente"] * 3,
        "gemeente_code": ["GM0080", "GM0363", "GM0518"],
        "gemeente_name": ["Leeuwarden", "Amsterdam", "'s-Gravenhage"],
        "indeling": [2025, 2020, 2020],
    }
)
VALUES = pd.DataFrame(
    {
        "indicator": ["eenzaam", "eenzaam", "eenzaam", "inwoners", "eenzaam"],
        "code": ["WK008010", "WK008011", "WK008010", "WK008010", "WK008010"],
        "period": [2020, 2020, 2016, 2025, 2020],
        "age": ["18+", "18+", "18+", "alle leeftijden", "65+"],
        "source": ["50090NED", "50090NED", "50090NED", "86165NED", "50090NED"],
        "value": [52.0, None, 47.0, 12150.0, 48.0],
    }
)


def test_layer_index_lists_newest_first():
    idx = layer_index(GEO)
    lw = idx[(idx["gemeente_code"] == "GM0080") & (idx["level"] == "wijk")]
    assert lw["layer"].tolist() == ["lw-2025", "nl-2016"]
    assert lw["areas"].tolist() == [2, 1]


def test_choose_layer_takes_the_newest_indeling():
    idx = layer_index(GEO)
    assert choose_layer(idx, "GM0080", "wijk") == "lw-2025"
    assert choose_layer(idx, "GM0080", "buurt") == "lwb-2025"
    assert choose_layer(idx, "GM0363", "buurt") is None


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        # The national layer (600 m) is too coarse for one gemeente: never chosen (issue #5).
        (["nl-2016", "nl-2016-land"], "nl-2016"),
        (["nl-2016-land"], None),
        # Only the suffix counts, not "land" elsewhere in the id.
        (["landelijk-2016"], "landelijk-2016"),
    ],
)
def test_choose_layer_never_takes_a_national_layer(layers, expected):
    geo = pd.DataFrame(
        {
            "layer": layers,
            "code": ["WK036301"] * len(layers),
            "gemeente_code": ["GM0363"] * len(layers),
            "level": ["wijk"] * len(layers),
            "indeling": [2016] * len(layers),
        }
    )
    idx = layer_index(geo)
    assert not idx["layer"].str.endswith("-land").any()
    assert choose_layer(idx, "GM0363", "wijk") == expected


def test_national_layer_gives_no_gemeente_options():
    geo = pd.DataFrame(
        {
            "layer": ["nl-2016-land"],
            "code": ["WK051801"],
            "gemeente_code": ["GM0518"],
            "level": ["wijk"],
            "indeling": [2016],
        }
    )
    assert gemeente_options(REGIONS, layer_index(geo)).empty


def test_gemeente_options_only_with_a_map_sorted_by_name():
    out = gemeente_options(REGIONS, layer_index(GEO))
    assert out.to_dict("records") == [
        {"gemeente_code": "GM0363", "gemeente_name": "Amsterdam"},
        {"gemeente_code": "GM0080", "gemeente_name": "Leeuwarden"},
    ]


def test_available_figures_in_catalogue_order_newest_first():
    figs = available_figures(VALUES, ["WK008010", "WK008011"], load_catalogue())
    assert figs == [
        Figures("inwoners", 2025, "alle leeftijden", "86165NED"),
        Figures("eenzaam", 2020, "18+", "50090NED"),
        Figures("eenzaam", 2020, "65+", "50090NED"),
        Figures("eenzaam", 2016, "18+", "50090NED"),
    ]


def test_available_figures_counts_as_value_counts_did_for_real_gemeenten():
    # available_figures counts integer codes instead of pandas' value_counts over strings
    # (issue #14); the list is the one the old way gave, for a national and a local layer.
    from data.snapshot import load_snapshot

    snap = load_snapshot()
    cat = load_catalogue()
    for gemeente, prefix in (("GM0080", "WK0080"), ("GM1900", "BU1900"), ("GM0096", "WK0096")):
        values = snap.values[snap.values["code"].str[2:6] == gemeente[2:6]]
        codes = sorted({c for c in values["code"].tolist() if c.startswith(prefix)})
        subset = values[values["code"].isin(codes) & values["value"].notna()]
        keys = ["indicator", "period", "age", "source"]
        counted = (
            subset[keys].astype({"indicator": "str", "age": "str", "source": "str"}).value_counts()
        )
        order = {iid: i for i, iid in enumerate(cat.ids())}
        rank = {sid: i for i, sid in enumerate(cat.sources)}
        expected = sorted(
            (Figures(i, int(p), a, s) for (i, p, a, s) in counted.index if i in order),
            key=lambda f: (order[f.indicator], -f.period, f.age, rank[f.source]),
        )
        for min_areas in (1, 5):
            wanted = [f for f in expected if counted[astuple(f)] >= min_areas]
            assert available_figures(values, codes, cat, min_areas=min_areas) == wanted
        assert Figures("eenzaam", 2016, "18+", "50090NED") in expected


def test_map_frame_keeps_areas_without_a_value():
    areas = pd.DataFrame(
        {"code": ["WK008010", "WK008011", "WK008012"], "name": ["Binnenstad", "Oud-Oost", "Nieuw"]}
    )
    out = map_frame(areas, VALUES, Figures("eenzaam", 2020, "18+", "50090NED"))
    assert out["code"].tolist() == ["WK008010", "WK008011", "WK008012"]
    assert out["value"].tolist()[0] == 52.0
    assert out["value"].isna().tolist() == [False, True, True]
    # Every grey area names its reason (issue #12): a row without a number is not published;
    # an area without a row, with no regions to tell why, has no figure in this snapshot.
    assert out["status"].tolist() == [
        "",
        "niet gepubliceerd (geheim of te onzeker)",
        "geen cijfers in deze snapshot",
    ]
    regions = pd.DataFrame(
        {
            "code": ["WK008010", "WK008011", "WK008012", "WK008012"],
            "indeling": [2020, 2020, 2023, 2025],
        }
    )
    out = map_frame(areas, VALUES, Figures("eenzaam", 2020, "18+", "50090NED"), regions=regions)
    assert out["status"].tolist()[2] == "gebied nieuwer dan de cijfers (2020)"


def test_the_national_map_is_made_once_per_choice_and_the_page_leaves_it_unchanged():
    from analysis.catalogue import RIVM_TABLE_ID
    from tests.apptest import app, no_exception
    from ui import national_map

    figures = Figures("eenzaam", 2020, "18+", RIVM_TABLE_ID)
    view = national_map.national_view("nl-wijken-2024-land", "wijk", figures, "t")
    assert national_map.national_view("nl-wijken-2024-land", "wijk", figures, "t") is view
    frame, fig = view.frame, view.figure
    assert len(frame) == 3393 and frame["gemeente_name"].notna().all()
    drawn = sum(len(trace.locations) for trace in fig.data)
    assert drawn == 3393  # every wijk on the map, grey or coloured
    assert list(view.table.columns) == ["Code", "Wijk", "Gemeente", "Waarde", "Opmerking"]
    assert len(view.table) == len(view.export) == 3393
    assert view.table["Waarde"].iloc[0].endswith("%")  # highest first, formatted
    before = fig.to_json()
    frames = {k: getattr(view, k).copy() for k in ("frame", "table", "export")}
    at = app({"kaart": "nederland", "niveau": "wijk"})
    at.run()
    no_exception(at)
    assert fig.to_json() == before
    for key, copy in frames.items():
        pd.testing.assert_frame_equal(getattr(view, key), copy)


def test_the_region_map_is_made_once_per_choice_and_the_page_leaves_it_unchanged():
    from analysis.catalogue import RIVM_TABLE_ID
    from tests.apptest import app, no_exception
    from ui import loaders, region_map, sidebar

    codes = tuple(
        loaders.snapshot().ggd.query("ggd_code == 'GG7206' and indeling == 2024")["gemeente_code"]
    )
    sel = sidebar.RegionMapSelection(
        "GG7206",
        "GGD Fryslân",
        codes,
        "wijk",
        "nl-wijken-2024",
        Figures("eenzaam", 2020, "18+", RIVM_TABLE_ID),
    )
    view = region_map.region_view(sel, "t")
    assert region_map.region_view(sel, "t") is view
    drawn = sum(len(trace.locations) for trace in view.figure.data)
    assert drawn == len(view.frame) == len(view.table) == len(view.export) > 100
    assert list(view.table.columns) == ["Code", "Wijk", "Gemeente", "Waarde", "Opmerking"]
    assert view.indeling == 2024 and view.frame["code"].str.startswith("WK").all()
    before = view.figure.to_json()
    frames = {k: getattr(view, k).copy() for k in ("frame", "table", "export")}
    at = app({"kaart": "ggd", "ggd": "GG7206", "niveau": "wijk"})
    at.run()
    no_exception(at)
    assert view.figure.to_json() == before
    for key, copy in frames.items():
        pd.testing.assert_frame_equal(getattr(view, key), copy)
