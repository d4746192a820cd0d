"""Fillable worksheets in the browser (issue 4).

Every test drives Debian's Chromium over 127.0.0.1 (fixtures in conftest.py)
and asserts on real values in the fields, in localStorage, in downloaded files
and in a printed PDF.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from conftest import ROOT, StaticServer, build_site, copy_project, serve
from samtal.bank import load_bank

pytestmark = pytest.mark.browser

BANK = load_bank(ROOT / "questions.yaml")
# Worksheets and the question sets shown as sheets: every page at /arbetsblad/<id>/.
ALL_SHEETS = {sheet.id: sheet for sheet in BANK.sheets}
SHEETS = list(ALL_SHEETS)
FORM = "form[data-samtal-sheet]"

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


def open_sheet(page: Any, base: str, sheet_id: str) -> Any:
    page.goto(sheet_url(base, sheet_id))
    form = page.locator(FORM)
    form.wait_for()
    # The script has run once the form has its controller (form.samtalSheet).
    page.wait_for_function("() => document.querySelector('form[data-samtal-sheet]').samtalSheet !== undefined")
    return form


def row_ids(page: Any) -> set[str]:
    """Ids of the goal table's controls (they carry row ids, which change when rows are remade)."""
    return set(page.locator(FORM).evaluate("form => [...form.querySelectorAll('[data-samtal-rows] [id]')].map(e => e.id)"))


def snapshot(page: Any) -> dict[str, Any]:
    return page.locator(FORM).evaluate(SNAPSHOT_JS)


def entries(page: Any) -> dict[str, dict[str, Any]]:
    return page.locator(FORM).evaluate(ENTRIES_JS)


def stored(page: Any, sheet_id: str) -> dict[str, Any] | None:
    raw = page.evaluate(f"() => localStorage.getItem('samtalsguiden:arbetsblad:{sheet_id}')")
    return json.loads(raw) if raw else None


def fill_sheet(page: Any, tag: str, *, extra_row: bool = True) -> dict[str, Any]:
    """Fill every field of the open sheet with values unique to it; returns the snapshot."""
    form = page.locator(FORM)
    if extra_row and form.locator("[data-samtal-action=add-row]").count():
        form.locator("[data-samtal-action=add-row]").click()
    for i, field in enumerate(form.locator("textarea, input[type=text]").all()):
        field.fill(f"{tag} svar {i} på {field.get_attribute('id')} med åäö")
    for i, field in enumerate(form.locator("input[type=date]").all()):
        field.fill((date(2031, 1, 1) + timedelta(days=17 * i)).isoformat())
    names = form.locator("input[type=radio]").evaluate_all("els => [...new Set(els.map(e => e.name))]")
    for i, name in enumerate(names):
        radios = form.locator(f'input[type=radio][name="{name}"]')
        radios.nth((i + len(tag)) % radios.count()).check()
    for i, box in enumerate(form.locator("input[type=checkbox]").all()):
        if i % 3 != 1:  # leave some unchecked, so both states are tested
            box.check()
    page.wait_for_function(
        "() => localStorage.getItem(document.querySelector('form[data-samtal-sheet]').samtalSheet.storeKey) !== null"
    )
    return snapshot(page)


