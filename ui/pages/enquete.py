"""Eigen enquête: upload respondent-level answers, confirm the columns, see figures per wijk."""

import datetime as dt
import functools

import streamlit as st

from analysis import tables
from analysis.format import fmt_interval, fmt_number, fmt_value
from analysis.problems import UploadError
from analysis.survey import columns as colmap
from analysis.survey import pipeline as survey_pipeline
from analysis.survey import questionnaire
from analysis.user_text import formula_safe_frame, plain_markdown
from data import survey_files
from data.aggregates import UPLOAD_TYPES as TABLE_TYPES
from data.postcodes import UPLOAD_TYPES as POSTCODE_TYPES
from data.survey import UPLOAD_TYPES as SURVEY_TYPES
from ui import display, downloads, loaders, sidebar, survey_session

with st.sidebar:
    st.header("Enquête")
    gemeente_code = sidebar.gemeente_picker()
survey_session.suppression_settings()
names = loaders.gemeente_names()
gemeente_name = names.get(gemeente_code, gemeente_code)

st.title("Eigen enquête")
st.write(
    "Zet de antwoorden van uw eigen enquête over eenzaamheid, rondkomen en het gebruik van "
    "basisvoorzieningen per wijk naast de cijfers van CBS en RIVM. Het dashboard rekent de "
    "schalen uit, geeft per wijk het percentage met het 95%-betrouwbaarheidsinterval en laat "
    "wijken met te weinig antwoorden niet zien."
)
st.info(
    "Uw bestand blijft in deze sessie op deze computer: het wordt niet opgeslagen, niet "
    "verstuurd en niet gedeeld met andere gebruikers. Sluit u het venster, dan is het weg."
)

tab_upload, tab_aggregate, tab_template = st.tabs(
    ["Bestand inlezen", "Tabel met percentages", "Vragenlijst en voorbeelden"]
)

with tab_aggregate:
    st.write(
        "Heeft u geen antwoorden per respondent, maar een tabel uit uw eigen monitor (één rij "
        "per wijk of dorp, kolommen met percentages)? Lees die hier in. Gebieden die geen "
        "CBS-wijk zijn, blijven in tabel en grafiek staan als 'niet op de kaart'."
    )
    agg_upload = st.file_uploader("Tabel (CSV of Excel)", type=TABLE_TYPES, key="tabel_bestand")
    if agg_upload is not None:
        agg_content = agg_upload.getvalue()
        agg_sheets = survey_session.aggregate_sheets(agg_content, agg_upload.name)
        agg_sheet = (
            st.selectbox("Tabblad", agg_sheets, key="tabel_tabblad")
            if len(agg_sheets) > 1
            else None
        )
        try:
            placed = survey_session.read_aggregate_table(
                agg_content, agg_upload.name, gemeente_code, agg_sheet
            )
        except UploadError as err:
            display.error(err)
        else:
            survey_session.show_aggregate_table(placed, gemeente_code, gemeente_name)


