"""Glue of the Werkplaats page: this session's story, the group's notes, and presentation mode.

The story is rebuilt from the figures on every run and the facilitator's choices (order, skips,
questions, own text slides) are laid over it from a small JSON text kept in this session
(`analysis.workshop.story.story_to_json`), so the figures are always those of the data loaded now.
The notes live in this session only: nothing is written to disk, and they are gone when the
session ends unless downloaded.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import streamlit as st

from analysis.user_text import markdown_without_links, plain_markdown
from analysis.workshop import notes as notes_export
from analysis.workshop import story as story_module
from analysis.workshop.story import Slide, Story
from ui import display, loaders, sidebar, survey_session

PRESENTATION = "presentatie"  # ?modus=presentatie opens the presentation

_BUILT = "_werkplaats_built"  # (key, Story): the last story built, so a key press is quick
_LAYOUTS = "_werkplaats_layouts"  # (gemeente, wijk) -> the facilitator's choices as JSON
_NOTES = "_werkplaats_notes"  # (gemeente, wijk) -> {slide id: note}
_POSITION = "_werkplaats_position"  # (gemeente, wijk) -> index in the slides shown
_REVISION = "_werkplaats_revision"  # bumped when a file is loaded: widgets take its values
_MESSAGES = "_werkplaats_messages"  # what the last load reported (errors and missing slides)
_FIGURES = "_werkplaats_figures"  # (slide, wijk, gemeente) -> its plotly figure

#: Presentation mode: no sidebar, header or toolbar; type readable from the back of a room on
#: a 1920×1080 projector. The PageUp/PageDown buttons are visually hidden but stay on the
#: page, so their keyboard shortcuts work (presentation clickers send those keys).
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"] {
  padding: 1.2rem 3rem 0.5rem 3rem !important; max-width: 100% !important;
}
.sb-kop { display: flex; justify-content: space-between; align-items: baseline; gap: 2rem; }
.sb-titel { font-size: 56px; font-weight: 700; line-height: 1.1; color: #262730; }
.sb-teller { font-size: 30px; color: #555; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.sb-fictief { display: inline-block; vertical-align: middle; background: #d55e00; color: #fff;
  font-size: 26px; font-weight: 600; padding: 2px 14px; border-radius: 6px; margin-left: 24px; }
.sb-boodschap { font-size: 38px; line-height: 1.25; color: #262730; margin-top: 10px; }
.sb-context { font-size: 28px; color: #444; margin-top: 6px; }
.sb-tekst { font-size: 44px; line-height: 1.35; color: #262730; margin: 48px 0; max-width: 1500px; }
.sb-vraag { font-size: 36px; font-weight: 600; line-height: 1.25; background: #fff4d6;
  border-left: 14px solid #e69f00; padding: 14px 28px; color: #262730; }
.sb-vraag-groot { font-size: 54px; padding: 28px 36px; margin-top: 24px; }
.sb-bron { font-size: 20px; color: #555; line-height: 1.3; }
.st-key-dia_vorige_pgup, .st-key-dia_volgende_pgdn {
  position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip-path: inset(50%) !important;
}
.st-key-dia_nav button p { font-size: 22px; }
/* The group's notes, readable from the room (issue #12). */
[class*="st-key-notitie_p_"] textarea { font-size: 28px !important; line-height: 1.3 !important; }
.st-key-dia_notities summary p { font-size: 22px !important; }
/* Designed for 1920x1080; smaller screens (a 1366x768 laptop on a beamer) get the same slide
   scaled down, so title, figure, message, question and buttons fit without scrolling. */
@media (max-height: 1000px) { [data-testid="stMainBlockContainer"] { zoom: 0.9; } }
@media (max-height: 900px) { [data-testid="stMainBlockContainer"] { zoom: 0.8; } }
@media (max-height: 820px) { [data-testid="stMainBlockContainer"] { zoom: 0.7; } }
@media (max-height: 700px) { [data-testid="stMainBlockContainer"] { zoom: 0.6; } }
</style>
"""

