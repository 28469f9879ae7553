"""The Wijkprofiel page's texts and tables for one wijk, shared where they hold public data only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis import selection, tables
from analysis.catalogue import Catalogue
from analysis.views import exports, profile, trends
from paths import active_snapshot
from ui import loaders


@dataclass(frozen=True)
class ProfileParts:
    """What the wijkprofiel shows besides the chart: read-only, shared when public."""

    redivision: list[str]
    sentences: list[str]
    phone_lines: list[str]
    display: pd.DataFrame
    meta: exports.ExportMeta


def build_parts(
    table: pd.DataFrame,
    cat: Catalogue,
    *,
    code: str,
    area: str,
    gemeente: str,
    region_name: str | None,
    suppression_rule: str = "",
) -> ProfileParts:
    """Make the profile's warnings, sentences, phone lines, table and export notes.

    ``table`` is the profile (`analysis.views.profile.snapshot_profile`, with the session's
    survey rows when there are any; then ``suppression_rule`` states their rule).
    """
    return ProfileParts(
        redivision=trends.redivision_warnings(
            loaders.snapshot().regions, code, [int(i) for i in table["indeling"].dropna().unique()]
        ),
        sentences=profile.profile_text(
            tables.prioritised(table), area=area, gemeente=gemeente, catalogue=cat
        ),
        phone_lines=tables.phone_lines(table, area=area, gemeente=gemeente),
        display=tables.profile_display(table, area=area, gemeente=gemeente, region=region_name),
        meta=exports.export_meta(
            cat,
            table,
            title=f"Wijkprofiel {area} ({gemeente})",
            built_on=loaders.snapshot().manifest["built_on"],
            suppression_rule=suppression_rule,
            margin_rule=profile.MARGIN_RULE,
            column_labels={
                "value": area,
                "gemeente": gemeente,
                **({"ggd": region_name} if region_name else {}),
            },
        ),
    )


def public_parts(gemeente_code: str, code: str, gemeente: str) -> ProfileParts:
    """Return `build_parts` of an area's public profile, made once per area for every session.

    Public data only (`ui.loaders.profile_snapshot`): a session with its own survey builds its
    parts with `build_parts` on its own table instead. Read-only; about half of a profile
    rerun's CPU (issue #14).
    """
    return _public_parts(gemeente_code, code, gemeente, str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=256)
def _public_parts(gemeente_code: str, code: str, gemeente: str, folder: str) -> ProfileParts:
    region = loaders.ggd_of(gemeente_code)
    return build_parts(
        loaders.profile_snapshot(gemeente_code, code),
        loaders.catalogue(),
        code=code,
        area=area_name(code),
        gemeente=gemeente,
        region_name=region[1] if region else None,
    )


def area_name(code: str) -> str:
    """Return `analysis.selection.area_name` of a code (public, made once per code)."""
    return _area_name(code, str(active_snapshot()))


@st.cache_resource(show_spinner=False, max_entries=4096)
def _area_name(code: str, folder: str) -> str:
    return selection.area_name(loaders.snapshot().regions, code)
