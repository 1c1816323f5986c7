"""Reproducible outputs: one build date per checkout, deterministic archives, the same MkDocs run.

Two builds of the same checkout must give byte-identical files, in any time
zone, locale or hash seed. The build date therefore comes from the last
commit (or ``SOURCE_DATE_EPOCH``), never from the clock, and archives fix
their names' order, timestamps and modes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from generator.diagnostics import escape_controls
from generator.paths import MKDOCS_CONFIG, OFFLINE_FOLDER


def source_date_epoch(root: Path) -> str:
    """A build date that depends only on the checkout, so two builds are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=10
        )
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return "1700000000"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Linux: the MkDocs child gets SIGKILL when the build process dies, so a killed build leaves no writer."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _traceback_summary(output: str) -> tuple[list[str], str | None]:
    """The output's lines without Python tracebacks, and the last exception line of any traceback."""
    kept: list[str] = []
    last_error = None
    inside = False
    for line in output.splitlines():
        if line.startswith("Traceback (most recent call last):"):
            inside = True
            continue
        if inside:
            if line.startswith((" ", "\t", "During handling", "The above")) or not line.strip():
                continue
            last_error, inside = line.strip(), False
            continue
        kept.append(line)
    return kept, last_error


def mkdocs_build(root: Path, site_dir: Path, config: str = MKDOCS_CONFIG, env: dict | None = None) -> int:
    """Run ``mkdocs build`` in a child process; on failure, print its messages without a Python traceback."""
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--clean",
        "-f",
        str(root / config),
        "-d",
        str(site_dir),
    ]
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    result = subprocess.run(
        cmd, cwd=root, env=env, capture_output=True, text=True, errors="replace", preexec_fn=preexec
    )
    if result.returncode == 0:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        return 0
    kept, last_error = _traceback_summary(result.stdout + result.stderr)
    for line in kept:
        print(escape_controls(line), file=sys.stderr)
    if last_error:
        print(f"mkdocs: {escape_controls(last_error)}", file=sys.stderr)
    return result.returncode or 1


# --------------------------------------------------------------------------- the swap


def zip_folder(folder: Path, target: Path, epoch: int, top: str = OFFLINE_FOLDER) -> Path:
    """Zip ``folder`` byte-for-byte reproducibly: sorted names, one fixed timestamp, fixed modes."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(tmp, "w") as zf:
        for rel in files:
            path = folder / rel
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    tmp.replace(target)
    return target
