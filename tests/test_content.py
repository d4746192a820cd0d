"""The guide's text and question bank: facts, completeness, consistent terms, ids.

Plain Python over questions.yaml, mkdocs.yml and content/*.md: no build needed.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "hooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "hooks"))

from samtal.readability import prose_from_markdown  # noqa: E402

CONTENT = ROOT / "content"
PAGES = sorted(CONTENT.glob("*.md"))
# Pages the build generates; they are in the nav but not in content/.
GENERATED = {"fragor.md", "arbetsblad/index.md"}

# Every id published up to issue 11 (git show main:questions.yaml before the
# rewrite). An id that was ever published is a link someone may have saved:
# it stays in the bank or goes to retired:, and is never used for anything else.
PUBLISHED = {
    "questions": [
        "arbetsuppgifter-just-nu",
        "uppgifter-mest-och-minst",
        "rollen-tydlig",
        "klarar-rollen",
        "vill-forandra",
        "klarat-av",
        "mal-uppfyllda",
        "utmaningar",
        "stolt-over",
        "kompetens-anvands",
        "nya-erfarenheter",
        "vill-lara-mer",
        "formell-kompetens",
        "egna-sidor",
        "trivsel",
        "arbetsmiljo-brister",
        "arbetsbelastning-rimlig",
        "resurser-racker",
        "stress",
        "samarbete-fungerar",
        "bild-som-kollega",
        "ledarskap-bra-och-battre",
        "stod-fran-chefen",
        "befogenheter-racker",
        "paverka-arbetet",
        "mal-kort-och-lang-sikt",
        "om-nagra-ar",
        "underlag-till-lonen",
        "fa-ut-av-samtalet",
        "forra-planen-framme",
        "kansligt-amne",
        "chef-gjort-bra",
        "chef-kan-bli-battre",
        "chef-verksamhetens-mal",
        "chef-bild-av-rollen",
        "chef-kompetens-framat",
        "chef-arbetsborda",
        "chef-arbetsmiljo",
        "chef-i-gruppen",
        "chef-befogenheter",
        "chef-vagar-framat",
        "chef-eget-ledarskap",
        "chef-forra-planen",
        "chef-tid-och-rum",
        "chef-lonekriterier",
        "chefens-syn-pa-insatsen",
        "be-om-kritik",
        "personligt-mal",
        "mal-och-verksamheten",
        "forvantningar",
        "roll-i-organisationen",
        "kunskap-som-behovs",
        "forslag-att-prova",
        "minska-arbetsbordan",
        "prioriteringar",
        "battre-arbetsmiljo",
        "chef-hur-mar-du",
        "battre-samarbete",
        "jag-som-kollega",
        "aterkoppling-till-chefen",
        "chef-fraga-om-ledarskap",
        "egna-beslut",
        "mojligheter-har",
        "samtalet-och-lonen",
        "vem-antecknar",
        "sammanfatta",
        "viktigast-som-sades",
        "samtalet-gav-mig-nagot",
        "blev-lyssnad-pa",
        "tiden-rackte",
        "anteckningarna-stammer",
        "inte-sagt",
        "gick-mindre-bra",
        "nasta-gang",
        "tydlig-aterkoppling",
        "overraskad",
        "gehor-for-utveckling",
        "paverkar-lonen",
        "kansla-efterat",
        "chef-larde-mig",
        "chef-mina-ataganden",
        "plan-stort-mal",
        "plan-sma-mal",
        "plan-mal-natt",
        "plan-kurs",
        "plan-studiebesok",
        "plan-ny-metod",
        "plan-nya-uppgifter",
        "plan-stod",
        "plan-chefens-del",
        "plan-tid-for-utveckling",
        "plan-hinder",
        "plan-befogenheter",
        "plan-nar-klart",
        "plan-avstamningar",
        "plan-lang-sikt",
        "plan-och-lonen",
    ],
    "checklists": ["checklista-forberedelse", "checklista-under-samtalet", "checklista-efterarbete", "checklista-handlingsplan"],
    "worksheets": ["forberedelse", "under-samtalet", "efterarbete", "handlingsplan", "chefens-forberedelse", "bada-synerna"],
    "sets": ["ny-pa-jobbet", "infor-lonesamtalet", "arbetsbelastning-och-arbetsmiljo", "ny-chef", "karriar-och-utveckling"],
}
PUBLISHED_IDS = {i for ids in PUBLISHED.values() for i in ids}

# Checklist items are stored as <checklist>--<item> in saved answers and PDFs.
# retired: has no place for them (its ids cannot hold "--"), so the items taken
# out in issue 11 are reserved here: they must not come back with another text.
RETIRED_CHECKLIST_ITEMS = {
    "checklista-forberedelse": {
        "valj-rum",
        "ga-igenom-aret",
        "valj-det-viktigaste",
        "aterkoppling-till-chefen",
        "chefen-forbereder-sig",
    },
    "checklista-under-samtalet": {"be-om-aterkoppling", "personligt-mal"},
    "checklista-efterarbete": {"egna-anteckningar", "utvardera", "kolla-anteckningarna", "sag-till", "lonesamtalet"},
    "checklista-handlingsplan": {"lonesamtalet"},
}

ANSWER_KINDS = {"text", "line", "scale", "yesno", "scale+text", "yesno+text"}
# A hint that asks the reader to write, describe, give examples or tell.
ASKS_TO_WRITE = re.compile(
    # Imperative, infinitive and present forms; the passive "skrivs under" is not a request.
    r"\b(skriv|skriva|skriver|beskriv|beskriva|berätta|anteckna|notera|ange|lista|motivera|förklara)\b"
    r"|\bge\s+(ett\s+|några\s+|gärna\s+)?exempel",
    re.IGNORECASE,
)
NUMBERS = {3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta"}


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def bank() -> dict:
    with (ROOT / "questions.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def nav() -> list:
    # mkdocs.yml has !ENV tags; only nav: is read here.
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = text[text.index("\nnav:") + 1 :]
    return yaml.safe_load(block)["nav"]


def nav_files(entries: list) -> Iterator[str]:
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            yield from nav_files(value)
        else:
            yield value


def select(bank: dict, phase: str | None = None, topics=None, audiences=None) -> list[dict]:
    """The bank's selector rule: every given filter matches, in bank order."""
    topics = set(topics) if topics is not None else None
    audiences = set(audiences) if audiences is not None else None
    return [
        q
        for q in bank["questions"]
        if (phase is None or q["phase"] == phase)
        and (topics is None or q["topic"] in topics)
        and (audiences is None or q["for"] in audiences)
    ]


