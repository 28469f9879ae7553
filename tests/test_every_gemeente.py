"""Every gemeente in the picker renders every page's figures (issue 10, item 1).

The pure builders run for *all* gemeenten offered (map frame and figure, wijkprofiel table,
text and chart for one wijk, comparison, trend, workshop story, fictitious example survey);
AppTest renders every page for a sample that holds the edge cases: a gemeente without buurten,
one without survey anchors (no RIVM figures for its wijken), one whose wijken have no name in
an older indeling, and a gemeente merged after 2016.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from analysis import charts, classify, indeling, selection, tables
from analysis.catalogue import load_catalogue
from analysis.survey import example as example_survey
from analysis.survey import pipeline as survey_pipeline
from analysis.views import compare, maps, profile, trends
from analysis.workshop import story as story_module
from data import boundaries
from data.snapshot import load_snapshot
from tests.apptest import app, drawn_features, figures, no_exception


@functools.cache
def snap():
    """Load the committed snapshot once per test process."""
    return load_snapshot()


@functools.cache
def cat():
    """Load the catalogue once per test process."""
    return load_catalogue()


@functools.cache
def source_indelingen() -> dict[str, int]:
    return {source.id: source.indeling for source in cat().sources.values()}


@functools.cache
def layer_index() -> pd.DataFrame:
    return maps.layer_index(snap().geometry.drop(columns="geometry"))


@functools.cache
def gemeente_options() -> pd.DataFrame:
    return maps.gemeente_options(snap().regions, layer_index())


def picker_codes() -> list[str]:
    return gemeente_options()["gemeente_code"].tolist()


def example_result(gemeente_code: str):
    """Generate and analyse the fictitious example survey as the Enquête page does."""
    regions = survey_pipeline.survey_regions(snap().regions, gemeente_code)
    rivm = survey_pipeline.rivm_reference(part(gemeente_code).values, regions["code"])
    if (regions["level"] == "wijk").sum() < 2 or rivm.empty:
        return 0, None
    frame = example_survey.generate_example(rivm, regions, gemeente_code=gemeente_code)
    if not full_check(gemeente_code):
        return len(frame), None  # generated (where issue 10's crash was), not analysed
    return len(frame), survey_pipeline.analyse_survey(
        frame,
        regions,
        gemeente_code=gemeente_code,
        file_name="voorbeeld_enquete_fictief.csv",
        rivm=rivm,
    )


@functools.cache
def values_by_gemeente() -> dict[str, pd.DataFrame]:
    """Split the value table per gemeente (digits of the code), the country rows in each.

    The builders only read the rows of one gemeente, its areas and the country; handing them
    that part keeps the sweep over every gemeente fast (the full table has a million rows).
    """
    values = snap().values
    digits = values["code"].str[2:6].where(values["code"].str[:2] != "NL", "NL")
    country = values[digits == "NL"]
    return {
        key: pd.concat([part, country], ignore_index=True)
        for key, part in values[digits != "NL"].groupby(digits[digits != "NL"], sort=False)
    }


@functools.cache
def digits() -> pd.Series:
    """Return the gemeente digits of every value row's code, "NL" for the country."""
    code = snap().values["code"]
    return code.str[2:6].where(code.str[:2] != "NL", "NL").astype("category")


@functools.cache
def part(gemeente_code: str) -> _Part:
    """Return the snapshot part of one gemeente, made once."""
    return _Part(gemeente_code)


class _Part:
    """The snapshot with the value rows of one gemeente (see `values_by_gemeente`)."""

    def __init__(self, gemeente_code: str):
        full = snap()
        self.regions = full.regions
        self.geometry = full.geometry
        own = values_by_gemeente().get(gemeente_code[2:6], full.values.iloc[:0])
        self.raw = own  # the map page marks "andere indeling" from the raw figures
        # What the pages get from ui.loaders.gemeente_values: figures about today's areas.
        self.values = indeling.honest_values(own, full.regions, source_indelingen())


#: Every this-many-th gemeente of the picker (and the AppTest sample) gets the slower figures
#: too: scatter and ranking, every slide of the story, the analysed example survey. The rest
#: run the same builders on their first choice; a full run over 342 gemeenten took too long
#: for CI on two shared cores.
FULL_EVERY = 10


def full_check(gemeente_code: str) -> bool:
    """Return whether a gemeente gets every figure (see `FULL_EVERY`)."""
    codes = picker_codes()
    return gemeente_code in SAMPLE or codes.index(gemeente_code) % FULL_EVERY == 0


