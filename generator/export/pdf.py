"""The atlas as one printed document: our own small pipeline over WeasyPrint.

Why not print the HTML site: the site is built of pages that link to each
other, with navigation chrome and scrolling tables. A printed atlas needs one
document with a cover, a table of contents with page numbers, bookmarks,
running headers, landscape pages for the wide side-by-side tables and links
that jump inside the file. So the PDF is rendered from the same core
(``generate(root, mode="pdf")``, whose Linker turns every link into
``#<page-id>--<anchor>``), each page's Markdown is converted with the same
Markdown extensions as the site, wrapped in ``<section id="<page-id>">`` and
typeset by WeasyPrint, which embeds real fonts (Chromium embeds Type 3 fonts
whose Chinese text copies out wrongly).

Output is deterministic: the cover date and the PDF dates come from
``build.source_date_epoch`` (the last commit), never from the clock.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional
from zoneinfo import ZoneInfo

import markdown
from markupsafe import Markup

from generator.site.generate import Generated, generate
from generator.site.pages import Page
from generator.site.render import environment, page_id

TEMPLATE = "pdf/document.html.j2"
STYLESHEET = Path(__file__).parents[1] / "site" / "templates" / "pdf" / "print.css"
TIMEZONE = ZoneInfo("Asia/Shanghai")  # the documents' own calendar: a commit at 01:00 UTC+8 is that day's date

# Parts of the book, in reading order: (page-source prefix, part title). The part's
# index page (e.g. themes/index.md) opens it; the other pages are its chapters.
PARTS = (("themes/", "主题"), ("compare/", "对照"), ("regions/", "地区"), ("policies/", "政策文件"))
HOME = "index.md"  # replaced by the cover, which carries the same counts
LAST = "glossary.md"  # the glossary closes the book, after any appendix chapter

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_LINK = re.compile(r'<a\b([^>]*?)\shref="#([^"]*)"')
_SBS_WRAP = re.compile(r'<div class="[^"]*\batlas-sbs-wrap\b.*?</table>\s*</div>', re.S)
# On the site these sit in collapsed <details>; printed, they would repeat every quote of a policy
# in each theme chapter and list dozens of related measures under every measure.
_DUPLICATES = re.compile(r'<details class="atlas-(?:quotes|related)"[^>]*>.*?</details>\s*', re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Chapter:
    """One site page as a chapter of the book."""

    src: str
    id: str  # the section id; the 'pdf' Linker's links to this page point here
    title: str  # the page's short title, for the running header
    part: str  # the part title, shown in the running header
    level: int  # 1: a part opener or a chapter of its own; 2: a chapter inside a part
    wide: bool = False  # it opens with side-by-side tables, printed on landscape pages
    heading: str = ""  # the text of the page's h1: the chapter's name in the contents and the bookmarks
    html: Markup = Markup("")


# --------------------------------------------------------------------------- order


def book_order(pages: Iterable[Page]) -> list[Chapter]:
    """Pages marked for the PDF, in reading order: parts, then appendix chapters, then the glossary."""
    printable = [p for p in pages if p.pdf and p.src != HOME]
    chapters: list[Chapter] = []
    placed: set[str] = set()
    for prefix, part in PARTS:
        members = [p for p in printable if p.src.startswith(prefix)]
        opener = next((p for p in members if p.src == prefix + "index.md"), None)
        for page in ([opener] if opener else []) + [p for p in members if p is not opener]:
            level = 1 if page is opener or opener is None else 2
            chapters.append(Chapter(page.src, page_id(page.src), page.title, part, level))
            placed.add(page.src)
    rest = [p for p in printable if p.src not in placed and p.src != LAST]
    last = [p for p in printable if p.src == LAST]
    for page in rest + last:
        chapters.append(Chapter(page.src, page_id(page.src), page.title, page.title, 1))
    return chapters


# --------------------------------------------------------------------------- Markdown → HTML


def markdown_converter(root: Path) -> markdown.Markdown:
    """The Markdown extensions of mkdocs.yml (so headings get the same ids), minus the permalink marks."""
    from mkdocs.utils.yaml import yaml_load  # MkDocs' loader understands the !!python tags in mkdocs.yml

    with open(root / "mkdocs.yml", "rb") as fh:
        config = yaml_load(fh)
    names: list[str] = []
    configs: dict[str, dict] = {}
    for item in config.get("markdown_extensions", []):
        if isinstance(item, dict):
            for name, options in item.items():
                names.append(name)
                configs[name] = dict(options or {})
        else:
            names.append(item)
    if "toc" in configs:
        configs["toc"]["permalink"] = False  # '¶' links are screen chrome
    return markdown.Markdown(extensions=names, extension_configs=configs)


def page_html(md: markdown.Markdown, text: str, pid: str) -> str:
    """One page's Markdown as HTML, its ids made unique in the whole document.

    Anchors from the Linker are already '<page-id>--<name>'; a template's fixed
    heading ids (e.g. '#targets', on every region page) are prefixed the same way.
    """
    md.reset()
    body = md.convert(_FRONT_MATTER.sub("", text, count=1))
    prefix = pid + "--"
    return _ID.sub(lambda m: m.group(0) if m.group(1).startswith(prefix) else f'id="{prefix}{m.group(1)}"', body)


def heading_text(body: str) -> str:
    """The h1's text, as the reader sees it (the contents list the same names as the bookmarks)."""
    match = _H1.search(body)
    return html.unescape(_TAG.sub("", match.group(1))).strip() if match else ""


