"""The guide in easy-to-read Swedish (lättläst), at /lattlast/.

Checked the way MTM and FUB describe lättläst: every page and the bank's texts
at LIX 25 or below, short sentences, no abbreviations, and every hard word
explained where a page first uses it. The lättläst pages pull in the same bank
content as the normal pages (the same markers in the same order), the nav
lists the same files, and the translation covers every text of the bank.

Each checker is also run on the normal pages, which are good plain Swedish
but not lättläst, so every check is shown to fail on text that is too hard.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "hooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "hooks"))

from samtal.bank import load_bank  # noqa: E402
from samtal.pages import LOOKS_LIKE_MARKER  # noqa: E402
from samtal.readability import SENTENCE_END_RE, WORD_RE, lix, prose_from_markdown  # noqa: E402
from samtal.strings import load_strings  # noqa: E402

VERSION = ROOT / "versions" / "lattlast"
NORMAL_PAGES = sorted((ROOT / "content").glob("*.md"))
EASY_PAGES = sorted((VERSION / "content").glob("*.md"))
TRANSLATION = VERSION / "questions.yaml"
STRINGS_DIR = ROOT / "overrides" / "samtal" / "strings"

LIX_MAX = 25.0
SENTENCE_WORDS_MAX = 20  # no sentence longer than this
MEAN_SENTENCE_WORDS_MAX = 10.0  # per page: most sentences are much shorter
PAGE_WORDS_MIN = 150  # a page that says almost nothing is not an easy version of its page

# Words a lättläst reader may not know. Each is explained where a page first
# uses it (outside link texts, which name the page that explains them): in
# the same sentence or one of the next two, by "X är …", "X betyder …",
# "… kallas/heter X" or a parenthesis right after X. Regular expressions,
# matched case-insensitively at the start of a word.
HARD_WORDS = [
    "utvecklingssamtal",
    "lönesamtal",
    "lönesättande samtal",
    "förtroendevald",
    "skyddsombud",
    "kollektivavtal",
    "handlingsplan",
    "återkoppling",
    "arbetsgivare",
    "facket",
    r"arbetsmiljö(?!verket|lagen)",
    "arbetsmiljöverket",
    "lönekriteri",
    "lönepolicy",
    "kallelse",
    "arbetsblad",
    "avstämning",
    "provanställning",
    "tillsvidareanställning",
    "visstidsanställ",
    "deltid",
    "kränkande särbehandling",
    "personuppgift",
    "dataskyddsförordning",
    "offentlighetsprincip",
    r"allmänn?a? handling",
    "sekretess",
    "kompetensutveckling",
    "studieledighet",
    "omställningsorganisation",
    "trygghetsråd",
    "omställningsstudiestöd",
    "förbättringsplan",
    "åtgärdsplan",
    "företagshälsovård",
    "intyg",
    "kakor",
    "licens",
    "jurist",
    "csn",
]
EXPLAIN_WINDOW = 3  # the sentence with the word and the two after it

# Abbreviations are not lättläst. These names are what readers meet elsewhere
# and are explained on the page (CSN) or are the names of file formats and a
# licence.
ABBREVIATION_RE = re.compile(
    r"\b(?:t\.\s?ex|bl\.\s?a|m\.\s?m|d\.\s?v\.\s?s|o\.\s?s\.\s?v|osv|dvs|ca|resp|inkl|exkl|ev)\b\.?", re.IGNORECASE
)
ALLOWED_CAPITALS = {"CSN", "PDF", "JSON", "CSV", "CC", "BY"}
CAPITALS_RE = re.compile(r"\b[A-ZÅÄÖ]{2,}\b")

LINK_RE = re.compile(r"!?\[[^\]]*\]\([^)]*\)")


# --------------------------------------------------------------------------- helpers


def sentences(text: str) -> list[str]:
    """The sentences of plain text, split as LIX splits them (. ! ? :)."""
    return [" ".join(part.split()) for part in SENTENCE_END_RE.split(text) if WORD_RE.search(part)]


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text))


def prose(md: str) -> str:
    return prose_from_markdown(md)


def page_lix(md: str) -> float:
    return lix(prose(md))


def long_sentences(text: str, limit: int = SENTENCE_WORDS_MAX) -> list[str]:
    return [s for s in sentences(text) if word_count(s) > limit]


def markers(md: str) -> list[str]:
    """Every generator marker line of a page, in order."""
    return [line.strip() for line in md.splitlines() if LOOKS_LIKE_MARKER.search(line)]


def _explained(stem: str, window: str) -> bool:
    word = rf"(?<!\w){stem}\w*"
    patterns = (
        rf"{word}\s+(?:är|betyder)\b",
        rf"{word}\s*\(",
        rf"\b(?:kallas|heter|heta)\s+(?:ofta\s+|också\s+|ibland\s+)?(?:en\s+|ett\s+)?(?<!\w){stem}",
    )
    return any(re.search(p, window, re.IGNORECASE) for p in patterns)


def unexplained_words(md: str, words: list[str] = HARD_WORDS) -> list[str]:
    """The hard words a page uses without explaining them at their first use."""
    text = prose(LINK_RE.sub(" ", md))
    parts = sentences(text)
    missing = []
    for stem in words:
        first = next((i for i, s in enumerate(parts) if re.search(rf"(?<!\w){stem}", s, re.IGNORECASE)), None)
        if first is None:
            continue
        window = " | ".join(parts[first : first + EXPLAIN_WINDOW])
        if not _explained(stem, window):
            missing.append(f"{stem!r} in: {parts[first]}")
    return missing


def abbreviations(text: str) -> list[str]:
    found = [m.group(0) for m in ABBREVIATION_RE.finditer(text)]
    found += [m.group(0) for m in CAPITALS_RE.finditer(text) if m.group(0) not in ALLOWED_CAPITALS]
    return found


class _NavLoader(yaml.SafeLoader):
    """Reads mkdocs.yml; its !ENV values do not matter for the nav."""


_NavLoader.add_constructor("!ENV", lambda loader, node: None)


def nav_of(config: Path) -> Any:
    with config.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_NavLoader).get("nav")


def nav_files(nav: Any) -> list[str]:
    """The files of a nav in order, and its sections' shape (so a moved page counts)."""
    out: list[str] = []

    def walk(items: Any, depth: int) -> None:
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                out.append(f"{'  ' * depth}[section]")
                walk(value, depth + 1)
            else:
                out.append(f"{'  ' * depth}{value}")

    walk(nav or [], 0)
    return out


