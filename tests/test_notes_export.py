"""The group's notes: Markdown and a one-page PDF with the figures shown and the sources."""

import datetime as dt
import re

import pytest

from analysis.workshop.notes import CUT_NOTE, FICTITIOUS, notes_markdown, notes_pdf, sources
from analysis.workshop.story import Bar, Slide, Story, build_story, skip
from data.snapshot import load_snapshot
from tests.test_exports import pdf_pages, pdf_streams
from tests.test_story import CATALOGUE, GEMEENTE, VRIJHEIDSWIJK

NBSP = "\u00a0"
DAY = dt.date(2026, 11, 24)
NAMES = {"wijk_name": "Vrijheidswijk", "gemeente_name": "Leeuwarden", "day": DAY}
NOTES = {
    "eenzaamheid": "Herkenbaar: vooral alleenstaande ouderen in de flats.\nDe buurtkamer is dicht.",
    "closing": "Wij openen de buurtkamer weer op dinsdag. Één café doet mee.",
}


def pdf_words(data: bytes) -> str:
    """Return the text a PDF shows, lines joined by a space (multi_cell breaks at spaces)."""
    shown = re.findall(rb"\((.*?)(?<!\\)\) Tj", pdf_streams(data))
    text = b" ".join(s.replace(b"\\(", b"(").replace(b"\\)", b")") for s in shown)
    return " ".join(text.decode("cp1252").split())


@pytest.fixture(scope="module")
def story():
    snap = load_snapshot()
    built = build_story(
        snap.values, snap.regions, CATALOGUE, code=VRIJHEIDSWIJK, gemeente_code=GEMEENTE
    )
    return skip(built, "gezondheid")


@pytest.fixture(scope="module")
def markdown(story):
    return notes_markdown(story, NOTES, **NAMES).replace(NBSP, " ")


@pytest.mark.parametrize(
    "expected",
    [
        "# Werkplaats sociale basis: Vrijheidswijk (Leeuwarden)\n\n24 november 2026\n\n",
        "## 1. De sociale basis van Vrijheidswijk\n",
        "**Vraag:** Wie bent u in de sociale basis?",
        # The figures shown: the message and each bar with gemeente and Nederland.
        "## 4. Eenzaamheid (schatting RIVM)\n\nIn Vrijheidswijk voelen naar schatting meer mensen "
        "zich eenzaam dan gemiddeld in Leeuwarden: 55 % tegen 46 %.",
        "- Eenzaam: Vrijheidswijk 55 %, heel Leeuwarden 46 %, Nederland 47 %\n"
        "- Ernstig eenzaam: Vrijheidswijk 15 %, heel Leeuwarden 10 %, Nederland 11 %",
        "Aantal inwoners: 3.640 (heel Leeuwarden: 129.973)",
        # The country's KWB figure is of 2024, the wijk's of 2025: the line says so (issue 10).
        "- Inwoners van 65 jaar of ouder: Vrijheidswijk 21,3 %, heel Leeuwarden 19,8 %, "
        "Nederland 20,5 % (2024)\n",
        # The group's notes, quoted line by line.
        "**Notities van de groep:**\n\n> Herkenbaar: vooral alleenstaande ouderen in de flats.\n"
        "> De buurtkamer is dicht.",
        "> Wij openen de buurtkamer weer op dinsdag. Één café doet mee.",
        "## Bronnen\n\n- CBS, Kerncijfers wijken en buurten 2025; cijfers over 2025\n"
        "- RIVM/CBS, GGD'en (Gezondheidsmonitor Volwassenen en Ouderen), Gezondheid per wijk en "
        "buurt; 2012/2016/2020 (indeling 2020); cijfers over 2020",
        "Cijfers per wijk zijn een begin van het gesprek, geen oordeel over de wijk.",
    ],
)
def test_markdown_holds_wijk_date_figures_notes_and_sources(markdown, expected):
    assert expected in markdown


def test_markdown_leaves_skipped_slides_out_and_numbers_what_was_shown(markdown, story):
    assert "Gezondheid en regie" not in markdown
    # Slides and sources. No "Let op" any more: the 2020 figures are about Vrijheidswijk (the
    # same buurten), the old "zonder naam" note is gone (issue 10).
    assert markdown.count("\n## ") == len(story.shown()) + 1
    assert "## Let op" not in markdown and "zonder naam" not in markdown
    assert f"## {len(story.shown())}. Wat gaan wij doen?" in markdown
    assert markdown.count("*Geen notities.*") == len(story.shown()) - 2


def test_fictitious_survey_figures_are_marked():
    bar = Bar(
        "enq_eenzaam",
        "Eenzaam",
        "%",
        0,
        "eigen enquête",
        "respondenten",
        "enquete",
        2026,
        54.0,
        43.0,
        None,
        "hoger",
        112,
        44.6,
        63.7,
    )
    slide = Slide(
        "eenzaamheid_enquete",
        "data",
        "",
        "Eenzaamheid (eigen enquête)",
        "m",
        "v",
        bars=(bar,),
        fictitious=True,
    )
    text = notes_markdown(Story("GM1", "WK1", (slide,)), {}, **NAMES).replace(NBSP, " ")
    assert f"*{FICTITIOUS}*" in text
    assert "- Eenzaam: Vrijheidswijk 54 % (n = 112), heel Leeuwarden 43 %" in text


def test_sources_are_listed_once_in_order(story):
    assert sources(story) == [
        "CBS, Kerncijfers wijken en buurten 2025; cijfers over 2025",
        "RIVM/CBS, GGD'en (Gezondheidsmonitor Volwassenen en Ouderen), Gezondheid per wijk en "
        "buurt; 2012/2016/2020 (indeling 2020); cijfers over 2020",
    ]


def test_pdf_is_one_a4_page_with_the_notes_in_dutch_characters(story):
    data = notes_pdf(story, NOTES, **NAMES)
    assert data.startswith(b"%PDF-")
    assert pdf_pages(data) == 1
    assert b"/MediaBox [0 0 595.28 841.89]" in data
    text = pdf_words(data)
    for words in (
        "Werkplaats sociale basis: Vrijheidswijk (Leeuwarden)",
        "24 november 2026",
        "De buurtkamer is dicht.",
        "Één café doet mee.",
        "Eenzaamheid (schatting RIVM)",
        "Bronnen",
    ):
        assert words in text


def test_pdf_with_a_very_long_note_still_fits_one_page_and_points_to_the_markdown(story):
    long = {"closing": "Wij gaan door. " * 2000}
    data = notes_pdf(story, long, **NAMES)
    assert pdf_pages(data) == 1
    assert CUT_NOTE in pdf_words(data)
    assert ("Wij gaan door. " * 2000).strip() in notes_markdown(story, long, **NAMES)


def test_pdf_that_cannot_fit_says_so():
    slides = tuple(Slide(f"s{i}", "text", "", f"Dia {i}", "tekst", "") for i in range(100))
    notes = {f"s{i}": "Een notitie." for i in range(100)}
    with pytest.raises(ValueError, match="passen niet op één pagina, ook niet ingekort"):
        notes_pdf(Story("GM1", "WK1", slides), notes, **NAMES)