def assert_filled(snap: dict[str, Any]) -> None:
    texts = [v for v in snap.values() if isinstance(v, str)]
    assert texts and all(v for v in texts), "every text and date field has a value"
    boxes = [v for v in snap.values() if isinstance(v, bool)]
    assert not boxes or any(boxes), "some choice or checkbox is set"


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
    filled = fill_sheet(page, sheet_id)
    assert_filled(filled)
    assert filled != before
    assert page.locator("[data-samtal-saved]").inner_text().startswith("Senast sparat")
    assert "bara i den här webbläsaren" in page.locator("[data-samtal-tools]").inner_text()

    # Stored by question id, with the question text as shown.
    record = stored(page, sheet_id)
    assert record is not None and record["worksheet"] == sheet_id
    sheet = ALL_SHEETS[sheet_id]
    for q in sheet.questions:
        assert q.id in record["answers"], q.id
        shown = page.locator(f"[id='{q.id}'] .samtal-field__question").first.inner_text()
        assert record["answers"][q.id]["question"] == shown.strip()

    page.reload()
    open_sheet(page, base_url, sheet_id)
    assert snapshot(page) == filled

    # Instant navigation away and back: no full page load happens.
    page.evaluate("() => { window.__samePage = true; }")
    click_nav(page, "Start")
    page.wait_for_function("() => !document.querySelector('form[data-samtal-sheet]')")
    page.go_back()
    page.locator(FORM).wait_for()
    page.wait_for_function("() => document.querySelector('form[data-samtal-sheet]').samtalSheet !== undefined")
    assert page.evaluate("() => window.__samePage") is True, "navigation was instant"
    assert snapshot(page) == filled

    # Away by a link and back by links, still within the same page load.
    click_nav(page, "Arbetsblad")
    # Material makes the links absolute once instant navigation has run.
    page.locator(f"article a[href='{sheet_id}/'], article a[href$='/arbetsblad/{sheet_id}/']").first.click()
    page.locator(FORM).wait_for()
    page.wait_for_function("() => document.querySelector('form[data-samtal-sheet]').samtalSheet !== undefined")
    assert page.evaluate("() => window.__samePage") is True
    assert snapshot(page) == filled
    # Typing after instant navigation is still saved.
    first = page.locator(f"{FORM} textarea").first
    first.fill("Ändrat efter navigering")
    assert "Ändrat efter navigering" in json.dumps(stored(page, sheet_id), ensure_ascii=False)

    # A browser restart: a new browser context with the same stored profile.
    state = context.storage_state()
    later = browser.new_context(storage_state=state, locale="sv-SE")
    later.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname in {"127.0.0.1", None} else route.abort())
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
    """Change the copy's bank: remove, reorder, reword and add questions."""
    path = project / "questions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = data["questions"]
    by_id = {q["id"]: q for q in questions}
    compare = next(w for w in data["worksheets"] if w["id"] == "bada-synerna")
    ids = compare["questions"]
    # bada-synerna (an explicit list): remove one, swap the first two, add one.
    ids.remove("forvantningar")
    ids[0], ids[1] = ids[1], ids[0]
    ids.append("trivsel")
    by_id["kunskap-som-behovs"]["text"] = "Vilken kunskap behöver du för att göra ditt jobb riktigt bra?"

    # forberedelse (a selector): remove a question from the bank, swap two.
    used = {qid for w in data["worksheets"] if isinstance(w["questions"], list) for qid in w["questions"]}
    used |= {qid for s in data.get("sets", []) for qid in s["questions"]}
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
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"removed": removed, "swapped": (a, b), "changed": changed}


