"""A real `mkdocs build --strict` of the guide, and assertions on what it wrote."""

from __future__ import annotations

import base64
import hashlib
import json
from html import unescape
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build_site, copy_project
from samtal.bank import load_bank

BANK = load_bank(ROOT / "questions.yaml")
NO_PDF = {"SAMTAL_PDF": "off"}


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "url",
    ["", "forberedelse", "under-samtalet", "efterarbete", "handlingsplan", "fragor", "arbetsblad",
     "lonesamtal", "fortroendevalda", "om"],
)
def test_stable_urls_exist(site: Path, url: str) -> None:
    page = html(site, url)
    assert "<h1" in page
    assert 'lang="sv"' in page


def test_every_worksheet_has_its_page(site: Path) -> None:
    for sheet in BANK.worksheets:
        page = html(site, f"arbetsblad/{sheet.id}")
        assert f'data-samtal-sheet="{sheet.id}"' in page
        for q in sheet.questions:
            assert f'id="{q.id}"' in page


def test_questions_page_has_every_question_with_its_anchor(site: Path) -> None:
    page = html(site, "fragor")
    anchors = re.findall(r'<div class="samtal-question"[^>]*\sid="([a-z0-9-]+)"', page)
    assert anchors == [q.id for phase, topics in BANK.grouped(BANK.questions) for _, qs in topics for q in qs]
    assert sorted(anchors) == sorted(q.id for q in BANK.questions)
    assert page.count('data-samtal-copy aria-label="Kopiera länk till frågan:') == len(BANK.questions)
    for q in BANK.questions[:5]:
        assert f'href="#{q.id}" data-samtal-copy' in page


def test_questions_are_grouped_by_phase_then_topic(site: Path) -> None:
    page = html(site, "fragor")
    positions = [page.index(f'id="fas--{p.id}"') for p in BANK.phases]
    assert positions == sorted(positions)
    first = BANK.questions[0]
    assert page.index(f'id="fas--{first.phase}"') < page.index(f'id="{first.phase}--{first.topic}"') < page.index(f'id="{first.id}"')


def test_phase_pages_pull_in_their_questions_and_link_to_the_bank(site: Path) -> None:
    page = html(site, "forberedelse")
    ours = [q for q in BANK.questions if q.phase == "forberedelse"]
    assert any(f'href="../fragor/#{q.id}"' in page for q in ours)
    assert "<!-- samtal:" not in page


