import math

import numpy as np
import pytest

from analysis.classify import (
    BLUES,
    MAX_CLASSES,
    TEXT_COLOURS,
    WCAG_AA,
    class_labels,
    classify,
    contrast_ratio,
    equal_interval_breaks,
    fixed_breaks,
    legend_items,
    palette,
    quantile_breaks,
    readable_text_colour,
    stepped_coloraxis,
    stepped_colorscale,
)

NAN = math.nan
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("values", "k", "expected"),
    [
        (range(1, 11), 5, (1.0, 2.8, 4.6, 6.4, 8.2, 10.0)),
        ([1, 2, 3, 4], 2, (1.0, 2.5, 4.0)),
        ([4, 1, NAN, 3, 2], 2, (1.0, 2.5, 4.0)),  # NaN ignored, order irrelevant
        ([5, 5, 5], 3, (5.0, 5.0)),  # all equal: one class
        ([1, 1, 1, 1, 9], 4, (1.0, 9.0)),  # fewer distinct values than k: edges merge
        ([1, 1, 2, 2], 4, (1.0, 1.5, 2.0)),
        ([NAN, NAN], 3, ()),
        ([], 3, ()),
    ],
)
def test_quantile_breaks(values, k, expected):
    assert quantile_breaks(values, k) == expected


@pytest.mark.parametrize(
    ("values", "k", "expected"),
    [
        ([10, 20, 50, NAN], 4, (10.0, 20.0, 30.0, 40.0, 50.0)),
        ([0, 1], 3, (0.0, 0.3333333333, 0.6666666667, 1.0)),
        ([7, 7], 5, (7.0, 7.0)),
        ([NAN], 2, ()),
    ],
)
def test_equal_interval_breaks(values, k, expected):
    assert equal_interval_breaks(values, k) == expected


@pytest.mark.parametrize("k", [0, 8, 2.0, True, "3"])
def test_breaks_reject_a_bad_number_of_classes(k):
    with pytest.raises(ValueError) as err:
        quantile_breaks([1, 2, 3], k)
    assert str(err.value) == f"Aantal klassen {k!r}: verwacht een geheel getal van 1 tot 7"


def test_fixed_breaks_accepts_increasing_edges_around_the_values():
    assert fixed_breaks([0, 10, 20, 100], [0.0, 55.0, 100.0, NAN]) == (0.0, 10.0, 20.0, 100.0)


@pytest.mark.parametrize(
    ("edges", "values", "message"),
    [
        ([10], None, "Klassengrenzen: 1 opgegeven, verwacht 2 tot 8 (1 tot 7 klassen)"),
        (list(range(9)), None, "Klassengrenzen: 9 opgegeven, verwacht 2 tot 8 (1 tot 7 klassen)"),
        (
            [0, 20, 10],
            None,
            "Klassengrens 3: 10,00 is niet groter dan de grens ervoor (20,00); "
            "verwacht oplopende grenzen",
        ),
        (
            [0, 0],
            None,
            "Klassengrens 2: 0,00 is niet groter dan de grens ervoor (0,00); "
            "verwacht oplopende grenzen",
        ),
        ([0, math.inf], None, "Klassengrens 2: inf is geen eindig getal"),
        (["a", 1], None, "Klassengrenzen ['a', 1]: verwacht alleen getallen"),
        ([0, 10], [5, 12.5], "Waarde 12,50 valt buiten de klassen (0,00 tot 10,00)"),
    ],
)
def test_fixed_breaks_errors(edges, values, message):
    with pytest.raises(ValueError) as err:
        fixed_breaks(edges, values)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("values", "breaks", "expected"),
    [
        (range(1, 11), (1, 2.8, 4.6, 6.4, 8.2, 10), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]),
        ([1, 2.8, 2.80001, 10], (1, 2.8, 10), [0, 0, 1, 1]),  # upper edge belongs to its class
        ([5, 5], (5, 5), [0, 0]),  # one class
        ([NAN, 3], (0, 5, 10), [NAN, 0]),
        ([NAN, NAN], (), [NAN, NAN]),  # nothing to classify needs no classes
    ],
)
def test_classify(values, breaks, expected):
    np.testing.assert_array_equal(classify(values, breaks), np.array(expected, dtype=float))


