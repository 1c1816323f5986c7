"""Contributor text is data, never markup — proved on the real pipeline with hostile text.

Every contributor text field of a policy (and the vocabulary texts: region, theme, topic and
metric names, glossary definitions, wording fixes) is filled with text built from Markdown,
HTML and Jinja metacharacters, entity look-alikes, attr-list syntax, line breaks and
zero-width characters. The data is written as YAML files, validated, generated and converted
with the Markdown extensions of mkdocs.yml, exactly as MkDocs does; then, page by page, the
HTML is compared with a rendering of the *same data with harmless placeholder text*:

* the sequence of elements and attributes must be identical (so no element, attribute or
  link came from the data; only values of text attributes such as ``title`` may differ);
* every text node and text attribute must read back as the placeholder's field value:
  every character in order, zero-width, no-break and ideographic spaces included, modulo
  the documented whitespace normalisation (HTML collapses spaces, tabs and line breaks; a
  line break in a value becomes one space together with the whitespace around it; headings
  and quotes trim whitespace at a value's ends);
* every side-by-side table row has as many cells as its header.

Documented exceptions: the line numbers of quotes in the archived source (hostile quotes span
lines), the text inside SVG charts (the short title is cut to 10 characters by design), the
chart geometry, which follows the label widths (it must still be numbers), and whether a measure's
quotes are folded under its summary (``details.atlas-fold``: a decision computed from how close the
two texts are, ``views.near_identical``; the fold is removed from both renderings before comparing).
A real ``mkdocs build`` of one dataset holding every nasty string at once is checked the
same way, including Material's page titles, navigation, table of contents and search index.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from atlas_pipeline import (
    events,
    generator_env,
    make_root,
    mkdocs_markdown,
    read_vocab,
    tables,
    to_html,
    write_policy,
    write_vocab,
)
from conftest import ROOT
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.contrib.fmt import SECTION_BRACKETS
from generator.core import checks
from generator.core.catalog import external_slug
from generator.core.checks import bad_url
from generator.core.sources import normalise
from generator.core.validate import validate
from generator.site.generate import DataProblems, generate
from generator.site.render import MD_ESCAPED, md_escape

POLICY_ID = "zeta-2024-hostile"

# The contributor text fields, by the model's length limit: ShortText (200), Text (4000), quotes.
SHORT = (
    "title",
    "short_title",
    "doc_number",
    "issuer0",
    "issuer1",
    "m1_section",
    "m1_title",
    "agency0",
    "agency1",
    "target_scope",
    "stat_scope",
    "recipient",
    "condition",
    "recipient2",
    "condition2",
    "per",
    "m2_section",
    "m2_title",
    "ref_title",
    "ref_doc_number",
    "ref_issuer",
    "region_name",
    "region_name_en",
    "theme_name",
    "theme_name_en",
    "topic_name",
    "topic_name_en",
    "metric_name",
    "term_en",
    "wording_why",
)
LONG = ("summary", "m1_summary", "m2_summary", "note", "theme_description", "topic_description", "definition")
QUOTES = (
    "quote0",
    "quote1",
    "quote2",
    "target_quote",
    "target_quote2",
    "stat_quote",
    "amount_quote",
    "amount_quote2",
    "evidence",
)
FIELDS = SHORT + LONG + QUOTES

# Fixed suffixes that make the numbers-in-quotes check pass whatever the hostile text says.
SUFFIX = {
    "target_quote": "，达到35%",
    "target_quote2": "，提高12%",
    "stat_quote": "，共120万人次",
    "amount_quote": "，给予10万元",
    "amount_quote2": "，补贴1000元",
}
GLOSSED = "（首席技师）"  # a glossary term in the measure summary, so term links (title attributes) are exercised

NASTY = [
    "*",
    "**b**",
    "_i_",
    "__",
    "[",
    "]",
    "[x](javascript:alert(1))",
    "![i](x.png)",
    "`",
    "```",
    "|",
    "||",
    "\\|",
    "\\",
    "# ",
    "## h",
    "#",
    "> ",
    ">",
    "- ",
    "-",
    "1. ",
    "1.",
    "+ ",
    "!",
    "---",
    "===",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</p>",
    "</div>",
    '<div markdown="1">',
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&lt;b&gt;",
    "&#x3C;",
    "&#60;",
    "&copy",
    "&",
    '"',
    "'",
    '" onmouseover="alert(1)',
    "' x='",
    "{{ 7*7 }}",
    "{% if 1 %}",
    "{# c #}",
    "{: #x .y }",
    "{:",
    "}",
    "{",
    "\n",
    "\n\n",
    "\n    ",
    "\t",
    "  ",
    " ",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\u00a0",
    "\u3000",
    "\u202e",
    "~~s~~",
    "^^",
    "==m==",
    ":smile:",
    "*[HTML]: x",
    "[^1]",
    "<http://x.org>",
    "https://x.org/a_b_",
    "\ufffd",
    "%",
    "wzxhzdk:0",
    "wzxhzdk:1",
    "klzzwxh:0",  # Python-Markdown's placeholders (their \x02…\x03 are refused)
    "\u3010",
    "¶",
    "…",
]

# Control characters are refused by the validator (test_control_characters_are_validation_errors).
_piece = st.one_of(
    st.sampled_from(NASTY), st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=6)
)


def _text(max_pieces: int) -> st.SearchStrategy[str]:
    return st.lists(_piece, min_size=1, max_size=max_pieces).map("".join)


def _acceptable(field: str, value: str) -> bool:
    """Values the validator rightly refuses are not what this test is about (they have their own tests),
    nor glossary terms, which turn text into a link and so change the page's shape on purpose."""
    if (
        not value.strip()
        or value.startswith("TODO")
        or "技师" in value
        or len(value) > (200 if field in SHORT else 4000)
    ):
        return False
    if _BIDI.search(value) or (field not in QUOTES and _ZERO_WIDTH.search(value)):
        return False  # issue 17: bidi controls everywhere, zero-width characters outside quotes are refused
    if field in SHORT and "\n" in value.strip():
        return False  # one-line fields refuse line breaks
    if field in QUOTES:
        return len(normalise(value)) >= checks.MIN_QUOTE_CHARS
    return True


