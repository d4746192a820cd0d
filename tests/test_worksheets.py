"""Fillable worksheets in the browser: filling, keeping, exporting, printing, and every sheet for everyone.

Every test drives Debian's Chromium over 127.0.0.1 (fixtures in conftest.py)
and asserts on real values in the fields, in localStorage, in downloaded files
and in a printed PDF. The ways answers could be lost have their own file,
test_answers.py; the modules' pure parts have Node unit tests (tests/js/).
Words are read from the strings file, as the page gets them.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from conftest import ROOT, StaticServer, build_site, serve
from project import copy_project
from samtal.bank import load_bank
from samtal.strings import ENGINE_DIR, load_strings

pytestmark = pytest.mark.browser

BANK = load_bank(ROOT / "questions.yaml").bank
STRINGS = load_strings("sv", [ENGINE_DIR])
# Worksheets and the question sets shown as sheets: every page at /arbetsblad/<id>/.
ALL_SHEETS = {sheet.id: sheet for sheet in BANK.sheets}
SHEETS = list(ALL_SHEETS)
FORM = "form[data-samtal-sheet]"
RECORD = "samtalsguiden:arbetsblad:"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def s(key: str, **values: Any) -> str:
    """A text as the page shows it (templates: the key as is; scripts: js.<key>)."""
    return STRINGS.t(key, **values)


def js(key: str, count: int | None = None, **values: Any) -> str:
    return STRINGS.t(f"js.{key}", count=count, **values)


# Every named control of the sheet, by a stable name: id (or name=value for a
# radio button) -> its value, or whether it is checked.
SNAPSHOT_JS = """
form => Object.fromEntries(
  [...form.querySelectorAll('input, textarea')]
    .filter(el => el.type !== 'file')
    .map(el => (el.type === 'radio' || el.type === 'checkbox')
      ? [`${el.name}=${el.value}`, el.checked]
      : [el.id, el.value]))
"""

# Each answer on the sheet by its key: control name (or row column) -> value.
ENTRIES_JS = """
form => Object.fromEntries([...form.querySelectorAll('[data-samtal-key]')].map(entry => {
  const value = {};
  if (entry.dataset.samtalKind === 'rows') {
    entry.querySelectorAll('[data-samtal-row]').forEach((row, i) =>
      row.querySelectorAll('[data-samtal-col]').forEach(el => { value[`${i}:${el.dataset.samtalCol}`] = el.value; }));
  } else {
    entry.querySelectorAll('input[name], textarea[name]').forEach(el => {
      if (el.type === 'radio') { if (el.checked) value[el.name] = el.value; else if (!(el.name in value)) value[el.name] = ''; }
      else if (el.type === 'checkbox') value[el.name] = el.checked;
      else value[el.name] = el.value;
    });
  }
  return [entry.dataset.samtalKey, value];
}))
"""


def sheet_url(base: str, sheet_id: str) -> str:
    return f"{base}arbetsblad/{sheet_id}/"


def wait_started(page: Any) -> None:
    """The sheet's controller has started (form.samtalSheet is set by sheet.js)."""
    page.wait_for_function("() => document.querySelector('form[data-samtal-sheet]')?.samtalSheet !== undefined")


def open_sheet(page: Any, base: str, sheet_id: str) -> Any:
    page.goto(sheet_url(base, sheet_id))
    wait_started(page)
    return page.locator(FORM)


def snapshot(page: Any) -> dict[str, Any]:
    return page.locator(FORM).evaluate(SNAPSHOT_JS)


def entries(page: Any) -> dict[str, dict[str, Any]]:
    return page.locator(FORM).evaluate(ENTRIES_JS)


def stored(page: Any, sheet_id: str) -> dict[str, Any] | None:
    raw = page.evaluate("key => localStorage.getItem(key)", RECORD + sheet_id)
    return json.loads(raw) if raw else None


def stored_values(page: Any, sheet_id: str) -> dict[str, Any]:
    """The stored answers with something in them: KEY -> value."""
    record = stored(page, sheet_id) or {"answers": {}}
    return {key: item["value"] for key, item in record["answers"].items() if "value" in item}


def button(page: Any, key: str) -> Any:
    """A sheet's button by its text in the strings file (e.g. tools.clear)."""
    return page.get_by_role("button", name=s(key), exact=True)


def row_ids(page: Any) -> set[str]:
    """Ids of the goal table's controls (they carry row ids, which change when rows are remade)."""
    return set(page.locator(FORM).evaluate("form => [...form.querySelectorAll('[data-samtal-rows] [id]')].map(e => e.id)"))


def fill_sheet(page: Any, tag: str, *, extra_row: bool = True) -> dict[str, Any]:
    """Fill every field of the open sheet with values unique to it; returns the snapshot."""
    form = page.locator(FORM)
    if extra_row and form.locator("[data-samtal-action=add-row]").count():
        form.locator("[data-samtal-action=add-row]").click()
    for i, field in enumerate(form.locator("textarea:visible, input[type=text]:visible").all()):
        # Unique per field, and made of words a printout keeps whole (a goal row's id holds a
        # random UUID, which a printed line may break at any hyphen).
        field.fill(f"{tag} svar {i} med åäö")
    for i, field in enumerate(form.locator("input[type=date]:visible").all()):
        field.fill((date(2031, 1, 1) + timedelta(days=17 * i)).isoformat())
    names = form.locator("input[type=radio]").evaluate_all("els => [...new Set(els.map(e => e.name))]")
    for i, name in enumerate(names):
        radios = form.locator(f'input[type=radio][name="{name}"]')
        radios.nth((i + len(tag)) % radios.count()).check()
    for i, box in enumerate(form.locator("input[type=checkbox]").all()):
        if i % 3 != 1:  # leave some unchecked, so both states are tested
            box.check()
    return snapshot(page)


