"""The Jinja environment for everything the generator renders.

Templates live in ``overrides/samtal/``; text from the bank passes through
:func:`inline_markdown` or autoescaping, so markup typed into a question is
shown as text.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

_TAG = re.compile(r"<[^>]+>")
_md = markdown.Markdown(extensions=[], output_format="html")


@functools.lru_cache(maxsize=65536)
def inline_markdown(text: str) -> Markup:
    """Inline Markdown (emphasis, links) to HTML; any HTML in ``text`` is escaped.

    Cached: the same question text is shown on many pages of one build.
    """
    _md.reset()
    rendered = _md.convert(html.escape(text, quote=False))
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return Markup(rendered)


@functools.lru_cache(maxsize=65536)
def plain_text(text: str) -> str:
    """The text a reader sees, without Markdown markup (for search, PDFs, JSON)."""
    return html.unescape(_TAG.sub("", str(inline_markdown(text)))).strip()


def make_environment(template_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(template_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = inline_markdown
    env.filters["plain"] = plain_text
    return env


def render(env: Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(**context)
