"""Bronnen en begrippen: every indicator with its definition, source, table, year and kind."""

import streamlit as st

from analysis import tables
from analysis.catalogue import (
    FICTITIOUS,
    KIND_LABELS,
    MODEL_ESTIMATE,
    REGISTRATION,
    SURVEY_KIND,
    SURVEY_KINDS,
)
from analysis.survey import pipeline as survey_pipeline
from analysis.survey import stats
from analysis.views import profile
from ui import loaders, sidebar, survey_session

with st.sidebar:
    gemeente_code = sidebar.gemeente_picker()
cat = survey_session.session_catalogue(gemeente_code)
snap = loaders.snapshot()

st.title("Bronnen en begrippen")
st.write(
    "Alle cijfers komen uit openbare bronnen en zijn ingebouwd in het dashboard. "
    + loaders.snapshot_caption()
)

st.subheader("Indicatoren")
st.dataframe(
    tables.catalogue_display(cat, snap.values),
    hide_index=True,
    width="stretch",
    key="indicatoren",
)

st.subheader("Drie soorten cijfers")
for kind, text in (
    (
        REGISTRATION,
        "Tellingen uit registraties van het CBS (bijvoorbeeld de Basisregistratie Personen). "
        "Iedereen in de wijk telt mee. Het CBS maakt kleine aantallen geheim ('.'): die zijn "
        "hier leeg, nooit 0.",
    ),
    (
        MODEL_ESTIMATE,
        "De RIVM-cijfers per wijk en buurt zijn geen metingen in die wijk. Het RIVM schat ze met "
        "een rekenmodel uit de antwoorden van de Gezondheidsmonitor (GGD'en, CBS, RIVM) en "
        "kenmerken van de bewoners, zoals leeftijd, huishouden en inkomen. Ze zijn goed om "
        "wijken te vergelijken, maar zeggen niet wat mensen in die wijk zelf hebben geantwoord. "
        "Het RIVM publiceert bij deze schattingen wel een onzekerheidsmarge (in StatLine), "
        "maar deze snapshot bevat alleen de schattingen zelf, zonder marge. Daarom gebruikt "
        "het dashboard een vuistregel voor 'hoger' en 'lager', geen statistische toets.",
    ),
    (
        SURVEY_KIND,
        "Antwoorden uit een enquête van de gemeente of GGD zelf, per wijk gewogen en met een "
        "95%-betrouwbaarheidsinterval. Ze staan altijd apart van de RIVM-schatting over "
        "hetzelfde onderwerp en worden er nooit mee samengevoegd.",
    ),
    (
        FICTITIOUS,
        "Het dashboard maakt zelf een enquête met verzonnen antwoorden, om mee te oefenen. "
        "Die cijfers zijn niet echt: ze staan overal met 'fictief voorbeeld' erbij, ook in "
        "downloads, en alleen in de lijst met indicatoren als u daarom vraagt.",
    ),
):
    st.markdown(f"**{KIND_LABELS[kind]}.** {text}")

st.subheader("Kleine aantallen")
small_numbers = stats.suppression_rule(survey_pipeline.MIN_N, survey_pipeline.INDICATIVE_N)
st.write(
    "Cijfers uit een eigen enquête tellen de antwoorden op de vraag in dat gebied. "
    f"{small_numbers} "
    "Op de plek van het cijfer staat de reden. Dit geldt voor kaart, tabellen, grafieken en "
    "downloads."
)
st.subheader("Wanneer heet een verschil een verschil?")
st.write(profile.MARGIN_RULE)

st.subheader("Licenties")
st.write(
    "CBS-cijfers: Bron: CBS (CC BY 4.0). Gezondheidscijfers: Bron: RIVM/CBS, GGD'en "
    "(CC BY 4.0). Grenzen: CBS/PDOK wijk- en buurtkaart (CC BY 4.0). Het dashboard zelf is "
    "open source."
)
st.caption(
    f"Gegevens gemaakt op {snap.manifest['built_on']} met `python -m snapshot_build` "
    f"({snap.manifest['mode']}); tabellen: "
    + ", ".join(sorted({s.table_id for s in cat.sources.values() if s.kind not in SURVEY_KINDS}))
    + "."
)
