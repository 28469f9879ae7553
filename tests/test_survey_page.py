"""AppTest of the Eigen enquête page and the survey on the map: upload, mapping, results."""

import io

import pandas as pd
import pytest

from analysis.survey import pipeline as survey_pipeline
from analysis.survey.example import generate_example, generate_messy_example
from data.snapshot import load_snapshot
from data.survey_files import example_bytes
from tests.apptest import app, dataframe_with, figures, no_exception, shown_text

GEMEENTE = "GM0080"


@pytest.fixture(scope="module")
def example():
    snap = load_snapshot()
    regions = survey_pipeline.survey_regions(snap.regions, GEMEENTE)
    rivm = survey_pipeline.rivm_reference(snap.values, regions["code"])
    return generate_example(rivm, regions, gemeente_code=GEMEENTE), regions, rivm


def survey_page(query=None):
    at = app(query).run()
    at.switch_page("ui/pages/enquete.py").run()
    no_exception(at)
    return at


def upload(at, name, content, mime="application/octet-stream"):
    at.file_uploader(key="enquete_bestand").upload(name, content, mime).run()
    no_exception(at)
    return at


def test_without_upload_the_fictitious_example_is_shown_and_labelled():
    at = survey_page()
    assert at.title[0].value == "Eigen enquête"
    assert any("fictieve voorbeeld" in w.value for w in at.warning)
    table = dataframe_with(at, "Anders dan RIVM")
    assert len(table) == 22  # every wijk of Leeuwarden 2025
    binnenstad = table.set_index("Gebied").loc["Binnenstad"]
    assert binnenstad["Waarde"] == "minder dan 30 antwoorden"  # n = 19 in the example
    assert binnenstad["95%-BI"] == ""
    assert any("fictief voorbeeld" in c.value for c in at.caption)


def test_upload_the_example_spss_file_imports_without_a_mapping_step(example):
    frame, _, _ = example
    at = upload(survey_page(), "voorbeeld.sav", example_bytes(frame, "sav"))
    assert any("koppelen is niet nodig" in m.value for m in at.markdown)
    at.button(key="enquete_bereken").click().run()
    no_exception(at)
    assert not any("fictieve voorbeeld" in w.value for w in at.warning)
    assert at.metric[0].value == f"{len(frame):,}".replace(",", ".")
    table = dataframe_with(at, "Anders dan RIVM")
    assert "RIVM-schatting 2020" in table.columns
    shown = table[table["95%-BI"] != ""]
    assert (shown["n"] >= 30).all()
    assert (table.loc[table["n"] < 30, "Waarde"] == "minder dan 30 antwoorden").all()


def test_messy_csv_needs_mapping_and_lists_bad_rows_with_row_and_column(example):
    _, regions, rivm = example
    messy = generate_messy_example(rivm, regions, gemeente_code=GEMEENTE)
    renamed = messy.rename(
        columns={"gebied": "Wijk", "gewicht": "Weegfactor", "respondent_id": "Respondentnummer"}
    )
    buf = io.StringIO()
    renamed.to_csv(buf, sep=";", index=False)
    at = upload(survey_page(), "enquete.csv", buf.getvalue().encode("utf-8-sig"), "text/csv")
    assert at.selectbox(key="koppel_gebied").value == "Wijk"
    at.button(key="enquete_bereken").click().run()
    no_exception(at)
    problems = " ".join(e.label for e in at.expander)
    assert "problemen in het bestand" in problems
    text = " ".join(t.value for t in at.text)
    assert "enquete.csv, rij " in text and "kolom 'djg11_3': '4' is geen geldig antwoord" in text
    assert "komt meer dan eens voor" in text
    unmatched = dataframe_with(at, "Aantal rijen")
    assert unmatched["Aantal rijen"].sum() >= 2  # the empty area and the unknown code


