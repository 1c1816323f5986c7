"""A book typeset by Typst in compilations of bounded size, merged into one tagged PDF.

Why in parts: one Typst compilation keeps the layout of every page in memory (about 1 MB a page
of this layout) and its cost per page grows with the document, so the whole atlas at 1,000
policies passed 12 GB. Here the book (``pdf.Book.document()``) is cut into bodies of at most
``CHUNK_BYTES`` of JSON — whole chapters, or a chapter's side-by-side tables in runs — each
typeset on its own in a child process (which returns its memory when it ends) with its first
page number given; the front matter (cover and contents) is typeset twice in this process: once
to learn how many pages it takes, once more with the page numbers of every entry, read from the
bodies' named destinations.

Links cross compilations: the templates write them as ``atlas:<label>`` URI links, which
``patch_links`` rewrites in place into links to the named destination ``<label>`` (same length,
so the file's offsets stay valid). Merging (pikepdf): the pages, the named destinations, the
structure trees (one Document element; the parent tree renumbered), the bookmarks (made here,
from the book: parts, chapters, measures, glossary terms) and the metadata (page count and the
language, ``zh-Hans`` — Typst writes ``zh-CN`` from ``lang``/``region``, which cannot express a
script). The output is deterministic: same book, same bytes.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

LANG = "zh-Hans"  # Chinese in Simplified characters (BCP 47): what the atlas prints
TYPST_LANG = b"zh-CN"  # what Typst writes for text(lang: "zh", region: "cn")
CHUNK_BYTES = 1_500_000  # JSON per compilation: ~300 pages, a child of ~600 MB at most
SPLIT_KEYS = {"theme": ("tables", "topics"), "targets": ("tables", "statistics"), "money": ("prizes", "others")}
_URI_LINK = re.compile(rb"/A<</Type/Action/S/URI/URI\(atlas:([^()\\]*)\)>>")
_URI_ALT = re.compile(rb"/Contents\(atlas:([^()\\]*)\)")

Compile = Callable[[dict], bytes]


def _size(value) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# --------------------------------------------------------------------------- cutting the book


def _pieces(ch: dict, budget: int) -> list[dict]:
    """A chapter as pieces of at most ``budget`` bytes: itself when it fits or cannot be cut; else
    its list items (side-by-side tables, topics, statistics) in runs, the first piece with the
    heading, the others marked ``cont``."""
    keys = SPLIT_KEYS.get(ch["kind"], ())
    whole = dict(ch, cont=False)
    if not keys or _size(ch) <= budget:
        return [whole]
    items = [(k, item) for k in keys for item in ch[k]]
    runs: list[list[tuple[str, dict]]] = [[]]
    used = _size({k: v for k, v in ch.items() if k not in keys})
    for key, item in items:
        size = _size(item)
        if runs[-1] and used + size > budget:
            runs.append([])
            used = 0
        runs[-1].append((key, item))
        used += size
    pieces = []
    for i, run in enumerate(runs):
        piece = dict(ch, cont=i > 0)
        for k in keys:
            piece[k] = [item for key, item in run if key == k]
        pieces.append(piece)
    return pieces


def bodies(document: dict, budget: int | None = None) -> list[dict]:
    """The book's parts and chapters in runs of at most ``budget`` bytes (a larger chapter alone),
    the glossary at the end of the last. Each body: ``{"parts": [{"title", "label", "count",
    "opener", "chapters"}], "glossary"}``; a part cut between bodies has its opener in the first."""
    budget = budget or CHUNK_BYTES
    out: list[dict] = [{"parts": [], "glossary": None}]
    used = 0
    for part in document["parts"]:
        opener = True
        for ch in part["chapters"]:
            for piece in _pieces(ch, budget):
                size = _size(piece)
                current = out[-1]["parts"]
                if current and used + size > budget:
                    out.append({"parts": [], "glossary": None})
                    used = 0
                    current = out[-1]["parts"]
                if not current and not opener:
                    piece = dict(piece, resume=True)  # a body that continues a part: see chapter-page
                if not current or current[-1]["label"] != part["label"]:
                    current.append(
                        {
                            "title": part["title"],
                            "label": part["label"],
                            "count": len(part["chapters"]),
                            "opener": opener,
                            "chapters": [],
                        }
                    )
                    opener = False
                current[-1]["chapters"].append(piece)
                used += size
    glossary = document["glossary"]
    if out[-1]["parts"] and used + _size(glossary) > budget:
        out.append({"parts": [], "glossary": None})
    out[-1]["glossary"] = glossary
    return out


def bookmarks(document: dict) -> list[tuple[int, str, str, bool]]:
    """(depth, title, label, in the contents) of every bookmark, in reading order: the contents,
    parts, chapters, a policy's measures (a theme PDF: its topics), the glossary and its terms."""
    marks = [(0, "目录", "front:contents", False)]
    for part in document["parts"]:
        marks.append((0, part["title"], part["label"], True))
        for ch in part["chapters"]:
            marks.append((1, ch["title"], ch["label"], True))
            if ch["kind"] == "policy":
                marks += [(2, f"{m['section']} {m['title']}", m["label"], False) for m in ch["measures"]]
            elif ch["kind"] == "theme" and ch["details"]:
                marks += [(2, f"{t['name']}（{t['name_en']}）", t["label"], False) for t in ch["topics"]]
    marks.append((0, "术语表", "part:glossary", True))
    marks += [(1, e["term"], e["label"], False) for e in document["glossary"]]
    return marks


