"""`python -m generator build`: the whole site, PDF and offline bundle, or nothing.

An adapter like the plugin: it validates first (so bad data never reaches
MkDocs), builds into a temporary folder next to the target, adds the PDF
and the offline bundle, and only then swaps the new folder in. A failure at
any step leaves the previous ``site/`` exactly as it was.

Faults are part of the design (issue 17):

* the swap is one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux, so a kill at any moment leaves
  either the old or the new site at ``site/``; elsewhere it falls back to two renames;
* one build at a time per folder: an ``flock`` on the site's parent folder queues the next one;
* SIGTERM is handled like Ctrl-C; folders left by a build that was killed (``.site.building-<pid>-*``,
  ``.site.old-<pid>``, ``/tmp/atlas-offline-<pid>-*``) are removed by the next build once their
  process is gone, and MkDocs child processes die with their parent;
* an unwritable or read-only folder, a full disk, or a crash inside MkDocs gives one line, not a
  traceback; messages say "the previous site is unchanged" only while that is true;
* a build that would publish no policies, or drop more than ``MAX_SHRINK`` of the published ones,
  is refused unless ``--allow-shrink`` is given.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from generator.contrib.gate import gate
from generator.core.dataset import Dataset
from generator.diagnostics import escape_controls, print_problems
from generator.export.reproducible import mkdocs_build, source_date_epoch
from generator.paths import PDF_MANIFEST, PDF_MANIFEST_ENV, PDF_PATH
from generator.site.urls import ATLAS_ZIP, zip_member

MAX_SHRINK = 0.5  # a build may drop at most half of the published policies without --allow-shrink
UNCHANGED = "the previous site is unchanged"


class BuildRefused(Exception):
    """A fault the build reports in one line (no traceback) before anything is swapped in."""


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _renameat2():
    """libc's renameat2, or None where it does not exist (not Linux, or glibc before 2.28)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (both must exist); False where the system cannot, so the caller falls back."""
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # the kernel or the file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` so that ``target`` is always a complete site.

    With an atomic exchange the old site ends up at ``new``'s path and is removed from there; a kill
    before the removal leaves it as a stale ``.site.building-<pid>-*`` folder for the next build.
    Without one, two renames: a kill between them leaves no ``target`` (only ``.site.old-<pid>``).
    """
    if target.exists() and exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- locks, leftovers, signals


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_OWNER = re.compile(r"-(\d+)(?:-|$)")


def remove_stale(site_dir: Path) -> list[Path]:
    """Remove the temporary folders of builds whose process is gone; return what was removed."""
    candidates = list(site_dir.parent.glob(f".{site_dir.name}.building-*"))
    candidates += list(site_dir.parent.glob(f".{site_dir.name}.old-*"))
    candidates += list(Path(tempfile.gettempdir()).glob("atlas-offline-*"))
    removed = []
    for path in sorted(candidates):
        owner = _OWNER.search(path.name[path.name.index("-") :])
        if owner is None or int(owner.group(1)) == os.getpid() or _alive(int(owner.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


@contextlib.contextmanager
def site_lock(site_dir: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the site's parent folder; wait (and say so) while another build holds it.

    The parent, not the site: the site folder itself is exchanged by every build, so a lock on it would
    be a lock on a folder that is about to be deleted.
    """
    fd = os.open(site_dir.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build of {site_dir} is running; waiting for it to finish …", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (kill, a CI timeout, systemd) cleans up like Ctrl-C: the temporary folder is removed."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------- shrinking


def published_policies(site_dir: Path) -> int | None:
    """How many policies the current site publishes (from atlas.json in its atlas.json.zip), or None if
    there is no site or the archive cannot be read (missing, truncated, not a ZIP, no atlas.json inside)."""
    try:
        with zipfile.ZipFile(site_dir / ATLAS_ZIP) as archive:
            data = json.loads(archive.read(zip_member(ATLAS_ZIP)).decode("utf-8"))
        return len(data["policies"])
    except (OSError, ValueError, KeyError, TypeError, EOFError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return None


def shrink_refusal(new: int, published: int | None) -> str | None:
    """Why a build of ``new`` policies must not replace a site publishing ``published``, or None."""
    if new == 0:
        return "data/policies/ holds no valid policy, so the new site would be an empty atlas"
    if published and new < published * (1 - MAX_SHRINK):
        return (
            f"the new site would publish {new} policies where the current one publishes {published} "
            f"(more than {MAX_SHRINK:.0%} fewer)"
        )
    return None


# --------------------------------------------------------------------------- the build


def build_site(root: Path, site_dir: Path, pdf: bool = True, offline: bool = True, allow_shrink: bool = False) -> int:
    started = time.monotonic()
    dataset, problems = gate(root)
    if problems:
        print_problems(problems)
        print(f"\nNothing was built; {UNCHANGED}.", file=sys.stderr)
        return 1
    dataset.release_documents()  # valid: no problem will need a line and column any more
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"build failed: cannot create {site_dir.parent}: {exc.strerror}; nothing was built.", file=sys.stderr)
        return 1
    try:
        with sigterm_as_interrupt(), site_lock(site_dir):
            refusal = shrink_refusal(len(dataset.policies), published_policies(site_dir))
            if refusal and not allow_shrink:
                print(
                    f"build refused: {refusal}; nothing was built and {UNCHANGED}. If this is intended, "
                    "run the build again with --allow-shrink.",
                    file=sys.stderr,
                )
                return 1
            return _build_locked(root, site_dir, dataset, pdf, offline, started)
    except KeyboardInterrupt:  # while waiting for the lock or checking the size: nothing was touched
        print(f"build interrupted; nothing was built and {UNCHANGED}.", file=sys.stderr)
        return 130
    except OSError as exc:  # the lock: the parent folder cannot be opened
        print(f"build failed: {exc.strerror or exc} ({site_dir.parent}); nothing was built.", file=sys.stderr)
        return 1


def _build_locked(root: Path, site_dir: Path, dataset: Dataset, pdf: bool, offline: bool, started: float) -> int:
    remove_stale(site_dir)
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch(root), NO_MKDOCS_2_WARNING="1")
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-{os.getpid()}-", dir=site_dir.parent))
    except OSError as exc:
        print(
            f"build failed: cannot write in {site_dir.parent}: {exc.strerror}; nothing was built and {UNCHANGED}.",
            file=sys.stderr,
        )
        return 1
    swapped = False
    staging = work.with_name(work.name + "-pdf")  # same owner prefix: remove_stale clears it after a crash
    try:
        if pdf:  # typeset first: the pages link each PDF with its size and page count (views.pdf_manifest)
            from generator.export.pdf import stage_pdfs

            t = time.monotonic()
            manifest = stage_pdfs(root, staging, dataset)
            env[PDF_MANIFEST_ENV] = str(staging / PDF_MANIFEST)
            print(
                f"PDF: {len(manifest)} files, {manifest[PDF_PATH]['pages']} pages in the whole atlas, "
                f"in {time.monotonic() - t:.1f} s"
            )
        if mkdocs_build(root, work, env=env) != 0:
            print(f"mkdocs build failed; {UNCHANGED}.", file=sys.stderr)
            return 1
        _search_index(dataset, work)
        if pdf:
            shutil.copytree(staging / "pdf", work / "pdf", dirs_exist_ok=True)
        if offline:
            from generator.export.offline import build_offline

            build_offline(root, work, env=env)
        readable(work)
        _swap(work, site_dir)
        swapped = True
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM (sigterm_as_interrupt)
        state = "the new site is in place" if swapped else UNCHANGED
        print(f"build interrupted; {state}.", file=sys.stderr)
        return 130
    except Exception as exc:
        state = "the new site is in place" if swapped else UNCHANGED
        print(escape_controls(f"build failed: {type(exc).__name__}: {exc}; {state}."), file=sys.stderr)
        return 1
    finally:
        for folder in (work, staging):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
    print(f"site built in {site_dir} ({time.monotonic() - started:.1f} s)")
    return 0


def _search_index(dataset: Dataset, work: Path) -> None:
    """The search index (sitesearch.py) next to the pages just built, before anything is swapped in."""
    from generator.core.catalog import Catalogue
    from generator.export.sitesearch import write_index

    stats = write_index(Catalogue(dataset), work)
    print(f"search: {stats['records']} measures and {stats['pages']} pages indexed in {stats['cpu_s']:.1f} s CPU")


def readable(tree: Path) -> None:
    """Folders 755 and files 644 throughout: under ``umask 077`` the site would be unreadable by a web server."""
    tree.chmod(0o755)
    for folder, dirs, files in os.walk(tree):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)