def test_search_index_has_each_question_as_its_own_entry(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["sv"]
    by_location = {d["location"]: d for d in index["docs"]}
    for q in BANK.questions:
        entry = by_location[f"fragor/#{q.id}"]
        assert entry["title"]
        assert "<" not in entry["title"]


def test_no_external_resources_in_any_page(site: Path) -> None:
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', text):
            # Only links a reader can follow may point elsewhere; nothing is loaded from another host.
            tag_start = text.rfind("<", 0, text.index(url))
            tag = text[tag_start : tag_start + 6]
            assert tag.startswith("<a ") or tag.startswith("<link") and "canonical" in text[tag_start : tag_start + 80], (path, url)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_every_page_has_a_csp_allowing_exactly_its_inline_scripts(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert any('http-equiv="refresh"' in p.read_text(encoding="utf-8") for p in pages), "redirect pages are checked too"
    for path in pages:
        text = path.read_text(encoding="utf-8")
        match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert match, path
        policy = unescape(match.group(1))
        assert "unsafe-inline" not in policy
        assert "default-src 'self'" in policy
        allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", policy))
        inline = [
            body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.DOTALL) if "src=" not in attrs
        ]
        expected = {base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for body in inline}
        assert inline and allowed == expected, path
        assert text.index("Content-Security-Policy") < text.index("<script"), path


def test_no_id_is_used_twice_on_a_page(site: Path) -> None:
    for path in site.rglob("*.html"):
        # What is inside <template> is not part of the page until a script uses it.
        text = re.sub(r"<template\b.*?</template>", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        ids = re.findall(r'\sid="([^"]+)"', text)
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert not repeated, (path, repeated)


def test_search_language_and_fonts(site: Path) -> None:
    page = html(site, "")
    assert "lunr" in "".join(p.name for p in (site / "assets" / "javascripts" / "lunr" / "min").iterdir())
    assert (site / "assets" / "javascripts" / "lunr" / "min" / "lunr.sv.min.js").exists()
    assert "fonts.googleapis.com" not in page
    # Material ships every language's files; what our settings decide is that
    # the search runs in Swedish and the theme speaks Swedish.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["sv"]
    assert 'placeholder="Sök"' in page
    assert "--md-text-font" not in page


def test_open_data_exports_match_the_bank(site: Path) -> None:
    data = json.loads((site / "fragor.json").read_text(encoding="utf-8"))
    assert [q["id"] for q in data["questions"]] == [q.id for q in BANK.questions]
    assert data["licence"]["name"] == "CC BY 4.0"
    csv_text = (site / "fragor.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == "id,phase,topic,for,text,hint,answer"
    assert len(csv_text.splitlines()) == len(BANK.questions) + 1


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide with a <script> in a question, deployed under a sub-path."""
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    bank_file = root / "questions.yaml"
    text = bank_file.read_text(encoding="utf-8")
    first = BANK.questions[0]
    old = yaml.safe_dump(first.text, allow_unicode=True).strip().removesuffix("...").strip()
    assert old in text
    text = text.replace(old, '"Är <script>alert(1)</script> *farligt*?"', 1)
    sheet = BANK.worksheets[0]
    title_line = f"    title: {yaml.safe_dump(sheet.title, allow_unicode=True).strip().removesuffix('...').strip()}\n"
    assert title_line in text
    text = text.replace(title_line, "    title: 'Båda \"synerna\" & <mer> \\ sist'\n", 1)
    bank_file.write_text(text, encoding="utf-8")
    dest = root / "site"
    build_site(dest, root=root, env={**NO_PDF, "SITE_URL": "https://exempel.se/fack/guide/"})
    return dest


def test_markup_in_a_question_is_shown_as_text(hostile_site: Path) -> None:
    for url in ("fragor", f"arbetsblad/{BANK.worksheets[0].id}"):
        page = html(hostile_site, url)
        assert "<script>alert(1)</script>" not in page
    page = html(hostile_site, "fragor")
    assert "Är &lt;script&gt;alert(1)&lt;/script&gt; <em>farligt</em>?" in page
    index = (hostile_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in index


def test_quotes_in_a_title_stay_inside_their_attributes(hostile_site: Path) -> None:
    page = html(hostile_site, f"arbetsblad/{BANK.worksheets[0].id}")
    expected = 'Båda "synerna" & <mer> \\ sist'
    for prop in ("og:title", "twitter:title"):
        match = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', page)
        assert match and unescape(match.group(1)) == expected, prop
    heading = re.search(r"<h1[^>]*>([^<]*)", page)
    assert heading and unescape(heading.group(1)).strip() == expected


def test_canonical_urls_under_a_sub_path(hostile_site: Path) -> None:
    assert '<link rel="canonical" href="https://exempel.se/fack/guide/forberedelse/">' in html(hostile_site, "forberedelse")
    assert '<link rel="canonical" href="https://exempel.se/fack/guide/">' in html(hostile_site, "")
    # Links inside the site stay relative, so the copy in site/ works wherever it is put.
    assert 'href="../fragor/#' in html(hostile_site, "forberedelse")


def broken_build(tmp_path: Path, edit: str, replacement: str) -> tuple[int, str, Path]:
    root = copy_project(tmp_path)
    bank_file = root / "questions.yaml"
    text = bank_file.read_text(encoding="utf-8")
    assert edit in text
    bank_file.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    site = root / "site"
    site.mkdir()
    (site / "earlier-build.html").write_text("kept", encoding="utf-8")
    result = build_site(site, root=root, env=NO_PDF, check=False)
    return result.returncode, result.stdout + result.stderr, site


def test_broken_bank_stops_the_build_and_leaves_site_untouched(tmp_path: Path) -> None:
    first = BANK.questions[0]
    code, output, site = broken_build(tmp_path, f"  - id: {first.id}\n", f"  - id: {first.id}\n    tekst: x\n")
    assert code != 0
    assert re.search(rf"questions\.yaml:\d+:5: fråga '{first.id}': okänd nyckel 'tekst'", output), output
    assert sorted(p.name for p in site.iterdir()) == ["earlier-build.html"]


def test_unknown_marker_name_names_page_and_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    page = root / "content" / "om.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- samtal:fragorna phase=forberedelse -->\n", encoding="utf-8")
    result = build_site(root / "site", root=root, env=NO_PDF, check=False)
    assert result.returncode != 0
    lines = page.read_text(encoding="utf-8").count("\n")
    assert f"om.md:{lines}: okänd markör 'samtal:fragorna'" in result.stdout + result.stderr
    assert not (root / "site").exists()


def test_broken_marker_names_page_and_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    page = root / "content" / "om.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- samtal:questions phase=okand -->\n", encoding="utf-8")
    site = root / "site"
    result = build_site(site, root=root, env=NO_PDF, check=False)
    assert result.returncode != 0
    lines = page.read_text(encoding="utf-8").count("\n")
    assert f"om.md:{lines}: fasen 'okand' finns inte" in result.stdout + result.stderr
    assert not site.exists()


def test_generator_templates_are_not_published(site: Path) -> None:
    assert not (site / "samtal").exists()
    assert not list(site.rglob("*.j2"))