def sheet_questions(bank: dict, refs) -> list[str]:
    if isinstance(refs, list):
        return list(refs)
    topics = refs.get("topic")
    if isinstance(topics, str):
        topics = [topics]
    audiences = refs.get("for")
    if isinstance(audiences, str):
        audiences = [audiences]
    return [q["id"] for q in select(bank, refs.get("phase"), topics, audiences)]


def all_sheets(bank: dict) -> dict[str, list[str]]:
    sheets = {w["id"]: sheet_questions(bank, w["questions"]) for w in bank["worksheets"]}
    sheets.update({s["id"]: list(s["questions"]) for s in bank["sets"]})
    return sheets


def bank_texts(bank: dict) -> Iterator[tuple[str, str]]:
    """Every text of the bank a reader sees, with where it is."""
    for a in bank.get("audiences", []):
        yield f"audiences.{a['id']}", a["title"]
    for p in bank["phases"]:
        yield f"phases.{p['id']}", f"{p['title']}. {p.get('summary', '')}"
    for t in bank["topics"]:
        yield f"topics.{t['id']}", t["title"]
    cycle = bank.get("cycle", {})
    for key in ("title", "centre"):
        if key in cycle:
            yield f"cycle.{key}", cycle[key]
    for step in cycle.get("steps", []):
        yield f"cycle.{step['id']}", step["title"]
    sheet = bank.get("sheet", {})
    for h in sheet.get("header", []):
        yield f"sheet.header.{h['id']}", h["label"]
    if "follow_up" in sheet:
        yield "sheet.follow_up", sheet["follow_up"]
    for part in ("goals", "compare"):
        block = sheet.get(part, {})
        for key in ("title", "intro"):
            if key in block:
                yield f"sheet.{part}.{key}", block[key]
        for col in block.get("columns", []):
            yield f"sheet.{part}.{col['id']}", col["label"]
    for q in bank["questions"]:
        yield q["id"], q["text"]
        yield f"{q['id']}.hint", q.get("hint", "")
        if q.get("follow_up"):
            yield f"{q['id']}.follow_up", q["follow_up"]
    for c in bank["checklists"]:
        yield c["id"], c["title"]
        for item in c["items"]:
            yield f"{c['id']}.{item['id']}", item["text"]
    for w in bank["worksheets"] + bank["sets"]:
        yield w["id"], f"{w['title']}. {w.get('intro', w.get('description', ''))}"


