"""AppTests of issue #12 on the pages: marks, grey reasons, readable downloads, landing pages."""

import csv
import io
import re

import pytest

from analysis.views import exports
from tests.apptest import app, dataframe_with, figures, no_exception
from ui import downloads as downloads_module


@pytest.fixture()
def downloads(monkeypatch):
    """Record the CSV each page offers (the buttons make their files only when clicked)."""
    held: dict[str, bytes] = {}
    original = downloads_module.download_buttons

    def record(frame, meta, stem, *, key):
        held[f"{key}_csv"] = exports.table_to_csv(frame, meta)
        return original(frame, meta, stem, key=key)

    monkeypatch.setattr(downloads_module, "download_buttons", record)
    return held


def csv_download(at, downloads, key: str) -> list[list[str]]:
    data = downloads[key]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def open_page(page: str, query: dict, *, example: bool = False):
    at = app(query)
    if example:
        at.session_state["_show_example"] = True
    at.switch_page(f"ui/pages/{page}")
    at.run()
    no_exception(at)
    return at


def test_grey_wijken_name_their_reason_in_table_hover_legend_and_download(downloads):
    at = open_page("kaart.py", {"gemeente": "GM0518", "niveau": "wijk", "indicator": "eenzaam"})
    table = dataframe_with(at, "Reden of opmerking")
    reasons = table.loc[table["Waarde"] == "–", "Reden of opmerking"].tolist()
    # Den Haag's 2023 wijken against RIVM 2020 (counted in the snapshot): one not published,
    # one whose code named another area in the indeling of the figures.
    assert sorted(reasons) == ["andere indeling", "niet gepubliceerd (geheim of te onzeker)"]
    grey = figures(at)[0]["data"][0]
    assert grey["showlegend"] is True and grey["name"].startswith("Grijs: geen cijfer")
    assert len(grey["locations"]) == 2 and "andere indeling" in " ".join(grey["text"])
    rows = csv_download(at, downloads, "kaart_csv")
    assert rows[0][:4] == ["Gebiedscode", "Wijk", "Waarde (%)", "Reden"]
    assert "Gebied" not in rows[0] and "area" not in rows[0]
    assert sorted(r[3] for r in rows[1:] if r[3]) == sorted(reasons)
    assert not any("fictie" in ";".join(r).lower() for r in rows)


def test_fictitious_map_is_marked_in_title_caption_and_every_download_line(downloads):
    at = open_page("kaart.py", {"gemeente": "GM0080", "indicator": "enq_eenzaam"}, example=True)
    title = figures(at)[0]["layout"]["title"]["text"]
    assert title.startswith("Eenzaam (enquête, fictief voorbeeld) — Leeuwarden")
    rows = csv_download(at, downloads, "kaart_csv")
    assert rows[0][2] == "Waarde (%)"
    assert rows[1:] and all("fictief voorbeeld" in ";".join(r) for r in rows[1:])
    # One decimal for survey percentages and their interval, as on the screen.
    shown = [r for r in rows[1:] if r[2]]
    assert shown and all("," in r[2] and "," in r[3] for r in shown)
    captions = " ".join(c.value for c in at.caption)
    assert "getoetste gebieden verschillen significant" in captions
    assert "toeval" in captions


def test_profile_link_to_compare_lands_on_a_filled_page():
    at = open_page("vergelijken.py", {"gemeente": "GM0080", "wijken": "WK008061"})
    assert len(at.multiselect(key="wijken").value) == 3
    assert not any("ten minste twee" in i.value for i in at.info)
    assert "Vrijheidswijk" in dataframe_with(at, "Indicator").columns


def test_profile_has_phone_lines_and_no_fictitious_figures_by_default(downloads):
    at = open_page("profiel.py", {"gemeente": "GM0080", "wijk": "WK008061"})
    # The phone version of the chart (shown by CSS below 640 px only): wrapping lines, not a
    # table that scrolls sideways; plain text, so its punctuation arrives escaped.
    lines = [
        re.sub(r"\\(.)", r"\1", m.value).replace("\u00a0", " ")
        for m in at.markdown
        if "RIVM\\-schatting\\)" in m.value and m.value.startswith("- ")
    ]
    assert len(lines) == 1
    assert (
        "- Eenzaam (RIVM-schatting): 55 % in Vrijheidswijk, hoger dan in Leeuwarden (46 %)\n"
        in lines[0] + "\n"
    )
    text = " ".join(m.value for m in at.markdown)
    assert "fictie" not in text.lower()
    rows = csv_download(at, downloads, "profiel_csv")
    assert not any("fictie" in ";".join(r).lower() for r in rows)
