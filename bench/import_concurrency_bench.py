"""Logins and a partner's edit against a real server, with and without a Sirene import.

On SQLite (the embedded default) one writer holds the lock at a time: this
measures what a large import does to the site's writes. It prepares a SQLite
file under var/bench/concurrency/ (migrations, shipped communes, sector and
campus profiles, one partner editing one organisation), generates a
StockEtablissement file (`sirene_bench.generate`), collects the static files,
starts gunicorn with 2
workers on 127.0.0.1 as `make demo` does, then times, one after the other:
- a login: POST /connexion/ (session created, last_login written), 302 expected;
- a partner's edit: POST of the organisation's form with a new description
  (the row and its history written), 302 expected;
by --visitors clients at once (threads, each in its own session), first for
--baseline seconds with no import, then while `manage.py import_data sirene FILE`
runs in another process; --repeat times, each on a fresh database (so that each
import creates every company). Each phase reports the count, failures (any other
status, such as the 500 of « database is locked »), median, p95, p99 and max of
the POST in seconds, over all the repeats.

--code runs the server and the import from another checkout (for instance
`git archive main | tar -x -C /tmp/campus-main`) to measure the code before a
change with the same client and data.

Usage: python bench/import_concurrency_bench.py [--rows 5000000] [--baseline 20]
       [--visitors 4] [--repeat 3] [--code PATH]
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from common import free_port  # noqa: E402
from sirene_bench import BENCH_DIR, FILE_VERSION, SECTOR_NAF, generate  # noqa: E402

WORK = BENCH_DIR / "concurrency"
EMAIL, PASSWORD = "camille@atelier.fr", "banc-d-essai-2026"
SETUP = f"""
from campus.accounts.models import User
from campus.network.models import Membership, MemberRole, Organisation
from campus.places.models import Commune, Departement, Region
from campus.profiles.models import CampusProfile, SectorProfile

region = Region.objects.get(code="27")
campus = CampusProfile(name="Campus du banc d'essai", region=region)
campus.save()
campus.departements.set(Departement.objects.filter(region=region))
SectorProfile(name="Maroquinerie", naf_codes="{", ".join(SECTOR_NAF)}").save()
user = User.objects.create_user(email="{EMAIL}", password="{PASSWORD}")
organisation = Organisation.objects.create(
    name="Atelier du banc d'essai",
    kind="company",
    commune=Commune.objects.get(insee_code="21231"),
)
Membership.objects.create(user=user, organisation=organisation, role=MemberRole.EDITOR)
print(organisation.pk)
"""


def environment() -> dict:
    return {
        **os.environ,
        "CAMPUS_DEMO": "1",
        "CAMPUS_VAR_DIR": str(WORK / "var"),
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }


def manage(code: Path, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=code,
        env=environment(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def prepare(code: Path) -> int:
    """A fresh database; returns the partner's organisation."""
    for path in (WORK / "var").glob("campus.sqlite3*"):
        path.unlink()
    manage(code, "migrate", "--no-input")
    manage(code, "collectstatic", "--no-input", "-v", "0")
    manage(code, "load_communes")
    return int(manage(code, "shell", "-c", SETUP).strip().splitlines()[-1])


