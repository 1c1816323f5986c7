"""The offline bundle, read the way an offline reader reads it: unzipped, opened from file:// in Chromium."""

from __future__ import annotations

import hashlib
import html.parser
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from browser_support import CHROMIUM_ARGS
from conftest import ROOT
from test_site_links import allowed_external

BUNDLE = "downloads/skills-policy-atlas-offline.zip"
FOLDER = "skills-policy-atlas"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
# XML namespaces are names, not addresses: nothing is fetched from them.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def allowed_hosts_links() -> set[str]:
    """Outside links a page may carry: the policies' source URLs, and what maintainers wrote by hand in
    the guides (CONTRIBUTING.md, docs/). Theme chrome — edit buttons, fonts, CDNs — is not among them."""
    urls = set(allowed_external())
    for path in [ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        if path.is_file():
            urls.update(re.findall(r"https?://[^\s)\]>`\"'<]*", path.read_text(encoding="utf-8")))
    return urls


@pytest.fixture(scope="module")
def bundle(built_site: Path, tmp_path_factory) -> Path:
    """The zip from the real build, unpacked into a temporary folder; returns the site folder inside it."""
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / BUNDLE) as zf:
        zf.extractall(target)
    return target / FOLDER


class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.refs.append(attrs[name])


def _parse(path: Path) -> _Refs:
    refs = _Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def test_zip_holds_the_site_and_the_pdf_and_is_reproducible(built_site: Path):
    with zipfile.ZipFile(built_site / BUNDLE) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names), "entries must be sorted, so the zip is reproducible"
        assert len({i.date_time for i in infos}) == 1, "one fixed timestamp for every entry"
        assert all(n.startswith(FOLDER + "/") for n in names), "one top-level folder"
        for required in (
            "index.html",
            "search/search_index.js",
            "assets/vendor/iframe-worker-shim.js",
            "assets/vendor/iframe-worker.LICENCE.txt",
            "pdf/skills-policy-atlas.pdf",
        ):
            assert f"{FOLDER}/{required}" in names, required
        inside = hashlib.sha256(zf.read(f"{FOLDER}/pdf/skills-policy-atlas.pdf")).hexdigest()
    assert inside == hashlib.sha256((built_site / "pdf/skills-policy-atlas.pdf").read_bytes()).hexdigest()


def test_every_link_resolves_on_disk_and_nothing_points_at_an_outside_host(bundle: Path):
    """file:// has no directory index: every link must name an existing file (and anchor)."""
    pages = sorted(bundle.rglob("*.html"))
    assert len(pages) > 30
    external = allowed_hosts_links()
    parsed_pages: dict[Path, _Refs] = {}

    def parsed(path: Path) -> _Refs:
        if path not in parsed_pages:
            parsed_pages[path] = _parse(path)
        return parsed_pages[path]

    broken = []
    for page in pages:
        for ref in parsed(page).refs:
            url = urlparse(ref)
            if url.scheme in ("http", "https") or ref.startswith("//"):
                if ref not in external:  # source pages and hand-written guides' links only
                    broken.append((page, ref, "outside host"))
                continue
            if url.scheme:
                broken.append((page, ref, "unexpected scheme"))
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if not target.is_file():
                broken.append((page, ref, "no such file (directory URL?)"))
                continue
            if url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parsed(target).ids:
                broken.append((page, ref, "missing anchor"))
    assert not broken, "\n".join(f"{p.relative_to(bundle)}: {r} ({why})" for p, r, why in broken[:40])


def test_no_page_refers_to_an_outside_host_in_its_markup(bundle: Path):
    """Not even in attributes the parser above does not follow (edit buttons, generator notice, fonts)."""
    external = allowed_hosts_links()
    found = []
    for page in sorted(bundle.rglob("*.html")):
        for url in re.findall(r"https?://[^\s\"'<>)]+", page.read_text(encoding="utf-8")):
            url = url.replace("&amp;", "&")
            if url not in external and url not in NAMESPACES:
                found.append((page.relative_to(bundle), url))
    assert not found, found[:20]


