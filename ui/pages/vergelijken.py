"""Vergelijken: 2–6 wijken side by side, a scatter of two indicators, and a ranking."""

import streamlit as st

from analysis import tables
from analysis.catalogue import SURVEY_KINDS
from analysis.survey import stats
from analysis.views import compare, exports
from ui import display, downloads, loaders, sidebar, survey_session

snap = loaders.snapshot()
with st.sidebar:
    st.header("Wijken kiezen")
    gemeente_code = sidebar.gemeente_picker()
    codes = sidebar.area_multipicker(gemeente_code)
    survey_session.example_toggle()
gemeente = loaders.gemeente_names().get(gemeente_code, gemeente_code)
# Figures about today's areas only (a reused code of an older indeling is left out).
values = loaders.gemeente_values(gemeente_code)
cat = survey_session.session_catalogue(gemeente_code)
comparable = [i.id for i in cat.indicators if i.kind not in SURVEY_KINDS and i.unit != "aantal"]
default = [i for i in cat.defaults.compare if i in comparable]  # [defaults] in indicators.toml
with st.sidebar:
    wanted = [i for i in st.query_params.get("indicatoren", "").split(",") if i in comparable]
    indicator_ids = st.multiselect(
        "Indicatoren",
        comparable,
        default=wanted or default,
        format_func=lambda i: cat.indicator(i).label,
        key="indicatoren",
    )
sidebar.keep_in_url(gemeente=gemeente_code, wijken=codes, indicatoren=indicator_ids)

st.title("Wijken vergelijken")
if len(codes) < 2:
    if len(loaders.areas_of(gemeente_code, "wijk")) < 2:
        st.info(
            f"{gemeente} heeft één wijk in de gegevens: vergelijken kan pas met twee. Het "
            f"wijkprofiel zet die wijk naast heel {gemeente}, de GGD-regio en Nederland."
        )
        st.page_link(
            "ui/pages/profiel.py",
            label="Naar het wijkprofiel",
            icon=":material/location_on:",
            query_params={"gemeente": gemeente_code},
        )
    else:
        st.info("Kies in de zijbalk ten minste twee wijken.")
    st.stop()

table = compare.compare_table(values, snap.regions, cat, codes, indicator_ids)
area_columns = [c for c in table.columns if c not in compare.DESCRIPTION_COLUMNS]
st.dataframe(
    tables.compare_display(table, area_columns),
    hide_index=True,
    width="stretch",
    key="vergelijk_tabel",
)
st.caption(
    "Bron: CBS en RIVM/CBS, GGD'en (zie Bronnen en begrippen). RIVM-cijfers zijn "
    "modelschattingen. Elke rij toont het nieuwste jaar met cijfers."
)
meta = exports.export_meta(
    cat, table, title=f"Wijken vergelijken ({gemeente})", built_on=snap.manifest["built_on"]
)
downloads.download_buttons(table, meta, f"vergelijking_{gemeente_code}", key="vergelijk")

survey = survey_session.active_survey(gemeente_code)
if survey is not None:
    st.subheader("Eigen enquête" + (" — fictief voorbeeld" if survey.fictitious else ""))
    st.dataframe(
        tables.survey_compare_display(
            compare.survey_compare_table(
                survey_session.survey_for_profile(gemeente_code), snap.regions, cat, codes
            )
        ),
        hide_index=True,
        width="stretch",
        key="vergelijk_enquete",
    )
    st.caption(
        f"{survey.source.credit}. Met n en 95%-betrouwbaarheidsinterval. "
        f"{stats.suppression_rule(survey.result.min_n, survey.result.indicative_n)}"
    )

st.subheader("Twee indicatoren tegen elkaar")
c1, c2 = st.columns(2)
x = c1.selectbox(
    "Horizontaal",
    comparable,
    index=comparable.index("moeite_rondkomen") if "moeite_rondkomen" in comparable else 0,
    format_func=lambda i: cat.indicator(i).label,
    key="x",
)
y = c2.selectbox(
    "Verticaal",
    comparable,
    index=comparable.index("eenzaam") if "eenzaam" in comparable else 1,
    format_func=lambda i: cat.indicator(i).label,
    key="y",
)
try:
    scatter = loaders.scatter_chart(gemeente_code, x, y, tuple(codes))  # once, shared
except ValueError as err:  # no figures for these wijken (a gemeente formed after 2020)
    st.info(f"{err}. Kies een andere indicator.")
else:
    st.plotly_chart(
        scatter.figure,
        width="stretch",
        key="spreiding",
        config=display.PLOTLY_CONFIG,
    )
    display.caption(scatter.caption)  # may name an own survey file: plain text

st.subheader("Rangorde")
rank_id = st.selectbox(
    "Indicator",
    comparable,
    index=comparable.index(y),
    format_func=lambda i: cat.indicator(i).label,
    key="rangorde_indicator",
)
try:
    ranking = loaders.ranking_chart(gemeente_code, rank_id, tuple(codes))  # once, shared
except ValueError as err:
    st.info(f"{err}. Kies een andere indicator.")
else:
    st.plotly_chart(
        ranking.figure,
        width="stretch",
        key="rangorde",
        config=display.PLOTLY_CONFIG,
    )
    display.caption(ranking.caption)