with tab_template:
    st.subheader("Vragenlijst om zelf af te nemen")
    st.write(
        "De vragen van deze lijst (De Jong Gierveld-schaal, Burgerpeiling, rondkomen, "
        "voorzieningen, mantelzorg en vrijwilligerswerk) leest het dashboard in zonder "
        "koppelstap als u het lege gegevensbestand gebruikt."
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button(
        "Vragenlijst (PDF)",
        questionnaire.questionnaire_pdf,  # made on click (deferred), not on every rerun
        "vragenlijst_sociale_basis.pdf",
        "application/pdf",
        key="dl_vragen_pdf",
    )
    c2.download_button(
        "Vragenlijst (tekst)",
        lambda: questionnaire.questionnaire_markdown().encode(),
        "vragenlijst_sociale_basis.md",
        "text/markdown",
        key="dl_vragen_md",
    )
    c3.download_button(
        "Leeg gegevensbestand (CSV)",
        lambda: questionnaire.empty_data_file("csv"),
        "enquete_leeg.csv",
        "text/csv",
        key="dl_leeg_csv",
    )
    c4.download_button(
        "Leeg gegevensbestand (Excel)",
        lambda: questionnaire.empty_data_file("xlsx"),
        "enquete_leeg.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_leeg_xlsx",
    )
    example = survey_session.example_frame(gemeente_code)
    if example is not None:
        st.subheader(f"Fictief voorbeeld voor {gemeente_name}")
        st.write(
            "Verzonnen antwoorden, gemaakt op basis van de RIVM-schattingen per wijk, om het "
            "inlezen te oefenen. **Geen echte gegevens.**"
        )
        mimes = {
            "csv": "text/csv",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "sav": "application/octet-stream",
        }
        for col, fmt in zip(st.columns(3), survey_files.FORMATS, strict=True):
            col.download_button(
                f"Fictief voorbeeld ({fmt.upper() if fmt != 'sav' else 'SPSS'})",
                # Made on click: the Excel file of the example alone takes ~1 s (issue #14).
                functools.partial(survey_files.example_bytes, example, fmt),
                f"voorbeeld_enquete_fictief.{fmt}",
                mimes[fmt],
                key=f"dl_voorbeeld_{fmt}",
            )

with tab_upload:
    upload = st.file_uploader(
        "Enquêtebestand (CSV, Excel of SPSS)",
        type=SURVEY_TYPES,
        key="enquete_bestand",
        help="Eén rij per respondent. Zonder bestand toont het dashboard het fictieve voorbeeld.",
    )
    if survey_session.survey_needs_recount():
        st.info("De regel voor kleine aantallen is veranderd: reken de enquête opnieuw uit.")
    if upload is None:
        survey = survey_session.active_survey(gemeente_code, with_example=True)
        if survey is not None and survey.fictitious:
            st.warning(
                f"Geen bestand ingelezen: hieronder staat het **fictieve voorbeeld** voor "
                f"{gemeente_name} (verzonnen antwoorden)."
            )
    else:
        content = upload.getvalue()
        sheets = survey_session.excel_sheets(content, upload.name)
        sheet = st.selectbox("Tabblad", sheets, key="enquete_tabblad") if len(sheets) > 1 else None
        try:
            raw = survey_session.read_upload(content, upload.name, sheet)
        except UploadError as err:
            display.error(err)
            st.stop()
        for warning in raw.warnings:
            display.warning(warning)
        display.success(
            f"{upload.name}: {fmt_number(len(raw.frame))} rijen en "
            f"{len(raw.frame.columns)} kolommen ingelezen."
        )

        st.subheader("Kolommen koppelen")
        proposed = colmap.propose_mapping(
            [str(c) for c in raw.frame.columns], raw.column_labels, raw.value_labels
        )
        saved = st.file_uploader(
            "Koppeling van een vorige keer (optioneel)", type=["json"], key="koppel_bestand"
        )
        if saved is not None:
            try:
                proposed = colmap.from_json(saved.getvalue(), saved.name)
            except UploadError as err:
                display.error(err)
        if colmap.needs_confirmation(proposed):
            st.write(
                "Controleer per vraag welke kolom erbij hoort. Het voorstel komt uit de "
                "kolomnamen en (bij SPSS) de vraagteksten."
            )
            mapping = survey_session.mapping_editor(raw, proposed)
        else:
            st.write("Alle kolommen hebben de standaardnaam: koppelen is niet nodig.")
            mapping = proposed
        problems = colmap.mapping_problems(mapping, [str(c) for c in raw.frame.columns])
        for problem in problems:
            display.error(problem)
        if not problems:
            st.subheader("Antwoorden nakijken")
            st.write(
                "Per vraag de antwoorden die in het bestand staan, hoe vaak, en wat het "
                "dashboard ervan maakt. Pas aan waar het niet klopt; 'weet niet / geen "
                "antwoord' telt als ontbrekend. Een ongeldig antwoord telt alleen bij die vraag "
                "niet mee."
            )
            mapping = survey_session.answer_editor(raw, mapping)
        st.download_button(
            "Koppeling (kolommen en antwoorden) bewaren voor de volgende keer",
            mapping.to_json().encode(),
            "koppeling_enquete.json",
            "application/json",
            key="dl_koppeling",
        )
        st.subheader("Gemeente en niveau")
        found = survey_session.proposed_gemeenten(raw, mapping)
        if len(found) > 1:
            listed = ", ".join(
                f"{names.get(code, code)} ({fmt_number(n)} {'rij' if n == 1 else 'rijen'})"
                for code, n in found[:6]
            )
            st.warning(
                f"De gebieden in het bestand horen bij meer dan één gemeente: {listed}. Het "
                f"dashboard rekent voor {gemeente_name}; rijen van een andere gemeente worden "
                "getoond, niet meegeteld."
            )
        elif found and found[0][0] != gemeente_code:
            st.warning(
                f"De gebieden in het bestand horen bij {names.get(found[0][0], found[0][0])} "
                f"({found[0][0]}), niet bij {gemeente_name}. Kies die gemeente in de zijbalk."
            )
        levels = ["wijk", "buurt"]
        level = st.selectbox(
            "Niveau van de cijfers",
            levels,
            index=levels.index(survey_session.proposed_level(raw, mapping, gemeente_code)),
            key="enquete_niveau",
            help="Voorstel uit de gebieden in het bestand: buurtcodes of buurtnamen geven "
            "'buurt'. Per wijk tellen de buurten van die wijk mee.",
        )
        year = st.number_input(
            "Jaar van de enquête", 2000, 2100, dt.date.today().year, key="enquete_jaar"
        )
        postcode_upload = None
        if "postcode" in mapping.sources:
            postcode_upload = st.file_uploader(
                "Postcodetabel van het CBS (Buurt, wijk en gemeente voor postcode huisnummer)",
                type=POSTCODE_TYPES,
                key="postcode_bestand",
                help="Nodig om respondenten met alleen een postcode aan een buurt te koppelen.",
            )
        if st.button(
            "Inlezen en berekenen", type="primary", disabled=bool(problems), key="enquete_bereken"
        ):
            with st.spinner("Schalen scoren en per wijk berekenen…"):
                try:
                    survey = survey_session.analyse_upload(
                        raw,
                        mapping,
                        gemeente_code,
                        int(year),
                        level=level,
                        sheet=sheet,
                        postcodes=postcode_upload,
                    )
                except UploadError as err:
                    display.error(err)
                    st.stop()
            survey_session.store_survey(survey)

    survey = survey_session.active_survey(gemeente_code, with_example=True)
    if survey is None:
        st.info(f"Voor {gemeente_name} zijn geen wijken met RIVM-cijfers in de gegevens.")
        st.stop()
    result = survey.result

    st.subheader("Resultaat per wijk" + (" — fictief voorbeeld" if survey.fictitious else ""))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Respondenten", fmt_number(result.respondents))
    m2.metric("Meegeteld", fmt_number(result.used))
    m3.metric("Gebied niet gevonden", fmt_number(result.match_counts.get("niet gekoppeld", 0)))
    m4.metric(
        "Rijen met een fout",
        fmt_number(result.respondents - result.used - result.match_counts.get("niet gekoppeld", 0)),
    )
    if result.problems:
        with st.expander(
            f"{len(result.problems)} problemen in het bestand (per kolom en waarde; een ongeldig "
            "antwoord telt alleen bij die vraag niet mee)",
            expanded=len(result.problems) <= 5,
        ):
            st.text("\n".join(result.problems[:200]))
    if result.notes:
        with st.expander("Wat de problemen met de schalen en gebieden doen", expanded=True):
            st.text("\n".join(result.notes))
    if not result.unmatched.empty:
        with st.expander("Gebieden die niet aan een wijk te koppelen waren", expanded=True):
            st.dataframe(
                formula_safe_frame(tables.unmatched_display(result.unmatched)),
                hide_index=True,
                width="stretch",
                key="niet_gekoppeld",
            )

    cat = survey_session.session_catalogue(gemeente_code, with_example=True)
    ids = list(dict.fromkeys(result.estimates["indicator"]))
    if not ids:
        display.warning(
            f"{survey.file_name}: geen enkele vraag uit de vragenlijst gevonden (verwacht: "
            "bijvoorbeeld de eenzaamheidsvragen djg11_1 … djg11_11, 'rondkomen' of vz_…). "
            "Koppel de kolommen hierboven aan de vragen."
        )
        st.stop()
    indicator_id = st.selectbox(
        "Indicator", ids, format_func=lambda i: cat.indicator(i).label, key="enquete_indicator"
    )
    indicator = cat.indicator(indicator_id)
    table = survey_session.survey_table(result, indicator_id, gemeente_code)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=38 * (len(table) + 1),
        key="enquete_tabel",
        column_config={"Waarde": st.column_config.TextColumn(width="medium")},
    )
    downloads.survey_downloads(survey, indicator_id, gemeente_code)
    total = result.estimates[
        (result.estimates["indicator"] == indicator_id)
        & (result.estimates["area"] == survey_pipeline.stats.TOTAL_AREA)
    ]
    if not total.empty and total["value"].notna().all():
        row = total.iloc[0]
        st.caption(
            f"Heel {gemeente_name}: {fmt_value(row['value'], '%', 1)} "
            f"(95%-BI {fmt_interval(row['ci_low'], row['ci_high'], '%', 1)}, "
            f"n = {fmt_number(row['n'])}). {indicator.definition}"
        )
    credit = plain_markdown(survey.source.credit)  # plain text, like all survey wording
    st.caption(
        f"{credit}. Gewogen percentages; het 95%-betrouwbaarheidsinterval "
        "(Wilson) rekent met het effectieve aantal (Kish). "
        f"{survey_pipeline.stats.suppression_rule(result.min_n, result.indicative_n)} "
        "'Anders dan gemeente' vergelijkt "
        "de wijk met de rest van de gemeente; 'anders dan RIVM' zegt of de RIVM-schatting "
        f"van 2020 buiten het interval van de enquête ({survey.source.period}) valt. Het RIVM "
        "publiceert ook een marge bij zijn schattingen; die zit niet in deze snapshot, dus "
        "alleen het interval van de enquête telt mee."
    )
    chance = survey_pipeline.significance_note(result.estimates, indicator_id)
    if chance:
        st.caption(chance)
    st.page_link(
        "ui/pages/kaart.py",
        label="Bekijk op de kaart",
        icon=":material/map:",
        query_params={"gemeente": gemeente_code, "indicator": indicator_id},
    )
