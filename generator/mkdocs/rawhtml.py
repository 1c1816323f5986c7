"""Raw HTML of generated pages handed to Python-Markdown already set aside.

A generated page (``generator/site/templates``) is Markdown headings between blocks of raw HTML:
the tables, lists and quotes are HTML, the headings are Markdown so that the ``toc`` extension
makes the table of contents, the permalinks and the anchors Material's sidebar follows. Python-Markdown
finds raw HTML by running an HTML parser over the whole page, twice (``md_in_html``'s block
extractor, and MkDocs's scan for anchor ids): at 300 policies that was three quarters of the
MkDocs build's profiled time, for HTML that passes through unchanged.

``RawBlocks`` stashes each such block before either parser runs, as ``md_in_html`` would have
stashed it: a line at a block boundary that opens a block-level element, up to the line where that
element closes. What remains — headings and the placeholders — is Markdown as before, so headings,
ids, permalinks, the TOC and the page title come from the same extensions. Anything it is not sure
about (an inline tag first, ``markdown=`` in a block, an element that does not close at the end of a
line) it leaves to Python-Markdown. The anchor ids of the blocks it stashed are collected with a
regular expression (``ids``), for MkDocs's anchor validation. The plugin turns it on only for the
pages the generator rendered (``active``); ``tests/mkdocs/test_rawhtml.py`` checks that every
generated page converts to the same HTML and TOC as without it.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])")
_IDS = re.compile(r"""\sid="([^"]*)\"""")
_ANCHOR_NAMES = re.compile(r"""<a\s[^>]*?\bname="([^"]*)\"""")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class State:
    """Shared by the plugin and the preprocessor of each page's Markdown instance."""

    def __init__(self) -> None:
        self.active = False  # set by the plugin for the page about to be converted
        self.ids: set[str] = set()  # anchor ids in the blocks stashed for that page
        self.stashed = 0  # blocks stashed, over the build (the plugin logs it at debug level)


class _Preprocessor(Preprocessor):
    def __init__(self, md: Markdown, state: State) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        if not self.state.active:
            return lines
        out: list[str] = []
        ids: set[str] = set()
        i, n = 0, len(lines)
        while i < n:
            end = self._block_end(lines, i) if (i == 0 or not lines[i - 1].strip()) else None
            if end is None:
                out.append(lines[i])
                i += 1
                continue
            html = "\n".join(lines[i : end + 1])
            if end + 1 < n and not lines[end + 1].strip():
                html += "\n"  # as md_in_html keeps it: the block's own blank line
            ids.update(_IDS.findall(html))
            ids.update(_ANCHOR_NAMES.findall(html))
            out += ["", self.md.htmlStash.store(html), ""]
            self.state.stashed += 1
            i = end + 1
        self.state.ids = ids
        return out

    def _block_end(self, lines: list[str], start: int) -> int | None:
        """The last line of the raw block starting at ``start``, or None if it is not one to stash."""
        first = lines[start]
        m = _OPEN.match(first)
        if m is None:
            return None
        tag = m.group(1).lower()
        if not self.md.is_block_level(tag):
            return None
        opening = re.compile(rf"<{re.escape(tag)}(?=[\s/>])", re.I)
        closing = re.compile(rf"</{re.escape(tag)}\s*>", re.I)
        depth = 0
        for j in range(start, len(lines)):
            line = lines[j]
            if "markdown=" in line:
                return None  # md_in_html converts this block's content: Python-Markdown's job
            depth += len(opening.findall(line)) - len(closing.findall(line))
            if tag in _VOID and j == start:
                depth = 0
            if depth <= 0:
                # The element closes on this line: stash it only if nothing follows it on the line
                # (Python-Markdown would read the rest as Markdown).
                if not line.rstrip().endswith(">") or depth < 0:
                    return None
                return j
        return None


class RawBlocks(Extension):
    def __init__(self, state: State) -> None:
        super().__init__()
        self.state = state

    def __repr__(self) -> str:
        # The same in every build: `mkdocs serve --dirty` compares the configuration, this included,
        # to decide whether a rebuild may skip pages (incremental._plain); the state is the plugin's.
        return "RawBlocks()"

    def extendMarkdown(self, md: Markdown) -> None:
        # After normalize_whitespace (30), before MkDocs's anchor scan (21) and html_block (20).
        md.preprocessors.register(_Preprocessor(md, self.state), "atlas_raw_blocks", 25)
