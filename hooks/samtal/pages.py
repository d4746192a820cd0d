"""Pages made from the bank, and the markers that pull bank content into guide pages.

A marker is an HTML comment on a line of its own in a Markdown page::

    <!-- samtal:questions phase=forberedelse topic=kompetens for=chef,bada -->
    <!-- samtal:checklist id=checklista-forberedelse -->
    <!-- samtal:worksheet-link id=forberedelse -->
    <!-- samtal:cycle -->
    <!-- samtal:org-help -->
    <!-- samtal:share-links -->

Pages made from the bank (``fragor.md``, one page per worksheet) are small
Markdown files holding a marker too (``samtal:bank``, ``samtal:worksheet``), so
every piece of bank content is rendered the same way, when the page's own URL
is known. Each is rendered through a Jinja template in ``overrides/samtal/``.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from typing import Any, Callable, get_args

from jinja2 import Environment

from .bank import AUDIENCE_LABELS, AnswerKind, Bank, Question, Worksheet
from .org import Organisation
from . import qr, share, sheets
from .paths import (
    CUSTOM_SHEET_PAGE,
    CUSTOM_SHEET_URL,
    QUESTIONS_PAGE,
    QUESTIONS_URL,
    WORKSHEET_INDEX,
    pdf_src,
    worksheet_src,
    worksheet_url,
)
from .cycle import cycle_layout
from .templates import render

MARKER = re.compile(r"^[ \t]*<!--\s*samtal:(?P<name>[a-z-]+)(?P<args>[^>]*?)\s*-->[ \t]*$", re.MULTILINE)
ARG = re.compile(r"([a-z]+)=([^\s]+)")


class MarkerError(ValueError):
    """A marker in a page is wrong; the message names the page and line."""


@dataclass(frozen=True)
class Context:
    """What every template gets: the bank, the organisation and where links go."""

    bank: Bank
    org: Organisation
    env: Environment
    site_url: str
    pdf_enabled: bool = True

    @functools.cached_property
    def share_links(self) -> dict[str, share.ShareLink]:
        """The links for representatives, by id: made once, used by several pages."""
        return {link.id: link for link in share.share_links(self.bank, pdf_enabled=self.pdf_enabled)}

    def common(self, page_src: str, page_url: str = "") -> dict[str, Any]:
        def question_url(question_id: str) -> str:
            if page_url == QUESTIONS_URL:
                return f"#{question_id}"
            return f"{relative_url(QUESTIONS_URL, page_url)}#{question_id}"

        return {
            "bank": self.bank,
            "org": self.org,
            "audience_labels": AUDIENCE_LABELS,
            "link": lambda target: relative_link(page_src, target),
            "url": lambda target: relative_url(target, page_url),
            "question_url": question_url,
            "pdf_enabled": self.pdf_enabled,
            "absolute": lambda path: qr.absolute_url(self.site_url, path),
            "worksheet_url": worksheet_url,
            "custom_sheet_url": CUSTOM_SHEET_URL,
            "picker": False,
            "custom": False,
            "qr": qr.qr_svg,
            "sheet_fields": sheets.FIELDS,
        }


def relative_link(page_src: str, target_src: str) -> str:
    """A Markdown link target from one source file to another (MkDocs resolves it)."""
    start = posixpath.dirname(page_src) or "."
    return posixpath.relpath(target_src, start)


def relative_url(target_url: str, page_url: str) -> str:
    """A link for raw HTML from the page at ``page_url`` to ``target_url`` (both site-relative)."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    rel = posixpath.relpath(target_url or ".", base or ".")
    if target_url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


# --------------------------------------------------------------------------- generated pages


def generated_pages(ctx: Context) -> dict[str, str]:
    """Source path → Markdown for every page made from the bank."""
    pages = {
        QUESTIONS_PAGE: render(ctx.env, "fragor.md.j2", **ctx.common(QUESTIONS_PAGE)),
        WORKSHEET_INDEX: render(ctx.env, "worksheet-index.md.j2", **ctx.common(WORKSHEET_INDEX)),
        CUSTOM_SHEET_PAGE: render(ctx.env, "custom-sheet-page.md.j2", **ctx.common(CUSTOM_SHEET_PAGE)),
    }
    for sheet in ctx.bank.sheets:
        src = worksheet_src(sheet.id)
        pages[src] = render(ctx.env, "worksheet-page.md.j2", **ctx.common(src), sheet=sheet)
    for item in ctx.share_links.values():
        pages[item.handout_src] = render(ctx.env, "handout-page.md.j2", **ctx.common(item.handout_src), item=item)
    return pages


# --------------------------------------------------------------------------- markers


def expand_markers(markdown: str, page_src: str, page_url: str, ctx: Context) -> str:
    """Replace every marker in ``markdown``; raise :class:`MarkerError` for a bad one."""
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        line = markdown.count("\n", 0, match.start()) + 1
        name = match.group("name")
        args = dict(ARG.findall(match.group("args")))
        handler = _HANDLERS.get(name)
        if handler is None:
            problems.append(f"{page_src}:{line}: okänd markör 'samtal:{name}'. Det finns: {', '.join(sorted(_HANDLERS))}")
            return match.group(0)
        try:
            return handler(ctx, Where(page_src, page_url), args)
        except MarkerError as exc:
            problems.append(f"{page_src}:{line}: {exc}")
            return match.group(0)

    result = MARKER.sub(replace, markdown)
    if problems:
        raise MarkerError("\n".join(problems))
    return result


