"""Old addresses keep working: a small page at each old address sends the reader on.

``extra.samtal.redirects: {old.md: new.md}`` in ``mkdocs.yml`` (checked in
:mod:`samtal.settings`). After the build, each old page's address gets a page
in the guide's language (``lang`` of this version) with

- a ``<meta http-equiv="refresh">`` to the new page (no script: the CSP allows
  none inline) and a visible link for anyone whose browser does not follow it;
- the new page's own title, description and link-preview tags, copied from the
  page as built, so a link shared to the old address previews as the page it
  leads to.

Every link is relative, so the pages work under any sub-path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

from .files import write_atomic
from .strings import Strings

TEMPLATE = "redirect.html"
# Tags of the new page's head that say what the page is, for link previews.
PREVIEW_PROPERTIES = (
    "og:type",
    "og:site_name",
    "og:locale",
    "og:title",
    "og:description",
    "og:url",
    "og:image",
    "og:image:width",
    "og:image:height",
    "og:image:alt",
)
PREVIEW_NAMES = ("description", "twitter:card", "twitter:title", "twitter:description", "twitter:image")


class RedirectError(ValueError):
    """A redirect cannot be written; the message says which and why."""


@dataclass(frozen=True)
class Preview:
    """What the new page says about itself in its ``<head>``."""

    title: str = ""
    canonical: str = ""
    meta: tuple[tuple[str, str, str], ...] = ()  # (attribute, name, content): ("property", "og:title", "…")

    @property
    def name(self) -> str:
        """The page's own title (og:title, without the site's name), else its <title>."""
        return next((content for _, key, content in self.meta if key == "og:title" and content), self.title)


class _HeadReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.canonical = ""
        self.meta: list[tuple[str, str, str]] = []
        self._in_title = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        values = {key: value or "" for key, value in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href", "")
        elif tag == "meta":
            if values.get("property") in PREVIEW_PROPERTIES:
                self.meta.append(("property", values["property"], values.get("content", "")))
            elif values.get("name") in PREVIEW_NAMES:
                self.meta.append(("name", values["name"], values.get("content", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self._done = True

    def handle_data(self, data: str) -> None:
        if self._in_title and not self._done:
            self.title.append(data)


def read_preview(html: str) -> Preview:
    """The title, canonical address and link-preview tags of a built page (as text, unescaped)."""
    reader = _HeadReader()
    reader.feed(html[: html.find("</head>") + 7] if "</head>" in html else html)
    return Preview(title=" ".join("".join(reader.title).split()), canonical=reader.canonical, meta=tuple(reader.meta))


def page_file(site_dir: Path, url: str) -> Path:
    """The file MkDocs writes for a page URL ("" → index.html, "x/" → x/index.html, "x.html")."""
    if url == "" or url.endswith("/"):
        return site_dir / url / "index.html"
    return site_dir / url


def write_redirects(
    site_dir: Path,
    redirects: dict[str, str],
    *,
    url: Callable[[str], str],
    relative: Callable[[str, str], str],
    env: Environment,
    strings: Strings,
    lang: str,
    finish: Callable[[str], str],
) -> list[str]:
    """Write a page at each old address; returns the site paths written.

    ``url(src)`` is the URL MkDocs gives a source path, ``relative(to, from)``
    MkDocs' relative URL, ``finish(html)`` adds the Content-Security-Policy.
    """
    written = []
    for old, new in sorted(redirects.items()):
        old_url, new_url = url(old), url(new)
        target = page_file(site_dir, new_url)
        if not target.is_file():
            raise RedirectError(f"extra.samtal.redirects: {old} → {new}: sidan {new} byggdes inte")
        dest = page_file(site_dir, old_url)
        # A redirect page of an earlier build (mkdocs build --dirty) is written again.
        if dest.exists() and 'http-equiv="refresh"' not in dest.read_text(encoding="utf-8", errors="replace"):
            raise RedirectError(
                f"extra.samtal.redirects: {old} → {new}: {old} är en sida i guiden och kan inte också vara en gammal adress"
            )
        preview = read_preview(target.read_text(encoding="utf-8"))
        href = relative(new_url, old_url) if new_url else relative("./", old_url)
        html = env.get_template(TEMPLATE).render(
            lang=lang,
            href=href or "./",
            preview=preview,
            t=strings.markup,
        )
        write_atomic(dest, finish(html))
        written.append(dest.relative_to(site_dir).as_posix())
    return written
