"""The built guide in people's hands, in headless Chromium over 127.0.0.1.

Phone (390×844) and desktop: the start page's choices, the question picker on /fragor/,
fields on worksheets, links and search, and accessibility on every page (axe-core: WCAG
2.1 A/AA and the WCAG 2.2 target-size rule; focus never hidden under the sticky header or
the picker's bar).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT
from samtal.bank import load_bank
from samtal.markup import plain

pytestmark = pytest.mark.browser

BANK = load_bank(ROOT / "questions.yaml").bank
STRINGS = yaml.safe_load((ROOT / "overrides" / "samtal" / "strings" / "sv.yml").read_text(encoding="utf-8"))
JS = STRINGS["js"]
PICK = JS["picker"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"target-size": {"enabled": True}},  # WCAG 2.2 AA 2.5.8, off by default in axe
    "resultTypes": ["violations"],
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


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
    text = plain(BANK.question(question_id).text).lower()
    others = " ".join(plain(q.text).lower() for q in BANK.questions if q.id != question_id)
    words = sorted(set(re.findall(r"[a-zåäöé]{7,}", text)), key=len, reverse=True)
    return next((word for word in words if word not in others), None)


def count_text(n: int) -> str:
    return (PICK["chosen"]["one"] if n == 1 else PICK["chosen"]["other"]).replace("{count}", str(n))


def href(link: Any) -> str:
    """Where a link leads, as an absolute address."""
    return str(link.evaluate("a => a.href"))


def in_viewport(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        bool(box)
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"] + 1
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"] + 1
    )


@pytest.fixture(params=list(VIEWPORTS))
def sized(request: pytest.FixtureRequest, page: Any) -> Any:
    """The page fixture at phone and at desktop size."""
    page.set_viewport_size(VIEWPORTS[request.param])
    return page


# --------------------------------------------------------------------------- the start page


def start_choices(page: Any) -> Any:
    return page.locator("nav.samtal-start li")


def test_start_page_offers_a_large_choice_for_each_phase_and_for_representatives(sized: Any, base_url: str, site: Path) -> None:
    page = sized
    page.goto(base_url)
    choices = start_choices(page)
    assert choices.count() == len(BANK.phases) + 1
    for index, phase in enumerate(BANK.phases):
        choice = choices.nth(index)
        link = choice.locator("a.samtal-start__link")
        assert (phase.cue or plain(phase.title)) in link.inner_text()
        assert href(link) == f"{base_url}{phase.page.removesuffix('.md')}/"
        box = link.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= min(280, page.viewport_size["width"] - 60), box
        sheet = next((s for s in BANK.worksheets if s.phase == phase.id), None)
        if sheet:
            sheet_link = choice.locator("a.samtal-start__sheet")
            assert href(sheet_link) == f"{base_url}arbetsblad/{sheet.id}/"
            assert plain(sheet.title) in sheet_link.inner_text()
            sheet_box = sheet_link.bounding_box()
            assert sheet_box and sheet_box["height"] >= 24
    assert href(choices.last.locator("a")) == f"{base_url}fortroendevalda/"
    # On a phone the first choice is on the first screen, without scrolling.
    if page.viewport_size["width"] < 500:
        assert in_viewport(page, choices.first.locator("a.samtal-start__link"))
    # Choices are left out of search, and the guide text follows below them.
    assert page.locator("nav.samtal-start[data-search-exclude]").count() == 1
    assert page.locator("nav.samtal-start ~ h2").count() >= 2


def test_start_page_choices_work_with_the_keyboard_alone(sized: Any, base_url: str) -> None:
    page = sized
    page.goto(base_url)
    first = BANK.phases[0]
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('samtal-start__link')"):
            break
    else:
        pytest.fail("Tab never reached the start page's choices")
    assert page.evaluate("document.activeElement.href") == f"{base_url}{first.page.removesuffix('.md')}/"
    focused = page.locator(":focus")
    assert in_viewport(page, focused)
    outline = focused.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", ""), "the focused choice shows its focus"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('samtal-start__sheet')")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}{first.page.removesuffix('.md')}/")
    assert page.locator("article h1").first.is_visible()


# --------------------------------------------------------------------------- the picker on /fragor/


def dock(page: Any) -> Any:
    return page.locator("[data-samtal-pick-dock]")


def pick_with_keyboard(page: Any, question_id: str) -> None:
    box = page.locator(f"#{question_id} input[data-samtal-pick]")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()


def chosen_link(page: Any) -> tuple[list[str], str]:
    query = parse_qs(urlsplit(page.input_value("#valj-lank")).query)
    return query["fragor"][0].split(","), query.get("titel", [""])[0]


def test_picker_bar_stays_on_screen_while_picking_far_down_the_page(sized: Any, base_url: str) -> None:
    page = sized
    page.goto(f"{base_url}fragor/")
    assert dock(page).is_hidden()
    far = [q.id for q in BANK.questions][-40::13][:3]
    for n, question_id in enumerate(far, start=1):
        pick_with_keyboard(page, question_id)
        bar = dock(page).locator(".samtal-picker__bar")
        assert bar.is_visible()
        assert in_viewport(page, bar), f"the bar is off the screen after choosing question {n}"
        assert dock(page).locator("[data-samtal-pick-count]").inner_text() == count_text(n)
        # The count reads as a phrase of its own: it is nobody's label.
        assert page.locator("label", has_text=count_text(n)).count() == 0
        copy = dock(page).locator("[data-samtal-pick-copy]")
        assert copy.is_visible() and in_viewport(page, copy)
        # The question it stuck to is not under the bar.
        question = page.locator(f"#{question_id}").bounding_box()
        assert question and question["y"] + question["height"] <= bar.bounding_box()["y"] + 1
    # The live region is emptied and then filled a moment later, so a screen reader speaks it.
    page.locator("[data-samtal-pick-status]", has_text=count_text(3)).wait_for()
    assert chosen_link(page)[0] == far
    assert page.locator(".samtal-question--chosen").count() == 3


def test_chosen_questions_are_reordered_and_removed_into_the_link_with_the_keyboard(sized: Any, base_url: str) -> None:
    page = sized
    page.goto(f"{base_url}fragor/")
    chosen = [BANK.questions[i].id for i in (5, 50, 90)]
    for question_id in chosen:
        pick_with_keyboard(page, question_id)
    toggle = dock(page).locator("[data-samtal-pick-show]")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    items = dock(page).locator("[data-samtal-pick-list] li")
    assert [t.strip() for t in items.locator(".samtal-picker__text").all_inner_texts()] == [
        plain(BANK.question(i).text) for i in chosen
    ]
    # The third question one step up, with the keyboard: the link follows, the focus stays
    # on the moved question's button, and a screen reader hears where it went.
    third = plain(BANK.question(chosen[2]).text)
    up = items.nth(2).get_by_role("button", name=PICK["up_label"].replace("{text}", third))
    up.focus()
    page.keyboard.press("Enter")
    order = [chosen[0], chosen[2], chosen[1]]
    assert chosen_link(page)[0] == order
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == PICK["up_label"].replace("{text}", third)
    status = page.locator("[data-samtal-pick-status]")
    page.wait_for_function("() => document.querySelector('[data-samtal-pick-status]').textContent.length > 0")
    assert status.inner_text() == PICK["moved"].format(text=third, position=2, count=3)
    # Up again: now first, its Up is inactive but keeps the focus.
    page.keyboard.press("Enter")
    assert chosen_link(page)[0] == [chosen[2], chosen[0], chosen[1]]
    assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") == "true"
    assert page.evaluate("document.activeElement.closest('li').dataset.id") == chosen[2]
    # Remove the (now) second one: its box on the page is cleared, the focus moves on.
    second = plain(BANK.question(chosen[0]).text)
    remove = items.nth(1).get_by_role("button", name=PICK["remove_label"].replace("{text}", second))
    remove.focus()
    page.keyboard.press("Enter")
    assert chosen_link(page)[0] == [chosen[2], chosen[1]]
    assert not page.locator(f"#{chosen[0]} input[data-samtal-pick]").is_checked()
    assert dock(page).locator("[data-samtal-pick-count]").inner_text() == count_text(2)
    assert page.evaluate("document.activeElement.closest('li').dataset.id") == chosen[1]
    # The copy button copies the same link; Escape closes the list and returns to its button.
    assert dock(page).locator("[data-samtal-pick-copy]").get_attribute("href") == page.input_value("#valj-lank")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert dock(page).locator("[data-samtal-pick-chosen]").is_hidden()
    assert page.evaluate("document.activeElement.hasAttribute('data-samtal-pick-show')")


def test_picker_title_goes_into_the_link_and_the_choice_survives_a_reload(page: Any, base_url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}fragor/")
    chosen = [BANK.questions[3].id, BANK.questions[1].id]
    for question_id in chosen:
        pick_with_keyboard(page, question_id)
    page.fill("#valj-titel", "Vår plan & mål")
    ids, title = chosen_link(page)
    assert ids == chosen and title == "Vår plan & mål"
    assert page.input_value("#valj-lank").startswith(f"{base_url}arbetsblad/eget/?fragor={','.join(chosen)}&titel=")
    page.reload()
    assert chosen_link(page) == (chosen, "Vår plan & mål")
    assert all(page.locator(f"#{i} input[data-samtal-pick]").is_checked() for i in chosen)
    # The link opens the sheet with those questions in that order.
    page.goto(page.input_value("#valj-lank"))
    page.locator(f'form [data-samtal-key="{chosen[1]}"]').wait_for()
    keys = page.locator("form [data-samtal-questions] [data-samtal-key]").evaluate_all("els => els.map(e => e.dataset.samtalKey)")
    assert keys == chosen


def test_a_filter_never_hides_a_chosen_question(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}fragor/")
    audience = BANK.audiences[0].id
    other = next(q for q in BANK.questions if q.audience != audience)
    pick_with_keyboard(page, other.id)
    page.locator("#filter-for").select_option(audience)
    matching = [q for q in BANK.questions if q.audience == audience]
    visible = page.locator(".samtal-question:not([hidden])")
    assert visible.count() == len(matching) + 1
    chosen = page.locator(f"#{other.id}")
    assert chosen.is_visible() and "samtal-question--chosen" in (chosen.get_attribute("class") or "")
    shown = page.locator("[data-samtal-filter-count]").inner_text()
    assert PICK["shown"]["other"].replace("{count}", str(len(matching))) in shown
    assert PICK["shown_chosen"]["one"].replace("{count}", "1") in shown
    # A question neither chosen nor matching is hidden, and so is a topic left empty.
    hidden = next(q for q in BANK.questions if q.audience != audience and q.id != other.id)
    assert page.locator(f"#{hidden.id}").is_hidden()
    page.locator("#filter-for").select_option("")
    assert page.locator(".samtal-question:not([hidden])").count() == len(BANK.questions)


# --------------------------------------------------------------------------- fields


def custom_sheet_of_every_kind(base_url: str) -> tuple[str, list[str]]:
    """A sheet made by a link with one question of every answer kind in the bank."""
    ids = []
    for kind in sorted({q.answer for q in BANK.questions}):
        ids.append(next(q.id for q in BANK.questions if q.answer == kind))
    return f"{base_url}arbetsblad/eget/?fragor={','.join(ids)}", ids


@pytest.mark.parametrize("width", [320, 390])
def test_scales_and_yes_no_sit_on_one_line_on_a_phone(page: Any, base_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    sheets = [s for s in BANK.worksheets if any(q.choice for q in s.questions)]
    assert sheets
    for sheet in sheets:
        page.goto(f"{base_url}arbetsblad/{sheet.id}/")
        groups = page.locator(".samtal-choice")
        assert groups.count() >= 1, sheet.id
        for index in range(groups.count()):
            group = groups.nth(index)
            boxes = [o.bounding_box() for o in group.locator(".samtal-choice__option").all()]
            tops = [b["y"] for b in boxes if b]
            assert max(tops) - min(tops) < 2, f"{sheet.id}: choice {index} wraps onto {len({round(t) for t in tops})} rows"
            assert max(b["x"] + b["width"] for b in boxes if b) <= width, sheet.id
            assert min(b["height"] for b in boxes if b) >= 24 and min(b["width"] for b in boxes if b) >= 24
            # The words for the scale's ends are read with its first and last box.
            if "samtal-choice--scale" in (group.get_attribute("class") or ""):
                first = group.locator(".samtal-choice__option").first
                assert BANK.sheet.scale is not None and plain(BANK.sheet.scale.low) in first.inner_text()
                assert first.locator(".samtal-choice__end").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0, sheet.id


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_kind_of_field_is_followed_by_the_same_space(page: Any, base_url: str, viewport: str) -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    url, ids = custom_sheet_of_every_kind(base_url)
    page.goto(url)
    page.locator(f'form [data-samtal-key="{ids[-1]}"]').wait_for()
    gaps = page.evaluate(
        """ids => ids.slice(0, -1).map((id, i) => {
            const a = document.querySelector(`form [data-samtal-key="${id}"]`).getBoundingClientRect();
            const b = document.querySelector(`form [data-samtal-key="${ids[i + 1]}"]`).getBoundingClientRect();
            return Math.round(b.top - a.bottom);
        })""",
        ids,
    )
    assert len(gaps) >= 3
    assert max(gaps) - min(gaps) <= 2 and min(gaps) >= 16, dict(zip(ids, gaps, strict=False))


def test_both_views_use_the_width_of_a_desktop(page: Any, base_url: str) -> None:
    sheet = next((s for s in BANK.worksheets if s.layout == "compare"), None)
    if sheet is None or BANK.sheet.compare is None:
        pytest.skip("the bank has no sheet with both views")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{base_url}arbetsblad/{sheet.id}/")
    field = page.locator(".samtal-field--compare").first
    columns = field.locator(".samtal-compare > *")
    assert columns.count() == len(BANK.sheet.compare.columns)
    boxes = [c.bounding_box() for c in columns.all()]
    assert len({round(b["y"]) for b in boxes if b}) == 1, "the views sit side by side"
    assert field.bounding_box()["width"] >= 900
    for group in page.locator(".samtal-compare .samtal-choice").all():
        tops = [o.bounding_box()["y"] for o in group.locator(".samtal-choice__option").all()]
        assert max(tops) - min(tops) < 2, "a scale in a column stays on one line"


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_sideways_scrolling(page: Any, base_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    url, _ = custom_sheet_of_every_kind(base_url)
    for address in (
        "",
        "forberedelse/",
        "fragor/",
        f"arbetsblad/{BANK.worksheets[0].id}/",
        "arbetsblad/handlingsplan/",
        url,
        "404.html",
    ):
        page.goto(address if address.startswith("http") else base_url + address)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (width, address)


# --------------------------------------------------------------------------- links and search


def test_search_finds_a_question_and_lands_on_its_anchor(page: Any, base_url: str) -> None:
    target, word = next((q, w) for q in BANK.questions if q.phase == BANK.phases[1].id and (w := distinctive_word(q.id)))
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
    assert plain(target.text) in anchor.inner_text()
    assert_below_header(page, anchor)


def assert_below_header(page: Any, locator: Any) -> None:
    box = locator.bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert box and header
    assert header["y"] + header["height"] <= box["y"] + 1 < page.viewport_size["height"], (box, header)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_shared_question_link_opens_at_the_question_below_the_header(page: Any, base_url: str, viewport: str) -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    target = BANK.questions[-1]
    page.goto(f"{base_url}fragor/#{target.id}")
    assert_below_header(page, page.locator(f"#{target.id}"))


def test_copy_link_puts_the_absolute_url_on_the_clipboard(context: Any, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    page.goto(f"{base_url}{BANK.phases[0].page.removesuffix('.md')}/")
    link = page.locator(".samtal-question [data-samtal-copy]").first
    question_id = link.get_attribute("href").split("#")[1]
    link.click()
    page.get_by_text(JS["copy"]["done_short"]).first.wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}fragor/#{question_id}"
    assert page.url == f"{base_url}{BANK.phases[0].page.removesuffix('.md')}/"


def test_copy_link_without_clipboard_shows_the_link_to_copy(context: Any, base_url: str) -> None:
    page = context.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"{base_url}{BANK.phases[0].page.removesuffix('.md')}/")
    link = page.locator(".samtal-question [data-samtal-copy]").first
    question_id = link.get_attribute("href").split("#")[1]
    link.click()
    field = page.get_by_label(JS["copy"]["manual"])
    assert field.input_value() == f"{base_url}fragor/#{question_id}"


def test_heading_permalink_copies_its_link(context: Any, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    phase = BANK.phases[1].page.removesuffix(".md")
    page.goto(f"{base_url}{phase}/")
    heading = page.locator("article h2[id]").first
    heading_id = heading.get_attribute("id")
    heading.hover()
    heading.locator("a.headerlink").click()
    page.get_by_text(JS["copy"]["done_short"]).first.wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}{phase}/#{heading_id}"


# --------------------------------------------------------------------------- accessibility


def one_of_each_kind(urls: list[str]) -> list[str]:
    """A page of every kind: the start page, each folder's first page and each worksheet layout."""
    kinds: dict[str, str] = {}
    for url in urls:
        kinds.setdefault(url.split("/", 1)[0] if "/" in url.rstrip("/") else url, url)
    for sheet in BANK.worksheets:
        kinds.setdefault(f"layout:{sheet.layout}", f"arbetsblad/{sheet.id}/")
    return sorted(set(kinds.values()))