def assert_filled(snap: dict[str, Any]) -> None:
    texts = [v for v in snap.values() if isinstance(v, str)]
    assert texts and all(v for v in texts), "every text and date field has a value"
    boxes = [v for v in snap.values() if isinstance(v, bool)]
    assert not boxes or any(boxes), "some choice or checkbox is set"


def choose_file(page: Any, name: str, content: bytes, action: str = "tools.open_file") -> None:
    with page.expect_file_chooser() as chooser:
        button(page, action).click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "application/json", "buffer": content}])


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def is_in_order(needle: list[str], haystack: list[str]) -> bool:
    """Whether every word of ``needle`` occurs in ``haystack``, in order."""
    rest = iter(haystack)
    return bool(needle) and all(word in rest for word in needle)


def click_nav(page: Any, text: str) -> None:
    page.locator(".md-sidebar--primary .md-nav__link", has_text=re.compile(rf"^\s*{text}\s*$")).first.click()


# --------------------------------------------------------------------------- fill, reload, navigate


@pytest.mark.parametrize("sheet_id", SHEETS)
def test_every_field_survives_reload_restart_and_instant_navigation(
    page: Any, context: Any, browser: Any, base_url: str, sheet_id: str
) -> None:
    open_sheet(page, base_url, sheet_id)
    before = snapshot(page)
    assert page.locator("[data-samtal-saved]").inner_text() == s("tools.nothing_yet")
    filled = fill_sheet(page, sheet_id)
    assert_filled(filled)
    assert filled != before
    assert page.locator("[data-samtal-saved]").inner_text().startswith("Senast sparat i dag kl.")

    # Stored by question id, with the question text as shown.
    record = stored(page, sheet_id)
    assert record is not None and record["worksheet"] == sheet_id and record["version"] == 2
    for q in ALL_SHEETS[sheet_id].questions:
        assert "value" in record["answers"][q.id], q.id
        shown = page.locator(f"[id='{q.id}'] .samtal-field__question").first.inner_text()
        assert record["answers"][q.id]["question"] == shown.strip()

    page.reload()
    wait_started(page)
    assert snapshot(page) == filled

    # Instant navigation away and back: no full page load happens.
    page.evaluate("() => { window.__samePage = true; }")
    click_nav(page, "Start")
    page.wait_for_function("() => !document.querySelector('form[data-samtal-sheet]')")
    page.go_back()
    wait_started(page)
    assert page.evaluate("() => window.__samePage") is True, "navigation was instant"
    assert snapshot(page) == filled

    # Away by a link and back by links, still within the same page load.
    click_nav(page, "Arbetsblad")
    page.locator(f"article a[href='{sheet_id}/'], article a[href$='/arbetsblad/{sheet_id}/']").first.click()
    wait_started(page)
    assert page.evaluate("() => window.__samePage") is True
    assert snapshot(page) == filled
    # Typing after instant navigation is still saved.
    first = page.locator(f"{FORM} textarea").first
    first.fill("Ändrat efter navigering")
    assert "Ändrat efter navigering" in json.dumps(stored(page, sheet_id), ensure_ascii=False)

    # A browser restart: a new browser context with the same stored profile.
    later = browser.new_context(storage_state=context.storage_state(), locale="sv-SE", service_workers="block")
    later.route(
        "**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname in {"127.0.0.1", None} else route.abort()
    )
    try:
        again = later.new_page()
        open_sheet(again, base_url, sheet_id)
        expected = dict(filled)
        expected[first.get_attribute("id")] = "Ändrat efter navigering"
        assert snapshot(again) == expected
    finally:
        later.close()
    assert page.js_errors == []


# --------------------------------------------------------------------------- a rebuilt bank


def _rebuilt_bank(project: Path) -> dict[str, Any]:
    """Change the copy's bank: remove, reorder, reword and add questions, change a kind."""
    path = project / "questions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = data["questions"]
    by_id = {q["id"]: q for q in questions}
    compare = next(w for w in data["worksheets"] if w["id"] == "bada-synerna")
    ids = compare["questions"]
    # bada-synerna (an explicit list): remove one, swap the first two, add one.
    ids.remove("forvantningar")
    ids[0], ids[1] = ids[1], ids[0]
    compare_swapped = (ids[0], ids[1])
    ids.append("trivsel")
    by_id["kunskap-som-behovs"]["text"] = "Vilken kunskap behöver du för att göra ditt jobb riktigt bra?"

    # forberedelse (a selector): remove a question from the bank, swap two.
    used = {qid for w in data["worksheets"] if isinstance(w["questions"], list) for qid in w["questions"]}
    used |= {qid for st in data.get("sets", []) for qid in st["questions"]}
    sheet = ALL_SHEETS["forberedelse"]
    removed = next(q.id for q in sheet.questions if q.id not in used and q.answer == "text")
    questions.remove(by_id[removed])
    rest = [q.id for q in sheet.questions if q.id != removed]
    a, b = rest[1], rest[4]
    ia, ib = questions.index(by_id[a]), questions.index(by_id[b])
    questions[ia], questions[ib] = questions[ib], questions[ia]
    # forberedelse: one question's answer changes from text to a 1-5 scale.
    changed = next(q.id for q in sheet.questions if q.id not in used | {removed, a, b} and q.answer == "text")
    by_id[changed]["answer"] = "scale"
    # A set that goes away altogether.
    data["sets"] = [st for st in data["sets"] if st["id"] != "ny-chef"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"removed": removed, "swapped": (a, b), "changed": changed, "compare_swapped": compare_swapped}


