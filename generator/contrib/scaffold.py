"""``python -m generator new``: start a policy file from the annotated template.

It asks (or takes as options) the few answers it needs, checks them before
writing anything — the id is a slug and still free, the region is known (with
a did-you-mean), the document type is allowed, the source is UTF-8 text — and
then writes two files, refusing to overwrite either:

* ``data/sources/<id>.txt``: the original text, byte for byte;
* ``data/policies/<id>.yaml``: the annotated template, pre-filled with the
  answers and the source's SHA-256, with measure stubs ``m01 … mNN``.

The new file is deliberately not valid yet: every value still to be written is
a ``TODO…`` placeholder, and ``python -m generator validate`` points at each
one ("still the template placeholder — replace it"). The guidance comments
start with ``#:``; ``python -m generator fmt`` removes them once the file is
complete.

The same model introspection produces the key table in CONTRIBUTING.md
(``key_tables``), so the guide and the template never disagree with the
models.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.contrib.fmt import POLICY_HEADER, scalar
from generator.core import models
from generator.core.checks import bad_url, reserved_id

TODO = "TODO"
MAX_MEASURES = 999


class Refused(Exception):
    """An answer that cannot be used; the message says why and what to do."""


# --------------------------------------------------------------------------- model introspection


def _schema(model: type[BaseModel]) -> dict:
    return model.model_json_schema(by_alias=True)


def _resolve(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        merged = dict(schema["$defs"][name])
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged
    return node


def _non_null(schema: dict, node: dict) -> dict:
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        if len(options) == 1:
            merged = dict(_resolve(schema, options[0]))
            merged.update({k: v for k, v in node.items() if k != "anyOf"})
            return merged
    return _resolve(schema, node)


def _allowed(schema: dict, node: dict) -> str:
    """What a value may be, in a few words (both languages)."""
    node = _non_null(schema, node)
    if "enum" in node:
        return " / ".join(f"`{v}`" for v in node["enum"])
    kind = node.get("type")
    if kind == "array":
        items = _non_null(schema, node.get("items", {}))
        if items.get("type") == "object":
            inner = "条目列表 list of entries（见下 see below）"
        else:
            inner = "列表 list: " + _allowed(schema, items)
        return inner + ("，至少一项 at least one" if node.get("minItems") else "")
    if kind == "object":
        return "字段见下 fields below"
    if kind == "boolean":
        return "`true` / `false`"
    if kind in ("number", "integer"):
        word = "整数 whole number" if kind == "integer" else "数字 number"
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"{word} {low}–{high}"
        if low is not None:
            return f"{word} ≥ {low}"
        return word
    if node.get("format") == "date":
        return "日期 date YYYY-MM-DD"
    pattern_kind = models.PATTERN_KINDS.get(node.get("pattern", ""))
    if pattern_kind in PATTERN_WORDS:
        return PATTERN_WORDS[pattern_kind]
    if node.get("maxLength"):
        return f"文字 text ≤ {node['maxLength']}"
    return "文字 text"


def _example(node: dict) -> str:
    examples = node.get("examples")
    if not examples:
        return ""
    value = examples[0]
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _default(prop: dict) -> str:
    value = prop.get("default")
    if value is None or value == [] or value == {}:
        return ""
    return "true" if value is True else "false" if value is False else str(value)


def _rows(schema: dict, node: dict, prefix: str) -> list[tuple[str, bool, str, str, str, str]]:
    """(key path, required?, default, allowed, description, example) for every field, depth first."""
    node = _resolve(schema, node)
    required = set(node.get("required", []))
    rows = []
    for name, prop in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        flat = _non_null(schema, prop)
        description = prop.get("description") or flat.get("description", "")
        rows.append(
            (
                path,
                name in required,
                _default(prop),
                _allowed(schema, prop),
                description,
                _example(prop) or _example(flat),
            )
        )
        if flat.get("type") == "object" and "properties" in flat:
            rows += _rows(schema, flat, f"{path}.")
        elif flat.get("type") == "array":
            items = _non_null(schema, flat.get("items", {}))
            if items.get("type") == "object":
                rows += _rows(schema, items, f"{path}[].")
    return rows


def field_rows(model: type) -> list[tuple[str, bool, str, str, str, str]]:
    schema = _schema(model)
    return _rows(schema, schema, "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def key_table(model: type) -> str:
    lines = [
        "| 键 key | 必填 required | 允许的值 allowed values | 说明 description | 例 example |",
        "| --- | --- | --- | --- | --- |",
    ]
    for path, required, default, allowed, description, example in field_rows(model):
        need = "**必填** required" if required else "可选 optional"
        if default:
            need += f"，默认 default `{default}`"
        lines.append(f"| `{path}` | {need} | {_cell(allowed)} | {_cell(description)} | {_cell(example)} |")
    return "\n".join(lines)


def key_tables() -> str:
    """The key tables of CONTRIBUTING.md: the policy file, then each vocabulary."""
    parts = ["### 政策文件 Policy file `data/policies/<id>.yaml`", "", key_table(models.Policy)]
    for name, model in models.VOCABULARY_FILES.items():
        parts += ["", f"### 词表 Vocabulary `data/{name}`", "", key_table(model)]
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- the template


def _note(model: type, name: str) -> str:
    """A one-line guidance comment for a field: required or not, allowed values, example."""
    schema = _schema(model)
    prop = schema["properties"][name]
    flat = _non_null(schema, prop)
    required = name in schema.get("required", [])
    description = prop.get("description") or flat.get("description", "")
    example = _example(prop) or _example(flat)
    default = _default(prop)
    need = "必填 required" if required else "可选 optional" + (f"，默认 default {default}" if default else "")
    text = f"#: {name}（{need}）{description}"
    allowed = _allowed(schema, prop)
    if allowed and not allowed.startswith(("字段见下", "条目列表", "文字", "列表 list: 文字")):
        text += f"；允许 allowed: {allowed.replace('`', '')}"
    if example:
        text += f"；例 e.g. {example}"
    return text


def measure_ids(count: int, taken: frozenset[str] = frozenset()) -> list[str]:
    """The next ``count`` free measure ids: m01, m02, … (three digits past m99)."""
    width = max(2, len(str(count + len(taken))))
    out: list[str] = []
    n = 1
    while len(out) < count:
        candidate = f"m{n:0{width}d}"
        if candidate not in taken:
            out.append(candidate)
        n += 1
    return out


def template(
    *,
    policy_id: str,
    title: str,
    region: str,
    doc_type: str,
    sha256: str,
    url: str | None,
    traditional: bool,
    measures: int,
    retrieved: date | None = None,
) -> str:
    """The annotated policy file, pre-filled with the answers."""
    P, S, D, M = models.Policy, models.Source, models.Dates, models.Measure
    retrieved = retrieved or date.today()
    lines = [
        POLICY_HEADER,
        "#: 这是 python -m generator new 生成的模板。把每个 TODO 换成原文中的真实内容；不需要的可选字段整行删除。",
        "#: 完成后运行 python -m generator validate 检查，再运行 python -m generator fmt（它会删去以 #: 开头的说明）。",
        "#: Template made by `python -m generator new`. Replace every TODO with what the source says; delete the",
        "#: optional lines you do not need. Then run `python -m generator validate`, and `python -m generator fmt`",
        "#: (which removes these #: notes). CONTRIBUTING.md explains every key.",
        _note(P, "id"),
        f"id: {policy_id}",
        _note(P, "title"),
        f"title: {scalar(title)}",
        _note(P, "short_title"),
        f"short_title: {TODO} 简称",
        _note(P, "doc_type"),
        f"doc_type: {scalar(doc_type)}",
        _note(P, "doc_number") + "；原文没有发文字号就删除这一行 delete if there is none",
        f"doc_number: {TODO} 发文字号",
        _note(P, "region"),
        f"region: {region}",
        _note(P, "issuers"),
        f"issuers: [{TODO} 发文机关]",
        _note(P, "issuers_inferred"),
        "#: issuers_inferred: [河南省就业促进和劳动保护工作领导小组]",
        _note(P, "uncertain"),
        "#: uncertain:",
        "#:   - {field: region, note: region-evidence}",
        _note(P, "dates") + "；不知道的日期整行删除 delete the dates you do not know",
        "dates:",
        "  " + _note(D, "signed"),
        f"  signed: {TODO} 成文日期 YYYY-MM-DD",
        "  " + _note(D, "published"),
        f"  published: {TODO} 发布日期 YYYY-MM-DD",
        "  " + _note(D, "effective") + "；原文写明才填 only if the text says",
        "  #: effective: 2024-01-01",
        "  " + _note(D, "expiry") + "；原文写明才填 only if the text says",
        "  #: expiry: 2028-12-31",
        _note(P, "status"),
        "status: unknown",
        _note(P, "source"),
        "source:",
        "  " + _note(S, "url"),
        f"  url: {scalar(url) if url else TODO + ' 原文网址 https://…'}",
        "  " + _note(S, "site") + "；可删除 may be deleted",
        f"  site: {TODO} 发布网站名称",
        "  " + _note(S, "retrieved"),
        f"  retrieved: {retrieved.isoformat()}",
        "  " + _note(S, "urls") + "；有官方页和转载页等多个网址时用它代替 url/site/retrieved "
        "use it instead of url/site/retrieved when there are several addresses",
        "  #: urls:",
        "  #:   - {url: https://hrss.henan.gov.cn/…, role: official, retrieved: 2024-05-06, site: 河南省人力资源和社会保障厅}",
        "  #:   - {url: https://www.example.com/…, role: reprint-archived, retrieved: 2024-05-06, comment: 存档取自此页}",
        "  " + _note(S, "script"),
        f"  script: {'zh-Hant' if traditional else 'zh-Hans'}",
        "  " + _note(S, "sha256") + "；由 new 计算，不要改 computed by `new`, do not edit",
        f"  sha256: {sha256}",
        _note(P, "summary"),
        f"summary: {TODO} 全文概要，中立的简体中文，2–4 句",
        _note(P, "implements"),
        "#:   图谱已收录 in the atlas:      - policy: henan-2023-skilled-talent-measures",
        "#:   图谱未收录 not in the atlas:  - ref: {title: 关于加强新时代高技能人才队伍建设的意见, doc_number: 中办发〔2022〕58号}",
        "#: implements:",
        "#:   - ref:",
        "#:       title: 关于加强新时代高技能人才队伍建设的意见",
        "#:       doc_number: 中办发〔2022〕58号",
        "#:       issuer: 中共中央办公厅、国务院办公厅",
        "#:       url: https://www.gov.cn/…",
        _note(P, "cites") + "；写法同 implements same form as implements",
        _note(P, "calls_for") + "；写法同 implements same form as implements",
        _note(P, "superseded_by"),
        "#: superseded_by: henan-2025-skills-henan-work-plan",
        _note(P, "measures"),
        "measures:",
    ]
    for n, measure_id in enumerate(measure_ids(measures)):
        first = n == 0
        item = [
            (_note(M, "id"), f"- id: {measure_id}"),
            (_note(M, "section"), f"  section: {TODO} 原文编号"),
            (_note(M, "title"), f"  title: {TODO} 简短标题"),
            (_note(M, "themes"), f"  themes: [{TODO}]"),
            (_note(M, "topics") + "；没有合适的议题就留空 may stay empty", "  topics: []"),
            (_note(M, "summary"), f"  summary: {TODO} 中立的简体中文摘要，1–3 句"),
            (_note(M, "quotes") + "；逐字复制，空白可以不同 copy verbatim, only whitespace may differ", "  quotes:"),
            (None, f"    - {TODO} 原文摘录"),
        ]
        for note, line in item:
            if first and note:
                lines.append(("    " if line.startswith("  ") else "  ") + note)
            lines.append("  " + line)
        if first:
            lines += [
                "    " + _note(M, "agencies"),
                "    #: agencies: [市人社局, 市财政局]",
                "    " + _note(M, "targets"),
                "    #: targets:",
                "    #:   - {metric: high-skilled-share-of-skilled, value: 35, unit: percent, comparator: about,",
                "    #:      deadline: 2025, period: 十四五, scope: 全市, quote: 高技能人才占技能人才比例达到35%左右}",
                "    #:   分数照印 a fraction as printed:  {metric: high-skilled-share-of-skilled, fraction: 1/3, unit: percent, …}",
                "    #:   范围与相对目标 a range, a change:  {…, value: 2, value_max: 3, unit: percentage-points,",
                "    #:      change: increase, scope: 中西部省份, quote: 提高2—3个百分点}",
                "    #:   任务重申发展目标时 a task restating a goal: restates: m01/2（第 m01 条的第 2 个目标 target 2 of m01）",
                "    " + _note(M, "statistics"),
                "    #: statistics:",
                "    #:   - {metric: skilled-talents-total, value: 225000, unit: persons, as_of: 2017-12, scope: 全市,",
                "    #:      quote: 全市技能人才数量达到22.5万人}",
                "    " + _note(M, "amounts"),
                "    #: amounts:",
                "    #:   - {yuan: 100000, kind: prize, recipient: 选手, condition: 获得国家级一类大赛第一名,",
                "    #:      tier: national-class-1, rank: 1, quote: 分别一次性给予10万元、8万元、6万元奖励}",
                "    #:   - {yuan: 2000, kind: subsidy, recipient: 职工, condition: 取得高级工证书, up_to: true, per: 人,",
                "    #:      quote: 给予最高2000元补贴}",
                "    " + _note(M, "credits"),
                "    #: credits:",
                "    #:   - {kind: fee-credit, percent: 30, base: 兴办职业教育的投资额, against: 教育费附加,",
                "    #:      beneficiary: 产教融合型企业, quote: 可按投资额的30%抵免当年应缴教育费附加}",
            ]
    lines += [
        _note(P, "notes"),
        "#: notes:",
        "#:   - {kind: missing-numeral, measure: m04, note: 金额处缺少数字, evidence: 给予万元奖励}",
        "#:   - id: region-evidence（uncertain 指向的说明 a note an uncertain entry points at）",
        "#:     urls: [{url: https://…, title: 佐证网页标题, retrieved: 2024-05-06}]",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- CONTRIBUTING.md


def example_template() -> str:
    """The annotated template as CONTRIBUTING.md shows it (fixed answers, so the guide is reproducible)."""
    return template(
        policy_id="henan-2024-training-subsidies",
        title="河南省职业技能培训补贴实施办法",
        region="henan",
        doc_type="办法",
        sha256=hashlib.sha256(b"example").hexdigest(),
        url="https://hrss.henan.gov.cn/2024/05-06/0000000.html",
        traditional=False,
        measures=2,
        retrieved=date(2024, 5, 6),
    )


GENERATED: dict[str, Callable[[], str]] = {
    "keys": key_tables,
    "template": lambda: "```yaml\n" + example_template() + "```\n",
}


def _markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- BEGIN generated:{name} — python -m generator schema rewrites this block -->\n",
        f"<!-- END generated:{name} -->",
    )


def refresh_contributing(text: str) -> str:
    """CONTRIBUTING.md with its generated blocks (key tables, annotated template) brought up to date."""
    for name, make in GENERATED.items():
        begin, end = _markers(name)
        start = text.find(begin)
        stop = text.find(end, start)
        if start < 0 or stop < 0:
            raise ValueError(f"CONTRIBUTING.md has no generated:{name} block")
        text = text[: start + len(begin)] + make() + text[stop:]
    return text


def write_contributing(root: Path) -> Path | None:
    """Refresh CONTRIBUTING.md in place; return its path when it changed."""
    path = root / "CONTRIBUTING.md"
    if not path.exists():
        return None
    old = path.read_text(encoding="utf-8")
    new = refresh_contributing(old)
    if new == old:
        return None
    path.write_text(new, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- answers


PATTERN_WORDS = {
    "slug": "id：小写字母、数字、连字符 lowercase a-z, 0-9, -",
    "sha256": "64 位十六进制 64 hex digits",
    "gb-code": "六位数字 six digits",
    "partial-date": "YYYY / YYYY-MM / YYYY-MM-DD",
}


def _close(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    return f" — did you mean '{close[0]}'?" if close else ""


def _refused_by_model(annotation: Any, value: str) -> bool:
    """The models' own rule for a field, so the scaffold can never accept what validate refuses."""
    try:
        TypeAdapter(annotation).validate_python(value)
    except ValidationError:
        return True
    return False


