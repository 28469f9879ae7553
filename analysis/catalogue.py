"""The indicator catalogue: one declarative place for labels, units, definitions and sources."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CATALOGUE_FILE = Path(__file__).resolve().parent / "indicators.toml"

#: The three kinds of figure: registered (CBS), model estimate (RIVM) and the gemeente's own survey.
REGISTRATION = "registratie"
MODEL_ESTIMATE = "modelschatting"
SURVEY_KIND = "eigen enquête"
KINDS = (REGISTRATION, MODEL_ESTIMATE, SURVEY_KIND)
DIRECTIONS = ("hoger", "lager", "neutraal")

#: How each kind is named on screen, so a model estimate is never read as a measurement.
KIND_LABELS = {
    REGISTRATION: "Registratie (CBS)",
    MODEL_ESTIMATE: "Modelschatting (RIVM)",
    SURVEY_KIND: "Eigen enquête",
}


#: Id of RIVM's table "Gezondheid per wijk en buurt" (StatLine), also its catalogue source id.
RIVM_TABLE_ID = "50090NED"

#: Catalogue ids of own-survey indicators start with this, e.g. ``enq_eenzaam``.
SURVEY_PREFIX = "enq_"


def survey_id(indicator_id: str) -> str:
    """Return the catalogue id of an own-survey indicator.

    Examples
    --------
    >>> survey_id("eenzaam")
    'enq_eenzaam'
    """
    return f"{SURVEY_PREFIX}{indicator_id}"


class CatalogueError(ValueError):
    """The catalogue file breaks one of its own rules."""


@dataclass(frozen=True)
class Source:
    """A source table: where figures come from, and how to credit them."""

    id: str
    title: str
    publisher: str
    kind: str
    credit: str
    licence: str
    table_id: str
    period: int
    indeling: int
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Phrase:
    """How a sentence says "more" or "less" of one indicator: a verb and two endings.

    The qualifier ("naar schatting", "volgens de enquête") goes between ``verb`` and the ending,
    so "In Noord voelen naar schatting meer mensen zich eenzaam ..." stays good Dutch.
    """

    verb: str
    higher: str
    lower: str


@dataclass(frozen=True)
class PageDefaults:
    """What the pages open with when the URL names nothing: ids of catalogue indicators."""

    #: The map's indicator (the question the dashboard exists for).
    map: str = ""
    #: The indicators the comparison page starts with.
    compare: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """One indicator with its Dutch label, definition, unit and per-source columns."""

    id: str
    label: str
    definition: str
    unit: str
    decimals: int
    higher_is_better: str
    kind: str
    theme: str
    columns: dict[str, str] = field(default_factory=dict)
    ratios: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Sentence parts for `analysis.text.difference_sentence`; None gives a neutral sentence.
    phrase: Phrase | None = None

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Return the ids of every source this indicator is taken from."""
        return tuple(sorted({*self.columns, *self.ratios}))

    @property
    def is_percentage(self) -> bool:
        """Return whether the unit is a percentage."""
        return self.unit == "%"


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue: indicators in file order, sources by id, the pages' defaults."""

    indicators: tuple[Indicator, ...]
    sources: dict[str, Source]
    defaults: PageDefaults = field(default_factory=PageDefaults)

    def indicator(self, indicator_id: str) -> Indicator:
        """Return one indicator by id.

        Raises
        ------
        KeyError
            With the unknown id and the known ones, when the id is not in the catalogue.
        """
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise KeyError(f"Onbekende indicator {indicator_id!r}; bekend zijn: {known}")

    def source(self, source_id: str) -> Source:
        """Return one source by id."""
        try:
            return self.sources[source_id]
        except KeyError:
            known = ", ".join(self.sources)
            raise KeyError(f"Onbekende bron {source_id!r}; bekend zijn: {known}") from None

    def for_source(self, source_id: str) -> tuple[Indicator, ...]:
        """Return the indicators that take a column or ratio from one source."""
        return tuple(i for i in self.indicators if source_id in i.source_ids)

    def ids(self) -> tuple[str, ...]:
        """Return every indicator id in catalogue order."""
        return tuple(i.id for i in self.indicators)

    def with_survey(self, indicators: list[dict], source: Source) -> Catalogue:
        """Return a catalogue extended with the indicators of one session's own survey.

        Survey indicators are declared once, with their scales, in `analysis.survey.scales`;
        they join the catalogue under the prefix `SURVEY_PREFIX` so they can never be confused (or
        pooled) with the RIVM model estimate of the same theme (``enq_eenzaam`` beside
        ``eenzaam``). The result is a new catalogue; this one is not changed.

        Examples
        --------
        >>> cat = load_catalogue()
        >>> src = Source("enquete", "Eigen enquête", "gemeente", "eigen enquête",
        ...              "Bron: eigen enquête", "", "enquete.csv", 2026, 2025)
        >>> ind = {"id": "eenzaam", "label": "Eenzaam (eigen enquête)", "definition": "d",
        ...        "unit": "%", "decimals": 0, "higher_is_better": "lager",
        ...        "kind": "eigen enquête", "theme": "Hoe gaat het met de mensen"}
        >>> extended = cat.with_survey([ind], src)
        >>> extended.indicator("enq_eenzaam").kind, "enq_eenzaam" in cat.ids()
        ('eigen enquête', False)
        """
        if source.kind != SURVEY_KIND:
            raise CatalogueError(f"Bron {source.id!r} is geen eigen enquête")
        added = []
        for body in indicators:
            ind = Indicator(
                **{**body, "id": survey_id(body["id"])}, columns={source.id: body["id"]}
            )
            added.append(ind)
        sources = {**self.sources, source.id: source}
        seen: set[str] = set()
        for ind in (*self.indicators, *added):
            _validate_indicator(ind, sources, seen)
            seen.add(ind.id)
        return Catalogue(
            indicators=(*self.indicators, *added), sources=sources, defaults=self.defaults
        )