def page_texts() -> Iterator[tuple[str, str]]:
    for page in PAGES:
        md = page.read_text(encoding="utf-8")
        front = re.match(r"\A---\n(.*?)\n---\n", md, re.DOTALL)
        meta = yaml.safe_load(front.group(1)) if front else {}
        yield page.name, f"{meta.get('title', '')}. {meta.get('description', '')}\n{prose_from_markdown(md)}"


def reader_texts(bank: dict) -> list[tuple[str, str]]:
    return list(bank_texts(bank)) + list(page_texts())


def all_pages_text() -> str:
    return "\n".join(text for _, text in page_texts())


# --------------------------------------------------------------------------- ids


def test_every_published_id_is_kept_or_retired(bank: dict) -> None:
    current = {q["id"] for q in bank["questions"]}
    for key in ("checklists", "worksheets", "sets"):
        current |= {x["id"] for x in bank[key]}
    retired = {r["id"] for r in bank.get("retired", [])}
    assert sorted(PUBLISHED_IDS - current - retired) == []
    # Each kind stays what it was: a published set id cannot become a question.
    for key, ids in PUBLISHED.items():
        kind_now = {x["id"] for x in bank[key]}
        others = current - kind_now
        assert sorted(set(ids) & others) == [], key


def test_retired_ids_are_never_used_again(bank: dict) -> None:
    retired = [r["id"] for r in bank.get("retired", [])]
    assert len(retired) == len(set(retired)), "an id is retired twice"
    used = {q["id"] for q in bank["questions"]}
    for key in ("checklists", "worksheets", "sets"):
        used |= {x["id"] for x in bank[key]}
    for sheet in bank["worksheets"]:
        if isinstance(sheet["questions"], list):
            used |= set(sheet["questions"])
    for item in bank["sets"]:
        used |= set(item["questions"])
    assert sorted(set(retired) & used) == []


def test_retired_ids_were_published(bank: dict) -> None:
    retired = {r["id"] for r in bank.get("retired", [])}
    assert sorted(retired - PUBLISHED_IDS) == []


def test_replaced_by_points_at_a_current_question(bank: dict) -> None:
    questions = {q["id"] for q in bank["questions"]}
    for entry in bank.get("retired", []):
        target = entry.get("replaced_by")
        if target is not None:
            assert target in questions, f"{entry['id']} -> {target}"


def test_removed_checklist_items_stay_reserved(bank: dict) -> None:
    for checklist in bank["checklists"]:
        items = {item["id"] for item in checklist["items"]}
        assert sorted(items & RETIRED_CHECKLIST_ITEMS.get(checklist["id"], set())) == [], checklist["id"]


def test_sheets_and_sets_refer_to_existing_questions(bank: dict) -> None:
    questions = {q["id"] for q in bank["questions"]}
    for sheet_id, ids in all_sheets(bank).items():
        assert ids, sheet_id
        assert sorted(set(ids) - questions) == [], sheet_id


def test_no_sheet_or_set_shows_a_question_twice(bank: dict) -> None:
    for sheet_id, ids in all_sheets(bank).items():
        twice = [qid for qid, count in Counter(ids).items() if count > 1]
        assert twice == [], f"{sheet_id} shows {twice} twice"


# --------------------------------------------------------------------------- answers


def test_answer_kinds_and_follow_ups(bank: dict) -> None:
    for q in bank["questions"]:
        assert q["answer"] in ANSWER_KINDS, q["id"]
        if "follow_up" in q:
            assert q["answer"].endswith("+text"), f"{q['id']}: follow_up without a text box"
            assert q["follow_up"].strip().endswith("?"), q["id"]


