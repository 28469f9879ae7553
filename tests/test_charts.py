import json

import pandas as pd
import pytest

from analysis.catalogue import load_catalogue
from analysis.charts import MISSING_COLOUR, bounds, choropleth, view_for_bounds

SQUARE = [[[5.0, 53.0], [5.1, 53.0], [5.1, 53.1], [5.0, 53.1], [5.0, 53.0]]]
GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"code": "WK1", "name": "Noord"},
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
        },
        {
            "type": "Feature",
            "properties": {"code": "WK2", "name": "Zuid"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[[5.0, 52.9], [5.1, 52.9], [5.1, 53.0], [5.0, 52.9]]]],
            },
        },
    ],
}
FRAME = pd.DataFrame(
    {
        "code": ["WK1", "WK2"],
        "name": ["Noord", "Zuid"],
        "value": [52.4, None],
        "status": ["", "geen cijfer"],
    }
)


def figure_dict():
    fig = choropleth(
        FRAME,
        GEOJSON,
        load_catalogue().indicator("eenzaam"),
        title="Eenzaam — Test, wijken (2020)",
        view_key="GM1/wijk",
    )
    return json.loads(fig.to_json())


def test_choropleth_draws_offline_on_white_background():
    fig = figure_dict()
    assert fig["layout"]["map"]["style"] == "white-bg"
    assert all(t["type"] == "choroplethmap" for t in fig["data"])


def test_choropleth_values_and_missing_in_grey():
    fig = figure_dict()
    missing, shown = fig["data"]
    assert shown["locations"] == ["WK1"] and shown["z"] == [52.0]  # 0 decimals for eenzaam
    assert missing["locations"] == ["WK2"]
    assert missing["colorscale"][0][1] == MISSING_COLOUR
    assert "geen cijfer" in missing["text"][0]
    assert "52\u00a0%" in shown["text"][0]


def test_choropleth_title_unit_and_dutch_separators():
    fig = figure_dict()
    assert fig["layout"]["title"]["text"] == "Eenzaam — Test, wijken (2020)"
    assert fig["data"][1]["colorbar"]["title"]["text"] == "%"
    assert fig["layout"]["separators"] == ",."
    assert fig["layout"]["uirevision"] == "GM1/wijk"


def test_bounds_walks_polygons_and_multipolygons():
    assert bounds(GEOJSON) == (5.0, 52.9, 5.1, 53.1)


def test_bounds_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="zonder coördinaten"):
        bounds({"features": []})


@pytest.mark.parametrize(
    ("box", "zoom_range"),
    [
        ((3.3, 50.7, 7.3, 53.6), (5.5, 7.5)),  # the Netherlands
        ((5.7, 53.1, 5.9, 53.3), (9.5, 10.5)),
    ],  # a city
)
def test_view_for_bounds_zoom(box, zoom_range):
    centre, zoom = view_for_bounds(box)
    assert zoom_range[0] <= zoom <= zoom_range[1]
    assert box[0] < centre["lon"] < box[2]
