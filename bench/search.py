"""Search benchmark: public lookups against 1,000,000 subjects and 3,000,000 records, served by gunicorn.

    python bench/search.py                                   # the requirement: both databases, full size
    python bench/search.py --records 150000 --databases sqlite   # a quick look while developing
    python bench/search.py --reuse                           # measure again without reloading

For each database (SQLite in WAL mode under bench/out/search/sqlite/, PostgreSQL `bench_search`):

1. migrate, then `manage.py demo_data --scale RECORDS --publish`: the demo generator's bulk load (one
   subject per three records) and the whole-batch approval of every submitted record by the demo
   reviewers (`demo.review.review_all`: published, shared only or expired by the rules), then ANALYZE;
   each step timed. `--reuse` skips this when the database already holds that load;
2. gunicorn (2 gthread workers, production settings with bench secrets, DEBUG off, rate limit
   lifted) on 127.0.0.1 and a free port;
3. samples with a fixed seed: published subjects (USCC, slug) and name queries of 2–6 characters cut
   from their names (common n-grams, random substrings, substrings found once in the sample);
4. warm-up, then one client on one keep-alive connection (http.client), request after request:
   p50/p95/p99 of the code lookup (API and portal), the name search and the subject page;
5. requests/s of the subject page and of `/healthz` (no database), with a few client threads each
   on its own connection: the ratio page ÷ healthz.

Figures are printed as a table and written to bench/out/search-<timestamp>.json. Not part of the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_client import Server, latency_run, summarise, throughput_run

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WORK = OUT / "search"
MANAGE = ROOT / "manage.py"
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "bench_search"
DATABASES = ("sqlite", "postgresql")
DEFAULT_RECORDS = 3_000_000
RECORDS_PER_SUBJECT = 3  # the demo generator's scale mode: ⌈records / 3⌉ subjects

TARGET_MS = {"code": 10.0, "name": 50.0, "page": 50.0}
TARGET_RATIO = 0.5

# Bench-only secrets (production settings refuse to start without them). Loader and server share them.
BENCH_ENV = {
    "XINYONG_SECRET_KEY": "bench-search-only-secret-key-not-for-any-real-installation-0123456789",
    "XINYONG_PII_HMAC_KEY": "bench-search-only-pii-hmac-key",
    "XINYONG_PII_ENCRYPTION_KEYS": "YmVuY2gtc2VhcmNoLW9ubHktZmVybmV0LWtleS0zMmI=",
    "XINYONG_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "XINYONG_SSL_REDIRECT": "0",
    "XINYONG_SEARCH_RATE_LIMIT": "1000000/60",
    "XINYONG_DEBUG": "0",
    "PYTHONUNBUFFERED": "1",
    "TQDM_MININTERVAL": "15",
}


def say(database: str, message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {database}: {message}", file=sys.stderr, flush=True)


# --- databases and environments ---------------------------------------------------------------------


def var_dir(database: str) -> Path:
    return WORK / database


def environment(database: str, settings: str = "config.settings.local") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINYONG_") and k != "DATABASE_URL"}
    env.update(BENCH_ENV, DJANGO_SETTINGS_MODULE=settings, XINYONG_VAR_DIR=str(var_dir(database)))
    env["XINYONG_STATIC_ROOT"] = str(WORK / "static")
    # BENCH_CACHE_URL=redis://127.0.0.1:6379/15 makes the workers share one cache (rendered subject pages,
    # rate-limit counters) as production would; by default each worker has its own in-memory cache
    env["XINYONG_CACHE_URL"] = os.environ.get("BENCH_CACHE_URL", "")
    if database == "postgresql":
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir(database) / 'xinyong.sqlite3'}"
    return env


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql.encode())  # our own constant database name, not user input


def fresh_database(database: str) -> None:
    shutil.rmtree(var_dir(database), ignore_errors=True)
    var_dir(database).mkdir(parents=True)
    if database == "postgresql":
        pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{PG_NAME}"')


def run(command: list[str], env: dict[str, str], what: str, *, show_progress: bool = False) -> tuple[str, float]:
    """Run to completion; returns (stdout, wall seconds). Progress bars (stderr) pass through if asked."""
    started = time.perf_counter()
    stderr = None if show_progress else subprocess.PIPE
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{what} failed (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr or ''}")
    return result.stdout, time.perf_counter() - started


def internal(task: str, *args: str) -> list[str]:
    return [PYTHON, str(Path(__file__).resolve()), "_internal", task, *args]


def last_json(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            result: dict[str, Any] = json.loads(line)
            return result
    raise ValueError(f"no JSON line in output:\n{text[-2000:]}")


# --- loading ------------------------------------------------------------------------------------------


def load(database: str, records: int, *, reuse: bool) -> dict[str, Any]:
    """The loaded database's facts and load timings: from the marker file when reused."""
    env = environment(database)
    marker = var_dir(database) / "loaded.json"
    if reuse and marker.exists():
        loaded = json.loads(marker.read_text())
        facts = last_json(run(internal("facts"), env, "facts")[0])
        if loaded.get("records_requested") == records and facts["records"] == loaded["facts"]["records"]:
            say(database, f"reusing the load of {loaded['finished']}")
            return loaded | {"reused": True, "facts": facts}
        say(database, "--reuse: the database does not hold this load; loading it again")
    fresh_database(database)
    say(database, "migrate")
    _, migrate_seconds = run([PYTHON, str(MANAGE), "migrate", "--skip-checks", "-v", "0"], env, "migrate")
    say(database, f"demo_data --scale {records:,} --publish (progress every 15 s)")
    command = [PYTHON, str(MANAGE), "demo_data", "--skip-checks", "--scale", str(records), "--publish"]
    output, load_seconds = run(command, env, "demo_data", show_progress=True)
    say(database, "ANALYZE")
    _, analyze_seconds = run(internal("analyze"), env, "analyze")
    facts = last_json(run(internal("facts"), env, "facts")[0])
    loaded = {
        "records_requested": records,
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "seconds": {
            "migrate": round(migrate_seconds, 1),
            "demo_data_total": round(load_seconds, 1),
            "generate_and_insert": _seconds_after(output, "用时"),
            "publish": _seconds_after(output, "整批审核完成.*?用时"),
            "analyze": round(analyze_seconds, 1),
        },
        "demo_data_output": output.strip(),
        "facts": facts,
    }
    marker.write_text(json.dumps(loaded, ensure_ascii=False, indent=2))
    say(database, f"loaded in {load_seconds:,.0f} s: {json.dumps(loaded['seconds'])}")
    return loaded | {"reused": False}


