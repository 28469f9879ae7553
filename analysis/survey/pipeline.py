"""From an own survey in canonical columns to suppressed estimates per area: one pure pipeline.

load → validate → score → match areas → estimate → suppress. Only the suppressed table
leaves this module; respondent rows stay with the caller (the user's session).
"""

from __future__ import annotations

from collections.abc import Mapping as AbstractMapping
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import numbers
from analysis.catalogue import (
    FICTITIOUS,
    RIVM_TABLE_ID,
    SURVEY_KIND,
    SURVEY_PREFIX,
    Source,
    survey_id,
)
from analysis.survey import area_keys as areas
from analysis.survey import columns, scales, stats

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
        Dutch messages, one per column and value, naming file (and sheet), rows, the file's
        own column header and what was expected: answers outside the codebook (missing for
        that question only), duplicate respondent ids and bad weights (those rows are left
        out).
    notes : list of str
        What the problems did to each scale (its missing-item rule), and areas whose SPSS
        label and number disagree.
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
    notes: list[str] = field(default_factory=list)


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
    answers: AbstractMapping[str, AbstractMapping[str, scales.AnswerChoice]] | None = None,
    headers: AbstractMapping[str, str] | None = None,
    sheet: str | None = None,
) -> SurveyResult:
    """Score an own survey and estimate every indicator per area, suppressed.

    An answer outside the codebook is missing for that question only: the respondent stays in
    every indicator it does not feed, and the scale's own missing-item rule decides whether the
    scale still gets a score (`SurveyResult.notes` says how many lost it). Problems are listed
    once per column and value, with the number of rows and the first few row numbers.
    Respondents placed in another gemeente are listed, never counted (not in the total
    either); respondents whose area is unknown count in the gemeente total only.

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
        SPSS value labels per (canonical) column. Those of ``gebied`` are area names: the
        label decides over the number (`area_keys.label_areas`).
    postcode_table : pandas.DataFrame, optional
        A CBS postcode → buurt table for rows that give a postcode instead of an area.
    min_n, indicative_n : int
        Suppression thresholds.
    answers : mapping, optional
        The answer step's choices per column (`columns.Mapping.answers`).
    headers : mapping, optional
        ``{canonical column: the file's own header}``, so messages name the file's column.
    sheet : str, optional
        The Excel sheet, named in messages when the workbook has several.

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
    # (indexed only for the rows a message names: no list of 500 000 numbers is made)
    rows = row_numbers if row_numbers is not None else range(2, len(frame) + 2)
    headers = dict(headers or {})
    labels = dict(value_labels or {})
    where = file_name if not sheet else f"{file_name}, tabblad {sheet!r}"
    problems: list[str] = []
    bad: set[int] = set()

    # Whether the ids are all different is pyarrow's hashing, which lets go of the GIL: it
    # runs on the other core while the answers are scored (500 000 ids: 30-50 ms).
    with ThreadPoolExecutor(max_workers=1) as beside:
        ids_differ = beside.submit(
            lambda: "respondent_id" not in data.columns or _all_different(data["respondent_id"])
        )
        # Answer columns with an answer-step choice are read by the choice, not the SPSS label.
        scored = scales.score_survey(data, value_labels=labels, answers=answers)
        all_different = ids_differ.result()
    problems += _answer_problems(scored.errors, rows, where, headers, labels)
    notes = _scale_notes(scored)

    if not all_different:
        ids = data["respondent_id"]
        # factorize + bincount: what duplicated(keep=False) says, faster on 500 000 rows.
        codes, _ = pd.factorize(ids, use_na_sentinel=True)
        counts = np.bincount(codes[codes >= 0], minlength=1)
        dup = pd.Series((codes >= 0) & (counts[np.maximum(codes, 0)] > 1), index=ids.index)
        groups: dict[str, list[int]] = {}
        for pos in positions[dup.to_numpy()]:
            groups.setdefault(repr(ids.iloc[pos]), []).append(int(pos))
            bad.add(int(pos))
        for shown, found in groups.items():
            problems.append(
                f"{where}, {_rows_text([rows[p] for p in found])}, kolom "
                f"{headers.get('respondent_id', 'respondent_id')!r}: {shown} komt meer dan eens "
                "voor (verwacht: uniek nummer per respondent); deze rijen tellen niet mee"
            )

    weights = None
    # An empty weight column (the questionnaire's data file has one) means: not weighted.
    if "gewicht" in data.columns and data["gewicht"].notna().any():
        raw_weights = data["gewicht"]
        weights, ambiguous = _parse_weights(raw_weights)
        # "inf" is no number; it is no weight (issue 13: it stopped the whole analysis).
        wrong = weights.isna() | (weights <= 0) | weights.abs().eq(float("inf"))
        by_value: dict[str, list[int]] = {}
        for pos in positions[wrong.to_numpy()]:
            shown = "leeg" if pd.isna(raw_weights.iloc[pos]) else repr(raw_weights.iloc[pos])
            by_value.setdefault(shown, []).append(int(pos))
            bad.add(int(pos))
        for shown, found in by_value.items():
            expected = (
                "een eenduidig getal: 1.200 kan 1,2 of 1200 zijn; schrijf 1,2 of 1200"
                if ambiguous[found[0]]
                else "een getal groter dan 0"
            )
            problems.append(
                f"{where}, {_rows_text([rows[p] for p in found])}, kolom "
                f"{headers.get('gewicht', 'gewicht')!r}: {shown} "
                f"is geen geldig gewicht (verwacht: {expected})"
            )

    kept = np.ones(len(data), dtype=bool)
    kept[list(bad)] = False
    keep = np.flatnonzero(kept)
    values = data["gebied"] if "gebied" in data.columns else pd.Series(None, index=positions)
    if "gebied" in labels and "gebied" in data.columns:
        values, area_notes = areas.label_areas(
            values, labels["gebied"], regions, gemeente_code=gemeente_code, level=level
        )
        notes += [f"{where}, kolom {headers.get('gebied', 'gebied')!r}: {n}" for n in area_notes]
    postcodes = data["postcode"] if "postcode" in data.columns else None
    if len(keep) < len(data):
        values = values.iloc[keep]
        postcodes = postcodes.iloc[keep] if postcodes is not None else None
    match = areas.match_areas(
        values,
        regions,
        gemeente_code=gemeente_code,
        level=level,
        postcode_table=postcode_table,
        postcodes=postcodes,
    )
    unmatched = match.unmatched.copy()
    if "first_rows" in unmatched.columns:
        unmatched["first_rows"] = [
            tuple(rows[int(i)] for i in firsts) for firsts in unmatched["first_rows"]
        ]
    if "column" in unmatched.columns:
        unmatched["column"] = [headers.get(c, c) for c in unmatched["column"]]

    # Rows placed in another gemeente are listed (unmatched), never counted, not even in the
    # gemeente total (issue 11, item 5).
    outside = match.with_reason(areas.REASON_OTHER_GEMEENTE)
    counted = keep[~outside]
    # (a Categorical: one small integer per row, no text)
    codes = match.area_codes()[~outside]
    every_row = len(counted) == len(data)  # then `counted` is every position, in order
    scored_frame = (scored.frame if every_row else scored.frame.iloc[counted]).assign(area=codes)
    if weights is not None:
        counted_weights = weights if every_row else weights.iloc[counted]
        scored_frame = scored_frame.assign(gewicht=counted_weights.to_numpy())
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
        used=match.matched(),
        match_counts=match.counts,
        unmatched=unmatched,
        problems=problems,
        scales=scored.scales,
        skipped=scored.skipped,
        level=level,
        min_n=min_n,
        indicative_n=indicative_n,
        notes=notes,
    )


#: How many row numbers a problem lists before "en nog …".
FIRST_ROWS = 5


def _rows_text(rows: Sequence[int]) -> str:
    """Return ``rij 4``, ``rij 4 en 9 (2 rijen)`` or ``rij 2, 3, 4, 5, 6 en nog 7 (12 rijen)``.

    Examples
    --------
    >>> _rows_text([4]), _rows_text([4, 9]), _rows_text(list(range(2, 14)))
    ('rij 4', 'rij 4 en 9 (2 rijen)', 'rij 2, 3, 4, 5, 6 en nog 7 (12 rijen)')
    """
    if len(rows) == 1:
        return f"rij {rows[0]}"
    shown = [str(r) for r in rows[:FIRST_ROWS]]
    if len(rows) <= FIRST_ROWS:
        listed = ", ".join(shown[:-1]) + f" en {shown[-1]}"
    else:
        listed = ", ".join(shown) + f" en nog {len(rows) - FIRST_ROWS}"
    return f"rij {listed} ({len(rows)} rijen)"


def _answer_problems(
    errors: Sequence[scales.AnswerError],
    rows: Sequence[int],
    where: str,
    headers: AbstractMapping[str, str],
    labels: AbstractMapping[str, AbstractMapping[object, str]],
) -> list[str]:
    """Return one message per column and value: rows, count, the file's header, expected."""
    groups: dict[tuple[str, str], list[int]] = {}
    expected: dict[tuple[str, str], tuple[str, ...]] = {}
    for err in errors:
        shown = scales._show(err.value)
        label = scales._label_for(err.value, labels.get(err.column, {}))
        if label is not None:
            shown = f"{str(label)!r} (code {shown})"
        key = (err.column, shown)
        groups.setdefault(key, []).append(rows[cast(int, err.row)])  # RangeIndex: positions
        expected[key] = err.expected
    ordered = sorted(groups.items(), key=lambda kv: (min(kv[1]), kv[0][0]))
    return [
        f"{where}, {_rows_text(sorted(found))}, kolom {headers.get(column, column)!r}: {shown} "
        f"is geen geldig antwoord (verwacht: {', '.join(expected[(column, shown)])})"
        for (column, shown), found in ordered
    ]


