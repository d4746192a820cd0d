"""Shared fixtures: a real build of the site, served on 127.0.0.1, and Chromium.

The site is built once per session with ``mkdocs build --strict`` into a
temporary directory, exactly as ``make build`` does, and served by a small
HTTP server on a free port of 127.0.0.1. Browser tests drive Debian's
Chromium (``/usr/bin/chromium``) through Playwright; every request that would
leave 127.0.0.1 is blocked and fails the test that made it.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_site(
    dest: Path,
    *,
    root: Path = ROOT,
    config: str = "mkdocs.yml",
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` like ``make build`` does, into ``dest``."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(dest)],
        cwd=root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return result


def build_in_process(config_file: Path, site_dir: Path, *, env: dict[str, str] | None = None, **settings: object) -> None:
    """Build a config in this process (faster than a subprocess), strict, into ``site_dir``.

    ``env`` is set for the build only; ``settings`` override the config's own.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = {key: os.environ.get(key) for key in (env or {})}
    os.environ.update(env or {})
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True, **settings)  # type: ignore[arg-type]
        build(config)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    """A server on a free port of 127.0.0.1; `site` puts the built guide behind it."""
    srv = StaticServer(tmp_path_factory.mktemp("empty"))
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, server: StaticServer) -> Path:
    """The real site, every version (as `make build` makes it), built once for the session
    for the address it is served at.

    ``site_url`` must be that address: Material's instant navigation only takes
    over links within ``site_url``, and canonical and Open Graph URLs use it.
    """
    dest = tmp_path_factory.mktemp("site") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "SITE_URL": server.url}
    result = subprocess.run(
        [sys.executable, "scripts/build.py", "-f", "mkdocs.yml", "-d", str(dest)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    if result.returncode != 0:
        raise AssertionError(f"the build of every version failed:\n{result.stdout}\n{result.stderr}")
    server.directory = dest
    return dest


class StaticServer:
    """Serves a directory on 127.0.0.1; the served directory can be swapped."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        handler = functools.partial(_QuietHandler, server_root=self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: object, server_root: StaticServer, **kwargs: object) -> None:
        self._root = server_root
        super().__init__(*args, directory=str(server_root.directory), **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        self.directory = str(self._root.directory)
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> StaticServer:
    return StaticServer(directory)


@pytest.fixture(scope="session")
def base_url(server: StaticServer, site: Path) -> str:
    """The served site's address (the site is built before any page is opened)."""
    return server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class OffsiteRequests(list[str]):
    """URLs a page tried to fetch from anywhere but 127.0.0.1."""


@pytest.fixture
def offsite() -> OffsiteRequests:
    return OffsiteRequests()


@pytest.fixture
def context(browser: object, offsite: OffsiteRequests) -> Iterator[object]:
    """A fresh browser profile; requests to other hosts are blocked and recorded."""
    # The offline worker is blocked unless a test asks for it (offline tests do):
    # it would otherwise answer from its cache across the rebuilds some tests make.
    ctx = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}, service_workers="block")  # type: ignore[attr-defined]

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        parsed = urlparse(url)
        if parsed.scheme in {"data", "blob", "about"} or parsed.hostname == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            offsite.append(url)
            route.abort()  # type: ignore[attr-defined]

    ctx.route("**/*", guard)
    yield ctx
    cookies = ctx.cookies()
    ctx.close()
    assert not offsite, f"requests left 127.0.0.1: {offsite}"
    assert not cookies, f"the site set cookies: {cookies}"


@pytest.fixture
def page(context: object) -> Iterator[object]:
    pg = context.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.js_errors = errors
    yield pg
    pg.close()