def test_bad_file_gives_a_dutch_message_and_no_traceback():
    at = upload(survey_page(), "enquete.csv", b"\x00\x01\x02garbage\x00" * 50, "text/csv")
    assert at.error and "enquete.csv" in shown_text(at.error[0])


def test_uploaded_survey_appears_on_the_map_with_n_and_ci(example):
    frame, _, _ = example
    at = upload(survey_page(), "voorbeeld.sav", example_bytes(frame, "sav"))
    at.button(key="enquete_bereken").click().run()
    at.switch_page("ui/pages/kaart.py")
    at.query_params["indicator"] = "enq_eenzaam"
    at.run()
    no_exception(at)
    assert at.selectbox(key="indicator").value == "enq_eenzaam"
    fig = figures(at)[0]
    texts = [t for trace in fig["data"] for t in trace["text"]]
    assert any("95%-BI" in t and "n = " in t for t in texts)
    assert any("minder dan 30 antwoorden" in t for t in texts)
    shown = [trace for trace in fig["data"] if trace.get("showscale", True)][0]
    assert len(shown["locations"]) < 22  # suppressed wijken are not coloured


def test_two_sessions_never_see_each_others_upload(example):
    frame, _, _ = example
    first = upload(survey_page(), "voorbeeld.sav", example_bytes(frame, "sav"))
    first.button(key="enquete_bereken").click().run()
    assert not any("fictieve voorbeeld" in w.value for w in first.warning)
    second = survey_page()
    assert any("fictieve voorbeeld" in w.value for w in second.warning)


def cached_blobs() -> list[bytes]:
    """Return every value held in st.cache_data (pickled) and st.cache_resource (pickled here)."""
    import pickle

    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    blobs = []
    for caches in cache_data_api._data_caches._function_caches.values():
        for cache in caches.values():
            mem = cache.storage._mem_cache if hasattr(cache.storage, "_mem_cache") else {}
            blobs += [bytes(mem[k]) for k in list(mem.keys())]
    resource_caches = cache_resource_api._resource_caches._function_caches.values()
    for cache in (c for caches in resource_caches for c in caches.values()):
        for entry in list(cache._mem_cache.values()):
            value = getattr(entry, "value", entry)
            try:
                blobs.append(pickle.dumps(value))
            except Exception:  # unpicklable handles hold no survey rows
                continue
    return blobs


def test_the_cache_scanner_would_see_respondent_rows():
    import streamlit as st

    @st.cache_data
    def leak() -> pd.DataFrame:
        return pd.DataFrame({"respondent_id": ["FICTIEF-LEAK-TEST"]})

    leak()
    try:
        assert any(b"FICTIEF-LEAK-TEST" in blob for blob in cached_blobs())
    finally:
        leak.clear()


def test_no_respondent_rows_in_any_process_wide_cache(example):
    frame, _, _ = example
    at = upload(survey_page(), "voorbeeld.sav", example_bytes(frame, "sav"))
    at.button(key="enquete_bereken").click().run()
    at.switch_page("ui/pages/kaart.py").run()
    blobs = cached_blobs()
    assert blobs, "the app caches public data, so the scanner must find entries"
    ids = [str(i).encode() for i in frame["respondent_id"].head(100)]
    assert not any(i in blob for blob in blobs for i in ids)


def test_survey_indicators_are_kind_eigen_enquete_and_never_replace_rivm():
    at = survey_page()
    at.switch_page("ui/pages/kaart.py").run()
    options = at.selectbox(key="indicator").options
    assert "Eenzaam (RIVM-schatting)" in options
    assert "Eenzaam (eigen enquête)" in options