_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
# A wording fix maps a word to a word (letters only, issue 17), so its from/to cannot carry markup; they
# are fixed here and only its 'why' is hostile.
WORDING_FROM, WORDING_TO = "网路用语", "网络用语"


# ATLAS_NO_SHRINK=1 reports the first failing example at once (shrinking a 45-field example can take
# minutes); by default Hypothesis shrinks as usual.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] if os.environ.get("ATLAS_NO_SHRINK") else list(Phase)


def _nudged(field: str, value: str) -> str:
    """The nearest acceptable value, instead of discarding the example."""
    value = value.replace("技师", "技·师")
    value = _BIDI.sub("", value)
    if field not in QUOTES:
        value = _ZERO_WIDTH.sub("", value)
    if field in SHORT:
        value = value.replace("\n", " ")
    if field in ("m1_section", "m2_section"):  # the canonical form writes section brackets full-width (fmt)
        value = value.translate(SECTION_BRACKETS)
    if value.startswith("TODO"):
        value = "·" + value
    if not value.strip() or (field in QUOTES and len(normalise(value)) < checks.MIN_QUOTE_CHARS):
        value += "·。·。·。"
    return value


HOSTILE = st.fixed_dictionaries({f: _text(6 if f in SHORT else 10).map(lambda v, f=f: _nudged(f, v)) for f in FIELDS})


def placeholders() -> dict[str, str]:
    """Harmless text: a distinct token per field, untouched by any escaping."""
    return {f: f"Zq{i:02d}qZ" for i, f in enumerate(FIELDS)}


# --------------------------------------------------------------------------- the dataset


