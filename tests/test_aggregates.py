"""Aggregated tables a gemeente exports from its own monitor, built by hand in their shape."""

import io
import math

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.survey.area_keys import OFF_MAP, ON_MAP, place_areas
from data.aggregates import (
    SUPPRESSED,
    AggregateError,
    read_aggregates,
    summary_scope,
    tidy_aggregates,
)

NAN = math.nan

#: In the shape of a "Utrecht in Cijfers" export: a title line, wijken by their short names,
#: suppressed cells, a dorp that is not a CBS wijk, the city total and a source note. Written
#: the way Excel saves a Dutch CSV (Windows-1252, ";" and decimal comma).
UTRECHT_CSV = "\r\n".join(
    [
        "Utrecht in Cijfers - Inwonersenquête 2023;;;",
        "Wijk;Eenzaamheid (%);Moeite met rondkomen (%);Gebruik buurthuis (%)",
        "West;45,3;12,1;18",
        "Noordwest;47,8;14 %;.",
        "Overvecht;55,2;24,9;x",
        "Vleuten-De Meern;38,0;-;",
        "Haarzuilens;.;.;.",
        "Stad Utrecht;46,1;13,0;16",
        ";;;",
        "Bron: Gemeente Utrecht, Inwonersenquête 2023;;;",
    ]
).encode("cp1252")


def utrecht_regions() -> pd.DataFrame:
    """Create the CBS wijken of Utrecht (names as in KWB 2024) and the buurt Haarzuilens."""
    names = ["West", "Noordwest", "Overvecht", "Noordoost", "Oost", "Binnenstad", "Zuid"]
    names += ["Zuidwest", "Leidsche Rijn", "Vleuten-De Meern"]
    rows = [(f"WK0344{i:02d}", f"Wijk {i:02d} {n}", "wijk") for i, n in enumerate(names, 1)]
    rows.append(("BU03441001", "Haarzuilens", "buurt"))
    return pd.DataFrame(rows, columns=["code", "name", "level"]).assign(gemeente_code="GM0344")


def test_utrecht_export():
    table = read_aggregates(UTRECHT_CSV, "utrecht_in_cijfers.csv")
    expected = pd.DataFrame(
        {
            "area": ["West", "Noordwest", "Overvecht", "Vleuten-De Meern", "Haarzuilens"],
            "Eenzaamheid (%)": [45.3, 47.8, 55.2, 38.0, NAN],
            "Moeite met rondkomen (%)": [12.1, 14.0, 24.9, NAN, NAN],
            "Gebruik buurthuis (%)": [18.0, NAN, NAN, NAN, NAN],
        },
        index=pd.Index([3, 4, 5, 6, 7], name="row"),  # the rows as Excel numbers them
    )
    pd.testing.assert_frame_equal(table.frame, expected)
    assert table.status.to_dict("list") == {
        "Eenzaamheid (%)": ["", "", "", "", SUPPRESSED],
        "Moeite met rondkomen (%)": ["", "", "", SUPPRESSED, SUPPRESSED],
        "Gebruik buurthuis (%)": ["", SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED],
    }
    assert table.totals.reset_index().to_dict("records") == [
        {
            "row": 8,
            "area": "Stad Utrecht",
            "Eenzaamheid (%)": 46.1,
            "Moeite met rondkomen (%)": 13.0,
            "Gebruik buurthuis (%)": 16.0,
            "scope": "gemeente",
        }
    ]
    assert table.notes == (
        "Utrecht in Cijfers - Inwonersenquête 2023",
        "Bron: Gemeente Utrecht, Inwonersenquête 2023",
    )


def test_utrecht_export_on_the_map_keeps_the_dorp():
    table = read_aggregates(UTRECHT_CSV, "utrecht_in_cijfers.csv")
    placed = place_areas(table.frame, utrecht_regions(), gemeente_code="GM0344", level="wijk")
    assert placed[["area", "code", "map_status"]].values.tolist() == [
        ["West", "WK034401", ON_MAP],
        ["Noordwest", "WK034402", ON_MAP],
        ["Overvecht", "WK034403", ON_MAP],
        ["Vleuten-De Meern", "WK034410", ON_MAP],
        ["Haarzuilens", None, OFF_MAP],  # a buurt's figure is not drawn as its wijk's
    ]
    assert placed.loc[7, "Eenzaamheid (%)"] != placed.loc[7, "Eenzaamheid (%)"]  # NaN kept


def test_to_long():
    table = read_aggregates(UTRECHT_CSV, "utrecht_in_cijfers.csv")
    long = table.to_long()
    assert len(long) == 15
    haarzuilens = long[(long["area"] == "Haarzuilens") & (long["column"] == "Eenzaamheid (%)")]
    assert haarzuilens[["row", "status"]].values.tolist() == [[7, SUPPRESSED]]
    assert math.isnan(haarzuilens["value"].iloc[0])