def _scale_notes(scored: scales.ScoredSurvey) -> list[str]:
    """Say, per scale, how many respondents an invalid answer cost a score, and by which rule."""
    notes = []
    for scale in scales.all_scales():
        if scale.id not in scored.scales:
            continue
        rows = {e.row for e in scored.errors if e.column in scale.columns}
        if not rows:
            continue
        first = scale.indicators[0].id
        lost = int(scored.frame.loc[list(rows), first].isna().sum())
        people = "respondent" if len(rows) == 1 else "respondenten"
        notes.append(
            f"{scale.name}: {len(rows)} {people} met een ongeldig antwoord (telt als ontbrekend "
            f"voor die vraag); {lost} daarvan zonder score op deze schaal. Regel: "
            f"{scale.missing_rule} Bij de andere vragen tellen zij gewoon mee."
        )
    return notes


def _reference(rivm: pd.DataFrame | None, indicator_ids: Sequence[str]) -> pd.DataFrame | None:
    """Turn RIVM estimates (catalogue ids) into a reference keyed by survey indicator ids."""
    if rivm is None or rivm.empty:
        return None
    # Only where the definitions match (issue #12): mantelzorg is not RIVM's "mantelzorger".
    pairs = {s: r for s, r in scales.rivm_comparable().items() if s in set(indicator_ids)}
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
    different = scales.rivm_difference(indicator_id)
    if different:
        out["Anders dan RIVM"] = [f"niet getoetst: {different}"] * len(out)
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
        kind=FICTITIOUS if fictitious else SURVEY_KIND,
        credit=credit,
        licence="",
        table_id=file_name,
        period=year,
        indeling=indeling,
    )