def test_search_and_navigation_from_file_without_any_request_to_a_host(bundle: Path, artifacts: Path):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.on("request", lambda request: requests.append(request.url))
            # A leak must fail the test, not reach the network.
            context.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto((bundle / "index.html").as_uri())
            assert page.title().startswith("技能人才政策对照")

            box = page.locator("input.md-search__input")
            box.click()
            box.fill("首席技师")  # inserted as an IME would commit it …
            box.press("End")  # … and the key-up Material's search listens for
            results = page.locator(".md-search-result__item a.md-search-result__link")
            results.first.wait_for(timeout=20000)
            assert results.count() >= 2
            page.screenshot(path=str(artifacts / "offline-search.png"))

            hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
            measure = re.compile(r"/policies/[^/?#]+\.html(\?[^#]*)?#m\d+$")  # a measure of a policy
            pick = next((i for i, h in enumerate(hrefs) if measure.search(h) and results.nth(i).is_visible()), None)
            assert pick is not None, f"no visible result links to a measure of a policy: {hrefs}"
            results.nth(pick).click()
            page.wait_for_load_state("load")

            url = urlparse(page.url)
            assert url.scheme == "file" and url.path.endswith(".html") and "/policies/" in url.path, page.url
            anchor = unquote(url.fragment)
            assert anchor, page.url
            heading = page.locator(f"[id='{anchor}']")
            assert heading.count() == 1
            assert heading.is_visible()
            assert "首席技师" in page.locator("article").inner_text()
            page.screenshot(path=str(artifacts / "offline-measure.png"))
            assert not errors, errors
        finally:
            browser.close()
    assert requests, "the request listener saw nothing: the test would prove nothing"
    outside = [u for u in requests if not u.startswith(LOCAL_SCHEMES)]
    assert not outside, outside


def test_the_comparison_of_your_own_works_from_file(bundle: Path, artifacts: Path, tmp_path: Path):
    """自选对照 from file://: its data is scripts next to the pages (no fetch), the index and then the
    theme's own, added by compare.js; its links name .html files and their anchors, and its CSV download
    works without a server."""
    from playwright.sync_api import sync_playwright

    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(ROOT)
    assert not problems
    cat = Catalogue(dataset)
    seeds = ("henan-2023-skilled-talent-measures", "sichuan-2023-skills-sichuan-action")
    regions = [cat.policies[pid].region for pid in seeds]
    theme = next(t for t in cat.theme_order if all(cat.by_theme_region.get((t, r)) for r in regions))
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True)
            context.on("request", lambda request: requests.append(request.url))
            context.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto((bundle / "compare" / "regions.html").as_uri() + f"?regions={','.join(regions)}&theme={theme}")
            table = page.locator(".atlas-cmp-table")
            table.wait_for(timeout=10000)
            assert (
                table.locator("thead th[data-region]").evaluate_all("ths => ths.map(t => t.dataset.region)") == regions
            )
            assert table.locator("tbody tr").count() >= 1
            hrefs = table.locator("a").evaluate_all("as => as.map(a => a.href)")
            assert hrefs and all(urlparse(h).scheme == "file" and urlparse(h).path.endswith(".html") for h in hrefs), (
                hrefs
            )
            assert all(Path(unquote(urlparse(h).path)).is_file() for h in hrefs)
            # the measures' links, rebuilt in the browser from the ids, name anchors that exist on their pages
            sources = table.locator("a.atlas-cmp-source").evaluate_all("as => as.map(a => a.href)")
            assert sources and all(urlparse(h).fragment for h in sources), sources
            for h in sources:
                ids = _parse(Path(unquote(urlparse(h).path))).ids
                assert unquote(urlparse(h).fragment) in ids, h
            themes = [u for u in requests if "/assets/compare-data/" in u]
            assert [Path(urlparse(u).path).name for u in themes] == [f"{theme}.js"], themes  # its theme's only
            page.screenshot(path=str(artifacts / "offline-compare-regions.png"))
            with page.expect_download() as download:
                page.locator("button.atlas-cmp-csv").click()
            raw = Path(download.value.path()).read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == table.locator("tbody tr").count() + 1
            table.locator("thead th[data-region] a").first.click()
            page.wait_for_load_state("load")
            assert page.url.endswith(f"/regions/{regions[0]}.html"), page.url
            assert not errors, errors
        finally:
            browser.close()
    outside = [u for u in requests if not u.startswith(LOCAL_SCHEMES)]
    assert not outside, outside
