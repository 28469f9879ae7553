"""From an own survey in canonical columns to suppressed estimates per area: one pure pipeline.

load → validate → score → match areas → estimate → suppress. Only the suppressed table
leaves this module; respondent rows stay with the caller (the user's session).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from analysis.catalogue import RIVM_TABLE_ID, SURVEY_KIND, SURVEY_PREFIX, Source, survey_id
from analysis.survey import area_keys as areas
from analysis.survey import scales, stats

#: Default small-number rule (GGD practice): hide below 30, mark "indicatief" below 50.
MIN_N = 30
INDICATIVE_N = 50


@dataclass(frozen=True)
class SurveyResult:
    """What an own survey yields, with nothing at respondent level.

    Attributes
    ----------
    estimates : pandas.DataFrame
        ``area, indicator, n, n_eff, value, ci_low, ci_high, sig_vs_gemeente, sig_vs_rivm,
        status, reason`` — already suppressed; ``indicator`` holds catalogue ids (``enq_…``);
        ``area`` a CBS code or `stats.TOTAL_AREA` for the gemeente as a whole.
    indicators : list of dict
        Catalogue entries of the indicators in ``estimates`` (for `Catalogue.with_survey`).
    respondents, used : int
        Rows in the file, and rows that count in the estimates.
    match_counts : dict
        Rows per way the area was matched (code, naam, postcode, niet gekoppeld).
    unmatched : pandas.DataFrame
        Distinct area values that matched nothing, with counts and first rows.
    problems : list of str
        Dutch messages naming file, row, column and value: answers outside the codebook,
        duplicate respondent ids, bad weights. Rows with such a problem are left out.
    scales, skipped : tuple of str
        Scales scored, and scales absent from the file.
    """

    estimates: pd.DataFrame
    indicators: list[dict]
    respondents: int
    used: int
    match_counts: dict[str, int]
    unmatched: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    scales: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    level: str = "wijk"
    min_n: int = MIN_N
    indicative_n: int = INDICATIVE_N


def analyse_survey(
    frame: pd.DataFrame,
    regions: pd.DataFrame,
    *,
    gemeente_code: str,
    file_name: str,
    level: str = "wijk",
    rivm: pd.DataFrame | None = None,
    row_numbers: Sequence[int] | None = None,
    value_labels: dict | None = None,
    postcode_table: pd.DataFrame | None = None,
    min_n: int = MIN_N,
    indicative_n: int = INDICATIVE_N,
) -> SurveyResult:
    """Score an own survey and estimate every indicator per area, suppressed.

    Parameters
    ----------
    frame : pandas.DataFrame
        Respondent rows in the canonical column names (after the mapping step).
    regions : pandas.DataFrame
        ``code, name, level, gemeente_code`` of one indeling.
    gemeente_code : str
        The gemeente the survey is about.
    file_name : str
        Named in every message.
    level : {"wijk", "buurt"}
        Level of the estimates (buurt answers roll up to their wijk).
    rivm : pandas.DataFrame, optional
        ``code, indicator, value``: the RIVM model estimates per area (catalogue ids such as
        ``eenzaam``) to test the survey against.
    row_numbers : sequence of int, optional
        File row of each frame row (from `data.survey.RawSurvey`); default: index + 2.
    value_labels : dict, optional
        SPSS value labels per column.
    postcode_table : pandas.DataFrame, optional
        A CBS postcode → buurt table for rows that give a postcode instead of an area.
    min_n, indicative_n : int
        Suppression thresholds.

    Returns
    -------
    SurveyResult

    Examples
    --------
    >>> regions = pd.DataFrame({"code": ["WK008010", "WK008011"], "name": ["A", "B"],
    ...                         "level": "wijk", "gemeente_code": "GM0080"})
    >>> survey = pd.DataFrame({"gebied": ["WK008010"] * 40 + ["B"] * 40,
    ...                        "rondkomen": [1, 3] * 40})
    >>> result = analyse_survey(survey, regions, gemeente_code="GM0080", file_name="e.csv")
    >>> est = result.estimates
    >>> est[est["indicator"] == "enq_moeite_rondkomen"][["area", "n", "value"]].values.tolist()
    [['WK008010', 40, 50.0], ['WK008011', 40, 50.0], ['totaal', 80, 50.0]]
    """
    positions = pd.RangeIndex(len(frame))
    data = frame.reset_index(drop=True)
    rows = list(row_numbers) if row_numbers is not None else [i + 2 for i in positions]
    problems: list[str] = []
    bad: set[int] = set()

    scored = scales.score_survey(data, value_labels=value_labels)
    for err in scored.errors:
        position = cast(int, err.row)  # `data` has a RangeIndex: a row label is its position
        problems.append(
            err.describe(file_name, first_row=0).replace(
                f"rij {err.row}", f"rij {rows[position]}", 1
            )
        )
        bad.add(position)

    if "respondent_id" in data.columns:
        ids = data["respondent_id"]
        # factorize + bincount: what duplicated(keep=False) says, faster on 500 000 rows.
        codes, _ = pd.factorize(ids, use_na_sentinel=True)
        counts = np.bincount(codes[codes >= 0], minlength=1)
        dup = pd.Series((codes >= 0) & (counts[np.maximum(codes, 0)] > 1), index=ids.index)
        for pos in positions[dup.to_numpy()]:
            problems.append(
                f"{file_name}, rij {rows[pos]}, kolom 'respondent_id': "
                f"{ids.iloc[pos]!r} komt meer dan eens voor (verwacht: uniek nummer per "
                "respondent); deze rijen tellen niet mee"
            )
            bad.add(int(pos))

    weights = None
    # An empty weight column (the questionnaire's data file has one) means: not weighted.
    if "gewicht" in data.columns and data["gewicht"].notna().any():
        raw_weights = data["gewicht"]
        weights = pd.to_numeric(
            raw_weights.astype("str").str.strip().str.replace(",", ".", regex=False),
            errors="coerce",
        )
        # "inf" parses as a number; it is no weight (issue 13: it stopped the whole analysis).
        wrong = weights.isna() | (weights <= 0) | weights.abs().eq(float("inf"))
        for pos in positions[wrong.to_numpy()]:
            shown = "leeg" if pd.isna(raw_weights.iloc[pos]) else repr(raw_weights.iloc[pos])
            problems.append(
                f"{file_name}, rij {rows[pos]}, kolom 'gewicht': {shown} "
                "is geen geldig gewicht (verwacht: een getal groter dan 0)"
            )
            bad.add(int(pos))

    kept = np.ones(len(data), dtype=bool)
    kept[list(bad)] = False
    keep = np.flatnonzero(kept)
    values = data["gebied"] if "gebied" in data.columns else pd.Series(None, index=positions)
    postcodes = data["postcode"] if "postcode" in data.columns else None
    match = areas.match_areas(
        values.iloc[keep],
        regions,
        gemeente_code=gemeente_code,
        level=level,
        postcode_table=postcode_table,
        postcodes=postcodes.iloc[keep] if postcodes is not None else None,
    )
    unmatched = match.unmatched.copy()
    if "first_rows" in unmatched.columns:
        unmatched["first_rows"] = [
            tuple(rows[int(i)] for i in firsts) for firsts in unmatched["first_rows"]
        ]

    scored_frame = scored.frame.iloc[keep].assign(area=match.codes.to_numpy())
    if weights is not None:
        scored_frame = scored_frame.assign(gewicht=weights.iloc[keep].to_numpy())
    reference = _reference(rivm, scored.indicators)
    table = stats.suppressed_estimates(
        scored_frame,
        scored.indicators,
        area_col="area",
        weight_col="gewicht" if weights is not None else None,
        reference=reference,
        min_n=min_n,
        indicative_n=indicative_n,
    )
    table = table.assign(indicator=table["indicator"].map(survey_id))
    present = set(scored.indicators)
    indicators = [d for d in scales.survey_indicators() if d["id"] in present]
    return SurveyResult(
        estimates=table.reset_index(drop=True),
        indicators=indicators,
        respondents=len(data),
        used=int(match.codes.notna().sum()),
        match_counts=match.counts,
        unmatched=unmatched,
        problems=problems,
        scales=scored.scales,
        skipped=scored.skipped,
        level=level,
        min_n=min_n,
        indicative_n=indicative_n,
    )


def _reference(rivm: pd.DataFrame | None, indicator_ids: Sequence[str]) -> pd.DataFrame | None:
    """Turn RIVM estimates (catalogue ids) into a reference keyed by survey indicator ids."""
    if rivm is None or rivm.empty:
        return None
    pairs = {s: r for s, r in scales.rivm_counterparts().items() if s in set(indicator_ids)}
    parts = [
        rivm.loc[rivm["indicator"] == r, ["code", "value"]].assign(indicator=s)
        for s, r in pairs.items()
    ]
    if not parts:
        return None
    out = pd.concat(parts, ignore_index=True).rename(columns={"code": "area"})
    return out[["area", "indicator", "value"]]


#: RIVM figures a survey is set beside: the newest 50090NED round, adults (18+).
RIVM_SOURCE, RIVM_PERIOD, RIVM_AGE = RIVM_TABLE_ID, 2020, "18+"


def rivm_reference(values: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Return ``code, indicator, value`` of the RIVM 2020 18+ estimates for these areas.

    Examples
    --------
    >>> vals = pd.DataFrame({"indicator": ["eenzaam", "eenzaam"], "code": ["WK1", "WK2"],
    ...                      "period": [2020, 2016], "age": ["18+", "18+"],
    ...                      "source": ["50090NED", "50090NED"], "value": [40.0, 41.0]})
    >>> rivm_reference(vals, ["WK1", "WK2"]).values.tolist()
    [['WK1', 'eenzaam', 40.0]]
    """
    mask = (
        (values["source"] == RIVM_SOURCE)
        & (values["period"] == RIVM_PERIOD)
        & (values["age"] == RIVM_AGE)
        & values["code"].isin(list(codes))
        & values["value"].notna()
    )
    out = values.loc[mask, ["code", "indicator", "value"]]
    return out.astype({"indicator": "str", "code": "str"}).reset_index(drop=True)


