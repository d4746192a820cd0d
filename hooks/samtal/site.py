"""The guide as one object: what each build step needs, with no MkDocs in it.

The MkDocs hook file (``hooks/guide.py``) only turns build events into calls
on :class:`Guide`, so the generator can move to another engine.
"""

from __future__ import annotations

import os
import subprocess
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from datetime import datetime, timezone
from typing import Any

from jinja2 import TemplateError

from . import csp, exports, pages, paths, preview, search
from .bank import Bank, BankError, load_bank
from .org import Organisation, OrganisationError, darken, load_organisation
from .templates import make_environment, render

BANK_FILE = "questions.yaml"
TEMPLATE_DIR = Path("overrides") / "samtal"


class GuideError(Exception):
    """Something in the sources is wrong; the message says what and where."""


def pdf_enabled_from_env() -> bool:
    """PDF output is on unless ``SAMTAL_PDF`` is ``0``/``off``/``no`` (used by the benchmark)."""
    return os.environ.get("SAMTAL_PDF", "on").strip().lower() not in {"0", "off", "no", "false"}


@dataclass
class Guide:
    root: Path
    docs_dir: Path
    site_url: str
    bank: Bank
    org: Organisation
    ctx: pages.Context
    serving: bool = False
    version: str = ""
    site_name: str = ""
    site_description: str = ""
    _checked: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls,
        *,
        root: Path,
        docs_dir: Path,
        site_url: str,
        extra: dict[str, Any],
        site_name: str = "",
        site_description: str = "",
        serving: bool = False,
        pdf: bool = True,
    ) -> Guide:
        """Load and check every source; raise :class:`GuideError` before anything is written."""
        try:
            bank = load_bank(root / BANK_FILE)
            org = load_organisation(extra)
        except (BankError, OrganisationError) as exc:
            raise GuideError(str(exc)) from None
        if org.logo and not (root / org.logo).is_file():
            raise GuideError(f"mkdocs.yml: extra.organisation.logo: filen '{org.logo}' finns inte (sökvägen räknas från {root})")
        env = make_environment(root / TEMPLATE_DIR)
        ctx = pages.Context(bank=bank, org=org, env=env, site_url=site_url, pdf_enabled=pdf)
        guide = cls(
            root=root,
            docs_dir=docs_dir,
            site_url=site_url,
            bank=bank,
            org=org,
            ctx=ctx,
            serving=serving,
            version=source_date(root).date().isoformat(),
            site_name=site_name,
            site_description=site_description,
        )
        guide.check_content()
        return guide

    # -- pages -------------------------------------------------------------

    def generated_pages(self) -> dict[str, str]:
        """Source path → Markdown of each page made from the bank."""
        try:
            return pages.generated_pages(self.ctx)
        except TemplateError as exc:
            raise GuideError(_template_message(exc, self.root / TEMPLATE_DIR)) from None

    def generated_files(self) -> dict[str, str | bytes]:
        """Site path → content of every generated non-page file: the open-data
        exports, the organisation's stylesheet, the preview image and the logo."""
        publisher = self.org.name or "Samtalsguiden"
        return {
            "fragor.json": exports.bank_json(self.bank, publisher=publisher, version=self.version),
            "fragor.csv": exports.bank_csv(self.bank),
            "assets/stylesheets/organisation.css": render(
                self.ctx.env, "organisation.css.j2", colour=self.org.colour, dark=darken(self.org.colour, 0.8)
            ),
            preview.PREVIEW_PATH: preview.preview_png(site_name=self.site_name, tagline=self.site_description, org=self.org),
            **({self.logo_path: (self.root / self.org.logo).read_bytes()} if self.org.logo else {}),
        }

    @property
    def logo_path(self) -> str:
        """Where the organisation's logo is published, or "" when it has none."""
        return f"assets/images/organisation-logo{Path(self.org.logo).suffix.lower()}" if self.org.logo else ""

    def theme_globals(self) -> dict[str, Any]:
        """What the theme's own templates (overrides/*.html) may use, as ``samtal.*``."""
        return {
            "samtal": {
                "org": self.org,
                "logo": self.logo_path,
                "version": self.version,
                "preview_image": preview.PREVIEW_PATH,
            }
        }

    def pdf_targets(self) -> list[str]:
        """Site paths of every PDF the build will write (placeholders until post-build)."""
        if not self.ctx.pdf_enabled:
            return []
        from . import pdf

        return [paths.pdf_src(item_id) for item_id in pdf.document_ids(self.bank)]

    def expand(self, markdown: str, src: str, url: str) -> str:
        cached = self._checked.get((src, url, markdown))
        if cached is not None:
            return cached
        try:
            return pages.expand_markers(markdown, src, url, self.ctx)
        except pages.MarkerError as exc:
            raise GuideError(f"Fel i en markör:\n{exc}") from None
        except TemplateError as exc:
            raise GuideError(_template_message(exc, self.root / TEMPLATE_DIR)) from None

    def check_content(self) -> None:
        """Expand every marker in ``docs_dir`` once, so a bad one stops the build early."""
        problems = []
        for path in sorted(self.docs_dir.rglob("*.md")):
            src = path.relative_to(self.docs_dir).as_posix()
            url = paths.directory_url(src)
            markdown = path.read_text(encoding="utf-8")
            try:
                # Kept, so the page is not rendered twice when MkDocs asks for it.
                self._checked[(src, url, markdown)] = pages.expand_markers(markdown, src, url, self.ctx)
            except pages.MarkerError as exc:
                problems.append(str(exc))
            except TemplateError as exc:
                raise GuideError(_template_message(exc, self.root / TEMPLATE_DIR)) from None
        if problems:
            raise GuideError("Fel i en markör:\n" + "\n".join(problems))

    def is_generator_file(self, path: Path) -> bool:
        """True for the generator's templates, PDF stylesheet and fonts (never published)."""
        return path.resolve().is_relative_to((self.root / TEMPLATE_DIR).resolve())

    def finish_page(self, html: str) -> str:
        """The last touch on a rendered page: its Content-Security-Policy."""
        if self.serving:
            # `mkdocs serve` injects its live-reload script after this point;
            # a policy here would block it. Built sites always get one.
            return html
        return csp.add_policy(html)

    # -- after the build ---------------------------------------------------

    def post_build(self, site_dir: Path) -> dict[str, Any]:
        index = site_dir / "search" / "search_index.json"
        stats: dict[str, Any] = {}
        if not self.serving:
            # Pages written by plugins after the build (the redirects) get a
            # policy too. The policy sits at the top of a page, so the start
            # of each file tells whether it has one.
            for path in site_dir.rglob("*.html"):
                with path.open(encoding="utf-8") as page:
                    head = page.read(2048)
                if not csp.has_policy(head):
                    path.write_text(csp.add_policy(path.read_text(encoding="utf-8")), encoding="utf-8")
        if index.exists():
            stats["search_entries"] = search.add_to_index(index, self.bank)
        if self.ctx.pdf_enabled:
            from . import pdf

            try:
                stats["pdf"] = pdf.build_all(self, site_dir)
            except TemplateError as exc:
                raise GuideError(_template_message(exc, self.root / TEMPLATE_DIR)) from None
        return stats


def source_date(root: Path) -> datetime:
    """The date of the sources: ``SOURCE_DATE_EPOCH``, else the last commit, else the bank file.

    Never the clock, so two builds of the same sources are identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        if out.isdigit():
            return datetime.fromtimestamp(int(out), tz=timezone.utc)
    except (OSError, subprocess.SubprocessError):
        pass
    return datetime.fromtimestamp(int((root / BANK_FILE).stat().st_mtime), tz=timezone.utc)


def _template_message(exc: TemplateError, template_dir: Path) -> str:
    """``Fel i mallen <file>:<line>: …`` for a syntax error or an error while rendering."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not name:
        # A rendering error (an undefined value, say): the innermost frame
        # that Jinja mapped back to a template file says where.
        folder = template_dir.resolve()
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().is_relative_to(folder)]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno
    where = f"{name}:{line}" if name and line else (name or "en mall")
    return f"Fel i mallen {where}: {exc.message if hasattr(exc, 'message') else exc}"
