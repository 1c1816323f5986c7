"""The loader: values with their positions, and polite refusals of everything dangerous or ambiguous."""

from __future__ import annotations

import time

import pytest

from generator.core import load
from generator.core.load import LoadError, load_file, load_text
from generator.diagnostics import Position, format_path

NESTED = """\
id: x
dates:
  signed: 2023-08-21
measures:
  - id: m01
    themes: [training, incentives]
    amounts:
      - {yuan: 100000, kind: prize}
      - yuan: 80000
        kind: prize
"""


def refused(text: str) -> str:
    with pytest.raises(LoadError) as caught:
        load_text(text, "t.yaml")
    return caught.value.problem.format()


def test_positions_of_nested_values():
    doc = load_text(NESTED, "t.yaml")
    assert doc.positions[("dates", "signed")] == Position(3, 11)
    assert doc.positions[("measures", 0)] == Position(5, 5)
    assert doc.positions[("measures", 0, "themes", 1)] == Position(6, 24)
    assert doc.positions[("measures", 0, "amounts", 0, "yuan")] == Position(8, 16)
    assert doc.positions[("measures", 0, "amounts", 1, "kind")] == Position(10, 15)
    assert doc.key_positions[("measures", 0, "amounts", 1, "kind")] == Position(10, 9)
    assert doc.data["measures"][0]["amounts"][0] == {"yuan": 100000, "kind": "prize"}


def test_position_falls_back_to_the_nearest_ancestor():
    doc = load_text(NESTED, "t.yaml")
    # a missing field is reported where its parent mapping stands
    assert doc.position(("measures", 0, "summary")) == Position(5, 5)
    assert doc.position(("measures", 0, "amounts", 1, "tier")) == Position(9, 9)
    assert doc.position(("nothing", "here")) == Position(1, 1)


def test_positions_count_characters_not_bytes():
    doc = load_text("title: 新乡市高技能人才\nissuers: [中共新乡市委办公室, 新乡市人民政府办公室]\n", "t.yaml")
    assert doc.positions[("issuers", 1)] == Position(2, 22)


def test_format_path():
    assert format_path(("measures", 3, "themes", 0)) == "measures[3].themes[0]"
    assert format_path(()) == ""


def test_duplicate_keys_are_refused_with_both_places():
    assert refused("id: a\ntitle: x\ndates:\n  signed: 2023-01-01\n  signed: 2023-01-02\n") == (
        "t.yaml:5:3: dates.signed: duplicate key 'signed' — it is already set at line 4; keep only one"
    )


def test_dates_are_kept_as_text():
    doc = load_text("signed: 2023-08-21\nbad: 2023-02-30\nstamp: 2001-12-14t21:59:43.10-05:00\n", "t.yaml")
    assert doc.data == {"signed": "2023-08-21", "bad": "2023-02-30", "stamp": "2001-12-14t21:59:43.10-05:00"}


def test_scalars_keep_their_yaml_types():
    doc = load_text("a: 35\nb: 26.2\nc: true\nd: null\ne: '35'\nf: 十四五\n", "t.yaml")
    assert doc.data == {"a": 35, "b": 26.2, "c": True, "d": None, "e": "35", "f": "十四五"}


@pytest.mark.parametrize(
    "text, where",
    [
        ("a: !!python/object/apply:os.system [echo hi]\n", "t.yaml:1:4: a: YAML tag '!!python/object/apply:os.system'"),
        ("a: !!python/name:os.system ''\n", "t.yaml:1:4: a: YAML tag '!!python/name:os.system'"),
        ("a: !custom text\n", "t.yaml:1:4: a: YAML tag '!custom'"),
        ("a: !!binary aGVsbG8=\n", "t.yaml:1:4: a: YAML tag '!!binary'"),
        ("a: !!set {x, y}\n", "t.yaml:1:4: a: YAML tag '!!set'"),
    ],
)
def test_tags_are_refused(text, where):
    assert refused(text).startswith(where + " is not allowed")


def test_merge_keys_are_refused():
    assert refused("base: &b {x: 1}\nother:\n  <<: *b\n") == (
        "t.yaml:3:3: other: merge keys (<<) are not allowed — write every field out in full"
    )


