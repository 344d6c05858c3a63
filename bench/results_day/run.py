"""Results day at scale: the release moment on this machine, measured against two ceilings from the same run.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/results_day/run.py [--candidates 50000] [--seconds 15]

Brings Examdesk up the production way: a PostgreSQL database created afresh (examdesk_results_day on
127.0.0.1:5432, user postgres), Redis on 127.0.0.1:6379 as broker (db 13), cache (db 14) and sessions (db 15),
`examdesk serve` (gunicorn threaded workers + a Celery worker). Loads the candidates (released results, one
Argon2id password hash made once), then runs the load from a second process (bench/results_day/client.py, aiohttp):

  ceilings  Argon2id verifications/s with the configured hasher on all cores (the login ceiling) and
            /bench/ping/ requests/s, a constant page through the same middleware on the same server (the page
            ceiling; the URL exists only under this bench's settings module)
  logins    candidates open the sign-in page and sign in (closed loop); the sessions are kept. Then again with
            the sign-in page already open (candidates waiting on it at the release time): the POSTs alone
  pages     signed-in candidates open their result page (closed loop)
  80 %      result pages at 80 % of the measured page capacity (open loop): p99 latency
  stmts     statements, first download (rendered and stored) and again (read from storage)
  2x        result pages at twice the capacity (open loop): excess gets a quick 503; then every session must
            still open its result page (no lost session) and the server must still be up (no crash)
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATABASE = "examdesk_results_day"
Figures = dict[str, Any]


def psql(*commands: str) -> None:
    args = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q"]
    for command in commands:
        args += ["-c", command]
    subprocess.run(args, check=True, capture_output=True)


def redis_flush(db: int) -> None:
    subprocess.run(["redis-cli", "-n", str(db), "FLUSHDB"], check=True, capture_output=True)


def client(phase: str, env: dict[str, str], **options: object) -> Figures:
    args = [sys.executable, str(HERE / "client.py"), phase]
    for key, value in options.items():
        args += [f"--{key}"] if value is True else [f"--{key}", str(value)]
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    figures: Figures = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def parallel_clients(env: dict[str, str], runs: list[dict[str, object]]) -> list[Figures]:
    """Closed-loop result pages against several nodes at the same time."""
    processes = []
    for options in runs:
        args = [sys.executable, str(HERE / "client.py"), "pages"]
        for key, value in options.items():
            args += [f"--{key}", str(value)]
        processes.append(subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True))
    return [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in processes]


def argon2_ceiling(env: dict[str, str], seconds: float) -> float:
    code = (
        "import django, json, os, sys; django.setup(); sys.path.insert(0, 'bench'); from argon2_login import measure;"
        f"print(json.dumps(measure('examdesk.accounts.hashers.Argon2idHasher', {seconds!r}, os.cpu_count())))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} in {seconds:.0f} s.")


def line(name: str, figures: Figures, ceiling: float | None = None, unit: str = "/s") -> str:
    ratio = f"  = {figures['per_second'] / ceiling:.0%} of ceiling" if ceiling else ""
    errors = {k: v for k, v in figures["statuses"].items() if k not in ("200", "302")}
    return (
        f"{name:<34} {figures['per_second']:>8.1f}{unit}  p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms"
        f"  p99 {figures['p99_ms']} ms  other answers {errors or 'none'}{ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes (2 cores: 3)")
    parser.add_argument("--threads", type=int, default=12, help="threads per gunicorn process")
    parser.add_argument("--in-flight", type=int, default=8, help="requests at once per process before a 503")
    parser.add_argument("--concurrency", type=int, default=8, help="closed-loop clients (at most the in-flight limit)")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    folder = Path(tempfile.mkdtemp(prefix="results-day-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "EXAMDESK_BROKER_URL": "redis://127.0.0.1:6379/13",
        "EXAMDESK_CACHE_URL": "redis://127.0.0.1:6379/14",
        "EXAMDESK_SESSION_CACHE_URL": "redis://127.0.0.1:6379/15",
        "EXAMDESK_VAR_DIR": str(folder / "var"),
        "EXAMDESK_SECRET_KEY": secrets.token_urlsafe(50),
        "EXAMDESK_MAX_IN_FLIGHT": str(args.in_flight),
        "DJANGO_SETTINGS_MODULE": "results_day_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
    }
    server = None
    servers: list[subprocess.Popen[bytes]] = []
    try:
        print(f"PostgreSQL database {DATABASE} created afresh; Redis db 13, 14, 15 (broker, cache, sessions) emptied.")
        psql(f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}")
        redis_flush(13)
        redis_flush(14)
        redis_flush(15)
        subprocess.run([sys.executable, "-m", "examdesk.manage", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        users = folder / "users.json"
        out = subprocess.run(
            [sys.executable, str(HERE / "load.py"), str(args.candidates), str(users)],
            env=env, check=True, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        loaded = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"Loaded {loaded['count']:,} candidates with released results and accounts in {loaded['seconds']:.1f} s.")
        print(f"Argon2id ceiling ({os.cpu_count()} cores, configured hasher)…", flush=True)
        hash_ceiling = argon2_ceiling(env, 5)
        log = open(folder / "serve.log", "w")
        server = subprocess.Popen(
            [sys.executable, "-m", "examdesk.manage", "serve", "--bind", f"127.0.0.1:{args.port}",
             "--web-workers", str(args.workers), "--threads", str(args.threads)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        servers.append(server)
        wait_up(f"{base}/healthz")
        print(
            f"examdesk serve: {args.workers} gunicorn processes × {args.threads} threads, in-flight limit "
            f"{args.in_flight} per process, Celery worker; load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        common = {"base": base, "concurrency": args.concurrency}
        sessions = folder / "sessions.json"
        client("ping", env, base=base, seconds=2, concurrency=4)  # warm up each process
        ping = client("ping", env, seconds=args.seconds, **common)
        logins = client("login", env, users=users, sessions=sessions, seconds=args.seconds, **common)
        # The same, with the sign-in page already open (candidates waiting on it at the release time): the POSTs.
        posts = client(
            "login", env, users=users, sessions=folder / "sessions-posts.json", seconds=args.seconds,
            offset=logins["ok"] + 1000, **{"form-open": True}, **common,
        )  # fmt: skip
        pages = client("pages", env, sessions=sessions, seconds=args.seconds, **common)
        at80 = client("open", env, base=base, sessions=sessions, seconds=args.seconds, rate=0.8 * pages["per_second"])
        first = client("statements", env, sessions=sessions, seconds=args.seconds / 3, **common)
        again = client("statements", env, sessions=sessions, seconds=args.seconds / 3, only=first["ok"], **common)
        stored = list((folder / "var" / "private" / "statements" / "online").glob("*/*.pdf"))
        at2x = client("open", env, base=base, sessions=sessions, seconds=args.seconds, rate=2 * pages["per_second"])
        alive = server.poll() is None
        check = client("check", env, base=base, sessions=sessions, concurrency=8)
        # A second web node: another `examdesk serve` (web only) on the next port, same database, Redis and storage.
        base2 = f"http://127.0.0.1:{args.port + 1}"
        second = subprocess.Popen(
            [sys.executable, "-m", "examdesk.manage", "serve", "--no-worker", "--bind", f"127.0.0.1:{args.port + 1}",
             "--web-workers", str(args.workers), "--threads", str(args.threads)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        servers.append(second)
        wait_up(f"{base2}/healthz")
        cross = client("check", env, base=base2, sessions=sessions, concurrency=8)
        before = len(list((folder / "var" / "private" / "statements" / "online").glob("*/*.pdf")))
        again2 = client("statements", env, sessions=sessions, seconds=args.seconds / 3, only=first["ok"],
                        base=base2, concurrency=args.concurrency)  # fmt: skip
        after = len(list((folder / "var" / "private" / "statements" / "online").glob("*/*.pdf")))
        both = parallel_clients(
            env, [{"base": b, "sessions": sessions, "seconds": args.seconds, "concurrency": args.concurrency}
                  for b in (base, base2)]
        )  # fmt: skip
        load = os.getloadavg()

        print(f"\nCeilings measured in this run (load average {load[0]:.2f}, {os.cpu_count()} cores):")
        print(f"  Argon2id verifications (configured hasher, all cores)  {hash_ceiling:8.1f}/s")
        print(f"  minimal Django view /bench/ping/ on the same server      {ping['per_second']:8.1f}/s")
        print("\nThe release moment:")
        print(line("logins (sign-in page + POST)", logins, hash_ceiling))
        print(line("logins, page already open (POST)", posts, hash_ceiling))
        print(line("result pages (closed loop)", pages, ping["per_second"]))
        print(line(f"result pages at 80 % ({at80['offered_per_second']:.0f}/s offered)", at80))
        print(line("statements, first download", first))
        print(line("statements, again", again))
        print(f"  statement files in private storage: {len(stored):,} for {first['ok'] + again['ok']:,} downloads")
        print(line(f"result pages at 2x ({at2x['offered_per_second']:.0f}/s offered)", at2x))
        print(f"  503 answers at 2x: p99 {at2x['shed_p99_ms']} ms")
        lost = check["statuses"].get("302-to-sign-in", 0)
        print(f"  after 2x: server up {alive}; {check['ok']:,} of {len(json.load(open(sessions))):,} sessions "
              f"open their result page, {lost} lost")  # fmt: skip
        print("\nTargets:")
        print(f"  logins ≥ 80 % of the hash ceiling: {logins['per_second'] / hash_ceiling:.0%}")
        print(f"  result pages ≥ 50 % of the page ceiling: {pages['per_second'] / ping['per_second']:.0%}")
        print(f"  p99 < 300 ms at 80 % of capacity: {at80['p99_ms']} ms")
        kept = lost == 0 and check["ok"] == len(json.load(open(sessions)))
        print(f"  at 2x: no crash: {alive}; no lost session: {kept}")
        print("\nTwo web nodes (two `examdesk serve` sets on ports "
              f"{args.port} and {args.port + 1}, one database, one Redis, one storage; the same 2 cores):")  # fmt: skip
        print(f"  sessions signed in on node 1 that open their result page on node 2: {cross['ok']:,} of "
              f"{cross['ok'] + sum(v for k, v in cross['statuses'].items() if k != '200'):,}")  # fmt: skip
        print(f"  statements downloaded again from node 2: {again2['ok']:,}, new files rendered: {after - before}")
        print(
            f"  result pages on both nodes at once: {both[0]['per_second']:.1f}/s + {both[1]['per_second']:.1f}/s"
            f" = {both[0]['per_second'] + both[1]['per_second']:.1f}/s (one node alone: {pages['per_second']:.1f}/s)"
        )
        summary = {"cross": cross, "again_node2": again2, "both": both, "ping": ping, "logins": logins,
                   "posts": posts, "pages": pages, "at80": at80, "first": first, "again": again,
                   "at2x": at2x, "check": check, "hash_ceiling": hash_ceiling, "load": load}  # fmt: skip
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "results_day_last_run.json").write_text(json.dumps(summary, indent=1))
    finally:
        for running in servers:
            if running.poll() is None:
                running.terminate()
        for running in servers:
            try:
                running.wait(30)
            except subprocess.TimeoutExpired:
                running.kill()
        shutil.rmtree(folder, ignore_errors=True)
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
