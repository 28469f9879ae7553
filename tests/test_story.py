"""The workshop story: built from a Leeuwarden wijk's figures, shaped, saved and loaded again."""

import json

import pandas as pd
import pytest

from analysis.catalogue import Source, load_catalogue
from analysis.survey import example as example_survey
from analysis.survey import pipeline as survey_pipeline
from analysis.workshop.story import (
    CHART_FONT,
    CLOSING,
    CLOSING_QUESTION,
    OPENING,
    OPENING_QUESTION,
    TEXT,
    Slide,
    Story,
    StoryFileError,
    add_text_slide,
    apply_saved,
    build_story,
    move,
    read_saved,
    remove_text_slide,
    set_question,
    skip,
    slide_figure,
    story_to_json,
    unskip,
)
from data.snapshot import load_snapshot

NBSP = "\u00a0"
GEMEENTE = "GM0080"
VRIJHEIDSWIJK = "WK008061"
BINNENSTAD = "WK008010"
CATALOGUE = load_catalogue()
EXAMPLE_SOURCE = Source(
    "enquete",
    "Fictief voorbeeld van een eigen enquête (geen echte antwoorden)",
    "gemeente",
    "eigen enquête",
    "Bron: fictief voorbeeld, gemaakt door het dashboard",
    "",
    "voorbeeld_enquete_fictief.csv",
    2026,
    2025,
)

#: Slides of Vrijheidswijk without a survey, in story order.
SNAPSHOT_ONLY = [
    "opening",
    "bewoners",
    "huishoudens",
    "eenzaamheid",
    "rondkomen",
    "gezondheid",
    "afstand",
    "sferen",
    "persoonlijk",
    "gemeenschappelijk",
    "vitaal",
    "vitaal_buitenruimte",
    "vitaal_wonen",
    "vitaal_meedoen",
    "vitaal_erbij_horen",
    "vitaal_inzet",
    "vitaal_zorg",
    "closing",
]


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def survey(snap):
    """Return (estimates, catalogue with survey indicators) of Leeuwarden's fictitious survey."""
    regions = survey_pipeline.survey_regions(snap.regions, GEMEENTE)
    rivm = survey_pipeline.rivm_reference(snap.values, regions["code"])
    frame = example_survey.generate_example(rivm, regions, gemeente_code=GEMEENTE)
    result = survey_pipeline.analyse_survey(
        frame, regions, gemeente_code=GEMEENTE, file_name="voorbeeld.csv", rivm=rivm
    )
    return result.estimates, CATALOGUE.with_survey(result.indicators, EXAMPLE_SOURCE)


@pytest.fixture(scope="module")
def plain(snap):
    """Vrijheidswijk's story from the snapshot alone."""
    return build_story(
        snap.values, snap.regions, CATALOGUE, code=VRIJHEIDSWIJK, gemeente_code=GEMEENTE
    )


@pytest.fixture(scope="module")
def with_survey(snap, survey):
    estimates, catalogue = survey
    return build_story(
        snap.values,
        snap.regions,
        catalogue,
        code=VRIJHEIDSWIJK,
        gemeente_code=GEMEENTE,
        survey=estimates,
        fictitious=True,
    )


def plain_text(text: str) -> str:
    return text.replace(NBSP, " ")


# --- Built from the figures -----------------------------------------------------------------


def test_story_runs_from_the_opening_question_to_the_closing_question(plain):
    assert [s.id for s in plain.slides] == SNAPSHOT_ONLY
    assert plain.slides[0].kind == OPENING and plain.slides[0].question == OPENING_QUESTION
    assert plain.slides[-1].kind == CLOSING and plain.slides[-1].question == CLOSING_QUESTION
    assert (plain.area_name, plain.gemeente_name) == ("Vrijheidswijk", "Leeuwarden")
    assert all(s.question for s in plain.slides)  # every slide ends with a question


