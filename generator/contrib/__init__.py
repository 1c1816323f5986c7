"""Contributor tools: the command line, the formatter, the scaffold for a new policy, and generated docs."""
