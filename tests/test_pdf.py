"""The PDFs as a person meets them: opened with pypdf, measured on the page, decoded.

Three builds of the real guide are read here:

- ``site`` (conftest): built for the address the tests serve it at, a loopback
  address, so its PDFs have no QR codes and no printed addresses;
- ``local_site``: built with no ``site_url`` at all, as ``make build`` does
  without ``SITE_URL``;
- ``public_site``: built with ``SITE_URL=https://exempel.se/guide/``, so its
  PDFs and handouts carry QR codes and addresses.

Field names are checked against :mod:`samtal.fields` (the one function that
makes them), layout by the positions of text and form fields on each page.
The cache and reproducibility tests run the PDF engine in this process.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from conftest import ROOT, build_site, serve
from project import copy_project, pdf_inputs
from samtal import fields, paths, pdf
from samtal.bank import load_bank
from samtal.model import Bank, Worksheet

PUBLIC = "https://exempel.se/guide/"
LOOPBACK = (b"127.0.0.1", b"localhost")
MM = 72 / 25.4
PAGE_HEIGHT_MM = 297.0
HEADER_BAND = 13.0  # mm from the top: the running header lives above this
FOOTER_BAND = 281.0  # mm from the top: the page footer lives below this
MAX_SHEET_BYTES = 100 * 1024
MAX_BOOKLET_BYTES = 200 * 1024
BANK: Bank = load_bank(ROOT / "questions.yaml").bank


# --------------------------------------------------------------------------- builds


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("public-site")
    build_site(dest, env={"SITE_URL": PUBLIC})
    return dest


@pytest.fixture(scope="module")
def local_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``make build`` with no SITE_URL: no site_url at all."""
    dest = tmp_path_factory.mktemp("local-site")
    saved = os.environ.pop("SITE_URL", None)
    try:
        result = build_site(dest)
    finally:
        if saved is not None:
            os.environ["SITE_URL"] = saved
    (dest.parent / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return dest


def test_a_build_without_a_public_address_says_how_to_set_one(local_site: Path) -> None:
    log = (local_site.parent / "build.log").read_text(encoding="utf-8")
    assert "Ingen offentlig webbadress" in log and "SITE_URL=https://" in log, log[-2000:]


@pytest.fixture(params=["site", "public_site"])
def any_site(request: pytest.FixtureRequest) -> Path:
    """The tests of layout run on the PDFs without and with QR codes."""
    site_dir: Path = request.getfixturevalue(request.param)
    return site_dir


def reader(site: Path, doc_id: str) -> PdfReader:
    return PdfReader(site / paths.pdf_src(doc_id))


def catalog(doc: PdfReader) -> Any:
    """The document catalog (/Root): pypdf's PdfObject, read as a dictionary."""
    return doc.trailer["/Root"]


def title(doc: PdfReader) -> str:
    assert doc.metadata is not None
    return str(doc.metadata.title)


def document_ids() -> list[str]:
    from samtal.strings import ENGINE_DIR, load_strings

    return pdf.document_ids(BANK, load_strings("sv", [ENGINE_DIR]))


# --------------------------------------------------------------------------- reading pages


@dataclass(frozen=True)
class Run:
    """A run of text on a page: its baseline's distance from the top of the page and its left edge, in mm."""

    top: float
    left: float
    text: str


@dataclass(frozen=True)
class Widget:
    """A form field on a page, in mm from the page's top left corner."""

    name: str
    left: float
    top: float
    right: float
    bottom: float


def runs(page: Any) -> list[Run]:
    height = float(page.mediabox.height)
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Run((height - y) / MM, x / MM, " ".join(text.split())))

    page.extract_text(visitor_text=visit)
    return found


def widgets(page: Any) -> list[Widget]:
    height = float(page.mediabox.height)
    found = []
    for reference in page.get("/Annots", []) or []:
        annotation = reference.get_object()
        if "/T" not in annotation:
            continue
        x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
        found.append(
            Widget(
                str(annotation["/T"]),
                min(x1, x2) / MM,
                (height - max(y1, y2)) / MM,
                max(x1, x2) / MM,
                (height - min(y1, y2)) / MM,
            )
        )
    return found


def body_extent(page: Any) -> tuple[float, float] | None:
    """Top and bottom (mm) of what a page holds between its running header and footer."""
    ys = [r.top for r in runs(page) if HEADER_BAND < r.top < FOOTER_BAND]
    for w in widgets(page):
        ys += [w.top, w.bottom]
    return (min(ys), max(ys)) if ys else None


