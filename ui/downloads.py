"""Download buttons: tables as CSV and Excel with a sheet of sources and definitions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.survey import pipeline as survey_pipeline
from analysis.survey import stats
from analysis.views import exports
from ui import loaders, survey_session


def export_rule(survey: survey_session.SessionSurvey | None) -> str:
    """Return the small-numbers rule an export with survey figures states ("" without them)."""
    if survey is None:
        return ""
    return (
        f"Eigen enquête: {stats.suppression_rule(survey.result.min_n, survey.result.indicative_n)}"
    )


def download_buttons(frame: pd.DataFrame, meta, stem: str, *, key: str) -> None:
    """Offer a table as CSV and Excel (with a sheet of sources and definitions).

    The files are made when the button is clicked (a callable: Streamlit's deferred download),
    not on every rerun: a rerun only draws the buttons (issue #14, time per rerun).
    """
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(
        "Download CSV",
        lambda: exports.table_to_csv(frame, meta),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    c2.download_button(
        "Download Excel",
        lambda: exports.table_to_excel(frame, meta),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
    )


def survey_downloads(
    survey: survey_session.SessionSurvey, indicator_id: str, gemeente_code: str
) -> None:
    """Offer the (suppressed) survey estimates of one indicator as CSV and Excel."""
    regions, _ = survey_session.survey_inputs(gemeente_code)
    names = dict(zip(regions["code"], regions["name"], strict=True))
    gemeente_name = loaders.gemeente_names().get(gemeente_code, gemeente_code)
    # One decimal for percentages, interval bounds and n_eff; headers that say what each
    # column is (issue 11, item 7).
    frame = survey_pipeline.download_frame(
        survey.result, indicator_id, names, gemeente_name
    ).assign(source=survey.source.id, period=survey.source.period)
    cat = survey_session.session_catalogue(gemeente_code)
    rule = stats.suppression_rule(survey.result.min_n, survey.result.indicative_n)
    meta = exports.export_meta(
        cat,
        frame,
        title=f"{cat.indicator(indicator_id).label} per wijk ({survey.source.title})",
        built_on=loaders.snapshot().manifest["built_on"],
        suppression_rule=rule,
        column_labels=survey_pipeline.DOWNLOAD_LABELS,
    )
    download_buttons(frame, meta, f"enquete_{indicator_id}", key="enquete")
