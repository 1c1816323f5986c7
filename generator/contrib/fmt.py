"""Canonical form of data files: ``python -m generator fmt [--check] [paths]``.

Two contributors who write the same data get the same file, so a pull
request's diff shows what changed and nothing else. The canonical form is:

* first line: the ``# yaml-language-server: $schema=…`` header
  (``../../schema/policy.schema.json`` for policies,
  ``../schema/<name>.schema.json`` for vocabularies);
* keys in the order of the model's fields (``models.Policy`` and the models
  nested in it; ``models.RegionsFile`` … for vocabularies); keys explicitly
  set to nothing (``doc_number:`` / ``null``) are dropped — they mean the same
  as a missing key;
* 2-space indentation; mappings and lists of mappings in block style;
* lists of scalars in flow style ``[a, b]`` when they fit on a line of
  ``FLOW_WIDTH`` characters, otherwise one ``- item`` per line (``quotes``
  are always one per line);
* every string on one line, unquoted unless YAML needs quotes, and then in
  double quotes (no folding, no ``>-`` blocks; a line break inside a value is
  written as ``\\n``);
* dates as ``YYYY-MM-DD``; a whole number without ``.0``;
* section labels (``measures[].section``) with full-width brackets, （一） not (一): the one value the
  formatter rewrites, because the sources mix the two and readers should see one form;
* no blank lines, except one before a comment between two list items (it
  heads a group, as in ``data/topics.yaml``).

Comments are kept: the comments before the first key stay at the top, after
the header; any other comment on its own line stays just before the key or
list item that followed it in the original (and moves with it when keys are
reordered); a comment at the end of a line is moved onto its own line just
before that line's key; comments after the last value stay at the end. Comments written with ``#:`` are the annotated
template's guidance (``python -m generator new``) and are removed once the
file is complete (a file still holding ``TODO`` placeholders is not
formatted at all).

A file is only rewritten when it loads and validates against its model, and
only when loading the new text gives exactly the same data, brackets in section
labels aside (checked every time, not assumed). It is written to a temporary file next to it and moved
into place, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.emitter import Emitter
from yaml.resolver import Resolver

from generator.core import models
from generator.core.load import Document, LoadError, load_file, load_text
from generator.core.schema import HEADER_PREFIX, POLICY_SCHEMA_LINE, schema_line
from generator.core.validate import display_path as _display
from generator.diagnostics import PathKey, Problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform build of PyYAML
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

POLICY_HEADER = POLICY_SCHEMA_LINE
GUIDANCE_PREFIX = "#:"
FLOW_WIDTH = 120
BLOCK_LISTS = {"quotes"}  # long verbatim text reads better one per line

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_resolver = Resolver()
_analyser = Emitter(io.StringIO(), allow_unicode=True)


# --------------------------------------------------------------------------- which files


@dataclass(frozen=True)
class Kind:
    model: type[BaseModel]
    header: str


def kind_of(root: Path, path: Path) -> Kind | None:
    """The model and header of a data file, or None when the path is not one."""
    try:
        rel = path.resolve().relative_to((root / "data").resolve())
    except ValueError:
        return None
    if len(rel.parts) == 2 and rel.parts[0] == "policies" and rel.suffix == ".yaml":
        return Kind(models.Policy, POLICY_HEADER)
    if len(rel.parts) == 1 and rel.name in models.VOCABULARY_FILES:
        return Kind(models.VOCABULARY_FILES[rel.name], schema_line(f"{rel.stem}.schema.json", 1))
    return None


def data_files(root: Path) -> list[Path]:
    """Every data file the formatter knows: the vocabularies, then the policies."""
    vocab = [root / "data" / name for name in models.VOCABULARY_FILES if (root / "data" / name).is_file()]
    return vocab + sorted((root / "data" / "policies").glob("*.yaml"))


def _resolve(root: Path, paths: Iterable[Path] | None) -> list[Path]:
    if paths is None:
        return data_files(root)
    out: list[Path] = []
    for given in paths:
        if given.is_absolute():
            path = given
        else:  # relative to the project first (it is the current folder unless --root says otherwise)
            path = root / given if (root / given).exists() else given.resolve()
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*.yaml")) if kind_of(root, p))
        else:
            out.append(path)
    return out


# --------------------------------------------------------------------------- scalars


# Text made only of these characters (Chinese, full-width punctuation, ASCII letters, digits and a few
# harmless ASCII signs, not starting with a sign) can always be plain: the fast path for almost every value.
# PyYAML's own analysis, a loop in Python over every character, decides the rest.
_CJK = "\u00b7\u2010-\u2027\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uffee"
_FAST_BLOCK = re.compile(f"[0-9A-Za-z{_CJK}][0-9A-Za-z {_CJK}.,()/%+\\-]*")
_FAST_FLOW = re.compile(f"[0-9A-Za-z{_CJK}][0-9A-Za-z {_CJK}.()/%+\\-]*")


def _plain_ok(text: str, flow: bool) -> bool:
    """Can ``text`` be written without quotes and read back as the same text?"""
    if not text or text != text.strip() or "\n" in text:
        return False
    if (_FAST_FLOW if flow else _FAST_BLOCK).fullmatch(text):
        return _resolver.resolve(yaml.ScalarNode, text, (True, False)) in (_STR, _TIMESTAMP)
    return _plain_ok_by_analysis(text, flow)


def _plain_ok_by_analysis(text: str, flow: bool) -> bool:
    analysis = _analyser.analyze_scalar(text)
    if analysis.multiline or not (analysis.allow_flow_plain if flow else analysis.allow_block_plain):
        return False
    # A timestamp is fine: the loader keeps dates as the text they are written as.
    return _resolver.resolve(yaml.ScalarNode, text, (True, False)) in (_STR, _TIMESTAMP)


def _double_quoted(text: str) -> str:
    out = yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=2**30)
    out = out.rstrip("\n")
    if "\n" in out:  # pragma: no cover - PyYAML never breaks a line this wide
        raise ValueError("double-quoted scalar spans lines")
    return out


def _float(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text:  # YAML 1.1 needs a dot in the mantissa: 1e-07 → 1.0e-07
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        if exponent[0] not in "+-":
            exponent = "+" + exponent
        text = f"{mantissa}e{exponent}"
    return text


def scalar(value: Any, flow: bool = False) -> str:
    """One value as canonical YAML text."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if _plain_ok(text, flow) else _double_quoted(text)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


