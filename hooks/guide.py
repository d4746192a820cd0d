"""MkDocs hooks for Samtalsguiden: thin event handlers, nothing else.

All logic lives in the ``samtal`` package beside this file (see
``samtal/site.py``); these handlers only pass MkDocs events to it and turn its
errors into ``PluginError``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The project root: questions.yaml and overrides/ are found from here, also when
# the build uses another config file (orgs/<name>.yml with INHERIT).
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from jinja2 import Environment  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import get_plugin_logger  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from samtal.site import Guide, GuideError, pdf_enabled_from_env  # noqa: E402

log = get_plugin_logger("samtal")

_serving = False
_guide: Guide | None = None


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _guide
    try:
        _guide = Guide.load(
            root=ROOT,
            docs_dir=Path(config.docs_dir),
            site_url=config.site_url or "",
            extra=dict(config.extra),
            site_name=config.site_name,
            site_description=config.site_description or "",
            serving=_serving,
            pdf=pdf_enabled_from_env(),
        )
    except GuideError as exc:
        raise PluginError(str(exc)) from None
    log.info(
        "Frågebanken: %d frågor, %d arbetsblad, %d checklistor",
        len(_guide.bank.questions),
        len(_guide.bank.worksheets),
        len(_guide.bank.checklists),
    )
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    guide = _current()
    # The generator's own templates, stylesheet and fonts live in the theme
    # folder but are not part of the site.
    for file in [f for f in files if f.abs_src_path and guide.is_generator_file(Path(f.abs_src_path))]:
        files.remove(file)
    try:
        for src, markdown in guide.generated_pages().items():
            files.append(File.generated(config, src, content=markdown))
        for src, content in guide.generated_files().items():
            files.append(File.generated(config, src, content=content))
        for src in guide.pdf_targets():
            # A placeholder, so --strict accepts links to it; post-build writes the PDF.
            files.append(File.generated(config, src, content=b""))
    except GuideError as exc:
        raise PluginError(str(exc)) from None
    return files


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    env.globals.update(_current().theme_globals())
    return env


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        return _current().expand(markdown, page.file.src_uri, page.url)
    except GuideError as exc:
        raise PluginError(str(exc)) from None


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return _current().finish_page(output)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    # Static templates such as 404.html are pages a reader sees too.
    if template_name.endswith(".html"):
        return _current().finish_page(output_content)
    return output_content


def on_post_build(*, config: MkDocsConfig) -> None:
    try:
        stats = _current().post_build(Path(config.site_dir))
    except GuideError as exc:
        raise PluginError(str(exc)) from None
    pdf = stats.get("pdf")
    if pdf:
        log.info("PDF: %d skapade, %d återanvända från cachen", pdf["rendered"], pdf["reused"])


def _current() -> Guide:
    if _guide is None:
        raise PluginError("Samtalsguiden: on_config has not run")
    return _guide
