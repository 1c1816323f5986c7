"""Checks across fields and files, one small registered function each.

Following browser-compat-data's linters: every check has a name and a
description (listed by ``python -m generator checks``), and every message is
written for a contributor, with a hint. A check receives the whole dataset
and yields problems; it never raises on bad data.
"""

from __future__ import annotations

import os
import re
import typing
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, StringConstraints

from generator.core import models
from generator.core.dataset import Dataset
from generator.core.load import NOT_A_FILE, Document
from generator.core.numbers import states
from generator.core.resolve import MAX_SOURCE_BYTES, quote_items
from generator.core.schema import POLICY_SCHEMA_LINE
from generator.core.schema_errors import model_at, placeholder_problems
from generator.core.sources import SourceText, normalise
from generator.core.values import allowed_units
from generator.diagnostics import PathKey, Problem, format_path, suggest


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    run: Callable[[Context], Iterator[Problem]]


REGISTRY: list[Check] = []


def check(name: str, description: str):
    def register(fn: Callable[[Context], Iterator[Problem]]):
        REGISTRY.append(Check(name, description, fn))
        return fn

    return register


class Context:
    def __init__(self, dataset: Dataset, vocab_docs: dict[str, Document]):
        self.data = dataset
        self.vocab_docs = vocab_docs

    def problem(self, doc: Document, path: PathKey, message: str, hint: str = "") -> Problem:
        pos = doc.position(path)
        return Problem(doc.display, pos.line, pos.column, format_path(path), message, hint)

    def policies(self) -> Iterator[tuple[str, models.Policy, Document]]:
        for pid in sorted(self.data.policies):
            yield pid, self.data.policies[pid], self.data.documents[pid]

    def measures(self) -> Iterator[tuple[models.Policy, Document, int, models.Measure]]:
        for _, policy, doc in self.policies():
            for index, measure in enumerate(policy.measures):
                yield policy, doc, index, measure


# --------------------------------------------------------------------------- identity


# Ids become folder names (policies/<id>/, regions/<id>/, themes/<id>/, sources/<id>/). The slug pattern
# already keeps them inside the site; these names are slugs too, but would replace a section page or
# cannot exist as a file name on Windows.
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)
SECTION_PAGES = {
    "policy": {"index": "policies/index.md", "wording": "sources/wording.md"},
    "region": {"index": "regions/index.md"},
    "theme": {"index": "themes/index.md"},
}


def reserved_id(value: str, what: str) -> str | None:
    if value in SECTION_PAGES[what]:
        return f"the {what} id '{value}' is reserved: its page would replace {SECTION_PAGES[what][value]}"
    if value in WINDOWS_DEVICE_NAMES:
        return f"the {what} id '{value}' is a reserved device name on Windows, where its page could not be saved"
    return None


@check(
    "reserved-ids",
    "ids that become page paths do not replace a section page (index, wording) "
    "and are not Windows device names (con, nul, com1 …)",
)
def reserved_ids(ctx: Context) -> Iterator[Problem]:
    for pid, _, doc in ctx.policies():
        message = reserved_id(pid, "policy")
        if message:
            yield ctx.problem(doc, ("id",), message, "choose another id, e.g. with the region and year in it")
    for name, key, what in (("regions.yaml", "regions", "region"), ("themes.yaml", "themes", "theme")):
        vocab_doc, entries = _vocab(ctx, name, key)
        for index, entry in enumerate(entries):
            value = entry.get("id") if isinstance(entry, dict) else None
            message = reserved_id(value, what) if isinstance(value, str) else None
            if vocab_doc is not None and message:
                yield ctx.problem(vocab_doc, (key, index, "id"), message, "choose another id")


@check("file-name-is-id", "a policy file is named after its id, so its URL and its file agree")
def file_name_is_id(ctx: Context) -> Iterator[Problem]:
    for pid, _policy, doc in ctx.policies():
        if doc.path.stem != pid:
            yield ctx.problem(
                doc,
                ("id",),
                f"id '{pid}' does not match the file name '{doc.path.name}'",
                f"rename the file to {pid}.yaml or change the id to '{doc.path.stem}'",
            )


@check("schema-header", "every policy file starts with the yaml-language-server line, so editors check it")
def schema_header(ctx: Context) -> Iterator[Problem]:
    for _, _, doc in ctx.policies():
        first = doc.text.split("\n", 1)[0].strip()
        if first != POLICY_SCHEMA_LINE:
            yield Problem(
                doc.display,
                1,
                1,
                "",
                "the first line must be the schema line",
                f"put this line first: {POLICY_SCHEMA_LINE}",
            )


# The policy page's own heading anchors (generator/templates/policy.md.j2): a measure with one of these ids
# would share its anchor with a heading, and links to either would land on the first.
PAGE_ANCHORS = frozenset({"policy", "relations", "measures", "targets", "statistics", "amounts", "notes"})


