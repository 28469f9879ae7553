"""Figures of a larger area (a GGD region, the country) from the figures of its parts.

A region figure is never the plain mean of its gemeenten's percentages: a gemeente of 900 000
inhabitants would count as much as one of 1 000. Each indicator has a `Rule`:

* **counts** (``inwoners``, ``huishoudens``, ``bijstand``) are summed;
* **shares and means of people** are weighted by the population they are a share of: a
  percentage of inhabitants by ``inwoners``, of households by ``huishoudens``; a RIVM estimate
  of adults by the adult population and one of 65-plussers by the 65-plus population (from
  `weights`, see below);
* **density** (inhabitants per km²) is weighted by land area, which is ``inwoners`` divided by
  the density itself, so the region figure is total inhabitants over total land area;
* where the base population is not in the data (``arbeidsparticipatie``: people of 15–75 years;
  ``pct_koopwoningen``: dwellings; ``pct_jeugdzorg``: young people; ``gem_woz``: dwellings;
  income shares: households with a known income), there is **no region figure**, and
  `RULES` says why.

A region figure also needs *every* part: one gemeente without a value (or without a weight)
and the region gets no figure, with the reason, because leaving a part out would silently
change the area the figure describes.

Population weights of the RIVM estimates come from the snapshot's weights table (built from the
RIVM 2016 file: ``Bevolking 19 jaar en ouder`` and ``Bevolking 65 jaar en ouder`` per wijk,
summed to the gemeenten of each indeling). They are the populations of 2016, and 19+ rather than
18+: the nearest counts the sources hold. Weights only decide how much each gemeente counts, so
this shifts a region figure by far less than its rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.catalogue import MODEL_ESTIMATE, REGISTRATION, SURVEY_KIND
from analysis.indicators import ALL_AGES

#: Columns of the snapshot's weights table that weigh a figure.
WEIGHT_COLUMNS = ("code", "age", "weight")

#: How a region figure is made, in one sentence for the pages and exports.
REGION_RULE = (
    "berekend uit de cijfers van alle gemeenten in de regio: aantallen opgeteld, percentages en "
    "gemiddelden gewogen naar de groep waar ze over gaan (inwoners, huishoudens; bij de "
    "RIVM-schattingen de bevolking van 18 jaar en ouder (telling 2016) of van 65 jaar en ouder "
    "(2024)). Geen regiocijfer als een gemeente geen cijfer heeft of de basis niet bekend is."
)

#: Columns of `aggregate`'s result.
AGGREGATE_COLUMNS = (
    "indicator",
    "period",
    "age",
    "source",
    "value",
    "parts",
    "parts_with_value",
    "reason",
)


@dataclass(frozen=True)
class Rule:
    """How one indicator's region figure is made from its parts.

    Attributes
    ----------
    kind : {"sum", "weighted", "population", "none"}
        ``sum``: add the parts. ``weighted``: mean weighted by another indicator of the same
        source and year (``weight``). ``population``: mean weighted by the population of the
        figure's own age group (the weights table). ``none``: no region figure.
    weight : str
        For ``weighted``: the indicator whose value is the weight.
    per_value : bool
        For ``weighted``: the weight is ``weight / value`` (land area = inhabitants / density).
    why : str
        The rule in Dutch, for captions and exports.
    """

    kind: str
    weight: str = ""
    per_value: bool = False
    why: str = ""


_BY_INHABITANTS = Rule("weighted", "inwoners", why="gewogen naar het aantal inwoners")
_BY_HOUSEHOLDS = Rule("weighted", "huishoudens", why="gewogen naar het aantal huishoudens")
_SUM = Rule("sum", why="opgeteld")
_POPULATION = Rule(
    "population",
    why="gewogen naar de bevolking van de leeftijdsgroep (18+ of 65+, telling 2016)",
)


def _none(base: str) -> Rule:
    return Rule("none", why=f"geen regiocijfer: de basis ({base}) staat niet in de gegevens")


#: Rule per indicator id. RIVM estimates (kind "modelschatting") all use the population rule.
RULES: dict[str, Rule] = {
    "inwoners": _SUM,
    "huishoudens": _SUM,
    "bijstand": _SUM,
    "pct_0_14": _BY_INHABITANTS,
    "pct_65plus": _BY_INHABITANTS,
    "pct_verweduwd": _BY_INHABITANTS,
    "gem_inkomen_inwoner": _BY_INHABITANTS,
    "wmo_per_1000": _BY_INHABITANTS,
    # CBS measures these distances as the mean over inhabitants.
    "afstand_huisarts": _BY_INHABITANTS,
    "afstand_supermarkt": _BY_INHABITANTS,
    "afstand_school": _BY_INHABITANTS,
    "pct_eenpersoonshuishoudens": _BY_HOUSEHOLDS,
    "gem_huishoudensgrootte": _BY_HOUSEHOLDS,
    "bevolkingsdichtheid": Rule(
        "weighted",
        "inwoners",
        per_value=True,
        why="totaal aantal inwoners gedeeld door de totale landoppervlakte",
    ),
    "gem_woz": _none("het aantal woningen"),
    "pct_koopwoningen": _none("het aantal woningen"),
    "pct_corporatiewoningen": _none("het aantal woningen"),
    "gem_inkomen_huishouden": _none("huishoudens met een bekend inkomen"),
    "pct_hh_laag_inkomen": _none("huishoudens met een bekend inkomen"),
    "pct_hh_sociaal_minimum": _none("huishoudens met een bekend inkomen"),
    "pct_personen_armoede": _none("personen in particuliere huishoudens met een inkomen"),
    "arbeidsparticipatie": _none("de bevolking van 15 tot 75 jaar"),
    "pct_jeugdzorg": _none("het aantal jongeren tot 23 jaar"),
}


def rule_for(indicator: str, kind: str) -> Rule:
    """Return the aggregation rule of an indicator of a catalogue kind.

    RIVM model estimates use the population of their age group; own-survey figures never get a
    region figure (the survey covers one gemeente).

    Examples
    --------
    >>> rule_for("eenzaam", "modelschatting").kind, rule_for("inwoners", "registratie").kind
    ('population', 'sum')
    >>> rule_for("enq_eenzaam", "eigen enquête").kind
    'none'
    """
    if kind == MODEL_ESTIMATE:
        return _POPULATION
    if kind == SURVEY_KIND:
        return Rule("none", why="geen regiocijfer: de eigen enquête gaat over één gemeente")
    return RULES.get(indicator, _none("onbekend"))


def aggregate(
    values: pd.DataFrame,
    parts: Iterable[str],
    kinds: Mapping[str, str],
    *,
    weights: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compute a region's figures from the figures of its parts.

    Parameters
    ----------
    values : pandas.DataFrame
        Long value table ``indicator, code, period, age, source, value`` (the snapshot's, or
        any subset that holds the parts).
    parts : iterable of str
        Codes of the areas that make up the region, all of one indeling (e.g. the gemeenten of
        a GGD region in the indeling of the source).
    kinds : mapping of indicator id to catalogue kind
        ``registratie``, ``modelschatting`` or ``eigen enquête``; decides the `Rule`.
    weights : pandas.DataFrame, optional
        ``code, age, weight``: the population of an age group per area, for model estimates.

    Returns
    -------
    pandas.DataFrame
        One row per figure (``indicator, period, age, source``) that at least one part has:
        ``value`` (NaN when there is no region figure), ``parts`` (how many parts the region
        has), ``parts_with_value`` and ``reason`` (empty when there is a figure; otherwise why
        not, in Dutch).

    Examples
    --------
    Two gemeenten, 1 000 and 3 000 inhabitants, 10 % and 30 % aged 65 or older: the region
    has 4 000 inhabitants and (100 + 900) / 4 000 = 25 % 65-plussers, not (10 + 30) / 2 = 20.

    >>> vals = pd.DataFrame({"indicator": ["inwoners", "inwoners", "pct_65plus", "pct_65plus"],
    ...     "code": ["GM1", "GM2", "GM1", "GM2"], "period": 2024, "age": "alle leeftijden",
    ...     "source": "S", "value": [1000.0, 3000.0, 10.0, 30.0]})
    >>> out = aggregate(vals, ["GM1", "GM2"], {"inwoners": "registratie",
    ...                                         "pct_65plus": "registratie"})
    >>> out[["indicator", "value"]].to_dict("records")
    [{'indicator': 'inwoners', 'value': 4000.0}, {'indicator': 'pct_65plus', 'value': 25.0}]
    """
    codes = list(dict.fromkeys(parts))
    keys = ["indicator", "period", "age", "source"]
    rows = values.loc[values["code"].isin(codes), [*keys, "code", "value"]].astype(
        {"indicator": "str", "age": "str", "source": "str", "period": "int64"}
    )
    if rows.empty:
        return pd.DataFrame(columns=list(AGGREGATE_COLUMNS))
    # Plain dicts, figure -> {code: value}: a region has a few thousand rows, and pandas'
    # per-group overhead would dominate (a pass per figure took seconds for a large region).
    figures: dict[tuple, dict[str, float]] = {}
    for indicator, period, age, source, code, value in rows.itertuples(index=False, name=None):
        known = figures.setdefault((indicator, int(period), age, source), {})
        if value == value and code not in known:  # NaN is not a value
            known[code] = float(value)
    by_age: dict[str, dict[str, float]] = {}
    if weights is not None:
        for code, age, weight in weights[list(WEIGHT_COLUMNS)].itertuples(index=False, name=None):
            by_age.setdefault(str(age), {}).setdefault(str(code), float(weight))
    out = []
    for key, present in figures.items():
        indicator, period, age, source = key
        rule = rule_for(indicator, kinds.get(indicator, REGISTRATION))
        value, reason = _combine(rule, present, codes, key, figures, by_age, weights is not None)
        out.append(
            {
                "indicator": indicator,
                "period": period,
                "age": age,
                "source": source,
                "value": value,
                "parts": len(codes),
                "parts_with_value": sum(code in present for code in codes),
                "reason": reason,
            }
        )
    return pd.DataFrame(out, columns=list(AGGREGATE_COLUMNS))