#: Height of the one visual per slide, in px (at 1920x1080, with the notes opened below).
FIGURE_HEIGHT = 400

#: Keys after typing a note (issue #12): Esc or Ctrl+Enter leaves the notes field (the note is
#: kept: Streamlit saves a text field when it loses focus), so the arrow keys move through the
#: slides again; a clicker's PageUp/PageDown leaves it and moves at once. Streamlit lets Esc
#: through from a text field to its shortcuts, where Esc means "Terug naar overzicht": in the
#: notes field it is stopped here (capture phase), so it only leaves the field.
KEYS_JS = """
<script>
(() => {
  if (window.__sbNotesKeys) return;
  window.__sbNotesKeys = true;
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (!t || t.tagName !== "TEXTAREA" || !t.closest('[class*="st-key-notitie_p_"]')) return;
    const apply = e.key === "Enter" && (e.ctrlKey || e.metaKey);
    const step = { PageDown: "dia_volgende_pgdn", PageUp: "dia_vorige_pgup" }[e.key];
    if (e.key !== "Escape" && !apply && !step) return;
    if (e.key === "Escape") { e.stopPropagation(); e.preventDefault(); }
    setTimeout(() => {
      t.blur();
      if (step) document.querySelector(`.st-key-${step} button`)?.click();
    }, 0);
  }, true);
})();
</script>
"""


# --- State ----------------------------------------------------------------------------------


def presenting() -> bool:
    """Return whether the page shows the presentation (the URL says ``modus=presentatie``)."""
    return st.query_params.get("modus") == PRESENTATION


def keep_url(gemeente_code: str, code: str | None) -> None:
    """Keep gemeente, wijk and mode in the URL, so a link opens the same view."""
    sidebar.keep_in_url(
        gemeente=gemeente_code, wijk=code, modus=PRESENTATION if presenting() else None
    )


def _store(name: str) -> dict:
    """Return one of this session's dictionaries (made on first use)."""
    return st.session_state.setdefault(name, {})


def story(gemeente_code: str, code: str) -> Story:
    """Return the story of a wijk: built from the figures, with this session's choices."""
    survey = survey_session.active_survey(gemeente_code)
    key = (
        gemeente_code,
        code,
        None if survey is None else (survey.file_name, survey.fictitious, id(survey.result)),
    )
    held = st.session_state.get(_BUILT)
    if held is None or held[0] != key:
        snap = loaders.snapshot()
        # A survey analysed per buurt has no wijk rows: its slides are left out with a note.
        estimates = None if survey is None else survey.result.estimates
        built = story_module.build_story(
            loaders.gemeente_values(gemeente_code),
            snap.regions,
            survey_session.session_catalogue(gemeente_code),
            code=code,
            gemeente_code=gemeente_code,
            survey=estimates,
            fictitious=survey is not None and survey.fictitious,
        )
        held = (key, built)
        st.session_state[_BUILT] = held
    layout = _store(_LAYOUTS).get((gemeente_code, code))
    if layout is None:
        return held[1]
    return story_module.apply_saved(held[1], layout, file_name="deze sessie")


def _change(gemeente_code: str, code: str, change: Callable[[Story], Story]) -> None:
    """Apply one of the facilitator's changes and keep it for this session."""
    try:
        changed = change(story(gemeente_code, code))
    except (KeyError, ValueError) as err:
        _store(_MESSAGES)[(gemeente_code, code)] = ("error", [str(err).strip("'\"")])
        return
    _store(_LAYOUTS)[(gemeente_code, code)] = story_module.story_to_json(changed)


def notes(gemeente_code: str, code: str) -> dict[str, str]:
    """Return this session's notes per slide for a wijk."""
    return _store(_NOTES).setdefault((gemeente_code, code), {})


def _revision() -> int:
    """Return the number that makes widgets take new values after a file was loaded."""
    return st.session_state.get(_REVISION, 0)


def position(gemeente_code: str, code: str, count: int) -> int:
    """Return the index of the slide presented now, within ``0 … count - 1``."""
    index = _store(_POSITION).get((gemeente_code, code), 0)
    return max(0, min(index, count - 1))


