"""Synthetic atlases at scale, for the benchmark (``bench/run.py``) — not test data.

``make_atlas(root, n)`` writes a complete, *valid* project under ``root``: a
``data/`` folder with ``n`` policies spread over a region tree shaped like
China's (31 provinces, up to 333 prefecture cities and ~2,800 counties, with
GB/T 2260-like codes), their archived source texts, the real vocabularies
(themes, topics, metrics, glossary, wording) copied from this repository, and
the repository's ``mkdocs.yml``, ``docs/``, ``overrides/`` and
``CONTRIBUTING.md``, so that ``mkdocs build`` and ``python -m generator
validate`` run on it exactly as on the real atlas.

Why the text is generated the way it is: the search plugin's Chinese
segmentation dominates the build, and its cost depends on how much text
repeats. Sentences are therefore produced by a word-bigram chain trained on
the real archived sources (segmented with jieba), so they read like policy
language but are mostly *new* clause by clause, instead of real clauses
reshuffled (which would repeat far more than real documents do and flatter
any cache). Numbers are woven in where targets, statistics and amounts need
them, and every quote is cut from the generated source text, so the
validator's quote and number checks pass for real.

Usage: ``python bench/synth.py --n 1000 --out /tmp/atlas-1000``.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import random
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.contrib import fmt  # noqa: E402
from generator.core import models  # noqa: E402
from generator.core.load import load_text  # noqa: E402

VOCABULARIES = ["themes.yaml", "topics.yaml", "metrics.yaml", "glossary.yaml", "wording.yaml"]
PROJECT_FILES = ["mkdocs.yml", "CONTRIBUTING.md"]
PROJECT_DIRS = ["docs", "overrides"]
POLICIES_PER_REGION = 1 / 0.64  # 5,000 policies ≈ every region of the country once or twice

# (id, name, English name, two-digit code, prefecture cities, county-level units when a municipality)
PROVINCES: list[tuple[str, str, str, str, int, int]] = [
    ("beijing", "北京市", "Beijing", "11", 0, 16),
    ("tianjin", "天津市", "Tianjin", "12", 0, 16),
    ("hebei", "河北省", "Hebei", "13", 11, 0),
    ("shanxi", "山西省", "Shanxi", "14", 11, 0),
    ("neimenggu", "内蒙古自治区", "Inner Mongolia", "15", 12, 0),
    ("liaoning", "辽宁省", "Liaoning", "21", 14, 0),
    ("jilin", "吉林省", "Jilin", "22", 9, 0),
    ("heilongjiang", "黑龙江省", "Heilongjiang", "23", 13, 0),
    ("shanghai", "上海市", "Shanghai", "31", 0, 16),
    ("jiangsu", "江苏省", "Jiangsu", "32", 13, 0),
    ("zhejiang", "浙江省", "Zhejiang", "33", 11, 0),
    ("anhui", "安徽省", "Anhui", "34", 16, 0),
    ("fujian", "福建省", "Fujian", "35", 9, 0),
    ("jiangxi", "江西省", "Jiangxi", "36", 11, 0),
    ("shandong", "山东省", "Shandong", "37", 16, 0),
    ("henan", "河南省", "Henan", "41", 17, 0),
    ("hubei", "湖北省", "Hubei", "42", 13, 0),
    ("hunan", "湖南省", "Hunan", "43", 14, 0),
    ("guangdong", "广东省", "Guangdong", "44", 21, 0),
    ("guangxi", "广西壮族自治区", "Guangxi", "45", 14, 0),
    ("hainan", "海南省", "Hainan", "46", 4, 0),
    ("chongqing", "重庆市", "Chongqing", "50", 0, 38),
    ("sichuan", "四川省", "Sichuan", "51", 21, 0),
    ("guizhou", "贵州省", "Guizhou", "52", 9, 0),
    ("yunnan", "云南省", "Yunnan", "53", 16, 0),
    ("xizang", "西藏自治区", "Tibet", "54", 7, 0),
    ("shaanxi", "陕西省", "Shaanxi", "61", 10, 0),
    ("gansu", "甘肃省", "Gansu", "62", 14, 0),
    ("qinghai", "青海省", "Qinghai", "63", 8, 0),
    ("ningxia", "宁夏回族自治区", "Ningxia", "64", 5, 0),
    ("xinjiang", "新疆维吾尔自治区", "Xinjiang", "65", 14, 0),
]
COUNTIES_PER_CITY = 8.3  # ≈ 2,760 county-level units under 333 prefecture cities
MAX_COUNTIES_PER_CITY = 30

NAME_CHARS = (
    "安平阳江山河东西南北新宁德兴永康泰和丰华清源长宝昌明嘉庆隆光临武林兰川城原沙"
    "桂梅松柏云海湖岳溪峰津阜庐湘泉汉鹤凤龙金玉石怀济通远广乐定化州义"
)
NATIONAL_REFS = [
    ("关于加强新时代高技能人才队伍建设的意见", "中办发〔2022〕58号", "中共中央办公厅、国务院办公厅"),
    ("关于推行终身职业技能培训制度的意见", "国发〔2018〕11号", "国务院"),
    ("关于深化技能人才评价制度改革的意见", "人社部发〔2019〕90号", "人力资源社会保障部"),
    ("“技能中国行动”实施方案", "人社部发〔2021〕48号", "人力资源社会保障部"),
    ("关于健全完善新时代技能人才职业技能等级制度的意见（试行）", "人社部发〔2022〕14号", "人力资源社会保障部"),
    ("职业技能提升行动方案（2019—2021年）", "国办发〔2019〕24号", "国务院办公厅"),
    ("关于进一步加强高技能人才与专业技术人才职业发展贯通的实施意见", "人社部发〔2020〕96号", "人力资源社会保障部"),
    ("全国职业技能竞赛管理办法", None, "人力资源社会保障部"),
]
AGENCIES = [
    "人社局",
    "教育局",
    "财政局",
    "工信局",
    "发展改革委",
    "国资委",
    "总工会",
    "科技局",
    "农业农村局",
    "委组织部",
]
DOC_SLUGS = [
    "high-skilled-talent",
    "skills-training",
    "skill-evaluation",
    "skills-competitions",
    "skilled-pay",
    "technical-schools",
    "apprenticeship",
    "skills-action",
    "talent-measures",
]
TITLE_TOPICS = [
    "加强新时代高技能人才队伍建设",
    "推行终身职业技能培训制度",
    "深化技能人才评价制度改革",
    "加强职业技能竞赛工作",
    "提高技术工人待遇",
    "推动技工教育高质量发展",
    "全面推行企业新型学徒制",
    "实施“技能中国行动”",
    "支持技能人才创新创业",
    "健全职业技能等级制度",
]
PARTS = "一二三四五六七八"
PRIZE_TIERS = ["world", "national-class-1", "national-class-2", "provincial-class-1", "provincial-class-2", "city"]
SCOPE_WORD = {"national": "全国", "province": "全省", "prefecture": "全市", "county": "全县"}
AGENCY_PREFIX = {"national": "国家", "province": "省", "prefecture": "市", "county": "县"}


# --------------------------------------------------------------------------- text


class PhraseModel:
    """A word-bigram chain over the real archived sources: plausible, mostly new policy clauses."""

    _CLAUSE = re.compile(r"[\u4e00-\u9fff“”]{4,}")

    def __init__(self, texts: list[str]):
        import jieba

        jieba.setLogLevel(60)
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for text in texts:
            for clause in self._CLAUSE.findall(text):
                words = [w for w in jieba.lcut(clause.replace("“", "").replace("”", ""), HMM=False) if w]
                if len(words) < 2:
                    continue
                self.starts.append(words[0])
                for a, b in itertools.pairwise(words):
                    self.next[a].append(b)
                self.next[words[-1]].append("")  # a clause may end here
        self.starts.sort()
        for key in self.next:
            self.next[key].sort()

    def clause(self, rng: random.Random, low: int = 6, high: int = 22) -> str:
        for _ in range(20):
            word = rng.choice(self.starts)
            out = [word]
            length = len(word)
            while length < high:
                choices = self.next.get(word)
                if not choices:
                    break
                word = rng.choice(choices)
                if not word:
                    if length >= low:
                        break
                    continue
                out.append(word)
                length += len(word)
            text = "".join(out)[:high]
            if len(text) >= low:
                return text
        return "加强技能人才队伍建设"

    def sentence(self, rng: random.Random, clauses: tuple[int, int] = (2, 5)) -> str:
        return "，".join(self.clause(rng) for _ in range(rng.randint(*clauses))) + "。"


def real_texts(repo: Path) -> list[str]:
    """The Simplified-script archives (a Traditional one would mix scripts in the generated text)."""
    texts = []
    for path in sorted((repo / "data" / "sources").glob("*.txt")):
        policy = repo / "data" / "policies" / f"{path.stem}.yaml"
        if policy.is_file() and "script: zh-Hant" in policy.read_text(encoding="utf-8"):
            continue
        texts.append(path.read_text(encoding="utf-8"))
    return texts


# --------------------------------------------------------------------------- regions


@dataclass
class Region:
    id: str
    name: str
    name_en: str
    level: str
    code: str
    parent: str | None
    scope: str = ""
    policies: list[str] = field(default_factory=list)


def _names(rng: random.Random, count: int, suffix: str, taken: set[str]) -> list[str]:
    out = []
    while len(out) < count:
        name = rng.choice(NAME_CHARS) + rng.choice(NAME_CHARS) + suffix
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def make_regions(n: int, rng: random.Random) -> list[Region]:
    """The region tree for ``n`` policies: about 0.64 regions per policy, the whole country at 5,000."""
    share = min(1.0, n / 5000)
    wanted = max(8, round(n / POLICIES_PER_REGION))
    provinces = list(PROVINCES)
    rng.shuffle(provinces)
    provinces = provinces[: max(3, min(31, round(31 * math.sqrt(share))))]
    provinces.sort(key=lambda p: p[3])
    regions = [Region("china", "全国", "China (national)", "national", "100000", None)]
    taken: set[str] = set()
    county_parents: list[tuple[Region, int]] = []  # (parent, capacity)
    for pid, name, name_en, code, cities, districts in provinces:
        province = Region(pid, name, name_en, "province", f"{code}0000", "china")
        regions.append(province)
        if districts:  # a municipality: districts and counties sit directly under it
            county_parents.append((province, districts))
            continue
        for k, city_name in enumerate(_names(rng, math.ceil(cities * math.sqrt(share)), "市", taken), start=1):
            city = Region(f"{pid}-c{k:02d}", city_name, f"{name_en} city {k}", "prefecture", f"{code}{k:02d}00", pid)
            regions.append(city)
            county_parents.append((city, MAX_COUNTIES_PER_CITY))
    counties_left = max(0, wanted - len(regions))
    counts = {id(parent): 0 for parent, _ in county_parents}
    while counties_left > 0:
        placed = False
        for parent, capacity in county_parents:
            if counties_left and counts[id(parent)] < capacity:
                counts[id(parent)] += 1
                counties_left -= 1
                placed = True
        if not placed:
            break
    for parent, _ in county_parents:
        base = parent.code[:2] + ("01" if parent.level == "province" else parent.code[2:4])
        for k, county_name in enumerate(_names(rng, counts[id(parent)], rng.choice("县区"), taken), start=1):
            regions.append(
                Region(
                    f"{parent.id}-x{k:02d}",
                    county_name,
                    f"{parent.name_en} county {k}",
                    "county",
                    f"{base}{k:02d}",
                    parent.id,
                )
            )
    for region in regions:
        region.scope = SCOPE_WORD[region.level]
    return regions


def assign_policies(regions: list[Region], n: int, rng: random.Random) -> list[str]:
    """One policy per region first (national gets a few), then the rest weighted towards higher levels."""
    weights = {"national": 0, "province": 6, "prefecture": 2, "county": 1}
    national = max(1, round(n / 500))
    slots = ["china"] * national
    others = [r for r in regions if r.level != "national"]
    slots += [r.id for r in others][: max(0, n - national)]
    extra = n - len(slots)
    if extra > 0:
        slots += rng.choices([r.id for r in others], weights=[weights[r.level] for r in others], k=extra)
    return slots


# --------------------------------------------------------------------------- numbers in text


def _wan(tenths: int) -> str:
    return f"{tenths / 10:g}万"


def _stated_value(rng: random.Random, unit: str) -> tuple[float, str]:
    """A random value in the metric's unit and the way a document would write it (万 for large counts)."""
    if unit == "percent":
        value: float = rng.randint(5, 60)
        return value, f"{value:g}%"
    if unit in ("persons", "person-times"):
        tenths = rng.randint(5, 3000)
        return tenths * 1000, _wan(tenths) + ("人" if unit == "persons" else "人次")
    if unit == "yuan":
        wan = rng.randint(10, 5000)
        return wan * 10000, f"{wan}万元"
    value = rng.randint(2, 400)
    return value, f"{value:g}个"


