"""Site search: a static n-gram index written into the built site (``site/search/``).

Why not Pagefind, which this replaced (measured in bench/REPORT.md): Pagefind's first search
downloads its page list (every record's hash and word count: 147 KB at 1,000 policies, growing
with the atlas), the postings of each query word *with every word position* (139 KB for one
common character at 1,000), its filter lists (120 KB) and a 68 KB WebAssembly segmenter. And
its Chinese segmentation differs between indexer and browser, so measures saying 特级技师 were
missed unless we indexed one character a word, which made the position lists larger still.

What is written instead, and why each part stays small:

* **Tokens are the 1-, 2- and 3-character pieces of every run of letters, digits or Han
  characters**, lowercased. A query word becomes its own pieces (the whole run up to three
  characters, else overlapping trigrams), so every record that contains the word contains all its
  pieces: recall is exact by construction, and needs no word segmentation on either side.
* **Postings carry record numbers only, no positions**: sorted, delta-coded lists, which gzip to
  well under a byte per entry when a word is common. Records are numbered newest policy first.
  Each token lists the measures containing it, the measures whose *title* contains it (ranked
  first), and the other pages.
* **Tokens are hashed into shards** (``s/<n>.json.gz``, about 16 KB each before gzip); a token whose
  lists are long gets a file of its own (``t/<hash>.json.gz``), so a query fetches one shard per
  piece and only the long lists it needs.
* **What a result shows** (title, place, policy, year, the text its excerpt comes from) is in
  ``f/<group>.json.gz``, eight records a file, fetched only for the results on screen. The browser
  checks there that the record really contains the words (pieces found apart would otherwise
  count), so a result is never shown for a near miss.
* **Facets** (省份, 地区, 主题, 文种, 年份) are one table, ``facets.json.gz``: each policy's values
  and each measure's themes, loaded after the first results are on screen.

Each measure is one record, made from the data (the title, summary and quotes its policy page
shows), linking to ``policies/<policy>/#<measure>``; a measure therefore appears once, however
many pages list it. The other pages are records made from the data too (policies, regions,
themes, topics, glossary terms and the fixed pages): their titles and descriptions, never the
measure lists they repeat.

The JS side, the search box in the header, is docs/assets/atlas-search.js; ``search()`` below is
the same lookup in Python, for tests and the benchmark.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import operator
import re
import resource
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.catalog import Catalogue, MeasureRef, policy_date, policy_year
from generator.site import urls
from generator.site.render import page_url

OUTPUT = "search"  # the index's folder in the site
FORMAT = 1  # the layout of the files below; atlas-search.js refuses another
GROUP = 8  # records per fragment file
SHARD_BYTES = 16_000  # the size a shard aims at, before gzip
OWN_FILE_BYTES = 2_000  # a token whose lists are longer than this gets its own file
MAX_GRAM = 3

# Facet names as the reader sees them next to the results, in that order.
F_PROVINCE, F_REGION, F_THEME, F_DOCTYPE, F_YEAR = "省份", "地区", "主题", "文种", "年份"
FACETS = [F_PROVINCE, F_REGION, F_THEME, F_DOCTYPE, F_YEAR]

KIND_MEASURE, KIND_PAGE = "measure", "page"


@dataclass(frozen=True)
class Record:
    """One search result: where it links, what its line shows, and the text that is searched."""

    url: str  # site-absolute, as the search box links it: /policies/x/#m04
    kind: str
    title: str
    text: str  # searched, and the excerpt's source; the title is part of it
    place: str = ""
    policy: str = ""
    year: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)


# --------------------------------------------------------------------------- records


def measure_record(cat: Catalogue, ref: MeasureRef) -> Record:
    policy, m = ref.policy, ref.measure
    region = cat.regions[policy.region].name
    province_id = cat.province_of(policy.region)
    province = cat.regions[province_id].name if province_id in cat.regions else region
    year = policy_year(policy)
    return Record(
        url=f"/policies/{policy.id}/#{m.id}",
        kind=KIND_MEASURE,
        title=f"{m.section} {m.title}",
        text="\n".join([m.title, m.summary, *m.quotes]),
        place=region if province == region else f"{province} · {region}",
        policy=policy.short_title,
        year=year,
        facets={
            F_PROVINCE: [province],
            F_REGION: [region],
            F_THEME: [cat.themes[t].name for t in m.themes if t in cat.themes],
            F_DOCTYPE: [policy.doc_type.value],
            F_YEAR: [year],
        },
    )


def _url(src: str, anchor: str = "") -> str:
    """The URL MkDocs gives a page source (directory URLs), site-absolute."""
    return "/" + page_url(src, directory_urls=True) + (f"#{anchor}" if anchor else "")


def page_records(cat: Catalogue) -> list[Record]:
    """The pages a reader may look for by name: what each says of itself, not the measures it lists."""
    out = []
    for pid in _newest_first(cat):
        p = cat.policies[pid]
        text = [p.title, p.short_title, p.doc_number or "", *p.issuers, p.summary or ""]
        out.append(
            Record(
                url=_url(urls.policy_src(pid)),
                kind=KIND_PAGE,
                title=p.title,
                text="\n".join(t for t in text if t),
                place=cat.regions[p.region].name if p.region in cat.regions else "",
                year=policy_year(p),
            )
        )
    for tid in cat.theme_order:
        theme = cat.themes[tid]
        out.append(
            Record(_url(urls.theme_src(tid)), KIND_PAGE, f"主题：{theme.name}", f"{theme.name}\n{theme.description}")
        )
        for topic_id in cat.topics_by_theme.get(tid, []):
            topic = cat.topics[topic_id]
            out.append(
                Record(
                    _url(urls.theme_src(tid), urls.topic_anchor(topic_id)),
                    KIND_PAGE,
                    f"{theme.name} › {topic.name}",
                    f"{topic.name}\n{topic.description}",
                )
            )
    for term in cat.glossary.values():
        words = [term.term, *term.aliases, term.en or "", term.definition]
        out.append(
            Record(_url(urls.GLOSSARY_SRC, term.id), KIND_PAGE, f"术语：{term.term}", "\n".join(w for w in words if w))
        )
    for rid in cat.region_order:
        region = cat.regions[rid]
        if cat.policies_by_region.get(rid):
            out.append(Record(_url(urls.region_src(rid)), KIND_PAGE, region.name, f"{region.name}\n{region.name_en}"))
    fixed = [
        (urls.POLICIES_SRC, "政策文件一览"),
        (urls.COMPARE_SRC, "对照"),
        (urls.TARGETS_SRC, "目标对照"),
        (urls.MONEY_SRC, "奖补金额对照"),
        (urls.CUSTOM_COMPARE_SRC, "自选对照"),
        (urls.GLOSSARY_SRC, "术语表"),
        (urls.DOWNLOADS_SRC, "下载"),
        (urls.CONTRIBUTE_SRC, "参与贡献"),
        (urls.ABOUT_SRC, "关于"),
    ]
    out.extend(Record(_url(src), KIND_PAGE, title, title) for src, title in fixed)
    return out


def _newest_first(cat: Catalogue) -> list[str]:
    """Policies newest first: the order results are listed in (undated ones last). The catalogue's
    policy order is by date, then id, so its reverse is newest first."""
    newest = cat.policy_order[::-1]
    return [p for p in newest if policy_date(cat.policies[p])] + [
        p for p in cat.policy_order if not policy_date(cat.policies[p])
    ]


def measure_records(cat: Catalogue) -> list[Record]:
    return [measure_record(cat, ref) for pid in _newest_first(cat) for ref in cat.by_policy.get(pid, [])]


# --------------------------------------------------------------------------- tokens

_RUN = re.compile(r"[^\W_]+")  # letters, digits and Han characters; punctuation and spaces cut runs


def grams(text: str) -> set[str]:
    """Every 1-, 2- and 3-character piece (MAX_GRAM) of every run: what a record is found by."""
    out: set[str] = set()
    add = operator.add  # pieces made by C-level maps, not a Python loop: the index's hottest code
    for run in _RUN.findall(text.lower()):
        out.update(run)
        if len(run) > 1:
            pairs = list(map(add, run, run[1:]))
            out.update(pairs)
            out.update(map(add, pairs, run[2:]))
    return out


def query_pieces(word: str) -> list[str]:
    """The pieces a record containing ``word`` must contain: each run whole up to three characters,
    else trigrams overlapping by one character (every character covered, neighbours tied)."""
    out: list[str] = []
    for run in _RUN.findall(word.lower()):
        n = len(run)
        if n <= MAX_GRAM:
            out.append(run)
        else:
            starts = list(range(0, n - MAX_GRAM + 1, MAX_GRAM - 1))
            if starts[-1] != n - MAX_GRAM:
                starts.append(n - MAX_GRAM)
            out.extend(run[i : i + MAX_GRAM] for i in starts)
    return list(dict.fromkeys(out))


def fnv1a(token: str) -> int:
    """32-bit FNV-1a of the token's UTF-8 bytes: the shard a token is in (the browser computes the same)."""
    h = 0x811C9DC5
    for byte in token.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def deltas(ids: list[int]) -> list[int]:
    return list(map(operator.sub, ids, [0, *ids[:-1]]))


