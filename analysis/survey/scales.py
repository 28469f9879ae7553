"""Survey scales: every scale declared once, with the source of its scoring rule, and scored.

A scale is data (frozen dataclasses), not code: its items, answer codes with their Dutch labels,
which answers count in the "lonely" / "yes" direction, the missing-item rule, the cut-offs and a
citation of where the rule comes from. `score_survey` turns a survey frame in the canonical
column names (``djg11_1`` … ``djg11_11``, ``djg6_1`` … ``djg6_6``, ``eenzaam_zelf``,
``rondkomen``, ``vz_<naam>``, ``mantelzorg``, ``vrijwilligerswerk``) into 0/1 indicator columns
per respondent.

Indicator ids differ per instrument on purpose: the 11-item scale gives ``eenzaam``, the 6-item
scale ``eenzaam_djg6`` and the Burgerpeiling question ``eenzaam_zelf``. Their cut-offs and levels
differ, so they can never end up in one average by sharing an id.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.catalogue import SURVEY_KIND
from analysis.survey.instrument import (
    DEFAULT_VOORZIENINGEN,
    DJG6_FROM_DJG11,
    DJG11_ORDER,
    DJG_WORDING,
    EMOTIONAL,
    GEBRUIK,
    HOE_VAAK,
    JA_MIN_NEE,
    JA_NEE,
    MOEITE,
    NON_ANSWERS,
    RIVM_LINKS,
    SOCIAL,
    VOORZIENINGEN,
    Answer,
    voorziening,
)

#: The manual of the De Jong Gierveld scale (updated web version of the 1999 printed manual).
MANUAL_URL = "https://home.fsw.vu.nl/TG.van.Tilburg/manual_loneliness_scale_1999.html"

#: How a voorziening reads inside a Dutch sentence ("Gebruikt het buurthuis").
VOORZIENING_PHRASES = {v.name: v.phrase for v in VOORZIENINGEN}

SUM = "som"
SINGLE = "item"


class ScaleValueError(ValueError):
    """A raw answer that is not in the scale's codebook.

    Carries ``column``, ``value`` and ``expected`` (the Dutch answer labels) so an importer can
    name the file and row too (see `AnswerError.describe`).
    """

    def __init__(self, column: str, value: object, expected: tuple[str, ...]):
        self.column = column
        self.value = value
        self.expected = expected
        super().__init__(_bad_answer_text(column, value, expected))


@dataclass(frozen=True)
class Item:
    """One question: its column, Dutch wording, answer options and the codes that score 1."""

    column: str
    wording: str
    answers: tuple[Answer, ...]
    scored: frozenset[int]
    subscale: str = ""
    hint: str = ""  # printed under the question
    printed: str = ""  # text in a grid of the questionnaire, when shorter than the wording
    label: str = ""  # stand-alone label for a codebook or SPSS variable label

    @property
    def expected(self) -> tuple[str, ...]:
        """Return the Dutch labels of every answer option, in code order."""
        return tuple(a.label for a in sorted(self.answers, key=lambda a: a.code))


@dataclass(frozen=True)
class Subscale:
    """Part of a sum scale (e.g. emotional loneliness) with its own missing-item limit."""

    id: str
    label: str
    columns: tuple[str, ...]
    max_missing: int


@dataclass(frozen=True)
class Category:
    """A band of sum-score values with its Dutch label (bounds inclusive)."""

    low: int
    high: int
    label: str


@dataclass(frozen=True)
class ScaleIndicator:
    """A 0/1 indicator from a scale: total >= ``minimum`` (sum scale) or code in ``codes``."""

    id: str
    label: str
    definition: str
    higher_is_better: str
    theme: str
    minimum: int | None = None
    codes: frozenset[int] = frozenset()
    rivm_counterpart: str = ""  # catalogue id of the RIVM estimate it may be set beside


@dataclass(frozen=True)
class Scale:
    """A scale: items, scoring rule, missing-item rule, cut-offs and the source of the rule."""

    id: str
    name: str
    kind: str
    items: tuple[Item, ...]
    indicators: tuple[ScaleIndicator, ...]
    source: str
    scoring: str
    missing_rule: str
    max_missing: int = 0
    subscales: tuple[Subscale, ...] = ()
    categories: tuple[Category, ...] = ()
    block: str = ""  # key of the questionnaire block (`instrument.BLOCKS`) it is printed in

    def __post_init__(self) -> None:
        where = f"Schaal {self.id!r}"
        if self.kind not in (SUM, SINGLE):
            raise ValueError(f"{where}: soort {self.kind!r} is niet {SUM!r} of {SINGLE!r}")
        if self.kind == SINGLE and len(self.items) != 1:
            raise ValueError(f"{where}: een enkele vraag heeft precies één item")
        if len({i.answers for i in self.items}) != 1:
            raise ValueError(f"{where}: alle items moeten dezelfde antwoorden hebben")
        codes = {a.code for a in self.answers}
        for item in self.items:
            if not item.scored <= codes:
                raise ValueError(f"{where}, item {item.column!r}: scoort codes buiten het codeboek")
        if not 0 <= self.max_missing < len(self.items):
            raise ValueError(f"{where}: max_missing moet 0 tot {len(self.items)} zijn")
        for sub in self.subscales:
            if not set(sub.columns) <= set(self.columns):
                raise ValueError(f"{where}: subschaal {sub.id!r} noemt onbekende kolommen")
        for ind in self.indicators:
            by_total = ind.minimum is not None and not ind.codes
            by_codes = ind.minimum is None and bool(ind.codes) and ind.codes <= codes
            if not (by_total if self.kind == SUM else by_codes):
                raise ValueError(
                    f"{where}, indicator {ind.id!r}: een somschaal heeft alleen 'minimum', "
                    "een enkele vraag alleen 'codes' uit het codeboek"
                )

    @property
    def columns(self) -> tuple[str, ...]:
        """Return the item columns in questionnaire order."""
        return tuple(i.column for i in self.items)

    @property
    def answers(self) -> tuple[Answer, ...]:
        """Return the answer options (shared by every item)."""
        return self.items[0].answers

    @property
    def score_columns(self) -> tuple[str, ...]:
        """Return the names of the score columns a sum scale adds (total, subscales, category)."""
        if self.kind != SUM:
            return ()
        subs = tuple(f"{self.id}_{s.id}" for s in self.subscales)
        return (f"{self.id}_totaal", *subs, f"{self.id}_categorie")

    def item(self, column: str) -> Item:
        """Return one item by column name."""
        for item in self.items:
            if item.column == column:
                return item
        raise KeyError(f"Schaal {self.id!r} heeft geen item {column!r}")


# --------------------------------------------------------------------------------------------
# Answer sets
# --------------------------------------------------------------------------------------------

# In our codebook 1 = ja, 2 = min of meer, 3 = nee. The manual's SPSS syntax codes the other way
# round (1 = nee … 3 = ja: it counts negative items "(2,3)" and positive items "(1,2)"), so the
# code sets below are the mirror image of the manual's, with the same meaning: "min of meer"
# always counts as lonely.
_LONELY_IF_YES = frozenset({1, 2})  # negative wording: ja or min of meer scores 1
_LONELY_IF_NO = frozenset({2, 3})  # positive wording: nee or min of meer scores 1


def _djg(column: str, wording: str, subscale: str) -> Item:
    """Return a De Jong Gierveld item; social items are worded positively, emotional negatively."""
    scored = _LONELY_IF_NO if subscale == SOCIAL else _LONELY_IF_YES
    return Item(column, wording, JA_MIN_NEE, scored, subscale)


_DJG6_ORDER = tuple(DJG11_ORDER[position - 1] for position in DJG6_FROM_DJG11)

_DJG11_ITEMS = tuple(
    _djg(f"djg11_{i}", DJG_WORDING[key], sub) for i, (key, sub) in enumerate(DJG11_ORDER, start=1)
)
_DJG6_ITEMS = tuple(
    _djg(f"djg6_{i}", DJG_WORDING[key], sub) for i, (key, sub) in enumerate(_DJG6_ORDER, start=1)
)


def _columns_of(items: tuple[Item, ...], subscale: str) -> tuple[str, ...]:
    """Return the columns of the items in one subscale."""
    return tuple(i.column for i in items if i.subscale == subscale)


HEALTH = "Hoe gaat het met de mensen"

# Missing items, 11-item scale. Section 7 of the manual ("Processing the scale data", MANUAL_URL)
# holds the rule, but it could not be retrieved offline: the stored copy returned the contents
# page and section 8 (the 6-item syntax), not section 7. So this is the conservative rule the
# issue prescribes for that case: score only complete item sets — total, emotional and social
# subscale alike (max_missing = 0 everywhere). Section 8 allows one missing item for the 6-item
# total, which suggests section 7 is more lenient; check it and set max_missing here if so.
DJG11 = Scale(
    id="djg11",
    block="djg11",
    name="Eenzaamheidsschaal van De Jong Gierveld (11 vragen)",
    kind=SUM,
    items=_DJG11_ITEMS,
    source=(
        "De Jong Gierveld, J. & Kamphuis, F.H. (1985). The development of a Rasch-type "
        "loneliness scale. Applied Psychological Measurement 9(3), 289–299. Scoring: "
        "De Jong Gierveld, J. & Van Tilburg, T. (1999). Manual of the Loneliness Scale, "
        f"{MANUAL_URL}. "
        "Cut-offs: Van Tilburg, T. & De Jong Gierveld, J. (1999). Cesuurbepaling van de "
        "eenzaamheidsschaal. Tijdschrift voor Gerontologie en Geriatrie 30(4), 158–163."
    ),
    scoring=(
        "Per vraag 1 punt voor een eenzaam antwoord; 'min of meer' telt altijd als eenzaam. "
        "Negatief geformuleerde vragen (2, 3, 5, 6, 9, 10): ja of min of meer = 1. Positief "
        "geformuleerde vragen (1, 4, 7, 8, 11): nee of min of meer = 1. Totaal 0–11, emotioneel "
        "0–6, sociaal 0–5."
    ),
    missing_rule=(
        "Alleen volledig ingevulde vragenreeksen krijgen een score (totaal: alle 11 vragen; "
        "emotioneel: alle 6; sociaal: alle 5). Voorzichtige regel: de regel uit hoofdstuk 7 van "
        "de handleiding was offline niet in te zien."
    ),
    max_missing=0,
    subscales=(
        Subscale(EMOTIONAL, "Emotionele eenzaamheid", _columns_of(_DJG11_ITEMS, EMOTIONAL), 0),
        Subscale(SOCIAL, "Sociale eenzaamheid", _columns_of(_DJG11_ITEMS, SOCIAL), 0),
    ),
    categories=(
        Category(0, 2, "niet eenzaam"),
        Category(3, 8, "matig eenzaam"),
        Category(9, 10, "ernstig eenzaam"),
        Category(11, 11, "zeer ernstig eenzaam"),
    ),
    indicators=(
        ScaleIndicator(
            id="eenzaam",
            label="Eenzaam (eigen enquête)",
            definition=(
                "Percentage respondenten dat matig tot zeer ernstig eenzaam is: score 3 of hoger "
                "op de eenzaamheidsschaal van De Jong Gierveld (11 vragen; 'min of meer' telt als "
                "eenzaam). Alleen wie alle 11 vragen beantwoordde telt mee. Eigen enquête."
            ),
            higher_is_better="lager",
            theme=HEALTH,
            minimum=3,
            rivm_counterpart=RIVM_LINKS["eenzaam"],
        ),
        ScaleIndicator(
            id="ernstig_eenzaam",
            label="Ernstig eenzaam (eigen enquête)",
            definition=(
                "Percentage respondenten dat ernstig tot zeer ernstig eenzaam is: score 9 of "
                "hoger op de eenzaamheidsschaal van De Jong Gierveld (11 vragen). Alleen wie alle "
                "11 vragen beantwoordde telt mee. Eigen enquête."
            ),
            higher_is_better="lager",
            theme=HEALTH,
            minimum=9,
            rivm_counterpart=RIVM_LINKS["ernstig_eenzaam"],
        ),
    ),
)

# Missing items, 6-item scale: section 8 of the manual (MANUAL_URL) gives the SPSS syntax
# `if (mlones>1) lones=-1.` for the total and `if (mlones>0) lonesocs=-1.` / `loneemos=-1.` for
# the subscales: the total is missing when more than one of the 6 items is missing (one missing
# item is allowed and simply not counted); a 3-item subscale is missing when any item is.
DJG6 = Scale(
    id="djg6",
    block="djg6",
    name="Eenzaamheidsschaal van De Jong Gierveld (6 vragen)",
    kind=SUM,
    items=_DJG6_ITEMS,
    source=(
        "De Jong Gierveld, J. & Van Tilburg, T. (2008). De ingekorte schaal voor algemene, "
        "emotionele en sociale eenzaamheid. Tijdschrift voor Gerontologie en Geriatrie 39(1), "
        "4–15. Missing-item rule and categories: Manual of the Loneliness Scale, section 8, "
        f"{MANUAL_URL}."
    ),
    scoring=(
        "Per vraag 1 punt voor een eenzaam antwoord; 'min of meer' telt altijd als eenzaam. "
        "Negatief geformuleerde vragen (1, 4, 6): ja of min of meer = 1. Positief geformuleerde "
        "vragen (2, 3, 5): nee of min of meer = 1. Totaal 0–6, emotioneel 0–3, sociaal 0–3."
    ),
    missing_rule=(
        "Totaal: ontbreekt als meer dan 1 van de 6 vragen niet is beantwoord (een ontbrekende "
        "vraag telt als niet eenzaam mee). Emotioneel en sociaal: ontbreekt als een van de 3 "
        "vragen niet is beantwoord. Zo staat het in de SPSS-syntax van de handleiding."
    ),
    max_missing=1,
    subscales=(
        Subscale(EMOTIONAL, "Emotionele eenzaamheid", _columns_of(_DJG6_ITEMS, EMOTIONAL), 0),
        Subscale(SOCIAL, "Sociale eenzaamheid", _columns_of(_DJG6_ITEMS, SOCIAL), 0),
    ),
    categories=(
        Category(0, 1, "niet eenzaam"),
        Category(2, 4, "matig eenzaam"),
        Category(5, 6, "sterk eenzaam"),
    ),
    indicators=(
        ScaleIndicator(
            id="eenzaam_djg6",
            label="Eenzaam, korte schaal (eigen enquête)",
            definition=(
                "Percentage respondenten dat eenzaam is: score 2 of hoger op de korte "
                "eenzaamheidsschaal van De Jong Gierveld (6 vragen; 'min of meer' telt als "
                "eenzaam). Niet te vergelijken met de schaal van 11 vragen. Eigen enquête."
            ),
            higher_is_better="lager",
            theme=HEALTH,
            minimum=2,
        ),
        ScaleIndicator(
            id="sterk_eenzaam_djg6",
            label="Sterk eenzaam, korte schaal (eigen enquête)",
            definition=(
                "Percentage respondenten dat sterk eenzaam is: score 5 of hoger op de korte "
                "eenzaamheidsschaal van De Jong Gierveld (6 vragen). Eigen enquête."
            ),
            higher_is_better="lager",
            theme=HEALTH,
            minimum=5,
        ),
    ),
)

EENZAAM_ZELF = Scale(
    id="eenzaam_zelf",
    block="eenzaam_zelf",
    name="Burgerpeiling: voelt u zich wel eens eenzaam?",
    kind=SINGLE,
    items=(Item("eenzaam_zelf", "Voelt u zich wel eens eenzaam?", HOE_VAAK, frozenset({1, 2})),),
    source=(
        "Vraag uit de Burgerpeiling (VNG, waarstaatjegemeente.nl). Indeling eenzaam = heel vaak "
        "of vaak, weet niet = ontbrekend: afspraak van dit dashboard (issue 'Own survey results')."
    ),
    scoring="Eenzaam = 'heel vaak' of 'vaak'; 'soms', 'zelden', 'nooit' = niet eenzaam.",
    missing_rule="'Weet niet' en geen antwoord tellen niet mee.",
    indicators=(
        ScaleIndicator(
            id="eenzaam_zelf",
            label="Voelt zich vaak eenzaam (eigen enquête)",
            definition=(
                "Percentage respondenten dat zich heel vaak of vaak eenzaam voelt (één vraag uit "
                "de Burgerpeiling; 'weet niet' telt niet mee). Een andere meting dan de "
                "eenzaamheidsschaal van De Jong Gierveld: niet met elkaar vergelijken. "
                "Eigen enquête."
            ),
            higher_is_better="lager",
            theme=HEALTH,
            codes=frozenset({1, 2}),
        ),
    ),
)

RONDKOMEN = Scale(
    id="rondkomen",
    block="rondkomen",
    name="Moeite met rondkomen",
    kind=SINGLE,
    items=(
        Item(
            "rondkomen",
            "Hoeveel moeite heeft uw huishouden de afgelopen 12 maanden gehad om rond te komen "
            "van het inkomen?",
            MOEITE,
            frozenset({1, 2}),
        ),
    ),
    source=(
        "Vraag uit de vragenlijst-template van dit dashboard (issue 'Own survey results'), naar "
        "de vraag over moeite met rondkomen in de Gezondheidsmonitor; de antwoorden zijn niet "
        "gelijk, dus vergelijk met de RIVM-schatting met die kanttekening."
    ),
    scoring="Moeite = 'grote moeite' of 'enige moeite'; grote moeite = alleen 'grote moeite'.",
    missing_rule="Geen antwoord telt niet mee.",
    indicators=(
        ScaleIndicator(
            id="moeite_rondkomen",
            label="Moeite met rondkomen (eigen enquête)",
            definition=(
                "Percentage respondenten met grote of enige moeite om rond te komen van het "
                "inkomen van het huishouden. Eigen enquête."
            ),
            higher_is_better="lager",
            theme=HEALTH,
            codes=frozenset({1, 2}),
            rivm_counterpart=RIVM_LINKS["moeite_rondkomen"],
        ),
        ScaleIndicator(
            id="grote_moeite_rondkomen",
            label="Grote moeite met rondkomen (eigen enquête)",
            definition=(
                "Percentage respondenten met grote moeite om rond te komen van het inkomen van "
                "het huishouden. Eigen enquête."
            ),
            higher_is_better="lager",
            theme=HEALTH,
            codes=frozenset({1}),
        ),
    ),
)


def _yes_no_scale(
    column: str,
    name: str,
    wording: str,
    label: str,
    definition: str,
    better: str,
    theme: str,
    hint: str,
) -> Scale:
    """Return a single ja/nee question whose indicator is 'ja'."""
    return Scale(
        id=column,
        name=name,
        kind=SINGLE,
        block="meedoen",
        items=(Item(column, wording, JA_NEE, frozenset({1}), hint=hint),),
        source="Vraag uit de vragenlijst-template van dit dashboard (issue 'Own survey results').",
        scoring="Indicator = 'ja'.",
        missing_rule="Geen antwoord telt niet mee.",
        indicators=(
            ScaleIndicator(
                id=column,
                label=label,
                definition=definition,
                higher_is_better=better,
                theme=theme,
                codes=frozenset({1}),
                rivm_counterpart=RIVM_LINKS.get(column, ""),
            ),
        ),
    )


MANTELZORG = _yes_no_scale(
    "mantelzorg",
    "Mantelzorg geven",
    "Geeft u mantelzorg?",
    "Geeft mantelzorg (eigen enquête)",
    "Percentage respondenten dat zegt mantelzorg te geven. Eigen enquête; de Gezondheidsmonitor "
    "vraagt het anders (duur en uren), dus vergelijk met de RIVM-schatting met voorzichtigheid.",
    "neutraal",  # caring is both support given and a burden carried
    "Persoonlijk netwerk",
    "Mantelzorg is onbetaalde zorg voor iemand uit uw omgeving die ziek is of hulp nodig heeft, "
    "zoals uw partner, ouder, kind, buur of vriend. Zorg als beroep of als vrijwilliger via een "
    "organisatie telt niet mee.",
)
VRIJWILLIGERSWERK = _yes_no_scale(
    "vrijwilligerswerk",
    "Vrijwilligerswerk doen",
    "Doet u vrijwilligerswerk?",
    "Doet vrijwilligerswerk (eigen enquête)",
    "Percentage respondenten dat zegt vrijwilligerswerk te doen. Eigen enquête.",
    "hoger",
    "Gemeenschappelijk",
    "Onbetaald werk voor een vereniging, organisatie of de buurt, bijvoorbeeld bij de sportclub, "
    "school of het buurthuis.",
)

#: Every scale except the basisvoorzieningen (those follow the configurable list).
SCALES: tuple[Scale, ...] = (
    DJG11,
    DJG6,
    EENZAAM_ZELF,
    RONDKOMEN,
    MANTELZORG,
    VRIJWILLIGERSWERK,
)

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def voorziening_scale(naam: str) -> Scale:
    """Return the single-question scale for the use of one basisvoorziening (column ``vz_<naam>``).

    Parameters
    ----------
    naam : str
        Lower-case name of the voorziening, e.g. ``"buurthuis"``.

    Returns
    -------
    Scale
        With indicators ``vz_<naam>_gebruikt`` (uses it) and ``vz_<naam>_onbekend`` (does not
        know it), both as a share of everyone who answered the question.

    Raises
    ------
    ValueError
        When the name is not lower-case letters, digits and ``_``.

    Examples
    --------
    >>> [i.id for i in voorziening_scale("buurthuis").indicators]
    ['vz_buurthuis_gebruikt', 'vz_buurthuis_onbekend']
    """
    if not isinstance(naam, str) or not _NAME.fullmatch(naam):
        raise ValueError(
            f"Voorziening {naam!r}: gebruik kleine letters, cijfers en _ (bijvoorbeeld 'buurthuis')"
        )
    declared = voorziening(naam)
    phrase = declared.phrase
    column = f"vz_{naam}"
    return Scale(
        id=column,
        name=f"Gebruik van {phrase}",
        kind=SINGLE,
        block="voorzieningen",
        items=(
            Item(
                column,
                f"Heeft u het afgelopen jaar {phrase} gebruikt?",
                GEBRUIK,
                frozenset({1}),
                printed=declared.label,
                label=f"Gebruik voorziening: {declared.label}",
            ),
        ),
        source="Vraag uit de vragenlijst-template van dit dashboard (issue 'Own survey results').",
        scoring="Gebruikt = 'gebruikt'; onbekend = 'kent niet'; beide van wie antwoord gaf.",
        missing_rule="Geen antwoord telt niet mee.",
        indicators=(
            ScaleIndicator(
                id=f"{column}_gebruikt",
                label=f"Gebruikt {phrase} (eigen enquête)",
                definition=(
                    f"Percentage respondenten dat {phrase} gebruikt, van iedereen die de vraag "
                    "beantwoordde. Eigen enquête."
                ),
                higher_is_better="neutraal",  # more use can mean more need as well as more reach
                theme="Voorzieningen dichtbij",
                codes=frozenset({1}),
            ),
            ScaleIndicator(
                id=f"{column}_onbekend",
                label=f"Kent {phrase} niet (eigen enquête)",
                definition=(
                    f"Percentage respondenten dat {phrase} niet kent, van iedereen die de vraag "
                    "beantwoordde. Eigen enquête."
                ),
                higher_is_better="lager",
                theme="Voorzieningen dichtbij",
                codes=frozenset({3}),
            ),
        ),
    )


def all_scales(
    scales: Iterable[Scale] = SCALES, voorzieningen: Iterable[str] = DEFAULT_VOORZIENINGEN
) -> tuple[Scale, ...]:
    """Return the scales plus one scale per voorziening; fail on a duplicate id or column.

    Examples
    --------
    >>> [s.id for s in all_scales(voorzieningen=("buurthuis",))][-2:]
    ['vrijwilligerswerk', 'vz_buurthuis']
    """
    out = (*scales, *(voorziening_scale(n) for n in voorzieningen))
    seen: set[str] = set()
    for scale in out:
        for name in (*scale.score_columns, *(i.id for i in scale.indicators)):
            if name in seen:
                raise ValueError(f"Schaal {scale.id!r}: naam {name!r} komt twee keer voor")
            seen.add(name)
    columns = [c for s in out for c in s.columns]
    if len(columns) != len(set(columns)):
        raise ValueError("Twee schalen lezen dezelfde kolom; elke vraag hoort bij één schaal")
    return out


# --------------------------------------------------------------------------------------------
# Answers: codes, texts and SPSS value labels to codes
# --------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Return text case-folded, with punctuation as spaces and single spaces."""
    return " ".join(re.sub(r"[-_,.;:!?/()]", " ", text.casefold()).split())


