"""Pure, typed functions; never imports streamlit (a test enforces this).

Core (this package): the indicator catalogue (`catalogue`, `indicators.toml`), turning source
tables into indicator values (`indicators`), region codes (`regions`), the shared selection of
figures (`selection`), figures of a region from its parts (`aggregate`), Dutch formatting
(`format`, `text`, `tables`), map classes (`classify`), figure primitives (`charts`), the
problem type of every uploaded file (`problems`) and text from a user's file made safe to
show or save (`user_text`).

Subsystems, one subpackage each:

* `analysis.views` — what the pages show (map, profile, comparison, trend, exports);
* `analysis.survey` — the own survey (questionnaire, scales, mapping, estimates);
* `analysis.workshop` — the workshop story and the group's notes.
"""

__all__ = [
    "aggregate",
    "catalogue",
    "charts",
    "classify",
    "format",
    "indicators",
    "problems",
    "regions",
    "selection",
    "survey",
    "tables",
    "text",
    "user_text",
    "views",
    "workshop",
]
