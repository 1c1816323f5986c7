"""Issue 17 at the command line: what the corpus cannot hold (commands other than validate, the folder
the command runs in, data/ itself), each run through the real ``python -m generator`` or ``mkdocs``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from atlas_pipeline import make_root, mkdocs_build
from conftest import FIXTURES, ROOT, run_generator

MINI = FIXTURES / "mini"
POLICY = "data/policies/fixture-policy.yaml"


def mini(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    return root


def edit(root: Path, old: str, new: str, path: str = POLICY) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_scalars_yaml_cannot_construct_are_problems_in_fmt_and_mkdocs(tmp_path):
    """Item 1: `rank: !!int abc` crashed fmt and `mkdocs build` (through the plugin) with a traceback."""
    root = make_root(tmp_path / "project", site_files=True)
    path = "data/policies/north-2023-skills.yaml"
    edit(root, "rank: 1\n", "rank: !!int abc\n", path)
    fmt = run_generator("fmt", path, cwd=root)
    assert fmt.returncode == 1 and "Traceback" not in fmt.stdout + fmt.stderr
    assert "rank: 'abc' cannot be read as !!int" in fmt.stderr
    mkdocs = mkdocs_build(root, tmp_path / "out")
    assert mkdocs.returncode != 0 and "Traceback" not in mkdocs.stdout + mkdocs.stderr
    assert "rank: 'abc' cannot be read as !!int" in mkdocs.stderr
    assert not (tmp_path / "out").exists()


def test_data_folder_that_is_a_link_is_refused(tmp_path):
    """Item 7: everything below data/ was checked for links, but not data/ itself."""
    outside = mini(tmp_path / "elsewhere")
    root = tmp_path / "checkout"
    root.mkdir()
    (root / "data").symlink_to(outside / "data")
    result = run_generator("validate", cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith("data:1:1: data/ is a symbolic link, not a folder of the checkout")


def test_commands_find_the_project_root_from_a_subfolder(tmp_path):
    """Item 16: run from data/policies/, validate reported five missing vocabulary files."""
    root = mini(tmp_path)
    result = run_generator("validate", cwd=root / "data" / "policies")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 1 policies")


def test_outside_any_project_the_command_says_so(tmp_path):
    result = run_generator("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "no project here" in result.stderr and "--root" in result.stderr


def test_validate_and_build_are_one_gate(tmp_path):
    """Item 17: a CRLF file failed validate but passed build; both now report the canonical-form problem."""
    root = make_root(tmp_path / "project", site_files=True)
    path = root / "data" / "policies" / "north-2023-skills.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    expected = (
        "data/policies/north-2023-skills.yaml:1:1: file is not in canonical form"
        " — run: python -m generator fmt data/policies/north-2023-skills.yaml"
    )
    validate = run_generator("validate", cwd=root)
    build = run_generator("build", "--site-dir", str(tmp_path / "site"), "--no-pdf", "--no-offline", cwd=root)
    for result in (validate, build):
        assert result.returncode == 1
        assert result.stderr.split("\n")[0] == expected
    assert not (tmp_path / "site").exists()


def test_control_characters_in_messages_are_shown_escaped(tmp_path):
    """Item 14: a doc_type could clear the terminal and print a fake green 'ok'."""
    root = mini(tmp_path)
    edit(root, "doc_type: 若干措施", 'doc_type: "\\e[2J\\e[32mok\\e[0m"')
    result = run_generator("validate", cwd=root)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    assert "doc_type: '\\x1b[2J\\x1b[32mok\\x1b[0m' is not an allowed value" in result.stderr


def test_make_clean_removes_leftovers_of_killed_builds(tmp_path):
    """Item 11: `make clean` left .site.building-*, .site.old-* and dead builds' /tmp/atlas-offline-*."""
    work = tmp_path / "checkout"
    work.mkdir()
    shutil.copyfile(ROOT / "Makefile", work / "Makefile")
    dead = subprocess.Popen(["true"])
    dead.wait()
    temp = Path(tempfile.gettempdir())
    made = [
        work / "site",
        work / f".site.building-{dead.pid}-x1",
        work / f".site.old-{dead.pid}",
        temp / f"atlas-offline-{dead.pid}-y2",
    ]
    live = temp / f"atlas-offline-{os.getpid()}-z3"
    for folder in made + [live]:
        folder.mkdir()
    result = subprocess.run(["make", "-s", "clean"], cwd=work, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [p for p in made if p.exists()] == []
    assert live.exists()
    live.rmdir()
    assert ".site.*" in (ROOT / ".gitignore").read_text(encoding="utf-8").split("\n")


def test_a_quote_that_needed_a_wording_fix_says_so_on_its_page(tmp_path):
    """Item 5: the quote check records which data/wording.yaml fixes a quote relied on; the page shows them."""
    import hashlib

    from generator.site.generate import generate

    root = mini(tmp_path)
    source = root / "data/sources/fixture-policy.txt"
    text = source.read_text(encoding="utf-8").replace("完善技能评价制度。", "完善技能評價制度，推動網際網路培訓。")
    source.write_text(text, encoding="utf-8")
    edit(root, "script: zh-Hans", "script: zh-Hant")
    edit(
        root,
        "fdeb62ec3ba6e32e924efc0479a60647d1b7cddb99e72c7774039b0882434a41",
        hashlib.sha256(source.read_bytes()).hexdigest(),
    )
    edit(root, "      - 完善技能评价制度。推行", "      - 完善技能评价制度，推动互联网培训。推行")
    page = generate(root).markdown["policies/fixture-policy.md"]
    assert page.count("引文经用语转换：网际网路→互联网") == 1  # the one quote that needed it, no other
