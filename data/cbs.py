"""CBS Kerncijfers wijken en buurten and RIVM health estimates through the real ``cbsodata`` client.

Every function takes the catalogue as a full URL with scheme (``CBS_CATALOG``,
``RIVM_CATALOG`` or a local feed such as ``"http://127.0.0.1:PORT"`` from
``snapshot_build.replay.serve``). ``cbsodata`` keeps ``use_https`` in a module-global
option, so each call sets it under a lock and restores it afterwards; the host goes in as cbsodata's
``catalog_url`` argument.

``cbsodata.get_data`` replaces dimension keys by their titles. So region codes come from the
``Codering_3`` topic, never from the ``WijkenEnBuurten`` column (which then holds the region
name), and RIVM's Leeftijd/Marges/Perioden are mapped back from title or key.

This module is used at build time (the offline snapshot) and does no I/O at import; it has no
caching and no streamlit.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import cbsodata
import pandas as pd
import requests

from analysis import catalogue

CBS_CATALOG = "https://opendata.cbs.nl"
RIVM_CATALOG = "https://dataderden.cbs.nl"
RIVM_TABLE_ID = catalogue.RIVM_TABLE_ID

CBS_SOURCE = "Bron: CBS"
RIVM_SOURCE = "Bron: RIVM/CBS, GGD'en"

#: Numeric codes that mean "no value", never a number:
#: -99995 (geheim / niet beschikbaar) and -99997 (niet van toepassing) in the PDOK/CBS
#: wijk- en buurtkaart (found in shared/data/geo/buurten_2024_GM0308_baarn_wgs84.geojson);
#: -99999999 and -99999997 are the eight-digit markers of earlier kaart editions as we recall
#: them from the PDOK documentation - not present in shared/data, so not verified here; kept
#: because no real figure in these tables can be that low.
SENTINELS = (-99995.0, -99997.0, -99999999.0, -99999997.0)
#: Text that means "no value" in CBS files: '.' = onbekend, onvoldoende betrouwbaar of geheim.
MISSING_TEXT = ("", ".")

LEVELS = ("land", "gemeente", "wijk", "buurt")
#: Leeftijd keys and titles of 50090NED, both mapped to the label used in the dashboard.
AGE_GROUPS = {
    "20300": "18+",
    "18 jaar of ouder": "18+",
    "80200": "65+",
    "65 jaar of ouder": "65+",
}
_NUMERIC_DATATYPES = {"Long", "Double", "Float", "Integer", "Decimal"}
_REGION_TOPICS = ("Gemeentenaam_1", "SoortRegio_2", "Codering_3")

_OPTIONS_LOCK = threading.RLock()


class CbsError(RuntimeError):
    """CBS or RIVM data could not be found or fetched; the message is Dutch, for the user."""


# --------------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------------


def normalise_gemeente_code(gemeente: str | int) -> str:
    """Return a gemeente code as CBS writes it, ``GM`` plus four digits.

    Parameters
    ----------
    gemeente : str or int
        ``"GM0080"``, ``"gm0080"``, ``"0080"``, ``"80"`` or ``80``.

    Returns
    -------
    str
        For example ``"GM0080"``.

    Raises
    ------
    ValueError
        When the value is not a gemeente code (for example a wijk code ``"WK008010"``).

    Examples
    --------
    >>> normalise_gemeente_code(80)
    'GM0080'
    """
    if isinstance(gemeente, bool) or not isinstance(gemeente, str | int):
        raise ValueError(f"{gemeente!r} is geen gemeentecode (verwacht bijvoorbeeld 'GM0080')")
    text = str(gemeente).strip().upper()
    match = re.fullmatch(r"(?:GM)?(\d{1,4})", text)
    if match is None:
        raise ValueError(f"{gemeente!r} is geen gemeentecode (verwacht bijvoorbeeld 'GM0080')")
    return f"GM{int(match.group(1)):04d}"


def strip_padding(values: pd.Series) -> pd.Series:
    """Strip the spaces CBS pads keys and string topics with; other values stay as they are.

    Missing values stay missing (NaN in pandas' string dtype).

    Examples
    --------
    >>> strip_padding(pd.Series(["GM0059    ", " Wijk  ", None])).tolist()[:2]
    ['GM0059', 'Wijk']
    """
    return values.map(lambda value: value.strip() if isinstance(value, str) else value)


def to_missing(values: pd.Series) -> pd.Series:
    """Return numbers as floats with every CBS "no value" marker as NaN (never 0).

    Null, empty text, ``"."`` (padded or not) and the sentinels in :data:`SENTINELS` become NaN.

    Parameters
    ----------
    values : pandas.Series
        Numbers, or numbers as text (the UntypedDataSet form, e.g. ``"    78.4"``).

    Returns
    -------
    pandas.Series
        float64, same index and name.

    Raises
    ------
    ValueError
        When a value is text that is neither a number nor a missing marker.

    Examples
    --------
    >>> to_missing(pd.Series(["  12.5", "       .", None, -99995])).tolist()
    [12.5, nan, nan, nan]
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
    else:
        text = values.map(lambda v: v.strip() if isinstance(v, str) else v).astype(object)
        text = text.mask(text.isin(MISSING_TEXT))
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = text.notna() & numbers.isna()
        if bad.any():
            raise ValueError(
                f"kolom {values.name!r}: {text[bad].iloc[0]!r} is geen getal "
                f"(verwacht een getal, '.' of leeg)"
            )
    return numbers.mask(numbers.isin(SENTINELS))


def level_from_soort(soort: str) -> str:
    """Return the region level from a ``SoortRegio_2`` value.

    Examples
    --------
    >>> level_from_soort("Gemeente  ")
    'gemeente'
    """
    level = str(soort).strip().lower()
    if level not in LEVELS:
        raise ValueError(
            f"onbekende soort regio {soort!r} (verwacht Land, Gemeente, Wijk of Buurt)"
        )
    return level


def parse_period_year(period: str) -> int:
    """Return the year of a yearly CBS period, key (``"2020JJ00"``) or title (``"2020"``).

    Examples
    --------
    >>> parse_period_year("2020JJ00")
    2020
    """
    match = re.fullmatch(r"(\d{4})(?:JJ00)?", str(period).strip())
    if match is None:
        raise ValueError(f"{period!r} is geen jaarperiode (verwacht bijvoorbeeld '2020JJ00')")
    return int(match.group(1))


def age_group(leeftijd: str) -> str:
    """Return ``"18+"`` or ``"65+"`` from a 50090NED Leeftijd key or title.

    Examples
    --------
    >>> age_group("80200")
    '65+'
    """
    label = AGE_GROUPS.get(str(leeftijd).strip())
    if label is None:
        raise ValueError(f"onbekende leeftijdsgroep {leeftijd!r} (verwacht 20300 of 80200)")
    return label


def kwb_title(year: int) -> str:
    """Return the StatLine title of the KWB table of a year."""
    return f"Kerncijfers wijken en buurten {year}"


def odata_literal(text: str) -> str:
    """Quote text as an OData string literal (a quote is doubled)."""
    return "'" + text.replace("'", "''") + "'"


def select_kwb_table(records: Sequence[Mapping[str, Any]], year: int) -> str:
    """Return the id of the one catalogue record titled exactly like the KWB table of ``year``.

    Raises
    ------
    CbsError
        When no record or more than one record has that exact title. CBS also has tables whose
        title only starts like it (e.g. "Kerncijfers wijken en buurten 2009-2012"), so a prefix
        is not enough, and an id is never guessed.
    """
    title = kwb_title(year)
    ids = sorted(
        {
            str(record.get("Identifier", "")).strip()
            for record in records
            if str(record.get("Title") or "").strip() == title
        }
    )
    if not ids:
        raise CbsError(f"Geen CBS-tabel met de titel '{title}' gevonden in de catalogus.")
    if len(ids) > 1:
        raise CbsError(
            f"Meer dan één CBS-tabel heet '{title}' ({', '.join(ids)}); kies de tabel zelf."
        )
    return ids[0]


#: Catalogue titles of the tables the fetch command looks for, with the year(s) they cover.
KWB_TITLE_RE = re.compile(r"^Kerncijfers wijken en buurten (\d{4})$")
RIVM_TITLE_RE = re.compile(r"^Gezondheid per wijk en buurt; (\d{4}(?:/\d{4})*)")
KWB_STEM = "Kerncijfers wijken en buurten"
RIVM_STEM = "Gezondheid per wijk en buurt"


def newest_table(records: Sequence[Mapping[str, Any]], pattern: re.Pattern) -> tuple[str, int]:
    """Return ``(id, year)`` of the catalogue record with the newest year in a matching title.

    ``pattern``'s first group holds the year, or several years separated by "/" (the newest
    counts). Titles that do not match (such as "Kerncijfers wijken en buurten 2009-2012") are
    ignored.

    Raises
    ------
    CbsError
        When no title matches, or two tables share the newest year.

    Examples
    --------
    >>> recs = [{"Identifier": "85984NED", "Title": "Kerncijfers wijken en buurten 2024"},
    ...         {"Identifier": "86165NED", "Title": "Kerncijfers wijken en buurten 2025"},
    ...         {"Identifier": "70904ned", "Title": "Kerncijfers wijken en buurten 2009-2012"}]
    >>> newest_table(recs, KWB_TITLE_RE)
    ('86165NED', 2025)
    >>> newest_table([{"Identifier": "50090NED", "Title": "Gezondheid per wijk en buurt; "
    ...                "2012/2016/2020 (indeling 2020)"}], RIVM_TITLE_RE)
    ('50090NED', 2020)
    """
    years: dict[str, int] = {}
    for record in records:
        match = pattern.match(str(record.get("Title") or "").strip())
        if match:
            year = max(int(y) for y in match.group(1).split("/"))
            years[str(record.get("Identifier", "")).strip()] = year
    if not years:
        raise CbsError("Geen passende tabel gevonden in de catalogus.")
    newest = max(years.values())
    ids = sorted(k for k, v in years.items() if v == newest)
    if len(ids) > 1:
        raise CbsError(f"Meer dan één tabel voor {newest} ({', '.join(ids)}); kies de tabel zelf.")
    return ids[0], newest


def newest_kwb_table(catalog_url: str = CBS_CATALOG) -> tuple[str, int]:
    """Return ``(id, year)`` of the newest "Kerncijfers wijken en buurten YYYY" in the catalogue.

    Raises
    ------
    CbsError
        When the catalogue is unreachable or lists no such table.
    """
    return _newest_in_catalogue(catalog_url, KWB_STEM, KWB_TITLE_RE)


def newest_rivm_table(catalog_url: str = RIVM_CATALOG) -> tuple[str, int]:
    """Return ``(id, year)`` of the newest RIVM "Gezondheid per wijk en buurt" table.

    Raises
    ------
    CbsError
        When the catalogue is unreachable or lists no such table.
    """
    return _newest_in_catalogue(catalog_url, RIVM_STEM, RIVM_TITLE_RE)


def _newest_in_catalogue(catalog_url: str, stem: str, pattern: re.Pattern[str]) -> tuple[str, int]:
    """Return the newest table (`newest_table`) among those whose title holds ``stem``."""
    with cbsodata_catalog(catalog_url) as host:
        records = cbsodata.get_table_list(
            filters=f"substringof({odata_literal(stem)},Title)", catalog_url=host
        )
    try:
        return newest_table(records, pattern)
    except CbsError as err:
        raise CbsError(f"'{stem} ...': {err} (catalogus: {catalog_url})") from None


def topic_properties(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Return the Topic rows of DataProperties: Key, Title, Description, Unit, Decimals, …."""
    columns = ["Key", "Title", "Description", "Unit", "Decimals", "Datatype", "Type"]
    topics = [
        {name: record.get(name) for name in columns}
        for record in records
        if str(record.get("Type") or "").strip() == "Topic"
    ]
    frame = pd.DataFrame(topics, columns=columns)
    for name in ("Key", "Title", "Description", "Unit", "Datatype", "Type"):
        frame[name] = strip_padding(frame[name])
    frame["Decimals"] = pd.to_numeric(frame["Decimals"]).astype("Int64")
    return frame


def _topic_columns(rows: pd.DataFrame, properties: pd.DataFrame) -> dict[str, pd.Series]:
    """Return every Topic column in DataProperties order: numbers via to_missing, text stripped."""
    topics: dict[str, pd.Series] = {}
    for key, datatype in zip(properties["Key"], properties["Datatype"], strict=True):
        if key not in rows.columns:
            continue
        if datatype in _NUMERIC_DATATYPES:
            topics[key] = to_missing(rows[key])
        else:
            topics[key] = strip_padding(rows[key])
    return topics


def tidy_kwb(
    rows: Sequence[Mapping[str, Any]], properties: pd.DataFrame, gemeente: str | int
) -> pd.DataFrame:
    """Return the KWB rows of one gemeente, its wijken and its buurten, tidied.

    Parameters
    ----------
    rows : sequence of mapping
        TypedDataSet rows as ``cbsodata.get_data`` returns them (``WijkenEnBuurten`` holds
        the region title).
    properties : pandas.DataFrame
        Topic properties from :func:`topic_properties`.
    gemeente : str or int
        Gemeente code in any form :func:`normalise_gemeente_code` accepts.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``name``, ``level``, ``gemeente_code``, then every topic; only rows whose code
        carries the gemeente's four digits at ``code[2:6]`` (a buurt elsewhere whose code merely
        contains them is dropped).

    Examples
    --------
    >>> rows = [
    ...     {"WijkenEnBuurten": "Leeuwarden", "SoortRegio_2": "Gemeente  ",
    ...      "Codering_3": "GM0080    ", "AantalInwoners_5": 129973},
    ...     {"WijkenEnBuurten": "Dijken", "SoortRegio_2": "Buurt     ",
    ...      "Codering_3": "BU19400801", "AantalInwoners_5": 55},
    ... ]
    >>> props = topic_properties([{"Type": "Topic", "Key": "AantalInwoners_5",
    ...                            "Datatype": "Long"}])
    >>> tidy_kwb(rows, props, "0080")[["code", "level", "AantalInwoners_5"]]
         code     level  AantalInwoners_5
    0  GM0080  gemeente          129973.0
    """
    gemeente_code = normalise_gemeente_code(gemeente)
    frame = pd.DataFrame.from_records(list(rows))
    if frame.empty or "Codering_3" not in frame.columns:
        raise CbsError(f"Geen regio's gevonden voor gemeente {gemeente_code}.")
    code = strip_padding(frame["Codering_3"])
    keep = code.map(lambda c: isinstance(c, str) and c[2:6] == gemeente_code[2:]).astype(bool)
    frame = frame[keep].reset_index(drop=True)
    code = code[keep].reset_index(drop=True)
    if frame.empty:
        raise CbsError(f"Geen regio's gevonden voor gemeente {gemeente_code}.")
    duplicated = code[code.duplicated()]
    if not duplicated.empty:
        raise CbsError(f"Regiocode {duplicated.iloc[0]} komt meer dan eens voor in de CBS-tabel.")
    tidy = pd.DataFrame(
        {
            "code": code,
            "name": strip_padding(frame["WijkenEnBuurten"]),
            "level": frame["SoortRegio_2"].map(level_from_soort),
            "gemeente_code": gemeente_code,
        }
    )
    return pd.concat([tidy, pd.DataFrame(_topic_columns(frame, properties))], axis=1)


def _key_lookup(records: Sequence[Mapping[str, Any]], dimension: str) -> dict[str, str]:
    """Map a dimension's stripped keys and titles to its stripped key (titles must be unique)."""
    lookup: dict[str, str] = {}
    for record in records:
        key = str(record["Key"]).strip()
        lookup[key] = key
    for record in records:
        key, title = str(record["Key"]).strip(), str(record.get("Title") or "").strip()
        if title and lookup.setdefault(title, key) != key:
            raise CbsError(f"Dimensie {dimension}: titel '{title}' hoort bij meer dan één code.")
    return lookup


def tidy_rivm(
    rows: Sequence[Mapping[str, Any]],
    properties: pd.DataFrame,
    margins: Mapping[str, str],
) -> pd.DataFrame:
    """Return 50090NED rows tidied: one row per (code, year, age, margin), topics as floats.

    Parameters
    ----------
    rows : sequence of mapping
        TypedDataSet rows as ``cbsodata.get_data`` returns them (dimension titles, not keys).
    properties : pandas.DataFrame
        Topic properties from :func:`topic_properties`.
    margins : mapping of str to str
        Marges title or key → key (from :func:`_key_lookup`), so the code is kept.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``name`` (the region's title; missing where it is only the code), ``level``,
        ``gemeente_name``, ``year``, ``age``, ``margin``, then the numeric topics (float64,
        NaN where RIVM published nothing).
    """
    frame = pd.DataFrame.from_records(list(rows))
    if frame.empty:
        raise CbsError("De RIVM-tabel gaf geen rijen terug.")

    def margin_code(value: Any) -> str:
        text = str(value).strip()
        if text not in margins:
            raise CbsError(f"Onbekende marge '{text}' in de RIVM-tabel.")
        return margins[text]

    code = strip_padding(frame["Codering_3"])
    # cbsodata replaces the WijkenEnBuurten key by its title: the region's name in StatLine.
    # A title equal to the code (the offline replay has no wijk names) is no name.
    title = strip_padding(frame["WijkenEnBuurten"]) if "WijkenEnBuurten" in frame else code
    tidy = pd.DataFrame(
        {
            "code": code,
            "name": title.where(title.notna() & (title != code) & (title != "")),
            "level": frame["SoortRegio_2"].map(level_from_soort),
            "gemeente_name": strip_padding(frame["Gemeentenaam_1"]),
            "year": frame["Perioden"].map(parse_period_year).astype("int64"),
            "age": frame["Leeftijd"].map(age_group),
            "margin": frame["Marges"].map(margin_code),
        }
    )
    numeric = properties[
        properties["Datatype"].isin(_NUMERIC_DATATYPES) & ~properties["Key"].isin(_REGION_TOPICS)
    ]
    tidy = pd.concat([tidy, pd.DataFrame(_topic_columns(frame, numeric))], axis=1)
    duplicated = tidy.duplicated(["code", "year", "age", "margin"])
    if duplicated.any():
        first = tidy[duplicated].iloc[0]
        raise CbsError(
            f"Regio {first['code']} staat meer dan eens in de RIVM-tabel "
            f"({first['year']}, {first['age']}, {first['margin']})."
        )
    return tidy


# --------------------------------------------------------------------------------------------
# Fetching through cbsodata
# --------------------------------------------------------------------------------------------


def _catalog_host(catalog_url: str) -> tuple[bool, str]:
    """Split a catalogue URL into (use_https, host[:port]) for cbsodata."""
    parts = urlsplit(catalog_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ValueError(
            f"{catalog_url!r} is geen catalogus-URL (verwacht bijvoorbeeld '{CBS_CATALOG}')"
        )
    return parts.scheme == "https", parts.netloc


def http_error_text(err: requests.HTTPError, catalog_url: str) -> str:
    """Say in Dutch what an HTTP error of cbsodata means; paging cut off says at which row.

    ``cbsodata`` follows ``odata.nextLink`` (``$skip=10000``, ``20000``, …) and re-raises an
    HTTP error without its response; the original is its ``__cause__``.
    """
    response = err.response if err.response is not None else None
    if response is None and isinstance(err.__cause__, requests.HTTPError):
        response = err.__cause__.response
    if response is None:
        return f"Ophalen bij {catalog_url} mislukt: {err}"
    skip = parse_qs(urlsplit(response.url).query).get("$skip")
    if skip and skip[0] != "0":
        return (
            f"Ophalen bij {catalog_url} mislukt: het bladeren brak af bij rij {skip[0]} "
            f"(status {response.status_code}); de tabel is niet volledig opgehaald. "
            "Probeer het later opnieuw."
        )
    return (
        f"Ophalen bij {catalog_url} mislukt: de server antwoordde met status "
        f"{response.status_code} ({urlsplit(response.url).path})."
    )


@contextmanager
def cbsodata_catalog(catalog_url: str) -> Iterator[str]:
    """Point cbsodata at a catalogue for the duration of a ``with`` block.

    Sets the module-global ``cbsodata.options.use_https`` from the URL's scheme (under a lock,
    restored afterwards) and yields the host[:port] to pass as cbsodata's ``catalog_url``.
    Network errors become a :class:`CbsError`.

    Parameters
    ----------
    catalog_url : str
        Full URL with scheme, e.g. ``"https://opendata.cbs.nl"`` or ``"http://127.0.0.1:8080"``.

    Yields
    ------
    str
        The host, e.g. ``"opendata.cbs.nl"``.
    """
    use_https, host = _catalog_host(catalog_url)
    with _OPTIONS_LOCK:
        previous = cbsodata.options.use_https
        cbsodata.options.use_https = use_https
        try:
            yield host
        except requests.ConnectionError as err:
            raise CbsError(
                f"Ophalen bij {catalog_url} mislukt: geen verbinding. Controleer de "
                "internetverbinding."
            ) from err
        except requests.HTTPError as err:
            raise CbsError(http_error_text(err, catalog_url)) from err
        except requests.RequestException as err:
            raise CbsError(f"Ophalen bij {catalog_url} mislukt: {err}") from err
        finally:
            cbsodata.options.use_https = previous


def _require_data_set(table_id: str, host: str, catalog_url: str) -> None:
    """Fail clearly when a table's service document offers no TypedDataSet/UntypedDataSet.

    ``cbsodata.get_data`` removes one of those names from the service document's list before
    downloading, so without them it fails with an unhelpful ``ValueError``.
    """
    names = {entry.get("name") for entry in cbsodata.get_meta(table_id, "", catalog_url=host)}
    missing = sorted({"TypedDataSet", "UntypedDataSet"} - names)
    if missing:
        raise CbsError(
            f"Tabel {table_id} op {catalog_url} biedt geen gegevens aan "
            f"({' en '.join(missing)} {'ontbreekt' if len(missing) == 1 else 'ontbreken'}); "
            "alleen metadata is beschikbaar."
        )


def find_kwb_table(year: int, catalog_url: str = CBS_CATALOG) -> str:
    """Look up the id of the "Kerncijfers wijken en buurten {year}" table in the catalogue.

    Parameters
    ----------
    year : int
        Year of the table, e.g. 2025.
    catalog_url : str, default CBS_CATALOG
        Catalogue URL with scheme.

    Returns
    -------
    str
        The table id, e.g. ``"86165NED"``.

    Raises
    ------
    CbsError
        When no table or several tables have exactly that title, or the catalogue is
        unreachable.
    """
    title = kwb_title(year)
    with cbsodata_catalog(catalog_url) as host:
        records = cbsodata.get_table_list(
            filters=f"substringof({odata_literal(title)},Title)", catalog_url=host
        )
    try:
        return select_kwb_table(records, year)
    except CbsError as err:
        raise CbsError(f"{err} (catalogus: {catalog_url})") from None


def data_properties(table_id: str, catalog_url: str = CBS_CATALOG) -> pd.DataFrame:
    """Return the Topic properties of a table.

    Parameters
    ----------
    table_id : str
        Table id, e.g. ``"86165NED"``.
    catalog_url : str, default CBS_CATALOG
        Catalogue URL with scheme.

    Returns
    -------
    pandas.DataFrame
        Columns Key, Title, Description, Unit, Decimals (Int64), Datatype, Type; strings stripped.
    """
    with cbsodata_catalog(catalog_url) as host:
        records = cbsodata.get_meta(table_id, "DataProperties", catalog_url=host)
    return topic_properties(records)


def kwb(year: int, gemeente: str | int, catalog_url: str = CBS_CATALOG) -> pd.DataFrame:
    """Return the Kerncijfers wijken en buurten of one gemeente, its wijken and buurten.

    The catalogue gives the table id; rows are filtered server-side on the gemeente's four
    digits and then kept only when ``code[2:6]`` equals them.

    Parameters
    ----------
    year : int
        Year of the KWB table.
    gemeente : str or int
        ``"GM0080"``, ``"0080"`` or ``80``.
    catalog_url : str, default CBS_CATALOG
        Catalogue URL with scheme.

    Returns
    -------
    pandas.DataFrame
        ``code`` (from Codering_3), ``name`` (the region title), ``level``
        (gemeente/wijk/buurt), ``gemeente_code``, then every topic: Long/Double topics as
        float64 with NaN for CBS's missing values, string topics stripped. ``attrs`` holds
        ``table_id``, ``year`` and ``source``.

    Raises
    ------
    CbsError
        When the table is not found, offers no data, or holds no rows for the gemeente.
    """
    gemeente_code = normalise_gemeente_code(gemeente)
    table_id = find_kwb_table(year, catalog_url)
    with cbsodata_catalog(catalog_url) as host:
        _require_data_set(table_id, host, catalog_url)
        properties = topic_properties(
            cbsodata.get_meta(table_id, "DataProperties", catalog_url=host)
        )
        rows = cbsodata.get_data(
            table_id,
            filters=f"substringof({odata_literal(gemeente_code[2:])},WijkenEnBuurten)",
            catalog_url=host,
        )
    frame = tidy_kwb(rows, properties, gemeente_code)
    frame.attrs.update({"table_id": table_id, "year": int(year), "source": CBS_SOURCE})
    return frame


def rivm_health(
    catalog_url: str = RIVM_CATALOG,
    table_id: str = RIVM_TABLE_ID,
    regions: str | int | None = None,
) -> pd.DataFrame:
    """Return RIVM "Gezondheid per wijk en buurt" estimates, one row per region/year/age/margin.

    Parameters
    ----------
    catalog_url : str, default RIVM_CATALOG
        Catalogue URL with scheme.
    table_id : str, default "50090NED"
        The RIVM table.
    regions : str or int, optional
        A gemeente code (any form :func:`normalise_gemeente_code` accepts): only that gemeente,
        its wijken and buurten, plus the national row (level ``land``) as reference. ``None``
        fetches every region.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``level`` (land/gemeente/wijk/buurt), ``gemeente_name``, ``year`` (int),
        ``age`` ("18+"/"65+"), ``margin`` (the Marges code, e.g. "MW00000"), then every
        percentage topic as float64 (NaN where RIVM published nothing, '.' or empty).
        ``attrs`` holds ``table_id`` and ``source``.
    """
    filters = None
    gemeente_code = None
    if regions is not None:
        gemeente_code = normalise_gemeente_code(regions)
        digits = odata_literal(gemeente_code[2:])
        filters = f"substringof({digits},WijkenEnBuurten) or startswith(WijkenEnBuurten,'NL')"
    with cbsodata_catalog(catalog_url) as host:
        _require_data_set(table_id, host, catalog_url)
        properties = topic_properties(
            cbsodata.get_meta(table_id, "DataProperties", catalog_url=host)
        )
        margins = _key_lookup(cbsodata.get_meta(table_id, "Marges", catalog_url=host), "Marges")
        rows = cbsodata.get_data(table_id, filters=filters, catalog_url=host)
    frame = tidy_rivm(rows, properties, margins)
    if gemeente_code is not None:
        own = frame["code"].str[2:6] == gemeente_code[2:]
        frame = frame[own | (frame["level"] == "land")].reset_index(drop=True)
    frame.attrs.update({"table_id": table_id, "source": RIVM_SOURCE})
    return frame


__all__ = [
    "CBS_CATALOG",
    "RIVM_CATALOG",
    "SENTINELS",
    "CbsError",
    "age_group",
    "cbsodata_catalog",
    "data_properties",
    "find_kwb_table",
    "kwb",
    "level_from_soort",
    "newest_kwb_table",
    "newest_rivm_table",
    "newest_table",
    "normalise_gemeente_code",
    "parse_period_year",
    "rivm_health",
    "select_kwb_table",
    "strip_padding",
    "tidy_kwb",
    "tidy_rivm",
    "to_missing",
    "topic_properties",
]