def header(page: Any) -> list[str]:
    """The running header's texts, left to right."""
    return [r.text for r in sorted((r for r in runs(page) if r.top < HEADER_BAND), key=lambda r: r.left)]


def words(text: str) -> str:
    return " ".join(text.split())


def all_text(doc: PdfReader) -> str:
    return words(" ".join(page.extract_text() for page in doc.pages))


def annotation_names(doc: PdfReader) -> list[str]:
    return [w.name for page in doc.pages for w in widgets(page)]


def structure(node: Any, depth: int = 0) -> Iterator[DictionaryObject]:
    """Every element of a structure tree."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if not isinstance(node, DictionaryObject) or depth > 80:
        return
    yield node
    kids = node.get("/K")
    if kids is None:
        return
    kids = kids.get_object() if hasattr(kids, "get_object") else kids
    for kid in kids if isinstance(kids, ArrayObject | list) else [kids]:
        yield from structure(kid, depth + 1)


# --------------------------------------------------------------------------- what each PDF is


def expected_names(sheet: Worksheet, prefix: str = "", *, in_booklet: bool = False) -> list[str]:
    """The PDF field names of a sheet, made by samtal.fields (a choice is a box per option).

    In the booklet a sheet has neither the fields about the talk (the cover has
    them) nor its own checklist (it stands under the sheet's phase).
    """
    names = []
    shown = replace(sheet, checklist=None) if in_booklet else sheet
    header = {c.name for c in fields.header_controls(BANK.sheet, prefix)} if in_booklet else set()
    for control in fields.sheet_controls(BANK, shown, prefix):
        if control.name not in header:
            names += [box.name for box in control.boxes()] if control.kind == "choice" else [control.name]
    return names


def test_every_document_is_a_tagged_pdf_in_the_guides_language(site: Path) -> None:
    ids = document_ids()
    assert len(ids) == len(set(ids))
    assert {s.id for s in BANK.sheets} | {c.id for c in BANK.checklists} | {paths.BOOKLET_ID} <= set(ids)
    for doc_id in ids:
        doc = reader(site, doc_id)
        root = catalog(doc)
        assert len(doc.pages) >= 1, doc_id
        assert doc.metadata is not None and doc.metadata.title, doc_id
        assert root["/Lang"] == "sv", doc_id
        assert root["/MarkInfo"]["/Marked"], doc_id
        kinds = {str(node.get("/S")) for node in structure(root["/StructTreeRoot"])}
        assert {"/Document", "/H1"} <= kinds, f"{doc_id}: {kinds}"
    assert not [p for p in (site / "pdf").iterdir() if p.name.startswith(".") or p.stat().st_size == 0]


def test_titles_in_the_metadata_are_the_banks(site: Path) -> None:
    for sheet in BANK.sheets:
        assert title(reader(site, sheet.id)) == sheet.title
    for checklist in BANK.checklists:
        assert title(reader(site, checklist.id)) == checklist.title
    assert title(reader(site, paths.BOOKLET_ID)) == "Hela samtalet"


def test_field_names_are_made_by_fields_py(site: Path) -> None:
    for sheet in BANK.sheets:
        names = annotation_names(reader(site, sheet.id))
        assert names == expected_names(sheet), sheet.id
    for checklist in BANK.checklists:
        names = annotation_names(reader(site, checklist.id))
        assert names == [c.name for c in fields.checklist_controls(checklist)]


def test_field_kinds_follow_the_answer_kind(site: Path) -> None:
    for sheet in BANK.sheets:
        doc_fields = reader(site, sheet.id).get_fields() or {}
        for question in sheet.questions:
            for control in fields.question_controls(question, sheet.layout, BANK.sheet):
                if control.kind == "choice":
                    for box in control.boxes():
                        field = doc_fields[box.name]
                        assert field["/FT"] == "/Btn" and not int(field.get("/Ff", 0)) & (1 << 15), f"{box.name}: not a check box"
                else:
                    field = doc_fields[control.name]
                    multiline = bool(int(field.get("/Ff", 0)) & (1 << 12))
                    assert field["/FT"] == "/Tx", control.name
                    assert multiline == (control.kind == "text"), control.name


def test_field_map_for_the_browser_matches_each_pdf(site: Path) -> None:
    """pdf/<id>.fields.json names exactly the PDF's fields (the browser fills and reads it)."""
    for sheet in BANK.sheets:
        mapping = json.loads((site / paths.pdf_fields_src(sheet.id)).read_text(encoding="utf-8"))
        assert mapping == json.loads(json.dumps(fields.pdf_field_map(BANK, sheet)))
        assert set(mapping["fields"]) == set(annotation_names(reader(site, sheet.id))), sheet.id


def test_check_boxes_carry_a_default_appearance(site: Path) -> None:
    """Readers that redraw fields (NeedAppearances) can draw a tick."""
    doc = reader(site, "checklista-forberedelse")
    form = catalog(doc)["/AcroForm"]
    assert "/ZaDb" in form["/DR"]["/Font"]
    annotations: Any = doc.pages[0]["/Annots"]
    for reference in annotations:
        annotation = reference.get_object()
        assert annotation["/DA"] == "/ZaDb 0 Tf 0 g"
        assert annotation["/MK"]["/CA"] == "4"
        assert "/on" in annotation["/AP"]["/N"]


# --------------------------------------------------------------------------- the booklet


def booklet_sections() -> dict[str, tuple[str, str]]:
    """Every section of the booklet: id -> (its title, its phase's title)."""
    sections = {}
    for checklist in BANK.checklists:
        sections[checklist.id] = (checklist.title, BANK.phase(checklist.phase).title)
    for sheet in BANK.worksheets:
        sections[sheet.id] = (sheet.title, BANK.phase(sheet.phase).title if sheet.phase else "Fler arbetsblad")
    return sections


def test_booklet_has_each_checklist_once_and_unique_field_names(site: Path) -> None:
    doc = reader(site, paths.BOOKLET_ID)
    names = annotation_names(doc)
    assert len(names) == len(set(names)), "a field name repeats in the booklet"
    assert not [n for n in names if re.match(r"^([a-z0-9-]+)--\1--", n)], "doubled prefixes"
    expected = [c.name for c in fields.header_controls(BANK.sheet, paths.BOOKLET_ID)]
    for phase in BANK.phases:
        for checklist in BANK.checklists:
            if checklist.phase == phase.id:
                expected += [c.name for c in fields.checklist_controls(checklist)]
        for sheet in BANK.worksheets:
            if sheet.phase == phase.id:
                expected += expected_names(sheet, sheet.id, in_booklet=True)
    for sheet in BANK.worksheets:
        if sheet.phase is None:
            expected += expected_names(sheet, sheet.id, in_booklet=True)
    # In this order: the cover, then each phase with its checklist first.
    assert names == expected


def test_booklet_running_headers_name_the_section_of_each_page(any_site: Path) -> None:
    doc = reader(any_site, paths.BOOKLET_ID)
    sections = booklet_sections()
    assert header(doc.pages[0]) == [], "the cover has no running header"
    for number, page in enumerate(doc.pages[1:], start=2):
        placed = widgets(page)
        assert placed, f"page {number} has no field"
        first = min(placed, key=lambda w: (w.top, w.left))
        section = first.name.split("--")[0]
        title, phase = sections[section]
        assert header(page) == [title, phase], f"page {number} begins in '{title}' ({phase})"


def test_no_page_holds_less_than_a_quarter_page(any_site: Path) -> None:
    usable = FOOTER_BAND - HEADER_BAND
    for doc_id in document_ids():
        doc = reader(any_site, doc_id)
        for number, page in enumerate(doc.pages[:-1], start=1):
            extent = body_extent(page)
            assert extent is not None, f"{doc_id} page {number} is empty"
            top, bottom = extent
            assert bottom - top >= usable / 4, f"{doc_id} page {number} holds {bottom - top:.0f} mm"


# --------------------------------------------------------------------------- worksheets


def test_worksheets_fit_in_two_to_four_pages(site: Path) -> None:
    for sheet in BANK.sheets:
        count = len(reader(site, sheet.id).pages)
        assert count <= 4, f"{sheet.id}: {count} pages"
    assert len(reader(site, "forberedelse").pages) >= 2


def test_worksheet_pages_are_headed_by_the_sheets_title(site: Path) -> None:
    for sheet in BANK.sheets:
        doc = reader(site, sheet.id)
        assert header(doc.pages[0]) == []
        for page in doc.pages[1:]:
            assert header(page) == [sheet.title], sheet.id


def test_action_plan_begins_with_the_goal_table_and_its_columns(site: Path) -> None:
    goals = BANK.sheet.goals
    assert goals is not None
    assert {"vem", "chefens-del"} <= {c.id for c in goals.columns}, "who does what, and the manager's part"
    sheet = BANK.worksheet("handlingsplan")
    first = reader(site, sheet.id).pages[0]
    placed = {w.name: w for w in widgets(first)}
    cells = [c for row in fields.goal_controls(goals) for c in row]
    assert {c.name for c in cells} <= set(placed), "the whole goal table is on page 1"
    first_question = [c.name for c in fields.question_controls(sheet.questions[0], sheet.layout, BANK.sheet)]
    table_bottom = max(placed[c.name].bottom for c in cells)
    assert all(placed[name].top > table_bottom for name in first_question if name in placed), "the table comes before question 1"
    text = words(first.extract_text())
    for column in goals.columns:
        assert all(part in text for part in column.label.split()), column.label
    # Clean rows: every cell of a row starts on the same line and has room to write.
    for row in fields.goal_controls(goals):
        tops = [placed[c.name].top for c in row]
        assert max(tops) - min(tops) < 0.2
        assert all(placed[c.name].bottom - placed[c.name].top >= 18 for c in row)


def test_the_same_space_follows_every_kind_of_field(site: Path) -> None:
    """The gap from a question's last field to the next question's number is the same for every answer kind."""
    gaps: dict[str, list[float]] = {}
    for sheet in BANK.sheets:
        if sheet.layout != "single":
            continue
        kinds = {q.id: q.answer for q in sheet.questions}
        for page in reader(site, sheet.id).pages:
            numbers = sorted(r.top for r in runs(page) if re.fullmatch(r"\d+\.", r.text))
            placed = widgets(page)
            for above, below in itertools.pairwise(numbers):
                between = [w for w in placed if above < w.top and w.bottom < below]
                if not between:
                    continue
                last = max(between, key=lambda w: w.bottom)
                key = last.name.split("--")[0]
                gaps.setdefault(kinds.get(key, "?"), []).append(below - last.bottom)
    assert {"text", "scale", "yesno"} <= set(gaps), gaps.keys()
    everything = [gap for values in gaps.values() for gap in values]
    assert max(everything) - min(everything) <= 0.5, {k: (round(min(v), 2), round(max(v), 2)) for k, v in gaps.items()}


def test_swedish_text_extracts_as_written(site: Path) -> None:
    text = all_text(reader(site, "forberedelse"))
    for question in BANK.worksheet("forberedelse").questions:
        assert words(question.text) in text, question.id
    assert "nyfiken" in text, "ligatures must not turn fi into another letter"
    assert not [w for w in text.split() if any(0x250 <= ord(c) < 0x2000 for c in w)]


def test_page_footer_says_page_n_of_m_and_the_version(site: Path) -> None:
    doc = reader(site, "forberedelse")
    total = len(doc.pages)
    for number, page in enumerate(doc.pages, start=1):
        text = words(page.extract_text())
        assert f"Sida {number} av {total}" in text
        assert re.search(r"Samtalsguiden, version \d{1,2} [a-zåäö]+ \d{4}", text)


def test_pdfs_are_small(public_site: Path) -> None:
    for doc_id in document_ids():
        size = (public_site / paths.pdf_src(doc_id)).stat().st_size
        limit = MAX_BOOKLET_BYTES if doc_id == paths.BOOKLET_ID else MAX_SHEET_BYTES
        assert size <= limit, f"{doc_id}.pdf: {size} bytes"


# --------------------------------------------------------------------------- QR codes and addresses


def qr_images(doc: PdfReader) -> list[Image.Image]:
    return [image.image for page in doc.pages for image in page.images if image.image is not None]


def decode_qr(image: Image.Image, tmp: Path) -> list[str]:
    """What zbarimg reads from a QR code image (enlarged, with a quiet zone)."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: run `make test`, which installs Debian's zbar-tools")
    picture = ImageOps.expand(image.convert("L"), border=4, fill=255)
    picture = picture.resize((picture.width * 8, picture.height * 8), Image.Resampling.NEAREST)
    path = tmp / "qr.png"
    picture.save(path)
    # zbarimg exits with 4 when it finds no code: that is an answer here, not an error.
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=60, check=False)
    return [line for line in out.stdout.splitlines() if line]


def test_every_qr_code_decodes_to_the_public_address_printed_beside_it(public_site: Path, tmp_path: Path) -> None:
    decoded_any = 0
    for doc_id in document_ids():
        doc = reader(public_site, doc_id)
        images = qr_images(doc)
        assert images, f"{doc_id} has no QR code"
        text = "".join(all_text(doc).split())  # a printed address may wrap
        for image in images:
            found = decode_qr(image, tmp_path)
            assert len(found) == 1, f"{doc_id}: {found}"
            url = found[0]
            assert url.startswith(PUBLIC), f"{doc_id}: {url}"
            assert url in text, f"{doc_id}: {url} is not printed"
            decoded_any += 1
    sheet_qr = decode_qr(qr_images(reader(public_site, "forberedelse"))[0], tmp_path)
    assert sheet_qr == [PUBLIC + "arbetsblad/forberedelse/"]
    assert decoded_any >= len(document_ids())


def test_qr_caption_never_overlaps_the_name_box(public_site: Path) -> None:
    for sheet in BANK.sheets:
        page = reader(public_site, sheet.id).pages[0]
        placed = {w.name: w for w in widgets(page)}
        box = [placed[c.name] for c in fields.header_controls(BANK.sheet)]
        # The box: its fields, their labels to the left, its padding and border.
        left = min(w.left for w in box) - 45
        right = max(w.right for w in box) + 4
        top = min(w.top for w in box) - 4
        bottom = max(w.bottom for w in box) + 4
        caption = [r for r in runs(page) if r.left > 150 and r.top < bottom + 10 and r.top > HEADER_BAND]
        assert caption, f"{sheet.id}: no QR caption found"
        for run in caption:
            inside = left <= run.left <= right and top <= run.top <= bottom
            assert not inside, f"{sheet.id}: '{run.text}' lies in the name box"


ORGANISATION = """  organisation:
    name: Exempelförbundet
    logo: orgs/exempel-logo.svg
    colour: "#7a1f4d"
    help:
      - title: Rådgivningen
        text: Ring oss om du vill ha stöd före eller efter samtalet.
        phone: "0771-00 00 00"
      - title: Din lokala avdelning
        email: avdelning@exempelforbundet.invalid
"""


def test_public_handouts_have_the_logo_contacts_and_address(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    block = re.search(r"^  organisation:\n(?:    .*\n)+", text, re.M)
    assert block, "the organisation block of mkdocs.yml"
    config.write_text(text.replace(block.group(0), ORGANISATION), encoding="utf-8")
    org = tmp_path / "site"
    build_site(org, root=project, env={"SITE_URL": PUBLIC})
    doc = reader(org, "utdelning-blad-forberedelse")
    text = all_text(doc)
    assert len(doc.pages) == 1
    for needle in (
        "Exempelförbundet",
        "Rådgivningen",
        "0771-00 00 00",
        "avdelning@exempelforbundet.invalid",
        PUBLIC + "arbetsblad/forberedelse/",
    ):
        assert needle in text, needle
    figures = [str(node.get("/Alt", "")) for node in structure(catalog(doc)["/StructTreeRoot"]) if node.get("/S") == "/Figure"]
    assert "Exempelförbundet" in figures, f"the logo: {figures}"
    assert any(alt.endswith("arbetsblad/forberedelse/") for alt in figures), f"the QR code: {figures}"


# --------------------------------------------------------------------------- no loopback address on paper


def loopback_in_pdf(path: Path) -> list[str]:
    """Where a PDF holds a loopback address: text, links, alternative texts, metadata, QR codes."""
    doc = PdfReader(path)
    found = []
    text = all_text(doc)
    for needle in ("127.0.0.1", "localhost"):
        if needle in text:
            found.append(f"text: {needle}")
    for page in doc.pages:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if any(n.decode() in uri for n in LOOPBACK):
                found.append(f"link: {uri}")
    for node in structure(catalog(doc)["/StructTreeRoot"]):
        alt = str(node.get("/Alt", ""))
        if any(n.decode() in alt for n in LOOPBACK):
            found.append(f"alt: {alt}")
    if any(n.decode() in str(v) for v in (doc.metadata or {}).values() for n in LOOPBACK):
        found.append("metadata")
    return found


def theme_file(relative: Path) -> Path | None:
    """The theme's own copy of a file, if ``relative`` is one of Material's assets."""
    import material

    candidate = Path(material.__file__).parent / "templates" / relative
    return candidate if candidate.is_file() else None


@pytest.mark.parametrize("which", ["local_site", "site"])
def test_a_build_without_a_public_address_puts_no_loopback_address_anywhere(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    site_dir: Path = request.getfixturevalue(which)
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site_dir)
        if path.suffix == ".pdf":
            assert not loopback_in_pdf(path), f"{relative}: {loopback_in_pdf(path)}"
            for image in qr_images(PdfReader(path)):
                assert not decode_qr(image, tmp_path), f"{relative} has a QR code without a public address"
            continue
        if which == "site":
            continue  # built for 127.0.0.1 on purpose: its pages name their own address; only its paper is checked
        data = path.read_bytes()
        original = theme_file(relative)
        if original is not None and original.read_bytes() == data:
            continue  # Material's own file (a comment in its source map mentions localhost)
        for needle in LOOPBACK:
            assert needle not in data, f"{relative} holds {needle.decode()}"
    handout = all_text(reader(site_dir, "utdelning-blad-forberedelse"))
    assert "Samtalsguiden" in handout and "http" not in handout


def test_html_qr_codes_decode_to_the_public_address(public_site: Path, browser: Any, tmp_path: Path) -> None:
    """The representatives' page and the handout pages show QR codes as SVG: Chromium draws them, zbarimg reads them."""
    server = serve(public_site)
    try:
        page = browser.new_page(viewport={"width": 900, "height": 900})
        decoded = 0
        for url in ("fortroendevalda/", "utdelning/blad-forberedelse/"):
            page.goto(server.url + url)
            codes = page.locator("svg.samtal-qr")
            assert codes.count() > 0, url
            for index in range(min(codes.count(), 6)):
                shot = tmp_path / f"qr-{index}.png"
                codes.nth(index).screenshot(path=str(shot))
                found = decode_qr(Image.open(shot), tmp_path)
                assert len(found) == 1 and found[0].startswith(PUBLIC), f"{url}: {found}"
                decoded += 1
        assert decoded >= 2
        page.close()
    finally:
        server.close()


# --------------------------------------------------------------------------- the engine in this process


def engine_inputs(site_url: str, cache_dir: Path, env: Any = None) -> pdf.Inputs:
    """What the build hands the PDF engine, made here as the hook file makes it."""
    inputs = pdf_inputs(ROOT, site_url=site_url, cache_dir=cache_dir)
    return replace(inputs, **({"env": env} if env is not None else {}))


def test_cold_builds_are_byte_identical_and_a_warm_one_renders_nothing(public_site: Path, tmp_path: Path) -> None:
    cold = pdf.build(engine_inputs(PUBLIC, tmp_path / "cache"))
    assert cold.stats["rendered"] == len(document_ids())
    # Another process, another cache, another time: the same bytes as the real build's.
    for doc_id, data in cold.files.items():
        assert data == (public_site / paths.pdf_src(doc_id)).read_bytes(), doc_id
    warm = pdf.build(engine_inputs(PUBLIC, tmp_path / "cache"))
    assert warm.stats["rendered"] == 0 and warm.stats["reused"] == len(document_ids())
    assert warm.files == cold.files
    # Without the whole-build entry, each PDF is still found by its own HTML.
    for manifest in (tmp_path / "cache").glob("build-*.json"):
        manifest.unlink()
    again = pdf.build(engine_inputs(PUBLIC, tmp_path / "cache"))
    assert again.stats["rendered"] == 0 and again.files == cold.files


def test_a_changed_question_renders_only_the_pdfs_that_show_it(tmp_path: Path) -> None:
    inputs = engine_inputs("", tmp_path / "cache")
    first = pdf.build(inputs)
    question = BANK.worksheet("efterarbete").questions[0]
    changed = replace(question, text=question.text + " Och varför?")
    bank = replace(
        inputs.bank,
        questions=tuple(changed if q.id == question.id else q for q in inputs.bank.questions),
        worksheets=tuple(
            replace(w, questions=tuple(changed if q.id == question.id else q for q in w.questions))
            for w in inputs.bank.worksheets
        ),
        set_sheets=tuple(
            replace(w, questions=tuple(changed if q.id == question.id else q for q in w.questions))
            for w in inputs.bank.set_sheets
        ),
    )
    second = pdf.build(replace(inputs, bank=bank))
    showing = {s.id for s in BANK.sheets if any(q.id == question.id for q in s.questions)} | {paths.BOOKLET_ID}
    assert second.stats["rendered"] == len(showing)
    for doc_id, data in second.files.items():
        assert (data == first.files[doc_id]) == (doc_id not in showing), doc_id
    assert "Och varför?" in all_text(PdfReader(io.BytesIO(second.files["efterarbete"])))


def test_a_warning_is_given_again_from_the_cache(tmp_path: Path) -> None:
    """--strict fails alike with a warm cache: the warnings are kept with each PDF."""
    from samtal.build import make_environment

    env = make_environment(None)
    source = (pdf.TEMPLATE_DIR / "checklist.html").read_text(encoding="utf-8")
    broken = source.replace("{% block body %}", '{% block body %}<p style="colr: red">x</p>', 1)
    assert broken != source
    assert env.loader is not None
    env.loader = ChoiceLoader([DictLoader({"pdf/checklist.html": broken}), env.loader])
    cold = pdf.build(engine_inputs("", tmp_path / "cache", env))
    warm = pdf.build(engine_inputs("", tmp_path / "cache", env))
    assert cold.stats["rendered"] > 0 and warm.stats["rendered"] == 0
    expected = [w for w in cold.warnings if "colr" in w]
    assert len(expected) == len(BANK.checklists), cold.warnings
    assert [w for w in warm.warnings if "colr" in w] == expected


def test_strict_build_fails_alike_with_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    template = project / "overrides" / "samtal" / "pdf" / "checklist.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace("{% block body %}", '{% block body %}<p style="colr: red">x</p>', 1),
        encoding="utf-8",
    )
    for attempt in ("cold", "warm"):
        result = build_site(tmp_path / f"site-{attempt}", root=project, env={"SAMTAL_PDF_WORKERS": "2"}, check=False)
        assert result.returncode != 0, attempt
        assert "colr" in result.stdout + result.stderr, attempt


