"""The PDF worksheets, checklists and booklet (issue 5), read back with pypdf.

Most tests read the PDFs of the session build (the ``site`` fixture). The
cache, reproducibility and broken-input tests build copies of the project.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from conftest import ROOT, build_site, copy_project

sys.path.insert(0, str(ROOT / "hooks"))

from samtal.bank import Bank, Question, load_bank  # noqa: E402
from samtal.pdf import BOOKLET_ID, document_ids, version_text, write_atomic  # noqa: E402

MAX_BYTES = 100 * 1024
# The web sheet stores its header fields under these names (hooks/samtal/sheets.py).
HEADER = {"_medarbetare", "_chef", "_datum"}
GOAL_COLUMNS = ("mal", "aktiviteter", "stod", "klart", "datum")
# A fixed source date, so builds of copies (which are not git checkouts) agree.
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
LOG_LINE = re.compile(r"PDF: (\d+) skapade, (\d+) återanvända")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(ROOT / "questions.yaml")


def fillable_ids(bank: Bank) -> list[str]:
    """The PDFs with form fields: every sheet and checklist, and the booklet."""
    return [w.id for w in bank.sheets] + [c.id for c in bank.checklists] + [BOOKLET_ID]


def reader(site: Path, doc_id: str) -> PdfReader:
    return PdfReader(site / "pdf" / f"{doc_id}.pdf")


def expected_fields(question: Question, layout: str) -> set[str]:
    """The field names a question must have, written out from the issue's rules."""
    qid = question.id
    if layout == "compare":
        return {f"{qid}-min", f"{qid}-chef", f"{qid}-overens"}
    if question.answer == "scale":
        return {f"{qid}-{n}" for n in range(1, 6)}
    if question.answer == "yesno":
        return {f"{qid}-ja", f"{qid}-nej"}
    return {qid}


def field_types(pdf: PdfReader) -> dict[str, str]:
    return {name: str(f.get("/FT")) for name, f in (pdf.get_fields() or {}).items()}


def words(text: str) -> str:
    return " ".join(text.split())


def build_log(result: object) -> tuple[int, int]:
    output = f"{result.stdout}\n{result.stderr}"  # type: ignore[attr-defined]
    match = LOG_LINE.search(output)
    assert match, f"no PDF line in the build log:\n{output}"
    return int(match.group(1)), int(match.group(2))


def pdf_bytes(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "pdf").glob("*.pdf"))}


# --------------------------------------------------------------------------- every PDF


def test_document_ids_cover_every_worksheet_checklist_and_the_booklet(bank: Bank) -> None:
    ids = document_ids(bank)
    assert set(fillable_ids(bank)) <= set(ids)
    assert len(ids) == len(set(ids))
    # Anything else is a one-page handout (tests/test_sharing.py checks those).
    assert all(doc_id.startswith("utdelning-") for doc_id in set(ids) - set(fillable_ids(bank)))


def test_every_pdf_opens_with_pages_and_a_title(site: Path, bank: Bank) -> None:
    for doc_id in document_ids(bank):
        pdf = reader(site, doc_id)
        assert len(pdf.pages) >= 1, doc_id
        assert pdf.metadata is not None and pdf.metadata.title, f"{doc_id} has no title"
    for doc_id in fillable_ids(bank):
        assert reader(site, doc_id).get_fields(), f"{doc_id} has no form fields"
    assert not list((site / "pdf").glob(".*")), "temporary files left in site/pdf/"


def test_titles_in_the_metadata_match_the_bank(site: Path, bank: Bank) -> None:
    for sheet in bank.sheets:
        assert reader(site, sheet.id).metadata.title == sheet.title
    for checklist in bank.checklists:
        assert reader(site, checklist.id).metadata.title == checklist.title
    assert reader(site, BOOKLET_ID).metadata.title == "Hela samtalet"


def test_worksheet_field_names_match_its_question_ids(site: Path, bank: Bank) -> None:
    for sheet in bank.sheets:
        fields = field_types(reader(site, sheet.id))
        expected = set(HEADER)
        for question in sheet.questions:
            expected |= expected_fields(question, sheet.layout)
        if sheet.checklist:
            expected |= {f"{sheet.checklist.id}--{item.id}" for item in sheet.checklist.items}
        plan_rows = {name for name in fields if re.fullmatch(rf"_({'|'.join(GOAL_COLUMNS)})-\d+", name)}
        if sheet.layout == "plan":
            assert len(plan_rows) >= 3 * len(GOAL_COLUMNS), f"{sheet.id}: the goals table has too few fields"
            assert {name.rsplit("-", 1)[0][1:] for name in plan_rows} == set(GOAL_COLUMNS)
        else:
            assert not plan_rows
        assert set(fields) - plan_rows == expected, sheet.id