def _measures(v: dict[str, str]) -> list[dict]:
    m1 = {
        "id": "m01",
        "section": v["m1_section"],
        "title": v["m1_title"],
        "themes": ["competitions", "extra", "goals"],
        "topics": ["competition-prize-money", "odd-topic", "development-targets"],
        "summary": v["m1_summary"] + GLOSSED,
        "quotes": [v["quote0"], v["quote1"]],
        "agencies": [v["agency0"], v["agency1"]],
        "targets": [
            {
                "metric": "high-skilled-share-of-skilled",
                "value": 35,
                "unit": "percent",
                "comparator": "about",
                "deadline": 2025,
                "period": "十四五",
                "scope": v["target_scope"],
                "quote": v["target_quote"] + SUFFIX["target_quote"],
            },
            {
                "metric": "odd-metric",
                "value": 12,
                "unit": "percent",
                "quote": v["target_quote2"] + SUFFIX["target_quote2"],
            },
        ],
        "statistics": [
            {
                "metric": "training-person-times",
                "value": 1200000,
                "unit": "person-times",
                "as_of": "2023",
                "scope": v["stat_scope"],
                "quote": v["stat_quote"] + SUFFIX["stat_quote"],
            }
        ],
        "amounts": [
            {
                "yuan": 100000,
                "kind": "prize",
                "recipient": v["recipient"],
                "condition": v["condition"],
                "tier": "national-class-1",
                "rank": 1,
                "quote": v["amount_quote"] + SUFFIX["amount_quote"],
            },
            {
                "yuan": 1000,
                "kind": "subsidy",
                "recipient": v["recipient2"],
                "condition": v["condition2"],
                "up_to": True,
                "per": v["per"],
                "quote": v["amount_quote2"] + SUFFIX["amount_quote2"],
            },
        ],
    }
    m2 = {
        "id": "m02",
        "section": v["m2_section"],
        "title": v["m2_title"],
        "themes": ["training"],
        "topics": ["training-subsidies"],
        "summary": v["m2_summary"],
        "quotes": [v["quote2"]],
    }
    return [m1, m2]


def hostile_policy(v: dict[str, str]) -> tuple[dict, str]:
    policy = {
        "id": POLICY_ID,
        "title": v["title"],
        "short_title": v["short_title"],
        "doc_type": "意见",
        "doc_number": v["doc_number"],
        "region": "zone",
        "issuers": [v["issuer0"], v["issuer1"]],
        "dates": {"signed": "2024-04-01"},
        "status": "in-force",
        "source": {"url": "https://example.org/zeta?a=1&b=2#top", "retrieved": "2024-05-01"},
        "summary": v["summary"],
        "implements": [{"policy": "north-2023-skills"}],
        "cites": [
            {
                "ref": {
                    "title": v["ref_title"],
                    "doc_number": v["ref_doc_number"],
                    "issuer": v["ref_issuer"],
                    "url": "https://example.org/ref?x=1&y=2",
                }
            }
        ],
        "measures": _measures(v),
        "notes": [{"kind": "ambiguity", "measure": "m01", "note": v["note"], "evidence": v["evidence"]}],
    }
    quotes = [v[q] + SUFFIX.get(q, "") for q in QUOTES]
    return policy, "\n\n".join(quotes) + "\n"


def write_dataset(root: Path, v: dict[str, str], site_files: bool = False) -> Path:
    """The mini fixture plus a hostile region, theme, topic, metric, glossary definition, wording fix and policy."""
    make_root(root, site_files=site_files)
    regions = read_vocab(root, "regions.yaml")
    regions["regions"].append(
        {
            "id": "zone",
            "name": v["region_name"],
            "name_en": v["region_name_en"],
            "level": "prefecture",
            "parent": "south",
            "code": "510100",
        }
    )
    write_vocab(root, "regions.yaml", regions)
    themes = read_vocab(root, "themes.yaml")
    themes["themes"].append(
        {"id": "extra", "name": v["theme_name"], "name_en": v["theme_name_en"], "description": v["theme_description"]}
    )
    write_vocab(root, "themes.yaml", themes)
    topics = read_vocab(root, "topics.yaml")
    topics["topics"].append(
        {
            "id": "odd-topic",
            "theme": "competitions",
            "name": v["topic_name"],
            "name_en": v["topic_name_en"],
            "description": v["topic_description"],
        }
    )
    write_vocab(root, "topics.yaml", topics)
    metrics = read_vocab(root, "metrics.yaml")
    metrics["metrics"].append(
        {
            "id": "odd-metric",
            "name": v["metric_name"],
            "name_en": "Odd metric",  # name only:
            "unit": "percent",
        }
    )  # name_en and description are not shown on pages
    write_vocab(root, "metrics.yaml", metrics)
    glossary = read_vocab(root, "glossary.yaml")
    glossary["terms"][0].update(definition=v["definition"], en=v["term_en"])
    write_vocab(root, "glossary.yaml", glossary)
    wording = read_vocab(root, "wording.yaml")
    wording["fixes"].append({"from": WORDING_FROM, "to": WORDING_TO, "why": v["wording_why"]})
    write_vocab(root, "wording.yaml", wording)
    policy, source = hostile_policy(v)
    write_policy(root, policy, source)
    return root


