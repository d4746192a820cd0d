"""The site beyond one page, as people meet it: a union's own build, the pages for old and
missing addresses, search snippets, and the guide offline after one visit.

Builds of their own (the example organisation; two deployments of the guide under a
sub-path for the offline tests) are made without PDFs where PDFs are not the point, and
served on 127.0.0.1 like the session's site. Pages are opened in Debian's Chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT, StaticServer, build_site
from project import copy_project
from samtal.bank import load_bank
from samtal.markup import plain

BANK = load_bank(ROOT / "questions.yaml").bank
STRINGS = yaml.safe_load((ROOT / "overrides" / "samtal" / "strings" / "sv.yml").read_text(encoding="utf-8"))
SETTINGS = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra"]["samtal"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"target-size": {"enabled": True}},  # WCAG 2.2 AA 2.5.8, off by default in axe
    "resultTypes": ["violations"],
}
PHONE = {"width": 390, "height": 844}


def axe_violations(page: Any) -> list[str]:
    result = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result.response["violations"]]


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return unescape(match.group(1)) if match else ""


def head_title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    return unescape(match.group(1)).strip() if match else ""


def visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


# --------------------------------------------------------------------------- the organisation's own guide


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """orgs/exempel.yml built (without PDFs) and served: (site folder, address)."""
    server = StaticServer(tmp_path_factory.mktemp("org-empty"))
    dest = tmp_path_factory.mktemp("org-site")
    build_site(dest, config="orgs/exempel.yml", env={"SAMTAL_PDF": "off", "SITE_URL": server.url})
    server.directory = dest
    yield dest, server.url
    server.close()


def test_organisation_name_is_the_start_page_title_and_heading(org: tuple[Path, str]) -> None:
    site, _ = org
    html = (site / "index.html").read_text(encoding="utf-8")
    assert head_title(html) == "Samtalsguiden för Exempelförbundet"
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert len(headings) == 1, headings
    assert visible_text(headings[0]).replace("¶", "").strip() == "Samtalsguiden för Exempelförbundet"
    # Every other page says whose guide it is in its title too.
    assert head_title((site / "forberedelse" / "index.html").read_text(encoding="utf-8")).endswith(
        "Samtalsguiden för Exempelförbundet"
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1280])
def test_organisation_logo_and_whole_name_in_the_header(browser: Any, org: tuple[Path, str], width: int) -> None:
    _, url = org
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 844}, service_workers="block")
    page = context.new_page()
    page.goto(url)
    logo = page.locator(".md-header img[src$='organisation-logo.svg']")
    assert logo.is_visible()
    box = logo.bounding_box()
    assert box and box["width"] >= 20 and box["height"] >= 20 and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.querySelector('.md-header img[src$=\"organisation-logo.svg\"]').naturalWidth") > 0
    # The name is there in full: wrapped if it must be, never cut off with an ellipsis.
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert " ".join(name.inner_text().split()) == "Samtalsguiden för Exempelförbundet"
    clipped = name.evaluate("el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1")
    assert not clipped, f"the name is cut off at {width} px"
    name_box = name.bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert (
        name_box
        and header
        and name_box["y"] >= header["y"]
        and name_box["y"] + name_box["height"] <= header["y"] + header["height"] + 1
    )
    context.close()


@pytest.mark.browser
def test_organisation_logo_and_contacts_on_a_handout(browser: Any, org: tuple[Path, str]) -> None:
    site, url = org
    handouts = sorted((site / "utdelning").glob("*/index.html"))
    assert handouts
    handouts = handouts[:: max(1, len(handouts) // 3)]  # one template: a few of them are enough
    context = browser.new_context(locale="sv-SE", viewport=PHONE, service_workers="block")
    page = context.new_page()
    for handout in handouts:
        page.goto(url + handout.parent.relative_to(site).as_posix() + "/")
        logo = page.locator("article img.samtal-handout__logo")
        assert logo.is_visible(), handout
        assert logo.get_attribute("alt") == "Exempelförbundet"
        box = logo.bounding_box()
        assert box and 30 <= box["height"] <= 120, box  # a logo, not a poster
        help_box = page.locator("article .samtal-help")
        assert help_box.is_visible(), handout
        text = help_box.inner_text()
        for contact in ("Rådgivningen", "0771-00 00 00", "avdelning@exempelforbundet.invalid", "Karriärcoach"):
            assert contact in text, (handout, contact)
        assert page.locator("article a[href='tel:0771000000']").count() == 1
    context.close()


def test_no_setup_instructions_for_readers_when_an_organisation_is_set(org: tuple[Path, str]) -> None:
    site, _ = org
    text = visible_text((site / "fortroendevalda" / "index.html").read_text(encoding="utf-8").split("<article", 1)[1])
    for setup in ("mkdocs.yml", "extra.organisation", "README", "Utan egna uppgifter", "Utan sådana uppgifter"):
        assert setup not in text, setup
    assert "Rådgivningen" in visible_text((site / "index.html").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- 404 and old addresses


@pytest.mark.browser
def test_404_page_is_swedish_with_search_and_the_phases(site: Path, base_url: str, page: Any) -> None:
    page.goto(base_url + "404.html")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("article h1").inner_text() == STRINGS["not_found"]["title"]
    assert "Not found" not in page.content()
    for phase in BANK.phases:
        link = page.locator("article a", has_text=plain(phase.title)).first
        assert link.is_visible(), phase.id
        path = urlsplit(urljoin(page.url, link.get_attribute("href") or "")).path
        assert (site / path.strip("/") / "index.html").is_file(), path
    assert axe_violations(page) == []
    # The search box leads to the guide's own search, with the words already in it.
    page.get_by_label(STRINGS["not_found"]["search_label"]).fill("lönesamtal")
    page.get_by_role("button", name=STRINGS["not_found"]["search_button"], exact=True).click()
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    assert page.locator("input.md-search__input").input_value() == "lönesamtal"


def redirects() -> list[tuple[str, str]]:
    return sorted(SETTINGS["redirects"].items())


def test_mkdocs_redirects_plugin_is_gone_and_every_old_name_is_kept() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "redirect_maps" not in config
    assert {"medarbetarsamtal.md", "malsamtal.md", "integritet.md", "delning.md"} <= {old for old, _ in redirects()}


@pytest.mark.browser
@pytest.mark.parametrize(("old", "new"), redirects())
def test_redirect_page_is_swedish_previews_as_its_target_and_leads_there(
    site: Path, base_url: str, page: Any, old: str, new: str
) -> None:
    old_url = old.removesuffix(".md") + "/"
    new_url = "" if new == "index.md" else new.removesuffix(".md") + "/"
    html = (site / old_url / "index.html").read_text(encoding="utf-8")
    target = (site / new_url / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="sv">', html)
    assert "<script" not in html and "style=" not in html
    assert 'http-equiv="Content-Security-Policy"' in html
    for key in ("og:title", "og:description", "og:url", "og:image", "description", "twitter:card"):
        assert meta(html, key) == meta(target, key) and meta(html, key), key
    assert head_title(html) == head_title(target)
    # The page itself, held still (the refresh is stopped), passes axe and speaks Swedish.
    page.route(base_url + new_url, lambda route: route.abort("aborted"))
    page.goto(base_url + old_url)
    assert page.locator("h1").inner_text() == STRINGS["redirect"]["title"]
    link = page.locator("main a")
    assert link.get_attribute("href") == ("../" if new_url == "" else f"../{new_url}")
    assert link.inner_text() == meta(target, "og:title")
    assert axe_violations(page) == []
    page.unroute(base_url + new_url)
    # And it leads on by itself.
    page.goto(base_url + old_url)
    page.wait_for_url(base_url + new_url)


# --------------------------------------------------------------------------- search


def control_texts() -> list[str]:
    """The words of the controls on pages (buttons, links, labels): none belongs in a search snippet."""
    words = []
    for section in ("copy", "picker", "start", "tools", "sheet_link", "checklist", "handout", "plan"):
        for value in STRINGS.get(section, {}).values():
            if isinstance(value, str) and 2 <= len(value.split()) <= 8 and "{" not in value:
                words.append(value)
    words += [STRINGS["copy"]["link"], f"{plain(BANK.audiences[0].title)} {STRINGS['copy']['link']}"]
    return words


def test_search_snippets_hold_no_control_text(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    controls = control_texts()
    assert len(controls) > 20
    patterns = [(word, re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")) for word in controls]
    found = [
        (doc["location"], word)
        for doc in index["docs"]
        for word, pattern in patterns
        if pattern.search(visible_text(doc["text"]))
    ]
    assert not found, found[:10]
    # Material's indexer makes an entry of any heading with an id, even inside a part left
    # out of search: such an entry has no words and no title of its own (the page's stands
    # in), so it leads nowhere useful. A real heading followed by a subheading keeps its entry:
    # its title is what a reader finds.
    page_titles = {doc["location"]: doc["title"] for doc in index["docs"] if "#" not in doc["location"]}
    empty = [
        doc["location"]
        for doc in index["docs"]
        if "#" in doc["location"]
        and not visible_text(doc["text"])
        and visible_text(doc["title"]) in ("", visible_text(page_titles[doc["location"].split("#")[0]]))
    ]
    assert not empty, empty[:10]
    # The pages with controls are still found by their own words.
    locations = {doc["location"] for doc in index["docs"]}
    assert any(loc.startswith("fragor/#") for loc in locations)
    assert any(loc.startswith("arbetsblad/") for loc in locations)


# --------------------------------------------------------------------------- offline


class Deployment:
    """The guide served under a sub-path (/guide/), deployed once and then again with a change."""

    def __init__(self, root: Path) -> None:
        self.server = StaticServer(root / "served")
        self.url = self.server.url + "guide/"
        self.first = root / "first"
        self.second = root / "second"

    def serve(self, site: Path) -> None:
        served = Path(self.server.directory)
        link = served / "guide"
        served.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(site, target_is_directory=True)


CHANGED = "(ny version)"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, site: Path) -> Iterator[Deployment]:
    """Two builds of the guide for the same address: the second with a changed line on every page.

    ``site`` first: the session's build warms the PDF cache the copies start from.
    """
    root = tmp_path_factory.mktemp("offline")
    deploy = Deployment(root)
    build_site(deploy.first, env={"SITE_URL": deploy.url})
    project = copy_project(root / "project")
    strings = project / "overrides" / "samtal" / "strings" / "sv.yml"
    text = strings.read_text(encoding="utf-8")
    changed = re.sub(r"(\nfooter:\n(?:  .*\n)*?  version: Version \{date\})\.", rf"\1 {CHANGED}.", text, count=1)
    assert changed != text
    strings.write_text(changed, encoding="utf-8")
    build_site(deploy.second, root=project, env={"SITE_URL": deploy.url})
    deploy.serve(deploy.first)
    yield deploy
    deploy.server.close()


def offline_context(browser: Any, viewport: dict[str, int] = PHONE) -> tuple[Any, list[str]]:
    """A browser profile that lets the offline worker run; every URL it asks for is recorded."""
    context = browser.new_context(locale="sv-SE", viewport=viewport, service_workers="allow")
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    return context, requested


def wait_for_worker(page: Any) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30000)


def notice(page: Any) -> Any:
    return page.locator("article .samtal-offline-notice")


@pytest.mark.browser
def test_every_kind_of_page_works_offline_after_one_visit(browser: Any, deployment: Deployment) -> None:
    context, requested = offline_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    url = deployment.url
    page.goto(url + "forberedelse/")
    wait_for_worker(page)
    assert notice(page).count() == 0
    context.set_offline(True)

    sheet = BANK.worksheets[0]
    handout = min((deployment.first / "utdelning").iterdir()).name
    old, new = redirects()[-1]
    pages = [
        "",
        "under-samtalet/",
        "fragor/",
        "arbetsblad/",
        f"arbetsblad/{sheet.id}/",
        f"utdelning/{handout}/",
        "fortroendevalda/",
    ]
    for path in pages:
        response = page.goto(url + path)
        assert response is not None and response.ok and response.from_service_worker, path
        assert page.locator("article h1").first.is_visible(), path
        assert notice(page).is_visible(), path
        assert notice(page).inner_text() == STRINGS["js"]["offline"]["reading"]
    # A sheet made by a link reads the bank (fragor.json) through the worker.
    ids = [q.id for q in BANK.questions[:3]]
    page.goto(f"{url}arbetsblad/eget/?fragor={','.join(ids)}&titel=Utan+n%C3%A4t")
    page.locator(f'form [data-samtal-key="{ids[2]}"]').wait_for()
    assert page.locator("article h1").inner_text() == "Utan nät"
    # An old address leads on; an address that never existed gets the Swedish 404 page.
    page.goto(url + old.removesuffix(".md") + "/")
    page.wait_for_url(url + ("" if new == "index.md" else new.removesuffix(".md") + "/"))
    page.goto(url + "finns-inte/alls/")
    assert page.locator("article h1").inner_text() == STRINGS["not_found"]["title"]
    # Instant navigation (the footer's link to the next page) and search.
    page.goto(url + BANK.phases[0].page.removesuffix(".md") + "/")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url(url + BANK.phases[1].page.removesuffix(".md") + "/")
    assert notice(page).is_visible()
    page.locator("label[for='__search']").first.click()
    page.keyboard.type("lönesamtal", delay=20)
    # The worker served the index: results are made (whether the list is still open when
    # they arrive depends on the phone layout's timing, not on the network).
    page.locator(".md-search-result__item").first.wait_for(state="attached", timeout=15000)
    # And the PDFs.
    first_bytes = "new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))"
    pdf = page.evaluate(f"fetch('{url}pdf/{sheet.id}.pdf').then(async r => [r.status, {first_bytes}])")
    assert pdf == [200, "%PDF-"]
    assert not errors, errors
    # Back online, the notice goes.
    context.set_offline(False)
    notice(page).wait_for(state="detached")
    context.close()
    assert all(u.startswith(deployment.server.url) or not u.startswith("http") for u in requested), requested


@pytest.mark.browser
def test_a_new_deployment_replaces_the_cached_guide_and_keeps_every_answer(browser: Any, deployment: Deployment) -> None:
    context, _ = offline_context(browser)
    page = context.new_page()
    url = deployment.url
    sheet = next(
        s for s in BANK.worksheets if any(q.choice == "scale" for q in s.questions) and any(not q.choice for q in s.questions)
    )
    text_q = next(q for q in sheet.questions if not q.choice)
    scale_q = next(q for q in sheet.questions if q.choice == "scale")
    page.goto(f"{url}arbetsblad/{sheet.id}/")
    wait_for_worker(page)

    # Filled in without a network.
    context.set_offline(True)
    page.reload()
    field = page.locator(f'[data-samtal-key="{text_q.id}"] textarea, [data-samtal-key="{text_q.id}"] input[type=text]').first
    field.fill("Skrivet i ett rum utan nät")
    page.locator(f'[data-samtal-key="{scale_q.id}"] input[type=radio]').nth(3).check()
    page.keyboard.press("Tab")
    page.wait_for_timeout(500)
    footer = page.locator(".md-copyright")
    assert CHANGED not in footer.inner_text()

    # Online again, the guide is deployed anew. The reload still shows the old version
    # (a page never mixes two); the new worker fetches every file meanwhile, and while
    # someone is typing it waits.
    context.set_offline(False)
    try:
        deployment.serve(deployment.second)
        page.reload()
        field.focus()
        page.keyboard.type(" och mer")
        page.wait_for_function(
            "() => navigator.serviceWorker.getRegistration().then(r => Boolean(r && r.waiting))", timeout=30000
        )
        page.wait_for_timeout(3000)
        assert CHANGED not in footer.inner_text(), "the page reloaded under the reader's fingers"
        assert page.evaluate("document.activeElement.closest('[data-samtal-key]')?.dataset.samtalKey") == text_q.id
        # When the typing stops (the field is left), the new version takes over: one reload,
        # and every answer is where it was.
        page.locator("article h1").first.click()
        page.locator(".md-copyright", has_text=CHANGED).wait_for(timeout=30000)
        page.wait_for_load_state("load")
        assert field.input_value() == "Skrivet i ett rum utan nät och mer"
        assert page.locator(f'[data-samtal-key="{scale_q.id}"] input[type=radio]').nth(3).is_checked()
        # Only the new deployment's cache is left, and it answers offline.
        keys = page.evaluate("caches.keys()")
        assert len([k for k in keys if k.startswith("samtalsguiden:")]) == 1, keys
        context.set_offline(True)
        page.goto(url + "forberedelse/")
        assert CHANGED in page.locator(".md-copyright").inner_text()
        page.goto(f"{url}arbetsblad/{sheet.id}/")
        assert field.input_value() == "Skrivet i ett rum utan nät och mer"
    finally:
        deployment.serve(deployment.first)
        context.close()


def test_the_worker_keeps_every_file_of_its_version_and_is_versioned_by_content(deployment: Deployment) -> None:
    worker = (deployment.first / "sw.js").read_text(encoding="utf-8")
    files = json.loads(re.search(r"const FILES = (\[.*?\]);", worker, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert "./" in files and "fragor/" in files and "fragor.json" in files and "404.html" in files
    assert "search/search_index.json" in files and "sitemap.xml" in files
    assert {f"pdf/{s.id}.pdf" for s in BANK.worksheets} <= set(files)
    assert not [f for f in files if f.startswith(("/", "http"))], "every file is relative to the worker's folder"
    version = re.search(r'const VERSION = "([0-9a-f]{16})"', worker)
    second = re.search(r'const VERSION = "([0-9a-f]{16})"', (deployment.second / "sw.js").read_text(encoding="utf-8"))
    assert version and second and version.group(1) != second.group(1)
    # Every page says where its worker is, relative to the page.
    page = (deployment.first / "arbetsblad" / BANK.worksheets[0].id / "index.html").read_text(encoding="utf-8")
    assert '<meta name="samtal-offline" content="../../sw.js">' in page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_mkdocs_serve_registers_no_worker_and_retires_an_old_one(tmp_path: Path) -> None:
    port = free_port()
    project = copy_project(tmp_path / "project")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "SAMTAL_PDF": "off", "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        home = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not home:
            try:
                home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        assert home, "mkdocs serve did not start"
        assert 'name="samtal-offline"' not in home
        worker = urllib.request.urlopen(f"http://127.0.0.1:{port}/sw.js", timeout=5).read().decode("utf-8")
        assert "registration.unregister()" in worker and "caches.delete" in worker
        assert "const FILES" not in worker
    finally:
        server.terminate()
        server.wait(timeout=30)
    shutil.rmtree(project, ignore_errors=True)
