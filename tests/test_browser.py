"""The built guide as a person uses it, in headless Chromium over 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT
from samtal.bank import load_bank
from samtal.templates import plain_text

pytestmark = pytest.mark.browser

BANK = load_bank(ROOT / "questions.yaml")
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def all_pages(site: Path) -> list[str]:
    urls = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue
        urls.append("" if rel == "." else rel + "/")
    return urls


def distinctive_word(question_id: str) -> str | None:
    """A long word from the question that no other question text contains."""
    text = plain_text(BANK.question(question_id).text).lower()
    others = " ".join(plain_text(q.text).lower() for q in BANK.questions if q.id != question_id)
    words = sorted(set(re.findall(r"[a-zåäöé]{7,}", text)), key=len, reverse=True)
    return next((word for word in words if word not in others), None)


def test_search_finds_a_question_and_lands_on_its_anchor(page: object, base_url: str) -> None:
    target, word = next(
        (q, w) for q in BANK.questions if q.phase == "under-samtalet" and (w := distinctive_word(q.id))
    )
    page.goto(base_url)
    page.locator("input.md-search__input").click()
    page.keyboard.type(word, delay=20)
    hit = page.locator(f".md-search-result a[href*='/fragor/'][href$='#{target.id}']")
    hit.first.wait_for(state="attached", timeout=15000)
    # A hit may sit folded under "more results"; open it the way a reader would.
    if not hit.first.is_visible():
        page.locator(".md-search-result details summary").first.click()
    hit.first.click()
    page.wait_for_url(re.compile(rf".*/fragor/(\?[^#]*)?#{target.id}$"))
    anchor = page.locator(f"#{target.id}")
    anchor.wait_for()
    assert plain_text(target.text) in anchor.inner_text()
    box = anchor.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_a_shared_question_link_opens_at_the_question(page: object, base_url: str) -> None:
    target = BANK.questions[-1]
    page.goto(f"{base_url}fragor/#{target.id}")
    anchor = page.locator(f"#{target.id}")
    box = anchor.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_copy_link_puts_the_absolute_url_on_the_clipboard(context: object, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    page.goto(f"{base_url}forberedelse/")
    link = page.locator(".samtal-question [data-samtal-copy]").first
    question_id = link.get_attribute("href").split("#")[1]
    link.click()
    page.get_by_text("Kopierad!").first.wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{base_url}fragor/#{question_id}"
    assert page.url == f"{base_url}forberedelse/"


def test_copy_link_without_clipboard_shows_the_link_to_copy(context: object, base_url: str) -> None:
    page = context.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"{base_url}forberedelse/")
    link = page.locator(".samtal-question [data-samtal-copy]").first
    question_id = link.get_attribute("href").split("#")[1]
    link.click()
    field = page.get_by_label("Kopiera länken här:")
    assert field.input_value() == f"{base_url}fragor/#{question_id}"


def test_every_page_passes_axe_and_runs_without_errors(site: Path, page: object, base_url: str) -> None:
    axe = Axe()
    failures = {}
    urls = all_pages(site)
    assert len(urls) >= 16
    for url in urls:
        page.goto(base_url + url)
        page.wait_for_load_state("load")
        result = axe.run(page, options=WCAG_21_AA)
        if result.violations_count:
            failures[url] = result.generate_report()
    assert not failures, "\n\n".join(f"{url}:\n{report}" for url, report in failures.items())
    assert not page.js_errors, page.js_errors


def test_phone_width_has_no_sideways_scrolling(context: object, base_url: str, site: Path) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    for url in ("", "forberedelse/", "fragor/", f"arbetsblad/{BANK.worksheets[0].id}/"):
        page.goto(base_url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, url


def test_heading_permalink_copies_its_link(context: object, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    page.goto(f"{base_url}under-samtalet/")
    heading = page.locator("article h2[id]").first
    heading_id = heading.get_attribute("id")
    heading.hover()
    heading.locator("a.headerlink").click()
    page.get_by_text("Kopierad!").first.wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}under-samtalet/#{heading_id}"
