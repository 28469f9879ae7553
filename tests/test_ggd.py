"""GGD regions of every gemeente, also of gemeenten merged or split since 2022."""

import pandas as pd
import pytest

from data.gebieden import GebiedenError, tidy_gebieden
from data.snapshot import load_snapshot
from snapshot_build.ggd import (
    WIJKEN_2016,
    WIJKEN_2024,
    former_parts,
    gemeente_lineage,
    ggd_membership,
    read_wijken,
    to_gemeente_2020,
    wijk_successors,
)


@pytest.fixture(scope="module")
def lineage(shared_data):
    old = read_wijken(shared_data / WIJKEN_2016, "WKC", "GMC", "GMN")
    new = read_wijken(shared_data / WIJKEN_2024, "wijkcode", "gemeentecode", "gemeentenaam")
    return gemeente_lineage(wijk_successors(old, new))


@pytest.fixture(scope="module")
def ggd():
    return load_snapshot().ggd.set_index(["indeling", "gemeente_code"])


@pytest.mark.parametrize(
    ("code", "parts"),
    [
        ("GM1980", ["GM0398", "GM0416"]),  # Dijk en Waard = Heerhugowaard + Langedijk (2022)
        ("GM1992", ["GM0501", "GM0530", "GM0614"]),  # Voorne aan Zee (2023)
        # Land van Cuijk (2022) = Boxmeer, Grave, Mill en Sint Hubert, Cuijk, Sint Anthonis
        ("GM1982", ["GM0756", "GM0786", "GM0815", "GM1684", "GM1702"]),
        ("GM1959", ["GM0738", "GM0870", "GM0874"]),  # Altena = Aalburg, Werkendam, Woudrichem
        ("GM0363", ["GM0363", "GM0457"]),  # Amsterdam took in Weesp (2022)
        ("GM0080", ["GM0080", "GM0081"]),  # Leeuwarden + Leeuwarderadeel; Littenseradiel split
    ],
)
def test_former_parts_found_from_the_geometry(lineage, code, parts):
    assert former_parts(lineage, code) == parts


def test_a_boundary_correction_does_not_make_a_former_part(lineage):
    # About a tenth of the 2016 area of Nissewaard lies in Voorne aan Zee on the 2024 map.
    row = lineage[(lineage["old_code"] == "GM1930") & (lineage["new_code"] == "GM1992")]
    assert 0.05 < row["share"].iloc[0] < 0.5
    assert "GM1930" not in former_parts(lineage, "GM1992")


def test_a_split_gemeente_goes_to_every_successor(lineage):
    haaren = lineage[lineage["old_code"] == "GM0788"].set_index("new_name")["share"]
    assert sorted(haaren.index) == ["Boxtel", "Oisterwijk", "Tilburg", "Vught"]
    assert haaren.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("indeling", "code", "ggd_code", "basis"),
    [
        (2024, "GM0080", "GG7206", "85067NED (indeling 2022)"),
        (2024, "GM1980", "GG2707", "85067NED (indeling 2022)"),
        (
            2024,
            "GM1992",
            "GG4607",
            "via de voormalige gemeenten Brielle (GM0501), Hellevoetsluis (GM0530), "
            "Westvoorne (GM0614)",
        ),
        (2020, "GM0416", "GG2707", "opgegaan in Dijk en Waard (GM1980)"),
        (2020, "GM0457", "GG3406", "85067NED (indeling 2022)"),  # Weesp still in 2022
        (
            2020,
            "GM0788",
            "GG5406",
            "opgegaan in Boxtel (GM0757), Oisterwijk (GM0824), Tilburg (GM0855), Vught (GM0865)",
        ),
        (2016, "GM0738", "GG5206", "opgegaan in Altena (GM1959)"),
    ],
)
def test_named_gemeenten_get_their_region(ggd, indeling, code, ggd_code, basis):
    row = ggd.loc[(indeling, code)]
    assert (row["ggd_code"], row["basis"]) == (ggd_code, basis)


@pytest.mark.parametrize(("indeling", "count"), [(2016, 390), (2020, 355), (2024, 342)])
def test_every_gemeente_of_every_indeling_has_one_of_the_25_regions(ggd, indeling, count):
    rows = ggd.loc[indeling]
    assert len(rows) == count
    assert rows["ggd_code"].notna().all()
    assert rows["ggd_code"].nunique() == 25


def test_ggd_fryslan_2024(ggd):
    fryslan = ggd.loc[2024]
    fryslan = fryslan[fryslan["ggd_code"] == "GG7206"]
    assert len(fryslan) == 18
    assert {"GM0080", "GM1900"} <= set(fryslan.index)
    assert set(fryslan["ggd_name"]) == {"GGD Fryslân"}


def test_a_gemeente_whose_parts_lie_in_two_regions_gets_none_with_the_reason():
    gebieden = pd.DataFrame(
        {
            "gemeente_code": ["GM1", "GM2"],
            "gemeente_name": ["A", "B"],
            "ggd_code": ["GG1", "GG2"],
            "ggd_name": ["GGD Een", "GGD Twee"],
        }
    )
    lineage = pd.DataFrame(
        {
            "old_code": ["GM1", "GM2"],
            "old_name": ["A", "B"],
            "new_code": ["GM9", "GM9"],
            "new_name": ["AB", "AB"],
            "share": [1.0, 1.0],
        }
    )
    gemeenten = pd.DataFrame(
        {"gemeente_code": ["GM9"], "gemeente_name": ["AB"], "indeling": [2024]}
    )
    row = ggd_membership(gebieden, lineage, gemeenten).iloc[0]
    assert row["ggd_code"] is None
    assert row["basis"] == (
        "meer dan één GGD-regio te herleiden (via de voormalige gemeenten A (GM1), B (GM2))"
    )


def test_wijken_count_for_their_gemeente_of_2020():
    own = pd.Series(["GM0416", "GM0457", "GM0738", "GM0788"])
    later = pd.Series(["GM1980", "GM0363", "GM1959", "GM0855"])
    gemeenten_2020 = ["GM0416", "GM0457", "GM1959", "GM0788", "GM0363"]
    assert to_gemeente_2020(own, later, gemeenten_2020).tolist() == [
        "GM0416",  # Langedijk still existed in 2020
        "GM0457",  # so did Weesp (Amsterdam only from 2022)
        "GM1959",  # Aalburg was part of Altena since 2019
        "GM0788",  # Haaren was split only in 2021
    ]


def test_population_weights_cover_every_gemeente_of_2020():
    snap = load_snapshot()
    weights = snap.weights[snap.weights["indeling"] == 2020]
    for age in ("18+", "65+"):
        part = weights[weights["age"] == age]
        assert len(part) == 355 and (part["weight"] > 0).all()
    adults = weights[weights["age"] == "18+"].set_index("code")["weight"]
    # Every adult of the RIVM 2016 file is counted once (it sums to 13 405 089).
    assert adults.sum() == pytest.approx(13_405_089)
    assert adults["GM0457"] < adults["GM0363"]  # Weesp on its own, not inside Amsterdam


def test_gebieden_reader_names_row_and_column_of_a_bad_code():
    raw = pd.DataFrame(
        {
            "RegioS": ["GM0080    ", "Leeuwarden"],
            "Naam_2": ["Leeuwarden", "x"],
            "Code_14": ["GG7206", "GG7206"],
            "Naam_15": ["GGD Fryslân", "GGD Fryslân"],
        }
    )
    with pytest.raises(GebiedenError, match=r"data.csv, rij 3, kolom 'RegioS': 'Leeuwarden'"):
        tidy_gebieden(raw)
