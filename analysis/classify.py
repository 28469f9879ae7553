"""Class breaks, class labels and stepped colours for choropleth maps."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from analysis.format import fmt_interval, fmt_number, fmt_value

#: Most classes a map may show; more steps of one hue are no longer told apart.
MAX_CLASSES = 7

#: ColorBrewer "Blues" (Cynthia Brewer, colorbrewer2.org), the sequential single-hue scheme that
#: `analysis.charts` already uses: safe for every kind of colour blindness and in grey print. One
#: list per number of classes, as ColorBrewer publishes them (light = low, dark = high). For 1
#: and 2 classes we take the middle and dark step of the 3-class list. A diverging scheme would
#: suggest a meaningful midpoint; our values have none (the gemeente average is shown as a line
#: in the other charts instead).
BLUES: dict[int, tuple[str, ...]] = {
    1: ("#3182bd",),
    2: ("#9ecae1", "#3182bd"),
    3: ("#deebf7", "#9ecae1", "#3182bd"),
    4: ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"),
    5: ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    6: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
    7: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"),
}

#: Text colours tried on a class colour, in order of preference: the app's font colour
#: (`analysis.charts.FONT`), white, then black where neither reaches WCAG AA.
TEXT_COLOURS = ("#262730", "#ffffff", "#000000")

#: WCAG 2.x level AA minimum contrast for normal text.
WCAG_AA = 4.5


@dataclass(frozen=True)
class LegendItem:
    """One class of a stepped legend: its label, fill colour and a readable text colour."""

    label: str
    colour: str
    text_colour: str


def quantile_breaks(values: ArrayLike, k: int) -> tuple[float, ...]:
    """Return class edges that put about as many areas in each of ``k`` classes.

    Parameters
    ----------
    values : array-like of float
        The values shown on the map; NaN is ignored.
    k : int
        Number of classes asked for (1 to `MAX_CLASSES`).

    Returns
    -------
    tuple of float
        Increasing edges ``(minimum, ..., maximum)``: classes are ``[e0, e1]``, ``(e1, e2]``, ...
        Quantiles are interpolated linearly (numpy's default, as in mapclassify). Equal edges are
        merged, so with fewer distinct values than ``k`` there are fewer classes; when every value
        is the same there is one class ``(v, v)``; without any value the result is ``()``.

    Examples
    --------
    >>> quantile_breaks(range(1, 11), 5)
    (1.0, 2.8, 4.6, 6.4, 8.2, 10.0)
    """
    _check_k(k)
    data = _finite(values)
    if data.size == 0:
        return ()
    return _merge(np.quantile(data, np.linspace(0, 1, k + 1)), data)


def equal_interval_breaks(values: ArrayLike, k: int) -> tuple[float, ...]:
    """Return ``k`` classes of equal width between the smallest and the largest value.

    Same conventions as `quantile_breaks`.

    Examples
    --------
    >>> equal_interval_breaks([10.0, 20.0, 50.0, float("nan")], 4)
    (10.0, 20.0, 30.0, 40.0, 50.0)
    """
    _check_k(k)
    data = _finite(values)
    if data.size == 0:
        return ()
    return _merge(np.linspace(data.min(), data.max(), k + 1), data)


def fixed_breaks(edges: Sequence[float], values: ArrayLike | None = None) -> tuple[float, ...]:
    """Validate class edges chosen by hand (for instance the same classes on every map).

    Parameters
    ----------
    edges : sequence of float
        Two to ``MAX_CLASSES + 1`` finite numbers, strictly increasing.
    values : array-like of float, optional
        When given, every non-missing value must lie within ``edges[0]`` and ``edges[-1]``.

    Returns
    -------
    tuple of float

    Raises
    ------
    ValueError
        In Dutch, naming the edge or value that breaks the rule and what was expected.

    Examples
    --------
    >>> fixed_breaks([0, 10, 20, 100], [4.0, 55.0])
    (0.0, 10.0, 20.0, 100.0)
    """
    try:
        numbers = [float(e) for e in edges]
    except (TypeError, ValueError):
        raise ValueError(f"Klassengrenzen {list(edges)!r}: verwacht alleen getallen") from None
    if not 2 <= len(numbers) <= MAX_CLASSES + 1:
        raise ValueError(
            f"Klassengrenzen: {len(numbers)} opgegeven, verwacht 2 tot {MAX_CLASSES + 1} "
            f"(1 tot {MAX_CLASSES} klassen)"
        )
    for pos, edge in enumerate(numbers, start=1):
        if not math.isfinite(edge):
            raise ValueError(f"Klassengrens {pos}: {edge!r} is geen eindig getal")
    for pos, (low, high) in enumerate(zip(numbers, numbers[1:], strict=False), start=2):
        if high <= low:
            raise ValueError(
                f"Klassengrens {pos}: {fmt_number(high, 2)} is niet groter dan de grens ervoor "
                f"({fmt_number(low, 2)}); verwacht oplopende grenzen"
            )
    if values is not None:
        data = _finite(values)
        outside = data[(data < numbers[0]) | (data > numbers[-1])]
        if outside.size:
            raise ValueError(
                f"Waarde {fmt_number(float(outside[0]), 2)} valt buiten de klassen "
                f"({fmt_number(numbers[0], 2)} tot {fmt_number(numbers[-1], 2)})"
            )
    return tuple(numbers)


def classify(values: ArrayLike, breaks: Sequence[float]) -> np.ndarray:
    """Return the class index (0 = lowest) of each value; missing values stay NaN.

    Parameters
    ----------
    values : array-like of float
    breaks : sequence of float
        Edges from `quantile_breaks`, `equal_interval_breaks` or `fixed_breaks`. The first class
        includes its lower edge; every class includes its upper edge.

    Returns
    -------
    numpy.ndarray
        Float array (so NaN fits) of class indexes ``0 .. len(breaks) - 2``.

    Raises
    ------
    ValueError
        When there are values but no classes, or a value lies outside the edges.

    Examples
    --------
    >>> classify([1, 2.8, 2.9, 10, float("nan")], (1, 2.8, 4.6, 6.4, 8.2, 10)).tolist()
    [0.0, 0.0, 1.0, 4.0, nan]
    """
    data = np.asarray(values, dtype="float64")
    out = np.full(data.shape, np.nan)
    present = ~np.isnan(data)
    if not present.any():
        return out
    if len(breaks) < 2:
        raise ValueError("Geen klassengrenzen om de waarden in te delen")
    low, high = float(breaks[0]), float(breaks[-1])
    outside = present & ((data < low) | (data > high))
    if outside.any():
        raise ValueError(
            f"Waarde {fmt_number(float(data[outside][0]), 2)} valt buiten de klassen "
            f"({fmt_number(low, 2)} tot {fmt_number(high, 2)})"
        )
    inner = np.asarray(breaks[1:-1], dtype="float64")
    out[present] = np.searchsorted(inner, data[present], side="left")
    return out


def class_labels(breaks: Sequence[float], unit: str, decimals: int) -> list[str]:
    """Return a Dutch legend label per class, such as ``12–20 %``.

    Parameters
    ----------
    breaks : sequence of float
    unit : str
        The catalogue unit; ``%`` sticks to the number with a non-breaking space, ``aantal``
        shows no unit (as `analysis.format.fmt_value`).
    decimals : int
        The catalogue decimals of the indicator.

    Returns
    -------
    list of str
        One label per class; a class whose edges round to the same number shows that number once.

    Examples
    --------
    >>> [s.replace("\u00a0", " ") for s in class_labels((12, 20, 28.5), "%", 0)]
    ['12–20 %', '20–28 %']
    >>> class_labels((1234.0, 1234.0), "aantal", 0)
    ['1.234']
    """
    labels = []
    for low, high in zip(breaks, breaks[1:], strict=False):
        same = fmt_number(low, decimals) == fmt_number(high, decimals)
        text = fmt_value(low, unit, decimals) if same else fmt_interval(low, high, unit, decimals)
        labels.append(text)
    return labels


def palette(k: int) -> tuple[str, ...]:
    """Return the ColorBrewer "Blues" colours for ``k`` classes, light to dark.

    Examples
    --------
    >>> palette(3)
    ('#deebf7', '#9ecae1', '#3182bd')
    """
    _check_k(k)
    return BLUES[k]


def stepped_colorscale(k: int) -> list[list]:
    """Return a plotly colorscale with ``k`` flat steps (no blending between classes).

    Plot the class index from `classify` as ``z`` with ``zmin=-0.5`` and ``zmax=k - 0.5``, so
    each class sits in the middle of its step; `stepped_coloraxis` sets all of that.

    Examples
    --------
    >>> stepped_colorscale(2)
    [[0.0, '#9ecae1'], [0.5, '#9ecae1'], [0.5, '#3182bd'], [1.0, '#3182bd']]
    """
    colours = palette(k)
    scale: list[list] = []
    for i, colour in enumerate(colours):
        scale.append([i / k, colour])
        scale.append([(i + 1) / k, colour])
    return scale


def stepped_coloraxis(breaks: Sequence[float], unit: str, decimals: int) -> dict:
    """Return the trace settings of a stepped choropleth: colours, range and legend ticks.

    Parameters
    ----------
    breaks : sequence of float
        At least two edges.
    unit : str
    decimals : int

    Returns
    -------
    dict
        ``colorscale, zmin, zmax, colorbar`` to pass to ``go.Choroplethmap(**settings)`` together
        with ``z=classify(values, breaks)``.

    Examples
    --------
    >>> axis = stepped_coloraxis((0, 10, 20), "%", 0)
    >>> axis["zmin"], axis["zmax"], axis["colorbar"]["tickvals"]
    (-0.5, 1.5, [0, 1])
    """
    k = len(breaks) - 1
    if k < 1:
        raise ValueError("Geen klassengrenzen: er is geen waarde om in te kleuren")
    return {
        "colorscale": stepped_colorscale(k),
        "zmin": -0.5,
        "zmax": k - 0.5,
        "colorbar": {
            "tickvals": list(range(k)),
            "ticktext": class_labels(breaks, unit, decimals),
            "ticks": "",
        },
    }


def legend_items(breaks: Sequence[float], unit: str, decimals: int) -> list[LegendItem]:
    """Return one legend entry per class with a text colour that meets WCAG AA on its fill.

    Examples
    --------
    >>> [(i.colour, i.text_colour) for i in legend_items((0, 10, 20, 30), "%", 0)]
    [('#deebf7', '#262730'), ('#9ecae1', '#262730'), ('#3182bd', '#000000')]
    """
    labels = class_labels(breaks, unit, decimals)
    if not labels:
        return []
    return [
        LegendItem(label, colour, readable_text_colour(colour))
        for label, colour in zip(labels, palette(len(labels)), strict=True)
    ]


def readable_text_colour(background: str) -> str:
    """Return the first of `TEXT_COLOURS` with at least WCAG AA contrast on ``background``.

    Examples
    --------
    >>> readable_text_colour("#08519c"), readable_text_colour("#eff3ff")
    ('#ffffff', '#262730')
    """
    for colour in TEXT_COLOURS:
        if contrast_ratio(colour, background) >= WCAG_AA:
            return colour
    return max(TEXT_COLOURS, key=lambda c: contrast_ratio(c, background))


def contrast_ratio(first: str, second: str) -> float:
    """Return the WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    """
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a ``#rrggbb`` colour."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"Kleur {colour!r}: verwacht de vorm #rrggbb")
    channels = [int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _check_k(k: int) -> None:
    """Raise when the number of classes is not 1 to `MAX_CLASSES`."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_CLASSES:
        raise ValueError(f"Aantal klassen {k!r}: verwacht een geheel getal van 1 tot {MAX_CLASSES}")


def _finite(values: ArrayLike) -> np.ndarray:
    """Return the finite values as a float array (NaN and infinities dropped)."""
    data = np.asarray(values, dtype="float64").ravel()
    return data[np.isfinite(data)]


def _merge(edges: np.ndarray, data: np.ndarray) -> tuple[float, ...]:
    """Tidy computed edges: drop float noise and repeats; one value gives ``(v, v)``."""
    # 1 + 0.2 * 9 is 2.8000000000000003 in floats; 10 decimals is far below anything we show.
    # The outer edges stay the exact minimum and maximum, so every value falls in a class.
    tidy = np.round(edges, 10)
    tidy[0], tidy[-1] = data.min(), data.max()
    unique = [float(e) for e in np.unique(tidy)]
    if len(unique) == 1:
        return (unique[0], unique[0])
    return tuple(unique)


#: Ways to put a map's values in classes, as offered on the map page.
CLASS_METHODS = {
    "kwantielen": "Kwantielen (5 even grote groepen)",
    "gelijk": "Gelijke intervallen (5)",
    "vast": "Vaste grenzen (per 10 %-punt)",
    "doorlopend": "Doorlopende kleurschaal",
}


def breaks_for(values, method: str, unit: str, k: int = 5) -> tuple[float, ...] | None:
    """Return class edges for a map by method name (None for a continuous scale).

    "vast" uses steps of 10 percentage points for percentages and falls back to equal
    intervals for other units.

    Examples
    --------
    >>> breaks_for([12.0, 18.0, 33.0], "vast", "%")
    (10.0, 20.0, 30.0, 40.0)
    >>> breaks_for([1.0, 2.0], "doorlopend", "%") is None
    True
    """
    if method == "doorlopend":
        return None
    if method == "kwantielen":
        return quantile_breaks(values, k)
    if method == "vast" and unit == "%":
        arr = np.asarray(values, dtype="float64")
        arr = arr[~np.isnan(arr)]
        if arr.size == 0:
            return ()
        low = np.floor(arr.min() / 10) * 10
        high = max(np.ceil(arr.max() / 10) * 10, low + 10)
        return fixed_breaks(tuple(float(x) for x in np.arange(low, high + 1, 10)), arr)
    if method not in CLASS_METHODS:
        known = ", ".join(CLASS_METHODS)
        raise ValueError(f"Onbekende klassenindeling {method!r}; kies uit {known}")
    return equal_interval_breaks(values, k)
