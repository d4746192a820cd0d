"""The guide as an attacker tries it (issue 9): nothing from the bank, the config or a file runs
script, reaches out, reads outside the project or is left half-written.

The bank and the organisation block are edited by many hands, so every text in
them is hostile here. One hostile build (no PDFs) is shared by the module and
every page of it is opened in Chromium; one hostile PDF build is shared by the
PDF tests. Everything else is a small unit test or a build that stops early.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml

from conftest import ROOT, build_site, serve
from project import copy_project

NO_PDF = {"SAMTAL_PDF": "off"}


# --------------------------------------------------------------------------- an attacker's server


class EvilServer:
    """A server on 127.0.0.1 that answers every request with a small PNG and remembers it.

    Hostile texts point images and style sheets at it: a build or a page that
    fetches anything shows up in :attr:`requests`.
    """

    def __init__(self) -> None:
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                body = png(2, 2)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def evil() -> Iterator[EvilServer]:
    srv = EvilServer()
    yield srv
    srv.close()


def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 60)) -> bytes:
    """A valid PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")


CLEAN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 48 48" role="img">'
    b'<title>Fack</title><defs><linearGradient id="g"><stop offset="0" stop-color="#123456"/></linearGradient></defs>'
    b'<circle id="c" cx="24" cy="24" r="22" fill="url(#g)"/><use xlink:href="#c" x="2"/></svg>\n'
)


# --------------------------------------------------------------------------- hostile texts


def payload(origin: str) -> str:
    """What an attacker writes into every text of the bank.

    Each alert has its own number, so a dialog says which trick worked. The
    attribute list comes last, where attr_list reads it for a paragraph or a
    heading; the reference link's definition stands on its own line.
    """
    return (
        "Text <script>alert(1)</script> "
        'x"><script>alert(2)</script> '
        "' onmouseover='alert(3)' "
        "**fet**{: onclick=alert(7) } *kursiv*{: onmouseover=alert(17) } "
        "[x](javascript:alert(5)) [y]( JaVaScRiPt:alert(12)) [z](data:text/html,<script>alert(14)</script>) "
        "[v](vbscript:msgbox(15)) [ref][r] "
        f'![]({origin}/evil.png) ![bild]({origin}/evil3.png "t") '
        f"<img src={origin}/evil2.png onerror=alert(8)> "
        "</title><script>alert(6)</script> "
        "</script><script>alert(9)</script> "
        "--><svg onload=alert(10)> ]]> "
        "{{ 1337*1000 }} {% raw %} \u2028 \u2029 "
        ") /S /JavaScript /JS (app.alert\\(18\\)) >> endobj "
        "\n\n[r]: javascript:alert(16)\n\n"
        "Sist {: onclick=alert(4) }"
    )


def short_payload(origin: str, n: int) -> str:
    """A payload for a config text (the organisation's texts are at most 300 characters)."""
    return (
        f"Fack{n} <script>alert({n}1)</script> x\"><script>alert({n}2)</script> ' onmouseover='alert({n}3)' "
        f"[x](javascript:alert({n}5)) <img src={origin}/o{n}.png onerror=alert({n}8)> "
        f"</title><script>alert({n}6)</script> \u2028 {{: onclick=alert({n}4) }}"
    )


# Keys whose string values are texts a reader sees (everything else is an id or a choice).
TEXT_KEYS = {
    "title",
    "summary",
    "cue",
    "text",
    "hint",
    "follow_up",
    "intro",
    "description",
    "label",
    "low",
    "high",
    "yes_label",
    "no_label",
    "centre",
}
# The first characters a spreadsheet reads as the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def hostile_bank(text: str, origin: str) -> str:
    """The project's bank with the payload in every text and formula starters on the questions."""
    data = yaml.safe_load(text)
    attack = payload(origin)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str):
                    node[key] = f"{value} {attack}"
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    if _schema_has("PhaseSpec", "cue"):
        for phase in data["phases"]:
            phase["cue"] = f"Nu {attack}"
    for index, question in enumerate(data["questions"]):
        start = FORMULA_STARTS[index % 4]
        question["text"] = f'{start}HYPERLINK("{origin}/csv?{index}","klicka") ' + question["text"]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


def _schema_has(model: str, field: str) -> bool:
    try:
        from samtal import schema
    except ImportError:
        return False
    return field in getattr(getattr(schema, model, None), "model_fields", {})


def hostile_config(text: str, origin: str, logo: str) -> str:
    """mkdocs.yml with the payload in the site's texts and in every text of the organisation."""

    def q(value: str) -> str:
        return json.dumps(value)  # a JSON string is a YAML double-quoted scalar

    replacements = {
        r"^site_name: .*$": f"site_name: {q(short_payload(origin, 3))}",
        r"^site_description: .*$": f"site_description: {q(short_payload(origin, 4))}",
        r"^copyright: .*$": f"copyright: {q(short_payload(origin, 5))}",
    }
    for pattern, line in replacements.items():
        text, count = re.subn(pattern, line.replace("\\", "\\\\"), text, count=1, flags=re.MULTILINE)
        assert count == 1, pattern
    organisation = "\n".join(
        [
            "  organisation:",
            f"    name: {q(short_payload(origin, 6))}",
            f"    short_name: {q(short_payload(origin, 7))}",
            f"    logo: {logo}",
            '    colour: "#7a1f4d"',
            "    help:",
            f"      - title: {q(short_payload(origin, 8))}",
            f"        text: {q(short_payload(origin, 9))}",
            '        phone: "+46 (0)8-123 45 67"',
            # Quotes, slashes and backticks are allowed in an address: they must stay inside its attribute.
            "        email: \"x'/onmouseover='alert`3`'@example.se\"",
            '        url: "https://example.se/a?b=1&c=%22%3E%3Cscript%3Ealert(31)%3C/script%3E#x"',
            "",
        ]
    )
    text, count = re.subn(r"^  organisation:\n(?:    .*\n)+", lambda _m: organisation, text, count=1, flags=re.MULTILINE)
    assert count == 1, "the organisation block of mkdocs.yml"
    return text


def make_hostile(root: Path, origin: str, *, logo_name: str, logo: bytes) -> None:
    bank = root / "questions.yaml"
    bank.write_text(hostile_bank(bank.read_text(encoding="utf-8"), origin), encoding="utf-8")
    (root / logo_name).write_bytes(logo)
    config = root / "mkdocs.yml"
    config.write_text(hostile_config(config.read_text(encoding="utf-8"), origin, logo_name), encoding="utf-8")
    try:
        from samtal import pages
    except ImportError:
        return
    if "start" in getattr(pages, "HANDLERS", {}):
        index = root / "content" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\n<!-- samtal:start rep=fortroendevalda -->\n", encoding="utf-8")


# --------------------------------------------------------------------------- reading built HTML as a browser would

# Attributes that hold a URL a browser follows or loads.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
    "codebase",
    "manifest",
    "srcset",
    "imagesrcset",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "usemap",
    "icon",
}
# Elements whose URL the browser loads by itself (a link a reader clicks is an <a>).
LOADING = {
    "img",
    "script",
    "iframe",
    "frame",
    "embed",
    "object",
    "source",
    "video",
    "audio",
    "track",
    "input",
    "image",
    "use",
    "feimage",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application/xhtml", "data:image/svg")
JS_TYPES = {"", "text/javascript", "module", "application/javascript", "text/ecmascript", "application/ecmascript"}


def _scheme_text(value: str) -> str:
    """The URL as a browser reads its scheme (WHATWG URL): leading and trailing controls and spaces
    dropped, tabs and line breaks removed anywhere, lower case."""
    return re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()


class HtmlAudit(HTMLParser):
    """Everything in a page that could run script or load something from elsewhere.

    Attribute values arrive unescaped, as a browser sees them; text inside
    elements is not looked at (escaped markup there is only text).
    """

    def __init__(self, site_origin: str) -> None:
        super().__init__(convert_charrefs=True)
        self.site_origin = site_origin.rstrip("/")
        self.problems: list[str] = []
        self._script: tuple[str, dict[str, str]] | None = None
        self._script_body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        where = f"<{tag} {' '.join(f'{k}={v[:60]!r}' for k, v in values.items())}>"
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}: {where}")
            if name in URL_ATTRIBUTES or (name == "content" and values.get("http-equiv", "").lower() == "refresh"):
                target = value.split("url=", 1)[-1] if name == "content" else value
                if _scheme_text(target).startswith(BAD_SCHEMES):
                    self.problems.append(f"script URL in {name}: {where}")
                loads = tag in LOADING or (tag == "link" and values.get("rel", "") not in {"canonical", "alternate"})
                remote = re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", target, re.IGNORECASE) is not None
                if loads and remote and not target.startswith(self.site_origin):
                    self.problems.append(f"loads from another origin: {where}")
        if tag in {"base", "iframe", "frame", "embed", "object", "applet", "foreignobject"}:
            self.problems.append(f"element that should never be in a page: {where}")
        if tag == "script":
            self._script = (where, values)
            self._script_body = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        where, values = self._script
        body = "".join(self._script_body).strip()
        kind = values.get("type", "").lower()
        if "src" in values:
            if body:
                self.problems.append(f"script with both src and a body: {where}")
        elif kind in JS_TYPES:
            self.problems.append(f"inline script: {where} {body[:80]!r}")
        elif "json" in kind:
            try:
                json.loads(body)
            except ValueError:
                self.problems.append(f"a JSON script block that is not JSON (broken out of?): {where} {body[:80]!r}")
        self._script = None