def significance_note(estimates: pd.DataFrame, indicator_id: str) -> str:
    """Say how many areas differ from the rest of the gemeente, and what chance alone gives.

    Examples
    --------
    >>> est = pd.DataFrame({"area": ["WK1", "WK2", "totaal"], "indicator": ["enq_x"] * 3,
    ...     "value": [40.0, None, 30.0], "sig_vs_gemeente": ["hoger", "", ""]})
    >>> significance_note(est, "enq_x").split(".")[0]
    '1 van de 1 getoetste gebieden verschillen significant (95 %)'
    """
    part = estimates[
        (estimates["indicator"] == indicator_id)
        & (estimates["area"] != stats.TOTAL_AREA)
        & estimates["value"].notna()
    ]
    if part.empty:
        return ""
    found = int((part["sig_vs_gemeente"].fillna("").astype("str") != "").sum())
    return stats.multiple_testing_note(len(part), found)


class SurveyFile(Protocol):
    """A survey file as read: what the analysis needs of it (`data.survey.RawSurvey` is one).

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per respondent, under the file's own headers.
    file_name : str
        Named in every message.
    row_numbers : sequence of int
        The file row of each frame row (empty: the row after the header, counted from 2).
    value_labels : mapping
        SPSS value labels by the file's own column names (empty for CSV and Excel).
    """

    @property
    def frame(self) -> pd.DataFrame:
        """The respondents' rows."""
        ...

    @property
    def file_name(self) -> str:
        """The upload's name."""
        ...

    @property
    def row_numbers(self) -> Sequence[int]:
        """The file row of each frame row."""
        ...

    @property
    def value_labels(self) -> AbstractMapping[str, AbstractMapping[Any, str]]:
        """SPSS value labels by column."""
        ...


