"""Markdown to safe HTML: markdown-it renders, nh3 removes anything that could run."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}}
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


_BLOCK_END = re.compile(r"</(p|li|h3|h4|blockquote|pre|tr|td|th)>|<br\s*/?>")


def plain_text(text: str) -> str:
    """The words of a Markdown text without its marks ("- ", "**", "[..](..)"): for search snippets."""
    rendered = _BLOCK_END.sub(" ", _md.render(text or ""))
    words = html.unescape(nh3.clean(rendered, tags=set()))
    return " ".join(words.split())
