"""One build of one guide: what each build step needs, with no MkDocs in it.

The hook file (``hooks/guide.py``) turns MkDocs' events into calls on a
:class:`Guide`, made anew for every build (so nothing leaks from one build to
the next under ``mkdocs serve``). Everything is loaded and checked in
:meth:`Guide.load`, before MkDocs writes anything.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateError

from . import csp, exports, markup, pages, paths
from .bank import BankError, check_phase_pages, clean_text, load_bank
from .files import prune
from .model import Bank
from .org import Organisation, OrganisationError, darken, load_organisation
from .settings import Settings, SettingsError, Version
from .strings import ENGINE_DIR as ENGINE_STRINGS
from .strings import Strings, StringsError, load_strings

ENGINE_TEMPLATES = ENGINE_STRINGS.parent  # overrides/samtal: templates, strings, PDF templates and fonts
FONTS = ENGINE_TEMPLATES / "pdf" / "fonts"
STRINGS_JS = "assets/javascripts/samtal/strings.js"
ORG_CSS = "assets/stylesheets/organisation.css"
# The PDF library the worksheets load to fill in a PDF (fetched and checked by scripts/vendor.sh).
PDF_LIB = ENGINE_TEMPLATES.parent / "assets" / "vendor" / "pdf-lib" / "pdf-lib.esm.min.js"
LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "[::1]"}  # noqa: S104 - names to refuse, not to bind


class GuideError(Exception):
    """Something in the sources is wrong; the message says what and where."""


@dataclass
class Guide:
    settings: Settings
    bank: Bank
    org: Organisation
    strings: Strings
    env: Environment
    version: str  # the date of the sources, yyyy-mm-dd
    site_name: str
    site_description: str
    warnings: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    bank_key: str = ""
    organisation_raw: str = ""
    stats: dict[str, Any] = field(default_factory=dict)
    _pdfs: dict[str, bytes] = field(default_factory=dict, repr=False)
    _files: dict[str, str | bytes] | None = field(default=None, repr=False)
    _digest: str = field(default="", repr=False)

    # -- loading -----------------------------------------------------------

    @classmethod
    def load(cls, settings: Settings, *, organisation: Any, site_name: str, site_description: str) -> Guide:
        """Load and check every source; raise :class:`GuideError` before anything is written."""
        try:
            strings = load_strings(settings.strings, [settings.config_dir / "strings", ENGINE_STRINGS])
            loaded = load_bank(settings.bank, translation=settings.translation, cache_dir=settings.cache_dir)
            org = load_organisation(organisation, config_file=settings.config_file, root=settings.root)
        except (BankError, OrganisationError, StringsError, SettingsError) as exc:
            raise GuideError(str(exc)) from None
        return cls(
            settings=settings,
            bank=loaded.bank,
            org=org,
            strings=strings,
            env=make_environment(settings.cache_dir),
            version=source_date(settings.root, settings.bank).date().isoformat(),
            site_name=" ".join(clean_text(site_name).split()),
            site_description=" ".join(clean_text(site_description).split()),
            warnings=[*strings.warnings, *loaded.warnings],
            bank_key=loaded.key,
            organisation_raw=repr(organisation),
        )

    @property
    def public_url(self) -> str:
        """The address the site is published at, or "" for none or a loopback address.

        QR codes and printed addresses use it, so paper never leads to 127.0.0.1.
        """
        url = self.settings.site_url
        if not url or self.settings.serving:
            return ""
        host = (urlsplit(url).hostname or "").lower()
        if not host or host in LOOPBACK or host.endswith(".localhost"):
            return ""
        return url if url.endswith("/") else url + "/"

    def context(self, links: pages.SiteLinks) -> pages.Context:
        return pages.Context(
            bank=self.bank,
            org=self.org,
            strings=self.strings,
            env=self.env,
            links=links,
            public_url=self.public_url,
            pdf_enabled=self.settings.pdf,
            version=self.settings.version,
            versions=self.settings.versions,
            extra_globals={"version_date": self.version, "logo_src": self.logo_src},
        )

    def check_content(self, docs: dict[str, Path], links: pages.SiteLinks) -> None:
        """Read every page once and check its markers, and that each phase has its page.

        Runs before MkDocs writes anything, so a bad marker or a page that is
        not UTF-8 stops the build with ``site/`` untouched.
        """
        ctx = self.context(links)
        problems = check_phase_pages(self.bank, lambda src: src in docs)
        if self.settings.pdf and not PDF_LIB.is_file():  # the fill-in buttons come with the PDFs
            problems.append(
                f"{PDF_LIB}: filen saknas, knapparna för ifylld PDF behöver den. Kör make (scripts/vendor.sh hämtar den)"
            )
        for src, path in sorted(docs.items()):
            try:
                markdown = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                line = path.read_bytes()[: exc.start].count(b"\n") + 1
                problems.append(f"{path}:{line}: sidan är inte sparad som UTF-8. Spara den som UTF-8 och bygg igen")
                continue
            problems += pages.check_markers(markdown, src, ctx)
        for old, new in self.settings.redirects:
            if old in docs:
                problems.append(f"extra.samtal.redirects: {old} är en sida i guiden och kan inte också vara en gammal adress")
            if not links.exists(new):
                problems.append(f"extra.samtal.redirects: {old} leder till {new}, som inte finns bland sidorna")
        if problems:
            raise GuideError("Fel i guidens sidor:\n  " + "\n  ".join(problems))

    # -- what the build adds -------------------------------------------------

    def generated_pages(self, links: pages.SiteLinks) -> dict[str, str]:
        """Source path → Markdown of each page made from the bank."""
        return pages.generated_pages(self.context(links))

    @property
    def logo_src(self) -> str:
        """Where the organisation's logo is published, or "" when it has none."""
        return f"assets/images/organisation-logo{self.org.logo.suffix}" if self.org.logo else ""

    def generated_files(self) -> dict[str, str | bytes]:
        """Source path → content of every generated file that is not a page (made once a build)."""
        if self._files is None:
            self._files = self._make_files()
        return self._files

    def _make_files(self) -> dict[str, str | bytes]:
        from . import preview

        neutral = self.strings.t("org.neutral_name")
        publisher = self.org.name or self.site_name
        files: dict[str, str | bytes] = {
            "fragor.json": exports.bank_json(
                self.bank, publisher=publisher, version=self.version, language=self.settings.version.lang
            ),
            "fragor.csv": exports.bank_csv(self.bank),
            ORG_CSS: render(self.env, "organisation.css.j2", colour=self.org.colour, dark=darken(self.org.colour, 0.8)),
            STRINGS_JS: self.strings.js_module(),
            preview.PREVIEW_PATH: self.cached(
                "preview",
                (self.site_name, self.site_description, self.org.display_name(neutral), self.org.colour),
                lambda: preview.preview_png(
                    title=self.site_name,
                    tagline=self.site_description,
                    footer=self.strings.t("preview.footer_org", name=self.org.name)
                    if self.org.name
                    else self.strings.t("preview.footer"),
                    colour=self.org.colour,
                    fonts=FONTS,
                ),
            ),
        }
        if self.org.logo:
            files[self.logo_src] = self.org.logo.data
        if self.settings.pdf:
            import json

            from .fields import pdf_field_map

            for sheet in self.bank.sheets:
                files[paths.pdf_fields_src(sheet.id)] = json.dumps(pdf_field_map(self.bank, sheet), ensure_ascii=False)
        return files

    def cached(self, name: str, inputs: tuple[str, ...], make: Any) -> bytes:
        """``make()``, kept in the build cache by a hash of ``inputs``."""
        import hashlib

        from .files import write_atomic

        key = hashlib.sha256("\0".join(inputs).encode("utf-8")).hexdigest()[:24]
        path = self.settings.cache_dir / name / key
        try:
            return path.read_bytes()
        except OSError:
            data: bytes = make()
            with contextlib.suppress(OSError):
                write_atomic(path, data)
            return data

    # -- PDFs -----------------------------------------------------------------

    def render_pdfs(self, links: pages.SiteLinks) -> dict[str, Any]:
        """Render (or take from the cache) every PDF before any page is written.

        Returns the counts; the files are handed to MkDocs by :meth:`pdf_files`.
        """
        if not self.settings.pdf:
            return {}
        from . import pdf

        try:
            result = pdf.build(self.pdf_inputs(links))
        except pdf.PdfError as exc:
            raise GuideError(str(exc)) from None
        except TemplateError as exc:
            raise GuideError(template_message(exc)) from None
        self._pdfs = result.files
        self.warnings += result.warnings
        return result.stats

    def pdf_inputs(self, links: pages.SiteLinks) -> Any:
        from . import pdf

        return pdf.Inputs(
            bank=self.bank,
            org=self.org,
            strings=self.strings,
            env=self.env,
            version=self.version,
            public_url=self.public_url,
            url=links.url,
            language=self.settings.version.lang,
            cache_dir=self.settings.cache_dir / "pdf",
            workers=self.settings.pdf_workers,
            logo=self.org.logo,
            site_name=self.site_name,
        )

    def pdf_targets(self) -> list[str]:
        """Site paths of every PDF the build writes."""
        if not self.settings.pdf:
            return []
        from . import pdf

        return [paths.pdf_src(doc_id) for doc_id in pdf.document_ids(self.bank, self.strings)]

    def pdf_files(self) -> dict[str, bytes]:
        return {paths.pdf_src(doc_id): data for doc_id, data in self._pdfs.items()}

    # -- pages -------------------------------------------------------------

    @property
    def digest(self) -> str:
        """A hash of everything a page's or a PDF's content is made from, but the page itself.

        The bank, the strings, templates and fonts, the engine's code, the
        settings, the organisation, the address and date, and the list of the
        site's files (a link to a removed page must fail again). Made once a build.
        """
        if not self._digest:
            import hashlib

            h = hashlib.sha256()
            for path in sorted([*ENGINE_TEMPLATES.rglob("*"), *Path(__file__).parent.glob("*.py")]):
                if path.is_file():
                    h.update(path.name.encode() + b"\0" + path.read_bytes())
            for part in (
                self.bank_key,
                self.organisation_raw,
                repr(self.settings),
                self.site_name,
                self.site_description,
                self.version,
            ):
                h.update(part.encode("utf-8") + b"\0")
            for folder in (self.settings.config_dir / "strings",):
                for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
                    h.update(path.read_bytes())
            h.update("\n".join(sorted(self.sources)).encode("utf-8"))
            self._digest = h.hexdigest()
        return self._digest

    def expand(self, markdown: str, src: str, links: pages.SiteLinks) -> str:
        """The page with its markers replaced; kept in the build cache by the hash of all its inputs."""
        import hashlib

        if "samtal:" not in markdown:
            return markdown
        key = hashlib.sha256(f"{self.digest}\0{src}\0{links.url('a/b.md')}\0{markdown}".encode()).hexdigest()[:32]
        cached = self.settings.cache_dir / "pages" / f"{key}.md"
        try:
            text = cached.read_text(encoding="utf-8")
            os.utime(cached)  # still in use: kept when the cache is pruned
            return text
        except OSError:
            pass
        expanded = self._expand(markdown, src, links)
        try:
            from .files import write_atomic

            write_atomic(cached, expanded)
        except OSError:
            pass
        return expanded

    def _expand(self, markdown: str, src: str, links: pages.SiteLinks) -> str:
        try:
            return pages.expand_markers(markdown, src, self.context(links))
        except pages.MarkerError as exc:
            raise GuideError(f"Fel i en markör:\n  {exc}") from None
        except TemplateError as exc:
            raise GuideError(template_message(exc)) from None

    def is_generator_file(self, path: Path) -> bool:
        """True for the generator's templates, strings, PDF stylesheet and fonts (never published)."""
        return path.resolve().is_relative_to(ENGINE_TEMPLATES)

    def finish_page(self, html: str) -> str:
        """The last touch on a rendered page: its Content-Security-Policy."""
        return csp.add_policy(html, csp.SERVE_POLICY if self.settings.serving else csp.POLICY)

    def alternates(self, page_url: str, relative: Any) -> list[dict[str, str]]:
        """The same page in every version of the guide: for the language switch and hreflang.

        ``relative`` is MkDocs' ``get_relative_url``; links are made relative to the
        page itself, from the whole site's root, since a version's own root lies below it.
        """
        here = self.settings.version
        root = self.public_url[: len(self.public_url) - len(here.path)] if self.public_url and here.path else self.public_url
        page = here.path + page_url
        out = []
        for version in self.settings.versions:
            home = relative(version.path or "./", page)
            out.append(
                {
                    "id": version.id,
                    "name": version.name,
                    "lang": version.lang,
                    "current": "true" if version.id == here.id else "",
                    "href": relative(version.path + page_url, page) if page_url else home,
                    "home": home if home.endswith("/") else home + "/",
                    "absolute": root + version.path + page_url if root else "",
                    # The easy-to-read version's pages point at the same page in the version they simplify.
                    "plain_of_this": "true" if here.easy_of == version.id else "",
                }
            )
        return out

    # -- after the build ---------------------------------------------------

    def post_build(self, site_dir: Path, links: pages.SiteLinks) -> dict[str, Any]:
        from . import search

        stats: dict[str, Any] = {}
        if self.settings.redirects:
            from . import redirects

            try:
                stats["redirects"] = len(
                    redirects.write_redirects(
                        site_dir,
                        dict(self.settings.redirects),
                        url=links.url,
                        relative=links.relative,
                        env=self.env,
                        strings=self.strings,
                        lang=self.settings.version.lang,
                        finish=self.finish_page,
                    )
                )
            except redirects.RedirectError as exc:
                raise GuideError(str(exc)) from None
        prune(self.settings.cache_dir / "pages", ("*",), days=30)
        index = site_dir / "search" / "search_index.json"
        if index.exists():
            entries = search.question_entries(self.bank, self.strings, links.url(paths.QUESTIONS_PAGE))
            stats["search_entries"] = search.add_to_index(index, entries)
        from . import offline

        if self.settings.offline and not self.settings.serving:
            # The other versions below this one (en/ under the Swedish root) have workers of their own.
            here = self.settings.version.path
            skip = [v.path[len(here) :] for v in self.settings.versions if v.path.startswith(here) and v.path != here]
            stats["offline_files"] = offline.write_service_worker(
                site_dir, skip=skip, languages={self.settings.version.lang.split("-")[0]}
            )
        else:
            offline.write_retiring_worker(site_dir)
        return stats


