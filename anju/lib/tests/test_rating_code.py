"""Rating codes (评价码): derived from the tracking code and SECRET_KEY, never stored, checked
forgivingly and in constant time."""

from anju.lib.tracking import ALPHABET, RATING_CODE_LENGTH, check_character, check_rating_code, rating_code


def some_codes(count: int) -> list[str]:
    """Valid tracking codes, the same on every run."""
    codes = []
    for n in range(count):
        body = "".join(ALPHABET[(n // len(ALPHABET) ** i) % len(ALPHABET)] for i in range(8))
        codes.append(body + check_character(body))
    return codes


def test_it_makes_six_characters_of_the_tracking_code_alphabet_the_same_each_time():
    for code in some_codes(50):
        made = rating_code(code)
        assert len(made) == RATING_CODE_LENGTH and set(made) <= set(ALPHABET)
        assert rating_code(code) == made


def test_codes_differ_between_cases():
    made = [rating_code(code) for code in some_codes(500)]
    assert len(set(made)) == len(made)


def test_it_depends_on_the_secret_key(settings):
    code = some_codes(1)[0]
    before = rating_code(code)
    settings.SECRET_KEY = "another-secret-key-for-this-test"
    assert rating_code(code) != before
    assert rating_code(code, secret_key="anju-not-the-key") != rating_code(code)


def test_it_forgives_case_spaces_dashes_and_look_alike_letters():
    code = next(c for c in some_codes(200) if {"0", "1"} & set(rating_code(c)))
    made = rating_code(code)
    assert check_rating_code(code, made)
    assert check_rating_code(code, made.lower())
    assert check_rating_code(code, f" {made[:3]} - {made[3:]} ")
    assert check_rating_code(code, made.replace("0", "O").replace("1", "l"))


def test_it_refuses_wrong_empty_and_odd_input_without_raising():
    code, other = some_codes(2)
    made = rating_code(code)
    wrong = made[:5] + ("A" if made[5] != "A" else "B")
    for typed in ("", wrong, made + "A", made[:5], rating_code(other), "评价码一二三", "\x00" * 6, code):
        assert not check_rating_code(code, typed), typed


def test_codes_made_with_an_old_key_still_work_after_the_key_changes(settings):
    code = some_codes(1)[0]
    settings.SECRET_KEY = "the-old-key-of-this-county"
    old = rating_code(code)
    settings.SECRET_KEY = "the-new-key-of-this-county"
    settings.SECRET_KEY_FALLBACKS = []
    assert not check_rating_code(code, old)
    settings.SECRET_KEY_FALLBACKS = ["the-old-key-of-this-county"]
    assert check_rating_code(code, old) and check_rating_code(code, rating_code(code))
