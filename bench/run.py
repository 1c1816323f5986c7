"""``make bench [N=…]``: how the atlas build scales, measured on synthetic atlases.

For each size N (policies) it writes a synthetic atlas (``bench/synth.py``),
then measures, as the median of several runs, each in a fresh process:

* ``generate(root)`` alone — load, validate, catalogue, render Markdown;
* ``python -m generator validate`` (a subprocess, start-up included);
* ``mkdocs build`` of the atlas (the plugin);
* the baseline, in the same run: the *same* rendered Markdown and files
  written out as plain files into a ``docs/`` folder and built by bare
  MkDocs with the same theme, the same search plugin (given the atlas's jieba
  user dictionary, so segmentation is the same) and the same nav, without the
  atlas plugin;

and once: peak memory of each build (``os.wait4`` rusage of that child),
the size of ``site/`` and of ``search/search_index.json`` (raw and gzip),
whether the two search indexes are byte-identical (same search quality),
the widest side-by-side table, the whole-atlas PDF (``generator.export.pdf.write_pdf``,
in its own process: CPU seconds, peak memory, pages, bytes) at every size, and at
N ≤ ``--serve-max`` how long ``mkdocs serve`` takes to come up and to rebuild
after a data file changes.

``--only pdf`` measures the PDF alone and merges its figures into the results
already recorded for each size. Results go to ``bench/results.json`` (one object per N, merged with earlier
runs of other sizes) and ``bench/REPORT.md``. This is a script, not a test:
nothing here is timed inside the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import weight
import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"
RESULTS = BENCH / "results.json"
REPORT = BENCH / "REPORT.md"
README = REPO / "README.md"
PY = sys.executable
DEFAULT_SIZES = [100, 1000, 5000]
DEFAULT_RUNS = {100: 3, 1000: 3, 5000: 2}
EPOCH = "1700000000"

sys.path.insert(0, str(REPO))


# --------------------------------------------------------------------------- processes


def run_child(cmd: list[str], cwd: Path, log: Path | None = None, env: dict | None = None) -> dict:
    """Run one command: its CPU time (user + system), wall time and peak resident memory.

    The figures are that child's own (``os.wait4``), not the sum over earlier children. CPU time is
    the primary figure: the benchmark machine's cores are shared, and other work on them stretches
    wall time by a varying factor but leaves a single-threaded process's CPU time nearly unchanged.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0", **(env or {}))
    with open(log, "ab") if log else contextlib.nullcontext(subprocess.DEVNULL) as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=out)
        stdout = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed with exit code {proc.returncode} (see {log})")
    return {
        "seconds": usage.ru_utime + usage.ru_stime,
        "wall_seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "stdout": stdout.decode("utf-8", "replace"),
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- atlases


def _stamp(n: int, seed: int) -> str:
    digest = hashlib.sha256()
    for path in [
        BENCH / "synth.py",
        *sorted((REPO / "data").glob("*.yaml")),
        *sorted((REPO / "docs").rglob("*")),
        REPO / "mkdocs.yml",
        *sorted((REPO / "overrides").rglob("*")),
    ]:
        if path.is_file():
            digest.update(path.read_bytes())
    return f"n={n} seed={seed} {digest.hexdigest()}"


def prepare_atlas(n: int, seed: int) -> tuple[Path, dict]:
    """The synthetic atlas for ``n``, re-made only when the generator script or the vocabularies changed."""
    root = WORK / f"atlas-{n}"
    stamp = root / ".synth-stamp.json"
    want = _stamp(n, seed)
    if stamp.is_file():
        saved = json.loads(stamp.read_text())
        if saved.get("stamp") == want:
            return root, saved
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    # In a child process, as the export below: the parent stays small while the builds run.
    out = run_child(
        [PY, str(BENCH / "synth.py"), "--n", str(n), "--seed", str(seed), "--out", str(root), "--json"], cwd=REPO
    )
    counts = json.loads(out["stdout"].strip().splitlines()[-1])
    saved = {"stamp": want, "counts": counts, "synth_seconds": round(time.perf_counter() - started, 2)}
    stamp.write_text(json.dumps(saved, ensure_ascii=False))
    return root, saved


def export_bare(root: Path, bare: Path) -> None:
    """The same pages and files as plain files, and a mkdocs.yml without the atlas plugin."""
    from generator.mkdocs.plugin import AtlasPlugin
    from generator.site.generate import generate

    if bare.exists():
        shutil.rmtree(bare)
    docs = bare / "docs"
    shutil.copytree(root / "docs", docs)
    gen = generate(root)
    for src, markdown in gen.markdown.items():
        path = docs / src
        if not path.exists():  # a hand-written page wins, as in the plugin's on_files
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(markdown, encoding="utf-8")
    for name, content in gen.files.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if (root / "overrides").is_dir():
        shutil.copytree(root / "overrides", bare / "overrides")
    userdict = docs / "downloads" / "jieba-userdict.txt"
    plugin = AtlasPlugin()
    plugin.generated = gen

    class _Config:  # what AtlasPlugin._nav reads
        docs_dir = str(docs)

    nav = plugin._nav(_Config())
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text, removed = re.subn(r"^\s*-\s*atlas\s*$\n?", "", text, flags=re.M)
    text, added = re.subn(
        r"^(\s*)- search:\s*$\n",
        lambda m: f"{m.group(0)}{m.group(1)}    jieba_dict_user: {json.dumps(str(userdict))}\n",
        text,
        count=1,
        flags=re.M,
    )
    # Since issue 13 the site has its own search index, written after the MkDocs build: mkdocs.yml has no search
    # plugin, and the baseline builds the same pages without one either.
    if removed != 1 or added > 1:
        raise RuntimeError("mkdocs.yml no longer has the '- atlas' entry bench/run.py expects")
    text += "\n# bench: the nav the atlas plugin builds\n" + yaml.safe_dump(
        {"nav": nav}, allow_unicode=True, sort_keys=False
    )
    (bare / "mkdocs.yml").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- site figures


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


_SBS_TABLE = re.compile(r'<table class="[^"]*\batlas-sbs\b[^"]*".*?</thead>', re.S)


def table_widths(site: Path) -> dict:
    """The widest side-by-side tables: readers scroll sideways beyond a dozen or so columns."""
    widest: dict[str, tuple[int, str]] = {}
    tables = 0
    for page in sorted(site.rglob("index.html")):
        rel = page.relative_to(site).parent.as_posix()
        kind = rel.split("/")[0] if rel != "." else "home"
        for match in _SBS_TABLE.finditer(page.read_text(encoding="utf-8")):
            tables += 1
            columns = len(re.findall(r"<th[\s>]", match.group(0)))  # header cells, not <thead>
            if columns > widest.get(kind, (0, ""))[0]:
                widest[kind] = (columns, rel)
    return {"tables": tables, "widest": {k: {"columns": c, "page": p} for k, (c, p) in sorted(widest.items())}}


def _canonical_index_digest(raw: bytes) -> str:
    """The index with its entries in a fixed order: MkDocs indexes pages in file order, which differs
    between the plugin's in-memory files and a docs/ folder; the entries themselves must not."""
    if not raw:
        return ""
    data = json.loads(raw)
    data["docs"] = sorted(data["docs"], key=lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True))
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def site_figures(site: Path) -> dict:
    index = site / "search" / "search_index.json"
    raw = index.read_bytes() if index.is_file() else b""
    pages = sorted(site.rglob("index.html"), key=lambda p: p.stat().st_size)
    largest = pages[-1] if pages else None
    return {
        "site_bytes": tree_bytes(site),
        "html_pages": len(pages),
        "largest_page": {"page": largest.relative_to(site).parent.as_posix(), "bytes": largest.stat().st_size}
        if largest
        else None,
        "search_index_bytes": len(raw),
        "search_index_gzip_bytes": len(gzip.compress(raw, 6)),
        "search_index_sha256": hashlib.sha256(raw).hexdigest(),
        "search_index_canonical_sha256": _canonical_index_digest(raw),
        "search_index_entries": len(json.loads(raw)["docs"]) if raw else 0,
    }


