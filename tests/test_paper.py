"""Paper in Chromium: answers into the sheet's own PDF and back, and what the browser prints.

The worksheet's buttons ("Ladda ner ifylld PDF", "Öppna ifylld PDF") call
``assets/javascripts/samtal/pdf-fill.js``. Its two functions are tested
here directly in the page (a dynamic ``import()``), with answers of every
kind the sheet's field map names, and through the buttons as a person uses
them. What Chromium prints (``@media print``) is read back from the PDF it
makes and, where text cannot show it, from the computed styles in print
media. Every request must stay on 127.0.0.1 (the ``context`` fixture).
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from conftest import ROOT
from samtal import paths
from samtal.bank import load_bank

BANK = load_bank(ROOT / "questions.yaml").bank
MODULE = "assets/javascripts/samtal/pdf-fill.js"
# The action plan's first text question, filled in a PDF reader in the tests below.
TEXT_Q = next(q.id for q in BANK.worksheet("handlingsplan").questions if q.answer == "text")
LIBRARY = "assets/vendor/pdf-lib/pdf-lib.esm.min.js"
MM_PER_PX = 25.4 / 96

pytestmark = pytest.mark.browser


def field_map(site: Path, sheet_id: str) -> dict[str, Any]:
    mapping: dict[str, Any] = json.loads((site / paths.pdf_fields_src(sheet_id)).read_text(encoding="utf-8"))
    return mapping


def catalog(doc: PdfReader) -> Any:
    """The document catalog (/Root): pypdf's PdfObject, read as a dictionary."""
    return doc.trailer["/Root"]


def buttons_are_wired(site: Path) -> bool:
    """Whether a worksheet script loads pdf-fill.js when its buttons are pressed (the js branch)."""
    scripts = (site / "assets" / "javascripts").rglob("*.js")
    return any("pdf-fill.js" in p.read_text(encoding="utf-8") for p in scripts if p.name != "pdf-fill.js")


# --------------------------------------------------------------------------- answers of every kind


def answers_for(mapping: dict[str, Any], rows: int = 0) -> dict[str, Any]:
    """Answers for every field of a sheet, shaped like the worksheet's store."""
    answers: dict[str, Any] = {}
    labels = mapping["labels"]

    def put(key: str, value: Any, part: str = "") -> None:
        item = answers.setdefault(key, {"question": labels.get(key, key), "value": {} if part else None})
        if part:
            item["value"][part] = value
        else:
            item["value"] = value

    boxes: dict[tuple[str, str], list[str]] = {}
    for info in mapping["fields"].values():
        key, part = info["key"], info.get("part", "")
        if info.get("row"):
            continue
        if info["kind"] == "box":
            boxes.setdefault((key, part), []).append(info["value"])
        elif info["kind"] == "check":
            put(key, True)
        else:
            put(key, "2026-03-05" if info.get("date") else f"Svar på {key} {part} – åäö ÅÄÖ".strip(), part)
    for (key, part), values in boxes.items():
        put(key, values[1], part)  # the second option: "2" on a scale, "nej" for yes/no
    for key, table in mapping["tables"].items():
        count = rows or table["rows"] + 1  # one goal more than the paper has rows
        value = []
        for row in range(1, count + 1):
            cells = {"id": f"rad-{row}"}
            for column in table["columns"]:
                cells[column["id"]] = f"2026-0{row % 9 + 1}-15" if column["kind"] == "date" else f"{column['label']} {row}"
            value.append(cells)
        answers[key] = {"question": labels.get(key, key), "value": value}
    return answers


