"""The real PDFs from the real build, read back: metadata, outline, contents, fonts, text, links, pictures.

The whole atlas and each theme's and region's PDF come from `python -m generator build` (the session's
``built_site``); every expectation about content is computed from ``data/`` (no counts are pinned),
and the seed documents are named where a test is about them. Contributor text is proved to stay text
on a dataset whose every field is made of Typst's markup characters.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import ROOT
from pypdf import PdfReader

PDF = "pdf/skills-policy-atlas.pdf"
PARTS = ("目录", "主题", "对照", "地区", "政策文件", "原文存档", "术语表")
RADICALS = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")  # CJK Radicals Supplement, Kangxi Radicals
TOC_LINE = re.compile(
    r"^\s*(.*?)\s*(?:\.\s*){3,}\s*\u2060?(\d+)\s*$"
)  # title . . . . page (dots close up when wrapped)
# Seeds whose quotes mix Chinese with digits and % — automatic CJK–Latin spacing would put spaces in them.
MIXED_QUOTES = {
    "henan-2025-skills-henan-work-plan": "全省高技能人才占技能人才比例达到35%左右",
    "xinxiang-2023-high-skilled-talent": "全市技能人才总量达到122万人，占就业人员的40%左右",
    "sichuan-2023-skills-sichuan-action": "全省技能人才占就业人员比例力争达到30%",
    "proposal-153-reply-2019": "20%编制员额由学校自主聘用兼职教师",
}


def squash(text: str) -> str:
    """Text without whitespace: a title wrapped over two lines still reads as one string."""
    return re.sub(r"\s+", "", text)


def _yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))


def _policies() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "data/policies").glob("*.yaml"))]


def _regions_with_policies() -> list[dict]:
    used = {p["region"] for p in _policies()}
    return [r for r in _yaml("regions.yaml")["regions"] if r["id"] in used]


class Printed:
    """One PDF, read once: pypdf for structure, poppler for text, fonts and pictures."""

    def __init__(self, path: Path):
        self.path = path
        self.reader = PdfReader(str(path))
        self.count = len(self.reader.pages)

    def poppler(self, tool: str, *args: str) -> str:
        target = [str(self.path), "-"] if tool == "pdftotext" else [str(self.path)]
        return subprocess.run([tool, *args, *target], capture_output=True, text=True, check=True, timeout=300).stdout

    @cached_property
    def pages(self) -> list[str]:
        return self.poppler("pdftotext", "-enc", "UTF-8").split("\f")[: self.count]

    @cached_property
    def body(self) -> str:
        """The text of the portrait pages' body, running header and footer cropped off, line breaks
        removed but spaces kept: a quote wrapped over lines or pages reads as one string."""
        text = self.poppler("pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "56", "-W", "596", "-H", "735")
        return text.replace("\f", "").replace("\n", "")

    @cached_property
    def outline(self) -> list[tuple[int, str, int]]:
        """(depth, title, 1-based page) of every bookmark, in order."""
        items: list[tuple[int, str, int]] = []

        def walk(nodes, depth):
            for node in nodes:
                if isinstance(node, list):
                    walk(node, depth + 1)
                else:
                    items.append((depth, node.title, self.reader.get_destination_page_number(node) + 1))

        walk(self.reader.outline, 0)
        return items

    def start(self, title: str, depth: int | None = None) -> int:
        return next(p for d, n, p in self.outline if n == title and (depth is None or d == depth))

    def contents(self) -> dict[str, int]:
        """The contents pages: entry → page number (a long title wraps onto the next line)."""
        toc: dict[str, int] = {}
        pending = ""
        first = self.start("目录")
        last = self.start("主题", 0) - 1
        text = self.poppler("pdftotext", "-layout", "-enc", "UTF-8", "-f", str(first), "-l", str(last))
        for line in text.splitlines():
            match = TOC_LINE.match(line)
            if match:
                toc[squash(pending + match.group(1))] = int(match.group(2))
                pending = ""
            elif line.strip() and line.strip() != "目录" and "页" not in line:
                pending += line.strip()
        return toc


@pytest.fixture(scope="module")
def printed(built_site: Path) -> Printed:
    return Printed(built_site / PDF)


@pytest.fixture(scope="module")
def manifest(built_site: Path) -> dict:
    return json.loads((built_site / "pdf/manifest.json").read_text(encoding="utf-8"))


def test_metadata_title_language_tags_and_date_from_the_checkout(printed: Printed):
    from generator.export.reproducible import source_date_epoch

    info = printed.poppler("pdfinfo")
    assert re.search(rf"^Pages:\s+{printed.count}$", info, re.M), info
    assert re.search(r"^Title:\s+技能人才政策对照$", info, re.M), info
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info  # PDF/UA-1, tagged for screen readers
    # Simplified Chinese (BCP 47 zh-Hans), not Typst's zh-CN (lang-region): typeset.merge sets it
    assert printed.reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    xmp = printed.reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp.replace(" ", ""), "PDF/UA-1, checked by Typst when it wrote the file"
    assert "<rdf:li>zh-Hans</rdf:li>" in xmp and "zh-CN" not in xmp
    assert f"<xmpTPg:NPages>{printed.count}</xmpTPg:NPages>" in xmp, "the merged file's page count"
    assert "/StructTreeRoot" in printed.reader.trailer["/Root"]
    when = datetime.fromtimestamp(int(source_date_epoch(ROOT)), tz=UTC)
    assert printed.reader.metadata["/CreationDate"].startswith(when.strftime("D:%Y%m%d%H%M%S"))
    local = when.astimezone(ZoneInfo("Asia/Shanghai"))
    cover = squash(printed.pages[0])
    assert f"版本日期：{local.year}年{local.month}月{local.day}日" in cover


def test_cover_counts_come_from_the_data(printed: Printed):
    cover = squash(printed.pages[0])
    policies = _policies()
    assert f"{len(policies)}份政策文件" in cover
    assert f"{sum(len(p['measures']) for p in policies)}条措施" in cover
    for region in _regions_with_policies():
        assert region["name"] in cover


def test_every_page_but_the_cover_has_the_footer_and_the_cover_the_page_count(printed: Printed):
    """The atlas is typeset in parts (generator/export/typeset.py), so a page's footer has its own
    number only; the cover, typeset last, states the whole."""
    assert f"本册共{printed.count}页" in squash(printed.pages[0])
    for number, text in enumerate(printed.pages[1:], start=2):
        assert re.search(rf"第\s*{number}\s*页", text), number


def test_outline_has_parts_chapters_and_every_policy_with_its_measures(printed: Printed):
    top = [name for depth, name, _ in printed.outline if depth == 0]
    assert [p for p in PARTS if p in top] == list(PARTS), top
    chapters = {name for depth, name, _ in printed.outline if depth == 1}
    for theme in _yaml("themes.yaml")["themes"]:
        assert theme["name"] in chapters, theme["name"]
    for region in _regions_with_policies():
        assert region["name"] in chapters, region["name"]
    assert {"目标对照", "奖补金额对照"} <= chapters
    pages = [page for _, _, page in printed.outline]
    assert pages == sorted(pages), "bookmarks in page order"
    for policy in _policies():
        i = next(i for i, (d, n, _) in enumerate(printed.outline) if d == 1 and n == policy["title"])
        inside = []
        for depth, name, _ in printed.outline[i + 1 :]:
            if depth <= 1:
                break
            inside.append(name)
        assert inside == [f"{m['section']} {m['title']}" for m in policy["measures"]], policy["id"]


def test_contents_page_numbers_are_the_pages_chapters_start_on(printed: Printed):
    toc = printed.contents()
    starts: dict[str, int] = {}
    for depth, name, page in printed.outline:
        if depth <= 1:
            starts.setdefault(squash(name), page)
    for policy in _policies():
        assert squash(policy["title"]) in toc, policy["title"]
    for title, page in toc.items():
        assert title in starts, f"contents entry {title!r} is no bookmark"
        assert starts[title] == page, f"{title}: contents say {page}, bookmark says {starts[title]}"
        assert title in squash(printed.pages[page - 1]), title
    assert {"主题", "培训", "奖补金额对照", "术语表"} <= set(toc)


def test_fonts_are_embedded_simplified_chinese_cid_faces_never_type3(printed: Printed):
    lines = printed.poppler("pdffonts").splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        assert "Type 3" not in line, line
        assert "CID Type 0C" in line or "CID TrueType" in line, line
        emb, _sub, uni = line.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), line
        assert "CJKsc" in line.split()[0], f"not a Simplified-Chinese face: {line}"
    names = " ".join(line.split()[0] for line in lines)
    assert "NotoSerifCJKsc" in names and "NotoSansCJKsc" in names


def test_titles_quotes_and_names_copy_out_exactly(printed: Printed):
    text = squash("".join(printed.pages))
    assert not RADICALS.findall(text), sorted(set(RADICALS.findall(text)))
    for policy in _policies():
        assert squash(policy["title"]) in text, policy["id"]
        for measure in policy["measures"]:
            assert squash(measure["title"]) in text, (policy["id"], measure["id"])
            for quote in measure["quotes"]:
                assert squash(quote) in squash(printed.body), (policy["id"], measure["id"], quote)
    for term in _yaml("glossary.yaml")["terms"]:
        assert squash(term["term"]) in text, term["id"]


def test_quotes_with_digits_keep_no_inserted_spaces(printed: Printed):
    """Typst's automatic CJK–Latin spacing is off inside quotes: the text copies out character for
    character, spaces included (pdftotext shows an inserted gap as a space, as in body text)."""
    policies = {p["id"]: p for p in _policies()}
    for pid, quote in MIXED_QUOTES.items():
        quotes = [q for m in policies[pid]["measures"] for q in m["quotes"]]
        quotes += [
            x["quote"] for m in policies[pid]["measures"] for x in m.get("targets", []) + m.get("statistics", [])
        ]
        assert quote in quotes, f"{pid}: the seed no longer has this quote"
        assert quote in printed.body, (pid, quote)
    # body text outside quotes keeps Typst's spacing: the check above can tell the difference
    assert re.search(r"第 \d+ 号提案", "".join(printed.pages)), "contents/titles set with automatic spacing"


def test_side_by_side_tables_are_landscape_with_every_region_column(printed: Printed):
    for theme in _yaml("themes.yaml")["themes"]:
        regions = {p["region"] for p in _policies() for m in p["measures"] if theme["id"] in m["themes"]}
        if not regions:
            continue
        page = printed.start(theme["name"], 1)
        box = printed.reader.pages[page - 1].mediabox
        assert box.width > box.height, f"{theme['name']}: tables on landscape pages"
        table = squash(printed.pages[page - 1] + printed.pages[page])
        names = {r["id"]: r["name"] for r in _yaml("regions.yaml")["regions"]}
        for rid in regions:
            assert names[rid] in table, (theme["id"], rid)
    money = squash(printed.pages[printed.start("奖补金额对照") - 1])
    assert "10万元" in money and "国家级一类大赛" in money


def test_internal_links_point_at_destinations_in_the_document(printed: Printed):
    """Measures (from tables), source lines (from quotes) and glossary terms (from summaries) are
    linked inside the file, and every link lands on a page of it."""
    targets = []
    for page in printed.reader.pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if action is not None and action.get_object().get("/S") == "/URI":
                assert action.get_object()["/URI"].startswith(("http://", "https://"))
                continue
            dest = annot.get("/Dest") if "/Dest" in annot else action.get_object().get("/D")
            if isinstance(dest, str) or hasattr(dest, "startswith"):
                dest = printed.reader.named_destinations[str(dest)]
                targets.append(printed.reader.get_destination_page_number(dest))
            else:
                targets.append(printed.reader.get_page_number(dest[0].get_object()) if dest else -1)
    assert len(targets) > 200, len(targets)
    assert all(0 <= t < printed.count for t in targets)
    first_source, glossary = printed.start("原文存档", 0) - 1, printed.start("术语表", 0) - 1
    first_policy = printed.start("政策文件", 0) - 1
    assert any(first_source <= t < glossary for t in targets), "quotes link to their source line"
    assert any(t >= glossary for t in targets), "summaries link to glossary terms"
    assert any(first_policy <= t < first_source for t in targets), "tables link to measures"


def test_glossary_is_in_pinyin_order(printed: Printed):
    """Each term is a bookmark under 术语表, in the order of generator.core.pinyin.pinyin_key."""
    from generator.core.pinyin import pinyin_key

    terms = sorted((t["term"] for t in _yaml("glossary.yaml")["terms"]), key=pinyin_key)
    i = next(i for i, (d, n, _) in enumerate(printed.outline) if d == 0 and n == "术语表")
    assert [n for d, n, _ in printed.outline[i + 1 :] if d == 1] == terms


def test_pinyin_key_orders_by_reading():
    from generator.core.pinyin import pinyin_key

    assert sorted(["中华技能大奖", "安全", "首席技师", "技能大师工作室", "唐", "汤"], key=pinyin_key) == [
        "安全",
        "技能大师工作室",
        "首席技师",
        "汤",
        "唐",
        "中华技能大奖",
    ]


def test_every_theme_and_region_pdf_exists_is_linked_and_holds_its_chapters(built_site: Path, manifest: dict):
    themes = _yaml("themes.yaml")["themes"]
    regions = _regions_with_policies()
    expected = {PDF} | {f"pdf/themes/{t['id']}.pdf" for t in themes} | {f"pdf/regions/{r['id']}.pdf" for r in regions}
    assert set(manifest) == expected
    downloads = (built_site / "downloads/index.html").read_text(encoding="utf-8")
    for path, info in manifest.items():
        part = Printed(built_site / path)
        assert info == {"bytes": (built_site / path).stat().st_size, "pages": part.count}
        assert f"{info['pages']} 页" in downloads and path.removeprefix("pdf/") in downloads, path
    for theme in themes:
        page = (built_site / f"themes/{theme['id']}/index.html").read_text(encoding="utf-8")
        info = manifest[f"pdf/themes/{theme['id']}.pdf"]
        assert f'href="../../pdf/themes/{theme["id"]}.pdf"' in page and f"（{info['pages']} 页，" in page
    policies = _policies()
    for region in regions:
        page = (built_site / f"regions/{region['id']}/index.html").read_text(encoding="utf-8")
        info = manifest[f"pdf/regions/{region['id']}.pdf"]
        assert f'href="../../pdf/regions/{region["id"]}.pdf"' in page and f"（{info['pages']} 页，" in page
        part = Printed(built_site / f"pdf/regions/{region['id']}.pdf")
        chapters = {n for d, n, _ in part.outline if d == 1}
        own = [p for p in policies if p["region"] == region["id"]]
        assert {p["title"] for p in own} <= chapters
        assert not {p["title"] for p in policies if p["region"] != region["id"]} & chapters
        assert "本册是图谱的一部分" in squash(part.pages[0])


def test_one_theme_as_its_own_pdf_shows_its_quotes(tmp_path: Path):
    """`python -m generator pdf --theme competitions`: the theme with each topic's measures and quotes."""
    from conftest import run_generator

    out = tmp_path / "competitions.pdf"
    result = run_generator("pdf", "--theme", "competitions", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    part = Printed(out)
    assert [n for d, n, _ in part.outline if d == 0] == ["目录", "主题", "术语表"]
    body = squash(part.body)
    for policy in _policies():
        for measure in policy["measures"]:
            if "competitions" in measure["themes"] and measure.get("topics"):
                for quote in measure["quotes"]:
                    assert squash(quote) in body, (policy["id"], measure["id"])
    bad = run_generator("pdf", "--theme", "no-such-theme", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "unknown theme 'no-such-theme'" in bad.stderr and "Traceback" not in bad.stderr


HOSTILE = '#x $y$ *b* _i_ @ref <lab> [a] `c` \\ \\\\ #eval("1+1") \\#'


def test_contributor_text_with_typst_markup_comes_out_literally(tmp_path: Path):
    """Every text field holds Typst's markup characters (# $ * _ @ < [ ] ` and backslashes); each
    reads back from pdftotext exactly, with a token saying which field it is."""
    from test_escaping import FIELDS, write_dataset

    from generator.export.pdf import write_pdf

    not_printed = {"wording_from", "wording_to", "wording_why"}  # the wording fixes are a site page only
    values = {f: f"Zq{i:02d}qZ {HOSTILE}" for i, f in enumerate(FIELDS)}
    root = write_dataset(tmp_path / "project", values)
    out = tmp_path / "hostile.pdf"
    assert write_pdf(root, out) > 0
    printed = Printed(out)
    text = squash("".join(printed.pages))
    for field in FIELDS:
        if field not in not_printed:
            assert squash(values[field]) in text, f"{field} is not printed literally"


def test_pages_render_to_pictures(printed: Printed, artifacts: Path):
    """The cover, a landscape side-by-side table and a policy chapter as PNG, kept in test-artifacts/."""
    seed = next(p for p in _policies() if p["id"] == "xinxiang-2023-high-skilled-talent")
    for name, page in (
        ("pdf-cover", 1),
        ("pdf-side-by-side", printed.start("培训", 1)),
        ("pdf-policy", printed.start(seed["title"], 1) + 1),
    ):
        target = artifacts / name
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(printed.path),
                str(target),
            ],
            check=True,
            timeout=120,
        )
        png = target.with_suffix(".png")
        assert png.stat().st_size > 8_000, png  # a blank page is about 2 KB


