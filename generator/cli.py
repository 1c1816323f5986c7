"""The command line: ``python -m generator <command>``.

A thin adapter over the core, like the MkDocs plugin. Every command prints
problems in the one format (``file:line:col: field: message — hint``), exits
1 when there are any, and never shows a traceback for bad data.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.diagnostics import github_annotation, print_problems


def find_root(start: Path) -> Path | None:
    """The project folder: ``start`` or its nearest parent holding ``data/`` with a vocabulary or ``policies/``,
    the way git finds ``.git`` (issue 17: run from a subfolder, every vocabulary file was "missing")."""
    for folder in [start, *start.parents]:
        data = folder / "data"
        if data.is_dir() and ((data / "regions.yaml").exists() or (data / "policies").is_dir()):
            return folder
    return None


def cmd_validate(args: argparse.Namespace) -> int:
    from generator.contrib.gate import gate
    from generator.core.checks_values import reference_infos
    from generator.core.validate import display_path

    only = [Path(p) for p in args.paths] if args.paths else None
    # All of it, through the same gate as build (validation and canonical form): a file alone may pass
    # while others do not.
    dataset, everything = gate(args.root)
    wanted = (
        {display_path(args.root, p if p.is_absolute() or not (args.root / p).exists() else args.root / p) for p in only}
        if only
        else None
    )
    problems = everything if wanted is None else [p for p in everything if p.file in wanted]
    others = set() if wanted is None else {p.file for p in everything} - wanted
    infos = reference_infos(dataset, wanted)
    if args.format == "github":
        for info in infos:
            print(github_annotation("notice", info.file, info.line, info.column, info.field, info.message))
        for p in problems:
            print(
                github_annotation(
                    "error", p.file, p.line, p.column, p.field, p.message + (f" — {p.hint}" if p.hint else "")
                )
            )
        if others:
            print(f"::warning::{len(others)} other data files have problems: run python -m generator validate")
        return 1 if problems else 0
    for info in infos:
        print(info.format())
    if problems:
        print_problems(problems)
        if others:
            print(
                f"{len(others)} other file{'s' if len(others) != 1 else ''} also "
                f"{'have' if len(others) != 1 else 'has'} problems: run python -m generator validate",
                file=sys.stderr,
            )
        return 1
    measures = sum(len(p.measures) for p in dataset.policies.values())
    if wanted is not None:
        shown = ", ".join(sorted(wanted))
        print(
            f"ok: {shown} — all checks passed"
            + (
                f"; but {len(others)} other file{'s' if len(others) != 1 else ''} "
                f"{'have' if len(others) != 1 else 'has'} problems: run python -m generator validate"
                if others
                else f" (and the other files too: {len(dataset.policies)} policies, {measures} measures)"
            )
        )
        return 0
    print(
        f"ok: {len(dataset.policies)} policies, {measures} measures, {len(dataset.regions)} regions — all checks passed"
    )
    return 0


def cmd_checks(args: argparse.Namespace) -> int:
    from generator.core import checks

    for name, description in checks.describe():
        print(f"{name:28} {description}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.contrib.scaffold import write_contributing
    from generator.core.schema import write_schemas

    for path in write_schemas(args.root):
        print(f"wrote {path}")
    contributing = write_contributing(args.root)  # its key tables and template come from the same models
    if contributing:
        print(f"updated {contributing}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from generator.export.build import build_site

    return build_site(
        args.root, Path(args.site_dir), pdf=not args.no_pdf, offline=not args.no_offline, allow_shrink=args.allow_shrink
    )


def cmd_pdf(args: argparse.Namespace) -> int:
    from generator.export.pdf import export

    return export(args.root, args.theme, args.region, args.out)


def cmd_fmt(args: argparse.Namespace) -> int:
    from generator.contrib import fmt

    return fmt.main(args.root, [Path(p) for p in args.paths] if args.paths else None, check=args.check)


def cmd_archive(args: argparse.Namespace) -> int:
    from generator.contrib.archive import archive

    return archive(args.root, args.page, args.id)


def cmd_new(args: argparse.Namespace) -> int:
    from generator.contrib.scaffold import main as scaffold_main

    return scaffold_main(args)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m generator", description="技能人才政策对照 — Skills Policy Atlas tools")
    ap.add_argument(
        "--root",
        type=Path,
        default=None,
        help="project folder (default: the current folder or the nearest parent with data/)",
    )
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check data files and print every problem")
    p.add_argument("paths", nargs="*", help="only report problems in these files (everything is still loaded)")
    p.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: one ::error/::notice workflow command per message, shown on the pull request's lines",
    )
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("checks", help="list the validator's checks")
    p.set_defaults(func=cmd_checks)

    p = sub.add_parser(
        "schema", help="regenerate schema/*.schema.json (and CONTRIBUTING.md's key tables) from the models"
    )
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("fmt", help="rewrite data files into canonical form")
    p.add_argument("paths", nargs="*")
    p.add_argument("--check", action="store_true", help="only report files that are not canonical")
    p.set_defaults(func=cmd_fmt)

    p = sub.add_parser("new", help="scaffold a new policy file and its source archive")
    p.add_argument("--id", help="policy id, e.g. henan-2024-training-subsidies")
    p.add_argument("--title")
    p.add_argument("--region")
    p.add_argument("--doc-type", default=None)
    p.add_argument("--source-file", help="the original text to archive (UTF-8)")
    p.add_argument("--url", default=None)
    p.add_argument("--measures", type=int, default=None, help="how many measure stubs to create")
    p.add_argument("--traditional", action="store_true", help="the source text is in Traditional characters")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "archive",
        help="make data/sources/<id>.txt from a saved web page (text only, numbering kept, "
        "menus and footers removed) and print its SHA-256",
    )
    p.add_argument("page", help="the saved page (.html), or - to read it from standard input")
    p.add_argument("--id", required=True, help="policy id: the archive is written to data/sources/<id>.txt")
    p.set_defaults(func=cmd_archive)

    p = sub.add_parser("build", help="validate, then build the site (and PDF, offline bundle) atomically")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--no-pdf", action="store_true")
    p.add_argument("--no-offline", action="store_true")
    p.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even if the new site has no policies or drops more than half of the published ones",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("pdf", help="the atlas as a PDF, or one theme or region of it (the build makes them all)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--theme", help="only this theme's chapter (and the glossary)")
    group.add_argument("--region", help="only this region's chapter and its policies (and the glossary)")
    p.add_argument(
        "--out",
        type=Path,
        help="output file (default: site/pdf/skills-policy-atlas.pdf, "
        "site/pdf/themes/THEME.pdf or site/pdf/regions/REGION.pdf, where the build puts them)",
    )
    p.set_defaults(func=cmd_pdf)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.root is None:
        found = find_root(Path.cwd().resolve())
        if found is None:
            print(
                f"no project here: neither {Path.cwd()} nor any parent folder has a data/ folder with "
                "regions.yaml or policies/ — run from the project folder, or give --root PATH",
                file=sys.stderr,
            )
            return 2
        args.root = found
    args.root = args.root.resolve()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
