"""A written notice to a petitioner as a Word document: reopened with python-docx, it is the
notice as issued (``Notice.content``), laid out as an official document on A4."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import Decision, NoticeKind
from anju.petitions.documents import chinese_numeral, notice_docx, notice_layout
from anju.petitions.tests import flow


def reopen(data: bytes):
    document = Document(io.BytesIO(data))
    return document, [p.text for p in document.paragraphs]


def east_asian_font(paragraph) -> str:
    return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))


@pytest.fixture
def answer(petitions, people):
    case = flow.answered(people, now=at(2026, 3, 2, 9), answered_at=at(2026, 4, 1, 15), decision=Decision.SUPPORT)
    return services.answer_of(case.petition)


def test_it_writes_the_answer_as_issued_in_the_order_of_the_document(answer):
    data = notice_docx(answer)
    assert data[:2] == b"PK"
    _document, paragraphs = reopen(data)
    content = answer.content
    expected = [content["title"], answer.number, "王秀英、赵德明：", *content["paragraphs"]]
    for index, (heading, lines) in enumerate(content["sections"]):
        expected += [f"{'一二三四五'[index]}、{heading}", *lines]
    expected += [*content["closing"], "葛城街道办事处（印章）", "2026年4月1日"]
    assert paragraphs == expected
    assert paragraphs[0] == "信访事项处理意见书" and answer.number.startswith("（2026）信处字第")
    assert "一、信访请求" in paragraphs and "请求足额发放征地补偿款" in paragraphs
    assert "三、处理意见" in paragraphs and any("予以支持" in p for p in paragraphs)
    assert "四、依据" in paragraphs and "《中华人民共和国土地管理法》第四十八条" in paragraphs


def test_it_lays_the_document_on_a4_with_the_margins_of_official_documents(answer):
    document, _paragraphs = reopen(notice_docx(answer))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert all(abs(m - Cm(c)) < Cm(0.01) for m, c in zip(margins, (3.7, 3.5, 2.8, 2.6), strict=True))


def test_the_title_and_headings_are_in_hei_type_and_the_text_in_song_type(answer):
    document, paragraphs = reopen(notice_docx(answer))
    by_text = dict(zip(paragraphs, document.paragraphs, strict=True))
    assert east_asian_font(by_text["信访事项处理意见书"]) == "SimHei"
    assert east_asian_font(by_text["一、信访请求"]) == "SimHei"
    assert east_asian_font(by_text["王秀英、赵德明："]) == "SimSun"
    assert east_asian_font(by_text[answer.content["paragraphs"][0]]) == "SimSun"
    assert by_text["信访事项处理意见书"].runs[0].font.size.pt == 22
    assert by_text[answer.content["paragraphs"][0]].runs[0].font.size.pt == 16


def test_pages_are_numbered_and_the_seal_never_stands_alone_on_a_page(answer):
    document, paragraphs = reopen(notice_docx(answer))
    footer = document.sections[0].footer.paragraphs[0]
    assert 'w:instr="PAGE"' in footer._p.xml and footer.text.startswith("— ") and footer.text.endswith(" —")
    by_text = dict(zip(paragraphs, document.paragraphs, strict=True))
    # The closing line and the issuing body keep with what follows them, down to the date.
    for text in [*answer.content["closing"], "葛城街道办事处（印章）"]:
        assert by_text[text].paragraph_format.keep_with_next, text


def test_a_notice_without_closing_lines_keeps_its_last_paragraph_with_the_seal(petitions, people):
    case = flow.accepted(people)
    layout = notice_layout(case.petition.notices.get(kind=NoticeKind.ACCEPTANCE))
    assert layout.end == layout.paragraphs[-1:] and layout.lead == layout.paragraphs[:-1]


def test_a_receipt_is_sealed_by_the_petition_office_that_routed_it(petitions, people):
    case = flow.routed(people)
    notice = case.petition.notices.get(kind=NoticeKind.RECEIPT)
    _document, paragraphs = reopen(notice_docx(notice))
    # Routed by the dispatcher of 县综治中心 to 葛城街道办事处.
    assert paragraphs[-2] == "县综治中心（印章）"
    assert any("已转送葛城街道办事处处理" in p for p in paragraphs)
    assert paragraphs[-1] == "2026年11月2日"


def test_a_group_is_addressed_by_its_first_representative_and_its_size(petitions, people):
    case = flow.routed(people, group_size=12)
    notice = case.petition.notices.get(kind=NoticeKind.RECEIPT)
    _document, paragraphs = reopen(notice_docx(notice))
    assert paragraphs[2] == "王秀英等12人："


def test_an_anonymous_petition_is_addressed_to_the_petitioner(petitions, people):
    case = flow.routed(people, petitioners=[], group_size=1)
    notice = case.petition.notices.get(kind=NoticeKind.RECEIPT)
    assert notice_layout(notice).addressee == "信访人："
    assert reopen(notice_docx(notice))[1][2] == "信访人："


def test_a_notice_without_sections_has_none(petitions, people):
    case = flow.accepted(people)
    notice = case.petition.notices.get(kind=NoticeKind.ACCEPTANCE)
    layout = notice_layout(notice)
    assert layout.sections == [] and layout.closing == []
    _document, paragraphs = reopen(notice_docx(notice))
    assert not any(p.startswith("一、") for p in paragraphs)
    assert paragraphs[-2:] == ["葛城街道办事处（印章）", "2026年11月2日"]


@pytest.mark.parametrize("n, words", [(1, "一"), (5, "五"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"),
                                      (99, "九十九")])
def test_section_numbers_are_written_in_chinese(n, words):
    assert chinese_numeral(n) == words


@pytest.mark.parametrize("n", [0, 100])
def test_section_numbers_run_from_one_to_ninety_nine(n):
    with pytest.raises(ValueError):
        chinese_numeral(n)
