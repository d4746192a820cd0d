"""Build every version of the guide into one site: ``make build``.

The versions are listed once, in ``extra.samtal.versions`` of the first
(root) config: Swedish at ``/``, English at ``/en/``, easy-to-read Swedish at
``/lattlast/``. Each is an ordinary MkDocs build with its own config, search
index and PDFs (one build per version joined into one site is the way
MkDocs' maintainers advise; see README). All are built into a temporary
folder beside the target and moved into place only when every one has
succeeded, so a failed or interrupted build never leaves a half-written
``site/``.

    python scripts/build.py [-f mkdocs.yml] [-d site] [--only en]

``SITE_URL`` is the address of the whole site; each version gets its own
address under it.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.utils.yaml import yaml_load

log = logging.getLogger("mkdocs.samtal.build")


def versions(config_file: Path) -> list[dict[str, Any]]:
    """The versions of the guide, from the root config (the first is the root itself)."""
    with config_file.open(encoding="utf-8") as handle:
        data = yaml_load(handle)
    listed = ((data.get("extra") or {}).get("samtal") or {}).get("versions") or [{"id": "", "path": ""}]
    out = []
    for item in listed:
        config = config_file if not item.get("path") else (config_file.parent / item["config"]).resolve()
        out.append({"id": item.get("id", ""), "path": item.get("path", ""), "config": config})
    return out


def build_all(config_file: Path, site_dir: Path, *, site_url: str = "", only: str | None = None) -> dict[str, float]:
    """Build every version into ``site_dir`` (atomically); return seconds per version."""
    tmp = site_dir.parent / f".{site_dir.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    timings: dict[str, float] = {}
    try:
        for version in versions(config_file):
            if only and version["id"] != only:
                continue
            started = time.perf_counter()
            url = site_url.rstrip("/") + "/" + version["path"] if site_url else ""
            _build_one(version["config"], tmp / version["path"], url)
            timings[version["id"]] = round(time.perf_counter() - started, 2)
        old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
        if site_dir.exists():
            site_dir.rename(old)
        tmp.rename(site_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return timings


def _build_one(config_file: Path, site_dir: Path, site_url: str) -> None:
    saved = os.environ.get("SITE_URL")
    if site_url:
        os.environ["SITE_URL"] = site_url
    else:
        os.environ.pop("SITE_URL", None)
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        if saved is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    parser.add_argument("-d", "--site-dir", default="site", type=Path)
    parser.add_argument("--only", help="build only this version (its id)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    for noisy in ("weasyprint", "fontTools"):  # their progress lines; warnings still show
        logging.getLogger(noisy).setLevel(logging.WARNING)
    site_url = os.environ.get("SITE_URL", "")
    try:
        timings = build_all(args.config_file.resolve(), args.site_dir.resolve(), site_url=site_url, only=args.only)
    except (Abort, ConfigurationError, PluginError) as exc:
        log.error("%s", exc)
        log.error("Bygget avbröts. %s är orört.", args.site_dir)
        return 1
    for version, seconds in timings.items():
        log.info("Version %s byggd på %.1f s", version or "guiden", seconds)
    log.info("Hela webbplatsen finns i %s", args.site_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