def parse_catalogue(raw: dict) -> Catalogue:
    """Validate a parsed catalogue document and build a `Catalogue`.

    Parameters
    ----------
    raw : dict
        The TOML document as a dict, with ``sources``, ``indicators`` and optionally
        ``defaults`` (`PageDefaults`).

    Returns
    -------
    Catalogue

    Raises
    ------
    CatalogueError
        Naming the indicator or source and the rule it breaks.

    Examples
    --------
    >>> doc = {
    ...     "sources": {"T1": {"title": "T", "publisher": "CBS", "kind": "registratie",
    ...                        "credit": "Bron: CBS", "licence": "CC BY 4.0",
    ...                        "table_id": "T1", "period": 2025, "indeling": 2025}},
    ...     "indicators": [{"id": "inwoners", "label": "Aantal inwoners", "definition": "...",
    ...                     "unit": "aantal", "decimals": 0, "higher_is_better": "neutraal",
    ...                     "kind": "registratie", "theme": "Wie wonen er",
    ...                     "columns": {"T1": "AantalInwoners_5"}}],
    ... }
    >>> parse_catalogue(doc).indicator("inwoners").columns
    {'T1': 'AantalInwoners_5'}
    """
    sources: dict[str, Source] = {}
    for sid, body in raw.get("sources", {}).items():
        try:
            source = Source(id=sid, **body)
        except TypeError as err:
            raise CatalogueError(f"Bron {sid!r}: {err}") from None
        if source.kind not in KINDS:
            raise CatalogueError(f"Bron {sid!r}: soort {source.kind!r} is niet een van {KINDS}")
        sources[sid] = source

    indicators: list[Indicator] = []
    seen: set[str] = set()
    for body in raw.get("indicators", []):
        iid = body.get("id", "?")
        try:
            ind = Indicator(
                **{k: v for k, v in body.items() if k not in ("columns", "ratios", "phrase")},
                columns=dict(body.get("columns", {})),
                ratios={k: tuple(v) for k, v in body.get("ratios", {}).items()},
                phrase=_phrase(iid, body.get("phrase")),
            )
        except TypeError as err:
            raise CatalogueError(f"Indicator {iid!r}: {err}") from None
        _validate_indicator(ind, sources, seen)
        seen.add(ind.id)
        indicators.append(ind)
    defaults = _defaults(raw.get("defaults", {}), {i.id: i for i in indicators})
    return Catalogue(indicators=tuple(indicators), sources=sources, defaults=defaults)


def _phrase(indicator_id: str, body: object) -> Phrase | None:
    """Build an indicator's `Phrase` from its ``phrase = {verb, higher, lower}`` table."""
    if body is None:
        return None
    where = f"Indicator {indicator_id!r}, phrase"
    if not isinstance(body, dict) or set(body) != {"verb", "higher", "lower"}:
        raise CatalogueError(f"{where}: verwacht een tabel met precies verb, higher en lower")
    empty = [k for k in ("verb", "higher", "lower") if not isinstance(body[k], str) or not body[k]]
    if empty:
        raise CatalogueError(f"{where}: {empty[0]} moet een niet-lege tekst zijn")
    return Phrase(verb=body["verb"], higher=body["higher"], lower=body["lower"])


