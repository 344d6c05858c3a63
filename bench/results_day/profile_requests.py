"""Where each core-millisecond of a results-day request goes: one request at a time, in one process, through the
production WSGI handler (the whole middleware stack), against PostgreSQL and Redis as the bench runs them.

    .venv/bin/python bench/results_day/profile_requests.py [--requests 300] [--core 1] [--top 12]

For each kind of request (the two minimal views, the result page, the sign-in page, the sign-in POST) it prints
the core-ms per request in this process (time.process_time) and in the PostgreSQL backend serving it (from
/proc), then a cProfile of the same requests grouped by where the time is spent (exclusive time per group: SQL
through the ORM, Redis, templates, sessions and signing, Argon2id, the rest of Django, Examdesk's own code), and
the functions with the most cumulative time. Redis's own CPU is not counted (a shared server).

It creates the PostgreSQL database examdesk_results_day_profile afresh and starts a Redis server of its own (port
6392); it drops the database at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import DATABASE, REDIS_PORT, ROOT, bench_env, psql, redis_start  # noqa: E402

PROFILE_DATABASE = f"{DATABASE}_profile"
PROFILE_REDIS_PORT = REDIS_PORT + 1

GROUPS = (  # first match wins: the file of a function says which part of the stack it belongs to
    ("Argon2id", ("argon2", "_ffi.argon2")),
    ("SQL: ORM compiling + psycopg", ("django/db/", "psycopg")),
    ("Redis client (cache, sessions)", ("redis/", "django/core/cache")),
    ("templates", ("django/template", "django/templatetags", "templatetags")),
    ("sessions, signing, CSRF", ("django/contrib/sessions", "django/core/signing", "django/middleware/csrf", "hmac")),
    ("auth, django-otp", ("django/contrib/auth", "django_otp")),
    ("forms", ("django/forms",)),
    ("URL resolving", ("django/urls",)),
    (
        "request/response, middleware (Django)",
        (
            "django/core/handlers",
            "django/http",
            "django/middleware",
            "whitenoise",
            "csp/",
            "django_htmx",
            "django/utils",
        ),
    ),  # fmt: skip
    ("Examdesk code", ("examdesk/",)),
)

WATCHED = {  # steps worth a line of their own: (file, function)
    "second step (SecondFactorMiddleware._step, user load included)": ("second_factor/middleware", "_step"),
    "  its note cookie check (_noted)": ("second_factor/middleware", "_noted"),
    "  its device query (second_factor_get)": ("second_factor/services", "second_factor_get"),
    "session load (SessionStore.load)": ("sessions/backends/cache", "load"),
    "session save (SessionStore.save)": ("sessions/backends/cache", "save"),
    "user row (auth.get_user)": ("django/contrib/auth/__init__", "get_user"),
    "gate (candidate_entry_gate)": ("results/online/selectors", "candidate_entry_gate"),
    "kept page read (released_page)": ("results/online/panel", "released_page"),
    "template rendering (render_to_string)": ("django/template/loader", "render_to_string"),
    "Argon2id verification (authenticate)": ("django/contrib/auth/__init__", "authenticate"),
    "audit outbox row (audit_defer)": ("audit/outbox", "audit_defer"),
    "sign-in throttles (Throttle.standing + succeeded)": ("accounts/lockout", "standing"),
    "  succeeded": ("accounts/lockout", "succeeded"),
    "session key cycled (login)": ("django/contrib/auth/__init__", "login"),
    "known device cookie (device_remember)": ("accounts/devices", "device_remember"),
}


def child(requests: int, top: int, users_file: str) -> None:
    """Runs in the pinned child: the WSGI application called directly, like a gunicorn thread does."""
    import cProfile
    import pstats
    import time
    from collections import Counter, defaultdict
    from urllib.parse import urlencode

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    application = WSGIHandler()
    loaded = json.load(open(users_file))
    users = loaded["users"]

    def call(method: str, path: str, cookies: dict[str, str], body: bytes = b"") -> tuple[str, dict[str, str]]:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8765", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8765", "HTTP_USER_AGENT": "profile", "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        }  # fmt: skip
        got: dict[str, object] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            got["status"], got["headers"] = status, headers
            return lambda data: None

        response = application(environ, start_response)
        b"".join(response)
        response.close()
        set_cookies = {}
        for name, value in got["headers"]:  # type: ignore[attr-defined]
            if name.lower() == "set-cookie":
                key, _, rest = value.strip().partition("=")
                set_cookies[key] = rest.split(";", 1)[0]
        return str(got["status"]), set_cookies

    def sign_in_form() -> dict[str, str]:
        status, cookies = call("GET", "/results/sign-in/", {})
        assert status.startswith("200"), status
        return cookies

    # One browser per candidate: the cookies it was given (session, CSRF, known device, second-step note) kept.
    form_cookies = sign_in_form()
    token = form_cookies["csrftoken"]
    browsers: list[dict[str, str]] = []

    def sign_in(user: dict[str, object]) -> dict[str, str]:
        body = urlencode({"identifier": user["email"], "password": loaded["password"], "csrfmiddlewaretoken": token})
        status, cookies = call("POST", "/results/sign-in/", dict(form_cookies), body.encode())
        assert status.startswith("302"), status
        return {**form_cookies, **cookies}

    for user in users[:50]:
        browsers.append(sign_in(user))
    for browser, user in zip(browsers, users, strict=False):  # the first page: the second-step note, any cookie
        _, cookies = call("GET", f"/results/entries/{user['entry']}/", browser)
        browser.update(cookies)

    kinds: dict[str, Callable[[int], object]] = {
        "anonymous minimal view /bench/ping/": lambda n: call("GET", "/bench/ping/", {}),
        "signed-in minimal view /bench/signed-in/": lambda n: call("GET", "/bench/signed-in/", browsers[n % 50]),
        "result page /results/entries/N/": lambda n: call(
            "GET", f"/results/entries/{users[n % 50]['entry']}/", browsers[n % 50]
        ),
        "sign-in page GET /results/sign-in/": lambda n: call("GET", "/results/sign-in/", {}),
        "sign-in POST (success)": lambda n: sign_in(users[50 + n % (len(users) - 50)]),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def backend_seconds() -> float:
        try:
            fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # the connection was closed and opened again: not counted
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    # The kinds measured in turns, a batch each, so that whatever else runs on the machine weighs on all alike.
    counts = {name: (requests if "POST" not in name else max(20, requests // 10)) for name in kinds}
    done = dict.fromkeys(kinds, 0)
    cpu_total = dict.fromkeys(kinds, 0.0)
    pg_total = dict.fromkeys(kinds, 0.0)
    for name, one in kinds.items():
        for n in range(min(30, counts[name])):
            one(n)  # warm: prepared statements, template cache, connections
            done[name] += 1
    rounds = 10
    for _round in range(rounds):
        for name, one in kinds.items():
            batch = counts[name] // rounds
            pg, cpu = backend_seconds(), time.process_time()
            for _ in range(batch):
                one(done[name])
                done[name] += 1
            cpu_total[name] += time.process_time() - cpu
            pg_total[name] += max(0.0, backend_seconds() - pg)

    figures = {}
    for name, one in kinds.items():
        count = counts[name] // rounds * rounds
        cpu, pg = cpu_total[name], pg_total[name]
        statements: list[str] = []

        def counted(execute, sql, params, many, context, statements=statements):  # type: ignore[no-untyped-def]
            statements.append(sql)
            return execute(sql, params, many, context)

        profiler = cProfile.Profile(time.process_time)  # CPU time: waiting for PostgreSQL or Redis is not counted
        with connection.execute_wrapper(counted):
            profiler.enable()
            for _ in range(count):
                one(done[name])
                done[name] += 1
            profiler.disable()
        stats = pstats.Stats(profiler)
        groups: dict[str, float] = defaultdict(float)
        for (file, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            where = file if file != "~" else function  # a C function: its name says where it belongs
            group = next((g for g, needles in GROUPS if any(n in where for n in needles)), "Python and the rest")
            groups[group] += tottime
        total = sum(groups.values())
        process_ms = 1000 * cpu / count
        figures[name] = {"process_ms": process_ms, "postgres_ms": 1000 * pg / count}
        print(f"\n== {name}: {count} requests")
        print(f"   core-ms per request: {process_ms:.2f} in the web process + {1000 * pg / count:.2f} in "
              f"PostgreSQL = {1000 * (cpu + pg) / count:.2f} (Redis's own CPU not counted); "
              f"{len(statements) / count:.1f} SQL statements")  # fmt: skip
        kinds_of_sql = Counter(" ".join(sql.split()[:4])[:90] for sql in statements)
        for sql, times in kinds_of_sql.most_common(8):
            print(f"     {times / count:4.1f}× {sql}")
        print("   where the web process's core-ms go (cProfile's shares of exclusive CPU time, applied to the")
        print("   unprofiled figure above):")
        for group, seconds in sorted(groups.items(), key=lambda item: -item[1]):
            print(f"     {group:<40} {100 * seconds / total:5.1f} %  ≈ {process_ms * seconds / total:5.2f} ms")
        watched: dict[str, float] = defaultdict(float)
        for (file, _line, function), (_cc, _nc, _tt, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            for label, (needle, name_of) in WATCHED.items():
                if needle in file and function == name_of:
                    watched[label] += cumtime
        if watched:
            print("   steps of the hot path (cumulative, same scaling):")
        for label, seconds in watched.items():
            print(f"     {label:<60} ≈ {process_ms * seconds / total:5.2f} ms")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top + 25)
        interesting = [
            row for row in out.getvalue().splitlines() if ("examdesk" in row or "django" in row or "argon2" in row)
        ]
        if top:
            print(f"   most cumulative time (per {count} requests, profiled seconds):")
        for row in interesting[:top]:
            print("    ", row.strip()[:150])
    print("\nJSON " + json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind (POSTs: a tenth)")
    parser.add_argument("--core", type=int, default=1, help="the core the profiled process runs on")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.requests, args.top, args.child)
        return
    folder = Path(tempfile.mkdtemp(prefix="results-day-profile-"))
    env = bench_env(folder, secret=secrets.token_urlsafe(50), in_flight=0, redis_port=PROFILE_REDIS_PORT,
                    database=PROFILE_DATABASE)  # fmt: skip
    env["EXAMDESK_DB_CONN_MAX_AGE"] = "3600"  # one connection throughout: its PostgreSQL backend is measured
    redis = redis_start(PROFILE_REDIS_PORT, args.core, folder)
    try:
        psql(f"DROP DATABASE IF EXISTS {PROFILE_DATABASE}", f"CREATE DATABASE {PROFILE_DATABASE}")
        for command in (["migrate"], ["collectstatic", "--noinput"]):
            subprocess.run([sys.executable, "-m", "examdesk.manage", *command, "-v0"], env=env, check=True, cwd=ROOT)
        users = folder / "users.json"
        count = max(60, args.requests // 10 + 60)
        subprocess.run([sys.executable, str(HERE / "load.py"), str(count), str(users)], env=env, check=True,
                       cwd=ROOT, capture_output=True)  # fmt: skip
        print(f"Profiling one request at a time in one process pinned to core {args.core} "
              f"(load average {os.getloadavg()[0]:.2f}).", flush=True)  # fmt: skip
        subprocess.run(
            ["taskset", "-c", str(args.core), sys.executable, __file__, "--child", str(users),
             "--requests", str(args.requests), "--top", str(args.top)],
            env=env, check=True, cwd=ROOT,
        )  # fmt: skip
    finally:
        redis.terminate()
        redis.wait(10)
        psql(f"DROP DATABASE IF EXISTS {PROFILE_DATABASE}")


if __name__ == "__main__":
    main()
