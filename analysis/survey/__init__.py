"""The own survey: questionnaire, scales, column mapping, area keys, estimates and the example.

Data flow: a raw file (``data.survey``) → `columns` (which column holds which item) →
`area_keys` (which wijk or buurt a respondent lives in) → `scales` (scores) → `stats`
(weighted estimates, intervals, suppression), all run by `pipeline`. `questionnaire` is what
respondents see; `example` generates the FICTITIOUS demo survey.
"""

__all__ = [
    "area_keys",
    "columns",
    "example",
    "pipeline",
    "questionnaire",
    "scales",
    "stats",
]
