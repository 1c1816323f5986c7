"""The site layer: labels, URLs, page kinds and rendering to Markdown/HTML in memory. Never imports MkDocs."""
