"""What of a case may be shown in public (``anju.cases.public``): which cases are listed, how
precisely each is located, and what is blanked in a resident's text."""

import pytest

from anju.cases import services as s
from anju.cases.choices import LocationPrecision
from anju.cases.models import Case, Category
from anju.cases.public import (
    awaiting_acceptance,
    code_may_be_public,
    is_awaiting_acceptance,
    is_listed,
    listed_cases,
    public_point,
    public_text,
)
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.petitions.tests import flow as petition_flow

# Inside grid 1 of 葛城 (108.60–108.61, 31.90–31.91), off its centre (31.905, 108.605).
LAT, LNG = 31.90734, 108.60281


@pytest.fixture
def shown(county):
    """Categories shown in public at every precision, and township centres to fall back on."""
    for category, precision in ((county.light, LocationPrecision.EXACT), (county.road, LocationPrecision.APPROXIMATE),
                                (county.noise, LocationPrecision.GRID)):
        category.public_location = precision
        category.save()
    county.smell = Category.objects.create(code="env.smell", name="异味", public_location=LocationPrecision.TOWNSHIP)
    county.secret = Category.objects.create(code="env.secret", name="内部分类")  # hidden by default
    county.gecheng.lat, county.gecheng.lng = 31.91, 108.62
    county.gecheng.save()
    return county


@pytest.fixture
def accepted(new_case, people):
    """A case made and accepted by the dispatcher: only then may it be listed."""

    def make(**fields):
        return petition_flow.accept(people, new_case(**fields))

    return make


def loaded(case) -> Case:
    return Case.objects.select_related("category", "grid", "region").get(pk=case.pk)


def test_it_lists_an_ordinary_case_in_a_shown_category_once_accepted(shown, new_case, people):
    case = new_case()
    assert not is_listed(case) and is_awaiting_acceptance(case)
    assert list(listed_cases()) == [] and list(awaiting_acceptance()) == [case]
    case = s.accept_case(people.dispatcher, case)
    assert is_listed(case) and not is_awaiting_acceptance(case)
    assert list(listed_cases()) == [case] and list(awaiting_acceptance()) == []


def test_it_never_lists_a_case_rejected_without_acceptance(shown, new_case, people):
    case = s.reject_case(people.dispatcher, new_case(), reply="不属于受理范围")
    assert case.accepted_at is None
    assert not is_listed(case) and not is_awaiting_acceptance(case)
    assert list(listed_cases()) == list(awaiting_acceptance()) == []


def test_a_case_stays_listed_through_its_life_once_accepted(shown, new_case, people):
    case = s.accept_case(people.dispatcher, new_case())
    case = s.dispatch_case(people.dispatcher, case)
    case = s.start_case(people.handler, case)
    case = s.resolve_case(people.handler, case, reply="已修复")
    assert is_listed(case) and list(listed_cases()) == [case]


@pytest.mark.parametrize("overrides", [
    {"confidential": True},
    {"about_office_code": "gc"},
    {"kind": "report"},
    {"kind": "petition"},
    {"category_code": "env.secret"},
    {"category_code": "urban"},  # the parent of shown categories is itself hidden
], ids=["confidential", "about-an-office", "report-of-wrongdoing", "petition", "hidden-category", "hidden-parent"])
def test_it_never_lists(shown, accepted, overrides):
    case = accepted(**overrides)
    assert not is_listed(case) and not is_awaiting_acceptance(case)
    assert case not in listed_cases() and case not in awaiting_acceptance()


def test_it_stops_listing_a_case_merged_into_another(shown, accepted, people):
    target = accepted()
    duplicate = accepted(text="滨河路路灯坏了")
    duplicate = s.merge_case(people.dispatcher, duplicate, into=target)
    assert not is_listed(duplicate)
    assert list(listed_cases()) == [target]


def test_is_listed_agrees_with_listed_cases(shown, accepted, new_case, people):
    made = [accepted(), accepted(confidential=True), accepted(kind="report"), accepted(category_code="urban.road"),
            accepted(category_code="env.secret"), accepted(about_office_code="jtj"), new_case(),
            new_case(confidential=True), s.reject_case(people.dispatcher, new_case(), reply="不予受理")]
    s.merge_case(people.dispatcher, made[3], into=made[0])
    listed = set(listed_cases().values_list("pk", flat=True))
    awaiting = set(awaiting_acceptance().values_list("pk", flat=True))
    everything = list(Case.objects.select_related("category"))
    assert {c.pk for c in everything if is_listed(c)} == listed
    assert {c.pk for c in everything if is_awaiting_acceptance(c)} == awaiting
    assert listed == {made[0].pk}
    assert awaiting == {made[6].pk}


def test_an_exact_category_shows_the_point(shown, new_case):
    assert public_point(loaded(new_case(lat=LAT, lng=LNG))) == (LAT, LNG)


def test_an_approximate_category_rounds_to_three_decimals(shown, new_case):
    point = public_point(loaded(new_case(category_code="urban.road", lat=LAT, lng=LNG)))
    assert point == (31.907, 108.603)
    assert point != (LAT, LNG)


def test_a_grid_category_shows_the_grid_centre(shown, new_case, county):
    point = public_point(loaded(new_case(category_code="env.noise", lat=LAT, lng=LNG)))
    assert point == (county.grid1.lat, county.grid1.lng)


def test_a_township_category_shows_the_township_centre(shown, new_case):
    assert public_point(loaded(new_case(category_code="env.smell", lat=LAT, lng=LNG))) == (31.91, 108.62)