def _seconds_after(output: str, label: str) -> float | None:
    found = re.search(label + r" ([0-9.]+) 秒", output)
    return float(found.group(1)) if found else None


# --- one database ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bench_database(database: str, args: argparse.Namespace) -> dict[str, Any]:
    loaded = load(database, args.records, reuse=args.reuse)
    env = environment(database, "config.settings.production")
    run([PYTHON, str(MANAGE), "collectstatic", "--noinput", "-v", "0"], env, "collectstatic")
    samples = last_json(run(internal("samples", str(args.seed), str(args.requests)), env, "samples")[0])
    result: dict[str, Any] = {"database": database, "load": loaded, "samples": _sample_counts(samples)}
    with Server(env, ROOT, free_port(), workers=args.workers, threads=args.threads) as server:
        say(database, f"gunicorn on 127.0.0.1:{server.port}; warm-up")
        paths = _paths(samples)
        for kind_paths in paths.values():
            latency_run(server.port, kind_paths[: args.warmup])
        result["load_average_before"] = os.getloadavg()
        result["latency"] = {}
        for kind, kind_paths in paths.items():
            say(database, f"latency: {kind} ({len(kind_paths[args.warmup :])} requests)")
            result["latency"][kind] = summarise(latency_run(server.port, kind_paths[args.warmup :]))
        result["latency"].update(_name_by_class(result["latency"]["name"], samples))
        say(database, f"throughput: {args.threads_client} client threads, {args.seconds} s each")
        healthz = throughput_run(server.port, ["/healthz"], args.threads_client, args.seconds)
        page = throughput_run(server.port, paths["page"], args.threads_client, args.seconds)
        result["throughput"] = {"healthz": healthz, "page": page, "ratio": page["rps"] / healthz["rps"]}
        result["load_average_after"] = os.getloadavg()
        result["server_errors"] = server.errors()
    result["checks"] = checks(result)
    return result


