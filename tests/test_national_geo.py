"""The national map's geometry as a file the browser fetches once (issue 10, item 6).

The figure of a rerun carries only rows and values; geometry and hover names are in a
content-hashed file in ``static/geo/`` that Streamlit serves (``server.enableStaticServing``).
Where no file can be written the figure carries them inline, as before. The browser side
(fetched once, coloured, hover names from the file) is in tests/test_browser.py.
"""

from __future__ import annotations

import json
import tomllib

import pytest

from analysis import charts
from analysis.catalogue import RIVM_TABLE_ID, load_catalogue
from analysis.views.maps import Figures
from data.boundaries import write_hashed_json
from paths import ROOT, active_snapshot
from tests.apptest import plain
from tests.test_fast_paths import FRAME, GEOJSON, SQUARE

URL = "app/static/geo/nl-wijken-0123456789abcdef.json"


def eenzaam():
    return load_catalogue().indicator("eenzaam")


def test_the_file_holds_every_area_with_its_row_as_id_and_its_hover_name():
    collection = charts.labelled_collection(
        GEOJSON, FRAME["code"], charts.area_labels(FRAME[["name", "gemeente_name"]])
    )
    assert collection["type"] == "FeatureCollection"
    assert collection["bbox"] == [5.0, 53.0, 5.1, 53.1]
    assert [(f["type"], f["id"], f["properties"]) for f in collection["features"]] == [
        ("Feature", 0, {"name": "Wijk 00 (Appingedam)"}),
        ("Feature", 1, {"name": "Wijk 00 (Bedum)"}),
        ("Feature", 2, {"name": "Noord (Bedum)"}),
    ]
    assert collection["features"][2]["geometry"] == {"type": "Polygon", "coordinates": SQUARE}


def test_with_a_file_the_figure_sends_rows_and_values_only():
    # The file's order is the layer's; a frame in another order still finds its features.
    geo = charts.GeoFile(URL, ("WK3", "WK1", "WK2"), (5.0, 53.0, 5.1, 53.1))
    fig = json.loads(charts.national_map(FRAME, geo, eenzaam(), title="t").to_json())
    missing, shown = fig["data"]
    # One file, a URL per trace: a trace waiting for another's download fails after ~5 s
    # in plotly.js and leaves the map blank on a slow link (charts.GeoFile).
    assert (shown["geojson"], missing["geojson"]) == (URL, URL + "?1")
    assert plain(shown["locations"]) == [1, 2] and plain(missing["locations"]) == [0]
    assert plain(shown["z"]) == [46, 38]
    assert "customdata" not in shown and "customdata" not in missing
    # Same hover as with the geometry inline: the name (gemeente), the value or the reason.
    assert shown["hovertemplate"] == "<b>%{properties.name}</b><br>%{z:,.0f}\u00a0%<extra></extra>"
    assert missing["hovertemplate"] == "<b>%{properties.name}</b><br>geen cijfer<extra></extra>"
    assert fig["layout"]["map"]["center"] == pytest.approx({"lon": 5.05, "lat": 53.05})
    assert fig["layout"]["map"]["style"] == "white-bg"


def test_file_and_inline_figures_show_the_same_names_on_the_same_areas():
    codes = tuple(FRAME["code"])
    collection = charts.labelled_collection(
        GEOJSON, codes, charts.area_labels(FRAME[["name", "gemeente_name"]])
    )
    names = {f["id"]: f["properties"]["name"] for f in collection["features"]}
    inline = charts.national_map(FRAME, GEOJSON, eenzaam(), title="t")
    by_file = charts.national_map(FRAME, charts.GeoFile(URL, codes, (5, 53, 5.1, 53.1)), eenzaam(),
                                  title="t")  # fmt: skip
    for a, b in zip(inline.data, by_file.data, strict=True):
        assert list(a.customdata) == [names[int(i)] for i in b.locations]
        assert list(a.z) == list(b.z)
        assert a.hovertemplate.replace("%{customdata}", "%{properties.name}") == b.hovertemplate


def test_the_file_is_named_by_its_content_and_written_once(tmp_path):
    first = {"type": "FeatureCollection", "features": []}
    path = write_hashed_json(first, tmp_path / "geo", "nl-wijken")
    assert path.parent == tmp_path / "geo" and path.name.startswith("nl-wijken-")
    assert json.loads(path.read_bytes()) == first
    written = path.stat().st_mtime_ns
    assert write_hashed_json(first, tmp_path / "geo", "nl-wijken") == path
    assert path.stat().st_mtime_ns == written  # found, not written again
    other = write_hashed_json({**first, "bbox": [5, 53, 6, 54]}, tmp_path / "geo", "nl-wijken")
    assert other != path and path.exists()  # a new snapshot: a new name, nothing stale
    assert sorted(p.name for p in (tmp_path / "geo").iterdir()) == sorted([path.name, other.name])


