"""Exports: the atomic site build, the PDF, the offline bundle, and what keeps them reproducible."""
