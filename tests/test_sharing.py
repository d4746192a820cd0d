"""Sharing: links to every part, worksheets made by a link, open data, the organisation's own guide."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from conftest import ROOT, build_site
from project import copy_project
from samtal.bank import load_bank
from samtal.markup import plain as plain_text

BANK = load_bank(ROOT / "questions.yaml").bank


def pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]


def meta(page_html: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', page_html)
    assert match, prop
    return unescape(match.group(1))


# --------------------------------------------------------------------------- link previews


def test_every_page_has_link_preview_meta_pointing_at_the_site(site: Path, base_url: str) -> None:
    for path in pages(site):
        text = path.read_text(encoding="utf-8")
        if path.name == "404.html":
            continue
        assert meta(text, "og:title"), path
        assert meta(text, "og:description"), path
        rel = path.parent.relative_to(site).as_posix()
        assert meta(text, "og:url") == base_url + ("" if rel == "." else rel + "/"), path
        version = rel.split("/")[0] + "/" if rel.split("/")[0] in {"en", "lattlast"} else ""
        assert meta(text, "og:image") == base_url + version + "assets/images/forhandsvisning.png"
        assert meta(text, "twitter:card") == "summary_large_image"
    image = site / "assets" / "images" / "forhandsvisning.png"
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_phase_page_preview_uses_its_own_description(site: Path) -> None:
    text = (site / "forberedelse" / "index.html").read_text(encoding="utf-8")
    assert meta(text, "og:title") == "Förberedelse"
    assert meta(text, "og:description") == meta(text, "description")


# --------------------------------------------------------------------------- open data


def test_json_export_matches_the_bank_exactly(site: Path) -> None:
    data = json.loads((site / "fragor.json").read_text(encoding="utf-8"))
    assert data["licence"]["name"] == "CC BY 4.0"
    expected = [
        {
            "id": q.id,
            "phase": q.phase,
            "topic": q.topic,
            "for": q.audience,
            "text": plain_text(q.text),
            "hint": plain_text(q.hint),
            "answer": q.answer,
        }
        for q in BANK.questions
    ]
    assert [{key: entry[key] for key in expected[0]} for entry in data["questions"]] == expected
    assert [entry.get("follow_up", "") for entry in data["questions"]] == [plain_text(q.follow_up or "") for q in BANK.questions]
    assert [p["id"] for p in data["phases"]] == [p.id for p in BANK.phases]
    assert [s["id"] for s in data["sets"]] == [s.id for s in BANK.sets]


def test_csv_export_matches_the_bank_exactly(site: Path) -> None:
    raw = (site / "fragor.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so spreadsheets read å, ä, ö right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [q.id for q in BANK.questions]
    for row, q in zip(rows, BANK.questions, strict=True):
        assert (row["phase"], row["topic"], row["for"], row["text"], row["hint"], row["answer"]) == (
            q.phase,
            q.topic,
            q.audience,
            plain_text(q.text),
            plain_text(q.hint),
            q.answer,
        )


# --------------------------------------------------------------------------- links for representatives


def test_representatives_page_lists_links_and_handouts_without_a_loopback_qr(site: Path) -> None:
    text = (site / "fortroendevalda" / "index.html").read_text(encoding="utf-8")
    items = re.findall(r'<section class="samtal-share__item samtal-share__item--no-qr" id="lank-([a-z0-9-]+)"', text)
    expected = {f"blad-{s.id}" for s in BANK.sheets} | {f"del-{p.id}" for p in BANK.phases} | {"alla-fragor"}
    assert expected <= set(items)
    # The session's site is built for its loopback address: paper and pages carry no QR code
    # or printed address that would lead to the reader's own computer (tests/test_pdf.py
    # checks the codes of a build for a public address).
    assert "QR-kod till" not in text
    for item in items:
        handout = (site / "utdelning" / item / "index.html").read_text(encoding="utf-8")
        assert "samtal-handout__qr" not in handout
        assert (site / "pdf" / f"utdelning-{item}.pdf").stat().st_size > 1000
    for s in BANK.set_sheets:
        assert f'href="../arbetsblad/{s.id}/"' in text


def test_every_set_has_a_page_and_a_pdf(site: Path) -> None:
    assert BANK.set_sheets
    for s in BANK.set_sheets:
        page = (site / "arbetsblad" / s.id / "index.html").read_text(encoding="utf-8")
        keys = re.findall(r'data-samtal-key="([a-z0-9-]+)"', page)
        assert [k for k in keys if BANK.has_question(k)] == [q.id for q in s.questions]
        assert (site / "pdf" / f"{s.id}.pdf").exists()


# --------------------------------------------------------------------------- in the browser


def custom_link(base_url: str, ids: list[str], title: str) -> str:
    return f"{base_url}arbetsblad/eget/?fragor={','.join(ids)}&titel={quote(title)}"


@pytest.mark.browser
def test_link_with_three_ids_renders_them_in_order_and_keeps_answers(page: Any, base_url: str) -> None:
    ids = [BANK.questions[40].id, BANK.questions[3].id, BANK.questions[20].id]
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(custom_link(base_url, ids, "Vårt blad"))
    form = page.locator("form[data-samtal-sheet]")
    form.wait_for()
    assert f"{base_url}fragor.json" in fetched
    keys = form.locator("[data-samtal-questions] [data-samtal-key]").evaluate_all("els => els.map(e => e.dataset.samtalKey)")
    assert keys == ids
    for qid in ids:
        q = BANK.question(qid)
        block = form.locator(f'[data-samtal-key="{qid}"]')
        assert block.get_attribute("id") == qid
        assert block.get_attribute("data-samtal-label") == plain_text(q.text)
        assert plain_text(q.text) in block.inner_text() and plain_text(q.hint) in block.inner_text()
        assert "SAMTAL_" not in block.inner_html() and "platshallare" not in block.inner_html()
    assert page.locator("article h1").inner_text() == "Vårt blad"
    answers: dict[str, str | None] = {}
    for qid in ids:
        q = BANK.question(qid)
        block = form.locator(f'[data-samtal-key="{qid}"]')
        if q.answer in ("text", "line"):
            value = f"Svar på {qid} med åäö"
            block.locator("textarea, input").first.fill(value)
            answers[qid] = value
        else:
            block.locator("input[type=radio]").first.check()
            answers[qid] = None
    page.wait_for_timeout(300)
    page.reload()
    form.wait_for()
    for qid, typed in answers.items():
        block = form.locator(f'[data-samtal-key="{qid}"]')
        if typed is None:
            assert block.locator("input[type=radio]").first.is_checked()
        else:
            assert block.locator("textarea, input").first.input_value() == typed


@pytest.mark.browser
def test_unknown_id_and_markup_in_title_are_shown_as_text(page: Any, base_url: str) -> None:
    known = BANK.questions[0].id
    title = "<script>window.injected=1</script><b>Fet</b>"
    page.goto(custom_link(base_url, [known, "finns-inte", "<img src=x onerror=alert(1)>"], title))
    page.locator("form[data-samtal-sheet]").wait_for()
    assert page.locator("article h1").inner_text() == title
    assert page.locator("article h1 b, article h1 script").count() == 0
    notice = page.locator("[data-samtal-custom-unknown]")
    assert notice.is_visible()
    assert "finns-inte" in notice.inner_text()
    assert "<img src=x onerror=alert(1)>" in notice.inner_text()
    assert page.locator("[data-samtal-custom-unknown] img").count() == 0
    assert page.evaluate("window.injected") is None
    assert page.locator("form [data-samtal-questions] [data-samtal-key]").count() == 1


@pytest.mark.browser
def test_overlong_link_does_not_break_the_page(page: Any, base_url: str) -> None:
    ids = [q.id for q in BANK.questions] * 30 + ["x" * 5000]
    page.goto(custom_link(base_url, ids, "T" * 3000))
    page.locator("form[data-samtal-sheet]").wait_for()
    assert len(page.locator("article h1").inner_text()) <= 120
    count = page.locator("form [data-samtal-questions] [data-samtal-key]").count()
    assert 0 < count <= len(BANK.questions)
    assert not page.js_errors, page.js_errors


@pytest.mark.browser
def test_old_page_names_redirect(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}medarbetarsamtal/")
    page.wait_for_url(base_url)
    assert page.locator("article h1").count() == 1


# --------------------------------------------------------------------------- the organisation's own guide


@pytest.fixture(scope="module")
def org_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("org-site")
    build_site(dest, config="orgs/exempel.yml")
    return dest


def test_example_organisation_is_on_pages_and_in_pdfs(org_site: Path, site: Path) -> None:
    from pypdf import PdfReader

    help_page = (org_site / "efterarbete" / "index.html").read_text(encoding="utf-8")
    assert "Rådgivningen" in help_page and "0771-00 00 00" in help_page
    assert "avdelning@exempelforbundet.invalid" in help_page
    assert "Rådgivningen" not in (site / "efterarbete" / "index.html").read_text(encoding="utf-8")
    for path in pages(org_site):
        text = path.read_text(encoding="utf-8")
        if path.name != "404.html":
            assert "Utgiven av Exempelförbundet" in text, path
    assert '<img src="assets/images/organisation-logo.svg" alt="Exempelförbundet">' in (org_site / "index.html").read_text(
        encoding="utf-8"
    )
    assert (org_site / "assets" / "images" / "organisation-logo.svg").read_bytes() == (
        ROOT / "orgs" / "exempel-logo.svg"
    ).read_bytes()
    css = (org_site / "assets" / "stylesheets" / "organisation.css").read_text(encoding="utf-8")
    assert "#7a1f4d" in css
    for pdf in ("forberedelse", "checklista-forberedelse", "hela-samtalet", "utdelning-blad-forberedelse"):
        reader = PdfReader(org_site / "pdf" / f"{pdf}.pdf")
        text = "\n".join(p.extract_text() for p in reader.pages)
        assert "Exempelförbundet" in text, pdf
        assert "din fackliga organisation ·" not in text, pdf
    booklet = "\n".join(p.extract_text() for p in PdfReader(org_site / "pdf" / "hela-samtalet.pdf").pages)
    assert "0771-00 00 00" in booklet


def test_a_too_light_organisation_colour_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    copy_project(root)
    light = (root / "orgs" / "exempel.yml").read_text(encoding="utf-8").replace('"#7a1f4d"', '"#ffee88"')
    (root / "orgs" / "ljus.yml").write_text(light, encoding="utf-8")
    result = build_site(tmp_path / "site", root=root, config="orgs/ljus.yml", env={"SAMTAL_PDF": "off"}, check=False)
    assert result.returncode != 0
    assert "färgen #ffee88 är för ljus" in result.stdout + result.stderr
