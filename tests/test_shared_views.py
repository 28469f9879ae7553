"""Views made once per choice and shared by every session: public figures only, a survey never."""

import pandas as pd
import pytest

from analysis.catalogue import RIVM_TABLE_ID
from analysis.views.maps import Figures
from tests.apptest import app, dataframe_with, figures, no_exception
from ui import gemeente_map, loaders, sidebar

LEEUWARDEN = sidebar.MapSelection(
    "GM0080",
    "Leeuwarden",
    "wijk",
    "leeuwarden-wijken-2025",
    Figures("eenzaam", 2020, "18+", RIVM_TABLE_ID),
)


def test_the_public_view_holds_the_figures_of_the_chosen_wijken():
    view = gemeente_map.public_view(LEEUWARDEN)
    assert view.title == "Eenzaam (RIVM-schatting) — Leeuwarden, wijken (2020, 18+)"
    assert view.indeling == 2025
    # 22 wijken of 2025: 20 with the 2020 figure of the same area, two redivided since.
    assert len(view.table) == len(view.export) == len(view.frame) == 22
    assert list(view.table.columns) == ["Code", "Wijk", "Waarde", "Reden of opmerking"]
    row = view.table.set_index("Wijk").loc["Vrijheidswijk"]
    assert (row["Code"], row["Waarde"]) == ("WK008061", "55\u00a0%")
    assert view.table["Wijk"].iloc[0] == "Heechterp & Schieringen"  # highest first
    grey = view.table[view.table["Waarde"] == "–"]
    assert grey["Wijk"].tolist() == ["Vossepark & Helicon", "Middelsee"]
    assert set(grey["Reden of opmerking"]) == {"andere indeling"}
    assert sorted(len(t.locations) for t in view.figure.data) == [2, 20]
    assert view.export["indicator"].eq("eenzaam").all()


def test_the_public_view_is_made_once_and_the_page_leaves_it_unchanged():
    view = gemeente_map.public_view(LEEUWARDEN)
    assert gemeente_map.public_view(LEEUWARDEN) is view
    before = view.figure.to_json()
    frames = {k: getattr(view, k).copy() for k in ("frame", "table", "export")}
    at = app({"gemeente": "GM0080", "niveau": "wijk", "indicator": "eenzaam"})
    at.run()
    no_exception(at)
    # The page showed this choice from the shared view: the same figure reached the browser.
    shown = figures(at)[0]
    assert shown["layout"]["title"]["text"].startswith("Eenzaam (RIVM-schatting) — Leeuwarden")
    assert view.figure.to_json() == before
    for key, copy in frames.items():
        pd.testing.assert_frame_equal(getattr(view, key), copy)


def test_a_source_outside_the_public_catalogue_is_never_shared():
    own = sidebar.MapSelection(
        "GM0080",
        "Leeuwarden",
        "wijk",
        "leeuwarden-wijken-2025",
        Figures("enq_eenzaam", 2026, "18+", "enquete"),
    )
    assert "enquete" not in loaders.catalogue().sources
    with pytest.raises(ValueError, match="geen openbare bron"):
        gemeente_map.public_view(own)


def test_survey_figures_are_built_per_session_with_interval_and_n(monkeypatch):
    asked = []
    shared = gemeente_map._public_view
    monkeypatch.setattr(gemeente_map, "_public_view", lambda *a: asked.append(a) or shared(*a))
    at = app({"gemeente": "GM0080", "niveau": "wijk", "indicator": "enq_eenzaam"})
    at.session_state["_show_example"] = True
    at.run()
    no_exception(at)
    assert at.selectbox(key="indicator").value == "enq_eenzaam"
    assert asked == []  # the session's survey never went into the shared cache
    table = dataframe_with(at, "Reden of opmerking")
    assert list(table.columns) == ["Code", "Wijk", "Waarde", "95%-BI", "n", "Reden of opmerking"]
    assert len(table) == 22
    # The same page on a public indicator does use the shared view.
    at.selectbox(key="indicator").set_value("eenzaam").run()
    no_exception(at)
    assert [a[:5] for a in asked] == [
        ("GM0080", "Leeuwarden", "wijk", "leeuwarden-wijken-2025", "eenzaam")
    ]


def test_the_public_profile_parts_hold_the_wijk_and_are_made_once():
    from ui import profile_view

    parts = profile_view.public_parts("GM0080", "WK008061", "Leeuwarden")
    assert profile_view.public_parts("GM0080", "WK008061", "Leeuwarden") is parts
    assert profile_view.area_name("WK008061") == "Vrijheidswijk"
    assert (
        "Eenzaam (RIVM-schatting): 55\u00a0% in Vrijheidswijk, hoger dan in Leeuwarden "
        "(46\u00a0%)" in parts.phone_lines
    )
    assert {"Vrijheidswijk", "Leeuwarden", "GGD Fryslân", "Nederland"} <= set(parts.display.columns)
    assert parts.meta.title == "Wijkprofiel Vrijheidswijk (Leeuwarden)"
    # Only figures about today's area are in the profile: nothing to warn about.
    assert parts.redivision == []
    assert parts.sentences[0] == (
        "In Vrijheidswijk voelen naar schatting meer mensen zich eenzaam dan gemiddeld in "
        "Leeuwarden: 55\u00a0% tegen 46\u00a0%."
    )
    before = {"display": parts.display.copy(), "lines": list(parts.phone_lines)}
    at = app({"gemeente": "GM0080", "wijk": "WK008061"})
    at.switch_page("ui/pages/profiel.py")
    at.run()
    no_exception(at)
    assert at.title[0].value == "Wijkprofiel Vrijheidswijk"
    pd.testing.assert_frame_equal(parts.display, before["display"])
    assert parts.phone_lines == before["lines"]


def test_a_profile_with_the_sessions_survey_is_built_for_that_session_only(monkeypatch):
    from ui import profile_view

    asked = []
    shared = profile_view._public_parts
    monkeypatch.setattr(profile_view, "_public_parts", lambda *a: asked.append(a) or shared(*a))
    at = app({"gemeente": "GM0080", "wijk": "WK008061"})
    at.session_state["_show_example"] = True
    at.switch_page("ui/pages/profiel.py")
    at.run()
    no_exception(at)
    assert asked == []
    table = dataframe_with(at, "Vrijheidswijk")
    assert table["Indicator"].str.contains("fictief voorbeeld").any()
