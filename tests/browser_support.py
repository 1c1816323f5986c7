"""Shared pieces for the browser tests: the built site over HTTP on 127.0.0.1, Debian's Chromium
driven by Playwright, and a page fixture that records every request and console error.

Import the fixtures into a test module (`from browser_support import *` names them); they build on
the session's real `built_site`.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
LOCAL_HOST = "127.0.0.1"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, no access log on stderr (pytest would show it for every failing test)."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@dataclass
class Site:
    url: str  # http://127.0.0.1:<port>/
    root: Path

    def at(self, path: str) -> str:
        return self.url + path.lstrip("/")


@dataclass
class Recorder:
    """Everything a page asked the network for, and every error it reported."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname != LOCAL_HOST
        ]


@pytest.fixture(scope="session")
def site(built_site: Path) -> Iterator[Site]:
    """The real build, served by a threaded http.server on a free port of 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="atlas-site", daemon=True)
    thread.start()
    try:
        yield Site(f"http://{LOCAL_HOST}:{server.server_address[1]}/", built_site)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless; Playwright's own browsers are never downloaded.

    Module-scoped: a running sync Playwright owns the thread's event loop, so it must be closed
    before another test module starts its own (test_offline.py does)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_context(browser, recorder: Recorder, viewport: dict = DESKTOP):
    """A fresh browser context that records requests (workers' included) and blocks outside hosts,
    so a leak fails the test instead of reaching the network."""
    context = browser.new_context(viewport=viewport, device_scale_factor=1, accept_downloads=True)
    context.on("request", lambda request: recorder.requests.append(request.url))
    context.route(re.compile(r"^(https?|wss?)://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    context.on("page", lambda page: _watch(page, recorder))
    return context


def _watch(page, recorder: Recorder) -> None:
    page.on("console", lambda msg: recorder.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: recorder.errors.append(f"pageerror: {exc}"))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def page(browser, recorder: Recorder):
    """A desktop-sized page; after the test, nothing may have left 127.0.0.1."""
    context = open_context(browser, recorder)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not recorder.outside(), recorder.outside()


@pytest.fixture
def phone(browser, recorder: Recorder):
    """A 375 px wide page, as on a phone."""
    context = open_context(browser, recorder, PHONE)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not recorder.outside(), recorder.outside()


# --------------------------------------------------------------------------- search helpers


def search(page, site: Site, query: str) -> None:
    """Open the home page, open the search box with "/" as a reader would, and put the query in
    without any key event (as pasting does: Material's old search ignored pasted text); wait for
    the first results (docs/assets/atlas-search.js sets data-results once they are on screen)."""
    page.goto(site.url)
    page.keyboard.press("/")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'atlas-search-input'")
    page.keyboard.insert_text(query)
    page.wait_for_function(
        "q => document.getElementById('atlas-search-input').value === q"
        "     && document.getElementById('atlas-search').dataset.results !== undefined",
        arg=query,
        timeout=20000,
    )


def shown_results(page) -> list[dict]:
    """The results listed in the search panel: link, kind, title, the line under it, marks."""
    return page.locator(".atlas-search__result").evaluate_all(
        """items => items.map(li => ({href: li.querySelector('a').href, kind: li.dataset.kind, url: li.dataset.url,
             title: li.querySelector('.atlas-search__title').textContent,
             where: (li.querySelector('.atlas-search__where') || {textContent: ''}).textContent,
             marks: [...li.querySelectorAll('mark')].map(m => m.textContent)}))"""
    )


def policy_anchor(href: str) -> str | None:
    """'policies/<id>/#<anchor>' for a result that links into a policy page at an anchor, else None."""
    url = urlparse(href)
    match = re.fullmatch(r"/policies/([^/]+)/", url.path)
    if match and url.fragment:
        return f"policies/{match.group(1)}/#{url.fragment}"
    return None


# Every element inside the article whose own box scrolls vertically (content taller than the box).
SCROLL_BOXES = """() => [...document.querySelectorAll('article *')].filter(e => {
    const s = getComputedStyle(e);
    return ['auto', 'scroll'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 1;
  }).map(e => e.tagName + '.' + e.className + ' ' + e.scrollHeight + '>' + e.clientHeight)"""


@pytest.fixture(scope="module")
def seed_catalogue():
    """The repository's own data (the seeds and whatever contributors added), as the generator reads it."""
    from conftest import ROOT

    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, problems = validate(ROOT)
    assert not problems, problems[:3]
    return Catalogue(dataset)
