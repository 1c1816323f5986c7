"""CSV downloads are data, never formulas, and fit a spreadsheet cell (issue 17, item 4).

Spreadsheets execute a cell that starts with = + - @ (also after spaces or a line break, and with the
full-width ＝＋－＠); the header row of every theme CSV is made of region names, which are data too.
"""

from __future__ import annotations

import csv
import io

from atlas_pipeline import make_root, read_vocab, write_vocab

from generator.core.catalog import Catalogue
from generator.core.validate import validate
from generator.site import exports

EVIL = '=HYPERLINK("http://evil.example","x")'


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_header_cells_are_neutralised():
    assert rows(exports.to_csv([EVIL, "地区"], [])) == [["'" + EVIL, "地区"]]


def test_formulas_behind_whitespace_and_full_width_signs_are_neutralised():
    cells = ["\n=1+1", " =1+1", "\u3000@SUM(A1)", "＝1+1", "＋1", "－1", "＠x", "\t=1", "=1"]
    assert rows(exports.to_csv(["h"], [[c] for c in cells]))[1:] == [["'" + c] for c in cells]


def test_ordinary_text_is_untouched():
    cells = ["新乡市", "10万元", "a=b", "1-2", "m01"]
    assert rows(exports.to_csv(["h"], [[c] for c in cells]))[1:] == [[c] for c in cells]


def test_a_cell_longer_than_a_spreadsheet_holds_is_cut_visibly():
    [_, [cell]] = rows(exports.to_csv(["h"], [["字" * 40_000]]))
    assert len(cell) == exports.MAX_CELL and cell.endswith(exports.CUT_MARK)


def test_a_region_named_like_a_formula_is_not_live_in_any_theme_csv(tmp_path):
    root = make_root(tmp_path / "root")
    regions = read_vocab(root, "regions.yaml")
    south = next(r for r in regions["regions"] if r["id"] == "south")
    south["name"] = EVIL
    write_vocab(root, "regions.yaml", regions)
    dataset, problems = validate(root)
    assert problems == []
    files = exports.download_files(Catalogue(dataset))
    themes = [path for path in files if path.startswith("downloads/theme-")]
    assert themes
    headers = [cell for path in themes for cell in rows(files[path][0])[0]]
    assert "'" + EVIL in headers and EVIL not in headers
