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
so the file's offsets stay valid). ``merge`` writes the compilations into one file object by
object, renumbered, one compilation in memory at a time (pikepdf, which parses every object,
needed 3.3 GB for this at N=1,000): the page trees under one root, the structure trees under one
Document (each compilation's a Part), the parent trees, named destinations and element ids
joined, bookmarks made from the book (parts, chapters, measures, glossary terms), and the front
matter's metadata with the book's page count and the language ``zh-Hans`` (Typst writes
``zh-CN`` from ``lang``/``region``, which cannot express a script). pikepdf only reads each
compilation's destinations. The output is deterministic: same book, same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

TEMPLATES = Path(__file__).parent / "typst"
MAIN = "atlas.typ"
FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
FALLBACK_FONT_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian's fonts-noto-cjk
# Typst's accessible output: tagged PDF/UA-1. Kept as a list so a profile can be added.
PDF_STANDARDS = ["ua-1"]
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


def font_dirs() -> list[str]:
    """The folders holding the Noto CJK SC faces, found through fontconfig (Debian: fonts-noto-cjk)."""
    dirs: list[str] = []
    for family in FONT_FAMILIES:
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, timeout=30)
            path = Path(out.stdout.strip())
            if out.returncode == 0 and "CJK" in path.name and path.is_file() and str(path.parent) not in dirs:
                dirs.append(str(path.parent))
        except (OSError, subprocess.SubprocessError):
            pass
    if not dirs and FALLBACK_FONT_DIR.is_dir():
        dirs.append(str(FALLBACK_FONT_DIR))
    if not dirs:
        raise RuntimeError("Noto CJK SC fonts not found: run `make env` (installs fonts-noto-cjk)")
    return dirs


def compiler():
    """A Typst compiler over the templates, with the Noto CJK SC faces and no system fonts (so the
    output does not depend on what else is installed). One serves many documents: fonts are
    found once."""
    import typst

    return typst.Compiler(str(TEMPLATES / MAIN), root=str(TEMPLATES), font_paths=font_dirs(), ignore_system_fonts=True)


