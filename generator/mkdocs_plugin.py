"""The MkDocs adapter: a thin plugin over the core.

It only wires MkDocs events: generate everything in memory when the config
is loaded (so bad data or a template error stops the build before MkDocs
cleans or writes the site), hand the pages and files to MkDocs, point "edit
this page" at the data file behind each page, and make ``mkdocs serve``
watch ``data/``.
"""

from __future__ import annotations

import gc
import html
import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .generate import DataProblems, Generated, generate
from .search import register_terms
from .indexing import install as install_indexing

log = logging.getLogger("mkdocs.plugins.atlas")


def nav_title(text: str) -> str:
    """Navigation titles are HTML to MkDocs and Material (printed unescaped); names come from data."""
    return html.escape(" ".join(text.split()), quote=False)


class AtlasConfig(Config):
    root = opt.Type(str, default=".")
    edit_url = opt.Type(str, default="https://github.com/skills-policy-atlas/skills-policy-atlas/edit/main/")
    nav = opt.Type(bool, default=True)


class AtlasPlugin(BasePlugin[AtlasConfig]):
    generated: Generated | None = None
    segmenter = None  # indexing.CachedSegmenter while a build runs

    def _root(self, config) -> Path:
        return (Path(config.config_file_path).parent / self.config.root).resolve()

    def on_config(self, config):
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
            raise PluginError(f"{len(exc.problems)} problem(s) in data/ — nothing was built. "
                              "Run `python -m generator validate` for the full list.") from None
        register_terms(self.generated.catalogue)
        if self.config.nav and not config.nav:
            config.nav = self._nav(config)
        return config

    def _nav(self, config) -> list:
        """Sections and index pages only: Material renders the whole nav into every page,
        so listing every policy or city would make the build quadratic."""
        cat = self.generated.catalogue
        top_regions = [r for r in cat.region_order if cat.regions[r].level.value in ("national", "province")]
        nav = [
            {"首页": "index.md"},
            {"主题": ["themes/index.md"] + [{nav_title(cat.themes[t].name): f"themes/{t}.md"} for t in cat.theme_order]},
            {"对照": ["compare/index.md", {"目标对照": "compare/targets.md"}, {"奖补金额对照": "compare/money.md"}]},
            {"地区": ["regions/index.md"] + [{nav_title(cat.regions[r].name): f"regions/{r}.md"} for r in top_regions]},
            {"政策文件": ["policies/index.md"]},
            {"术语表": "glossary.md"},
            {"数据下载": "downloads.md"},
        ]
        if "contribute.md" in self.generated.markdown:
            nav.append({"参与贡献": "contribute.md"})
        if (Path(config.docs_dir) / "about.md").exists():
            nav.append({"关于": "about.md"})
        return nav

    def on_pre_build(self, config):
        """After every plugin's on_config: a cheaper search-indexing step for Material's search
        index — the same index, most of the work saved (see indexing.py)."""
        self.segmenter = install_indexing(config.plugins)

    def on_post_build(self, config):
        if self.segmenter is not None:
            log.debug("atlas: search segmentation: %s", self.segmenter.stats())

    def on_files(self, files: Files, config) -> Files:
        for src, markdown in sorted(self.generated.markdown.items()):
            if files.get_file_from_path(src) is None:
                files.append(File.generated(config, src, content=markdown))
        for path, content in sorted(self.generated.files.items()):
            files.append(File.generated(config, path, content=content))
        # MkDocs now holds every page and file; the catalogue behind them (models, sources,
        # indexes: hundreds of MB for a large atlas) is not needed for the rest of the build.
        self.generated = None
        return files

    def on_page_markdown(self, markdown, page, config, files):
        """A generated page's File keeps the Markdown it was made with (front matter and all), and
        MkDocs keeps the page's Markdown without it: the same text twice, a third of the build's
        memory at 1,000 policies. The File is given the page's Markdown instead, one shared string:
        nothing reads a page's source again once MkDocs has read it."""
        if page.file.generated_by == "atlas":
            page.file.content_string = markdown
        return markdown

    def on_page_context(self, context, page, config, nav):
        data_file = page.meta.get("atlas_edit")
        if data_file:
            page.edit_url = self.config.edit_url + data_file
        elif page.file.generated_by is None:
            page.edit_url = self.config.edit_url + "docs/" + page.file.src_uri
        return context

    def on_serve(self, server, config, builder):
        server.watch(str(self._root(config) / "data"))
        return server
