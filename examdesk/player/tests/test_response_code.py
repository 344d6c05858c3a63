from __future__ import annotations

import pytest

from examdesk.player import response_code
from examdesk.player.response_code import MISTYPED, ResponseCodeError, decode, encode

ANSWERS = {12: "a", 13: ["a", "c"], 14: "Café au lait", 15: "3.5"}


def test_round_trip():
    text = encode(attempt_id=7, section_id=3, token="ABCDEFGHJK0123456789", answers=ANSWERS, sequence=42)
    assert text.startswith("EXD1-")
    assert all(len(block) <= 5 for block in text.split("-")[1:])
    code = decode(text)
    assert code.attempt_id == 7 and code.section_id == 3 and code.token == "ABCDEFGHJK0123456789"
    assert code.answers == ANSWERS and code.sequence == 42


def test_decoding_forgives_case_spaces_line_breaks_and_lookalikes():
    text = encode(attempt_id=1, section_id=2, token="T" * 20, answers={5: "b"}, sequence=1)
    body = text[5:].replace("0", "O").replace("1", "l")
    loose = "exd1-" + "\n".join(body.lower()[i : i + 11] for i in range(0, len(body), 11)).replace("-", " ")
    assert decode(loose).answers == {5: "b"}


def test_a_changed_character_is_caught():
    text = encode(attempt_id=1, section_id=2, token="T" * 20, answers={5: "b"}, sequence=1)
    position = 9
    changed = text[:position] + ("A" if text[position] != "A" else "B") + text[position + 1 :]
    with pytest.raises(ResponseCodeError) as error:
        decode(changed)
    assert error.value.message == MISTYPED
    with pytest.raises(ResponseCodeError):
        decode(text[:-3])


def test_not_a_code():
    with pytest.raises(ResponseCodeError) as error:
        decode("hello")
    assert error.value.message == response_code.NOT_A_CODE


def test_a_changed_last_character_is_caught_even_in_the_padding_bits():
    for answers in ({1: "a"}, {1: "a", 2: ["b", "c"]}, {7: "colour", 8: "3,5"}):
        code = encode(attempt_id=4, section_id=9, token="A" * 20, answers=answers, sequence=3)
        last = code[-1]
        for other in response_code.ALPHABET:
            if other == last:
                continue
            with pytest.raises(ResponseCodeError):
                decode(code[:-1] + other)


def test_version_2_carries_when_the_code_was_made_and_when_each_answer_was_given():
    from datetime import UTC, datetime

    from examdesk.player.response_code import decode, encode

    made = datetime(2026, 6, 12, 9, 30, tzinfo=UTC)
    given = datetime(2026, 6, 12, 9, 12, 5, tzinfo=UTC)
    text = encode(
        attempt_id=7, section_id=3, token="T", answers={11: "b"}, sequence=4, made_at=made, answered_at={11: given}
    )
    code = decode(text)
    assert (code.made_at, code.answered_at, code.answers) == (made, {11: given}, {11: "b"})
    old = decode(encode(attempt_id=7, section_id=3, token="T", answers={11: "b"}, sequence=4))
    assert (old.made_at, old.answered_at) == (None, {})  # a code of an older player: no times