def expected_fields(mapping: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """What each PDF field must hold after filling: text, or True/False for a box."""
    out: dict[str, Any] = {}
    more = {}
    for key, table in mapping["tables"].items():
        for offset, names in enumerate(table["more"]):
            for column, name in zip(table["columns"], names, strict=True):
                more[name] = {"key": key, "part": column["id"], "row": table["rows"] + offset + 1}
    for name, info in {**mapping["fields"], **more}.items():
        value = answers.get(info["key"], {}).get("value")
        if info.get("row"):
            rows = value or []
            if info["row"] <= len(rows):
                out[name] = rows[info["row"] - 1][info["part"]]
            continue
        part = value.get(info["part"]) if info.get("part") and isinstance(value, dict) else value
        kind = info.get("kind")
        if kind == "box":
            out[name] = part == info["value"]
        elif kind == "check":
            out[name] = part is True
        elif part is not None:
            out[name] = part
    return out


def pdf_values(data: bytes) -> dict[str, Any]:
    fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    out: dict[str, Any] = {}
    for name, field in fields.items():
        if field.get("/FT") == "/Btn":
            out[name] = field.get("/V") == "/on"
        else:
            out[name] = str(field.get("/V", ""))
    return out


# --------------------------------------------------------------------------- pdf-fill.js in the page


FILL = """async ({module, answers, pdfUrl, fieldsUrl}) => {
  const m = await import(module);
  const form = document.querySelector("form[data-samtal-sheet]");
  const blob = await m.fillPdf({form, answers, pdfUrl, fieldsUrl});
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return {type: blob.type, data: btoa(text)};
}"""

READ = """async ({module, data, fieldsUrl}) => {
  const m = await import(module);
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const file = new File([bytes], "ifylld.pdf", {type: "application/pdf"});
  return await m.readPdf({file, fieldsUrl});
}"""

ROUND_TRIP = """async ({module, answers, fieldsUrl}) => {
  const m = await import(module);
  const form = document.querySelector("form[data-samtal-sheet]");
  const blob = await m.fillPdf({form, answers});
  return await m.readPdf({file: blob, fieldsUrl});
}"""


def open_sheet(page: Any, base_url: str, sheet_id: str) -> None:
    page.goto(f"{base_url}arbetsblad/{sheet_id}/")
    page.wait_for_selector("form[data-samtal-sheet]")


@pytest.mark.parametrize("sheet_id", ["forberedelse", "handlingsplan", "bada-synerna", "efterarbete"])
def test_fill_pdf_writes_every_answer_into_the_sheets_own_pdf(page: Any, site: Path, base_url: str, sheet_id: str) -> None:
    mapping = field_map(site, sheet_id)
    answers = answers_for(mapping)
    open_sheet(page, base_url, sheet_id)
    result = page.evaluate(FILL, {"module": base_url + MODULE, "answers": answers})
    assert result["type"] == "application/pdf"
    data = base64.b64decode(result["data"])
    values = pdf_values(data)
    expected = expected_fields(mapping, answers)
    assert expected, "the test needs answers"
    for name, value in expected.items():
        assert values.get(name) == value, f"{name}: {values.get(name)!r} != {value!r}"
    blank = PdfReader(site / paths.pdf_src(sheet_id))
    filled = PdfReader(io.BytesIO(data))
    root = catalog(filled)
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert filled.metadata is not None and blank.metadata is not None
    assert filled.metadata.title == blank.metadata.title
    assert root["/AcroForm"]["/NeedAppearances"]
    # Every field of the blank sheet is still there, under its own name, and still fillable.
    assert set(blank.get_fields() or {}) <= set(filled.get_fields() or {})
    assert not any(int(f.get("/Ff", 0)) & 1 for f in (filled.get_fields() or {}).values()), "read-only fields"
    if mapping["tables"]:
        assert len(filled.pages) == len(blank.pages) + 1, "a page for the goal that did not fit on paper"


def test_filled_text_is_visible_in_readers_that_do_not_draw_fields(page: Any, site: Path, base_url: str) -> None:
    answers = {
        "_medarbetare": {"question": "Ditt namn", "value": "Åsa Öberg"},
        "_chef": {"question": "Din chef", "value": "Zoë 🙂"},
    }
    open_sheet(page, base_url, "forberedelse")
    data = base64.b64decode(page.evaluate(FILL, {"module": base_url + MODULE, "answers": answers})["data"])
    doc = PdfReader(io.BytesIO(data))
    annotations: Any = doc.pages[0]["/Annots"]
    widgets = {str(a.get_object()["/T"]): a.get_object() for a in annotations}
    name = widgets["_medarbetare"]
    assert "/AP" in name, "an appearance drawn in the standard font"
    appearance = name["/AP"]["/N"].get_object().get_data()
    assert b"Tj" in appearance or b"TJ" in appearance
    assert str(name["/DA"]).startswith("/a1.0 gs"), "the field keeps the PDF's own font for readers that redraw"
    chef = widgets["_chef"]
    assert chef["/V"] == "Zoë 🙂", "characters the standard font lacks are kept in the value"
    assert "/AP" not in chef, "no half-drawn appearance: the reader draws it (NeedAppearances)"


def test_fill_and_read_back_give_the_same_answers(page: Any, site: Path, base_url: str) -> None:
    for sheet_id in ("handlingsplan", "bada-synerna", "efterarbete"):
        mapping = field_map(site, sheet_id)
        answers = answers_for(mapping, rows=7)
        open_sheet(page, base_url, sheet_id)
        back = page.evaluate(
            ROUND_TRIP, {"module": base_url + MODULE, "answers": answers, "fieldsUrl": base_url + paths.pdf_fields_src(sheet_id)}
        )
        wanted = {key: item for key, item in answers.items() if item["value"] not in (False, "", None)}
        assert back == wanted, sheet_id


def test_read_pdf_takes_a_pdf_filled_in_another_reader(page: Any, site: Path, base_url: str) -> None:
    sheet_id = "handlingsplan"
    writer = PdfWriter(clone_from=PdfReader(site / paths.pdf_src(sheet_id)))
    checklist = BANK.worksheet(sheet_id).checklist
    assert checklist is not None
    first_item = f"{checklist.id}--{checklist.items[0].id}"
    text_values = {
        "_medarbetare": "Kim Berg",
        "_datum": "5/3 2026",
        TEXT_Q: "Leda ett projekt\nunder hösten",
        "_mal--mal--1": "Kurs i projektledning",
        "_mal--datum--1": "2026-09-01",
        "_mal--mal--3": "Mentor",
    }
    for page_object in writer.pages:
        names = {str(a.get_object().get("/T")) for a in page_object.get("/Annots", []) or []}
        here = {k: v for k, v in text_values.items() if k in names}
        if here:
            writer.update_page_form_field_values(page_object, here, auto_regenerate=False)
        for reference in page_object.get("/Annots", []) or []:
            annotation = reference.get_object()
            if annotation.get("/T") == first_item:
                annotation[NameObject("/V")] = NameObject("/on")
                annotation[NameObject("/AS")] = NameObject("/on")
    out = io.BytesIO()
    writer.write(out)
    open_sheet(page, base_url, sheet_id)
    answers = page.evaluate(
        READ,
        {
            "module": base_url + MODULE,
            "data": base64.b64encode(out.getvalue()).decode(),
            "fieldsUrl": base_url + paths.pdf_fields_src(sheet_id),
        },
    )
    labels = field_map(site, sheet_id)["labels"]
    assert answers == {
        "_medarbetare": {"question": labels["_medarbetare"], "value": "Kim Berg"},
        "_datum": {"question": labels["_datum"], "value": "2026-03-05"},
        TEXT_Q: {"question": labels[TEXT_Q], "value": "Leda ett projekt\nunder hösten"},
        "_mal": {
            "question": labels["_mal"],
            "value": [{"id": "pdf-1", "mal": "Kurs i projektledning", "datum": "2026-09-01"}, {"id": "pdf-3", "mal": "Mentor"}],
        },
        first_item: {"question": labels[first_item], "value": True},
    }


def test_read_pdf_refuses_another_sheets_pdf_and_a_non_pdf(page: Any, site: Path, base_url: str) -> None:
    open_sheet(page, base_url, "handlingsplan")
    fields_url = base_url + paths.pdf_fields_src("handlingsplan")
    other = base64.b64encode((site / paths.pdf_src("forberedelse")).read_bytes()).decode()
    codes = page.evaluate(
        """async ({module, otherPdf, fieldsUrl}) => {
          const m = await import(module);
          const code = async (bytes) => {
            try { await m.readPdf({file: new File([bytes], "x.pdf"), fieldsUrl}); return "read"; }
            catch (error) { return error.code || String(error); }
          };
          const other = Uint8Array.from(atob(otherPdf), (c) => c.charCodeAt(0));
          return [await code(other), await code(new TextEncoder().encode("inte en pdf"))];
        }""",
        {"module": base_url + MODULE, "otherPdf": other, "fieldsUrl": fields_url},
    )
    assert codes == ["other-pdf", "not-pdf"]


def test_pdf_library_is_loaded_from_the_site_only_when_needed(page: Any, site: Path, base_url: str) -> None:
    assert (site / LIBRARY).stat().st_size > 100_000, "scripts/vendor.sh puts pdf-lib in the site"
    assert (site / "assets/vendor/pdf-lib/LICENSE.txt").read_text(encoding="utf-8").startswith("MIT License")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_sheet(page, base_url, "forberedelse")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "pdf-lib" in url or "pdf-fill" in url], "loaded before any button was pressed"
    page.evaluate(FILL, {"module": base_url + MODULE, "answers": {}})
    assert [url for url in requested if url.endswith(LIBRARY)] == [base_url + LIBRARY]


