"""Every internal link and anchor in the built site resolves; external links are only source URLs."""

from __future__ import annotations

import html.parser
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

from conftest import ROOT


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("script", "img") and attrs.get("src"):
            self.hrefs.append(attrs["src"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site: Path, page: Path, href: str) -> tuple[Path, str]:
    parsed = urlparse(href)
    rel = unquote(parsed.path)
    base = page.parent
    target = (base / rel) if rel else page
    target = Path(posixpath.normpath(str(target)))
    if target.is_dir() or rel.endswith("/"):
        target = target / "index.html"
    return target, unquote(parsed.fragment)


def allowed_external() -> set[str]:
    urls = set()
    for path in (ROOT / "data" / "policies").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("source", {}).get("url"):
            urls.add(data["source"]["url"])
        for kind in ("implements", "cites"):
            for rel in data.get(kind, []) or []:
                if rel.get("ref", {}).get("url"):
                    urls.add(rel["ref"]["url"])
    return urls


def test_every_internal_link_and_anchor_resolves(built_site: Path):
    pages = sorted(p for p in built_site.rglob("*.html") if "downloads/offline" not in str(p))
    assert len(pages) > 30
    cache: dict[Path, _Links] = {}
    broken = []
    external = allowed_external()
    # Edit links point at the repository by design; everything else external must be a source URL.
    for page in pages:
        links = cache.setdefault(page, _parse(page))
        for href in links.hrefs:
            parsed = urlparse(href)
            if parsed.scheme in ("http", "https"):
                if "/edit/" in parsed.path or href in external:
                    continue
                broken.append((page.relative_to(built_site), href, "external link not from the data"))
                continue
            if parsed.scheme or href.startswith("//"):
                broken.append((page.relative_to(built_site), href, "unexpected scheme"))
                continue
            target, fragment = _target(built_site, page, href)
            if not target.exists():
                broken.append((page.relative_to(built_site), href, "missing file"))
                continue
            if fragment and target.suffix == ".html":
                ids = cache.setdefault(target, _parse(target)).ids
                if fragment not in ids:
                    broken.append((page.relative_to(built_site), href, "missing anchor"))
    assert not broken, "\n".join(f"{p}: {h} ({why})" for p, h, why in broken[:40])


def test_core_theme_pages_have_side_by_side_tables(built_site: Path):
    for theme in ("training", "evaluation", "competitions", "incentives"):
        page = (built_site / "themes" / theme / "index.html").read_text(encoding="utf-8")
        assert 'class="atlas-table atlas-sbs atlas-sortable"' in page, theme
        header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
        assert header.count("<th") >= 4, f"{theme}: expected a column per region (at least three regions)"