def analyse_mapped(
    survey: SurveyFile,
    mapping: columns.Mapping,
    regions: pd.DataFrame,
    *,
    gemeente_code: str,
    level: str = "wijk",
    rivm: pd.DataFrame | None = None,
    sheet: str | None = None,
    postcode_table: pd.DataFrame | None = None,
    min_n: int = MIN_N,
    indicative_n: int = INDICATIVE_N,
) -> SurveyResult:
    """Map a survey file as read (columns and answers) and analyse it: what page and CLI run.

    Parameters
    ----------
    survey : SurveyFile
        The file as read (`data.survey.RawSurvey`): frame, name, row numbers, value labels.
    mapping : columns.Mapping
        Confirmed columns and answer choices (or the automatic proposal).
    regions, gemeente_code, level, rivm, sheet, postcode_table, min_n, indicative_n
        As in `analyse_survey`.

    Raises
    ------
    columns.MappingError
        When the mapping cannot be used for this file.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> regions = pd.DataFrame({"code": ["WK008010"], "name": ["A"], "level": "wijk",
    ...                         "gemeente_code": "GM0080"})
    >>> raw = pd.DataFrame({"Wijk": ["A"] * 30, "Moeite met rondkomen": ["Nee"] * 30})
    >>> read = SimpleNamespace(frame=raw, file_name="e.csv", row_numbers=(), value_labels={})
    >>> mapping = columns.propose_mapping(list(raw.columns))
    >>> result = analyse_mapped(read, mapping, regions, gemeente_code="GM0080")
    >>> result.estimates[["area", "n", "value"]].values.tolist()[0]
    ['WK008010', 30, 0.0]
    """
    frame = columns.apply_mapping(survey.frame, mapping, file_name=survey.file_name)
    labels = dict(survey.value_labels or {})
    by_target = {t: labels[s] for t, s in mapping.sources.items() if s in labels}
    return analyse_survey(
        frame,
        regions,
        gemeente_code=gemeente_code,
        file_name=survey.file_name,
        level=level,
        rivm=rivm,
        row_numbers=survey.row_numbers or None,
        value_labels=by_target,
        postcode_table=postcode_table,
        min_n=min_n,
        indicative_n=indicative_n,
        answers=mapping.answers,
        headers=mapping.sources,
        sheet=sheet,
    )


#: Columns of the command line's output (unrounded; `export_rows`).
EXPORT_COLUMNS = (
    "code",
    "indicator",
    "n",
    "n_eff",
    "pct",
    "ci_low",
    "ci_high",
    "shown",
    "indicative",
)


