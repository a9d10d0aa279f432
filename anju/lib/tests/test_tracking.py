from hypothesis import given
from hypothesis import strategies as st

from anju.lib.tracking import ALPHABET, check_character, display, new_code, normalise


def test_it_makes_valid_codes_of_nine_characters():
    for _ in range(200):
        code = new_code()
        assert len(code) == 9 and normalise(code) == code


def test_it_forgives_case_dashes_and_look_alike_letters():
    code = "1000000A" + check_character("1000000A")
    assert normalise(display(code).lower()) == code
    assert normalise("I000000A" + code[-1]) == code  # I read as 1
    assert normalise("1OOOOOOA" + code[-1]) == code  # O read as 0


def test_it_rejects_wrong_lengths_and_foreign_characters():
    assert normalise("") is None
    assert normalise("12345678") is None
    assert normalise("12345678!") is None


@given(st.text(alphabet=ALPHABET, min_size=8, max_size=8), st.integers(0, 7), st.sampled_from(ALPHABET))
def test_any_single_mistyped_character_is_caught(body, position, replacement):
    code = body + check_character(body)
    typo = code[:position] + replacement + code[position + 1:]
    if typo != code:
        assert normalise(typo) is None


@given(st.text(alphabet=ALPHABET, min_size=8, max_size=8), st.integers(0, 6))
def test_any_swap_of_different_neighbours_is_caught_but_zero_and_z(body, position):
    code = body + check_character(body)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    # Luhn mod N's one blind spot, like 09 ↔ 90 in decimal Luhn.
    if swapped != code and {code[position], code[position + 1]} != {"0", "Z"}:
        assert normalise(swapped) is None
