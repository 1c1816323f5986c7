"""The Content-Security-Policy's hashes (generator/mkdocs/csp.py): Material's inline scripts, never the article's.

The browser proof that pages run under the policy is test_browser.py
(test_pages_run_under_the_content_security_policy_with_no_violation) and, for file://, test_offline.py.
"""

from __future__ import annotations

import base64
import hashlib

from generator.mkdocs import csp

PAGE = (
    '<html><head><meta http-equiv="Content-Security-Policy" content="atlas-content-security-policy">'
    '<script>__md_scope=new URL("..",location)</script><script id="__config" type="application/json">{}</script>'
    '<script src="assets/x.js"></script></head><body><article><script>alert(1)</script></article>'
    "<script>var target=1</script></body></html>"
)


def sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_only_inline_scripts_outside_the_article_are_hashed():
    assert csp.template_scripts(PAGE) == ['__md_scope=new URL("..",location)', "var target=1"]
    out = csp.apply(PAGE)
    assert "atlas-content-security-policy" not in out
    policy = sorted([sha('__md_scope=new URL("..",location)'), sha("var target=1")])
    assert f"content=\"script-src 'self' {' '.join(policy)}; object-src 'none'; base-uri 'none'\"" in out
    assert sha("alert(1)") not in out


def test_a_page_without_the_placeholder_is_unchanged():
    assert csp.apply("<html><script>x</script></html>") == "<html><script>x</script></html>"
