"""MkDocs hooks for Samtalsguiden: thin event handlers, nothing else.

The engine is the ``samtal`` package beside this file; it imports nothing from
MkDocs. This file is the only one that knows MkDocs' events and objects: it
passes MkDocs' own URL helpers to the engine, hands it the build's files and
pages, and turns its errors into ``PluginError``. The state of a build lives
on that build's config object, so nothing leaks from one build to the next
under ``mkdocs serve``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

log = get_plugin_logger("samtal")
ENGINE = Path(__file__).resolve().parent / "samtal"
STATE = "_samtal"  # the key of this build's state on its config object
_command = {"name": "build"}


def _engine() -> Any:
    """The engine's build module: the ``samtal`` package beside this file.

    MkDocs keeps a hook module for the life of the process. The engine is
    imported anew when a file under ``samtal/`` changed (so an edit takes
    effect on the next rebuild under ``mkdocs serve``) or when another copy
    of the engine was imported in this process.
    """
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in ENGINE.glob("*.py")))
    loaded = sys.modules.get("samtal")
    if loaded is not None and (
        getattr(loaded, "__stamp__", None) != stamp or Path(str(loaded.__file__)).resolve().parent != ENGINE
    ):
        for name in [n for n in sys.modules if n == "samtal" or n.startswith("samtal.")]:
            del sys.modules[name]
    sys.path.insert(0, str(ENGINE.parent))
    try:
        module = importlib.import_module("samtal.build")
    finally:
        sys.path.remove(str(ENGINE.parent))
    sys.modules["samtal"].__stamp__ = stamp  # type: ignore[attr-defined]
    return module


class _State:
    """What one build keeps between events."""

    def __init__(self, guide: Any, engine: Any, config: MkDocsConfig) -> None:
        self.guide = guide
        self.engine = engine
        self.config = config
        self.files: Files | None = None

    def links(self) -> Any:
        """MkDocs' own URL helpers, for the engine's links and checks."""
        from samtal.pages import SiteLinks

        files = self.files

        def url(src: str) -> str:
            found = files.get_file_from_path(src) if files is not None else None
            if found is not None:
                return found.url
            return File(src, "", "", self.config.use_directory_urls).url

        def exists(src: str) -> bool:
            if files is not None:
                return files.get_file_from_path(src) is not None
            return src in self.guide.sources

        return SiteLinks(url=url, relative=get_relative_url, exists=exists)


def _state(config: MkDocsConfig) -> _State:
    state = config.get(STATE)
    if not isinstance(state, _State):
        raise PluginError("Samtalsguiden: on_config har inte körts för det här bygget")
    return state


def _run(action: Any, *args: Any, **kwargs: Any) -> Any:
    from samtal.build import GuideError

    try:
        return action(*args, **kwargs)
    except GuideError as exc:
        raise PluginError(str(exc)) from None


def on_startup(*, command: str, dirty: bool) -> None:
    _command["name"] = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    engine = _engine()
    from samtal.settings import SettingsError, load_settings

    config_file = Path(config.config_file_path).resolve()
    try:
        settings = load_settings(
            config.extra.get("samtal"),
            config_file=config_file,
            docs_dir=Path(config.docs_dir),
            theme_language=str(config.theme.get("language") or ""),
            site_url=config.site_url or "",
            serving=_command["name"] == "serve",
        )
    except SettingsError as exc:
        raise PluginError(str(exc)) from None
    guide = _run(
        engine.Guide.load,
        settings,
        organisation=config.extra.get("organisation"),
        site_name=config.site_name,
        site_description=config.site_description or "",
    )
    # Config texts reach Material's templates, which print them unescaped.
    config.site_name = escape(config.site_name)
    if config.site_description:
        config.site_description = escape(config.site_description)
    if config.copyright:
        config.copyright = escape(config.copyright)
    if len(settings.versions) > 1:
        # Material shows its language switch (ours: partials/alternate.html) only when this is set.
        config.extra["alternate"] = [{"name": v.name, "lang": v.lang, "link": v.path or "./"} for v in settings.versions]
    config[STATE] = _State(guide, engine, config)
    log.info(
        "Frågebanken: %d frågor, %d arbetsblad, %d checklistor",
        len(guide.bank.questions),
        len(guide.bank.worksheets),
        len(guide.bank.checklists),
    )
    if not settings.serving and not guide.public_url:
        log.info(
            "Ingen offentlig webbadress (site_url eller SITE_URL): PDF:er, lappar och sidan för förtroendevalda "
            "byggs utan QR-koder och utskrivna adresser. För en webbplats som ska publiceras: "
            "SITE_URL=https://exempel.se/guide/ make build"
        )
    return config


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Check every page and render the PDFs before MkDocs cleans or writes ``site/``."""
    state = _state(config)
    guide = state.guide
    docs_dir = Path(config.docs_dir)
    docs = {p.relative_to(docs_dir).as_posix(): p for p in docs_dir.rglob("*.md")}
    links = state.links()
    generated = _run(guide.generated_pages, links)
    guide.sources = set(docs) | set(generated) | set(guide.generated_files()) | set(guide.pdf_targets())
    guide.sources |= {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()}
    _run(guide.check_content, docs, links)
    stats = _run(guide.render_pdfs, links)
    if stats:
        log.info("PDF: %d skapade, %d återanvända från cachen", stats["rendered"], stats["reused"])
    # Missing translations and strings, and what WeasyPrint warned about (kept
    # with each cached PDF, so a warm cache warns like a cold one).
    for warning in guide.warnings:
        log.warning(warning)


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    state = _state(config)
    guide = state.guide
    for file in files:
        # The generator's templates, strings, PDF stylesheet and fonts live in
        # the theme folder but are not part of the site.
        if file.abs_src_path and guide.is_generator_file(Path(file.abs_src_path)):
            file.inclusion = InclusionLevel.EXCLUDED
    state.files = files
    for src, markdown in _run(guide.generated_pages, state.links()).items():
        files.append(File.generated(config, src, content=markdown))
    for src, content in {**guide.generated_files(), **guide.pdf_files()}.items():
        files.append(File.generated(config, src, content=content))
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _state(config)
    return str(_run(state.guide.expand, markdown, page.file.src_uri, state.links()))


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    from samtal.markup import plain
    from samtal.paths import QUESTIONS_PAGE, WORKSHEET_INDEX

    state = _state(config)
    guide = state.guide
    # Every page's title and description are text, and Material prints them
    # unescaped (in <title>, the header, the navigation, meta tags): escape
    # them once, here, before any page is rendered.
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        if page.title is not None:
            page.title = escape(str(page.title))
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key])
    env.globals["samtal"] = {
        "org": guide.org,
        "logo": guide.logo_src,
        "version": guide.version,
        "preview_image": "assets/images/forhandsvisning.png",
        "language": guide.settings.version.lang,
        "version_id": guide.settings.version.id,
        "serving": guide.settings.serving,
        "offline": guide.settings.offline and not guide.settings.serving,
        # Ways on from pages that are not part of the guide's pages (404.html).
        "phases": [
            {"title": plain(p.title), "summary": plain(p.summary), "url": _page_url(files, p.page)} for p in guide.bank.phases
        ],
        "questions_url": _page_url(files, QUESTIONS_PAGE),
        "worksheets_url": _page_url(files, WORKSHEET_INDEX),
    }
    env.globals["t"] = guide.strings.markup
    return env


def _page_url(files: Files, src: str) -> str:
    found = files.get_file_from_path(src)
    return found.url if found is not None else ""


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    context["samtal_alternates"] = _state(config).guide.alternates(page.url, get_relative_url)
    return context


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return str(_state(config).guide.finish_page(output))


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    # Static templates such as 404.html are pages a reader sees too.
    if template_name.endswith(".html"):
        return str(_state(config).guide.finish_page(output_content))
    return output_content


@event_priority(-100)  # after every plugin has written its files (search index, offline list)
def on_post_build(*, config: MkDocsConfig) -> None:
    state = _state(config)
    _run(state.guide.post_build, Path(config.site_dir), state.links())
