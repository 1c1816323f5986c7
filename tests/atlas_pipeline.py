"""Test helpers: tiny data roots, policy files written like a contributor would, and the
Markdown → HTML step exactly as MkDocs configures it (extensions from mkdocs.yml).

Used by test_escaping, test_yaml_attacks, test_atomic, test_determinism, test_catalog and
test_render. The fixture data root is ``tests/fixtures/atlas-mini`` (four policies in
four regions, the four core themes plus one more, two glossary terms).
"""

from __future__ import annotations

import hashlib
import html.parser
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown
import yaml
from conftest import FIXTURES, ROOT

MINI = FIXTURES / "atlas-mini"
POLICY_HEADER = "# yaml-language-server: $schema=../../schema/policy.schema.json\n"
SITE_FILES = ("mkdocs.yml", "docs", "overrides", "CONTRIBUTING.md")


# --------------------------------------------------------------------------- data roots


def make_root(dest: Path, site_files: bool = False, data: Path = MINI) -> Path:
    """A copy of a data root (default: the mini fixture); with ``site_files`` it can be built with MkDocs."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data / "data", dest / "data")
    if site_files:
        for name in SITE_FILES:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, dest / name)
            elif src.exists():
                shutil.copy2(src, dest / name)
    return dest


def dump_yaml(data: Any) -> str:
    """YAML as a careful contributor's tool would write it (any text survives: PyYAML escapes what it must)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


def write_policy(root: Path, policy: dict, source: str) -> Path:
    """Write data/policies/<id>.yaml and its archived source, with the source's real SHA-256."""
    raw = source.encode("utf-8")
    (root / "data" / "sources").mkdir(parents=True, exist_ok=True)
    (root / "data" / "sources" / f"{policy['id']}.txt").write_bytes(raw)
    policy = dict(policy)
    policy["source"] = dict(policy.get("source") or {}, sha256=hashlib.sha256(raw).hexdigest())
    path = root / "data" / "policies" / f"{policy['id']}.yaml"
    path.write_text(POLICY_HEADER + dump_yaml(policy), encoding="utf-8")
    return path


def read_vocab(root: Path, name: str) -> dict:
    return yaml.safe_load((root / "data" / name).read_text(encoding="utf-8"))


def write_vocab(root: Path, name: str, data: dict) -> None:
    header = f"# yaml-language-server: $schema=../schema/{name.replace('.yaml', '.schema.json')}\n"
    (root / "data" / name).write_text(header + dump_yaml(data), encoding="utf-8")


def generator_env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")


def run_build(root: Path, site: Path, *extra: str, cwd: Path = ROOT, timeout: int = 900) -> subprocess.CompletedProcess:
    """The contributor's build of ``root`` into ``site``, without the PDF and the offline bundle."""
    command = [sys.executable, "-m", "generator", "--root", str(root), "build", "--site-dir", str(site)]
    return subprocess.run(
        [*command, "--no-pdf", "--no-offline", *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=generator_env(),
    )


def mkdocs_build(root: Path, site: Path, *flags: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Bare ``mkdocs build`` of ``root``'s mkdocs.yml into ``site`` (the atlas plugin inside MkDocs, no gate)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *flags, "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=generator_env(),
    )


# --------------------------------------------------------------------------- Markdown as MkDocs renders it


@lru_cache(maxsize=1)
def _mkdocs_markdown_config() -> tuple[list, dict]:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return list(config["markdown_extensions"]), dict(config["mdx_configs"])


def mkdocs_markdown() -> markdown.Markdown:
    """A Markdown instance with the extensions and settings MkDocs uses for this project."""
    extensions, configs = _mkdocs_markdown_config()
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def to_html(page_markdown: str, md: markdown.Markdown | None = None) -> str:
    """Front matter stripped (as MkDocs does), then converted."""
    from mkdocs.utils.meta import get_data

    body, _ = get_data(page_markdown)
    return (md or mkdocs_markdown()).reset().convert(body)


# --------------------------------------------------------------------------- reading HTML back


class Events(html.parser.HTMLParser):
    """The page as a flat list: ('start', tag, attrs) / ('end', tag) / ('text', str) / ('other', kind, data).

    Consecutive text is merged; character references are decoded, so text is what a reader sees.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def _text(self, data: str) -> None:
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + data)
        else:
            self.events.append(("text", data))

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))
        self.events.append(("end", tag))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        self._text(data)

    def handle_comment(self, data):
        self.events.append(("other", "comment", data))

    def handle_decl(self, decl):
        self.events.append(("other", "decl", decl))

    def handle_pi(self, data):
        self.events.append(("other", "pi", data))

    def unknown_decl(self, data):
        self.events.append(("other", "unknown", data))


def events(page_html: str) -> list[tuple]:
    parser = Events()
    parser.feed(page_html)
    parser.close()
    return parser.events


def tables(page_html: str, css_class: str) -> list[dict]:
    """Every <table> whose class list has ``css_class``: header cell count and each body row's cell count."""
    found: list[dict] = []
    stack: list[dict | None] = []
    section = None
    for event in events(page_html):
        if event[0] == "start" and event[1] == "table":
            classes = (dict(event[2]).get("class") or "").split()
            stack.append({"header": 0, "rows": []} if css_class in classes else None)
        elif event[0] == "end" and event[1] == "table" and stack:
            table = stack.pop()
            if table is not None:
                found.append(table)
        elif stack and stack[-1] is not None:
            table = stack[-1]
            if event[0] == "start" and event[1] in ("thead", "tbody"):
                section = event[1]
            elif event[0] == "start" and event[1] == "tr" and section == "tbody":
                table["rows"].append(0)
            elif event[0] == "start" and event[1] in ("th", "td"):
                if section == "thead":
                    table["header"] += 1
                elif table["rows"]:
                    table["rows"][-1] += 1
    return found


def site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def tree_hash(site: Path) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in site_files(site).items()}


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def all_strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from all_strings(v)