def target_sentence(rng: random.Random, metric: models.Metric, scope: str) -> tuple[str, dict]:
    """A target clause and the target record it states."""
    comparator = rng.choice(["exactly", "about", "at-least"])
    suffix = {"exactly": "", "about": "左右", "at-least": "以上"}[comparator]
    deadline = rng.choice([2022, 2023, 2024, 2025, 2027, 2030])
    period = "十四五" if deadline <= 2025 else "十五五"
    unit = metric.unit.value
    value, stated = _stated_value(rng, unit)
    quote = f"到{deadline}年，{scope}{metric.name}达到{stated}{suffix}"
    record = {
        "metric": metric.id,
        "value": value,
        "unit": unit,
        "comparator": comparator,
        "deadline": deadline,
        "period": period,
        "scope": scope,
        "quote": quote,
    }
    return quote, record


def statistic_sentence(rng: random.Random, metric: models.Metric, scope: str) -> tuple[str, dict]:
    year = rng.randint(2015, 2023)
    unit = metric.unit.value
    value, stated = _stated_value(rng, unit)
    quote = f"截至{year}年底，{scope}{metric.name}{stated}"
    return quote, {
        "metric": metric.id,
        "value": value,
        "unit": unit,
        "as_of": f"{year}-12",
        "scope": scope,
        "quote": quote,
    }