# Values in the snapshot: eenzaam 55,0 / 45,7 / 47,0 (RIVM 2020, 18+); 65+: 52,9 / 45,5;
# moeite_rondkomen 23,4 / 15,6; ervaren_gezondheid 70,9 / 79,6; afstand_huisarts 1,6 / 1,4;
# pct_0_14 17,17 / 14,15; pct_eenpersoonshuishoudens 52,48 / 48,96 (3,5 points, 7 %: small).
@pytest.mark.parametrize(
    ("slide_id", "message"),
    [
        (
            "eenzaamheid",
            "In Vrijheidswijk voelen naar schatting meer mensen zich eenzaam dan gemiddeld in "
            "Leeuwarden: 55 % tegen 46 %.",
        ),
        (
            "rondkomen",
            "In Vrijheidswijk hebben naar schatting meer mensen moeite om rond te komen dan "
            "gemiddeld in Leeuwarden: 23 % tegen 16 %.",
        ),
        (
            "gezondheid",
            "In Vrijheidswijk noemen naar schatting minder mensen hun gezondheid goed dan "
            "gemiddeld in Leeuwarden: 71 % tegen 80 %.",
        ),
        (
            "afstand",
            "In Vrijheidswijk is de huisarts verder weg dan gemiddeld in Leeuwarden: "
            "1,6 km tegen 1,4 km.",
        ),
        (
            "bewoners",
            "In Vrijheidswijk wonen meer kinderen dan gemiddeld in Leeuwarden: "
            "17,2 % tegen 14,1 %.",
        ),
        (
            "huishoudens",
            "Eenpersoonshuishoudens in Vrijheidswijk: 52,5 %, in heel Leeuwarden: 49,0 %. "
            "Het verschil is klein.",
        ),
        (
            "vitaal_meedoen",
            "In Vrijheidswijk voelen naar schatting meer mensen zich eenzaam dan gemiddeld in "
            "Leeuwarden (bij 65-plussers): 53 % tegen 46 %.",
        ),
    ],
)
def test_message_is_made_from_the_numbers_in_dutch_format(plain, slide_id, message):
    assert plain_text(plain.slide(slide_id).message) == message


@pytest.mark.parametrize(
    ("slide_id", "bars"),
    [
        ("eenzaamheid", [("Eenzaam", 55.0, 46.0, 47.0), ("Ernstig eenzaam", 15.0, 10.0, 11.0)]),
        (
            "vitaal_meedoen",
            [("Eenzaam, 65+", 53.0, 46.0, 50.0), ("Sociaal eenzaam, 65+", 34.0, 29.0, 33.0)],
        ),
        (
            "bewoners",
            # The country: KWB 2024, the newest it has (issue 10).
            [("Inwoners van 65 jaar of ouder", 21.3, 19.8, 20.5), ("Kinderen", 17.2, 14.1, 15.1)],
        ),
    ],
)
def test_every_data_slide_compares_with_the_gemeente(plain, slide_id, bars):
    slide = plain.slide(slide_id)
    assert [(b.label, b.value, b.gemeente, b.nederland) for b in slide.bars] == bars


def test_counts_and_other_units_are_said_in_words_not_drawn(plain):
    assert plain_text(plain.slide("bewoners").context) == (
        "Aantal inwoners: 3.640 (heel Leeuwarden: 129.973)"
    )
    zorg = plain.slide("vitaal_zorg")
    assert (
        plain_text(zorg.context)
        == "Afstand tot huisartsenpraktijk: 1,6 km (heel Leeuwarden: 1,4 km)"
    )
    assert zorg.indicators == ("ervaren_gezondheid", "langdurige_aandoening")


def test_captions_name_source_year_and_kind(plain):
    caption = plain.slide("eenzaamheid").caption
    assert caption.startswith("Bron: RIVM/CBS, GGD'en (Gezondheidsmonitor Volwassenen en Ouderen)")
    assert "cijfers over 2020" in caption
    assert "Modelschatting (RIVM): een schatting, geen meting per wijk." in caption
    assert plain.slide("bewoners").caption == (
        "Bron: CBS, Kerncijfers wijken en buurten 2025; cijfers over 2025. Gebiedsindeling 2025. "
        "Nederland: cijfer van 2024, het nieuwste landelijke in deze gegevens."
    )
    assert "Schattingen voor 65-plussers." in plain.slide("vitaal_inzet").caption


def test_slides_without_figures_are_left_out_with_a_note(plain):
    assert [n.text for n in plain.skipped_notes] == [
        "Eenzaamheid (eigen enquête): geen eigen enquête geladen.",
        "Rondkomen (eigen enquête): geen eigen enquête geladen.",
        "Welke voorzieningen gebruiken mensen? (eigen enquête): geen eigen enquête geladen.",
        "Institutioneel: wijkteam en buurthuis: geen eigen enquête geladen.",
        "Vitaal ouder worden, domein 2 (vervoer): geen cijfers.",
        "Vitaal ouder worden, domein 7 (communicatie en informatie): geen cijfers.",
        "75-plussers: geen cijfers per wijk in de gegevens (de catalogus heeft alleen het "
        "aandeel 65-plussers); het verhaal toont 65+.",
    ]
    assert plain_text(plain.slide("vitaal").message) == (
        "Cijfers hebben we over: 1. buitenruimte en gebouwen, 3. wonen, 4. sociale participatie, "
        "5. respect en erbij horen, 6. burgerparticipatie en werk, 8. zorg en welzijn. "
        "Geen cijfers over: 2. vervoer, 7. communicatie en informatie."
    )


