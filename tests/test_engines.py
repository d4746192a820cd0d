"""The guide on another engine: ProperDocs, the maintained fork of MkDocs 1.x, builds the same site.

Material reaches end of life on 5 May 2027 and MkDocs 1.6 gets no more releases;
ProperDocs continues MkDocs 1.x. Building the guide with both and comparing what
they write shows the hook file and engine depend on nothing that only MkDocs has.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent


def build(tool: str, dest: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "SITE_URL": "https://exempel.se/guide/"}
    result = subprocess.run(
        [str(BIN / tool), "build", "--strict", "-f", "mkdocs.yml", "-d", str(dest)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{tool} build failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    mkdocs, properdocs = tmp_path_factory.mktemp("mkdocs"), tmp_path_factory.mktemp("properdocs")
    build("mkdocs", mkdocs)
    build("properdocs", properdocs)
    return mkdocs, properdocs


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_both_engines_write_the_same_files(both: tuple[Path, Path]) -> None:
    mkdocs, properdocs = both
    assert files(mkdocs) == files(properdocs)
    assert any(name.endswith(".pdf") for name in files(mkdocs))


def test_pages_questions_sheets_and_pdfs_are_the_same(both: tuple[Path, Path]) -> None:
    mkdocs, properdocs = both
    different = []
    for name in sorted(files(mkdocs)):
        a, b = (mkdocs / name).read_bytes(), (properdocs / name).read_bytes()
        if name.endswith(".gz"):
            a, b = gzip.decompress(a), gzip.decompress(b)
        if a != b:
            different.append(name)
    assert not different, different[:20]