def test_a_folder_that_cannot_be_written_raises(tmp_path):
    blocked = tmp_path / "static"
    blocked.write_text("a file where the folder should be")  # also fails for root
    with pytest.raises(OSError):
        write_hashed_json({"type": "FeatureCollection", "features": []}, blocked / "geo", "nl")


def test_the_national_wijk_map_reads_its_geometry_from_the_served_folder(tmp_path):
    from ui import national_map

    layer, folder = "nl-wijken-2024-land", str(active_snapshot())
    geo = national_map._geo_file(layer, "wijk", folder, str(tmp_path))
    assert geo is not None and geo.url.startswith("app/static/geo/nl-wijken-2024-land-")
    collection = json.loads((tmp_path / geo.url.removeprefix("app/static/")).read_bytes())
    assert len(geo.codes) == len(collection["features"]) == 3393
    # Feature i is the wijk codes[i]; its name says the gemeente (wijk names repeat).
    by_id = {f["id"]: f["properties"]["name"] for f in collection["features"]}
    assert by_id[geo.codes.index("WK008061")] == "Vrijheidswijk (Leeuwarden)"


def test_without_a_writable_folder_the_map_keeps_its_geometry_inline(tmp_path):
    from ui import national_map

    blocked = tmp_path / "static"
    blocked.write_text("")
    layer, folder = "nl-gemeenten-2024-land", str(active_snapshot())
    assert national_map._geo_file(layer, "gemeente", folder, str(blocked)) is None


def test_the_page_draws_every_wijk_from_the_file_and_sends_a_small_figure():
    from ui import national_map

    assert tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"][
        "enableStaticServing"
    ]
    figures = Figures("eenzaam", 2020, "18+", RIVM_TABLE_ID)
    view = national_map.national_view("nl-wijken-2024-land", "wijk", figures, "t")
    sent = view.figure.to_json()
    assert len(sent) < 50_000  # rows, values and templates; the inline figure was ~940 KB
    (url,) = {trace.geojson.split("?")[0] for trace in view.figure.data}
    urls = [trace.geojson for trace in view.figure.data]
    assert len(set(urls)) == len(urls)  # each trace fetches its own copy (charts.GeoFile)
    collection = json.loads((ROOT / "static" / url.removeprefix("app/static/")).read_bytes())
    drawn = sorted(int(i) for trace in view.figure.data for i in trace.locations)
    assert drawn == sorted(f["id"] for f in collection["features"]) == list(range(3393))
    # The coloured trace's rows are the wijken with a figure in the page's table.
    coloured = view.figure.data[-1]
    with_value = view.frame.index[view.frame["value"].notna()].tolist()
    assert sorted(int(i) for i in coloured.locations) == with_value


def test_the_image_build_writes_both_national_files_beside_app_py():
    from ui import national_map

    written = national_map.write_geo_files()  # `python -m ui.national_map` in the Dockerfile
    assert [p.parent for p in written] == [ROOT / "static" / "geo"] * 2
    assert [p.name.rsplit("-", 1)[0] for p in written] == [
        "nl-gemeenten-2024-land",
        "nl-wijken-2024-land",
    ]
    gemeenten = json.loads(written[0].read_bytes())
    assert len(gemeenten["features"]) == 342
    names = {f["properties"]["name"] for f in gemeenten["features"]}
    assert {"Leeuwarden", "Súdwest-Fryslân", "'s-Gravenhage"} <= names  # no "(gemeente)"


def test_a_file_removed_while_the_server_runs_is_written_again():
    from ui import national_map

    geo = national_map.geo_file("nl-gemeenten-2024-land", "gemeente")
    assert geo is not None
    path = ROOT / "static" / geo.url.removeprefix("app/static/")
    path.unlink()
    assert national_map.geo_file("nl-gemeenten-2024-land", "gemeente") == geo
    assert path.is_file()
    # The page's view, made once per choice, looks for the file on every rerun too.
    figures = Figures("eenzaam", 2020, "18+", RIVM_TABLE_ID)
    view = national_map.national_view("nl-gemeenten-2024-land", "gemeente", figures, "t")
    path.unlink()
    again = national_map.national_view("nl-gemeenten-2024-land", "gemeente", figures, "t")
    assert again is view and path.is_file()
    assert {trace.geojson.split("?")[0] for trace in view.figure.data} == {geo.url}
