"""AppTest of the Werkplaats page: building, shaping, saving and loading a story, and notes."""

import json
import re

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.apptest import app, figures, no_exception, shown_text
from tests.test_exports import pdf_pages

NBSP = "\u00a0"
VRIJHEIDSWIJK = {"gemeente": "GM0080", "wijk": "WK008061"}
BINNENSTAD = {"gemeente": "GM0080", "wijk": "WK008010"}


@pytest.fixture()
def downloads(monkeypatch):
    """Record the bytes behind every download button, by media file id."""
    held: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            held[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return held


def download(at, downloads, key: str) -> bytes:
    """Return the content offered by one download button."""
    url = at.download_button(key=key).proto.url
    return downloads[url.rsplit("/", 1)[-1].split(".")[0]]


def open_werkplaats(query, *, example: bool = True):
    """Open the Werkplaats; ``example`` switches the fictitious survey on (off by default)."""
    at = app(query)
    if example:
        at.session_state["_show_example"] = True
    at.switch_page("ui/pages/werkplaats.py")
    at.run()
    no_exception(at)
    return at


def slide_titles(at) -> list[str]:
    """Return the slide titles in the order of the list (bold first line of each slide)."""
    titles = []
    for md in at.markdown:
        match = re.match(r"\*\*(.+?)\*\*  \n:gray\[", md.value)
        if match:
            titles.append(match[1])
    return titles


def text(at) -> str:
    """Return the page's Markdown as read (user text is escaped) and its code blocks."""
    shown = [shown_text(m) for m in at.markdown] + [c.value for c in at.code]
    return " ".join(shown).replace(NBSP, " ")


def presenting_count(at) -> int:
    label = at.button(key="presenteren").label
    match = re.fullmatch(r"Presenteren \((\d+) dia's\)", label)
    assert match, label
    return int(match[1])


def html_texts(at) -> list[str]:
    return [h.value for h in at.get("html")]


def counter(at) -> str:
    for value in html_texts(at):
        match = re.search(r'class="sb-teller">([^<]+)<', value)
        if match:
            return match[1]
    raise AssertionError("no slide counter on the page")


def test_story_of_a_wijk_opens_with_the_question_and_has_its_figures():
    at = open_werkplaats(VRIJHEIDSWIJK)
    assert at.title[0].value == "Werkplaats: Vrijheidswijk"
    titles = slide_titles(at)
    assert titles[:4] == [
        "De sociale basis van Vrijheidswijk",
        "Wie wonen er?",
        "Alleen of samen?",
        "Eenzaamheid (schatting RIVM)",
    ]
    assert titles[-1] == "Wat gaan wij doen?"
    assert presenting_count(at) == len(titles) == 22
    words = text(at)
    # RIVM 2020, 18+: Vrijheidswijk 55,0 and Leeuwarden 45,7 (checked in the snapshot).
    assert "voelen naar schatting meer mensen zich eenzaam dan gemiddeld in Leeuwarden: " in words
    assert "55 % tegen 46 %" in words
    assert at.text_input(key="vraag_opening_0").value == "Wie bent u in de sociale basis?"
    # The fictitious example, switched on, is said to be.
    assert any("fictief voorbeeld" in w.value for w in at.warning)
    expander = next(e for e in at.expander if e.label.startswith("Niet in dit verhaal"))
    assert expander.label == "Niet in dit verhaal (3)"
    assert "75-plussers" in text(at).replace("\\", "")  # the notes are escaped as plain text


def test_without_the_toggle_the_story_holds_no_fictitious_figure():
    at = open_werkplaats(VRIJHEIDSWIJK, example=False)
    assert at.toggle(key="voorbeeld_tonen").value is False
    assert presenting_count(at) == 18  # the 4 slides of the example survey are not in it
    assert "fictie" not in text(at).lower()
    assert not any("fictie" in w.value.lower() for w in at.warning)


def test_move_skip_and_question_change_the_story_and_its_file(downloads):
    at = open_werkplaats(VRIJHEIDSWIJK)
    at.button(key="omlaag_bewoners").click().run()
    no_exception(at)
    assert slide_titles(at)[1:3] == ["Alleen of samen?", "Wie wonen er?"]

    at.toggle(key="toon_eenzaamheid_0").set_value(False).run()
    no_exception(at)
    assert presenting_count(at) == 21

    at.text_input(key="vraag_afstand_0").set_value("Waar gaat u met de bus naartoe?").run()
    no_exception(at)
    saved = json.loads(download(at, downloads, "verhaal_opslaan"))
    assert saved["order"][:3] == ["opening", "huishoudens", "bewoners"]
    assert saved["skipped"] == ["eenzaamheid"]
    assert saved["questions"] == {"afstand": "Waar gaat u met de bus naartoe?"}
    assert "bars" not in json.dumps(saved) and "55" not in json.dumps(saved)  # no figures


def test_add_a_text_slide_after_the_opening():
    at = open_werkplaats(VRIJHEIDSWIJK)
    at.text_input(key="tekstdia_titel").set_value("Pauze")
    at.text_area(key="tekstdia_tekst").set_value("Koffie en thee staan klaar.")
    at.selectbox(key="tekstdia_na").set_value("opening")
    submit = next(b for b in at.button if b.label == "Toevoegen")
    submit.click().run()
    no_exception(at)
    assert slide_titles(at)[:3] == ["De sociale basis van Vrijheidswijk", "Pauze", "Wie wonen er?"]
    assert presenting_count(at) == 23


def test_saved_story_loads_for_another_wijk(downloads):
    at = open_werkplaats(VRIJHEIDSWIJK)
    at.button(key="omlaag_bewoners").click().run()
    at.toggle(key="toon_gezondheid_0").set_value(False).run()
    saved = download(at, downloads, "verhaal_opslaan")

    # In Binnenstad the (fictitious) survey has fewer than 30 answers: its slides are missing.
    other = open_werkplaats(BINNENSTAD)
    assert other.title[0].value == "Werkplaats: Binnenstad"
    other.file_uploader(key="verhaal_laden_0").upload(
        "werkplaats_WK008061.json", saved, "application/json"
    ).run()
    no_exception(other)
    assert slide_titles(other)[1:3] == ["Alleen of samen?", "Wie wonen er?"]
    assert shown_text(other.success[0]) == "Verhaal geladen uit werkplaats_WK008061.json."
    missing = "uit werkplaats_WK008061.json ontbreekt voor Binnenstad: te weinig antwoorden in de "
    warnings = [shown_text(w) for w in other.warning]  # plain text: escaped Markdown
    assert [w for w in warnings if w.startswith("Dia ")] == [
        f"Dia 'Eenzaamheid (eigen enquête)' {missing}enquête voor deze wijk.",
        f"Dia 'Rondkomen (eigen enquête)' {missing}enquête voor deze wijk.",
        f"Dia 'Welke voorzieningen gebruiken mensen? (eigen enquête)' {missing}enquête voor "
        "deze wijk.",
        f"Dia 'Institutioneel: wijkteam en buurthuis' {missing}enquête voor deze wijk.",
    ]
    assert other.toggle(key="toon_gezondheid_1").value is False


def test_a_file_that_is_no_story_gives_a_dutch_error():
    at = open_werkplaats(VRIJHEIDSWIJK)
    at.file_uploader(key="verhaal_laden_0").upload(
        "enquete.json", b'{"format": "enquete"}', "application/json"
    ).run()
    no_exception(at)
    assert shown_text(at.error[0]) == (
        "enquete.json, veld 'format': 'enquete' is geen werkplaats-verhaal "
        "(verwacht 'sociale-basis-werkplaats')"
    )


def test_notes_end_up_in_the_markdown_and_the_pdf(downloads):
    at = open_werkplaats(VRIJHEIDSWIJK)
    at.text_area(key="notitie_eenzaamheid").set_value("Buurtkamer op dinsdag weer open.").run()
    at.text_area(key="notitie_closing").set_value("Ruud belt de corporatie.").run()
    no_exception(at)
    markdown = download(at, downloads, "notities_md").decode("utf-8")
    assert "> Buurtkamer op dinsdag weer open." in markdown
    assert "> Ruud belt de corporatie." in markdown
    assert "Eenzaam: Vrijheidswijk 55 %, heel Leeuwarden 46 %, Nederland 47 %" in markdown.replace(
        NBSP, " "
    )
    assert "> Buurtkamer op dinsdag weer open." in text(at)  # the preview on the page
    pdf = download(at, downloads, "notities_pdf")
    assert pdf.startswith(b"%PDF-") and pdf_pages(pdf) == 1


def test_presentation_counts_moves_and_keeps_notes():
    at = open_werkplaats(VRIJHEIDSWIJK)
    at.button(key="presenteren").click().run()
    no_exception(at)
    assert at.query_params["modus"] == "presentatie"
    assert counter(at) == "1 / 22"
    assert any("Wie bent u in de sociale basis?" in h for h in html_texts(at))
    at.button(key="dia_volgende").click().run()
    at.button(key="dia_volgende_pgdn").click().run()
    assert counter(at) == "3 / 22"
    assert len(figures(at)) == 1  # one large visual per data slide
    at.text_area(key="notitie_p_huishoudens").set_value("Veel alleenstaanden in de flats.").run()
    at.button(key="dia_vorige").click().run()
    assert counter(at) == "2 / 22"
    at.button(key="dia_terug").click().run()
    no_exception(at)
    assert "modus" not in at.query_params
    assert at.text_area(key="notitie_huishoudens").value == "Veel alleenstaanden in de flats."


def test_presentation_opens_from_the_url_and_labels_the_fictitious_survey():
    at = open_werkplaats({**VRIJHEIDSWIJK, "modus": "presentatie"})
    assert counter(at) == "1 / 22"
    for _ in range(4):
        at.button(key="dia_volgende").click().run()
    no_exception(at)
    assert counter(at) == "5 / 22"
    page = " ".join(html_texts(at))
    assert "Eenzaamheid (eigen enquête)" in page
    assert "Fictief voorbeeld" in page
