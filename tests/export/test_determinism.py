"""The same data always gives the same site, byte for byte.

Two real builds of the project's data (``python -m generator build --no-pdf --no-offline``) into
two different folders, in processes with different hash seeds (so any dependence on set or dict
iteration order, on the folder's path or on the clock shows up), must produce the same files with
the same bytes: pages, search index (site/search/), sitemap, JSON and CSV downloads (atlas.json and
measures.csv inside their ZIP archives, whose dates and modes are fixed), assets. The PDF is compared
the same way from two ``write_pdf`` calls on the mini fixture.
"""

from __future__ import annotations

import difflib
import gzip
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from atlas_pipeline import MINI, generator_env, make_root, site_files
from conftest import ROOT

from generator.site.generate import generate


def _build(site: Path, seed: str) -> dict[str, bytes]:
    env = dict(generator_env(), PYTHONHASHSEED=seed)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(site), "--no-pdf", "--no-offline"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return site_files(site)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    first = _build(tmp_path_factory.mktemp("one") / "site", "1")
    second = _build(tmp_path_factory.mktemp("two-with-a-longer-name") / "public", "2")
    return first, second


def _members(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _first_difference(name: str, a: bytes, b: bytes) -> str:
    if name.endswith(".gz"):
        a, b = gzip.decompress(a), gzip.decompress(b)
    if name.endswith(".zip"):  # a one-file download: diff what is inside, or say the headers differ
        unzipped = [_members(a), _members(b)]
        if unzipped[0] == unzipped[1]:
            return "same files inside, different archive (dates, modes or compression)"
        if all(len(m) == 1 for m in unzipped):
            a, b = (next(iter(m.values())) for m in unzipped)
    try:
        lines = difflib.unified_diff(a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines(), lineterm="", n=1)
        return "\n".join(list(lines)[:12])
    except UnicodeDecodeError:
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return f"binary, first difference at byte {at}"


def test_two_builds_are_byte_identical(two_builds):
    first, second = two_builds
    assert sorted(first) == sorted(second), "different files were written"
    different = [name for name in sorted(first) if first[name] != second[name]]
    assert not different, "\n\n".join(
        f"{name}:\n{_first_difference(name, first[name], second[name])}" for name in different[:5]
    )


def test_the_comparison_covers_what_readers_download(two_builds):
    """The build really produced the files this test is about (so the comparison above cannot pass empty)."""
    first, _ = two_builds
    for name in (
        "index.html",
        "search/meta.json",
        "search/facets.json.gz",
        "sitemap.xml",
        "sitemap.xml.gz",
        "downloads/atlas.json.zip",
        "downloads/measures.csv.zip",
        "downloads/policies.csv",
        "themes/training/index.html",
    ):
        assert first.get(name), name
    assert sum(name.startswith("policies/") for name in first) >= 5
    for name, member in (("downloads/atlas.json.zip", "atlas.json"), ("downloads/measures.csv.zip", "measures.csv")):
        with zipfile.ZipFile(io.BytesIO(first[name])) as archive:
            assert archive.namelist() == [member] and archive.read(member), name  # not an empty archive


def test_generate_twice_in_one_process_is_identical():
    a, b = generate(ROOT), generate(ROOT)
    assert a.markdown == b.markdown
    assert a.files == b.files


def test_pdf_is_byte_identical(tmp_path):
    from generator.export.pdf import write_pdf

    root = make_root(tmp_path / "project", site_files=True, data=MINI)
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    assert write_pdf(root, one) > 0
    assert write_pdf(root, two) > 0
    assert one.read_bytes()[:5] == b"%PDF-"
    assert one.read_bytes() == two.read_bytes()