def test_oversize_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (load.MAX_FILE_BYTES + 1) + b"\n")
    with pytest.raises(LoadError) as caught:
        load_file(path, "big.yaml")
    assert caught.value.problem.format() == (
        f"big.yaml:1:1: the file is {load.MAX_FILE_BYTES + 5} bytes, more than the {load.MAX_FILE_BYTES} allowed"
        " — a policy file holds structured data; the source text goes in data/sources/"
    )


def test_alias_bomb_is_refused_in_bounded_time():
    levels = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    for n in range(1, 12):  # 10^12 values if expanded
        levels.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    text = "\n".join(levels) + "\n"
    started = time.monotonic()
    message = refused(text)
    assert time.monotonic() - started < 5
    assert f"the file expands to more than {load.MAX_NODES} values" in message
    assert message.startswith("t.yaml:6:1: a5: ")  # the first key whose value grows past the budget


def test_small_aliases_are_fine():
    doc = load_text("a: &x [1, 2]\nb: *x\n", "t.yaml")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 200_000 + "]" * 200_000 + "\n",  # would crash libyaml's recursive composer
        "a: " + "{b: " * 100 + "c" + "}" * 100 + "\n",
        "".join(" " * (2 * n) + f"k{n}:\n" for n in range(100)) + " " * 200 + "v: 1\n",
    ],
)
def test_deep_nesting_is_refused(text):
    started = time.monotonic()
    assert f"nesting deeper than {load.MAX_DEPTH} levels" in refused(text)
    assert time.monotonic() - started < 10


def test_not_utf8_gives_the_place(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(b"id: x\ntitle: " + "高技能人才".encode("gb18030") + b"\n")
    with pytest.raises(LoadError) as caught:
        load_file(path, "gbk.yaml")
    assert caught.value.problem.format() == (
        "gbk.yaml:2:8: the file is not valid UTF-8 — save the file as UTF-8 (without GBK/GB18030 encoding)"
    )


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffid: x\n".encode())
    assert load_file(path).data == {"id": "x"}


def test_windows_line_endings_are_read(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"id: x\r\ntitle: y\r\n")
    doc = load_file(path)
    assert doc.data == {"id": "x", "title": "y"}
    assert doc.positions[("title",)] == Position(2, 8)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "t.yaml:1:1: the file is empty — start from the annotated template in CONTRIBUTING.md"),
        ("# only a comment\n", "t.yaml:1:1: the file is empty — start from the annotated template in CONTRIBUTING.md"),
        (
            "- a\n- b\n",
            "t.yaml:1:1: expected a mapping of fields at the top level, found a list"
            " — the file should start with 'id: ...' and other 'key: value' lines",
        ),
        (
            "just text\n",
            "t.yaml:1:1: expected a mapping of fields at the top level, found a single value"
            " — the file should start with 'id: ...' and other 'key: value' lines",
        ),
        ("a: 1\n---\nb: 2\n", "t.yaml:3:1: more than one YAML document in the file — remove the extra '---'"),
        (
            "a:\n\tb: 1\n",
            "t.yaml:2:1: YAML syntax error: found character that cannot start any token"
            " (while scanning for the next token) — YAML does not allow tab characters for indentation;"
            " use spaces",
        ),
        (
            'a: "open\nb: 1\n',
            "t.yaml:1:4: YAML syntax error: this quoted text is never closed"
            " — add the closing quote at the end of the value, or remove the opening one",
        ),
        (
            "a: [1, 2\nb: 1\n",
            "t.yaml:1:4: YAML syntax error: this [ list is never closed"
            " — close it with ']' on the same line, and separate items with ', '",
        ),
        (
            "a: {x: 1\nb: 1\n",
            "t.yaml:1:4: YAML syntax error: this { mapping is never closed"
            " — close it with '}' on the same line, and separate fields with ', '",
        ),
        (
            "a: 1\nb 2\nc: 3\n",
            "t.yaml:2:1: YAML syntax error: the ':' after this key is missing"
            " — write 'key: value', with a colon and a space after the key",
        ),
        (
            "title: a: b\n",
            "t.yaml:1:9: YAML syntax error: a second ': ' on this line"
            " — text that contains ': ' must be put in double quotes, e.g. title: \"…: …\"",
        ),
        ("[a, b]: 1\n", "t.yaml:1:1: a key must be plain text"),
    ],
)
def test_refusals_say_where_and_what(text, message):
    assert refused(text) == message
