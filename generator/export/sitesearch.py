"""Site search: a Pagefind index written into the built site (``site/pagefind/``).

Material's search plugin ships one JSON index that every reader downloads before the first
result: 17 MB gzip at 1,000 policies. Pagefind splits its index into chunks fetched per query,
so what a reader downloads grows with the query, not with the atlas; its extended build
segments Chinese (``zh``) both when indexing and, in the browser, when searching.

What is indexed, and why:

* **Each measure is one record**, made from the data (the same title, summary and quotes its
  policy page shows), linking to ``policies/<policy>/#<measure>``, with the measure's title,
  region and the policy's short title as metadata and region, province, theme, document type
  and year as filters. A measure therefore appears once, however many pages list it.
* **The built HTML pages** for everything else (the home page, a policy's header and relations,
  topic descriptions, glossary definitions, about …): only the article body (``data-pagefind-body``
  in overrides/main.html), and never a measure block, a related list, a comparison table or a
  glossary occurrence list (``EXCLUDE``), which would repeat measures as separate results.
  Pages whose front matter excludes them from search (the archived originals) have no body and
  are not indexed.

The JS side is docs/assets/atlas-search.js.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import logging
import re
import resource
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.catalog import Catalogue, MeasureRef, policy_year

OUTPUT = "pagefind"  # the bundle's folder in the site
LANGUAGE = "zh"
# What the HTML pages must not contribute: every one of these repeats a measure's text or title.
EXCLUDE = [
    "[data-search-exclude]",  # related lists, side-by-side tables, breadcrumbs (already marked for Material)
    ".atlas-measure",  # a measure's block on a policy page, a compact one on a theme page
    ".atlas-measure-title",  # a measure's heading on its policy page
    ".atlas-topic-region",  # a theme page's "topic · region" headings over measure lists
    ".atlas-table-wrap",  # targets, statistics and amounts tables (quotes), region coverage tables
    ".atlas-term-entry details",  # a glossary term's list of the measures that use it
    ".atlas-pdf-button",
    ".headerlink",
]

# Filter names as the reader sees them next to the results.
F_REGION, F_PROVINCE, F_THEME, F_DOCTYPE, F_YEAR = "地区", "省份", "主题", "文种", "年份"
# Not shown: what a result is, so the box can search measures and pages each its own way
# (overrides/main.html gives every indexed page 类型:页面).
F_KIND, KIND_MEASURE = "类型", "条款"


@dataclass(frozen=True)
class Record:
    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]


def measure_record(cat: Catalogue, ref: MeasureRef) -> Record:
    """One measure as a search record: text, where it links, what the result line shows."""
    policy, m = ref.policy, ref.measure
    region = cat.regions[policy.region].name
    province_id = cat.province_of(policy.region)
    province = cat.regions[province_id].name if province_id in cat.regions else region
    place = region if province == region else f"{province} · {region}"
    year = policy_year(policy)
    content = by_character("\n".join([m.title, m.summary, *m.quotes]))
    themes = [cat.themes[t].name for t in m.themes if t in cat.themes]
    return Record(
        url=f"/policies/{policy.id}/#{m.id}",
        content=content,
        meta={
            "title": f"{m.section} {m.title}",
            "region": place,
            "policy": policy.short_title,
            "year": year,
            "kind": "measure",
        },
        filters={
            F_KIND: [KIND_MEASURE],
            F_REGION: [region],
            F_PROVINCE: [province],
            F_THEME: themes,
            F_DOCTYPE: [policy.doc_type.value],
            F_YEAR: [year],
        },
    )


_HAN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])(?=[\u3400-\u9fff\uf900-\ufaff])")


def by_character(text: str) -> str:
    """Chinese text with a zero-width space after every Han character that another follows.

    The indexer cuts Chinese into words with one dictionary (jieba: 特级|技师) and the browser cuts
    the query with another (ICU: 特|级|技师); where they disagree, a measure that says the words is
    not found (特级技师 found 1 of 6). Indexed one character a word, a measure is found by the
    query's characters in sequence — Pagefind's exact search (docs/assets/atlas-search.js) — which
    is what "the measure contains the term" means. The zero-width space does not show in excerpts."""
    return _HAN.sub("\\1\u200b", text)


def records(cat: Catalogue) -> list[Record]:
    return [measure_record(cat, ref) for ref in cat.measures]


async def _responses_as_they_come(service) -> None:
    """Replaces ``PagefindService._wait_for_responses`` of pagefind 1.5.2, which sleeps 0.1 s before
    reading each response: 20,000 measures took 35 minutes of waiting with the CPU idle. The
    protocol is the same — base64 JSON answers, each ended by a comma, matched by message id."""
    while True:
        output = await service._backend.stdout.readuntil(b",")
        resp = json.loads(base64.b64decode(output[:-1]))
        if not resp:
            continue
        message_id = resp.get("message_id")
        if message_id is None and (resp.get("payload") or {}).get("original_message"):
            message_id = json.loads(resp["payload"]["original_message"]).get("message_id")
        future = service._responses.get(message_id)
        if future is None or future.done():
            continue
        payload = resp["payload"]
        if payload.get("type") == "Error":
            future.set_exception(RuntimeError(f"Pagefind: {payload.get('message')}"))
        else:
            future.set_result(payload)


async def _write(site: Path, recs: list[Record]) -> dict:
    from pagefind.index import IndexConfig, PagefindIndex
    from pagefind.service import PagefindService

    # see above: the library's own loop sleeps 0.1 s before reading each reply
    PagefindService._wait_for_responses = _responses_as_they_come  # type: ignore[method-assign,assignment]

    config = IndexConfig(
        root_selector="html", exclude_selectors=EXCLUDE, force_language=LANGUAGE, output_path=str(site / OUTPUT)
    )
    async with PagefindIndex(config=config) as index:
        service = index._service
        assert service is not None
        # GetFiles answers with the whole bundle in one message; the reader's default limit is 2 MiB.
        reader = service._backend.stdout
        assert reader is not None
        reader._limit = 1 << 31  # type: ignore[attr-defined]  # asyncio.StreamReader's bound, set at launch
        pages = await index.add_directory(str(site))
        for rec in recs:
            await index.add_custom_record(
                url=rec.url, content=rec.content, language=LANGUAGE, meta=rec.meta, filters=rec.filters
            )
        # The bundle is taken from the service and written here, not by the service: Pagefind 1.5.2 answers
        # WriteFiles before its background writes are flushed, and closing the service then cut files short
        # (a 32 KiB pagefind-worker.js was published). delete_index also keeps the context from writing.
        files = await index.get_files()
        await index.delete_index()
    await service.close()
    out = site / OUTPUT
    for item in sorted(files, key=lambda f: f["path"]):
        target = out / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item["content"])
    return {"pages": pages.get("page_count", 0), "records": len(recs)}


def write_index(cat: Catalogue, site: Path) -> dict:
    """Index the built site in ``site`` (HTML pages and the catalogue's measures) into site/pagefind/."""
    started = _cpu()
    # The Pagefind service logs every message it exchanges at INFO; a build prints one line.
    logging.getLogger("pagefind").setLevel(logging.WARNING)
    stats = asyncio.run(_write(site, records(cat)))
    canonicalize(site / OUTPUT)
    stats["cpu_s"] = round(_cpu() - started, 3)
    return stats


def _cpu() -> float:
    """CPU time of this process and of its finished children: the indexing runs in Pagefind's binary."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# --------------------------------------------------------------------------- byte-identical output
# Pagefind 1.5.2 writes each filter's values in hash-map order, which changes from run to run (the
# index and fragment files do not). The same data must give the same site, so the filter files
# are rewritten with their values sorted, renamed after their content, and the files that name
# them (the language's .pf_meta and pagefind-entry.json) rewritten to match. The files are
# Pagefind's "pagefind_dcd" signature followed by CBOR, gzipped.

_SIGNATURE = b"pagefind_dcd"


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise ValueError(value)


def cbor_encode(value: object) -> bytes:
    """Canonical CBOR (shortest heads) of the values Pagefind's files hold."""
    if isinstance(value, bool) or value is None:
        raise TypeError(value)
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return _cbor_head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise TypeError(value)


def cbor_decode(data: bytes, at: int = 0) -> tuple[object, int]:
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise ValueError(f"unsupported CBOR head {head:#x}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at : at + value]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = cbor_decode(data, at)
            mapping[key], at = cbor_decode(data, at)
        return mapping, at
    raise ValueError(f"unsupported CBOR major type {major}")


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind file")
    value, end = cbor_decode(raw, len(_SIGNATURE))
    if end != len(raw):
        raise ValueError(f"{path}: trailing bytes")
    return value


def _write_named(folder: Path, lang: str, suffix: str, value: object, digits: int) -> str:
    raw = _SIGNATURE + cbor_encode(value)
    name = f"{lang}_{hashlib.blake2b(raw, digest_size=8).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return name


def canonicalize(bundle: Path) -> None:
    """Sort every filter's values and rename the files after their content (see above)."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise ValueError(f"{meta_path}: unexpected layout (Pagefind version?)")
        filters = []
        for name, digest in meta[3]:
            path = bundle / "filter" / f"{digest}.pf_filter"
            fname, values = _read(path)
            path.unlink()
            values = sorted(values, key=lambda v: v[0])
            filters.append([name, _write_named(bundle / "filter", lang, ".pf_filter", [fname, values], 7)])
        meta[3] = sorted(filters)
        meta_path.unlink()
        info["hash"] = _write_named(bundle, "pagefind." + lang, ".pf_meta", meta, 10).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def read_fragments(bundle: Path) -> list[dict]:
    """Every result Pagefind can show (its fragment files: URL, meta, filters, text) — for tests
    and the benchmark, which check what was indexed without a browser."""
    out = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        out.append(json.loads(raw[len(_SIGNATURE) :] if raw.startswith(_SIGNATURE) else raw))
    return out
