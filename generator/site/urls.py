"""Where each page and file of the site lives: its source path, which fixes its URL.

A page links to another by the other's source path (``Linker.href``), so every
page kind's path is written here once and both the page itself and every link
to it use the same helper. The paths of downloadable files are here for the
same reason: ``exports.py`` writes them and the pages link to them.
"""

from __future__ import annotations

# Written by the build (export/): the PDFs before MkDocs runs, the offline bundle after it.
from generator.paths import OFFLINE_PATH, PDF_PATH  # noqa: F401

# --------------------------------------------------------------------------- pages

HOME_SRC = "index.md"
THEMES_SRC = "themes/index.md"
COMPARE_SRC = "compare/index.md"
TARGETS_SRC = "compare/targets.md"
MONEY_SRC = "compare/money.md"
CUSTOM_COMPARE_SRC = "compare/regions.md"  # 自选对照: the reader's own comparison, built in the browser
REGIONS_SRC = "regions/index.md"
POLICIES_SRC = "policies/index.md"
WORDING_SRC = "sources/wording.md"
GLOSSARY_SRC = "glossary.md"
DOWNLOADS_SRC = "downloads.md"
CONTRIBUTE_SRC = "contribute.md"  # CONTRIBUTING.md, shown on the site (generate.py)
ABOUT_SRC = "about.md"  # hand-written, in docs/


def policy_src(pid: str) -> str:
    return f"policies/{pid}.md"


def is_policy_page(src: str) -> bool:
    return src.startswith("policies/") and src.count("/") == 1 and src != POLICIES_SRC


def region_src(rid: str) -> str:
    return f"regions/{rid}.md"


def theme_src(tid: str) -> str:
    return f"themes/{tid}.md"


def source_src(pid: str) -> str:
    return f"sources/{pid}.md"


REFERENCES_SRC = "references/index.md"  # the documents the atlas does not hold, each an entry (its slug)


def policy_list_src(province: str) -> str:
    return f"policies/by-province/{province}.md"


def coverage_anchor(topic_id: str) -> str:
    """A topic's row in a region page's coverage table (the theme page's region links lead there)."""
    return f"coverage-{topic_id}"


def topic_anchor(topic_id: str) -> str:
    return f"topic-{topic_id}"


# --------------------------------------------------------------------------- files


def theme_pdf(tid: str) -> str:
    """Where the build writes one theme's PDF (site-relative)."""
    return f"pdf/themes/{tid}.pdf"


def region_pdf(rid: str) -> str:
    """Where the build writes one region's PDF (site-relative)."""
    return f"pdf/regions/{rid}.pdf"


# The two whole-atlas files are published zipped, one member each (atlas.json, measures.csv): at 5,000
# policies they are 138 and 60 MB. Windows opens a .zip by double-click; pandas reads both directly.
ATLAS_ZIP = "downloads/atlas.json.zip"
MEASURES_ZIP = "downloads/measures.csv.zip"
POLICIES_CSV = "downloads/policies.csv"
TARGETS_CSV = "downloads/compare-targets.csv"
PRIZES_CSV = "downloads/compare-prizes.csv"
OTHER_AMOUNTS_CSV = "downloads/compare-other-amounts.csv"
GLOSSARY_TIPS_JS = "assets/glossary-tips.js"  # every term's definition, for the tooltips (atlas.js loads it)
COMPARE_DATA_JS = "assets/compare-data.js"  # 自选对照's index, as a script (file:// cannot fetch JSON)
COMPARE_CELLS_DIR = "assets/compare-data"  # 自选对照's cells, one script per theme (compare_cells_js)
COMPARE_APP_JS = "assets/compare.js"  # the page's app, hand-written in docs/assets/
RELATED_DIR = "related"  # related-measure lists of the policy pages, fetched when opened (views.related_file)
POLICY_LIST_JS = "assets/policy-list.js"  # sorting and filters of the policy list, hand-written in docs/assets/


def compare_cells_js(tid: str) -> str:
    """The script with 自选对照's cells of one theme, loaded by compare.js when the theme is shown."""
    return f"{COMPARE_CELLS_DIR}/{tid}.js"


def custom_compare_query(regions: list[str], theme: str) -> str:
    """The query string of a 自选对照 view: ``?regions=a,b&theme=t`` (at most 4 regions)."""
    return f"?regions={','.join(regions[:4])}&theme={theme}"


def theme_csv(tid: str) -> str:
    return f"downloads/theme-{tid}.csv"


def zip_member(path: str) -> str:
    """The one file inside a ZIP download: downloads/atlas.json.zip holds atlas.json."""
    return path.rsplit("/", 1)[-1].removesuffix(".zip")


SOURCES_ZIP = "downloads/sources.zip"  # every archived source text, one member each (source_member)


def source_member(pid: str) -> str:
    """A policy's archived source text inside SOURCES_ZIP."""
    return f"sources/{pid}.txt"