def test_answers_follow_their_questions_after_a_rebuild(page: Any, tmp_path: Path) -> None:
    srv = serve(tmp_path)
    try:
        base = srv.url
        build_site(tmp_path / "site1", env={"SITE_URL": base, "SAMTAL_PDF": "off"})
        srv.directory = tmp_path / "site1"
        filled: dict[str, dict[str, dict[str, Any]]] = {}
        for sheet_id in ("bada-synerna", "forberedelse", "ny-chef"):
            open_sheet(page, base, sheet_id)
            fill_sheet(page, sheet_id)
            filled[sheet_id] = entries(page)

        project = copy_project(tmp_path / "project")
        changes = _rebuilt_bank(project)
        build_site(tmp_path / "site2", root=project, env={"SITE_URL": base, "SAMTAL_PDF": "off"})
        srv.directory = tmp_path / "site2"  # same origin, so localStorage stays

        # bada-synerna: every remaining answer in its own field, whatever the order.
        open_sheet(page, base, "bada-synerna")
        order = page.locator(f"{FORM} [data-samtal-key]").evaluate_all("els => els.map(e => e.dataset.samtalKey)")
        first, second = changes["compare_swapped"]
        assert order.index(first) < order.index(second), "the new build has the new order"
        now = entries(page)
        for key, value in filled["bada-synerna"].items():
            if key != "forvantningar":
                assert now[key] == value, key
        assert "forvantningar" not in now
        assert all(v in ("", False) for v in now["trivsel"].values()), "a new question starts empty"
        assert "riktigt bra" in page.locator("[id='kunskap-som-behovs'] legend").first.inner_text()
        kept = page.locator("[data-samtal-kept]")
        assert kept.is_visible()
        assert kept.locator("h2").inner_text() == s("kept.title")
        assert BANK.question("forvantningar").text in kept.inner_text()
        for part in ("min", "chef", "overens"):
            assert filled["bada-synerna"]["forvantningar"][f"forvantningar--{part}"] in kept.inner_text()
        # The kept answer reads with the labels of its parts, as they were shown.
        assert "Din syn: " in kept.inner_text()

        # forberedelse: the removed question's answer is kept, the rest in place.
        open_sheet(page, base, "forberedelse")
        now = entries(page)
        removed, changed = changes["removed"], changes["changed"]
        assert removed not in now
        for key, value in filled["forberedelse"].items():
            if key not in (removed, changed):
                assert now[key] == value, key
        kept_text = page.locator("[data-samtal-kept]").inner_text()
        removed_answer = next(iter(filled["forberedelse"][removed].values()))
        assert str(removed_answer) in kept_text

        # The question whose kind changed starts empty; its old answer is kept
        # under KEY~1 at once, and stays kept when the person answers anew.
        old_answer = filled["forberedelse"][changed][changed]
        assert now[changed] == {changed: ""}
        assert old_answer in kept_text
        assert stored_values(page, "forberedelse")[f"{changed}~1"] == old_answer
        page.locator(f"[id='{changed}'] input[type=radio][value='4']").check()
        values = stored_values(page, "forberedelse")
        assert values[changed] == "4"
        assert values[f"{changed}~1"] == old_answer
        assert old_answer in page.locator("[data-samtal-kept]").inner_text()

        # Kept answers stay after a reload, and can be deleted one by one.
        page.reload()
        wait_started(page)
        kept_text = page.locator("[data-samtal-kept]").inner_text()
        assert str(removed_answer) in kept_text and old_answer in kept_text
        assert entries(page)[changed] == {changed: "4"}
        page.locator(f"[data-samtal-kept] [data-samtal-action=kept-delete][data-key='{removed}']").click()
        assert removed not in stored_values(page, "forberedelse")
        assert old_answer in page.locator("[data-samtal-kept]").inner_text()
        page.locator(f"[data-samtal-kept] [data-samtal-action=kept-delete][data-key='{changed}~1']").click()
        assert page.locator("[data-samtal-kept]").is_hidden()
        page.reload()
        wait_started(page)
        assert page.locator("[data-samtal-kept]").is_hidden()
        expected = {k: v for k, v in filled["forberedelse"].items() if k != removed}
        expected[changed] = {changed: "4"}
        assert entries(page) == expected

        # The set that is gone: its answers are listed on the worksheets page, to save or delete.
        page.goto(f"{base}arbetsblad/")
        orphan = page.locator("[data-samtal-orphans] [data-samtal-orphan-item]")
        orphan.wait_for()
        assert orphan.locator("h3").inner_text() == ALL_SHEETS["ny-chef"].title
        count = len([v for v in filled["ny-chef"].values() if any(x not in ("", False) for x in v.values())])
        assert orphan.locator("[data-samtal-orphan-about]").inner_text().startswith(f"{count} svar")
        with page.expect_download() as info:
            orphan.get_by_role("button", name=s("orphans.download_text")).click()
        text = Path(info.value.path()).read_text(encoding="utf-8")
        for q in ALL_SHEETS["ny-chef"].questions:
            assert q.text in text
        assert page.js_errors == []
    finally:
        srv.close()


# --------------------------------------------------------------------------- export, clear, import