# --------------------------------------------------------------------------- comments


@dataclass
class _Comments:
    leading: list[tuple[int, str]]  # before the first key: the file's own introduction, kept at the top
    by_path: dict[PathKey, list[tuple[int, str]]]
    trailing: list[tuple[int, str]]


def _comment_lines(text: str) -> list[tuple[int, str, bool]]:
    """Every comment as (0-based line, text from '#', whole line?), read from YAML's own tokens."""
    if "#" not in text:
        return []
    lines = text.split("\n")
    covered = [False] * len(lines)  # inside a multi-line token: a '#' there is content
    code_end = [0] * len(lines)  # where the last token on a line ends
    for token in yaml.scan(text, Loader=_Loader):
        start, end = token.start_mark, token.end_mark
        if start.line >= len(lines):
            continue
        last, column = min(end.line, len(lines) - 1), end.column
        if last > start.line and column == 0:  # a block scalar ends at the start of the next line
            last -= 1
            column = len(lines[last])
        if last > start.line:
            code_end[start.line] = len(lines[start.line])
            for line in range(start.line + 1, last):
                covered[line] = True
        code_end[last] = max(code_end[last], column)
    found = []
    for number, text in enumerate(lines):
        if covered[number]:
            continue
        rest = text[code_end[number] :]
        if rest.lstrip().startswith("#"):
            found.append((number, rest.strip(), code_end[number] == 0))
    return found


