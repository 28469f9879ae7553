"""House-style conventions, tested like code (datasette's "test the convention")."""

import ast
from pathlib import Path

import pytest

from paths import PAGES, ROOT

PURE_PACKAGES = ("analysis", "data")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path",
    [p for pkg in PURE_PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_pure_packages_do_not_import_streamlit(path):
    assert "streamlit" not in _imports(path), f"{path} imports streamlit"


def test_only_the_frame_pages_and_glue_import_streamlit():
    # The glue package ui/ (one module per concern) is the only other place.
    allowed = {ROOT / "app.py"} | set(PAGES.glob("*.py")) | set((ROOT / "ui").glob("*.py"))
    offenders = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.py")
        if ".venv" not in p.parts
        and "tests" not in p.parts
        and "bench" not in p.parts
        and "streamlit" in _imports(p)
        and p not in allowed
    ]
    assert offenders == []


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.py")), ids=lambda p: p.name)
def test_pages_do_not_touch_session_state(page):
    assert "session_state" not in page.read_text(encoding="utf-8")


#: Streamlit's public modules; everything else under streamlit.* is internal and may change in
#: any release without notice (issue 15, item 3: no patch of PagesManager or the like).
PUBLIC_STREAMLIT = {"streamlit", "streamlit.column_config", "streamlit.components.v1"}


def _streamlit_modules(path: Path) -> set[str]:
    """Return the streamlit modules a file imports, ``from streamlit import x`` as streamlit.x."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "streamlit")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "streamlit":
                found.add(node.module)
                # `from streamlit import runtime` imports a module too, not just a name.
                found.update(
                    f"{node.module}.{a.name}"
                    for a in node.names
                    if _is_module(f"{node.module}.{a.name}")
                )
    return found


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _private_streamlit(path: Path) -> list[str]:
    return sorted(m for m in _streamlit_modules(path) if m not in PUBLIC_STREAMLIT)


@pytest.mark.parametrize(
    ("source", "private"),
    [
        ("import streamlit as st", []),
        ("from streamlit import column_config", []),
        ("import streamlit.components.v1 as components", []),
        (
            "from streamlit.runtime.pages_manager import PagesManager",
            ["streamlit.runtime.pages_manager"],
        ),
        ("from streamlit import runtime", ["streamlit.runtime"]),
        ("import streamlit.elements.lib.utils", ["streamlit.elements.lib.utils"]),
        (
            "def f():\n    from streamlit.web import server",
            ["streamlit.web", "streamlit.web.server"],
        ),
    ],
)
def test_the_private_streamlit_check_sees_every_import_form(tmp_path, source, private):
    path = tmp_path / "page.py"
    path.write_text(source + "\n", encoding="utf-8")
    assert _private_streamlit(path) == private


def test_no_code_imports_a_private_streamlit_module():
    # Not tests/ (AppTest and its media storage are test tooling) and not bench/: its load
    # client speaks Streamlit's websocket protocol, whose messages are Streamlit's protobufs.
    sources = (
        p
        for p in ROOT.rglob("*.py")
        if not {".venv", "tests", "bench"} & set(p.relative_to(ROOT).parts)
    )
    offenders = {str(p.relative_to(ROOT)): _private_streamlit(p) for p in sources}
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_no_pages_folder_beside_the_entrypoint():
    # Streamlit runs a pages/ folder next to app.py as its legacy file-name navigation until
    # some session has run st.navigation: a deep link as the first request to a fresh server
    # would run its page without app.py's frame. The page scripts live in ui/pages/ instead.
    assert not (ROOT / "pages").exists(), "page scripts belong in ui/pages/ (see app.py)"
    assert PAGES.parent != ROOT and PAGES.name == "pages"


def test_every_page_is_in_the_navigation():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    for page in PAGES.glob("*.py"):
        assert f'"{page.name}"' in app, f"{page.name} is not in app.py's st.navigation"


def test_shipped_config_turns_usage_statistics_off():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["maxUploadSize"] <= 200


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line!r} is not pinned"


def test_streamlit_is_recent_enough_for_apptest_with_navigation():
    pins = dict(
        line.split("==")
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line
    )
    major, minor = (int(x) for x in pins["streamlit"].split(".")[:2])
    assert (major, minor) >= (1, 56)


def test_the_test_command_checks_types_before_the_tests():
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    pins = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("mypy==") for line in pins)
    assert 0 <= script.index(".venv/bin/mypy") < script.index("-m pytest")


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "bash scripts/test.sh"
    assert command in readme
    assert command in ci