# --------------------------------------------------------------------------- the buttons


@pytest.fixture
def wired(site: Path) -> None:
    assert buttons_are_wired(site), "the worksheet's buttons do not call pdf-fill.js"


def test_download_filled_pdf_holds_what_was_typed(page: Any, site: Path, base_url: str, wired: None) -> None:
    sheet = BANK.worksheet("forberedelse")
    open_sheet(page, base_url, sheet.id)
    kinds = {q.choice or q.answer for q in sheet.questions}
    text_q = next(q for q in sheet.questions if q.answer == "text")
    scale_q = next(q for q in sheet.questions if q.choice == "scale")
    yesno_q = next((q for q in sheet.questions if q.choice == "yesno"), None)
    note_q = next((q for q in sheet.questions if q.has_note), None)
    page.fill("#om--medarbetare", "Åsa Öberg")
    page.fill("#om--datum", "2026-03-05")
    page.locator(f"#{text_q.id} textarea").fill("Jag vill lära mig mer.\nOch leda.")
    page.locator(f"#{scale_q.id} input[value='4']").first.check()
    if yesno_q:
        page.locator(f"#{yesno_q.id} input[value='nej']").first.check()
    if note_q:
        page.locator(f"#{note_q.id} textarea").fill("För att det behövs.")
    assert sheet.checklist is not None
    item = f"{sheet.checklist.id}--{sheet.checklist.items[0].id}"
    page.locator(f"#{item} input[type=checkbox]").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ner ifylld PDF").click()
    data = Path(download_info.value.path()).read_bytes()
    values = pdf_values(data)
    assert values["_medarbetare"] == "Åsa Öberg"
    assert values["_datum"] == "2026-03-05"
    assert values[text_q.id] == "Jag vill lära mig mer.\nOch leda."
    scale_box = next(
        n for n, i in field_map(site, sheet.id)["fields"].items() if i["key"] == scale_q.id and i.get("value") == "4"
    )
    assert values[scale_box] is True
    boxes = [n for n, i in field_map(site, sheet.id)["fields"].items() if i["key"] == scale_q.id and i["kind"] == "box"]
    assert [n for n in boxes if values[n]] == [scale_box], "one box of the scale is ticked"
    if yesno_q:
        assert [i["value"] for n, i in field_map(site, sheet.id)["fields"].items() if i["key"] == yesno_q.id and values[n]] == [
            "nej"
        ]
    if note_q:
        assert "För att det behövs." in values.values()
    assert values[item] is True
    root = catalog(PdfReader(io.BytesIO(data)))
    assert root["/Lang"] == "sv" and "/StructTreeRoot" in root
    assert {"text", "scale"} <= kinds


