"""The built page without the indentation of the theme's templates.

Material's templates are indented for their authors: at 1,000 policies a tenth of a policy page's
bytes were runs of newlines and spaces between tags, repeated in every page of the site. A browser
reads any run of whitespace in the flow of text as one space, so a run that starts with a newline
becomes that newline alone — everywhere except inside the elements that keep whitespace as it is
written (``pre``, ``textarea``, and ``code`` and ``kbd``, which Material sets ``white-space:
pre-wrap``), and inside scripts and styles, which are left byte for byte. Only ASCII whitespace is
touched: an ideographic space (U+3000) in the text is content.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_RUN = re.compile(r"\n[ \t\r\n]+")


def compact(html: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _KEEP.finditer(html):
        parts.append(_RUN.sub("\n", html[pos : m.start()]))
        parts.append(m.group(0))
        pos = m.end()
    parts.append(_RUN.sub("\n", html[pos:]))
    return "".join(parts)
