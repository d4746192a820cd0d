"""No answer is ever lost in the browser (issue 9, item 7): every way one was, tried in Chromium.

Two tabs where the stale one wrote last; a question twice on a sheet; sheets
made by links that shared or lost their answers; answers of sheets that no
longer exist; opening a file over typed answers, or one too big to store; a
damaged record; a record of a newer version. Each test failed on the first
release's worksheet script (or on a deliberately broken merge) and passes now.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import build_site
from project import copy_project
from test_worksheets import (
    AXE_TAGS,
    BANK,
    FORM,
    RECORD,
    button,
    choose_file,
    entries,
    js,
    open_sheet,
    s,
    stored,
    stored_values,
    wait_started,
)

pytestmark = pytest.mark.browser


def put_record(page: Any, sheet_id: str, record: Any) -> None:
    raw = record if isinstance(record, str) else json.dumps(record)
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [RECORD + sheet_id, raw])


def raw_record(page: Any, sheet_id: str) -> str | None:
    return page.evaluate("key => localStorage.getItem(key)", RECORD + sheet_id)


def aside_records(page: Any) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
        .filter(k => k.startsWith('samtalsguiden:arbetsblad-skadat:')).map(k => [k, localStorage.getItem(k)]))""")


def text_fields(page: Any) -> Any:
    """The text answers of the open sheet: one field per question, stored under its id
    (the text box of a scale or yes/no question is part of that question's answer)."""
    return page.locator(f"{FORM} .samtal-field textarea:not([id$='--note'])")


