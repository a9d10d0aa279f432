"""The intake form: who may register, a case from a point or a place, reporter, photos, all
or nothing on bad input, one case for a double submit, possible duplicates, point → grid."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anju.cases import services as s
from anju.cases.models import Attachment, Case, Reporter
from anju.web.intake_forms import category_choices, region_choices
from anju.web.tests.conftest import english_client, png

URL = reverse("web:intake")


# The smallest JPEG files start with SOI and APP0 (JFIF); the service judges by these bytes.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"





def form_data(**overrides) -> dict:
    data = {"kind": "complaint", "category": "urban.light", "text": "滨河路 3 号路灯不亮", "channel": "hotline",
            "priority": "normal", "lat": "31.905", "lng": "108.605", "address": "滨河路 3 号", "region": "",
            "reporter_name": "王五", "reporter_phone": "13911112222", "reporter_email": "ww@example.com",
            "idempotency_key": "k-1"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def nothing_created():
    return Case.objects.count() == 0 and Attachment.objects.count() == 0 and Reporter.objects.count() == 0


# ---------------------------------------------------------------------------- who may register


def test_it_sends_anonymous_visitors_to_sign_in(county):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["nobody", "handler", "supervisor", "leader"])
def test_it_is_not_found_for_those_who_cannot_register(client, people, persona):
    client.force_login(getattr(people, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data()).status_code == 404
    assert Case.objects.count() == 0


def test_it_offers_the_form_with_the_channel_of_the_role(people):
    dispatcher_page = english_client(people.dispatcher).get(URL)
    assert dispatcher_page.status_code == 200
    assert dispatcher_page.context["form"]["channel"].value() == "hotline"
    gridworker_page = english_client(people.gridworker).get(URL)
    assert gridworker_page.context["form"]["channel"].value() == "grid_worker"
    html = gridworker_page.content.decode()
    assert 'capture="environment"' in html and 'accept="image/*"' in html and "multiple" in html
    assert "data-pickmap" in html and 'hx-get="/work/new/duplicates/"' in html


def test_it_lists_active_categories_grouped_and_only_the_users_places(county, people):
    county.noise.is_active = False
    county.noise.save()
    groups = dict(category_choices(public_only=False)[1:])
    assert [code for code, _label in groups["城乡建设"]] == ["urban", "urban.light", "urban.road"]
    assert "env.noise" not in str(groups)
    places = [code for _group, options in region_choices(people.gridworker)[1:] for code, _label in options]
    assert places == [county.tucheng.code, county.grid1.code, county.grid2.code]


# ---------------------------------------------------------------------------- registering


def test_it_registers_a_case_with_the_grid_from_the_point_the_reporter_and_photos(county, people):
    client = english_client(people.dispatcher)
    photos = [SimpleUploadedFile("现场1.png", png(), content_type="image/png"),
              SimpleUploadedFile("现场2.jpg", JPEG, content_type="image/jpeg")]
    response = client.post(URL, {**form_data(channel="walk_in", priority="urgent"), "attachments": photos},
                           follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[0] == (reverse("web:case_detail", kwargs={"case_id": case.pk}), 302)
    assert case.grid == county.grid1 and case.region == county.grid1
    assert case.channel == "walk_in" and case.priority == "urgent" and case.created_by == people.dispatcher
    assert (case.reporter.name, case.reporter.phone, case.reporter.email) == ("王五", "13911112222",
                                                                               "ww@example.com")
    assert sorted(a.content_type for a in case.attachments.all()) == ["image/jpeg", "image/png"]
    shown = [str(m) for m in response.context["messages"]]
    assert any(case.tracking_code[:4] in m and case.tracking_code[4:] in m for m in shown)


def test_it_registers_a_case_at_a_chosen_place_without_a_point(county, people):
    response = english_client(people.gridworker).post(URL, form_data(lat="", lng="", region=county.grid2.code,
                                                                     channel="grid_worker"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.region == county.grid2 and case.grid == county.grid2 and case.lat is None
    assert case.channel == "grid_worker"


def test_it_keeps_no_contact_for_an_anonymous_reporter_and_marks_confidential(county, people):
    english_client(people.dispatcher).post(URL, form_data(anonymous="on", confidential="on"))
    case = Case.objects.get()
    assert case.reporter is None and case.confidential and Reporter.objects.count() == 0


def test_it_makes_one_case_when_the_form_is_sent_twice(county, people):
    client = english_client(people.dispatcher)
    first = client.post(URL, form_data(idempotency_key="double-tap"))
    second = client.post(URL, form_data(idempotency_key="double-tap"))
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"text": "  "}, "text"),
    ({"lat": "", "lng": ""}, "lat"),
    ({"lat": "200"}, "lat"),
    ({"lat": "abc"}, "lat"),
    ({"lng": ""}, "lat"),
    ({"category": "no.such"}, "category"),
    ({"kind": "gossip"}, "kind"),
    ({"reporter_email": "not-an-address"}, "reporter_email"),
    ({"reporter_phone": "call me"}, "reporter_phone"),
    ({"lat": "31.0", "lng": "100.0"}, "lat"),  # in no grid and no place chosen
])
def test_it_shows_bad_input_next_to_the_field_and_creates_nothing(county, people, overrides, field):
    response = english_client(people.dispatcher).post(URL, form_data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert nothing_created()


def test_it_refuses_a_renamed_program_and_creates_nothing(county, people):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, content_type="image/jpeg")
    good = SimpleUploadedFile("ok.png", png(), content_type="image/png")
    response = english_client(people.dispatcher).post(URL, {**form_data(), "attachments": [good, fake]})
    assert response.status_code == 400
    errors = response.context["form"].errors["attachments"]
    assert "photo.jpg" in errors[0] and "Only JPEG, PNG" in errors[0]
    assert nothing_created()
    assert 'class="field-error"' in response.content.decode()


def test_it_undoes_the_case_when_a_photo_fails_after_it_was_made(county, people, monkeypatch):
    def broken(actor, case, upload, now=None):
        raise s.CaseError("The disk is full.", status=409, field="file")

    monkeypatch.setattr(s, "add_attachment", broken)
    photo = SimpleUploadedFile("a.png", png(), content_type="image/png")
    response = english_client(people.dispatcher).post(URL, {**form_data(), "attachments": [photo]})
    assert response.status_code == 400 and response.context["form"].errors["attachments"] == ["The disk is full."]
    assert nothing_created()


def test_it_refuses_a_grid_worker_outside_his_village_with_a_field_error(county, people):
    # Grid 3 lies in 太和社区 (复兴); the grid worker patrols 土城社区.
    response = english_client(people.gridworker).post(URL, form_data(lat="31.955", lng="108.705"))
    assert response.status_code == 400
    assert response.context["form"].errors["lat"] == [
        "This place lies outside the area where you may register cases."]
    assert nothing_created()


def test_it_refuses_a_place_outside_the_users_area_in_the_list(county, people):
    response = english_client(people.gridworker).post(URL, form_data(lat="", lng="", region=county.grid3.code))
    assert response.status_code == 400 and response.context["form"].errors["region"]
    assert nothing_created()


# ---------------------------------------------------------------------------- duplicates


@pytest.fixture
def nearby(county, people, new_case):
    """An open street-light case by grid 1's corner, one far away, one of another category,
    one resolved."""
    c = type("Nearby", (), {})()
    c.same = new_case(text="路灯不亮 A", lat=31.9051, lng=108.6051)
    c.far = new_case(text="路灯不亮 far", lat=31.955, lng=108.705)
    c.other = new_case(text="噪声 nearby", category_code="env.noise", lat=31.9051, lng=108.6051)
    c.done = new_case(text="路灯 resolved", lat=31.9050, lng=108.6052)
    s.accept_case(people.dispatcher, c.done)
    s.dispatch_case(people.dispatcher, c.done)
    s.start_case(people.handler, c.done)
    s.resolve_case(people.handler, c.done, reply="修好了")
    return c


def test_it_lists_open_cases_nearby_in_the_same_category(nearby, people):
    response = english_client(people.dispatcher).get(
        reverse("web:intake_duplicates"), {"category": "urban.light", "lat": "31.905", "lng": "108.605",
                                           "text": "路灯"})
    assert response.status_code == 200
    assert [c.pk for c in response.context["duplicates"]] == [nearby.same.pk]
    html = response.content.decode()
    assert reverse("web:case_detail", kwargs={"case_id": nearby.same.pk}) in html
    assert "<html" not in html  # a partial


def test_it_lists_only_cases_the_user_may_see(nearby, people):
    # The 复兴 township dispatcher may register cases, but not see 葛城's.
    response = english_client(people.township_dispatcher).get(
        reverse("web:intake_duplicates"), {"category": "urban.light", "lat": "31.905", "lng": "108.605"})
    assert response.status_code == 200 and response.context["duplicates"] == []
    assert nearby.same.tracking_code not in response.content.decode()


def test_it_asks_for_a_category_and_a_point_before_looking(nearby, people):
    response = english_client(people.dispatcher).get(reverse("web:intake_duplicates"), {"category": "urban.light"})
    assert response.status_code == 200 and response.context["duplicates"] is None
    bad = english_client(people.dispatcher).get(reverse("web:intake_duplicates"),
                                                {"category": "urban.light", "lat": "nan", "lng": "1"})
    assert bad.status_code == 200 and bad.context["duplicates"] is None


def test_the_duplicates_list_has_the_pages_permissions(nearby, people):
    url = reverse("web:intake_duplicates")
    assert Client().get(url).status_code == 302
    for persona in ("nobody", "handler"):
        client = Client()
        client.force_login(getattr(people, persona))
        assert client.get(url, {"category": "urban.light", "lat": "31.905", "lng": "108.605"}).status_code == 404


def test_it_checks_for_duplicates_without_javascript_and_keeps_what_was_typed(nearby, people):
    before = Case.objects.count()
    response = english_client(people.dispatcher).post(URL, form_data(text="这里的路灯又不亮了", check_duplicates="1"))
    assert response.status_code == 200 and Case.objects.count() == before
    assert [c.pk for c in response.context["duplicates"]] == [nearby.same.pk]
    assert "这里的路灯又不亮了" in response.content.decode()


# ---------------------------------------------------------------------------- point → grid


def test_it_tells_the_grid_village_and_township_of_a_point(county):
    response = Client().get(reverse("web:locate"), {"lat": "31.905", "lng": "108.615"})
    assert response.status_code == 200
    assert response.json() == {
        "grid": {"code": county.grid2.code, "name": county.grid2.name},
        "village": {"code": county.tucheng.code, "name": county.tucheng.name},
        "township": {"code": county.gecheng.code, "name": county.gecheng.name},
    }


@pytest.mark.parametrize(("query", "status"), [
    ({"lat": "31.0", "lng": "100.0"}, 404),
    ({"lat": "abc", "lng": "108.6"}, 400),
    ({"lat": "95", "lng": "108.6"}, 400),
    ({"lat": "inf", "lng": "108.6"}, 400),
    ({}, 400),
])
def test_it_answers_bad_or_outside_points_with_a_message(county, query, status):
    response = Client().get(reverse("web:locate"), query)
    assert response.status_code == status and response.json()["message"]
