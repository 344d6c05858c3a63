"""Bulk statements of results: 10,000 statements as the print file and the zip of single files, signed, by the real
job on a real worker pool, against WeasyPrint rendering the same statements with the same fonts in the same run.

In a throwaway folder under var/ (SQLite database, private files, folder broker: the embedded default) it builds
10,000 released entries in bulk, names in many scripts (more than 10 % Chinese, Japanese, Korean or Arabic), makes
a board signing key for the run, then
1. renders a sample of the same statements with WeasyPrint from an HTML+CSS template (one process), with the same
   Noto fonts: each as its own file, and the sample as one merged file; the baseline rate is the statements per
   second of the two together, measured on the sample and extrapolated to the whole count (the output says so);
2. measures, on a sample in one process, what a single statement costs: typesetting it (Typst), the part of that
   which is shaping (every text of the statement shaped by HarfBuzz alone, with the font of its script; and a
   statement whose name is in Latin beside one in the complex scripts), and signing it (pyHanko);
3. starts `examdesk worker --concurrency 2` and runs the statements job for all 10,000 (merged PDF and zip of
   signed single files), timing it from the job's creation to its end, and sampling the memory of the whole
   worker pool (the sum of the processes' proportional set sizes, so shared pages count once);
4. checks the files (page count, zip entries, a signature) and prints statements per second, wall time, peak
   memory, file sizes, the baseline and the ratio, the machine's load average, and whether each target of issue
   18 is met: within 30 s, at least 50 times the baseline rate, under 500 MB.

    .venv/bin/pip install -e ".[bench]"      # WeasyPrint (needs Debian's libpango-1.0-0 libpangoft2-1.0-0), uharfbuzz
    .venv/bin/python bench/statements_bulk.py [--count 10000] [--sample 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0
TARGET_RATIO = 50.0
TARGET_MB = 500.0
CENTRE = "90501"
# 16 names: 5 of them (31 %) Chinese, Japanese, Korean or Arabic.
NAMES = [
    ("Zoë", "Łukasiewicz-Ørsted"), ("Ελένη", "Παπαδοπούλου"), ("Анна", "Иванова"), ("Siobhán", "O'Brien"),
    ("小明", "王"), ("太郎", "山田"), ("민준", "김"), ("محمد", "العلي"), ("大文", "陳"), ("דוד", "כהן"),
    ("अनन्या", "शर्मा"), ("সৌমিত্র", "চট্টোপাধ্যায়"), ("สมชาย", "ใจดี"), ("Nguyễn", "Thị Minh Khai"),
    ("Kwame", "Mensah"), ("Ana", "Pereira da Silva"),
]  # fmt: skip
CJK_OR_ARABIC = 5 / len(NAMES)


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


# --- In the throwaway database ------------------------------------------------------------------------------------


def setup(count: int) -> dict[str, Any]:
    """Migrate, then a board, a centre, an officer and `count` released FCE entries with results, in bulk."""
    _django()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from examdesk.accounts.models import User
    from examdesk.catalogue.definitions import parse_text
    from examdesk.catalogue.services import qualifications_load, release_schedule, series_save
    from examdesk.catalogue.tests.factories import DEMO_FILE
    from examdesk.centres.models import Role
    from examdesk.centres.services import board_get_or_create, centre_create, membership_add
    from examdesk.core.time import now
    from examdesk.people.models import Candidate
    from examdesk.people.services import CandidateData, candidates_upsert
    from examdesk.results.services import EntryData, entries_save, grade_row, results_record
    from examdesk.results.tests.factories import scored

    started = time.perf_counter()
    board = board_get_or_create(name="Examdesk Assessment Board")
    loaded = qualifications_load(board=board, definitions=parse_text(DEMO_FILE.read_text("utf-8"), file_name="demo"))
    fce = next(q for q in loaded if q.code == "FCE")
    # Candidate numbers have 4 digits: a centre has at most 10,000 entries of a qualification in a series.
    series = [
        series_save(board=board, code=f"2026-{index:02d}", name=f"Session {index + 1} 2026")
        for index in range(-(-count // 10_000))
    ]
    for one in series:
        release_schedule(qualification=fce, series=one, released_at=now() - timedelta(days=1))
    centre = centre_create(
        board=board, number=CENTRE, name="Lycée Saint-Exupéry", country="FR", time_zone="Europe/Paris"
    )
    user = User.objects.create_user(email="officer@bench.example.org", password="bench password 1")  # noqa: S106
    membership_add(centre=centre, user=user, role=Role.EXAMS_OFFICER)
    rows = [
        CandidateData(unique_id=f"B{n:06d}", first_name=NAMES[n % len(NAMES)][0], last_name=NAMES[n % len(NAMES)][1])
        for n in range(count)
    ]
    scores = [
        # On B2 First's scale (122 to 190), across its bands.
        scored(RD=130 + n % 60, UE=135 + n % 50, WR=132 + n % 55, LI=145 + n % 40, SP=140 + n % 45)
        for n in range(60)
    ]
    graded = [grade_row(qualification=fce, scores=s) for s in scores]
    with transaction.atomic():
        candidates_upsert(centre=centre, rows=rows)
        ids = dict(Candidate.objects.filter(centre=centre).values_list("unique_id", "pk"))
        entries = entries_save(
            rows=[
                EntryData(centre.pk, ids[row.unique_id], fce.pk, series[n // 10_000].pk, f"{n % 10_000:04d}")
                for n, row in enumerate(rows)
            ]
        )
        results_record(rows=[(entry_id, graded[n % len(graded)]) for n, entry_id in enumerate(entries.values())])
    return {"user": user.pk, "seconds": time.perf_counter() - started}


def run_job(user_id: int) -> dict[str, Any]:
    """Start the job as the search page does, wait for it, then check its two files."""
    _django()
    import io
    import zipfile

    from django.core.files.storage import storages
    from pypdf import PdfReader

    from examdesk.accounts.models import User
    from examdesk.centres.models import Centre
    from examdesk.jobs.models import Job, JobPart
    from examdesk.results.centre.search import Criteria
    from examdesk.results.statements.bulk import statements_start

    user = User.objects.get(pk=user_id)
    centre = Centre.objects.get(number=CENTRE)
    started = time.perf_counter()
    job = statements_start(actor=user, centre=centre, criteria=Criteria(), entry_ids=None)
    while True:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if job.status != Job.Status.SUCCEEDED:
        raise SystemExit(f"The job failed: {job.error}")
    files = {file.key: file for file in job.files.all()}
    storage = storages["private"]
    with storage.open(files["print"].path, "rb") as handle:
        pages = len(PdfReader(io.BytesIO(handle.read())).pages)
    with storage.open(files["singles"].path, "rb") as handle, zipfile.ZipFile(handle) as archive:
        names = [name for name in archive.namelist() if name.endswith(".pdf")]
        sample = archive.read(names[len(names) // 2])
    single = PdfReader(io.BytesIO(sample))
    from examdesk.documents.signing import check

    signed = check(sample).valid
    parts = list(JobPart.objects.filter(job=job))
    runs = {part.run_token.split(":")[1] for part in parts}
    assert job.started_at and job.finished_at
    first = min(p.started_at for p in parts if p.started_at)
    last = max(p.finished_at for p in parts if p.finished_at)
    return {
        "seconds": seconds,
        "worker_seconds": (job.finished_at - job.started_at).total_seconds(),
        "total": job.total,
        "message": job.message,
        "pages": pages,
        "singles": len(names),
        "unique_names": len(set(names)),
        "single_pages": len(single.pages),
        "single_signed": signed,
        "pdf_mb": files["print"].size / 2**20,
        "zip_mb": files["singles"].size / 2**20,
        "processes": len(runs),
        "parts": len(parts),
        "queued": (job.started_at - job.created_at).total_seconds(),
        "planning": (first - job.started_at).total_seconds(),
        "drawing": (last - first).total_seconds(),
        "joining": (job.finished_at - last).total_seconds(),
    }


# --- WeasyPrint: the same statement from HTML and CSS ----------------------------------------------------------------

CSS = """
@page { size: A4; margin: 50pt; }
body { font-family: {fonts}; color: #0b0c0c; font-size: 10pt; margin: 0; }
.statement { page-break-after: always; }
.board { color: #1d3a5f; font-weight: 700; font-size: 11pt; margin: 0; }
h1 { font-size: 24pt; margin: 4pt 0 6pt; border-bottom: 2pt solid #1d3a5f; padding-bottom: 6pt; }
h2 { font-size: 18pt; margin: 10pt 0 6pt; }
h3 { font-size: 12pt; margin: 10pt 0 4pt; }
.fields { display: flex; flex-wrap: wrap; }
.field { width: 33%; margin-bottom: 8pt; }
.field.wide { width: 66%; } .field.full { width: 100%; }
.label { color: #505a5f; font-size: 8.5pt; display: block; }
.value { font-size: 11.5pt; }
.glance { background: #f3f2f1; display: flex; padding: 8pt 12pt; margin: 8pt 0 14pt; }
.glance div { width: 33%; } .big { font-size: 22pt; font-weight: 700; display: block; }
table.scores { border-collapse: collapse; width: 62%; }
table.scores td { border-bottom: 0.5pt solid #505a5f; padding: 3pt 0; font-size: 10.5pt; }
table.scores td + td { text-align: right; }
table.scores tr.overall td { font-weight: 700; border-top: 1pt solid #0b0c0c; }
.verify { border: 1pt solid #505a5f; display: flex; padding: 6pt; margin-top: 14pt; }
.verify svg.qr { width: 88pt; height: 88pt; margin-right: 12pt; }
.code { font-size: 20pt; font-weight: 700; display: block; }
.footer { color: #505a5f; font-size: 8.5pt; margin-top: 10pt; }
"""


def _qr_svg(value: str) -> str:
    from examdesk.documents.layout import qr_matrix

    modules = qr_matrix(value)
    size = len(modules) + 8
    rects = "".join(
        f'<rect x="{x + 4}" y="{y + 4}" width="1" height="1"/>'
        for y, row in enumerate(modules)
        for x, dark in enumerate(row)
        if dark
    )
    return f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}">{rects}</svg>'


def statement_html(data: Any) -> str:
    from examdesk.documents.layout import format_date
    from examdesk.documents.profile import profile_svg

    e = html.escape
    rows = "".join(f"<tr><td>{e(name)}</td><td>{e(score)}</td></tr>" for name, score in data.components)
    dob = format_date(data.date_of_birth) if data.date_of_birth else "Not given"
    cefr = f'<div><span class="label">CEFR level</span><span class="big">{e(data.cefr_level)}</span></div>'
    certificate = "A certificate is awarded for this result." if data.awards_certificate else "No certificate."
    return f"""<section class="statement">
<p class="board">{e(data.board_name)}</p><h1>Statement of results</h1>
<h2>{e(data.candidate_name)}</h2>
<div class="fields">
 <div class="field"><span class="label">Candidate number</span>
  <span class="value">{e(data.candidate_number)}</span></div>
 <div class="field"><span class="label">ID number</span><span class="value">{e(data.id_number)}</span></div>
 <div class="field"><span class="label">Date of birth</span><span class="value">{e(dob)}</span></div>
 <div class="field wide"><span class="label">Qualification</span>
  <span class="value">{e(data.qualification_name)} ({e(data.qualification_code)})</span></div>
 <div class="field"><span class="label">Series</span><span class="value">{e(data.series_name)}</span></div>
 <div class="field full"><span class="label">Centre</span>
  <span class="value">{e(data.centre_number)} {e(data.centre_name)}</span></div>
</div>
<div class="glance">
 <div><span class="label">Overall score</span><span class="big">{e(data.overall_score)}</span></div>
 <div><span class="label">Result</span><span class="big">{e(data.result_label)}</span>Grade {e(data.grade)}</div>
 {cefr if data.cefr_level else ""}
</div>
<p>{certificate}</p>
<h3>Graphical profile</h3>{profile_svg(data.profile, element_id="profile")}
<h3>Scores</h3>
<table class="scores">{rows}<tr class="overall"><td>Overall score</td><td>{e(data.overall_score)}</td></tr></table>
<div class="verify">{_qr_svg(data.verification_url)}<div>
 <span class="label">Verification code</span><span class="code">{e(data.verification_code)}</span>
 Anyone can check this statement: scan the QR code, or go to {e(data.verification_url)} and enter the ID number
 {e(data.id_number)} and the verification code.</div></div>
<p class="footer">Issued on {format_date(data.issue_date)} by {e(data.board_name)}. This statement is not a
 certificate.</p>
</section>"""


def _pango_or_explain() -> str | None:
    """None when WeasyPrint can run; otherwise what to do."""
    try:
        import weasyprint  # noqa: F401
    except ModuleNotFoundError:
        return 'WeasyPrint is not installed: .venv/bin/pip install -e ".[bench]"'
    except OSError:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            print("Installing Debian's pango for WeasyPrint…", flush=True)
            subprocess.run(["apt-get", "update", "-qq"], check=False)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "libpango-1.0-0", "libpangoft2-1.0-0"],
                check=False,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
            return None
        return "WeasyPrint needs pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    return None


def weasyprint_baseline(sample: int) -> dict[str, Any]:
    _django()
    from weasyprint import CSS as Stylesheet
    from weasyprint import HTML

    from examdesk.documents.fonts import FAMILIES
    from examdesk.results import gate
    from examdesk.results.models import Entry
    from examdesk.results.statements.data import (
        statement_data,
        statement_entries,
        statement_issue_date,
        verification_url,
    )

    entries = statement_entries(Entry.objects.filter(centre__number=CENTRE).order_by("candidate_number", "pk"))
    items = []
    for entry in entries[:sample]:
        shown = gate.show(entry)
        items.append(
            statement_data(shown, issue_date=statement_issue_date(shown), verification_url=verification_url(entry))
        )
    # The same fonts, by family, from the same Debian packages (fontconfig finds them), in the same order.
    css = CSS.replace("{fonts}", ", ".join(f'"{family}"' for family in FAMILIES))
    sheet = Stylesheet(string=css)

    def document(body: str) -> str:
        head = '<meta charset="utf-8"><title>Statements of results</title>'
        return f'<!doctype html><html lang="en-GB"><head>{head}</head><body>{body}</body></html>'

    HTML(string=document(statement_html(items[0]))).write_pdf(stylesheets=[sheet])  # fonts loaded and warm
    started = time.perf_counter()
    singles = [HTML(string=document(statement_html(item))).write_pdf(stylesheets=[sheet]) for item in items]
    single_seconds = time.perf_counter() - started
    started = time.perf_counter()
    merged = HTML(string=document("".join(statement_html(item) for item in items))).write_pdf(stylesheets=[sheet])
    merged_seconds = time.perf_counter() - started
    import io

    from pypdf import PdfReader

    return {
        "sample": len(items),
        "single_seconds": single_seconds,
        "merged_seconds": merged_seconds,
        "merged_pages": len(PdfReader(io.BytesIO(merged)).pages),
        "single_kb": sum(len(s) for s in singles) / len(singles) / 1024,
    }


# --- What one statement costs: typesetting, shaping, signing -------------------------------------------------------


def costs(sample: int) -> dict[str, Any]:
    """Per statement, in one process: typeset unsigned (the job's single files), the shaping inside that, signing."""
    _django()
    import uharfbuzz as hb

    from examdesk.documents import fonts, signing
    from examdesk.documents.statements import _prepare, statement_unsigned
    from examdesk.results import gate
    from examdesk.results.models import Entry
    from examdesk.results.statements.data import (
        statement_data,
        statement_entries,
        statement_issue_date,
        verification_url,
    )

    entries = statement_entries(Entry.objects.filter(centre__number=CENTRE).order_by("candidate_number", "pk"))
    items = []
    for entry in entries[:sample]:
        shown = gate.show(entry)
        items.append(
            statement_data(shown, issue_date=statement_issue_date(shown), verification_url=verification_url(entry))
        )
    statement_unsigned(items[0], says_signed=True)  # fonts loaded, compiler warm
    started = time.perf_counter()
    unsigned = [statement_unsigned(item, says_signed=True) for item in items]
    typeset = (time.perf_counter() - started) / len(items)

    signer = signing.board_signer()
    assert signer is not None, "the bench configures a signing key"
    signer.sign(unsigned[0])
    started = time.perf_counter()
    signed = [signer.sign(pdf) for pdf in unsigned]
    sign = (time.perf_counter() - started) / len(items)
    assert signing.check(signed[-1]).valid

    # Shaping alone: every text the statement prints, shaped by HarfBuzz with the chain's font for its script.
    faces = {}
    for folder in fonts.font_dirs():
        for name in ("NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf",
                     "NotoSansDevanagari-Regular.ttf", "NotoSansBengali-Regular.ttf", "NotoSansThai-Regular.ttf",
                     "NotoSansCJK-Regular.ttc"):  # fmt: skip
            if (folder / name).exists() and name not in faces:
                faces[name] = hb.Font(hb.Face(hb.Blob.from_file_path(str(folder / name))))

    def font_for(text: str) -> Any:
        for low, high, name in ((0x0600, 0x06FF, "NotoSansArabic-Regular.ttf"),
                                (0x0590, 0x05FF, "NotoSansHebrew-Regular.ttf"),
                                (0x0900, 0x097F, "NotoSansDevanagari-Regular.ttf"),
                                (0x0980, 0x09FF, "NotoSansBengali-Regular.ttf"),
                                (0x0E00, 0x0E7F, "NotoSansThai-Regular.ttf"),
                                (0x1100, 0xD7FF, "NotoSansCJK-Regular.ttc")):  # fmt: skip
            if any(low <= ord(c) <= high for c in text):
                return faces[name]
        return faces["NotoSans-Regular.ttf"]

    def texts(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [t for key, v in value.items() if key not in ("qr", "shapes") for t in texts(v)]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        return []

    prepared = [texts(_prepare(item, signed=True)) + [s["text"] for s in _prepare(item, signed=True)["chart"]["shapes"]
                if s["kind"] == "text"] for item in items]  # fmt: skip
    started = time.perf_counter()
    for strings in prepared:
        for text in strings:
            buffer = hb.Buffer()
            buffer.add_str(text)
            buffer.guess_segment_properties()
            hb.shape(font_for(text), buffer, {})
    shaping = (time.perf_counter() - started) / len(items)

    # The same statement with a Latin name and with each complex-script name: what the scripts add to typesetting.
    from dataclasses import replace

    latin = [replace(items[0], candidate_first_name="Ana", candidate_last_name=f"Pereira {n}") for n in range(40)]
    complex_ = [replace(items[0], candidate_first_name=NAMES[4 + n % 9][0], candidate_last_name=NAMES[4 + n % 9][1])
                for n in range(40)]  # fmt: skip
    started = time.perf_counter()
    for item in latin:
        statement_unsigned(item, says_signed=True)
    latin_seconds = (time.perf_counter() - started) / len(latin)
    started = time.perf_counter()
    for item in complex_:
        statement_unsigned(item, says_signed=True)
    complex_seconds = (time.perf_counter() - started) / len(complex_)
    return {
        "sample": len(items),
        "typeset_ms": typeset * 1000,
        "sign_ms": sign * 1000,
        "shaping_ms": shaping * 1000,
        "latin_ms": latin_seconds * 1000,
        "complex_ms": complex_seconds * 1000,
        "unsigned_kb": sum(map(len, unsigned)) / len(unsigned) / 1024,
        "signed_kb": sum(map(len, signed)) / len(signed) / 1024,
    }


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [p for c in child.read_text().split() for p in _tree(int(c))]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return found


def _memory_kb(pid: int, field: str) -> int:
    name = "smaps_rollup" if field == "Pss" else "status"
    key = "Pss:" if field == "Pss" else "VmRSS:"
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


class MemorySampler(threading.Thread):
    """Samples the worker's process tree every 20 ms: the peak of the summed PSS and RSS, and of one process."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = threading.Event()
        self.pss = self.rss = self.one = self.processes = 0

    def run(self) -> None:
        while not self.stop.wait(0.02):
            pids = _tree(self.pid)
            rss = [_memory_kb(p, "VmRSS") for p in pids]
            self.pss = max(self.pss, sum(_memory_kb(p, "Pss") for p in pids))
            self.rss = max(self.rss, sum(rss))
            self.one = max(self.one, max(rss, default=0))
            self.processes = max(self.processes, len(pids))


# --- The run ---------------------------------------------------------------------------------------------------------


def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr[-4000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _wait_ready(log: Path, worker: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            sys.exit(f"The worker stopped:\n{log.read_text(errors='replace')[-3000:]}")
        if " ready." in log.read_text(errors="replace"):
            return
        time.sleep(0.1)
    sys.exit(f"The worker did not start:\n{log.read_text(errors='replace')[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200, help="statements WeasyPrint renders for the baseline")
    parser.add_argument("--workers", type=int, default=2, help="worker pool processes")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway folder (database and files)")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: setup | weasyprint | costs | run
    parser.add_argument("--arg", action="append", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        found = {
            "setup": lambda: setup(args.count),
            "weasyprint": lambda: weasyprint_baseline(args.sample),
            "costs": lambda: costs(min(args.sample, 100)),
            "run": lambda: run_job(int(args.arg[0])),
        }[args.step]()
        print(json.dumps(found))
        return

    folder = ROOT / "var" / f"bench-statements-{os.getpid()}"
    folder.mkdir(parents=True)
    load_before = os.getloadavg()
    _django()
    from examdesk.documents.signing import self_signed_pair

    pair = self_signed_pair("Examdesk Assessment Board")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "EXAMDESK_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "EXAMDESK_SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "EXAMDESK_LOG_LEVEL": "WARNING",
        "EXAMDESK_SITE_URL": "https://results.example.org",
        "EXAMDESK_SIGNING_KEY": pair.key_pem.decode(),  # signatures on: every single file is signed
        "EXAMDESK_SIGNING_CERT": pair.cert_pem.decode(),
    }
    env.pop("EXAMDESK_BROKER_URL", None)  # the embedded default: a folder broker, no server
    worker = None
    try:
        print(f"Building {args.count:,} released entries in {folder.relative_to(ROOT)}…", flush=True)
        made = _child(env, "--step", "setup", "--count", str(args.count))
        print(f"  done in {made['seconds']:.1f} s")

        problem = _pango_or_explain()
        baseline = None
        if problem:
            print(f"WeasyPrint baseline skipped: {problem}")
        else:
            print(f"WeasyPrint baseline: {args.sample} of the same statements from HTML and CSS…", flush=True)
            baseline = _child(env, "--step", "weasyprint", "--sample", str(args.sample))
        print("What one statement costs (typesetting, shaping, signing), on a sample in one process…", flush=True)
        cost = _child(env, "--step", "costs", "--sample", str(args.sample))

        log = folder / "worker.log"
        with log.open("wb") as handle:
            worker = subprocess.Popen(
                [sys.executable, "-m", "examdesk.manage", "worker", "--concurrency", str(args.workers), "--no-beat",
                 "--loglevel", "INFO"],
                cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        _wait_ready(log, worker)
        sampler = MemorySampler(worker.pid)
        sampler.start()
        print(f"Running the statements job on a worker pool of {args.workers} processes…", flush=True)
        job = _child(env, "--step", "run", "--arg", str(made["user"]))
        sampler.stop.set()
        sampler.join()

    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    report(job, baseline, sampler, cost, (load_before, os.getloadavg()))


def report(
    job: dict[str, Any],
    baseline: dict[str, Any] | None,
    sampler: MemorySampler,
    cost: dict[str, Any],
    load: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> None:
    count = job["total"]
    rate = count / job["seconds"]
    pss_mb, rss_mb, one_mb = sampler.pss / 1024, sampler.rss / 1024, sampler.one / 1024
    lines = [
        f"\n{count:,} statements of results, as one print file and a zip of single files (together):",
        f"  wall time            {job['seconds']:6.1f} s from the click to the files "
        f"({job['worker_seconds']:.1f} s in the worker), {job['parts']} chunks shared by {job['processes']} processes",
        f"  rate                 {rate:6.0f} statements/s (each in both files)",
        f"  steps                waiting for a worker {job['queued']:.1f} s, choosing {job['planning']:.1f} s, "
        f"drawing {job['drawing']:.1f} s, joining the files {job['joining']:.1f} s",
        f"  files                print file {job['pdf_mb']:.0f} MB with {job['pages']:,} pages; "
        f"zip {job['zip_mb']:.0f} MB with {job['singles']:,} signed single files ({job['unique_names']:,} names), "
        f"each of {job['single_pages']} page (was ~300 MB for the zip before)",
        f"  names                {CJK_OR_ARABIC:.0%} Chinese, Japanese, Korean or Arabic; also Hebrew, Devanagari, "
        "Bengali, Thai, Greek, Cyrillic, Vietnamese",
        f"  peak memory          {pss_mb:6.0f} MB for the whole worker pool ({sampler.processes} processes, "
        f"proportional set size; {rss_mb:.0f} MB counting shared pages in each; {one_mb:.0f} MB the largest one)",
    ]
    assert job["pages"] == job["singles"] == job["unique_names"] == count, job
    assert job["single_signed"], "the single files are signed"
    lines += [
        f"\nOne statement, in one process ({cost['sample']} of the same statements):",
        f"  typesetting (Typst)  {cost['typeset_ms']:6.1f} ms, a {cost['unsigned_kb']:.0f} KB file",
        f"  of which shaping     {cost['shaping_ms']:6.2f} ms for HarfBuzz alone to shape every text of the page; "
        f"a statement typesets in {cost['latin_ms']:.1f} ms with a Latin name, {cost['complex_ms']:.1f} ms with "
        "a name in another script (CJK, Arabic, Hebrew, Indic, Thai: fallback fonts and shaping)",
        f"  signing (pyHanko)    {cost['sign_ms']:6.1f} ms, {cost['signed_kb'] - cost['unsigned_kb']:.0f} KB added",
    ]
    ratio = None
    if baseline:
        sample = baseline["sample"]
        single_rate = sample / baseline["single_seconds"]
        merged_rate = sample / baseline["merged_seconds"]
        both_rate = sample / (baseline["single_seconds"] + baseline["merged_seconds"])
        ratio = rate / both_rate
        lines += [
            f"\nWeasyPrint in the same run, {sample} of the same statements from an HTML+CSS template with the same "
            "Noto fonts, one process (timed on this sample; its rate extrapolated to the whole count):",
            f"  single files         {single_rate:6.1f} statements/s ({baseline['single_kb']:.0f} KB each)",
            f"  one merged file      {merged_rate:6.1f} pages/s",
            f"  both files: baseline {both_rate:6.1f} statements/s; the job is {ratio:,.0f}x faster "
            f"({rate / single_rate:,.0f}x the single files alone, {rate / merged_rate:,.0f}x the merged file alone)",
        ]
    lines.append(
        f"\nLoad average of the (shared) machine: {load[0][0]:.2f} before, {load[1][0]:.2f} after "
        f"(1-minute; 5-minute {load[1][1]:.2f})"
    )
    lines.append("\nTargets (issue 18):")
    allowed = TARGET_SECONDS * count / 10_000
    checks = [
        (f"{count:,} statements within {allowed:.0f} s (10,000 in {TARGET_SECONDS:.0f})",
         job["seconds"] <= allowed, f"{job['seconds']:.1f} s"),
        (f"at least {TARGET_RATIO:.0f}x the WeasyPrint rate", None if ratio is None else ratio >= TARGET_RATIO,
         "not measured" if ratio is None else f"{ratio:,.0f}x"),
        (f"peak memory under {TARGET_MB:.0f} MB", pss_mb < TARGET_MB, f"{pss_mb:.0f} MB"),
    ]  # fmt: skip
    for label, met, figure in checks:
        verdict = "not measured" if met is None else ("met" if met else "NOT MET")
        lines.append(f"  {label:<40} {figure:>12}   {verdict}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
