"""Cells read per layout family: every family of :mod:`render.families`, both templates, a few seeds.

    .venv/bin/python bench/layouts.py                 # print a table per family
    .venv/bin/python bench/layouts.py --write         # … and write bench/RESULTS.md's section anew
    .venv/bin/python bench/layouts.py --update F1 F2  # … replace only these families' rows in it
    .venv/bin/python bench/layouts.py --explain portal_text_copy   # what is lost, and why

Each rendering is parsed by ``extract_report`` and compared with ``expected_cells``: cells
printed, cells read under the right key with the right value and state, wrong numbers (a
stored number that differs from the page, or a number under a key the page does not print),
blanks or dashes stored where the page prints something else, missing cells, and metadata.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from render import expected_cells, make_report  # noqa: E402
from render.families import FAMILIES, Variant  # noqa: E402
from render.report import Report  # noqa: E402
from render.tools import RenderSkipped, missing  # noqa: E402

from extract.parse import extract_report  # noqa: E402

SECTION = "## Layout families (cells read / cells printed)"
NOTES = "## How to read these figures"  # bench/NOTES.md, which bench/run.py appends to RESULTS.md
SEEDS = tuple(range(8))  # the style choices (label widths, fonts, values above or below a break) cycle within 8
AGENCIES = ("某市某区人民政府", "某市某区民政局", "某县市场监督管理局")
YEARS = {"2021": (2023, 2022, 2024), "2019": (2020, 2019, 2020)}
Key = tuple[int, str, str]


def report_for(version: str, seed: int) -> Report:
    """The report a family is measured on: agency and year vary with the seed."""
    return make_report(version, year=YEARS[version][seed % 3], agency=AGENCIES[seed % 3], seed=100 + seed,
                       narrative_paragraphs=1 + seed % 3)


@dataclass
class Score:
    """One rendering, parsed and compared with the cells it prints."""

    printed: int = 0
    right: int = 0
    wrong_numbers: list[Key] = field(default_factory=list)
    wrong_blank_dash: list[Key] = field(default_factory=list)
    missing: list[Key] = field(default_factory=list)
    misread: list[Key] = field(default_factory=list)  # stored, not a number, not what the page prints
    ambiguous: set[Key] = field(default_factory=set)  # in a row whose blank cell left no trace
    excused: int = 0  # missing or misread cells that are ambiguous
    metadata_right: bool = False

    def add(self, other: Score) -> None:
        self.printed += other.printed
        self.right += other.right
        self.excused += other.excused
        for name in ("wrong_numbers", "wrong_blank_dash", "missing", "misread"):
            getattr(self, name).extend(getattr(other, name))

    @property
    def complete(self) -> bool:
        """Every printed cell read, but those of rows that lost a blank (they cannot be placed)."""
        return not self.wrong_numbers and not self.wrong_blank_dash and \
            set(self.missing + self.misread) <= self.ambiguous


def score(report: Report, parsed, omits_blanks: bool = False) -> Score:
    """Compare a parse with the report's cells. With ``omits_blanks`` a blank cell is not printed,
    and the other cells of its row are ambiguous: with one cell fewer than columns, which is gone?"""
    expected = expected_cells(report)
    printed = {k: v for k, v in expected.items() if not (omits_blanks and v[1] == "blank")}
    lost_rows = {k[:2] for k in expected.keys() - printed.keys()}
    got = {(c.table_no, c.row_key, c.col_key): (c.value, c.cell_state) for c in parsed.cells}
    out = Score(printed=len(printed), ambiguous={k for k in printed if k[:2] in lost_rows})
    for key, value in got.items():
        if value == expected.get(key):
            out.right += key in printed
        elif value[1] == "number":
            out.wrong_numbers.append(key)
        elif value[1] in ("blank", "dash"):
            out.wrong_blank_dash.append(key)
        elif key in printed:
            out.misread.append(key)
    out.missing = [k for k in printed if k not in got]
    out.excused = sum(1 for k in out.missing + out.misread if k in out.ambiguous)
    meta = parsed.metadata
    out.metadata_right = (meta.agency_name, meta.report_year, meta.template_version) == \
        (report.agency, report.year, report.version)
    return out


@dataclass
class Run:
    family: str
    variant: str
    version: str
    seed: int
    score: Score | None = None
    skipped: str | None = None
    error: str | None = None
    parsed: object = None
    data: bytes = b""


def runs(families: list[str], seeds: tuple[int, ...] = SEEDS, keep: bool = False) -> Iterator[Run]:
    """Render, parse and score every variant of ``families`` for both templates and ``seeds``."""
    for name in families:
        family = FAMILIES[name]
        reason = next((r for r in map(missing, family.needs) if r), None)
        for variant_name, variant in family.variants.items():
            for version in ("2021", "2019"):
                for seed in seeds:
                    run = Run(name, variant_name, version, seed)
                    if reason:
                        run.skipped = reason
                    else:
                        _measure(run, variant, report_for(version, seed), keep)
                    yield run


def _measure(run: Run, variant: Variant, report: Report, keep: bool) -> None:
    try:
        data, extension = variant.render(report, run.seed)
    except RenderSkipped as skip:
        run.skipped = skip.reason
        return
    try:
        parsed = extract_report(data, f"report.{extension}")
    except Exception as error:  # noqa: BLE001 - a parser failure is a measured outcome
        run.error = f"{type(error).__name__}: {getattr(error, 'message', error)}"
        run.score = Score(printed=len(report.expected))
        return
    run.score = score(report, parsed, variant.omits_blanks)
    if keep:
        run.parsed, run.data = parsed, data


def table(results: list[Run]) -> list[str]:
    """The Markdown table: one row per family, then one per variant and template."""
    lines = ["| family | variant | template | renders | cells read / printed | wrong numbers | "
             "wrong blank/dash | missing | of which not placeable | metadata right | requires |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, family in FAMILIES.items():
        mine = [r for r in results if r.family == name]
        if not mine:
            continue
        groups = [("**all**", "", mine)] + [
            (variant, version, [r for r in mine if (r.variant, r.version) == (variant, version)])
            for variant in family.variants for version in ("2021", "2019")]
        for variant, version, group in groups:
            lines.append(_line(name if variant == "**all**" else "", variant, version, group, family.exact))
    return lines


def _line(name: str, variant: str, version: str, group: list[Run], exact: bool) -> str:
    done = [r for r in group if r.score]
    needs = "full coverage" if exact else "no wrong number"
    if not done:
        reason = group[0].skipped if group else "no run"
        return f"| {name} | {variant} | {version} | 0 | skipped: {reason} | | | | | | {needs} |"
    total = Score()
    for r in done:
        total.add(r.score)
    errors = sum(1 for r in done if r.error)
    renders = f"{len(done)}" + (f" ({errors} failed)" if errors else "")
    share = 100 * total.right / total.printed if total.printed else 0
    meta = sum(1 for r in done if r.score.metadata_right and not r.error)
    return (f"| {name} | {variant} | {version} | {renders} | {total.right} / {total.printed} ({share:.1f} %) | "
            f"{len(total.wrong_numbers)} | {len(total.wrong_blank_dash)} | {len(total.missing)} | "
            f"{total.excused} | {meta} / {len(done)} | {needs} |")


def _blocks(lines: list[str]) -> dict[str, list[str]]:
    """A table's rows by family: a family's row, then its variants' rows (first cell empty)."""
    blocks: dict[str, list[str]] = {}
    name = ""
    for line in lines:
        cells = line.split("|")
        if len(cells) < 3 or cells[1].strip() in ("family", "---"):
            continue
        name = cells[1].strip() or name
        blocks.setdefault(name, []).append(line)
    return blocks


