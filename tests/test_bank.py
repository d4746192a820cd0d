"""The bank loader: every kind of broken bank gets a clear, located message."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from samtal.bank import BankError, load_bank, parse_bank
from samtal.schema import schema_json

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
audiences:
  - {id: medarbetare, title: Medarbetare}
  - {id: chef, title: Chef}
  - {id: bada, title: Båda}
sheet:
  scale: {steps: 5, low: Inte alls, high: Helt}
  follow_up: Skriv gärna varför.
phases:
  - id: forberedelse
    title: Förberedelse
  - id: under-samtalet
    title: Under samtalet
topics:
  - id: kompetens
    title: Kompetens och utveckling
questions:
  - id: kompetens-anvands
    phase: forberedelse
    topic: kompetens
    for: medarbetare
    text: Får du använda din kompetens?
    hint: Tänk på det senaste året.
    answer: text
  - id: kompetens-larande
    phase: under-samtalet
    topic: kompetens
    for: bada
    text: Vad vill du lära dig?
  - id: trivsel
    phase: forberedelse
    topic: kompetens
    for: medarbetare
    text: Trivs du?
    answer: scale+text
checklists:
  - id: checklista
    phase: forberedelse
    title: Före samtalet
    items:
      - id: boka-tid
        text: Boka tid.
worksheets:
  - id: blad
    title: Ett blad
    questions: [kompetens-anvands]
  - id: urval
    title: Ett urval
    questions:
      phase: forberedelse
      for: [medarbetare]
sets:
  - id: samling
    title: En samling
    questions: [kompetens-larande]
retired:
  - id: gammal-fraga
    replaced_by: kompetens-anvands
"""


def line_of(text: str, snippet: str) -> int:
    """The line (1-based) where ``snippet`` starts in ``text``."""
    assert snippet in text, snippet
    return text[: text.index(snippet)].count("\n") + 1


