"""The workshop story: slides through the sociale basis of one wijk, built from its figures.

A story opens with "Wie bent u in de sociale basis?", walks through who lives in the wijk, how
people are doing, the basisvoorzieningen, the three spheres (persoonlijk, gemeenschappelijk,
institutioneel) and "vitaal ouder worden" for 65-plussers, and closes with "Het eerste wat wij
gaan doen …" (shared/SOCIALE_BASIS.md, issue #7). Each data slide compares the wijk with its
gemeente in one large bar chart, with one sentence made from the numbers, a discussion question
and a source caption. Slides without figures for the wijk are left out with a note.

The facilitator's changes (order, skips, questions, own text slides) are pure operations that
return a new `Story`, and can be saved as a small JSON file without any figures
(`story_to_json`) and laid over a freshly built story for the same or another wijk
(`apply_saved`).
"""

from __future__ import annotations

import fnmatch
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from analysis.catalogue import KIND_LABELS, MODEL_ESTIMATE, SURVEY_KINDS, SURVEY_PREFIX, Catalogue
from analysis.charts import FONT
from analysis.figure import marked, sentence_marked
from analysis.format import fmt_value, plotly_separators
from analysis.selection import SUPPRESSED, area_name
from analysis.survey.scales import rivm_counterparts
from analysis.survey.stats import TOTAL_AREA
from analysis.text import (
    OWN_SURVEY,
    PHRASES,
    difference_sentence,
    join_nl,
    short_label,
    source_caption,
)
from analysis.views import trends
from analysis.views.exports import PDF_FOOTER
from analysis.views.profile import profile_table

#: What a saved story file says it is, and the version this code writes and reads.
FORMAT = "sociale-basis-werkplaats"
VERSION = 1

#: A saved story is a few kB; anything much larger is not one.
MAX_FILE_BYTES = 100_000

#: Slide kinds.
OPENING, DATA, TEXT, CLOSING = "opening", "data", "text", "closing"
KINDS = (OPENING, DATA, TEXT, CLOSING)

#: Ids of the facilitator's own text slides start with this (``tekst-1``, ``tekst-2`` …).
CUSTOM_PREFIX = "tekst-"

#: The questions that open and close every workshop (shared/SOCIALE_BASIS.md).
OPENING_QUESTION = "Wie bent u in de sociale basis?"
CLOSING_QUESTION = "Het eerste wat wij gaan doen om de sociale basis te versterken is …"

#: The total of the gemeente in survey results.
SURVEY_TOTAL = TOTAL_AREA

#: The age group of the RIVM estimates for 65-plussers ("vitaal ouder worden").
AGE_65 = "65+"

#: Colours of the bars: the wijk stands out, the references recede (Okabe–Ito blue, greys).
BAR_COLOURS = {"wijk": "#0072b2", "gemeente": "#8c8c8c", "nederland": "#cfcfcf"}

#: A survey bar at least this share of the longest bar holds its value inside (see
#: `slide_figure`); shorter bars have no room for it.
INSIDE_SHARE = 0.12

#: Font sizes of the slide chart in px: readable from the back of a room on a projector.
CHART_FONT = {"tick": 26, "value": 26, "legend": 24}

#: Why there are no 75+ figures: said once in the notes, never invented.
NOTE_75PLUS = (
    "75-plussers: geen cijfers per wijk in de gegevens (de catalogus heeft alleen het aandeel "
    "65-plussers); het verhaal toont 65+."
)


@dataclass(frozen=True)
class SlideSpec:
    """A data slide the story can hold: which figures it shows and what it asks.

    ``chart`` lists catalogue ids (``fnmatch`` patterns allowed) shown as bars, in one unit;
    ``context`` lists figures in another unit (counts, km) said in a line under the message.
    With ``age="65+"`` model estimates are taken for 65-plussers.
    """

    id: str
    theme: str
    title: str
    question: str
    chart: tuple[str, ...]
    context: tuple[str, ...] = ()
    age: str = ""
    note: str = ""