def _collect_comments(doc: Document, keep_guidance: bool) -> _Comments:
    """Attach each comment to the key or list item on the next line that holds one."""
    anchors: dict[int, PathKey] = {}  # 0-based line → the shallowest key or list item starting there
    for path, pos in doc.key_positions.items():
        if pos.line - 1 not in anchors or len(path) < len(anchors[pos.line - 1]):
            anchors[pos.line - 1] = path
    for path, pos in doc.positions.items():
        if (
            path
            and isinstance(path[-1], int)
            and (pos.line - 1 not in anchors or len(path) < len(anchors[pos.line - 1]))
        ):
            anchors[pos.line - 1] = path
    ordered = sorted(anchors)
    first = ordered[0] if ordered else 0
    result = _Comments([], {}, [])
    for line, text, whole in _comment_lines(doc.text):
        if text.startswith(HEADER_PREFIX) or (not keep_guidance and text.startswith(GUIDANCE_PREFIX)):
            continue
        target = None
        if line < first:
            result.leading.append((line, text))
            continue
        if not whole and line in anchors:
            target = anchors[line]
        else:
            target = next((anchors[a] for a in ordered if a > line), None)
        if target is None:
            result.trailing.append((line, text))
        else:
            result.by_path.setdefault(target, []).append((line, text))
    return result


# --------------------------------------------------------------------------- writing


class _Writer:
    def __init__(self, header: str, comments: _Comments):
        self.lines = [header] + [text for _, text in sorted(comments.leading)]
        self.comments = comments

    def comment(self, path: PathKey, indent: int, descendants: bool = False) -> None:
        found = list(self.comments.by_path.pop(path, []))
        if descendants:
            for other in [p for p in self.comments.by_path if p[: len(path)] == path]:
                found += self.comments.by_path.pop(other)
        if not found:
            return
        if path and isinstance(path[-1], int) and path[-1] > 0 and not self.lines[-1].lstrip().startswith("#"):
            self.lines.append("")  # a comment between list items heads a new group: set it apart
        for _, text in sorted(found):
            self.lines.append(" " * indent + text)

    def mapping(self, data: dict, path: PathKey, indent: int, first_prefix: str | None = None) -> None:
        for n, (key, value) in enumerate(data.items()):
            child = path + (key,)
            prefix = " " * indent
            if n == 0 and first_prefix is not None:
                prefix = first_prefix  # the first key of a list item shares the line with its '- '
            else:
                self.comment(child, indent)
            head = prefix + scalar(key) + ":"
            self.value(head, value, child, indent)

    def value(self, head: str, value: Any, path: PathKey, indent: int) -> None:
        if isinstance(value, dict):
            if not value:
                self.lines.append(head + " {}")
            else:
                self.lines.append(head)
                self.mapping(value, path, indent + 2)
        elif isinstance(value, list):
            if not value:
                self.lines.append(head + " []")
                return
            if all(_is_scalar(v) for v in value) and path[-1] not in BLOCK_LISTS:
                flow = head + " [" + ", ".join(scalar(v, flow=True) for v in value) + "]"
                if len(flow) <= FLOW_WIDTH:
                    for i in range(len(value)):  # comments inside a flow list go before its key
                        for item in self.comments.by_path.pop(path + (i,), []):
                            self.comments.by_path.setdefault(path, []).append(item)
                    self.lines.append(flow)
                    return
            self.lines.append(head)
            self.sequence(value, path, indent + 2)
        else:
            self.lines.append(head + " " + scalar(value))

    def sequence(self, items: list, path: PathKey, indent: int) -> None:
        for i, item in enumerate(items):
            child = path + (i,)
            self.comment(child, indent)
            dash = " " * indent + "- "
            if isinstance(item, dict) and item:
                self.comment(child + (next(iter(item)),), indent)
                self.mapping(item, child, indent + 2, first_prefix=dash)
            elif isinstance(item, dict):
                self.lines.append(dash + "{}")
            elif isinstance(item, list):  # pragma: no cover - no model has lists of lists
                self.lines.append(dash.rstrip())
                self.sequence(item, child, indent + 2)
            else:
                self.comment(child, indent, descendants=True)
                self.lines.append(dash + scalar(item))

    def finish(self) -> str:
        leftover = sorted(c for items in self.comments.by_path.values() for c in items) + self.comments.trailing
        if leftover:
            self.lines.extend(text for _, text in sorted(leftover))
        return "\n".join(self.lines) + "\n"


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