def render_site(root: Path, md: markdown.Markdown, values: dict[str, str]) -> dict[str, str]:
    """page src → HTML, through generate() and Markdown with mkdocs.yml's extensions."""
    try:
        generated = generate(root)
    except DataProblems as exc:
        raise AssertionError("the dataset did not validate:\n" + "\n".join(p.format() for p in exc.problems)) from None
    return {_stable(src, values): to_html(text, md) for src, text in generated.markdown.items()}


# --------------------------------------------------------------------------- comparing two renderings

_LINE_HREF = re.compile(r"#L\d+$")
_LINE_TEXT = re.compile(r"存档原文第 \d+(–\d+)? 行")
TEXT_ATTRIBUTES = {"title", "aria-label", "alt"}
SVG_GEOMETRY = {"viewbox", "width", "height", "x", "y"}


def _stable(value: str, values: dict[str, str]) -> str:
    """The external reference's page is named after a hash of its (hostile) title; compare it by role."""
    return value.replace(external_slug(values["ref_title"]), "ref-hostile")


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_ANY_SPACE = re.compile(r"\s+")


def norm(text: str, loose: bool = False) -> str:
    """Text as compared: without HTML whitespace (spaces, tabs, line breaks), which HTML collapses anyway.
    Every other character — zero-width, no-break and ideographic spaces included — must match exactly,
    unless ``loose``: MkDocs collapses every kind of whitespace in page and table-of-contents titles."""
    return (_ANY_SPACE if loose else _HTML_SPACE).sub("", text)


def norm_value(value: str) -> str:
    """The documented normalisation of a field value: a line break and the whitespace around it become
    one space, and whitespace at either end is not shown."""
    return re.sub(r"\s*[\r\n]\s*", " ", value).strip()


def reads_back(
    got: str, template_text: str, tokens: dict[str, str], values: dict[str, str], loose: bool = False
) -> bool:
    """Does rendered text equal the harmless rendering's text with each placeholder replaced by its value?

    Whitespace at the ends of a value, and around a line break, may or may not be shown (headings
    and quotes collapse and trim it, plain text keeps it), so there it is optional; every other
    character must be there, in order.
    """
    pattern = []
    for i, part in enumerate(re.split(r"(Zq\d\dqZ)", template_text)):
        if i % 2:
            pieces = re.split(r"(\s*[\r\n]\s*)", values[tokens[part]].strip())
            pattern.append(
                r"\s*"
                + "".join(r"\s*" if j % 2 else re.escape(norm(piece, loose)) for j, piece in enumerate(pieces))
                + r"\s*"
            )
        else:
            pattern.append(re.escape(norm(part, loose)))
    return re.fullmatch("".join(pattern), norm(got, loose)) is not None


def _expected(template_text: str, tokens: dict[str, str], values: dict[str, str]) -> str:
    """For messages: the text we expect, roughly."""
    return re.sub(r"Zq\d\dqZ", lambda m: norm_value(values[tokens[m.group()]]), template_text)


def _slots(page_events: list[tuple]) -> list:
    """[text, tag, text, tag, …, text]: the text before, between and after the tags (maybe empty)."""
    out: list = [""]
    for event in page_events:
        if event[0] == "text":
            out[-1] += event[1]
        else:
            out += [event, ""]
    return out


