"""Why an area is grey: one vocabulary of reasons, for table, hover, legend and export.

An area without a figure is never "0" and never silently blank: it names one of these reasons.
Other modules (national data, re-division checks) use the same words.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: The source has a row for the area but no number: secret (CBS '.') or too uncertain (RIVM).
NOT_PUBLISHED = "niet gepubliceerd (geheim of te onzeker)"

#: Own survey: fewer answers than the small-number rule allows.
TOO_FEW = "te weinig antwoorden"

#: Own survey: nobody from the area answered.
NO_ANSWERS = "geen antwoorden"

#: The area did not exist yet in the year of the figures (a newer wijk or buurt).
NEWER_AREA = "gebied nieuwer dan de cijfers"

#: The figures are about another division into areas (the code meant another area then).
OTHER_INDELING = "andere indeling"

#: The snapshot holds no figure for this area, for no reason it knows.
NOT_IN_SNAPSHOT = "geen cijfers in deze snapshot"

#: Every reason, in the order the legend lists them.
GREY_REASONS = (NOT_PUBLISHED, TOO_FEW, NO_ANSWERS, NEWER_AREA, OTHER_INDELING, NOT_IN_SNAPSHOT)

#: The map legend's entry for grey areas.
GREY_LEGEND = "Grijs: geen cijfer (reden in de tabel en bij de muis)"


def missing_reasons(
    codes: Iterable[str],
    published: Iterable[str],
    regions: pd.DataFrame | None,
    indeling: int | None,
) -> list[str]:
    """Return, per area without a figure, why it has none.

    Parameters
    ----------
    codes : iterable of str
        The areas without a value, in the order wanted.
    published : iterable of str
        Areas for which the source has a row (with an empty value: not published).
    regions : pandas.DataFrame, optional
        ``code, indeling`` of every area in every indeling the snapshot knows.
    indeling : int, optional
        The division into areas the figures are about (for RIVM: the year of the figures).

    Returns
    -------
    list of str
        One reason from `GREY_REASONS` per code (`NEWER_AREA` names the year).

    Examples
    --------
    >>> regs = pd.DataFrame({"code": ["WK1", "WK2", "WK2", "WK3", "WK4"],
    ...                      "indeling": [2020, 2020, 2025, 2025, 2016]})
    >>> missing_reasons(["WK1", "WK2", "WK3", "WK4"], ["WK1"], regs, 2020)
    ... # doctest: +NORMALIZE_WHITESPACE
    ['niet gepubliceerd (geheim of te onzeker)', 'geen cijfers in deze snapshot',
     'gebied nieuwer dan de cijfers (2020)', 'andere indeling']
    """
    published = set(published)
    codes = list(codes)
    known = False  # does the region table know the indeling at all?
    then: set[str] = set()
    first: dict[str, int] = {}
    if regions is not None and indeling is not None and not regions.empty:
        in_indeling = regions["indeling"] == indeling
        known = bool(in_indeling.any())
        # Only the rows of these codes: the whole region table is ~25 000 rows, read on every
        # map rerun (issue #14).
        wanted = regions["code"].isin([c for c in codes if c not in published])
        rows = regions.loc[wanted, ["code", "indeling"]]
        then = set(rows.loc[in_indeling[wanted], "code"].astype("str"))
        first = rows.groupby(rows["code"].astype("str"))["indeling"].min().to_dict()
    reasons = []
    for code in codes:
        if code in published:
            reasons.append(NOT_PUBLISHED)
        elif not known or code in then:
            reasons.append(NOT_IN_SNAPSHOT)
        elif indeling is not None and first.get(code, indeling + 1) > indeling:
            reasons.append(f"{NEWER_AREA} ({indeling})")
        else:
            reasons.append(OTHER_INDELING)
    return reasons


def survey_reason(reason: str, answered: bool) -> str:
    """Return the grey reason of a survey area from the survey's own reason.

    Examples
    --------
    >>> survey_reason("minder dan 30 antwoorden", True)
    'te weinig antwoorden (minder dan 30 antwoorden)'
    >>> survey_reason("", False)
    'geen antwoorden'
    """
    if not answered:
        return NO_ANSWERS
    if reason.startswith("minder dan"):
        return f"{TOO_FEW} ({reason})"
    return reason
