"""Temporary self-check for encoders until `python -m generator validate` lands.

Usage: .venv/bin/python scripts/draft_check.py data/policies/<id>.yaml
Checks: the model, that every quote/evidence is in the archived source, that every
target/statistic value and amount is stated in its quote, and vocabulary ids.
"""
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import models  # noqa: E402
from generator.numbers import states  # noqa: E402
from generator.sources import SourceText, sha256_text  # noqa: E402

root = Path(__file__).resolve().parents[1]
data = root / "data"


def ids(name, key):
    return {e["id"] for e in yaml.safe_load((data / name).read_text(encoding="utf-8"))[key]}


vocab = {
    "region": ids("regions.yaml", "regions"),
    "theme": ids("themes.yaml", "themes"),
    "topic": ids("topics.yaml", "topics"),
    "metric": ids("metrics.yaml", "metrics"),
}
fixes = [(f["from"], f["to"]) for f in yaml.safe_load((data / "wording.yaml").read_text(encoding="utf-8"))["fixes"]]
problems = 0
for arg in sys.argv[1:]:
    path = Path(arg)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        policy = models.Policy.model_validate(raw)
    except Exception as exc:  # noqa: BLE001
        print(f"{path}: MODEL ERROR\n{exc}")
        problems += 1
        continue
    src_path = data / "sources" / f"{policy.id}.txt"
    blob = src_path.read_bytes()
    if sha256_text(blob) != policy.source.sha256:
        print(f"{path}: source.sha256 does not match {src_path}")
        problems += 1
    src = SourceText(blob.decode("utf-8"), traditional=policy.source.script.value == "zh-Hant", fixes=fixes)

    def check_quote(where, q):
        global problems
        if src.find(q) is None:
            print(f"{path}: {where}: quote not found in source: {q[:60]}")
            problems += 1

    if policy.region not in vocab["region"]:
        print(f"{path}: unknown region {policy.region}"); problems += 1
    seen = set()
    for i, m in enumerate(policy.measures):
        if m.id in seen:
            print(f"{path}: duplicate measure id {m.id}"); problems += 1
        seen.add(m.id)
        for t in m.themes:
            if t not in vocab["theme"]:
                print(f"{path}: measures[{i}] unknown theme {t}"); problems += 1
        for t in m.topics:
            if t not in vocab["topic"]:
                print(f"{path}: measures[{i}] unknown topic {t}"); problems += 1
        for j, q in enumerate(m.quotes):
            check_quote(f"measures[{i}].quotes[{j}]", q)
        for kind in ("targets", "statistics"):
            for j, t in enumerate(getattr(m, kind)):
                check_quote(f"measures[{i}].{kind}[{j}]", t.quote)
                if t.metric not in vocab["metric"]:
                    print(f"{path}: measures[{i}].{kind}[{j}] unknown metric {t.metric}"); problems += 1
                if kind == "targets":  # fractions, ranges: the validator's own reading of the forms
                    from generator.checks_values import target_not_stated
                    missing = target_not_stated(t)
                    if missing:
                        print(f"{path}: measures[{i}].{kind}[{j}] {missing[1]}"); problems += 1
                elif not states(t.quote, t.value):
                    print(f"{path}: measures[{i}].{kind}[{j}] value {t.value} not stated in quote"); problems += 1
        for j, a in enumerate(m.amounts):
            check_quote(f"measures[{i}].amounts[{j}]", a.quote)
            if not states(a.quote, a.yuan):
                print(f"{path}: measures[{i}].amounts[{j}] yuan {a.yuan} not stated in quote"); problems += 1
    for j, n in enumerate(policy.notes):
        check_quote(f"notes[{j}].evidence", n.evidence)
    print(f"{path}: {len(policy.measures)} measures checked")
sys.exit(1 if problems else 0)