def export_rows(result: SurveyResult, gemeente_code: str) -> pd.DataFrame:
    """Return one row per area and indicator, unrounded, as the command line writes them.

    The gemeente row carries the gemeente code; a suppressed cell has ``shown`` False and no
    ``pct``, ``ci_low``, ``ci_high`` or ``n_eff``.

    Examples
    --------
    >>> est = pd.DataFrame({"area": ["WK1", "totaal"], "indicator": ["enq_x"] * 2,
    ...     "n": [12, 80], "n_eff": [None, 70.5], "value": [None, 41.25], "ci_low": [None, 30.5],
    ...     "ci_high": [None, 52.3], "status": ["onderdrukt", "indicatief"]})
    >>> res = SurveyResult(est, [], 80, 80, {}, pd.DataFrame())
    >>> export_rows(res, "GM0001").values.tolist()[1]
    ['GM0001', 'x', 80, 70.5, 41.25, 30.5, 52.3, True, True]
    """
    est = result.estimates
    total = est["area"] == stats.TOTAL_AREA
    return pd.DataFrame(
        {
            "code": est["area"].where(~total, gemeente_code).astype("str"),
            "indicator": est["indicator"].astype("str").str.removeprefix(SURVEY_PREFIX),
            "n": est["n"].astype("int64"),
            "n_eff": est["n_eff"].astype("float64"),
            "pct": est["value"].astype("float64"),
            "ci_low": est["ci_low"].astype("float64"),
            "ci_high": est["ci_high"].astype("float64"),
            "shown": est["value"].notna(),
            "indicative": est["status"] == stats.INDICATIVE,
        },
        columns=list(EXPORT_COLUMNS),
    ).reset_index(drop=True)


#: Dutch headers of the survey downloads: each says what the column holds.
DOWNLOAD_LABELS = {
    "naam": "Gebied",
    "area": "Code",
    "value": "Percentage (%)",
    "ci_low": "95%-betrouwbaarheidsinterval, ondergrens (%)",
    "ci_high": "95%-betrouwbaarheidsinterval, bovengrens (%)",
    "n": "Aantal antwoorden (n)",
    "effectief_n": "Effectief aantal antwoorden na weging (n_eff, Kish)",
    "sig_vs_gemeente": "Anders dan de rest van de gemeente",
    "sig_vs_rivm": "Anders dan de RIVM-schatting",
    "status": "Status (onderdrukt / indicatief)",
    "reason": "Reden niet getoond",
}
#: Decimals of percentages, interval bounds and n_eff in the survey downloads.
DOWNLOAD_DECIMALS = 1


def download_frame(
    result: SurveyResult,
    indicator_id: str,
    names: AbstractMapping[str, str],
    gemeente_name: str,
) -> pd.DataFrame:
    """Return the survey estimates of one indicator as the downloads write them.

    Percentages, interval bounds and n_eff carry `DOWNLOAD_DECIMALS` decimals (the
    ``decimals`` column tells the exporter); headers come from `DOWNLOAD_LABELS`.

    Examples
    --------
    >>> est = pd.DataFrame({"area": ["WK1", "totaal"], "indicator": ["enq_x"] * 2,
    ...     "n": [40, 80], "n_eff": [35.25, 70.5], "value": [40.04, 41.25], "ci_low": [30.0, 31.0],
    ...     "ci_high": [50.0, 52.3], "sig_vs_gemeente": ["", ""], "sig_vs_rivm": ["", ""],
    ...     "status": ["indicatief", ""], "reason": ["", ""]})
    >>> res = SurveyResult(est, [], 80, 80, {}, pd.DataFrame())
    >>> download_frame(res, "enq_x", {"WK1": "Noord"}, "Leeuwarden")["naam"].tolist()
    ['Noord', 'Leeuwarden']
    """
    est = result.estimates
    part = est[est["indicator"] == indicator_id]
    return pd.DataFrame(
        {
            "naam": [
                gemeente_name if a == stats.TOTAL_AREA else names.get(a, a) for a in part["area"]
            ],
            "area": part["area"].to_numpy(),
            "indicator": part["indicator"].to_numpy(),
            "value": part["value"].to_numpy(),
            "ci_low": part["ci_low"].to_numpy(),
            "ci_high": part["ci_high"].to_numpy(),
            "n": part["n"].astype("int64").to_numpy(),
            "effectief_n": part["n_eff"].astype("float64").to_numpy(),
            "sig_vs_gemeente": part["sig_vs_gemeente"].to_numpy(),
            "sig_vs_rivm": part["sig_vs_rivm"].to_numpy(),
            "status": part["status"].to_numpy(),
            "reason": part["reason"].to_numpy(),
            "decimals": DOWNLOAD_DECIMALS,
        }
    )