def audit_html(text: str, site_origin: str = "") -> list[str]:
    parser = HtmlAudit(site_origin)
    parser.feed(text)
    parser.close()
    return parser.problems


# --------------------------------------------------------------------------- the hostile site (no PDFs), built once


@dataclass
class Built:
    root: Path
    site: Path
    url: str
    result: subprocess.CompletedProcess[str]

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def ok(self) -> Path:
        assert self.result.returncode == 0, f"the build failed:\n{self.output[-6000:]}"
        return self.site


LOGO_PNG = png(8, 6, (10, 90, 40))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, evil: EvilServer) -> Iterator[Built]:
    """The guide with a payload in every text of the bank and the config, served on 127.0.0.1."""
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    make_hostile(root, evil.origin, logo_name="fack-logo.png", logo=LOGO_PNG)
    server = serve(tmp_path_factory.mktemp("empty"))
    site = root / "site"
    result = build_site(site, root=root, env={**NO_PDF, "SITE_URL": server.url}, check=False)
    server.directory = site
    yield Built(root, site, server.url, result)
    server.close()


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_url(base: str, site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return base + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


def is_redirect(text: str) -> bool:
    return re.search(r'<meta http-equiv="refresh"', text, re.IGNORECASE) is not None


# mkdocs-redirects writes this script into each redirect page (it keeps the #anchor);
# the CSP blocks it and the page's <meta http-equiv="refresh"> redirects instead.
REDIRECT_SCRIPT = re.compile(
    r'^var anchor=window\.location\.hash\.substr\(1\);location\.href="[a-z0-9./-]*"\+\(anchor\?"#"\+anchor:""\)$'
)


def page_problems(text: str, origin: str) -> list[str]:
    problems = audit_html(text, origin)
    if is_redirect(text):
        # The redirect plugin's own script (the CSP blocks it): nothing from the bank or config.
        scripts = re.findall(r"<script>(.*?)</script>", text, re.DOTALL)
        if len(scripts) == 1 and REDIRECT_SCRIPT.match(scripts[0].strip()):
            problems = [p for p in problems if not p.startswith("inline script:")]
    return problems


# A hole found by these tests (see test_worksheet_part_attributes_stay_quoted): the attributes of a
# worksheet's answer parts are written unquoted, so a column label adds attributes of its own.
# The other tests look past exactly these elements until it is fixed, to find everything else.


def test_hostile_build_succeeds_and_publishes_the_logo(hostile: Built) -> None:
    """Hostile but valid texts build; the clean PNG logo is published as it is and shown in the header."""
    site = hostile.ok()
    published = site / "assets" / "images" / "organisation-logo.png"
    assert published.read_bytes() == LOGO_PNG
    assert 'src="assets/images/organisation-logo.png"' in (site / "index.html").read_text(encoding="utf-8")


def test_no_page_has_an_injected_handler_script_or_remote_load(hostile: Built) -> None:
    """Every HTML page, read as a browser would: no on* attribute, javascript: URL, inline script or remote load."""
    site = hostile.ok()
    origin = hostile.url.rstrip("/")
    problems: dict[str, list[str]] = {}
    pages = html_pages(site)
    assert len(pages) > 30
    for path in pages:
        text = path.read_text(encoding="utf-8")
        found = page_problems(text, origin)
        if found:
            problems[str(path.relative_to(site))] = found[:5]
        # Nothing a template engine could have evaluated, and no raw payload.
        assert "1337000" not in text, path
        assert "<script>alert(" not in text, path
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)[:6000]


def test_worksheet_part_attributes_stay_quoted(hostile: Built) -> None:
    site = hostile.ok()
    sheet = site / "arbetsblad" / "bada-synerna" / "index.html"
    text = sheet.read_text(encoding="utf-8")
    assert "data-samtal-part" in text
    assert audit_html(text, hostile.url.rstrip("/")) == []


# --------------------------------------------------------------------------- the hostile site in Chromium

# Records every Content-Security-Policy violation of a document, before any of its scripts run.
CSP_LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const part = Boolean(e.target && e.target.hasAttribute && e.target.hasAttribute("data-samtal-part"));
  window.__violations.push({directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, part});
});
"""

# The live document after its scripts ran: handlers, script URLs and elements that load from elsewhere.
DOM_AUDIT = """
() => {
  const out = [];
  const bad = /^(javascript|vbscript|data:text\\/html)/i;
  for (const el of document.querySelectorAll("*")) {
    const where = el.hasAttribute("data-samtal-part") ? "part " : "";
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020\\u007f]/g, "");
      if (name.startsWith("on")) out.push(`${where}${el.tagName} ${name}=${attr.value.slice(0, 60)}`);
      if (["href", "src", "action", "formaction", "xlink:href", "data", "srcset"].includes(name) && bad.test(value))
        out.push(`${where}${el.tagName} ${name}=${attr.value.slice(0, 60)}`);
    }
    if (el.tagName === "SCRIPT" && !el.src && !/json/i.test(el.type || ""))
      out.push(`inline script ${el.textContent.slice(0, 60)}`);
    if (["IFRAME", "OBJECT", "EMBED", "BASE", "FRAME"].includes(el.tagName)) out.push(el.tagName);
  }
  return out;
}
"""


def open_and_audit(page: Any, url: str, dialogs: list[str], redirect: str = "") -> tuple[list[dict[str, Any]], list[str]]:
    """Open ``url``; the CSP violations its document reported and what the DOM audit found.

    ``redirect``: where a redirect page leads (its <meta http-equiv="refresh">); the audit is of that page.
    """
    before = len(dialogs)
    if redirect:
        target = urljoin(url, redirect)
        with page.expect_navigation(url=target, wait_until="load"):
            page.goto(url, wait_until="commit")
    else:
        page.goto(url, wait_until="load")
    violations = page.evaluate("window.__violations || []")
    found = page.evaluate(DOM_AUDIT)
    assert len(dialogs) == before, f"{url}: {dialogs[before:]}"
    return violations, found


@pytest.fixture
def watched(page: Any) -> tuple[Any, list[str]]:
    """The page fixture with every dialog recorded (and dismissed) and CSP violations kept on window."""
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.add_init_script(CSP_LISTENER)
    return page, dialogs


def without_search(page: Any) -> None:
    """Material builds its search index in a worker on every page; only the search test needs it."""
    page.route("**/search/search_index.json", lambda route: route.abort())


@pytest.mark.browser
def test_every_hostile_page_in_chromium_runs_nothing_injected(
    hostile: Built, watched: tuple[Any, list[str]], evil: EvilServer
) -> None:
    """Every page opened in Chromium: no dialog, no CSP violation, no handler or script URL in the live DOM."""
    site = hostile.ok()
    page, dialogs = watched
    without_search(page)
    problems: dict[str, Any] = {}
    for path in html_pages(site):
        url = page_url(hostile.url, site, path)
        refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)"', path.read_text(encoding="utf-8"))
        violations, found = open_and_audit(page, url, dialogs, refresh.group(1) if refresh else "")
        if violations or found:
            problems[url] = {"csp": violations[:3], "dom": found[:3]}
    assert dialogs == []
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)[:6000]
    assert evil.requests == []


@pytest.mark.browser
def test_search_shows_hostile_text_as_text(hostile: Built, watched: tuple[Any, list[str]], evil: EvilServer) -> None:
    """Material puts search results into the page as HTML: hostile texts found by a search stay text."""
    hostile.ok()
    page, dialogs = watched
    page.goto(hostile.url)
    page.locator("input.md-search__input").click()
    page.keyboard.type("alert", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="attached", timeout=20_000)
    assert results.count() > 0
    page.wait_for_timeout(300)
    assert "alert" in page.locator(".md-search-result").inner_text()
    assert page.evaluate(DOM_AUDIT) == []
    assert page.locator(".md-search-result img, .md-search-result script, .md-search-result svg[onload]").count() == 0
    assert page.evaluate("window.__violations") == []
    assert dialogs == []
    assert evil.requests == []


@pytest.mark.browser
def test_sheet_made_by_a_link_shows_hostile_texts_as_text(
    hostile: Built, watched: tuple[Any, list[str]], evil: EvilServer
) -> None:
    """/arbetsblad/eget/ builds its questions in the browser from fragor.json and the link's title."""
    site = hostile.ok()
    page, dialogs = watched
    data = json.loads((site / "fragor.json").read_text(encoding="utf-8"))
    kinds: dict[str, str] = {}
    for question in data["questions"]:
        kinds.setdefault(question["answer"], question["id"])
    title = '"><img src=x onerror=alert(41)><script>alert(42)</script>'
    from urllib.parse import quote

    page.goto(f"{hostile.url}arbetsblad/eget/?fragor={','.join(kinds.values())}&titel={quote(title)}")
    page.wait_for_load_state("networkidle")
    shown = page.locator("main").inner_text()
    first = data["questions"][[q["id"] for q in data["questions"]].index(next(iter(kinds.values())))]
    assert first["text"][:40] in shown, "the sheet shows the questions of the link"
    assert page.evaluate(DOM_AUDIT) == []
    assert page.evaluate("window.__violations") == []
    assert dialogs == []
    assert evil.requests == []