_FOLD = re.compile(r'<details class="atlas-quotes atlas-fold[^"]*">\s*<summary>[^<]*</summary>')
_DETAILS = re.compile(r"<details\b|</details>")


def unfold(html_text: str) -> str:
    """The page without the folds of quotes under their summary (the quotes inside stay)."""
    while (start := _FOLD.search(html_text)) is not None:
        depth, at = 1, start.end()
        for tag in _DETAILS.finditer(html_text, at):
            depth += 1 if tag.group() == "<details" else -1
            if depth == 0:
                html_text = html_text[: start.start()] + html_text[start.end() : tag.start()] + html_text[tag.end() :]
                break
        else:
            raise AssertionError("a fold of quotes is not closed")
    return html_text


def compare(
    page: str, harmless: str, hostile: str, tokens: dict[str, str], values: dict[str, str], loose: bool = False
) -> None:
    """Same elements and attributes in the same order; text reads back as the field values."""
    harmless, hostile = unfold(harmless), unfold(hostile)
    harmless_values = {field: token for token, field in tokens.items()}
    a, b = _slots(events(harmless)), _slots(events(hostile))
    assert [e[:2] for e in a[1::2]] == [e[:2] for e in b[1::2]], f"{page}: the element structure changed"
    assert [e for e in a[1::2] if e[0] == "other"] == [e for e in b[1::2] if e[0] == "other"], (
        f"{page}: a comment or declaration came from data"
    )
    in_svg = 0
    for ea, eb in zip(a, b):
        if isinstance(ea, str):
            if not in_svg:
                assert reads_back(_LINE_TEXT.sub("L", eb), _LINE_TEXT.sub("L", ea), tokens, values, loose), (
                    f"{page}: text does not read back:\n  want {_expected(ea, tokens, values)!r}\n  got  {eb!r}"
                )
            continue
        if ea[0] == "end":
            in_svg -= ea[1] == "svg"
            continue
        if ea[0] != "start":
            continue
        in_svg += ea[1] == "svg"
        names_a, names_b = [n for n, _ in ea[2]], [n for n, _ in eb[2]]
        assert names_a == names_b, f"{page}: <{ea[1]}> attributes {names_a} became {names_b}"
        for (name, va), (_, vb) in zip(ea[2], eb[2]):
            va, vb = va or "", vb or ""
            if name in TEXT_ATTRIBUTES:
                if not in_svg:
                    assert reads_back(vb, va, tokens, values, loose), f"{page}: <{ea[1]} {name}={vb!r}> differs"
            elif in_svg and name in SVG_GEOMETRY:  # charts size their label column to the labels
                assert re.fullmatch(r"[0-9. -]+", vb), f"{page}: <{ea[1]} {name}={vb!r}> is not a number"
            else:
                assert _LINE_HREF.sub("#L", _stable(vb, values)) == _LINE_HREF.sub(
                    "#L", _stable(va, harmless_values)
                ), f"{page}: <{ea[1]} {name}={vb!r}> (expected {va!r}) — an attribute value came from data"


def check_tables(page: str, page_html: str) -> None:
    for table in tables(page_html, "atlas-sbs"):
        assert table["rows"], f"{page}: empty side-by-side table"
        for row in table["rows"]:
            assert row == table["header"], f"{page}: a row has {row} cells, the header {table['header']}"


def _vocabulary(page_html: str) -> set:
    out = set()
    for e in events(page_html):
        if e[0] == "start":
            out.add((e[1], tuple((n, re.sub(r"L\d+", "L", v or "")) for n, v in e[2])))
        elif e[0] == "other":
            out.add(e)
    return out


