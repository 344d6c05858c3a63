"""The test player: its page (/code/player/) and its JSON API (/code/player/api/…), bound to the attempt kept in
the session under "player_attempt". POSTs need the CSRF token in the X-CSRFToken header. Nothing here ever sends
an item's key or marks: items come from catalogue.products.selectors.player_sections."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from examdesk.catalogue.products import selectors as products
from examdesk.core.time import now as current_time
from examdesk.player import invigilation, services
from examdesk.player import sections as play
from examdesk.player.models import Pause
from examdesk.player.selectors import SESSION_KEY, attempt_get_for_session, attempt_section_get
from examdesk.sittings.arrangements import arrangements_for
from examdesk.sittings.models import Attempt, AttemptSection

FINISHED_STATES = (Attempt.State.MARKING, Attempt.State.COMPLETED)
CHUNK = 64 * 1024

View = Callable[..., HttpResponseBase]


def _error(message: str, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _session_attempt(request: HttpRequest) -> Attempt | None:
    return attempt_get_for_session(session=request.session)


def player_api(view: View) -> View:
    """The attempt in the session, usable now (window open, not void or expired, not finished), else a JSON
    refusal: 401 without an attempt, 410 when it can no longer be used, 409 when it is finished."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        attempt = _session_attempt(request)
        if attempt is None:
            return _error(_("Type your access code again to carry on."), 401)
        if attempt.state in FINISHED_STATES:
            return _error(_("You have finished this assessment."), 409, finished=True)
        reason = services.refusal(attempt=attempt, at=current_time())
        if reason:
            return _error(reason, 410)
        try:
            response = view(request, attempt, *args, **kwargs)
        except play.SectionEnded as error:
            return _error(error.message, 409, ended=True)
        except play.PlayerError as error:
            return _error(error.message, 400)
        response["Cache-Control"] = "no-store"
        return response

    return wrapped


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise play.PlayerError(_("The request could not be read.")) from error
    if not isinstance(data, dict):
        raise play.PlayerError(_("The request could not be read."))
    return data


def _paused(attempt_id: int) -> str | None:
    """The kind of the attempt's open pause ("rest_break" or "invigilator"), None when the clock runs."""
    pause = play.open_pause(attempt_id)
    return None if pause is None else pause.kind


def _timing(row: AttemptSection) -> dict[str, Any]:
    left = play.time_left(row)
    return {
        "time_left": None if left is None else round(left, 1),
        "time_up": play.time_is_up(row),
        "paused": _paused(row.attempt_id),
    }


def _section_json(row: AttemptSection) -> dict[str, Any]:
    limit = play.limit_seconds(row)
    return {
        "id": row.section_id,
        "title": row.section.title,
        "state": row.state,
        "time_limit": limit,
        "read_aloud": row.section.read_aloud,
        **_timing(row),
    }


