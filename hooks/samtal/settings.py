"""The generator's settings: ``extra.samtal`` in ``mkdocs.yml``, declared once and validated.

Every path is resolved against the folder of the config file that is built,
so a guide is a folder: ``mkdocs build -f some/guide/mkdocs.yml`` reads that
guide's bank, pages and logo, and keeps its cache beside it. A path must stay
inside that folder's project (the folder itself or, for a version of a guide,
the guide it belongs to): nothing outside is read.

::

    extra:
      samtal:
        bank: questions.yaml        # the question bank
        translation:                # a file of the bank's texts in this version's language
        strings:                    # the strings file (default: theme.language)
        version: sv                 # which of `versions` this config builds
        versions:                   # every version of the guide (the language switch)
          - {id: sv, name: Svenska, lang: sv, path: ""}
          - {id: en, name: English, lang: en, path: en/, config: versions/en/mkdocs.yml}
        pdf: true                   # PDF worksheets (SAMTAL_PDF=off turns them off too)
        pdf_workers: auto           # processes rendering PDFs: auto or a number
        cache_dir: .cache           # PDF, bank and template cache
        offline: true               # a service worker so the guide works offline after one visit
        redirects:                  # old page names that keep working: old-name.md: new-name.md
          delning.md: fortroendevalda.md
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .configfile import ConfigLines

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")
KEYS = (
    "bank",
    "translation",
    "strings",
    "version",
    "versions",
    "pdf",
    "pdf_workers",
    "cache_dir",
    "offline",
    "redirects",
    "root",
)
PAGE = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.md$")


class SettingsError(Exception):
    """A setting is wrong; the message names the config file and line."""


@dataclass(frozen=True)
class Version:
    id: str
    name: str
    lang: str
    path: str  # where it lives under the site's root: "" or "en/"
    config: str = ""  # its config file, relative to the first version's (used by the full build)
    easy_of: str = ""  # an easy-to-read version of this version id: its pages say so and link there


@dataclass(frozen=True)
class Settings:
    config_file: Path
    root: Path  # the project: nothing outside it is read
    docs_dir: Path
    bank: Path
    translation: Path | None
    strings: str
    language: str
    version: Version
    versions: tuple[Version, ...]
    pdf: bool
    pdf_workers: int  # 0 = one per core
    cache_dir: Path
    offline: bool
    site_url: str
    serving: bool
    redirects: tuple[tuple[str, str], ...] = ()  # (old page, new page), source paths in the docs folder

    @property
    def config_dir(self) -> Path:
        return self.config_file.parent


def load_settings(
    raw: Any,
    *,
    config_file: Path,
    docs_dir: Path,
    theme_language: str,
    site_url: str,
    serving: bool,
    environ: dict[str, str] | None = None,
) -> Settings:
    env = os.environ if environ is None else environ
    where = ConfigLines(config_file)
    problems: list[str] = []

    def fail(key: str, message: str) -> None:
        problems.append(f"{where(('extra', 'samtal', key))}: extra.samtal.{key}: {message}")

    data = raw if isinstance(raw, dict) else {}
    if raw is not None and not isinstance(raw, dict):
        problems.append(f"{where(('extra', 'samtal'))}: extra.samtal ska vara nycklar med värden")
    for key in data:
        if key not in KEYS:
            fail(str(key), f"okänd inställning. Det finns: {', '.join(KEYS)}")
    config_dir = config_file.parent.resolve()
    # The project's root: the config's own folder, or (for a version of a guide
    # kept in a subfolder) the guide it belongs to. Every other path must lie inside it.
    root_value = data.get("root", ".")
    root = (config_dir / root_value).resolve() if isinstance(root_value, str) else config_dir
    if not root.is_dir() or not config_dir.is_relative_to(root):
        fail("root", f"'{root_value}' ska vara mappen som mkdocs.yml ligger i, eller en mapp ovanför den")
        root = config_dir

    bank = _path(data.get("bank", "questions.yaml"), config_dir, root, "bank", fail, must_exist=True)
    translation = None
    if data.get("translation"):
        translation = _path(data["translation"], config_dir, root, "translation", fail, must_exist=True)
    strings = data.get("strings") or theme_language or "sv"
    if not isinstance(strings, str) or not ID.match(strings):
        fail("strings", f"'{strings}' är inget namn på en strängfil (små bokstäver, siffror och bindestreck)")
    cache_dir = _path(data.get("cache_dir", ".cache"), config_dir, root, "cache_dir", fail, must_exist=False)
    pdf = _bool(data.get("pdf", True), "pdf", fail) and env.get("SAMTAL_PDF", "on").strip().lower() not in {
        "0",
        "off",
        "no",
        "false",
    }
    workers = _workers(env.get("SAMTAL_PDF_WORKERS") or data.get("pdf_workers", "auto"), fail)
    offline = _bool(data.get("offline", True), "offline", fail)
    redirects = _redirects(data.get("redirects"), fail)
    versions = _versions(data.get("versions"), theme_language, fail)
    wanted = data.get("version", versions[0].id if versions else "")
    version = next((v for v in versions if v.id == wanted), None)
    if version is None:
        fail("version", f"'{wanted}' finns inte bland versions ({', '.join(v.id for v in versions)})")
    if problems:
        raise SettingsError("Inställningarna för Samtalsguiden i mkdocs.yml har fel:\n  " + "\n  ".join(problems))
    assert bank is not None and cache_dir is not None and version is not None
    return Settings(
        config_file=config_file,
        root=root,
        docs_dir=docs_dir,
        bank=bank,
        translation=translation,
        strings=strings,
        language=theme_language or "sv",
        version=version,
        versions=versions,
        pdf=pdf,
        pdf_workers=workers,
        cache_dir=cache_dir,
        offline=offline,
        site_url=site_url or "",
        serving=serving,
        redirects=redirects,
    )


def _path(value: Any, base: Path, root: Path, key: str, fail: Any, *, must_exist: bool) -> Path | None:
    if not isinstance(value, str) or not value.strip():
        fail(key, "ska vara en sökväg, räknad från mappen där mkdocs.yml ligger")
        return None
    path = (base / value).resolve()
    if not path.is_relative_to(root):
        fail(key, f"'{value}' ligger utanför projektet ({root}). Lägg filen i projektet")
        return None
    if must_exist and not path.exists():
        fail(key, f"'{value}' finns inte (sökvägen räknas från {base})")
        return None
    return path


def _redirects(value: Any, fail: Any) -> tuple[tuple[str, str], ...]:
    """``{old.md: new.md}``: page source paths, as in ``nav:``."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        fail("redirects", "ska vara gamla sidnamn med nya, som  gammal-sida.md: ny-sida.md")
        return ()
    out = []
    for old, new in value.items():
        bad = [str(name) for name in (old, new) if not isinstance(name, str) or not PAGE.match(name)]
        if bad:
            fail(
                "redirects",
                f"'{bad[0]}' är inget sidnamn. Skriv sidans fil i content-mappen, som  delning.md: fortroendevalda.md",
            )
        elif old == new:
            fail("redirects", f"'{old}' leder till sig själv")
        else:
            out.append((old, new))
    return tuple(sorted(out))


