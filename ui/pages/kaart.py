"""Kaart: a choropleth of the wijken or buurten of a gemeente or a GGD region, with a table."""

import streamlit as st

from analysis.catalogue import KIND_LABELS, MODEL_ESTIMATE, SURVEY_KINDS
from analysis.figure import marked
from analysis.indicators import age_suffix
from analysis.survey import pipeline as survey_pipeline
from analysis.survey import stats
from analysis.user_text import plain_markdown
from analysis.views import maps
from ui import (
    display,
    downloads,
    gemeente_map,
    loaders,
    national_map,
    region_map,
    sidebar,
    survey_session,
)

scope = sidebar.map_scope()
if scope == "ggd":
    region_map.show(sidebar.region_map_selection())
    st.stop()
if scope == "nederland":
    national_map.show(sidebar.national_selection())
    st.stop()

sel = sidebar.map_selection()
cat = survey_session.session_catalogue(sel.gemeente_code)

st.title("Kaart")

if sel.layer is None:
    st.warning(f"Voor {sel.gemeente_name} zijn geen grenzen van wijken of buurten in de gegevens.")
    st.stop()
if sel.figures is None:
    st.warning(
        f"Voor de {maps.LEVEL_LABELS[sel.level].lower()} van {sel.gemeente_name} "
        "zijn geen cijfers in de gegevens."
    )
    st.stop()

indicator = cat.indicator(sel.figures.indicator)
source = cat.source(sel.figures.source)
survey = survey_session.active_survey(sel.gemeente_code) if source.kind in SURVEY_KINDS else None
if survey is None:
    view = gemeente_map.public_view(sel)
else:
    areas, geojson = loaders.layer_areas(sel.layer, sel.gemeente_code)
    view = gemeente_map.build_view(
        cat,
        sel,
        areas,
        geojson,
        maps.survey_frame(areas, survey.result.estimates, indicator.id),
        suppression_rule=downloads.export_rule(survey),
    )
frame = view.frame
level_label = maps.LEVEL_LABELS[sel.level].lower()
age = age_suffix(sel.figures.age)
with_value = int(frame["value"].notna().sum())

display.map_loading()
event = st.plotly_chart(
    view.figure,
    width="stretch",
    key="kaart",
    on_select="rerun",
    selection_mode="points",
    config=display.PLOTLY_CONFIG,
)
sidebar.open_profile_on_click(event, sel.gemeente_code, sel.level)
st.caption(
    # An own survey's title and table id hold its file name: plain text, never Markdown.
    f"{source.credit}. {plain_markdown(source.title)} ({plain_markdown(source.table_id)}), "
    f"cijfers {sel.figures.period}"
    f"{age}; {KIND_LABELS[source.kind]}. Grenzen: CBS/PDOK wijk- en buurtkaart, "
    f"indeling {view.indeling}; cijfers volgens indeling {source.indeling}. {with_value} van "
    f"{len(frame)} {level_label} met een cijfer; grijs = geen cijfer, de reden staat in de "
    "tabel en bij de muis (ook: een cijfer over een ander gebied met dezelfde code, andere "
    "indeling)."
)
if source.kind == MODEL_ESTIMATE:
    st.info(
        "Dit is een modelschatting van het RIVM: berekend uit de Gezondheidsmonitor en "
        "kenmerken van de wijk, niet gemeten in deze wijk zelf."
    )
if survey is not None:
    rule = (
        f"{stats.suppression_rule(survey.result.min_n, survey.result.indicative_n)} Beweeg over "
        "een wijk voor n en het 95%-betrouwbaarheidsinterval."
    )
    chance = survey_pipeline.significance_note(survey.result.estimates, indicator.id)
    if survey.fictitious:
        st.warning(
            f"**Fictief voorbeeld**: verzonnen antwoorden om het dashboard te laten zien. {rule}"
        )
    else:
        st.info(f"Gemeten in de eigen enquête ({plain_markdown(survey.file_name)}). {rule}")
    if chance:
        st.caption(marked(f"Verschil met de rest van de gemeente: {chance}", indicator.kind))

st.subheader("Tabel")
st.dataframe(view.table, hide_index=True, width="stretch", key="tabel")
st.caption(f"{indicator.label}: {indicator.definition}")
downloads.download_buttons(
    view.export, view.meta, f"kaart_{sel.gemeente_code}_{indicator.id}", key="kaart"
)
