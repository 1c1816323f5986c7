"""Reading data files: plain Python values plus the line and column of every value.

We compose the YAML node graph (libyaml's C composer when available) and build
the Python values ourselves instead of letting PyYAML construct them, because
that is where the project's rules about input live:

* every value's position is recorded, keyed by its field path, for messages;
* duplicate keys are errors (PyYAML silently keeps the last one);
* dates stay strings, so the model reports an impossible date like any other;
* aliases are expanded with a budget, so a "billion laughs" file is refused
  instead of exhausting memory, and nesting depth is bounded;
* files that are too large, not UTF-8, or not a mapping are refused politely.
"""

from __future__ import annotations

import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import PathKey, Position, Problem, format_path

try:  # the C composer is several times faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform build of PyYAML
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

NOT_A_FILE = (
    "is a symbolic link or special file, not an ordinary file",
    "data files must be ordinary files inside data/; replace the link with the file itself",
)


MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
# No count, amount or share in a policy reaches a thousand trillion; beyond it a float loses whole units
# (1.0e+30 would be shown as 1000000000000000019884624838656) and long digit strings are typos or attacks.
MAX_NUMBER = 10**15
MAX_NUMBER_CHARS = 24
TOO_LARGE_HINT = "numbers in the atlas are below 10^15 (a thousand trillion); write the real value in digits"


@dataclass
class Document:
    """A loaded data file: its values and where each value stands."""

    path: Path
    display: str  # the path as shown in messages (relative to the project)
    data: Any = None
    positions: dict[PathKey, Position] = field(default_factory=dict)
    key_positions: dict[PathKey, Position] = field(default_factory=dict)
    text: str = ""

    def position(self, path: PathKey, key: bool = False) -> Position:
        """The closest known position for a field path (its nearest existing ancestor)."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return self.positions.get((), Position(1, 1))


class LoadError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def _shown_tag(tag: str) -> str:
    """A tag as it is written in the file: ``!!python/object`` rather than ``tag:yaml.org,2002:python/object``."""
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_constructor = yaml.constructor.SafeConstructor()


def _short_text(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


class _Builder:
    def __init__(self, doc: Document):
        self.doc = doc
        self.count = 0
        self.active: dict[int, PathKey] = {}  # collections being built → their path: an alias back to one is a cycle

    def problem(self, node: yaml.Node, path: PathKey, message: str, hint: str = "") -> LoadError:
        mark = node.start_mark
        return LoadError(Problem(self.doc.display, mark.line + 1, mark.column + 1, format_path(path), message, hint))

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            # Report it at the top-level key being built: with aliases the deeper path means little.
            top = path[:1]
            where = self.doc.key_positions.get(top, Position(1, 1))
            raise LoadError(
                Problem(
                    self.doc.display,
                    where.line,
                    where.column,
                    format_path(top),
                    f"the file expands to more than {MAX_NODES} values",
                    "aliases (*name) that repeat large anchors are not allowed to blow up the data",
                )
            )
        if depth > MAX_DEPTH:
            raise self.problem(
                node,
                path,
                f"nesting deeper than {MAX_DEPTH} levels",
                "policy files are only a few levels deep; check the indentation",
            )
        self.doc.positions.setdefault(path, Position(node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if node.tag not in _COLLECTION_TAGS and not isinstance(node, yaml.ScalarNode):
            raise self.problem(
                node,
                path,
                f"YAML tag '{_shown_tag(node.tag)}' is not allowed",
                "write plain text, numbers, true/false, lists and mappings only",
            )
        if id(node) in self.active:
            anchor = self.active[id(node)]
            raise self.problem(
                node,
                anchor,
                "an alias (*name) repeats the anchor it is inside of, so the value would contain itself forever",
                "an alias may only repeat a value written before and outside it; write it out",
            )
        self.active[id(node)] = path
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path, depth)
        finally:
            del self.active[id(node)]
        raise self.problem(node, path, "unsupported YAML node")  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self.problem(
                node,
                path,
                f"YAML tag '{_shown_tag(node.tag)}' is not allowed",
                "write plain text, numbers, true/false, lists and mappings only",
            )
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # a date stays text; the model checks that it is a real date
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        number = node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        written = _short_text(node.value)
        if number and ":" in node.value:
            # YAML 1.1 reads 33:45 as 33 × 60 + 45 = 2025: a time or a typo silently becomes a year.
            raise self.problem(
                node,
                path,
                f"'{written}' is a YAML 1.1 base-60 number, not a number or a date",
                'write plain digits (e.g. 2025), or put text in quotes ("33:45")',
            )
        if number and len(node.value) > MAX_NUMBER_CHARS:  # before int(): Python refuses over 4300 digits
            raise self.problem(
                node, path, f"the number '{written}' ({len(node.value)} characters) is too large", TOO_LARGE_HINT
            )
        try:
            value = _constructor.construct_object(node, deep=True)
        except (ValueError, KeyError, IndexError, TypeError, OverflowError, yaml.YAMLError):
            # An explicit tag on text it cannot read: !!int abc, !!float lots, !!bool maybe, !!int ''.
            raise self.problem(
                node,
                path,
                f"'{written}' cannot be read as {_shown_tag(node.tag)}",
                "remove the tag and write the value plainly: digits for a number, true or false, or text",
            ) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.problem(node, path, f"'{written}' is not a finite number", "write the value in digits")
        if number and abs(value) >= MAX_NUMBER:
            raise self.problem(node, path, f"the number '{written}' is too large", TOO_LARGE_HINT)
        return value

    def mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.problem(key_node, path, "merge keys (<<) are not allowed", "write every field out in full")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.problem(key_node, path, "a key must be plain text")
            if key_node.tag not in _SCALAR_TAGS:  # a tag is refused on a key as on a value, never ignored
                raise self.problem(
                    key_node,
                    path + (key_node.value,),
                    f"YAML tag '{_shown_tag(key_node.tag)}' is not allowed on a key",
                    "write the key as plain text",
                )
            key = key_node.value
            child = path + (key,)
            if key in out:
                first = self.doc.key_positions[child]
                raise self.problem(
                    key_node, child, f"duplicate key '{key}'", f"it is already set at line {first.line}; keep only one"
                )
            self.doc.key_positions[child] = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child, depth + 1)
        return out


_KNOWN_SYNTAX_ERRORS = [  # (PyYAML's context, its problem, our message, our hint)
    (
        "quoted scalar",
        "end of stream",
        "this quoted text is never closed",
        "add the closing quote at the end of the value, or remove the opening one",
    ),
    (
        "simple key",
        "could not find expected ':'",
        "the ':' after this key is missing",
        "write 'key: value', with a colon and a space after the key",
    ),
    (
        "flow sequence",
        "did not find expected ',' or ']'",
        "this [ list is never closed",
        "close it with ']' on the same line, and separate items with ', '",
    ),
    (
        "flow mapping",
        "did not find expected ',' or '}'",
        "this { mapping is never closed",
        "close it with '}' on the same line, and separate fields with ', '",
    ),
]


def _reader_problem(doc: Document, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses to read (NUL, other control characters), at its own line and column."""
    # libyaml counts UTF-8 bytes, the pure-Python reader characters; the first offending character is the same.
    found = [i for i, c in enumerate(doc.text) if c == chr(exc.character)][:1] if isinstance(exc.character, int) else []
    offset = found[0] if found else min(exc.position, len(doc.text))
    before = doc.text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Problem(
        doc.display,
        line,
        column,
        "",
        f"the file contains the control character U+{code:04X}",
        "remove it; it is invisible in most editors (an editor's 'show invisibles' reveals it)",
    )


