"""Downloads: the whole dataset as JSON, every comparison table as CSV, the schema, the archives.

Output is deterministic (sorted keys, fixed orderings, no timestamps; the two ZIP archives have a
fixed date and fixed modes), so two builds of the same data give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable

from generator.core import models
from generator.core.catalog import Catalogue, policy_year
from generator.core.dataset import jsonable
from generator.core.schema import schema_text
from generator.core.values import format_yuan, target_amount
from generator.site import urls

# A spreadsheet runs a cell as a formula when it starts with = + - @ — also after leading spaces or line
# breaks, and with the full-width ＝＋－＠ that Chinese input methods type. Tab and CR start DDE tricks.
_FORMULA = re.compile(r"^(?:[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20])")
# Excel and LibreOffice hold at most 32,767 characters in a cell and cut (or refuse) the rest silently.
# Longer cells (many quotes of one measure, many measures of one region and topic) are cut here, visibly;
# the whole text is in atlas.json (inside atlas.json.zip).
MAX_CELL = 32_767
CUT_MARK = "…［已截断：单元格超过 32767 字符，全文见 atlas.json.zip］"
# Every member of the ZIP downloads gets this date (the earliest a ZIP can hold) and these modes, so the
# archive depends only on its content, not on when or where it was built.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o644


def _cell(value: object) -> str:
    """CSV cell text: a leading formula is neutralised, so spreadsheets do not execute data; cut to fit a cell."""
    text = "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if _FORMULA.match(text):
        text = "'" + text
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - len(CUT_MARK)] + CUT_MARK
    return text


def to_csv(header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([_cell(h) for h in header])  # a theme CSV's header is its region names: data too
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: spreadsheets then read the Chinese correctly


def atlas_json(cat: Catalogue) -> bytes:
    policies = []
    for pid in cat.policy_order:
        policy = cat.policies[pid]
        record = jsonable(policy)
        for m in record["measures"]:
            m["quote"] = "……".join(m["quotes"])
        for kind in ("targets", "statistics", "amounts"):
            record[kind] = [dict(item, measure=m["id"]) for m in record["measures"] for item in m[kind]]
        record["source"]["archive"] = f"data/sources/{pid}.txt"
        policies.append(record)
    data = {
        "name": "技能人才政策对照 Skills Policy Atlas",
        "counts": cat.counts(),
        "policies": policies,
        "regions": [jsonable(cat.regions[r]) for r in cat.region_order],
        "themes": [jsonable(cat.themes[t]) for t in cat.theme_order],
        "topics": [jsonable(cat.topics[t]) for t in cat.topic_order],
        "metrics": [jsonable(cat.metrics[m]) for m in cat.metrics],
        "glossary": [jsonable(cat.glossary[g]) for g in sorted(cat.glossary)],
        "external_references": [
            {
                "id": d.slug,
                "title": d.title,
                "doc_number": d.doc_number,
                "issuer": d.issuer,
                "url": d.url,
                "cited_by": [p for p, _ in d.cited_by],
            }
            for d in cat.external.values()
        ],
    }
    # No indent: json's C encoder only writes compact JSON, and the indented form took four times
    # as long (0.6 s at 1,000 policies). Readers load it with a JSON library, not by eye.
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _region(cat: Catalogue, rid: str) -> str:
    return cat.regions[rid].name if rid in cat.regions else rid


def theme_csv(cat: Catalogue, theme_id: str) -> bytes:
    """The side-by-side table: rows = topics, columns = regions, cells = the measures."""
    regions = cat.regions_in_theme(theme_id)
    rows = []
    for topic_id in cat.topics_by_theme.get(theme_id, []):
        cells = [
            "; ".join(
                f"{r.measure.title}（{r.policy.short_title} {r.measure.section}）"
                for r in cat.by_topic_region.get((topic_id, rid), [])
            )
            for rid in regions
        ]
        if any(cells):
            rows.append([cat.topics[topic_id].name, *cells])
    return to_csv(["议题", *[_region(cat, r) for r in regions]], rows)


def targets_csv(cat: Catalogue) -> bytes:
    header = [
        "metric",
        "指标",
        "region",
        "地区",
        "value",
        "unit",
        "显示",
        "comparator",
        "deadline",
        "period",
        "scope",
        "policy",
        "measure",
        "section",
        "quote",
        "value_max",
        "fraction",
        "change",
    ]
    # 显示 is the value as printed (1/3, 2–3个百分点, 提高5个百分点); value is its number (1/3 → 33.33…),
    # for sorting and charts. The columns added for those forms come last, so older readers still work.
    rows = [
        [
            t.target.metric,
            cat.metrics[t.target.metric].name if t.target.metric in cat.metrics else "",
            t.ref.policy.region,
            _region(cat, t.ref.policy.region),
            t.target.value,
            t.target.unit.value,
            target_amount(t.target),
            t.target.comparator.value,
            t.target.deadline,
            t.target.period.value if t.target.period else "",
            t.target.scope,
            t.ref.policy.id,
            t.ref.measure.id,
            t.ref.measure.section,
            t.target.quote,
            t.target.value_max,
            t.target.fraction,
            t.target.change.value if t.target.change else "",
        ]
        for t in cat.targets
    ]
    return to_csv(header, rows)


def amounts_csv(cat: Catalogue, prizes: bool) -> bytes:
    header = [
        "yuan",
        "显示",
        "kind",
        "tier",
        "rank",
        "up_to",
        "per",
        "recipient",
        "condition",
        "region",
        "地区",
        "policy",
        "year",
        "measure",
        "section",
        "quote",
    ]
    rows = [
        [
            a.amount.yuan,
            format_yuan(a.amount.yuan),
            a.amount.kind.value,
            a.amount.tier.value if a.amount.tier else "",
            a.amount.rank,
            a.amount.up_to,
            a.amount.per,
            a.amount.recipient,
            a.amount.condition,
            a.ref.policy.region,
            _region(cat, a.ref.policy.region),
            a.ref.policy.id,
            policy_year(a.ref.policy),
            a.ref.measure.id,
            a.ref.measure.section,
            a.amount.quote,
        ]
        for a in cat.amounts
        if (a.amount.kind is models.AmountKind.prize) == prizes
    ]
    return to_csv(header, rows)


def policies_csv(cat: Catalogue) -> bytes:
    header = [
        "id",
        "title",
        "short_title",
        "doc_type",
        "doc_number",
        "region",
        "地区",
        "issuers",
        "signed",
        "published",
        "status",
        "measures",
        "source_url",
    ]
    rows = []
    for pid in cat.policy_order:
        p = cat.policies[pid]
        rows.append(
            [
                pid,
                p.title,
                p.short_title,
                p.doc_type.value,
                p.doc_number,
                p.region,
                _region(cat, p.region),
                "、".join(p.issuers),
                p.dates.signed,
                p.dates.published,
                p.status.value,
                len(p.measures),
                next((link.url for link in p.source.links()), None),
            ]
        )
    return to_csv(header, rows)


def measures_csv(cat: Catalogue) -> bytes:
    header = ["policy", "measure", "section", "title", "region", "themes", "topics", "summary", "agencies", "quote"]
    rows = [
        [
            r.policy.id,
            r.measure.id,
            r.measure.section,
            r.measure.title,
            r.policy.region,
            " ".join(r.measure.themes),
            " ".join(r.measure.topics),
            r.measure.summary,
            "、".join(r.measure.agencies),
            "……".join(r.measure.quotes),
        ]
        for r in cat.measures
    ]
    return to_csv(header, rows)


def zipped(name: str, data: bytes) -> bytes:
    """A ZIP archive holding one file, ``name``; byte-identical whenever ``data`` is."""
    return archive([(name, data)])


def archive(members: list[tuple[str, bytes]]) -> bytes:
    """A ZIP archive of ``members`` (name, content) in the order given; byte-identical whenever they are."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so external_attr holds the file mode (and not the building system's)
            info.external_attr = ZIP_MODE << 16
            zf.writestr(info, data, compresslevel=6)  # 9 was 30% slower for 0.5% less
    return buf.getvalue()


