"""A cheaper search-indexing step for Material's search plugin — with the same index.

Material's search plugin indexes each page in two steps, both in pure Python:
it splits the page's HTML into sections with an ``HTMLParser`` subclass, then
cuts every run of Han characters with ``jieba.cut`` and joins the words with
zero-width spaces. On this site that is about 40% of the whole build
(``bench/REPORT.md``), and most of it is avoidable without changing a byte of
``search_index.json``:

* **Segmentation is mostly repeated work.** A measure's summary and quotes
  appear on its policy page and on the theme page of each of its topics;
  titles and labels repeat on every page. On the real data only ~15% of the
  Han runs segmented in a build are new (21% of the characters), on the
  synthetic atlases 7–15%. ``CachedSegmenter`` makes the same ``jieba.cut``
  call (default mode, HMM on) once per distinct run. jieba's answer depends
  only on the run and its dictionary; the dictionary is complete before the
  first page is indexed (Material loads ``jieba_dict*`` in its ``on_config``,
  the atlas registers its terms in ``on_config``) and is not changed during a
  build; the cache is kept for the next build in the same process (``mkdocs serve``) only while the
  dictionary is unchanged.
* **The section parser spends its time in equality tests.** Material asks
  "is any open element skipped?" (``set.intersection`` over ``Element``
  objects whose ``__eq__``/``__hash__`` are Python methods comparing *tag
  names*) and "is the heading open?" (a list scan with the same ``__eq__``)
  on every tag and every piece of text. ``CountingParser`` answers both from a
  count of open elements per tag name — the same answers, because Material's
  comparisons are by tag name — and leaves everything else to Material's code.
* **Each section looks its heading up in the page's table of contents** by walking the whole table
  (``_find_toc_by_id``): quadratic in the headings of a page. A per-page table of anchors gives the
  same item (the first in depth-first order) in one lookup.

Both are swapped into *this build's* ``SearchIndex`` instance by the atlas
plugin (``install``), only for the Material version they were checked
against; with any other version the search plugin is left exactly as it is.
``bench/run.py`` checks the result on every run: the atlas build's index has
the same entries as bare MkDocs building the same pages.
"""

from __future__ import annotations

import logging
import re
from html import escape
from typing import Any

log = logging.getLogger("mkdocs.plugins.atlas")

VERIFIED_MATERIAL = {"9.8.1"}  # the versions whose search plugin these replacements were checked against
_HAN = r"(\p{script: Han}+)"  # Material's expression, compiled by backrefs as Material does
_SEPARATOR = "\u200b"
_HEADINGS = {f"h{x}" for x in range(1, 7)}


class CachedSegmenter:
    """``SearchIndex._segment_chinese`` with a per-build cache of segmented Han runs."""

    def __init__(self, cache: dict[str, str] | None = None) -> None:
        import jieba
        from backrefs import bre

        self._cut = jieba.cut
        self._expr = bre.compile(_HAN, bre.UNICODE)  # Material compiles it on every call
        self._cache: dict[str, str] = {} if cache is None else cache
        self.calls = 0  # Han runs seen
        self.misses = 0  # Han runs actually segmented by jieba
        self.characters = 0
        self.characters_segmented = 0

    def _replace(self, match: re.Match) -> str:
        value = match.group(0)
        self.calls += 1
        self.characters += len(value)
        segmented = self._cache.get(value)
        if segmented is None:
            self.misses += 1
            self.characters_segmented += len(value)
            words = self._cut(value.encode("utf-8"))  # exactly Material's call
            segmented = _SEPARATOR + _SEPARATOR.join(words) + _SEPARATOR
            self._cache[value] = segmented
        return segmented

    def __call__(self, data: str) -> str:
        return self._expr.sub(self._replace, data).strip(_SEPARATOR)

    def stats(self) -> str:
        runs = self.misses / self.calls if self.calls else 0.0
        chars = self.characters_segmented / self.characters if self.characters else 0.0
        return (
            f"{self.calls} Han runs; jieba segmented {self.misses} ({runs:.0%} of the runs, {chars:.0%} of the "
            "characters), the rest came from the cache"
        )


