"""Rendering pages: the Jinja environment, escaping, links and value formatting.

Generated pages are Markdown whose headings are Markdown (so MkDocs builds the
table of contents and search sections from them) and whose bodies are raw
HTML blocks (so a table cell or a quote can never be re-read as Markdown).
That gives exactly two escaping contexts, each with one filter:

* ``md``: text inside a Markdown heading or line — HTML-escaped, then every
  character Markdown would act on is backslash-escaped;
* autoescape: text inside an HTML block — HTML-escaped by Jinja.

Contributor text is never marked safe anywhere else.

Templates: each page kind has a public template in ``templates/`` (``policy.md.j2``) that
extends its base in ``templates/_base/`` and lists its context; the base names its sections as
blocks. A project overrides any of them with a file of the same name in
``overrides/atlas-templates/`` (``OVERRIDES``, ``use_project``).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

# Exactly the characters Python-Markdown un-escapes after a backslash with the
# extensions in mkdocs.yml: its own list plus '|' (tables). A backslash before
# any other character (':' or '"', say) would stay visible on the page, so
# nothing else is escaped; '<', '>' and '&' are HTML-escaped instead. tests/site/test_escaping.py
# compares this set with the real Markdown instance, so adding an extension that
# gives a new character meaning fails the tests until it is added here.
MD_ESCAPED = "\\`*_{}[]()#+-.!|"
_MD_SPECIAL = re.compile("([" + re.escape(MD_ESCAPED) + "])")
# Python-Markdown turns a lone carriage return into a line break too.
_NEWLINES = re.compile(r"\s*[\r\n]\s*")


def _join_lines(text: str) -> str:
    """Line breaks (with the spaces around them) → one space; most text has none, and checking
    first skips a regular-expression scan of every quote on every page."""
    if "\n" in text or "\r" in text:
        return _NEWLINES.sub(" ", text)
    return text


def md_escape(text: object) -> Markup:
    """Escape text for a Markdown inline context (heading, list item, table cell)."""
    value = _join_lines(str(text))
    value = html.escape(value, quote=False)
    # '&' is now only the start of an entity we produced; protect nothing else.
    value = _MD_SPECIAL.sub(lambda m: "\\" + m.group(1), value)
    return Markup(value)


def one_line(text: object) -> str:
    return _join_lines(str(text)).strip()


def script_json(data: object) -> str:
    """JSON for a script: ``<`` escaped, so no text in the data can close a script element; keys sorted,
    so rebuilds are byte-identical."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")


def script_data(name: str, data: object) -> bytes:
    """``window.<name> = …;``: data for a page's script, loadable from ``file://`` where JSON cannot be fetched."""
    return f"window.{name} = {script_json(data)};\n".encode()


# --------------------------------------------------------------------------- links


