"""The real PDF from the real build, read back: text, outline, links, fonts, page geometry and pictures."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT

PDF = "pdf/skills-policy-atlas.pdf"
RADICALS = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")  # CJK Radicals Supplement, Kangxi Radicals
TOC_LINE = re.compile(r"^\s*([^\s.].*?)?\s*(?:\.\s*){3,}(\d+)\s*$")  # title (or its wrapped end) . . . page
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
FOOTER = re.compile(r"第 \d+ 页 / 共 \d+ 页")
BODY_TOP, BODY_BOTTOM = 45, 40  # pt: the running header and the footer sit in the page margins, outside these


def _squash(text: str) -> str:
    """Text without whitespace: a title wrapped over two lines still reads as one string."""
    return re.sub(r"\s+", "", text)


def _policies() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "data/policies").glob("*.yaml"))]


class Printed:
    """One read of the PDF, shared by the tests: pypdf for structure, poppler for text and geometry."""

    def __init__(self, path: Path):
        self.path = path
        self.reader = PdfReader(str(path))
        self.count = len(self.reader.pages)

    def poppler(self, *args: str) -> str:
        """A poppler tool's output for this file (pdftotext writes to '-', the others to stdout anyway)."""
        target = [str(self.path), "-"] if args[0] == "pdftotext" else [str(self.path)]
        return subprocess.run([*args, *target], capture_output=True, text=True, check=True, timeout=300).stdout

    @cached_property
    def pages(self) -> list[str]:
        """Plain text of every page (pdftotext's pages end with a form feed)."""
        return self.poppler("pdftotext", "-enc", "UTF-8").split("\f")[: self.count]

    @cached_property
    def layout_pages(self) -> list[str]:
        return self.poppler("pdftotext", "-layout", "-enc", "UTF-8").split("\f")[: self.count]

    @cached_property
    def words(self) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
        """Per page: width, height and every word's box, from pdftotext -bbox."""
        out = []
        for chunk in self.poppler("pdftotext", "-bbox", "-enc", "UTF-8").split("<page ")[1:]:
            size = PAGE.search("<page " + chunk)
            boxes = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(chunk)]
            out.append((float(size.group(1)), float(size.group(2)), boxes))
        return out

    @cached_property
    def outline(self) -> list[tuple[int, str, int]]:
        """(depth, title, 1-based page) for every bookmark, in order."""
        items: list[tuple[int, str, int]] = []

        def walk(nodes, depth):
            for node in nodes:
                if isinstance(node, list):
                    walk(node, depth + 1)
                else:
                    items.append((depth, node.title, self.reader.get_destination_page_number(node) + 1))
        walk(self.reader.outline, 0)
        return items

    def chapter_pages(self, title: str) -> range:
        """The pages from a bookmarked chapter's first page to the page before the next bookmark at its depth or above."""
        for i, (depth, name, page) in enumerate(self.outline):
            if name == title:
                following = [p for d, _, p in self.outline[i + 1:] if d <= depth]
                return range(page, (following[0] if following else self.count + 1))
        raise AssertionError(f"no bookmark {title!r}")

    def text(self, pages: range) -> str:
        return "".join(self.pages[p - 1] for p in pages)

    @cached_property
    def body(self) -> str:
        """All body text in reading order, without running headers and footers, whitespace removed:
        a quote that runs over a page break reads as one string."""
        return "".join(w for _, height, boxes in self.words for x0, y0, x1, y1, w in boxes
                       if y0 > BODY_TOP and y1 < height - BODY_BOTTOM)

    def contents(self) -> dict[str, int]:
        """The table of contents: entry → page number (an entry may wrap onto a second line)."""
        toc: dict[str, int] = {}
        pending = ""
        for page in self.chapter_pages("目录"):
            for line in self.layout_pages[page - 1].splitlines():
                match = TOC_LINE.match(line)
                if match:
                    toc[(pending + " " + (match.group(1) or "")).strip()] = int(match.group(2))
                    pending = ""
                elif line.strip() and line.strip() != "目录" and not FOOTER.search(line):
                    pending = (pending + " " + line.strip()).strip()
                else:
                    pending = ""
        return toc


