"""Phone numbers are masked whatever form they are written in: mobile or landline, with +86 or
0086, grouped with spaces or dashes, the area code in brackets, full-width as Chinese input
methods type them; in a text, every such number is found and masked, and nothing else is."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anju.lib.masking import mask_phone, mask_phones_in


@pytest.mark.parametrize("written,masked", [
    ("13800001234", "138****1234"),
    ("138 0000 1234", "138****1234"),
    ("138-0000-1234", "138****1234"),
    ("+86 138 0000 1234", "138****1234"),
    ("+8613800001234", "138****1234"),
    ("0086 138-0000-1234", "138****1234"),
    ("023-6123 4567", "023****4567"),
    ("023-61234567", "023****4567"),
    ("(023)61234567", "023****4567"),
    ("(023) 6123-4567", "023****4567"),
    ("（０２３）６１２３４５６７", "023****4567"),
    ("+86 23 6123 4567", "023****4567"),
    ("0086-23-61234567", "023****4567"),
    ("6123 4567", "****4567"),
    ("6123456", "****456"),
    ("12345", "*****"),
    ("0086 123456", "******"),
])
def test_a_number_is_masked_whatever_its_form(written, masked):
    assert mask_phone(written) == masked


@given(st.text(alphabet="0123456789", min_size=7, max_size=20))
def test_at_least_four_digits_are_always_hidden(digits):
    masked = mask_phone(digits)
    assert masked.count("*") >= 4
    # 0086 goes, and a 0 comes back before an area code; nothing else is added.
    assert len(masked) <= len(digits)


@pytest.mark.parametrize("text,masked", [
    ("请回电13912345678谢谢", "请回电139****5678谢谢"),
    ("电话：023-6123 4567，找王师傅", "电话：023****4567，找王师傅"),
    ("座机(023)61234567或+86 139 1234 5678", "座机023****4567或139****5678"),
    ("联系（０２３）６１２３－４５６７", "联系023****4567"),
    ("打0086-23-61234567转801", "打023****4567转801"),
    ("身份证500229199001011234", "身份证500***********1234"),
])
def test_every_phone_like_number_in_a_text_is_masked(text, masked):
    assert mask_phones_in(text) == masked
    assert mask_phones_in(masked) == masked


@pytest.mark.parametrize("text", [
    "2026-01-15 起路灯不亮", "2024-2025 年度", "打了12345热线", "滨河路12号3单元", "欠薪 35000 元",
    "坐标 108.6058861, 31.9488512", "（注）全角括号不变",
])
def test_dates_short_numbers_and_fractions_are_left_as_they_are(text):
    assert mask_phones_in(text) == text
