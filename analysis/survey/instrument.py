"""The survey instrument, declared once: answers, item wording, voorzieningen, links, name hints.

Everything a respondent reads and everything the dashboard checks comes from here:

- `scales` builds the scored scales from these answer sets and this wording;
- `questionnaire` prints the questionnaire (PDF/Markdown) and writes the empty data file from
  those scales, grouped into the `BLOCKS` declared here;
- `columns` proposes column mappings from the naming hints (`NAME_RULES`, `LABEL_RULES`,
  `DJG_PHRASES`, `Voorziening.words`) and the answer labels;
- `answers` proposes a category for each distinct answer in a file from the answer labels and
  their variants (the wording of the GGD standaardvraagstelling and the Burgerpeiling);
- `example` generates the fictitious survey anchored on the RIVM indicators in `RIVM_LINKS`.

``tests/test_instrument.py`` fails when any of these could drift apart. Adding a scale: declare
its answers and wording here (or reuse an answer set), its `scales.Scale` in `scales.SCALES`
with a ``block`` from `BLOCKS`, then its tests.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BLOCKS",
    "DEFAULT_VOORZIENINGEN",
    "DJG11_ORDER",
    "DJG6_FROM_DJG11",
    "DJG_PHRASES",
    "DJG_WORDING",
    "EMOTIONAL",
    "GEBRUIK",
    "HOE_VAAK",
    "ID_COLUMNS",
    "JA_MIN_NEE",
    "JA_NEE",
    "LABEL_RULES",
    "MOEITE",
    "NAME_RULES",
    "NON_ANSWERS",
    "RIVM_LINKS",
    "SOCIAL",
    "SUBSCALE_RIVM",
    "VOORZIENINGEN",
    "Answer",
    "BlockInfo",
    "Voorziening",
    "voorziening",
]


@dataclass(frozen=True)
class Answer:
    """One answer option: its code, Dutch label and accepted spellings of the label.

    ``variants`` are other wordings of the same answer as files hold them (the GGD
    standaardvraagstelling, the Burgerpeiling, English exports); they are compared after
    case, accents and punctuation are dropped.
    """

    code: int
    label: str
    variants: tuple[str, ...] = ()
    missing: bool = False  # a real option that carries no information ("weet niet")


# --------------------------------------------------------------------------------------------
# Answer sets (codes, labels, the wordings files use)
# --------------------------------------------------------------------------------------------

JA_MIN_NEE = (
    Answer(1, "ja", ("ja!", "yes")),
    Answer(2, "min of meer", ("min-of-meer", "minofmeer", "min of meer", "more or less")),
    Answer(3, "nee", ("nee!", "neen", "no")),
)
HOE_VAAK = (
    Answer(1, "heel vaak", ("ja, heel vaak", "zeer vaak", "ja, zeer vaak")),
    # Burgerpeiling: "Ja, vaak" / "Ja, soms" / "Nee, (bijna) nooit".
    Answer(2, "vaak", ("ja, vaak", "ja vaak")),
    Answer(3, "soms", ("ja, soms", "ja soms")),
    Answer(4, "zelden", ("ja, zelden",)),
    Answer(5, "nooit", ("nee, nooit", "nee, (bijna) nooit", "(bijna) nooit", "bijna nooit")),
    Answer(9, "weet niet", ("weet ik niet",), missing=True),
)
MOEITE = (
    # GGD standaardvraagstelling: "Ja, grote moeite" / "Ja, enige moeite" / "Nee, geen moeite".
    Answer(1, "grote moeite", ("met grote moeite", "ja, grote moeite", "ja, met grote moeite")),
    Answer(2, "enige moeite", ("met enige moeite", "ja, enige moeite", "ja, met enige moeite")),
    Answer(
        3,
        "geen moeite",
        ("zonder moeite", "met geen moeite", "nee, geen moeite", "nee, zonder moeite", "nee"),
    ),
)
GEBRUIK = (
    Answer(1, "gebruikt", ("gebruik ik", "ja", "ja, gebruikt", "ja, gebruik ik")),
    Answer(
        2,
        "kent maar gebruikt niet",
        (
            "kent, maar gebruikt niet",
            "ken ik maar gebruik ik niet",
            "nee, maar ik ken het wel",
            "nee, maar ken ik wel",
            "nee, wel bekend",
            "bekend, niet gebruikt",
        ),
    ),
    Answer(3, "kent niet", ("ken ik niet", "onbekend", "nee, ken ik niet", "nee, onbekend")),
)
JA_NEE = (Answer(1, "ja", ("yes",)), Answer(2, "nee", ("neen", "no")))

#: Texts that state "no answer" for any question; they are missing, not an error.
NON_ANSWERS = (
    "geen antwoord",
    "niet ingevuld",
    "wil ik niet zeggen",
    "weet ik niet",
    "weet niet",
    "weet niet / geen antwoord",
    "weet niet/geen antwoord",
    "n.v.t.",
    "niet van toepassing",
)

# --------------------------------------------------------------------------------------------
# De Jong Gierveld: wording, order, subscales (standard Dutch wording; do not edit)
# --------------------------------------------------------------------------------------------

EMOTIONAL = "emotioneel"
SOCIAL = "sociaal"

#: The standard Dutch wording of each item, by a short key.
DJG_WORDING = {
    "probleempjes": "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse "
    "probleempjes terecht kan.",
    "vriend": "Ik mis een echt goede vriend of vriendin.",
    "leegte": "Ik ervaar een leegte om me heen.",
    "narigheid": "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
    "gezelligheid": "Ik mis gezelligheid om me heen.",
    "kennissen": "Ik vind mijn kring van kennissen te beperkt.",
    "vertrouwen": "Ik heb veel mensen op wie ik volledig kan vertrouwen.",
    "verbonden": "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
    "mis_mensen": "Ik mis mensen om me heen.",
    "steek": "Vaak voel ik me in de steek gelaten.",
    "vrienden": "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht.",
}

#: The 11-item scale in its standard order: (key, subscale). Emotional items are worded
#: negatively, social items positively.
DJG11_ORDER = (
    ("probleempjes", SOCIAL),
    ("vriend", EMOTIONAL),
    ("leegte", EMOTIONAL),
    ("narigheid", SOCIAL),
    ("gezelligheid", EMOTIONAL),
    ("kennissen", EMOTIONAL),
    ("vertrouwen", SOCIAL),
    ("verbonden", SOCIAL),
    ("mis_mensen", EMOTIONAL),
    ("steek", EMOTIONAL),
    ("vrienden", SOCIAL),
)

#: The 6-item short scale in its own standard order, as 1-based positions in the 11-item scale:
#: leegte, narigheid terugvallen, volledig vertrouwen, mis mensen, nauw verbonden, in de steek.
DJG6_FROM_DJG11 = (3, 4, 7, 9, 8, 10)

#: Phrases that identify each item in a variable label, also when a questionnaire words it
#: slightly differently ("om mij heen", "vriend(in)"). Normalised text: lower case, no
#: punctuation. A test checks each phrase occurs in the item's own wording.
DJG_PHRASES = {
    "probleempjes": ("dagelijkse probleempjes",),
    "vriend": ("goede vriend",),
    "leegte": ("leegte",),
    "narigheid": ("narigheid",),
    "gezelligheid": ("gezelligheid",),
    "kennissen": ("kennissen",),
    "vertrouwen": ("volledig kan vertrouwen", "volledig vertrouwen"),
    "verbonden": ("nauw verbonden",),
    "mis_mensen": ("mis mensen",),
    "steek": ("steek gelaten",),
    "vrienden": ("vrienden terecht",),
}

# --------------------------------------------------------------------------------------------
# Basisvoorzieningen
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voorziening:
    """A basisvoorziening asked about: column suffix, how it is named and how files name it."""

    name: str  # column vz_<name>
    label: str  # shown to respondents ("Buurthuis of wijkcentrum")
    phrase: str  # inside a Dutch sentence ("het buurthuis")
    words: tuple[str, ...] = ()  # in column names and labels of files


VOORZIENINGEN = (
    Voorziening(
        "buurthuis",
        "Buurthuis of wijkcentrum",
        "het buurthuis",
        ("buurthuis", "buurtcentrum", "wijkcentrum"),
    ),
    Voorziening("huisarts", "Huisarts", "de huisarts", ("huisarts",)),
    Voorziening("bibliotheek", "Bibliotheek", "de bibliotheek", ("bibliotheek", "bieb")),
    Voorziening(
        "wijkteam",
        "Wijkteam of sociaal team",
        "het wijkteam",
        ("wijkteam", "sociaal_team", "sociaalteam"),
    ),
    Voorziening(
        "sportvereniging",
        "Sportvereniging",
        "een sportvereniging",
        ("sportvereniging", "sportver", "sportclub"),
    ),
)

#: The voorzieningen asked about by default; each becomes a column ``vz_<naam>``.
DEFAULT_VOORZIENINGEN = tuple(v.name for v in VOORZIENINGEN)


def voorziening(name: str) -> Voorziening:
    """Return the declared voorziening, or one named by its own name when it is not declared.

    Examples
    --------
    >>> voorziening("buurthuis").phrase, voorziening("moskee").label
    ('het buurthuis', 'Moskee')
    """
    for v in VOORZIENINGEN:
        if v.name == name:
            return v
    return Voorziening(name, name.replace("_", " ").capitalize(), name, (name,))


# --------------------------------------------------------------------------------------------
# Questionnaire blocks, columns that are not questions, links to the RIVM indicators
# --------------------------------------------------------------------------------------------

#: Columns of the data file that are not scored questions, in canonical order.
ID_COLUMNS = ("respondent_id", "gebied", "postcode", "gewicht", "leeftijd")


@dataclass(frozen=True)
class BlockInfo:
    """A questionnaire block: questions shown together under one title, with their source."""

    key: str
    title: str
    instruction: str = ""
    source: str = ""
    alternative_to: str = ""


DJG_INSTRUCTION = (
    "Geef bij elk van de volgende uitspraken aan in hoeverre die op u van toepassing is, "
    "zoals u dat de laatste tijd ervaart."
)
SOURCE_DJG11 = (
    "De Jong Gierveld, J., & Van Tilburg, T. G. (1999). Manual of the Loneliness Scale. "
    "Vrije Universiteit Amsterdam, Department of Social Research Methodology. "
    "Oorspronkelijke schaal: De Jong Gierveld, J., & Kamphuis, F. H. (1985). The development "
    "of a Rasch-type loneliness scale. Applied Psychological Measurement, 9(3), 289-299."
)
SOURCE_DJG6 = (
    "De Jong Gierveld, J., & Van Tilburg, T. G. (2008). De ingekorte schaal voor algemene, "
    "emotionele en sociale eenzaamheid. Tijdschrift voor Gerontologie en Geriatrie, 39(1), 4-15. "
    "Engelstalig: De Jong Gierveld & Van Tilburg (2006), Research on Aging, 28(5), 582-598."
)
SOURCE_BURGERPEILING = "VNG, Burgerpeiling (vragenlijst via waarstaatjegemeente.nl)."
SOURCE_RONDKOMEN = (
    "Naar de Gezondheidsmonitor Volwassenen en Ouderen (GGD'en, CBS en RIVM), "
    "indicator 'moeite met rondkomen'."
)
SOURCE_OWN = (
    "Eigen vraag van dit dashboard; niet één-op-één vergelijkbaar met de indicatoren van de "
    "Gezondheidsmonitor."
)

#: The blocks of scored questions, in the order a respondent sees them.
BLOCKS = (
    BlockInfo("djg11", "Contact met anderen", DJG_INSTRUCTION, SOURCE_DJG11),
    BlockInfo(
        "djg6",
        "Contact met anderen, verkorte versie",
        DJG_INSTRUCTION,
        SOURCE_DJG6,
        alternative_to="djg11",
    ),
    BlockInfo("eenzaam_zelf", "Eenzaamheid in één vraag", source=SOURCE_BURGERPEILING),
    BlockInfo("rondkomen", "Rondkomen", source=SOURCE_RONDKOMEN),
    BlockInfo(
        "voorzieningen",
        "Voorzieningen in de wijk",
        "Geef per voorziening aan of u die het afgelopen jaar hebt gebruikt, of u die wel kent "
        "maar niet gebruikt, of dat u die niet kent.",
        SOURCE_OWN,
    ),
    BlockInfo("meedoen", "Zorgen voor anderen en vrijwilligerswerk", source=SOURCE_OWN),
)

#: Survey indicator id -> catalogue id of the RIVM model estimate it may be set beside (and
#: that the fictitious example is anchored on).
RIVM_LINKS = {
    "eenzaam": "eenzaam",
    "ernstig_eenzaam": "ernstig_eenzaam",
    "moeite_rondkomen": "moeite_rondkomen",
    "mantelzorg": "mantelzorger",
    "vrijwilligerswerk": "vrijwilligerswerk",
}
#: De Jong Gierveld subscale -> catalogue id of the RIVM estimate of that kind of loneliness.
SUBSCALE_RIVM = {EMOTIONAL: "emotioneel_eenzaam", SOCIAL: "sociaal_eenzaam"}

# --------------------------------------------------------------------------------------------
# Naming hints for the column mapping
# --------------------------------------------------------------------------------------------

#: Name patterns per target: (regex on the normalised column name, confidence).
NAME_RULES: dict[str, tuple[tuple[str, float], ...]] = {
    "respondent_id": (
        (r"resp(ondent)?(_?(id|nr|nummer|no))?|respnr|respondentnummer", 0.9),
        (r"id|nr|nummer|volgnummer|volgnr|record(_?id)?|response_?id|case(_?id)?", 0.7),
    ),
    "gebied": (
        (r"(wijk|gebied|gwb)_?code(_\d+)?|wijk_?nr", 0.9),
        (r"wijk|woonwijk|gebied|wijk_?naam|gebieds?_?naam", 0.85),
        (r"buurt_?code(_\d+)?", 0.8),
        (r"buurt|buurt_?naam|woonbuurt", 0.75),
        (r"area|district|neighbou?rhood", 0.6),
    ),
    "postcode": ((r"postcode|pc6|pc_6|pc|postcode_?6|zip(code)?", 0.9),),
    "gewicht": (
        (r"gewicht|weegfactor|weging|weight|weegfactor_\w+|weging_\w+|weight_\w+", 0.9),
        (r"wgt|weegf|wf|gew", 0.7),
    ),
    "leeftijd": (
        (r"leeftijd|age|leeftijd_?(in_?)?jaren|age_?years", 0.9),
        (r"lft|lftd|lft_?jr|leeft", 0.8),
    ),
    "eenzaam_zelf": (
        (r"eenzaam_?zelf|zelf_?eenzaam|eenz_?zelf|voelt_?eenzaam|eenzaam_?gevoel", 0.9),
        (r"eenzaam|gevoel_?eenzaam|voelt_\w*_eenzaam", 0.75),
        (r"eenzaamheid", 0.5),
    ),
    "rondkomen": ((r"rondkomen|rondk\w*|moeite_?rondkomen|rond_?komen|\w*_rondkomen\w*", 0.85),),
    "mantelzorg": ((r"mantelz\w*|mz|\w*_mantelzorg\w*", 0.8),),
    "vrijwilligerswerk": ((r"vrijw\w*|\w*_vrijwilligers\w*", 0.8),),
}
#: Phrases in a variable label (or a spreadsheet header) per target: (phrase, confidence).
LABEL_RULES: dict[str, tuple[tuple[str, float], ...]] = {
    "respondent_id": (("respondentnummer", 0.85), ("respondent", 0.8)),
    "gebied": (("wijkcode", 0.85), ("wijk", 0.75), ("buurt", 0.7), ("gebied", 0.7)),
    "postcode": (("postcode", 0.85),),
    "gewicht": (("weegfactor", 0.85), ("weging", 0.85), ("gewicht", 0.7)),
    "leeftijd": (("leeftijd", 0.8),),
    "eenzaam_zelf": (("wel eens eenzaam", 0.95), ("eenzaam", 0.7)),
    "rondkomen": (("rondkomen", 0.9), ("rond te komen", 0.9)),
    "mantelzorg": (("mantelzorg", 0.75),),
    "vrijwilligerswerk": (("vrijwilligerswerk", 0.85),),
}