def test_aggregated_table_keeps_areas_that_are_not_on_the_map():
    lines = [
        "Gebied;Eenzaam (%);Moeite met rondkomen (%)",
        "Binnenstad;52,5;21",
        "Vrijheidswijk;55;.",
        "Oud-Oost;47;18",
        "Dorp Wirdum (eigen indeling);38;9",
        "Totaal Leeuwarden;46;16",
    ]
    content = "\n".join(lines).encode("utf-8")
    at = survey_page()
    at.file_uploader(key="tabel_bestand").upload("monitor.csv", content, "text/csv").run()
    no_exception(at)
    table = dataframe_with(at, "Kaart").set_index("Gebied")
    assert table.loc["Dorp Wirdum (eigen indeling)", "Kaart"] == "niet op de kaart"
    assert table.loc["Binnenstad", "Kaart"] == "op de kaart"
    assert table.loc["Binnenstad", "CBS-code"] == "WK008010"
    assert "Totaal Leeuwarden" not in table.index  # the gemeente's own total is the reference
    at.selectbox(key="tabel_kolom").select("Moeite met rondkomen (%)").run()
    table = dataframe_with(at, "Kaart").set_index("Gebied")
    assert table.loc["Vrijheidswijk", "Waarde"] == "onderdrukt in bron"
    fig = [f for f in figures(at) if f["data"][0]["type"] == "bar"][0]
    assert any("niet op de kaart" in y for y in fig["data"][0]["y"])


def test_respondents_with_only_a_postcode_match_through_the_cbs_postcode_table():
    rows = ["respondent_id;postcode;rondkomen"]
    rows += [f"{i};8921 AB;{1 + i % 3}" for i in range(40)]  # all in one Binnenstad buurt
    rows += [f"{i};9999ZZ;1" for i in range(40, 43)]  # not in the table
    survey_csv = "\n".join(rows).encode("utf-8")
    table_csv = b"PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n8921AB;1;00801001;008010;0080\n"
    at = upload(survey_page(), "pc_enquete.csv", survey_csv, "text/csv")
    at.file_uploader(key="postcode_bestand").upload("pc6hnr.csv", table_csv, "text/csv").run()
    at.button(key="enquete_bereken").click().run()
    no_exception(at)
    table = dataframe_with(at, "Anders dan RIVM").set_index("Gebied")
    assert table.loc["Binnenstad", "n"] == 40
    unmatched = dataframe_with(at, "Aantal rijen")
    assert unmatched["Aantal rijen"].sum() == 3


def test_small_number_rule_is_configurable_and_applies_everywhere():
    at = survey_page()
    at.number_input(key="drempel_min").set_value(20).run()
    no_exception(at)
    table = dataframe_with(at, "Anders dan RIVM").set_index("Gebied")
    # Binnenstad has 19 respondents in the example: still hidden at 20 …
    assert table.loc["Binnenstad", "Waarde"] == "minder dan 20 antwoorden"
    # … while wijken with 20–29 answers now show a figure (indicative), unless it could be
    # recovered from the total by subtraction (secondary suppression, with its own reason).
    small = table[(table["n"] >= 20) & (table["n"] < 30)]["Waarde"].tolist()
    assert any("(indicatief)" in v for v in small)
    assert all("(indicatief)" in v or "terug te rekenen" in v for v in small)


def test_the_questionnaire_data_file_imports_without_a_mapping_step():
    from analysis.survey.questionnaire import empty_data_file

    header = empty_data_file("csv").decode("utf-8-sig").strip()
    columns = header.split(";")
    rows = [header]
    for i in range(35):
        answer = {c: "" for c in columns}
        answer.update(respondent_id=str(i), gebied="Binnenstad", rondkomen=str(1 + i % 3))
        answer.update(
            {f"djg11_{k}": "ja" if k in (1, 4, 7, 8, 11) else "nee" for k in range(1, 12)}
        )
        rows.append(";".join(answer[c] for c in columns))
    at = upload(survey_page(), "ingevuld.csv", "\n".join(rows).encode("utf-8-sig"), "text/csv")
    assert any("koppelen is niet nodig" in m.value for m in at.markdown)
    at.button(key="enquete_bereken").click().run()
    no_exception(at)
    table = dataframe_with(at, "Anders dan RIVM").set_index("Gebied")
    assert table.loc["Binnenstad", "n"] == 35