def check_sources(page: str, harmless: str, hostile: str, values: dict[str, str], loose: bool = False) -> None:
    """Archive pages show the text line by line, so their length follows the data: the elements and
    attributes must be ones the harmless page has, and every line of the archive must be shown whole."""
    assert _vocabulary(hostile) <= _vocabulary(harmless), f"{page}: elements or attributes came from data"
    if POLICY_ID in page:
        shown = {norm(e[1], loose) for e in events(hostile) if e[0] == "text"}
        lines = [norm(line, loose) for line in hostile_policy(values)[1].split("\n")]
        missing = [line for line in lines if line and line not in shown]
        assert not missing, f"{page}: archive lines not shown as written: {missing[:3]}"


def compare_sites(harmless: dict[str, str], hostile: dict[str, str], values: dict[str, str]) -> None:
    tokens = {token: field for field, token in placeholders().items()}
    assert sorted(harmless) == sorted(hostile)
    for page in sorted(hostile):
        if page.startswith("sources/") and page != "sources/wording.md":
            check_sources(page, harmless[page], hostile[page], values)
        else:
            compare(page, harmless[page], hostile[page], tokens, values)
        check_tables(page, hostile[page])


# --------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def md() -> markdown.Markdown:
    return mkdocs_markdown()


class Rendered(dict):
    """Pages by source path; a short repr keeps Hypothesis' failure reports readable."""

    def __repr__(self) -> str:
        return f"<{len(self)} rendered pages>"


@pytest.fixture(scope="module")
def harmless_site(tmp_path_factory, md) -> Rendered:
    root = write_dataset(tmp_path_factory.mktemp("harmless"), placeholders())
    return Rendered(render_site(root, md, placeholders()))


def test_escape_set_matches_markdown(md):
    """md_escape escapes exactly what Python-Markdown (with mkdocs.yml's extensions) un-escapes."""
    assert set(MD_ESCAPED) == set(md.ESCAPED_CHARS) - {">"}  # '>' is HTML-escaped to &gt; instead


@pytest.mark.parametrize(
    "text",
    [
        "a:b",
        '"q"',
        "it's",
        "x=y",
        "~a^",
        "*b* _i_ `c` [l](u) #1 {: #x } |p|",
        "&amp; &lt;b&gt; <b>",
        "1. - > + !",
        "a\\b",
        "a\nb\r\nc\rd",
    ],
)
def test_md_escape_reads_back_in_a_heading(md, text):
    html_out = md.reset().convert(f"# {md_escape(text)} {{: #h }}")
    slots = _slots(events(html_out))
    permalink = ("start", "a", (("class", "headerlink"), ("href", "#h"), ("title", "本节链接")))
    assert slots[1::2] == [("start", "h1", (("id", "h"),)), permalink, ("end", "a"), ("end", "h1")]
    assert norm(slots[2]) == norm(norm_value(text))


def test_harmless_rendering_covers_every_field(harmless_site):
    """Each placeholder shows up somewhere, so the hostile run really exercises every field."""
    everything = "\n".join(harmless_site.values())
    missing = [f for f, token in placeholders().items() if token not in everything]
    assert not missing, f"fields never rendered: {missing}"


@settings(
    max_examples=60,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(values=HOSTILE)
def test_hostile_text_stays_text(values, harmless_site, md, tmp_path_factory):
    for field, value in values.items():
        assert _acceptable(field, value), (field, value)
    root = write_dataset(tmp_path_factory.mktemp("hostile"), values)
    compare_sites(harmless_site, render_site(root, md, values), values)


# --------------------------------------------------------------------------- the real MkDocs build


def _chunks(limit: int = 190) -> list[str]:
    out = [""]
    for piece in NASTY:
        if len(out[-1]) + len(piece) > limit:
            out.append("")
        out[-1] += piece
    return out


def everything_at_once() -> dict[str, str]:
    """Every nasty string in every long field and quote; short fields (200 characters at most) take turns
    with a share of them. A number first makes each field's text distinct."""
    nasty, chunks = "".join(NASTY), _chunks()
    return {f: _nudged(f, f"{i}{chunks[i % len(chunks)] if f in SHORT else nasty}") for i, f in enumerate(FIELDS)}


def _build(root: Path) -> Path:
    site = root / "site"
    # build refuses files not in canonical form (the same gate as validate, issue 17); a contributor runs fmt
    formatted = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "fmt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=generator_env(),
    )
    assert formatted.returncode == 0, formatted.stdout[-3000:] + formatted.stderr[-3000:]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(root),
            "build",
            "--site-dir",
            str(site),
            "--no-pdf",
            "--no-offline",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=generator_env(),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return site


