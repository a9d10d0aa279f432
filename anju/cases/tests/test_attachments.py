"""Attachments: type by content, size cap, scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anju.cases.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_attaches_a_photo_and_serves_it_to_those_in_scope(api, new_case):
    case = new_case()
    response = api("dispatcher").post(f"/api/v1/cases/{case.pk}/attachments",
                                      {"file": SimpleUploadedFile("坑.png", PNG, content_type="image/png")})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "image/png" and body["size"] == len(PNG)
    download = api("dispatcher").get(body["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert api("other_handler").get(body["url"]).status_code == 404


def test_it_judges_the_type_by_content_not_by_name(api, new_case):
    case = new_case()
    fake = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\nrm -rf /\n", content_type="image/jpeg")
    response = api("dispatcher").post(f"/api/v1/cases/{case.pk}/attachments", {"file": fake})
    assert response.status_code == 415 and response.json()["errors"][0]["field"] == "file"
    assert Attachment.objects.count() == 0


def test_it_refuses_files_over_the_limit(api, new_case, settings):
    settings.ANJU_ATTACHMENT_MAX_BYTES = 50
    case = new_case()
    response = api("dispatcher").post(f"/api/v1/cases/{case.pk}/attachments",
                                      {"file": SimpleUploadedFile("big.png", PNG, content_type="image/png")})
    assert response.status_code == 413 and Attachment.objects.count() == 0


def test_it_requires_a_file(api, new_case):
    case = new_case()
    response = api("dispatcher").post(f"/api/v1/cases/{case.pk}/attachments", {})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"


def test_out_of_scope_users_cannot_attach(api, new_case):
    case = new_case()
    response = api("other_handler").post(f"/api/v1/cases/{case.pk}/attachments",
                                         {"file": SimpleUploadedFile("a.png", PNG, content_type="image/png")})
    assert response.status_code == 404