#: The data slides, in story order. Titles and questions name no wijk, so a saved story fits
#: any wijk; B1 Dutch.
SPECS: tuple[SlideSpec, ...] = (
    SlideSpec(
        "bewoners",
        "Wie wonen er",
        "Wie wonen er?",
        "Wie ziet u veel in de wijk, en wie ziet u juist nooit?",
        chart=("pct_65plus", "pct_0_14"),
        context=("inwoners",),
    ),
    SlideSpec(
        "huishoudens",
        "Wie wonen er",
        "Alleen of samen?",
        "Veel mensen wonen alleen. Waar ontmoeten zij anderen?",
        chart=("pct_eenpersoonshuishoudens", "pct_verweduwd"),
        context=("huishoudens", "gem_huishoudensgrootte"),
    ),
    SlideSpec(
        "eenzaamheid",
        "Hoe gaat het met de mensen",
        "Eenzaamheid (schatting RIVM)",
        "Herkent u dit? Waar merkt u eenzaamheid in de wijk?",
        chart=("eenzaam", "ernstig_eenzaam"),
    ),
    SlideSpec(
        "eenzaamheid_enquete",
        "Hoe gaat het met de mensen",
        "Eenzaamheid (eigen enquête)",
        "Past wat bewoners zelf zeggen bij wat u ziet?",
        chart=("enq_eenzaam", "enq_ernstig_eenzaam", "enq_eenzaam_zelf"),
    ),
    SlideSpec(
        "rondkomen",
        "Hoe gaat het met de mensen",
        "Rondkomen (schatting RIVM)",
        "Waar ziet u geldzorgen, en weten mensen de weg naar hulp?",
        chart=("moeite_rondkomen",),
    ),
    SlideSpec(
        "rondkomen_enquete",
        "Hoe gaat het met de mensen",
        "Rondkomen (eigen enquête)",
        "Wie heeft moeite om rond te komen, en wie praat daarover?",
        chart=("enq_moeite_rondkomen", "enq_grote_moeite_rondkomen"),
    ),
    SlideSpec(
        "gezondheid",
        "Hoe gaat het met de mensen",
        "Gezondheid en regie (schatting RIVM)",
        "Wat helpt mensen hier om zich gezond en baas over hun eigen leven te voelen?",
        chart=("ervaren_gezondheid", "regie_eigen_leven"),
    ),
    SlideSpec(
        "afstand",
        "Basisvoorzieningen",
        "Hoe ver weg zijn de voorzieningen?",
        "Kan iedereen er goed komen, ook zonder auto?",
        chart=("afstand_huisarts", "afstand_supermarkt", "afstand_school"),
    ),
    SlideSpec(
        "gebruik",
        "Basisvoorzieningen",
        "Welke voorzieningen gebruiken mensen? (eigen enquête)",
        "Welke voorziening wordt te weinig gebruikt, en waarom?",
        chart=("enq_vz_*_gebruikt",),
    ),
    SlideSpec(
        "persoonlijk",
        "Drie sferen",
        "Persoonlijk: mensen om je heen",
        "Wie kijkt naar elkaar om, en wie heeft niemand?",
        chart=("mantelzorger", "enq_mantelzorg", "sociaal_eenzaam"),
    ),
    SlideSpec(
        "gemeenschappelijk",
        "Drie sferen",
        "Gemeenschappelijk: samen iets doen",
        "Welke clubs en groepen zijn er, en wie doet nog niet mee?",
        chart=("vrijwilligerswerk", "enq_vrijwilligerswerk", "enq_vz_sportvereniging_gebruikt"),
    ),
    SlideSpec(
        "institutioneel",
        "Drie sferen",
        "Institutioneel: wijkteam en buurthuis",
        "Hoe bereiken we mensen die zich niet melden?",
        chart=("enq_vz_wijkteam_gebruikt", "enq_vz_wijkteam_onbekend", "enq_vz_buurthuis_onbekend"),
    ),
    SlideSpec(
        "vitaal_buitenruimte",
        "Vitaal ouder worden",
        "Ouder worden 1: buitenruimte en winkels",
        "Zijn de winkels te lopen, en is er onderweg een bankje?",
        chart=("afstand_supermarkt",),
        note="Afstand voor alle inwoners, niet alleen 65-plussers.",
    ),
    SlideSpec(
        "vitaal_wonen",
        "Vitaal ouder worden",
        "Ouder worden 3: wonen",
        "Kunnen ouderen hier blijven wonen als het minder gaat?",
        chart=("pct_corporatiewoningen", "pct_koopwoningen"),
        note="Over alle woningen; of woningen aangepast zijn, staat niet in de gegevens.",
    ),
    SlideSpec(
        "vitaal_meedoen",
        "Vitaal ouder worden",
        "Ouder worden 4: meedoen en contact",
        "Wat is er voor ouderen te doen, en weten ze het te vinden?",
        chart=("eenzaam", "sociaal_eenzaam"),
        age=AGE_65,
    ),
    SlideSpec(
        "vitaal_erbij_horen",
        "Vitaal ouder worden",
        "Ouder worden 5: erbij horen",
        "Wie valt buiten de boot door geld of gezondheid?",
        chart=("moeite_rondkomen", "beperkt_gezondheid"),
        age=AGE_65,
    ),
    SlideSpec(
        "vitaal_inzet",
        "Vitaal ouder worden",
        "Ouder worden 6: inzet en zeggenschap",
        "Waar kunnen ouderen meedenken en meehelpen?",
        chart=("vrijwilligerswerk",),
        age=AGE_65,
    ),
    SlideSpec(
        "vitaal_zorg",
        "Vitaal ouder worden",
        "Ouder worden 8: zorg en welzijn",
        "Is zorg dichtbij genoeg voor wie minder goed ter been is?",
        chart=("ervaren_gezondheid", "langdurige_aandoening"),
        context=("afstand_huisarts",),
        age=AGE_65,
    ),
)

#: The eight domains of an age-friendly neighbourhood, with the slide that gives figures for
#: one (None: the data hold nothing for it).
DOMAINS: tuple[tuple[int, str, str | None], ...] = (
    (1, "buitenruimte en gebouwen", "vitaal_buitenruimte"),
    (2, "vervoer", None),
    (3, "wonen", "vitaal_wonen"),
    (4, "sociale participatie", "vitaal_meedoen"),
    (5, "respect en erbij horen", "vitaal_erbij_horen"),
    (6, "burgerparticipatie en werk", "vitaal_inzet"),
    (7, "communicatie en informatie", None),
    (8, "zorg en welzijn", "vitaal_zorg"),
)

#: The text slide that introduces the three spheres (shared/SOCIALE_BASIS.md).
SPHERES_ID = "sferen"
SPHERES_QUESTION = "In welke sfeer bent u zelf actief?"
SPHERES_TEXT = (
    "Persoonlijk: familie, vrienden en buren die helpen. "
    "Gemeenschappelijk: mensen die samen iets doen, van groepje tot vereniging. "
    "Institutioneel: mensen en plekken die dat steunen, zoals het wijkteam en het buurthuis."
)

#: Every slide title by id, also for slides a wijk lacks (to report them by name).
TITLES = {
    OPENING: OPENING_QUESTION,
    "sferen": "De sociale basis in drie sferen",
    "vitaal": "Vitaal ouder worden: acht domeinen",
    CLOSING: "Wat gaan wij doen?",
    **{spec.id: spec.title for spec in SPECS},
}


class StoryFileError(ValueError):
    """A saved story file that cannot be read; the message names file, field and value."""


@dataclass(frozen=True)
class Bar:
    """One indicator on a slide's chart: the wijk, its gemeente and (if known) Nederland."""

    indicator: str
    label: str
    unit: str
    decimals: int
    kind: str
    age: str
    source: str
    period: int | None
    value: float
    gemeente: float
    nederland: float | None = None
    signal: str = ""
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    status: str = ""
    nederland_period: int | None = None

    @property
    def nederland_year_note(self) -> str:
        """Return `` (2024)`` when the country's figure is of another year than the wijk's.

        >>> Bar("a", "A", "%", 0, "registratie", "", "s", 2025, 1.0, 2.0, 3.0,
        ...     nederland_period=2024).nederland_year_note
        ' (2024)'
        """
        if self.nederland is None or self.nederland_period is None or self.period is None:
            return ""
        return "" if self.nederland_period == self.period else f" ({self.nederland_period})"