def _questions(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, {"phase", "topic", "for"})
    bank = ctx.bank
    phase = args.get("phase")
    if phase is not None and phase not in {p.id for p in bank.phases}:
        raise MarkerError(f"fasen '{phase}' finns inte i frågebanken")
    topics = args["topic"].split(",") if "topic" in args else None
    for topic in topics or []:
        if topic not in {t.id for t in bank.topics}:
            raise MarkerError(f"ämnet '{topic}' finns inte i frågebanken")
    audiences = args["for"].split(",") if "for" in args else None
    for audience in audiences or []:
        if audience not in AUDIENCE_LABELS:
            raise MarkerError(f"'{audience}' går inte att använda i for=. Välj bland: {', '.join(AUDIENCE_LABELS)}")
    chosen = bank.select(phase, topics, audiences)
    if not chosen:
        raise MarkerError("markören ger inga frågor")
    # A page may show one topic twice, e.g. for the employee and for the
    # manager: the audience in the heading's id keeps the anchors apart.
    suffix = "--" + "-".join(audiences) if audiences else ""
    context = {**where.common(ctx), "anchor_suffix": suffix}
    return render(ctx.env, "marker-questions.md.j2", **context, groups=bank.grouped(chosen))


def _checklist(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, {"id"})
    checklist = next((c for c in ctx.bank.checklists if c.id == args.get("id")), None)
    if checklist is None:
        raise MarkerError(f"checklistan '{args.get('id')}' finns inte i frågebanken")
    return render(ctx.env, "marker-checklist.md.j2", **where.common(ctx), checklist=checklist, pdf=pdf_src(checklist.id))


def _worksheet_link(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, {"id"})
    sheet = _find_worksheet(ctx, args)
    return render(
        ctx.env,
        "marker-worksheet-link.md.j2",
        **where.common(ctx),
        sheet=sheet,
        page=worksheet_src(sheet.id),
        pdf=pdf_src(sheet.id),
    )


def _cycle(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, set())
    return render(ctx.env, "cycle.svg", **where.common(ctx), cycle=cycle_layout(ctx.bank))


def _org_help(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, set())
    return render(ctx.env, "marker-org-help.md.j2", **where.common(ctx))


def _share_links(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, set())
    links = list(ctx.share_links.values())
    return render(ctx.env, "marker-share-links.md.j2", **where.common(ctx), links=links)


def _handout(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, {"id"})
    item = ctx.share_links.get(args.get("id", ""))
    if item is None:
        raise MarkerError(f"länken '{args.get('id')}' finns inte bland länkarna att dela")
    return render(ctx.env, "handout.html", **where.common(ctx), item=item)


def _bank(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, set())
    context = {**where.common(ctx), "picker": True}
    return render(ctx.env, "marker-bank.md.j2", **context, groups=ctx.bank.grouped(ctx.bank.questions))


def _custom_sheet(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, set())
    sheet = Worksheet(
        id="eget", title="Eget arbetsblad", intro="", phase=None, layout="single", checklist=None, questions=()
    )
    context = {**where.common(ctx), "custom": True}
    # One placeholder question per answer kind; the script puts the real
    # id, text and hint from fragor.json in their place.
    placeholders = [
        Question.model_construct(
            id=PLACEHOLDER_ID, phase="", topic="", audience="bada", text=PLACEHOLDER_TEXT, hint=PLACEHOLDER_HINT, answer=kind
        )
        for kind in get_args(AnswerKind)
    ]
    return render(
        ctx.env, "custom-sheet.html", **context, sheet=sheet, pdf=None, placeholders=placeholders, placeholder=placeholders[0]
    )


# Stand-ins in the custom sheet's templates (custom-sheet.js replaces them).
PLACEHOLDER_ID = "samtal-platshallare"
PLACEHOLDER_TEXT = "SAMTAL_FRAGA"
PLACEHOLDER_HINT = "SAMTAL_TIPS"


def _worksheet(ctx: Context, where: Where, args: dict[str, str]) -> str:
    _only(args, {"id"})
    sheet = _find_worksheet(ctx, args)
    return render(ctx.env, "worksheet.html", **where.common(ctx), sheet=sheet, pdf=pdf_src(sheet.id))


def _find_worksheet(ctx: Context, args: dict[str, str]) -> Worksheet:
    sheet = next((w for w in ctx.bank.sheets if w.id == args.get("id")), None)
    if sheet is None:
        raise MarkerError(f"arbetsbladet '{args.get('id')}' finns inte i frågebanken")
    return sheet


def _only(args: dict[str, str], allowed: set[str]) -> None:
    unknown = sorted(set(args) - allowed)
    if unknown:
        allowed_text = ", ".join(sorted(allowed)) or "inga"
        raise MarkerError(f"markören känner inte till {', '.join(unknown)}= (tillåtna: {allowed_text})")


@dataclass(frozen=True)
class Where:
    """The page a marker stands in."""

    src: str
    url: str

    def common(self, ctx: Context) -> dict[str, Any]:
        return ctx.common(self.src, self.url)


_HANDLERS: dict[str, Callable[[Context, Where, dict[str, str]], str]] = {
    "bank": _bank,
    "worksheet": _worksheet,
    "questions": _questions,
    "checklist": _checklist,
    "worksheet-link": _worksheet_link,
    "cycle": _cycle,
    "org-help": _org_help,
    "share-links": _share_links,
    "handout": _handout,
    "custom-sheet": _custom_sheet,
}