@check(
    "unique-measure-ids",
    "measure ids are unique in a policy and differ from the page's heading anchors "
    "(policy, relations, measures, targets, statistics, amounts, notes): they are anchors",
)
def unique_measure_ids(ctx: Context) -> Iterator[Problem]:
    for _, policy, doc in ctx.policies():
        seen: dict[str, int] = {}
        for index, measure in enumerate(policy.measures):
            if measure.id in PAGE_ANCHORS:
                yield ctx.problem(
                    doc,
                    ("measures", index, "id"),
                    f"measure id '{measure.id}' is the anchor of a heading on the policy page",
                    "number measures m01, m02, … in order",
                )
            elif measure.id in seen:
                yield ctx.problem(
                    doc,
                    ("measures", index, "id"),
                    f"duplicate measure id '{measure.id}'",
                    f"measures[{seen[measure.id]}] already uses it; number measures m01, m02, … in order",
                )
            else:
                seen[measure.id] = index


@check("no-placeholders", "nothing is left of the annotated template: every 'TODO…' placeholder is replaced")
def no_placeholders(ctx: Context) -> Iterator[Problem]:
    # Runs on every file that loaded, valid or not: a placeholder often is what makes it invalid,
    # and validate() then drops the schema message about the same value.
    for display in sorted(ctx.data.loaded):
        yield from placeholder_problems(ctx.data.loaded[display], models.Policy)
    for name in sorted(ctx.vocab_docs):
        yield from placeholder_problems(ctx.vocab_docs[name], models.VOCABULARY_FILES[name])


# --------------------------------------------------------------------------- references


def _ref(
    ctx: Context, doc: Document, path: PathKey, value: str, table: dict, what: str, file: str
) -> Iterator[Problem]:
    if file in ctx.data.broken:
        return  # the vocabulary itself has problems (reported there); its ids cannot be trusted either way
    if file == "policies/" and (ctx.data.root / "data" / "policies" / f"{value}.yaml").is_file():
        return  # the policy exists but has problems of its own, reported in its file
    if value not in table:
        if file == "policies/":
            close = suggest(value, table)
            hint = (
                close
                if close.startswith("did you mean")
                else (
                    f"there is no data/policies/{value}.yaml; for a document the atlas does not have yet, "
                    "write ref: {title: …} instead of policy:"
                )
            )
        else:
            if file == "regions.yaml":  # by name too, in Chinese and English: national → china, 河南 → henan
                from generator.core.checks_values import suggest_region

                hint = suggest_region(value, table) or suggest(value, table) or f"add it to data/{file} first"
            else:
                hint = suggest(value, table) or f"add it to data/{file} first"
        yield ctx.problem(doc, path, f"unknown {what} '{value}'", hint)


@check("known-region", "a policy's region is listed in data/regions.yaml")
def known_region(ctx: Context) -> Iterator[Problem]:
    for _, policy, doc in ctx.policies():
        yield from _ref(ctx, doc, ("region",), policy.region, ctx.data.regions, "region", "regions.yaml")


@check("known-themes-topics", "measures use themes and topics from data/themes.yaml and data/topics.yaml")
def known_themes_topics(ctx: Context) -> Iterator[Problem]:
    for _policy, doc, i, measure in ctx.measures():
        for j, theme in enumerate(measure.themes):
            yield from _ref(ctx, doc, ("measures", i, "themes", j), theme, ctx.data.themes, "theme", "themes.yaml")
        for j, topic in enumerate(measure.topics):
            yield from _ref(ctx, doc, ("measures", i, "topics", j), topic, ctx.data.topics, "topic", "topics.yaml")
        for j, theme in enumerate(measure.themes):
            if measure.themes.index(theme) != j:
                yield ctx.problem(doc, ("measures", i, "themes", j), f"theme '{theme}' is listed twice", "keep one")
        for j, topic in enumerate(measure.topics):
            if measure.topics.index(topic) != j:
                yield ctx.problem(doc, ("measures", i, "topics", j), f"topic '{topic}' is listed twice", "keep one")


@check("topic-theme-listed", "a measure that has a topic also lists that topic's theme, so it shows on the theme page")
def topic_theme_listed(ctx: Context) -> Iterator[Problem]:
    for _policy, doc, i, measure in ctx.measures():
        if any(theme not in ctx.data.themes for theme in measure.themes):
            continue  # an unknown theme is reported by known-themes-topics; fix that first
        for j, topic_id in enumerate(measure.topics):
            topic = ctx.data.topics.get(topic_id)
            if topic and topic.theme in ctx.data.themes and topic.theme not in measure.themes:
                yield ctx.problem(
                    doc,
                    ("measures", i, "topics", j),
                    f"topic '{topic_id}' belongs to theme '{topic.theme}', which the measure does not list",
                    f"add '{topic.theme}' to measures[{i}].themes",
                )