@dataclass(frozen=True)
class Slide:
    """One slide of the story.

    ``message`` is the one line said about the figures (for a text slide: its text);
    ``indicators`` are the catalogue ids on the chart; ``bars`` hold the figures the chart is
    drawn from (`slide_figure`); ``sources`` one line per source and year shown.
    """

    id: str
    kind: str
    theme: str
    title: str
    message: str
    question: str
    indicators: tuple[str, ...] = ()
    caption: str = ""
    context: str = ""
    bars: tuple[Bar, ...] = ()
    sources: tuple[str, ...] = ()
    fictitious: bool = False
    skipped: bool = False
    default_question: str = ""

    @property
    def custom(self) -> bool:
        """Return whether the facilitator added this slide."""
        return self.id.startswith(CUSTOM_PREFIX)


@dataclass(frozen=True)
class Note:
    """Why a slide is not in the story (or not in a loaded one)."""

    slide_id: str
    text: str
    reason: str = ""


@dataclass(frozen=True)
class Story:
    """A wijk's story: its slides in order, and notes on the slides left out."""

    gemeente_code: str
    code: str
    slides: tuple[Slide, ...]
    skipped_notes: tuple[Note, ...] = ()
    area_name: str = ""
    gemeente_name: str = ""
    warnings: tuple[str, ...] = ()
    load_notes: tuple[str, ...] = ()

    def shown(self) -> tuple[Slide, ...]:
        """Return the slides that are presented (not skipped), in order."""
        return tuple(s for s in self.slides if not s.skipped)

    def slide(self, slide_id: str) -> Slide:
        """Return one slide by id; a Dutch `KeyError` names the known ids."""
        for s in self.slides:
            if s.id == slide_id:
                return s
        known = ", ".join(s.id for s in self.slides)
        raise KeyError(f"Dia {slide_id!r} staat niet in het verhaal; wel: {known}")


# --- Building -----------------------------------------------------------------------------


def build_story(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    catalogue: Catalogue,
    *,
    code: str,
    gemeente_code: str,
    survey: pd.DataFrame | None = None,
    fictitious: bool = False,
) -> Story:
    """Build the workshop story of one wijk from its figures.

    Parameters
    ----------
    values : pandas.DataFrame
        The snapshot's long value table.
    regions : pandas.DataFrame
        The snapshot's regions (names, the country code, indelingen).
    catalogue : Catalogue
        With the survey indicators (``enq_…``) when a survey is given.
    code : str
        The wijk.
    gemeente_code : str
        Its gemeente, the comparison on every slide.
    survey : pandas.DataFrame, optional
        Survey estimates ``area, indicator, n, n_eff, value, ci_low, ci_high, sig_vs_gemeente,
        status, reason``. The gemeente's row may have ``area`` "totaal" or the gemeente code.
    fictitious : bool
        The survey is the made-up example: every slide that shows it says so.

    Returns
    -------
    Story
        Opening, data slides in `SPECS` order with the text slides on the spheres and on
        "vitaal ouder worden", and the closing. Data slides without a figure for both the wijk
        and the gemeente are left out, each with a note in ``skipped_notes``.

    Examples
    --------
    >>> from analysis.catalogue import load_catalogue
    >>> vals = pd.DataFrame({"indicator": ["eenzaam"] * 2, "code": ["WK008061", "GM0080"],
    ...     "period": [2020] * 2, "age": ["18+"] * 2, "source": ["50090NED"] * 2,
    ...     "value": [55.0, 45.7]})
    >>> regs = pd.DataFrame({"code": ["WK008061", "GM0080"], "name": ["Vrijheidswijk",
    ...     "Leeuwarden"], "level": ["wijk", "gemeente"], "gemeente_code": ["GM0080"] * 2,
    ...     "indeling": [2020, 2020]})
    >>> story = build_story(vals, regs, load_catalogue(), code="WK008061", gemeente_code="GM0080")
    >>> [s.id for s in story.slides]
    ['opening', 'eenzaamheid', 'closing']
    >>> print(story.slide("eenzaamheid").message.replace("\u00a0", " "))
    ... # doctest: +NORMALIZE_WHITESPACE
    In Vrijheidswijk voelen naar schatting meer mensen zich eenzaam dan gemiddeld in
    Leeuwarden: 55 % tegen 46 %.
    """
    area = area_name(regions, code)
    gemeente = area_name(regions, gemeente_code)
    if survey is not None:
        total = survey["area"].astype("str") == SURVEY_TOTAL
        survey = survey.assign(area=survey["area"].astype("str").where(~total, gemeente_code))
    table = profile_table(
        values, regions, catalogue, code=code, gemeente_code=gemeente_code, survey=survey
    )
    # A second pass prefers the 65+ model estimates; other rows fall back to `table`.
    older = profile_table(
        values, regions, catalogue, code=code, gemeente_code=gemeente_code, ages=(AGE_65,)
    )
    # CBS reuses codes after a redivision: figures from an indeling in which this code named
    # another area are about that area, so they are left out (`trends.redivision_warnings`).
    indelingen = sorted(
        {int(i) for i in table["indeling"].dropna()} | {int(i) for i in older["indeling"].dropna()}
    )
    other = trends.other_area_indelingen(regions, code, indelingen)
    table = table[~table["indeling"].isin(other)]
    older = older[~older["indeling"].isin(other)]
    data_slides: dict[str, Slide] = {}
    notes: list[Note] = []
    for spec in SPECS:
        rows = _rows_for(spec, table, older)
        slide = _data_slide(spec, rows, catalogue, area, gemeente, fictitious)
        if slide is None:
            reason = _missing_reason(spec, rows, survey is not None)
            notes.append(Note(spec.id, f"{spec.title}: {reason}.", reason))
        else:
            data_slides[spec.id] = slide
    vitaal, domain_notes = _vitaal_overview(data_slides)
    # Each set of slides is introduced by its text slide, but only when it has a slide at all.
    intros = {
        "Drie sferen": _text(SPHERES_ID, "Drie sferen", SPHERES_TEXT, SPHERES_QUESTION),
        "Vitaal ouder worden": vitaal,
    }
    slides = [_opening(area)]
    for slide in data_slides.values():
        if slide.theme in intros:
            slides.append(intros.pop(slide.theme))
        slides.append(slide)
    slides.append(_closing(area))
    return Story(
        gemeente_code=gemeente_code,
        code=code,
        slides=tuple(slides),
        skipped_notes=(*notes, *domain_notes, Note("75plus", NOTE_75PLUS)),
        area_name=area,
        gemeente_name=gemeente,
        warnings=tuple(trends.redivision_warnings(regions, code, indelingen)),
    )


