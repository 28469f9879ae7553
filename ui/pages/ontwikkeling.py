"""Ontwikkeling: an indicator over the years the snapshot holds, with re-division warnings."""

import streamlit as st

from analysis import tables
from analysis.views import exports, trends
from ui import display, downloads, loaders, sidebar

snap = loaders.snapshot()
with st.sidebar:
    st.header("Gebied kiezen")
    gemeente_code = sidebar.gemeente_picker()
    level = st.radio(
        "Niveau",
        ["wijk", "buurt"],
        horizontal=True,
        key="niveau",
        index=1 if st.query_params.get("niveau") == "buurt" else 0,
        format_func=lambda lv: {"wijk": "Wijk", "buurt": "Buurt"}[lv],
    )
    code = sidebar.area_picker(gemeente_code, level, key="wijk" if level == "wijk" else "buurt")
gemeente = loaders.gemeente_names().get(gemeente_code, gemeente_code)
# Figures about today's areas only (a reused code of an older indeling is left out).
values = loaders.gemeente_values(gemeente_code)
cat = loaders.catalogue()

st.title("Ontwikkeling")
if code is None:
    sidebar.keep_in_url(gemeente=gemeente_code, niveau=level)
    st.warning(f"Voor {gemeente} zijn geen {level}en in de gegevens.")
    st.stop()

options = trends.indicators_with_series(values, cat, code)
if not options:
    sidebar.keep_in_url(gemeente=gemeente_code, niveau=level, wijk=code)
    st.info("Voor dit gebied zijn geen cijfers over meer jaren in de gegevens.")
    st.stop()
with st.sidebar:
    wanted = st.query_params.get("indicator", "")
    indicator = st.selectbox(
        "Indicator",
        options,
        index=options.index(wanted) if wanted in options else 0,
        format_func=lambda i: cat.indicator(i).label,
        key="indicator",
    )
sidebar.keep_in_url(
    gemeente=gemeente_code,
    niveau=level,
    **{"wijk" if level == "wijk" else "buurt": code},
    indicator=indicator,
)

frame = trends.series(values, cat, code, indicator)
# Say which figures of another area were left out: the indelingen of all the code's figures.
every = trends.series(snap.values, cat, code, indicator)
display.show_redivision(
    trends.redivision_warnings(snap.regions, code, trends.series_indelingen(every, cat))
)
for note in trends.series_notes(frame, cat):
    st.info(note)
chart = loaders.trend_chart(gemeente_code, code, indicator)  # made once per area, shared
st.plotly_chart(
    chart.figure,
    width="stretch",
    key="trend",
    config=display.PLOTLY_CONFIG,
)
display.caption(chart.caption)  # may name an own survey file: plain text
st.dataframe(tables.series_display(frame, cat), hide_index=True, key="trend_tabel")
area_name = loaders.areas_of(gemeente_code, level).set_index("code")["name"].get(code, code)
meta = exports.export_meta(
    cat,
    frame,
    title=f"Ontwikkeling {cat.indicator(indicator).label}",
    built_on=snap.manifest["built_on"],
)
downloads.download_buttons(
    frame.assign(name=area_name), meta, f"ontwikkeling_{code}_{indicator}", key="trend"
)
