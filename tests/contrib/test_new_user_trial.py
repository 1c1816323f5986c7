"""A contributor's first try, as a new user would do it: copy a policy, break it in several
ways at once, and the validator lists every problem in one run — schema problems and the
cross-file checks together — then passes once they are fixed."""

from __future__ import annotations

import shutil

from conftest import ROOT, run_generator

ORIGINAL = "xinxiang-2023-high-skilled-talent"
COPY = "xinxiang-2024-copy"


def _copy_root(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    text = (tmp_path / "data" / "policies" / f"{ORIGINAL}.yaml").read_text(encoding="utf-8")
    shutil.copy(tmp_path / "data" / "sources" / f"{ORIGINAL}.txt", tmp_path / "data" / "sources" / f"{COPY}.txt")
    return text.replace(f"id: {ORIGINAL}", f"id: {COPY}", 1)


def test_several_mistakes_in_one_file_are_all_reported(tmp_path):
    text = _copy_root(tmp_path)
    broken = (
        text.replace("region: xinxiang", "region: xinxing", 1)
        .replace("signed: 2023-08-21", "signed: 2023-02-30", 1)
        .replace("themes: [incentives", "themes: [incentivs", 1)
        .replace("yuan: 100000", "yuan: 10", 1)
    )
    path = tmp_path / "data" / "policies" / f"{COPY}.yaml"
    path.write_text(broken, encoding="utf-8")
    result = run_generator("--root", str(tmp_path), "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("data/")]
    messages = [line.split(": ", 2)[-1] for line in lines]
    assert "unknown region 'xinxing' — did you mean 'xinxiang'?" in messages
    assert any("'2023-02-30' is not a valid date" in m for m in messages)
    assert "unknown theme 'incentivs' — did you mean 'incentives'?" in messages
    assert any(m.startswith("10 yuan is not stated in its quote") for m in messages)
    assert len(lines) == 4, result.stderr
    for line in lines:  # file:line:column: field: message
        file, line_no, column, _ = line.split(":", 3)
        assert file == f"data/policies/{COPY}.yaml" and line_no.isdigit() and column.isdigit()


def test_the_fixed_copy_validates(tmp_path):
    text = _copy_root(tmp_path)
    (tmp_path / "data" / "policies" / f"{COPY}.yaml").write_text(text, encoding="utf-8")
    result = run_generator("--root", str(tmp_path), "validate")
    assert result.returncode == 0, result.stderr
    # How many policies the copy holds is whatever data/ holds plus one: a contribution changes that,
    # so the test names the copy instead of counting.
    assert "all checks passed" in result.stdout
    policies = sorted(p.stem for p in (tmp_path / "data" / "policies").glob("*.yaml"))
    assert COPY in policies and ORIGINAL in policies
    assert f"ok: {len(policies)} policies" in result.stdout