def test_pdf_and_web_sheet_share_field_names_and_wording(site: Path, bank: Bank) -> None:
    """One fact in one place: header fields, goal columns, compare columns and
    scale words come from hooks/samtal/sheets.py, in the PDF and on the web."""
    from samtal.sheets import FIELDS

    assert {f.name for f in FIELDS.header} == HEADER
    assert tuple(c.key for c in FIELDS.goal_columns) == GOAL_COLUMNS
    assert any(c.kind == "date" for c in FIELDS.goal_columns), "the checkpoint date is a column"

    plan_html = (site / "arbetsblad" / "handlingsplan" / "index.html").read_text(encoding="utf-8")
    header = plan_html[plan_html.index("samtal-sheet__header"):]
    header = header[: header.index("</fieldset>")]
    web_header = dict(re.findall(r'data-samtal-key="(_[a-z]+)" data-samtal-label="([^"]+)"', header))
    template = plan_html[plan_html.index("<template data-samtal-row-template"):]
    template = template[: template.index("</template>")]
    web_goals = re.findall(r'data-samtal-col="([a-z]+)" data-samtal-col-kind="([a-z]+)" data-samtal-label="([^"]+)"', template)

    plan_pdf = reader(site, "handlingsplan")
    pdf_names = set(plan_pdf.get_fields() or {})
    pdf_goals = {name.split("-")[0][1:] for name in pdf_names if re.fullmatch(r"_[a-z]+-\d+", name)}
    assert set(web_header) == HEADER <= pdf_names
    assert [key for key, _, _ in web_goals] == list(GOAL_COLUMNS)
    assert pdf_goals == set(GOAL_COLUMNS)
    pdf_text = words(" ".join(page.extract_text() for page in plan_pdf.pages))
    for f in FIELDS.header:
        assert web_header[f.name] == f.label
        assert f.label in pdf_text, f.label
    for (key, kind, label), col in zip(web_goals, FIELDS.goal_columns):
        assert (key, kind, label) == (col.key, col.kind, col.label)
        assert label in pdf_text, label

    compare_html = (site / "arbetsblad" / "bada-synerna" / "index.html").read_text(encoding="utf-8")
    compare_text = words(" ".join(page.extract_text() for page in reader(site, "bada-synerna").pages))
    for col in FIELDS.compare_columns:
        assert f'data-samtal-part="{col.key}" data-samtal-part-label="{col.label}"' in compare_html
        assert col.label in compare_text, col.label
    scale_html = (site / "arbetsblad" / "forberedelse" / "index.html").read_text(encoding="utf-8")
    scale_text = words(" ".join(page.extract_text() for page in reader(site, "forberedelse").pages))
    for end in (FIELDS.scale.low, FIELDS.scale.high):
        assert f'<span class="samtal-choice__end">{end}</span>' in scale_html
        assert end in scale_text
    # The wordings that used to differ between the two are gone from both.
    for old in ("Stöd jag får", "Det här kom vi överens om", "Det vi kom överens om", "Det här ska jag göra", "Min syn"):
        for text in (plan_html, compare_html, words(" ".join(p.extract_text() for p in plan_pdf.pages)), compare_text):
            assert old not in text, old


def test_field_kinds_follow_the_answer_kind(site: Path, bank: Bank) -> None:
    sheet = bank.worksheet("forberedelse")
    pdf = reader(site, sheet.id)
    fields = pdf.get_fields() or {}
    kinds = {q.answer for q in sheet.questions}
    assert {"text", "line", "scale", "yesno"} <= kinds, "the test needs every answer kind"
    for question in sheet.questions:
        for name in expected_fields(question, sheet.layout):
            field = fields[name]
            flags = int(field.get("/Ff", 0))
            multiline = bool(flags & (1 << 12))
            if question.answer in {"scale", "yesno"}:
                assert field.get("/FT") == "/Btn" and not flags & (1 << 15), f"{name} is not a checkbox"
            elif question.answer == "text":
                assert field.get("/FT") == "/Tx" and multiline, f"{name} is not a multi-line text field"
            else:
                assert field.get("/FT") == "/Tx" and not multiline, f"{name} is not a one-line text field"


