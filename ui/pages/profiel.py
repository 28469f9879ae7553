"""Wijkprofiel: every indicator for one wijk against the gemeente, its GGD region and NL."""

import streamlit as st

from analysis import aggregate
from analysis.survey import stats
from analysis.views import exports, profile
from ui import display, downloads, loaders, profile_view, sidebar, survey_session

with st.sidebar:
    st.header("Wijk kiezen")
    gemeente_code = sidebar.gemeente_picker()
    code = sidebar.area_picker(gemeente_code)
    survey_session.example_toggle()
gemeente = loaders.gemeente_names().get(gemeente_code, gemeente_code)
sidebar.keep_in_url(gemeente=gemeente_code, wijk=code)

if code is None:
    st.title("Wijkprofiel")
    st.warning(f"Voor {gemeente} zijn geen wijken in de gegevens.")
    st.stop()

snap = loaders.snapshot()
cat = survey_session.session_catalogue(gemeente_code)
survey = survey_session.active_survey(gemeente_code)
area = profile_view.area_name(code)
# Figures about today's areas only (a reused code of an older indeling is left out), made
# once per area and shared; this session's survey is added here.
table = loaders.profile_snapshot(gemeente_code, code)
survey_rows = survey_session.survey_for_profile(gemeente_code)
if survey_rows is not None:
    table = profile.with_survey(table, survey_rows, cat, code=code, gemeente_code=gemeente_code)
region = loaders.ggd_of(gemeente_code)

st.title(f"Wijkprofiel {area}")
compared = (
    f"heel {gemeente}, {region[1]} en Nederland" if region else f"heel {gemeente} en Nederland"
)
st.caption(f"{area} ({code}) in {gemeente}, vergeleken met {compared}.")
if table.empty:
    st.warning(f"Voor {area} zijn geen cijfers in de gegevens.")
    st.stop()

if survey_rows is None:
    parts = profile_view.public_parts(gemeente_code, code, gemeente)
else:
    parts = profile_view.build_parts(
        table,
        cat,
        code=code,
        area=area,
        gemeente=gemeente,
        region_name=region[1] if region else None,
        suppression_rule=downloads.export_rule(survey),
    )
display.show_redivision(parts.redivision)

sentences = parts.sentences
if sentences:
    st.subheader("Wat valt op")
    st.markdown("\n".join(f"- {s}" for s in sentences[:6]))
    if len(sentences) > 6:
        with st.expander(f"Nog {len(sentences) - 6} verschillen"):
            st.markdown("\n".join(f"- {s}" for s in sentences[6:]))
if survey is not None and survey.fictitious:
    st.warning(
        "De cijfers uit de eigen enquête zijn een **fictief voorbeeld** (verzonnen antwoorden)."
    )

if survey_rows is None:
    chart = loaders.profile_chart(gemeente_code, code, area, gemeente)
else:
    chart = profile.profile_chart(table, cat, area=area, gemeente=gemeente)
display.phone_layout()
with st.container(key="profiel_grafiek_blok"):
    st.plotly_chart(
        chart.figure,
        width="stretch",
        key="profiel_grafiek",
        config=display.PLOTLY_CONFIG,
    )
with st.container(key="profiel_telefoon"):
    display.bullets(parts.phone_lines)
display.caption(chart.caption)  # may name an own survey file: plain text

st.subheader("Alle cijfers")
st.dataframe(
    parts.display,
    hide_index=True,
    width="stretch",
    height=min(38 * (len(table) + 1), 900),
    key="profiel_tabel",
)
if region is not None:
    st.caption(f"{region[1]}: {aggregate.REGION_RULE}")
with st.expander("Wanneer heet een verschil een verschil?"):
    st.write(profile.MARGIN_RULE)
    if survey is not None:
        st.write(
            "Eigen enquête: alleen als het verschil met de rest van de gemeente significant is "
            f"(95%). {stats.suppression_rule(survey.result.min_n, survey.result.indicative_n)} "
            "Elke wijk wordt apart getoetst, zonder correctie voor meervoudig toetsen: bij 20 "
            "wijken geeft toeval alleen al gemiddeld één 'verschil'. De enquête wordt alleen "
            "tegen de RIVM-schatting getoetst waar de vraag dezelfde is (eenzaamheid volgens De "
            "Jong Gierveld, vrijwilligerswerk); dat vergelijkt de enquête van "
            f"{survey.source.period} met de RIVM-schatting van 2020."
        )

meta = parts.meta
downloads.download_buttons(table, meta, f"wijkprofiel_{code}", key="profiel")
st.download_button(
    "Wijkprofiel als PDF (1 pagina)",
    # Made on click (deferred): rendering the one-page PDF takes seconds, a rerun does not wait.
    lambda: exports.profile_pdf(
        table,
        sentences,
        meta,
        area,
        gemeente,
        snap.manifest["built_on"],
        region_name=region[1] if region else None,
    ),
    f"wijkprofiel_{code}.pdf",
    "application/pdf",
    key="profiel_pdf",
    icon=":material/picture_as_pdf:",
)
c1, c2 = st.columns(2)
c1.page_link(
    "ui/pages/vergelijken.py",
    label="Vergelijk met andere wijken",
    icon=":material/compare:",
    query_params={"gemeente": gemeente_code, "wijken": code},
)
c2.page_link(
    "ui/pages/ontwikkeling.py",
    label="Bekijk de ontwikkeling",
    icon=":material/timeline:",
    query_params={"gemeente": gemeente_code, "wijk": code},
)
