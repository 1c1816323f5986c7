"""``python -m generator archive <page.html|-> --id <policy-id>``: the archived text from a saved web page.

Most documents are found as a government web page, and copying the text out of a browser loses
numbering or drags the site's menus along. This command keeps what an archive needs — the
document's paragraphs, one per line, with their numbering (一、（一）1.) and tables — and drops the
page chrome (navigation, breadcrumbs, share buttons, related links, footer), using trafilatura's
main-text extraction. It writes ``data/sources/<id>.txt`` as UTF-8 (whatever the page's encoding)
and prints its SHA-256 for ``source.sha256``.

Only whitespace is tidied: spaces at the ends of lines and runs of blank lines, which the quote
check ignores anyway. Every character of the text stays as the page has it, damaged ones included.
The contributor still compares the result with the page: extraction is a start, not a proof.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path

from generator.core import models

_TRAILING = re.compile(r"[ \t\u3000\u00a0]+$", re.M)
_LEADING = re.compile(r"^[ \t\u3000\u00a0]+", re.M)
_BLANK_RUNS = re.compile(r"\n{3,}")


class ArchiveError(Exception):
    """A page that cannot become an archive; the message says why and what to do."""


def html_to_text(html: bytes | str) -> str:
    """The document's text from a web page: paragraphs one per line, numbering kept, chrome removed."""
    import trafilatura

    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_recall=True,
        deduplicate=False,
        with_metadata=False,
    )
    if not text or not text.strip():
        raise ArchiveError(
            "no document text was found in the page — save the page as HTML (not a screenshot or "
            "PDF), or copy the text by hand into data/sources/<id>.txt"
        )
    text = _LEADING.sub("", _TRAILING.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source).expanduser()
    if not path.is_file():
        raise ArchiveError(f"no such file: {source} — save the web page (Ctrl+S, 'HTML only') and give its path")
    return path.read_bytes()


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, through a temporary file: never half an archive."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # fails if the archive appeared meanwhile: archives are never overwritten
    finally:
        Path(tmp).unlink(missing_ok=True)


def archive(root: Path, source: str, policy_id: str) -> int:
    if not re.fullmatch(models.SLUG_PATTERN, policy_id) or len(policy_id) > 80:
        print(
            f"error: '{policy_id}' is not a valid policy id — use lowercase letters a-z, digits and single "
            "hyphens, e.g. henan-2024-training-subsidies",
            file=sys.stderr,
        )
        return 1
    target = root / "data" / "sources" / f"{policy_id}.txt"
    rel = target.relative_to(root).as_posix()
    if target.exists() or target.is_symlink():
        print(
            f"error: {rel} already exists; archives are never overwritten — choose another id, or "
            "remove the file first if it is yours and not yet committed",
            file=sys.stderr,
        )
        return 1
    try:
        text = html_to_text(_read(source))
    except ArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    data = text.encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _write_new(target, data)
    except FileExistsError:
        print(f"error: {rel} already exists; nothing was written", file=sys.stderr)
        return 1
    digest = hashlib.sha256(data).hexdigest()
    lines = text.count("\n")
    print(f"wrote {rel} ({lines} lines)")
    print(f"sha256 {digest}")
    print(
        f"next: compare it with the page (every numbered provision there? nothing from the menus?), then run: "
        f"python -m generator new --id {policy_id} --source-file {rel} …"
    )
    return 0
