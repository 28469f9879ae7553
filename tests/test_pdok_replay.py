"""The PDOK OGC API Features replay: URL layout, paging, filters and errors as PDOK has them."""

import requests

from paths import SNAPSHOT_ENV, active_snapshot


def get(feed, path, **params):
    return requests.get(feed.base_url + path, params=params, timeout=60)


ROOT = "/cbs/wijken-en-buurten-{year}/ogc/v1"


def test_collections_of_a_year(odata_feed):
    body = get(odata_feed, ROOT.format(year=2024) + "/collections", f="json").json()
    assert [c["id"] for c in body["collections"]] == ["buurten", "wijken"]


def test_items_are_geojson_pages_with_pdok_property_names(odata_feed):
    response = get(
        odata_feed,
        ROOT.format(year=2024) + "/collections/wijken/items",
        f="json",
        limit="5",
        gemeentecode="GM0193",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["type"] == "FeatureCollection" and body["numberReturned"] == 5
    first = body["features"][0]["properties"]
    assert first["gemeentecode"] == "GM0193" and first["gemeentenaam"] == "Zwolle"
    assert first["wijkcode"].startswith("WK0193")
    nxt = [link["href"] for link in body["links"] if link["rel"] == "next"]
    assert len(nxt) == 1 and "cursor=5" in nxt[0] and "gemeentecode=GM0193" in nxt[0]


def test_following_next_links_gives_every_feature_once(odata_feed):
    url = odata_feed.base_url + ROOT.format(year=2025) + "/collections/wijken/items"
    params = {"f": "json", "limit": "10", "gemeentecode": "GM0080"}
    codes = []
    while url:
        body = requests.get(url, params=params, timeout=60).json()
        codes += [f["properties"]["wijkcode"] for f in body["features"]]
        url = next((lk["href"] for lk in body["links"] if lk["rel"] == "next"), None)
        params = None
    # The 22 wijken of Leeuwarden (2025), renamed from statcode/statnaam to PDOK's names.
    assert len(codes) == 22 == len(set(codes)) and "WK008061" in codes


def test_bad_requests_are_refused_with_a_reason(odata_feed):
    items = ROOT.format(year=2024) + "/collections/wijken/items"
    too_big = get(odata_feed, items, f="json", limit="5000")
    assert too_big.status_code == 400
    assert too_big.json()["title"] == "limit moet 1 tot en met 1000 zijn, niet '5000'"
    assert get(odata_feed, items, f="html").status_code == 400
    assert get(odata_feed, items, f="json", naam="x").status_code == 400
    missing = get(odata_feed, ROOT.format(year=2024) + "/collections/provincies/items", f="json")
    assert missing.status_code == 404


def test_the_app_reads_the_snapshot_named_in_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(SNAPSHOT_ENV, raising=False)
    assert active_snapshot().name == "default"
    monkeypatch.setenv(SNAPSHOT_ENV, str(tmp_path))
    assert active_snapshot() == tmp_path.resolve()
