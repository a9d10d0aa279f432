"""The administrator issues an application's API key (shown once, stored as a hash), revokes it
after a confirmation, keeps services' attributes, and can only look at what applications sent."""

import re

from django.contrib.messages import get_messages
from django.urls import reverse

from anju.open311.models import Application, Open311Request, ServiceAttribute
from anju.open311.tests.conftest import post, spec_example
from anju.people.models import hash_token


def issued_key(response) -> str:
    [text] = [str(m) for m in response.context["messages"] if "API key" in str(m)]
    return re.search(r" is (\S+) \.", text).group(1)


def test_adding_an_application_issues_a_key_shown_once(staff, services_county, english):
    response = staff.post(reverse("admin:open311_application_add"),
                          {"name": "县融媒体中心 App", "contact": "app@example.org"}, follow=True)
    assert response.redirect_chain[0][1] == 302
    raw = issued_key(response)
    application = Application.objects.get()
    assert raw.startswith("o311_") and len(raw) > 30
    assert application.key_hash == hash_token(raw) and application.key_prefix == raw[:9]
    assert raw not in str(Application.objects.values().get())
    # The key works, and no page shows it again.
    assert post(english, "json", spec_example({"api_key": raw})).status_code == 200
    page = staff.get(reverse("admin:open311_application_change", args=[application.pk]))
    assert page.status_code == 200 and raw not in page.content.decode() and raw[:9] in page.content.decode()


def test_editing_an_application_keeps_its_key(staff, application):
    before = application.key_hash
    response = staff.post(reverse("admin:open311_application_change", args=[application.pk]),
                          {"name": "新名字", "contact": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.name == "新名字" and application.key_hash == before
    assert not [m for m in get_messages(response.wsgi_request) if "API key" in str(m)]


def test_revoking_asks_first_then_stops_the_key(staff, services_county, application, english):
    changelist = reverse("admin:open311_application_changelist")
    ask = staff.post(changelist, {"action": "revoke", "_selected_action": [application.pk]})
    assert ask.status_code == 200
    assert "Yes, revoke" in ask.content.decode() and application.name in ask.content.decode()
    application.refresh_from_db()
    assert application.revoked_at is None
    done = staff.post(changelist, {"action": "revoke", "_selected_action": [application.pk], "confirm": "yes"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.revoked_at is not None and not application.is_active
    assert post(english, "json", spec_example()).status_code == 403


def test_an_attribute_with_bad_values_is_refused(staff, services_county):
    url = reverse("admin:open311_serviceattribute_add")
    base = {"category": services_county.light.pk, "code": "KIND", "description": "灯的种类",
            "datatype": "singlevaluelist", "order": 1, "variable": "on", "datatype_description": ""}
    for values, words in [("[]", "at least one value"), ('[{"key": "a"}]', "exactly"),
                          ('[{"key": "a", "name": "甲"}, {"key": "a", "name": "乙"}]', "twice")]:
        response = staff.post(url, {**base, "values": values})
        assert response.status_code == 200
        assert words in str(response.context["adminform"].form.errors["values"])
    bad_code = staff.post(url, {**base, "code": "KIND[]", "values": '[{"key": "a", "name": "甲"}]'})
    assert "code" in bad_code.context["adminform"].form.errors
    number_with_values = staff.post(url, {**base, "datatype": "number", "values": '[{"key": "a", "name": "甲"}]'})
    assert "values" in number_with_values.context["adminform"].form.errors
    assert not ServiceAttribute.objects.filter(code="KIND").exists()
    # A datatype without values may leave the field empty.
    empty = staff.post(url, {**base, "code": "WATTS", "datatype": "number", "values": ""})
    assert empty.status_code == 302 and ServiceAttribute.objects.get(code="WATTS").values == []
    ok = staff.post(url, {**base, "values": '[{"key": "led", "name": "LED"}, {"key": 2, "name": "钠灯"}]'})
    assert ok.status_code == 302
    assert ServiceAttribute.objects.get(code="KIND").keys() == ["led", "2"]


def test_the_requests_applications_sent_are_read_only(staff, services_county, application, english):
    post(english, "json", spec_example())
    record = Open311Request.objects.get()
    assert staff.get(reverse("admin:open311_open311request_changelist")).status_code == 200
    assert staff.get(reverse("admin:open311_open311request_change", args=[record.pk])).status_code == 200
    assert staff.get(reverse("admin:open311_open311request_add")).status_code == 403
    assert staff.post(reverse("admin:open311_open311request_change", args=[record.pk]),
                      {"device_id": "changed"}).status_code == 403
    assert staff.get(reverse("admin:open311_open311request_delete", args=[record.pk])).status_code == 403