def test_download_filled_action_plan_holds_the_goal_rows(page: Any, site: Path, base_url: str, wired: None) -> None:
    open_sheet(page, base_url, "handlingsplan")
    page.locator("[data-samtal-rows] [data-samtal-col='mal']").first.fill("Kurs i projektledning")
    page.locator("[data-samtal-rows] [data-samtal-col='datum']").first.fill("2026-09-01")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ner ifylld PDF").click()
    values = pdf_values(Path(download_info.value.path()).read_bytes())
    assert values["_mal--mal--1"] == "Kurs i projektledning"
    assert values["_mal--datum--1"] == "2026-09-01"


def test_open_filled_pdf_brings_its_answers_into_the_web_sheet(
    page: Any, site: Path, base_url: str, wired: None, tmp_path: Path
) -> None:
    sheet = BANK.worksheet("forberedelse")
    text_q = next(q for q in sheet.questions if q.answer == "text")
    writer = PdfWriter(clone_from=PdfReader(site / paths.pdf_src(sheet.id)))
    for page_object in writer.pages:
        names = {str(a.get_object().get("/T")) for a in page_object.get("/Annots", []) or []}
        values = {k: v for k, v in {"_medarbetare": "Kim Berg", text_q.id: "Skrivet i Acrobat"}.items() if k in names}
        if values:
            writer.update_page_form_field_values(page_object, values, auto_regenerate=False)
    filled = tmp_path / "ifylld.pdf"
    with filled.open("wb") as out:
        writer.write(out)
    open_sheet(page, base_url, sheet.id)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Öppna ifylld PDF").click()
    chooser.value.set_files(str(filled))
    # expect() polls without eval, which the site's CSP forbids
    expect(page.locator("#om--medarbetare")).to_have_value("Kim Berg")
    expect(page.locator(f"#{text_q.id} textarea")).to_have_value("Skrivet i Acrobat")