@pytest.mark.parametrize("sheet_id", ["handlingsplan", "bada-synerna", "under-samtalet"])
def test_export_clear_import_restores_every_value(page: Any, base_url: str, sheet_id: str, tmp_path: Path) -> None:
    open_sheet(page, base_url, sheet_id)
    empty = snapshot(page)
    filled = fill_sheet(page, sheet_id)
    filled_rows = row_ids(page)
    assert empty != filled

    with page.expect_download() as info:
        button(page, "tools.save_file").click()
    saved = tmp_path / "svar.json"
    info.value.save_as(saved)
    assert info.value.suggested_filename.startswith(f"arbetsblad-{sheet_id}-")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "samtalsguiden-arbetsblad" and data["version"] == 1
    assert data["worksheet"]["id"] == sheet_id
    answers = {a["id"]: a for a in data["answers"]}
    for q in ALL_SHEETS[sheet_id].questions:
        shown = page.locator(f"[id='{q.id}'] .samtal-field__question").first.inner_text().strip()
        assert answers[q.id]["question"] == shown

    # Clear, with a confirmation; undo brings everything back.
    button(page, "tools.clear").click()
    button(page, "tools.clear_yes").click()
    cleared = snapshot(page)
    assert cleared.keys() - row_ids(page) == filled.keys() - filled_rows
    assert all(v in ("", False) for v in cleared.values())
    assert stored_values(page, sheet_id) == {}
    button(page, "tools.undo").click()
    assert snapshot(page) == filled
    button(page, "tools.clear").click()
    button(page, "tools.clear_yes").click()
    page.reload()
    wait_started(page)
    assert all(v in ("", False) for v in snapshot(page).values()), "the cleared sheet stays empty"
    assert button(page, "tools.undo").is_hidden(), "undo ends when the page is left"

    # Open the saved file: every value is back (nothing typed, so nothing to ask).
    with page.expect_file_chooser() as chooser:
        button(page, "tools.open_file").click()
    chooser.value.set_files(str(saved))
    page.locator("[data-samtal-message]", has_text=js("file.opened", count=len(data["answers"]))).wait_for()
    assert snapshot(page) == filled
    assert stored_values(page, sheet_id).keys() == answers.keys()

    # Broken and foreign files change nothing and say why.
    before = stored(page, sheet_id)
    other = next(x for x in SHEETS if x != sheet_id)
    cases = {
        "trasig.json": (b'{"format": "samtalsguiden-arbetsblad", "answers": [', js("file.not_json")),
        "annan.json": (json.dumps({"hej": 1}).encode(), js("file.not_ours")),
        "fel-blad.json": (
            json.dumps(dict(data, worksheet={"id": other, "title": "Ett annat blad"})).encode(),
            js("file.other_sheet", title="Ett annat blad"),
        ),
        "skadad.json": (
            json.dumps(dict(data, answers=[{"id": "x", "question": "?", "answer": {"a": [1]}}])).encode(),
            js("file.damaged"),
        ),
        "nyare.json": (json.dumps(dict(data, version=2)).encode(), js("file.newer")),
    }
    for name, (content, message) in cases.items():
        choose_file(page, name, content)
        page.get_by_role("alert").filter(has_text=message).wait_for()
        assert snapshot(page) == filled, name
        assert stored(page, sheet_id) == before, name
    assert page.js_errors == []


def test_a_version_1_record_and_a_table_column_the_sheet_no_longer_has(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "handlingsplan")
    record = {
        "format": "samtalsguiden-arbetsblad",
        "version": 1,
        "worksheet": "handlingsplan",
        "saved": "2030-01-01T10:00:00Z",
        "answers": {
            "_mal": {
                "question": "Mål och avstämningar",
                "value": [
                    {"id": "rad-1", "mal": "Bli bättre på Excel", "resurser": "En kurs i april"},
                    {"id": "rad-2", "mal": "Leda ett möte", "resurser": ""},
                ],
            },
            "_medarbetare": {"question": "Ditt namn", "value": "Kim"},
        },
    }
    page.evaluate("r => localStorage.setItem('samtalsguiden:arbetsblad:handlingsplan', JSON.stringify(r))", record)
    page.reload()
    wait_started(page)
    rows = page.locator("[data-samtal-row]")
    assert rows.nth(0).locator("[data-samtal-col=mal]").input_value() == "Bli bättre på Excel"
    assert rows.nth(1).locator("[data-samtal-col=mal]").input_value() == "Leda ett möte"
    assert page.locator("#om--medarbetare").input_value() == "Kim"
    kept = page.locator("[data-samtal-kept]")
    assert kept.is_visible() and "En kurs i april" in kept.inner_text()
    # The record is version 2 now: the column it lost is kept under _mal~1.
    now = stored(page, "handlingsplan")
    assert now is not None and now["version"] == 2
    assert now["answers"]["_mal~1"]["value"] == [{"id": "rad-1", "resurser": "En kurs i april"}]
    assert [r["mal"] for r in now["answers"]["_mal"]["value"]] == ["Bli bättre på Excel", "Leda ett möte"]
    # Typing in the table keeps both.
    rows.nth(0).locator("[data-samtal-col=aktiviteter]").fill("Gå kursen")
    values = stored_values(page, "handlingsplan")
    assert values["_mal"][0] == {"id": "rad-1", "mal": "Bli bättre på Excel", "aktiviteter": "Gå kursen"}
    assert values["_mal~1"] == [{"id": "rad-1", "resurser": "En kurs i april"}]
    page.reload()
    wait_started(page)
    assert "En kurs i april" in page.locator("[data-samtal-kept]").inner_text()
    assert page.js_errors == []