def render_gemeente(gemeente_code: str) -> dict[str, int]:
    """Build every page's figures for a gemeente; return a few counts to assert on."""
    s, c = part(gemeente_code), cat()
    full = full_check(gemeente_code)
    counts: dict[str, int] = {}
    options = gemeente_options().set_index("gemeente_code")["gemeente_name"]
    gemeente = str(options[gemeente_code])
    # Kaart: each level with a layer, the first figures offered.
    for level in ("wijk", "buurt"):
        layer = maps.choose_layer(layer_index(), gemeente_code, level)
        if layer is None:
            continue
        geo = s.geometry
        drawn = geo[(geo["layer"] == layer) & (geo["gemeente_code"] == gemeente_code)]
        areas = pd.DataFrame(drawn.drop(columns="geometry")).reset_index(drop=True)
        geojson = boundaries.to_geojson(drawn)
        options = maps.available_figures(s.values, areas["code"], c)
        counts[f"{level}_areas"] = len(areas)
        counts[f"{level}_figures"] = len(options)
        for fig_choice in options[:1]:
            indicator = c.indicator(fig_choice.indicator)
            frame = maps.map_frame(
                areas,
                s.raw,
                fig_choice,
                regions=s.regions,
                source_indeling=c.source(fig_choice.source).indeling,
            )
            breaks = classify.breaks_for(
                frame["value"].round(indicator.decimals), "kwantielen", indicator.unit
            )
            fig = charts.choropleth(frame, geojson, indicator, title="t", breaks=breaks)
            assert sum(len(t.locations) for t in fig.data) == len(areas)
    # Wijkprofiel, vergelijken, ontwikkeling, werkplaats: the first wijk(en) offered.
    wijken = maps.area_options(s.regions, gemeente_code, "wijk")
    counts["wijken"] = len(wijken)
    if not wijken.empty:
        code = wijken["code"].iloc[0]
        area = selection.area_name(s.regions, code)
        table = profile.profile_table(
            s.values, s.regions, c, code=code, gemeente_code=gemeente_code
        )
        counts["profile_rows"] = len(table)
        if not table.empty:
            profile.profile_text(tables.prioritised(table), area=area, gemeente=gemeente)
            profile.profile_chart(table, c, area=area, gemeente=gemeente)
            tables.profile_display(table, area=area, gemeente=gemeente)
            trends.redivision_warnings(
                s.regions, code, [int(i) for i in table["indeling"].dropna().unique()]
            )
        codes = wijken["code"].tolist()[:3]
        if len(codes) >= 2:
            comparable = [
                i.id for i in c.indicators if i.kind != "eigen enquête" and i.unit != "aantal"
            ]
            wanted = [i for i in ("eenzaam", "pct_65plus", "moeite_rondkomen") if i in comparable]
            cmp = compare.compare_table(s.values, s.regions, c, codes, wanted)
            tables.compare_display(
                cmp, [col for col in cmp.columns if col not in compare.DESCRIPTION_COLUMNS]
            )
            for chart in (
                ()
                if not full
                else (
                    lambda: compare.scatter_chart(
                        s.values, s.regions, c, "moeite_rondkomen", "eenzaam", gemeente_code, codes
                    ),
                    lambda: compare.ranking_chart(
                        s.values, s.regions, c, "eenzaam", gemeente_code, codes
                    ),
                )
            ):
                try:
                    chart()
                except ValueError as err:  # the page shows this as a message, in Dutch
                    assert str(err).startswith("Geen cijfers over"), err
                    counts["no_compare_figures"] = 1
        options = trends.indicators_with_series(s.values, c, code)
        counts["trend_options"] = len(options)
        if options:
            frame = trends.series(s.values, c, code, options[0])
            trends.series_notes(frame, c)
            trends.trend_chart(
                s.values, s.regions, c, code, options[0], gemeente_code=gemeente_code
            )
            tables.series_display(frame, c)
        built = story_module.build_story(
            s.values, s.regions, c, code=code, gemeente_code=gemeente_code
        )
        data_slides = [sl for sl in built.slides if sl.kind == story_module.DATA and sl.bars]
        for slide in data_slides if full else data_slides[:1]:
            story_module.slide_figure(slide, area=area, gemeente=gemeente)
        counts["slides"] = len(built.slides)
    counts["example_respondents"], result = example_result(gemeente_code)
    counts["example_areas"] = 0 if result is None else int(result.estimates["area"].nunique())
    return counts


@pytest.mark.parametrize("gemeente_code", picker_codes())
def test_every_page_builds_for_every_gemeente(gemeente_code):
    counts = render_gemeente(gemeente_code)
    assert counts["wijken"] > 0, f"{gemeente_code}: geen wijken om te kiezen"
    assert counts.get("wijk_areas", 0) > 0, f"{gemeente_code}: geen wijkkaart"


@functools.cache
def kept() -> tuple[indeling.GemeenteRows, indeling.AreaLookup]:
    """Return what ui.loaders keeps once per snapshot to slice a gemeente (issue #14)."""
    return indeling.gemeente_rows(snap().values["code"]), indeling.area_lookup(snap().regions)


