"""House-style conventions, tested like code (datasette's "test the convention")."""

import ast
from pathlib import Path

import pytest

from paths import ROOT

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
    allowed = (
        {ROOT / "app.py"} | set((ROOT / "pages").glob("*.py")) | set((ROOT / "ui").glob("*.py"))
    )
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


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_do_not_touch_session_state(page):
    assert "session_state" not in page.read_text(encoding="utf-8")


def test_every_page_is_in_the_navigation():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    for page in (ROOT / "pages").glob("*.py"):
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
