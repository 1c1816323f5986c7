"""Every internal link and anchor in the built site resolves; external links are only source URLs.

Checked on the real build (site, PDF and offline bundle) and on a PDF-free build of the mini
fixture (``--no-pdf --no-offline``, as a contributor previews it), where only the links to the PDF
and the offline bundle may be missing. Links are ``href`` of <a> and <link> and ``src`` of <script>, <img>, <iframe> and
<source>; root-relative links (MkDocs' 404 page) resolve against the site root. External links
may point at the data's source URLs, at the repository ("edit this page"), at the theme's own
credit line, or be written by hand in docs/ or CONTRIBUTING.md — nowhere else.
"""

from __future__ import annotations

import gzip
import html.parser
import json
import posixpath
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from conftest import ROOT

THEME_CREDIT = "https://squidfunk.github.io/mkdocs-material/"  # Material's "Made with" footer line
PDF = "pdf/skills-policy-atlas.pdf"
OFFLINE = "downloads/skills-policy-atlas-offline.zip"


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: Counter[str] = Counter()
        self.related: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        if tag == "a" and attrs.get("name"):
            self.ids[attrs["name"]] += 1
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.hrefs.append(attrs["src"])
        if attrs.get("data-related"):  # a related list atlas.js fetches when opened (views.related_file)
            self.related.append(attrs["data-related"])


def _parse(path: Path) -> _Links:
    """A page's links and ids; a related list fetched on opening counts as part of the page: the file
    must exist, and its entries' links resolve from the page that shows them."""
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    for rel in dict.fromkeys(parser.related):
        parser.hrefs.append(rel)
        target = Path(posixpath.normpath(str(path.parent / unquote(rel))))
        if target.is_file():  # gzipped data: its entries' links and the comparison's (views.related_file)
            data = json.loads(gzip.decompress(target.read_bytes()))
            parser.hrefs += [href for group in data["groups"] for href, _ in group[3]]
            parser.hrefs += [href for href, _ in data["topics"]]
    return parser


def _target(site: Path, page: Path, href: str) -> tuple[Path, str]:
    parsed = urlparse(href)
    rel = unquote(parsed.path)
    if rel.startswith("/"):  # root-relative: MkDocs writes the 404 page this way
        target = site / rel.lstrip("/")
    else:
        target = (page.parent / rel) if rel else page
    target = Path(posixpath.normpath(str(target)))
    if target.is_dir() or rel.endswith("/"):
        target = target / "index.html"
    return target, unquote(parsed.fragment)


def allowed_external(root: Path = ROOT) -> set[str]:
    urls = {THEME_CREDIT}
    for path in (root / "data" / "policies").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("source", {}).get("url"):
            urls.add(data["source"]["url"])
        for link in data.get("source", {}).get("urls", []) or []:  # the document's addresses, by role
            urls.add(link["url"])
        for kind in ("implements", "cites", "calls_for"):
            for rel in data.get(kind, []) or []:
                if (rel.get("ref") or {}).get("url"):
                    urls.add(rel["ref"]["url"])
        for note in data.get("notes", []) or []:  # public pages a note cites as evidence
            for link in note.get("urls", []) or []:
                urls.add(link["url"])
    for path in [root / "CONTRIBUTING.md", *sorted((root / "docs").rglob("*.md"))]:
        if path.exists():  # hand-written pages: their links are written by maintainers
            urls.update(re.findall(r"https?://[^\s)>\"'`]+", path.read_text(encoding="utf-8")))
    return urls


def broken_links(site: Path, external: set[str], may_be_missing: frozenset[str] = frozenset()) -> list[tuple]:
    pages = sorted(p for p in site.rglob("*.html") if "downloads/offline" not in p.as_posix())
    assert len(pages) > 20
    cache: dict[Path, _Links] = {}

    def links_of(path: Path) -> _Links:
        if path not in cache:
            cache[path] = _parse(path)
        return cache[path]

    broken = []
    for page in pages:
        where = page.relative_to(site)
        for href in links_of(page).hrefs:
            url = urlparse(href)
            if url.scheme in ("http", "https"):
                if "/edit/" not in url.path and href not in external:
                    broken.append((where, href, "external link not from the data"))
                continue
            if url.scheme or href.startswith("//"):
                broken.append((where, href, "unexpected scheme"))
                continue
            target, fragment = _target(site, page, href)
            if not target.exists():
                if target.relative_to(site).as_posix() not in may_be_missing:
                    broken.append((where, href, "missing file"))
                continue
            if fragment and target.suffix == ".html" and fragment not in links_of(target).ids:
                broken.append((where, href, "missing anchor"))
    return broken


def _report(broken: list[tuple]) -> str:
    return "\n".join(f"{p}: {h} ({why})" for p, h, why in broken[:40])


def test_every_internal_link_and_anchor_resolves(built_site: Path):
    broken = broken_links(built_site, allowed_external())
    assert not broken, _report(broken)
    assert (built_site / PDF).is_file() and (built_site / OFFLINE).is_file()


def test_no_page_has_an_id_twice(built_site: Path):
    """An anchor used twice on a page leads to the first one only."""
    twice = []
    for page in sorted(built_site.rglob("*.html")):
        if "downloads/offline" in page.as_posix():
            continue
        twice += [(page.relative_to(built_site), i) for i, n in _parse(page).ids.items() if n > 1]
    assert not twice, twice[:20]


@pytest.fixture(scope="module")
def pdf_free_site(tmp_path_factory) -> tuple[Path, Path]:
    from atlas_pipeline import make_root, run_build

    root = make_root(tmp_path_factory.mktemp("preview") / "project", site_files=True)
    site = root / "site"
    result = run_build(root, site, cwd=root, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root, site


def test_pdf_free_build_links_resolve(pdf_free_site):
    root, site = pdf_free_site
    assert not (site / PDF).exists() and not (site / OFFLINE).exists()
    broken = broken_links(site, allowed_external(root), may_be_missing=frozenset({PDF, OFFLINE}))
    assert not broken, _report(broken)


def test_core_theme_pages_have_side_by_side_tables(built_site: Path):
    for theme in ("training", "evaluation", "competitions", "incentives"):
        page = (built_site / "themes" / theme / "index.html").read_text(encoding="utf-8")
        assert 'class="atlas-table atlas-sbs atlas-sortable"' in page, theme
        header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
        assert header.count("<th") >= 4, f"{theme}: expected a column per region (at least three regions)"