def check_id(root: Path, value: str, source_file: str | None = None) -> str:
    value = value.strip()
    if _refused_by_model(models.Slug, value):
        raise Refused(
            f"'{value}' is not a valid policy id — use lowercase letters a-z, digits and single hyphens, "
            "e.g. henan-2024-training-subsidies (region, year, subject)"
        )
    reserved = reserved_id(value, "policy")
    if reserved:
        raise Refused(f"{reserved} — choose another id, e.g. with the region and year in it")
    for path in (root / "data" / "policies" / f"{value}.yaml", root / "data" / "sources" / f"{value}.txt"):
        if path.exists():
            if path.suffix == ".txt" and source_file and Path(source_file).expanduser().resolve() == path.resolve():
                continue  # the archive `python -m generator archive` wrote, given as --source-file: used in place
            raise Refused(f"{path.relative_to(root)} already exists — choose another id, or edit that file")
    return value


def _regions(root: Path) -> dict[str, models.Region]:
    from generator.core.load import LoadError, load_file

    path = root / "data" / "regions.yaml"
    try:
        parsed = models.RegionsFile.model_validate(load_file(path, "data/regions.yaml").data)
    except (LoadError, ValueError) as exc:
        raise Refused(f"data/regions.yaml cannot be read ({exc}) — run: python -m generator validate") from None
    return {r.id: r for r in parsed.regions}


