"""Browser test of the Werkplaats presentation: 1920×1080, keyboard navigation, large type.

Screenshots land in screenshots/werkplaats_*.png: look at them (would the slide read from the
back of a room?). Reuses the server and browser of tests/test_browser.py.
"""

import re

import pytest

from tests.test_browser import SHOTS, browser, server, wait_for_app  # noqa: F401

pytestmark = [pytest.mark.browser]

URL = "/werkplaats?gemeente=GM0080&wijk=WK008061&modus=presentatie"
PROJECTOR = {"width": 1920, "height": 1080}


def counter(page) -> tuple[int, int]:
    """Return the slide counter as (number shown, total)."""
    text = page.locator(".sb-teller").inner_text()
    match = re.fullmatch(r"\s*(\d+) / (\d+)\s*", text)
    assert match, f"counter reads {text!r}"
    return int(match[1]), int(match[2])


def press(page, key: str, expected: int) -> None:
    """Press a key and wait until the counter shows the expected slide number."""
    from playwright.sync_api import expect

    page.keyboard.press(key)
    expect(page.locator(".sb-teller")).to_have_text(re.compile(rf"^\s*{expected} / "))
    wait_for_app(page)


def font_px(page, selector: str) -> float:
    """Return the computed font size of the first element matching a selector."""
    return page.evaluate(
        "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector
    )


@pytest.fixture()
def projector(server, browser):  # noqa: F811
    """Open the presentation of Vrijheidswijk on a 1920×1080 page; yield the page."""
    page = browser.new_page(viewport=PROJECTOR)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None
        ),
    )
    try:
        page.goto(server + URL)
        wait_for_app(page)
        page.locator(".sb-teller").wait_for()
        yield page
        assert outside == [], f"the presentation asked the network: {outside[:5]}"
    finally:
        page.close()


def test_presentation_hides_controls_and_uses_large_type(projector):
    page = projector
    assert counter(page)[0] == 1
    assert page.get_by_text("Wie bent u in de sociale basis?").first.is_visible()
    # Controls hidden: no sidebar, no header toolbar.
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator("[data-testid='stHeader']").is_visible()
    assert font_px(page, ".sb-boodschap") >= 32
    assert font_px(page, ".sb-titel") > font_px(page, ".sb-boodschap")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "werkplaats_presentatie.png"), animations="disabled")


def test_normal_view_lists_the_slides_with_their_controls(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    try:
        page.goto(server + "/werkplaats?gemeente=GM0080&wijk=WK008061")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Werkplaats: Vrijheidswijk")).to_be_visible()
        expect(
            page.get_by_role("button", name=re.compile(r"Presenteren \(\d+ dia's\)"))
        ).to_be_visible()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "werkplaats.png"), animations="disabled")
        page.get_by_role("button", name=re.compile("Presenteren")).click()
        page.locator(".sb-teller").wait_for()
        wait_for_app(page)
        assert "modus=presentatie" in page.url
        page.keyboard.press("Escape")  # "Terug naar overzicht"
        expect(page.get_by_role("heading", name="Werkplaats: Vrijheidswijk")).to_be_visible()
        assert "modus" not in page.url
    finally:
        page.close()


def test_keyboard_moves_through_the_slides(projector):
    page = projector
    first, total = counter(page)
    assert (first, total) == (1, total) and total > 10
    press(page, "ArrowRight", 2)
    press(page, "ArrowRight", 3)
    # Slide 3 is a data slide: one large chart, the message in at least 32 px.
    chart = page.locator("[data-testid='stPlotlyChart']")
    chart.first.wait_for()
    assert chart.count() == 1
    # 400 px: with title, message, question, buttons and the opened notes on one 1080 screen.
    assert chart.first.bounding_box()["height"] >= 380
    assert font_px(page, ".sb-boodschap") >= 32
    ticks = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('.ytick text')]"
        ".map(t => parseFloat(getComputedStyle(t).fontSize)))"
    )
    assert ticks >= 24
    page.wait_for_timeout(500)  # let plotly finish drawing before the screenshot
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "werkplaats_presentatie_dia3.png"), animations="disabled")
    press(page, "PageDown", 4)  # what a presentation clicker sends
    press(page, "ArrowLeft", 3)
    press(page, "PageUp", 2)
    assert counter(page) == (2, total)


def bottom(page, selector: str) -> float:
    """Return the lower edge of the first element matching a selector, in viewport pixels."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box["y"] + box["height"]


#: What a slide must show without scrolling (issue #12).
WHOLE_SLIDE = (
    ".sb-titel",
    ".sb-boodschap",
    "[data-testid='stPlotlyChart']",
    ".sb-vraag",
    ".st-key-dia_volgende",
    ".st-key-dia_vorige",
)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["laptop", "projector"])
def test_a_data_slide_fits_the_screen_without_scrolling(server, browser, size):  # noqa: F811
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + URL)
        wait_for_app(page)
        page.locator(".sb-teller").wait_for()
        for number in (2, 3, 4, 5):
            press(page, "ArrowRight", number)
        page.locator("[data-testid='stPlotlyChart']").first.wait_for()
        page.wait_for_timeout(500)  # let plotly finish drawing before the screenshot
        for selector in WHOLE_SLIDE:
            assert bottom(page, selector) <= height, f"{selector} falls below {width}x{height}"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(
            path=str(SHOTS / f"werkplaats_dia5_{width}x{height}.png"), animations="disabled"
        )
    finally:
        page.close()


def test_a_slide_change_reruns_only_the_slide(projector):
    """Key press to new slide counter, measured in the browser: the median of six presses.

    The presentation reruns only the slide (a fragment) with figures built ahead, so a
    change costs one small server round trip (target 0.5 s; measured 0.10–0.37 s median on
    this 2-core box, see the printed times). The assertion is a guard, not the target: a
    whole-page rerun (about 2.5 s before the fragment) fails it, a busy CI box does not.
    Speed targets live in bench/, not in timed tests.
    """
    import statistics
    import time

    from playwright.sync_api import expect

    page = projector
    times = []
    for number in range(2, 8):
        start = time.perf_counter()
        page.keyboard.press("ArrowRight")
        expect(page.locator(".sb-teller")).to_have_text(re.compile(rf"^\s*{number} / "))
        times.append(time.perf_counter() - start)
        wait_for_app(page)
    print("slide change (s):", [round(t, 3) for t in times])
    assert statistics.median(times) <= 1.5, times


def test_notes_are_large_fit_the_screen_and_give_the_keys_back(projector):
    page = projector
    press(page, "ArrowRight", 2)
    page.locator(".st-key-dia_notities summary").click()
    box = page.locator("[class*='st-key-notitie_p_'] textarea")
    box.wait_for()
    assert font_px(page, "[class*='st-key-notitie_p_'] textarea") >= 28  # readable in the room
    assert bottom(page, "[class*='st-key-notitie_p_'] textarea") <= PROJECTOR["height"]
    box.click()
    page.keyboard.type("Buurtkamer op dinsdag weer open.")
    page.keyboard.press("Escape")  # leaves the field, not the presentation
    page.wait_for_timeout(300)  # the note is saved (one rerun) while the presenter looks up
    wait_for_app(page)
    assert "modus=presentatie" in page.url
    press(page, "ArrowRight", 3)  # the arrow keys work again without a click elsewhere
    press(page, "ArrowLeft", 2)
    expect_text = page.locator("[class*='st-key-notitie_p_'] textarea")
    assert expect_text.input_value() == "Buurtkamer op dinsdag weer open."  # the note was kept
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "werkplaats_notities.png"), animations="disabled")