def page_url(src: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives a source path (same rules as mkdocs.structure.files)."""
    stem, ext = posixpath.splitext(src)
    if ext != ".md":
        return src
    if directory_urls:
        if posixpath.basename(stem) == "index":
            parent = posixpath.dirname(stem)
            return parent + "/" if parent else ""
        return stem + "/"
    return stem + ".html"


def page_id(src: str) -> str:
    """An id for a whole page inside the single-document PDF."""
    stem = posixpath.splitext(src)[0]
    return "p-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


@lru_cache(maxsize=1 << 17)
def relative_link(src: str, target: str, directory_urls: bool) -> str:
    """The relative URL from page ``src`` to page ``target`` ('' for the page itself).

    Cached, and computed from the two paths' segments: a page links to the same policies,
    themes and regions many times over, and ``posixpath.relpath`` (which makes both paths
    absolute through the working directory) was 40% of generation time.
    """
    if target == src:
        return ""
    here = page_url(src, directory_urls)
    there = page_url(target, directory_urls)
    base = here.split("/")[:-1]  # the folder the page is served from ("a/b/" → a, b; "a/x.html" → a)
    parts = there.split("/")
    folder = there.endswith("/") or there == ""
    if folder:
        parts = parts[:-1]
    common = 0
    while common < min(len(base), len(parts)) and base[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(base) - common) + parts[common:])
    if folder:
        return rel + "/" if rel else "./"
    return rel or "."


class Linker:
    """Links from one page, for the three outputs: directory URLs, .html files, one PDF document.

    Links are computed here rather than left to MkDocs because most of them sit
    inside raw HTML blocks, which MkDocs does not rewrite.
    """

    def __init__(self, mode: str, src: str):
        assert mode in ("dir", "file", "pdf")
        self.mode = mode
        self.src = src

    def href(self, target: str, anchor: str | None = None) -> str:
        if self.mode == "pdf":
            return "#" + (f"{page_id(target)}--{anchor}" if anchor else page_id(target))
        rel = relative_link(self.src, target, self.mode == "dir")
        if not rel and not anchor:  # the page itself: its folder with directory URLs, else its file name
            return "./" if self.mode == "dir" else posixpath.basename(page_url(self.src, False))
        return rel + (f"#{anchor}" if anchor else "")

    def asset(self, target: str) -> str | None:
        """A link to a non-page file (CSV, JSON, PDF); None in the PDF, which cannot link to them."""
        if self.mode == "pdf":
            return None
        return self.href(target)

    def anchor(self, name: str) -> str:
        return f"{page_id(self.src)}--{name}" if self.mode == "pdf" else name


# --------------------------------------------------------------------------- values

# --------------------------------------------------------------------------- templates


class _Environment(jinja2.Environment):
    """Jinja, looking ``x.name`` up as a key first when ``x`` is a dict.

    Every page context is built of plain dicts. Jinja tries ``getattr(x, "name")`` first and
    only falls back to ``x["name"]`` after an AttributeError — for each of the millions of
    lookups in a large atlas (30% of rendering time). No context key is a dict method's name,
    and a method still resolves when the key is absent, so pages render byte for byte the same.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


# A project may override any template (a page's, a partial, a base) with a file of the same name under
# <project root>/overrides/atlas-templates/ — next to MkDocs' own overrides/ folder for the theme.
# A page template there can extend its base and replace only a block, e.g. a file policy.md.j2 with
#     {% extends "_base/policy.md.j2" %}{% block notes %}…{% endblock %}
# generate() sets the project root (use_project); without one, only the package's templates are used.
OVERRIDES = Path("overrides") / "atlas-templates"
_overrides: Path | None = None  # the override folder in use, if any


def use_project(root: Path | None) -> None:
    """Take templates from ``root``'s override folder, if it has one, before the package's own, from
    now on. The environment is rebuilt only when the folder changes: projects without one share it."""
    global _overrides
    folder = root / OVERRIDES if root is not None else None
    folder = folder.resolve() if folder is not None and folder.is_dir() else None
    if folder != _overrides:
        _overrides = folder
        environment.cache_clear()
        macros.cache_clear()


def template_loader(overrides: Path | None) -> jinja2.BaseLoader:
    """The ``overrides`` folder (when given), then the package's templates."""
    package = jinja2.PackageLoader("generator.site", "templates")
    if overrides is None:
        return package
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(overrides), package])


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """One environment, templates compiled once per process (once per project root: ``use_project``)."""
    env = _Environment(
        loader=template_loader(_overrides),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_escape
    env.filters["one_line"] = one_line
    return env


@lru_cache(maxsize=1)
def macros() -> Any:
    """The shared partials (``_macros.md.j2``) as callables, for fragments rendered once and reused."""
    return environment().get_template("_macros.md.j2").module


def render(template: str, **context) -> str:
    text = environment().get_template(template).render(**context)
    # Runs of blank lines → one. str.replace finds them far faster than a regular expression scans
    # a whole page (theme pages run to megabytes); each pass shortens every run by a third.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