def _combine(
    rule: Rule,
    present: Mapping[str, float],
    codes: list[str],
    key: tuple,
    figures: Mapping[tuple, Mapping[str, float]],
    by_age: Mapping[str, Mapping[str, float]],
    has_weights: bool,
) -> tuple[float, str]:
    """Return (region value, reason) for one figure; NaN with a Dutch reason when none."""
    if rule.kind == "none":
        return np.nan, rule.why
    missing = [c for c in codes if c not in present]
    if missing:
        return np.nan, (
            f"geen regiocijfer: {len(missing)} van de {len(codes)} gebieden zonder cijfer "
            f"(o.a. {missing[0]})"
        )
    vals = np.array([present[c] for c in codes], dtype="float64")
    if rule.kind == "sum":
        return float(vals.sum()), ""
    _indicator, period, age, source = key
    if rule.kind == "weighted":
        base = figures.get((rule.weight, period, ALL_AGES, source))
        if base is None:
            base = next(
                (
                    f
                    for k, f in figures.items()
                    if (k[0], k[1], k[3]) == (rule.weight, period, source)
                ),
                None,
            )
        if base is None:
            return (
                np.nan,
                f"geen regiocijfer: geen {rule.weight} in dezelfde bron en hetzelfde jaar",
            )
        w = np.array([base.get(c, np.nan) for c in codes], dtype="float64")
        if rule.per_value:
            with np.errstate(divide="ignore", invalid="ignore"):
                w = np.where(vals > 0, w / vals, np.nan)
    else:  # population
        if not has_weights:
            return np.nan, "geen regiocijfer: geen bevolkingsgewichten in de gegevens"
        table = by_age.get(age, {})
        w = np.array([table.get(c, np.nan) for c in codes], dtype="float64")
    lacking = [c for c, x in zip(codes, w, strict=True) if not np.isfinite(x) or x < 0]
    if lacking:
        return np.nan, (
            f"geen regiocijfer: geen gewicht ({rule.weight or age}) voor {len(lacking)} "
            f"van de {len(codes)} gebieden (o.a. {lacking[0]})"
        )
    if w.sum() <= 0:
        return np.nan, "geen regiocijfer: de gewichten zijn samen nul"
    return float((vals * w).sum() / w.sum()), ""