def test_every_page_passes_axe(site: Path, page: Any, base_url: str) -> None:
    """Every page on a phone (where targets are smallest), a page of every kind on a desktop.
    The other versions' handouts are the Swedish ones' template with other words: one of
    them each is checked, like every other page of theirs."""
    axe = Axe()
    failures = {}
    others = ("en/utdelning/", "lattlast/utdelning/")
    urls = [url for url in all_pages(site) if not url.startswith(others)]
    urls += [next(url for url in all_pages(site) if url.startswith(other) and url != other) for other in others]
    urls.append("404.html")
    assert len(urls) >= 16
    for name, viewport, selection in (("phone", PHONE, urls), ("desktop", DESKTOP, one_of_each_kind(urls))):
        page.set_viewport_size(viewport)
        for url in selection:
            page.goto(base_url + url)
            page.wait_for_load_state("load")
            result = axe.run(page, options=AXE_OPTIONS)
            if result.violations_count:
                failures[f"{url} ({name})"] = result.generate_report()
    assert not failures, "\n\n".join(f"{url}:\n{report}" for url, report in failures.items())


def test_every_page_runs_without_errors_and_finds_every_file_it_asks_for(site: Path, page: Any, base_url: str) -> None:
    """No script error and no request answered 404 on any page (Material looks up the
    sitemap of every language's version: those look-ups must land on real files too)."""
    missing: list[str] = []
    page.on("response", lambda r: missing.append(f"{r.status} {r.url} (from {page.url})") if r.status >= 400 else None)
    for url in [*all_pages(site), "404.html"]:
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
    assert not missing, missing[:10]
    assert not page.js_errors, page.js_errors