def undelta(values: list[int]) -> list[int]:
    out, total = [], 0
    for v in values:
        total += v
        out.append(total)
    return out


# --------------------------------------------------------------------------- the files


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _postings(records: list[Record], title_only: bool = False) -> dict[str, list[int]]:
    lists: dict[str, list[int]] = {}
    get = lists.get
    for number, rec in enumerate(records):
        for token in grams(rec.title if title_only else rec.text):
            found = get(token)
            if found is None:
                lists[token] = [number]
            else:
                found.append(number)
    return lists


def _facet_table(measures: list[Record]) -> dict:
    """Each policy's facet values once, and each measure's policy and themes: the browser counts
    and filters any set of results from this without fetching them."""
    values: dict[str, list[str]] = {
        name: sorted({v for r in measures for v in r.facets.get(name, [])}) for name in FACETS
    }
    index = {name: {v: i for i, v in enumerate(vals)} for name, vals in values.items()}
    per_policy = [F_PROVINCE, F_REGION, F_DOCTYPE, F_YEAR]
    policies: list[list[int]] = []
    runs: list[int] = []  # measures per policy, in record order
    last: tuple | None = None
    for rec in measures:
        key = (rec.url.split("#")[0],) + tuple(rec.facets[name][0] for name in per_policy)
        if key != last:
            policies.append([index[name][rec.facets[name][0]] for name in per_policy])
            runs.append(0)
            last = key
        runs[-1] += 1
    themes = [sorted(index[F_THEME][t] for t in r.facets.get(F_THEME, [])) for r in measures]
    return {"values": values, "per_policy": per_policy, "policies": policies, "runs": runs, "themes": themes}