def _defaults(body: dict, indicators: dict[str, Indicator]) -> PageDefaults:
    """Build and check the ``[defaults]`` table: known ids, no counts to compare."""
    unknown = set(body) - {"map", "compare"}
    if unknown:
        raise CatalogueError(f"defaults: onbekende sleutel {sorted(unknown)[0]!r}")
    defaults = PageDefaults(
        map=str(body.get("map", "")), compare=tuple(str(i) for i in body.get("compare", ()))
    )
    for iid in ([defaults.map] if defaults.map else []) + list(defaults.compare):
        if iid not in indicators:
            raise CatalogueError(f"defaults: onbekende indicator {iid!r}")
    for iid in defaults.compare:
        if indicators[iid].unit == "aantal":
            raise CatalogueError(f"defaults.compare: {iid!r} is een aantal en niet te vergelijken")
    return defaults


def _validate_indicator(ind: Indicator, sources: dict[str, Source], seen: set[str]) -> None:
    """Raise `CatalogueError` when an indicator breaks a catalogue rule."""
    where = f"Indicator {ind.id!r}"
    if ind.id in seen:
        raise CatalogueError(f"{where} staat twee keer in de catalogus")
    if not ind.id.isidentifier() or ind.id != ind.id.lower():
        raise CatalogueError(f"{where}: id moet kleine letters, cijfers en _ zijn")
    if ind.kind not in KINDS:
        raise CatalogueError(f"{where}: soort {ind.kind!r} is niet een van {KINDS}")
    if ind.higher_is_better not in DIRECTIONS:
        raise CatalogueError(
            f"{where}: higher_is_better {ind.higher_is_better!r} niet in {DIRECTIONS}"
        )
    if not isinstance(ind.decimals, int) or not 0 <= ind.decimals <= 3:
        raise CatalogueError(f"{where}: decimals moet een geheel getal 0–3 zijn")
    if not ind.label or not ind.definition or not ind.unit:
        raise CatalogueError(f"{where}: label, definition en unit zijn verplicht")
    both = set(ind.columns) & set(ind.ratios)
    if both:
        raise CatalogueError(f"{where}: bron {sorted(both)} staat in columns én ratios")
    for sid in ind.source_ids:
        if sid not in sources:
            raise CatalogueError(f"{where}: onbekende bron {sid!r}")
        if sources[sid].kind != ind.kind:
            raise CatalogueError(
                f"{where}: soort {ind.kind!r} past niet bij bron {sid!r} ({sources[sid].kind!r})"
            )
    for sid, pair in ind.ratios.items():
        if len(pair) != 2:
            raise CatalogueError(f"{where}: ratio voor {sid!r} moet [teller, noemer] zijn")
        if not ind.is_percentage:
            raise CatalogueError(f"{where}: een ratio geeft een percentage; unit moet '%' zijn")
    if ind.phrase is not None and ind.unit == "aantal":
        raise CatalogueError(f"{where}: een aantal krijgt geen zin (phrase weglaten)")


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and validate the catalogue file (once per process: it is static, public text)."""
    with path.open("rb") as fh:
        return parse_catalogue(tomllib.load(fh))


def with_sources(catalogue: Catalogue, extra: dict[str, dict]) -> Catalogue:
    """Return the catalogue with source tables it did not list (from a fetched snapshot).

    ``python -m snapshot_build.fetch`` may find a newer table than the catalogue knows and
    take its columns by name; it records that table's `Source` fields in the snapshot's
    manifest (``extra_sources``), so the pages can name and credit it.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> extra = {"99999NED": {**vars(cat.source("86165NED")), "id": "99999NED",
    ...          "table_id": "99999NED", "title": "Kerncijfers wijken en buurten 2026"}}
    >>> with_sources(cat, extra).source("99999NED").title
    'Kerncijfers wijken en buurten 2026'
    """
    if not extra:
        return catalogue
    added = {sid: Source(**fields) for sid, fields in extra.items() if sid not in catalogue.sources}
    return Catalogue(indicators=catalogue.indicators, sources={**catalogue.sources, **added})
