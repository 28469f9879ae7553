"""Browser smoke test: the real `streamlit run` server in Debian's Chromium, with screenshots.

Screenshots land in screenshots/ (look at them: the map is drawn by MapLibre in the browser,
which no AppTest sees).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from paths import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "screenshots"
# --no-sandbox: CI runs as root. SwiftShader gives MapLibre its WebGL in headless mode.
# The last flags stop Chromium calling out (shared/RECIPES.md).
ARGS = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists()
        or shutil.which("streamlit", path=str(Path(sys.executable).parent)) is None,
        reason=f"needs Chromium at {CHROMIUM} (bash scripts/test.sh installs it as root)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """Serve the app with `streamlit run` on a free loopback port (shared by a module)."""
    yield from run_server()


def run_server():
    """Start `streamlit run app.py`, wait until healthy, yield its URL, stop it."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(
        "w+", suffix=".log", delete=False
    )  # never PIPE: it can deadlock
    streamlit = str(Path(sys.executable).parent / "streamlit")
    proc = subprocess.Popen(
        [
            streamlit,
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"streamlit exited early:\n{log.read()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode() == "ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not become healthy in 60 s:\n{log.read()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def wait_for_app(page) -> None:
    """Wait on the app's own signals: connected, script not running, no skeleton."""
    from playwright.sync_api import expect

    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=60_000
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=30_000)


def colours_in(png: bytes) -> int:
    """Count distinct colours in a screenshot: a blank map has one or two."""
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 150))
    return len(set(img.get_flattened_data()))


def drawn_map_blues(page) -> int:
    """Wait for the first visible map to be drawn; count its pixels in the colour scale.

    Blue, not only the grey of areas without a figure: a map whose geometry never came
    shows its colour bar only (about 6 000 such pixels).
    """
    import io

    from PIL import Image
    from playwright.sync_api import expect

    chart = page.locator("[data-testid='stPlotlyChart']").filter(visible=True).first
    expect(chart.locator("canvas").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(2500)  # let MapLibre paint
    img = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    return sum(1 for r, g, b in img.get_flattened_data() if b > r + 40 and b > g + 10)


@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        ("/", "kaart", "Kaart"),
        ("/?kaart=ggd&ggd=GG7206", "kaart_ggd", "Kaart"),  # all wijken of GGD Fryslân
        ("/profiel?gemeente=GM0080&wijk=WK008061", "profiel", "Wijkprofiel Vrijheidswijk"),
        (
            "/vergelijken?gemeente=GM0080&wijken=WK008061,WK008010,WK008020",
            "vergelijken",
            "Wijken vergelijken",
        ),
        (
            "/ontwikkeling?gemeente=GM0308&niveau=buurt&buurt=BU03080000&indicator=inwoners",
            "ontwikkeling",
            "Ontwikkeling",
        ),
        ("/enquete", "enquete", "Eigen enquête"),
        ("/bronnen", "bronnen", "Bronnen en begrippen"),
        # Issue 10: gemeenten besides the demo one, on the wijken of 2024.
        ("/?gemeente=GM0193", "kaart_zwolle", "Kaart"),
        ("/?gemeente=GM1900", "kaart_sudwest_fryslan", "Kaart"),
        ("/profiel?gemeente=GM0193", "profiel_zwolle", "Wijkprofiel"),
        ("/enquete?gemeente=GM1900", "enquete_sudwest_fryslan", "Eigen enquête"),
        ("/?kaart=nederland&niveau=gemeente", "kaart_nederland", "Kaart van Nederland"),
        ("/?kaart=nederland&niveau=wijk", "kaart_nederland_wijken", "Kaart van Nederland"),
    ],
)
def test_page_renders_with_screenshot(server, browser, path, name, expected):
    from playwright.sync_api import expect

    # Tall viewport: Streamlit scrolls inside its own container, so a "full page" screenshot
    # shows only the viewport; make the viewport hold the page.
    page = browser.new_page(viewport={"width": 1440, "height": 2200})
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None
        ),
    )
    try:
        page.goto(server + path)
        wait_for_app(page)
        expect(page.get_by_role("heading", name=expected).first).to_be_visible()
        expect(page.get_by_text("This app has encountered an error")).to_have_count(0)
        if name.startswith("kaart"):
            canvas = page.locator(
                ".js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas"
            ).first
            expect(canvas).to_be_visible(timeout=30_000)
            page.wait_for_timeout(2500)  # let MapLibre paint before the screenshot
            chart = page.locator("[data-testid='stPlotlyChart']").filter(visible=True).first
            assert colours_in(chart.screenshot()) > 5, "the map area is blank"
            expect(page.get_by_text("Bron: RIVM/CBS, GGD'en").first).to_be_visible()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")
        assert outside == [], f"the page asked the network: {outside[:5]}"
    finally:
        page.close()