@check("known-metrics", "targets and statistics use metrics from data/metrics.yaml, in the metric's unit")
def known_metrics(ctx: Context) -> Iterator[Problem]:
    for _policy, doc, i, measure in ctx.measures():
        for kind in ("targets", "statistics"):
            for j, item in enumerate(getattr(measure, kind)):
                path = ("measures", i, kind, j)
                metric = ctx.data.metrics.get(item.metric)
                if metric is None:
                    yield from _ref(
                        ctx, doc, path + ("metric",), item.metric, ctx.data.metrics, "metric", "metrics.yaml"
                    )
                elif item.unit not in allowed_units(metric.unit, getattr(item, "change", None)):
                    yield ctx.problem(
                        doc,
                        path + ("unit",),
                        f"unit '{item.unit.value}' differs from metric '{metric.id}' ({metric.unit.value})",
                        f"convert the value to {metric.unit.value}",
                    )


RELATION_KINDS = ("implements", "cites", "calls_for")


@check("relations", "related policies exist; external references have a title; nothing relates to itself")
def relations(ctx: Context) -> Iterator[Problem]:
    for pid, policy, doc in ctx.policies():
        for kind in RELATION_KINDS:
            for j, rel in enumerate(getattr(policy, kind)):
                path = (kind, j)
                if (rel.policy is None) == (rel.ref is None):
                    yield ctx.problem(
                        doc,
                        path,
                        "give either 'policy' (an atlas id) or 'ref' (an external document)",
                        "not both, not neither",
                    )
                elif rel.policy is not None:
                    if rel.policy == pid:
                        yield ctx.problem(doc, path + ("policy",), "a policy cannot relate to itself")
                    else:
                        yield from _ref(
                            ctx, doc, path + ("policy",), rel.policy, ctx.data.policies, "policy", "policies/"
                        )
        if policy.superseded_by is not None:
            if policy.superseded_by == pid:
                yield ctx.problem(doc, ("superseded_by",), "a policy cannot supersede itself")
            else:
                yield from _ref(
                    ctx, doc, ("superseded_by",), policy.superseded_by, ctx.data.policies, "policy", "policies/"
                )
            cycle = _supersession_cycle(ctx.data.policies, pid)
            if cycle:
                yield ctx.problem(
                    doc,
                    ("superseded_by",),
                    "superseded_by goes round in a circle: " + " → ".join(cycle),
                    "a policy is replaced by a later one; keep superseded_by only on the older policies",
                )
            if policy.status is not models.Status.superseded:
                where = ("status",) if ("status",) in doc.positions else ("superseded_by",)
                yield ctx.problem(
                    doc,
                    where,
                    "status should be 'superseded' when superseded_by is set",
                    "write status: superseded, or remove superseded_by",
                )
        for j, note in enumerate(policy.notes):
            if note.measure is not None and note.measure not in {m.id for m in policy.measures}:
                yield from _ref(
                    ctx,
                    doc,
                    ("notes", j, "measure"),
                    note.measure,
                    {m.id: m for m in policy.measures},
                    "measure",
                    "the measures list",
                )


def _supersession_cycle(policies: dict[str, models.Policy], start: str) -> list[str]:
    """The ids of a superseded_by chain that comes back to ``start`` (start … start), or [] if it ends."""
    chain, current = [start], policies[start].superseded_by
    while current is not None and current in policies and current not in chain:
        chain.append(current)
        current = policies[current].superseded_by
    return chain + [start] if current == start and len(chain) > 1 else []


