"""The guide offline: a service worker made at build time from the files in ``site/``.

After one visit to any page, the worker has every page, worksheet, PDF, the
bank and the search index, so a meeting room without a network does not stop
anyone. Its cache is named after a hash of every file it holds: a new
deployment installs a new, complete cache beside the old one and takes over
only when it has every file, so a reader never gets a mix of old and new.
Answers live in ``localStorage`` and are never touched.

Everything the worker does is in ``overrides/samtal/offline/sw.js`` (and the
page's side in ``assets/javascripts/samtal/offline.js``); this module only
fills in the list of files, the cache's name and the folders of the other
versions of the guide. Where the guide is not to work offline (``mkdocs
serve``, ``offline: false``), ``retire.js`` is written as ``sw.js`` instead: a
browser that kept a worker from an earlier build at the same address drops it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .files import write_atomic

WORKER = "sw.js"
TEMPLATES = Path(__file__).resolve().parent.parent.parent / "overrides" / "samtal" / "offline"
TEMPLATE = TEMPLATES / "sw.js"
RETIRE = TEMPLATES / "retire.js"
SKIP_SUFFIXES = {".map", ".gz"}
SKIP_NAMES = {WORKER}  # sitemap.xml stays: instant navigation reads it


def precache_list(site_dir: Path, *, skip: list[str], languages: set[str]) -> list[tuple[str, str]]:
    """(URL relative to the worker, content hash) of every file the worker keeps.

    A page ``x/index.html`` is kept as ``x/``, the address people use.
    ``skip``: folders of other versions of the guide (they have their own worker).
    """
    entries = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site_dir).as_posix()
        if rel in SKIP_NAMES or path.suffix in SKIP_SUFFIXES or path.name.startswith(".") or any(rel.startswith(s) for s in skip):
            continue
        if rel.startswith("assets/javascripts/lunr/") and not _needed_lunr(rel, languages):
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        if rel == "index.html":
            url = "./"
        elif rel.endswith("/index.html"):
            url = rel.removesuffix("index.html")
        else:
            url = rel
        entries.append((url, digest))
    return entries


def _needed_lunr(rel: str, languages: set[str]) -> bool:
    """Material ships search support for every language; the worker keeps what this version's search loads."""
    name = rel.rsplit("/", 1)[-1]
    wanted = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"} | {f"lunr.{lang}.min.js" for lang in languages}
    return name in wanted


def service_worker(entries: list[tuple[str, str]], skip: list[str]) -> str:
    """The worker's script for these files: its version is a hash of every file's name and content."""
    manifest = hashlib.sha256(json.dumps(entries).encode("utf-8")).hexdigest()[:16]
    files = json.dumps([url for url, _ in entries], ensure_ascii=False)
    template = TEMPLATE.read_text(encoding="utf-8")
    filled = (
        template.replace('"__SAMTAL_VERSION__"', json.dumps(manifest))
        .replace("[] /* __SAMTAL_FILES__ */", files)
        .replace("[] /* __SAMTAL_SKIP__ */", json.dumps(sorted(skip)))
    )
    if "__SAMTAL_" in filled:
        raise ValueError(f"{TEMPLATE}: a placeholder was not filled in")
    return filled


def write_service_worker(site_dir: Path, *, skip: list[str], languages: set[str]) -> int:
    """Write ``sw.js`` for the files now in ``site_dir``; returns how many files it keeps."""
    entries = precache_list(site_dir, skip=skip, languages=languages)
    write_atomic(site_dir / WORKER, service_worker(entries, skip))
    return len(entries)


def write_retiring_worker(site_dir: Path) -> None:
    """Write the ``sw.js`` that removes a worker left from an earlier build at this address."""
    write_atomic(site_dir / WORKER, RETIRE.read_text(encoding="utf-8"))