def test_a_hint_that_asks_for_writing_has_a_place_to_write(bank: dict) -> None:
    wrong = [q["id"] for q in bank["questions"] if q["answer"] in ("scale", "yesno") and ASKS_TO_WRITE.search(q.get("hint", ""))]
    assert wrong == [], f"yes/no or scale, but the hint asks the reader to write: {wrong}"


def test_scale_items_are_statements_and_yes_no_items_questions(bank: dict) -> None:
    for q in bank["questions"]:
        if q["answer"].startswith("scale"):
            assert not q["text"].rstrip().endswith("?"), f"{q['id']}: a 1–5 scale needs a statement"
        if q["answer"].startswith("yesno"):
            assert q["text"].rstrip().endswith("?"), q["id"]


def test_no_double_barrelled_questions(bank: dict) -> None:
    # "Vad … , och vad …?", "Vilka … , och vilka …?": two questions in one.
    pattern = re.compile(r",\s+(och|eller)\s+(vad|vilka|vilken|vilket|hur|när|var|vem)\b", re.IGNORECASE)
    wrong = [q["id"] for q in bank["questions"] if pattern.search(q["text"])]
    assert wrong == []


def test_both_views_sheet_makes_sense_from_both_sides(bank: dict) -> None:
    sheet = next(w for w in bank["worksheets"] if w["layout"] == "compare")
    by_id = {q["id"]: q for q in bank["questions"]}
    first_person = re.compile(r"\b(jag|mig|min|mitt|mina)\b", re.IGNORECASE)
    for qid in sheet_questions(bank, sheet["questions"]):
        q = by_id[qid]
        # "Det ni kom överens om" is written, never rated on a scale or ticked.
        assert q["answer"] in ("text", "line"), qid
        assert not first_person.search(q["text"]), f"{qid}: the manager cannot answer a first-person item"
        assert not q["text"].lower().startswith("fråga "), qid


# --------------------------------------------------------------------------- format 2 sections


def test_audiences(bank: dict) -> None:
    assert [a["id"] for a in bank["audiences"]] == ["medarbetare", "chef", "bada"]
    assert {q["for"] for q in bank["questions"]} <= {a["id"] for a in bank["audiences"]}


def test_phase_pages_exist(bank: dict) -> None:
    for phase in bank["phases"]:
        page = phase.get("page", f"{phase['id']}.md")
        assert (CONTENT / page).is_file(), page


def test_sheet_section(bank: dict) -> None:
    sheet = bank["sheet"]
    assert [h["id"] for h in sheet["header"]] == ["medarbetare", "chef", "datum"]
    assert sheet["scale"]["steps"] == 5 and sheet["scale"]["low"] and sheet["scale"]["high"]
    assert sheet["yesno"]["yes_label"] and sheet["yesno"]["no_label"]
    assert sheet["follow_up"].strip().endswith("?")
    goals = sheet["goals"]
    ids = [c["id"] for c in goals["columns"]]
    assert {"mal", "aktiviteter", "vem", "chefens-del", "stod", "klart", "datum"} == set(ids)
    assert len(ids) == len(set(ids))
    assert goals["intro"].strip() and goals["rows"] >= 1
    for col in goals["columns"] + sheet["compare"]["columns"]:
        assert not col["label"].rstrip().endswith("?"), f"{col['id']}: a column label, not a question"
    assert [c["id"] for c in sheet["compare"]["columns"]] == ["min", "chef", "overens"]
    assert sheet["compare"]["intro"].strip()


def test_start_page_heading_list_and_cycle_agree(bank: dict) -> None:
    steps = [p["title"] for p in bank["phases"]] + [s["title"] for s in bank["cycle"]["steps"]]
    md = (CONTENT / "index.md").read_text(encoding="utf-8")
    heading = re.search(r"^## Ett år i (\w+) steg\s*$", md, re.MULTILINE)
    assert heading, "the start page's heading on the year"
    assert heading.group(1) == NUMBERS[len(steps)], f"{heading.group(1)} steps, the picture has {len(steps)}"
    section = md[heading.end() :].split("\n## ", 1)[0]
    assert "<!-- samtal:cycle -->" in section
    listed = re.findall(r"^\d+\.\s+\*\*(.+?)\.?\*\*", section, re.MULTILINE)
    assert listed == steps


