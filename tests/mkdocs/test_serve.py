"""`make serve` rebuilds only what changed, and still serves exactly the site a clean build writes.

Each test runs the real `mkdocs serve` with the Makefile's options (`--dirty`: the atlas plugin
decides which pages to skip, generator/mkdocs/incremental.py) on a copy of the mini atlas, edits the data
as a contributor would, waits for the rebuild, and compares the folder `mkdocs serve` serves
(its temporary folder, found through TMPDIR) file by file with a clean `mkdocs build` of the
edited data: every page, sitemap.xml(.gz), 404.html, downloads/.
The plugin logs how many pages each build rendered ("atlas: rebuilt 5 of 40 pages …").
"""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from atlas_pipeline import make_root
from conftest import ROOT

TIMEOUT = 600
QUIET = 2.0  # seconds without a line from the server after a rebuild: no other build is coming
EPOCH = "1700000000"  # one build date for the served and the clean build
_SUMMARY = re.compile(r"atlas: (?:rebuilt (\d+) of (\d+) pages|built all (\d+) pages \((.*)\))")


def makefile_serve_args() -> list[str]:
    """The options `make serve` gives `mkdocs serve`, read from the Makefile's recipe."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*\n\t\$\(PY\) -m mkdocs serve(.*)$", text, re.M)
    assert recipe, "the Makefile's serve target no longer runs `$(PY) -m mkdocs serve …`"
    return shlex.split(recipe.group(1))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def env(tmp: Path | None = None) -> dict:
    extra = {"TMPDIR": str(tmp)} if tmp else {}
    return dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH, **extra)


class Serve:
    """`mkdocs serve` running on an atlas root; its log read line by line in a thread."""

    def __init__(self, root: Path, tmp: Path) -> None:
        tmp.mkdir()
        self.port = free_port()
        config = root / "mkdocs.yml"  # the clean build must use the URL the server gives the site
        config.write_text(
            f"site_url: http://127.0.0.1:{self.port}/\n" + config.read_text(encoding="utf-8"), encoding="utf-8"
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *makefile_serve_args(), "-a", f"127.0.0.1:{self.port}"],
            cwd=root,
            env=env(tmp),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.first = self.wait_for_build()
        self.wait_for("Serving on")
        (self.site,) = tmp.glob("mkdocs_*")  # serve builds into tempfile.mkdtemp(prefix='mkdocs_')

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, errors_ok: bool = False) -> re.Match:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.proc.poll() is None, "mkdocs serve exited:\n" + "\n".join(self.log[-30:])
                continue
            self.log.append(line)
            assert errors_ok or ("Traceback" not in line and "ERROR" not in line), "\n".join(self.log[-30:])
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no {pattern!r} within {TIMEOUT} s:\n" + "\n".join(self.log[-30:]))

    def wait_for_build(self) -> dict:
        """The plugin's line for the build: pages rendered, of how many, and why all if all."""
        match = self.wait_for(_SUMMARY.pattern)
        if match.group(1):
            return {"rendered": int(match.group(1)), "pages": int(match.group(2)), "full": None}
        return {"rendered": int(match.group(3)), "pages": int(match.group(3)), "full": match.group(4)}

    def rebuild(self, edit: Callable[[], None]) -> dict:
        """The first build after the edit. An edit of several files may be seen in two polls of the
        watcher (every 0.5 s): any further build is waited for, the site compared after the last."""
        edit()
        self.wait_for("Detected file changes")
        build = self.wait_for_build()
        self.wait_for("Reloading browsers")  # the new site is complete and served
        while self._next_line(QUIET) is not None:
            if "Detected file changes" in self.log[-1]:
                self.wait_for("Reloading browsers")
        return build

    def _next_line(self, seconds: float) -> str | None:
        try:
            line = self.lines.get(timeout=seconds)
        except queue.Empty:
            return None
        self.log.append(line)
        return line

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def served(tmp_path):
    root = make_root(tmp_path / "atlas", site_files=True)
    server = Serve(root, tmp_path / "serve-tmp")
    try:
        yield root, server
    finally:
        server.stop()