def _paths(samples: dict[str, Any]) -> dict[str, list[str]]:
    from urllib.parse import quote

    return {
        "code_api": [f"/api/v1/public/subjects/{code}" for code in samples["uscc"]],
        "code_portal": [f"/search/?q={code}" for code in samples["uscc"]],
        "name": [f"/search/?q={quote(q['q'])}" for q in samples["names"]],
        "page": [f"/subjects/{slug}/" for slug in samples["slugs"]],
    }


def _name_by_class(name: dict[str, Any], samples: dict[str, Any]) -> dict[str, Any]:
    """The measured name queries again, split by how common the string is and by its length."""
    from bench.search_client import summarise_times

    times = name.pop("times")
    queries = samples["names"][-len(times) :]
    split: dict[str, Any] = {}
    for label, test in (
        ("name:common", lambda q: q["class"] == "common"),
        ("name:random", lambda q: q["class"] == "random"),
        ("name:rare", lambda q: q["class"] == "rare"),
        ("name:2 chars", lambda q: len(q["q"]) == 2),
        ("name:3-6 chars", lambda q: len(q["q"]) > 2),
    ):
        picked = [t for t, q in zip(times, queries, strict=True) if test(q)]
        if picked:
            split[label] = summarise_times(picked)
    return split


def _sample_counts(samples: dict[str, Any]) -> dict[str, Any]:
    return {key: len(value) for key, value in samples.items() if isinstance(value, list)} | {
        "examples": [q["q"] for q in samples["names"][:12]]
    }


def checks(result: dict[str, Any]) -> dict[str, bool]:
    latency, found = result["latency"], {}
    for kind, target in (("code_api", "code"), ("code_portal", "code"), ("name", "name"), ("page", "page")):
        facts = latency[kind]
        found[f"{kind} p95 <= {TARGET_MS[target]:.0f} ms"] = facts["errors"] == 0 and facts["p95"] <= TARGET_MS[target]
    found[f"page rps / healthz rps >= {TARGET_RATIO}"] = result["throughput"]["ratio"] >= TARGET_RATIO
    return found