def check_region(root: Path, value: str) -> str:
    value = value.strip()
    regions = _regions(root)
    if value in regions:
        return value
    by_name = {r.name: r.id for r in regions.values()}
    if value in by_name:
        return by_name[value]
    from generator.core.checks_values import suggest_region

    close = suggest_region(value, regions)  # English names and levels too: national → china
    hint = f" — {close}" if close else _close(value, sorted(regions) + sorted(by_name))
    raise Refused(
        f"unknown region '{value}'{hint} "
        f"(known: {', '.join(sorted(regions))}; a new region is added to data/regions.yaml first)"
    )


def check_doc_type(value: str) -> str:
    value = value.strip()
    allowed = [t.value for t in models.DocType]
    if value not in allowed:
        raise Refused(f"'{value}' is not a document type{_close(value, allowed)} (allowed: {', '.join(allowed)})")
    return value


def check_title(value: str) -> str:
    value = value.strip().strip("《》")
    if _refused_by_model(models.ShortText, value):
        raise Refused("the title must be 1–200 characters, without 《》")
    return value


def check_source(value: str) -> Path:
    path = Path(value.strip()).expanduser()
    if not path.is_file():
        raise Refused(f"no such file: {path} — give the saved original text")
    raw = path.read_bytes()
    if not raw.strip():
        raise Refused(f"{path} is empty — save the whole original text")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(
            f"{path} is not UTF-8 (byte {exc.start}) — convert it first, e.g. "
            f"iconv -f GB18030 -t UTF-8 {path} > {path.stem}.utf8.txt"
        ) from None
    return path


