"""Reproducible outputs: one build date per checkout, deterministic archives, the same MkDocs run.

Two builds of the same checkout must give byte-identical files, in any time
zone, locale or hash seed. The build date therefore comes from the last
commit (or ``SOURCE_DATE_EPOCH``), never from the clock, and archives fix
their names' order, timestamps and modes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from generator.paths import MKDOCS_CONFIG, OFFLINE_FOLDER


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


def mkdocs_build(root: Path, site_dir: Path, config: str = MKDOCS_CONFIG, env: dict | None = None) -> int:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(root / config), "-d", str(site_dir)]
    return subprocess.run(cmd, cwd=root, env=env).returncode


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
