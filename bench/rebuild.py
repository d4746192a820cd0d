"""How much the generator adds to a rebuild: our build against plain MkDocs + Material.

The target (issue 10): a rebuild with nothing changed takes at most 1.2 times
what plain MkDocs + Material take to build the very same pages: every page
the guide has (the generated ones included) with its markers already expanded,
without our hooks and theme overrides. The pages are taken from a real build
(:func:`expanded_pages`), so both builds render the same Markdown.

Each measurement is a fresh process, like ``mkdocs build``; the numbers come
from :func:`measure`, not from log lines.

    .venv/bin/python bench/rebuild.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from project import copy_project  # noqa: E402

EPOCH = "1767225600"  # a fixed source date: copies are not git checkouts
DUMP_HOOK = """
import os
from pathlib import Path
from mkdocs.plugins import event_priority

@event_priority(-1000)
def on_page_markdown(markdown, *, page, config, files):
    out = Path(os.environ["SAMTAL_DUMP"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")
    return markdown
"""


def env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "SOURCE_DATE_EPOCH": EPOCH}


def timed(command: list[str], cwd: Path, environment: dict[str, str]) -> float:
    """Seconds of one command in a new process; a failing command stops the benchmark."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:])} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return seconds


def timed_build(project: Path, config: str) -> float:
    """Seconds of one `mkdocs build --strict` in a new process."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config, "-d", str(project / "site")]
    return timed(command, project, env())


def expanded_pages(project: Path) -> Path:
    """Every page of the guide as Markdown with its markers expanded, from a real build."""
    dump = project / "expanded"
    hook = project / "dump_hook.py"
    hook.write_text(DUMP_HOOK, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs-dump.yml").write_text(
        config.replace("hooks:\n  - hooks/guide.py", "hooks:\n  - hooks/guide.py\n  - dump_hook.py"), encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs-dump.yml", "-d", str(project / "site-dump")],
        cwd=project,
        env={**env(), "SAMTAL_DUMP": str(dump)},
        check=True,
        capture_output=True,
    )
    return dump


def plain_config(project: Path, docs: Path) -> str:
    """The guide's config without our hooks, theme overrides and settings, reading ``docs``."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"\nhooks:\n(  - .*\n)+", "\n", text)
    text = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", text)
    text = re.sub(r"\nextra_(css|javascript):\n(  - .*\n|    .*\n)+", "\n", text)
    text = re.sub(r"\n  samtal:\n(    .*\n|      .*\n)+", "\n", text)
    text = text.replace("  custom_dir: overrides\n", "")
    text = text.replace("    primary: custom\n    accent: custom\n", "")
    text = re.sub(r"^docs_dir: .*$", f"docs_dir: {docs}", text, flags=re.MULTILINE)
    (project / "mkdocs-plain.yml").write_text(text, encoding="utf-8")
    return "mkdocs-plain.yml"


def measure(repeats: int = 7) -> dict[str, float]:
    """Median seconds of our nothing-changed rebuild and of plain MkDocs on the same pages, and their ratio."""
    with tempfile.TemporaryDirectory(prefix="samtal-rebuild-") as tmp:
        project = copy_project(Path(tmp) / "guide", pdf_cache=False)
        docs = expanded_pages(project)
        plain = plain_config(project, docs)
        timed_build(project, "mkdocs.yml")  # fills the caches: the rebuilds below change nothing
        timed_build(project, plain)
        ours, theirs = [], []
        for _ in range(repeats):  # interleaved, so a busy moment hits both alike
            ours.append(timed_build(project, "mkdocs.yml"))
            theirs.append(timed_build(project, plain))
        return {
            "ours": statistics.median(ours),
            "plain": statistics.median(theirs),
            "ratio": statistics.median(ours) / statistics.median(theirs),
            "pages": float(sum(1 for _ in docs.rglob("*.md"))),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    result = measure(args.repeats)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