def _rows_for(spec: SlideSpec, table: pd.DataFrame, older: pd.DataFrame) -> pd.DataFrame:
    """Return the profile rows of a spec's chart and context figures, in spec order."""
    wanted = [*spec.chart, *spec.context]
    parts = []
    for pattern in wanted:
        source = table
        if spec.age == AGE_65:
            pick = older[(older["kind"] == MODEL_ESTIMATE) & (older["age"] == AGE_65)]
            hit = pick.loc[_matches(pick, pattern)]
            if not hit.empty:
                parts.append(hit.assign(_role="context" if pattern in spec.context else "chart"))
                continue
            source = table[table["kind"] != MODEL_ESTIMATE]
        hit = source.loc[_matches(source, pattern)]
        parts.append(hit.assign(_role="context" if pattern in spec.context else "chart"))
    if not parts:
        return table.iloc[0:0].assign(_role="")
    return pd.concat(parts, ignore_index=True).drop_duplicates("indicator")


def _matches(table: pd.DataFrame, pattern: str) -> pd.Series:
    """Return which rows' indicator matches a spec pattern (``enq_vz_*_gebruikt``)."""
    return pd.Series(
        [fnmatch.fnmatchcase(str(i), pattern) for i in table["indicator"]],
        index=table.index,
        dtype="bool",
    )