def test_survey_slides_are_measured_labelled_and_fictitious(with_survey):
    ids = [s.id for s in with_survey.slides]
    for slide_id in ("eenzaamheid_enquete", "rondkomen_enquete", "gebruik", "institutioneel"):
        assert slide_id in ids
    slide = with_survey.slide("eenzaamheid_enquete")
    assert slide.fictitious
    assert "volgens de enquête" in slide.message and "(n = 112)" in plain_text(slide.message)
    assert "fictief voorbeeld" in slide.caption
    assert all(b.kind == "eigen enquête" and b.ci_low is not None for b in slide.bars)
    # RIVM and survey are never pooled: a RIVM slide holds no survey bar, and on a mixed slide
    # each bar keeps its kind in its label.
    assert {b.kind for b in with_survey.slide("eenzaamheid").bars} == {"modelschatting"}
    assert not with_survey.slide("eenzaamheid").fictitious
    labels = [b.label for b in with_survey.slide("persoonlijk").bars]
    assert labels == [
        "Mantelzorgers (RIVM-schatting)",
        "Geeft mantelzorg (eigen enquête)",
        "Sociaal eenzaam (RIVM-schatting)",
    ]


def test_survey_total_may_be_named_totaal_or_by_the_gemeente_code(snap, survey, with_survey):
    estimates, catalogue = survey
    renamed = estimates.assign(area=estimates["area"].replace({"totaal": GEMEENTE}))
    story = build_story(
        snap.values,
        snap.regions,
        catalogue,
        code=VRIJHEIDSWIJK,
        gemeente_code=GEMEENTE,
        survey=renamed,
        fictitious=True,
    )
    assert story == with_survey


def test_suppressed_survey_figures_leave_their_slides_out(snap, survey):
    estimates, catalogue = survey
    story = build_story(
        snap.values,
        snap.regions,
        catalogue,
        code=BINNENSTAD,
        gemeente_code=GEMEENTE,
        survey=estimates,
        fictitious=True,
    )
    notes = {n.slide_id: n.reason for n in story.skipped_notes}
    assert notes["eenzaamheid_enquete"] == "te weinig antwoorden in de enquête voor deze wijk"
    assert "eenzaamheid_enquete" not in [s.id for s in story.slides]
    # A mixed slide keeps its RIVM bars, and then shows nothing fictitious.
    assert [b.kind for b in story.slide("persoonlijk").bars] == ["modelschatting"] * 2
    assert not story.slide("persoonlijk").fictitious


def values(*rows):
    return pd.DataFrame(rows, columns=["indicator", "code", "period", "age", "source", "value"])


def regions(name_2020: str) -> pd.DataFrame:
    """Return a gemeente with one wijk, named ``name_2020`` in 2020 and "Noord" in 2025."""
    return pd.DataFrame(
        {
            "code": ["GM0001", "WK000101", "WK000101"],
            "name": ["Stad", name_2020, "Noord"],
            "level": ["gemeente", "wijk", "wijk"],
            "gemeente_code": ["GM0001"] * 3,
            "gemeente_name": ["Stad"] * 3,
            "indeling": [2025, 2020, 2025],
        }
    )


@pytest.mark.parametrize(
    ("rows", "notes"),
    [
        (  # no gemeente figure: nothing to compare with
            [("eenzaam", "WK000101", 2020, "18+", "50090NED", 50.0)],
            {"eenzaamheid": "geen cijfer van de gemeente om mee te vergelijken"},
        ),
        (  # the wijk has no figure
            [("eenzaam", "GM0001", 2020, "18+", "50090NED", 40.0)],
            {"eenzaamheid": "geen cijfers voor deze wijk"},
        ),
    ],
)
def test_a_slide_needs_both_wijk_and_gemeente(rows, notes):
    story = build_story(
        values(*rows), regions("Noord"), CATALOGUE, code="WK000101", gemeente_code="GM0001"
    )
    assert "eenzaamheid" not in [s.id for s in story.slides]
    reasons = {n.slide_id: n.reason for n in story.skipped_notes}
    assert {k: reasons[k] for k in notes} == notes


