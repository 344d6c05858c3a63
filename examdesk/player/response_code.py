"""Response codes: a section's answers carried by hand when the player could not reach the server.

Format (the browser builds it in static/player/response-code.js; staff paste or upload it on the progress page):

- payload = JSON (UTF-8, no spaces) ``{"v":2,"a":<attempt id>,"s":<section id>,"t":"<section token>",
  "r":{"<item id>":<answer>,...},"n":<last save sequence number>,"c":<made at>,"w":{"<item id>":<answered at>,...}}``
  with the times in whole seconds since 1970 (UTC) by the device's clock. Version 1 (players before the times were
  added) has no "c" and "w"; its answers carry no time;
- bytes = deflate-raw(payload) (zlib with wbits=-15);
- body = bytes + CRC-32 of bytes (4 bytes, big-endian);
- text = "EXD1-" + Crockford base32 of body (no padding) in blocks of 5 separated by "-".

Decoding forgives case, spaces, line breaks and the look-alikes O→0, I/L→1.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "EXD1"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
MAX_TEXT = 200_000

MISTYPED = "The code was mistyped or changed: check it against the screen or use the downloaded file."
NOT_A_CODE = "This is not a response code: it should begin with EXD1-."


class ResponseCodeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ResponseCode:
    attempt_id: int
    section_id: int
    token: str
    answers: dict[int, Any] = field(default_factory=dict)
    sequence: int = 0
    #: When the device made the code, and when each answer was given (by the device's clock); None in version 1.
    made_at: datetime | None = None
    answered_at: dict[int, datetime] = field(default_factory=dict)


def b32encode(data: bytes) -> str:
    out = []
    buffer = bits = 0
    for byte in data:
        buffer = (buffer << 8) | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            out.append(ALPHABET[(buffer >> bits) & 31])
    if bits:
        out.append(ALPHABET[(buffer << (5 - bits)) & 31])
    return "".join(out)


def b32decode(text: str) -> bytes:
    out = bytearray()
    buffer = bits = 0
    for ch in text:
        value = _VALUE.get(ch)
        if value is None:
            raise ResponseCodeError(MISTYPED)
        buffer = ((buffer << 5) | value) & 0xFFFF
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((buffer >> bits) & 0xFF)
    if bits >= 5 or buffer & ((1 << bits) - 1):
        # Left-over bits are padding and must be zero: a changed last character is caught, not ignored.
        raise ResponseCodeError(MISTYPED)
    return bytes(out)


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(value: Any) -> datetime:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**40:
        raise ResponseCodeError(MISTYPED)
    return datetime.fromtimestamp(value, tz=UTC)


def encode(
    *,
    attempt_id: int,
    section_id: int,
    token: str,
    answers: dict[int, Any] | dict[str, Any],
    sequence: int,
    made_at: datetime | None = None,
    answered_at: dict[int, datetime] | dict[str, datetime] | None = None,
) -> str:
    """The code for these answers (version 2 with the times; version 1, as older players made it, without)."""
    data: dict[str, Any] = {
        "v": 1,
        "a": attempt_id,
        "s": section_id,
        "t": token,
        "r": {str(k): v for k, v in answers.items()},
        "n": sequence,
    }
    if made_at is not None:
        data["v"] = 2
        data["c"] = _seconds(made_at)
        data["w"] = {str(k): _seconds(v) for k, v in (answered_at or {}).items()}
    payload = json.dumps(
        data,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(payload) + compressor.flush()
    body = raw + zlib.crc32(raw).to_bytes(4, "big")
    text = b32encode(body)
    return "-".join([PREFIX, *(text[i : i + 5] for i in range(0, len(text), 5))])


def normalise(text: str) -> str:
    """Upper case, no white space or dashes, look-alikes mended; the prefix kept apart by the caller."""
    return re.sub(r"[\s\-]+", "", text.upper()).translate(_LOOKALIKES)


def decode(text: str) -> ResponseCode:
    if len(text) > MAX_TEXT:
        raise ResponseCodeError(MISTYPED)
    cleaned = normalise(text)
    # "EXD1" survives normalise unchanged except for a typed "EXDI"/"EXDL", mended to "EXD1" by the look-alikes.
    if not cleaned.startswith(PREFIX):
        raise ResponseCodeError(NOT_A_CODE)
    body = b32decode(cleaned[len(PREFIX) :])
    if len(body) < 5:
        raise ResponseCodeError(MISTYPED)
    raw, crc = body[:-4], body[-4:]
    if zlib.crc32(raw).to_bytes(4, "big") != crc:
        raise ResponseCodeError(MISTYPED)
    try:
        decompressor = zlib.decompressobj(-15)
        payload = decompressor.decompress(raw, 1_000_000)
        if decompressor.unconsumed_tail:
            raise ResponseCodeError(MISTYPED)
        data = json.loads(payload.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError) as error:
        raise ResponseCodeError(MISTYPED) from error
    try:
        if data["v"] not in (1, 2):
            raise ResponseCodeError(MISTYPED)
        attempt_id, section_id, token, sequence = data["a"], data["s"], data["t"], data["n"]
        answers_in = data["r"]
        if not (
            isinstance(attempt_id, int)
            and isinstance(section_id, int)
            and isinstance(token, str)
            and isinstance(sequence, int)
            and isinstance(answers_in, dict)
        ):
            raise ResponseCodeError(MISTYPED)
        answers = {int(key): value for key, value in answers_in.items()}
        made_at = None
        answered_at: dict[int, datetime] = {}
        if data["v"] == 2:
            made_at = _moment(data["c"])
            if not isinstance(data["w"], dict):
                raise ResponseCodeError(MISTYPED)
            answered_at = {int(key): _moment(value) for key, value in data["w"].items()}
    except (KeyError, TypeError, ValueError, OverflowError, OSError) as error:
        raise ResponseCodeError(MISTYPED) from error
    return ResponseCode(
        attempt_id=attempt_id,
        section_id=section_id,
        token=token,
        answers=answers,
        sequence=sequence,
        made_at=made_at,
        answered_at=answered_at,
    )
