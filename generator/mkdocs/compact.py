"""The built page without the indentation of the theme's templates.

Material's templates are indented for their authors: at 1,000 policies a tenth of a policy page's
bytes were runs of newlines and spaces between tags, repeated in every page of the site. A browser
reads any run of whitespace in the flow of text as one space, so a run that starts with a newline
becomes that newline alone — everywhere except inside the elements that keep whitespace as it is
written (``pre``, ``textarea``, and ``code`` and ``kbd``, which Material sets ``white-space:
pre-wrap``), and inside scripts and styles, which are left byte for byte. Only ASCII whitespace is
touched: an ideographic space (U+3000) in the text is content.

A newline between two tags of block-level elements (``</li>`` and ``<li>``, ``<tr>`` and ``<td>``) is
dropped too: whitespace between block boxes, or between table parts, is never drawn. Between inline
elements (``</a>`` and ``<a>``) it is a space a reader sees, so it stays.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_RUN = re.compile(r"\n[ \t\r\n]+")
_BLOCK = "p|div|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption|h[1-6]|blockquote|details|summary|nav|header|footer|main|article|section|aside|form|fieldset|figure|figcaption|hr|html|head|body|meta|link|title"
_BETWEEN_BLOCKS = re.compile(rf"(</?(?:{_BLOCK})(?:\s[^<>]*)?>)\n(?=</?(?:{_BLOCK})[\s>/])")


def _squeeze(text: str) -> str:
    return _BETWEEN_BLOCKS.sub(r"\1", _RUN.sub("\n", text))


def compact(html: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _KEEP.finditer(html):
        parts.append(_squeeze(html[pos : m.start()]))
        parts.append(m.group(0))
        pos = m.end()
    parts.append(_squeeze(html[pos:]))
    return "".join(parts)
