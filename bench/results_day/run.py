"""Results day at scale: the release moment on this machine, measured against ceilings from the same run.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/results_day/run.py [--candidates 50000] [--seconds 15] [--client-core 0 --server-core 1]

Brings Examdesk up the production way: a PostgreSQL database created afresh (examdesk_results_day on
127.0.0.1:5432, user postgres), a Redis server of the bench's own (started on --redis-port, broker db 0, cache db
1, sessions db 2, nothing saved), `examdesk serve` (gunicorn threaded workers + a Celery worker with its
scheduler). Loads the candidates (released results, one Argon2id password hash made once), then runs the load
from a second process (bench/results_day/client.py, aiohttp).

The two sides run on cores of their own (taskset): the load client on --client-core; the server (gunicorn, the
Celery worker, the bench's Redis and the PostgreSQL backends serving the bench's database) on --server-core. The
ceilings are measured on the server's core alone, right before and right after the phase they are the yardstick
of; the run prints both and compares the phase with their mean, and prints the load average after each phase.

  ceilings  the Argon2id ceiling: verifications/s with the configured hasher, one process on the server's core;
            the page ceiling: /bench/signed-in/, a constant page behind the same authentication, session
            backend, middleware and decorators as the result page, doing nothing else; and, as information,
            /bench/ping/, the same page for anyone (no session). Both URLs exist only under this bench's settings.
  logins    candidates open the sign-in page and sign in (closed loop); the sessions are kept. Then again with
            the sign-in page already open (candidates waiting on it at the release time): the POSTs alone
  pages     signed-in candidates open their result page (closed loop)
  80 %      result pages at 80 % of the measured page capacity (open loop): p99 latency
  stmts     statements, first download (rendered and stored) and again (read from storage)
  2x        result pages at twice the capacity (open loop): excess gets a quick 503; then every session must
            still open its result page (no lost session) and the server must still be up (no crash)
  nodes     a second `examdesk serve` on the next port against the same database, Redis and storage

Targets (ratios in one run): result pages >= 50 % of the signed-in minimal view with p99 < 300 ms at 80 % of
capacity; sign-in (page + POST) >= 70 % of the Argon2id ceiling; the sign-in POST alone >= 80 %; at 2x no crash,
no lost session and every excess request a 503 with Retry-After. Each is printed with met / not met.
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
REDIS_PORT = 6391
QUIET_LOAD = 1.5  # the load average before the bench starts anything: above it, something else is running
Figures = dict[str, Any]


def psql(*commands: str) -> None:
    args = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q"]
    for command in commands:
        args += ["-c", command]
    subprocess.run(args, check=True, capture_output=True)


def pinned(core: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(core), *command]


def redis_start(port: int, core: int, folder: Path) -> subprocess.Popen[bytes]:
    """The bench's own Redis on the server's core: nothing shared with other work on the machine, nothing saved."""
    server = subprocess.Popen(
        pinned(core, ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                      "--dir", str(folder)]),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode != 0:
        if time.monotonic() > deadline:
            raise SystemExit(f"redis-server did not start on port {port}.")
        time.sleep(0.1)
    return server


def bench_env(
    folder: Path, *, secret: str, in_flight: int, redis_port: int = REDIS_PORT, database: str = DATABASE
) -> dict[str, str]:
    redis = f"redis://127.0.0.1:{redis_port}"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "EXAMDESK_BROKER_URL": f"{redis}/0",
        "EXAMDESK_CACHE_URL": f"{redis}/1",
        "EXAMDESK_SESSION_CACHE_URL": f"{redis}/2",
        "EXAMDESK_VAR_DIR": str(folder / "var"),
        "EXAMDESK_SECRET_KEY": secret,
        "EXAMDESK_MAX_IN_FLIGHT": str(in_flight),
        "DJANGO_SETTINGS_MODULE": "results_day_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
    }


def pin_database_backends(core: int) -> int:
    """Move the PostgreSQL backends serving the bench's database onto the server's core (new connections
    appear as the server warms up, so this runs before every phase). Returns how many were pinned."""
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         f"SELECT pid FROM pg_stat_activity WHERE datname = '{DATABASE}'"],  # noqa: S608 - our own constant
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    count = 0
    for pid in (int(p) for p in out.stdout.split()):
        try:
            os.sched_setaffinity(pid, {core})
            count += 1
        except OSError:
            pass  # a backend that has just ended
    return count


class Bench:
    def __init__(self, env: dict[str, str], client_core: int, server_core: int) -> None:
        self.env, self.client_core, self.server_core = env, client_core, server_core
        self.loads: dict[str, float] = {}

    def client(self, phase: str, label: str | None = None, **options: object) -> Figures:
        pin_database_backends(self.server_core)
        args = pinned(self.client_core, [sys.executable, str(HERE / "client.py"), phase])
        for key, value in options.items():
            args += [f"--{key}"] if value is True else [f"--{key}", str(value)]
        out = subprocess.run(args, env=self.env, check=True, capture_output=True, text=True, cwd=ROOT)
        figures: Figures = json.loads(out.stdout.strip().splitlines()[-1])
        if label:
            self.loads[label] = os.getloadavg()[0]
        return figures

    def parallel_clients(self, runs: list[dict[str, object]]) -> list[Figures]:
        """Closed-loop result pages against several nodes at the same time."""
        pin_database_backends(self.server_core)
        processes = []
        for options in runs:
            args = pinned(self.client_core, [sys.executable, str(HERE / "client.py"), "pages"])
            for key, value in options.items():
                args += [f"--{key}", str(value)]
            processes.append(subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=subprocess.PIPE, text=True))
        return [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in processes]

    def argon2_ceiling(self, seconds: float) -> float:
        """Verifications per second with the configured hasher, one process on the server's core alone."""
        code = (
            "import django, json, sys; django.setup(); sys.path.insert(0, 'bench'); from argon2_login import measure;"
            f"print(json.dumps(measure('examdesk.accounts.hashers.Argon2idHasher', {seconds!r}, 1)))"
        )
        out = subprocess.run(pinned(self.server_core, [sys.executable, "-c", code]), env=self.env, check=True,
                             capture_output=True, text=True, cwd=ROOT)  # fmt: skip
        return float(out.stdout.strip().splitlines()[-1])