def build_files(measures: list[Record], pages: list[Record]) -> dict[str, bytes]:
    """The whole index as file path → bytes (paths relative to site/search/)."""
    body = _postings(measures)
    titles = _postings(measures, title_only=True)
    other = _postings(pages)
    tokens = sorted(set(body) | set(other))
    entries: dict[str, list[list[int]]] = {
        t: [deltas(body.get(t, [])), deltas(titles.get(t, [])), deltas(other.get(t, []))] for t in tokens
    }
    files: dict[str, bytes] = {}
    light: dict[str, bytes] = {}
    for token, entry in entries.items():
        raw = _json(entry)
        if len(raw) > OWN_FILE_BYTES:
            name = "t/" + hashlib.blake2b(token.encode("utf-8"), digest_size=6).hexdigest() + ".json.gz"
            files[name] = raw
            light[token] = _json(name)
        else:
            light[token] = raw
    total = sum(len(t.encode("utf-8")) + len(v) + 4 for t, v in light.items())
    shards = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_BYTES))))
    grouped: dict[int, list[str]] = defaultdict(list)
    for token in light:
        grouped[fnv1a(token) % shards].append(token)
    for n in range(shards):
        parts = [_json(t) + b":" + light[t] for t in sorted(grouped.get(n, []))]
        files[f"s/{n}.json.gz"] = b"{" + b",".join(parts) + b"}"
    for kind, recs in (("m", measures), ("p", pages)):
        for start in range(0, len(recs), GROUP):
            files[f"f/{kind}{start // GROUP}.json.gz"] = _json([_fragment(r) for r in recs[start : start + GROUP]])
    files["facets.json.gz"] = _json(_facet_table(measures))
    digest = hashlib.blake2b(digest_size=8)
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    meta = {
        "format": FORMAT,
        "version": digest.hexdigest(),
        "shards": shards,
        "group": GROUP,
        "measures": len(measures),
        "pages": len(pages),
        "max_gram": MAX_GRAM,
        "facets": FACETS,
    }
    # Stored gzipped (the browser inflates them with DecompressionStream): a quarter of the disk,
    # and the same bytes on the wire whether or not the server compresses. meta.json stays plain.
    files = {name: gzip.compress(data, compresslevel=6, mtime=0) for name, data in files.items()}
    files["meta.json"] = _json(meta)
    return files