def problems(text: str, **kwargs: object) -> list[str]:
    with pytest.raises(BankError) as info:
        parse_bank(text, Path("questions.yaml"), **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def only(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_good_bank_loads_with_worksheets_resolved() -> None:
    bank = parse_bank(GOOD, Path("questions.yaml")).bank
    assert [q.id for q in bank.questions] == ["kompetens-anvands", "kompetens-larande", "trivsel"]
    assert bank.question("kompetens-larande").audience == "bada"
    assert bank.question("kompetens-larande").answer == "text"
    assert bank.question("trivsel").choice == "scale" and bank.question("trivsel").has_note
    assert [q.id for q in bank.worksheet("blad").questions] == ["kompetens-anvands"]
    assert [q.id for q in bank.worksheet("urval").questions] == ["kompetens-anvands", "trivsel"]
    assert [a.title for a in bank.audiences] == ["Medarbetare", "Chef", "Båda"]
    assert bank.phase("forberedelse").page == "forberedelse.md"
    assert bank.retired[0].replaced_by == "kompetens-anvands"


def test_the_real_bank_loads() -> None:
    loaded = load_bank(ROOT / "questions.yaml")
    assert len(loaded.bank.questions) >= 90
    assert not loaded.warnings


def test_yaml_syntax_error_names_line() -> None:
    message = only(GOOD.replace("    title: Ett blad", "    title: [Ett blad"))
    assert message.startswith("questions.yaml:")
    assert "går inte att läsa som YAML" in message
    assert "Titta efter" in message
    line = int(message.split(":")[1])
    assert line_of(GOOD, "    title: Ett blad") <= line <= line_of(GOOD, "    title: Ett blad") + 2, message


def test_tab_in_indentation() -> None:
    text = GOOD.replace("    hint: Tänk på det senaste året.", "\thint: Tänk på det senaste året.")
    message = only(text)
    assert message.startswith(f"questions.yaml:{line_of(GOOD, '    hint: Tänk')}:1:")
    assert "tabbtecken" in message


@pytest.mark.parametrize("text", ["", "   \n", "# bara en kommentar\n"])
def test_empty_file(text: str) -> None:
    assert "filen är tom" in only(text)


def test_unknown_key_suggests_the_right_one() -> None:
    message = only(GOOD.replace("    hint: Tänk", "    hnit: Tänk"))
    assert message.startswith(f"questions.yaml:{line_of(GOOD, '    hint: Tänk')}:5: fråga 'kompetens-anvands':")
    assert "okänd nyckel 'hnit'" in message
    assert "Menade du 'hint'?" in message


def test_missing_required_key() -> None:
    message = only(GOOD.replace("    for: bada\n", ""))
    assert "fråga 'kompetens-larande'" in message
    assert "nyckeln 'for' saknas" in message
    assert message.startswith(f"questions.yaml:{line_of(GOOD, '  - id: kompetens-larande')}:")


def test_wrong_type() -> None:
    message = only(GOOD.replace("text: Vad vill du lära dig?", "text: [Vad, vill]"))
    assert message.startswith(f"questions.yaml:{line_of(GOOD, '    text: Vad vill')}:11: fråga 'kompetens-larande':")
    assert "ska vara text, inte en lista" in message


def test_wrong_choice_lists_the_allowed_ones() -> None:
    message = only(GOOD.replace("answer: text", "answer: essay"))
    assert "'essay' är inte tillåtet" in message
    assert "'scale+text' eller 'yesno+text'" in message


def test_duplicate_id() -> None:
    found = problems(GOOD.replace("id: kompetens-larande", "id: kompetens-anvands"))
    assert found[0].startswith(f"questions.yaml:{line_of(GOOD, '  - id: kompetens-larande')}:9:")
    assert "frågan 'kompetens-anvands' finns redan" in found[0]


def test_bad_id_characters() -> None:
    found = problems(GOOD.replace("id: kompetens-larande", "id: Kompetens_Lärande"))
    assert any("'Kompetens_Lärande' går inte att använda som id" in p for p in found), found


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    phase: under-samtalet\n    topic",
            "    phase: under-samtal\n    topic",
            "fasen 'under-samtal' finns inte. Menade du 'under-samtalet'?",
        ),
        ("    topic: kompetens\n    for: bada", "    topic: kompetenser\n    for: bada", "ämnet 'kompetenser' finns inte"),
        ("    for: bada\n", "    for: alla\n", "målgruppen 'alla' finns inte"),
        (
            "questions: [kompetens-anvands]",
            "questions: [kompetens-anvand]",
            "frågan 'kompetens-anvand' finns inte. Menade du 'kompetens-anvands'?",
        ),
        ("questions: [kompetens-larande]", "questions: [okand-fraga]", "frågan 'okand-fraga' finns inte"),
        ("replaced_by: kompetens-anvands", "replaced_by: borta", "frågan 'borta' finns inte"),
    ],
)
def test_unknown_references(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    message = only(GOOD.replace(old, new, 1))
    assert expected in message


def test_empty_text() -> None:
    message = only(GOOD.replace("text: Vad vill du lära dig?", 'text: "  "'))
    assert message.startswith(f"questions.yaml:{line_of(GOOD, '    text: Vad vill')}:11: fråga 'kompetens-larande':")
    assert "'text' får inte vara tom" in message


def test_selector_that_picks_nothing() -> None:
    assert "urvalet ger inga frågor" in only(GOOD.replace("for: [medarbetare]", "for: [chef]"))


def test_shared_pdf_ids_are_refused() -> None:
    assert "används redan av en checklista" in only(GOOD.replace("  - id: blad", "  - id: checklista"))


def test_duplicate_key_in_one_question() -> None:
    message = only(GOOD.replace("    answer: text\n", "    answer: text\n    answer: line\n"))
    assert "nyckeln 'answer' står två gånger" in message


def test_several_errors_are_reported_together() -> None:
    text = (
        GOOD.replace("    hint: Tänk", "    hnit: Tänk")
        .replace("id: kompetens-larande", "id: kompetens-anvands")
        .replace("questions: [kompetens-larande]", "questions: [okand-fraga]")
    )
    found = problems(text)
    assert len(found) >= 3, found
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines)


def test_error_message_heads_with_a_count() -> None:
    with pytest.raises(BankError) as info:
        parse_bank(GOOD.replace("for: bada", "for: alla"), Path("questions.yaml"))
    assert str(info.value).startswith("Frågebanken har 1 fel.")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BankError) as info:
        load_bank(tmp_path / "questions.yaml")
    assert "filen finns inte" in str(info.value)