def test_checkbox_count_matches_the_checklist_items(site: Path, bank: Bank) -> None:
    for checklist in bank.checklists:
        fields = field_types(reader(site, checklist.id))
        boxes = {name for name, kind in fields.items() if kind == "/Btn"}
        assert len(boxes) == len(checklist.items), checklist.id
        assert boxes == {f"{checklist.id}--{item.id}" for item in checklist.items}


def test_booklet_holds_every_checklist_and_worksheet_in_phase_order(site: Path, bank: Bank) -> None:
    pdf = reader(site, BOOKLET_ID)
    names = set(pdf.get_fields() or {})
    assert HEADER <= names
    for checklist in bank.checklists:
        for item in checklist.items:
            assert f"{checklist.id}--{item.id}" in names
    for sheet in bank.sheets:
        for question in sheet.questions:
            for name in expected_fields(question, sheet.layout):
                assert name in names or f"{sheet.id}--{name}" in names, f"{sheet.id}: {name}"
    text = words(" ".join(page.extract_text() for page in pdf.pages))
    positions = [text.find(phase.title, text.find("Innehåll") + 1000) for phase in bank.phases]
    starts = [text.rfind(f"{c.title}") for c in bank.checklists]
    assert all(p >= 0 for p in positions + starts)
    # The phases come in the bank's order: the booklet's second outline level.
    top = [item for item in pdf.outline[1] if not isinstance(item, list)]
    assert [item.title for item in top][1 : 1 + len(bank.phases)] == [phase.title for phase in bank.phases]
    plan = bank.worksheet("handlingsplan")
    assert text.rfind(plan.title) > max(text.rfind(c.title) for c in bank.checklists if c.phase != "handlingsplan")


def test_swedish_text_extracts_correctly(site: Path, bank: Bank) -> None:
    checklist = bank.checklist("checklista-forberedelse")
    text = words(reader(site, checklist.id).pages[0].extract_text())
    assert checklist.title in text
    for item in checklist.items:
        assert words(item.text) in text
    assert any(ch in text for ch in "åäö")
    sheet = bank.worksheet("forberedelse")
    first = words(reader(site, sheet.id).pages[0].extract_text())
    assert sheet.title in first and "Förbered" in first


def test_page_footer_says_page_n_of_m_the_organisation_and_version(site: Path) -> None:
    pdf = reader(site, "forberedelse")
    total = len(pdf.pages)
    assert total >= 2
    for number, page in enumerate(pdf.pages, start=1):
        text = words(page.extract_text())
        assert f"Sida {number} av {total}" in text
        assert re.search(r"Samtalsguiden, version \d{1,2} [a-z]+ \d{4}", text)


def test_tagged_with_swedish_language_and_headings(site: Path, bank: Bank) -> None:
    for doc_id in document_ids(bank):
        pdf = reader(site, doc_id)
        root = pdf.trailer["/Root"]
        assert root["/Lang"] == "sv", doc_id
        assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
        tree = root["/StructTreeRoot"].get_object()
        kinds = _structure_kinds(tree)
        assert "/Document" in kinds, doc_id
        assert "/H1" in kinds, f"{doc_id}: no level-1 heading in the structure tree"
    book = _structure_kinds(reader(site, BOOKLET_ID).trailer["/Root"]["/StructTreeRoot"].get_object())
    assert {"/H1", "/H2", "/H3"} <= book


def _structure_kinds(node: object, seen: set[str] | None = None, depth: int = 0) -> set[str]:
    kinds = set() if seen is None else seen
    if depth > 60:
        return kinds
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            kinds.add(str(node["/S"]))
        children = node.get("/K")
        if children is not None:
            children = children.get_object()
            items = children if isinstance(children, list) else [children]
            for child in items:
                child = child.get_object() if hasattr(child, "get_object") else child
                if isinstance(child, DictionaryObject):
                    _structure_kinds(child, kinds, depth + 1)
    return kinds


def test_qr_code_and_address_of_the_online_worksheet(site: Path) -> None:
    pdf = reader(site, "forberedelse")
    text = words(pdf.pages[0].extract_text())
    assert "arbetsblad/forberedelse/" in text.replace(" ", "")
    figures = _figures(pdf.trailer["/Root"]["/StructTreeRoot"].get_object())
    assert any(alt.startswith("QR-kod") and alt.endswith("/arbetsblad/forberedelse/") for alt in figures), figures
    checklist = _figures(reader(site, "checklista-forberedelse").trailer["/Root"]["/StructTreeRoot"].get_object())
    assert any(alt.endswith("/forberedelse/#checklista-forberedelse") for alt in checklist), checklist