# --------------------------------------------------------------------------- the Content-Security-Policy

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', re.IGNORECASE)


def parse_policy(text: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for part in text.split(";"):
        words = part.split()
        if words:
            assert words[0] not in policy, f"directive {words[0]} given twice"
            policy[words[0]] = words[1:]
    return policy


def test_every_page_has_one_fixed_policy_without_inline_script(hostile: Built) -> None:
    """``script-src 'self'`` and nothing else: no hash, nonce or unsafe-inline a page's content could earn."""
    from html import unescape

    site = hostile.ok()
    seen: set[str] = set()
    for path in html_pages(site):
        text = path.read_text(encoding="utf-8")
        metas = CSP_META.findall(text)
        assert len(metas) == 1, (path, metas)
        policy = parse_policy(unescape(metas[0]))
        assert policy["script-src"] == ["'self'"], (path, policy["script-src"])
        assert policy.get("script-src-elem") is None and policy.get("script-src-attr") is None, path
        assert policy["default-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"], path
        assert policy["base-uri"] == ["'self'"], path
        assert policy["form-action"] == ["'self'"], path
        for directive, sources in policy.items():
            for source in sources:
                assert source in {"'self'", "'none'", "data:"}, (path, directive, source)
        # The policy comes before anything it governs.
        head = text[: text.index(metas[0])]
        assert "<script" not in head and "<link" not in head and "<style" not in head, path
        seen.add(metas[0])
    assert len(seen) == 1, "every page has the same policy: it is never computed from content"


@pytest.mark.browser
def test_the_policy_blocks_a_script_added_to_a_built_page(hostile: Built, watched: tuple[Any, list[str]], tmp_path: Path) -> None:
    """A built page given an inline script, an inline handler and a javascript: link by the test:
    the CSP reports each and none runs. Without its policy the same page runs them (the check can fail)."""
    site = hostile.ok()
    page, dialogs = watched
    built = (site / "arbetsblad" / "forberedelse" / "index.html").read_text(encoding="utf-8")
    injected = (
        '<script>window.__ran = "inline"; alert("inline")</script>'
        '<img src="saknas.png" onerror="window.__ran = &#39;handler&#39;; alert(&#39;handler&#39;)">'
        '<a id="samtal-probe" href="javascript:window.__ran = &#39;link&#39;; alert(&#39;link&#39;)">x</a>'
    )
    probe = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + injected, built, count=1)
    assert injected in probe
    (tmp_path / "probe.html").write_text(probe, encoding="utf-8")
    (tmp_path / "control.html").write_text(CSP_META.sub("", probe), encoding="utf-8")
    server = serve(tmp_path)
    try:
        page.goto(server.url + "probe.html", wait_until="load")
        page.locator("#samtal-probe").click()
        page.wait_for_timeout(300)
        violations = page.evaluate("window.__violations")
        assert page.evaluate("window.__ran === undefined")
        assert dialogs == []
        directives = {v["directive"] for v in violations if v["blocked"] == "inline"}
        assert {"script-src-elem", "script-src-attr"} <= directives, violations
        assert len([v for v in violations if v["blocked"] == "inline"]) >= 3, violations

        # The same page without the policy: the script runs, so the listener above would have seen it.
        page.goto(server.url + "control.html", wait_until="load")
        assert page.evaluate("window.__ran") in {"inline", "handler"}
        assert any("inline" in d for d in dialogs)
    finally:
        server.close()


# --------------------------------------------------------------------------- exports and data files


def test_search_index_holds_only_text_and_formatting(hostile: Built) -> None:
    """Material shows search results as HTML: the index may hold formatting, never an element that runs or loads."""
    site = hostile.ok()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    formatting = {
        "p",
        "code",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "pre",
        "b",
        "i",
        "span",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "br",
        "kbd",
        "sup",
        "sub",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "hr",
        "mark",
        "del",
        "ins",
    }
    hostile_docs = 0
    for doc in index["docs"]:
        for key in ("title", "text"):
            value = doc.get(key) or ""
            tags = {t.lower() for t in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9:-]*)", value)}
            assert tags <= formatting, (doc["location"], key, tags - formatting)
            assert audit_html(value) == [], (doc["location"], key)
            hostile_docs += "alert(" in value
    assert hostile_docs > 97, "the hostile texts are in the index (as text)"


def test_open_data_keeps_hostile_text_as_plain_data(hostile: Built) -> None:
    site = hostile.ok()
    data = json.loads((site / "fragor.json").read_text(encoding="utf-8"))
    for question in data["questions"]:
        # Plain text: the markup removed, what was escaped shown as it was typed, no script URL kept.
        assert "<script>alert(1)</script>" in question["text"]
        assert "javascript:" not in question["text"].replace("[r]: javascript:", "")
        assert "<em>" not in question["text"] and "<a " not in question["text"]
    for path in list(site.rglob("*.js")) + list(site.rglob("*.json")) + [site / "sitemap.xml"]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".js":
            # Generated scripts hold nothing from the bank or config, and no raw line separators.
            assert "alert(" not in text and "\u2028" not in text and "\u2029" not in text, path
        if path.name == "sitemap.xml":
            assert "alert(" not in text and "<script" not in text, path
    # The offline worker's list of files: only the site's own paths.
    worker = (site / "sw.js").read_text(encoding="utf-8")
    listed = re.search(r"const FILES = (\[.*?\]);", worker, re.DOTALL)
    assert listed, "sw.js lists its files as const FILES = [...]"
    files = json.loads(listed.group(1))
    assert len(files) > 40
    for url in files:
        assert re.fullmatch(r"[A-Za-z0-9._/~%-]*", url), url


@pytest.mark.browser
def test_open_data_opened_in_the_browser_runs_nothing(hostile: Built, watched: tuple[Any, list[str]]) -> None:
    hostile.ok()
    page, dialogs = watched
    page.goto(hostile.url + "fragor.json", wait_until="load")
    assert "alert(1)" in page.locator("body").inner_text()
    assert page.evaluate(DOM_AUDIT) == []
    assert dialogs == []


def test_csv_cells_never_start_a_formula(hostile: Built) -> None:
    """OWASP: a cell beginning with = + - @ tab or CR gets a ' in front; its text is otherwise kept."""
    site = hostile.ok()
    text = (site / "fragor.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    data = {q["id"]: q for q in json.loads((site / "fragor.json").read_text(encoding="utf-8"))["questions"]}
    header = rows[0]
    guarded = 0
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), row[:5]
        record = dict(zip(header, row, strict=True))
        text_cell = record["text"]
        if text_cell.startswith("'"):
            guarded += 1
            text_cell = text_cell[1:]
        assert text_cell == data[record["id"]]["text"]
    assert guarded == len(rows) - 1, "every question's text started with a formula character"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "\uff1d1+1", '=HYPERLINK("http://x")'])
def test_csv_cell_neutralises_every_formula_start(value: str) -> None:
    from samtal.exports import csv_cell

    assert csv_cell(value).startswith("'")
    assert csv_cell(value)[1:] == value
    assert csv_cell("Vad " + value) == "Vad " + value


# --------------------------------------------------------------------------- the organisation block and its logo


def org_block(lines: list[str]) -> str:
    return "\n".join(["  organisation:", *[f"    {line}" for line in lines], ""])