def _parser_class() -> type:
    """``CountingParser``, defined against the installed Material's ``Parser``."""
    from material.plugins.search.plugin import Element, Parser, Section, void

    class CountingParser(Parser):
        """Material's section parser, answering its two hot questions from per-tag counts.

        Material's ``Element`` compares and hashes by tag name, so "``skip ∩ context`` is not
        empty" means "an open element has the tag of a skipped one" and "``section.el in
        context``" means "an element with the section heading's tag is open". The handlers
        below are Material 9.8's, line for line, with those two tests replaced.
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._open: dict[str, int] = {}  # tag → number of open elements with it
            self._skip_tags = {el if isinstance(el, str) else el.tag for el in self.skip}

        def _skipping(self) -> bool:
            return any(self._open.get(tag) for tag in self._skip_tags)

        def _in_heading(self) -> bool:
            return bool(self._open.get(self.section.el.tag))

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            el = Element(tag, attrs)
            if tag not in void:
                self.context.append(el)
                self._open[tag] = self._open.get(tag, 0) + 1
            else:
                return
            if tag in _HEADINGS:
                depth = len(self.context)
                if "id" in attrs:
                    if tag != "h1" and not self.data:
                        self.section = Section(Element("hx"), depth)
                        self.data.append(self.section)
                    self.section = Section(el, depth)
                    if self.data:
                        self.section.id = attrs["id"]
                    self.data.append(self.section)
            if not self.section:
                self.section = Section(Element("hx"))
                self.data.append(self.section)
            for key, value in attrs.items():
                if key == "data-search-exclude":
                    self.skip.add(el)
                    self._skip_tags.add(tag)
                    return
                if key == "class" and value == "linenodiv":
                    self.skip.add(el)
                    self._skip_tags.add(tag)
                    return
            if tag in self.keep and not self._skipping():
                data = self.section.title if self._in_heading() else self.section.text
                data.append(f"<{tag}>")

        def handle_endtag(self, tag):
            if not self.context or self.context[-1].tag != tag:
                return
            if self.section.depth > len(self.context):
                for section in reversed(self.data):
                    if section.depth <= len(self.context):
                        self.section.depth = float("inf")
                        self.section = section
                        break
            el = self.context.pop()
            self._open[el.tag] -= 1
            if el.tag in self._skip_tags:
                if el.tag not in ["script", "style", "object"]:
                    self.skip.remove(el)
                    self._skip_tags.discard(el.tag)
                return
            if tag in self.keep and not self._skipping():
                data = self.section.title if self._in_heading() else self.section.text
                index = data.index(f"<{tag}>")
                for i in range(index + 1, len(data)):
                    if not data[i].isspace():
                        index = len(data)
                        break
                if len(data) > index:
                    while len(data) > index:
                        data.pop()
                else:
                    data.append(f"</{tag}>")

        def handle_data(self, data):
            if self._skipping():
                return
            if not self._open.get("pre"):
                if not data.isspace():
                    data = data.replace("\n", " ")
                else:
                    data = " "
            if not self.section:
                self.section = Section(Element("hx"))
                self.data.append(self.section)
            if self._in_heading():
                permalink = False
                for el in self.context:
                    if el.tag == "a" and el.attrs.get("class") == "headerlink":
                        permalink = True
                if not permalink:
                    self.section.title.append(escape(data, quote=False))
            elif data.isspace():
                if not self.section.text or not self.section.text[-1].isspace() or self._open.get("pre"):
                    self.section.text.append(data)
            else:
                self.section.text.append(escape(data, quote=False))

    return CountingParser


def search_index_of(plugins: Any) -> Any | None:
    """Material's SearchIndex in this build, or None (search disabled, or another search plugin)."""
    try:
        from material.plugins.search.plugin import SearchPlugin
    except ImportError:  # pragma: no cover - Material is a pinned dependency
        return None
    for plugin in plugins.values():
        if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
            index = getattr(plugin, "search_index", None)
            if index is not None and callable(getattr(index, "_segment_chinese", None)):
                return index
    return None


def _material_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mkdocs-material")
    except PackageNotFoundError:  # pragma: no cover
        return ""


def install(plugins: Any) -> CachedSegmenter | None:
    """Give this build's search index the cached segmenter and the counting parser.

    Returns the segmenter (for its statistics), or None when the search index was left alone.
    """
    index = search_index_of(plugins)
    if index is None:
        return None
    material = _material_version()
    if material not in VERIFIED_MATERIAL:
        log.info(
            "atlas: search indexing left as Material %s does it (the faster path is verified for %s)",
            material or "?",
            ", ".join(sorted(VERIFIED_MATERIAL)),
        )
        return None
    try:
        import jieba
    except ImportError:  # pragma: no cover
        jieba = None
    parser_class = _parser_class()

    def add_entry_from_context(page: Any) -> None:
        """Material 9.8's ``SearchIndex.add_entry_from_context``, with the counting parser and
        the page's table of contents looked up by anchor instead of walked for every section."""
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        parser = parser_class()
        parser.feed(page.content)
        parser.close()
        anchors = toc_table(page.toc)
        index._find_toc_by_id = lambda toc, anchor: anchors.get(anchor)
        for section in parser.data:
            if not section.is_excluded():
                index.create_entry_for_section(section, page.toc, page.url, page)

    index.add_entry_from_context = add_entry_from_context
    if jieba is None:  # pragma: no cover
        return None
    # `mkdocs serve` rebuilds on each change; while jieba's dictionary is the same, the previous
    # build's segmentations are still exactly right.
    state = _dictionary_state()
    segmenter = CachedSegmenter(_previous["cache"] if _previous["dictionary"] == state else None)
    _previous.update(dictionary=state, cache=segmenter._cache)
    index._segment_chinese = segmenter
    return segmenter


