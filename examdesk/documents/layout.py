"""What every document shares besides its template: dates as printed and QR codes."""

from __future__ import annotations

import functools
import itertools
import re
from datetime import date
from typing import Any

from reportlab.graphics.barcode import qrencoder  # type: ignore[import-untyped]

from examdesk.core.time import long_date


def format_date(value: date) -> str:
    """'21 August 2026' in English, '21 de agosto de 2026' in Portuguese: the document's language (CLDR)."""
    return long_date(value)


_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = "10111010000"
_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_LEVEL = qrencoder.QRErrorCorrectLevel.M


def _lost_point(rows: list[int], size: int) -> int:
    """ReportLab's mask penalty (QRUtil.getLostPoint) on rows held as integers: the same score, far faster.

    Rule 1: runs of 5 or more modules of one colour, in rows and columns (length - 2 each). Rule 2: 2x2 blocks of
    one colour (3 each). Rule 3: the finder-like pattern 1011101 0000 in rows (40 each; ReportLab's column check
    never matches, so it adds nothing there either). Rule 4: the share of dark modules away from 50 %.
    """
    texts = [format(row, f"0{size}b") for row in rows]
    score = 0
    for line in itertools.chain(texts, map("".join, zip(*texts, strict=True))):
        for match in _RUN.finditer(line):
            score += len(match.group()) - 2
    everything = (1 << size) - 1
    for upper, lower in itertools.pairwise(rows):
        dark = upper & lower
        light = ~(upper | lower) & everything
        score += 3 * ((dark & (dark >> 1)).bit_count() + (light & (light >> 1)).bit_count())
    last = size - len(_FINDER_LIKE)
    for text in texts:
        at = text.find(_FINDER_LIKE)
        while at != -1 and at < last:
            score += 40
            at = text.find(_FINDER_LIKE, at + len(_FINDER_LIKE))
    dark_count = sum(row.bit_count() for row in rows)
    score += 10 * (abs(100 * dark_count // (size * size) - 50) // 5)
    return score


@functools.lru_cache(maxsize=16)
def _mask_rows(version: int) -> tuple[tuple[int, ...], ...]:
    """For each of the 8 mask patterns, the data modules it flips, as one integer per row (leftmost = top bit)."""
    code = qrencoder.QRCode(version, _LEVEL)
    size = code.moduleCount = version * 4 + 17
    positions = list(code._dataPosIterator())
    masks = []
    for pattern in range(8):
        flips = qrencoder.QRUtil.getMask(pattern)
        rows = [0] * size
        for column, row in positions:
            if flips(row, column):
                rows[row] |= 1 << (size - 1 - column)
        masks.append(tuple(rows))
    return tuple(masks)


@functools.lru_cache(maxsize=64)
def _generator_logs(ec_count: int) -> tuple[int | None, ...]:
    """The Reed-Solomon generator polynomial for `ec_count` codewords, as logarithms (None for a zero)."""
    coefficients = qrencoder.QRUtil.getErrorCorrectPolynomial(ec_count).num
    return tuple(qrencoder.LOG_TABLE[c] if c else None for c in coefficients)


def _codewords(code: Any) -> list[int]:
    """What ReportLab's QRCode.createData returns (data and error correction codewords, interleaved), with the
    generator polynomials computed once per size instead of once per code."""
    version, level = code.version, code.errorCorrectLevel
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    buffer = qrencoder.QRBitBuffer()
    for data in code.dataList:
        data.write(buffer, version)
    capacity = 8 * sum(block.dataCount for block in blocks)
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"Too much data for a QR code ({buffer.getLengthInBits()} > {capacity} bits).")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1))
    while buffer.getLengthInBits() < capacity:
        buffer.put(next(pads), 8)
    exp, log = qrencoder.EXP_TABLE, qrencoder.LOG_TABLE
    data_blocks: list[list[int]] = []
    ec_blocks: list[list[int]] = []
    offset = 0
    for block in blocks:
        data = buffer.buffer[offset : offset + block.dataCount]
        offset += block.dataCount
        generator = _generator_logs(block.totalCount - block.dataCount)
        rest = list(data) + [0] * (len(generator) - 1)
        for index in range(len(data)):  # long division by the generator in GF(256)
            coefficient = rest[index]
            if coefficient:
                shift = log[coefficient] - (generator[0] or 0)  # the generator is monic: log 1 = 0
                for power, generator_log in enumerate(generator[1:], start=1):
                    if generator_log is not None:
                        rest[index + power] ^= exp[(generator_log + shift) % 255]
        data_blocks.append(data)
        ec_blocks.append(rest[len(data) :])
    interleaved = itertools.chain(itertools.zip_longest(*data_blocks), itertools.zip_longest(*ec_blocks))
    return [word for words in interleaved for word in words if word is not None]


def qr_matrix(value: str) -> list[list[bool]]:
    """The modules of a QR code for `value` (error correction M), dark = True: exactly what QrCodeWidget draws.

    ReportLab's encoder lays the code out once per mask pattern to pick the one with the fewest penalty points.
    Here it is laid out once; the other seven are that layout with a different mask flipped in (masks touch data
    modules only, and in the trial layouts the format bits are blank), scored by the same rules.
    """
    code = qrencoder.QRCode(None, _LEVEL)
    code.addData(value)
    code.version = code.calculate_version()
    code.dataCache = _codewords(code)
    code.makeImpl(True, 0)
    size = code.moduleCount
    masks = _mask_rows(code.version)
    unmasked = [int(bytes(row).translate(_DIGITS), 2) ^ flip for row, flip in zip(code.modules, masks[0], strict=True)]
    best, best_score = 0, -1
    for pattern, flips in enumerate(masks):
        score = _lost_point([row ^ flip for row, flip in zip(unmasked, flips, strict=True)], size)
        if best_score < 0 or score < best_score:
            best, best_score = pattern, score
    code.makeImpl(False, best)
    return [list(map(bool, row)) for row in code.modules]


def qr_svg(value: str) -> str:
    """The QR code for `value` as a small SVG with its quiet zone: one path, a rectangle per run of dark modules
    in a row (typesetting one image is far cheaper than hundreds of shapes)."""
    modules = qr_matrix(value)
    size = len(modules) + 8
    runs = []
    for row_index, row in enumerate(modules):
        column = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                runs.append(f"M{column + 4} {row_index + 4}h{length}v1h-{length}z")
            column += length
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<path d="{"".join(runs)}" fill="#000"/></svg>'
    )