def make_environment(cache_dir: Path | None) -> Environment:
    """The Jinja environment for everything the generator renders.

    Compiled templates are kept in the build cache, so a rebuild does not
    compile them again. Autoescaping is on for every template.
    """
    cache = FileSystemBytecodeCache(str(cache_dir / "jinja")) if cache_dir else None
    if cache_dir:
        (cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
    env = Environment(
        loader=FileSystemLoader(str(ENGINE_TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=cache,
        auto_reload=False,
    )
    env.filters["md"] = markup.inline
    env.filters["plain"] = markup.plain
    env.filters["mdtext"] = markup.md_text
    env.filters["safe_url"] = markup.safe_url
    return env


def render(env: Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(**context)


def source_date(root: Path, fallback: Path) -> datetime:
    """The date of the sources: ``SOURCE_DATE_EPOCH``, else the last commit, else the bank file.

    Never the clock, so two builds of the same sources are identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        if out.isdigit():
            return datetime.fromtimestamp(int(out), tz=UTC)
    except (OSError, subprocess.SubprocessError):
        pass
    return datetime.fromtimestamp(int(fallback.stat().st_mtime), tz=UTC)


def template_message(exc: TemplateError) -> str:
    """``Fel i mallen <file>:<line>: …`` for a syntax error or an error while rendering."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not name:
        # A rendering error (an undefined value, say): the innermost frame
        # that Jinja mapped back to a template file says where.
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().is_relative_to(ENGINE_TEMPLATES)
        ]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno
    where = f"{name}:{line}" if name and line else (name or "en mall")
    return f"Fel i mallen {where}: {getattr(exc, 'message', None) or exc}"


__all__ = ["Guide", "GuideError", "Version"]
