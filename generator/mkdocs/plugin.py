"""The MkDocs adapter: a thin plugin over the core.

It only wires MkDocs events: generate everything in memory when the config
is loaded (so bad data or a template error stops the build before MkDocs
cleans or writes the site), hand the pages and files to MkDocs, point "edit
this page" at the data file behind each page, and make ``mkdocs serve``
watch ``data/``. Under ``mkdocs serve --dirty`` (``make serve``) a rebuild renders only the pages
whose HTML can have changed, and writes the site a clean build would (incremental.py).
"""

from __future__ import annotations

import gc
import logging
import re
from importlib.metadata import version
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from generator.mkdocs import csp
from generator.mkdocs.compact import compact
from generator.mkdocs.incremental import VERIFIED_MKDOCS, AtlasFile, Rebuild, Snapshot, adopt
from generator.mkdocs.indexing import install as install_indexing
from generator.mkdocs.nav import SectionIndexPage, attach, section_indexes, to_mkdocs
from generator.mkdocs.rawhtml import RawBlocks, State
from generator.site.generate import DataProblems, Generated, generate
from generator.site.pages import site_nav
from generator.site.render import OVERRIDES
from generator.site.search import register_terms

log = logging.getLogger("mkdocs.plugins.atlas")


_SEARCH_MARKS = re.compile(r' data-search-exclude(?==|[\s>])(?:="[^"]*")?')


class AtlasConfig(Config):
    root = opt.Type(str, default=".")
    edit_url = opt.Type(str, default="https://github.com/skills-policy-atlas/skills-policy-atlas/edit/main/")
    nav = opt.Type(bool, default=True)


class _DirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build that the nav and links may be wrong; with the atlas deciding
    which pages to skip they are not (incremental.py), and the warning would only teach contributors
    to ignore warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