@pytest.fixture(scope="module")
def printed(built_site: Path) -> Printed:
    path = built_site / PDF
    assert path.is_file() and path.stat().st_size > 100_000
    return Printed(path)


def test_a_whole_book_with_metadata(printed: Printed):
    assert printed.count >= 60, printed.count
    info = printed.poppler("pdfinfo")
    assert re.search(r"^Pages:\s+%d$" % printed.count, info, re.M), info
    assert re.search(r"^Title:\s+技能人才政策对照$", info, re.M), info
    assert printed.reader.trailer["/Root"]["/Lang"] == "zh-Hans"


def test_cover_date_comes_from_the_checkout_not_the_clock(printed: Printed):
    from generator.export.reproducible import source_date_epoch

    when = datetime.fromtimestamp(int(source_date_epoch(ROOT)), tz=timezone.utc).astimezone(ZoneInfo("Asia/Shanghai"))
    cover = _squash(printed.pages[0])
    assert f"版本日期：{when.year}年{when.month}月{when.day}日" in cover
    policies = _policies()
    measures = sum(len(p["measures"]) for p in policies)
    assert f"{len(policies)}份政策文件" in cover and f"{measures}条措施" in cover
    assert printed.reader.metadata["/CreationDate"].startswith(when.strftime("D:%Y%m%d%H%M%S"))


def test_every_page_has_the_footer_with_the_real_page_count(printed: Printed):
    for number, text in enumerate(printed.pages, start=1):
        assert f"第 {number} 页 / 共 {printed.count} 页" in text, number


def test_no_blank_pages(printed: Printed):
    """Every page has words in its body, not only a running header and the footer in the margins."""
    assert len(printed.words) == printed.count
    for number, (width, height, boxes) in enumerate(printed.words, start=1):
        body = [w for x0, y0, x1, y1, w in boxes if y0 > BODY_TOP and y1 < height - BODY_BOTTOM]
        assert body, f"page {number} has no text in its body"


def test_nothing_is_cut_off_at_the_page_edges(printed: Printed):
    """Wide tables fit: no word lies outside the page or more than 10 pt into the outer margin strip."""
    for number, (width, height, boxes) in enumerate(printed.words, start=1):
        outside = [w for x0, y0, x1, y1, w in boxes if x0 < 10 or x1 > width - 10 or y0 < 10 or y1 > height - 10]
        assert not outside, f"page {number}: {outside[:10]}"


def test_outline_has_parts_chapters_and_every_policy_with_its_measures(printed: Printed):
    top = [name for depth, name, _ in printed.outline if depth == 0]
    for part in ("目录", "主题", "地区", "政策文件", "术语表"):
        assert part in top, top
    second = [name for depth, name, _ in printed.outline if depth == 1]
    for chapter in ("培训", "评价", "竞赛", "激励", "目标对照", "奖补金额对照", "河南省", "新乡市", "四川省"):
        assert chapter in second, second
    names = [name for _, name, _ in printed.outline]
    for policy in _policies():
        assert policy["title"] in names, policy["title"]
        pages = printed.chapter_pages(policy["title"])
        depth = next(d for d, n, _ in printed.outline if n == policy["title"])
        inside = [n for d, n, p in printed.outline if d > depth and p in pages]
        for measure in policy["measures"]:
            assert any(measure["title"] in n for n in inside), (policy["id"], measure["title"])


def test_contents_page_numbers_are_the_pages_chapters_start_on(printed: Printed):
    toc = {_squash(title): page for title, page in printed.contents().items()}
    assert len(toc) >= 20, toc
    starts = {_squash(name): page for depth, name, page in printed.outline if depth <= 1}
    for title, page in toc.items():
        assert title in starts, f"contents entry {title!r} is no chapter bookmark"
        assert starts[title] == page, f"{title}: contents say {page}, chapter starts on {starts[title]}"
        assert title in _squash(printed.pages[page - 1]), title
    assert "培训" in toc and "奖补金额对照" in toc
    assert all(_squash(p["title"]) in toc for p in _policies()), "every policy is listed with its page"
    assert [p for p in toc.values()] == sorted(toc.values()), "contents in page order"


