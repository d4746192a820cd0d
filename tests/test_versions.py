"""Three versions of the guide in one site: Swedish at /, English at /en/, lättläst at /lattlast/.

One bank of ids: every version lists the same questions, sheets keep their
answers across versions, each version has its own search in its own language,
and every page says which language it is in and where its other versions are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from conftest import ROOT

VERSIONS = {"": "sv", "en/": "en", "lattlast/": "sv"}


def version_of(site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return next((v for v in ("en/", "lattlast/") if rel.startswith(v)), "")


def test_every_version_lists_exactly_the_same_question_ids(site: Path) -> None:
    ids = {}
    for prefix, language in VERSIONS.items():
        data = json.loads((site / prefix / "fragor.json").read_text(encoding="utf-8"))
        ids[prefix] = [q["id"] for q in data["questions"]]
        assert data["language"] == language
    assert ids[""] == ids["en/"] == ids["lattlast/"]
    sv = json.loads((site / "fragor.json").read_text(encoding="utf-8"))
    en = json.loads((site / "en" / "fragor.json").read_text(encoding="utf-8"))
    assert [w["id"] for w in sv["worksheets"]] == [w["id"] for w in en["worksheets"]]
    assert sv["questions"][0]["text"] != en["questions"][0]["text"]


def test_every_page_has_its_language_and_alternates(site: Path) -> None:
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        prefix = version_of(site, path)
        lang = re.search(r'<html lang="([^"]+)"', text)
        assert lang and lang.group(1) == VERSIONS[prefix], path
        if path.name == "404.html":
            continue
        alternates = dict(re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', text))
        assert set(alternates.values()) == {"sv", "en"}, (path, alternates)
        # The alternates point at this very page in the other versions.
        page = path.relative_to(site / prefix).as_posix().removesuffix("index.html")
        here = "http://x/" + path.relative_to(site).as_posix().removesuffix("index.html")
        targets = {lang: urljoin(here, href) for href, lang in alternates.items()}
        assert targets["en"] == f"http://x/en/{page}", (path, targets)
        assert targets["sv"] == f"http://x/{page}", (path, targets)


def test_the_switch_goes_to_the_same_page(site: Path) -> None:
    text = (site / "arbetsblad" / "forberedelse" / "index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"[^>]*class="md-select__link"', text))
    assert "../../en/arbetsblad/forberedelse/" in links
    assert "../../lattlast/arbetsblad/forberedelse/" in links


def test_easy_to_read_pages_link_to_their_normal_page(site: Path) -> None:
    text = (site / "lattlast" / "forberedelse" / "index.html").read_text(encoding="utf-8")
    note = re.search(r'<p class="samtal-easy-note"[^>]*>(.*?)</p>', text, re.DOTALL)
    assert note and 'href="../../forberedelse/"' in note.group(1)
    assert "samtal-easy-note" not in (site / "forberedelse" / "index.html").read_text(encoding="utf-8")


def test_each_version_has_its_own_search_index_in_its_language(site: Path) -> None:
    for prefix, lang in VERSIONS.items():
        index = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [lang]
        locations = [d["location"] for d in index["docs"]]
        # Locations are relative to the version: no version indexes another's pages.
        assert not any(loc.startswith(("en/", "lattlast/")) for loc in locations), prefix


def test_pdfs_say_their_language(site: Path) -> None:
    from pypdf import PdfReader

    for prefix, lang in VERSIONS.items():
        for path in sorted((site / prefix / "pdf").glob("*.pdf"))[:6]:
            root: Any = PdfReader(path).trailer["/Root"]
            assert root["/Lang"] == lang, path


@pytest.mark.browser
def test_english_search_finds_an_english_question_and_lands_on_it(page: Any, base_url: str, site: Path) -> None:
    data = json.loads((site / "en" / "fragor.json").read_text(encoding="utf-8"))
    question = next(q for q in data["questions"] if re.search(r"[A-Za-z]{8,}", q["text"]))
    word = max(re.findall(r"[A-Za-z]{8,}", question["text"]), key=len)
    page.goto(f"{base_url}en/")
    page.locator(".md-search__input").first.click(force=True)
    page.keyboard.type(word)
    result = page.locator(f'.md-search-result__link[href*="#{question["id"]}"]').first
    result.wait_for(timeout=15000)
    assert "/en/fragor/" in result.get_attribute("href")
    result.click()
    page.wait_for_url(re.compile(rf"/en/fragor/(\?[^#]*)?#{question['id']}$"))
    anchor = page.locator(f"#{question['id']}")
    anchor.wait_for()  # instant navigation: the new page's content arrives after the address
    assert question["text"] in anchor.inner_text()


@pytest.mark.browser
def test_swedish_search_shows_no_english_page(page: Any, base_url: str) -> None:
    page.goto(base_url)
    page.locator(".md-search__input").first.click(force=True)
    page.keyboard.type("question")
    page.wait_for_timeout(1500)
    hrefs = page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not any("/en/" in (h or "") for h in hrefs), hrefs


@pytest.mark.browser
def test_an_answer_typed_in_swedish_shows_on_the_english_sheet(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}arbetsblad/forberedelse/")
    field = page.locator("form[data-samtal-sheet] textarea").first
    name = field.get_attribute("name")
    field.fill("Mitt svar på svenska")
    field.blur()
    page.locator(".md-select__link[hreflang=en]").first.evaluate("a => a.click()")
    page.wait_for_url(re.compile(r"/en/arbetsblad/forberedelse/$"))
    assert page.locator(f'textarea[name="{name}"]').input_value() == "Mitt svar på svenska"


def test_the_root_config_lists_every_version_once() -> None:
    import yaml

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", "")
    versions = yaml.safe_load(text)["extra"]["samtal"]["versions"]
    assert [v["id"] for v in versions] == ["sv", "en", "lattlast"]
    for version in versions[1:]:
        assert (ROOT / version["config"]).is_file()
