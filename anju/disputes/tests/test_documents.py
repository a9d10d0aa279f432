"""The mediation agreement as a Word document: reopened with python-docx, it says what the
People's Mediation Law asks of an agreement (Art. 29) and the judicial-confirmation note (Art. 33)."""

import io
from datetime import timedelta

from docx import Document
from docx.shared import Cm

from anju.disputes.documents import agreement_docx, chinese_date
from anju.disputes.models import MediationAgreement
from anju.disputes.tests.flow import dispute_in, today


def reopen(data: bytes):
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return document, paragraphs, cells


def test_it_writes_the_agreement_with_the_parties_in_full(people, mediation):
    case = dispute_in(people, mediation, "signed")
    agreement = MediationAgreement.objects.get(dispute__case=case)
    data = agreement_docx(agreement)
    assert data[:2] == b"PK"
    document, paragraphs, cells = reopen(data)
    assert paragraphs[0] == "人民调解协议书"
    assert paragraphs[1] == agreement.number
    assert cells[0] == ["当事人", "姓名", "联系电话", "住址"]
    assert cells[1] == ["申请人", "张大山", "13800001111", "土城社区3组12号"]
    assert cells[2] == ["被申请人", "李小河", "13900002222", "土城社区3组15号"]
    text = "\n".join(paragraphs)
    for heading, body in (("一、纠纷主要事实", agreement.facts), ("二、争议事项", agreement.matters),
                          ("三、各方责任", agreement.responsibilities), ("四、协议内容", agreement.terms),
                          ("五、履行方式和期限", agreement.performance_manner)):
        assert heading in paragraphs and body in text
    assert f"于{chinese_date(agreement.performance_deadline)}前履行完毕" in text
    assert f"本协议于{chinese_date(today())}生效" in text
    assert "30日内共同向人民法院申请司法确认" in text and "第三十三条" in text
    assert f"申请期限截至{chinese_date(today() + timedelta(days=30))}" in text
    assert "申请人（签名、盖章或按指印）" in text and "被申请人（签名、盖章或按指印）" in text
    assert "人民调解员（签名）：mediator" in text
    assert "葛城街道人民调解委员会（印章）" in text
    assert "本协议一式3份" in text


def test_it_lays_the_document_on_a4_with_two_centimetre_margins(people, mediation):
    case = dispute_in(people, mediation, "signed")
    document, _paragraphs, _cells = reopen(agreement_docx(MediationAgreement.objects.get(dispute__case=case)))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    # Word keeps margins in twentieths of a point: 2 cm comes back as 1134 twips.
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    assert all(abs(margin - Cm(2)) < Cm(0.01) for margin in margins)


def test_a_draft_says_it_is_not_yet_in_effect_and_leaves_the_dates_to_be_written(people, mediation):
    case = dispute_in(people, mediation, "drafted")
    _document, paragraphs, _cells = reopen(agreement_docx(MediationAgreement.objects.get(dispute__case=case)))
    text = "\n".join(paragraphs)
    assert "（草稿，尚未生效）" in paragraphs
    assert "申请期限截至" not in text and "本协议于" not in text


def test_chinese_dates_read_as_official_documents_write_them():
    assert chinese_date(today().replace(year=2026, month=3, day=5)) == "2026年3月5日"
    assert chinese_date(None) == "\u3000\u3000年\u3000\u3000月\u3000\u3000日"
