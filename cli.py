"""Command line: run the own-survey pipeline on a file, exactly as the Eigen enquête page does.

Usage::

    python -m cli enquete FILE --gemeente GM0080 [--niveau wijk|buurt]
        [--koppeling MAPPING.json] [--tabblad NAAM] --uit OUT.csv

Reads the file (``data.survey``), maps the columns and answers with the saved koppelbestand
(or else the automatic proposals, as the page proposes them), analyses it with
`analysis.survey.pipeline.analyse_mapped` against the embedded snapshot, prints the problems
per column on stderr and writes one row per area and indicator, unrounded:
``code, indicator, n, n_eff, pct, ci_low, ci_high, shown, indicative``. No respondent row is
printed or written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.problems import UploadError
from analysis.survey import area_keys, columns, pipeline
from data.snapshot import load_snapshot
from data.survey import read_survey, sheet_names

#: Exit codes: 0 done, 2 the input cannot be used (message on stderr).
OK, BAD_INPUT = 0, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m cli", description="Sociale Basis Dashboard op de opdrachtregel."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    survey = commands.add_parser(
        "enquete", help="Een eigen enquête per wijk of buurt uitrekenen, zoals de pagina doet."
    )
    survey.add_argument("bestand", type=Path, help="CSV, Excel of SPSS, één rij per respondent")
    survey.add_argument("--gemeente", required=True, help="gemeentecode, bijv. GM0080")
    survey.add_argument("--niveau", choices=("wijk", "buurt"), help="standaard: voorstel")
    survey.add_argument("--koppeling", type=Path, help="koppelbestand (JSON) van de pagina")
    survey.add_argument("--tabblad", help="tabblad van een Excel-bestand met meer tabbladen")
    survey.add_argument("--min-n", type=int, default=pipeline.MIN_N, help="niet tonen onder")
    survey.add_argument(
        "--indicatief-n", type=int, default=pipeline.INDICATIVE_N, help="indicatief onder"
    )
    survey.add_argument("--uit", type=Path, required=True, help="uitvoer (CSV)")
    args = parser.parse_args(argv)
    try:
        return _survey(args)
    except UploadError as err:  # every problem with a file, in Dutch
        print(str(err), file=sys.stderr)
        return BAD_INPUT
    except OSError as err:
        print(f"{err.filename}: bestand niet gevonden of niet te openen", file=sys.stderr)
        return BAD_INPUT


def _survey(args: argparse.Namespace) -> int:
    """Run ``enquete``: read, map, analyse, report, write."""
    content = args.bestand.read_bytes()
    raw = read_survey(content, args.bestand.name, sheet=args.tabblad)
    # As on the page: messages name the sheet when the workbook has more than one.
    sheet = args.tabblad
    if sheet is None and raw.sheet is not None and len(sheet_names(content, raw.file_name)) > 1:
        sheet = raw.sheet
    gemeente = area_keys.normalise_code(args.gemeente)
    if gemeente is None or not gemeente.startswith("GM"):
        print(f"{args.gemeente!r} is geen gemeentecode (verwacht bijv. GM0080)", file=sys.stderr)
        return BAD_INPUT
    snap = load_snapshot()
    regions = pipeline.survey_regions(snap.regions, gemeente)
    if regions.empty:
        print(f"{gemeente}: geen wijken of buurten in de ingebouwde gegevens", file=sys.stderr)
        return BAD_INPUT
    rivm = pipeline.rivm_reference(snap.values, regions["code"])
    names = [str(c) for c in raw.frame.columns]
    if args.koppeling is not None:
        mapping = columns.from_json(args.koppeling.read_bytes(), args.koppeling.name)
    else:
        mapping = columns.propose_mapping(names, raw.column_labels, raw.value_labels)
    problems = columns.mapping_problems(mapping, names)
    if problems:
        print(f"{raw.file_name}: " + "; ".join(problems), file=sys.stderr)
        return BAD_INPUT
    values = pipeline.area_values(raw.frame, mapping, raw.value_labels)
    if values is not None:  # as the page: say when the areas point to other gemeenten
        index = area_keys.gemeente_name_index(snap.regions)
        found = area_keys.propose_gemeenten(values, index)
        if found and (len(found) > 1 or found[0][0] != gemeente):
            listed = ", ".join(
                f"{code} ({n} {'rij' if n == 1 else 'rijen'})" for code, n in found[:6]
            )
            print(
                f"{raw.file_name}: de gebieden horen bij {listed}; uitgerekend voor {gemeente} "
                "(rijen van een andere gemeente tellen niet mee)",
                file=sys.stderr,
            )
    level = args.niveau
    if level is None:
        level = "wijk" if values is None else area_keys.propose_level(values, regions, gemeente)
    for warning in raw.warnings:
        print(warning, file=sys.stderr)
    result = pipeline.analyse_mapped(
        raw,
        mapping,
        regions,
        gemeente_code=gemeente,
        level=level,
        rivm=rivm,
        sheet=sheet,
        min_n=args.min_n,
        indicative_n=args.indicatief_n,
    )
    print(
        f"{raw.file_name}: {result.respondents} rijen, {result.used} meegeteld, niveau {level}",
        file=sys.stderr,
    )
    for line in (*result.problems, *result.notes):
        print(line, file=sys.stderr)
    for row in result.unmatched.itertuples(index=False):
        print(
            f"{raw.file_name}, kolom {row.column!r}: {row.value!r} niet gekoppeld ({row.reason}; "
            f"{row.count} rijen)",
            file=sys.stderr,
        )
    pipeline.export_rows(result, gemeente).to_csv(args.uit, index=False)
    return OK


if __name__ == "__main__":
    sys.exit(main())