# --------------------------------------------------------------------------- what the browser prints


def printed(page: Any, url: str) -> PdfReader:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    return PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True, print_background=False)))


def page_texts(doc: PdfReader) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in doc.pages]


def test_printed_phase_page_has_tickable_boxes_and_no_screen_links(page: Any, base_url: str) -> None:
    phase = BANK.phases[0]
    checklist = next(c for c in BANK.checklists if c.phase == phase.id)
    doc = printed(page, base_url + phase.page.removesuffix(".md") + "/")
    text = " ".join(page_texts(doc))
    assert checklist.items[0].text.split()[0] in text
    assert "Skriv ut checklistan" not in text and "Kopiera länk" not in text
    assert "·" not in text, "a separator of the screen's links"
    box = page.evaluate(
        """(id) => {
          const item = document.querySelector(`#${CSS.escape(id)} li`);
          const style = getComputedStyle(item, "::before");
          return {content: style.content, width: parseFloat(style.width), height: parseFloat(style.height),
                  border: parseFloat(style.borderTopWidth), marker: getComputedStyle(item, "::marker").content};
        }""",
        checklist.id,
    )
    assert box["width"] * MM_PER_PX >= 4 and box["height"] * MM_PER_PX >= 4, box
    assert box["border"] >= 1, box
    assert "☐" not in box["marker"], "the screen's ☐ character is not what paper shows"


def test_printed_action_plan_has_a_card_per_goal_with_clean_lines(page: Any, base_url: str) -> None:
    goals = BANK.sheet.goals
    assert goals is not None
    doc = printed(page, base_url + "arbetsblad/handlingsplan/")
    text = " ".join(page_texts(doc))
    for column in goals.columns:
        assert text.count(column.label) >= 3, f"{column.label}: on every printed goal card"
    cards = page.evaluate(
        """() => [...document.querySelectorAll("[data-samtal-rows] > [data-samtal-row]")].map((row) => ({
          border: parseFloat(getComputedStyle(row).borderTopWidth),
          cells: [...row.querySelectorAll(".samtal-print")].map((m) => {
            const s = getComputedStyle(m);
            return {height: m.getBoundingClientRect().height, bottom: parseFloat(s.borderBottomWidth),
                    cellBorder: parseFloat(getComputedStyle(m.parentElement).borderBottomWidth), image: s.backgroundImage};
          }),
        }))""",
    )
    assert len(cards) >= 3
    for card in cards:
        assert card["border"] >= 1, "each goal is a card of its own"
        assert len(card["cells"]) == len(goals.columns)
        for cell in card["cells"]:
            lines = cell["height"] * MM_PER_PX / 8
            assert abs(lines - round(lines)) < 0.05 and round(lines) >= 1, cell
            assert cell["bottom"] == 0 and cell["cellBorder"] == 0, "no border to double a writing line"
            assert "gradient" in cell["image"], "writing lines"