# --------------------------------------------------------------------------- compiling


def in_child(data: dict) -> bytes:
    """Typeset in a child process: the compiler's caches go when it ends (one process would keep
    every compilation's layouts)."""
    with tempfile.TemporaryDirectory(prefix="atlas-typst-") as tmp:
        src, out = Path(tmp) / "book.json", Path(tmp) / "book.pdf"
        src.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "generator.export.pdf", "--typeset-child", str(src), str(out)],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONHASHSEED="0"),
        )
        if result.returncode != 0:
            raise RuntimeError(f"Typst failed in its child process:\n{result.stderr[-4000:]}")
        return out.read_bytes()


def patch_links(pdf: bytes) -> bytes:
    """``atlas:<label>`` URI links as links to the named destination ``<label>``, padded with
    spaces to the same length (the cross-reference table's offsets stay right); the alternative
    text Typst gave them (the address) becomes the label."""

    def dest(m: re.Match) -> bytes:
        new = b"/Dest(" + m.group(1) + b")"
        return new + b" " * (len(m.group(0)) - len(new))

    def alt(m: re.Match) -> bytes:
        new = b"/Contents(" + m.group(1) + b")"
        return new + b" " * (len(m.group(0)) - len(new))

    return _URI_ALT.sub(alt, _URI_LINK.sub(dest, pdf))


# --------------------------------------------------------------------------- merging


def _nums(tree) -> list:
    """A number tree's (key, value) pairs, flattened."""
    import pikepdf

    pairs = []
    if "/Nums" in tree:
        nums = tree.Nums
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", pikepdf.Array()):
        pairs += _nums(kid)
    return pairs


def _named(pdf) -> list:
    """A PDF's named destinations as (name, destination); none in a body without a labelled heading
    (a run of side-by-side tables)."""
    import pikepdf

    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return []
    return list(pikepdf.NameTree(pdf.Root.Names.Dests).items())


def _document_element(root):
    import pikepdf

    k = root.K
    return k[0] if isinstance(k, pikepdf.Array) else k


