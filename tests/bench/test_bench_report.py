"""The README's benchmark figures are written by ``bench/run.py`` from ``bench/results.json``,
never typed by hand: the section between the markers is replaced, the rest of the README kept."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import run  # noqa: E402


def results() -> dict[int, dict]:
    data = json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))
    return {r["n"]: r for r in data["sizes"]}


def test_readme_section_is_replaced_between_the_markers_only(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# Atlas\n\nbefore\n\n{run.README_START}\nold figures\n{run.README_END}\n\nafter\n", encoding="utf-8"
    )
    assert run.update_readme(readme, results())
    text = readme.read_text(encoding="utf-8")
    assert "old figures" not in text
    assert text.startswith("# Atlas\n\nbefore\n\n") and text.endswith(f"{run.README_END}\n\nafter\n")
    section = text[text.index(run.README_START) : text.index(run.README_END)]
    for n in results():
        assert f"| {n:,} |" in section  # one row per measured size
    assert "Goals (issues 8 and 14):" in section and ("- met:" in section or "- NOT met:" in section)


def test_a_readme_without_markers_is_left_alone(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Atlas\n", encoding="utf-8")
    assert not run.update_readme(readme, results())
    assert readme.read_text(encoding="utf-8") == "# Atlas\n"


def test_the_committed_readme_shows_the_committed_results() -> None:
    """Whoever commits new results commits the README the benchmark wrote with them."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = text.index(run.README_START), text.index(run.README_END)
    assert text[start + len(run.README_START) : end].strip() == run.readme_section(results()).strip()
