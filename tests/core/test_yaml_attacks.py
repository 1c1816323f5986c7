"""YAML attacks and accidents: every one is refused with a clear message, quickly, in bounded memory.

The attacks go through the real loader and validator (``validate()`` on a copy of the mini fixture,
exactly as ``python -m generator validate`` runs them); the nesting attacks that crash libyaml's
composer are also run through the real CLI in a child process, so a crash would show as a signal.
Ids are the one piece of data that becomes a path: every id that could leave the site, replace a
section page or not exist on Windows is a validation error, and a build with one writes nothing.
"""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from atlas_pipeline import MINI, POLICY_HEADER, dump_yaml, generator_env, make_root, read_vocab, run_build, write_vocab
from conftest import ROOT

from generator.core.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, LoadError, load_text
from generator.core.validate import validate

SECONDS = 2.0
PEAK_BYTES = 64 * 1024 * 1024  # Python allocations while loading one attack file


def _attack_root(tmp_path: Path, name: str, text: str | bytes) -> Path:
    root = make_root(tmp_path / "root")
    path = root / "data" / "policies" / f"{name}.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def _validate_bounded(root: Path) -> list[str]:
    """validate() with its time and Python memory measured; returns the problems as printed."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        _, problems = validate(root)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"
    assert peak < PEAK_BYTES, f"peak {peak / 1e6:.0f} MB"
    return [p.format() for p in problems]


def _only(problems: list[str], name: str) -> str:
    """The single problem reported for the attack file (the fixture itself is clean)."""
    mine = [p for p in problems if p.startswith(f"data/policies/{name}.yaml:")]
    assert len(mine) == 1 and len(problems) == 1, "\n".join(problems)
    return mine[0]


# --------------------------------------------------------------------------- tags: safe loading only


TAGS = [
    ('id: !!python/object/apply:os.system ["touch {pwned}"]', "!!python/object/apply:os.system"),
    (
        "id: !!python/object/apply:subprocess.check_output [[touch, {pwned}]]",
        "!!python/object/apply:subprocess.check_output",
    ),
    ('id: !!python/object/new:os.system ["touch {pwned}"]', "!!python/object/new:os.system"),
    ("id: !!python/name:os.system", "!!python/name:os.system"),
    ("id: !!python/module:os", "!!python/module:os"),
    ("id: !!python/object:builtins.dict {{a: 1}}", "!!python/object:builtins.dict"),
    ('id: !<tag:yaml.org,2002:python/object/apply:os.system> ["touch {pwned}"]', "!!python/object/apply:os.system"),
    (
        '%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\nid: !p!os.system ["touch {pwned}"]',
        "!!python/object/apply:os.system",
    ),
    ("id: !!binary aGVsbG8=", "!!binary"),
    ("id: !!set {{a, b}}", "!!set"),
    ("id: !!omap [{{a: 1}}]", "!!omap"),
    ("id: !local x", "!local"),
]


@pytest.mark.parametrize("text,tag", TAGS, ids=[t for _, t in TAGS])
def test_tags_are_refused_and_nothing_runs(tmp_path, text, tag):
    pwned = tmp_path / "pwned"
    root = _attack_root(tmp_path, "attack", text.format(pwned=pwned))
    problem = _only(_validate_bounded(root), "attack")
    assert f"YAML tag '{tag}' is not allowed" in problem
    assert not pwned.exists(), "a Python tag was executed"


# --------------------------------------------------------------------------- bombs and depth


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused(tmp_path):
    root = _attack_root(tmp_path, "bomb", billion_laughs())
    problem = _only(_validate_bounded(root), "bomb")
    assert f"the file expands to more than {MAX_NODES} values" in problem


def test_alias_bomb_in_a_vocabulary_is_refused(tmp_path):
    root = make_root(tmp_path / "root")
    (root / "data" / "glossary.yaml").write_text(billion_laughs(), encoding="utf-8")
    problems = _validate_bounded(root)
    assert any(p.startswith("data/glossary.yaml:") and "expands to more than" in p for p in problems), problems


def test_one_big_string_repeated_is_cheap(tmp_path):
    """Aliases of one large scalar share it: bounded time and memory, then the unknown field is reported."""
    big = "x" * 500_000
    text = f"a: &big {big}\nb: [" + ", ".join(["*big"] * 5000) + "]\n"
    root = _attack_root(tmp_path, "big", text)
    problems = _validate_bounded(root)
    assert problems and all(p.startswith("data/policies/big.yaml:") for p in problems)


def test_long_alias_chain_is_refused(tmp_path):
    """Each anchor holds the previous one: few nodes written, a quadratic number of values built."""
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 3000)]
    root = _attack_root(tmp_path, "chain", "\n".join(lines) + "\n")
    problem = _only(_validate_bounded(root), "chain")
    assert "expands to more than" in problem or "nesting deeper" in problem


def test_recursive_alias_is_refused(tmp_path):
    root = _attack_root(tmp_path, "loop", "a: &a [*a]\n")
    problem = _only(_validate_bounded(root), "loop")
    # Issue 17: it used to say "nesting deeper than 64 levels" with a 64-level field path.
    assert problem.startswith("data/policies/loop.yaml:1:4: a: an alias (*name) repeats the anchor it is inside of")


NESTING = {
    "block-mappings": "a:\n" + "".join("  " * i + "a:\n" for i in range(1, 300)) + "  " * 300 + "x\n",
    "block-sequences": "a:\n" + "".join("  " * i + "-\n" for i in range(1, 300)) + "  " * 300 + "x\n",
    "flow-sequences-100k": "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "flow-mappings-100k": "a: " + "{a: " * 100_000 + "x" + "}" * 100_000 + "\n",
    "flow-unclosed-100k": "a: " + "[{" * 50_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(NESTING))
def test_deep_nesting_is_refused(tmp_path, name):
    root = _attack_root(tmp_path, name, NESTING[name])
    problem = _only(_validate_bounded(root), name)
    assert f"nesting deeper than {MAX_DEPTH} levels" in problem


@pytest.mark.parametrize("name", ["flow-sequences-100k", "flow-mappings-100k"])
def test_deep_flow_nesting_does_not_crash_the_cli(tmp_path, name):
    """libyaml's composer recurses in C and segfaults on these; the CLI must exit 1 with a message."""
    root = _attack_root(tmp_path, name, NESTING[name])
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=generator_env(),
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert f"data/policies/{name}.yaml:1:" in result.stderr and "nesting deeper than" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_text_depth_limit_is_exact():
    """MAX_DEPTH levels load; one more is refused (the limit is a rule, not an accident of recursion)."""
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert load_text(ok, "ok").data
    with pytest.raises(LoadError, match="nesting deeper"):
        load_text("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "deep")


# --------------------------------------------------------------------------- size, duplicates, odd files


def test_oversize_file_is_refused_before_reading(tmp_path):
    text = "id: x\n# " + "x" * (MAX_FILE_BYTES + 10) + "\n"
    root = _attack_root(tmp_path, "huge", text)
    problem = _only(_validate_bounded(root), "huge")
    assert f"more than the {MAX_FILE_BYTES} allowed" in problem


def test_oversize_vocabulary_is_refused(tmp_path):
    root = make_root(tmp_path / "root")
    (root / "data" / "regions.yaml").write_text("regions: []\n# " + "x" * (MAX_FILE_BYTES + 10), encoding="utf-8")
    problems = _validate_bounded(root)
    assert any(p.startswith("data/regions.yaml:1:1:") and "allowed" in p for p in problems), problems


def _fixture_policy(name: str = "north-2023-skills") -> dict:
    return yaml.safe_load((MINI / "data" / "policies" / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text,where",
    [
        ("id: a\nid: b\n", ":2:1: id: duplicate key 'id'"),
        (
            "id: a\nmeasures:\n  - id: m01\n    title: x\n    title: y\n",
            ":5:5: measures[0].title: duplicate key 'title'",
        ),
        ("id: a\n'id': b\n", ":2:1: id: duplicate key 'id'"),
    ],
)
def test_duplicate_keys_are_refused(tmp_path, text, where):
    root = _attack_root(tmp_path, "dup", text)
    problem = _only(_validate_bounded(root), "dup")
    assert problem.startswith("data/policies/dup.yaml" + where), problem


def test_two_documents_and_a_merge_key_are_refused(tmp_path):
    root = _attack_root(tmp_path, "two", "id: a\n---\nid: b\n")
    assert "more than one YAML document" in _only(_validate_bounded(root), "two")
    root = _attack_root(tmp_path / "m", "merge", "base: &b {title: x}\nm:\n  <<: *b\n")
    assert "merge keys (<<) are not allowed" in _only(_validate_bounded(root), "merge")


def test_a_linked_data_file_is_refused_without_being_read(tmp_path):
    """A pull request can add a symbolic link; followed, /dev/zero would never end and a secret would be published."""
    root = make_root(tmp_path / "root")
    (root / "data" / "policies" / "zero.yaml").symlink_to("/dev/zero")
    policy = _fixture_policy()
    (root / "data" / "sources" / "north-2023-skills.txt").unlink()
    (root / "data" / "sources" / "north-2023-skills.txt").symlink_to("/dev/zero")
    problems = _validate_bounded(root)
    assert [p for p in problems if "symbolic link" in p] == [
        "data/policies/zero.yaml:1:1: is a symbolic link or special file, not an ordinary file"
        " — data files must be ordinary files inside data/; replace the link with the file itself",
        "data/sources/north-2023-skills.txt:1:1: is a symbolic link or special file, not an ordinary file"
        " — data files must be ordinary files inside data/; replace the link with the file itself",
    ], problems
    assert policy["id"] == "north-2023-skills"


# --------------------------------------------------------------------------- ids never become paths outside the site


PATH_IDS = [
    "../x",
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\x",
    "c:/x",
    "a/b",
    "a\\b",
    ".",
    "..",
    ".x",
    "x.",
    "x..y",
    "-x",
    "x-",
    "a--b",
    "UPPER",
    "a b",
    "a\tb",
    "%2e%2e",
    "x%2fy",
    "~root",
    "xinxiang-2023-ｘ",  # fullwidth x
    "xinxiang-2023-\u0430",  # Cyrillic а
    "xinxiang-\u0131",  # dotless ı
    "xinxiang-\u212a",  # Kelvin sign (lowercases to k)
    "x\u200by",  # zero-width space
    "ｘ",
    "１",
    "x" * 81,
    "",
]
RESERVED_IDS = ["con", "nul", "aux", "prn", "com1", "lpt9", "index", "wording"]


def _write_policy_with_id(root: Path, policy_id: str) -> str:
    """The fixture policy under another id; named after the id when that is a possible file name."""
    policy = _fixture_policy()
    policy["id"] = policy_id
    name = policy_id if policy_id in RESERVED_IDS else "zz-attack"
    (root / "data" / "sources" / f"{name}.txt").write_bytes(
        (MINI / "data" / "sources" / "north-2023-skills.txt").read_bytes()
    )
    (root / "data" / "policies" / f"{name}.yaml").write_text(POLICY_HEADER + dump_yaml(policy), encoding="utf-8")
    return name


@pytest.mark.parametrize("policy_id", PATH_IDS + RESERVED_IDS, ids=repr)
def test_policy_id_that_could_be_a_path_is_refused(tmp_path, policy_id):
    root = make_root(tmp_path / "root")
    name = _write_policy_with_id(root, policy_id)
    problems = _validate_bounded(root)
    at_id = [p for p in problems if p.startswith(f"data/policies/{name}.yaml:") and ": id: " in p]
    assert at_id, "\n".join(problems)
    if policy_id in RESERVED_IDS:
        assert "reserved" in at_id[0], at_id
    elif policy_id:
        assert "is not a valid id" in at_id[0] or "too long" in at_id[0] or "control character" in at_id[0], at_id


@pytest.mark.parametrize(
    "vocabulary,key,bad",
    [
        ("regions.yaml", "regions", "../x"),
        ("regions.yaml", "regions", "index"),
        ("regions.yaml", "regions", "con"),
        ("themes.yaml", "themes", "/etc"),
        ("themes.yaml", "themes", "index"),
        ("themes.yaml", "themes", "lpt1"),
    ],
)
def test_vocabulary_ids_that_become_paths_are_refused(tmp_path, vocabulary, key, bad):
    root = make_root(tmp_path / "root")
    data = read_vocab(root, vocabulary)
    extra = dict(data[key][-1], id=bad)
    data[key].append(extra)
    write_vocab(root, vocabulary, data)
    problems = _validate_bounded(root)
    assert any(p.startswith(f"data/{vocabulary}:") and f"{key}[{len(data[key]) - 1}].id" in p for p in problems), (
        problems
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>") for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("policy_id", ["../../escaped", "/tmp/escaped", "index"])
def test_a_build_with_a_path_like_id_writes_nothing(tmp_path, policy_id):
    sandbox = tmp_path / "sandbox"
    root = make_root(sandbox / "project", site_files=True)
    _write_policy_with_id(root, policy_id)
    before = _tree(tmp_path)
    result = run_build(root, root / "site", cwd=ROOT, timeout=300)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert ": id: " in result.stderr and "Nothing was built" in result.stderr
    assert _tree(tmp_path) == before, "the failed build wrote files"
    assert not Path("/tmp/escaped").exists()