class AtlasPlugin(BasePlugin[AtlasConfig]):
    generated: Generated | None = None
    segmenter = None  # indexing.CachedSegmenter while a build runs
    # The last successful build's state. MkDocs keeps a plugin instance from build to build in one
    # process only if it has an on_startup or on_shutdown event (config_options.Plugins.load_plugin).
    snapshot: Snapshot | None = None
    rebuild: Rebuild | None = None  # this build's decisions
    files: Files | None = None
    started = False  # this build has passed on_pre_build (and may have written to the site folder)
    command: str | None = None  # "build", "serve", "gh-deploy" (on_startup); None when MkDocs is driven directly
    dirty = False
    raw: State | None = None  # rawhtml.py: the generated pages' raw HTML, stashed before Python-Markdown parses it
    rendered: frozenset[str] = frozenset()  # src of every page the generator rendered from a template
    indexes: tuple[str, ...] = ()  # pages that open a nested section of the nav (nav.section_indexes)
    parents: dict[str, str] | None = None  # a page outside the nav → the entry it belongs to (site.pages.base.Page.nav)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty
        build_log = logging.getLogger("mkdocs.commands.build")
        if (
            dirty
            and version("mkdocs") in VERIFIED_MKDOCS
            and not any(isinstance(f, _DirtyWarning) for f in build_log.filters)
        ):
            build_log.addFilter(_DirtyWarning())

    def _root(self, config) -> Path:
        return (Path(config.config_file_path).parent / self.config.root).resolve()

    def on_config(self, config):
        self.started = False
        mode = "dir" if config.use_directory_urls else "file"
        gc.unfreeze()  # a previous `mkdocs serve` build's catalogue becomes collectable again
        try:
            self.generated = generate(self._root(config), mode=mode)
            # The catalogue and pages live until the build ends; keep the cyclic garbage collector
            # from re-scanning them in every collection while MkDocs builds (measured in bench/).
            gc.freeze()
        except DataProblems as exc:
            for problem in exc.problems:
                log.error(problem.format())
            raise PluginError(
                f"{len(exc.problems)} problem(s) in data/ — nothing was built. "
                "Run `python -m generator validate` for the full list."
            ) from None
        if "material/search" in config.plugins:  # only the offline bundle's build has Material's search
            register_terms(self.generated.catalogue)
        self.indexes = ()
        self.parents = {page.src: page.nav for page in self.generated.pages if page.nav}
        if self.config.nav and not config.nav:
            config.nav = self._nav(config)
        if self.raw is None:
            self.raw = State()
        if not any(isinstance(ext, RawBlocks) for ext in config.markdown_extensions):
            config.markdown_extensions.append(RawBlocks(self.raw))
        return config

    def _nav(self, config) -> list:
        """The page registry's navigation (sections and index pages only: Material renders the whole
        nav into every page, so listing every policy or city would make the build quadratic), with
        the contributing guide and docs/about.md when they are there."""
        assert self.generated is not None  # on_config generated everything first
        docs, generated = Path(config.docs_dir), self.generated.markdown
        entries = site_nav(self.generated.catalogue, lambda src: src in generated or (docs / src).exists())
        self.indexes = tuple(section_indexes(entries))
        return to_mkdocs(entries)

    @event_priority(-100)  # last: it may clean the site folder, as MkDocs does right after this event
    def on_pre_build(self, config):
        """After every plugin's on_config: a cheaper search-indexing step for Material's search
        index — the same index, most of the work saved (see indexing.py); and this build's
        incremental decisions, starting from the previous build's state (taken: if this build
        fails, the next one is a full one)."""
        self.segmenter = install_indexing(config.plugins)
        previous, self.snapshot = self.snapshot, None
        self.started = True
        # Only `mkdocs serve --dirty` rebuilds: a one-off build (`mkdocs build`, `python -m generator
        # build`, the benchmark) records nothing — keeping every page's search entries and digests
        # for a next build that never comes would cost it time and memory.
        self.rebuild = Rebuild.start(previous, config) if self.command == "serve" and self.dirty else None

    def on_post_build(self, config):
        if self.segmenter is not None:
            log.debug("atlas: search segmentation: %s", self.segmenter.stats())
        if self.raw is not None:
            log.debug("atlas: %d raw HTML blocks set aside before Markdown", self.raw.stashed)
        if self.rebuild is not None and self.files is not None:
            self.snapshot = self.rebuild.finish(self.files)
            total = len(self.files.documentation_pages())
            log.log(logging.INFO if self.dirty else logging.DEBUG, "atlas: %s", self.rebuild.summary(total))
        self.rebuild = self.files = None  # they hold this build's pages

    def on_build_error(self, error):
        """A build that failed after on_pre_build may have written part of the site: the next one is
        a full one. One stopped by bad data (on_config) wrote nothing: the state is still right."""
        if self.started:
            self.snapshot = None
        self.started = False
        self.rebuild = self.files = None

    def on_files(self, files: Files, config) -> Files:
        assert self.generated is not None  # on_config generated everything first
        # The page-template overrides sit inside the theme's custom_dir (overrides/atlas-templates/): MkDocs
        # would publish them as theme files. They are the generator's input, not the site's.
        templates = self._root(config) / OVERRIDES
        if templates.is_dir():
            theirs = [f for f in files if f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(templates)]
            for file in theirs:
                files.remove(file)
        for src, markdown in sorted(self.generated.markdown.items()):
            if files.get_file_from_path(src) is None:
                files.append(AtlasFile.generated(config, src, content=markdown))
        for path, content in sorted(self.generated.files.items()):
            files.append(File.generated(config, path, content=content))
        for src in self.indexes:
            index = files.get_file_from_path(src)
            if index is not None and index.page is None:
                SectionIndexPage(None, index, config)  # becomes index.page; the nav takes it as it is
        for file in files.documentation_pages():
            if not isinstance(file, AtlasFile):
                adopt(file)  # a hand-written page in docs/
            if self.rebuild is not None and self.rebuild.recording:
                self.rebuild.add_source(file, file.content_bytes)
        self.rendered = frozenset(page.src for page in self.generated.pages)  # not CONTRIBUTING.md
        # MkDocs now holds every page and file; the catalogue behind them (models, sources,
        # indexes: hundreds of MB for a large atlas) is not needed for the rest of the build.
        self.generated = None
        return files

    @event_priority(-100)  # last: the nav as every plugin left it
    def on_nav(self, nav, config, files):
        attach(nav, files, self.parents or {})
        if self.rebuild is not None:
            self.rebuild.choose(config, files, nav)
        return nav

    @event_priority(-100)  # last: after every page to be rendered has been read, before anything is written
    def on_env(self, env, config, files):
        if self.rebuild is not None:
            self.rebuild.settle(config, files)
            self.files = files
        return env

    def on_page_markdown(self, markdown, page, config, files):
        """A generated page's File keeps the Markdown it was made with (front matter and all), and
        MkDocs keeps the page's Markdown without it: the same text twice, a third of the build's
        memory at 1,000 policies. The File is given the page's Markdown instead, one shared string:
        nothing reads a page's source again once MkDocs has read it."""
        if page.file.generated_by == "atlas":
            page.file.content_string = markdown
        if self.raw is not None:
            self.raw.active = page.file.src_uri in self.rendered
        return markdown

    def on_page_content(self, html, page, config, files):
        """The anchors in the raw HTML rawhtml.py stashed, which MkDocs's own scan no longer sees."""
        if self.raw is not None and self.raw.active:
            page.present_anchor_ids = (page.present_anchor_ids or set()) | self.raw.ids
            self.raw.active = False
        return html

    def on_page_context(self, context, page, config, nav):
        if self.rebuild is not None:
            self.rebuild.rendered += 1
        data_file = page.meta.get("atlas_edit")
        if data_file:
            page.edit_url = self.config.edit_url + data_file
        elif page.file.generated_by is None:
            page.edit_url = self.config.edit_url + "docs/" + page.file.src_uri
        return context

    def _csp(self, html: str, config) -> str:
        offline = not config.use_directory_urls  # the file:// bundle
        shim = Path(config.docs_dir) / "assets" / "vendor" / "iframe-worker-shim.js"
        return csp.apply(html, offline, shim.read_text(encoding="utf-8") if offline and shim.is_file() else "")

    @event_priority(-100)  # last: the policy hashes the page's final HTML
    def on_post_page(self, output, page, config):
        if "material/search" not in config.plugins:
            # Marks for Material's search (which removes them when it runs): only the offline bundle has it.
            output = _SEARCH_MARKS.sub("", output)
        return self._csp(compact(output), config)

    def on_post_template(self, output_content, template_name, config):
        return self._csp(output_content, config)  # 404.html extends main.html too

    def on_serve(self, server, config, builder):
        server.watch(str(self._root(config) / "data"))
        return server