def with_organisation(config: str, block: str) -> str:
    text, count = re.subn(r"^  organisation:\n(?:    .*\n)+", lambda _m: block, config, count=1, flags=re.MULTILINE)
    assert count == 1
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of ``text`` that contains ``needle``."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def test_invalid_contacts_and_logo_stop_the_build_in_swedish_with_lines(tmp_path: Path) -> None:
    """Contacts must be a phone number, an e-mail address and an https address; each error names mkdocs.yml:line."""
    root = copy_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    block = org_block(
        [
            "name: Fack",
            "namn: Stavfel",
            f"logo: {os.path.relpath('/etc/passwd', root)}",
            "help:",
            "  - title: Skript",
            '    url: "javascript:alert(1)"',
            "  - title: Telefon",
            '    phone: "070-123 45 67<script>"',
            "  - title: Post",
            "    email: 'x@example.se\"><script>alert(1)</script>'",
            "  - title: Okrypterad",
            '    url: "http://example.se/"',
            "  - title: Utbrytning",
            "    url: 'https://example.se/\" onclick=\"alert(1)'",
            "  - title: Länk i telefonen",
            '    phone: "[x](javascript:alert(1))"',
        ]
    )
    text = with_organisation(config.read_text(encoding="utf-8"), block)
    config.write_text(text, encoding="utf-8")
    site = root / "site"
    result = build_site(site, root=root, env=NO_PDF, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output and "validation error" not in output.lower(), output[-3000:]
    expected = {
        "namn: Stavfel": ("extra.organisation.namn", "okänd inställning"),
        "etc/passwd": ("extra.organisation.logo", "utanför projektet"),
        'javascript:alert(1)"': ("extra.organisation.help.0.url", "ingen webbadress som börjar med https://"),
        "070-123 45 67<script>": ("extra.organisation.help.1.phone", "inget telefonnummer"),
        "x@example.se": ("extra.organisation.help.2.email", "ingen e-postadress"),
        "http://example.se/": ("extra.organisation.help.3.url", "ingen webbadress som börjar med https://"),
        "onclick=": ("extra.organisation.help.4.url", "ingen webbadress som börjar med https://"),
        "[x](javascript": ("extra.organisation.help.5.phone", "inget telefonnummer"),
    }
    for needle, (key, words) in expected.items():
        line = line_of(text, needle)
        assert re.search(rf"mkdocs\.yml:{line}: {re.escape(key)}: [^\n]*{re.escape(words)}", output), (needle, output[-3000:])
    assert not site.exists()


@dataclass
class LogoCase:
    name: str
    value: str  # what logo: says
    expect: str  # words of the Swedish message


def _logo_project(tmp_path: Path, value: str) -> tuple[Path, Path]:
    project = tmp_path / "project"
    project.mkdir()
    config = project / "mkdocs.yml"
    config.write_text(f"site_name: x\nextra:\n  organisation:\n    name: Fack\n    logo: {json.dumps(value)}\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hemlig.png").write_bytes(png(3, 3))
    return project, config


SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
HOSTILE_LOGOS: dict[str, tuple[bytes | None, str]] = {
    # name: (content written to the project as that name, or None for a path that is no file of ours; words of the message)
    "../../etc/passwd": (None, "utanför projektet"),  # written with as many ../ as it takes to reach /etc/passwd
    "../outside/hemlig.png": (None, "utanför projektet"),
    "/etc/passwd": (None, "utanför projektet"),
    "OUTSIDE_ABSOLUTE": (None, "utanför projektet"),
    "lank.png": (None, "utanför projektet"),  # a symlink to a file outside the project
    "stor.png": (png(4, 4) + b"\0" * 2_000_000, "för stor"),
    "text.png": (b"Det har ar ingen bild, bara text.\n", "ingen bild"),
    "html.png": (b"<html><script>alert(1)</script></html>", "ingen bild"),
    "skript.svg": (SVG_HEAD + b"<script>alert(1)</script></svg>", "<script> är inte tillåtet"),
    "onload.svg": (SVG_HEAD.replace(b"<svg ", b'<svg onload="alert(1)" ') + b"</svg>", "onload"),
    "onclick.svg": (SVG_HEAD + b'<circle r="1" onclick="alert(1)"/></svg>', "onclick"),
    "foreign.svg": (SVG_HEAD + b"<foreignObject><p>x</p></foreignObject></svg>", "foreignobject"),
    "href.svg": (SVG_HEAD + b'<use href="http://127.0.0.1:9/x.svg#a"/></svg>', "utanför filen"),
    "xlink.svg": (SVG_HEAD + b'<use xlink:href="file:///etc/passwd#a"/></svg>', "utanför filen"),
    "javascript.svg": (SVG_HEAD + b'<use href="javascript:alert(1)"/></svg>', "utanför filen"),
    "bild.svg": (SVG_HEAD + b'<image href="data:image/png;base64,AAAA"/></svg>', "<image> är inte tillåtet"),
    "stil.svg": (SVG_HEAD + b'<rect width="1" height="1" style="fill:url(http://127.0.0.1:9/x)"/></svg>', "utanför filen"),
    "style.svg": (SVG_HEAD + b"<style>@import url(http://127.0.0.1:9/x.css);</style></svg>", "<style> är inte tillåtet"),
    "animera.svg": (SVG_HEAD + b'<a><animate attributeName="href" to="javascript:alert(1)"/></a></svg>', "inte tillåtet"),
    # What a browser fetches when the published logo is opened on its own (checked in Chromium when written).
    "pi-css.svg": (
        b'<?xml version="1.0"?><?xml-stylesheet type="text/css" href="http://127.0.0.1:9/x.css"?>' + SVG_HEAD + b"</svg>",
        "utanför filen",
    ),
    "pi-xsl.svg": (b'<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:9/x.xsl"?>' + SVG_HEAD + b"</svg>", "utanför filen"),
    "image-set.svg": (
        SVG_HEAD.replace(b"<svg ", b"<svg style=\"background-image:image-set('http://127.0.0.1:9/x.png' 1x)\" ") + b"</svg>",
        "utanför filen",
    ),
    "cursor.svg": (
        SVG_HEAD + b'<circle r="1" style="cursor:-webkit-image-set(\'http://127.0.0.1:9/c.png\' 1x),auto"/></svg>',
        "utanför filen",
    ),
    "escape.svg": (SVG_HEAD + b'<circle r="1" style="fill:u\\72l(http://127.0.0.1:9/x.svg#a)"/></svg>', "utanför filen"),
    "escape-mask.svg": (SVG_HEAD + b'<circle r="1" mask="u\\72l(http://127.0.0.1:9/m.svg#m)"/></svg>', "utanför filen"),
    "mixed.svg": (
        SVG_HEAD + b'<rect width="1" height="1" style="fill:url(#g);cursor:url(http://127.0.0.1:9/c.png),auto"/></svg>',
        "utanför filen",
    ),
    "entity.svg": (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>' + SVG_HEAD + b"<text>&x;</text></svg>", "ENTITY"),
    "laughs.svg": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + SVG_HEAD
        + b"<text>&b;</text></svg>",
        "ENTITY",
    ),
}


@pytest.mark.parametrize("value", list(HOSTILE_LOGOS))
def test_a_hostile_logo_is_refused_in_swedish(tmp_path: Path, value: str) -> None:
    from samtal.org import OrganisationError, load_organisation

    content, words = HOSTILE_LOGOS[value]
    project, config = _logo_project(tmp_path, value)
    real = {
        "OUTSIDE_ABSOLUTE": str(tmp_path / "outside" / "hemlig.png"),
        "../../etc/passwd": os.path.relpath("/etc/passwd", project),
    }
    if value in real:
        config.write_text(
            config.read_text(encoding="utf-8").replace(json.dumps(value), json.dumps(real[value])), encoding="utf-8"
        )
        value = real[value]
    if value == "lank.png":
        (project / "lank.png").symlink_to(tmp_path / "outside" / "hemlig.png")
    elif content is not None:
        (project / value).write_bytes(content)
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))["extra"]["organisation"]
    with pytest.raises(OrganisationError) as caught:
        load_organisation(raw, config_file=config, root=project)
    message = str(caught.value)
    assert f"{config}:5: extra.organisation.logo:" in message, message
    assert words.lower() in message.lower(), message


