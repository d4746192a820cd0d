"""The bank loader: every kind of broken bank gets a clear, located message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samtal.bank import BankError, load_bank, parse_bank, schema_json

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
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
"""


def problems(text: str) -> list[str]:
    with pytest.raises(BankError) as info:
        parse_bank(text, Path("questions.yaml"))
    return [str(p) for p in info.value.problems]


def only(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_good_bank_loads_with_worksheets_resolved() -> None:
    bank = parse_bank(GOOD, Path("questions.yaml"))
    assert [q.id for q in bank.questions] == ["kompetens-anvands", "kompetens-larande"]
    assert bank.question("kompetens-larande").audience == "bada"
    assert bank.question("kompetens-larande").answer == "text"
    assert [q.id for q in bank.worksheet("blad").questions] == ["kompetens-anvands"]
    assert [q.id for q in bank.worksheet("urval").questions] == ["kompetens-anvands"]


def test_the_real_bank_loads() -> None:
    bank = load_bank(ROOT / "questions.yaml")
    assert len(bank.questions) >= 90


def test_yaml_syntax_error_names_line() -> None:
    message = only(GOOD.replace("    title: Ett blad", "    title: [Ett blad"))
    assert message.startswith("questions.yaml:")
    assert "går inte att läsa som YAML" in message
    assert "Titta efter" in message
    line = int(message.split(":")[1])
    assert 32 <= line <= 34, message


def test_tab_in_indentation() -> None:
    text = GOOD.replace("    hint: Tänk på det senaste året.", "\thint: Tänk på det senaste året.")
    message = only(text)
    assert message.startswith("questions.yaml:15:1:")
    assert "tabbtecken" in message


@pytest.mark.parametrize("text", ["", "   \n", "# bara en kommentar\n"])
def test_empty_file(text: str) -> None:
    assert "filen är tom" in only(text)


def test_unknown_key_suggests_the_right_one() -> None:
    message = only(GOOD.replace("    hint: Tänk", "    hnit: Tänk"))
    assert message.startswith("questions.yaml:15:5: fråga 'kompetens-anvands':")
    assert "okänd nyckel 'hnit'" in message
    assert "Menade du 'hint'?" in message


def test_missing_required_key() -> None:
    message = only(GOOD.replace("    for: bada\n", ""))
    assert "fråga 'kompetens-larande'" in message
    assert "nyckeln 'for' saknas" in message
    assert message.startswith("questions.yaml:17:")


def test_wrong_type() -> None:
    message = only(GOOD.replace("text: Vad vill du lära dig?", "text: [Vad, vill]"))
    assert message.startswith("questions.yaml:21:11: fråga 'kompetens-larande':")
    assert "ska vara text, inte en lista" in message


def test_wrong_choice_lists_the_allowed_ones() -> None:
    message = only(GOOD.replace("answer: text", "answer: essay"))
    assert "'essay' är inte tillåtet" in message
    assert "'text', 'line', 'scale' eller 'yesno'" in message


def test_duplicate_id() -> None:
    found = problems(GOOD.replace("id: kompetens-larande", "id: kompetens-anvands"))
    assert found[0].startswith("questions.yaml:17:9:")
    assert "frågan 'kompetens-anvands' finns redan" in found[0]


def test_bad_id_characters() -> None:
    found = problems(GOOD.replace("id: kompetens-larande", "id: Kompetens_Lärande"))
    assert any("'Kompetens_Lärande' går inte att använda som id" in p for p in found), found
    assert all(p.startswith("questions.yaml:17:9:") for p in found if "går inte att använda" in p)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    phase: under-samtalet\n    topic", "    phase: under-samtal\n    topic", "fasen 'under-samtal' finns inte. Menade du 'under-samtalet'?"),
        ("    topic: kompetens\n    for: bada", "    topic: kompetenser\n    for: bada", "ämnet 'kompetenser' finns inte"),
        ("questions: [kompetens-anvands]", "questions: [kompetens-anvand]", "frågan 'kompetens-anvand' finns inte. Menade du 'kompetens-anvands'?"),
        ("questions: [kompetens-larande]", "questions: [okand-fraga]", "frågan 'okand-fraga' finns inte"),
    ],
)
def test_unknown_references(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    message = only(GOOD.replace(old, new, 1))
    assert expected in message


def test_empty_text() -> None:
    message = only(GOOD.replace("text: Vad vill du lära dig?", 'text: "  "'))
    assert message.startswith("questions.yaml:21:11: fråga 'kompetens-larande':")
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


def test_schema_file_is_up_to_date() -> None:
    committed = (ROOT / "questions.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "run `make schema` and commit questions.schema.json"
    schema = json.loads(committed)
    question = schema["$defs"]["Question"]
    assert "for" in question["properties"] and question["additionalProperties"] is False


def test_bank_file_points_editors_at_the_schema() -> None:
    first = (ROOT / "questions.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=questions.schema.json"


@pytest.mark.parametrize("reserved", ["eget", "index", "hela-samtalet", "utdelning-blad"])
def test_ids_the_guide_uses_itself_are_refused(reserved: str) -> None:
    message = only(GOOD.replace("  - id: blad\n", f"  - id: {reserved}\n"))
    assert message.startswith("questions.yaml:30:9:")
    assert f"id:t '{reserved}' används redan av guiden själv" in message


def test_a_list_as_key_is_reported_not_crashed() -> None:
    message = only(GOOD.replace("    hint: Tänk på det senaste året.\n", "    ? [a, b]\n    : x\n    hint: Tänk på det senaste året.\n"))
    assert "går inte att läsa som YAML" in message
    assert message.startswith("questions.yaml:15:")