def test_answers_follow_their_questions_after_a_rebuild(page: Any, tmp_path: Path) -> None:
    srv = serve(tmp_path)
    try:
        base = srv.url
        build_site(tmp_path / "site1", env={"SITE_URL": base, "SAMTAL_PDF": "0"})
        srv.directory = tmp_path / "site1"
        filled: dict[str, dict[str, dict[str, Any]]] = {}
        for sheet_id in ("bada-synerna", "forberedelse"):
            open_sheet(page, base, sheet_id)
            fill_sheet(page, sheet_id)
            filled[sheet_id] = entries(page)

        (tmp_path / "project").mkdir()
        project = copy_project(tmp_path / "project")
        changes = _rebuilt_bank(project)
        build_site(tmp_path / "site2", root=project, env={"SITE_URL": base, "SAMTAL_PDF": "0"})
        srv.directory = tmp_path / "site2"  # same origin, so localStorage stays

        # bada-synerna: every remaining answer in its own field, whatever the order.
        open_sheet(page, base, "bada-synerna")
        order = page.locator(f"{FORM} [data-samtal-key]").evaluate_all("els => els.map(e => e.dataset.samtalKey)")
        assert order.index("rollen-tydlig") < order.index("mal-uppfyllda"), "the new build has the new order"
        now = entries(page)
        for key, value in filled["bada-synerna"].items():
            if key == "forvantningar":
                assert key not in now
                continue
            assert now[key] == value, key
        assert all(v in ("", False) for v in now["trivsel"].values()), "a new question starts empty"
        assert "riktigt bra" in page.locator("[id='kunskap-som-behovs'] legend").first.inner_text()
        kept = page.locator("[data-samtal-kept]")
        assert kept.is_visible()
        assert "inte längre finns i guiden" in kept.locator("h2").inner_text()
        old = BANK.question("forvantningar")
        assert old.text in kept.inner_text()
        for part in ("min", "chef", "overens"):
            assert filled["bada-synerna"]["forvantningar"][f"forvantningar--{part}"] in kept.inner_text()

        # forberedelse: the removed question's answer is kept, the rest in place.
        open_sheet(page, base, "forberedelse")
        now = entries(page)
        removed = changes["removed"]
        changed = changes["changed"]
        assert removed not in now
        for key, value in filled["forberedelse"].items():
            if key not in (removed, changed):
                assert now[key] == value, key
        kept = page.locator("[data-samtal-kept]")
        kept_text = kept.inner_text()
        removed_answer = next(iter(filled["forberedelse"][removed].values()))
        assert str(removed_answer) in kept_text

        # The question whose answer kind changed starts empty; its old answer
        # is kept, and stays kept when the person answers the new way.
        old_answer = filled["forberedelse"][changed][changed]
        assert now[changed] == {changed: ""}
        assert old_answer in kept_text
        page.locator(f"[id='{changed}'] input[type=radio][value='4']").check()
        answers = stored(page, "forberedelse")["answers"]
        assert answers[changed]["value"] == "4"
        assert answers[f"{changed}~1"]["value"] == old_answer
        page.locator(f"[id='{changed}'] input[type=radio][value='2']").check()
        assert stored(page, "forberedelse")["answers"][f"{changed}~1"]["value"] == old_answer
        assert old_answer in page.locator("[data-samtal-kept]").inner_text()

        # The kept answers are still kept after a reload, and can be deleted.
        page.reload()
        open_sheet(page, base, "forberedelse")
        kept_text = page.locator("[data-samtal-kept]").inner_text()
        assert str(removed_answer) in kept_text and old_answer in kept_text
        assert entries(page)[changed] == {changed: "2"}
        page.locator(f"[data-samtal-kept] [data-samtal-action=kept-delete][data-key='{removed}']").click()
        assert removed not in stored(page, "forberedelse")["answers"]
        assert old_answer in page.locator("[data-samtal-kept]").inner_text()
        page.locator(f"[data-samtal-kept] [data-samtal-action=kept-delete][data-key='{changed}~1']").click()
        assert page.locator("[data-samtal-kept]").is_hidden()
        assert f"{changed}~1" not in stored(page, "forberedelse")["answers"]
        page.reload()
        open_sheet(page, base, "forberedelse")
        assert page.locator("[data-samtal-kept]").is_hidden()
        expected = {k: v for k, v in filled["forberedelse"].items() if k != removed}
        expected[changed] = {changed: "2"}
        assert entries(page) == expected
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
        page.get_by_role("button", name="Spara som fil").click()
    saved = tmp_path / "svar.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "samtalsguiden-arbetsblad" and data["version"] == 1
    assert data["worksheet"]["id"] == sheet_id
    answers = {a["id"]: a for a in data["answers"]}
    for q in ALL_SHEETS[sheet_id].questions:
        shown = page.locator(f"[id='{q.id}'] .samtal-field__question").first.inner_text().strip()
        assert answers[q.id]["question"] == shown

    # Clear, with a confirmation; undo brings everything back.
    page.get_by_role("button", name="Rensa svaren").click()
    page.get_by_role("button", name="Ja, rensa svaren").click()
    cleared = snapshot(page)
    assert cleared.keys() - row_ids(page) == filled.keys() - filled_rows
    assert all(v in ("", False) for v in cleared.values())
    assert stored(page, sheet_id) is None
    page.get_by_role("button", name="Ångra").click()
    assert snapshot(page) == filled
    page.get_by_role("button", name="Rensa svaren").click()
    page.get_by_role("button", name="Ja, rensa svaren").click()
    page.reload()
    open_sheet(page, base_url, sheet_id)
    assert all(v in ("", False) for v in snapshot(page).values()), "the cleared sheet stays empty"
    assert page.get_by_role("button", name="Ångra").is_hidden(), "undo ends when the page is left"

    # Import the saved file: every value is back.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Öppna fil").click()
    chooser.value.set_files(str(saved))
    page.wait_for_function("() => localStorage.length > 0")
    assert snapshot(page) == filled
    assert "Filen är öppnad" in page.locator("[data-samtal-message]").inner_text()

    # Broken and foreign files change nothing and say why.
    record = stored(page, sheet_id)
    other = next(s for s in SHEETS if s != sheet_id)
    foreign = dict(data, worksheet={"id": other, "title": "Ett annat blad"})
    bad_answer = dict(data, answers=[{"id": "x", "question": "?", "answer": {"a": [1]}}])
    cases = {
        "trasig.json": (b'{"format": "samtalsguiden-arbetsblad", "answers": [', "går inte att läsa"),
        "annan.json": (json.dumps({"hej": 1}).encode(), "inte en fil med svar"),
        "fel-blad.json": (json.dumps(foreign).encode(), "Ett annat blad"),
        "skadad.json": (json.dumps(bad_answer).encode(), "skadad"),
    }
    for name, (content, message) in cases.items():
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Öppna fil").click()
        chooser.value.set_files(files=[{"name": name, "mimeType": "application/json", "buffer": content}])
        alert = page.get_by_role("alert")
        alert.filter(has_text=message).wait_for()
        assert snapshot(page) == filled, name
        assert stored(page, sheet_id)["answers"] == record["answers"], name
    assert empty != filled
    assert page.js_errors == []