def test_figures_of_an_indeling_where_the_code_meant_another_area_are_left_out():
    # WK000101 was "Oud-Noord" in 2020 and is "Noord" in 2025: RIVM 2020 is about another area.
    rows = values(
        ("eenzaam", "WK000101", 2020, "18+", "50090NED", 50.0),
        ("eenzaam", "GM0001", 2020, "18+", "50090NED", 40.0),
        ("pct_65plus", "WK000101", 2025, "alle leeftijden", "86165NED", 30.0),
        ("pct_65plus", "GM0001", 2025, "alle leeftijden", "86165NED", 20.0),
    )
    story = build_story(
        rows, regions("Oud-Noord"), CATALOGUE, code="WK000101", gemeente_code="GM0001"
    )
    assert [s.id for s in story.slides] == ["opening", "bewoners", "closing"]
    assert "waarschijnlijk een ander gebied" in story.warnings[0]


# --- The facilitator's changes ------------------------------------------------------------


def tiny(*ids: str) -> Story:
    """Return a story of text slides with these ids (question = default = "V <id>")."""
    return Story(
        "GM0001",
        "WK000101",
        tuple(Slide(i, TEXT, "", i.upper(), "", f"V {i}", default_question=f"V {i}") for i in ids),
        area_name="Noord",
    )


@pytest.mark.parametrize(
    ("change", "order", "shown"),
    [
        (lambda s: move(s, "a", 2), "bca", "bca"),
        (lambda s: move(s, "c", 0), "cab", "cab"),
        (lambda s: move(s, "b", 1), "abc", "abc"),
        (lambda s: skip(s, "b"), "abc", "ac"),
        (lambda s: unskip(skip(s, "b"), "b"), "abc", "abc"),
        (lambda s: move(skip(s, "a"), "a", 2), "bca", "bc"),
    ],
)
def test_order_and_skips(change, order, shown):
    story = change(tiny("a", "b", "c"))
    assert "".join(s.id for s in story.slides) == order
    assert "".join(s.id for s in story.shown()) == shown


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Wat ziet u?", "Wat ziet u?"), ("  twee   spaties ", "twee spaties"), ("   ", "V b")],
)
def test_set_question(question, expected):
    story = set_question(tiny("a", "b"), "b", question)
    assert story.slide("b").question == expected
    assert story.slide("a").question == "V a"


@pytest.mark.parametrize(
    ("after", "order"),
    [
        ("opening", ["opening", "tekst-1", "x", "closing"]),
        (None, ["opening", "x", "tekst-1", "closing"]),
    ],
)
def test_add_text_slide(after, order):
    base = Story(
        "GM1",
        "WK1",
        (
            Slide("opening", OPENING, "", "O", "", ""),
            Slide("x", TEXT, "", "X", "", ""),
            Slide("closing", CLOSING, "", "C", "", ""),
        ),
    )
    story = add_text_slide(base, " Pauze ", "Koffie staat klaar.", after=after)
    assert [s.id for s in story.slides] == order
    added = story.slide("tekst-1")
    assert (added.title, added.message, added.kind, added.custom) == (
        "Pauze",
        "Koffie staat klaar.",
        TEXT,
        True,
    )
    assert [s.id for s in add_text_slide(story, "Twee", "").slides].count("tekst-2") == 1
    assert [s.id for s in remove_text_slide(story, "tekst-1").slides] == [s.id for s in base.slides]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda s: move(s, "z", 0), KeyError, "Dia 'z' staat niet in het verhaal; wel: a, b"),
        (
            lambda s: move(s, "a", 2),
            ValueError,
            "Plaats 2 voor dia 'a' bestaat niet (verwacht 0 tot en met 1)",
        ),
        (lambda s: skip(s, "z"), KeyError, "Dia 'z' staat niet in het verhaal; wel: a, b"),
        (
            lambda s: add_text_slide(s, "  ", "tekst"),
            ValueError,
            "Een tekstdia heeft een titel nodig; de titel is leeg",
        ),
        (
            lambda s: remove_text_slide(s, "a"),
            ValueError,
            "Dia 'a' komt uit de cijfers en kan niet weg; zet 'Tonen' uit om hem over te slaan",
        ),
    ],
)
def test_changes_that_cannot_be_made_say_why_in_dutch(change, error, message):
    with pytest.raises(error) as caught:
        change(tiny("a", "b"))
    assert caught.value.args[0] == message