@pytest.mark.parametrize(
    ("total", "gemeente_name"),
    [
        ("Totaal", None),
        ("Gemeente Leeuwarden", None),
        ("Heel Leeuwarden", None),
        ("Leeuwarden totaal", None),
        ("GM0080", None),
        ("Leeuwarden", "Leeuwarden"),
    ],
)
def test_total_row_is_split_off(total, gemeente_name):
    text = f"Gebied;Eenzaam\nBinnenstad;40\n{total};38,5\nGoutum;31\n"
    table = read_aggregates(text.encode(), "lw.csv", gemeente_name=gemeente_name)
    assert table.frame["area"].tolist() == ["Binnenstad", "Goutum"]
    assert table.totals[["area", "Eenzaam", "scope"]].values.tolist() == [[total, 38.5, "gemeente"]]


@pytest.mark.parametrize(
    ("area", "gemeente_name", "scope"),
    [
        ("Totaal", None, "gemeente"),
        ("TOTAAL", None, "gemeente"),
        ("Gemeente", None, "gemeente"),
        ("Hele stad", None, "gemeente"),
        ("Stad Utrecht", None, "gemeente"),
        ("Alle wijken", None, "gemeente"),
        ("Nederland", None, "Nederland"),
        ("NL00", None, "Nederland"),
        ("Heel", None, None),  # a village in Maasgouw, not "the whole"
        ("Stadsdeel Noord", None, None),
        ("Gemeentehuis e.o.", None, None),
        ("Utrecht", None, None),  # without the gemeente name we cannot know
        ("WK034401", None, None),
        ("Oud-Oost", "Leeuwarden", None),
    ],
)
def test_summary_scope(area, gemeente_name, scope):
    assert summary_scope(area, gemeente_name=gemeente_name) == scope


@pytest.mark.parametrize(
    ("cell", "value", "status"),
    [
        ("41,5", 41.5, ""),
        ("41.5", 41.5, ""),
        ("12%", 12.0, ""),
        ("12 %", 12.0, ""),
        ("12,5\u00a0%", 12.5, ""),
        ("0", 0.0, ""),
        ("-3,2", -3.2, ""),
        ("1.234", 1234.0, ""),  # ";" file: the dot separates thousands
        ("1.234,5", 1234.5, ""),
        (".", NAN, SUPPRESSED),
        ("", NAN, SUPPRESSED),
        ("-", NAN, SUPPRESSED),
        ("x", NAN, SUPPRESSED),
        ("X", NAN, SUPPRESSED),
        ("–", NAN, SUPPRESSED),
    ],
)
def test_cells(cell, value, status):
    table = read_aggregates(f"Wijk;Cijfer\nWest;{cell}\nOost;1\n".encode(), "a.csv")
    got = table.frame.loc[2, "Cijfer"]
    assert got == value or (math.isnan(got) and math.isnan(value))
    assert table.status.loc[2, "Cijfer"] == status


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", "a.csv, rij 2, kolom 'Cijfer': 'abc' is geen getal"),
        ("12,5,3", "a.csv, rij 2, kolom 'Cijfer': '12,5,3' is geen getal"),
        ("n<10", "a.csv, rij 2, kolom 'Cijfer': 'n<10' is geen getal"),
        ("12 procent", "a.csv, rij 2, kolom 'Cijfer': '12 procent' is geen getal"),
    ],
)
def test_cell_that_is_not_a_number_names_row_and_column(cell, message):
    with pytest.raises(AggregateError) as err:
        read_aggregates(f"Wijk;Cijfer\nWest;{cell}\n".encode(), "a.csv")
    assert str(err.value) == (
        f"{message} (verwacht bijv. 12,5 of 12 %, of '.' voor een onderdrukt cijfer)"
    )


def test_comma_separated_with_quoted_decimal_commas():
    text = 'Wijk,Eenzaam,Inwoners\nWest,"41,5",1234\nOost,38.2,.\n'
    table = read_aggregates(text.encode(), "a.csv")
    assert table.frame["Eenzaam"].tolist() == [41.5, 38.2]
    assert table.frame.loc[2, "Inwoners"] == 1234
    assert table.status["Inwoners"].tolist() == ["", SUPPRESSED]


def test_a_lone_dot_before_three_digits_in_a_comma_file_is_reported_not_guessed():
    # Issue 13: "1.200" in a ","-file was read as 1,2; it may as well be 1200.
    text = 'Wijk,Eenzaam,Inwoners\nWest,"41,5",1.234\nOost,38.2,.\n'
    with pytest.raises(AggregateError) as err:
        read_aggregates(text.encode(), "a.csv")
    assert str(err.value) == (
        "a.csv, rij 2, kolom 'Inwoners': '1.234' kan 1,234 of 1234 zijn (verwacht: een getal "
        "zonder punt of komma tussen de duizendtallen, bijv. 1200 of 1,2)"
    )
    # Another cell of the column decides: 12.5 has a decimal point, so 1.234 is 1,234.
    table = read_aggregates(text.replace(",.", ",12.5").encode(), "a.csv")
    assert table.frame["Inwoners"].tolist() == [1.234, 12.5]


