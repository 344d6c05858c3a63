"""The load: an asyncio HTTP client (aiohttp) run as its own process beside the server, on 127.0.0.1.

    python bench/results_day/client.py PHASE --base URL --users users.json --sessions sessions.json [...]

Phases: ping (closed loop on /bench/ping/, anonymous), signed-in (closed loop on /bench/signed-in/ with the
saved sessions), login (closed loop: sign-in POSTs, sessions saved), pages and statements (closed loop with the
saved sessions), open (open loop: a fixed arrival rate of result pages, whatever the server does), check (every
saved session still opens its result page). Prints one JSON line.

Each saved session is a browser: it sends back every cookie the server gave it (the session, the CSRF cookie, the
known-device cookie, the second-step note) and keeps the ones later answers set.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import time
from collections import Counter
from typing import Any

import aiohttp

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = aiohttp.ClientTimeout(total=30)


class Recorder:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.shed_latencies: list[float] = []
        self.shed_with_retry_after = 0

    def add(self, status: str, seconds: float, ok: bool, retry_after: bool = False) -> None:
        self.statuses[status] += 1
        if ok:
            self.latencies.append(seconds)
        elif status == "503":
            self.shed_latencies.append(seconds)
            self.shed_with_retry_after += retry_after

    def summary(self, elapsed: float) -> dict[str, Any]:
        def pct(values: list[float], q: float) -> float | None:
            if not values:
                return None
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

        return {
            "ok": len(self.latencies),
            "per_second": round(len(self.latencies) / elapsed, 1),
            "p50_ms": pct(self.latencies, 0.50),
            "p95_ms": pct(self.latencies, 0.95),
            "p99_ms": pct(self.latencies, 0.99),
            "statuses": dict(self.statuses),
            "shed_p99_ms": pct(self.shed_latencies, 0.99),
            "shed_with_retry_after": self.shed_with_retry_after,
            "seconds": round(elapsed, 2),
        }


async def timed(
    session: aiohttp.ClientSession, method: str, url: str, record: Recorder, browser: dict[str, str] | None = None
) -> None:
    """One request, recorded; `browser` (a saved session's cookies) is sent and updated like a browser's jar."""
    started = time.perf_counter()
    headers = cookie_header(browser) if browser is not None else {}
    try:
        async with session.request(method, url, allow_redirects=False, timeout=TIMEOUT, headers=headers) as response:
            await response.read()
            status = str(response.status)
            location = response.headers.get("Location", "")
            retry_after = "Retry-After" in response.headers
            if browser is not None:
                browser.update({name: morsel.value for name, morsel in response.cookies.items()})
    except TimeoutError:
        record.add("timeout", time.perf_counter() - started, False)
        return
    except aiohttp.ClientError as error:
        record.add(type(error).__name__, time.perf_counter() - started, False)
        return
    if status == "302" and "sign-in" in location:
        status = "302-to-sign-in"
    record.add(status, time.perf_counter() - started, status == "200", retry_after)


def cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


async def closed_loop(seconds: float, concurrency: int, one: Any) -> float:
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()

    async def runner(number: int) -> None:
        for step in itertools.count():
            if time.perf_counter() >= deadline:
                return
            await one(number, step)

    await asyncio.gather(*(runner(n) for n in range(concurrency)))
    return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["ping", "signed-in", "login", "pages", "statements", "open", "check"])
    parser.add_argument("--base", required=True)
    parser.add_argument("--users")
    parser.add_argument("--sessions")
    parser.add_argument("--offset", type=int, default=0, help="First user for the login phase.")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--only", type=int, default=0, help="Use only the first N saved sessions.")
    parser.add_argument("--rate", type=float, default=0, help="Open loop: requests per second.")
    parser.add_argument("--form-open", action="store_true", help="Login: the sign-in page is already open.")
    args = parser.parse_args()
    record = Recorder()
    # An idle connection is given up after 1 s, before gunicorn closes it (its keep-alive is 2 s): reusing one the
    # server is closing at that moment fails in the client (a browser would quietly retry), not in the server.
    connector = aiohttp.TCPConnector(
        limit=0 if args.phase == "open" else args.concurrency, force_close=False, keepalive_timeout=1.0
    )
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
        result: dict[str, Any] = {"phase": args.phase}
        if args.phase == "ping":

            async def ping(number: int, step: int) -> None:
                await timed(http, "GET", f"{args.base}/bench/ping/", record)

            elapsed = await closed_loop(args.seconds, args.concurrency, ping)
        elif args.phase == "login":
            elapsed = await login_phase(http, args, json.load(open(args.users)), record)
        elif args.phase in ("signed-in", "pages", "statements", "check"):
            sessions = json.load(open(args.sessions))
            if args.only:
                sessions = sessions[: args.only]

            def url_of(s: dict[str, Any]) -> str:
                if args.phase == "signed-in":
                    return f"{args.base}/bench/signed-in/"
                suffix = "statement.pdf" if args.phase == "statements" else ""
                return f"{args.base}/results/entries/{s['entry']}/{suffix}"

            if args.phase == "check":
                started = time.perf_counter()
                semaphore = asyncio.Semaphore(args.concurrency)

                async def check(s: dict[str, Any]) -> None:
                    async with semaphore:
                        await timed(http, "GET", url_of(s), record, s["cookies"])

                await asyncio.gather(*(check(s) for s in sessions))
                elapsed = time.perf_counter() - started
            else:

                async def page(number: int, step: int) -> None:
                    s = sessions[(number + step * args.concurrency) % len(sessions)]
                    await timed(http, "GET", url_of(s), record, s["cookies"])

                elapsed = await closed_loop(args.seconds, args.concurrency, page)
        else:  # open loop
            sessions = json.load(open(args.sessions))
            tasks = []
            started = time.perf_counter()
            total = int(args.rate * args.seconds)

            async def one(s: dict[str, Any]) -> None:
                await timed(http, "GET", f"{args.base}/results/entries/{s['entry']}/", record, s["cookies"])

            for n in range(total):
                delay = started + n / args.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(one(sessions[n % len(sessions)])))
            await asyncio.gather(*tasks)
            elapsed = args.seconds
            result["offered_per_second"] = args.rate
        result.update(record.summary(elapsed))
        print(json.dumps(result))


async def login_phase(http: aiohttp.ClientSession, args: Any, users: dict[str, Any], record: Recorder) -> float:
    password = users["password"]
    queue = iter(users["users"][args.offset :])
    sessions: list[dict[str, Any]] = []

    forms: dict[int, tuple[str, str]] = {}

    async def login(number: int, step: int) -> None:
        user = next(queue)
        try:
            await sign_in(number, user)
        except (aiohttp.ClientError, TimeoutError, KeyError, AttributeError) as error:
            record.add(type(error).__name__, 0.0, False)

    async def sign_in_form() -> tuple[str, str] | None:
        async with http.get(f"{args.base}/results/sign-in/", timeout=TIMEOUT) as response:
            body = (await response.read()).decode()
            if response.status != 200:
                record.add(f"sign-in page {response.status}", 0.0, False)
                return None
            csrf = response.cookies["csrftoken"].value
        return csrf, TOKEN.search(body).group(1)  # type: ignore[union-attr]

    async def sign_in(number: int, user: dict[str, Any]) -> None:
        # Each candidate opens the sign-in page (a CSRF cookie and its token), then signs in. With --form-open
        # the page was opened before the release moment (one per client, kept): only the sign-in POSTs count.
        form = forms.get(number) if args.form_open else None
        if form is None:
            form = await sign_in_form()
            if form is None:
                return
            if args.form_open:
                forms[number] = form
        csrf, token = form
        started = time.perf_counter()
        async with http.post(
            f"{args.base}/results/sign-in/",
            data={"identifier": user["email"], "password": password, "csrfmiddlewaretoken": token},
            headers=cookie_header({"csrftoken": csrf}),
            allow_redirects=False,
            timeout=TIMEOUT,
        ) as response:
            await response.read()
            took = time.perf_counter() - started
            ok = response.status == 302 and "sessionid" in response.cookies
            record.add(str(response.status), took, ok)
            if ok:  # the browser's cookies from now on: CSRF, session, known device
                cookies = {"csrftoken": csrf, **{name: morsel.value for name, morsel in response.cookies.items()}}
                sessions.append({"entry": user["entry"], "cookies": cookies})

    elapsed = await closed_loop(args.seconds, args.concurrency, login)
    with open(args.sessions, "w") as handle:
        json.dump(sessions, handle)
    return elapsed


if __name__ == "__main__":
    asyncio.run(main())
