"""Match what people type for an area (CBS codes, names, postcodes) to CBS wijken and buurten."""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from analysis.problems import UploadError
from analysis.regions import CODE_DIGITS, PREFIX_LEVELS, gemeente_code_of, wijk_code_of
from analysis.survey import scales

#: Prefix and digits after it of a CBS code, per level a survey row can name (not the land).
LEVEL_PREFIXES = {level: prefix for prefix, level in PREFIX_LEVELS.items() if level != "land"}
LEVEL_DIGITS = {level: CODE_DIGITS[prefix] for level, prefix in LEVEL_PREFIXES.items()}
_PREFIX_LEVELS = {prefix: level for level, prefix in LEVEL_PREFIXES.items()}
_DIGIT_LEVELS = {digits: level for level, digits in LEVEL_DIGITS.items()}

#: How a row was matched (the ``match`` column of `AreaMatch.rows`).
MATCH_CODE = "code"
MATCH_NAME = "naam"
MATCH_POSTCODE = "postcode"
MATCH_KINDS = (MATCH_CODE, MATCH_NAME, MATCH_POSTCODE)
#: Key of `AreaMatch.counts` for rows without an area.
UNMATCHED = "niet gekoppeld"

#: Why a row was not matched (the ``reason`` column); shown to the user as is.
REASON_EMPTY = "leeg"
REASON_OTHER_GEMEENTE = "andere gemeente"
REASON_UNKNOWN_CODE = "code niet in deze indeling"
REASON_OTHER_LEVEL = "ander niveau"
REASON_AMBIGUOUS = "naam niet eenduidig"
REASON_UNKNOWN_NAME = "onbekend gebied"
REASON_POSTCODE_INVALID = "geen volledige postcode"
REASON_POSTCODE_UNKNOWN = "postcode niet in de postcodetabel"
REASON_POSTCODE_AMBIGUOUS = "postcode in meerdere gebieden"

#: Detail of an empty area with a postcode, when no postcode table was given.
NEEDS_POSTCODE_TABLE = "wel een postcode; met de CBS-postcodetabel kan op postcode worden gekoppeld"

#: Shown for aggregate rows: is the area a CBS area we can draw?
ON_MAP = "op de kaart"
OFF_MAP = "niet op de kaart"

#: At most this many row labels per unmatched value (enough to find them, short on screen).
FIRST_ROWS = 5

_SEPARATORS = re.compile(r"[\s\-._/]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")
# Words that join two names: "Heechterp & Schieringen" = "Heechterp-Schieringen".
_JOINERS = frozenset({"en", "and"})
_POSTCODE = re.compile(r"([1-9][0-9]{3})([A-Z]{2})(?:-?([0-9]{1,5})\S*)?")


class AreaError(UploadError):
    """Areas cannot be matched as asked (bad arguments or a conflicting table)."""


@dataclass(frozen=True)
class AreaMatch:
    """The outcome of `match_areas`: one row per input row, and what could not be matched.

    Every distinct input was matched once; ``outcome_of_row`` gives each row's outcome, so
    the per-row answers below are spread with numpy (`rows`, the table of them, is made only
    when asked for).

    Attributes
    ----------
    outcome_of_row : numpy.ndarray
        Per input row, the position of its outcome in ``outcomes``.
    outcomes : tuple of _Outcome
        How each distinct input matched: a code and kind, or a reason and detail.
    index : pandas.Index
        The input's index.
    unmatched : pandas.DataFrame
        One row per distinct unmatched input: ``column`` (which input), ``value`` (as typed,
        stripped), ``reason``, ``detail`` (e.g. the candidates of an ambiguous name), ``count``
        and ``first_rows`` (a tuple of the first index labels, so the user can find them);
        most frequent first. Nothing is ever dropped silently: empty values are listed too.
    """

    outcome_of_row: np.ndarray
    outcomes: tuple[_Outcome, ...]
    index: pd.Index
    unmatched: pd.DataFrame

    @cached_property
    def rows(self) -> pd.DataFrame:
        """Return per row ``code`` (the CBS code or None), ``match`` and ``reason``.

        ``match`` is ``"code"``, ``"naam"``, ``"postcode"`` or None; ``reason`` is None when
        matched. Same index as the input.
        """
        return pd.DataFrame(
            {
                name: self._per_row([getattr(o, attribute) for o in self.outcomes], object)
                for name, attribute in (("code", "code"), ("match", "kind"), ("reason", "reason"))
            },
            index=self.index,
            dtype=object,
        )

    @property
    def codes(self) -> pd.Series:
        """Return the matched code per row (None where unmatched)."""
        return self.rows["code"]

    @property
    def counts(self) -> dict[str, int]:
        """Return the number of rows per match kind, plus ``"niet gekoppeld"``."""
        per_outcome = np.bincount(self.outcome_of_row, minlength=len(self.outcomes))
        counts = dict.fromkeys(MATCH_KINDS, 0)
        counts[UNMATCHED] = 0
        for outcome, rows in zip(self.outcomes, per_outcome.tolist(), strict=True):
            counts[outcome.kind if outcome.kind is not None else UNMATCHED] += rows
        return counts

    def area_codes(self) -> pd.Categorical:
        """Return the matched code per row as a Categorical (missing where unmatched).

        The same codes as `codes`, held as one small integer per row: grouping by area then
        needs no text per row (issue 14).

        Examples
        --------
        >>> found = AreaMatch(np.array([1, 0, 1, 2]), (_Outcome(reason="leeg"),
        ...     _Outcome("WK1", "code"), _Outcome("WK2", "naam")), pd.RangeIndex(4), None)
        >>> found.area_codes().tolist(), found.codes.tolist()
        (['WK1', nan, 'WK1', 'WK2'], ['WK1', None, 'WK1', 'WK2'])
        """
        codes = [o.code for o in self.outcomes]
        categories = list(dict.fromkeys(c for c in codes if c is not None))
        position = {code: i for i, code in enumerate(categories)}
        lookup = np.array([-1 if c is None else position[c] for c in codes], dtype=np.int64)
        return pd.Categorical.from_codes(
            self._per_row(lookup, np.int64), categories=pd.Index(categories, dtype=object)
        )

    def with_reason(self, reason: str) -> np.ndarray:
        """Return per row whether it was not matched for ``reason``."""
        return self._per_row([o.reason == reason for o in self.outcomes], bool)

    def matched(self) -> int:
        """Return the number of rows with a code."""
        return int(
            np.count_nonzero(self._per_row([o.code is not None for o in self.outcomes], bool))
        )

    def _per_row(self, per_outcome: Sequence[object] | np.ndarray, dtype: type) -> np.ndarray:
        """Spread one value per outcome over the rows."""
        return np.asarray(per_outcome, dtype=dtype).take(self.outcome_of_row)


