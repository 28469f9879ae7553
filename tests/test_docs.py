"""The developer documentation points at files that exist, and names every package."""

import re

import pytest

from paths import ROOT

GUIDE = ROOT / "docs" / "DEVELOPING.md"
DOCS = (GUIDE, ROOT / "README.md")

#: A path in backticks: relative, one word, a folder (ends in /) or a file with an extension.
PATH = re.compile(r"`([A-Za-z_][\w.\-]*(?:/[\w.\-]+)*/?)`")
SOURCE_SUFFIXES = (".py", ".toml", ".sh", ".md", ".txt", ".json", ".parquet")
#: Folders the tools make (git ignores them), named in the docs as places to look.
GENERATED = {"screenshots/", "static/", "static/geo/"}  # made by tests, the app, the image


def named_paths(text: str) -> list[str]:
    """Return the repository paths a Markdown text names in backticks.

    A name counts when it holds a ``/`` or is a Python file (``app.py``); bare names of other
    files (``manifest.json``) are words in the text, not paths.
    """
    return [
        name
        for name in PATH.findall(text)
        if ("/" in name and (name.endswith("/") or name.endswith(SOURCE_SUFFIXES)))
        or ("/" in name and "." not in name.rsplit("/", 1)[-1])
        or (name.endswith(".py") and "/" not in name)
    ]


def exists(name: str) -> bool:
    """Tell whether a named path exists: from the root, or a bare file name anywhere in it."""
    if "/" in name:
        return (ROOT / name).exists()
    return any(".venv" not in p.parts for p in ROOT.rglob(name))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see `analysis/catalogue.py` and `ui/pages/`", ["analysis/catalogue.py", "ui/pages/"]),
        ("run `app.py`; read `manifest.json`", ["app.py"]),
        ("`python -m snapshot_build`, `enq_<name>`, `/profiel?gemeente=GM0080`", []),
        ("the folder `snapshot_build/replay`", ["snapshot_build/replay"]),
    ],
)
def test_named_paths(text, expected):
    assert named_paths(text) == expected


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_path_the_docs_name_exists(doc):
    names = named_paths(doc.read_text(encoding="utf-8"))
    assert names, f"{doc.name} names no paths: has the pattern stopped matching?"
    missing = [name for name in names if not exists(name) and name not in GENERATED]
    assert missing == [], f"{doc.name} names paths that do not exist: {missing}"


def test_the_guide_names_every_package():
    guide = GUIDE.read_text(encoding="utf-8")
    packages = sorted(
        init.parent.relative_to(ROOT).as_posix()
        for init in ROOT.glob("*/**/__init__.py")
        if not {".venv", "tests", "bench"} & set(init.relative_to(ROOT).parts)
    )
    assert [p for p in packages if f"`{p}/`" not in guide] == []


def test_the_readme_points_to_the_guide_and_stays_inside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/DEVELOPING.md" in readme
    assert "../shared/HOUSE_STYLE.md" not in readme
    assert "`ui.py`" not in readme
