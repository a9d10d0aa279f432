"""The mediation agreement printed (an A4 official document) and as a Word file: both show the
parties' details in full, so each look is logged, and only those who may see the parties get
them."""

import io

import pytest
from django.urls import reverse
from docx import Document

from anju.cases.models import PersonalDataAccess
from anju.disputes.models import MediationAgreement
from anju.disputes.tests.flow import dispute_in
from anju.disputes.tests.test_pages_dispute import page_client
from anju.web.tests.conftest import english_client


@pytest.fixture
def as_persona(people, mediation):
    return lambda who: page_client(people, mediation, who)


@pytest.fixture
def signed(people, mediation):
    case = dispute_in(people, mediation, "signed")
    return case, MediationAgreement.objects.get(dispute__case=case)


def urls(case, agreement):
    return (reverse("disputes:agreement_print", args=[case.pk, agreement.pk]),
            reverse("disputes:agreement_docx", args=[case.pk, agreement.pk]))


def test_it_sends_anonymous_visitors_to_sign_in(signed):
    for url in urls(*signed):
        response = english_client().get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not PersonalDataAccess.objects.exists()


def test_it_answers_404_to_users_who_do_not_see_the_dispute_and_logs_nothing(signed, as_persona):
    for who in ("other_handler", "nobody", "justice_mediator"):
        for url in urls(*signed):
            assert as_persona(who).get(url).status_code == 404, (who, url)
    assert not PersonalDataAccess.objects.exists()


def test_it_answers_404_for_an_agreement_of_another_dispute(signed, people, mediation, as_persona):
    case, _agreement = signed
    other = dispute_in(people, mediation, "drafted")
    theirs = MediationAgreement.objects.get(dispute__case=other)
    for url in urls(case, theirs):
        assert as_persona("mediator").get(url).status_code == 404


def test_it_answers_403_to_those_who_see_the_dispute_but_not_the_parties_and_logs_the_attempt(signed, as_persona,
                                                                                             people):
    for url in urls(*signed):
        response = as_persona("leader").get(url)
        assert response.status_code == 403
        assert "张大山" not in response.content.decode(errors="replace")
    logs = PersonalDataAccess.objects.all()
    assert logs.count() == 2 and not any(log.granted for log in logs)
    assert {log.user for log in logs} == {people.leader}


def test_the_print_page_is_the_official_document_with_the_parties_in_full(signed, as_persona, mediation):
    case, agreement = signed
    response = as_persona("mediator").get(urls(case, agreement)[0])
    html = response.content.decode()
    assert response.status_code == 200
    for words in ("人民调解协议书", agreement.number, "张大山", "13800001111", "土城社区3组12号", "申请人", "被申请人",
                  "李小河", "纠纷主要事实", "争议事项", "各方责任", "协议内容", "履行方式和期限",
                  "以原承包合同附图为准重新埋设界桩。", "第三十三条", "三十日内" if "三十日内" in html else "30日内",
                  "人民调解员（签名）", "葛城街道人民调解委员会（印章）", "disputes/print.css"):
        assert words in html, words
    assert 'class="mainnav"' not in html
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.subject, log.reason, log.granted) == (mediation.mediator, f"agreement {agreement.pk}",
                                                                "print", True)


def test_the_print_css_sets_an_a4_page_and_hides_the_toolbar(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("disputes/print.css"), encoding="utf-8").read()
    assert "@page { size: A4; margin: 2cm; }" in css
    assert ".print-toolbar { display: none !important; }" in css


def test_a_draft_prints_marked_as_not_yet_in_effect(people, mediation, as_persona):
    case = dispute_in(people, mediation, "drafted")
    agreement = MediationAgreement.objects.get(dispute__case=case)
    html = as_persona("mediator").get(urls(case, agreement)[0]).content.decode()
    assert "草稿，尚未生效" in html


def test_the_docx_download_holds_the_same_content(signed, as_persona):
    case, agreement = signed
    response = as_persona("mediator").get(urls(case, agreement)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == f'attachment; filename="mediation-agreement-{agreement.pk}.docx"'
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "人民调解协议书" in text and agreement.number in text and "张大山" in cells
    assert PersonalDataAccess.objects.get().subject == f"agreement {agreement.pk}"


def test_the_dispute_page_links_print_and_docx_only_for_those_who_may_see_the_parties(signed, as_persona):
    case, agreement = signed
    print_url, docx_url = urls(case, agreement)
    html = as_persona("mediator").get(reverse("disputes:detail", args=[case.pk])).content.decode()
    assert print_url in html and docx_url in html
    html = as_persona("leader").get(reverse("disputes:detail", args=[case.pk])).content.decode()
    assert print_url not in html and docx_url not in html