def test_a_grid_without_a_centre_falls_back_to_the_township(shown, new_case, county):
    Region.objects.filter(pk=county.grid1.pk).update(lat=None, lng=None)
    assert public_point(loaded(new_case(category_code="env.noise", lat=LAT, lng=LNG))) == (31.91, 108.62)


def test_a_case_without_a_point_shows_its_township_even_in_an_exact_category(shown, new_case):
    case = new_case(lat=None, lng=None, region_code="500229001001")
    assert public_point(loaded(case)) == (31.91, 108.62)


def test_it_shows_nothing_without_a_township_centre(shown, new_case, county):
    case = new_case(category_code="env.smell", lat=31.955, lng=108.705)  # 复兴 has no centre
    assert public_point(loaded(case)) is None


def test_it_shows_nothing_for_a_hidden_category(shown, new_case):
    assert public_point(loaded(new_case(category_code="env.secret", lat=LAT, lng=LNG))) is None


def test_a_list_finds_townships_without_a_query_per_case(shown, new_case, django_assert_num_queries):
    cases = [loaded(new_case(category_code="env.smell", lat=LAT, lng=LNG)),
             loaded(new_case(category_code="env.smell", lat=31.955, lng=108.705)),
             loaded(new_case(category_code="env.smell", lat=None, lng=None, region_code="500229001"))]
    expected = [public_point(case) for case in cases]
    townships = {t.path: t for t in Region.objects.filter(level=Level.TOWNSHIP)}
    with django_assert_num_queries(0):
        assert [public_point(case, townships=townships) for case in cases] == expected
    assert expected == [(31.91, 108.62), None, (31.91, 108.62)]


@pytest.mark.parametrize("text, hidden", [
    ("请联系我 13800001234", "13800001234"),
    ("电话 138 0000 1234 或 023-8888-1234", "0000"),
    ("身份证 11010519491231002X", "1101051949"),
    ("邮件 zhang.san+1@example.com.cn", "example"),
    ("全角号码１３８００００１２３４", "１３８"),
])
def test_public_text_blanks_numbers_and_addresses_that_identify_a_person(text, hidden):
    result = public_text(text)
    assert hidden not in result
    assert "【已隐去】" in result


def test_public_text_keeps_ordinary_words_and_short_numbers():
    for text in ("滨河路3号楼前2盏路灯不亮，已打12345", "1234 5th street", "11月24日下午3点"):
        assert public_text(text) == text


class _Reporter:
    def __init__(self, name="", phone="", email=""):
        self.name, self.phone, self.email = name, phone, email


class _Case:
    """Just what ``public_text`` reads of a case."""

    def __init__(self, **reporter):
        self.reporter = _Reporter(**reporter)
        self.reporter_id = 1
        self.kind, self.pk = "complaint", None


@pytest.mark.parametrize("name, text, expected", [
    ("张三", "张三同志您好：路灯已修复。", "【已隐去】您好：路灯已修复。"),
    ("张三", "张三您好，张同志反映的问题已解决", "【已隐去】您好，【已隐去】反映的问题已解决"),
    ("张三", "张先生、张女士、张师傅、张老人、张大爷、张阿姨", "、".join(["【已隐去】"] * 6)),
    ("赵小梅", "小梅：您反映的路灯已修复，赵女士请查收。", "【已隐去】：您反映的路灯已修复，【已隐去】请查收。"),
    ("赵小梅", "赵小梅同志", "【已隐去】"),
    ("欧阳娜娜", "欧阳女士：娜娜反映的情况属实", "【已隐去】：【已隐去】反映的情况属实"),
    ("司马光", "司马先生好", "【已隐去】好"),
    ("张 三", "张三先生", "【已隐去】"),
    ("John Smith", "Dear Mr. smith, thanks JOHN SMITH. Smithfield stays.",
     "Dear Mr. 【已隐去】, thanks 【已隐去】. Smithfield stays."),
])
def test_public_text_blanks_the_reporters_name_and_how_replies_address_them(name, text, expected):
    assert public_text(text, _Case(name=name)) == expected


def test_public_text_keeps_the_other_words_of_a_short_name():
    # The given name 三 alone is one character: blanking it would blank every 三.
    assert public_text("三号楼张三反映", _Case(name="张三")) == "三号楼【已隐去】反映"
    assert public_text("三号楼", _Case(name="张")) == "三号楼"  # a one-character name is left alone
    assert public_text("他们来电", _Case(name="张三")) == "他们来电"


def test_public_text_blanks_the_reporters_own_short_phone_and_mail():
    case = _Case(name="", phone="66123", email="a@b.cn")
    assert public_text("请拨 66123，或写信给 a@b.cn", case) == "请拨 【已隐去】，或写信给 【已隐去】"


def test_public_text_without_a_reporter_blanks_only_numbers_and_mail(shown, new_case):
    case = new_case(reporter_name="", reporter_phone="")
    assert case.reporter_id is None
    # Numbers, mail, and other people's names where the words say they are names.
    assert public_text("张三同志 13800001234", case) == "【已隐去】同志 【已隐去】"
    assert public_text("张三同志 13800001234", new_case()) == "【已隐去】"  # the fixture's reporter is 张三


@pytest.mark.parametrize("overrides, public", [
    ({}, True),
    ({"category_code": "env.smell"}, True),
    ({"confidential": True}, False),
    ({"about_office_code": "gc"}, False),
    ({"kind": "report"}, False),
    ({"category_code": "env.secret"}, False),
])
def test_a_tracking_code_may_be_public_whenever_the_case_may_be_listed(shown, new_case, people, overrides, public):
    case = new_case(**overrides)
    assert code_may_be_public(case) is public
    merged = s.merge_case(people.dispatcher, case, into=new_case())
    assert code_may_be_public(merged) is public  # its code may have been listed before the merge
