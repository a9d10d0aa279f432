"""Reporter data: masked by default, hidden on confidential cases from the office concerned,
every reveal logged."""

import pytest

from anju.cases import services as s
from anju.cases.access import can_reveal_person
from anju.cases.models import PersonalDataAccess
from anju.lib import masking


def test_it_masks_names_and_phones():
    assert masking.mask_name("张三丰") == "张**"
    assert masking.mask_phone("13800001234") == "138****1234"
    assert masking.mask_phone("12345") == "*****"


def test_a_reveal_is_logged(new_case, people):
    case = new_case()
    reporter = s.reveal_reporter(people.dispatcher, case, reason="回访核实")
    assert reporter.phone == "13800001234"
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.case, log.granted, log.reason) == (people.dispatcher, case, True, "回访核实")


def test_a_refused_reveal_is_logged_too(new_case, people):
    case = new_case()
    with pytest.raises(s.CaseError) as refused:
        s.reveal_reporter(people.leader, case)
    assert refused.value.status == 403
    assert PersonalDataAccess.objects.get().granted is False


def test_a_confidential_case_hides_the_reporter_from_the_office_it_concerns(new_case, people, county):
    case = new_case(confidential=True, about_office_code="gc")
    s.accept_case(people.dispatcher, case)
    case = s.dispatch_case(people.dispatcher, case)
    assert case.office == county.gecheng_office
    assert not can_reveal_person(people.handler, case)
    with pytest.raises(s.CaseError):
        s.reveal_reporter(people.handler, case)
    assert can_reveal_person(people.dispatcher, case)


def test_an_anonymous_case_has_no_reporter(new_case):
    case = new_case(reporter_name="", reporter_phone="")
    assert case.reporter is None