def texts_of(node: Any) -> list[str]:
    """Every text in a nested YAML value."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in texts_of(value)]
    if isinstance(node, list):
        return [t for value in node for t in texts_of(value)]
    return []


@pytest.fixture(scope="module")
def loaded() -> Any:
    return load_bank(ROOT / "questions.yaml", translation=TRANSLATION)


@pytest.fixture(scope="module")
def translation_texts() -> list[str]:
    data = yaml.safe_load(TRANSLATION.read_text(encoding="utf-8"))
    data.pop("language", None)
    return texts_of(data)


@pytest.fixture(scope="module")
def interface_texts() -> list[str]:
    data = yaml.safe_load((STRINGS_DIR / "lattlast.yml").read_text(encoding="utf-8"))
    for key in ("inherit", "language"):
        data.pop(key, None)
    return [re.sub(r"\{\w+\}", "X", text) for text in texts_of(data)]


# --------------------------------------------------------------------------- the pages


def test_every_page_has_a_lattlast_page() -> None:
    assert NORMAL_PAGES, "content/*.md is missing"
    assert [p.name for p in EASY_PAGES] == [p.name for p in NORMAL_PAGES]


@pytest.mark.parametrize("page", NORMAL_PAGES, ids=[p.name for p in NORMAL_PAGES])
def test_same_markers_in_the_same_order(page: Path) -> None:
    easy = VERSION / "content" / page.name
    assert markers(easy.read_text(encoding="utf-8")) == markers(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", EASY_PAGES, ids=[p.name for p in EASY_PAGES])
def test_page_lix(page: Path) -> None:
    md = page.read_text(encoding="utf-8")
    value = page_lix(md)
    print(f"{page.name}: LIX {value:.1f}")
    assert value <= LIX_MAX, f"{page.name}: LIX {value:.1f} > {LIX_MAX:.0f}"
    assert word_count(prose(md)) >= PAGE_WORDS_MIN, f"{page.name} says too little to stand for its page"


@pytest.mark.parametrize("page", EASY_PAGES, ids=[p.name for p in EASY_PAGES])
def test_page_sentences_are_short(page: Path) -> None:
    parts = sentences(prose(page.read_text(encoding="utf-8")))
    assert long_sentences(". ".join(parts)) == []
    mean = statistics.mean(word_count(s) for s in parts)
    assert mean <= MEAN_SENTENCE_WORDS_MAX, f"{page.name}: {mean:.1f} words a sentence on average"


@pytest.mark.parametrize("page", EASY_PAGES, ids=[p.name for p in EASY_PAGES])
def test_hard_words_are_explained(page: Path) -> None:
    assert unexplained_words(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("page", EASY_PAGES, ids=[p.name for p in EASY_PAGES])
def test_no_abbreviations_on_pages(page: Path) -> None:
    md = page.read_text(encoding="utf-8")
    assert abbreviations(prose(md)) == []


def test_nav_lists_the_same_files_as_the_main_nav() -> None:
    main, easy = nav_of(ROOT / "mkdocs.yml"), nav_of(VERSION / "mkdocs.yml")
    assert easy, "versions/lattlast/mkdocs.yml has no nav of its own"
    assert nav_files(easy) == nav_files(main)
    # Its own titles, in simple words (not the inherited ones).
    assert "Fördjupning" not in json.dumps(easy, ensure_ascii=False)


# --------------------------------------------------------------------------- the bank


def test_translation_covers_the_bank_without_warnings(loaded: Any) -> None:
    assert loaded.warnings == ()
    assert loaded.bank.language == "sv"
    normal = load_bank(ROOT / "questions.yaml").bank
    assert [q.id for q in loaded.bank.questions] == [q.id for q in normal.questions]
    # Lättläst, not a copy: most question texts are reworded.
    same = [q.id for q, n in zip(loaded.bank.questions, normal.questions, strict=True) if q.text == n.text]
    assert len(same) <= len(normal.questions) // 4, same


def test_bank_questions_and_hints_lix(loaded: Any) -> None:
    text = "\n".join(f"{q.text}\n{q.hint}" for q in loaded.bank.questions)
    value = lix(text)
    print(f"lättläst questions and hints: LIX {value:.1f}")
    assert value <= LIX_MAX


def test_questions_keep_their_answer_kind(loaded: Any) -> None:
    """A scale is answered by agreeing with a statement; a yes/no needs a question."""
    for q in loaded.bank.questions:
        if q.answer.startswith("scale"):
            assert q.text.rstrip().endswith("."), (q.id, q.text)
        else:
            assert q.text.rstrip().endswith("?"), (q.id, q.text)
        assert bool(q.follow_up) == q.answer.endswith("+text"), q.id


def test_bank_sentences_are_short(translation_texts: list[str]) -> None:
    assert [s for text in translation_texts for s in long_sentences(text, 16)] == []
    assert [a for text in translation_texts for a in abbreviations(text)] == []


# --------------------------------------------------------------------------- the interface


def test_interface_texts_inherit_sv_and_keep_the_easy_note() -> None:
    strings = load_strings("lattlast", [STRINGS_DIR])
    assert strings.warnings == ()
    assert strings.language == "sv"
    assert strings.t("easy.note") == "Den här sidan är skriven på lättläst svenska."
    assert strings.t("easy.link", name="Svenska") == "Läs sidan på vanlig svenska."
    # The neutral help points to "facket", the word the pages explain.
    assert strings.t("org.neutral_name") == "facket"


def test_interface_sentences_are_short(interface_texts: list[str]) -> None:
    assert [s for text in interface_texts for s in long_sentences(text, 16)] == []
    assert [a for text in interface_texts for a in abbreviations(text)] == []
    assert lix("\n".join(interface_texts)) <= LIX_MAX


# --------------------------------------------------------------------------- the built version


@pytest.fixture(scope="module")
def easy_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lättläst version built on its own, strict, without PDFs."""
    from conftest import build_in_process

    dest = tmp_path_factory.mktemp("lattlast-site")
    build_in_process(VERSION / "mkdocs.yml", dest, env={"SAMTAL_PDF": "off", "NO_MKDOCS_2_WARNING": "1"})
    return dest