def test_changes_return_a_new_story_and_leave_the_old_one(plain):
    moved = move(plain, "closing", 0)
    assert plain.slides[0].id == "opening" and moved.slides[0].id == "closing"


# --- Saving and loading -------------------------------------------------------------------


def edited(story: Story) -> Story:
    story = move(story, "bewoners", 2)
    story = skip(story, "gezondheid")
    story = set_question(story, "afstand", "Waar gaat u met de bus naartoe?")
    return add_text_slide(story, "Pauze", "Koffie.", after="opening")


def test_saved_file_is_small_and_holds_no_figures(plain):
    text = story_to_json(edited(plain))
    doc = json.loads(text)
    assert len(text) < 1000
    assert doc["format"] == "sociale-basis-werkplaats" and doc["version"] == 1
    assert doc["skipped"] == ["gezondheid"]
    assert doc["questions"] == {"afstand": "Waar gaat u met de bus naartoe?"}
    assert doc["text_slides"] == [{"id": "tekst-1", "title": "Pauze", "text": "Koffie."}]
    assert "55" not in text and "Vrijheidswijk" not in text  # no figures, no names


def test_round_trip_gives_the_same_story(plain):
    story = edited(plain)
    assert apply_saved(plain, story_to_json(story)) == story


def test_saved_story_applies_to_another_wijk(snap, survey, with_survey):
    estimates, catalogue = survey
    saved = story_to_json(edited(with_survey))
    binnenstad = build_story(
        snap.values,
        snap.regions,
        catalogue,
        code=BINNENSTAD,
        gemeente_code=GEMEENTE,
        survey=estimates,
        fictitious=True,
    )
    loaded = apply_saved(binnenstad, saved, file_name="vrijheidswijk.json")
    ids = [s.id for s in loaded.slides]
    assert ids[:4] == ["opening", "tekst-1", "huishoudens", "bewoners"]
    assert loaded.slide("gezondheid").skipped
    assert loaded.slide("afstand").question == "Waar gaat u met de bus naartoe?"
    assert loaded.slide("bewoners").message.startswith("In Binnenstad")  # its own figures
    assert loaded.load_notes == (
        "Dia 'Eenzaamheid (eigen enquête)' uit vrijheidswijk.json ontbreekt voor Binnenstad: "
        "te weinig antwoorden in de enquête voor deze wijk.",
        "Dia 'Rondkomen (eigen enquête)' uit vrijheidswijk.json ontbreekt voor Binnenstad: "
        "te weinig antwoorden in de enquête voor deze wijk.",
        "Dia 'Welke voorzieningen gebruiken mensen? (eigen enquête)' uit vrijheidswijk.json "
        "ontbreekt voor Binnenstad: te weinig antwoorden in de enquête voor deze wijk.",
        "Dia 'Institutioneel: wijkteam en buurthuis' uit vrijheidswijk.json ontbreekt voor "
        "Binnenstad: te weinig antwoorden in de enquête voor deze wijk.",
    )


def test_slides_the_file_does_not_name_keep_their_place():
    saved = story_to_json(tiny("a", "c"))
    loaded = apply_saved(tiny("a", "b", "c"), saved)
    assert [s.id for s in loaded.slides] == ["a", "b", "c"]
    assert loaded.load_notes == ()


