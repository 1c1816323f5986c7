"""``python -m generator archive``: a saved government web page (tests/fixtures/archive/page.html, written
for the test) becomes data/sources/<id>.txt — paragraphs and numbering kept, page chrome gone."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

from conftest import FIXTURES, ROOT

PAGE = FIXTURES / "archive" / "page.html"

EXPECTED = """示例厅关于印发示例方案的通知
发布时间：2099-01-01　来源：示例厅　【字体：大 中 小】　打印本页
各市人力资源和社会保障局：
现将《示例方案》印发给你们，请结合实际认真贯彻落实。本文件为测试样例，不是真实文件。
附件：示例方案
示例方案
一、总体要求
（一）指导思想。坚持示例原则，加强技能人才队伍建设，推动高技能人才占技能人才的比例达到1/3。
（二）主要目标。到2099年，新增技能人才10万人以上，技能人才培训人次增长百分之十。
二、重点任务
1.建设示例培训基地。每年建设培训基地2—3个。
2.完善示例评价制度。推行职业技能等级认定，
按规定给予补贴。
| 项目 | 目标 |
| 培训基地 | 3个 |
示例厅
2099年1月1日
"""


def _root(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "mini", root)
    return root


def _generator(root, *args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_page_becomes_the_archive_with_its_numbering_and_without_the_chrome(tmp_path):
    root = _root(tmp_path)
    result = _generator(root, "archive", str(PAGE), "--id", "sample-2099-plan")
    assert result.returncode == 0, result.stderr.decode()
    archive = root / "data" / "sources" / "sample-2099-plan.txt"
    text = archive.read_text(encoding="utf-8")
    assert text == EXPECTED
    for chrome in ("网站首页", "当前位置", "分享到", "相关文章", "示例厅召开工作会议", "版权所有", "_hmt"):
        assert chrome not in text
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert f"sha256 {digest}" in result.stdout.decode()


def test_a_gbk_page_from_standard_input_gives_the_same_utf8_text(tmp_path):
    root = _root(tmp_path)
    page = PAGE.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gb18030"').encode("gb18030")
    result = _generator(root, "archive", "-", "--id", "sample-2099-gbk", stdin=page)
    assert result.returncode == 0, result.stderr.decode()
    assert (root / "data" / "sources" / "sample-2099-gbk.txt").read_text(encoding="utf-8") == EXPECTED


def test_an_archive_is_never_overwritten_and_bad_input_writes_nothing(tmp_path):
    root = _root(tmp_path)
    existing = root / "data" / "sources" / "fixture-policy.txt"
    before = existing.read_bytes()
    result = _generator(root, "archive", str(PAGE), "--id", "fixture-policy")
    assert result.returncode == 1 and b"already exists" in result.stderr and b"Traceback" not in result.stderr
    assert existing.read_bytes() == before
    for args in (
        ["archive", str(PAGE), "--id", "Not An Id"],
        ["archive", "missing.html", "--id", "x-2099"],
        ["archive", "-", "--id", "empty-2099"],
    ):
        result = _generator(root, *args, stdin=b"<html><body><div class='nav'></div></body></html>")
        assert result.returncode == 1 and result.stderr.startswith(b"error: ") and b"Traceback" not in result.stderr
    assert sorted(p.name for p in (root / "data" / "sources").iterdir()) == ["fixture-policy.txt"]


def test_new_uses_the_archive_in_place(tmp_path):
    root = _root(tmp_path)
    assert _generator(root, "archive", str(PAGE), "--id", "xinxiang-2099-sample").returncode == 0
    rel = "data/sources/xinxiang-2099-sample.txt"
    result = _generator(
        root,
        "new",
        "--id",
        "xinxiang-2099-sample",
        "--title",
        "示例方案",
        "--region",
        "xinxiang",
        "--doc-type",
        "实施方案",
        "--source-file",
        rel,
        "--measures",
        "2",
        stdin=b"",
    )
    assert result.returncode == 0, result.stderr.decode()
    assert f"using {rel} as archived" in result.stdout.decode()
    digest = hashlib.sha256((root / rel).read_bytes()).hexdigest()
    assert digest in (root / "data" / "policies" / "xinxiang-2099-sample.yaml").read_text(encoding="utf-8")