def prize_sentence(rng: random.Random) -> tuple[str, list[dict]]:
    tier = rng.choice(PRIZE_TIERS)
    label = models.TIER_LABELS[tier]
    top = rng.choice([3, 5, 8, 10, 20, 30])
    wan = [top, max(1, top * 7 // 10), max(1, top // 2)]
    quote = f"对获得{label}第一名、第二名、第三名的选手，分别给予{wan[0]}万元、{wan[1]}万元、{wan[2]}万元奖励"
    return quote, [
        {
            "yuan": w * 10000,
            "kind": "prize",
            "recipient": "选手",
            "condition": f"获得{label}第{rank}名",
            "tier": tier,
            "rank": rank,
            "quote": quote,
        }
        for rank, w in enumerate(wan, start=1)
    ]


def amount_sentence(rng: random.Random, kind: str) -> tuple[str, list[dict]]:
    yuan = rng.choice([500, 800, 1000, 1500, 2000, 3000, 5000])
    what = {
        "subsidy": "技能提升补贴",
        "honour-bonus": "一次性奖励",
        "allowance": "岗位津贴",
        "reward": "奖补资金",
        "funding": "项目建设经费",
    }[kind]
    quote = f"对符合条件的人员，按每人{yuan}元的标准给予{what}"
    return quote, [
        {
            "yuan": yuan,
            "kind": kind,
            "recipient": "符合条件的人员",
            "condition": "按规定取得相应证书或荣誉",
            "per": "人",
            "quote": quote,
        }
    ]


# --------------------------------------------------------------------------- policies


@dataclass
class Vocab:
    themes: list[str]
    topics: list[models.Topic]
    metrics: list[models.Metric]


def load_vocab(repo: Path) -> Vocab:
    def entries(name: str, key: str) -> list:
        data = yaml.load((repo / "data" / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        return data[key]

    themes = [t["id"] for t in entries("themes.yaml", "themes")]
    topics = [models.Topic.model_validate(t) for t in entries("topics.yaml", "topics")]
    metrics = [models.Metric.model_validate(m) for m in entries("metrics.yaml", "metrics")]
    return Vocab(themes, topics, metrics)


def _section_labels(count: int) -> list[str]:
    labels = []
    per_part = max(1, math.ceil(count / 4))
    for k in range(count):
        part = PARTS[min(k // per_part, len(PARTS) - 1)]
        labels.append(f"{part}、（{PARTS[k % per_part % len(PARTS)]}）{k + 1}.")
    return labels


def make_measure(
    rng: random.Random, text: PhraseModel, vocab: Vocab, region: Region, index: int, label: str, body: list[str]
) -> dict:
    """One measure; appends its paragraph (label, title, sentences) to ``body``."""
    if index == 0:
        topics = [t for t in vocab.topics if t.id == "development-targets"]
        title = "总体要求"
    else:
        topics = rng.sample(vocab.topics, k=rng.choice([0, 1, 1, 2, 2, 2, 3, 3]))
        title = text.clause(rng, 6, 16)
    themes = list(dict.fromkeys(t.theme for t in topics)) or [rng.choice(vocab.themes)]
    topic_ids = [t.id for t in topics]
    sentences = [text.sentence(rng, (3, 6))]
    targets, statistics, amounts = [], [], []
    scope = region.scope
    if index == 0 or rng.random() < 0.08:
        for metric in rng.sample(vocab.metrics, k=3 if index == 0 else 1):
            clause, record = target_sentence(rng, metric, scope)
            sentences[-1] = sentences[-1][:-1] + "，" + clause + "。"
            targets.append(record)
    if rng.random() < 0.05:
        metric = rng.choice(vocab.metrics)
        clause, record = statistic_sentence(rng, metric, scope)
        sentences.append(clause + "，" + text.clause(rng) + "。")
        statistics.append(record)
    kind = None
    if "competition-prize-money" in topic_ids:
        kind = "prize"
    elif "training-subsidies" in topic_ids:
        kind = "subsidy"
    elif "honour-top-ups" in topic_ids:
        kind = "honour-bonus"
    elif rng.random() < 0.04:
        kind = rng.choice(["reward", "allowance", "funding"])
    if kind:
        clause, records = prize_sentence(rng) if kind == "prize" else amount_sentence(rng, kind)
        sentences.append(text.clause(rng) + "，" + clause + "。")
        amounts.extend(records)
    quotes = ["".join(sentences)]
    if rng.random() < 0.05:
        extra = text.sentence(rng)
        sentences.append(extra)
        quotes.append(extra)
    agencies = []
    if rng.random() < 0.5:
        prefix = AGENCY_PREFIX[region.level]
        agencies = [prefix + a for a in rng.sample(AGENCIES, k=rng.randint(2, 4))]
        sentences.append("（责任单位：" + "、".join(agencies) + "）")
    body.append(f"{label}{title}。" + "".join(sentences))
    summary = "".join(text.sentence(rng, (2, 4)) for _ in range(rng.randint(1, 2)))
    measure = {
        "id": f"m{index + 1:02d}",
        "section": label,
        "title": title,
        "themes": themes,
        "topics": topic_ids,
        "summary": summary,
        "quotes": quotes,
        "agencies": agencies,
        "targets": targets,
        "statistics": statistics,
        "amounts": amounts,
    }
    return {k: v for k, v in measure.items() if v or k in ("themes", "quotes")}


def make_policy(
    rng: random.Random, text: PhraseModel, vocab: Vocab, region: Region, pid: str, year: int, parent_policies: list[str]
) -> tuple[dict, str]:
    """A policy record and its archived source text."""
    doc_type = rng.choice(["意见", "实施意见", "实施方案", "若干措施", "工作方案", "通知", "办法"])
    subject = rng.choice(TITLE_TOPICS)
    title = f"{region.name}关于{subject}的{doc_type}" if region.level != "national" else f"关于{subject}的{doc_type}"
    short = f"{region.name}{subject[:10]}{doc_type}"
    prefix = AGENCY_PREFIX[region.level]
    issuers = [
        f"{region.name}人民政府办公室" if region.level != "national" else "国务院办公厅",
        f"{region.name}人力资源和社会保障局" if region.level != "national" else "人力资源社会保障部",
    ]
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    signed = f"{year}-{month:02d}-{day:02d}"
    published = f"{year}-{month:02d}-{min(28, day + rng.randint(0, 9)):02d}"
    doc_number = f"{region.name[:1]}{prefix}办〔{year}〕{rng.randint(1, 120)}号"
    labels = _section_labels(rng.randint(10, 30))
    body: list[str] = []
    measures = [make_measure(rng, text, vocab, region, i, label, body) for i, label in enumerate(labels)]
    lines = [
        f"{issuers[0]}文件",
        "",
        doc_number,
        "",
        f"关于印发《{title}》的通知",
        "",
        text.sentence(rng),
        "",
        issuers[0],
        issuers[1],
        f"{year}年{month}月{day}日",
        "",
        title,
        "",
        text.sentence(rng, (3, 6)),
        "",
    ]
    for paragraph in body:
        lines += [paragraph, ""]
    notes = []
    if rng.random() < 0.1:
        evidence = body[rng.randrange(len(body))].split("。")[1][:40] or body[0][:20]
        notes.append(
            {
                "kind": rng.choice(["ambiguity", "inconsistency", "damaged-text"]),
                "note": text.sentence(rng, (2, 3)),
                "evidence": evidence,
            }
        )
    source = "\n".join(lines) + "\n"
    implements = []
    if parent_policies:
        implements.append({"policy": rng.choice(parent_policies)})
    else:
        ref_title, number, issuer = rng.choice(NATIONAL_REFS)
        implements.append(
            {"ref": {k: v for k, v in (("title", ref_title), ("doc_number", number), ("issuer", issuer)) if v}}
        )
    cites = []
    if rng.random() < 0.3:
        cites.append({"ref": {"title": f"{region.name}职业技能竞赛管理办法", "issuer": issuers[0]}})
    policy = {
        "id": pid,
        "title": title,
        "short_title": short,
        "doc_type": doc_type,
        "doc_number": doc_number,
        "region": region.id,
        "issuers": issuers,
        "dates": {"signed": signed, "published": published},
        "status": rng.choice(["in-force", "in-force", "expired", "unknown"]),
        "source": {
            "url": f"https://www.example.gov.cn/{region.id}/{pid}.html",
            "retrieved": f"{max(year, 2024) + 1}-01-15",
            "script": "zh-Hans",
            "sha256": hashlib.sha256(source.encode("utf-8")).hexdigest(),
        },
        "summary": text.sentence(rng, (3, 6)),
        "implements": implements,
        "cites": cites,
        "measures": measures,
        "notes": notes,
    }
    return {k: v for k, v in policy.items() if v or k in ("measures",)}, source


# --------------------------------------------------------------------------- writing


def canonical(data: dict, model: type, header: str, display: str) -> str:
    """The file as ``python -m generator fmt`` would write it, so ``validate`` finds nothing to reformat."""
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000)
    doc = load_text(text, display)
    return fmt.render(doc, model.model_validate(doc.data), header)


def copy_project(repo: Path, root: Path) -> None:
    for name in PROJECT_FILES:
        if (repo / name).is_file():
            shutil.copy2(repo / name, root / name)
    for name in PROJECT_DIRS:
        if (repo / name).is_dir():
            shutil.copytree(repo / name, root / name, dirs_exist_ok=True)
    (root / "data").mkdir(parents=True, exist_ok=True)
    for name in VOCABULARIES:
        if (repo / "data" / name).is_file():
            shutil.copy2(repo / "data" / name, root / "data" / name)


def make_atlas(root: Path, n: int, seed: int = 2024, repo: Path = REPO) -> dict:
    """Write a valid synthetic atlas with ``n`` policies under ``root``; return its counts."""
    rng = random.Random(seed * 100_003 + n)
    root.mkdir(parents=True, exist_ok=True)
    copy_project(repo, root)
    text = PhraseModel(real_texts(repo))
    vocab = load_vocab(repo)
    regions = make_regions(n, rng)
    by_id = {r.id: r for r in regions}
    slots = assign_policies(regions, n, rng)
    # Higher levels first, so a city's policy can implement its province's.
    order = sorted(
        range(len(slots)),
        key=lambda i: (["national", "province", "prefecture", "county"].index(by_id[slots[i]].level), i),
    )
    (root / "data" / "policies").mkdir(parents=True, exist_ok=True)
    (root / "data" / "sources").mkdir(parents=True, exist_ok=True)
    policies: dict[str, dict] = {}
    measures = 0
    for i in order:
        region = by_id[slots[i]]
        year = rng.randint(2016, 2025)
        pid = f"{region.id}-{year}-{rng.choice(DOC_SLUGS)}"
        k = 2
        while f"{pid}-{k}" in policies or pid in policies:
            pid = f"{region.id}-{year}-{rng.choice(DOC_SLUGS)}-{k}"
            k += 1
        parent_policies = by_id[region.parent].policies if region.parent else []
        policy, source = make_policy(rng, text, vocab, region, pid, year, parent_policies)
        region.policies.append(pid)
        policies[pid] = policy
        measures += len(policy["measures"])
        (root / "data" / "sources" / f"{pid}.txt").write_text(source, encoding="utf-8", newline="\n")
    supersede(policies, by_id, rng)
    for pid, policy in policies.items():
        display = f"data/policies/{pid}.yaml"
        (root / display).write_text(
            canonical(policy, models.Policy, fmt.POLICY_HEADER, display), encoding="utf-8", newline="\n"
        )
    region_rows = [
        {
            "id": r.id,
            "name": r.name,
            "name_en": r.name_en,
            "level": r.level,
            **({"parent": r.parent} if r.parent else {}),
            "code": r.code,
        }
        for r in regions
    ]
    header = f"{fmt.HEADER_PREFIX} $schema=../schema/regions.schema.json"
    (root / "data" / "regions.yaml").write_text(
        canonical({"regions": region_rows}, models.RegionsFile, header, "data/regions.yaml"),
        encoding="utf-8",
        newline="\n",
    )
    levels = defaultdict(int)
    for r in regions:
        levels[r.level] += 1
    return {
        "policies": len(policies),
        "measures": measures,
        "regions": len(regions),
        "levels": dict(levels),
        "provinces_with_policies": len({r.id for r in regions if r.level == "province" and r.policies}),
    }


def supersede(policies: dict[str, dict], regions: dict[str, Region], rng: random.Random) -> None:
    """About 3% of policies are superseded by a later one of the same region."""
    for region in regions.values():
        if len(region.policies) < 2 or rng.random() > 0.1:
            continue
        older, newer = sorted(region.policies, key=lambda p: (policies[p]["dates"]["signed"], p))[:2]
        policies[older]["superseded_by"] = newer
        policies[older]["status"] = "superseded"
        keys = list(policies[older])  # keep the model's field order: superseded_by comes after cites
        at = keys.index("measures")
        policies[older] = (
            {k: policies[older][k] for k in keys[:at] if k != "superseded_by"}
            | {"superseded_by": newer}
            | {k: policies[older][k] for k in keys[at:] if k != "superseded_by"}
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of policies")
    ap.add_argument("--out", type=Path, required=True, help="project folder to create")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--json", action="store_true", help="print the counts as JSON (for bench/run.py)")
    args = ap.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        ap.error(f"{args.out} exists and is not empty")
    counts = make_atlas(args.out, args.n, args.seed)
    print(json.dumps(counts, ensure_ascii=False) if args.json else f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