@pytest.mark.parametrize(
    ("values", "breaks", "message"),
    [
        ([11], (0, 10), "Waarde 11,00 valt buiten de klassen (0,00 tot 10,00)"),
        ([1], (), "Geen klassengrenzen om de waarden in te delen"),
    ],
)
def test_classify_errors(values, breaks, message):
    with pytest.raises(ValueError) as err:
        classify(values, breaks)
    assert str(err.value) == message


def test_quantile_classes_of_one_to_ten_hold_two_values_each():
    classes = classify(range(1, 11), quantile_breaks(range(1, 11), 5))
    assert np.bincount(classes.astype(int)).tolist() == [2, 2, 2, 2, 2]


@pytest.mark.parametrize(
    ("breaks", "unit", "decimals", "expected"),
    [
        ((12, 20, 28.5), "%", 0, [f"12–20{NBSP}%", f"20–28{NBSP}%"]),
        ((0.25, 1.0, 2.75), "km", 1, [f"0,2–1,0{NBSP}km", f"1,0–2,8{NBSP}km"]),
        ((1000, 12150.0), "aantal", 0, ["1.000–12.150"]),
        ((52.0, 52.0), "%", 0, [f"52{NBSP}%"]),
        ((52.01, 52.04), "%", 1, [f"52,0{NBSP}%"]),
        ((), "%", 0, []),
    ],
)
def test_class_labels(breaks, unit, decimals, expected):
    assert class_labels(breaks, unit, decimals) == expected


def test_palette_is_colorbrewer_blues_light_to_dark():
    assert palette(5) == ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
    for k in range(1, MAX_CLASSES + 1):
        colours = palette(k)
        assert len(colours) == k
        lum = [contrast_ratio(c, "#ffffff") for c in colours]
        assert lum == sorted(lum), f"{k} classes are not light to dark"


@pytest.mark.parametrize("k", range(1, MAX_CLASSES + 1))
def test_legend_text_meets_wcag_aa_on_every_class(k):
    for colour in BLUES[k]:
        text = readable_text_colour(colour)
        assert text in TEXT_COLOURS
        assert contrast_ratio(text, colour) >= WCAG_AA, (k, colour, text)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48)],
)
def test_contrast_ratio(first, second, expected):
    assert round(contrast_ratio(first, second), 2) == expected


def test_stepped_colorscale_has_flat_steps():
    assert stepped_colorscale(3) == [
        [0.0, "#deebf7"],
        [1 / 3, "#deebf7"],
        [1 / 3, "#9ecae1"],
        [2 / 3, "#9ecae1"],
        [2 / 3, "#3182bd"],
        [1.0, "#3182bd"],
    ]
    assert stepped_colorscale(1) == [[0.0, "#3182bd"], [1.0, "#3182bd"]]


def test_stepped_coloraxis_puts_each_class_in_the_middle_of_its_step():
    axis = stepped_coloraxis((0, 10, 20, 30), "%", 0)
    assert (axis["zmin"], axis["zmax"]) == (-0.5, 2.5)
    assert axis["colorbar"]["ticktext"] == [f"0–10{NBSP}%", f"10–20{NBSP}%", f"20–30{NBSP}%"]
    # class i at z=i maps to (i + 0.5) / k: strictly inside step i of the colorscale
    for i in range(3):
        pos = (i - axis["zmin"]) / (axis["zmax"] - axis["zmin"])
        assert i / 3 < pos < (i + 1) / 3


def test_stepped_coloraxis_without_breaks_is_an_error():
    with pytest.raises(ValueError, match="Geen klassengrenzen"):
        stepped_coloraxis((), "%", 0)


def test_legend_items_pair_label_colour_and_text_colour():
    items = legend_items((5.0, 5.0), "%", 0)
    assert [(i.label, i.colour, i.text_colour) for i in items] == [
        (f"5{NBSP}%", "#3182bd", "#000000")
    ]
    assert legend_items((), "%", 0) == []
