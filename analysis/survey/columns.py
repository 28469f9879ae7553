"""Propose which column of a survey file holds which item; the user confirms or corrects it."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping as AbstractMapping
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.problems import UploadError
from analysis.survey.instrument import (
    DEFAULT_VOORZIENINGEN,
    DJG6_FROM_DJG11,
    DJG11_ORDER,
    DJG_PHRASES,
    LABEL_RULES,
    NAME_RULES,
    VOORZIENINGEN,
)
from analysis.survey.questionnaire import canonical_columns
from analysis.survey.scales import INVALID, AnswerChoice

#: Version of the JSON koppelbestand; bump it when the format changes incompatibly.
MAPPING_VERSION = 1
#: Marks a JSON file as ours, so a random JSON file gives a clear error.
MAPPING_KIND = "sociale-basis-kolomkoppeling"

#: Every column of the canonical survey schema (the questionnaire's empty data file), in order;
#: a file may add its own ``vz_<naam>`` columns.
TARGETS = canonical_columns(DEFAULT_VOORZIENINGEN)
ID_TARGETS = TARGETS[:5]
DJG11_TARGETS = tuple(t for t in TARGETS if t.startswith("djg11_"))
DJG6_TARGETS = tuple(t for t in TARGETS if t.startswith("djg6_"))
#: Targets of which at least one must be mapped: without an area nothing shows per wijk.
AREA_TARGETS = ("gebied", "postcode")

#: Confidence of a column that already has the canonical name; only this needs no check.
CERTAIN = 1.0
REASON_CANONICAL = "kolom heeft de standaardnaam"
REASON_USER = "gekozen door de gebruiker"
REASON_NONE = "geen kolom gevonden"

#: De Jong Gierveld 11-item scale, standard order: phrases that identify each item in a label
#: (declared in `instrument.DJG_PHRASES`).
DJG11_PHRASES = {i: DJG_PHRASES[key] for i, (key, _) in enumerate(DJG11_ORDER, start=1)}
#: Item number on the 6-item scale of each 11-item item it shares.
DJG6_OF_DJG11 = {item: position for position, item in enumerate(DJG6_FROM_DJG11, start=1)}

# Stems of item columns seen in exports ("eenz_1", "DJG1", "eenzaam1", "jg11_3").
_DJG_NAME = re.compile(
    r"(?P<stem>djg|dejonggierveld|dejong|jg|eenz|eenzaam|eenzaamheid|eenzh)"
    r"(?:(?P<scale>11|6)_)?_?0?(?P<num>\d{1,2})"
)
# Generic question numbers ("q12_3", "v5_1", "vraag12_3").
_QUESTION = re.compile(r"(?P<stem>[a-z]+\d*)_(?P<num>\d{1,2})")
_VOORZIENING_WORDS = {v.name: v.words for v in VOORZIENINGEN}
# Name patterns per target: (regex on the normalised name, confidence).
_NAME_RULES = NAME_RULES
# Phrases in a variable label per target, for SPSS files with q1..q40 names.
_LABEL_RULES = LABEL_RULES
# Answer labels that identify a question type (SPSS value labels).
_VALUE_LABEL_HINTS = {
    "min of meer": "djg",
    "heel vaak": "eenzaam_zelf",
    "grote moeite": "rondkomen",
    "enige moeite": "rondkomen",
    "kent maar gebruikt niet": "vz",
    "kent niet": "vz",
}


class MappingError(UploadError):
    """A column mapping is invalid or a koppelbestand cannot be read."""


@dataclass(frozen=True)
class ColumnChoice:
    """Which source column feeds one target, how sure the proposal is and why."""

    target: str
    source: str | None
    confidence: float
    reason: str


@dataclass(frozen=True)
class Mapping:
    """A column mapping: one `ColumnChoice` per target, in `TARGETS` order.

    Serialises to JSON (`to_json`, `from_json`) so a user can download it and upload it
    again for the next wave of the same survey.
    """

    choices: tuple[ColumnChoice, ...]
    version: int = MAPPING_VERSION
    #: The answer step: ``{target: {answer as in the file: code | None | "ongeldig"}}``;
    #: answers not listed are read by `analysis.survey.scales.answer_code`.
    answers: dict[str, dict[str, AnswerChoice]] = field(default_factory=dict)

    @property
    def targets(self) -> tuple[str, ...]:
        """Return every target, mapped or not."""
        return tuple(c.target for c in self.choices)

    @property
    def sources(self) -> dict[str, str]:
        """Return ``{target: source column}`` for the mapped targets only."""
        return {c.target: c.source for c in self.choices if c.source is not None}

    def choice(self, target: str) -> ColumnChoice:
        """Return the choice for one target.

        Raises
        ------
        KeyError
            Naming the unknown target.
        """
        for c in self.choices:
            if c.target == target:
                return c
        raise KeyError(f"onbekend doel {target!r}")

    def with_source(self, target: str, source: str | None) -> Mapping:
        """Return a copy where the user chose ``source`` for ``target`` (None: not mapped).

        Examples
        --------
        >>> m = propose_mapping(["Wijk"]).with_source("gebied", "Wijk")
        >>> m.choice("gebied").confidence, needs_confirmation(m)
        (1.0, False)
        """
        self.choice(target)  # fails on an unknown target
        new = ColumnChoice(
            target,
            source,
            CERTAIN if source is not None else 0.0,
            REASON_USER if source is not None else REASON_NONE,
        )
        return replace(self, choices=tuple(new if c.target == target else c for c in self.choices))

    def with_answers(self, target: str, choices: AbstractMapping[str, AnswerChoice]) -> Mapping:
        """Return a copy with the answer choices of one target replaced (empty: none).

        Examples
        --------
        >>> m = propose_mapping(["rondkomen"]).with_answers("rondkomen", {"Ja": 2})
        >>> m.answers, from_json(m.to_json()).answers
        ({'rondkomen': {'Ja': 2}}, {'rondkomen': {'Ja': 2}})
        """
        self.choice(target)  # fails on an unknown target
        answers = {t: dict(c) for t, c in self.answers.items() if t != target}
        if choices:
            answers[target] = dict(choices)
        return replace(self, answers=answers)

    def to_json(self) -> str:
        """Return the mapping (columns and answers) as JSON text (UTF-8, readable, stable)."""
        payload = {
            "kind": MAPPING_KIND,
            "version": self.version,
            "choices": [
                {
                    "target": c.target,
                    "source": c.source,
                    "confidence": c.confidence,
                    "reason": c.reason,
                }
                for c in self.choices
            ],
        }
        if self.answers:
            payload["answers"] = {t: dict(c) for t, c in self.answers.items()}
        return json.dumps(payload, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes, file_name: str = "koppelbestand") -> Mapping:
        """Read a mapping written by `to_json`; see the module function `from_json`."""
        return from_json(text, file_name)


def propose_mapping(
    columns: Sequence[str],
    column_labels: AbstractMapping[str, str] | None = None,
    value_labels: AbstractMapping[str, AbstractMapping[object, str]] | None = None,
) -> Mapping:
    """Propose a source column for every target of the survey schema.

    Evidence, strongest first: the canonical name (confidence 1), the Dutch wording of a
    De Jong Gierveld item in the SPSS variable label, the column name, and the SPSS value
    labels (``"min of meer"`` marks a De Jong Gierveld item). Each source column goes to at
    most one target, strongest evidence first.

    Parameters
    ----------
    columns : sequence of str
        Column names of the file, in file order.
    column_labels : mapping, optional
        SPSS variable labels, ``{column: label}`` (pyreadstat's
        ``meta.column_names_to_labels``).
    value_labels : mapping, optional
        SPSS value labels, ``{column: {code: label}}`` (pyreadstat's
        ``meta.variable_value_labels``).

    Returns
    -------
    Mapping
        One choice per target (``source`` None where nothing fits), plus one for each
        canonical ``vz_<naam>`` column beyond the default voorzieningen.

    Examples
    --------
    >>> m = propose_mapping(["Respondentnummer", "Wijk", "Weegfactor", "Lft"])
    >>> list(m.sources.values())
    ['Respondentnummer', 'Wijk', 'Weegfactor', 'Lft']
    >>> needs_confirmation(m), needs_confirmation(propose_mapping(["respondent_id", "gebied"]))
    (True, False)
    """
    column_labels = column_labels or {}
    value_labels = value_labels or {}
    targets = _targets_for(columns)
    candidates: list[tuple[float, int, int, str, str, str]] = []
    order = {t: i for i, t in enumerate(targets)}
    # Which De Jong Gierveld items the labels hold decides the scale (6 or 11 items).
    label_items = {_djg_item(_normalise_text(v)) for v in column_labels.values()} - {None}
    for position, column in enumerate(columns):
        hints = _value_hints(value_labels.get(column, {}))
        found = _name_candidates(column, targets)
        found += _label_candidates(column_labels.get(column, ""), label_items)
        found += _group_candidates(column, columns, hints)
        found += _hint_candidates(hints, found)
        for target, confidence, reason in found:
            if target in order:
                key = (-confidence, position, order[target], target, column, reason)
                candidates.append(key)
    chosen: dict[str, ColumnChoice] = {}
    used: set[str] = set()
    for neg_conf, _, _, target, column, reason in sorted(candidates):
        if target in chosen or column in used:
            continue
        chosen[target] = ColumnChoice(target, column, -neg_conf, reason)
        used.add(column)
    # Two columns that fit a target equally well ("gewicht_" and "GEWICHT."): never pick one
    # silently; the user chooses (issue 13: a weight column of all 1s was taken unseen).
    for target, choice in list(chosen.items()):
        rivals = [
            c
            for nc, _, _, t, c, _ in candidates
            if t == target and -nc == choice.confidence and c != choice.source
        ]
        if rivals:
            also = ", ".join(repr(c) for c in dict.fromkeys(rivals))
            reason = f"{choice.reason}; ook {also} past: kies zelf"
            chosen[target] = ColumnChoice(
                target, choice.source, min(choice.confidence, 0.5), reason
            )
    return Mapping(
        choices=tuple(chosen.get(t, ColumnChoice(t, None, 0.0, REASON_NONE)) for t in targets)
    )


def needs_confirmation(mapping: Mapping) -> bool:
    """Return whether the user must look at the mapping before it is used.

    False only when every mapped column is certain (canonical names or chosen by the user)
    and an area column is mapped — so the template's data file imports without this step.

    Examples
    --------
    >>> needs_confirmation(propose_mapping(["gebied", "djg6_1"]))
    False
    >>> needs_confirmation(propose_mapping(["djg6_1"]))  # no area column
    True
    """
    if not any(t in mapping.sources for t in AREA_TARGETS):
        return True
    return any(c.source is not None and c.confidence < CERTAIN for c in mapping.choices)


def mapping_problems(mapping: Mapping, columns: Sequence[str] | None = None) -> list[str]:
    """Return what is wrong with a mapping, in Dutch; an empty list when it can be used.

    Parameters
    ----------
    mapping : Mapping
        The mapping to check.
    columns : sequence of str, optional
        The file's columns; when given, every source column must be among them (a mapping
        from the previous wave may name a column this file lacks).

    Examples
    --------
    >>> m = propose_mapping(["wijk"]).with_source("postcode", "wijk")
    >>> for part in mapping_problems(m)[0].split("; "):
    ...     print(part)
    kolom 'wijk' is gekoppeld aan zowel 'gebied' als 'postcode'
    een kolom kan maar één betekenis hebben
    """
    problems: list[str] = []
    first_target: dict[str, str] = {}
    for target, source in mapping.sources.items():
        if source in first_target:
            problems.append(
                f"kolom {source!r} is gekoppeld aan zowel {first_target[source]!r} als "
                f"{target!r}; een kolom kan maar één betekenis hebben"
            )
        else:
            first_target[source] = target
    if not any(t in mapping.sources for t in AREA_TARGETS):
        problems.append(
            "kies een kolom voor 'gebied' of 'postcode': zonder gebied kunnen de antwoorden "
            "niet per wijk worden getoond"
        )
    if columns is not None:
        present = set(columns)
        for target, source in mapping.sources.items():
            if source not in present:
                problems.append(f"kolom {source!r} (voor {target!r}) staat niet in het bestand")
    return problems


def apply_mapping(
    frame: pd.DataFrame, mapping: Mapping, *, file_name: str = "enquête"
) -> pd.DataFrame:
    """Return the mapped columns under their canonical names (the input is not modified).

    Parameters
    ----------
    frame : pandas.DataFrame
        The survey as read.
    mapping : Mapping
        A confirmed mapping.
    file_name : str
        Name of the file, for the error message.

    Returns
    -------
    pandas.DataFrame
        Same index; one column per mapped target, in `TARGETS` order; unmapped targets and
        unmapped source columns are absent.

    Raises
    ------
    MappingError
        Naming the file and every problem `mapping_problems` finds.

    Examples
    --------
    >>> frame = pd.DataFrame({"Wijk": ["WK008010"], "Lft": [71], "opmerking": ["x"]})
    >>> apply_mapping(frame, propose_mapping(frame.columns.tolist())).columns.tolist()
    ['gebied', 'leeftijd']
    """
    problems = mapping_problems(mapping, [str(c) for c in frame.columns])
    if problems:
        raise MappingError(f"{file_name}: " + "; ".join(problems))
    sources = mapping.sources
    out = frame[list(sources.values())].copy()
    out.columns = list(sources.keys())
    return out


def from_json(text: str | bytes, file_name: str = "koppelbestand") -> Mapping:
    """Read a mapping written by `Mapping.to_json`.

    Targets missing from an older file are added as unmapped; anything else that is not as
    `to_json` writes it is an error.

    Raises
    ------
    MappingError
        In Dutch, naming the file, the entry and what was expected.

    Examples
    --------
    >>> m = propose_mapping(["Wijk", "eenz_1"])
    >>> from_json(m.to_json()) == m
    True
    >>> try:
    ...     from_json("[1, 2", file_name="k.json")
    ... except MappingError as err:
    ...     print(err)
    k.json: geen geldig koppelbestand (JSON-fout op regel 1, kolom 6: Expecting ',' delimiter)
    """
    try:
        payload = json.loads(text)
    except UnicodeDecodeError as err:
        raise MappingError(f"{file_name}: geen geldig koppelbestand (geen UTF-8-tekst)") from err
    except json.JSONDecodeError as err:
        raise MappingError(
            f"{file_name}: geen geldig koppelbestand (JSON-fout op regel {err.lineno}, "
            f"kolom {err.colno}: {err.msg})"
        ) from err
    if not isinstance(payload, dict) or payload.get("kind") != MAPPING_KIND:
        raise MappingError(
            f"{file_name}: dit is geen koppelbestand van het dashboard "
            f"(verwacht 'kind': {MAPPING_KIND!r})"
        )
    version = payload.get("version")
    if version != MAPPING_VERSION:
        raise MappingError(
            f"{file_name}: versie {version!r} wordt niet ondersteund (verwacht {MAPPING_VERSION})"
        )
    entries = payload.get("choices")
    if not isinstance(entries, list):
        raise MappingError(f"{file_name}: veld 'choices' ontbreekt of is geen lijst")
    choices = [_choice_from_json(entry, i + 1, file_name) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for i, c in enumerate(choices, start=1):
        if c.target in seen:
            raise MappingError(f"{file_name}, koppeling {i}: doel {c.target!r} staat er twee keer")
        seen.add(c.target)
    missing = [ColumnChoice(t, None, 0.0, REASON_NONE) for t in TARGETS if t not in seen]
    by_target = {c.target: c for c in [*choices, *missing]}
    ordered = [by_target[t] for t in TARGETS]
    ordered += [c for c in choices if c.target not in TARGETS]
    answers = _answers_from_json(payload.get("answers", {}), {c.target for c in ordered}, file_name)
    return Mapping(choices=tuple(ordered), version=version, answers=answers)


def _answers_from_json(
    entries: object, targets: set[str], file_name: str
) -> dict[str, dict[str, AnswerChoice]]:
    """Check and build the ``answers`` part of a koppelbestand."""
    if not isinstance(entries, dict):
        raise MappingError(f"{file_name}: veld 'answers' is geen object per vraag")
    out: dict[str, dict[str, AnswerChoice]] = {}
    for target, choices in entries.items():
        where = f"{file_name}, antwoorden van {target!r}"
        if target not in targets:
            raise MappingError(f"{where}: onbekende vraag (verwacht bijv. 'rondkomen')")
        if not isinstance(choices, dict):
            raise MappingError(f"{where}: geen object van antwoord naar code")
        for value, code in choices.items():
            valid = code is None or code == INVALID
            valid = valid or (isinstance(code, int) and not isinstance(code, bool))
            if not valid:
                raise MappingError(
                    f"{where}: antwoord {value!r} heeft {code!r} (verwacht een code, null voor "
                    f"ontbrekend of {INVALID!r})"
                )
        out[target] = dict(choices)
    return out


def is_target(name: str) -> bool:
    """Return whether ``name`` is a column of the canonical schema (any ``vz_<naam>`` counts).

    Examples
    --------
    >>> [is_target(n) for n in ["gebied", "vz_kerk", "djg11_12", "Gebied"]]
    [True, True, False, False]
    """
    return name in TARGETS or re.fullmatch(r"vz_[a-z0-9_]+", name) is not None


def _choice_from_json(entry: object, number: int, file_name: str) -> ColumnChoice:
    """Check and build one entry of the ``choices`` list."""
    where = f"{file_name}, koppeling {number}"
    if not isinstance(entry, dict):
        raise MappingError(f"{where}: {entry!r} is geen object met 'target' en 'source'")
    target = entry.get("target")
    source = entry.get("source")
    confidence = entry.get("confidence", CERTAIN if source is not None else 0.0)
    reason = entry.get("reason", REASON_USER if source is not None else REASON_NONE)
    if not isinstance(target, str) or not is_target(target):
        raise MappingError(
            f"{where}: doel {target!r} is onbekend (verwacht bijv. 'gebied' of 'djg11_1')"
        )
    if source is not None and not isinstance(source, str):
        raise MappingError(f"{where}: bron {source!r} voor {target!r} is geen kolomnaam")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise MappingError(f"{where}: zekerheid {confidence!r} is geen getal (verwacht 0–1)")
    if not 0 <= confidence <= 1:
        raise MappingError(f"{where}: zekerheid {confidence!r} ligt niet tussen 0 en 1")
    if not isinstance(reason, str):
        raise MappingError(f"{where}: reden {reason!r} is geen tekst")
    return ColumnChoice(target, source, float(confidence), reason)


def _targets_for(columns: Sequence[str]) -> tuple[str, ...]:
    """Return `TARGETS` plus any extra canonical ``vz_<naam>`` columns of the file."""
    extra = tuple(c for c in columns if is_target(c) and c not in TARGETS)
    return (*TARGETS, *extra)


def _name_candidates(column: str, targets: tuple[str, ...]) -> list[tuple[str, float, str]]:
    """Candidates from the column name: canonical names, known patterns, item stems."""
    name = _normalise(column)
    if name in targets:  # "Gebied", "DJG11_3": the standard name in another case is as sure
        return [(name, CERTAIN, REASON_CANONICAL)]
    found: list[tuple[str, float, str]] = []
    if re.search(r"klasse|cat|groep|_kl$", name):
        return found  # "leeftijdsklasse", "lft_cat": categories, not years or items
    for target, rules in _NAME_RULES.items():
        for pattern, confidence in rules:
            if re.fullmatch(pattern, name):
                found.append((target, confidence, f"kolomnaam {column!r} lijkt op {target!r}"))
                break
    for voorziening, words in _VOORZIENING_WORDS.items():
        if any(w in name for w in words):
            confidence = 0.8 if name.startswith(("vz", "gebruik")) else 0.7
            reason = f"kolomnaam {column!r} noemt de voorziening {voorziening!r}"
            found.append((f"vz_{voorziening}", confidence, reason))
    return found


def _label_candidates(label: str, label_items: set[int | None]) -> list[tuple[str, float, str]]:
    """Candidates from an SPSS variable label: the De Jong Gierveld wording decides exactly."""
    text = _normalise_text(label)
    if not text:
        return []
    item = _djg_item(text)
    if item is not None:
        short = f"{label.strip()[:60]!r}"
        if label_items <= set(DJG6_OF_DJG11):  # only the six shared items: the 6-item scale
            target = f"djg6_{DJG6_OF_DJG11[item]}"
            reason = f"label {short} is De Jong Gierveld-item {item}; 6-itemschaal in dit bestand"
        else:
            target = f"djg11_{item}"
            reason = f"label {short} is De Jong Gierveld-item {item} (11-itemschaal)"
        return [(target, 0.95, reason)]
    found = []
    for target, rules in _LABEL_RULES.items():
        for phrase, confidence in rules:
            if f" {phrase} " in f" {text} ":
                found.append((target, confidence, f"label {label.strip()[:60]!r} noemt {phrase!r}"))
                break
    for voorziening, words in _VOORZIENING_WORDS.items():
        if any(f" {w.replace('_', ' ')} " in f" {text} " for w in words):
            reason = f"label noemt de voorziening {voorziening!r}"
            found.append((f"vz_{voorziening}", 0.75, reason))
    return found


def _group_candidates(
    column: str, columns: Sequence[str], hints: set[str]
) -> list[tuple[str, float, str]]:
    """Candidates for item columns numbered within a group ("eenz_3", "q12_3")."""
    name = _normalise(column)
    djg = _DJG_NAME.fullmatch(name)
    if djg is not None:
        stem, scale, num = djg["stem"], djg["scale"], int(djg["num"])
        siblings = [
            int(m["num"])
            for m in (_DJG_NAME.fullmatch(_normalise(c)) for c in columns)
            if m is not None and m["stem"] == stem and m["scale"] == scale
        ]
        if scale is None:  # "eenz_1".."eenz_6" is the 6-item scale, up to 11 the 11-item one
            scale = "6" if max(siblings) <= 6 else "11"
        if not 1 <= num <= int(scale):
            return []
        confidence = 0.85 if scale == "11" else 0.75
        confidence += 0.05 if "djg" in hints else 0.0
        reason = f"kolomnaam {column!r}: item {num} van de De Jong Gierveld-{scale}-itemschaal"
        return [(f"djg{scale}_{num}", confidence, reason)]
    question = _QUESTION.fullmatch(name)
    if question is None:
        return []
    stem, num = question["stem"], int(question["num"])
    siblings = sorted(
        int(m["num"])
        for m in (_QUESTION.fullmatch(_normalise(c)) for c in columns)
        if m is not None and m["stem"] == stem
    )
    for scale in (11, 6):
        if siblings == list(range(1, scale + 1)):
            # Eleven (or six) sub-questions may be the scale; only the answers make it likely.
            confidence = 0.75 if "djg" in hints else 0.3
            reason = (
                f"{scale} deelvragen onder {stem!r}"
                + (" met antwoord 'min of meer'" if "djg" in hints else "")
                + f": misschien De Jong Gierveld-item {num}"
            )
            return [(f"djg{scale}_{num}", confidence, reason)]
    return []


def _hint_candidates(
    hints: set[str], found: list[tuple[str, float, str]]
) -> list[tuple[str, float, str]]:
    """Raise a name guess that the answer labels confirm (e.g. "heel vaak" → eenzaam_zelf)."""
    boosted = []
    for target, confidence, reason in found:
        kind = "vz" if target.startswith("vz_") else target
        if kind in hints and confidence < 0.9:
            boosted.append((target, 0.9, reason + "; de antwoordlabels passen"))
    return boosted


def _value_hints(labels: AbstractMapping[object, str]) -> set[str]:
    """Return the question types the answer labels point to."""
    texts = {_normalise_text(v) for v in labels.values() if isinstance(v, str)}
    return {kind for phrase, kind in _VALUE_LABEL_HINTS.items() if phrase in texts}


def _djg_item(text: str) -> int | None:
    """Return the 11-item number whose wording the (normalised) text contains."""
    padded = f" {text} "
    for item, phrases in DJG11_PHRASES.items():
        if any(f" {p} " in padded for p in phrases):
            return item
    return None


def _normalise(name: str) -> str:
    """Normalise a column name: lower case, ASCII, ``_`` between parts."""
    return re.sub(r"[^a-z0-9]+", "_", _ascii(str(name)).casefold()).strip("_")


def _normalise_text(text: str) -> str:
    """Normalise a label: lower case, ASCII, single spaces, no punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", _ascii(str(text)).casefold()))


def _ascii(text: str) -> str:
    """Drop diacritics (ë → e)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
