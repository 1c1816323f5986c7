"""Incremental rebuilds for ``mkdocs serve --dirty``: re-render only the pages whose HTML can change.

``mkdocs serve`` rebuilds the whole site after every data edit (two minutes at 1,000 policies);
most of it is MkDocs converting and rendering pages whose output does not change. MkDocs 1.6's
dirty mode (``build(..., dirty=True)``) skips a page — reading, converting, rendering and
writing it — when ``page.file.is_modified()`` is False, and leaves the site folder as it was. On
its own it is wrong for this site: generated files always count as modified, a skipped page has no
title (the nav and prev/next links of every other page show it), Material's search plugin then
indexes only the rebuilt pages (and in dirty mode merges them into the previous index in another
order), and pages removed since the last build stay in the folder.

``Rebuild`` makes each build decide, and verifies what it relies on (MkDocs 1.6.1's
``commands/build.py`` and ``structure/pages.py``, Material 9.8.1's search plugin):

* A page is skipped only when the previous build in this process wrote it and *everything its HTML
  is made from* is unchanged: its own source (the generated Markdown, or the hand-written file),
  the configuration (every validated value, plugins' options included), the theme's files, the
  list of files (which links resolve to), the nav (structure, URLs and titles given in it), the
  build date, jieba's dictionary (the search entries) — and its output file is still the one that
  build wrote. Pages whose source changed are converted first; if any of them now has another
  title or front matter (the nav, prev/next links and search titles show them), every skipped page
  is converted after all and every page is rendered: a full build.
* A skipped page gets back what other pages and the theme read from it — title, front matter,
  anchors and links for MkDocs' anchor check — and its search entries are put back in the index
  in the order a clean build produces (``indexing.keep_page_entries``).
* Before anything is written, every file in the site folder is deleted except the skipped pages'
  own output and the files this build overwrites in any case: the site holds what this build
  writes plus pages identical to what it would have written — exactly a clean build, with no stale
  page or download left.
* Anything unexpected falls back to a full, clean build: the first build, an error in the previous
  one, other MkDocs or Material versions, another plugin or hook (it could write files or read
  pages we skip), strict mode (a skipped page's warnings would not be counted), draft pages.

A non-dirty build (``mkdocs build``, or ``mkdocs serve`` without ``--dirty``) converts and writes
every page whatever ``is_modified`` says; the plugin then only records the state for the next one.
"""

from __future__ import annotations

import copy
import enum
import functools
import hashlib
import json
import os
import types
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from mkdocs.config.base import Config
from mkdocs.plugins import PluginCollection
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme
from mkdocs.utils import clean_directory, get_build_date

from generator.mkdocs import indexing

ATLAS_PLUGIN = "atlas"  # the entry-point name (pyproject.toml): the one plugin whose pages this module tracks
VERIFIED_MKDOCS = {"1.6.1"}  # the versions whose build loop (dirty mode, event order) this was checked against


class AtlasFile(File):
    """A documentation page whose rebuild the atlas decides: in a dirty build MkDocs reads,
    converts and writes a page only if ``is_modified()`` (``_populate_page``, ``_build_page``)."""

    rebuild: bool = True

    def is_modified(self) -> bool:
        return self.rebuild


def adopt(file: File) -> AtlasFile:
    """A hand-written page (``docs/*.md``) becomes an AtlasFile in place: same object, same place in
    ``Files`` (whose order is the search index's order). AtlasFile adds no state of its own."""
    file.__class__ = AtlasFile
    return file  # type: ignore[return-value]


def digest(content: str | bytes) -> bytes:
    return hashlib.blake2b(content.encode("utf-8") if isinstance(content, str) else content, digest_size=16).digest()


# --------------------------------------------------------------------------- what a build leaves behind


@dataclass
class PageRecord:
    """What the next build needs from one page it may skip."""

    source: bytes  # digest of the page's Markdown source, front matter included
    title: str | None
    meta: dict
    anchors: set[str] | None  # Page.present_anchor_ids
    links: dict[str, dict[str, str]] | None  # Page.links_to_anchors, by target src_uri
    output: tuple[int, int] | None  # size and mtime of the HTML file written