# --- in-process tasks (run in subprocesses with the database's environment) -----------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _internal(argv: list[str]) -> None:
    task, args = argv[0], argv[1:]
    _django()
    from bench import search_data

    if task == "analyze":
        search_data.analyze()
    elif task == "facts":
        search_data.facts()
    elif task == "samples":
        search_data.samples(int(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown task {task}")


# --- report ---------------------------------------------------------------------------------------------

LABELS = {
    "code_api": "code lookup, API /api/v1/public/subjects/{USCC}",
    "code_portal": "code lookup, portal /search/?q={USCC}",
    "name": "name search /search/?q=<2–6 chars>",
    "page": "subject page /subjects/<slug>/",
}


def report(results: list[dict[str, Any]]) -> str:
    out = []
    for r in results:
        db, facts, seconds = r["database"], r["load"]["facts"], r["load"]["seconds"]
        out.append(
            f"\n{db} ({facts['server_version']}): {facts['subjects']:,} subjects, {facts['records']:,} records; "
            f"public: {facts['public_subjects']:,} subjects ({facts['public_subjects_searchable']:,} searchable by "
            f"name), {facts['public_records']:,} records; database {facts['database_bytes'] / 2**30:.1f} GiB"
        )
        reused = " (loaded earlier, --reuse)" if r["load"].get("reused") else ""
        out.append(
            f"load{reused}: generate+insert {_s(seconds['generate_and_insert'])} s, whole-batch approval "
            f"{_s(seconds['publish'])} s, demo_data total {_s(seconds['demo_data_total'])} s, "
            f"migrate {_s(seconds['migrate'])} s, analyze {_s(seconds['analyze'])} s"
        )
        out.append(f"{'what':<52} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  target")
        for kind, facts_ in r["latency"].items():
            label = LABELS.get(kind, "  " + kind)
            target = {"code_api": "code", "code_portal": "code", "name": "name", "page": "page"}.get(kind)
            goal = f"p95 ≤ {TARGET_MS[target]:.0f}" if target else ""
            errors = f"  ({facts_['errors']} errors)" if facts_.get("errors") else ""
            out.append(
                f"{label:<52} {facts_['n']:>5} {facts_['p50']:>8.2f} {facts_['p95']:>8.2f} {facts_['p99']:>8.2f} "
                f"{facts_['max']:>8.1f}  {goal}{errors}"
            )
        t = r["throughput"]
        out.append(
            f"requests/s ({t['page']['seconds']:.0f} s each): subject page {t['page']['rps']:,.0f}, /healthz "
            f"{t['healthz']['rps']:,.0f}; ratio {t['ratio']:.2f} (target ≥ {TARGET_RATIO})"
        )
        out.append(
            f"load average before/after measuring: {_loads(r['load_average_before'])} / "
            f"{_loads(r['load_average_after'])}"
        )
        for name, ok in r["checks"].items():
            out.append(f"  {'PASS' if ok else 'FAIL'}  {db}: {name}")
    return "\n".join(out)


def _s(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:,.0f}"


def _loads(values: Any) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS, help=f"default {DEFAULT_RECORDS:,}")
    parser.add_argument("--subjects", type=int, help="must be ⌈records / 3⌉ (the demo generator's ratio)")
    parser.add_argument("--databases", default=",".join(DATABASES), help="comma-separated: sqlite,postgresql")
    parser.add_argument("--reuse", action="store_true", help="skip loading when the database holds this load")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per kind (default 400)")
    parser.add_argument("--warmup", type=int, default=50, help="warm-up requests per kind (default 50)")
    parser.add_argument("--seconds", type=float, default=15, help="seconds of each throughput run (default 15)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    parser.add_argument("--threads-client", type=int, default=4, help="client threads for requests/s (default 4)")
    parser.add_argument("--seed", type=int, default=20261126, help="sampling seed")
    args = parser.parse_args(argv)
    if args.subjects is not None and args.subjects != -(-args.records // RECORDS_PER_SUBJECT):
        parser.error(
            f"the demo generator makes one subject per {RECORDS_PER_SUBJECT} records: "
            f"--subjects {args.subjects:,} needs --records {args.subjects * RECORDS_PER_SUBJECT:,}"
        )
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if set(databases) - set(DATABASES):
        parser.error(f"unknown database(s): {', '.join(sorted(set(databases) - set(DATABASES)))}")
    args.requests += args.warmup  # samples for both
    started, load_at_start = dt.datetime.now(), os.getloadavg()
    results = [bench_database(database, args) for database in databases]
    args.requests -= args.warmup
    print(report(results))
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"search-{started:%Y%m%d-%H%M%S}.json"
    payload = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "arguments": vars(args),
        "environment": _environment() | {"load_average_at_start": load_at_start},
        "targets": {"p95_ms": TARGET_MS, "ratio": TARGET_RATIO},
        "results": results,
        "passed": all(all(r["checks"].values()) for r in results),
    }
    target.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    print(f"\nFigures written to {target.relative_to(ROOT)}")
    return 0 if payload["passed"] else 1


def _environment() -> dict[str, Any]:
    from importlib.metadata import version

    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "cpus": os.cpu_count(),
        "git_head": head.stdout.strip(),
    }


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_internal":
        _internal(sys.argv[2:])
    else:
        sys.exit(main())