def merge(parts: list[bytes], marks: list[tuple[int, str, str, bool]], out: Path) -> int:
    """The compilations as one PDF at ``out`` (written atomically); returns its page count."""
    import warnings

    import pikepdf
    from pikepdf import Array, Dictionary, Name, NameTree, String

    # pages.extend warns that named destinations are not carried over: they are, below
    warnings.filterwarnings("ignore", category=pikepdf.PageCopyWarning)
    pdfs = [pikepdf.open(io.BytesIO(patch_links(b))) for b in parts]
    dst = pdfs[0]
    tree = dst.Root.StructTreeRoot
    document = _document_element(tree)
    parent_tree = _nums(tree.ParentTree)
    dests = NameTree(dst.Root.Names.Dests)
    ids = NameTree(tree.IDTree) if "/IDTree" in tree else None
    for src in pdfs[1:]:
        offset = int(tree.ParentTreeNextKey)
        first = len(dst.pages)
        dst.pages.extend(src.pages)
        for page in dst.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", Array()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        theirs = dst.copy_foreign(src.Root.StructTreeRoot)
        for kid in _document_element(theirs).K:
            if isinstance(kid, Dictionary):
                kid.P = document
            document.K.append(kid)
        parent_tree += [(key + offset, value) for key, value in _nums(theirs.ParentTree)]
        tree.ParentTreeNextKey = offset + int(src.Root.StructTreeRoot.ParentTreeNextKey)
        for role, value in theirs.get("/RoleMap", Dictionary()).items():
            tree.RoleMap[role] = value
        if ids is not None and "/IDTree" in theirs:
            for element_id, value in NameTree(theirs.IDTree).items():
                if element_id in ids:
                    raise RuntimeError(f"structure element id {element_id!r} in two compilations")
                ids[element_id] = value
        for dest, value in _named(src):
            dests[dest] = dst.copy_foreign(value)
    flat = Array()
    for key, value in parent_tree:
        flat.extend([key, value])
    tree.ParentTree = dst.make_indirect(Dictionary(Nums=flat))
    _outline(dst, marks, dests)
    pages = len(dst.pages)
    dst.Root.Lang = String(LANG)
    xmp = bytes(dst.Root.Metadata.read_bytes())
    xmp = re.sub(rb"<xmpTPg:NPages>\d+</xmpTPg:NPages>", b"<xmpTPg:NPages>%d</xmpTPg:NPages>" % pages, xmp)
    xmp = xmp.replace(b"<rdf:li>" + TYPST_LANG + b"</rdf:li>", b"<rdf:li>" + LANG.encode() + b"</rdf:li>")
    dst.Root.Metadata.write(xmp)
    dst.Root.PageMode = Name.UseOutlines
    if "/Suspects" in dst.Root.MarkInfo:  # qpdf writes Typst's value in a form poppler warns about
        del dst.Root.MarkInfo.Suspects
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    dst.save(tmp, deterministic_id=True, compress_streams=True)
    tmp.replace(out)
    return pages


def _outline(pdf, marks: list[tuple[int, str, str, bool]], dests) -> None:
    """Bookmarks from ``marks``, each to its label's destination; top level open, the rest closed."""
    from pikepdf import Dictionary, Name, String

    root = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    stack = [root]  # stack[d] is the item that depth-d bookmarks go under
    children: dict[int, list] = {}
    for depth, title, label, _ in marks:
        if label not in dests:
            continue
        del stack[depth + 1 :]
        parent = stack[depth] if depth < len(stack) else stack[-1]
        item = pdf.make_indirect(Dictionary(Title=String(title), Parent=parent, Dest=dests[label]))
        siblings = children.setdefault(parent.objgen, [])
        if siblings:
            siblings[-1].Next = item
            item.Prev = siblings[-1]
        siblings.append(item)
        stack.append(item)
    items = {root.objgen: root}
    for group in children.values():
        for item in group:
            items[item.objgen] = item
    for objgen, group in children.items():
        parent = items[objgen]
        parent.First, parent.Last = group[0], group[-1]
        parent.Count = len(group) if objgen == root.objgen else -len(group)
    pdf.Root.Outlines = root


# --------------------------------------------------------------------------- the whole book


def dest_pages(pdf: bytes) -> tuple[dict[str, int], int]:
    """Named destination → 0-based page index in one compilation's output, and its page count."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        index = {page.obj.objgen: i for i, page in enumerate(doc.pages)}
        return {
            str(name): index[dest[0].objgen]
            for name, dest in _named(doc)
            if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].objgen in index
        }, len(doc.pages)


def typeset_book(document: dict, out: Path, compile_front: Compile, compile_body: Compile) -> int:
    """Typeset ``document`` (pdf.Book's JSON) into ``out``; returns the page count."""
    meta = document["meta"]
    marks = bookmarks(document)
    contents = [m for m in marks if m[3]]

    def front(pages: dict[str, int] | None, total: int | None) -> bytes:
        entries = [
            {"level": d + 1, "title": t, "to": label, "page": str(pages[label] + 1) if pages else "0"}
            for d, t, label, _ in contents
            if pages is None or label in pages
        ]
        return compile_front({"mode": "front", "meta": dict(meta, total=total), "contents": entries})

    front_pages = dest_pages(front(None, None))[1]
    start = front_pages
    parts: list[bytes] = []
    pages: dict[str, int] = {}
    for body in bodies(document):
        pdf = compile_body({"mode": "body", "meta": dict(meta, total=None), "start": start, **body})
        found, count = dest_pages(pdf)
        pages.update({name: start + i for name, i in found.items()})
        parts.append(pdf)
        start += count
    final = front(pages, start)
    if dest_pages(final)[1] != front_pages:  # cannot happen: the page numbers have a fixed width
        raise RuntimeError("the contents changed length once their page numbers were known")
    return merge([final, *parts], marks, out)