def test_clicking_a_wijk_on_the_map_opens_its_profile(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(server + "/?gemeente=GM0080&niveau=wijk")
        wait_for_app(page)
        chart = page.locator("[data-testid='stPlotlyChart']").filter(visible=True).first
        expect(chart.locator("canvas").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(2500)
        box = chart.bounding_box()
        # The centre of Leeuwarden's map lies inside a wijk (checked on the screenshot).
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(page.get_by_role("heading", name="Wijkprofiel").first).to_be_visible(timeout=30_000)
        wait_for_app(page)
        assert "/profiel" in page.url and "wijk=WK0080" in page.url
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "kaart_klik_profiel.png"), animations="disabled")
    finally:
        page.close()


def test_the_national_wijk_map_draws_from_its_static_geometry_file(server, browser):
    """Issue 10, item 6: the geometry is a file the browser fetches once, not in the figure."""
    import re

    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    files: list = []
    page.on("response", lambda r: files.append(r) if "/app/static/geo/" in r.url else None)
    try:
        page.goto(server + "/?kaart=nederland&niveau=wijk")
        wait_for_app(page)
        blue = drawn_map_blues(page)
        assert blue > 20_000, f"only {blue} blue pixels: the wijken are not coloured"
        chart = page.locator("[data-testid='stPlotlyChart']").filter(visible=True).first
        # One file, named by a URL of its own per trace (the coloured one bare, grey ones
        # with ?1, ?2 …): none waits for another's download (charts.GeoFile).
        geo = next(f for f in files if "?" not in f.url)
        assert geo.status == 200 and re.search(r"/nl-wijken-2024-land-[0-9a-f]{16}\.json$", geo.url)
        assert {f.url.split("?")[0] for f in files} == {geo.url}
        assert geo.headers["content-type"] == "application/json"
        body = geo.json()
        assert body["type"] == "FeatureCollection" and len(body["features"]) == 3393
        # The hover reads the name from the file's feature: "<wijk> (<gemeente>)".
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.55)
        hover = page.locator(".hoverlayer .hovertext").first
        expect(hover).to_be_visible(timeout=10_000)
        text = hover.text_content() or ""
        # Name and gemeente, then the value with its unit or the reason it is grey.
        assert re.search(r"\S \(\S.*\)(\d+\u00a0%|[a-z ]+)", text), text
        SHOTS.mkdir(exist_ok=True)
        chart.screenshot(path=str(SHOTS / "kaart_nederland_muis.png"), animations="disabled")
        # Another choice (the gemeenten, then the wijken again) fetches only the new file.
        page.get_by_text("Gemeenten", exact=True).click()
        wait_for_app(page)
        page.get_by_text("Wijken", exact=True).click()
        wait_for_app(page)
        page.wait_for_timeout(2500)
        fetched = [f.url.rsplit("/", 1)[1] for f in files]
        names = list(dict.fromkeys(name[:11] for name in fetched))
        assert names == ["nl-wijken-2", "nl-gemeente"]
        assert len(fetched) == len(set(fetched))  # each URL once: the wijken not again
        page.screenshot(path=str(SHOTS / "kaart_nederland_bestand.png"), animations="disabled")
    finally:
        page.close()


