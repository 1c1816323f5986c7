"""Every Chinese word the site's pages put around the data, once.

Pages, charts, the MkDocs navigation and the PDF's part titles all read their
labels here, so renaming a section or a status is a one-line change that every
output follows. The labels of the data's own vocabularies (amount kinds, prize
tiers, note kinds) are part of the data model and live in ``core.models``; they
are re-exported here under the names the pages use.
"""

from __future__ import annotations

from generator.core import models

# Unit and comparator words are part of how a value reads, which core checks need too: defined in core.values.
from generator.core.values import COMPARATOR_LABELS, UNIT_LABELS  # noqa: F401

# --------------------------------------------------------------------------- page and section titles

SITE_TITLE = "技能人才政策对照"  # the home page's title
HOME = "首页"  # the home page in the navigation
THEMES = "主题"
COMPARE = "对照"
TARGETS = "目标对照"
MONEY = "奖补金额对照"
CUSTOM_COMPARE = "自选对照"  # /compare/regions/: 2–4 regions of the reader's choice
COMPARE_THESE = "对照这些地区"
REGIONS = "地区"
POLICIES = "政策文件"
SOURCE = "原文"  # a source page's title: "原文：<policy>"
WORDING = "繁简转换说明"
REFERENCES = "尚未收录的文件"  # /references/: the documents the policies name that the atlas does not hold
GLOSSARY = "术语表"
DOWNLOADS = "数据下载"
CONTRIBUTE = "参与贡献"
ABOUT = "关于"

# --------------------------------------------------------------------------- vocabularies

STATUS_LABELS = {"in-force": "现行有效", "expired": "已失效", "superseded": "已被替代", "unknown": "状态不详"}
LEVEL_LABELS = {"national": "全国", "province": "省级", "prefecture": "地市级", "county": "县级"}
SCRIPT_LABELS = {"zh-Hans": "简体", "zh-Hant": "繁体"}
KIND_LABELS = models.AMOUNT_KIND_LABELS
TIER_LABELS = models.TIER_LABELS
NOTE_KIND_LABELS = models.NOTE_KIND_LABELS
RELATION_LABELS = {
    "implements": "贯彻落实",
    "cites": "引用",
    "calls_for": "要求编制",
}  # how a policy stands to a document it names
# A policy's dates, in the order its page lists them: (field of models.Dates, label).
DATE_LABELS = (("signed", "成文日期"), ("published", "发布日期"), ("effective", "施行日期"), ("expiry", "失效日期"))

# --------------------------------------------------------------------------- words inside tables and lists

DATE_UNKNOWN = "日期不详"
WHEN_UNSTATED = "未写明"  # a target with neither a deadline nor a plan period
UNDATED = "未定期限"  # the same, in lists ordered by deadline (where it comes last)
HEADLINE_TARGETS = "总体目标"  # a document's own goals (its 发展目标 section)
TASK_TARGETS = "任务与专项目标"  # the targets of its tasks and sub-programmes
UNTAGGED_MEASURES = "其他相关条款"  # the side-by-side row of a theme's measures that no topic of it tags
UNTIERED = "未分级"  # a prize without a competition tier
NO_RANK = "—"
MIXED_UNITS = "单位不一"  # a range over targets of one metric given in different units
CONTINUED = "（续）"  # a table's label when a city's columns continue in the next table
UP_TO = "最高"  # before an amount the document gives as a ceiling


def rank_label(rank: int) -> str:
    """ "第1名": a prize's rank in a competition."""
    return f"第{rank}名"