@pytest.mark.parametrize("how", ["clear", "remove-row", "import", "kept-delete"])
def test_undo_ends_with_the_next_change(page: Any, base_url: str, how: str) -> None:
    open_sheet(page, base_url, "handlingsplan")
    rows = page.locator("[data-samtal-row]")
    goal = rows.nth(0).locator("[data-samtal-col=mal]")
    goal.fill("Gammalt mål")
    rows.nth(1).locator("[data-samtal-col=mal]").fill("Andra målet")
    if how == "clear":
        button(page, "tools.clear").click()
        button(page, "tools.clear_yes").click()
    elif how == "remove-row":
        rows.nth(1).locator("[data-samtal-action=remove-row]").click()
        assert page.locator("[data-samtal-message]").inner_text() == js("plan.removed", goal="Mål 2")
    elif how == "import":
        data = {
            "format": "samtalsguiden-arbetsblad",
            "version": 1,
            "worksheet": {"id": "handlingsplan"},
            "answers": [{"id": "_chef", "question": "Din chef", "answer": "Från filen"}],
        }
        choose_file(page, "svar.json", json.dumps(data).encode())
        page.locator("[data-samtal-message]", has_text=js("file.opened", count=1)).wait_for()
    else:
        page.evaluate("""() => {
          const r = JSON.parse(localStorage.getItem('samtalsguiden:arbetsblad:handlingsplan'));
          r.answers['borttagen-fraga'] = {question: 'En gammal fråga?', value: 'Gammalt svar', edited: {'': Date.now()}};
          localStorage.setItem('samtalsguiden:arbetsblad:handlingsplan', JSON.stringify(r));
        }""")
        page.reload()
        wait_started(page)
        page.locator("[data-samtal-action=kept-delete]").click()
        assert page.locator("[data-samtal-kept]").is_hidden()
    undo = button(page, "tools.undo")
    assert undo.is_visible()

    # The person goes on: undo is gone, so it cannot put old answers over this.
    goal.fill("Nytt mål")
    assert undo.is_hidden()
    assert page.locator("[data-samtal-message]").inner_text() == ""
    page.evaluate("() => document.querySelector('[data-samtal-action=undo]').click()")
    assert goal.input_value() == "Nytt mål"
    page.reload()
    wait_started(page)
    assert page.locator("[data-samtal-row]").nth(0).locator("[data-samtal-col=mal]").input_value() == "Nytt mål"
    values = json.dumps(stored_values(page, "handlingsplan"), ensure_ascii=False)
    assert "Nytt mål" in values and "Gammalt mål" not in values
    assert ("Från filen" in values) == (how == "import")
    assert ("Andra målet" in values) == (how in ("import", "kept-delete"))
    assert "Gammalt svar" not in values

    # Adding a goal is a change too.
    rows.nth(0).locator("[data-samtal-action=remove-row]").click()
    assert undo.is_visible()
    button(page, "plan.add_goal").click()
    assert undo.is_hidden()
    assert page.js_errors == []