# --------------------------------------------------------------------------- measurements


GENERATE_SNIPPET = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from generator.site.generate import generate
    t, c = time.perf_counter(), time.process_time()
    g = generate(Path(sys.argv[1]))
    print(json.dumps({"seconds": time.process_time() - c, "wall_seconds": time.perf_counter() - t,
                      "pages": len(g.markdown)}))
""")

PDF_SNIPPET = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from generator.export.pdf import write_pdf
    t, c = time.perf_counter(), time.process_time()
    try:
        pages = write_pdf(Path(sys.argv[1]), Path(sys.argv[2]))
    except NotImplementedError as exc:
        print(json.dumps({"error": f"not implemented: {exc}"})); raise SystemExit(0)
    # process_time counts every thread of the process (Typst lays pages out in parallel); a large
    # atlas is typeset in child processes (generator/export/typeset.py), counted as well
    kids, own = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": time.process_time() - c + kids.ru_utime + kids.ru_stime,
                      "wall_seconds": time.perf_counter() - t, "pages": pages,
                      "parent_rss_mb": own.ru_maxrss / 1024, "child_rss_mb": kids.ru_maxrss / 1024}))
""")


def measure_generate(root: Path, log: Path) -> dict:
    out = run_child([PY, "-c", GENERATE_SNIPPET, str(root)], cwd=REPO, log=log)
    inner = json.loads(out["stdout"].strip().splitlines()[-1])
    return {
        "seconds": inner["seconds"],
        "wall_seconds": inner["wall_seconds"],
        "process_seconds": out["seconds"],
        "peak_rss_mb": out["peak_rss_mb"],
        "pages": inner["pages"],
    }


