"""The project's and the published site's layout, named once.

Every layer asks here where data files live and where an output lands in
the site, so the CLI, the build, the pages that link to downloads and the
offline bundle can never disagree about a path.
"""

from __future__ import annotations

from pathlib import Path

DATA = "data"
POLICIES = f"{DATA}/policies"
SOURCES = f"{DATA}/sources"
SCHEMA = "schema"
CONTRIBUTING = "CONTRIBUTING.md"
MKDOCS_CONFIG = "mkdocs.yml"
DEFAULT_SITE = "site"

# Published files, relative to the site folder.
PDF_PATH = "pdf/skills-policy-atlas.pdf"
OFFLINE_PATH = "downloads/skills-policy-atlas-offline.zip"
OFFLINE_FOLDER = "skills-policy-atlas"  # the one top-level folder the offline zip unpacks into
PDF_MANIFEST = "pdf/manifest.json"  # {PDF path: {bytes, pages}}, written when the PDFs are typeset
# Set by `generator build`, which typesets the PDFs before MkDocs runs: where the pages find the manifest.
PDF_MANIFEST_ENV = "ATLAS_PDF_MANIFEST"


def policies_dir(root: Path) -> Path:
    return root / POLICIES


def source_path(root: Path, policy_id: str) -> Path:
    """Where a policy's archived original text is kept."""
    return root / SOURCES / f"{policy_id}.txt"


def vocabulary_path(root: Path, name: str) -> Path:
    return root / DATA / name