_NON_ANSWERS = frozenset(_normalise(t) for t in NON_ANSWERS)


def _is_blank(raw: object) -> bool:
    """Return whether a raw cell is empty: None, NaN, NA or only spaces."""
    if isinstance(raw, str):
        return not raw.strip()
    try:
        return bool(pd.isna(raw))
    except (TypeError, ValueError):
        return False


def _as_number(raw: object) -> float | None:
    """Return a raw cell as a number, or None when it is text (``True`` is not a number here)."""
    if isinstance(raw, bool | np.bool_):
        return None
    if isinstance(raw, numbers.Number):
        return float(raw)  # type: ignore[arg-type]
    if isinstance(raw, str):
        try:
            return float(raw.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _show(value: object) -> str:
    """Return a raw value as it should read in an error message."""
    number = _as_number(value)
    if not isinstance(value, str) and number is not None and number.is_integer():
        return repr(str(int(number)))
    return repr(str(value))


def _bad_answer_text(column: str, value: object, expected: tuple[str, ...]) -> str:
    """Return the Dutch message for an answer outside the codebook (without file and row)."""
    return (
        f"kolom {column!r}: {_show(value)} is geen geldig antwoord "
        f"(verwacht: {', '.join(expected)})"
    )


def answer_code(
    scale_or_item: Scale | Item,
    raw: object,
    *,
    column: str | None = None,
    value_labels: Mapping[object, str] | None = None,
) -> int | None:
    """Map one raw answer (code, float, text or SPSS value label) to its code.

    Parameters
    ----------
    scale_or_item : Scale or Item
        Whose codebook to use (all items of a scale share one).
    raw : object
        The cell: ``1``, ``1.0``, ``"1"``, ``"Ja"``, ``" min of meer "``, ``"NEE"``, … Empty,
        None and NaN are missing.
    column : str, optional
        Column name for the error message; defaults to the item's column (or the scale id).
    value_labels : mapping, optional
        The column's SPSS value labels (``{1.0: "Nee", 3.0: "Ja"}`` as pyreadstat gives them).
        A number with a label is read by its label, so a file that codes 1 = nee is not read
        as 1 = ja.

    Returns
    -------
    int or None
        The code in our codebook, or None when the answer is missing ("weet niet", no answer).

    Raises
    ------
    ScaleValueError
        When the value is not in the codebook; carries column, value and the expected labels.

    Examples
    --------
    >>> [answer_code(DJG11, v) for v in (1, 2.0, " Min of meer ", "NEE", None, "")]
    [1, 2, 2, 3, None, None]
    >>> answer_code(DJG11, 1.0, value_labels={1.0: "Nee", 2.0: "Min of meer", 3.0: "Ja"})
    3
    >>> answer_code(DJG11.item("djg11_3"), "misschien")
    Traceback (most recent call last):
    ...
    analysis.survey.scales.ScaleValueError: kolom 'djg11_3': 'misschien' is geen geldig antwoord \
(verwacht: ja, min of meer, nee)
    """
    item = scale_or_item.items[0] if isinstance(scale_or_item, Scale) else scale_or_item
    if column is None:
        column = scale_or_item.id if isinstance(scale_or_item, Scale) else item.column
    if _is_blank(raw):
        return None
    if value_labels:
        label = _label_for(raw, value_labels)
        if label is not None:
            return _code_from_text(item, label, column, raw)
    number = _as_number(raw)
    if number is not None:
        for answer in item.answers:
            if number == answer.code:
                return None if answer.missing else answer.code
        raise ScaleValueError(column, raw, item.expected)
    if isinstance(raw, str):
        return _code_from_text(item, raw, column, raw)
    raise ScaleValueError(column, raw, item.expected)


def _label_for(raw: object, value_labels: Mapping[object, str]) -> str | None:
    """Return the SPSS value label of a raw cell, if it has one."""
    for key in (raw, _as_number(raw)):
        try:
            if key is not None and key in value_labels:
                return value_labels[key]
        except TypeError:  # unhashable cell
            return None
    return None


def _code_from_text(item: Item, text: str, column: str, raw: object) -> int | None:
    """Return the code of an answer label or accepted variant; None for a non-answer."""
    key = _normalise(str(text))
    # A leading "Ja, …" / "Nee, …" (GGD and Burgerpeiling wording) is tried without it too.
    first, _, rest = key.partition(" ")
    keys = (key, rest) if first in ("ja", "nee") and rest else (key,)
    for candidate in keys:
        for answer in item.answers:
            spellings = {_normalise(answer.label), *(_normalise(v) for v in answer.variants)}
            if candidate in spellings:
                return None if answer.missing else answer.code
        if candidate in _NON_ANSWERS:
            return None
    raise ScaleValueError(column, raw, item.expected)


#: An answer the analyst marked as not valid: reported, and missing for that item only.
INVALID = "ongeldig"

#: What an analyst can choose for an answer in the answer step: a code, None (missing:
#: "weet niet / geen antwoord") or `INVALID`.
AnswerChoice = int | None | str


def answer_key(raw: object) -> str:
    """Return the text an answer is known by in the answer step (and in a koppelbestand).

    Integral numbers lose their ``.0`` (SPSS and Excel give ``1.0`` for code 1); text is
    stripped; an empty cell is ``""``.

    Examples
    --------
    >>> [answer_key(v) for v in (1.0, 2, " Ja, vaak ", None, 2.5)]
    ['1', '2', 'Ja, vaak', '', '2.5']
    """
    if _is_blank(raw):
        return ""
    if isinstance(raw, bool | np.bool_):
        return str(bool(raw))
    if isinstance(raw, numbers.Number):
        number = float(raw)  # type: ignore[arg-type]
        return str(int(number)) if number.is_integer() else repr(number)
    return str(raw).strip()


def resolve_answer(
    item: Item,
    raw: object,
    *,
    value_labels: Mapping[object, str] | None = None,
    choices: Mapping[str, AnswerChoice] | None = None,
) -> int | None:
    """Return the code of one answer: the analyst's choice when there is one, else `answer_code`.

    Parameters
    ----------
    item : Item
        The question.
    raw : object
        The cell as read.
    value_labels : mapping, optional
        SPSS value labels of the column.
    choices : mapping, optional
        ``{answer_key: code | None | INVALID}`` from the answer step.

    Raises
    ------
    ScaleValueError
        When the answer is not in the codebook or was marked `INVALID`.

    Examples
    --------
    >>> item = RONDKOMEN.items[0]
    >>> resolve_answer(item, "Ja", choices={"Ja": 2}), resolve_answer(item, "Nee, geen moeite")
    (2, 3)
    """
    if choices:
        key = answer_key(raw)
        if key in choices:
            chosen = choices[key]
            if chosen == INVALID:
                raise ScaleValueError(item.column, raw, item.expected)
            if chosen is None:
                return None
            if not any(a.code == chosen for a in item.answers):
                raise ValueError(
                    f"kolom {item.column!r}: antwoord {key!r} is gekoppeld aan code {chosen!r}, "
                    f"die niet in het codeboek staat (verwacht: {', '.join(item.expected)})"
                )
            return int(chosen)
    return answer_code(item, raw, value_labels=value_labels)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerError:
    """One answer outside the codebook: where it is, what it is and what was expected."""

    row: Hashable
    column: str
    value: object
    expected: tuple[str, ...]

    def describe(self, source: str, first_row: int = 2) -> str:
        """Return the Dutch message naming file, row, column, value and the expected answers.

        Parameters
        ----------
        source : str
            File name as the user knows it, e.g. ``"enquete.csv"``.
        first_row : int
            File row of frame row 0: 2 for CSV and Excel (one header row, counting from 1), 1
            for SPSS files. Used when the frame index is a 0-based position.

        Examples
        --------
        >>> AnswerError(12, "djg11_3", "misschien", ("ja", "min of meer", "nee")).describe(
        ...     "enquete.csv")
        "enquete.csv, rij 14, kolom 'djg11_3': 'misschien' is geen geldig antwoord \
(verwacht: ja, min of meer, nee)"
        """
        row = self.row + first_row if isinstance(self.row, int | np.integer) else self.row
        return f"{source}, rij {row}, {_bad_answer_text(self.column, self.value, self.expected)}"


@dataclass(frozen=True)
class ScoredSurvey:
    """Per respondent: the 0/1 indicators and scale scores, plus what could not be scored.

    Attributes
    ----------
    frame : pandas.DataFrame
        The input's other columns (``respondent_id``, ``gebied``, ``gewicht``, …) followed by
        the score columns and one 0/1/NaN column per indicator; same index as the input. The
        raw answer columns are not carried over (an indicator may reuse the name of its
        question, e.g. ``mantelzorg``, and then holds 0/1).
    scales : tuple of str
        Ids of the scales that were scored.
    skipped : tuple of str
        Ids of the scales none of whose columns are in the input.
    incomplete : dict
        Scale id -> item columns absent from the input (the scale was scored with those items
        missing for everyone).
    errors : tuple of AnswerError
        Every answer outside the codebook; such a cell is scored as missing.
    indicators : tuple of str
        Ids of the indicator columns in ``frame``.
    """

    frame: pd.DataFrame
    scales: tuple[str, ...]
    skipped: tuple[str, ...]
    incomplete: dict[str, tuple[str, ...]]
    errors: tuple[AnswerError, ...]
    indicators: tuple[str, ...]

    @property
    def error_rows(self) -> tuple[Hashable, ...]:
        """Return the index labels of rows with at least one answer outside the codebook."""
        return tuple(dict.fromkeys(e.row for e in self.errors))

    def valid(self) -> pd.DataFrame:
        """Return the scored frame without the rows that have an answer error."""
        return self.frame.drop(index=list(self.error_rows))


def score_survey(
    frame: pd.DataFrame,
    scales: Iterable[Scale] = SCALES,
    voorzieningen: Iterable[str] = DEFAULT_VOORZIENINGEN,
    *,
    value_labels: Mapping[str, Mapping[object, str]] | None = None,
    answers: Mapping[str, Mapping[str, AnswerChoice]] | None = None,
) -> ScoredSurvey:
    """Score every scale present in a survey frame in the canonical column names.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent; answers as codes, floats, texts or labels. Not modified.
    scales : iterable of Scale
        The scales to score (default: all but the basisvoorzieningen).
    voorzieningen : iterable of str
        Basisvoorzieningen asked about, one column ``vz_<naam>`` each.
    value_labels : mapping, optional
        SPSS value labels per column (pyreadstat's ``meta.variable_value_labels``).
    answers : mapping, optional
        The analyst's answer choices per column, ``{column: {answer_key: code | None |
        INVALID}}`` (see `resolve_answer`); answers not in it are read by `answer_code`.

    Returns
    -------
    ScoredSurvey
        Indicators, scores, the scales scored and skipped, and every answer error with its row
        and column (collected, not raised, so the caller can keep the good rows).

    Raises
    ------
    ValueError
        When an input column already has the name of a computed score or indicator.

    Examples
    --------
    >>> survey = pd.DataFrame({"gebied": ["A", "B"], "rondkomen": ["Enige moeite", 3],
    ...                        "mantelzorg": ["ja", "misschien"]})
    >>> scored = score_survey(survey)
    >>> scored.frame[["gebied", "moeite_rondkomen", "mantelzorg"]].to_dict("list")
    {'gebied': ['A', 'B'], 'moeite_rondkomen': [1.0, 0.0], 'mantelzorg': [1.0, nan]}
    >>> [e.describe("e.csv") for e in scored.errors]
    ["e.csv, rij 3, kolom 'mantelzorg': 'misschien' is geen geldig antwoord (verwacht: ja, nee)"]
    """
    labels = value_labels or {}
    chosen = all_scales(scales, voorzieningen)
    parts: list[pd.DataFrame] = []
    errors: list[AnswerError] = []
    scored: list[str] = []
    skipped: list[str] = []
    incomplete: dict[str, tuple[str, ...]] = {}
    used_columns: set[str] = set()
    for scale in chosen:
        present = [c for c in scale.columns if c in frame.columns]
        if not present:
            skipped.append(scale.id)
            continue
        absent = tuple(c for c in scale.columns if c not in frame.columns)
        if absent:
            incomplete[scale.id] = absent
        codes = {}
        for item in scale.items:
            if item.column in frame.columns:
                codes[item.column], errs = _coded_column(
                    frame[item.column],
                    item,
                    labels.get(item.column),
                    (answers or {}).get(item.column),
                )
                errors.extend(errs)
            else:
                codes[item.column] = _Coded.missing(len(frame))
        parts.append(_score_coded(scale, codes, frame.index))
        scored.append(scale.id)
        used_columns.update(present)
    rest = frame[[c for c in frame.columns if c not in used_columns]]
    clash = [c for part in parts for c in part.columns if c in rest.columns]
    if clash:
        raise ValueError(
            f"Kolom {clash[0]!r} staat al in de enquête; die naam is voor een berekende score "
            "of indicator. Geef de kolom een andere naam."
        )
    out = pd.concat([rest, *parts], axis=1)
    indicators = tuple(i.id for s in chosen if s.id in scored for i in s.indicators)
    return ScoredSurvey(
        frame=out,
        scales=tuple(scored),
        skipped=tuple(skipped),
        incomplete=incomplete,
        errors=tuple(sorted(errors, key=lambda e: (_order(frame, e.row), e.column))),
        indicators=indicators,
    )


def _order(frame: pd.DataFrame, label: Hashable) -> int:
    """Return the position of an index label, to list errors in file order."""
    position = frame.index.get_loc(label)
    return position if isinstance(position, int) else 0


@dataclass(frozen=True)
class _Coded:
    """An answer column as one position per cell into a small table of its distinct codes.

    A CSV column of 500 000 cells holds a handful of distinct answers: what depends on the
    answer alone (its code, whether it scores a point, whether it counts for an indicator)
    is worked out once per distinct answer in ``lookup`` and spread over the cells with one
    ``take`` (issue 14), instead of a pass of numpy over the cells per step.

    Attributes
    ----------
    positions : numpy.ndarray
        Per cell the position of its answer in ``lookup``; -1 (missing) is the last entry.
    lookup : numpy.ndarray
        float64 codes, NaN for an answer that is missing or outside the codebook, and a last
        NaN for the missing cells.

    Examples
    --------
    >>> coded = _Coded(np.array([1, -1, 0], dtype=np.int8), np.array([2.0, 1.0, np.nan]))
    >>> coded.codes().tolist(), coded.spread(np.array([True, False, False])).tolist()
    ([1.0, nan, 2.0], [False, False, True])
    """

    positions: np.ndarray
    lookup: np.ndarray

    @classmethod
    def of(cls, codes: np.ndarray) -> _Coded:
        """Hold codes given per cell (each cell its own entry of the table)."""
        values = np.asarray(codes, dtype="float64")
        return cls(np.arange(len(values)), np.append(values, np.nan))

    @classmethod
    def missing(cls, size: int) -> _Coded:
        """Return a column of ``size`` missing answers (an item absent from the file)."""
        return cls(np.full(size, -1, dtype=np.int8), np.array([np.nan]))

    def spread(self, per_answer: np.ndarray) -> np.ndarray:
        """Return per cell the entry of ``per_answer`` (one per entry of `lookup`)."""
        return _spread(self.positions, per_answer)

    def codes(self) -> np.ndarray:
        """Return the code of every cell (NaN = missing)."""
        return self.spread(self.lookup)


#: Largest table spread by comparing positions rather than by ``take`` (see `_spread`).
SPREAD_BY_COMPARING = 16


def _spread(positions: np.ndarray, per_answer: np.ndarray) -> np.ndarray:
    """Return ``per_answer.take(positions)``, for a small table by comparing positions.

    ``take`` of 500 000 one-byte positions costs 2 to 4 ms (numpy widens every position to
    a full integer first); comparing them with one position costs 0,02 ms. A small table of
    flags (point or not, missing or not) or of indicator values (1, 0 or NaN) is therefore
    spread by comparing; any other table by ``take``. Position -1 is the table's last entry,
    as in ``take``.

    Examples
    --------
    >>> positions = np.array([0, 2, -1, 1, 0], dtype=np.int8)
    >>> table = np.array([1.0, 0.0, 1.0, np.nan])
    >>> _spread(positions, table).tolist(), table.take(positions).tolist()
    ([1.0, 1.0, nan, 0.0, 1.0], [1.0, 1.0, nan, 0.0, 1.0])
    >>> _spread(positions, table > 0.5).tolist()
    [True, True, False, False, True]
    """
    if positions.dtype != np.int8 or len(per_answer) > SPREAD_BY_COMPARING:
        return per_answer.take(positions)
    if per_answer.dtype == np.bool_:
        return _cells_at(positions, per_answer)
    ones, missing = per_answer == 1, np.isnan(per_answer)
    if not (ones | missing | (per_answer == 0)).all():
        return per_answer.take(positions)
    return _ones_or_nan(_cells_at(positions, ones), _cells_at(positions, missing))


def _ones_or_nan(ones: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Return 1.0 where ``ones``, NaN where ``missing`` (never both), else 0.0.

    One division (1/1, 0/1, 0/0) instead of ``np.where``: 0,5 ms for 500 000 cells, not 1,3.

    Examples
    --------
    >>> _ones_or_nan(np.array([True, False, False]), np.array([False, False, True])).tolist()
    [1.0, 0.0, nan]
    """
    with np.errstate(invalid="ignore"):
        return np.divide(ones, ~missing, dtype=np.float64)


def _cells_at(positions: np.ndarray, entries: np.ndarray) -> np.ndarray:
    """Return per cell whether its position is one of the table entries flagged in ``entries``.

    The last entry stands for position -1 (a missing cell). The fewer side is compared.
    """
    flagged = np.flatnonzero(entries)
    flip = len(flagged) > len(entries) - len(flagged)
    if flip:
        flagged = np.flatnonzero(~entries)
    cells = np.zeros(len(positions), dtype=bool)
    for entry in flagged.tolist():
        cells |= positions == (-1 if entry == len(entries) - 1 else entry)
    return ~cells if flip else cells


def _code_column(
    values: pd.Series,
    item: Item,
    value_labels: Mapping[object, str] | None,
    choices: Mapping[str, AnswerChoice] | None = None,
) -> tuple[pd.Series, list[AnswerError]]:
    """Return one answer column as float codes (NaN = missing) and the answers outside it."""
    coded, errors = _coded_column(values, item, value_labels, choices)
    return pd.Series(coded.codes(), index=values.index, dtype="float64", copy=False), errors


def _coded_column(
    values: pd.Series,
    item: Item,
    value_labels: Mapping[object, str] | None,
    choices: Mapping[str, AnswerChoice] | None = None,
) -> tuple[_Coded, list[AnswerError]]:
    """`_code_column` as `_Coded`: the codes of the distinct answers and a position per cell."""
    if value_kind(values) in UNIFORM_KINDS:
        return _code_uniform_column(values, item, value_labels, choices)
    memo: dict[tuple[type, object], int | None | ScaleValueError] = {}
    codes: list[float] = []
    errors: list[AnswerError] = []
    for label, raw in values.items():
        try:
            key = (type(raw), raw)
            hash(key)
        except TypeError:
            key = (type(raw), repr(raw))
        if _is_blank(raw):
            result: int | None | ScaleValueError = None
        elif key in memo:
            result = memo[key]
        else:
            try:
                result = resolve_answer(item, raw, value_labels=value_labels, choices=choices)
            except ScaleValueError as err:
                result = err
            memo[key] = result
        if isinstance(result, ScaleValueError):
            errors.append(AnswerError(label, item.column, raw, result.expected))
            codes.append(math.nan)
        else:
            codes.append(math.nan if result is None else float(result))
    return _Coded.of(np.array(codes, dtype="float64")), errors


#: Column kinds (``pandas.api.types.infer_dtype``) whose cells are all of one type, so equal
#: cells are equal answers and each distinct cell needs reading once. Mixed object columns
#: (Excel: 1, "1" and True side by side) take the cell-by-cell loop, where 1 and True differ.
UNIFORM_KINDS = frozenset({"string", "integer", "floating", "empty"})


def value_kind(values: pd.Series) -> str:
    """Return ``pandas.api.types.infer_dtype`` of a column; of its categories for a Categorical.

    A CSV column is a Categorical of its texts (`data.uploads.text.CodedText`): its cells are
    of the kind of its categories.

    Examples
    --------
    >>> value_kind(pd.Series(["ja", None], dtype="category")), value_kind(pd.Series([1, "1"]))
    ('string', 'mixed-integer')
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return pd.api.types.infer_dtype(values.cat.categories, skipna=True)
    return pd.api.types.infer_dtype(values, skipna=True)


def distinct_values(values: pd.Series) -> tuple[np.ndarray, list]:
    """Return a code per cell (-1 where missing) and the distinct values the codes point at.

    A Categorical already holds both (its distinct values may include some no cell has);
    any other column of one kind is factorised.

    Examples
    --------
    >>> codes, uniques = distinct_values(pd.Series(["b", None, "b"], dtype="category"))
    >>> codes.tolist(), uniques
    ([0, -1, 0], ['b'])
    >>> codes, uniques = distinct_values(pd.Series([2.0, None, 3.0]))
    >>> codes.tolist(), uniques
    ([0, -1, 1], [2.0, 3.0])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array.codes, values.cat.categories.tolist()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, uniques.tolist()


def _code_uniform_column(
    values: pd.Series,
    item: Item,
    value_labels: Mapping[object, str] | None,
    choices: Mapping[str, AnswerChoice] | None = None,
) -> tuple[_Coded, list[AnswerError]]:
    """`_code_column` for a column of one type: read each distinct answer once (issue #5).

    A survey of 100 000 rows has a handful of distinct answers per column; reading those and
    spreading the codes back with numpy takes milliseconds instead of a second per column.
    """
    positions, uniques = distinct_values(values)
    results: list[int | None | ScaleValueError] = []
    for raw in uniques:
        try:
            results.append(resolve_answer(item, raw, value_labels=value_labels, choices=choices))
        except ScaleValueError as err:
            results.append(err)
    lookup = np.array(
        [math.nan if r is None or isinstance(r, ScaleValueError) else float(r) for r in results]
        + [math.nan],  # position -1: a missing cell
        dtype="float64",
    )
    failed = np.array([isinstance(r, ScaleValueError) for r in results] + [False], dtype=bool)
    if not failed.any():
        return _Coded(positions, lookup), []
    bad = np.flatnonzero(_spread(positions, failed))
    errors = [
        AnswerError(label, item.column, raw, item.expected)
        for label, raw in zip(values.index[bad], values.iloc[bad].tolist(), strict=True)
    ]
    return _Coded(positions, lookup), errors


def score_scale(scale: Scale, codes: pd.DataFrame) -> pd.DataFrame:
    """Score one scale from answer codes (float, NaN = missing) in its item columns.

    Parameters
    ----------
    scale : Scale
        The scale; its item columns must all be in ``codes``.
    codes : pandas.DataFrame
        Codes from `answer_code`, one column per item.

    Returns
    -------
    pandas.DataFrame
        For a sum scale: ``<id>_totaal``, one column per subscale, ``<id>_categorie`` (ordered
        categorical with the Dutch labels), then the indicators. For a single question: the
        indicators. Indicators are 1.0, 0.0 or NaN (missing under the scale's rule).

    Examples
    --------
    >>> lonely = pd.DataFrame([[2.0] * 11], columns=list(DJG11.columns))  # all "min of meer"
    >>> score_scale(DJG11, lonely).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'djg11_totaal': 11.0, 'djg11_emotioneel': 6.0, 'djg11_sociaal': 5.0,
     'djg11_categorie': 'zeer ernstig eenzaam', 'eenzaam': 1.0, 'ernstig_eenzaam': 1.0}
    """
    coded = {i.column: _Coded.of(codes[i.column].to_numpy(dtype="float64", na_value=np.nan))
             for i in scale.items}  # fmt: skip
    return _score_coded(scale, coded, codes.index)


def _score_coded(scale: Scale, codes: Mapping[str, _Coded], index: pd.Index) -> pd.DataFrame:
    """`score_scale` on coded columns: each step decided per distinct answer, then spread."""
    if scale.kind == SINGLE:
        code = codes[scale.items[0].column]
        return pd.DataFrame(
            {ind.id: code.spread(_in_codes(code.lookup, ind.codes)) for ind in scale.indicators},
            index=index,
            copy=False,
        )
    # numpy on whole columns: the pandas version of these steps took 0,6 s on 500 000 rows.
    points = {}
    for i in scale.items:
        hit, absent = _points(codes[i.column].lookup, i.scored)
        points[i.column] = (codes[i.column].spread(hit), codes[i.column].spread(absent))
    total = _sum_score([points[c] for c in scale.columns], scale.max_missing)
    out: dict[str, object] = {f"{scale.id}_totaal": total}
    for sub in scale.subscales:
        out[f"{scale.id}_{sub.id}"] = _sum_score([points[c] for c in sub.columns], sub.max_missing)
    out[f"{scale.id}_categorie"] = _categorise(total, scale.categories)
    unknown = np.isnan(total)
    for ind in scale.indicators:
        with np.errstate(invalid="ignore"):  # (NaN >= minimum is False: NaN stays NaN below)
            out[ind.id] = _ones_or_nan(total >= ind.minimum, unknown)
    return pd.DataFrame(out, index=index, copy=False)


def _in_codes(code: np.ndarray, accepted: frozenset[int]) -> np.ndarray:
    """Return 1.0 where a code is in ``accepted``, 0.0 where not, NaN where it is missing.

    Examples
    --------
    >>> _in_codes(np.array([1.0, 3.0, np.nan]), frozenset({1, 2})).tolist()
    [1.0, 0.0, nan]
    """
    hit = np.isin(code, sorted(accepted)).astype("float64")
    return np.where(np.isnan(code), np.nan, hit)


def _points(code: np.ndarray, scored: frozenset[int]) -> tuple[np.ndarray, np.ndarray]:
    """Return, per answer, whether it scores a point, and whether it is missing.

    Examples
    --------
    >>> hit, absent = _points(np.array([1.0, 3.0, np.nan]), frozenset({1, 2}))
    >>> hit.tolist(), absent.tolist()
    ([True, False, False], [False, False, True])
    """
    return np.isin(code, sorted(scored)), np.isnan(code)


def _sum_score(points: list[tuple[np.ndarray, np.ndarray]], max_missing: int) -> np.ndarray:
    """Return the number of lonely answers; NaN where over ``max_missing`` items are missing.

    ``points`` holds per item what `_points` returns (a missing answer scores no point).

    Examples
    --------
    >>> items = [np.array([1.0, np.nan]), np.array([0.0, np.nan]), np.array([np.nan, 1.0])]
    >>> _sum_score([_points(item, frozenset({1})) for item in items], 1).tolist()
    [1.0, nan]
    """
    total = np.zeros(len(points[0][0]), dtype=np.int16)
    missing = np.zeros(len(points[0][0]), dtype=np.int16)
    for hit, absent in points:  # item by item: whole columns, no strided reads across a table
        total += hit
        missing += absent
    keep = (missing < len(points)) & (missing <= max_missing)
    return np.where(keep, total, np.nan)


def _categorise(total: np.ndarray, categories: tuple[Category, ...]) -> pd.Categorical:
    """Return the Dutch category of each total as an ordered categorical (NaN stays missing).

    Examples
    --------
    >>> bands = (Category(0, 2, "niet"), Category(3, 11, "wel"))
    >>> _categorise(np.array([1.0, 5.0, np.nan]), bands).tolist()
    ['niet', 'wel', nan]
    """
    labels = [c.label for c in categories]
    codes = np.full(len(total), -1, dtype="int8" if len(labels) < 127 else "int64")
    with np.errstate(invalid="ignore"):
        for at, cat in enumerate(categories):  # a later band wins where bands overlap
            codes[(total >= cat.low) & (total <= cat.high)] = at
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(labels, ordered=True))


def survey_indicators(
    scales: Iterable[Scale] = SCALES, voorzieningen: Iterable[str] = DEFAULT_VOORZIENINGEN
) -> list[dict]:
    """Return the survey indicators in the catalogue's shape (plain dicts, kind "eigen enquête").

    Parameters
    ----------
    scales : iterable of Scale
        The scales whose indicators to list.
    voorzieningen : iterable of str
        Basisvoorzieningen, two indicators each.

    Returns
    -------
    list of dict
        Keys ``id, label, definition, unit, decimals, higher_is_better, kind, theme``: the
        fields of `analysis.catalogue.Indicator` without source columns.

    Examples
    --------
    >>> first = survey_indicators()[0]
    >>> first["id"], first["unit"], first["decimals"], first["kind"]
    ('eenzaam', '%', 1, 'eigen enquête')
    """
    return [
        {
            "id": ind.id,
            "label": ind.label,
            "definition": ind.definition,
            "unit": "%",
            # One decimal, on screen and in every export: a survey share of 54,3 % with an
            # interval of 45,1–63,2 % (issue #12; whole numbers hid half a point either way).
            "decimals": 1,
            "higher_is_better": ind.higher_is_better,
            "kind": SURVEY_KIND,
            "theme": ind.theme,
        }
        for scale in all_scales(scales, voorzieningen)
        for ind in scale.indicators
    ]


def rivm_counterparts(
    scales: Iterable[Scale] = SCALES, voorzieningen: Iterable[str] = DEFAULT_VOORZIENINGEN
) -> dict[str, str]:
    """Return survey indicator id -> catalogue id of the RIVM estimate it may be set beside.

    Examples
    --------
    >>> rivm_counterparts()["mantelzorg"]
    'mantelzorger'
    """
    return {
        ind.id: ind.rivm_counterpart
        for scale in all_scales(scales, voorzieningen)
        for ind in scale.indicators
        if ind.rivm_counterpart
    }


#: Survey indicators whose question, answers and cut-off are those of the Gezondheidsmonitor,
#: so a difference with the RIVM estimate may be tested (issue #12): the De Jong Gierveld
#: scale with the same cut-offs, and the yes/no question on volunteering.
SAME_AS_RIVM = frozenset({"eenzaam", "ernstig_eenzaam", "vrijwilligerswerk"})

#: Why the other survey indicators with an RIVM counterpart are set beside it but never tested.
RIVM_DIFFERENCES = {
    "moeite_rondkomen": "andere antwoordmogelijkheden dan de Gezondheidsmonitor",
    "mantelzorg": (
        "andere vraag: de RIVM-schatting 'mantelzorger' gaat over mantelzorg van minstens 3 "
        "maanden en/of 8 uur per week"
    ),
}


def rivm_comparable(
    scales: Iterable[Scale] = SCALES, voorzieningen: Iterable[str] = DEFAULT_VOORZIENINGEN
) -> dict[str, str]:
    """Return survey id -> RIVM id for the pairs whose definitions match (they may be tested).

    Examples
    --------
    >>> sorted(rivm_comparable())
    ['eenzaam', 'ernstig_eenzaam', 'vrijwilligerswerk']
    >>> "mantelzorg" in rivm_comparable()  # another question than RIVM's "mantelzorger"
    False
    """
    pairs = rivm_counterparts(scales, voorzieningen)
    return {s: r for s, r in pairs.items() if s in SAME_AS_RIVM}


def rivm_difference(indicator_id: str) -> str:
    """Return why a survey indicator is not tested against its RIVM counterpart ("" if it is).

    Examples
    --------
    >>> rivm_difference("enq_mantelzorg").startswith("andere vraag")
    True
    >>> rivm_difference("eenzaam")
    ''
    """
    base = indicator_id.removeprefix("enq_")
    if base in SAME_AS_RIVM or base not in rivm_counterparts():
        return ""
    return RIVM_DIFFERENCES.get(base, "andere vraag dan de Gezondheidsmonitor")
