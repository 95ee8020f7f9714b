"""Lighthouse scores of the public pages on the demo data (mobile preset).

Loads the demo campus into a fresh SQLite database (as bench/pages_bench.py
does), serves it with gunicorn as `make demo` does, and runs Lighthouse (from
bench/lighthouse/, installed by `make lighthouse`) on each page in Debian's
Chromium, headless. Prints the four category scores of each page and keeps the
JSON and HTML reports in var/bench/lighthouse/.

    .venv/bin/python bench/lighthouse_bench.py
    .venv/bin/python bench/lighthouse_bench.py --preset desktop

Offline, the map's tile server cannot be reached: the map page may lose points
in best practices for the console errors of the missing tiles, which it would
not lose online.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from pages_bench import (  # noqa: E402
    BENCH_DIR,
    free_port,
    setup,
    start_gunicorn,
)

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = BENCH_DIR / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def lighthouse_pages() -> dict[str, str]:
    from campus.trainings.models import Offering

    offering = Offering.objects.published().order_by("pk").first()
    return {
        "home": "/",
        "catalogue": "/formations/",
        "map": "/carte/",
        "directory": "/annuaire/",
        "trades": "/metiers/",
        "training": f"/formations/{offering.pk}/",
        "agenda": "/agenda/",
        "news": "/actualites/",
    }


def run_lighthouse(name: str, url: str, preset: str) -> dict[str, float]:
    output = REPORTS / f"{name}-{preset}"
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
    subprocess.run(
        command,
        check=True,
        env={
            **os.environ,
            "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
        },
    )
    report = json.loads(Path(f"{output}.report.json").read_text())
    failed = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric"}
    ]
    scores = {key: report["categories"][key]["score"] for key in CATEGORIES}
    scores["audits below 1"] = failed
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse`.")
    setup("sqlite")
    REPORTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # The page cache as in production (60 s): Lighthouse's one load of each page
    # is the first, so each page it scores is built, not served from the cache.
    server = start_gunicorn("sqlite", port, cache_seconds=60)
    try:
        print(f"Lighthouse, preset {args.preset}, demo data on SQLite")
        print("| page | " + " | ".join(CATEGORIES) + " | audits below 1 |")
        print("|---|" + "---:|" * len(CATEGORIES) + "---|")
        for name, path in lighthouse_pages().items():
            scores = run_lighthouse(name, f"http://127.0.0.1:{port}{path}", args.preset)
            cells = " | ".join(f"{round(scores[key] * 100)}" for key in CATEGORIES)
            below = ", ".join(scores["audits below 1"]) or "—"
            print(f"| {name} `{path}` | {cells} | {below} |", flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