def measure_build(project: Path, site: Path, log: Path) -> dict:
    if site.exists():
        shutil.rmtree(site)
    return run_child([PY, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=project, log=log)


def measure_pdf(root: Path, out: Path, log: Path) -> dict:
    try:
        result = run_child([PY, "-c", PDF_SNIPPET, str(root), str(out)], cwd=REPO, log=log)
    except RuntimeError as exc:  # the message names the snippet; its exit code and log are what matter
        return {"error": "the PDF process " + str(exc).rsplit(" failed with ", 1)[-1]}
    inner = json.loads(result["stdout"].strip().splitlines()[-1])
    if "error" in inner:
        return inner
    return {
        "seconds": inner["seconds"],
        "wall_seconds": inner["wall_seconds"],
        "pages": inner["pages"],
        "bytes": out.stat().st_size,
        # the process and one child at a time (the largest) typeset: their sum bounds what is resident at once
        "peak_rss_mb": inner.get("parent_rss_mb", 0) + inner.get("child_rss_mb", 0) or result["peak_rss_mb"],
        "parent_rss_mb": inner.get("parent_rss_mb"),
        "child_rss_mb": inner.get("child_rss_mb"),
        "process_seconds": result["seconds"],  # start-up, load and validation included
        "engine": "typst",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def pdf_figures(n: int, seed: int) -> dict:
    """The whole-atlas PDF of the synthetic atlas of size ``n``, with its per-policy CPU time."""
    root, _ = prepare_atlas(n, seed)
    work = WORK / f"run-{n}"
    work.mkdir(parents=True, exist_ok=True)
    print(f"[{n}] PDF …", flush=True)
    pdf = measure_pdf(root, work / "atlas.pdf", work / "pdf-log.txt")
    if "seconds" in pdf:
        pdf["seconds_per_policy"] = pdf["seconds"] / n
        print(
            f"[{n}] PDF: {pdf['seconds']:.1f} s CPU ({1000 * pdf['seconds_per_policy']:.1f} ms/policy), "
            f"peak {pdf['peak_rss_mb']:.0f} MB, {pdf['pages']:,} pages, {_mb(pdf['bytes'])} MB",
            flush=True,
        )
    return pdf


def serve_args(makefile: Path = REPO / "Makefile") -> list[str]:
    """``mkdocs serve``'s options as ``make serve`` gives them, so the benchmark measures what contributors run."""
    recipe = makefile.read_text(encoding="utf-8").split("\nserve:", 1)[1]
    line = next(text for text in recipe.splitlines() if "mkdocs serve" in text)
    return ["serve", *line.split("mkdocs serve", 1)[1].split()]


SERVE_ARGS = serve_args()


def measure_serve(root: Path, log: Path, timeout: float = 1800) -> dict:
    """Start ``mkdocs serve`` (as ``make serve`` does), time the first build and a rebuild after a
    contributor's edit (one summary reworded)."""
    import select
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-m", "mkdocs", *SERVE_ARGS, "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lines: list[str] = []

    def wait_for(pattern: str) -> float:
        buffer = b""
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([proc.stderr], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    raise RuntimeError("mkdocs serve exited: " + "".join(lines[-5:]))
                continue
            chunk = os.read(proc.stderr.fileno(), 65536)
            if not chunk:
                raise RuntimeError("mkdocs serve closed its output: " + "".join(lines[-5:]))
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                text = line.decode("utf-8", "replace")
                lines.append(text + "\n")
                if re.search(pattern, text):
                    return time.perf_counter()
                if re.search(r"^(ERROR|Aborted)|Traceback", text):
                    raise RuntimeError("mkdocs serve: the build failed: " + text)
        raise RuntimeError(f"mkdocs serve: no '{pattern}' within {timeout} s")

    policy = sorted((root / "data" / "policies").glob("*.yaml"))[0]
    original = policy.read_bytes()
    timings: dict = {}
    try:
        timings["command"] = "mkdocs " + " ".join(SERVE_ARGS)
        timings["first_build_seconds"] = wait_for(r"Serving on") - started
        # A contributor's edit: one measure's summary reworded (the data stay valid).
        text = original.decode("utf-8")
        at = text.index("summary: ") + len("summary: ")
        policy.write_text(text[:at] + "（修订）" + text[at:], encoding="utf-8")
        edited = time.perf_counter()
        wait_for(r"Building documentation|Detected file changes")
        done = wait_for(r"Documentation built|Reloading browsers|Serving on")
        timings["rebuild_seconds"] = done - edited
        rebuilt = [line.strip() for line in lines if "atlas: " in line]
        timings["rebuild_log"] = rebuilt[-1] if rebuilt else ""
        return timings
    finally:
        policy.write_bytes(original)  # the atlas is reused by later runs
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        with open(log, "a", encoding="utf-8") as handle:
            handle.writelines(lines)


def measure_full_build(root: Path, site: Path, log: Path) -> dict:
    """What a contributor waits for: ``python -m generator build --no-pdf --no-offline`` (validation,
    MkDocs, the search index), CPU of the process and of every child it waited for."""
    if site.exists():
        shutil.rmtree(site)
    out = run_child(
        [PY, "-m", "generator", "--root", str(root), "build", "--site-dir", str(site), "--no-pdf", "--no-offline"],
        cwd=REPO,
        log=log,
    )
    out["search_step"] = weight.search_step(out.pop("stdout"))
    return out


def measure_reference(log: Path) -> dict:
    """The fixed yardstick, measured in the same run: bare MkDocs + Material with its own search
    building 1,000 plain pages of ~5 KB of Chinese each (bench/weight.py)."""
    project = weight.reference_project(WORK / "reference")
    out = run_child([PY, "-m", "mkdocs", "build", "-q", "-d", str(WORK / "reference-site")], cwd=project, log=log)
    return {
        "pages": weight.REFERENCE_PAGES,
        "cpu_seconds": out["seconds"],
        "ms_per_page": 1000 * out["seconds"] / weight.REFERENCE_PAGES,
        "wall_seconds": out["wall_seconds"],
        "page_bytes": int(median([p.stat().st_size for p in (project / "docs").glob("page-*.md")])),
    }


def issue13_figures(n: int, root: Path, site: Path, full_runs: list[dict], reference: dict, recall_max: int) -> dict:
    full = median([r["seconds"] for r in full_runs])
    steps = [r["search_step"]["cpu_seconds"] for r in full_runs if r.get("search_step")]
    out = {
        "full_build_cpu_seconds": full,
        "full_build_runs": [r["seconds"] for r in full_runs],
        "full_build_peak_rss_mb": max(r["peak_rss_mb"] for r in full_runs),
        "full_build_ms_per_policy": 1000 * full / n,
        "reference_pages_per_policy": (1000 * full / n) / reference["ms_per_page"],
        "search_step_cpu_seconds": median(steps) if steps else None,
        "search_bundle_bytes": weight.tree_bytes(site / "search"),
        "site_bytes": weight.tree_bytes(site),
        "html": weight.html_weights(site),
    }
    print(f"[{n}] Material's search plugin on the same pages …", flush=True)
    out["material_search"] = weight.material_search_cpu(site)
    print(f"[{n}] first search in a browser …", flush=True)
    out["first_search"] = weight.first_search_bytes(site)
    if n <= recall_max:
        print(f"[{n}] search recall …", flush=True)
        out["recall"] = recall_scores(root, site)
    return out


def recall_scores(root: Path, site: Path) -> dict:
    """tests/search_recall.py's query set through the search box, on this atlas."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO / "tests"))
    from search_recall import load_queries, score

    from generator.core.catalog import Catalogue
    from generator.core.validate import validate

    dataset, _ = validate(root)
    catalogue = Catalogue(dataset)
    server, url = weight.serve(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.goto(url)
            scores = score(catalogue, page, url, load_queries())
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return scores


def bench_issue13_only(n: int, runs: int, seed: int, reference: dict, recall_max: int) -> dict:
    """Only the issue-13 figures (the whole build, search, page weight): what a busy shared machine
    has time for at large N; the earlier builds' figures for this N are kept from results.json."""
    root, synth = prepare_atlas(n, seed)
    work = WORK / f"run-{n}"
    work.mkdir(parents=True, exist_ok=True)
    log = work / "log.txt"
    log.write_text("")
    full_runs = []
    for k in range(runs):
        full_runs.append(measure_full_build(root, work / "site-full", log))
        print(f"[{n}] run {k + 1}/{runs}: whole build {full_runs[-1]['seconds']:.1f} s CPU", flush=True)
    result = dict(load_results().get(n, {"n": n, "counts": synth["counts"]}))
    result["issue13"] = issue13_figures(n, root, work / "site-full", full_runs, reference, recall_max)
    result["issue13"]["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return result


def bench_size(n: int, runs: int, seed: int, serve_max: int, reference: dict, recall_max: int = 1000) -> dict:
    root, synth = prepare_atlas(n, seed)
    work = WORK / f"run-{n}"
    work.mkdir(parents=True, exist_ok=True)
    log = work / "log.txt"
    log.write_text("")
    bare = work / "bare"
    print(f"[{n}] atlas at {root} ({synth['counts']}); exporting the bare-MkDocs baseline …", flush=True)
    run_child([PY, str(BENCH / "run.py"), "--export-bare", str(root), str(bare)], cwd=REPO, log=log)
    generate_runs, validate_runs, atlas_runs, bare_runs, full_runs = [], [], [], [], []
    for k in range(runs):
        full_runs.append(measure_full_build(root, work / "site-full", log))
        generate_runs.append(measure_generate(root, log))
        validate_runs.append(run_child([PY, "-m", "generator", "validate"], cwd=root, log=log))
        atlas_runs.append(measure_build(root, work / "site-atlas", log))
        bare_runs.append(measure_build(bare, work / "site-bare", log))
        print(
            f"[{n}] run {k + 1}/{runs}: generate {generate_runs[-1]['seconds']:.1f} s, validate "
            f"{validate_runs[-1]['seconds']:.1f} s, atlas build {atlas_runs[-1]['seconds']:.1f} s, "
            f"bare build {bare_runs[-1]['seconds']:.1f} s",
            flush=True,
        )
    atlas_site = site_figures(work / "site-atlas")
    bare_site = site_figures(work / "site-bare")
    g = median([r["seconds"] for r in generate_runs])
    v = median([r["seconds"] for r in validate_runs])
    a = median([r["seconds"] for r in atlas_runs])
    b = median([r["seconds"] for r in bare_runs])
    a_mem = max(r["peak_rss_mb"] for r in atlas_runs)
    b_mem = max(r["peak_rss_mb"] for r in bare_runs)
    result = {
        "n": n,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
        "counts": synth["counts"],
        "synth_seconds": synth["synth_seconds"],
        "pages": generate_runs[0]["pages"],
        "generate_seconds": g,
        "generate_peak_rss_mb": max(r["peak_rss_mb"] for r in generate_runs),
        "validate_seconds": v,
        "atlas_build_seconds": a,
        "bare_build_seconds": b,
        "atlas_peak_rss_mb": a_mem,
        "bare_peak_rss_mb": b_mem,
        "all_runs_cpu_seconds": {
            "generate": [r["seconds"] for r in generate_runs],
            "validate": [r["seconds"] for r in validate_runs],
            "atlas_build": [r["seconds"] for r in atlas_runs],
            "bare_build": [r["seconds"] for r in bare_runs],
        },
        "all_runs_wall_seconds": {
            "generate": [r["wall_seconds"] for r in generate_runs],
            "validate": [r["wall_seconds"] for r in validate_runs],
            "atlas_build": [r["wall_seconds"] for r in atlas_runs],
            "bare_build": [r["wall_seconds"] for r in bare_runs],
        },
        "wall_ratios": {
            "generate_vs_bare": median([r["wall_seconds"] for r in generate_runs])
            / median([r["wall_seconds"] for r in bare_runs]),
            "atlas_vs_bare": median([r["wall_seconds"] for r in atlas_runs])
            / median([r["wall_seconds"] for r in bare_runs]),
        },
        "site": atlas_site,
        "bare_site": {k: bare_site[k] for k in ("site_bytes", "search_index_bytes", "search_index_entries")},
        "search_index_identical_to_bare": atlas_site["search_index_sha256"] == bare_site["search_index_sha256"],
        "search_index_same_entries_as_bare": (
            atlas_site["search_index_canonical_sha256"] == bare_site["search_index_canonical_sha256"]
        ),
        "side_by_side": table_widths(work / "site-atlas"),
        "per_policy_ms": {
            "generate": 1000 * g / n,
            "validate": 1000 * v / n,
            "atlas_build": 1000 * a / n,
            "bare_build": 1000 * b / n,
        },
        "ratios": {
            "generate_vs_bare": g / b,
            "validate_vs_bare": v / b,
            "atlas_vs_bare": a / b,
            "memory_atlas_vs_bare": a_mem / b_mem,
        },
        "load_average": os.getloadavg(),
    }
    result["issue13"] = issue13_figures(n, root, work / "site-full", full_runs, reference, recall_max)
    result["pdf"] = pdf_figures(n, seed)
    if n <= serve_max:
        print(f"[{n}] mkdocs serve …", flush=True)
        try:
            result["serve"] = measure_serve(root, log)
        except RuntimeError as exc:
            result["serve"] = {"error": str(exc)}
    print(
        f"[{n}] done: atlas {a:.1f} s vs bare {b:.1f} s ({a / b:.2f}×), generate {g / b:.1%} of bare, "
        f"validate {v / b:.1%}",
        flush=True,
    )
    return result


# --------------------------------------------------------------------------- goals and report


def goals(results: dict[int, dict]) -> list[dict]:
    def check(name: str, ok: bool | None, detail: str) -> dict:
        return {"goal": name, "met": ok, "detail": detail}

    out = []
    for n in (1000, 5000):
        r = results.get(n)
        if r:
            out.append(
                check(
                    f"generator ≤ 10% of bare MkDocs at N={n}",
                    r["ratios"]["generate_vs_bare"] <= 0.10,
                    f"{r['ratios']['generate_vs_bare']:.1%}",
                )
            )
            out.append(
                check(
                    f"validate ≤ 20% of bare MkDocs at N={n}",
                    r["ratios"]["validate_vs_bare"] <= 0.20,
                    f"{r['ratios']['validate_vs_bare']:.1%}",
                )
            )
    if 100 in results and 5000 in results:
        ratio = results[5000]["per_policy_ms"]["atlas_build"] / results[100]["per_policy_ms"]["atlas_build"]
        out.append(check("linear: per-policy build at 5,000 ≤ 1.25× that at 100", ratio <= 1.25, f"{ratio:.2f}×"))
    if 5000 in results:
        ratio = results[5000]["ratios"]["memory_atlas_vs_bare"]
        out.append(check("peak memory at 5,000 ≤ 1.5× bare MkDocs", ratio <= 1.5, f"{ratio:.2f}×"))
    pdf = {n: r["pdf"] for n, r in results.items() if "seconds" in r.get("pdf", {})}
    if 1000 in pdf:
        ms = 1000 * pdf[1000]["seconds_per_policy"]
        out.append(check("PDF ≤ 20 ms CPU per policy at N=1000", ms <= 20, f"{ms:.1f} ms"))
        out.append(
            check(
                "PDF peak memory ≤ 2 GB at N=1000",
                pdf[1000]["peak_rss_mb"] <= 2048,
                f"{pdf[1000]['peak_rss_mb']:.0f} MB",
            )
        )
    if 5000 in results:
        done = 5000 in pdf
        out.append(
            check(
                "PDF completes at N=5000",
                done,
                f"{pdf[5000]['pages']:,} pages" if done else str(results[5000].get("pdf", "not measured")),
            )
        )
    for n, r in sorted(results.items()):
        faster = r["atlas_build_seconds"] < r["bare_build_seconds"]
        same = r["search_index_same_entries_as_bare"]
        order = (
            ""
            if r["search_index_identical_to_bare"]
            else " (entries in another order: pages are indexed in file order)"
        )
        out.append(
            check(
                f"beat the peer at N={n}: atlas build faster than bare MkDocs, same search index",
                faster and same,
                f"{r['ratios']['atlas_vs_bare']:.2f}× the bare build; search index "
                f"{'same entries' + order if same else 'DIFFERENT'}",
            )
        )
    return out


def _mb(value: float) -> str:
    return f"{value / 1e6:.1f}"


def figures_table(results: dict[int, dict]) -> str:
    rows = [
        "| policies | pages | generate | validate | atlas build | bare MkDocs | atlas ÷ bare | generate ÷ bare "
        "| peak RSS atlas / bare | site | search index (gzip) | PDF | commit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n, r in sorted(results.items()):
        pdf = r.get("pdf", {})
        pdf_text = (
            f"{pdf['seconds']:.0f} s ({1000 * pdf['seconds_per_policy']:.0f} ms/policy), {_mb(pdf['bytes'])} MB"
            if "seconds" in pdf
            else "—"
        )
        runs = f" ×{r['runs']}"
        rows.append(
            f"| {n:,} | {r['pages']:,} | {r['generate_seconds']:.1f} s | {r['validate_seconds']:.1f} s "
            f"| {r['atlas_build_seconds']:.1f} s{runs} | {r['bare_build_seconds']:.1f} s{runs} "
            f"| {r['ratios']['atlas_vs_bare']:.2f}× | {r['ratios']['generate_vs_bare']:.1%} "
            f"| {r['atlas_peak_rss_mb']:.0f} / {r['bare_peak_rss_mb']:.0f} MB | {_mb(r['site']['site_bytes'])} MB "
            f"| {_mb(r['site']['search_index_bytes'])} MB ({_mb(r['site']['search_index_gzip_bytes'])} MB) "
            f"| {pdf_text} | {r.get('commit', 'not recorded')} |"
        )
    return "\n".join(rows)


def per_policy_table(results: dict[int, dict]) -> str:
    rows = [
        "| policies | generate | validate | atlas build | bare MkDocs | largest page | widest side-by-side table |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in sorted(results.items()):
        p = r["per_policy_ms"]
        largest = r["site"]["largest_page"] or {"page": "", "bytes": 0}
        widest = max(r["side_by_side"]["widest"].items(), key=lambda kv: kv[1]["columns"], default=None)
        wide = f"{widest[1]['columns']} columns ({widest[1]['page']})" if widest else "—"
        rows.append(
            f"| {n:,} | {p['generate']:.1f} ms | {p['validate']:.1f} ms | {p['atlas_build']:.1f} ms "
            f"| {p['bare_build']:.1f} ms | {_mb(largest['bytes'])} MB ({largest['page']}) | {wide} |"
        )
    return "\n".join(rows)


NOTES = """
## Issue 13: search and page weight

- **Search is the atlas's own static index** (`generator/export/sitesearch.py`, `docs/assets/atlas-search.js`),
  written by `python -m generator build` next to the built site (`site/search/`); Material's search
  plugin is gone from `mkdocs.yml` and serves only the offline bundle. The "Material search index"
  section and the issue-8 "same search index as bare MkDocs" goal above therefore describe figures
  of the older commits in their rows; the issue-13 table is the current search.
- **Why not Pagefind** (tried first, rows of commit 771e15e and earlier): its first search at 1,000
  policies was 821 KB — the page list (147 KB, every record's hash and word count, growing with the
  atlas), the postings of one common character with every word position (139 KB), two filter
  lists (121 KB) and its WebAssembly segmenter (68 KB). Its indexer (jieba-like) and browser (ICU)
  cut Chinese differently, so measures were indexed one character a word, which made the position
  lists longer still. The atlas's index has no positions: a record is found by the 1–3 character
  pieces of its text, postings are delta-coded record numbers (a common piece gzips to well under a
  byte per record), and the browser checks the whole words in the records it shows.
- **Related lists**: at most 5 (`RELATED_LIMIT`), nearest first, with a link to the topic's
  side-by-side comparison, which lists every region's measures; one entry per policy. On a policy
  page the entries are one small JSON file per list (`related/<hash>.json`, shared by every page
  showing the list), fetched by `atlas.js` when a reader opens it; the offline bundle keeps them inline.
- **Page weight** (the rest): a glossary definition is a link's tooltip once per page (atlas.js
  lends it to the other links), badges no longer repeat the breadcrumb's theme and topic, the built
  HTML loses the theme templates' indentation (`generator/mkdocs/compact.py`), the glossary lists
  20 occurrences per term. At N=300 (one build each, same machine): median policy page 111 → 73 KB,
  theme page 225 → 190 KB, glossary 1,424 → 431 KB, site 119.6 → 102.0 MB.
- **Generated pages' raw HTML no longer parsed by Python-Markdown**
  (`generator/mkdocs/rawhtml.py`): a cProfile of `mkdocs build` at N=300 had `Markdown.convert` at
  72% of the profiled time, nearly all of it two HTML parsers (md_in_html's block extractor,
  MkDocs's anchor scan) over raw HTML that passes through unchanged. A preprocessor stashes each
  block-level raw HTML block first, as md_in_html would; the headings stay Markdown (TOC,
  permalinks, title as before). Every generated page converts to the same HTML and TOC as without
  it (tests/mkdocs/test_rawhtml.py; also checked on all 989 pages at N=300). Whole build at N=300,
  3 runs each, A/B in turn: 54.2 → 38.0 s CPU, of which the search step ~13 s both ways (without
  it 137 → 83 ms per policy, 3.4 → 2.1 reference pages). At N=1,000 (one run, 131 ms per policy in
  the table) the search step was 50.4 s of the 130.9 s: without it 80.5 ms, 2.0 reference pages.
- **Previous round's issue-13 rows** (commit 0a1e3f0 and earlier): first results 120 / 120 / 139 KB,
  median policy page 68 KB at 1,000, site 1,438 MB at 5,000 (policies 356 MB, data downloads 256 MB,
  themes 196, sources 166, regions 154, related lists 95, the 自选对照 data script 91, search 66).
- **This round's issue-13 rows** (`--issue13-only --runs 1`, one build per size; 100 and 1,000 at
  commit 77c95c3, 5,000 at a3e4ea7, after the last page-weight changes): what many pages repeated is
  now one shared file or gone, and what a reader had just read is not printed again. Median policy
  page at 1,000: 68 → 57 KB (goal 60: met). Site at 5,000: 1,438 → 988 MB (goal 1 GB: met; 1,044 MB
  at 77c95c3). The changes: the two whole-atlas downloads as ZIP archives (atlas.json 138 MB,
  measures.csv 60 MB at 5,000) and the 5,000 archived source texts as one ZIP (36 → 8 MB); glossary
  definitions out of the pages into one script atlas.js loads (5 KB of a 68 KB policy page); related
  lists as gzipped data instead of HTML (95 → 42 MB); 自选对照's data split by theme and compacted
  (one 91 MB script → an index and one script per theme, 47 MB in all, a reader loads one theme's
  3–8 MB); a figure's words marked in its measure's quote instead of a column repeating them under
  it, a policy's own tables citing the section only, a theme page's collapsed figure tables linking
  each figure to its measure (where its words are marked); cells naming a policy once; the 1,307
  reference stubs one page (13 MB); source lines without classes; newlines between block tags
  dropped; `navigation.prune` instead of `navigation.sections`, so a page carries only its own
  branch of the nav (the nav was 9.6 KB of every page at 5,000). Search unchanged and still met:
  first results 120 / 121 / 140 KB, recall and precision 100% on the 36 queries at 100 and 1,000;
  the build 2.2–2.8 reference pages per policy; the search step 5–8× cheaper than Material's search
  on the same pages. What the 988 MB at 5,000 holds: policies 288 MB, themes 153, regions 133,
  sources 125, data downloads 88, search 68, assets 50 (自选对照's data 47), related lists 42,
  comparisons 40. Further room: the theme pages' collapsed figure tables fetched when opened, as the
  related lists are; 自选对照's data by region instead of by theme, each measure once.

## What was optimised, and the evidence

Profiles with cProfile on the synthetic atlases; times below are CPU seconds at N=1,000 unless noted.

- **Related-measure lists were quadratic in output.** Every measure listed every measure of another
  region on its topics: at N=100, 1.2 MB policy pages, a 227 MB site, a 124 MB search index and a
  90 s build; at N=1,000 it would have been ~2,800 links per measure. Now at most 20 (`RELATED_LIMIT`),
  the nearest first (same province, then national), with a line pointing to the topic comparison
  when there are more; computed from per-topic lists sorted once, each stream stopping at 20.
- **Scans turned into indexes** (`catalog.py`): measures, targets, statistics and amounts by policy,
  region and theme; compare-page cells by (metric, region), (region, tier, rank) and (kind, region).
  `region_page` had filtered all measures for every region, `policy_page` for every policy.
- **Link computation**: `posixpath.relpath` (which reads the working directory) was 40% of
  `generate` at N=100 (6.9 of 17.4 profiled seconds); `render.relative_link` caches it (93% hits).
- **Cyclic garbage collector paused while loading and rendering** (`validate.without_cyclic_gc`):
  validation 5.7 → 3.2 s, `generate` 28.3 → 22.5 s; peak memory unchanged (800 MB both ways).
- **Jinja looks dict keys up first** (`render._Environment.getattr`): every context is plain dicts and
  Jinja tried `getattr` first, raising and catching AttributeError per lookup: rendering 300 policy
  pages 1.62 → 1.13 s; output byte-identical.
- **Less work per measure**: theme pages build a compact view (link, summary, quotes — all the
  template shows). Related-measure entries (half a million at N=1,000, 20 per measure) are rendered
  by the `related_item` partial once per measure and output mode (`pages.Views.related_items`): every
  policy page links a measure the same way. Related lists are memoised per (topics, region).
- **Smaller things found by the profiles**: relative links computed from path segments (no
  `relpath`, tested against a browser-style `urljoin`), regions per theme indexed once, `atlas.json`
  written by json's C encoder (no indent: the indented form took four times as long), no regex scan
  for blank-line runs or for line breaks in text that has none, no alias walk in a YAML file without
  anchors.
- Together: `generate` at N=1,000 went from 28.8 s (first measurement) to about 12 s (see the table
  for the measured value; A/B on the same machine: 16.2 → 11.9 s for this session's changes).
- **Search indexing** (`generator/mkdocs/indexing.py`, installed by the plugin for Material 9.8.1 only):
  a per-build cache of jieba's segmentation of each distinct run of Han characters (on the real data
  only 15% of the runs — 21% of the characters — are new; 7% / 14% on the synthetic atlas at N=100),
  and Material's section parser answering "is a skipped element open?" and "is the heading open?"
  from per-tag counts instead of `set.intersection` over Python-level `__eq__`/`__hash__`. The search
  step of the build went from 47% to 28% of it at N=100 (6.7 → 3.4 s); the index is byte-identical
  (tests/mkdocs/test_indexing.py builds the real site both ways; this benchmark compares with bare MkDocs).
- **Pages bounded so the build stays linear.** Theme pages held every measure of every region: 15 MB at
  N=1,000 and ~75 MB at 5,000, where Python-Markdown's raw-HTML handling turns quadratic (it slices the
  rest of the document at the end of every raw block: converting 11 MB took 5.5 s, 22 MB took 90 s,
  90% of it in `htmlparser.handle_endtag`) — bare MkDocs is caught the same way. One mechanism
  (`pages.split_by_place`) now splits a theme or a comparison (targets, money) spanning more than 100
  regions (`THEME_SPLIT_REGIONS`) into a hub listing the provinces (with a bounded overview) and one
  page per province; a page still over 400 measures (`PART_MEASURE_LIMIT`) or 1,000 compare rows
  (`PART_ROW_LIMIT`) keeps its own region's entries and lists one page per city below it, and so on.
  Above 500 policies the policy list is split by province and the home page shows the latest 50.
  Largest generated page at N=5,000 before → after: compare/targets 15.9 MB → the glossary, 1.9 MB
  (policy list 5.5 MB → 60 KB per province). Material's search also looked every section's heading up
  by walking the page's whole table of contents (2.5 s for 10,000 headings); `indexing.toc_table`
  answers from a per-page table.
- **Outputs bounded where they grew with the whole atlas**: the glossary lists at most 100 measures per
  term (20 since issue 13; the earliest; the count says how many there are — at N=1,000 one term occurred in ~10,000
  measures, a 20 MB glossary page); side-by-side tables on theme and compare pages are split by
  province, then prefecture, then in parts of 12 region columns (the compare/targets table had 642
  columns at N=1,000). The real data's pages are unchanged by both (it is far below the limits).
- **`mkdocs serve`**: a rebuild keeps the previous build's segmentations while jieba's dictionary is
  unchanged; jieba's terms are registered once per process (re-adding them on every rebuild grew
  jieba's frequency total and shifted the segmentation of the whole site, rebuild after rebuild).
- **Memory**: MkDocs strips a page's front matter into a new string and keeps both it and the File's
  content — for generated pages the whole site's Markdown twice. The plugin hands the File the
  page's Markdown (`on_page_markdown`), one shared string: peak RSS at N=1,000 1,848 → 1,565 MB
  (bare MkDocs: 1,264 MB). Sampling RSS every 2 s showed the rest of the difference is the generator's
  own (its peak is ~700 MB at N=1,000; running it in a child process saved only ~125 MB, so it stays
  in-process). Earlier: the positional YAML documents (670,000 positions at N=1,000) are released once
  the data is valid; the plugin drops the catalogue once MkDocs holds the pages; archived sources map
  characters to the original through a table of runs instead of two integers per character.
- **The PDF (issue 14)** is typeset by Typst 0.15 (PyPI `typst`) from the catalogue as JSON,
  replacing WeasyPrint (1,670 ms CPU and ~40 MB per policy at N=100). One compilation of the whole
  book did not scale: 112 ms per policy and 1.7 GB at N=100, 147 ms and 5.1 GB at N=300, and at
  N=1,000 it was stopped at 12.3 GB. Removing features one at a time from the N=100 atlas (850
  pages; one compilation, CPU of the compile alone): as built 12.6 s and 1.9 GB; links to labels
  made plain text 5.8 s and 1.0 GB (12,845 links: ~0.5 ms and ~65 KB each — each linked paragraph
  depended on the whole document's introspection); the same links as plain URIs 9.2 s and 1.2 GB;
  URIs and no tagging 6.8 s; no page-total footer, no contents, no measure headings: no change
  beyond noise. So now (`generator/export/typeset.py`): links are `atlas:<label>` URIs rewritten
  in place into links to named destinations; the book is cut into bodies of at most 1.5 MB of JSON
  (whole chapters; a theme's or a comparison's tables in runs), each typeset in a child process
  with its first page number (at most 750 MB at N=1,000; 2.3 GB at N=5,000 in an earlier
  round; at commit 172daa8 five of the largest of its 142 bodies — a targets table, a money
  table, two themes' tables, a run of policies — compiled one by one took 358–832 MB, the maximum
  resident set of each child); the front matter is typeset twice (its
  length, then the real page numbers); and the compilations are written into one file object by
  object (pikepdf needed 26 s and 3.3 GB for that at N=1,000; the byte-level merge 7.5 s and
  220 MB). The whole atlas keeps everything at every size: contents with page numbers,
  bookmarks for parts, chapters, every measure and glossary term, every internal link, tagged
  PDF/UA-1 (each compilation checked by Typst; the merged structure tree is one Document of
  Parts), CID fonts, verbatim quotes, byte-identical rebuilds. What changed for the reader: a
  page's footer has its own number only (a compilation cannot know the total; the cover states
  it), and a body that continues a part opens with a small "政策文件（续）" heading (PDF/UA-1 wants
  a file's first heading at level 1). Each compilation embeds its own font subsets, so the file is
  10–15% larger. Peak memory is the parent (catalogue and book) plus the largest child. The CPU
  goal is not met: what is left is mostly Typst's own cost, about 10 ms per page of this layout
  with tagging (all included) and ~8 pages per policy (sources appendix ~1.7, policy chapters ~4.5); meeting 20 ms
  per policy would need a whole-atlas PDF of ~1.5 pages per policy (without the policy chapters
  and sources, which the per-region PDFs carry) — not decided here.
  Every PDF `make site` writes for the N=1,000 atlas
  (`export.pdf.write_all`: the atlas, 9 themes, 640 regions; measured once by hand with
  `/usr/bin/time -v`, not in results.json, before the PDFs were typeset in parallel): 650 PDFs,
  30,629 pages, 340 s CPU, 6.5 min wall on the shared machine, the process at most 911 MB and each
  child at most 889 MB (the region PDFs are small and share one in-process compiler; its memory
  stayed flat over 640 of them). Now the themes and regions are typeset by a pool of worker
  processes (one per processor) while a thread typesets the atlas: all the PDFs of the N=100 atlas
  (74 files, 3,228 pages; whole processes, 3 pairs, medians) take 0.69× the wall time of one after
  another (14.2 s against 20.8 s) for 1.06× the CPU, byte-identical. **A whole `make site` at
  N=5,000** (`python -m generator build`, commit 20cc40f, `/usr/bin/time -v`, once, not in
  results.json): it completes in 29 min wall, 2,396 s CPU; the PDF step 743 s wall for 3,210 PDFs
  (the atlas 39,803 pages and 872 MB, tagged; 9 themes; 3,200 regions); the largest process
  6.3 GB (the build process held 4.1–4.9 GB while typesetting, sampled every 3 s; it holds the
  dataset, the catalogue and the atlas's JSON, not broken down further); the site 7.3 GB.
- **Where the PDF's CPU goes (issue 14, this round)**, N=1,000, 7,997 pages, one instrumented run of
  75 s (timings around every stage; Typst's own `compile()` timed in each child): catalogue load and
  validation 6.7 s (9%), the book's JSON 1.5 s, cutting it 0.5 s, cover and contents twice 1.6 s,
  reading each part's destinations 1.2 s, the children 54.6 s (73%: Typst's `compile()` 50.2 s, the
  fixed cost of 30 child processes 4.4 s), link rewriting 0.5 s, the merge 7.4 s (10%). Inside Typst
  (`perf`): layout ~59% (shaping and line breaking ~40%), writing the PDF ~13%, styles ~8%, kernel
  memory work 14–20%. Per kind of part: landscape theme tables 14.5 ms per page, target tables 13.4,
  money tables 12.2, policies and sources 5.3, region chapters ~3 — the tables are 14% of the pages
  and 32% of Typst's time (each cell laid out twice, ~59 links a page, tagging ~12% there).
  Experiments on three sample parts (Typst CPU, min of 3): `pdf_standards=[]` no change (typst-py 0.15
  tags regardless); no links −13%; no labels −9%; a footer without `context` (one layout pass, but no
  page numbers) −12%; bodies in breakable blocks −5–10% but headings lose their keep-with-next, so
  rejected; show rules, unbreakable cells, one thread: no change; part size: per-page cost flat,
  4.5 MB parts instead of 1.5 MB save 2.7 s but the largest child grows from ~720 MB to 1.6 GB (peak
  ~2.5 GB, over the 2 GB goal), not taken. Taken: the merge renumbers each part's references once,
  in one regex pass per object (7.3 → 5.9 s), and a merge bug is fixed (each part's page-tree
  `/Parent` pointed past the end of the file in every part after the first; a test now checks every
  node). The N=1,000 PDF row (72.6 ms per policy, was 83.7) is mostly a less busy machine: before the
  merge change the same code measured 73–77 s (farm-bench median 73.0 s); the merge change itself
  saves ~1.4 s, inside the noise of a whole run. Next, greedy line breaking for body text (Chinese
  may break between any two characters, so Typst's optimised breaker found the same lines at more
  cost; the contents keep it, so a long title wraps before its leader): Typst's time on sample
  parts at N=1,000 −12% for policy chapters, ~−2% for sources and tables; the N=1,000 row is now
  67.0 ms per policy (one run, 8,017 pages: a few paragraphs break differently). With every feature kept, a floor of roughly 60 ms per policy is in sight (larger parts, page
  numbers stamped at the merge instead of Typst's second pass); 20 ms would need less than 1 ms of
  Typst per page after the Python side's ~13 s — only without tags, links or most of the pages.
- Measured and dropped: a leaner YAML tag resolver (under 5% of composing), GC tuning for MkDocs
  itself (it would speed up MkDocs's own work, not ours — not a fair comparison), dropping the
  segmentation cache to save memory (no saving measured, +28 s CPU at N=1,000), not freezing the
  catalogue for the garbage collector (more memory, not less), caching whole related lists (only 15%
  of them repeat; rendering each list was slower than rendering each entry once).
"""


def serve_line(n: int, serve: dict) -> str:
    """One size's serve figures, saying what was measured: results from before incremental rebuilds
    (no plugin log recorded) touched a data file under plain ``--livereload`` and rebuilt everything;
    those with the plugin's log were taken with ``--dirty`` after a summary edit (``measure_serve``)."""
    if "rebuild_log" in serve:
        command = serve.get("command", "mkdocs serve --livereload --dirty")
        how = f"after a summary edit; `{command}`; the plugin's log: “{serve['rebuild_log']}”"
    else:
        how = "after touching a data file; `mkdocs serve --livereload`, before incremental rebuilds: a full build"
    return (
        f"- N={n:,}: first build {serve['first_build_seconds']:.0f} s, rebuild {serve['rebuild_seconds']:.0f} s "
        f"({how}; wall clock on the shared machine)"
    )


def _kb(value: float) -> str:
    return f"{value / 1000:,.0f} KB"


def issue13_table(results: dict[int, dict]) -> str:
    """Search and page weight (issue 13), per N: what a reader downloads, what a contributor waits for."""
    rows = [
        "| N | first search (to results / with facets) | median policy page | median theme page | "
        "largest page | site | build CPU per policy | in reference pages | search step CPU | "
        "Material's search, same pages |",
        "|---:|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for n, r in sorted(results.items()):
        x = r.get("issue13")
        if not x:
            continue
        html, first = x["html"], x["first_search"]
        rows.append(
            f"| {n:,} | {_kb(first['bytes_to_first_results'])} / {_kb(first['bytes_with_facets'])} "
            f"| {_kb(html.get('policies', {}).get('median_bytes', 0))} | {_kb(html.get('themes', {}).get('median_bytes', 0))} "
            f"| {_kb(html['all']['largest_bytes'])} ({html['all']['largest_page']}) | {_mb(x['site_bytes'])} MB "
            f"| {x['full_build_ms_per_policy']:.0f} ms | {x['reference_pages_per_policy']:.1f} "
            f"| {'—' if x['search_step_cpu_seconds'] is None else format(x['search_step_cpu_seconds'], '.1f') + ' s'} "
            f"| {format(x['material_search']['cpu_seconds'], '.1f') + ' s' if x.get('material_search') else '—'} |"
        )
    if len(rows) == 2:
        return "- not measured in these runs"
    refs = {n: r["reference"] for n, r in sorted(results.items()) if "reference" in r}
    ref = next(iter(refs.values()), None)
    note = (
        f"\n\nReference (same run as each row): bare MkDocs + Material with its search, {ref['pages']:,} plain "
        f"pages of ~{ref['page_bytes'] / 1000:.0f} KB of Chinese: "
        + "; ".join(
            f"N={n:,}: {r['cpu_seconds']:.1f} s CPU, {r['ms_per_page']:.1f} ms per page" for n, r in refs.items()
        )
        + "."
        if ref
        else ""
    )
    return "\n".join(rows) + note


def page_kinds_table(results: dict[int, dict]) -> str:
    rows = ["| N | kind | pages | median | largest |", "|---:|---|---:|---:|---|"]
    for n, r in sorted(results.items()):
        for kind, w in r.get("issue13", {}).get("html", {}).items():
            rows.append(
                f"| {n:,} | {kind} | {w['pages']:,} | {_kb(w['median_bytes'])} | "
                f"{_kb(w['largest_bytes'])} ({w['largest_page']}) |"
            )
    return "\n".join(rows) if len(rows) > 2 else "- not measured in these runs"


def recall_table(results: dict[int, dict]) -> str:
    rows = [
        "| N | query | expected | found measures | recall | precision | other pages |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for n, r in sorted(results.items()):
        for query, q in r.get("issue13", {}).get("recall", {}).items():
            fmt = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
            rows.append(
                f"| {n:,} | {query} | {q['expected']} | {q['found_measures']} | {fmt(q['recall'])} "
                f"| {fmt(q['precision'])} | {q['found_pages']} |"
            )
    return "\n".join(rows) if len(rows) > 2 else "- not measured in these runs"


def write_report(results: dict[int, dict], machine: dict) -> str:
    goal_rows = ["| goal | met | measured |", "|---|:---:|---|"]
    for g in goals(results):
        goal_rows.append(f"| {g['goal']} | {'yes' if g['met'] else 'no'} | {g['detail']} |")
    serve = [
        serve_line(n, r["serve"]) for n, r in sorted(results.items()) if "first_build_seconds" in r.get("serve", {})
    ]
    runs = ", ".join(f"N={n:,}: {r['runs']}" for n, r in sorted(results.items()))
    search = [
        f"- N={n:,}: {r['site']['search_index_entries']:,} entries; same entries as bare MkDocs's index: "
        f"{'yes' if r['search_index_same_entries_as_bare'] else 'NO'}"
        f"{'' if r['search_index_identical_to_bare'] else ' (in another order: MkDocs indexes pages in file order)'}"
        for n, r in sorted(results.items())
    ]
    widths = [
        f"- N={n:,}: "
        + ", ".join(f"{kind} {w['columns']} columns" for kind, w in r["side_by_side"]["widest"].items())
        + f" ({r['side_by_side']['tables']:,} tables)"
        for n, r in sorted(results.items())
    ]
    pdfs = [
        f"- N={n:,}: "
        + (
            f"{r['pdf']['seconds']:.1f} s CPU ({1000 * r['pdf']['seconds_per_policy']:.1f} ms per policy), "
            f"{r['pdf']['pages']:,} pages, {_mb(r['pdf']['bytes'])} MB, peak {r['pdf']['peak_rss_mb']:.0f} MB"
            f" ({r['pdf'].get('engine', 'weasyprint')})"
            if "seconds" in r.get("pdf", {})
            else str(r.get("pdf", {}))
        )
        for n, r in sorted(results.items())
    ]
    text = f"""# Benchmark report

Synthetic atlases (`bench/synth.py`), measured by `bench/run.py` (`make bench`, or `make bench N=1000`).
Machine: {machine["cpus"]} CPUs (shared), Python {machine["python"]}, {machine["platform"]}.
Times are CPU seconds (user + system) of the measured process — the cores are shared, so wall time
varies with other work; it is in `results.json` too — medians of the runs listed ({runs}); each run
is a fresh process. "bare MkDocs" builds the
same rendered Markdown as plain files with the same theme, search plugin, jieba dictionary and nav,
without the atlas plugin: the baseline, measured in the same run. Peak RSS is that build process's
own maximum resident set.

## Figures (ready to paste into the README)

{figures_table(results)}

## Per policy (linearity)

{per_policy_table(results)}

## Goals

{chr(10).join(goal_rows)}

## Search and page weight (issue 13)

Bytes are what Chromium received (bodies and headers) from opening the home page in a fresh
browser to the first results of a search for “技师”, the site served on 127.0.0.1 with gzip; then
until the facets are shown (the facet table is fetched after the results; rows measured with Pagefind,
commit 771e15e and earlier, load its filter lists then). Build CPU is the
whole `python -m generator build --no-pdf --no-offline` (validation, MkDocs, the search index), the
process and every child it waited for; "in reference pages" divides it per policy by the
reference's CPU per page. "Material's search, same pages" is the CPU Material's search plugin
spends on the atlas's own built pages: its `SearchIndex` (HTML parser, jieba on every Han run, one
JSON written) over the article of every page it would index, as its `on_page_context` and
`on_post_build` do (`bench/weight.py`, `material_search_cpu`).

{issue13_table(results)}

### HTML pages by kind

{page_kinds_table(results)}

### Search recall and precision (tests/fixtures/search_queries.yaml, through the search box)

Expected: every measure whose title, summary or quotes contain every word of the query.

{recall_table(results)}

## Material search index (the offline bundle only since issue 13)

{chr(10).join(search)}

## Side-by-side tables

Wide tables are split by province, then by prefecture city, then into parts of at most 12 region
columns (`pages.Views.column_groups`); the widest table on each kind of page, counting the header
cells (the row-label columns included):

{chr(10).join(widths)}

## mkdocs serve

{chr(10).join(serve) if serve else "- not measured in these runs"}

## PDF

The whole-atlas PDF (`generator.export.pdf.write_pdf`, Typst) in its own process: CPU seconds of the
typesetting (data to JSON to PDF, all threads, the typesetting child processes included), peak RSS as
the process's own plus its largest child's (they run at the same time), pages and bytes
(`bench/run.py --only pdf --sizes …` measures only this and keeps the other figures).

{chr(10).join(pdfs) if pdfs else "- not measured in these runs"}
{NOTES}"""
    REPORT.write_text(text, encoding="utf-8")
    update_readme(README, results)
    return text


README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def readme_section(results: dict[int, dict]) -> str:
    """What the README shows of the latest run: the figures and the goals, generated, never typed."""
    goal_lines = [f"- {'met' if g['met'] else 'NOT met'}: {g['goal']} — {g['detail']}" for g in goals(results)]
    return (
        f"{figures_table(results)}\n\nGoals (issues 8 and 14):\n\n"
        + "\n".join(goal_lines)
        + f"\n\nSearch and page weight (issue 13):\n\n{issue13_table(results)}"
    )


def update_readme(readme: Path, results: dict[int, dict]) -> bool:
    """Replace the text between the README's benchmark markers; False when it has none."""
    if not readme.is_file() or not results:
        return False
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    readme.write_text(
        text[: start + len(README_START)] + "\n" + readme_section(results) + "\n" + text[end:], encoding="utf-8"
    )
    return True


def source_commit() -> str:
    """The commit measured, with "+changes" when the working tree differs from it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    # The benchmark's own outputs (results, report) do not count: after the first size of a run they differ.
    dirty = git(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "generator",
        "bench",
        "mkdocs.yml",
        "overrides",
        ":(exclude)bench/results.json",
        ":(exclude)bench/REPORT.md",
    )
    return commit + ("+changes" if dirty else "")


def machine_info() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def load_results() -> dict[int, dict]:
    if not RESULTS.is_file():
        return {}
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    return {r["n"]: r for r in data.get("sizes", [])}


def save_results(results: dict[int, dict]) -> None:
    """results.json, REPORT.md and the README's figures, all from ``results``."""
    machine = machine_info()
    RESULTS.write_text(
        json.dumps(
            {"machine": machine, "sizes": [results[k] for k in sorted(results)], "goals": goals(results)},
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    write_report(results, machine)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the atlas build on synthetic data.")
    ap.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="policies per atlas")
    ap.add_argument("--runs", type=int, default=None, help="runs per size (default: 3, 2 at 5,000)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument(
        "--only",
        choices=["pdf"],
        help="measure only this (the whole-atlas PDF) and merge its figures "
        "into the results already recorded for each size",
    )
    ap.add_argument("--serve-max", type=int, default=1000, help="measure mkdocs serve only up to this size")
    ap.add_argument(
        "--recall-max", type=int, default=1000, help="run the search recall query set in a browser only up to this size"
    )
    ap.add_argument(
        "--issue13-only",
        action="store_true",
        help="measure only the whole build, search and page weight (keeps the other figures on disk)",
    )
    ap.add_argument("--fresh", action="store_true", help="forget results of sizes not measured in this run")
    ap.add_argument("--report-only", action="store_true", help="rewrite REPORT.md from results.json, measure nothing")
    ap.add_argument(
        "--export-bare",
        nargs=2,
        metavar=("ROOT", "DIR"),
        type=Path,
        help="(internal) write the baseline project for atlas ROOT into DIR, then exit",
    )
    args = ap.parse_args(argv)
    if args.export_bare:
        export_bare(*args.export_bare)
        return 0
    if args.report_only:
        print(write_report(load_results(), machine_info()))
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    if args.only == "pdf":
        for n in args.sizes:
            pdf = pdf_figures(n, args.seed)
            pdf["commit"] = source_commit()
            results = load_results()  # as on disk now: merge, never drop another figure
            if n not in results:
                print(
                    f"[{n}] no full benchmark recorded for this size: measure it first (bench/run.py --sizes {n})",
                    file=sys.stderr,
                )
                return 1
            results[n]["pdf"] = pdf
            save_results(results)
        print(REPORT.read_text(encoding="utf-8"))
        return 0
    measured: dict[int, dict] = {}
    print("reference: bare MkDocs + Material, 1,000 plain Chinese pages …", flush=True)
    reference = measure_reference(WORK / "reference-log.txt")
    print(f"reference: {reference['ms_per_page']:.1f} ms CPU per page", flush=True)
    for n in args.sizes:
        runs = args.runs or DEFAULT_RUNS.get(n, 3 if n <= 1000 else 1)
        commit = source_commit()
        if args.issue13_only:
            measured[n] = bench_issue13_only(n, args.runs or 1, args.seed, reference, args.recall_max)
        else:
            measured[n] = bench_size(
                n, runs, args.seed, args.serve_max if n <= args.serve_max else 0, reference, args.recall_max
            )
        measured[n]["reference"] = reference
        if args.issue13_only:
            measured[n]["issue13"]["commit"] = commit
        else:
            measured[n]["commit"] = commit
        # Merged with what is on disk *now*: another size may be measured by a second run alongside.
        save_results(measured if args.fresh else {**load_results(), **measured})
    print(REPORT.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    raise SystemExit(main())