def test_a_huge_logo_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1 GB file (sparse: it costs no disk) is refused by its size; nothing reads it into memory."""
    from samtal.org import OrganisationError, load_organisation

    project, config = _logo_project(tmp_path, "enorm.png")
    huge = project / "enorm.png"
    with huge.open("wb") as out:
        out.write(png(2, 2))
        out.truncate(1_000_000_000)
    real_read = Path.read_bytes
    real_open = Path.open

    def read_bytes(self: Path) -> bytes:
        assert self.resolve() != huge.resolve(), "the huge logo was read"
        return real_read(self)

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        assert self.resolve() != huge.resolve(), "the huge logo was opened"
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "open", open_)
    with pytest.raises(OrganisationError, match="för stor"):
        load_organisation({"logo": "enorm.png"}, config_file=config, root=project)


@pytest.mark.browser
def test_an_svg_the_checks_let_through_fetches_nothing_when_opened(tmp_path: Path, page: Any, evil: EvilServer) -> None:
    """The published logo can be opened on its own (no CSP applies to an SVG file): whatever SVG trick
    the checks let through must make Chromium fetch nothing from another host."""
    from samtal.org import svg_problem

    candidates = {name: content for name, (content, _) in HOSTILE_LOGOS.items() if name.endswith(".svg") and content}
    candidates["clean.svg"] = CLEAN_SVG
    server = serve(tmp_path)
    opened = []
    try:
        for name, original in candidates.items():
            content = original.replace(b"http://127.0.0.1:9", evil.origin.encode())
            if svg_problem(content):
                continue
            (tmp_path / name).write_bytes(content)
            page.goto(server.url + name, wait_until="load")
            page.mouse.move(3, 3)
            page.wait_for_timeout(200)
            opened.append(name)
    finally:
        server.close()
    assert "clean.svg" in opened
    assert evil.requests == [], (opened, evil.requests)


@pytest.mark.parametrize(
    "name, content, suffix", [("fack.svg", CLEAN_SVG, ".svg"), ("fack.png", LOGO_PNG, ".png"), ("fel-namn.svg", LOGO_PNG, ".png")]
)
def test_a_clean_logo_is_accepted_as_what_it_is(tmp_path: Path, name: str, content: bytes, suffix: str) -> None:
    """A drawing-only SVG and a PNG are accepted; the kind comes from the content, not the name."""
    from samtal.org import load_organisation

    project, config = _logo_project(tmp_path, name)
    (project / name).write_bytes(content)
    org = load_organisation({"name": "Fack", "logo": name}, config_file=config, root=project)
    assert org.logo is not None and org.logo.suffix == suffix and org.logo.data == content


# --------------------------------------------------------------------------- YAML anchors and aliases

# Runs a bank through samtal.bank.parse_bank in a child process with a memory cap and a time limit,
# so a loader that expands aliases fails this test instead of taking the machine down.
_PARSE_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
sys.path.insert(0, sys.argv[1])
import pydantic  # imported before the clock starts: only the parse is timed
from samtal.bank import BankError, parse_bank
bank, translation = Path(sys.argv[2]), sys.argv[3]
kwargs = {"translation": (Path(translation).read_text(encoding="utf-8"), Path(translation))} if translation else {}
start = time.perf_counter()
try:
    parse_bank(bank.read_text(encoding="utf-8"), bank, **kwargs)
    outcome = "accepted"
except BankError as exc:
    outcome = str(exc)
except BaseException as exc:
    outcome = f"{type(exc).__name__}: {str(exc)[:300]}"
print(json.dumps({"seconds": time.perf_counter() - start, "message": outcome}))
"""