def parts_of(membership: pd.DataFrame, region: str, indeling: int) -> list[str]:
    """Return the gemeenten of a region in the indeling nearest to (and not after) ``indeling``.

    Parameters
    ----------
    membership : pandas.DataFrame
        ``gemeente_code, indeling, ggd_code`` (the snapshot's GGD table).
    region : str
        A GGD region code (``GG7206``).
    indeling : int
        The indeling of the figures (a source's); the membership of the newest indeling not
        after it is used, or the oldest one when all are later.

    Examples
    --------
    >>> m = pd.DataFrame({"gemeente_code": ["GM1", "GM2", "GM3"], "indeling": [2020, 2020, 2024],
    ...                   "ggd_code": ["GG1", "GG1", "GG1"]})
    >>> parts_of(m, "GG1", 2025), parts_of(m, "GG1", 2020), parts_of(m, "GG1", 2016)
    (['GM3'], ['GM1', 'GM2'], ['GM1', 'GM2'])
    """
    years = sorted(int(y) for y in membership["indeling"].unique())
    if not years:
        return []
    earlier = [y for y in years if y <= indeling]
    year = earlier[-1] if earlier else years[0]
    rows = membership[(membership["indeling"] == year) & (membership["ggd_code"] == region)]
    return sorted(rows["gemeente_code"].astype("str"))


