"""Lighthouse scores of the public pages on the demo data (mobile preset).

Loads the demo campus into a fresh SQLite database (as bench/pages_bench.py
does), serves it with gunicorn as `make demo` does, and runs Lighthouse (from
bench/lighthouse/, installed by `make lighthouse`) on each page in Debian's
Chromium, headless. Prints the four category scores of each page and keeps the
JSON and HTML reports in var/bench/lighthouse/.

    .venv/bin/python bench/lighthouse_bench.py
    .venv/bin/python bench/lighthouse_bench.py --preset desktop
    .venv/bin/python bench/lighthouse_bench.py --pages home map --runs 3

Simulated throttling makes the performance score vary from run to run on a busy
machine: `--runs 3` measures each page three times and prints the median score
and the median of the metrics behind it (FCP, LCP, TBT, CLS, Speed Index). Each
run starts a fresh gunicorn, so that every load builds its page, as the first
does.

Offline, the map's tile server cannot be reached: the map page may lose points
in best practices for the console errors of the missing tiles, which it would
not lose online.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from pages_bench import (  # noqa: E402
    BENCH_DIR,
    DEMO_WORKERS,
    free_port,
    setup,
    start_gunicorn,
)

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = BENCH_DIR / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Metrics behind the performance score, in the unit the table prints.
METRICS = {
    "FCP s": ("first-contentful-paint", 1000),
    "LCP s": ("largest-contentful-paint", 1000),
    "TBT ms": ("total-blocking-time", 1),
    "CLS": ("cumulative-layout-shift", 1),
    "SI s": ("speed-index", 1000),
}
PAGE_NAMES = [
    "home",
    "catalogue",
    "map",
    "directory",
    "trades",
    "training",
    "agenda",
    "news",
]
# Lighthouse sometimes fails to record the trace of a load (NO_NAVSTART, seen with
# Debian's Chromium): such a run is tried again, up to this many times in all.
ATTEMPTS = 3
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def lighthouse_pages() -> dict[str, str]:
    from campus.trainings.models import Offering

    offering = Offering.objects.published().order_by("pk").first()
    paths = [
        "/",
        "/formations/",
        "/carte/",
        "/annuaire/",
        "/metiers/",
        f"/formations/{offering.pk}/",
        "/agenda/",
        "/actualites/",
    ]
    return dict(zip(PAGE_NAMES, paths, strict=True))


def warm_up(port: int) -> None:
    """Has each gunicorn worker serve a page that is not scored: a worker's first
    request imports the views and compiles the templates (3 to 4 s on a busy
    machine), which Lighthouse would otherwise count as the first scored page's
    server response, and the speed index with it."""
    url = f"http://127.0.0.1:{port}/mentions-legales/"
    with ThreadPoolExecutor(max_workers=4 * DEMO_WORKERS) as pool:
        for response in pool.map(urllib.request.urlopen, [url] * 8 * DEMO_WORKERS):
            response.read()


def read_report(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def run_lighthouse(name: str, url: str, preset: str, run: int) -> dict[str, float]:
    output = REPORTS / (f"{name}-{preset}" if run == 1 else f"{name}-{preset}-{run}")
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output=html",
        f"--output-path={output}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
    }
    for attempt in range(1, ATTEMPTS + 1):
        Path(f"{output}.report.json").unlink(missing_ok=True)
        finished = subprocess.run(command, env=env)
        report = read_report(Path(f"{output}.report.json"))
        error = report.get("runtimeError") if report else None
        if finished.returncode == 0 and report and not error:
            break
        if not error:
            # No report, or one without a Lighthouse error: not a flaky trace.
            finished.check_returncode()
            sys.exit(f"{name}: Lighthouse wrote no report at {output}.report.json")
        if attempt == ATTEMPTS:
            sys.exit(
                f"{name}: Lighthouse failed {ATTEMPTS} times, last: {error['code']}"
            )
        print(
            f"run {run}: {name}: Lighthouse failed ({error['code']}), "
            f"trying again ({attempt + 1} of {ATTEMPTS})",
            flush=True,
        )
    failed = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric"}
    ]
    scores = {key: report["categories"][key]["score"] for key in CATEGORIES}
    for label, (audit, unit) in METRICS.items():
        scores[label] = report["audits"][audit]["numericValue"] / unit
    scores["audits below 1"] = failed
    return scores


def median_scores(runs: list[dict]) -> dict:
    """Each score and metric's median over the runs; the audits below 1 in any."""
    keys = CATEGORIES + list(METRICS)
    scores = {key: statistics.median(run[key] for run in runs) for key in keys}
    scores["audits below 1"] = sorted(
        {audit for run in runs for audit in run["audits below 1"]}
    )
    return scores


def table_row(name: str, path: str, scores: dict) -> str:
    cells = [f"{round(scores[key] * 100)}" for key in CATEGORIES]
    cells += [
        f"{scores[label]:.0f}" if label == "TBT ms" else f"{scores[label]:.2f}"
        for label in METRICS
    ]
    below = ", ".join(scores["audits below 1"]) or "—"
    return f"| {name} `{path}` | " + " | ".join(cells) + f" | {below} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=PAGE_NAMES,
        metavar="PAGE",
        help=f"only these pages ({', '.join(PAGE_NAMES)}); all by default",
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="runs per page; the median is printed"
    )
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse`.")
    setup("sqlite")
    REPORTS.mkdir(parents=True, exist_ok=True)
    pages = lighthouse_pages()
    if args.pages:
        pages = {name: pages[name] for name in args.pages}
    results: dict[str, list[dict]] = {name: [] for name in pages}
    for run in range(1, args.runs + 1):
        port = free_port()
        # The page cache as in production (60 s): Lighthouse's one load of each page
        # in a run is the first, so each page it scores is built, not served from
        # the cache.
        server = start_gunicorn("sqlite", port, cache_seconds=60)
        try:
            warm_up(port)
            for name, path in pages.items():
                url = f"http://127.0.0.1:{port}{path}"
                results[name].append(run_lighthouse(name, url, args.preset, run))
                print(f"run {run}: {table_row(name, path, results[name][-1])}")
        finally:
            server.terminate()
            server.wait()
    print(
        f"\nLighthouse, preset {args.preset}, demo data on SQLite, "
        f"median of {args.runs} run(s)"
    )
    print("| page | " + " | ".join(CATEGORIES + list(METRICS)) + " | audits below 1 |")
    print("|---|" + "---:|" * (len(CATEGORIES) + len(METRICS)) + "---|")
    for name, path in pages.items():
        print(table_row(name, path, median_scores(results[name])), flush=True)


if __name__ == "__main__":
    main()