def test_doubtful_attributions_are_marked_and_lead_to_their_note(printed: Printed):
    """A policy's field the data marks uncertain (seed proposal-153-reply-2019: region and issuer) is
    shown as on the site: "山东省？" wherever the region is named, and the field's mark in the
    policy's facts, linked to the note with the evidence."""
    from generator.core.models import UNCERTAIN_FIELD_LABELS

    names = {r["id"]: r["name"] for r in _yaml("regions.yaml")["regions"]}
    doubtful = [p for p in _policies() if p.get("uncertain")]
    assert doubtful, "the seeds no longer have a doubtful attribution"
    cover = squash(printed.pages[0])
    for policy in doubtful:
        chapter = squash(printed.pages[printed.start(policy["title"], 1) - 1])
        for flag in policy["uncertain"]:
            assert f"{UNCERTAIN_FIELD_LABELS[flag['field']]}存疑，见本章数据质量说明" in chapter, flag
            note = next(n for n in policy["notes"] if n.get("id") == flag["note"])
            assert f"n:{policy['id']}:{flag['note']}" in printed.reader.named_destinations
            assert squash(note["note"])[:30] in squash("".join(printed.pages))
            if flag["field"] == "region":
                assert f"{names[policy['region']]}？" in chapter and f"{names[policy['region']]}？" in cover
                region = squash(printed.pages[printed.start(names[policy["region"]], 1) - 1])
                assert "地区存疑" in region and "归入本地区属推断" in region
    sure = {p["region"] for p in _policies()} - {
        p["region"] for p in doubtful if any(f["field"] == "region" for f in p["uncertain"])
    }
    for rid in sure:
        assert f"{names[rid]}？" not in cover, rid


