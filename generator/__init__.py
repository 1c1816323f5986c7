"""Skills Policy Atlas generator: load → validate → catalogue → pages → render.

The core never imports MkDocs; ``mkdocs_plugin.py`` and ``cli.py`` are thin
adapters over it.
"""