def test_tab_separated_utf8_with_bom():
    text = "\ufeffWijk\tEenzaam (%)\nOudehaske\t29,9\n"
    table = read_aggregates(text.encode("utf-8"), "a.tsv")
    assert table.frame.reset_index().values.tolist() == [[2, "Oudehaske", 29.9]]


def test_code_and_name_columns():
    text = "Wijkcode;Wijk;Eenzaam\nWK034401;West;41\n;Haarzuilens;30\n"
    table = read_aggregates(text.encode(), "a.csv")
    assert table.frame.reset_index().values.tolist() == [
        [2, "West", "WK034401", 41.0],
        [3, "Haarzuilens", "", 30.0],
    ]
    placed = place_areas(
        table.frame,
        utrecht_regions(),
        gemeente_code="GM0344",
        level="wijk",
        code_column="area_code",
    )
    assert placed["map_status"].tolist() == [ON_MAP, OFF_MAP]


def test_name_then_code_column():
    text = "Wijk;Wijkcode;Eenzaam\nWest;WK034401;41\n"
    table = read_aggregates(text.encode(), "a.csv")
    assert table.frame.reset_index().values.tolist() == [[2, "West", "WK034401", 41.0]]


def test_excel_file():
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["Leeuwarden in cijfers"],
        ["Gebied", "Eenzaam (%)", "Rondkomen (%)"],
        ["Binnenstad", 41.5, "."],
        ["Wirdum", 1.234, 12],  # Excel stores numbers: 1.234 is not a Dutch thousand
        ["Totaal", 38, 15.5],
    ]:
        sheet.append(row)
    buffer = io.BytesIO()  # in memory: nothing is written to disk
    book.save(buffer)
    table = read_aggregates(buffer.getvalue(), "monitor.xlsx")
    assert table.frame.reset_index().values.tolist()[1] == [4, "Wirdum", 1.234, 12.0]
    assert table.status.loc[3, "Rondkomen (%)"] == SUPPRESSED
    assert table.totals["area"].tolist() == ["Totaal"]
    assert table.notes == ("Leeuwarden in cijfers",)


def test_damaged_excel_file():
    with pytest.raises(
        AggregateError, match=r"^monitor\.xlsx: het bestand is geen leesbaar Excel-bestand"
    ):
        read_aggregates(b"not a zip", "monitor.xlsx")


NO_TABLE = (
    "a.csv: geen tabel gevonden (verwacht een kopregel met het gebied en minstens één kolom "
    "met cijfers)"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", NO_TABLE),
        ("Alleen een titel\n", NO_TABLE),
        (
            "Wijk;Eenzaam\nOost;40\noost;38\n",
            "a.csv, rij 3: gebied 'oost' staat ook in rij 2; "
            "elk gebied mag maar één keer voorkomen",
        ),
        (
            "Wijk;Eenzaam;\nOost;40;12\n",
            "a.csv, rij 1, kolom 3: kolomkop ontbreekt (verwacht de naam van het cijfer, "
            "bijv. 'Eenzaam (%)')",
        ),
        (
            "Wijk;Eenzaam;Eenzaam\nOost;40;12\n",
            "a.csv, rij 1: kolom 'Eenzaam' staat twee keer in de kop",
        ),
        ("Wijk;Eenzaam\nOost;40;12\n", "a.csv, rij 2: '12' staat buiten de kolommen van de kop"),
        ("Wijk;Eenzaam\n;40\nOost;12\n", "a.csv, rij 2, kolom 'Wijk': gebied ontbreekt"),
        (
            "Wijkcode;Wijk;\nWK034401;West;\n",
            "a.csv, rij 1: geen kolom met cijfers naast het gebied "
            "(verwacht bijv. 'Wijk;Eenzaam (%)')",
        ),
    ],
)
def test_bad_tables(text, message):
    with pytest.raises(AggregateError) as err:
        read_aggregates(text.encode(), "a.csv")
    assert str(err.value) == message


def test_trailing_empty_column_from_a_final_separator_is_ignored():
    table = read_aggregates(b"Wijk;Eenzaam;\nOost;40;\n", "a.csv")
    assert table.value_columns == ("Eenzaam",)


def test_area_row_with_only_blank_cells_before_the_end_is_kept_as_suppressed():
    table = tidy_aggregates([["Wijk", "Eenzaam"], ["Oudehaske", ""], ["Oost", "40"]], "a.csv")
    assert table.frame["area"].tolist() == ["Oudehaske", "Oost"]
    assert table.status["Eenzaam"].tolist() == [SUPPRESSED, ""]


@given(
    st.one_of(
        st.binary(),
        st.text(alphabet=';,\t\n\r.x-%0123456789abc "').map(str.encode),
    )
)
def test_any_bytes_give_a_table_or_a_dutch_error(content):
    try:
        table = read_aggregates(content, "a.csv", isolated=False)  # a bug surfaces as itself
    except AggregateError as err:
        assert str(err).startswith("a.csv")
    else:
        assert list(table.status.columns) == list(table.value_columns)