def check_url(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if bad_url(value):
        raise Refused(f"'{value}' is not an http(s) link — give the address starting with https:// or http://")
    return value


def check_measures(value: Any) -> int:
    try:
        count = int(str(value).strip())
    except ValueError:
        raise Refused(
            f"'{value}' is not a number of measures — give how many numbered provisions the text has"
        ) from None
    if not 1 <= count <= MAX_MEASURES:
        raise Refused(f"the number of measures must be between 1 and {MAX_MEASURES}")
    return count


def _ask(question: str, check: Callable[[str], Any], default: str | None = None) -> Any:
    while True:
        shown = f"{question} [{default}]: " if default is not None else f"{question}: "
        try:
            answer = input(shown)
        except EOFError:
            raise Refused("no answer given") from None
        if not answer.strip() and default is not None:
            answer = default
        try:
            return check(answer)
        except Refused as exc:
            print(f"  {exc}", file=sys.stderr)


def _looks_traditional(text: str) -> bool:
    """True when OpenCC would change many characters: probably a Traditional-script original."""
    try:
        from generator.core.sources import to_simplified
    except ImportError:  # pragma: no cover
        return False
    sample = "".join(c for c in text[:20000] if "\u4e00" <= c <= "\u9fff")
    if len(sample) < 50:
        return False
    converted = to_simplified(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed / len(sample) > 0.05


# --------------------------------------------------------------------------- entry point


def gather(args: argparse.Namespace, interactive: bool) -> dict[str, Any]:
    """Check the given answers; ask for the missing ones (or refuse, listing them)."""
    root: Path = args.root
    questions: list[tuple[str, str, Callable[[str], Any], str | None]] = [
        (
            "id",
            "政策 id / policy id (e.g. henan-2024-training-subsidies)",
            lambda v: check_id(root, v, getattr(args, "source_file", None)),
            None,
        ),
        ("title", "完整标题 / full title", check_title, None),
        ("region", "地区 id / region id (data/regions.yaml)", lambda v: check_region(root, v), None),
        ("doc_type", "文种 / document type (" + " ".join(t.value for t in models.DocType) + ")", check_doc_type, None),
        ("source_file", "原文文件 / original text file (UTF-8)", check_source, None),
        ("url", "原文网址 / source URL (empty if none)", check_url, ""),
        ("measures", "编号条款数 / number of numbered provisions", check_measures, "1"),
    ]
    answers: dict[str, Any] = {}
    errors: list[str] = []
    missing: list[str] = []
    for key, question, check, default in questions:
        given = getattr(args, key, None)
        if given is not None:
            try:
                answers[key] = check(str(given))
            except Refused as exc:
                if not interactive:
                    errors.append(f"--{key.replace('_', '-')}: {exc}")
                    continue
                print(f"  {exc}", file=sys.stderr)
                answers[key] = _ask(question, check, default)
        elif interactive:
            answers[key] = _ask(question, check, default)
        elif default is not None:
            answers[key] = check(default)
        else:
            missing.append(key)
    if missing:
        flags = " ".join(f"--{k.replace('_', '-')} …" for k in missing)
        errors.append(
            f"missing {', '.join('--' + k.replace('_', '-') for k in missing)} (stdin is not a terminal, "
            f"so nothing can be asked): run python -m generator new {flags}"
        )
    if errors:
        raise Refused("\n".join(errors))
    return answers


def _write_new(path: Path, data: bytes) -> None:
    """Create a file that must not exist yet (exclusive create, so a race cannot overwrite either)."""
    with open(path, "xb") as handle:
        handle.write(data)


def main(args: argparse.Namespace) -> int:
    root: Path = args.root
    interactive = sys.stdin.isatty()
    try:
        answers = gather(args, interactive)
    except Refused as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        print("nothing was written.", file=sys.stderr)
        return 1
    policy_id = answers["id"]
    raw = answers["source_file"].read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    traditional = bool(getattr(args, "traditional", False))
    text = template(
        policy_id=policy_id,
        title=answers["title"],
        region=answers["region"],
        doc_type=answers["doc_type"],
        sha256=digest,
        url=answers["url"],
        traditional=traditional,
        measures=answers["measures"],
    )
    policy_path = root / "data" / "policies" / f"{policy_id}.yaml"
    source_path = root / "data" / "sources" / f"{policy_id}.txt"
    policy_path.parent.mkdir(parents=True, exist_ok=True)
    source_path.parent.mkdir(parents=True, exist_ok=True)
    # `python -m generator archive` already wrote the archive in place: use it as it is, copy nothing.
    archived = answers["source_file"].resolve() == source_path.resolve()
    try:
        if not archived:
            _write_new(source_path, raw)
        try:
            _write_new(policy_path, text.encode("utf-8"))
        except BaseException:
            if not archived:
                os.unlink(source_path)
            raise
    except FileExistsError as exc:
        print(f"error: {exc.filename} already exists; nothing was written.", file=sys.stderr)
        return 1
    rel_policy, rel_source = policy_path.relative_to(root), source_path.relative_to(root)
    print(f"wrote {rel_policy} ({answers['measures']} measure stub{'s' if answers['measures'] != 1 else ''})")
    if archived:
        print(f"using {rel_source} as archived (sha256 {digest})")
    else:
        print(f"wrote {rel_source} (copied unchanged from {answers['source_file']}, sha256 {digest})")
    if not traditional and _looks_traditional(raw.decode("utf-8")):
        print(
            "note: the source looks like Traditional Chinese; if it is, set source.script: zh-Hant "
            "(or run new again with --traditional) and quote it in Simplified characters."
        )
    print(f"next: replace every TODO, then run: python -m generator validate {rel_policy}")
    return 0