# --------------------------------------------------------------------------- pages and markers

MARKER_LINE = re.compile(r"^<!--\s*samtal:(?P<name>[a-z-]+)(?P<args>[^>]*?)\s*-->$")


def markers() -> Iterator[tuple[str, int, str, dict[str, str]]]:
    for page in PAGES:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if "samtal:" not in line or "<!--" not in line:
                continue
            match = MARKER_LINE.match(line.strip())
            assert match and line == line.strip(), f"{page.name}:{number}: a marker stands on a line of its own"
            args = dict(re.findall(r"([a-z]+)=(\S+)", match.group("args")))
            yield page.name, number, match.group("name"), args


def test_markers_refer_to_what_exists(bank: dict) -> None:
    phases = {p["id"] for p in bank["phases"]}
    topics = {t["id"] for t in bank["topics"]}
    audiences = {a["id"] for a in bank["audiences"]}
    checklists = {c["id"] for c in bank["checklists"]}
    sheets = {w["id"] for w in bank["worksheets"]} | {s["id"] for s in bank["sets"]}
    known = {"questions", "checklist", "worksheet-link", "cycle", "org-help", "share-links", "start"}
    for page, line, name, args in markers():
        where = f"{page}:{line}"
        assert name in known, where
        if name == "questions":
            phase = args.get("phase")
            chosen_topics = args["topic"].split(",") if "topic" in args else None
            chosen_for = args["for"].split(",") if "for" in args else None
            assert phase is None or phase in phases, where
            assert set(chosen_topics or []) <= topics, where
            assert set(chosen_for or []) <= audiences, where
            assert select(bank, phase, chosen_topics, chosen_for), f"{where}: the marker picks no question"
        elif name == "checklist":
            assert args.get("id") in checklists, where
        elif name == "worksheet-link":
            assert args.get("id") in sheets, where
        elif name == "start":
            assert "rep" not in args or (CONTENT / f"{args['rep']}.md").is_file(), where


def test_every_page_is_in_the_nav_and_the_nav_has_no_missing_page(nav: list) -> None:
    files = list(nav_files(nav))
    assert sorted(page.name for page in PAGES) == sorted(f for f in files if f not in GENERATED)
    assert set(files) >= GENERATED


def test_internal_links_point_at_pages(bank: dict) -> None:
    names = {page.name for page in PAGES} | GENERATED
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert target in names, f"{page.name} -> {target}"


# --------------------------------------------------------------------------- the ten additions and the corrections


def test_the_page_for_managers_is_in_the_nav(nav: list) -> None:
    assert "chefer.md" in list(nav_files(nav))
    text = (CONTENT / "chefer.md").read_text(encoding="utf-8").lower()
    for phrase in ("kallelse", "två veckor", "överraskning", "ditt eget utvecklingssamtal", "följ"):
        assert phrase in text, phrase


@pytest.mark.parametrize(
    "addition, phrases",
    [
        ("1 problems", ["varning", "förbättringsplan", "separat möte", "skriva under", "inte att du håller med"]),
        ("2 the notes", ["personalsystem", "dataskyddsförordningen", "allmän handling", "vem som kan läsa"]),
        ("3 plan not followed", ["när planen inte följs", "chefens chef"]),
        (
            "4 work environment",
            [
                "skyddsombud",
                "arbetsmiljölagen",
                "organisatorisk och social arbetsmiljö",
                "kränkande särbehandling",
                "ohälsosam arbetsbelastning",
                "vänta",
            ],
        ),
        ("5 remote", ["video", "distansarbete", "hemma"]),
        ("6 pay", ["lönekriterier", "lönepolicy", "lönesättande samtal", "inte håller med om lönen"]),
        ("7 competence", ["ingen allmän rätt", "studieledighet", "omställningsorganisation", "omställningsstudiestöd", "csn"]),
        ("8 particular", ["föräldraledig", "deltid", "visstid", "provanställ", "ny på jobbet"]),
        ("10 not a member", ["inte är medlem", "skyddsombudet alla anställda"]),
    ],
)
def test_each_addition_is_on_a_page(addition: str, phrases: list[str]) -> None:
    text = all_pages_text().lower()
    for phrase in phrases:
        assert phrase in text, f"{addition}: '{phrase}' is on no page"


