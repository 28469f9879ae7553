"""The cached loaders of public data: one copy per process, whatever the call looks like."""

from paths import DEFAULT_SNAPSHOT
from ui import loaders


def test_the_snapshot_is_read_once_with_or_without_the_folder_argument():
    # Streamlit keys a cache on the arguments as passed: before issue #14 ``snapshot()`` and
    # ``snapshot(folder)`` were two entries and every server process held the snapshot twice.
    first = loaders.snapshot()
    assert loaders.snapshot(str(DEFAULT_SNAPSHOT)) is first


def test_the_layer_index_is_the_same_with_or_without_the_folder_argument():
    for index in (loaders.layer_index(), loaders.layer_index(str(DEFAULT_SNAPSHOT))):
        leeuwarden = index[index["gemeente_code"] == "GM0080"].set_index("layer")["areas"]
        # The 2025 Leeuwarden layers (22 wijken, 136 buurten) and the national 2024 wijken.
        assert leeuwarden.to_dict() == {
            "leeuwarden-buurten-2025": 136,
            "leeuwarden-wijken-2025": 22,
            "nl-wijken-2024": 22,
        }


def test_gemeente_names_are_made_once_and_each_caller_gets_its_own_dict():
    names = loaders.gemeente_names()
    assert names["GM0080"] == "Leeuwarden"
    assert names["GM0344"] == "Utrecht"
    names["GM0080"] = "changed by a caller"
    assert loaders.gemeente_names()["GM0080"] == "Leeuwarden"
