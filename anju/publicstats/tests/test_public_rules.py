"""What of a case may be shown in public (``anju.cases.public``): which cases are listed, how
precisely each is located, and what is blanked in a resident's text."""

import pytest

from anju.cases import services as s
from anju.cases.choices import LocationPrecision
from anju.cases.models import Case, Category
from anju.cases.public import is_listed, listed_cases, public_point, public_text
from anju.geo.choices import Level
from anju.geo.models import Region

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


def loaded(case) -> Case:
    return Case.objects.select_related("category", "grid", "region").get(pk=case.pk)


def test_it_lists_an_ordinary_case_in_a_shown_category(shown, new_case):
    case = new_case()
    assert is_listed(case)
    assert list(listed_cases()) == [case]


@pytest.mark.parametrize("overrides", [
    {"confidential": True},
    {"about_office_code": "gc"},
    {"kind": "report"},
    {"kind": "petition"},
    {"category_code": "env.secret"},
    {"category_code": "urban"},  # the parent of shown categories is itself hidden
], ids=["confidential", "about-an-office", "report-of-wrongdoing", "petition", "hidden-category", "hidden-parent"])
def test_it_never_lists(shown, new_case, overrides):
    case = new_case(**overrides)
    assert not is_listed(case)
    assert case not in listed_cases()


def test_it_stops_listing_a_case_merged_into_another(shown, new_case, people):
    target = new_case()
    duplicate = new_case(text="滨河路路灯坏了")
    duplicate = s.merge_case(people.dispatcher, duplicate, into=target)
    assert not is_listed(duplicate)
    assert list(listed_cases()) == [target]


def test_is_listed_agrees_with_listed_cases(shown, new_case, people):
    made = [new_case(), new_case(confidential=True), new_case(kind="report"), new_case(category_code="urban.road"),
            new_case(category_code="env.secret"), new_case(about_office_code="jtj")]
    s.merge_case(people.dispatcher, made[3], into=made[0])
    listed = set(listed_cases().values_list("pk", flat=True))
    assert {c.pk for c in Case.objects.select_related("category") if is_listed(c)} == listed
    assert listed == {made[0].pk}


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
    assert "***" in result


def test_public_text_keeps_ordinary_words_and_short_numbers():
    for text in ("滨河路3号楼前2盏路灯不亮，已打12345", "1234 5th street", "11月24日下午3点"):
        assert public_text(text) == text