def area_values(
    raw_frame: pd.DataFrame,
    mapping: columns.Mapping,
    value_labels: AbstractMapping[str, AbstractMapping[object, str]] | None = None,
) -> pd.Series | None:
    """Return the mapped area column of a file, SPSS codes read as their labels (None: none).

    What the level and gemeente proposals look at, on the page and on the command line.

    Examples
    --------
    >>> raw = pd.DataFrame({"wijk": [10.0, 11.0]})
    >>> m = columns.propose_mapping(["wijk"])
    >>> area_values(raw, m, {"wijk": {10.0: "Binnenstad"}}).tolist()
    ['Binnenstad', 11.0]
    """
    source = mapping.sources.get("gebied")
    if source is None or source not in raw_frame.columns:
        return None
    values = raw_frame[source]
    labels = (value_labels or {}).get(source)
    if labels:
        values = values.map(lambda v: labels.get(v, v))
    return values


def _all_different(ids: pd.Series) -> bool:
    """Tell whether a text column's filled cells are all different (then none is a duplicate).

    Counted by pyarrow without a Python string per cell (500 000 ids: two thirds of the time
    of ``factorize``); False for any other column, which the caller then checks itself.

    Examples
    --------
    >>> _all_different(pd.Series(["a", "b", None], dtype="str"))
    True
    >>> _all_different(pd.Series(["a", "a"], dtype="str")), _all_different(pd.Series([1, 2]))
    (False, False)
    >>> _all_different(pd.Series(["a", "b", "a"], dtype="category"))
    False
    """
    if isinstance(ids.dtype, pd.CategoricalDtype):  # a CSV column: one code per text
        codes = ids.cat.codes.to_numpy()
        used = codes[codes >= 0]
        return not len(used) or int(np.bincount(used).max()) == 1
    if not isinstance(ids.dtype, pd.StringDtype) or ids.dtype.storage != "pyarrow":
        return False
    cells = pa.chunked_array(pa.array(ids.array))
    filled = len(cells) - cells.null_count
    distinct = pc.unique(cells)  # (a null, if any, is one of them)
    return len(distinct) - distinct.null_count == filled


def _parse_weights(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse a weight column as people type numbers; ambiguous cells are NaN and flagged.

    The column decides whether ``1.200`` is 1,2 or 1200 (`analysis.numbers`); when nothing
    in it decides, the cell is not guessed (issue 13). Each distinct value is parsed once.

    Examples
    --------
    >>> w, amb = _parse_weights(pd.Series(["1.200", "0,8", None]))
    >>> w.tolist(), amb.tolist()
    ([1200.0, 0.8, nan], [False, False, False])
    >>> w, amb = _parse_weights(pd.Series(["1.200", "2"]))
    >>> w.tolist(), amb.tolist()
    ([nan, 2.0], [True, False])
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    decimal = numbers.column_decimal(list(uniques))
    parsed = [numbers.parse_number(v, decimal) for v in uniques]
    values = np.array([p if isinstance(p, float) else np.nan for p in parsed] + [np.nan])
    flags = np.array([p == numbers.AMBIGUOUS for p in parsed] + [False])
    # codes == -1 (empty cell) picks the trailing NaN / False
    return pd.Series(values[codes], index=raw.index), flags[codes]
