"""The command line: ``python -m generator <command>``.

A thin adapter over the core, like the MkDocs plugin. Every command prints
problems in the one format (``file:line:col: field: message — hint``), exits
1 when there are any, and never shows a traceback for bad data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence

from .load import Problem


def find_root(start: Path) -> Optional[Path]:
    """The project folder: ``start`` or its nearest parent holding ``data/`` with a vocabulary or ``policies/``,
    the way git finds ``.git`` (issue 17: run from a subfolder, every vocabulary file was "missing")."""
    for folder in [start, *start.parents]:
        data = folder / "data"
        if data.is_dir() and ((data / "regions.yaml").exists() or (data / "policies").is_dir()):
            return folder
    return None


def _print_problems(problems: list[Problem], stream=sys.stderr) -> None:
    for problem in problems:
        print(problem.format(), file=stream)
    files = len({p.file for p in problems})
    print(f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}.",
          file=stream)


def cmd_validate(args: argparse.Namespace) -> int:
    from .gate import gate

    only = [Path(p) for p in args.paths] if args.paths else None
    dataset, problems = gate(args.root, only)  # the same gate as build: validation and canonical form
    if problems:
        _print_problems(problems)
        return 1
    measures = sum(len(p.measures) for p in dataset.policies.values())
    print(f"ok: {len(dataset.policies)} policies, {measures} measures, {len(dataset.regions)} regions — all checks passed")
    return 0


def cmd_checks(args: argparse.Namespace) -> int:
    from . import checks

    for name, description in checks.describe():
        print(f"{name:28} {description}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .scaffold import write_contributing
    from .schema import write_schemas

    for path in write_schemas(args.root):
        print(f"wrote {path}")
    contributing = write_contributing(args.root)  # its key tables and template come from the same models
    if contributing:
        print(f"updated {contributing}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_site

    return build_site(args.root, Path(args.site_dir), pdf=not args.no_pdf, offline=not args.no_offline,
                      allow_shrink=args.allow_shrink)


def cmd_pdf(args: argparse.Namespace) -> int:
    from .pdf import export

    return export(args.root, args.theme, args.region, args.out)


def cmd_fmt(args: argparse.Namespace) -> int:
    from . import fmt

    return fmt.main(args.root, [Path(p) for p in args.paths] if args.paths else None, check=args.check)


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import main as scaffold_main

    return scaffold_main(args)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m generator", description="技能人才政策对照 — Skills Policy Atlas tools")
    ap.add_argument("--root", type=Path, default=None,
                    help="project folder (default: the current folder or the nearest parent with data/)")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check data files and print every problem")
    p.add_argument("paths", nargs="*", help="only report problems in these files (everything is still loaded)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("checks", help="list the validator's checks")
    p.set_defaults(func=cmd_checks)

    p = sub.add_parser("schema", help="regenerate schema/*.schema.json (and CONTRIBUTING.md's key tables) from the models")
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

    p = sub.add_parser("build", help="validate, then build the site (and PDF, offline bundle) atomically")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--no-pdf", action="store_true")
    p.add_argument("--no-offline", action="store_true")
    p.add_argument("--allow-shrink", action="store_true",
                   help="publish even if the new site has no policies or drops more than half of the published ones")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("pdf", help="the atlas as a PDF, or one theme or region of it (the build makes the whole one)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--theme", help="only this theme's chapter (and the glossary)")
    group.add_argument("--region", help="only this region's chapter and its policies (and the glossary)")
    p.add_argument("--out", type=Path, help="output file (default: site/pdf/skills-policy-atlas[-THEME|-REGION].pdf)")
    p.set_defaults(func=cmd_pdf)
    return ap


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parser().parse_args(argv)
    if args.root is None:
        found = find_root(Path.cwd().resolve())
        if found is None:
            print(f"no project here: neither {Path.cwd()} nor any parent folder has a data/ folder with "
                  "regions.yaml or policies/ — run from the project folder, or give --root PATH", file=sys.stderr)
            return 2
        args.root = found
    args.root = args.root.resolve()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