# --- Callbacks (run before the page, so the page shows the result at once) -----------------


def _go(gemeente_code: str, code: str, step: int, count: int) -> None:
    here = position(gemeente_code, code, count)
    _store(_POSITION)[(gemeente_code, code)] = max(0, min(here + step, count - 1))


def _present_from(gemeente_code: str, code: str, index: int) -> None:
    _store(_POSITION)[(gemeente_code, code)] = index
    st.query_params["modus"] = PRESENTATION


def _stop_presenting() -> None:
    if "modus" in st.query_params:
        del st.query_params["modus"]


def _move(gemeente_code: str, code: str, slide_id: str, to_index: int) -> None:
    _change(gemeente_code, code, lambda s: story_module.move(s, slide_id, to_index))


def _toggle_shown(gemeente_code: str, code: str, slide_id: str, key: str) -> None:
    shown = st.session_state[key]
    operation = story_module.unskip if shown else story_module.skip
    _change(gemeente_code, code, lambda s: operation(s, slide_id))


def _set_question(gemeente_code: str, code: str, slide_id: str, key: str) -> None:
    text = st.session_state[key]
    _change(gemeente_code, code, lambda s: story_module.set_question(s, slide_id, text))


def _remove(gemeente_code: str, code: str, slide_id: str) -> None:
    _change(gemeente_code, code, lambda s: story_module.remove_text_slide(s, slide_id))


def _add_text(gemeente_code: str, code: str) -> None:
    title = st.session_state.get("tekstdia_titel", "")
    text = st.session_state.get("tekstdia_tekst", "")
    after = st.session_state.get("tekstdia_na")
    _change(
        gemeente_code,
        code,
        lambda s: story_module.add_text_slide(s, title, text, after=after),
    )


def _save_note(gemeente_code: str, code: str, slide_id: str, key: str) -> None:
    notes(gemeente_code, code)[slide_id] = st.session_state.get(key) or ""


