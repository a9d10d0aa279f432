"""The rating code (评价码): tracking codes are public references (Open311 lists them), so rating
an answer or saying it is not solved on /track also needs the case's rating code. The reporter
sees it after reporting and in the message that the case was accepted; staff see it on the case
page; it never appears in public output. Messages to reporters are in the default language."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from anju.cases import services as s
from anju.cases.choices import Action, ClockUnit, Status
from anju.cases.models import Case, Category
from anju.lib import tracking
from anju.notify.models import Notification
from anju.web.tests.conftest import english_client

TRACK = reverse("web:track")
RATE = reverse("web:track_rate")
NOT_SOLVED = reverse("web:track_not_solved")


def resident() -> Client:
    return english_client()


def answered(people, case):
    case = s.accept_case(people.dispatcher, case)
    case = s.dispatch_case(people.dispatcher, case)
    case = s.start_case(people.handler, case)
    return s.resolve_case(people.handler, case, reply="路灯已修复，感谢反映。")


def following(case) -> Client:
    """A browser that looked the case up by its tracking code (as anyone can)."""
    client = resident()
    assert client.post(TRACK, {"code": case.tracking_code}).status_code == 302
    return client


def state(case):
    case.refresh_from_db()
    return case.status, case.satisfaction, case.reopen_count, case.events.count()


def wrong_code_for(case) -> str:
    right = tracking.rating_code(case.tracking_code)
    return right[:5] + ("A" if right[5] != "A" else "B")


# ---------------------------------------------------------------------------- /track


@pytest.mark.parametrize("typed", ["", "wrong", "another case's"])
def test_rating_without_the_right_code_is_refused_next_to_the_field_and_changes_nothing(
        county, people, new_case, typed):
    case = answered(people, new_case())
    other = new_case(text="另一位居民反映的路灯")
    code = {"": "", "wrong": wrong_code_for(case), "another case's": tracking.rating_code(other.tracking_code)}[typed]
    before = state(case)
    response = following(case).post(RATE, {"satisfaction": "1", "note": "差评", "rating_code": code})
    assert response.status_code == 400
    assert list(response.context["rating"].errors) == ["rating_code"]
    html = response.content.decode()
    assert 'id="id_rate_rating_code_error"' in html
    assert ("Please enter the rating code" if not code else "This is not the rating code of this case") in html
    assert response.context["rating"]["note"].value() == "差评"  # what was typed stays
    assert state(case) == before and before[:2] == (Status.RESOLVED, None)
    assert not case.events.filter(action=Action.FOLLOW_UP).exists()


@pytest.mark.parametrize("typed", ["", "wrong", "another case's"])
def test_not_solved_without_the_right_code_is_refused_next_to_the_field_and_changes_nothing(
        county, people, new_case, typed):
    case = answered(people, new_case())
    other = new_case(text="另一位居民反映的路灯")
    code = {"": "", "wrong": wrong_code_for(case), "another case's": tracking.rating_code(other.tracking_code)}[typed]
    before = state(case)
    response = following(case).post(NOT_SOLVED, {"reason": "还是不亮", "rating_code": code})
    assert response.status_code == 400
    assert list(response.context["not_solved"].errors) == ["rating_code"]
    assert 'id="id_not_solved_rating_code_error"' in response.content.decode()
    assert state(case) == before
    assert not case.events.filter(action=Action.REOPEN).exists()


def test_a_closed_case_is_not_reopened_with_a_wrong_code(county, people, new_case):
    case = s.rate_case_by_reporter(answered(people, new_case()), satisfaction=5)
    before = state(case)
    response = following(case).post(NOT_SOLVED, {"reason": "又坏了", "rating_code": wrong_code_for(case)})
    assert response.status_code == 400 and state(case) == before and case.status == Status.CLOSED


@pytest.mark.parametrize("shape", [str.lower, lambda c: f" {c[:3]}-{c[3:]} ", str.upper])
def test_the_right_code_rates_typed_in_any_case_with_spaces_or_a_dash(county, people, new_case, shape):
    case = answered(people, new_case())
    typed = shape(tracking.rating_code(case.tracking_code))
    response = following(case).post(RATE, {"satisfaction": "5", "rating_code": typed})
    assert response.status_code == 302 and response["Location"] == TRACK
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == (Status.CLOSED, 5)


def test_the_right_code_reopens(county, people, new_case):
    case = answered(people, new_case())
    code = tracking.rating_code(case.tracking_code).lower()
    response = following(case).post(NOT_SOLVED, {"reason": "晚上还是不亮", "rating_code": code})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.reopen_count) == (Status.IN_PROGRESS, 1)


def test_a_code_from_one_case_does_not_work_on_another(county, people, new_case):
    mine, theirs = answered(people, new_case()), answered(people, new_case(text="别人的路灯"))
    assert tracking.rating_code(mine.tracking_code) != tracking.rating_code(theirs.tracking_code)
    mine_code = tracking.rating_code(mine.tracking_code)
    response = following(theirs).post(RATE, {"satisfaction": "5", "rating_code": mine_code})
    assert response.status_code == 400 and state(theirs)[:2] == (Status.RESOLVED, None)
    # The same code works on its own case.
    assert following(mine).post(RATE, {"satisfaction": "4", "rating_code": mine_code}).status_code == 302


def test_wrong_codes_count_against_the_tracking_limit(county, people, new_case, settings):
    case = answered(people, new_case())
    settings.ANJU_TRACK_RATE = "3/10m"
    client = following(case)  # 1
    for _attempt in range(2):  # 2, 3
        assert client.post(RATE, {"satisfaction": "5", "rating_code": wrong_code_for(case)}).status_code == 400
    right = tracking.rating_code(case.tracking_code)
    response = client.post(RATE, {"satisfaction": "5", "rating_code": right})
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    assert state(case)[:2] == (Status.RESOLVED, None)


def test_looking_up_needs_only_the_tracking_code(county, people, new_case):
    case = answered(people, new_case())
    page = following(case).get(TRACK)
    assert page.context["case"] == case and page.context["can_rate"]
    html = page.content.decode()
    assert "路灯已修复，感谢反映。" in html
    # The form asks for the code; the page never gives it away.
    assert 'name="rating_code"' in html and tracking.rating_code(case.tracking_code) not in html


# ---------------------------------------------------------------------------- staff


def test_staff_who_may_see_the_case_see_its_rating_code(county, people, new_case, browse):
    case = new_case()
    code = tracking.rating_code(case.tracking_code)
    page = browse("dispatcher").get(reverse("web:case_detail", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and code in html
    assert "Tell the reporter with the tracking code" in html
    assert browse("other_handler").get(reverse("web:case_detail", args=[case.pk])).status_code == 404


# ---------------------------------------------------------------------------- public output


@pytest.fixture
def listed(county, people, new_case):
    """Cases of public categories shown at their exact point: one open, one answered."""
    Category.objects.update(is_public=True, public_location="exact")
    # Accepted: nothing is public before a person has accepted it.
    open_case = s.accept_case(people.dispatcher, new_case(category_code="urban.road", text="滨河路有个坑"))
    return [open_case, answered(people, new_case())]


def test_the_rating_code_never_appears_in_open311_output(listed):
    client = Client()
    codes = [tracking.rating_code(case.tracking_code) for case in listed]
    for fmt in ("json", "xml"):
        body = client.get(f"/open311/v2/requests.{fmt}").content.decode()
        assert all(case.tracking_code in body for case in listed)  # they are listed, so the test can fail
        for case, code in zip(listed, codes, strict=True):
            one = client.get(f"/open311/v2/requests/{case.tracking_code}.{fmt}")
            assert one.status_code == 200 and case.tracking_code in one.content.decode()
            assert code not in one.content.decode() and code not in body


def test_the_rating_code_never_appears_on_the_public_map(listed):
    response = Client().get(reverse("publicstats:cases_geojson"))
    assert response.status_code == 200 and response.json()["features"]
    body = response.content.decode()
    for case in listed:
        assert tracking.rating_code(case.tracking_code) not in body


# ---------------------------------------------------------------------------- reporter messages


def reporter_bodies(case, event) -> list[str]:
    rows = Notification.objects.filter(case=case, event=event, reporter__isnull=False)
    return [row.body for row in rows]


def in_default_language(msgid: str, **values) -> str:
    with translation.override(django_settings.LANGUAGE_CODE):
        return _(msgid) % values


def act(client, case, slug, **fields):
    data = {f"{slug}-{name}": value for name, value in fields.items()}
    return client.post(reverse("web:case_action", args=[case.pk, slug]), data)


def test_the_accept_message_carries_the_rating_code_in_the_default_language(county, people, new_case):
    case = new_case(reporter_phone="13800001234", reporter_email="lisi@example.cn")
    response = act(english_client(people.dispatcher), case, "accept", note="")
    assert response.status_code == 302
    bodies = reporter_bodies(case, Action.ACCEPT)
    assert len(bodies) == 2  # a text message and an e-mail
    expected = in_default_language(
        "Your concern %(code)s was accepted; rating code %(rating)s (needed to rate the answer or say it is not "
        "solved; keep it to yourself).", code=case.tracking_code, rating=tracking.rating_code(case.tracking_code))
    assert bodies == [expected, expected]
    assert tracking.rating_code(case.tracking_code) in expected


def test_a_message_of_another_case_carries_no_rating_code(county, people, new_case):
    case = new_case()
    s.accept_case(people.dispatcher, case)
    s.dispatch_case(people.dispatcher, case)
    s.start_case(people.handler, case)
    s.wait_for_reporter(people.handler, case, question="请问是哪一根灯杆？")
    code = tracking.rating_code(case.tracking_code)
    staff_rows = Notification.objects.filter(case=case, user__isnull=False)
    assert staff_rows.exists() and not any(code in row.body for row in staff_rows)
    assert not any(code in body for body in reporter_bodies(case, Action.WAIT))


def test_extension_and_merge_messages_are_chinese_when_staff_work_in_english(county, people, new_case):
    case = new_case()
    s.accept_case(people.dispatcher, case)
    s.dispatch_case(people.dispatcher, case)
    s.start_case(people.handler, case)
    request = s.request_extension(people.handler, case, amount=3, unit=ClockUnit.WORKING_DAYS, reason="需协调供电公司")
    assert act(english_client(people.supervisor), case, "approve_extension", request_id=str(request.pk),
               note="同意").status_code == 302
    [moved] = reporter_bodies(case, Action.APPROVE_EXTENSION)
    assert moved.startswith(f"诉求{case.tracking_code}的办理时限已延至"), moved

    duplicate, target = new_case(text="同一路灯"), new_case(text="路灯不亮", reporter_phone="13700009999")
    assert act(english_client(people.dispatcher), duplicate, "merge", into=target.tracking_code,
               note="").status_code == 302
    [told_duplicate] = reporter_bodies(duplicate, Action.MERGE)
    [told_target] = reporter_bodies(target, Action.ABSORB)
    for told, own, other in ((told_duplicate, duplicate, target), (told_target, target, duplicate)):
        # Each reporter hears their own code only, in Chinese.
        assert own.tracking_code in told and other.tracking_code not in told
        assert "同一事项" in told and "same matter" not in told


def test_reporter_messages_follow_the_default_language_not_the_request(county, people, new_case, settings):
    settings.LANGUAGE_CODE = "en"
    duplicate, target = new_case(text="同一路灯"), new_case(text="路灯不亮")
    chinese_dispatcher = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese_dispatcher.force_login(people.dispatcher)
    assert act(chinese_dispatcher, duplicate, "merge", into=target.tracking_code, note="").status_code == 302
    [told] = reporter_bodies(duplicate, Action.MERGE)
    assert told.startswith("Your concern ") and "same matter" in told


def test_nothing_new_is_stored_on_the_case(county, people, new_case):
    case = answered(people, new_case())
    code = tracking.rating_code(case.tracking_code)
    values = Case.objects.filter(pk=case.pk).values().get()
    assert not any(code in str(value) for value in values.values())
