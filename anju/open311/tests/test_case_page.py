"""What the handler sees on the case page of a request sent through Open311: the application,
the answers to the service's questions by name, and the photo link."""

import pytest
from django.test import Client

from anju.cases.models import Case
from anju.open311.models import Application, ServiceAttribute
from anju.open311.services import answers_for_staff, issue_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def road_service(county):
    county.road.public_location = "exact"
    county.road.save()
    ServiceAttribute.objects.create(
        category=county.road, code="SURFACE", datatype="singlevaluelist", required=False, variable=True, order=2,
        description="路面类型", values=[{"key": "asphalt", "name": "沥青路面"}, {"key": "gravel", "name": "砂石路面"}],
    )
    ServiceAttribute.objects.create(
        category=county.road, code="WIDTH", datatype="number", required=False, variable=True, order=1,
        description="坑的宽度（米）",
    )
    return county.road


def post_request(client, key, **extra):
    data = {"api_key": key, "service_code": "urban.road", "lat": "31.905", "long": "108.605",
            "description": "路面塌陷", "attribute[SURFACE]": "gravel", "attribute[WIDTH]": "2",
            "media_url": "http://photos.example/1.jpg", **extra}
    answer = client.post("/open311/v2/requests.json", data)
    assert answer.status_code == 200, answer.content
    return Case.objects.get(tracking_code=answer.json()[0]["service_request_id"])


def test_the_handler_sees_the_application_and_the_answers_by_name(people, road_service):
    application = Application(name="城口随手拍", contact="app@example.com")
    key = issue_key(application)
    application.save()
    case = post_request(Client(), key)
    assert answers_for_staff(case.open311) == [("坑的宽度（米）", "2"), ("路面类型", "砂石路面")]

    staff = Client()
    staff.login(username="dispatcher", password="pw")
    page = staff.get(f"/work/cases/{case.pk}/").content.decode()
    assert "城口随手拍" in page
    assert "路面类型" in page and "砂石路面" in page and "gravel" not in page
    assert 'href="http://photos.example/1.jpg" rel="noopener noreferrer nofollow"' in page
