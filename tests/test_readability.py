"""Readability (LIX) of the pages and the question bank, and the bank's counts."""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# Fallback when no conftest has put hooks/ on the import path.
if str(ROOT / "hooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "hooks"))

from samtal.readability import lix, prose_from_markdown  # noqa: E402

LIX_LIMIT = 40.0
PHASES = ["forberedelse", "under-samtalet", "efterarbete", "handlingsplan"]
PAGES = sorted((ROOT / "content").glob("*.md"))


@pytest.fixture(scope="module")
def bank() -> dict:
    with (ROOT / "questions.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --- The lix function itself -------------------------------------------------


def test_lix_known_value() -> None:
    # 8 words, 2 sentences, 2 long words ("trädgård", "blommor" > 6 letters):
    # 8 / 2 + 100 * 2 / 8 = 29.0
    assert lix("Jag har en trädgård. Den har många blommor!") == pytest.approx(29.0)


def test_lix_counts_swedish_letters_and_long_words() -> None:
    # "Övervägandena" is one word of 13 letters; ":" ends a sentence.
    assert lix("Övervägandena: klara.") == pytest.approx(1 + 100 * 1 / 2)


def test_lix_of_empty_text_is_zero() -> None:
    assert lix("") == 0.0
    assert lix("123 !!! ...") == 0.0


def test_lix_text_without_end_punctuation_is_one_sentence() -> None:
    assert lix("en två tre fyra") == pytest.approx(4.0)


def test_lix_fails_the_limit_for_heavy_text() -> None:
    heavy = (
        "Utvecklingssamtalets genomförande förutsätter omfattande organisatoriska "
        "förberedelser avseende medarbetarens kompetensutvecklingsbehov och "
        "verksamhetens långsiktiga målsättningar samt ömsesidiga förväntningar."
    )
    assert lix(heavy) > LIX_LIMIT


def test_prose_drops_markup_and_closes_units() -> None:
    md = (
        "---\ntitle: Prov\ndescription: Ska inte räknas.\n---\n"
        "# En rubrik\n\n"
        "Läs [sidan](forberedelse.md) här och `kod` inte.\n\n"
        "<!-- samtal:cycle -->\n\n"
        "- första punkten\n- andra punkten.\n\n"
        "| Vem | Vad |\n|---|---|\n| du | skriver |\n\n"
        "```\nkodblock som inte räknas\n```\n"
    )
    prose = prose_from_markdown(md)
    assert "title" not in prose and "description" not in prose
    assert "samtal" not in prose and "forberedelse.md" not in prose
    assert "kod" not in prose.replace("kodblock", "") and "kodblock" not in prose
    assert "#" not in prose and "|" not in prose
    lines = prose.splitlines()
    assert lines[0] == "En rubrik."
    assert "Läs sidan här och" in lines[1]
    assert "första punkten." in lines
    assert "andra punkten." in lines
    assert "du." in lines and "skriver." in lines


# --- The pages and the question bank ------------------------------------------

# Each page is ordinary adult plain Swedish (klarspråk): neither choppy nor heavy.
PAGE_LIX_MIN, PAGE_LIX_MAX = 30.0, 40.0
MEDIAN_LIX_MIN, MEDIAN_LIX_MAX = 32.0, 38.0
# Question texts and hints are short by nature; they only get an upper bound.
BANK_LIX_MAX = 40.0


def page_lix(page: Path) -> float:
    return lix(prose_from_markdown(page.read_text(encoding="utf-8")))


def test_there_are_pages() -> None:
    assert PAGES, "content/*.md is missing"


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_page_lix_within_limits(page: Path) -> None:
    value = page_lix(page)
    assert PAGE_LIX_MIN <= value <= PAGE_LIX_MAX, f"{page.name}: LIX {value:.1f}, should be {PAGE_LIX_MIN:.0f}–{PAGE_LIX_MAX:.0f}"


def test_median_page_lix() -> None:
    values = sorted(page_lix(page) for page in PAGES)
    value = statistics.median(values)
    assert MEDIAN_LIX_MIN <= value <= MEDIAN_LIX_MAX, (
        f"median LIX of the pages {value:.1f}, should be {MEDIAN_LIX_MIN:.0f}–{MEDIAN_LIX_MAX:.0f}"
    )


def test_question_bank_lix_reported(bank: dict) -> None:
    text = "\n".join(f"{q['text']}\n{q['hint']}" for q in bank["questions"])
    value = lix(text.replace("*", ""))
    print(f"questions.yaml, question texts and hints: LIX {value:.1f}")
    assert value <= BANK_LIX_MAX, f"questions.yaml: LIX {value:.1f} > {BANK_LIX_MAX}"


# --- Counts the bank must meet -------------------------------------------------


def test_phases_are_the_four_in_order(bank: dict) -> None:
    assert [phase["id"] for phase in bank["phases"]] == PHASES


def test_question_count_and_hints(bank: dict) -> None:
    questions = bank["questions"]
    assert 90 <= len(questions) <= 110
    assert all(str(q.get("hint", "")).strip() for q in questions)


def test_question_ids_unique(bank: dict) -> None:
    ids = [q["id"] for q in bank["questions"]]
    assert len(ids) == len(set(ids))


def test_no_duplicate_question_texts_or_hints(bank: dict) -> None:
    texts = Counter(q["text"].strip().lower() for q in bank["questions"])
    assert [text for text, count in texts.items() if count > 1] == []
    hints = Counter(q["hint"].strip().lower() for q in bank["questions"])
    assert [hint for hint, count in hints.items() if count > 1] == []


def test_topics(bank: dict) -> None:
    topic_ids = {topic["id"] for topic in bank["topics"]}
    used = {q["topic"] for q in bank["questions"]}
    assert len(used) >= 10
    assert used <= topic_ids
    assert "distansarbete" in used


def test_questions_per_phase_are_balanced(bank: dict) -> None:
    questions = bank["questions"]
    per_phase = Counter(q["phase"] for q in questions)
    for phase in PHASES:
        assert per_phase[phase] >= 10, phase
    # Preparation had 46 % of the questions; the talk itself and the follow-up
    # need their share.
    assert per_phase["forberedelse"] / len(questions) <= 0.41
    assert per_phase["under-samtalet"] / len(questions) >= 0.25


def test_questions_for_the_manager(bank: dict) -> None:
    questions = bank["questions"]
    assert sum(1 for q in questions if q["for"] == "chef") >= 20
    during = [q for q in questions if q["for"] == "chef" and q["phase"] == "under-samtalet"]
    assert len(during) >= 6


def test_questions_on_pay_and_new_subjects(bank: dict) -> None:
    by_topic = Counter(q["topic"] for q in bank["questions"])
    assert by_topic["lon"] >= 7
    assert by_topic["distansarbete"] >= 3
    texts = " ".join(f"{q['text']} {q['hint']}".lower() for q in bank["questions"])
    for word in ("återhämt", "trygg", "kränk", "distans"):
        assert word in texts, word


def test_one_checklist_per_phase(bank: dict) -> None:
    checklists = bank["checklists"]
    assert sorted(c["phase"] for c in checklists) == sorted(PHASES)
    for checklist in checklists:
        assert 4 <= len(checklist["items"]) <= 12, checklist["id"]
        item_ids = [item["id"] for item in checklist["items"]]
        assert len(item_ids) == len(set(item_ids)), checklist["id"]


def test_worksheets(bank: dict) -> None:
    sheets = {sheet["id"]: sheet for sheet in bank["worksheets"]}
    assert set(PHASES) | {"chefens-forberedelse", "bada-synerna"} <= set(sheets)
    assert sheets["handlingsplan"]["layout"] == "plan"
    assert sheets["bada-synerna"]["layout"] == "compare"
    assert sheets["chefens-forberedelse"]["questions"]["for"] == ["chef"]
    for phase in PHASES[:3]:
        assert sheets[phase]["layout"] == "single"
    explicit = sheets["bada-synerna"]["questions"]
    assert isinstance(explicit, list) and 8 <= len(explicit) <= 12


def test_sets(bank: dict) -> None:
    sets = {item["id"]: item for item in bank["sets"]}
    assert len(sets) >= 6
    assert {"ny-pa-jobbet", "infor-lonesamtalet", "arbetsbelastning-och-arbetsmiljo", "ny-chef"} <= set(sets)
    question_ids = {q["id"] for q in bank["questions"]}
    for item in sets.values():
        assert 5 <= len(item["questions"]) <= 10, item["id"]
        assert set(item["questions"]) <= question_ids, item["id"]


def test_linkable_ids_do_not_clash(bank: dict) -> None:
    ids = [x["id"] for key in ("checklists", "worksheets", "sets") for x in bank[key]]
    assert len(ids) == len(set(ids))