def test_overstated_facts_are_gone(bank: dict) -> None:
    text = "\n".join(t for _, t in reader_texts(bank)).lower()
    for phrase in (
        "ingen annan kan se",
        "kan inte se det du skriver",
        "se till att samtalen blir av",
        "blir ett underlag när lönen ska sättas",
        "blir också ett underlag när din lön ska sättas",
        "kollektivavtal säger att du ska ha ett utvecklingssamtal",
        "boka minst en timme",
    ):
        assert phrase not in text, phrase


def test_pay_link_is_qualified() -> None:
    # Wherever a page ties the talk to pay, it says where that holds.
    for name in ("index.md", "lonesamtal.md", "handlingsplan.md"):
        text = prose_from_markdown((CONTENT / name).read_text(encoding="utf-8")).lower()
        assert "där lönen sätts individuellt" in text, name


def test_law_and_agreements_are_stated_with_care() -> None:
    text = prose_from_markdown((CONTENT / "lonesamtal.md").read_text(encoding="utf-8")).lower()
    assert "ingen lag kräver" in text
    assert "lönesättande samtal" in text


def test_the_manager_usually_calls_the_talk(bank: dict) -> None:
    booking = next(
        item["text"]
        for c in bank["checklists"]
        if c["id"] == "checklista-forberedelse"
        for item in c["items"]
        if item["id"] == "boka-tid"
    )
    assert "chefen" in booking.lower()
    text = prose_from_markdown((CONTENT / "forberedelse.md").read_text(encoding="utf-8")).lower()
    assert "oftast är det chefen som kallar" in text


def test_privacy_is_stated_accurately() -> None:
    text = prose_from_markdown((CONTENT / "om.md").read_text(encoding="utf-8")).lower()
    assert "samma webbläsare" in text
    assert "arbetsgivaren" in text and "it-avdelning" in text
    assert "skickar inga svar" in text


def test_representatives_page_has_no_technical_setup() -> None:
    text = (CONTENT / "fortroendevalda.md").read_text(encoding="utf-8")
    for word in ("mkdocs.yml", "README", "extra.organisation"):
        assert word not in text, word


# --------------------------------------------------------------------------- terms and tone


def test_consistent_terms(bank: dict) -> None:
    rules = {
        "kolla": re.compile(r"\bkoll(a|ar|ade|at)\b", re.IGNORECASE),
        "arbetsbörda": re.compile(r"arbetsbörda", re.IGNORECASE),
        # "man" as a pronoun; "mantel" or "manus" do not match.
        "man": re.compile(r"\bman\b", re.IGNORECASE),
        # A plan step is an aktivitet; insats is the employee's performance
        # and only appears as arbetsinsats.
        "insats": re.compile(r"\binsats(en|er|erna)?\b", re.IGNORECASE),
        # One main term for the union: din fackliga organisation.
        "facket": re.compile(r"\b(facket|fackets|fackförening\w*)\b", re.IGNORECASE),
    }
    wrong = [(where, word) for where, text in reader_texts(bank) for word, pattern in rules.items() if pattern.search(text)]
    assert wrong == []


def test_no_patronising_or_repeated_stock_phrases(bank: dict) -> None:
    text = "\n".join(t for _, t in reader_texts(bank))
    for phrase in ("Det är helt normalt", "Var ärlig mot dig själv", "Det viktigaste först"):
        assert phrase.lower() not in text.lower(), phrase
    assert len(re.findall(r"\bTänk på\b", text)) <= 3
    assert len(re.findall(r"\bSkriv ner\b", text, re.IGNORECASE)) <= 4
    # One hour and reading the notes together are each said in one or two places.
    assert len(re.findall(r"\ben timme\b", text, re.IGNORECASE)) <= 1
    assert len(re.findall(r"anteckningarna tillsammans", text, re.IGNORECASE)) <= 2
