"""Problems in the data, in the one form every tool prints.

Lives below every layer: the loader, the checks, the site build and the
contributor commands all speak ``Problem``, and the CLI, the MkDocs plugin
and the export steps print them the same way (``file:line:col: field:
message — hint``), so a contributor meets one format wherever the data
fails.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

PathKey = tuple[str | int, ...]

# Control characters (C0, DEL, C1) and the invisible formatting characters that reorder or hide text
# (bidi embeddings, overrides and isolates; zero-width characters). A message echoes contributor text
# to a terminal or a CI log, where ESC [ 2 J clears the screen and a bidi override reverses what follows.
_UNSAFE_FOR_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def escape_controls(text: str) -> str:
    """``text`` with every control or invisible formatting character written as an escape (``\\x1b``, ``\\u202e``)."""

    def one(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE_FOR_TERMINAL.sub(one, text)


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Problem:
    """One thing wrong with the data, in the form every tool prints."""

    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    # Lines shown indented under the message (e.g. the first lines the formatter would change); not part of
    # the one-line form, so sorting, de-duplication and pinned messages see only the line.
    detail: tuple[str, ...] = ()

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return escape_controls(f"{text} — {self.hint}" if self.hint else text)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.field, self.message)


def format_path(path: PathKey) -> str:
    """``('measures', 3, 'themes', 0)`` → ``measures[3].themes[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def suggest(value: Any, choices: Iterable[str]) -> str:
    """A 'did you mean' hint, or the list of allowed values when it is short."""
    options = sorted(set(choices))
    if not options:
        return ""
    close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(options) <= 8:
        return "expected one of: " + ", ".join(options)
    return ""


def print_problems(problems: list[Problem], stream: TextIO | None = None) -> None:
    """Every problem, then one count line: the contributor sees all of them at once."""
    out = stream if stream is not None else sys.stderr
    for problem in problems:
        print(problem.format(), file=out)
        for line in problem.detail:
            print(f"    {escape_controls(line)}", file=out)
    files = len({p.file for p in problems})
    print(
        f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}.",
        file=out,
    )


def _github_escape(text: str, prop: bool = False) -> str:
    """GitHub's workflow-command escaping: % and line breaks always, : and , inside properties."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_annotation(level: str, file: str, line: int, column: int, field: str, message: str) -> str:
    """``::error file=…,line=…,col=…,title=…::message``: GitHub shows it on that line of the pull request."""
    props = f"file={_github_escape(file, True)},line={line},col={column}"
    if field:
        props += f",title={_github_escape(field, True)}"
    return f"::{level} {props}::{_github_escape(message)}"
