"""The redactor measured on the fixed corpus (``redaction_corpus.jsonl``, written before the
redactor; see ``test_redaction_corpus.py``) with the thresholds Anju promises, and its forms one
by one. ``anju bench redact`` prints the figures and the time per text."""

import pytest

from anju.bench.redaction import NEVER_MISSED, measure
from anju.lib.redact import MARK, Person, redact, restore


@pytest.fixture(scope="module")
def figures():
    return measure()


@pytest.mark.parametrize("kind", NEVER_MISSED)
def test_it_misses_no_phone_id_number_mail_address_or_known_name_form(figures, kind):
    assert figures["found"][kind] >= 10
    assert figures["missed"][kind] == 0


def test_it_catches_at_least_nine_in_ten_other_names(figures):
    assert figures["found"]["other_name"] >= 80
    assert figures["missed"]["other_name"] <= 0.10 * figures["found"]["other_name"]


def test_it_blanks_at_most_two_in_a_hundred_characters_of_ordinary_words(figures):
    assert figures["blanked"] <= 0.02 * figures["ordinary"]


@pytest.mark.parametrize("text, gone", [
    ("电话139-8765-4321", "8765"), ("电话 139 8765 4321", "8765"), ("+86 139 8765 4321", "8765"),
    ("+8613987654321", "87654321"), ("一三九八七六五四三二一", "八七六五"), ("幺三九 八七六五 四三二幺", "八七六五"),
    ("139八七六五4321", "八七六五"), ("座机023-61234567", "61234567"), ("(023)6123 4567转806", "806"),
    ("身份证50022919850312001X", "19850312"), ("身份证500229198503120018", "19850312"),
    ("身份证500229198503120019", "19850312"),  # a wrong check digit: still hidden
    ("身份证500229850312001", "850312"), ("邮箱 wang.jg@163.com", "163"), ("wangjg＠qq.com", "wangjg"),
    ("家住城关镇幸福村3组12号，", "幸福村3组12号"), ("住址：葛城街道南大街88号3单元", "南大街88号"),
])
def test_it_hides_numbers_mail_and_homes_in_every_form(text, gone):
    result = redact(text)
    assert gone not in result and MARK in result


@pytest.mark.parametrize("text, gone", [
    ("王建国反映", "王建国"), ("王 建 国反映", "建"), ("王先生您好", "王先生"), ("老王说", "老王"), ("小王说", "小王"),
    ("建国说", "建国"), ("王大爷家", "王大爷"),
])
def test_it_hides_the_known_person_in_every_form_of_the_name(text, gone):
    assert gone not in redact(text, [Person(name="王建国")])


@pytest.mark.parametrize("text, gone", [
    ("李梅反映", "李梅"), ("阿梅说", "阿梅"), ("小梅说", "小梅"), ("梅梅说", "梅梅"),
])
def test_it_hides_a_one_character_given_name_with_its_prefixes(text, gone):
    assert gone not in redact(text, [Person(name="李梅")])


@pytest.mark.parametrize("text", [
    "滨河路3号楼前2盏路灯不亮，已打12345", "案件2026-000123，金额12000元，面积350平方米", "老百姓反映小区里老人多",
    "记住了，住房和住院的问题", "11月24日下午3点",
])
def test_it_keeps_ordinary_words_amounts_dates_and_codes(text):
    assert redact(text) == text


def test_an_edited_redacted_copy_gets_back_what_its_marks_hid():
    people = [Person(name="王建国", phone="13987654321")]
    whole = "王建国反映路口被挖断，电话13987654321。"
    shown = redact(whole, people)
    assert shown == f"{MARK}反映路口被挖断，电话{MARK}。"
    edited = shown.replace("被挖断", "被挖断一个月")
    assert restore(edited, whole, people) == "王建国反映路口被挖断一个月，电话13987654321。"
    # A mark deleted or typed: the marks no longer match one for one, the edit stands as it is.
    assert restore(f"{MARK}反映路口被挖断。", whole, people) == f"{MARK}反映路口被挖断。"
    assert restore("路口被挖断。", whole, people) == "路口被挖断。"
