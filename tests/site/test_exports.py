"""The two whole-atlas downloads are one-file ZIP archives (atlas.json.zip, measures.csv.zip).

Opened as a reader opens them (``zipfile``, then ``json`` / ``csv``), on the mini fixture's four policies.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from atlas_pipeline import MINI

from generator.core.catalog import Catalogue
from generator.core.validate import validate
from generator.site import exports, urls

FIXTURE_POLICIES = ["north-2021-old", "north-2023-skills", "north-city-2024-plan", "south-2022-action"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    dataset, problems = validate(MINI)
    assert problems == []
    return Catalogue(dataset)


@pytest.fixture(scope="module")
def files(catalogue) -> dict[str, tuple[bytes, str]]:
    return exports.download_files(catalogue)


def only_member(archive: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert zf.namelist() == [name]
        assert zf.testzip() is None  # every member's CRC checks out
        return zf.read(name)


def test_the_whole_atlas_files_are_published_zipped_and_only_zipped(files):
    assert urls.ATLAS_ZIP == "downloads/atlas.json.zip" and urls.MEASURES_ZIP == "downloads/measures.csv.zip"
    assert urls.ATLAS_ZIP in files and urls.MEASURES_ZIP in files
    assert "downloads/atlas.json" not in files and "downloads/measures.csv" not in files
    # The smaller CSVs stay as they were: plain files a spreadsheet opens.
    assert files[urls.POLICIES_CSV][0].startswith("\ufeff".encode("utf-8"))


def test_atlas_json_zip_holds_atlas_json_with_the_fixture_atlas(catalogue, files):
    archive, description = files[urls.ATLAS_ZIP]
    data = json.loads(only_member(archive, "atlas.json").decode("utf-8"))
    ids = [p["id"] for p in data["policies"]]
    assert ids == catalogue.policy_order and sorted(ids) == FIXTURE_POLICIES
    assert data["counts"] == catalogue.counts()
    assert sum(len(p["measures"]) for p in data["policies"]) == len(catalogue.measures) > 0
    assert [r["id"] for r in data["regions"]] == catalogue.region_order
    assert "ZIP" in description and "atlas.json" in description


def test_measures_csv_zip_holds_measures_csv_with_every_measure(catalogue, files):
    archive, description = files[urls.MEASURES_ZIP]
    raw = only_member(archive, "measures.csv")
    assert raw == exports.measures_csv(catalogue)
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header == [
        "policy",
        "measure",
        "section",
        "title",
        "region",
        "themes",
        "topics",
        "summary",
        "agencies",
        "quote",
    ]
    assert [(row[0], row[1]) for row in rows] == [(r.policy.id, r.measure.id) for r in catalogue.measures]
    assert {row[0] for row in rows} == set(FIXTURE_POLICIES)
    assert "ZIP" in description and "measures.csv" in description


def test_a_zip_download_depends_only_on_its_content():
    """Fixed date, modes and creator system: the same bytes at any time, on any machine, under any umask."""
    data = "政策".encode() * 1000
    one = exports.zipped("x.json", data)
    assert one == exports.zipped("x.json", data)
    assert one != exports.zipped("x.json", data + b"!")
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        [info] = zf.infolist()
    assert info.date_time == exports.ZIP_DATE == (1980, 1, 1, 0, 0, 0)
    assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size < info.file_size == len(data)
    assert info.external_attr >> 16 == 0o644 and info.create_system == 3


def test_the_cut_mark_names_the_download_that_holds_the_whole_text(files):
    assert "atlas.json.zip" in exports.CUT_MARK
    assert urls.zip_member(urls.ATLAS_ZIP) == "atlas.json" and urls.zip_member(urls.MEASURES_ZIP) == "measures.csv"


def test_the_archived_source_texts_are_one_zip_of_every_text_byte_for_byte(files):
    """downloads/sources.zip holds sources/<id>.txt for each policy, exactly the archived file."""
    archive, description = files[urls.SOURCES_ZIP]
    assert "ZIP" in description
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == [f"sources/{pid}.txt" for pid in FIXTURE_POLICIES]
        for pid in FIXTURE_POLICIES:
            assert zf.read(f"sources/{pid}.txt") == (MINI / "data" / "sources" / f"{pid}.txt").read_bytes()
    assert not any(path.startswith("downloads/sources/") for path in files), "no loose copies beside it"
    assert exports.archive([("a", b"x"), ("b", b"y")]) == exports.archive([("a", b"x"), ("b", b"y")])