def landscape(body: str) -> tuple[str, bool]:
    """Put the chapter's opening, up to its last side-by-side table, on landscape pages.

    A side-by-side table has a column per region and needs the width; the prose after
    it (a theme's topics, region by region) reads better in portrait lines.
    """
    tables = list(_SBS_WRAP.finditer(body))
    if not tables:
        return body, False
    end = tables[-1].end()
    return f'<div class="landscape">\n{body[:end]}\n</div>\n{body[end:]}', True


def unlink_missing(doc: str, ids: set[str]) -> str:
    """Links to pages the PDF leaves out (archived sources, downloads, stubs) become plain text."""
    return _LINK.sub(lambda m: m.group(0) if m.group(2) in ids else f"<a{m.group(1)}", doc)


# --------------------------------------------------------------------------- document


def build_date(root: Path) -> datetime:
    """The date the cover shows: the checkout's (SOURCE_DATE_EPOCH or last commit), never the clock."""
    from generator.export.reproducible import source_date_epoch

    return datetime.fromtimestamp(int(source_date_epoch(root)), tz=timezone.utc).astimezone(TIMEZONE)


def cover_context(gen: Generated, when: datetime) -> dict:
    cat = gen.catalogue
    retrieved = max((p.source.retrieved for p in cat.policies.values() if p.source.retrieved), default=None)
    return {
        "counts": cat.counts(),
        "date": f"{when.year}年{when.month}月{when.day}日",
        "retrieved": f"{retrieved.year}年{retrieved.month}月{retrieved.day}日" if retrieved else None,
        "regions": [cat.regions[r].name for r in cat.regions_with_policies()],
    }


def document_html(root: Path, gen: Generated, chapters: list[Chapter], title: str, complete: bool = True) -> str:
    md = markdown_converter(root)
    for ch in chapters:
        body = page_html(md, gen.markdown[ch.src], ch.id)
        if complete:  # each quote is printed once, in its policy's chapter, which theme chapters link to
            body = _DUPLICATES.sub("", body)
        body, ch.wide = landscape(body)
        ch.heading = heading_text(body) or ch.title
        ch.html = Markup(body)
    when = build_date(root)
    doc = environment().get_template(TEMPLATE).render(
        title=title, complete=complete, chapters=chapters, home_id=page_id(HOME), created=when.isoformat(timespec="seconds"),
        keywords="技能人才, 高技能人才, 职业技能培训, 技能评价, 职业技能竞赛, 政策对照",
        **cover_context(gen, when))
    return unlink_missing(doc, set(_ID.findall(doc)))


def render_pdf(doc: str, base: Path, out: Path) -> int:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(filename=str(STYLESHEET), font_config=fonts)
    document = HTML(string=doc, base_url=str(base)).render(stylesheets=[css], font_config=fonts)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    document.write_pdf(tmp, pdf_identifier=b"skills-policy-atlas")
    tmp.replace(out)
    return len(document.pages)


def write_pdf(root: Path, out: Path, only: Optional[set[str]] = None, title: str = "技能人才政策对照") -> int:
    """Write the atlas (or only the pages whose sources are in ``only``) to ``out``; return the page count."""
    gen = generate(root, mode="pdf")
    chapters = book_order(p for p in gen.pages if only is None or p.src in only)  # no opener: chapters move up a level
    return render_pdf(document_html(root, gen, chapters, title, complete=only is None), root, out)


# --------------------------------------------------------------------------- partial PDFs


def selection(gen: Generated, theme: Optional[str], region: Optional[str]) -> tuple[set[str], str]:
    """The pages of one theme (its chapter) or one region (its chapter and its policies' chapters)."""
    cat = gen.catalogue
    if theme:
        if theme not in cat.themes:
            raise ValueError(f"unknown theme {theme!r}; known: {', '.join(cat.theme_order)}")
        return {f"themes/{theme}.md", "glossary.md"}, f"技能人才政策对照 · {cat.themes[theme].name}"
    if region not in cat.regions:
        raise ValueError(f"unknown region {region!r}; known: {', '.join(cat.region_order)}")
    pids = cat.policies_by_region.get(region, [])
    return ({f"regions/{region}.md", "glossary.md"} | {f"policies/{p}.md" for p in pids},
            f"技能人才政策对照 · {cat.regions[region].name}")


def export(root: Path, theme: Optional[str] = None, region: Optional[str] = None, out: Optional[Path] = None) -> int:
    """`python -m generator pdf [--theme X | --region Y] [--out FILE]`: the whole atlas, or one theme or region
    of it, as a PDF (the site build makes the whole one). Bad data is reported, never a traceback."""
    from generator.diagnostics import print_problems
    from generator.site.generate import DataProblems

    try:
        only, title = None, "技能人才政策对照"
        if theme or region:
            only, title = selection(generate(root, mode="pdf"), theme, region)
        name = "skills-policy-atlas" + (f"-{theme or region}" if only else "") + ".pdf"
        out = out or root / "site" / "pdf" / name
        pages = write_pdf(root, out, only, title)
    except DataProblems as exc:
        print_problems(exc.problems)
        return 1
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"wrote {out} ({pages} pages)")
    return 0
