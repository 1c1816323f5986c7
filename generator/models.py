"""The data model, defined once.

Every data file under ``data/`` is validated against these models, and the
JSON Schema that contributors' editors use (``schema/*.schema.json``) is
generated from them, so the two can never drift apart. Descriptions are
written for contributors: Chinese first, English after the slash.

Checks that need more than one field or more than one file (references,
quotes against the archived source, numbers against quotes, date order) live
in ``validate.py`` so that each message can point at the exact field.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Optional

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=80),
    Field(
        description="标识符：小写字母、数字和连字符（如 henan-2023-skilled-talent）/ "
        "identifier: lowercase letters, digits and hyphens",
        examples=["henan-2023-skilled-talent"],
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Quote = Annotated[
    str,
    StringConstraints(min_length=2, max_length=4000),
    Field(
        description="原文摘录，须与存档原文逐字一致（空白除外）/ verbatim excerpt of the "
        "archived source (whitespace is ignored when checking)",
    ),
]
YearMonthDay = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
    Field(description="年、年-月或年-月-日 / YYYY, YYYY-MM or YYYY-MM-DD", examples=["2019-10"]),
]


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


# --------------------------------------------------------------------------- enums


class DocType(str, Enum):
    opinion = "意见"
    implementing_opinion = "实施意见"
    implementation_plan = "实施方案"
    measures = "若干措施"
    work_plan = "工作方案"
    proposal_reply = "提案答复"
    notice = "通知"
    regulation = "办法"
    plan = "规划"
    other = "其他"


class Status(str, Enum):
    in_force = "in-force"
    expired = "expired"
    superseded = "superseded"
    unknown = "unknown"


class Script(str, Enum):
    simplified = "zh-Hans"
    traditional = "zh-Hant"


class Level(str, Enum):
    national = "national"
    province = "province"
    prefecture = "prefecture"
    county = "county"


class Unit(str, Enum):
    percent = "percent"
    persons = "persons"
    person_times = "person-times"
    count = "count"
    yuan = "yuan"


class Comparator(str, Enum):
    at_least = "at-least"
    about = "about"
    at_most = "at-most"
    exactly = "exactly"
    strive = "strive"


class Period(str, Enum):
    """Plan periods the sources use instead of a year; ``PERIOD_YEARS`` gives their span."""

    fyp13 = "十三五"
    fyp14 = "十四五"
    fyp15 = "十五五"


PERIOD_YEARS: dict[str, tuple[int, int]] = {
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
}


class AmountKind(str, Enum):
    prize = "prize"
    honour_bonus = "honour-bonus"
    subsidy = "subsidy"
    allowance = "allowance"
    funding = "funding"
    reward = "reward"


AMOUNT_KIND_LABELS: dict[str, str] = {
    "prize": "竞赛奖金",
    "honour-bonus": "荣誉奖励",
    "subsidy": "补贴",
    "allowance": "津贴",
    "funding": "项目资助",
    "reward": "奖补",
}


class Tier(str, Enum):
    world = "world"
    national_class_1 = "national-class-1"
    national_class_2 = "national-class-2"
    national = "national"
    provincial_class_1 = "provincial-class-1"
    provincial_class_2 = "provincial-class-2"
    provincial = "provincial"
    city = "city"


TIER_LABELS: dict[str, str] = {
    "world": "世界技能大赛",
    "national-class-1": "国家级一类大赛",
    "national-class-2": "国家级二类大赛",
    "national": "国家级竞赛",
    "provincial-class-1": "省级一类大赛",
    "provincial-class-2": "省级二类大赛",
    "provincial": "省级竞赛",
    "city": "市级竞赛",
}


class NoteKind(str, Enum):
    damaged_text = "damaged-text"
    missing_numeral = "missing-numeral"
    inconsistency = "inconsistency"
    ambiguity = "ambiguity"
    unclear_issuer = "unclear-issuer"
    metadata = "metadata"
    conversion = "conversion"
    other = "other"


NOTE_KIND_LABELS: dict[str, str] = {
    "damaged-text": "文字损坏",
    "missing-numeral": "数字缺失",
    "inconsistency": "前后不一致",
    "ambiguity": "含义不明",
    "unclear-issuer": "发文机关存疑",
    "metadata": "元数据",
    "conversion": "繁简转换",
    "other": "其他",
}


# --------------------------------------------------------------------------- policy parts


class Dates(Strict):
    signed: Optional[date] = Field(None, description="成文日期 / date signed")
    published: Optional[date] = Field(None, description="发布日期 / date published")
    effective: Optional[date] = Field(None, description="施行日期 / date in force")
    expiry: Optional[date] = Field(None, description="失效日期 / expiry date")


class Source(Strict):
    url: Optional[str] = Field(
        None,
        description="原文网址，只允许 http(s) / source URL, http(s) only",
        examples=["https://hrss.henan.gov.cn/2023/09-14/2815573.html"],
    )
    site: Optional[ShortText] = Field(None, description="发布网站名称 / publishing website")
    retrieved: Optional[date] = Field(None, description="获取日期 / date retrieved")
    script: Script = Field(
        Script.simplified,
        description="存档原文的字形：zh-Hans 简体，zh-Hant 繁体 / script of the archived text",
    )
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="存档原文 data/sources/<id>.txt 的 SHA-256，保证原文未被改动 / "
        "SHA-256 of the archived text, proving it is unchanged",
    )


class ExternalRef(Strict):
    title: ShortText = Field(description="文件标题（不含书名号）/ title without 《》")
    doc_number: Optional[ShortText] = Field(None, description="发文字号 / document number")
    issuer: Optional[ShortText] = Field(None, description="发文机关 / issuer")
    url: Optional[str] = Field(None, description="网址，只允许 http(s) / URL, http(s) only")


class Relation(Strict):
    """A related document: ``policy`` when the atlas has it, otherwise ``ref``."""

    policy: Optional[Slug] = Field(None, description="本图谱中的政策 id / id of a policy in the atlas")
    ref: Optional[ExternalRef] = Field(
        None, description="图谱尚未收录的文件 / a document the atlas does not have yet"
    )


class Target(Strict):
    metric: Slug = Field(description="指标 id，见 data/metrics.yaml / metric id")
    value: float = Field(description="目标值，以指标单位计（万人须换算为人）/ value in the metric's unit")
    unit: Unit = Field(description="单位，须与指标一致 / unit, same as the metric's")
    comparator: Comparator = Field(
        Comparator.exactly,
        description="at-least 以上/不少于；about 左右；at-most 以内；exactly 达到；strive 力争",
    )
    deadline: Optional[int] = Field(None, ge=1949, le=2100, description="截止年份 / deadline year")
    period: Optional[Period] = Field(None, description="规划期，如 十四五 / plan period")
    scope: Optional[ShortText] = Field(None, description="范围，如 全省、年度 / scope")
    quote: Quote


class Statistic(Strict):
    metric: Slug = Field(description="指标 id / metric id")
    value: float = Field(description="数值，以指标单位计 / value in the metric's unit")
    unit: Unit
    as_of: YearMonthDay = Field(description="统计截至时间 / as of")
    scope: Optional[ShortText] = None
    quote: Quote


class Amount(Strict):
    yuan: float = Field(ge=0, description="金额，单位元（万元须换算）/ amount in yuan")
    kind: AmountKind = Field(description="prize 竞赛奖金；honour-bonus 荣誉奖励；subsidy 补贴；"
                             "allowance 津贴；funding 项目资助；reward 奖补")
    recipient: ShortText = Field(description="获得者 / who receives it", examples=["选手"])
    condition: ShortText = Field(description="条件 / on what condition", examples=["获得国家级一类大赛第一名"])
    up_to: bool = Field(False, description="是否为“最高”金额 / true if the text says up to (最高)")
    per: Optional[ShortText] = Field(None, description="计量单位，如 人、个、次 / per what")
    tier: Optional[Tier] = Field(None, description="竞赛等级（仅竞赛奖金）/ competition tier")
    rank: Optional[int] = Field(None, ge=1, le=10, description="名次（仅竞赛奖金）/ rank")
    quote: Quote


class Measure(Strict):
    id: Slug = Field(description="条目 id，在本文件内唯一，也是网页锚点 / anchor, unique in the file",
                     examples=["m01"])
    section: ShortText = Field(description="原文编号，照印 / section label as printed",
                               examples=["四、（五）16."])
    title: ShortText = Field(description="简短标题 / short title")
    themes: list[Slug] = Field(min_length=1, description="主题 id，见 data/themes.yaml / theme ids")
    topics: list[Slug] = Field(default_factory=list, description="议题 id，见 data/topics.yaml / topic ids")
    summary: Text = Field(description="中立的简体中文摘要，1–3 句 / neutral 1–3 sentence summary")
    quotes: list[Quote] = Field(min_length=1, description="逐字原文摘录 / verbatim quotes")
    agencies: list[ShortText] = Field(default_factory=list, description="责任单位 / responsible agencies")
    targets: list[Target] = Field(default_factory=list, description="目标 / targets")
    statistics: list[Statistic] = Field(default_factory=list, description="统计数据 / reported figures")
    amounts: list[Amount] = Field(default_factory=list, description="金额 / amounts of money")


class QualityNote(Strict):
    kind: NoteKind
    measure: Optional[Slug] = Field(None, description="相关条目 id / measure concerned")
    note: Text = Field(description="问题说明 / what is wrong")
    evidence: Quote = Field(description="原文证据，逐字 / the evidence, verbatim from the source")


class Policy(Strict):
    id: Slug = Field(description="政策 id，须与文件名一致 / policy id, equal to the file name")
    title: ShortText = Field(description="完整标题 / full title")
    short_title: ShortText = Field(description="简称 / short title")
    doc_type: DocType = Field(description="文种 / document type")
    doc_number: Optional[ShortText] = Field(None, description="发文字号 / document number",
                                            examples=["豫人社办〔2023〕102号"])
    region: Slug = Field(description="地区 id，见 data/regions.yaml / region id")
    issuers: list[ShortText] = Field(min_length=1, description="发文机关，照印 / issuers as printed")
    dates: Dates = Field(default_factory=Dates)
    status: Status = Field(Status.unknown, description="in-force 现行；expired 失效；superseded 被替代；unknown 不详")
    source: Source
    summary: Optional[Text] = Field(None, description="全文概要 / abstract")
    implements: list[Relation] = Field(default_factory=list, description="所贯彻落实的文件 / implements")
    cites: list[Relation] = Field(default_factory=list, description="引用的其他文件 / cites")
    superseded_by: Optional[Slug] = Field(None, description="替代本文件的政策 id / superseded by")
    measures: list[Measure] = Field(min_length=1, description="每一条编号条款，按原文顺序 / every numbered provision")
    notes: list[QualityNote] = Field(default_factory=list, description="数据质量说明 / data-quality notes")


# --------------------------------------------------------------------------- vocabularies


class Region(Strict):
    id: Slug
    name: ShortText = Field(description="中文名 / Chinese name")
    name_en: ShortText
    level: Level
    parent: Optional[Slug] = None
    code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] = Field(
        description="GB/T 2260 行政区划代码 / administrative division code")


class Theme(Strict):
    id: Slug
    name: ShortText
    name_en: ShortText
    core: bool = Field(False, description="四个核心主题之一 / one of the four core themes")
    description: Text


class Topic(Strict):
    id: Slug
    theme: Slug = Field(description="所属主题 / theme the topic belongs to")
    name: ShortText
    name_en: ShortText
    description: Text


class Metric(Strict):
    id: Slug
    name: ShortText
    name_en: ShortText
    unit: Unit
    description: Optional[Text] = None


class GlossaryTerm(Strict):
    id: Slug
    term: ShortText
    aliases: list[ShortText] = Field(default_factory=list)
    en: Optional[ShortText] = None
    definition: Text
    topics: list[Slug] = Field(default_factory=list)


class WordingFix(Strict):
    """A Taiwan-usage word the converter keeps, and the mainland word readers expect."""

    taiwan: ShortText = Field(alias="from")
    mainland: ShortText = Field(alias="to")
    why: ShortText


class RegionsFile(Strict):
    regions: list[Region]


class ThemesFile(Strict):
    themes: list[Theme]


class TopicsFile(Strict):
    topics: list[Topic]


class MetricsFile(Strict):
    metrics: list[Metric]


class GlossaryFile(Strict):
    terms: list[GlossaryTerm]


class WordingFile(Strict):
    fixes: list[WordingFix]


VOCABULARY_FILES: dict[str, type[Strict]] = {
    "regions.yaml": RegionsFile,
    "themes.yaml": ThemesFile,
    "topics.yaml": TopicsFile,
    "metrics.yaml": MetricsFile,
    "glossary.yaml": GlossaryFile,
    "wording.yaml": WordingFile,
}