def _main_content(page_html: str) -> str:
    """The part of a Material page our Markdown produced (inside <article>), minus the edit/PDF buttons."""
    start = page_html.index("<article")
    end = page_html.index("</article>", start)
    article = page_html[page_html.index(">", start) + 1 : end]
    return re.sub(r'<a href="[^"]*" title="[^"]*" class="md-content__button[^>]*>.*?</a>', "", article, flags=re.S)


@pytest.fixture(scope="module")
def built_pair(tmp_path_factory) -> tuple[Path, Path]:
    harmless = _build(write_dataset(tmp_path_factory.mktemp("mk-harmless"), placeholders(), site_files=True))
    hostile = _build(write_dataset(tmp_path_factory.mktemp("mk-hostile"), everything_at_once(), site_files=True))
    return harmless, hostile


def _pages(site: Path, values: dict[str, str]) -> dict[str, str]:
    return {
        _stable(str(p.relative_to(site)), values): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))
    }


def test_mkdocs_build_of_hostile_data_is_escaped(built_pair):
    harmless, hostile = built_pair
    a, b = _pages(harmless, placeholders()), _pages(hostile, everything_at_once())
    a, b = {k: unfold(v) for k, v in a.items()}, {k: unfold(v) for k, v in b.items()}
    assert sorted(a) == sorted(b)
    values = everything_at_once()
    tokens = {token: field for field, token in placeholders().items()}
    for page in sorted(b):
        if page.startswith("sources/") and page != "sources/wording/index.html":
            check_sources(page, a[page], b[page], values, loose=True)
            continue
        # The whole page: head, navigation, table of contents and content must have the same shape.
        shape_a = [e[:2] for e in events(a[page]) if e[0] != "text"]
        shape_b = [e[:2] for e in events(b[page]) if e[0] != "text"]
        assert shape_a == shape_b, f"{page}: the page structure changed"
        compare(page, a[page], b[page], tokens, values, loose=True)
        check_tables(page, b[page])