def _yaml_problem(doc: Document, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.position, int):
        return _reader_problem(doc, exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    opened = getattr(exc, "context_mark", None)
    # Where PyYAML notices a mistake is often a line after it; for the common ones, point at its start.
    for in_context, problem, message, hint in _KNOWN_SYNTAX_ERRORS:
        if context and in_context in context and problem in what and opened is not None:
            return Problem(doc.display, opened.line + 1, opened.column + 1, "", f"YAML syntax error: {message}", hint)
    if "mapping values are not allowed" in what:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(
            doc.display,
            line,
            column,
            "",
            "YAML syntax error: a second ': ' on this line",
            "text that contains ': ' must be put in double quotes, e.g. title: \"…: …\"",
        )
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"YAML syntax error: {what}" + (f" ({context})" if context else "")
    hint = "check indentation (spaces only, no tabs) and quoting; text with ':' or '#' may need quotes"
    lines = doc.text.split("\n")
    at_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in what or "tab character" in what or "\t" in at_line[: column + 1]:
        hint = "YAML does not allow tab characters for indentation; use spaces"
    return Problem(doc.display, line, column, "", message, hint)


_DEEP_INDENT = re.compile(rf"^[ \t\-?:]{{{MAX_DEPTH},}}", re.M)


def _too_deep(text: str, display: str) -> Problem | None:
    """Find nesting beyond MAX_DEPTH from the event stream, before composing.

    libyaml's composer recurses in C and crashes the interpreter on a few
    hundred thousand nested brackets, so depth must be checked first. Events
    come flat, and we only pay for this scan when the text could be deep
    (many brackets, or lines that start far to the right).
    """
    if text.count("[") + text.count("{") < MAX_DEPTH and not _DEEP_INDENT.search(text):
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line, column = (event.start_mark.line, event.start_mark.column) if event.start_mark else (0, 0)
                return Problem(
                    display,
                    line + 1,
                    column + 1,
                    "",
                    f"nesting deeper than {MAX_DEPTH} levels",
                    "policy files are only a few levels deep; check the brackets and indentation",
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _expanded_size(node: yaml.Node, sizes: dict[int, int], active: set[int]) -> int:
    """How many values ``node`` becomes once aliases are expanded, counted once per distinct node.

    An alias is the same node object as its anchor, so this costs one visit per node *written*,
    however many times the builder would repeat it. A cycle counts nothing here; the builder
    refuses it for its depth.
    """
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        return 0
    active.add(key)
    if isinstance(node, yaml.SequenceNode):
        total = 1 + sum(_expanded_size(child, sizes, active) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total = 1 + sum(_expanded_size(value, sizes, active) for _, value in node.value)
    else:
        total = 1
    active.discard(key)
    sizes[key] = total
    return total


def _blows_up(root: yaml.MappingNode, display: str) -> Problem | None:
    """Refuse an alias bomb before building anything, at the same key the builder would stop at."""
    sizes: dict[int, int] = {}
    count = 1
    for key_node, value_node in root.value:
        count += _expanded_size(value_node, sizes, set())
        if count > MAX_NODES:
            mark = key_node.start_mark
            return Problem(
                display,
                mark.line + 1,
                mark.column + 1,
                str(key_node.value),
                f"the file expands to more than {MAX_NODES} values",
                "aliases (*name) that repeat large anchors are not allowed to blow up the data",
            )
    return None


def load_text(text: str, display: str, path: Path | None = None) -> Document:
    doc = Document(path=path or Path(display), display=display, text=text)
    try:
        deep = _too_deep(text, display)
        if deep:
            raise LoadError(deep)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise LoadError(_yaml_problem(doc, exc)) from None
    except RecursionError:
        raise LoadError(
            Problem(
                display, 1, 1, "", f"nesting deeper than {MAX_DEPTH} levels", "policy files are only a few levels deep"
            )
        ) from None
    if not nodes or nodes[0] is None:
        raise LoadError(
            Problem(display, 1, 1, "", "the file is empty", "start from the annotated template in CONTRIBUTING.md")
        )
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise LoadError(
            Problem(
                display,
                mark.line + 1,
                mark.column + 1,
                "",
                "more than one YAML document in the file",
                "remove the extra '---'",
            )
        )
    root = nodes[0]
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise LoadError(
            Problem(
                display,
                root.start_mark.line + 1,
                root.start_mark.column + 1,
                "",
                f"expected a mapping of fields at the top level, found {kind}",
                "the file should start with 'id: ...' and other 'key: value' lines",
            )
        )
    try:  # a chain of aliases can nest deeper than Python recurses, in either step
        # Only an alias can blow a file up, and an alias needs an anchor ('&name'): without one the
        # walk over every node (a tenth of loading time) cannot find anything.
        blown = _blows_up(root, display) if "&" in text else None
        if blown:
            raise LoadError(blown)
        doc.data = _Builder(doc).build(root, (), 0)
    except RecursionError:
        raise LoadError(
            Problem(
                display, 1, 1, "", f"nesting deeper than {MAX_DEPTH} levels", "policy files are only a few levels deep"
            )
        ) from None
    return doc


def load_file(path: Path, display: str | None = None) -> Document:
    """Load one data file, or raise LoadError with a message a contributor can act on."""
    display = display or str(path)
    try:
        info = path.lstat()  # not stat(): a symbolic link is refused, never followed (it could point anywhere)
    except OSError as exc:
        raise LoadError(Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror}")) from None
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(Problem(display, 1, 1, "", *NOT_A_FILE))
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise LoadError(
            Problem(
                display,
                1,
                1,
                "",
                f"the file is {size} bytes, more than the {MAX_FILE_BYTES} allowed",
                "a policy file holds structured data; the source text goes in data/sources/",
            )
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            Problem(
                display,
                line,
                column,
                "",
                "the file is not valid UTF-8",
                "save the file as UTF-8 (without GBK/GB18030 encoding)",
            )
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return load_text(text, display, path)
