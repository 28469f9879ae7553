"""What a figure is: one source of truth for its kind, source, year, indeling, age, n and interval.

Every sentence, title, table and export that shows a figure asks this module how to name it,
so a fictitious figure always says "fictief" and a real one never does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.catalogue import (
    FICTITIOUS,
    KIND_LABELS,
    MODEL_ESTIMATE,
    RIVM_TABLE_ID,
    SURVEY_KINDS,
    Catalogue,
    Source,
)

#: The word every fictitious figure carries, on every line and every title where it appears.
MARK = "fictief voorbeeld"

#: Age groups that need no mention (registrations are about everyone; survey: who answered).
SILENT_AGES = ("alle leeftijden", "respondenten", "")


def is_survey(kind: str) -> bool:
    """Return whether a kind of figure comes from a survey (real or fictitious).

    Examples
    --------
    >>> is_survey("eigen enquête"), is_survey("fictief voorbeeld"), is_survey("modelschatting")
    (True, True, False)
    """
    return kind in SURVEY_KINDS


def is_fictitious(kind: str) -> bool:
    """Return whether a kind of figure is made up (the dashboard's example survey).

    Examples
    --------
    >>> is_fictitious("fictief voorbeeld"), is_fictitious("eigen enquête")
    (True, False)
    """
    return kind == FICTITIOUS


def has_mark(text: str) -> bool:
    """Return whether a text carries the fictitious mark ("fictief", any case).

    Examples
    --------
    >>> has_mark("Eenzaam (enquête, fictief voorbeeld)"), has_mark("Eenzaam (RIVM-schatting)")
    (True, False)
    """
    return "fictief" in text.lower()


def marked(text: str, kind: str) -> str:
    """Return a text with the fictitious mark when the figure is fictitious (never twice).

    Examples
    --------
    >>> marked("Eenzaam — Leeuwarden", "fictief voorbeeld")
    'Eenzaam — Leeuwarden (fictief voorbeeld)'
    >>> marked("Eenzaam — Leeuwarden", "modelschatting")
    'Eenzaam — Leeuwarden'
    """
    if not is_fictitious(kind) or has_mark(text):
        return text
    return f"{text} ({MARK})"


def sentence_marked(sentence: str, kind: str) -> str:
    """Return a sentence that opens with "Fictief voorbeeld:" when its figure is fictitious.

    Examples
    --------
    >>> sentence_marked("In Noord voelen meer mensen zich eenzaam.", "fictief voorbeeld")
    'Fictief voorbeeld: in Noord voelen meer mensen zich eenzaam.'
    """
    if not is_fictitious(kind) or has_mark(sentence):
        return sentence
    return f"Fictief voorbeeld: {sentence[:1].lower()}{sentence[1:]}"


@dataclass(frozen=True)
class FigureInfo:
    """What one figure is: the facts every place that shows it must be able to say.

    Attributes
    ----------
    indicator, label : str
        Catalogue id and label.
    kind : str
        "registratie", "modelschatting", "eigen enquête" or "fictief voorbeeld".
    source, credit, table_id : str
        The source's title, credit line and table (file name for a survey).
    period : int or None
        Year of the figures.
    indeling : int or None
        Year of the area division the figures are about.
    age : str
        Age group ("18+", "65+", "alle leeftijden", "respondenten").
    n : int or None
        Respondents (survey figures only).
    ci_low, ci_high : float or None
        The 95 % interval (survey figures only).
    """

    indicator: str
    label: str
    kind: str
    source: str
    credit: str
    table_id: str
    period: int | None
    indeling: int | None
    age: str
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def fictitious(self) -> bool:
        """Return whether the figure is made up."""
        return is_fictitious(self.kind)

    @property
    def kind_label(self) -> str:
        """Return the kind as shown on screen ("Modelschatting (RIVM)", "Fictief voorbeeld")."""
        return KIND_LABELS[self.kind]

    def title(self, text: str) -> str:
        """Return a title for this figure, marked when fictitious."""
        return marked(text, self.kind)

    def describe(self) -> str:
        """Return one line that says what the figure is: kind, source, year, age, indeling, n.

        Examples
        --------
        >>> info = FigureInfo("eenzaam", "Eenzaam", "modelschatting", "Gezondheid per wijk",
        ...     "Bron: RIVM", "50090NED", 2020, 2020, "18+")
        >>> info.describe()
        'Modelschatting (RIVM), 50090NED, 2020, 18+, indeling 2020'
        """
        parts = [self.kind_label]
        if self.table_id:
            parts.append(self.table_id)
        if self.period is not None:
            parts.append(str(self.period))
        if self.age not in SILENT_AGES:
            parts.append(self.age)
        if self.indeling is not None:
            parts.append(f"indeling {self.indeling}")
        if self.n is not None:
            parts.append(f"n = {self.n}")
        return ", ".join(parts)


def figure_info(
    catalogue: Catalogue,
    indicator_id: str,
    source_id: str,
    *,
    period: int | None = None,
    age: str = "",
    n: float | None = None,
    ci_low: float | None = None,
    ci_high: float | None = None,
) -> FigureInfo:
    """Build the `FigureInfo` of one figure from the catalogue and the figure's keys.

    Parameters
    ----------
    catalogue : Catalogue
        The (session) catalogue: knows whether a survey is fictitious.
    indicator_id, source_id : str
        Catalogue ids; an empty source id takes the indicator's first source.
    period : int, optional
        Year; defaults to the source's period.
    age : str
    n, ci_low, ci_high : float, optional
        Survey figures only; NaN counts as missing.

    Returns
    -------
    FigureInfo

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> info = figure_info(load_catalogue(), "eenzaam", "50090NED", period=2020, age="65+")
    >>> info.kind, info.fictitious, info.table_id, info.indeling
    ('modelschatting', False, '50090NED', 2020)
    """
    ind = catalogue.indicator(indicator_id)
    if not source_id and ind.source_ids:
        source_id = ind.source_ids[0]
    source = catalogue.sources.get(source_id)
    return FigureInfo(
        indicator=ind.id,
        label=ind.label,
        kind=ind.kind,
        source=source.title if source else "",
        credit=source.credit if source else "",
        table_id=source.table_id if source else "",
        period=_int(period if period is not None else (source.period if source else None)),
        indeling=source.indeling if source else None,
        age=age,
        n=_int(n),
        ci_low=_float(ci_low),
        ci_high=_float(ci_high),
    )


def _int(value: object) -> int | None:
    """Return a whole number, or None for a missing value."""
    number = _float(value)
    return None if number is None else int(number)


def _float(value: object) -> float | None:
    """Return a float, or None for None, NaN or pandas' NA."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def source_label(source: Source) -> str:
    """Return a short, readable name of a source for a legend (never a bare table id).

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> cat = load_catalogue()
    >>> [source_label(cat.source(s)) for s in ("50090NED", "rivm-eenzaamheid-2016",
    ...                                        "86165NED", "baarn-tijdreeks")]
    ['RIVM-schatting', 'RIVM, losse uitgave 2016', 'CBS 2025', 'CBS-tijdreeks']
    """
    if source.kind in SURVEY_KINDS:
        return MARK if source.kind == FICTITIOUS else "eigen enquête"
    if source.kind == MODEL_ESTIMATE:
        if source.id == RIVM_TABLE_ID:
            return "RIVM-schatting"
        return f"RIVM, losse uitgave {source.period}"
    if "tijdreeks" in source.id:
        return "CBS-tijdreeks"
    if source.id.startswith("cbs-in-rivm"):
        return f"CBS via RIVM {source.period}"
    return f"CBS {source.period}"


def line_label(catalogue: Catalogue, source_id: str, age: str) -> str:
    """Return the name of one series of a trend: source and age group, in words.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> line_label(load_catalogue(), "50090NED", "65+")
    'RIVM-schatting, 65+'
    """
    label = source_label(catalogue.source(source_id))
    return label if age in SILENT_AGES else f"{label}, {age}"