@dataclass(frozen=True)
class _Outcome:
    """How one distinct value matched: a code and kind, or a reason and detail."""

    code: str | None = None
    kind: str | None = None
    reason: str | None = None
    detail: str = ""


def normalise_code(raw: object, gemeente_code: str | None = None) -> str | None:
    """Return the CBS code (``GM0363``, ``WK036301``, ``BU03630101``) a typed value names.

    Accepts the forms people type: with or without the prefix, any case, with spaces, dashes
    or dots between the parts (``0363-01``, ``0363 01 01``), surrounding spaces, and numbers
    as Excel stores them. Without a prefix 4 digits are a gemeente, 6 a wijk and 8 a buurt.

    Parameters
    ----------
    raw : object
        What was typed; anything that is not a code gives None (never raises).
    gemeente_code : str, optional
        The gemeente the file is about. Only with it is a bare wijk number (``"01"``) a code,
        and is a leading zero that Excel dropped (``36301`` for ``036301``) restored.

    Returns
    -------
    str or None

    Examples
    --------
    >>> [normalise_code(v) for v in ["wk036301", "0363-01", "BU03630101", "0363", "Oost"]]
    ['WK036301', 'WK036301', 'BU03630101', 'GM0363', None]
    >>> normalise_code("01"), normalise_code("01", gemeente_code="GM0363")
    (None, 'WK036301')
    >>> normalise_code(8011), normalise_code(8011, "GM0080"), normalise_code(801001, "GM0080")
    ('GM8011', 'WK008011', 'BU00801001')
    """
    text = _code_text(raw)
    if not text:
        return None
    prefix = text[:2] if text[:2] in _PREFIX_LEVELS else ""
    digits = _SEPARATORS.sub("", text[len(prefix) :])
    if not _ASCII_DIGITS.fullmatch(digits):
        return None
    if prefix:
        level = _PREFIX_LEVELS[prefix]
        return prefix + digits if len(digits) == LEVEL_DIGITS[level] else None
    gemeente = _gemeente_digits(gemeente_code)
    if gemeente is not None and len(digits) > 2:
        # Digits in the context of the gemeente: 8011 is WK008011 in GM0080 (the zeros that
        # a number column drops), 801001 is BU00801001 (issue 11, item 3).
        fits = [
            level
            for level in ("wijk", "buurt")
            if len(digits) <= LEVEL_DIGITS[level]
            and digits.zfill(LEVEL_DIGITS[level]).startswith(gemeente)
        ]
        if len(fits) == 1:
            width = LEVEL_DIGITS[fits[0]]
            return LEVEL_PREFIXES[fits[0]] + digits.zfill(width)
    if len(digits) in _DIGIT_LEVELS:
        return LEVEL_PREFIXES[_DIGIT_LEVELS[len(digits)]] + digits
    if gemeente is None:
        return None
    if len(digits) <= 2:
        return f"WK{gemeente}{digits.zfill(2)}"
    return None


def normalise_name(raw: object) -> str:
    """Return a comparison key for an area name (not for display).

    Case, spaces, punctuation, diacritics and the joining word ``en``/``&`` do not count, so
    ``"Heechterp & Schieringen"``, ``"Heechterp-Schieringen"`` and ``"heechterp schieringen"``
    give the same key. Missing values give ``""``.

    Examples
    --------
    >>> normalise_name("Oranjewijk-Zuid") == normalise_name(" oranjewijk  zuid")
    True
    >>> normalise_name("'s-Gravenhage"), normalise_name("Oldegalileën")
    ('sgravenhage', 'oldegalileen')
    """
    return "".join(_name_tokens(raw))


def parse_postcode(raw: object) -> tuple[str | None, str | None]:
    """Return ``(pc6, huisnummer)`` from a typed postcode, with or without house number.

    Examples
    --------
    >>> parse_postcode("8921 ab 12a"), parse_postcode("8921AB"), parse_postcode("8921")
    (('8921AB', '12'), ('8921AB', None), (None, None))
    """
    text = _code_text(raw)
    if not text:
        return None, None
    found = _POSTCODE.fullmatch(re.sub(r"\s+", "", text))
    if found is None:
        return None, None
    number = str(int(found.group(3))) if found.group(3) else None
    return found.group(1) + found.group(2), number


