"""The group's notes of a workshop: one Markdown file and a one-page A4 PDF.

Per slide shown: its title, the message with the figures shown, the question and what the group
noted; then the sources. Only figures per area are written (never respondents), and nothing is
stored: the caller offers the bytes as a download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from analysis.format import fmt_date, fmt_value
from analysis.views.exports import PDF_FOOTER, pdf_text
from analysis.workshop.story import DATA, Bar, Story

#: Font sizes the PDF tries, largest first, at each level of detail.
PDF_FONT_SIZES = (10.0, 9.0, 8.0, 7.0)

#: Levels of detail, fullest first: the PDF drops detail until it fits one page.
#: (figure lines, slides without notes in full, longest note in characters). A note of 2.500
#: characters already fills a third of the page; the Markdown always holds the whole note.
PDF_LEVELS = ((True, True, 2500), (False, True, 2500), (False, False, 2500), (False, False, 600))

#: Said where a note was cut to fit the page.
CUT_NOTE = "… (de volledige notitie staat in de Markdown-download)"

FICTITIOUS = (
    "Op deze dia staan cijfers uit een fictief voorbeeld (verzonnen enquêteantwoorden, geen "
    "echte cijfers); elk daarvan is gemarkeerd als 'fictief voorbeeld'."
)


@dataclass(frozen=True)
class Section:
    """What the export says about one slide."""

    number: int
    title: str
    message: str
    figures: tuple[str, ...]
    context: str
    question: str
    note: str
    fictitious: bool


def sections(
    story: Story, notes: Mapping[str, str], *, wijk_name: str, gemeente_name: str
) -> list[Section]:
    """Return one `Section` per slide shown, numbered as presented.

    Examples
    --------
    >>> from analysis.workshop.story import Slide
    >>> s = Story("GM1", "WK1", (Slide("a", "text", "", "Pauze", "Koffie", "Wat nu?"),))
    >>> sections(s, {"a": " Thee "}, wijk_name="Noord", gemeente_name="Stad")[0].note
    'Thee'
    """
    return [
        Section(
            number=i,
            title=slide.title,
            message=slide.message,
            figures=tuple(_figure_line(b, wijk_name, gemeente_name) for b in slide.bars)
            if slide.kind == DATA
            else (),
            context=slide.context,
            question=slide.question,
            note=str(notes.get(slide.id) or "").strip(),
            fictitious=slide.fictitious,
        )
        for i, slide in enumerate(story.shown(), start=1)
    ]


def sources(story: Story) -> list[str]:
    """Return every source and year of the slides shown, once each, in order of appearance.

    Examples
    --------
    >>> from analysis.workshop.story import Slide
    >>> a = Slide("a", "data", "", "A", "", "", sources=("CBS, Kerncijfers 2025",))
    >>> sources(Story("GM1", "WK1", (a, a)))
    ['CBS, Kerncijfers 2025']
    """
    return list(dict.fromkeys(line for slide in story.shown() for line in slide.sources))


def notes_markdown(
    story: Story, notes: Mapping[str, str], *, wijk_name: str, gemeente_name: str, day: dt.date
) -> str:
    """Write the workshop's summary as Markdown: per slide the figures and the group's notes.

    Parameters
    ----------
    story : Story
        The story as presented (skipped slides are left out).
    notes : mapping of slide id to str
        What the group noted per slide; slides without a note say so.
    wijk_name, gemeente_name : str
    day : datetime.date
        The day of the workshop.

    Returns
    -------
    str

    Examples
    --------
    >>> from analysis.workshop.story import Slide
    >>> s = Story("GM1", "WK1", (Slide("a", "opening", "", "Welkom", "Hallo", "Wie bent u?"),))
    >>> print(notes_markdown(s, {"a": "Tien mensen"}, wijk_name="Noord", gemeente_name="Stad",
    ...                      day=dt.date(2026, 11, 24)))  # doctest: +NORMALIZE_WHITESPACE
    # Werkplaats sociale basis: Noord (Stad)
    <BLANKLINE>
    24 november 2026
    <BLANKLINE>
    ## 1. Welkom
    <BLANKLINE>
    Hallo
    <BLANKLINE>
    **Vraag:** Wie bent u?
    <BLANKLINE>
    **Notities van de groep:**
    <BLANKLINE>
    > Tien mensen
    <BLANKLINE>
    ---
    <BLANKLINE>
    Cijfers per wijk zijn een begin van het gesprek, geen oordeel over de wijk.
    <BLANKLINE>
    """
    parts = [f"# {title(wijk_name, gemeente_name)}", fmt_date(day)]
    for section in sections(story, notes, wijk_name=wijk_name, gemeente_name=gemeente_name):
        parts.append(f"## {section.number}. {section.title}")
        if section.fictitious:
            parts.append(f"*{FICTITIOUS}*")
        parts.append(section.message)
        if section.figures:
            parts.append("\n".join(f"- {line}" for line in section.figures))
        if section.context:
            parts.append(section.context)
        if section.question:
            parts.append(f"**Vraag:** {section.question}")
        if section.note:
            quoted = "\n".join(f"> {line}".rstrip() for line in section.note.splitlines())
            parts.append(f"**Notities van de groep:**\n\n{quoted}")
        else:
            parts.append("*Geen notities.*")
    if story.warnings:
        parts.append("## Let op\n\n" + "\n".join(f"- {w}" for w in story.warnings))
    lines = sources(story)
    if lines:
        parts.append("## Bronnen\n\n" + "\n".join(f"- {line}" for line in lines))
    parts.append(f"---\n\n{PDF_FOOTER}")
    return "\n\n".join(parts) + "\n"


def title(wijk_name: str, gemeente_name: str) -> str:
    """Return the title of the summary.

    Examples
    --------
    >>> title("Vrijheidswijk", "Leeuwarden")
    'Werkplaats sociale basis: Vrijheidswijk (Leeuwarden)'
    """
    return f"Werkplaats sociale basis: {wijk_name} ({gemeente_name})"


def notes_pdf(
    story: Story, notes: Mapping[str, str], *, wijk_name: str, gemeente_name: str, day: dt.date
) -> bytes:
    """Write the workshop's summary as a one-page A4 PDF.

    Uses the PDF core font Helvetica with Windows-1252 (as `analysis.views.exports.profile_pdf`), so
    é, ë and € print and no font file is needed. To fit one page the font shrinks, then the
    figure lines go (the message keeps the key figures), then slides without notes shrink to
    one line, then long notes are cut with a pointer to the Markdown download.

    Parameters
    ----------
    story : Story
    notes : mapping of slide id to str
    wijk_name, gemeente_name : str
    day : datetime.date

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        When even the shortest form does not fit on one page.

    Examples
    --------
    >>> from analysis.workshop.story import Slide
    >>> s = Story("GM1", "WK1", (Slide("a", "opening", "", "Welkom", "Hallo", "Wie bent u?"),))
    >>> notes_pdf(s, {}, wijk_name="Noord", gemeente_name="Stad", day=dt.date(2026, 11, 24))[:5]
    b'%PDF-'
    """
    items = sections(story, notes, wijk_name=wijk_name, gemeente_name=gemeente_name)
    for figures, full, longest in PDF_LEVELS:
        shown = [_cut(s, longest) for s in items]
        for size in PDF_FONT_SIZES:
            pdf = _render(story, shown, wijk_name, gemeente_name, day, size, figures, full)
            if pdf.pages_count == 1:
                return bytes(pdf.output())
    raise ValueError(
        f"De notities van {wijk_name} passen niet op één pagina, ook niet ingekort; "
        "gebruik de Markdown-download"
    )


def _figure_line(bar: Bar, wijk_name: str, gemeente_name: str) -> str:
    """Return one figure as text: the wijk, the gemeente and Nederland, with n for a survey."""
    value = fmt_value(bar.value, bar.unit, bar.decimals)
    if bar.n is not None:
        value = f"{value} (n = {bar.n})"
    parts = [
        f"{wijk_name} {value}",
        f"heel {gemeente_name} {fmt_value(bar.gemeente, bar.unit, bar.decimals)}",
    ]
    if bar.nederland is not None:
        national = fmt_value(bar.nederland, bar.unit, bar.decimals)
        parts.append(f"Nederland {national}{bar.nederland_year_note}")
    return f"{bar.label}: {', '.join(parts)}"


def _cut(section: Section, longest: int) -> Section:
    """Return the section with its note cut to about ``longest`` characters."""
    if len(section.note) <= longest:
        return section
    text = section.note[:longest].rsplit(" ", 1)[0]
    return replace(section, note=f"{text} {CUT_NOTE}")


def _render(
    story: Story,
    items: Iterable[Section],
    wijk_name: str,
    gemeente_name: str,
    day: dt.date,
    size: float,
    figures: bool,
    full: bool,
):
    """Lay the summary out at one font size and level of detail; the caller counts pages."""
    from fpdf import FPDF  # imported here: only the PDF download needs it

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title(pdf_text(title(wijk_name, gemeente_name)))
    pdf.set_creator("Sociale Basis Dashboard")
    pdf.add_page()
    line = size * 0.48

    pdf.set_font("Helvetica", "B", size + 6)
    _para(pdf, (size + 6) * 0.5, title(wijk_name, gemeente_name))
    pdf.set_font("Helvetica", "", size)
    _para(pdf, line, f"Werkplaats van {fmt_date(day)}.")
    pdf.ln(line / 2)
    for item in items:
        if not full and not item.note:
            pdf.set_font("Helvetica", "B", size)
            _para(pdf, line, f"{item.number}. {item.title}")
            pdf.set_font("Helvetica", "", size - 1)
            # The message carries its own mark when its figure is fictitious (issue #12): a
            # real RIVM sentence on a slide that also shows the example is never marked.
            _para(pdf, line * 0.95, item.message)
            continue
        pdf.set_font("Helvetica", "B", size + 1)
        _para(pdf, line * 1.05, f"{item.number}. {item.title}")
        pdf.set_font("Helvetica", "", size)
        if item.fictitious:
            pdf.set_font("Helvetica", "I", size - 1)
            _para(pdf, line, FICTITIOUS)
            pdf.set_font("Helvetica", "", size)
        _para(pdf, line, item.message)
        if figures:
            for text in item.figures:
                _para(pdf, line, f"• {text}")
        if figures and item.context:
            _para(pdf, line, item.context)
        if item.question:
            pdf.set_font("Helvetica", "I", size)
            _para(pdf, line, f"Vraag: {item.question}")
        pdf.set_font("Helvetica", "", size)
        if item.note:
            pdf.set_font("Helvetica", "B", size)
            _para(pdf, line, "Notities van de groep:")
            pdf.set_font("Helvetica", "", size)
            _para(pdf, line, item.note)
        pdf.ln(line / 3)
    if story.warnings:
        pdf.set_font("Helvetica", "B", size - 1)
        _para(pdf, line, "Let op")
        pdf.set_font("Helvetica", "", size - 1.5)
        for warning in story.warnings:
            _para(pdf, line * 0.9, warning)
    lines = sources(story)
    if lines:
        pdf.ln(line / 3)
        pdf.set_font("Helvetica", "B", size - 1)
        _para(pdf, line, "Bronnen")
        pdf.set_font("Helvetica", "", size - 1.5)
        for text in lines:
            _para(pdf, line * 0.9, text)
    pdf.ln(line / 3)
    pdf.set_font("Helvetica", "I", size - 1.5)
    _para(pdf, line * 0.9, PDF_FOOTER)
    return pdf


def _para(pdf, height: float, text: str) -> None:
    """Write a paragraph over the full width (Windows-1252 safe) and go to the next line."""
    pdf.multi_cell(0, height, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
