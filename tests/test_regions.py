import pytest

from analysis.regions import gemeente_code_of, level_of_code


@pytest.mark.parametrize(
    ("code", "level", "gemeente"),
    [
        ("NL00", "land", None),
        ("GM0080", "gemeente", "GM0080"),
        ("WK008010", "wijk", "GM0080"),
        ("BU00800100", "buurt", "GM0080"),
        ("BU03440111", "buurt", "GM0344"),
        ("WK0080", None, None),  # too short for a wijk code
        ("Dorp Oudehaske", None, None),  # a gemeente's own area, not a CBS code
        ("", None, None),
    ],
)
def test_codes(code, level, gemeente):
    assert level_of_code(code) == level
    assert gemeente_code_of(code) == gemeente