def test_printed_both_views_sheet_has_room_per_view_and_keeps_questions_whole(page: Any, base_url: str) -> None:
    sheet = BANK.worksheet("bada-synerna")
    compare = BANK.sheet.compare
    assert compare is not None
    doc = printed(page, base_url + f"arbetsblad/{sheet.id}/")
    texts = page_texts(doc)
    for question in sheet.questions:
        where = [n for n, t in enumerate(texts) if " ".join(question.text.split()) in t]
        assert len(where) == 1, question.id
        after = texts[where[0]].split(" ".join(question.text.split()), 1)[1]
        assert all(col.label in after for col in compare.columns), f"{question.id}: its views are on its page"
    heights = page.evaluate(
        """() => [...document.querySelectorAll(".samtal-compare .samtal-print--text")]
              .map((m) => m.getBoundingClientRect().height)""",
    )
    assert heights and min(heights) * MM_PER_PX >= 3 * 8 - 0.5, "at least three writing lines per view"
    first_page = texts[0]
    heading = "Frågor"
    assert heading in first_page and first_page.index(heading) < first_page.index(" ".join(sheet.questions[0].text.split())), (
        "no heading left alone at a page's foot"
    )
    for text in texts:
        assert not re.search(r"Frågor\s*$", text), "a heading at the foot of a page"


def test_a_printed_handout_page_is_one_page_with_the_help_box(page: Any, base_url: str) -> None:
    doc = printed(page, base_url + "utdelning/blad-forberedelse/")
    text = " ".join(page_texts(doc))
    assert len(doc.pages) == 1, "a handout is one sheet of paper"
    assert "Här får du hjälp" in text
    assert "Skriv ut lappen" not in text, "the page's own buttons stay on the screen"


def test_scale_and_yes_no_with_a_note_fill_and_read_back(page: Any, site: Path, base_url: str, tmp_path: Path) -> None:
    """The +text kinds (a scale or yes/no with a text box under it), on a sheet made here with them."""
    from dataclasses import replace

    from project import pdf_inputs
    from samtal import fields, pdf, pdf_render

    inputs = pdf_inputs(ROOT, site_url="", cache_dir=tmp_path)
    sheet = BANK.worksheet("efterarbete")
    first, second = sheet.questions[:2]
    noted = (replace(first, answer="scale+text", follow_up="Vad ligger bakom?"), replace(second, answer="yesno+text"))
    sheet = replace(sheet, id="prov-med-not", questions=noted + sheet.questions[2:])
    bank = replace(inputs.bank, worksheets=(*inputs.bank.worksheets, sheet))
    html = pdf.render_documents(replace(inputs, bank=bank))[sheet.id]
    result = pdf_render.Renderer(pdf.STYLESHEET, pdf.FONTS).render(pdf.make_jobs({sheet.id: html})[0])
    mapping = fields.pdf_field_map(bank, sheet)
    assert {info.get("part") for info in mapping["fields"].values()} >= {"choice", "note"}
    pdf_path, map_path = site / paths.pdf_src(sheet.id), site / paths.pdf_fields_src(sheet.id)
    pdf_path.write_bytes(result.pdf)
    map_path.write_text(json.dumps(mapping), encoding="utf-8")
    try:
        answers = answers_for(json.loads(json.dumps(mapping)))
        assert answers[first.id]["value"] == {"choice": "2", "note": f"Svar på {first.id} note – åäö ÅÄÖ"}
        open_sheet(page, base_url, "efterarbete")
        data = base64.b64decode(
            page.evaluate(
                FILL,
                {
                    "module": base_url + MODULE,
                    "answers": answers,
                    "pdfUrl": base_url + paths.pdf_src(sheet.id),
                    "fieldsUrl": base_url + paths.pdf_fields_src(sheet.id),
                },
            )["data"]
        )
        values = pdf_values(data)
        for name, value in expected_fields(mapping, answers).items():
            assert values.get(name) == value, name
        back = page.evaluate(
            READ,
            {
                "module": base_url + MODULE,
                "data": base64.b64encode(data).decode(),
                "fieldsUrl": base_url + paths.pdf_fields_src(sheet.id),
            },
        )
        assert back[first.id]["value"] == answers[first.id]["value"]
        assert back[second.id]["value"] == {"choice": "nej", "note": f"Svar på {second.id} note – åäö ÅÄÖ"}
    finally:
        pdf_path.unlink()
        map_path.unlink()