@pytest.mark.parametrize("gemeente_code", picker_codes())
def test_every_gemeente_s_slice_is_its_boolean_mask_selection(gemeente_code):
    # ui.loaders.gemeente_values slices the rows kept per gemeente instead of masking the
    # million: the same rows, in the same order, made honest the same way, for every gemeente.
    # Rows are compared by their position in the value table (frames of the same rows are the
    # same frames; test_indeling compares whole frames for a few gemeenten).
    rows, lookup = kept()
    values = snap().values
    keys = digits()
    wanted = keys.cat.categories.get_indexer([gemeente_code[2:6], "NL"])
    selected = np.flatnonzero(np.isin(keys.cat.codes.to_numpy(), wanted))
    positions = rows.positions([gemeente_code[2:6], "NL"])
    assert positions.tolist() == selected.tolist()
    fast = indeling.honest_values(
        values.take(positions), snap().regions, source_indelingen(), lookup=lookup
    )
    slow = indeling.honest_values(values.take(selected), snap().regions, source_indelingen())
    assert fast.index.tolist() == slow.index.tolist()
    assert len(fast) == len(
        indeling.gemeente_values(
            values, snap().regions, source_indelingen(), gemeente_code, rows=rows, lookup=lookup
        )
    )
    assert (fast["code"] == gemeente_code).any(), f"{gemeente_code}: no rows of its own"


#: AppTest sample: every page for gemeenten that are edge cases (issue 10, item 1).
SAMPLE = {
    "GM0193": "Zwolle: only the national 2024 layer, no buurten on the map",
    "GM1900": "Súdwest-Fryslân: merged since 2016, wijk codes reused across indelingen",
    "GM1982": "Land van Cuijk: merged in 2022, no RIVM 2020 figures (no survey anchors)",
    "GM0080": "Leeuwarden: its own 2025 layers, wijk codes that meant other areas in 2016",
}
PAGES = (
    "ui/pages/kaart.py",
    "ui/pages/profiel.py",
    "ui/pages/vergelijken.py",
    "ui/pages/ontwikkeling.py",
    "ui/pages/werkplaats.py",
    "ui/pages/enquete.py",
)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("gemeente_code", list(SAMPLE))
def test_every_page_renders_for_the_edge_cases(gemeente_code, page):
    at = app({"gemeente": gemeente_code})
    at.switch_page(page)
    at.run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="gemeente").value == gemeente_code
    if (gemeente_code, page) == ("GM1982", "ui/pages/ontwikkeling.py"):
        # Land van Cuijk exists since 2022: one year of figures (KWB 2024), no series.
        assert not figures(at)
        assert "geen cijfers over meer jaren" in " ".join(i.value for i in at.info)
    elif page in ("ui/pages/kaart.py", "ui/pages/profiel.py", "ui/pages/ontwikkeling.py"):
        assert figures(at), f"{page} for {gemeente_code}: no figure"


def test_buurten_without_a_name_in_their_only_indeling():
    # Zwolle's buurten exist only in the RIVM 2020 table, which names none: named by code.
    at = app({"gemeente": "GM0193", "niveau": "buurt"})
    at.switch_page("ui/pages/ontwikkeling.py")
    at.run()
    no_exception(at)
    code = at.selectbox(key="buurt").value
    assert code.startswith("BU0193")
    assert figures(at)


def test_the_picker_lists_the_342_gemeenten_of_2024_under_current_names():
    options = gemeente_options()
    names = set(options["gemeente_name"])
    assert len(options) == 342
    assert {"Altena", "Het Hogeland", "Land van Cuijk", "Dijk en Waard", "Voorne aan Zee"} <= names
    assert not {"Aalburg", "Haren", "Leeuwarderadeel"} & names  # gemeenten of 2016
    assert maps.picker_label("GM0518", "'s-Gravenhage") == "'s-Gravenhage (Den Haag)"


def test_the_kaart_page_shows_the_whole_country_by_gemeente():
    at = app({"kaart": "nederland", "niveau": "gemeente", "indicator": "eenzaam"})
    at.run()
    no_exception(at)
    assert at.title[0].value == "Kaart van Nederland"
    fig = figures(at)[0]
    # The geometry is one file (static/geo/), named by each trace by a URL of its own (the
    # file, then ?1, ?2 …), so no trace waits for another's download (charts.GeoFile).
    urls = [t["geojson"] for t in fig["data"]]
    assert len({url.split("?")[0] for url in urls}) == 1 and len(set(urls)) == len(urls)
    assert sum(len(drawn_features(t)) for t in fig["data"]) == 342
    caption = " ".join(c.value for c in at.caption)
    assert "Gezondheid per wijk en buurt" in caption and "indeling 2024" in caption
    table = at.dataframe[0].value
    assert len(table) == 342 and {"Code", "Gemeente", "Waarde", "Opmerking"} <= set(table.columns)
