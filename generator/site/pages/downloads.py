"""The downloads page: every data file, the PDF and the offline bundle."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core.catalog import Catalogue
from generator.site import labels
from generator.site.pages.base import NavEntry, NavLink, Page
from generator.site.render import Linker
from generator.site.urls import DOWNLOADS_SRC, OFFLINE_PATH, PDF_PATH, region_pdf, theme_pdf
from generator.site.views import Views, pdf_link

TEMPLATE = "downloads.md.j2"


def downloads_page(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Callable[[Linker], dict]:
    def build(ln: Linker) -> dict:
        return {
            "files": [
                {"href": ln.asset(path), "name": path.rsplit("/", 1)[-1], "description": desc} for path, desc in files
            ],
            "pdf": pdf_link(ln, v.pdfs, PDF_PATH),
            "pdfs": [
                dict(link, name=name, file=path.removeprefix("pdf/"))
                for name, path, link in [
                    (cat.themes[t].name, p, pdf_link(ln, v.pdfs, p)) for t in cat.theme_order for p in [theme_pdf(t)]
                ]
                + [
                    (cat.regions[r].name, p, pdf_link(ln, v.pdfs, p))
                    for r in cat.regions_with_policies()
                    for p in [region_pdf(r)]
                ]
                if link
            ],
            # The bundle is added after the online build and cannot contain itself.
            "offline": ln.asset(OFFLINE_PATH) if ln.mode == "dir" else None,
        }

    return build


def pages(cat: Catalogue, v: Views, files: list[tuple[str, str]]) -> Iterator[Page]:
    """``files``: (path, description) of each file listed; the PDF and the bundle are not among them."""
    yield Page(DOWNLOADS_SRC, TEMPLATE, downloads_page(cat, v, files), labels.DOWNLOADS, pdf=False)


def nav(cat: Catalogue) -> list[NavEntry]:
    return [NavLink(labels.DOWNLOADS, DOWNLOADS_SRC)]
