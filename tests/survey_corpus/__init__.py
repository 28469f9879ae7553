"""Respondent files shaped like real exports, built by code, with hand-computed expected figures.

Each builder returns the file's bytes; each file is designed from a few answer *profiles*
repeated a known number of times per area, so every expected percentage below is a fraction
worked out by hand from the design table next to it (never by the dashboard's own code).

- `ggd_monitor_sav`: an SPSS file from a GGD monitor. Numeric wijk codes without prefix
  (8010) with the wijk names as value labels; the De Jong Gierveld items coded the GGD way
  round (1 = nee … 3 = ja, the labels decide); rondkomen as "Nee, geen moeite" / "Ja, enige
  moeite" / "Ja, grote moeite" under a cryptic variable name found by its label; code 9
  "Weet niet" declared user-missing; a weight; two rows with an unlabelled code 7.
- `gemeente_csv`: a gemeente's CSV export in Windows-1252 with ``;``, decimal commas in the
  weight, loose wijk names, and Burgerpeiling/voorzieningen wording.
- `buurt_xlsx`: an Excel buurtenquête with a merged group header above the header row, a
  second sheet, buurt codes in three notations and the 6-item scale as text answers.
- `long_monitor_csv`: a monitor table in long form (one row per area and indicator), with a
  row for the gemeente itself.

The figures are for Leeuwarden (GM0080), indeling of the snapshot.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

GEMEENTE = "GM0080"

# --- A: SPSS from a GGD monitor -------------------------------------------------------------

# File codes of the GGD: 1 = nee, 2 = min of meer, 3 = ja; 9 = weet niet (user-missing).
NEE, MOM, JA, WEET_NIET = 1.0, 2.0, 3.0, 9.0
# The 11 items; True where the item is worded positively (social: "nee" is the lonely answer).
SOCIAL_ITEMS = (True, False, False, True, False, False, True, True, False, False, True)


def _djg11(lonely: int, missing_first: bool = False) -> list[float]:
    """Answers to the 11 items: the first ``lonely`` lonely, the rest not; item 1 maybe 9."""
    out = []
    for i, social in enumerate(SOCIAL_ITEMS):
        if i < lonely:
            out.append(NEE if social else JA)
        else:
            out.append(JA if social else NEE)
    if missing_first:
        out[0] = WEET_NIET
    return out


# Rondkomen in the file: 1 = "Nee, geen moeite", 2 = "Ja, enige moeite", 3 = "Ja, grote moeite".
GEEN, ENIGE, GROTE = 1.0, 2.0, 3.0

#: Profiles: (score, item-1 missing, rondkomen code, weight).
SAV_PROFILES = {
    "P0": (0, False, GEEN, 1.0),
    "P3": (3, False, ENIGE, 1.5),
    "P9": (9, False, GROTE, 0.5),
    "Pm": (0, True, WEET_NIET, 1.0),  # one item "weet niet": no 11-item score; rondkomen missing
}
#: (wijk code as the file holds it, label, {profile: count}).
SAV_DESIGN = (
    (8010.0, "Binnenstad", {"P0": 20, "P3": 12, "P9": 4, "Pm": 4}),
    (8020.0, "Oud-Oost", {"P0": 30, "P3": 6, "P9": 2, "Pm": 2}),
    (8051.0, "Camminghaburen e.o.", {"P0": 16, "P3": 12, "P9": 4}),
    (8099.0, "Wijk onbekend", {"P3": 3}),
)
#: In Oud-Oost, the first two P0 respondents answered rondkomen with code 7 (no label).
SAV_BAD_RONDKOMEN = 2


def ggd_monitor_sav(path) -> bytes:
    """Write the GGD monitor file with pyreadstat and return its bytes."""
    import pandas as pd
    import pyreadstat

    rows = []
    for code, _, counts in SAV_DESIGN:
        bad = SAV_BAD_RONDKOMEN if code == 8020.0 else 0
        for profile, n in counts.items():
            score, missing, rondkomen, weight = SAV_PROFILES[profile]
            for _ in range(n):
                answer = rondkomen
                if profile == "P0" and bad:
                    answer, bad = 7.0, bad - 1
                rows.append([code, weight, *_djg11(score, missing), answer])
    items = [f"EENZ{i}" for i in range(1, 12)]
    frame = pd.DataFrame(rows, columns=["WIJK", "WEEGFAC", *items, "MMIKB201"])
    frame.insert(0, "RESPNR", range(1, len(frame) + 1))
    from analysis.survey.instrument import DJG11_ORDER, DJG_WORDING

    labels = {
        "RESPNR": "Respondentnummer",
        "WIJK": "Wijk",
        "WEEGFAC": "Weegfactor",
        "MMIKB201": "Moeite met rondkomen van het inkomen",
        **{item: DJG_WORDING[key] for item, (key, _) in zip(items, DJG11_ORDER, strict=True)},
    }
    djg_labels = {NEE: "Nee", MOM: "Min of meer", JA: "Ja", WEET_NIET: "Weet niet"}
    value_labels = {
        "WIJK": {code: label for code, label, _ in SAV_DESIGN},
        "MMIKB201": {
            GEEN: "Nee, geen moeite",
            ENIGE: "Ja, enige moeite",
            GROTE: "Ja, grote moeite",
            WEET_NIET: "Weet niet",
        },
        **dict.fromkeys(items, djg_labels),
    }
    missing = {c: [9.0] for c in [*items, "MMIKB201"]}
    target = path / "monitor_ggd.sav"
    pyreadstat.write_sav(
        frame,
        str(target),
        column_labels=labels,
        variable_value_labels=value_labels,
        missing_ranges=missing,
    )
    return target.read_bytes()


# --- B: CSV of a gemeente ---------------------------------------------------------------------

#: Profiles: eenzaam, bibliotheek, rondkomen, vrijwilligerswerk, weight (as in the file).
CSV_PROFILES = {
    "Q1": ("Ja, vaak", "Ja", "Ja, enige moeite", "Ja", "1,5"),
    "Q2": ("Ja, soms", "Nee, maar ik ken het wel", "Nee", "Nee", "1"),
    "Q3": ("Nee, (bijna) nooit", "Nee, ken ik niet", "Ja, grote moeite", "Nee", "0,5"),
    "Q4": ("Weet niet", "Ja", "Nee", "Ja", "1"),
}
#: (wijk names as typed, one per respondent in turn; {profile: count}).
CSV_DESIGN = (
    (("binnenstad", "Binnenstad "), {"Q1": 10, "Q2": 20, "Q3": 10, "Q4": 5}),
    (("Oud oost",), {"Q1": 5, "Q2": 25, "Q3": 6, "Q4": 4}),
    (("HEECHTERP EN SCHIERINGEN", "Heechterp-Schieringen"), {"Q1": 8, "Q2": 12, "Q3": 10}),
    (("Nijlân en De Zwette",), {"Q2": 30}),
)


def gemeente_csv(_path=None) -> bytes:
    """Return the gemeente export: Windows-1252, ``;``, decimal commas, CRLF."""
    header = [
        "Respondentnummer",
        "Woonwijk",
        "Weging",
        "Voelt u zich wel eens eenzaam?",
        "Bibliotheek bezocht afgelopen jaar",
        "Moeite met rondkomen",
        "Doet u vrijwilligerswerk?",
    ]
    lines = [";".join(header)]
    number = 0
    for names, counts in CSV_DESIGN:
        turn = 0
        for profile, n in counts.items():
            eenzaam, bieb, rondkomen, vrijwillig, weight = CSV_PROFILES[profile]
            for _ in range(n):
                number += 1
                name = names[turn % len(names)]
                turn += 1
                lines.append(
                    ";".join([f"R{number:04d}", name, weight, eenzaam, bieb, rondkomen, vrijwillig])
                )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


# --- C: Excel buurtenquête -------------------------------------------------------------------

# 6-item order: leegte (E), narigheid (S), vertrouwen (S), mis mensen (E), verbonden (S),
# steek (E). Non-lonely: E "nee", S "ja".
R0 = ["nee", "ja", "ja", "nee", "ja", "nee"]  # score 0
R2 = ["ja", "nee", "ja", "nee", "ja", "nee"]  # score 2: eenzaam
R5 = ["ja", "nee", "nee", "ja", "nee", "nee"]  # score 5: sterk eenzaam
R1M = [None, "ja", "ja", "nee", "ja", "nee"]  # one missing: scored on 5 items, score 0
R2M = [None, None, "ja", "nee", "ja", "nee"]  # two missing: no score
XLSX_PROFILES = {"R0": (R0, "Nee"), "R2": (R2, "Ja"), "R5": (R5, "Ja"), "R1M": (R1M, "Nee"),
                 "R2M": (R2M, "Ja")}  # fmt: skip
#: (buurt code as typed, {profile: count}).
XLSX_DESIGN = (
    ("BU00801001", {"R0": 20, "R2": 10, "R5": 5}),  # De Waag
    (801002, {"R0": 25, "R2": 5, "R1M": 5, "R2M": 3}),  # Nieuwestad, leading zeros dropped
    ("bu0080 10 03", {"R0": 10, "R2": 15, "R5": 10}),  # Oldehove
)


def buurt_xlsx(_path=None) -> bytes:
    """Return the buurtenquête workbook: merged group header, header row, second sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Antwoorden"
    sheet.append(["Over u", None, "Eenzaamheid (De Jong Gierveld, 6 vragen)", *[None] * 5,
                  "Zorg"])  # fmt: skip
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:H1")
    sheet.append(["Buurtcode", "Leeftijd", *[f"Eenzaamheid {i}" for i in range(1, 7)],
                  "Mantelzorg"])  # fmt: skip
    age = 30
    for code, counts in XLSX_DESIGN:
        for profile, n in counts.items():
            answers, zorg = XLSX_PROFILES[profile]
            for _ in range(n):
                age = 20 + (age + 7) % 60
                sheet.append([code, age, *answers, zorg])
    notes = book.create_sheet("Toelichting")
    notes.append(["Buurtenquête 2026, verzameld door het buurtteam."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- D: long-form monitor table -------------------------------------------------------------


def long_monitor_csv(_path=None) -> bytes:
    """Return a monitor table in long form: one row per area and indicator."""
    rows = [
        "gebied;thema;indicator;waarde;n",
        "Leeuwarden;Welzijn;Eenzaam (%);41,2;2100",
        "Binnenstad;Welzijn;Eenzaam (%);45,0;310",
        "Binnenstad;Welzijn;Moeite met rondkomen (%);22,5;305",
        "Oud-Oost;Welzijn;Eenzaam (%);38,4;280",
        "Oud-Oost;Welzijn;Moeite met rondkomen (%);-;12",
        "Grou;Welzijn;Eenzaam (%);30,1;150",
        "Grou;Welzijn;Moeite met rondkomen (%);12,0;149",
        "Leeuwarden;Welzijn;Moeite met rondkomen (%);19,8;2080",
    ]
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


@dataclass(frozen=True)
class Expected:
    """An expected figure: area code, indicator id (without ``enq_``), n, percentage or None."""

    code: str
    indicator: str
    n: int
    pct: float | None  # None: suppressed


# Hand computation, file A (weights P0 1.0, P3 1.5, P9 0.5; Pm has no score and no rondkomen):
#   Binnenstad eenzaam: n 20+12+4 = 36; Σw 20+18+2 = 40; lonely 18+2 = 20 → 50 %.
#   Binnenstad ernstig: 9+ only P9: 2/40 → 5 %. Rondkomen like eenzaam: 20/40 = 50 %, grote 5 %.
#   Oud-Oost eenzaam: n 38; Σw 30+9+1 = 40; lonely 9+1 = 10 → 25 %.
#   Oud-Oost rondkomen: two P0 with code 7 are missing for rondkomen only: n 36,
#     Σw 28+9+1 = 38; moeite 10 → 26.315789… %.
#   Camminghaburen eenzaam: n 32; Σw 16+18+2 = 36; lonely 20 → 55.555… %, but NOT shown: the
#     3 respondents of "Wijk onbekend" alone could be read back from the total minus the shown
#     wijken, so the smallest wijk is suppressed with them (secondary suppression, 32+3 >= 30).
#   Gemeente eenzaam: the 3 respondents of "Wijk onbekend" (P3, 1.5) count in the total only:
#     n 36+38+32+3 = 109; Σw 40+40+36+4.5 = 120.5; lonely 20+10+20+4.5 = 54.5 → 45.228… %.
SAV_EXPECTED = (
    Expected("WK008010", "eenzaam", 36, 50.0),
    Expected("WK008010", "ernstig_eenzaam", 36, 5.0),
    Expected("WK008010", "moeite_rondkomen", 36, 50.0),
    Expected("WK008010", "grote_moeite_rondkomen", 36, 5.0),
    Expected("WK008020", "eenzaam", 38, 25.0),
    Expected("WK008020", "moeite_rondkomen", 36, 1000 / 38),
    Expected("WK008051", "eenzaam", 32, None),
    Expected(GEMEENTE, "eenzaam", 109, 5450 / 120.5),
)

# Hand computation, file B (weights Q1 1.5, Q2 1, Q3 0.5, Q4 1; Q4 "weet niet" = missing for
# eenzaam only):
#   Binnenstad eenzaam ("vaak" = Q1): n 40; Σw 15+20+5 = 40; y 15 → 37.5 %.
#   Binnenstad bibliotheek gebruikt (Q1, Q4): n 45; Σw 45; y 15+5 = 20 → 44.44… %;
#     kent niet (Q3): 5/45 → 11.11… %.
#   Binnenstad moeite (Q1 enige, Q3 grote; Q2/Q4 plain "Nee"): 20/45; grote 5/45.
#   Binnenstad vrijwilligerswerk (Q1, Q4): 20/45.
#   Oud-Oost eenzaam: n 36; Σw 7.5+25+3 = 35.5; y 7.5 → 21.126… %.
#   Heechterp & Schieringen (two spellings) eenzaam: n 30; Σw 12+12+5 = 29; y 12 → 41.37… %.
#   Nijlân & De Zwette eenzaam: n 30, y 0 → 0 %.
#   Gemeente eenzaam: n 40+36+30+30 = 136; Σw 40+35.5+29+30 = 134.5; y 15+7.5+12 = 34.5.
CSV_EXPECTED = (
    Expected("WK008010", "eenzaam_zelf", 40, 37.5),
    Expected("WK008010", "vz_bibliotheek_gebruikt", 45, 2000 / 45),
    Expected("WK008010", "vz_bibliotheek_onbekend", 45, 500 / 45),
    Expected("WK008010", "moeite_rondkomen", 45, 2000 / 45),
    Expected("WK008010", "grote_moeite_rondkomen", 45, 500 / 45),
    Expected("WK008010", "vrijwilligerswerk", 45, 2000 / 45),
    Expected("WK008020", "eenzaam_zelf", 36, 750 / 35.5),
    Expected("WK008050", "eenzaam_zelf", 30, 1200 / 29),
    Expected("WK008041", "eenzaam_zelf", 30, 0.0),
    Expected(GEMEENTE, "eenzaam_zelf", 136, 3450 / 134.5),
)

# Hand computation, file C (unweighted; buurt level):
#   De Waag: eenzaam (2+) R2+R5 = 15 of 35 → 42.857… %; sterk (5+) 5/35; mantelzorg 15/35.
#   Nieuwestad: R2M has no score: n 35; eenzaam 5/35 → 14.285… %; mantelzorg (R2, R2M) 8/38.
#   Oldehove: 25/35 → 71.428… %; sterk 10/35.
#   Gemeente: n 105; eenzaam 45/105.
XLSX_EXPECTED = (
    Expected("BU00801001", "eenzaam_djg6", 35, 1500 / 35),
    Expected("BU00801001", "sterk_eenzaam_djg6", 35, 500 / 35),
    Expected("BU00801001", "mantelzorg", 35, 1500 / 35),
    Expected("BU00801002", "eenzaam_djg6", 35, 500 / 35),
    Expected("BU00801002", "mantelzorg", 38, 800 / 38),
    Expected("BU00801003", "eenzaam_djg6", 35, 2500 / 35),
    Expected("BU00801003", "sterk_eenzaam_djg6", 35, 1000 / 35),
    Expected(GEMEENTE, "eenzaam_djg6", 105, 4500 / 105),
)
