"""Build-time benchmark of Samtalsguiden (run with `make bench`).

Prints medians of several runs, each a real `mkdocs build --strict` in a
temporary copy of the project (the real files are never touched):

- a full cold build (no PDF cache);
- a rebuild with nothing changed;
- a rebuild after editing one Markdown page;
- the same build with PDF output switched off (SAMTAL_PDF=off);
- milliseconds of CPU per PDF page and per worksheet PDF, and the PDFs' sizes
  (every PDF rendered in this process, without the pool, the best of a few
  rounds; see ``cpu_per_page``);
- cold builds of a generated bank 10 and 100 times the size of ours, to show
  that the cost grows linearly. The 100x bank has about 3,000 PDFs: rendering
  them takes far longer than the ten minutes the default run aims at on 2 cores,
  so by default it is built with PDF output off (the site itself) and its PDFs
  are rendered only with --full.

    .venv/bin/python bench/run.py                 # the default run (about 10 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick         # fewer repeats, 10x bank only
    .venv/bin/python bench/run.py --full          # also the 100x bank with PDFs (an hour or more)
    .venv/bin/python bench/run.py --write         # also write bench/results.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from project import copy_project  # noqa: E402
from rebuild import timed  # noqa: E402

EPOCH = "1767225600"  # a fixed source date: the copies are not git checkouts
PUBLIC_URL = "https://exempel.se/guide/"  # so the PDFs carry their QR codes, as a deployed site's do


@dataclass
class Run:
    seconds: float
    rendered: int | None
    reused: int | None


def cached_pdfs(project: Path) -> set[str]:
    """The PDFs in the project's PDF cache (a build adds one for each PDF it renders)."""
    return {p.name for p in (project / ".cache" / "pdf").glob("*.pdf")}


def build(project: Path, *, pdf: bool = True) -> Run:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH, "SITE_URL": PUBLIC_URL}
    env["SAMTAL_PDF"] = "on" if pdf else "off"
    before = cached_pdfs(project)
    seconds = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")], project, env)
    if not pdf:
        return Run(seconds, None, None)
    rendered = len(cached_pdfs(project) - before)
    total = len(list((project / "site" / "pdf").glob("*.pdf")))
    return Run(seconds, rendered, total - rendered)


