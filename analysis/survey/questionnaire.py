"""The questionnaire users can field themselves: wording, answer codes, sources, empty data file.

The column names and codes here are the canonical survey schema: a data file filled in from
`empty_data_file` imports with no mapping step. The wording of the De Jong Gierveld items is the
standard Dutch wording; do not edit it, or results stop being comparable with the GGD
Gezondheidsmonitor and the RIVM wijk estimates.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pandas as pd

from analysis.survey import scales as scale_module
from analysis.survey.instrument import (
    BLOCKS,
    DEFAULT_VOORZIENINGEN,
    DJG11_ORDER,
    DJG_WORDING,
    GEBRUIK,
    HOE_VAAK,
    ID_COLUMNS,
    JA_MIN_NEE,
    JA_NEE,
    MOEITE,
    VOORZIENINGEN,
    Answer,
)

if TYPE_CHECKING:
    from fpdf import FPDF

#: Version date of the questionnaire text; also the fixed creation date of the PDF and the
#: workbook, so the same voorzieningen always give the same bytes.
VERSION_DATE = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)

Codes = tuple[tuple[int, str], ...]


def answer_codes(answers: Sequence[Answer]) -> Codes:
    """Return an answer set as ``((code, label), ...)`` in code order, as printed.

    Examples
    --------
    >>> answer_codes(JA_NEE)
    ((1, 'ja'), (2, 'nee'))
    """
    return tuple((a.code, a.label) for a in sorted(answers, key=lambda a: a.code))


# The printed answer codes, derived from the scored answer sets (`instrument`).
DJG_ANSWERS: Codes = answer_codes(JA_MIN_NEE)
EENZAAM_ZELF_ANSWERS: Codes = answer_codes(HOE_VAAK)
RONDKOMEN_ANSWERS: Codes = answer_codes(MOEITE)
VOORZIENING_ANSWERS: Codes = answer_codes(GEBRUIK)
JA_NEE_CODES: Codes = answer_codes(JA_NEE)

#: The De Jong Gierveld 11-item scale in its standard order: (wording, subscale).
DJG11_ITEMS: tuple[tuple[str, str], ...] = tuple(
    (DJG_WORDING[key], subscale) for key, subscale in DJG11_ORDER
)

#: How a default voorziening is named to respondents; any other is shown by its own name.
VOORZIENING_LABELS = {v.name: v.label for v in VOORZIENINGEN}

#: How to use the De Jong Gierveld scale. Careful wording: the manual sets the conditions, we
#: only point to them (no licence terms of our own).
DJG_USE_NOTE = (
    "De eenzaamheidsschaal van De Jong Gierveld is door de auteurs beschikbaar gesteld voor "
    "(niet-commercieel) onderzoek, op voorwaarde dat de bron wordt vermeld; de voorwaarden staan "
    "in de handleiding (De Jong Gierveld & Van Tilburg, 1999). Vermeld de bron bij elke "
    "publicatie van de uitkomsten. Neem de uitspraken, de volgorde en de antwoorden letterlijk "
    "over: alleen dan zijn de uitkomsten te vergelijken met de Gezondheidsmonitor en de "
    "RIVM-schattingen per wijk."
)

SCORING_NOTE = (
    "Scoring (ter informatie; het dashboard rekent dit zelf uit): bij elke uitspraak telt "
    "'min of meer' mee als eenzaam antwoord; bij de positief geformuleerde uitspraken (sociaal) "
    "telt ook 'nee' mee, bij de negatief geformuleerde (emotioneel) ook 'ja'. Op de 11-item "
    "schaal is een score van 3 of hoger 'eenzaam' en 9 of hoger 'ernstig eenzaam' (cesuur van "
    "Van Tilburg & De Jong Gierveld, 1999). Op de 6-item schaal is 2 of hoger 'eenzaam' en "
    "5 of hoger 'ernstig eenzaam' (handleiding)."
)

INTRO = (
    "Deze vragenlijst gaat over hoe het met u gaat in uw wijk: over contact met anderen, over "
    "rondkomen en over voorzieningen in de buurt. Invullen duurt ongeveer 5 minuten. Er zijn geen "
    "goede of foute antwoorden. Meedoen is vrijwillig en u mag een vraag overslaan. Uw antwoorden "
    "worden alleen gebruikt voor cijfers per wijk; niemand ziet wat u persoonlijk hebt ingevuld.\n"
    "Deze vragenlijst wordt uitgezet door [naam organisatie]. Vragen? Neem contact op met "
    "[naam en telefoonnummer of e-mailadres]."
)

RESEARCHER_NOTES = (
    "Zet de antwoorden in het lege gegevensbestand (CSV of Excel): een rij per ingevulde "
    "vragenlijst, een kolom per vraag, met de kolomnamen en codes hieronder. Het dashboard leest "
    "zo'n bestand zonder omzetten. De antwoordtekst ('ja', 'min of meer', 'nee') in plaats van "
    "de code mag ook.",
    "Gebruik voor eenzaamheid de 11-item schaal of de verkorte 6-item schaal, niet allebei; "
    "laat de kolommen van de andere schaal leeg.",
    "Postcode en leeftijd samen kunnen een antwoord herleidbaar maken. Deel het ruwe bestand "
    "niet en zet er geen namen, adressen of BSN in.",
)

ColumnFormat = Literal["csv", "xlsx"]

_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Question:
    """One column of the data file: the question or item as printed, and its answer codes."""

    column: str
    text: str
    codes: Codes = ()
    hint: str = ""
    subscale: str = ""
    label: str = ""

    @property
    def variable_label(self) -> str:
        """Return the stand-alone label for a codebook or an SPSS variable label."""
        return self.label or self.text


@dataclass(frozen=True)
class Block:
    """Questions shown together under one title, with their instruction and source."""

    key: str
    title: str
    questions: tuple[Question, ...]
    instruction: str = ""
    source: str = ""
    for_researcher: bool = False
    alternative_to: str = ""

    @property
    def is_matrix(self) -> bool:
        """Return whether the questions share one set of codes and no hints (printed as a grid)."""
        return len(self.questions) > 1 and all(
            q.codes and q.codes == self.questions[0].codes and not q.hint for q in self.questions
        )


def validate_voorzieningen(voorzieningen: Sequence[str]) -> tuple[str, ...]:
    """Return the voorzieningen as a tuple, or fail naming the name that is not a column suffix.

    Examples
    --------
    >>> validate_voorzieningen(["buurthuis", "moskee"])
    ('buurthuis', 'moskee')
    """
    names = tuple(voorzieningen)
    if not names:
        raise ValueError("Geen voorzieningen opgegeven; verwacht minstens een, zoals 'buurthuis'")
    for name in names:
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ValueError(
                f"Voorziening {name!r} is geen geldige kolomnaam: gebruik kleine letters, cijfers "
                f"en _, beginnend met een letter (bijvoorbeeld 'buurthuis')"
            )
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"Voorziening {name!r} staat twee keer in de lijst")
        seen.add(name)
    return names


def canonical_columns(voorzieningen: Sequence[str] = DEFAULT_VOORZIENINGEN) -> tuple[str, ...]:
    """Return the column names of the survey data file, in their canonical order.

    Parameters
    ----------
    voorzieningen : sequence of str
        Names of the voorzieningen; each gives a column ``vz_<naam>``.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> cols = canonical_columns(("buurthuis",))
    >>> cols[:5], cols[-4:]
    (('respondent_id', 'gebied', 'postcode', 'gewicht', 'leeftijd'), \
('rondkomen', 'vz_buurthuis', 'mantelzorg', 'vrijwilligerswerk'))
    """
    names = validate_voorzieningen(voorzieningen)
    return (*ID_COLUMNS, *(q.column for b in _scored_blocks(names) for q in b.questions))


def _scored_blocks(names: tuple[str, ...]) -> tuple[Block, ...]:
    """Return the blocks of scored questions, built from the scales (`scales.all_scales`)."""
    chosen = scale_module.all_scales(voorzieningen=names)
    out = []
    for info in BLOCKS:
        questions = tuple(
            Question(
                column=item.column,
                text=item.printed or item.wording,
                codes=answer_codes(item.answers),
                hint=item.hint,
                subscale=item.subscale,
                label=item.label,
            )
            for scale in chosen
            if scale.block == info.key
            for item in scale.items
        )
        if questions:
            out.append(
                Block(
                    key=info.key,
                    title=info.title,
                    questions=questions,
                    instruction=info.instruction,
                    source=info.source,
                    alternative_to=info.alternative_to,
                )
            )
    return tuple(out)


def questionnaire_blocks(
    voorzieningen: Sequence[str] = DEFAULT_VOORZIENINGEN,
) -> tuple[Block, ...]:
    """Return the questionnaire as blocks, in the order a respondent sees them.

    The last block holds the columns the researcher fills in (respondent number, weight).

    Examples
    --------
    >>> [b.key for b in questionnaire_blocks()]
    ['over_u', 'djg11', 'djg6', 'eenzaam_zelf', 'rondkomen', 'voorzieningen', 'meedoen', \
'onderzoeker']
    """
    names = validate_voorzieningen(voorzieningen)
    return (
        Block(
            key="over_u",
            title="Over u",
            questions=(
                Question(
                    column="gebied",
                    text="In welke wijk woont u?",
                    hint="Vul de naam of de code van uw wijk in, zoals die op de wijkkaart van "
                    "de gemeente staat (bijvoorbeeld 'Binnenstad' of 'WK036301').",
                ),
                Question(
                    column="postcode",
                    text="Wat is uw postcode?",
                    hint="Bijvoorbeeld 1234 AB. Alleen nodig als u uw wijk niet weet.",
                ),
                Question(column="leeftijd", text="Wat is uw leeftijd?", hint="Leeftijd in jaren."),
            ),
        ),
        *_scored_blocks(names),
        Block(
            key="onderzoeker",
            title="In te vullen door de onderzoeker",
            questions=(
                Question(
                    column="respondent_id",
                    text="Respondentnummer",
                    hint="Uniek nummer of code per ingevulde vragenlijst; geen naam, "
                    "e-mailadres of BSN.",
                ),
                Question(
                    column="gewicht",
                    text="Weegfactor",
                    hint="Optioneel; groter dan 0. Leeg laten: iedereen telt even zwaar.",
                ),
            ),
            for_researcher=True,
        ),
    )


def codebook(voorzieningen: Sequence[str] = DEFAULT_VOORZIENINGEN) -> tuple[Question, ...]:
    """Return one `Question` per data-file column, in canonical column order.

    Examples
    --------
    >>> q = codebook()[7]
    >>> q.column, q.text, q.codes[1]
    ('djg11_3', 'Ik ervaar een leegte om me heen.', (2, 'min of meer'))
    """
    by_column = {q.column: q for b in questionnaire_blocks(voorzieningen) for q in b.questions}
    return tuple(by_column[c] for c in canonical_columns(voorzieningen))


def codes_text(codes: Codes, sep: str = " · ") -> str:
    """Return answer codes as ``1 = ja · 2 = nee`` (empty for an open question).

    Examples
    --------
    >>> codes_text(((1, "ja"), (2, "nee")))
    '1 = ja · 2 = nee'
    """
    return sep.join(f"{code} = {label}" for code, label in codes)


def codebook_frame(voorzieningen: Sequence[str] = DEFAULT_VOORZIENINGEN) -> pd.DataFrame:
    """Return the codebook as a table: kolom, vraag, codes, toelichting, bron.

    Examples
    --------
    >>> frame = codebook_frame()
    >>> frame.loc[frame["kolom"] == "mantelzorg", "codes"].item()
    '1 = ja; 2 = nee'
    """
    source_of = {
        q.column: b.source for b in questionnaire_blocks(voorzieningen) for q in b.questions
    }
    rows = [
        {
            "kolom": q.column,
            "vraag": q.variable_label,
            "codes": codes_text(q.codes, "; ") if q.codes else "open antwoord",
            "toelichting": q.hint,
            "bron": source_of[q.column],
        }
        for q in codebook(voorzieningen)
    ]
    return pd.DataFrame(rows, columns=["kolom", "vraag", "codes", "toelichting", "bron"])


def questionnaire_markdown(voorzieningen: Sequence[str] = DEFAULT_VOORZIENINGEN) -> str:
    """Return the questionnaire as a Markdown document, with codes, sources and notes.

    Parameters
    ----------
    voorzieningen : sequence of str
        The voorzieningen asked about.

    Returns
    -------
    str
        Intro, one section per block (each question with its column and answer codes), then a
        section for the researcher with the codebook notes, the sources and how to use the
        De Jong Gierveld scale.

    Examples
    --------
    >>> text = questionnaire_markdown(("buurthuis",))
    >>> "Ik ervaar een leegte om me heen." in text and "vz_buurthuis" in text
    True
    """
    blocks = questionnaire_blocks(voorzieningen)
    lines = [
        "# Vragenlijst: contact, rondkomen en voorzieningen in de wijk",
        "",
        f"_Versie {VERSION_DATE:%Y-%m-%d}. Kolomnamen en codes volgen het gegevensbestand van "
        "het Sociale Basis Dashboard._",
        "",
        *_paragraphs(INTRO),
    ]
    number = 0
    for block in blocks:
        if block.for_researcher:
            continue
        if not block.alternative_to:
            number += 1
        title = f"Deel {number}. {block.title}"
        if block.alternative_to:
            title = f"Deel {number} (alternatief). {block.title}"
        lines += ["", f"## {title}", ""]
        if block.alternative_to:
            lines += [
                "_Gebruik dit blok in plaats van het vorige (11 uitspraken), niet allebei._",
                "",
            ]
        if block.instruction:
            lines += [block.instruction, ""]
        for i, question in enumerate(block.questions, start=1):
            lines += _question_markdown(question, i if len(block.questions) > 1 else None)
        if block.source:
            lines += [f"_Bron: {block.source}_", ""]
    lines += ["", "## Voor de onderzoeker", ""]
    lines += [f"- {note}" for note in RESEARCHER_NOTES]
    lines += ["", "### Kolommen en codes", ""]
    lines += ["| kolom | vraag | codes |", "| --- | --- | --- |"]
    for question in codebook(voorzieningen):
        codes = codes_text(question.codes) if question.codes else "open antwoord"
        lines.append(f"| `{question.column}` | {question.variable_label} | {codes} |")
    lines += ["", "### De eenzaamheidsschaal gebruiken", "", DJG_USE_NOTE, "", SCORING_NOTE]
    lines += ["", "### Bronnen", ""]
    lines += [f"- {source}" for source in _sources(blocks)]
    return "\n".join(lines) + "\n"


def questionnaire_pdf(voorzieningen: Sequence[str] = DEFAULT_VOORZIENINGEN) -> bytes:
    """Return the questionnaire as an A4 PDF to print and hand out (see `questionnaire_markdown`).

    Uses fpdf2's core Helvetica font (Latin-1: é, ë, ï print; dashes and curly quotes are
    replaced by plain ones), so no font file has to ship with the app.

    Examples
    --------
    >>> questionnaire_pdf()[:5]
    b'%PDF-'
    """
    # Imported here, not at the top: only this function needs fpdf2, so the rest of the
    # module (and every page that shows the Markdown) works without it.
    from fpdf import FPDF

    class _Form(FPDF):
        def footer(self) -> None:
            """Write the page number: a printed form that comes apart can be put back together."""
            self.set_y(-11)
            self.set_font("Helvetica", size=8)
            self.set_text_color(110)
            self.cell(0, 5, f"Pagina {self.page_no()} van {{nb}}", align="C")
            self.set_text_color(0)

    blocks = questionnaire_blocks(voorzieningen)
    pdf = _Form(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(VERSION_DATE)
    pdf.set_title("Vragenlijst sociale basis in de wijk")
    pdf.set_lang("nl")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    _pdf_text(pdf, "Vragenlijst: contact, rondkomen en voorzieningen in de wijk", 16, "B")
    _pdf_text(pdf, f"Versie {VERSION_DATE:%Y-%m-%d}", 8, "I", gap=3)
    for paragraph in INTRO.split("\n"):
        _pdf_text(pdf, paragraph, 10, gap=2)
    number = 0
    for block in blocks:
        if block.for_researcher:
            continue
        if not block.alternative_to:
            number += 1
        _pdf_block(pdf, block, number)
    pdf.add_page()
    _pdf_text(pdf, "Voor de onderzoeker", 13, "B", gap=2)
    for note in (*RESEARCHER_NOTES, DJG_USE_NOTE, SCORING_NOTE):
        _pdf_text(pdf, note, 9, gap=2)
    _pdf_text(pdf, "Kolommen en codes", 11, "B", gap=1)
    pdf.set_font("Helvetica", size=8)
    with pdf.table(col_widths=(31, 85, 58), text_align="LEFT", line_height=4) as table:
        table.row([_latin1(h) for h in ("kolom", "vraag", "codes")])
        for question in codebook(voorzieningen):
            codes = codes_text(question.codes, "; ") if question.codes else "open antwoord"
            table.row([_latin1(t) for t in (question.column, question.variable_label, codes)])
    pdf.ln(3)
    if pdf.will_page_break(35):  # no heading alone at the foot of a page
        pdf.add_page()
    _pdf_text(pdf, "Bronnen", 11, "B", gap=1)
    for source in _sources(blocks):
        _pdf_text(pdf, f"- {source}", 8, gap=1)
    return bytes(pdf.output())


def empty_data_file(
    fmt: ColumnFormat, voorzieningen: Sequence[str] = DEFAULT_VOORZIENINGEN
) -> bytes:
    r"""Return an empty data file with exactly the canonical columns, to fill in and import.

    Parameters
    ----------
    fmt : {"csv", "xlsx"}
        ``csv``: one header line, ``;``-separated, UTF-8 with BOM (as Dutch Excel saves it).
        ``xlsx``: sheet ``enquete`` with the header row, and sheet ``codes`` listing every
        column with its question and codes.
    voorzieningen : sequence of str
        The voorzieningen asked about.

    Returns
    -------
    bytes

    Examples
    --------
    >>> empty_data_file("csv")[:32]
    b'\xef\xbb\xbfrespondent_id;gebied;postcode'
    """
    columns = list(canonical_columns(voorzieningen))
    if fmt == "csv":
        return ("\ufeff" + ";".join(columns) + "\r\n").encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
            writer.book.set_properties({"created": VERSION_DATE.replace(tzinfo=None)})
            pd.DataFrame(columns=columns).to_excel(writer, sheet_name="enquete", index=False)
            sheet = writer.sheets["enquete"]
            sheet.freeze_panes(1, 0)
            sheet.set_column(0, len(columns) - 1, 14)
            codes = codebook_frame(voorzieningen)
            codes.to_excel(writer, sheet_name="codes", index=False)
            widths = {"kolom": 20, "vraag": 70, "codes": 45, "toelichting": 60, "bron": 60}
            for i, name in enumerate(codes.columns):
                writer.sheets["codes"].set_column(i, i, widths[name])
        return buffer.getvalue()
    raise ValueError(f"Onbekend formaat {fmt!r}; verwacht 'csv' of 'xlsx'")


def _question_markdown(question: Question, number: int | None) -> list[str]:
    """Return the Markdown lines of one question: text, hint, answer codes and column."""
    head = f"**{number}. {question.text}**" if number else f"**{question.text}**"
    lines = [head + "  "]
    if question.hint:
        lines.append(question.hint + "  ")
    answers = codes_text(question.codes) if question.codes else "open antwoord"
    lines += [f"Antwoord: {answers} · kolom `{question.column}`", ""]
    return lines


def _paragraphs(text: str) -> list[str]:
    """Split a text on newlines into Markdown paragraphs."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        out += [paragraph, ""]
    return out[:-1]


