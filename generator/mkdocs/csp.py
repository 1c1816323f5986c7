"""A hash-based Content-Security-Policy for every page (issue 17, item 8).

Escaping is the first line of defence; this is the second: a ``<meta http-equiv>`` policy that lets
the browser run only scripts from the site itself and the few inline scripts Material writes into
its page template. Material's inline scripts differ from page to page by one relative path
(``new URL("../..",location)``), so the hashes are computed per page, from the finished HTML, by the
plugin (``on_post_page``). Only inline scripts *outside* ``<article>`` are hashed: the article is where
contributor text lands, so a script that slipped through there would still be refused.

``overrides/main.html`` writes the ``<meta>`` with :data:`PLACEHOLDER`, right after Material's
charset and viewport tags and before any script; :func:`apply` fills it in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

PLACEHOLDER = "atlas-content-security-policy"
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_EXECUTABLE = re.compile(r"""\btype\s*=\s*["']?(?!(?:text/javascript|module)["'\s>])""", re.I)


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def template_scripts(html: str) -> list[str]:
    """The inline, executable scripts of a page outside its ``<article>`` (Material's own)."""
    start = html.find("<article")
    end = html.find("</article>", start) if start >= 0 else -1
    out = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if re.search(r"\bsrc\s*=", attrs, re.I) or _EXECUTABLE.search(attrs):
            continue  # a file ('self' covers it) or a data block such as type="application/json"
        if start >= 0 and start <= match.start() < end:
            continue
        out.append(match.group("body"))
    return out


# Opened from file://, a page has an opaque origin that 'self' does not match in Chromium, and Material's
# offline search runs its worker from a blob: URL: the offline bundle also allows those two schemes.
OFFLINE_SOURCES = ("file:", "blob:")


_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def shim_script(html: str, shim: str) -> str | None:
    """The inline script the vendored iframe-worker shim writes into its iframe (offline search), or None.

    From file:// Material's search worker runs in an iframe the shim fills with
    ``postMessage=<c>;importScripts=<d>;…filename:"<worker url>"…``: its two functions' source text and
    the page's worker URL (Material's ``__config``), so its hash can be computed here.
    """
    c = re.search(r"function c\(s,n\)\{.*?\}(?=function d)", shim)
    d = re.search(r"function d\(\.\.\.s\)\{.*?\}(?=var o=)", shim)
    config = _CONFIG.search(html)
    if not (c and d and config and "iframe-worker-shim.js" in html):
        return None
    try:
        worker = json.loads(config.group(1))["search"]
    except (ValueError, KeyError, TypeError):
        return None
    return (
        f'postMessage={c.group()};importScripts={d.group()};addEventListener("error",({{error}})=>'
        f'{{parent.dispatchEvent(new ErrorEvent("error",{{filename:"{worker}",error}}))}})'
    )


def policy(html: str, offline: bool = False, shim: str = "") -> str:
    scripts = template_scripts(html)
    extra = shim_script(html, shim) if offline and shim else None
    hashes = sorted({_hash(body) for body in scripts + ([extra] if extra else [])})
    # Online, search is plain JavaScript over JSON files (docs/assets/atlas-search.js): nothing beyond 'self'.
    sources = ["'self'", *(OFFLINE_SOURCES if offline else ()), *hashes]
    return "; ".join([" ".join(["script-src", *sources]), "object-src 'none'", "base-uri 'none'"])


def apply(html: str, offline: bool = False, shim: str = "") -> str:
    """The page with its policy filled in (unchanged if the page has no placeholder)."""
    if PLACEHOLDER not in html:
        return html
    return html.replace(PLACEHOLDER, policy(html, offline, shim), 1)
