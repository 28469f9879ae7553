"""A seeded generator of a FICTITIOUS respondent-level survey, anchored on RIVM wijk estimates.

FICTIEF — NIET ECHT. Every respondent this module makes up is invented: no row describes a real
person, and no figure computed from these rows says anything about a real wijk. The data exist
to demonstrate the import, the small-number suppression and the charts of the dashboard, and
to test them. Every frame carries ``frame.attrs["fictief"] = True`` and every respondent id
starts with ``FICTIEF-``.

How it is made plausible: per wijk, each respondent's De Jong Gierveld 11-item score (0–11) is
drawn from a distribution calibrated so that the share scoring 3+ equals the wijk's RIVM
``eenzaam`` estimate and the share scoring 9+ equals ``ernstig_eenzaam`` (`score_distribution`).
The item answers are then chosen to give exactly that score under the standard scoring (where
"min of meer" always counts). Moeite met rondkomen, mantelzorg and vrijwilligerswerk follow the
wijk's RIVM percentages; the single loneliness item follows the score.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.regions import gemeente_code_of, level_of_code, wijk_code_of
from analysis.survey.instrument import (
    DEFAULT_VOORZIENINGEN,
    DJG11_ORDER,
    EMOTIONAL,
    RIVM_LINKS,
    SUBSCALE_RIVM,
)
from analysis.survey.questionnaire import canonical_columns

#: RIVM indicators (percentages) the generator is anchored on.
ANCHOR_INDICATORS = (
    RIVM_LINKS["eenzaam"],
    RIVM_LINKS["ernstig_eenzaam"],
    SUBSCALE_RIVM["emotioneel"],
    SUBSCALE_RIVM["sociaal"],
    RIVM_LINKS["moeite_rondkomen"],
    RIVM_LINKS["mantelzorg"],
    RIVM_LINKS["vrijwilligerswerk"],
)

#: Used only when no wijk of the gemeente has an RIVM figure for an indicator: round values of
#: the order of Dutch adults as a whole. Good enough for made-up data; never shown as a figure.
FALLBACK_ANCHORS = {
    "eenzaam": 47.0,
    "ernstig_eenzaam": 11.0,
    "emotioneel_eenzaam": 30.0,
    "sociaal_eenzaam": 30.0,
    "moeite_rondkomen": 18.0,
    "mantelzorger": 14.0,
    "vrijwilligerswerk": 27.0,
}

#: Columns of a generated frame: the canonical schema without the 6-item block (the example
#: fields the 11-item scale; the 6 short-scale items are a subset of it).
EXAMPLE_COLUMNS = tuple(c for c in canonical_columns() if not c.startswith("djg6_"))

ID_PREFIX = "FICTIEF-"

#: Shape of the score distribution within each band (0–2, 3–8, 9–11); each sums to 1. Lower
#: scores are the more common within a band, as in population surveys.
_BAND_SHAPES = (
    np.array([0.50, 0.30, 0.20]),
    np.array([0.26, 0.20, 0.16, 0.14, 0.13, 0.11]),
    np.array([0.45, 0.33, 0.22]),
)

#: Respondent counts of the default design: a few wijken below 30 (suppressed), a few 30–49
#: (indicatief), the rest large enough to read.
_SMALL, _MIDDLE, _LARGE = (12, 29), (30, 49), (60, 240)

#: Share of respondents who name their area in each way (the rest use the CBS wijk code).
_FORM_SHARES = {"buurt": 0.03, "gemeente-wijk": 0.10, "naam": 0.10}

#: (gebruikt, kent maar gebruikt niet, kent niet) per default voorziening.
_VOORZIENING_PROBS = {
    "buurthuis": (0.22, 0.55, 0.23),
    "huisarts": (0.82, 0.16, 0.02),
    "bibliotheek": (0.35, 0.55, 0.10),
    "wijkteam": (0.08, 0.47, 0.45),
    "sportvereniging": (0.30, 0.60, 0.10),
}


def score_distribution(p_lonely: float, p_severe: float) -> np.ndarray:
    """Return P(score = 0..11) on the DJG 11-item scale with the given shares 3+ and 9+.

    Parameters
    ----------
    p_lonely : float
        Share (0–1) scoring 3 or more: "eenzaam".
    p_severe : float
        Share (0–1) scoring 9 or more: "ernstig eenzaam"; at most ``p_lonely``.

    Returns
    -------
    numpy.ndarray
        Twelve probabilities that sum to 1.

    Raises
    ------
    ValueError
        When the shares are not ``0 <= p_severe <= p_lonely <= 1``.

    Examples
    --------
    >>> probs = score_distribution(0.5, 0.1)
    >>> round(float(probs[3:].sum()), 6), round(float(probs[9:].sum()), 6), len(probs)
    (0.5, 0.1, 12)
    """
    if not 0 <= p_severe <= p_lonely <= 1:
        raise ValueError(
            f"Aandelen eenzaam {p_lonely!r} en ernstig eenzaam {p_severe!r} kloppen niet: "
            "verwacht 0 <= ernstig <= eenzaam <= 1"
        )
    low, mid, high = _BAND_SHAPES
    return np.concatenate([(1 - p_lonely) * low, (p_lonely - p_severe) * mid, p_severe * high])


def wijk_anchors(rivm: pd.DataFrame, areas: pd.DataFrame, gemeente_code: str) -> pd.DataFrame:
    """Return the anchor percentages per wijk of one gemeente, gaps filled.

    Parameters
    ----------
    rivm : pandas.DataFrame
        ``code, indicator, value`` (percentages), at most one row per code and indicator.
    areas : pandas.DataFrame
        ``code, name`` of the gemeente's wijken (and buurten), one indeling.
    gemeente_code : str
        The gemeente, e.g. ``GM0080``.

    Returns
    -------
    pandas.DataFrame
        One row per wijk in code order: ``code, name``, one column per `ANCHOR_INDICATORS`
        and ``aangevuld`` (how many of them were missing for the wijk and were filled with the
        mean of the gemeente's other wijken, or with `FALLBACK_ANCHORS` when none had one).
        ``ernstig_eenzaam`` is capped at ``eenzaam``.

    Examples
    --------
    >>> areas = pd.DataFrame({"code": ["WK008010", "WK008011"], "name": ["Binnenstad", "Oost"]})
    >>> rivm = pd.DataFrame({"code": ["WK008010", "WK008011", "WK008010"],
    ...                      "indicator": ["eenzaam", "eenzaam", "ernstig_eenzaam"],
    ...                      "value": [53.0, 49.0, 12.0]})
    >>> out = wijk_anchors(rivm, areas, "GM0080")
    >>> out[["code", "eenzaam", "ernstig_eenzaam", "mantelzorger", "aangevuld"]].to_dict("records")
    [{'code': 'WK008010', 'eenzaam': 53.0, 'ernstig_eenzaam': 12.0, 'mantelzorger': 14.0, \
'aangevuld': 5}, {'code': 'WK008011', 'eenzaam': 49.0, 'ernstig_eenzaam': 12.0, \
'mantelzorger': 14.0, 'aangevuld': 6}]
    """
    _require(rivm, ("code", "indicator", "value"), "rivm")
    wijken = _wijken(areas, gemeente_code)
    figures = rivm[rivm["indicator"].isin(ANCHOR_INDICATORS) & rivm["code"].isin(wijken["code"])]
    doubled = figures.duplicated(["code", "indicator"])
    if doubled.any():
        first = figures[doubled].iloc[0]
        raise ValueError(
            f"rivm: {first['code']!r} heeft meer dan een waarde voor {first['indicator']!r}; "
            "verwacht een rij per code en indicator (kies eerst een jaar en leeftijdsgroep)"
        )
    wide = figures.pivot(index="code", columns="indicator", values="value")
    wide = wide.reindex(index=wijken["code"], columns=list(ANCHOR_INDICATORS)).astype("float64")
    filled = wide.isna().sum(axis=1).to_numpy()
    for indicator in ANCHOR_INDICATORS:
        column = wide[indicator]
        mean = column.mean()
        wide[indicator] = column.fillna(FALLBACK_ANCHORS[indicator] if np.isnan(mean) else mean)
    wide["ernstig_eenzaam"] = np.minimum(wide["ernstig_eenzaam"], wide["eenzaam"])
    out = wijken.reset_index(drop=True).join(wide.reset_index(drop=True))
    return out.assign(aangevuld=filled.astype("int64"))


def default_sample_sizes(codes: tuple[str, ...], rng: np.random.Generator) -> dict[str, int]:
    """Return varied respondent counts: some wijken below 30, some 30–49, the rest 60–240.

    With three or more wijken at least one falls below 30 and one in 30–49 (about 15 % each),
    so the demo always shows suppressed and indicative figures.

    Examples
    --------
    >>> sizes = default_sample_sizes(("WK1", "WK2", "WK3"), np.random.default_rng(1))
    >>> sorted(sizes) == ["WK1", "WK2", "WK3"], sorted(n // 10 for n in sizes.values())[:2]
    (True, [1, 3])
    """
    order = [codes[i] for i in rng.permutation(len(codes))]
    n_small = max(1, round(0.15 * len(codes))) if len(codes) >= 3 else 0
    bands = [_SMALL] * n_small + [_MIDDLE] * n_small
    bands += [_LARGE] * (len(codes) - len(bands))
    return {
        code: int(rng.integers(lo, hi + 1)) for code, (lo, hi) in zip(order, bands, strict=True)
    }


def generate_example(
    rivm: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    gemeente_code: str,
    seed: int = 2025,
    respondents_per_area: int | Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Generate a FICTITIOUS survey: one row per made-up respondent, in the canonical schema.

    FICTIEF — these respondents do not exist. Use the frame only to demonstrate and test.

    Parameters
    ----------
    rivm : pandas.DataFrame
        ``code, indicator, value``: RIVM percentages per wijk for `ANCHOR_INDICATORS`.
    areas : pandas.DataFrame
        ``code, name`` of the gemeente's wijken and buurten (one indeling); buurten are
        optional and give a few respondents who name a buurt code.
    gemeente_code : str
        The gemeente to generate for, e.g. ``GM0080``.
    seed : int
        Seed of the numpy Generator; the same seed and inputs give the same frame.
    respondents_per_area : int or mapping of str to int, optional
        Respondents per wijk: one number for every wijk, or a count per wijk code (wijken left
        out get none). Default: `default_sample_sizes`.

    Returns
    -------
    pandas.DataFrame
        `EXAMPLE_COLUMNS` as codes (not answer texts): ``respondent_id`` (``FICTIEF-00001``…),
        ``gebied`` (mostly ``WK008010``, some ``0080-10``, wijk names and buurt codes),
        ``postcode`` (empty), ``gewicht`` (0.4–2.5, mean about 1), ``leeftijd`` (18–95), the 11
        DJG items, ``eenzaam_zelf``, ``rondkomen``, the five ``vz_*`` columns, ``mantelzorg``
        and ``vrijwilligerswerk``. ``attrs``: ``fictief`` (True), ``seed``, ``gemeente_code``.

    Raises
    ------
    ValueError
        In Dutch, naming the input and what was expected.

    Examples
    --------
    >>> areas = pd.DataFrame({"code": ["WK008010", "WK008011"], "name": ["Binnenstad", "Oost"]})
    >>> rivm = pd.DataFrame({"code": ["WK008010", "WK008011"], "indicator": ["eenzaam"] * 2,
    ...                      "value": [53.0, 49.0]})
    >>> frame = generate_example(rivm, areas, gemeente_code="GM0080", respondents_per_area=40)
    >>> len(frame), frame.attrs["fictief"], frame["respondent_id"].iloc[0]
    (80, True, 'FICTIEF-00001')
    """
    anchors = wijk_anchors(rivm, areas, gemeente_code)
    rng = np.random.default_rng(seed)
    sizes = _sizes(tuple(anchors["code"]), respondents_per_area, rng)
    buurten = _buurten(areas, gemeente_code)
    unique_names = _unique_names(areas, gemeente_code)
    parts = [
        _wijk_respondents(
            row,
            sizes[row["code"]],
            buurten.get(row["code"], ()),
            row["name"].strip().casefold() in unique_names,
            rng,
        )
        for _, row in anchors.iterrows()
        if sizes.get(row["code"], 0) > 0
    ]
    if not parts:
        raise ValueError("respondents_per_area: geen enkele wijk krijgt respondenten")
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    ids = [f"{ID_PREFIX}{i:05d}" for i in range(1, len(frame) + 1)]
    frame.insert(0, "respondent_id", pd.array(ids, dtype="str"))
    frame = frame[list(EXAMPLE_COLUMNS)]
    frame.attrs = {"fictief": True, "seed": seed, "gemeente_code": gemeente_code}
    return frame


def generate_messy_example(
    rivm: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    gemeente_code: str,
    seed: int = 2025,
    respondents_per_area: int | Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Generate the FICTITIOUS survey of `generate_example` with four realistic data problems.

    For the import demo and its tests. The problems, each in a different row:

    - an answer outside the codebook: ``djg11_3`` is 4 (the scale has 1–3);
    - a missing area: ``gebied`` and ``postcode`` both empty;
    - an unknown area code: a ``WK`` code of the gemeente that is not in ``areas``;
    - a duplicate respondent id: a row repeats the id of another row.

    Returns
    -------
    pandas.DataFrame
        As `generate_example`, plus ``attrs["problemen"]``: one dict per problem with
        ``rij`` (the row in a file with a header line: index + 2), ``kolom``, ``waarde`` and
        ``probleem`` (Dutch), in row order.

    Examples
    --------
    >>> areas = pd.DataFrame({"code": ["WK008010"], "name": ["Binnenstad"]})
    >>> rivm = pd.DataFrame({"code": ["WK008010"], "indicator": ["eenzaam"], "value": [53.0]})
    >>> messy = generate_messy_example(rivm, areas, gemeente_code="GM0080",
    ...                                respondents_per_area=40)
    >>> sorted(p["kolom"] for p in messy.attrs["problemen"])
    ['djg11_3', 'gebied', 'gebied', 'respondent_id']
    """
    clean = generate_example(
        rivm,
        areas,
        gemeente_code=gemeente_code,
        seed=seed,
        respondents_per_area=respondents_per_area,
    )
    if len(clean) < 5:
        raise ValueError(f"Te weinig respondenten ({len(clean)}) voor vier fouten; verwacht 5+")
    # A stream of its own, so the clean rows are identical to generate_example's.
    rng = np.random.default_rng([seed, 1])
    rows = rng.choice(len(clean), size=5, replace=False)
    bad_code, no_area, unknown, duplicate, original = (int(i) for i in rows)
    known = set(areas["code"].astype(str).str.strip())
    unknown_code = next(
        code for n in range(99, -1, -1) if (code := f"WK{gemeente_code[2:6]}{n:02d}") not in known
    )
    messy = clean.copy()
    messy.loc[bad_code, "djg11_3"] = 4
    messy.loc[no_area, ["gebied", "postcode"]] = np.nan
    messy.loc[unknown, "gebied"] = unknown_code
    repeated = messy.loc[original, "respondent_id"]
    messy.loc[duplicate, "respondent_id"] = repeated
    problems = [
        (bad_code, "djg11_3", 4, "antwoord 4 staat niet in de codes (verwacht 1, 2 of 3)"),
        (no_area, "gebied", None, "geen gebied en geen postcode ingevuld"),
        (unknown, "gebied", unknown_code, "onbekende wijkcode"),
        (duplicate, "respondent_id", repeated, f"komt ook voor in rij {original + 2}"),
    ]
    messy.attrs = {
        **clean.attrs,
        "problemen": [
            {"rij": row + 2, "kolom": column, "waarde": value, "probleem": what}
            for row, column, value, what in sorted(problems, key=lambda p: p[0])
        ],
    }
    return messy


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    """Fail naming the frame and the first missing column."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name}: kolom {missing[0]!r} ontbreekt; verwacht de kolommen {', '.join(columns)}"
        )


def _wijken(areas: pd.DataFrame, gemeente_code: str) -> pd.DataFrame:
    """Return ``code, name`` of the gemeente's wijken in code order, or fail."""
    _require(areas, ("code", "name"), "areas")
    codes = areas["code"].astype(str).str.strip()
    mine = codes.map(gemeente_code_of).eq(gemeente_code) & codes.map(level_of_code).eq("wijk")
    # An indeling without names (the offline RIVM 2020 table names no wijk) names it by code.
    names = [
        code if pd.isna(name) or not str(name).strip() else str(name)
        for code, name in zip(codes[mine], areas.loc[mine, "name"], strict=True)
    ]
    wijken = pd.DataFrame({"code": codes[mine], "name": pd.Series(names, index=codes[mine].index)})
    if wijken.empty:
        raise ValueError(f"areas: geen wijken (WK-codes) van gemeente {gemeente_code!r} gevonden")
    doubled = wijken["code"].duplicated()
    if doubled.any():
        raise ValueError(
            f"areas: wijkcode {wijken.loc[doubled, 'code'].iloc[0]!r} staat er meer dan eens in; "
            "verwacht een indeling (een rij per code)"
        )
    return wijken.sort_values("code", ignore_index=True)


def _buurten(areas: pd.DataFrame, gemeente_code: str) -> dict[str, tuple[str, ...]]:
    """Return the buurt codes of each wijk of the gemeente (BU00801001 lies in WK008010)."""
    codes = areas["code"].astype(str).str.strip()
    buurten = sorted(
        set(codes[codes.map(level_of_code).eq("buurt") & codes.str[2:6].eq(gemeente_code[2:6])])
    )
    out: dict[str, list[str]] = {}
    for buurt in buurten:
        out.setdefault(wijk_code_of(buurt), []).append(buurt)
    return {wijk: tuple(members) for wijk, members in out.items()}


def _unique_names(areas: pd.DataFrame, gemeente_code: str) -> set[str]:
    """Return the casefolded names that name one wijk or buurt of the gemeente only.

    A wijk called like one of its buurten (Goutum in Leeuwarden) is ambiguous by name, so its
    made-up respondents give a code instead.
    """
    codes = areas["code"].astype(str).str.strip()
    mine = codes.map(gemeente_code_of).eq(gemeente_code) & codes.map(level_of_code).isin(
        ["wijk", "buurt"]
    )
    names = areas.loc[mine, "name"].dropna().astype(str).str.strip().str.casefold()
    counts = names.value_counts()
    return {name for name, count in counts.items() if count == 1 and name}


def _sizes(
    codes: tuple[str, ...],
    respondents_per_area: int | Mapping[str, int] | None,
    rng: np.random.Generator,
) -> dict[str, int]:
    """Resolve ``respondents_per_area`` to a count per wijk code, or fail naming the problem."""
    if respondents_per_area is None:
        return default_sample_sizes(codes, rng)
    if isinstance(respondents_per_area, int):
        sizes = dict.fromkeys(codes, respondents_per_area)
    else:
        sizes = dict(respondents_per_area)
        unknown = sorted(set(sizes) - set(codes))
        if unknown:
            raise ValueError(
                f"respondents_per_area: {unknown[0]!r} is geen wijk van deze gemeente "
                f"(bekend: {', '.join(codes)})"
            )
    for code, n in sizes.items():
        if not isinstance(n, int) or n < 0:
            raise ValueError(
                f"respondents_per_area: {n!r} voor {code!r} is geen aantal (verwacht 0 of meer)"
            )
    return sizes


def _wijk_respondents(
    anchor: pd.Series,
    n: int,
    buurten: tuple[str, ...],
    name_is_unique: bool,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Return ``n`` made-up respondents of one wijk (all columns but respondent_id)."""
    score = rng.choice(
        12,
        size=n,
        p=score_distribution(anchor["eenzaam"] / 100, anchor["ernstig_eenzaam"] / 100),
    )
    items = _djg11_answers(
        score, anchor["emotioneel_eenzaam"] / max(anchor["sociaal_eenzaam"], 1.0), rng
    )
    age = 18 + np.rint(77 * rng.beta(2.2, 2.0, size=n)).astype("int64")
    columns: dict[str, object] = {
        "gebied": _gebied(anchor["code"], anchor["name"].strip(), buurten, name_is_unique, n, rng),
        "postcode": pd.array([None] * n, dtype="str"),
        "gewicht": _weights(age, rng),
        "leeftijd": age,
        **{f"djg11_{i + 1}": items[:, i] for i in range(items.shape[1])},
        "eenzaam_zelf": _eenzaam_zelf(score, rng),
        "rondkomen": _rondkomen(anchor["moeite_rondkomen"] / 100, n, rng),
        **{
            f"vz_{name}": rng.choice([1, 2, 3], size=n, p=_VOORZIENING_PROBS[name])
            for name in DEFAULT_VOORZIENINGEN
        },
        "mantelzorg": np.where(rng.random(n) < anchor["mantelzorger"] / 100, 1, 2),
        "vrijwilligerswerk": np.where(rng.random(n) < anchor["vrijwilligerswerk"] / 100, 1, 2),
    }
    frame = pd.DataFrame(columns)
    int_columns = [c for c in frame.columns if c not in ("gebied", "postcode", "gewicht")]
    return frame.astype(dict.fromkeys(int_columns, "int64"))


def _djg11_answers(
    score: np.ndarray, emotional_weight: float, rng: np.random.Generator
) -> np.ndarray:
    """Return DJG11 answer codes (n × 11) whose standard score is exactly ``score``.

    Which items count towards the score is drawn without replacement, emotional items
    ``emotional_weight`` times as likely as social ones (Gumbel top-k). A counted item is
    answered "min of meer" or, more often the lonelier the respondent, the lonely extreme;
    an item that does not count gets the other extreme.
    """
    emotional = np.array([subscale == EMOTIONAL for _, subscale in DJG11_ORDER])
    weights = np.where(emotional, emotional_weight, 1.0)
    keys = np.log(weights) + rng.gumbel(size=(len(score), len(weights)))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    counted = rank < score[:, None]
    extreme = rng.random(counted.shape) < (0.35 + 0.05 * score)[:, None]
    lonely_extreme = np.where(emotional, 1, 3)  # "ja" to a negative item, "nee" to a positive
    other_extreme = np.where(emotional, 3, 1)
    answer = np.where(extreme, lonely_extreme, 2)
    return np.where(counted, answer, other_extreme).astype("int64")


def _eenzaam_zelf(score: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return the single-item answer: lonelier on the scale, lonelier on the item; 2 % 9."""
    latent = 0.45 * score + rng.normal(size=len(score))
    code = 5 - np.searchsorted([0.6, 1.8, 3.6, 5.0], latent)
    return np.where(rng.random(len(score)) < 0.02, 9, code).astype("int64")


def _rondkomen(p_moeite: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Return rondkomen codes with P(1 or 2) = ``p_moeite``, a quarter of it 'grote moeite'."""
    return rng.choice([1, 2, 3], size=n, p=[0.25 * p_moeite, 0.75 * p_moeite, 1 - p_moeite])


def _weights(age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return post-stratification-like weights: young people respond less, so weigh more."""
    raw = np.exp(-0.018 * (age - 55) + rng.normal(scale=0.2, size=len(age)))
    return np.round(np.clip(raw / raw.mean(), 0.4, 2.5), 3)


def _gebied(
    code: str,
    name: str,
    buurten: tuple[str, ...],
    name_is_unique: bool,
    n: int,
    rng: np.random.Generator,
) -> pd.api.extensions.ExtensionArray:
    """Return how each respondent named the area: WK code, ``0080-10``, wijk name or buurt."""
    u = rng.random(n)
    buurt = rng.choice(buurten, size=n) if buurten else np.full(n, code)
    share_buurt = _FORM_SHARES["buurt"] if buurten else 0.0
    share_name = _FORM_SHARES["naam"] if name_is_unique else 0.0
    cut_buurt = share_buurt
    cut_dash = cut_buurt + _FORM_SHARES["gemeente-wijk"]
    cut_name = cut_dash + share_name
    out = np.where(
        u < cut_buurt,
        buurt,
        np.where(u < cut_dash, f"{code[2:6]}-{code[6:8]}", np.where(u < cut_name, name, code)),
    )
    return pd.array(out, dtype="str")