FOCUS_CHECK = """() => {
    // Is any part of the focused element on top, where a reader sees it? A grid of points
    // over the part of it inside the window: the element (or its label or content) must be
    // what is found at one of them, not the sticky header or the picker's bar.
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return {what: el.outerHTML.slice(0, 120), hidden: false, seen: false};
    const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
    const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
    let visible = false;
    for (let i = 0; i < 5 && !visible; i += 1) {
        for (let j = 0; j < 5 && !visible; j += 1) {
            const x = left + (right - left) * (i + 0.5) / 5, y = top + (bottom - top) * (j + 0.5) / 5;
            if (right <= left || bottom <= top) break;
            const hit = document.elementFromPoint(x, y);
            const label = el.labels && [...el.labels].some((l) => l.contains(hit));
            visible = Boolean(hit) && (hit === el || el.contains(hit) || hit.contains(el) || Boolean(label));
        }
    }
    const centre = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
    return {
        what: el.outerHTML.slice(0, 120),
        hidden: !visible,
        seen: true,
        over: `${centre ? `${centre.tagName.toLowerCase()}.${centre.className}` : "nothing"}`
            + ` (box ${Math.round(box.top)}..${Math.round(box.bottom)} of ${innerHeight}, scrolled ${Math.round(scrollY)})`,
    };
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_sticky_header_and_bar_never_hide_the_focused_element(page: Any, base_url: str, viewport: str) -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    long_pages = {
        "fragor/": lambda: pick_with_keyboard(page, BANK.questions[2].id),  # with the picker's bar showing
        f"arbetsblad/{BANK.worksheets[0].id}/": None,
        f"{BANK.phases[0].page.removesuffix('.md')}/": None,
    }
    for url, prepare in long_pages.items():
        page.goto(base_url + url)
        if prepare:
            prepare()
            page.evaluate("window.scrollTo(0, 0)")
            page.locator("body").focus()
        seen = 0
        # Forward, then most of the way back (never past the first element: from there
        # the focus would leave the page and come back at its end).
        for key in ["Tab"] * 70 + ["Shift+Tab"] * 55:
            page.keyboard.press(key)
            state = page.evaluate(FOCUS_CHECK)
            if state and state["hidden"]:
                # A drawer or an overlay may still be sliding or fading away: look again
                # once Material's transitions (0.25 s) are over.
                page.wait_for_timeout(400)
                state = page.evaluate(FOCUS_CHECK)
            if not state:
                continue
            assert not state["hidden"], f"{url} ({viewport}, after {key}): {state['what']} is hidden under {state.get('over')}"
            seen += state["seen"]
        assert seen > 50, url