def test_import_merges_into_the_sheet(page: Any, base_url: str, tmp_path: Path) -> None:
    open_sheet(page, base_url, "efterarbete")
    fill_sheet(page, "först")
    with page.expect_download() as info:
        page.get_by_role("button", name="Spara som fil").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    first_q = ALL_SHEETS["efterarbete"].questions[0].id
    only = [a for a in data["answers"] if a["id"] == first_q]
    only[0]["answer"] = "Från filen"
    only.append({"id": "fraga-som-inte-finns", "question": "En gammal fråga?", "answer": "Gammalt svar"})
    before = entries(page)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Öppna fil").click()
    chooser.value.set_files(files=[{"name": "del.json", "mimeType": "application/json",
                                    "buffer": json.dumps(dict(data, answers=only)).encode()}])
    page.locator("[data-samtal-kept]").wait_for()
    after = entries(page)
    assert after[first_q] == {first_q: "Från filen"}
    assert {k: v for k, v in after.items() if k != first_q} == {k: v for k, v in before.items() if k != first_q}
    assert "Gammalt svar" in page.locator("[data-samtal-kept]").inner_text()


def test_a_table_column_the_sheet_no_longer_has_is_kept(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "handlingsplan")
    record = {
        "format": "samtalsguiden-arbetsblad", "version": 1, "worksheet": "handlingsplan", "saved": "2030-01-01T10:00:00Z",
        "answers": {"_mal": {"question": "Mål och avstämningar", "value": [
            {"id": "rad-1", "mal": "Bli bättre på Excel", "resurser": "En kurs i april"},
            {"id": "rad-2", "mal": "Leda ett möte", "resurser": ""},
        ]}},
    }
    page.evaluate("r => localStorage.setItem('samtalsguiden:arbetsblad:handlingsplan', JSON.stringify(r))", record)
    page.reload()
    open_sheet(page, base_url, "handlingsplan")
    rows = page.locator("[data-samtal-row]")
    assert rows.nth(0).locator("[data-samtal-col=mal]").input_value() == "Bli bättre på Excel"
    kept = page.locator("[data-samtal-kept]")
    assert kept.is_visible() and "En kurs i april" in kept.inner_text()
    # Typing in the table saves it without losing the column it no longer has.
    rows.nth(0).locator("[data-samtal-col=aktiviteter]").fill("Gå kursen")
    answers = stored(page, "handlingsplan")["answers"]
    assert answers["_mal"]["value"][0]["aktiviteter"] == "Gå kursen"
    assert "resurser" not in answers["_mal"]["value"][0]
    assert answers["_mal~1"]["value"] == [{"id": "rad-1", "resurser": "En kurs i april"}]
    page.reload()
    open_sheet(page, base_url, "handlingsplan")
    assert "En kurs i april" in page.locator("[data-samtal-kept]").inner_text()
    assert page.js_errors == []


