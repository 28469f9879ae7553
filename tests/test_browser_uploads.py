"""A hostile upload in a real browser: its text is shown as text and nothing is fetched (issue 13).

Markdown images and links, HTML and a bare URL are put in every place an upload's text can
reach: the file name, column names, cells, a source note and a figure's column name. The page
must show them letter for letter, and the browser must not make one request that leaves
loopback (a Markdown image in a message would make it fetch its address).
"""

from urllib.parse import urlparse

import pytest

from tests.test_browser import browser, pytestmark, server, wait_for_app  # noqa: F401

#: A documentation address (TEST-NET-2, RFC 5737): never a real host.
HOST = "198.51.100.7"
IMAGE = f"![x](http://{HOST}/beeld.png)"
LINK = f"[klik](http://{HOST}/link)"
HTML = f"<img src=http://{HOST}/html.png>"
BARE = f"http://{HOST}/kaal"


def requests_of(page) -> list[str]:
    """Start recording every URL the page requests; return the (growing) list."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def off_loopback(urls: list[str]) -> list[str]:
    """Return the requests that went anywhere but this machine."""
    return [
        u
        for u in urls
        if urlparse(u).scheme not in ("data", "blob", "about")
        and urlparse(u).hostname not in ("127.0.0.1", "localhost")
    ]


def upload(page, key: str, name: str, content: bytes) -> None:
    """Put a file in the uploader whose widget key is ``key`` and wait for the rerun."""
    widget = page.locator(f".st-key-{key}")
    uploader = widget.locator("[data-testid='stFileUploaderDropzoneInput']")
    uploader.set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    # Every outcome names the file in an alert (refused, read, or the table's summary).
    page.locator("[data-testid='stAlert']", has_text=".csv").first.wait_for(timeout=180_000)
    wait_for_app(page)


def shown(locator) -> str:
    """Return the text a locator shows; the invisible word joiners of plain_markdown removed."""
    return " ".join(locator.all_inner_texts()).replace("\u2060", "")


@pytest.mark.parametrize("kind", ["refused", "read"])
def test_a_hostile_survey_file_is_shown_as_text_and_fetches_nothing(server, browser, kind):  # noqa: F811
    page = browser.new_page()
    seen = requests_of(page)
    try:
        page.goto(f"{server}/enquete?gemeente=GM0080")
        wait_for_app(page)
        if kind == "refused":  # a name used twice: the message quotes it
            header = f"{IMAGE};{IMAGE};gebied"
            body = "1;2;Oud-Oost\n"
        else:  # read: names, cells and a note reach the mapping step and the warnings
            header = f"respondent_id;gebied;{LINK};{HTML}"
            body = f"R1;{IMAGE};{BARE};a\x00b\n"
        upload(page, "enquete_bestand", f"{LINK}{IMAGE}.csv", f"{header}\n{body}".encode())
        alerts = shown(page.locator("[data-testid='stAlert']"))
        if kind == "refused":
            assert IMAGE in alerts, alerts
        else:
            assert f"{LINK}{IMAGE}.csv" in alerts, alerts  # the file name, letter for letter
        main = page.locator("[data-testid='stMain']")
        assert main.locator(f"img[src*='{HOST}']").count() == 0
        assert main.locator(f"a[href*='{HOST}']").count() == 0
        assert off_loopback(seen) == []
    finally:
        page.close()


def test_a_hostile_aggregated_table_is_shown_as_text_and_fetches_nothing(server, browser):  # noqa: F811
    page = browser.new_page()
    seen = requests_of(page)
    try:
        page.goto(f"{server}/enquete?gemeente=GM0080")
        wait_for_app(page)
        page.get_by_role("tab", name="Tabel met percentages").click()
        table = f"Monitor {IMAGE}\nWijk;{HTML}\nOud-Oost;41,5\n{LINK};38\nBron: {BARE} {IMAGE}\n"
        upload(page, "tabel_bestand", f"{IMAGE}.csv", table.encode())
        text = shown(page.locator("[data-testid='stMain']"))
        assert f"Bron: {BARE} {IMAGE}" in text
        assert f"{IMAGE}.csv: 2 gebieden" in text
        main = page.locator("[data-testid='stMain']")
        assert main.locator(f"img[src*='{HOST}']").count() == 0
        assert main.locator(f"a[href*='{HOST}']").count() == 0
        assert off_loopback(seen) == []
    finally:
        page.close()