def _usable(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the rows with a shown value for both the wijk and the gemeente."""
    return rows[rows["value"].notna() & rows["gemeente"].notna() & (rows["status"] != SUPPRESSED)]


def _missing_reason(spec: SlideSpec, rows: pd.DataFrame, has_survey: bool) -> str:
    """Say in a few words why a data slide has nothing to show."""
    chart = rows[rows["_role"] == "chart"]
    if all(p.startswith(SURVEY_PREFIX) for p in spec.chart) and not has_survey:
        return "geen eigen enquête geladen"
    if (chart["status"] == SUPPRESSED).any():
        return "te weinig antwoorden in de enquête voor deze wijk"
    if chart["value"].notna().any():
        return "geen cijfer van de gemeente om mee te vergelijken"
    return "geen cijfers voor deze wijk"


def _data_slide(
    spec: SlideSpec,
    rows: pd.DataFrame,
    catalogue: Catalogue,
    area: str,
    gemeente: str,
    fictitious: bool,
) -> Slide | None:
    """Turn a spec and its profile rows into a slide; None when nothing can be compared."""
    chart = _usable(rows[rows["_role"] == "chart"])
    if chart.empty:
        return None
    # One unit per chart: the unit of the first figure shown; others are said in words.
    unit = chart["unit"].iloc[0]
    extra = chart[chart["unit"] != unit]
    chart = chart[chart["unit"] == unit]
    context_rows = pd.concat([rows[rows["_role"] == "context"], extra], ignore_index=True)
    mixed = chart["kind"].nunique() > 1
    bars = tuple(_bar(rec, mixed) for rec in chart.to_dict("records"))
    lead = next((b for b in bars if b.signal in ("hoger", "lager")), bars[0])
    shows_survey = any(b.kind in SURVEY_KINDS for b in bars)
    context = "  ·  ".join(
        _context_line(rec, gemeente)
        for rec in context_rows.to_dict("records")
        if not _missing(rec["value"])
    )
    shown = [*bars, *(_bar(r, False) for r in _usable(context_rows).to_dict("records"))]
    pairs = [(b.source, b.period) for b in shown]
    return Slide(
        id=spec.id,
        kind=DATA,
        theme=spec.theme,
        title=spec.title,
        message=_message(lead, area, gemeente),
        question=spec.question,
        default_question=spec.question,
        indicators=tuple(b.indicator for b in bars),
        caption=_caption(catalogue, bars, pairs, spec),
        context=context,
        bars=bars,
        sources=tuple(dict.fromkeys(_source_line(catalogue, s, p) for s, p in pairs)),
        fictitious=fictitious and shows_survey,
    )


def _bar(rec: Mapping, full_label: bool) -> Bar:
    """Return the chart bar of one profile row (labels keep their kind when kinds are mixed)."""
    label = str(rec["label"]) if full_label else short_label(str(rec["label"]))
    age = str(rec.get("age") or "")
    if age == AGE_65:
        label = f"{label}, 65+"
    label = marked(label, str(rec["kind"]))  # a fictitious figure keeps its mark, short or not
    return Bar(
        indicator=str(rec["indicator"]),
        label=label,
        unit=str(rec["unit"]),
        decimals=int(rec["decimals"]),
        kind=str(rec["kind"]),
        age=age,
        source=str(rec.get("source") or ""),
        period=None if _missing(rec.get("period")) else int(rec["period"]),
        value=float(rec["value"]),
        gemeente=float(rec["gemeente"]),
        nederland=_optional(rec.get("nederland")),
        signal=str(rec.get("signal") or ""),
        n=None if _missing(rec.get("n")) else int(rec["n"]),
        ci_low=_optional(rec.get("ci_low")),
        ci_high=_optional(rec.get("ci_high")),
        status=str(rec.get("status") or ""),
        nederland_period=None
        if _missing(rec.get("nederland_period"))
        else int(rec["nederland_period"]),
    )


def _message(bar: Bar, area: str, gemeente: str) -> str:
    """Return the one line a slide says: the first difference beyond the margin, else the lead.

    Model estimates say "naar schatting", survey figures "volgens de enquête" and their n
    (`analysis.text.difference_sentence`); a small difference is called small, never a verdict.
    """
    value = fmt_value(bar.value, bar.unit, bar.decimals)
    if bar.kind in SURVEY_KINDS and bar.n is not None:
        note = ", indicatief" if bar.status == "indicatief" else ""
        value = f"{value}\u00a0(n\u00a0=\u00a0{bar.n}{note})"  # never broken over lines
    reference = fmt_value(bar.gemeente, bar.unit, bar.decimals)
    if bar.signal in ("hoger", "lager"):
        sentence = difference_sentence(
            _phrase_id(bar.indicator),
            bar.label,
            kind=bar.kind,
            direction=bar.signal,
            area=area,
            gemeente=gemeente,
            value_text=value,
            reference_text=reference,
            age_note="(bij 65-plussers)" if bar.age == AGE_65 else "",
        )
        return sentence_marked(sentence, bar.kind)
    small = (
        "Het verschil is te klein om zeker te zijn."
        if bar.kind in SURVEY_KINDS
        else "Het verschil is klein."
    )
    return f"{bar.label} in {area}: {value}, in heel {gemeente}: {reference}. {small}"


def _phrase_id(indicator_id: str) -> str:
    """Return the id whose sentence parts a figure borrows: a survey figure those of its theme.

    ``enq_eenzaam`` reads like ``eenzaam`` and ``enq_mantelzorg`` like its RIVM counterpart
    ``mantelzorger``; the qualifier "volgens de enquête" keeps them apart in the sentence.
    """
    if not indicator_id.startswith(SURVEY_PREFIX):
        return indicator_id
    base = indicator_id.removeprefix(SURVEY_PREFIX)
    for candidate in (base, rivm_counterparts().get(base, "")):
        if candidate in PHRASES:
            return candidate
    return indicator_id


def _context_line(rec: Mapping, gemeente: str) -> str:
    """Return ``Aantal inwoners: 3.640 (heel Leeuwarden: 129.973)`` for a context figure."""
    unit, decimals = str(rec["unit"]), int(rec["decimals"])
    label = short_label(str(rec["label"]))
    value = fmt_value(rec["value"], unit, decimals)
    if _missing(rec.get("gemeente")):
        return f"{label}: {value}"
    return f"{label}: {value} (heel {gemeente}: {fmt_value(rec['gemeente'], unit, decimals)})"


def _caption(
    catalogue: Catalogue,
    bars: Sequence[Bar],
    pairs: Sequence[tuple[str, int | None]],
    spec: SlideSpec,
) -> str:
    """Return the caption under a slide's chart: sources and years, and how to read them.

    A fictitious survey says so in its own source credit (`ui.survey_source`).
    """
    parts = [source_caption(catalogue, pairs)]
    # Which gebiedsindeling the figures belong to (issue 10), where the source title does not
    # say it already (the RIVM table's title names "indeling 2020").
    indelingen = sorted(
        {
            source.indeling
            for source in (catalogue.source(s) for s, _ in pairs if s in catalogue.sources)
            if source.indeling and "indeling" not in source.title
        }
    )
    if indelingen:
        parts.append(f"Gebiedsindeling {join_nl([str(i) for i in indelingen])}.")
    kinds = {b.kind for b in bars}
    if MODEL_ESTIMATE in kinds:
        parts.append(f"{KIND_LABELS[MODEL_ESTIMATE]}: een schatting, geen meting per wijk.")
    survey = [b for b in bars if b.kind in SURVEY_KINDS]
    if survey:
        ns = sorted({b.n for b in survey if b.n is not None})
        n_text = f"n = {ns[0]}" if len(ns) == 1 else f"n = {ns[0]} tot {ns[-1]}"
        parts.append(f"Enquête: {n_text} in deze wijk; de streepjes tonen het 95 %-interval.")
    national_years = sorted(
        {b.nederland_period for b in bars if b.nederland_year_note and b.nederland_period}
    )
    if national_years:
        years = join_nl([str(y) for y in national_years])
        parts.append(f"Nederland: cijfer van {years}, het nieuwste landelijke in deze gegevens.")
    if any(b.age == AGE_65 for b in bars):
        parts.append("Schattingen voor 65-plussers.")
    if spec.note:
        parts.append(spec.note)
    return " ".join(p for p in parts if p)


def _source_line(catalogue: Catalogue, source_id: str, period: int | None) -> str:
    """Return one source with its year, as the caption words it, without "Bron:"."""
    text = source_caption(catalogue, [(source_id, period)]) or OWN_SURVEY
    return text.removeprefix("Bron: ").removeprefix("Bronnen: ").rstrip(".")


def _opening(area: str) -> Slide:
    """Return the opening slide: the round of introductions."""
    return Slide(
        id=OPENING,
        kind=OPENING,
        theme="Opening",
        title=f"De sociale basis van {area}",
        message=(
            "De sociale basis is alles dichtbij huis waar je zonder verwijzing terecht kunt: "
            "buren en familie, vrijwilligers, clubs, het buurthuis."
        ),
        question=OPENING_QUESTION,
        default_question=OPENING_QUESTION,
    )


def _closing(area: str) -> Slide:
    """Return the closing slide: the first step the group will take."""
    return Slide(
        id=CLOSING,
        kind=CLOSING,
        theme="Afsluiting",
        title=TITLES[CLOSING],
        message=f"{PDF_FOOTER.replace('de wijk', area)}",
        question=CLOSING_QUESTION,
        default_question=CLOSING_QUESTION,
    )


def _text(slide_id: str, theme: str, text: str, question: str, title: str = "") -> Slide:
    """Return a text slide (no figures)."""
    return Slide(
        id=slide_id,
        kind=TEXT,
        theme=theme,
        title=title or TITLES.get(slide_id, slide_id),
        message=text,
        question=question,
        default_question=question,
    )


def _vitaal_overview(data_slides: Mapping[str, Slide]) -> tuple[Slide, list[Note]]:
    """Return the text slide on the eight domains, and a note per domain without figures."""
    with_figures = [f"{n}. {name}" for n, name, sid in DOMAINS if sid in data_slides]
    without = [f"{n}. {name}" for n, name, sid in DOMAINS if sid not in data_slides]
    text = "Cijfers hebben we over: " + (", ".join(with_figures) or "geen enkel domein") + "."
    if without:
        text += " Geen cijfers over: " + ", ".join(without) + "."
    question = (
        f"Wat weet u zelf over {_join_names(without)}?"
        if without
        else "Welk domein vraagt in deze wijk de meeste aandacht?"
    )
    notes = [
        Note(
            sid or f"domein_{n}",
            f"Vitaal ouder worden, domein {n} ({name}): geen cijfers.",
            "geen cijfers",
        )
        for n, name, sid in DOMAINS
        if sid is None
    ]
    return _text("vitaal", "Vitaal ouder worden", text, question), notes


def _join_names(items: Sequence[str]) -> str:
    """Join domain names without their numbers: ``vervoer en communicatie en informatie``."""
    names = [i.split(". ", 1)[-1] for i in items]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} of {names[-1]}"


def _optional(value: float | None) -> float | None:
    """Return a float, or None for a missing value (keeps slides comparable with ``==``)."""
    return None if value is None or _missing(value) else float(value)


def _missing(value: object) -> bool:
    """Return whether a scalar is None, NaN or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- The slide's one visual ---------------------------------------------------------------


def slide_figure(slide: Slide, *, area: str, gemeente: str, height: int = 600) -> go.Figure:
    """Draw a data slide's chart: horizontal bars of the wijk, the gemeente and Nederland.

    Large type for a projector: tick labels, value labels and legend of at least 24 px
    (`CHART_FONT`). Values are labelled in Dutch format; survey bars carry their 95 % interval.

    Parameters
    ----------
    slide : Slide
        A data slide from `build_story`.
    area, gemeente : str
        Names in the legend.
    height : int
        Figure height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> bar = Bar("eenzaam", "Eenzaam", "%", 0, "modelschatting", "18+", "50090NED", 2020,
    ...           55.0, 46.0, 47.0, "hoger")
    >>> slide = Slide("eenzaamheid", DATA, "t", "Eenzaamheid", "m", "v", bars=(bar,))
    >>> fig = slide_figure(slide, area="Vrijheidswijk", gemeente="Leeuwarden")
    >>> [(t.name, [x.replace("\u00a0", " ") for x in t.text]) for t in fig.data]
    [('Vrijheidswijk', ['55 %']), ('heel Leeuwarden', ['46 %']), ('Nederland', ['47 %'])]
    """
    if slide.kind != DATA or not slide.bars:
        raise ValueError(f"Dia {slide.id!r} is een {slide.kind}-dia zonder cijfers")
    bars = slide.bars
    labels = [_wrap(b.label) for b in bars]
    series: list[tuple[str, str, list[float | None]]] = [
        ("wijk", area, [b.value for b in bars]),
        ("gemeente", f"heel {gemeente}", [b.gemeente for b in bars]),
    ]
    if any(b.nederland is not None for b in bars):
        series.append(("nederland", _national_legend(bars), [b.nederland for b in bars]))
    # A country figure of another year than the wijk's says its year on the bar itself, unless
    # the legend already says it for every bar (`_national_legend`).
    year_on_bar = "(" not in _national_legend(bars)
    fig = go.Figure()
    # On the reversed category axis the first trace of a group is drawn on top: the wijk.
    top = max(
        [b.value for b in bars]
        + [b.gemeente for b in bars]
        + [b.nederland for b in bars if b.nederland is not None]
        + [b.ci_high for b in bars if b.ci_high is not None]
    )
    for role, name, xs in series:
        # A survey bar's 95 % interval is drawn over the end of the bar, so its value goes
        # inside the bar, at the start, where the interval cannot cover it (when it fits).
        inside = [
            role == "wijk" and b.ci_high is not None and b.value >= INSIDE_SHARE * top for b in bars
        ]
        error = None
        if role == "wijk" and any(b.ci_low is not None for b in bars):
            error = dict(
                type="data",
                array=[_gap(b.ci_high, b.value) for b in bars],
                arrayminus=[_gap(b.value, b.ci_low) for b in bars],
                color="#262730",
                thickness=4,
                width=0,  # no caps: a figure without an interval would still show them
            )
        fig.add_trace(
            go.Bar(
                name=name,
                y=labels,
                x=[math.nan if x is None else x for x in xs],
                orientation="h",
                marker=dict(color=BAR_COLOURS[role]),
                text=[
                    ""
                    if x is None
                    else fmt_value(x, b.unit, b.decimals)
                    + (b.nederland_year_note if role == "nederland" and year_on_bar else "")
                    for x, b in zip(xs, bars, strict=True)
                ],
                textposition=["inside" if i else "outside" for i in inside],
                insidetextanchor="start",
                textfont=dict(
                    size=CHART_FONT["value"],
                    color=["#ffffff" if i else FONT["color"] for i in inside],
                ),
                constraintext="none",
                cliponaxis=False,
                error_x=error,
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        height=height,
        margin=dict(l=8, r=24, t=64, b=8),
        font={**FONT, "size": CHART_FONT["tick"]},
        separators=plotly_separators(),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(
            orientation="h", x=0, y=1.02, yanchor="bottom", font=dict(size=CHART_FONT["legend"])
        ),
        xaxis=dict(visible=False, range=[0, top * 1.22 if top > 0 else 1]),
        yaxis=dict(
            autorange="reversed",
            tickfont=dict(size=CHART_FONT["tick"], color=FONT["color"]),
            automargin=True,
            ticksuffix="  ",
        ),
    )
    return fig


def _national_legend(bars: Sequence[Bar]) -> str:
    """Return the legend name of the country's bars: "Nederland (2024)" when all are of 2024.

    The country's figure can be a year older than the wijk's (KWB 2025 for a gemeente, KWB 2024
    for the country); a slide never lets them pass as figures of one year.

    >>> b = Bar("a", "A", "%", 0, "registratie", "", "s", 2025, 1.0, 2.0, 3.0,
    ...         nederland_period=2024)
    >>> _national_legend([b]), _national_legend([b, replace(b, nederland_period=2025)])
    ('Nederland (2024)', 'Nederland')
    """
    notes = {b.nederland_year_note for b in bars if b.nederland is not None}
    if len(notes) == 1 and "" not in notes:
        return f"Nederland{notes.pop()}"
    return "Nederland"


def _gap(high: float | None, low: float | None) -> float:
    """Return the length of one arm of an interval; NaN draws no arm (figures without one)."""
    return math.nan if high is None or low is None else high - low


def _wrap(text: str, width: int = 24) -> str:
    """Break a long axis label over lines of about ``width`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


# --- The facilitator's changes ------------------------------------------------------------


def move(story: Story, slide_id: str, to_index: int) -> Story:
    """Return the story with one slide moved to a position (0 is the first slide).

    Examples
    --------
    >>> s = Story("GM1", "WK1", tuple(Slide(i, TEXT, "", i, "", "") for i in "abc"))
    >>> [x.id for x in move(s, "c", 0).slides]
    ['c', 'a', 'b']
    """
    story.slide(slide_id)  # raises for an unknown id
    if not 0 <= to_index < len(story.slides):
        raise ValueError(
            f"Plaats {to_index} voor dia {slide_id!r} bestaat niet "
            f"(verwacht 0 tot en met {len(story.slides) - 1})"
        )
    rest = [s for s in story.slides if s.id != slide_id]
    rest.insert(to_index, story.slide(slide_id))
    return replace(story, slides=tuple(rest))


def skip(story: Story, slide_id: str) -> Story:
    """Return the story with a slide skipped: kept in the list, left out of the presentation.

    Examples
    --------
    >>> s = Story("GM1", "WK1", tuple(Slide(i, TEXT, "", i, "", "") for i in "ab"))
    >>> [x.id for x in skip(s, "a").shown()]
    ['b']
    """
    return _set(story, slide_id, skipped=True)


def unskip(story: Story, slide_id: str) -> Story:
    """Return the story with a skipped slide shown again.

    Examples
    --------
    >>> s = Story("GM1", "WK1", (Slide("a", TEXT, "", "A", "", ""),))
    >>> [x.id for x in unskip(skip(s, "a"), "a").shown()]
    ['a']
    """
    return _set(story, slide_id, skipped=False)


def set_question(story: Story, slide_id: str, question: str) -> Story:
    """Return the story with a slide's discussion question changed; empty restores the default.

    Examples
    --------
    >>> a = Slide("a", TEXT, "", "A", "", "Vraag?", default_question="Vraag?")
    >>> s = Story("GM1", "WK1", (a,))
    >>> set_question(s, "a", "  Wat ziet u?  ").slide("a").question
    'Wat ziet u?'
    >>> set_question(s, "a", "").slide("a").question
    'Vraag?'
    """
    text = " ".join(question.split())
    return _set(story, slide_id, question=text or story.slide(slide_id).default_question)


def add_text_slide(story: Story, title: str, text: str, *, after: str | None = None) -> Story:
    """Return the story with the facilitator's own text slide added.

    Parameters
    ----------
    story : Story
    title, text : str
        What the slide says; the title may not be empty.
    after : str, optional
        The id of the slide it follows; default: just before the closing slide.

    Returns
    -------
    Story
        The new slide has id ``tekst-<n>``, the first number not yet used.

    Examples
    --------
    >>> s = Story("GM1", "WK1", (Slide("opening", OPENING, "", "O", "", ""),
    ...                          Slide("closing", CLOSING, "", "C", "", "")))
    >>> [x.id for x in add_text_slide(s, "Pauze", "Koffie", after="opening").slides]
    ['opening', 'tekst-1', 'closing']
    """
    title = " ".join(title.split())
    if not title:
        raise ValueError("Een tekstdia heeft een titel nodig; de titel is leeg")
    used = {s.id for s in story.slides}
    number = 1
    while f"{CUSTOM_PREFIX}{number}" in used:
        number += 1
    slide = _text(f"{CUSTOM_PREFIX}{number}", "Eigen dia", text.strip(), "", title=title)
    slides = list(story.slides)
    if after is not None:
        index = slides.index(story.slide(after)) + 1
    else:
        closing = [i for i, s in enumerate(slides) if s.kind == CLOSING]
        index = closing[-1] if closing else len(slides)
    slides.insert(index, slide)
    return replace(story, slides=tuple(slides))


def remove_text_slide(story: Story, slide_id: str) -> Story:
    """Return the story without one of the facilitator's own text slides.

    Examples
    --------
    >>> s = add_text_slide(Story("GM1", "WK1", ()), "Pauze", "")
    >>> remove_text_slide(s, "tekst-1").slides
    ()
    """
    if not story.slide(slide_id).custom:
        raise ValueError(
            f"Dia {slide_id!r} komt uit de cijfers en kan niet weg; "
            "zet 'Tonen' uit om hem over te slaan"
        )
    return replace(story, slides=tuple(s for s in story.slides if s.id != slide_id))


def _set(story: Story, slide_id: str, **changes) -> Story:
    """Return the story with one slide's fields replaced."""
    story.slide(slide_id)  # raises for an unknown id
    return replace(
        story,
        slides=tuple(replace(s, **changes) if s.id == slide_id else s for s in story.slides),
    )


# --- Saving and loading -------------------------------------------------------------------


def story_to_json(story: Story) -> str:
    """Return the facilitator's choices as a small JSON text: no figures, no notes.

    Holds the slide order, the skipped slides, the changed questions and the own text slides,
    with the wijk it was made for (for the reader; it applies to any wijk).

    Examples
    --------
    >>> s = Story("GM0080", "WK008061", (Slide("a", TEXT, "", "A", "", "Vraag?"),))
    >>> print(story_to_json(skip(s, "a")))  # doctest: +NORMALIZE_WHITESPACE
    {"format": "sociale-basis-werkplaats", "version": 1, "gemeente": "GM0080",
     "wijk": "WK008061", "order": ["a"], "skipped": ["a"], "questions": {"a": "Vraag?"},
     "text_slides": []}
    """
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "gemeente": story.gemeente_code,
        "wijk": story.code,
        "order": [s.id for s in story.slides],
        "skipped": [s.id for s in story.slides if s.skipped],
        "questions": {s.id: s.question for s in story.slides if s.question != s.default_question},
        "text_slides": [
            {"id": s.id, "title": s.title, "text": s.message} for s in story.slides if s.custom
        ],
    }
    return json.dumps(doc, ensure_ascii=False)


@dataclass(frozen=True)
class Saved:
    """A saved story file, checked: what `apply_saved` lays over a story."""

    order: tuple[str, ...]
    skipped: tuple[str, ...]
    questions: dict[str, str] = field(default_factory=dict)
    text_slides: tuple[tuple[str, str, str], ...] = ()
    wijk: str = ""


def read_saved(content: str | bytes, *, file_name: str = "verhaal.json") -> Saved:
    """Read and check a saved story file.

    Raises
    ------
    StoryFileError
        In Dutch, naming the file, the field, the value and what was expected.

    Examples
    --------
    >>> read_saved('{"format": "iets anders"}', file_name="v.json")
    Traceback (most recent call last):
    ...
    analysis.workshop.story.StoryFileError: v.json, veld 'format': 'iets anders' is geen werkplaats-verhaal (verwacht 'sociale-basis-werkplaats')
    """  # noqa: E501
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise StoryFileError(
                f"{file_name}: {len(content) // 1000} kB is te groot voor een verhaalbestand "
                f"(verwacht hooguit {MAX_FILE_BYTES // 1000} kB)"
            )
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise StoryFileError(
                f"{file_name}: byte {err.start + 1} is geen UTF-8-tekst (verwacht een JSON-bestand "
                "dat met 'Verhaal opslaan' is gemaakt)"
            ) from None
    try:
        doc = json.loads(content)
    except json.JSONDecodeError as err:
        raise StoryFileError(
            f"{file_name}, regel {err.lineno}, kolom {err.colno}: geen geldige JSON ({err.msg}); "
            "verwacht een bestand dat met 'Verhaal opslaan' is gemaakt"
        ) from None
    if not isinstance(doc, dict):
        raise StoryFileError(
            f"{file_name}: de inhoud is een {_json_type(doc)}, verwacht een object met "
            f"'format': {FORMAT!r}"
        )
    if doc.get("format") != FORMAT:
        raise StoryFileError(
            f"{file_name}, veld 'format': {doc.get('format')!r} is geen werkplaats-verhaal "
            f"(verwacht {FORMAT!r})"
        )
    if doc.get("version") != VERSION:
        raise StoryFileError(
            f"{file_name}, veld 'version': {doc.get('version')!r} kan deze versie niet lezen "
            f"(verwacht {VERSION})"
        )
    order = _strings(doc, "order", file_name)
    skipped = _strings(doc, "skipped", file_name, required=False)
    questions = doc.get("questions", {})
    if not isinstance(questions, dict) or not all(isinstance(v, str) for v in questions.values()):
        raise StoryFileError(
            f"{file_name}, veld 'questions': {_short(questions)} is geen lijst van vragen per dia "
            '(verwacht {"dia-id": "vraag"})'
        )
    texts = doc.get("text_slides", [])
    if not isinstance(texts, list):
        raise StoryFileError(
            f"{file_name}, veld 'text_slides': {_short(texts)} is geen lijst (verwacht een lijst "
            "van tekstdia's)"
        )
    text_slides = []
    for i, item in enumerate(texts, start=1):
        for key in ("id", "title", "text"):
            value = item.get(key) if isinstance(item, dict) else None
            if not isinstance(value, str):
                raise StoryFileError(
                    f"{file_name}, veld 'text_slides', dia {i}, {key!r}: {_short(value)} "
                    "(verwacht tekst)"
                )
        if not item["id"].startswith(CUSTOM_PREFIX):
            raise StoryFileError(
                f"{file_name}, veld 'text_slides', dia {i}, 'id': {item['id']!r} "
                f"(verwacht een id die begint met {CUSTOM_PREFIX!r})"
            )
        text_slides.append((item["id"], item["title"], item["text"]))
    return Saved(
        order=order,
        skipped=skipped,
        questions={str(k): v for k, v in questions.items()},
        text_slides=tuple(text_slides),
        wijk=str(doc.get("wijk") or ""),
    )


def apply_saved(story: Story, content: str | bytes, *, file_name: str = "verhaal.json") -> Story:
    """Lay a saved story file over a freshly built story, for the same or another wijk.

    Slides named in the file but missing here (no figures for this wijk) are reported in
    ``load_notes``; slides this wijk has and the file does not name keep their place after the
    slide they followed in the built story.

    Parameters
    ----------
    story : Story
        From `build_story`.
    content : str or bytes
        The saved file (`story_to_json`).
    file_name : str
        Named in error messages and notes.

    Returns
    -------
    Story

    Raises
    ------
    StoryFileError
        When the file is not a saved story (see `read_saved`).

    Examples
    --------
    >>> s = Story("GM1", "WK1", tuple(Slide(i, TEXT, "", i.upper(), "", "") for i in "abc"))
    >>> saved = story_to_json(move(skip(s, "a"), "c", 0))
    >>> other = Story("GM1", "WK2", tuple(Slide(i, TEXT, "", i.upper(), "", "") for i in "ab"),
    ...               area_name="Noord")
    >>> loaded = apply_saved(other, saved, file_name="v.json")
    >>> [(x.id, x.skipped) for x in loaded.slides], loaded.load_notes
    ([('a', True), ('b', False)], ("Dia 'c' uit v.json ontbreekt voor Noord: geen cijfers.",))
    """
    saved = read_saved(content, file_name=file_name)
    built = [s for s in story.slides if not s.custom]
    texts = {
        sid: _text(sid, "Eigen dia", text, "", title=title)
        for sid, title, text in saved.text_slides
    }
    by_id = {s.id: s for s in built} | texts
    missing = [
        sid
        for sid in dict.fromkeys([*saved.order, *saved.skipped, *saved.questions])
        if sid not in by_id
    ]
    order = [sid for sid in dict.fromkeys(saved.order) if sid in by_id]
    order += [sid for sid in texts if sid not in order]
    for i, slide in enumerate(built):
        if slide.id in order:
            continue
        before = [s.id for s in built[:i] if s.id in order]
        order.insert(order.index(before[-1]) + 1 if before else 0, slide.id)
    slides = []
    for sid in order:
        slide = by_id[sid]
        question = " ".join(saved.questions.get(sid, "").split())
        slides.append(
            replace(
                slide, skipped=sid in saved.skipped, question=question or slide.default_question
            )
        )
    reasons = {n.slide_id: n.reason for n in story.skipped_notes if n.reason}
    area = story.area_name or story.code
    notes = tuple(
        f"Dia {TITLES.get(sid, sid)!r} uit {file_name} ontbreekt voor {area}: "
        f"{reasons.get(sid, 'geen cijfers')}."
        for sid in missing
    )
    return replace(story, slides=tuple(slides), load_notes=notes)


def _strings(doc: Mapping, key: str, file_name: str, *, required: bool = True) -> tuple[str, ...]:
    """Return a list of slide ids from a saved file, or raise naming the bad entry."""
    if key not in doc and not required:
        return ()
    items = doc.get(key)
    if not isinstance(items, list):
        raise StoryFileError(
            f"{file_name}, veld {key!r}: {_short(items)} is geen lijst (verwacht een lijst van "
            "dia-id's)"
        )
    for i, item in enumerate(items, start=1):
        if not isinstance(item, str):
            raise StoryFileError(
                f"{file_name}, veld {key!r}, plaats {i}: {_short(item)} is geen dia-id "
                "(verwacht tekst)"
            )
    return tuple(items)


def _json_type(value: object) -> str:
    """Name a JSON value's type in Dutch."""
    if isinstance(value, list):
        return "lijst"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, bool):
        return "ja/nee-waarde"
    if isinstance(value, (int, float)):
        return "getal"
    return "leeg" if value is None else type(value).__name__


def _short(value: object) -> str:
    """Show a value from a file in an error message, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}…"