@pytest.mark.parametrize(
    ("name", "old", "new", "detail"),
    [
        ("checklist.html", "{% block body %}", "{% block body %}{% if %}", "checklist.html"),
        (
            "macros.html",
            '<span class="item__text">{{ c.label | md }}',
            '<span class="item__text">{{ c.no_such_thing.text }}',
            "macros.html",
        ),
        ("print.css", "", "\nh1 { colr: red; }\n", "colr"),
    ],
)
def test_broken_pdf_input_stops_the_build_and_leaves_site_untouched(
    tmp_path: Path, name: str, old: str, new: str, detail: str
) -> None:
    project = copy_project(tmp_path / "project")
    source = project / "overrides" / "samtal" / "pdf" / name
    text = source.read_text(encoding="utf-8")
    assert not old or old in text
    source.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "earlier.txt").write_text("from an earlier build", encoding="utf-8")
    result = build_site(site_dir, root=project, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert name in output and detail in output
    assert [p.name for p in site_dir.iterdir()] == ["earlier.txt"], "nothing half-written in site/"


def test_the_fast_paths_change_no_byte_of_a_pdf(tmp_path: Path) -> None:
    """pdf_render parses the templates' XHTML with the XML parser and shares cffi's array
    types; a PDF made the slow way, with WeasyPrint's HTML parser and cffi as it is, is the same."""
    import weasyprint
    from weasyprint.text.ffi import ffi

    from samtal import pdf_render

    documents = pdf.render_documents(engine_inputs(PUBLIC, tmp_path / "cache"))
    assert all(pdf_render.parse(html)[1] for html in documents.values()), "a template writes HTML that is not well-formed XML"
    renderer = pdf_render.Renderer(pdf.STYLESHEET, pdf.FONTS)
    jobs = {job.doc_id: job for job in pdf.make_jobs(documents)}
    for doc_id in ("efterarbete", "handlingsplan", "utdelning-blad-forberedelse"):
        fast = renderer.render(jobs[doc_id]).pdf
        shared_new = ffi.new
        ffi.new = ffi._samtal_original_new
        try:
            slow = weasyprint.HTML(
                string=jobs[doc_id].html, base_url=pdf_render.BASE_URL, url_fetcher=renderer.fetcher
            ).write_pdf(
                stylesheets=[renderer.css],
                font_config=renderer.font_config,
                pdf_identifier=pdf_render.pdf_identifier(doc_id),
                finisher=pdf_render.finish_forms,
                **pdf_render.RENDER_OPTIONS,
            )
        finally:
            ffi.new = shared_new
        assert fast == slow, doc_id
