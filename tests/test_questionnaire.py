import io
import re
import zlib

import pandas as pd
import pytest

from analysis.survey.questionnaire import (
    DEFAULT_VOORZIENINGEN,
    canonical_columns,
    codebook,
    codebook_frame,
    empty_data_file,
    questionnaire_blocks,
    questionnaire_markdown,
    questionnaire_pdf,
)

# The canonical survey schema, written out by hand: the shared contract between helpers.
CANONICAL = [
    "respondent_id",
    "gebied",
    "postcode",
    "gewicht",
    "leeftijd",
    "djg11_1",
    "djg11_2",
    "djg11_3",
    "djg11_4",
    "djg11_5",
    "djg11_6",
    "djg11_7",
    "djg11_8",
    "djg11_9",
    "djg11_10",
    "djg11_11",
    "djg6_1",
    "djg6_2",
    "djg6_3",
    "djg6_4",
    "djg6_5",
    "djg6_6",
    "eenzaam_zelf",
    "rondkomen",
    "vz_buurthuis",
    "vz_huisarts",
    "vz_bibliotheek",
    "vz_wijkteam",
    "vz_sportvereniging",
    "mantelzorg",
    "vrijwilligerswerk",
]

DJG = "1 = ja; 2 = min of meer; 3 = nee"


def _pdf_text(data: bytes) -> str:
    """Return the text of every (Flate-compressed) content stream; core fonts keep text plain."""
    out = []
    for chunk in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(chunk).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def test_canonical_columns_are_the_contract():
    assert list(canonical_columns()) == CANONICAL