def _fragment(rec: Record) -> dict:
    out = {"url": rec.url, "kind": rec.kind, "title": rec.title, "text": rec.text}
    out.update({k: v for k, v in (("place", rec.place), ("policy", rec.policy), ("year", rec.year)) if v})
    return out


def write_index(cat: Catalogue, site: Path) -> dict:
    """Index the catalogue into ``site/search/`` (replacing what is there)."""
    started = _cpu()
    measures, pages = measure_records(cat), page_records(cat)
    files = build_files(measures, pages)
    out = site / OUTPUT
    if out.exists():
        shutil.rmtree(out)
    for name in sorted(files):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])
    return {"pages": len(pages), "records": len(measures), "files": len(files), "cpu_s": round(_cpu() - started, 3)}


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


# --------------------------------------------------------------------------- reading it back


class Index:
    """The written index, read the way the search box reads it: for tests and the benchmark."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    def _file(self, name: str) -> Any:
        return json.loads(gzip.decompress((self.folder / name).read_bytes()))

    def entry(self, token: str) -> list[list[int]]:
        shard = self._file(f"s/{fnv1a(token) % self.meta['shards']}.json.gz")
        assert isinstance(shard, dict)
        found = shard.get(token)
        if isinstance(found, str):
            found = self._file(found)
        return [undelta(part) for part in found] if found else [[], [], []]

    def fragments(self, kind: str) -> list[dict]:
        """Every record of a kind ("m" measures, "p" pages), in record order."""
        count = self.meta["measures" if kind == "m" else "pages"]
        out: list[dict] = []
        for group in range(math.ceil(count / self.meta["group"])):
            chunk = self._file(f"f/{kind}{group}.json.gz")
            assert isinstance(chunk, list)
            out.extend(chunk)
        return out


def search(index: Index, query: str) -> tuple[list[str], list[str]]:
    """(measure URLs, page URLs) a query finds, in the order the search box lists them."""
    words = [w for w in query.replace('"', " ").replace("“", " ").replace("”", " ").split() if query_pieces(w)]
    if not words:
        return [], []
    found: dict[str, list[str]] = {}
    title_hits: set[int] | None = None
    for kind, part in (("m", 0), ("p", 2)):
        ids: set[int] | None = None
        for word in words:
            for piece in query_pieces(word):
                entry = index.entry(piece)
                ids = set(entry[part]) if ids is None else ids & set(entry[part])
                if kind == "m":
                    title_ids = set(entry[1])
                    title_hits = title_ids if title_hits is None else title_hits & title_ids
        records = index.fragments(kind)
        hits = sorted(i for i in (ids or set()) if all(w.lower() in records[i]["text"].lower() for w in words))
        if kind == "m" and title_hits is not None:
            hits.sort(key=lambda i: i not in title_hits)
        found[kind] = [records[i]["url"] for i in hits]
    return found["m"], found["p"]
