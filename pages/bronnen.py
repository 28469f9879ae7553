"""Bronnen en begrippen: every indicator with its definition, source, table and kind."""

import streamlit as st

import ui
from analysis.catalogue import KIND_LABELS

cat = ui.catalogue()
st.title("Bronnen en begrippen")
st.write(
    "Alle cijfers komen uit openbare bronnen en zijn ingebouwd in het dashboard. "
    + ui.snapshot_caption()
)
st.subheader("Indicatoren")
rows = []
for ind in cat.indicators:
    for sid in ind.source_ids:
        src = cat.source(sid)
        column = ind.columns.get(sid) or " / ".join(ind.ratios[sid])
        rows.append(
            {
                "Indicator": ind.label,
                "Thema": ind.theme,
                "Soort": KIND_LABELS[ind.kind],
                "Eenheid": ind.unit,
                "Bron": src.credit,
                "Tabel": f"{src.title} ({src.table_id})",
                "Kolom": column,
                "Definitie": ind.definition,
            }
        )
st.dataframe(rows, hide_index=True, width="stretch", key="indicatoren")
st.subheader("Wat is een modelschatting?")
st.write(
    "De RIVM-cijfers per wijk en buurt zijn geen metingen in die wijk. Het RIVM schat ze met "
    "een rekenmodel uit de antwoorden van de Gezondheidsmonitor (GGD'en, CBS, RIVM) en "
    "kenmerken van de bewoners, zoals leeftijd, huishouden en inkomen. Ze zijn goed om wijken "
    "te vergelijken, maar zeggen niet wat mensen in die wijk zelf hebben geantwoord."
)
st.subheader("Licenties")
st.write(
    "CBS-cijfers: Bron: CBS (CC BY 4.0). Gezondheidscijfers: Bron: RIVM/CBS, GGD'en "
    "(CC BY 4.0). Grenzen: CBS/PDOK wijk- en buurtkaart (CC BY 4.0)."
)
