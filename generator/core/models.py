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
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
GB_CODE_PATTERN = r"^\d{6}$"
# What each pattern means, for messages (schema errors) and key tables (CONTRIBUTING): one name per pattern.
PATTERN_KINDS = {
    SLUG_PATTERN: "slug",
    PARTIAL_DATE_PATTERN: "partial-date",
    SHA256_PATTERN: "sha256",
    GB_CODE_PATTERN: "gb-code",
}

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=80),
    Field(
        description="标识符：小写字母、数字和连字符（如 henan-2023-skilled-talent）/ "
        "identifier: lowercase letters, digits and hyphens",
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
RESTATES_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*/[1-9][0-9]*$"
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
    StringConstraints(pattern=PARTIAL_DATE_PATTERN),
    Field(description="年、年-月或年-月-日 / YYYY, YYYY-MM or YYYY-MM-DD", examples=["2019-10"]),
]


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, so a typo never passes silently.

    Numbers and true/false are Strict* types: pydantic would otherwise read ``rank: true`` as 1st
    place and ``up_to: 'yes'`` as true, which YAML 1.1 habits produce by accident.
    """

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


# --------------------------------------------------------------------------- enums


class DocType(str, Enum):
    """文种 / document type."""

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
    """效力状态：in-force 现行；expired 失效；superseded 被替代；unknown 不详 / legal status."""

    in_force = "in-force"
    expired = "expired"
    superseded = "superseded"
    unknown = "unknown"


class Script(str, Enum):
    """存档原文的字形：zh-Hans 简体；zh-Hant 繁体 / script of the archived text."""

    simplified = "zh-Hans"
    traditional = "zh-Hant"


class Level(str, Enum):
    """行政层级：national 全国；province 省级；prefecture 地市级；county 县级 / administrative level."""

    national = "national"
    province = "province"
    prefecture = "prefecture"
    county = "county"


class Unit(str, Enum):
    """单位：percent 百分比；percentage-points 个百分点（只用于 change）；persons 人；person-times 人次；count 个、家、项；
    yuan 元 / unit."""

    percent = "percent"
    percentage_points = "percentage-points"
    persons = "persons"
    person_times = "person-times"
    count = "count"  # type: ignore[assignment]  # shadows str.count; the name is the data's own value
    yuan = "yuan"


class Comparator(str, Enum):
    """目标措辞：at-least 以上、不少于；about 左右；at-most 以内、不超过；exactly 达到；strive 力争 / wording of the goal."""

    at_least = "at-least"
    about = "about"
    at_most = "at-most"
    exactly = "exactly"
    strive = "strive"


class Change(str, Enum):
    """相对目标的方向：increase 提高、增长、增加；decrease 降低、减少 / direction of a relative target."""

    increase = "increase"
    decrease = "decrease"


FRACTION_PATTERN = r"^[1-9][0-9]*/[1-9][0-9]*$"


class Period(str, Enum):
    """规划期：十三五 2016–2020；十四五 2021–2025；十五五 2026–2030 / plan period (``PERIOD_YEARS`` gives the span)."""

    fyp13 = "十三五"
    fyp14 = "十四五"
    fyp15 = "十五五"


PERIOD_YEARS: dict[str, tuple[int, int]] = {
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
}


class UrlRole(str, Enum):
    """网址用途：official 官方发布页；reprint-archived 存档原文所据的转载页；other 其他 / what an address is."""

    official = "official"
    reprint_archived = "reprint-archived"
    other = "other"


URL_ROLE_LABELS: dict[str, str] = {
    "official": "官方发布页",
    "reprint-archived": "存档所据转载页",
    "other": "其他网页",
}


class UncertainField(str, Enum):
    """存疑的著录项：region 地区；issuers 发文机关；dates 日期 / a recorded field whose value is doubtful."""

    region = "region"
    issuers = "issuers"
    dates = "dates"


UNCERTAIN_FIELD_LABELS: dict[str, str] = {"region": "地区", "issuers": "发文机关", "dates": "日期"}


class AmountKind(str, Enum):
    """金额类别：prize 竞赛奖金；honour-bonus 荣誉奖励；subsidy 补贴；allowance 津贴；funding 项目资助；reward 奖补 / kind of money."""

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


class CreditKind(str, Enum):
    """税费优惠类别：tax-credit 抵免税款；fee-credit 抵免教育费附加等政府性收费 / kind of tax or fee credit."""

    tax_credit = "tax-credit"
    fee_credit = "fee-credit"


CREDIT_KIND_LABELS: dict[str, str] = {"tax-credit": "抵免税款", "fee-credit": "抵免附加、收费"}


class Tier(str, Enum):
    """竞赛等级（仅用于竞赛奖金）：world 世赛；national-class-1 国家级一类；national-class-2 国家级二类；national 国家级；
    provincial-class-1 省级一类；provincial-class-2 省级二类；provincial 省级；city 市级 / competition tier."""

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
    """问题类别：damaged-text 文字损坏；missing-numeral 数字缺失；inconsistency 前后不一致；ambiguity 含义不明；
    unclear-issuer 发文机关存疑；metadata 元数据；conversion 繁简转换；other 其他 / kind of data-quality note."""

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
    """日期，均可选，写作 YYYY-MM-DD；不知道的不写 / dates, all optional, as YYYY-MM-DD."""

    signed: date | None = Field(None, description="成文日期 / date signed", examples=["2023-08-21"])
    published: date | None = Field(None, description="发布日期 / date published")
    effective: date | None = Field(None, description="施行日期 / date in force")
    expiry: date | None = Field(None, description="失效日期 / expiry date")


class SourceUrl(Strict):
    """原文的一个网址：官方发布页、存档所据的转载页或其他 / one address of the document, with its role."""

    url: str = Field(
        description="网址，只允许 http(s)，不得含用户名或密码 / address, http(s) only, no user:password@",
        examples=["https://hrss.henan.gov.cn/2025/06-03/3164998.html"],
    )
    role: UrlRole = Field(description="official 官方发布页；reprint-archived 存档原文所据的转载页；other 其他 / role")
    retrieved: date = Field(
        description="查到或获取该网址的日期 / date the address was found or retrieved", examples=["2026-12-03"]
    )
    site: ShortText | None = Field(None, description="网站名称 / website", examples=["河南省人力资源和社会保障厅"])
    comment: ShortText | None = Field(None, description="说明，如“仅查到网址，未与存档逐字核对” / remark")


class Source(Strict):
    """原文出处与存档 / where the text was found, and its archive data/sources/<id>.txt."""

    url: str | None = Field(
        None,
        description="旧写法：单一原文网址（存档所据网页），只允许 http(s)；新数据请用 urls / legacy single "
        "address of the page the archive was taken from; new data should use urls",
    )
    site: ShortText | None = Field(
        None, description="旧写法：url 所在网站名称 / legacy: website of url", examples=["河南省人力资源和社会保障厅"]
    )
    retrieved: date | None = Field(
        None, description="旧写法：url 的获取日期 / legacy: date url was retrieved", examples=["2024-05-06"]
    )
    urls: list[SourceUrl] = Field(
        default_factory=list,
        description="原文网址，可多个，各注用途和日期；"
        "不写 url / addresses of the document, each with a role and a date (instead of url)",
    )
    script: Script = Field(
        Script.simplified,
        description="存档原文的字形：zh-Hans 简体，zh-Hant 繁体 / script of the archived text",
    )
    sha256: Annotated[str, StringConstraints(pattern=SHA256_PATTERN)] = Field(
        description="存档原文 data/sources/<id>.txt 的 SHA-256，保证原文未被改动 / "
        "SHA-256 of the archived text, proving it is unchanged",
    )

    def links(self) -> list[SourceUrl]:
        """Every address of the document, ``urls`` first; the legacy single ``url`` (the page the
        archive was taken from) counts as a reprint-archived address, so old files still show it."""
        links = list(self.urls)
        if self.url is not None:
            # model_construct: a legacy entry may have no retrieval date, which a written entry must have
            links.append(
                SourceUrl.model_construct(
                    url=self.url,
                    role=UrlRole.reprint_archived,
                    retrieved=self.retrieved,  # type: ignore[arg-type]
                    site=self.site,
                    comment=None,
                )
            )
        return links


class ExternalRef(Strict):
    """图谱尚未收录的文件 / a document the atlas does not have yet (it gets a stub page inviting a contribution)."""

    title: ShortText = Field(
        description="文件标题（不含书名号）/ title without 《》", examples=["关于加强新时代高技能人才队伍建设的意见"]
    )
    doc_number: ShortText | None = Field(
        None, description="发文字号 / document number", examples=["中办发〔2022〕58号"]
    )
    issuer: ShortText | None = Field(None, description="发文机关 / issuer", examples=["中共中央办公厅、国务院办公厅"])
    url: str | None = Field(None, description="网址，只允许 http(s) / URL, http(s) only")


class Relation(Strict):
    """相关文件：图谱已收录的写 policy，否则写 ref（二者只写一个）/ a related document: ``policy`` when the
    atlas has it, otherwise ``ref`` — one of the two."""

    policy: Slug | None = Field(
        None,
        description="本图谱中的政策 id / id of a policy in the atlas",
        examples=["henan-2023-skilled-talent-measures"],
    )
    ref: ExternalRef | None = Field(None, description="图谱尚未收录的文件 / a document the atlas does not have yet")


class Target(Strict):
    """目标：有指标、数值和期限的目标 / a goal with a metric, a value and a deadline or plan period."""

    metric: Slug = Field(
        description="指标 id，见 data/metrics.yaml / metric id, from data/metrics.yaml",
        examples=["high-skilled-share-of-skilled"],
    )
    value: StrictFloat | None = Field(
        None,
        description="目标值，以指标单位计（万人须换算为人）；写了 fraction 时省略 / "
        "value in the metric's unit (convert 万: 26.2万人 = 262000); omit it when "
        "fraction is given",
        examples=[35],
    )
    value_max: StrictFloat | None = Field(
        None,
        description="范围的上限（原文“2—3个百分点”：value 2、value_max 3）/ "
        "upper end of a range (value is the lower end)",
        examples=[3],
    )
    fraction: Annotated[str, StringConstraints(pattern=FRACTION_PATTERN)] | None = Field(
        None,
        description="原文写作分数时照写，如 1/3（原文“1/3”或“三分之一”），unit 写 percent，不写 value / "
        "a fraction as printed (1/3 or 三分之一); unit percent, no value",
        examples=["1/3"],
    )
    unit: Unit = Field(
        description="单位，须与指标一致；相对目标见 change / unit, same as the metric's "
        "(for relative targets see change)"
    )
    change: Change | None = Field(
        None,
        description="相对目标：increase 提高/增长，decrease 降低；value 是变化量，unit 写 percentage-points"
        "（个百分点）、percent（增长百分之几）或指标单位 / relative target: value is the change",
    )
    comparator: Comparator = Field(
        Comparator.exactly,
        description="at-least 以上/不少于；about 左右；at-most 以内；exactly 达到；strive 力争",
    )
    deadline: StrictInt | None = Field(None, ge=1949, le=2100, description="截止年份 / deadline year", examples=[2025])
    period: Period | None = Field(None, description="规划期，如 十四五 / plan period")
    scope: ShortText | None = Field(
        None, description="范围，如 全省、东部省份、每年、累计 / scope", examples=["东部省份"]
    )
    quote: Quote = Field(description="写明该数值的原文，逐字 / the words stating the value, verbatim")
    restates: Annotated[str, StringConstraints(pattern=RESTATES_PATTERN)] | None = Field(
        None,
        description="本目标重申同一文件中另一条的目标（如任务重申发展目标），写 <条目 id>/<第几个目标>，"
        "如 m07/1；指标和数值须相同，对照和合计只计一次 / the target of this policy it restates, as "
        "<measure id>/<1-based target number>; same metric and value; counted once in comparisons",
        examples=["m07/1"],
    )

    @model_validator(mode="after")
    def _value_from_fraction(self) -> Target:
        """A fraction is the value as printed; its number (1/3 → 33.33… percent) is derived, never written.

        Set without marking the field as given, so the formatter keeps the file as the contributor
        wrote it (fraction only). A target with neither is reported by the value-form check.
        """
        if self.value is None and self.fraction is not None:
            numerator, denominator = (int(part) for part in self.fraction.split("/"))
            scale = 100 if self.unit is Unit.percent else 1
            object.__setattr__(self, "value", numerator * scale / denominator)
        return self


class Statistic(Strict):
    """统计数据：文件报告的实际数字 / a figure the document reports, with its date."""

    metric: Slug = Field(
        description="指标 id，见 data/metrics.yaml / metric id, from data/metrics.yaml",
        examples=["skilled-talents-total"],
    )
    value: StrictFloat = Field(
        description="数值，以指标单位计（万人须换算为人）/ value in the metric's unit", examples=[225000]
    )
    unit: Unit = Field(description="单位，须与指标一致 / unit, same as the metric's")
    as_of: YearMonthDay = Field(
        description="统计截至时间：年、年-月或年-月-日 / as of: YYYY, YYYY-MM or YYYY-MM-DD", examples=["2017-12"]
    )
    scope: ShortText | None = Field(None, description="范围，如 全市、全年 / scope", examples=["全市"])
    quote: Quote = Field(description="写明该数值的原文，逐字 / the words stating the value, verbatim")


class Amount(Strict):
    """金额：奖金、补贴、津贴、资助 / an amount of money: prize, subsidy, allowance, funding."""

    yuan: StrictFloat = Field(
        ge=0,
        description="金额，单位元（万元须换算：10万元 = 100000）/ amount in yuan (convert 万元: 10万元 = 100000)",
        examples=[100000],
    )
    kind: AmountKind = Field(
        description="prize 竞赛奖金；honour-bonus 荣誉奖励；subsidy 补贴；allowance 津贴；funding 项目资助；reward 奖补"
    )
    recipient: ShortText = Field(description="获得者 / who receives it", examples=["选手"])
    condition: ShortText = Field(description="条件 / on what condition", examples=["获得国家级一类大赛第一名"])
    up_to: StrictBool = Field(False, description="是否为“最高”金额 / true if the text says up to (最高)")
    per: ShortText | None = Field(None, description="计量单位，如 人、个、次 / per what")
    tier: Tier | None = Field(None, description="竞赛等级（仅竞赛奖金）/ competition tier")
    rank: StrictInt | None = Field(None, ge=1, le=10, description="名次（仅竞赛奖金）/ rank")
    quote: Quote = Field(description="写明该金额的原文，逐字 / the words stating the amount, verbatim")


class Credit(Strict):
    """税费抵免：按某一基数的比例抵免应缴税费 / a tax or fee credit: a share of a base set against what is due."""

    kind: CreditKind = Field(description="tax-credit 抵免税款；fee-credit 抵免教育费附加等收费")
    percent: StrictFloat = Field(
        gt=0, le=100, description="抵免比例，占基数的百分比 / the share of the base, in percent", examples=[30]
    )
    base: ShortText = Field(
        description="计算基数 / what the share is taken of", examples=["兴办职业教育符合条件的投资额"]
    )
    against: ShortText = Field(
        description="抵免的税费 / what it is set against", examples=["当年应缴教育费附加和地方教育附加"]
    )
    beneficiary: ShortText = Field(
        description="享受者 / who benefits", examples=["纳入产教融合型企业建设培育范围的企业"]
    )
    up_to: StrictBool = Field(False, description="是否为“最高”“可按”上限 / true if the share is a ceiling")
    quote: Quote = Field(description="写明该比例的原文，逐字 / the words stating the share, verbatim")


class Measure(Strict):
    """条目：原文的一条编号条款 / one numbered provision of the document."""

    id: Slug = Field(description="条目 id，在本文件内唯一，也是网页锚点 / anchor, unique in the file", examples=["m01"])
    section: ShortText = Field(description="原文编号，照印 / section label as printed", examples=["四、（五）16."])
    title: ShortText = Field(description="简短标题 / short title", examples=["加大高技能人才奖补力度"])
    themes: list[Slug] = Field(
        min_length=1,
        description="主题 id，至少一个，见 data/themes.yaml / theme ids, at least one",
        examples=[["incentives", "competitions"]],
    )
    topics: list[Slug] = Field(
        default_factory=list,
        description="议题 id，见 data/topics.yaml / topic ids",
        examples=[["competition-prize-money"]],
    )
    summary: Text = Field(description="中立的简体中文摘要，1–3 句 / neutral 1–3 sentence summary in Simplified Chinese")
    quotes: list[Quote] = Field(min_length=1, description="逐字原文摘录，至少一段 / verbatim quotes, at least one")
    agencies: list[ShortText] = Field(
        default_factory=list,
        description="原文点名的责任单位 / responsible agencies named in the text",
        examples=[["市人社局", "市财政局"]],
    )
    targets: list[Target] = Field(default_factory=list, description="目标 / targets")
    statistics: list[Statistic] = Field(default_factory=list, description="统计数据 / reported figures")
    amounts: list[Amount] = Field(default_factory=list, description="金额 / amounts of money")
    credits: list[Credit] = Field(default_factory=list, description="税费抵免 / tax and fee credits")


class NoteUrl(Strict):
    """说明所引的网页证据（存档以外）/ a public page a note cites as evidence besides the archive."""

    url: str = Field(description="网址，只允许 http(s) / address, http(s) only")
    title: ShortText = Field(description="网页标题或内容提要 / the page's title or what it shows")
    retrieved: date = Field(description="查到该网页的日期 / date the page was found", examples=["2026-12-03"])


class QualityNote(Strict):
    """数据质量说明：原文损坏、含糊或前后矛盾之处 / what in the source is damaged, ambiguous or inconsistent."""

    id: Slug | None = Field(
        None,
        description="说明 id，供 uncertain 引用，在本文件内唯一 / note id, for "
        "uncertain to point at; unique in the file",
        examples=["region-evidence"],
    )
    kind: NoteKind = Field(description="问题类别 / kind of problem")
    measure: Slug | None = Field(None, description="相关条目 id / measure concerned", examples=["m04"])
    note: Text = Field(description="问题说明 / what is wrong")
    evidence: Quote = Field(description="原文证据，逐字 / the evidence, verbatim from the source")
    urls: list[NoteUrl] = Field(
        default_factory=list, description="存档以外的网页证据 / public pages cited as further evidence"
    )


class Uncertainty(Strict):
    """存疑的著录项及其依据说明 / a recorded field whose value is doubtful, and the note giving the evidence."""

    field: UncertainField = Field(description="region 地区；issuers 发文机关；dates 日期 / the doubtful field")
    note: Slug = Field(
        description="写明依据的数据质量说明 id（notes[].id）/ id of the note with the evidence",
        examples=["region-evidence"],
    )


class Policy(Strict):
    """一份政策文件 / one policy document: data/policies/<id>.yaml."""

    id: Slug = Field(
        description="政策 id，须与文件名一致，也是网址 / policy id, equal to the file name and its URL",
        examples=["henan-2023-skilled-talent-measures"],
    )
    title: ShortText = Field(
        description="完整标题，不含书名号 / full title without 《》",
        examples=["关于进一步加强技能人才队伍建设的若干措施"],
    )
    short_title: ShortText = Field(description="简称 / short title", examples=["河南省技能人才若干措施"])
    doc_type: DocType = Field(description="文种 / document type")
    doc_number: ShortText | None = Field(
        None, description="发文字号 / document number", examples=["豫人社办〔2023〕102号"]
    )
    region: Slug = Field(
        description="地区 id，见 data/regions.yaml / region id, from data/regions.yaml", examples=["henan"]
    )
    issuers: list[ShortText] = Field(
        default_factory=list,
        description="发文机关，照印；原文未印发文机关时留空并写 "
        "issuers_inferred / issuers as printed; empty only when none is printed",
        examples=[["中共新乡市委办公室", "新乡市人民政府办公室"]],
    )
    issuers_inferred: list[ShortText] = Field(
        default_factory=list,
        description="推断的发文机关（原文未印或印得不对时），须在 uncertain 中写 issuers 并指向"
        "写明依据的说明 / inferred issuers, when none (or a wrong one) is printed; needs an uncertain entry "
        "for issuers",
        examples=[["河南省就业促进和劳动保护工作领导小组"]],
    )
    uncertain: list[Uncertainty] = Field(
        default_factory=list,
        description="存疑的著录项（地区、发文机关、日期），"
        "各指向写明依据的说明 / doubtful fields, each pointing at its note",
    )
    dates: Dates = Field(default_factory=Dates, description="日期，均可选 / dates, all optional")
    status: Status = Field(
        Status.unknown, description="效力：in-force 现行；expired 失效；superseded 被替代；unknown 不详 / legal status"
    )
    source: Source = Field(description="原文出处与存档 / where the text comes from, and its archive")
    summary: Text | None = Field(None, description="全文概要，中立的简体中文 / neutral abstract in Simplified Chinese")
    implements: list[Relation] = Field(default_factory=list, description="所贯彻落实的文件 / implements")
    cites: list[Relation] = Field(default_factory=list, description="引用的其他文件 / cites")
    calls_for: list[Relation] = Field(
        default_factory=list, description="要求编制（尚待制定）的文件 / documents this one calls to be drafted"
    )
    superseded_by: Slug | None = Field(
        None,
        description="替代本文件的政策 id（并把 status 写作 superseded）/ "
        "id of the policy that replaces this one (then status: superseded)",
    )
    measures: list[Measure] = Field(min_length=1, description="每一条编号条款，按原文顺序 / every numbered provision")
    notes: list[QualityNote] = Field(
        default_factory=list, description="数据质量说明：原文损坏、含糊、矛盾之处 / data-quality notes"
    )


# --------------------------------------------------------------------------- vocabularies


class Region(Strict):
    """地区 / a region."""

    id: Slug = Field(description="地区 id，也是网址 / region id, also its URL", examples=["xinxiang"])
    name: ShortText = Field(description="中文名 / Chinese name", examples=["新乡市"])
    name_en: ShortText = Field(description="英文名 / English name", examples=["Xinxiang"])
    level: Level = Field(description="行政层级 / administrative level")
    parent: Slug | None = Field(
        None,
        description="上级地区 id（全国除外必填）/ parent region id (all but the national level)",
        examples=["henan"],
    )
    code: Annotated[str, StringConstraints(pattern=GB_CODE_PATTERN)] = Field(
        description="GB/T 2260 行政区划代码，六位数字，加引号 / administrative division code, six digits, quoted",
        examples=["410700"],
    )


class Theme(Strict):
    """主题 / a theme."""

    id: Slug = Field(description="主题 id，也是网址 / theme id, also its URL", examples=["training"])
    name: ShortText = Field(description="中文名 / Chinese name", examples=["培训"])
    name_en: ShortText = Field(description="英文名 / English name", examples=["Training"])
    core: StrictBool = Field(False, description="四个核心主题之一 / one of the four core themes")
    description: Text = Field(description="说明 / what the theme covers")


class Topic(Strict):
    """议题：主题内可跨地区比较的政策工具，即对照表的一行 / a topic: a row of the side-by-side table."""

    id: Slug = Field(description="议题 id / topic id", examples=["competition-prize-money"])
    theme: Slug = Field(description="所属主题 id / theme the topic belongs to", examples=["competitions"])
    name: ShortText = Field(description="中文名 / Chinese name", examples=["竞赛奖金"])
    name_en: ShortText = Field(description="英文名 / English name", examples=["Competition prize money"])
    description: Text = Field(description="说明 / what the topic covers")


class Metric(Strict):
    """指标：目标与统计数据所用的量化指标 / a quantitative indicator."""

    id: Slug = Field(description="指标 id / metric id", examples=["high-skilled-share-of-skilled"])
    name: ShortText = Field(description="中文名 / Chinese name", examples=["高技能人才占技能人才比例"])
    name_en: ShortText = Field(description="英文名 / English name")
    unit: Unit = Field(description="单位 / unit")
    description: Text | None = Field(None, description="说明 / notes on the metric")


class GlossaryTerm(Strict):
    """术语 / a glossary term."""

    id: Slug = Field(description="术语 id，也是网页锚点 / term id, also its anchor", examples=["chief-technician"])
    term: ShortText = Field(description="术语，照原文写法 / the term as the sources write it", examples=["首席技师"])
    aliases: list[ShortText] = Field(default_factory=list, description="别称、简称 / other names", examples=[["世赛"]])
    en: ShortText | None = Field(None, description="英文译名 / English rendering")
    definition: Text = Field(description="释义 / definition")
    topics: list[Slug] = Field(default_factory=list, description="相关议题 id / related topic ids")


class WordingFix(Strict):
    """繁简转换后的用语替换：台湾用语 → 大陆用语 / a Taiwan-usage word the converter keeps, and the
    mainland word readers expect."""

    taiwan: ShortText = Field(alias="from", description="台湾用语 / Taiwan usage", examples=["网际网路"])
    mainland: ShortText = Field(alias="to", description="大陆用语 / mainland usage", examples=["互联网"])
    why: ShortText = Field(description="理由 / why")


class RegionsFile(Strict):
    regions: list[Region] = Field(description="地区 / regions")


class ThemesFile(Strict):
    themes: list[Theme] = Field(description="主题 / themes")


class TopicsFile(Strict):
    topics: list[Topic] = Field(description="议题 / topics")


class MetricsFile(Strict):
    metrics: list[Metric] = Field(description="指标 / metrics")


class GlossaryFile(Strict):
    terms: list[GlossaryTerm] = Field(description="术语 / glossary terms")


class WordingFile(Strict):
    fixes: list[WordingFix] = Field(description="用语替换 / wording fixes")


VOCABULARY_FILES: dict[str, type[Strict]] = {
    "regions.yaml": RegionsFile,
    "themes.yaml": ThemesFile,
    "topics.yaml": TopicsFile,
    "metrics.yaml": MetricsFile,
    "glossary.yaml": GlossaryFile,
    "wording.yaml": WordingFile,
}