def test_quotes_of_a_traditional_source_show_the_wording_fixes_and_the_original(printed: Printed):
    """As on the site: under a quote from a Traditional-script archive, the wording fixes it needed
    ("引文经用语转换：…") and the original text."""
    from generator.export.pdf import load_catalogue

    cat = load_catalogue(ROOT)
    body, fixed = squash(printed.body), 0
    for policy in _policies():
        if policy["source"].get("script") != "zh-Hant":
            continue
        for measure in policy["measures"]:
            for quote in measure["quotes"]:
                span = cat.data.span(policy["id"], quote)
                assert span is not None
                assert squash("繁体原文：" + span.original) in body, (policy["id"], quote)
                if span.fixes:
                    fixed += 1
                    assert squash("引文经用语转换：" + "、".join(f"{a}→{b}" for a, b in span.fixes)) in body
    assert fixed, "no seed quote needs a wording fix any more"


def test_an_atlas_typeset_in_parts_is_the_same_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The seed atlas fits one compilation; cut into bodies of 150 KB (each chapter's tables too, each
    body in a child process, as a large atlas is), it has the same pages, bookmarks and contents,
    every link lands on a page, and two such builds are byte-identical."""
    from generator.export import typeset
    from generator.export.pdf import write_pdf

    whole = tmp_path / "whole.pdf"
    write_pdf(ROOT, whole)
    monkeypatch.setattr(typeset, "CHUNK_BYTES", 150_000)
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    assert write_pdf(ROOT, one) == write_pdf(ROOT, two) > 0
    assert one.read_bytes() == two.read_bytes()
    # each compilation's page tree hangs under the merged root: its /Parent is that root's number
    raw = one.read_bytes()
    root_pages = re.search(rb"/Type/Catalog/Pages (\d+) 0 R", raw).group(1)  # type: ignore[union-attr]
    parents = re.findall(rb"<</Type/Pages/Parent (\d+) 0 R", raw)
    assert len(parents) > 1 and set(parents) == {root_pages}
    a, b = Printed(whole), Printed(one)
    # the same bookmarks; a page or two more where a body starts on a new page
    assert [(d, n) for d, n, _ in a.outline] == [(d, n) for d, n, _ in b.outline]
    assert 0 <= b.count - a.count <= 12
    assert "（续）" in "".join(b.pages), "a body continuing a part names it"
    toc = b.contents()
    starts = {squash(n): p for d, n, p in b.outline if d <= 1}
    assert toc and all(starts[title] == page for title, page in toc.items())
    names = b.reader.named_destinations
    links = [
        annot.get_object()["/Dest"]
        for page in b.reader.pages
        for annot in page.get("/Annots", []) or []
        if "/Dest" in annot.get_object()
    ]
    assert len(links) > 200 and all(str(name) in names for name in links)
    assert re.search(r"^Tagged:\s+yes$", b.poppler("pdfinfo"), re.M)
    # a theme's PDF has topic headings under its chapter: a body continuing the chapter keeps the levels
    monkeypatch.setattr(typeset, "CHUNK_BYTES", 30_000)
    for theme in ("training", "competitions"):
        cut = tmp_path / f"{theme}.pdf"
        assert write_pdf(ROOT, cut, theme=theme) > 0
        assert "（续）" in "".join(Printed(cut).pages), theme


def test_pdfs_typeset_in_parallel_are_the_files_typeset_one_at_a_time(tmp_path: Path):
    """``write_all`` with two workers (the atlas in a thread, the themes and regions in a pool) writes
    the same files, byte for byte, and the same manifest as one PDF after another."""
    from atlas_pipeline import make_root

    from generator.export.pdf import write_all

    root = make_root(tmp_path / "mini")
    one, two = tmp_path / "one", tmp_path / "two"
    assert write_all(root, one, jobs=1) == write_all(root, two, jobs=2)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert len([f for f in files if f.suffix == ".pdf"]) > 2
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


def test_a_pdf_failing_in_a_worker_stops_the_build_and_leaves_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """One region's document is broken before it goes to a worker: ``write_all`` raises that
    worker's error, and no worker process or atlas thread is left running."""
    import multiprocessing
    import threading

    from atlas_pipeline import make_root

    from generator.export import pdf

    real = pdf.Book.document

    def broken(self: pdf.Book) -> dict:
        document = real(self)
        if self.scope.region_details:  # a region's PDF: typeset in a worker
            document["meta"] = None
        return document

    monkeypatch.setattr(pdf.Book, "document", broken)
    threads = threading.active_count()
    with pytest.raises(TypeError):
        pdf.write_all(make_root(tmp_path / "mini"), tmp_path / "out", jobs=2)
    assert multiprocessing.active_children() == []
    assert threading.active_count() == threads