def wait_up(url: str, seconds: float = 240, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    tail = "\n".join(log.read_text().splitlines()[-30:]) if log is not None and log.exists() else ""
    raise SystemExit(f"The server did not answer {url} in {seconds:.0f} s.\n{tail}")


def line(name: str, figures: Figures, ceiling: float | None = None, load: float | None = None) -> str:
    ratio = f"  = {figures['per_second'] / ceiling:.0%} of its ceiling" if ceiling else ""
    errors = {k: v for k, v in figures["statuses"].items() if k not in ("200", "302")}
    after = f"  [load {load:.2f}]" if load is not None else ""
    return (
        f"  {name:<40} {figures['per_second']:>8.1f}/s  p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms"
        f"  p99 {figures['p99_ms']} ms  other answers {errors or 'none'}{ratio}{after}"
    )


def ceiling_line(name: str, before: float, after: float, load: float | None = None) -> str:
    loaded = f"  [load {load:.2f}]" if load is not None else ""
    return f"  {name:<58} before {before:8.1f}/s  after {after:8.1f}/s  mean {(before + after) / 2:8.1f}/s{loaded}"


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=15, help="length of each phase")
    parser.add_argument("--ceiling-seconds", type=float, default=5, help="length of each ceiling measurement")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis-port", type=int, default=REDIS_PORT, help="the bench's own Redis server")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (one server core: 2)")
    parser.add_argument("--threads", type=int, default=12, help="threads per gunicorn process")
    parser.add_argument("--in-flight", type=int, default=8, help="requests at once per process before a 503")
    parser.add_argument("--concurrency", type=int, default=8, help="closed-loop clients (at most the in-flight limit)")
    parser.add_argument("--client-core", type=int, default=0, help="the core of the load client")
    parser.add_argument("--server-core", type=int, default=1, help="the core of the server, its Redis and database")
    parser.add_argument("--skip-nodes", action="store_true", help="leave out the second web node")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    idle_load = os.getloadavg()[0]  # before the bench runs anything: what else is using the machine
    print(f"Load average before the bench: {idle_load:.2f} ({os.cpu_count()} cores).", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="results-day-"))
    env = bench_env(folder, secret=secrets.token_urlsafe(50), in_flight=args.in_flight, redis_port=args.redis_port)
    bench = Bench(env, args.client_core, args.server_core)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        servers.append(redis_start(args.redis_port, args.server_core, folder))
        print(f"PostgreSQL database {DATABASE} created afresh; the bench's own Redis on port {args.redis_port}.")
        psql(f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}")
        subprocess.run([sys.executable, "-m", "examdesk.manage", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        users = folder / "users.json"
        out = subprocess.run(
            [sys.executable, str(HERE / "load.py"), str(args.candidates), str(users)],
            env=env, check=True, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        loaded = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"Loaded {loaded['count']:,} candidates with released results and accounts in {loaded['seconds']:.1f} s.")
        log = open(folder / "serve.log", "w")
        serve = [sys.executable, "-m", "examdesk.manage", "serve", "--bind", f"127.0.0.1:{args.port}",
                 "--web-workers", str(args.workers), "--threads", str(args.threads)]  # fmt: skip
        server = subprocess.Popen(pinned(args.server_core, serve), env=env, cwd=ROOT, stdout=log,
                                  stderr=subprocess.STDOUT)  # fmt: skip
        servers.append(server)
        wait_up(f"{base}/healthz", log=folder / "serve.log")
        print(
            f"examdesk serve on core {args.server_core}: {args.workers} gunicorn processes × {args.threads} threads,"
            f" in-flight limit {args.in_flight} per process, Celery worker; load client on core {args.client_core};"
            f" load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)",
            flush=True,
        )
        common = {"base": base, "concurrency": args.concurrency}
        seconds, ceiling_seconds = args.seconds, args.ceiling_seconds
        sessions = folder / "sessions.json"
        bench.client("ping", base=base, seconds=2, concurrency=4)  # warm up each process

        hash_1 = bench.argon2_ceiling(ceiling_seconds)
        logins = bench.client("login", "logins", users=users, sessions=sessions, seconds=seconds, **common)
        hash_2 = bench.argon2_ceiling(ceiling_seconds)
        # The same, with the sign-in page already open (candidates waiting on it at the release time): the POSTs.
        posts = bench.client(
            "login", "posts", users=users, sessions=folder / "sessions-posts.json", seconds=seconds,
            offset=logins["ok"] + 2 * args.concurrency, **{"form-open": True}, **common,
        )  # fmt: skip
        hash_3 = bench.argon2_ceiling(ceiling_seconds)
        bench.client("signed-in", sessions=sessions, seconds=2, **common)  # warm up
        anonymous_1 = bench.client("ping", seconds=ceiling_seconds, **common)
        signed_1 = bench.client("signed-in", sessions=sessions, seconds=ceiling_seconds, **common)
        pages = bench.client("pages", "pages", sessions=sessions, seconds=seconds, **common)
        signed_2 = bench.client("signed-in", sessions=sessions, seconds=ceiling_seconds, **common)
        anonymous_2 = bench.client("ping", "ceilings", seconds=ceiling_seconds, **common)
        at80 = bench.client("open", "80 %", base=base, sessions=sessions, seconds=seconds,
                            rate=0.8 * pages["per_second"])  # fmt: skip
        first = bench.client("statements", "statements", sessions=sessions, seconds=seconds / 3, **common)
        again = bench.client("statements", "statements again", sessions=sessions, seconds=seconds / 3,
                             only=first["ok"], **common)  # fmt: skip
        stored = list((folder / "var" / "private" / "statements" / "online").glob("*/*.pdf"))
        at2x = bench.client("open", "2x", base=base, sessions=sessions, seconds=seconds, rate=2 * pages["per_second"])
        alive = server.poll() is None
        check = bench.client("check", "check", base=base, sessions=sessions, concurrency=8)
        saved = len(json.load(open(sessions)))

        hash_login = (hash_1 + hash_2) / 2
        hash_post = (hash_2 + hash_3) / 2
        page_ceiling = (signed_1["per_second"] + signed_2["per_second"]) / 2
        anonymous = (anonymous_1["per_second"] + anonymous_2["per_second"]) / 2
        loads = bench.loads
        print(f"\nCeilings, each on the server's core (core {args.server_core}), right before and after its phase:")
        print(ceiling_line("Argon2id verifications, one process (around the logins)", hash_1, hash_2))
        print(ceiling_line("Argon2id verifications, one process (around the POSTs)", hash_2, hash_3))
        print(ceiling_line("page ceiling: signed-in minimal view /bench/signed-in/", signed_1["per_second"],
                           signed_2["per_second"]))  # fmt: skip
        print(ceiling_line("information: anonymous minimal view /bench/ping/", anonymous_1["per_second"],
                           anonymous_2["per_second"], loads["ceilings"]))  # fmt: skip
        print("\nThe release moment (load average after each phase in brackets):")
        print(line("logins (sign-in page + POST)", logins, hash_login, loads["logins"]))
        print(line("logins, page already open (POST only)", posts, hash_post, loads["posts"]))
        print(line("result pages (closed loop)", pages, page_ceiling, loads["pages"]))
        print(f"    = {pages['per_second'] / anonymous:.0%} of the anonymous minimal view (information)")
        print(line(f"result pages at 80 % ({at80['offered_per_second']:.0f}/s offered)", at80, None, loads["80 %"]))
        print(line("statements, first download", first, None, loads["statements"]))
        print(line("statements, again", again, None, loads["statements again"]))
        print(f"    statement files in private storage: {len(stored):,} for {first['ok'] + again['ok']:,} downloads")
        print(line(f"result pages at 2x ({at2x['offered_per_second']:.0f}/s offered)", at2x, None, loads["2x"]))
        shed = at2x["statuses"].get("503", 0)
        print(f"    503 answers at 2x: {shed:,}, p99 {at2x['shed_p99_ms']} ms, "
              f"{at2x['shed_with_retry_after']:,} with Retry-After")  # fmt: skip
        lost = check["statuses"].get("302-to-sign-in", 0)
        print(f"    after 2x: server up: {alive}; {check['ok']:,} of {saved:,} sessions open their result page, "
              f"{lost} lost")  # fmt: skip

        pages_ratio = pages["per_second"] / page_ceiling
        logins_ratio = logins["per_second"] / hash_login
        posts_ratio = posts["per_second"] / hash_post
        unanswered = {k: v for k, v in at2x["statuses"].items() if k not in ("200", "503")}
        overload_kept = (
            alive and lost == 0 and check["ok"] == saved and not unanswered
            and at2x["shed_with_retry_after"] == shed
        )  # fmt: skip
        print(f"\nTargets (ratios in this run; load average {idle_load:.2f} before it started):")
        if idle_load > QUIET_LOAD:
            print(
                f"  WARNING: the machine was busy before the bench started (load average above {QUIET_LOAD}): a "
                "one-process ceiling then gets a smaller share of its core than the many-process server, and the "
                "ratios are not to be trusted. Rerun on a quiet machine."
            )
        print(f"  result pages >= 50 % of the signed-in minimal view: {pages_ratio:.0%}  {verdict(pages_ratio >= 0.5)}")
        print(f"  p99 < 300 ms at 80 % of capacity: {at80['p99_ms']} ms  {verdict((at80['p99_ms'] or 1e9) < 300)}")
        print(f"  sign-in (page + POST) >= 70 % of the Argon2id ceiling: {logins_ratio:.0%}  "
              f"{verdict(logins_ratio >= 0.7)}")  # fmt: skip
        print(f"  sign-in POST alone >= 80 % of the Argon2id ceiling: {posts_ratio:.0%}  {verdict(posts_ratio >= 0.8)}")
        print(f"  2x overload: no crash ({alive}), no lost session ({lost == 0 and check['ok'] == saved}), "
              f"excess answered 503 with Retry-After ({not unanswered}): {verdict(overload_kept)}")  # fmt: skip

        summary: Figures = {
            "hash_ceilings": [hash_1, hash_2, hash_3], "signed_in": [signed_1, signed_2],
            "anonymous": [anonymous_1, anonymous_2], "logins": logins, "posts": posts, "pages": pages,
            "at80": at80, "first": first, "again": again, "at2x": at2x, "check": check, "loads": loads,
        }  # fmt: skip
        if not args.skip_nodes:
            summary.update(two_nodes(args, bench, env, log, sessions, first["ok"], pages["per_second"], folder))
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "results_day_last_run.json").write_text(json.dumps(summary, indent=1))
    finally:
        for running in reversed(servers):
            if running.poll() is None:
                running.terminate()
        for running in servers:
            try:
                running.wait(30)
            except subprocess.TimeoutExpired:
                running.kill()
        shutil.rmtree(folder, ignore_errors=True)
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")


def two_nodes(args: Any, bench: Bench, env: dict[str, str], log: Any, sessions: Path, downloaded: int,
              one_node: float, folder: Path) -> Figures:  # fmt: skip
    """A second web node: another `examdesk serve` (web only) on the next port, same database, Redis, storage."""
    base, base2 = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
    serve = [sys.executable, "-m", "examdesk.manage", "serve", "--no-worker", "--bind", f"127.0.0.1:{args.port + 1}",
             "--web-workers", str(args.workers), "--threads", str(args.threads)]  # fmt: skip
    second = subprocess.Popen(pinned(args.server_core, serve), env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_up(f"{base2}/healthz")
        cross = bench.client("check", base=base2, sessions=sessions, concurrency=8)
        stored = folder / "var" / "private" / "statements" / "online"
        before = len(list(stored.glob("*/*.pdf")))
        again2 = bench.client("statements", sessions=sessions, seconds=args.seconds / 3, only=downloaded, base=base2,
                              concurrency=args.concurrency)  # fmt: skip
        after = len(list(stored.glob("*/*.pdf")))
        both = bench.parallel_clients(
            [{"base": b, "sessions": sessions, "seconds": args.seconds, "concurrency": args.concurrency}
             for b in (base, base2)]
        )  # fmt: skip
    finally:
        second.terminate()
        second.wait(30)
    print(f"\nTwo web nodes (ports {args.port} and {args.port + 1}, one database, one Redis, one storage; the same "
          "server core):")  # fmt: skip
    total = cross["ok"] + sum(v for k, v in cross["statuses"].items() if k != "200")
    print(f"  sessions signed in on node 1 that open their result page on node 2: {cross['ok']:,} of {total:,}")
    print(f"  statements downloaded again from node 2: {again2['ok']:,}, new files rendered: {after - before}")
    print(
        f"  result pages on both nodes at once: {both[0]['per_second']:.1f}/s + {both[1]['per_second']:.1f}/s"
        f" = {both[0]['per_second'] + both[1]['per_second']:.1f}/s (one node alone: {one_node:.1f}/s)"
    )
    return {"cross": cross, "again_node2": again2, "both": both}


if __name__ == "__main__":
    main()