def download_files(cat: Catalogue) -> dict[str, tuple[bytes, str]]:
    """Every downloadable file: site path → (content, description shown on /downloads/)."""
    files: dict[str, tuple[bytes, str]] = {
        urls.ATLAS_ZIP: (
            zipped(urls.zip_member(urls.ATLAS_ZIP), atlas_json(cat)),
            "全部数据（政策、条款、目标、统计、金额、词表）：ZIP 压缩包，内含一个 JSON 文件 atlas.json。",
        ),
        urls.POLICIES_CSV: (policies_csv(cat), "政策文件一览，CSV。"),
        urls.MEASURES_ZIP: (
            zipped(urls.zip_member(urls.MEASURES_ZIP), measures_csv(cat)),
            "全部条款（主题、议题、摘要、引文）：ZIP 压缩包，内含一个 CSV 文件 measures.csv。",
        ),
        urls.TARGETS_CSV: (targets_csv(cat), "目标对照（指标 × 地区），CSV。"),
        urls.PRIZES_CSV: (amounts_csv(cat, prizes=True), "竞赛奖金（等级 × 名次 × 地区），CSV。"),
        urls.OTHER_AMOUNTS_CSV: (amounts_csv(cat, prizes=False), "补贴、津贴与奖励（类别 × 地区），CSV。"),
        "downloads/schema/policy.schema.json": (
            schema_text("policy.schema.json").encode("utf-8"),
            "政策文件的 JSON Schema（编辑器校验用）。",
        ),
    }
    for tid in cat.theme_order:
        files[urls.theme_csv(tid)] = (theme_csv(cat, tid), f"“{cat.themes[tid].name}”地区对照表，CSV。")
    # The archived source texts, byte for byte, in one archive: at 5,000 policies 5,000 files and 36 MB
    # beside the source pages that show each text in full (8 MB zipped).
    sources = [
        (urls.source_member(pid), cat.data.sources[pid].original.encode("utf-8"))
        for pid in sorted(cat.policy_order)
        if pid in cat.data.sources
    ]
    if sources:
        files[urls.SOURCES_ZIP] = (
            archive(sources),
            "全部存档原文：ZIP 压缩包，每份政策文件一个 UTF-8 文本（sources/<政策编号>.txt），逐字保存。",
        )
    return files
