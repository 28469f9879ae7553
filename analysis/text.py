"""Dutch words for the pages: sentence templates, captions with sources, column headers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.catalogue import (
    FICTITIOUS,
    MODEL_ESTIMATE,
    REGISTRATION,
    SURVEY_KIND,
    Catalogue,
    Phrase,
    load_catalogue,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Caption part for survey figures that come from no catalogue source table.
OWN_SURVEY = "Eigen enquête van de gemeente"

#: Dutch column headers of the tables the pages show and the exports write.
COLUMN_LABELS = {
    "indicator": "Indicator-id",
    "label": "Indicator",
    "theme": "Thema",
    "kind": "Soort cijfer",
    "source": "Bron",
    "period": "Jaar",
    "age": "Leeftijd",
    "indeling": "Gebiedsindeling",
    "unit": "Eenheid",
    "value": "Waarde",
    "code": "Gebiedscode",
    "name": "Gebied",
    "area": "Gebied",
    "naam": "Gebied",
    "sig_vs_gemeente": "Anders dan de rest van de gemeente (95 %)",
    "sig_vs_rivm": "Anders dan de RIVM-schatting (95 %)",
    "gemeente": "Gemeente",
    "nederland": "Nederland",
    "nederland_period": "Jaar (Nederland)",
    "difference": "Verschil met gemeente",
    "signal": "Signaal",
    "signal_basis": "Grond voor signaal",
    "n": "n",
    "n_eff": "n (effectief)",
    "ci_low": "95%-betrouwbaarheidsinterval, ondergrens",
    "ci_high": "95%-betrouwbaarheidsinterval, bovengrens",
    "status": "Status",
    "reason": "Reden",
    "herkomst": "Wat is dit cijfer",
}

#: Columns whose header gets the unit of the figures, e.g. "Waarde (%)".
UNIT_COLUMNS = ("value", "gemeente", "nederland", "difference", "ci_low", "ci_high")


@dataclass(frozen=True)
class Chart:
    """A figure with the caption that must be shown under it (source and year)."""

    figure: go.Figure
    caption: str


class _CataloguePhrases(Mapping[str, Phrase]):
    """The sentence parts of the catalogue's indicators, read from the catalogue on first use."""

    def _phrases(self) -> dict[str, Phrase]:
        return {i.id: i.phrase for i in load_catalogue().indicators if i.phrase is not None}

    def __getitem__(self, indicator_id: str) -> Phrase:
        return self._phrases()[indicator_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._phrases())

    def __len__(self) -> int:
        return len(self._phrases())


#: Sentence parts per catalogue indicator (B1 Dutch), declared with each indicator in
#: `analysis/indicators.toml` (``phrase``). Indicators without one get a neutral sentence built
#: from their label (`phrase_for`). Counts ("aantal") never get a sentence.
PHRASES: Mapping[str, Phrase] = _CataloguePhrases()

#: Words between verb and ending, per kind of figure: a model estimate is never a measurement.
QUALIFIERS = {
    REGISTRATION: "",
    MODEL_ESTIMATE: "naar schatting ",
    SURVEY_KIND: "volgens de enquête ",
    FICTITIOUS: "volgens de fictieve enquête ",
}


def phrase_for(indicator_id: str, label: str, catalogue: Catalogue | None = None) -> Phrase:
    """Return the sentence parts of an indicator; a neutral one built from its label if unknown.

    The parts come from ``catalogue`` when given (and it declares a phrase for the indicator),
    else from the catalogue file (`PHRASES`).

    Examples
    --------
    >>> phrase_for("eenzaam", "Eenzaam (RIVM-schatting)").higher
    'meer mensen zich eenzaam'
    >>> phrase_for("nieuw", "Leden van een vereniging (enquête)").higher
    "het cijfer voor 'leden van een vereniging' hoger"
    """
    if catalogue is not None and indicator_id in catalogue.ids():
        own = catalogue.indicator(indicator_id).phrase
        if own is not None:
            return own
    if indicator_id in PHRASES:
        return PHRASES[indicator_id]
    name = short_label(label)
    name = name[:1].lower() + name[1:]
    return Phrase("is", f"het cijfer voor '{name}' hoger", f"het cijfer voor '{name}' lager")


