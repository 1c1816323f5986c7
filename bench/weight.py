"""Issue 13's figures for ``make bench``: what a reader downloads and what a contributor waits for.

* ``first_search_bytes``: bytes transferred (bodies and headers, as Chromium counts them) from
  opening the home page to the first results of a search on screen, the site served on
  127.0.0.1 with gzip like a web server would; and until the facets are shown too.
* ``html_weights``: median and largest HTML page, overall and per kind (the first URL segment).
* ``reference_build``: the fixed yardstick — bare MkDocs + Material, with its own search,
  building 1,000 plain pages of about 5 KB of Chinese each; its CPU per page is the unit in
  which the atlas build per policy is reported.
* ``full_build``: ``python -m generator build --no-pdf --no-offline`` — validation, MkDocs and
  the search index — CPU (the child's and everything it waited for), and the search step's own.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import random
import re
import shutil
import statistics
import sys
import threading
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
REFERENCE_PAGES = 1000
REFERENCE_PAGE_CHARS = 1700  # ~5 KB of UTF-8 (3 bytes a Han character)
QUERY = "技师"


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (as nginx's gzip_static or a CDN would)."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not Path(path).is_file():
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def first_search_bytes(site: Path, query: str = QUERY) -> dict:
    """Open the home page in a fresh browser (empty cache), type a query, count every response."""
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    counted: list[tuple[str, int]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.on("requestfinished", lambda r: counted.append((r.url, _size(r))))
            page.goto(url)
            page.wait_for_load_state("load")
            page.keyboard.press("/")
            page.keyboard.insert_text(query)
            page.wait_for_function(
                "() => document.getElementById('atlas-search').dataset.results !== undefined", timeout=120000
            )
            page.wait_for_timeout(300)  # responses still being counted for the results on screen
            # The facet table is requested only once the first results are on screen (atlas-search.js):
            # it is not part of the way to them, even when it arrives within those 300 ms.
            at_results = [(u, s) for u, s in counted if "/search/facets.json" not in u]
            page.locator(".atlas-search__facet").first.wait_for(timeout=120000)
            page.wait_for_timeout(300)
            with_facets = list(counted)
            results = page.get_attribute("#atlas-search", "data-results")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "query": query,
        "results": int(results or 0),
        "bytes_to_first_results": sum(s for _, s in at_results),
        "requests_to_first_results": len(at_results),
        "bytes_with_facets": sum(s for _, s in with_facets),
        "requests_with_facets": len(with_facets),
        "largest_responses": sorted(((s, u.split("/", 3)[-1]) for u, s in with_facets), reverse=True)[:5],
    }


def _size(request) -> int:
    sizes = request.sizes()
    return int(sizes["responseBodySize"] + sizes["responseHeadersSize"])


def html_weights(site: Path) -> dict:
    kinds: dict[str, list[int]] = {}
    largest: dict[str, tuple[int, str]] = {}
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).parent.as_posix()
        kind = rel.split("/")[0] if rel != "." else "home"
        size = page.stat().st_size
        kinds.setdefault(kind, []).append(size)
        kinds.setdefault("all", []).append(size)
        if size > largest.get(kind, (0, ""))[0]:
            largest[kind] = (size, rel)
        if size > largest.get("all", (0, ""))[0]:
            largest["all"] = (size, rel)
    return {
        kind: {
            "pages": len(sizes),
            "median_bytes": int(statistics.median(sizes)),
            "largest_bytes": max(sizes),
            "largest_page": largest[kind][1],
        }
        for kind, sizes in sorted(kinds.items())
    }


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def reference_project(folder: Path, seed: int = 13) -> Path:
    """1,000 plain Markdown pages of ~5 KB of Chinese, bare MkDocs + Material with its search."""
    sys.path.insert(0, str(BENCH))
    from synth import PhraseModel, real_texts

    if folder.exists():
        shutil.rmtree(folder)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    rng = random.Random(seed)
    text = PhraseModel(real_texts(REPO))
    for i in range(REFERENCE_PAGES):
        paragraphs, chars = [], 0
        while chars < REFERENCE_PAGE_CHARS:
            para = "，".join(text.clause(rng) for _ in range(rng.randint(3, 6))) + "。"
            paragraphs.append(para)
            chars += len(para)
        body = f"# 参考页面 {i + 1}\n\n" + "\n\n".join(
            (f"## 第{k + 1}节\n\n{p}" if k % 3 == 0 else p) for k, p in enumerate(paragraphs)
        )
        (docs / f"page-{i:04d}.md").write_text(body + "\n", encoding="utf-8")
    (docs / "index.md").write_text("# 参考\n\n1,000 页纯中文文本。\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: 参考\ntheme:\n  name: material\n  language: zh\n  font: false\nplugins:\n  - search\n",
        encoding="utf-8",
    )
    return folder


SEARCH_LINE = re.compile(r"search: (\d+) measures and (\d+) pages indexed in ([\d.]+) s CPU")


def search_step(stdout: str) -> dict | None:
    match = SEARCH_LINE.search(stdout)
    if not match:
        return None
    return {"records": int(match.group(1)), "pages": int(match.group(2)), "cpu_seconds": float(match.group(3))}


# --------------------------------------------------------------------------- Material's search, same pages
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)


def material_search_cpu(site: Path) -> dict:
    """CPU that Material's search plugin spends on the atlas's own built pages, in a child process.

    The issue's goal compares the atlas's search step with Material's on the same pages. The plugin
    indexes each page's rendered content (``SearchIndex.add_entry_from_context``: its HTML parser,
    then jieba on every Han run) and writes one JSON at the end (``generate_search_index``); this
    runs exactly those two, over the article of every built page, with the dictionary the offline
    bundle gives jieba. Reading the files is not counted: the plugin gets the pages in memory."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "material-search", str(site)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _material_search_child(site: Path) -> None:
    import json
    import resource
    import time
    from types import SimpleNamespace

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from material.plugins.search.plugin import SearchIndex

    from generator.export.offline import SEARCH_SEPARATOR

    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        # The archived originals (sources/) are excluded from search in their front matter, as are files
        if rel.startswith(("search", "assets", "sources/")) and rel != "sources/wording":
            continue
        html = path.read_text(encoding="utf-8")
        match = _ARTICLE.search(html)
        if match:
            title = re.search(r"<title>(.*?)</title>", html, re.S)
            pages.append(
                SimpleNamespace(
                    meta={},
                    content=match.group(1),
                    toc=[],
                    url=("" if rel == "." else rel + "/"),
                    title=title.group(1) if title else rel,
                )
            )
    index = SearchIndex(lang=["zh"], separator=SEARCH_SEPARATOR, pipeline=["stemmer"], fields={})
    import jieba

    jieba.initialize()
    terms = site / "downloads" / "jieba-userdict.txt"  # the atlas's terms, as the build gives them to jieba
    if terms.exists():
        jieba.load_userdict(str(terms))
    started = time.process_time()
    for page in pages:
        index.add_entry_from_context(page)
    data = index.generate_search_index(None)
    (Path("/dev/null")).write_text(data, encoding="utf-8")
    cpu = time.process_time() - started
    print(
        json.dumps(
            {
                "pages": len(pages),
                "entries": len(index.entries),
                "cpu_seconds": round(cpu, 2),
                "index_bytes": len(data.encode("utf-8")),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "material-search":
        _material_search_child(Path(sys.argv[2]))