@pytest.mark.parametrize("how", ["clear", "remove-row", "import"])
def test_undo_ends_with_the_next_change(page: Any, base_url: str, how: str) -> None:
    open_sheet(page, base_url, "handlingsplan")
    rows = page.locator("[data-samtal-row]")
    goal = rows.nth(0).locator("[data-samtal-col=mal]")
    goal.fill("Gammalt mål")
    rows.nth(1).locator("[data-samtal-col=mal]").fill("Andra målet")
    if how == "clear":
        page.get_by_role("button", name="Rensa svaren").click()
        page.get_by_role("button", name="Ja, rensa svaren").click()
    elif how == "remove-row":
        rows.nth(1).locator("[data-samtal-action=remove-row]").click()
    else:
        data = {"format": "samtalsguiden-arbetsblad", "version": 1, "worksheet": {"id": "handlingsplan"},
                "answers": [{"id": "_chef", "question": "Din chef", "answer": "Från filen"}]}
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Öppna fil").click()
        chooser.value.set_files(files=[{"name": "svar.json", "mimeType": "application/json",
                                        "buffer": json.dumps(data).encode()}])
        page.locator("[data-samtal-message]", has_text="Filen är öppnad").wait_for()
    undo = page.get_by_role("button", name="Ångra")
    assert undo.is_visible()

    # The person goes on: undo is gone, so it cannot put old answers over this.
    goal.fill("Nytt mål")
    assert undo.is_hidden()
    assert "Ångra" not in page.locator("[data-samtal-message]").inner_text()
    page.evaluate("() => document.querySelector('[data-samtal-action=undo]').click()")
    assert goal.input_value() == "Nytt mål"
    page.reload()
    open_sheet(page, base_url, "handlingsplan")
    assert page.locator("[data-samtal-row]").nth(0).locator("[data-samtal-col=mal]").input_value() == "Nytt mål"
    values = json.dumps(stored(page, "handlingsplan"), ensure_ascii=False)
    assert "Nytt mål" in values and "Gammalt mål" not in values
    if how == "import":
        assert "Från filen" in values
    else:
        assert "Andra målet" not in values

    # Adding a row is a change too.
    rows.nth(0).locator("[data-samtal-action=remove-row]").click()
    assert undo.is_visible()
    page.get_by_role("button", name="Lägg till ett mål").click()
    assert undo.is_hidden()
    assert page.js_errors == []


def test_two_tabs_of_one_sheet_keep_each_others_answers(context: Any, base_url: str) -> None:
    one = context.new_page()
    two = context.new_page()
    open_sheet(one, base_url, "forberedelse")
    open_sheet(two, base_url, "forberedelse")
    fields = one.locator(f"{FORM} .samtal-field textarea")
    ids = [fields.nth(i).get_attribute("id") for i in range(4)]
    a, b, c, d = (f"[id='{i}']" for i in ids)

    one.fill(a, "Skrivet i flik ett")
    two.wait_for_function(f"() => document.querySelector(\"{a}\").value === 'Skrivet i flik ett'")
    two.fill(b, "Skrivet i flik två")
    one.wait_for_function(f"() => document.querySelector(\"{b}\").value === 'Skrivet i flik två'")
    one.locator(f"{FORM} input[type=checkbox]").first.check()
    two.wait_for_function("() => document.querySelector('form[data-samtal-sheet] input[type=checkbox]').checked")

    # A field the person is editing is left alone; the other tab's value for it waits.
    two.fill(c, "Flik två skriver här")
    one.fill(d, "Flik ett igen")
    one.fill(c, "Flik ett skriver också här")
    two.wait_for_function(f"() => document.querySelector(\"{d}\").value === 'Flik ett igen'")
    assert two.locator(c).input_value() == "Flik två skriver här"
    two.fill(b, "Flik två ändrar sitt svar")

    answers = {key: item["value"] for key, item in stored(one, "forberedelse")["answers"].items()}
    assert answers[ids[0].removeprefix("svar--")] == "Skrivet i flik ett"
    assert answers[ids[1].removeprefix("svar--")] == "Flik två ändrar sitt svar"
    assert answers[ids[3].removeprefix("svar--")] == "Flik ett igen"
    assert any(value is True for value in answers.values()), "the checkbox ticked in tab one"
    one.wait_for_function(f"() => document.querySelector(\"{b}\").value === 'Flik två ändrar sitt svar'")
    for tab in (one, two):
        tab.reload()
        open_sheet(tab, base_url, "forberedelse")
        assert tab.locator(a).input_value() == "Skrivet i flik ett"
        assert tab.locator(b).input_value() == "Flik två ändrar sitt svar"
        assert tab.locator(d).input_value() == "Flik ett igen"