def clean_build(root: Path, site: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=root,
        env=env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def folders(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()}


def assert_same_site(served: Path, clean: Path) -> None:
    got, want = tree(served), tree(clean)
    assert sorted(set(got) - set(want)) == [], "stale or extra files in the served site"
    assert sorted(set(want) - set(got)) == [], "files missing from the served site"
    assert [name for name in want if got[name] != want[name]] == [], "files that differ from a clean build"
    assert folders(served) == folders(clean)
    for name in ("sitemap.xml", "sitemap.xml.gz", "404.html", "index.html"):
        assert name in want


def edit_text(path: Path, old: str, new: str) -> Callable[[], None]:
    def edit() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def policy(root: Path, name: str) -> Path:
    return root / "data" / "policies" / f"{name}.yaml"


# --------------------------------------------------------------------------- the tests


def test_the_makefile_serves_incrementally():
    assert "--dirty" in makefile_serve_args()


def test_a_summary_edit_rebuilds_only_the_pages_showing_it(served, tmp_path):
    root, server = served
    assert server.first["full"] == "first build" and server.first["pages"] >= 20
    build = server.rebuild(
        edit_text(
            policy(root, "north-2023-skills"),
            "到2025年高技能人才占比达到35%左右。",
            "到2025年高技能人才占比达到百分之三十五左右。",
        )
    )
    assert build["full"] is None, build
    assert 0 < build["rendered"] < build["pages"] / 2, build  # the policy, its region, themes, comparisons …
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))
    page = (server.site / "policies" / "north-2023-skills" / "index.html").read_text(encoding="utf-8")
    assert "百分之三十五" in page


def test_saving_a_file_unchanged_renders_no_page(served, tmp_path):
    """What `bench/run.py` measures: the watcher sees the file, the Markdown is the same."""
    root, server = served
    build = server.rebuild(lambda: os.utime(policy(root, "south-2022-action")))
    assert build == {"rendered": 0, "pages": server.first["pages"], "full": None}
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


def test_a_theme_renamed_in_the_nav_rebuilds_every_page(served, tmp_path):
    root, server = served
    build = server.rebuild(edit_text(root / "data" / "themes.yaml", "name: 竞赛\n", "name: 技能竞赛\n"))
    assert build["full"] == "navigation changed" and build["rendered"] == build["pages"], build
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


def test_a_changed_page_title_rebuilds_every_page(served, tmp_path):
    """A title the nav does not give is known only once the page is read: the pages skipped until
    then are read after all, and every page is rendered."""
    root, server = served
    first = server.rebuild(
        edit_text(
            policy(root, "north-2023-skills"),
            "title: 北方省关于加强高技能人才队伍建设的意见",
            "title: 北方省关于进一步加强高技能人才队伍建设的意见",
        )
    )
    assert first["full"] and "title" in first["full"] and first["rendered"] == first["pages"], first
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))
    # … and the next edit is incremental again, from the state that full build left
    second = server.rebuild(
        edit_text(
            policy(root, "north-2023-skills"),
            "到2025年高技能人才占比达到35%左右。",
            "到2025年，高技能人才占比达到35%左右。",
        )
    )
    assert second["full"] is None and 0 < second["rendered"] < second["pages"], second
    shutil.rmtree(tmp_path / "clean")
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


def test_a_removed_policy_leaves_no_stale_page(served, tmp_path):
    root, server = served
    gone = server.site / "policies" / "north-2021-old" / "index.html"
    assert gone.is_file()

    def remove() -> None:
        policy(root, "north-2021-old").unlink()
        (root / "data" / "sources" / "north-2021-old.txt").unlink()

    build = server.rebuild(remove)
    assert build["full"] == "file list changed" and build["rendered"] == build["pages"] < server.first["pages"], build
    assert not gone.exists() and not gone.parent.exists()
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


def test_a_new_policy_in_a_new_region_rebuilds_every_page(served, tmp_path):
    root, server = served

    def add() -> None:
        regions = root / "data" / "regions.yaml"
        regions.write_text(
            regions.read_text(encoding="utf-8") + "  - id: east\n    name: 东方省\n    name_en: East "
            'Province\n    level: province\n    parent: china\n    code: "320000"\n',
            encoding="utf-8",
        )
        text = policy(root, "south-2022-action").read_text(encoding="utf-8")
        text = text.replace("id: south-2022-action", "id: east-2022-action").replace("region: south", "region: east")
        shutil.copy(
            root / "data" / "sources" / "south-2022-action.txt", root / "data" / "sources" / "east-2022-action.txt"
        )
        policy(root, "east-2022-action").write_text(text, encoding="utf-8")

    build = server.rebuild(add)
    assert build["full"] == "file list changed" and build["rendered"] == build["pages"] > server.first["pages"], build
    assert (server.site / "policies" / "east-2022-action" / "index.html").is_file()
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


def test_a_hand_written_page_edit_rebuilds_that_page_only(served, tmp_path):
    root, server = served
    build = server.rebuild(edit_text(root / "docs" / "about.md", "## 方法", "## 方法与原则"))
    assert build == {"rendered": 1, "pages": server.first["pages"], "full": None}
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


