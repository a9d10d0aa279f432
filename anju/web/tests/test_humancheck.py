"""The human check: a sum checked from a signed token, with no outside service; not too fast,
not too old, right answer, each token once."""

import pytest
from django.core import signing

from anju.web import humancheck as hc

T0 = 1_780_000_000.0  # when the form was served


def failure(token, answer, now):
    with pytest.raises(hc.HumanCheckFailed) as raised:
        hc.verify(token, answer, now=now)
    return raised.value.code


def test_it_accepts_the_right_answer_a_few_seconds_later():
    challenge = hc.new_challenge(now=T0)
    hc.verify(challenge.token, str(challenge.answer), now=T0 + 5)
    assert 2 <= challenge.answer <= 18
    assert hc.question_for(challenge.token) == challenge.question


@pytest.mark.parametrize(("typed", "value"), [("7", 7), (" 7 ", 7), ("７", 7), ("七", 7), ("seven", 7),
                                              ("十二", 12), ("Twelve", 12), ("12。", 12), ("abc", None)])
def test_it_reads_answers_in_digits_and_in_words(typed, value):
    assert hc.parse_answer(typed) == value


def test_it_says_what_is_wrong():
    challenge = hc.new_challenge(now=T0)
    wrong = str(challenge.answer + 1)
    assert failure(challenge.token, wrong, T0 + 10) == "wrong"
    assert failure(challenge.token, "", T0 + 10) == "missing"
    assert failure(challenge.token, str(challenge.answer), T0 + 1) == "too_fast"
    assert failure(challenge.token, str(challenge.answer), T0 + 2 * 3600 + 1) == "expired"
    assert failure("not-a-token", "7", T0 + 10) == "invalid"


def test_it_refuses_a_token_someone_made_up():
    forged = signing.dumps({"a": 1, "b": 1, "n": "x", "t": int(T0)}, salt="another.salt")
    assert failure(forged, "2", T0 + 10) == "invalid"
    tampered = hc.new_challenge(now=T0).token
    tampered = tampered[:5] + ("A" if tampered[5] != "A" else "B") + tampered[6:]
    assert failure(tampered, "2", T0 + 10) == "invalid"


def test_a_token_is_good_once():
    challenge = hc.new_challenge(now=T0)
    assert hc.consume(challenge.token) is True
    assert hc.consume(challenge.token) is False
    assert failure(challenge.token, str(challenge.answer), T0 + 10) == "used"


def test_each_question_is_new():
    tokens = {hc.new_challenge(now=T0).token for _ in range(20)}
    assert len(tokens) == 20
    assert hc.token_id("garbage") is None and hc.question_for("garbage") is None