def build_all(project: Path) -> Run:
    """All three versions into one site, as `make build` does (scripts/build.py)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH, "SITE_URL": PUBLIC_URL}
    seconds = timed([sys.executable, "scripts/build.py", "-f", "mkdocs.yml", "-d", str(project / "site-all")], project, env)
    return Run(seconds, None, None)


def clear_cache(project: Path) -> None:
    shutil.rmtree(project / ".cache", ignore_errors=True)


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def fmt(runs: list[Run]) -> str:
    seconds = ", ".join(f"{r.seconds:.2f}" for r in runs)
    pdf = ""
    if runs and runs[-1].rendered is not None:
        pdf = f"; PDF rendered/reused: {runs[-1].rendered}/{runs[-1].reused}"
    return f"{median(runs):6.2f} s  (runs: {seconds}{pdf})"


# --------------------------------------------------------------------------- CPU per page


def pdf_inputs(project: Path, cache_dir: Path) -> Any:
    """What the build hands the PDF engine, made here as the hook file makes it."""
    sys.path.insert(0, str(project / "hooks"))
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    import project as helpers

    return helpers.pdf_inputs(project, site_url=PUBLIC_URL, cache_dir=cache_dir)


def cpu_per_page(project: Path, rounds: int = 3) -> dict[str, Any]:
    """Render every PDF in this process, ``rounds`` times in turn, and keep each one's least CPU time.

    The least of a few rounds, taken in turn, is what the machine can do: on a
    shared machine a single run measures the neighbours as much as the PDFs.
    """
    inputs = pdf_inputs(project, project / ".cache" / "bench-pdf")
    from samtal import pdf, pdf_render

    start = time.process_time()
    documents = pdf.render_documents(inputs)
    html_ms = (time.process_time() - start) * 1000
    start = time.process_time()
    renderer = pdf_render.Renderer(pdf.STYLESHEET, pdf.FONTS)
    setup_ms = (time.process_time() - start) * 1000
    jobs = pdf.make_jobs(documents)
    best: dict[str, float] = {}
    pages: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for _ in range(rounds):
        for job in jobs:
            result = renderer.render(job)
            # A warning here (e.g. a QR image that did not load) means the figures are not for real PDFs.
            if result.warnings:
                raise SystemExit(f"PDF {job.doc_id}: {result.warnings}")
            best[job.doc_id] = min(best.get(job.doc_id, float("inf")), result.cpu_seconds)
            pages[job.doc_id] = result.pages
            sizes[job.doc_id] = len(result.pdf)
    sheets = [s.id for s in inputs.bank.sheets]
    booklet = next(doc_id for doc_id in documents if doc_id == "hela-samtalet")
    total_pages = sum(pages.values())
    total_cpu = sum(best.values())
    return {
        "documents": len(documents),
        "pages": total_pages,
        "cpu_ms": total_cpu * 1000,
        "ms_per_page": total_cpu * 1000 / total_pages,
        "median_document_ms_per_page": statistics.median(best[d] * 1000 / pages[d] for d in documents),
        "ms_per_worksheet_median": statistics.median(best[d] * 1000 for d in sheets),
        "ms_per_worksheet_max": max(best[d] * 1000 for d in sheets),
        "worksheet_pages_max": max(pages[d] for d in sheets),
        "largest_pdf_kb": max(size for d, size in sizes.items() if d != booklet) / 1024,
        "booklet_kb": sizes[booklet] / 1024,
        "booklet_pages": pages[booklet],
        "html_ms": html_ms,
        "stylesheet_and_fonts_ms": setup_ms,
    }


# --------------------------------------------------------------------------- bigger banks


class _NoAliases(yaml.SafeDumper):
    """Writes a value shared by copies in full each time: the bank loader refuses anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def scale_bank(project: Path, factor: int) -> dict[str, int]:
    """Make questions.yaml ``factor`` times as big: copies of every question, checklist,
    worksheet and set, with new ids. Each copied worksheet lists the copies of its own
    questions, so a worksheet keeps its size and only the number of things grows."""
    sys.path.insert(0, str(project / "hooks"))
    from samtal.bank import load_bank

    bank = load_bank(project / "questions.yaml").bank
    data = yaml.safe_load((project / "questions.yaml").read_text(encoding="utf-8"))
    questions, checklists, worksheets, sets = [], [], [], []
    for copy in range(factor):
        suffix = "" if copy == 0 else f"-x{copy}"
        for q in data["questions"]:
            questions.append({**q, "id": q["id"] + suffix})
        for c in data.get("checklists", []):
            checklists.append({**c, "id": c["id"] + suffix})
        for w in data.get("worksheets", []):
            resolved = bank.worksheet(w["id"])
            spec = {**w, "id": w["id"] + suffix, "questions": [q.id + suffix for q in resolved.questions]}
            if w.get("checklist"):
                spec["checklist"] = w["checklist"] + suffix
            worksheets.append(spec)
        for s in data.get("sets", []):
            sets.append({**s, "id": s["id"] + suffix, "questions": [qid + suffix for qid in s["questions"]]})
    data.update(questions=questions, checklists=checklists, worksheets=worksheets, sets=sets)
    (project / "questions.yaml").write_text(
        yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return {"questions": len(questions)}


# --------------------------------------------------------------------------- main


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    memory = ""
    try:
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    import weasyprint

    return (
        f"{cpu}, {cores} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; WeasyPrint {weasyprint.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--quick", action="store_true", help="3 runs each, 10x bank only, once")
    parser.add_argument("--full", action="store_true", help="also render the PDFs of the 100x bank")
    parser.add_argument("--write", action="store_true", help="also write bench/results.md")
    args = parser.parse_args()
    repeats = 3 if args.quick else args.repeats
    # factor -> (runs, with PDFs)
    scales = {10: (1, True)} if args.quick else {10: (1, True), 100: (1, args.full)}

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"Machine: {machine()}")
    say(f"Medians of {repeats} runs unless noted; wall-clock seconds of `mkdocs build --strict`.")
    say()
    with tempfile.TemporaryDirectory(prefix="samtal-bench-") as tmp:
        project = copy_project(Path(tmp) / "guide", pdf_cache=False)
        build(project)  # warm up the OS file cache and Python bytecode

        cold = []
        for _ in range(repeats):
            clear_cache(project)
            cold.append(build(project))
        say(f"Full cold build (no PDF cache):        {fmt(cold)}")

        warm = [build(project) for _ in range(repeats)]
        say(f"Rebuild, nothing changed:              {fmt(warm)}")

        page = project / "content" / "om.md"
        edited = []
        for n in range(repeats):
            page.write_text(page.read_text(encoding="utf-8") + f"\nÄndring nummer {n}.\n", encoding="utf-8")
            edited.append(build(project))
        say(f"Rebuild after editing one page:        {fmt(edited)}")

        off = [build(project, pdf=False) for _ in range(repeats)]
        say(f"Build with PDF output off:             {fmt(off)}")
        say(f"  nothing-changed rebuild / PDF-off build = {median(warm) / median(off):.2f}")

        all_cold = []
        for _ in range(repeats):
            clear_cache(project)  # the versions share the project's cache
            all_cold.append(build_all(project))
        say(f"All three versions (make build), cold: {fmt(all_cold)}")
        all_warm = [build_all(project) for _ in range(repeats)]
        say(f"All three versions, nothing changed:   {fmt(all_warm)}")

        from rebuild import measure

        ratio = measure(repeats)
        say(
            f"Rebuild against plain MkDocs + Material on the same {ratio['pages']:.0f} expanded pages: "
            f"{ratio['ours']:.2f} s / {ratio['plain']:.2f} s = {ratio['ratio']:.2f} (target: at most 1.2)"
        )

        cpu = cpu_per_page(project)
        say(
            f"CPU per PDF page:                      {cpu['ms_per_page']:6.1f} ms "
            f"({cpu['documents']} PDFs, {cpu['pages']} pages, {cpu['cpu_ms']:.0f} ms in all, "
            "the best of 3 rounds)"
        )
        say(f"  median of the PDFs' CPU per page:    {cpu['median_document_ms_per_page']:6.1f} ms (target: at most 50)")
        say(
            f"CPU per worksheet PDF:                 {cpu['ms_per_worksheet_median']:6.1f} ms median, "
            f"{cpu['ms_per_worksheet_max']:.1f} ms max; at most {cpu['worksheet_pages_max']} pages"
        )
        say(
            f"Sizes: largest worksheet, checklist or handout {cpu['largest_pdf_kb']:.0f} KB (target: at most 100); "
            f"booklet {cpu['booklet_kb']:.0f} KB, {cpu['booklet_pages']} pages (target: at most 200)"
        )
        say(
            f"HTML of every PDF: {cpu['html_ms']:.0f} ms CPU; "
            f"reading stylesheet and fonts (once per process): {cpu['stylesheet_and_fonts_ms']:.1f} ms CPU"
        )
        say()

        bases = {True: median(cold), False: median(off)}
        say("Bigger banks (cold builds; the factor is the bank's size):")
        say(f"    1x bank, with PDFs:    {bases[True]:.2f} s;  with PDF output off: {bases[False]:.2f} s")
        for factor, (runs_wanted, with_pdf) in scales.items():
            big = copy_project(Path(tmp) / f"guide-{factor}x", pdf_cache=False)
            size = scale_bank(big, factor)
            runs = []
            for _ in range(runs_wanted):
                clear_cache(big)
                runs.append(build(big, pdf=with_pdf))
            seconds = median(runs)
            kind = "with PDFs" if with_pdf else "PDF output off"
            say(
                f"  {factor:>3}x bank ({size['questions']} questions), {kind}: {fmt(runs)}; "
                f"{seconds / bases[with_pdf]:.1f} times the 1x build"
            )
            shutil.rmtree(big, ignore_errors=True)

    if args.write:
        out = ROOT / "bench" / "results.md"
        out.write_text(
            "# Benchmark results\n\nWritten by `bench/run.py --write`.\n\n```\n" + "\n".join(lines) + "\n```\n",
            encoding="utf-8",
        )
        print(f"\nWrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