def test_a_sheet_made_by_a_link_keeps_its_address(page: Any, base_url: str) -> None:
    from pypdf import PdfReader

    ids = [q.id for q in BANK.questions[:2]]
    url = f"{base_url}arbetsblad/eget/?fragor={','.join(ids)}&titel=X"
    page.goto(url)
    wait_started(page)
    page.locator(f"[id='{ids[0]}']").wait_for()
    assert page.locator("[data-samtal-url]").inner_text() == url
    with page.expect_download() as info:
        button(page, "tools.save_file").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["worksheet"] == {"id": "eget", "title": "X", "url": url}
    with page.expect_download() as info:
        button(page, "tools.download_text").click()
    assert js("text.source", url=url) in Path(info.value.path()).read_text(encoding="utf-8")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    text = re.sub(r"\s+", "", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert f"arbetsblad/eget/?fragor={','.join(ids)}&titel=X" in text
    assert page.js_errors == []


# --------------------------------------------------------------------------- text for an e-mail


def test_text_export_is_plain_text_for_an_email(page: Any, context: Any, base_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    open_sheet(page, base_url, "bada-synerna")
    page.fill("#om--medarbetare", "Kim Andersson")
    questions = ALL_SHEETS["bada-synerna"].questions
    first = questions[0]
    page.fill(f"[id='svar--{first.id}--min']", "Jag nådde två av tre mål.\nDet tredje blev för stort.")
    page.fill(f"[id='svar--{first.id}--overens']", "Vi följer upp i maj.")
    unanswered = questions[1]
    with page.expect_download() as info:
        button(page, "tools.download_text").click()
    assert info.value.suggested_filename.endswith(".txt")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == ALL_SHEETS["bada-synerna"].title
    assert f"{s('sheet.about')}\n    {BANK.sheet.header[0].label}: Kim Andersson\n" in text
    assert (
        f"\n{first.text}\n    Din syn: Jag nådde två av tre mål.\n    Det tredje blev för stort.\n"
        f"    Det ni kom överens om: Vi följer upp i maj.\n"
    ) in text
    assert unanswered.text not in text, "a question without an answer is left out"
    for markdown in ("#", "**", "- [", "__"):
        assert markdown not in text, markdown
    assert lines[-2] == js("text.source", url=sheet_url(base_url, "bada-synerna"))
    assert page.locator("[data-samtal-message]").inner_text() == js("text.downloading")

    # The clipboard gets the same text.
    button(page, "tools.copy_text").click()
    page.locator("[data-samtal-message]", has_text=js("text.copied")).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == text


def test_a_scale_reads_as_words_in_text(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "forberedelse")
    scale = next(q for q in ALL_SHEETS["forberedelse"].questions if q.choice == "scale")
    page.locator(f"[id='{scale.id}'] input[type=radio][value='4']").first.check()
    with page.expect_download() as info:
        button(page, "tools.download_text").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    # The choice reads as words on its own indented line under the question ("Svar: 4 av 5"
    # where the question also has a text box).
    shown = re.escape(s("sheet.scale_show", value="4", steps=5))
    assert re.search(rf"\n{re.escape(scale.text)}\n    (?:[^\n]+: )?{shown}\n", text), text


def test_checklist_reads_as_plain_words_in_text(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "forberedelse")
    checklist = ALL_SHEETS["forberedelse"].checklist
    assert checklist is not None
    boxes = page.locator(f"{FORM} input[type=checkbox]")
    boxes.nth(0).check()
    with page.expect_download() as info:
        button(page, "tools.download_text").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    items = checklist.items
    assert (
        f"\n{checklist.title}\n    {js('text.done', text=items[0].text)}\n    {js('text.not_done', text=items[1].text)}\n" in text
    )
    assert "[x]" not in text and "[ ]" not in text


def test_a_message_goes_when_it_no_longer_applies(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "forberedelse")
    page.locator(f"{FORM} textarea").first.fill("Ett svar")
    message = page.locator("[data-samtal-message]")
    with page.expect_download():
        button(page, "tools.download_text").click()
    assert message.inner_text() == js("text.downloading")
    # Asking to clear: the download message no longer applies.
    button(page, "tools.clear").click()
    assert message.inner_text() == ""
    assert page.locator("[data-samtal-confirm]").is_visible()
    button(page, "tools.clear_yes").click()
    assert message.inner_text() == js("clear.done")
    # Typing again: the clear message (about Ångra) no longer applies either.
    page.locator(f"{FORM} textarea").nth(1).fill("Nytt")
    assert message.inner_text() == ""
    # An error goes when the next action starts.
    choose_file(page, "trasig.json", b"{")
    error = page.locator("[data-samtal-error]")
    error.filter(has_text=js("file.not_json")).wait_for()
    with page.expect_download():
        button(page, "tools.save_file").click()
    assert error.inner_text() == ""
    assert message.inner_text() == js("file.saved")


# --------------------------------------------------------------------------- the action plan


def test_goal_cards_are_numbered_and_keep_the_focus(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "handlingsplan")
    cards = page.locator("[data-samtal-row]")
    least = int(page.locator("[data-samtal-kind=rows]").get_attribute("data-samtal-min-rows"))
    assert cards.count() == least
    assert cards.locator("legend").all_inner_texts() == [s("plan.goal_n", n=i) for i in range(1, least + 1)]
    # Each field is labelled by its column; the card's legend names the goal.
    assert BANK.sheet.goals is not None
    for col in BANK.sheet.goals.columns:
        field = cards.nth(1).locator(f"[data-samtal-col='{col.id}']")
        assert page.evaluate("el => el.labels[0].textContent", field.element_handle()) == col.label
        assert field.evaluate("el => el.closest('fieldset').querySelector('legend').textContent") == s("plan.goal_n", n=2)
    # The remove button says which goal.
    assert cards.nth(1).locator("[data-samtal-action=remove-row]").text_content() == (
        s("plan.remove_goal") + s("plan.goal_n_short", n=2)
    )

    button(page, "plan.add_goal").click()
    assert cards.count() == least + 1
    new_first = cards.nth(least).locator("[data-samtal-col]").first
    assert new_first.evaluate("el => el === document.activeElement")
    assert page.locator("[data-samtal-message]").inner_text() == js("plan.added", n=least + 1)

    for i in range(least + 1):
        cards.nth(i).locator("[data-samtal-col=mal]").fill(f"Mål nummer {i + 1}")
    cards.nth(1).locator("[data-samtal-action=remove-row]").click()
    assert cards.locator("[data-samtal-col=mal]").evaluate_all("els => els.map(e => e.value)") == [
        f"Mål nummer {i}" for i in range(1, least + 2) if i != 2
    ]
    assert cards.locator("legend").all_inner_texts() == [s("plan.goal_n", n=i) for i in range(1, least + 1)]
    # The focus goes to the goal that took its place.
    assert page.evaluate("() => document.activeElement.value") == "Mål nummer 3"
    button(page, "tools.undo").click()
    assert cards.locator("[data-samtal-col=mal]").evaluate_all("els => els.map(e => e.value)") == [
        f"Mål nummer {i}" for i in range(1, least + 2)
    ]
    page.reload()
    wait_started(page)
    assert cards.locator("[data-samtal-col=mal]").evaluate_all("els => els.map(e => e.value)") == [
        f"Mål nummer {i}" for i in range(1, least + 2)
    ]
    assert page.js_errors == []


def test_calendar_file_has_one_event_per_checkpoint_and_no_injected_ones(page: Any, base_url: str) -> None:
    from icalendar import Calendar

    # A goal stored by hand (or by an old version, or in a file): its row id and
    # its text hold lone CRs, CRLFs and a whole event of their own.
    hostile = {
        "id": "r1\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:ond",
        "mal": "Först\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Ond",
        "aktiviteter": "Aktivitet h, med komma\\ och snedstreck",
        "datum": "2031-01-10",
    }
    page.goto(sheet_url(base_url, "handlingsplan"))
    record = {
        "format": "samtalsguiden-arbetsblad",
        "version": 1,
        "worksheet": "handlingsplan",
        "saved": "2030-01-01T00:00:00Z",
        "answers": {"_mal": {"question": "Mål", "value": [hostile]}},
    }
    page.evaluate("r => localStorage.setItem('samtalsguiden:arbetsblad:handlingsplan', JSON.stringify(r))", record)
    open_sheet(page, base_url, "handlingsplan")
    goals = [
        (hostile["mal"], hostile["datum"]),
        ("Leda ett projekt; med budget, tidplan och en grupp på fem personer som jag inte har arbetat med förut", "2031-03-14"),
        ("Gå en kurs\nEND:VEVENT\nBEGIN:VEVENT\nUID:ond\nDTSTART:20300101\nSUMMARY:Klicka här", "2031-06-02"),
        ("Utan datum", ""),
        ("Lära mig det nya ärendesystemet", "2031-10-20"),
    ]
    while page.locator("[data-samtal-row]").count() < len(goals):
        button(page, "plan.add_goal").click()
    rows = page.locator("[data-samtal-row]")
    assert rows.nth(0).locator("[data-samtal-col=mal]").input_value() == hostile["mal"].replace("\r", "\n")
    for i, (goal, when) in enumerate(goals[1:], start=1):
        rows.nth(i).locator("[data-samtal-col=mal]").fill(goal)
        rows.nth(i).locator("[data-samtal-col=aktiviteter]").fill(f"Aktivitet {i}, med komma\\ och snedstreck")
        if when:
            rows.nth(i).locator("[data-samtal-col=datum]").fill(when)
    with page.expect_download() as info:
        button(page, "plan.calendar").click()
    raw = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == js("files.calendar", id="handlingsplan")
    assert page.locator("[data-samtal-message]").inner_text() == js("calendar.downloading", count=4)

    # RFC 5545: CRLF line ends, lines of at most 75 octets, folded with a space.
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
    cal = Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    events = cal.walk("VEVENT")
    dated = [(g, d) for g, d in goals if d]
    assert len(events) == len(dated), "a goal with line breaks added no event"
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event, (goal, when) in zip(events, dated, strict=True):
        assert re.fullmatch(r"[A-Za-z0-9.@-]+", str(event["UID"]))
        assert event.decoded("DTSTART") == date.fromisoformat(when)
        assert event.get("DTSTAMP") is not None
        # The goal comes back as typed, line breaks and all (as \n).
        assert goal.replace("\r", "\n") in str(event["DESCRIPTION"])
        assert "Aktivitet" in str(event["DESCRIPTION"]) and "komma\\ och" in str(event["DESCRIPTION"])
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        trigger = alarms[0].decoded("TRIGGER")
        assert timedelta(days=-1) <= trigger < timedelta(0), "a reminder the day before"
    assert str(events[0]["SUMMARY"]) == js("calendar.summary", goal="Först")
    assert str(events[2]["SUMMARY"]) == js("calendar.summary", goal="Gå en kurs")

    # Without any date there is nothing to add, and the page says so.
    for i in range(len(goals)):
        rows.nth(i).locator("[data-samtal-col=datum]").fill("")
    button(page, "plan.calendar").click()
    assert page.get_by_role("alert").filter(has_text=js("calendar.no_dates")).is_visible()


# --------------------------------------------------------------------------- scale+text and yesno+text


@pytest.fixture(scope="module")
def plus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A build whose preparation sheet has a scale+text and a yesno+text question (no PDFs)."""
    root = tmp_path_factory.mktemp("plus")
    project = copy_project(root / "project")
    path = project / "questions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = {"trivsel": "scale+text", "resurser-racker": "yesno+text"}
    for q in data["questions"]:
        if q["id"] in kinds:
            q["answer"] = kinds[q["id"]]
            if q["id"] == "trivsel":
                q["follow_up"] = "Vad skulle göra dig mer nöjd?"
            else:
                q.pop("follow_up", None)  # the sheet's default follow-up is shown
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    srv: StaticServer = serve(root)
    build_site(root / "site", root=project, env={"SITE_URL": srv.url, "SAMTAL_PDF": "off"})
    srv.directory = root / "site"
    yield srv.url
    srv.close()


def test_answers_with_a_text_part_round_trip(page: Any, plus_site: str, tmp_path: Path) -> None:
    base = plus_site
    open_sheet(page, base, "forberedelse")
    page.locator("[id='trivsel'] input[name='trivsel--choice'][value='4']").check()
    page.fill("[id='svar--trivsel--note']", "Mer tid för\nutveckling")
    page.locator("[id='resurser-racker'] input[name='resurser-racker--choice'][value='nej']").check()
    page.fill("[id='svar--resurser-racker--note']", "Vi är för få")
    assert "Vad skulle göra dig mer nöjd?" in page.locator("[id='trivsel']").inner_text()
    assert BANK.sheet.follow_up in page.locator("[id='resurser-racker']").inner_text(), "the bank's default follow-up"
    values = stored_values(page, "forberedelse")
    assert values["trivsel"] == {"choice": "4", "note": "Mer tid för\nutveckling"}
    assert values["resurser-racker"] == {"choice": "nej", "note": "Vi är för få"}
    filled = snapshot(page)

    with page.expect_download() as info:
        button(page, "tools.download_text").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "    Vad skulle göra dig mer nöjd: Mer tid för\n    utveckling\n" in text
    assert f"    {s('sheet.answer')}: {s('sheet.scale_show', value='4', steps=5)}\n" in text

    with page.expect_download() as info:
        button(page, "tools.save_file").click()
    saved = tmp_path / "svar.json"
    info.value.save_as(saved)
    page.reload()
    wait_started(page)
    assert snapshot(page) == filled
    button(page, "tools.clear").click()
    button(page, "tools.clear_yes").click()
    with page.expect_file_chooser() as chooser:
        button(page, "tools.open_file").click()
    chooser.value.set_files(str(saved))
    page.locator("[data-samtal-message]", has_text=js("file.opened", count=2)).wait_for()
    assert snapshot(page) == filled

    # The same questions on a sheet made by a link: built from the templates, same names.
    page.goto(f"{base}arbetsblad/eget/?fragor=trivsel,resurser-racker")
    wait_started(page)
    assert "Vad skulle göra dig mer nöjd?" in page.locator("[id='trivsel']").inner_text()
    assert "SAMTAL_" not in page.locator("[data-samtal-questions]").inner_html()
    page.locator("[id='trivsel'] input[name='trivsel--choice'][value='2']").check()
    page.fill("[id='svar--trivsel--note']", "Länkens svar")
    page.reload()
    wait_started(page)
    assert page.locator("[id='trivsel'] input[name='trivsel--choice'][value='2']").is_checked()
    assert page.input_value("[id='svar--trivsel--note']") == "Länkens svar"
    assert stored_values(page, "eget")["trivsel"] == {"choice": "2", "note": "Länkens svar"}
    assert page.js_errors == []


# --------------------------------------------------------------------------- the PDF buttons


def test_pdf_buttons_say_so_when_the_filled_pdf_cannot_be_made(page: Any, base_url: str, site: Path) -> None:
    # The PDF library cannot be loaded (a half-finished upload, a filter on the network).
    page.route("**/pdf-lib*", lambda route: route.fulfill(status=404, body="not found"))
    page.route("**/pdf-fill.js*", lambda route: route.fulfill(status=404, body="not found"))
    open_sheet(page, base_url, "forberedelse")
    form = page.locator(FORM)
    assert form.get_attribute("data-samtal-pdf") and form.get_attribute("data-samtal-pdf-fields")
    for action in ("tools.fill_pdf", "tools.open_pdf"):
        button(page, action).click()
        page.get_by_role("alert").filter(has_text=js("pdf.unavailable")).wait_for()
    assert [e for e in page.js_errors if "pdf-fill.js" not in e and "404" not in e] == []


# --------------------------------------------------------------------------- print


@pytest.mark.parametrize("sheet_id", ["handlingsplan", "bada-synerna"])
def test_printed_sheet_contains_every_answer(page: Any, base_url: str, sheet_id: str) -> None:
    from pypdf import PdfReader

    open_sheet(page, base_url, sheet_id)
    fill_sheet(page, sheet_id)
    # One answer far longer than its field, which must print in full.
    long_answer = " ".join(f"mening{i} om hur året har gått" for i in range(120))
    page.locator(f"{FORM} .samtal-field textarea").nth(1).fill(long_answer)
    values = [v for v in entries(page).values() for v in v.values() if isinstance(v, str) and len(v) > 3]
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # Columns side by side come out of the PDF line by line, interleaved; so
    # each answer's words must appear in order, with other words between.
    printed = words(text)
    for value in values:
        assert is_in_order(words(value), printed), value[:60]
    assert sheet_url(base_url, sheet_id) in re.sub(r"\s+", "", text)
    assert all(field.label in text for field in BANK.sheet.header)
    for hidden in (s("tools.save_file"), s("tools.clear"), s("plan.calendar")):
        assert hidden not in text


def test_blank_sheet_prints_with_writing_lines(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "forberedelse")
    page.emulate_media(media="print")
    heights = page.locator(f"{FORM} .samtal-print--text").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) > 80, "an empty text answer leaves room to write"
    assert page.locator(f"{FORM} textarea").first.is_hidden()
    assert page.locator(".samtal-tools").is_hidden()
    assert page.locator(".samtal-sheet__source").is_visible()


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("sheet_id", SHEETS)
def test_no_axe_violations(page: Any, base_url: str, sheet_id: str, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 900})
    open_sheet(page, base_url, sheet_id)
    if width > 390:  # filled fields once; the phone layout does not change with values
        fill_sheet(page, "axe")
    # A kept answer and the confirmation box too, so their markup is checked.
    page.evaluate(
        """id => {
      const key = 'samtalsguiden:arbetsblad:' + id;
      const r = JSON.parse(localStorage.getItem(key)) || {format: 'samtalsguiden-arbetsblad', version: 2, answers: {}};
      r.answers['borttagen-fraga'] = {question: 'En gammal fråga?', value: 'Svar', edited: {'': Date.now()}};
      localStorage.setItem(key, JSON.stringify(r));
    }""",
        sheet_id,
    )
    page.reload()
    wait_started(page)
    button(page, "tools.clear").click()
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert not result.response["violations"], result.generate_report()


ACTIVE_JS = """
() => {
  const el = document.activeElement;
  const form = document.querySelector('form[data-samtal-sheet]');
  return {
    inForm: !!(el && form.contains(el)),
    tag: el ? el.tagName : '', type: el ? (el.type || '') : '', name: el ? (el.name || '') : '',
    id: el ? el.id : '', value: el ? (el.value || '') : '', checked: !!(el && el.checked),
    action: el && el.dataset ? (el.dataset.samtalAction || '') : '',
  };
}
"""


@pytest.mark.parametrize("sheet_id", SHEETS)
def test_whole_sheet_can_be_filled_with_the_keyboard(page: Any, base_url: str, sheet_id: str) -> None:
    open_sheet(page, base_url, sheet_id)
    page.locator("body").focus()
    keyboard = page.keyboard
    seen_form = False
    added_row = False
    radio_groups: set[str] = set()
    typed = 0
    move = True
    for _ in range(2000):
        if move:
            keyboard.press("Tab")
        move = True
        el = page.evaluate(ACTIVE_JS)
        if not el["inForm"]:
            if seen_form:
                break
            continue
        seen_form = True
        if el["tag"] == "TEXTAREA" or el["type"] == "text":
            typed += 1
            keyboard.type(f"t{typed}")
        elif el["type"] == "date":
            if not el["value"]:
                keyboard.press("ArrowUp")  # each part of the date, one Tab at a time
        elif el["type"] == "radio":
            if el["name"] not in radio_groups:
                radio_groups.add(el["name"])
                keyboard.press("Space")
                keyboard.press("ArrowRight")
        elif el["type"] == "checkbox":
            keyboard.press("Space")
        elif el["action"] == "add-row" and not added_row:
            added_row = True
            keyboard.press("Enter")  # focus moves to the new row's first field
            move = False
    else:
        pytest.fail("Tab never left the sheet")

    form = page.locator(FORM)
    snap = snapshot(page)
    assert_filled(snap)
    names = form.locator("input[type=radio]").evaluate_all("els => [...new Set(els.map(e => e.name))]")
    for name in names:
        assert form.locator(f'input[type=radio][name="{name}"]:checked').count() == 1, name
    assert form.locator("input[type=checkbox]:not(:checked)").count() == 0
    if sheet_id == "handlingsplan":
        assert added_row and form.locator("[data-samtal-row]").count() == 4
    page.reload()
    wait_started(page)
    assert snapshot(page) == snap
    assert page.js_errors == []