_previous: dict[str, Any] = {"dictionary": None, "cache": None}  # the last build's, in this process


def toc_table(toc: Any) -> dict[str, Any]:
    """Anchor → table-of-contents item, the first in depth-first order — what Material's
    ``_find_toc_by_id`` returns. Material walks the whole table for every section: on a theme page
    with thousands of headings (a whole country's atlas) that is quadratic, minutes per page."""
    table: dict[str, Any] = {}

    def walk(items: Any) -> None:
        for item in items:
            table.setdefault(item.id, item)
            walk(item.children)

    walk(toc)
    return table


def _dictionary_state() -> tuple:
    """What ``jieba.cut`` depends on besides the text: the dictionary (its word count and the
    total of the frequencies, both changed by every word added — ``add_word``, ``load_userdict``)
    and the words forced apart (``del_word``)."""
    import jieba
    from jieba import finalseg

    jieba.dt.check_initialized()
    return (id(jieba.dt), jieba.dt.total, len(jieba.dt.FREQ), len(finalseg.Force_Split_Words))


# --------------------------------------------------------------------------- incremental rebuilds


class PageEntries:
    """Each page's search entries, so that a build which renders only some pages (``mkdocs serve
    --dirty``, see incremental.py) still writes the whole index, byte for byte a clean build's.

    A clean build indexes the pages one after the other in MkDocs' file order
    (``build._build_page`` → Material's ``on_page_context`` → ``add_entry_from_context``), each
    page's entries together; the index is that list (``generate_search_index``). Here each page's
    entries are recorded as it is indexed, a skipped page's are carried over from the build that
    last indexed it, and the list is put together again in file order.
    """

    def __init__(self) -> None:
        self.fresh: dict[str, list[dict]] = {}  # pages indexed in this build
        self.carried: dict[str, list[dict]] = {}  # pages skipped in this build: their previous entries
        self.order: list[str] = []  # every page of the build, in file order

    def carry(self, previous: dict[str, list[dict]], skipped: list[str], order: list[str]) -> None:
        self.carried = {src: previous[src] for src in skipped}
        self.order = order

    def entries_of(self, src: str) -> list[dict]:
        return self.fresh[src] if src in self.fresh else self.carried.get(src, [])

    def assemble(self) -> list[dict]:
        return [entry for src in self.order for entry in self.entries_of(src)]

    def by_page(self) -> dict[str, list[dict]]:
        return {src: self.entries_of(src) for src in self.order if src in self.fresh or src in self.carried}


def keep_page_entries(plugins: Any, store: PageEntries) -> bool:
    """Record each page's entries in ``store`` and write the index from it (Material 9.8.1 only).

    Wraps whatever ``add_entry_from_context`` the index has (``install``'s, or Material's own), and
    replaces ``generate_search_index``: Material's, given the previous build's index in dirty mode,
    would drop the entries of the *first* page rebuilt and append the new ones at the end — right
    for one edited page, and not the order a clean build writes.
    """
    index = search_index_of(plugins)
    if index is None or _material_version() not in VERIFIED_MATERIAL:
        return False
    add = index.add_entry_from_context
    generate = index.generate_search_index

    def add_entry_from_context(page: Any) -> None:
        start = len(index.entries)
        add(page)
        store.fresh[page.file.src_uri] = index.entries[start:]

    def generate_search_index(prev: Any) -> str:
        index.entries = store.assemble()
        return generate(None)

    index.add_entry_from_context = add_entry_from_context
    index.generate_search_index = generate_search_index
    return True


def forget_previous_index(plugins: Any) -> None:
    """Material keeps the previous build's index in dirty mode (``search_index_prev``) to merge it
    into the next one (see ``keep_page_entries``); this build's index is always complete."""
    for plugin in plugins.values():
        if getattr(plugin, "search_index_prev", None) is not None:
            plugin.search_index_prev = None
