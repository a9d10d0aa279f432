from datetime import timedelta

from django.utils import timezone

from anju.cases import services as s


def test_it_offers_open_cases_nearby_in_the_same_category(new_case):
    first = new_case(lat=31.9050, lng=108.6050)
    near = new_case(lat=31.9060, lng=108.6055)  # about 120 m away
    far = new_case(lat=31.9050, lng=108.6150)  # about 950 m away
    other_category = new_case(lat=31.9050, lng=108.6050, category_code="env.noise")
    found = s.duplicate_candidates(first)
    assert near in found and far not in found and other_category not in found and first not in found


def test_it_leaves_out_old_and_closed_cases(new_case, people):
    old = new_case(now=timezone.now() - timedelta(days=30))
    closed = s.reject_case(people.dispatcher, new_case(), reply="重复")
    fresh = new_case()
    found = s.duplicate_candidates(fresh)
    assert old not in found and closed not in found


def test_it_accepts_a_point_and_category_before_a_case_exists(new_case, county):
    first = new_case()
    assert s.duplicate_candidates((31.9051, 108.6051), category=county.light) == [first]