@never_cache
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    attempt = _session_attempt(request)
    if attempt is None or (
        attempt.state not in FINISHED_STATES and services.refusal(attempt=attempt, at=current_time())
    ):
        request.session.pop(SESSION_KEY, None)
        return redirect("player:code")
    return render(
        request,
        "player/player.html",
        {
            "attempt": attempt,
            "api": reverse("player:api_state").removesuffix("state/"),
            "worker": reverse("player:service_worker"),
            "scope": reverse("player:code"),
        },
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The player's service worker at /code/sw.js, so that its scope is /code/ (a script under /static/ could
    only control /static/). Same for everyone: no attempt is needed, and it holds nothing of one."""
    response = render(
        request,
        "player/sw.js",
        {
            "scope": reverse("player:code"),
            "player_page": reverse("player:player"),
            "static_url": settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}",
            "catalogue": reverse("javascript-catalog"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@player_api
def state(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    rows = play.attempt_sections(attempt)
    current = play.current_section(rows)
    arrangements = arrangements_for(attempt)
    return JsonResponse(
        {
            "attempt": attempt.pk,
            "candidate": attempt.candidate.full_name,
            "product": attempt.sitting.product.name,
            "sections": [_section_json(row) for row in rows],
            "current": current.section_id if current else None,
            "heartbeat": play.HEARTBEAT_SECONDS,
            "paused": _paused(attempt.pk),
            "arrangements": {
                "rest_breaks": arrangements.rest_breaks,
                "reader": arrangements.reader,
                "text_size": arrangements.text_size,
                "overlay": arrangements.overlay,
                "contrast": arrangements.contrast,
                "line_reader": arrangements.line_reader,
            },
        }
    )


@require_POST
@player_api
def presence(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """The player is open (on any screen): the console shows the student as connected. Answers whether paused."""
    play.seen(attempt, current_time())
    return JsonResponse({"paused": _paused(attempt.pk)})


@require_POST
@player_api
def rest_break(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """The student starts a supervised rest break (when their access arrangements allow them): the clock stops."""
    invigilation.pause_start(attempt=attempt, kind=Pause.Kind.REST_BREAK, request=request)
    return JsonResponse({"paused": Pause.Kind.REST_BREAK})


@require_POST
@player_api
def rest_break_end(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """The student ends their rest break (not an invigilator's pause): the clock starts again."""
    invigilation.pause_end(attempt=attempt, request=request)
    return JsonResponse({"paused": None})


@require_POST
@player_api
def start(request: HttpRequest, attempt: Attempt, section_id: int) -> HttpResponse:
    row = play.section_start(attempt=attempt, section_id=section_id)
    answers = play.answers_of(row)
    return JsonResponse(
        {
            "section": row.section_id,
            "token": row.token,
            "seq": max((seq for _, seq in answers.values()), default=0),
            "answers": {str(item): {"answer": answer, "seq": seq} for item, (answer, seq) in answers.items()},
            **_timing(row),
        }
    )


@require_GET
@player_api
def items(request: HttpRequest, attempt: Attempt, section_id: int) -> HttpResponse:
    row = attempt_section_get(attempt=attempt, section_id=section_id)
    if row is None:
        raise play.PlayerError(_("This section is not part of your assessment."))
    if row.state == AttemptSection.State.NOT_STARTED:
        raise play.PlayerError(_("Start the section first."))
    section = next((s for s in products.player_sections(product=attempt.sitting.product) if s.id == section_id), None)
    if section is None:
        raise play.PlayerError(_("This section is not part of your assessment."))
    return JsonResponse(
        {
            "section": section.id,
            "title": section.title,
            "instructions": section.instructions,
            "audio": reverse("player:api_audio", args=[section.id]) if section.has_audio else None,
            "read_aloud": section.read_aloud,
            "items": [
                {
                    "id": item.id,
                    "kind": item.kind,
                    "prompt": item.prompt,
                    "options": [{"id": option_id, "text": text} for option_id, text in item.options],
                    "uses_audio": item.uses_audio,
                }
                for item in section.items
            ],
        }
    )


@require_POST
@player_api
def save(request: HttpRequest, attempt: Attempt, section_id: int) -> HttpResponse:
    data = _body(request)
    saved = play.answer_save(
        attempt=attempt, section_id=section_id, item_id=data.get("item"), answer=data.get("answer"), seq=data.get("seq")
    )
    return JsonResponse({"saved": True, "changed": saved.changed, **_timing(saved.attempt_section)})


@require_POST
@player_api
def heartbeat(request: HttpRequest, attempt: Attempt, section_id: int) -> HttpResponse:
    row = play.heartbeat(attempt=attempt, section_id=section_id)
    return JsonResponse({"state": row.state, **_timing(row)})


@require_POST
@player_api
def submit(request: HttpRequest, attempt: Attempt, section_id: int) -> HttpResponse:
    data = _body(request)
    done = play.section_submit(attempt=attempt, section_id=section_id, answers=data.get("answers"))
    current = play.current_section(play.attempt_sections(attempt))
    return JsonResponse(
        {
            "state": done.attempt_section.state,
            "already": done.already,
            "finished": done.finished_attempt,
            "next": current.section_id if current else None,
        }
    )


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _stream(handle: Any, start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


@require_GET
@player_api
def audio(request: HttpRequest, attempt: Attempt, section_id: int) -> HttpResponseBase:
    """The section's audio from private storage, only to this attempt's session while the section is in progress,
    with byte ranges (Safari asks for them before it plays)."""
    row = attempt_section_get(attempt=attempt, section_id=section_id)
    if row is None or row.state != AttemptSection.State.IN_PROGRESS:
        return _error(_("This audio is not available."), 404)
    handle, content_type = products.section_audio(section=row.section)
    size = storages["private"].size(row.section.audio_path)
    start, end, status = 0, size - 1, 200
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:
            start = max(0, size - int(match.group(2)))
        if start >= size or start > end:
            handle.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        status = 206
    length = end - start + 1
    response = StreamingHttpResponse(_stream(handle, start, length), status=status, content_type=content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Cache-Control"] = "private, no-store"
    return response