@dataclass
class Snapshot:
    """A successful build, for the next build in the same process (``mkdocs serve``)."""

    key: tuple[str, str]  # config file, site folder
    site: dict[str, bytes]  # digests of what every page depends on (``site_signature``)
    nav: bytes
    pages: dict[str, PageRecord]
    entries: dict[str, list[dict]] | None  # Material's search entries by page; None without its search


# --------------------------------------------------------------------------- signatures


def _plain(value: Any) -> Any:
    """A configuration value as JSON-able data, equal for equal configurations in one process.

    Functions are named by module and name (``!!python/object/apply`` slugify is a partial of one);
    an object this does not know is represented by its ``repr`` — an address in it makes every
    build a full one, never a wrong one."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, enum.Enum):
        return f"{type(value).__qualname__}.{value.name}"
    if isinstance(value, PluginCollection):
        return [[name, f"{type(p).__module__}.{type(p).__qualname__}", _plain(p.config)] for name, p in value.items()]
    if isinstance(value, Theme):
        return ["theme", value.name, list(value.dirs), sorted(value.static_templates), _plain(dict(value))]
    if isinstance(value, (dict, Config)):
        return ["dict", sorted([str(k), _plain(v)] for k, v in value.items())]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, functools.partial):
        return ["partial", _plain(value.func), _plain(value.args), _plain(value.keywords)]
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        return ["function", value.__module__, value.__qualname__]
    return ["object", f"{type(value).__module__}.{type(value).__qualname__}", repr(value)]


def _theme_files(config: Any) -> list:
    """Every theme file (Material's included: its templates and icons are read while rendering):
    size and modification time; the content, too, of the project's own overrides."""
    custom = config.theme.custom_dir
    listing = []
    for folder in config.theme.dirs:
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                stat = os.stat(path)
                entry = [path, stat.st_size, stat.st_mtime_ns]
                if custom and folder == custom:
                    with open(path, "rb") as handle:
                        entry.append(digest(handle.read()).hex())
                listing.append(entry)
    return listing


def _dictionary() -> Any:
    try:
        return list(indexing._dictionary_state())
    except ImportError:  # pragma: no cover - jieba is a pinned dependency
        return None


def site_signature(config: Any, files: Files) -> dict[str, bytes]:
    """What every page's HTML depends on besides its own source and the nav, part by part (the
    part that changed is the reason given for a full build). The nav MkDocs builds from
    ``config.nav`` is compared on its own (``nav_signature``)."""
    settings = {key: value for key, value in config.items() if key != "nav"}
    parts = {
        "versions": [sorted(VERIFIED_MKDOCS), _versions()],
        "configuration": _plain(settings),
        "theme": _theme_files(config),
        "file list": [[f.src_uri, f.dest_uri, f.url, f.inclusion.name, f.generated_by] for f in files],
        "build date": get_build_date(),
        # Only Material's search reads jieba's dictionary (the offline bundle's build); loading it costs seconds.
        "search dictionary": _dictionary() if indexing.search_index_of(config.plugins) is not None else None,
    }
    return {name: digest(json.dumps(part, ensure_ascii=False, default=repr)) for name, part in parts.items()}


def _nav_item(item: Any) -> Any:
    if isinstance(item, Section):
        return ["section", item.title, [_nav_item(child) for child in item.children]]
    if isinstance(item, Link):
        return ["link", item.title, item.url]
    # A page's title here is the one the nav gives it (or None): a title from the page's own
    # heading is compared once the page has been read (``Rebuild.settle``).
    return ["page", item.file.src_uri, item.url, item.title]


def nav_signature(nav: Navigation) -> bytes:
    """The nav's structure, URLs and given titles; prev/next follow from the order of its pages."""
    return digest(json.dumps([_nav_item(item) for item in nav.items], ensure_ascii=False))


def _versions() -> list[str]:
    found = []
    for package in ("mkdocs", "mkdocs-material"):
        try:
            found.append(version(package))
        except PackageNotFoundError:  # pragma: no cover
            found.append("")
    return found


def _output(file: File) -> tuple[int, int] | None:
    try:
        stat = os.stat(file.abs_dest_path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def clean_except(site_dir: str, keep: set[str]) -> None:
    """MkDocs' ``clean_directory`` (hidden top-level entries stay), keeping the files in ``keep``;
    folders left empty go, as a clean build would not have made them."""
    if not keep:
        clean_directory(site_dir)
        return
    if not os.path.isdir(site_dir):
        return
    for entry in os.listdir(site_dir):
        if entry.startswith("."):
            continue
        path = os.path.join(site_dir, entry)
        if os.path.isdir(path) and not os.path.islink(path):
            _prune(path, keep)
        elif os.path.normpath(path) not in keep:
            os.unlink(path)


def _prune(folder: str, keep: set[str]) -> None:
    for root, dirs, names in os.walk(folder, topdown=False):
        for name in names:
            path = os.path.normpath(os.path.join(root, name))
            if path not in keep:
                os.unlink(path)
        for name in dirs:
            path = os.path.join(root, name)
            if os.path.islink(path):
                os.unlink(path)
            elif not os.listdir(path):
                os.rmdir(path)
    if not os.listdir(folder):
        os.rmdir(folder)


# --------------------------------------------------------------------------- one build


@dataclass
class Rebuild:
    """One build's decisions, from ``on_pre_build`` to ``on_post_build``."""

    previous: Snapshot | None
    key: tuple[str, str]
    entries: indexing.PageEntries | None = None
    searching: bool = False  # Material's search plugin is in this build
    reason: str | None = None  # why every page is built, if it is
    sources: dict[str, bytes] = field(default_factory=dict)
    site: dict[str, bytes] = field(default_factory=dict)
    nav: bytes = b""
    skipped: list[Page] = field(default_factory=list)
    rendered: int = 0

    @classmethod
    def start(cls, previous: Snapshot | None, config: Any) -> Rebuild:
        """``on_pre_build``, last: before MkDocs cleans (or, in dirty mode, does not clean) the site."""
        build = cls(previous, (str(config.config_file_path), os.path.normpath(config.site_dir)))
        indexing.forget_previous_index(config.plugins)
        build.reason = build._unsupported(config)
        if build.reason is None:
            build.entries = indexing.PageEntries()
            # Without Material's search (the site's own index is written after the build:
            # sitesearch.py) there are no entries to carry; the offline bundle's config has it.
            build.searching = indexing.search_index_of(config.plugins) is not None
            if build.searching and not indexing.keep_page_entries(config.plugins, build.entries):
                build.entries, build.reason = None, "search index not verified"
        if build.reason is None:
            build.reason = build._no_previous()
        if build.reason is not None:
            # What a clean build does, at the same point: MkDocs cleans right after on_pre_build.
            clean_directory(config.site_dir)
        return build

    def _unsupported(self, config: Any) -> str | None:
        """Why nothing can be recorded for the next build (every build is then a full, clean one)."""
        mkdocs = _versions()[0]
        if mkdocs not in VERIFIED_MKDOCS:
            return f"MkDocs {mkdocs}: incremental builds are verified for {', '.join(sorted(VERIFIED_MKDOCS))}"
        if config.strict:
            return "strict mode: a skipped page's warnings would not be counted"
        search = indexing.search_index_of(config.plugins)
        others = [
            name
            for name, p in config.plugins.items()
            if name != ATLAS_PLUGIN and getattr(p, "search_index", None) is not search
        ]
        if others:
            return "other plugins or hooks: " + ", ".join(others)
        return None

    def _no_previous(self) -> str | None:
        if self.previous is None:
            return "first build"
        if self.previous.key != self.key:
            return "another site"
        return None

    @property
    def recording(self) -> bool:
        """Whether this build leaves a state for the next one (``finish``)."""
        return self.entries is not None

    def add_source(self, file: File, source: str | bytes) -> None:
        """``on_files``: the page's source as MkDocs will read it."""
        self.sources[file.src_uri] = digest(source)

    def choose(self, config: Any, files: Files, nav: Navigation) -> None:
        """``on_nav``, last: every file and the nav are final; mark the pages that may be skipped."""
        pages = files.documentation_pages()
        self.site = site_signature(config, files)
        self.nav = nav_signature(nav)
        if self.reason is None:
            self.reason = self._changed(files)
        for file in pages:
            if isinstance(file, AtlasFile):
                file.rebuild = self.reason is not None or not self._unchanged(file)

    def _changed(self, files: Files) -> str | None:
        previous = self.previous
        assert previous is not None
        if any(f.inclusion.is_excluded() for f in files):
            return "draft or excluded pages"
        if any(f.is_documentation_page() and not isinstance(f, AtlasFile) for f in files):
            return "pages from elsewhere"
        changed = [name for name, value in self.site.items() if previous.site.get(name) != value]
        if changed:
            return " and ".join(changed) + " changed"
        if self.nav != previous.nav:
            return "navigation changed"
        return None

    def _unchanged(self, file: File) -> bool:
        assert self.previous is not None
        record = self.previous.pages.get(file.src_uri)
        return (
            record is not None
            and record.source == self.sources.get(file.src_uri)
            and record.output is not None
            and _output(file) == record.output
            and (self.previous.entries is None or file.src_uri in self.previous.entries)
        )

    def settle(self, config: Any, files: Files) -> None:
        """``on_env``, last: every page that will be rendered has been read. Either the skipped pages
        get their title and front matter back, or — if a page read now has another title or
        front matter than before — they are read too and everything is rendered. Then the site
        folder keeps only the skipped pages' output."""
        if self.reason is None:
            pages = [f.page for f in files.documentation_pages() if f.page is not None]
            read = [p for p in pages if p.markdown is not None]
            skipped = [p for p in pages if p.markdown is None]
            self.reason = self._retitled(read)
            if self.reason is None:
                for page in skipped:
                    self._restore(page, files)
                self.skipped = skipped
            else:
                self._read_all(skipped, config, files)
        if self.entries is not None and self.searching:
            self.entries.carry(
                (self.previous.entries or {}) if self.previous else {},
                [p.file.src_uri for p in self.skipped],
                [f.src_uri for f in files.documentation_pages()],
            )
        if self.entries is not None:
            clean_except(config.site_dir, self._kept(files))

    def _kept(self, files: Files) -> set[str]:
        """The skipped pages' output; and the files this build overwrites whatever the site holds —
        a file made in memory is written even in a dirty build (``File.copy_file``, ``is_modified``):
        deleting them first would only cost time (a thousand archived sources at N=1,000)."""
        kept = {os.path.normpath(page.file.abs_dest_path) for page in self.skipped}
        kept.update(
            os.path.normpath(f.abs_dest_path)
            for f in files
            if not f.is_documentation_page() and f.abs_src_path is None and f.inclusion.is_included()
        )
        return kept

    def _retitled(self, read: list[Page]) -> str | None:
        assert self.previous is not None
        for page in read:
            record = self.previous.pages.get(page.file.src_uri)
            if record is None or record.title != page.title or record.meta != page.meta:
                return f"the title or front matter of {page.file.src_uri} changed"
        return None

    def _restore(self, page: Page, files: Files) -> None:
        """What MkDocs would have read from the unchanged page: its title (a weak property that a
        value set on the page overrides, as the nav's titles do), front matter and anchors."""
        assert self.previous is not None
        record = self.previous.pages[page.file.src_uri]
        page.title = record.title
        page.meta = copy.deepcopy(record.meta)
        page.present_anchor_ids = record.anchors
        if record.links is not None:
            targets = {uri: files.get_file_from_path(uri) for uri in record.links}
            page.links_to_anchors = {
                target: dict(record.links[uri]) for uri, target in targets.items() if target is not None
            }

    def _read_all(self, pages: list[Page], config: Any, files: Files) -> None:
        from mkdocs.commands.build import _populate_page  # verified for VERIFIED_MKDOCS

        for page in pages:
            _populate_page(page, config, files, dirty=False)
            page.file.rebuild = True  # type: ignore[attr-defined]

    def finish(self, files: Files) -> Snapshot | None:
        """``on_post_build``: what the next build may rely on, or None (nothing recorded)."""
        if self.entries is None:
            return None
        pages: dict[str, PageRecord] = {}
        for file in files.documentation_pages():
            page = file.page
            if page is None or file.src_uri not in self.sources:
                return None
            links = page.links_to_anchors
            pages[file.src_uri] = PageRecord(
                source=self.sources[file.src_uri],
                title=page.title,
                meta=copy.deepcopy(dict(page.meta)),
                anchors=page.present_anchor_ids,
                links=None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
                output=_output(file),
            )
        return Snapshot(self.key, self.site, self.nav, pages, self.entries.by_page() if self.searching else None)

    def summary(self, total: int) -> str:
        if self.reason is None:
            return f"rebuilt {self.rendered} of {total} pages; the other {total - self.rendered} are unchanged"
        return f"built all {self.rendered} pages ({self.reason})"