def shown(text: str) -> str:
    """Text for a message: invisible and control characters written as \\uXXXX, so a terminal shows them."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


_URL_FORBIDDEN = set(" \"<>'`\\")  # backslash: browsers read it as '/', so the host a reader sees is not the real one


def bad_url(url: str) -> bool:
    """True unless ``url`` is a plain absolute http(s) address with a host.

    Whitespace, control and format characters (zero-width, bidi overrides) are refused
    because browsers drop or reorder them, so the address shown is not the address opened.
    """
    if any(c in _URL_FORBIDDEN or c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in url):
        return True
    try:
        parsed = urlparse(url)
        host, _ = parsed.hostname, parsed.port  # both raise ValueError on a malformed authority
    except ValueError:
        return True
    if "@" in parsed.netloc:  # https://good.gov.cn@evil.example/ opens evil.example: userinfo is refused
        return True
    return parsed.scheme not in ("http", "https") or not host


def has_userinfo(url: str) -> bool:
    """True if an http(s) address carries ``user:password@``: a reader sees the user part as the host
    (https://hrss.henan.gov.cn@evil.example/), and a password in data would be published."""
    try:
        parsed = urlparse(url)
        return parsed.username is not None or parsed.password is not None
    except ValueError:
        return False


def _policy_links(policy: models.Policy) -> Iterator[tuple[PathKey, str]]:
    """(path, address) for every link a policy file holds."""
    if policy.source.url is not None:
        yield ("source", "url"), policy.source.url
    for j, link in enumerate(policy.source.urls):
        yield ("source", "urls", j, "url"), link.url
    for kind in RELATION_KINDS:
        for j, rel in enumerate(getattr(policy, kind)):
            if rel.ref is not None and rel.ref.url is not None:
                yield (kind, j, "ref", "url"), rel.ref.url
    for j, note in enumerate(policy.notes):
        for k, note_url in enumerate(note.urls):
            yield ("notes", j, "urls", k, "url"), note_url.url


@check(
    "http-links",
    "links are http(s) only, with no user name or password: no javascript:, data: or file: links can reach the site",
)
def http_links(ctx: Context) -> Iterator[Problem]:
    for _, policy, doc in ctx.policies():
        for path, url in _policy_links(policy):
            if has_userinfo(url):  # the more specific message first: bad_url refuses these too
                yield ctx.problem(
                    doc,
                    path,
                    f"'{shown(url[:60])}' holds a user name or password before '@'",
                    "remove the part up to '@': links name only the site and the page",
                )
            elif bad_url(url):
                yield ctx.problem(
                    doc,
                    path,
                    f"'{shown(url[:60])}' is not an http(s) link",
                    "write a full address starting with https:// or http://",
                )


# Unicode category Cc is exactly U+0000–U+001F and U+007F–U+009F; tab and line feed are allowed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates reorder what follows them (a region name with U+202E reverses the
# home page's region chips and the <title>): refused in every text field.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Zero-width characters are invisible: refused outside quotes (a quote keeps what the archive has, and
# the quote check ignores them like whitespace).
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def _is_quote(path: PathKey) -> bool:
    return bool(path) and (path[-1] in ("quote", "evidence") or (len(path) > 1 and path[-2] == "quotes"))


def _string_limits(obj: object) -> Iterator[int]:
    """Every max_length in a field's constraints, through Optional[...] and list[...]."""
    if isinstance(obj, StringConstraints) and obj.max_length is not None:
        yield obj.max_length
    for meta in getattr(obj, "metadata", None) or ():
        yield from _string_limits(meta)
    for arg in typing.get_args(obj):
        yield from _string_limits(arg)
    annotation = getattr(obj, "annotation", None)
    if annotation is not None:
        yield from _string_limits(annotation)


def single_line(model: type | None, path: PathKey) -> bool:
    """True when the field at ``path`` is a one-line field (a title, name, id …: at most 200 characters)."""
    while path and isinstance(path[-1], int):
        path = path[:-1]
    if model is None or not path:
        return False
    owner = model_at(model, path[:-1])
    if owner is None:
        return False
    fields = {f.alias or name: f for name, f in owner.model_fields.items()}
    described = fields.get(str(path[-1]))
    return described is not None and any(limit <= 200 for limit in _string_limits(described))


def _text_problems(
    value: object, path: PathKey, seen: set[int], model: type | None = None
) -> Iterator[tuple[PathKey, str, str]]:
    """(path, message, hint) for every text value that is blank or holds a control character.

    A YAML alias repeats the same string object, so each object is examined once (``seen``): an
    alias-heavy file costs what it costs to write, not what it expands to.
    """
    if isinstance(value, str):
        if id(value) in seen:
            return
        seen.add(id(value))
        bad = _CONTROL.search(value)
        bidi = _BIDI.search(value)
        hidden = None if _is_quote(path) else _ZERO_WIDTH.search(value)
        if bad is not None:
            yield (
                path,
                f"contains the invisible control character U+{ord(bad.group()):04X}",
                "remove it; in double-quoted YAML, escapes such as \\x00 or \\r produce such characters",
            )
        elif bidi is not None:
            yield (
                path,
                f"contains the bidirectional formatting character U+{ord(bidi.group()):04X}",
                "remove it: it reorders the text around it on every page, so readers see something else",
            )
        elif hidden is not None:
            yield (
                path,
                f"contains the zero-width character U+{ord(hidden.group()):04X}",
                "remove it: it is invisible and makes equal-looking text differ",
            )
        elif value and not value.strip():
            yield path, "is blank (only spaces)", "write the text, or remove the field if it is optional"
        elif value and not _ZERO_WIDTH.sub("", value).strip():  # a quote made only of U+200B: invisible links
            yield path, "is blank (only invisible characters)", "write the text, or remove the field if it is optional"
        elif "\n" in value.strip() and single_line(model, path):
            yield (
                path,
                "a one-line field contains a line break",
                "write it on one line; in YAML, a value continued on the next line or a '|' block keeps line breaks",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _text_problems(item, path + (key,), seen, model)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_problems(item, path + (index,), seen, model)


@check(
    "plain-text",
    "text is not blank and holds no control characters (other than tab and line break), no "
    "bidirectional formatting characters, no zero-width characters outside quotes, and "
    "one-line fields have no line break: they would corrupt or disguise pages and the PDF",
)
def plain_text(ctx: Context) -> Iterator[Problem]:
    docs: list[tuple[Document, type[BaseModel] | None]] = [
        (ctx.data.loaded[d], models.Policy) for d in sorted(ctx.data.loaded)
    ]
    docs += [(ctx.vocab_docs[n], models.VOCABULARY_FILES.get(n)) for n in sorted(ctx.vocab_docs)]
    for doc, model in docs:
        for path, message, hint in _text_problems(doc.data, (), set(), model):
            yield ctx.problem(doc, path, message, hint)


# --------------------------------------------------------------------------- dates


# Dates before the People's Republic or from the next century are typos (0001, 2100 …); the range
# is 1949-01-01 to 2099-12-31, as documented in CONTRIBUTING.md.
FIRST_YEAR, LAST_YEAR = 1949, 2099


@check("date-range", f"dates (signed, published, effective, expiry, retrieved) lie in {FIRST_YEAR}–{LAST_YEAR}")
def date_range(ctx: Context) -> Iterator[Problem]:
    for _, policy, doc in ctx.policies():
        dated = [
            (("dates", name), getattr(policy.dates, name)) for name in ("signed", "published", "effective", "expiry")
        ]
        dated.append((("source", "retrieved"), policy.source.retrieved))
        for path, value in dated:
            if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
                yield ctx.problem(
                    doc,
                    path,
                    f"the date {value.isoformat()} is outside {FIRST_YEAR}–{LAST_YEAR}",
                    "check the year against the document",
                )


@check("date-order", "dates are in order: signed ≤ published, effective ≤ expiry, retrieved after publication")
def date_order(ctx: Context) -> Iterator[Problem]:
    pairs = [
        ("signed", "published"),
        ("signed", "effective"),
        ("effective", "expiry"),
        ("signed", "expiry"),
        ("published", "expiry"),
    ]
    for _, policy, doc in ctx.policies():
        d = policy.dates
        for early, late in pairs:
            a, b = getattr(d, early), getattr(d, late)
            if a is not None and b is not None and a > b:
                yield ctx.problem(
                    doc,
                    ("dates", late),
                    f"{late} date {b} is before the {early} date {a}",
                    "check both dates against the document",
                )
        retrieved = policy.source.retrieved
        first = d.published or d.signed
        if retrieved is not None and first is not None and retrieved < first:
            yield ctx.problem(
                doc, ("source", "retrieved"), f"retrieved {retrieved} is before the document's date {first}"
            )
        for j, link in enumerate(policy.source.urls):
            if first is not None and link.retrieved < first:
                yield ctx.problem(
                    doc,
                    ("source", "urls", j, "retrieved"),
                    f"retrieved {link.retrieved} is before the document's date {first}",
                )
        for i, measure in enumerate(policy.measures):
            for j, target in enumerate(measure.targets):
                if target.period is not None and target.deadline is not None:
                    start, end = models.PERIOD_YEARS[target.period.value]
                    if not start <= target.deadline <= end:
                        yield ctx.problem(
                            doc,
                            ("measures", i, "targets", j, "deadline"),
                            f"deadline {target.deadline} is outside the period {target.period.value} ({start}–{end})",
                            "check the year and the period against the quote; give only one if unsure",
                        )


# --------------------------------------------------------------------------- sources and quotes


@check("no-symlinks", "everything under data/ is an ordinary file or folder, so no data file can point outside data/")
def no_symlinks(ctx: Context) -> Iterator[Problem]:
    # A pull request can add a symbolic link as easily as a file; followed, it would publish whatever it
    # points at (an archive is shown in full on the site). Links are reported, never followed here.
    data = ctx.data.root / "data"
    for folder, dirs, files in os.walk(data, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink():  # the same message load.py gives for a linked YAML file (one line is printed)
                yield Problem(path.relative_to(ctx.data.root).as_posix(), 1, 1, "", *NOT_A_FILE)
        dirs.sort()


# An archive is shown in full on its own page: a 200 MB file made a 278 MB page and took 2.1 GB of memory.
# The longest policy text archived so far is under 20 KB.
# A quote must be long enough to say something and to stand in one recognisable place: '奖励' occurs everywhere.
MIN_QUOTE_CHARS = 6


@check("source-archive", "the archived original exists at data/sources/<id>.txt and matches its SHA-256")
def source_archive(ctx: Context) -> Iterator[Problem]:
    for pid, _policy, doc in ctx.policies():
        archive = ctx.data.archives.get(pid)
        if archive is None or archive.state in ("ok", "unnamed", "symlink"):
            continue  # unnamed: reported by file-name-is-id; symlink: by no-symlinks
        if archive.state == "missing":
            yield ctx.problem(
                doc,
                ("source",),
                f"the archived source data/sources/{pid}.txt is missing",
                "save the original text there, unchanged, as UTF-8",
            )
        elif archive.state == "too-large":
            yield ctx.problem(
                doc,
                ("source",),
                f"data/sources/{pid}.txt is {archive.size} bytes, more than the {MAX_SOURCE_BYTES} allowed",
                "archive the policy document itself, as plain text",
            )
        elif archive.state == "mismatch":
            yield ctx.problem(
                doc,
                ("source", "sha256"),
                "the archived source does not match its SHA-256",
                f"the file's SHA-256 is {archive.digest}; archives are never edited — if the file was "
                "replaced on purpose, update source.sha256",
            )
        elif archive.state == "not-utf8":
            yield ctx.problem(doc, ("source",), f"data/sources/{pid}.txt is not UTF-8", "save it as UTF-8")


@check("quote-in-source", "every quote and note evidence is found verbatim in the archived source")
def quote_in_source(ctx: Context) -> Iterator[Problem]:
    for pid, policy, doc in ctx.policies():
        source = ctx.data.sources.get(pid)
        if source is None:
            continue
        script = " after conversion to Simplified (OpenCC tw2s + data/wording.yaml)" if source.traditional else ""
        for path, quote in quote_items(policy):
            length = len(normalise(quote))
            if length < MIN_QUOTE_CHARS:
                yield ctx.problem(
                    doc,
                    path,
                    f"the quote is only {length} characters long",
                    f"quote at least {MIN_QUOTE_CHARS} characters: the words that state the fact",
                )
                continue
            if ctx.data.span(pid, quote) is None:
                yield ctx.problem(
                    doc, path, f"quote not found in data/sources/{pid}.txt{script}", _near_miss(source, quote)
                )


def _near_miss(source: SourceText, quote: str) -> str:
    """Say how much of the quote matches, to point the contributor at the first wrong character."""
    needle = normalise(quote)
    lo, hi = 0, len(needle)
    while lo < hi:  # longest prefix that is in the source
        mid = (lo + hi + 1) // 2
        if needle[:mid] in source.text:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return "copy the text from the archive exactly (whitespace may differ, nothing else)"
    return f"the first {lo} characters match; it differs at '{needle[lo : lo + 8]}' — copy exactly, keep damaged characters"


@check(
    "numbers-in-quotes",
    "every target, statistic, amount and credit states its value in its own quote "
    "(a fraction as 1/3 or 三分之一, a range as 2—3 or 2-3)",
)
def numbers_in_quotes(ctx: Context) -> Iterator[Problem]:
    from generator.core.checks_values import target_not_stated

    for _policy, doc, i, measure in ctx.measures():
        for j, target in enumerate(measure.targets):
            missing = target_not_stated(target)
            if missing:
                yield ctx.problem(doc, ("measures", i, "targets", j) + missing[0], missing[1], missing[2])
        for kind, attr in (("statistics", "value"), ("amounts", "yuan"), ("credits", "percent")):
            for j, item in enumerate(getattr(measure, kind)):
                value = getattr(item, attr)
                if not states(item.quote, value):
                    shown = int(value) if float(value).is_integer() else value
                    unit = {"yuan": "yuan", "percent": "percent"}.get(attr) or item.unit.value
                    yield ctx.problem(
                        doc,
                        ("measures", i, kind, j, attr),
                        f"{shown} {unit} is not stated in its quote",
                        "the quote must contain this number (10万元 = 100000; 280万人 = 2800000)",
                    )


@check("amount-fields", "tier and rank belong to competition prizes only")
def amount_fields(ctx: Context) -> Iterator[Problem]:
    for _policy, doc, i, measure in ctx.measures():
        for j, amount in enumerate(measure.amounts):
            if amount.kind is not models.AmountKind.prize:
                for attr in ("tier", "rank"):
                    if getattr(amount, attr) is not None:
                        yield ctx.problem(
                            doc,
                            ("measures", i, "amounts", j, attr),
                            f"'{attr}' is only for competition prizes (kind: prize)",
                            "remove it, or set kind: prize",
                        )


# --------------------------------------------------------------------------- restatements, issuers, doubts


def _restated(policy: models.Policy, ref: str) -> tuple[str, models.Target | None]:
    """The target ``<measure id>/<number>`` points at in ``policy``, or why there is none."""
    measure_id, number = ref.split("/")
    measure = next((m for m in policy.measures if m.id == measure_id), None)
    if measure is None:
        return f"there is no measure '{measure_id}' in this policy", None
    if int(number) > len(measure.targets):
        return f"measure '{measure_id}' has {len(measure.targets)} target(s), not {number}", None
    return "", measure.targets[int(number) - 1]


@check(
    "restates",
    "a target that restates another (a task repeating a goal) points at a target of the same "
    "policy with the same metric, value and unit, which restates nothing itself",
)
def restates(ctx: Context) -> Iterator[Problem]:
    for policy, doc, i, measure in ctx.measures():
        for j, target in enumerate(measure.targets):
            if target.restates is None:
                continue
            path = ("measures", i, "targets", j, "restates")
            why, goal = _restated(policy, target.restates)
            if goal is None:
                yield ctx.problem(
                    doc,
                    path,
                    f"restates '{target.restates}': {why}",
                    "write <measure id>/<target number, from 1>, e.g. m07/1",
                )
            elif goal is target:
                yield ctx.problem(doc, path, "a target cannot restate itself")
            elif (goal.metric, goal.value, goal.unit) != (target.metric, target.value, target.unit):
                yield ctx.problem(
                    doc,
                    path,
                    f"restates '{target.restates}', which is {goal.metric} "
                    f"{_shown_value(goal)} {goal.unit.value}, not {target.metric} "
                    f"{_shown_value(target)} {target.unit.value}",
                    "a restatement has the same metric, value and unit; otherwise remove restates",
                )
            elif goal.restates is not None:
                yield ctx.problem(
                    doc,
                    path,
                    f"restates '{target.restates}', which restates '{goal.restates}' itself",
                    f"point at the original: restates: {goal.restates}",
                )


def _shown_value(target: models.Target) -> str:
    """A target's value as the contributor wrote it: 50000, 35.5 or a fraction such as 1/3."""
    if target.value is None:
        return target.fraction or "(no value)"
    return str(int(target.value)) if float(target.value).is_integer() else str(target.value)


@check(
    "issuers",
    "a policy names its issuers as printed, or, when none is printed, the inferred ones "
    "with an uncertain entry pointing at the evidence",
)
def issuers(ctx: Context) -> Iterator[Problem]:
    for _, policy, doc in ctx.policies():
        if not policy.issuers and not policy.issuers_inferred:
            where = ("issuers",) if ("issuers",) in doc.positions else ()
            yield ctx.problem(
                doc,
                where,
                "no issuer is given",
                "write issuers as printed; if the text prints none, write issuers_inferred and "
                "an uncertain entry for issuers pointing at the note with the evidence",
            )
        if policy.issuers_inferred and not any(u.field is models.UncertainField.issuers for u in policy.uncertain):
            yield ctx.problem(
                doc,
                ("issuers_inferred",),
                "inferred issuers need an uncertain entry for issuers",
                "add uncertain: [{field: issuers, note: <id of the note with the evidence>}]",
            )


@check(
    "uncertain-notes",
    "each doubtful field is flagged once and points at a note of the same policy by its id; note ids are unique",
)
def uncertain_notes(ctx: Context) -> Iterator[Problem]:
    for _, policy, doc in ctx.policies():
        ids: dict[str, int] = {}
        for j, note in enumerate(policy.notes):
            if note.id is None:
                continue
            if note.id in ids:
                yield ctx.problem(
                    doc, ("notes", j, "id"), f"duplicate note id '{note.id}'", f"notes[{ids[note.id]}] already uses it"
                )
            ids.setdefault(note.id, j)
        seen: set[str] = set()
        for j, flag in enumerate(policy.uncertain):
            if flag.field.value in seen:
                yield ctx.problem(doc, ("uncertain", j, "field"), f"'{flag.field.value}' is flagged twice", "keep one")
            seen.add(flag.field.value)
            if flag.note not in ids:
                hint = suggest(flag.note, ids) or "give the note with the evidence an id, e.g. id: region-evidence"
                yield ctx.problem(doc, ("uncertain", j, "note"), f"no note has the id '{flag.note}'", hint)


@check("source-urls", "a source gives its addresses either as the list urls or as the legacy single url, not both")
def source_urls(ctx: Context) -> Iterator[Problem]:
    for _, policy, doc in ctx.policies():
        if policy.source.urls and policy.source.url is not None:
            yield ctx.problem(
                doc,
                ("source", "url"),
                "give the address in source.urls, not also in source.url",
                "move it into urls with a role (official, reprint-archived or other) and a date",
            )


# --------------------------------------------------------------------------- vocabularies


def _vocab(ctx: Context, name: str, key: str) -> tuple[Document | None, list]:
    doc = ctx.vocab_docs.get(name)
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get(key), list):
        return None, []
    return doc, doc.data[key]


@check("vocabulary-references", "regions' parents, topics' themes and glossary topics exist")
def vocabulary_references(ctx: Context) -> Iterator[Problem]:
    doc, _ = _vocab(ctx, "regions.yaml", "regions")
    for i, region in enumerate(ctx.data.entries.get("regions.yaml", [])):  # the list: a duplicated id keeps indexes
        if doc and region.parent is not None:
            yield from _ref(
                ctx, doc, ("regions", i, "parent"), region.parent, ctx.data.regions, "region", "regions.yaml"
            )
    doc, _ = _vocab(ctx, "topics.yaml", "topics")
    for i, topic in enumerate(ctx.data.entries.get("topics.yaml", [])):
        if doc:
            yield from _ref(ctx, doc, ("topics", i, "theme"), topic.theme, ctx.data.themes, "theme", "themes.yaml")
    doc, _ = _vocab(ctx, "glossary.yaml", "terms")
    seen: dict[str, str] = {}
    for i, term in enumerate(ctx.data.entries.get("glossary.yaml", [])):
        if not doc:
            break
        for j, topic in enumerate(term.topics):
            yield from _ref(ctx, doc, ("terms", i, "topics", j), topic, ctx.data.topics, "topic", "topics.yaml")
        for name in [term.term, *term.aliases]:
            if name in seen and seen[name] != term.id:
                yield ctx.problem(
                    doc,
                    ("terms", i),
                    f"'{name}' is also a term or alias of '{seen[name]}'",
                    "a word may explain only one entry",
                )
            seen[name] = term.id


# A wording fix maps one word to one word (网际网路 → 互联网). Without limits, a fix 'from: 方案全文' with a
# whole sentence as 'to' made any sentence "verbatim" and published an invented 100万元 prize (issue 17).
MAX_TERM_CHARS = 8
MAX_TERM_RATIO = 2.0


def _not_a_term(text: str) -> str | None:
    """Why ``text`` is not a single term, or None if it is one."""
    if len(text) > MAX_TERM_CHARS:
        return f"is {len(text)} characters long; a term has at most {MAX_TERM_CHARS}"
    odd = next((c for c in text if not unicodedata.category(c).startswith(("L", "M"))), None)
    if odd is not None:
        return f"contains '{shown(odd)}'; a term is letters only (no punctuation, digits or spaces)"
    return None


@check(
    "wording-fixes",
    f"data/wording.yaml maps a term to a term (letters only, at most {MAX_TERM_CHARS} "
    f"characters, lengths within a factor of {MAX_TERM_RATIO:g}), and each 'from' occurs in a "
    "Traditional archive",
)
def wording_fixes(ctx: Context) -> Iterator[Problem]:
    doc = ctx.vocab_docs.get("wording.yaml")
    if doc is None or "wording.yaml" in ctx.data.broken:
        return
    from .sources import _opencc

    converted = [_opencc().convert(src.original) for src in ctx.data.sources.values() if src.traditional]
    for i, fix in enumerate(ctx.data.wording):
        terms = True
        for key, text in (("from", fix.taiwan), ("to", fix.mainland)):
            why = _not_a_term(text)
            if why:
                terms = False
                yield ctx.problem(
                    doc,
                    ("fixes", i, key),
                    f"'{shown(text[:40])}' {why}",
                    "a fix replaces one Taiwan-usage word with its mainland equivalent, nothing more",
                )
        short, long = sorted((len(fix.taiwan), len(fix.mainland)))
        if terms and long > short * MAX_TERM_RATIO:
            yield ctx.problem(
                doc,
                ("fixes", i, "to"),
                f"'{shown(fix.mainland)}' is {len(fix.mainland)} characters "
                f"for the {len(fix.taiwan)} of '{shown(fix.taiwan)}'",
                f"the two words differ in length by at most a factor of {MAX_TERM_RATIO:g}",
            )
        # Checked only when the atlas has Traditional archives: without one, no fix is ever applied.
        if converted and not any(fix.taiwan in text for text in converted):
            yield ctx.problem(
                doc,
                ("fixes", i, "from"),
                f"'{shown(fix.taiwan)}' occurs in no Traditional archive",
                "a fix is for a word an archive really uses (after OpenCC tw2s); remove it",
            )


@check("region-levels", "a region's parent is one level up (national > province > prefecture > county)")
def region_levels(ctx: Context) -> Iterator[Problem]:
    order = [models.Level.national, models.Level.province, models.Level.prefecture, models.Level.county]
    doc, _ = _vocab(ctx, "regions.yaml", "regions")
    if doc is None:
        return
    for i, region in enumerate(ctx.data.entries.get("regions.yaml", [])):
        parent = ctx.data.regions.get(region.parent) if region.parent else None
        if parent and order.index(parent.level) >= order.index(region.level):
            yield ctx.problem(
                doc,
                ("regions", i, "parent"),
                f"parent '{parent.id}' ({parent.level.value}) is not above '{region.id}' ({region.level.value})",
            )
        if region.level is not models.Level.national and region.parent is None:
            yield ctx.problem(
                doc,
                ("regions", i),
                f"region '{region.id}' needs a parent",
                "provinces have parent 'china', cities their province",
            )


def run_all(dataset: Dataset, vocab_docs: dict[str, Document]) -> list[Problem]:
    ctx = Context(dataset, vocab_docs)
    problems: list[Problem] = []
    for registered in REGISTRY:
        problems.extend(registered.run(ctx))
    return problems


def describe() -> Iterable[tuple[str, str]]:
    return [(c.name, c.description) for c in REGISTRY]