def test_the_national_map_draws_when_its_geometry_file_comes_slowly(server, browser):
    """A slow link: every request for the geometry file is held 13 s, then answered.

    plotly.js lets a trace wait for another trace's download of the same URL for about 5 s;
    with one URL for all traces the map stayed blank (main before this test: 6 215 blue
    pixels, the colour bar only). Each trace now names the file by a URL of its own.
    """
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    held: list = []
    page.route("**/app/static/geo/**", lambda route: held.append(route))  # answered 13 s later
    try:
        page.goto(server + "/?kaart=nederland&niveau=wijk&indicator=eenzaam")
        wait_for_app(page)
        page.wait_for_timeout(13_000)
        assert len(held) >= 2  # the coloured trace and at least one grey one
        for route in held:
            route.continue_()
        blue = drawn_map_blues(page)
        assert blue > 20_000, f"only {blue} blue pixels: the slow file left the map blank"
    finally:
        page.close()


def test_new_user_path_profile_compare_trend_and_downloads(server, browser, tmp_path):
    """Issue 4's "done when": permalink → profile → compare → trend → Excel and PDF, offline."""
    import openpyxl
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 1400}, accept_downloads=True)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None
        ),
    )
    try:
        page.goto(server + "/profiel?gemeente=GM0080&wijk=WK008061")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Wijkprofiel Vrijheidswijk")).to_be_visible()
        expect(page.get_by_text("Leeuwarden", exact=False).first).to_be_visible()

        # The files are made on click (deferred downloads): click only once the script is idle,
        # and give the server time to build them on a busy machine.
        wait_for_app(page)
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name="Download Excel").click()
        xlsx = tmp_path / "profiel.xlsx"
        info.value.save_as(xlsx)
        book = openpyxl.load_workbook(xlsx)
        assert book.sheetnames == ["gegevens", "toelichting"]

        wait_for_app(page)
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name="Wijkprofiel als PDF (1 pagina)").click()
        pdf = tmp_path / "profiel.pdf"
        info.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")

        page.get_by_text("Vergelijk met andere wijken").click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Wijken vergelijken")).to_be_visible()
        assert "wijken=WK008061" in page.url

        page.goto(server + "/ontwikkeling?gemeente=GM0080&wijk=WK008061&indicator=eenzaam")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Ontwikkeling")).to_be_visible()
        expect(page.get_by_text("Vossepark").first).to_be_visible()
        assert outside == [], f"the page asked the network: {outside[:5]}"
    finally:
        page.close()


@pytest.fixture
def fresh_server():
    """Start a server nobody has visited yet (its own process), for first-visit behaviour."""
    yield from run_server()


#: The navigation app.py declares, in its order (not the file names of ui/pages/).
NAVIGATION = [
    "Kaart",
    "Wijkprofiel",
    "Vergelijken",
    "Ontwikkeling",
    "Eigen enquête",
    "Werkplaats",
    "Bronnen en begrippen",
]


def test_a_deep_link_as_first_visit_gets_the_app_frame(fresh_server, browser):
    """The very first request to a fresh server is a deep link: app.py's frame still runs.

    Issue 15, item 3: wide layout from app.py's set_page_config, the navigation of its
    st.navigation (titles, not file names), and the page with its query parameters applied.
    """
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(fresh_server + "/profiel?gemeente=GM0080&wijk=WK008061")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Wijkprofiel Vrijheidswijk")).to_be_visible(
            timeout=30_000
        )
        nav = page.get_by_test_id("stSidebarNav")
        links = nav.get_by_test_id("stSidebarNavLink")
        expect(links).to_have_count(len(NAVIGATION))
        # Each link reads "<material icon name>\n\n<title>".
        assert [t.split("\n")[-1].strip() for t in links.all_inner_texts()] == NAVIGATION
        for file_name in ("app", "profiel", "kaart", "bronnen"):
            expect(nav.get_by_text(file_name, exact=True)).to_have_count(0)
        # Wide layout: the main column uses the window, not Streamlit's centred 736 px.
        main = page.get_by_test_id("stMainBlockContainer")
        assert main.bounding_box()["width"] > 900
        assert page.title() == "Sociale Basis Dashboard"  # app.py's set_page_config ran
    finally:
        page.close()
