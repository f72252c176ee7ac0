"""`make bench`: every scenario at scale against its floor, measured in the same run.

    python bench/run.py           # full scale; budgets judged; exit 1 when one is missed
    python bench/run.py --smoke   # small scale, one or two runs each: every scenario runs, timings not judged
    python bench/run.py --only scans,reports   # some scenarios (names as in SCENARIOS)

Prints one table and writes it as JSON to bench/results/<time>.json and, for the
whole suite, bench/results/latest.json (smoke-<time>.json and smoke-latest.json
for a smoke run). Budgets: bench/budgets.toml. Not part of the test suite: speed is measured here.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
import tomllib
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from harness import median, p99, time_to_screen, wall  # noqa: E402
from stores import CACHE, FULL, SMOKE, Scale, empty_store, large_store, sample_store  # noqa: E402

RESULTS = ROOT / "results"
PYTHON = sys.executable
POS = str(Path(sys.executable).parent / "pos")
STATS = {"median": median, "p99": p99, "max": max}


@dataclass(frozen=True)
class Config:
    scale: Scale
    help_runs: int = 41
    start_runs: int = 11
    scans: int = 150
    burst: int = 300
    burst_runs: int = 3
    hot_runs: int = 300  # till_paths: scans; a third of it searches and commits
    screen_runs: int = 5
    filter_rounds: int = 15
    report_runs: int = 3
    import_runs: int = 2
    maint_runs: int = 2
    reorder_runs: int = 7
    reorder_per_day: int = 200
    lane_sales: int = 500  # per lane, four lanes on PostgreSQL


FULL_RUN = Config(FULL)
SMOKE_RUN = Config(SMOKE, help_runs=2, start_runs=1, scans=5, burst=20, burst_runs=1, hot_runs=30, screen_runs=1,
                   filter_rounds=1, report_runs=1, import_runs=1, maint_runs=1, reorder_runs=1, reorder_per_day=10, lane_sales=20)


@dataclass
class Measured:
    """One scenario's runs and its floor's, judged by budgets.toml[budget]."""

    scenario: str
    budget: str
    times: list[float]
    floor: list[float]
    unit: str = "s"  # or "MiB"
    note: str = ""


@dataclass
class Row:
    scenario: str
    unit: str
    runs: int
    median: float
    p99: float
    floor: float | None
    ratio: float | None
    budget: str
    result: str  # pass, FAIL, ran (smoke), ERROR
    note: str = ""
    raw: dict = field(default_factory=dict)


def env_for(home: Path | None = None) -> dict[str, str]:
    # Without PYTHONDONTWRITEBYTECODE: an installed pos-tui has its bytecode compiled (pip does it), so
    # the warm-up runs write the .pyc files a shop's machine has, instead of every run compiling the source.
    env = {k: v for k, v in os.environ.items() if k not in ("POS_DB", "POS_HOME", "PYTHONDONTWRITEBYTECODE")}
    env["TERM"] = "xterm-256color"
    if home is not None:
        env["POS_HOME"] = str(home)
    return env


# -- scenarios: each returns Measured rows ------------------------------------------------------------------

def cli_help(cfg: Config, store: Path) -> list[Measured]:
    env = env_for()
    wall([POS, "--help"], env)  # warm the page cache and .pyc files
    floor, times = [], []
    for _ in range(cfg.help_runs):  # interleaved, so machine noise hits both alike
        floor.append(wall([PYTHON, "-c", "pass"], env).seconds)
        times.append(wall([POS, "--help"], env).seconds)
    return [Measured("pos --help", "cli_help", times, floor, note="floor: python -c pass")]


def till_start(cfg: Config, store: Path) -> list[Measured]:
    """Cold start to the login screen and peak RSS, with the sample shop and with the large store."""
    marker = b"Password or PIN"
    bare_cmd = [PYTHON, str(ROOT / "bare_login_app.py")]
    out = []
    for label, home in (("sample shop", sample_store()), (f"{cfg.scale.name} store", store)):
        env = env_for(home)
        time_to_screen([POS, "run"], marker, env)  # warm-up
        time_to_screen(bare_cmd, marker, env)
        till, bare = [], []
        for _ in range(cfg.start_runs):  # interleaved, so machine noise hits both alike
            bare.append(time_to_screen(bare_cmd, marker, env))
            till.append(time_to_screen([POS, "run"], marker, env))
        note = "floor: bare Textual app with the login's widgets"
        out.append(Measured(f"till start to login ({label})", "till_start", [s.seconds for s in till],
                            [s.seconds for s in bare], note=note))
        out.append(Measured(f"till peak RSS ({label})", "till_rss", [s.max_rss_kb / 1024 for s in till],
                            [s.max_rss_kb / 1024 for s in bare], unit="MiB", note=note))
    return out


def scans(cfg: Config, store: Path) -> list[Measured]:
    import scan_screen

    times, refused, lookup = scan_screen.measure(POS, store, env_for(), scans=cfg.scans)
    burst, burst_floor = scan_screen.burst(POS, store, env_for(), scans=cfg.burst, runs=cfg.burst_runs)
    return [
        Measured("scan to line on screen (pty)", "scan_to_line", times, lookup,
                 note=f"floor: raw indexed lookup; a refused code's round trip p99 {p99(refused) * 1000:.1f} ms"),
        Measured(f"burst of {cfg.burst} scans, all correct", "scan_burst", burst, burst_floor,
                 note="until the total of all is drawn; floor: the same raw lookups"),
    ]


def till_paths(cfg: Config, store: Path) -> list[Measured]:
    import till_paths

    found = till_paths.measure(store, runs=cfg.hot_runs)
    return [
        Measured("sale commit, 5 lines 2 tenders", "sale_commit", *found["commit"],
                 note="floor: raw sqlite3, same writes, one transaction, same pragmas"),
        Measured("product search", "search", *found["search"], note="floor: raw LIKE, same LIMIT"),
    ]


def products_screen(cfg: Config, store: Path) -> list[Measured]:
    import products_screen

    opened, menu = products_screen.open_and_end(POS, store, env_for(), runs=cfg.screen_runs)
    typed, like = products_screen.filter_by_text(store, rounds=cfg.filter_rounds)
    return [
        Measured("products screen open + End (pty)", "products_open_end", opened, menu, note="floor: F12 menu drawn"),
        Measured("products filter by text", "products_filter", typed, like, note="floor: raw LIKE, same LIMIT"),
    ]


def reports(cfg: Config, store: Path) -> list[Measured]:
    import reports

    return [Measured(f"report {family} ({span})", f"report_{span}", times, floor,
                     note=f"slowest: {slowest or family}; floor: one hand-written SQL aggregate")
            for (family, span), (times, floor, slowest) in reports.measure(store, runs=cfg.report_runs).items()]


def catalogue(cfg: Config, store: Path) -> list[Measured]:
    import catalogue

    n = cfg.scale.products
    names = {"fresh": f"import {n:,} (new store)", "unchanged": f"import {n:,} (unchanged)",
             "prices": f"import {n:,} (new prices)", "export": f"export {n:,}"}
    found = catalogue.measure(POS, env_for, CACHE, products=n, runs=cfg.import_runs)
    return [Measured(names[key], "export" if key == "export" else "import", times, floor,
                     note=f"CPU {median(cpu):.2f} s; floor: csv + one executemany")
            for key, (times, cpu, floor) in found.items()]


def maintenance(cfg: Config, store: Path) -> list[Measured]:
    import maintenance

    found = maintenance.measure(POS, store, env_for(), runs=cfg.maint_runs)
    return [
        Measured("pos db backup", "backup", *found["backup"], note="floor: sqlite3 backup + integrity_check"),
        Measured("pos db check", "db_check", *found["check"], note="floor: integrity + foreign key checks"),
    ]


def purchasing(cfg: Config, store: Path) -> list[Measured]:
    import reorder

    found = reorder.measure(store, runs=cfg.reorder_runs, per_day=cfg.reorder_per_day)
    return [Measured(f"reorder {name}", f"reorder_{name}", times, []) for name, times in found.items()]


def lanes(cfg: Config, store: Path) -> list[Measured]:
    """Four lane processes selling at once on one PostgreSQL store; the floor is one SQLite lane
    selling a quarter as many. Lost stock or a repeated receipt number is an error, not a slow run."""
    from pg_lanes import LANES, measure

    found = measure(cfg.lane_sales)
    if "skipped" in found:
        print(f"lanes on PostgreSQL: skipped ({found['skipped']})", file=sys.stderr)
        return []
    if found["problems"]:
        raise AssertionError("; ".join(found["problems"]))
    note = f"{found['pg_rate']:.0f} sales/s over {len(LANES)} lanes; 1 lane on SQLite {found['sqlite_rate']:.0f} sales/s"
    return [Measured(f"{len(LANES)} lanes x {cfg.lane_sales} sales (pg)", "pg_lanes", [found["pg_s"]],
                     [found["sqlite_s"]], note=note)]


SCENARIOS = (cli_help, till_start, scans, till_paths, products_screen, reports, catalogue, maintenance, purchasing,
             lanes)


# -- judging and the table ----------------------------------------------------------------------------------

def judge(m: Measured, budgets: dict, smoke: bool) -> Row:
    budget = budgets[m.budget]
    stat = STATS[budget["stat"]]
    value = stat(m.times)
    floor = stat(m.floor) if m.floor else None
    ratio = value / floor if floor else None
    if "ratio" in budget:
        text, ok = f"{budget['stat']} <= {budget['ratio']}x", ratio is not None and ratio <= budget["ratio"]
    else:
        limit = budget.get("seconds", budget.get("mib"))
        shown = f"{limit * 1000:g} ms" if "seconds" in budget else f"{limit:g} MiB"
        text, ok = f"{budget['stat']} <= {shown}", value <= limit
    result = "ran" if smoke else ("pass" if ok else "FAIL")
    return Row(m.scenario, m.unit, len(m.times), median(m.times), p99(m.times), floor, ratio, text, result, m.note,
               {"times": m.times, "floor": m.floor, "judged": budget["stat"]})


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f}" if unit == "s" else f"{value:.1f}"


def print_table(rows: list[Row]) -> None:
    print(f"{'scenario':<38} {'median':>9} {'p99':>9} {'floor':>9} {'ratio':>6}  {'budget':<18} result")
    for r in rows:
        unit = "ms" if r.unit == "s" else r.unit
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        print(f"{r.scenario:<38} {_shown(r.median, r.unit):>9} {_shown(r.p99, r.unit):>9} "
              f"{_shown(r.floor, r.unit):>9} {ratio:>6}  {r.budget:<18} {r.result}"
              + ("" if unit == "ms" else f" ({unit})"))
    print("figures in ms unless marked; floor is the floor's figure of the judged kind (median, p99 or max)")


def machine() -> dict[str, str | int]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count() or 0, "cpu": cpu, "python": platform.python_version(), "system": platform.platform()}


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    cfg = SMOKE_RUN if smoke else FULL_RUN
    budgets = tomllib.loads((ROOT / "budgets.toml").read_text())
    started = time.time()
    store = large_store(cfg.scale)
    empty_store()
    shown = store.relative_to(ROOT.parent) if store.is_relative_to(ROOT.parent) else store  # $POS_BENCH_CACHE
    print(f"store: {shown} ({time.time() - started:.0f} s to find or build)", flush=True)
    only = argv[argv.index("--only") + 1].split(",") if "--only" in argv else [s.__name__ for s in SCENARIOS]
    rows: list[Row] = []
    for scenario in [s for s in SCENARIOS if s.__name__ in only]:
        began = time.perf_counter()
        try:
            rows += [judge(m, budgets, smoke) for m in scenario(cfg, store)]
        except Exception as exc:  # one broken scenario is reported; the others still run
            traceback.print_exc()
            rows.append(Row(scenario.__name__, "s", 0, 0.0, 0.0, None, None, "-", "ERROR",
                            f"{type(exc).__name__}: {exc}"))
        print(f"  {scenario.__name__}: {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    print_table(rows)
    RESULTS.mkdir(exist_ok=True)
    prefix = "smoke-" if smoke else ""
    report = {"only": only if "--only" in argv else None,
              "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)), "scale": asdict(cfg.scale),
              "smoke": smoke, "seconds": round(time.time() - started), "machine": machine(),
              "rows": [asdict(r) for r in rows]}
    out = RESULTS / f"{prefix}{time.strftime('%Y%m%dT%H%M%S', time.gmtime(started))}.json"
    text = json.dumps(report, indent=1) + "\n"
    out.write_text(text)
    if "--only" not in argv:  # latest.json is always a whole suite's
        (RESULTS / f"{prefix}latest.json").write_text(text)
    print(f"written to {out.relative_to(ROOT.parent)} ({report['seconds']} s in all)")
    return 0 if all(r.result in ("pass", "ran") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
