"""Registering a petition (登记) from the staff pages: how it came, the matter and the request,
where, the body and official it is about, a report of wrongdoing, and the petitioners in as many
rows as needed without JavaScript; all or nothing, once however often it is sent, and bad input
named next to its field."""

from datetime import timedelta

import pytest

from anju.cases import deadlines
from anju.cases.models import Case
from anju.lib.workdays import local_date
from anju.petitions.models import Petition, Petitioner
from anju.petitions.tests.test_pages_detail import page_client
from anju.web.fields import today
from anju.web.tests.conftest import english_client

URL = "/work/petitions/new/"


@pytest.fixture
def as_persona(people, petitions):
    return lambda who: page_client(people, petitions, who)


def form(**changes) -> dict:
    data = {
        "form": "visit", "category": "petition.land", "text": "征地补偿款至今未足额发放",
        "request": "请求足额发放征地补偿款", "lat": "", "lng": "", "address": "土城社区5组",
        "region": "500229001001001", "about_office": "", "about_official": "", "group_size": "",
        "idempotency_key": "k1", "rows": "3",
        "p-0-name": "王秀英", "p-0-phone": "13800005678", "p-0-address": "土城社区5组8号",
        "p-0-is_representative": "on",
        "p-1-name": "赵德明", "p-1-phone": "13900004321", "p-1-address": "",
        "p-2-name": "", "p-2-phone": "", "p-2-address": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def nothing_written():
    return not Case.objects.exists() and not Petition.objects.exists() and not Petitioner.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in_and_refuses_users_who_do_not_register(as_persona):
    response = english_client().get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for who in ("nobody", "handler", "leader", "supervisor", "gridworker", "township_leader"):
        assert as_persona(who).get(URL).status_code == 404, who
        assert as_persona(who).post(URL, form()).status_code == 404, who
    assert nothing_written()


def test_it_offers_petition_categories_and_three_petitioner_rows(as_persona):
    response = as_persona("clerk").get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "征地拆迁" in html and "干部作风" in html and "路灯故障" not in html
    assert 'name="p-2-name"' in html and 'name="p-3-name"' not in html and 'name="add_row"' in html
    assert "Letter (来信)" in html and "Online (网上信访)" in html
    # The report of wrongdoing says what it does.
    assert "never passed to the body it is about and that body never sees it" in html
    assert 'name="idempotency_key"' in html


def test_it_registers_the_petition_with_its_record_and_petitioners(as_persona, petitions, county):
    response = as_persona("clerk").post(URL, form(about_office="fx", about_official="某副主任"))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/work/petitions/{case.pk}/"
    assert (case.kind, case.category.code, case.channel, case.region.code, case.created_by, case.status) == (
        "petition", "petition.land", "walk_in", "500229001001001", petitions.clerk, "submitted")
    assert case.about_office == county.fuxing_office and not case.reports_wrongdoing
    petition = Petition.objects.get(case=case)
    assert (petition.form, petition.request, petition.about_official, petition.group_size) == (
        "visit", "请求足额发放征地补偿款", "某副主任", 2)
    assert list(petition.petitioners.values_list("name", "phone", "address", "is_representative")) == [
        ("王秀英", "13800005678", "土城社区5组8号", True), ("赵德明", "13900004321", "", False)]
    # The route clock of 第二十二条 runs.
    assert case.due_at == case.accept_due_at and case.due_at is not None


def test_it_registers_by_the_point_and_a_group_size(as_persona, county):
    response = as_persona("dispatcher").post(URL, form(region="", lat="31.905", lng="108.615", group_size="40",
                                                       form="letter"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.grid == county.grid2 and case.channel == "letter" and case.petition.group_size == 40


def test_a_report_of_wrongdoing_is_confidential_and_kept_from_the_body_it_is_about(as_persona, people, petitions):
    response = as_persona("clerk").post(URL, form(category="petition.conduct", about_office="gc",
                                                  reports_wrongdoing="on"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reports_wrongdoing and case.confidential and case.about_office.code == "gc"
    assert as_persona("township_leader").get(response.url).status_code == 404


def test_sending_the_same_form_twice_registers_one_petition(as_persona):
    client = as_persona("clerk")
    first = client.post(URL, form())
    second = client.post(URL, form())
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Case.objects.count() == 1 and Petitioner.objects.count() == 2


def test_an_anonymous_petition_needs_no_petitioner(as_persona):
    response = as_persona("clerk").post(URL, form(**{"p-0-name": "", "p-0-phone": "", "p-0-address": "",
                                                     "p-0-is_representative": None, "p-1-name": "",
                                                     "p-1-phone": ""}))
    assert response.status_code == 302
    assert Petition.objects.get().group_size == 1 and not Petitioner.objects.exists()


def test_it_adds_petitioner_rows_without_javascript_keeping_what_was_typed(as_persona):
    client = as_persona("clerk")
    response = client.post(URL, form(add_row="1"))
    html = response.content.decode()
    assert response.status_code == 200 and nothing_written()
    assert 'name="p-3-name"' in html and 'name="p-4-name"' not in html and 'name="rows" value="4"' in html
    assert 'value="王秀英"' in html and "征地补偿款至今未足额发放" in html and "field-error" not in html
    response = client.post(URL, form(rows="4", **{"p-2-name": "孙立", "p-3-name": "李红", "p-3-phone": "13700001111",
                                                  "p-3-address": ""}))
    assert response.status_code == 302
    assert list(Petitioner.objects.order_by("id").values_list("name", flat=True)) == [
        "王秀英", "赵德明", "孙立", "李红"]
    assert Petition.objects.get().group_size == 4


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"p-1-phone": "call me"}, "p-1-phone", "Phone may hold only digits"),
    ({"p-2-address": "土城社区"}, "p-2-name", "Give the petitioner"),
    ({"category": ""}, "category", "This field is required."),
    ({"category": "urban.road"}, "category", "Select a valid choice."),
    ({"text": ""}, "text", "This field is required."),
    ({"reports_wrongdoing": "on"}, "about_office", "Name the body"),
    ({"about_official": "某街道副主任"}, "about_office", "Name the body the official works for"),
    ({"group_size": "1"}, "group_size", "cannot be fewer than the petitioners recorded"),
    ({"region": ""}, "region", "Give the point, or choose the grid, village or township."),
    ({"lat": "31.9"}, "lat", "Give both latitude and longitude, or neither."),
    ({"form": "fax"}, "form", "Select a valid choice."),
])
def test_it_refuses_bad_input_naming_the_field_and_writes_nothing(as_persona, changes, field, words):
    response = as_persona("clerk").post(URL, form(**changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please correct the fields marked below; nothing was registered." in html
    error = html.split(f'id="id_{field}_error"', 1)[1].split("</p>", 1)[0]
    assert words in error, error
    assert nothing_written()
    # What was typed is still there.
    assert 'value="王秀英"' in html


def test_a_place_outside_the_users_area_is_refused(as_persona):
    # 复兴's dispatcher gives a point in 葛城.
    response = as_persona("township_dispatcher").post(URL, form(region="", lat="31.905", lng="108.605"))
    assert response.status_code == 400
    error = response.content.decode().split('id="id_region_error"', 1)[1].split("</p>", 1)[0]
    assert "outside the area where you may register" in error
    assert nothing_written()


def test_a_letter_received_earlier_counts_its_fifteen_days_from_then(as_persona):
    received = today() - timedelta(days=4)
    response = as_persona("clerk").post(URL, form(received_on=received.isoformat()))
    assert response.status_code == 302
    case = Case.objects.get()
    assert local_date(case.submitted_at) == received
    # The 15th day after receipt, or the first working day after it (test_statutory has the rule).
    last, _estimated = deadlines.calendar_for(case.submitted_at).period_end(received, 15)
    assert last >= received + timedelta(days=15) and local_date(case.accept_due_at) == last


def test_a_day_of_receipt_out_of_the_calendar_is_refused_without_a_crash(as_persona):
    response = as_persona("clerk").post(URL, form(received_on="0001-01-01"))
    assert response.status_code == 400 and nothing_written()
