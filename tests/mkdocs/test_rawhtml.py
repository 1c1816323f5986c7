"""Generated pages' raw HTML set aside before Python-Markdown parses it (generator/mkdocs/rawhtml.py),
and the whitespace of the theme's templates (generator/mkdocs/compact.py).

The promise of rawhtml.py is that it changes the cost and nothing else: every page the generator
renders converts to the same HTML and the same table of contents as with Python-Markdown alone.
"""

from __future__ import annotations

import markdown
import pytest
from conftest import ROOT
from mkdocs.config import load_config
from mkdocs.utils import meta

from generator.mkdocs.compact import compact
from generator.mkdocs.rawhtml import RawBlocks, State
from generator.site.generate import generate


def convert(config, text: str, state: State | None) -> tuple[str, list]:
    extensions = list(config["markdown_extensions"]) + ([RawBlocks(state)] if state else [])
    md = markdown.Markdown(extensions=extensions, extension_configs=config["mdx_configs"] or {})
    if state:
        state.active = True
    return md.convert(text), getattr(md, "toc_tokens", [])


@pytest.fixture(scope="module")
def config():
    return load_config(str(ROOT / "mkdocs.yml"))


def test_every_generated_page_converts_as_python_markdown_alone_converts_it(config):
    generated = generate(ROOT)
    state = State()
    for page in generated.pages:
        text, _ = meta.get_data(generated.markdown[page.src])
        assert convert(config, text, state) == convert(config, text, None), page.src
    assert state.stashed > len(generated.pages)  # most of each page was set aside


@pytest.mark.parametrize(
    "text",
    [
        '# Title {: #t }\n\n<div class="a">\n<p>x</p>\n\n<p>y</p>\n</div>\n\n## Next {: #n }\n',
        "<p>one</p>\n<p>two</p>\n\nplain *text*\n",
        '<span class="inline">*emphasis* stays Markdown</span>\n\n<div>\n',  # inline first; never closes
        "<div>closed</div> and a tail\n\n<hr>\n\n<table><tr><td>1</td></tr></table>\n",
        '<div markdown="1">\n*converted*\n</div>\n',
        "<details><summary>s</summary>\n<details><summary>inner</summary>\n\n</details>\n\n</details>\n# After {: #a }\n",
    ],
)
def test_what_it_cannot_be_sure_of_is_left_to_python_markdown(config, text):
    assert convert(config, text, State()) == convert(config, text, None)


def test_the_anchor_ids_of_the_stashed_blocks_are_collected(config):
    state = State()
    convert(config, '<div id="a">\n<p id="b">x</p><a name="c"></a>\n</div>\n\n<p data-id="no">y</p>\n', state)
    assert state.ids == {"a", "b", "c"}


def test_inactive_it_leaves_the_page_alone(config):
    state = State()
    md = markdown.Markdown(extensions=list(config["markdown_extensions"]) + [RawBlocks(state)])
    md.convert("<div>\n<p>x</p>\n</div>\n")
    assert state.stashed == 0


def test_compact_keeps_one_newline_of_each_run_and_leaves_preformatted_text_alone():
    page = (
        "<ul>\n    <li>a</li>\n\n      <li>b\u3000c</li>\n</ul>\n  <pre><code>  x\n\n    y</code></pre>\n"
        '<p>inline <code>a\n  b</code></p>\n<script>\n  var s = "\n  ";\n</script>\n   <textarea>\n t</textarea>'
    )
    assert compact(page) == (
        "<ul><li>a</li><li>b\u3000c</li></ul>\n<pre><code>  x\n\n    y</code></pre>\n"
        '<p>inline <code>a\n  b</code></p>\n<script>\n  var s = "\n  ";\n</script>\n<textarea>\n t</textarea>'
    )


def test_compact_drops_newlines_only_between_block_tags():
    """Between block boxes a newline is never drawn; between inline elements, or next to text, it is a space."""
    page = '<table class="t">\n<tr>\n<td>甲</td>\n<td>乙</td>\n</tr>\n</table>\n<p><a href="#a">一</a>\n<a href="#b">二</a>\n</p>\n<p>\n文字\n</p>'
    assert compact(page) == (
        '<table class="t"><tr><td>甲</td><td>乙</td></tr></table><p><a href="#a">一</a>\n<a href="#b">二</a>\n</p><p>\n文字\n</p>'
    )
