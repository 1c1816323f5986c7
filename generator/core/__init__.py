"""The core: load → validate → resolve → catalogue. Pure data work; never imports MkDocs or the site layer."""