def postcode_lookup(table: pd.DataFrame, source: str = "postcodetabel") -> pd.DataFrame:
    """Tidy a CBS "Buurt, wijk en gemeente voor postcode huisnummer" table.

    Column names are recognised as CBS writes them in any year (``PC6``, ``Huisnummer``,
    ``Buurt2024`` or ``buurtcode``, ``Wijk2024``, ``Gemeente2024``); codes may come with or
    without prefix and with the leading zeros Excel drops.

    Parameters
    ----------
    table : pandas.DataFrame
        The table as read (text or numbers).
    source : str
        File name for error messages.

    Returns
    -------
    pandas.DataFrame
        ``pc6`` (``8921AB``), ``huisnummer`` (text, or None when the table is per PC6),
        ``buurt`` (BU code or None) and ``wijk`` (WK code); rows without a valid PC6 are left
        out.

    Raises
    ------
    AreaError
        Naming the file and the missing column.

    Examples
    --------
    >>> table = pd.DataFrame({"PC6": ["8921 AB"], "Huisnummer": [12],
    ...                       "Buurt2024": ["00801001"], "Wijk2024": ["008010"]})
    >>> postcode_lookup(table).to_dict("records")
    [{'pc6': '8921AB', 'huisnummer': '12', 'buurt': 'BU00801001', 'wijk': 'WK008010'}]
    """
    columns = {_column_role(c): c for c in reversed(list(table.columns))}
    found = ", ".join(repr(str(c)) for c in table.columns)
    if "pc6" not in columns:
        raise AreaError(f"{source}: kolom 'PC6' (postcode) ontbreekt; gevonden: {found}")
    if "buurt" not in columns and "wijk" not in columns:
        raise AreaError(
            f"{source}: kolom met de buurt- of wijkcode (bijv. 'Buurt2024') ontbreekt; "
            f"gevonden: {found}"
        )
    pc6 = table[columns["pc6"]].map(lambda v: parse_postcode(v)[0])
    numbers_ = (
        table[columns["huisnummer"]].map(_house_number)
        if "huisnummer" in columns
        else pd.Series(None, index=table.index, dtype=object)
    )
    buurt = (
        table[columns["buurt"]].map(lambda v: _table_code(v, "buurt"))
        if "buurt" in columns
        else pd.Series(None, index=table.index, dtype=object)
    )
    wijk = (
        table[columns["wijk"]].map(lambda v: _table_code(v, "wijk"))
        if "wijk" in columns
        else buurt.map(lambda c: None if c is None else wijk_code_of(c))
    )
    out = pd.DataFrame(
        {"pc6": pc6, "huisnummer": numbers_, "buurt": buurt, "wijk": wijk}, dtype=object
    )
    return out[out["pc6"].notna()].reset_index(drop=True)