def _bool(value: Any, key: str, fail: Any) -> bool:
    if isinstance(value, bool):
        return value
    fail(key, f"ska vara true eller false, inte '{value}'")
    return False


def _workers(value: Any, fail: Any) -> int:
    if value in ("auto", 0, "0", None):
        return 0
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return int(value)
    fail("pdf_workers", f"ska vara auto eller ett heltal större än 0, inte '{value}'")
    return 0


def _versions(value: Any, theme_language: str, fail: Any) -> tuple[Version, ...]:
    if value is None:
        only = theme_language or "sv"
        return (Version(id=only, name=only, lang=only, path=""),)
    if not isinstance(value, list) or not value:
        fail("versions", "ska vara en lista med minst en version")
        return ()
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            fail("versions", f"version {index + 1} ska vara nycklar med värden (id, name, lang, path)")
            continue
        vid, name, lang = item.get("id"), item.get("name"), item.get("lang")
        path: Any = item.get("path", "")
        if not isinstance(vid, str) or not ID.match(vid):
            fail("versions", f"version {index + 1}: id ska vara små bokstäver, siffror och bindestreck")
            continue
        if not isinstance(name, str) or not name.strip():
            fail("versions", f"version '{vid}': name saknas")
        if not isinstance(lang, str) or not LANG.match(lang):
            fail("versions", f"version '{vid}': lang ska vara en språkkod som sv eller en")
        if not isinstance(path, str) or (path and not re.fullmatch(r"([a-z0-9-]+/)+", path)):
            fail("versions", f"version '{vid}': path ska vara tom eller som 'en/'")
            path = ""
        easy_of = item.get("easy_of") or ""
        if not isinstance(easy_of, str):
            fail("versions", f"version '{vid}': easy_of ska vara id:t på en annan version")
            easy_of = ""
        out.append(
            Version(id=vid, name=str(name), lang=str(lang), path=path, config=str(item.get("config", "")), easy_of=easy_of)
        )
    if out and out[0].path:
        fail("versions", 'den första versionen ska ligga i roten (path: "")')
    ids = [v.id for v in out]
    for version in out:
        if version.easy_of and version.easy_of not in ids:
            fail("versions", f"version '{version.id}': easy_of: '{version.easy_of}' finns inte bland versionerna")
    return tuple(out)