def _figures(node: object, found: list[str] | None = None, depth: int = 0) -> list[str]:
    """The alternative texts of the figures (the QR codes) in a structure tree."""
    found = [] if found is None else found
    if isinstance(node, DictionaryObject) and depth < 60:
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        children = node.get("/K")
        if children is not None:
            children = children.get_object()
            for child in children if isinstance(children, list) else [children]:
                child = child.get_object() if hasattr(child, "get_object") else child
                _figures(child, found, depth + 1)
    return found


def test_worksheet_and_checklist_pdfs_are_small(site: Path, bank: Bank) -> None:
    for doc_id in document_ids(bank):
        if doc_id == BOOKLET_ID:
            continue
        size = (site / "pdf" / f"{doc_id}.pdf").stat().st_size
        assert size <= MAX_BYTES, f"{doc_id}.pdf is {size} bytes"


def test_version_text_is_swedish() -> None:
    assert version_text("2025-03-07") == "7 mars 2025"


# --------------------------------------------------------------------------- builds of copies


def test_builds_are_reproducible_and_the_cache_skips_unchanged_pdfs(tmp_path: Path, bank: Bank) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    copy_project(a)
    copy_project(b)
    total = len(document_ids(bank))

    first = build_site(tmp_path / "site-a1", root=a, env=EPOCH)
    assert build_log(first) == (total, 0)
    bytes_a1 = pdf_bytes(tmp_path / "site-a1")

    # Nothing changed: nothing is rendered, and the bytes are the same.
    second = build_site(tmp_path / "site-a2", root=a, env=EPOCH)
    assert build_log(second) == (0, total)
    assert pdf_bytes(tmp_path / "site-a2") == bytes_a1

    # Another checkout renders everything itself and gets the same bytes.
    other = build_site(tmp_path / "site-b", root=b, env=EPOCH)
    assert build_log(other) == (total, 0)
    assert pdf_bytes(tmp_path / "site-b") == bytes_a1

    # Editing a Markdown page renders no PDF.
    page = a / "content" / "om.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    edited = build_site(tmp_path / "site-a3", root=a, env=EPOCH)
    assert build_log(edited) == (0, total)

    # Editing one question renders only the PDFs that show it.
    bank_file = a / "questions.yaml"
    text = bank_file.read_text(encoding="utf-8")
    old = "Vilka är dina viktigaste arbetsuppgifter just nu?"
    assert old in text
    bank_file.write_text(text.replace(old, "Vilka är dina viktigaste uppgifter just nu?"), encoding="utf-8")
    changed = build_site(tmp_path / "site-a4", root=a, env=EPOCH)
    showing = [s.id for s in bank.sheets if any(q.id == "arbetsuppgifter-just-nu" for q in s.questions)]
    affected = len(showing) + 1  # every sheet that shows it, and the booklet
    assert build_log(changed) == (affected, total - affected)
    assert "viktigaste uppgifter just nu" in words(
        PdfReader(tmp_path / "site-a4" / "pdf" / "forberedelse.pdf").pages[0].extract_text()
    )


BROKEN_INPUTS = {
    "template syntax": ("checklist.html", "{% block body %}", "{% block body %}{% if %}", "checklist.html"),
    "undefined value": ("macros.html", "{{ item.text | md }}", "{{ item.no_such_thing.text }}", "macros.html"),
    "stylesheet": ("print.css", "", "\nh1 { colr: red; }\n", "colr"),
}


@pytest.mark.parametrize("case", list(BROKEN_INPUTS))
def test_broken_pdf_input_fails_the_build_and_names_the_file(tmp_path: Path, case: str) -> None:
    name, old, new, detail = BROKEN_INPUTS[case]
    copy_project(tmp_path)
    source = tmp_path / "overrides" / "samtal" / "pdf" / name
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(old, new) if old else text + new, encoding="utf-8")
    result = build_site(tmp_path / "site", root=tmp_path, env=EPOCH, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert name in output
    assert detail in output
    # What is in site/pdf/ is either an empty placeholder or a finished PDF.
    for path in (tmp_path / "site" / "pdf").glob("*.pdf"):
        assert path.stat().st_size == 0 or path.read_bytes().startswith(b"%PDF")


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "blad.pdf"
    target.write_bytes(b"%PDF old")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("samtal.pdf.os.replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, b"%PDF new")
    assert target.read_bytes() == b"%PDF old"
    assert [p.name for p in tmp_path.iterdir()] == ["blad.pdf"]
