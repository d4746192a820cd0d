"""Real builds of the guide and of the example guide, and assertions on what they wrote."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, build_in_process, build_site
from project import copy_project
from samtal import csp
from samtal.bank import load_bank
from samtal.fields import question_controls

BANK = load_bank(ROOT / "questions.yaml").bank
NO_PDF = {"SAMTAL_PDF": "off"}
EXAMPLE = ROOT / "examples" / "one-to-one"


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "url",
    [
        "",
        "forberedelse",
        "under-samtalet",
        "efterarbete",
        "handlingsplan",
        "fragor",
        "arbetsblad",
        "lonesamtal",
        "fortroendevalda",
        "om",
    ],
)
def test_stable_urls_exist(site: Path, url: str) -> None:
    page = html(site, url)
    assert "<h1" in page
    assert '<html lang="sv"' in page


def test_every_worksheet_has_its_page_with_the_fields_the_engine_names(site: Path) -> None:
    for sheet in BANK.sheets:
        page = html(site, f"arbetsblad/{sheet.id}")
        assert f'data-samtal-sheet="{sheet.id}"' in page
        for q in sheet.questions:
            assert f'id="{q.id}"' in page
            for control in question_controls(q, sheet.layout, BANK.sheet):
                assert f'name="{control.name}"' in page, (sheet.id, control.name)


def test_questions_page_has_every_question_with_its_anchor(site: Path) -> None:
    page = html(site, "fragor")
    anchors = re.findall(r'<div class="samtal-question"[^>]*\sid="([a-z0-9-]+)"', page)
    assert anchors == [q.id for _, topics in BANK.grouped(BANK.questions) for _, qs in topics for q in qs]
    assert page.count('data-samtal-copy aria-label="Kopiera länk till frågan:') == len(BANK.questions)


def test_retired_ids_still_land_on_the_questions_page(site: Path) -> None:
    page = html(site, "fragor")
    for retired in BANK.retired:
        assert f'id="{retired.id}"' in page
        if retired.replaced_by:
            # The old anchor sits inside the question that replaced it.
            block = page[page.index(f'id="{retired.replaced_by}"') :]
            assert block.index(f'id="{retired.id}"') < block.index("</div>")


def test_questions_are_grouped_by_phase_then_topic(site: Path) -> None:
    page = html(site, "fragor")
    positions = [page.index(f'id="fas--{p.id}"') for p in BANK.phases]
    assert positions == sorted(positions)
    first = BANK.questions[0]
    assert (
        page.index(f'id="fas--{first.phase}"') < page.index(f'id="{first.phase}--{first.topic}"') < page.index(f'id="{first.id}"')
    )


def test_phase_pages_pull_in_their_questions_and_link_to_the_bank(site: Path) -> None:
    page = html(site, "forberedelse")
    ours = [q for q in BANK.questions if q.phase == "forberedelse"]
    assert any(f'href="../fragor/#{q.id}"' in page for q in ours)
    assert "<!-- samtal:" not in page


def test_search_index_has_each_question_as_its_own_entry_without_control_text(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["sv"]
    by_location = {d["location"]: d for d in index["docs"]}
    for q in BANK.questions:
        entry = by_location[f"fragor/#{q.id}"]
        assert entry["title"] and "<" not in entry["title"]
    for doc in index["docs"]:
        assert "Kopiera länk" not in doc["text"], doc["location"]


def test_no_external_resources_in_any_page(site: Path) -> None:
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag, url in re.findall(r'<(\w+)[^>]*?\s(?:src|href)="(https?://[^"]+)"', text):
            # Only links a reader follows (and canonical/alternate links) may be absolute.
            assert tag in {"a", "link"}, (path, tag, url)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_every_page_has_the_fixed_policy_and_no_inline_script(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert any('http-equiv="refresh"' in p.read_text(encoding="utf-8") for p in pages), "redirect pages are checked too"
    for path in pages:
        text = path.read_text(encoding="utf-8")
        match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert match, path
        assert unescape(match.group(1)) == csp.POLICY, path
        for attrs, _ in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.DOTALL):
            # Data blocks (Material's configuration) are not scripts; everything else comes from a file.
            assert "src=" in attrs or 'type="application/json"' in attrs, (path, attrs)
        if "<script" in text:
            assert text.index("Content-Security-Policy") < text.index("<script"), path
        assert not re.search(r"\son[a-z]+=", text), path


def test_no_id_is_used_twice_on_a_page(site: Path) -> None:
    for path in site.rglob("*.html"):
        # What is inside <template> is not part of the page until a script uses it.
        text = re.sub(r"<template\b.*?</template>", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        ids = re.findall(r'\sid="([^"]+)"', text)
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert not repeated, (path, repeated)


def test_search_language_and_fonts(site: Path) -> None:
    page = html(site, "")
    assert (site / "assets" / "javascripts" / "lunr" / "min" / "lunr.sv.min.js").exists()
    assert 'placeholder="Sök"' in page
    assert "--md-text-font" not in page


def test_open_data_exports_match_the_bank(site: Path) -> None:
    data = json.loads((site / "fragor.json").read_text(encoding="utf-8"))
    assert [q["id"] for q in data["questions"]] == [q.id for q in BANK.questions]
    assert data["licence"]["name"] == "CC BY 4.0"
    csv_text = (site / "fragor.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == '"id","phase","topic","for","text","hint","answer","follow_up"'
    assert len(csv_text.splitlines()) == len(BANK.questions) + 1


def test_generator_files_are_not_published(site: Path) -> None:
    assert not (site / "samtal").exists()
    assert not list(site.rglob("*.j2"))
    assert not list(site.rglob("*.yml"))


def broken_build(tmp_path: Path, edit: str, replacement: str, file: str = "questions.yaml") -> tuple[int, str, Path]:
    root = copy_project(tmp_path / "project")
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert edit in text
    path.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    site = tmp_path / "site"
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


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("<!-- samtal:fragorna phase=forberedelse -->", "okänd markör 'samtal:fragorna'"),
        ("<!-- samtal:questions phase=okand -->", "fasen 'okand' finns inte"),
        ("<!-- samtal:questions PHASE=forberedelse -->", "'PHASE=forberedelse' i markören samtal:questions går inte att läsa"),
        ("<!-- samtal:questions topic=lon> -->", "går inte att läsa"),
        ("<!-- samtal:questions colour=red -->", "markören känner inte till colour="),
        ("<!-- samtal: questions -->", "ser ut som en markör men går inte att läsa"),
    ],
)
def test_a_bad_marker_names_page_and_line_and_leaves_site_untouched(tmp_path: Path, marker: str, expected: str) -> None:
    code, output, site = broken_build(tmp_path, "\n", f"\n\n{marker}\n", file="content/om.md")
    assert code != 0
    assert re.search(r"content/om\.md|om\.md:\d+:", output) and expected in output, output
    assert sorted(p.name for p in site.iterdir()) == ["earlier-build.html"]


def test_a_page_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "content" / "om.md").write_bytes("# Om\n\nÅr och dag\n".encode("latin-1"))
    result = build_site(tmp_path / "site", root=root, env=NO_PDF, check=False)
    assert result.returncode != 0
    assert "om.md:3: sidan är inte sparad som UTF-8" in result.stdout + result.stderr


def test_a_phase_without_its_page_stops_the_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "content" / "efterarbete.md").unlink()
    result = build_site(tmp_path / "site", root=root, env=NO_PDF, check=False)
    assert result.returncode != 0
    assert "fasen 'efterarbete' har sidan 'efterarbete.md', men den finns inte" in result.stdout + result.stderr


# --------------------------------------------------------------------------- one engine, any guide


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("example-site")
    build_site(site, root=ROOT, config=str(EXAMPLE / "mkdocs.yml"))
    return site


SWEDISH_WORDS = re.compile(
    r"\b(och|att|är|för|frågor|arbetsblad|svar|kopiera|länk|sida|skriv|ut|spara|öppna|rensa|ångra|mål|datum|chef|medarbetare)\b"
    r"|[åäöÅÄÖ]",
    re.IGNORECASE,
)


def visible_text(markup: str) -> str:
    """What a reader sees or hears: text and the attributes read aloud, not addresses or code."""
    markup = re.sub(r"<(script|style|template)\b.*?</\1>", " ", markup, flags=re.DOTALL)
    spoken = " ".join(
        re.findall(r'\s(?:aria-label|alt|title|placeholder|content|data-samtal-label|data-samtal-show)="([^"]*)"', markup)
    )
    text = re.sub(r"<[^>]+>", " ", markup)
    return unescape(f"{text} {spoken}")


TEXT_KEYS = {"title", "text", "hint", "follow_up", "description", "publisher"}


def json_texts(data: object) -> list[str]:
    """The texts a reader sees in a JSON export: titles, texts and hints, not ids or locations."""
    if isinstance(data, dict):
        return [v for k, v in data.items() if k in TEXT_KEYS and isinstance(v, str)] + [
            t for v in data.values() for t in json_texts(v)
        ]
    if isinstance(data, list):
        return [t for v in data for t in json_texts(v)]
    return []


def test_the_example_guide_is_built_from_its_own_folder(example_site: Path) -> None:
    data = json.loads((example_site / "fragor.json").read_text(encoding="utf-8"))
    assert [q["id"] for q in data["questions"]][:2] == ["top-priorities", "blockers"]
    assert '<html lang="en"' in html(example_site, "")
    assert (example_site / "pdf" / "prepare.pdf").is_file()


def test_no_swedish_word_in_the_english_example(example_site: Path) -> None:
    found: list[tuple[str, str]] = []
    for path in example_site.rglob("*"):
        if path.suffix in {".html", ".json", ".js", ".csv"} and "lunr" not in path.parts and "workers" not in path.parts:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".html":
                text = visible_text(text)
            elif path.suffix == ".json":
                text = " ".join(json_texts(json.loads(text)))
            elif path.suffix == ".js" and path.name != "strings.js":
                continue  # code: its words come from strings.js
            for match in SWEDISH_WORDS.finditer(text):
                found.append((str(path.relative_to(example_site)), text[max(0, match.start() - 30) : match.end() + 30]))
    assert not found, found[:20]


def test_no_swedish_word_in_the_english_example_pdfs(example_site: Path) -> None:
    from pypdf import PdfReader

    for path in (example_site / "pdf").glob("*.pdf"):
        reader = PdfReader(path)
        text = " ".join(page.extract_text() for page in reader.pages)
        fields = " ".join(str(f.get("/TU", "")) for f in (reader.get_fields() or {}).values())
        assert not SWEDISH_WORDS.search(f"{text} {fields} {reader.metadata}"), (path.name, SWEDISH_WORDS.findall(text)[:5])


def test_a_missing_string_fails_the_strict_build_with_file_and_key(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    strings = root / "overrides" / "samtal" / "strings" / "en.yml"
    strings.write_text(strings.read_text(encoding="utf-8").replace("  undo: Undo\n", ""), encoding="utf-8")
    result = build_site(tmp_path / "site", root=root, config="examples/one-to-one/mkdocs.yml", env=NO_PDF, check=False)
    assert result.returncode != 0
    assert "en.yml: texten 'tools.undo' saknas" in result.stdout + result.stderr


def test_links_are_right_without_directory_urls(tmp_path: Path) -> None:
    """With use_directory_urls: false every href and src in the site leads to a file."""
    site = tmp_path / "site"
    build_in_process(ROOT / "mkdocs.yml", site, env=NO_PDF, use_directory_urls=False)
    missing = []
    for path in site.rglob("*.html"):
        text = re.sub(r"<template\b.*?</template>", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        # The language switch leads to the other versions, built beside this one by `make build`.
        text = re.sub(r"<(?:a|link)\b[^>]*\shreflang=[^>]*>", "", text)
        for url in re.findall(r'\s(?:href|src)="([^"]+)"', text):
            parts = urlsplit(unescape(url))
            if parts.scheme or parts.netloc or not parts.path:
                continue
            base = site if parts.path.startswith("/") else path.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                missing.append((str(path.relative_to(site)), url))
    assert not missing, missing[:20]
    assert (site / "arbetsblad" / "forberedelse.html").exists()


def test_two_builds_in_one_process_share_nothing(tmp_path: Path) -> None:
    build_in_process(EXAMPLE / "mkdocs.yml", tmp_path / "a", env=NO_PDF)
    build_in_process(ROOT / "mkdocs.yml", tmp_path / "b", env=NO_PDF)
    build_in_process(EXAMPLE / "mkdocs.yml", tmp_path / "c", env=NO_PDF)
    assert "top-priorities" in (tmp_path / "c" / "fragor.json").read_text(encoding="utf-8")
    assert "top-priorities" not in (tmp_path / "b" / "fragor.json").read_text(encoding="utf-8")
    assert (tmp_path / "a" / "fragor.json").read_bytes() == (tmp_path / "c" / "fragor.json").read_bytes()


def test_an_edited_engine_takes_effect_on_the_next_build(tmp_path: Path) -> None:
    """Under `mkdocs serve` MkDocs keeps the hook module; an edit under hooks/samtal/ must still count."""
    root = copy_project(tmp_path / "project")
    config = root / "examples" / "one-to-one" / "mkdocs.yml"
    build_in_process(config, tmp_path / "a", env=NO_PDF)
    exports = root / "hooks" / "samtal" / "exports.py"
    exports.write_text(exports.read_text(encoding="utf-8").replace("FORMAT_VERSION = 2", "FORMAT_VERSION = 99"), encoding="utf-8")
    build_in_process(config, tmp_path / "b", env=NO_PDF)
    assert json.loads((tmp_path / "b" / "fragor.json").read_text(encoding="utf-8"))["format"] == 99