def match_areas(
    values: pd.Series,
    regions: pd.DataFrame,
    *,
    gemeente_code: str,
    level: str,
    postcode_table: pd.DataFrame | None = None,
    postcodes: pd.Series | None = None,
    roll_up: bool = True,
) -> AreaMatch:
    """Match typed areas to the CBS wijken or buurten of one gemeente.

    Each value is tried as a code, then as a name (unique matches only: an ambiguous name is
    reported, not guessed), then — when the value gave nothing — through its postcode.

    Parameters
    ----------
    values : pandas.Series
        What was typed per row (codes in any common form, or names).
    regions : pandas.DataFrame
        ``code, name, level, gemeente_code`` of ONE indeling (the snapshot's region table
        filtered to one year).
    gemeente_code : str
        The gemeente the file is about (``GM0080`` or ``0080``); codes of other gemeenten are
        unmatched with reason ``"andere gemeente"``.
    level : {"wijk", "buurt"}
        The level to match to.
    postcode_table : pandas.DataFrame, optional
        A CBS postcode table (see `postcode_lookup`), used for rows whose value gave nothing.
    postcodes : pandas.Series, optional
        Postcode per row (``8921AB``, ``8921 AB 12``), same index as ``values``.
    roll_up : bool
        Whether buurt codes and buurt names count for their wijk when ``level="wijk"``. True
        for respondents (a respondent in a buurt lives in its wijk); False for aggregated
        figures, where a buurt's percentage is not its wijk's.

    Returns
    -------
    AreaMatch
        Per-row codes with how they matched, counts per kind and the unmatched values.

    Raises
    ------
    AreaError
        On an unknown level or gemeente code, or postcodes not aligned with the values.

    Examples
    --------
    >>> regions = pd.DataFrame({"code": ["WK008010", "WK008020"],
    ...                         "name": ["Binnenstad", "Oud-Oost"],
    ...                         "level": "wijk", "gemeente_code": "GM0080"})
    >>> typed = pd.Series(["0080-10", "oud oost", "WK034401", "Dorp X"])
    >>> result = match_areas(typed, regions, gemeente_code="GM0080", level="wijk")
    >>> result.codes.tolist()
    ['WK008010', 'WK008020', None, None]
    >>> result.unmatched[["value", "reason"]].values.tolist()
    [['WK034401', 'andere gemeente'], ['Dorp X', 'onbekend gebied']]
    """
    if level not in ("wijk", "buurt"):
        raise AreaError(f"niveau {level!r} wordt niet ondersteund (verwacht 'wijk' of 'buurt')")
    gemeente = normalise_code(gemeente_code)
    if gemeente is None or not gemeente.startswith("GM"):
        raise AreaError(f"{gemeente_code!r} is geen gemeentecode (verwacht bijv. 'GM0080')")
    if postcodes is not None and not postcodes.index.equals(values.index):
        raise AreaError("postcodes en gebieden hebben niet dezelfde rijen")
    matcher = _Matcher.build(regions, gemeente, level, roll_up)
    lookup = (
        _postcode_sets(postcode_table, postcodes, level)
        if postcode_table is not None and postcodes is not None
        else None
    )
    # Every distinct (area, postcode) pair is matched once and the outcome spread over its
    # rows with numpy: a survey of 500 000 respondents names a few dozen areas (issue #14).
    value_ids, value_uniques = _display_codes(values)
    postcode_ids, postcode_uniques = (
        _display_codes(postcodes)
        if postcodes is not None
        else (np.zeros(len(values), dtype=np.intp), np.array([""], dtype=object))
    )
    value_column = "gebied" if values.name is None else str(values.name)
    postcode_column = (
        "postcode" if postcodes is None or postcodes.name is None else str(postcodes.name)
    )
    pair_ids, pairs = _unique_keys(
        value_ids.astype(np.int64) * max(len(postcode_uniques), 1) + postcode_ids,
        len(value_uniques) * max(len(postcode_uniques), 1),
    )
    by_value: dict[str, _Outcome] = {}  # per call only: never a module-level cache
    by_postcode: dict[str, _Outcome] = {}
    outcomes: list[_Outcome] = []
    failed: list[tuple[str, str]] = []  # (column, value) to list when the row is unmatched
    for pair in pair_ids:
        text = str(value_uniques[pair // max(len(postcode_uniques), 1)])
        pc_text = str(postcode_uniques[pair % max(len(postcode_uniques), 1)])
        if text not in by_value:
            by_value[text] = matcher.value(text)
        outcome = by_value[text]
        failed_input = (value_column, text)
        if not text and pc_text and lookup is None:
            outcome = _Outcome(reason=REASON_EMPTY, detail=NEEDS_POSTCODE_TABLE)
        if outcome.code is None and lookup is not None and pc_text:
            if pc_text not in by_postcode:
                by_postcode[pc_text] = matcher.postcode(pc_text, lookup)
            if by_postcode[pc_text].code is not None or not text:
                outcome = by_postcode[pc_text]
                # List PC6 only: a house number would point at one respondent's address.
                failed_input = (postcode_column, parse_postcode(pc_text)[0] or pc_text)
        outcomes.append(outcome)
        failed.append(failed_input)
    pairs = pairs.reshape(-1)
    unmatched = _unmatched_table(values.index, pairs, outcomes, failed)
    return AreaMatch(pairs, tuple(outcomes), values.index, unmatched)


def _unique_keys(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``np.unique(keys, return_inverse=True)`` for keys in ``range(size)``.

    A table of ``size`` flags instead of a sort, when that is small: 500 000 respondents in a
    few dozen areas in a few milliseconds (issue 14).

    Examples
    --------
    >>> uniques, inverse = _unique_keys(np.array([5, 2, 5, 0]), 6)
    >>> uniques.tolist(), inverse.tolist()
    ([0, 2, 5], [2, 1, 2, 0])
    """
    if size > max(4 * len(keys), 1 << 16):
        uniques, inverse = np.unique(keys, return_inverse=True)
        return uniques, inverse.reshape(-1)
    seen = np.zeros(size, dtype=bool)
    seen[keys] = True
    rank = np.cumsum(seen) - 1
    return np.flatnonzero(seen), rank[keys]


def place_areas(
    frame: pd.DataFrame,
    regions: pd.DataFrame,
    *,
    gemeente_code: str,
    level: str,
    column: str = "area",
    code_column: str | None = None,
) -> pd.DataFrame:
    """Attach CBS codes to the rows of an aggregated table, keeping areas that are not CBS's.

    A gemeente's own subwijken or dorpen are kept and marked ``"niet op de kaart"``; buurten
    are not rolled up into wijken (a buurt's percentage is not its wijk's).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area, the area as typed in ``column``.
    regions, gemeente_code, level
        As in `match_areas`.
    column : str
        Column with the area name (or code).
    code_column : str, optional
        Column with an area code, tried first; the name is tried where it gives nothing.

    Returns
    -------
    pandas.DataFrame
        ``frame`` (not modified) with ``code``, ``match``, ``reason`` and ``map_status``
        (``"op de kaart"`` / ``"niet op de kaart"``) added.

    Raises
    ------
    AreaError
        When two rows name the same CBS area, naming both rows.

    Examples
    --------
    >>> regions = pd.DataFrame({"code": ["WK034401"], "name": ["Wijk 01 West"],
    ...                         "level": "wijk", "gemeente_code": "GM0344"})
    >>> table = pd.DataFrame({"area": ["West", "Haarzuilens"], "pct": [41.0, 30.5]})
    >>> place_areas(table, regions, gemeente_code="GM0344", level="wijk")[
    ...     ["area", "code", "map_status"]].values.tolist()
    [['West', 'WK034401', 'op de kaart'], ['Haarzuilens', None, 'niet op de kaart']]
    """
    options = {"gemeente_code": gemeente_code, "level": level}
    rows = match_areas(frame[column], regions, **options, roll_up=False).rows
    if code_column is not None:
        by_code = match_areas(frame[code_column], regions, **options, roll_up=False).rows
        has_code = frame[code_column].map(_display_text) != ""
        # A code that is there decides; its failure reason beats the name's.
        use_code = has_code & (by_code["code"].notna() | rows["code"].isna())
        rows = rows.copy()
        rows.loc[use_code] = by_code.loc[use_code]
    _check_unique_codes(frame[column], rows["code"])
    on_map = rows["code"].notna()
    return frame.assign(
        code=rows["code"],
        match=rows["match"],
        reason=rows["reason"],
        map_status=on_map.map({True: ON_MAP, False: OFF_MAP}),
    )


@dataclass(frozen=True)
class _Matcher:
    """What matching one value needs: the gemeente's target areas and their name indexes."""

    gemeente: str
    level: str
    roll_up: bool
    known: frozenset[str]
    names: dict[str, object]
    targets: _NameIndex
    buurten: _NameIndex | None

    @classmethod
    def build(cls, regions: pd.DataFrame, gemeente: str, level: str, roll_up: bool) -> _Matcher:
        own = regions[regions["gemeente_code"] == gemeente]
        targets = own[own["level"] == level]
        known = frozenset(targets["code"])
        buurten = own[own["level"] == "buurt"]
        wijk_of_buurt = buurten["code"].map(wijk_code_of)
        in_known = wijk_of_buurt.isin(known)
        return cls(
            gemeente=gemeente,
            level=level,
            roll_up=roll_up,
            known=known,
            names=dict(zip(targets["code"], targets["name"], strict=True)),
            targets=_NameIndex.build(targets["code"], targets["name"]),
            buurten=(
                _NameIndex.build(wijk_of_buurt[in_known], buurten.loc[in_known, "name"])
                if roll_up and level == "wijk"
                else None
            ),
        )

    def value(self, text: str) -> _Outcome:
        """Match a typed area: as a code when it is one, else as a name."""
        if not text:
            return _Outcome(reason=REASON_EMPTY)
        code = normalise_code(text, self.gemeente)
        if code is not None:
            return self.code(code)
        return self.name(text)

    def code(self, code: str) -> _Outcome:
        """Match a normalised CBS code to a target area of the gemeente."""
        if gemeente_code_of(code) != self.gemeente:
            return _Outcome(reason=REASON_OTHER_GEMEENTE, detail=code)
        code_level = _PREFIX_LEVELS[code[:2]]
        if code_level == "buurt" and self.level == "wijk" and self.roll_up:
            code = wijk_code_of(code)
        elif code_level != self.level:
            return _Outcome(reason=REASON_OTHER_LEVEL, detail=f"{code} is een {code_level}code")
        if code not in self.known:
            return _Outcome(reason=REASON_UNKNOWN_CODE, detail=code)
        return _Outcome(code=code, kind=MATCH_CODE)

    def name(self, text: str) -> _Outcome:
        """Match a name: exact, then alias, then (rolled up) buurt names; unique only."""
        tokens = _name_tokens(text)
        tiers = self.targets.lookup(tokens) + (self.buurten.lookup(tokens) if self.buurten else [])
        for candidates in tiers:
            if len(candidates) == 1:
                return _Outcome(code=next(iter(candidates)), kind=MATCH_NAME)
            if len(candidates) > 1:
                return _Outcome(reason=REASON_AMBIGUOUS, detail=_describe(candidates, self.names))
        return _Outcome(reason=REASON_UNKNOWN_NAME)

    def postcode(self, text: str, lookup: dict[tuple[str, str | None], set[str]]) -> _Outcome:
        """Match through the postcode table: the areas the address (or PC6) lies in."""
        pc6, number = parse_postcode(text)
        if pc6 is None:
            return _Outcome(reason=REASON_POSTCODE_INVALID)
        codes = lookup.get((pc6, number)) or lookup.get((pc6, None)) or set()
        if not codes:
            return _Outcome(reason=REASON_POSTCODE_UNKNOWN)
        if len(codes) > 1:
            return _Outcome(reason=REASON_POSTCODE_AMBIGUOUS, detail=_describe(codes, self.names))
        code = next(iter(codes))
        if gemeente_code_of(code) != self.gemeente:
            return _Outcome(reason=REASON_OTHER_GEMEENTE, detail=code)
        if code not in self.known:
            return _Outcome(reason=REASON_UNKNOWN_CODE, detail=code)
        return _Outcome(code=code, kind=MATCH_POSTCODE)


@dataclass(frozen=True)
class _NameIndex:
    """Normalised names (exact, and aliases without "Wijk 01"/"e.o.") → the codes they name."""

    exact: dict[str, frozenset[str]]
    alias: dict[str, frozenset[str]]

    @classmethod
    def build(cls, codes: Iterable[str], names: Iterable[object]) -> _NameIndex:
        exact: dict[str, set[str]] = {}
        alias: dict[str, set[str]] = {}
        for code, name in zip(codes, names, strict=True):
            tokens = _name_tokens(name)
            if not tokens:
                continue  # CBS left some names empty (indeling 2020 in our snapshot)
            exact.setdefault("".join(tokens), set()).add(code)
            for alt in _aliases(tokens):
                alias.setdefault("".join(alt), set()).add(code)
        return cls(
            exact={k: frozenset(v) for k, v in exact.items()},
            alias={k: frozenset(v) for k, v in alias.items()},
        )

    def lookup(self, tokens: tuple[str, ...]) -> list[frozenset[str]]:
        """Return the candidate sets, most exact first (exact name, then any alias)."""
        keys = ["".join(tokens), *("".join(a) for a in _aliases(tokens))]
        exact = self.exact.get(keys[0], frozenset())
        loose = frozenset().union(*(self.exact.get(k, frozenset()) for k in keys[1:]))
        loose |= frozenset().union(*(self.alias.get(k, frozenset()) for k in keys))
        return [exact, loose]


def _postcode_sets(
    table: pd.DataFrame, postcodes: pd.Series, level: str
) -> dict[tuple[str, str | None], set[str]]:
    """Map ``(pc6, huisnummer)`` and ``(pc6, None)`` to the areas they lie in.

    Only the postcodes in the survey are kept, so a table of a whole city stays cheap.
    """
    tidy = postcode_lookup(table)
    wanted = {parse_postcode(v)[0] for v in postcodes} - {None}
    tidy = tidy[tidy["pc6"].isin(wanted) & tidy[level].notna()]
    sets: dict[tuple[str, str | None], set[str]] = {}
    for pc6, number, code in zip(tidy["pc6"], tidy["huisnummer"], tidy[level], strict=True):
        sets.setdefault((pc6, None), set()).add(code)
        if number is not None:
            sets.setdefault((pc6, number), set()).add(code)
    return sets


def _unmatched_table(
    index: pd.Index,
    pairs: np.ndarray,
    outcomes: list[_Outcome],
    failed: list[tuple[str, str]],
) -> pd.DataFrame:
    """Group the unmatched rows by what was typed: count and first rows per value.

    ``pairs`` gives each row's position in ``outcomes`` and ``failed`` (one entry per
    distinct typed pair); only the rows of unmatched pairs are visited.
    """
    keys: dict[tuple[str, str, str, str], int] = {}
    group_of_pair = np.full(len(outcomes), -1, dtype=np.int64)
    for i, (outcome, (column, value)) in enumerate(zip(outcomes, failed, strict=True)):
        if outcome.code is None:
            key = (column, value, outcome.reason or "", outcome.detail)
            group_of_pair[i] = keys.setdefault(key, len(keys))
    groups = group_of_pair[pairs] if len(pairs) else np.empty(0, dtype=np.int64)
    positions = np.flatnonzero(groups >= 0)
    in_row_order = groups[positions]
    counts = np.bincount(in_row_order, minlength=len(keys))
    # Per group its rows in file order (a stable sort keeps it), then the first few of them.
    order = positions[np.argsort(in_row_order, kind="stable")]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    first_seen = np.full(len(keys), len(index), dtype=np.int64)
    np.minimum.at(first_seen, in_row_order, positions)
    records = []
    for (column, value, reason, detail), g in keys.items():
        first = order[starts[g] : starts[g] + min(FIRST_ROWS, counts[g])]
        records.append(
            {
                "column": column,
                "value": value,
                "reason": reason,
                "detail": detail,
                "count": int(counts[g]),
                "first_rows": tuple(_plain(index[i]) for i in first),
                "_first": first_seen[g],
            }
        )
    columns = ["column", "value", "reason", "detail", "count", "first_rows"]
    out = pd.DataFrame(records, columns=[*columns, "_first"]).astype({"count": "int64"})
    # Most frequent first; ties in order of first appearance in the file.
    out = out.sort_values("_first", kind="stable").sort_values(
        "count", ascending=False, kind="stable"
    )
    return out[columns].reset_index(drop=True)


def _check_unique_codes(areas: pd.Series, codes: pd.Series) -> None:
    """Fail when two rows name the same CBS area; a figure must have one source row."""
    seen: dict[str, object] = {}
    for label, area, code in zip(codes.index, areas, codes, strict=True):
        if code is None:
            continue
        if code in seen:
            first = seen[code]
            raise AreaError(
                f"rij {first} en rij {label} ({_display_text(area)!r}) zijn allebei {code}; "
                "elk gebied mag maar één keer voorkomen"
            )
        seen[code] = label


def _describe(codes: Iterable[str], names: dict[str, object]) -> str:
    """List codes with their names: ``WK008010 (Binnenstad), WK008011 (…)``."""
    return ", ".join(
        f"{code} ({names[code]})" if isinstance(names.get(code), str) else code
        for code in sorted(codes)
    )


def _name_tokens(raw: object) -> tuple[str, ...]:
    """Split a name into lower-case ASCII words without punctuation or joining words."""
    if raw is None or raw is pd.NA or (isinstance(raw, float) and math.isnan(raw)):
        return ()
    # NFKD before casefold ("𝐀" → "A" → "a") and after it ("İ" → "i̇", a combining dot).
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", str(raw)).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return tuple(t for t in re.findall(r"[^\W_]+", text) if t not in _JOINERS)


def _aliases(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Return the shorter forms people use: without "Wijk 01 " and without " e.o."."""
    out: list[tuple[str, ...]] = []
    numbered = (
        len(tokens) >= 2
        and tokens[0] in ("wijk", "buurt")
        and _ASCII_DIGITS.fullmatch(tokens[1]) is not None
    )
    rest = tokens[2:] if numbered else tokens
    if numbered:
        out.append((tokens[0], str(int(tokens[1])).zfill(2)))  # "Wijk 1" = "Wijk 01 West"
        out.append(rest)
    if rest[-2:] == ("e", "o"):
        out.append(rest[:-2])
    return [a for a in out if a and a != tokens]


def _column_role(column: object) -> str | None:
    """Recognise a column of a CBS postcode table by its name."""
    name = re.sub(r"[^a-z0-9]", "", str(column).casefold())
    if name in ("pc6", "postcode", "pc", "postcode6"):
        return "pc6"
    if name.startswith(("huisnummer", "huisnr")) or name == "hnr":
        return "huisnummer"
    for role in ("buurt", "wijk", "gemeente"):
        if name.startswith(role) and "naam" not in name:
            return role
    return None


def _table_code(raw: object, level: str) -> str | None:
    """Return the CBS code of a postcode-table cell; bare digits are zero-padded to the level."""
    text = _code_text(raw)
    if not text:
        return None
    if _ASCII_DIGITS.fullmatch(text) and len(text) <= LEVEL_DIGITS[level]:
        return LEVEL_PREFIXES[level] + text.zfill(LEVEL_DIGITS[level])
    code = normalise_code(text)
    return code if code is not None and code.startswith(LEVEL_PREFIXES[level]) else None


def _house_number(raw: object) -> str | None:
    """Return a house number as digits text (``12`` from ``12.0`` or ``"12"``)."""
    text = _code_text(raw)
    return str(int(text)) if text and _ASCII_DIGITS.fullmatch(text) else None


def _gemeente_digits(gemeente_code: str | None) -> str | None:
    """Return the 4 digits of a gemeente code (``GM0363`` or ``0363``), or None."""
    if gemeente_code is None:
        return None
    code = normalise_code(gemeente_code)
    return code[2:] if code is not None and code.startswith("GM") else None


def _code_text(raw: object) -> str | None:
    """Return a value as upper-case text, integral floats without ``.0``; None when missing."""
    if raw is None or raw is pd.NA or isinstance(raw, bool):
        return None
    if isinstance(raw, numbers.Integral):
        return str(int(raw))
    if isinstance(raw, numbers.Real):
        value = float(raw)
        return str(int(value)) if math.isfinite(value) and value.is_integer() else None
    if isinstance(raw, str):
        return raw.strip().upper()
    return None


def _display_text(raw: object) -> str:
    """Return a value as the user typed it, stripped; missing values give ``""``."""
    if raw is None or raw is pd.NA or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _display_texts(values: pd.Series) -> np.ndarray:
    """Return `_display_text` of every value, computed once per distinct value.

    Distinct values are found with ``pandas.factorize`` only where equal values cannot
    display differently (text, numbers); anything else (booleans next to numbers, objects)
    goes value by value.

    >>> _display_texts(pd.Series([" WK008010", 12.0, None, "WK008010"], dtype=object)).tolist()
    ['WK008010', '12', '', 'WK008010']
    """
    codes, texts = _display_codes(values)
    return texts[codes]


def _display_counts(values: pd.Series) -> dict[str, int]:
    """Return how many rows show each `_display_text` (``""`` for the empty ones).

    >>> sorted(_display_counts(pd.Series([" WK1", "WK1", None, 3.0], dtype=object)).items())
    [('', 1), ('3', 1), ('WK1', 2)]
    """
    codes, texts = _display_codes(values)
    counts = np.bincount(codes, minlength=len(texts))
    return dict(zip(texts.tolist(), counts.tolist(), strict=True))


def _display_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return `_display_texts` factorised: a code per value and the distinct texts.

    Equal values are found once (``pandas.factorize`` on the values, then on their few
    distinct texts), never by hashing a text per row again.

    >>> codes, texts = _display_codes(pd.Series([" WK1", 12.0, None, "WK1"], dtype=object))
    >>> codes.tolist(), texts.tolist()
    ([0, 1, 2, 0], ['WK1', '12', ''])
    """
    kind = scales.value_kind(values)
    if kind not in ("string", "empty", "integer", "floating", "mixed-integer-float"):
        ids, texts = pd.factorize(np.array([_display_text(v) for v in values], dtype=object))
        return ids, np.asarray(texts, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # the sentinel -1 picks the trailing "" (a missing value)
    shown = np.array([*(_display_text(u) for u in uniques), ""], dtype=object)
    text_ids, texts = pd.factorize(shown)
    return text_ids[codes], np.asarray(texts, dtype=object)


def _plain(label: object) -> object:
    """Return numpy scalars as Python ones, so row labels print as ``12``, not ``np.int64(12)``."""
    return label.item() if hasattr(label, "item") else label


def mostly_buurten(frame: pd.DataFrame, regions: pd.DataFrame) -> bool:
    """Guess the level of an aggregated table: more buurt names than wijk names matched."""
    names = set(frame["area"].astype("str").map(normalise_name))
    levels = regions.assign(key=regions["name"].astype("str").map(normalise_name))
    hits = levels[levels["key"].isin(names)]["level"].value_counts()
    return hits.get("buurt", 0) > hits.get("wijk", 0)


def label_areas(
    values: pd.Series,
    value_labels: Mapping[object, str],
    regions: pd.DataFrame,
    *,
    gemeente_code: str,
    level: str,
) -> tuple[pd.Series, list[str]]:
    """Read a coded area column by its SPSS value labels: the label decides, conflicts are told.

    A file's own numbering may differ from the CBS codes (code 10 labelled "Camminghaburen
    e.o." is not WK008010 Binnenstad). Where the label names an area, the value becomes the
    label; where the number names another area, that is said, never silently resolved. Where
    the label names nothing the number is used, and that is said too.

    Parameters
    ----------
    values : pandas.Series
        The area column as read (codes).
    value_labels : mapping
        Its SPSS value labels, ``{code: name}``.
    regions, gemeente_code, level
        As in `match_areas`.

    Returns
    -------
    (pandas.Series, list of str)
        The values with labels in place of codes, and Dutch notes on conflicts.

    Examples
    --------
    >>> regions = pd.DataFrame({"code": ["WK008010", "WK008011"],
    ...     "name": ["Binnenstad", "Camminghaburen"], "level": "wijk", "gemeente_code": "GM0080"})
    >>> out, notes = label_areas(pd.Series([10.0, 11.0]), {10.0: "Camminghaburen e.o.",
    ...     11.0: "Binnenstad"}, regions, gemeente_code="GM0080", level="wijk")
    >>> out.tolist()
    ['Camminghaburen e.o.', 'Binnenstad']
    >>> for part in notes[0].split("; "):
    ...     print(part)
    waarde 10 heeft label 'Camminghaburen e.o.' (WK008011 Camminghaburen)
    het nummer zou WK008010 (Binnenstad) zijn: het label beslist (1 rij)
    """
    distinct = [v for v in pd.unique(values) if _display_text(v)]
    labelled = {}
    for raw in distinct:
        label = _value_label(raw, value_labels)
        if label is not None and _display_text(label):
            labelled[_display_text(raw)] = (raw, str(label).strip())
    if not labelled:
        return values, []
    keys = list(labelled)
    by_label = match_areas(
        pd.Series([labelled[k][1] for k in keys]), regions, gemeente_code=gemeente_code, level=level
    ).codes
    by_code = match_areas(
        pd.Series(keys, dtype=object), regions, gemeente_code=gemeente_code, level=level
    ).codes
    names = dict(zip(regions["code"], regions["name"], strict=False))
    counts = _display_counts(values)
    replacement: dict[str, object] = {}
    notes = []
    for key, label_code, number_code in zip(keys, by_label, by_code, strict=True):
        label = labelled[key][1]
        n = int(counts.get(key, 0))
        rows = f"{n} rij" if n == 1 else f"{n} rijen"
        if label_code is not None:
            replacement[key] = label
            if number_code is not None and number_code != label_code:
                notes.append(
                    f"waarde {key} heeft label {label!r} ({label_code} {names.get(label_code)}); "
                    f"het nummer zou {number_code} ({names.get(number_code)}) zijn: het label "
                    f"beslist ({rows})"
                )
        elif number_code is not None:
            notes.append(
                f"waarde {key}: label {label!r} is geen gebied van deze gemeente; gekoppeld op "
                f"het nummer, {number_code} ({names.get(number_code)}) ({rows})"
            )
        else:
            replacement[key] = label
    ids, texts = _display_codes(values)
    replaced = np.array([text in replacement for text in texts], dtype=bool)[ids]
    out = values.astype(object)
    if replaced.any():
        labels = np.array([replacement.get(text) for text in texts], dtype=object)
        out = out.mask(replaced, pd.Series(labels[ids], index=values.index, dtype=object))
    return out.astype(object), notes


def _value_label(raw: object, value_labels: Mapping[object, str]) -> str | None:
    """Return the value label of a cell (SPSS keys are floats or strings)."""
    for key in (raw, _code_text(raw)):
        try:
            if key is not None and key in value_labels:
                return value_labels[key]
        except TypeError:
            return None
    number = _display_text(raw)
    try:
        as_float = float(number)
    except ValueError:
        return None
    return value_labels.get(as_float)


def propose_level(values: pd.Series, regions: pd.DataFrame, gemeente_code: str) -> str:
    """Propose the level of a survey's area column: "buurt" when most values name buurten.

    Examples
    --------
    >>> regions = pd.DataFrame({"code": ["WK008010", "BU00801001"], "name": ["A", "B"],
    ...                         "level": ["wijk", "buurt"], "gemeente_code": "GM0080"})
    >>> propose_level(pd.Series(["BU00801001", "801001", "B", "A"]), regions, "GM0080")
    'buurt'
    """
    texts = pd.Series([_display_text(v) for v in pd.unique(values)], dtype=object)
    texts = texts[texts != ""]
    counts = _display_counts(values)
    tally = {"wijk": 0, "buurt": 0}
    for level in tally:
        rows = match_areas(
            texts, regions, gemeente_code=gemeente_code, level=level, roll_up=False
        ).rows
        tally[level] = int(sum(counts.get(t, 0) for t in texts[rows["code"].notna().to_numpy()]))
    return "buurt" if tally["buurt"] > tally["wijk"] else "wijk"


def gemeente_name_index(
    regions: pd.DataFrame, gemeente_names: Mapping[str, str] | None = None
) -> dict[str, frozenset[str]]:
    """Return normalised area (and gemeente) name -> the gemeenten that have an area so named.

    Examples
    --------
    >>> regions = pd.DataFrame({"name": ["Binnenstad", "Binnenstad", "West"],
    ...                         "gemeente_code": ["GM0080", "GM0344", "GM0344"]})
    >>> sorted(gemeente_name_index(regions)["binnenstad"])
    ['GM0080', 'GM0344']
    """
    index: dict[str, set[str]] = {}
    pairs = regions[["name", "gemeente_code"]].drop_duplicates()
    for name, gemeente in zip(pairs["name"], pairs["gemeente_code"], strict=True):
        key = normalise_name(name)
        if key:
            index.setdefault(key, set()).add(str(gemeente))
    for code, name in (gemeente_names or {}).items():
        index.setdefault(normalise_name(name), set()).add(code)
    return {k: frozenset(v) for k, v in index.items()}


def propose_gemeenten(
    values: pd.Series, name_index: Mapping[str, frozenset[str]]
) -> list[tuple[str, int]]:
    """Return the gemeenten an area column points to, with row counts, most rows first.

    Codes with a prefix or of a full length name their gemeente; names are looked up in
    `gemeente_name_index` (a name found in several gemeenten counts for none).

    Examples
    --------
    >>> regions = pd.DataFrame({"name": ["Binnenstad", "West"],
    ...                         "gemeente_code": ["GM0080", "GM0344"]})
    >>> index = gemeente_name_index(regions)
    >>> propose_gemeenten(pd.Series(["WK008010", "binnenstad", "West", "x"]), index)
    [('GM0080', 2), ('GM0344', 1)]
    """
    tally: dict[str, int] = {}
    counts = _display_counts(values)
    for text, n in counts.items():
        if not text:
            continue
        code = normalise_code(text)
        if code is not None and code.startswith("GM") and not text.upper().startswith("GM"):
            continue  # four bare digits may be a wijk number as well; they do not vote
        found = {f"GM{code[2:6]}"} if code is not None else name_index.get(normalise_name(text))
        if found and len(found) == 1:
            gemeente = next(iter(found))
            tally[gemeente] = tally.get(gemeente, 0) + int(n)
    return sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