def test_empty_csv_is_exactly_the_canonical_header_with_bom_and_semicolons():
    data = empty_data_file("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data == ("\ufeff" + ";".join(CANONICAL) + "\r\n").encode("utf-8")
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig")
    assert list(frame.columns) == CANONICAL
    assert len(frame) == 0


def test_empty_xlsx_has_the_canonical_header_and_a_codes_sheet():
    sheets = pd.read_excel(io.BytesIO(empty_data_file("xlsx")), sheet_name=None)
    assert list(sheets) == ["enquete", "codes"]
    assert list(sheets["enquete"].columns) == CANONICAL
    assert len(sheets["enquete"]) == 0
    assert sheets["codes"]["kolom"].tolist() == CANONICAL


@pytest.mark.parametrize(
    ("column", "question", "codes"),
    [
        ("gebied", "In welke wijk woont u?", "open antwoord"),
        (
            "djg11_1",
            "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse "
            "probleempjes terecht kan.",
            DJG,
        ),
        ("djg11_2", "Ik mis een echt goede vriend of vriendin.", DJG),
        ("djg11_3", "Ik ervaar een leegte om me heen.", DJG),
        ("djg11_4", "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.", DJG),
        ("djg11_5", "Ik mis gezelligheid om me heen.", DJG),
        ("djg11_6", "Ik vind mijn kring van kennissen te beperkt.", DJG),
        ("djg11_7", "Ik heb veel mensen op wie ik volledig kan vertrouwen.", DJG),
        ("djg11_8", "Er zijn voldoende mensen met wie ik me nauw verbonden voel.", DJG),
        ("djg11_9", "Ik mis mensen om me heen.", DJG),
        ("djg11_10", "Vaak voel ik me in de steek gelaten.", DJG),
        (
            "djg11_11",
            "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht.",
            DJG,
        ),
        ("djg6_1", "Ik ervaar een leegte om me heen.", DJG),
        ("djg6_2", "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.", DJG),
        ("djg6_3", "Ik heb veel mensen op wie ik volledig kan vertrouwen.", DJG),
        ("djg6_4", "Ik mis mensen om me heen.", DJG),
        ("djg6_5", "Er zijn voldoende mensen met wie ik me nauw verbonden voel.", DJG),
        ("djg6_6", "Vaak voel ik me in de steek gelaten.", DJG),
        (
            "eenzaam_zelf",
            "Voelt u zich wel eens eenzaam?",
            "1 = heel vaak; 2 = vaak; 3 = soms; 4 = zelden; 5 = nooit; 9 = weet niet",
        ),
        (
            "rondkomen",
            "Hoeveel moeite heeft uw huishouden de afgelopen 12 maanden gehad om rond te komen "
            "van het inkomen?",
            "1 = grote moeite; 2 = enige moeite; 3 = geen moeite",
        ),
        (
            "vz_wijkteam",
            "Gebruik voorziening: Wijkteam of sociaal team",
            "1 = gebruikt; 2 = kent maar gebruikt niet; 3 = kent niet",
        ),
        ("mantelzorg", "Geeft u mantelzorg?", "1 = ja; 2 = nee"),
        ("vrijwilligerswerk", "Doet u vrijwilligerswerk?", "1 = ja; 2 = nee"),
    ],
)
def test_codes_sheet_lists_question_and_codes(column, question, codes):
    sheet = pd.read_excel(io.BytesIO(empty_data_file("xlsx")), sheet_name="codes")
    row = sheet.set_index("kolom").loc[column]
    assert (row["vraag"], row["codes"]) == (question, codes)


@pytest.mark.parametrize(
    ("number", "subscale"),
    [
        (1, "sociaal"),
        (2, "emotioneel"),
        (3, "emotioneel"),
        (4, "sociaal"),
        (5, "emotioneel"),
        (6, "emotioneel"),
        (7, "sociaal"),
        (8, "sociaal"),
        (9, "emotioneel"),
        (10, "emotioneel"),
        (11, "sociaal"),
    ],
)
def test_djg11_item_subscales_follow_the_standard_order(number, subscale):
    by_column = {q.column: q for q in codebook()}
    assert by_column[f"djg11_{number}"].subscale == subscale


def test_custom_voorzieningen_become_columns_in_their_order():
    columns = canonical_columns(("moskee", "speeltuin"))
    assert columns[-4:] == ("vz_moskee", "vz_speeltuin", "mantelzorg", "vrijwilligerswerk")
    header = empty_data_file("csv", ("moskee", "speeltuin")).decode("utf-8-sig").strip()
    assert header.split(";")[24:26] == ["vz_moskee", "vz_speeltuin"]
    assert "| `vz_speeltuin` | Gebruik voorziening: Speeltuin |" in questionnaire_markdown(
        ("moskee", "speeltuin")
    )


@pytest.mark.parametrize(
    ("voorzieningen", "message"),
    [
        (("Buurt huis",), "Voorziening 'Buurt huis' is geen geldige kolomnaam"),
        (("1bieb",), "Voorziening '1bieb' is geen geldige kolomnaam"),
        (("huisarts", "huisarts"), "Voorziening 'huisarts' staat twee keer in de lijst"),
        ((), "Geen voorzieningen opgegeven"),
    ],
)
def test_bad_voorzieningen_are_refused_naming_the_name(voorzieningen, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        canonical_columns(voorzieningen)


def test_unknown_empty_file_format_is_refused():
    with pytest.raises(ValueError, match="Onbekend formaat 'sav'; verwacht 'csv' of 'xlsx'"):
        empty_data_file("sav")


def _question_sections(markdown: str) -> dict[str, str]:
    """Split the questionnaire part on question headings; key each section by its column."""
    body = markdown.split("## Voor de onderzoeker")[0]
    sections = re.split(r"\n(?=\*\*)", body)
    out = {}
    for section in sections:
        found = re.search(r"kolom `([a-z0-9_]+)`", section)
        if found:
            out[found.group(1)] = section
    return out


def test_every_respondent_question_in_the_markdown_shows_its_codes():
    sections = _question_sections(questionnaire_markdown())
    respondent_columns = [c for c in CANONICAL if c not in ("respondent_id", "gewicht")]
    assert sorted(sections) == sorted(respondent_columns)
    for question in codebook():
        if question.column not in sections:
            continue
        section = sections[question.column]
        assert question.text in section
        for code, label in question.codes:
            assert f"{code} = {label}" in section, (question.column, code, label)


def test_codes_of_a_djg_item_in_the_markdown_read_as_the_form_prints_them():
    section = _question_sections(questionnaire_markdown())["djg11_3"]
    assert section.startswith("**3. Ik ervaar een leegte om me heen.**")
    assert "Antwoord: 1 = ja · 2 = min of meer · 3 = nee · kolom `djg11_3`" in section


@pytest.mark.parametrize(
    "expected",
    [
        "Geef bij elk van de volgende uitspraken aan in hoeverre die op u van toepassing is, "
        "zoals u dat de laatste tijd ervaart.",
        "In welke wijk woont u?",
        "Vul de naam of de code van uw wijk in",
        "De Jong Gierveld, J., & Van Tilburg, T. G. (1999). Manual of the Loneliness Scale.",
        "De Jong Gierveld, J., & Van Tilburg, T. G. (2008). De ingekorte schaal",
        "VNG, Burgerpeiling",
        "Gezondheidsmonitor Volwassenen en Ouderen",
        "Vermeld de bron",
        "Gebruik dit blok in plaats van het vorige (11 uitspraken), niet allebei.",
        "| `respondent_id` | Respondentnummer | open antwoord |",
    ],
)
def test_markdown_has_instruction_sources_and_notes(expected):
    assert expected in questionnaire_markdown()


def test_djg6_is_an_alternative_block_to_djg11():
    blocks = {b.key: b for b in questionnaire_blocks()}
    assert blocks["djg6"].alternative_to == "djg11"
    assert blocks["djg11"].alternative_to == ""


def test_pdf_is_a4_deterministic_and_carries_the_item_wording():
    data = questionnaire_pdf()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4 in points
    assert questionnaire_pdf() == data
    text = _pdf_text(data)
    assert "(3. Ik ervaar een leegte om me heen.) Tj" in text
    assert "(ja \\(1\\)) Tj" in text  # parentheses are escaped in PDF strings


def test_pdf_prints_dutch_characters_and_custom_voorzieningen():
    text = _pdf_text(questionnaire_pdf(("speeltuin", "moskee")))
    assert "Eenzaamheid in \xe9\xe9n vraag" in text  # é as its Latin-1 byte (core font)
    assert "(1. Speeltuin) Tj" in text
    assert "Buurthuis" not in text


def test_codebook_frame_sources_follow_their_block():
    frame = codebook_frame(DEFAULT_VOORZIENINGEN).set_index("kolom")
    assert frame.loc["djg6_1", "bron"].startswith(
        "De Jong Gierveld, J., & Van Tilburg, T. G. (2008)"
    )
    assert frame.loc["eenzaam_zelf", "bron"].startswith("VNG, Burgerpeiling")
    assert frame.loc["respondent_id", "bron"] == ""
