"""A written notice printed (an A4 official document) and as a Word file: both name the
petitioners in full, so each look is logged first, and only those who may see who petitioned
get them; the body the petition is about never does."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from docx import Document

from anju.cases.models import PersonalDataAccess
from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import Decision, NoticeKind
from anju.petitions.tests import flow


def urls(notice) -> tuple[str, str]:
    case_id = notice.petition.case_id
    return (f"/work/petitions/{case_id}/notices/{notice.pk}/print/",
            f"/work/petitions/{case_id}/notices/{notice.pk}/notice.docx")


@pytest.fixture
def answer(petitions, people):
    case = flow.answered(people, now=at(2026, 3, 2, 9), answered_at=at(2026, 4, 1, 15), decision=Decision.EXPLAIN)
    return services.answer_of(case.petition)


@pytest.fixture
def about_gecheng(petitions, people):
    """A petition complaining about 葛城街道办事处 (not a report of wrongdoing), handled there:
    its staff see the matter, never who petitioned."""
    case = flow.answered(people, now=at(2026, 3, 2, 9), about="gc", official="征收办主任")
    return services.answer_of(case.petition)


def test_it_sends_anonymous_visitors_to_sign_in(client, answer):
    for url in urls(answer):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not PersonalDataAccess.objects.exists()


def test_the_print_page_is_the_notice_as_issued_with_the_petitioners_in_full(signed_in, answer, people):
    response = signed_in("handler").get(urls(answer)[0])
    assert response.status_code == 200
    html = response.content.decode()
    content = answer.content
    for words in (content["title"], answer.number, "王秀英、赵德明：", *content["paragraphs"], "一、信访请求",
                  "二、事实和理由", "三、处理意见", "四、依据", *content["closing"], "葛城街道办事处（印章）",
                  "2026年4月1日", "petitions/print.css", "disputes/print.js"):
        assert words in html, words
    assert html.index("一、信访请求") < html.index("二、事实和理由") < html.index("葛城街道办事处（印章）")
    assert 'class="mainnav"' not in html
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.case_id, log.subject, log.reason, log.granted) == (
        people.handler, answer.petition.case_id, f"notice {answer.pk}", "print", True)


def test_the_docx_download_holds_the_same_notice_and_is_logged(signed_in, answer, people):
    response = signed_in("dispatcher").get(urls(answer)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == f'attachment; filename="petition-notice-{answer.pk}.docx"'
    assert "no-store" in response["Cache-Control"]
    paragraphs = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert paragraphs[:3] == ["信访事项处理意见书", answer.number, "王秀英、赵德明："]
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.subject, log.granted) == (people.dispatcher, f"notice {answer.pk}", True)


@pytest.mark.parametrize("kind", [NoticeKind.RECEIPT, NoticeKind.ACCEPTANCE])
def test_every_notice_of_the_petition_prints(signed_in, answer, kind):
    notice = answer.petition.notices.get(kind=kind)
    html = signed_in("supervisor").get(urls(notice)[0]).content.decode()
    assert notice.content["title"] in html and notice.number in html


def test_the_body_the_petition_is_about_is_refused_and_the_attempt_logged(signed_in, about_gecheng, petitions,
                                                                        people):
    # 葛城's own handler (who answered it) and 葛城's supervisor see the petition, never who petitioned.
    for who in ("handler", "township_supervisor"):
        for url in urls(about_gecheng):
            response = signed_in(who).get(url)
            assert response.status_code == 403, (who, url)
            assert "王秀英" not in response.content.decode(errors="replace")
    logs = PersonalDataAccess.objects.all()
    assert logs.count() == 4 and not any(log.granted for log in logs)
    assert {log.user for log in logs} == {people.handler, petitions.township_supervisor}
    # The county's supervisor may.
    assert signed_in("supervisor").get(urls(about_gecheng)[0]).status_code == 200


def test_those_who_see_the_petition_but_not_who_petitioned_are_refused(signed_in, answer, people):
    for url in urls(answer):
        assert signed_in("leader").get(url).status_code == 403
    logs = PersonalDataAccess.objects.all()
    assert logs.count() == 2 and {(log.user, log.granted) for log in logs} == {(people.leader, False)}


def test_it_answers_404_to_users_who_do_not_see_the_petition_and_logs_nothing(signed_in, answer):
    for who in ("other_handler", "nobody", "city_handler"):
        for url in urls(answer):
            assert signed_in(who).get(url).status_code == 404, (who, url)
    assert not PersonalDataAccess.objects.exists()


def test_it_answers_404_for_a_notice_of_another_petition(signed_in, answer, people):
    other = flow.accepted(people, now=at(2026, 3, 9, 9))
    theirs = other.petition.notices.get(kind=NoticeKind.ACCEPTANCE)
    case_id = answer.petition.case_id
    for url in (f"/work/petitions/{case_id}/notices/{theirs.pk}/print/",
                f"/work/petitions/{case_id}/notices/{theirs.pk}/notice.docx",
                f"/work/petitions/{case_id}/notices/999999/print/"):
        assert signed_in("handler").get(url).status_code == 404, url
    assert not PersonalDataAccess.objects.exists()


def test_it_answers_404_for_a_case_that_is_not_a_petition(signed_in, new_case, answer):
    case = new_case()
    assert signed_in("dispatcher").get(f"/work/petitions/{case.pk}/notices/{answer.pk}/print/").status_code == 404


def test_the_print_css_sets_an_a4_page_and_hides_the_toolbar():
    css = open(finders.find("petitions/print.css"), encoding="utf-8").read()
    assert re.search(r"@page \{\s*size: A4;", css)
    assert 'content: "— " counter(page) " —"' in css
    assert ".print-toolbar { display: none !important; }" in css
    assert finders.find("disputes/print.js")