def assert_no_axe_violations(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert not result.response["violations"], result.generate_report()


# --------------------------------------------------------------------------- two tabs


def test_a_stale_tab_never_writes_over_a_newer_answer(context: Any, base_url: str) -> None:
    one = context.new_page()
    two = context.new_page()
    open_sheet(one, base_url, "forberedelse")
    open_sheet(two, base_url, "forberedelse")
    field_id = text_fields(one).nth(0).get_attribute("id")
    key = field_id.removeprefix("svar--")
    field = f"[id='{field_id}']"

    # Tab two has the focus in the empty field; tab one types an answer into it.
    two.locator(field).focus()
    one.fill(field, "Skrivet i flik ett")
    assert stored_values(one, "forberedelse")[key] == "Skrivet i flik ett"
    # Tab two hears of it (its "saved" line changes), then leaves the field
    # without typing: its empty value is no edit, and must not be stored.
    two.wait_for_function("() => document.querySelector('[data-samtal-saved]').textContent.startsWith('Senast sparat')")
    two.locator(field).blur()
    two.fill(f"[id='{text_fields(two).nth(1).get_attribute('id')}']", "Flik två skriver i en annan ruta")
    assert stored_values(one, "forberedelse")[key] == "Skrivet i flik ett"
    assert two.input_value(field) == "Skrivet i flik ett", "the stale tab shows the newer answer"
    for tab in (one, two):
        tab.reload()
        wait_started(tab)
        assert tab.input_value(field) == "Skrivet i flik ett"
        assert text_fields(tab).nth(1).input_value() == "Flik två skriver i en annan ruta"


def test_two_tabs_typing_in_parts_of_one_question_keep_both(context: Any, base_url: str) -> None:
    one = context.new_page()
    two = context.new_page()
    open_sheet(one, base_url, "bada-synerna")
    open_sheet(two, base_url, "bada-synerna")
    q = BANK.question("mal-uppfyllda")
    mine, boss = f"[id='svar--{q.id}--min']", f"[id='svar--{q.id}--chef']"
    two.locator(boss).focus()  # tab two is in the question while tab one writes in it
    one.fill(mine, "Min syn, från flik ett")
    two.fill(boss, "Chefens syn, från flik två")
    # Tabs see each other's writes a moment later (storage is shared without locks): they agree in the end.
    for tab in (one, two):
        tab.wait_for_function(f"() => document.querySelector(\"{boss}\").value === 'Chefens syn, från flik två'")
        tab.wait_for_function(f"() => document.querySelector(\"{mine}\").value === 'Min syn, från flik ett'")
    both = {"min": "Min syn, från flik ett", "chef": "Chefens syn, från flik två"}
    one.wait_for_function(
        "([key, q, both]) => JSON.stringify(JSON.parse(localStorage.getItem(key)).answers[q].value) === JSON.stringify(both)",
        arg=[RECORD + "bada-synerna", q.id, both],
    )


def test_a_write_by_a_tab_that_had_not_seen_another_tabs_takes_nothing_away(context: Any, base_url: str) -> None:
    one = context.new_page()
    two = context.new_page()
    open_sheet(one, base_url, "forberedelse")
    open_sheet(two, base_url, "forberedelse")
    ids = [text_fields(one).nth(i).get_attribute("id") for i in range(2)]
    a, b = (i.removeprefix("svar--") for i in ids)
    one.fill(f"[id='{ids[0]}']", "Skrivet i flik ett")
    # Tab two writes as a tab would that read the record just before tab one's write reached it.
    two.evaluate(
        """([key, a, b]) => {
          const r = JSON.parse(localStorage.getItem(key));
          delete r.answers[a];
          r.answers[b] = {question: 'Q', value: 'Skrivet i flik två', edited: {'': Date.now() + 5}};
          localStorage.setItem(key, JSON.stringify(r));
        }""",
        [RECORD + "forberedelse", a, b],
    )
    one.wait_for_function(f"() => document.querySelector(\"[id='{ids[1]}']\").value === 'Skrivet i flik två'")
    assert one.input_value(f"[id='{ids[0]}']") == "Skrivet i flik ett", "tab one keeps its answer"
    # Tab one writes back what the other write lacked; both tabs and the record agree.
    two.wait_for_function(f"() => document.querySelector(\"[id='{ids[0]}']\").value === 'Skrivet i flik ett'")
    values = stored_values(two, "forberedelse")
    assert values[a] == "Skrivet i flik ett" and values[b] == "Skrivet i flik två"


def test_two_tabs_keep_each_others_answers_and_the_last_edit_wins(context: Any, base_url: str) -> None:
    one = context.new_page()
    two = context.new_page()
    open_sheet(one, base_url, "forberedelse")
    open_sheet(two, base_url, "forberedelse")
    ids = [text_fields(one).nth(i).get_attribute("id") for i in range(3)]
    a, b, c = (f"[id='{i}']" for i in ids)

    one.fill(a, "Skrivet i flik ett")
    two.wait_for_function(f"() => document.querySelector(\"{a}\").value === 'Skrivet i flik ett'")
    two.fill(b, "Skrivet i flik två")
    one.wait_for_function(f"() => document.querySelector(\"{b}\").value === 'Skrivet i flik två'")
    one.locator(f"{FORM} input[type=checkbox]").first.check()
    two.wait_for_function("() => document.querySelector('form[data-samtal-sheet] input[type=checkbox]').checked")
    # Both write in one field: the later edit is the answer, in both tabs.
    two.fill(c, "Flik två skriver först")
    one.fill(c, "Flik ett skriver sist")
    two.wait_for_function(f"() => document.querySelector(\"{c}\").value === 'Flik ett skriver sist'")
    values = stored_values(one, "forberedelse")
    assert values[ids[0].removeprefix("svar--")] == "Skrivet i flik ett"
    assert values[ids[1].removeprefix("svar--")] == "Skrivet i flik två"
    assert values[ids[2].removeprefix("svar--")] == "Flik ett skriver sist"
    assert True in values.values(), "the checkbox ticked in tab one"
    for tab in (one, two):
        tab.reload()
        wait_started(tab)
        assert [tab.input_value(x) for x in (a, b, c)] == ["Skrivet i flik ett", "Skrivet i flik två", "Flik ett skriver sist"]


# --------------------------------------------------------------------------- a question twice


def test_a_question_twice_in_one_sheet_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    path = project / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    sheet = next(w for w in data["worksheets"] if isinstance(w["questions"], list))
    twice = sheet["questions"][0]
    sheet["questions"].append(twice)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build_site(tmp_path / "site", root=project, env={"SAMTAL_PDF": "off"}, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"frågan '{twice}' står två gånger" in output, output[-2000:]
    assert "questions.yaml:" in output
    assert not (tmp_path / "site" / "arbetsblad").exists(), "nothing half-written"


# --------------------------------------------------------------------------- sheets made by links


def link(base: str, ids: list[str], title: str = "") -> str:
    return f"{base}arbetsblad/eget/?fragor={','.join(ids)}" + (f"&titel={title}" if title else "")


def answer_link(page: Any, ids: list[str], tag: str) -> dict[str, str]:
    """Answer every text question of the open link sheet; returns id -> answer."""
    answers = {}
    for qid in ids:
        field = page.locator(f"[id='{qid}'] textarea, [id='{qid}'] input[type=text]")
        if field.count():
            answers[qid] = f"{tag}: svar på {qid}"
            field.first.fill(answers[qid])
    return answers


def shown_answers(page: Any) -> dict[str, str]:
    """What each question shows: its text (the text box of a +text question), or its choice."""
    return {key: v.get(f"{key}--note", next(iter(v.values()), "")) for key, v in entries(page).items() if not key.startswith("_")}


def test_link_sheets_keep_answers_by_question_id(page: Any, base_url: str) -> None:
    first = ["kompetens-anvands", "vill-forandra", "rollen-tydlig"]
    other = ["formell-kompetens", "personligt-mal", "samarbete-fungerar"]
    texts = [q.id for q in BANK.questions if q.answer == "text" and q.id not in first + other]
    first = [texts[0], *first, texts[1]]
    page.goto(link(base_url, first, "Vårt blad"))
    wait_started(page)
    mine = answer_link(page, first, "ett")
    page.locator("[id='rollen-tydlig'] input[type=radio][value='2']").check()
    assert len(mine) >= 3

    # Another link with other questions: nothing from the first shows, nothing is mixed.
    page.goto(link(base_url, other))
    wait_started(page)
    assert all(v in ("", False) for v in shown_answers(page).values())
    assert page.locator("[data-samtal-kept]").is_hidden()
    theirs = answer_link(page, other, "två")

    # The first link reordered, and with one question more: every answer is there.
    reordered = [*reversed(first), texts[2]]
    page.goto(link(base_url, reordered))
    wait_started(page)
    shown = shown_answers(page)
    for qid, value in mine.items():
        assert shown[qid] == value, qid
    assert shown[texts[2]] == ""
    assert page.locator("[id='rollen-tydlig'] input[value='2']").is_checked()
    assert page.locator("[data-samtal-kept]").is_hidden(), "other links' answers are not shown here"

    # Clearing this sheet clears its own questions only.
    button(page, "tools.clear").click()
    button(page, "tools.clear_yes").click()
    values = stored_values(page, "eget")
    for qid in mine:
        assert qid not in values
    for qid, value in theirs.items():
        assert values[qid] == value
    page.goto(link(base_url, other))
    wait_started(page)
    assert shown_answers(page) == {qid: theirs.get(qid, "") for qid in other}
    assert page.js_errors == []


def test_answers_of_a_link_sheet_from_the_first_release_are_moved_over(page: Any, base_url: str) -> None:
    ids = ["vill-forandra", "kompetens-anvands", "formell-kompetens"]
    # The first release kept each link's answers under "eget-" and an FNV-1a hash of its ids.
    text = ",".join(ids)
    h = 0x811C9DC5
    for ch in text:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    old_id = "eget-" + _base36(h)
    page.goto(f"{base_url}arbetsblad/")
    put_record(
        page,
        old_id,
        {
            "format": "samtalsguiden-arbetsblad",
            "version": 1,
            "worksheet": old_id,
            "saved": "2030-05-01T10:00:00Z",
            "answers": {
                "vill-forandra": {"question": "?", "value": "Från förra versionen"},
                "kompetens-anvands": {"question": "?", "value": "3"},
            },
        },
    )
    page.goto(link(base_url, ids))
    wait_started(page)
    assert page.input_value("[id='svar--vill-forandra']") == "Från förra versionen"
    assert page.locator("[id='kompetens-anvands'] input[value='3']").is_checked()
    assert raw_record(page, old_id) is None, "the old record is gone once moved"
    assert stored_values(page, "eget")["vill-forandra"] == "Från förra versionen"


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


# --------------------------------------------------------------------------- sheets that no longer exist


def test_answers_of_sheets_that_no_longer_exist_are_listed_with_export_and_delete(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}arbetsblad/")
    put_record(
        page,
        "borttaget-blad",
        {
            "format": "samtalsguiden-arbetsblad",
            "version": 2,
            "worksheet": "borttaget-blad",
            "title": "Ett blad som togs bort",
            "url": f"{base_url}arbetsblad/borttaget-blad/",
            "saved": "2030-05-01T10:00:00Z",
            "answers": {
                "gammal-fraga": {"question": "Vad hände i år?", "value": "Mycket\npå två rader", "edited": {"": 1}},
                "jamfor": {
                    "question": "Hur gick det?",
                    "value": {"min": "Bra", "chef": "Okej"},
                    "edited": {"min": 1, "chef": 1},
                    "labels": {"min": "Din syn", "chef": "Chefens syn"},
                },
            },
        },
    )
    put_record(
        page,
        "gammalt-v1",
        {
            "format": "samtalsguiden-arbetsblad",
            "version": 1,
            "worksheet": "gammalt-v1",
            "saved": "2029-01-01T10:00:00Z",
            "answers": {"x": {"question": "Gammal?", "value": "Svar"}},
        },
    )
    put_record(page, "trasigt", '{"format": "samtalsguiden-arbetsblad", "versi')
    put_record(
        page,
        "forberedelse",
        {
            "format": "samtalsguiden-arbetsblad",
            "version": 2,
            "worksheet": "forberedelse",
            "answers": {"y": {"question": "?", "value": "finns", "edited": {"": 1}}},
        },
    )
    page.reload()
    section = page.locator("[data-samtal-orphans]")
    section.wait_for()
    assert section.locator("h2").inner_text() == s("orphans.title")
    items = section.locator("[data-samtal-orphan-item]")
    assert items.locator("h3").all_inner_texts() == [
        "Ett blad som togs bort",
        js("orphans.untitled", id="gammalt-v1"),
        js("orphans.untitled", id="trasigt"),
    ]
    assert js("orphans.about", count=2, date="1 maj 2030") == items.nth(0).locator("[data-samtal-orphan-about]").inner_text()

    with page.expect_download() as info:
        items.nth(0).get_by_role("button", name=s("orphans.save_file")).click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["worksheet"]["id"] == "borttaget-blad"
    assert {a["id"]: a["answer"] for a in data["answers"]} == {
        "gammal-fraga": "Mycket\npå två rader",
        "jamfor": {"min": "Bra", "chef": "Okej"},
    }
    with page.expect_download() as info:
        items.nth(0).get_by_role("button", name=s("orphans.download_text")).click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Vad hände i år?\n    Mycket\n    på två rader\n" in text
    assert "Hur gick det?\n    Din syn: Bra\n    Chefens syn: Okej\n" in text
    # A record that cannot be read is offered as it is.
    assert items.nth(2).get_by_role("button", name=s("orphans.save_file")).is_hidden()
    with page.expect_download() as info:
        items.nth(2).get_by_role("button", name=s("orphans.download_raw")).click()
    assert Path(info.value.path()).read_text(encoding="utf-8") == '{"format": "samtalsguiden-arbetsblad", "versi'

    # Delete, after a question; only that record goes.
    items.nth(1).get_by_role("button", name=s("orphans.delete")).click()
    items.nth(1).get_by_role("button", name=s("orphans.delete_no")).click()
    assert raw_record(page, "gammalt-v1") is not None
    items.nth(1).get_by_role("button", name=s("orphans.delete")).click()
    items.nth(1).get_by_role("button", name=s("orphans.delete_yes")).click()
    assert raw_record(page, "gammalt-v1") is None
    assert raw_record(page, "borttaget-blad") is not None and raw_record(page, "forberedelse") is not None
    assert items.count() == 2
    assert page.locator("[data-samtal-orphans-message]").inner_text() == js("orphans.deleted")
    items.nth(0).get_by_role("button", name=s("orphans.delete")).click()
    assert_no_axe_violations(page)
    assert page.js_errors == []


# --------------------------------------------------------------------------- opening a file


def answers_file(sheet_id: str, answers: dict[str, Any]) -> bytes:
    data = {
        "format": "samtalsguiden-arbetsblad",
        "version": 1,
        "worksheet": {"id": sheet_id, "title": "T"},
        "answers": [{"id": k, "question": "Q", "answer": v} for k, v in answers.items()],
    }
    return json.dumps(data).encode()


@pytest.mark.parametrize("choice", ["tools.import_cancel", "tools.import_both", "tools.import_replace"])
def test_opening_a_file_asks_before_replacing_anything_typed(page: Any, base_url: str, choice: str) -> None:
    open_sheet(page, base_url, "efterarbete")
    fields = text_fields(page)
    keys = [fields.nth(i).get_attribute("id").removeprefix("svar--") for i in range(3)]
    fields.nth(0).fill("Skrivet för hand")
    fields.nth(1).fill("Samma som i filen")
    before = stored(page, "efterarbete")
    content = answers_file("efterarbete", {keys[0]: "Från filen", keys[1]: "Samma som i filen", keys[2]: "Nytt från filen"})
    choose_file(page, "svar.json", content)
    question = page.locator("[data-samtal-import-choice]")
    question.wait_for()
    assert question.locator("[data-samtal-import-question]").inner_text() == js("file.differs", count=1)
    assert stored(page, "efterarbete") == before, "nothing is stored before the person has chosen"
    if choice == "tools.import_cancel":
        assert_no_axe_violations(page)
    button(page, choice).click()
    assert question.is_hidden()
    values = stored_values(page, "efterarbete")
    message = page.locator("[data-samtal-message]").inner_text()
    if choice == "tools.import_cancel":
        assert stored(page, "efterarbete") == before
        assert fields.nth(2).input_value() == ""
        assert message == js("file.cancelled")
        return
    assert values[keys[2]] == "Nytt från filen"
    assert values[keys[1]] == "Samma som i filen"
    if choice == "tools.import_both":
        assert values[keys[0]] == "Skrivet för hand"
        assert values[f"{keys[0]}~1"] == "Från filen"
        assert "Från filen" in page.locator("[data-samtal-kept]").inner_text()
        assert message == f"{js('file.opened', count=3)} {js('file.beside', count=1)}"
    else:
        assert values[keys[0]] == "Från filen"
        assert f"{keys[0]}~1" not in values
        button(page, "tools.undo").click()
        assert fields.nth(0).input_value() == "Skrivet för hand"
        assert stored_values(page, "efterarbete")[keys[0]] == "Skrivet för hand"
    assert page.js_errors == []


FILL_STORAGE_JS = """() => {
  // Fill localStorage to the brim, as a browser full of other sites' data would be.
  let size = 1 << 22, n = 0;
  while (size >= 16) {
    try { localStorage.setItem(`fyllnad-${n}`, 'x'.repeat(size)); n += 1; } catch (error) { size >>= 1; }
  }
  return n;
}"""
EMPTY_STORAGE_JS = (
    "() => Object.keys(localStorage).filter(k => k.startsWith('fyllnad-')).forEach(k => localStorage.removeItem(k))"
)


def test_a_file_too_big_to_store_says_so_and_changes_nothing(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "efterarbete")
    fields = text_fields(page)
    keys = [fields.nth(i).get_attribute("id").removeprefix("svar--") for i in range(2)]
    fields.nth(0).fill("Skrivet innan")
    before = stored(page, "efterarbete")
    shown = entries(page)
    try:
        assert page.evaluate(FILL_STORAGE_JS) > 0
        choose_file(page, "stor.json", answers_file("efterarbete", {keys[1]: "stort svar " * 2000}))
        page.get_by_role("alert").filter(has_text=js("file.not_stored")).wait_for()
        assert entries(page) == shown, "the sheet is as it was"
        assert stored(page, "efterarbete") == before
        assert button(page, "tools.undo").is_hidden()

        # Typing while the browser is full: the answer waits, and is stored once there is room.
        fields.nth(1).fill("Skrivet när det var fullt")
        page.get_by_role("alert").filter(has_text=js("store.failed")).wait_for()
        page.evaluate(EMPTY_STORAGE_JS)
        fields.nth(0).fill("Skrivet när det fanns plats")
        assert page.locator("[data-samtal-error]").inner_text() == ""
        values = stored_values(page, "efterarbete")
        assert values[keys[0]] == "Skrivet när det fanns plats"
        assert values[keys[1]] == "Skrivet när det var fullt"
    finally:
        page.evaluate(EMPTY_STORAGE_JS)
    page.reload()
    wait_started(page)
    assert fields.nth(1).input_value() == "Skrivet när det var fullt"


# --------------------------------------------------------------------------- damaged and newer records


def test_a_damaged_record_is_kept_aside_untouched_and_the_person_is_told(page: Any, base_url: str) -> None:
    damaged = '{"format": "samtalsguiden-arbetsblad", "version": 2, "worksheet": "forberedelse", "answers": {"x": {"val'
    page.goto(f"{base_url}arbetsblad/")
    put_record(page, "forberedelse", damaged)
    open_sheet(page, base_url, "forberedelse")
    notice = page.locator("[data-samtal-notice]")
    assert notice.is_visible()
    assert notice.inner_text().startswith(js("store.damaged"))
    aside = aside_records(page)
    assert list(aside.values()) == [damaged], "a copy, untouched"
    assert_no_axe_violations(page)
    with page.expect_download() as info:
        notice.get_by_role("button", name=s("tools.download_damaged")).click()
    assert Path(info.value.path()).read_text(encoding="utf-8") == damaged

    # The sheet works again; the first keystroke does not destroy the old record.
    text_fields(page).nth(0).fill("Nytt svar")
    assert (stored(page, "forberedelse") or {}).get("version") == 2
    assert aside_records(page) == aside
    page.reload()
    wait_started(page)
    assert text_fields(page).nth(0).input_value() == "Nytt svar"
    assert aside_records(page) == aside, "kept aside once"
    # The worksheets page lists it, to download or delete.
    page.goto(f"{base_url}arbetsblad/")
    item = page.locator("[data-samtal-orphan-item]")
    item.wait_for()
    assert item.locator("[data-samtal-orphan-about]").inner_text().startswith("Lades undan")
    assert page.js_errors == []


def test_a_partly_damaged_record_shows_what_can_be_read(page: Any, base_url: str) -> None:
    open_sheet(page, base_url, "forberedelse")
    key = text_fields(page).nth(0).get_attribute("id").removeprefix("svar--")
    record = {
        "format": "samtalsguiden-arbetsblad",
        "version": 2,
        "worksheet": "forberedelse",
        "saved": "2030-01-01T00:00:00Z",
        "answers": {
            key: {"question": "Q", "value": "Läsbart", "edited": {"": 5}},
            "trasig": {"question": "Q", "value": {"a": [1, 2]}, "edited": {"": 5}},
        },
    }
    raw = json.dumps(record)
    put_record(page, "forberedelse", raw)
    page.reload()
    wait_started(page)
    assert text_fields(page).nth(0).input_value() == "Läsbart"
    assert page.locator("[data-samtal-notice]").inner_text().startswith(js("store.partly"))
    assert list(aside_records(page).values()) == [raw]


def test_a_record_of_a_newer_version_is_never_written_over(page: Any, base_url: str) -> None:
    newer = json.dumps(
        {
            "format": "samtalsguiden-arbetsblad",
            "version": 3,
            "worksheet": "forberedelse",
            "answers": {"vad-som-helst": {"nytt": "format"}},
        }
    )
    page.goto(f"{base_url}arbetsblad/")
    put_record(page, "forberedelse", newer)
    open_sheet(page, base_url, "forberedelse")
    assert page.locator("[data-samtal-notice]").inner_text().startswith(js("store.newer"))
    text_fields(page).nth(0).fill("Skrivet i en äldre sida")
    button(page, "tools.clear").click()
    button(page, "tools.clear_yes").click()
    assert raw_record(page, "forberedelse") == newer
    assert page.locator("[data-samtal-saved]").inner_text() == js("saved.not_saving")
    page.reload()
    wait_started(page)
    assert raw_record(page, "forberedelse") == newer
