"""The English version (/en/): complete, in English, faithful to the Swedish structure.

Plain Python over content/, versions/en/ and the strings files: no build, no
browser. Every check is a function that returns the problems it finds, so the
last tests can show that each check fails on a deliberately broken copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from samtal.bank import BankError, load_bank, parse_bank

ROOT = Path(__file__).resolve().parent.parent
SV_CONTENT = ROOT / "content"
EN_DIR = ROOT / "versions" / "en"
EN_CONTENT = EN_DIR / "content"
BANK = ROOT / "questions.yaml"
TRANSLATION = EN_DIR / "questions.yaml"
STRINGS = ROOT / "overrides" / "samtal" / "strings"

SV_PAGES = sorted(p.name for p in SV_CONTENT.glob("*.md"))

# --------------------------------------------------------------------------- Swedish words

# The Swedish terms an English page may keep, always in italics and explained
# where they first appear. A Swedish word anywhere else is a missed translation.
ALLOWED_SWEDISH = {
    "utvecklingssamtal",
    "lönesamtal",
    "lönesättande samtal",
    "förtroendevald",
    "förtroendevalda",
    "skyddsombud",
    "kollektivavtal",
    "allmän handling",
    "lönekriterier",
    "medarbetarsamtal",
    "målsamtal",
    "dataskyddsförordningen",
    "offentlighetsprincipen",
    "arbetsmiljölagen",
    "Arbetsmiljöverket",
    "kränkande särbehandling",
    "företagshälsovård",
    "provanställning",
    "tillsvidareanställning",
    "föräldraledighetslagen",
    "studieledighetslagen",
    "omställningsorganisation",
    "trygghetsråd",
    "omställningsstudiestöd",
    "förbättringsplan",
    "åtgärdsplan",
    "ombud",
}
# Common Swedish words that are not also English words ("men", "under", "till",
# "dig", "din", "sin" and "sedan" are left out on purpose).
SWEDISH_WORDS = {
    "och",
    "att",
    "det",
    "som",
    "inte",
    "eller",
    "jag",
    "ska",
    "hur",
    "vad",
    "vilka",
    "vilket",
    "vilken",
    "kan",
    "har",
    "med",
    "av",
    "om",
    "en",
    "ett",
    "den",
    "de",
    "du",
    "ni",
    "vi",
    "ditt",
    "dina",
    "sig",
    "nu",
    "bara",
    "alla",
    "efter",
    "mellan",
    "gärna",
    "finns",
    "inom",
    "hos",
    "vid",
    "oss",
    "dem",
    "deras",
    "mycket",
    "andra",
    "blir",
    "kommer",
    "samtal",
    "samtalet",
    "samtalen",
    "chef",
    "chefen",
    "chefens",
    "medarbetare",
    "medarbetaren",
    "frågor",
    "frågan",
    "fråga",
    "arbetet",
    "arbete",
    "lön",
    "lönen",
    "mål",
    "målen",
    "handlingsplan",
    "handlingsplanen",
    "arbetsblad",
    "arbetsbladet",
    "checklista",
    "checklistan",
    "förberedelse",
    "efterarbete",
    "kollektivavtal",
    "kollektivavtalet",
    "skyddsombud",
    "skyddsombudet",
    "förtroendevald",
    "förtroendevalda",
    "lönesamtal",
    "lönesamtalet",
    "utvecklingssamtal",
    "utvecklingssamtalet",
    "lönekriterier",
    "eftersom",
    "också",
    "här",
    "där",
    "när",
    "så",
    "är",
    "för",
    "på",
    "till",
}
BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*([^*\n]+?)\*(?![*\w])")
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")


def _is_swedish(text: str) -> bool:
    return any(re.search(r"[åäöÅÄÖ]", w) or w.lower() in SWEDISH_WORDS for w in WORD.findall(text))


def swedish_leftovers(text: str) -> list[str]:
    """Swedish in a text (Markdown or plain): words outside italics, or italics that are not an allowed term."""
    text = BOLD.sub(r"\1", text)
    found = [f"*{span}*" for span in ITALIC.findall(text) if _is_swedish(span) and span not in ALLOWED_SWEDISH]
    outside = ITALIC.sub(" ", text)
    found += [w for w in WORD.findall(outside) if re.search(r"[åäöÅÄÖ]", w) or w.lower() in SWEDISH_WORDS]
    return found


# --------------------------------------------------------------------------- pages

FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
MARKER = re.compile(r"^[ \t]*<!--[ \t]*samtal:[^\n]*-->[ \t]*$")


def split_page(md: str) -> tuple[dict[str, Any], str]:
    match = FRONT.match(md)
    if not match:
        return {}, md
    return yaml.safe_load(match.group(1)) or {}, md[match.end() :]


def markers(md: str) -> list[str]:
    return [line.strip() for line in md.splitlines() if MARKER.match(line)]


def visible_text(body: str) -> str:
    """What a reader reads of a page body: no comments, markers, code or link targets."""
    body = re.sub(r"<!--.*?-->", "\n", body, flags=re.DOTALL)
    body = re.sub(r"`[^`\n]*`", " ", body)
    return re.sub(r"\]\([^)\s]*\)", "]", body)


def blocks(body: str) -> list[str]:
    """Paragraphs, list items and table rows of a body, in order; headings left out."""
    out: list[str] = []
    paragraph: list[str] = []
    for raw in visible_text(body).splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or re.match(r"^(?:[-*]|\d+\.)\s|^\|", line):
            if paragraph:
                out.append(" ".join(paragraph))
                paragraph = []
            if line and not line.startswith("#"):
                out.append(line)
            continue
        paragraph.append(line)
    if paragraph:
        out.append(" ".join(paragraph))
    return out


def sentences(block: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z(*])", block)


def page_leftovers(md: str) -> list[str]:
    meta, body = split_page(md)
    found = [f"{key}: {w}" for key in ("title", "description") for w in swedish_leftovers(str(meta.get(key, "")))]
    return found + swedish_leftovers(visible_text(body))


def marker_problems(sv_md: str, en_md: str) -> list[str]:
    sv, en = markers(sv_md), markers(en_md)
    return [] if sv == en else [f"markers differ:\n  sv: {sv}\n  en: {en}"]


# The Swedish terms that must be explained: (name, in the Swedish text, in italics, the English words).
TERMS = [
    ("utvecklingssamtal", r"utvecklingssamtal", r"utvecklingssamtal", r"development talks?"),
    ("lönesamtal", r"lönesamtal", r"lönesamtal", r"pay talks?"),
    ("lönesättande samtal", r"lönesättande samtal", r"lönesättande samtal", r"pay-setting talks?"),
    ("förtroendevald", r"förtroendevald", r"förtroendevalda?", r"union representatives?"),
    ("skyddsombud", r"skyddsombud", r"skyddsombud", r"safety representatives?"),
    ("kollektivavtal", r"kollektivavtal", r"kollektivavtal", r"collective agreements?"),
    ("allmän handling", r"allmänn?a? handling", r"allmän handling", r"official documents?"),
    ("lönekriterier", r"lönekriteri", r"lönekriterier", r"pay criteri(?:a|on)"),
]


def term_problems(sv_md: str, en_md: str) -> list[str]:
    """Each term the page deals with is in italics, beside its English words, where it first appears."""
    _, sv_body = split_page(sv_md)
    _, en_body = split_page(en_md)
    sv_text = visible_text(sv_body)
    en_blocks = blocks(en_body)
    problems = []
    for name, in_swedish, italic, english in TERMS:
        italic_re = re.compile(rf"\*{italic}\*")
        english_re = re.compile(english, re.IGNORECASE)
        uses = [b for b in en_blocks if italic_re.search(b) or english_re.search(b)]
        if not re.search(in_swedish, sv_text, re.IGNORECASE) and not uses:
            continue
        if not uses:
            problems.append(f"'{name}' is in the Swedish page but not in the English one")
            continue
        first = uses[0]
        if not any(italic_re.search(s) and english_re.search(s) for s in sentences(first)):
            problems.append(f"'{name}' is not in italics with its explanation at its first use: {first[:120]!r}")
    return problems


def test_every_swedish_page_has_an_english_page_and_no_other() -> None:
    assert SV_PAGES, "no Swedish pages found"
    assert sorted(p.name for p in EN_CONTENT.glob("*.md")) == SV_PAGES


@pytest.mark.parametrize("name", SV_PAGES)
def test_english_page_keeps_the_markers_in_order(name: str) -> None:
    sv = (SV_CONTENT / name).read_text(encoding="utf-8")
    en = (EN_CONTENT / name).read_text(encoding="utf-8")
    assert marker_problems(sv, en) == []


@pytest.mark.parametrize("name", SV_PAGES)
def test_english_page_has_english_title_and_description(name: str) -> None:
    meta, body = split_page((EN_CONTENT / name).read_text(encoding="utf-8"))
    sv_meta, _ = split_page((SV_CONTENT / name).read_text(encoding="utf-8"))
    assert meta.get("title") and meta.get("description"), "front matter needs a title and a description"
    assert meta["description"] != sv_meta.get("description")
    heading = re.search(r"^# (.+)$", body, re.MULTILINE)
    assert heading and heading.group(1).strip() == meta["title"], "the page heading and its title should agree"


@pytest.mark.parametrize("name", SV_PAGES)
def test_english_page_has_no_swedish_left(name: str) -> None:
    assert page_leftovers((EN_CONTENT / name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", SV_PAGES)
def test_swedish_terms_are_in_italics_and_explained_at_first_use(name: str) -> None:
    sv = (SV_CONTENT / name).read_text(encoding="utf-8")
    en = (EN_CONTENT / name).read_text(encoding="utf-8")
    assert term_problems(sv, en) == []


# --------------------------------------------------------------------------- nav


def nav_of(config: Path) -> list[Any]:
    # The root config has !ENV tags; only its nav: is read here.
    text = config.read_text(encoding="utf-8")
    return yaml.safe_load(text[text.index("\nnav:") + 1 :])["nav"]


def nav_entries(entries: list[Any]) -> Iterator[tuple[str, str]]:
    for entry in entries:
        title, value = next(iter(entry.items())) if isinstance(entry, dict) else ("", entry)
        if isinstance(value, list):
            yield title, ""
            yield from nav_entries(value)
        else:
            yield title, value


def nav_problems(sv_nav: list[Any], en_nav: list[Any]) -> list[str]:
    sv = list(nav_entries(sv_nav))
    en = list(nav_entries(en_nav))
    problems = []
    if [f for _, f in sv] != [f for _, f in en]:
        problems.append(f"the English nav lists {[f for _, f in en]}, the Swedish {[f for _, f in sv]}")
    problems += [f"nav title {title!r} is Swedish" for title, _ in en if swedish_leftovers(title)]
    return problems


def test_the_english_nav_lists_the_same_files_in_the_same_order() -> None:
    assert nav_problems(nav_of(ROOT / "mkdocs.yml"), nav_of(EN_DIR / "mkdocs.yml")) == []


# --------------------------------------------------------------------------- the bank


@pytest.fixture(scope="module")
def english_bank() -> Any:
    return load_bank(BANK, translation=TRANSLATION)


@pytest.fixture(scope="module")
def swedish_bank() -> Any:
    return load_bank(BANK).bank


def bank_texts(bank: Any) -> Iterator[tuple[str, str]]:
    """Every text of a loaded bank a reader sees, with its key."""
    for a in bank.audiences:
        yield f"audiences.{a.id}", a.title
    for p in bank.phases:
        yield f"phases.{p.id}", f"{p.title} | {p.summary} | {p.cue}"
    for t in bank.topics:
        yield f"topics.{t.id}", t.title
    if bank.cycle:
        yield "cycle", " | ".join([bank.cycle.title, bank.cycle.centre, *(s.title for s in bank.cycle.steps)])
    sheet = bank.sheet
    yield "sheet.header", " | ".join(h.label for h in sheet.header)
    if sheet.scale:
        yield "sheet.scale", f"{sheet.scale.low} | {sheet.scale.high}"
    if sheet.yesno:
        yield "sheet.yesno", f"{sheet.yesno.yes} | {sheet.yesno.no}"
    yield "sheet.follow_up", sheet.follow_up or ""
    if sheet.goals:
        yield "sheet.goals", " | ".join([sheet.goals.title, sheet.goals.intro, *(c.label for c in sheet.goals.columns)])
    if sheet.compare:
        yield "sheet.compare", " | ".join([sheet.compare.intro, *(c.label for c in sheet.compare.columns)])
    for q in bank.questions:
        yield f"questions.{q.id}", f"{q.text} | {q.hint} | {q.follow_up}"
    for c in bank.checklists:
        yield f"checklists.{c.id}", " | ".join([c.title, c.intro, *(i.text for i in c.items)])
    for w in bank.worksheets:
        yield f"worksheets.{w.id}", f"{w.title} | {w.intro}"
    for s in bank.sets:
        yield f"sets.{s.id}", f"{s.title} | {s.description}"


def test_the_translation_has_exactly_the_banks_texts(english_bank: Any) -> None:
    # load_bank raises on a text for an id the bank lacks and warns on a missing one.
    assert english_bank.warnings == ()
    assert english_bank.bank.language == "en"


def test_no_bank_text_is_left_in_swedish(english_bank: Any) -> None:
    left = {key: words for key, text in bank_texts(english_bank.bank) if (words := swedish_leftovers(text))}
    assert left == {}


def test_questions_keep_their_form(english_bank: Any, swedish_bank: Any) -> None:
    """A statement stays a statement (scale), a question a question, one thing at a time."""
    swedish = {q.id: q for q in swedish_bank.questions}
    wrong = []
    for q in english_bank.bank.questions:
        if q.text.rstrip()[-1] != swedish[q.id].text.rstrip()[-1]:
            wrong.append(f"{q.id}: {q.text!r} ends differently from {swedish[q.id].text!r}")
        if q.text.count("?") > 1:
            wrong.append(f"{q.id}: {q.text!r} asks more than one question")
    assert wrong == []


def test_worksheets_and_sets_are_not_copies_of_the_swedish(english_bank: Any, swedish_bank: Any) -> None:
    sv = dict(bank_texts(swedish_bank))
    same = [key for key, text in bank_texts(english_bank.bank) if text == sv[key] and key != "sheet.yesno"]
    assert same == []


# --------------------------------------------------------------------------- strings


def flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def strings_problems(sv: dict[str, Any], en: dict[str, Any]) -> list[str]:
    problems = [f"missing in en.yml: {k}" for k in sorted(sv.keys() - en.keys())]
    problems += [f"not in sv.yml: {k}" for k in sorted(en.keys() - sv.keys())]
    for key in sorted(sv.keys() & en.keys()):
        holes_sv = set(re.findall(r"\{(\w+)\}", str(sv[key])))
        holes_en = set(re.findall(r"\{(\w+)\}", str(en[key])))
        if holes_sv != holes_en:
            problems.append(f"{key}: placeholders {sorted(holes_en)} should be {sorted(holes_sv)}")
        if key not in {"language", "meta.locale"} and swedish_leftovers(str(en[key])):
            problems.append(f"{key}: Swedish left: {swedish_leftovers(str(en[key]))}")
    return problems


def load_strings(name: str) -> dict[str, Any]:
    return flatten(yaml.safe_load((STRINGS / f"{name}.yml").read_text(encoding="utf-8")))


def test_english_strings_have_the_swedish_keys_and_placeholders_in_english() -> None:
    assert strings_problems(load_strings("sv"), load_strings("en")) == []


# --------------------------------------------------------------------------- the checks can fail


def _page(name: str) -> tuple[str, str]:
    return (SV_CONTENT / name).read_text(encoding="utf-8"), (EN_CONTENT / name).read_text(encoding="utf-8")


def test_the_checks_fail_on_a_broken_page() -> None:
    sv, en = _page("forberedelse.md")
    first = markers(en)[0]
    assert marker_problems(sv, en.replace(first + "\n", "", 1)), "a dropped marker"
    assert marker_problems(
        sv, en.replace("samtal:questions phase=forberedelse topic=kompetens", "samtal:questions phase=forberedelse topic=lon", 1)
    )
    assert page_leftovers(en + "\nDu kan också fråga chefen.\n"), "an untranslated sentence"
    assert page_leftovers(en + "\nAsk the *skyddsombudet om det* first.\n"), "Swedish hidden in italics"
    assert page_leftovers(en.replace("title: Preparation", "title: Förberedelse")), "a Swedish title"
    assert term_problems(sv, en.replace("(*lönekriterier*: what the employer takes into account when setting pay)", ""))
    assert term_problems(sv, en.replace("*skyddsombud*", "skyddsombud")), "a term out of italics"
    assert term_problems(sv, en.replace("the safety representative (*skyddsombud*", "someone (*skyddsombud*")), "no explanation"
    index_sv, index_en = _page("index.md")
    assert term_problems(index_sv, index_en.replace("collective agreements (*kollektivavtal*", "agreements (*avtal*")), (
        "term dropped"
    )


def test_the_checks_pass_a_faithful_page() -> None:
    sv, en = _page("handlingsplan.md")
    assert marker_problems(sv, en) == [] and page_leftovers(en) == [] and term_problems(sv, en) == []


def test_the_nav_check_fails_on_a_broken_nav() -> None:
    sv_nav = nav_of(ROOT / "mkdocs.yml")
    en_nav = nav_of(EN_DIR / "mkdocs.yml")
    assert nav_problems(sv_nav, en_nav[:-1]), "a missing section"
    swapped = [en_nav[1], en_nav[0], *en_nav[2:]]
    assert nav_problems(sv_nav, swapped), "a changed order"
    assert nav_problems(sv_nav, [*en_nav[:2], {"Alla frågor": "fragor.md"}, *en_nav[3:]]), "a Swedish title"
    assert nav_problems(sv_nav, en_nav) == []


def test_the_bank_check_fails_on_a_broken_translation() -> None:
    text = TRANSLATION.read_text(encoding="utf-8")
    bank = BANK.read_text(encoding="utf-8")
    missing = parse_bank(bank, BANK, translation=(text.replace("    follow_up: What is missing?\n", "", 1), TRANSLATION))
    assert any("resurser-racker" in w for w in missing.warnings), "a missing text is a warning naming the id"
    with pytest.raises(BankError, match="no-such-question"):
        parse_bank(bank, BANK, translation=(text.replace("  stress:\n", "  no-such-question:\n", 1), TRANSLATION))
    untranslated = parse_bank(
        bank,
        BANK,
        translation=(text.replace("text: My workload is reasonable.", "text: Min arbetsbelastning är rimlig."), TRANSLATION),
    )
    assert any(swedish_leftovers(t) for _, t in bank_texts(untranslated.bank)), "a Swedish text"
    assert swedish_leftovers("Vad vill du få ut av samtalet?")
    assert swedish_leftovers("Ask your manager: Hur ser du på min roll?")


def test_the_strings_check_fails_on_broken_strings() -> None:
    sv, en = load_strings("sv"), load_strings("en")
    assert strings_problems(sv, {k: v for k, v in en.items() if k != "tools.undo"}), "a missing key"
    assert strings_problems(sv, {**en, "copy.link_to": "Copy link"}), "a lost placeholder"
    assert strings_problems(sv, {**en, "tools.undo": "Ångra"}), "a Swedish word"
