"""Skills Policy Atlas generator.

Layers, lowest first (checked by the import-linter contract in pyproject.toml):
``diagnostics``/``paths`` → ``core`` (load → validate → resolve → catalogue) →
``site`` (pages → render, in memory) → adapters (``mkdocs`` plugin, ``export``
build/PDF/offline, ``contrib`` CLI and tools). See docs/architecture.md.
"""
