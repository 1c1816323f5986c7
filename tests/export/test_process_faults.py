"""Process faults (issue 17): kills, signals, full and read-only disks, races, leftovers, shrinking.

Every test runs the real ``python -m generator build`` in a child process on a copy of the mini fixture
(``tests/fixtures/atlas-mini``) and then looks at the folder: ``site/`` must always be a complete site
(the previous one or the new one, file for file), and nothing may be left next to it or in /tmp.

The disk faults use real file systems: a tmpfs too small for a second copy of the site, and a tmpfs
remounted read-only. They need root (to mount); without it they are skipped, and say so.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from atlas_pipeline import generator_env, make_root, siblings, tree_hash

from generator.export import build

FLAGS = ("--no-pdf", "--no-offline")


def start_build(
    root: Path, site: Path, *extra: str, umask: int | None = None, flags: tuple[str, ...] = FLAGS
) -> subprocess.Popen:
    def child() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "build", "--site-dir", str(site), *flags, *extra],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=generator_env(),
        preexec_fn=child,
    )


def run_build(root: Path, site: Path, *extra: str, umask: int | None = None) -> subprocess.CompletedProcess:
    process = start_build(root, site, *extra, umask=umask)
    out, err = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def rename_region(root: Path, new_name: str) -> None:
    regions = root / "data" / "regions.yaml"
    text = regions.read_text(encoding="utf-8")
    assert "name: 南方省" in text
    regions.write_text(text.replace("name: 南方省", f"name: {new_name}"), encoding="utf-8")


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory) -> tuple[dict[str, str], dict[str, str], Path]:
    """The hashes of the site before and after the data change the tests make, and the 'before' site."""
    base = tmp_path_factory.mktemp("reference")
    before_root = make_root(base / "before", site_files=True)
    result = run_build(before_root, before_root / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    after_root = make_root(base / "after", site_files=True)
    rename_region(after_root, "南方特区")
    result = run_build(after_root, after_root / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return tree_hash(before_root / "site"), tree_hash(after_root / "site"), before_root / "site"


@pytest.fixture
def project(tmp_path, two_sites) -> tuple[Path, Path]:
    root = make_root(tmp_path / "project", site_files=True)
    shutil.copytree(two_sites[2], root / "site")
    return root, root / "site"


def leftovers(site: Path, pid: int | None = None) -> list[str]:
    """Temporary folders of builds next to the site, and offline-bundle folders of ``pid`` in /tmp."""
    near = [p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.")]
    far = [p.name for p in Path(tempfile.gettempdir()).glob(f"atlas-offline-{pid}-*")] if pid else []
    return sorted(near + far)


# --------------------------------------------------------------------------- kills and signals


@pytest.mark.parametrize("delay", [0.5, 1.5, 2.5, 3.5, 4.5, 6.0])
def test_kill_9_at_any_moment_leaves_a_complete_site(project, two_sites, delay):
    """SIGKILL the build at increasing delays (validation, MkDocs, the swap, the clean-up): site/ is always
    the old or the new site, whole; the next build removes whatever the killed one left behind."""
    root, site = project
    before, after, _ = two_sites
    rename_region(root, "南方特区")
    process = start_build(root, site)
    time.sleep(delay)
    process.kill()
    process.communicate(timeout=60)
    time.sleep(0.5)  # the MkDocs child dies with its parent (PR_SET_PDEATHSIG)
    assert tree_hash(site) in (before, after), "site/ is not a complete site"
    result = run_build(root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert tree_hash(site) == after
    assert leftovers(site, process.pid) == []


def test_sigterm_cleans_up_like_ctrl_c(project, two_sites):
    root, site = project
    before, _, _ = two_sites
    rename_region(root, "南方特区")
    process = start_build(root, site)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".site.building-") for p in root.iterdir()):  # MkDocs is at work
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "build interrupted; the previous site is unchanged." in err
    assert "Traceback" not in out + err
    assert tree_hash(site) == before
    assert leftovers(site, process.pid) == []


def _descendants(pid: int) -> set[int]:
    """The processes under ``pid`` now, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (not gone, not a zombie waiting to be reaped)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_build_stopped_while_typesetting_leaves_no_process_behind(project, two_sites, how):
    """The PDFs are typeset by worker processes (and Typst children): a build killed or stopped while
    they run takes them with it, and leaves the old site whole."""
    root, site = project
    before, _, _ = two_sites
    rename_region(root, "南方特区")
    process = start_build(root, site, flags=("--no-offline",))
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while not any("spawn_main" in _cmdline(pid) for pid in seen):  # a PDF worker is at work
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        seen |= _descendants(process.pid)
        time.sleep(0.02)
    for _ in range(10):  # and whatever it starts in the next moments
        seen |= _descendants(process.pid)
        time.sleep(0.03)
    process.send_signal(how)
    out, err = process.communicate(timeout=120)
    deadline = time.monotonic() + 15
    while _running(seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running(seen) == set(), [_cmdline(pid) for pid in _running(seen)]
    if how == signal.SIGTERM:
        assert process.returncode == 130, err
        assert "build interrupted; the previous site is unchanged." in err
        assert "Traceback" not in out + err
    assert tree_hash(site) == before
    result = run_build(root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert leftovers(site, process.pid) == []


def test_next_build_removes_leftovers_of_dead_builds_only(project):
    root, site = project
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = [
        root / f".site.building-{dead.pid}-abcd1234",
        root / f".site.old-{dead.pid}",
        Path(tempfile.gettempdir()) / f"atlas-offline-{dead.pid}-xyz",
    ]
    alive = root / f".site.building-{os.getpid()}-live0000"  # this test process is alive: not stale
    for folder in stale + [alive]:
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "f.html").write_text("x", encoding="utf-8")
    result = run_build(root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert [p for p in stale if p.exists()] == []
    assert alive.exists()
    shutil.rmtree(alive)


def test_two_racing_builds_queue_and_say_only_what_is_true(project, two_sites):
    root, site = project
    _, after, _ = two_sites
    rename_region(root, "南方特区")
    first = start_build(root, site)
    time.sleep(0.3)
    second = start_build(root, site)
    results = [p.communicate(timeout=600) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    messages = "".join(out + err for out, err in results)
    assert "another build of" in messages and "waiting for it to finish" in messages
    assert "unchanged" not in messages and "Traceback" not in messages
    assert tree_hash(site) == after
    assert leftovers(site) == []


# --------------------------------------------------------------------------- disks


def _mount_tmpfs(target: Path, size: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def test_disk_full_during_mkdocs_leaves_the_site_and_says_so_in_one_line(project, tmp_path, two_sites):
    root, site = project
    before, _, _ = two_sites
    disk = tmp_path / "small-disk"
    size = _du(site)
    _mount_tmpfs(disk, str(size + size // 2 + 256 * 1024))  # the old site fits, a second copy does not
    try:
        shutil.copytree(site, disk / "site")
        rename_region(root, "南方特区")
        result = run_build(root, disk / "site")
        output = result.stdout + result.stderr
        assert result.returncode == 1, output[-3000:]
        assert "Traceback" not in output
        assert "No space left on device" in result.stderr
        assert result.stderr.rstrip().endswith("mkdocs build failed; the previous site is unchanged.")
        assert tree_hash(disk / "site") == before
        assert sorted(p.name for p in disk.iterdir()) == ["site"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_read_only_file_system_gives_one_line(project, tmp_path, two_sites):
    root, site = project
    before, _, _ = two_sites
    disk = tmp_path / "ro-disk"
    _mount_tmpfs(disk, "64m")
    try:
        shutil.copytree(site, disk / "site")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        for target, expected in (
            (disk / "site", "build failed: cannot write in"),
            (disk / "new" / "site", "build failed: cannot create"),
        ):
            result = run_build(root, target)
            assert result.returncode == 1
            assert "Traceback" not in result.stdout + result.stderr
            lines = result.stderr.strip().split("\n")
            assert len(lines) == 1 and lines[0].startswith(expected) and "Read-only file system" in lines[0], lines
        assert tree_hash(disk / "site") == before
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# --------------------------------------------------------------------------- shrinking and permissions


def test_an_atlas_that_loses_most_policies_is_refused_without_allow_shrink(project, two_sites):
    root, site = project
    before, _, _ = two_sites
    policies = sorted((root / "data" / "policies").glob("*.yaml"))
    assert len(policies) == 4  # the fixture's four policies (north-2021-old, north-2023-skills, …)
    assert build.published_policies(site) == 4  # read from atlas.json inside downloads/atlas.json.zip
    for path in policies:
        if path.stem != "north-2023-skills":
            path.unlink()
    result = run_build(root, site)
    assert result.returncode == 1
    assert (
        "build refused: the new site would publish 1 policies where the current one publishes 4 "
        "(more than 50% fewer); nothing was built and the previous site is unchanged."
    ) in result.stderr
    assert tree_hash(site) == before
    result = run_build(root, site, "--allow-shrink")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (site / "policies" / "south-2022-action").exists()


def test_the_published_count_is_read_from_the_zip_and_an_unreadable_one_counts_as_no_site(tmp_path, two_sites):
    archive = two_sites[2] / "downloads" / "atlas.json.zip"
    good = archive.read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        assert zf.namelist() == ["atlas.json"]
        atlas = zf.read("atlas.json")
    assert len(json.loads(atlas)["policies"]) == 4

    site = tmp_path / "site"
    target = site / "downloads" / "atlas.json.zip"
    target.parent.mkdir(parents=True)
    assert build.published_policies(site) is None  # no site yet
    (site / "downloads" / "atlas.json").write_bytes(atlas)  # the old unzipped name is not read
    assert build.published_policies(site) is None
    target.write_bytes(good)
    assert build.published_policies(site) == 4

    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("other.json", atlas)
    not_json = io.BytesIO()
    with zipfile.ZipFile(not_json, "w") as zf:
        zf.writestr("atlas.json", b"{not json")
    flipped = bytearray(good)
    flipped[len(good) // 3] ^= 0xFF  # inside the compressed data: a CRC or inflate error
    for broken in (
        b"",
        good[: len(good) // 2],
        b"PK\x03\x04 not a zip",
        bytes(flipped),
        other.getvalue(),
        not_json.getvalue(),
    ):
        target.write_bytes(broken)
        assert build.published_policies(site) is None, broken[:40]
    target.unlink()
    target.mkdir()  # a folder where the archive should be
    assert build.published_policies(site) is None


def test_an_empty_policies_folder_is_refused(project, two_sites):
    root, site = project
    before, _, _ = two_sites
    shutil.rmtree(root / "data" / "policies")
    result = run_build(root, site)
    assert result.returncode == 1
    assert (
        "build refused: data/policies/ holds no valid policy, so the new site would be an empty atlas" in result.stderr
    )
    assert tree_hash(site) == before


def test_umask_077_still_gives_a_readable_site(project):
    root, site = project
    result = run_build(root, site, umask=0o077)
    assert result.returncode == 0, result.stderr[-3000:]
    modes = {(p.is_dir(), p.stat().st_mode & 0o777) for p in [site, *site.rglob("*")] if not p.is_symlink()}
    assert modes <= {(True, 0o755), (False, 0o644)}, modes


# --------------------------------------------------------------------------- the swap itself


def test_exchange_swaps_two_folders_atomically(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "from-a").touch()
    (b / "from-b").touch()
    assert build.exchange(a, b) is True  # Linux with glibc ≥ 2.28: renameat2(RENAME_EXCHANGE)
    assert [p.name for p in a.iterdir()] == ["from-b"] and [p.name for p in b.iterdir()] == ["from-a"]


def test_swap_falls_back_to_two_renames_without_renameat2(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "_renameat2", lambda: None)
    new, target = tmp_path / ".site.building-1-x", tmp_path / "site"
    new.mkdir()
    target.mkdir()
    (new / "new").touch()
    (target / "old").touch()
    build._swap(new, target)
    assert [p.name for p in target.iterdir()] == ["new"]
    assert siblings(target) == ["site"]