def updated_section(old: str, measured: list[str], names: list[str], day: str) -> list[str]:
    """The layout section ``old`` (as :func:`section_of` returns it) with the rows of the families
    ``names`` replaced by the ``measured`` table's, in :data:`FAMILIES` order, and a line saying so."""
    body = old.splitlines()[1:]
    intro = [line for line in body if line and not line.startswith("|")]
    blocks = {**_blocks(body), **_blocks(measured)}
    rows = [row for name in FAMILIES for row in blocks.get(name, [])]
    note = f"Measured again on {day} (`bench/layouts.py --update FAMILY …`): {', '.join(names)}."
    return [*intro, note, "", *measured[:2], *rows]


def write_section(lines: list[str], path: Path, section: str = SECTION) -> None:
    """Replace ``section`` (the layout section by default) of ``path`` (or put it before the notes,
    ``## How to read…``), keeping the rest of the file."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    body = "\n".join([section, "", *lines]) + "\n"
    if section in text:
        head, rest = text.split(section, 1)
        tail = rest[rest.index("\n## ") + 1:] if "\n## " in rest else ""
    elif NOTES in text:
        head, tail = text[: text.index(NOTES)], text[text.index(NOTES):]
    else:
        head, tail = text.rstrip("\n") + "\n\n" if text else "", ""
    path.write_text(head + body + ("\n" + tail if tail else ""), encoding="utf-8")


def section_of(path: Path, section: str = SECTION) -> str:
    """``section`` (the layout section by default) of ``path`` as :func:`write_section` wrote it
    (ending in a newline), or ''."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if section not in text:
        return ""
    rest = section + text.split(section, 1)[1]
    end = rest.find("\n## ", len(section))
    return (rest[: end + 1] if end >= 0 else rest).rstrip("\n") + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("families", nargs="*", help="families to measure (default: all)")
    parser.add_argument("--seeds", type=int, default=len(SEEDS), help="seeds per family and template")
    parser.add_argument("--write", action="store_true", help="write the section of bench/RESULTS.md anew")
    parser.add_argument("--update", action="store_true",
                        help="replace only the measured families' rows in bench/RESULTS.md's section")
    parser.add_argument("--explain", metavar="FAMILY", help="print what is lost in FAMILY and the issues")
    args = parser.parse_args()
    if args.explain:
        from explain import explain

        explain(list(runs([args.explain], tuple(range(args.seeds)), keep=True)))
        return
    names = args.families or list(FAMILIES)
    results = []
    for run in runs(names, tuple(range(args.seeds))):
        results.append(run)
        state = run.skipped or run.error or f"{run.score.right}/{run.score.printed}"
        print(f"{run.family:28} {run.variant:16} {run.version} seed {run.seed}: {state}", flush=True)
    lines = [f"Measured {dt.date.today().isoformat()} with `.venv/bin/python bench/layouts.py --write`: every variant "
             f"of each family (bench/render/families.py), both templates, {args.seeds} seeds; a family's **all** row "
             "sums its renders. *wrong numbers*: a stored number that is not the page's, or a number under a key the "
             "page does not print; *missing*: a printed cell not stored; *of which not placeable*: missing cells of "
             "a row whose blank cell left no trace (fewer cells than columns: which one is gone cannot be known). "
             "Families that require *no wrong number* lose cells by their nature (collapsed or split lines).", "",
             *table(results)]
    print("\n".join(lines))
    if args.write:
        write_section(lines, BENCH / "RESULTS.md")
        print(f"wrote the section of {BENCH / 'RESULTS.md'}")
    elif args.update:
        old = section_of(BENCH / "RESULTS.md")
        write_section(updated_section(old, table(results), names, dt.date.today().isoformat()), BENCH / "RESULTS.md")
        print(f"updated the rows of {len(names)} families in {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
