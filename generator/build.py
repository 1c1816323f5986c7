"""`python -m generator build`: the whole site, PDF and offline bundle, or nothing.

An adapter like the plugin: it validates first (so bad data never reaches
MkDocs), builds into a temporary folder next to the target, adds the PDF
and the offline bundle, and only then swaps the new folder in. A failure at
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

from .cli import _print_problems
from .validate import validate

PDF_NAME = "pdf/skills-policy-atlas.pdf"


def source_date_epoch(root: Path) -> str:
    """A build date that depends only on the checkout, so two builds are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True,
                             timeout=10)
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return "1700000000"


def mkdocs_build(root: Path, site_dir: Path, config: str = "mkdocs.yml", env: dict | None = None) -> int:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(root / config), "-d", str(site_dir)]
    return subprocess.run(cmd, cwd=root, env=env).returncode


def build_site(root: Path, site_dir: Path, pdf: bool = True, offline: bool = True) -> int:
    started = time.monotonic()
    dataset, problems = validate(root)
    if problems:
        _print_problems(problems)
        print("\nNothing was built; the previous site is unchanged.", file=sys.stderr)
        return 1
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch(root), NO_MKDOCS_2_WARNING="1")
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    work.chmod(0o755)  # mkdtemp makes it private; the published site must be readable by a web server
    try:
        if mkdocs_build(root, work, env=env) != 0:
            print("mkdocs build failed; the previous site is unchanged.", file=sys.stderr)
            return 1
        _search_index(dataset, work)
        if pdf:
            from .pdf import write_pdf

            t = time.monotonic()
            pages = write_pdf(root, work / PDF_NAME)
            print(f"PDF: {work.name}/{PDF_NAME} — {pages} pages in {time.monotonic() - t:.1f} s")
        if offline:
            from .offline import build_offline

            build_offline(root, work, env=env)
        _swap(work, site_dir)
    except Exception as exc:  # noqa: BLE001 - any failure must leave the old site in place
        print(f"build failed: {type(exc).__name__}: {exc}; the previous site is unchanged.", file=sys.stderr)
        return 1
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    print(f"site built in {site_dir} ({time.monotonic() - started:.1f} s)")
    return 0


def _search_index(dataset, work: Path) -> None:
    """The Pagefind index over the pages just built (sitesearch.py), before anything is swapped in."""
    from .catalog import Catalogue
    from .sitesearch import write_index

    stats = write_index(Catalogue(dataset), work)
    print(f"search: {stats['pages']} pages and {stats['records']} measures indexed in {stats['cpu_s']:.1f} s CPU")


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` using renames, so the site is never half-written."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