def region_figures(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    region: str,
    *,
    kinds: Mapping[str, str],
    indelingen: Mapping[str, int],
    weights: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compute every figure of a region, source by source, from its gemeenten in that source.

    Parameters
    ----------
    values : pandas.DataFrame
        The snapshot's long value table.
    membership : pandas.DataFrame
        ``gemeente_code, indeling, ggd_code``; see `parts_of`.
    region : str
        The region code.
    kinds : mapping
        Indicator id to catalogue kind.
    indelingen : mapping
        Source id to the indeling of its regions: the parts are the region's gemeenten in it.
        Sources not named are left out.
    weights : pandas.DataFrame, optional
        ``code, age, weight`` for model estimates.

    Returns
    -------
    pandas.DataFrame
        `AGGREGATE_COLUMNS`, for every figure at least one gemeente of the region has.

    Examples
    --------
    >>> vals = pd.DataFrame({"indicator": "inwoners", "code": ["GM1", "GM2", "GM3"],
    ...     "period": 2024, "age": "alle leeftijden", "source": "S", "value": [1.0, 2.0, 4.0]})
    >>> m = pd.DataFrame({"gemeente_code": ["GM1", "GM2", "GM3"], "indeling": 2024,
    ...                   "ggd_code": ["GG1", "GG1", "GG2"]})
    >>> region_figures(vals, m, "GG1", kinds={}, indelingen={"S": 2024})["value"].tolist()
    [3.0]
    """
    results = [pd.DataFrame(columns=list(AGGREGATE_COLUMNS))]
    # One pass over the (large) value table: only rows of the region's gemeenten, any indeling.
    members = membership.loc[membership["ggd_code"] == region, "gemeente_code"].unique()
    own = values[values["code"].isin(members)]
    sources = own["source"].astype("str")
    for source in sources.unique():
        if source not in indelingen:
            continue
        parts = parts_of(membership, region, indelingen[source])
        subset = own[(sources == source) & own["code"].isin(parts)]
        if not subset.empty:
            results.append(aggregate(subset, parts, kinds, weights=weights))
    return pd.concat(results, ignore_index=True).astype({"value": "float64"})


def lookup(found: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Return the region figure (from `region_figures`) for each row of a figure table.

    Returns
    -------
    pandas.DataFrame
        ``value`` and ``reason`` on the index of ``figures``; a figure the region has none of
        gets NaN and "geen regiocijfer: geen cijfers van de gemeenten".

    Examples
    --------
    >>> found = pd.DataFrame({"indicator": ["x"], "period": [2020], "age": ["18+"],
    ...                       "source": ["S"], "value": [42.5], "reason": [""]})
    >>> figs = pd.DataFrame({"indicator": ["y", "x"], "period": [2020, 2020],
    ...                      "age": ["18+", "18+"], "source": ["S", "S"]}, index=[3, 4])
    >>> lookup(found, figs)["value"].tolist()
    [nan, 42.5]
    """
    keys = ["indicator", "period", "age", "source"]
    # Float periods: own-survey rows of a profile may have none.
    types = {"indicator": "str", "period": "float64", "age": "str", "source": "str"}
    rows = figures[keys].astype(types)
    merged = rows.merge(
        found[[*keys, "value", "reason"]].astype(types).drop_duplicates(keys), on=keys, how="left"
    )
    reason = merged["reason"].fillna("geen regiocijfer: geen cijfers van de gemeenten")
    return pd.DataFrame(
        {"value": merged["value"].to_numpy(dtype="float64"), "reason": reason.tolist()},
        index=figures.index,
    )


def region_column(
    figures: pd.DataFrame,
    values: pd.DataFrame,
    membership: pd.DataFrame,
    region: str,
    *,
    kinds: Mapping[str, str],
    indelingen: Mapping[str, int],
    weights: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return a region's figure for each row of a figure table (such as the wijkprofiel).

    Parameters
    ----------
    figures : pandas.DataFrame
        Rows with ``indicator, period, age, source``.
    values : pandas.DataFrame
        The snapshot's long value table.
    membership : pandas.DataFrame
        ``gemeente_code, indeling, ggd_code``; see `parts_of`.
    region : str
        The region code.
    kinds : mapping
        Indicator id to catalogue kind.
    indelingen : mapping
        Source id to the indeling of its regions (the parts are the region's gemeenten in it).
    weights : pandas.DataFrame, optional
        ``code, age, weight`` for model estimates.

    Returns
    -------
    pandas.DataFrame
        ``value`` and ``reason`` on the index of ``figures``.

    Examples
    --------
    >>> vals = pd.DataFrame({"indicator": "eenzaam", "code": ["GM1", "GM2"], "period": 2020,
    ...                      "age": "18+", "source": "R", "value": [40.0, 50.0]})
    >>> w = pd.DataFrame({"code": ["GM1", "GM2"], "age": "18+", "weight": [300.0, 100.0]})
    >>> m = pd.DataFrame({"gemeente_code": ["GM1", "GM2"], "indeling": 2020, "ggd_code": "GG1"})
    >>> figs = pd.DataFrame({"indicator": ["eenzaam"], "period": [2020], "age": ["18+"],
    ...                      "source": ["R"]})
    >>> region_column(figs, vals, m, "GG1", kinds={"eenzaam": "modelschatting"},
    ...               indelingen={"R": 2020}, weights=w)["value"].tolist()
    [42.5]
    """
    wanted = set(figures["source"].astype("str"))
    subset = values[values["source"].astype("str").isin(wanted)]
    found = region_figures(
        subset, membership, region, kinds=kinds, indelingen=indelingen, weights=weights
    )
    return lookup(found, figures)
