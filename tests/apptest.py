"""Shared AppTest helpers: one place for the timeout and for reading plotly figures."""

import json
import re
import string

from streamlit.testing.v1 import AppTest

from paths import ROOT

# The first AppTest in a process imports pandas, geopandas and plotly: give it time.
# The timeout only has to catch hangs.
TIMEOUT = 90


def app(query: dict | None = None) -> AppTest:
    """Return an AppTest of app.py (not run), with URL query parameters set."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def figures(at: AppTest) -> list[dict]:
    """Return every plotly figure on the page as a dict."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def map_locations(at: AppTest) -> list[str]:
    """Return the area codes drawn on the (first) map, grey areas included."""
    fig = figures(at)[0]
    return [loc for trace in fig["data"] for loc in trace.get("locations", [])]


def plain(value) -> list:
    """Return a data array from a figure's JSON as a list.

    plotly 6+ sends numpy arrays as typed arrays (``{"dtype": "i2", "bdata": base64}``),
    which plotly.js decodes.
    """
    if isinstance(value, dict) and "bdata" in value:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def drawn_features(trace: dict) -> list[dict]:
    """Return the GeoJSON features a map trace draws, as the browser gets them.

    A trace carries its features, or names a file of the app's ``static/`` folder
    (``app/static/…``, the national map) that the browser fetches: then the file's features
    whose ``id`` the trace lists in its locations (the URL's query only tells the traces'
    fetches apart, `analysis.charts.trace_url`).
    """
    geojson = trace["geojson"]
    if isinstance(geojson, dict):
        return geojson["features"]
    assert geojson.startswith("app/static/"), geojson
    path = geojson.removeprefix("app/static/").split("?")[0]
    collection = json.loads((ROOT / "static" / path).read_bytes())
    wanted = set(plain(trace["locations"]))
    return [f for f in collection["features"] if f["id"] in wanted]


def no_exception(at: AppTest) -> None:
    """Fail with the app's own exception messages."""
    assert not at.exception, [e.value for e in at.exception]


def dataframe_with(at: AppTest, column: str):
    """Return the (first) st.dataframe on the page that has a given column, as a DataFrame."""
    for el in at.dataframe:
        value = el.value
        if column in value.columns:
            return value
    raise AssertionError(f"no table with column {column!r} on the page")


_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")


def shown_text(element) -> str:
    """Return the text a message element shows, from its escaped Markdown body.

    Messages holding text from a user's file are escaped (`analysis.user_text.plain_markdown`);
    this undoes that, so tests compare with the Dutch message as the reader wrote it.
    """
    text = _ESCAPED.sub(r"\1", element.value.replace("  \n", "\n"))
    return text.replace("\u00a0", " ").replace("\u2060", "")  # see plain_markdown