def test_text_of_measures_and_table_cells_copies_out_exactly(printed: Printed):
    everything = _squash("".join(printed.pages))
    assert not RADICALS.findall(everything), sorted(set(RADICALS.findall(everything)))
    assert "首席技师" in everything
    for policy in _policies():
        assert _squash(policy["title"]) in printed.body, policy["title"]
    # verbatim quotes, character for character (each is printed in its policy's chapter)
    quotes = [q for p in _policies() for m in p["measures"] for q in m.get("quotes", []) if len(q) > 40]
    assert len(quotes) > 10
    for quote in quotes:
        assert _squash(quote) in printed.body, quote
    # the side-by-side table of a theme: region columns, on landscape pages
    training = printed.chapter_pages("培训")
    first = printed.reader.pages[training.start - 1].mediabox
    assert first.width > first.height, "side-by-side tables are printed landscape"
    table = printed.text(range(training.start, training.start + 2))
    for region in ("河南省", "新乡市", "四川省"):
        assert region in table, region
    # the prize ladder: amounts in yuan in the money comparison
    money = printed.text(printed.chapter_pages("奖补金额对照"))
    assert "10万元" in money and "国家级一类大赛" in money


def test_fonts_are_embedded_simplified_chinese_faces_never_type3(printed: Printed):
    lines = printed.poppler("pdffonts").splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        assert "Type 3" not in line, line
        cols = line.split()
        emb, sub, uni = cols[-5], cols[-4], cols[-3]
        assert emb == "yes" and uni == "yes", line
        if "CJK" in cols[0]:
            assert "SC" in cols[0], f"not the Simplified-Chinese face: {line}"
    assert any("Noto-Sans-CJK-SC" in line for line in lines) and any("Noto-Serif-CJK-SC" in line for line in lines)


def test_internal_links_point_at_destinations_that_exist(printed: Printed):
    names = set(printed.reader.named_destinations)
    links = []
    for page in printed.reader.pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                links.append(str(annot["/Dest"]))
    assert len(links) > 300, len(links)
    missing = sorted(set(links) - names)
    assert not missing, missing[:20]
    assert any(re.fullmatch(r"p-policies-.+--m\d+", d) for d in links), "links to measures"
    assert any(d.startswith("p-glossary--") for d in links), "links to glossary terms"


def test_pages_render_to_pictures(printed: Printed, artifacts: Path):
    """Page 1 and the first side-by-side table page as PNG, to be looked at (test-artifacts/)."""
    table_page = printed.chapter_pages("培训").start
    for name, page in (("pdf-cover", 1), ("pdf-side-by-side", table_page), ("pdf-money", printed.chapter_pages("奖补金额对照").start)):
        target = artifacts / name
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(printed.path),
                        str(target)], check=True, timeout=120)
        png = target.with_suffix(".png")
        assert png.stat().st_size > 8_000, png  # a blank page is about 2 KB


def test_one_region_as_its_own_pdf(tmp_path: Path):
    """`python -m generator pdf --region xinxiang`: the region's chapter and its policies, nothing else,
    and links to chapters left out are plain text rather than dangling."""
    from conftest import run_generator

    out = tmp_path / "xinxiang.pdf"
    result = run_generator("pdf", "--region", "xinxiang", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    part = Printed(out)
    toc = {_squash(t) for t in part.contents()}
    xinxiang = [p for p in _policies() if p["region"] == "xinxiang"]
    assert xinxiang and toc == {"新乡市", "术语表", *(_squash(p["title"]) for p in xinxiang)}, toc
    assert not ({_squash(p["title"]) for p in _policies()} - toc) & {_squash(t) for _, t, _ in part.outline}
    names = set(part.reader.named_destinations)
    dests = {str(a.get_object()["/Dest"]) for page in part.reader.pages for a in page.get("/Annots", []) or []
             if "/Dest" in a.get_object()}
    assert dests and dests <= names, sorted(dests - names)[:10]
    assert "本册是图谱的一部分" in _squash(part.pages[0])

    assert run_generator("pdf", "--theme", "no-such-theme", "--out", str(tmp_path / "x.pdf")).returncode == 2
