"""The thin glue between Streamlit and the pure code, one module per concern.

* `ui.loaders` — cached loaders of public data (snapshot, catalogue, layers, area lists);
* `ui.sidebar` — the pickers in the sidebar and the state kept in the URL (permalinks);
* `ui.survey_session` — the own survey in this session (upload, mapping, example, tables);
* `ui.downloads` — CSV and Excel download buttons;
* `ui.display` — shared display pieces (plotly modebar, re-division warnings);
* `ui.workshop` — the Werkplaats page's story, notes and presentation mode;
* `ui.region_map` — the Kaart page for a GGD region (all wijken of its gemeenten).

Pages import from here; `analysis/` and `data/` never import streamlit.
"""
