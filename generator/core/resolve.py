"""The resolve stage: what the data implies, computed once, before any check runs.

Each policy's archived original is read and made searchable (Traditional
archives through OpenCC and ``data/wording.yaml``), and every quote and
note evidence is located in it. Checks report from these results and pages
read them; neither computes them again, and no check writes to the dataset.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.core import models
from generator.core.dataset import Archive, Dataset
from generator.core.sources import SourceText, sha256_text
from generator.diagnostics import PathKey


def quote_items(policy: models.Policy) -> Iterator[tuple[PathKey, str]]:
    """Every text that must stand verbatim in the archive, with its field path."""
    for i, measure in enumerate(policy.measures):
        for j, quote in enumerate(measure.quotes):
            yield ("measures", i, "quotes", j), quote
        for kind in ("targets", "statistics", "amounts", "credits"):
            for j, item in enumerate(getattr(measure, kind)):
                yield ("measures", i, kind, j, "quote"), item.quote
    for j, note in enumerate(policy.notes):
        yield ("notes", j, "evidence"), note.evidence


def read_archive(dataset: Dataset, policy: models.Policy, file_stem: str) -> Archive:
    """Read ``data/sources/<id>.txt`` without trusting it: links and unverified bytes are never used."""
    pid = policy.id
    path = dataset.root / "data" / "sources" / f"{pid}.txt"
    if file_stem != pid:
        return Archive(pid, path, "unnamed")  # which archive is meant is unclear until the file is renamed
    if path.is_symlink():
        return Archive(pid, path, "symlink")  # never read: it could point at anything (/dev/zero, a secret)
    if not path.is_file():
        return Archive(pid, path, "missing")
    raw = path.read_bytes()
    digest = sha256_text(raw)
    if digest != policy.source.sha256:
        return Archive(pid, path, "mismatch", digest)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Archive(pid, path, "not-utf8", digest)
    traditional = policy.source.script is models.Script.traditional
    source = SourceText(text, traditional=traditional, fixes=dataset.fixes if traditional else ())
    return Archive(pid, path, "ok", digest, source)


def resolve(dataset: Dataset) -> None:
    """Fill the dataset's derived tables (archives, sources, quote spans); called once by validate."""
    for pid in sorted(dataset.policies):
        policy = dataset.policies[pid]
        doc = dataset.documents[pid]
        archive = read_archive(dataset, policy, doc.path.stem)
        dataset.archives[pid] = archive
        if archive.source is None:
            continue
        dataset.sources[pid] = archive.source
        for _, quote in quote_items(policy):
            span = archive.source.find(quote)
            if span is not None:
                dataset.spans[(pid, quote)] = span