def test_a_sheet_made_by_a_link_keeps_its_address(page: Any, base_url: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    ids = [q.id for q in BANK.questions[:2]]
    url = f"{base_url}arbetsblad/eget/?fragor={','.join(ids)}&titel=X"
    page.goto(url)
    page.wait_for_function("() => document.querySelector('form[data-samtal-sheet]').samtalSheet !== undefined")
    page.locator(f"[id='{ids[0]}']").wait_for()
    assert page.locator("[data-samtal-url]").inner_text() == url
    with page.expect_download() as info:
        page.get_by_role("button", name="Spara som fil").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["worksheet"]["url"] == url
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner som text").click()
    assert f"Arbetsbladet finns på {url}" in Path(info.value.path()).read_text(encoding="utf-8")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    text = re.sub(r"\s+", "", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert f"arbetsblad/eget/?fragor={','.join(ids)}&titel=X" in text
    assert page.js_errors == []


def test_text_export_is_readable(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "bada-synerna")
    page.fill("#om--medarbetare", "Kim Andersson")
    q = ALL_SHEETS["bada-synerna"].questions[0]
    page.fill(f"[id='svar--{q.id}--min']", "Jag nådde två av tre mål.")
    page.fill(f"[id='svar--{q.id}--overens']", "Vi följer upp i maj.")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner som text").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Båda synerna\n")
    assert "Ditt namn: Kim Andersson" in text
    assert f"**{q.text}**\n\nDin syn: Jag nådde två av tre mål.\nDet ni kom överens om: Vi följer upp i maj." in text
    assert sheet_url(base_url, "bada-synerna") in text


# --------------------------------------------------------------------------- calendar


def test_calendar_file_has_one_event_per_checkpoint(page: Any, base_url: str) -> None:
    from icalendar import Calendar

    open_sheet(page, base_url, "handlingsplan")
    goals = [
        ("Leda ett projekt; med budget, tidplan och en grupp på fem personer som jag inte har arbetat med förut", "2031-03-14"),
        ("Gå en kurs i klarspråk", "2031-06-02"),
        ("Utan datum", ""),
        ("Lära mig det nya ärendesystemet", "2031-10-20"),
    ]
    page.get_by_role("button", name="Lägg till ett mål").click()
    rows = page.locator("[data-samtal-row]")
    assert rows.count() == 4
    for i, (goal, when) in enumerate(goals):
        rows.nth(i).locator("[data-samtal-col=mal]").fill(goal)
        rows.nth(i).locator("[data-samtal-col=aktiviteter]").fill(f"Aktivitet {i}")
        if when:
            rows.nth(i).locator("[data-samtal-col=datum]").fill(when)
    with page.expect_download() as info:
        page.get_by_role("button", name="Lägg till i kalendern").click()
    raw = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename.endswith(".ics")

    # RFC 5545: CRLF line ends, lines of at most 75 octets, folded with a space.
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
    cal = Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    events = cal.walk("VEVENT")
    dated = [(g, d) for g, d in goals if d]
    assert len(events) == len(dated)
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event, (goal, when) in zip(events, dated):
        assert event.decoded("DTSTART") == date.fromisoformat(when)
        assert event.get("DTSTAMP") is not None
        assert goal in str(event["DESCRIPTION"])
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        trigger = alarms[0].decoded("TRIGGER")
        assert timedelta(days=-1) <= trigger < timedelta(0), "a reminder the day before"

    # Without any date there is nothing to add, and the page says so.
    for i in range(4):
        rows.nth(i).locator("[data-samtal-col=datum]").fill("")
    page.get_by_role("button", name="Lägg till i kalendern").click()
    assert "datum" in page.get_by_role("alert").inner_text()


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
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # Columns side by side come out of the PDF line by line, interleaved; so
    # each answer's words must appear in order, with other words between.
    printed = words(text)
    for value in values:
        assert is_in_order(words(value), printed), value[:60]
    assert sheet_url(base_url, sheet_id) in re.sub(r"\s+", "", text)
    assert "Ditt namn" in text and "Datum för samtalet" in text
    for hidden in ("Spara som fil", "Rensa svaren", "Lägg till i kalendern"):
        assert hidden not in text


def test_blank_sheet_prints_with_writing_lines(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "forberedelse")
    page.emulate_media(media="print")
    heights = page.locator(f"{FORM} .samtal-print--text").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) > 80, "an empty text answer leaves room to write"
    assert page.locator(f"{FORM} textarea").first.is_hidden()
    assert page.locator(".samtal-tools").is_hidden()
    assert page.locator(".samtal-sheet__source").is_visible()


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("sheet_id", SHEETS)
def test_no_axe_violations(page: Any, base_url: str, sheet_id: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    open_sheet(page, base_url, sheet_id)
    fill_sheet(page, "axe")
    # Show the confirmation box and a message too, so their markup is checked.
    page.get_by_role("button", name="Rensa svaren").click()
    result = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    violations = result.response["violations"]
    assert not violations, result.generate_report()


def test_no_axe_violations_on_a_phone(page: Any, base_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": 390, "height": 800})
    open_sheet(page, base_url, "handlingsplan")
    result = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
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
            keyboard.type(f"tangent {el['id']}")
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
    open_sheet(page, base_url, sheet_id)
    assert snapshot(page) == snap
    assert page.js_errors == []