def _sources(blocks: Sequence[Block]) -> tuple[str, ...]:
    """Return every distinct block source once, in order of appearance."""
    return tuple(dict.fromkeys(b.source for b in blocks if b.source))


#: Characters outside Latin-1 that our texts use, and their plain stand-ins for the core font.
_LATIN1_STAND_INS = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "≥": ">="}
)


def _latin1(text: str) -> str:
    """Return text the core PDF fonts can print ('?' for anything still outside Latin-1).

    Examples
    --------
    >>> _latin1("één – ‘twee’ ≥ 3 ✓")
    "één - 'twee' >= 3 ?"
    """
    return text.translate(_LATIN1_STAND_INS).encode("latin-1", "replace").decode("latin-1")


def _pdf_text(pdf: FPDF, text: str, size: float, style: str = "", gap: float = 0) -> None:
    """Write a full-width paragraph, then leave ``gap`` mm."""
    pdf.set_font("Helvetica", style=style, size=size)
    pdf.multi_cell(0, size * 0.45, _latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
    if gap:
        pdf.ln(gap)


def _pdf_block(pdf: FPDF, block: Block, number: int) -> None:
    """Write one block: title, instruction, then a grid or one question at a time."""
    # Keep a grid on one page with its title: a grid split over two pages is easily half-filled.
    needed = 30 + (9 * len(block.questions) if block.is_matrix else 10)
    if pdf.will_page_break(min(needed, 200)):
        pdf.add_page()
    pdf.ln(3)
    prefix = f"Deel {number} (alternatief)" if block.alternative_to else f"Deel {number}"
    _pdf_text(pdf, f"{prefix}. {block.title}", 13, "B", gap=1)
    if block.alternative_to:
        _pdf_text(pdf, "Gebruik dit blok in plaats van het vorige, niet allebei.", 9, "I", gap=1)
    if block.instruction:
        _pdf_text(pdf, block.instruction, 10, "I", gap=2)
    if block.is_matrix:
        codes = block.questions[0].codes
        answer_width = 22.0
        pdf.set_font("Helvetica", size=10)
        with pdf.table(
            col_widths=(174 - answer_width * len(codes), *[answer_width] * len(codes)),
            text_align=("LEFT", *["CENTER"] * len(codes)),
            line_height=5,
            padding=1.2,
        ) as table:
            table.row(["", *(_latin1(f"{label} ({code})") for code, label in codes)])
            for i, question in enumerate(block.questions, start=1):
                table.row([_latin1(f"{i}. {question.text}"), *[""] * len(codes)])
    else:
        for question in block.questions:
            _pdf_question(pdf, question)
    if block.source:
        pdf.ln(1)
        pdf.set_text_color(90)
        _pdf_text(pdf, f"Bron: {block.source}", 7.5)
        pdf.set_text_color(0)


def _pdf_question(pdf: FPDF, question: Question) -> None:
    """Write one question with a box per answer (codes shown), or a box to write in."""
    if pdf.will_page_break(12 + 6 * len(question.codes)):
        pdf.add_page()
    _pdf_text(pdf, question.text, 10, "B", gap=0.5)
    if question.hint:
        _pdf_text(pdf, question.hint, 9, "I", gap=0.5)
    pdf.set_font("Helvetica", size=10)
    if not question.codes:
        pdf.rect(pdf.l_margin, pdf.get_y() + 1, 90, 8)
        pdf.ln(11)
        return
    for code, label in question.codes:
        y = pdf.get_y()
        pdf.rect(pdf.l_margin + 2, y + 1.2, 3.5, 3.5)
        pdf.set_x(pdf.l_margin + 8)
        pdf.cell(0, 6, _latin1(f"{label} ({code})"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