def start_server(code: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "campus.wsgi", "-w", "2"]
        + ["-b", f"127.0.0.1:{port}", "--timeout", "120"],
        cwd=code,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/connexion/", timeout=10)
            return server
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def form_fields(html: str) -> dict:
    """The values of a form's inputs, textareas and selects, as a browser sends them."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else "text"
        if not name or kind in {"submit", "file", "button"}:
            continue
        if kind == "checkbox" and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
        if kind == "checkbox" and not value:
            fields[name.group(1)] = "on"
    for name, value in re.findall(
        r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S
    ):
        fields[name] = value
    for name, options in re.findall(
        r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def unescape(value: str) -> str:
    return (
        value.replace("&#x27;", "'")
        .replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


class Visitor:
    def __init__(self, base: str, organisation: int):
        self.base, self.organisation = base, organisation
        self.edits = 0

    def login(self) -> tuple[float, bool]:
        session = requests.Session()
        page = session.get(f"{self.base}/connexion/", timeout=60)
        token = form_fields(page.text)["csrfmiddlewaretoken"]
        start = time.perf_counter()
        response = session.post(
            f"{self.base}/connexion/",
            {"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.base}/connexion/"},
            allow_redirects=False,
            timeout=60,
        )
        self.session = session
        return time.perf_counter() - start, response.status_code == 302

    def edit(self) -> tuple[float, bool]:
        url = f"{self.base}/espace/organisations/{self.organisation}/"
        page = self.session.get(url, timeout=60)
        fields = {
            name: unescape(value) for name, value in form_fields(page.text).items()
        }
        self.edits += 1
        fields["description"] = f"Fiche modifiée pendant le banc d'essai ({self.edits})"
        start = time.perf_counter()
        response = self.session.post(
            url, fields, headers={"Referer": url}, allow_redirects=False, timeout=60
        )
        return time.perf_counter() - start, response.status_code == 302


def measure(visitors: list[Visitor], until) -> dict:
    """Each visitor logs in and edits in turn, in its own thread, until `until()`."""
    timings = {"login": [], "edit": []}
    failures = {"login": 0, "edit": 0}

    def visit(visitor: Visitor) -> None:
        while not until():
            for action in ("login", "edit"):
                seconds, ok = getattr(visitor, action)()
                timings[action].append(seconds)
                failures[action] += not ok

    threads = [threading.Thread(target=visit, args=[v]) for v in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "failures": failures}


def merged(results: list[dict]) -> dict:
    return {
        action: summary(
            [t for result in results for t in result["timings"][action]],
            sum(result["failures"][action] for result in results),
        )
        for action in ("login", "edit")
    }


def summary(values: list[float], failures: int) -> dict:
    ordered = sorted(values)

    def percentile(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {
        "count": len(values),
        "failures": failures,
        "median": statistics.median(values),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "max": ordered[-1],
    }


def cycle(code: Path, stock: Path, options) -> tuple[dict, dict, float, list]:
    """A fresh database and server; the requests without, then with, an import."""
    organisation = prepare(code)
    port = free_port()
    server = start_server(code, port)
    try:
        visitors = [
            Visitor(f"http://127.0.0.1:{port}", organisation)
            for _ in range(options.visitors)
        ]
        for visitor in visitors:
            visitor.login()
        end = time.monotonic() + options.baseline
        baseline = measure(visitors, lambda: time.monotonic() > end)
        started = time.monotonic()
        importer = subprocess.Popen(
            [sys.executable, "manage.py", "import_data", "sirene", str(stock)]
            + ["--no-progress"],
            cwd=code,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        during = measure(visitors, lambda: importer.poll() is not None)
        seconds = time.monotonic() - started
        output = importer.stdout.read().strip().splitlines()
        if importer.returncode:
            raise RuntimeError("\n".join(output))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    return baseline, during, seconds, output


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--baseline", type=float, default=20.0, help="Seconds.")
    parser.add_argument("--code", type=Path, default=ROOT, help="Checkout to run.")
    parser.add_argument("--visitors", type=int, default=2, help="Concurrent clients.")
    parser.add_argument("--repeat", type=int, default=3, help="Imports, each fresh.")
    options = parser.parse_args()
    code = options.code.resolve()
    stock = BENCH_DIR / f"StockEtablissement-{options.rows}-v{FILE_VERSION}.csv"
    if not stock.exists():
        print(f"Generating {stock.name}…", file=sys.stderr)
        generate(stock, options.rows)
    load_before = os.getloadavg()[0]
    baselines, durings, imports = [], [], []
    for _ in range(options.repeat):
        baseline, during, seconds, output = cycle(code, stock, options)
        baselines.append(baseline)
        durings.append(during)
        imports.append(seconds)
    print(f"Code: {code}; {options.rows:,} rows ({stock.stat().st_size // 2**20} MB).")
    print(
        f"{options.repeat} imports of {', '.join(f'{s:.1f}' for s in imports)} s, "
        f"{options.visitors} visitors; last import: {output[-2:]}"
    )
    print(
        f"Load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after."
    )
    print("| phase | request | count | failures | median | p95 | p99 | max |")
    print("|---|---|---|---|---|---|---|---|")
    for phase, results in (("no import", baselines), ("during the import", durings)):
        for action, figures in merged(results).items():
            print(
                f"| {phase} | {action} | {figures['count']} | {figures['failures']} | "
                + " | ".join(
                    f"{figures[key]:.3f}" for key in ("median", "p95", "p99", "max")
                )
                + " |"
            )


if __name__ == "__main__":
    main()
