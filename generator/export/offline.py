"""The offline bundle: the whole site, built a second time for reading from disk (file://).

A site built with directory URLs ('policies/x/') does not work from disk:
browsers do not open 'index.html' for a folder, and search needs a web
worker, which file:// forbids. So the site is built again with
``use_directory_urls: false`` (the atlas plugin then makes 'x.html' links) and
Material's ``offline`` plugin (search index inlined as a script). The worker
shim that plugin would fetch from unpkg.com is vendored in
docs/assets/vendor/, so the bundle makes no request to any outside host.

The derived config is generated, not committed: it INHERITs mkdocs.yml and
restates only what must change, reading the plugin list and theme features
from mkdocs.yml so the two never drift apart. The zip is deterministic:
sorted entries, timestamps from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from generator.export.reproducible import mkdocs_build, source_date_epoch, zip_folder
from generator.paths import OFFLINE_PATH, PDF_PATH

SHIM = "assets/vendor/iframe-worker-shim.js"
# Features that only make sense online: "edit this page" points at the repository on GitHub.
ONLINE_FEATURES = {"content.action.edit", "content.action.view"}
# Material's word separators for Chinese text: spaces and Chinese punctuation.
SEARCH_SEPARATOR = r"[\s\u200b\-、，。；：！？（）《》“”]+"
# Files for web servers and crawlers, useless on disk (404.html links from the server root, '/…').
LEFT_OUT = {"sitemap.xml", "sitemap.xml.gz", "404.html"}


class _Lenient(yaml.SafeLoader):
    """Reads mkdocs.yml for its plain lists; tags such as !!python/… or !ENV are not needed here."""


_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Lenient.add_multi_constructor("!", lambda loader, suffix, node: None)


def _plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def offline_config(root: Path, parent: str = "mkdocs.yml") -> dict:
    """The derived config: mkdocs.yml, for file://, with every relative path made absolute."""
    base = yaml.load((root / parent).read_text(encoding="utf-8"), Loader=_Lenient) or {}
    # The published site's search (sitesearch.py) fetches its shards and so cannot work from
    # file://: the bundle has Material's search, its index inlined by the offline plugin.
    plugins: list = [{"search": {"separator": SEARCH_SEPARATOR}}]
    for entry in base.get("plugins", []):
        name = _plugin_name(entry)
        options = {} if isinstance(entry, str) else dict(entry[name] or {})
        if name == "atlas":  # the plugin finds data/ next to the config file, which is now elsewhere
            options["root"] = str(root)
        if name not in ("offline", "material/offline", "search", "material/search"):
            plugins.append({name: options} if options else name)
    plugins.append("offline")
    theme = dict(base.get("theme") or {})
    config: dict = {
        "INHERIT": str(root / parent),
        "docs_dir": str(root / base.get("docs_dir", "docs")),
        "use_directory_urls": False,  # set here, not only by the offline plugin: the atlas plugin reads it first
        "plugins": plugins,
        "theme": {"features": [f for f in theme.get("features", []) if f not in ONLINE_FEATURES]},
        "extra": {"polyfills": [SHIM], "generator": False},
    }
    if theme.get("custom_dir"):
        config["theme"]["custom_dir"] = str(root / theme["custom_dir"])
    if base.get("hooks"):
        config["hooks"] = [str(root / h) for h in base["hooks"]]
    return config


def build_offline(root: Path, site: Path, env: dict | None = None) -> Path:
    """Build the file:// site next to ``site``, add the PDF, zip it to site/downloads/; return the zip's path."""
    env = dict(env or os.environ)
    epoch = int(env.get("SOURCE_DATE_EPOCH") or source_date_epoch(root))
    # The pid in the name lets the next build remove the folder if this process is killed (build.remove_stale).
    with tempfile.TemporaryDirectory(prefix=f"atlas-offline-{os.getpid()}-") as tmp:
        config = Path(tmp) / "mkdocs.offline.yml"
        config.write_text(yaml.safe_dump(offline_config(root), allow_unicode=True, sort_keys=False), encoding="utf-8")
        out = Path(tmp) / "site"
        if mkdocs_build(root, out, config=str(config), env=env) != 0:
            raise RuntimeError("mkdocs build of the offline bundle failed")
        for name in LEFT_OUT:
            (out / name).unlink(missing_ok=True)
        pdfs = (site / PDF_PATH).parent  # the whole atlas and each theme's and region's, which the pages link
        if pdfs.is_dir():
            shutil.copytree(pdfs, out / pdfs.name, dirs_exist_ok=True)
        return zip_folder(out, site / OFFLINE_PATH, epoch)
