"""The one helper that copies the project's sources, for tests and benchmarks that build
with changed inputs in a scratch folder (imported by tests/conftest.py and bench/)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("content", "hooks", "overrides", "orgs", "versions", "examples", "scripts")


def copy_project(dest: Path, *, pdf_cache: bool = True) -> Path:
    """Copy the config, the bank, the pages, the engine, the theme and the versions to ``dest``.

    With ``pdf_cache`` the copy starts from the project's PDF cache, which is keyed by
    content, so only PDFs whose inputs the caller changes are rendered again.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "questions.yaml"):
        shutil.copy2(ROOT / name, dest / name)
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".cache", "site"))
    if pdf_cache and (ROOT / ".cache" / "pdf").is_dir():
        shutil.copytree(ROOT / ".cache" / "pdf", dest / ".cache" / "pdf")
    return dest


def pdf_inputs(project: Path, *, site_url: str, cache_dir: Path) -> Any:
    """What the build hands the PDF engine (``samtal.pdf.Inputs``), made as the hook file
    makes it but outside MkDocs, for tests and benchmarks that render PDFs themselves.
    The engine (``project/hooks``) must be importable."""
    from dataclasses import replace

    import yaml
    from mkdocs.structure.files import File
    from mkdocs.utils import get_relative_url

    from samtal.build import Guide
    from samtal.pages import SiteLinks
    from samtal.settings import load_settings

    class Loader(yaml.SafeLoader):
        """mkdocs.yml without its tags (!ENV): only the settings block is read from it."""

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a safe loader
    settings = load_settings(
        config["extra"]["samtal"],
        config_file=project / "mkdocs.yml",
        docs_dir=project / "content",
        theme_language="sv",
        site_url=site_url,
        serving=False,
    )
    guide = Guide.load(
        settings,
        organisation=config["extra"].get("organisation"),
        site_name=config["site_name"],
        site_description=config.get("site_description", ""),
    )
    links = SiteLinks(url=lambda src: File(src, "", "", True).url, relative=get_relative_url, exists=lambda src: True)
    return replace(guide.pdf_inputs(links), cache_dir=cache_dir)
