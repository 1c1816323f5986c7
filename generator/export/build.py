"""`python -m generator build`: the whole site, PDF and offline bundle, or nothing.

An adapter like the plugin: it validates first (so bad data never reaches
MkDocs), typesets every PDF (Typst is fast) into a staging folder and tells
the pages their sizes through a manifest, builds into a temporary folder
next to the target, adds the PDFs and the offline bundle, and only then
swaps the new folder in. A failure at
any step leaves the previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.diagnostics import print_problems
from generator.core.validate import validate
from generator.export.reproducible import mkdocs_build, source_date_epoch
from generator.paths import PDF_MANIFEST, PDF_MANIFEST_ENV, PDF_PATH



def build_site(root: Path, site_dir: Path, pdf: bool = True, offline: bool = True) -> int:
    started = time.monotonic()
    _, problems = validate(root)
    if problems:
        print_problems(problems)
        print("\nNothing was built; the previous site is unchanged.", file=sys.stderr)
        return 1
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch(root), NO_MKDOCS_2_WARNING="1")
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    work.chmod(0o755)  # mkdtemp makes it private; the published site must be readable by a web server
    staging = work.with_name(work.name + "-pdf")
    try:
        if pdf:  # typeset first: the pages link each PDF with its size and page count (pages.pdf_manifest)
            from generator.export.pdf import stage_pdfs

            t = time.monotonic()
            manifest = stage_pdfs(root, staging)
            env[PDF_MANIFEST_ENV] = str(staging / PDF_MANIFEST)
            print(f"PDF: {len(manifest)} files, {manifest[PDF_PATH]['pages']} pages in the whole atlas, "
                  f"in {time.monotonic() - t:.1f} s")
        if mkdocs_build(root, work, env=env) != 0:
            print("mkdocs build failed; the previous site is unchanged.", file=sys.stderr)
            return 1
        if pdf:
            shutil.copytree(staging / "pdf", work / "pdf", dirs_exist_ok=True)
        if offline:
            from generator.export.offline import build_offline

            build_offline(root, work, env=env)
        _swap(work, site_dir)
    except Exception as exc:  # noqa: BLE001 - any failure must leave the old site in place
        print(f"build failed: {type(exc).__name__}: {exc}; the previous site is unchanged.", file=sys.stderr)
        return 1
    finally:
        for folder in (work, staging):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
    print(f"site built in {site_dir} ({time.monotonic() - started:.1f} s)")
    return 0


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` using renames, so the site is never half-written."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