def test_page_titles_and_search_index_are_escaped(built_pair):
    """Material prints page titles unescaped (<title>, header, nav): they must still be plain text."""
    _, hostile = built_pair
    values = everything_at_once()
    page = (hostile / "policies" / POLICY_ID / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title, "no <title>"
    title_events = events(title.group(1))
    assert all(e[0] == "text" for e in title_events), f"markup inside <title>: {title.group(1)[:300]}"
    assert title_events and norm(norm_value(values["title"])) in norm(title_events[0][1])
    # The search records hold contributor text as data (the search box prints it as text): the
    # hostile title is there verbatim, not turned into markup or dropped.
    from generator.export.sitesearch import Index

    records = Index(hostile / "search").fragments("m")
    assert records, "no measure in the search index"
    titles = {r["title"] for r in records}
    assert any(t.endswith(" " + values["m1_title"]) for t in titles), sorted(titles)[:3]
    assert values["short_title"] in {r["policy"] for r in records}


def _texts(fragment: str) -> list[str]:
    return [norm(e[1], loose=True) for e in events(fragment) if e[0] == "text" and e[1].strip()]


def test_a_hostile_region_name_in_the_nav_breadcrumb_and_policy_list_is_text(built_pair):
    """Issue 15 prints region names in more places: the nested nav, Material's breadcrumb
    (navigation.path) and footer aria-label, which print nav titles as HTML, and the policy list's
    region filter. Each holds the hostile name as text, escaped exactly once (no entity shown)."""
    _, hostile = built_pair
    name = norm(norm_value(everything_at_once()["region_name"]), loose=True)
    policy = (hostile / "policies" / POLICY_ID / "index.html").read_text(encoding="utf-8")
    path = re.search(r'<nav class="md-path".*?</nav>', policy, re.S)
    assert path and _texts(path.group())[-1] == name, "the breadcrumb ends with the policy's region"
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', policy, re.S)
    assert nav and name in _texts(nav.group()), "the region is in the nav, as text"
    listing = (hostile / "policies" / "index.html").read_text(encoding="utf-8")
    select = re.search(r'<select name="region">.*?</select>', listing, re.S)
    assert select and name in _texts(select.group())
    labels = [
        norm(value or "", loose=True)
        for e in events(listing)
        if e[0] == "start"
        for key, value in e[2]
        if key == "aria-label" and (value or "").startswith("上一页")
    ]
    assert labels == [norm("上一页:", loose=True) + name], labels  # the region's page comes before the list


# --------------------------------------------------------------------------- links


GOOD_URLS = [
    "https://example.org/a?b=1&c=2#x",
    "http://example.org",
    "HTTPS://EXAMPLE.ORG/A",
    "https://例子.中国/路径",
    "https://example.org:8443/x",
]
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "file:///etc/passwd",
    "//evil.example/x",
    "http:/x",
    "http:x",
    "https:",
    "https://",
    "https://:80/",
    "https://@/",
    "https://[::1",
    "https://example.org:99999/",
    "https://evil.example\\@good.example/",
    "https:\\\\evil.example",
    "https://ok.example/\t",
    "https://ok.example/a b",
    "https://ok.example/\u200bx",
    "https://ok.example/\u202ex",
    "https://ok.example/\u3000",
    'https://ok.example/"onmouseover="x',
    "https://ok.example/<script>",
    "mailto:a@b.example",
    "ftp://example.org/x",
    "vbscript:x",
    "about:blank",
    "/relative/path",
    "relative",
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_http_links_accepted(url):
    assert not bad_url(url)


@pytest.mark.parametrize("url", BAD_URLS)
def test_other_links_refused(url):
    assert bad_url(url)


def test_bad_links_are_validation_errors(tmp_path):
    """source.url and ref.url go through the validator: each bad one is reported at its field."""
    root = write_dataset(tmp_path, placeholders())
    policy, source = hostile_policy(placeholders())
    refs = [{"ref": {"title": f"外部文件{i}", "url": url}} for i, url in enumerate(BAD_URLS)]
    write_policy(root, dict(policy, source={"url": "javascript:alert(1)"}, cites=refs), source)
    _, problems = validate(root)
    # a bad link is refused as not http(s), or (more precisely) as holding a user name before '@'
    fields = {p.field for p in problems if "http(s)" in p.message or "user name or password" in p.message}
    assert "source.url" in fields
    assert fields == {"source.url"} | {f"cites[{i}].ref.url" for i in range(len(BAD_URLS))}, "\n".join(
        p.format() for p in problems
    )


@pytest.mark.parametrize("char", ["\x00", "\x02", "\x03", "\x1b", "\r", "\x7f", "\x85"])
def test_control_characters_are_validation_errors(tmp_path, char):
    root = write_dataset(tmp_path, placeholders())
    policy, source = hostile_policy(placeholders())
    path = write_policy(root, dict(policy, title="CONTROL-HERE"), source)
    # Written as a YAML escape, the only way such a character gets into a value (raw, YAML refuses it).
    text = path.read_text(encoding="utf-8").replace("CONTROL-HERE", f'"标题\\u{ord(char):04x}注入"')
    path.write_text(text, encoding="utf-8")
    _, problems = validate(root)
    assert [p.field for p in problems] == ["title"], "\n".join(p.format() for p in problems)
    assert f"U+{ord(char):04X}" in problems[0].message


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u3000", "\n", " \t\u2028 "])
def test_blank_text_is_a_validation_error(tmp_path, blank):
    """A blank heading would lose its anchor ('# {: #id }' is not an attribute list): refuse blank text."""
    root = write_dataset(tmp_path, placeholders())
    policy, source = hostile_policy(placeholders())
    write_policy(root, dict(policy, title=blank), source)
    _, problems = validate(root)
    assert [(p.field, p.message) for p in problems] == [("title", "is blank (only spaces)")], "\n".join(
        p.format() for p in problems
    )