def test_a_bank_not_in_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "questions.yaml"
    path.write_bytes(GOOD.encode("latin-1"))
    with pytest.raises(BankError) as info:
        load_bank(path)
    # The first byte that is not UTF-8 is the "å" of "Båda".
    assert f"{path}:{line_of(GOOD, 'Båda')}:1: filen är inte sparad som UTF-8" in str(info.value)


def test_schema_file_is_up_to_date() -> None:
    committed = (ROOT / "questions.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "run `make schema` and commit questions.schema.json"
    schema = json.loads(committed)
    question = schema["$defs"]["QuestionSpec"]
    assert "for" in question["properties"] and question["additionalProperties"] is False


def test_bank_file_points_editors_at_the_schema() -> None:
    first = (ROOT / "questions.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=questions.schema.json"


@pytest.mark.parametrize("reserved", ["eget", "index", "hela-samtalet", "utdelning-blad"])
def test_ids_the_guide_uses_itself_are_refused(reserved: str) -> None:
    message = only(GOOD.replace("  - id: blad\n", f"  - id: {reserved}\n"))
    assert message.startswith(f"questions.yaml:{line_of(GOOD, '  - id: blad')}:9:")
    assert f"id:t '{reserved}' används redan av guiden själv" in message


def test_a_list_as_key_is_reported_not_crashed() -> None:
    message = only(
        GOOD.replace("    hint: Tänk på det senaste året.\n", "    ? [a, b]\n    : x\n    hint: Tänk på det senaste året.\n")
    )
    assert "går inte att läsa som YAML" in message or "en nyckel ska vara ett ord" in message


# --------------------------------------------------------------------------- hostile YAML


def test_anchors_and_aliases_are_refused_fast() -> None:
    """A billion-laughs bank: 34 KB of nested aliases must fail at once, not expand."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 60):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    text = "\n".join(lines) + "\n" + "x" * 0
    text = text + "#" + "p" * max(0, 34_000 - len(text)) + "\n"
    started = time.perf_counter()
    message = only(text)
    assert time.perf_counter() - started < 1.0
    assert message.startswith("questions.yaml:1:")
    assert "ankare och alias" in message


def test_a_recursive_alias_is_a_located_message() -> None:
    message = only(GOOD.replace("    hint: Tänk på det senaste året.", "    hint: &r [*r]"))
    assert message.startswith(f"questions.yaml:{line_of(GOOD, '    hint: Tänk')}:")
    assert "ankare och alias" in message


def test_a_quoted_ampersand_is_text() -> None:
    bank = parse_bank(GOOD.replace("Tänk på det senaste året.", '"&nbsp; och *stjärna* går bra"'), Path("q.yaml")).bank
    assert bank.question("kompetens-anvands").hint == "&nbsp; och *stjärna* går bra"


# --------------------------------------------------------------------------- what the bank must hold


def test_a_question_twice_in_one_sheet_or_set_is_refused() -> None:
    message = only(GOOD.replace("questions: [kompetens-anvands]", "questions: [kompetens-anvands, kompetens-anvands]"))
    assert message.startswith(f"questions.yaml:{line_of(GOOD, 'questions: [kompetens-anvands]')}:")
    assert "frågan 'kompetens-anvands' står två gånger i arbetsbladet" in message
    message = only(GOOD.replace("questions: [kompetens-larande]", "questions: [kompetens-larande, kompetens-larande]"))
    assert "står två gånger i samlingen" in message


def test_a_retired_id_is_never_used_again() -> None:
    message = only(
        GOOD.replace("  - id: kompetens-larande", "  - id: gammal-fraga").replace("[kompetens-larande]", "[gammal-fraga]")
    )
    assert "id:t 'gammal-fraga' har använts förut och står under retired" in message


def test_a_scale_question_needs_the_scale() -> None:
    message = only(GOOD.replace("  scale: {steps: 5, low: Inte alls, high: Helt}\n", ""))
    assert "sheet.scale behövs" in message


def test_a_text_box_needs_a_label() -> None:
    text = GOOD.replace("  follow_up: Skriv gärna varför.\n", "")
    message = only(text)
    assert message.startswith(f"questions.yaml:{line_of(text, '    answer: scale+text')}:")
    assert "follow_up" in message


def test_follow_up_only_with_a_text_box() -> None:
    message = only(GOOD.replace("    answer: text\n", "    answer: text\n    follow_up: Varför?\n"))
    assert "follow_up används bara med answer: scale+text eller yesno+text" in message


# --------------------------------------------------------------------------- translations


TRANSLATION = """\
language: en
audiences: {medarbetare: Employee, chef: Manager, bada: Both}
sheet:
  scale: {low: Not at all, high: Fully}
  follow_up: Say why if you like.
phases:
  forberedelse: {title: Preparation}
  under-samtalet: {title: During the talk}
topics: {kompetens: Skills}
questions:
  kompetens-anvands: {text: Do you use your skills?, hint: Think of the last year.}
  kompetens-larande: {text: What do you want to learn?}
  trivsel: {text: Do you enjoy your work?}
checklists:
  checklista: {title: Before the talk, items: {boka-tid: Book a time.}}
worksheets:
  blad: {title: A sheet}
  urval: {title: A selection}
sets:
  samling: {title: A set}
"""


def test_a_translation_replaces_every_text() -> None:
    loaded = parse_bank(GOOD, Path("questions.yaml"), translation=(TRANSLATION, Path("en.yaml")))
    bank = loaded.bank
    assert loaded.warnings == ()
    assert bank.language == "en"
    assert bank.question("kompetens-anvands").text == "Do you use your skills?"
    assert bank.worksheet("blad").title == "A sheet"
    assert bank.checklist("checklista").items[0].text == "Book a time."
    assert bank.sheet.scale is not None and bank.sheet.scale.low == "Not at all"
    # Structure is shared, never copied: the same ids in the same order.
    base = parse_bank(GOOD, Path("questions.yaml")).bank
    assert [q.id for q in bank.questions] == [q.id for q in base.questions]


def test_a_missing_translation_is_a_warning_with_file_and_id() -> None:
    text = TRANSLATION.replace("  trivsel: {text: Do you enjoy your work?}\n", "")
    loaded = parse_bank(GOOD, Path("questions.yaml"), translation=(text, Path("en.yaml")))
    assert loaded.warnings == (
        f"en.yaml: fråga 'trivsel': översättning saknas för 'questions.trivsel.text' (texten står i questions.yaml:{line_of(GOOD, '    text: Trivs du?')})",  # noqa: E501
    )
    assert loaded.bank.question("trivsel").text == "Trivs du?"


def test_a_translation_of_what_does_not_exist_is_an_error() -> None:
    text = TRANSLATION.replace("  trivsel:", "  trivse:")
    found = problems(GOOD, translation=(text, Path("en.yaml")))
    assert any(
        p.startswith(f"en.yaml:{line_of(text, '  trivse:')}:") and "'questions.trivse.text' finns inte i frågebanken" in p
        for p in found
    ), found


def test_a_translation_with_aliases_is_refused() -> None:
    text = TRANSLATION.replace("{title: A sheet}", "&x {title: A sheet}")
    assert any("ankare och alias" in p for p in problems(GOOD, translation=(text, Path("en.yaml"))))


# --------------------------------------------------------------------------- cache


def test_an_unchanged_bank_comes_from_the_cache_without_pydantic(tmp_path: Path) -> None:
    bank_file = tmp_path / "questions.yaml"
    bank_file.write_text(GOOD, encoding="utf-8")

    def load() -> list[str]:
        # A fresh process each time, as a build is: what it imports is what a build imports.
        code = (
            "import sys; from pathlib import Path; from samtal.bank import load_bank;"
            f"b = load_bank(Path({str(bank_file)!r}), cache_dir=Path({str(tmp_path / 'cache')!r}));"
            "print(len(b.bank.questions), b.bank.question('trivsel').text.replace(' ', '_'), 'pydantic' in sys.modules)"
        )
        return subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT / "hooks", capture_output=True, text=True, check=True
        ).stdout.split()

    assert load() == ["3", "Trivs_du?", "True"]  # validated, then kept in the cache
    assert list((tmp_path / "cache" / "bank").glob("*.pickle"))
    assert load() == ["3", "Trivs_du?", "False"]  # from the cache: no validation, no pydantic
    # A changed bank is validated again.
    bank_file.write_text(GOOD.replace("Trivs du?", "Trivs du på jobbet?"), encoding="utf-8")
    assert load() == ["3", "Trivs_du_på_jobbet?", "True"]
