"""The MkDocs adapter: the plugin that hands generated pages to MkDocs, its nav and incremental serve.

Everything tied to MkDocs or Material internals lives here and nowhere else.
"""