def canonical_data(parsed: BaseModel) -> dict:
    """The values the contributor wrote, in model order (defaults they did not write stay out)."""
    return _strip_none(parsed.model_dump(mode="python", by_alias=True, exclude_unset=True))


# Section labels are printed with full-width or half-width brackets, often both in one document; the
# atlas writes them full-width, as Chinese text around them is: （一）, 二、（三）7. (CONTRIBUTING says so).
SECTION_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def canonical_values(parsed: BaseModel) -> BaseModel:
    """The few values the canonical form writes one way: section labels with full-width brackets."""
    if not isinstance(parsed, models.Policy) or not any("(" in m.section or ")" in m.section for m in parsed.measures):
        return parsed
    fixed = parsed.model_copy(deep=True)
    for measure in fixed.measures:
        measure.section = measure.section.translate(SECTION_BRACKETS)
    return fixed


def render(doc: Document, parsed: BaseModel, header: str) -> str:
    """The canonical text of a loaded, validated document."""
    writer = _Writer(header, _collect_comments(doc, keep_guidance=False))
    writer.mapping(canonical_data(parsed), (), 0)
    return writer.finish()


# --------------------------------------------------------------------------- one file


@dataclass
class Outcome:
    path: Path
    display: str
    problems: list[Problem]
    canonical: str | None = None  # None when the file cannot be formatted
    original: str = ""

    @property
    def changed(self) -> bool:
        return self.canonical is not None and self.canonical != self.original


def _same(a: BaseModel, b: BaseModel) -> bool:
    return a.model_dump(mode="json", by_alias=True) == b.model_dump(mode="json", by_alias=True)


def _whole_file(display: str, message: str, hint: str) -> Problem:
    """A problem about the file as a whole, reported at its first line."""
    return Problem(display, 1, 1, "", message, hint)


def format_file(root: Path, path: Path) -> Outcome:
    """Load, validate and render one file; problems instead of text when it cannot be formatted."""
    from generator.core.schema_errors import placeholder_problems, schema_problems_without_placeholders

    display = _display(root, path)
    kind = kind_of(root, path)
    if kind is None:
        return Outcome(
            path,
            display,
            [
                _whole_file(
                    display,
                    "not a data file the formatter knows",
                    "give files under data/policies/ or the vocabularies in data/",
                )
            ],
        )
    try:
        doc = load_file(path, display)
    except LoadError as exc:
        return Outcome(path, display, [exc.problem])
    original = path.read_bytes().decode("utf-8")
    todo = placeholder_problems(doc, kind.model)
    try:
        parsed = kind.model.model_validate(doc.data)
    except ValidationError as exc:
        return Outcome(
            path, display, todo + schema_problems_without_placeholders(doc, kind.model, exc, todo), original=original
        )
    if todo:
        return Outcome(path, display, todo, original=original)
    parsed = canonical_values(parsed)
    canonical = render(doc, parsed, kind.header)
    if canonical != original:
        try:  # never trust the writer: the new text must give exactly the same data (brackets aside)
            again = kind.model.model_validate(load_text(canonical, display, path).data)
            same = _same(parsed, again)
        except (LoadError, ValidationError):
            same = False
        if not same:  # pragma: no cover - a bug in this module, reported instead of written
            problem = _whole_file(
                display,
                "the formatter could not keep the data unchanged, so the file was left alone",
                "please report this with the file attached",
            )
            return Outcome(path, display, [problem], original=original)
    return Outcome(path, display, [], canonical, original)