def parse_in_child(bank: Path, translation: Path | None = None) -> tuple[float, str]:
    result = subprocess.run(
        [sys.executable, "-c", _PARSE_CHILD, str(ROOT / "hooks"), str(bank), str(translation or "")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    return outcome["seconds"], outcome["message"]


def billion_laughs(size: int = 34_000) -> tuple[str, int]:
    """Nested anchors and aliases of about ``size`` bytes; the line of the first anchor."""
    lines = ["laughs:", '  - &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    level = 1
    while sum(len(line) + 1 for line in lines) < size:
        lines.append(f"  - &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
        level += 1
    return "\n".join(lines) + "\n", 2


def test_a_billion_laughs_bank_is_refused_fast_in_swedish(tmp_path: Path) -> None:
    """A 34 KB bank of nested aliases (10^hundreds of values once expanded) is refused, not expanded."""
    laughs, first = billion_laughs()
    bank = tmp_path / "questions.yaml"
    original = (ROOT / "questions.yaml").read_text(encoding="utf-8")
    bank.write_text(laughs + original, encoding="utf-8")
    assert 34_000 <= len(laughs.encode()) < 36_000
    seconds, message = parse_in_child(bank)
    assert f"{bank}:{first}:5:" in message, message
    assert "ankare" in message and "alias" in message, message
    assert seconds < 0.5, seconds


def test_a_recursive_alias_names_the_field(tmp_path: Path) -> None:
    """``hint: &r [*r]`` is a value that contains itself: refused at that field with line and column."""
    original = (ROOT / "questions.yaml").read_text(encoding="utf-8")
    first_hint = re.search(r"^    hint: .*$", original, re.MULTILINE)
    assert first_hint
    bank = tmp_path / "questions.yaml"
    bank.write_text(original[: first_hint.start()] + "    hint: &r [*r]" + original[first_hint.end() :], encoding="utf-8")
    line = original[: first_hint.start()].count("\n") + 1
    seconds, message = parse_in_child(bank)
    assert f"{bank}:{line}:11:" in message, message
    assert "ankare" in message and "RecursionError" not in message, message
    assert seconds < 0.5, seconds


def test_aliases_in_a_translation_are_refused_with_its_file_and_line(tmp_path: Path) -> None:
    bank = tmp_path / "questions.yaml"
    shutil.copy2(ROOT / "questions.yaml", bank)
    question = yaml.safe_load(bank.read_text(encoding="utf-8"))["questions"][0]["id"]
    laughs, _ = billion_laughs(4_000)
    translation = tmp_path / "en.yaml"
    translation.write_text(
        f"language: en\nquestions:\n  {question}: &t {{text: Hello}}\n" + laughs.replace("laughs:", "extra:"), encoding="utf-8"
    )
    seconds, message = parse_in_child(bank, translation)
    assert f"{translation}:3:" in message, message
    assert "ankare" in message, message
    assert seconds < 0.5, seconds


# --------------------------------------------------------------------------- clear errors, nothing half-written

# Markers that are wrong, each with words of the message it must give (finding 9).
BAD_MARKERS = {
    "<!-- samtal:questions PHASE=forberedelse -->": "'PHASE=forberedelse' i markören samtal:questions går inte att läsa",
    "<!-- samtal:questions topic=lon> -->": "'topic=lon>' i markören samtal:questions går inte att läsa",
    "<!-- samtal:questions phase=forberedelse topic=lon>": "ser ut som en markör",
    "<!-- samtal:questions phase=forberedelse farg=rod -->": "känner inte till farg=",
    "<!-- samtal: questions -->": "ser ut som en markör",
    "<!-- samtal:Questions -->": "ser ut som en markör",
    "<!-- samtal:fragor -->": "okänd markör 'samtal:fragor'",
    "<!-- samtal:checklist id=finns-inte -->": "'finns-inte' finns inte i frågebanken",
    "<!-- samtal:questions phase=forberedelse phase=efterarbete -->": "phase= står två gånger",
    "Text före <!-- samtal:cycle --> och efter": "ser ut som en markör",
}


def test_broken_pages_and_a_phase_without_its_page_stop_the_build(tmp_path: Path) -> None:
    """A page in Latin-1, every malformed marker and a phase whose page is missing: page (or file) and line, in Swedish."""
    root = copy_project(tmp_path / "project")
    content = root / "content"
    (content / "latin1.md").write_bytes("# Lön\n\nEn sida sparad i Latin-1: lön och förmåner.\n".encode("latin-1"))
    markers = "# Markörer\n\n" + "\n\n".join(BAD_MARKERS) + "\n"
    (content / "markorer.md").write_text(markers, encoding="utf-8")
    bank = root / "questions.yaml"
    text = bank.read_text(encoding="utf-8")
    phase_page = "    page: handlingsplan.md\n"
    assert text.count(phase_page) == 1
    bank.write_text(text.replace(phase_page, "    page: saknas.md\n"), encoding="utf-8")
    site = root / "site"
    result = build_site(site, root=root, env=NO_PDF, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output and "UnicodeDecodeError" not in output, output[-3000:]
    assert re.search(r"latin1\.md:1: sidan är inte sparad som UTF-8", output), output[-3000:]
    for marker, words in BAD_MARKERS.items():
        line = line_of(markers, marker)
        assert re.search(rf"markorer\.md:{line}: [^\n]*{re.escape(words)}", output), (marker, output[-4000:])
    assert "fasen 'handlingsplan' har sidan 'saknas.md', men den finns inte" in output, output[-3000:]
    assert not site.exists()


def test_a_question_twice_in_a_worksheet_or_set_stops_the_build(tmp_path: Path) -> None:
    """Two fields with one name lose an answer: the bank loader refuses it with file:line."""
    root = copy_project(tmp_path / "project")
    bank = root / "questions.yaml"
    text = bank.read_text(encoding="utf-8")
    in_sheet = "      - battre-samarbete\n\nsets:\n"
    in_set = "      - resurser-racker\n\n  - id: infor-lonesamtalet\n"
    assert text.count(in_sheet) == 1 and text.count(in_set) == 1
    text = text.replace(in_sheet, "      - battre-samarbete\n      - klarat-av\n\nsets:\n")
    text = text.replace(in_set, "      - resurser-racker\n      - trivsel\n\n  - id: infor-lonesamtalet\n")
    bank.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    sheet_line = next(n for n, line in enumerate(lines, 1) if line == "      - klarat-av" and lines[n] == "")
    set_line = next(n for n, line in enumerate(lines, 1) if line == "      - trivsel" and lines[n] == "")
    site = root / "site"
    result = build_site(site, root=root, env=NO_PDF, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(rf"questions\.yaml:{sheet_line}:\d+: [^\n]*'klarat-av' står två gånger", output), output[-3000:]
    assert re.search(rf"questions\.yaml:{set_line}:\d+: [^\n]*'trivsel' står två gånger", output), output[-3000:]
    assert not site.exists()


# --------------------------------------------------------------------------- PDFs fetch nothing and embed nothing

SECRET_PNG = png(13, 11, (1, 2, 3))  # a real image, so a renderer that fetched it would embed it


def pdf_findings(data: bytes) -> dict[str, Any]:
    """Images, attached files, script actions and link targets anywhere in a PDF's object tree."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: dict[str, Any] = {"images": [], "files": 0, "actions": [], "uris": []}
    seen: set[int] = set()

    def walk(obj: Any) -> None:
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if obj.get("/Subtype") == "/Image":
                found["images"].append((int(obj.get("/Width", 0)), int(obj.get("/Height", 0))))
            if "/EmbeddedFiles" in obj or obj.get("/Type") == "/EmbeddedFile" or obj.get("/Subtype") == "/FileAttachment":
                found["files"] += 1
            if "/JS" in obj or obj.get("/S") in {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToR", "/GoToE"}:
                found["actions"].append(str(obj.get("/S")))
            if "/URI" in obj:
                found["uris"].append(str(obj["/URI"]))
            for value in obj.values():
                walk(value)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value)

    walk(PdfReader(io.BytesIO(data)).trailer)
    return found


def image_payloads(root: Path, outside: Path, origin: str) -> str:
    inside = root / "bilder" / "hemlig.png"
    inside.parent.mkdir(exist_ok=True)
    inside.write_bytes(SECRET_PNG)
    (outside / "hemlig.png").write_bytes(SECRET_PNG)
    return " ".join(
        [
            f"![]({origin}/x.png)",
            f'<img src="{origin}/y.png">',
            "![](file:///etc/hostname)",
            f"![]({inside.as_uri()})",
            f'<img src="{inside.as_uri()}">',
            f"![]({(outside / 'hemlig.png').as_uri()})",
            "[bilaga](file:///etc/hostname)",
            '<a rel="attachment" href="file:///etc/hostname">bilaga</a>',
        ]
    )


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory: pytest.TempPathFactory, evil: EvilServer) -> Built:
    """The guide built with PDFs: a payload in the organisation's and the site's texts and in the texts of a
    few questions, a worksheet, a checklist and a set; images from the attacker's server and local files in
    the questions. (Not every text: a booklet of 97 questions that long takes minutes to lay out.)"""
    root = copy_project(tmp_path_factory.mktemp("hostile-pdf"))
    outside = tmp_path_factory.mktemp("outside")
    config = root / "mkdocs.yml"
    (root / "fack-logo.svg").write_bytes(CLEAN_SVG)
    # U+2028 is left out here: see test_a_line_separator_in_a_text_prints_no_missing_glyph.
    hostile = hostile_config(config.read_text(encoding="utf-8"), evil.origin, "fack-logo.svg").replace("\\u2028", "")
    assert "u2028" not in hostile
    config.write_text(hostile, encoding="utf-8")
    bank = root / "questions.yaml"
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    attack = payload(evil.origin).replace("\u2028", "").replace("\u2029", "")
    images = image_payloads(root, outside, evil.origin)
    for question in data["questions"][:3]:
        question["text"] += f" {attack} {images}"
        question["hint"] = f"{images} {attack}"
    for section, keys in (
        ("worksheets", ("title", "intro")),
        ("checklists", ("title", "intro")),
        ("sets", ("title", "description")),
    ):
        for key in keys:
            data[section][0][key] = f"{data[section][0].get(key, '')} {attack}"
    data["checklists"][0]["items"][0]["text"] += f" {attack} {images}"
    bank.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000), encoding="utf-8")
    site = root / "site"
    result = build_site(site, root=root, env={"SITE_URL": "https://exempel.se/guide/"}, check=False)
    return Built(root, site, "https://exempel.se/guide/", result)


def test_hostile_pdf_build_fetches_nothing_and_embeds_nothing(hostile_pdf: Built, evil: EvilServer) -> None:
    """0 requests to the attacker's server; the PDFs hold no image, attachment, script action or script link.
    (The build may instead stop, naming the bank and the question that asked for the image.)"""
    assert evil.requests == []
    output = hostile_pdf.output
    if hostile_pdf.result.returncode != 0:
        assert "questions.yaml" in output and "fråga '" in output and "Traceback" not in output, output[-3000:]
        assert not list(hostile_pdf.site.rglob("*.pdf"))
        return
    site = hostile_pdf.site
    pdfs = sorted((site / "pdf").glob("*.pdf"))
    assert len(pdfs) > 20
    for path in pdfs:
        found = pdf_findings(path.read_bytes())
        # The only images are the build's own QR codes (one a sheet; the booklet has several):
        # one pixel per module, a square of 21 + 4k modules and a border of 2. tests/test_pdf.py
        # decodes them.
        qr_codes = [size for size in found["images"] if size[0] == size[1] and (size[0] - 4 - 21) % 4 == 0]
        assert found["images"] == qr_codes, (path.name, found)
        assert found["files"] == 0 and found["actions"] == [], (path.name, found)
        for uri in found["uris"]:
            assert re.match(r"^(https://|mailto:|tel:)", uri), (path.name, uri)
    # The clean SVG logo is published as it is.
    assert (site / "assets" / "images" / "organisation-logo.svg").read_bytes() == CLEAN_SVG


def test_pdf_titles_keep_hostile_text_inside_their_strings(hostile_pdf: Built) -> None:
    """A title with ) /JS ( … >> in it is the PDF's title, whole, not PDF syntax."""
    from pypdf import PdfReader

    site = hostile_pdf.ok()
    data = json.loads((site / "fragor.json").read_text(encoding="utf-8"))
    for item in (data["worksheets"][0], data["checklists"][0], data["sets"][0]):
        reader = PdfReader(site / "pdf" / f"{item['id']}.pdf")
        title = reader.metadata.title if reader.metadata else None
        assert title is not None and "/JS (app.alert" in title, title
        assert " ".join(title.split()) == " ".join(item["title"].split())


def test_the_pdf_renderer_refuses_every_fetch(tmp_path: Path, evil: EvilServer) -> None:
    """samtal.pdf_render.Renderer given a document that asks for images, style sheets, fonts and
    attachments from the web and from files: nothing is fetched, every address is reported, nothing embedded.
    A data: image (which it may use) is embedded, so the image count below can see one."""
    from samtal import pdf, pdf_render

    secret = tmp_path / "hemlig.png"
    secret.write_bytes(SECRET_PNG)
    o = evil.origin
    allowed = "data:image/png;base64," + __import__("base64").b64encode(png(5, 7)).decode()
    nested = (
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
        f"width='10' height='10'%3E%3Cimage xlink:href='{o}/nested.png' width='10' height='10'/%3E%3C/svg%3E"
    )
    html = f"""<!doctype html><html lang="sv"><head><title>Prov</title>
<link rel="stylesheet" href="{o}/s.css"><link rel="attachment" href="{o}/bilaga.bin">
<link rel="attachment" href="file:///etc/hostname">
<style>@import url("{o}/i.css"); body {{ background: url("{o}/b.png") }}
@font-face {{ font-family: Ond; src: url("{o}/f.woff") }} p {{ font-family: Ond }}</style></head><body>
<p>Prov</p><img src="{allowed}">
<img src="{o}/a.png"><img src="//127.0.0.1:{evil.port}/protokoll.png"><img src="file:///etc/hostname">
<img src="{secret.as_uri()}"><img src="file://{pdf.FONTS}/../print.css"><img src="file://{pdf.FONTS}/../../../../../../..{secret}">
<img src="../../../../..{secret}"><a rel="attachment" href="file:///etc/hostname">bilaga</a>
<object data="{o}/o.png"></object><embed src="{o}/e.png">
<svg width="10" height="10"><image href="{o}/svg.png" width="10" height="10"/></svg>
<img src="{nested}"><p style="background: url('{o}/stil.png')">x</p>
</body></html>"""
    renderer = pdf_render.Renderer(pdf.STYLESHEET, pdf.FONTS)
    result = renderer.render(pdf_render.Job("prov", html))
    assert evil.requests == []
    expected = [
        f"{o}/{name}" for name in ("s.css", "i.css", "b.png", "a.png", "o.png", "e.png", "svg.png", "nested.png", "stil.png")
    ]
    expected += ["file:///etc/hostname", secret.as_uri()]
    missing = [url for url in expected if url not in result.blocked]
    assert not missing, (missing, result.blocked)
    assert not any(url.startswith("data:") for url in result.blocked)
    found = pdf_findings(result.pdf)
    assert found["images"] == [(5, 7)], found
    assert found["files"] == 0 and found["actions"] == [], found


# --------------------------------------------------------------------------- --strict, warm or cold; interrupted renders

PDF_WARNING = re.compile(r"^WARNING\s+-\s+samtal: (PDF [a-z0-9-]+: .*)$", re.MULTILINE)


def test_strict_fails_alike_with_a_cold_and_a_warm_pdf_cache(tmp_path: Path) -> None:
    """Something WeasyPrint warns about (an unknown CSS property in a PDF template) fails --strict when the
    PDFs are rendered and again when they come from the cache: the warnings are kept with each PDF."""
    root = copy_project(tmp_path / "project")
    template = root / "overrides" / "samtal" / "pdf" / "checklist.html"
    text = template.read_text(encoding="utf-8")
    assert "{% block body %}\n" in text
    template.write_text(text.replace("{% block body %}\n", '{% block body %}\n<p style="colr: red">x</p>\n', 1), encoding="utf-8")
    cold = build_site(tmp_path / "cold", root=root, check=False)
    warm = build_site(tmp_path / "warm", root=root, check=False)
    cold_warnings = sorted(PDF_WARNING.findall(cold.stdout + cold.stderr))
    warm_warnings = sorted(PDF_WARNING.findall(warm.stdout + warm.stderr))
    assert cold.returncode != 0 and warm.returncode != 0, (cold.stderr[-2000:], warm.stderr[-2000:])
    assert cold_warnings and all("colr" in w for w in cold_warnings), cold_warnings
    assert {w.split(":")[0] for w in cold_warnings} >= {"PDF checklista-forberedelse"}
    assert warm_warnings == cold_warnings
    assert re.search(r"PDF: [1-9]\d* skapade", cold.stderr), cold.stderr[-2000:]
    assert re.search(r"PDF: 0 skapade", warm.stderr), warm.stderr[-2000:]


def worker_processes(pid: int) -> list[int]:
    """The children of ``pid`` that are forks of it (the PDF workers; not `git log`)."""
    found = []
    try:
        kids = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    for kid in kids:
        try:
            if b"mkdocs" in Path(f"/proc/{kid}/cmdline").read_bytes():
                found.append(kid)
        except OSError:
            pass  # it has just ended
    return found


def site_state(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def half_written(folder: Path) -> list[str]:
    """Temporary files, empty files and PDFs that do not end like a PDF."""
    problems = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.name.endswith(".tmp") or path.name.startswith("."):
            problems.append(f"temporary file {path}")
        elif path.stat().st_size == 0:
            problems.append(f"empty file {path}")
        elif path.suffix == ".pdf":
            data = path.read_bytes()
            if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
                problems.append(f"partial PDF {path}")
    return problems


# A build whose WeasyPrint raises in every worker, as a crash in the renderer would.
CRASHING_BUILD = r"""
import runpy, sys
import weasyprint

def crash(self, *args, **kwargs):
    raise RuntimeError("simulerad krasch i WeasyPrint")

weasyprint.HTML.render = crash
sys.argv = ["mkdocs", "build", "--strict", "-d", sys.argv[1]]
runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
"""


@dataclass
class Interrupted:
    root: Path
    before: dict[str, bytes]  # the site after a complete build
    ctrl_c: dict[str, Any]
    crash: dict[str, Any]


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory: pytest.TempPathFactory) -> Interrupted:
    """One guide built completely, then rebuilt twice into the same site/: stopped with Ctrl-C while its
    PDFs render, and with a renderer that crashes. Each with its own TMPDIR."""
    base = tmp_path_factory.mktemp("interrupted")
    root = copy_project(base / "project")
    site = root / "site"
    build_site(site, root=root, env={"TMPDIR": str(base)})
    before = site_state(site)
    assert any(name.endswith(".pdf") for name in before)
    css = root / "overrides" / "samtal" / "pdf" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* ändrad: varje PDF görs om */\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    # Ctrl-C (SIGINT to the whole process group, as a terminal sends it) once the PDF workers run.
    tmp = base / "tmp-ctrl-c"
    tmp.mkdir()
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    proc = subprocess.Popen(
        command,
        cwd=root,
        env={**env, "TMPDIR": str(tmp), "SAMTAL_PDF_WORKERS": "2"},
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = worker_processes(proc.pid)
        time.sleep(0.05)
    time.sleep(1.0)  # well into rendering
    rendering = proc.poll() is None and len(workers) >= 1
    os.killpg(proc.pid, signal.SIGINT)
    try:
        output, _ = proc.communicate(timeout=60)
        stopped = True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        stopped = False
    ctrl_c = {
        "rendering": rendering,
        "stopped": stopped,
        "returncode": proc.returncode,
        "output": output,
        "site": site_state(site),
        "half": half_written(site) + half_written(root / ".cache"),
        "tmp": sorted(os.listdir(tmp)),
    }

    # A renderer that raises in every worker.
    tmp = base / "tmp-crash"
    tmp.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_BUILD, str(site)],
        cwd=root,
        env={**env, "TMPDIR": str(tmp), "SAMTAL_PDF_WORKERS": "2"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    crash = {
        "returncode": result.returncode,
        "output": result.stdout + result.stderr,
        "site": site_state(site),
        "half": half_written(site) + half_written(root / ".cache"),
        "tmp": sorted(os.listdir(tmp)),
    }
    return Interrupted(root, before, ctrl_c, crash)


def test_ctrl_c_while_pdfs_render_leaves_the_last_site_whole(interrupted: Interrupted) -> None:
    run = interrupted.ctrl_c
    assert run["rendering"], "the build was stopped while its PDF workers ran"
    assert run["stopped"], "the build stopped within a minute of Ctrl-C"
    assert run["returncode"] != 0
    assert run["half"] == [], run["half"]
    assert run["site"] == interrupted.before, "site/ is the last complete build, untouched"


def test_a_crashing_pdf_renderer_leaves_the_last_site_whole(interrupted: Interrupted) -> None:
    run = interrupted.crash
    assert run["returncode"] != 0
    assert "simulerad krasch" in run["output"]
    assert run["half"] == [], run["half"]
    assert run["site"] == interrupted.before, "site/ is the last complete build, untouched"


def test_a_pdf_build_leaves_no_temporary_files(interrupted: Interrupted) -> None:
    """Neither a build stopped with Ctrl-C nor one whose renderer failed leaves files in its TMPDIR."""
    assert interrupted.ctrl_c["tmp"] == []
    assert interrupted.crash["tmp"] == []


def test_a_line_separator_in_a_text_prints_no_missing_glyph(tmp_path: Path) -> None:
    """Rendered in this process: one set's PDF, with the separators in a question, a sheet label and the site's name."""
    from samtal import pdf, pdf_render
    from samtal.build import Guide
    from samtal.pages import SiteLinks
    from samtal.settings import load_settings

    root = copy_project(tmp_path / "project")
    bank = root / "questions.yaml"
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    target = data["sets"][0]
    question = next(q for q in data["questions"] if q["id"] == target["questions"][0])
    question["text"] += " Rad ett\u2028rad två\u2029stycke\x0bslut"
    data["sheet"]["header"][0]["label"] += "\u2028namn"
    bank.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    settings = load_settings(
        {"bank": "questions.yaml", "cache_dir": ".cache"},
        config_file=root / "mkdocs.yml",
        docs_dir=root / "content",
        theme_language="sv",
        site_url="",
        serving=False,
        environ={},
    )
    guide = Guide.load(settings, organisation={"name": "Fack"}, site_name="Samtals\u2028guiden", site_description="")
    links = SiteLinks(url=lambda src: src.removesuffix(".md") + "/", relative=lambda url, base: url, exists=lambda src: True)
    html = pdf.render_documents(guide.pdf_inputs(links))[target["id"]]
    result = pdf_render.Renderer(pdf.STYLESHEET, pdf.FONTS).render(pdf_render.Job(target["id"], pdf.with_qr_codes(html)))
    assert not [w for w in result.warnings if "glyph" in w], result.warnings[:3]


# --------------------------------------------------------------------------- the build reads nothing outside and fetches nothing

STRACE = shutil.which("strace")
_OPEN = re.compile(r'^(\d+)\s+(?:open|openat|creat)\((?:AT_FDCWD|\d+)?,?\s*"([^"]*)"')
_INET = re.compile(r"^(\d+)\s+(?:socket|connect)\((?:.*AF_INET6?|.*sa_family=AF_INET6?)")


def allowed_places(root: Path, tmp: Path) -> tuple[list[str], set[str]]:
    """Folders a build may read (the project, its temporary folder, Python, system libraries and fonts)
    and single system files (the dynamic linker's cache, time zone, MIME types, git's own settings)."""
    home = Path.home()
    python = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        os.path.realpath(sys.prefix),
        os.path.realpath(sys.base_prefix),
        str(Path(sys.executable).resolve().parent.parent),
    }
    folders = [
        str(root),
        str(root.resolve()),
        str(tmp),
        str(tmp.resolve()),
        *python,
        "/usr/",
        "/lib/",
        "/lib64/",
        "/bin/",
        "/sbin/",
        "/etc/fonts/",
        "/var/cache/fontconfig/",
        "/proc/",
        "/sys/",
        "/dev/",
        str(home / ".cache" / "fontconfig"),
        str(home / ".fontconfig"),
        str(home / ".config" / "git"),
    ]
    files = {"/etc/ld.so.cache", "/etc/localtime", "/etc/timezone", "/etc/mime.types", "/etc/gitconfig", str(home / ".gitconfig")}
    return [f.rstrip("/") + "/" for f in folders], files


def test_a_build_opens_nothing_outside_the_project_and_connects_nowhere(tmp_path: Path, evil: EvilServer) -> None:
    """The whole build (PDFs included) under strace: every file it opens or tries to open is the project's,
    Python's, the system's libraries and fonts, or in its temporary folder; no network socket is made.
    A set's texts point at /etc/hostname and at a PNG outside the project."""
    if STRACE is None:
        pytest.fail("strace is missing: `make test` installs it (scripts/setup.sh)")
    root = copy_project(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    bank = root / "questions.yaml"
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    data["sets"][0]["description"] += " " + image_payloads(root, outside, evil.origin)
    bank.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000), encoding="utf-8")
    log = tmp_path / "strace.log"
    command = [
        STRACE,
        "-f",
        "-qq",
        "-e",
        "trace=open,openat,creat,connect,socket,execve",
        "-o",
        str(log),
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-d",
        str(root / "site"),
    ]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp), "SITE_URL": "https://exempel.se/guide/"}
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False)
    output = result.stdout + result.stderr
    assert "Operation not permitted" not in output[:2000], f"strace cannot trace here: {output[:500]}"
    assert result.returncode == 0, output[-3000:]
    assert re.search(r"PDF: [1-9]\d* skapade", output), "at least one PDF was rendered while traced"
    folders, files = allowed_places(root, tmp)
    outside_reads: set[str] = set()
    sockets: list[str] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if _INET.match(line):
            sockets.append(line[:200])
        match = _OPEN.match(line)
        if not match:
            continue
        path = match.group(2)
        if not path.startswith("/"):
            path = str(root / path)  # every process of the build runs in the project
        path = os.path.normpath(path)
        if path in files or any((path + "/").startswith(folder) for folder in folders):
            continue
        outside_reads.add(path)
    assert sockets == [], sockets[:5]
    assert not outside_reads, sorted(outside_reads)[:20]
    log_text = log.read_text(encoding="utf-8", errors="replace")
    assert '"/etc/hostname"' not in log_text and str(outside) not in log_text
    assert evil.requests == []


# --------------------------------------------------------------------------- the one inline renderer

INLINE_ATTACKS = [
    "<script>alert(1)</script>",
    'x"><script>alert(2)</script>',
    "**fet**{: onclick=alert(3) }",
    "Stycke {: onclick=alert(4) }",
    "[x](javascript:alert(5))",
    "[x]( JaVa\tScRiPt:alert(6))",
    "[x](data:text/html,<script>alert(7)</script>)",
    "[x](vbscript:msgbox(8))",
    "[x][r]\n\n[r]: javascript:alert(9)",
    "<javascript:alert(10)>",
    "![](http://127.0.0.1:9/a.png)",
    '<img src="http://127.0.0.1:9/b.png" onerror="alert(11)">',
    "<a href='javascript:alert(12)'>x</a>",
    "`<script>alert(13)</script>`",
    "&lt;script&gt;alert(14)&lt;/script&gt;",
    '[x](https://exempel.se/ "titel" onclick="alert(15)")',
    "<svg><animate onbegin=alert(16) attributeName=x dur=1s>",
    "[x](<javascript:alert(17)>)",
]


@pytest.mark.parametrize("text", INLINE_ATTACKS)
def test_inline_markdown_keeps_only_its_safelist(text: str) -> None:
    """samtal.markup.inline: emphasis, code and links to https, http, mailto, tel or the site; nothing else."""
    from html import unescape

    from samtal.markup import inline, plain

    html = str(inline(text))
    assert audit_html(html) == [], html
    tags = set(re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", html))
    assert tags <= {"em", "strong", "code", "a"}, html
    for attrs in re.findall(r"<a\b([^>]*)>", html):
        names = set(re.findall(r'\s([a-z-]+)="', attrs))
        assert names <= {"href", "rel"}, html  # no title, lang or anything else
        href = re.search(r'href="([^"]*)"', attrs)
        if href:
            scheme = re.match(r"^([a-z][a-z0-9+.-]*):", _scheme_text(unescape(href.group(1))))
            assert scheme is None or scheme.group(1) in {"https", "http", "mailto", "tel"}, html
    assert "\n" not in plain(text), "plain text is one line"


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://exempel.se/", True),
        ("mailto:a@exempel.se", True),
        ("tel:+468123", True),
        ("../fragor/#x", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
    ],
)
def test_safe_url_keeps_only_followable_links(url: str, kept: bool) -> None:
    from samtal.markup import safe_url

    assert (safe_url(url) != "") is kept, url


@pytest.mark.parametrize("title", ["Rubrik {: onclick=alert(1) }", "Rubrik [x](javascript:alert(2))", "<b>fet</b> # ## {#id}"])
def test_a_title_in_a_markdown_heading_stays_text(title: str) -> None:
    """md_text escapes what Markdown, attr_list and toc would read, so a heading gets no attribute or link."""
    import markdown

    from samtal.markup import md_text, plain

    html = markdown.markdown(f"## {md_text(title)} {{ #fast-id }}", extensions=["attr_list", "toc", "md_in_html"])
    assert re.fullmatch(r'<h2 id="fast-id">[^<]*</h2>', html), html
    from html import unescape

    assert unescape(re.sub(r"<[^>]+>", "", html)) == plain(title)


# --------------------------------------------------------------------------- strings files


def test_a_strings_text_reads_only_plain_placeholders() -> None:
    """A translator's text cannot walk the values' attributes (str.format would let
    ``{name.__class__}`` or ``{name.__init__.__globals__[...]}`` reach the build's
    environment): only ``{name}`` is filled in, the rest stays as written, escaped."""
    from markupsafe import escape

    from samtal.strings import Strings, StringsError

    hostile = {
        "walk": "Hej {name.__class__} {name.__init__.__globals__[os].environ[HOME]} {name!r} {name:>20}",
        "plain": "Hej {name}, <b>{count}</b>",
        "missing": "Hej {vem}",
    }
    strings = Strings(name="prov", language="sv", texts=hostile)
    walked = strings.t("walk", name="Kim")
    assert walked == hostile["walk"]
    assert str(strings.markup("walk", name="Kim")) == str(escape(hostile["walk"]))
    assert strings.t("plain", name="Kim", count=2) == "Hej Kim, <b>2</b>"
    assert str(strings.markup("plain", name="<i>Kim</i>", count=2)) == "Hej &lt;i&gt;Kim&lt;/i&gt;, &lt;b&gt;2&lt;/b&gt;"
    with pytest.raises(StringsError, match=r"\{vem\}"):
        strings.t("missing", name="Kim")
