"""Browser checks of issue #12: Dutch widget strings, uncut labels, grey legend, phone profile.

Screenshots land in screenshots/honest_*.png: look at them. Reuses the server and browser of
tests/test_browser.py.
"""

import pytest

from tests.test_browser import SHOTS, browser, server, wait_for_app  # noqa: F401

pytestmark = [pytest.mark.browser]


def test_selects_speak_dutch_and_show_whole_labels(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(server + "/?gemeente=GM0080&niveau=wijk&indicator=eenzaam")
        wait_for_app(page)
        # The chosen year and source, and the classes, are shown whole (not cut off).
        for key, value in (("jaar_bron", "2020 · 18+ · RIVM-schatting"), ("klassen", None)):
            field = page.locator(f".st-key-{key} input").first
            if value:
                expect(field).to_have_value(value)
            assert field.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), key
        # Typing something no gemeente is called says so in Dutch.
        page.locator(".st-key-gemeente input").first.click()
        page.keyboard.type("qqqq")
        empty = page.get_by_text("No results")
        page.wait_for_timeout(500)
        dutch = page.locator(".equpb2c9").first
        expect(dutch).to_be_visible()
        assert dutch.evaluate("el => getComputedStyle(el, '::after').content") == (
            '"Geen resultaten"'
        )
        assert dutch.evaluate("el => getComputedStyle(el).fontSize") == "0px"
        assert empty.count() <= 1  # the English text is in the DOM, but at size 0
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "honest_geen_resultaten.png"), animations="disabled")
        page.keyboard.press("Escape")
    finally:
        page.close()


def test_map_legend_has_a_grey_swatch_with_its_meaning(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    try:
        # Den Haag: 2024 wijken without a 2020 figure (Leeuwarden's buurten all have one).
        page.goto(server + "/?gemeente=GM0518&niveau=wijk&indicator=eenzaam")
        wait_for_app(page)
        chart = page.locator("[data-testid='stPlotlyChart']").filter(visible=True).first
        expect(chart.locator("canvas").first).to_be_visible(timeout=30_000)
        legend = chart.locator(".legend .traces")
        expect(legend.first).to_contain_text("Grijs: geen cijfer")
        page.wait_for_timeout(2500)  # let MapLibre paint before the screenshot
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "honest_kaart_grijs.png"), animations="disabled")
    finally:
        page.close()


#: How many elements under ``e`` scroll sideways (their content is wider than their box).
WIDER_THAN_SHOWN = (
    "e => [...e.querySelectorAll('*')].filter(c => c.scrollWidth > c.clientWidth + 1).length"
)


def test_profile_on_a_phone_shows_a_table_instead_of_the_chart(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(server + "/profiel?gemeente=GM0080&wijk=WK008061")
        wait_for_app(page)
        expect(page.locator(".st-key-profiel_telefoon")).to_be_visible()
        expect(page.locator(".st-key-profiel_grafiek_blok")).to_be_hidden()
        phone = page.locator(".st-key-profiel_telefoon")
        expect(phone).to_contain_text("Eenzaam (RIVM-schatting): 55")
        # Nothing scrolls sideways: the lines wrap within the 390 px screen.
        box = phone.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        overflow = phone.evaluate(WIDER_THAN_SHOWN)
        assert overflow == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        phone.scroll_into_view_if_needed()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "honest_profiel_telefoon.png"), animations="disabled")
    finally:
        page.close()