def test_built_pages_say_they_are_lattlast_and_link_to_the_normal_page(easy_site: Path) -> None:
    pages = [p for p in easy_site.rglob("index.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(pages) >= len(EASY_PAGES)
    note = re.compile(
        r'<p class="samtal-easy-note" lang="sv">Den här sidan är skriven på lättläst svenska\. '
        r'<a href="([^"]+)" hreflang="sv"[^>]*>Läs sidan på vanlig svenska\.</a></p>'
    )
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert re.search(r'<html lang="sv"', text), path
        found = note.findall(text)
        assert len(found) == 1, f"{path}: {len(found)} notes"
        # The link leaves /lattlast/ for the same page in the normal version.
        rel = path.parent.relative_to(easy_site).as_posix()
        page = "" if rel == "." else rel + "/"
        target = urljoin(f"http://site/lattlast/{page}", found[0])
        assert target.removesuffix("index.html") == f"http://site/{page}", (path, found[0])


def test_built_version_lists_the_same_questions(easy_site: Path) -> None:
    data = json.loads((easy_site / "fragor.json").read_text(encoding="utf-8"))
    normal = load_bank(ROOT / "questions.yaml").bank
    assert [q["id"] for q in data["questions"]] == [q.id for q in normal.questions]
    easy = {q.id: q.text for q in load_bank(ROOT / "questions.yaml", translation=TRANSLATION).bank.questions}
    assert all(q["text"] == easy[q["id"]] for q in data["questions"])


# --------------------------------------------------------------------------- the checks can fail


def test_the_checks_fail_on_the_normal_pages() -> None:
    """The normal pages are plain Swedish for adults, not lättläst: each check says so."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in NORMAL_PAGES}
    assert all(page_lix(md) > LIX_MAX for md in texts.values())
    assert all(long_sentences(prose(md)) for md in texts.values())
    assert sum(bool(unexplained_words(md)) for md in texts.values()) >= len(texts) - 2
    assert any(abbreviations(prose(md)) for md in texts.values())


def test_the_checks_fail_on_a_harder_copy_of_a_lattlast_page() -> None:
    md = (VERSION / "content" / "lonesamtal.md").read_text(encoding="utf-8")
    # The explanations dropped, sentences joined into long ones, an abbreviation.
    harder = re.sub(r"(?m)^(?:Ett kollektivavtal är|Lönekriterier är|Facket är)[^\n]*\n", "", md)
    harder = re.sub(r"\.\n(?=[A-ZÅÄÖ])", ", och ", harder)
    harder = harder.replace("till exempel", "t.ex.")
    assert page_lix(harder) > LIX_MAX
    assert long_sentences(prose(harder))
    assert any("kollektivavtal" in w for w in unexplained_words(harder))
    assert any("lönekriteri" in w for w in unexplained_words(harder))
    assert abbreviations(prose(harder))
    # Markers swapped or dropped are caught.
    normal = markers((ROOT / "content" / "lonesamtal.md").read_text(encoding="utf-8"))
    assert markers(md) == normal
    org, questions = "<!-- samtal:org-help -->", "<!-- samtal:questions topic=lon -->"
    swapped = md.replace(org, "@@").replace(questions, org).replace("@@", questions)
    assert markers(swapped) != normal
    assert markers(md.replace(org, "")) != normal


def test_the_explanation_check_reads_the_forms_it_accepts() -> None:
    assert unexplained_words("Ett skyddsombud är en person som hjälper till.", ["skyddsombud"]) == []
    assert unexplained_words("Prata med skyddsombudet. Skyddsombudet betyder den som hjälper.", ["skyddsombud"]) == []
    assert unexplained_words("Inbjudan kallas ofta kallelse.", ["kallelse"]) == []
    assert unexplained_words("Fråga ett skyddsombud (en person som hjälper till).", ["skyddsombud"]) == []
    assert unexplained_words(
        "Prata med skyddsombudet. Gör det snart. Det hjälper. Ett skyddsombud är en person.", ["skyddsombud"]
    )
    # A link text names the page that explains the word; it is not a use.
    assert unexplained_words("Läs [Handlingsplanen](handlingsplan.md).", ["handlingsplan"]) == []


def test_the_nav_check_catches_a_missing_or_moved_file() -> None:
    main = nav_of(ROOT / "mkdocs.yml")
    easy = nav_of(VERSION / "mkdocs.yml")
    dropped = json.loads(json.dumps(easy))
    dropped[1]["Samtalet steg för steg"].pop()
    assert nav_files(dropped) != nav_files(main)
    moved = json.loads(json.dumps(easy))
    moved.append(moved.pop(0))
    assert nav_files(moved) != nav_files(main)