def compile_data(data: dict, when: datetime, typst_compiler=None) -> bytes:
    """One compilation of the templates with ``data`` as ``sys.inputs.book``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (typst_compiler or compiler()).compile(
        sys_inputs={"book": text}, timestamp=int(when.timestamp()), pdf_standards=PDF_STANDARDS
    )


def in_child(data: dict, when: datetime) -> bytes:
    """Typeset in a child process: the compiler's caches go when it ends (one process would keep
    every compilation's layouts). The child imports this module only (not the catalogue's)."""
    with tempfile.TemporaryDirectory(prefix="atlas-typst-") as tmp:
        src, out = Path(tmp) / "book.json", Path(tmp) / "book.pdf"
        src.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "generator.export.typeset", str(int(when.timestamp())), str(src), str(out)],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONHASHSEED="0", ATLAS_TYPST_PARENT=str(os.getpid())),
        )
        if result.returncode != 0:
            raise RuntimeError(f"Typst failed in its child process:\n{result.stderr[-4000:]}")
        return out.read_bytes()


def die_with_parent(parent: int | None = None) -> None:  # pragma: no cover - runs in a child process
    """Linux: this process gets SIGKILL when the build process dies, so a killed build leaves no
    Typst still writing (a worker of the PDF pool, or an ``in_child`` compilation). A parent that
    died before this call sends no signal: if ``parent`` is no longer this process's parent, it
    exits now."""
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util
        import signal

        ctypes.CDLL(ctypes.util.find_library("c") or None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent:
        os._exit(1)


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

# Typst (pdf-writer) writes a classic cross-reference table, no object streams, and dictionaries
# without spaces; the merge below reads that form. References are renumbered outside strings.
_TOKEN = re.compile(rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<[0-9A-Fa-f\s]*>|(\d+) 0 R")
_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_CELL_ID = re.compile(rb"\((U\d+x\d+y\d+)\)")  # table cells' ids (IDTree, /ID, /Headers): Typst's own per file
# an object's tokens to rewrite in one pass: strings (skipped, or a cell id), references, and the
# keys into the parent tree
_REWRITE = re.compile(_TOKEN.pattern + rb"|/StructParents? (\d+)")


class _Part:
    """One compilation's file: its objects' offsets, catalogue and structure tree, read once."""

    def __init__(self, path: Path):
        self.data = data = path.read_bytes()
        match = _XREF.search(data[-64:])
        if match is None:
            raise RuntimeError(f"{path.name}: no startxref (not a file Typst wrote?)")
        at = int(match.group(1))
        head = data[at : data.index(b"trailer", at)].split(b"\n")
        if head[0].strip() != b"xref":
            raise RuntimeError(f"{path.name}: a cross-reference stream, not the table Typst writes")
        first, count = map(int, head[1].split())
        self.offsets = {first + i: int(line[:10]) for i, line in enumerate(head[2 : 2 + count]) if line[17:18] == b"n"}
        self.size = first + count
        trailer = data[data.index(b"trailer", at) :]
        self.root = self._ref(trailer, rb"/Root")
        self.info = self._ref(trailer, rb"/Info")
        catalog = self.body(self.root)
        self.pages = self._ref(catalog, rb"/Pages")
        self.tree = self._ref(catalog, rb"/StructTreeRoot")
        tree = self.body(self.tree)
        self.document = self._ref(tree, b"/K[")
        self.next_key = int(re.search(rb"/ParentTreeNextKey (\d+)", tree).group(1))  # type: ignore[union-attr]
        self.nums = self._array(tree, rb"/ParentTree<</Nums[")
        self.ids = self._array(tree, rb"/IDTree<</Names[")
        self.role_map = re.search(rb"/RoleMap<<(.*?)>>", tree)
        self.dests = self._array(catalog, rb"/Dests<</Names[")
        self.metadata = self._ref(catalog, rb"/Metadata")
        self.kids = [int(n) for n in re.findall(rb"(\d+) 0 R", self._array(self.body(self.pages), rb"/Kids["))]

    def obj(self, n: int) -> bytes:
        """Object ``n`` as written, from after its "n 0 obj" line to before "endobj"."""
        start = self.data.index(b"\n", self.offsets[n]) + 1
        return self.data[start : self.data.index(b"endobj", start)]

    def body(self, n: int) -> bytes:
        """Object ``n`` without its stream data."""
        text = self.obj(n)
        cut = text.find(b"stream\n")
        return text if cut < 0 else text[:cut]

    @staticmethod
    def _ref(text: bytes, key: bytes) -> int:
        match = re.search(re.escape(key) + rb"\s*(\d+) 0 R", text)
        if match is None:
            raise RuntimeError(f"no {key.decode()} reference in {text[:80]!r}")
        return int(match.group(1))

    @staticmethod
    def _array(text: bytes, key: bytes) -> bytes:
        """The contents of the array after ``key`` (which ends with its "["), brackets balanced."""
        at = text.find(key)
        if at < 0:
            return b""
        start = depth = at + len(key)
        depth = 1
        for match in re.compile(rb"\((?:\\.|[^\\()])*\)|\[|\]").finditer(text, start):
            if match.group() == b"[":
                depth += 1
            elif match.group() == b"]":
                depth -= 1
                if depth == 0:
                    return text[start : match.start()]
        raise RuntimeError(f"unbalanced array after {key.decode()}")


_PAIR = re.compile(rb"(\((?:\\.|[^\\()])*\)|\d+)\s*(\d+ 0 R)")


def _pairs(array: bytes) -> list[tuple[bytes, bytes]]:
    """A name or number tree's flat array as (key, value) pairs of raw bytes; Typst writes every
    value as a reference (anything else is refused rather than dropped)."""
    if _PAIR.sub(b"", array).strip():
        raise RuntimeError(f"a tree entry that is not a reference: {_PAIR.sub(b'', array).strip()[:80]!r}")
    return _PAIR.findall(array)


def merge(parts: list[Path], marks: list[tuple[int, str, str, bool]], out: Path) -> int:
    """The compilations (files, links patched) as one PDF at ``out``, written atomically; returns its
    page count. Written object by object, one compilation in memory at a time: each object keeps
    its bytes with its references renumbered; each compilation's page tree hangs under a new root
    and its Document structure element becomes a Part under a new Document; the parent trees,
    named destinations and element ids are joined; the front matter's metadata gets the page count
    and the language. (pikepdf held every object of the book parsed: 3.3 GB at N=1,000.)"""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    offsets: list[int] = [0]  # object number → offset; object 0 is the free head
    nums: list[tuple[int, bytes]] = []
    dests: list[tuple[bytes, bytes]] = []
    ids: list[tuple[bytes, bytes]] = []
    page_roots: list[int] = []
    documents: list[int] = []
    page_refs: list[int] = []
    roles: dict[bytes, bytes] = {}
    digest = hashlib.md5(usedforsecurity=False)
    # the objects made here are numbered after every compilation's, and the front matter's metadata
    # states the book's page count: read both from each file's ends first
    sizes, total = [], 0
    for path in parts:
        with open(path, "rb") as src:
            total += int(re.search(rb"/Type/Pages/Count (\d+)", src.read(256)).group(1))  # type: ignore[union-attr]
            src.seek(max(0, path.stat().st_size - 4096))
            sizes.append(int(re.findall(rb"/Size (\d+)", src.read())[-1]))
    base_after = 1 + sum(size - 1 for size in sizes)
    new_pages, new_document, new_tree, new_catalog, new_outlines = range(base_after, base_after + 5)
    key_offset = 0
    info = metadata = 0
    with open(tmp, "wb") as f:
        f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        base = 0
        pos = f.tell()  # the file's length so far: offsets are counted, not asked of the file
        for index, path in enumerate(parts):
            part = _Part(path)
            digest.update(part.data)
            prefix = b"(P%d" % index
            # every reference of this compilation, renumbered, made once (its structure tree root
            # becomes the new Document)
            refs = [b"%d 0 R" % (new_document if n == part.tree else base + n) for n in range(part.size)]

            def renumber(m: re.Match, refs: list[bytes] = refs) -> bytes:
                n = m.group(1)
                return m.group() if n is None else refs[int(n)]

            def rewrite(m: re.Match, refs: list[bytes] = refs, prefix: bytes = prefix, keys: int = key_offset) -> bytes:
                """One pass for the three rewrites: references, table cells' ids (in strings), and
                structure parent keys (shifted past the compilations before)."""
                n = m.group(1)
                if n is not None:
                    return refs[int(n)]
                key = m.group(2)
                if key is not None:
                    return m.group()[: -len(key)] + b"%d" % (int(key) + keys) if keys else m.group()
                text = m.group()
                return _CELL_ID.sub(lambda c: prefix + c.group(1) + b")", text) if b"(U" in text else text

            data, offsets_of = part.data, part.offsets
            chunks: list[bytes] = []
            for n in range(1, part.size):
                offsets.append(pos)
                if n not in offsets_of or n in (part.root, part.tree):
                    chunk = b"%d 0 obj\nnull\nendobj\n" % (base + n)
                    chunks.append(chunk)
                    pos += len(chunk)
                    continue
                start = data.index(b"\n", offsets_of[n]) + 1
                text = data[start : data.index(b"endobj", start)]
                cut = text.find(b"stream\n")
                head, stream = (text, b"") if cut < 0 else (text[:cut], text[cut:])
                head = _REWRITE.sub(rewrite, head)
                if n == part.pages:  # after the renumbering: the new root's number is final
                    head = head.replace(b"<</Type/Pages", b"<</Type/Pages/Parent %d 0 R" % new_pages, 1)
                elif n == part.document:
                    head = head.replace(b"/S/Document", b"/S/Part", 1)
                if index == 0 and n == part.metadata:
                    xmp = stream[len(b"stream\n") : stream.rindex(b"endstream")].rstrip(b"\n")
                    xmp = xmp.replace(
                        b"<rdf:li>" + TYPST_LANG + b"</rdf:li>", b"<rdf:li>" + LANG.encode() + b"</rdf:li>"
                    )
                    xmp = re.sub(
                        rb"<xmpTPg:NPages>\d+</xmpTPg:NPages>", b"<xmpTPg:NPages>%d</xmpTPg:NPages>" % total, xmp
                    )
                    stream = b"stream\n" + xmp + b"\nendstream\n"
                    head = re.sub(rb"/Length \d+", b"/Length %d" % len(xmp), head)
                    metadata = base + n
                chunk = b"%d 0 obj\n%s%sendobj\n" % (base + n, head, stream)
                chunks.append(chunk)
                pos += len(chunk)
            f.write(b"".join(chunks))
            del chunks
            if index == 0:
                info = base + part.info
            page_roots.append(base + part.pages)
            page_refs += [base + k for k in part.kids]
            documents.append(base + part.document)
            nums += [(int(k) + key_offset, _TOKEN.sub(renumber, v)) for k, v in _pairs(part.nums)]
            dests += [(k, _TOKEN.sub(renumber, v)) for k, v in _pairs(part.dests)]
            ids += [(prefix + k[1:], _TOKEN.sub(renumber, v)) for k, v in _pairs(part.ids)]
            if part.role_map:
                for role, mapped in re.findall(rb"/([^/<>\[\]()\s]+)/([^/<>\[\]()\s]+)", part.role_map.group(1)):
                    roles[role] = mapped
            key_offset += part.next_key
            base += part.size - 1
            del part
        if total != len(page_refs):
            raise RuntimeError(f"page trees hold {len(page_refs)} pages, their counts say {total}")
        dest_at = {k[1:-1].decode("latin-1"): v for k, v in dests}

        def put(n: int, text: bytes) -> None:
            assert n == len(offsets), (n, len(offsets))
            offsets.append(f.tell())
            f.write(b"%d 0 obj\n" % n + text + b"\nendobj\n")

        put(new_pages, b"<</Type/Pages/Count %d/Kids[%s]>>" % (total, b" ".join(b"%d 0 R" % r for r in page_roots)))
        put(
            new_document,
            b"<</Type/StructElem/S/Document/P %d 0 R/K[%s]>>" % (new_tree, b" ".join(b"%d 0 R" % d for d in documents)),
        )
        role_map = b"".join(b"/%s/%s" % (k, v) for k, v in sorted(roles.items()))
        id_tree = b"/IDTree<</Names[%s]>>" % b"".join(k + v for k, v in sorted(ids)) if ids else b""
        put(
            new_tree,
            b"<</Type/StructTreeRoot/RoleMap<<%s>>/K[%d 0 R]/ParentTree<</Nums[%s]>>%s/ParentTreeNextKey %d>>"
            % (role_map, new_document, b" ".join(b"%d %s" % (k, v) for k, v in nums), id_tree, key_offset),
        )
        outline = _outline_objects(marks, dest_at, new_outlines + 1, new_outlines)
        dest_tree = b"".join(k + v for k, v in sorted(dests, key=lambda kv: _literal(kv[0])))
        put(
            new_catalog,
            b"<</Type/Catalog/Pages %d 0 R/Metadata %d 0 R/Lang(%s)/StructTreeRoot %d 0 R/MarkInfo<</Marked true>>"
            b"/ViewerPreferences<</DisplayDocTitle true/Direction/L2R>>/Outlines %d 0 R/PageMode/UseOutlines"
            b"/Names<</Dests<</Names[%s]>>>>>>"
            % (new_pages, metadata, LANG.encode(), new_tree, new_outlines, dest_tree),
        )
        for n, text in enumerate(outline, start=new_outlines):
            put(n, text)
        at = f.tell()
        f.write(b"xref\n0 %d\n0000000000 65535 f\r\n" % len(offsets))
        f.write(b"".join(b"%010d 00000 n\r\n" % o for o in offsets[1:]))
        ident = digest.hexdigest().encode()
        f.write(
            b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets), new_catalog, info, ident, ident, at)
        )
    tmp.replace(out)
    return total


def _literal(raw: bytes) -> bytes:
    """A literal string's bytes, escapes resolved (name trees are sorted by them)."""
    return re.sub(rb"\\(.)", lambda m: m.group(1), raw[1:-1])