def test_a_configuration_edit_rebuilds_every_page(served, tmp_path):
    root, server = served
    build = server.rebuild(edit_text(root / "mkdocs.yml", "copyright: ", "copyright: 2024 "))
    assert build["full"] == "configuration changed" and build["rendered"] == build["pages"], build
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


def test_a_theme_override_edit_rebuilds_every_page_at_the_next_change(served, tmp_path):
    """`mkdocs serve` does not watch overrides/ (without --watch-theme); the next rebuild sees it."""
    root, server = served
    edit_text(root / "overrides" / "main.html", "下载 PDF</span>", "下载整部 PDF</span>")()
    build = server.rebuild(
        edit_text(
            policy(root, "north-2023-skills"),
            "到2025年高技能人才占比达到35%左右。",
            "到2025年高技能人才占比达到百分之三十五左右。",
        )
    )
    assert build["full"] == "theme changed" and build["rendered"] == build["pages"], build
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


def test_bad_data_keeps_the_served_site_and_the_next_rebuild_incremental(served, tmp_path):
    """A data error stops the build before anything is written (the plugin's on_config)."""
    root, server = served
    path = policy(root, "north-2023-skills")
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("region: north\n", "region: nowhere\n", 1), encoding="utf-8")
    server.wait_for("Detected file changes")
    server.wait_for("An error happened during the rebuild", errors_ok=True)
    build = server.rebuild(
        lambda: path.write_text(
            good.replace("到2025年高技能人才占比达到35%左右。", "到2025年高技能人才占比达到百分之三十五左右。"),
            encoding="utf-8",
        )
    )
    assert build["full"] is None and 0 < build["rendered"] < build["pages"], build
    assert_same_site(server.site, clean_build(root, tmp_path / "clean"))


# --------------------------------------------------------------------------- versions not verified

DRIVER = """
import json, logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
import generator.mkdocs.incremental, generator.mkdocs.indexing

generator.mkdocs.incremental.VERIFIED_MKDOCS = set(sys.argv[1].split(",")) - {""}
generator.mkdocs.indexing.VERIFIED_MATERIAL = set(sys.argv[2].split(",")) - {""}
summaries = []


class Keep(logging.Handler):
    def emit(self, record):
        summaries.append(record.getMessage())


logging.getLogger("mkdocs.plugins.atlas").addHandler(Keep())
logging.getLogger("mkdocs.plugins.atlas").setLevel(logging.INFO)
url = sys.argv[3]

def get_config():  # as mkdocs serve's builder: a fresh config for every build, the same site folder
    config = load_config("mkdocs.yml", site_dir=sys.argv[4])
    config.site_url = url
    return config

config = get_config()
config.plugins.on_startup(command="serve", dirty=True)
build(config, serve_url=url, dirty=True)
print("built", flush=True)
input()  # the test edits the data
build(get_config(), serve_url=url, dirty=True)
print(json.dumps([s for s in summaries if s.startswith("atlas: ")]))
"""


# Material's version mattered for its search index's dirty-mode merging; the served site has no
# Material search since issue 13 (Pagefind, after the build), so only MkDocs' version is checked.
@pytest.mark.parametrize(
    "mkdocs, material, reason",
    [
        ("", "9.8.1", "MkDocs 1.6.1: incremental builds are verified for "),
    ],
)
def test_versions_not_verified_build_everything_and_clean(tmp_path, mkdocs, material, reason):
    """MkDocs or Material other than the versions checked: every build is a full, clean one, and
    Material's own dirty-mode index merging is not used (it would duplicate entries)."""
    root = make_root(tmp_path / "atlas", site_files=True)
    port = free_port()
    config = root / "mkdocs.yml"
    config.write_text(f"site_url: http://127.0.0.1:{port}/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    site = tmp_path / "served"
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, mkdocs, material, f"http://127.0.0.1:{port}/", str(site)],
        cwd=root,
        env=env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline() == "built\n"
        edit_text(
            policy(root, "north-2023-skills"),
            "到2025年高技能人才占比达到35%左右。",
            "到2025年高技能人才占比达到百分之三十五左右。",
        )()
        policy(root, "north-2021-old").unlink()
        out, _ = proc.communicate("\n", timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    summaries = [s for s in json.loads(out.strip().splitlines()[-1]) if re.match(r"atlas: (re)?built", s)]
    assert len(summaries) == 2 and all(s.startswith("atlas: built all") and reason in s for s in summaries), summaries
    assert_same_site(site, clean_build(root, tmp_path / "clean"))