def survey_regions(regions: pd.DataFrame, gemeente_code: str) -> pd.DataFrame:
    """Return the wijken and buurten of a gemeente in its newest indeling in the snapshot.

    Examples
    --------
    >>> reg = pd.DataFrame({"code": ["WK1", "WK1", "BU1"], "name": ["Oud", "Nieuw", "B"],
    ...                     "level": ["wijk", "wijk", "buurt"], "gemeente_code": ["GM1"] * 3,
    ...                     "indeling": [2020, 2025, 2025]})
    >>> survey_regions(reg, "GM1")[["code", "name"]].values.tolist()
    [['WK1', 'Nieuw'], ['BU1', 'B']]
    """
    own = regions[
        (regions["gemeente_code"] == gemeente_code) & regions["level"].isin(["wijk", "buurt"])
    ]
    if own.empty:
        return own[["code", "name", "level", "gemeente_code"]]
    newest = own["indeling"].max()
    part = own[own["indeling"] == newest]
    return part[["code", "name", "level", "gemeente_code"]].reset_index(drop=True)


def display_table(
    result: SurveyResult,
    indicator_id: str,
    regions: pd.DataFrame,
    rivm: pd.DataFrame | None,
    *,
    decimals: int = 0,
) -> pd.DataFrame:
    """Return the per-area table a person reads: value, CI, n, reason, and the RIVM estimate.

    Suppressed cells show the reason where the number would have been; the RIVM estimate of
    the same theme stands in its own column, labelled, never merged with the survey figure.

    Examples
    --------
    >>> regions = pd.DataFrame({"code": ["WK1"], "name": ["Noord"], "level": ["wijk"],
    ...                         "gemeente_code": ["GM1"]})
    >>> est = pd.DataFrame({"area": ["WK1", "totaal"], "indicator": ["enq_eenzaam"] * 2,
    ...     "n": [12, 80], "n_eff": [None, 70.0], "value": [None, 41.0], "ci_low": [None, 30.5],
    ...     "ci_high": [None, 52.3], "sig_vs_gemeente": ["", ""], "sig_vs_rivm": ["", ""],
    ...     "status": ["onderdrukt", ""], "reason": ["minder dan 30 antwoorden", ""]})
    >>> res = SurveyResult(est, [], 80, 80, {}, pd.DataFrame())
    >>> display_table(res, "enq_eenzaam", regions, None).iloc[0].to_dict()["Waarde"]
    'minder dan 30 antwoorden'
    """
    from analysis.format import MISSING, fmt_interval, fmt_number

    est = result.estimates[
        (result.estimates["indicator"] == indicator_id)
        & (result.estimates["area"] != stats.TOTAL_AREA)
    ]
    names = regions.drop_duplicates("code").set_index("code")["name"]
    pct = "\u00a0%"

    def value(row) -> str:
        if pd.isna(row.value):
            return row.reason or MISSING
        text = f"{fmt_number(row.value, decimals)}{pct}"
        return f"{text} (indicatief)" if row.status == stats.INDICATIVE else text

    def interval(row) -> str:
        return fmt_interval(row.ci_low, row.ci_high, "%", decimals)

    out = pd.DataFrame(
        {
            "Gebied": [names.get(a, a) for a in est["area"]],
            "n": est["n"].astype("int64").to_numpy(),
            "Waarde": [value(r) for r in est.itertuples()],
            "95%-BI": [interval(r) for r in est.itertuples()],
            "Anders dan rest gemeente": est["sig_vs_gemeente"].fillna("").to_numpy(),
            "Anders dan RIVM": est["sig_vs_rivm"].fillna("").to_numpy(),
        }
    )
    counterpart = scales.rivm_counterparts().get(indicator_id.removeprefix(SURVEY_PREFIX))
    if rivm is not None and counterpart:
        ref = rivm[rivm["indicator"] == counterpart].set_index("code")["value"]
        out.insert(
            4,
            "RIVM-schatting 2020",
            [f"{fmt_number(ref[a], decimals)}{pct}" if a in ref.index else "" for a in est["area"]],
        )
    return out.reset_index(drop=True)


#: Source id and age group of own-survey figures in the catalogue.
SURVEY_SOURCE_ID = "enquete"


def survey_source(file_name: str, year: int, indeling: int, *, fictitious: bool) -> Source:
    """Describe an own survey as a catalogue source (credit says when it is fictitious)."""
    if fictitious:
        title = "Fictief voorbeeld van een eigen enquête (geen echte antwoorden)"
        credit = "Bron: fictief voorbeeld, gemaakt door het dashboard"
    else:
        title = f"Eigen enquête ({file_name})"
        credit = "Bron: eigen enquête van de gemeente"
    return Source(
        id=SURVEY_SOURCE_ID,
        title=title,
        publisher="gemeente",
        kind=SURVEY_KIND,
        credit=credit,
        licence="",
        table_id=file_name,
        period=year,
        indeling=indeling,
    )