def _load(gemeente_code: str, code: str, key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    messages = _store(_MESSAGES)
    try:
        loaded = story_module.apply_saved(
            story(gemeente_code, code),
            upload.getvalue(),
            file_name=upload.name,
        )
    except story_module.StoryFileError as err:
        messages[(gemeente_code, code)] = ("error", [str(err)])
        return
    _store(_LAYOUTS)[(gemeente_code, code)] = story_module.story_to_json(loaded)
    st.session_state[_REVISION] = _revision() + 1
    done = f"Verhaal geladen uit {upload.name}."
    messages[(gemeente_code, code)] = ("info", [done, *loaded.load_notes])


# --- Normal view ----------------------------------------------------------------------------


def editor(gemeente_code: str, code: str, current: Story) -> None:
    """Draw the facilitator's view: the slide list with its controls, save and load, notes."""
    area, gemeente = current.area_name, current.gemeente_name
    st.title(f"Werkplaats: {area}")
    st.caption(
        f"Een verhaal door de sociale basis van {area} ({gemeente}), voor een bijeenkomst met "
        "bewoners en professionals. Zet de dia's in de volgorde die u wilt, sla dia's over, "
        "pas de vragen aan en schrijf op wat de groep zegt. Alles blijft in deze sessie; "
        "download het verhaal en de notities om ze te bewaren."
    )
    shown = current.shown()
    # The actions of a workshop at the top: start, and afterwards take the notes home.
    with st.container(horizontal=True, key="werkplaats_acties"):
        st.button(
            f"Presenteren ({len(shown)} dia's)",
            key="presenteren",
            type="primary",
            icon=":material/slideshow:",
            on_click=_present_from,
            args=(gemeente_code, code, 0),
            disabled=not shown,
        )
        markdown = _exports(gemeente_code, code, current)
    _messages(gemeente_code, code)
    survey = survey_session.active_survey(gemeente_code)
    if survey is not None and survey.fictitious:
        st.warning(
            "De dia's met cijfers uit de eigen enquête tonen een **fictief voorbeeld** "
            "(verzonnen antwoorden). Laad uw eigen enquête op de pagina Eigen enquête."
        )
    for warning in current.warnings:
        display.caption(warning)
    if current.skipped_notes:
        with st.expander(f"Niet in dit verhaal ({len(current.skipped_notes)})"):
            # Notes are the group's own text (typed, or from a loaded file): no links or images.
            st.markdown(
                "\n".join(f"- {markdown_without_links(n.text)}" for n in current.skipped_notes)
            )

    st.subheader("Dia's")
    revision = _revision()
    last = len(current.slides) - 1
    number = 0
    for index, slide in enumerate(current.slides):
        number += 0 if slide.skipped else 1
        with st.container(border=True, key=f"dia_{slide.id}"):
            _slide_row(gemeente_code, code, slide, index, last, number, revision)

    _add_text_form(gemeente_code, code, current)
    _save_and_load(gemeente_code, code, current, revision)
    st.subheader("Samenvatting")
    st.caption(
        "Per getoonde dia de cijfers en de notities van de groep, met de bronnen. Download hem "
        "bovenaan de pagina als PDF (1 pagina) of Markdown."
    )
    with st.expander("Bekijk de samenvatting"):
        # The summary holds the group's notes and own slides (typed, or from a loaded file):
        # their Markdown stays, but nothing in it becomes a link, an image or HTML.
        st.markdown(markdown_without_links(markdown))


def _slide_row(
    gemeente_code: str, code: str, slide: Slide, index: int, last: int, number: int, revision: int
) -> None:
    """Draw one slide in the list: what it says, and the controls to shape it."""
    args = (gemeente_code, code, slide.id)
    left, right = st.columns([5, 2])
    with left:
        label = "overgeslagen" if slide.skipped else f"dia {number}"
        fictitious = " · fictief voorbeeld" if slide.fictitious else ""
        # An own text slide's title and text are the user's (typed, or from a loaded file).
        title = plain_markdown(slide.title) if slide.custom else slide.title
        st.markdown(f"**{title}**  \n:gray[{label} · {slide.theme}{fictitious}]")
        st.markdown(markdown_without_links(slide.message) if slide.custom else slide.message)
        st.text_input(
            "Vraag aan de groep",
            value=slide.question,
            key=f"vraag_{slide.id}_{revision}",
            on_change=_set_question,
            args=(*args, f"vraag_{slide.id}_{revision}"),
        )
        st.text_area(
            "Notities van de groep",
            value=notes(gemeente_code, code).get(slide.id, ""),
            key=f"notitie_{slide.id}",
            height=68,
            on_change=_save_note,
            args=(*args, f"notitie_{slide.id}"),
        )
    with right:
        st.toggle(
            "Tonen",
            value=not slide.skipped,
            key=f"toon_{slide.id}_{revision}",
            on_change=_toggle_shown,
            args=(*args, f"toon_{slide.id}_{revision}"),
        )
        with st.container(horizontal=True):
            _order_buttons(args, index, last)
        if not slide.skipped:
            st.button(
                "Presenteer vanaf hier",
                key=f"vanaf_{slide.id}",
                icon=":material/play_arrow:",
                on_click=_present_from,
                args=(gemeente_code, code, number - 1),
            )
        if slide.custom:
            st.button(
                "Verwijderen",
                key=f"weg_{slide.id}",
                icon=":material/delete:",
                on_click=_remove,
                args=args,
            )


def _order_buttons(args: tuple[str, str, str], index: int, last: int) -> None:
    """Draw the buttons that move a slide one place up or down."""
    st.button(
        "Omhoog",
        key=f"omhoog_{args[2]}",
        icon=":material/arrow_upward:",
        disabled=index == 0,
        on_click=_move,
        args=(*args, index - 1),
    )
    st.button(
        "Omlaag",
        key=f"omlaag_{args[2]}",
        icon=":material/arrow_downward:",
        disabled=index == last,
        on_click=_move,
        args=(*args, index + 1),
    )


def _add_text_form(gemeente_code: str, code: str, current: Story) -> None:
    """Draw the form that adds the facilitator's own text slide."""
    titles = {s.id: s.title for s in current.slides}
    ids = list(titles)
    with st.form("tekstdia", clear_on_submit=True, border=True):
        st.markdown("**Eigen tekstdia toevoegen**")
        st.text_input("Titel", key="tekstdia_titel")
        st.text_area("Tekst", key="tekstdia_tekst", height=80)
        st.selectbox(
            "Na dia",
            ids,
            index=max(len(ids) - 2, 0),
            format_func=lambda i: titles.get(i, i),
            key="tekstdia_na",
        )
        st.form_submit_button(
            "Toevoegen", on_click=_add_text, args=(gemeente_code, code), icon=":material/add:"
        )


def _save_and_load(gemeente_code: str, code: str, current: Story, revision: int) -> None:
    """Offer the story as a small file, and read one back."""
    st.subheader("Verhaal bewaren")
    st.caption(
        "Het bestand bevat de volgorde, de overgeslagen dia's, de vragen en uw tekstdia's, "
        "geen cijfers en geen notities. U kunt het laden voor een volgende bijeenkomst of voor "
        "een andere wijk."
    )
    left, right = st.columns(2)
    left.download_button(
        "Verhaal opslaan",
        story_module.story_to_json(current),
        f"werkplaats_{code}.json",
        "application/json",
        key="verhaal_opslaan",
        icon=":material/download:",
        on_click="ignore",
    )
    key = f"verhaal_laden_{revision}"
    right.file_uploader(
        "Verhaal laden",
        type=["json"],
        key=key,
        on_change=_load,
        args=(gemeente_code, code, key),
    )


def _exports(gemeente_code: str, code: str, current: Story) -> str:
    """Offer the group's notes as a one-page PDF and as Markdown; return the Markdown."""
    day = dt.date.today()
    names = {"wijk_name": current.area_name, "gemeente_name": current.gemeente_name}
    written = notes(gemeente_code, code)
    markdown = notes_export.notes_markdown(current, written, **names, day=day)
    try:
        pdf = notes_export.notes_pdf(current, written, **names, day=day)
    except ValueError as err:  # the message can quote the group's own notes: plain text
        display.error(err)
    else:
        st.download_button(
            "Notities als PDF (1 pagina)",
            pdf,
            f"werkplaats_{code}_{day.isoformat()}.pdf",
            "application/pdf",
            key="notities_pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
        )
    st.download_button(
        "Notities als Markdown",
        markdown,
        f"werkplaats_{code}_{day.isoformat()}.md",
        "text/markdown",
        key="notities_md",
        icon=":material/description:",
        on_click="ignore",
    )
    return markdown


def _messages(gemeente_code: str, code: str) -> None:
    """Show what the last change or load reported, once."""
    held = _store(_MESSAGES).pop((gemeente_code, code), None)
    if held is None:
        return
    kind, lines = held
    if kind == "error":
        display.error(lines[0])
        return
    display.success(lines[0])
    for line in lines[1:]:
        display.warning(line)


# --- Presentation -----------------------------------------------------------------------


def present(gemeente_code: str, code: str, current: Story) -> None:
    """Draw one slide full-screen, with the counter, keyboard navigation and a notes field."""
    st.html(PRESENTATION_CSS)
    st.html(KEYS_JS, unsafe_allow_javascript=True)
    shown = current.shown()
    if not shown:
        st.warning("Alle dia's zijn overgeslagen.")
        st.button("Terug", key="dia_terug", on_click=_stop_presenting, shortcut="Esc")
        return
    _slide(gemeente_code, code, current)


@st.fragment
def _slide(gemeente_code: str, code: str, current: Story) -> None:
    """Draw the slide presented now; a key press reruns only this, so the change is quick."""
    shown = current.shown()
    index = position(gemeente_code, code, len(shown))
    slide = shown[index]
    badge = '<span class="sb-fictief">Fictief voorbeeld</span>' if slide.fictitious else ""
    st.html(
        '<div class="sb-kop">'
        f'<div class="sb-titel">{html.escape(slide.title)}{badge}</div>'
        f'<div class="sb-teller">{index + 1} / {len(shown)}</div>'
        "</div>"
    )
    if slide.kind == story_module.DATA:
        context = (
            f'<div class="sb-context">{html.escape(slide.context)}</div>' if slide.context else ""
        )
        st.html(f'<div class="sb-boodschap">{html.escape(slide.message)}</div>{context}')
        figure = _figure(slide, current)
        st.plotly_chart(
            figure,
            key="dia_grafiek",
            width="stretch",
            config={"displayModeBar": False, "scrollZoom": False},
        )
        question_class = "sb-vraag"
    else:
        st.html(f'<div class="sb-tekst sb-boodschap">{html.escape(slide.message)}</div>')
        question_class = "sb-vraag sb-vraag-groot"
    if slide.question:
        st.html(f'<div class="{question_class}">{html.escape(slide.question)}</div>')
    if slide.caption:
        st.html(f'<div class="sb-bron">{html.escape(slide.caption)}</div>')
    _navigation(gemeente_code, code, index, len(shown))
    notes_field = st.container()
    # The next and the previous slide's figures are built now, after this slide is on screen,
    # so the next key press only sends them (plotly builds a figure in about 0,1 s).
    for near in (index + 1, index - 1):
        if 0 <= near < len(shown) and shown[near].kind == story_module.DATA:
            _figure(shown[near], current)
    with notes_field:
        _notes_field(gemeente_code, code, slide)


def _figure(slide: Slide, current: Story):
    """Return a slide's figure, built once per slide and figures in this session."""
    held = st.session_state.setdefault(_FIGURES, {})
    key = (slide, current.area_name, current.gemeente_name)
    if key not in held:
        if len(held) > 64:  # one story's slides, a few times over: never grows without end
            held.clear()
        held[key] = story_module.slide_figure(
            slide, area=current.area_name, gemeente=current.gemeente_name, height=FIGURE_HEIGHT
        )
    return held[key]


def _notes_field(gemeente_code: str, code: str, slide: Slide) -> None:
    """Draw the group's notes for the slide, in type readable from the room."""
    with st.expander("Notities van de groep bij deze dia", key="dia_notities"):
        key = f"notitie_p_{slide.id}"
        st.text_area(
            "Notities",
            value=notes(gemeente_code, code).get(slide.id, ""),
            key=key,
            height=150,
            label_visibility="collapsed",
            placeholder="Wat zegt de groep? Esc of Ctrl+Enter: bewaren, daarna weer pijltjes.",
            on_change=_save_note,
            args=(gemeente_code, code, slide.id, key),
        )


def _navigation(gemeente_code: str, code: str, index: int, count: int) -> None:
    """Draw the buttons that move through the slides; each has a keyboard shortcut.

    Streamlit gives a button one shortcut, so each direction has a second, hidden button for
    the key a presentation clicker sends (PageUp, PageDown).
    """
    back = (gemeente_code, code, -1, count)
    forward = (gemeente_code, code, 1, count)
    with st.container(horizontal=True, key="dia_nav", vertical_alignment="center"):
        # Leaving changes the whole page: rerun the app, not only this slide's fragment.
        if st.button(
            "Terug naar overzicht",
            key="dia_terug",
            icon=":material/close:",
            shortcut="Esc",
        ):
            _stop_presenting()
            st.rerun(scope="app")
        st.space("stretch")
        st.button(
            "Vorige",
            key="dia_vorige",
            icon=":material/arrow_back:",
            on_click=_go,
            args=back,
            disabled=index == 0,
            shortcut="Left",
        )
        st.button("Vorige dia", key="dia_vorige_pgup", on_click=_go, args=back, shortcut="PageUp")
        st.button(
            "Volgende",
            key="dia_volgende",
            icon=":material/arrow_forward:",
            on_click=_go,
            args=forward,
            disabled=index == count - 1,
            shortcut="Right",
        )
        st.button(
            "Volgende dia",
            key="dia_volgende_pgdn",
            on_click=_go,
            args=forward,
            shortcut="PageDown",
        )
