"""Kaart: a choropleth of the wijken or buurten of a gemeente or a GGD region, with a table."""

import streamlit as st

from analysis import charts, classify, figure
from analysis.catalogue import KIND_LABELS, MODEL_ESTIMATE, SURVEY_KINDS
from analysis.figure import marked
from analysis.format import fmt_interval, fmt_value
from analysis.indicators import age_suffix
from analysis.survey import pipeline as survey_pipeline
from analysis.survey import stats
from analysis.user_text import plain_markdown
from analysis.views import exports, maps
from ui import display, downloads, loaders, national_map, region_map, sidebar, survey_session

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
areas, geojson = loaders.layer_areas(sel.layer, sel.gemeente_code)
survey = survey_session.active_survey(sel.gemeente_code) if source.kind in SURVEY_KINDS else None
if survey is not None:
    frame = maps.survey_frame(areas, survey.result.estimates, indicator.id)
else:
    frame = maps.map_frame(
        areas,
        loaders.layer_values(sel.layer, sel.gemeente_code),
        sel.figures,
        regions=loaders.snapshot().regions,
        source_indeling=source.indeling,
    )
level_label = maps.LEVEL_LABELS[sel.level].lower()
age = age_suffix(sel.figures.age)
info = figure.figure_info(
    cat, indicator.id, source.id, period=sel.figures.period, age=sel.figures.age
)
title = info.title(
    f"{indicator.label} — {sel.gemeente_name}, {level_label} ({sel.figures.period}{age})"
)
with_value = int(frame["value"].notna().sum())
breaks = classify.breaks_for(frame["value"].round(indicator.decimals), sel.classes, indicator.unit)

display.map_loading()
event = st.plotly_chart(
    charts.choropleth(
        frame,
        geojson,
        indicator,
        title=title,
        view_key=f"{sel.gemeente_code}/{sel.layer}",
        breaks=breaks,
    ),
    width="stretch",
    key="kaart",
    on_select="rerun",
    selection_mode="points",
    config=display.PLOTLY_CONFIG,
)
sidebar.open_profile_on_click(event, sel.gemeente_code, sel.level)
layer_indeling = int(areas["indeling"].iloc[0])
st.caption(
    # An own survey's title and table id hold its file name: plain text, never Markdown.
    f"{source.credit}. {plain_markdown(source.title)} ({plain_markdown(source.table_id)}), "
    f"cijfers {sel.figures.period}"
    f"{age}; {KIND_LABELS[source.kind]}. Grenzen: CBS/PDOK wijk- en buurtkaart, "
    f"indeling {layer_indeling}; cijfers volgens indeling {source.indeling}. {with_value} van "
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
name_col = {"wijken": "Wijk", "buurten": "Buurt"}.get(level_label, "Gebied")
table = frame.assign(
    Waarde=[fmt_value(v, indicator.unit, indicator.decimals) for v in frame["value"]]
)
columns = {"code": "Code", "name": name_col, "status": "Reden of opmerking"}
shown = ["Code", name_col, "Waarde"]
if survey is not None:
    table = table.assign(
        **{
            "95%-BI": [
                fmt_interval(lo, hi, indicator.unit, indicator.decimals)
                for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
            ]
        }
    )
    columns["n"] = "n"
    shown += ["95%-BI", "n"]
table = table.rename(columns=columns).sort_values("value", ascending=False, na_position="last")
st.dataframe(table[[*shown, "Reden of opmerking"]], hide_index=True, width="stretch", key="tabel")
st.caption(f"{indicator.label}: {indicator.definition}")
export = maps.map_export(frame, info, source.id, survey=survey is not None)
meta = exports.export_meta(
    cat,
    export,
    title=title,
    built_on=loaders.snapshot().manifest["built_on"],
    suppression_rule=downloads.export_rule(survey),
    column_labels={"name": name_col},
)
downloads.download_buttons(export, meta, f"kaart_{sel.gemeente_code}_{indicator.id}", key="kaart")