def _pdf_text(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _outline_objects(
    marks: list[tuple[int, str, str, bool]], dests: dict[str, bytes], first: int, root: int
) -> list[bytes]:
    """The bookmarks as objects numbered from ``root`` (the outline dictionary) on; top level open,
    the rest closed; each to its label's destination."""
    items: list[dict] = []
    stack: list[int | None] = [None]  # stack[d]: index of the item depth-d bookmarks go under (None: the root)
    for depth, title, label, _ in marks:
        if label not in dests:
            continue
        del stack[depth + 1 :]
        parent = stack[min(depth, len(stack) - 1)]
        items.append({"title": title, "dest": dests[label], "parent": parent, "kids": []})
        if parent is not None:
            items[parent]["kids"].append(len(items) - 1)
        stack.append(len(items) - 1)
    top = [i for i, item in enumerate(items) if item["parent"] is None]

    def num(i: int) -> int:
        return first + i

    def links(siblings: list[int], i: int) -> bytes:
        at = positions[i]
        out = b""
        if at > 0:
            out += b"/Prev %d 0 R" % num(siblings[at - 1])
        if at + 1 < len(siblings):
            out += b"/Next %d 0 R" % num(siblings[at + 1])
        return out

    positions = {}
    for group in [top] + [item["kids"] for item in items]:
        for at, i in enumerate(group):
            positions[i] = at
    objects = (
        [b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (num(top[0]), num(top[-1]), len(top))]
        if top
        else [b"<</Type/Outlines/Count 0>>"]
    )
    for i, item in enumerate(items):
        siblings = top if item["parent"] is None else items[item["parent"]]["kids"]
        text = b"<</Title%s/Parent %d 0 R/Dest %s%s" % (
            _pdf_text(item["title"]),
            root if item["parent"] is None else num(item["parent"]),
            item["dest"],
            links(siblings, i),
        )
        if item["kids"]:
            text += b"/First %d 0 R/Last %d 0 R/Count %d" % (
                num(item["kids"][0]),
                num(item["kids"][-1]),
                -len(item["kids"]),
            )
        objects.append(text + b">>")
    return objects


# --------------------------------------------------------------------------- the whole book


def _named(pdf) -> list:
    """A PDF's named destinations as (name, destination); none in a body without a labelled heading
    (a run of side-by-side tables)."""
    import pikepdf

    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return []
    return list(pikepdf.NameTree(pdf.Root.Names.Dests).items())


def dest_pages(pdf: bytes | Path) -> tuple[dict[str, int], int]:
    """Named destination → 0-based page index in one compilation's output, and its page count."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as doc:
        index = {page.obj.objgen: i for i, page in enumerate(doc.pages)}
        return {
            str(name): index[dest[0].objgen]
            for name, dest in _named(doc)
            if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].objgen in index
        }, len(doc.pages)


def typeset_book(document: dict, out: Path, compile_front: Compile, compile_body: Compile) -> int:
    """Typeset ``document`` (pdf.Book's JSON) into ``out``; returns the page count. Each compilation
    goes to a file as soon as it is made: the bytes of all of them are not held at once."""
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
    pages: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="atlas-pdf-") as tmp:
        paths = [Path(tmp) / "front.pdf"]
        for i, body in enumerate(bodies(document)):
            path = Path(tmp) / f"body-{i:04d}.pdf"
            path.write_bytes(
                patch_links(compile_body({"mode": "body", "meta": dict(meta, total=None), "start": start, **body}))
            )
            found, count = dest_pages(path)
            pages.update({name: start + k for name, k in found.items()})
            paths.append(path)
            start += count
        final = front(pages, start)
        if dest_pages(final)[1] != front_pages:  # cannot happen: the page numbers have a fixed width
            raise RuntimeError("the contents changed length once their page numbers were known")
        paths[0].write_bytes(patch_links(final))
        return merge(paths, marks, out)


if __name__ == "__main__":  # python -m generator.export.typeset EPOCH BOOK.json OUT.pdf: one compilation (in_child)
    die_with_parent(int(os.environ["ATLAS_TYPST_PARENT"]) if "ATLAS_TYPST_PARENT" in os.environ else None)
    epoch, book, target = sys.argv[1:4]
    document = json.loads(Path(book).read_text(encoding="utf-8"))
    Path(target).write_bytes(compile_data(document, datetime.fromtimestamp(int(epoch), tz=UTC)))
