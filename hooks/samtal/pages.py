"""Pages made from the bank, and the markers that pull bank content into guide pages.

A marker is an HTML comment on a line of its own in a Markdown page::

    <!-- samtal:questions phase=forberedelse topic=kompetens for=chef,bada -->
    <!-- samtal:checklist id=checklista-forberedelse -->
    <!-- samtal:worksheet-link id=forberedelse -->
    <!-- samtal:cycle -->
    <!-- samtal:org-help -->
    <!-- samtal:share-links -->
    <!-- samtal:start -->

Markers are checked strictly before anything is built (:func:`check_markers`):
an unknown name, argument or value, or a line that looks like a marker but is
not one, stops the build with the page and line.

What a marker becomes is HTML (raw HTML blocks, which Markdown leaves alone),
rendered by the Jinja templates in ``overrides/samtal/``. Bank text never
reaches Markdown unescaped: headings that belong in the page's table of
contents are Markdown with every special character escaped (:func:`md_text`),
so an ``{: onclick=… }`` in a title stays text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment

from . import fields, markup, qr, share
from .cycle import cycle_layout
from .model import Bank, Question, Worksheet
from .org import Organisation
from .paths import (
    CUSTOM_SHEET_ID,
    CUSTOM_SHEET_PAGE,
    QUESTIONS_PAGE,
    WORKSHEET_INDEX,
    handout_src,
    pdf_fields_src,
    pdf_src,
    worksheet_src,
)
from .settings import Version
from .strings import Strings

MARKER = re.compile(r"^[ \t]*<!--[ \t]*samtal:(?P<name>[a-z-]+)(?P<args>[^\n]*?)[ \t]*-->[ \t]*$")
LOOKS_LIKE_MARKER = re.compile(r"<!--\s*samtal\s*:", re.IGNORECASE)
ARG = re.compile(r"^(?P<key>[a-z]+)=(?P<value>[a-z0-9]+(?:-[a-z0-9]+)*(?:,[a-z0-9]+(?:-[a-z0-9]+)*)*)$")


class MarkerError(ValueError):
    """A marker in a page is wrong; the message names the page and line."""


class LinkError(ValueError):
    """A generated link points at a file that is not part of the site."""


@dataclass(frozen=True)
class SiteLinks:
    """MkDocs' own URL helpers, passed in by the hook file.

    ``url(src)`` is the site-relative URL MkDocs gives a source file (it
    knows ``use_directory_urls``); ``relative(url, from_url)`` is MkDocs'
    ``get_relative_url``; ``exists(src)`` says whether the build has the file.
    """

    url: Callable[[str], str]
    relative: Callable[[str, str], str]
    exists: Callable[[str], bool]


@dataclass(frozen=True)
class Context:
    """What every template gets: the bank, the organisation, the words and where links go."""

    bank: Bank
    org: Organisation
    strings: Strings
    env: Environment
    links: SiteLinks
    public_url: str  # the published root of this version ("" when unknown: no QR codes, no printed addresses)
    pdf_enabled: bool
    version: Version
    versions: tuple[Version, ...]
    extra_globals: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def share_links(self) -> dict[str, share.ShareLink]:
        """The links for representatives, by id: made once, used by several pages."""
        return {link.id: link for link in share.share_links(self.bank, self.strings, pdf_enabled=self.pdf_enabled)}

    def absolute(self, src: str, anchor: str = "") -> str:
        """The published address of ``src`` ("" when the site has no public address)."""
        if not self.public_url:
            return ""
        return self.public_url + self.links.url(src) + (f"#{anchor}" if anchor else "")

    def for_page(self, page_src: str) -> dict[str, Any]:
        """The template context for content on the page ``page_src``."""
        page_url = self.links.url(page_src)

        def url(target_src: str, anchor: str = "") -> str:
            if not self.links.exists(target_src):
                raise LinkError(f"{page_src}: en länk går till '{target_src}', som inte finns i guiden")
            if target_src == page_src:
                return f"#{anchor}" if anchor else "./"
            rel = self.links.relative(self.links.url(target_src), page_url)
            return rel + (f"#{anchor}" if anchor else "")

        return {
            "bank": self.bank,
            "facts": self.bank.sheet,
            "org": self.org,
            "t": self.strings.markup,
            "strings": self.strings,
            "url": url,
            "question_url": lambda question_id: url(QUESTIONS_PAGE, question_id),
            "absolute": self.absolute,
            "pdf_enabled": self.pdf_enabled,
            "pdf_src": pdf_src,
            "pdf_fields_src": pdf_fields_src,
            "worksheet_src": worksheet_src,
            "custom_sheet_page": CUSTOM_SHEET_PAGE,
            "questions_page": QUESTIONS_PAGE,
            "worksheet_index": WORKSHEET_INDEX,
            "qr": qr.qr_svg,
            "controls": lambda question, layout: fields.question_controls(question, layout, self.bank.sheet),
            "header_controls": fields.header_controls(self.bank.sheet),
            "checklist_controls": fields.checklist_controls,
            "field_name": fields.field_name,
            "picker": False,
            "custom": False,
            "page_src": page_src,
            **self.extra_globals,
        }


# --------------------------------------------------------------------------- generated pages


def generated_pages(ctx: Context) -> dict[str, str]:
    """Source path → Markdown for every page made from the bank.

    Each is front matter and a marker, expanded like any page when MkDocs
    renders it (so it knows its own URL).
    """
    t = ctx.strings.t
    pages = {
        QUESTIONS_PAGE: _page(t("questions_page.title"), t("questions_page.description"), "bank", search=True),
        WORKSHEET_INDEX: _page(t("worksheets_page.title"), t("worksheets_page.description"), "worksheet-index", search=True),
        CUSTOM_SHEET_PAGE: _page(t("custom_sheet.title"), t("custom_sheet.description"), "custom-sheet"),
    }
    for sheet in ctx.bank.sheets:
        pages[worksheet_src(sheet.id)] = _page(
            markup.plain(sheet.title), markup.plain(sheet.intro) or markup.plain(sheet.title), "worksheet", sheet.id, search=True
        )
    for link in ctx.share_links.values():
        pages[handout_src(link.id)] = _page(
            t("handout.page_title", title=markup.plain(link.title)),
            markup.plain(link.description),
            "handout",
            link.id,
            handout=True,
        )
    return pages


def _page(title: str, description: str, marker: str, item_id: str = "", *, search: bool = False, handout: bool = False) -> str:
    import json

    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"description: {json.dumps(description, ensure_ascii=False)}",
    ]
    if not search:
        lines += ["search:", "  exclude: true"]
    if handout:
        lines += ["hide:", "  - navigation", "  - toc"]
    lines += ["---", "", f"<!-- samtal:{marker}{f' id={item_id}' if item_id else ''} -->", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- markers


@dataclass(frozen=True)
class Marker:
    name: str
    args: dict[str, str]
    line: int


def find_markers(markdown: str, page_src: str) -> tuple[list[tuple[tuple[int, int], Marker]], list[str]]:
    """Every marker of a page with where it stands, and the problems of those that are not well formed."""
    found: list[tuple[tuple[int, int], Marker]] = []
    problems: list[str] = []
    offset = 0
    for number, line in enumerate(markdown.split("\n"), start=1):
        match = MARKER.match(line)
        if match is None:
            if LOOKS_LIKE_MARKER.search(line):
                problems.append(
                    f"{page_src}:{number}: raden ser ut som en markör men går inte att läsa. "
                    "Skriv den så här, på en egen rad: <!-- samtal:namn nyckel=värde -->"
                )
            offset += len(line) + 1
            continue
        name = match.group("name")
        args: dict[str, str] = {}
        for token in match.group("args").split():
            arg = ARG.match(token)
            if arg is None:
                problems.append(
                    f"{page_src}:{number}: '{token}' i markören samtal:{name} går inte att läsa. "
                    "Skriv nyckel=värde med små bokstäver, siffror, bindestreck och komman"
                )
                continue
            if arg.group("key") in args:
                problems.append(f"{page_src}:{number}: {arg.group('key')}= står två gånger i markören samtal:{name}")
            args[arg.group("key")] = arg.group("value")
        found.append(((offset, offset + len(line)), Marker(name, args, number)))
        offset += len(line) + 1
    return found, problems


def check_markers(markdown: str, page_src: str, ctx: Context) -> list[str]:
    """Problems with the markers of one page, found before anything is rendered."""
    found, problems = find_markers(markdown, page_src)
    for _, marker in found:
        handler = HANDLERS.get(marker.name)
        if handler is None:
            problems.append(
                f"{page_src}:{marker.line}: okänd markör 'samtal:{marker.name}'. Det finns: {', '.join(sorted(PUBLIC))}"
            )
            continue
        try:
            handler.check(ctx, marker.args)
        except MarkerError as exc:
            problems.append(f"{page_src}:{marker.line}: samtal:{marker.name}: {exc}")
    return problems


def expand_markers(markdown: str, page_src: str, ctx: Context) -> str:
    """Replace every marker in ``markdown``; raise :class:`MarkerError` for a bad one."""
    found, problems = find_markers(markdown, page_src)
    if problems:
        raise MarkerError("\n".join(problems))
    out: list[str] = []
    position = 0
    page = ctx.for_page(page_src)
    for (start, end), marker in found:
        handler = HANDLERS.get(marker.name)
        if handler is None:
            raise MarkerError(f"{page_src}:{marker.line}: okänd markör 'samtal:{marker.name}'")
        try:
            handler.check(ctx, marker.args)
            rendered = handler.render(ctx, page, marker.args)
        except (MarkerError, LinkError) as exc:
            raise MarkerError(f"{page_src}:{marker.line}: samtal:{marker.name}: {exc}") from None
        out += [markdown[position:start], "\n", rendered.strip("\n"), "\n"]
        position = end
    out.append(markdown[position:])
    return "".join(out)


# --------------------------------------------------------------------------- the markers themselves


@dataclass(frozen=True)
class Handler:
    allowed: frozenset[str]
    render_fn: Callable[[Context, dict[str, Any], dict[str, str]], str]
    check_fn: Callable[[Context, dict[str, str]], None] | None = None

    def check(self, ctx: Context, args: dict[str, str]) -> None:
        unknown = sorted(set(args) - self.allowed)
        if unknown:
            allowed = ", ".join(f"{a}=" for a in sorted(self.allowed)) or "inga"
            raise MarkerError(f"markören känner inte till {', '.join(f'{u}=' for u in unknown)} (tillåtna: {allowed})")
        if self.check_fn:
            self.check_fn(ctx, args)

    def render(self, ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
        return self.render_fn(ctx, page, args)


def _render(ctx: Context, name: str, page: dict[str, Any], **values: Any) -> str:
    return ctx.env.get_template(name).render(**page, **values)


def _one_of(value: str | None, valid: list[str], what: str) -> None:
    if value is not None and value not in valid:
        raise MarkerError(f"{what} '{value}' finns inte i frågebanken. Det finns: {', '.join(valid)}")


def _check_questions(ctx: Context, args: dict[str, str]) -> None:
    bank = ctx.bank
    _one_of(args.get("phase"), [p.id for p in bank.phases], "fasen")
    for topic in args.get("topic", "").split(",") if "topic" in args else []:
        _one_of(topic, [t.id for t in bank.topics], "ämnet")
    for audience in args.get("for", "").split(",") if "for" in args else []:
        _one_of(audience, [a.id for a in bank.audiences], "målgruppen")
    if not _selected(ctx, args):
        raise MarkerError("markören ger inga frågor")


def _selected(ctx: Context, args: dict[str, str]) -> list[Question]:
    topics = args["topic"].split(",") if "topic" in args else None
    audiences = args["for"].split(",") if "for" in args else None
    return ctx.bank.select(args.get("phase"), topics, audiences)


def _questions(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    # A page may show one topic twice, e.g. for the employee and for the
    # manager: the audience in the heading's id keeps the anchors apart.
    suffix = "--" + args["for"].replace(",", "-") if "for" in args else ""
    return _render(ctx, "marker-questions.md.j2", page, groups=ctx.bank.grouped(_selected(ctx, args)), anchor_suffix=suffix)


def _check_id(kind: str, ids: Callable[[Context], list[str]], what: str) -> Callable[[Context, dict[str, str]], None]:
    def check(ctx: Context, args: dict[str, str]) -> None:
        if "id" not in args:
            raise MarkerError(f"markören behöver id= ({kind})")
        _one_of(args["id"], ids(ctx), what)

    return check


def _checklist(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    checklist = ctx.bank.checklist(args["id"])
    return _render(ctx, "marker-checklist.html", page, checklist=checklist, pdf=pdf_src(checklist.id))


def _worksheet_link(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    sheet = ctx.bank.worksheet(args["id"])
    return _render(ctx, "marker-worksheet-link.html", page, sheet=sheet, pdf=pdf_src(sheet.id))


def _cycle(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    return _render(ctx, "cycle.svg", page, cycle=cycle_layout(ctx.bank))


def _check_cycle(ctx: Context, args: dict[str, str]) -> None:
    if ctx.bank.cycle is None:
        raise MarkerError("frågebanken har ingen cycle: (title, centre, steps) att rita")


def _plain(template: str) -> Callable[[Context, dict[str, Any], dict[str, str]], str]:
    return lambda ctx, page, args: _render(ctx, template, page)


def _share_links(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    return _render(ctx, "marker-share-links.html", page, links=list(ctx.share_links.values()))


def _handout(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    return _render(ctx, "handout.html", page, item=ctx.share_links[args["id"]])


def _bank(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    retired: dict[str, list[str]] = {r.replaced_by: [] for r in ctx.bank.retired if r.replaced_by}
    for r in ctx.bank.retired:
        if r.replaced_by:
            retired[r.replaced_by].append(r.id)
    return _render(
        ctx, "marker-bank.md.j2", {**page, "picker": True}, groups=ctx.bank.grouped(ctx.bank.questions), retired=retired
    )


def _worksheet_index(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    return _render(ctx, "worksheet-index.md.j2", page)


def _custom_sheet(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    sheet = Worksheet(
        id=CUSTOM_SHEET_ID,
        title=ctx.strings.t("custom_sheet.title"),
        intro="",
        phase=None,
        layout="single",
        checklist=None,
        questions=(),
    )
    # One placeholder question per answer kind; the script puts the real
    # id, text and hint from fragor.json in their place.
    kinds = sorted({q.answer for q in ctx.bank.questions})
    placeholders = [
        Question(
            id=PLACEHOLDER_ID,
            phase="",
            topic="",
            audience="",
            text=PLACEHOLDER_TEXT,
            hint=PLACEHOLDER_HINT,
            answer=kind,
            follow_up=PLACEHOLDER_FOLLOW_UP if kind.endswith("+text") else "",
        )
        for kind in kinds
    ]
    return _render(ctx, "custom-sheet.html", {**page, "custom": True}, sheet=sheet, pdf=None, placeholders=placeholders)


# Stand-ins in the custom sheet's templates (the script replaces them).
PLACEHOLDER_ID = "samtal-platshallare"
PLACEHOLDER_TEXT = "SAMTAL_FRAGA"
PLACEHOLDER_HINT = "SAMTAL_TIPS"
PLACEHOLDER_FOLLOW_UP = "SAMTAL_FOLJDFRAGA"


def _worksheet(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    sheet = ctx.bank.worksheet(args["id"])
    pdf = pdf_src(sheet.id) if ctx.pdf_enabled else None
    return _render(ctx, "worksheet.html", page, sheet=sheet, pdf=pdf)


def _start(ctx: Context, page: dict[str, Any], args: dict[str, str]) -> str:
    rep = f"{args['rep']}.md" if "rep" in args else ""
    return _render(ctx, "start-choices.html", page, rep=rep)


def _check_start(ctx: Context, args: dict[str, str]) -> None:
    if "rep" in args and not ctx.links.exists(f"{args['rep']}.md"):
        raise MarkerError(f"sidan '{args['rep']}.md' (rep=) finns inte bland sidorna")


HANDLERS: dict[str, Handler] = {
    # Markers for guide pages.
    "questions": Handler(frozenset({"phase", "topic", "for"}), _questions, _check_questions),
    "checklist": Handler(
        frozenset({"id"}), _checklist, _check_id("checklist", lambda c: [x.id for x in c.bank.checklists], "checklistan")
    ),
    "worksheet-link": Handler(
        frozenset({"id"}), _worksheet_link, _check_id("worksheet-link", lambda c: [x.id for x in c.bank.sheets], "arbetsbladet")
    ),
    "cycle": Handler(frozenset(), _cycle, _check_cycle),
    "org-help": Handler(frozenset(), _plain("marker-org-help.html")),
    "share-links": Handler(frozenset(), _share_links),
    "start": Handler(frozenset({"rep"}), _start, _check_start),
    # Markers of the pages made from the bank.
    "bank": Handler(frozenset(), _bank),
    "worksheet-index": Handler(frozenset(), _worksheet_index),
    "worksheet": Handler(
        frozenset({"id"}), _worksheet, _check_id("worksheet", lambda c: [x.id for x in c.bank.sheets], "arbetsbladet")
    ),
    "handout": Handler(frozenset({"id"}), _handout, _check_id("handout", lambda c: list(c.share_links), "länken")),
    "custom-sheet": Handler(frozenset(), _custom_sheet),
}
PUBLIC = ("questions", "checklist", "worksheet-link", "cycle", "org-help", "share-links", "start")