GOOD = {"format": "sociale-basis-werkplaats", "version": 1, "order": ["a"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{niet json",
            "v.json, regel 1, kolom 2: geen geldige JSON (Expecting property name enclosed in "
            "double quotes); verwacht een bestand dat met 'Verhaal opslaan' is gemaakt",
        ),
        (
            "[1, 2]",
            "v.json: de inhoud is een lijst, verwacht een object met 'format': "
            "'sociale-basis-werkplaats'",
        ),
        (
            json.dumps({**GOOD, "format": "enquete"}),
            "v.json, veld 'format': 'enquete' is geen werkplaats-verhaal "
            "(verwacht 'sociale-basis-werkplaats')",
        ),
        (
            json.dumps({**GOOD, "version": 2}),
            "v.json, veld 'version': 2 kan deze versie niet lezen (verwacht 1)",
        ),
        (
            json.dumps({**GOOD, "order": "a,b"}),
            "v.json, veld 'order': 'a,b' is geen lijst (verwacht een lijst van dia-id's)",
        ),
        (
            json.dumps({**GOOD, "order": ["a", 7]}),
            "v.json, veld 'order', plaats 2: 7 is geen dia-id (verwacht tekst)",
        ),
        (
            json.dumps({**GOOD, "questions": {"a": 3}}),
            "v.json, veld 'questions': {'a': 3} is geen lijst van vragen per dia "
            '(verwacht {"dia-id": "vraag"})',
        ),
        (
            json.dumps({**GOOD, "text_slides": [{"id": "tekst-1", "title": None, "text": ""}]}),
            "v.json, veld 'text_slides', dia 1, 'title': None (verwacht tekst)",
        ),
        (
            json.dumps({**GOOD, "text_slides": [{"id": "opening", "title": "T", "text": ""}]}),
            "v.json, veld 'text_slides', dia 1, 'id': 'opening' (verwacht een id die begint met "
            "'tekst-')",
        ),
        (
            b"\xff\xfe{}",
            "v.json: byte 1 is geen UTF-8-tekst (verwacht een JSON-bestand dat met 'Verhaal "
            "opslaan' is gemaakt)",
        ),
        (
            b" " * 100_001,
            "v.json: 100 kB is te groot voor een verhaalbestand (verwacht hooguit 100 kB)",
        ),
    ],
)
def test_a_bad_file_gives_a_dutch_error_naming_file_field_and_value(content, message):
    with pytest.raises(StoryFileError) as caught:
        read_saved(content, file_name="v.json")
    assert str(caught.value) == message


# --- The one visual -----------------------------------------------------------------------


def test_slide_figure_is_large_labelled_in_dutch_and_compares(plain):
    fig = slide_figure(plain.slide("afstand"), area="Vrijheidswijk", gemeente="Leeuwarden")
    assert [t.name for t in fig.data] == ["Vrijheidswijk", "heel Leeuwarden"]
    assert [plain_text(x) for x in fig.data[0].text] == ["1,6 km", "0,5 km", "0,9 km"]
    assert [plain_text(x) for x in fig.data[1].text] == ["1,4 km", "0,9 km", "0,8 km"]
    assert fig.layout.height == 600
    assert fig.layout.yaxis.tickfont.size >= 24
    assert fig.layout.legend.font.size >= 24
    assert all(t.textfont.size >= 24 for t in fig.data)
    assert CHART_FONT["tick"] >= 24


def test_survey_bars_carry_their_interval(with_survey):
    slide = with_survey.slide("eenzaamheid_enquete")
    fig = slide_figure(slide, area="Vrijheidswijk", gemeente="Leeuwarden")
    wijk = fig.data[0]
    first = slide.bars[0]
    assert wijk.error_x.array[0] == pytest.approx(first.ci_high - first.value)
    assert wijk.error_x.arrayminus[0] == pytest.approx(first.value - first.ci_low)
    assert fig.data[1].error_x.array is None  # the gemeente bar has none


def test_a_text_slide_has_no_figure(plain):
    with pytest.raises(ValueError, match="Dia 'sferen' is een text-dia zonder cijfers"):
        slide_figure(plain.slide("sferen"), area="Vrijheidswijk", gemeente="Leeuwarden")


def test_a_country_figure_of_another_year_says_its_year(plain):
    # Leeuwarden has KWB 2025; the country only KWB 2024 (85984NED): the slide must not let
    # the 2024 country figure pass as one of 2025 (issue 10).
    slide = plain.slide("bewoners")
    assert {(b.period, b.nederland_period) for b in slide.bars} == {(2025, 2024)}
    fig = slide_figure(slide, area="Vrijheidswijk", gemeente="Leeuwarden")
    assert [t.name for t in fig.data] == ["Vrijheidswijk", "heel Leeuwarden", "Nederland (2024)"]
    assert [plain_text(x) for x in fig.data[2].text] == ["20,5 %", "15,1 %"]
    assert "Nederland: cijfer van 2024, het nieuwste landelijke in deze gegevens." in slide.caption
    # RIVM 2020 has a country figure of its own year: no year is added.
    same = plain.slide("eenzaamheid")
    assert slide_figure(same, area="Vrijheidswijk", gemeente="Leeuwarden").data[2].name == (
        "Nederland"
    )
    assert "Nederland: cijfer van" not in same.caption