def _write_atomically(path: Path, text: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


NOT_CANONICAL = "file is not in canonical form"
DIFF_LINES = 10


def first_difference(original: str, canonical: str) -> int:
    """The 1-based number of the first line that the formatter would change."""
    for number, (a, b) in enumerate(zip(original.split("\n"), canonical.split("\n")), start=1):
        if a != b:
            return number
    return min(len(original.split("\n")), len(canonical.split("\n")))


def diff_lines(outcome: Outcome, limit: int = DIFF_LINES) -> list[str]:
    """The start of a unified diff from the file as written to its canonical form: enough to see
    what the formatter changes (the first hunk, at most ``limit`` lines)."""
    if not outcome.changed:
        return []
    diff = list(
        difflib.unified_diff(
            outcome.original.split("\n"),
            (outcome.canonical or "").split("\n"),
            "as written",
            "canonical",
            n=1,
            lineterm="",
        )
    )
    body = diff[2:]
    end = next((i for i, line in enumerate(body) if i and line.startswith("@@")), len(body))
    shown = body[: min(end, limit)]
    if len(body) > len(shown):
        shown.append(f"… (python -m generator fmt {outcome.display} changes more)")
    return shown


def _not_canonical(outcome: Outcome) -> Problem:
    line = first_difference(outcome.original, outcome.canonical or "")
    return Problem(
        outcome.display,
        line,
        1,
        "",
        NOT_CANONICAL,
        f"run: python -m generator fmt {outcome.display}",
        detail=tuple(diff_lines(outcome)),
    )


# --------------------------------------------------------------------------- entry points


def format_problems(root: Path, only: list[Path] | None = None) -> list[Problem]:
    """One problem per data file that loads and validates but is not in canonical form."""
    root = root.resolve()
    paths = data_files(root) if only is None else [p for p in _resolve(root, only) if kind_of(root, p)]
    out = []
    for path in paths:
        if not path.is_file():
            continue
        outcome = format_file(root, path)
        if not outcome.problems and outcome.changed:
            out.append(_not_canonical(outcome))
    return out


def main(root: Path, paths: list[Path] | None, check: bool = False) -> int:
    """``fmt``: rewrite files in place (or, with ``check``, list those that would change)."""
    root = root.resolve()
    problems: list[Problem] = []
    changed: list[str] = []
    targets = _resolve(root, paths)
    for path in targets:
        if not path.is_file():
            problems.append(Problem(_display(root, path), 1, 1, "", "no such file"))
            continue
        outcome = format_file(root, path)
        if outcome.problems:
            problems.extend(outcome.problems)
            continue
        if not outcome.changed:
            continue
        changed.append(outcome.display)
        if check:
            problems.append(_not_canonical(outcome))
        else:
            _write_atomically(path, outcome.canonical or "")
            print(f"formatted {outcome.display}")
    problems.sort(key=Problem.sort_key)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
        for line in problem.detail:
            print(f"    {line}", file=sys.stderr)
    unformatted = len({p.file for p in problems if p.message != NOT_CANONICAL})
    if unformatted:
        print(
            f"\n{unformatted} file{'s' if unformatted != 1 else ''} could not be formatted: fix the problems "
            "above first (python -m generator validate lists everything).",
            file=sys.stderr,
        )
    if check:
        if changed:
            print(
                f"{len(changed)} of {len(targets)} files are not in canonical form — run: python -m generator fmt",
                file=sys.stderr,
            )
        else:
            print(f"ok: {len(targets)} files in canonical form")
    elif not problems:
        print(
            f"ok: {len(changed)} file{'s' if len(changed) != 1 else ''} reformatted, "
            f"{len(targets) - len(changed)} already canonical"
        )
    return 1 if problems else 0