def short_label(label: str) -> str:
    """Drop a trailing remark in brackets from a catalogue label.

    Examples
    --------
    >>> short_label("Eenzaam (RIVM-schatting)")
    'Eenzaam'
    """
    return re.sub(r"\s*\([^()]*\)\s*$", "", label).strip() or label


def difference_sentence(
    indicator_id: str,
    label: str,
    *,
    kind: str,
    direction: str,
    area: str,
    gemeente: str,
    value_text: str,
    reference_text: str,
    age_note: str = "",
    catalogue: Catalogue | None = None,
) -> str:
    """Return one B1 sentence that says an area differs from its gemeente.

    Parameters
    ----------
    indicator_id, label : str
        Catalogue id and label of the indicator.
    kind : str
        Catalogue kind; a model estimate says "naar schatting", a survey "volgens de enquête".
    direction : str
        ``"hoger"`` or ``"lager"``: the area's value compared with the gemeente's.
    area, gemeente : str
        Names as shown on screen.
    value_text, reference_text : str
        The two formatted figures (with n for survey figures).
    age_note : str
        Optional words after the gemeente, such as ``"(bij 65-plussers)"``.
    catalogue : Catalogue, optional
        Where the indicator's phrase is declared; default the catalogue file (`phrase_for`).

    Returns
    -------
    str

    Examples
    --------
    >>> difference_sentence("eenzaam", "Eenzaam", kind="registratie", direction="hoger",
    ...     area="Vrijheidswijk", gemeente="Leeuwarden", value_text="52 %",
    ...     reference_text="46 %")
    'In Vrijheidswijk voelen meer mensen zich eenzaam dan gemiddeld in Leeuwarden: 52 % tegen 46 %.'
    """
    if direction not in ("hoger", "lager"):
        raise ValueError(f"Richting {direction!r}: verwacht 'hoger' of 'lager'")
    phrase = phrase_for(indicator_id, label, catalogue)
    ending = phrase.higher if direction == "hoger" else phrase.lower
    qualifier = QUALIFIERS.get(kind, "")
    where = f"{gemeente} {age_note}".strip()
    return (
        f"In {area} {phrase.verb} {qualifier}{ending} dan gemiddeld in {where}: "
        f"{value_text} tegen {reference_text}."
    )


def join_nl(items: Iterable[str]) -> str:
    """Join words the Dutch way: ``a, b en c``.

    Examples
    --------
    >>> join_nl(["2012", "2016", "2020"]), join_nl(["2020"]), join_nl([])
    ('2012, 2016 en 2020', '2020', '')
    """
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} en {words[-1]}"


def source_caption(catalogue: Catalogue, figures: Iterable[tuple[str, int | None]]) -> str:
    """Return the caption that credits every source and year a figure or table shows.

    Parameters
    ----------
    catalogue : Catalogue
        Gives each source's credit and title (never retyped).
    figures : iterable of (source id, year)
        Pairs shown; an empty source id stands for the gemeente's own survey, a missing year
        (None or NaN) for a figure whose year is not known.

    Returns
    -------
    str
        Sources in catalogue order, each with the years shown.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> source_caption(load_catalogue(), [("86165NED", 2025)])
    'Bron: CBS, Kerncijfers wijken en buurten 2025; cijfers over 2025.'
    """
    years: dict[str, set[int]] = {}
    for source_id, period in figures:
        known = years.setdefault(str(source_id), set())
        if period is not None and period == period:  # NaN != NaN
            known.add(int(period))
    parts = []
    for source_id in catalogue.sources:
        if source_id in years:
            source = catalogue.source(source_id)
            credit = re.sub(r"^Bron:\s*", "", source.credit)
            parts.append(f"{credit}, {source.title}{_years(years[source_id])}")
    unknown = sorted(set(years) - set(catalogue.sources) - {""})
    if unknown:
        catalogue.source(unknown[0])  # raises, naming the unknown source
    if "" in years:
        parts.append(f"{OWN_SURVEY}{_years(years[''])}")
    if not parts:
        return ""
    label = "Bron" if len(parts) == 1 else "Bronnen"
    return f"{label}: {'. '.join(parts)}."


def _years(years: set[int]) -> str:
    """Return ``; cijfers over 2012 en 2016`` for a caption, or nothing without years."""
    if not years:
        return ""
    return f"; cijfers over {join_nl(str(y) for y in sorted(years))}"
